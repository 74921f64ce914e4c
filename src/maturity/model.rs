//! The parts of the maturity model that rule metadata cannot express, as data
//! (`rules/maturity.toml`): repository signals, extra gates, stage requirements and the evidence
//! for each engagement stage.

use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::Stage;
use crate::artifact::ArtifactCatalog;
use crate::diagnostic::{parse_toml, suggest, SourceError};
use crate::finding::Finding;
use crate::pattern::Pattern;
use crate::rule::RepoContext;

const BUILTIN_NAME: &str = "rules/maturity.toml";
const BUILTIN: &str = include_str!("../../rules/maturity.toml");

/// The model: everything about stages and engagement that is not in the rules themselves.
#[derive(Debug)]
pub struct Model {
    pub signals: Vec<Signal>,
    pub gates: Vec<ExtraGate>,
    pub requirements: Vec<Requirement>,
    pub engagement: Vec<EngagementDef>,
    /// Percent of counted evidence at which an engagement stage counts as shown.
    pub engagement_shown_at: u32,
    /// Rules (ids or `group/*`) whose findings count for the assessment only in governance documents.
    pub governance_only: Vec<String>,
    /// Rules (ids or `group/*`) that concern every stage: they gate none, and their failures head
    /// the next steps whatever the next stage is.
    pub cross_cutting: Vec<String>,
}

/// A fact about a repository that conditions and evidence refer to.
#[derive(Debug)]
pub struct Signal {
    pub id: String,
    pub description: String,
    documents: bool,
    artifacts: Vec<String>,
    pattern: Option<Pattern>,
}

/// A rule that gates `stage` although its metadata alone does not say so.
#[derive(Debug, Clone)]
pub struct ExtraGate {
    pub rule: String,
    pub stage: Stage,
    /// The gate applies only when this signal holds.
    pub when: Option<String>,
}

/// A further condition for reaching a stage.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub stage: Stage,
    pub kind: RequirementKind,
    /// When met, the requirement by itself shows the stage (otherwise a rule of the stage must pass).
    pub evidence: bool,
}

#[derive(Debug, Clone)]
pub enum RequirementKind {
    /// The signal must hold.
    Signal(String),
    /// The weighted progress of another stage must be at least `at_least` percent.
    Progress { of: Stage, at_least: u32 },
}

/// One engagement stage and the evidence that shows it.
#[derive(Debug)]
pub struct EngagementDef {
    pub id: String,
    pub title: String,
    pub description: String,
    pub evidence: Vec<EvidenceDef>,
}

/// One piece of evidence: a rule (or a group of rules) passing, a signal holding, or both.
#[derive(Debug, Clone)]
pub struct EvidenceDef {
    /// A rule id, or `group/*` for every rule of a group.
    pub rule: Option<String>,
    pub signal: Option<String>,
    /// 0: shown when present, not counted in the score.
    pub weight: u32,
}

impl EvidenceDef {
    /// Whether `id` is one of the rules this evidence names.
    pub fn matches_rule(&self, id: &str) -> bool {
        self.rule
            .as_deref()
            .is_some_and(|pattern| rule_matches(pattern, id))
    }
}

