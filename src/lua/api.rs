//! What a plugin sees: the repository handle passed to `check`, documents, regexes and
//! `repo:report{...}`. Documented in `docs/plugins.md`; typed in `plugins/ospolint.d.lua`.
//!
//! Documents are the repository's shared parsed [`Document`]s (no second parse), handed to Lua as
//! plain tables: a userdata would cost a host call for every field read, `doc.path` included.
//! Their fields (`headings`, `lines`, …) are built on first read and kept in the table for the
//! rest of the rule run.
//! Work done in Rust for the plugin is charged to its instruction budget.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use globset::GlobBuilder;
use mlua::{ffi, Function, IntoLuaMulti, Lua, MultiValue, Table, UserData, UserDataMethods, Value};
use regex::bytes::{Regex, RegexBuilder};
use rustc_hash::FxHashMap;

use super::sandbox::{charge, hold, host_call};
use super::unpoisoned;
use crate::diagnostic::suggest;
use crate::doc::{DocKind, Document, LinkKind};
use crate::finding::Severity;
use crate::rule::RepoContext;
use crate::scan::{FileId, FileIndex};

/// A finding a rule asked for, applied only when the rule finishes without error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PendingReport {
    pub message: String,
    pub path: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub help: Option<String>,
    pub severity: Option<Severity>,
}

/// Cost, in budget instructions, of one finding: it bounds how many a rule can report.
const REPORT_COST: u64 = 1000;
/// Bytes of text converted per budget instruction.
const BYTES_PER_INSTRUCTION: u64 = 64;

fn text_cost(len: usize) -> u64 {
    len as u64 / BYTES_PER_INSTRUCTION + 1
}

/// What the `repo` argument of `check` reaches: valid for one rule run only.
pub(crate) struct RepoHandle<'a, 'b> {
    pub cx: &'a RepoContext<'b>,
    pub reports: &'a RefCell<Vec<PendingReport>>,
    /// The metatable of documents (the sandbox's).
    pub document: &'a Table,
    /// Each document is handed out as one table per run, so its fields are built once.
    pub docs: RefCell<FxHashMap<FileId, Table>>,
    /// The documents of this run by their tables' addresses: a document kept from an earlier run
    /// is not among them. Every table here is alive (`docs` holds it), so no other has its address.
    pub doc_ids: RefCell<FxHashMap<usize, FileId>>,
}

impl RepoHandle<'_, '_> {
    /// The document of file `id` as a plugin sees it: a table with its `path`, and the documents'
    /// metatable to build the rest when read.
    fn doc_table(&self, lua: &Lua, id: FileId) -> mlua::Result<Option<Table>> {
        if let Some(table) = self.docs.borrow().get(&id) {
            return Ok(Some(table.clone()));
        }
        let Some(doc) = self.cx.repo.document(id) else {
            return Ok(None);
        };
        // Made and filled in one call into mlua: each call costs about as much as a small table.
        let table = lua.create_table_from([("path", doc.path.as_str())])?;
        table.set_metatable(Some(self.document.clone()));
        self.doc_ids
            .borrow_mut()
            .insert(table.to_pointer() as usize, id);
        self.docs.borrow_mut().insert(id, table.clone());
        Ok(Some(table))
    }

    /// The parsed document behind a document table of this run; `what` names the caller in
    /// errors (made only then).
    fn document_of(&self, table: &Value, what: impl Fn() -> String) -> mlua::Result<Arc<Document>> {
        let id = match table {
            Value::Table(t) => self
                .doc_ids
                .borrow()
                .get(&(t.to_pointer() as usize))
                .copied(),
            _ => None,
        };
        if let Some(doc) = id.and_then(|id| self.cx.repo.document(id)) {
            return Ok(doc);
        }
        let what = what();
        let why = match table {
            Value::Table(t) if t.metatable().as_ref() == Some(self.document) => {
                "this document belongs to a finished rule run; use documents from the `repo` passed to `check`".to_string()
            }
            other => {
                let hint = match what.split_once(':') {
                    Some((_, method)) => format!(" (call doc:{method}(...) with a colon)"),
                    None => String::new(),
                };
                format!("expected a document, not {}{hint}", describe(other))
            }
        };
        Err(mlua::Error::RuntimeError(format!("{what}: {why}")))
    }

    /// Why a path cannot be read, in words, or the file's id.
    fn locate(&self, path: &str) -> Result<FileId, String> {
        let path = confine(path)?;
        let index = self.cx.repo.index();
        if let Some(id) = index.find(&path) {
            return Ok(id);
        }
        if index.is_dir(&path) {
            return Err(format!("{path}: is a directory"));
        }
        Err(format!("{path}: {}", self.cx.repo.why_not_indexed(&path)))
    }

    fn unreadable(&self, id: FileId) -> String {
        let path = self.cx.repo.index().path(id);
        match self.cx.repo.read_bytes(id) {
            Err(skipped) => format!("{path}: {}", skipped.describe()),
            Ok(_) => format!("{path}: binary content"),
        }
    }
}

/// A repository-relative path, normalised; never absolute, never climbing out with `..`.
pub(crate) fn confine(path: &str) -> Result<String, String> {
    if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
        return Err(format!(
            "{path}: absolute paths are not allowed; paths are relative to the repository root"
        ));
    }
    let mut parts = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                return Err(format!(
                    "{path}: `..` is not allowed; paths stay inside the repository"
                ))
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err("empty path".to_string());
    }
    Ok(parts.join("/"))
}

thread_local! {
    /// The handle of the rule run in progress on this thread, erased to a pointer: set by
    /// [`RepoHandle::enter`] for exactly the length of the run.
    static CURRENT: Cell<*const ()> = const { Cell::new(std::ptr::null()) };
}

impl RepoHandle<'_, '_> {
    /// Runs `f` (the rule run) with this handle as the repository the `repo` methods reach.
    /// The methods are made once per Lua state, not per run: a scoped function per run, created
    /// and destroyed around each of thousands of rule runs, cost more than most rules.
    pub fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        struct Leave(*const ());
        impl Drop for Leave {
            fn drop(&mut self) {
                CURRENT.with(|current| current.set(self.0));
            }
        }
        let previous = CURRENT.with(|current| current.replace((self as *const Self).cast()));
        let _leave = Leave(previous);
        f()
    }
}

