//! The real-world corpora: `../shared/realworld/` (or `OSPOLINT_REALWORLD`) and
//! `../shared/realworld2/` (or `OSPOLINT_REALWORLD2`, by default beside the first), governance
//! documents of 31 public repositories, each corpus with a MANIFEST.md of verified facts. Every
//! repository is checked as a user would check it; the test asserts that
//!
//! - no run panics or ends with exit code 2;
//! - every inventory entry for the roles ospolint resolves is found where the manifest lists it
//!   (through `ospolint artifacts --format json`), and "none" entries resolve to no file;
//! - every verified problem (PLACEHOLDER, EMPTY-HEADING, BROKEN-LINK, MISSING-SECTION, STALE,
//!   INCONSISTENT) is reported at its path and line, and no TRAP line gets more than an info.
//!
//! Entries ospolint cannot or should not reach are listed below with the reason; the test checks
//! that they are still out of reach, so the lists stay honest. Run with `--nocapture` for the table.
//!
//! The corpus is read-only: per-repository configuration (the tree file listing every path of the
//! original repository) is written to a temporary folder. Static sites are detected from their
//! config files and templates from the evidence in each repository, so neither is configured.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A corpus and what the test asserts on it.
struct Corpus {
    name: &'static str,
    /// "Today" for staleness, fixed so results do not change with the calendar: a date shortly
    /// after the corpus's newest snapshot.
    today: &'static str,
    /// Facts and traps listed in the manifest, at least.
    facts: usize,
    /// Fact kinds that must be reported; the others are listed in the table only.
    required_kinds: &'static [&'static str],
}

const CORPORA: &[Corpus] = &[
    Corpus {
        name: "realworld",
        today: "2026-06-01",
        facts: 78,
        required_kinds: &[
            "PLACEHOLDER",
            "EMPTY-HEADING",
            "BROKEN-LINK",
            "MISSING-SECTION",
            "STALE",
            "INCONSISTENT",
        ],
    },
    Corpus {
        name: "realworld2",
        today: "2026-09-01",
        facts: 165,
        required_kinds: &["PLACEHOLDER", "EMPTY-HEADING", "BROKEN-LINK", "STALE"],
    },
];

/// Manifest role names → the ospolint role they are reported under, and further roles that fill
/// the same row (a release policy is a project's release process or an OSPO's publication
/// process).
const ROLES: &[(&str, &str, &[&str])] = &[
    ("strategy", "strategy", &[]),
    ("ospo-charter", "ospo-charter", &[]),
    ("usage-policy", "usage-policy", &[]),
    ("outbound/contribution policy", "outbound-policy", &[]),
    ("release policy", "release-policy", &["publication-process"]),
    ("contributing", "contributing", &[]),
    ("code-of-conduct", "code-of-conduct", &[]),
    ("security", "security", &[]),
    ("governance", "governance", &[]),
    ("maintainers/owners", "maintainers", &[]),
    ("support/communication", "support", &[]),
    ("mentoring program", "mentoring", &[]),
];

