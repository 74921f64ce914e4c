//! Check kind `content-pattern`: a document must (or must not) contain text matching patterns,
//! in the whole document or in sections whose heading matches.

use std::sync::Arc;

use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::doc::{Document, Hidden};
use crate::finding::Severity;
use crate::pattern::Patterns;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentPattern {
    pub artifact: String,
    /// Only look inside sections whose heading matches.
    pub section: Option<Patterns>,
    #[serde(default)]
    pub require: Vec<Requirement>,
    #[serde(default)]
    pub forbid: Vec<Requirement>,
    /// Requirements may also be met by the repository's documents the artifact links to.
    #[serde(default)]
    pub follow_links: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// What the pattern stands for, in words: "a private channel for reporting vulnerabilities".
    pub description: String,
    pub pattern: Patterns,
    #[serde(default = "one")]
    pub min_count: usize,
    /// A softer severity for this requirement than the rule's own.
    pub severity: Option<Severity>,
    /// Code blocks count too: a command such as `git commit -s` is written as code.
    #[serde(default)]
    pub code: bool,
}

impl Requirement {
    /// Matches in `range`, counted up to `min_count`.
    pub(crate) fn count(&self, doc: &Document, range: std::ops::Range<usize>) -> usize {
        if self.code {
            let haystack = doc.haystack(range);
            return self
                .pattern
                .iter()
                .map(|p| p.find_iter(haystack).take(self.min_count).count())
                .sum::<usize>()
                .min(self.min_count);
        }
        count_matches(doc, range, &self.pattern, self.min_count)
    }
}

fn one() -> usize {
    1
}

impl Check for ContentPattern {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let docs = cx.artifacts.documents(&self.artifact);
        let Some(primary) = docs.first() else {
            return;
        };
        let scopes = scopes(&docs, self.section.as_ref());
        let linked = if self.follow_links {
            cx.with_linked_documents(&docs)
        } else {
            Vec::new()
        };
        let required_scopes = if self.follow_links {
            self::scopes(&linked, self.section.as_ref())
        } else {
            scopes.clone()
        };
        for req in &self.require {
            let count: usize = required_scopes
                .iter()
                .map(|(doc, range)| req.count(doc, range.clone()))
                .sum();
            if count < req.min_count {
                let wanted = if req.min_count > 1 {
                    format!(
                        "at least {} mentions of {} (found {count})",
                        req.min_count, req.description
                    )
                } else {
                    req.description.clone()
                };
                let finding = out.file(&primary.path, format!("does not mention {wanted}"));
                if let Some(sev) = req.severity {
                    finding.at_most(sev);
                }
            }
        }
        for req in &self.forbid {
            for (doc, range) in &scopes {
                for (offset, piece) in doc.prose(range.clone()) {
                    if let Some(m) = req.pattern.find(doc.haystack(offset..offset + piece.len())) {
                        let finding = out.at(
                            doc,
                            offset + m.start()..offset + m.end(),
                            format!("contains {}", req.description),
                        );
                        if let Some(sev) = req.severity {
                            finding.at_most(sev);
                        }
                    }
                }
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
}

/// The parts of the documents to search: whole documents, or the matching sections.
fn scopes<'d>(
    docs: &'d [Arc<Document>],
    section: Option<&Patterns>,
) -> Vec<(&'d Document, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    for doc in docs {
        match section {
            None => out.push((doc.as_ref(), doc.full())),
            Some(pattern) => out.extend(
                doc.headings
                    .iter()
                    .filter(|h| pattern.is_match(&h.text))
                    .map(|h| (doc.as_ref(), h.span.start..h.section.end)),
            ),
        }
    }
    out
}

/// Matches in the visible text of `range`: prose and inline code (a label such as `good first
/// issue` is usually written as code), link targets included (e-mail addresses hide there); code
/// blocks, comments and front matter are left out. Counting stops at `enough`: callers compare the
/// count with a minimum, and most documents reach it early.
pub(crate) fn count_matches(
    doc: &Document,
    range: std::ops::Range<usize>,
    pattern: &Patterns,
    enough: usize,
) -> usize {
    let possible: Vec<_> = pattern
        .iter()
        .filter(|p| p.may_match(doc.haystack(range.clone())))
        .collect();
    if possible.is_empty() {
        return 0;
    }
    let mut pieces = Vec::new();
    let mut at = range.start;
    for hidden in doc.hidden.iter().filter(|h| h.kind != Hidden::InlineCode) {
        if hidden.range.end <= at || hidden.range.start >= range.end {
            continue;
        }
        if hidden.range.start > at {
            pieces.push(doc.haystack(at..hidden.range.start));
        }
        at = hidden.range.end.min(range.end);
    }
    if at < range.end {
        pieces.push(doc.haystack(at..range.end));
    }
    let mut count = 0;
    for piece in pieces {
        for p in &possible {
            for _ in p.find_iter(piece) {
                count += 1;
                if count >= enough {
                    return count;
                }
            }
        }
    }
    count
}
