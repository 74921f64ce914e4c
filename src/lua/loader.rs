//! Loading plugin files: run each file once in a validation state, check the rules it returns
//! (the same metadata and validation as rule packs) and its declared test cases. Every mistake is
//! a [`SourceError`] pointing at the plugin file and line: exit 2 before any repository is read.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use miette::NamedSource;
use mlua::{ChunkMode, Table, Value};

use super::api::api_table;
use super::host::Host;
use super::sandbox::{self, Limits, Sandbox};
use crate::config::input::{read_input, InputError, InputKind};
use crate::config::ProfileChoice;
use crate::diagnostic::{suggest, SourceError};
use crate::finding::Severity;
use crate::maturity::{Petal, Stage};
use crate::rule::{Profile, RuleMeta};

/// One plugin file as read from disk (or embedded, for the built-in Lua rules).
#[derive(Debug, Clone)]
pub struct PluginSource {
    /// The path as the user gave it (or the embedded name); used in messages and tracebacks.
    pub name: String,
    pub text: String,
    /// The folder fixture paths of its test cases are relative to.
    pub dir: PathBuf,
}

/// A rule a plugin defines.
#[derive(Debug, Clone)]
pub struct PluginRule {
    pub meta: RuleMeta,
    /// Index of its file in [`PluginSet::plugins`].
    pub plugin: usize,
    /// Position in the list the file returns (1-based, as Lua counts).
    pub position: usize,
    /// Line of the rule's definition in its file.
    pub line: u32,
    /// `[plugin_options."<id>"]` from the configuration.
    pub options: Option<Arc<toml::Table>>,
}

/// A policy unit test: run the plugin's rules on a fixture repository, expect these findings.
#[derive(Debug, Clone)]
pub struct TestCase {
    pub name: String,
    pub fixture: PathBuf,
    pub profile: Option<ProfileChoice>,
    /// Options for this case, by rule id, instead of the configuration's.
    pub options: BTreeMap<String, toml::Table>,
    pub expect: Vec<Expected>,
}

/// One expected finding. `path` and `line` must match exactly (`nil` = none); `message`, when
/// given, must be part of the finding's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub rule: String,
    pub path: Option<String>,
    pub line: Option<u32>,
    pub message: Option<String>,
}

/// Plugin files loaded together, with their rules and tests. Each worker thread loads the set
/// into its Lua state once and reuses it for every repository.
pub struct PluginSet {
    pub(crate) id: u64,
    pub plugins: Vec<PluginSource>,
    pub rules: Vec<PluginRule>,
    pub tests: Vec<Vec<TestCase>>,
    pub limits: Limits,
}

impl std::fmt::Debug for PluginSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginSet")
            .field(
                "plugins",
                &self.plugins.iter().map(|p| &p.name).collect::<Vec<_>>(),
            )
            .field(
                "rules",
                &self.rules.iter().map(|r| &r.meta.id).collect::<Vec<_>>(),
            )
            .field("limits", &self.limits)
            .finish()
    }
}

static NEXT_SET_ID: AtomicU64 = AtomicU64::new(1);

const RULE_KEYS: [&str; 11] = [
    "id",
    "title",
    "petal",
    "stage",
    "severity",
    "profiles",
    "rationale",
    "fix",
    "example",
    "docs",
    "check",
];
const CASE_KEYS: [&str; 5] = ["name", "fixture", "profile", "options", "expect"];
const EXPECT_KEYS: [&str; 4] = ["rule", "path", "line", "message"];

