//! Stand-ins: a role filled by a section of another document, a pointer to a document of the
//! repository (by path, by its GitHub URL or by its published page), a pointer to a policy kept
//! outside it, a machine-readable declaration, an OWNERS-style file, or the organization's
//! `.github` repository; and topic checks that accept the ways people write a topic. Each fixture's
//! roles (`ospolint artifacts`) and findings outside `hygiene/` are snapshots.

mod common;

use common::{check_json, ospolint, stdout};
use serde_json::Value;

/// The roles that something plays, as `ospolint artifacts` prints them.
fn roles(args: &[&str]) -> String {
    let mut all = vec!["artifacts"];
    all.extend_from_slice(args);
    stdout(&ospolint(&all))
        .lines()
        .filter(|l| l.starts_with("  ") && !l.trim_end().ends_with(" -"))
        .filter(|l| !l.trim_start().starts_with("documents:"))
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The line of `roles` (see [`roles`]) about `role`; empty when there is none.
fn role_line<'a>(roles: &'a str, role: &str) -> &'a str {
    roles
        .lines()
        .find(|l| l.trim_start().starts_with(role))
        .unwrap_or_default()
}

/// Every finding outside `hygiene/`, one per line: `severity rule path:line message`.
fn findings(args: &[&str]) -> String {
    let mut all = vec!["--fail-on", "never"];
    all.extend_from_slice(args);
    let report: Value = check_json(&all);
    let mut out = Vec::new();
    for repo in report["repositories"].as_array().into_iter().flatten() {
        for f in repo["findings"].as_array().into_iter().flatten() {
            let rule = f["rule"].as_str().unwrap_or_default();
            if rule.starts_with("hygiene/") {
                continue;
            }
            let at = match (f["path"].as_str(), f["line"].as_u64()) {
                (Some(path), Some(line)) => format!("{path}:{line}"),
                (Some(path), None) => path.to_string(),
                _ => format!("({})", repo["path"].as_str().unwrap_or_default()),
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

fn rules_fired(args: &[&str]) -> Vec<String> {
    let mut all = vec!["--fail-on", "never"];
    all.extend_from_slice(args);
    common::rules_fired(&check_json(&all))
}

#[test]
fn sections_of_other_documents_stand_in() {
    let fixture = "fixtures/standin-sections";
    let roles = roles(&[fixture]);
    insta::assert_snapshot!(roles);
    // README § Maintainers with two handles, CONTRIBUTING § Governance, README § Getting help.
    let fired = rules_fired(&[fixture]);
    for rule in [
        "governance/maintainers",
        "governance/model",
        "community/support-channels",
    ] {
        assert!(!fired.contains(&rule.to_string()), "{rule}: {fired:?}");
    }
}

#[test]
fn pointers_are_followed_by_path_github_url_and_site_url() {
    let fixture = "fixtures/standin-pointers";
    let roles = roles(&[fixture]);
    insta::assert_snapshot!(roles);
    assert!(
        roles.contains("security/README.md (via .github/SECURITY.md)"),
        "{roles}"
    );
    assert!(
        roles.contains("docs/guides/how-to-contribute.md (via CONTRIBUTING.md)"),
        "{roles}"
    );
    assert!(roles.contains("docs/help.md (via SUPPORT.md)"), "{roles}");
    // Findings about the target say which stub led there.
    let findings = findings(&[fixture]);
    insta::assert_snapshot!(findings);
    assert!(
        findings.contains("security/README.md: security/README.md does not mention how soon reporters can expect a response (via .github/SECURITY.md)"),
        "{findings}"
    );
}

#[test]
fn an_external_pointer_is_present_but_not_judged() {
    let findings = findings(&["fixtures/standin-external"]);
    insta::assert_snapshot!(findings);
    for rule in ["community/code-of-conduct", "security/policy"] {
        assert!(!findings.contains(&format!("error   {rule}")), "{findings}");
        assert!(!findings.contains(&format!("warning {rule}")), "{findings}");
    }
}

#[test]
fn a_licence_only_in_a_manifest_or_the_readme_is_a_warning() {
    let manifest = findings(&["fixtures/standin-license-manifest"]);
    let readme = findings(&["fixtures/standin-license-readme"]);
    let license = |all: &str| -> String {
        all.lines()
            .filter(|l| l.contains("legal/license-file"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    insta::assert_snapshot!(format!("{}\n{}", license(&manifest), license(&readme)));
    assert!(license(&manifest).starts_with("warning"), "{manifest}");
    assert!(license(&readme).starts_with("warning"), "{readme}");
    // Without either, no licence at all is still the error.
    let bare = findings(&["fixtures/bare-project"]);
    assert!(
        bare.contains("error   legal/license-file (fixtures/bare-project): no license file"),
        "{bare}"
    );
}

#[test]
fn owners_files_and_security_contacts_name_the_maintainers() {
    let fixture = "fixtures/standin-owners";
    let roles = roles(&[fixture]);
    let findings = findings(&[fixture]);
    insta::assert_snapshot!(format!("{roles}\n\n{findings}"));
    assert!(!findings.contains("governance/maintainers"), "{findings}");
    // SECURITY_CONTACTS sends reporters to a process kept elsewhere: an info, not an error.
    assert!(
        findings.contains("info    security/policy SECURITY_CONTACTS: SECURITY_CONTACTS only points to a security policy kept elsewhere"),
        "{findings}"
    );
}

#[test]
fn the_organizations_github_repository_stands_in() {
    let org = "fixtures/standin-org";
    let roles = roles(&["--org", org]);
    let findings = findings(&["--org", org]);
    insta::assert_snapshot!(format!("{roles}\n\n{findings}"));
    assert!(
        roles.contains("fixtures/standin-org/.github/.github/CODE_OF_CONDUCT.md (from the organization's .github)"),
        "{roles}"
    );
    // The repository's own security policy wins over the organization's.
    assert!(
        roles.contains("security             SECURITY.md"),
        "{roles}"
    );
    assert!(
        !findings.contains("error   community/code-of-conduct"),
        "{findings}"
    );
    assert!(
        !findings.contains("error   contributing/guide-present"),
        "{findings}"
    );
    // A licence is never inherited.
    let lamp = self::roles(&["fixtures/standin-org/lamp"]);
    assert!(!lamp.contains("organization"), "{lamp}");
}

#[test]
fn org_defaults_in_the_configuration_stand_in_for_one_repository() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let repo = dir.path().join("lamp");
    std::fs::create_dir_all(&repo).expect("repository folder");
    std::fs::write(repo.join("README.md"), "# lamp\n\nA lamp.\n").expect("readme");
    let github = common::fixture("standin-org").join(".github");
    std::fs::write(
        repo.join("ospolint.toml"),
        format!("org_defaults = {:?}\n", github.display().to_string()),
    )
    .expect("configuration");
    let output = common::ospolint_in(&repo, &["artifacts", "."]);
    let text = stdout(&output);
    assert!(
        text.contains(".github/CODE_OF_CONDUCT.md (from the organization's .github)"),
        "{text}"
    );
    // A folder that does not exist is a configuration error that points at the key.
    std::fs::write(
        repo.join("ospolint.toml"),
        "org_defaults = \"../missing\"\n",
    )
    .expect("configuration");
    let output = common::ospolint_in(&repo, &["check", "."]);
    assert_eq!(common::code(&output), 2);
    assert!(
        common::stderr(&output).contains("org_defaults folder `../missing`"),
        "{}",
        common::stderr(&output)
    );
}

#[test]
fn topics_are_recognised_in_the_words_people_use() {
    let fixture = "fixtures/topics-tolerant";
    let findings = findings(&[fixture]);
    insta::assert_snapshot!(findings);
    // "within three (3) business days" is a response time.
    assert!(!findings.contains("security/policy"), "{findings}");
    // `git commit -s` in a code block is the DCO.
    assert!(
        !findings.contains("error   contributing/dco-cla"),
        "{findings}"
    );
    assert!(
        !findings.contains("neither a DCO sign-off nor a CLA"),
        "{findings}"
    );
    // "Contribution Rules" where a maintainer approves is the review process, with its time.
    assert!(
        !findings.contains("contributing/review-process"),
        "{findings}"
    );
}

#[test]
fn contribution_terms_and_release_sections_of_the_contributing_guide_stand_in() {
    let fixture = "fixtures/standin-policy-sections";
    let roles = roles(&[fixture]);
    insta::assert_snapshot!(roles);
    // A section whose text asks for a sign-off, under a heading that says nothing of it.
    assert!(
        role_line(&roles, "outbound-policy")
            .contains("CONTRIBUTING.md:8 (section \"Contributing code\")"),
        "{roles}"
    );
    // A README's licence section is the project's licence, not the terms for contributions.
    assert!(
        !role_line(&roles, "outbound-policy").contains("README.md"),
        "{roles}"
    );
    assert!(
        role_line(&roles, "release-policy").contains("CONTRIBUTING.md:13 (section \"Versioning\")"),
        "{roles}"
    );
}

#[test]
fn companion_pages_play_the_role_with_the_document_they_accompany() {
    let fixture = "fixtures/companion-pages";
    let roles = roles(&[fixture]);
    insta::assert_snapshot!(roles);
    // The untitled incident process beside the code, in a conduct folder; not the template.
    assert!(
        role_line(&roles, "code-of-conduct").contains("conduct/incident-process.md"),
        "{roles}"
    );
    assert!(
        !role_line(&roles, "code-of-conduct").contains("conduct/report-template.md"),
        "{roles}"
    );
    // The page the policy, its folder's index, links to; not the unlinked page beside it.
    assert!(
        role_line(&roles, "outbound-policy").contains("handbook/upstream/recordkeeping.md"),
        "{roles}"
    );
    assert!(
        !role_line(&roles, "outbound-policy").contains("handbook/upstream/travel.md"),
        "{roles}"
    );
}
