//! Document lifecycles: archives, past terms, minutes, changelogs, translations, vendored and
//! generated files are left out of per-document rules by default, with one note saying so;
//! `--all-documents` brings them back; `ospolint artifacts` says what each document is and why;
//! `[documents]` in ospolint.toml overrides the inference. A pointer stub ("this page has moved to…")
//! hands its governance role to the document it points at.

mod common;

use common::{check_json, code, ospolint, ospolint_in, stderr, stdout};
use serde_json::Value;

/// Per-document findings (`hygiene/*`) as `rule path:line`, one per line.
fn hygiene_lines(report: &Value) -> String {
    common::findings(report)
        .into_iter()
        .filter(|(rule, _, _)| rule.starts_with("hygiene/"))
        .map(|(rule, path, line)| {
            format!(
                "{rule} {}:{}",
                path.unwrap_or_default(),
                line.map_or(String::new(), |l| l.to_string())
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn notes(report: &Value) -> Vec<String> {
    report["repositories"][0]["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn only_live_documents_are_judged_by_default() {
    let report = check_json(&["--fail-on", "never", "fixtures/lifecycle"]);
    // The one live document with a problem: minutes of a meeting still to come.
    assert_eq!(
        hygiene_lines(&report),
        "hygiene/empty-section meetings/notes/2099-01-06.md:3"
    );
    assert_eq!(
        notes(&report),
        ["11 documents were not linted (3 in archives or past terms, 1 meeting record, 1 changelog, 1 generated, 2 vendored, 3 translations): `ospolint artifacts` says why; use `--all-documents` to include them"]
    );
}

#[test]
fn all_documents_judges_every_document() {
    let report = check_json(&[
        "--fail-on",
        "never",
        "--all-documents",
        "fixtures/lifecycle",
    ]);
    insta::assert_snapshot!(hygiene_lines(&report));
    assert!(notes(&report).is_empty(), "{:?}", notes(&report));
}

#[test]
fn artifacts_say_what_each_document_is_and_why() {
    let output = ospolint(&["artifacts", "fixtures/lifecycle"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let documents = &text[text.find("  documents:").expect("a documents section")..];
    insta::assert_snapshot!(documents);

    let output = ospolint(&["artifacts", "--format", "json", "fixtures/lifecycle"]);
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let lifecycle_of = |path: &str| {
        json["repositories"][0]["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .find(|d| d["path"] == path)
            .map(|d| d["lifecycle"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(lifecycle_of("README.md").as_deref(), Some("live"));
    assert_eq!(
        lifecycle_of("programs/2026/README.md").as_deref(),
        Some("live")
    );
    assert_eq!(
        lifecycle_of("programs/2024/README.md").as_deref(),
        Some("archive")
    );
    assert_eq!(
        lifecycle_of("generated/rules.md").as_deref(),
        Some("generated")
    );
    assert_eq!(lifecycle_of("LICENSE"), None, "only documents are listed");
}

#[test]
fn records_never_play_a_governance_role() {
    let output = ospolint(&["artifacts", "--format", "json", "fixtures/lifecycle"]);
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let files = |role: &str| -> Vec<String> {
        json["repositories"][0]["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .find(|r| r["role"] == role)
            .and_then(|r| r["files"].as_array())
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect()
    };
    // The 2024 term is a record: evidence among the mentoring documents, never the programme.
    assert_eq!(files("mentoring"), ["programs/2026/README.md"]);
    assert_eq!(
        files("mentoring-docs"),
        ["programs/2026/README.md", "programs/2024/README.md"],
        "live documents first"
    );
}

#[test]
fn the_configuration_overrides_the_inference() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = dir.path().join("ospolint.toml");
    std::fs::write(
        &config,
        "[documents]\nlive = [\"archive/**\"]\ntranslation = [\"docs/en/**\"]\n",
    )
    .expect("config written");
    let config = config.display().to_string();
    let report = check_json(&[
        "--fail-on",
        "never",
        "--config",
        &config,
        "fixtures/lifecycle",
    ]);
    let lines = hygiene_lines(&report);
    assert!(
        lines.contains("hygiene/placeholder-text archive/2019-plan.md:3"),
        "{lines}"
    );
    let output = ospolint(&["artifacts", "--config", &config, "fixtures/lifecycle"]);
    assert!(
        stdout(&output).contains(
            "docs/en/guide.md: listed under `translation` in [documents] of ospolint.toml"
        ),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_bad_documents_section_is_a_configuration_error() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        dir.path().join("ospolint.toml"),
        "[documents]\narchive = [\"old/[\"]\nlive = []\n",
    )
    .expect("config written");
    let output = ospolint_in(dir.path(), &["check", "."]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("invalid glob `old/[`"),
        "{}",
        stderr(&output)
    );

    std::fs::write(
        dir.path().join("ospolint.toml"),
        "[documents]\narchived = [\"old/**\"]\n",
    )
    .expect("config written");
    let output = ospolint_in(dir.path(), &["check", "."]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("archived"), "{}", stderr(&output));
    assert!(stderr(&output).contains("archive"), "{}", stderr(&output));
}

#[test]
fn a_pointer_stub_hands_its_role_to_the_document_it_points_at() {
    let report = check_json(&["--fail-on", "never", "fixtures/pointer-stubs"]);
    let findings = report["repositories"][0]["findings"]
        .as_array()
        .expect("findings");
    let of = |rule: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                format!(
                    "{} {}",
                    f["path"].as_str().unwrap_or("-"),
                    f["message"].as_str().unwrap_or_default()
                )
            })
            .collect()
    };
    // "Please see our security policy" is a pointer: the policy it points at is judged, and passes.
    assert!(
        of("security/policy").is_empty(),
        "{:?}",
        of("security/policy")
    );
    // A governance page that has moved into an archive leaves no current governance document.
    assert_eq!(
        of("governance/model"),
        ["- no governance document found (looked for GOVERNANCE, governance-charter, charter in .github/, the root, docs/, governance/; GOVERNANCE.md only points to docs/archive/governance.md, which is kept as a record (archive))"]
    );
    let output = ospolint(&["artifacts", "--format", "json", "fixtures/pointer-stubs"]);
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let security = json["repositories"][0]["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["role"] == "security")
        .expect("security role");
    assert_eq!(
        security["files"],
        serde_json::json!(["docs/security/README.md"])
    );
}
