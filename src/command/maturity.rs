//! `ospolint maturity`: check the repositories, assess each against the maturity model, report
//! the stages (and the organization roll-up for `--org`), gate on `--min-stage`.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use miette::Report;

use super::progress::ScanProgress;
use super::targets::{self, TargetSpec};
use super::{write_result, Outcome};
use crate::cli::{MaturityArgs, MaturityFormat};
use crate::engine::{self, Target};
use crate::maturity::{self, Rollup};
use crate::report::maturity::{
    HumanMaturity, JsonMaturity, MarkdownMaturity, MaturityReporter, MaturityRun, RuleSummary,
};

pub fn run(args: MaturityArgs, quiet: bool, out: &mut dyn Write) -> Result<Outcome, Report> {
    let targets = targets::resolve(&TargetSpec {
        paths: &args.paths,
        org: args.org.as_deref(),
        profile: args.profile,
        config: args.config.as_deref(),
        plugins: &args.plugins,
        all_documents: args.all_documents,
    })?;
    let progress = ScanProgress::new(targets.len(), quiet);
    let jobs = args.jobs.unwrap_or(0);
    // Each repository is assessed right after its check, on the same worker.
    let assessments = engine::map_repositories(jobs, targets.iter().collect(), |target| {
        let mut report = engine::check_repository(target);
        let assessment = maturity::assess_report(target, &mut report);
        progress.tick();
        assessment
    });
    progress.finish();
    let org = args.org.is_some();
    let rollup = org.then(|| Rollup::of(&assessments));
    let (rules, signals) = vocabulary(&targets);
    let run = MaturityRun {
        assessments,
        rollup,
        min_stage: args.min_stage,
        rules,
        signals,
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

/// The rules and signals of every configuration in use, by id (the first definition of an id wins).
fn vocabulary(targets: &[Target]) -> (BTreeMap<String, RuleSummary>, BTreeMap<String, String>) {
    let mut rules = BTreeMap::new();
    let mut signals = BTreeMap::new();
    let mut seen = Vec::new();
    for target in targets {
        if seen.iter().any(|s| Arc::ptr_eq(s, &target.settings)) {
            continue;
        }
        seen.push(target.settings.clone());
        for rule in &target.settings.catalog.rules {
            let m = &rule.meta;
            rules.entry(m.id.clone()).or_insert_with(|| RuleSummary {
                title: m.title.clone(),
                petal: m.petal,
                stage: m.stage,
                severity: m.severity,
                fix: m.fix.clone(),
            });
        }
        for signal in &target.settings.maturity.signals {
            signals
                .entry(signal.id.clone())
                .or_insert_with(|| signal.description.clone());
        }
    }
    (rules, signals)
}
