//! Which profile `auto` picks, on evidence: the OSPO signals a repository shows. A repository is an
//! OSPO's home when at least two independent signals agree — documents of different OSPO roles,
//! each a different file — so one OSPO-looking page (a network's About page, a guide about OSPOs)
//! is not enough. The signals are returned, not only the verdict, so other judgements of what a
//! repository is can weigh them too.

use crate::artifact::{lower_first, Artifacts};
use crate::config::ProfileChoice;
use crate::rule::Profile;
use crate::scan::Repository;

/// Roles whose documents are evidence of an OSPO, in the order the evidence is named.
const OSPO_ROLES: [&str; 11] = [
    "ospo-charter",
    "strategy",
    "ospo-team",
    "usage-policy",
    "outbound-policy",
    "publication-process",
    "license-list",
    "compliance-program",
    "legal-guide",
    "marketing-guide",
    "engineering-guide",
];

/// Independent signals `auto` needs before it picks the `ospo` profile.
pub const OSPO_SIGNALS: usize = 2;

/// A document playing an OSPO role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OspoSignal {
    pub role: &'static str,
    /// The role's title, as in `rules/artifacts.toml` ("OSPO charter").
    pub title: String,
    pub path: String,
}

impl OspoSignal {
    /// "OSPO charter at ospo/CHARTER.md".
    pub fn describe(&self) -> String {
        format!("{} at {}", lower_first(&self.title), self.path)
    }
}

/// The OSPO signals of a repository: for each OSPO role, its best document that no earlier signal
/// already used (one document playing two roles is one piece of evidence, not two).
pub fn ospo_signals(repo: &Repository, artifacts: &Artifacts<'_>) -> Vec<OspoSignal> {
    let mut signals: Vec<OspoSignal> = Vec::new();
    for role in OSPO_ROLES {
        let free = artifacts.playing(role).iter().find(|id| {
            let path = repo.index().path(**id);
            !signals.iter().any(|s| s.path == path)
        });
        if let Some(&id) = free {
            let title = artifacts
                .catalog()
                .role(role)
                .map_or(role, |r| r.def.title.as_str());
            signals.push(OspoSignal {
                role,
                title: title.to_string(),
                path: repo.index().path(id).to_string(),
            });
        }
    }
    signals
}

/// The profile for a repository, and why.
pub fn choose_profile(
    repo: &Repository,
    artifacts: &Artifacts<'_>,
    choice: ProfileChoice,
) -> (Profile, String) {
    if let Some(fixed) = choice.fixed() {
        return (
            fixed,
            "set in the configuration or on the command line".to_string(),
        );
    }
    let signals = ospo_signals(repo, artifacts);
    let named: Vec<String> = signals.iter().map(OspoSignal::describe).collect();
    match named.len() {
        0 => (
            Profile::Project,
            "auto: no OSPO charter, strategy, team or policy found".to_string(),
        ),
        n if n < OSPO_SIGNALS => (
            Profile::Project,
            format!(
                "auto: one OSPO signal only ({}); the ospo profile needs {OSPO_SIGNALS} from different documents",
                named.join(", ")
            ),
        ),
        _ => (Profile::Ospo, format!("auto: {}", and_list(&named))),
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
