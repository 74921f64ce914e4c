//! Blocks a site generator renders through a shortcode or a directive rather than as Markdown
//! sections: paired Hugo shortcodes (`{{< name >}} … {{< /name >}}`, `{{% name %}} … {{% /name %}}`)
//! and colon-fenced directives (MyST `:::{note}`, Docusaurus `:::tip`). A `#` line inside one is
//! part of what the block renders (a YAML comment in a code sample, a title inside a callout), never
//! a heading of the page.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Heading, Hidden, HiddenRange};

/// A block and whether its inside is raw text handed to the shortcode (`{{< >}}`: Hugo does not
/// render it as Markdown, so it is code-like) or Markdown rendered inside the block.
pub(super) struct DirectiveBlock {
    pub range: Range<usize>,
    pub raw: bool,
}

static SHORTCODE_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{([<%])\s*([A-Za-z][\w./-]*)[^}]*?([>%])\}\}").expect("valid regex")
});
static COLON_FENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^ {0,3}(:{3,})[ \t]*(?:\{[\w:.-]+\}|[A-Za-z][\w-]*)").expect("valid regex")
});

/// The directive blocks of `text` that do not start inside `code`.
pub(super) fn blocks(text: &str, code: &[HiddenRange]) -> Vec<DirectiveBlock> {
    let in_code = |offset: usize| {
        code.iter()
            .any(|c| c.range.start <= offset && offset < c.range.end)
    };
    let mut out = Vec::new();
    if memchr::memmem::find(text.as_bytes(), b"{{").is_some() {
        let mut at = 0;
        while let Some(open) = SHORTCODE_OPEN.captures_at(text, at) {
            let whole = open.get(0).expect("a match has a whole group");
            at = whole.end();
            let self_closing = text[..whole.end() - 3].trim_end().ends_with('/');
            if self_closing || in_code(whole.start()) {
                continue;
            }
            let name = regex::escape(&open[2]);
            let Ok(close) = Regex::new(&format!(r"\{{\{{[<%]\s*/\s*{name}\s*[>%]\}}\}}")) else {
                continue;
            };
            let Some(end) = close.find_at(text, whole.end()) else {
                continue;
            };
            // One-line pairs (`{{< kbd >}}Ctrl{{< /kbd >}}`) hold no lines to mistake for headings.
            if text[whole.end()..end.start()].contains('\n') {
                out.push(DirectiveBlock {
                    range: whole.start()..end.end(),
                    raw: &open[1] == "<",
                });
                at = end.end();
            }
        }
    }
    if memchr::memmem::find(text.as_bytes(), b":::").is_some() {
        let mut at = 0;
        while let Some(open) = COLON_FENCE.captures_at(text, at) {
            let whole = open.get(0).expect("a match has a whole group");
            at = whole.end();
            if in_code(whole.start()) || out.iter().any(|b| b.range.contains(&whole.start())) {
                continue;
            }
            let colons = open[1].len();
            let body_start = text[whole.end()..]
                .find('\n')
                .map_or(text.len(), |i| whole.end() + i + 1);
            // The fence closes at a line of at least as many colons and nothing else.
            let mut line_start = body_start;
            let mut end = None;
            while line_start < text.len() {
                let line_end = text[line_start..]
                    .find('\n')
                    .map_or(text.len(), |i| line_start + i);
                let line = text[line_start..line_end].trim();
                if line.len() >= colons && line.bytes().all(|b| b == b':') {
                    end = Some(line_end);
                    break;
                }
                line_start = line_end + 1;
            }
            if let Some(end) = end {
                out.push(DirectiveBlock {
                    range: whole.start()..end,
                    raw: false,
                });
                at = end;
            }
        }
    }
    out
}

/// Drops the headings that start inside a block, and hides the raw blocks as code: what a
/// shortcode renders from them is content, not prose to read for placeholders.
pub(super) fn apply(
    blocks: &[DirectiveBlock],
    headings: &mut Vec<Heading>,
    hidden: &mut Vec<HiddenRange>,
) {
    if blocks.is_empty() {
        return;
    }
    headings.retain(|h| !blocks.iter().any(|b| b.range.contains(&h.span.start)));
    hidden.extend(blocks.iter().filter(|b| b.raw).map(|b| HiddenRange {
        kind: Hidden::CodeBlock,
        range: b.range.clone(),
    }));
}
