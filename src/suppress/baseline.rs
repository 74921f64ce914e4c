//! Baseline files: the findings a repository had when it adopted ospolint, accepted so that only
//! new findings fail the gate. Versioned JSON, written by `check --write-baseline FILE` and read by
//! `check --baseline FILE`.
//!
//! Repositories are keyed by their path relative to the baseline file's folder (`.` for a baseline
//! kept at the repository root), so the file means the same whatever directory ospolint runs from.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use miette::{miette, Report};
use serde::{Deserialize, Serialize};

use super::{fingerprints, meta_rule, Suppressed, SuppressedBy, STALE};
use crate::config::input::{read_input, InputKind};
use crate::diagnostic::SourceError;
use crate::finding::{Finding, Location, Severity};
use crate::rule::Emitter;

pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    tool: String,
    repositories: Vec<RepositoryEntries>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepositoryEntries {
    repository: String,
    findings: Vec<Entry>,
}

/// One accepted finding. Only the rule and the fingerprint are matched; path and message are
/// there for the people who read the file in a diff.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    fingerprint: String,
    message: String,
}

/// A loaded baseline.
#[derive(Debug)]
pub struct Baseline {
    /// The canonical folder of the baseline file: repository keys are relative to it.
    dir: PathBuf,
    repositories: BTreeMap<String, Vec<Entry>>,
}

