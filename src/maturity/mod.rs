//! The OSPO maturity model: stages and the petals of the OSPO flower (here), the model's data
//! (`model`), the assessment of one repository (`assess`) and the organization roll-up (`rollup`).
//! The user documentation is `docs/maturity.md`.

pub mod assess;
pub mod model;
pub mod rollup;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use assess::{apply_target, assess, below, Assessment};
pub use model::Model;
pub use rollup::Rollup;

use crate::engine::{RepoReport, Target};

/// Assesses a checked repository, then applies its configuration's `target_stage` to the
/// findings: the assessment sees the severities the rules produced, the report shows the findings
/// as the organization wants them gated.
pub fn assess_report(target: &Target, report: &mut RepoReport) -> Assessment {
    let assessment = assess(report, &target.settings);
    if let Some(stage) = target.settings.target_stage {
        apply_target(&mut report.findings, stage);
    }
    assessment
}

/// OSPO maturity stages, lowest first. Stages are cumulative: reaching one means every lower one holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Awareness,
    AdHoc,
    /// Security, Education and Strategy.
    Strategy,
    /// Community, Education and Engagement.
    Community,
    /// Leader and Advisor.
    Leader,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Awareness,
        Stage::AdHoc,
        Stage::Strategy,
        Stage::Community,
        Stage::Leader,
    ];

    /// The key used in configuration files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Awareness => "awareness",
            Stage::AdHoc => "ad-hoc",
            Stage::Strategy => "strategy",
            Stage::Community => "community",
            Stage::Leader => "leader",
        }
    }

    /// The name the OSPO maturity model gives the stage.
    pub fn title(self) -> &'static str {
        match self {
            Stage::Awareness => "Awareness",
            Stage::AdHoc => "Ad hoc",
            Stage::Strategy => "Security, Education and Strategy",
            Stage::Community => "Community, Education and Engagement",
            Stage::Leader => "Leader and Advisor",
        }
    }

    pub fn next(self) -> Option<Stage> {
        Stage::ALL.get(self as usize + 1).copied()
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Error for a stage or petal name that is not known; lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    pub given: String,
    pub valid: Vec<&'static str>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown name `{}`; valid names: {}",
            self.given,
            self.valid.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}

fn normalise(name: &str) -> String {
    name.trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c == '_' || c == ' ' || c == '/' {
                '-'
            } else {
                c
            }
        })
        .collect()
}

impl FromStr for Stage {
    type Err = UnknownName;

    /// Accepts the keys, the model's names and the usual short forms, case-insensitively.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let stage = match normalise(name).as_str() {
            "awareness" | "a" | "0" => Stage::Awareness,
            "ad-hoc" | "adhoc" | "h" | "1" => Stage::AdHoc,
            "strategy" | "security" | "education" | "security-education-strategy" | "s" | "2" => {
                Stage::Strategy
            }
            "community" | "engagement" | "community-education-engagement" | "c" | "3" => {
                Stage::Community
            }
            "leader" | "advisor" | "leader-and-advisor" | "leader-advisor" | "l" | "4" => {
                Stage::Leader
            }
            _ => {
                return Err(UnknownName {
                    given: name.to_string(),
                    valid: Stage::ALL.iter().map(|s| s.key()).collect(),
                })
            }
        };
        Ok(stage)
    }
}

/// The petals of the OSPO flower: the stakeholder groups an OSPO serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Petal {
    IndividualContributors,
    Management,
    Legal,
    Business,
    Ecosystem,
    Ospo,
    /// Applies to every stakeholder (document hygiene).
    Any,
}

impl Petal {
    pub const ALL: [Petal; 7] = [
        Petal::IndividualContributors,
        Petal::Management,
        Petal::Legal,
        Petal::Business,
        Petal::Ecosystem,
        Petal::Ospo,
        Petal::Any,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Petal::IndividualContributors => "individual-contributors",
            Petal::Management => "management",
            Petal::Legal => "legal",
            Petal::Business => "business",
            Petal::Ecosystem => "ecosystem",
            Petal::Ospo => "ospo",
            Petal::Any => "any",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Petal::IndividualContributors => "Individual contributors",
            Petal::Management => "Management",
            Petal::Legal => "Legal",
            Petal::Business => "Business",
            Petal::Ecosystem => "Open source ecosystem",
            Petal::Ospo => "OSPO",
            Petal::Any => "Every stakeholder",
        }
    }
}

impl fmt::Display for Petal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Petal {
    type Err = UnknownName;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let petal = match normalise(name).as_str() {
            "individual-contributors" | "ic" | "contributors" | "developers" => {
                Petal::IndividualContributors
            }
            "management" | "mg" => Petal::Management,
            "legal" | "lg" => Petal::Legal,
            "business" | "bu" => Petal::Business,
            "ecosystem" | "ec" | "open-source-ecosystem" => Petal::Ecosystem,
            "ospo" | "os" => Petal::Ospo,
            "any" | "*" => Petal::Any,
            _ => {
                return Err(UnknownName {
                    given: name.to_string(),
                    valid: Petal::ALL.iter().map(|p| p.key()).collect(),
                })
            }
        };
        Ok(petal)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod names {
    use super::*;

    #[test]
    fn stage_aliases_are_case_insensitive() {
        assert_eq!("Ad-Hoc".parse::<Stage>(), Ok(Stage::AdHoc));
        assert_eq!("LEADER".parse::<Stage>(), Ok(Stage::Leader));
        assert_eq!("community".parse::<Stage>(), Ok(Stage::Community));
        assert!("expert"
            .parse::<Stage>()
            .unwrap_err()
            .to_string()
            .contains("ad-hoc"));
    }

    #[test]
    fn stages_are_ordered() {
        assert!(Stage::Awareness < Stage::Leader);
        assert_eq!(Stage::Strategy.next(), Some(Stage::Community));
        assert_eq!(Stage::Leader.next(), None);
    }
}
