//! The assessment algorithm on a small synthetic catalog and model, independent of the built-in
//! rules: gates, conditional and extra gates, requirements, weights, blocking gaps, targets.

use super::assess::{assess, Decider, EngagementStatus, Outcome};
use super::rollup::Rollup;
use super::{apply_target, Model, Stage};
use crate::config::{self, Settings};
use crate::engine::RepoReport;
use crate::finding::{Finding, Location, Severity};
use crate::rule::Profile;

/// The test rules: id, stage, default severity.
const RULES: &[(&str, &str, &str)] = &[
    ("t/a-gate", "awareness", "error"),
    ("t/h-gate", "ad-hoc", "error"),
    ("t/s-gate1", "strategy", "error"),
    ("t/s-gate2", "strategy", "error"),
    ("t/s-warn", "strategy", "warning"),
    ("t/s-info", "strategy", "info"),
    ("t/c-gate", "community", "error"),
    ("t/c-warn1", "community", "warning"),
    ("t/c-warn2", "community", "warning"),
    ("t/c-cond", "community", "warning"),
    ("t/l-rule", "community", "warning"),
    ("t/l-own", "leader", "warning"),
    ("t/a-hyg", "awareness", "error"),
];

const MODEL: &str = r#"
[[signal]]
id = "material"
description = "material"
documents = true
[[signal]]
id = "mentoring"
description = "mentoring exists"
artifacts = ["mentoring"]
[[requirement]]
stage = "awareness"
signal = "material"
[[scope]]
rules = ["t/a-gate"]
within = "governance-documents"
[[cross_cutting]]
rules = ["t/a-hyg"]
[[gate]]
rule = "t/c-cond"
stage = "community"
when = "mentoring"
[[gate]]
rule = "t/l-rule"
stage = "leader"
[[gate]]
rule = "t/not-in-the-catalog"
stage = "leader"
[[requirement]]
stage = "leader"
progress_of = "community"
at_least = 80
[[engagement]]
id = "usage"
title = "Usage"
description = "d"
evidence = [{ rule = "t/s-warn" }, { rule = "t/not-in-the-catalog" }]
[[engagement]]
id = "lead"
title = "Lead"
description = "d"
evidence = [{ rule = "t/l-own", signal = "mentoring" }]
"#;

/// The rules as a pack. Their check never runs: the tests write the reports themselves.
fn pack() -> String {
    RULES
        .iter()
        .map(|(id, stage, severity)| {
            format!(
                "[[rule]]\nid = \"{id}\"\ntitle = \"t\"\npetal = \"legal\"\nstage = \"{stage}\"\nseverity = \"{severity}\"\n\
                 profiles = [\"project\"]\nrationale = \"r\"\nfix = \"do it\"\n[rule.check.artifact-present]\nartifact = \"license\"\n"
            )
        })
        .collect()
}

fn settings() -> Settings {
    let mut s = config::load(None).expect("default settings");
    s.catalog.rules.clear();
    s.catalog
        .add_pack("test.toml", &pack(), "test")
        .expect("test pack");
    s.maturity = Model::from_toml("model.toml", MODEL, &s.catalog.artifacts).expect("test model");
    s
}

