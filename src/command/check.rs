//! `ospolint check`: resolve targets and their configuration, run the engine, report, gate.

use std::io::Write;
use std::path::{Path, PathBuf};

use miette::{miette, Report};

use super::{write_result, Outcome};
use crate::cli::{CheckArgs, CheckFormat};
use crate::config::{self, SettingsCache};
use crate::engine::{self, Target};
use crate::report::{Human, Json, Reporter, RunReport};

pub fn run(
    args: CheckArgs,
    color: bool,
    quiet: bool,
    out: &mut dyn Write,
) -> Result<Outcome, Report> {
    let targets = targets(&args)?;
    let jobs = args.jobs.unwrap_or(0);
    let repositories = engine::check_all(&targets, jobs);
    let run = RunReport {
        repositories,
        fail_on: args.fail_on,
    };
    let result = match args.format {
        CheckFormat::Human => Human { color, quiet }.write(&run, out),
        CheckFormat::Json => Json.write(&run, out),
    };
    write_result(result)?;
    Ok(if run.gate_failed() {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

/// The repositories named on the command line, each with its configuration, loaded before any scan
/// so a configuration error stops the run early.
pub(crate) fn targets(args: &CheckArgs) -> Result<Vec<Target>, Report> {
    targets_for(
        &args.paths,
        args.org.as_deref(),
        args.config.as_deref(),
        args.profile,
    )
}

/// Targets from repository paths, an organization folder, a configuration file and a profile.
pub(crate) fn targets_for(
    paths: &[PathBuf],
    org: Option<&Path>,
    config: Option<&Path>,
    profile: Option<crate::config::ProfileChoice>,
) -> Result<Vec<Target>, Report> {
    let mut roots: Vec<(PathBuf, String)> = Vec::new();
    if let Some(org) = org {
        roots.extend(org_repositories(org)?);
    }
    let paths = if paths.is_empty() && org.is_none() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
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
    let explicit = config;
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
            let profile = profile.unwrap_or(settings.profile);
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
