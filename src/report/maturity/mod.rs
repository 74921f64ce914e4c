//! Reporters for `ospolint maturity`: the same assessments for people, machines and job pages.

mod human;
mod json;
mod markdown;

use std::io::{self, Write};

pub use human::{one_line, HumanMaturity};
pub use json::JsonMaturity;
pub use markdown::MarkdownMaturity;

use crate::maturity::{self, Assessment, Rollup, Stage};

/// What a `maturity` run produced.
#[derive(Debug, Clone)]
pub struct MaturityRun {
    pub assessments: Vec<Assessment>,
    /// The organization roll-up, for `--org` runs.
    pub rollup: Option<Rollup>,
    pub min_stage: Option<Stage>,
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
