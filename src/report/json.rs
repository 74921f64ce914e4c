//! Machine-readable output. The shape is versioned: fields are only added within a version.
//! Documented in `docs/json-format.md`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use super::{Counts, FailOn, Reporter, RunReport};
use crate::engine::RepoReport;
use crate::maturity::Stage;

pub const JSON_VERSION: u32 = 1;

pub struct Json;

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

/// `value` pretty-printed (two spaces a level) as it reads `depth` levels down in the document,
/// so that a value written on its own, on any thread, is already indented for its place.
fn write_at<W: Write>(out: W, depth: usize, value: &impl Serialize) -> io::Result<()> {
    let mut formatter = PrettyFormatter::with_indent(b"  ");
    // Opening `depth` arrays (into a sink) is how serde_json's printer gets that deep.
    for _ in 0..depth {
        formatter.begin_array(&mut io::sink())?;
    }
    value
        .serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
        .map_err(io::Error::from)
}

/// Where the members of `repositories` sit: inside the document's object and the array.
const REPOSITORY_DEPTH: usize = 2;

/// One repository's object, rendered on its own (in parallel with the others) and indented for
/// its place in the document.
fn render(repository: &Repository<'_>) -> io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    write_at(&mut buffer, REPOSITORY_DEPTH, repository)?;
    Ok(buffer)
}

impl Reporter for Json {
    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        // Repositories are rendered on the worker threads; the document around them is written
        // here, field by field, in the same pretty-printed shape.
        let repositories = crate::engine::map_repositories(
            run.jobs,
            run.repositories.iter().enumerate().collect(),
            |(i, report)| {
                render(&Repository {
                    report,
                    stage: run.maturity.get(i).and_then(|a| a.stage),
                    summary: Counts::of(&report.findings),
                })
            },
        )
        .into_iter()
        .collect::<io::Result<Vec<_>>>()?;
        let tool = Tool {
            name: "ospolint",
            version: env!("CARGO_PKG_VERSION"),
        };
        let summary = Summary {
            repositories: run.repositories.len(),
            counts: run.counts(),
            fail_on: run.fail_on,
            min_stage: run.min_stage,
            gate: if run.gate_failed() {
                "failed"
            } else {
                "passed"
            },
        };
        write!(out, "{{\n  \"version\": {JSON_VERSION},\n  \"tool\": ")?;
        write_at(&mut *out, 1, &tool)?;
        out.write_all(b",\n  \"summary\": ")?;
        write_at(&mut *out, 1, &summary)?;
        out.write_all(b",\n  \"repositories\": [")?;
        for (i, repository) in repositories.iter().enumerate() {
            out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            out.write_all(repository)?;
        }
        if !repositories.is_empty() {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"]\n}\n")
    }
}
