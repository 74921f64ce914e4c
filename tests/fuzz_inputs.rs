//! A bounded random run of the other parsers that read a repository's files, in `cargo test`
//! (the cargo-fuzz targets in `fuzz/` run the same on a nightly toolchain): the configuration, a
//! rule pack, a baseline and inline suppression comments, each mutated from real seeds with the
//! tokens that steer its parser. Every case must end in success or a clean error — an `Err` whose
//! rendering (what the binary prints before exiting 2) is not empty — never a panic.
//! `PROPTEST_CASES` sets the number of cases per parser (default 200, a few seconds each).

mod mutate;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ospolint::config::{ProfileChoice, SettingsCache};
use ospolint::engine::{check_repository, Target};
use ospolint::rule::Catalog;
use ospolint::suppress::Baseline;

const CASES: usize = 200;

/// TOML's syntax, and values that reach the checks behind it.
const TOML_TOKENS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "=",
    ",",
    "\n",
    "\r\n",
    "#",
    ".",
    "\\",
    "\\u",
    "\u{feff}",
    "\u{1b}[2J",
    "é",
    "0",
    "-1",
    "1e400",
    "18446744073709551616",
    "true",
    "nan",
    "1979-05-27",
    "**",
    "../",
    "/",
    "{repo}",
    "(?",
    "[\\s\\S]{5000}",
    "\\p{",
];

/// JSON's syntax and a baseline's keys.
const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\\",
    "\\u",
    "\\ud800",
    "null",
    "true",
    "0",
    "-",
    "1e999",
    "\"version\": ",
    "\"repositories\": ",
    "\"findings\": ",
    "\"fingerprint\": ",
    "\"rule\": ",
    "\"repository\": ",
    "\"../..\"",
    "\"/\"",
    "\u{feff}",
    "\n",
    " ",
    "é",
    "\u{1b}",
];

/// Comment syntax, directive words, rule ids and reasons.
const COMMENT_TOKENS: &[&str] = &[
    "<!--",
    "-->",
    "<!-- ospolint-disable ",
    "<!-- ospolint-enable ",
    "<!-- ospolint-disable-next-line ",
    "<!-- ospolint-disable-file ",
    "ospolint-",
    " -- ",
    "--",
    "hygiene/placeholder-text",
    "hygiene/empty-section",
    "suppression/unused",
    "a/b",
    ",",
    " ",
    "\n",
    "\r\n",
    "TODO ",
    "# ",
    "```\n",
    "\u{1b}[2J",
    "é",
    "\u{feff}",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `work`; fails the test on a panic or an error that renders as nothing.
fn no_panic(
    what: &str,
    case: usize,
    seed: u64,
    input: &[u8],
    work: impl FnOnce() -> Option<String>,
) {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Some(error)) => assert!(
            !error.trim().is_empty(),
            "{what}, case {case} (seed {seed:#x}): an error without a message\n{:?}",
            mutate::shown(input)
        ),
        Ok(None) => {}
        Err(_) => panic!(
            "{what}, case {case} (seed {seed:#x}) panicked\n{:?}",
            mutate::shown(input)
        ),
    }
}

/// A target for `check_repository` on `dir` with the default settings.
fn target(dir: &Path) -> Target {
    Target {
        root: dir.to_path_buf(),
        display: ".".to_string(),
        settings: Arc::new(ospolint::config::load(None).unwrap()),
        profile: ProfileChoice::default(),
        focus: None,
        all_documents: false,
        org_defaults: None,
    }
}