/// A report where every rule ran; `failing` rules have one finding at the given severity.
fn report(
    s: &Settings,
    failing: &[(&str, Severity)],
    unchecked: &[&str],
    signals: &[&str],
) -> RepoReport {
    let mut rules_run: Vec<String> = s.catalog.ids().map(str::to_string).collect();
    rules_run.sort();
    let findings = failing
        .iter()
        .map(|(id, severity)| {
            let meta = &s.catalog.get(id).expect("rule in the test pack").meta;
            Finding {
                rule: id.to_string(),
                severity: *severity,
                petal: meta.petal,
                stage: meta.stage,
                location: Location::repository(),
                message: format!("{id} fails"),
                help: None,
                gap: false,
                summed_up: None,
            }
        })
        .collect();
    let mut unchecked: Vec<String> = unchecked.iter().map(|u| u.to_string()).collect();
    unchecked.sort();
    RepoReport {
        path: "repo".to_string(),
        name: "repo".to_string(),
        profile: Profile::Project,
        profile_reason: String::new(),
        findings,
        notes: Vec::new(),
        rules_run,
        unchecked,
        signals: signals.iter().map(|s| s.to_string()).collect(),
        governance_documents: Vec::new(),
        config: None,
        suppressed: Vec::new(),
        root: std::path::PathBuf::from("repo"),
        anchor: None,
        focus: None,
    }
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

#[test]
fn everything_passing_reaches_leader() {
    let s = settings();
    let a = assess(&report(&s, &[], &[], &["material"]), &s);
    assert_eq!(a.stage, Some(Stage::Leader));
    assert_eq!(a.next, None);
    assert!(a.gaps.is_empty());
    // The extra gate on a rule the catalog lacks is skipped, not failed.
    let leader = &a.stages[Stage::Leader as usize];
    assert_eq!(
        leader
            .gates
            .iter()
            .map(|g| g.rule.as_str())
            .collect::<Vec<_>>(),
        ["t/l-rule"]
    );
}

#[test]
fn no_material_is_below_awareness() {
    let s = settings();
    let a = assess(&report(&s, &[], &[], &[]), &s);
    assert_eq!(a.stage, None);
    assert_eq!(a.next, Some(Stage::Awareness));
    assert!(a.stages[0].decided_by.contains(&Decider::Requirement {
        description: "material".into(),
        met: false
    }));
    assert!(a.stages[1].decided_by.contains(&Decider::LowerStage {
        stage: Stage::Awareness
    }));
}

#[test]
fn a_failing_gate_stops_the_climb_and_is_the_first_gap() {
    let s = settings();
    let failing = [
        ("t/s-warn", W),
        ("t/s-gate1", E),
        ("t/c-gate", E),
        ("t/l-rule", W),
    ];
    let a = assess(&report(&s, &failing, &[], &["material"]), &s);
    assert_eq!(a.stage, Some(Stage::AdHoc));
    let gaps: Vec<(&str, bool, bool)> = a
        .gaps
        .iter()
        .map(|g| (g.rule.as_str(), g.gating, g.blocking))
        .collect();
    assert_eq!(
        gaps,
        [("t/s-gate1", true, false), ("t/s-warn", false, false)]
    );
    assert_eq!(a.gaps[0].fix, "do it");
    // Progress at Strategy: gates weigh 3, warnings 1, infos 0.
    let p = a.stages[Stage::Strategy as usize].progress;
    assert_eq!((p.passed, p.total, p.percent()), (3, 7, Some(42)));
}

#[test]
fn work_done_ahead_marks_the_gate_that_holds_it_back() {
    let s = settings();
    let a = assess(&report(&s, &[("t/s-gate1", E)], &[], &["material"]), &s);
    assert_eq!(a.stage, Some(Stage::AdHoc));
    assert_eq!(
        a.stages[Stage::Community as usize].progress.percent(),
        Some(100)
    );
    let gap = &a.gaps[0];
    assert!(gap.gating && gap.blocking, "{gap:?}");
    assert!(
        gap.reason
            .as_deref()
            .is_some_and(|r| r.contains("Community")),
        "{gap:?}"
    );
}

#[test]
fn leader_needs_community_progress_counting_warnings() {
    let s = settings();
    // Community: gate 3 + four warnings = 7; two warnings fail: 5/7 = 71 % < 80 %.
    let a = assess(
        &report(
            &s,
            &[("t/c-warn1", W), ("t/c-warn2", W)],
            &[],
            &["material"],
        ),
        &s,
    );
    assert_eq!(a.stage, Some(Stage::Community));
    let leader = &a.stages[Stage::Leader as usize];
    assert!(!leader.requirements[0].met);
    let blocking: Vec<&str> = a
        .gaps
        .iter()
        .filter(|g| g.blocking)
        .map(|g| g.rule.as_str())
        .collect();
    assert_eq!(blocking, ["t/c-warn1", "t/c-warn2"]);
    // One failing warning: 6/7 = 85 %.
    let a = assess(&report(&s, &[("t/c-warn1", W)], &[], &["material"]), &s);
    assert_eq!(a.stage, Some(Stage::Leader));
}

#[test]
fn a_conditional_gate_applies_only_when_its_signal_holds() {
    let s = settings();
    let without = assess(&report(&s, &[("t/c-cond", W)], &[], &["material"]), &s);
    assert!(without.stages[Stage::Community as usize].reached);
    let with = assess(
        &report(&s, &[("t/c-cond", W)], &[], &["material", "mentoring"]),
        &s,
    );
    assert_eq!(with.stage, Some(Stage::Strategy));
    assert_eq!(with.gaps[0].rule, "t/c-cond");
    assert!(with.gaps[0].gating);
}

#[test]
fn an_extra_gate_fails_its_stage() {
    let s = settings();
    let a = assess(&report(&s, &[("t/l-rule", W)], &[], &["material"]), &s);
    assert_eq!(a.stage, Some(Stage::Community));
    assert_eq!(a.gaps[0].rule, "t/l-rule");
    assert_eq!(a.gaps[0].stage, Stage::Leader);
}

#[test]
fn findings_below_the_rule_severity_pass_the_gate() {
    let s = settings();
    let a = assess(&report(&s, &[("t/s-gate1", W)], &[], &["material"]), &s);
    assert_eq!(a.stage, Some(Stage::Leader));
    let item = a
        .petals
        .iter()
        .flat_map(|p| &p.open)
        .find(|i| i.rule == "t/s-gate1")
        .expect("listed");
    assert_eq!(item.outcome, Outcome::Refine);
}

#[test]
fn rules_that_checked_nothing_fail_gates_and_do_not_count_otherwise() {
    let s = settings();
    let a = assess(
        &report(&s, &[], &["t/s-gate2", "t/s-warn"], &["material"]),
        &s,
    );
    assert_eq!(a.stage, Some(Stage::AdHoc));
    assert!(a.gaps[0].unchecked);
    // s-warn is left out: gates 3 + 3, info 0.
    let p = a.stages[Stage::Strategy as usize].progress;
    assert_eq!((p.passed, p.total), (3, 6));
    let usage = &a.engagement.stages[0];
    assert_eq!(usage.status, EngagementStatus::NotAssessed);
}

#[test]
fn scoped_rules_fail_only_in_governance_documents() {
    let s = settings();
    let mut r = report(&s, &[("t/a-gate", E)], &[], &["material"]);
    r.governance_documents = vec!["CONTRIBUTING.md".to_string(), "README.md".to_string()];
    r.findings[0].location = Location::file("archive/old-post.md");
    let a = assess(&r, &s);
    assert_eq!(a.stage, Some(Stage::Leader));
    r.findings[0].location = Location::file("README.md");
    let a = assess(&r, &s);
    assert_eq!(a.stage, None);
}

#[test]
fn cross_cutting_rules_gate_nothing_and_are_always_listed() {
    let s = settings();
    let a = assess(&report(&s, &[("t/a-hyg", E)], &[], &["material"]), &s);
    assert_eq!(a.stage, Some(Stage::Leader));
    let gaps: Vec<(&str, bool, bool)> = a
        .gaps
        .iter()
        .map(|g| (g.rule.as_str(), g.gating, g.cross_cutting))
        .collect();
    assert_eq!(gaps, [("t/a-hyg", false, true)]);
    let a = assess(
        &report(&s, &[("t/a-hyg", E), ("t/h-gate", E)], &[], &["material"]),
        &s,
    );
    assert_eq!(a.stage, Some(Stage::Awareness));
    let order: Vec<&str> = a.gaps.iter().map(|g| g.rule.as_str()).collect();
    // The Ad hoc gate holds back the stages above, whose gates pass: it comes first.
    assert_eq!(order, ["t/h-gate", "t/a-hyg"]);
    assert!(a.gaps[0].blocking);
    let failing = [
        ("t/a-hyg", E),
        ("t/h-gate", E),
        ("t/s-gate1", E),
        ("t/c-gate", E),
        ("t/l-rule", W),
    ];
    let a = assess(&report(&s, &failing, &[], &["material"]), &s);
    let order: Vec<&str> = a.gaps.iter().map(|g| g.rule.as_str()).collect();
    assert_eq!(order, ["t/a-hyg", "t/h-gate"]);
}

#[test]
fn engagement_is_reported_apart_with_its_evidence() {
    let s = settings();
    let a = assess(&report(&s, &[], &[], &["material"]), &s);
    assert_eq!(a.engagement.stage.as_deref(), Some("usage"));
    assert_eq!(a.engagement.stages[1].status, EngagementStatus::None);
    let a = assess(&report(&s, &[], &[], &["material", "mentoring"]), &s);
    assert_eq!(a.engagement.stage.as_deref(), Some("lead"));
    assert_eq!(
        a.engagement.stages[1].evidence[0].rule.as_deref(),
        Some("t/l-own")
    );
}

#[test]
fn target_stage_turns_findings_above_it_into_info_gaps() {
    let mut s = settings();
    s.target_stage = Some(Stage::Strategy);
    let mut r = report(&s, &[("t/s-gate1", E), ("t/c-gate", E)], &[], &["material"]);
    let a = assess(&r, &s);
    apply_target(&mut r.findings, Stage::Strategy);
    let by_rule = |id: &str| r.findings.iter().find(|f| f.rule == id).expect("finding");
    assert_eq!(
        (by_rule("t/s-gate1").severity, by_rule("t/s-gate1").gap),
        (E, false)
    );
    assert_eq!(
        (by_rule("t/c-gate").severity, by_rule("t/c-gate").gap),
        (Severity::Info, true)
    );
    // The assessment still sees the failing gate above the target.
    assert_eq!(a.stage, Some(Stage::AdHoc));
    assert_eq!(a.target, Some(Stage::Strategy));
}

#[test]
fn rollup_counts_stages_and_common_gaps() {
    let s = settings();
    let mut reports = [
        report(&s, &[("t/s-gate1", E)], &[], &["material"]),
        report(&s, &[("t/s-gate1", E), ("t/s-warn", W)], &[], &["material"]),
        report(&s, &[], &[], &[]),
    ];
    for (i, r) in reports.iter_mut().enumerate() {
        r.path = format!("repo-{i}");
    }
    let assessments: Vec<_> = reports.iter().map(|r| assess(r, &s)).collect();
    let rollup = Rollup::of(&assessments);
    let count = |stage: Option<Stage>| {
        rollup
            .stages
            .iter()
            .find(|c| c.stage == stage)
            .map(|c| c.repositories)
    };
    assert_eq!(count(None), Some(1));
    assert_eq!(count(Some(Stage::AdHoc)), Some(2));
    assert_eq!(rollup.common_gaps[0].rule, "t/s-gate1");
    assert_eq!(
        (rollup.common_gaps[0].count, rollup.common_gaps[0].share),
        (2, 66.7)
    );
    assert_eq!(rollup.furthest_behind[0].path, "repo-2");
}
