//! A Markdown summary for a CI job page or a pull-request comment: the verdict, counts by
//! repository, severity and petal, and the most serious findings.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{plural, run_relative, Counts, Reporter, RunReport};
use crate::engine::RepoReport;
use crate::finding::{Finding, Severity};
use crate::maturity::{Petal, Stage};
use crate::printable::escape_controls;

/// Findings listed in full; the rest are counted.
const TOP_FINDINGS: usize = 20;

pub struct Markdown;

impl Reporter for Markdown {
    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let counts = run.counts();
        let verdict = if run.gate_failed() {
            "gate failed"
        } else {
            "gate passed"
        };
        writeln!(out, "## ospolint: {verdict}\n")?;
        writeln!(
            out,
            "{} in {} (`--fail-on {}`).\n",
            summary(counts),
            plural(run.repositories.len(), "repository", "repositories"),
            run.fail_on.as_str()
        )?;

        writeln!(out, "| Repository | Profile | Errors | Warnings | Infos | Suppressed | First stage with errors |")?;
        writeln!(out, "|---|---|--:|--:|--:|--:|---|")?;
        for repo in &run.repositories {
            let c = Counts::of(&repo.findings);
            let stage = first_stage_with_errors(repo).map_or_else(
                || "none".to_string(),
                |s| format!("{} ({})", s.key(), s.title()),
            );
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&repo.path),
                repo.profile,
                c.errors,
                c.warnings,
                c.infos,
                repo.suppressed.len(),
                stage
            )?;
        }

        let mut by_petal: BTreeMap<Petal, Counts> = BTreeMap::new();
        for f in run.repositories.iter().flat_map(|r| &r.findings) {
            let c = by_petal.entry(f.petal).or_default();
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        if !by_petal.is_empty() {
            writeln!(out, "\n### By petal\n")?;
            writeln!(out, "| Petal | Errors | Warnings | Infos |")?;
            writeln!(out, "|---|--:|--:|--:|")?;
            for (petal, c) in &by_petal {
                writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    petal.title(),
                    c.errors,
                    c.warnings,
                    c.infos
                )?;
            }
        }

        let mut all: Vec<(&RepoReport, &Finding)> = run
            .repositories
            .iter()
            .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
            .collect();
        if !all.is_empty() {
            // Most serious first; report order otherwise (the sort is stable).
            all.sort_by_key(|(_, f)| std::cmp::Reverse(f.severity));
            writeln!(out, "\n### Top findings\n")?;
            writeln!(out, "| Severity | Rule | Location | Message |")?;
            writeln!(out, "|---|---|---|---|")?;
            for (repo, f) in all.iter().take(TOP_FINDINGS) {
                writeln!(
                    out,
                    "| {} | `{}` | {} | {} |",
                    f.severity,
                    f.rule,
                    cell(&location(repo, f)),
                    cell(&f.message)
                )?;
            }
            if all.len() > TOP_FINDINGS {
                writeln!(out, "\n… and {} more.", all.len() - TOP_FINDINGS)?;
            }
        }
        writeln!(out)
    }
}

fn summary(c: Counts) -> String {
    format!(
        "**{}**, {}, {}",
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(c.infos, "info", "infos")
    )
}

/// The lowest maturity stage with an error finding: what the repository has to fix first to climb.
fn first_stage_with_errors(repo: &RepoReport) -> Option<Stage> {
    repo.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.stage)
        .min()
}

fn location(repo: &RepoReport, f: &Finding) -> String {
    match (&f.location.path, f.location.line) {
        (Some(path), Some(line)) => format!("{}:{line}", run_relative(repo, path)),
        (Some(path), None) => run_relative(repo, path),
        (None, _) => format!("{} (repository)", repo.path),
    }
}

/// Text safe inside a table cell: no pipes breaking the row, no line breaks, no raw HTML.
fn cell(text: &str) -> String {
    escape_controls(text)
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\r', '\n'], " ")
}
