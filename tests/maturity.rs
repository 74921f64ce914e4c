//! `ospolint maturity`, `target_stage` and `--min-stage`, run as a user runs them.
//!
//! The fixtures under fixtures/maturity/ are written against the rule catalog's description of
//! each stage, so the stage a fixture reaches does not depend on which rules exist today.

mod common;

use common::{code, ospolint, stderr, stdout};
use serde_json::Value;

/// Every fixture of fixtures/maturity, in name order.
const FIXTURES: [&str; 8] = [
    "ad-hoc",
    "ahead",
    "awareness",
    "below-awareness",
    "community",
    "leader",
    "no-material",
    "strategy",
];

fn maturity_json(args: &[&str]) -> Value {
    let mut all = vec!["maturity", "--format", "json"];
    all.extend_from_slice(args);
    let output = ospolint(&all);
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&output), stderr(&output)))
}

fn assessment(name: &str) -> Value {
    let report = maturity_json(&[&format!("fixtures/maturity/{name}")]);
    report["repositories"][0].clone()
}

fn failing_gates(a: &Value, stage: &str) -> Vec<String> {
    a["stages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["stage"] == stage)
        .flat_map(|s| s["gates"].as_array().cloned().unwrap_or_default())
        .filter(|g| g["passed"] == false)
        .map(|g| g["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn each_fixture_reaches_its_stage() {
    for (name, stage) in [
        ("no-material", Value::Null),
        ("below-awareness", Value::Null),
        ("awareness", "awareness".into()),
        ("ad-hoc", "ad-hoc".into()),
        ("strategy", "strategy".into()),
        ("community", "community".into()),
        ("ahead", "ad-hoc".into()),
    ] {
        let a = assessment(name);
        assert_eq!(a["stage"], stage, "{name}: {:#}", a["stages"]);
    }
}

#[test]
fn the_leader_fixture_passes_every_gate_and_requirement() {
    let a = assessment("leader");
    for stage in a["stages"].as_array().expect("stages") {
        assert!(
            stage["gates"]
                .as_array()
                .expect("gates")
                .iter()
                .all(|g| g["passed"] == true),
            "{stage:#}"
        );
        assert!(
            stage["requirements"]
                .as_array()
                .expect("requirements")
                .iter()
                .all(|r| r["met"] == true),
            "{stage:#}"
        );
    }
    // Leader is reached as soon as the catalog has a rule for it.
    let leader = &a["stages"][4];
    if !leader["gates"].as_array().expect("gates").is_empty() {
        assert_eq!(a["stage"], "leader");
    } else {
        assert_eq!(a["stage"], "community");
    }
}

#[test]
fn below_awareness_has_a_reason() {
    let broken = assessment("below-awareness");
    assert_eq!(
        failing_gates(&broken, "awareness"),
        ["hygiene/broken-relative-link"]
    );
    assert_eq!(broken["gaps"][0]["rule"], "hygiene/broken-relative-link");
    let empty = assessment("no-material");
    assert_eq!(empty["stages"][0]["requirements"][0]["met"], false);
    assert_eq!(empty["stage_title"], "Below Awareness");
}

#[test]
fn work_done_ahead_shows_and_the_strategy_gate_is_blocking() {
    let a = assessment("ahead");
    assert_eq!(failing_gates(&a, "strategy"), ["security/policy"]);
    assert!(failing_gates(&a, "community").is_empty());
    let community = a["stages"][3]["progress"]["percent"]
        .as_u64()
        .expect("percent");
    assert!(community >= 80, "{community}");
    let gap = &a["gaps"][0];
    assert_eq!(
        (
            gap["rule"].as_str(),
            gap["blocking"].as_bool(),
            gap["gating"].as_bool()
        ),
        (Some("security/policy"), Some(true), Some(true))
    );
}

#[test]
fn human_output_per_fixture() {
    for name in FIXTURES {
        let output = ospolint(&["maturity", &format!("fixtures/maturity/{name}")]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        insta::assert_snapshot!(format!("maturity_human_{name}"), stdout(&output));
    }
}

#[test]
fn verbose_human_output_says_what_decided() {
    let output = ospolint(&["maturity", "--verbose", "fixtures/maturity/ahead"]);
    let text = stdout(&output);
    assert!(text.contains("decided by:"), "{text}");
    insta::assert_snapshot!("maturity_human_verbose_ahead", text);
}

#[test]
fn json_output() {
    for name in ["strategy", "ahead"] {
        let mut report = maturity_json(&[&format!("fixtures/maturity/{name}")]);
        assert_eq!(report["version"], 1);
        assert_eq!(report["kind"], "maturity");
        report["tool"]["version"] = "[version]".into();
        insta::assert_json_snapshot!(format!("maturity_json_{name}"), report);
    }
}

#[test]
fn markdown_output() {
    for name in ["ahead", "leader"] {
        let output = ospolint(&[
            "maturity",
            "--format",
            "markdown",
            &format!("fixtures/maturity/{name}"),
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        insta::assert_snapshot!(format!("maturity_markdown_{name}"), stdout(&output));
    }
}

#[test]
fn rollup_is_the_same_at_any_number_of_jobs() {
    for format in ["human", "json", "markdown"] {
        let one = ospolint(&[
            "maturity",
            "--org",
            "fixtures/maturity",
            "--format",
            format,
            "--jobs",
            "1",
        ]);
        let eight = ospolint(&[
            "maturity",
            "--org",
            "fixtures/maturity",
            "--format",
            format,
            "--jobs",
            "8",
        ]);
        assert_eq!(code(&one), 0, "{}", stderr(&one));
        assert_eq!(stdout(&one), stdout(&eight), "--format {format}");
        if format != "json" {
            insta::assert_snapshot!(format!("maturity_rollup_{format}"), stdout(&one));
        }
    }
    let report = maturity_json(&["--org", "fixtures/maturity", "--jobs", "8"]);
    insta::assert_json_snapshot!("maturity_rollup_json", report["rollup"]);
}

#[test]
fn check_ends_with_a_stage_line_per_repository() {
    let output = ospolint(&[
        "check",
        "fixtures/maturity/strategy",
        "fixtures/maturity/awareness",
    ]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().rev().take(3).collect();
    assert!(lines[0].contains("gate failed"), "{text}");
    assert!(
        lines[1].starts_with("stage: fixtures/maturity/awareness ")
            && lines[1].contains("Awareness · next Ad hoc"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("stage: fixtures/maturity/strategy ")
            && lines[2].contains("Security, Education and Strategy · next"),
        "{text}"
    );
    let report = common::check_json(&[
        "fixtures/maturity/strategy",
        "fixtures/maturity/no-material",
    ]);
    assert_eq!(report["repositories"][0]["stage"], "strategy");
    assert_eq!(report["repositories"][1]["stage"], Value::Null);
}

#[test]
fn min_stage_fails_the_gate_below_it() {
    let run = |args: &[&str]| code(&ospolint(args));
    // `--fail-on never` leaves only the stage gate.
    let check = |stage: &str| {
        run(&[
            "check",
            "--fail-on",
            "never",
            "--min-stage",
            stage,
            "fixtures/maturity/strategy",
        ])
    };
    assert_eq!(check("strategy"), 0);
    assert_eq!(check("community"), 1);
    assert_eq!(
        run(&[
            "maturity",
            "--min-stage",
            "awareness",
            "fixtures/maturity/awareness"
        ]),
        0
    );
    assert_eq!(
        run(&[
            "maturity",
            "--min-stage",
            "ad-hoc",
            "fixtures/maturity/awareness"
        ]),
        1
    );
    assert_eq!(
        run(&[
            "maturity",
            "--min-stage",
            "awareness",
            "fixtures/maturity/no-material"
        ]),
        1
    );

    let output = ospolint(&[
        "maturity",
        "--min-stage",
        "strategy",
        "fixtures/maturity/awareness",
        "fixtures/maturity/strategy",
    ]);
    assert!(stdout(&output).contains("minimum stage Security, Education and Strategy: 1 repository below it: fixtures/maturity/awareness"), "{}", stdout(&output));
    let report = maturity_json(&[
        "--min-stage",
        "strategy",
        "fixtures/maturity/awareness",
        "fixtures/maturity/strategy",
    ]);
    assert_eq!(report["summary"]["gate"], "failed");
    assert_eq!(
        report["summary"]["below_min_stage"],
        serde_json::json!(["fixtures/maturity/awareness"])
    );
    let output = ospolint(&[
        "check",
        "--fail-on",
        "never",
        "--min-stage",
        "leader",
        "fixtures/maturity/awareness",
    ]);
    assert!(
        stdout(&output)
            .contains("gate failed (--fail-on never, --min-stage leader (1 repository below))"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn stage_names_accept_aliases() {
    for alias in [
        "Strategy",
        "S",
        "security-education-strategy",
        "Security/Education/Strategy",
        "2",
    ] {
        assert_eq!(
            code(&ospolint(&[
                "check",
                "--fail-on",
                "never",
                "--min-stage",
                alias,
                "fixtures/maturity/strategy"
            ])),
            0,
            "{alias}"
        );
    }
    for alias in [
        "AdHoc",
        "ad_hoc",
        "LEADER",
        "leader-and-advisor",
        "community",
    ] {
        assert_ne!(
            code(&ospolint(&[
                "maturity",
                "--min-stage",
                alias,
                "fixtures/maturity/awareness"
            ])),
            2,
            "{alias}"
        );
    }
}

#[test]
fn unknown_stage_exits_2_listing_valid_ones() {
    for command in ["check", "maturity"] {
        let output = ospolint(&[
            command,
            "--min-stage",
            "expert",
            "fixtures/maturity/awareness",
        ]);
        assert_eq!(code(&output), 2);
        let err = stderr(&output);
        assert!(err.contains("unknown stage `expert`; valid stages: awareness, ad-hoc, strategy, community, leader"), "{err}");
    }
}

fn config_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("ospolint.toml"), text).expect("write config");
    dir
}

#[test]
fn target_stage_turns_findings_above_it_into_info_gaps() {
    let dir = config_dir("target_stage = \"Ad hoc\"\n");
    let config = dir.path().join("ospolint.toml");
    let config = config.to_str().expect("utf-8 path");

    let without = common::check_json(&["fixtures/maturity/ad-hoc"]);
    assert_eq!(without["summary"]["gate"], "failed");
    let with = common::check_json(&["--config", config, "fixtures/maturity/ad-hoc"]);
    assert_eq!(with["summary"]["gate"], "passed");
    let findings = with["repositories"][0]["findings"]
        .as_array()
        .expect("findings");
    assert!(!findings.is_empty());
    for f in findings {
        let above = f["stage"] != "awareness" && f["stage"] != "ad-hoc";
        assert_eq!(f["gap"].as_bool().unwrap_or(false), above, "{f:#}");
        if above {
            assert_eq!(f["severity"], "info", "{f:#}");
        }
    }
    // The assessment itself is unchanged; its gaps know they are above the target.
    let a = maturity_json(&["--config", config, "fixtures/maturity/ad-hoc"]);
    let a = &a["repositories"][0];
    assert_eq!(
        (a["stage"].as_str(), a["target"].as_str()),
        (Some("ad-hoc"), Some("ad-hoc"))
    );
    assert!(a["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .all(|g| g["above_target"] == true));
    let human = stdout(&ospolint(&[
        "check",
        "--config",
        config,
        "fixtures/maturity/ad-hoc",
    ]));
    assert!(human.contains("is above the target stage)"), "{human}");
}

#[test]
fn unknown_target_stage_points_into_the_config() {
    let dir = config_dir("profile = \"auto\"\ntarget_stage = \"expert\"\n");
    let config = dir.path().join("ospolint.toml");
    let output = ospolint(&[
        "maturity",
        "--config",
        config.to_str().expect("utf-8 path"),
        "fixtures/maturity/awareness",
    ]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(err.contains("unknown stage `expert`"), "{err}");
    assert!(
        err.contains("valid stages: awareness, ad-hoc, strategy, community, leader"),
        "{err}"
    );
    assert!(
        err.contains("target_stage = \"expert\""),
        "the diagnostic shows the line: {err}"
    );
    assert!(
        err.contains(":2:"),
        "the diagnostic points at line 2: {err}"
    );
}
