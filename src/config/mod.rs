//! `ospolint.toml`: discovery, schema and validation. Every key is checked; errors point into the file.

mod file;
pub mod input;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSetBuilder;
use miette::Report;

pub use file::{
    ConfigFile, DocumentsSection, ExemptionSpec, LuaLimits, ProfileChoice, RuleSetting,
};

use crate::diagnostic::{compile_glob, parse_toml, suggest, SourceError};
use crate::finding::Severity;
use crate::maturity::{Model, Stage};
use crate::rule::{Catalog, CheckSettings};
use crate::scan::{DocumentRules, ScanOptions, DEFAULT_MAX_FILE_SIZE};
use crate::suppress::Exemption;

pub const CONFIG_FILE_NAME: &str = "ospolint.toml";

/// Everything one configuration file decides, ready for the engine.
#[derive(Debug)]
pub struct Settings {
    /// The file these settings came from; `None` for the defaults.
    pub source: Option<PathBuf>,
    pub profile: ProfileChoice,
    pub catalog: Catalog,
    /// Per-rule severity overrides; `None` turns a rule off.
    pub severities: HashMap<String, Option<Severity>>,
    pub pins: BTreeMap<String, Vec<String>>,
    pub scan: ScanOptions,
    pub check: CheckSettings,
    /// `[[exemptions]]`, validated, in file order.
    pub exemptions: Vec<Exemption>,
    /// The organization's Lua plugins, when the configuration or the command line names some.
    pub plugins: Option<Arc<crate::lua::PluginSet>>,
    /// `target_stage`: rules above it report info-level gaps.
    pub target_stage: Option<Stage>,
    /// The maturity model the repositories are assessed against.
    pub maturity: Model,
    /// `org_defaults`: the organization's `.github` repository, read once.
    pub org_defaults: Option<Arc<crate::artifact::OrgDefaults>>,
}

impl Settings {
    /// The severity a rule runs at, or `None` when it is turned off.
    pub fn severity(&self, id: &str, default: Severity) -> Option<Severity> {
        self.severities.get(id).copied().unwrap_or(Some(default))
    }
}

/// The nearest `ospolint.toml` in `start` or its parents.
pub fn discover(start: &Path) -> Option<PathBuf> {
    Discovery::default().find(start)
}

/// Finds the configuration of many repositories, looking at each folder once: the repositories
/// of an organization share their parent folders, and resolving and searching those again for
/// each of thousands of repositories was a noticeable pause before any work started.
#[derive(Default)]
pub struct Discovery {
    /// Canonical folder → the nearest configuration at or above it.
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    /// Folder as given → canonical folder.
    canonical: HashMap<PathBuf, Option<PathBuf>>,
}

impl Discovery {
    /// The nearest `ospolint.toml` in `start` or its parents.
    pub fn find(&mut self, start: &Path) -> Option<PathBuf> {
        let start = self.canonical(start)?;
        self.nearest(&start)
    }

    /// `path` resolved; a path whose last component is not a symlink is its resolved parent
    /// joined with its name, so siblings resolve their parent once.
    fn canonical(&mut self, path: &Path) -> Option<PathBuf> {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return path.canonicalize().ok();
        };
        if path.symlink_metadata().ok()?.file_type().is_symlink() {
            return path.canonicalize().ok();
        }
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let resolved = match self.canonical.get(parent) {
            Some(resolved) => resolved.clone(),
            None => {
                let resolved = parent.canonicalize().ok();
                self.canonical
                    .insert(parent.to_path_buf(), resolved.clone());
                resolved
            }
        };
        Some(resolved?.join(name))
    }

    fn nearest(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.nearest.get(dir) {
            return found.clone();
        }
        let candidate = dir.join(CONFIG_FILE_NAME);
        let found = if candidate.is_file() {
            Some(candidate)
        } else {
            dir.parent().and_then(|parent| self.nearest(parent))
        };
        self.nearest.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// Loads settings from a configuration file, or the defaults when there is none.
pub fn load(path: Option<&Path>) -> Result<Settings, Report> {
    load_with_plugins(path, &[])
}

/// Like [`load`], with plugin files from the command line (`--plugin FILE`) added to the
/// configuration's.
pub fn load_with_plugins(
    path: Option<&Path>,
    extra_plugins: &[PathBuf],
) -> Result<Settings, Report> {
    load_as(path, extra_plugins, Trust::CommandLine)
}

/// Who chose a configuration file, which decides where the paths it names may lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Trust {
    /// Given with `--config`: its paths go where they say.
    CommandLine,
    /// Found beside or above a repository: it may be the repository's own, written by whoever
    /// opened the pull request, so the rule packs, plugins and tree file it names must lie inside
    /// its folder, or inside a folder listed in `OSPOLINT_ALLOW_PATHS`.
    #[default]
    Discovered,
}

