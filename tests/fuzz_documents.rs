//! A bounded random run of the document and front matter parsers in `cargo test`, for machines
//! without the nightly toolchain `fuzz/` needs: the fixtures' documents, mutated with the tokens
//! that steer the parsers (front matter fences, brackets, backticks, directives, line ends, a BOM).
//! `PROPTEST_CASES` sets the number of cases (default 300, a few seconds); a failing case prints
//! its seed and input.

mod mutate;

use std::path::Path;

use ospolint::doc::{Document, FrontMatter};

const TOKENS: &[&str] = &[
    "---\n",
    "+++\n",
    "...\n",
    "{a: ",
    "[",
    "]",
    "](",
    ")",
    "![",
    "`",
    "```\n",
    "<!--",
    "-->",
    "#",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "|",
    ":doc:`",
    "`_",
    ".. ",
    "::\n",
    "= ",
    "[[",
    "]]",
    "<",
    ">",
    "\t",
    "    ",
    "é",
    "\u{1b}[2J",
    "TODO ",
    "[x]: y\n",
    "* ",
    "1. ",
];

fn seeds() -> Vec<(String, Vec<u8>)> {
    mutate::files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        |path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("md" | "rst" | "adoc")
            )
        },
    )
}

#[test]
fn documents_and_front_matter_parse_without_panics_and_with_spans_inside() {
    let seeds = seeds();
    assert!(!seeds.is_empty(), "the fixtures hold documents");
    for case in 0..mutate::cases(300) {
        let mut rng = mutate::Rng::for_case(case);
        let seed = rng.0;
        let (name, bytes) = &seeds[rng.below(seeds.len())];
        let input = mutate::mutate(&mut rng, bytes.clone(), TOKENS);
        let shown = mutate::shown(&input);
        for path in ["README.md", "index.rst", "guide.adoc"] {
            let parsed = std::panic::catch_unwind(|| {
                let doc = Document::from_bytes(path, input.clone())?;
                let inside = doc.headings.iter().all(|h| h.span.end <= doc.text.len())
                    && doc.links.iter().all(|l| l.span.end <= doc.text.len());
                Some(inside)
            });
            match parsed {
                Ok(inside) => assert!(
                    inside != Some(false),
                    "case {case} (seed {seed:#x}, from {name}) as {path}: a span outside the text\n{shown:?}"
                ),
                Err(_) => panic!("case {case} (seed {seed:#x}, from {name}) as {path} panicked\n{shown:?}"),
            }
        }
        let text = String::from_utf8_lossy(&input);
        if let Some(front) = FrontMatter::detect(&text) {
            assert!(front.span.end <= text.len(), "case {case} (seed {seed:#x})");
        }
    }
}
