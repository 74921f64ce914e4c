//! Rules: metadata, the [`Check`] trait, and the check kinds (one file each) that rule packs configure.

mod applies_if;
mod artifact_present;
mod broken_relative_link;
mod content_pattern;
mod dated_report;
mod doc_owner;
mod empty_section;
mod group_entries;
mod ideas_list;
mod license_file;
mod links_to;
mod maintainers;
pub mod owner_files;
pub mod pack;
mod placeholder_text;
mod policy_file;
mod required_sections;
mod scope;
mod stale_content;
mod stale_review;
pub mod template_mode;
mod timeline;
mod topic_coverage;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::artifact::Artifacts;
use crate::doc::{Document, PlaceholderMatcher};
use crate::finding::{
    bounded, Excerpt, Finding, Location, Severity, FINDINGS_PER_FILE, MAX_MESSAGE,
};
use crate::maturity::{Petal, Stage};
use crate::scan::{Repository, TreeList};

pub use pack::{Catalog, CheckSpec};

/// What kind of repository a rule is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// An open source project: community health files.
    Project,
    /// An OSPO or governance repository: strategy, charter and policies, plus everything in `project`.
    Ospo,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Project => "project",
            Profile::Ospo => "ospo",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What every rule says about itself, whatever its source.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub petal: Petal,
    pub stage: Stage,
    pub severity: Severity,
    pub profiles: Vec<Profile>,
    pub rationale: String,
    pub fix: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Where the rule was defined: `builtin` or the pack's path.
    pub source: String,
}

impl RuleMeta {
    pub fn group(&self) -> &str {
        self.id.split_once('/').map_or(self.id.as_str(), |(g, _)| g)
    }

    /// The profiles the rule runs in, joined by `separator`: `project, ospo`.
    pub fn profile_list(&self, separator: &str) -> String {
        self.profiles
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(separator)
    }
}

/// Settings from the configuration that checks read.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// Folders a static site generator serves at the site root (`static`, `content`), so
    /// root-relative links into them are not broken.
    pub site_roots: Vec<String>,
    /// The repository is a template: unfilled placeholders are expected.
    pub template: bool,
    /// The date ages are measured from; `None` means the system's date. Tests set it through the
    /// `OSPOLINT_TODAY` environment variable so that findings do not depend on the calendar.
    pub today: Option<jiff::civil::Date>,
    /// Months a review date stays fresh.
    pub review_interval_months: u32,
}

/// Twelve months, as the OSPO guides recommend for reviewing policies.
pub const DEFAULT_REVIEW_INTERVAL_MONTHS: u32 = 12;

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            site_roots: Vec::new(),
            template: false,
            today: None,
            review_interval_months: DEFAULT_REVIEW_INTERVAL_MONTHS,
        }
    }
}

impl CheckSettings {
    pub fn today(&self) -> jiff::civil::Date {
        self.today.unwrap_or_else(|| jiff::Zoned::now().date())
    }
}

/// Everything a check may look at for one repository.
pub struct RepoContext<'a> {
    pub repo: &'a Repository,
    pub artifacts: &'a Artifacts<'a>,
    pub placeholders: &'a PlaceholderMatcher,
    pub settings: &'a CheckSettings,
    /// Pre-commit mode: the only files whose per-document findings are wanted (repository-relative).
    pub focus: Option<&'a BTreeSet<String>>,
    /// The repository's full file list, when only part of it is on disk.
    pub tree: Option<&'a TreeList>,
    /// Judge every document, not only live ones (`--all-documents`).
    pub all_documents: bool,
    /// Folders (or the whole repository) that evidence shows to be templates.
    pub templates: Vec<template_mode::TemplateScope>,
}

