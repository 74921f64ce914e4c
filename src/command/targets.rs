//! Which repositories a command works on, each with its configuration: shared by `check` and
//! `maturity`, so both read the same repositories the same way.

use std::path::{Path, PathBuf};

use miette::{miette, Report};

use crate::config::{self, ProfileChoice, SettingsCache};
use crate::engine::Target;

/// The command-line arguments that select repositories.
pub(crate) struct TargetSpec<'a> {
    pub paths: &'a [PathBuf],
    pub org: Option<&'a Path>,
    pub profile: Option<ProfileChoice>,
    pub config: Option<&'a Path>,
}

/// The repositories named on the command line, each with its configuration, loaded before any scan
/// so a configuration error stops the run early.
pub(crate) fn resolve(spec: &TargetSpec<'_>) -> Result<Vec<Target>, Report> {
    let mut roots: Vec<(PathBuf, String)> = Vec::new();
    if let Some(org) = spec.org {
        roots.extend(org_repositories(org)?);
    }
    let paths = if spec.paths.is_empty() && spec.org.is_none() {
        vec![PathBuf::from(".")]
    } else {
        spec.paths.to_vec()
    };
    for path in paths {
        if !path.exists() {
            return Err(miette!(
                code = "ospolint::usage",
                help = "give the path of a repository directory",
                "{}: no such file or directory",
                path.display()
            ));
        }
        if !path.is_dir() {
            return Err(miette!(
                code = "ospolint::usage",
                help = "give the repository's directory",
                "{}: not a directory",
                path.display()
            ));
        }
        roots.push((path.clone(), path.display().to_string()));
    }
    let mut cache = SettingsCache::default();
    let explicit = spec.config;
    if let Some(path) = explicit {
        if !path.is_file() {
            return Err(miette!(
                code = "ospolint::usage",
                "{}: configuration file not found",
                path.display()
            ));
        }
    }
    roots
        .into_iter()
        .map(|(root, display)| {
            let config_path = match explicit {
                Some(p) => Some(p.to_path_buf()),
                None => config::discover(&root),
            };
            let settings = cache.get(config_path.as_deref())?;
            let profile = spec.profile.unwrap_or(settings.profile);
            Ok(Target {
                root,
                display,
                settings,
                profile,
            })
        })
        .collect()
}

/// Every directory directly under `org`, hidden ones excepted, in name order.
fn org_repositories(org: &Path) -> Result<Vec<(PathBuf, String)>, Report> {
    let entries = std::fs::read_dir(org)
        .map_err(|err| miette!(code = "ospolint::usage", "--org {}: {err}", org.display()))?;
    let mut repos: Vec<(PathBuf, String)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let path = e.path();
            let display = path.display().to_string();
            (path, display)
        })
        .collect();
    repos.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(repos)
}
