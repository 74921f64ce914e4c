//! Per-thread Lua hosts: each worker thread has one sandboxed state, loads each plugin set into
//! it the first time it runs one of the set's rules, and reuses it for every repository. The
//! built-in Lua rules and the configuration's plugins are two sets in the same state, each file
//! in an environment of its own. A state that validated plugins serves the first thread without
//! one. Never one state for two threads.
//!
//! A rule run that fails (error, limit, garbage result) becomes a `plugin/error` finding; the
//! findings it reported before failing are dropped, and the other rules go on.

use std::cell::RefCell;
use std::sync::Mutex;

use mlua::{Function, Table, Value};
use regex::Regex;

use super::api::{api_table, toml_table, PendingReport, RepoHandle};
use super::loader::{run_file, type_name, PluginSet};
use super::sandbox::{self, Halt, Limits, Sandbox};
use super::unpoisoned;
use crate::finding::Severity;
use crate::rule::{Emitter, RepoContext};

/// The rule id of findings about plugins that failed.
pub const PLUGIN_ERROR: &str = "plugin/error";

/// A Lua state with the plugin sets loaded into it.
pub(crate) struct Host {
    sandbox: Sandbox,
    sets: Vec<LoadedSet>,
}

/// A plugin set loaded into a host's state.
struct LoadedSet {
    id: u64,
    /// The `check` function of each rule of the set, in set order; or why the set did not load.
    checks: Result<Vec<Function>, String>,
}

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
}

/// States that validated plugin sets (which stay loaded in them), for the first threads that
/// need one: creating a state and loading the plugins costs as much as running them on dozens
/// of repositories. A process validates the built-in set and the configuration's, the second
/// in the state of the first, so it holds one state here at a time.
static SPARE: Mutex<Vec<Host>> = Mutex::new(Vec::new());

impl Host {
    /// A spare state if there is one, else a new one.
    pub(crate) fn spare_or_new(limits: Limits) -> mlua::Result<Host> {
        match unpoisoned(&SPARE).pop() {
            Some(host) => Ok(host),
            None => Ok(Host {
                sandbox: Sandbox::new(limits)?,
                sets: Vec::new(),
            }),
        }
    }

    pub(crate) fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// Records `set` as loaded in this state, its files having returned `lists`, and keeps the
    /// state for the first thread that needs one.
    pub(crate) fn keep_validated(mut self, set: &PluginSet, lists: &[Table]) {
        self.sets.push(LoadedSet {
            id: set.id,
            checks: checks_of(set, lists),
        });
        unpoisoned(&SPARE).push(self);
    }

    /// The `check` functions of `set`'s rules in this state, loading the set on first use.
    fn checks(&mut self, set: &PluginSet) -> &Result<Vec<Function>, String> {
        let position = match self.sets.iter().position(|s| s.id == set.id) {
            Some(p) => p,
            None => {
                let checks = api_table(&self.sandbox.lua)
                    .map_err(|e| e.to_string())
                    .and_then(|api| load_plugins(&self.sandbox, &api, set))
                    .and_then(|lists| checks_of(set, &lists));
                self.sets.push(LoadedSet { id: set.id, checks });
                self.sets.len() - 1
            }
        };
        &self.sets[position].checks
    }
}

/// Loads every plugin of the set; what each file returned. The files were validated when the
/// configuration was loaded; a file that now returns something else (it depends on state it
/// should not) is reported through its rules.
fn load_plugins(sandbox: &Sandbox, api: &Table, set: &PluginSet) -> Result<Vec<Table>, String> {
    let mut returned = Vec::new();
    for source in &set.plugins {
        match run_file(sandbox, api, source, set.limits) {
            Ok(Value::Table(list)) => returned.push(list),
            Ok(other) => {
                return Err(format!(
                    "{} returned {} on this worker",
                    source.name,
                    type_name(&other)
                ))
            }
            Err(err) => {
                return Err(format!(
                    "{} did not load on this worker: {}",
                    source.name,
                    error_text(&err).0
                ))
            }
        }
    }
    Ok(returned)
}

