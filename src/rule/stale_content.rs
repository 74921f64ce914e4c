//! Check kind `stale-content`: statements about the future whose date has passed — "the meetup will
//! be held on 3 May 2024", "available Summer 2022", "by Q4 2024 every project will…", "coming soon"
//! under a 2023 heading, "the current year's list" pointing at an older year's list.
//!
//! "Passed" is measured against the repository's newest date signal, not against today: a
//! repository untouched for years is not stale for that alone, but a page that still announces an
//! event older than the repository's last change was forgotten. The signal is the last commit when
//! the repository is a git checkout (asked of `git` only once a candidate statement is found), else
//! the newest date in its documents: front-matter dates, dated lines and headings, dated file and
//! folder names — dates after today or before 1990 are ignored.
//!
//! Candidates are found by a literal search for a few phrases; most documents have none, and a
//! repository without a candidate costs nothing more.

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use aho_corasick::AhoCorasick;
use jiff::civil::Date;
use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

use super::stale_review::parse_date;
use super::{Check, Emitter, RepoContext};
use crate::doc::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaleContent {
    /// Folders of dated publications (news, blog posts): what they announce is said as of their
    /// own date, so it is history rather than a forgotten promise. Documents with a date in their
    /// file name are read the same way.
    #[serde(default)]
    pub dated_folders: Vec<String>,
}

/// How a phrase says something about the future, and so where its date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    /// "will be held", "registration opens": the date is in the same sentence.
    Future,
    /// "available": only an approximate period (a season, quarter, half or month) after it, since
    /// "available from 1 March 2020" says something still true.
    Available,
    /// "by Q4", "by the end of": a target, when the sentence says it is one (will, goal, plan…).
    Target,
    /// "coming soon", "stay tuned": the year of the sentence, else of the enclosing heading.
    Soon,
    /// "the current year's": the years the sentence names, its link targets included.
    CurrentYear,
}

const PHRASES: &[(&str, Claim)] = &[
    ("will be held", Claim::Future),
    ("will take place", Claim::Future),
    ("will be hosted", Claim::Future),
    ("will be released", Claim::Future),
    ("will be published", Claim::Future),
    ("will be launched", Claim::Future),
    ("will launch", Claim::Future),
    ("will open", Claim::Future),
    ("will close", Claim::Future),
    ("will start", Claim::Future),
    ("will begin", Claim::Future),
    ("will kick off", Claim::Future),
    ("will run from", Claim::Future),
    ("registration opens", Claim::Future),
    ("registration is open", Claim::Future),
    ("registrations open", Claim::Future),
    ("applications open", Claim::Future),
    ("applications are due", Claim::Future),
    ("submissions open", Claim::Future),
    ("is scheduled for", Claim::Future),
    ("are scheduled for", Claim::Future),
    ("is planned for", Claim::Future),
    ("are planned for", Claim::Future),
    ("is expected in", Claim::Future),
    ("is expected by", Claim::Future),
    ("available", Claim::Available),
    ("by q1", Claim::Target),
    ("by q2", Claim::Target),
    ("by q3", Claim::Target),
    ("by q4", Claim::Target),
    ("by h1", Claim::Target),
    ("by h2", Claim::Target),
    ("by the end of", Claim::Target),
    ("by end of", Claim::Target),
    ("coming soon", Claim::Soon),
    ("stay tuned", Claim::Soon),
    ("to be announced", Claim::Soon),
    ("more details soon", Claim::Soon),
    ("details to follow", Claim::Soon),
    ("current year", Claim::CurrentYear),
    ("current years", Claim::CurrentYear),
    ("this year's", Claim::CurrentYear),
    ("this years", Claim::CurrentYear),
];

/// A heading naming a role held for the time being: "Temporary maintainer", "Interim leads".
static INTERIM_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:temporary|interim|acting)\s+(?:co-?)?(?:maintainers?|leads?|owners?|chairs?|contacts?|coordinators?|managers?|admins?|stewards?)\b")
        .expect("valid regex")
});

