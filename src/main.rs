use std::process::ExitCode;

use clap::Parser;
use ospolint::cli::Cli;
use ospolint::command::{self, Outcome};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            err.print().ok();
            return ExitCode::from(code);
        }
    };
    match command::run(cli) {
        Ok(Outcome::Passed) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(report) => {
            ospolint::diagnostic::eprint_line(format_args!("{report:?}"));
            ExitCode::from(2)
        }
    }
}

// Parsing thousands of documents makes many small allocations; mimalloc serves them faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
