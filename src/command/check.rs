//! `ospolint check`: resolve targets and their configuration, run the engine, apply the baseline,
//! report, gate.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use miette::{miette, Report};

use super::progress::ScanProgress;
use super::targets::{self, TargetSpec};
use super::{write_result, Outcome};
use crate::cli::{CheckArgs, CheckFormat};
use crate::config::Settings;
use crate::diagnostic::eprint_line;
use crate::engine::{self, RepoReport, Target};
use crate::finding::{Finding, Severity};
use crate::maturity;
use crate::report::{self, Human, Json, Reporter, RunReport};
use crate::rule::RuleMeta;
use crate::suppress::{self, Baseline};

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
        plugins: &args.plugins,
        all_documents: args.all_documents,
    })?;
    if !targets.is_empty() && targets.iter().all(|t| t.focus.is_some()) {
        crate::pattern::compile_for_few_documents();
    }
    if args.write_baseline.is_some() && targets.iter().any(|t| t.focus.is_some()) {
        return Err(miette!(
            code = "ospolint::usage",
            help = "give the repository's directory (or no path at all) when writing a baseline",
            "--write-baseline records every finding of a repository, but files were given: only their findings would be recorded"
        ));
    }
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let jobs = args.jobs.unwrap_or(0);
    let progress = ScanProgress::new(targets.len(), quiet);
    // Each repository is checked, has the baseline applied and is assessed on one worker, so the
    // assessments do not wait for the slowest check.
    let write_baseline = args.write_baseline.is_some();
    if args.lua_stats {
        crate::lua::count_rule_runs();
    }
    let checked = engine::map_repositories(jobs, targets.iter().collect(), |target| {
        let mut report = engine::check_repository(target);
        let assessment = (!write_baseline).then(|| {
            if let Some(baseline) = &baseline {
                apply_baseline(baseline, &mut report, target);
            }
            maturity::assess_report(target, &mut report)
        });
        progress.tick();
        (report, assessment)
    });
    progress.finish();
    let (repositories, assessments): (Vec<RepoReport>, Vec<Option<_>>) =
        checked.into_iter().unzip();
    if args.lua_stats {
        eprint_line(format_args!(
            "lua: {} states created",
            crate::lua::states_created()
        ));
        let (runs, time) = crate::lua::rule_runs();
        eprint_line(format_args!(
            "lua: {runs} rule runs, {} ms in Lua rules (all threads)",
            time.as_millis()
        ));
    }

    if let Some(path) = &args.write_baseline {
        let entries: Vec<(&Path, &[Finding])> = repositories
            .iter()
            .map(|r| (r.root.as_path(), r.findings.as_slice()))
            .collect();
        let count = Baseline::write(path, &entries)?;
        eprint_line(format_args!(
            "ospolint: wrote {} to {}; check with `--baseline {}` to report only new findings",
            report::plural(count, "accepted finding", "accepted findings"),
            path.display(),
            path.display()
        ));
        return Ok(Outcome::Passed);
    }
    let maturity = assessments.into_iter().flatten().collect();
    let rules = rule_metadata(&targets, &repositories);
    let run = RunReport {
        repositories,
        fail_on: args.fail_on,
        rules,
        maturity,
        min_stage: args.min_stage,
        jobs,
    };
    for output in &args.output {
        crate::output_file::replace(&output.path, |file| {
            reporter(output.format, false, quiet).write(&run, file)
        })
        .map_err(|err| {
            miette!(
                code = "ospolint::output",
                "--output {}: cannot write the report: {err}",
                output.path.display()
            )
        })?;
    }
    write_result(reporter(args.format, color, quiet).write(&run, out))?;
    let github = args.format == CheckFormat::Github
        || args.output.iter().any(|o| o.format == CheckFormat::Github);
    if github {
        report::github::append_step_summary(&run)
            .map_err(|err| miette!("cannot append to GITHUB_STEP_SUMMARY: {err}"))?;
    }
    let outcome = if run.gate_failed() {
        Outcome::Failed
    } else {
        Outcome::Passed
    };
    // The process ends when the command returns, and the operating system takes its memory back
    // whole. Freeing thousands of reports, the compiled rules and the Lua states one allocation at
    // a time only delays the exit; freeing them on a detached thread instead raced the exit and
    // took a varying share of a core, which made the CPU time of identical runs differ.
    std::mem::forget((run, targets));
    Ok(outcome)
}

fn reporter(format: CheckFormat, color: bool, quiet: bool) -> Box<dyn Reporter> {
    match format {
        CheckFormat::Human => Box::new(Human { color, quiet }),
        CheckFormat::Json => Box::new(Json),
        CheckFormat::Sarif => Box::new(report::Sarif),
        CheckFormat::Github => Box::new(report::Github),
        CheckFormat::Markdown => Box::new(report::Markdown),
        CheckFormat::Junit => Box::new(report::Junit),
    }
}

fn apply_baseline(baseline: &Baseline, report: &mut RepoReport, target: &Target) {
    let stale = target.settings.severity(suppress::STALE, Severity::Info);
    let accepted = baseline.apply(
        &report.root,
        &mut report.findings,
        report.focus.as_deref(),
        stale,
    );
    report.suppressed.extend(accepted);
    if stale.is_some() {
        report.rules_run.push(suppress::STALE.to_string());
        report.rules_run.sort();
    }
    engine::sort_findings(&mut report.findings, report.focus.as_deref());
}

/// The metadata of every rule that ran on some repository, for formats that describe rules (SARIF,
/// JUnit).
fn rule_metadata(targets: &[Target], repositories: &[RepoReport]) -> BTreeMap<String, RuleMeta> {
    // Repositories sharing a configuration mostly run the same rules: each list is read once.
    let mut lists: Vec<&[String]> = repositories
        .iter()
        .map(|r| r.rules_run.as_slice())
        .collect();
    lists.sort_unstable();
    lists.dedup();
    let ran: BTreeSet<&str> = lists.into_iter().flatten().map(String::as_str).collect();
    let mut rules = BTreeMap::new();
    let mut configurations: HashSet<*const Settings> = HashSet::new();
    for target in targets {
        if !configurations.insert(Arc::as_ptr(&target.settings)) {
            continue;
        }
        for rule in &target.settings.catalog.rules {
            if ran.contains(rule.meta.id.as_str()) && !rules.contains_key(&rule.meta.id) {
                rules.insert(rule.meta.id.clone(), rule.meta.clone());
            }
        }
    }
    for meta in suppress::meta_rules() {
        if ran.contains(meta.id.as_str()) {
            rules.insert(meta.id.clone(), meta);
        }
    }
    rules
}
