//! `ospolint init` and the configuration schema.

mod common;

use common::{code, copy_fixture, ospolint, ospolint_in, stderr, stdout, write};

#[test]
fn init_writes_a_commented_configuration_that_loads() {
    let repo = copy_fixture("broken-links");
    let output = ospolint_in(repo.path(), &["init"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let config = std::fs::read_to_string(repo.path().join("ospolint.toml")).unwrap();
    insta::assert_snapshot!("init_config_broken_links", config);
    insta::assert_snapshot!("init_stdout_broken_links", stdout(&output));
    // The file is a valid configuration.
    let output = ospolint_in(repo.path(), &["check", "--format", "json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
}

#[test]
fn init_detects_an_ospo_repository() {
    let repo = copy_fixture("ospo-handbook");
    assert_eq!(code(&ospolint(&["init", repo.path().to_str().unwrap()])), 0);
    let config = std::fs::read_to_string(repo.path().join("ospolint.toml")).unwrap();
    assert!(config.contains("profile = \"ospo\""), "{config}");
    assert!(
        config.contains("Detected: auto: OSPO charter at ospo/CHARTER.md and"),
        "{config}"
    );
}

#[test]
fn init_on_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = ospolint(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let config = std::fs::read_to_string(dir.path().join("ospolint.toml")).unwrap();
    assert!(config.starts_with("#:schema https://"));
    assert!(config.contains("profile = \"project\""));
    assert!(
        config.contains("target_stage = \"awareness\"")
            || config.contains("target_stage = \"ad-hoc\""),
        "{config}"
    );
}

#[test]
fn init_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ospolint.toml", "profile = \"ospo\"\n");
    let output = ospolint_in(dir.path(), &["init"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("already exists"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ospolint.toml")).unwrap(),
        "profile = \"ospo\"\n"
    );

    let output = ospolint_in(dir.path(), &["init", "--force"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(std::fs::read_to_string(dir.path().join("ospolint.toml"))
        .unwrap()
        .starts_with("#:schema"));
}

#[test]
fn init_refuses_a_missing_directory() {
    let output = ospolint(&["init", "no/such/dir"]);
    assert_eq!(code(&output), 2);
}

/// `schema/ospolint.schema.json` is generated; regenerate it with
/// `UPDATE_SCHEMA=1 cargo test --test init` (or `ospolint schema > schema/ospolint.schema.json`).
#[test]
fn the_committed_schema_matches_the_configuration_types() {
    let output = ospolint(&["schema"]);
    assert_eq!(code(&output), 0);
    let generated = stdout(&output);
    let path = common::root().join("schema/ospolint.schema.json");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/ospolint.schema.json is out of date: run `UPDATE_SCHEMA=1 cargo test --test init`"
    );
}

#[test]
fn the_schema_knows_every_key_init_writes() {
    let schema: serde_json::Value = serde_json::from_str(&stdout(&ospolint(&["schema"]))).unwrap();
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown keys are flagged by editors"
    );
    let properties = schema["properties"].as_object().unwrap();
    for key in [
        "profile",
        "target_stage",
        "exclude",
        "template",
        "rules",
        "exemptions",
    ] {
        assert!(properties.contains_key(key), "{key}");
    }
    let exemption = &schema["$defs"]["ExemptionSpec"];
    assert_eq!(exemption["required"], serde_json::json!(["rule", "reason"]));
}