/// Whether rule `id` is `pattern`, or in its group when the pattern is `group/*`.
pub fn rule_matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(group) => id
            .strip_prefix(group)
            .is_some_and(|rest| rest.starts_with('/')),
        None => pattern == id,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    engagement_shown_at: Option<u32>,
    #[serde(default)]
    signal: Vec<SignalSpec>,
    #[serde(default)]
    gate: Vec<GateSpec>,
    #[serde(default)]
    requirement: Vec<RequirementSpec>,
    #[serde(default)]
    engagement: Vec<EngagementSpec>,
    #[serde(default)]
    scope: Vec<ScopeSpec>,
    #[serde(default)]
    cross_cutting: Vec<CrossCuttingSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrossCuttingSpec {
    rules: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeSpec {
    rules: Vec<String>,
    within: Spanned<String>,
}

/// The only scope there is: the README and the files that play a governance role.
const GOVERNANCE_DOCUMENTS: &str = "governance-documents";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalSpec {
    id: String,
    description: String,
    #[serde(default)]
    documents: bool,
    #[serde(default)]
    artifacts: Vec<Spanned<String>>,
    pattern: Option<Pattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GateSpec {
    rule: String,
    #[serde(deserialize_with = "stage_name")]
    stage: Stage,
    when: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementSpec {
    #[serde(deserialize_with = "stage_name")]
    stage: Stage,
    signal: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "optional_stage_name")]
    progress_of: Option<Stage>,
    at_least: Option<u32>,
    #[serde(default)]
    evidence: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EngagementSpec {
    id: String,
    title: String,
    description: String,
    evidence: Vec<EvidenceSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceSpec {
    rule: Option<String>,
    signal: Option<Spanned<String>>,
    #[serde(default = "one")]
    weight: u32,
}

fn one() -> u32 {
    1
}

fn stage_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Stage, D::Error> {
    let name = String::deserialize(deserializer)?;
    name.parse().map_err(serde::de::Error::custom)
}

fn optional_stage_name<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Stage>, D::Error> {
    stage_name(deserializer).map(Some)
}

impl Model {
    /// The built-in model. It is part of the binary, so an error here is a bug the tests catch.
    pub fn builtin(artifacts: &ArtifactCatalog) -> Result<Model, SourceError> {
        Model::from_toml(BUILTIN_NAME, BUILTIN, artifacts)
    }

    /// Reads a model, checking that every signal it names is defined and every artifact role exists.
    /// Rule ids are not checked: a rule the catalog does not (yet) have is skipped when assessing.
    pub fn from_toml(
        name: &str,
        text: &str,
        artifacts: &ArtifactCatalog,
    ) -> Result<Model, SourceError> {
        let file: ModelFile = parse_toml(name, text)?;
        let error = |message: String, span: Option<std::ops::Range<usize>>| {
            SourceError::new(name, text, format!("{name}: {message}"), span)
        };
        let roles = artifacts.names();
        let mut signals = Vec::new();
        for spec in file.signal {
            for role in &spec.artifacts {
                if !roles.contains(&role.get_ref().as_str()) {
                    let mut e = error(
                        format!(
                            "signal `{}` asks for unknown artifact `{}`",
                            spec.id,
                            role.get_ref()
                        ),
                        Some(role.span()),
                    )
                    .with_label("unknown artifact role");
                    if let Some(s) = suggest(role.get_ref(), roles.iter().copied()) {
                        e = e.with_help(format!("did you mean `{s}`?"));
                    }
                    return Err(e);
                }
            }
            if !spec.documents && spec.artifacts.is_empty() {
                return Err(error(format!("signal `{}` checks nothing", spec.id), None)
                    .with_help("give `documents = true` or a list of `artifacts`"));
            }
            signals.push(Signal {
                id: spec.id,
                description: spec.description,
                documents: spec.documents,
                artifacts: spec
                    .artifacts
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                pattern: spec.pattern,
            });
        }
        let ids: Vec<&str> = signals.iter().map(|s| s.id.as_str()).collect();
        let known_signal = |signal: &Spanned<String>| -> Result<String, SourceError> {
            if ids.contains(&signal.get_ref().as_str()) {
                return Ok(signal.get_ref().clone());
            }
            let mut e = error(
                format!("unknown signal `{}`", signal.get_ref()),
                Some(signal.span()),
            )
            .with_label("no [[signal]] has this id");
            if let Some(s) = suggest(signal.get_ref(), ids.iter().copied()) {
                e = e.with_help(format!("did you mean `{s}`?"));
            }
            Err(e)
        };

        let mut gates = Vec::new();
        for spec in file.gate {
            let when = spec.when.as_ref().map(&known_signal).transpose()?;
            gates.push(ExtraGate {
                rule: spec.rule,
                stage: spec.stage,
                when,
            });
        }

        let mut requirements = Vec::new();
        for spec in file.requirement {
            let kind = match (&spec.signal, spec.progress_of, spec.at_least) {
                (Some(signal), None, None) => RequirementKind::Signal(known_signal(signal)?),
                (None, Some(of), Some(at_least)) if at_least <= 100 => RequirementKind::Progress { of, at_least },
                _ => {
                    return Err(error(format!("a requirement of stage `{}` must give either `signal` or `progress_of` with `at_least` (0-100)", spec.stage), None))
                }
            };
            requirements.push(Requirement {
                stage: spec.stage,
                kind,
                evidence: spec.evidence,
            });
        }

        let mut engagement = Vec::new();
        for spec in file.engagement {
            let mut evidence = Vec::new();
            for e in spec.evidence {
                if e.rule.is_none() && e.signal.is_none() {
                    return Err(error(
                        format!(
                            "evidence of engagement stage `{}` names neither a rule nor a signal",
                            spec.id
                        ),
                        None,
                    ));
                }
                let signal = e.signal.as_ref().map(&known_signal).transpose()?;
                evidence.push(EvidenceDef {
                    rule: e.rule,
                    signal,
                    weight: e.weight,
                });
            }
            engagement.push(EngagementDef {
                id: spec.id,
                title: spec.title,
                description: spec.description,
                evidence,
            });
        }

        let mut governance_only = Vec::new();
        for spec in file.scope {
            if spec.within.get_ref() != GOVERNANCE_DOCUMENTS {
                return Err(error(
                    format!("unknown scope `{}`", spec.within.get_ref()),
                    Some(spec.within.span()),
                )
                .with_label("not a scope")
                .with_help(format!("the only scope is `{GOVERNANCE_DOCUMENTS}`")));
            }
            governance_only.extend(spec.rules);
        }

        let cross_cutting = file
            .cross_cutting
            .into_iter()
            .flat_map(|c| c.rules)
            .collect();

        Ok(Model {
            signals,
            gates,
            requirements,
            engagement,
            engagement_shown_at: file.engagement_shown_at.unwrap_or(50).min(100),
            governance_only,
            cross_cutting,
        })
    }

    /// Whether rule `id` concerns every stage rather than gating its own.
    pub fn cross_cutting(&self, id: &str) -> bool {
        self.cross_cutting
            .iter()
            .any(|pattern| rule_matches(pattern, id))
    }

    /// Whether only the findings of rule `id` in governance documents count for the assessment.
    pub fn governance_only(&self, id: &str) -> bool {
        self.governance_only
            .iter()
            .any(|pattern| rule_matches(pattern, id))
    }

    /// Of the files where rules scoped to governance documents have findings, those that are
    /// governance documents (the README or a file playing an artifact role), sorted.
    pub fn governance_documents(&self, cx: &RepoContext<'_>, findings: &[Finding]) -> Vec<String> {
        if self.governance_only.is_empty() {
            return Vec::new();
        }
        let mut paths: Vec<&str> = findings
            .iter()
            .filter(|f| self.governance_only(&f.rule))
            .filter_map(|f| f.location.path.as_deref())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let index = cx.repo.index();
        paths
            .into_iter()
            .filter(|p| index.find(p).is_some_and(|id| cx.artifacts.plays_role(id)))
            .map(str::to_string)
            .collect()
    }

    pub fn signal(&self, id: &str) -> Option<&Signal> {
        self.signals.iter().find(|s| s.id == id)
    }

    /// The ids of the signals that hold for a repository, in model order.
    pub fn signals_of(&self, cx: &RepoContext<'_>) -> Vec<String> {
        self.signals
            .iter()
            .filter(|s| s.holds(cx))
            .map(|s| s.id.clone())
            .collect()
    }
}

impl Signal {
    fn holds(&self, cx: &RepoContext<'_>) -> bool {
        if self.documents && has_documents(cx) {
            return true;
        }
        self.artifacts.iter().any(|role| {
            let resolved = cx.artifacts.resolve(role);
            match &self.pattern {
                None => !resolved.files.is_empty(),
                Some(pattern) => cx.artifacts.documents(role).iter().any(|doc| {
                    doc.prose(doc.full())
                        .iter()
                        .any(|(_, piece)| pattern.is_match(piece))
                }),
            }
        })
    }
}

/// Whether the repository holds a README or any Markdown, reStructuredText or AsciiDoc document.
fn has_documents(cx: &RepoContext<'_>) -> bool {
    let index = cx.repo.index();
    cx.artifacts.readme().is_some() || index.ids().any(|id| index.kind(id).is_markup())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Model, SourceError> {
        Model::from_toml(
            "m.toml",
            text,
            &ArtifactCatalog::builtin().expect("built-in artifacts"),
        )
    }

    #[test]
    fn builtin_model_loads() {
        let model = Model::builtin(&ArtifactCatalog::builtin().expect("built-in artifacts"))
            .expect("built-in model");
        assert!(model.signal("material").is_some());
        assert_eq!(model.engagement.len(), 4);
    }

    #[test]
    fn unknown_signal_is_an_error_with_a_suggestion() {
        let err = load("[[signal]]\nid = \"mentoring\"\ndescription = \"d\"\nartifacts = [\"mentoring\"]\n[[gate]]\nrule = \"a/b\"\nstage = \"community\"\nwhen = \"mentorin\"\n")
            .unwrap_err();
        assert!(
            err.message.contains("unknown signal `mentorin`"),
            "{}",
            err.message
        );
        assert_eq!(err.help.as_deref(), Some("did you mean `mentoring`?"));
    }

    #[test]
    fn unknown_artifact_role_is_an_error() {
        let err =
            load("[[signal]]\nid = \"x\"\ndescription = \"d\"\nartifacts = [\"mentorship\"]\n")
                .unwrap_err();
        assert!(
            err.message.contains("unknown artifact `mentorship`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn requirement_needs_one_kind() {
        let err =
            load("[[requirement]]\nstage = \"leader\"\nprogress_of = \"community\"\n").unwrap_err();
        assert!(err.message.contains("must give either"), "{}", err.message);
    }

    #[test]
    fn group_evidence_matches_its_rules_only() {
        let e = EvidenceDef {
            rule: Some("governance/*".into()),
            signal: None,
            weight: 1,
        };
        assert!(e.matches_rule("governance/model"));
        assert!(!e.matches_rule("governance-x/model"));
        assert!(!e.matches_rule("mentoring/program"));
    }
}
