//! `ospolint maturity` for people: the stage ladder with the repository's place on it, progress
//! per stage, engagement, petals and the next steps; the organization roll-up for `--org`.

use std::io::{self, Write};

use super::{bar, percent, MaturityReporter, MaturityRun};
use crate::maturity::assess::{Assessment, Decider, EngagementStatus, Gap, BELOW_AWARENESS};
use crate::maturity::rollup::Rollup;
use crate::maturity::Stage;
use crate::report::plural;

/// Text is wrapped to this width.
const WIDTH: usize = 100;
/// Next steps shown without `--verbose`; gates are always shown.
const STEPS: usize = 10;
/// Rows of each roll-up list.
const TOP: usize = 10;

pub struct HumanMaturity {
    pub verbose: bool,
    /// One line per repository instead of the full report (organization runs).
    pub compact: bool,
}

impl MaturityReporter for HumanMaturity {
    fn write(&self, run: &MaturityRun, out: &mut dyn Write) -> io::Result<()> {
        super::escaped(out, |buffer| self.render(run, buffer))
    }
}

impl HumanMaturity {
    fn render(&self, run: &MaturityRun, out: &mut dyn Write) -> io::Result<()> {
        if self.compact && !self.verbose {
            let width = run
                .assessments
                .iter()
                .map(|a| a.path.chars().count())
                .max()
                .unwrap_or(0);
            for a in &run.assessments {
                writeln!(out, "{:<width$}  {}", a.path, one_line(a))?;
            }
            if !run.assessments.is_empty() {
                writeln!(out)?;
            }
        } else {
            for a in &run.assessments {
                self.repository(a, out)?;
            }
        }
        if let Some(rollup) = &run.rollup {
            write_rollup(rollup, out)?;
        }
        if let Some(min) = run.min_stage {
            let below = run.below_min_stage();
            if below.is_empty() {
                writeln!(
                    out,
                    "minimum stage {}: every repository reaches it",
                    min.title()
                )?;
            } else {
                let paths: Vec<&str> = below.iter().map(|a| a.path.as_str()).collect();
                writeln!(
                    out,
                    "minimum stage {}: {} below it: {}; gate failed",
                    min.title(),
                    plural(below.len(), "repository", "repositories"),
                    paths.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

/// "Ad hoc · next Security, Education and Strategy 40 %, 3 gates failing".
pub fn one_line(a: &Assessment) -> String {
    match a.next {
        Some(next) => {
            let result = &a.stages[next as usize];
            let failing = result.gates.iter().filter(|g| !g.passed).count();
            let unmet = result.requirements.iter().filter(|r| !r.met).count();
            format!(
                "{} · {}",
                a.stage_title,
                next_summary(next, result.progress.percent(), failing, unmet)
            )
        }
        None => format!("{} · top of the ladder", a.stage_title),
    }
}

/// "next Ad hoc 40 %, 1 gate failing, 1 requirement unmet".
fn next_summary(next: Stage, progress: Option<u32>, failing: usize, unmet: usize) -> String {
    let mut text = format!("next {} {}", next.title(), percent(progress));
    if failing > 0 {
        text.push_str(&format!(", {} failing", plural(failing, "gate", "gates")));
    }
    if unmet > 0 {
        text.push_str(&format!(
            ", {} unmet",
            plural(unmet, "requirement", "requirements")
        ));
    }
    text
}

impl HumanMaturity {
    fn repository(&self, a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{} (profile: {})", a.path, a.profile)?;
        let target = a
            .target
            .map(|t| format!("    target: {}", t.title()))
            .unwrap_or_default();
        writeln!(out, "\nStage: {}{target}", a.stage_title)?;
        if a.stage.is_none() {
            writeln!(out, "  ▶ {BELOW_AWARENESS}")?;
        }
        let title_width = a.stages.iter().map(|s| s.title.len()).max().unwrap_or(0);
        for s in &a.stages {
            let here = if Some(s.stage) == a.stage { "▶" } else { " " };
            let mark = if s.reached { "✓" } else { "·" };
            let failing = s.gates.iter().filter(|g| !g.passed).count();
            let mut note = String::new();
            if failing > 0 {
                note = format!(
                    "{} of {} failing",
                    failing,
                    plural(s.gates.len(), "gate", "gates")
                );
            }
            for r in s.requirements.iter().filter(|r| !r.met) {
                if !note.is_empty() {
                    note.push_str("; ");
                }
                note.push_str(&format!("needs {}", r.description));
            }
            writeln!(
                out,
                "{}",
                format!(
                    "  {here} {mark} {:<title_width$}  {:>5}  {}  {note}",
                    s.title,
                    percent(s.progress.percent()),
                    bar(s.progress.percent(), 10)
                )
                .trim_end()
            )?;
            if self.verbose {
                let deciders: Vec<String> = s.decided_by.iter().map(describe_decider).collect();
                if !deciders.is_empty() {
                    wrap(out, &format!("decided by: {}", deciders.join(", ")), 8, 10)?;
                }
                if !s.failing.is_empty() {
                    wrap(
                        out,
                        &format!("other failing rules: {}", s.failing.join(", ")),
                        8,
                        10,
                    )?;
                }
            }
        }

        match &a.engagement.stage_title {
            Some(title) => writeln!(
                out,
                "\nEngagement (the organization's, apart from the OSPO stage): {title}"
            )?,
            None => writeln!(
                out,
                "\nEngagement (the organization's, apart from the OSPO stage): none shown yet"
            )?,
        }
        let width = a
            .engagement
            .stages
            .iter()
            .map(|e| e.title.len())
            .max()
            .unwrap_or(0);
        for e in &a.engagement.stages {
            let counted = if e.status == EngagementStatus::NotAssessed {
                String::new()
            } else {
                percent(e.score.percent())
            };
            let evidence: Vec<&str> = e
                .evidence
                .iter()
                .map(|v| v.rule.as_deref().or(v.signal.as_deref()).unwrap_or(""))
                .collect();
            let shown = if self.verbose { evidence.len() } else { 3 };
            let mut list = evidence
                .iter()
                .take(shown)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if evidence.len() > shown {
                list.push_str(&format!(" (+{} more)", evidence.len() - shown));
            }
            let list = if list.is_empty() {
                String::new()
            } else {
                format!("  evidence: {list}")
            };
            let line = format!(
                "  {:<width$}  {:<12}  {:>5}{list}",
                e.title,
                e.status.as_str(),
                counted
            );
            writeln!(out, "{}", line.trim_end())?;
            if self.verbose && !e.missing.is_empty() {
                let missing: Vec<&str> = e
                    .missing
                    .iter()
                    .map(|v| v.rule.as_deref().or(v.signal.as_deref()).unwrap_or(""))
                    .collect();
                wrap(out, &format!("missing: {}", missing.join(", ")), 6, 8)?;
            }
        }

        writeln!(out, "\nPetals")?;
        let width = a.petals.iter().map(|p| p.title.len()).max().unwrap_or(0);
        for p in a.petals.iter().filter(|p| p.rules > 0) {
            let open: Vec<&str> = p.open.iter().map(|i| i.rule.as_str()).collect();
            let list = if open.is_empty() {
                String::new()
            } else {
                format!("  open: {}", open.join(", "))
            };
            writeln!(
                out,
                "  {:<width$}  {:>5}  {}{list}",
                p.title,
                percent(p.coverage.percent()),
                bar(p.coverage.percent(), 10)
            )?;
            if self.verbose {
                for item in &p.open {
                    for f in &item.findings {
                        let place = match (&f.path, f.line) {
                            (Some(path), Some(line)) => format!("{path}:{line}: "),
                            (Some(path), None) => format!("{path}: "),
                            _ => String::new(),
                        };
                        wrap(
                            out,
                            &format!("{} {}: {place}{}", f.severity, item.rule, f.message),
                            6,
                            8,
                        )?;
                    }
                }
            }
        }

        self.next_steps(a, out)?;
        writeln!(out)
    }

    fn next_steps(&self, a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
        let mut n = 0;
        match a.next {
            None if a.gaps.is_empty() => {
                writeln!(
                    out,
                    "\nNext steps: none — every stage is reached. Keep the documents current."
                )?;
                return Ok(());
            }
            None => writeln!(out, "\nNext steps (every stage is reached)")?,
            Some(next) => {
                writeln!(out, "\nNext steps to {}", next.title())?;
                for r in a.stages[next as usize]
                    .requirements
                    .iter()
                    .filter(|r| !r.met)
                {
                    n += 1;
                    wrap(out, &format!("{n}. [requirement] {}", r.description), 2, 5)?;
                }
            }
        }
        let limit = if self.verbose { usize::MAX } else { STEPS };
        let mut hidden = 0;
        for gap in &a.gaps {
            if n >= limit && !gap.gating {
                hidden += 1;
                continue;
            }
            n += 1;
            write_gap(out, n, gap)?;
        }
        if hidden > 0 {
            writeln!(out, "  … and {hidden} more (--verbose lists them)")?;
        }
        if let (0, Some(next)) = (n, a.next) {
            writeln!(out, "  {}", nothing_to_do(a, next))?;
        }
        Ok(())
    }
}

/// Why a stage with no gaps is not reached: either none of its rules applies, or nothing is left.
pub(super) fn nothing_to_do(a: &Assessment, next: Stage) -> String {
    let result = &a.stages[next as usize];
    if result.decided_by.contains(&Decider::NoEvidence) {
        format!(
            "no rule of this stage applies to a repository with the `{}` profile",
            a.profile
        )
    } else {
        "nothing fails at this stage".to_string()
    }
}

fn write_gap(out: &mut dyn Write, n: usize, gap: &Gap) -> io::Result<()> {
    let mut tags = Vec::new();
    if gap.blocking {
        tags.push("blocking");
    }
    if gap.gating {
        tags.push("gate");
    } else {
        tags.push(gap.severity.as_str());
    }
    if gap.cross_cutting {
        tags.push("every stage");
    }
    if gap.above_target {
        tags.push("above target");
    }
    wrap(
        out,
        &format!(
            "{n}. [{}] {} ({}): {}",
            tags.join(", "),
            gap.rule,
            gap.petal.title(),
            gap.title
        ),
        2,
        5,
    )?;
    if let Some(reason) = &gap.reason {
        wrap(out, &format!("why: {reason}"), 5, 7)?;
    }
    if let Some(first) = &gap.first {
        let place = match (&first.path, first.line) {
            (Some(path), Some(line)) => format!("{path}:{line}: "),
            (Some(path), None) => format!("{path}: "),
            _ => String::new(),
        };
        let more = if gap.findings > 1 {
            format!(" (+{} more)", gap.findings - 1)
        } else {
            String::new()
        };
        wrap(out, &format!("found: {place}{}{more}", first.message), 5, 7)?;
    } else if gap.unchecked {
        wrap(
            out,
            "found: nothing to check yet: the document this rule examines is missing",
            5,
            7,
        )?;
    }
    wrap(out, &format!("fix: {}", gap.fix), 5, 7)
}

fn describe_decider(d: &Decider) -> String {
    match d {
        Decider::Rule { rule, passed: true } => format!("{rule} passes"),
        Decider::Rule {
            rule,
            passed: false,
        } => format!("{rule} fails"),
        Decider::Requirement {
            description,
            met: true,
        } => format!("{description}: met"),
        Decider::Requirement {
            description,
            met: false,
        } => format!("{description}: not met"),
        Decider::LowerStage { stage } => format!("{} not reached", stage.title()),
        Decider::NoEvidence => "no rule of this stage passes".to_string(),
    }
}

fn write_rollup(r: &Rollup, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "Organization roll-up: {}",
        plural(r.repositories, "repository", "repositories")
    )?;
    let most = r
        .stages
        .iter()
        .map(|s| s.repositories)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = r.stages.iter().map(|s| s.title.len()).max().unwrap_or(0);
    writeln!(out, "\nStages")?;
    for s in &r.stages {
        let cells = (s.repositories * 20).div_ceil(most);
        let line = format!(
            "  {:<width$}  {:>5}  {}",
            s.title,
            s.repositories,
            "█".repeat(cells)
        );
        writeln!(out, "{}", line.trim_end())?;
    }

    writeln!(out, "\nEngagement (highest stage shown)")?;
    let width = r
        .engagement
        .iter()
        .map(|e| e.title.len())
        .max()
        .unwrap_or(0);
    for e in &r.engagement {
        writeln!(out, "  {:<width$}  {:>5}", e.title, e.repositories)?;
    }

    writeln!(out, "\nPetal coverage")?;
    let width = r.petals.iter().map(|p| p.title.len()).max().unwrap_or(0);
    for p in r.petals.iter().filter(|p| p.coverage.total > 0) {
        writeln!(
            out,
            "  {:<width$}  {:>5}  {}  {} with open rules",
            p.title,
            percent(p.coverage.percent()),
            bar(p.coverage.percent(), 10),
            plural(p.repositories_with_open_rules, "repository", "repositories")
        )?;
    }

    writeln!(out, "\nMost common gaps to the next stage")?;
    if r.common_gaps.is_empty() {
        writeln!(out, "  none")?;
    }
    let width = r
        .common_gaps
        .iter()
        .take(TOP)
        .map(|g| g.rule.len())
        .max()
        .unwrap_or(0);
    for g in r.common_gaps.iter().take(TOP) {
        writeln!(
            out,
            "  {:<width$}  {:>5}  {:>5.1} %  {}",
            g.rule, g.count, g.share, g.title
        )?;
    }

    writeln!(out, "\nFurthest behind")?;
    let width = r
        .furthest_behind
        .iter()
        .map(|b| b.path.chars().count())
        .max()
        .unwrap_or(0);
    for b in &r.furthest_behind {
        let next = match b.next {
            Some(next) => next_summary(
                next,
                b.next_progress.percent(),
                b.gates_failing,
                b.requirements_unmet,
            ),
            None => "top of the ladder".to_string(),
        };
        writeln!(out, "  {:<width$}  {} · {next}", b.path, b.stage_title)?;
    }
    writeln!(out)
}

/// Writes `text` wrapped to [`WIDTH`]: the first line indented by `indent`, the others by `hang`.
fn wrap(out: &mut dyn Write, text: &str, indent: usize, hang: usize) -> io::Result<()> {
    let mut line = String::new();
    let mut pad = indent;
    for word in text.split_whitespace() {
        if !line.is_empty() && pad + line.chars().count() + 1 + word.chars().count() > WIDTH {
            writeln!(out, "{:pad$}{line}", "")?;
            line.clear();
            pad = hang;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        writeln!(out, "{:pad$}{line}", "")?;
    }
    Ok(())
}
