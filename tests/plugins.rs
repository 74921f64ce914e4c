//! Lua plugins as a user meets them: loading and its errors, the sandbox against hostile plugins,
//! `ospolint test`, configuration, the built-in Lua rule, and output that does not depend on --jobs.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use common::*;

/// Starts `ospolint` from the repository root, its output piped back.
fn spawn_ospolint(args: &[&str]) -> Child {
    command_in(&root(), args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ospolint starts")
}

/// Runs `ospolint` from the repository root and fails the test instead of hanging forever.
fn ospolint_bounded(args: &[&str]) -> Output {
    let child = spawn_ospolint(args);
    // Generous: a debug build on a busy two-core machine. A hang would never end. The output is
    // read while waiting (a watchdog thread kills the child), so a large report cannot fill the
    // pipe and block the child.
    let id = child.id();
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(Duration::from_secs(300)).is_err() {
            // The child outlived the deadline: a plugin was not stopped.
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            return true;
        }
        false
    });
    let output = child.wait_with_output().expect("output");
    let _ = done.send(());
    let killed = watchdog.join().unwrap_or(false);
    assert!(
        !killed,
        "ospolint {args:?} did not finish: a plugin was not stopped"
    );
    output
}

/// Diagnostics wrap long lines: compare text with the wrapping (and the frame) removed.
fn flat(text: &str) -> String {
    text.replace(['│', '·'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(output), stderr(output)))
}

