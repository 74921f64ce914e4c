//! The project-level rules (legal, contributing, community, security, governance, mentoring,
//! hygiene): each passes on `fixtures/healthy-project` and fails on a targeted fixture; snapshots
//! hold every finding of those fixtures. `fixtures/realworld-shapes` and
//! `fixtures/hygiene-precision` keep the shapes that real repositories use — and that once produced
//! false positives — finding-free.

mod common;

use common::{check_json, code, ospolint, stderr, stdout};
use serde_json::Value;

/// The rules this file covers, with the catalog's petal, stage, default severity and profiles.
const PROJECT_RULES: &[(&str, &str, &str, &str)] = &[
    ("legal/license-file", "legal", "ad-hoc", "error"),
    (
        "contributing/guide-present",
        "ecosystem",
        "strategy",
        "error",
    ),
    (
        "contributing/setup",
        "individual-contributors",
        "strategy",
        "error",
    ),
    ("contributing/submission", "ecosystem", "strategy", "error"),
    (
        "contributing/review-process",
        "ecosystem",
        "community",
        "warning",
    ),
    (
        "contributing/requirements",
        "ecosystem",
        "community",
        "warning",
    ),
    ("contributing/dco-cla", "legal", "community", "error"),
    ("contributing/coc-link", "ecosystem", "strategy", "warning"),
    (
        "contributing/newcomer-tasks",
        "individual-contributors",
        "community",
        "info",
    ),
    ("contributing/templates", "ecosystem", "community", "info"),
    (
        "community/code-of-conduct",
        "ecosystem",
        "strategy",
        "error",
    ),
    (
        "community/support-channels",
        "ecosystem",
        "strategy",
        "warning",
    ),
    ("security/policy", "ospo", "strategy", "error"),
    ("governance/model", "ecosystem", "community", "error"),
    ("governance/maintainers", "ecosystem", "community", "error"),
    (
        "governance/roles-ladder",
        "individual-contributors",
        "community",
        "warning",
    ),
    (
        "mentoring/program",
        "individual-contributors",
        "community",
        "warning",
    ),
    (
        "mentoring/mentee-onboarding",
        "individual-contributors",
        "community",
        "warning",
    ),
    (
        "mentoring/ideas-list",
        "individual-contributors",
        "community",
        "warning",
    ),
    (
        "mentoring/timeline",
        "individual-contributors",
        "community",
        "warning",
    ),
    (
        "mentoring/evaluation-outcomes",
        "individual-contributors",
        "leader",
        "warning",
    ),
    ("hygiene/placeholder-text", "any", "awareness", "warning"),
    ("hygiene/empty-section", "any", "awareness", "warning"),
    ("hygiene/broken-relative-link", "any", "awareness", "error"),
    ("hygiene/stale-review", "any", "strategy", "warning"),
    ("hygiene/stale-content", "any", "awareness", "warning"),
    ("hygiene/doc-owner", "any", "strategy", "warning"),
];

/// Fixtures built to fail the rules above.
const FAILING: &[&str] = &[
    "project-gaps",
    "project-weak",
    "mentoring-incomplete",
    "hygiene-precision",
    "section-shapes",
    "stale-content",
    "template-declared",
    "bare-project",
];

fn is_project_rule(id: &str) -> bool {
    PROJECT_RULES.iter().any(|(rule, ..)| *rule == id)
}

fn report(fixture: &str) -> Value {
    check_json(&["--fail-on", "never", &format!("fixtures/{fixture}")])
}

