//! Check kind `topic-coverage`: a body of documents (a policy, a strategy and the guides it links
//! to, the sections on a subject wherever they are) covers each of a list of topics.
//!
//! A topic is covered by a labelled block (a heading, a question, a bold lead-in) whose label matches
//! and whose body has real content, by text matching anywhere in scope, or by a file playing a role.
//! Each uncovered topic is its own finding, so the message can say exactly what is missing.

use std::collections::BTreeSet;
use std::ops::Range;

use globset::GlobSet;
use serde::Deserialize;

use super::required_sections::anchor_line;
use super::scope::{self, ScopeSource, Unit};
use super::{Check, Emitter, RepoContext};
use crate::doc::{Document, Haystack};
use crate::finding::Severity;
use crate::pattern::Patterns;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicCoverage {
    /// Where to look; the union of every source.
    pub scope: Vec<ScopeSource>,
    /// What to report when the scope is empty. Without it the rule stays silent, because another
    /// rule reports the missing document.
    pub missing: Option<Message>,
    /// Stay silent when this role is missing: the rule is about a part of that document, and the
    /// rule that asks for the document reports its absence.
    pub requires: Option<String>,
    /// Search topics in the whole documents holding the scope's sections, not only in the sections.
    #[serde(default)]
    pub whole_documents: bool,
    /// Report uncovered topics about the repository rather than at the first document in scope:
    /// for topics that may be anywhere in a set of documents.
    #[serde(default)]
    pub report_on_repository: bool,
    /// The rule applies only when one of these holds.
    pub applies_if: Option<Gate>,
    /// Without topics, the rule only asks that the scope is not empty.
    #[serde(default)]
    pub topic: Vec<Topic>,
}

/// A finding's two sentences: what is wrong, and how to fix it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub message: String,
    pub fix: String,
}

/// Conditions under which a rule is relevant to a repository.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Any of these roles is present by a document or a stand-in of its own; a section of
    /// another role's document (a contributing guide's DCO section standing in for the
    /// contribution policy) stands in where the role is judged, but does not make the repository
    /// one that keeps the role.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Any file matches one of these globs (case-insensitive, over the relative path).
    #[serde(default, deserialize_with = "super::empty_section::globs")]
    pub files: GlobSet,
}

impl Gate {
    fn holds(&self, cx: &RepoContext<'_>) -> bool {
        self.roles.iter().any(|r| {
            let resolved = cx.artifacts.resolve(r);
            !resolved.is_missing() && !resolved.only_in_other_documents()
        }) || (!self.files.is_empty()
            && cx
                .repo
                .index()
                .ids()
                .any(|id| self.files.is_match(cx.repo.index().path(id))))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// What is missing, in one sentence.
    pub message: String,
    /// How to add it, in one sentence.
    pub fix: String,
    /// Labels (headings, questions, bold lead-ins) of blocks that cover the topic.
    pub labels: Option<Patterns>,
    /// Text a matching block's label or body must also contain.
    pub body: Option<Patterns>,
    /// Text anywhere in scope that covers the topic.
    pub text: Option<Patterns>,
    /// With `text`: the paragraph (or table row) of a match, or the heading above it, must also
    /// contain this.
    pub near: Option<Patterns>,
    /// A role whose files cover the topic on their own.
    pub artifact: Option<String>,
    /// The text between a document's title and its first section counts as a matching block.
    #[serde(default)]
    pub lead: bool,
    /// Real words a matching block needs.
    #[serde(default = "default_min_words")]
    pub min_words: usize,
    /// Matches of `body` or `text` needed.
    #[serde(default = "one")]
    pub min_count: usize,
    /// Count different matched strings only (three licenses, not one license three times).
    #[serde(default)]
    pub distinct: bool,
    /// A softer severity for this topic than the rule's own.
    pub severity: Option<Severity>,
    /// `text` is also looked for in code spans and blocks: a `Signed-off-by:` trailer or
    /// `git commit -s` is written as code.
    #[serde(default)]
    pub code: bool,
}

fn default_min_words() -> usize {
    10
}

fn one() -> usize {
    1
}

impl Check for TopicCoverage {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        if self.applies_if.as_ref().is_some_and(|gate| !gate.holds(cx)) {
            return;
        }
        if self
            .requires
            .as_deref()
            .is_some_and(|role| cx.artifacts.resolve(role).is_missing())
        {
            return;
        }
        let mut units = scope::resolve(cx, &self.scope);
        let Some(first) = units.first().cloned() else {
            if let Some(missing) = &self.missing {
                out.missing(missing.message.clone())
                    .help(missing.fix.clone());
            }
            return;
        };
        if self.whole_documents {
            let mut seen = BTreeSet::new();
            units.retain(|u| seen.insert(u.doc.path.clone()));
            for unit in &mut units {
                unit.range = unit.doc.full();
            }
        }
        // Labelled blocks need a line scan: only done when a topic looks for labels.
        let blocks: Vec<Vec<scope::Block>> = if self.topic.iter().any(|t| t.labels.is_some()) {
            units
                .iter()
                .map(|u| scope::blocks(&u.doc, u.range.clone()))
                .collect()
        } else {
            vec![Vec::new(); units.len()]
        };
        // A scope of every document has no one place to point at: the finding is about the repository.
        let repository_wide = self.report_on_repository
            || self
                .scope
                .iter()
                .all(|s| !s.is_targeted() && s.sections.is_none());
        for topic in &self.topic {
            if covered(cx, topic, &units, &blocks) {
                continue;
            }
            let finding = if repository_wide {
                out.missing(topic.message.clone())
            } else {
                report_at(out, &first, topic.message.clone())
            };
            finding.help(topic.fix.clone());
            if let Some(severity) = topic.severity {
                finding.at_most(severity);
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        let mut roles: Vec<&str> = self.scope.iter().flat_map(ScopeSource::roles).collect();
        roles.extend(self.requires.as_deref());
        roles.extend(self.topic.iter().filter_map(|t| t.artifact.as_deref()));
        if let Some(gate) = &self.applies_if {
            roles.extend(gate.roles.iter().map(String::as_str));
        }
        roles
    }
}

/// A finding pointing at the unit's heading, or at where sections start in its document.
pub(crate) fn report_at<'e>(
    out: &'e mut Emitter<'_>,
    unit: &Unit,
    message: String,
) -> &'e mut crate::finding::Finding {
    let doc = &unit.doc;
    match (&unit.heading, anchor_line(doc)) {
        (Some(span), _) => out.at(doc, span.clone(), message),
        (None, Some(line)) => out.at_line(doc, line, message),
        (None, None) => out.file(&doc.path, message),
    }
}

