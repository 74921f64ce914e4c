//! `ospolint check`: resolve targets and their configuration, run the engine, apply the baseline,
//! report, gate.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{miette, Report};

use super::{write_result, Outcome};
use crate::cli::{CheckArgs, CheckFormat};
use crate::config::{self, SettingsCache, CONFIG_FILE_NAME};
use crate::engine::{self, RepoReport, Target};
use crate::finding::{Finding, Severity};
use crate::report::{self, Human, Json, Reporter, RunReport};
use crate::rule::RuleMeta;
use crate::suppress::{self, Baseline};

pub fn run(
    args: CheckArgs,
    color: bool,
    quiet: bool,
    out: &mut dyn Write,
) -> Result<Outcome, Report> {
    let targets = targets(&args)?;
    if args.write_baseline.is_some() && targets.iter().any(|t| t.focus.is_some()) {
        return Err(miette!(
            code = "ospolint::usage",
            help = "give the repository's directory (or no path at all) when writing a baseline",
            "--write-baseline records every finding of a repository, but files were given: only their findings would be recorded"
        ));
    }
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let jobs = args.jobs.unwrap_or(0);
    let mut repositories = engine::check_all(&targets, jobs);

    if let Some(path) = &args.write_baseline {
        let entries: Vec<(&Path, &[Finding])> = repositories
            .iter()
            .map(|r| (r.root.as_path(), r.findings.as_slice()))
            .collect();
        let count = Baseline::write(path, &entries)?;
        eprintln!(
            "ospolint: wrote {} to {}; check with `--baseline {}` to report only new findings",
            report::plural(count, "accepted finding", "accepted findings"),
            path.display(),
            path.display()
        );
        return Ok(Outcome::Passed);
    }
    if let Some(baseline) = &baseline {
        for (report, target) in repositories.iter_mut().zip(&targets) {
            apply_baseline(baseline, report, target);
        }
    }

    let rules = rule_metadata(&targets, &repositories);
    let run = RunReport {
        repositories,
        fail_on: args.fail_on,
        rules,
    };
    for output in &args.output {
        let mut file = std::fs::File::create(&output.path).map_err(|err| {
            miette!(
                code = "ospolint::usage",
                "--output {}: {err}",
                output.path.display()
            )
        })?;
        reporter(output.format, false, quiet)
            .write(&run, &mut file)
            .map_err(|err| miette!("cannot write {}: {err}", output.path.display()))?;
    }
    write_result(reporter(args.format, color, quiet).write(&run, out))?;
    let github = args.format == CheckFormat::Github
        || args.output.iter().any(|o| o.format == CheckFormat::Github);
    if github {
        report::github::append_step_summary(&run)
            .map_err(|err| miette!("cannot append to GITHUB_STEP_SUMMARY: {err}"))?;
    }
    Ok(if run.gate_failed() {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

fn reporter(format: CheckFormat, color: bool, quiet: bool) -> Box<dyn Reporter> {
    match format {
        CheckFormat::Human => Box::new(Human { color, quiet }),
        CheckFormat::Json => Box::new(Json),
        CheckFormat::Sarif => Box::new(report::Sarif),
        CheckFormat::Github => Box::new(report::Github),
        CheckFormat::Markdown => Box::new(report::Markdown),
        CheckFormat::Junit => Box::new(report::Junit),
    }
}

fn apply_baseline(baseline: &Baseline, report: &mut RepoReport, target: &Target) {
    let stale = target.settings.severity(suppress::STALE, Severity::Info);
    let accepted = baseline.apply(
        &report.root,
        &mut report.findings,
        report.focus.as_deref(),
        stale,
    );
    report.suppressed.extend(accepted);
    if stale.is_some() {
        report.rules_run.push(suppress::STALE.to_string());
        report.rules_run.sort();
    }
    engine::sort_findings(&mut report.findings, report.focus.as_deref());
}

/// The metadata of every rule that ran on some repository, for formats that describe rules (SARIF,
/// JUnit).
fn rule_metadata(targets: &[Target], repositories: &[RepoReport]) -> BTreeMap<String, RuleMeta> {
    let ran: BTreeSet<&str> = repositories
        .iter()
        .flat_map(|r| r.rules_run.iter().map(String::as_str))
        .collect();
    let mut rules = BTreeMap::new();
    for target in targets {
        for rule in &target.settings.catalog.rules {
            if ran.contains(rule.meta.id.as_str()) && !rules.contains_key(&rule.meta.id) {
                rules.insert(rule.meta.id.clone(), rule.meta.clone());
            }
        }
    }
    for meta in suppress::meta_rules() {
        if ran.contains(meta.id.as_str()) {
            rules.insert(meta.id.clone(), meta);
        }
    }
    rules
}

/// The repositories named on the command line, each with its configuration, loaded before any scan
/// so a configuration error stops the run early. Files are grouped by repository (pre-commit mode).
pub(crate) fn targets(args: &CheckArgs) -> Result<Vec<Target>, Report> {
    let mut roots: Vec<(PathBuf, String, Option<BTreeSet<String>>)> = Vec::new();
    if let Some(org) = &args.org {
        roots.extend(
            org_repositories(org)?
                .into_iter()
                .map(|(p, d)| (p, d, None)),
        );
    }
    let paths = if args.paths.is_empty() && args.org.is_none() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
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
    let explicit = args.config.as_deref();
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
        .map(|(root, display, focus)| {
            let config_path = match explicit {
                Some(p) => Some(p.to_path_buf()),
                None => config::discover(&root),
            };
            let settings = cache.get(config_path.as_deref())?;
            let profile = args.profile.unwrap_or(settings.profile);
            Ok(Target {
                root,
                display,
                settings,
                profile,
                focus: focus.map(Arc::new),
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