/// The environment variable listing folders (separated as in `PATH`) that a discovered
/// configuration may name files in, outside its own folder.
pub const ALLOW_PATHS_VAR: &str = "OSPOLINT_ALLOW_PATHS";

/// `value`, a path named in the configuration in `dir`, joined to `dir`; refused when the
/// configuration was discovered and the path (its links resolved) leads out of `dir` and out of
/// every allowed folder. The message never quotes the file: it may be anyone's.
fn named_path(dir: &Path, value: &str, trust: Trust) -> Result<PathBuf, String> {
    let path = dir.join(value);
    if trust == Trust::CommandLine {
        return Ok(path);
    }
    match crate::scan::RepoRoot::new(dir).open_named(value) {
        // Said apart from a path that leads out: an absolute path is refused even when it names
        // a file inside the folder, as where it leads depends on where the repository is checked
        // out.
        Err(crate::scan::ReadError::Outside)
            if Path::new(value).is_absolute() && !allowed(&path) =>
        {
            Err(ABSOLUTE_REFUSED.to_string())
        }
        Err(crate::scan::ReadError::Outside) if !allowed(&path) => Err(format!(
            "`{value}` leads outside the folder of this configuration file, which was found beside the repository rather than given with --config; name a file inside it, pass the configuration with --config, or list the folder in {ALLOW_PATHS_VAR}"
        )),
        _ => Ok(path),
    }
}

const ABSOLUTE_REFUSED: &str = "absolute paths are not accepted in a repository's configuration; name it relative to the configuration";

/// Whether `path` lies inside a folder of `OSPOLINT_ALLOW_PATHS`.
fn allowed(path: &Path) -> bool {
    let Some(list) = std::env::var_os(ALLOW_PATHS_VAR) else {
        return false;
    };
    let Ok(path) = path.canonicalize() else {
        return false;
    };
    std::env::split_paths(&list)
        .filter(|dir| !dir.as_os_str().is_empty())
        .filter_map(|dir| dir.canonicalize().ok())
        .any(|dir| path.starts_with(dir))
}

fn load_as(
    path: Option<&Path>,
    extra_plugins: &[PathBuf],
    trust: Trust,
) -> Result<Settings, Report> {
    let Some(path) = path else {
        let defaults = ConfigFile::default();
        return Ok(resolve(
            "(defaults)",
            "",
            Path::new("."),
            defaults,
            None,
            extra_plugins,
            trust,
        )?);
    };
    let text = input::read_input(path, input::InputKind::Config)
        .map_err(|err| miette::miette!(code = "ospolint::config", "{err}"))?;
    let name = path.display().to_string();
    let file: ConfigFile = parse_toml(&name, &text)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    Ok(resolve(
        &name,
        &text,
        dir,
        file,
        Some(path.to_path_buf()),
        extra_plugins,
        trust,
    )?)
}

