//! Check kind `required-sections`: a document has sections on given topics, each with real content.
//!
//! A section counts when its heading matches one of the topic's synonyms and its body holds enough
//! words of real content: code, HTML comments and placeholders do not count, so a heading over a
//! `<!-- TODO -->` is reported as thin, not accepted.

use std::sync::Arc;

use serde::Deserialize;

use super::content_pattern::{count_matches, Requirement};
use super::{Check, Emitter, RepoContext};
use crate::doc::{Document, LinkKind};
use crate::finding::Severity;
use crate::pattern::Patterns;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredSections {
    pub artifact: String,
    pub sections: Vec<SectionGroup>,
    /// One group present is enough (otherwise every group is required).
    #[serde(default)]
    pub any: bool,
    /// README sections and sections of other documents that stand in for the artifact are read
    /// when the artifact has no file.
    #[serde(default)]
    pub readme_fallback: bool,
    /// Report a missing artifact at (at most) this severity; by default a missing artifact is
    /// left to the rule that asks for the file.
    pub missing: Option<Severity>,
    /// Missing or thin sections of an artifact that exists are raised to this severity (the
    /// catalog's "W when absent, E when present but incomplete").
    pub incomplete: Option<Severity>,
    /// Also read the repository's documents the artifact links to (one level deep).
    #[serde(default)]
    pub follow_links: bool,
}

/// A topic: heading synonyms and how much content counts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionGroup {
    /// How the topic is named in messages ("development setup").
    pub name: String,
    /// Heading synonyms (regular expressions, case-insensitive).
    pub headings: Patterns,
    /// Words of real content (code, comments and placeholders excluded) the section needs.
    #[serde(default = "default_min_words")]
    pub min_words: usize,
    /// Example heading for the fix message.
    pub example: Option<String>,
    /// The topic also counts when the documents' prose mentions it (a program named in a sentence).
    pub mentions: Option<Patterns>,
    /// What the section must say once found (e.g. a turnaround time in a review section).
    #[serde(default)]
    pub require: Vec<Requirement>,
    /// A link whose text or target matches points to the topic elsewhere (external developer docs):
    /// the missing section is then reported as a warning at that link.
    pub pointer: Option<Patterns>,
}

fn default_min_words() -> usize {
    40
}

/// How a group fared in a set of documents.
pub(crate) enum SectionStatus<'d> {
    /// The section with enough content: document and heading index (`None` when a mention counted).
    Found(Option<(&'d Document, usize)>),
    /// The heading exists but its body is too thin: document, heading index, words.
    Thin(&'d Document, usize, usize),
    Missing,
}

impl SectionGroup {
    pub(crate) fn status<'d>(
        &self,
        docs: &'d [Arc<Document>],
        cx: &RepoContext<'_>,
    ) -> SectionStatus<'d> {
        let mut thin = None;
        for doc in docs {
            for (i, h) in doc.headings.iter().enumerate() {
                if !self.headings.is_match(&h.text) {
                    continue;
                }
                let words = doc.words_up_to(h.section.clone(), cx.placeholders, self.min_words);
                if words >= self.min_words {
                    return SectionStatus::Found(Some((doc.as_ref(), i)));
                }
                if thin.is_none() {
                    thin = Some((doc.as_ref(), i, words));
                }
            }
        }
        if let Some(mentions) = &self.mentions {
            if docs
                .iter()
                .any(|doc| count_matches(doc, doc.full(), mentions, 1) > 0)
            {
                return SectionStatus::Found(None);
            }
        }
        match thin {
            Some((doc, i, words)) => SectionStatus::Thin(doc, i, words),
            None => SectionStatus::Missing,
        }
    }

    /// The first link in the given parts of documents that points to the topic elsewhere.
    fn pointer<'d>(
        &self,
        scopes: impl IntoIterator<Item = (&'d Document, std::ops::Range<usize>)>,
    ) -> Option<(&'d Document, &'d crate::doc::Link)> {
        let pattern = self.pointer.as_ref()?;
        scopes.into_iter().find_map(|(doc, range)| {
            doc.links
                .iter()
                .filter(|l| {
                    l.kind == LinkKind::Link
                        && range.contains(&l.span.start)
                        && doc.hidden_at(l.span.start).is_none()
                })
                .find(|l| pattern.is_match(&l.text) || pattern.is_match(&l.target))
                .map(|l| (doc, l))
        })
    }
}