/// Each rule's `check`, in set order, from what the set's files returned.
fn checks_of(set: &PluginSet, returned: &[Table]) -> Result<Vec<Function>, String> {
    set.rules
        .iter()
        .map(|rule| {
            let list = &returned[rule.plugin];
            let table: Table = list.raw_get(rule.position).map_err(|e| e.to_string())?;
            let id: String = table.raw_get("id").map_err(|e| e.to_string())?;
            if id != rule.meta.id {
                return Err(format!(
                    "{} returned different rules on this worker",
                    set.plugins[rule.plugin].name
                ));
            }
            table
                .raw_get::<Function>("check")
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Runs rule `index` of `set` on one repository, on this thread's state.
pub(crate) fn run_rule(
    set: &PluginSet,
    index: usize,
    options: Option<&toml::Table>,
    cx: &RepoContext<'_>,
    out: &mut Emitter<'_>,
) {
    HOST.with(|slot| {
        let mut slot = slot.borrow_mut();
        let mut host = match slot.take() {
            Some(host) => host,
            None => match Host::spare_or_new(set.limits) {
                Ok(host) => host,
                Err(err) => {
                    plugin_error(
                        out,
                        set,
                        index,
                        format!("the Lua state could not be created: {err}"),
                        None,
                    );
                    return;
                }
            },
        };
        if host.run(set, index, options, cx, out) == Recycle::No {
            *slot = Some(host);
        }
    });
}

#[derive(Debug, PartialEq, Eq)]
enum Recycle {
    Yes,
    No,
}

impl Host {
    fn run(
        &mut self,
        set: &PluginSet,
        index: usize,
        options: Option<&toml::Table>,
        cx: &RepoContext<'_>,
        out: &mut Emitter<'_>,
    ) -> Recycle {
        let check = match self.checks(set) {
            Ok(checks) => checks[index].clone(),
            Err(why) => {
                plugin_error(out, set, index, why.clone(), None);
                return Recycle::No;
            }
        };
        let lua = &self.sandbox.lua;
        self.sandbox.start_budget(set.limits);
        let reports = RefCell::new(Vec::new());
        let handle = RepoHandle {
            cx,
            reports: &reports,
            document: &self.sandbox.document,
            docs: RefCell::default(),
            doc_ids: RefCell::default(),
        };
        let result = options
            .map(|table| toml_table(lua, table))
            .transpose()
            .and_then(|options| {
                handle.enter(|| self.sandbox.run_check(&check, cx.repo.name(), options))
            });
        drop(handle);
        match result {
            Ok(Value::Nil) => {
                apply(reports.into_inner(), cx, out);
                Recycle::No
            }
            Ok(other) => {
                plugin_error(
                    out,
                    set,
                    index,
                    format!("`check` returned {} instead of nothing; report findings with repo:report{{...}}", type_name(&other)),
                    None,
                );
                Recycle::No
            }
            Err(err) => {
                let limits = set.limits;
                let (text, traceback) = error_text(&err);
                let halt = sandbox::halted();
                let (what, recycle) = if halt == Some(Halt::Instructions) {
                    (format!("exceeded its instruction budget of {} instructions (`[lua] instruction_limit`)", limits.instructions), Recycle::Yes)
                } else if halt == Some(Halt::Time) {
                    (
                        format!(
                            "exceeded its time limit of {} s (`[lua] time_limit`)",
                            limits.time.as_secs()
                        ),
                        Recycle::Yes,
                    )
                } else if halt == Some(Halt::Memory) || is_memory_error(&err) {
                    (
                        format!(
                            "exceeded the memory limit of {} MiB (`[lua] memory_limit`)",
                            limits.memory / (1024 * 1024)
                        ),
                        Recycle::Yes,
                    )
                } else if text.contains("stack overflow") {
                    (
                        format!("overflowed the stack (recursion too deep): {text}"),
                        Recycle::No,
                    )
                } else {
                    (text, Recycle::No)
                };
                plugin_error(out, set, index, what, traceback);
                recycle
            }
        }
    }
}

/// Applies the findings of a successful run; the source line comes from the shared document.
fn apply(reports: Vec<PendingReport>, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
    for r in reports {
        let finding = match (&r.path, r.line) {
            (None, _) => out.missing(r.message),
            (Some(path), None) => out.file(path, r.message),
            (Some(path), Some(line)) => match cx.repo.document_at(path) {
                Some(doc) if (line as usize) <= doc.line_count() => match r.column {
                    Some(column) => {
                        let range = doc.line_range(line);
                        let offset = doc.text[range.clone()]
                            .char_indices()
                            .nth(column as usize - 1)
                            .map_or(range.end, |(i, _)| range.start + i);
                        out.at(&doc, offset..offset + 1, r.message)
                    }
                    None => out.at_line(&doc, line, r.message),
                },
                _ => {
                    let finding = out.file(path, r.message);
                    finding.location.line = Some(line);
                    finding.location.column = r.column;
                    finding
                }
            },
        };
        if let Some(help) = r.help {
            finding.help(help);
        }
        if let Some(severity) = r.severity {
            finding.at_most(severity);
        }
    }
}

pub(crate) fn is_memory_error(err: &mlua::Error) -> bool {
    match err {
        mlua::Error::MemoryError(_) => true,
        mlua::Error::CallbackError { cause, .. } | mlua::Error::WithContext { cause, .. } => {
            is_memory_error(cause)
        }
        mlua::Error::RuntimeError(msg) => msg.starts_with("not enough memory"),
        _ => false,
    }
}

/// An error's message and Lua traceback, with addresses removed so output is the same every run.
pub(crate) fn error_text(err: &mlua::Error) -> (String, Option<String>) {
    let (message, traceback) = match err {
        mlua::Error::CallbackError { traceback, cause } => {
            let mut cause = cause;
            let mut traceback = traceback;
            while let mlua::Error::CallbackError {
                cause: inner,
                traceback: inner_tb,
            } = &**cause
            {
                cause = inner;
                traceback = inner_tb;
            }
            (error_text(cause).0, Some(traceback.clone()))
        }
        mlua::Error::RuntimeError(text)
        | mlua::Error::MemoryError(text)
        | mlua::Error::SyntaxError { message: text, .. } => {
            match text.split_once("\nstack traceback:") {
                Some((message, tb)) => (message.to_string(), Some(format!("stack traceback:{tb}"))),
                None => (text.clone(), None),
            }
        }
        mlua::Error::WithContext { cause, .. } => return error_text(cause),
        other => (other.to_string(), None),
    };
    let mut message = scrub(&message);
    if message.starts_with("table") && message.len() <= "table".len() + 2 {
        message = "raised a table as its error value; pass a string to error()".to_string();
    }
    // The bottom frame is the host's call into the rule (a tail call in the sandbox's
    // `run_check`), not the plugin's.
    let traceback = traceback.map(|t| {
        let t = t.trim_end();
        scrub(
            t.strip_suffix("(...tail calls...)")
                .map_or(t, str::trim_end),
        )
    });
    (message, traceback)
}

/// `table: 0x55d0c3a4` → `table`: addresses differ between runs.
fn scrub(text: &str) -> String {
    static ADDRESS: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = ADDRESS.get_or_init(|| {
        Regex::new(r"(table|function|userdata|thread|builtin): 0x[0-9a-fA-F]+")
            .expect("valid regex")
    });
    re.replace_all(text, "$1").into_owned()
}

/// A `plugin/error` finding for the repository, naming the rule, its file and line.
fn plugin_error(
    out: &mut Emitter<'_>,
    set: &PluginSet,
    index: usize,
    what: String,
    traceback: Option<String>,
) {
    let rule = &set.rules[index];
    let plugin = &set.plugins[rule.plugin];
    let message = format!(
        "rule `{}` ({}:{}) failed: {what}",
        rule.meta.id, plugin.name, rule.line
    );
    let mut help = String::from("Fix the plugin (`ospolint test` runs its cases); the rule's findings for this repository are missing.");
    if let Some(tb) = traceback {
        help.push_str("\nLua ");
        help.push_str(&tb);
    }
    let finding = out.missing(message);
    finding.rule = PLUGIN_ERROR.to_string();
    finding.severity = Severity::Error;
    finding.help = Some(help);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_scrubbed() {
        assert_eq!(
            scrub("table: 0x55d0c3a4 and function: 0xABC"),
            "table and function"
        );
    }
}
