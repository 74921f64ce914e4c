//! One finding per problem: findings of one rule on overlapping spans merge; documents that one
//! change fixes (an owner, a review date) share one finding per folder; a message repeated in one
//! document shows three times in human output, then a count (JSON keeps every one).

mod common;

use common::{check_json, ospolint, stdout};

#[test]
fn a_repeated_message_is_shown_three_times_then_counted() {
    let output = ospolint(&["check", "fixtures/one-problem"]);
    insta::assert_snapshot!(stdout(&output));
    let report = check_json(&["fixtures/one-problem"]);
    let broken = common::findings(&report)
        .into_iter()
        .filter(|(rule, _, _)| rule == "hygiene/broken-relative-link")
        .count();
    assert_eq!(broken, 5, "JSON keeps every finding");
}

#[test]
fn documents_one_change_fixes_share_a_finding() {
    let report = check_json(&["fixtures/one-problem"]);
    let findings = report["repositories"][0]["findings"]
        .as_array()
        .expect("findings");
    let owner: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["rule"] == "hygiene/doc-owner")
        .collect();
    assert_eq!(owner.len(), 1, "{owner:?}");
    assert_eq!(
        owner[0]["message"],
        "3 governance documents in the root name no owner responsible for keeping them current: CODE_OF_CONDUCT.md, GOVERNANCE.md, SECURITY.md"
    );
    assert!(
        owner[0]["help"].as_str().is_some_and(|h| h.starts_with(
            "Add a line per document (`/CODE_OF_CONDUCT.md @your-team`, …) to .github/CODEOWNERS"
        )),
        "{}",
        owner[0]["help"]
    );
}

#[test]
fn overlapping_matches_of_one_rule_are_one_finding() {
    let report = check_json(&["fixtures/one-problem"]);
    let placeholders: Vec<_> = common::findings(&report)
        .into_iter()
        .filter(|(rule, _, _)| rule == "hygiene/placeholder-text")
        .collect();
    assert_eq!(
        placeholders,
        [(
            "hygiene/placeholder-text".to_string(),
            Some("docs/guide.md".to_string()),
            Some(9)
        )]
    );
}
