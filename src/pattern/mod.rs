//! Regular expressions in rule packs: checked while the pack is read, so a bad one is reported with
//! its position in the file, and compiled the first time a rule uses them. Compiling every pattern
//! up front cost more than a whole pre-commit run's other work.

mod literals;

use std::cell::Cell;
use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::Hir;
use serde::{Deserialize, Deserializer};

use crate::doc::Haystack;

/// A case-insensitive regular expression (use `(?-i)` inside it to opt out).
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: OnceLock<meta::Regex>,
    /// The pattern for lower-cased ASCII text (see [`Pattern::folded`]); `None` when it has none.
    folded: OnceLock<Option<meta::Regex>>,
    /// A search for the words one of which every match contains (see [`Pattern::may_match`]);
    /// `None` when the pattern has no such words.
    gate: OnceLock<Option<Vec<memchr::memmem::Finder<'static>>>>,
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

/// Several patterns searched as one: which of them match a text, in one pass over it. For short
/// texts (titles, paths) tried against many patterns, where a search per pattern costs mostly its
/// setting up.
#[derive(Debug, Clone)]
pub struct PatternSet {
    /// `None` when the patterns do not compile together (too large): each is tried alone.
    regex: Option<meta::Regex>,
    patterns: Vec<Pattern>,
}

impl PatternSet {
    pub fn new(patterns: Vec<Pattern>) -> PatternSet {
        let hirs: Option<Vec<Hir>> = patterns.iter().map(|p| parse(&p.source).ok()).collect();
        let regex = hirs.and_then(|hirs| {
            meta::Builder::new()
                .configure(
                    meta::Config::new()
                        .match_kind(MatchKind::All)
                        .nfa_size_limit(Some(SIZE_LIMIT)),
                )
                .build_many_from_hir(&hirs)
                .ok()
        });
        PatternSet { regex, patterns }
    }

    /// The indices of the patterns that match `text`, ascending: what `is_match` on each says.
    pub fn matching(&self, text: &str) -> Vec<usize> {
        match &self.regex {
            Some(regex) => {
                let mut found = regex_automata::PatternSet::new(regex.pattern_len());
                regex.which_overlapping_matches(&Input::new(text), &mut found);
                found.iter().map(|id| id.as_usize()).collect()
            }
            None => (0..self.patterns.len())
                .filter(|&i| self.patterns[i].is_match(text))
                .collect(),
        }
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
    build_for(source, syntax, FEW_DOCUMENTS.load(Ordering::Relaxed))
}

fn build_for(
    source: &str,
    syntax: syntax::Config,
    few_documents: bool,
) -> Result<meta::Regex, meta::BuildError> {
    meta::Builder::new()
        .configure(config(few_documents, syntax.get_utf8()))
        .syntax(syntax)
        .build(source)
}

/// A rule pattern as the regex engine builds it.
fn compile_hir(hir: &Hir, few_documents: bool) -> Result<meta::Regex, meta::BuildError> {
    meta::Builder::new()
        .configure(config(few_documents, true))
        .build_from_hir(hir)
}

fn config(few_documents: bool, utf8: bool) -> meta::Config {
    let config = meta::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(utf8)
        .nfa_size_limit(Some(SIZE_LIMIT));
    if few_documents {
        config
            .auto_prefilter(false)
            .onepass(false)
            .backtrack(false)
            .dfa(false)
    } else {
        config
    }
}

/// About how many automaton states compiling `hir` makes: counted repetitions multiply what they
/// repeat (`[\s\S]{5000}` is 5,000 copies of its class), each class range costs a few states.
/// A compile's work is in proportion, up to the size limit where it gives up.
pub fn automaton_weight(hir: &regex_syntax::hir::Hir) -> u64 {
    use regex_syntax::hir::{Class, HirKind};
    /// Past this, the compile gives up at its size limit (1 MiB) whatever the pattern.
    const MOST: u64 = 1 << 20;
    let weight = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(literal) => literal.0.len() as u64,
        HirKind::Class(Class::Unicode(class)) => class.ranges().len() as u64 * 4,
        HirKind::Class(Class::Bytes(class)) => class.ranges().len() as u64,
        HirKind::Repetition(repetition) => {
            let copies = repetition
                .max
                .unwrap_or(repetition.min)
                .max(repetition.min)
                .max(1);
            automaton_weight(&repetition.sub).saturating_mul(u64::from(copies))
        }
        HirKind::Capture(capture) => automaton_weight(&capture.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts
            .iter()
            .map(automaton_weight)
            .fold(0, u64::saturating_add),
    };
    weight.saturating_add(1).min(MOST)
}

/// A rule pattern's syntax tree: case-insensitive, `^` and `$` at line ends.
fn parse(source: &str) -> Result<Hir, regex_syntax::Error> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .multi_line(true)
        .build()
        .parse(source)
}

