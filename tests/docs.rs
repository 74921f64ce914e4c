//! Documentation generated from code must not drift from it.

mod common;

use common::*;

#[test]
fn rules_reference_is_current() {
    let out = ospolint(&["rules", "--format", "markdown"]);
    assert_eq!(code(&out), 0);
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        committed == stdout(&out),
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}
