//! Check kind `placeholder-text`: unfilled template text left in a document.
//!
//! Where a shape is a placeholder is the document model's business (never in code, a word marker
//! only where it stands for missing text, never a name such as "TODO Group"); this check decides how
//! serious it is: expected in templates (info), an open slot of a dated schedule (info), worse in the
//! files error-severity rules depend on.

use serde::Deserialize;

use super::broken_relative_link::target_exists;
use super::{Check, Emitter, RepoContext};
use crate::doc::{Document, PlaceholderMatch, Why};
use crate::finding::Severity;
use crate::scan::FileId;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderText {
    /// Roles read by error-severity rules: a placeholder there (a security contact left as
    /// `[INSERT EMAIL ADDRESS]`) is an error.
    #[serde(default)]
    pub error_roles: Vec<String>,
}

impl Check for PlaceholderText {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let strict = out.at_default_severity();
        let error_files: Vec<FileId> = self
            .error_roles
            .iter()
            .flat_map(|r| cx.artifacts.resolve(r).files.clone())
            .collect();
        let today = cx.settings.today();
        for doc in cx.markup_documents() {
            let template = cx.template_evidence(&doc.path);
            let critical = strict
                && template.is_none()
                && cx
                    .repo
                    .index()
                    .find(&doc.path)
                    .is_some_and(|id| error_files.contains(&id));
            let adjust = |finding: &mut crate::finding::Finding| {
                if let Some(why) = &template {
                    finding.at_most(Severity::Info).help(format!(
                        "This file is a template ({why}), so the placeholder is expected; fill it in when the template is used."
                    ));
                } else if critical {
                    finding.raise_to(Severity::Error);
                }
            };
            // A template is mostly empty by design: only what it leaves unfilled is reported.
            if let Some(stub) = cx.placeholders.stub(&doc).filter(|_| template.is_none()) {
                adjust(out.at(&doc, stub.range, stub.message));
            }
            // A link to a folder literally named `{{cookiecutter.project_slug}}` is not a placeholder.
            let existing_targets: Vec<std::ops::Range<usize>> = doc
                .links
                .iter()
                .filter(|l| {
                    l.target.contains("{{")
                        && !l.is_external()
                        && target_exists(cx, &doc, &l.target)
                })
                .map(|l| l.span.clone())
                .collect();
            for m in doc.placeholders(cx.placeholders) {
                if existing_targets
                    .iter()
                    .any(|span| span.contains(&m.range.start))
                {
                    continue;
                }
                let finding = out.at(&doc, m.range.clone(), cx.placeholders.message(m));
                if template.is_none() && open_schedule_slot(&doc, m, cx, today) {
                    finding.at_most(Severity::Info).help(
                        "A slot of a dated schedule later than its last filled row: it stays open until it is assigned.",
                    );
                    continue;
                }
                adjust(finding);
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        self.error_roles.iter().map(String::as_str).collect()
    }
}

/// Whether `m` is a whole table cell of a schedule row (a table whose first column holds dates)
/// dated after the schedule's last row without placeholders — or, when no row is filled yet, after
/// today: a slot not assigned yet, not a gap left behind.
fn open_schedule_slot(
    doc: &Document,
    m: &PlaceholderMatch,
    cx: &RepoContext<'_>,
    today: jiff::civil::Date,
) -> bool {
    if m.why != Why::WholeCell {
        return false;
    }
    let row = doc.line_of(m.range.start);
    let is_row = |line: u32| doc.line_text(line).trim_start().starts_with('|');
    let first = (1..row)
        .rev()
        .take_while(|&l| is_row(l))
        .last()
        .unwrap_or(row);
    let last = (row..=doc.line_count() as u32)
        .take_while(|&l| is_row(l))
        .last()
        .unwrap_or(row);
    let year = doc
        .headings
        .iter()
        .rev()
        .find(|h| h.line < first)
        .and_then(|h| year_in(&h.text));
    let Some(date) = row_date(doc.line_text(row), year) else {
        return false;
    };
    let filled = (first..=last)
        .filter(|&l| {
            let range = doc.line_range(l);
            doc.placeholders_in(range, cx.placeholders).is_empty()
        })
        .filter_map(|l| row_date(doc.line_text(l), year))
        .max();
    match filled {
        Some(newest) => date > newest,
        None => year.is_some() && date > today,
    }
}

/// A four-digit year (1900–2199) in `text`.
fn year_in(text: &str) -> Option<i16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .filter_map(|t| t.parse::<i16>().ok())
        .find(|y| (1900..2200).contains(y))
}

/// The date in the first cell of a table row: `2026-07-21`, `Jul 21`, `21 July 2026`, `July 21st`;
/// a date without its year takes `year` (from the heading above the table), or a common one when
/// there is none, so that rows of one table still compare.
fn row_date(row: &str, year: Option<i16>) -> Option<jiff::civil::Date> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let cell = row.trim_start().strip_prefix('|')?.split('|').next()?;
    let tokens: Vec<&str> = cell
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let number = |t: &str| {
        t.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<i16>()
            .ok()
    };
    if let [y, m, d] = tokens.as_slice() {
        if y.len() == 4 {
            if let (Some(y), Some(m), Some(d)) = (number(y), number(m), number(d)) {
                return jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?)
                    .ok();
            }
        }
    }
    let month = tokens.iter().find_map(|t| {
        let lower = t.to_ascii_lowercase();
        (lower.len() >= 3 && lower.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| MONTHS.iter().position(|m| lower.starts_with(m)))
            .flatten()
    })?;
    let day = tokens
        .iter()
        .filter(|t| t.starts_with(|c: char| c.is_ascii_digit()) && t.len() <= 4)
        .find_map(|t| number(t).filter(|d| (1..=31).contains(d)))?;
    let year = tokens
        .iter()
        .find_map(|t| (t.len() == 4).then(|| number(t)).flatten())
        .or(year)
        .unwrap_or(2000);
    jiff::civil::Date::new(year, month as i8 + 1, i8::try_from(day).ok()?).ok()
}