/// At most this many words make a gate (see [`Pattern::may_match`]).
const GATE_WORDS: usize = 4;

/// Below this length a text is searched as it is: the folded pattern may need compiling first.
const FOLD_MIN_LEN: usize = 64;

/// `source` compiled for lower-cased ASCII text (see [`Pattern::folded`]).
fn fold(source: &str) -> Option<meta::Regex> {
    compile_hir(&without_upper_case(&parse(source).ok()?)?, false).ok()
}

/// `hir` without the upper-case ASCII letters of its classes, when that keeps its matches on
/// lower-cased ASCII text: every class that holds an ASCII letter in one case holds it in the
/// other (then a text character matches before lower-casing exactly when it matches after), and
/// no literal holds a letter (case-insensitive letters are classes; literal ones come from
/// `(?-i)`). `None` otherwise.
fn without_upper_case(hir: &Hir) -> Option<Hir> {
    use regex_syntax::hir::{
        Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, HirKind,
        Repetition,
    };
    Some(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => hir.clone(),
        HirKind::Literal(literal) => {
            if literal.0.iter().any(u8::is_ascii_alphabetic) {
                return None;
            }
            hir.clone()
        }
        HirKind::Class(class) => {
            let has = |c: u8| match class {
                Class::Unicode(class) => {
                    let c = char::from(c);
                    class
                        .ranges()
                        .iter()
                        .any(|r| r.start() <= c && c <= r.end())
                }
                Class::Bytes(class) => class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= c && c <= r.end()),
            };
            if !(b'a'..=b'z').all(|c| has(c) == has(c - 32)) {
                return None;
            }
            let mut lower = class.clone();
            match &mut lower {
                Class::Unicode(class) => {
                    class.difference(&ClassUnicode::new([ClassUnicodeRange::new('A', 'Z')]))
                }
                Class::Bytes(class) => {
                    class.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]))
                }
            }
            Hir::class(lower)
        }
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            sub: Box::new(without_upper_case(&repetition.sub)?),
            ..repetition.clone()
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(without_upper_case(&capture.sub)?),
            ..capture.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(
            subs.iter()
                .map(without_upper_case)
                .collect::<Option<Vec<_>>>()?,
        ),
        HirKind::Alternation(subs) => Hir::alternation(
            subs.iter()
                .map(without_upper_case)
                .collect::<Option<Vec<_>>>()?,
        ),
    })
}

impl Pattern {
    /// Parses `source` with the flags it will be compiled with; compilation waits for first use.
    pub fn new(source: &str) -> Result<Pattern, regex_syntax::Error> {
        if CHECK_SYNTAX.with(Cell::get) {
            parse(source)?;
        }
        Ok(Pattern {
            source: source.to_string(),
            regex: OnceLock::new(),
            folded: OnceLock::new(),
            gate: OnceLock::new(),
        })
    }

