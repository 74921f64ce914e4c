//! Issue 21, items 2, 3, 4 (documents), 5, 6, 7 and 9: what a checked repository's files can do
//! to ospolint, and what ospolint writes. Each reproducer runs under a memory limit and a
//! deadline (see `bounded`) and checks the exit code and the kind of message.

#![cfg(unix)]

mod bounded;

use std::os::unix::fs::symlink;

use bounded::*;

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("the report is valid JSON")
}

/// The findings of one rule in the report of a single repository.
fn findings_of<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    report["repositories"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn mkfifo(path: &std::path::Path) {
    let c = std::ffi::CString::new(path.to_str().expect("utf-8")).expect("path");
    // SAFETY: a valid C string; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[test]
fn a_one_line_readme_of_a_megabyte_of_placeholders_is_linear() {
    let readme = format!("# T\n{}\n", "TODO ".repeat(200_000));
    let repo = repository(&[("README.md", readme.as_bytes())]);
    let output = run(repo.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code(&output), 1, "{}", stderr_flat(&output));
    let report = json(&output);
    let placeholders = findings_of(&report, "hygiene/placeholder-text");
    assert!(!placeholders.is_empty() && placeholders.len() <= 101);
}

#[test]
fn findings_past_a_hundred_per_file_and_rule_are_summed_up_in_every_format() {
    let line: String = (0..80_000).map(|i| format!("[a](m{i}) ")).collect();
    let repo = repository(&[("README.md", format!("# T\n{line}\n").as_bytes())]);
    let output = run(repo.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code(&output), 1);
    let report = json(&output);
    let links = findings_of(&report, "hygiene/broken-relative-link");
    assert_eq!(links.len(), 101);
    let summary = "and 79,900 more findings like this in README.md";
    assert!(links.iter().any(|f| f["message"]
        .as_str()
        .is_some_and(|m| m.starts_with(summary))));
    for format in ["human", "sarif", "markdown", "github", "junit"] {
        let output = run(repo.path(), &["check", ".", "--format", format]);
        assert_eq!(code(&output), 1, "{format}");
        if format != "markdown" {
            assert!(stdout(&output).contains(summary), "{format}");
        }
    }
}

/// `N errors, M warnings, K infos` of a human report's last line.
fn human_counts(output: &std::process::Output) -> [u64; 3] {
    let text = stdout(output);
    let last = text.lines().last().unwrap_or_default().to_string();
    let words: Vec<&str> = last.split([' ', ',']).collect();
    let count = |word: &str| -> u64 {
        words
            .iter()
            .position(|w| w.starts_with(word))
            .and_then(|i| words[i - 1].parse().ok())
            .unwrap_or_else(|| panic!("no {word} count in {last:?}"))
    };
    [count("error"), count("warning"), count("info")]
}

#[test]
fn a_summing_up_finding_counts_as_the_findings_it_stands_for() {
    // 130 infos, then 7 errors and 3 warnings (a report may lower its rule's severity): all of
    // the errors and warnings are past the hundred findings listed, so only the summing-up
    // findings carry them.
    let body = r#"for i = 1, 130 do repo:report{ message = "info " .. i, path = "README.md", severity = "info" } end
for i = 1, 7 do repo:report{ message = "error " .. i, path = "README.md" } end
for i = 1, 3 do repo:report{ message = "warning " .. i, path = "README.md", severity = "warning" } end"#;
    // The other rules' errors off: the summing-up finding alone must fail the gate.
    let config = [
        "community/code-of-conduct",
        "contributing/guide-present",
        "governance/maintainers",
        "governance/model",
        "legal/license-file",
        "security/policy",
    ]
    .map(|rule| format!("\"{rule}\" = \"off\"\n"))
    .concat();
    let repo = repository(&[
        ("README.md", b"# Project\n"),
        ("ospolint.toml", format!("[rules]\n{config}").as_bytes()),
        (
            "counts.lua",
            plugin("", "counts", body)
                .replace(
                    "severity = \"info\", profiles",
                    "severity = \"error\", profiles",
                )
                .as_bytes(),
        ),
    ]);
    let output = run(
        repo.path(),
        &["check", ".", "--format", "json", "--plugin", "counts.lua"],
    );
    let report = json(&output);
    let [mut errors, mut warnings, mut infos] = [0u64; 3];
    let mut summed_up = Vec::new();
    for finding in report["repositories"][0]["findings"]
        .as_array()
        .expect("findings")
    {
        let message = finding["message"].as_str().unwrap_or_default();
        if finding["rule"] == "hostile/counts" && message.starts_with("and ") {
            summed_up.push((
                finding["severity"].as_str().unwrap_or_default().to_string(),
                message.to_string(),
            ));
            continue;
        }
        match finding["severity"].as_str() {
            Some("error") => errors += 1,
            Some("warning") => warnings += 1,
            _ => infos += 1,
        }
    }
    // Each severity left out is summed up on its own.
    let mut shown: Vec<(&str, &str)> = summed_up
        .iter()
        .map(|(s, m)| (s.as_str(), m.split(" (").next().unwrap_or_default()))
        .collect();
    shown.sort();
    assert_eq!(
        shown,
        [
            ("error", "and 7 more findings like this in README.md"),
            ("info", "and 30 more findings like this in README.md"),
            ("warning", "and 3 more findings like this in README.md"),
        ]
    );
    assert_eq!(errors, 0, "only the summing-up finding carries errors");
    let expected = [7, warnings + 3, infos + 30];
    let summary = &report["summary"];
    assert_eq!(
        [&summary["errors"], &summary["warnings"], &summary["infos"]]
            .map(|v| v.as_u64().unwrap_or_default()),
        expected
    );
    let human = run(repo.path(), &["check", ".", "--plugin", "counts.lua"]);
    assert_eq!(code(&human), 1, "{}", stderr_flat(&human));
    assert_eq!(human_counts(&human), expected, "{}", stdout(&human));
    assert!(stdout(&human).contains("gate failed"));
    // Its errors past the hundred listed fail the gate that counts errors only.
    let gate = run(
        repo.path(),
        &["check", ".", "--plugin", "counts.lua", "--fail-on", "error"],
    );
    assert_eq!(code(&gate), 1, "{}", stdout(&gate));
}

#[test]
fn one_line_of_images_references_or_directives_stays_within_its_limits() {
    let nested = format!(
        "# T\n{}x{}\n",
        "![".repeat(20_000),
        "](a.png)".repeat(20_000)
    );
    let definitions: String = (0..40_000).map(|i| format!("[{i}]: m{i} ")).collect();
    let uses: String = (0..40_000).map(|i| format!("[x][{i}] ")).collect();
    let references = format!("# T\n{definitions}\n{uses}\n");
    let directives: String = (0..60_000).map(|i| format!(":doc:`m{i}` ")).collect();
    for readme in [nested, references, format!("# T\n{directives}\n")] {
        assert!(readme.len() < 1024 * 1024, "under the default size cap");
        let repo = repository(&[("README.md", readme.as_bytes())]);
        let output = run(repo.path(), &["check", ".", "--format", "json"]);
        assert_eq!(code(&output), 1, "{}", stderr_flat(&output));
        json(&output);
    }
}

#[test]
fn sarif_of_three_documents_of_empty_headings_stays_small() {
    let doc = "#\n".repeat(400_000);
    let repo = repository(&[
        ("a.md", doc.as_bytes()),
        ("b.md", doc.as_bytes()),
        ("c.md", doc.as_bytes()),
    ]);
    let output = run(repo.path(), &["check", ".", "--format", "sarif"]);
    assert_eq!(code(&output), 1);
    json(&output);
    assert!(
        output.stdout.len() < 8 << 20,
        "{} bytes",
        output.stdout.len()
    );
}

#[test]
fn fifos_devices_and_links_out_are_notes_and_never_block() {
    let repo = repository(&[("docs/guide.md", b"# Guide\n")]);
    let root = repo.path();
    mkfifo(&root.join(".pipe"));
    symlink(".pipe", root.join("README.md")).unwrap();
    symlink("/dev/zero", root.join(".gitignore")).unwrap();
    symlink("/dev/urandom", root.join("CONTRIBUTING.md")).unwrap();
    mkfifo(&root.join("docs/.gitignore"));
    let output = run(root, &["check", "."]);
    assert_eq!(code(&output), 1, "{}", stderr_flat(&output));
    let report = stdout(&output);
    for note in [
        "note: .pipe: not read: it is a FIFO (named pipe), not a regular file",
        "note: README.md: symlink not followed: it points at a FIFO (named pipe)",
        "note: .gitignore: not read: it is a symlink, and git reads only a regular .gitignore",
        "note: CONTRIBUTING.md: symlink not followed: it points outside the repository",
        "note: docs/.gitignore: not read: it is a FIFO (named pipe)",
    ] {
        assert!(report.contains(note), "{note}\n{report}");
    }
}

#[test]
fn git_pointer_files_that_never_end_are_not_read() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join("README.md"), "# T\n").unwrap();
    symlink("/dev/zero", repo.path().join(".git")).unwrap();
    let output = run(repo.path(), &["check", "."]);
    assert_eq!(code(&output), 1, "{}", stderr_flat(&output));
    std::fs::remove_file(repo.path().join(".git")).unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    symlink("/dev/zero", repo.path().join(".git/commondir")).unwrap();
    let output = run(repo.path(), &["check", "."]);
    assert_eq!(code(&output), 1, "{}", stderr_flat(&output));
}