/// Calls `f` with the handle of the run in progress, with the memory limit lifted (see
/// [`host_call`]).
fn with_current<R>(
    lua: &Lua,
    f: impl FnOnce(&RepoHandle<'_, '_>) -> mlua::Result<R>,
) -> mlua::Result<R> {
    let current = CURRENT.with(Cell::get);
    if current.is_null() {
        return Err(mlua::Error::RuntimeError(
            "the repository can only be used while its rule runs".to_string(),
        ));
    }
    // SAFETY: `current` was set by `RepoHandle::enter` on this thread from a handle borrowed for
    // the whole of `enter`'s call, and is cleared before that borrow ends; Lua calls the repo
    // methods only from inside that call (a thread runs one Lua call at a time).
    let handle = unsafe { &*current.cast::<RepoHandle<'_, '_>>() };
    host_call(lua, || f(handle))
}

/// The host side of the `repo` methods, one Lua function each, for the sandbox's `Repo`
/// metatable to call with the argument after `self`.
pub(crate) fn repo_methods(lua: &Lua) -> mlua::Result<Table> {
    fn add<R: IntoLuaMulti + 'static>(
        lua: &Lua,
        methods: &Table,
        name: &str,
        method: fn(&RepoHandle<'_, '_>, &Lua, Value) -> mlua::Result<R>,
    ) -> mlua::Result<()> {
        let function = lua.create_function(move |lua, arg: Value| {
            with_current(lua, |repo| method(repo, lua, arg))
        })?;
        methods.raw_set(name, function)
    }
    let methods = lua.create_table()?;
    add(lua, &methods, "files", method::files)?;
    add(lua, &methods, "exists", method::exists)?;
    add(lua, &methods, "read", method::read)?;
    add(lua, &methods, "doc", method::doc)?;
    add(lua, &methods, "artifact", method::artifact)?;
    add(lua, &methods, "artifacts", method::artifacts)?;
    add(lua, &methods, "report", method::report)?;
    Ok(methods)
}

/// A path argument; anything but a string is the plugin's mistake, named in the error.
fn path_arg(value: Value, method: &str) -> mlua::Result<String> {
    string_arg(value, method, "a path")
}

fn role_arg(value: Value, method: &str) -> mlua::Result<String> {
    string_arg(value, method, "an artifact role")
}

fn string_arg(value: Value, method: &str, what: &str) -> mlua::Result<String> {
    match value {
        Value::String(s) => Ok(s.to_str()?.to_string()),
        other => Err(mlua::Error::RuntimeError(format!(
            "{method}: expected {what} (a string), not {}",
            describe(&other)
        ))),
    }
}

/// The `repo` methods, each called with the run's handle and the argument after `self`.
mod method {
    use super::*;

    /// `repo:files()`: no glob (every file), one glob, or a list of them (files matching any).
    pub(super) fn files(repo: &RepoHandle<'_, '_>, lua: &Lua, globs: Value) -> mlua::Result<Table> {
        let globs: Option<Vec<String>> = match globs {
            Value::Nil => None,
            Value::Table(list) => Some(strings(lua, &list, "repo:files", "globs")?),
            glob => Some(vec![string_arg(glob, "repo:files", "a glob")?]),
        };
        let index = repo.cx.repo.index();
        charge(index.len() as u64 / 8 + 1)?;
        let Some(globs) = globs else {
            return lua.create_sequence_from(index.ids().map(|id| index.path(id)));
        };
        let mut ids = Vec::new();
        for glob in &globs {
            glob_matcher(glob)?.collect_matches(index, &mut ids);
        }
        ids.sort_unstable();
        ids.dedup();
        lua.create_sequence_from(ids.into_iter().map(|id| index.path(id)))
    }

    pub(super) fn exists(repo: &RepoHandle<'_, '_>, _: &Lua, path: Value) -> mlua::Result<bool> {
        let path = path_arg(path, "repo:exists")?;
        Ok(confine(&path).is_ok_and(|p| repo.cx.repo.index().exists(&p)))
    }

    pub(super) fn read(
        repo: &RepoHandle<'_, '_>,
        lua: &Lua,
        path: Value,
    ) -> mlua::Result<MultiValue> {
        at_path(repo, lua, path, "repo:read", |id| {
            let Some(doc) = repo.cx.repo.document(id) else {
                return Ok(None);
            };
            charge(text_cost(doc.text.len()))?;
            lua.create_string(&doc.text).map(Some)
        })
    }

    pub(super) fn doc(
        repo: &RepoHandle<'_, '_>,
        lua: &Lua,
        path: Value,
    ) -> mlua::Result<MultiValue> {
        at_path(repo, lua, path, "repo:doc", |id| repo.doc_table(lua, id))
    }

    /// What `open` makes of the file at the path argument, or `nil` and why there is none.
    fn at_path<T: IntoLuaMulti>(
        repo: &RepoHandle<'_, '_>,
        lua: &Lua,
        path: Value,
        method: &str,
        open: impl FnOnce(FileId) -> mlua::Result<Option<T>>,
    ) -> mlua::Result<MultiValue> {
        let path = path_arg(path, method)?;
        let id = match repo.locate(&path) {
            Ok(id) => id,
            Err(why) => return (Value::Nil, why).into_lua_multi(lua),
        };
        match open(id)? {
            Some(found) => found.into_lua_multi(lua),
            None => (Value::Nil, repo.unreadable(id)).into_lua_multi(lua),
        }
    }

    /// `repo:artifact()`: the primary document playing the role.
    pub(super) fn artifact(
        repo: &RepoHandle<'_, '_>,
        lua: &Lua,
        role: Value,
    ) -> mlua::Result<Option<Table>> {
        let role = role_arg(role, "repo:artifact")?;
        for &id in role_files(repo, &role)? {
            if let Some(doc) = repo.doc_table(lua, id)? {
                return Ok(Some(doc));
            }
        }
        Ok(None)
    }

    /// `repo:artifacts()`: one role, or a list of them; each document once, in the order found.
    pub(super) fn artifacts(
        repo: &RepoHandle<'_, '_>,
        lua: &Lua,
        roles: Value,
    ) -> mlua::Result<Table> {
        let roles: Vec<String> = match roles {
            Value::Table(list) => strings(lua, &list, "repo:artifacts", "roles")?,
            single => vec![role_arg(single, "repo:artifacts")?],
        };
        let docs = lua.create_table()?;
        let mut seen = Vec::new();
        for role in &roles {
            for &id in role_files(repo, role)? {
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                if let Some(doc) = repo.doc_table(lua, id)? {
                    docs.raw_push(doc)?;
                }
            }
        }
        Ok(docs)
    }

