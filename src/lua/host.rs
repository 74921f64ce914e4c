//! Per-thread Lua hosts: each worker thread has one sandboxed state per plugin file, loads the
//! file into it the first time it runs one of the file's rules, and reuses it for every
//! repository. A state per file rather than one per thread for every plugin: what a plugin keeps
//! (in upvalues, in its tables) counts against its own memory limit only, and a plugin stopped
//! for its limits takes only its own state down with it. States that validated plugin files
//! serve the first thread that needs them. Never one state for two threads.
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

/// A Lua state with one plugin file loaded into it.
pub(crate) struct Host {
    sandbox: Sandbox,
    /// The plugin set's id and the file's index in it.
    set: u64,
    plugin: usize,
    /// The `check` function of each rule the file returns, by its position in the returned list
    /// (from 1); or why the file did not load.
    checks: Result<Vec<Function>, String>,
}

thread_local! {
    static HOSTS: RefCell<Vec<Host>> = const { RefCell::new(Vec::new()) };
}

/// States that validated plugin files (which stay loaded in them), for the first threads that
/// need them: creating a state and loading a plugin costs as much as running it on dozens of
/// repositories.
static SPARE: Mutex<Vec<Host>> = Mutex::new(Vec::new());

impl Host {
    /// A fresh state, for validating a plugin file.
    pub(crate) fn new(limits: Limits) -> mlua::Result<Host> {
        Ok(Host {
            sandbox: Sandbox::new(limits)?,
            set: 0,
            plugin: 0,
            checks: Ok(Vec::new()),
        })
    }

    pub(crate) fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// Records plugin `plugin` of `set` as loaded in this state, its file having returned
    /// `list`, and keeps the state for the first thread that needs it.
    pub(crate) fn keep_validated(mut self, set: &PluginSet, plugin: usize, list: &Table) {
        self.set = set.id;
        self.plugin = plugin;
        self.checks = checks_of(set, plugin, list);
        unpoisoned(&SPARE).push(self);
    }

    /// A state with plugin `plugin` of `set` loaded: a spare one if there is one, else a new one.
    fn spare_or_load(set: &PluginSet, plugin: usize) -> mlua::Result<Host> {
        let mut spare = unpoisoned(&SPARE);
        if let Some(i) = spare
            .iter()
            .position(|h| h.set == set.id && h.plugin == plugin)
        {
            return Ok(spare.swap_remove(i));
        }
        drop(spare);
        let sandbox = Sandbox::new(set.limits)?;
        let checks = load_plugin(&sandbox, set, plugin);
        Ok(Host {
            sandbox,
            set: set.id,
            plugin,
            checks,
        })
    }
}

/// Loads plugin `plugin` of `set` into `sandbox`: its rules' `check` functions. The file was
/// validated when the configuration was loaded; a file that now returns something else (it
/// depends on state it should not) is reported through its rules.
fn load_plugin(sandbox: &Sandbox, set: &PluginSet, plugin: usize) -> Result<Vec<Function>, String> {
    let source = &set.plugins[plugin];
    let api = api_table(&sandbox.lua).map_err(|e| e.to_string())?;
    match run_file(sandbox, &api, source, set.limits) {
        Ok(Value::Table(list)) => checks_of(set, plugin, &list),
        Ok(other) => Err(format!(
            "{} returned {} on this worker",
            source.name,
            type_name(&other)
        )),
        Err(err) => Err(format!(
            "{} did not load on this worker: {}",
            source.name,
            error_text(&err).0
        )),
    }
}

