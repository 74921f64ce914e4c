//! Heading anchors: GitHub's, and those of the site generators that publish Markdown and
//! reStructuredText (kramdown, Python-Markdown, docutils, Asciidoctor).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// The anchor GitHub derives from a heading's rendered text, before de-duplication.
///
/// GitHub's slugger (github-slugger, the algorithm of its Markdown renderer) lower-cases the text,
/// removes every character that is not a Unicode letter, mark, number or connector punctuation, a
/// hyphen or a space, and turns each space into a hyphen. Repeated hyphens are kept as they are:
/// `Roles & Responsibilities` is `roles--responsibilities`.
pub fn github_slug(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        // Most headings: no allocation for lower-casing, no Unicode tables.
        let mut slug = String::with_capacity(text.len());
        for b in text.bytes() {
            match b {
                b' ' => slug.push('-'),
                b'-' | b'_' => slug.push(b as char),
                b if b.is_ascii_alphanumeric() => slug.push(b.to_ascii_lowercase() as char),
                _ => {}
            }
        }
        return slug;
    }
    static REMOVED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[^\p{L}\p{M}\p{N}\p{Pc}\- ]").expect("valid regex"));
    // Lower-cased as a whole string, as GitHub does: a final sigma stays final.
    REMOVED
        .replace_all(&text.to_lowercase(), "")
        .replace(' ', "-")
}

/// How a publisher turns heading text into an anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingIds {
    /// GitHub, and the generators that use its slugger: Docusaurus (github-slugger), Hugo
    /// (Goldmark's `autoHeadingIDType = "github"`, the default), GitBook.
    GitHub,
    /// kramdown's `auto_ids` (Jekyll): characters before the first letter dropped, then everything
    /// but ASCII letters, digits, spaces and hyphens, spaces to hyphens, lower-cased.
    Kramdown,
    /// Python-Markdown's `toc` extension (MkDocs): `slugify` keeps word characters, spaces and
    /// hyphens, lower-cases, and collapses runs of spaces and hyphens into one hyphen; repeats
    /// get `_1`, `_2`.
    PythonMarkdown,
    /// docutils section ids (Sphinx, MyST, Jupyter Book): lower-cased, runs of anything but ASCII
    /// letters and digits to one hyphen, leading digits and hyphens dropped.
    Docutils,
    /// Asciidoctor section ids as Antora configures them (`idprefix` empty, `idseparator` `-`).
    Asciidoctor,
}

impl HeadingIds {
    /// The anchor of one heading, before de-duplication.
    pub fn slug(self, text: &str) -> String {
        match self {
            HeadingIds::GitHub => github_slug(text),
            HeadingIds::Kramdown => {
                let from_letter = text.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
                from_letter
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
                    .map(|c| {
                        if c == ' ' {
                            '-'
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .collect()
            }
            HeadingIds::PythonMarkdown => {
                let kept: String = text
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || c.is_whitespace())
                    .collect::<String>()
                    .trim()
                    .to_lowercase();
                collapse(&kept, |c| c == '-' || c.is_whitespace(), '-')
            }
            HeadingIds::Docutils => {
                let lower = text.to_lowercase();
                let slug = collapse(&lower, |c| !c.is_ascii_alphanumeric(), '-');
                slug.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
                    .trim_end_matches('-')
                    .to_string()
            }
            HeadingIds::Asciidoctor => {
                let lower = text.to_lowercase();
                let kept: String = lower
                    .chars()
                    .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_'))
                    .collect();
                collapse(kept.trim(), |c| matches!(c, ' ' | '.' | '-'), '-')
            }
        }
    }

    /// The suffix a repeated heading gets: `-1` for most, `_1` for Python-Markdown.
    fn repeat_separator(self) -> char {
        match self {
            HeadingIds::PythonMarkdown => '_',
            _ => '-',
        }
    }

    /// The anchors of `headings`, in order, repeats numbered the way this publisher numbers them.
    pub fn slugs<'a>(self, headings: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut slugger = Slugger {
            ids: self,
            seen: HashMap::new(),
        };
        headings.into_iter().map(|h| slugger.slug(h)).collect()
    }
}

/// Replaces each run of characters matching `run` by one `with`.
fn collapse(text: &str, run: impl Fn(char) -> bool, with: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if run(c) {
            if !in_run {
                out.push(with);
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

/// Hands out unique slugs in document order, as GitHub does: `a`, `a-1`, `a-2`.
#[derive(Debug)]
pub struct Slugger {
    ids: HeadingIds,
    seen: HashMap<String, usize>,
}

impl Default for Slugger {
    fn default() -> Slugger {
        Slugger {
            ids: HeadingIds::GitHub,
            seen: HashMap::new(),
        }
    }
}

impl Slugger {
    pub fn slug(&mut self, text: &str) -> String {
        let base = self.ids.slug(text);
        let separator = self.ids.repeat_separator();
        let mut candidate = base.clone();
        while let Some(count) = self.seen.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}{separator}{count}");
            if !self.seen.contains_key(&candidate) {
                break;
            }
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_case() {
        assert_eq!(github_slug("What's New?"), "whats-new");
        assert_eq!(
            github_slug("Roles & Responsibilities"),
            "roles--responsibilities"
        );
        assert_eq!(github_slug("Step 1: Fork_it"), "step-1-fork_it");
        assert_eq!(github_slug("Über Café"), "über-café");
        assert_eq!(github_slug("C++ 🚀 Guide"), "c--guide");
    }

    #[test]
    fn unicode_letters_marks_and_connectors_are_kept() {
        // Devanagari vowel signs are marks; `‿` is connector punctuation; `।` is not kept.
        assert_eq!(github_slug("हिन्दी भाषा।"), "हिन्दी-भाषा");
        assert_eq!(github_slug("a‿b"), "a‿b");
        assert_eq!(github_slug("Ελληνικά ΟΔΟΣ"), "ελληνικά-οδος");
        assert_eq!(github_slug("日本語 の 見出し"), "日本語-の-見出し");
        assert_eq!(github_slug("Ünïcödé — dash"), "ünïcödé--dash");
    }

    #[test]
    fn repeated_headings_are_numbered() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Usage"), "usage");
        assert_eq!(s.slug("Usage"), "usage-1");
        assert_eq!(s.slug("Usage"), "usage-2");
        assert_eq!(s.slug("Usage 1"), "usage-1-1");
    }

    #[test]
    fn generator_sluggers() {
        assert_eq!(
            HeadingIds::Kramdown.slug("1. Getting Started!"),
            "getting-started"
        );
        assert_eq!(
            HeadingIds::PythonMarkdown.slug("Roles & Responsibilities"),
            "roles-responsibilities"
        );
        assert_eq!(
            HeadingIds::Docutils.slug("2. Election Process (2024)"),
            "election-process-2024"
        );
        assert_eq!(
            HeadingIds::Asciidoctor.slug("Getting Started"),
            "getting-started"
        );
        assert_eq!(
            HeadingIds::PythonMarkdown.slugs(["Setup", "Setup"]),
            ["setup", "setup_1"]
        );
    }
}
