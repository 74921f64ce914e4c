//! ospolint.toml: discovery, overrides, and errors that point into the file.

mod common;

use std::fs;

use common::*;

/// A copy of a fixture in a temporary directory, with an ospolint.toml.
fn repo_with_config(fixture_name: &str, config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(fixture_name), dir.path());
    fs::write(dir.path().join("ospolint.toml"), config).unwrap();
    dir
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn check_dir(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "."];
    args.extend_from_slice(extra);
    ospolint_in(dir, &args)
}

#[test]
fn unknown_key_points_at_the_line_with_a_suggestion() {
    let dir = repo_with_config(
        "bare-project",
        "profile = \"project\"\nmax_file_sise = 10\n",
    );
    let out = check_dir(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("unknown field `max_file_sise`"), "{err}");
    assert!(err.contains("did you mean `max_file_size`?"), "{err}");
    assert!(err.contains("ospolint.toml:2:1"), "{err}");
}

#[test]
fn wrong_type_is_an_error() {
    let dir = repo_with_config("bare-project", "max_file_size = \"big\"\n");
    let out = check_dir(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("ospolint.toml:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_rule_id_suggests_the_closest() {
    let dir = repo_with_config("bare-project", "[rules]\n\"security/polcy\" = \"off\"\n");
    let out = check_dir(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("unknown rule `security/polcy`"), "{err}");
    assert!(err.contains("did you mean `security/policy`?"), "{err}");
    assert!(err.contains("ospolint.toml:2:1"), "{err}");
}

#[test]
fn rules_can_be_turned_off_or_changed_in_severity() {
    let dir = repo_with_config(
        "bare-project",
        "[rules]\n\"legal/license-file\" = \"off\"\n\"security/policy\" = \"info\"\n",
    );
    let out = check_dir(dir.path(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = findings(&report);
    assert!(!found.iter().any(|f| f.0 == "legal/license-file"));
    let security = report["repositories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "security/policy")
        .unwrap();
    assert_eq!(security["severity"], "info");
}

#[test]
fn artifacts_can_be_pinned() {
    let dir = repo_with_config(
        "bare-project",
        "profile = \"ospo\"\n[artifacts]\nstrategy = [\"handbook/our-plan.md\"]\n",
    );
    fs::create_dir_all(dir.path().join("handbook")).unwrap();
    fs::write(
        dir.path().join("handbook/our-plan.md"),
        "# Our plan\n\nWhy we use open source.\n",
    )
    .unwrap();
    let out = check_dir(dir.path(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!rules_fired(&report).contains(&"strategy/document-present".to_string()));
}

#[test]
fn unknown_artifact_role_is_an_error() {
    let dir = repo_with_config("bare-project", "[artifacts]\nstrategie = [\"x.md\"]\n");
    let out = check_dir(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean `strategy`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn excluded_paths_are_not_scanned() {
    let dir = repo_with_config("broken-links", "exclude = [\"docs/**\"]\n");
    let out = check_dir(dir.path(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(findings(&report)
        .iter()
        .all(|f| !f.1.as_deref().unwrap_or("").starts_with("docs/")));
}

#[test]
fn config_is_found_in_a_parent_directory() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("ospolint.toml"),
        "[rules]\n\"legal/license-file\" = \"off\"\n",
    )
    .unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    copy_dir(&fixture("bare-project"), &repo);
    let out = ospolint_in(dir.path(), &["check", "repo", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!rules_fired(&report).contains(&"legal/license-file".to_string()));
}

#[test]
fn organization_rule_packs_add_rules() {
    let dir = repo_with_config("bare-project", "rule_packs = [\"acme.toml\"]\n");
    fs::write(
        dir.path().join("acme.toml"),
        r#"
[[rule]]
id = "acme/changelog"
title = "Releases are documented in a changelog"
petal = "business"
stage = "community"
severity = "warning"
profiles = ["project"]
rationale = "Adopters read the changelog before upgrading."
fix = "Add CHANGELOG.md."
[rule.check.content-pattern]
artifact = "contributing"
[[rule.check.content-pattern.require]]
description = "the changelog"
pattern = "changelog"
"#,
    )
    .unwrap();
    let out = ospolint_in(dir.path(), &["rules", "--config", "ospolint.toml"]);
    assert!(stdout(&out).contains("acme/changelog"), "{}", stdout(&out));
}

#[test]
fn bad_regex_in_a_pack_points_at_it() {
    let dir = repo_with_config("bare-project", "rule_packs = [\"acme.toml\"]\n");
    fs::write(
        dir.path().join("acme.toml"),
        r#"[[rule]]
id = "acme/broken"
title = "Broken"
petal = "legal"
stage = "strategy"
severity = "error"
profiles = ["project"]
rationale = "r"
fix = "f"
[rule.check.content-pattern]
artifact = "contributing"
[[rule.check.content-pattern.require]]
description = "x"
pattern = "(unclosed"
"#,
    )
    .unwrap();
    let out = check_dir(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("invalid regular expression `(unclosed`"),
        "{err}"
    );
    assert!(err.contains("acme.toml:14:11"), "{err}");
}

#[test]
fn pack_errors_name_unknown_petals_and_duplicate_ids() {
    let dir = repo_with_config("bare-project", "rule_packs = [\"acme.toml\"]\n");
    let pack = |petal: &str, id: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\ntitle = \"t\"\npetal = \"{petal}\"\nstage = \"strategy\"\nseverity = \"error\"\nprofiles = [\"project\"]\nrationale = \"r\"\nfix = \"f\"\n[rule.check.artifact-present]\nartifact = \"security\"\n"
        )
    };
    fs::write(dir.path().join("acme.toml"), pack("lawyers", "acme/x")).unwrap();
    let out = check_dir(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown name `lawyers`"),
        "{}",
        stderr(&out)
    );
    fs::write(
        dir.path().join("acme.toml"),
        pack("legal", "security/policy"),
    )
    .unwrap();
    let out = check_dir(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("defined twice"), "{}", stderr(&out));
}