    pub(super) fn report(repo: &RepoHandle<'_, '_>, _: &Lua, spec: Value) -> mlua::Result<()> {
        let spec = match spec {
            Value::Table(t) => t,
            other => {
                return Err(mlua::Error::RuntimeError(format!(
                "repo:report: expected a table {{ message = ..., path = ..., line = ... }}, not {}",
                describe(&other)
            )))
            }
        };
        charge(REPORT_COST)?;
        let report = parse_report(&spec)?;
        // The host keeps the report until the run ends: its text is charged like text the
        // plugin builds, and held against the plugin's memory limit.
        let size = std::mem::size_of::<PendingReport>()
            + report.message.len()
            + report.path.as_ref().map_or(0, String::len)
            + report.help.as_ref().map_or(0, String::len);
        charge(text_cost(size))?;
        hold(size);
        repo.reports.borrow_mut().push(report);
        Ok(())
    }
}

/// A compiled `repo:files` glob with cheap tests run before the matcher: most globs name a file
/// (`**/ADOPTERS*`, `**/*.md`) or a folder (`**/guides/**/*.md`), and most paths fail on their
/// name, or on the folders the repository has, alone.
#[derive(Clone)]
pub(crate) struct PathGlob {
    /// The glob as a regular expression over paths (globset's translation), compiled like rule
    /// patterns: cheaply in runs that read few documents.
    matcher: regex_automata::meta::Regex,
    /// Lower-cased ASCII literal text the file name must start and end with.
    name_prefix: String,
    name_suffix: String,
    /// Lower-cased ASCII folder names the glob spells out (`guides` in `**/guides/**/*.md`):
    /// every match lies in a folder of each name.
    folders: Vec<String>,
}

impl PathGlob {
    fn new(glob: &str, matcher: regex_automata::meta::Regex) -> PathGlob {
        let glob = glob.trim_start_matches("./");
        let (folder_part, last) = glob.rsplit_once('/').unwrap_or(("", glob));
        // Only plain text before the last `/` keeps `last` the name: a `{a/b,c}` alternative or a
        // `[/]` class may hold a `/` of its own.
        let plain = !folder_part.contains(['{', '}', '[', ']', '\\']);
        let usable = plain && last.is_ascii() && !last.contains('\\') && !last.contains("**");
        let (name_prefix, name_suffix) = match last.find(['*', '?', '[', '{']) {
            _ if !usable => (String::new(), String::new()),
            None => (last.to_string(), last.to_string()),
            Some(first) => {
                let after = last
                    .rfind(['*', '?', ']', '}'])
                    .map_or(last.len(), |i| i + 1);
                (last[..first].to_string(), last[after..].to_string())
            }
        };
        let folders = match plain {
            false => Vec::new(),
            true => folder_part
                .split('/')
                .filter(|part| !part.is_empty() && part.is_ascii())
                .filter(|part| !part.contains(['*', '?']))
                .map(str::to_ascii_lowercase)
                .collect(),
        };
        PathGlob {
            matcher,
            name_prefix: name_prefix.to_ascii_lowercase(),
            name_suffix: name_suffix.to_ascii_lowercase(),
            folders,
        }
    }

    /// Appends the files that match to `out`, in no particular order. Only the files whose names
    /// start with the glob's literal start are tested (looked up by name, not one by one), and
    /// those with names outside ASCII; none when the repository lacks a folder the glob names.
    fn collect_matches(&self, index: &FileIndex, out: &mut Vec<FileId>) {
        if !self
            .folders
            .iter()
            .all(|name| index.may_have_folder_named(name))
        {
            return;
        }
        let matches = |&id: &FileId| self.is_match(index.path(id));
        if self.name_prefix.is_empty() {
            out.extend(index.ids().filter(matches));
            return;
        }
        let names = index.by_name();
        let long = self.name_prefix.len() > 8;
        out.extend(
            names
                .starting_with(&self.name_prefix)
                .filter(|&id| !long || index.lower_file_name(id).starts_with(&self.name_prefix))
                .chain(names.other.iter().copied())
                .filter(matches),
        );
    }

    fn is_match(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path).as_bytes();
        // Non-ASCII names go to the matcher: Unicode case folding is not ASCII's.
        let plausible = !name.is_ascii()
            || (name.len() >= self.name_prefix.len()
                && name.len() >= self.name_suffix.len()
                && name[..self.name_prefix.len()]
                    .eq_ignore_ascii_case(self.name_prefix.as_bytes())
                && name[name.len() - self.name_suffix.len()..]
                    .eq_ignore_ascii_case(self.name_suffix.as_bytes()));
        plausible && self.matcher.is_match(path.as_bytes())
    }
}

fn glob_matcher(glob: &str) -> mlua::Result<Arc<PathGlob>> {
    charge(compile_cost(glob))?;
    let compiled = cached_compile(&GLOBS, &SHARED_GLOBS, glob, || Compiled {
        value: path_regex(glob)
            .map(|matcher| Arc::new(PathGlob::new(glob, matcher)))
            .map_err(|why| format!("repo:files: invalid glob `{glob}`: {why}")),
        // A glob has no counted repetition: its automaton grows with its text, charged above.
        weight: 0,
    });
    compiled.value.clone().map_err(mlua::Error::RuntimeError)
}

/// A case-insensitive glob over `/`-separated relative paths, as a regex over their bytes.
fn path_regex(glob: &str) -> Result<regex_automata::meta::Regex, String> {
    let glob = GlobBuilder::new(glob.trim_start_matches("./"))
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map_err(|e| e.kind().to_string())?;
    // As globset compiles it: over bytes, `.` matching any byte.
    let syntax = regex_automata::util::syntax::Config::new()
        .utf8(false)
        .dot_matches_new_line(true);
    crate::pattern::build(glob.regex(), syntax).map_err(|e| e.to_string())
}

