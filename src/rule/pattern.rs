//! Regular expressions in rule packs: checked while the pack is read, so a bad one is reported with
//! its position in the file, and compiled the first time a rule uses them. Compiling every pattern
//! up front cost more than a whole pre-commit run's other work.

use std::cell::Cell;
use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};
use serde::{Deserialize, Deserializer};

/// A case-insensitive regular expression (use `(?-i)` inside it to opt out).
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: OnceLock<meta::Regex>,
}

/// Where a pattern matched.
#[derive(Debug, Clone, Copy)]
pub struct Found<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Found<'t> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn as_str(&self) -> &'t str {
        // Patterns are compiled for UTF-8 text: matches start and end on character boundaries.
        &self.text[self.start..self.end]
    }
}

/// Patterns compile to at most about 4 MB of automaton; rule packs stay far below.
const SIZE_LIMIT: usize = 1 << 22;

thread_local! {
    static CHECK_SYNTAX: Cell<bool> = const { Cell::new(true) };
}

static FEW_DOCUMENTS: AtomicBool = AtomicBool::new(false);

/// Compiles patterns for a run that reads a few documents (a pre-commit run on the changed files):
/// without the literal prefilters that let a search skip through long texts. Building those is
/// most of a pattern's compilation, more than such a run spends searching. Matches are the same.
pub fn compile_for_few_documents() {
    FEW_DOCUMENTS.store(true, Ordering::Relaxed);
}

/// Runs `load` without checking the syntax of the patterns it reads: for the built-in packs, which
/// are part of the binary and checked by the tests. Checking them costs a third of a pre-commit run.
pub fn without_syntax_checks<T>(load: impl FnOnce() -> T) -> T {
    let before = CHECK_SYNTAX.with(|check| check.replace(false));
    let result = load();
    CHECK_SYNTAX.with(|check| check.set(before));
    result
}

/// Compiles a regular expression the way this run needs it (see [`compile_for_few_documents`]).
/// Without `utf8` in `syntax`, the regex matches bytes (paths, for globs).
pub fn build(source: &str, syntax: syntax::Config) -> Result<meta::Regex, meta::BuildError> {
    let mut config = meta::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(syntax.get_utf8())
        .nfa_size_limit(Some(SIZE_LIMIT));
    if FEW_DOCUMENTS.load(Ordering::Relaxed) {
        config = config
            .auto_prefilter(false)
            .onepass(false)
            .backtrack(false)
            .dfa(false);
    }
    meta::Builder::new()
        .configure(config)
        .syntax(syntax)
        .build(source)
}

impl Pattern {
    /// Parses `source` with the flags it will be compiled with; compilation waits for first use.
    pub fn new(source: &str) -> Result<Pattern, regex_syntax::Error> {
        if CHECK_SYNTAX.with(Cell::get) {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .multi_line(true)
                .build()
                .parse(source)?;
        }
        Ok(Pattern {
            source: source.to_string(),
            regex: OnceLock::new(),
        })
    }

    fn compiled(&self) -> &meta::Regex {
        self.regex.get_or_init(|| {
            build(
                &self.source,
                syntax::Config::new()
                    .case_insensitive(true)
                    .multi_line(true)
                    .utf8(true),
            )
            // The syntax was checked on load; what is left is a pattern too large to compile,
            // which then matches nothing rather than stopping the run.
            .unwrap_or_else(|_| meta::Regex::new(r"\b\B").expect("a constant pattern compiles"))
        })
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.compiled().is_match(text)
    }

