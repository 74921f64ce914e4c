//! Check kind `ideas-list`: a mentoring program's project ideas each say what an applicant needs to
//! choose and plan: a description, the expected outcome, the skills, the mentors, the size and the
//! difficulty. A list that is only a link to the issue tracker is not a list.
//!
//! An idea is a heading whose section labels at least two of these fields (`**Mentors:** …`,
//! `- Size: 350 hours`, a `### Skills` subheading), or a heading that starts with "Idea"; a page
//! with a single idea (one page per project) may give the fields anywhere on the page. Pipe tables
//! whose header names at least three fields hold one idea per row.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::doc::{Document, LinkKind};
use crate::finding::Severity;
use crate::pattern::Patterns;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdeasList {
    pub artifact: String,
    /// Link targets of an issue tracker (a list that is only such a link is an error).
    pub tracker: Patterns,
}

/// The fields of an idea, in the order messages name them, with the labels that introduce them.
/// Difficulty comes before skills so "Skill level" is a difficulty.
const FIELDS: [(&str, &str); 6] = [
    (
        "description",
        r"description|overview|summary|abstract|about|background|details|problem|motivation",
    ),
    (
        "expected outcome",
        r"outcomes?|deliverables?|aims?|goals?|objectives?|results?|tasks?|milestones?",
    ),
    ("difficulty", r"difficulty|level"),
    (
        "skills",
        r"skills?|requirements?|prerequisites?|recommended|knowledge|technolog|tech stack|languages?",
    ),
    ("mentors", r"mentors?"),
    ("size", r"size|hours?|duration|length|effort"),
];

static LABELS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    FIELDS
        .iter()
        .map(|(_, p)| Regex::new(&format!(r"(?i)\b(?:{p})")).expect("valid regex"))
        .collect()
});
/// `**Label:**`, `- _Label:_ value`, `Label: value` at the start of a line.
static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:[-*+][ \t]+)?[*_]*([^:*_\n|]{2,40}?)[*_]*[ \t]*:")
        .expect("valid regex")
});
/// An outcome stated in prose rather than under a label: "the goals of this project are…",
/// "students will build…".
static OUTCOME_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(task|goal|aim|objective|outcome|deliverable)s? (for|of) (this|the) (project|idea)\b|\b(students?|contributors?|mentees?|participants?|you) will (create|build|develop|implement|deliver|produce|design|write|add|extend|integrate)\b|\bthe (proposed|expected) (work|outcome|result)s?\b|\bthis project (will|aims to)\b")
        .expect("valid regex")
});
static HOURS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b\d{2,3}\s*(?:h|hrs?|hours)\b").expect("valid regex"));
static IDEA_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:project\s+)?idea\b").expect("valid regex"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(20\d\d)\b").expect("valid regex"));

/// Fields as a bit set over [`FIELDS`].
type FieldSet = u8;

const DESCRIPTION: FieldSet = 1;

