//! The Lua plugin host: organization rules (and built-in rules that need logic) written in
//! sandboxed Lua, run like any other rule. See `docs/plugins.md`.
//!
//! - [`sandbox`]: the restricted state, memory limit and instruction budget;
//! - [`pattern`]: Lua patterns (`string.find` and co.), metered by the budget;
//! - [`metered`]: charges for the other C library functions that loop;
//! - [`api`]: what `check(repo, options)` sees;
//! - [`loader`]: reading and validating plugin files and their test cases;
//! - [`host`]: one state per worker thread, rule runs, `plugin/error`;
//! - [`test_runner`]: `ospolint test`.

mod api;
mod host;
pub mod loader;
mod metered;
mod pattern;
mod sandbox;
pub mod test_runner;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use globset::GlobBuilder;
use toml::Spanned;

pub use host::PLUGIN_ERROR;
pub use loader::{is_definition_file, PluginSet, PluginSource};
pub use sandbox::{
    states_created, Limits, DEFAULT_INSTRUCTIONS, DEFAULT_MEMORY_MIB, DEFAULT_TIME_SECONDS,
};

use crate::config::input::{expect_file, InputKind};
use crate::diagnostic::{suggest, SourceError};
use crate::rule::{Catalog, Check, Emitter, RepoContext, Rule};

/// A plugin rule as the engine sees it: a [`Check`] that runs on this thread's Lua state.
#[derive(Debug)]
pub struct LuaCheck {
    set: Arc<PluginSet>,
    index: usize,
    options: Option<Arc<toml::Table>>,
}

impl Check for LuaCheck {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let start = COUNT_RULE_RUNS
            .load(Ordering::Relaxed)
            .then(std::time::Instant::now);
        host::run_rule(&self.set, self.index, self.options.as_deref(), cx, out);
        if let Some(start) = start {
            RULE_RUNS.fetch_add(1, Ordering::Relaxed);
            RULE_NANOS.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
    }
}

/// The data behind a lock, even one a panicking thread left poisoned: what the Lua host keeps under
/// its locks (caches, a spare state) is replaced whole, never left half-written.
pub(crate) fn unpoisoned<T>(lock: &Mutex<T>) -> MutexGuard<'_, T> {
    lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether rule runs are counted and timed: only for `--lua-stats`, since every worker thread
/// would otherwise update the same two counters after each of thousands of runs.
static COUNT_RULE_RUNS: AtomicBool = AtomicBool::new(false);
static RULE_RUNS: AtomicU64 = AtomicU64::new(0);
static RULE_NANOS: AtomicU64 = AtomicU64::new(0);

/// Counts and times the Lua rule runs from now on, for [`rule_runs`].
pub fn count_rule_runs() {
    COUNT_RULE_RUNS.store(true, Ordering::Relaxed);
}

/// Lua rule runs in this process and the time they took, summed over threads, since
/// [`count_rule_runs`] (`--lua-stats`).
pub fn rule_runs() -> (u64, std::time::Duration) {
    (
        RULE_RUNS.load(Ordering::Relaxed),
        std::time::Duration::from_nanos(RULE_NANOS.load(Ordering::Relaxed)),
    )
}

impl PluginSet {
    /// Catalog rules for the set's rules (all, or one plugin's), with each rule's options.
    pub fn catalog_rules(
        self: &Arc<Self>,
        plugin: Option<usize>,
        options: &BTreeMap<String, toml::Table>,
    ) -> Vec<Rule> {
        self.rules
            .iter()
            .enumerate()
            .filter(|(_, r)| plugin.is_none_or(|p| r.plugin == p))
            .map(|(index, r)| Rule {
                meta: r.meta.clone(),
                check: Box::new(LuaCheck {
                    set: self.clone(),
                    index,
                    options: options
                        .get(&r.meta.id)
                        .cloned()
                        .map(Arc::new)
                        .or_else(|| r.options.clone()),
                }),
            })
            .collect()
    }
}

/// The built-in rules written in Lua, embedded like the TOML packs.
const BUILTIN_PLUGINS: &[(&str, &str)] = &[(
    "rules/mentor-roster.lua",
    include_str!("../../rules/mentor-roster.lua"),
)];

static BUILTIN: OnceLock<Arc<PluginSet>> = OnceLock::new();

/// Adds the built-in Lua rules to a catalog. They are loaded once per process; an error here is
/// a bug caught by the tests.
pub fn add_builtin_rules(catalog: &mut Catalog) -> Result<(), SourceError> {
    let set = match BUILTIN.get() {
        Some(set) => set.clone(),
        None => {
            let sources = BUILTIN_PLUGINS
                .iter()
                .map(|(name, text)| PluginSource {
                    name: name.to_string(),
                    text: text.to_string(),
                    dir: PathBuf::new(),
                })
                .collect();
            let taken = taken_ids(catalog);
            let set = Arc::new(PluginSet::load(sources, Limits::default(), &taken)?);
            BUILTIN.get_or_init(|| set).clone()
        }
    };
    for rule in &set.rules {
        if catalog.get(&rule.meta.id).is_some() {
            return Err(SourceError::new(
                &set.plugins[rule.plugin].name,
                "",
                format!("rule `{}` is defined twice", rule.meta.id),
                None,
            ));
        }
    }
    let mut rules = set.catalog_rules(None, &BTreeMap::new());
    for rule in &mut rules {
        rule.meta.source = "builtin".to_string();
    }
    catalog.rules.extend(rules);
    Ok(())
}