/// Runs a plugin file in `sandbox` and returns what it returned. The file gets its own
/// environment, sealed once it has run.
pub(crate) fn run_file(
    sandbox: &Sandbox,
    api: &Table,
    source: &PluginSource,
    limits: Limits,
) -> mlua::Result<Value> {
    let env = sandbox.env(&source.name, api)?;
    sandbox.start_budget(limits);
    let value = sandbox
        .lua
        .load(source.text.as_str())
        .set_name(format!("@{}", source.name))
        .set_mode(ChunkMode::Text)
        .set_environment(env.clone())
        .call::<Value>(())?;
    // Stopped for its limits, even if the error was swallowed on the way out (see `Host::run`).
    if sandbox::halted().is_some() {
        return Err(mlua::Error::RuntimeError(
            sandbox::BUDGET_EXCEEDED.to_string(),
        ));
    }
    sandbox.seal(&env)?;
    Ok(value)
}

impl PluginSet {
    /// Loads and validates `sources`. `taken` maps rule ids already defined (built-in rules,
    /// packs) to where they come from, so a clash names both places.
    pub fn load(
        sources: Vec<PluginSource>,
        limits: Limits,
        taken: &BTreeMap<String, String>,
    ) -> Result<PluginSet, SourceError> {
        let mut taken = taken.clone();
        let mut rules = Vec::new();
        let mut tests = Vec::new();
        let mut hosts = Vec::new();
        for (index, source) in sources.iter().enumerate() {
            let file = FileCx { source };
            // Each file in a state of its own, as it runs on the workers; the first worker to
            // need the file takes this state.
            let host = Host::new(limits).map_err(|e| {
                SourceError::new("(lua)", "", format!("cannot start Lua: {e}"), None)
            })?;
            let sandbox = host.sandbox();
            let api = api_table(&sandbox.lua).map_err(|e| {
                SourceError::new("(lua)", "", format!("cannot start Lua: {e}"), None)
            })?;
            let value =
                run_file(sandbox, &api, source, limits).map_err(|e| file.load_error(&e, limits))?;
            let Value::Table(list) = value else {
                return Err(file.error(
                    format!("{}: a plugin returns a list of rules, not {}", source.name, type_name(&value)),
                    file.last_return(),
                    "the file's result",
                )
                .with_help("end the file with `return { { id = \"acme/my-rule\", ..., check = function(repo, options) ... end } }`"));
            };
            let count = list.raw_len();
            for pair in list.pairs::<Value, Value>() {
                let (key, _) = pair.map_err(|e| file.error(e.to_string(), None, ""))?;
                let ok = match &key {
                    Value::Integer(i) => *i >= 1 && (*i as usize) <= count,
                    Value::String(s) => s.as_bytes().as_ref() == b"tests",
                    _ => false,
                };
                if !ok {
                    return Err(file
                        .error(
                            format!(
                                "{}: unexpected key {} in the returned table",
                                source.name,
                                key_name(&key)
                            ),
                            file.last_return(),
                            "returned here",
                        )
                        .with_help(
                            "the returned table is a list of rules, plus an optional `tests` list",
                        ));
                }
            }
            if count == 0 {
                return Err(file
                    .error(
                        format!("{}: the plugin returns no rules", source.name),
                        file.last_return(),
                        "an empty list",
                    )
                    .with_help("return a list with at least one rule table"));
            }
            let mut cursor = 0;
            let mut ids = Vec::new();
            for position in 1..=count {
                let rule: Value = list
                    .raw_get(position)
                    .map_err(|e| file.error(e.to_string(), None, ""))?;
                let Value::Table(rule) = rule else {
                    return Err(file.error(
                        format!(
                            "{}: rule #{position} is {}, not a table",
                            source.name,
                            type_name(&rule)
                        ),
                        file.last_return(),
                        "in this list",
                    ));
                };
                let (meta, line, at) = file.rule(&rule, position, cursor, &taken)?;
                cursor = at;
                taken.insert(meta.id.clone(), format!("{}:{line}", source.name));
                ids.push(meta.id.clone());
                rules.push(PluginRule {
                    meta,
                    plugin: index,
                    position,
                    line,
                    options: None,
                });
            }
            let cases = match list
                .raw_get::<Value>("tests")
                .map_err(|e| file.error(e.to_string(), None, ""))?
            {
                Value::Nil => Vec::new(),
                Value::Table(t) => file.tests(&t, &ids)?,
                other => {
                    return Err(file.error(
                        format!(
                            "{}: `tests` must be a list of test cases, not {}",
                            source.name,
                            type_name(&other)
                        ),
                        file.find_key("tests", 0),
                        "here",
                    ))
                }
            };
            tests.push(cases);
            hosts.push((host, list));
        }
        let set = PluginSet {
            id: NEXT_SET_ID.fetch_add(1, Ordering::Relaxed),
            plugins: sources,
            rules,
            tests,
            limits,
        };
        for (plugin, (host, list)) in hosts.into_iter().enumerate() {
            host.keep_validated(&set, plugin, &list);
        }
        Ok(set)
    }

