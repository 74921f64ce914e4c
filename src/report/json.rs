//! Machine-readable output. The shape is versioned: fields are only added within a version.
//! Documented in `docs/json-format.md`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Counts, FailOn, Reporter, RunReport};
use crate::engine::RepoReport;
use crate::maturity::Stage;

pub const JSON_VERSION: u32 = 1;

pub struct Json;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    repositories: Vec<Repository<'a>>,
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
            repositories: run
                .repositories
                .iter()
                .enumerate()
                .map(|(i, report)| Repository {
                    report,
                    stage: run.maturity.get(i).and_then(|a| a.stage),
                    summary: Counts::of(report.findings.iter().map(|f| f.severity)),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
