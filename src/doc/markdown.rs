//! Markdown through pulldown-cmark: headings, links, code and comment ranges.

use std::borrow::Cow;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

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
                if let Some((_, _, heading_text)) = heading.as_mut() {
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
            Event::Start(Tag::Link {
                link_type,
                dest_url,
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
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                open_links.push(links.len());
                links.push(Link {
                    kind: LinkKind::Image,
                    target: dest_url.into_string(),
                    text: String::new(),
                    line: doc.line_of(range.start),
                    span: range.clone(),
                });
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                open_links.pop();
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
        });
    }
    links.sort_by_key(|l| l.span.start);

    let blocks = super::directive::blocks(&doc.text, &hidden);
    super::directive::apply(&blocks, &mut headings, &mut hidden);
    hidden.extend(html_comments(&doc.text, &hidden));
    doc.headings = headings;
    doc.links = links;
    doc.hidden.extend(hidden);
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