/// Whether a heading may start with one of [`INTERIM_ROLE`]'s words: its first letter, where it
/// is ASCII, must be that of "temporary", "interim" or "acting" (in either case, the only forms
/// those letters have). Most headings start otherwise, and a regex call per heading costs more
/// than the rest of the rule.
fn could_be_interim(heading: &str) -> bool {
    heading
        .bytes()
        .next()
        .is_some_and(|b| !b.is_ascii() || matches!(b.to_ascii_lowercase(), b't' | b'i' | b'a'))
}

/// The phrases, searched in lower-cased text (they are lower case already).
static PHRASE_SEARCH_LOWER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(PHRASES.iter().map(|(p, _)| p))
        .expect("valid phrases")
});

/// Words that make "by <date>" a target rather than a record ("was done by Q4").
static TARGET_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:will|shall|goal|target|aim|aims|plan|plans|planned|commit|commits)\b")
        .expect("valid regex")
});

const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

/// Dates to the day: `2024-05-03`, `May 3, 2024`, `3 May 2024`, `05/03/2024`.
static DAY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}|(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}))\b"
    ))
    .expect("valid regex")
});
/// Periods: `May 2024`, `Q4 2024`, `Q4, 2024`, `2024 Q4`, `H2 2024`, `Summer 2022`, `end of 2024`,
/// `in 2024`.
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{MONTH},?\s+(?P<month_year>\d{{4}})|q(?P<quarter>[1-4]),?\s+(?P<quarter_year>\d{{4}})|(?P<year_quarter>\d{{4}})\s+q(?P<quarter2>[1-4])|h(?P<half>[12]),?\s+(?P<half_year>\d{{4}})|(?P<season>spring|summer|fall|autumn|winter),?\s+(?P<season_year>\d{{4}})|(?:end of|in|by|until|before|during)\s+(?P<year>\d{{4}}))\b"
    ))
    .expect("valid regex")
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(19[9]\d|20\d\d)\b").expect("valid regex"));
/// A date in a file or folder name: `2024-05-03-meetup.md`, `05-03-2024-minutes.md`.
static NAME_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\D)(?:(\d{4})-(\d{2})-(\d{2})|(\d{2})-(\d{2})-(\d{4}))(?:\D|$)")
        .expect("valid regex")
});

/// Front matter keys holding a page's date.
const DATE_KEYS: [&str; 8] = [
    "date",
    "lastmod",
    "last_modified",
    "updated",
    "last_updated",
    "publishdate",
    "published",
    "modified",
];

/// A period a statement names: how it was written, and its last day.
#[derive(Debug, Clone, PartialEq)]
struct Period {
    range: Range<usize>,
    last_day: Date,
    /// To the day, or looser (a month, quarter, season, year).
    exact: bool,
}

/// The periods named in `text`, by position; an exact date wins over the period inside it.
fn periods(text: &str) -> Vec<Period> {
    let mut found: Vec<Period> = DAY_DATE
        .find_iter(text)
        .filter_map(|m| {
            Some(Period {
                range: m.range(),
                last_day: day_date(m.as_str())?,
                exact: true,
            })
        })
        .collect();
    for c in PERIOD.captures_iter(text) {
        let whole = c.get(0).expect("a match has a whole group");
        if found
            .iter()
            .any(|p| p.range.start < whole.end() && whole.start() < p.range.end)
        {
            continue;
        }
        let year = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i16>().ok());
        let last_day = if year("month_year").is_some() {
            parse_date(whole.as_str()).map(|first| first.last_of_month())
        } else if let (Some(y), Some(q)) = (
            year("quarter_year").or(year("year_quarter")),
            c.name("quarter")
                .or(c.name("quarter2"))
                .and_then(|m| m.as_str().parse::<i8>().ok()),
        ) {
            Date::new(y, q * 3, 1).ok().map(|d| d.last_of_month())
        } else if let (Some(y), Some(h)) = (
            year("half_year"),
            c.name("half").and_then(|m| m.as_str().parse::<i8>().ok()),
        ) {
            Date::new(y, h * 6, 1).ok().map(|d| d.last_of_month())
        } else if let Some(y) = year("season_year") {
            let season = c.name("season").map_or("", |m| m.as_str());
            let (month, day) = match season.to_ascii_lowercase().as_str() {
                "spring" => (6, 20),
                "summer" => (9, 22),
                "winter" => (3, 20),
                _ => (12, 21),
            };
            Date::new(y, month, day).ok()
        } else {
            year("year").and_then(|y| Date::new(y, 12, 31).ok())
        };
        if let Some(last_day) = last_day.filter(|d| plausible(*d)) {
            found.push(Period {
                range: whole.range(),
                last_day,
                exact: false,
            });
        }
    }
    found.sort_by_key(|p| p.range.start);
    found
}

