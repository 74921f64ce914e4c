//! Issue 21, item 1: Lua limits a plugin could escape. Each reproducer runs under a memory limit
//! and a deadline (see `bounded`). The single-rule cases are also in the hostile plugin suite
//! (`fixtures/plugins/hostile`, `tests/plugins.rs`); these need a repository, a configuration,
//! several plugins or `ospolint test` of their own.

mod bounded;

use bounded::*;

#[test]
fn a_looping_xpcall_handler_at_a_plugins_top_level_is_stopped() {
    let repo = repository(&[("README.md", b"# Project\n")]);
    let top = "xpcall(function() while true do end end, function() while true do end end)";
    std::fs::write(repo.path().join("top.lua"), plugin(top, "top", "")).expect("plugin");
    let output = run(repo.path(), &["check", ".", "--plugin", "top.lua"]);
    assert_eq!(code(&output), 2, "{}", stderr_flat(&output));
    let err = stderr_flat(&output);
    assert!(
        err.contains("loading the plugin took more than 10000000 instructions"),
        "{err}"
    );
}

#[test]
fn a_looping_xpcall_handler_under_ospolint_test_is_stopped() {
    let repo = repository(&[("case/README.md", b"# Project\n")]);
    std::fs::create_dir(repo.path().join("case/.git")).expect(".git");
    let body = "xpcall(function() while true do end end, function() while true do end end)";
    let text = plugin("", "handler", body).replace(
        "} }\n",
        "}, tests = { { name = \"loops\", fixture = \"case\", expect = {} } } }\n",
    );
    std::fs::write(repo.path().join("handler.lua"), text).expect("plugin");
    let output = run(repo.path(), &["test", "handler.lua"]);
    assert_eq!(code(&output), 1, "{}", stderr_flat(&output));
    let out = stdout(&output);
    assert!(out.contains("FAIL loops"), "{out}");
    assert!(
        out.contains("failed: exceeded its instruction budget of 10000000 instructions"),
        "{out}"
    );
}

#[test]
fn strings_the_host_makes_count_against_the_plugins_memory_limit() {
    // 700 reads of a 1 MB file held in a table: 700 MB in a state limited to 64 MiB.
    let line = "word ".repeat(20) + "\n";
    let big = format!("# Big\n{}", line.repeat(10_000));
    let repo = repository(&[("README.md", b"# Project\n"), ("BIG.md", big.as_bytes())]);
    let body = r#"local kept = {} for i = 1, 700 do kept[i] = repo:read("BIG.md") end"#;
    std::fs::write(repo.path().join("reads.lua"), plugin("", "reads", body)).expect("plugin");
    for jobs in ["1", "4"] {
        let output = run(
            repo.path(),
            &[
                "check",
                ".",
                "--format",
                "json",
                "--jobs",
                jobs,
                "--plugin",
                "reads.lua",
            ],
        );
        assert_eq!(code(&output), 1, "{}", stderr_flat(&output));
        let (errors, _) = plugin_errors(&output);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains(
                "rule `hostile/reads` (reads.lua:3) failed: exceeded the memory limit of 64 MiB"
            ),
            "{errors:?}"
        );
    }
}

#[test]
fn one_plugins_memory_is_not_charged_to_another() {
    // The first plugin keeps 28 MiB for the whole run, within its 64 MiB; the second needs
    // 40 MiB in each repository (a 20 MiB string built, then copied). Sharing one state, the
    // second failed everywhere.
    let repo = repository(&[
        ("a/.git/HEAD", b""),
        ("a/README.md", b"# A\n"),
        ("b/.git/HEAD", b""),
        ("b/README.md", b"# B\n"),
        ("c/.git/HEAD", b""),
        ("c/README.md", b"# C\n"),
    ]);
    let hog = plugin(
        "local kept = string.rep(\"x\", 28 * 1024 * 1024)",
        "hog",
        "  assert(#kept > 0)",
    );
    let innocent = plugin(
        "",
        "innocent",
        "  local s = string.rep(\"y\", 20 * 1024 * 1024)\n  repo:report{ message = \"built \" .. #s }",
    );
    std::fs::write(repo.path().join("hog.lua"), hog).expect("plugin");
    std::fs::write(repo.path().join("innocent.lua"), innocent).expect("plugin");
    for jobs in ["1", "2"] {
        let output = run(
            repo.path(),
            &[
                "check",
                "--org",
                ".",
                "--format",
                "json",
                "--jobs",
                jobs,
                "--plugin",
                "hog.lua",
                "--plugin",
                "innocent.lua",
            ],
        );
        let (errors, rules) = plugin_errors(&output);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            rules.iter().filter(|r| *r == "hostile/innocent").count(),
            3,
            "{rules:?}"
        );
    }
}

