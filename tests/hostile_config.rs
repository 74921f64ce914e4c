//! Issue 21, items 4, 8 and 10: hostile configurations, rule packs and baselines. Each reproducer
//! runs under a memory limit and a deadline (see `bounded`) and must end in exit 2 with a
//! message that names the file and what is wrong, or pass quickly.

mod bounded;

use bounded::*;

const PACK_HEAD: &str = "[[rule]]\nid = \"acme/forbidden\"\ntitle = \"t\"\npetal = \"legal\"\nstage = \"strategy\"\nseverity = \"error\"\nprofiles = [\"project\"]\nrationale = \"r\"\nfix = \"f\"\n[rule.check.content-pattern]\nartifact = \"contributing\"\n[[rule.check.content-pattern.forbid]]\ndescription = \"x\"\n";

#[test]
fn a_rule_pack_regex_too_large_to_compile_is_an_error_at_its_line() {
    let pack = format!("{PACK_HEAD}pattern = '[\\s\\S]{{5000}}'\n");
    let repo = repository(&[
        ("README.md", b"# Project\n"),
        ("CONTRIBUTING.md", b"# Contributing\n"),
        ("ospolint.toml", b"rule_packs = [\"acme.toml\"]\n"),
        ("acme.toml", pack.as_bytes()),
    ]);
    let output = run(repo.path(), &["check", "."]);
    assert_eq!(code(&output), 2);
    let err = stderr_flat(&output);
    assert!(
        err.contains("acme.toml: regular expression `[\\s\\S]{5000}` is too large to compile"),
        "{err}"
    );
    assert!(err.contains("acme.toml:14:11]"), "{err}");
}

#[test]
fn reserved_rule_ids_cannot_be_defined_by_a_pack_or_a_plugin() {
    for id in [
        "plugin/error",
        "baseline/stale",
        "exemption/expired",
        "suppression/unused",
    ] {
        let pack = PACK_HEAD.replace("acme/forbidden", id) + "pattern = 'x'\n";
        let repo = repository(&[
            ("README.md", b"# Project\n"),
            ("ospolint.toml", b"rule_packs = [\"acme.toml\"]\n"),
            ("acme.toml", pack.as_bytes()),
        ]);
        let output = run(repo.path(), &["check", "."]);
        assert_eq!(code(&output), 2, "{id}");
        let err = stderr_flat(&output);
        assert!(
            err.contains(&format!("rule id `{id}` is reserved")),
            "{err}"
        );
        assert!(err.contains("acme.toml:2:6]"), "{err}");

        let plugin = format!(
            "return {{ {{ id = \"{id}\", title = \"t\", petal = \"ospo\", stage = \"awareness\", severity = \"info\", profiles = {{ \"project\" }}, rationale = \"r\", fix = \"f\", check = function() end }} }}\n"
        );
        let repo = repository(&[("README.md", b"# Project\n"), ("p.lua", plugin.as_bytes())]);
        let output = run(repo.path(), &["check", ".", "--plugin", "p.lua"]);
        assert_eq!(code(&output), 2, "{id}");
        assert!(
            stderr_flat(&output).contains(&format!("rule id `{id}` is reserved")),
            "{}",
            stderr_flat(&output)
        );
    }
}

