//! Unfilled template text: `TODO`, `[INSERT EMAIL ADDRESS]`, `{{ cookiecutter.name }}`…
//!
//! The patterns are data (`rules/placeholders.toml`); this module knows where they may match: never in
//! code, and — for word markers like `TODO` — never in comments, URLs or names such as "TODO Group".

use std::ops::Range;

use super::{Document, Hidden};
use crate::rule::pattern::{Found, Pattern};

#[derive(Debug, Clone)]
pub struct PlaceholderPattern {
    pub name: String,
    pub regex: Pattern,
    /// A cheaper regex that matches wherever `regex` does, tried first: the pattern without its
    /// line-start anchor, which stops the regex engine from skipping ahead to a literal.
    pub quick: Option<Pattern>,
    /// Template syntax (`{{ … }}`) is a placeholder even inside a link target or comment.
    pub in_urls_and_comments: bool,
}

#[derive(Debug, Clone)]
pub struct PlaceholderMatch {
    pub pattern: usize,
    pub range: Range<usize>,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct PlaceholderMatcher {
    pub patterns: Vec<PlaceholderPattern>,
    /// Text that looks like a placeholder but is not (an organization called "TODO Group").
    pub exceptions: Vec<Pattern>,
    /// Names that contain a marker word: in a document that uses the name, the bare word is the
    /// name ("the TODO Community", "TODO PM"), and only `WORD:` stays a marker.
    pub names: Vec<PlaceholderName>,
}

#[derive(Debug, Clone)]
pub struct PlaceholderName {
    pub regex: Pattern,
    pub word: String,
}

impl PlaceholderMatcher {
    /// Every placeholder in `range` of `doc`, in order.
    pub fn find(&self, doc: &Document, range: Range<usize>) -> Vec<PlaceholderMatch> {
        let mut out = Vec::new();
        if self.patterns.is_empty() {
            return out;
        }
        let text = &doc.text[range.clone()];
        // Most text holds no placeholder: each pattern's quick check keeps the rest from running.
        let candidates: Vec<bool> = self
            .patterns
            .iter()
            .map(|p| {
                p.quick
                    .as_ref()
                    .unwrap_or(&p.regex)
                    .is_match(doc.haystack(range.clone()))
            })
            .collect();
        if !candidates.contains(&true) {
            return out;
        }
        let urls = url_ranges(text, range.start);
        let exceptions: Vec<Range<usize>> = self
            .exceptions
            .iter()
            .flat_map(|e| {
                e.find_iter(text)
                    .map(|m| m.start() + range.start..m.end() + range.start)
            })
            .collect();
        let names_used: Vec<std::cell::OnceCell<bool>> = self
            .names
            .iter()
            .map(|_| std::cell::OnceCell::new())
            .collect();
        for (i, pattern) in self.patterns.iter().enumerate() {
            if !candidates[i] {
                continue;
            }
            // A group named `text` marks the placeholder itself within a wider match (the `TODO`
            // of `](TODO)`).
            let matches: Vec<Found> = if pattern.regex.has_group("text") {
                pattern.regex.find_group_iter(text, "text").collect()
            } else {
                pattern.regex.find_iter(text).collect()
            };
            for m in matches {
                let abs = m.start() + range.start..m.end() + range.start;
                let hidden = doc.hidden_at(abs.start).map(|h| h.kind);
                let allowed = match hidden {
                    Some(Hidden::CodeBlock | Hidden::InlineCode | Hidden::FrontMatter) => false,
                    Some(Hidden::HtmlComment) => pattern.in_urls_and_comments,
                    None => {
                        pattern.in_urls_and_comments
                            || !urls
                                .iter()
                                .any(|u| u.start <= abs.start && abs.start < u.end)
                    }
                };
                // An exception overlapping the match covers it: `[TODO Group Templates]` is a name
                // in brackets, not a bracketed TODO.
                let excepted = exceptions
                    .iter()
                    .any(|e| e.start < abs.end && abs.start < e.end)
                    || self.is_name(doc, &names_used, m.as_str(), &doc.text[abs.end..]);
                if allowed && !excepted {
                    out.push(PlaceholderMatch {
                        pattern: i,
                        range: abs,
                        text: m.as_str().to_string(),
                    });
                }
            }
        }
        out.sort_by_key(|m| (m.range.start, m.pattern));
        out.dedup_by(|b, a| b.range.start < a.range.end);
        out
    }

    /// Whether a bare marker word is a name in this document (it uses the name and the word is not
    /// followed by a colon).
    /// `used` caches, per name, whether the document uses it.
    fn is_name(
        &self,
        doc: &Document,
        used: &[std::cell::OnceCell<bool>],
        matched: &str,
        after: &str,
    ) -> bool {
        self.names.iter().zip(used).any(|(n, used)| {
            let Some(at) = matched.find(n.word.as_str()) else {
                return false;
            };
            let rest = &matched[at + n.word.len()..];
            let next = if rest.is_empty() { after } else { rest };
            !next.trim_start().starts_with(':') && *used.get_or_init(|| n.regex.is_match(&doc.text))
        })
    }

    /// `piece` (which starts at `offset` in `doc`) with its placeholders blanked out.
    pub fn mask<'a>(
        &self,
        doc: &Document,
        offset: usize,
        piece: &'a str,
    ) -> std::borrow::Cow<'a, str> {
        let found = self.find(doc, offset..offset + piece.len());
        if found.is_empty() {
            return std::borrow::Cow::Borrowed(piece);
        }
        let mut masked = String::with_capacity(piece.len());
        let mut at = 0;
        for m in found {
            let (s, e) = (m.range.start - offset, m.range.end - offset);
            if s < at {
                continue;
            }
            masked.push_str(&piece[at..s]);
            masked.push(' ');
            at = e;
        }
        masked.push_str(&piece[at..]);
        std::borrow::Cow::Owned(masked)
    }
}

/// Link destinations and bare URLs in `text`, as absolute ranges.
fn url_ranges(text: &str, base: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("](") {
        let start = i + 2;
        let end = text[start..]
            .find([')', '\n'])
            .map_or(text.len(), |j| start + j);
        out.push(base + start..base + end);
    }
    for scheme in ["http://", "https://", "mailto:"] {
        for (i, _) in text.match_indices(scheme) {
            let end = text[i..]
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ']'))
                .map_or(text.len(), |j| i + j);
            out.push(base + i..base + end);
        }
    }
    out
}
