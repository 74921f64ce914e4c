//! Bad repository content never stops the run: it becomes a note, and nothing is written.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::*;

/// A repository with every kind of trouble git can hold and some it can't.
fn troubled_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    fs::create_dir_all(root.join("docs")).unwrap();
    fs::write(
        root.join("README.md"),
        "# Troubled\n\nSee [the guide](docs/guide.md).\n",
    )
    .unwrap();
    fs::write(root.join("docs/guide.md"), "# Guide\n\nPlain text.\n").unwrap();
    // Latin-1 bytes: not UTF-8.
    fs::write(
        root.join("docs/latin1.md"),
        b"# Caf\xe9\n\nR\xe9sum\xe9 TODO\n",
    )
    .unwrap();
    // Binary content under a document name.
    fs::write(
        root.join("docs/image.md"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe],
    )
    .unwrap();
    // 3 MB of Markdown: over the default 1 MiB cap.
    fs::write(
        root.join("docs/huge.md"),
        "# Huge\n\n".to_string() + &"word ".repeat(600_000),
    )
    .unwrap();
    // BOM and CRLF.
    fs::write(
        root.join("CONTRIBUTING.md"),
        b"\xEF\xBB\xBF# Contributing\r\n\r\n## Setup\r\n\r\nRun it.\r\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        fs::write(
            dir.path().join("secret.md"),
            "# Outside\n\nNot part of the repository.\n",
        )
        .unwrap();
        symlink(dir.path().join("secret.md"), root.join("docs/escape.md")).unwrap();
        symlink("loop-b.md", root.join("docs/loop-a.md")).unwrap();
        symlink("loop-a.md", root.join("docs/loop-b.md")).unwrap();
        symlink("..", root.join("docs/parent")).unwrap();
    }
    dir
}

/// Every path under `root` with its length and modification time.
fn snapshot_tree(root: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let meta = fs::symlink_metadata(entry.path()).unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            }
            out.insert(entry.path(), (meta.len(), meta.modified().unwrap()));
        }
    }
    out
}

#[test]
fn troubled_repository_is_reported_not_fatal() {
    let dir = troubled_repository();
    let before = snapshot_tree(dir.path());
    let out = ospolint_in(dir.path(), &["check", "repo", "--format", "json"]);
    assert_ne!(code(&out), 2, "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes: Vec<String> = report["repositories"][0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{}: {}",
                n["path"].as_str().unwrap(),
                n["message"].as_str().unwrap()
            )
        })
        .collect();
    let has = |path: &str, words: &str| {
        notes
            .iter()
            .any(|n| n.starts_with(path) && n.contains(words))
    };
    assert!(has("docs/latin1.md", "not valid UTF-8"), "{notes:#?}");
    assert!(has("docs/image.md", "binary"), "{notes:#?}");
    assert!(has("docs/huge.md", "over the size limit"), "{notes:#?}");
    #[cfg(unix)]
    {
        assert!(
            has("docs/escape.md", "outside the repository"),
            "{notes:#?}"
        );
        assert!(has("docs/loop-a.md", "broken or looping"), "{notes:#?}");
        assert!(has("docs/parent", "directory"), "{notes:#?}");
    }
    // The lossy file was still linted: its placeholder is found on the right line.
    let found = findings(&report);
    assert!(
        found.contains(&(
            "hygiene/placeholder-text".into(),
            Some("docs/latin1.md".into()),
            Some(3)
        )),
        "{found:#?}"
    );
    // The BOM and CRLF file parsed: its heading is the contributing guide's title, not garbage.
    assert!(!found.iter().any(|f| f.0 == "contributing/guide-present"));
    // Nothing in the scanned tree changed.
    assert_eq!(before, snapshot_tree(dir.path()));
}

#[test]
fn size_cap_is_configurable() {
    let dir = troubled_repository();
    fs::write(
        dir.path().join("repo/ospolint.toml"),
        "max_file_size = 10_000_000\n",
    )
    .unwrap();
    let out = ospolint_in(dir.path(), &["check", "repo", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = report["repositories"][0]["notes"].to_string();
    assert!(!notes.contains("huge.md"), "{notes}");
}

#[test]
fn human_output_shows_notes() {
    let dir = troubled_repository();
    let out = ospolint_in(dir.path(), &["check", "repo"]);
    let text = stdout(&out);
    assert!(
        text.contains("note: docs/image.md: skipped: binary content"),
        "{text}"
    );
}
