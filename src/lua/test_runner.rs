//! `ospolint test`: policy unit tests. Each case runs one plugin's rules on a fixture repository
//! through the real engine and compares the findings with the expected ones.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::Report;

use super::loader::{Expected, PluginSet, TestCase};
use crate::config::{self, ProfileChoice};
use crate::engine::{self, Target};
use crate::finding::Finding;

/// The outcome of one case.
#[derive(Debug)]
pub struct CaseResult {
    pub name: String,
    pub fixture: PathBuf,
    /// Expected findings that were not reported.
    pub missing: Vec<Expected>,
    /// Reported findings that were not expected.
    pub unexpected: Vec<Finding>,
    /// Why the case could not run (fixture missing).
    pub broken: Option<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.broken.is_none()
    }
}

/// Runs the cases of every plugin in `set` (or only of the files in `only`) and writes a report.
/// Returns whether every case passed.
pub fn run(set: &Arc<PluginSet>, only: &[PathBuf], out: &mut dyn Write) -> Result<bool, Report> {
    let wanted: Vec<PathBuf> = only.iter().map(|p| canonical(p)).collect();
    let (mut passed, mut failed, mut plugins) = (0, 0, 0);
    for (index, plugin) in set.plugins.iter().enumerate() {
        if !wanted.is_empty() && !wanted.contains(&canonical(Path::new(&plugin.name))) {
            continue;
        }
        plugins += 1;
        let cases = &set.tests[index];
        writeln!(out, "{}", plugin.name).map_err(io_error)?;
        if cases.is_empty() {
            writeln!(
                out,
                "  no test cases declared (add a `tests` list to the returned table)"
            )
            .map_err(io_error)?;
        }
        for case in cases {
            let result = run_case(set, index, case)?;
            write_case(&result, out).map_err(io_error)?;
            if result.passed() {
                passed += 1;
            } else {
                failed += 1;
            }
        }
    }
    writeln!(
        out,
        "\n{} tested: {passed} passed, {failed} failed",
        crate::report::plural(plugins, "plugin", "plugins")
    )
    .map_err(io_error)?;
    Ok(failed == 0)
}

fn io_error(err: io::Error) -> Report {
    miette::miette!("cannot write output: {err}")
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Runs one case through the engine, with only this plugin's rules, default settings and the
/// case's profile and options.
pub fn run_case(
    set: &Arc<PluginSet>,
    plugin: usize,
    case: &TestCase,
) -> Result<CaseResult, Report> {
    let mut result = CaseResult {
        name: case.name.clone(),
        fixture: case.fixture.clone(),
        missing: Vec::new(),
        unexpected: Vec::new(),
        broken: None,
    };
    if !case.fixture.is_dir() {
        result.broken = Some(format!(
            "fixture {} is not a directory",
            case.fixture.display()
        ));
        return Ok(result);
    }
    let mut settings = config::load(None)?;
    settings.catalog.rules = set.catalog_rules(Some(plugin), &case.options);
    let target = Target {
        root: case.fixture.clone(),
        display: case.fixture.display().to_string(),
        settings: Arc::new(settings),
        profile: case.profile.unwrap_or(ProfileChoice::Auto),
        focus: None,
        all_documents: false,
        org_defaults: None,
    };
    let report = engine::check_repository(&target);
    let mut unexpected = report.findings;
    for expected in &case.expect {
        match unexpected.iter().position(|f| matches(expected, f)) {
            Some(i) => {
                unexpected.remove(i);
            }
            None => result.missing.push(expected.clone()),
        }
    }
    result.unexpected = unexpected;
    Ok(result)
}

fn matches(expected: &Expected, finding: &Finding) -> bool {
    expected.rule == finding.rule
        && expected.path == finding.location.path
        && expected.line == finding.location.line
        && expected
            .message
            .as_ref()
            .is_none_or(|m| finding.message.contains(m.as_str()))
}

fn write_case(result: &CaseResult, out: &mut dyn Write) -> io::Result<()> {
    let status = if result.passed() { "ok  " } else { "FAIL" };
    writeln!(
        out,
        "  {status} {} ({})",
        result.name,
        result.fixture.display()
    )?;
    if let Some(why) = &result.broken {
        writeln!(out, "       {why}")?;
    }
    if !result.missing.is_empty() {
        writeln!(out, "       expected, not reported:")?;
        for e in &result.missing {
            let message = e
                .message
                .as_ref()
                .map(|m| format!("  \"{m}\""))
                .unwrap_or_default();
            writeln!(
                out,
                "       - {}  {}{message}",
                e.rule,
                place(e.path.as_deref(), e.line)
            )?;
        }
    }
    if !result.unexpected.is_empty() {
        writeln!(out, "       reported, not expected:")?;
        for f in &result.unexpected {
            writeln!(
                out,
                "       + {}  {}  \"{}\"",
                f.rule,
                place(f.location.path.as_deref(), f.location.line),
                f.message
            )?;
            if f.rule == super::PLUGIN_ERROR {
                for line in f.help.iter().flat_map(|h| h.lines()).skip(1) {
                    writeln!(out, "           {line}")?;
                }
            }
        }
    }
    Ok(())
}

/// `path:line`, `path`, or `(repository)` for findings about the repository as a whole.
fn place(path: Option<&str>, line: Option<u32>) -> String {
    match (path, line) {
        (Some(p), Some(l)) => format!("{p}:{l}"),
        (Some(p), None) => p.to_string(),
        (None, _) => "(repository)".to_string(),
    }
}