impl Check for IdeasList {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let docs = cx.artifacts.documents(&self.artifact);
        if docs.is_empty() {
            let where_ = cx.artifacts.describe_locations(&self.artifact);
            out.missing(format!(
                "the mentoring program has no project ideas list ({where_})"
            ));
            return;
        }
        let strict = out.at_default_severity();
        for doc in &docs {
            self.check_document(cx, doc, out, strict);
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
}

impl IdeasList {
    fn check_document(
        &self,
        cx: &RepoContext<'_>,
        doc: &Document,
        out: &mut Emitter<'_>,
        strict: bool,
    ) {
        let ideas = ideas(doc, cx);
        // Only a page that lists ideas can mislead with old ones (a listing widget has none).
        if let Some((year, line)) = title_year(doc).filter(|_| !ideas.is_empty()) {
            if year < cx.settings.today().year() {
                out.at_line(doc, line, format!("the ideas list is for {year}: applicants may take past ideas for open ones"))
                    .help("Publish this year's ideas, or mark the page as an archive of past ones.");
            }
        }
        if ideas.is_empty() {
            let words = doc.word_count(doc.full(), cx.placeholders);
            let link = doc.links.iter().find(|l| {
                l.kind == LinkKind::Link
                    && doc.hidden_at(l.span.start).is_none()
                    && self.tracker.is_match(&l.target)
            });
            if let (true, Some(link)) = (words < 60, link) {
                let finding = out.at(
                    doc,
                    link.span.clone(),
                    "the ideas list is only a link to the issue tracker",
                );
                finding.help("List each idea with a description, expected outcome, skills, mentors, size (e.g. 90, 175 or 350 hours) and difficulty, and link its upstream issue.");
                if strict {
                    finding.raise_to(Severity::Error);
                }
            }
            return;
        }
        for idea in ideas {
            let missing: Vec<&str> = FIELDS
                .iter()
                .enumerate()
                .filter(|(i, _)| idea.fields & (1 << i) == 0)
                .map(|(_, (name, _))| *name)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let message = format!("idea \"{}\" lacks {}", idea.title, missing.join(", "));
            match idea.span {
                Some(span) => out.at(doc, span, message),
                None => out.at_line(doc, idea.line, message),
            };
        }
    }
}

struct Idea {
    title: String,
    line: u32,
    span: Option<std::ops::Range<usize>>,
    fields: FieldSet,
}

fn ideas(doc: &Document, cx: &RepoContext<'_>) -> Vec<Idea> {
    let mut found = Vec::new();
    let labelled: Vec<FieldSet> = (0..doc.headings.len())
        .map(|i| labels_in_section(doc, i))
        .collect();
    let named: Vec<bool> = doc
        .headings
        .iter()
        .map(|h| IDEA_HEADING.is_match(&h.text))
        .collect();
    let qualifies = |i: usize| named[i] || (labelled[i] & !DESCRIPTION).count_ones() >= 2;
    let descendants = |i: usize| {
        let level = doc.headings[i].level;
        (i + 1..doc.headings.len()).take_while(move |&j| doc.headings[j].level > level)
    };
    for (i, h) in doc.headings.iter().enumerate() {
        if !qualifies(i) {
            continue;
        }
        // A heading named "Idea: …" is the idea, whatever its subsections; otherwise the smallest
        // qualifying section is (a parent "## Ideas" is not).
        let inside_named = (0..i).any(|a| named[a] && descendants(a).any(|d| d == i));
        if inside_named || (!named[i] && descendants(i).any(qualifies)) {
            continue;
        }
        let mut fields = labelled[i];
        if prose_words(doc, h.section.clone(), cx) >= 25 {
            fields |= DESCRIPTION;
        }
        found.push(Idea {
            title: h.text.clone(),
            line: h.line,
            span: Some(h.span.clone()),
            fields,
        });
    }
    if found.len() == 1 {
        // One idea per page: the page's other sections describe it too.
        let whole = labels_in(doc, doc.full(), &doc.headings);
        found[0].fields |= whole;
        if prose_words(doc, doc.full(), cx) >= 25 {
            found[0].fields |= DESCRIPTION;
        }
    }
    found.extend(table_ideas(doc));
    found
}

/// Fields labelled in heading `i`'s section: label lines and subheadings.
fn labels_in_section(doc: &Document, i: usize) -> FieldSet {
    let h = &doc.headings[i];
    let sub: Vec<crate::doc::Heading> = doc.headings[i + 1..]
        .iter()
        .take_while(|c| c.level > h.level)
        .cloned()
        .collect();
    labels_in(doc, h.section.clone(), &sub)
}

fn labels_in(
    doc: &Document,
    range: std::ops::Range<usize>,
    headings: &[crate::doc::Heading],
) -> FieldSet {
    let label = |text: &str| {
        LABELS
            .iter()
            .position(|re| re.is_match(text))
            .map_or(0, |i| 1 << i)
    };
    let mut fields: FieldSet = headings.iter().fold(0, |acc, h| acc | label(&h.text));
    for (_, piece) in doc.prose(range) {
        for c in LABEL_LINE.captures_iter(piece) {
            fields |= label(c[1].trim());
        }
        if HOURS.is_match(piece) {
            fields |= 1 << 5;
        }
        if OUTCOME_PROSE.is_match(piece) {
            fields |= 1 << 1;
        }
    }
    fields
}

/// Words of prose in `range` outside label lines: a description in the author's own words.
fn prose_words(doc: &Document, range: std::ops::Range<usize>, cx: &RepoContext<'_>) -> usize {
    let label_free: usize = doc
        .prose(range.clone())
        .iter()
        .flat_map(|(_, piece)| piece.lines())
        .filter(|line| !LABEL_LINE.is_match(line) && !line.trim_start().starts_with('#'))
        .map(|line| {
            line.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count()
        })
        .sum();
    label_free.min(doc.word_count(range, cx.placeholders))
}

/// Ideas as rows of a pipe table whose header names at least three fields.
fn table_ideas(doc: &Document) -> Vec<Idea> {
    let mut out = Vec::new();
    let lines: Vec<&str> = doc.lines().collect();
    let mut i = 0;
    while i + 1 < lines.len() {
        let header = cells(lines[i]);
        let separator = lines[i + 1].trim();
        let is_table = lines[i].trim_start().starts_with('|')
            && separator.starts_with('|')
            && separator.contains("--");
        if !is_table || doc.hidden_at(doc.line_range(i as u32 + 1).start).is_some() {
            i += 1;
            continue;
        }
        let columns: Vec<Option<usize>> = header
            .iter()
            .map(|h| LABELS.iter().position(|re| re.is_match(h)))
            .collect();
        let known = columns
            .iter()
            .flatten()
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let mut row = i + 2;
        while row < lines.len() && lines[row].trim_start().starts_with('|') {
            if known >= 3 {
                let values = cells(lines[row]);
                let mut fields = 0;
                for (c, field) in columns.iter().enumerate() {
                    if let (Some(f), Some(v)) = (field, values.get(c)) {
                        if !v.trim().is_empty() {
                            fields |= 1 << f;
                        }
                    }
                }
                let title = values
                    .first()
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default();
                out.push(Idea {
                    title,
                    line: row as u32 + 1,
                    span: None,
                    fields,
                });
            }
            row += 1;
        }
        i = row;
    }
    out
}

fn cells(line: &str) -> Vec<String> {
    let trimmed = line.trim().trim_start_matches('|').trim_end_matches('|');
    trimmed.split('|').map(|c| c.trim().to_string()).collect()
}

/// The year in the list's title (front matter or first heading), with its line.
fn title_year(doc: &Document) -> Option<(i16, u32)> {
    if let Some(fm) = &doc.front_matter {
        if let Some(title) = fm.get_str("title") {
            if let Some(m) = YEAR.find(title) {
                return Some((
                    m.as_str().parse().ok()?,
                    fm.key_line(&doc.text, "title").unwrap_or(1),
                ));
            }
        }
    }
    let h = doc.headings.first()?;
    let m = YEAR.find(&h.text)?;
    Some((m.as_str().parse().ok()?, h.line))
}