/// The strings of a list argument (`what` names them in the error), up to its first nil. They are
/// read straight off the Lua stack: converting each item to an mlua value first (a registry
/// reference per string) cost more than the rest of a `repo:artifacts` call with a dozen roles.
fn strings(lua: &Lua, list: &Table, method: &str, what: &str) -> mlua::Result<Vec<String>> {
    let mut items = Vec::new();
    let mut not_a_string = None;
    // SAFETY: the closure runs inside a protected call with the list as its argument 1, and only
    // reads it raw (no metamethod, no allocation in Lua, no error raised): nothing can leave it
    // by a Lua error, and it pops all it pushes.
    unsafe {
        lua.exec_raw::<()>(list, |state| {
            for i in 1.. {
                let kind = ffi::lua_rawgeti(state, 1, i);
                if kind == ffi::LUA_TSTRING {
                    let mut len = 0;
                    let data = ffi::lua_tolstring(state, -1, &mut len);
                    items.push(std::slice::from_raw_parts(data.cast::<u8>(), len).to_vec());
                } else if kind != ffi::LUA_TNIL {
                    not_a_string = Some(i);
                }
                ffi::lua_pop(state, 1);
                if kind != ffi::LUA_TSTRING {
                    break;
                }
            }
        })?;
    }
    if let Some(i) = not_a_string {
        let item: Value = list.raw_get(i)?;
        return Err(mlua::Error::RuntimeError(format!(
            "{method}: {what} are strings, not {}",
            describe(&item)
        )));
    }
    items
        .into_iter()
        .map(|bytes| {
            String::from_utf8(bytes).map_err(|e| {
                mlua::Error::RuntimeError(format!(
                    "{method}: {what} are UTF-8 text, not {:?}",
                    String::from_utf8_lossy(e.as_bytes())
                ))
            })
        })
        .collect()
}

/// The files playing `role`, primary first.
fn role_files<'r>(this: &'r RepoHandle<'_, '_>, role: &str) -> mlua::Result<&'r [FileId]> {
    let catalog = this.cx.artifacts.catalog();
    let Some(i) = catalog.role_index(role) else {
        let names = catalog.names();
        let hint = match suggest(role, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known roles: {}", names.join(", ")),
        };
        return Err(mlua::Error::RuntimeError(format!(
            "unknown artifact role `{role}`: {hint}"
        )));
    };
    charge(this.cx.repo.index().len() as u64 / 8 + 1)?;
    Ok(&this.cx.artifacts.resolved(i).files)
}

const REPORT_KEYS: [&str; 6] = ["message", "path", "line", "column", "help", "severity"];

fn parse_report(spec: &Table) -> mlua::Result<PendingReport> {
    let bad = |msg: String| mlua::Error::RuntimeError(format!("repo:report: {msg}"));
    // One pass over the table takes every field, by its place in REPORT_KEYS.
    let mut fields: [Value; REPORT_KEYS.len()] = Default::default();
    spec.for_each::<Value, Value>(|key, value| {
        let Value::String(key) = &key else {
            return Err(bad(format!(
                "unexpected {} key; fields are named",
                key.type_name()
            )));
        };
        let key = key.as_bytes();
        match REPORT_KEYS.iter().position(|k| k.as_bytes() == &*key) {
            Some(i) => fields[i] = value,
            None => {
                let key = String::from_utf8_lossy(&key);
                let hint = match suggest(&key, REPORT_KEYS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("fields are {}", REPORT_KEYS.join(", ")),
                };
                return Err(bad(format!("unknown field `{key}`: {hint}")));
            }
        }
        Ok(())
    })?;
    let [message, path, line, column, help, severity] = fields;
    let message = match message {
        Value::String(s) if !s.as_bytes().is_empty() => super::host::scrub(&s.to_string_lossy()),
        Value::Nil => return Err(bad("`message` is required".to_string())),
        other => {
            return Err(bad(format!(
                "`message` must be a non-empty string, not {}",
                describe(&other)
            )))
        }
    };
    let text = |key: &str, value: Value| -> mlua::Result<Option<String>> {
        match value {
            Value::Nil => Ok(None),
            Value::String(s) => Ok(Some(s.to_string_lossy())),
            other => Err(bad(format!(
                "`{key}` must be a string, not {}",
                describe(&other)
            ))),
        }
    };
    let number = |key: &str, value: Value| -> mlua::Result<Option<u32>> {
        match value {
            Value::Nil => Ok(None),
            Value::Integer(n) if n >= 1 && n <= u32::MAX as i64 => Ok(Some(n as u32)),
            Value::Number(n) if n.fract() == 0.0 && n >= 1.0 && n <= u32::MAX as f64 => {
                Ok(Some(n as u32))
            }
            other => Err(bad(format!(
                "`{key}` must be a positive integer, not {}",
                describe(&other)
            ))),
        }
    };
    let path = match text("path", path)? {
        Some(p) => Some(confine(&p).map_err(bad)?),
        None => None,
    };
    let line = number("line", line)?;
    let column = number("column", column)?;
    if line.is_some() && path.is_none() {
        return Err(bad("`line` needs a `path`".to_string()));
    }
    if column.is_some() && line.is_none() {
        return Err(bad("`column` needs a `line`".to_string()));
    }
    let severity = match text("severity", severity)?.as_deref() {
        None => None,
        Some("error") => Some(Severity::Error),
        Some("warning") => Some(Severity::Warning),
        Some("info") => Some(Severity::Info),
        Some(other) => {
            return Err(bad(format!(
                "`severity` must be \"error\", \"warning\" or \"info\", not \"{other}\""
            )))
        }
    };
    Ok(PendingReport {
        message,
        path,
        line,
        column,
        help: text("help", help)?.map(|help| super::host::scrub(&help)),
        severity,
    })
}

/// A value as an error message names it: strings quoted, tables by type.
fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{}\"", s.to_string_lossy()),
        Value::Integer(i) => i.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Nil => "nil".to_string(),
        other => format!("a {}", other.type_name()),
    }
}