#[test]
fn utf8_len_in_a_loop_is_stopped_within_the_time_limit() {
    let repo = repository(&[
        ("README.md", b"# Project\n"),
        ("ospolint.toml", b"[lua]\ntime_limit = 1\n"),
    ]);
    let body = r#"local s = ("x"):rep(25e6) for _ = 1, 1e9 do utf8.len(s) end"#;
    std::fs::write(repo.path().join("utf8.lua"), plugin("", "utf8", body)).expect("plugin");
    let output = run(
        repo.path(),
        &["check", ".", "--format", "json", "--plugin", "utf8.lua"],
    );
    assert_eq!(code(&output), 1, "{}", stderr_flat(&output));
    let (errors, _) = plugin_errors(&output);
    assert_eq!(errors.len(), 1, "{errors:?}");
    // Which limit comes first depends on the machine's speed; either stops the loop.
    assert!(
        errors[0].contains("exceeded its instruction budget")
            || errors[0].contains("exceeded its time limit of 1 s"),
        "{errors:?}"
    );
}

#[test]
fn error_values_print_the_same_in_every_run() {
    let repo = repository(&[("README.md", b"# Project\n")]);
    let body = "  local value = setmetatable({}, { __name = \"Acme Error\" })\n  error(value)";
    std::fs::write(repo.path().join("named.lua"), plugin("", "named", body)).expect("plugin");
    let args = ["check", ".", "--format", "json", "--plugin", "named.lua"];
    let first = run(repo.path(), &args);
    let second = run(repo.path(), &args);
    assert_eq!(code(&first), 1);
    assert_eq!(stdout(&first), stdout(&second));
    assert!(!stdout(&first).contains("0x"), "{}", stdout(&first));
    let (errors, _) = plugin_errors(&first);
    assert!(
        errors[0].contains("raised a value named `Acme Error` as its error value"),
        "{errors:?}"
    );
}

#[test]
fn values_made_strings_in_reports_and_prints_carry_no_address() {
    let repo = repository(&[("README.md", b"# Project\n")]);
    let body = r#"  local named = setmetatable({}, { __name = "Acme Thing" })
  local text = "got " .. tostring({}) .. ", " .. tostring(print) .. ", "
    .. tostring(coroutine.create(function() end)) .. ", " .. tostring(named) .. ", "
    .. string.format("%s", repo)
  -- `%p` writes a bare address: refused.
  local written, refused = pcall(string.format, "%p", {})
  text = text .. ", " .. tostring(written) .. ": " .. refused
  print(text)
  repo:report{ message = text, help = "see " .. tostring({}) }"#;
    std::fs::write(repo.path().join("shows.lua"), plugin("", "shows", body)).expect("plugin");
    let args = ["check", ".", "--format", "json", "--plugin", "shows.lua"];
    let first = run(repo.path(), &args);
    let second = run(repo.path(), &args);
    assert_eq!(code(&first), 1, "{}", stderr_flat(&first));
    assert_eq!(stdout(&first), stdout(&second));
    assert_eq!(stderr_flat(&first), stderr_flat(&second));
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).expect("JSON");
    let finding = report["repositories"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "hostile/shows")
        .expect("the plugin's finding")
        .clone();
    let message = finding["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("got table, function, thread, Acme Thing, "),
        "{message}"
    );
    assert!(!message.contains("0x"), "{message}");
    assert!(
        message.ends_with(", false: string.format: '%p' is not available to plugins (an address differs between runs)"),
        "{message}"
    );
    assert_eq!(finding["help"], "see table");
    assert!(
        stderr_flat(&first).contains("got table, function, thread, Acme Thing"),
        "{}",
        stderr_flat(&first)
    );
    assert!(
        !stderr_flat(&first).contains("0x"),
        "{}",
        stderr_flat(&first)
    );
}