impl RepoContext<'_> {
    /// Whether the document at `path` is a template, where placeholders, empty sections and links
    /// into what is not generated yet are expected (see [`RepoContext::template_evidence`]).
    pub fn is_template(&self, path: &str) -> bool {
        self.template_evidence(path).is_some()
    }

    /// Why the document at `path` is a template, if it is: the configuration says so, the file's
    /// path does, or evidence in the repository does (see [`template_mode`]).
    pub fn template_evidence(&self, path: &str) -> Option<String> {
        if self.settings.template {
            return Some("the configuration sets `template = true`".into());
        }
        // "template" in any folder or file name, ASCII case ignored: compared in place, as this
        // is asked for every document by several rules.
        let names_template = path
            .as_bytes()
            .windows("template".len())
            .any(|w| w.eq_ignore_ascii_case(b"template"));
        if path.contains("{{") || names_template {
            return Some("its path names a template".into());
        }
        self.templates
            .iter()
            .find(|t| t.covers(path))
            .map(|t| t.evidence.clone())
    }

    /// Whether a file exists at `path`, on disk or in the repository's full file list.
    pub fn file_exists(&self, path: &str) -> bool {
        self.repo.index().find(path).is_some() || self.tree.is_some_and(|t| t.is_file(path))
    }

    /// Whether a folder exists at `path`, on disk or in the repository's full file list.
    pub fn dir_exists(&self, path: &str) -> bool {
        self.repo.index().is_dir(path) || self.tree.is_some_and(|t| t.is_dir(path))
    }

    /// `docs` followed by the repository's documents they link to (one level deep), by relative
    /// links or by absolute URLs to the repository's own files and site pages: a guide that sends
    /// readers to `docs/processes.md` for the details is read together with it.
    pub fn with_linked_documents(&self, docs: &[Arc<Document>]) -> Vec<Arc<Document>> {
        let mut out: Vec<Arc<Document>> = docs.to_vec();
        for doc in docs {
            for link in &doc.links {
                if link.kind == crate::doc::LinkKind::Image
                    || link.is_external()
                    || doc.hidden_at(link.span.start).is_some()
                {
                    continue;
                }
                let path = link.target.split(['#', '?']).next().unwrap_or("");
                if path.is_empty() || !crate::doc::DocKind::from_path(path).is_markup() {
                    continue;
                }
                let Some(resolved) = crate::doc::resolve_link_path(&doc.path, path) else {
                    continue;
                };
                if out.iter().any(|d| d.path == resolved) {
                    continue;
                }
                out.extend(self.repo.document_at(&resolved));
            }
            // Absolute URLs to the repository's own files and published pages are links too:
            // "the full guide is at https://project.example.org/docs/contributing/".
            let Some(id) = self.repo.index().find(&doc.path) else {
                continue;
            };
            for path in self.artifacts.own_links(id).iter() {
                if crate::doc::DocKind::from_path(path).is_markup()
                    && !out.iter().any(|d| d.path == *path)
                {
                    out.extend(self.repo.document_at(path));
                }
            }
        }
        out
    }

    /// The documents per-document checks judge, in path order: the live Markdown,
    /// reStructuredText and AsciiDoc documents (every one with `--all-documents`); in pre-commit
    /// mode only those among the given files, so per-document checks parse nothing else. Archives,
    /// minutes, changelogs, translations, vendored and generated files are left out without being
    /// read, unless a tool's notice in a read document is what sets it apart.
    pub fn markup_documents(&self) -> impl Iterator<Item = Arc<Document>> + '_ {
        let all = self.all_documents;
        self.markup_ids()
            .filter(move |id| all || self.repo.place_lifecycle(*id).is_live())
            .filter_map(|id| self.repo.document(id))
            .filter(move |doc| all || doc.lifecycle.is_live())
    }

    /// Every Markdown, reStructuredText and AsciiDoc document, whatever its lifecycle (in
    /// pre-commit mode, among the given files): for checks that gather evidence rather than judge
    /// documents, where a past programme term is evidence of a programme.
    pub fn all_markup_documents(&self) -> impl Iterator<Item = Arc<Document>> + '_ {
        self.markup_ids().filter_map(|id| self.repo.document(id))
    }

    fn markup_ids(&self) -> impl Iterator<Item = crate::scan::FileId> + '_ {
        let index = self.repo.index();
        // The focus is looked up, not filtered for: a pre-commit run touches only its files.
        let ids: Vec<crate::scan::FileId> = match self.focus {
            Some(focus) => focus.iter().filter_map(|path| index.find(path)).collect(),
            None => index.ids().collect(),
        };
        ids.into_iter().filter(|id| index.kind(*id).is_markup())
    }

    /// The note that says which documents per-document checks left out, and how to include them:
    /// `None` when every document was judged.
    pub fn documents_left_out(&self) -> Option<crate::finding::Note> {
        if self.all_documents {
            return None;
        }
        let mut counts = [0usize; crate::doc::Lifecycle::ALL.len()];
        for id in self.markup_ids() {
            let lifecycle = self.repo.lifecycle_kind(id);
            if !lifecycle.is_live() {
                counts[lifecycle as usize] += 1;
            }
        }
        let total: usize = counts.iter().sum();
        if total == 0 {
            return None;
        }
        let parts: Vec<String> = crate::doc::Lifecycle::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(l, n)| l.count(n))
            .collect();
        let documents = if total == 1 { "document" } else { "documents" };
        let were = if total == 1 { "was" } else { "were" };
        Some(crate::finding::Note {
            path: String::new(),
            message: format!(
                "{total} {documents} {were} not linted ({}): `ospolint artifacts` says why; use `--all-documents` to include them",
                parts.join(", ")
            ),
        })
    }
}

