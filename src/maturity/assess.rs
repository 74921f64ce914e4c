//! Assessing one repository: the stage it reached, progress per stage, the gaps to the next stage,
//! coverage per petal and the engagement stages — each result with the rules that decided it.
//!
//! Input is what the engine produced (the findings and the rules that ran) plus the settings the
//! repository was checked with (rule metadata, configured severities, the model). Nothing is read
//! from disk here.

use std::collections::HashMap;

use serde::{Serialize, Serializer};

use super::model::{EvidenceDef, Model, RequirementKind};
use super::{Petal, Stage};
use crate::config::Settings;
use crate::engine::RepoReport;
use crate::finding::{Finding, Severity};
use crate::rule::{Profile, RuleMeta};

/// How much a rule counts toward progress, by severity: errors well above warnings; infos are
/// advice and do not count.
pub fn weight(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 3,
        Severity::Warning => 1,
        Severity::Info => 0,
    }
}

/// Weighted passed/total. Percentages round down, so 79.9 % never reads as 80 %.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub passed: u32,
    pub total: u32,
}

impl Progress {
    fn add(&mut self, weight: u32, passed: bool) {
        self.total += weight;
        if passed {
            self.passed += weight;
        }
    }

    /// `None` when nothing counts toward it.
    pub fn percent(&self) -> Option<u32> {
        (self.total > 0).then(|| self.passed * 100 / self.total)
    }

    pub fn at_least(&self, percent: u32) -> bool {
        self.total > 0 && self.passed * 100 >= percent * self.total
    }

    pub fn merge(&mut self, other: Progress) {
        self.passed += other.passed;
        self.total += other.total;
    }
}

impl Serialize for Progress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shape {
            passed: u32,
            total: u32,
            percent: Option<u32>,
        }
        Shape {
            passed: self.passed,
            total: self.total,
            percent: self.percent(),
        }
        .serialize(serializer)
    }
}

/// How a rule fared in one repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// No finding.
    Passed,
    /// Only findings below the rule's severity (its softer variant): passes, with room to improve.
    Refine,
    /// At least one finding at the rule's severity.
    Failed,
    /// No finding because the document the rule examines is missing: it checked nothing. Counts as
    /// failing when the rule is a gate, and is left out of progress and evidence otherwise.
    Unchecked,
}

