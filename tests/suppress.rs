//! Inline suppressions, exemptions and baselines, with their misuse.

mod common;

use common::{
    check_json_in, code, copy_fixture, findings, ospolint_in, stderr, stdout, temp_repo, write,
};
use serde_json::Value;

const PLACEHOLDER: &str = "hygiene/placeholder-text";

/// `(rule, path, line)` of the findings of one rule.
fn of(report: &Value, rule: &str) -> Vec<(String, Option<String>, Option<u64>)> {
    findings(report)
        .into_iter()
        .filter(|f| f.0 == rule)
        .collect()
}

fn suppressed(report: &Value) -> Vec<(String, String, Option<String>)> {
    report["repositories"][0]["suppressed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["rule"].as_str().unwrap_or_default().to_string(),
                s["suppressed_by"].as_str().unwrap_or_default().to_string(),
                s["reason"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn disable_next_line_covers_the_next_line_only() {
    let repo = temp_repo(&[(
        "README.md",
        "# Widgets\n\n<!-- ospolint-disable-next-line hygiene/placeholder-text -- filled in at release time -->\nContact: TODO\n\nAlso: TBD\n",
    )]);
    let report = check_json_in(repo.path(), &[]);
    assert_eq!(
        of(&report, PLACEHOLDER),
        [(
            PLACEHOLDER.to_string(),
            Some("README.md".to_string()),
            Some(6)
        )]
    );
    assert_eq!(
        suppressed(&report),
        [(
            PLACEHOLDER.to_string(),
            "inline".to_string(),
            Some("filled in at release time".to_string())
        )]
    );
    assert!(of(&report, "suppression/unused").is_empty());
}

#[test]
fn disable_and_enable_cover_the_lines_between() {
    let repo = temp_repo(&[(
        "README.md",
        "# Widgets\n\nTODO before.\n\n<!-- ospolint-disable hygiene/placeholder-text, hygiene/empty-section -->\n\nTODO inside.\n\n## Empty\n\n## Next\n\nText under next.\n\n<!-- ospolint-enable hygiene/placeholder-text hygiene/empty-section -->\n\nTODO after.\n",
    )]);
    let report = check_json_in(repo.path(), &[]);
    let lines: Vec<Option<u64>> = of(&report, PLACEHOLDER).into_iter().map(|f| f.2).collect();
    assert_eq!(lines, [Some(3), Some(17)]);
    assert!(of(&report, "hygiene/empty-section").is_empty());
    assert_eq!(suppressed(&report).len(), 2);
}

#[test]
fn a_disable_without_enable_lasts_to_the_end_of_the_file() {
    let repo = temp_repo(&[("README.md", "# Widgets\n\nTODO before.\n\n<!-- ospolint-disable hygiene/placeholder-text -->\n\nTODO one.\n\nTODO two.\n")]);
    let report = check_json_in(repo.path(), &[]);
    let lines: Vec<Option<u64>> = of(&report, PLACEHOLDER).into_iter().map(|f| f.2).collect();
    assert_eq!(lines, [Some(3)]);
}

#[test]
fn disable_file_covers_the_whole_file() {
    let repo = temp_repo(&[
        ("README.md", "# Widgets\n\nTODO one.\n\n<!-- ospolint-disable-file hygiene/placeholder-text -- a template -->\n\nTODO two.\n"),
        ("docs/other.md", "# Other\n\nTODO three.\n"),
    ]);
    let report = check_json_in(repo.path(), &[]);
    assert_eq!(
        of(&report, PLACEHOLDER),
        [(
            PLACEHOLDER.to_string(),
            Some("docs/other.md".to_string()),
            Some(3)
        )]
    );
}

#[test]
fn comments_in_code_blocks_are_examples() {
    let repo = temp_repo(&[("README.md", "# Widgets\n\n```markdown\n<!-- ospolint-disable-file hygiene/placeholder-text -->\n```\n\nTODO here.\n")]);
    let report = check_json_in(repo.path(), &[]);
    assert_eq!(of(&report, PLACEHOLDER).len(), 1);
    assert!(of(&report, "suppression/unused").is_empty());
}

#[test]
fn misuse_is_reported() {
    let repo = temp_repo(&[(
        "README.md",
        "# Widgets\n\n\
         <!-- ospolint-disable-next-line hygiene/placeholder -- typo -->\nTODO one.\n\n\
         <!-- ospolint-disable-next-line hygiene/placeholder-text -- nothing below -->\nAll filled in.\n\n\
         <!-- ospolint-disabel hygiene/placeholder-text -->\n\n\
         <!-- ospolint-disable-next-line -- forgot the rule -->\nText.\n\n\
         <!-- ospolint-enable hygiene/empty-section -->\n",
    )]);
    let report = check_json_in(repo.path(), &[]);
    let rules: Vec<(String, Option<u64>)> = findings(&report)
        .into_iter()
        .filter(|f| f.0.starts_with("suppression/"))
        .map(|f| (f.0, f.2))
        .collect();
    assert_eq!(
        rules,
        [
            ("suppression/unknown-rule".to_string(), Some(3)),
            ("suppression/unused".to_string(), Some(6)),
            ("suppression/invalid".to_string(), Some(9)),
            ("suppression/invalid".to_string(), Some(11)),
            ("suppression/invalid".to_string(), Some(14)),
        ]
    );
    assert_eq!(
        of(&report, PLACEHOLDER).len(),
        1,
        "the misspelt suppression silences nothing"
    );
    let output = ospolint_in(repo.path(), &["check", "--fail-on", "never"]);
    let text = stdout(&output).replace(&repo.path().display().to_string(), "[repo]");
    insta::assert_snapshot!("suppression_misuse_human", text);
}

#[test]
fn suppression_findings_can_be_turned_off() {
    let repo = temp_repo(&[
        ("README.md", "# Widgets\n\n<!-- ospolint-disable-next-line hygiene/placeholder-text -->\nAll filled in.\n"),
        ("ospolint.toml", "[rules]\n\"suppression/unused\" = \"off\"\n"),
    ]);
    let report = check_json_in(repo.path(), &[]);
    assert!(of(&report, "suppression/unused").is_empty());
}

#[test]
fn exemptions_with_a_reason_apply_to_their_paths() {
    let repo = temp_repo(&[
        ("README.md", "# Widgets\n\nTODO one.\n"),
        ("docs/generated/page.md", "# Page\n\nTODO two.\n"),
        (
            "ospolint.toml",
            "[[exemptions]]\nrule = \"hygiene/placeholder-text\"\npaths = [\"docs/generated/**\"]\nreason = \"written by the site generator\"\nexpires = \"2999-12-31\"\n\n[[exemptions]]\nrule = \"security/policy\"\nreason = \"policy under legal review\"\n",
        ),
    ]);
    let report = check_json_in(repo.path(), &[]);
    assert_eq!(
        of(&report, PLACEHOLDER),
        [(
            PLACEHOLDER.to_string(),
            Some("README.md".to_string()),
            Some(3)
        )]
    );
    assert!(
        of(&report, "security/policy").is_empty(),
        "an exemption without paths covers repository-level findings"
    );
    let mut got = suppressed(&report);
    got.sort();
    assert_eq!(
        got,
        [
            (
                PLACEHOLDER.to_string(),
                "exemption".to_string(),
                Some("written by the site generator".to_string())
            ),
            (
                "security/policy".to_string(),
                "exemption".to_string(),
                Some("policy under legal review".to_string())
            ),
        ]
    );
}

#[test]
fn an_exemption_without_reason_is_a_configuration_error() {
    let repo = temp_repo(&[
        ("README.md", "# Widgets\n"),
        ("ospolint.toml", "profile = \"project\"\n\n[[exemptions]]\nrule = \"security/policy\"\npaths = [\"SECURITY.md\"]\n"),
    ]);
    let output = ospolint_in(repo.path(), &["check"]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(
        err.contains("exemption for `security/policy` has no"),
        "{err}"
    );
    assert!(
        err.contains("reason = "),
        "the label says what to add: {err}"
    );
    assert!(
        err.contains("rule = \"security/policy\""),
        "the error shows the entry: {err}"
    );
}

#[test]
fn an_exemption_for_an_unknown_rule_is_a_configuration_error() {
    let repo = temp_repo(&[
        ("README.md", "# Widgets\n"),
        (
            "ospolint.toml",
            "[[exemptions]]\nrule = \"security/polcy\"\nreason = \"r\"\n",
        ),
    ]);
    let output = ospolint_in(repo.path(), &["check"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("did you mean `security/policy`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_expired_exemption_stops_applying_and_is_reported() {
    let repo = temp_repo(&[
        ("README.md", "# Widgets\n\nTODO one.\n"),
        (
            "ospolint.toml",
            "profile = \"project\"\n\n[[exemptions]]\nrule = \"hygiene/placeholder-text\"\nreason = \"until the launch\"\nexpires = 2020-01-31\n",
        ),
    ]);
    let report = check_json_in(repo.path(), &[]);
    assert_eq!(of(&report, PLACEHOLDER).len(), 1, "the findings are back");
    let expired: Vec<_> = report["repositories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "exemption/expired")
        .collect();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["path"], "ospolint.toml");
    assert_eq!(expired[0]["line"], 3);
    assert_eq!(expired[0]["severity"], "warning");
    assert!(expired[0]["message"]
        .as_str()
        .unwrap()
        .contains("expired on 2020-01-31"));
}

#[test]
fn an_exemption_with_a_bad_date_is_a_configuration_error() {
    let repo = temp_repo(&[
        ("README.md", "# Widgets\n"),
        ("ospolint.toml", "[[exemptions]]\nrule = \"security/policy\"\nreason = \"r\"\nexpires = \"next spring\"\n"),
    ]);
    let output = ospolint_in(repo.path(), &["check"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("is not a date"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_baseline_survives_inserted_lines_and_catches_new_findings() {
    let repo = copy_fixture("broken-links");
    let baseline = repo.path().join(".ospolint-baseline.json");
    let output = ospolint_in(
        repo.path(),
        &["check", "--write-baseline", ".ospolint-baseline.json"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // Every finding of a plain run is accepted.
    let plain: Value =
        serde_json::from_slice(&ospolint_in(repo.path(), &["check", "--format", "json"]).stdout)
            .unwrap();
    let total = plain["repositories"][0]["findings"]
        .as_array()
        .unwrap()
        .len();
    assert!(
        stderr(&output).contains(&format!("wrote {total} accepted findings")),
        "{}",
        stderr(&output)
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["repositories"][0]["repository"], ".");

    // Lines inserted above every finding of the README, and a re-indented line: nothing is new.
    let readme = repo.path().join("README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    std::fs::write(
        &readme,
        format!("<!-- a comment -->\n\nAn added paragraph.\n\n{text}"),
    )
    .unwrap();
    let output = ospolint_in(
        repo.path(),
        &["check", "--baseline", ".ospolint-baseline.json"],
    );
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let report = check_json_in(repo.path(), &["--baseline", ".ospolint-baseline.json"]);
    assert!(findings(&report).is_empty(), "{:?}", findings(&report));
    assert_eq!(suppressed(&report).len(), total);

    // A new broken link is new.
    let text = std::fs::read_to_string(&readme).unwrap();
    std::fs::write(&readme, format!("{text}\nSee [the roadmap](ROADMAP.md).\n")).unwrap();
    let report = check_json_in(repo.path(), &["--baseline", ".ospolint-baseline.json"]);
    let new = findings(&report);
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].0, "hygiene/broken-relative-link");
    let output = ospolint_in(
        repo.path(),
        &["check", "--baseline", ".ospolint-baseline.json"],
    );
    assert_eq!(code(&output), 1);
}

#[test]
fn a_baseline_works_from_another_directory() {
    let repo = copy_fixture("broken-links");
    let baseline = repo.path().join("baseline.json");
    let output = ospolint_in(repo.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code(&output), 0);
    let parent = repo.path().parent().unwrap();
    let name = repo.path().file_name().unwrap().to_str().unwrap();
    let output = ospolint_in(
        parent,
        &["check", name, "--baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn fixed_findings_leave_stale_entries() {
    let repo = copy_fixture("broken-links");
    assert_eq!(
        code(&ospolint_in(
            repo.path(),
            &["check", "--write-baseline", "b.json"]
        )),
        0
    );
    write(
        repo.path(),
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities to security@example.org.\n",
    );
    let report = check_json_in(repo.path(), &["--baseline", "b.json"]);
    let stale: Vec<_> = report["repositories"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "baseline/stale")
        .collect();
    assert_eq!(stale.len(), 1, "{report:#}");
    assert_eq!(stale[0]["severity"], "info");
    assert!(stale[0]["message"]
        .as_str()
        .unwrap()
        .contains("`security/policy`"));
}

#[test]
fn a_corrupt_or_foreign_baseline_stops_the_run() {
    let repo = copy_fixture("broken-links");
    write(
        repo.path(),
        "corrupt.json",
        "{\"version\": 1, \"tool\": \"ospolint\", \"repositories\": [\n",
    );
    write(
        repo.path(),
        "future.json",
        "{\"version\": 7, \"tool\": \"ospolint\", \"repositories\": []}\n",
    );
    write(repo.path(), "other.json", "[1, 2, 3]\n");
    let cases = [
        ("corrupt.json", "corrupt baseline"),
        ("future.json", "baseline version 7 is not supported"),
        ("other.json", "not an ospolint baseline"),
        ("missing.json", "cannot read baseline"),
    ];
    for (file, expected) in cases {
        let output = ospolint_in(repo.path(), &["check", "--baseline", file]);
        assert_eq!(code(&output), 2, "{file}");
        assert!(
            stderr(&output).contains(expected),
            "{file}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_baseline_is_not_written_from_files() {
    let repo = copy_fixture("broken-links");
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let output = ospolint_in(
        repo.path(),
        &["check", "README.md", "--write-baseline", "b.json"],
    );
    assert_eq!(code(&output), 2);
    assert!(!repo.path().join("b.json").exists());
}