/// Paths grouped by their folder ("" for the root), folders and paths in order: for findings that
/// one change per folder fixes.
pub(crate) fn group_by_folder(mut paths: Vec<String>) -> Vec<(String, Vec<String>)> {
    paths.sort();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for path in paths {
        let folder = path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
        match groups.iter_mut().find(|(f, _)| *f == folder) {
            Some((_, members)) => members.push(path),
            None => groups.push((folder, vec![path])),
        }
    }
    groups
}

/// A check kind: the logic behind rules, configured by a rule pack.
pub trait Check: Send + Sync + fmt::Debug {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>);

    /// Artifact roles the check reads, so packs can be validated against the catalog.
    fn roles(&self) -> Vec<&str> {
        Vec::new()
    }
}

/// A rule ready to run: metadata plus the check that implements it.
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Box<dyn Check>,
}

/// Collects one rule's findings, filling in the rule's metadata. At most
/// [`FINDINGS_PER_FILE`] findings are kept per file; the rest are counted and summed up in one
/// finding per file, so a document with a million placeholders costs a hundred findings.
pub struct Emitter<'m> {
    meta: &'m RuleMeta,
    severity: Severity,
    findings: Vec<Finding>,
    /// Per file: findings kept, and those left out with the highest severity among them.
    per_file: HashMap<String, PerFile>,
    /// The last column computed: findings on one long line come in order, and counting the
    /// characters from the line's start for each was quadratic.
    last_column: Option<ColumnMark>,
    /// The last line's fingerprint key, by document text and line: hashing a long line again for
    /// each of its findings was quadratic too.
    last_line_key: Option<((*const u8, usize), u32, u64)>,
}

#[derive(Default)]
struct PerFile {
    kept: usize,
    /// Findings left out, by severity: each severity is summed up in a finding of its own, so
    /// the counts and the gate see every finding at its own severity.
    left_out: BTreeMap<Severity, usize>,
}

#[derive(Clone, Copy)]
struct ColumnMark {
    /// The document's text, by address and length.
    text: (*const u8, usize),
    line: u32,
    offset: usize,
    column: u32,
}

