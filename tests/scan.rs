//! The walk: hidden files in, `.git/` out, `.gitignore` honoured.

mod common;

use std::fs;

use common::*;

#[test]
fn walk_includes_hidden_skips_git_and_honours_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join(".github")).unwrap();
    fs::create_dir_all(root.join(".git/info")).unwrap();
    fs::create_dir_all(root.join("build")).unwrap();
    fs::write(
        root.join(".github/SECURITY.md"),
        "# Security\n\nMail security@example.org.\n",
    )
    .unwrap();
    fs::write(root.join(".git/README.md"), "[broken](nowhere.md)\n").unwrap();
    fs::write(root.join("build/notes.md"), "[broken](nowhere.md)\n").unwrap();
    fs::write(root.join(".gitignore"), "build/\n").unwrap();
    fs::write(root.join("README.md"), "# Repo\n\n[broken](missing.md)\n").unwrap();
    let out = ospolint_in(root, &["check", ".", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = findings(&report);
    // .github/ is read: the security policy is found.
    assert!(
        !found.iter().any(|f| f.0 == "security/policy"),
        "{found:#?}"
    );
    // Only the README's broken link: nothing from .git/ or the ignored build/.
    let links: Vec<_> = found
        .iter()
        .filter(|f| f.0 == "hygiene/broken-relative-link")
        .collect();
    assert_eq!(links.len(), 1, "{links:#?}");
    assert_eq!(links[0].1.as_deref(), Some("README.md"));
}
