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
    /// A bounded window of the source line around the span, kept so reporters can show it after
    /// the repository is gone from memory. Never the whole line: a one-line document of a
    /// megabyte with thousands of findings would be copied once per finding.
    #[serde(skip)]
    pub excerpt: Option<Excerpt>,
    /// What a baseline fingerprint knows of the source line (see `suppress::fingerprint`), taken
    /// from the whole line when the finding was made.
    #[serde(skip)]
    pub line_key: Option<u64>,
}

/// Bytes of a source line kept on each side of a finding's span, and of the span itself.
pub const EXCERPT_CONTEXT: usize = 160;

/// Part of a finding's source line: at most [`EXCERPT_CONTEXT`] bytes before the span, the span
/// (cut to as many bytes) and as many after it, cut on character boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// The 1-based column, in characters, of the excerpt's first character on its line.
    pub first_column: u32,
    /// The line goes on before or after the excerpt: reporters show an ellipsis there.
    pub cut_before: bool,
    pub cut_after: bool,
}

impl Excerpt {
    /// The window of `line` around the byte range `span` (relative to the line), with the
    /// column of the line's start of `span` given as `span_column`.
    pub fn around(line: &str, span: std::ops::Range<usize>, span_column: u32) -> Excerpt {
        let start = floor_char_boundary(line, span.start.min(line.len()));
        let span_end = span
            .end
            .clamp(start, line.len())
            .min(start + EXCERPT_CONTEXT);
        let from = floor_char_boundary(line, start.saturating_sub(EXCERPT_CONTEXT));
        let to = ceil_char_boundary(line, (span_end + EXCERPT_CONTEXT).min(line.len()));
        let skipped = line[from..start].chars().count() as u32;
        Excerpt {
            text: line[from..to].to_string(),
            first_column: span_column.saturating_sub(skipped).max(1),
            cut_before: from > 0,
            cut_after: to < line.len(),
        }
    }

    /// The excerpt as reporters print it, with `…` where the line was cut, and the character
    /// offset in it of the line's column `column`.
    pub fn shown(&self, column: u32) -> (String, usize) {
        let mut text = String::with_capacity(self.text.len() + 6);
        if self.cut_before {
            text.push('…');
        }
        text.push_str(self.text.trim_end_matches(['\r', '\n']));
        if self.cut_after {
            text.push('…');
        }
        let offset =
            column.saturating_sub(self.first_column) as usize + usize::from(self.cut_before);
        (text, offset)
    }
}

/// `text` cut to at most `max` bytes on a character boundary, with `…` when it was cut: for
/// messages that quote a document, whose quotes may be a megabyte long.
pub fn bounded(mut text: String, max: usize) -> String {
    if text.len() > max {
        let cut = floor_char_boundary(&text, max);
        text.truncate(cut);
        text.push('…');
    }
    text
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
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
    /// A finding that sums up this many findings of its rule in its file, left out past
    /// [`FINDINGS_PER_FILE`]: it counts as them, not as one.
    #[serde(skip)]
    pub summed_up: Option<usize>,
}

impl Finding {
    /// How many findings this one stands for in the counts: itself, or the findings it sums up.
    pub fn weight(&self) -> usize {
        self.summed_up.unwrap_or(1)
    }

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

/// Findings of one rule listed in one file before the rest are summed up in one finding: past a
/// hundred, more of the same tell the reader nothing, and a hostile document can hold a million.
pub const FINDINGS_PER_FILE: usize = 100;

/// Messages and help are cut to this many bytes: they may quote a document's text.
pub const MAX_MESSAGE: usize = 2048;

/// Something the scan wants the user to know that is not a rule violation: a skipped file, a lossy decode.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Note {
    pub path: String,
    pub message: String,
}
