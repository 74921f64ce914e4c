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
        "# Security\n\nReport vulnerabilities privately to security@example.org; we answer within three days.\n",
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

/// The broken-link findings of `check . --format json` run in `root`, by path.
fn broken_link_paths(root: &std::path::Path) -> Vec<String> {
    let out = ospolint_in(root, &["check", ".", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut paths: Vec<String> = findings(&report)
        .into_iter()
        .filter(|f| f.0 == "hygiene/broken-relative-link")
        .filter_map(|f| f.1)
        .collect();
    paths.sort();
    paths
}

#[test]
fn walk_honours_nested_gitignores_and_the_repository_exclude_file_only() {
    let dir = tempfile::tempdir().unwrap();
    // The folder holding the repository ignores Markdown: that is not the repository's business.
    fs::write(dir.path().join(".gitignore"), "*.md\n").unwrap();
    let root = dir.path().join("repo");
    for folder in [".git/info", "docs/drafts", "notes"] {
        fs::create_dir_all(root.join(folder)).unwrap();
    }
    for page in ["README.md", "docs/a.md", "docs/drafts/b.md", "notes/c.md"] {
        fs::write(root.join(page), "# Page\n\n[broken](missing.md)\n").unwrap();
    }
    fs::write(root.join("docs/.gitignore"), "drafts/\n").unwrap();
    fs::write(root.join(".git/info/exclude"), "/notes/\n").unwrap();
    assert_eq!(broken_link_paths(&root), ["README.md", "docs/a.md"]);
}

#[test]
fn walk_lets_a_nearer_gitignore_re_include_what_a_farther_one_ignores() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("docs/drafts")).unwrap();
    for page in [
        "README.md",
        "docs/keep.md",
        "docs/old.md",
        "docs/drafts/x.md",
    ] {
        fs::write(root.join(page), "# Page\n\n[broken](missing.md)\n").unwrap();
    }
    // The root ignores every page under docs/ and the drafts folder; docs/ takes one page back. A
    // file inside an ignored folder cannot be taken back (git does not look inside it).
    fs::write(root.join(".gitignore"), "/docs/*.md\ndrafts/\n").unwrap();
    fs::write(root.join("docs/.gitignore"), "!keep.md\n!drafts/x.md\n").unwrap();
    assert_eq!(broken_link_paths(root), ["README.md", "docs/keep.md"]);
}

#[test]
fn walk_finds_the_exclude_file_of_a_worktree() {
    let dir = tempfile::tempdir().unwrap();
    let common = dir.path().join("main.git");
    let git_dir = common.join("worktrees/wt");
    fs::create_dir_all(common.join("info")).unwrap();
    fs::create_dir_all(&git_dir).unwrap();
    fs::write(git_dir.join("commondir"), "../..\n").unwrap();
    fs::write(common.join("info/exclude"), "scratch.md\n").unwrap();
    let root = dir.path().join("wt");
    fs::create_dir_all(&root).unwrap();
    fs::write(
        root.join(".git"),
        format!("gitdir: {}\n", git_dir.display()),
    )
    .unwrap();
    for page in ["README.md", "scratch.md"] {
        fs::write(root.join(page), "# Page\n\n[broken](missing.md)\n").unwrap();
    }
    assert_eq!(broken_link_paths(&root), ["README.md"]);
}
