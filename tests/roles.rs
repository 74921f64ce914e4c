//! Roles decided on evidence: documents whose title or place names another genre take no role,
//! the best-scored candidate is the primary file whatever the precedence of its place, `ospolint
//! artifacts` shows the runner-up, absence messages name what was considered, and `auto` picks
//! the ospo profile only on two independent signals.

mod common;

use common::{check_json, ospolint, stdout};
use serde_json::Value;

fn artifacts(fixture: &str) -> Value {
    let output = ospolint(&["artifacts", "--format", "json", fixture]);
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn role<'a>(listed: &'a Value, name: &str) -> &'a Value {
    listed["repositories"][0]["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["role"] == name)
        .expect("role listed")
}

fn files(role: &Value) -> Vec<&str> {
    role["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// An agenda, a course page, a checklist under a policy folder, a retrospective template, a blog
/// post and a release process linked as "our open source policy": none plays a governance role.
#[test]
fn documents_of_other_genres_take_no_role() {
    let listed = artifacts("fixtures/role-genres");
    let misread = [
        ("docs/open-source-strategy-workshop.md", "an agenda"),
        (
            "training/open-source-strategy-course.md",
            "a course or training page",
        ),
        (
            "policies/outbound/accessibility-checklist.md",
            "a checklist",
        ),
        ("docs/stakeholder-map.md", "a retrospective"),
        ("blog/our-new-security-policy.md", "a news or blog post"),
    ];
    // Collections hold every page of a folder, and training material is what a course page is.
    let collections = ["ospo-pages", "training"];
    for role in listed["repositories"][0]["roles"]
        .as_array()
        .expect("roles")
    {
        let name = role["role"].as_str().unwrap_or_default();
        if collections.contains(&name) {
            continue;
        }
        for (path, _) in misread {
            assert!(!files(role).contains(&path), "{path} plays {name}");
        }
    }
    // Each was considered, and the evidence against it is named.
    for (role_name, path, genre) in [
        ("strategy", misread[0].0, misread[0].1),
        ("outbound-policy", misread[2].0, misread[2].1),
        ("stakeholder-map", misread[3].0, misread[3].1),
        ("security", misread[4].0, misread[4].1),
    ] {
        let role = role(&listed, role_name);
        let weighed: Vec<&Value> = role["runner_up"]
            .as_object()
            .map(|_| &role["runner_up"])
            .into_iter()
            .chain(role["considered"].as_array().into_iter().flatten())
            .collect();
        let entry = weighed
            .iter()
            .find(|c| c["path"] == path)
            .unwrap_or_else(|| panic!("{path} not considered for {role_name}: {role:#}"));
        assert_eq!(entry["plays"], false);
        let evidence = entry["evidence"].to_string();
        assert!(evidence.contains(genre), "{evidence}");
    }
    // A README link's text alone gives no role: the release process stays the release process.
    assert!(files(role(&listed, "strategy")).is_empty());
    assert!(files(role(&listed, "usage-policy")).is_empty());
    assert_eq!(files(role(&listed, "release-policy")), ["RELEASING.md"]);
}

/// A root STRATEGY.md comes first by precedence, but the strategy under ospo/ has the evidence.
#[test]
fn the_best_scored_candidate_is_the_primary_file() {
    let listed = artifacts("fixtures/role-evidence");
    let strategy = role(&listed, "strategy");
    assert_eq!(
        files(strategy),
        ["ospo/open-source-strategy.md", "STRATEGY.md"]
    );
    assert_eq!(strategy["chosen"]["path"], "ospo/open-source-strategy.md");
    assert_eq!(strategy["runner_up"]["path"], "STRATEGY.md");
    assert!(
        strategy["chosen"]["score"].as_i64() > strategy["runner_up"]["score"].as_i64(),
        "{strategy:#}"
    );
    let output = ospolint(&["artifacts", "fixtures/role-evidence"]);
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn absence_messages_name_what_was_considered() {
    let report = check_json(&["fixtures/role-evidence"]);
    let findings = report["repositories"][0]["findings"]
        .as_array()
        .expect("findings");
    let governance = findings
        .iter()
        .find(|f| f["rule"] == "governance/model")
        .expect("no governance document");
    let message = governance["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(
            "considered docs/decision-making.md (titled \"Decision making\", but little else of a governance document)"
        ),
        "{message}"
    );
    let report = check_json(&["fixtures/role-genres"]);
    let security = report["repositories"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "security/policy")
        .expect("no security policy");
    let message = security["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("considered blog/our-new-security-policy.md (")
            && message.contains("but its name or place reads as a news or blog post"),
        "{message}"
    );
}

/// Two OSPO documents of different roles make an OSPO repository; one is not enough.
#[test]
fn auto_picks_ospo_on_two_independent_signals() {
    let profile = |fixture: &str| {
        let report = check_json(&[fixture]);
        let repo = &report["repositories"][0];
        (
            repo["profile"].as_str().unwrap_or_default().to_string(),
            repo["profile_reason"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    assert_eq!(
        profile("fixtures/role-evidence"),
        (
            "ospo".to_string(),
            "auto: OSPO charter at ospo/CHARTER.md and open source strategy at ospo/open-source-strategy.md".to_string()
        )
    );
    assert_eq!(
        profile("fixtures/maturity/ad-hoc"),
        (
            "project".to_string(),
            "auto: one OSPO signal only (open source strategy at ospo/open-source-strategy.md); the ospo profile needs 2 from different documents".to_string()
        )
    );
    assert_eq!(
        profile("fixtures/role-genres").0,
        "project",
        "an agenda and a course page about the strategy are no OSPO"
    );
}
