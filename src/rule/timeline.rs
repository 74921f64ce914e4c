//! Check kind `timeline`: a mentoring cohort's timeline gives dates for its milestones (proposals,
//! selection, start, midterm and final evaluations, end). Files in one folder form one timeline, so
//! a page that only embeds a CSV table (Hugo's `{{< table path="timeline.csv" >}}`) is read together
//! with the table.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::Deserialize;

use super::pattern::Patterns;
use super::{Check, Emitter, RepoContext};
use crate::doc::Document;

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
            let where_ = cx.artifacts.catalog().role(&self.artifact).map(|r| r.describe_locations()).unwrap_or_default();
            out.missing(format!("the mentoring program has no timeline ({where_})"));
            return;
        }
        let mut by_folder: BTreeMap<&str, Vec<&Arc<Document>>> = BTreeMap::new();
        for doc in &docs {
            let folder = doc.path.rsplit_once('/').map_or("", |(dir, _)| dir);
            by_folder.entry(folder).or_default().push(doc);
        }
        for group in by_folder.values() {
            let dated: Vec<&str> = group.iter().flat_map(|doc| dated_lines(doc)).collect();
            let shown = group.iter().find(|d| d.kind.is_markup()).unwrap_or(&group[0]);
            if dated.len() < self.min_dated {
                out.file(&shown.path, format!("{} gives no dates for the program's milestones", shown.path));
                continue;
            }
            let missing: Vec<&str> = self
                .milestones
                .iter()
                .filter(|m| !dated.iter().any(|line| m.pattern.is_match(line)))
                .map(|m| m.name.as_str())
                .collect();
            if !missing.is_empty() {
                out.file(&shown.path, format!("{} gives no date for: {}", shown.path, missing.join(", ")));
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
}

/// Lines of visible text holding a date.
fn dated_lines(doc: &Document) -> Vec<&str> {
    doc.prose(doc.full())
        .into_iter()
        .flat_map(|(_, piece)| piece.lines())
        .filter(|line| DATE.is_match(line))
        .collect()
}
