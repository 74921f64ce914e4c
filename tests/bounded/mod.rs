//! Running `ospolint` on hostile input as CI would be hurt by it: under a memory limit and a
//! deadline, so a reproducer that regresses fails its test instead of hanging or swapping.

#![allow(dead_code)]

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Address space the process may map: a debug build with its threads needs about 200 MiB; the
/// reproducers went to several GiB.
pub const MEMORY: u64 = 1 << 30;
/// Generous for a debug build on a busy two-core machine; the reproducers ran for minutes or
/// forever.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `ospolint ARGS` in `dir` (NO_COLOR, the tests' fixed date) under [`MEMORY`] and
/// [`DEADLINE`]; fails the test if it had to be killed.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ospolint"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("OSPOLINT_TODAY", "2026-11-01")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: between fork and exec, only `setrlimit`, which is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY,
                rlim_max: MEMORY,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().expect("ospolint starts");
    // Both pipes drained while waiting, so a large report cannot block the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let stdout = std::thread::spawn(move || {
        let mut buf = Vec::new();
        out.read_to_end(&mut buf).ok();
        buf
    });
    let stderr = std::thread::spawn(move || {
        let mut buf = Vec::new();
        err.read_to_end(&mut buf).ok();
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > DEADLINE {
            child.kill().ok();
            child.wait().ok();
            panic!("ospolint {args:?} ran past {DEADLINE:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    };
    assert!(
        output.status.code().is_some(),
        "ospolint {args:?} was killed by a signal (out of memory?): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error with miette's wrapping and frame removed, for `contains` checks.
pub fn stderr_flat(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .replace(['│', '·', '×'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A repository (a folder with `.git`) in a fresh temporary folder, with `files` written into it.
pub fn repository(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    dir
}

/// A plugin file with one rule `hostile/<name>` whose `check` body is `body`, and `top` before it.
pub fn plugin(top: &str, name: &str, body: &str) -> String {
    format!(
        r#"{top}
return {{ {{
  id = "hostile/{name}", title = "A hostile rule", petal = "ospo", stage = "awareness",
  severity = "info", profiles = {{ "project", "ospo" }}, rationale = "r", fix = "f",
  check = function(repo)
{body}
  end,
}} }}
"#
    )
}

/// The `plugin/error` messages and every finding's rule of a JSON report.
pub fn plugin_errors(output: &Output) -> (Vec<String>, Vec<String>) {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            stdout(output),
            stderr_flat(output)
        )
    });
    let findings: Vec<serde_json::Value> = report["repositories"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["findings"].as_array().cloned().unwrap_or_default())
        .collect();
    let errors = findings
        .iter()
        .filter(|f| f["rule"] == "plugin/error")
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect();
    let rules = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect();
    (errors, rules)
}