    /// Why the pattern cannot be compiled (it exceeds the size limit), when its syntax is checked
    /// (see [`without_syntax_checks`]). Only a pattern whose automaton may be large is compiled to
    /// find out; the others wait for their first use, as every pattern does.
    fn too_large(&self) -> Option<String> {
        /// Below this weight a pattern is far from the size limit.
        const SMALL: u64 = 1 << 14;
        if !CHECK_SYNTAX.with(Cell::get) {
            return None;
        }
        let hir = parse(&self.source).ok()?;
        if automaton_weight(&hir) < SMALL {
            return None;
        }
        compile_hir(&hir, false).err().map(|err| err.to_string())
    }

    /// The pattern without upper-case ASCII letters, to search lower-cased ASCII text: the same
    /// matches at the same offsets, found far faster. A case-insensitive word has a literal form
    /// for every mix of cases (32 for `owner`), too many for the regex engine to skip ahead to,
    /// so such a pattern reads every byte (80–400 MB/s for most rule patterns); lower-cased, each
    /// word has one form. Only for patterns where every letter is case-insensitive (not those
    /// using `(?-i)`), and not in runs that read few documents (see [`compile_for_few_documents`]).
    fn folded(&self) -> Option<&meta::Regex> {
        self.folded
            .get_or_init(|| {
                if FEW_DOCUMENTS.load(Ordering::Relaxed) {
                    return None;
                }
                fold(&self.source)
            })
            .as_ref()
    }

