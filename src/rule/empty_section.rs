//! Check kind `empty-section`: a heading with nothing under it before the next heading of the same
//! or a higher level.

use globset::{GlobSet, GlobSetBuilder};
use serde::{Deserialize, Deserializer};

use std::sync::LazyLock;

use regex::Regex;

use super::{Check, Emitter, RepoContext};
use crate::doc::{Document, Heading, Hidden};
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
fn has_content(doc: &Document, body: std::ops::Range<usize>) -> bool {
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
fn is_notice_or_link(doc: &Document, h: &crate::doc::Heading) -> bool {
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

/// The document's title directly followed by its first section at the same level (`# Project`
/// then `# Installation`): a first- or second-level heading with nothing visible above it, no
/// heading of the document above its level, and no title in the front matter (which would make
/// the heading a section).
fn is_title_before_first_section(doc: &Document, i: usize) -> bool {
    let h = &doc.headings[i];
    let titled_elsewhere = doc
        .front_matter
        .as_ref()
        .is_some_and(|fm| fm.get_str("title").is_some());
    i == 0
        && h.level <= 2
        && !titled_elsewhere
        && !has_content(doc, 0..h.span.start)
        && doc
            .headings
            .get(1)
            .is_some_and(|next| next.level == h.level)
        && doc.headings.iter().all(|other| other.level >= h.level)
}

static STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:cancell?ed|postponed|rescheduled|skipped|no meeting|not held)\b")
        .expect("valid regex")
});

/// A label heading that carries its own content: `Presenter: Jane Doe`, `Date: 12 May`, or an
/// entry whose status is the whole news (`12 May 2025 — cancelled`). A numbered or lettered key
/// (`Step 1: Install`, `Part II: Rollout`, `Q: …`) introduces a section instead, and so does a
/// long value (a title with a subtitle).
fn carries_its_content(text: &str) -> bool {
    if STATUS.is_match(text) {
        return true;
    }
    let Some((key, value)) = text.split_once(':') else {
        return false;
    };
    let key: Vec<&str> = key.split_whitespace().collect();
    let value_words = value.split_whitespace().count();
    let enumerated = key.last().is_some_and(|last| {
        last.chars().all(|c| c.is_ascii_digit() || c == '.')
            || last.chars().count() == 1
            || last.chars().all(|c| "IVXivx".contains(c))
    });
    (1..=3).contains(&key.len())
        && !enumerated
        && (1..=8).contains(&value_words)
        && !value.trim_end().ends_with('?')
}

static PROMPT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:please|describe|explain|list|provide|include|summari[sz]e|tell us|enter|specify|attach|share|mention)\b")
        .expect("valid regex")
});
static PROMPT_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\((?:if (?:any|applicable|appropriate|relevant|needed|known)|optional|required)\)",
    )
    .expect("valid regex")
});

/// A heading that asks the reader for something, as the fields of a form or template do: a
/// question, a field label ending in a colon, an "(if any)" or "(optional)" note, an instruction.
fn is_prompt(text: &str) -> bool {
    let end = text.trim_end_matches(['*', '_', ' ']);
    end.ends_with(['?', ':']) || PROMPT_NOTE.is_match(text) || PROMPT_START.is_match(text)
}

/// An empty prompt heading next to another one: together they are a form to fill in, whatever
/// the file is called. A single question left unanswered among answered ones is still reported.
fn in_prompt_run(doc: &Document, empty: &[bool], i: usize) -> bool {
    let empty_prompt = |j: usize| empty[j] && is_prompt(&doc.headings[j].text);
    empty_prompt(i)
        && ((i > 0 && empty_prompt(i - 1)) || (i + 1 < empty.len() && empty_prompt(i + 1)))
}

/// A folder's index page (`README.md`, `index.md`, `_index.md`) that holds only its title, in a
/// folder with other pages: site generators (GitBook, MkDocs, Hugo, Docusaurus) list its children
/// under it, so the page is a group in the navigation, not an empty section. The repository's own
/// README is its front page and is judged like any other document.
fn is_group_page(cx: &RepoContext<'_>, doc: &Document) -> bool {
    let Some((dir, name)) = doc.path.rsplit_once('/') else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    if !matches!(stem.as_str(), "readme" | "index" | "_index") {
        return false;
    }
    let Some(first) = doc.headings.first() else {
        return false;
    };
    let only_headings = !has_content(doc, 0..first.span.start)
        && doc
            .headings
            .iter()
            .all(|h| !has_content(doc, h.own_body.clone()));
    if !only_headings {
        return false;
    }
    let index = cx.repo.index();
    let prefix = format!("{dir}/");
    index.ids().any(|id| {
        let path = index.path(id);
        path != doc.path && path.starts_with(&prefix) && index.kind(id).is_markup()
    })
}