/// The host side of documents, made once per Lua state: `document_field(doc, key)`, which
/// builds a field on its first read (the sandbox's `Document` metatable keeps it in the table),
/// and the methods, each called with the document and the argument after it.
pub(crate) fn document_functions(lua: &Lua) -> mlua::Result<(Function, Table)> {
    let field = lua.create_function(|lua, (doc, key): (Value, Value)| {
        with_current(lua, |repo| {
            let Value::String(key) = key else {
                return Ok(Value::Nil);
            };
            let key = key.to_str()?;
            let doc = repo.document_of(&doc, || format!("doc.{key}"))?;
            document_field(lua, &doc, &key)
        })
    })?;
    let methods = lua.create_table()?;
    for (name, method) in [("section", section as DocumentMethod), ("matches", matches)] {
        let function = lua.create_function(move |lua, (doc, arg): (Value, Value)| {
            with_current(lua, |repo| {
                let doc = repo.document_of(&doc, || format!("doc:{name}"))?;
                method(lua, &doc, &arg)
            })
        })?;
        methods.raw_set(name, function)?;
    }
    Ok((field, methods))
}

/// The value of `doc.<key>`, charged to the budget by its size; nil for a key that is no field.
fn document_field(lua: &Lua, doc: &Document, key: &str) -> mlua::Result<Value> {
    Ok(match key {
        "path" => Value::String(lua.create_string(&doc.path)?),
        "kind" => Value::String(lua.create_string(match doc.kind {
            DocKind::Markdown => "markdown",
            DocKind::Rst => "rst",
            DocKind::Asciidoc => "asciidoc",
            DocKind::Text => "text",
        })?),
        "title" => match doc.title() {
            Some(title) => Value::String(lua.create_string(title)?),
            None => Value::Nil,
        },
        "text" => {
            charge(text_cost(doc.text.len()))?;
            Value::String(lua.create_string(&doc.text)?)
        }
        "prose" => {
            charge(text_cost(doc.text.len()))?;
            Value::String(lua.create_string(prose_text(doc))?)
        }
        "lines" => {
            charge(text_cost(doc.text.len()) + doc.line_count() as u64)?;
            Value::Table(lua.create_sequence_from(doc.lines())?)
        }
        "headings" => {
            charge(doc.headings.len() as u64 * 8 + 1)?;
            let list = lua.create_table_with_capacity(doc.headings.len(), 0)?;
            for (h, slug) in doc.headings.iter().zip(doc.slugs()) {
                let t = lua.create_table_with_capacity(0, 4)?;
                t.raw_set("level", h.level)?;
                t.raw_set("text", h.text.as_str())?;
                t.raw_set("slug", slug.as_str())?;
                t.raw_set("line", h.line)?;
                list.raw_push(t)?;
            }
            Value::Table(list)
        }
        "sections" => {
            charge(text_cost(doc.text.len()) + doc.headings.len() as u64 * 8)?;
            let list = lua.create_table_with_capacity(doc.headings.len(), 0)?;
            for i in 0..doc.headings.len() {
                list.raw_push(section_table(lua, doc, i)?)?;
            }
            Value::Table(list)
        }
        "links" => {
            charge(doc.links.len() as u64 * 8 + 1)?;
            let list = lua.create_table_with_capacity(doc.links.len(), 0)?;
            for link in &doc.links {
                let t = lua.create_table_with_capacity(0, 5)?;
                t.raw_set(
                    "kind",
                    match link.kind {
                        LinkKind::Link => "link",
                        LinkKind::Image => "image",
                        LinkKind::Definition => "definition",
                        LinkKind::CrossReference => "xref",
                    },
                )?;
                t.raw_set("target", link.target.as_str())?;
                t.raw_set("text", link.text.as_str())?;
                t.raw_set("line", link.line)?;
                t.raw_set("external", link.is_external())?;
                list.raw_push(t)?;
            }
            Value::Table(list)
        }
        "front_matter" => match doc.front_matter.as_ref() {
            Some(fm) if !fm.value.is_null() => json_to_lua(lua, &fm.value, 0)?,
            _ => Value::Nil,
        },
        "lifecycle" => Value::String(lua.create_string(doc.lifecycle.lifecycle.as_str())?),
        _ => Value::Nil,
    })
}

/// A document method, called with the document and the argument after it.
type DocumentMethod = fn(&Lua, &Document, &Value) -> mlua::Result<Value>;

/// `doc:section(pattern)`: the first section whose heading matches.
fn section(lua: &Lua, doc: &Document, pattern: &Value) -> mlua::Result<Value> {
    let regex = pattern_arg(pattern, "doc:section")?;
    charge(doc.headings.len() as u64 + 1)?;
    match doc
        .headings
        .iter()
        .position(|h| regex.is_match(h.text.as_bytes()))
    {
        Some(i) => {
            charge(text_cost(doc.headings[i].section.len()))?;
            Ok(Value::Table(section_table(lua, doc, i)?))
        }
        None => Ok(Value::Nil),
    }
}

/// `doc:matches(pattern)`: every match in the prose, with its line and column.
fn matches(lua: &Lua, doc: &Document, pattern: &Value) -> mlua::Result<Value> {
    let regex = pattern_arg(pattern, "doc:matches")?;
    charge(text_cost(doc.text.len()))?;
    let list = lua.create_table()?;
    for (offset, piece) in doc.prose(doc.full()) {
        for m in regex.find_iter(piece.as_bytes()) {
            charge(8)?;
            let start = offset + m.start();
            let t = lua.create_table_with_capacity(0, 3)?;
            t.raw_set("text", lua.create_string(m.as_bytes())?)?;
            t.raw_set("line", doc.line_of(start))?;
            t.raw_set("column", doc.column_of(start))?;
            list.raw_push(t)?;
        }
    }
    Ok(Value::Table(list))
}

/// A section as a table: its heading and the text under it, subsections included.
fn section_table(lua: &Lua, doc: &Document, i: usize) -> mlua::Result<Table> {
    let h = &doc.headings[i];
    let t = lua.create_table_with_capacity(0, 6)?;
    t.raw_set("heading", h.text.as_str())?;
    t.raw_set("level", h.level)?;
    t.raw_set("slug", doc.slugs()[i].as_str())?;
    t.raw_set("line", h.line)?;
    let end = h.section.end.max(h.section.start);
    let last = if end > h.section.start {
        doc.line_of(end - 1)
    } else {
        h.line
    };
    t.raw_set("end_line", last.max(h.line))?;
    t.raw_set(
        "text",
        lua.create_string(doc.text.get(h.section.clone()).unwrap_or_default())?,
    )?;
    Ok(t)
}