    /// The rules of one plugin file, in the order it returns them.
    pub fn rules_of(&self, plugin: usize) -> impl Iterator<Item = (usize, &PluginRule)> {
        self.rules
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.plugin == plugin)
    }
}

/// Reading one plugin's returned tables, with errors that point into its source.
struct FileCx<'a> {
    source: &'a PluginSource,
}

impl FileCx<'_> {
    fn error(&self, message: String, span: Option<Range<usize>>, label: &str) -> SourceError {
        let mut error =
            SourceError::new(&self.source.name, &self.source.text, message, span).with_label(label);
        error.source_code =
            NamedSource::new(&self.source.name, self.source.text.clone()).with_language("lua");
        error
    }

    /// A syntax or runtime error while the file ran, located by the line Lua names.
    fn load_error(&self, err: &mlua::Error, limits: Limits) -> SourceError {
        let (message, label) = if let Some(halt) = sandbox::halted() {
            let what = match halt {
                sandbox::Halt::Instructions => {
                    format!("took more than {} instructions", limits.instructions)
                }
                sandbox::Halt::Memory => format!(
                    "needed more than {} MiB of memory",
                    limits.memory / (1024 * 1024)
                ),
                sandbox::Halt::Time => {
                    format!("took more than {} s", limits.time.as_secs())
                }
            };
            (
                format!("{}: loading the plugin {what}", self.source.name),
                "stopped while running the file's top level",
            )
        } else {
            let text = super::host::error_text(err).0;
            (text, "here")
        };
        let line = lua_line(&message, &self.source.name);
        let kind = match err {
            mlua::Error::SyntaxError { .. } => "syntax error",
            _ => "error",
        };
        self.error(
            format!(
                "{}: {kind} while loading: {}",
                self.source.name,
                strip_location(&message, &self.source.name)
            ),
            line.map(|l| line_span(&self.source.text, l)),
            label,
        )
        .with_help("fix the plugin file; `ospolint test` runs its cases once it loads")
    }

    /// Span of the line of the last `return`, where the returned table starts.
    fn last_return(&self) -> Option<Range<usize>> {
        let text = &self.source.text;
        let at = text
            .rmatch_indices("return")
            .find(|(i, _)| line_start(text, *i) == line_indent_start(text, *i))?
            .0;
        Some(at..at + "return".len())
    }

    /// Span of `key =` at or after `from`.
    fn find_key(&self, key: &str, from: usize) -> Option<Range<usize>> {
        let text = &self.source.text;
        let mut at = from.min(text.len());
        while let Some(i) = text[at..].find(key) {
            let start = at + i;
            let end = start + key.len();
            let before_ok = start == 0 || !is_ident(text.as_bytes()[start - 1]);
            let after = text[end..].trim_start();
            if before_ok && after.starts_with('=') && !after.starts_with("==") {
                return Some(start..end);
            }
            at = end;
        }
        None
    }

    /// Span of a quoted string literal at or after `from`.
    fn find_literal(&self, value: &str, from: usize) -> Option<Range<usize>> {
        let text = &self.source.text;
        let from = from.min(text.len());
        for quote in ['"', '\''] {
            let needle = format!("{quote}{value}{quote}");
            if let Some(i) = text[from..].find(&needle) {
                let start = from + i;
                return Some(start..start + needle.len());
            }
        }
        None
    }

    /// Validates one rule table; returns its metadata, its line and the offset to search on from.
    fn rule(
        &self,
        rule: &Table,
        position: usize,
        cursor: usize,
        taken: &BTreeMap<String, String>,
    ) -> Result<(RuleMeta, u32, usize), SourceError> {
        let name = &self.source.name;
        let check: Value = rule
            .raw_get("check")
            .map_err(|e| self.error(e.to_string(), None, ""))?;
        let check_line = match &check {
            Value::Function(f) => f.info().line_defined,
            _ => None,
        };
        let fallback = check_line.map(|l| line_span(&self.source.text, l as u32));
        let id: Value = rule
            .raw_get("id")
            .map_err(|e| self.error(e.to_string(), None, ""))?;
        let id =
            match id {
                Value::String(s) => s.to_string_lossy(),
                Value::Nil => return Err(self
                    .error(
                        format!("{name}: rule #{position} has no `id`"),
                        fallback,
                        "this rule",
                    )
                    .with_help(
                        "give every rule an id of the form `group/name`, e.g. `acme/adopters-list`",
                    )),
                other => {
                    return Err(self.error(
                        format!(
                            "{name}: rule #{position}: `id` must be a string, not {}",
                            type_name(&other)
                        ),
                        fallback,
                        "this rule",
                    ))
                }
            };
        let id_span = self
            .find_literal(&id, cursor)
            .or_else(|| self.find_literal(&id, 0))
            .or(fallback.clone());
        let at = id_span.as_ref().map_or(cursor, |s| s.end);
        let line = id_span
            .as_ref()
            .map_or(1, |s| line_of(&self.source.text, s.start));
        let here = |msg: String, span: Option<Range<usize>>, label: &str| {
            self.error(msg, span.or(id_span.clone()), label)
        };

        if !crate::rule::pack::valid_id(&id) {
            return Err(here(
                format!("{name}: invalid rule id `{id}`"),
                None,
                "not of the form `group/name`",
            )
            .with_help(
                "rule ids are a group and a name in lower case, e.g. `acme/release-checklist`",
            ));
        }
        if let Some(why) = crate::rule::pack::reserved_id(&id) {
            return Err(here(
                format!("{name}: rule id `{id}` is reserved"),
                None,
                "reserved",
            )
            .with_help(why));
        }
        if let Some(other) = taken.get(&id) {
            return Err(here(format!("{name}: rule `{id}` is defined twice"), None, "this id is already taken")
                .with_help(format!("`{id}` is already defined by {other}; rule ids must be unique across the built-in rules, packs and plugins")));
        }

        for pair in rule.pairs::<Value, Value>() {
            let (key, _) = pair.map_err(|e| self.error(e.to_string(), None, ""))?;
            let key_text = match &key {
                Value::String(s) => s.to_string_lossy(),
                other => {
                    return Err(here(
                        format!(
                            "{name}: rule `{id}` has an unexpected {} key",
                            type_name(other)
                        ),
                        None,
                        "in this rule",
                    ))
                }
            };
            if !RULE_KEYS.contains(&key_text.as_str()) {
                let help = match suggest(&key_text, RULE_KEYS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("rule fields are {}", RULE_KEYS.join(", ")),
                };
                return Err(here(
                    format!("{name}: rule `{id}` has an unknown field `{key_text}`"),
                    self.find_key(&key_text, at.saturating_sub(id.len() + 2)),
                    "unknown field",
                )
                .with_help(help));
            }
        }

        let string = |key: &str, required: bool| -> Result<Option<String>, SourceError> {
            match rule
                .raw_get::<Value>(key)
                .map_err(|e| self.error(e.to_string(), None, ""))?
            {
                Value::String(s) if !s.as_bytes().is_empty() => Ok(Some(s.to_string_lossy())),
                Value::Nil if !required => Ok(None),
                Value::Nil => Err(here(
                    format!("{name}: rule `{id}` has no `{key}`"),
                    None,
                    "this rule",
                )
                .with_help(format!(
                    "every rule needs: {}",
                    "id, title, petal, stage, severity, profiles, rationale, fix, check"
                ))),
                other => Err(here(
                    format!(
                        "{name}: rule `{id}`: `{key}` must be a non-empty string, not {}",
                        type_name(&other)
                    ),
                    self.find_key(key, at.saturating_sub(id.len() + 2)),
                    "here",
                )),
            }
        };
        let required = |key: &str| string(key, true).map(|v| v.unwrap_or_default());

        let title = required("title")?;
        let petal_name = required("petal")?;
        let petal: Petal = petal_name
            .parse()
            .map_err(|e: crate::maturity::UnknownName| {
                let mut err = here(
                    format!("{name}: rule `{id}`: unknown petal `{petal_name}`"),
                    self.find_literal(&petal_name, at),
                    "unknown petal",
                );
                err = match suggest(&petal_name, e.valid.iter().copied()) {
                    Some(s) => err.with_help(format!(
                        "did you mean `{s}`? petals: {}",
                        e.valid.join(", ")
                    )),
                    None => err.with_help(format!("petals: {}", e.valid.join(", "))),
                };
                err
            })?;
        let stage_name = required("stage")?;
        let stage: Stage = stage_name
            .parse()
            .map_err(|e: crate::maturity::UnknownName| {
                let mut err = here(
                    format!("{name}: rule `{id}`: unknown stage `{stage_name}`"),
                    self.find_literal(&stage_name, at),
                    "unknown stage",
                );
                err = match suggest(&stage_name, e.valid.iter().copied()) {
                    Some(s) => err.with_help(format!(
                        "did you mean `{s}`? stages: {}",
                        e.valid.join(", ")
                    )),
                    None => err.with_help(format!("stages: {}", e.valid.join(", "))),
                };
                err
            })?;
        let severity_name = required("severity")?;
        let severity = match severity_name.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            other => {
                return Err(here(
                    format!("{name}: rule `{id}`: unknown severity `{other}`"),
                    self.find_literal(other, at),
                    "unknown severity",
                )
                .with_help("severity is \"error\", \"warning\" or \"info\""))
            }
        };
        let profiles = match rule
            .raw_get::<Value>("profiles")
            .map_err(|e| self.error(e.to_string(), None, ""))?
        {
            Value::Table(list) => {
                let mut profiles = Vec::new();
                for item in list.sequence_values::<Value>() {
                    let item = item.map_err(|e| self.error(e.to_string(), None, ""))?;
                    let profile = match &item {
                        Value::String(s) if s.as_bytes().as_ref() == b"project" => Profile::Project,
                        Value::String(s) if s.as_bytes().as_ref() == b"ospo" => Profile::Ospo,
                        other => {
                            let shown = match other {
                                Value::String(s) => s.to_string_lossy(),
                                other => type_name(other).to_string(),
                            };
                            return Err(here(
                                format!("{name}: rule `{id}`: unknown profile `{shown}`"),
                                self.find_literal(&shown, at),
                                "unknown profile",
                            )
                            .with_help("profiles are \"project\" and \"ospo\""));
                        }
                    };
                    if !profiles.contains(&profile) {
                        profiles.push(profile);
                    }
                }
                if profiles.is_empty() {
                    return Err(here(
                        format!("{name}: rule `{id}`: `profiles` is empty"),
                        self.find_key("profiles", at),
                        "no profile",
                    )
                    .with_help(
                        "list the profiles the rule applies to: { \"project\", \"ospo\" }",
                    ));
                }
                profiles
            }
            Value::Nil => {
                return Err(here(
                    format!("{name}: rule `{id}` has no `profiles`"),
                    None,
                    "this rule",
                )
                .with_help("list the profiles the rule applies to: { \"project\", \"ospo\" }"))
            }
            other => {
                return Err(here(
                    format!(
                        "{name}: rule `{id}`: `profiles` must be a list, not {}",
                        type_name(&other)
                    ),
                    self.find_key("profiles", at),
                    "here",
                ))
            }
        };
        let rationale = required("rationale")?;
        let fix = required("fix")?;
        let example = string("example", false)?;
        let docs = string("docs", false)?;
        if !matches!(check, Value::Function(_)) {
            let label = if check.is_nil() {
                "this rule has no check"
            } else {
                "not a function"
            };
            return Err(here(format!("{name}: rule `{id}`: `check` must be a function, not {}", type_name(&check)), self.find_key("check", at), label)
                .with_help("add `check = function(repo, options) ... end`; it reports findings with repo:report{...}"));
        }
        let meta = RuleMeta {
            id,
            title,
            petal,
            stage,
            severity,
            profiles,
            rationale: crate::rule::pack::reflow(&rationale),
            fix: crate::rule::pack::reflow(&fix),
            example: example.map(|e| e.trim_end().to_string()),
            docs,
            source: self.source.name.clone(),
        };
        Ok((meta, line, at))
    }

    /// The `tests` list: test cases with their fixture and expected findings.
    fn tests(&self, list: &Table, ids: &[String]) -> Result<Vec<TestCase>, SourceError> {
        let name = &self.source.name;
        let tests_span = self.find_key("tests", 0);
        let here = |msg: String| {
            self.error(
                format!("{name}: {msg}"),
                tests_span.clone(),
                "in these tests",
            )
        };
        let lua_err = |e: mlua::Error| self.error(e.to_string(), tests_span.clone(), "here");
        let mut cases = Vec::new();
        for (n, case) in list.sequence_values::<Value>().enumerate() {
            let n = n + 1;
            let Value::Table(case) = case.map_err(lua_err)? else {
                return Err(here(format!("test case #{n} is not a table")));
            };
            check_keys(&case, &CASE_KEYS).map_err(|k| {
                here(format!(
                    "test case #{n}: unknown field `{k}` (fields: {})",
                    CASE_KEYS.join(", ")
                ))
            })?;
            let case_name = match case.raw_get::<Value>("name").map_err(lua_err)? {
                Value::String(s) => s.to_string_lossy(),
                Value::Nil => format!("case {n}"),
                _ => return Err(here(format!("test case #{n}: `name` must be a string"))),
            };
            let fixture = match case.raw_get::<Value>("fixture").map_err(lua_err)? {
                Value::String(s) => self.source.dir.join(s.to_string_lossy()),
                _ => return Err(here(format!("test case `{case_name}`: `fixture` (a folder, relative to the plugin file) is required"))),
            };
            let profile = match case.raw_get::<Value>("profile").map_err(lua_err)? {
                Value::Nil => None,
                Value::String(s) => match s.to_string_lossy().as_str() {
                    "auto" => Some(ProfileChoice::Auto),
                    "project" => Some(ProfileChoice::Project),
                    "ospo" => Some(ProfileChoice::Ospo),
                    other => {
                        return Err(here(format!(
                        "test case `{case_name}`: unknown profile `{other}` (auto, project, ospo)"
                    )))
                    }
                },
                _ => {
                    return Err(here(format!(
                        "test case `{case_name}`: `profile` must be a string"
                    )))
                }
            };
            let mut options = BTreeMap::new();
            match case.raw_get::<Value>("options").map_err(lua_err)? {
                Value::Nil => {}
                Value::Table(t) => {
                    for pair in t.pairs::<String, Value>() {
                        let (rule, value) = pair.map_err(lua_err)?;
                        if !ids.contains(&rule) {
                            return Err(here(format!("test case `{case_name}`: options for `{rule}`, which this plugin does not define")));
                        }
                        match lua_to_toml(&value, 0) {
                            Some(toml::Value::Table(table)) => {
                                options.insert(rule, table);
                            }
                            _ => return Err(here(format!("test case `{case_name}`: options for `{rule}` must be a table of strings, numbers, booleans and tables"))),
                        }
                    }
                }
                _ => {
                    return Err(here(format!(
                        "test case `{case_name}`: `options` must be a table keyed by rule id"
                    )))
                }
            }
            let mut expect = Vec::new();
            match case.raw_get::<Value>("expect").map_err(lua_err)? {
                Value::Table(t) => {
                    for (m, item) in t.sequence_values::<Value>().enumerate() {
                        let Value::Table(item) = item.map_err(lua_err)? else {
                            return Err(here(format!("test case `{case_name}`: expected finding #{} is not a table", m + 1)));
                        };
                        check_keys(&item, &EXPECT_KEYS).map_err(|k| {
                            here(format!("test case `{case_name}`: expected finding #{}: unknown field `{k}` (fields: {})", m + 1, EXPECT_KEYS.join(", ")))
                        })?;
                        let text = |key: &str| -> Result<Option<String>, SourceError> {
                            match item.raw_get::<Value>(key).map_err(lua_err)? {
                                Value::Nil => Ok(None),
                                Value::String(s) => Ok(Some(s.to_string_lossy())),
                                _ => Err(here(format!("test case `{case_name}`: expected finding #{}: `{key}` must be a string", m + 1))),
                            }
                        };
                        let rule = match text("rule")? {
                            Some(rule) => rule,
                            None if ids.len() == 1 => ids[0].clone(),
                            None => return Err(here(format!("test case `{case_name}`: expected finding #{} needs a `rule` (the plugin has several)", m + 1))),
                        };
                        let line = match item.raw_get::<Value>("line").map_err(lua_err)? {
                            Value::Nil => None,
                            Value::Integer(l) if l >= 1 => Some(l as u32),
                            _ => return Err(here(format!("test case `{case_name}`: expected finding #{}: `line` must be a positive integer", m + 1))),
                        };
                        expect.push(Expected { rule, path: text("path")?, line, message: text("message")? });
                    }
                }
                Value::Nil => return Err(here(format!("test case `{case_name}`: `expect` is required (use `expect = {{}}` for a passing fixture)"))),
                _ => return Err(here(format!("test case `{case_name}`: `expect` must be a list of findings"))),
            }
            cases.push(TestCase {
                name: case_name,
                fixture,
                profile,
                options,
                expect,
            });
        }
        Ok(cases)
    }
}

