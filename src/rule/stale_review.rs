//! Check kind `stale-review`: documents whose last review is older than the review interval, that
//! declare themselves deprecated, or — for governance and policy documents — that carry no review
//! date at all (info).
//!
//! A review date comes from front matter (`last_reviewed`, `reviewed`, `lastmod`, `updated`…,
//! optionally with `review_in` or an explicit `review_due`) or from a "Last reviewed: …" line. The
//! interval is `review_interval_months` in ospolint.toml; "today" is the system date unless
//! `OSPOLINT_TODAY` says otherwise, so runs can be reproduced.

use std::sync::LazyLock;

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

use super::{Check, Emitter, RepoContext};
use crate::doc::Document;
use crate::finding::Severity;
use crate::pattern::Pattern;
use crate::scan::FileId;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaleReview {
    /// Roles whose documents should carry a review date (an info when they have none) and are read
    /// for a deprecation notice at their top.
    pub roles: Vec<String>,
    /// Roles whose pages describe a yearly activity (a mentoring program): they are stale when the
    /// newest year in their title and headings is more than a review interval behind.
    #[serde(default)]
    pub year_roles: Vec<String>,
    /// Roles whose documents have their own year check (ideas lists) and are left out of it here.
    #[serde(default)]
    pub skip_year_roles: Vec<String>,
}

/// Front matter keys holding the date of the last review or update.
const REVIEWED_KEYS: [&str; 9] = [
    "last_reviewed",
    "last_reviewed_on",
    "reviewed",
    "reviewed_on",
    "last_review",
    "lastmod",
    "last_modified",
    "updated",
    "last_updated",
];
/// Front matter keys holding how long a review lasts.
const INTERVAL_KEYS: [&str; 2] = ["review_in", "review_every"];
/// Front matter keys holding the date the next review is due.
const DUE_KEYS: [&str; 3] = ["review_due", "expire_by", "review_by"];

/// A rule pattern (case-insensitive), so that it searches ASCII documents in their lower-cased
/// copy: "last" alone has sixteen case forms, too many for the engine to skip ahead to.
static REVIEW_LINE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b(?:last[ _-]?(?:reviewed|review|updated|revised)|reviewed on|review date)\b(?:\s+on)?[\s*_]*[:\-–]?[\s*_]*").expect("valid regex")
});
static DEPRECATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s>*_#\[!]*(?:note:\s*)?(?:this (?:document|page|guide|policy|repository|file) (?:is|has been) (?:now )?)?(?:deprecated|obsolete|superseded|no longer (?:maintained|updated|valid|current))\b").expect("valid regex")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(19[89]\d|20\d\d)\b").expect("valid regex"));

impl Check for StaleReview {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let settings = cx.settings;
        let interval = (settings.review_interval_months as i64).months();
        let role_files = files_of(cx, &self.roles);
        let year_files = files_of(cx, &self.year_roles);
        let skip_year = files_of(cx, &self.skip_year_roles);
        let index = cx.repo.index();
        let mut undated = Vec::new();
        // Live documents only (every one with --all-documents); in pre-commit mode only the
        // given files are judged (and parsed).
        for doc in cx.markup_documents() {
            let Some(id) = index.find(&doc.path) else {
                continue;
            };
            let governed = role_files.contains(&id);
            let yearly = year_files.contains(&id) && !skip_year.contains(&id);
            if governed {
                if let Some((line, start)) = deprecation(&doc) {
                    out.at(&doc, start..doc.line_range(line).end, format!("{} declares itself deprecated: readers may still follow it", doc.path))
                        .help("Remove the document, or replace its content with a short pointer to what supersedes it.");
                    continue;
                }
            }
            match review(&doc) {
                Some(review) => {
                    let due = review
                        .due
                        .unwrap_or_else(|| add(review.date, review.interval.unwrap_or(interval)));
                    if due < settings.today() {
                        let message = format!(
                            "last reviewed on {}: the review was due on {due}",
                            review.date
                        );
                        match review.line {
                            Some(line) => out.at_line(&doc, line, message),
                            None => out.file(&doc.path, message),
                        };
                    }
                }
                None if governed => undated.push(doc.path.clone()),
                None => {}
            }
            if yearly {
                if let Some((year, line)) = newest_heading_year(&doc) {
                    let end_of_year = Date::new(year, 12, 31).unwrap_or_default();
                    if add(end_of_year, interval) < settings.today() {
                        out.at_line(&doc, line, format!("the newest year this page mentions in its title or headings is {year}"))
                            .help("Say whether the program runs this year and update its dates, or mark the page as an archive.");
                    }
                }
            }
        }
        // Documents without a review date, one finding per folder: the fix is the same for each.
        for (folder, paths) in super::group_by_folder(undated) {
            let message = match paths.as_slice() {
                [one] => format!("{one} has no review date, so nobody can tell whether it is current"),
                many => format!(
                    "{} governance documents in {} have no review date, so nobody can tell whether they are current: {}",
                    many.len(),
                    if folder.is_empty() {
                        "the root".to_string()
                    } else {
                        format!("`{folder}/`")
                    },
                    many.join(", ")
                ),
            };
            out.file(&paths[0], message).at_most(Severity::Info);
        }
    }

    fn roles(&self) -> Vec<&str> {
        self.roles
            .iter()
            .chain(&self.year_roles)
            .chain(&self.skip_year_roles)
            .map(String::as_str)
            .collect()
    }
}

