//! Reporters: the same findings, formatted for people or machines. Reporters never decide anything.

pub mod github;
mod human;
mod json;
mod junit;
mod markdown;
pub mod maturity;
mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use junit::Junit;
pub use markdown::Markdown;
pub use sarif::Sarif;

use crate::engine::RepoReport;
use crate::finding::{Finding, Severity};
use crate::maturity::{below, Assessment, Stage};
use crate::rule::RuleMeta;

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
    /// Metadata of every rule that ran on some repository, by id.
    pub rules: BTreeMap<String, RuleMeta>,
    /// The maturity assessment of each repository, in the same order.
    pub maturity: Vec<Assessment>,
    /// `--min-stage`: the run fails when a repository is below it.
    pub min_stage: Option<Stage>,
    /// `--jobs`: threads a report may use to render repositories (0 = one per core).
    pub jobs: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    /// The findings counted by severity, a summing-up finding as the findings it stands for.
    pub fn of<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Counts {
        let mut counts = Counts::default();
        for finding in findings {
            let n = finding.weight();
            match finding.severity {
                Severity::Error => counts.errors += n,
                Severity::Warning => counts.warnings += n,
                Severity::Info => counts.infos += n,
            }
        }
        counts
    }
}

impl RunReport {
    pub fn counts(&self) -> Counts {
        Counts::of(self.repositories.iter().flat_map(|r| &r.findings))
    }

    /// Whether some finding is at or above the `--fail-on` threshold, or some repository is below
    /// `--min-stage`.
    pub fn gate_failed(&self) -> bool {
        self.findings_failed() || self.below_min_stage().next().is_some()
    }

    /// The repositories below `--min-stage`.
    pub fn below_min_stage(&self) -> impl Iterator<Item = &Assessment> {
        let min = self.min_stage;
        self.maturity
            .iter()
            .filter(move |a| min.is_some_and(|min| below(a.stage, min)))
    }

    fn findings_failed(&self) -> bool {
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

/// A finding's file as seen from where ospolint ran: the repository's path joined with the
/// repository-relative path, without `./` noise.
pub(crate) fn run_relative(repo: &RepoReport, path: &str) -> String {
    let base = repo.path.trim_end_matches('/');
    let base = base.strip_prefix("./").unwrap_or(base);
    if base.is_empty() || base == "." {
        path.to_string()
    } else {
        format!("{base}/{path}")
    }
}

impl FailOn {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }

    /// Whether a finding of this severity fails the gate.
    pub fn fails(self, severity: Severity) -> bool {
        self.threshold().is_some_and(|t| severity >= t)
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