impl Check for RequiredSections {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let resolved = cx.artifacts.resolve(&self.artifact);
        let mut docs = cx.artifacts.documents(&self.artifact);
        if docs.is_empty() && self.readme_fallback {
            let stand_ins = resolved.readme_section.iter().chain(&resolved.sections);
            for (id, _) in stand_ins {
                if !docs.iter().any(|d| d.path == cx.repo.index().path(*id)) {
                    docs.extend(cx.repo.document(*id));
                }
            }
        }
        let Some(anchor_doc) = main_document(&docs) else {
            if let Some(severity) = self.missing {
                let title = cx
                    .artifacts
                    .catalog()
                    .role(&self.artifact)
                    .map_or(self.artifact.clone(), |r| {
                        crate::artifact::lower_first(&r.def.title)
                    });
                // A section of another document, a pointer or the organization's default stands
                // in: the role is handled, in a weaker form that the message names.
                if let Some(stand_in) = cx.artifacts.describe_stand_in(&self.artifact) {
                    out.missing(format!("no {title} file; {stand_in} stands in for it"))
                        .at_most(Severity::Info);
                    return;
                }
                let where_ = cx.artifacts.describe_locations(&self.artifact);
                out.missing(format!("no {title} found ({where_})"))
                    .at_most(severity);
            }
            return;
        };
        let searched = if self.follow_links {
            cx.with_linked_documents(&docs)
        } else {
            docs.clone()
        };
        let statuses: Vec<_> = self
            .sections
            .iter()
            .map(|g| (g, g.status(&searched, cx)))
            .collect();
        if self.any
            && statuses
                .iter()
                .any(|(_, s)| matches!(s, SectionStatus::Found(_)))
        {
            return;
        }
        let strict = self.incomplete.filter(|_| out.at_default_severity());
        for (group, status) in statuses {
            match status {
                SectionStatus::Found(None) => {}
                SectionStatus::Found(Some((doc, i))) => {
                    let h = &doc.headings[i];
                    for req in &group.require {
                        if count_matches(doc, h.section.clone(), &req.pattern, req.min_count)
                            >= req.min_count
                        {
                            continue;
                        }
                        let finding = out.at(
                            doc,
                            h.span.clone(),
                            format!(
                                "section \"{}\" does not mention {}",
                                h.text, req.description
                            ),
                        );
                        if let Some(sev) = req.severity {
                            finding.at_most(sev);
                        }
                    }
                }
                SectionStatus::Thin(doc, i, words) => {
                    let h = &doc.headings[i];
                    if let Some((doc, link)) = group.pointer([(doc, h.span.start..h.section.end)]) {
                        out.at(
                            doc,
                            link.span.clone(),
                            format!(
                                "section \"{}\" only points to {} for the {}",
                                h.text, link.target, group.name
                            ),
                        )
                        .at_most(Severity::Warning);
                        continue;
                    }
                    let finding = out.at(doc, h.span.clone(), format!(
                        "section \"{}\" has {} of real content; a {} section needs at least {} words",
                        h.text, plural(words, "word"), group.name, group.min_words
                    ));
                    if let Some(sev) = strict {
                        finding.raise_to(sev);
                    }
                }
                SectionStatus::Missing => {
                    let example = group
                        .example
                        .as_deref()
                        .map(|e| format!(" (e.g. \"{e}\")"))
                        .unwrap_or_default();
                    let message =
                        format!("{} has no {} section{example}", anchor_doc.path, group.name);
                    if let Some((doc, link)) =
                        group.pointer(docs.iter().map(|d| (d.as_ref(), d.full())))
                    {
                        out.at(
                            doc,
                            link.span.clone(),
                            format!("{message}; it only points to {} for it", link.target),
                        )
                        .at_most(Severity::Warning);
                        continue;
                    }
                    let finding = match anchor_line(anchor_doc) {
                        Some(line) => out.at_line(anchor_doc, line, message),
                        None => out.file(&anchor_doc.path, message),
                    };
                    if let Some(sev) = strict {
                        finding.raise_to(sev);
                    }
                }
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
}

/// The document a missing section is reported in: the longest of the role's documents, so a stub
/// that only links to the real guide (a root CONTRIBUTING.md pointing into docs/) is not blamed.
pub(crate) fn main_document(docs: &[Arc<Document>]) -> Option<&Document> {
    let mut best: Option<&Document> = None;
    for doc in docs {
        if best.is_none_or(|b| doc.text.len() > b.text.len() * 2) {
            best = Some(doc);
        }
    }
    best
}

/// Where a missing section is reported: the first section heading below the title, where sections
/// would start, or the first line of a document without headings.
pub(crate) fn anchor_line(doc: &Document) -> Option<u32> {
    let below_title = doc
        .headings
        .iter()
        .find(|h| h.level > 1)
        .or(doc.headings.first());
    match below_title {
        Some(h) => Some(h.line),
        None if doc.line_count() > 0 => Some(1),
        None => None,
    }
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