fn files_of(cx: &RepoContext<'_>, roles: &[String]) -> Vec<FileId> {
    roles
        .iter()
        .flat_map(|r| cx.artifacts.resolve(r).files.clone())
        .collect()
}

fn add(date: Date, span: Span) -> Date {
    date.checked_add(span).unwrap_or(Date::MAX)
}

struct Review {
    date: Date,
    line: Option<u32>,
    interval: Option<Span>,
    due: Option<Date>,
}

/// The document's review date, from front matter first, then from a "Last reviewed" line.
fn review(doc: &Document) -> Option<Review> {
    if let Some(fm) = &doc.front_matter {
        let date = REVIEWED_KEYS.iter().find_map(|key| {
            let value = fm.get(key)?;
            Some((parse_date(&scalar(value)?)?, fm.key_line(&doc.text, key)))
        });
        let interval = INTERVAL_KEYS
            .iter()
            .find_map(|key| parse_interval(&scalar(fm.get(key)?)?));
        let due = DUE_KEYS
            .iter()
            .find_map(|key| parse_date(&scalar(fm.get(key)?)?));
        if let Some((date, line)) = date {
            return Some(Review {
                date,
                line,
                interval,
                due,
            });
        }
    }
    for (offset, piece) in doc.prose(doc.full()) {
        for m in REVIEW_LINE.find_iter(doc.haystack(offset..offset + piece.len())) {
            let rest = &piece[m.end()..];
            let rest = &rest[..rest.find('\n').unwrap_or(rest.len()).min(60)];
            if let Some(date) = parse_date(rest) {
                return Some(Review {
                    date,
                    line: Some(doc.line_of(offset + m.start())),
                    interval: None,
                    due: None,
                });
            }
        }
    }
    None
}

/// A front matter value as text: YAML dates arrive as strings, TOML datetimes as a one-field table.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(map) if map.len() == 1 => map.values().next().and_then(scalar),
        _ => None,
    }
}

/// A deprecation notice in the first lines of the document: the line and where it starts.
fn deprecation(doc: &Document) -> Option<(u32, usize)> {
    let limit = doc
        .headings
        .iter()
        .find(|h| h.level > 1)
        .map_or(doc.text.len(), |h| h.span.start);
    for (offset, piece) in doc.prose(0..limit) {
        let mut at = offset;
        for line in piece.split_inclusive('\n') {
            let number = doc.line_of(at);
            if number > 12 {
                return None;
            }
            if DEPRECATED.is_match(line) {
                let indent = line.len() - line.trim_start().len();
                return Some((number, at + indent));
            }
            at += line.len();
        }
    }
    None
}

