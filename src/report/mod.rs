//! Reporters: the same findings, formatted for people or machines. Reporters never decide anything.

mod human;
mod json;

use std::io::{self, Write};

use serde::Serialize;

pub use human::Human;
pub use json::Json;

use crate::engine::RepoReport;
use crate::finding::Severity;

/// The lowest severity that fails the gate, or `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// The outcome of a `check` run: what every reporter formats.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub repositories: Vec<RepoReport>,
    pub fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(severities: impl IntoIterator<Item = Severity>) -> Counts {
        let mut counts = Counts::default();
        for s in severities {
            match s {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

impl RunReport {
    pub fn counts(&self) -> Counts {
        Counts::of(
            self.repositories
                .iter()
                .flat_map(|r| r.findings.iter().map(|f| f.severity)),
        )
    }

    /// Whether some finding is at or above the `--fail-on` threshold.
    pub fn gate_failed(&self) -> bool {
        match self.fail_on.threshold() {
            Some(threshold) => self
                .repositories
                .iter()
                .flat_map(|r| &r.findings)
                .any(|f| f.severity >= threshold),
            None => false,
        }
    }
}

/// A report format.
pub trait Reporter {
    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()>;
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
