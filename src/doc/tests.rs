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

#[test]
fn dashed_metadata_is_front_matter_not_a_setext_heading() {
    // A mistyped opening line, a blank line before the block, no opening line at all.
    for text in [
        "--\nname: Access request\nlabels: infra\n---\n\n### Details\n",
        "\n---\ntitle: Access request\n---\n\n### Details\n",
        "title: Access request\nlabels: infra\n---\n\n### Details\n",
    ] {
        let doc = md(text);
        let texts: Vec<&str> = doc.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, vec!["Details"], "{text:?}");
        assert!(doc.front_matter.is_some(), "{text:?}");
    }
    // One line of prose underlined with dashes stays a heading.
    let doc = md("Note: read this first\n---\n\nBody.\n");
    assert_eq!(doc.headings.len(), 1);
    assert!(doc.front_matter.is_none());
}

#[test]
fn shortcode_blocks_and_directive_fences_hold_no_headings() {
    let doc = md(concat!(
        "# Configuration\n\n",
        "{{< codeFromInline lang=\"yaml\" >}}\n# a comment in the sample\nkind: Cluster\n{{< /codeFromInline >}}\n\n",
        "{{% alert %}}\n## Inside a callout\nText.\n{{% /alert %}}\n\n",
        ":::{note}\n# Inside a directive\n:::\n\n",
        "{{< figure src=\"a.png\" />}}\n\n## Next\n",
    ));
    let texts: Vec<&str> = doc.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(texts, vec!["Configuration", "Next"]);
    // The raw shortcode block is code; the Markdown ones stay prose.
    let code: Vec<&str> = doc
        .hidden
        .iter()
        .filter(|h| h.kind == Hidden::CodeBlock)
        .map(|h| &doc.text[h.range.clone()])
        .collect();
    assert_eq!(code.len(), 1);
    assert!(
        code[0].starts_with("{{< codeFromInline") && code[0].ends_with("{{< /codeFromInline >}}")
    );
}

#[test]
fn reference_uses_name_their_definition() {
    let doc = md("See [the guide][g], [g][] and [g].\nAnd [inline](x.md).\n\n[g]: ./guide.md\n");
    let uses: Vec<_> = doc
        .links
        .iter()
        .map(|l| (l.kind, l.definition.as_deref()))
        .collect();
    assert_eq!(
        uses,
        vec![
            (LinkKind::Link, Some("g")),
            (LinkKind::Link, Some("g")),
            (LinkKind::Link, Some("g")),
            (LinkKind::Link, None),
            (LinkKind::Definition, None)
        ]
    );
}

#[test]
fn heading_text_as_rendered() {
    let doc = md("## ![logo](l.png) The [Guide](g.md) &amp; `code` <sup>1</sup>\n");
    assert_eq!(doc.headings[0].text, "The Guide & code 1");
    assert_eq!(doc.slugs()[0], "the-guide--code-1");
}

#[test]
fn html_links_gitbook_blocks_and_roles() {
    let doc = md(
        "<a href='docs/a.md'>A</a> <img src=logo.png>\n\n<!-- <a href=\"gone.md\">x</a> -->\n\n\
         {% file src=\"../assets/Report #5 final.pdf\" %}\n\nSee {doc}`intro` and {ref}`Label <setup>`.\n\n\
         ```\n{% file src=\"in-code.pdf\" %}\n```\n",
    );
    let links: Vec<_> = doc
        .links
        .iter()
        .map(|l| (l.kind, l.target.as_str()))
        .collect();
    assert_eq!(
        links,
        vec![
            (LinkKind::Link, "docs/a.md"),
            (LinkKind::Image, "logo.png"),
            (LinkKind::Link, "../assets/Report %235 final.pdf"),
            (LinkKind::CrossReference, "intro"),
            (LinkKind::CrossReference, "#setup"),
        ]
    );
}

#[test]
fn github_anchors_footnotes_and_user_content() {
    let doc = md("# Über uns\n\nText[^note].\n\n<span name=Team></span>\n\n[^note]: A note.\n");
    for anchor in [
        "über-uns",
        "user-content-über-uns",
        "team",
        "fn-note",
        "fnref-note",
        "fnref-note-2",
        "user-content-fn-note",
    ] {
        assert!(doc.has_github_anchor(anchor), "{anchor}");
    }
    assert!(!doc.has_github_anchor("fn-other"));
    assert!(!doc.has_github_anchor("uber-uns"));
}

#[test]
fn rst_roles_are_cross_references() {
    let doc = Document::parse(
        "docs/index.rst",
        "Title\n=====\n\nSee :doc:`tutorial/start` and :ref:`the setup <setup>`.\n".to_string(),
    );
    let links: Vec<_> = doc
        .links
        .iter()
        .map(|l| (l.kind, l.target.as_str()))
        .collect();
    assert_eq!(
        links,
        vec![
            (LinkKind::CrossReference, "tutorial/start"),
            (LinkKind::CrossReference, "#setup")
        ]
    );
}
