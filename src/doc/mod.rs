//! The document model: one parse per file, shared by every rule and plugin.
//!
//! Markdown is parsed with pulldown-cmark; reStructuredText and AsciiDoc get headings and links by
//! their own conventions; anything else is plain text. Offsets are byte offsets into [`Document::text`].

mod anchor;
mod directive;
mod front_matter;
mod lifecycle;
mod markdown;
mod markup;
mod path;
mod placeholder;
mod slug;

use std::ops::Range;
use std::sync::OnceLock;

pub use front_matter::FrontMatter;
pub use lifecycle::{generated_notice, DocLifecycle, Lifecycle};
pub use path::{percent_decode, resolve_link_path, split_name};
pub use placeholder::{
    PlaceholderMatch, PlaceholderMatcher, PlaceholderName, PlaceholderPattern, Position, Stub,
    TemplateEvidence, Why,
};
pub use slug::{github_slug, HeadingIds, Slugger};

/// The markup a document is written in, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Markdown,
    Rst,
    Asciidoc,
    Text,
}

impl DocKind {
    pub fn from_path(path: &str) -> DocKind {
        let name = &path[path.rfind('/').map_or(0, |slash| slash + 1)..];
        let Some(dot) = name.rfind('.') else {
            return DocKind::Text;
        };
        // Every file of every repository is classified: the extension is compared lower-cased
        // in a small buffer rather than against each spelling in turn.
        let ext = &name.as_bytes()[dot + 1..];
        let mut lower = [0u8; 8];
        let Some(lower) = lower.get_mut(..ext.len()) else {
            return DocKind::Text;
        };
        lower.copy_from_slice(ext);
        lower.make_ascii_lowercase();
        match &*lower {
            b"md" | b"markdown" | b"mdown" | b"mkd" | b"mdx" => DocKind::Markdown,
            b"rst" => DocKind::Rst,
            b"adoc" | b"asciidoc" | b"asc" => DocKind::Asciidoc,
            _ => DocKind::Text,
        }
    }

    /// Whether files of this kind are governance prose that hygiene rules should read.
    pub fn is_markup(self) -> bool {
        !matches!(self, DocKind::Text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading as rendered: markup removed, whitespace collapsed.
    pub text: String,
    pub line: u32,
    pub span: Range<usize>,
    /// From the end of the heading to the next heading of the same or a higher level (subsections included).
    pub section: Range<usize>,
    /// From the end of the heading to the next heading of any level.
    pub own_body: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
    /// A reference definition: `[label]: target`.
    Definition,
    /// A site generator's cross-reference (Sphinx and MyST `:doc:`/`{doc}`, `:ref:`/`{ref}`): a
    /// link only on the published site, where the generator resolves it; the target of a `ref`
    /// is `#label`.
    CrossReference,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    pub target: String,
    pub text: String,
    pub line: u32,
    pub span: Range<usize>,
    /// For a link written `[text][label]`, `[label][]` or `[label]`: the label of the reference
    /// definition it uses. Its target is the definition's, checked once at the definition.
    pub definition: Option<String>,
}

impl Link {
    /// A link with a scheme (`https:`, `mailto:`…) or protocol-relative: not a path in the repository.
    pub fn is_external(&self) -> bool {
        let target = self.target.trim();
        if target.starts_with("//") {
            return true;
        }
        match target.split_once(':') {
            Some((scheme, _)) => {
                !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                    && scheme
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic())
            }
            None => false,
        }
    }
}

/// Kinds of text that are not prose a reader sees as the document's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Hidden {
    FrontMatter,
    CodeBlock,
    InlineCode,
    HtmlComment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HiddenRange {
    pub kind: Hidden,
    pub range: Range<usize>,
}

/// One parsed file: its text, headings, links, hidden ranges and front matter, and what it is in
/// the repository's life ([`Document::lifecycle`]: live, or an archive, minutes, a changelog, a
/// translation, vendored or generated). How a static site publishes it (its page URLs, how its
/// links resolve there) is the site model's: [`crate::site::SiteModel::page`].
#[derive(Debug, Clone)]
pub struct Document {
    pub path: String,
    pub kind: DocKind,
    /// Decoded text: BOM removed, invalid UTF-8 replaced.
    pub text: String,
    line_starts: Vec<usize>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub front_matter: Option<FrontMatter>,
    /// Code, comments and front matter, sorted by start, not overlapping.
    pub hidden: Vec<HiddenRange>,
    /// What was odd about the file (lossy decoding, front matter that does not parse).
    pub notes: Vec<String>,
    /// Live, or a record, copy or tool output that hygiene rules leave alone; set by the
    /// repository that reads the document (live for a document parsed on its own).
    pub lifecycle: DocLifecycle,
    /// Placeholders in the whole document, found once and shared by every rule that asks.
    placeholders: OnceLock<Vec<PlaceholderMatch>>,
    /// Heading anchors, made when asked: only documents that anchor links point at need them.
    slugs: OnceLock<Vec<String>>,
    /// The text lower-cased, when it is ASCII: made when a long search asks (see [`Haystack`]).
    lower: OnceLock<Option<String>>,
    /// Anchors that are not heading slugs, found when a link first asks.
    anchors: OnceLock<Anchors>,
    /// Labels of footnote definitions (`[^label]: …`), whose anchors GitHub makes.
    pub footnotes: Vec<String>,
}

/// Anchors a document defines other than by its headings, lower-cased.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    /// `id` and `name` attributes of HTML elements: anchors on GitHub and on any site.
    pub ids: std::collections::HashSet<String>,
    /// kramdown, Pandoc and Hugo `{#id}` attributes: anchors on a site only (GitHub shows them
    /// as text).
    pub attributes: std::collections::HashSet<String>,
    /// Cross-reference labels: MyST `(label)=` lines, reStructuredText `.. _label:` targets and
    /// `:name:`/`:label:` options of directives. A site generator makes them global to the site.
    pub labels: Vec<String>,
}