fn day_date(text: &str) -> Option<Date> {
    let date = match text.split_once('/') {
        Some(_) => {
            let parts: Vec<i16> = text.split('/').filter_map(|p| p.parse().ok()).collect();
            let [a, b, year] = parts[..] else {
                return None;
            };
            // Month first as in the US, unless the first number cannot be a month.
            let (month, day) = if a > 12 { (b, a) } else { (a, b) };
            Date::new(year, month as i8, day as i8).ok()?
        }
        None => parse_date(text)?,
    };
    plausible(date).then_some(date)
}

fn plausible(date: Date) -> bool {
    (1990..=2100).contains(&date.year())
}

/// A statement found in a document, with the date it is about.
struct Statement {
    doc: Arc<Document>,
    span: Range<usize>,
    said: String,
    /// Where the date comes from when the statement does not name it: the heading it sits under.
    under: Option<String>,
    /// The last day the statement can still be true.
    until: Date,
    /// Whether only the year is known (the current-year claims): compared with the newest year.
    year_only: bool,
}

impl StaleContent {
    /// A document that speaks as of a date of its own: in a folder of dated publications, or with
    /// a date or a year in its path (`2024-05-03-meetup.md`, `vote-09.2024.md`, `2024/report.md`).
    fn is_dated_publication(&self, path: &str) -> bool {
        path.split('/').any(|segment| {
            YEAR.is_match(segment)
                || self
                    .dated_folders
                    .iter()
                    .any(|folder| segment.eq_ignore_ascii_case(folder))
        })
    }
}

impl Check for StaleContent {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let mut statements = Vec::new();
        let mut interim = Vec::new();
        for doc in cx.markup_documents() {
            if self.is_dated_publication(&doc.path) {
                continue;
            }
            statements.extend(statements_in(&doc));
            if !cx.is_template(&doc.path) {
                interim.extend(
                    doc.headings
                        .iter()
                        .filter(|h| could_be_interim(&h.text) && INTERIM_ROLE.is_match(&h.text))
                        .map(|h| (doc.clone(), h.span.clone(), h.text.clone())),
                );
            }
        }
        if statements.is_empty() && interim.is_empty() {
            return;
        }
        let today = cx.settings.today();
        let Some(newest) =
            last_commit(cx.repo.root(), today).or_else(|| newest_in_documents(cx, today))
        else {
            return;
        };
        // An interim arrangement ("Temporary maintainer") is meant to end: once the repository
        // has not changed for longer than a review interval, nobody has looked at it since.
        let months = i64::from(cx.settings.review_interval_months);
        let quiet_since = today
            .checked_sub(jiff::Span::new().months(months))
            .unwrap_or(today);
        if newest.date < quiet_since {
            for (doc, span, text) in interim {
                out.at(
                    &doc,
                    span,
                    format!(
                        "\"{text}\" names an interim arrangement, and the repository's newest date is {} ({}), more than {months} months ago",
                        newest.shown, newest.source
                    ),
                )
                .help("Make the arrangement permanent or replace it, and say so; if the repository is no longer maintained, say that at the top of its README.");
            }
        }
        for s in statements {
            let stale = if s.year_only {
                s.until.year() < newest.date.year()
            } else {
                s.until < newest.date
            };
            if stale {
                out.at(
                    &s.doc,
                    s.span.clone(),
                    format!(
                        "says \"{}\"{}; the repository's newest date is {} ({})",
                        s.said,
                        s.under
                            .as_ref()
                            .map_or(String::new(), |h| format!(" under the heading \"{h}\"")),
                        newest.shown,
                        newest.source
                    ),
                );
            }
        }
    }
}