fn all_findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["repositories"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["findings"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The messages of the findings of the given rules, in report order.
fn messages_of(report: &serde_json::Value, rules: &[&str]) -> Vec<String> {
    all_findings(report)
        .iter()
        .filter(|f| rules.iter().any(|rule| f["rule"] == *rule))
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

const EXAMPLES: [&str; 4] = [
    "plugins/adopters.lua",
    "plugins/codeowners.lua",
    "plugins/ideas-mentors.lua",
    "plugins/ospo-contact.lua",
];

/// `ospolint check` of the adopters fixtures as JSON on `jobs` threads, with the example plugins
/// and then `more` arguments.
fn check_with_examples(jobs: &str, more: &[&str]) -> Output {
    let mut args = vec![
        "check",
        "--org",
        "plugins/fixtures/adopters",
        "--format",
        "json",
        "--jobs",
        jobs,
    ];
    for file in EXAMPLES {
        args.extend(["--plugin", file]);
    }
    args.extend(more);
    ospolint_bounded(&args)
}

/// Writes `ospolint.toml` with `text` into `dir`; its path, for `--config`.
fn config_in(dir: &Path, text: &str) -> String {
    write(dir, "ospolint.toml", text);
    dir.join("ospolint.toml").display().to_string()
}

/// Copies plugin files of this repository into `dir/policy`, as a configuration's
/// `plugins = ["policy/*.lua"]` finds them.
fn copy_into_policy(dir: &Path, files: &[&str]) {
    let policy = dir.join("policy");
    std::fs::create_dir(&policy).expect("mkdir");
    for file in files {
        let name = Path::new(file).file_name().expect("name");
        std::fs::copy(root().join(file), policy.join(name)).expect("copy");
    }
}

#[test]
fn example_plugins_pass_their_own_cases() {
    let mut args = vec!["test"];
    args.extend(EXAMPLES);
    let output = ospolint_bounded(&args);
    let out = stdout(&output);
    assert_eq!(code(&output), 0, "{out}\n{}", stderr(&output));
    assert!(
        out.contains("4 plugins tested: 18 passed, 0 failed"),
        "{out}"
    );
}

/// What each hostile plugin must be reported as: the rule's plugin/error names it, its file and
/// line, and says what went wrong.
const HOSTILE: &[(&str, &str)] = &[
    ("collectgarbage-loop", "exceeded its instruction budget"),
    (
        "collectgarbage-stop",
        "collectgarbage: option 'stop' is not available",
    ),
    ("debug", "attempt to index a nil value (global 'debug')"),
    ("deep-recursion", "overflowed the stack"),
    ("endless-loop", "exceeded its instruction budget"),
    (
        "error-named",
        "raised a value named `Acme Error` as its error value",
    ),
    ("error-table", "raised a table as its error value"),
    ("gc-finalizer", "finalizers (__gc) are not available"),
    ("gmatch-bomb", "exceeded its instruction budget"),
    ("gsub-bomb", "exceeded its instruction budget"),
    ("io-open", "attempt to index a nil value (global 'io')"),
    ("load-bytecode", "load: only text chunks can be loaded"),
    (
        "load-bytecode-default-mode",
        "attempt to load a binary chunk",
    ),
    ("load-reader-budget", "exceeded its instruction budget"),
    ("loop-in-coroutine", "exceeded its instruction budget"),
    ("loop-in-pcall", "exceeded its instruction budget"),
    (
        "loop-resuming-coroutines",
        "exceeded its instruction budget",
    ),
    ("memory-bomb", "exceeded the memory limit"),
    ("memory-bomb-in-pcall", "exceeded the memory limit"),
    ("memory-bomb-table", "exceeded the memory limit"),
    ("os-execute", "attempt to index a nil value (global 'os')"),
    ("pattern-backtracking", "exceeded its instruction budget"),
    ("regex-too-large-loop", "exceeded its instruction budget"),
    (
        "report-huge-messages",
        "exceeded the memory limit of 64 MiB",
    ),
    (
        "pattern-backtracking-in-pcall",
        "exceeded its instruction budget",
    ),
    ("plain-find-quadratic", "exceeded its instruction budget"),
    ("require", "attempt to call a nil value (global 'require')"),
    (
        "returns-garbage",
        "`check` returned a table instead of nothing",
    ),
    ("sets-global", "cannot create global 'counter'"),
    ("string-dump", "attempt to call a nil value (field 'dump')"),
    ("string-dump-metatable", "attempt to call a nil value"),
    ("string-rep-bomb", "resulting string too large"),
    (
        "string-rep-empty",
        "string.rep returned 0 and 0 bytes at once",
    ),
    ("table-insert-len", "exceeded its instruction budget"),
    ("table-move-huge", "exceeded its instruction budget"),
    ("table-remove-len", "exceeded its instruction budget"),
    ("table-sort-huge", "exceeded its instruction budget"),
    ("utf8-len-loop", "exceeded its instruction budget"),
    ("xpcall-handler-loop", "exceeded its instruction budget"),
    ("yields", "attempt to yield from outside a coroutine"),
];

/// Hostile plugins that are not stopped: they are told no, and report what they were told.
const REFUSED_READS: &[(&str, &str)] = &[
    ("read-absolute", "absolute paths are not allowed"),
    ("read-parent", "`..` is not allowed"),
    ("read-symlink", "no such file in the repository"),
];

#[test]
fn hostile_plugins_are_contained_and_reported() {
    let dir = root().join("fixtures/plugins/hostile");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("hostile fixtures")
        .map(|e| {
            format!(
                "fixtures/plugins/hostile/{}",
                e.expect("entry").file_name().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        HOSTILE.len() + REFUSED_READS.len(),
        "every hostile fixture has an expectation"
    );
    let marker = Path::new("/tmp/ospolint-pwned");
    std::fs::remove_file(marker).ok();

    let mut args = vec!["check", "fixtures/plugin-target", "--format", "json"];
    for file in &files {
        args.extend(["--plugin", file.as_str()]);
    }
    let output = ospolint_bounded(&args);
    assert_eq!(
        code(&output),
        1,
        "plugin errors fail the gate\n{}",
        stderr(&output)
    );
    let findings = all_findings(&json(&output));

    for (name, expected) in HOSTILE {
        let id = format!("hostile/{name}");
        let error = findings
            .iter()
            .find(|f| {
                f["rule"] == "plugin/error"
                    && f["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(&format!("`{id}`")))
            })
            .unwrap_or_else(|| panic!("no plugin/error for {id}: {findings:#?}"));
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(&format!("(fixtures/plugins/hostile/{name}.lua:4)")),
            "{message}"
        );
        assert!(message.contains(expected), "{id}: {message}");
        assert_eq!(error["severity"], "error");
        assert!(
            !findings.iter().any(|f| f["rule"] == id.as_str()),
            "a failed rule's own findings are dropped"
        );
    }
    for (name, expected) in REFUSED_READS {
        let id = format!("hostile/{name}");
        let finding = findings
            .iter()
            .find(|f| f["rule"] == id.as_str())
            .unwrap_or_else(|| panic!("{id} reported nothing"));
        let message = finding["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("read: nil / "),
            "{id} read something: {message}"
        );
        assert!(message.contains(expected), "{id}: {message}");
    }
    assert!(!marker.exists(), "a plugin wrote outside the sandbox");
}

#[test]
fn plugin_errors_carry_a_lua_traceback() {
    let output = ospolint_bounded(&[
        "check",
        "fixtures/plugin-target",
        "--format",
        "json",
        "--plugin",
        "fixtures/plugins/hostile/loop-in-pcall.lua",
    ]);
    let findings = all_findings(&json(&output));
    let error = findings
        .iter()
        .find(|f| f["rule"] == "plugin/error")
        .expect("plugin/error");
    let help = error["help"].as_str().unwrap_or_default();
    assert!(help.contains("stack traceback:"), "{help}");
    assert!(
        help.contains("fixtures/plugins/hostile/loop-in-pcall.lua:13"),
        "{help}"
    );
}

#[test]
fn output_is_the_same_at_any_jobs_count() {
    let run = |jobs: &str| {
        let output = check_with_examples(
            jobs,
            &[
                // A failing plugin too: its errors must be as deterministic as findings.
                "--plugin",
                "fixtures/plugins/hostile/loop-in-coroutine.lua",
                "fixtures/healthy-project",
                "fixtures/ospo-handbook",
                "plugins/fixtures/ideas-mentors/short",
            ],
        );
        assert!(code(&output) <= 1, "{}", stderr(&output));
        stdout(&output)
    };
    let one = run("1");
    let eight = run("8");
    assert!(one.contains("acme/adopters-list"), "{one}");
    assert!(one.contains("acme/ideas-two-mentors"), "{one}");
    assert_eq!(one, eight);
}

#[test]
fn lua_states_are_created_per_plugin_and_thread_not_per_repository() {
    let states = |jobs: &str| -> usize {
        let output = check_with_examples(jobs, &["--lua-stats"]);
        let err = stderr(&output);
        err.lines()
            .find_map(|l| {
                l.strip_prefix("lua: ")?
                    .strip_suffix(" states created")?
                    .parse()
                    .ok()
            })
            .unwrap_or_else(|| panic!("no statistics: {err}"))
    };
    // One state per plugin file (the built-in Lua rule and the four examples) and worker thread:
    // the states the files were validated in serve the first thread, and a second thread makes
    // its own, whatever the number of repositories (5 here).
    assert_eq!(states("1"), 5);
    let two = states("2");
    assert!((5..=10).contains(&two), "{two} states at --jobs 2");
}

#[test]
fn ospolint_test_fails_with_a_readable_diff() {
    let output = ospolint_bounded(&["test", "fixtures/plugins/failing-case.lua"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    insta::assert_snapshot!("test_failing_case", stdout(&output));
}

#[test]
fn ospolint_test_exits_2_when_a_plugin_does_not_load() {
    let output = ospolint_bounded(&["test", "fixtures/plugins/broken/syntax.lua"]);
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!("load_syntax_error", stderr(&output));
}

#[test]
fn loading_errors_name_the_plugin_file_and_line() {
    let cases = [
        (
            "unknown-petal.lua",
            "unknown petal `managment`",
            "unknown-petal.lua:5",
            "did you mean `management`?",
        ),
        (
            "clash-builtin.lua",
            "rule `security/policy` is defined twice",
            "clash-builtin.lua:14",
            "already defined by a built-in rule",
        ),
        (
            "missing-fix.lua",
            "unknown field `chekc`",
            "missing-fix.lua:10",
            "did you mean `check`?",
        ),
        (
            "loop-at-load.lua",
            "took more than 10000000 instructions",
            "loop-at-load.lua",
            "fix the plugin file",
        ),
    ];
    for (file, message, place, help) in cases {
        let path = format!("fixtures/plugins/broken/{file}");
        let output = ospolint_bounded(&["check", "fixtures/plugin-target", "--plugin", &path]);
        let err = flat(&stderr(&output));
        assert_eq!(code(&output), 2, "{file}: {err}");
        assert!(err.contains(message), "{file}: {err}");
        assert!(err.contains(place), "{file}: {err}");
        assert!(err.contains(help), "{file}: {err}");
    }
}

#[test]
fn two_plugins_cannot_define_the_same_rule() {
    let output = ospolint_bounded(&[
        "test",
        "plugins/adopters.lua",
        "--plugin",
        "plugins/adopters.lua",
    ]);
    assert_eq!(
        code(&output),
        0,
        "a file named twice is loaded once: {}",
        stderr(&output)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("copy.lua");
    std::fs::copy(root().join("plugins/adopters.lua"), &copy).expect("copy");
    let copy = copy.display().to_string();
    let output = ospolint_bounded(&[
        "check",
        "fixtures/plugin-target",
        "--plugin",
        "plugins/adopters.lua",
        "--plugin",
        &copy,
    ]);
    let err = flat(&stderr(&output));
    assert_eq!(code(&output), 2, "{err}");
    assert!(
        err.contains("rule `acme/adopters-list` is defined twice"),
        "{err}"
    );
    assert!(
        err.contains("already defined by plugins/adopters.lua:"),
        "{err}"
    );
}

#[test]
fn configuration_lists_plugins_with_options_and_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_into_policy(dir.path(), &EXAMPLES);
    let config = config_in(
        dir.path(),
        "plugins = [\"policy/*.lua\"]\n\n[plugin_options.\"acme/adopters-list\"]\nmin_adopters = 5\n\n[lua]\nmemory_limit = 32\ninstruction_limit = 2000000\n",
    );
    let report = check_json(&["plugins/fixtures/adopters/listed", "--config", &config]);
    let adopters: Vec<_> = findings(&report)
        .into_iter()
        .filter(|f| f.0 == "acme/adopters-list")
        .collect();
    assert_eq!(
        adopters,
        vec![(
            "acme/adopters-list".to_string(),
            Some("ADOPTERS.md".to_string()),
            None
        )]
    );

    let output = ospolint(&["rules", "--config", &config]);
    assert!(stdout(&output).contains("acme/ideas-two-mentors"));

    let output = ospolint(&["explain", "acme/adopters-list", "--config", &config]);
    assert!(
        stdout(&output).contains("adopters list"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_configured_memory_limit_holds_in_the_state_shared_with_built_in_rules() {
    // The worker's state is the one the built-in Lua rules were validated in, under the default
    // limit (64 MiB); the configuration's 2 MiB must still bound its plugins.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("big.lua"),
        r#"return { {
  id = "acme/big", title = "Builds an 8 MiB string", petal = "ospo", stage = "ad-hoc",
  severity = "info", profiles = { "project" }, rationale = "A test.", fix = "None.",
  check = function(repo) local s = string.rep("x", 8 * 1024 * 1024) end,
} }
"#,
    )
    .expect("plugin");
    let config = config_in(
        dir.path(),
        "plugins = [\"big.lua\"]\n\n[lua]\nmemory_limit = 2\n",
    );
    let report = check_json(&["fixtures/mentor-roster-thin", "--config", &config]);
    let errors = messages_of(&report, &["plugin/error"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("exceeded the memory limit of 2 MiB"),
        "{errors:?}"
    );
    // The built-in Lua rule ran in the same state, under its own limit.
    assert!(findings(&report)
        .iter()
        .any(|f| f.0 == "mentoring/mentor-roster"));
}

#[test]
fn definition_files_next_to_the_plugins_are_not_loaded() {
    // As docs/plugins.md sets it up: the editor's definition file in the plugins' folder, and a
    // glob over that folder.
    let dir = tempfile::tempdir().expect("tempdir");
    copy_into_policy(
        dir.path(),
        &["plugins/adopters.lua", "plugins/ospolint.d.lua"],
    );
    let config = config_in(dir.path(), "plugins = [\"policy/*.lua\"]\n");
    let output = ospolint(&["rules", "--config", &config]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).contains("acme/adopters-list"));

    // A shell glob over the examples' folder names it too.
    let output = ospolint_bounded(&["test", "plugins/adopters.lua", "plugins/ospolint.d.lua"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).contains("1 plugin tested: 6 passed, 0 failed"));

    // Alone, it leaves nothing to test, and the message says why.
    let output = ospolint(&["test", "plugins/ospolint.d.lua"]);
    assert_eq!(code(&output), 2);
    assert!(
        flat(&stderr(&output)).contains(
            "plugins/ospolint.d.lua is a lua-language-server definition file (`---@meta`), never run"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn configuration_mistakes_point_into_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("plugins = [\"nothing/*.lua\"]\n", "matches no plugin file"),
        (
            "plugins = [\"missing.lua\"]\n",
            "missing.lua: no such file (expected a Lua plugin file)",
        ),
        (
            "[plugin_options.\"acme/nope\"]\nx = 1\n",
            "no plugins are loaded",
        ),
        ("[lua]\nmemory_limt = 3\n", "did you mean `memory_limit`?"),
        ("[lua]\ninstruction_limit = 5\n", "must be at least 10000"),
        (
            "[lua]\ntime_limit = 0\n",
            "`time_limit` must be between 1 and 3600",
        ),
    ];
    for (text, expected) in cases {
        let config = config_in(dir.path(), text);
        let output = ospolint(&["check", "fixtures/plugin-target", "--config", &config]);
        assert_eq!(code(&output), 2, "{text}");
        assert!(
            flat(&stderr(&output)).contains(expected),
            "{text}: {}",
            stderr(&output)
        );
    }
    let config = config_in(
        dir.path(),
        "[plugin_options.\"acme/adopter-list\"]\nx = 1\n",
    );
    let output = ospolint(&[
        "check",
        "fixtures/plugin-target",
        "--config",
        &config,
        "--plugin",
        "plugins/adopters.lua",
    ]);
    assert_eq!(code(&output), 2);
    assert!(
        flat(&stderr(&output)).contains("did you mean `acme/adopters-list`?"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn builtin_mentor_roster_rule_is_written_in_lua() {
    let output = ospolint(&["explain", "mentoring/mentor-roster"]);
    assert_eq!(code(&output), 0);
    let report = check_json(&["fixtures/mentor-roster-complete"]);
    assert!(
        !rules_fired(&report).contains(&"mentoring/mentor-roster".to_string()),
        "{report:#}"
    );

    let report = check_json(&["fixtures/mentor-roster-thin"]);
    let roster: Vec<_> = findings(&report)
        .into_iter()
        .filter(|f| f.0 == "mentoring/mentor-roster")
        .collect();
    assert_eq!(
        roster,
        vec![
            (
                "mentoring/mentor-roster".to_string(),
                Some("mentoring/README.md".to_string()),
                None
            ),
            (
                "mentoring/mentor-roster".to_string(),
                Some("mentoring/README.md".to_string()),
                Some(5)
            ),
        ]
    );
    // Repositories without mentoring documents are left to mentoring/program.
    let report = check_json(&["fixtures/healthy-project"]);
    assert!(!rules_fired(&report).contains(&"mentoring/mentor-roster".to_string()));
}

#[test]
fn documents_say_their_lifecycle() {
    let report = check_json(&[
        "fixtures/lifecycle",
        "--plugin",
        "fixtures/plugins/api/lifecycle.lua",
    ]);
    assert_eq!(
        messages_of(&report, &["api/lifecycle"]),
        [
            "CHANGELOG.md changelog",
            "README.ko.md translation",
            "README.md live",
            "archive/2019-plan.md archive",
            "generated/rules.md generated",
        ],
        "{report:#}"
    );
}

#[test]
fn lists_of_roles_and_globs_give_each_document_once() {
    let report = check_json(&[
        "fixtures/healthy-project",
        "--plugin",
        "fixtures/plugins/api/lists.lua",
    ]);
    assert_eq!(
        messages_of(&report, &["api/lists"]),
        // Findings without a path come in message order.
        [
            "bad glob: runtime error: repo:files: globs are strings, not false",
            "files: 8 CODE_OF_CONDUCT.md docs/architecture.md",
            "list: SECURITY.md GOVERNANCE.md",
            "no path: runtime error: repo:read: expected a path (a string), not nil",
            "none: ",
            "not a string: runtime error: repo:artifacts: roles are strings, not 3",
            "one: GOVERNANCE.md",
            "unknown: runtime error: unknown artifact role `secruity`: did you mean `security`?",
        ],
        "{report:#}"
    );
}

#[test]
fn a_repo_or_document_kept_from_an_earlier_run_is_refused() {
    let report = check_json(&[
        "fixtures/healthy-project",
        "--plugin",
        "fixtures/plugins/api/stale-repo.lua",
    ]);
    let stale =
        "repo:files: this repo belongs to a finished rule run; use the `repo` passed to `check`";
    let stale_doc = "this document belongs to a finished rule run; use documents from the `repo` \
                     passed to `check`";
    assert_eq!(
        messages_of(&report, &["api/uses-kept-repo", "plugin/error"]),
        [
            format!("kept coroutine: {stale}"),
            format!("kept document's lines: runtime error: doc.lines: {stale_doc}"),
            format!("kept document's section: runtime error: doc:section: {stale_doc}"),
            "kept document: README.md, Acme Widgets".to_string(),
            format!("kept repo: {stale}"),
            "own document: table, one per run: true, 21 lines".to_string(),
            "own repo: 7 files".to_string(),
            "section without a colon: runtime error: doc:section: expected a document, not \
             \"usage\" (call doc:section(...) with a colon)"
                .to_string(),
            "without a colon: call repo:files(...) with a colon".to_string(),
        ],
        "{report:#}"
    );
}

#[test]
fn time_limit_stops_work_the_instruction_budget_cannot_see() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config_in(dir.path(), "[lua]\ntime_limit = 1\n");
    let output = ospolint_bounded(&[
        "check",
        "fixtures/plugin-target",
        "--format",
        "json",
        "--config",
        &config,
        "--plugin",
        "fixtures/plugins/slow/big-string-compare.lua",
    ]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let error = all_findings(&json(&output))
        .into_iter()
        .find(|f| f["rule"] == "plugin/error")
        .expect("the slow rule is reported");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`slow/big-string-compare`")
            && message.contains("exceeded its time limit of 1 s (`[lua] time_limit`)"),
        "{message}"
    );
}

/// Runs ospolint with standard error closed at the other end, as `2>&1 | head` leaves it once
/// `head` has its lines. The reading end is closed as soon as the child starts, long before it
/// writes anything (it has a configuration and plugins to load first).
fn ospolint_with_closed_stderr(args: &[&str]) -> Output {
    let mut child = spawn_ospolint(args);
    drop(child.stderr.take());
    child.wait_with_output().expect("ospolint runs")
}

#[test]
fn a_closed_standard_error_loses_messages_not_the_run() {
    // A plugin that does not load: the error cannot be shown, the exit code still says so.
    let output = ospolint_with_closed_stderr(&["test", "fixtures/plugins/broken/syntax.lua"]);
    assert_eq!(code(&output), 2);
    // A plugin that prints, and the statistics: the findings are all there.
    let output = ospolint_with_closed_stderr(&[
        "check",
        "fixtures/healthy-project",
        "--format",
        "json",
        "--lua-stats",
        "--plugin",
        "fixtures/plugins/api/prints.lua",
    ]);
    let report = json(&output);
    assert_eq!(
        messages_of(&report, &["api/prints"]),
        ["printed"],
        "{report:#}"
    );
    assert!(
        messages_of(&report, &["plugin/error"]).is_empty(),
        "{report:#}"
    );
}
