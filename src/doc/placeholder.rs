//! Unfilled template text: `TODO`, `[INSERT EMAIL ADDRESS]`, `<LEGAL_CONTACT>`, `{{ project_name }}`…
//!
//! The shapes are data (`rules/placeholders.toml`); this module knows where each shape must stand to
//! be a placeholder. Never in code. A word marker such as `TODO` only where it stands for missing
//! text — the whole of a table cell, a list item, a field's value or a parenthesis; before `:`, `-`
//! or `(`; ending a clause — and never as part of a name ("TODO Group"), as the text of a link to
//! another site or inside non-Latin prose. An angle-bracket token only when it is no HTML element.
//! A phrase such as "coming soon" only when it fills its line or cell. A `TODO` section only outside
//! a README, where such a section is the project's roadmap.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use serde::Deserialize;

use super::{DocKind, Document, Hidden, LinkKind};
use crate::pattern::{Found, Pattern};

#[derive(Debug, Clone)]
pub struct PlaceholderPattern {
    pub name: String,
    pub regex: Pattern,
    /// A cheaper regex that matches wherever `regex` does, tried first: the pattern without its
    /// line-start anchor, which stops the regex engine from skipping ahead to a literal.
    pub quick: Option<Pattern>,
    /// Where in the document the shape must stand to be a placeholder.
    pub position: Position,
    /// Template syntax (`{{ … }}`) is a placeholder even inside a link target.
    pub in_urls: bool,
    /// … or inside an HTML comment (`<!-- TODO: … -->`).
    pub in_comments: bool,
    /// Folders whose documents use the phrase for something else ("coming soon" in news).
    pub not_in_folders: Vec<String>,
    /// What a finding says: `{text}` is the placeholder, `{where}` why its position makes it one.
    pub message: String,
}

/// Where a shape must stand to be a placeholder (see `rules/placeholders.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// Wherever visible prose is.
    #[default]
    Anywhere,
    /// A word marker (`TODO`, `TBD`): only where it stands for missing text.
    Marker,
    /// A template token: not an HTML element; also as the whole of an inline code span.
    Token,
    /// A `{{ … }}` variable: not part of another syntax (`${{ … }}`), not in a document written in
    /// a template language.
    Variable,
    /// A phrase that fills (nearly) the whole of its line, list item or table cell.
    Unit,
    /// A link in a table row or list item: a roster of people.
    Roster,
    /// A heading naming open work: outside a README.
    WorkSection,
}

#[derive(Debug, Clone)]
pub struct PlaceholderMatch {
    pub pattern: usize,
    pub range: Range<usize>,
    pub text: String,
    /// Why the match's position makes it a placeholder.
    pub why: Why,
}

/// Why a match is a placeholder where it stands, for the finding's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The shape says it all (`[INSERT EMAIL ADDRESS]`).
    Shape,
    WholeCell,
    WholeItem,
    WholeLine,
    WholeHeading,
    /// The only content of the section with this heading.
    WholeSection(String),
    /// The value after a label (`Venue: TBD`) or between commas.
    FieldValue,
    /// The whole content of parentheses, brackets or quotes.
    Enclosed,
    /// Before `:`, `-`, `(` or a note (`TODO: write the FAQ`).
    Leading,
    /// Ending a clause where a value belongs (`Review is TBD.`).
    Trailing,
    /// A section of this many list items of open work.
    OpenWork(usize),
}

