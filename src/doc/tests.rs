use super::*;
use crate::pattern::Pattern;

fn md(text: &str) -> Document {
    Document::parse("README.md", text.to_string())
}

#[test]
fn headings_sections_and_slugs() {
    let doc =
        md("# Title\n\nIntro text.\n\n## Setup\n\nRun it.\n\n### Deeper\n\nMore.\n\n## Setup\n");
    let texts: Vec<_> = doc
        .headings
        .iter()
        .zip(doc.slugs())
        .map(|(h, slug)| (h.level, h.text.as_str(), slug.as_str(), h.line))
        .collect();
    assert_eq!(
        texts,
        vec![
            (1, "Title", "title", 1),
            (2, "Setup", "setup", 5),
            (3, "Deeper", "deeper", 9),
            (2, "Setup", "setup-1", 13)
        ]
    );
    let setup = &doc.headings[1];
    assert!(doc.text[setup.section.clone()].contains("More."));
    assert!(!doc.text[setup.own_body.clone()].contains("More."));
}

#[test]
fn email_autolinks_are_external() {
    let doc = md("Write to <conduct@example.org> or [us](mailto:us@example.org).\n");
    assert_eq!(doc.links[0].target, "mailto:conduct@example.org");
    assert!(doc.links.iter().all(Link::is_external));
}

#[test]
fn shell_comments_in_fences_are_not_headings() {
    let doc = md("# Real\n\n```bash\n# macOS\nbrew install x\n```\n");
    assert_eq!(doc.headings.len(), 1);
    assert_eq!(doc.hidden.len(), 1);
    assert_eq!(doc.hidden[0].kind, Hidden::CodeBlock);
}

#[test]
fn setext_headings_and_crlf() {
    let doc = md("Title\r\n=====\r\n\r\nBody\r\n\r\nSub\r\n---\r\n");
    assert_eq!(doc.headings.len(), 2);
    assert_eq!(doc.headings[1].line, 6);
    assert_eq!(doc.line_text(1), "Title");
}

#[test]
fn links_images_and_definitions() {
    let doc =
        md("See [the guide](docs/guide.md) and ![logo](img/logo.png).\n\n[ref]: ./other.md\n");
    let links: Vec<_> = doc
        .links
        .iter()
        .map(|l| (l.kind, l.target.as_str(), l.line))
        .collect();
    assert_eq!(
        links,
        vec![
            (LinkKind::Link, "docs/guide.md", 1),
            (LinkKind::Image, "img/logo.png", 1),
            (LinkKind::Definition, "./other.md", 3)
        ]
    );
    assert_eq!(doc.links[0].text, "the guide");
}

#[test]
fn yaml_front_matter_is_parsed_and_hidden() {
    let doc = md("---\ntitle: Strategy\n# a yaml comment\nowner: ospo\n---\n\n# Heading\n");
    assert_eq!(doc.headings.len(), 1);
    assert_eq!(doc.title(), Some("Strategy"));
    let fm = doc.front_matter.as_ref().unwrap();
    assert_eq!(fm.get_str("owner"), Some("ospo"));
    assert_eq!(doc.headings[0].line, 7);
}

#[test]
fn html_comments_are_hidden() {
    let doc = md("# A\n\n<!-- TODO: fill in\n# not a heading -->\nText\n");
    assert_eq!(doc.headings.len(), 1);
    assert!(doc.hidden.iter().any(|h| h.kind == Hidden::HtmlComment));
}

#[test]
fn bom_invalid_utf8_and_binary() {
    let doc = Document::from_bytes("a.md", b"\xEF\xBB\xBF# Hi\n".to_vec()).unwrap();
    assert_eq!(doc.headings[0].text, "Hi");
    let doc = Document::from_bytes("a.md", b"# Caf\xE9\n".to_vec()).unwrap();
    assert_eq!(doc.notes.len(), 1);
    assert!(Document::from_bytes("a.md", b"\x00\x01\x02".to_vec()).is_none());
}

#[test]
fn word_count_ignores_code_comments_and_placeholders() {
    let matcher = PlaceholderMatcher {
        patterns: vec![PlaceholderPattern {
            name: "todo".into(),
            regex: Pattern::new(r"(?-i)\bTODO\b").unwrap(),
            quick: None,
            position: Position::Anywhere,
            in_urls: false,
            in_comments: false,
            not_in_folders: Vec::new(),
            message: "`{text}`".into(),
        }],
        exceptions: vec![Pattern::new(r"(?-i)TODO Group").unwrap()],
        names: Vec::new(),
        template: Default::default(),
        gate: Default::default(),
    };
    let doc = md("## S\n\nOne two `three` TODO <!-- four -->\n\n```\nfive\n```\n");
    let s = &doc.headings[0];
    assert_eq!(doc.word_count(s.section.clone(), &matcher), 2);
    let doc = md("The TODO Group and a TODO and [x](https://todo.example/TODO).\n");
    let found = matcher.find(&doc, doc.full());
    assert_eq!(found.len(), 1);
    assert_eq!(doc.column_of(found[0].range.start), 22);
}

#[test]
fn rst_and_asciidoc_headings() {
    let doc = Document::parse(
        "SECURITY.rst",
        "=====\nTitle\n=====\n\nText\n\nReporting\n---------\n\nMore::\n\n    code\n".into(),
    );
    let h: Vec<_> = doc
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str(), h.line))
        .collect();
    assert_eq!(h, vec![(1, "Title", 2), (2, "Reporting", 7)]);
    let doc = Document::parse(
        "GOV.adoc",
        "= Governance\n\n== Voting\n\n----\n== not\n----\n".into(),
    );
    let h: Vec<_> = doc
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(h, vec![(1, "Governance"), (2, "Voting")]);
}

#[test]
fn document_kinds_come_from_the_file_name_extension() {
    let cases = [
        ("README.md", DocKind::Markdown),
        ("docs/Guide.MARKDOWN", DocKind::Markdown),
        ("site/page.mdx", DocKind::Markdown),
        (".md", DocKind::Markdown),
        ("SECURITY.rst", DocKind::Rst),
        ("handbook/strategy.AsciiDoc", DocKind::Asciidoc),
        ("notes.asc", DocKind::Asciidoc),
        ("LICENSE", DocKind::Text),
        ("CODEOWNERS.txt", DocKind::Text),
        ("archive.md/LICENSE", DocKind::Text),
        ("trailing.", DocKind::Text),
        ("file.markdownish", DocKind::Text),
    ];
    for (path, kind) in cases {
        assert_eq!(DocKind::from_path(path), kind, "{path}");
    }
}
