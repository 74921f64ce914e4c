//! The subcommands: each turns parsed arguments into an [`Outcome`].

mod artifacts;
mod check;
mod explain;
mod init;
mod maturity;
mod progress;
mod rules;
pub mod schema;
mod targets;
mod test;

use std::io::{IsTerminal, Write};

use miette::Report;

use crate::cli::{Cli, Command};

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Passed,
    /// Exit 1: the gate failed.
    Failed,
}

/// Runs a parsed command line, writing to standard output.
pub fn run(cli: Cli) -> Result<Outcome, Report> {
    let stdout = std::io::stdout();
    let color = cli.color.enabled(stdout.is_terminal());
    // Standard output is line-buffered; a report of thousands of lines would cost a write each.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let outcome = match cli.command {
        Command::Check(args) => check::run(args, color, cli.quiet, &mut out),
        Command::Rules(args) => rules::run(args, &mut out),
        Command::Explain(args) => explain::run(args, &mut out),
        Command::Init(args) => init::run(args, &mut out),
        Command::Schema => schema::run(&mut out),
        Command::Test(args) => test::run(args, &mut out),
        Command::Artifacts(args) => artifacts::run(args, &mut out),
        Command::Maturity(args) => maturity::run(args, cli.quiet, &mut out),
    };
    // A report that did not reach its reader is a failure, however the gate went: `check >
    // /dev/full` must not pass silently. A closed pipe (`| head`) is the reader's choice.
    let flushed = write_result(out.flush());
    let outcome = outcome?;
    flushed?;
    Ok(outcome)
}

/// Writing to a closed pipe (`ospolint rules | head`) is not an error worth a message.
pub(crate) fn write_result(result: std::io::Result<()>) -> Result<(), Report> {
    match result {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(miette::miette!(
            code = "ospolint::output",
            "cannot write to standard output: {err}"
        )),
    }
}