/// Text to search: a piece of a document, or any string. Patterns search a piece of an ASCII
/// document in the document's lower-cased copy, where case-insensitive words have one literal
/// form the regex engine can skip ahead to (see `crate::pattern`); offsets are the same.
#[derive(Debug, Clone, Copy)]
pub struct Haystack<'t> {
    pub text: &'t str,
    /// The document and where `text` starts in it.
    source: Option<(&'t Document, usize)>,
}

impl<'t> Haystack<'t> {
    /// The same text lower-cased, when it comes from an ASCII document.
    pub fn lower(&self) -> Option<&'t str> {
        let (doc, offset) = self.source?;
        doc.ascii_lower()
            .map(|lower| &lower[offset..offset + self.text.len()])
    }
}

/// Any string: searched as it is.
impl<'t, S: AsRef<str> + ?Sized> From<&'t S> for Haystack<'t> {
    fn from(text: &'t S) -> Haystack<'t> {
        Haystack {
            text: text.as_ref(),
            source: None,
        }
    }
}

impl Document {
    /// Decodes and parses a file. `None` when the content is binary.
    pub fn from_bytes(path: &str, mut bytes: Vec<u8>) -> Option<Document> {
        let probe = &bytes[..bytes.len().min(8192)];
        if probe.contains(&0) {
            return None;
        }
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let mut notes = Vec::new();
        // The bytes become the text without a copy when they are valid UTF-8, as nearly all are.
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                notes.push("not valid UTF-8: read with replacement characters".to_string());
                String::from_utf8_lossy(err.as_bytes()).into_owned()
            }
        };
        let mut doc = Document::parse(path, text);
        doc.notes.splice(0..0, notes);
        Some(doc)
    }

    /// Parses already decoded text.
    pub fn parse(path: &str, text: String) -> Document {
        let kind = DocKind::from_path(path);
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let mut doc = Document {
            path: path.to_string(),
            kind,
            text,
            line_starts,
            headings: Vec::new(),
            links: Vec::new(),
            front_matter: None,
            hidden: Vec::new(),
            notes: Vec::new(),
            lifecycle: DocLifecycle::live(),
            placeholders: OnceLock::new(),
            slugs: OnceLock::new(),
            lower: OnceLock::new(),
            anchors: OnceLock::new(),
            footnotes: Vec::new(),
        };
        if kind != DocKind::Text {
            if let Some(fm) = FrontMatter::detect(&doc.text) {
                if let Some(err) = &fm.error {
                    doc.notes
                        .push(format!("front matter does not parse: {err}"));
                }
                doc.hidden.push(HiddenRange {
                    kind: Hidden::FrontMatter,
                    range: fm.span.clone(),
                });
                doc.front_matter = Some(fm);
            }
        }
        match kind {
            DocKind::Markdown => markdown::parse(&mut doc),
            DocKind::Rst => markup::parse_rst(&mut doc),
            DocKind::Asciidoc => markup::parse_asciidoc(&mut doc),
            DocKind::Text => {}
        }
        doc.hidden
            .sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
        // Drop ranges nested in an earlier one (inline code inside an HTML comment, say).
        let mut merged: Vec<HiddenRange> = Vec::with_capacity(doc.hidden.len());
        for h in std::mem::take(&mut doc.hidden) {
            match merged.last() {
                Some(last) if h.range.start < last.range.end => {}
                _ => merged.push(h),
            }
        }
        doc.hidden = merged;
        doc.compute_sections();
        doc
    }

    fn compute_sections(&mut self) {
        let len = self.text.len();
        for i in 0..self.headings.len() {
            let level = self.headings[i].level;
            let start = self.headings[i].span.end;
            let next_any = self.headings.get(i + 1).map_or(len, |h| h.span.start);
            let next_same = self.headings[i + 1..]
                .iter()
                .find(|h| h.level <= level)
                .map_or(len, |h| h.span.start);
            self.headings[i].own_body = start..next_any.max(start);
            self.headings[i].section = start..next_same.max(start);
        }
    }

    /// `range` of the text, to search.
    pub fn haystack(&self, range: Range<usize>) -> Haystack<'_> {
        Haystack {
            text: &self.text[range.clone()],
            source: Some((self, range.start)),
        }
    }

    fn ascii_lower(&self) -> Option<&str> {
        self.lower
            .get_or_init(|| self.text.is_ascii().then(|| self.text.to_ascii_lowercase()))
            .as_deref()
    }

    /// GitHub-style anchors of the headings, in heading order, `-1`, `-2`… added to repeats.
    pub fn slugs(&self) -> &[String] {
        self.slugs.get_or_init(|| {
            let mut slugger = Slugger::default();
            self.headings
                .iter()
                .map(|h| slugger.slug(&h.text))
                .collect()
        })
    }

    /// Anchors other than heading slugs: explicit ids and cross-reference labels.
    pub fn anchors(&self) -> &Anchors {
        self.anchors.get_or_init(|| anchor::find(self))
    }

    /// Whether `anchor` names something in this document as GitHub renders it: a heading (by
    /// GitHub's slugs, from the rendered heading text), an `id` or `name` attribute, or a
    /// footnote; `user-content-` prefixed forms count, as GitHub prefixes the ids it renders.
    pub fn has_github_anchor(&self, anchor: &str) -> bool {
        let anchor = anchor.strip_prefix("user-content-").unwrap_or(anchor);
        let lower = anchor.to_lowercase();
        self.slugs().contains(&lower)
            || self.anchors().ids.contains(&lower)
            || self.footnotes.iter().any(|label| {
                let label = label.to_lowercase();
                lower.strip_prefix("fn-") == Some(label.as_str())
                    || lower.strip_prefix("fnref-").is_some_and(|rest| {
                        rest == label
                            || rest.strip_prefix(label.as_str()).is_some_and(|n| {
                                n.strip_prefix('-').is_some_and(|d| {
                                    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
                                })
                            })
                    })
            })
    }

    /// Whether a publisher that makes heading anchors with `ids` gives `anchor` to one of this
    /// document's headings.
    pub fn has_heading_anchor(&self, ids: HeadingIds, anchor: &str) -> bool {
        if ids == HeadingIds::GitHub {
            return self.slugs().iter().any(|s| s.eq_ignore_ascii_case(anchor));
        }
        ids.slugs(self.headings.iter().map(|h| h.text.as_str()))
            .iter()
            .any(|s| s.eq_ignore_ascii_case(anchor))
    }

    /// The document's title: front matter `title`, else the first level-1 heading, else the first heading.
    pub fn title(&self) -> Option<&str> {
        if let Some(title) = self
            .front_matter
            .as_ref()
            .and_then(|fm| fm.get_str("title"))
        {
            return Some(title);
        }
        self.headings
            .iter()
            .find(|h| h.level == 1)
            .or_else(|| self.headings.first())
            .map(|h| h.text.as_str())
    }

    pub fn line_count(&self) -> usize {
        if self.text.ends_with('\n') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        (self.line_starts.partition_point(|&s| s <= offset)) as u32
    }

    /// 1-based column of a byte offset, in characters.
    pub fn column_of(&self, offset: usize) -> u32 {
        let line = self.line_of(offset) as usize;
        let start = self.line_starts[line - 1];
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        self.text[start..offset].chars().count() as u32 + 1
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Byte range of a 1-based line, without its line terminator.
    pub fn line_range(&self, line: u32) -> Range<usize> {
        let i = (line as usize)
            .saturating_sub(1)
            .min(self.line_starts.len() - 1);
        let start = self.line_starts[i];
        let mut end = self
            .line_starts
            .get(i + 1)
            .map_or(self.text.len(), |&next| next - 1);
        if self.text[start..end].ends_with('\r') {
            end -= 1;
        }
        start..end
    }

    pub fn line_text(&self, line: u32) -> &str {
        &self.text[self.line_range(line)]
    }

    pub fn lines(&self) -> impl Iterator<Item = &str> {
        (1..=self.line_count() as u32).map(|l| self.line_text(l))
    }

    /// The hidden range containing `offset`, if any.
    pub fn hidden_at(&self, offset: usize) -> Option<&HiddenRange> {
        let i = self.hidden.partition_point(|h| h.range.start <= offset);
        self.hidden[..i].last().filter(|h| offset < h.range.end)
    }

    /// The visible prose of `range`: pieces between code, comments and front matter, with their offsets.
    pub fn prose(&self, range: Range<usize>) -> Vec<(usize, &str)> {
        let mut pieces = Vec::new();
        let mut at = range.start;
        let first = self.hidden.partition_point(|h| h.range.end <= range.start);
        for h in &self.hidden[first..] {
            if h.range.start >= range.end {
                break;
            }
            if h.range.start > at {
                pieces.push((at, &self.text[at..h.range.start]));
            }
            at = at.max(h.range.end);
        }
        if at < range.end {
            pieces.push((at, &self.text[at..range.end]));
        }
        pieces
    }

    /// Placeholders of the whole document. Every run uses one matcher (the built-in vocabulary), so
    /// the first caller's matcher decides for all.
    pub fn placeholders(&self, matcher: &PlaceholderMatcher) -> &[PlaceholderMatch] {
        self.placeholders
            .get_or_init(|| matcher.find(self, self.full()))
    }

    /// Placeholders starting inside `range`.
    pub fn placeholders_in(
        &self,
        range: Range<usize>,
        matcher: &PlaceholderMatcher,
    ) -> &[PlaceholderMatch] {
        let all = self.placeholders(matcher);
        let from = all.partition_point(|m| m.range.start < range.start);
        let to = all.partition_point(|m| m.range.start < range.end);
        &all[from..to.max(from)]
    }

    /// Words of real content in `range`: code, comments, markup and placeholders do not count.
    pub fn word_count(&self, range: Range<usize>, placeholders: &PlaceholderMatcher) -> usize {
        self.words(range, placeholders).count()
    }

    /// Words of real content in `range`, counted up to `cap`: enough to compare with a minimum.
    pub fn words_up_to(
        &self,
        range: Range<usize>,
        placeholders: &PlaceholderMatcher,
        cap: usize,
    ) -> usize {
        self.words(range, placeholders).take(cap).count()
    }

    /// Whether `range` holds at least one word of real content.
    pub fn has_words(&self, range: Range<usize>, placeholders: &PlaceholderMatcher) -> bool {
        self.words(range, placeholders).next().is_some()
    }

    fn words<'a>(
        &'a self,
        range: Range<usize>,
        placeholders: &'a PlaceholderMatcher,
    ) -> impl Iterator<Item = &'a str> + 'a {
        let found = self.placeholders_in(range.clone(), placeholders);
        self.prose(range)
            .into_iter()
            .flat_map(move |(offset, piece)| {
                piece
                    .split(|c: char| c.is_whitespace() || c == '|')
                    .filter(move |w| {
                        let start = w.as_ptr() as usize - piece.as_ptr() as usize + offset;
                        !found
                            .iter()
                            .any(|m| m.range.start <= start && start < m.range.end)
                    })
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .filter(|w| !is_markup_token(w))
            })
    }

    /// Headings whose text matches `pattern`.
    pub fn headings_matching<'a>(
        &'a self,
        pattern: &'a regex::Regex,
    ) -> impl Iterator<Item = &'a Heading> + 'a {
        self.headings.iter().filter(|h| pattern.is_match(&h.text))
    }

    /// The whole document as a range.
    pub fn full(&self) -> Range<usize> {
        0..self.text.len()
    }
}

/// Link targets and bare URLs are not words of content.
fn is_markup_token(word: &str) -> bool {
    word.starts_with("](") || word.starts_with("http://") || word.starts_with("https://")
}

#[cfg(test)]
mod tests;