#[test]
fn configuration_files_that_are_no_files_say_what_they_are() {
    let repo = repository(&[("README.md", b"# Project\n")]);
    let fifo = repo.path().join("fifo.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let dir = repo.path().display().to_string();
    let fifo = fifo.display().to_string();
    for (path, what) in [
        ("/dev/null", "is a character device, not a regular file"),
        ("/dev/zero", "is a character device, not a regular file"),
        (dir.as_str(), "is a directory, not a regular file"),
        (fifo.as_str(), "is a FIFO (named pipe), not a regular file"),
        ("missing.toml", "missing.toml: no such file"),
    ] {
        for command in [&["check", "."][..], &["test"]] {
            let args = [command, &["--config", path]].concat();
            let output = run(repo.path(), &args);
            assert_eq!(code(&output), 2, "{command:?} --config {path}");
            let err = stderr_flat(&output);
            assert!(err.contains(what), "{command:?} --config {path}: {err}");
            assert!(err.contains("expected a TOML configuration file"), "{err}");
        }
    }
    // The same for a baseline and a rule pack.
    let output = run(repo.path(), &["check", ".", "--baseline", "/dev/zero"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr_flat(&output).contains(
            "/dev/zero is a character device, not a regular file: expected a JSON baseline file"
        ),
        "{}",
        stderr_flat(&output)
    );
    // Named as a repository's configuration names its files: relative to it.
    std::fs::write(
        repo.path().join("ospolint.toml"),
        "rule_packs = [\"fifo.toml\"]\n",
    )
    .expect("config");
    let output = run(repo.path(), &["check", "."]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr_flat(&output)
            .contains("is a FIFO (named pipe), not a regular file: expected a TOML rule pack"),
        "{}",
        stderr_flat(&output)
    );
}

#[test]
fn byte_order_marks_are_accepted() {
    let pack = format!("\u{feff}{PACK_HEAD}pattern = 'forbidden words'\n");
    let config = "\u{feff}rule_packs = [\"acme.toml\"]\n";
    let repo = repository(&[
        ("README.md", b"# Project\n"),
        ("CONTRIBUTING.md", b"# Contributing\n\nforbidden words\n"),
        ("ospolint.toml", config.as_bytes()),
        ("acme.toml", pack.as_bytes()),
    ]);
    let written = run(
        repo.path(),
        &["check", ".", "--write-baseline", "baseline.json"],
    );
    assert_eq!(code(&written), 0, "{}", stderr_flat(&written));
    let baseline = std::fs::read_to_string(repo.path().join("baseline.json")).expect("baseline");
    assert!(baseline.contains("acme/forbidden"), "{baseline}");
    std::fs::write(
        repo.path().join("baseline.json"),
        format!("\u{feff}{baseline}"),
    )
    .expect("bom");
    let output = run(
        repo.path(),
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr_flat(&output));
    let (_, rules) = plugin_errors(&output);
    assert!(!rules.iter().any(|r| r == "acme/forbidden"), "{rules:?}");
}

#[test]
fn oversized_configuration_and_baselines_are_refused_before_parsing() {
    let value = format!("exclude = [\"{}\"]\n", "a".repeat(20_000_000));
    let repo = repository(&[
        ("README.md", b"# Project\n"),
        ("ospolint.toml", value.as_bytes()),
    ]);
    let output = run(repo.path(), &["check", "."]);
    assert_eq!(code(&output), 2);
    let err = stderr_flat(&output);
    assert!(
        err.contains(
            "ospolint.toml is 20000015 bytes; configuration files are limited to 1048576 bytes"
        ),
        "{err}"
    );

    let exemptions: String = (0..20_000)
        .map(|i| format!("[[exemptions]]\nrule = \"hygiene/placeholder-text\"\npaths = [\"docs/f{i}.md\"]\nreason = \"legacy {i}\"\n\n"))
        .collect();
    std::fs::write(repo.path().join("ospolint.toml"), exemptions).expect("config");
    let output = run(repo.path(), &["check", "."]);
    assert_eq!(code(&output), 2);
    assert!(stderr_flat(&output).contains("configuration files are limited to 1048576 bytes"));

    let baseline = repo.path().join("baseline.json");
    let file = std::fs::File::create(&baseline).expect("baseline");
    file.set_len(100_000_000).expect("sparse 100 MB");
    std::fs::remove_file(repo.path().join("ospolint.toml")).expect("rm");
    let output = run(repo.path(), &["check", ".", "--baseline", "baseline.json"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr_flat(&output)
            .contains("baseline.json is 100000000 bytes; baselines are limited to 67108864 bytes"),
        "{}",
        stderr_flat(&output)
    );
}

#[test]
fn thousands_of_exemptions_load_in_linear_time() {
    // 9,000 entries fit under the size limit; numbering each entry's line by counting the
    // newlines before it took 20 s.
    let exemptions: String = (0..9_000)
        .map(|i| format!("[[exemptions]]\nrule = \"hygiene/placeholder-text\"\npaths = [\"docs/f{i}.md\"]\nreason = \"legacy {i}\"\n\n"))
        .collect();
    let repo = repository(&[
        ("README.md", b"# Project\n\nTODO\n"),
        ("docs/f8999.md", b"# Doc\n\nTODO: write this\n"),
        ("ospolint.toml", exemptions.as_bytes()),
    ]);
    let output = run(repo.path(), &["check", ".", "--format", "json"]);
    assert!(code(&output) < 2, "{}", stderr_flat(&output));
    let report = stdout(&output);
    assert!(report.contains("\"suppressed_by\""), "{report}");
}