/// The document's text with code, comments and front matter blanked out; offsets and line
/// numbers are those of the text.
fn prose_text(doc: &Document) -> String {
    let mut out = String::with_capacity(doc.text.len());
    let mut at = 0;
    for (offset, piece) in doc.prose(doc.full()) {
        blank(&doc.text[at..offset], &mut out);
        out.push_str(piece);
        at = offset + piece.len();
    }
    blank(&doc.text[at..], &mut out);
    out
}

fn blank(hidden: &str, out: &mut String) {
    out.extend(
        hidden
            .chars()
            .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
    );
}

/// `{}` for an empty mapping, a sequence for a JSON array; depth-limited.
fn json_to_lua(lua: &Lua, value: &serde_json::Value, depth: usize) -> mlua::Result<Value> {
    charge(1)?;
    if depth > 64 {
        return Err(mlua::Error::RuntimeError(
            "front matter nested too deeply".to_string(),
        ));
    }
    Ok(match value {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Boolean(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => {
            charge(text_cost(s.len()))?;
            Value::String(lua.create_string(s)?)
        }
        serde_json::Value::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for item in items {
                t.raw_push(json_to_lua(lua, item, depth + 1)?)?;
            }
            Value::Table(t)
        }
        serde_json::Value::Object(map) => {
            let t = lua.create_table_with_capacity(0, map.len())?;
            for (k, v) in map {
                t.raw_set(k.as_str(), json_to_lua(lua, v, depth + 1)?)?;
            }
            Value::Table(t)
        }
    })
}

/// Plugin options (a TOML table from `ospolint.toml`) as a Lua table.
pub(crate) fn toml_to_lua(lua: &Lua, value: &toml::Value) -> mlua::Result<Value> {
    Ok(match value {
        toml::Value::String(s) => Value::String(lua.create_string(s)?),
        toml::Value::Integer(i) => Value::Integer(*i),
        toml::Value::Float(f) => Value::Number(*f),
        toml::Value::Boolean(b) => Value::Boolean(*b),
        toml::Value::Datetime(d) => Value::String(lua.create_string(d.to_string())?),
        toml::Value::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for item in items {
                t.raw_push(toml_to_lua(lua, item)?)?;
            }
            Value::Table(t)
        }
        toml::Value::Table(map) => Value::Table(toml_table(lua, map)?),
    })
}

pub(crate) fn toml_table(lua: &Lua, map: &toml::Table) -> mlua::Result<Table> {
    let t = lua.create_table_with_capacity(0, map.len())?;
    for (k, v) in map {
        t.raw_set(k.as_str(), toml_to_lua(lua, v)?)?;
    }
    Ok(t)
}

/// A regex handed to Lua by `ospolint.regex`: its syntax is checked when it is made, and it is
/// compiled on first use, so a rule that returns early never pays for the patterns it declares
/// when its file loads (compiling them cost more than the rest of a pre-commit run).
pub(crate) struct RegexHandle {
    source: String,
    case_insensitive: bool,
    compiled: OnceLock<Arc<Regex>>,
}

impl RegexHandle {
    fn new(source: &str, case_insensitive: bool) -> mlua::Result<RegexHandle> {
        charge(compile_cost(source))?;
        // A pattern checked or compiled before is valid. Without this, every Lua state would
        // parse the patterns its plugins declare when they load, and rules that build their
        // regexes on each run (from a repository's CODEOWNERS, say) would parse them every time.
        let key = cache_key(source, case_insensitive);
        let known = REGEXES
            .with_borrow(|cache| {
                cache
                    .get(&key)
                    .filter(|compiled| compiled.value.is_ok())
                    .map(|compiled| compiled.weight)
            })
            .or_else(|| {
                VALID
                    .get()
                    .and_then(|valid| unpoisoned(valid).get(&key).copied())
            });
        let weight = match known {
            Some(weight) => weight,
            None => {
                // The bytes API's syntax: `(?-u)` classes may match bytes that are not UTF-8.
                // Case folding is left to the compile: it cannot make a valid pattern invalid,
                // and folding Unicode classes such as `\w` was most of the check's cost.
                let hir = regex_syntax::ParserBuilder::new()
                    .case_insensitive(false)
                    .utf8(false)
                    .build()
                    .parse(source)
                    .map_err(|e| {
                        mlua::Error::RuntimeError(format!("invalid regex `{source}`: {e}"))
                    })?;
                let weight = crate::pattern::automaton_weight(&hir);
                let mut valid = unpoisoned(VALID.get_or_init(Mutex::default));
                if valid.len() < CACHE_SIZE {
                    valid.insert(key, weight);
                }
                weight
            }
        };
        // The compile comes on first use, maybe in another run: it is charged here, where the
        // regex is made, so that what a run spends does not depend on the runs before it.
        charge(weight)?;
        Ok(RegexHandle {
            source: source.to_string(),
            case_insensitive,
            compiled: OnceLock::new(),
        })
    }

    fn regex(&self) -> mlua::Result<&Arc<Regex>> {
        if let Some(regex) = self.compiled.get() {
            return Ok(regex);
        }
        let regex = build(&self.source, self.case_insensitive)
            .value
            .clone()
            .map_err(mlua::Error::RuntimeError)?;
        Ok(self.compiled.get_or_init(|| regex))
    }
}

/// How many compiled regexes and globs a thread (and the process) keeps, and how many checked
/// patterns the process.
const CACHE_SIZE: usize = 1024;

/// A pattern compiled, or why it could not be, with the weight of its automaton (see
/// [`crate::pattern::automaton_weight`]). Failures are kept like successes: a pattern too large to compile takes
/// as long to fail as to succeed, and a rule calling it in a loop would pay that every time.
struct Compiled<T> {
    value: Result<Arc<T>, String>,
    weight: u64,
}

impl<T> Clone for Compiled<T> {
    fn clone(&self) -> Self {
        Compiled {
            value: self.value.clone(),
            weight: self.weight,
        }
    }
}