#[test]
fn deeply_nested_front_matter_is_a_note_not_a_parse() {
    let readme = format!("---\n{}\n---\n# T\n", "{a: ".repeat(100_000));
    let repo = repository(&[("README.md", readme.as_bytes())]);
    let output = run(repo.path(), &["check", "."]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).contains("note: README.md: front matter does not parse: it is"));
    let readme = format!("---\n{}\n---\n# T\n", "{a: ".repeat(10_000));
    std::fs::write(repo.path().join("README.md"), readme).unwrap();
    let output = run(repo.path(), &["check", "."]);
    assert!(stdout(&output).contains("brackets nest deeper than 32 levels"));
}

#[test]
fn a_repositorys_configuration_cannot_name_files_outside_it() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.toml"), "SECRET_TOKEN = 1\n").unwrap();
    let repo = outer.path().join("q");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    symlink("..", repo.join("up")).unwrap();
    std::fs::write(repo.join("acme.toml"), "").unwrap();
    let leads_out = "leads outside the folder of this configuration file";
    let absolute = "absolute paths are not accepted in a repository's configuration; name it relative to the configuration";
    let inside = repo.canonicalize().unwrap().join("acme.toml");
    let inside = format!("rule_packs = [\"{}\"]", inside.display());
    for (named, expected) in [
        ("rule_packs = [\"/proc/self/environ\"]", absolute),
        // Inside the folder, but absolute: where it leads depends on the checkout.
        (inside.as_str(), absolute),
        ("rule_packs = [\"../secret.toml\"]", leads_out),
        ("rule_packs = [\"up/secret.toml\"]", leads_out),
        ("plugins = [\"up/*.lua\"]", leads_out),
        ("tree_file = \"../secret.toml\"", leads_out),
    ] {
        std::fs::write(repo.join("ospolint.toml"), named).unwrap();
        let output = run(&repo, &["check", "."]);
        assert_eq!(code(&output), 2, "{named}");
        let message = stderr_flat(&output);
        assert!(message.contains(expected), "{named}: {message}");
        assert!(!message.contains("SECRET_TOKEN") && !message.contains("OSPOLINT_TODAY="));
    }
    // Named relative to the configuration, the same pack loads.
    std::fs::write(repo.join("ospolint.toml"), "rule_packs = [\"acme.toml\"]").unwrap();
    let output = run(&repo, &["check", "."]);
    assert_ne!(code(&output), 2, "{}", stderr_flat(&output));
}