/// Inventory entries that ospolint does not resolve, and why.
const INVENTORY_GAPS: &[(&str, &str, &str, &str)] = &[
    ("open-telemetry__community", "governance", "project-management.md", "how projects are run, not the governance charter; its name says nothing about governance"),
    ("ucsc-ospo__ucsc-ospo.github.io", "maintainers", "content/people/people.md", "a Hugo widget with front matter only: the people are in author profiles outside the copied slice"),
    ("ucsc-ospo__ucsc-ospo.github.io", "mentoring", "content/osre25/osre25.md", "last year's term: osre26/ is the current one, and a past term is a record, not the programme's document"),
    ("chaoss__community", "governance", "elections/mechanics-GB.md", "an elections/ folder also holds candidate lists and e-mail templates, so it is not read as governance"),
    ("chaoss__community", "maintainers", "governance/board/*.md", "profiles of the governing board, not the maintainers of the repository"),
    ("18F__open-source-policy", "release-policy", "practice.md", "its sections on archiving and exceptions are about withholding a release, with no release heading or term"),
    ("DSACMS__repo-scaffolder", "outbound-policy", "tier1/checklist.md", "titled as a review checklist: a checklist is not taken for the policy it applies (issue 19)"),
    ("DSACMS__repo-scaffolder", "outbound-policy", "tier2/checklist.md", "titled as a review checklist: a checklist is not taken for the policy it applies (issue 19)"),
    ("DSACMS__repo-scaffolder", "outbound-policy", "tier3/checklist.md", "titled as a review checklist: a checklist is not taken for the policy it applies (issue 19)"),
    ("DSACMS__repo-scaffolder", "outbound-policy", "tier4/checklist.md", "titled as a review checklist: a checklist is not taken for the policy it applies (issue 19)"),
    ("chaoss__community", "support", "how-to-contribute/chaoss-meetings.md", "a meeting list; the CONTRIBUTING section \"Join the Conversation\" is found instead"),
    ("CURIOSSorg__curioss.org", "strategy", "content/about/_index.md", "a network's About page: goals in its first paragraph, no strategy title, name or sections"),
    ("DSACMS__repo-scaffolder", "strategy", "maturity-model-tiers.md", "a maturity model of repository tiers: nothing in its name, title or sections says strategy"),
    ("IntersectMBO__osc-documentation", "maintainers", "open-source-committee/about/readme/committee-members.md", "a committee roster as an HTML table in a page named for its subject, with no maintainers title, name or sections"),
    ("IntersectMBO__osc-documentation", "mentoring", "open-source-committee/about/open-source-office-oso/developer-advocate-program/README.md", "a developer-advocate programme: mentoring is one part of it and its title names no mentoring programme"),
    ("IntersectMBO__osc-documentation", "mentoring", "open-source-committee/about/paid-open-source-model-posm/developer-advocates/README.md", "a developer-advocate programme: mentoring is one part of it and its title names no mentoring programme"),
    ("IntersectMBO__osc-documentation", "outbound-policy", "open-source-committee/policies/governance/legal.md", "titled \"Legal\": the licence for the organisation's own software, with no contribution title or name"),
    ("IntersectMBO__osc-documentation", "release-policy", "open-source-committee/policies/project-incubation-process/README.md", "an incubation process for projects, not a release process by name, title or sections"),
    ("IntersectMBO__osc-documentation", "release-policy", "open-source-committee/project-maturity-tiers-2025.md", "maturity tiers for projects, not a release process by name, title or sections"),
    ("IntersectMBO__osc-documentation", "support", "open-source-committee/about/readme/how-to-join-or-contact-us.md", "a contact page under a name and folder of its own; its title is a question about joining"),
    ("IntersectMBO__osc-documentation", "support", "open-source-committee/about/readme/osc-communications.md", "a communications page under a name and folder of its own, below the README's place"),
    ("LF-Decentralized-Trust-Mentorships__mentorship-program", "support", "docs/index.md", "a 'Questions?' section of the MkDocs home page: site home pages are not read as a README"),
    ("NixOS__GSoC", "maintainers", "README.md", "the admins are named in the README's opening lines, under no heading"),
    ("NixOS__GSoC", "mentoring", "README.md", "a GSoC coordination README: the repository's genre says what it is"),
    ("OpenAstronomy__openastronomy.github.io", "contributing", "README.md", "the README explains building the site under no contributing heading"),
    ("OpenAstronomy__openastronomy.github.io", "contributing", "_projects/README.md", "a how-to for adding an idea, under a folder README: neither name, place nor title is a contributing guide's"),
    ("OpenAstronomy__openastronomy.github.io", "support", "_projects/README.md", "a mailing-list line in a how-to for adding ideas; mentions are looked for in the README and the contributing guide"),
    ("SAP__repository-template", "maintainers", "REUSE.toml", "an SPDX-PackageSupplier placeholder (fact SP5), not a list of maintainers"),
    ("VERSO-UVM__VERSO-Playbook", "mentoring", "book/student_engagement_through_ORCA.md", "an internship chapter of a book: its title names students, not a mentoring programme"),
    ("VERSO-UVM__VERSO-Playbook", "ospo-charter", "book/intro.md", "a book's introduction; the mission is one section of it"),
    ("VERSO-UVM__VERSO-Playbook", "ospo-charter", "book/why_verso.md", "a book chapter on why the OSPO was created, with no charter title or name"),
    ("VERSO-UVM__VERSO-Playbook", "strategy", "book/sustainability_and_the_future.md", "a book chapter whose title names sustainability, not a strategy"),
    ("VERSO-UVM__VERSO-Playbook", "strategy", "book/why_verso.md", "a book chapter whose title names the OSPO's origin, not a strategy"),
    ("canada-ca__open-source-logiciel-libre", "strategy", "README.md", "the stance is the README's opening paragraphs under its title, not a section: a README's lead is not read as a strategy"),
    ("canada-ca__open-source-logiciel-libre", "strategy", "en/open-source-standards.md", "titled as standards; the stance is in its opening paragraphs, with no strategy title, name or sections"),
    ("chaoss__community", "strategy", "governance/project-charter.md", "a project charter, read as governance; the mission is one section of it"),
    ("chaoss__community", "usage-policy", "data-use-statement.md", "a data-use statement, not a policy for using open source software"),
    ("chaoss__community", "usage-policy", "governance/data-policies.md", "data policies, not a policy for using open source software"),
    ("finos__software-project-blueprint", "outbound-policy", "EASYCLA_CHANGEME.md", "a placeholder file whose only content is its name"),
    ("finos__software-project-blueprint", "support", ".github/ISSUE_TEMPLATE/support_question.yml", "an issue form for questions: forms never play a role, and support is looked for in documents"),
    ("github__opensource.guide", "outbound-policy", "notices.md", "titled as legal notices; the contribution terms are one section of it"),
    ("jupyter__governance", "governance", "docs/jupyter_foundation.md", "titled after the foundation, with no governance title or sections"),
    ("jupyter__governance", "governance", "docs/newsubprojects.md", "a process for new subprojects, with no governance title or sections"),
    ("jupyter__governance", "maintainers", "docs/_data/contributors.yml", "site data read by a MyST directive, not a maintainers file"),
    ("jupyter__governance", "maintainers", "docs/_data/jupyter-teams.yml", "site data read by a MyST directive, not a maintainers file"),
    ("jupyter__governance", "maintainers", "docs/people.md", "names come from YAML through a MyST directive (fact JU7)"),
    ("jupyter__governance", "outbound-policy", "docs/projectlicense.md", "titled as licensing terms for the project's code, with no contribution title or name"),
    ("kubernetes-sigs__kind", "contributing", "site/content/docs/contributing/development.md", "linked from the site guide, two links away from CONTRIBUTING.md"),
    ("kubernetes-sigs__kind", "contributing", "site/content/docs/contributing/getting-started.md", "CONTRIBUTING.md links the published guide: it is read with the guide (by its own site URL), not listed as the role's file"),
    ("kubernetes-sigs__kind", "outbound-policy", "site/content/docs/contributing/getting-started.md", "the CLA section is in a site page the contributing guide links to by URL; sections are looked for in the documents of related roles"),
    ("open-telemetry__community", "strategy", "roadmap.md", "a roadmap: a project with a ROADMAP is not thereby an OSPO, so roadmaps are not read as strategies"),
    ("openjs-foundation__cross-project-council", "governance", "PROJECT_PROGRESSION.md", "project stages without a title; the charter and GOVERNANCE.md are found"),
    ("openjs-foundation__cross-project-council", "governance", "collaboration-spaces/COLLABORATION_SPACE_PROGRESSION.md", "collaboration-space stages without a title; the charter and GOVERNANCE.md are found"),
    ("openjs-foundation__cross-project-council", "mentoring", "mentorship/2020/google-season-of-docs/README.md", "a past term: the 2024 term beside it is the programme's current document"),
    ("openjs-foundation__cross-project-council", "outbound-policy", "governance/IP_POLICY_GUIDANCE.md", "titled as IP policy guidance for member projects, with no contribution title or name"),
    ("openjs-foundation__cross-project-council", "security", "project-resources/SECURITY_TEMPLATE.md", "a template for member projects, not this repository's policy"),
    ("ossf__tac", "governance", "process/project-lifecycle.md", "a project lifecycle, titled as becoming a project, with no governance title or sections"),
    ("ossf__tac", "governance", "process/sig-lifecycle.md", "a lifecycle of interest groups, with no governance title or sections"),
    ("ossf__tac", "governance", "process/working-group-lifecycle.md", "a lifecycle of working groups, with no governance title or sections"),
    ("ossf__tac", "maintainers", "EMERITUS.md", "a list of former members under a name of its own"),
    ("ossf__tac", "strategy", "technical-vision.md", "a technical vision: a vision is not read as an open source strategy"),
    ("todogroup__todogroup.org", "outbound-policy", "content/en/guides/participating.md", "a guide on taking part in communities, titled as such"),
    ("ucsc-ospo__ucsc-ospo.github.io", "mentoring", "content/osre26/osre26.md", "a Hugo widget with one sentence of its own; the term's other pages and the programme index are found"),
    ("ucsc-ospo__ucsc-ospo.github.io", "outbound-policy", "content/osredocs/aipolicy.md", "an AI-use policy: no usage or contribution title, name or sections"),
    ("ucsc-ospo__ucsc-ospo.github.io", "strategy", "content/home/about.md", "an About page: what the OSPO is and does, read as its charter"),
    ("ucsc-ospo__ucsc-ospo.github.io", "usage-policy", "content/osredocs/aipolicy.md", "an AI-use policy: no usage or contribution title, name or sections"),
    ("vuejs__core", "release-policy", ".github/maintenance.md", "a section of a maintainers' handbook that plays no role; release sections are looked for in the README and the contributing guide"),
    ("yahoo__oss-guide", "ospo-charter", "index.md", "a site's home page that names the OSPO's channels; the OSPO page itself is found"),
    ("yahoo__oss-guide", "strategy", "docs/resources/the-ospo.md", "an OSPO page whose focus areas include strategy review, read as the OSPO's charter"),
    ("yahoo__oss-guide", "support", "index.md", "a contact line in a site's home page; mentions are looked for in the README and the contributing guide"),
    ("zalando__zalando-howto-open-source", "outbound-policy", "README.md", "the README's \"Project Publication Process\" stands in for the publication process; \"Rules\" is too generic a heading to stand in for a contribution policy"),
    ("zalando__zalando-howto-open-source", "outbound-policy", "innersource.md", "an inner-source how-to, titled as such"),
];

