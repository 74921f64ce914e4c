//! Runs every enabled rule over every repository, in parallel, with a deterministic result.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::artifact::Artifacts;
use crate::config::{ProfileChoice, Settings};
use crate::finding::{Finding, Note};
use crate::rule::{Emitter, Profile, RepoContext};
use crate::scan::Repository;

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
    /// Ids of the rules that ran without a finding because the document they examine (their first
    /// artifact role) is missing: they checked nothing, so they show nothing. Sorted.
    #[serde(skip)]
    pub unchecked: Vec<String>,
    /// Ids of the maturity model's signals that hold for the repository (`rules/maturity.toml`).
    #[serde(skip)]
    pub signals: Vec<String>,
    /// Of the files where rules the maturity model scopes to governance documents have findings,
    /// those that are governance documents. Sorted.
    #[serde(skip)]
    pub governance_documents: Vec<String>,
    #[serde(skip)]
    pub config: Option<PathBuf>,
}

/// Checks every target on a pool of `jobs` threads (0 = one per core). Output order is the targets'.
pub fn check_all(targets: &[Target], jobs: usize) -> Vec<RepoReport> {
    check_all_with_progress(targets, jobs, &|| {})
}

/// [`check_all`], calling `done` after each repository (from the worker threads), for a progress bar.
pub fn check_all_with_progress(
    targets: &[Target],
    jobs: usize,
    done: &(dyn Fn() + Sync),
) -> Vec<RepoReport> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build();
    let run = || {
        targets
            .par_iter()
            .map(|target| {
                let report = check_repository(target);
                done();
                report
            })
            .collect::<Vec<_>>()
    };
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
    let cx = RepoContext {
        repo: &repo,
        artifacts: &artifacts,
        placeholders: &settings.catalog.placeholders,
        settings: &settings.check,
    };
    let mut findings = Vec::new();
    let mut rules_run = Vec::new();
    let mut unchecked = Vec::new();
    for rule in &settings.catalog.rules {
        if !rule.meta.profiles.contains(&profile) {
            continue;
        }
        let Some(severity) = settings.severity(&rule.meta.id, rule.meta.severity) else {
            continue;
        };
        let mut emitter = Emitter::new(&rule.meta, severity);
        rule.check.run(&cx, &mut emitter);
        let found = emitter.into_findings();
        if found.is_empty()
            && rule
                .check
                .roles()
                .first()
                .is_some_and(|role| artifacts.resolve(role).is_missing())
        {
            unchecked.push(rule.meta.id.clone());
        }
        findings.extend(found);
        rules_run.push(rule.meta.id.clone());
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    rules_run.sort();
    unchecked.sort();
    let signals = settings.maturity.signals_of(&cx);
    let governance_documents = settings.maturity.governance_documents(&cx, &findings);
    RepoReport {
        path: target.display.clone(),
        name: repo.name().to_string(),
        profile,
        profile_reason,
        findings,
        notes: repo.notes(),
        rules_run,
        unchecked,
        signals,
        governance_documents,
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