fn resolve(
    name: &str,
    text: &str,
    dir: &Path,
    file: ConfigFile,
    source: Option<PathBuf>,
    extra_plugins: &[PathBuf],
    trust: Trust,
) -> Result<Settings, SourceError> {
    let outside = |value: &toml::Spanned<String>, message: String| {
        SourceError::new(name, text, format!("{name}: {message}"), Some(value.span()))
            .with_label("a path this configuration may not name")
    };
    for entry in file
        .plugins
        .iter()
        .chain(&file.rule_packs)
        .chain(file.tree_file.as_ref())
    {
        // A glob is held to its literal part: the folder it searches.
        let literal: String = entry
            .get_ref()
            .split('/')
            .take_while(|part| !part.contains(['*', '?', '[', '{']))
            .collect::<Vec<_>>()
            .join("/");
        let literal = if literal.is_empty() { "." } else { &literal };
        named_path(dir, literal, trust).map_err(|message| outside(entry, message))?;
    }
    let mut catalog = Catalog::builtin()?;
    for pack in &file.rule_packs {
        let pack_path = dir.join(pack.get_ref());
        let pack_text =
            input::read_input(&pack_path, input::InputKind::RulePack).map_err(|err| {
                SourceError::new(
                    name,
                    text,
                    format!("cannot read rule pack `{}`: {err}", pack.get_ref()),
                    Some(pack.span()),
                )
                .with_label("listed here")
            })?;
        let pack_name = pack_path.display().to_string();
        catalog.add_pack(&pack_name, &pack_text, &pack_name)?;
    }
    let plugins = crate::lua::add_configured(
        &crate::lua::PluginConfig {
            name,
            text,
            dir,
            globs: &file.plugins,
            extra: extra_plugins,
            options: &file.plugin_options,
            limits: lua_limits(name, text, file.lua.as_ref())?,
        },
        &mut catalog,
    )?;

    let mut severities = HashMap::new();
    for (id, setting) in &file.rules {
        if catalog.get(id.get_ref()).is_none()
            && !crate::suppress::META_RULE_IDS.contains(&id.get_ref().as_str())
        {
            let mut error = SourceError::new(
                name,
                text,
                format!("{name}: unknown rule `{}`", id.get_ref()),
                Some(id.span()),
            )
            .with_label("no rule has this id");
            error = match suggest(id.get_ref(), catalog.ids()) {
                Some(s) => error.with_help(format!(
                    "did you mean `{s}`? `ospolint rules` lists every rule"
                )),
                None => error.with_help("`ospolint rules` lists every rule"),
            };
            return Err(error);
        }
        severities.insert(id.get_ref().clone(), setting.get_ref().severity());
    }

    let mut pins = BTreeMap::new();
    let roles = catalog.artifacts.names();
    for (role, paths) in &file.artifacts {
        if !roles.contains(&role.get_ref().as_str()) {
            let mut error = SourceError::new(
                name,
                text,
                format!("{name}: unknown artifact role `{}`", role.get_ref()),
                Some(role.span()),
            )
            .with_label("not a governance role ospolint knows");
            error = match suggest(role.get_ref(), roles.iter().copied()) {
                Some(s) => error.with_help(format!("did you mean `{s}`?")),
                None => error.with_help(format!("known roles: {}", roles.join(", "))),
            };
            return Err(error);
        }
        pins.insert(role.get_ref().clone(), paths.clone());
    }

    let mut exclude = GlobSetBuilder::new();
    for pattern in &file.exclude {
        let glob = compile_glob(name, text, pattern, pattern.get_ref(), false)?;
        exclude.add(glob);
    }
    let exclude = exclude
        .build()
        .map_err(|err| SourceError::new(name, text, format!("{name}: {err}"), None))?;

    let documents = document_rules(name, text, file.documents.as_ref())?;

    let lines = crate::suppress::LineStarts::new(text);
    let exemptions = file
        .exemptions
        .iter()
        .map(|spec| Exemption::from_spec(name, text, spec, &catalog, &lines))
        .collect::<Result<Vec<_>, _>>()?;

    // Rules about dates (stale reviews, report age) compare with today; tests pin it for determinism.
    let today = match std::env::var("OSPOLINT_TODAY") {
        Ok(value) => Some(value.trim().parse::<jiff::civil::Date>().map_err(|err| {
            SourceError::new(
                name,
                text,
                format!("OSPOLINT_TODAY=`{value}` is not a date: {err}"),
                None,
            )
            .with_help("use the form YYYY-MM-DD, or unset the variable to use the system's date")
        })?),
        Err(_) => None,
    };

    let target_stage = match &file.target_stage {
        None => None,
        Some(stage) => Some(stage.get_ref().parse::<Stage>().map_err(|err| {
            SourceError::new(
                name,
                text,
                format!("{name}: unknown stage `{}`", err.given),
                Some(stage.span()),
            )
            .with_label("not a maturity stage")
            .with_help(format!("valid stages: {}", err.valid.join(", ")))
        })?),
    };
    let maturity = Model::builtin(&catalog.artifacts)?;
    let scan = ScanOptions {
        max_file_size: file.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        exclude,
        tree_file: tree_file(name, text, dir, file.tree_file.as_ref()).map_err(|e| *e)?,
        documents,
        today,
    };
    let org_defaults = match &file.org_defaults {
        None => None,
        Some(value) => {
            let path = dir.join(value.get_ref());
            if !path.is_dir() {
                return Err(SourceError::new(
                    name,
                    text,
                    format!("{name}: org_defaults folder `{}` not found", value.get_ref()),
                    Some(value.span()),
                )
                .with_label("no such folder")
                .with_help("give the path of a clone of the organization's .github repository, relative to this configuration file"));
            }
            Some(Arc::new(crate::artifact::OrgDefaults::load(
                &path,
                value.get_ref().clone(),
                &catalog.artifacts,
                &ScanOptions::default(),
            )))
        }
    };

    Ok(Settings {
        target_stage,
        maturity,
        plugins,
        exemptions,
        source,
        profile: file.profile.unwrap_or_default(),
        catalog,
        severities,
        pins,
        scan,
        org_defaults,
        check: CheckSettings {
            site_roots: file.site_roots.clone(),
            template: file.template,
            today,
            review_interval_months: review_interval(
                name,
                text,
                file.review_interval_months.as_ref(),
            )
            .map_err(|e| *e)?,
        },
    })
}