/// The project rules' findings, one per line: `severity rule path:line message`.
fn lines(report: &Value) -> String {
    let mut out = Vec::new();
    for repo in report["repositories"].as_array().into_iter().flatten() {
        for f in repo["findings"].as_array().into_iter().flatten() {
            let rule = f["rule"].as_str().unwrap_or_default();
            if !is_project_rule(rule) {
                continue;
            }
            let at = match (f["path"].as_str(), f["line"].as_u64()) {
                (Some(path), Some(line)) => format!("{path}:{line}"),
                (Some(path), None) => path.to_string(),
                _ => "(repository)".to_string(),
            };
            out.push(format!(
                "{:<7} {rule} {at}: {}",
                f["severity"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default()
            ));
        }
    }
    out.join("\n")
}

fn fired(report: &Value) -> Vec<String> {
    let mut rules: Vec<String> = common::rules_fired(report)
        .into_iter()
        .filter(|r| is_project_rule(r))
        .collect();
    rules.dedup();
    rules
}

#[test]
fn the_rules_are_listed_as_in_the_catalog() {
    let output = ospolint(&["rules", "--format", "json"]);
    let listed: Value = serde_json::from_slice(&output.stdout).expect("JSON rule list");
    for (id, petal, stage, severity) in PROJECT_RULES {
        let rule = listed["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["id"] == *id)
            .unwrap_or_else(|| panic!("{id} is not listed"));
        assert_eq!(
            (
                rule["petal"].as_str(),
                rule["stage"].as_str(),
                rule["severity"].as_str()
            ),
            (Some(*petal), Some(*stage), Some(*severity)),
            "{id}"
        );
        assert_eq!(
            rule["profiles"],
            serde_json::json!(["project", "ospo"]),
            "{id} applies to every repository"
        );
    }
}

#[test]
fn every_rule_has_a_failing_fixture_and_passes_the_healthy_project() {
    let healthy = report("healthy-project");
    assert_eq!(
        lines(&healthy),
        "",
        "the healthy project passes every project rule"
    );
    assert_eq!(
        healthy["repositories"][0]["findings"],
        serde_json::json!([]),
        "and every other rule too"
    );
    let mut covered: Vec<String> = FAILING.iter().flat_map(|f| fired(&report(f))).collect();
    covered.sort();
    covered.dedup();
    let missing: Vec<&str> = PROJECT_RULES
        .iter()
        .map(|r| r.0)
        .filter(|id| !covered.iter().any(|c| c == id))
        .collect();
    assert!(missing.is_empty(), "no failing fixture for {missing:?}");
}

#[test]
fn missing_files() {
    insta::assert_snapshot!("project_gaps", lines(&report("project-gaps")));
}

#[test]
fn files_present_but_weak() {
    insta::assert_snapshot!("project_weak", lines(&report("project-weak")));
}

#[test]
fn incomplete_mentoring_program() {
    insta::assert_snapshot!(
        "mentoring_incomplete",
        lines(&report("mentoring-incomplete"))
    );
}

#[test]
fn hygiene_precision() {
    let report = report("hygiene-precision");
    insta::assert_snapshot!("hygiene_precision", lines(&report));
    let at: Vec<(String, Option<u64>)> = report["repositories"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["path"] == "README.md" && f["severity"] != "info")
        .map(|f| (f["rule"].to_string(), f["line"].as_u64()))
        .collect();
    // TODO Group, the TODO Community, code, inline code, URLs, a passing mention in a comment and a
    // README's section called "TODO" (its roadmap, lines 3–15) are not placeholders; the working
    // links (lines 27–31) are not broken (those the site serves are an info that says so); a
    // section holding a bare URL (line 40) is not empty.
    for line in [3, 7, 8, 11, 15, 27, 28, 29, 30, 31, 40] {
        assert!(
            !at.iter().any(|(_, l)| *l == Some(line)),
            "nothing at README.md:{line}: {at:?}"
        );
    }
}

#[test]
fn empty_sections_by_what_the_heading_is_for() {
    // A title before its first section, a folder's group page, a form of prompt headings, label
    // headings, `#` comments inside a Hugo shortcode block and a dashed metadata block are not
    // empty sections; the one real empty section (README.md:8) is.
    insta::assert_snapshot!("section_shapes", lines(&report("section-shapes")));
}

#[test]
fn statements_about_a_future_that_has_passed() {
    // Measured against the newest date in the documents (notes/2025-05-20-call.md); dated notes,
    // news, records ("finished by") and dates still ahead are not reported.
    insta::assert_snapshot!("stale_content", lines(&report("stale-content")));
}

#[test]
fn stale_content_is_measured_against_the_last_commit() {
    let git_runs = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !git_runs {
        println!("skipped: git is not installed");
        return;
    }
    let repo = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        repo.path().join("README.md"),
        "# Meetups\n\nThe next meetup will be held on 12 April 2024 in Ghent.\n\n## Temporary maintainer\n\nAda (@ada) keeps the page current.\n",
    )
    .expect("readme written");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .current_dir(repo.path())
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(args)
            .env("GIT_COMMITTER_DATE", "2025-01-10T12:00:00Z")
            .env("GIT_AUTHOR_DATE", "2025-01-10T12:00:00Z")
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}");
    };
    git(&["init", "--quiet"]);
    git(&["add", "README.md"]);
    git(&["commit", "--quiet", "-m", "meetup page"]);
    let report = check_json(&[
        "--fail-on",
        "never",
        repo.path().to_str().expect("utf-8 path"),
    ]);
    let messages: Vec<String> = report["repositories"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "hygiene/stale-content")
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect();
    // The commit is older than a review interval before the tests' today (2026-11-01): the
    // interim arrangement has outlived it.
    assert_eq!(
        messages,
        vec![
            "says \"will be held on 12 April 2024\"; the repository's newest date is 2025-01-10 (last commit)",
            "\"Temporary maintainer\" names an interim arrangement, and the repository's newest date is 2025-01-10 (last commit), more than 12 months ago",
        ]
    );
}

