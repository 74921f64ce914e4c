//! The strategy, OSPO, legal and security rules on their fixtures: a complete OSPO repository that
//! passes every one of them, repositories with gaps that fail each of them, and small repositories
//! reproducing false positives found on real governance repositories.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::root;

/// The date the tests pretend it is, so that report ages do not depend on the calendar.
const TODAY: &str = "2026-06-30";

/// The rules these tests cover, with the catalog's petal, stage, severity and profiles.
const RULES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "strategy/document-present",
        "management",
        "strategy",
        "error",
        "ospo",
    ),
    (
        "strategy/purpose-and-scope",
        "management",
        "strategy",
        "error",
        "ospo",
    ),
    (
        "strategy/qa-section",
        "management",
        "strategy",
        "warning",
        "ospo",
    ),
    (
        "strategy/domain-guides",
        "business",
        "community",
        "warning",
        "ospo",
    ),
    (
        "strategy/q1-key-technologies",
        "management",
        "strategy",
        "warning",
        "ospo",
    ),
    (
        "strategy/q2-key-projects",
        "ecosystem",
        "strategy",
        "warning",
        "ospo",
    ),
    (
        "strategy/q3-sustainable-practices",
        "ecosystem",
        "community",
        "warning",
        "ospo",
    ),
    (
        "strategy/q4-process-gaps",
        "business",
        "community",
        "warning",
        "ospo",
    ),
    (
        "strategy/q5-oss-enables-improvement",
        "business",
        "community",
        "warning",
        "ospo",
    ),
    (
        "strategy/q6-champions",
        "individual-contributors",
        "community",
        "warning",
        "ospo",
    ),
    (
        "strategy/q7-management-message",
        "management",
        "strategy",
        "warning",
        "ospo",
    ),
    (
        "strategy/goals-kpis",
        "management",
        "community",
        "warning",
        "ospo",
    ),
    (
        "strategy/regulator-engagement-plan",
        "ecosystem",
        "community",
        "warning",
        "ospo",
    ),
    ("ospo/charter", "ospo", "strategy", "error", "ospo"),
    ("ospo/team-and-roles", "ospo", "strategy", "error", "ospo"),
    ("ospo/contact", "ospo", "ad-hoc", "warning", "ospo"),
    (
        "ospo/executive-sponsor",
        "management",
        "strategy",
        "warning",
        "ospo",
    ),
    (
        "ospo/stakeholder-map",
        "ospo",
        "community",
        "warning",
        "ospo",
    ),
    (
        "ospo/training",
        "individual-contributors",
        "strategy",
        "warning",
        "ospo",
    ),
    (
        "ospo/metrics-report",
        "management",
        "community",
        "warning",
        "ospo",
    ),
    (
        "ospo/release-process",
        "legal",
        "community",
        "error",
        "ospo",
    ),
    ("legal/usage-policy", "legal", "strategy", "error", "ospo"),
    (
        "legal/license-classification",
        "legal",
        "strategy",
        "warning",
        "ospo",
    ),
    (
        "legal/third-party-attribution",
        "legal",
        "strategy",
        "warning",
        "project,ospo",
    ),
    (
        "legal/compliance-program",
        "legal",
        "strategy",
        "warning",
        "ospo",
    ),
    (
        "legal/outbound-contribution-policy",
        "legal",
        "community",
        "error",
        "ospo",
    ),
    (
        "legal/inbound-contribution-policy",
        "legal",
        "community",
        "warning",
        "project,ospo",
    ),
    (
        "security/consumption-guidance",
        "ospo",
        "strategy",
        "warning",
        "ospo",
    ),
];

fn covered(rule: &str) -> bool {
    RULES.iter().any(|r| r.0 == rule)
}

/// Runs `ospolint` from the repository root with a fixed date.
fn run(args: &[&str], today: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ospolint"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("OSPOLINT_TODAY", today)
        .output()
        .expect("ospolint runs")
}