/// Whether the heading is written with `#` marks rather than underlined (Setext).
fn is_atx(doc: &Document, h: &Heading) -> bool {
    doc.text[h.span.clone()].trim_start().starts_with('#')
}

/// An underlined heading directly followed by a `#` heading of the same level: underlines give
/// only two levels, so a writer who needs a level below switches to `#` marks and often reuses the
/// same level (`v1.2` underlined with dashes, then `## Bug fixes`). The `#` heading is its first
/// subsection.
fn groups_atx_headings(doc: &Document, i: usize) -> bool {
    let h = &doc.headings[i];
    doc.headings
        .get(i + 1)
        .is_some_and(|next| next.level == h.level && !is_atx(doc, h) && is_atx(doc, next))
}

/// The headings of `doc` whose sections a reader finds empty.
fn empty_sections(doc: &Document) -> Vec<&Heading> {
    let empty: Vec<bool> = doc
        .headings
        .iter()
        .map(|h| !has_content(doc, h.own_body.clone()))
        .collect();
    doc.headings
        .iter()
        .enumerate()
        .filter(|&(i, h)| {
            let next = doc.headings.get(i + 1);
            let has_subsection = next.is_some_and(|next| next.level > h.level);
            // Text set as a heading right below counts as the section's content.
            let sentence_below =
                next.is_some_and(|next| next.level >= h.level && is_sentence(&next.text));
            empty[i]
                && !has_subsection
                && !sentence_below
                && !is_notice_or_link(doc, h)
                && !is_title_before_first_section(doc, i)
                && !groups_atx_headings(doc, i)
                && !carries_its_content(&h.text)
                && !in_prompt_run(doc, &empty, i)
        })
        .map(|(_, h)| h)
        .collect()
}

impl Check for EmptySection {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        for doc in cx.markup_documents() {
            if self.skip.is_match(&doc.path) || is_group_page(cx, &doc) {
                continue;
            }
            for h in empty_sections(&doc) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn empty(text: &str) -> Vec<String> {
        let doc = Document::parse("page.md", text.to_string());
        empty_sections(&doc)
            .into_iter()
            .map(|h| h.text.clone())
            .collect()
    }

    #[test]
    fn a_title_before_its_first_section_is_not_empty() {
        assert!(empty("# Project\n# Install\nRun it.\n").is_empty());
        // A later heading at the title's level is a section like any other.
        assert_eq!(
            empty("# Project\nAbout.\n# Install\n# Use\nRun it.\n"),
            vec!["Install"]
        );
    }

    #[test]
    fn an_underlined_heading_groups_the_hash_headings_below_it() {
        let text = "# Changes\n\nEvery release.\n\nv1.2\n----\n\n## Bug fixes\n\nFixed a crash.\n\n## Features\n\n## Docs\n\nNew guide.\n";
        assert_eq!(empty(text), vec!["Features"]);
    }

    #[test]
    fn label_headings_carry_their_content() {
        let text = "# Talks\n\n### Presenter: Ada Lovelace\n\n### 12 May 2025 — cancelled\n\n#### Date: 3 June\n\n### Step 1: Install\n\n### Q: Why?\n\nBecause.\n";
        assert_eq!(empty(text), vec!["Step 1: Install"]);
    }

    #[test]
    fn a_run_of_prompts_is_a_form() {
        let form = "# Proposal\n\n## What problem does it solve?\n\n## Alternatives considered (if any)\n\n## Describe the rollout\n\n## Owner\n";
        assert_eq!(empty(form), vec!["Owner"]);
        // One unanswered question among answered ones is still empty.
        let answered = "# Proposal\n\n## Why?\n\nBecause.\n\n## How would we measure it?\n\n## Who:\n\nThe team.\n";
        assert_eq!(empty(answered), vec!["How would we measure it?"]);
    }
}