/// Traps on a line where findings about what a whole document lacks are anchored (the first
/// section below the title): only the rule the trap is about must stay quiet there.
const TRAPS_AT_ANCHORS: &[(&str, &str, &str)] = &[(
    "PB2",
    "contributing/setup",
    "the reST guide's first section is where the contributing rules anchor what the guide lacks (a DCO or CLA); the trap is that its setup section is seen",
)];

/// Files ospolint gives a role for which the manifest lists "none", and why that is defensible.
const INVENTORY_EXTRAS: &[(&str, &str, &str, &str)] = &[
    ("libgit2__libgit2", "maintainers", "AUTHORS", "an AUTHORS file is read last for the role, and governance/maintainers says it credits authors rather than naming maintainers"),
    ("ucsc-ospo__ucsc-ospo.github.io", "ospo-charter", "content/home/about.md", "the OSPO's own About page states its mission; the manifest reads the charter strictly"),
];

/// Verified facts that no rule reaches, and why.
const OUT_OF_REACH: &[(&str, &str)] = &[
    (
        "U2",
        "FUNDING.yml funds the site theme's author: telling a leftover sponsor from a real one needs knowledge outside the repository",
    ),
    (
        "YA14",
        "the evidence is the last commit (2021), which the copied documents do not carry and none of them dates; on a clone, hygiene/stale-content reports the interim heading (tests/rules_project.rs)",
    ),
    (
        "LG2",
        "an example of the version rule that names old version numbers: judging it needs the project's release line, not a date",
    ),
    (
        "CU8",
        "a front-matter date older than the founding the page itself reports: a contradiction within one page, not a promise whose date has passed",
    ),
    (
        "LP2",
        "an absolute link to the repository's own file on GitHub: the copy has no .git, so the repository's address is unknown (with a clone's `origin` remote, the link is checked)",
    ),
];