/// The `check` of each rule of plugin `plugin`, by position, from the list its file returned.
fn checks_of(set: &PluginSet, plugin: usize, list: &Table) -> Result<Vec<Function>, String> {
    set.rules_of(plugin)
        .map(|(_, rule)| {
            let table: Table = list.raw_get(rule.position).map_err(|e| e.to_string())?;
            let id: String = table.raw_get("id").map_err(|e| e.to_string())?;
            if id != rule.meta.id {
                return Err(format!(
                    "{} returned different rules on this worker",
                    set.plugins[plugin].name
                ));
            }
            table
                .raw_get::<Function>("check")
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Runs rule `index` of `set` on one repository, on this thread's state for the rule's file.
pub(crate) fn run_rule(
    set: &PluginSet,
    index: usize,
    options: Option<&toml::Table>,
    cx: &RepoContext<'_>,
    out: &mut Emitter<'_>,
) {
    let plugin = set.rules[index].plugin;
    HOSTS.with(|hosts| {
        let mut hosts = hosts.borrow_mut();
        let position = hosts
            .iter()
            .position(|h| h.set == set.id && h.plugin == plugin);
        // Taken out while it runs: a rule run never reaches another host of this thread.
        let mut host = match position {
            Some(i) => hosts.swap_remove(i),
            None => match Host::spare_or_load(set, plugin) {
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
            hosts.push(host);
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
        let position = set.rules[index].position;
        let check = match &self.checks {
            Ok(checks) => checks[position - 1].clone(),
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
        // A run stopped for its limits stays stopped even when the error that stopped it was
        // swallowed on the way out (by `load`, which returns a reader's error as a value).
        let result = match (result, sandbox::halted()) {
            (Ok(_), Some(_)) => Err(mlua::Error::RuntimeError(
                sandbox::BUDGET_EXCEEDED.to_string(),
            )),
            (result, _) => result,
        };
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
                let (what, recycle) = failure(&err, set.limits);
                plugin_error(out, set, index, what, error_text(&err).1);
                recycle
            }
        }
    }
}

/// What stopped a failed run, in words, and whether its state is to be thrown away.
fn failure(err: &mlua::Error, limits: Limits) -> (String, Recycle) {
    let text = error_text(err).0;
    match sandbox::halted() {
        Some(Halt::Instructions) => (
            format!(
                "exceeded its instruction budget of {} instructions (`[lua] instruction_limit`)",
                limits.instructions
            ),
            Recycle::Yes,
        ),
        Some(Halt::Time) => (
            format!(
                "exceeded its time limit of {} s (`[lua] time_limit`)",
                limits.time.as_secs()
            ),
            Recycle::Yes,
        ),
        Some(Halt::Memory) => (memory_exceeded(limits), Recycle::Yes),
        None if is_memory_error(err) => (memory_exceeded(limits), Recycle::Yes),
        None if text.contains("stack overflow") => (
            format!("overflowed the stack (recursion too deep): {text}"),
            Recycle::No,
        ),
        None => (text, Recycle::No),
    }
}

fn memory_exceeded(limits: Limits) -> String {
    format!(
        "exceeded the memory limit of {} MiB (`[lua] memory_limit`)",
        limits.memory / (1024 * 1024)
    )
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
    // Lua names a raised value that is not a string (and has no `__tostring`) by its `__name`
    // or type and its address: `table: 0x55d0c3a4`, `My Error: 0x55d0c3a4`.
    let message = match raised_value_name(&message) {
        Some(name @ ("table" | "userdata" | "function" | "thread")) => {
            format!("raised a {name} as its error value; pass a string to error()")
        }
        Some(name) => {
            format!("raised a value named `{name}` as its error value; pass a string to error()")
        }
        None => scrub(&message),
    };
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

/// Addresses differ between runs: `table: 0x55d0c3a4` → `table`, whatever the name before it
/// (a `__name` metafield may say anything). Pointers print with 8 hex digits or more. Applied to
/// every text a plugin hands out (errors, report messages and help, `print`), which may hold what
/// `tostring` made of a table, function, coroutine or userdata.
pub(crate) fn scrub(text: &str) -> String {
    address().replace_all(text, "").into_owned()
}

fn address() -> &'static Regex {
    static ADDRESS: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    ADDRESS.get_or_init(|| Regex::new(r": 0x[0-9a-fA-F]{8,}\b").expect("valid regex"))
}

/// The name Lua gave a raised value that is not a string, when `message` is all of that name
/// and the value's address.
fn raised_value_name(message: &str) -> Option<&str> {
    let found = address().find(message)?;
    (found.end() == message.len() && !message[..found.start()].contains('\n'))
        .then(|| &message[..found.start()])
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
            scrub("table: 0x55d0c3a4 and My Error: 0x7f00ABCDEF12"),
            "table and My Error"
        );
        assert_eq!(
            raised_value_name("My Error: 0x55d0c3a4f0"),
            Some("My Error")
        );
        assert_eq!(raised_value_name("got table: 0x55d0c3a4 here"), None);
        assert_eq!(raised_value_name("code: 0x1F"), None);
    }
}
