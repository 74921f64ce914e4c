//! `ospolint.toml`: discovery, schema and validation. Every key is checked; errors point into the file.

mod file;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSetBuilder};
use miette::Report;

pub use file::{ConfigFile, ExemptionSpec, ProfileChoice, RuleSetting};

use crate::diagnostic::{parse_toml, suggest, SourceError};
use crate::finding::Severity;
use crate::rule::{Catalog, CheckSettings};
use crate::scan::{WalkOptions, DEFAULT_MAX_FILE_SIZE};
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
    pub walk: WalkOptions,
    pub check: CheckSettings,
    /// `[[exemptions]]`, validated, in file order.
    pub exemptions: Vec<Exemption>,
}

impl Settings {
    /// The severity a rule runs at, or `None` when it is turned off.
    pub fn severity(&self, id: &str, default: Severity) -> Option<Severity> {
        self.severities.get(id).copied().unwrap_or(Some(default))
    }
}

/// The nearest `ospolint.toml` in `start` or its parents.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Loads settings from a configuration file, or the defaults when there is none.
pub fn load(path: Option<&Path>) -> Result<Settings, Report> {
    let Some(path) = path else {
        return Ok(defaults()?);
    };
    let text = std::fs::read_to_string(path).map_err(|err| {
        miette::miette!(
            code = "ospolint::config",
            "cannot read {}: {err}",
            path.display()
        )
    })?;
    let name = path.display().to_string();
    let file: ConfigFile = parse_toml(&name, &text)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    Ok(resolve(&name, &text, dir, file, Some(path.to_path_buf()))?)
}

fn defaults() -> Result<Settings, SourceError> {
    resolve(
        "(defaults)",
        "",
        Path::new("."),
        ConfigFile::default(),
        None,
    )
}

fn resolve(
    name: &str,
    text: &str,
    dir: &Path,
    file: ConfigFile,
    source: Option<PathBuf>,
) -> Result<Settings, SourceError> {
    let mut catalog = Catalog::builtin()?;
    for pack in &file.rule_packs {
        let pack_path = dir.join(pack.get_ref());
        let pack_text = std::fs::read_to_string(&pack_path).map_err(|err| {
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
        let glob = GlobBuilder::new(pattern.get_ref())
            .literal_separator(false)
            .build()
            .map_err(|err| {
                SourceError::new(
                    name,
                    text,
                    format!("{name}: invalid glob `{}`", pattern.get_ref()),
                    Some(pattern.span()),
                )
                .with_label(err.kind().to_string())
            })?;
        exclude.add(glob);
    }
    let exclude = exclude
        .build()
        .map_err(|err| SourceError::new(name, text, format!("{name}: {err}"), None))?;

    let exemptions = file
        .exemptions
        .iter()
        .map(|spec| Exemption::from_spec(name, text, spec, &catalog))
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

    Ok(Settings {
        exemptions,
        source,
        profile: file.profile.unwrap_or_default(),
        catalog,
        severities,
        pins,
        walk: WalkOptions {
            max_file_size: file.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            exclude,
        },
        check: CheckSettings {
            site_roots: file.site_roots.clone(),
            template: file.template,
            today,
        },
    })
}

/// Settings shared by every repository that uses the same configuration file.
#[derive(Default)]
pub struct SettingsCache {
    loaded: HashMap<Option<PathBuf>, Arc<Settings>>,
}

impl SettingsCache {
    pub fn get(&mut self, path: Option<&Path>) -> Result<Arc<Settings>, Report> {
        let key = path.map(Path::to_path_buf);
        if let Some(settings) = self.loaded.get(&key) {
            return Ok(settings.clone());
        }
        let settings = Arc::new(load(path)?);
        self.loaded.insert(key, settings.clone());
        Ok(settings)
    }
}