    pub fn find<'t>(&self, text: &'t str) -> Option<Found<'t>> {
        self.find_at(text, 0)
    }

    /// The first match starting at or after `start`; the text before it still counts for `\b` and `^`.
    pub fn find_at<'t>(&self, text: &'t str, start: usize) -> Option<Found<'t>> {
        let input = Input::new(text).span(start..text.len());
        self.compiled().find(input).map(|m| Found {
            text,
            start: m.start(),
            end: m.end(),
        })
    }

    pub fn has_group(&self, group: &str) -> bool {
        self.compiled()
            .group_info()
            .to_index(regex_automata::PatternID::ZERO, group)
            .is_some()
    }

    /// Where the group `group` matched in each match, or the whole match where the group took no
    /// part (or the pattern has no such group).
    pub fn find_group_iter<'r, 't>(
        &'r self,
        text: &'t str,
        group: &str,
    ) -> impl Iterator<Item = Found<'t>> + 'r
    where
        't: 'r,
    {
        let regex = self.compiled();
        let index = regex
            .group_info()
            .to_index(regex_automata::PatternID::ZERO, group);
        regex.captures_iter(text).filter_map(move |caps| {
            let span = index
                .and_then(|i| caps.get_group(i))
                .or_else(|| caps.get_match().map(|m| m.span()))?;
            Some(Found {
                text,
                start: span.start,
                end: span.end,
            })
        })
    }

    pub fn find_iter<'r, 't>(&'r self, text: &'t str) -> impl Iterator<Item = Found<'t>> + 'r
    where
        't: 'r,
    {
        self.compiled().find_iter(text).map(move |m| Found {
            text,
            start: m.start(),
            end: m.end(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        Pattern::new(&source).map_err(|err| {
            let detail = err.to_string();
            let last = detail.lines().last().unwrap_or(&detail).trim();
            let last = last.strip_prefix("error: ").unwrap_or(last);
            serde::de::Error::custom(format!("invalid regular expression `{source}`: {last}"))
        })
    }
}

/// One pattern or several; any of them matching counts.
#[derive(Debug, Clone, Default)]
pub struct Patterns(pub Vec<Pattern>);

impl Patterns {
    pub fn iter(&self) -> std::slice::Iter<'_, Pattern> {
        self.0.iter()
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.0.iter().any(|p| p.is_match(text))
    }

    /// The first pattern matching `text`, with where it matched.
    pub fn find<'t>(&self, text: &'t str) -> Option<Found<'t>> {
        self.0
            .iter()
            .filter_map(|p| p.find(text))
            .min_by_key(|m| m.start())
    }
}

impl<'de> Deserialize<'de> for Patterns {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Patterns;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a regular expression or a list of them")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Patterns, E> {
                Pattern::deserialize(serde::de::value::StrDeserializer::<E>::new(v))
                    .map(|p| Patterns(vec![p]))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Patterns, A::Error> {
                let mut out = Vec::new();
                while let Some(p) = seq.next_element::<Pattern>()? {
                    out.push(p);
                }
                Ok(Patterns(out))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_patterns_pass_the_syntax_check_they_skip() {
        let catalog = crate::rule::pack::Catalog::builtin_checked();
        assert!(catalog.is_ok(), "{:?}", catalog.err());
    }

    #[test]
    fn a_search_from_an_offset_sees_the_text_before_it() {
        let p = Pattern::new(r"\bcode\b").unwrap();
        let text = "barcode, Code";
        assert_eq!(p.find_at(text, 3).map(|m| m.range()), Some(9..13));
        assert_eq!(p.find(text).map(|m| m.as_str()), Some("Code"));
    }

    #[test]
    fn a_named_group_marks_the_match_where_it_took_part() {
        let p = Pattern::new(r"\]\((?P<text>TODO)\)|\bTBD\b").unwrap();
        assert!(p.has_group("text") && !p.has_group("other"));
        let found: Vec<&str> = p
            .find_group_iter("see [x](TODO) and TBD", "text")
            .map(|m| m.as_str())
            .collect();
        assert_eq!(found, ["TODO", "TBD"]);
    }

    #[test]
    fn patterns_compiled_for_few_documents_match_the_same() {
        let source = r"(?-i:\b(TODO|TBD)\b)|open[- ]source (rules and )?strateg";
        let text = "An Open Source Strategy. TODO: fill in. todo is not a marker; TBD";
        let full: Vec<_> = Pattern::new(source)
            .unwrap()
            .find_iter(text)
            .map(|m| m.range())
            .collect();
        compile_for_few_documents();
        let lean: Vec<_> = Pattern::new(source)
            .unwrap()
            .find_iter(text)
            .map(|m| m.range())
            .collect();
        assert_eq!(full, lean);
        assert_eq!(full.len(), 3);
    }

    #[test]
    fn syntax_is_checked_on_load_and_flags_apply_on_use() {
        assert!(Pattern::new("(unclosed").is_err());
        assert!(Pattern::new(r"\p{NoSuchClass}").is_err());
        let p = Pattern::new("^code of conduct$").unwrap();
        assert!(
            p.is_match("intro\nCode Of Conduct\nmore"),
            "case-insensitive and multi-line"
        );
    }
}
