//! Reporters for `ospolint maturity`: the same assessments for people, machines and job pages.

mod human;
mod json;
mod markdown;

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

pub use human::{one_line, HumanMaturity};
pub use json::JsonMaturity;
pub use markdown::MarkdownMaturity;

use crate::finding::Severity;
use crate::maturity::{self, Assessment, Petal, Rollup, Stage};

/// What a `maturity` run produced.
#[derive(Debug, Clone)]
pub struct MaturityRun {
    pub assessments: Vec<Assessment>,
    /// The organization roll-up, for `--org` runs.
    pub rollup: Option<Rollup>,
    pub min_stage: Option<Stage>,
    /// What the assessments refer to by id, given once: every rule of the catalogs used...
    pub rules: BTreeMap<String, RuleSummary>,
    /// ...and every signal of the models used, with its description.
    pub signals: BTreeMap<String, String>,
}

/// A rule as the maturity reports need it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    pub title: String,
    pub petal: Petal,
    pub stage: Stage,
    pub severity: Severity,
    pub fix: String,
}

impl MaturityRun {
    /// The repositories below `--min-stage`.
    pub fn below_min_stage(&self) -> Vec<&Assessment> {
        match self.min_stage {
            Some(min) => self
                .assessments
                .iter()
                .filter(|a| maturity::below(a.stage, min))
                .collect(),
            None => Vec::new(),
        }
    }

    pub fn gate_failed(&self) -> bool {
        !self.below_min_stage().is_empty()
    }
}

pub trait MaturityReporter {
    fn write(&self, run: &MaturityRun, out: &mut dyn Write) -> io::Result<()>;
}

/// What `render` writes, passed to `out` with every control character escaped: paths, titles
/// and messages come from repositories, and these reports compose no escape sequences of their
/// own, so escaping the whole text covers every field at once.
fn escaped(
    out: &mut dyn Write,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut buffer = Vec::new();
    render(&mut buffer)?;
    let text = String::from_utf8_lossy(&buffer);
    out.write_all(crate::printable::escape_controls(&text).as_bytes())
}

/// A bar of `width` cells for a percentage.
fn bar(percent: Option<u32>, width: usize) -> String {
    let filled = percent
        .map_or(0, |p| (p as usize * width + 50) / 100)
        .min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn percent(p: Option<u32>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| format!("{p} %"))
}
