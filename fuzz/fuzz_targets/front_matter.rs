//! Front matter detection and parsing on any text: never a panic, and a span inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ospolint::doc::FrontMatter;

fuzz_target!(|text: &str| {
    if let Some(front) = FrontMatter::detect(text) {
        assert!(front.span.end <= text.len());
    }
});