#[test]
fn configurations_load_or_fail_cleanly() {
    // The fixtures' configurations and every example in the configuration guide.
    let mut seeds = mutate::files(&root().join("fixtures"), |p| p.ends_with("ospolint.toml"));
    let guide = std::fs::read_to_string(root().join("docs/configuration.md")).unwrap();
    for (i, block) in guide.split("```toml\n").skip(1).enumerate() {
        let text = block.split("```").next().unwrap_or_default();
        seeds.push((
            format!("docs/configuration.md, example {i}"),
            text.as_bytes().to_vec(),
        ));
    }
    assert!(
        seeds.len() > 3,
        "the fixtures and the guide hold configurations"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ospolint.toml");
    for case in 0..mutate::cases(CASES) {
        let mut rng = mutate::Rng::for_case(case);
        let seed = rng.0;
        let (_, bytes) = &seeds[rng.below(seeds.len())];
        let input = mutate::mutate(&mut rng, bytes.clone(), TOML_TOKENS);
        std::fs::write(&path, &input).unwrap();
        no_panic("configuration", case, seed, &input, || {
            // Found beside a repository, as a pull request's own configuration is.
            SettingsCache::default()
                .get(Some(&path))
                .err()
                .map(|err| format!("{err:?}"))
        });
    }
}

#[test]
fn rule_packs_load_or_fail_cleanly() {
    // The built-in packs, their ids renamed so that they are new to the catalog.
    let seeds: Vec<(String, Vec<u8>)> = mutate::files(&root().join("rules"), |p| {
        p.extension().is_some_and(|e| e == "toml")
    })
    .into_iter()
    .filter_map(|(name, bytes)| {
        let text = String::from_utf8(bytes).ok()?;
        text.contains("[[rule]]")
            .then(|| (name, text.replace("id = \"", "id = \"fuzz-").into_bytes()))
    })
    .collect();
    assert!(seeds.len() > 3, "rules/ holds packs");
    for case in 0..mutate::cases(CASES) {
        let mut rng = mutate::Rng::for_case(case);
        let seed = rng.0;
        let (_, bytes) = &seeds[rng.below(seeds.len())];
        let input = mutate::mutate(&mut rng, bytes.clone(), TOML_TOKENS);
        let text = String::from_utf8_lossy(&input).into_owned();
        no_panic("rule pack", case, seed, &input, || {
            let mut catalog = Catalog::builtin().unwrap();
            catalog
                .add_pack("acme.toml", &text, "acme.toml")
                .err()
                .map(|err| format!("{:?}", miette::Report::new(err)))
        });
    }
}

#[test]
fn baselines_load_or_fail_cleanly() {
    // Baselines as `--write-baseline` writes them, of fixtures with findings.
    let dir = tempfile::tempdir().unwrap();
    let mut seeds = Vec::new();
    for fixture in ["project-gaps", "one-problem", "hygiene-precision"] {
        let report = check_repository(&target(&root().join("fixtures").join(fixture)));
        let path = dir.path().join(format!("{fixture}.json"));
        Baseline::write(
            &path,
            &[(&root().join("fixtures").join(fixture), &report.findings)],
        )
        .unwrap();
        seeds.push((fixture.to_string(), std::fs::read(&path).unwrap()));
    }
    let path = dir.path().join("baseline.json");
    for case in 0..mutate::cases(CASES) {
        let mut rng = mutate::Rng::for_case(case);
        let seed = rng.0;
        let (_, bytes) = &seeds[rng.below(seeds.len())];
        let input = mutate::mutate(&mut rng, bytes.clone(), JSON_TOKENS);
        std::fs::write(&path, &input).unwrap();
        no_panic("baseline", case, seed, &input, || {
            Baseline::load(&path).err().map(|err| format!("{err:?}"))
        });
    }
}

#[test]
fn suppression_comments_apply_or_are_reported() {
    // The fixtures' Markdown documents, checked as a repository's README: the comments are read
    // and applied to the findings the document really has.
    let seeds = mutate::files(&root().join("fixtures"), |p| {
        p.extension().is_some_and(|e| e == "md")
    });
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let target = target(repo.path());
    let known: BTreeSet<&str> = [
        "suppression/invalid",
        "suppression/unknown-rule",
        "suppression/unused",
    ]
    .into();
    for case in 0..mutate::cases(CASES) {
        let mut rng = mutate::Rng::for_case(case);
        let seed = rng.0;
        let (_, bytes) = &seeds[rng.below(seeds.len())];
        let input = mutate::mutate(&mut rng, bytes.clone(), COMMENT_TOKENS);
        std::fs::write(repo.path().join("README.md"), &input).unwrap();
        no_panic("suppression comments", case, seed, &input, || {
            let report = check_repository(&target);
            // A finding about a comment points into the document.
            for finding in report
                .findings
                .iter()
                .filter(|f| known.contains(f.rule.as_str()))
            {
                assert_eq!(finding.location.path.as_deref(), Some("README.md"));
                assert!(finding.location.line.is_some(), "{finding:?}");
            }
            None
        });
    }
}