impl<'m> Emitter<'m> {
    pub fn new(meta: &'m RuleMeta, severity: Severity) -> Emitter<'m> {
        Emitter {
            meta,
            severity,
            findings: Vec::new(),
            per_file: HashMap::new(),
            last_column: None,
            last_line_key: None,
        }
    }

    pub fn meta(&self) -> &RuleMeta {
        self.meta
    }

    /// The rule's configured severity.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Whether the rule runs at its default severity. Rules with a stricter variant (the catalog's
    /// "W, E when …") only escalate then: a severity set in the configuration is taken as meant.
    pub fn at_default_severity(&self) -> bool {
        self.severity == self.meta.severity
    }

    /// A finding about the repository as a whole (something missing).
    pub fn missing(&mut self, message: impl Into<String>) -> &mut Finding {
        self.push(Location::repository(), message)
    }

    /// A finding about a whole file.
    pub fn file(&mut self, path: &str, message: impl Into<String>) -> &mut Finding {
        self.push(Location::file(path), message)
    }

    /// A finding at a byte range of a document; a window of the source line is kept for reports.
    pub fn at(
        &mut self,
        doc: &Document,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Finding {
        let line = doc.line_of(span.start);
        let line_range = doc.line_range(line);
        let column = self.column(doc, line, line_range.start, span.start);
        let end = span.end.min(line_range.end).max(span.start);
        let width = doc
            .text
            .get(span.start..end)
            .map_or(1, |s| s.chars().count().max(1) as u32);
        let line_text = &doc.text[line_range.clone()];
        let relative = span.start - line_range.start..end - line_range.start;
        let location = Location {
            path: Some(doc.path.clone()),
            line: Some(line),
            column: Some(column),
            width: Some(width),
            excerpt: Some(Excerpt::around(line_text, relative, column)),
            line_key: Some(self.line_key(doc, line, line_text)),
        };
        self.push(location, message)
    }

    /// The fingerprint key of `line`, hashed once for all the findings on it.
    fn line_key(&mut self, doc: &Document, line: u32, line_text: &str) -> u64 {
        let text = (doc.text.as_ptr(), doc.text.len());
        match self.last_line_key {
            Some((at, at_line, key)) if at == text && at_line == line => key,
            _ => {
                let key = crate::suppress::line_key(&self.meta.id, &doc.path, line_text);
                self.last_line_key = Some((text, line, key));
                key
            }
        }
    }

    /// The column of `offset` on `line`, counted on from the last column computed when it lies
    /// before `offset` on the same line of the same document.
    fn column(&mut self, doc: &Document, line: u32, line_start: usize, offset: usize) -> u32 {
        let text = (doc.text.as_ptr(), doc.text.len());
        let column = match self.last_column {
            Some(mark)
                if mark.text == text
                    && mark.line == line
                    && mark.offset <= offset
                    && doc.text.is_char_boundary(offset.min(doc.text.len())) =>
            {
                let counted = doc
                    .text
                    .get(mark.offset..offset)
                    .map_or(0, |s| s.chars().count() as u32);
                mark.column + counted
            }
            _ => doc.column_of(offset),
        };
        if doc.text.is_char_boundary(offset.min(doc.text.len())) && offset >= line_start {
            self.last_column = Some(ColumnMark {
                text,
                line,
                offset,
                column,
            });
        }
        column
    }

    /// A finding on a whole line of a document.
    pub fn at_line(
        &mut self,
        doc: &Document,
        line: u32,
        message: impl Into<String>,
    ) -> &mut Finding {
        let range = doc.line_range(line);
        let text = &doc.text[range.clone()];
        let indent = text.len() - text.trim_start().len();
        self.at(doc, range.start + indent..range.end, message)
    }

    fn push(&mut self, location: Location, message: impl Into<String>) -> &mut Finding {
        self.settle();
        self.findings.push(Finding {
            rule: self.meta.id.clone(),
            severity: self.severity,
            petal: self.meta.petal,
            stage: self.meta.stage,
            location,
            message: bounded(message.into(), MAX_MESSAGE),
            help: Some(self.meta.fix.clone()),
            gap: false,
            summed_up: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Files the last finding, which its caller may have adjusted since it was pushed: folded
    /// into the one before when it repeats it on the same line (as the engine would merge them),
    /// counted against its file's share otherwise, and dropped when that share is full.
    fn settle(&mut self) {
        let Some(last) = self.findings.last_mut() else {
            return;
        };
        if let Some(help) = last.help.take() {
            last.help = Some(bounded(help, MAX_MESSAGE));
        }
        if last.location.path.is_none() {
            return;
        }
        let count = self.findings.len();
        if count >= 2 {
            let [earlier, last] = &mut self.findings[count - 2..] else {
                unreachable!("two findings")
            };
            if repeats_on_line(earlier, last) {
                let (a, b) = (&earlier.location, &last.location);
                let start = a.column.min(b.column).unwrap_or(1);
                let end = (a.column.unwrap_or(1) + a.width.unwrap_or(1).max(1))
                    .max(b.column.unwrap_or(1) + b.width.unwrap_or(1).max(1));
                if b.column < a.column {
                    earlier.location.excerpt = last.location.excerpt.take();
                }
                earlier.location.column = Some(start);
                earlier.location.width = Some(end - start);
                earlier.severity = earlier.severity.max(last.severity);
                self.findings.pop();
                return;
            }
        }
        let last = self.findings.last().expect("checked above");
        let path = last.location.path.as_deref().unwrap_or_default();
        let share = match self.per_file.get_mut(path) {
            Some(share) => share,
            None => self.per_file.entry(path.to_string()).or_default(),
        };
        if share.kept < FINDINGS_PER_FILE {
            share.kept += 1;
            return;
        }
        *share.left_out.entry(last.severity).or_default() += 1;
        self.findings.pop();
    }

    pub fn into_findings(mut self) -> Vec<Finding> {
        self.settle();
        let mut left_out: Vec<(String, PerFile)> = self
            .per_file
            .drain()
            .filter(|(_, share)| !share.left_out.is_empty())
            .collect();
        left_out.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, share) in left_out {
            for (severity, more) in share.left_out.into_iter().rev() {
                self.findings.push(Finding {
                    rule: self.meta.id.clone(),
                    severity,
                    petal: self.meta.petal,
                    stage: self.meta.stage,
                    message: format!(
                        "and {} more {} like this in {path} (ospolint lists the first {FINDINGS_PER_FILE} of a rule in a file)",
                        thousands(more),
                        if more == 1 { "finding" } else { "findings" },
                    ),
                    location: Location::file(&path),
                    help: Some(self.meta.fix.clone()),
                    gap: false,
                    summed_up: Some(more),
                });
            }
        }
        self.findings
    }
}

/// Whether `b` says what `a` says on the same line of the same file: one problem, one finding.
fn repeats_on_line(a: &Finding, b: &Finding) -> bool {
    a.location.path == b.location.path
        && a.location.line.is_some()
        && a.location.line == b.location.line
        && a.location.column.is_some()
        && b.location.column.is_some()
        && a.message == b.message
        && a.help == b.help
        && a.rule == b.rule
}

/// `n` with a comma between groups of three digits: 399,997.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Builder-style adjustments on a finding just emitted.
impl Finding {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        self.help = Some(help.into());
        self
    }

    /// Lowers (never raises) the severity, for the softer variant of a rule.
    pub fn at_most(&mut self, severity: Severity) -> &mut Finding {
        self.severity = self.severity.min(severity);
        self
    }

    /// Raises the severity for the stricter variant of a rule. Checks call it only when
    /// [`Emitter::at_default_severity`] holds, so a severity set in the configuration is kept.
    pub fn raise_to(&mut self, severity: Severity) -> &mut Finding {
        self.severity = self.severity.max(severity);
        self
    }
}
