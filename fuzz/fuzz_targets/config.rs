//! `ospolint.toml` as a repository's own (discovered) configuration, on any bytes: loaded, or an
//! error with a message, never a panic. Seed corpus: `fuzz/seed.sh`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ospolint::config::SettingsCache;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ospolint.toml");
    std::fs::write(&path, data).unwrap();
    if let Err(err) = SettingsCache::default().get(Some(&path)) {
        assert!(!format!("{err:?}").trim().is_empty());
    }
});
