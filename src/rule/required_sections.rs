//! Check kind `required-sections`: a document has sections on given topics, each with real content.

use serde::Deserialize;

use super::pattern::Patterns;
use super::{Check, Emitter, RepoContext};
use crate::doc::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredSections {
    pub artifact: String,
    pub sections: Vec<SectionGroup>,
    /// One group present is enough (otherwise every group is required).
    #[serde(default)]
    pub any: bool,
    /// A README heading may hold the section when the artifact is only present as a README stand-in.
    #[serde(default)]
    pub readme_fallback: bool,
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
}

fn default_min_words() -> usize {
    40
}

/// How a group fared in a set of documents.
pub(crate) enum SectionStatus<'d> {
    Found,
    /// The heading exists but its body is too thin: document, heading index, words.
    Thin(&'d Document, usize, usize),
    Missing,
}

impl SectionGroup {
    pub(crate) fn status<'d>(
        &self,
        docs: &'d [std::sync::Arc<Document>],
        cx: &RepoContext<'_>,
    ) -> SectionStatus<'d> {
        let mut thin = None;
        for doc in docs {
            for (i, h) in doc.headings.iter().enumerate() {
                if !self.headings.is_match(&h.text) {
                    continue;
                }
                let words = doc.word_count(h.section.clone(), cx.placeholders);
                if words >= self.min_words {
                    return SectionStatus::Found;
                }
                if thin.is_none() {
                    thin = Some((doc.as_ref(), i, words));
                }
            }
        }
        match thin {
            Some((doc, i, words)) => SectionStatus::Thin(doc, i, words),
            None => SectionStatus::Missing,
        }
    }
}

impl Check for RequiredSections {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let resolved = cx.artifacts.resolve(&self.artifact);
        let mut docs = cx.artifacts.documents(&self.artifact);
        if docs.is_empty() && self.readme_fallback {
            if let Some((readme, _)) = resolved.readme_section {
                docs.extend(cx.repo.document(readme));
            }
        }
        let Some(primary) = docs.first().cloned() else {
            return;
        };
        let statuses: Vec<_> = self
            .sections
            .iter()
            .map(|g| (g, g.status(&docs, cx)))
            .collect();
        if self.any
            && statuses
                .iter()
                .any(|(_, s)| matches!(s, SectionStatus::Found))
        {
            return;
        }
        for (group, status) in statuses {
            match status {
                SectionStatus::Found => {}
                SectionStatus::Thin(doc, i, words) => {
                    let h = &doc.headings[i];
                    out.at(doc, h.span.clone(), format!(
                        "section \"{}\" has {} of real content; a {} section needs at least {} words",
                        h.text, plural(words, "word"), group.name, group.min_words
                    ));
                }
                SectionStatus::Missing => {
                    let example = group
                        .example
                        .as_deref()
                        .map(|e| format!(" (e.g. \"{e}\")"))
                        .unwrap_or_default();
                    let message =
                        format!("{} has no {} section{example}", primary.path, group.name);
                    match anchor_line(&primary) {
                        Some(line) => out.at_line(&primary, line, message),
                        None => out.file(&primary.path, message),
                    };
                }
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
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
