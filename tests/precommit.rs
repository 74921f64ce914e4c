//! Pre-commit mode: `ospolint check FILE...`.

mod common;

use std::collections::BTreeSet;

use common::{check_json_in, code, copy_fixture, findings, ospolint_in, stderr, stdout, write};
use serde_json::Value;

type Found = BTreeSet<(String, Option<String>, Option<u64>)>;

fn set(report: &Value) -> Found {
    findings(report).into_iter().collect()
}

fn broken_links_repo() -> tempfile::TempDir {
    let repo = copy_fixture("broken-links");
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    repo
}

#[test]
fn given_files_get_the_verdict_ci_gives_them() {
    let repo = broken_links_repo();
    let full = set(&check_json_in(repo.path(), &[]));
    let focused = set(&check_json_in(repo.path(), &["README.md"]));
    // Repository-level findings, and everything on README.md, as in the full run…
    let expected: Found = full
        .iter()
        .filter(|f| f.1.is_none() || f.1.as_deref() == Some("README.md"))
        .cloned()
        .collect();
    assert_eq!(focused, expected);
    // …and nothing from the other documents.
    assert!(full.iter().any(|f| f.1.as_deref() == Some("docs/guide.md")));
    assert!(!focused
        .iter()
        .any(|f| f.1.as_deref() == Some("docs/guide.md")));
    let output = ospolint_in(repo.path(), &["check", "README.md"]);
    assert_eq!(code(&output), 1);
}

#[test]
fn findings_on_the_given_files_come_first() {
    let repo = broken_links_repo();
    let report = check_json_in(repo.path(), &["docs/guide.md"]);
    let all = findings(&report);
    assert_eq!(all[0].1.as_deref(), Some("docs/guide.md"), "{all:?}");
    assert_eq!(report["repositories"][0]["path"], ".");
}

#[test]
fn other_documents_are_not_parsed() {
    let repo = broken_links_repo();
    // Not in a folder where artifacts are looked for by title (docs/ is one), so only a
    // per-document rule would read it.
    std::fs::create_dir(repo.path().join("notes")).unwrap();
    std::fs::write(repo.path().join("notes/latin1.md"), b"# Caf\xe9\n\nTODO\n").unwrap();
    let full = check_json_in(repo.path(), &[]);
    let notes = |r: &Value| r["repositories"][0]["notes"].to_string();
    assert!(
        notes(&full).contains("notes/latin1.md"),
        "a full run reads it: {}",
        notes(&full)
    );
    let focused = check_json_in(repo.path(), &["README.md"]);
    assert!(
        !notes(&focused).contains("notes/latin1.md"),
        "{}",
        notes(&focused)
    );
}

#[test]
fn files_are_found_from_a_subdirectory() {
    let repo = broken_links_repo();
    let docs = repo.path().join("docs");
    let report = check_json_in(&docs, &["guide.md", "sub/README.md"]);
    assert_eq!(report["repositories"].as_array().unwrap().len(), 1);
    assert_eq!(report["repositories"][0]["path"], "..");
    let paths: BTreeSet<Option<String>> = findings(&report).into_iter().map(|f| f.1).collect();
    assert!(
        paths.contains(&Some("docs/guide.md".to_string())),
        "{paths:?}"
    );
    assert!(!paths.contains(&Some("README.md".to_string())));
}

#[test]
fn a_configuration_file_marks_the_root() {
    let outer = tempfile::tempdir().unwrap();
    write(
        outer.path(),
        "governance/ospolint.toml",
        "profile = \"project\"\n",
    );
    write(
        outer.path(),
        "governance/README.md",
        "# Governance\n\nTODO write this.\n",
    );
    let report = check_json_in(outer.path(), &["governance/README.md"]);
    assert_eq!(report["repositories"][0]["profile"], "project");
    assert!(findings(&report)
        .iter()
        .any(|f| f.0 == "hygiene/placeholder-text" && f.1.as_deref() == Some("README.md")));
}

#[test]
fn files_in_two_repositories_are_two_targets() {
    let outer = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        std::fs::create_dir_all(outer.path().join(name).join(".git")).unwrap();
        write(
            outer.path(),
            &format!("{name}/README.md"),
            "# Readme\n\nTODO\n",
        );
    }
    let report = check_json_in(outer.path(), &["a/README.md", "b/README.md"]);
    let paths: Vec<&str> = report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a", "b"]);
}

#[test]
fn a_file_outside_any_repository_is_an_error() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), "notes.md", "# Notes\n");
    let output = ospolint_in(outer.path(), &["check", "notes.md"]);
    assert_eq!(code(&output), 2, "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("not inside a repository"), "{err}");
    assert!(err.contains("ospolint.toml"), "{err}");
}

#[test]
fn the_hook_definition_runs_check_on_files() {
    let text = std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<serde_norway::Value> = serde_norway::from_str(&text).unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("ospolint"));
    assert_eq!(hook["entry"].as_str(), Some("ospolint check"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(true));
    assert_eq!(hook["require_serial"].as_bool(), Some(true));
    let types: Vec<&str> = hook["types_or"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(types.contains(&"markdown") && types.contains(&"rst"));
}
