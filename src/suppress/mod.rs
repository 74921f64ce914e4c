//! The step between the rules and the reports: findings that the repository's authors chose to
//! accept are set aside, each with who accepted it and why.
//!
//! Three mechanisms, applied in this order:
//! 1. inline comments in Markdown (`<!-- ospolint-disable-next-line rule/id -- reason -->`),
//! 2. `[[exemptions]]` in `ospolint.toml` (rule, paths, reason, optional expiry date),
//! 3. a baseline file of accepted findings (`--baseline`), applied by the `check` command because
//!    it is one file for the whole run.
//!
//! Misuse is reported as findings of its own (`suppression/*`, `exemption/expired`,
//! `baseline/stale`), so it shows in every format and can fail the gate.

mod baseline;
mod exemption;
mod fingerprint;
mod inline;

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

pub use baseline::{Baseline, BASELINE_VERSION};
pub use exemption::Exemption;
pub(crate) use exemption::LineStarts;
pub use fingerprint::{fingerprints, line_key};

use crate::config::Settings;
use crate::finding::{Finding, Severity};
use crate::maturity::{Petal, Stage};
use crate::rule::RuleMeta;
use crate::scan::Repository;

/// Rule ids of the findings this step reports about suppressions themselves.
pub const UNKNOWN_RULE: &str = "suppression/unknown-rule";
pub const UNUSED: &str = "suppression/unused";
pub const INVALID: &str = "suppression/invalid";
pub const EXPIRED: &str = "exemption/expired";
pub const STALE: &str = "baseline/stale";

/// Every rule id this module reports, for configuration validation and `explain`.
pub const META_RULE_IDS: [&str; 5] = [UNKNOWN_RULE, UNUSED, INVALID, EXPIRED, STALE];

/// What set a finding aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressedBy {
    /// An `ospolint-disable…` comment in the document.
    Inline,
    /// An `[[exemptions]]` entry in the configuration.
    Exemption,
    /// An entry in the `--baseline` file.
    Baseline,
}

/// A finding that is not reported, kept so the JSON report can account for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    #[serde(flatten)]
    pub finding: Finding,
    pub suppressed_by: SuppressedBy,
    pub reason: Option<String>,
}

/// What the inline and exemption step reads for one repository.
pub struct Step<'a> {
    pub repo: &'a Repository,
    pub settings: &'a Settings,
    /// Ids of the catalog rules that ran on this repository.
    pub rules_run: &'a [String],
    /// In pre-commit mode, the files whose per-document findings were computed.
    pub focus: Option<&'a BTreeSet<String>>,
    /// Today's date, when some exemption has an end date (reading the time zone costs a
    /// millisecond a pre-commit run should not pay for nothing).
    pub today: Option<jiff::civil::Date>,
}

impl Step<'_> {
    /// Whether per-document findings of `path` were computed in this run.
    fn in_focus(&self, path: &str) -> bool {
        self.focus.is_none_or(|f| f.contains(path))
    }

    /// The severity a meta rule runs at under this configuration, `None` when turned off.
    fn severity(&self, meta: &RuleMeta) -> Option<Severity> {
        self.settings.severity(&meta.id, meta.severity)
    }
}

/// Applies inline suppressions, then exemptions. Suppressed findings leave `findings`; findings
/// about the suppressions themselves are added to it. Returns the suppressed findings.
pub fn apply(step: &Step<'_>, findings: &mut Vec<Finding>) -> Vec<Suppressed> {
    let mut suppressed = inline::apply(step, findings);
    suppressed.extend(exemption::apply(step, findings));
    suppressed
}

/// The metadata of the rules this module reports.
pub fn meta_rules() -> Vec<RuleMeta> {
    let rule =
        |id: &str, title: &str, severity: Severity, rationale: &str, fix: &str, example: &str| {
            RuleMeta {
                id: id.to_string(),
                title: title.to_string(),
                petal: Petal::Any,
                stage: Stage::Awareness,
                severity,
                profiles: vec![crate::rule::Profile::Project, crate::rule::Profile::Ospo],
                rationale: rationale.to_string(),
                fix: fix.to_string(),
                example: Some(example.to_string()),
                docs: None,
                source: "builtin".to_string(),
            }
        };
    vec![
        rule(
            UNKNOWN_RULE,
            "Suppression comments name existing rules",
            Severity::Warning,
            "A suppression comment with a misspelt rule id silences nothing, while its author believes the finding is handled.",
            "Correct the rule id (`ospolint rules` lists them) or remove the comment.",
            "<!-- ospolint-disable-next-line hygiene/placeholder -- template -->       ← no such rule\n<!-- ospolint-disable-next-line hygiene/placeholder-text -- template -->  ← works",
        ),
        rule(
            UNUSED,
            "Suppression comments suppress something",
            Severity::Warning,
            "A suppression left behind after its finding was fixed would silently hide the next, unrelated finding on that line or in that file.",
            "Remove the comment, or move it to the line the finding is on (`disable-next-line` covers only the line right after the comment).",
            "<!-- ospolint-disable-next-line hygiene/placeholder-text -- filled in later -->\nReport incidents to conduct@example.org.   ← nothing to suppress here",
        ),
        rule(
            INVALID,
            "Suppression comments are well-formed",
            Severity::Warning,
            "A suppression comment that ospolint cannot read (an unknown directive, no rule id, an enable without a disable) does not do what its author meant.",
            "Use `ospolint-disable-next-line`, `ospolint-disable`/`ospolint-enable` or `ospolint-disable-file`, followed by one or more rule ids and, after `--`, the reason.",
            "<!-- ospolint-disable hygiene/empty-section -- sections filled in by the release script -->\n…\n<!-- ospolint-enable hygiene/empty-section -->",
        ),
        rule(
            EXPIRED,
            "Exemptions are renewed or removed when they expire",
            Severity::Warning,
            "An exemption with an end date is a promise to fix the findings by then. After the date it no longer applies, so the findings are back; this finding says why.",
            "Fix the findings the exemption covered and delete it, or set a new `expires` date with an updated `reason`.",
            "[[exemptions]]\nrule = \"security/policy\"\nreason = \"security policy under legal review\"\nexpires = 2025-06-30",
        ),
        rule(
            STALE,
            "Baseline entries match current findings",
            Severity::Info,
            "A baseline entry whose finding is gone was fixed (or its line changed). Keeping it lets the same finding come back unnoticed.",
            "Refresh the baseline: `ospolint check --write-baseline FILE`.",
            "ospolint check --write-baseline .ospolint-baseline.json",
        ),
    ]
}

/// The metadata of one of this module's rules.
pub fn meta_rule(id: &str) -> Option<RuleMeta> {
    meta_rules().into_iter().find(|r| r.id == id)
}

/// `path` relative to `root`, `/`-separated, when it lies inside it.
fn relative_to(path: &Path, root: &Path) -> Option<String> {
    let path = path.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let rel = path.strip_prefix(root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}