#[test]
fn init_never_writes_through_a_link_nor_waits_on_a_fifo() {
    let outer = tempfile::tempdir().unwrap();
    let victim = outer.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let repo = outer.path().join("q");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    symlink("../victim.txt", repo.join("ospolint.toml")).unwrap();
    let output = run(&repo, &["init", ".", "--force"]);
    assert_eq!(code(&output), 2);
    assert!(stderr_flat(&output).contains("is a symlink; only a regular file is replaced"));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");

    std::fs::remove_file(repo.join("ospolint.toml")).unwrap();
    symlink("../created.txt", repo.join("ospolint.toml")).unwrap();
    let output = run(&repo, &["init", "."]);
    assert_eq!(code(&output), 2);
    assert!(stderr_flat(&output).contains("already exists; not overwritten"));
    assert!(!outer.path().join("created.txt").exists());

    std::fs::remove_file(repo.join("ospolint.toml")).unwrap();
    mkfifo(&repo.join("ospolint.toml"));
    let output = run(&repo, &["init", ".", "--force"]);
    assert_eq!(code(&output), 2);
    assert!(stderr_flat(&output).contains("is a FIFO (named pipe)"));

    std::fs::remove_file(repo.join("ospolint.toml")).unwrap();
    std::fs::write(repo.join("ospolint.toml"), "old").unwrap();
    let output = run(&repo, &["init", ".", "--force"]);
    assert_eq!(code(&output), 0, "{}", stderr_flat(&output));
    assert!(std::fs::read_to_string(repo.join("ospolint.toml"))
        .unwrap()
        .contains("profile"));
}

