//! Findings are values: rules produce them, reporters format them, nothing else decides.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::maturity::{Petal, Stage};

/// How serious a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding points. A finding about something missing has no path: it is about the repository.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path relative to the repository root, with `/` separators.
    pub path: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column, counted in characters.
    pub column: Option<u32>,
    /// Characters the span covers on its line (for the label under the source line).
    #[serde(skip)]
    pub width: Option<u32>,
    /// The source line, kept so reporters can show it after the repository is gone from memory.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Location {
    pub fn repository() -> Self {
        Location::default()
    }

    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: Some(path.into()),
            ..Location::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub petal: Petal,
    pub stage: Stage,
    #[serde(flatten)]
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
    /// The rule's stage is above the configured `target_stage`: reported as info, not failing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub gap: bool,
}

impl Finding {
    /// The order every report uses, so output does not depend on thread scheduling.
    pub fn sort_key(&self) -> (Option<&str>, Option<u32>, Option<u32>, &str, &str) {
        (
            self.location.path.as_deref(),
            self.location.line,
            self.location.column,
            self.rule.as_str(),
            self.message.as_str(),
        )
    }
}

/// Something the scan wants the user to know that is not a rule violation: a skipped file, a lossy decode.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Note {
    pub path: String,
    pub message: String,
}
