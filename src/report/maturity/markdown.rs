//! `ospolint maturity --format markdown`: for CI job pages (`$GITHUB_STEP_SUMMARY`) and pull
//! request comments. Long lists fold into `<details>` so the page opens on the stage and next steps.

use std::io::{self, Write};

use super::{percent, MaturityReporter, MaturityRun};
use crate::maturity::assess::{Assessment, Decider, EngagementStatus};
use crate::maturity::rollup::Rollup;
use crate::report::plural;

/// Rows of each roll-up list.
const TOP: usize = 10;

pub struct MarkdownMaturity {
    pub verbose: bool,
    /// A table row per repository instead of a section (organization runs).
    pub compact: bool,
}

impl MaturityReporter for MarkdownMaturity {
    fn write(&self, run: &MaturityRun, out: &mut dyn Write) -> io::Result<()> {
        super::escaped(out, |buffer| self.render(run, buffer))
    }
}

impl MarkdownMaturity {
    fn render(&self, run: &MaturityRun, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "# OSPO maturity\n")?;
        if let Some(min) = run.min_stage {
            let below = run.below_min_stage();
            if below.is_empty() {
                writeln!(
                    out,
                    "✅ Every repository reaches the minimum stage, **{}**.\n",
                    min.title()
                )?;
            } else {
                let paths: Vec<String> = below.iter().map(|a| format!("`{}`", a.path)).collect();
                writeln!(
                    out,
                    "❌ {} below the minimum stage, **{}**: {}.\n",
                    plural(below.len(), "repository is", "repositories are"),
                    min.title(),
                    paths.join(", ")
                )?;
            }
        }
        if let Some(rollup) = &run.rollup {
            write_rollup(rollup, out)?;
        }
        if self.compact && !self.verbose {
            writeln!(out, "## Repositories\n")?;
            writeln!(out, "| Repository | Stage | Next stage | Progress at next | Failing gates | Engagement |")?;
            writeln!(out, "|---|---|---|--:|--:|---|")?;
            for a in &run.assessments {
                let (next, progress, failing) = match a.next {
                    Some(next) => {
                        let s = &a.stages[next as usize];
                        (
                            next.title(),
                            percent(s.progress.percent()),
                            s.gates.iter().filter(|g| !g.passed).count().to_string(),
                        )
                    }
                    None => ("—", String::new(), String::new()),
                };
                let engagement = a.engagement.stage_title.as_deref().unwrap_or("—");
                writeln!(
                    out,
                    "| `{}` | {} | {next} | {progress} | {failing} | {engagement} |",
                    cell(&a.path),
                    a.stage_title
                )?;
            }
            writeln!(out)?;
        } else {
            for a in &run.assessments {
                self.repository(a, out)?;
            }
        }
        Ok(())
    }
}

impl MarkdownMaturity {
    fn repository(&self, a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "## `{}`: {}\n", cell(&a.path), a.stage_title)?;
        let mut facts = vec![format!("profile `{}`", a.profile)];
        if let Some(target) = a.target {
            facts.push(format!("target **{}**", target.title()));
        }
        facts.push(match &a.engagement.stage_title {
            Some(title) => format!("engagement: **{title}**"),
            None => "engagement: none shown yet".to_string(),
        });
        writeln!(out, "{}\n", facts.join(" · "))?;

        if self.verbose {
            writeln!(out, "| | Stage | Progress | Gates passing | Decided by |")?;
            writeln!(out, "|:-:|---|--:|--:|---|")?;
        } else {
            writeln!(out, "| | Stage | Progress | Gates passing |")?;
            writeln!(out, "|:-:|---|--:|--:|")?;
        }
        for s in &a.stages {
            let mark = if s.reached { "✅" } else { "⬜" };
            let title = if Some(s.stage) == a.stage {
                format!("**{}**", s.title)
            } else {
                s.title.to_string()
            };
            let passing = s.gates.iter().filter(|g| g.passed).count();
            let gates = if s.gates.is_empty() {
                "—".to_string()
            } else {
                format!("{passing}/{}", s.gates.len())
            };
            let progress = percent(s.progress.percent());
            if self.verbose {
                let decided: Vec<String> = s.decided_by.iter().map(describe_decider).collect();
                writeln!(
                    out,
                    "| {mark} | {title} | {progress} | {gates} | {} |",
                    cell(&decided.join(", "))
                )?;
            } else {
                writeln!(out, "| {mark} | {title} | {progress} | {gates} |")?;
            }
        }
        writeln!(out)?;

