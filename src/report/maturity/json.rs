//! `ospolint maturity --format json`. Versioned like `check`'s output: fields are only added within
//! a version. Documented in `docs/maturity.md`.

use std::io::{self, Write};

use serde::Serialize;

use super::{MaturityReporter, MaturityRun};
use crate::finding::Severity;
use crate::maturity::assess::weight;
use crate::maturity::{Assessment, Rollup, Stage};

pub const MATURITY_JSON_VERSION: u32 = 1;

pub struct JsonMaturity;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    kind: &'static str,
    tool: Tool,
    model: ModelInfo,
    summary: Summary<'a>,
    repositories: &'a [Assessment],
    #[serde(skip_serializing_if = "Option::is_none")]
    rollup: Option<&'a Rollup>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct ModelInfo {
    stages: Vec<StageInfo>,
    weights: Weights,
}

#[derive(Serialize)]
struct StageInfo {
    stage: Stage,
    title: &'static str,
}

#[derive(Serialize)]
struct Weights {
    error: u32,
    warning: u32,
    info: u32,
}

#[derive(Serialize)]
struct Summary<'a> {
    repositories: usize,
    min_stage: Option<Stage>,
    below_min_stage: Vec<&'a str>,
    gate: &'static str,
}

impl MaturityReporter for JsonMaturity {
    fn write(&self, run: &MaturityRun, out: &mut dyn Write) -> io::Result<()> {
        let doc = Document {
            version: MATURITY_JSON_VERSION,
            kind: "maturity",
            tool: Tool {
                name: "ospolint",
                version: env!("CARGO_PKG_VERSION"),
            },
            model: ModelInfo {
                stages: Stage::ALL
                    .iter()
                    .map(|&stage| StageInfo {
                        stage,
                        title: stage.title(),
                    })
                    .collect(),
                weights: Weights {
                    error: weight(Severity::Error),
                    warning: weight(Severity::Warning),
                    info: weight(Severity::Info),
                },
            },
            summary: Summary {
                repositories: run.assessments.len(),
                min_stage: run.min_stage,
                below_min_stage: run
                    .below_min_stage()
                    .iter()
                    .map(|a| a.path.as_str())
                    .collect(),
                gate: if run.gate_failed() {
                    "failed"
                } else {
                    "passed"
                },
            },
            repositories: &run.assessments,
            rollup: run.rollup.as_ref(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
