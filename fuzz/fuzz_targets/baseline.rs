//! A baseline file (`--baseline`), on any bytes: loaded, or an error with a message, never a
//! panic. Seed corpus: `fuzz/seed.sh`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ospolint::suppress::Baseline;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    std::fs::write(&path, data).unwrap();
    if let Err(err) = Baseline::load(&path) {
        assert!(!format!("{err:?}").trim().is_empty());
    }
});
