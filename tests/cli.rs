//! The command line as a user meets it: help, exit codes, output formats, determinism.

mod common;

use common::*;

#[test]
fn version_and_help() {
    let out = ospolint(&["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out).trim(),
        format!("ospolint {}", env!("CARGO_PKG_VERSION"))
    );
    let out = ospolint(&["--help"]);
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!("help", stdout(&out));
    let out = ospolint(&["check", "--help"]);
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!("check_help", stdout(&out));
}

#[test]
fn exit_0_when_the_gate_passes() {
    let out = ospolint(&["check", "fixtures/healthy-project"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn exit_1_when_the_gate_fails() {
    let out = ospolint(&["check", "fixtures/bare-project"]);
    assert_eq!(code(&out), 1);
    // --fail-on never turns the same findings into a pass.
    let out = ospolint(&["check", "--fail-on", "never", "fixtures/bare-project"]);
    assert_eq!(code(&out), 0);
}

#[test]
fn fail_on_threshold_counts_lower_severities() {
    // github-health has warnings but no errors.
    let report = check_json(&["fixtures/github-health"]);
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
    assert!(report["summary"]["warnings"].as_u64().unwrap() > 0);
    assert_eq!(code(&ospolint(&["check", "fixtures/github-health"])), 0);
    assert_eq!(
        code(&ospolint(&[
            "check",
            "--fail-on",
            "warning",
            "fixtures/github-health"
        ])),
        1
    );
    assert_eq!(
        code(&ospolint(&[
            "check",
            "--fail-on",
            "info",
            "fixtures/github-health"
        ])),
        1
    );
}

#[test]
fn exit_2_on_usage_errors() {
    let out = ospolint(&["check", "fixtures/does-not-exist"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no such file or directory"),
        "{}",
        stderr(&out)
    );
    let out = ospolint(&[
        "check",
        "fixtures/healthy-project/README.md",
        "--config",
        "nope.toml",
    ]);
    assert_eq!(code(&out), 2);
    let out = ospolint(&["check", "--format", "yaml"]);
    assert_eq!(code(&out), 2);
    let out = ospolint(&["frobnicate"]);
    assert_eq!(code(&out), 2);
    let out = ospolint(&["check", "--org", "fixtures/nothing-here"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn explain_a_rule_and_suggest_on_typos() {
    let out = ospolint(&["explain", "security/policy"]);
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!("explain_security_policy", stdout(&out));
    let out = ospolint(&["explain", "security/polcy"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("unknown rule `security/polcy`"), "{err}");
    assert!(err.contains("did you mean `security/policy`?"), "{err}");
}

#[test]
fn every_rule_can_be_explained() {
    let list = ospolint(&["rules", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    for rule in list["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let out = ospolint(&["explain", id]);
        assert_eq!(code(&out), 0, "explain {id}");
        let text = stdout(&out);
        for part in ["Why", "How to fix", "Example"] {
            assert!(text.contains(part), "explain {id} lacks {part}:\n{text}");
        }
    }
}

#[test]
fn rules_list_human_and_json() {
    let out = ospolint(&["rules"]);
    assert_eq!(code(&out), 0);
    insta::assert_snapshot!("rules_human", stdout(&out));
    let out = ospolint(&["rules", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let first = &json["rules"][0];
    for key in [
        "id",
        "title",
        "petal",
        "stage",
        "severity",
        "profiles",
        "rationale",
        "fix",
    ] {
        assert!(!first[key].is_null(), "rules JSON lacks {key}");
    }
}

#[test]
fn human_report_snapshot() {
    let out = ospolint(&["check", "fixtures/broken-links"]);
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!("human_broken_links", stdout(&out));
}

#[test]
fn json_report_snapshot() {
    let report = check_json(&["fixtures/broken-links", "fixtures/github-health"]);
    insta::assert_json_snapshot!("json_two_repositories", report, {
        ".tool.version" => "[version]",
    });
}

#[test]
fn quiet_prints_findings_and_summary_only() {
    let out = ospolint(&["check", "-q", "fixtures/healthy-project"]);
    let text = stdout(&out);
    assert!(!text.contains("profile:"), "{text}");
    assert!(
        text.trim_end().ends_with("gate passed (--fail-on error)"),
        "{text}"
    );
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let out = ospolint(&["check", "--color", "always", "fixtures/bare-project"]);
    assert!(
        stdout(&out).contains('\u{1b}'),
        "no ANSI escape with --color always"
    );
    let out = ospolint(&["check", "--color", "never", "fixtures/bare-project"]);
    assert!(!stdout(&out).contains('\u{1b}'));
    // Not a terminal, NO_COLOR set by the helper: plain.
    let out = ospolint(&["check", "fixtures/bare-project"]);
    assert!(!stdout(&out).contains('\u{1b}'));
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let one = ospolint(&[
        "check", "--org", "fixtures", "--format", "json", "--jobs", "1",
    ]);
    let eight = ospolint(&[
        "check", "--org", "fixtures", "--format", "json", "--jobs", "8",
    ]);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, eight.stdout);
    let one = ospolint(&["check", "--org", "fixtures", "--jobs", "1"]);
    let eight = ospolint(&["check", "--org", "fixtures", "--jobs", "8"]);
    assert_eq!(stdout(&one), stdout(&eight));
}

#[test]
fn org_checks_every_repository_under_the_directory() {
    let report = check_json(&["--org", "fixtures"]);
    let names: Vec<&str> = report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "repositories are reported in name order");
    for expected in ["bare-project", "healthy-project", "github-health"] {
        assert!(names.contains(&expected), "{names:?}");
    }
}

#[test]
fn profile_is_chosen_and_explained() {
    let report = check_json(&["fixtures/ospo-handbook", "fixtures/healthy-project"]);
    let repos = report["repositories"].as_array().unwrap();
    assert_eq!(repos[0]["profile"], "ospo");
    assert!(repos[0]["profile_reason"]
        .as_str()
        .unwrap()
        .contains("ospo/open-source-strategy.md"));
    assert_eq!(repos[1]["profile"], "project");
    let forced = check_json(&["--profile", "project", "fixtures/ospo-handbook"]);
    assert_eq!(forced["repositories"][0]["profile"], "project");
    assert!(!rules_fired(&forced)
        .iter()
        .any(|r| r.starts_with("strategy/")));
}
