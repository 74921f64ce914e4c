//! Machine-readable output. The shape is versioned: fields are only added within a version.
//! Documented in `docs/json-format.md`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

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
    stage: Option<Stage>,
    summary: Counts,
}

/// Pretty printing (two spaces a level) that starts at a given depth, so a value can be written on
/// its own, on any thread, already indented for its place in the document.
struct Indented {
    depth: usize,
    /// The array or object being written has a member, so its closing bracket goes on a new line.
    has_value: bool,
}

impl Indented {
    fn at(depth: usize) -> Indented {
        Indented {
            depth,
            has_value: false,
        }
    }

    fn new_line<W: ?Sized + Write>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(b"\n")?;
        for _ in 0..self.depth {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(out)?;
        }
        out.write_all(bracket)
    }

    fn member<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.new_line(out)
    }
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.member(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.member(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` pretty-printed at `depth` levels of indentation.
fn write_at<W: Write>(out: W, depth: usize, value: &impl Serialize) -> io::Result<()> {
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            out,
            Indented::at(depth),
        ))
        .map_err(io::Error::from)
}

/// Where the members of `repositories` sit: inside the document's object and the array.
const REPOSITORY_DEPTH: usize = 2;

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
                    summary: Counts::of(report.findings.iter().map(|f| f.severity)),
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
