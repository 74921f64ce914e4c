//! Unfilled template text: `TODO`, `[INSERT EMAIL ADDRESS]`, `{{ cookiecutter.name }}`…
//!
//! The patterns are data (`rules/placeholders.toml`); this module knows where they may match: never in
//! code, and — for word markers like `TODO` — never in comments, URLs or names such as "TODO Group".

use std::ops::Range;

use regex::Regex;

use super::{Document, Hidden};

#[derive(Debug, Clone)]
pub struct PlaceholderPattern {
    pub name: String,
    pub regex: Regex,
    /// Template syntax (`{{ … }}`) is a placeholder even inside a link target or comment.
    pub in_urls_and_comments: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceholderMatch {
    pub pattern: usize,
    pub range: Range<usize>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct PlaceholderMatcher {
    patterns: Vec<PlaceholderPattern>,
    /// Text that looks like a placeholder but is not (an organization called "TODO Group").
    exceptions: Vec<Regex>,
    /// All patterns as one alternation: most documents have no placeholder and are passed over in one
    /// scan, which the regex engine speeds up with the patterns' literal prefixes.
    any: Regex,
}

impl PlaceholderMatcher {
    pub fn new(patterns: Vec<PlaceholderPattern>, exceptions: Vec<Regex>) -> PlaceholderMatcher {
        let alternation = patterns
            .iter()
            .map(|p| format!("(?:{})", p.regex.as_str()))
            .collect::<Vec<_>>()
            .join("|");
        // An empty alternation would match everywhere; `[^\s\S]` matches nowhere.
        let any = Regex::new(if patterns.is_empty() {
            "[^\\s\\S]"
        } else {
            &alternation
        })
        .expect("each pattern compiled on its own, so their alternation compiles");
        PlaceholderMatcher {
            patterns,
            exceptions,
            any,
        }
    }

    pub fn patterns(&self) -> &[PlaceholderPattern] {
        &self.patterns
    }

    /// Every placeholder in `range` of `doc`, in order.
    pub fn find(&self, doc: &Document, range: Range<usize>) -> Vec<PlaceholderMatch> {
        let mut out = Vec::new();
        let text = &doc.text[range.clone()];
        if !self.any.is_match(text) {
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
        for (i, pattern) in self.patterns.iter().enumerate() {
            for m in pattern.regex.find_iter(text) {
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
                let excepted = exceptions
                    .iter()
                    .any(|e| e.start <= abs.start && abs.end <= e.end);
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