/// `[documents]`: each lifecycle's globs, compiled.
fn document_rules(
    name: &str,
    text: &str,
    section: Option<&DocumentsSection>,
) -> Result<DocumentRules, SourceError> {
    let mut rules = DocumentRules::default();
    let Some(section) = section else {
        return Ok(rules);
    };
    for (lifecycle, patterns) in section.by_lifecycle() {
        if patterns.is_empty() {
            continue;
        }
        let mut set = GlobSetBuilder::new();
        for pattern in patterns {
            set.add(compile_glob(name, text, pattern, pattern.get_ref(), false)?);
        }
        let set = set
            .build()
            .map_err(|err| SourceError::new(name, text, format!("{name}: {err}"), None))?;
        rules.globs.push((lifecycle, set));
    }
    Ok(rules)
}

/// The configured tree file, relative to the configuration's folder. A path without `{repo}` names
/// one file, which must exist; with `{repo}` each repository's list is read when it is checked.
fn tree_file(
    name: &str,
    text: &str,
    dir: &Path,
    value: Option<&toml::Spanned<String>>,
) -> Result<Option<PathBuf>, Box<SourceError>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let path = dir.join(value.get_ref());
    if !value.get_ref().contains("{repo}") && !path.is_file() {
        return Err(Box::new(
            SourceError::new(name, text, format!("{name}: tree file `{}` not found", value.get_ref()), Some(value.span()))
                .with_label("no such file")
                .with_help("give the path of a file listing every path of the repository, relative to this configuration file"),
        ));
    }
    Ok(Some(path))
}

fn review_interval(
    name: &str,
    text: &str,
    value: Option<&toml::Spanned<u32>>,
) -> Result<u32, Box<SourceError>> {
    match value {
        None => Ok(crate::rule::DEFAULT_REVIEW_INTERVAL_MONTHS),
        Some(v) if *v.get_ref() == 0 => Err(Box::new(
            SourceError::new(
                name,
                text,
                format!("{name}: review interval must be at least one month"),
                Some(v.span()),
            )
            .with_label("zero months"),
        )),
        Some(v) => Ok(*v.get_ref()),
    }
}