fn report(fixture: &str, today: &str) -> serde_json::Value {
    let path = format!("fixtures/{fixture}");
    let output = run(
        &["check", "--profile", "ospo", "--format", "json", &path],
        today,
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The covered rules' findings, one per line: severity, rule, location, message and help.
fn findings(fixture: &str) -> String {
    findings_on(fixture, TODAY)
}

fn findings_on(fixture: &str, today: &str) -> String {
    let report = report(fixture, today);
    let mut lines = Vec::new();
    for f in report["repositories"][0]["findings"]
        .as_array()
        .expect("findings")
    {
        let rule = f["rule"].as_str().unwrap_or_default();
        if !covered(rule) {
            continue;
        }
        let location = match (f["path"].as_str(), f["line"].as_u64()) {
            (Some(path), Some(line)) => format!("{path}:{line}"),
            (Some(path), None) => path.to_string(),
            _ => "(repository)".to_string(),
        };
        lines.push(format!(
            "{} {rule} {location}\n    {}\n    fix: {}",
            f["severity"].as_str().unwrap_or_default(),
            f["message"].as_str().unwrap_or_default(),
            f["help"].as_str().unwrap_or_default()
        ));
    }
    lines.join("\n")
}

fn fired(fixture: &str) -> BTreeSet<String> {
    let report = report(fixture, TODAY);
    report["repositories"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .filter(|r| covered(r))
        .map(str::to_string)
        .collect()
}

#[test]
fn rules_match_the_catalog() {
    let output = run(&["rules", "--format", "json"], TODAY);
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    for (id, petal, stage, severity, profiles) in RULES {
        let rule = listed["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .find(|r| r["id"] == *id)
            .unwrap_or_else(|| panic!("{id} is not listed"));
        let got_profiles: Vec<&str> = rule["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        assert_eq!(
            (
                rule["petal"].as_str(),
                rule["stage"].as_str(),
                rule["severity"].as_str(),
                got_profiles.join(",")
            ),
            (
                Some(*petal),
                Some(*stage),
                Some(*severity),
                profiles.to_string()
            ),
            "{id}"
        );
        let explain = run(&["explain", id], TODAY);
        assert!(explain.status.success(), "ospolint explain {id}");
    }
}

#[test]
fn complete_ospo_repository_passes_every_rule() {
    assert_eq!(findings("ospo-complete"), "");
}

#[test]
fn complete_ospo_repository_is_detected_as_ospo() {
    let output = run(
        &["check", "--format", "json", "fixtures/ospo-complete"],
        TODAY,
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["repositories"][0]["profile"], "ospo");
}

#[test]
fn every_rule_has_a_failing_fixture() {
    let mut fired_anywhere = BTreeSet::new();
    for fixture in [
        "ospo-gaps",
        "ospo-bare",
        "ospo-policy-repo",
        "ospo-project-docs",
        "ospo-site",
    ] {
        fired_anywhere.extend(fired(fixture));
    }
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.0)
        .filter(|id| !fired_anywhere.contains(*id))
        .collect();
    assert!(missing.is_empty(), "no failing fixture for {missing:?}");
}

#[test]
fn gaps_in_an_ospo_repository() {
    insta::assert_snapshot!(findings("ospo-gaps"));
}

#[test]
fn repository_without_ospo_material() {
    insta::assert_snapshot!(findings("ospo-bare"));
}

/// A policy linked from the README (not named "strategy"), a practice page that links back to it,
/// a contact address in a paragraph, a release process under "How to license new repositories",
/// and a "Team guidance" heading that is not a roster.
#[test]
fn policy_repository_read_like_a_person_would() {
    let out = findings("ospo-policy-repo");
    for absent in [
        "strategy/document-present",
        "strategy/purpose-and-scope",
        "ospo/contact",
        "strategy/q3-sustainable-practices",
        "strategy/q5-oss-enables-improvement",
        "there is no how-to guide for engineering",
        "no process for releasing projects",
        "README.md:",
    ] {
        assert!(!out.contains(absent), "unexpected `{absent}` in:\n{out}");
    }
    insta::assert_snapshot!(out);
}

/// A project's own documents (issue templates, archives, RELEASE.md, its license section) are not
/// OSPO material; a roster in a linked COMMUNITY.md counts; a CLA says how contributions are licensed.
#[test]
fn project_documents_are_not_mistaken_for_ospo_material() {
    let out = findings("ospo-project-docs");
    for absent in [
        ".github/ISSUE_TEMPLATE",
        "archive/",
        "RELEASE.md",
        "docs/guide.md",
        "strategy/regulator-engagement-plan",
        "legal/inbound-contribution-policy",
        "OSPO lead",
        "no person for any",
    ] {
        assert!(!out.contains(absent), "unexpected `{absent}` in:\n{out}");
    }
    insta::assert_snapshot!(out);
}

/// A site generator's pages: the "about" page states the mission, the strategy is found by its
/// front-matter title, a standalone "Open Source Guild" line answers question 6, and a guide on
/// starting projects is the release process.
#[test]
fn site_pages_are_read_where_the_generator_keeps_them() {
    let out = findings("ospo-site");
    for absent in [
        "ospo/charter",
        "strategy/document-present",
        "strategy/q6-champions",
        "ospo/release-process",
    ] {
        assert!(!out.contains(absent), "unexpected `{absent}` in:\n{out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn metrics_report_ages_are_measured_from_today() {
    // The complete fixture's report is dated 2026-03-31.
    assert!(!findings_on("ospo-complete", "2027-03-30").contains("ospo/metrics-report"));
    insta::assert_snapshot!(findings_on("ospo-complete", "2027-06-30"), @r"
    warning ospo/metrics-report reports/2026-h1.md
        the newest metrics report is dated 2026-03-31, 15 months ago
        fix: Publish a new report: the newest should be at most 12 months old.
    ");
}

#[test]
fn an_invalid_date_for_today_is_a_usage_error() {
    let output = run(&["check", "fixtures/ospo-complete"], "last tuesday");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("OSPOLINT_TODAY"));
}