thread_local! {
    /// Compiled regexes and globs, by pattern: plugins compile their patterns when they load,
    /// once per state, and rules may build them on each run; compiling costs far more than
    /// matching. Each thread uses its own: a regex used from a thread other than the one that
    /// made it takes its match cache from a locked pool on every search, and with one regex
    /// shared, two workers spent more CPU time on the plugins than their instructions explain.
    static REGEXES: RefCell<FxHashMap<String, Compiled<Regex>>> = RefCell::default();
    static GLOBS: RefCell<FxHashMap<String, Compiled<PathGlob>>> = RefCell::default();
}
/// The same, compiled once for the process: a thread without a pattern takes a clone, which has a
/// match cache of its own, instead of compiling it again.
static SHARED_REGEXES: OnceLock<Mutex<HashMap<String, Compiled<Regex>>>> = OnceLock::new();
static SHARED_GLOBS: OnceLock<Mutex<HashMap<String, Compiled<PathGlob>>>> = OnceLock::new();
/// Regexes whose syntax was checked (by `ospolint.regex`) but that may not be compiled yet, with
/// their weights.
static VALID: OnceLock<Mutex<HashMap<String, u64>>> = OnceLock::new();

/// A compiled pattern from this thread's cache, else a copy of the process's (its own match
/// cache), else compiled here and kept in both.
fn cached_compile<T: Clone>(
    local: &'static std::thread::LocalKey<RefCell<FxHashMap<String, Compiled<T>>>>,
    shared: &'static OnceLock<Mutex<HashMap<String, Compiled<T>>>>,
    key: &str,
    compile: impl FnOnce() -> Compiled<T>,
) -> Compiled<T> {
    if let Some(found) = local.with_borrow(|cache| cache.get(key).cloned()) {
        return found;
    }
    let shared = shared.get_or_init(Mutex::default);
    let cloned = unpoisoned(shared).get(key).map(|found| Compiled {
        value: found
            .value
            .as_deref()
            .cloned()
            .map(Arc::new)
            .map_err(Clone::clone),
        weight: found.weight,
    });
    let compiled = match cloned {
        Some(compiled) => compiled,
        None => {
            // Compiled outside the lock: two threads may both compile a new pattern, but neither
            // waits for the other's compile.
            let compiled = compile();
            let mut shared = unpoisoned(shared);
            if shared.len() < CACHE_SIZE {
                shared.insert(key.to_string(), compiled.clone());
            }
            compiled
        }
    };
    local.with_borrow_mut(|cache| {
        if cache.len() < CACHE_SIZE {
            cache.insert(key.to_string(), compiled.clone());
        }
    });
    compiled
}

/// The cost charged for a compile, whether or not the cache already had it, so a rule's budget
/// does not depend on what ran before it.
fn compile_cost(pattern: &str) -> u64 {
    pattern.len() as u64 * 16 + 100
}

fn compile(pattern: &str, case_insensitive: bool) -> mlua::Result<Arc<Regex>> {
    charge(compile_cost(pattern))?;
    let compiled = build(pattern, case_insensitive);
    charge(compiled.weight)?;
    compiled.value.map_err(mlua::Error::RuntimeError)
}

fn cache_key(pattern: &str, case_insensitive: bool) -> String {
    if case_insensitive {
        format!("(?i){pattern}")
    } else {
        pattern.to_string()
    }
}

/// A compiled regex, from this thread's or the process's cache when it was compiled before.
fn build(pattern: &str, case_insensitive: bool) -> Compiled<Regex> {
    let key = cache_key(pattern, case_insensitive);
    cached_compile(&REGEXES, &SHARED_REGEXES, &key, || {
        let value = RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .size_limit(1 << 20)
            .dfa_size_limit(1 << 20)
            .build()
            .map(Arc::new)
            .map_err(|e| format!("invalid regex `{pattern}`: {e}"));
        let weight = regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .utf8(false)
            .build()
            .parse(pattern)
            .map_or(0, |hir| crate::pattern::automaton_weight(&hir));
        Compiled { value, weight }
    })
}

/// A pattern argument: a string (compiled case-insensitively) or a regex from `ospolint.regex`.
fn pattern_arg(pattern: &Value, what: &str) -> mlua::Result<Arc<Regex>> {
    match pattern {
        Value::String(s) => compile(&s.to_str()?, true),
        Value::UserData(ud) => Ok(ud.borrow::<RegexHandle>()?.regex()?.clone()),
        other => Err(mlua::Error::RuntimeError(format!(
            "{what}: the pattern must be a string or an ospolint.regex, not {}",
            describe(other)
        ))),
    }
}

impl UserData for RegexHandle {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("is_match", |_, this, s: mlua::String| {
            let bytes = s.as_bytes();
            charge(text_cost(bytes.len()))?;
            Ok(this.regex()?.is_match(&bytes))
        });
        methods.add_method("find", |_, this, (s, init): (mlua::String, Option<i64>)| {
            let bytes = s.as_bytes();
            charge(text_cost(bytes.len()))?;
            let start = start_offset(init, bytes.len());
            Ok(match this.regex()?.find_at(&bytes, start) {
                Some(m) => (Some(m.start() as i64 + 1), Some(m.end() as i64)),
                None => (None, None),
            })
        });
        methods.add_method(
            "captures",
            |lua, this, (s, init): (mlua::String, Option<i64>)| {
                let bytes = s.as_bytes();
                charge(text_cost(bytes.len()))?;
                let start = start_offset(init, bytes.len());
                let regex = this.regex()?;
                let Some(caps) = regex.captures_at(&bytes, start) else {
                    return Ok(Value::Nil);
                };
                let t = lua.create_table()?;
                for (i, group) in caps.iter().enumerate() {
                    if let Some(g) = group {
                        t.raw_set(i, lua.create_string(g.as_bytes())?)?;
                    }
                }
                for name in regex.capture_names().flatten() {
                    if let Some(g) = caps.name(name) {
                        t.raw_set(name, lua.create_string(g.as_bytes())?)?;
                    }
                }
                Ok(Value::Table(t))
            },
        );
        methods.add_method("find_all", |lua, this, s: mlua::String| {
            let bytes = s.as_bytes();
            charge(text_cost(bytes.len()))?;
            let list = lua.create_table()?;
            for m in this.regex()?.find_iter(&bytes) {
                charge(4)?;
                list.raw_push(lua.create_string(m.as_bytes())?)?;
            }
            Ok(list)
        });
        methods.add_meta_method("__tostring", |_, this, ()| {
            Ok(format!("ospolint.regex({})", this.source))
        });
    }
}

