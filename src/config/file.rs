//! The schema of `ospolint.toml`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::finding::Severity;
use crate::rule::Profile;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Which rules apply: `auto` (default) picks `ospo` when the repository holds OSPO material.
    pub profile: Option<ProfileChoice>,
    /// Per-rule severity: `"error"`, `"warning"`, `"info"` or `"off"`.
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<RuleSetting>>,
    /// Organization rule packs, in the same TOML format as the built-in `rules/`, relative to this file.
    #[serde(default)]
    pub rule_packs: Vec<Spanned<String>>,
    /// Pin governance roles to files: `strategy = ["handbook/our-strategy.md"]`.
    #[serde(default)]
    pub artifacts: BTreeMap<Spanned<String>, Vec<String>>,
    /// Paths (globs, relative to each repository) that are not scanned.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// Files larger than this many bytes are skipped with a note (default 1 MiB).
    pub max_file_size: Option<u64>,
    /// The repository is a template: placeholders are expected and reported as info.
    #[serde(default)]
    pub template: bool,
    /// Folders a static site generator serves at the site root (`static`, `content`), so
    /// root-relative links into them resolve.
    #[serde(default)]
    pub site_roots: Vec<String>,
    /// A file listing every path of the repository, one per line, for partial checkouts: link
    /// targets listed there are not broken. Relative to this file; `{repo}` stands for the
    /// repository's folder name, so one configuration serves `--org`.
    pub tree_file: Option<Spanned<String>>,
    /// Months a document's review date stays fresh (`hygiene/stale-review`; default 12).
    pub review_interval_months: Option<Spanned<u32>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ProfileChoice {
    #[default]
    Auto,
    Project,
    Ospo,
}

impl ProfileChoice {
    pub fn fixed(self) -> Option<Profile> {
        match self {
            ProfileChoice::Auto => None,
            ProfileChoice::Project => Some(Profile::Project),
            ProfileChoice::Ospo => Some(Profile::Ospo),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Off,
    Info,
    Warning,
    Error,
}

impl RuleSetting {
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Off => None,
            RuleSetting::Info => Some(Severity::Info),
            RuleSetting::Warning => Some(Severity::Warning),
            RuleSetting::Error => Some(Severity::Error),
        }
    }
}
