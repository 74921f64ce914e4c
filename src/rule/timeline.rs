//! Check kind `timeline`: a mentoring cohort's timeline gives dates for its milestones (proposals,
//! selection, start, midterm and final evaluations, end). Files in one folder form one timeline, so
//! a page that only embeds a CSV table (Hugo's `{{< table path="timeline.csv" >}}`) is read together
//! with the table.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::doc::Document;
use crate::pattern::Patterns;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    pub artifact: String,
    /// Milestones a timeline should date.
    pub milestones: Vec<Milestone>,
    /// Dated lines a timeline needs to count as one.
    #[serde(default = "three")]
    pub min_dated: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub name: String,
    pub pattern: Patterns,
}

fn three() -> usize {
    3
}

/// A date: `2026-03-31`, `03/31`, or a capitalised month name (`March 31`, `31 Mar`, "late May to
/// August") — a month is date enough for a milestone, and capitals keep the verb "may" out.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)(?:uary|ruary|ch|il|e|y|ust|tember|ober|ember)?\b\.?|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")
        .expect("valid regex")
});

impl Check for Timeline {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let docs = cx.artifacts.documents(&self.artifact);
        if docs.is_empty() {
            let where_ = cx.artifacts.describe_locations(&self.artifact);
            out.missing(format!("the mentoring program has no timeline ({where_})"));
            return;
        }
        let mut by_folder: BTreeMap<&str, Vec<&Arc<Document>>> = BTreeMap::new();
        for doc in &docs {
            let folder = doc.path.rsplit_once('/').map_or("", |(dir, _)| dir);
            by_folder.entry(folder).or_default().push(doc);
        }
        for (folder, group) in &by_folder {
            let dated: Vec<&str> = group.iter().flat_map(|doc| dated_lines(doc)).collect();
            let shown = group
                .iter()
                .find(|d| d.kind.is_markup())
                .unwrap_or(&group[0]);
            if let Some(cohort) = cohort_year(folder) {
                for doc in group {
                    for (line, year) in other_years(doc, cohort) {
                        out.at_line(doc, line, format!("a dated row of the {cohort} timeline refers to {year}"))
                            .help("Rows copied from last year's timeline keep last year's dates and links; update them for this cohort.");
                    }
                }
            }
            if dated.len() < self.min_dated {
                out.file(
                    &shown.path,
                    format!("{} gives no dates for the program's milestones", shown.path),
                );
                continue;
            }
            let missing: Vec<&str> = self
                .milestones
                .iter()
                .filter(|m| !dated.iter().any(|line| m.pattern.is_match(line)))
                .map(|m| m.name.as_str())
                .collect();
            if !missing.is_empty() {
                out.file(
                    &shown.path,
                    format!("{} gives no date for: {}", shown.path, missing.join(", ")),
                );
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
}

/// The cohort a timeline folder is for: `2026`, `osre26`, `gsoc-2026` → 2026.
fn cohort_year(folder: &str) -> Option<i32> {
    let name = folder.rsplit('/').next().unwrap_or(folder);
    let digits: String = name
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    match digits.len() {
        4 => digits.parse().ok().filter(|y| (2000..2100).contains(y)),
        2 => digits.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// Dated lines mentioning another year than the cohort's, with the year: as a word (`2025`) or at
/// either end of an eight-digit date (`02272025` in a link to last year's announcement).
fn other_years(doc: &Document, cohort: i32) -> Vec<(u32, i32)> {
    let mut out = Vec::new();
    for (number, line) in doc.lines().enumerate() {
        if !DATE.is_match(line)
            || doc
                .hidden_at(doc.line_range(number as u32 + 1).start)
                .is_some()
        {
            continue;
        }
        let years = line
            .split(|c: char| !c.is_ascii_digit())
            .flat_map(|run| match run.len() {
                4 => vec![&run[..4]],
                8 => vec![&run[..4], &run[4..]],
                _ => Vec::new(),
            })
            .filter_map(|y| y.parse::<i32>().ok())
            .find(|y| (2000..2100).contains(y) && *y != cohort);
        if let Some(year) = years {
            out.push((number as u32 + 1, year));
        }
    }
    out
}

/// Lines of visible text holding a date.
fn dated_lines(doc: &Document) -> Vec<&str> {
    doc.prose(doc.full())
        .into_iter()
        .flat_map(|(_, piece)| piece.lines())
        .filter(|line| DATE.is_match(line))
        .collect()
}
