//! Unfilled template text: `TODO`, `[INSERT EMAIL ADDRESS]`, `{{ cookiecutter.name }}`…
//!
//! The patterns are data (`rules/placeholders.toml`); this module knows where they may match: never in
//! code, and — for word markers like `TODO` — never in comments, URLs or names such as "TODO Group".

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};

use super::{Document, Hidden};
use crate::pattern::{Found, Pattern};

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
    /// Built on first use from the patterns.
    pub gate: OnceLock<Gate>,
}

/// One search for the words the patterns cannot match without (`[todo`, `cookiecutter.`, …),
/// which rules out most patterns for most documents before any of them runs.
#[derive(Debug, Clone)]
pub struct Gate {
    /// The words (ASCII letters lower-cased), searched for in lower-cased text: a case-sensitive
    /// search can skip ahead to the words' first bytes, one ignoring case cannot. The ASCII
    /// words only, for ASCII text (`[inſert` cannot be there), and all of them.
    ascii: Option<(AhoCorasick, Vec<usize>)>,
    all: Option<(AhoCorasick, Vec<usize>)>,
    words: Vec<Vec<u8>>,
    /// Per pattern: sets of word indices, one word of each of which must be in the text. No sets:
    /// the pattern is always tried.
    needs: Vec<Vec<Vec<usize>>>,
}

impl Gate {
    fn new(patterns: &[PlaceholderPattern]) -> Gate {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let needs = patterns
            .iter()
            .map(|p| {
                p.regex
                    .required_word_sets()
                    .into_iter()
                    .map(|set| {
                        set.into_iter()
                            .map(|word| match words.iter().position(|w| *w == word) {
                                Some(at) => at,
                                None => {
                                    words.push(word);
                                    words.len() - 1
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let build = |ascii_only: bool| {
            let chosen: Vec<usize> = (0..words.len())
                .filter(|&i| !ascii_only || words[i].is_ascii())
                .collect();
            if chosen.is_empty() {
                return Ok(None);
            }
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(chosen.iter().map(|&i| &words[i]))
                .map(|automaton| Some((automaton, chosen)))
        };
        match (build(true), build(false)) {
            (Ok(ascii), Ok(all)) => Gate {
                ascii,
                all,
                words,
                needs,
            },
            // A few dozen short words cannot outgrow the automaton's limits; if they did, every
            // pattern would simply be tried.
            _ => Gate {
                ascii: None,
                all: None,
                words: Vec::new(),
                needs: vec![Vec::new(); patterns.len()],
            },
        }
    }

    /// For each pattern, whether `lower` (a text with its ASCII letters lower-cased) holds the
    /// words the pattern needs.
    fn possible(&self, lower: &str) -> Vec<bool> {
        let searched = if lower.is_ascii() {
            &self.ascii
        } else {
            &self.all
        };
        let mut present = vec![false; self.words.len()];
        if let Some((automaton, words)) = searched {
            // A search reports one word per position: each position where a word starts is
            // searched from, and every word is compared there.
            let mut at = 0;
            while let Some(m) = automaton.find(Input::new(lower).span(at..lower.len())) {
                let rest = &lower.as_bytes()[m.start()..];
                for &word in words {
                    present[word] |= rest.starts_with(&self.words[word]);
                }
                at = m.start() + 1;
            }
        }
        self.needs
            .iter()
            .map(|sets| sets.iter().all(|set| set.iter().any(|&w| present[w])))
            .collect()
    }
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
        // Most text holds no placeholder: one search for the words the patterns need, then each
        // remaining pattern's quick check, keep the rest from running.
        let lower = match doc.haystack(range.clone()).lower() {
            Some(lower) => std::borrow::Cow::Borrowed(lower),
            // Text beyond ASCII has no shared lower-cased copy (see `Document::ascii_lower`).
            None => std::borrow::Cow::Owned(text.to_ascii_lowercase()),
        };
        let possible = self
            .gate
            .get_or_init(|| Gate::new(&self.patterns))
            .possible(&lower);
        let candidates: Vec<bool> = self
            .patterns
            .iter()
            .zip(possible)
            .map(|(p, possible)| {
                possible
                    && p.quick
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The gate never rules out a pattern that matches: checked on every Markdown file of the
    /// fixtures and the real-world corpus (when present) and on texts made to trip it.
    #[test]
    fn gate_keeps_every_pattern_that_matches() {
        let matcher = crate::rule::pack::Catalog::builtin_checked()
            .expect("built-in catalog")
            .placeholders;
        let gate = Gate::new(&matcher.patterns);
        assert!(
            gate.needs.iter().filter(|sets| !sets.is_empty()).count() >= 8,
            "most built-in patterns need words: {:?}",
            gate.needs
        );
        let mut texts: Vec<String> = [
            "TODO",
            "xTODOx",
            "a TODO.",
            "[todo: x]",
            "[TBD]",
            "](TODO)",
            "](  FIXME later)",
            "<!-- TODO -->",
            "<!--FIXME",
            "**{Name}**",
            "[INSERT EMAIL]",
            "[Fill in the name]",
            "<COMPANY_NAME>",
            "*Insert the date*",
            "x*Describe it*",
            "{{ cookiecutter.name }}",
            "{{cookiecutter.x}}",
            "Lorem Ipsum",
            "LOREM IPSUM dolor",
            "this is a placeholder",
            "## [Project Name]",
            "[todo][tbd]",
            "todotodo",
            "[inſert here]",
            "LOREM IPſUM",
            "{{ COOKIECUTTER.x }}",
            "{{ cooKiecutter.x }}",
            "ünïcödé [TODO] ✓",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut roots = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        roots.extend(std::env::var_os("OSPOLINT_REALWORLD").map(Into::into));
        for root in roots {
            collect_markdown(&root, &mut texts);
        }
        assert!(texts.len() > 100);
        for text in &texts {
            let possible = gate.possible(&text.to_ascii_lowercase());
            for (pattern, possible) in matcher.patterns.iter().zip(possible) {
                assert!(
                    possible || !pattern.regex.is_match(text.as_str()),
                    "`{}` matches but was ruled out in:\n{text}",
                    pattern.name
                );
            }
        }
    }

    fn collect_markdown(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect_markdown(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.extend(std::fs::read_to_string(&path).ok());
            }
        }
    }
}