/// The repository's newest date signal and where it comes from.
struct Newest {
    date: Date,
    shown: String,
    source: String,
}

/// The committer date of HEAD, when the repository is a git checkout and git answers.
fn last_commit(root: &Path, today: Date) -> Option<Newest> {
    if !root.join(".git").exists() {
        return None;
    }
    // The repository is untrusted: no system configuration, no file-system monitor hook, no
    // pager, no prompt.
    let output = std::process::Command::new("git")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .arg("--no-pager")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.fsmonitor=false", "log", "-1", "--format=%cs"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let date: Date = text.trim().parse().ok()?;
    let date = date.min(today);
    Some(Newest {
        date,
        shown: date.to_string(),
        source: "last commit".to_string(),
    })
}

/// The newest date, up to today, in the repository's documents and file names.
fn newest_in_documents(cx: &RepoContext<'_>, today: Date) -> Option<Newest> {
    // (date, whether it is known to the day, path)
    let mut best: Option<(Date, bool, String)> = None;
    let mut offer = |date: Date, exact: bool, path: &str| {
        if !plausible(date) || date > today {
            return;
        }
        if best.as_ref().is_none_or(|(b, _, _)| date > *b) {
            best = Some((date, exact, path.to_string()));
        }
    };
    let index = cx.repo.index();
    for id in index.ids() {
        let path = index.path(id);
        for segment in path.split('/') {
            if let Some(c) = NAME_DATE.captures(segment) {
                let number = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i16>().ok());
                let date = match (number(1), number(2), number(3)) {
                    (Some(y), Some(m), Some(d)) => Date::new(y, m as i8, d as i8).ok(),
                    _ => match (number(4), number(5), number(6)) {
                        (Some(m), Some(d), Some(y)) => Date::new(y, m as i8, d as i8).ok(),
                        _ => None,
                    },
                };
                if let Some(date) = date {
                    offer(date, true, path);
                }
            } else if let Some(year) = leading_year(segment) {
                if year <= today.year() {
                    offer(Date::new(year, 1, 1).unwrap_or_default(), false, path);
                }
            }
        }
    }
    for doc in cx.all_markup_documents() {
        if let Some(fm) = &doc.front_matter {
            for key in DATE_KEYS {
                if let Some(date) = fm.get(key).and_then(scalar).and_then(|v| parse_date(&v)) {
                    offer(date, true, &doc.path);
                }
            }
        }
        // Dated lines (a log entry, a row of a table of meetings): a date that starts the line
        // records when something happened; one inside a sentence may be a deadline ahead.
        for (_, piece) in doc.prose(doc.full()) {
            for line in piece.lines() {
                let line = line.trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '-' | '*' | '+' | '|' | '>' | '#' | '_')
                });
                if let Some(m) = DAY_DATE.find(line).filter(|m| m.start() == 0) {
                    if let Some(date) = day_date(m.as_str()) {
                        offer(date, true, &doc.path);
                    }
                }
            }
        }
        for h in &doc.headings {
            for m in YEAR.find_iter(&h.text) {
                if let Ok(year) = m.as_str().parse::<i16>() {
                    if year <= today.year() {
                        offer(Date::new(year, 1, 1).unwrap_or_default(), false, &doc.path);
                    }
                }
            }
        }
    }
    let (date, exact, path) = best?;
    Some(Newest {
        date,
        shown: if exact {
            date.to_string()
        } else {
            date.year().to_string()
        },
        source: format!("the newest date in its documents, in {path}"),
    })
}

/// A year that a file or folder name is, or starts with: `2026.md`, `2026-meeting-minutes`.
fn leading_year(segment: &str) -> Option<i16> {
    let digits = segment.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &segment[digits..];
    (digits == 4 && (rest.is_empty() || rest.starts_with(['.', '-', '_'])))
        .then(|| segment[..4].parse().ok())
        .flatten()
        .filter(|y| (1990..=2100).contains(y))
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) if map.len() == 1 => map.values().next().and_then(scalar),
        _ => None,
    }
}