impl Why {
    pub fn describe(&self) -> String {
        match self {
            Why::Shape => String::new(),
            Why::WholeCell => "left as the whole table cell".into(),
            Why::WholeItem => "left as a whole list item".into(),
            Why::WholeLine => "left as a whole line".into(),
            Why::WholeHeading => "left as a whole heading".into(),
            Why::WholeSection(heading) => {
                format!("left as the only content of section \"{heading}\"")
            }
            Why::FieldValue => "left as the value of a field".into(),
            Why::Enclosed => "left in place of a value".into(),
            Why::Leading => "marks text still to be written".into(),
            Why::Trailing => "stands where a value belongs".into(),
            Why::OpenWork(1) => " (1 item)".into(),
            Why::OpenWork(n) => format!(" ({n} items)"),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PlaceholderMatcher {
    pub patterns: Vec<PlaceholderPattern>,
    /// Text that looks like a placeholder but is not (an organization called "TODO Group").
    pub exceptions: Vec<Pattern>,
    /// Names that contain a marker word: in a document that uses the name, the bare word is the
    /// name ("the TODO Community", "TODO PM"), and only `WORD:` stays a marker.
    pub names: Vec<PlaceholderName>,
    /// What makes a repository a template (read by the rules, which see the repository).
    pub template: TemplateEvidence,
    /// Built on first use from the patterns.
    pub gate: OnceLock<Gate>,
}

/// What makes a repository, or a folder of it, a template whose placeholders are on purpose.
#[derive(Debug, Clone, Default)]
pub struct TemplateEvidence {
    /// Sentences of a root README that say the repository is a template or list tokens to replace.
    pub readme: Vec<Pattern>,
    /// Files a template generator reads (`cookiecutter.json`): the folder holding one is a template.
    pub generator_files: Vec<String>,
    /// Files that declare the repository a template, and the pattern that says so in them.
    pub declarations: Vec<(String, Pattern)>,
    /// Words the README patterns cannot match without; found on first use.
    pub readme_words: OnceLock<RequiredWords>,
}

/// Per pattern, a word it cannot match without (see [`Pattern::required_word`]), each word
/// searched for once however many patterns need it.
#[derive(Debug, Clone, Default)]
pub struct RequiredWords {
    words: Vec<memchr::memmem::Finder<'static>>,
    /// Per pattern, its word's index in `words`; `None`: the pattern is always tried.
    needs: Vec<Option<usize>>,
}

impl RequiredWords {
    fn new(patterns: &[Pattern]) -> RequiredWords {
        let mut found: Vec<Vec<u8>> = Vec::new();
        let needs = patterns
            .iter()
            .map(|p| {
                let word = p.required_word()?;
                Some(found.iter().position(|w| *w == word).unwrap_or_else(|| {
                    found.push(word);
                    found.len() - 1
                }))
            })
            .collect();
        RequiredWords {
            words: found
                .iter()
                .map(|w| memchr::memmem::Finder::new(w).into_owned())
                .collect(),
            needs,
        }
    }
}

impl TemplateEvidence {
    /// The README patterns that can match a text whose ASCII letters are `lower`-cased: a
    /// substring search per word rules out nearly every README, where running the patterns
    /// read every byte of it six times over (their first words, "this", "is a", "use", are in
    /// most READMEs, so the regex engine cannot skip ahead).
    pub fn readme_candidates<'a>(&'a self, lower: &'a str) -> impl Iterator<Item = &'a Pattern> {
        let required = self
            .readme_words
            .get_or_init(|| RequiredWords::new(&self.readme));
        let present: Vec<OnceCell<bool>> = required.words.iter().map(|_| OnceCell::new()).collect();
        self.readme
            .iter()
            .zip(&required.needs)
            .filter_map(move |(pattern, need)| {
                need.is_none_or(|w| {
                    *present[w].get_or_init(|| required.words[w].find(lower.as_bytes()).is_some())
                })
                .then_some(pattern)
            })
    }
}

/// A document with no content: empty, or nothing but its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stub {
    pub range: Range<usize>,
    pub message: String,
}

/// A search for the words the patterns cannot match without (`[todo`, `cookiecutter.`, …), which
/// rules out most patterns for most documents before any of them runs.
#[derive(Debug, Clone)]
pub struct Gate {
    /// The words (ASCII letters lower-cased), searched for in lower-cased text: a case-sensitive
    /// search can skip ahead to the words' first bytes, one ignoring case cannot. The ASCII
    /// words only, for ASCII text (`[inſert` cannot be there), and all of them. Each is one
    /// search for the words of [`SHORT_WORD`] bytes or more and one for the shorter.
    ascii: Vec<AhoCorasick>,
    all: Vec<AhoCorasick>,
    words: Vec<Vec<u8>>,
    /// Per first byte, the words that start with it: the words to compare where a search stops.
    by_first: Vec<Vec<usize>>,
    /// Per pattern: sets of word indices, one word of each of which must be in the text. No sets:
    /// the pattern is always tried.
    needs: Vec<Vec<Vec<usize>>>,
}

/// Words shorter than this are searched for apart. The search (Teddy) stops wherever a text's
/// first bytes could start a word, comparing as many bytes as the shortest word has, up to four:
/// with three-byte words (`tbd`) among thirty long ones, every word's search compared three
/// bytes and stopped in most lines of prose (42 M instructions over 7.5 MB of Markdown, against
/// 19 M for the long words and 6.5 M for the short ones searched apart).
const SHORT_WORD: usize = 4;

impl Gate {
    fn new(patterns: &[PlaceholderPattern]) -> Gate {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let needs = patterns
            .iter()
            .map(|p| {
                // One set per pattern is enough to rule it out, and the fewer and longer the
                // words searched for, the fewer places the search stops at: the set whose
                // shortest word is longest (`[todo` rather than `<!--`, `working` rather than
                // `page`).
                p.regex
                    .required_word_sets()
                    .into_iter()
                    .max_by_key(|set| {
                        let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
                        (shortest, std::cmp::Reverse(set.len()))
                    })
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
        let build = |ascii_only: bool| -> Result<Vec<AhoCorasick>, aho_corasick::BuildError> {
            [true, false]
                .into_iter()
                .filter_map(|short| {
                    let chosen: Vec<&Vec<u8>> = words
                        .iter()
                        .filter(|w| (w.len() < SHORT_WORD) == short)
                        .filter(|w| !ascii_only || w.is_ascii())
                        .collect();
                    (!chosen.is_empty()).then(|| {
                        AhoCorasick::builder()
                            .match_kind(MatchKind::LeftmostFirst)
                            .build(chosen)
                    })
                })
                .collect()
        };
        let mut by_first = vec![Vec::new(); 256];
        for (i, word) in words.iter().enumerate() {
            if let Some(&first) = word.first() {
                by_first[usize::from(first)].push(i);
            }
        }
        match (build(true), build(false)) {
            (Ok(ascii), Ok(all)) => Gate {
                ascii,
                all,
                words,
                by_first,
                needs,
            },
            // A few dozen short words cannot outgrow the automaton's limits; if they did, every
            // pattern would simply be tried.
            _ => Gate {
                ascii: Vec::new(),
                all: Vec::new(),
                words: Vec::new(),
                by_first: vec![Vec::new(); 256],
                needs: vec![Vec::new(); patterns.len()],
            },
        }
    }

    /// For each pattern, whether `lower` (a text with its ASCII letters lower-cased; `ascii`
    /// when all of it is ASCII) holds the words the pattern needs.
    fn possible(&self, lower: &str, ascii: bool) -> Vec<bool> {
        let searches = if ascii { &self.ascii } else { &self.all };
        let mut present = vec![false; self.words.len()];
        let bytes = lower.as_bytes();
        for automaton in searches {
            // A search reports one word per position: each position where a word starts is
            // searched from, and the words starting with that byte are compared there.
            let mut at = 0;
            while let Some(m) = automaton.find(Input::new(lower).span(at..lower.len())) {
                let rest = &bytes[m.start()..];
                for &word in &self.by_first[usize::from(rest[0])] {
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
        let (lower, ascii) = match doc.haystack(range.clone()).lower() {
            // Only an ASCII document has a shared lower-cased copy.
            Some(lower) => (std::borrow::Cow::Borrowed(lower), true),
            None => (
                std::borrow::Cow::Owned(text.to_ascii_lowercase()),
                text.is_ascii(),
            ),
        };
        let possible = self
            .gate
            .get_or_init(|| Gate::new(&self.patterns))
            .possible(&lower, ascii);
        let candidates: Vec<bool> = self
            .patterns
            .iter()
            .zip(possible)
            .map(|(p, possible)| {
                possible
                    && !in_folders(&doc.path, &p.not_in_folders)
                    && p.quick
                        .as_ref()
                        .unwrap_or(&p.regex)
                        .is_match(doc.haystack(range.clone()))
            })
            .collect();
        if !candidates.contains(&true) {
            return out;
        }
        // Link targets and exceptions are looked for once a pattern matches: most documents'
        // candidates match nothing.
        let urls = OnceCell::new();
        let urls = || urls.get_or_init(|| url_ranges(text, range.start));
        let exceptions = OnceCell::new();
        let exceptions = || {
            exceptions.get_or_init(|| {
                self.exceptions
                    .iter()
                    .flat_map(|e| {
                        e.find_iter(doc.haystack(range.clone()))
                            .map(|m| m.start() + range.start..m.end() + range.start)
                    })
                    .collect::<Vec<Range<usize>>>()
            })
        };
        let names_used: Vec<OnceCell<bool>> = self.names.iter().map(|_| OnceCell::new()).collect();
        let template_language = OnceCell::new();
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
                let hidden = doc.hidden_at(abs.start);
                let allowed = match hidden {
                    Some(h) if h.kind == Hidden::InlineCode => {
                        pattern.position == Position::Token
                            && is_whole_code_span(&doc.text[h.range.clone()], m.as_str())
                            && is_fill_in(m.as_str())
                    }
                    Some(h) if h.kind == Hidden::HtmlComment => pattern.in_comments,
                    Some(_) => false,
                    None => {
                        pattern.in_urls
                            || !urls()
                                .iter()
                                .any(|u| u.start <= abs.start && abs.start < u.end)
                    }
                };
                if !allowed {
                    continue;
                }
                // An exception overlapping the match covers it: `[TODO Group Templates]` is a name
                // in brackets, not a bracketed TODO.
                let excepted = exceptions()
                    .iter()
                    .any(|e| e.start < abs.end && abs.start < e.end)
                    || self.is_name(doc, &names_used, m.as_str(), &doc.text[abs.end..]);
                if excepted {
                    continue;
                }
                let why = match pattern.position {
                    Position::Anywhere => (pattern.in_urls
                        || !(in_link_to_other_site(doc, abs.start) || in_quotation(doc, &abs)))
                    .then_some(Why::Shape),
                    Position::Marker => {
                        if in_link_to_other_site(doc, abs.start) {
                            None
                        } else {
                            marker_position(doc, &abs, m.as_str())
                        }
                    }
                    Position::Token => {
                        let code = hidden.is_some();
                        let in_url = || {
                            urls()
                                .iter()
                                .any(|u| u.start <= abs.start && abs.start < u.end)
                        };
                        (!is_html_element(doc, m.as_str())
                            && (code || token_stands_alone(doc, &abs, in_url()))
                            && !in_quotation(doc, &abs))
                        .then_some(Why::Shape)
                    }
                    // `{{{ raw }}}`, `${{ expression }}` and an escaped `\{{` are other syntaxes.
                    Position::Variable => (!doc.text[..abs.start].ends_with(['{', '$', '\\'])
                        && !*template_language.get_or_init(|| uses_template_language(&doc.text)))
                    .then_some(Why::Shape),
                    Position::Unit => fills_unit(doc, &abs).then_some(Why::Shape),
                    Position::Roster => is_roster_entry(doc, &abs).then_some(Why::Shape),
                    Position::WorkSection => open_work(doc, abs.start).map(Why::OpenWork),
                };
                if let Some(why) = why {
                    out.push(PlaceholderMatch {
                        pattern: i,
                        range: abs,
                        text: m.as_str().to_string(),
                        why,
                    });
                }
            }
        }
        out.sort_by_key(|m| (m.range.start, m.pattern));
        out.dedup_by(|b, a| b.range.start < a.range.end);
        out
    }

    /// What a finding about `m` says: the pattern's message with the placeholder and its position.
    pub fn message(&self, m: &PlaceholderMatch) -> String {
        let shown: String = m.text.chars().take(60).collect();
        let Some(pattern) = self.patterns.get(m.pattern) else {
            return format!("placeholder `{}` left in the document", shown.trim());
        };
        pattern
            .message
            .replace("{text}", shown.trim())
            .replace("{where}", &m.why.describe())
    }

    /// A document with no content at all: empty, or (a page that is not a folder's index) nothing
    /// but its title. Front matter makes a page a site generator's, whose layout fills it.
    pub fn stub(&self, doc: &Document) -> Option<Stub> {
        if doc.kind == DocKind::Text {
            return None;
        }
        let stem = file_stem(&doc.path);
        if doc.text.trim().is_empty() {
            // An empty file named to keep its folder in version control holds nothing on purpose.
            if KEEP_FILES.iter().any(|k| stem.eq_ignore_ascii_case(k)) {
                return None;
            }
            return Some(Stub {
                range: 0..0,
                message: "the document is empty".into(),
            });
        }
        let [title] = doc.headings.as_slice() else {
            return None;
        };
        if doc.front_matter.is_some()
            || ["readme", "index", "_index"]
                .iter()
                .any(|s| stem.eq_ignore_ascii_case(s))
        {
            return None;
        }
        let outside = |s: &str| !s.chars().any(char::is_alphanumeric);
        (outside(&doc.text[..title.span.start]) && outside(&doc.text[title.span.end..])).then(
            || Stub {
                range: title.span.clone(),
                message: format!("the page has nothing but its title \"{}\"", title.text),
            },
        )
    }

    /// Whether a bare marker word is a name in this document (it uses the name and the word is not
    /// followed by a colon).
    /// `used` caches, per name, whether the document uses it.
    fn is_name(&self, doc: &Document, used: &[OnceCell<bool>], matched: &str, after: &str) -> bool {
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

/// Names of empty files that only keep a folder in version control.
const KEEP_FILES: &[&str] = &["", "placeholder", "keep", "gitkeep", "empty"];

fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next().unwrap_or(name)
}

/// Whether `path` lies in a folder named one of `folders` (ASCII case ignored).
fn in_folders(path: &str, folders: &[String]) -> bool {
    !folders.is_empty()
        && path
            .rsplit('/')
            .skip(1)
            .any(|dir| folders.iter().any(|f| f.eq_ignore_ascii_case(dir)))
}

/// Whether `at` lies inside a quotation on its line (`commit "Add [Your Name]"`): an example of
/// what to write, quoted for the reader, not a field left unfilled.
fn in_quotation(doc: &Document, at: &Range<usize>) -> bool {
    let line = doc.line_range(doc.line_of(at.start));
    let quotes = |s: &str| s.chars().filter(|c| matches!(c, '"' | '“' | '”')).count();
    let (before, after) = (
        &doc.text[line.start..at.start],
        &doc.text[at.end.min(line.end)..line.end],
    );
    quotes(before) % 2 == 1 && quotes(after) > 0
}

/// Whether `at` lies in the text of a link to another site: `[TODO Group](https://…)` names what it
/// links to.
fn in_link_to_other_site(doc: &Document, at: usize) -> bool {
    let before = doc.links.partition_point(|l| l.span.start <= at);
    // Links nest at most an image deep: the last few that start before `at` are the candidates.
    doc.links[..before].iter().rev().take(3).any(|l| {
        l.kind == LinkKind::Link && at < l.span.end && l.is_external() && !l.target.is_empty()
    })
}

/// What a line is, for the unit a placeholder in it fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Line,
    Item,
    Heading,
    Cell,
}

/// The unit of `line` that holds byte `at`, and where the unit's content starts (after a list
/// marker, a quote, a heading's `#`, or the cell's `|`).
fn unit_of(line: &str, at: usize) -> (Unit, usize) {
    let before = &line[..at.min(line.len())];
    let bars = line.bytes().filter(|&b| b == b'|').count();
    if line.trim_start().starts_with('|') || bars >= 2 {
        if let Some(bar) = before.rfind('|') {
            return (Unit::Cell, bar + 1);
        }
    }
    let bytes = line.as_bytes();
    let mut i = 0;
    let skip_spaces = |i: &mut usize| {
        while *i < bytes.len() && matches!(bytes[*i], b' ' | b'\t') {
            *i += 1;
        }
    };
    skip_spaces(&mut i);
    while i < bytes.len() && bytes[i] == b'>' {
        i += 1;
        skip_spaces(&mut i);
    }
    let mut unit = Unit::Line;
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let spaced = |j: usize| j >= bytes.len() || matches!(bytes[j], b' ' | b'\t');
    if (1..=6).contains(&hashes) && spaced(i + hashes) {
        unit = Unit::Heading;
        i += hashes;
    } else if i < bytes.len() && matches!(bytes[i], b'-' | b'*' | b'+') && spaced(i + 1) {
        unit = Unit::Item;
        i += 1;
    } else if (1..=9).contains(&digits)
        && matches!(bytes.get(i + digits), Some(b'.' | b')'))
        && spaced(i + digits + 1)
    {
        unit = Unit::Item;
        i += digits + 1;
    }
    skip_spaces(&mut i);
    if unit == Unit::Item
        && bytes.len() >= i + 3
        && bytes[i] == b'['
        && matches!(bytes[i + 1], b' ' | b'x' | b'X')
        && bytes[i + 2] == b']'
    {
        i += 3;
    }
    (unit, i.min(at))
}

/// Whether a link target at `at` is part of a roster entry: a table row or list item that names
/// a person — its link text a handle (`@jane`) or a name of capitalised words (`Jane Roe`), or such
/// a name elsewhere in the row.
fn is_roster_entry(doc: &Document, at: &Range<usize>) -> bool {
    let line = doc.line_range(doc.line_of(at.start));
    let text = &doc.text[line.clone()];
    let (unit, _) = unit_of(text, at.start - line.start);
    if !matches!(unit, Unit::Cell | Unit::Item) {
        return false;
    }
    let before = &text[..at.start - line.start];
    let link_text = before
        .rfind("](")
        .and_then(|end| {
            before[..end]
                .rfind('[')
                .map(|start| &before[start + 1..end])
        })
        .unwrap_or("");
    link_text.starts_with('@')
        || text
            .split(['|', ',', '[', ']', '(', ')'])
            .any(|piece| is_personal_name(piece.trim()))
}

/// Two to four capitalised words, as a person's name is written (`Ada Example`, `Jane van Roe`).
fn is_personal_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.first().is_some_and(|w| starts_capitalised(w))
        && words.last().is_some_and(|w| starts_capitalised(w))
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.'))
        })
}

/// Emphasis and quotes around a marker do not change where it stands.
fn is_wrapper(c: char) -> bool {
    c.is_whitespace() || matches!(c, '*' | '_' | '"' | '\'' | '“' | '”' | '‘' | '’' | '~')
}

/// Where a word marker stands for missing text: the whole of its unit (`| TBD |`, `- TBD`,
/// `Venue: TBD`, `(TBD)`), before a colon, dash or parenthesis (`TODO: …`), before a note at the
/// start of a line (`- TODO write the FAQ`), or ending a clause (`Review is TBD.`). Not followed by
/// a capitalised word (a name: "TODO Group"), not as a whole heading `TODO` (a section, judged as
/// one), not in prose of a non-Latin script.
fn marker_position(doc: &Document, at: &Range<usize>, word: &str) -> Option<Why> {
    let line = around(&doc.text, doc.line_range(doc.line_of(at.start)), at);
    if at.end > line.end {
        return None;
    }
    let text = &doc.text[line.clone()];
    let (start, end) = (at.start - line.start, at.end - line.start);
    let after = &text[end..];
    let next = after.trim_start_matches([' ', '\t']);
    let colon = next.starts_with([':', '：']);
    if !colon && non_latin_prose(&text[..start], after) {
        return None;
    }
    if next.len() < after.len() && starts_capitalised(next) {
        return None;
    }
    let (unit, content) = unit_of(text, start);
    let lead = text[content..start].trim_end_matches(is_wrapper);
    let at_start = match lead.chars().next_back() {
        None => Some(match unit {
            Unit::Cell => Why::WholeCell,
            Unit::Item => Why::WholeItem,
            Unit::Heading => Why::WholeHeading,
            Unit::Line => Why::WholeLine,
        }),
        Some('(' | '[') => Some(Why::Enclosed),
        Some(':' | '=' | ',' | ';' | '–' | '—') => Some(Why::FieldValue),
        Some('-') if lead.ends_with(" -") => Some(Why::FieldValue),
        Some('.' | '…') => Some(match unit {
            Unit::Item => Why::WholeItem,
            _ => Why::WholeLine,
        }),
        // "The date is TBD": stated as the value.
        Some(_) if COPULAS.iter().any(|w| ends_with_word(lead, w)) => Some(Why::Trailing),
        Some(_) => None,
    };
    // A hard line break (`\`) or a space entity ends the line as much as its end does.
    let rest = after.trim_start_matches(is_wrapper);
    let rest = match rest
        .strip_prefix('\\')
        .or_else(|| rest.strip_prefix("&#x20;"))
    {
        Some(tail) if tail.trim().is_empty() => "",
        _ => rest,
    };
    let mut chars = rest.chars();
    let first = chars.next();
    let second = chars.next();
    let spaced_before = rest.len() < after.len();
    let right = match first {
        None | Some('|' | ')' | ']') => Right::End,
        Some('.' | '!' | '?' | '…') if second.is_none_or(char::is_whitespace) => Right::End,
        Some(',' | ';') => Right::Soft,
        Some(':' | '：' | '(') => Right::Lead,
        Some('-' | '–' | '—') if spaced_before || second.is_none_or(|c| !c.is_alphanumeric()) => {
            Right::Lead
        }
        Some(c) if c.is_lowercase() && spaced_before => Right::Word,
        Some(_) => Right::Other,
    };
    match (at_start, right) {
        // `## TODO`: a section named for open work, which the `work-section` shape judges.
        (Some(Why::WholeHeading), Right::End) if word == "TODO" => None,
        (_, Right::Lead) => Some(Why::Leading),
        (Some(Why::WholeLine), Right::End | Right::Soft) => {
            Some(only_content_of_section(doc, &line).unwrap_or(Why::WholeLine))
        }
        (Some(why), Right::End | Right::Soft) => Some(why),
        (Some(Why::WholeLine | Why::WholeItem), Right::Word) => Some(Why::Leading),
        (Some(Why::Trailing), _) => Some(Why::Trailing),
        (None, Right::End) => Some(Why::Trailing),
        _ => None,
    }
}

/// Verbs after which a marker is the value stated ("the venue is TBD").
const COPULAS: &[&str] = &["is", "are", "was", "remains", "remain", "still"];

fn ends_with_word(text: &str, word: &str) -> bool {
    text.len() >= word.len()
        && text.is_char_boundary(text.len() - word.len())
        && text[text.len() - word.len()..].eq_ignore_ascii_case(word)
        && text[..text.len() - word.len()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// What follows a marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Right {
    /// The end of its unit: line end, `|`, `)`, `]`, a sentence's end.
    End,
    /// A comma or semicolon: the end of a field.
    Soft,
    /// `:`, `-`, `(`: the marker introduces a note.
    Lead,
    /// A lower-case word: the marker qualifies it ("a TODO comment"), unless it starts the line.
    Word,
    Other,
}

/// `WholeSection` when `line` is all there is under its heading.
fn only_content_of_section(doc: &Document, line: &Range<usize>) -> Option<Why> {
    let heading = doc
        .headings
        .iter()
        .rev()
        .find(|h| h.own_body.start <= line.start && line.end <= h.own_body.end)?;
    (doc.text[heading.own_body.clone()].trim() == doc.text[line.clone()].trim())
        .then(|| Why::WholeSection(heading.text.clone()))
}

fn starts_capitalised(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next().is_some_and(char::is_lowercase)
}

/// Bytes of its line on each side of a marker that decide how it stands: more than any line of
/// prose has, so that a line a megabyte long of markers costs each of them this much, not the line.
const MARKER_CONTEXT: usize = 256;

/// The part of `line` (a byte range of `text`) within [`MARKER_CONTEXT`] of `at`, cut on
/// character boundaries.
fn around(text: &str, line: Range<usize>, at: &Range<usize>) -> Range<usize> {
    let mut start = line.start.max(at.start.saturating_sub(MARKER_CONTEXT));
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = line.end.min(at.end.saturating_add(MARKER_CONTEXT));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    start.min(at.start)..end.max(at.end.min(line.end))
}

/// Whether the letters around a marker are mostly of a script other than Latin (CJK, Cyrillic…):
/// there a Latin word is a term quoted in the prose, not a marker left in it.
fn non_latin_prose(before: &str, after: &str) -> bool {
    if before.is_ascii() && after.is_ascii() {
        return false;
    }
    let (mut latin, mut other) = (0usize, 0usize);
    for c in before
        .chars()
        .chain(after.chars())
        .filter(|c| c.is_alphabetic())
    {
        // Latin letters end with Latin Extended-B (U+024F).
        if (c as u32) < 0x250 {
            latin += 1;
        } else {
            other += 1;
        }
    }
    other > latin
}

/// Whether an inline code span (with its backticks) holds exactly `token`.
fn is_whole_code_span(span: &str, token: &str) -> bool {
    span.trim_matches('`').trim() == token
}

/// Whether a token in code reads as a value to fill in rather than syntax being described:
/// `<LEGAL_CONTACT>`, `<YOUR-REPO-NAME>`, `<project name>`, `<your-fork>`, `<<NAME>>` — not
/// `<meta-project>` or `<image>`, which name a kind of thing in a description of a syntax.
fn is_fill_in(token: &str) -> bool {
    let inner = token.trim_start_matches('<').trim_end_matches('>');
    token.starts_with("<<")
        || inner.contains(' ')
        || inner
            .get(..4)
            .is_some_and(|s| s.eq_ignore_ascii_case("your"))
        || (inner.chars().any(|c| c.is_ascii_uppercase())
            && !inner.chars().any(|c| c.is_ascii_lowercase()))
}

/// Whether a token in prose stands on its own as a value left to fill in: after a space or an
/// opening bracket, quote or emphasis, before a space or the end of a clause, and of several words or
/// capitals (`<project name>`, `<your-project>`, `<LEGAL_CONTACT>`). Not part of a command, a path
/// or an option (`-D<name>=…`, `branch.<name>.remote`, `kind <command> --help`), not an RST target
/// (`` `text <Target>`_ ``), not a single lower-case word (`<type>`, `<none>`), which describes a
/// syntax or is an HTML element the page does not close. In a link target, a path segment
/// (`https://github.com/org/<your-project>/issues`) stands alone too.
fn token_stands_alone(doc: &Document, at: &Range<usize>, in_url: bool) -> bool {
    let token = &doc.text[at.clone()];
    let inner = token.trim_start_matches('<').trim_end_matches('>');
    let several = token.starts_with("<<")
        || inner.contains([' ', '-', '_'])
        || inner.chars().any(|c| c.is_ascii_uppercase());
    let before = doc.text[..at.start].chars().next_back();
    let opens = before.is_none_or(|c| {
        c.is_whitespace() || matches!(c, '(' | '[' | '"' | '\'' | '*' | '_' | '|' | '“')
    });
    let after = &doc.text[at.end..];
    let mut chars = after.chars();
    let closes = match chars.next() {
        None => true,
        Some(c) if c.is_whitespace() => {
            let next = after.trim_start_matches([' ', '\t']);
            !next.starts_with('-') && !next.starts_with('<')
        }
        Some('.' | ',' | ';' | ':' | '!' | '?') => chars.next().is_none_or(char::is_whitespace),
        Some(c) => matches!(c, ')' | ']' | '"' | '\'' | '*' | '_' | '|' | '”'),
    };
    several && (in_url || (opens && closes))
}

/// HTML elements a Markdown document may use; an angle-bracket token naming one is markup.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Whether an angle-bracket token is an HTML element: a known one, or one the document closes
/// (`<Tabs>…</Tabs>`, a component or custom element). A name with `_` or doubled brackets is none.
fn is_html_element(doc: &Document, token: &str) -> bool {
    if token.starts_with("<<") || token.contains('_') {
        return false;
    }
    let inner = token.trim_start_matches('<').trim_end_matches('>');
    let name = inner.split(' ').next().unwrap_or(inner);
    if HTML_ELEMENTS.iter().any(|e| e.eq_ignore_ascii_case(name)) {
        return true;
    }
    let bytes = doc.text.as_bytes();
    memchr::memmem::find_iter(bytes, b"</").any(|i| {
        bytes
            .get(i + 2..i + 2 + name.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(i + 2 + name.len())
                .is_none_or(|&b| b == b'>' || b.is_ascii_whitespace())
    })
}

/// Whether a document is written in a template language (Go templates, Liquid, Jinja, Handlebars):
/// its `{{ … }}` are code the generator runs, not variables left unfilled.
fn uses_template_language(text: &str) -> bool {
    ["{%", "{{-", "{{.", "{{ .", "{{end", "{{ end", "{{#", "{{ #"]
        .iter()
        .any(|marker| memchr::memmem::find(text.as_bytes(), marker.as_bytes()).is_some())
}

/// Whether a phrase fills (nearly) the whole of its unit: a line, list item, table cell or a field's
/// value, with at most a short lead-in ("More here coming soon") or a short tail ("…; please check
/// back later"), not both.
fn fills_unit(doc: &Document, at: &Range<usize>) -> bool {
    let line = doc.line_range(doc.line_of(at.start));
    if at.end > line.end {
        return false;
    }
    let text = &doc.text[line.clone()];
    let (start, end) = (at.start - line.start, at.end - line.start);
    let (unit, mut content) = unit_of(text, start);
    if let Some(colon) = text[content..start].rfind(':') {
        content += colon + 1;
    }
    let unit_end = match unit {
        Unit::Cell => text[end..].find('|').map_or(text.len(), |i| end + i),
        _ => text.len(),
    };
    let words = |s: &str| {
        s.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    };
    let (lead, tail) = (words(&text[content..start]), words(&text[end..unit_end]));
    lead.min(tail) == 0 && lead <= 3 && tail <= 6
}

/// The number of list items under the heading at `at`, when the document is not a README (whose
/// TODO section is the project's roadmap, not a gap in the document) and there are some.
fn open_work(doc: &Document, at: usize) -> Option<usize> {
    if file_stem(&doc.path)
        .to_ascii_lowercase()
        .starts_with("readme")
    {
        return None;
    }
    let heading = doc
        .headings
        .iter()
        .find(|h| h.span.start <= at && at < h.span.end)?;
    let items = doc.text[heading.own_body.clone()]
        .lines()
        .filter(|line| unit_of(line, line.len()).0 == Unit::Item)
        .count();
    (items > 0).then_some(items)
}

/// Link destinations and bare URLs in `text`, as absolute ranges.
fn url_ranges(text: &str, base: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for i in memchr::memmem::find_iter(bytes, b"](") {
        let start = i + 2;
        let end = memchr::memchr2(b')', b'\n', &bytes[start..]).map_or(text.len(), |j| start + j);
        out.push(base + start..base + end);
    }
    for scheme in ["http://", "https://", "mailto:"] {
        for i in memchr::memmem::find_iter(bytes, scheme.as_bytes()) {
            // The delimiters are ASCII: a byte search ends on a character boundary.
            let end = bytes[i..]
                .iter()
                .position(|&b| {
                    b.is_ascii_whitespace() || matches!(b, b')' | b'>' | b'"' | b'\'' | b']')
                })
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
            "| Host | TBD |",
            "<LEGAL_CONTACT>",
            "`<YOUR-REPO-NAME>`",
            "<<PROJECT NAME>>",
            "{{ project_name }}",
            "[ ]( )",
            "[form](add the form here)",
            "Coming Soon",
            "More here COMING SOON",
            "We're working on the content",
            "page is under construction",
            "Please add the results here",
            "_Insert review here_",
            "### [Programming Language One] Styleguide",
            "- [Jane](https://example.com/jane)",
            "### TODO\n\n- one",
            "### To-do list",
            "<!--TBD later -->",
            "Prochaine réunion : TBD",
            "Gruß, **{Name}**",
            "Ça vient — to-do",
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
            let possible = gate.possible(&text.to_ascii_lowercase(), text.is_ascii());
            for (pattern, possible) in matcher.patterns.iter().zip(possible) {
                assert!(
                    possible || !pattern.regex.is_match(text.as_str()),
                    "`{}` matches but was ruled out in:\n{text}",
                    pattern.name
                );
            }
        }
    }

    /// Each line alone as a document: what the built-in patterns find in it, as `pattern: why`.
    fn found(text: &str) -> Vec<String> {
        let matcher = crate::rule::pack::Catalog::builtin_checked()
            .expect("built-in catalog")
            .placeholders;
        let doc = Document::parse("docs/page.md", text.to_string());
        matcher
            .find(&doc, doc.full())
            .iter()
            .map(|m| format!("{}: {}", matcher.patterns[m.pattern].name, m.why.describe()))
            .collect()
    }

    #[test]
    fn markers_are_placeholders_only_where_they_stand_for_missing_text() {
        let marker = |why: &str| vec![format!("todo-marker: {why}")];
        let cases: &[(&str, Vec<String>)] = &[
            ("| Host | TBD |\n", marker("left as the whole table cell")),
            ("- TBD\n", marker("left as a whole list item")),
            ("3. TBA\n", marker("left as a whole list item")),
            ("Venue: TBD\n", marker("left as the value of a field")),
            (
                "**Bernard:** TBD\\\n",
                marker("left as the value of a field"),
            ),
            (
                "on a standard platform (TBD).\n",
                marker("left in place of a value"),
            ),
            (
                "- TODO: write the FAQ\n",
                marker("marks text still to be written"),
            ),
            (
                "Full diligence is TODO.\n",
                marker("stands where a value belongs"),
            ),
            (
                "The version is TBD based on the timeline.\n",
                marker("stands where a value belongs"),
            ),
            (
                "## Milestones\n\nTBD\n",
                marker("left as the only content of section \"Milestones\""),
            ),
            (
                "- ... TBD, more will be added here ...\n",
                marker("left as a whole list item"),
            ),
            ("We are members of the TODO Group.\n", vec![]),
            ("* TODO Group (EN):\n", vec![]),
            ("A TODO comment or a FIXME marker in code.\n", vec![]),
            ("Use TODO, FIXME and XXX in code.\n", vec![]),
            ("See [TODO](https://todo.example.org) for more.\n", vec![]),
            ("このプロジェクトは TODO リストを使います。\n", vec![]),
            ("We track `/* TODO: tidy */` comments.\n", vec![]),
            ("<!-- see [TBD Document]() -->\n", vec![]),
            ("## [Unreleased]\n\n- Faster.\n", vec![]),
        ];
        for (text, expected) in cases {
            assert_eq!(&found(text), expected, "in {text:?}");
        }
    }

    #[test]
    fn angle_bracket_tokens_are_placeholders_unless_markup_or_syntax() {
        let token = vec!["angle-token: ".to_string()];
        let cases: &[(&str, Vec<String>)] = &[
            ("Write to <LEGAL_CONTACT> first.\n", token.clone()),
            ("The <project name> team.\n", token.clone()),
            ("`<YOUR-REPO-NAME>`\n", token.clone()),
            ("# <<PROJECT NAME>>\n", token.clone()),
            (
                "[issues](https://github.com/org/<your-project>/issues)\n",
                token.clone(),
            ),
            ("Run `<util-name> --help` now.\n", vec![]),
            ("The `<meta-project>` team.\n", vec![]),
            ("one of the following <type> values\n", vec![]),
            ("kind <command> --help\n", vec![]),
            (
                "Set -DUSE_HTTPS=<backend> and branch.<name>.remote.\n",
                vec![],
            ),
            ("A Vec<String> and <br> and <kbd>Ctrl</kbd>.\n", vec![]),
            ("<Tabs-Group>\nx\n</Tabs-Group>\n", vec![]),
            ("Commit \"Add <your-name> to the roster\".\n", vec![]),
        ];
        for (text, expected) in cases {
            assert_eq!(&found(text), expected, "in {text:?}");
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
