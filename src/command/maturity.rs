//! `ospolint maturity`: check the repositories, assess each against the maturity model, report
//! the stages (and the organization roll-up for `--org`), gate on `--min-stage`.

use std::io::Write;

use miette::Report;

use super::progress::ScanProgress;
use super::targets::{self, TargetSpec};
use super::{write_result, Outcome};
use crate::cli::{MaturityArgs, MaturityFormat};
use crate::engine;
use crate::maturity::{self, Rollup};
use crate::report::maturity::{
    HumanMaturity, JsonMaturity, MarkdownMaturity, MaturityReporter, MaturityRun,
};

pub fn run(args: MaturityArgs, quiet: bool, out: &mut dyn Write) -> Result<Outcome, Report> {
    let targets = targets::resolve(&TargetSpec {
        paths: &args.paths,
        org: args.org.as_deref(),
        profile: args.profile,
        config: args.config.as_deref(),
        plugins: &args.plugins,
    })?;
    let progress = ScanProgress::new(targets.len(), quiet);
    let mut reports =
        engine::check_all_with_progress(&targets, args.jobs.unwrap_or(0), &|| progress.tick());
    progress.finish();
    let assessments = maturity::assess_all(&targets, &mut reports);
    let org = args.org.is_some();
    let rollup = org.then(|| Rollup::of(&assessments));
    let run = MaturityRun {
        assessments,
        rollup,
        min_stage: args.min_stage,
    };
    let result = match args.format {
        MaturityFormat::Human => HumanMaturity {
            verbose: args.verbose,
            compact: org,
        }
        .write(&run, out),
        MaturityFormat::Json => JsonMaturity.write(&run, out),
        MaturityFormat::Markdown => MarkdownMaturity {
            verbose: args.verbose,
            compact: org,
        }
        .write(&run, out),
    };
    write_result(result)?;
    Ok(if run.gate_failed() {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}
