//! Runs every enabled rule over every repository, in parallel, with a deterministic result.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::artifact::Artifacts;
use crate::config::{ProfileChoice, Settings};
use crate::finding::{Finding, Note};
use crate::rule::{Emitter, Profile, RepoContext};
use crate::scan::{Repository, TreeList};

/// One repository to check.
#[derive(Debug, Clone)]
pub struct Target {
    pub root: PathBuf,
    /// How the repository is named in reports: the path as the user gave it.
    pub display: String,
    pub settings: Arc<Settings>,
    /// The profile asked for: from the command line, else the configuration.
    pub profile: ProfileChoice,
}

/// Roles whose presence makes a repository an OSPO or governance repository.
const OSPO_ROLES: [&str; 4] = [
    "strategy",
    "ospo-charter",
    "usage-policy",
    "outbound-policy",
];

#[derive(Debug, Clone, Serialize)]
pub struct RepoReport {
    pub path: String,
    pub name: String,
    pub profile: Profile,
    /// Why this profile was used.
    pub profile_reason: String,
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
    /// Ids of the rules that ran, sorted.
    #[serde(skip)]
    pub rules_run: Vec<String>,
    #[serde(skip)]
    pub config: Option<PathBuf>,
}

/// Checks every target on a pool of `jobs` threads (0 = one per core). Output order is the targets'.
pub fn check_all(targets: &[Target], jobs: usize) -> Vec<RepoReport> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build();
    let run = || targets.par_iter().map(check_repository).collect::<Vec<_>>();
    match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

pub fn check_repository(target: &Target) -> RepoReport {
    let settings = &target.settings;
    let repo = Repository::open(&target.root, &settings.walk);
    let artifacts = Artifacts::new(&repo, &settings.catalog.artifacts, &settings.pins);
    let (profile, profile_reason) = choose_profile(&repo, &artifacts, target.profile);
    let tree = settings
        .check
        .tree_file
        .as_deref()
        .map(|path| TreeList::load(path, repo.name()));
    let cx = RepoContext {
        repo: &repo,
        artifacts: &artifacts,
        placeholders: &settings.catalog.placeholders,
        settings: &settings.check,
        tree: tree.as_ref().and_then(|t| t.as_ref().ok()),
    };
    let mut findings = Vec::new();
    let mut rules_run = Vec::new();
    for rule in &settings.catalog.rules {
        if !rule.meta.profiles.contains(&profile) {
            continue;
        }
        let Some(severity) = settings.severity(&rule.meta.id, rule.meta.severity) else {
            continue;
        };
        let mut emitter = Emitter::new(&rule.meta, severity);
        rule.check.run(&cx, &mut emitter);
        findings.extend(emitter.into_findings());
        rules_run.push(rule.meta.id.clone());
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    rules_run.sort();
    let mut notes = repo.notes();
    if let Some(Err(message)) = tree {
        notes.insert(
            0,
            Note {
                path: String::new(),
                message,
            },
        );
    }
    RepoReport {
        path: target.display.clone(),
        name: repo.name().to_string(),
        profile,
        profile_reason,
        findings,
        notes,
        rules_run,
        config: settings.source.clone(),
    }
}

fn choose_profile(
    repo: &Repository,
    artifacts: &Artifacts<'_>,
    choice: ProfileChoice,
) -> (Profile, String) {
    if let Some(fixed) = choice.fixed() {
        return (
            fixed,
            "set in the configuration or on the command line".to_string(),
        );
    }
    for role in OSPO_ROLES {
        if let Some(id) = artifacts.resolve(role).primary() {
            let title = artifacts
                .catalog()
                .role(role)
                .map_or(role, |r| r.def.title.as_str());
            return (
                Profile::Ospo,
                format!(
                    "auto: found {} at {}",
                    title.to_lowercase(),
                    repo.index().path(id)
                ),
            );
        }
    }
    (
        Profile::Project,
        "auto: no OSPO strategy, charter or policy found".to_string(),
    )
}