        let mut n = 0;
        match a.next {
            None if a.gaps.is_empty() => writeln!(out, "Every stage is reached.\n")?,
            None => writeln!(out, "### Next steps (every stage is reached)\n")?,
            Some(next) => {
                writeln!(out, "### Next steps to {}\n", next.title())?;
                for r in a.stages[next as usize]
                    .requirements
                    .iter()
                    .filter(|r| !r.met)
                {
                    n += 1;
                    writeln!(out, "{n}. **Requirement:** {}", r.description)?;
                }
            }
        }
        for gap in &a.gaps {
            n += 1;
            let mut tags = Vec::new();
            if gap.blocking {
                tags.push("blocking");
            }
            tags.push(if gap.gating {
                "gate"
            } else {
                gap.severity.as_str()
            });
            if gap.cross_cutting {
                tags.push("every stage");
            }
            if gap.above_target {
                tags.push("above target");
            }
            writeln!(
                out,
                "{n}. **`{}`** — {} *({}; {})*  ",
                gap.rule,
                gap.title,
                tags.join(", "),
                gap.petal.title()
            )?;
            if let Some(reason) = &gap.reason {
                writeln!(out, "   Why: {reason}.  ")?;
            }
            writeln!(out, "   Fix: {}", gap.fix.replace("\n\n", " "))?;
        }
        if let Some(next) = a.next {
            if n == 0 {
                writeln!(
                    out,
                    "{}.",
                    capitalise(&super::human::nothing_to_do(a, next))
                )?;
            }
            writeln!(out)?;
        } else if n > 0 {
            writeln!(out)?;
        }

        writeln!(out, "<details><summary>Petals</summary>\n")?;
        writeln!(out, "| Petal | Coverage | Open rules |")?;
        writeln!(out, "|---|--:|---|")?;
        for p in a.petals.iter().filter(|p| p.rules > 0) {
            let open: Vec<String> = p.open.iter().map(|i| format!("`{}`", i.rule)).collect();
            writeln!(
                out,
                "| {} | {} | {} |",
                p.title,
                percent(p.coverage.percent()),
                open.join(", ")
            )?;
        }
        writeln!(out, "\n</details>\n")?;

        writeln!(out, "<details><summary>Engagement stages</summary>\n")?;
        writeln!(out, "| Engagement stage | Status | Score | Evidence |")?;
        writeln!(out, "|---|---|--:|---|")?;
        for e in &a.engagement.stages {
            let score = if e.status == EngagementStatus::NotAssessed {
                String::new()
            } else {
                percent(e.score.percent())
            };
            let evidence: Vec<String> = e
                .evidence
                .iter()
                .map(|v| {
                    format!(
                        "`{}`",
                        v.rule.as_deref().or(v.signal.as_deref()).unwrap_or("")
                    )
                })
                .collect();
            writeln!(
                out,
                "| {} | {} | {score} | {} |",
                e.title,
                e.status.as_str(),
                evidence.join(", ")
            )?;
        }
        writeln!(out, "\n</details>\n")
    }
}

fn write_rollup(r: &Rollup, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "## Organization: {}\n",
        plural(r.repositories, "repository", "repositories")
    )?;
    writeln!(out, "| Stage | Repositories |")?;
    writeln!(out, "|---|--:|")?;
    for s in &r.stages {
        writeln!(out, "| {} | {} |", s.title, s.repositories)?;
    }
    writeln!(out, "\n| Engagement (highest shown) | Repositories |")?;
    writeln!(out, "|---|--:|")?;
    for e in &r.engagement {
        writeln!(out, "| {} | {} |", e.title, e.repositories)?;
    }
    writeln!(out, "\n| Petal | Coverage | Repositories with open rules |")?;
    writeln!(out, "|---|--:|--:|")?;
    for p in r.petals.iter().filter(|p| p.coverage.total > 0) {
        writeln!(
            out,
            "| {} | {} | {} |",
            p.title,
            percent(p.coverage.percent()),
            p.repositories_with_open_rules
        )?;
    }
    writeln!(out, "\n### Most common gaps to the next stage\n")?;
    if r.common_gaps.is_empty() {
        writeln!(out, "None.")?;
    } else {
        writeln!(out, "| Rule | Repositories | Share | Title |")?;
        writeln!(out, "|---|--:|--:|---|")?;
        for g in r.common_gaps.iter().take(TOP) {
            writeln!(
                out,
                "| `{}` | {} | {:.1} % | {} |",
                g.rule,
                g.count,
                g.share,
                cell(&g.title)
            )?;
        }
    }
    writeln!(out, "\n### Furthest behind\n")?;
    writeln!(
        out,
        "| Repository | Stage | Next stage | Progress at next | Failing gates |"
    )?;
    writeln!(out, "|---|---|---|--:|--:|")?;
    for b in &r.furthest_behind {
        let (next, progress) = match b.next {
            Some(next) => (next.title(), percent(b.next_progress.percent())),
            None => ("—", String::new()),
        };
        writeln!(
            out,
            "| `{}` | {} | {next} | {progress} | {} |",
            cell(&b.path),
            b.stage_title,
            b.gates_failing
        )?;
    }
    writeln!(out)
}

fn describe_decider(d: &Decider) -> String {
    match d {
        Decider::Rule { rule, passed } => {
            format!("`{rule}` {}", if *passed { "passes" } else { "fails" })
        }
        Decider::Requirement { description, met } => {
            format!("{description}: {}", if *met { "met" } else { "not met" })
        }
        Decider::LowerStage { stage } => format!("{} not reached", stage.title()),
        Decider::NoEvidence => "no rule of this stage passes".to_string(),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
