//! Check kind `empty-section`: a heading with nothing under it before the next heading of the same
//! or a higher level.

use globset::{GlobSet, GlobSetBuilder};
use serde::{Deserialize, Deserializer};

use super::{Check, Emitter, RepoContext};
use crate::doc::Hidden;
use crate::finding::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmptySection {
    /// Files where empty sections are by design (issue and pull-request templates).
    #[serde(default, deserialize_with = "globs")]
    pub skip: GlobSet,
}

pub(crate) fn globs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<GlobSet, D::Error> {
    let patterns = Vec::<String>::deserialize(deserializer)?;
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(&p)
            .case_insensitive(true)
            .build()
            .map_err(|e| serde::de::Error::custom(format!("invalid glob `{p}`: {e}")))?;
        builder.add(glob);
    }
    builder.build().map_err(serde::de::Error::custom)
}

/// Whether a reader sees anything under a heading: text (a placeholder too — that is
/// hygiene/placeholder-text's finding), a bare URL, code or inline code. HTML comments and front
/// matter are not rendered; list markers and rules alone say nothing.
fn has_content(doc: &crate::doc::Document, body: std::ops::Range<usize>) -> bool {
    let code = doc.hidden.iter().any(|r| {
        matches!(r.kind, Hidden::CodeBlock | Hidden::InlineCode)
            && body.start <= r.range.start
            && r.range.start < body.end
    });
    code || doc
        .prose(body)
        .iter()
        .any(|(_, piece)| piece.chars().any(char::is_alphanumeric))
}

/// Headings that are not section titles: a sentence set as a heading ("This page is no longer
/// maintained. Please update your links.") or a heading that is itself a link to elsewhere.
fn is_notice_or_link(doc: &crate::doc::Document, h: &crate::doc::Heading) -> bool {
    let link = doc.links.iter().any(|l| {
        h.span.start <= l.span.start && l.span.end <= h.span.end && l.text.trim() == h.text.trim()
    });
    is_sentence(&h.text) || link
}

/// A sentence rather than a title: long, or ending like a sentence ("…three writers:").
fn is_sentence(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let end = text.trim_end_matches(['*', '_', ' ']);
    words > 12 || end.ends_with(['.', '!']) || (words >= 5 && end.ends_with(':'))
}

impl Check for EmptySection {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        for doc in cx.markup_documents() {
            if self.skip.is_match(&doc.path) {
                continue;
            }
            for (i, h) in doc.headings.iter().enumerate() {
                let has_subsection = doc
                    .headings
                    .get(i + 1)
                    .is_some_and(|next| next.level > h.level);
                if has_subsection {
                    continue;
                }
                // Text set as a heading right below counts as the section's content.
                let sentence_below = doc
                    .headings
                    .get(i + 1)
                    .is_some_and(|next| next.level >= h.level && is_sentence(&next.text));
                if has_content(&doc, h.own_body.clone())
                    || is_notice_or_link(&doc, h)
                    || sentence_below
                {
                    continue;
                }
                let message = if h.text.is_empty() {
                    "heading without text and without content".to_string()
                } else {
                    format!("section \"{}\" is empty", h.text)
                };
                let finding = out.at(&doc, h.span.clone(), message);
                if cx.is_template(&doc.path) {
                    finding
                        .at_most(Severity::Info)
                        .help("This file is a template, so the section is there to be filled in when the template is used.");
                }
            }
        }
    }
}
