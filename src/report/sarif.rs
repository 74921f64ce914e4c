//! SARIF 2.1.0, built with serde-sarif's types, for GitHub code scanning and other SARIF viewers.
//!
//! Every result has a physical location, as code scanning requires: findings about the repository
//! as a whole are attached to its README (or first file) at line 1, and say so in their properties.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif as SarifLog, Tool, ToolComponent,
};

use super::{run_relative, Reporter, RunReport};
use crate::engine::RepoReport;
use crate::finding::{Finding, Severity};
use crate::rule::RuleMeta;
use crate::suppress::fingerprints;

/// The `partialFingerprints` key: ospolint's own fingerprint, versioned with the baseline format.
pub const FINGERPRINT_KEY: &str = "ospolint/v1";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Relative URIs are relative to the directory ospolint ran in, which CI sets to the checkout.
const SRCROOT: &str = "%SRCROOT%";

pub struct Sarif;

impl Reporter for Sarif {
    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let log = build(run);
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

fn build(run: &RunReport) -> SarifLog {
    let index: HashMap<&str, usize> = run
        .rules
        .keys()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let rules: Vec<ReportingDescriptor> = run.rules.values().map(descriptor).collect();
    let mut driver = ToolComponent::builder()
        .name("ospolint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    if let Some(uri) = project_uri() {
        driver.information_uri = Some(uri.to_string());
    }
    let results: Vec<SarifResult> = run
        .repositories
        .iter()
        .flat_map(|repo| {
            let prints = fingerprints(&repo.findings);
            repo.findings
                .iter()
                .zip(prints)
                .map(|(finding, print)| {
                    result(
                        repo,
                        finding,
                        print,
                        index.get(finding.rule.as_str()).copied(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let sarif_run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    SarifLog::builder()
        .version(json!("2.1.0"))
        .schema(SCHEMA)
        .runs(vec![sarif_run])
        .build()
}

fn project_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn descriptor(meta: &RuleMeta) -> ReportingDescriptor {
    let mut help_text = meta.fix.clone();
    let mut help_markdown = meta.fix.clone();
    if let Some(example) = &meta.example {
        help_text.push_str(&format!("\n\nExample:\n{example}"));
        help_markdown.push_str(&format!("\n\nExample:\n\n```\n{example}\n```"));
    }
    let mut properties = BTreeMap::new();
    properties.insert("petal".to_string(), json!(meta.petal.key()));
    properties.insert("stage".to_string(), json!(meta.stage.key()));
    properties.insert(
        "profiles".to_string(),
        json!(meta.profiles.iter().map(|p| p.as_str()).collect::<Vec<_>>()),
    );
    let mut rule = ReportingDescriptor::builder()
        .id(meta.id.clone())
        .short_description(
            MultiformatMessageString::builder()
                .text(meta.title.clone())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(meta.rationale.clone())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level(meta.severity)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec![
                    "governance".to_string(),
                    meta.petal.key().to_string(),
                    meta.stage.key().to_string(),
                ])
                .additional_properties(properties)
                .build(),
        )
        .build();
    rule.help_uri = meta.docs.clone();
    rule
}

fn result(
    repo: &RepoReport,
    finding: &Finding,
    fingerprint: String,
    rule_index: Option<usize>,
) -> SarifResult {
    let loc = &finding.location;
    let whole_repository = loc.path.is_none();
    let file = loc
        .path
        .as_deref()
        .or(repo.anchor.as_deref())
        .unwrap_or("README.md");
    let region = match (loc.line, loc.column) {
        (Some(line), Some(column)) => {
            let end = column + loc.width.unwrap_or(1).max(1);
            Region::builder()
                .start_line(i64::from(line))
                .start_column(i64::from(column))
                .end_column(i64::from(end))
                .build()
        }
        (Some(line), None) => Region::builder().start_line(i64::from(line)).build(),
        _ => Region::builder().start_line(1).build(),
    };
    let mut message = finding.message.clone();
    if whole_repository {
        message = format!("{} (about the repository as a whole)", message);
    }
    if let Some(help) = &finding.help {
        message.push_str("\n\n");
        message.push_str(help);
    }
    let mut properties = BTreeMap::new();
    properties.insert("petal".to_string(), json!(finding.petal.key()));
    properties.insert("stage".to_string(), json!(finding.stage.key()));
    properties.insert("repository".to_string(), json!(repo.path));
    if whole_repository {
        properties.insert("scope".to_string(), json!("repository"));
    }
    let mut result = SarifResult::builder()
        .rule_id(finding.rule.clone())
        .level(level(finding.severity))
        .message(Message::builder().text(message).build())
        .locations(vec![Location::builder()
            .physical_location(
                PhysicalLocation::builder()
                    .artifact_location(artifact(&run_relative(repo, file)))
                    .region(region)
                    .build(),
            )
            .build()])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_string(), fingerprint)]))
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    result.rule_index = rule_index.map(|i| i as i64);
    result
}

/// A file's location: relative paths against `%SRCROOT%`, absolute ones as `file://` URIs.
fn artifact(path: &str) -> ArtifactLocation {
    if path.starts_with('/') {
        ArtifactLocation::builder()
            .uri(format!("file://{}", encode(path)))
            .build()
    } else {
        ArtifactLocation::builder()
            .uri(encode(path))
            .uri_base_id(SRCROOT)
            .build()
    }
}

/// Percent-encodes what may not appear in a URI path (spaces, `#`, `%`, non-ASCII…).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_as_uri_paths() {
        assert_eq!(encode("docs/with space.md"), "docs/with%20space.md");
        assert_eq!(encode("docs/é#1.md"), "docs/%C3%A9%231.md");
    }
}
