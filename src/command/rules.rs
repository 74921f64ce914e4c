//! `ospolint rules`: the rule list, for people or machines.

use std::io::Write;

use miette::Report;
use serde::Serialize;

use super::{write_result, Outcome};
use crate::cli::{ListFormat, RulesArgs};
use crate::config;
use crate::rule::RuleMeta;

#[derive(Serialize)]
struct RuleList<'a> {
    version: u32,
    rules: Vec<&'a RuleMeta>,
}

pub fn run(args: RulesArgs, out: &mut dyn Write) -> Result<Outcome, Report> {
    let settings = config::load(args.config.as_deref())?;
    let rules: Vec<&RuleMeta> = settings.catalog.rules.iter().map(|r| &r.meta).collect();
    let result = match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &RuleList { version: 1, rules })
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
        ListFormat::Human => write_table(&rules, out),
        ListFormat::Markdown => write_reference(&rules, out),
    };
    write_result(result)?;
    Ok(Outcome::Passed)
}

fn write_table(rules: &[&RuleMeta], out: &mut dyn Write) -> std::io::Result<()> {
    let id_width = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    writeln!(
        out,
        "{:<id_width$}  {:<23}  {:<10}  {:<8}  {:<12}  TITLE",
        "ID", "PETAL", "STAGE", "SEVERITY", "PROFILES"
    )?;
    for r in rules {
        let profiles = r.profile_list(",");
        writeln!(
            out,
            "{:<id_width$}  {:<23}  {:<10}  {:<8}  {:<12}  {}",
            r.id,
            r.petal.key(),
            r.stage.key(),
            r.severity.as_str(),
            profiles,
            r.title
        )?;
    }
    writeln!(out, "\n{} rules", rules.len())
}

/// The rules reference, grouped by rule group, generated from the rule definitions.
fn write_reference(rules: &[&RuleMeta], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "# Rules reference\n")?;
    writeln!(
        out,
        "Generated from the rule definitions by `ospolint rules --format markdown`; do not edit by hand.\n\
         `ospolint explain RULE` prints the same text in a terminal. {} rules.\n",
        rules.len()
    )?;
    let mut groups: Vec<&str> = rules.iter().map(|r| r.group()).collect();
    groups.dedup();
    let mut seen = std::collections::BTreeSet::new();
    groups.retain(|g| seen.insert(*g));
    for group in groups {
        writeln!(out, "## {group}\n")?;
        writeln!(out, "| rule | petal | stage | severity | profiles |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        let in_group: Vec<&&RuleMeta> = rules.iter().filter(|r| r.group() == group).collect();
        for r in &in_group {
            writeln!(
                out,
                "| [`{}`](#{}) | {} | {} | {} | {} |",
                r.id,
                crate::doc::github_slug(&r.id),
                r.petal.title(),
                r.stage.title(),
                r.severity,
                r.profile_list(", ")
            )?;
        }
        writeln!(out)?;
        for r in in_group {
            writeln!(out, "### {}\n", r.id)?;
            writeln!(out, "**{}**\n", r.title)?;
            writeln!(
                out,
                "Petal: {} · Stage: {} · Severity: {} · Profiles: {}\n",
                r.petal.title(),
                r.stage.title(),
                r.severity,
                r.profile_list(", ")
            )?;
            writeln!(out, "*Why.* {}\n", r.rationale)?;
            writeln!(out, "*How to fix.* {}\n", r.fix)?;
            if let Some(example) = &r.example {
                writeln!(out, "*Example.*\n\n```text\n{example}\n```\n")?;
            }
            if let Some(docs) = &r.docs {
                writeln!(out, "More: <{docs}>\n")?;
            }
        }
    }
    Ok(())
}
