//! The CI formats (SARIF, GitHub workflow commands, Markdown, JUnit) on the fixtures, and
//! `--output`.

mod common;

use std::process::Command;

use common::{code, ospolint, stdout};
use serde_sarif::sarif::{ResultLevel, Sarif};

const FIXTURES: [&str; 3] = ["healthy-project", "broken-links", "template-repo"];

fn check(format: &str, name: &str) -> String {
    let path = format!("fixtures/{name}");
    let output = ospolint(&["check", "--format", format, &path]);
    assert!(
        code(&output) == 0 || code(&output) == 1,
        "{format} on {name}: {}",
        common::stderr(&output)
    );
    stdout(&output)
}

#[test]
fn sarif_snapshots() {
    for name in FIXTURES {
        insta::assert_snapshot!(format!("sarif_{name}"), check("sarif", name));
    }
}

#[test]
fn github_snapshots() {
    for name in FIXTURES {
        insta::assert_snapshot!(format!("github_{name}"), check("github", name));
    }
}

#[test]
fn markdown_snapshots() {
    for name in FIXTURES {
        insta::assert_snapshot!(format!("markdown_{name}"), check("markdown", name));
    }
}

#[test]
fn junit_snapshots() {
    for name in FIXTURES {
        insta::assert_snapshot!(format!("junit_{name}"), check("junit", name));
    }
}

/// The SARIF log read back through serde-sarif's types, field by field.
#[test]
fn sarif_reads_back_through_the_sarif_types() {
    let text = check("sarif", "broken-links");
    let log: Sarif = serde_json::from_str(&text).expect("valid SARIF for serde-sarif");
    assert_eq!(log.version, serde_json::json!("2.1.0"));
    assert!(log
        .schema
        .as_deref()
        .is_some_and(|s| s.contains("sarif-2.1.0")));
    assert_eq!(log.runs.len(), 1);
    let run = &log.runs[0];
    assert_eq!(
        run.column_kind,
        Some(serde_json::json!("unicodeCodePoints"))
    );

    let driver = &run.tool.driver;
    assert_eq!(driver.name, "ospolint");
    assert_eq!(driver.version.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    let rules = driver.rules.as_ref().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    for id in [
        "hygiene/broken-relative-link",
        "security/policy",
        "suppression/unused",
    ] {
        assert!(ids.contains(&id), "{id} ran, so it is described: {ids:?}");
    }
    let link_rule = rules
        .iter()
        .find(|r| r.id == "hygiene/broken-relative-link")
        .unwrap();
    assert_eq!(
        link_rule.short_description.as_ref().unwrap().text,
        "Relative links and anchors point at something that exists"
    );
    assert!(link_rule
        .full_description
        .as_ref()
        .unwrap()
        .text
        .contains("governance document"));
    assert!(link_rule
        .help
        .as_ref()
        .unwrap()
        .text
        .contains("Point the link"));
    assert!(link_rule
        .help
        .as_ref()
        .unwrap()
        .markdown
        .as_ref()
        .unwrap()
        .contains("```"));
    assert_eq!(
        link_rule.default_configuration.as_ref().unwrap().level,
        Some(serde_json::json!("error"))
    );
    let props = &link_rule.properties.as_ref().unwrap().additional_properties;
    assert_eq!(props["petal"], "any");
    assert_eq!(props["stage"], "awareness");

    let results = run.results.as_ref().expect("results");
    let broken: Vec<_> = results
        .iter()
        .filter(|r| r.rule_id.as_deref() == Some("hygiene/broken-relative-link"))
        .collect();
    assert_eq!(broken.len(), 6);
    let first = broken[0];
    assert_eq!(first.level, Some(ResultLevel::Error));
    assert!(first
        .message
        .text
        .as_deref()
        .unwrap()
        .starts_with("link target `docs/missing.md` does not exist"));
    let index = first.rule_index.expect("ruleIndex") as usize;
    assert_eq!(rules[index].id, "hygiene/broken-relative-link");
    let physical = first.locations.as_ref().unwrap()[0]
        .physical_location
        .as_ref()
        .unwrap();
    let artifact = physical.artifact_location.as_ref().unwrap();
    assert_eq!(
        artifact.uri.as_deref(),
        Some("fixtures/broken-links/README.md")
    );
    assert_eq!(artifact.uri_base_id.as_deref(), Some("%SRCROOT%"));
    let region = physical.region.as_ref().unwrap();
    assert_eq!(
        (region.start_line, region.start_column, region.end_column),
        (Some(5), Some(3), Some(34))
    );
    let prints = first.partial_fingerprints.as_ref().unwrap();
    assert_eq!(prints["ospolint/v1"].len(), 16);

    // Every result has a file, as code scanning requires; repository-level ones use the README.
    for r in results {
        let location = &r.locations.as_ref().unwrap()[0];
        let uri = location
            .physical_location
            .as_ref()
            .unwrap()
            .artifact_location
            .as_ref()
            .unwrap()
            .uri
            .as_deref()
            .unwrap();
        assert!(uri.starts_with("fixtures/broken-links/"), "{uri}");
    }
    let missing = results
        .iter()
        .find(|r| r.rule_id.as_deref() == Some("security/policy"))
        .unwrap();
    assert_eq!(
        missing.properties.as_ref().unwrap().additional_properties["scope"],
        "repository"
    );
    let uri = missing.locations.as_ref().unwrap()[0]
        .physical_location
        .as_ref()
        .unwrap()
        .artifact_location
        .as_ref()
        .unwrap()
        .uri
        .clone();
    assert_eq!(uri.as_deref(), Some("fixtures/broken-links/README.md"));

    // A path with a space is a valid URI.
    assert!(text.contains("with%20space.md") || !text.contains("with space.md"));
}

#[test]
fn sarif_levels_follow_severities() {
    let log: Sarif = serde_json::from_str(&check("sarif", "template-repo")).unwrap();
    let results = log.runs[0].results.as_ref().unwrap();
    assert!(
        results.iter().any(|r| r.level == Some(ResultLevel::Note)),
        "template placeholders are info → note"
    );
}

#[test]
fn output_writes_more_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    let output = ospolint(&[
        "check",
        "fixtures/broken-links",
        "--output",
        &format!("sarif={}", sarif.display()),
        "--output",
        &format!("JUnit={}", junit.display()),
    ]);
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output).contains("gate failed"),
        "stdout keeps the human format"
    );
    let log: Sarif = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert!(!log.runs[0].results.as_ref().unwrap().is_empty());
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml") && xml.contains("<failure"));
    assert!(!xml.contains('\u{1b}'), "files never get terminal colors");
}

