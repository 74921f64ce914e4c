//! `ospolint explain RULE`: everything a user needs to understand and fix a finding.

use std::io::Write;

use miette::{miette, Report};

use super::{write_result, Outcome};
use crate::cli::ExplainArgs;
use crate::config;
use crate::diagnostic::suggest;
use crate::rule::RuleMeta;

pub fn run(args: ExplainArgs, out: &mut dyn Write) -> Result<Outcome, Report> {
    let settings = config::load(args.config.as_deref())?;
    if let Some(meta) = crate::suppress::meta_rule(&args.rule) {
        write_result(write_explanation(&meta, out))?;
        return Ok(Outcome::Passed);
    }
    let Some(rule) = settings.catalog.get(&args.rule) else {
        let help = match suggest(&args.rule, settings.catalog.ids()) {
            Some(s) => format!("did you mean `{s}`? `ospolint rules` lists every rule"),
            None => "`ospolint rules` lists every rule".to_string(),
        };
        return Err(miette!(
            code = "ospolint::unknown_rule",
            help = help,
            "unknown rule `{}`",
            args.rule
        ));
    };
    write_result(write_explanation(&rule.meta, out))?;
    Ok(Outcome::Passed)
}

/// The explanation as Markdown-flavoured text; `docs/rules.md` uses the same words.
pub fn write_explanation(r: &RuleMeta, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}: {}\n", r.id, r.title)?;
    writeln!(out, "  petal:    {} ({})", r.petal.key(), r.petal.title())?;
    writeln!(out, "  stage:    {} ({})", r.stage.key(), r.stage.title())?;
    writeln!(out, "  severity: {}", r.severity)?;
    let profiles = r.profile_list(", ");
    writeln!(out, "  profiles: {profiles}")?;
    writeln!(out, "\nWhy\n\n{}\n", wrap(&r.rationale))?;
    writeln!(out, "How to fix\n\n{}", wrap(&r.fix))?;
    if let Some(example) = &r.example {
        writeln!(out, "\nExample\n\n{}", indent(example))?;
    }
    if let Some(docs) = &r.docs {
        writeln!(out, "\nMore: {docs}")?;
    }
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Paragraphs wrapped to a width that reads well in a terminal, indented.
fn wrap(text: &str) -> String {
    const WIDTH: usize = 96;
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::from(" ");
        for word in paragraph.split_whitespace() {
            if line.len() + 1 + word.len() > WIDTH && !line.trim().is_empty() {
                out.push(line);
                line = String::from(" ");
            }
            line.push(' ');
            line.push_str(word);
        }
        out.push(line);
        out.push(String::new());
    }
    out.pop();
    out.join("\n")
}
