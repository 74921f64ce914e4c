//! `ospolint check`: resolve targets and their configuration, run the engine, report, gate.

use std::io::Write;

use miette::Report;

use super::progress::ScanProgress;
use super::targets::{self, TargetSpec};
use super::{write_result, Outcome};
use crate::cli::{CheckArgs, CheckFormat};
use crate::engine;
use crate::maturity;
use crate::report::{Human, Json, Reporter, RunReport};

pub fn run(
    args: CheckArgs,
    color: bool,
    quiet: bool,
    out: &mut dyn Write,
) -> Result<Outcome, Report> {
    let targets = targets::resolve(&TargetSpec {
        paths: &args.paths,
        org: args.org.as_deref(),
        profile: args.profile,
        config: args.config.as_deref(),
    })?;
    let jobs = args.jobs.unwrap_or(0);
    let progress = ScanProgress::new(targets.len(), quiet);
    let mut repositories = engine::check_all_with_progress(&targets, jobs, &|| progress.tick());
    progress.finish();
    let maturity = maturity::assess_all(&targets, &mut repositories);
    let run = RunReport {
        repositories,
        fail_on: args.fail_on,
        maturity,
        min_stage: args.min_stage,
    };
    let result = match args.format {
        CheckFormat::Human => Human { color, quiet }.write(&run, out),
        CheckFormat::Json => Json.write(&run, out),
    };
    write_result(result)?;
    Ok(if run.gate_failed() {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}