fn check_keys(table: &Table, allowed: &[&str]) -> Result<(), String> {
    for pair in table.pairs::<Value, Value>() {
        let Ok((key, _)) = pair else { continue };
        match key {
            Value::String(s) if allowed.contains(&s.to_string_lossy().as_str()) => {}
            Value::String(s) => return Err(s.to_string_lossy()),
            other => return Err(type_name(&other).to_string()),
        }
    }
    Ok(())
}

fn lua_to_toml(value: &Value, depth: usize) -> Option<toml::Value> {
    if depth > 32 {
        return None;
    }
    Some(match value {
        Value::String(s) => toml::Value::String(s.to_string_lossy()),
        Value::Integer(i) => toml::Value::Integer(*i),
        Value::Number(n) => toml::Value::Float(*n),
        Value::Boolean(b) => toml::Value::Boolean(*b),
        Value::Table(t) => {
            let len = t.raw_len();
            if len > 0 {
                let items: Option<Vec<toml::Value>> = t
                    .sequence_values::<Value>()
                    .map(|v| v.ok().and_then(|v| lua_to_toml(&v, depth + 1)))
                    .collect();
                toml::Value::Array(items?)
            } else {
                let mut map = toml::Table::new();
                for pair in t.pairs::<String, Value>() {
                    let (k, v) = pair.ok()?;
                    map.insert(k, lua_to_toml(&v, depth + 1)?);
                }
                toml::Value::Table(map)
            }
        }
        _ => return None,
    })
}

pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Nil => "nil",
        Value::Boolean(_) => "a boolean",
        Value::Integer(_) | Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Table(_) => "a table",
        Value::Function(_) => "a function",
        Value::Thread(_) => "a coroutine",
        Value::UserData(_) | Value::LightUserData(_) => "a userdata",
        _ => "an unknown value",
    }
}

fn key_name(key: &Value) -> String {
    match key {
        Value::String(s) => format!("`{}`", s.to_string_lossy()),
        Value::Integer(i) => format!("[{i}]"),
        other => type_name(other).to_string(),
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn line_indent_start(text: &str, offset: usize) -> usize {
    let start = line_start(text, offset);
    start + text[start..].len() - text[start..].trim_start_matches([' ', '\t']).len()
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> u32 {
    text[..offset.min(text.len())].matches('\n').count() as u32 + 1
}

/// Byte span of a 1-based line, without its newline.
pub(crate) fn line_span(text: &str, line: u32) -> Range<usize> {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let indent = text[start..end].len() - text[start..end].trim_start().len();
    (start + indent)..end.max(start + indent)
}

/// The line in a Lua message of the form `name:LINE: message`.
fn lua_line(message: &str, name: &str) -> Option<u32> {
    let at = message.find(&format!("{name}:"))? + name.len() + 1;
    let digits: String = message[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// `name:LINE: message` → `message` (the diagnostic shows the location itself).
fn strip_location(message: &str, name: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    let prefix = format!("{name}:");
    match first.find(&prefix) {
        Some(i) => {
            let rest = &first[i + prefix.len()..];
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.strip_prefix(": ").unwrap_or(rest).to_string()
        }
        None => first.to_string(),
    }
}

/// Reads plugin files, in order, each once (a file named twice is loaded once). Definition files
/// for the editor are skipped: they sit next to the plugins and match the same globs.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<PluginSource>, InputError> {
    let mut seen = Vec::new();
    let mut sources = Vec::new();
    for path in paths {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        if seen.contains(&canonical) {
            continue;
        }
        seen.push(canonical);
        let text = read_input(path, InputKind::Plugin)?;
        if is_definition_file(&text) {
            continue;
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        sources.push(PluginSource {
            name: path.display().to_string(),
            text,
            dir,
        });
    }
    Ok(sources)
}

/// Whether `text` is a lua-language-server definition file, such as `plugins/ospolint.d.lua`: its
/// first line is `---@meta`. It declares an API for the editor and is never run.
pub fn is_definition_file(text: &str) -> bool {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    first
        .strip_prefix("---@meta")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definition_files_are_told_by_their_first_line() {
        assert!(is_definition_file("---@meta ospolint\n---@class Repo\n"));
        assert!(is_definition_file("\u{feff}---@meta\n"));
        assert!(is_definition_file("---@meta"));
        assert!(!is_definition_file("---@metadata\n"));
        assert!(!is_definition_file("-- ---@meta\nreturn {}\n"));
        assert!(!is_definition_file("return {}\n---@meta\n"));
        assert!(!is_definition_file(""));
    }

    #[test]
    fn lua_locations_are_parsed() {
        assert_eq!(
            lua_line("plugins/a.lua:12: boom", "plugins/a.lua"),
            Some(12)
        );
        assert_eq!(
            strip_location("plugins/a.lua:12: boom\nstack", "plugins/a.lua"),
            "boom"
        );
        assert_eq!(line_span("a\n  bc\nd", 2), 4..6);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
