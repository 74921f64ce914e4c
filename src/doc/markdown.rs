//! Markdown through pulldown-cmark: headings, links, code and comment ranges.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::{Document, Heading, Hidden, HiddenRange, Link, LinkKind};

pub(super) fn parse(doc: &mut Document) {
    // Front matter is blanked out (offsets kept) so it is neither a heading nor a paragraph.
    let source: Cow<str> = match &doc.front_matter {
        Some(fm) => {
            let mut bytes = doc.text.as_bytes().to_vec();
            for b in &mut bytes[fm.span.clone()] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
            // Only whole characters were replaced, by ASCII spaces: still valid UTF-8.
            Cow::Owned(String::from_utf8(bytes).unwrap_or_default())
        }
        None => Cow::Borrowed(doc.text.as_str()),
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let iter = Parser::new_ext(&source, options).into_offset_iter();
    let definitions: Vec<(String, String, std::ops::Range<usize>)> = iter
        .reference_definitions()
        .iter()
        .map(|(label, def)| (label.to_string(), def.dest.to_string(), def.span.clone()))
        .collect();

    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut hidden = Vec::new();
    // Open heading: (level, start, text so far).
    let mut heading: Option<(u8, usize, String)> = None;
    // Open links and images: (index into `links`), nested images inside links are possible.
    let mut open_links: Vec<usize> = Vec::new();
    // Images open: their alt text is not part of a heading's rendered text.
    let mut open_images = 0usize;
    let mut footnotes = Vec::new();
    for (event, range) in iter {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((heading_level(level), range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, text)) = heading.take() {
                    let text = collapse_whitespace(&text);
                    let end = trim_heading_end(&doc.text, range.end.max(start));
                    headings.push(Heading {
                        level,
                        text,
                        line: doc.line_of(start),
                        span: start..end,
                        section: end..end,
                        own_body: end..end,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                hidden.push(HiddenRange {
                    kind: Hidden::CodeBlock,
                    range: range.clone(),
                });
            }
            Event::Code(code) => {
                if let Some((_, _, text)) = heading.as_mut() {
                    text.push_str(&code);
                }
                push_link_text(&mut links, &open_links, &code);
                hidden.push(HiddenRange {
                    kind: Hidden::InlineCode,
                    range: range.clone(),
                });
            }
            Event::Text(text) => {
                if let Some((_, _, heading_text)) = heading.as_mut().filter(|_| open_images == 0) {
                    heading_text.push_str(&text);
                }
                push_link_text(&mut links, &open_links, &text);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, heading_text)) = heading.as_mut() {
                    heading_text.push(' ');
                }
                push_link_text(&mut links, &open_links, " ");
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                links.extend(html_links(doc, &html, range.start));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnotes.push(label.to_string());
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            }) => {
                // `<name@example.org>` is an e-mail autolink, rendered as a `mailto:` link.
                let target = if link_type == LinkType::Email {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.into_string()
                };
                open_links.push(links.len());
                links.push(Link {
                    kind: LinkKind::Link,
                    target,
                    text: String::new(),
                    line: doc.line_of(range.start),
                    span: range.clone(),
                    definition: uses_definition(link_type).then(|| id.into_string()),
                });
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            }) => {
                open_links.push(links.len());
                open_images += 1;
                links.push(Link {
                    kind: LinkKind::Image,
                    target: dest_url.into_string(),
                    text: String::new(),
                    line: doc.line_of(range.start),
                    span: range.clone(),
                    definition: uses_definition(link_type).then(|| id.into_string()),
                });
            }
            Event::End(TagEnd::Link) => {
                open_links.pop();
            }
            Event::End(TagEnd::Image) => {
                open_links.pop();
                open_images = open_images.saturating_sub(1);
            }
            _ => {}
        }
    }
    for (label, target, span) in definitions {
        links.push(Link {
            kind: LinkKind::Definition,
            target,
            text: label,
            line: doc.line_of(span.start),
            span,
            definition: None,
        });
    }
    links.extend(site_links(doc, &hidden));
    let comments = html_comments(&doc.text, &hidden);
    // Tags inside comments are not rendered: commented-out links are read from the comment.
    links.retain(|l| {
        !comments
            .iter()
            .any(|c| c.range.start <= l.span.start && l.span.start < c.range.end)
    });
    links.sort_by_key(|l| l.span.start);

    let blocks = super::directive::blocks(&doc.text, &hidden);
    super::directive::apply(&blocks, &mut headings, &mut hidden);
    hidden.extend(comments);
    doc.headings = headings;
    doc.links = links;
    doc.footnotes = footnotes;
    doc.hidden.extend(hidden);
}