impl Baseline {
    /// Reads and validates a baseline file. Every problem is an error (exit 2): a gate that
    /// silently ignored a broken baseline would fail on every accepted finding, or pass wrongly.
    pub fn load(path: &Path) -> Result<Baseline, Report> {
        let name = path.display().to_string();
        let text = read_input(path, InputKind::Baseline).map_err(|err| {
            miette!(
                code = "ospolint::baseline",
                help = "create one with `ospolint check --write-baseline FILE`",
                "cannot read baseline: {err}"
            )
        })?;
        // The version first, to say so when the format is another: read without building the
        // rest (a tree of every value would take several times the file's size).
        #[derive(Deserialize)]
        struct Version {
            version: Option<serde_json::Value>,
        }
        // A struct may be read from a JSON array too: only an object can be a baseline.
        let version = if text.trim_start().starts_with('{') {
            serde_json::from_str::<Version>(&text)
                .map_err(|err| json_error(&name, &text, &err))?
                .version
        } else {
            serde_json::from_str::<serde::de::IgnoredAny>(&text)
                .map_err(|err| json_error(&name, &text, &err))?;
            None
        };
        match version.as_ref().and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(BASELINE_VERSION) => {}
            Some(v) => {
                return Err(miette!(
                    code = "ospolint::baseline",
                    help = "regenerate it with this version of ospolint: `ospolint check --write-baseline FILE`",
                    "{name}: baseline version {v} is not supported (this ospolint reads version {BASELINE_VERSION})"
                ))
            }
            None => {
                return Err(miette!(
                    code = "ospolint::baseline",
                    help = "a baseline is written by `ospolint check --write-baseline FILE`",
                    "{name}: not an ospolint baseline (no \"version\" number)"
                ))
            }
        }
        let file: BaselineFile =
            serde_json::from_str(&text).map_err(|err| json_error(&name, &text, &err))?;
        if file.tool != "ospolint" {
            return Err(miette!(
                code = "ospolint::baseline",
                "{name}: a baseline of `{}`, not of ospolint",
                file.tool
            ));
        }
        let mut repositories: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for repo in file.repositories {
            repositories
                .entry(repo.repository)
                .or_default()
                .extend(repo.findings);
        }
        Ok(Baseline {
            dir: baseline_dir(path)?,
            repositories,
        })
    }

    /// Writes the findings of each repository (its root and findings) as a baseline; returns the
    /// number of entries written.
    pub fn write(path: &Path, repositories: &[(&Path, &[Finding])]) -> Result<usize, Report> {
        let dir = baseline_dir(path)?;
        let mut by_key: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for (root, findings) in repositories {
            let prints = fingerprints(findings);
            let entries = by_key.entry(repository_key(&dir, root)).or_default();
            entries.extend(findings.iter().zip(prints).map(|(f, fingerprint)| Entry {
                rule: f.rule.clone(),
                path: f.location.path.clone(),
                fingerprint,
                message: f.message.clone(),
            }));
        }
        let count = by_key.values().map(Vec::len).sum();
        let file = BaselineFile {
            version: BASELINE_VERSION,
            tool: "ospolint".to_string(),
            repositories: by_key
                .into_iter()
                .map(|(repository, findings)| RepositoryEntries {
                    repository,
                    findings,
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file)
            .map_err(|err| miette!("cannot encode the baseline: {err}"))?;
        text.push('\n');
        crate::output_file::replace(path, |out| out.write_all(text.as_bytes())).map_err(|err| {
            miette!(
                code = "ospolint::baseline",
                "cannot write baseline {}: {err}",
                path.display()
            )
        })?;
        Ok(count)
    }

    /// Sets aside the findings of the repository at `root` that the baseline accepts, and adds a
    /// `baseline/stale` finding (at `stale`, `None` = off) for each entry that matched nothing. In
    /// pre-commit mode (`focus`), entries about other files are not judged: their rules did not run.
    pub fn apply(
        &self,
        root: &Path,
        findings: &mut Vec<Finding>,
        focus: Option<&BTreeSet<String>>,
        stale: Option<Severity>,
    ) -> Vec<Suppressed> {
        let Some(entries) = self.repositories.get(&repository_key(&self.dir, root)) else {
            return Vec::new();
        };
        let mut remaining: HashMap<(String, String), usize> = HashMap::new();
        for e in entries {
            *remaining
                .entry((e.rule.clone(), e.fingerprint.clone()))
                .or_default() += 1;
        }
        let prints = fingerprints(findings);
        let mut suppressed = Vec::new();
        let mut kept = Vec::with_capacity(findings.len());
        for (finding, print) in findings.drain(..).zip(prints) {
            match remaining.get_mut(&(finding.rule.clone(), print)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    suppressed.push(Suppressed {
                        finding,
                        suppressed_by: SuppressedBy::Baseline,
                        reason: None,
                    });
                }
                _ => kept.push(finding),
            }
        }
        *findings = kept;

        if let (Some(severity), Some(meta)) = (stale, meta_rule(STALE)) {
            let mut emitter = Emitter::new(&meta, severity);
            for e in entries {
                let in_scope = match (focus, &e.path) {
                    (Some(focus), Some(path)) => focus.contains(path),
                    _ => true,
                };
                let Some(n) = remaining.get_mut(&(e.rule.clone(), e.fingerprint.clone())) else {
                    continue;
                };
                if *n == 0 || !in_scope {
                    continue;
                }
                *n -= 1;
                let finding = emitter.missing(format!(
                    "baseline entry for `{}` matches no finding any more (it was: {})",
                    e.rule, e.message
                ));
                finding.location = match &e.path {
                    Some(path) => Location::file(path.clone()),
                    None => Location::repository(),
                };
            }
            findings.extend(emitter.into_findings());
        }
        suppressed
    }
}

/// The canonical folder a baseline file is (or will be) in.
fn baseline_dir(path: &Path) -> Result<PathBuf, Report> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    parent.canonicalize().map_err(|err| {
        miette!(
            code = "ospolint::baseline",
            "baseline {}: folder {}: {err}",
            path.display(),
            parent.display()
        )
    })
}

/// How a repository is named in a baseline: its path relative to the baseline's folder, or its
/// absolute path when it lies elsewhere.
fn repository_key(dir: &Path, root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match root.strip_prefix(dir) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => root.display().to_string(),
    }
}

/// A JSON error pointing at the line and column serde_json reports.
fn json_error(name: &str, text: &str, err: &serde_json::Error) -> Report {
    let offset = text
        .split_inclusive('\n')
        .take(err.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + err.column().saturating_sub(1);
    let offset = offset.min(text.len().saturating_sub(1));
    let message = format!("{name}: corrupt baseline: {err}");
    let span = (!text.is_empty()).then_some(offset..offset + 1);
    Report::new(
        SourceError::new(name, text, message, span)
            .with_label("here")
            .with_help("fix the file or regenerate it with `ospolint check --write-baseline FILE`"),
    )
}