#[test]
fn output_rejects_a_bad_specification() {
    let output = ospolint(&["check", "fixtures/broken-links", "--output", "yaml=x.yaml"]);
    assert_eq!(code(&output), 2);
    assert!(common::stderr(&output).contains("unknown format `yaml`"));
    let output = ospolint(&["check", "fixtures/broken-links", "--output", "sarif"]);
    assert_eq!(code(&output), 2);
    assert!(common::stderr(&output).contains("FORMAT=PATH"));
}

#[test]
fn github_format_appends_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ospolint"))
        .args(["check", "--format", "github", "fixtures/broken-links"])
        .current_dir(common::root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n## ospolint: gate failed"),
        "{text}"
    );
    assert!(text.contains("| fixtures/broken-links | project | 11 |"));
}

#[test]
fn github_annotations_escape_their_data() {
    let text = check("github", "broken-links");
    for line in text.lines().filter(|l| l.starts_with("::")) {
        let (command, data) = line[2..].split_once("::").expect("command::data");
        assert!(!data.contains('\n') && !data.contains('\r'));
        let properties = command.split_once(' ').map_or("", |(_, p)| p);
        for property in properties.split(',') {
            let (_, value) = property.split_once('=').expect("key=value");
            assert!(!value.contains(':'), "unescaped colon in {property}");
        }
    }
    assert!(text.contains("::error file=fixtures/broken-links/README.md,line=5,col=3,endColumn=34,title=ospolint hygiene/broken-relative-link::"));
}
