//! Output for people: each finding as a miette diagnostic with the source line, then a summary.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{plural, Counts, Reporter, RunReport};
use crate::engine::RepoReport;
use crate::finding::{Finding, Severity, FINDINGS_PER_FILE};
use crate::printable::escape_controls;

pub struct Human {
    pub color: bool,
    /// Only findings and the summary: no per-repository headers or notes.
    pub quiet: bool,
}

impl Reporter for Human {
    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        // Drawing diagnostics is slow next to checking: each repository's section is drawn on the
        // run's threads, then written in order.
        let sections =
            crate::engine::map_repositories(run.jobs, run.repositories.iter().collect(), |repo| {
                self.section(&handler, repo)
            });
        for section in sections {
            out.write_all(&section?)?;
        }
        // One line per repository with its maturity stage; `ospolint maturity` has the details.
        let width = run
            .maturity
            .iter()
            .map(|a| a.path.chars().count())
            .max()
            .unwrap_or(0);
        for a in &run.maturity {
            writeln!(
                out,
                "stage: {:<width$}  {}",
                escape_controls(&a.path),
                crate::report::maturity::one_line(a)
            )?;
        }
        let counts = run.counts();
        let gate = if run.gate_failed() {
            "gate failed"
        } else {
            "gate passed"
        };
        let fail_on = serde_json::to_value(run.fail_on)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let min_stage = match run.min_stage {
            Some(min) => {
                let below = run.below_min_stage().count();
                format!(
                    ", --min-stage {} ({} below)",
                    min.key(),
                    plural(below, "repository", "repositories")
                )
            }
            None => String::new(),
        };
        writeln!(
            out,
            "{} in {}: {gate} (--fail-on {fail_on}{min_stage})",
            summary(counts),
            plural(run.repositories.len(), "repository", "repositories"),
        )
    }
}

impl Human {
    /// A repository's header, findings, notes and counts.
    fn section(&self, handler: &GraphicalReportHandler, repo: &RepoReport) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        if !self.quiet {
            writeln!(
                out,
                "{} (profile: {}; {})",
                escape_controls(&repo.path),
                repo.profile,
                escape_controls(&repo.profile_reason)
            )?;
        }
        let repeats = repeats(&repo.findings);
        let mut shown: HashMap<(&str, &str, &str), usize> = HashMap::new();
        for finding in &repo.findings {
            let key = repeat_key(finding);
            let count = repeats.get(&key).copied().unwrap_or(1);
            let seen = shown.entry(key).or_insert(0);
            *seen += 1;
            if count > SHOWN_REPEATS && *seen > SHOWN_REPEATS {
                continue;
            }
            let diagnostic = FindingDiagnostic::new(finding);
            let mut rendered = String::new();
            handler
                .render_report(&mut rendered, &diagnostic)
                .map_err(io::Error::other)?;
            writeln!(out, "{rendered}")?;
            if *seen == SHOWN_REPEATS && count > SHOWN_REPEATS {
                let more = count - SHOWN_REPEATS;
                writeln!(
                    out,
                    "  … and {more} more {} {} like this in {} (`--format json` lists the first {FINDINGS_PER_FILE} of a rule in a file and sums up the rest)\n",
                    finding.rule,
                    if more == 1 { "finding" } else { "findings" },
                    escape_controls(key.0)
                )?;
            }
        }
        if !self.quiet {
            for note in &repo.notes {
                let message = escape_controls(&note.message);
                if note.path.is_empty() {
                    writeln!(out, "  note: {message}")?;
                    continue;
                }
                writeln!(out, "  note: {}: {message}", escape_controls(&note.path))?;
            }
            let counts = Counts::of(&repo.findings);
            if repo.suppressed.is_empty() {
                writeln!(out, "  {}\n", summary(counts))?;
            } else {
                writeln!(
                    out,
                    "  {} ({} suppressed)\n",
                    summary(counts),
                    repo.suppressed.len()
                )?;
            }
        }
        Ok(out)
    }
}

/// Findings of one rule with one message in one document shown before the rest are counted: a
/// page with forty links to the same moved file is one problem to fix, not forty screens.
const SHOWN_REPEATS: usize = 3;

/// What makes findings repeats of each other: the document, the rule and the message.
fn repeat_key(finding: &Finding) -> (&str, &str, &str) {
    (
        finding.location.path.as_deref().unwrap_or(""),
        finding.rule.as_str(),
        finding.message.as_str(),
    )
}

/// How many findings share each key, for the keys of findings in a document.
fn repeats(findings: &[Finding]) -> HashMap<(&str, &str, &str), usize> {
    let mut counts = HashMap::new();
    for finding in findings.iter().filter(|f| f.location.path.is_some()) {
        *counts.entry(repeat_key(finding)).or_insert(0) += 1;
    }
    counts
}

fn summary(counts: Counts) -> String {
    format!(
        "{}, {}, {}",
        plural(counts.errors, "error", "errors"),
        plural(counts.warnings, "warning", "warnings"),
        plural(counts.infos, "info", "infos")
    )
}

/// One finding as a miette diagnostic.
struct FindingDiagnostic<'f> {
    finding: &'f Finding,
    source: Option<LineSource>,
    label: Option<LabeledSpan>,
    title: String,
}

impl<'f> FindingDiagnostic<'f> {
    fn new(finding: &'f Finding) -> FindingDiagnostic<'f> {
        let loc = &finding.location;
        let mut title = match (&loc.path, loc.line) {
            (Some(path), None) => format!("{}: {}: {}", finding.rule, path, finding.message),
            _ => format!("{}: {}", finding.rule, finding.message),
        };
        title = escape_controls(&title).into_owned();
        if finding.gap {
            title.push_str(&format!(
                " (gap: {} is above the target stage)",
                finding.stage.title()
            ));
        }
        let (source, label) = match (&loc.path, loc.line, &loc.excerpt) {
            (Some(path), Some(line), Some(excerpt)) => {
                let (shown, offset) = excerpt.shown(loc.column.unwrap_or(1));
                // Each part escaped on its own, so the label still falls under the span.
                let start: usize = shown.chars().take(offset).map(char::len_utf8).sum();
                let span: usize = shown[start..]
                    .chars()
                    .take(loc.width.unwrap_or(1) as usize)
                    .map(char::len_utf8)
                    .sum();
                let before = escape_controls(&shown[..start]);
                let within = escape_controls(&shown[start..start + span]);
                let text = format!(
                    "{before}{within}{}",
                    escape_controls(&shown[start + span..])
                );
                let (start, width) = (before.len(), within.len());
                let label = LabeledSpan::new(
                    None,
                    start,
                    width.max(1).min(text.len().saturating_sub(start).max(1)),
                );
                (
                    Some(LineSource {
                        name: escape_controls(path).into_owned(),
                        text,
                        line: line as usize,
                    }),
                    Some(label),
                )
            }
            _ => (None, None),
        };
        FindingDiagnostic {
            finding,
            source,
            label,
            title,
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(escape_controls(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

/// A single source line that knows its real line number, so the report shows `path:line:column`.
struct LineSource {
    name: String,
    text: String,
    line: usize,
}

impl SourceCode for LineSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if span.offset() > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            SourceSpan::from(0..self.text.len()),
            self.line - 1,
            0,
            1,
        )))
    }
}