/// Statements about the future in a document's visible text.
fn statements_in(doc: &Arc<Document>) -> Vec<Statement> {
    let mut out = Vec::new();
    let text = doc.text.as_str();
    // Every statement is dated by a year somewhere in the document (its sentence, a heading, a
    // link): a document without one has none to check, and most are found so at memchr speed.
    if !has_year(text) {
        return out;
    }
    let mut last_end = 0;
    // The phrases are ASCII: the document is searched with its ASCII letters lower-cased (same
    // offsets, whatever else it holds), where each phrase has one form and the search can skip
    // ahead to its rare letters.
    let lower;
    let haystack = match doc.haystack(doc.full()).lower() {
        Some(cached) => cached,
        None => {
            lower = text.to_ascii_lowercase();
            &lower
        }
    };
    let found: Vec<aho_corasick::Match> = PHRASE_SEARCH_LOWER.find_iter(haystack).collect();
    for m in found {
        if m.start() < last_end
            || doc.hidden_at(m.start()).is_some()
            || !at_word_edges(text, m.range())
        {
            continue;
        }
        let claim = PHRASES[m.pattern().as_usize()].1;
        let sentence = sentence_around(text, m.range());
        let Some(statement) = statement(doc, claim, m.range(), sentence) else {
            continue;
        };
        last_end = statement.span.end;
        out.push(statement);
    }
    out
}

/// Whether `text` holds a year from 1900 to 2099 standing alone (`2024`, not `120245`).
fn has_year(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    memchr::memchr2_iter(b'1', b'2', bytes).any(|i| {
        let century = (bytes[i], bytes.get(i + 1).copied());
        matches!(century, (b'1', Some(b'9')) | (b'2', Some(b'0')))
            && digit(i + 2)
            && digit(i + 3)
            && !digit(i + 4)
            && (i == 0 || !bytes[i - 1].is_ascii_digit())
    })
}