#[test]
fn template_declared_in_configuration() {
    let report = report("template-declared");
    insta::assert_snapshot!("template_declared", lines(&report));
    let hygiene: Vec<&Value> = report["repositories"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["rule"]
                .as_str()
                .is_some_and(|r| r.starts_with("hygiene/"))
        })
        .collect();
    assert!(
        !hygiene.is_empty() && hygiene.iter().all(|f| f["severity"] == "info"),
        "template placeholders are infos: {hygiene:?}"
    );
}

/// One rule's findings, one per line: `severity path:line message`.
fn rule_lines(report: &Value, rule: &str) -> String {
    let mut out = Vec::new();
    for f in report["repositories"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if f["rule"] == rule {
            out.push(format!(
                "{:<7} {}:{}: {}",
                f["severity"].as_str().unwrap_or_default(),
                f["path"].as_str().unwrap_or_default(),
                f["line"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default()
            ));
        }
    }
    out.join("\n")
}

#[test]
fn every_placeholder_shape_is_found_where_it_stands() {
    let report = report("placeholder-shapes");
    let found = rule_lines(&report, "hygiene/placeholder-text");
    insta::assert_snapshot!("placeholder_shapes", found);
    // Every line of the plan from the first TBD to the lorem ipsum holds one shape.
    let checklist = [
        3, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 25, 29, 33, 34, 38, 40, 44, 46, 50, 55,
        57,
    ];
    for line in checklist {
        assert!(
            found.contains(&format!("docs/meetup-plan.md:{line}: ")),
            "a placeholder at docs/meetup-plan.md:{line}:\n{found}"
        );
    }
    for at in [
        "docs/faq.md:1: the document is empty",
        "docs/mentor-handbook.md:1: the page has nothing but its title",
        "docs/onboarding.md:3: stub notice",
        // A schedule's open slot after its last filled row is a hint; one before it is a gap.
        "warning docs/presentations.md:7:",
        "info    docs/presentations.md:9:",
        // A cookiecutter template folder.
        "info    starter/README.md:1:",
    ] {
        assert!(found.contains(at), "{at}:\n{found}");
    }
}

#[test]
fn names_and_positions_that_are_not_placeholders() {
    let report = report("placeholder-names");
    assert_eq!(rule_lines(&report, "hygiene/placeholder-text"), "");
}

#[test]
fn template_detected_from_its_readme() {
    let report = report("template-evidence");
    insta::assert_snapshot!(
        "template_evidence",
        rule_lines(&report, "hygiene/placeholder-text")
    );
    let placeholders: Vec<&Value> = report["repositories"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == "hygiene/placeholder-text")
        .collect();
    assert!(
        !placeholders.is_empty()
            && placeholders.iter().all(|f| f["severity"] == "info"
                && f["help"]
                    .as_str()
                    .is_some_and(|h| h.contains("README.md says"))),
        "the README makes the repository a template: {placeholders:?}"
    );
}

#[test]
fn real_world_shapes_are_not_findings() {
    // A security policy kept in the organization's .github repository, linked from a one-line
    // SECURITY.md, is present: the only word about it is the info that its content is elsewhere.
    let report = lines(&report("realworld-shapes"));
    let (infos, others): (Vec<&str>, Vec<&str>) =
        report.lines().partition(|l| l.starts_with("info "));
    assert!(others.is_empty(), "{report}");
    assert!(
        infos
            .iter()
            .all(|l| l.ends_with("its content cannot be checked offline")),
        "{report}"
    );
}

#[test]
fn a_guide_is_read_with_the_documents_it_links_to() {
    let report = report("linked-guide");
    let contributing: Vec<String> = fired(&report)
        .into_iter()
        .filter(|r| r.starts_with("contributing/") && r != "contributing/templates")
        .collect();
    assert!(
        contributing.is_empty(),
        "the processes document the guide links to has every section: {contributing:?}"
    );
}

#[test]
fn obfuscated_addresses_are_private_channels() {
    let repo = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        repo.path().join("SECURITY.md"),
        "# Security policy\n\nReport vulnerabilities privately to security [at] example [dot] org; we reply within two days.\n",
    )
    .expect("policy written");
    let report = check_json(&[
        "--fail-on",
        "never",
        repo.path().to_str().expect("utf-8 path"),
    ]);
    assert!(
        !common::rules_fired(&report).contains(&"security/policy".to_string()),
        "{report}"
    );
}