/// `[text][label]`, `[label][]` and `[label]` use a reference definition.
fn uses_definition(link_type: LinkType) -> bool {
    matches!(
        link_type,
        LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
    )
}

/// `href` of `<a>` and `src` of `<img>` in raw HTML, with double, single or no quotes: GitHub
/// renders them as links and images.
fn html_links(doc: &Document, html: &str, offset: usize) -> Vec<Link> {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?i)<(a|img)\s[^<>]*?\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+))"#,
        )
        .expect("valid regex")
    });
    if !html.contains('<') {
        return Vec::new();
    }
    TAG.captures_iter(html)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let target = c.get(2).or_else(|| c.get(3)).or_else(|| c.get(4))?;
            let start = offset + whole.start();
            Some(Link {
                kind: if c[1].eq_ignore_ascii_case("img") {
                    LinkKind::Image
                } else {
                    LinkKind::Link
                },
                target: target.as_str().trim().to_string(),
                text: String::new(),
                line: doc.line_of(start),
                span: start..offset + whole.end(),
                definition: None,
            })
        })
        .collect()
}

/// Links written in a site generator's own syntax, outside code blocks: GitBook's
/// `{% file src="…" %}` and `{% content-ref url="…" %}` blocks, whose value is a path even when
/// it holds `#` or spaces (so `#` is kept in the target as `%23`), and MyST's `{doc}` and `{ref}`
/// roles.
fn site_links(doc: &Document, hidden: &[HiddenRange]) -> Vec<Link> {
    static GITBOOK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\{%\s*(?:file|content-ref)\s+(?:src|url)\s*=\s*"([^"]+)"[^%]*%\}"#)
            .expect("valid regex")
    });
    static MYST_ROLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\{(doc|ref)\}`(?:[^`<]*<([^`>]+)>|([^`]+))`").expect("valid regex")
    });
    let text = doc.text.as_str();
    if memchr::memchr(b'{', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let in_code = |at: usize| {
        hidden
            .iter()
            .any(|h| h.kind == Hidden::CodeBlock && h.range.start <= at && at < h.range.end)
    };
    let link = |kind, target: String, span: Range<usize>| Link {
        kind,
        target,
        text: String::new(),
        line: doc.line_of(span.start),
        span,
        definition: None,
    };
    let mut out = Vec::new();
    for c in GITBOOK.captures_iter(text) {
        let Some(whole) = c.get(0).filter(|w| !in_code(w.start())) else {
            continue;
        };
        out.push(link(
            LinkKind::Link,
            c[1].trim().replace('#', "%23"),
            whole.range(),
        ));
    }
    for c in MYST_ROLE.captures_iter(text) {
        let Some(whole) = c.get(0).filter(|w| !in_code(w.start())) else {
            continue;
        };
        let Some(target) = c.get(2).or_else(|| c.get(3)) else {
            continue;
        };
        let target = target.as_str().trim();
        let target = if &c[1] == "ref" {
            format!("#{target}")
        } else {
            target.to_string()
        };
        out.push(link(LinkKind::CrossReference, target, whole.range()));
    }
    out
}

fn push_link_text(links: &mut [Link], open: &[usize], text: &str) {
    if let Some(&i) = open.last() {
        links[i].text.push_str(text);
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading's span ends at its line end, without the newline, so the body starts on the next line.
fn trim_heading_end(text: &str, end: usize) -> usize {
    let mut end = end.min(text.len());
    while end > 0 && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    end
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `<!-- … -->` outside code. pulldown-cmark reports comments as HTML events, often split over several,
/// so they are found in the text directly.
fn html_comments(text: &str, code: &[HiddenRange]) -> Vec<HiddenRange> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = memchr::memmem::find(&text.as_bytes()[at..], b"<!--") {
        let start = at + i;
        if let Some(c) = code
            .iter()
            .find(|c| c.range.start <= start && start < c.range.end)
        {
            at = c.range.end;
            continue;
        }
        let end = memchr::memmem::find(&text.as_bytes()[start + 4..], b"-->")
            .map_or(text.len(), |j| start + 4 + j + 3);
        out.push(HiddenRange {
            kind: Hidden::HtmlComment,
            range: start..end,
        });
        at = end;
    }
    out
}
