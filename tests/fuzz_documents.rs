//! A bounded random run of the document and front matter parsers in `cargo test`, for machines
//! without the nightly toolchain `fuzz/` needs: the fixtures' documents, mutated with the tokens
//! that steer the parsers (front matter fences, brackets, backticks, directives, line ends, a BOM).
//! `PROPTEST_CASES` sets the number of cases (default 300, a few seconds); a failing case prints
//! its seed and input.

use std::path::{Path, PathBuf};

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

/// xorshift64*: the same cases on every machine, no crate needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("md" | "rst" | "adoc")
            ) {
                if let Ok(bytes) = std::fs::read(&path) {
                    if bytes.len() < 64 * 1024 {
                        out.push((path.to_string_lossy().into_owned(), bytes));
                    }
                }
            }
        }
    }
    out
}

fn mutate(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..=rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let times = 1 + rng.below(40);
                for _ in 0..times {
                    bytes.splice(at..at, token.iter().copied());
                }
            }
            1 if at < bytes.len() => bytes[at] = rng.next() as u8,
            2 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let from = rng.below(bytes.len() + 1);
                let end = (from + rng.below(256)).min(bytes.len());
                let piece = bytes[from..end].to_vec();
                bytes.splice(at..at, piece);
            }
        }
    }
    bytes
}

#[test]
fn documents_and_front_matter_parse_without_panics_and_with_spans_inside() {
    let seeds = seeds();
    assert!(!seeds.is_empty(), "the fixtures hold documents");
    let cases: usize = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    for case in 0..cases {
        let seed = 0x9e37_79b9_7f4a_7c15 ^ case as u64;
        let mut rng = Rng(seed);
        let (name, bytes) = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, bytes.clone());
        let shown = String::from_utf8_lossy(&input[..input.len().min(400)]).into_owned();
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
