//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` annotation per
//! finding, shown on the pull request's changed lines; a summary line for the log; and, when the
//! job has a `GITHUB_STEP_SUMMARY` file, the Markdown summary appended to it.

use std::io::{self, Write};

use super::{plural, run_relative, Markdown, Reporter, RunReport};
use crate::finding::{Finding, Severity};

pub struct Github;

impl Reporter for Github {
    fn write(&self, run: &RunReport, out: &mut dyn Write) -> io::Result<()> {
        for repo in &run.repositories {
            for finding in &repo.findings {
                writeln!(
                    out,
                    "{}",
                    command(finding, repo.path.as_str(), &|p| run_relative(repo, p))
                )?;
            }
        }
        let counts = run.counts();
        writeln!(
            out,
            "ospolint: {}, {}, {} in {}: gate {} (--fail-on {})",
            plural(counts.errors, "error", "errors"),
            plural(counts.warnings, "warning", "warnings"),
            plural(counts.infos, "info", "infos"),
            plural(run.repositories.len(), "repository", "repositories"),
            if run.gate_failed() {
                "failed"
            } else {
                "passed"
            },
            run.fail_on.as_str()
        )
    }
}

/// One workflow command.
fn command(finding: &Finding, repository: &str, path_of: &dyn Fn(&str) -> String) -> String {
    let name = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let loc = &finding.location;
    let mut properties = Vec::new();
    if let Some(path) = &loc.path {
        properties.push(format!("file={}", escape_property(&path_of(path))));
    }
    if let Some(line) = loc.line {
        properties.push(format!("line={line}"));
        if let Some(column) = loc.column {
            properties.push(format!("col={column}"));
            properties.push(format!(
                "endColumn={}",
                column + loc.width.unwrap_or(1).max(1)
            ));
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("ospolint {}", finding.rule))
    ));
    let mut message = finding.message.clone();
    if loc.path.is_none() && repository != "." {
        message = format!("{repository}: {message}");
    }
    if let Some(help) = &finding.help {
        message.push_str("\n\n");
        message.push_str(help);
    }
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// Escapes a command's message as the runner expects (`%`, CR and LF).
pub fn escape_data(text: &str) -> String {
    let text = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::printable::escape_controls(&text).into_owned()
}

/// Escapes a command property: as data, plus `:` and `,`, which delimit properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Appends the Markdown summary to the file named by `GITHUB_STEP_SUMMARY`, when it is set.
pub fn append_step_summary(run: &RunReport) -> io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    Markdown.write(run, &mut file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_documents() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
