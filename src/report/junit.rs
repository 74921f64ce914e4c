//! JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines): one test
//! suite per repository, one test case per rule that ran, one `<failure>` per finding that fails
//! the gate. Findings below `--fail-on` are listed in the test case's `<system-out>`, so the test
//! report agrees with the exit code.
//!
//! Written by hand rather than with quick-junit: its model holds one failure per test case, and a
//! rule with three findings has three.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{run_relative, Reporter, RunReport};
use crate::engine::RepoReport;
use crate::finding::Finding;

pub struct Junit;

impl Reporter for Junit {
    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let suites: Vec<Suite<'_>> = run.repositories.iter().map(Suite::new).collect();
        let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
        let failures: usize = suites.iter().map(|s| s.failures(run)).sum();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="ospolint" tests="{tests}" failures="{failures}" errors="0">"#
        )?;
        for suite in &suites {
            suite.write(run, out)?;
        }
        writeln!(out, "</testsuites>")
    }
}

struct Suite<'r> {
    repo: &'r RepoReport,
    /// Rule id → its findings, in rule order.
    cases: BTreeMap<&'r str, Vec<&'r Finding>>,
}

impl<'r> Suite<'r> {
    fn new(repo: &'r RepoReport) -> Suite<'r> {
        let mut cases: BTreeMap<&str, Vec<&Finding>> = repo
            .rules_run
            .iter()
            .map(|id| (id.as_str(), Vec::new()))
            .collect();
        for f in &repo.findings {
            cases.entry(f.rule.as_str()).or_default().push(f);
        }
        Suite { repo, cases }
    }

    /// Test cases with at least one finding that fails the gate.
    fn failures(&self, run: &RunReport) -> usize {
        self.cases
            .values()
            .filter(|findings| findings.iter().any(|f| run.fail_on.fails(f.severity)))
            .count()
    }

    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        let failing = self.failures(run);
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{failing}" errors="0" skipped="0">"#,
            attr(&self.repo.path),
            self.cases.len()
        )?;
        writeln!(out, "    <properties>")?;
        writeln!(
            out,
            r#"      <property name="profile" value="{}"/>"#,
            attr(self.repo.profile.as_str())
        )?;
        writeln!(
            out,
            r#"      <property name="profile_reason" value="{}"/>"#,
            attr(&self.repo.profile_reason)
        )?;
        writeln!(out, "    </properties>")?;
        for (rule, findings) in &self.cases {
            // The rule id names the test: titles are reworded between versions, ids are not.
            let name = rule.to_string();
            let classname = format!("ospolint.{}", rule.split('/').next().unwrap_or(rule));
            if findings.is_empty() {
                writeln!(
                    out,
                    r#"    <testcase name="{}" classname="{}"/>"#,
                    attr(&name),
                    attr(&classname)
                )?;
                continue;
            }
            writeln!(
                out,
                r#"    <testcase name="{}" classname="{}">"#,
                attr(&name),
                attr(&classname)
            )?;
            let (failing, passing): (Vec<&&Finding>, Vec<&&Finding>) =
                findings.iter().partition(|f| run.fail_on.fails(f.severity));
            for f in failing {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    attr(&format!("{}: {}", self.location(f), f.message)),
                    f.severity,
                    text(&self.details(f))
                )?;
            }
            if !passing.is_empty() {
                let lines: Vec<String> = passing
                    .iter()
                    .map(|f| format!("{}: {}: {}", f.severity, self.location(f), f.message))
                    .collect();
                writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    text(&lines.join("\n"))
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")
    }

    fn location(&self, f: &Finding) -> String {
        match (&f.location.path, f.location.line, f.location.column) {
            (Some(path), Some(line), Some(col)) => {
                format!("{}:{line}:{col}", run_relative(self.repo, path))
            }
            (Some(path), Some(line), None) => format!("{}:{line}", run_relative(self.repo, path)),
            (Some(path), None, _) => run_relative(self.repo, path),
            (None, _, _) => self.repo.path.clone(),
        }
    }

    fn details(&self, f: &Finding) -> String {
        let mut details = format!("{} {}: {}\n", f.rule, self.location(f), f.message);
        if let Some(excerpt) = &f.location.excerpt {
            let (line, _) = excerpt.shown(f.location.column.unwrap_or(1));
            details.push_str(&format!("\n    {}\n", line.trim_end()));
        }
        if let Some(help) = &f.help {
            details.push_str(&format!("\nhelp: {help}\n"));
        }
        details
    }
}

/// Escapes text content. Characters XML 1.0 forbids (most control characters) become U+FFFD.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Escapes an attribute value; whitespace characters are written as references so parsers keep them.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// XML 1.0's `Char` production, less the whitespace handled by the callers.
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            text("a < b && c > d\u{1}"),
            "a &lt; b &amp;&amp; c &gt; d\u{FFFD}"
        );
        assert_eq!(
            attr("say \"hi\"\n'x'"),
            "say &quot;hi&quot;&#10;&apos;x&apos;"
        );
    }
}