fn at_word_edges(text: &str, range: Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The sentence holding `range`: within its paragraph (lines up to a blank line, a heading or a
/// list item), from the previous sentence end to the next.
fn sentence_around(text: &str, range: Range<usize>) -> Range<usize> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let mut end = range.end;
    loop {
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        end = line_end;
        let next = &text[(line_end + 1).min(text.len())..];
        let next_line = next.lines().next().unwrap_or("").trim_start();
        if line_end >= text.len()
            || next_line.is_empty()
            || next_line.starts_with(['#', '-', '*', '|', '>'])
            || next_line.chars().next().is_some_and(|c| c.is_ascii_digit())
            || end - range.end > 400
        {
            break;
        }
        end = line_end + 1;
    }
    let start = text[line_start..range.start]
        .rmatch_indices(['.', '!', '?'])
        .find(|(i, _)| {
            text[line_start + i + 1..]
                .chars()
                .next()
                .is_some_and(char::is_whitespace)
        })
        .map_or(line_start, |(i, _)| line_start + i + 1);
    let stop = text[range.end..end]
        .match_indices(['.', '!', '?'])
        .find(|(i, _)| {
            text[range.end + i + 1..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        })
        .map_or(end, |(i, _)| range.end + i + 1);
    start..stop
}

fn statement(
    doc: &Arc<Document>,
    claim: Claim,
    phrase: Range<usize>,
    sentence: Range<usize>,
) -> Option<Statement> {
    let text = &doc.text[sentence.clone()];
    let at = phrase.start - sentence.start;
    let quote = |range: Range<usize>| {
        let said = doc.text[range]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if said.chars().count() > 100 {
            format!("{}…", said.chars().take(99).collect::<String>())
        } else {
            said
        }
    };
    let make = |span: Range<usize>, until: Date, year_only: bool| Statement {
        doc: Arc::clone(doc),
        said: quote(span.clone()),
        under: None,
        span,
        until,
        year_only,
    };
    match claim {
        Claim::Future | Claim::Available | Claim::Target => {
            if claim == Claim::Target && !TARGET_WORDS.is_match(text) {
                return None;
            }
            let found = periods(text);
            let after = found.iter().find(|p| p.range.start >= at);
            let period = match claim {
                Claim::Future => after.or_else(|| found.iter().rev().find(|p| p.range.end <= at)),
                // The date follows the phrase closely: "available in Summer 2022", "by Q4, 2024".
                _ => after
                    .filter(|p| p.range.start.saturating_sub(phrase.end - sentence.start) <= 16),
            }?;
            if claim == Claim::Available && period.exact {
                return None;
            }
            let start = sentence.start + at.min(period.range.start);
            let end = sentence.start + period.range.end.max(phrase.end - sentence.start);
            Some(make(start..end, period.last_day, false))
        }
        Claim::Soon => {
            let in_sentence = year_in(text);
            let (year, under) = match in_sentence {
                Some(year) => (year, None),
                None => {
                    let h = heading_with_year(doc, phrase.start)?;
                    (year_in(&h.text)?, Some(h.text.clone()))
                }
            };
            let until = Date::new(year, 12, 31).ok()?;
            Some(Statement {
                under,
                ..make(phrase, until, false)
            })
        }
        Claim::CurrentYear => {
            // The edition it points at: a link of the sentence whose target or text names a year.
            let year = doc
                .links
                .iter()
                .filter(|l| sentence.start <= l.span.start && l.span.end <= sentence.end)
                .flat_map(|l| YEAR.find_iter(&l.target).chain(YEAR.find_iter(&l.text)))
                .filter_map(|m| m.as_str().parse::<i16>().ok())
                .max()?;
            let until = Date::new(year, 12, 31).ok()?;
            Some(make(sentence, until, true))
        }
    }
}

/// The innermost heading enclosing `offset` that names a year.
fn heading_with_year(doc: &Document, offset: usize) -> Option<&crate::doc::Heading> {
    let mut level = u8::MAX;
    for h in doc.headings.iter().rev().filter(|h| h.span.end <= offset) {
        if h.level >= level {
            continue;
        }
        level = h.level;
        if year_in(&h.text).is_some() {
            return Some(h);
        }
    }
    None
}

/// The newest year `text` names.
fn year_in(text: &str) -> Option<i16> {
    YEAR.find_iter(text)
        .filter_map(|m| m.as_str().parse::<i16>().ok())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> Vec<(String, String)> {
        let doc = Arc::new(Document::parse("page.md", text.to_string()));
        statements_in(&doc)
            .into_iter()
            .map(|s| (s.said, s.until.to_string()))
            .collect()
    }

    #[test]
    fn future_statements_and_their_dates() {
        assert_eq!(
            said("The summit will be held on May 3, 2024 in Lisbon.\n"),
            vec![("will be held on May 3, 2024".into(), "2024-05-03".into())]
        );
        assert_eq!(
            said("# Goals\n\n## Goal 1 - By Q4, 2024, every project will have a lead\n"),
            vec![("By Q4, 2024".into(), "2024-12-31".into())]
        );
        assert_eq!(
            said("The course will be available Summer 2022.\n"),
            vec![("available Summer 2022".into(), "2022-09-22".into())]
        );
        assert_eq!(
            said("## 2023 cohort\n\nDetails coming soon.\n"),
            vec![("coming soon".into(), "2023-12-31".into())]
        );
    }

    #[test]
    fn records_and_undated_claims_are_not_statements() {
        // Done by a date, available since a date, soon without a year, code.
        assert!(said("The audit was finished by Q4 2024.\n").is_empty());
        assert!(said("Binaries are available from 1 March 2020.\n").is_empty());
        assert!(said("# Roadmap\n\nMore coming soon.\n").is_empty());
        assert!(said("```\nwill be held on May 3, 2024\n```\n").is_empty());
    }

    #[test]
    fn current_year_takes_the_years_of_its_sentence() {
        let found = said("The current year's list is [here](./2024.md).\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "2024-12-31");
    }

    #[test]
    fn leading_years_of_names() {
        assert_eq!(leading_year("2026.md"), Some(2026));
        assert_eq!(leading_year("2026-meeting-minutes"), Some(2026));
        assert_eq!(leading_year("20260.md"), None);
        assert_eq!(leading_year("gsoc2026"), None);
    }
}
