//! A rule pack added to the built-in catalog, on any text: added, or an error with a message,
//! never a panic. Seed corpus: `fuzz/seed.sh`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ospolint::rule::Catalog;

fuzz_target!(|text: &str| {
    let mut catalog = Catalog::builtin().unwrap();
    if let Err(err) = catalog.add_pack("acme.toml", text, "acme.toml") {
        assert!(!format!("{:?}", miette::Report::new(err)).trim().is_empty());
    }
});
