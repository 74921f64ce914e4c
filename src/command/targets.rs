//! Which repositories a command works on, each with its configuration: shared by `check` and
//! `maturity`, so both read the same repositories the same way.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{miette, Report};

use crate::artifact::OrgDefaults;
use crate::config::{self, ProfileChoice, SettingsCache, CONFIG_FILE_NAME};
use crate::engine::Target;

/// The command-line arguments that select repositories.
pub(crate) struct TargetSpec<'a> {
    /// Repository directories, or files inside repositories (pre-commit mode).
    pub paths: &'a [PathBuf],
    pub org: Option<&'a Path>,
    pub profile: Option<ProfileChoice>,
    pub config: Option<&'a Path>,
    /// `--plugin FILE` arguments.
    pub plugins: &'a [PathBuf],
    /// `--all-documents`.
    pub all_documents: bool,
}

/// The repositories named on the command line, each with its configuration, loaded before any scan
/// so a configuration error stops the run early. Files are grouped by repository (pre-commit mode).
pub(crate) fn resolve(spec: &TargetSpec<'_>) -> Result<Vec<Target>, Report> {
    let mut roots: Vec<(PathBuf, String, Option<BTreeSet<String>>)> = Vec::new();
    if let Some(org) = spec.org {
        roots.extend(
            org_repositories(org)?
                .into_iter()
                .map(|(p, d)| (p, d, None)),
        );
    }
    let paths = if spec.paths.is_empty() && spec.org.is_none() {
        vec![PathBuf::from(".")]
    } else {
        spec.paths.to_vec()
    };
    let mut grouped: Vec<(PathBuf, BTreeSet<String>)> = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(miette!(
                code = "ospolint::usage",
                help = "give the path of a repository directory or of files in one",
                "{}: no such file or directory",
                path.display()
            ));
        }
        if path.is_dir() {
            roots.push((path.clone(), path.display().to_string(), None));
            continue;
        }
        let (root, relative) = locate_file(&path)?;
        match grouped.iter_mut().find(|(r, _)| *r == root) {
            Some((_, files)) => {
                files.insert(relative);
            }
            None => grouped.push((root, BTreeSet::from([relative]))),
        }
    }
    for (root, files) in grouped {
        let display = display_path(&root);
        roots.push((root, display, Some(files)));
    }

    let mut cache = SettingsCache::default();
    cache.extra_plugins = spec.plugins.to_vec();
    let mut discovery = config::Discovery::default();
    let explicit = spec.config;
    if explicit.is_some() {
        cache.trust = config::Trust::CommandLine;
    }
    if let Some(path) = explicit {
        config::input::expect_file(path, config::input::InputKind::Config)
            .map_err(|err| miette!(code = "ospolint::usage", "{err}"))?;
    }
    // The organization's `.github` repository: a hidden folder, so not checked as a repository,
    // but GitHub shows its community health files in the others.
    let org_github = spec
        .org
        .map(|org| org.join(".github"))
        .filter(|dir| dir.is_dir());
    let mut org_defaults: Vec<(Arc<config::Settings>, Arc<OrgDefaults>)> = Vec::new();
    roots
        .into_iter()
        .map(|(root, display, focus)| {
            let config_path = match explicit {
                Some(p) => Some(p.to_path_buf()),
                None => discovery.find(&root),
            };
            let settings = cache.get(config_path.as_deref())?;
            let profile = spec.profile.unwrap_or(settings.profile);
            // Read once per configuration (each may define its own roles).
            let defaults = org_github.as_ref().map(|dir| {
                match org_defaults.iter().find(|(s, _)| Arc::ptr_eq(s, &settings)) {
                    Some((_, found)) => found.clone(),
                    None => {
                        let found = Arc::new(OrgDefaults::load(
                            dir,
                            dir.display().to_string(),
                            &settings.catalog.artifacts,
                            &crate::scan::ScanOptions::default(),
                        ));
                        org_defaults.push((settings.clone(), found.clone()));
                        found
                    }
                }
            });
            Ok(Target {
                root,
                display,
                settings,
                profile,
                focus: focus.map(Arc::new),
                all_documents: spec.all_documents,
                org_defaults: defaults,
            })
        })
        .collect()
}

/// The repository a file belongs to (the nearest folder above it holding `.git` or
/// `ospolint.toml`) and the file's path relative to it.
fn locate_file(path: &Path) -> Result<(PathBuf, String), Report> {
    let file = path
        .canonicalize()
        .map_err(|err| miette!(code = "ospolint::usage", "{}: {err}", path.display()))?;
    let root = file
        .ancestors()
        .skip(1)
        .find(|dir| dir.join(".git").exists() || dir.join(CONFIG_FILE_NAME).is_file())
        .ok_or_else(|| {
            miette!(
                code = "ospolint::usage",
                help = "run ospolint on files inside a git repository, or add an ospolint.toml at the root of the folder that holds them",
                "{}: not inside a repository (no folder above it has .git or {CONFIG_FILE_NAME})",
                path.display()
            )
        })?;
    let relative = file
        .strip_prefix(root)
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default();
    Ok((root.to_path_buf(), relative))
}

/// How a repository found from a file is named in reports: relative to the current directory when
/// it is the current directory or one of its parents, else its full path.
fn display_path(root: &Path) -> String {
    let Ok(cwd) = std::env::current_dir().and_then(|d| d.canonicalize()) else {
        return root.display().to_string();
    };
    if let Ok(rel) = root.strip_prefix(&cwd) {
        return if rel.as_os_str().is_empty() {
            ".".to_string()
        } else {
            rel.display().to_string()
        };
    }
    match cwd.strip_prefix(root) {
        Ok(below) => vec![".."; below.components().count()].join("/"),
        Err(_) => root.display().to_string(),
    }
}

/// Every directory directly under `org`, hidden ones excepted, in name order.
fn org_repositories(org: &Path) -> Result<Vec<(PathBuf, String)>, Report> {
    let entries = std::fs::read_dir(org)
        .map_err(|err| miette!(code = "ospolint::usage", "--org {}: {err}", org.display()))?;
    let mut repos: Vec<(PathBuf, String)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
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