/// A Lua `init` position (1-based, negative from the end) as a byte offset.
fn start_offset(init: Option<i64>, len: usize) -> usize {
    match init {
        None | Some(0) => 0,
        Some(i) if i > 0 => (i as usize - 1).min(len),
        Some(i) => len.saturating_sub(i.unsigned_abs() as usize),
    }
}

/// The `ospolint` table every plugin environment gets a copy of.
pub(crate) fn api_table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("version", env!("CARGO_PKG_VERSION"))?;
    t.raw_set(
        "regex",
        lua.create_function(|lua, (pattern, flags): (mlua::String, Option<String>)| {
            let insensitive = match flags.as_deref() {
                None | Some("") => false,
                Some("i") => true,
                Some(other) => {
                    return Err(mlua::Error::RuntimeError(format!(
                        "ospolint.regex: unknown flags \"{other}\"; use \"i\" or an inline (?i)"
                    )))
                }
            };
            lua.create_userdata(RegexHandle::new(&pattern.to_str()?, insensitive)?)
        })?,
    )?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_repository() {
        assert_eq!(confine("docs/./guide.md").unwrap(), "docs/guide.md");
        assert!(confine("../../etc/passwd").is_err());
        assert!(confine("docs/../../x").is_err());
        assert!(confine("/etc/passwd").is_err());
        assert!(confine("C:/Windows").is_err());
        assert!(confine("").is_err());
    }

    #[test]
    fn regexes_are_checked_when_made_and_compiled_when_used() {
        for (pattern, case_insensitive) in [("[a-", false), ("[a-", true), (r"\p{Foo}", true)] {
            let err = RegexHandle::new(pattern, case_insensitive)
                .err()
                .unwrap_or_else(|| panic!("`{pattern}` was accepted"));
            assert!(err.to_string().contains("invalid regex"), "{err}");
        }
        let contact = RegexHandle::new(r"\bospo@\w+\.\w+", true).unwrap();
        assert!(contact
            .regex()
            .unwrap()
            .is_match("OSPO@Acme.example".as_bytes()));
        let exact = RegexHandle::new(r"\bospo@\w+\.\w+", false).unwrap();
        assert!(!exact
            .regex()
            .unwrap()
            .is_match("OSPO@Acme.example".as_bytes()));
        // A byte class that is not UTF-8 is valid in the bytes API, folded or not.
        assert!(RegexHandle::new(r"(?-u:\xFF)x", true).is_ok());
    }

    fn index_of(paths: &[&str]) -> FileIndex {
        let files = paths
            .iter()
            .map(|p| crate::scan::FileEntry {
                path: p.to_string(),
            })
            .collect();
        FileIndex::new(files, Default::default())
    }

    /// What `repo:files` gives for one glob, in path order.
    fn matching<'i>(index: &'i FileIndex, glob: &str) -> Vec<&'i str> {
        let mut ids = Vec::new();
        PathGlob::new(glob, path_regex(glob).unwrap()).collect_matches(index, &mut ids);
        ids.sort_unstable();
        ids.into_iter().map(|id| index.path(id)).collect()
    }

    #[test]
    fn files_are_looked_up_by_name_and_folder_and_agree_with_the_glob() {
        let index = index_of(&[
            "ADOPTERS.md",
            "USERS.md",
            "docs/ADOPTERS.md",
            "docs/Adopters.rst",
            "docs/guide.md",
            "ospo/Guides/legal.md",
            "ospo/guides/sub/x.md",
            "src/adopt.rs",
            "users/ÄDOPTERS.md",
            "ſtrategy/plan.md",
        ]);
        // Each answer checked against the glob's matcher alone, on every file.
        let by_matcher = |glob: &str| -> Vec<&str> {
            let matcher = path_regex(glob).unwrap();
            index
                .ids()
                .map(|id| index.path(id))
                .filter(|path| matcher.is_match(path.as_bytes()))
                .collect()
        };
        for (glob, expected) in [
            (
                "**/ADOPTERS*",
                &["ADOPTERS.md", "docs/ADOPTERS.md", "docs/Adopters.rst"][..],
            ),
            (
                "**/guides/**/*.md",
                &["ospo/Guides/legal.md", "ospo/guides/sub/x.md"],
            ),
            ("docs/*.md", &["docs/ADOPTERS.md", "docs/guide.md"]),
            ("missing/**/*.md", &[]),
            // Alternatives and classes holding a `/` are not read as a folder and a name.
            (
                "{docs/ADOPTERS.md,USERS.md}",
                &["USERS.md", "docs/ADOPTERS.md"],
            ),
            ("docs[/]guide.md", &[]),
            // Globs ignore ASCII case only: `ſ` is not an `s`.
            ("**/strategy/*.md", &[]),
            ("**/ſtrategy/*.md", &["ſtrategy/plan.md"]),
        ] {
            let found = matching(&index, glob);
            assert_eq!(found, expected, "{glob}");
            assert_eq!(found, by_matcher(glob), "{glob}");
        }
        assert_eq!(matching(&index, "**/*.md").len(), 8);
    }

    #[test]
    fn file_name_test_agrees_with_the_glob() {
        let glob = |g: &str| PathGlob::new(g, path_regex(g).unwrap());
        let adopters = glob("**/ADOPTERS*");
        assert!(adopters.is_match("ADOPTERS.md"));
        assert!(adopters.is_match("docs/adopters.rst"));
        assert!(!adopters.is_match("docs/guide.md"));
        let markdown = glob("docs/*.md");
        assert!(markdown.is_match("docs/a.MD"));
        assert!(!markdown.is_match("docs/sub/a.md"));
        assert!(!markdown.is_match("docs/a.mdx"));
        let exact = glob("USERS.md");
        assert!(exact.is_match("users.md"));
        assert!(!exact.is_match("USERS.md.bak"));
        let set = glob("**/{MENTORS,mentoring}*");
        assert!(set.is_match("a/mentoring.md"));
        assert!(
            glob("**/été*").is_match("x/ÉTÉ.md") == glob("**/été*").matcher.is_match("x/ÉTÉ.md")
        );
    }

    #[test]
    fn init_positions_follow_lua() {
        assert_eq!(start_offset(None, 10), 0);
        assert_eq!(start_offset(Some(3), 10), 2);
        assert_eq!(start_offset(Some(-2), 10), 8);
        assert_eq!(start_offset(Some(50), 10), 10);
    }
}