/// The newest year in the title and headings, with the line of the first heading naming it.
fn newest_heading_year(doc: &Document) -> Option<(i16, u32)> {
    let mut best: Option<(i16, u32)> = None;
    let title = doc
        .front_matter
        .as_ref()
        .and_then(|fm| fm.get_str("title"))
        .map(|t| (t.to_string(), 1));
    let headings = doc.headings.iter().map(|h| (h.text.clone(), h.line));
    for (text, line) in title.into_iter().chain(headings) {
        for m in YEAR.find_iter(&text) {
            let year: i16 = m.as_str().parse().ok()?;
            if best.is_none_or(|(y, _)| year > y) {
                best = Some((year, line));
            }
        }
    }
    best
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\D|$)").expect("valid regex")
});
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3})[a-z]*\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\b")
        .expect("valid regex")
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})\b")
        .expect("valid regex")
});

/// The first date in `text`: `2025-03-01`, `2025/03/01`, `March 1, 2025`, `1 March 2025` or
/// `March 2025` (the first of the month).
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let month = |name: &str| {
        MONTHS
            .iter()
            .position(|m| name.eq_ignore_ascii_case(m))
            .map(|i| i as i8 + 1)
    };
    let mut found: Vec<(usize, Date)> = Vec::new();
    if let Some(c) = ISO.captures(text) {
        if let Ok(d) = Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?) {
            found.push((c.get(0)?.start(), d));
        }
    }
    for c in MONTH_FIRST.captures_iter(text) {
        let Some(m) = month(&c[1]) else { continue };
        let day = c.get(2).map_or(Some(1), |d| d.as_str().parse().ok());
        if let (Some(day), Ok(year)) = (day, c[3].parse()) {
            if let Ok(d) = Date::new(year, m, day) {
                found.push((c.get(0)?.start(), d));
                break;
            }
        }
    }
    for c in DAY_FIRST.captures_iter(text) {
        let Some(m) = month(&c[2]) else { continue };
        if let (Ok(day), Ok(year)) = (c[1].parse(), c[3].parse()) {
            if let Ok(d) = Date::new(year, m, day) {
                found.push((c.get(0)?.start(), d));
                break;
            }
        }
    }
    found.into_iter().min_by_key(|(at, _)| *at).map(|(_, d)| d)
}

static INTERVAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(\d+)\s*(months?|mo|m|years?|yr|y|weeks?|w|days?|d)?\s*$")
        .expect("valid regex")
});

/// `6 months`, `1 year`, `12m`, `90 days`; a bare number is months.
fn parse_interval(text: &str) -> Option<Span> {
    let c = INTERVAL.captures(text)?;
    let n: i64 = c[1].parse().ok()?;
    let unit = c.get(2).map_or("m", |u| u.as_str()).to_ascii_lowercase();
    Some(match unit.chars().next()? {
        'y' => n.years(),
        'w' => n.weeks(),
        'd' => n.days(),
        _ => n.months(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_forms() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(parse_date("2025-03-01T10:00:00Z"), Some(d(2025, 3, 1)));
        assert_eq!(parse_date(": January 14, 2026**"), Some(d(2026, 1, 14)));
        assert_eq!(parse_date("on 3rd March 2024."), Some(d(2024, 3, 3)));
        assert_eq!(parse_date("Sept 2023"), Some(d(2023, 9, 1)));
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("6 months").map(|s| s.get_months()), Some(6));
        assert_eq!(parse_interval("1 year").map(|s| s.get_years()), Some(1));
        assert_eq!(parse_interval("18").map(|s| s.get_months()), Some(18));
        assert!(parse_interval("sometimes").is_none());
    }

    #[test]
    fn deprecation_notice_at_the_top_only() {
        let doc = Document::parse(
            "README.md",
            "# Rules\n\n**Deprecated document:** see the new site.\n".to_string(),
        );
        assert_eq!(deprecation(&doc).map(|(l, _)| l), Some(3));
        let doc = Document::parse(
            "README.md",
            "# Rules\n\n## API\n\nDeprecated APIs are removed after a year.\n".to_string(),
        );
        assert_eq!(deprecation(&doc), None);
    }
}
