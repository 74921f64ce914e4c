//! Regular expressions in rule packs: checked while the pack is read, so a bad one is reported with
//! its position in the file, and compiled the first time a rule uses them. Compiling every pattern
//! up front cost more than a whole pre-commit run's other work.

use std::cell::Cell;
use std::fmt;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Deserializer};

/// A case-insensitive regular expression (use `(?-i)` inside it to opt out).
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: OnceLock<Regex>,
}

thread_local! {
    static CHECK_SYNTAX: Cell<bool> = const { Cell::new(true) };
}

/// Runs `load` without checking the syntax of the patterns it reads: for the built-in packs, which
/// are part of the binary and checked by the tests. Checking them costs a third of a pre-commit run.
pub fn without_syntax_checks<T>(load: impl FnOnce() -> T) -> T {
    let before = CHECK_SYNTAX.with(|check| check.replace(false));
    let result = load();
    CHECK_SYNTAX.with(|check| check.set(before));
    result
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

    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            RegexBuilder::new(&self.source)
                .case_insensitive(true)
                .multi_line(true)
                .size_limit(1 << 22)
                .build()
                // The syntax was checked on load; what is left is a pattern too large to compile,
                // which then matches nothing rather than stopping the run.
                .unwrap_or_else(|_| Regex::new(r"\b\B").expect("a constant pattern compiles"))
        })
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex().is_match(text)
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
    pub fn find<'t>(&self, text: &'t str) -> Option<regex::Match<'t>> {
        self.0
            .iter()
            .filter_map(|p| p.regex().find(text))
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