fn corpus_root(corpus: &Corpus) -> Option<PathBuf> {
    let first = std::env::var_os("OSPOLINT_REALWORLD")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld"));
    let path = match corpus.name {
        "realworld" => first,
        _ => std::env::var_os("OSPOLINT_REALWORLD2")
            .map(PathBuf::from)
            .unwrap_or_else(|| first.with_file_name(corpus.name)),
    };
    path.join("MANIFEST.md").is_file().then_some(path)
}

struct Fact {
    id: String,
    kind: String,
    repo: String,
    path: String,
    line: u64,
}

struct Manifest {
    /// (repository, ospolint role, listed path or "none").
    inventory: Vec<(String, String, String)>,
    facts: Vec<Fact>,
}

/// `### owner/name` → `owner__name`.
fn repo_heading(line: &str) -> Option<String> {
    let name = line.strip_prefix("### ")?.trim();
    let (owner, repo) = name.split_once('/')?;
    Some(format!("{owner}__{repo}"))
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

fn parse_manifest(text: &str) -> Manifest {
    let (head, facts_part) = text
        .split_once("## Verified quality facts and traps")
        .expect("manifest has a facts section");
    let inventory_part = head
        .split_once("## Verified inventory")
        .expect("manifest has an inventory")
        .1;
    let mut inventory = Vec::new();
    let mut repo = None;
    for line in inventory_part.lines() {
        if let Some(r) = repo_heading(line) {
            repo = Some(r);
            continue;
        }
        let row = cells(line);
        let (Some(repo), Some(role)) = (
            &repo,
            ROLES
                .iter()
                .find(|(name, _, _)| row.first().map(String::as_str) == Some(name)),
        ) else {
            continue;
        };
        let listed = row.get(1).cloned().unwrap_or_default();
        if listed.starts_with("none") {
            inventory.push((repo.clone(), role.1.to_string(), "none".to_string()));
            continue;
        }
        for path in listed.split(';') {
            let path = path
                .trim()
                .split(' ')
                .next()
                .unwrap_or("")
                .trim_matches('`');
            if !path.is_empty() {
                inventory.push((repo.clone(), role.1.to_string(), path.to_string()));
            }
        }
    }
    let mut facts = Vec::new();
    let mut repo = None;
    for line in facts_part.lines() {
        if let Some(r) = repo_heading(line) {
            repo = Some(r);
            continue;
        }
        let row = cells(line);
        let (Some(repo), true) = (&repo, row.len() >= 6 && row[2].starts_with('`')) else {
            continue;
        };
        let location = row[2].trim_matches('`');
        let (path, line) = location.rsplit_once(':').expect("location is path:line");
        facts.push(Fact {
            id: row[0].clone(),
            kind: row[1].clone(),
            repo: repo.clone(),
            path: path.to_string(),
            line: line.parse().expect("line number"),
        });
    }
    Manifest { inventory, facts }
}

/// Runs ospolint; asserts it neither panicked nor failed with a usage or configuration error.
fn run(args: &[&str], today: &str) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_ospolint"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("OSPOLINT_TODAY", today)
        .output()
        .expect("ospolint runs");
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "ospolint {args:?} ended with {code:?}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

/// Glob-like match for manifest entries such as `governance/board/*.md`.
fn listed_matches(listed: &str, path: &str) -> bool {
    match listed.split_once('*') {
        Some((prefix, suffix)) => {
            path.starts_with(prefix)
                && path.ends_with(suffix)
                && !path[prefix.len()..].contains('/')
        }
        None => listed == path,
    }
}

#[test]
fn realworld_corpus() {
    check_corpus(&CORPORA[0]);
}

#[test]
fn realworld2_corpus() {
    check_corpus(&CORPORA[1]);
}

fn check_corpus(corpus: &Corpus) {
    let Some(root) = corpus_root(corpus) else {
        println!(
            "skipping {0}: no corpus at ../shared/{0} (set OSPOLINT_REALWORLD to the first corpus's path)",
            corpus.name
        );
        return;
    };
    let manifest = parse_manifest(
        &std::fs::read_to_string(root.join("MANIFEST.md")).expect("manifest readable"),
    );
    let configs = tempfile::tempdir().expect("temporary folder");
    let mut repos: Vec<String> = std::fs::read_dir(&root)
        .expect("corpus readable")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    repos.sort();
    assert!(
        repos.len() >= 10,
        "{} holds at least ten repositories, found {}",
        corpus.name,
        repos.len()
    );

    let mut artifacts: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    // Findings of the default run, and of a run with `--all-documents`.
    let mut findings: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut all_findings: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    // Documents that are not live (archives, minutes, changelogs, translations…), by repository.
    let mut set_apart: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for repo in &repos {
        let config = configs.path().join(format!("{repo}.toml"));
        let tree = root.join(format!("{repo}.tree.txt"));
        std::fs::write(
            &config,
            format!("tree_file = {:?}\n", tree.display().to_string()),
        )
        .expect("config written");
        let config = config.display().to_string();
        let path = root.join(repo).display().to_string();
        let listed = run(
            &["artifacts", "--format", "json", "--config", &config, &path],
            corpus.today,
        );
        let roles = listed["repositories"][0]["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .map(|role| {
                let mut places: Vec<String> = role["files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect();
                let files = places.len();
                places.extend(
                    role["stand_ins"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|s| s["path"].as_str().map(str::to_string)),
                );
                // Files first, then stand-ins, marked so "none" can tell them apart.
                places.insert(files, "|".to_string());
                (
                    role["role"].as_str().unwrap_or_default().to_string(),
                    places,
                )
            });
        artifacts.insert(repo.clone(), roles.collect());
        set_apart.insert(
            repo.clone(),
            listed["repositories"][0]["documents"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["lifecycle"] != "live")
                .map(|d| d["path"].as_str().unwrap_or_default().to_string())
                .collect(),
        );
        for (all_documents, into) in [(false, &mut findings), (true, &mut all_findings)] {
            let mut args = vec![
                "check",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--config",
                &config,
                &path,
            ];
            if all_documents {
                args.push("--all-documents");
            }
            let report = run(&args, corpus.today);
            into.insert(
                repo.clone(),
                report["repositories"][0]["findings"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
    }

    let mut failures = Vec::new();
    let mut table = Vec::new();

    // Inventory.
    let mut gaps_seen = Vec::new();
    let mut extras_seen = Vec::new();
    for (repo, role, listed) in &manifest.inventory {
        let Some(roles) = artifacts.get(repo) else {
            failures.push(format!("{repo}: not listed by `ospolint artifacts`"));
            continue;
        };
        // The row's role and the roles that fill the same row: files first, then stand-ins.
        let (mut files, mut stand_ins): (Vec<&String>, Vec<&String>) = (Vec::new(), Vec::new());
        let also = ROLES
            .iter()
            .find(|(_, r, _)| r == role)
            .map_or(&[][..], |(_, _, also)| also);
        for name in std::iter::once(role.as_str()).chain(also.iter().copied()) {
            let Some(places) = roles.get(name) else {
                failures.push(format!(
                    "{repo}: role `{name}` missing from `ospolint artifacts`"
                ));
                continue;
            };
            let split = places.iter().position(|p| p == "|").unwrap_or(places.len());
            files.extend(&places[..split]);
            stand_ins.extend(&places[split + 1..]);
        }
        if listed == "none" {
            for file in files {
                match INVENTORY_EXTRAS
                    .iter()
                    .find(|(r, ro, p, _)| r == repo && ro == role && p == file)
                {
                    Some((_, _, _, why)) => {
                        extras_seen.push((repo.clone(), file.clone()));
                        table.push(format!("inventory  extra  {repo} {role} {file}: {why}"));
                    }
                    None => failures.push(format!(
                        "{repo}: the manifest lists no {role}, ospolint resolves {file}"
                    )),
                }
            }
            continue;
        }
        let found = files
            .iter()
            .chain(&stand_ins)
            .any(|p| listed_matches(listed, p));
        let gap = INVENTORY_GAPS
            .iter()
            .find(|(r, ro, p, _)| r == repo && ro == role && p == listed);
        match (found, gap) {
            (true, None) => {}
            (true, Some(_)) => failures.push(format!(
                "{repo}: {role} at {listed} is now found: remove it from INVENTORY_GAPS"
            )),
            (false, Some((_, _, _, why))) => {
                gaps_seen.push(listed.clone());
                table.push(format!("inventory  gap  {repo} {role} {listed}: {why}"));
            }
            (false, None) => failures.push(format!(
                "{repo}: {role} not found at {listed} (ospolint: {files:?} | {stand_ins:?})"
            )),
        }
    }
    for (repo, role, path, _) in INVENTORY_EXTRAS {
        if repos.contains(&repo.to_string())
            && !extras_seen.iter().any(|(r, p)| r == repo && p == path)
        {
            failures.push(format!("INVENTORY_EXTRAS lists {repo} {role} {path}, which ospolint no longer resolves or the manifest now lists"));
        }
    }
    for (repo, role, path, _) in INVENTORY_GAPS {
        if !repos.contains(&repo.to_string()) {
            continue;
        }
        if !gaps_seen.iter().any(|p| p == path) {
            failures.push(format!("INVENTORY_GAPS lists {repo} {role} {path}, which the manifest no longer lists or ospolint now finds"));
        }
    }
    // Every repository's license file is copied with it.
    for repo in &repos {
        let license = artifacts
            .get(repo)
            .and_then(|r| r.get("license"))
            .map(|p| p.first().map(String::as_str) != Some("|"));
        if license != Some(true) {
            failures.push(format!("{repo}: no license file resolved"));
        }
    }

    // The default run judges live documents only.
    for (repo, paths) in &set_apart {
        for finding in &findings[repo] {
            if let Some(path) = finding["path"].as_str().filter(|p| paths.contains(*p)) {
                failures.push(format!(
                    "{repo}: {} reported in {path}, which is not a live document",
                    finding["rule"]
                ));
            }
        }
    }

    // Verified facts and traps: in a document that is not live, as `--all-documents` reports it;
    // a trap stays quiet in both runs.
    for fact in &manifest.facts {
        let apart = set_apart[&fact.repo].contains(&fact.path);
        let at = |report: &BTreeMap<String, Vec<Value>>| -> Vec<Value> {
            report[&fact.repo]
                .iter()
                .filter(|f| {
                    f["path"].as_str() == Some(fact.path.as_str())
                        && f["line"].as_u64() == Some(fact.line)
                })
                .cloned()
                .collect()
        };
        let here_owned = if apart {
            at(&all_findings)
        } else {
            at(&findings)
        };
        let here: Vec<&Value> = here_owned.iter().collect();
        let where_found = if apart { " (--all-documents)" } else { "" };
        let describe = |fs: &[&Value]| {
            fs.iter()
                .map(|f| {
                    format!(
                        "{} {}",
                        f["severity"].as_str().unwrap_or(""),
                        f["rule"].as_str().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if fact.kind == "TRAP" {
            let anchor = TRAPS_AT_ANCHORS.iter().find(|(id, _, _)| *id == fact.id);
            let loud: Vec<&Value> = here
                .iter()
                .copied()
                .filter(|f| f["severity"] != "info")
                .filter(|f| anchor.is_none_or(|(_, rule, _)| f["rule"] == *rule))
                .collect();
            if loud.is_empty() {
                table.push(format!(
                    "{:4} {:15} {}:{}  quiet{where_found}{}",
                    fact.id,
                    fact.kind,
                    fact.path,
                    fact.line,
                    if here.is_empty() {
                        String::new()
                    } else {
                        format!(" (info: {})", describe(&here))
                    }
                ));
            } else {
                failures.push(format!(
                    "trap {} at {}/{}:{} gets {}",
                    fact.id,
                    fact.repo,
                    fact.path,
                    fact.line,
                    describe(&loud)
                ));
            }
            continue;
        }
        let expected_rule = match fact.kind.as_str() {
            "PLACEHOLDER" => Some("hygiene/placeholder-text"),
            "EMPTY-HEADING" => Some("hygiene/empty-section"),
            "BROKEN-LINK" => Some("hygiene/broken-relative-link"),
            _ => None,
        };
        let reported: Vec<&Value> = here
            .iter()
            .copied()
            .filter(|f| expected_rule.is_none_or(|r| f["rule"] == r))
            .collect();
        let out_of_reach = OUT_OF_REACH.iter().find(|(id, _)| *id == fact.id);
        let required = corpus.required_kinds.contains(&fact.kind.as_str());
        match (reported.is_empty(), out_of_reach) {
            (true, None) if !required => table.push(format!(
                "{:4} {:15} {}:{}  not reported ({} facts are not asserted here)",
                fact.id, fact.kind, fact.path, fact.line, fact.kind
            )),
            (false, None) => table.push(format!(
                "{:4} {:15} {}:{}  reported{where_found} by {}",
                fact.id,
                fact.kind,
                fact.path,
                fact.line,
                describe(&reported)
            )),
            (true, Some((_, why))) => table.push(format!(
                "{:4} {:15} {}:{}  OUT OF REACH: {why}",
                fact.id, fact.kind, fact.path, fact.line
            )),
            (false, Some(_)) => failures.push(format!(
                "fact {} is now reported: remove it from OUT_OF_REACH",
                fact.id
            )),
            (true, None) => failures.push(format!(
                "fact {} ({}) at {}/{}:{} not reported (findings there: [{}])",
                fact.id,
                fact.kind,
                fact.repo,
                fact.path,
                fact.line,
                describe(&here)
            )),
        }
    }
    assert!(
        manifest.facts.len() >= corpus.facts,
        "the {} manifest lists {} facts and traps, parsed {}",
        corpus.name,
        corpus.facts,
        manifest.facts.len()
    );

    for row in &table {
        println!("{row}");
    }
    assert!(
        failures.is_empty(),
        "{} failures on {}:\n{}",
        failures.len(),
        corpus.name,
        failures.join("\n")
    );
}
