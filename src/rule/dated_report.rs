//! Check kind `dated-report`: a periodic report (metrics, an annual report) exists and is recent, or a
//! live dashboard stands in for it.
//!
//! A report's date is the newest date it carries that is not in the future: a front-matter date
//! (`date`, `lastmod`, …), a date in its text (`2025-03-31`, `March 2025`, `Q1 2025`), or a year in its
//! title, headings or file name. A date that names a period counts from the end of the period.

use jiff::civil::Date;
use regex::Regex;
use serde::Deserialize;
use std::sync::OnceLock;

use super::topic_coverage::Message;
use super::{Check, Emitter, RepoContext};
use crate::doc::{Document, LinkKind};
use crate::pattern::Patterns;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedReport {
    /// The role whose files are reports.
    pub artifact: String,
    /// An external link whose text or URL matches this — in the README, in these roles' documents or
    /// in a report — is a live dashboard, always current.
    pub dashboard: Option<Patterns>,
    #[serde(default)]
    pub dashboard_in: Vec<String>,
    /// Front-matter keys holding the report's date.
    #[serde(default = "default_keys")]
    pub date_keys: Vec<String>,
    #[serde(default = "twelve")]
    pub max_age_months: i32,
    /// No report and no dashboard.
    pub missing: Message,
    /// The newest report is too old: `{path}`, `{date}`, `{months}`, `{max}` are filled in.
    pub stale: Message,
    /// No report carries a date.
    pub undated: Message,
}

fn default_keys() -> Vec<String> {
    [
        "date",
        "lastmod",
        "updated",
        "last_updated",
        "published",
        "publishdate",
        "report_date",
    ]
    .map(String::from)
    .to_vec()
}

fn twelve() -> i32 {
    12
}

impl Check for DatedReport {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let reports = cx.artifacts.documents(&self.artifact);
        if self.has_dashboard(cx, &reports) {
            return;
        }
        if reports.is_empty() {
            out.missing(self.missing.message.clone())
                .help(self.missing.fix.clone());
            return;
        }
        let today = cx.settings.today();
        let newest = reports
            .iter()
            .filter_map(|doc| self.report_date(doc, today).map(|date| (date, doc)))
            .max_by_key(|(date, _)| *date);
        let Some((date, doc)) = newest else {
            out.file(&reports[0].path, self.undated.message.clone())
                .help(self.undated.fix.clone());
            return;
        };
        let months = months_between(date, today);
        if months > self.max_age_months {
            let fill = |s: &str| {
                s.replace("{path}", &doc.path)
                    .replace("{date}", &date.to_string())
                    .replace("{months}", &months.to_string())
                    .replace("{max}", &self.max_age_months.to_string())
            };
            out.file(&doc.path, fill(&self.stale.message))
                .help(fill(&self.stale.fix));
        }
    }

    fn roles(&self) -> Vec<&str> {
        let mut roles = vec![self.artifact.as_str()];
        roles.extend(self.dashboard_in.iter().map(String::as_str));
        roles
    }
}

impl DatedReport {
    fn has_dashboard(&self, cx: &RepoContext<'_>, reports: &[std::sync::Arc<Document>]) -> bool {
        let Some(pattern) = &self.dashboard else {
            return false;
        };
        let mut docs: Vec<std::sync::Arc<Document>> = reports.to_vec();
        docs.extend(cx.artifacts.readme().and_then(|id| cx.repo.document(id)));
        for role in &self.dashboard_in {
            docs.extend(cx.artifacts.documents(role));
        }
        docs.iter().any(|doc| {
            doc.links.iter().any(|l| {
                l.kind != LinkKind::Definition
                    && l.is_external()
                    && doc.hidden_at(l.span.start).is_none()
                    && (pattern.is_match(&l.text) || pattern.is_match(&l.target))
            })
        })
    }