fn covered(
    cx: &RepoContext<'_>,
    topic: &Topic,
    units: &[Unit],
    blocks: &[Vec<scope::Block>],
) -> bool {
    if topic
        .artifact
        .as_deref()
        .is_some_and(|role| !cx.artifacts.resolve(role).files.is_empty())
    {
        return true;
    }
    if let Some(labels) = &topic.labels {
        for (unit, unit_blocks) in units.iter().zip(blocks) {
            for block in unit_blocks
                .iter()
                .filter(|b| (topic.lead && b.lead) || labels.is_match(&b.label))
            {
                if unit
                    .doc
                    .words_up_to(block.body.clone(), cx.placeholders, topic.min_words)
                    < topic.min_words
                {
                    continue;
                }
                let Some(body) = &topic.body else {
                    return true;
                };
                // One block must hold the matches on its own: three questions in one FAQ section.
                let mut counter = Counter::new(topic.distinct, topic.min_count);
                counter.add_all(body, block.label.as_str().into());
                counter.add_prose(&unit.doc, block.body.clone(), body);
                if counter.count() >= topic.min_count {
                    return true;
                }
            }
        }
    }
    if let Some(text) = &topic.text {
        let mut counter = Counter::new(topic.distinct, topic.min_count);
        for unit in units {
            // A section's heading names its subject; the topic must be in what the section says.
            let body = match &unit.heading {
                Some(h) if h.start == unit.range.start => h.end..unit.range.end,
                _ => unit.range.clone(),
            };
            match &topic.near {
                None if topic.code => counter.add_all(text, unit.doc.haystack(body)),
                None => counter.add_prose(&unit.doc, body, text),
                Some(near) => {
                    for (offset, piece) in unit.doc.prose(body) {
                        let piece = unit.doc.haystack(offset..offset + piece.len());
                        for p in text.iter() {
                            for m in p.find_iter(piece) {
                                let at = offset + m.start();
                                let paragraph = paragraph_around(&unit.doc, at);
                                let heading =
                                    unit.doc.headings.iter().rev().find(|h| h.span.start <= at);
                                if unit
                                    .doc
                                    .prose(paragraph)
                                    .iter()
                                    .any(|(_, s)| near.is_match(s))
                                    || heading.is_some_and(|h| near.is_match(&h.text))
                                {
                                    counter.add(m.as_str());
                                }
                            }
                        }
                    }
                }
            }
            if counter.count() >= topic.min_count {
                return true;
            }
        }
    }
    false
}

/// Counts matches, or different matched strings, up to the number needed.
struct Counter {
    distinct: bool,
    seen: BTreeSet<String>,
    total: usize,
    needed: usize,
}

impl Counter {
    fn new(distinct: bool, needed: usize) -> Counter {
        Counter {
            distinct,
            seen: BTreeSet::new(),
            total: 0,
            needed,
        }
    }

    fn is_done(&self) -> bool {
        self.count() >= self.needed
    }

    fn add(&mut self, matched: &str) {
        self.total += 1;
        if self.distinct {
            self.seen.insert(matched.to_string());
        }
    }

    fn add_all(&mut self, patterns: &Patterns, text: Haystack<'_>) {
        for p in patterns.iter() {
            for m in p.find_iter(text) {
                if self.is_done() {
                    return;
                }
                self.add(m.as_str());
            }
        }
    }

    fn add_prose(&mut self, doc: &Document, range: Range<usize>, patterns: &Patterns) {
        for (offset, piece) in doc.prose(range) {
            if self.is_done() {
                return;
            }
            self.add_all(patterns, doc.haystack(offset..offset + piece.len()));
        }
    }

    fn count(&self) -> usize {
        if self.distinct {
            self.seen.len()
        } else {
            self.total
        }
    }
}

/// The paragraph (lines up to blank lines) around `offset`; a table row or a list item on its own.
pub(crate) fn paragraph_around(doc: &Document, offset: usize) -> Range<usize> {
    let line = doc.line_of(offset);
    if doc.line_text(line).trim_start().starts_with('|') {
        return doc.line_range(line);
    }
    let mut start = line;
    while start > 1
        && !is_list_item(doc.line_text(start))
        && !doc.line_text(start - 1).trim().is_empty()
    {
        start -= 1;
    }
    let count = doc.line_count() as u32;
    let mut end = line;
    while end < count
        && !doc.line_text(end + 1).trim().is_empty()
        && !is_list_item(doc.line_text(end + 1))
    {
        end += 1;
    }
    doc.line_range(start).start..doc.line_range(end).end
}

fn is_list_item(line: &str) -> bool {
    let s = line.trim_start();
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    ["- ", "* ", "+ "].iter().any(|m| s.starts_with(m))
        || (digits > 0 && (s[digits..].starts_with(". ") || s[digits..].starts_with(") ")))
}