/// `[lua]` limits, checked for sane ranges.
fn lua_limits(
    name: &str,
    text: &str,
    lua: Option<&LuaLimits>,
) -> Result<crate::lua::Limits, SourceError> {
    let mut limits = crate::lua::Limits::default();
    let Some(lua) = lua else {
        return Ok(limits);
    };
    // One limit's value, or the error pointing at it when it is outside `range`.
    let checked = |value: &Option<toml::Spanned<u64>>,
                   range: std::ops::RangeInclusive<u64>,
                   rule: &str,
                   label: &str,
                   help: String| {
        value
            .as_ref()
            .map(|value| {
                if range.contains(value.get_ref()) {
                    Ok(*value.get_ref())
                } else {
                    Err(
                        SourceError::new(name, text, format!("{name}: {rule}"), Some(value.span()))
                            .with_label(label)
                            .with_help(help),
                    )
                }
            })
            .transpose()
    };
    if let Some(mib) = checked(
        &lua.memory_limit,
        1..=16384,
        "`memory_limit` must be between 1 and 16384 (MiB)",
        "out of range",
        format!(
            "the default is {} MiB per Lua state",
            crate::lua::DEFAULT_MEMORY_MIB
        ),
    )? {
        limits.memory = (mib * 1024 * 1024) as usize;
    }
    if let Some(count) = checked(
        &lua.instruction_limit,
        10_000..=u64::MAX,
        "`instruction_limit` must be at least 10000",
        "too low to run any rule",
        format!(
            "the default is {} instructions per rule per repository",
            crate::lua::DEFAULT_INSTRUCTIONS
        ),
    )? {
        limits.instructions = count;
    }
    if let Some(seconds) = checked(
        &lua.time_limit,
        1..=3600,
        "`time_limit` must be between 1 and 3600 (seconds)",
        "out of range",
        format!(
            "the default is {} seconds per rule per repository",
            crate::lua::DEFAULT_TIME_SECONDS
        ),
    )? {
        limits.time = std::time::Duration::from_secs(seconds);
    }
    Ok(limits)
}

/// Settings shared by every repository that uses the same configuration file.
#[derive(Default)]
pub struct SettingsCache {
    loaded: HashMap<Option<PathBuf>, Arc<Settings>>,
    /// `--plugin FILE` arguments, added to every configuration.
    pub extra_plugins: Vec<PathBuf>,
    /// Who chose the configurations: every one is discovered unless `--config` named it.
    pub trust: Trust,
}

impl SettingsCache {
    pub fn get(&mut self, path: Option<&Path>) -> Result<Arc<Settings>, Report> {
        let key = path.map(Path::to_path_buf);
        if let Some(settings) = self.loaded.get(&key) {
            return Ok(settings.clone());
        }
        let settings = Arc::new(load_as(path, &self.extra_plugins, self.trust)?);
        self.loaded.insert(key, settings.clone());
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_finds_the_nearest_configuration_of_each_repository() {
        let tmp = tempfile::tempdir().unwrap();
        let org = tmp.path().join("org");
        let elsewhere = tmp.path().join("elsewhere");
        for dir in ["org/plain", "org/own", "elsewhere/target"] {
            std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
        }
        std::fs::write(org.join(CONFIG_FILE_NAME), "").unwrap();
        std::fs::write(org.join("own").join(CONFIG_FILE_NAME), "").unwrap();
        std::fs::write(elsewhere.join(CONFIG_FILE_NAME), "").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(elsewhere.join("target"), org.join("linked")).unwrap();

        let org = org.canonicalize().unwrap();
        let elsewhere = elsewhere.canonicalize().unwrap();
        let mut discovery = Discovery::default();
        let mut find = |path: PathBuf| {
            let found = discovery.find(&path);
            assert_eq!(found, discover(&path), "{}", path.display());
            found
        };
        assert_eq!(find(org.join("plain")), Some(org.join(CONFIG_FILE_NAME)));
        assert_eq!(
            find(org.join("own")),
            Some(org.join("own").join(CONFIG_FILE_NAME))
        );
        assert_eq!(
            find(org.join("plain/../own/.")),
            Some(org.join("own").join(CONFIG_FILE_NAME))
        );
        // A symlinked repository takes the configuration above its target, as git would see it.
        #[cfg(unix)]
        assert_eq!(
            find(org.join("linked")),
            Some(elsewhere.join(CONFIG_FILE_NAME))
        );
        assert_eq!(find(org.join("missing")), None);
    }
}
