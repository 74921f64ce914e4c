//! Links on static sites: `fixtures/site-docusaurus`, `site-hugo` and `site-jekyll` each hold a
//! site generator's config, pages that link by the site's own routes (which work on the published
//! site only: an info that says so), links that work everywhere (nothing), and a few links broken
//! on both (errors). Snapshots hold the broken-link findings in human and JSON output.

mod common;

use common::{check_json, ospolint, stdout};
use serde_json::Value;

const RULE: &str = "hygiene/broken-relative-link";

/// The rule's findings in a JSON report.
fn link_findings(report: &Value) -> Vec<Value> {
    report["repositories"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["findings"].as_array().cloned().unwrap_or_default())
        .filter(|f| f["rule"] == RULE)
        .collect()
}

/// `(severity, path:line)` of the rule's findings.
fn places(findings: &[Value]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap_or_default().to_string(),
                format!(
                    "{}:{}",
                    f["path"].as_str().unwrap_or_default(),
                    f["line"].as_u64().unwrap_or_default()
                ),
            )
        })
        .collect()
}

/// The blocks of the human report that are the rule's findings.
fn human_blocks(fixture: &str) -> String {
    let out = ospolint(&["check", "--fail-on", "never", fixture]);
    stdout(&out)
        .split("\n\n")
        .filter(|block| block.contains(RULE))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn check_site(fixture: &str, errors: &[&str], infos: &[&str]) {
    let path = format!("fixtures/{fixture}");
    let report = check_json(&["--fail-on", "never", &path]);
    let findings = link_findings(&report);
    let found = places(&findings);
    let at = |severity: &str| -> Vec<String> {
        let mut lines: Vec<String> = found
            .iter()
            .filter(|(s, _)| s == severity)
            .map(|(_, at)| at.clone())
            .collect();
        lines.dedup();
        lines
    };
    assert_eq!(at("error"), errors, "errors on {fixture}: {found:?}");
    assert_eq!(at("info"), infos, "infos on {fixture}: {found:?}");
    assert!(at("warning").is_empty(), "{found:?}");
    for info in findings.iter().filter(|f| f["severity"] == "info") {
        assert!(
            info["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("works on the published ")),
            "{info}"
        );
    }
    insta::assert_snapshot!(format!("{fixture}_human"), human_blocks(&path));
    insta::assert_json_snapshot!(format!("{fixture}_json"), findings);
}

#[test]
fn docusaurus_routes_ids_slugs_and_base_url() {
    check_site(
        "site-docusaurus",
        &[
            "README.md:6",
            "README.md:7",
            "docs/01-welcome.md:16",
            "docs/01-welcome.md:19",
        ],
        &[
            "docs/01-welcome.md:9",
            "docs/01-welcome.md:10",
            "docs/01-welcome.md:11",
            "docs/01-welcome.md:24",
            "docs/02-guides/01-setup.md:9",
        ],
    );
}

#[test]
fn hugo_sections_static_feeds_slugs_and_aliases() {
    check_site(
        "site-hugo",
        &[
            "content/_index.md:10",
            "content/docs/onboarding.md:9",
            "content/docs/onboarding.md:11",
        ],
        &[
            "content/_index.md:7",
            "content/_index.md:8",
            "content/_index.md:9",
            "content/docs/onboarding.md:9",
            "content/docs/onboarding.md:10",
            "content/events/_index.md:5",
        ],
    );
}

#[test]
fn jekyll_pages_collections_posts_and_permalinks() {
    check_site(
        "site-jekyll",
        &["_lessons/second-steps.md:7", "index.md:10"],
        &[
            "_lessons/first-steps.md:7",
            "about.md:9",
            "index.md:7",
            "index.md:8",
            "index.md:9",
        ],
    );
}

#[test]
fn a_broken_reference_definition_is_reported_once_with_its_uses() {
    let report = check_json(&["--fail-on", "never", "fixtures/site-docusaurus"]);
    let faq: Vec<Value> = link_findings(&report)
        .into_iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("`./faq.md`"))
        })
        .collect();
    assert_eq!(faq.len(), 1, "{faq:?}");
    assert_eq!(faq[0]["line"], 19);
    assert!(faq[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("used by 3 links")));
}

/// A clone whose `origin` is on GitHub: absolute links to the repository's own files on its
/// branch are checked against the files; links to other repositories, tags and GitHub's own
/// pages are not.
#[test]
fn absolute_links_to_the_repository_itself() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(
        root.join(".git/config"),
        "[remote \"origin\"]\n\turl = https://github.com/acme/lamp.git\n",
    )
    .unwrap();
    std::fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join("docs/setup.md"), "# Setup\n").unwrap();
    std::fs::write(
        root.join("README.md"),
        "# Lamp\n\n\
         - [setup](https://github.com/acme/lamp/blob/main/docs/setup.md)\n\
         - [installer](https://github.com/acme/lamp/blob/main/tools/install.sh)\n\
         - [old installer](https://github.com/acme/lamp/blob/v0.1/tools/install.sh)\n\
         - [elsewhere](https://github.com/acme/other/blob/main/tools/install.sh)\n\
         - [issues](https://github.com/acme/lamp/issues)\n",
    )
    .unwrap();
    let report = check_json(&["--fail-on", "never", &root.display().to_string()]);
    let found = places(&link_findings(&report));
    assert_eq!(
        found,
        [("error".to_string(), "README.md:4".to_string())],
        "{found:?}"
    );
}

/// Relative links that climb out of the repository to GitHub's pages of it (the security tab,
/// issues) are GitHub's, not broken files; one more or one fewer `..` is.
#[test]
fn relative_links_to_githubs_own_pages() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(
        root.join("SECURITY.md"),
        "# Security\n\nReport it [privately](../../security/advisories/new) or as an [issue](../../issues).\n\nNot [this](../../../security).\n",
    )
    .unwrap();
    std::fs::write(
        root.join("docs/help.md"),
        "# Help\n\nAsk in [discussions](../../../discussions), not [here](../../discussions).\n",
    )
    .unwrap();
    let report = check_json(&["--fail-on", "never", &root.display().to_string()]);
    let found = places(&link_findings(&report));
    assert_eq!(
        found,
        [
            ("error".to_string(), "SECURITY.md:5".to_string()),
            ("error".to_string(), "docs/help.md:3".to_string()),
        ],
        "{found:?}"
    );
}