/// The assessment of one repository.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub path: String,
    pub name: String,
    pub profile: Profile,
    /// The highest stage reached; `None` is below Awareness.
    pub stage: Option<Stage>,
    pub stage_title: &'static str,
    /// The stage to work on next; `None` once Leader and Advisor is reached.
    pub next: Option<Stage>,
    /// `target_stage` from the configuration.
    pub target: Option<Stage>,
    pub stages: Vec<StageResult>,
    /// What stands between the repository and the next stage, most urgent first.
    pub gaps: Vec<Gap>,
    pub petals: Vec<PetalResult>,
    pub engagement: Engagement,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageResult {
    pub stage: Stage,
    pub title: &'static str,
    pub reached: bool,
    pub progress: Progress,
    /// Every gating rule of the stage that ran, with its result.
    pub gates: Vec<GateResult>,
    pub requirements: Vec<RequirementResult>,
    /// Rules of the stage that fail but do not gate it.
    pub failing: Vec<String>,
    /// Why the stage is reached or not: the gates, requirements and lower stages that decided it.
    pub decided_by: Vec<Decider>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GateResult {
    pub rule: String,
    pub passed: bool,
    /// The signal that makes this rule a gate, for conditional gates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementResult {
    pub description: String,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Decider {
    Rule {
        rule: String,
        passed: bool,
    },
    Requirement {
        description: String,
        met: bool,
    },
    /// The stage below is not reached, so this one cannot be.
    LowerStage {
        stage: Stage,
    },
    /// None of the stage's rules passes: nothing shows the stage.
    NoEvidence,
}

/// One thing to do to reach the next stage.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub rule: String,
    pub title: String,
    pub stage: Stage,
    pub petal: Petal,
    /// The rule's default severity.
    pub severity: Severity,
    /// The next stage cannot be reached while this rule fails.
    pub gating: bool,
    /// The failure also holds back work already done (a higher stage whose own gates pass, or a
    /// progress requirement of the next stage).
    pub blocking: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The rule's stage is above the configured `target_stage`.
    pub above_target: bool,
    /// The rule checked nothing because the document it examines is missing.
    pub unchecked: bool,
    pub findings: usize,
    /// The first finding, to show where to start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<FindingRef>,
    pub fix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub severity: Severity,
    pub message: String,
}

impl FindingRef {
    fn of(f: &Finding) -> FindingRef {
        FindingRef {
            path: f.location.path.clone(),
            line: f.location.line,
            severity: f.severity,
            message: f.message.clone(),
        }
    }
}

/// One stakeholder group's share of the assessment.
#[derive(Debug, Clone, Serialize)]
pub struct PetalResult {
    pub petal: Petal,
    pub title: &'static str,
    /// Weighted share of the petal's rules that pass.
    pub coverage: Progress,
    pub rules: usize,
    /// The petal's rules that fail, checked nothing although they gate, or pass with findings
    /// below their severity; in catalog order.
    pub open: Vec<PetalItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PetalItem {
    pub rule: String,
    pub title: String,
    pub stage: Stage,
    pub severity: Severity,
    pub gating: bool,
    pub outcome: Outcome,
    pub findings: Vec<FindingRef>,
    pub fix: String,
}

/// The organization's engagement with open source, reported apart from the OSPO stage.
#[derive(Debug, Clone, Serialize)]
pub struct Engagement {
    /// The highest engagement stage that is shown, if any.
    pub stage: Option<String>,
    pub stage_title: Option<String>,
    pub stages: Vec<EngagementResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngagementResult {
    pub id: String,
    pub title: String,
    pub status: EngagementStatus,
    pub score: Progress,
    pub evidence: Vec<Evidence>,
    pub missing: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngagementStatus {
    /// Enough evidence holds.
    Shown,
    /// Some evidence holds.
    Partial,
    /// No evidence holds.
    None,
    /// None of the evidence applies to this repository (rules not in its profile or catalog).
    NotAssessed,
}

impl EngagementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EngagementStatus::Shown => "shown",
            EngagementStatus::Partial => "partial",
            EngagementStatus::None => "none",
            EngagementStatus::NotAssessed => "not assessed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    pub description: String,
}

/// Below Awareness, in words.
pub const BELOW_AWARENESS: &str = "Below Awareness";

/// A rule that ran, with its outcome.
struct RuleState<'a> {
    meta: &'a RuleMeta,
    outcome: Outcome,
    findings: Vec<&'a Finding>,
}

impl RuleState<'_> {
    fn passed(&self) -> bool {
        matches!(self.outcome, Outcome::Passed | Outcome::Refine)
    }
}

/// A rule counted in a stage.
struct Member {
    /// Index into the rule states.
    rule: usize,
    gating: bool,
    /// The signal a conditional gate depends on.
    when: Option<String>,
    weight: u32,
}

struct StageEval {
    members: Vec<Member>,
    progress: Progress,
}

pub fn assess(report: &RepoReport, settings: &Settings) -> Assessment {
    let model = &settings.maturity;
    let holds = |id: &str| report.signals.iter().any(|s| s == id);

    let mut by_rule: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in &report.findings {
        by_rule
            .entry(finding.rule.as_str())
            .or_default()
            .push(finding);
    }
    // Catalog order, for a stable order of everything listed below.
    let rules: Vec<RuleState<'_>> = settings
        .catalog
        .rules
        .iter()
        .filter(|r| report.rules_run.binary_search(&r.meta.id).is_ok())
        .map(|r| {
            let meta = &r.meta;
            let configured = settings
                .severity(&meta.id, meta.severity)
                .unwrap_or(meta.severity);
            let mut findings = by_rule.remove(meta.id.as_str()).unwrap_or_default();
            // Findings outside the governance documents leave a scoped rule passing, with room to improve.
            let scoped = model.governance_only(&meta.id);
            let counts = |f: &Finding| {
                !scoped
                    || f.location.path.as_ref().map_or(true, |p| {
                        report.governance_documents.binary_search(p).is_ok()
                    })
            };
            // The findings that decide come first, so gaps show one of them.
            findings.sort_by_key(|f| !counts(f));
            let outcome = if findings.is_empty() {
                if report.unchecked.binary_search(&meta.id).is_ok() {
                    Outcome::Unchecked
                } else {
                    Outcome::Passed
                }
            } else if findings
                .iter()
                .any(|f| f.severity >= configured && counts(f))
            {
                Outcome::Failed
            } else {
                Outcome::Refine
            };
            RuleState {
                meta,
                outcome,
                findings,
            }
        })
        .collect();

    let evals: Vec<StageEval> = Stage::ALL
        .iter()
        .map(|&stage| evaluate(stage, &rules, model, &holds))
        .collect();
    let requirements: Vec<Vec<RequirementResult>> = Stage::ALL
        .iter()
        .map(|&stage| requirements_of(stage, model, &evals, &holds))
        .collect();

    let mut reached: Option<Stage> = None;
    let mut results = Vec::new();
    for (i, &stage) in Stage::ALL.iter().enumerate() {
        let eval = &evals[i];
        let gates: Vec<GateResult> = eval
            .members
            .iter()
            .filter(|m| m.gating)
            .map(|m| GateResult {
                rule: rules[m.rule].meta.id.clone(),
                passed: rules[m.rule].passed(),
                when: m.when.clone(),
            })
            .collect();
        let any_pass = eval.members.iter().any(|m| rules[m.rule].passed());
        let own_ok =
            gates.iter().all(|g| g.passed) && requirements[i].iter().all(|r| r.met) && any_pass;
        let lower_ok = i == 0 || reached == Some(Stage::ALL[i - 1]);
        let is_reached = own_ok && lower_ok;
        if is_reached {
            reached = Some(stage);
        }

        let mut decided_by = Vec::new();
        if !lower_ok {
            decided_by.push(Decider::LowerStage {
                stage: Stage::ALL[i - 1],
            });
        }
        let relevant = |passed: bool| is_reached || !passed;
        decided_by.extend(
            gates
                .iter()
                .filter(|g| relevant(g.passed))
                .map(|g| Decider::Rule {
                    rule: g.rule.clone(),
                    passed: g.passed,
                }),
        );
        decided_by.extend(requirements[i].iter().filter(|r| relevant(r.met)).map(|r| {
            Decider::Requirement {
                description: r.description.clone(),
                met: r.met,
            }
        }));
        if !any_pass {
            decided_by.push(Decider::NoEvidence);
        } else if is_reached && decided_by.is_empty() {
            // No gate and no requirement: the passing rules are what shows the stage.
            decided_by.extend(
                eval.members
                    .iter()
                    .filter(|m| rules[m.rule].passed())
                    .map(|m| Decider::Rule {
                        rule: rules[m.rule].meta.id.clone(),
                        passed: true,
                    }),
            );
        }
        let failing = eval
            .members
            .iter()
            .filter(|m| !m.gating && !rules[m.rule].passed())
            .map(|m| rules[m.rule].meta.id.clone())
            .collect();
        results.push(StageResult {
            stage,
            title: stage.title(),
            reached: is_reached,
            progress: eval.progress,
            gates,
            requirements: requirements[i].clone(),
            failing,
            decided_by,
        });
    }

    let next = match reached {
        None => Some(Stage::Awareness),
        Some(stage) => stage.next(),
    };
    let target = settings.target_stage;
    let gaps = next.map_or_else(Vec::new, |next| {
        gaps_to(next, &rules, &evals, &results, model, target)
    });
    let petals = petals(&rules, &evals);
    let engagement = engagement(&rules, model, &holds);

    Assessment {
        path: report.path.clone(),
        name: report.name.clone(),
        profile: report.profile,
        stage: reached,
        stage_title: reached.map_or(BELOW_AWARENESS, Stage::title),
        next,
        target,
        stages: results,
        gaps,
        petals,
        engagement,
    }
}

/// The rules counted in `stage`: those of the stage itself, and those the model makes gates of it.
fn evaluate(
    stage: Stage,
    rules: &[RuleState<'_>],
    model: &Model,
    holds: &dyn Fn(&str) -> bool,
) -> StageEval {
    let mut members = Vec::new();
    let mut progress = Progress::default();
    for (i, rule) in rules.iter().enumerate() {
        let extra = model.gates.iter().find(|g| {
            g.rule == rule.meta.id && g.stage == stage && g.when.as_deref().map_or(true, holds)
        });
        let own = rule.meta.stage == stage;
        if !own && extra.is_none() {
            continue;
        }
        let gating = extra.is_some() || rule.meta.severity == Severity::Error;
        if rule.outcome == Outcome::Unchecked && !gating {
            continue;
        }
        let weight = if gating {
            weight(Severity::Error)
        } else {
            weight(rule.meta.severity)
        };
        progress.add(weight, rule.passed());
        members.push(Member {
            rule: i,
            gating,
            when: extra.and_then(|g| g.when.clone()),
            weight,
        });
    }
    StageEval { members, progress }
}

fn requirements_of(
    stage: Stage,
    model: &Model,
    evals: &[StageEval],
    holds: &dyn Fn(&str) -> bool,
) -> Vec<RequirementResult> {
    model
        .requirements
        .iter()
        .filter(|r| r.stage == stage)
        .map(|r| match &r.kind {
            RequirementKind::Signal(id) => RequirementResult {
                description: model
                    .signal(id)
                    .map_or_else(|| id.clone(), |s| s.description.clone()),
                met: holds(id),
            },
            RequirementKind::Progress { of, at_least } => {
                let progress = evals[*of as usize].progress;
                let now = progress
                    .percent()
                    .map_or_else(|| "no rules apply".to_string(), |p| format!("now {p} %"));
                RequirementResult {
                    description: format!(
                        "progress at {} of at least {at_least} % ({now})",
                        of.title()
                    ),
                    met: progress.at_least(*at_least),
                }
            }
        })
        .collect()
}

/// Failing rules of `next`, and the lower-stage failures that hold it back, most urgent first.
fn gaps_to(
    next: Stage,
    rules: &[RuleState<'_>],
    evals: &[StageEval],
    results: &[StageResult],
    model: &Model,
    target: Option<Stage>,
) -> Vec<Gap> {
    // Higher stages whose own gates all pass: work done ahead that a failing gate of `next` holds back.
    let ahead: Vec<Stage> = results
        .iter()
        .filter(|r| r.stage > next && !r.gates.is_empty() && r.gates.iter().all(|g| g.passed))
        .map(|r| r.stage)
        .collect();
    let gap = |member: &Member, stage: Stage, blocking: bool, reason: Option<String>| {
        let rule = &rules[member.rule];
        Gap {
            rule: rule.meta.id.clone(),
            title: rule.meta.title.clone(),
            stage,
            petal: rule.meta.petal,
            severity: rule.meta.severity,
            gating: member.gating,
            blocking,
            reason,
            above_target: target.is_some_and(|t| rule.meta.stage > t),
            unchecked: rule.outcome == Outcome::Unchecked,
            findings: rule.findings.len(),
            first: rule.findings.first().map(|f| FindingRef::of(f)),
            fix: rule.meta.fix.clone(),
        }
    };

    let mut gaps: Vec<(usize, Gap)> = Vec::new();
    for member in &evals[next as usize].members {
        if rules[member.rule].passed() {
            continue;
        }
        let (blocking, reason) = if member.gating && !ahead.is_empty() {
            let names: Vec<&str> = ahead.iter().map(|s| s.title()).collect();
            (
                true,
                Some(format!(
                    "holds back {}, whose own gates pass",
                    names.join(" and ")
                )),
            )
        } else {
            (false, None)
        };
        gaps.push((member.rule, gap(member, next, blocking, reason)));
    }
    for requirement in model.requirements.iter().filter(|r| r.stage == next) {
        let RequirementKind::Progress { of, at_least } = requirement.kind else {
            continue;
        };
        let progress = evals[of as usize].progress;
        if progress.at_least(at_least) {
            continue;
        }
        let reason = format!(
            "{} needs progress at {} of at least {at_least} %; it is {} %",
            next.title(),
            of.title(),
            progress.percent().unwrap_or(0)
        );
        for member in &evals[of as usize].members {
            let counted = member.weight > 0 && !rules[member.rule].passed();
            if counted && !gaps.iter().any(|(i, _)| *i == member.rule) {
                gaps.push((member.rule, gap(member, of, true, Some(reason.clone()))));
            }
        }
    }
    // Blocking first, then gates, then by severity; catalog order within each.
    gaps.sort_by_key(|(i, g)| (!g.blocking, !g.gating, std::cmp::Reverse(g.severity), *i));
    gaps.into_iter().map(|(_, g)| g).collect()
}

fn petals(rules: &[RuleState<'_>], evals: &[StageEval]) -> Vec<PetalResult> {
    // Each rule counts once per petal, with the weight it has at its own stage.
    let own_member = |i: usize| {
        evals[rules[i].meta.stage as usize]
            .members
            .iter()
            .find(|m| m.rule == i)
    };
    Petal::ALL
        .iter()
        .map(|&petal| {
            let mut coverage = Progress::default();
            let mut count = 0;
            let mut open = Vec::new();
            for (i, rule) in rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.meta.petal == petal)
            {
                // Not a member of its own stage: a rule that checked nothing and gates nothing.
                let Some(member) = own_member(i) else {
                    continue;
                };
                let gating = member.gating;
                coverage.add(member.weight, rule.passed());
                count += 1;
                if rule.outcome != Outcome::Passed {
                    open.push(PetalItem {
                        rule: rule.meta.id.clone(),
                        title: rule.meta.title.clone(),
                        stage: rule.meta.stage,
                        severity: rule.meta.severity,
                        gating,
                        outcome: rule.outcome,
                        findings: rule.findings.iter().map(|f| FindingRef::of(f)).collect(),
                        fix: rule.meta.fix.clone(),
                    });
                }
            }
            PetalResult {
                petal,
                title: petal.title(),
                coverage,
                rules: count,
                open,
            }
        })
        .collect()
}

fn engagement(rules: &[RuleState<'_>], model: &Model, holds: &dyn Fn(&str) -> bool) -> Engagement {
    let describe = |rule: Option<&RuleState<'_>>, def: &EvidenceDef| {
        let signal = def
            .signal
            .as_deref()
            .and_then(|s| model.signal(s))
            .map(|s| s.description.as_str());
        let description = match (rule, signal) {
            (Some(r), Some(s)) => format!("{}, and {s}", r.meta.title),
            (Some(r), None) => r.meta.title.clone(),
            (None, Some(s)) => s.to_string(),
            (None, None) => String::new(),
        };
        Evidence {
            rule: rule.map(|r| r.meta.id.clone()),
            signal: def.signal.clone(),
            description,
        }
    };
    let stages: Vec<EngagementResult> = model
        .engagement
        .iter()
        .map(|def| {
            let mut score = Progress::default();
            let mut evidence = Vec::new();
            let mut missing = Vec::new();
            for item in &def.evidence {
                let signal_ok = item.signal.as_deref().map_or(true, holds);
                if item.rule.is_none() {
                    score.add(item.weight, signal_ok);
                    let e = describe(None, item);
                    if signal_ok {
                        evidence.push(e)
                    } else {
                        missing.push(e)
                    }
                    continue;
                }
                // Rules that did not run (not in this profile, or not in the catalog) or checked nothing do
                // not count.
                let applicable = rules.iter().filter(|r| r.outcome != Outcome::Unchecked);
                for rule in applicable.filter(|r| item.matches_rule(&r.meta.id)) {
                    let ok = rule.passed() && signal_ok;
                    score.add(item.weight, ok);
                    let e = describe(Some(rule), item);
                    if ok {
                        evidence.push(e)
                    } else {
                        missing.push(e)
                    }
                }
            }
            let status = if score.total == 0 && evidence.is_empty() && missing.is_empty() {
                EngagementStatus::NotAssessed
            } else if score.passed > 0 && score.at_least(model.engagement_shown_at) {
                EngagementStatus::Shown
            } else if !evidence.is_empty() {
                EngagementStatus::Partial
            } else {
                EngagementStatus::None
            };
            EngagementResult {
                id: def.id.clone(),
                title: def.title.clone(),
                status,
                score,
                evidence,
                missing,
            }
        })
        .collect();
    let top = stages
        .iter()
        .rev()
        .find(|s| s.status == EngagementStatus::Shown);
    Engagement {
        stage: top.map(|s| s.id.clone()),
        stage_title: top.map(|s| s.title.clone()),
        stages,
    }
}

/// Turns findings of rules above `target` into info-level gaps: the organization does not aim
/// for those stages yet, so they inform without failing the run.
pub fn apply_target(findings: &mut [Finding], target: Stage) {
    for finding in findings.iter_mut().filter(|f| f.stage > target) {
        finding.severity = Severity::Info;
        finding.gap = true;
    }
}

/// Whether a repository at `stage` is below `min`.
pub fn below(stage: Option<Stage>, min: Stage) -> bool {
    stage.map_or(true, |s| s < min)
}
