//! reStructuredText and AsciiDoc: headings and links by their own conventions, literal blocks as code.

use regex::Regex;
use std::sync::LazyLock;

use super::{Document, Heading, Hidden, HiddenRange, Link, LinkKind};

const RST_ADORNMENT: &str = "=-`:'\"~^_*+#<>.";

/// Section titles are a line underlined (and optionally overlined) with one repeated punctuation
/// character; levels follow the order in which each adornment style first appears.
pub(super) fn parse_rst(doc: &mut Document) {
    let lines: Vec<(usize, &str)> = line_spans(&doc.text);
    let mut styles: Vec<(char, bool)> = Vec::new();
    let mut headings = Vec::new();
    let mut hidden = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        // A literal block: a paragraph ending in `::` followed by indented lines.
        if line.trim_end().ends_with("::") {
            let block_start = lines.get(i + 1).map_or(doc.text.len(), |l| l.0);
            let mut j = i + 1;
            while j < lines.len()
                && (lines[j].1.trim().is_empty() || lines[j].1.starts_with([' ', '\t']))
            {
                j += 1;
            }
            if j > i + 1 {
                let end = lines.get(j).map_or(doc.text.len(), |l| l.0);
                hidden.push(HiddenRange {
                    kind: Hidden::CodeBlock,
                    range: block_start..end,
                });
                i = j;
                continue;
            }
        }
        let over = adornment(line);
        let text_line = if over.is_some() {
            lines.get(i + 1)
        } else {
            Some(&lines[i])
        };
        let under_idx = if over.is_some() { i + 2 } else { i + 1 };
        if let (Some(&(_, title)), Some(&(_, under))) = (text_line, lines.get(under_idx)) {
            let title_trim = title.trim();
            if let Some(c) = adornment(under) {
                let long_enough = under.trim_end().chars().count() >= title_trim.chars().count();
                let over_ok = over.is_none_or(|o| o == c);
                if !title_trim.is_empty() && adornment(title).is_none() && long_enough && over_ok {
                    let style = (c, over.is_some());
                    let level = match styles.iter().position(|s| *s == style) {
                        Some(p) => p + 1,
                        None => {
                            styles.push(style);
                            styles.len()
                        }
                    };
                    let end = lines[under_idx].0 + lines[under_idx].1.len();
                    headings.push(Heading {
                        level: level.min(6) as u8,
                        text: title_trim.to_string(),
                        line: doc.line_of(if over.is_some() {
                            lines[i + 1].0
                        } else {
                            start
                        }),
                        span: start..end,
                        section: end..end,
                        own_body: end..end,
                    });
                    i = under_idx + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    static RST_LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"`([^`<]*?)\s*<([^`>]+)>`_{1,2}").expect("valid regex"));
    // Sphinx roles: `:doc:` names a document (relative to the current one, or to the source
    // folder with a leading `/`), `:ref:` a label anywhere in the project.
    static RST_ROLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?::std)?:(doc|ref):`(?:([^`<]*?)\s*<([^`>]+)>|([^`]+))`")
            .expect("valid regex")
    });
    let mut links: Vec<Link> = RST_LINK
        .captures_iter(&doc.text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            Some(Link {
                kind: LinkKind::Link,
                target: c[2].trim().to_string(),
                text: c[1].trim().to_string(),
                line: doc.line_of(whole.start()),
                span: whole.range(),
                definition: None,
            })
        })
        .collect();
    links.extend(RST_ROLE.captures_iter(&doc.text).filter_map(|c| {
        let whole = c.get(0)?;
        let target = c.get(3).or_else(|| c.get(4))?.as_str().trim();
        Some(Link {
            kind: LinkKind::CrossReference,
            target: if &c[1] == "ref" {
                format!("#{target}")
            } else {
                target.to_string()
            },
            text: c.get(2).map_or("", |t| t.as_str()).trim().to_string(),
            line: doc.line_of(whole.start()),
            span: whole.range(),
            definition: None,
        })
    }));
    links.sort_by_key(|l| l.span.start);
    doc.links = links;
    doc.headings = headings;
    doc.hidden.extend(hidden);
}

fn adornment(line: &str) -> Option<char> {
    let line = line.trim_end();
    let first = line.chars().next()?;
    (line.chars().count() >= 3 && RST_ADORNMENT.contains(first) && line.chars().all(|c| c == first))
        .then_some(first)
}

/// `= Title`, `== Section`… outside listing (`----`), literal (`....`) and comment (`////`) blocks.
pub(super) fn parse_asciidoc(doc: &mut Document) {
    let lines = line_spans(&doc.text);
    let mut headings = Vec::new();
    let mut hidden = Vec::new();
    let mut open_block: Option<(&str, usize, Hidden)> = None;
    for &(start, line) in &lines {
        let trimmed = line.trim_end();
        if let Some((delimiter, block_start, kind)) = open_block {
            if trimmed == delimiter {
                hidden.push(HiddenRange {
                    kind,
                    range: block_start..start + line.len(),
                });
                open_block = None;
            }
            continue;
        }
        if trimmed.len() >= 4
            && (trimmed.chars().all(|c| c == '-') || trimmed.chars().all(|c| c == '.'))
        {
            open_block = Some((trimmed, start, Hidden::CodeBlock));
            continue;
        }
        if trimmed.len() >= 4 && trimmed.chars().all(|c| c == '/') {
            open_block = Some((trimmed, start, Hidden::HtmlComment));
            continue;
        }
        if trimmed.starts_with("//") && !trimmed.starts_with("///") {
            hidden.push(HiddenRange {
                kind: Hidden::HtmlComment,
                range: start..start + line.len(),
            });
            continue;
        }
        let marks = trimmed
            .chars()
            .take_while(|&c| c == '=' || c == '#')
            .count();
        if (1..=6).contains(&marks) && trimmed[marks..].starts_with(' ') {
            let text = trimmed[marks..].trim().to_string();
            if !text.is_empty() {
                headings.push(Heading {
                    level: marks as u8,
                    text,
                    line: doc.line_of(start),
                    span: start..start + trimmed.len(),
                    section: 0..0,
                    own_body: 0..0,
                });
            }
        }
    }
    if let Some((_, block_start, kind)) = open_block {
        hidden.push(HiddenRange {
            kind,
            range: block_start..doc.text.len(),
        });
    }
    static ADOC_LINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:link|xref|image):{1,2}([^\[\s]+)\[([^\]]*)\]|<<([^,>]+)(?:,([^>]*))?>>")
            .expect("valid regex")
    });
    doc.links = ADOC_LINK
        .captures_iter(&doc.text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let (target, text) = match c.get(1) {
                Some(t) => (t.as_str().to_string(), c.get(2).map_or("", |m| m.as_str())),
                None => (
                    format!("#{}", c.get(3)?.as_str()),
                    c.get(4).map_or("", |m| m.as_str()),
                ),
            };
            let kind = if whole.as_str().starts_with("image:") {
                LinkKind::Image
            } else {
                LinkKind::Link
            };
            Some(Link {
                kind,
                target,
                text: text.to_string(),
                line: doc.line_of(whole.start()),
                span: whole.range(),
                definition: None,
            })
        })
        .collect();
    doc.headings = headings;
    doc.hidden.extend(hidden);
}

/// Each line with its starting offset, without the line terminator.
fn line_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        out.push((at, line.trim_end_matches(['\n', '\r'])));
        at += line.len();
    }
    out
}
