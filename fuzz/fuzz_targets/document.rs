//! The document model on any bytes, as Markdown, reStructuredText and AsciiDoc: never a panic,
//! and every span it reports lies inside the text. Seed corpus: `fuzz/seed.sh`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ospolint::doc::Document;

fuzz_target!(|data: &[u8]| {
    for path in ["README.md", "index.rst", "guide.adoc"] {
        if let Some(doc) = Document::from_bytes(path, data.to_vec()) {
            for heading in &doc.headings {
                assert!(heading.span.end <= doc.text.len());
            }
            for link in &doc.links {
                assert!(link.span.end <= doc.text.len());
            }
        }
    }
});