    /// The regex and the text to run it on: the folded pattern over the lower-cased copy for a
    /// long enough piece of an ASCII document, else the pattern over the text.
    fn engine<'t>(&self, haystack: &Haystack<'t>) -> (&meta::Regex, &'t str) {
        if haystack.text.len() >= FOLD_MIN_LEN {
            if let Some(folded) = self.folded() {
                if let Some(lower) = haystack.lower() {
                    return (folded, lower);
                }
            }
        }
        (self.compiled(), haystack.text)
    }

    /// Sets of words every match contains one of each (see the `literals` module); empty when the
    /// pattern has none worth searching for.
    pub fn required_word_sets(&self) -> Vec<literals::WordSet> {
        parse(&self.source)
            .map(|hir| literals::required_word_sets(&hir))
            .unwrap_or_default()
    }

    /// The longest word every match contains (see [`literals::required_word`]), ASCII letters
    /// lower-cased: a text (lower-cased) without it cannot match.
    pub fn required_word(&self) -> Option<Vec<u8>> {
        parse(&self.source)
            .ok()
            .and_then(|hir| literals::required_word(&hir))
    }

    /// Whether the pattern can match in `haystack`: false when it is a piece of an ASCII document
    /// and holds none of a few words one of which every match contains (`hour`, `day`, `week`,
    /// `month` of a response-time pattern). A pattern that starts with a short word (`a`, a
    /// digit) stops the regex engine at nearly every byte of prose; a few substring searches
    /// rule most documents out at a fraction of that cost. Always true for other texts (their
    /// lower-cased copy is not kept) and for patterns without such a set of at most
    /// [`GATE_WORDS`] words: a search for more words costs about what the regex does.
    pub fn may_match<'t>(&self, haystack: impl Into<Haystack<'t>>) -> bool {
        let Some(lower) = haystack.into().lower() else {
            return true;
        };
        let gate = self.gate.get_or_init(|| {
            // Only ASCII documents are searched lower-cased: forms with other characters (the
            // Kelvin sign a case-insensitive `k` also matches) cannot occur in them.
            let set: Vec<Vec<u8>> = self
                .required_word_sets()
                .into_iter()
                .map(|set| set.into_iter().filter(|w| w.is_ascii()).collect::<Vec<_>>())
                .find(|set| set.len() <= GATE_WORDS)?;
            Some(
                set.iter()
                    .map(|w| memchr::memmem::Finder::new(w).into_owned())
                    .collect(),
            )
        });
        gate.as_ref()
            .is_none_or(|words| words.iter().any(|w| w.find(lower.as_bytes()).is_some()))
    }

    fn compiled(&self) -> &meta::Regex {
        self.regex.get_or_init(|| {
            parse(&self.source)
                .ok()
                .and_then(|hir| compile_hir(&hir, FEW_DOCUMENTS.load(Ordering::Relaxed)).ok())
                // The syntax was checked on load; what is left is a pattern too large to
                // compile, which then matches nothing rather than stopping the run.
                .unwrap_or_else(|| meta::Regex::new(r"\b\B").expect("a constant pattern compiles"))
        })
    }

    pub fn is_match<'t>(&self, haystack: impl Into<Haystack<'t>>) -> bool {
        let haystack = haystack.into();
        let (regex, text) = self.engine(&haystack);
        regex.is_match(text)
    }

    pub fn find<'t>(&self, haystack: impl Into<Haystack<'t>>) -> Option<Found<'t>> {
        self.find_at(haystack, 0)
    }

    /// The first match starting at or after `start`; the text before it still counts for `\b` and `^`.
    pub fn find_at<'t>(
        &self,
        haystack: impl Into<Haystack<'t>>,
        start: usize,
    ) -> Option<Found<'t>> {
        let haystack = haystack.into();
        let (regex, searched) = self.engine(&haystack);
        let input = Input::new(searched).span(start..searched.len());
        regex.find(input).map(|m| Found {
            text: haystack.text,
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
    /// part (or the pattern has no such group). Matches are found by the fast engines; groups are
    /// resolved only within each match.
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
        let mut caps = regex.create_captures();
        regex.find_iter(text).map(move |m| {
            let span = index
                .and_then(|i| {
                    // The same match, anchored where it starts and ended where it ends, with the
                    // text around it still seen by `^`, `\b` and the like.
                    let input = Input::new(text)
                        .span(m.range())
                        .anchored(regex_automata::Anchored::Yes);
                    regex.search_captures(&input, &mut caps);
                    caps.get_group(i)
                })
                .unwrap_or(m.span());
            Found {
                text,
                start: span.start,
                end: span.end,
            }
        })
    }

    pub fn find_iter<'r, 't>(
        &'r self,
        haystack: impl Into<Haystack<'t>>,
    ) -> impl Iterator<Item = Found<'t>> + 'r
    where
        't: 'r,
    {
        let haystack = haystack.into();
        let (regex, searched) = self.engine(&haystack);
        let text = haystack.text;
        regex.find_iter(searched).map(move |m| Found {
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
        let pattern = Pattern::new(&source).map_err(|err| {
            let detail = err.to_string();
            let last = detail.lines().last().unwrap_or(&detail).trim();
            let last = last.strip_prefix("error: ").unwrap_or(last);
            serde::de::Error::custom(format!("invalid regular expression `{source}`: {last}"))
        })?;
        if let Some(why) = pattern.too_large() {
            return Err(serde::de::Error::custom(format!(
                "regular expression `{source}` is too large to compile ({why}); a rule with it would never match"
            )));
        }
        Ok(pattern)
    }
}

/// One pattern or several; any of them matching counts.
#[derive(Debug, Clone, Default)]
pub struct Patterns(pub Vec<Pattern>);

impl Patterns {
    pub fn iter(&self) -> std::slice::Iter<'_, Pattern> {
        self.0.iter()
    }

    pub fn is_match<'t>(&self, haystack: impl Into<Haystack<'t>>) -> bool {
        let haystack = haystack.into();
        self.0.iter().any(|p| p.is_match(haystack))
    }

    /// The first pattern matching `text`, with where it matched.
    pub fn find<'t>(&self, haystack: impl Into<Haystack<'t>>) -> Option<Found<'t>> {
        let haystack = haystack.into();
        self.0
            .iter()
            .filter_map(|p| p.find(haystack))
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
        let syntax = || {
            syntax::Config::new()
                .case_insensitive(true)
                .multi_line(true)
        };
        let ranges =
            |regex: meta::Regex| -> Vec<_> { regex.find_iter(text).map(|m| m.range()).collect() };
        let full = ranges(build_for(source, syntax(), false).unwrap());
        let lean = ranges(build_for(source, syntax(), true).unwrap());
        assert_eq!(full, lean);
        assert_eq!(full.len(), 3);
    }

    #[test]
    fn a_document_without_the_words_every_match_needs_is_ruled_out() {
        let response =
            Pattern::new(r"\b(?:[0-9]+|an?|one|two)\s+(?:business\s+)?(?:hours?|days?|weeks?)\b")
                .unwrap();
        let quiet = crate::doc::Document::parse(
            "SECURITY.md",
            "# Security\n\nReport a vulnerability by e-mail to the maintainers of the project.\n"
                .to_string(),
        );
        let timed = crate::doc::Document::parse(
            "SECURITY.md",
            "# Security\n\nReport a vulnerability by e-mail; we answer within two Business DAYS.\n"
                .to_string(),
        );
        assert!(!response.may_match(quiet.haystack(quiet.full())));
        assert!(response.may_match(timed.haystack(timed.full())));
        assert!(response.find(timed.haystack(timed.full())).is_some());
        // A text that is not a document piece has no lower-cased copy: always searched.
        assert!(response.may_match("no words of the set here"));
        // A pattern without a small set of required words is never ruled out.
        let any = Pattern::new(r"[a-z]+@[a-z]+").unwrap();
        assert!(any.may_match(quiet.haystack(quiet.full())));
    }

    #[test]
    fn a_set_finds_the_patterns_each_would_match_alone() {
        let sources = [
            r"\bstrateg",
            r"^\W*(agenda|minutes)\W*$",
            r"work ?shop|course",
            r"code of conduct|\bcoc\b",
            r"(?-i)README",
        ];
        let patterns: Vec<Pattern> = sources.iter().map(|s| Pattern::new(s).unwrap()).collect();
        let set = PatternSet::new(patterns.clone());
        for text in [
            "Open Source Strategy",
            "Agenda",
            "strategy workshop agenda",
            "Code of Conduct",
            "readme",
            "README and COC",
            "",
            "Émeritus",
        ] {
            let alone: Vec<usize> = (0..patterns.len())
                .filter(|&i| patterns[i].is_match(text))
                .collect();
            assert_eq!(set.matching(text), alone, "{text}");
        }
    }

    #[test]
    fn lower_cased_documents_give_the_same_matches() {
        let text = "# Governance\n\nThe Steering Committee (TSC) decides by Lazy Consensus. \
                    Contact the OWNERS: ospo@example.org. Roles and Responsibilities follow.\n";
        let doc = crate::doc::Document::parse("GOVERNANCE.md", text.to_string());
        for source in [
            r"\b(steering|technical) committee\b|lazy consensus",
            r"roles? (and|&) responsibilit",
            r"[a-z0-9_.+-]+@[a-z0-9_-]+\.[a-z]+",
            r"^#+\s*governance$",
            r"\bowners?\b:",
        ] {
            let pattern = Pattern::new(source).unwrap();
            let lower = text.to_ascii_lowercase();
            let by_fold: Vec<_> = fold(source)
                .expect("folds")
                .find_iter(lower.as_str())
                .map(|m| m.range())
                .collect();
            let plain: Vec<_> = pattern.find_iter(text).map(|m| m.range()).collect();
            let folded: Vec<_> = pattern
                .find_iter(doc.haystack(doc.full()))
                .map(|m| (m.range(), m.as_str()))
                .collect();
            assert!(!plain.is_empty(), "{source} matches");
            assert_eq!(plain, by_fold, "{source}");
            assert_eq!(
                plain,
                folded.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>()
            );
            // Matches read from the document as written, not from its lower-cased copy.
            assert!(folded.iter().all(|(r, s)| *s == &text[r.clone()]));
        }
    }

    #[test]
    fn patterns_with_case_sensitive_letters_do_not_fold() {
        assert!(fold(r"(?-i)\bTODO\b").is_none());
        assert!(fold(r"(?-i:[A-Z]{2,})|owner").is_none());
        assert!(
            fold(r"(?-i)[0-9]+ days|\]\(").is_none(),
            "a case-sensitive lower-case letter"
        );
        assert!(fold(r"owner|[0-9]+ days").is_some());
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
