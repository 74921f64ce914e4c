//! Machine-readable output. The shape is versioned: fields are only added within a version.
//! Documented in `docs/json-format.md`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::PrettyFormatter;
use serde_json::value::RawValue;

use super::{Counts, FailOn, Reporter, RunReport};
use crate::engine::RepoReport;
use crate::maturity::Stage;

pub const JSON_VERSION: u32 = 1;

pub struct Json;

#[derive(Serialize)]
struct Document {
    version: u32,
    tool: Tool,
    summary: Summary,
    /// Rendered one by one: see [`render`].
    repositories: Vec<Box<RawValue>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    repositories: usize,
    #[serde(flatten)]
    counts: Counts,
    fail_on: FailOn,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_stage: Option<Stage>,
    gate: &'static str,
}

#[derive(Serialize)]
struct Repository<'a> {
    #[serde(flatten)]
    report: &'a RepoReport,
    /// The maturity stage reached; `null` below Awareness.
    stage: Option<Stage>,
    summary: Counts,
}

/// One repository's object, rendered on its own (in parallel with the others) and indented for
/// its place in the document: an element of `repositories`, two levels down.
fn render(repository: &Repository<'_>) -> io::Result<Box<RawValue>> {
    let mut buffer = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut buffer, PrettyFormatter::with_indent(b"  "));
    repository.serialize(&mut serializer)?;
    // JSON strings hold no raw line breaks: every one in the text is between tokens.
    let text = String::from_utf8(buffer)
        .map_err(io::Error::other)?
        .replace('\n', "\n    ");
    RawValue::from_string(text).map_err(io::Error::other)
}

impl Reporter for Json {
    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let doc = Document {
            version: JSON_VERSION,
            tool: Tool {
                name: "ospolint",
                version: env!("CARGO_PKG_VERSION"),
            },
            summary: Summary {
                repositories: run.repositories.len(),
                counts: run.counts(),
                fail_on: run.fail_on,
                min_stage: run.min_stage,
                gate: if run.gate_failed() {
                    "failed"
                } else {
                    "passed"
                },
            },
            repositories: crate::engine::map_repositories(
                run.jobs,
                run.repositories.iter().enumerate().collect(),
                |(i, report)| {
                    render(&Repository {
                        report,
                        stage: run.maturity.get(i).and_then(|a| a.stage),
                        summary: Counts::of(report.findings.iter().map(|f| f.severity)),
                    })
                },
            )
            .into_iter()
            .collect::<io::Result<_>>()?,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