#[test]
fn reports_replace_their_file_whole_and_a_failed_write_is_exit_2() {
    let repo = repository(&[("README.md", b"# T\n")]);
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("kept.txt");
    std::fs::write(&target, "kept").unwrap();
    symlink(&target, repo.path().join("report.json")).unwrap();
    let output = run(repo.path(), &["check", ".", "--output", "json=report.json"]);
    assert_eq!(code(&output), 1);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept");
    let written = std::fs::read(repo.path().join("report.json")).unwrap();
    serde_json::from_slice::<serde_json::Value>(&written).expect("a whole report");
    let leftovers = std::fs::read_dir(repo.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(leftovers, 0);

    let output = run(
        repo.path(),
        &[
            "check",
            ".",
            "--fail-on",
            "never",
            "--output",
            "json=/dev/full",
        ],
    );
    assert_eq!(code(&output), 2);
    assert!(stderr_flat(&output).contains("--output /dev/full: cannot write the report"));

    // Standard output on a full device: through a shell, as CI would redirect it.
    let status = std::process::Command::new("timeout")
        .args([
            "60",
            env!("CARGO_BIN_EXE_ospolint"),
            "check",
            ".",
            "--fail-on",
            "never",
        ])
        .current_dir(repo.path())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&status.stderr).contains("cannot write to standard output"));
}

#[test]
fn control_characters_from_a_repository_never_reach_the_terminal() {
    let repo = repository(&[
        ("README.md", b"# T\x1b]0;pwned\x07\n\nTODO\x1b[2J here\n"),
        ("bad\x1b[31mname.md", b"x\n"),
        ("docs/\x1b]8;;http://x\x1b\\link.md", b"[a](missing.md)\n"),
    ]);
    for format in ["human", "markdown", "github", "junit"] {
        let output = run(
            repo.path(),
            &["check", ".", "--color", "never", "--format", format],
        );
        assert_eq!(code(&output), 1, "{format}");
        assert!(
            !output.stdout.contains(&0x1b),
            "{format}: {}",
            stdout(&output)
        );
        assert!(!output.stderr.contains(&0x1b), "{format}");
    }
    for format in ["json", "sarif"] {
        let output = run(repo.path(), &["check", ".", "--format", format]);
        json(&output);
    }
}

#[test]
fn control_characters_from_a_repository_never_reach_the_terminal_in_maturity_reports() {
    let name = "acme\x1b]0;pwned\x07";
    let files: Vec<(String, &[u8])> = vec![
        (format!("{name}/.git/HEAD"), b"ref: refs/heads/main\n"),
        (
            format!("{name}/README.md"),
            b"# Acme\x1b]0;pwned\x07\n\nA project.\n",
        ),
        (
            format!("{name}/CODE_OF_CONDUCT\x1b[31m.md"),
            b"# Code of \x1b[2Jconduct\n\nBe kind.\n",
        ),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    let repo = repository(&files);
    for format in ["human", "markdown"] {
        let output = run(
            repo.path(),
            &["maturity", name, "--verbose", "--format", format],
        );
        assert_eq!(code(&output), 0, "{format}: {}", stderr_flat(&output));
        assert!(
            !output.stdout.contains(&0x1b) && !output.stderr.contains(&0x1b),
            "{format}: {}",
            stdout(&output)
        );
        // The repository's text is there, escaped: the report did not leave it out.
        assert!(
            stdout(&output).contains("acme\\u{1b}]0;pwned\\u{7}"),
            "{format}: {}",
            stdout(&output)
        );
    }
    let output = run(repo.path(), &["maturity", name, "--verbose"]);
    assert!(stdout(&output).contains("CODE_OF_CONDUCT\\u{1b}[31m.md"));
}
