//! Runs every enabled rule over every repository, in parallel, with a deterministic result.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::artifact::Artifacts;
use crate::config::{ProfileChoice, Settings};
use crate::finding::{Finding, Note, Severity};
use crate::profile::choose_profile;
use crate::rule::{Emitter, Profile, RepoContext};
use crate::scan::Repository;
use crate::suppress::{self, Suppressed};

/// One repository to check.
#[derive(Debug, Clone)]
pub struct Target {
    pub root: PathBuf,
    /// How the repository is named in reports: the path as the user gave it.
    pub display: String,
    pub settings: Arc<Settings>,
    /// The profile asked for: from the command line, else the configuration.
    pub profile: ProfileChoice,
    /// Pre-commit mode: per-document rules run on these files only (repository-relative paths);
    /// repository-level rules run as usual, so the verdict on these files is the one CI gives.
    pub focus: Option<Arc<BTreeSet<String>>>,
    /// Per-document rules judge every document, not only live ones (`--all-documents`).
    pub all_documents: bool,
    /// The organization's `.github` repository found by `--org` (the configuration's
    /// `org_defaults` wins over it).
    pub org_defaults: Option<Arc<crate::artifact::OrgDefaults>>,
}

impl Target {
    /// The organization's default community health files that apply to this repository.
    pub fn org_defaults(&self) -> Option<&crate::artifact::OrgDefaults> {
        self.settings
            .org_defaults
            .as_deref()
            .or(self.org_defaults.as_deref())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RepoReport {
    pub path: String,
    pub name: String,
    pub profile: Profile,
    /// Why this profile was used.
    pub profile_reason: String,
    pub findings: Vec<Finding>,
    /// Findings set aside by inline comments, exemptions or the baseline.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<Suppressed>,
    pub notes: Vec<Note>,
    /// Ids of the rules that ran, sorted.
    #[serde(skip)]
    pub rules_run: Vec<String>,
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// The repository's root on disk.
    #[serde(skip)]
    pub root: PathBuf,
    /// A file that findings about the repository as a whole can be attached to, for formats that
    /// need a file for every result (SARIF): the README, else the first file.
    #[serde(skip)]
    pub anchor: Option<String>,
    #[serde(skip)]
    pub focus: Option<Arc<BTreeSet<String>>>,
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
}

/// `work` applied to every item, in order, on a pool of `jobs` threads (0 = one per core). A single
/// item is handled on the calling thread: starting threads costs more than a pre-commit run.
///
/// Every item is a task of its own that an idle thread can take. By default rayon hands each
/// thread runs of hundreds of items that only it may work through, so near the end of an org-wide
/// check one thread sat idle while the other finished its run (up to 128 ms of a 950 ms check of
/// 2,000 repositories on two cores); a task per repository costs nothing next to checking one.
pub fn map_repositories<T: Send, R: Send>(
    jobs: usize,
    items: Vec<T>,
    work: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    if items.len() <= 1 {
        return items.into_iter().map(work).collect();
    }
    let run = || items.into_par_iter().with_max_len(1).map(&work).collect();
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

pub fn check_repository(target: &Target) -> RepoReport {
    let settings = &target.settings;
    let mut repo = Repository::open(&target.root, &settings.scan);
    if target.focus.is_some() {
        repo.read_titles_from_prefix();
    }
    let artifacts = Artifacts::new(&repo, &settings.catalog.artifacts, &settings.pins)
        .with_org_defaults(target.org_defaults());
    let (profile, profile_reason) = choose_profile(&repo, &artifacts, target.profile);
    let cx = RepoContext {
        repo: &repo,
        artifacts: &artifacts,
        placeholders: &settings.catalog.placeholders,
        settings: &settings.check,
        focus: target.focus.as_deref(),
        tree: repo.tree(),
        all_documents: target.all_documents,
        templates: crate::rule::template_mode::detect(
            &repo,
            &settings.catalog.placeholders.template,
        ),
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
        let mut found = emitter.into_findings();
        say_via(&repo, &artifacts, &rule.check.roles(), &mut found);
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
    let step = suppress::Step {
        repo: &repo,
        settings,
        rules_run: &rules_run,
        focus: target.focus.as_deref(),
        // Reading the time zone costs a millisecond: only when an exemption has an end date.
        today: settings
            .exemptions
            .iter()
            .any(|e| e.expires.is_some())
            .then(|| settings.check.today()),
    };
    let suppressed = suppress::apply(&step, &mut findings);
    rules_run.extend(
        [
            suppress::UNKNOWN_RULE,
            suppress::UNUSED,
            suppress::INVALID,
            suppress::EXPIRED,
        ]
        .iter()
        .filter(|id| settings.severity(id, Severity::Warning).is_some())
        .map(|id| id.to_string()),
    );
    sort_findings(&mut findings, target.focus.as_deref());
    merge_overlapping(&mut findings);
    rules_run.sort();
    unchecked.sort();
    let signals = settings.maturity.signals_of(&cx);
    let governance_documents = settings.maturity.governance_documents(&cx, &findings);
    let mut notes = repo.notes();
    if let Some(note) = cx.documents_left_out() {
        notes.insert(0, note);
    }
    let anchor = artifacts
        .readme()
        .or_else(|| repo.index().ids().next())
        .map(|id| repo.index().path(id).to_string());
    RepoReport {
        path: target.display.clone(),
        name: repo.name().to_string(),
        profile,
        profile_reason,
        findings,
        suppressed,
        notes,
        rules_run,
        config: settings.source.clone(),
        root: target.root.clone(),
        anchor,
        focus: target.focus.clone(),
        unchecked,
        signals,
        governance_documents,
    }
}

/// Sorts findings in report order. In pre-commit mode, findings on the given files come first:
/// they are what the person committing is looking at.
pub fn sort_findings(findings: &mut [Finding], focus: Option<&BTreeSet<String>>) {
    let outside = |f: &Finding| match (focus, &f.location.path) {
        (Some(focus), Some(path)) => !focus.contains(path),
        (Some(_), None) => true,
        (None, _) => false,
    };
    findings.sort_by(|a, b| (outside(a), a.sort_key()).cmp(&(outside(b), b.sort_key())));
}

/// Merges findings of one rule whose spans overlap on one line, or that say the same thing on one
/// line, into the first of them (two patterns matching the same placeholder, a link inside a
/// link, two `TBD` cells of a row): one problem, one finding, at the higher severity, covering
/// both spans. Findings with the same span and different messages are distinct
/// problems anchored at one place (the requirements a section misses, each at its heading) and
/// stay apart. `findings` must be sorted (see [`sort_findings`]).
pub fn merge_overlapping(findings: &mut Vec<Finding>) {
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        // Other rules' findings may sit between two of one rule on the same line.
        let same_line = merged.iter_mut().rev().take_while(|f| {
            f.location.path == finding.location.path && f.location.line == finding.location.line
        });
        if let Some(earlier) = same_line.into_iter().find(|f| overlaps(f, &finding)) {
            let (a, b) = (span_of(earlier), span_of(&finding));
            earlier.location.width = Some(a.1.max(b.1) - a.0);
            earlier.severity = earlier.severity.max(finding.severity);
            continue;
        }
        merged.push(finding);
    }
    *findings = merged;
}

/// Columns `[start, end)` a finding covers on its line.
fn span_of(finding: &Finding) -> (u32, u32) {
    let start = finding.location.column.unwrap_or(1);
    (start, start + finding.location.width.unwrap_or(1).max(1))
}

fn overlaps(a: &Finding, b: &Finding) -> bool {
    let (la, lb) = (&a.location, &b.location);
    a.rule == b.rule
        && la.path.is_some()
        && la.path == lb.path
        && la.line.is_some()
        && la.line == lb.line
        && la.column.is_some()
        && lb.column.is_some()
        && {
            let (sa, sb) = (span_of(a), span_of(b));
            let overlapping = sa.0 < sb.1 && sb.0 < sa.1 && (sa != sb || a.message == b.message);
            // The same message twice on one line is one problem: two `TBD` cells of one row,
            // one moved file linked twice in a sentence.
            overlapping || a.message == b.message
        }
}

/// Findings in a document that a pointer stub handed a role to say so ("… (via
/// .github/SECURITY.md)"): the reader opened the stub, and the finding is about where it leads.
fn say_via(repo: &Repository, artifacts: &Artifacts<'_>, roles: &[&str], findings: &mut [Finding]) {
    if findings.is_empty() {
        return;
    }
    for role in roles {
        let resolved = artifacts.resolve(role);
        if resolved.via.is_empty() {
            continue;
        }
        for finding in findings.iter_mut() {
            let Some(id) = finding
                .location
                .path
                .as_deref()
                .and_then(|p| repo.index().find(p))
            else {
                continue;
            };
            if let Some(stub) = resolved.via(id) {
                let note = format!(" (via {})", repo.index().path(stub));
                if !finding.message.ends_with(&note) {
                    finding.message.push_str(&note);
                }
            }
        }
    }
}

/// The profile `auto` picks for the repository at `root`, and why.
pub fn detect_profile(root: &Path, settings: &Settings) -> (Profile, String) {
    let repo = Repository::open(root, &settings.scan);
    let artifacts = Artifacts::new(&repo, &settings.catalog.artifacts, &settings.pins);
    choose_profile(&repo, &artifacts, ProfileChoice::Auto)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;
    use crate::maturity::{Petal, Stage};

    fn finding(rule: &str, line: u32, column: u32, width: u32, message: &str) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity: Severity::Warning,
            petal: Petal::Ospo,
            stage: Stage::Awareness,
            location: Location {
                path: Some("a.md".to_string()),
                line: Some(line),
                column: Some(column),
                width: Some(width),
                excerpt: None,
                line_key: None,
            },
            message: message.to_string(),
            help: None,
            gap: false,
            summed_up: None,
        }
    }

    #[test]
    fn overlapping_findings_of_a_rule_merge() {
        let mut findings = vec![
            finding(
                "hygiene/placeholder-text",
                3,
                5,
                20,
                "placeholder `[TODO: x]`",
            ),
            finding("hygiene/broken-relative-link", 3, 6, 2, "link"),
            finding("hygiene/placeholder-text", 3, 6, 4, "placeholder `TODO`"),
            finding("hygiene/placeholder-text", 3, 40, 4, "placeholder `TBD`"),
            finding("hygiene/placeholder-text", 4, 5, 4, "placeholder `TODO`"),
        ];
        sort_findings(&mut findings, None);
        merge_overlapping(&mut findings);
        let kept: Vec<(u32, u32, &str)> = findings
            .iter()
            .map(|f| {
                (
                    f.location.line.unwrap(),
                    f.location.column.unwrap(),
                    f.rule.as_str(),
                )
            })
            .collect();
        assert_eq!(
            kept,
            [
                (3, 5, "hygiene/placeholder-text"),
                (3, 6, "hygiene/broken-relative-link"),
                (3, 40, "hygiene/placeholder-text"),
                (4, 5, "hygiene/placeholder-text"),
            ]
        );
        assert_eq!(findings[0].location.width, Some(20));
        // The same message twice on a line: one finding spanning both.
        let mut cells = vec![
            finding(
                "hygiene/placeholder-text",
                7,
                10,
                3,
                "`TBD` left as a table cell",
            ),
            finding(
                "hygiene/placeholder-text",
                7,
                20,
                3,
                "`TBD` left as a table cell",
            ),
        ];
        merge_overlapping(&mut cells);
        assert_eq!(cells.len(), 1);
        assert_eq!(cells[0].location.width, Some(13));
    }

    #[test]
    fn distinct_problems_at_one_anchor_stay_apart() {
        let mut findings = vec![
            finding("legal/inbound", 3, 1, 18, "no DCO"),
            finding("legal/inbound", 3, 1, 18, "no review"),
            finding("legal/inbound", 3, 1, 18, "no review"),
        ];
        sort_findings(&mut findings, None);
        merge_overlapping(&mut findings);
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["no DCO", "no review"]);
    }
}