#[test]
fn review_dates_are_measured_against_today() {
    let run = |today: &str, config: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ospolint"));
        command
            .current_dir(common::root())
            .env("OSPOLINT_TODAY", today)
            .args(["check", "--format", "json", "--fail-on", "never"]);
        if let Some(config) = config {
            command.args(["--config", config]);
        }
        let output = command
            .arg("fixtures/healthy-project")
            .output()
            .expect("ospolint runs");
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        common::rules_fired(&report).contains(&"hygiene/stale-review".to_string())
    };
    assert!(
        !run("2027-08-01", None),
        "GOVERNANCE.md was reviewed on 2026-09-15, within twelve months"
    );
    assert!(run("2027-10-01", None), "and is due a year later");
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = dir.path().join("ospolint.toml");
    std::fs::write(&config, "review_interval_months = 1\n").expect("config written");
    assert!(
        run("2026-11-01", config.to_str()),
        "SECURITY.md, reviewed on 2026-10-01, is stale after one month"
    );
}

#[test]
fn bad_today_and_missing_tree_file_are_usage_errors() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ospolint"))
        .current_dir(common::root())
        .env("OSPOLINT_TODAY", "next tuesday")
        .args(["check", "fixtures/healthy-project"])
        .output()
        .expect("ospolint runs");
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("OSPOLINT_TODAY"),
        "{}",
        stderr(&output)
    );

    let dir = tempfile::tempdir().expect("temporary folder");
    let config = dir.path().join("ospolint.toml");
    std::fs::write(&config, "tree_file = \"nowhere.txt\"\n").expect("config written");
    let output = ospolint(&[
        "check",
        "--config",
        config.to_str().expect("utf-8 path"),
        "fixtures/healthy-project",
    ]);
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!(
        "missing_tree_file",
        stderr(&output).replace(&dir.path().display().to_string(), "[dir]")
    );
}

#[test]
fn artifacts_lists_what_each_role_resolves_to() {
    let output = ospolint(&["artifacts", "fixtures/healthy-project"]);
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!("artifacts_healthy_project", stdout(&output));
    let json: Value = serde_json::from_slice(
        &ospolint(&["artifacts", "--format", "json", "fixtures/realworld-shapes"]).stdout,
    )
    .expect("JSON");
    let support = json["repositories"][0]["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["role"] == "support")
        .expect("support role");
    assert_eq!(support["files"], serde_json::json!([]));
    assert_eq!(
        support["stand_ins"][0]["kind"], "section",
        "CONTRIBUTING's Support section stands in: {support}"
    );
}

#[test]
fn source_files_play_no_role_whatever_their_name() {
    let repo = common::temp_repo(&[
        ("README.md", "# Widgets\n\nA widget library.\n"),
        ("src/evaluation.py", "def evaluate(): pass\n"),
        ("web/timeline.js", "export const timeline = [];\n"),
        (
            "docs/mentoring/timeline.md",
            "# Timeline\n\n- 2026-03-01: applications open\n",
        ),
    ]);
    let json: Value = serde_json::from_slice(
        &common::ospolint_in(repo.path(), &["artifacts", "--format", "json"]).stdout,
    )
    .expect("JSON");
    let files = |role: &str| {
        json["repositories"][0]["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["role"] == role)
            .map(|r| r["files"].clone())
            .unwrap_or_default()
    };
    assert_eq!(
        files("mentoring-docs"),
        serde_json::json!(["docs/mentoring/timeline.md"])
    );
    assert_eq!(
        files("mentoring-timeline"),
        serde_json::json!(["docs/mentoring/timeline.md"])
    );
}