fn taken_ids(catalog: &Catalog) -> BTreeMap<String, String> {
    catalog
        .rules
        .iter()
        .map(|r| {
            let from = if r.meta.source == "builtin" {
                "a built-in rule".to_string()
            } else {
                r.meta.source.clone()
            };
            (r.meta.id.clone(), from)
        })
        .collect()
}

/// What `ospolint.toml` and the command line say about plugins.
pub struct PluginConfig<'a> {
    /// The configuration file's name and text, for diagnostics.
    pub name: &'a str,
    pub text: &'a str,
    /// Globs in `plugins` are relative to this folder.
    pub dir: &'a Path,
    pub globs: &'a [Spanned<String>],
    /// `--plugin FILE` arguments, relative to the working directory.
    pub extra: &'a [PathBuf],
    pub options: &'a BTreeMap<Spanned<String>, toml::Table>,
    pub limits: Limits,
}

/// Loads the configured plugins into the catalog. `None` when there are none.
pub fn add_configured(
    config: &PluginConfig<'_>,
    catalog: &mut Catalog,
) -> Result<Option<Arc<PluginSet>>, SourceError> {
    let mut paths = Vec::new();
    for glob in config.globs {
        paths.extend(expand(config, glob)?);
    }
    paths.extend(config.extra.iter().cloned());
    let sources = loader::read_sources(&paths).map_err(|err| {
        SourceError::new(
            config.name,
            config.text,
            format!("cannot read plugin: {err}"),
            None,
        )
    })?;
    if sources.is_empty() {
        if let Some((id, _)) = config.options.iter().next() {
            return Err(SourceError::new(
                config.name,
                config.text,
                format!(
                    "{}: options for `{}`, but no plugins are loaded",
                    config.name,
                    id.get_ref()
                ),
                Some(id.span()),
            )
            .with_label("no plugin defines this rule")
            .with_help("list plugin files in `plugins = [...]` or pass --plugin FILE"));
        }
        return Ok(None);
    }
    let mut set = PluginSet::load(sources, config.limits, &taken_ids(catalog))?;
    let ids: Vec<String> = set.rules.iter().map(|r| r.meta.id.clone()).collect();
    for (id, table) in config.options {
        let Some(rule) = set.rules.iter_mut().find(|r| &r.meta.id == id.get_ref()) else {
            let mut error = SourceError::new(
                config.name,
                config.text,
                format!(
                    "{}: options for unknown plugin rule `{}`",
                    config.name,
                    id.get_ref()
                ),
                Some(id.span()),
            )
            .with_label("no loaded plugin defines this rule");
            error = match suggest(id.get_ref(), ids.iter().map(String::as_str)) {
                Some(s) => error.with_help(format!("did you mean `{s}`?")),
                None => error.with_help(format!("plugin rules: {}", ids.join(", "))),
            };
            return Err(error);
        };
        rule.options = Some(Arc::new(table.clone()));
    }
    let set = Arc::new(set);
    catalog
        .rules
        .extend(set.catalog_rules(None, &BTreeMap::new()));
    Ok(Some(set))
}

/// The files a `plugins` entry names: a path, or a glob relative to the configuration's folder.
fn expand(config: &PluginConfig<'_>, entry: &Spanned<String>) -> Result<Vec<PathBuf>, SourceError> {
    let pattern = entry.get_ref().trim_start_matches("./");
    let error = |message: String, label: &str| {
        SourceError::new(
            config.name,
            config.text,
            format!("{}: {message}", config.name),
            Some(entry.span()),
        )
        .with_label(label)
    };
    if !pattern.contains(['*', '?', '[', '{']) {
        let path = config.dir.join(pattern);
        if let Err(why) = expect_file(&path, InputKind::Plugin) {
            return Err(
                error(format!("plugin `{pattern}`: {why}"), "not a plugin file")
                    .with_help("paths in `plugins` are relative to the configuration file"),
            );
        }
        return Ok(vec![path]);
    }
    let matcher = GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| error(format!("invalid glob `{pattern}`"), &e.kind().to_string()))?
        .compile_matcher();
    // Walk only below the glob's literal prefix.
    let prefix: Vec<&str> = pattern
        .split('/')
        .take_while(|part| !part.contains(['*', '?', '[', '{']))
        .collect();
    let base = config.dir.join(prefix.join("/"));
    let mut found = Vec::new();
    let mut stack = vec![base];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(config.dir) {
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if matcher.is_match(&rel) {
                    found.push(path);
                }
            }
        }
    }
    if found.is_empty() {
        return Err(error(
            format!("`{pattern}` matches no plugin file"),
            "matches nothing",
        )
        .with_help("globs in `plugins` are relative to the configuration file"));
    }
    found.sort();
    Ok(found)
}
