//! Inline suppression comments: any bytes as a repository's README, checked with the default
//! settings, so the comments are read and applied to the findings the document really has. Never
//! a panic. Seed corpus: `fuzz/seed.sh`.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use ospolint::config::{load, ProfileChoice};
use ospolint::engine::{check_repository, Target};

fuzz_target!(|data: &[u8]| {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::write(repo.path().join("README.md"), data).unwrap();
    check_repository(&Target {
        root: repo.path().to_path_buf(),
        display: ".".to_string(),
        settings: Arc::new(load(None).unwrap()),
        profile: ProfileChoice::default(),
        focus: None,
        all_documents: false,
        org_defaults: None,
    });
});
