//! Helpers shared by the integration tests: run the real binary as a user would.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// The date review-date rules measure against in tests, so results do not change with the calendar.
pub const TODAY: &str = "2026-11-01";

/// `ospolint` with `args` in `dir`, without colors, on the fixed date [`TODAY`], ready to run.
pub fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ospolint"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("OSPOLINT_TODAY", TODAY)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_ACTIONS");
    command
}

/// Runs `ospolint` with `args` in `dir`, as [`command_in`] sets it up.
pub fn ospolint_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir, args).output().expect("ospolint runs")
}

/// Runs `ospolint` from the repository root, so fixture paths in output read `fixtures/...`.
pub fn ospolint(args: &[&str]) -> Output {
    ospolint_in(&root(), args)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// The JSON report of `ospolint check --format json ARGS`.
pub fn check_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = ospolint(&all);
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&output), stderr(&output)))
}

/// `(rule, path, line)` of every finding in a JSON report, for compact assertions.
pub fn findings(report: &serde_json::Value) -> Vec<(String, Option<String>, Option<u64>)> {
    report["repositories"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["findings"].as_array().cloned().unwrap_or_default())
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().map(str::to_string),
                f["line"].as_u64(),
            )
        })
        .collect()
}

/// Rule ids that fired in a JSON report.
pub fn rules_fired(report: &serde_json::Value) -> Vec<String> {
    let mut rules: Vec<String> = findings(report).into_iter().map(|f| f.0).collect();
    rules.sort();
    rules.dedup();
    rules
}

/// A throwaway repository (with a `.git` folder) holding `files`.
pub fn temp_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

/// Writes `text` to `root/path`, creating folders.
pub fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("folders");
    std::fs::write(full, text).expect("write");
}

/// A copy of a fixture in a temporary directory, for tests that change files.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("folder");
        for entry in std::fs::read_dir(from).expect("fixture") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copy");
            }
        }
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    copy(&fixture(name), dir.path());
    dir
}

/// The JSON report of `ospolint check --format json ARGS` run in `dir`.
pub fn check_json_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = ospolint_in(dir, &all);
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&output), stderr(&output)))
}