    /// The report's date, up to `today`: the newest front-matter date, else the newest date in the
    /// text, else the newest year in its title, headings or path. A precise date wins over a year
    /// ("report, first quarter 2026" dated 2026-03-31 is not a report of December 2026).
    fn report_date(&self, doc: &Document, today: Date) -> Option<Date> {
        let newest = |dates: Vec<Date>| dates.into_iter().filter(|d| *d <= today).max();
        let mut front: Vec<Date> = Vec::new();
        if let Some(fm) = &doc.front_matter {
            for key in &self.date_keys {
                if let Some(value) = fm.get(key) {
                    let text = match value {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    front.extend(dates_in(&text));
                }
            }
        }
        let text: Vec<Date> = doc
            .prose(doc.full())
            .iter()
            .flat_map(|(_, piece)| dates_in(piece))
            .collect();
        let titles = doc
            .headings
            .iter()
            .map(|h| h.text.as_str())
            .chain(doc.title());
        let years: Vec<Date> = titles
            .chain(std::iter::once(doc.path.as_str()))
            .flat_map(years_in)
            .collect();
        newest(front)
            .or_else(|| newest(text))
            .or_else(|| newest(years))
    }
}

/// Whole months from `from` to `to` (negative when `from` is later); the last day of a month
/// completes it, so 31 March to 30 June is three months.
fn months_between(from: Date, to: Date) -> i32 {
    let mut months = (i32::from(to.year()) - i32::from(from.year())) * 12 + i32::from(to.month())
        - i32::from(from.month());
    if to.day() < from.day() && to != to.last_of_month() {
        months -= 1;
    }
    months
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn date_patterns() -> &'static [Regex; 3] {
    static PATTERNS: OnceLock<[Regex; 3]> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            Regex::new(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b").expect("valid"),
            Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?((?:19|20)\d\d)\b").expect("valid"),
            Regex::new(r"(?i)\bQ([1-4])\s*((?:19|20)\d\d)\b|\b((?:19|20)\d\d)[\s-]*Q([1-4])\b").expect("valid"),
        ]
    })
}

/// Full dates, months and quarters in `text`, each as the last day of the period it names.
fn dates_in(text: &str) -> Vec<Date> {
    let [iso, month, quarter] = date_patterns();
    let mut out = Vec::new();
    for c in iso.captures_iter(text) {
        if let (Ok(y), Ok(m), Ok(d)) = (c[1].parse(), c[2].parse(), c[3].parse()) {
            out.extend(Date::new(y, m, d).ok());
        }
    }
    for c in month.captures_iter(text) {
        let m = MONTHS
            .iter()
            .position(|name| c[1].eq_ignore_ascii_case(name))
            .map(|i| i as i8 + 1);
        if let (Some(m), Ok(y)) = (m, c[2].parse()) {
            out.extend(Date::new(y, m, 1).ok().map(Date::last_of_month));
        }
    }
    for c in quarter.captures_iter(text) {
        let (q, y) = match (c.get(1), c.get(2)) {
            (Some(q), Some(y)) => (q.as_str(), y.as_str()),
            _ => (&c[4], &c[3]),
        };
        if let (Ok(q), Ok(y)) = (q.parse::<i8>(), y.parse()) {
            out.extend(Date::new(y, q * 3, 1).ok().map(Date::last_of_month));
        }
    }
    out
}

/// Years in a title, heading or path, each as its last day.
fn years_in(text: &str) -> Vec<Date> {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let year =
        YEAR.get_or_init(|| Regex::new(r"(?:^|[^0-9])((?:19|20)\d\d)(?:[^0-9]|$)").expect("valid"));
    year.captures_iter(text)
        .filter_map(|c| c[1].parse().ok())
        .filter_map(|y| Date::new(y, 12, 31).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn dates_name_the_end_of_their_period() {
        assert_eq!(dates_in("Published 2025-03-14."), [date("2025-03-14")]);
        assert_eq!(dates_in("Report for March 2025"), [date("2025-03-31")]);
        assert_eq!(dates_in("as of Sept. 3, 2024"), [date("2024-09-30")]);
        assert_eq!(
            dates_in("Q2 2025 and 2024-Q4"),
            [date("2025-06-30"), date("2024-12-31")]
        );
        assert!(dates_in("version 2025 of the tool, port 2024").is_empty());
        assert_eq!(
            years_in("reports/annual-report-2023.md"),
            [date("2023-12-31")]
        );
    }

    #[test]
    fn months_are_whole_months() {
        assert_eq!(months_between(date("2025-01-31"), date("2026-01-30")), 11);
        assert_eq!(months_between(date("2025-01-31"), date("2026-01-31")), 12);
        assert_eq!(months_between(date("2024-06-30"), date("2026-01-15")), 18);
        assert_eq!(months_between(date("2026-03-31"), date("2026-06-30")), 3);
    }
}
