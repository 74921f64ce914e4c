//! The schema of `ospolint.toml`.

use std::collections::BTreeMap;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use toml::Spanned;

use crate::finding::Severity;
use crate::maturity::Stage;
use crate::rule::Profile;

/// `ospolint.toml`: which rules apply to a repository and how. Every key is optional.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ospolint configuration")]
pub struct ConfigFile {
    /// Which rules apply: `auto` (default) picks `ospo` when the repository holds OSPO material.
    pub profile: Option<ProfileChoice>,
    /// Per-rule severity: `"error"`, `"warning"`, `"info"` or `"off"`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RuleSetting>")]
    pub rules: BTreeMap<Spanned<String>, Spanned<RuleSetting>>,
    /// Organization rule packs, in the same TOML format as the built-in `rules/`, relative to this file.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub rule_packs: Vec<Spanned<String>>,
    /// Pin governance roles to files: `strategy = ["handbook/our-strategy.md"]`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    pub artifacts: BTreeMap<Spanned<String>, Vec<String>>,
    /// Paths (globs, relative to each repository) that are not scanned.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// Documents put in a lifecycle by hand, overriding what ospolint infers from their place:
    /// `archive = ["docs/2019/**"]`, `live = ["minutes/README.md"]`.
    pub documents: Option<DocumentsSection>,
    /// Files larger than this many bytes are skipped with a note (default 1 MiB).
    pub max_file_size: Option<u64>,
    /// The repository is a template: placeholders are expected and reported as info (also found
    /// without it, from a README that says so, a cookiecutter or copier file, or GitHub's template flag).
    #[serde(default)]
    pub template: bool,
    /// Folders a static site generator serves at the site root (`static`, `content`), so
    /// root-relative links into them resolve.
    #[serde(default)]
    pub site_roots: Vec<String>,
    /// The maturity stage this repository aims for: `awareness`, `ad-hoc`, `strategy`, `community`
    /// or `leader`. Findings of rules above it become info-level gaps.
    #[serde(default)]
    #[schemars(schema_with = "stage_schema")]
    pub target_stage: Option<Spanned<String>>,
    /// Findings a rule may leave in given paths, each with the reason and, optionally, the date
    /// the exemption ends.
    #[serde(default)]
    #[schemars(with = "Vec<ExemptionSpec>")]
    pub exemptions: Vec<Spanned<ExemptionSpec>>,
    /// The organization's `.github` repository (a folder, relative to this file), whose community
    /// health files stand in for the ones a repository lacks, as GitHub shows them. `--org` finds
    /// it by itself when the folder holds a `.github` repository.
    #[schemars(with = "Option<String>")]
    pub org_defaults: Option<Spanned<String>>,
    /// A file listing every path of the repository, one per line, for partial checkouts: link
    /// targets listed there are not broken. Relative to this file; `{repo}` stands for the
    /// repository's folder name, so one configuration serves `--org`.
    #[schemars(with = "Option<String>")]
    pub tree_file: Option<Spanned<String>>,
    /// Months a document's review date stays fresh (`hygiene/stale-review`; default 12).
    #[schemars(with = "Option<u32>")]
    pub review_interval_months: Option<Spanned<u32>>,
    /// Lua plugin files (paths or globs, relative to this file).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub plugins: Vec<Spanned<String>>,
    /// Options passed to plugin rules as their `options` argument, by rule id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, BTreeMap<String, serde_json::Value>>")]
    pub plugin_options: BTreeMap<Spanned<String>, toml::Table>,
    /// Limits of the Lua sandbox.
    pub lua: Option<LuaLimits>,
}

/// `[documents]`: globs (relative to each repository) per lifecycle. Hygiene rules judge live
/// documents only, unless `--all-documents` is given; `live` wins over every other class.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentsSection {
    /// Documents read and kept current, whatever their place says.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub live: Vec<Spanned<String>>,
    /// Kept for the record (old terms, superseded policies).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub archive: Vec<Spanned<String>>,
    /// Meeting minutes, notes and agendas.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub minutes: Vec<Spanned<String>>,
    /// Release histories.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub changelog: Vec<Spanned<String>>,
    /// Written by a tool.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub generated: Vec<Spanned<String>>,
    /// Other projects' files.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub vendored: Vec<Spanned<String>>,
    /// Translations of documents kept in another language.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub translation: Vec<Spanned<String>>,
}

impl DocumentsSection {
    /// The globs of each lifecycle, in order of precedence.
    pub fn by_lifecycle(&self) -> [(crate::doc::Lifecycle, &[Spanned<String>]); 7] {
        use crate::doc::Lifecycle;
        [
            (Lifecycle::Live, &self.live),
            (Lifecycle::Archive, &self.archive),
            (Lifecycle::Minutes, &self.minutes),
            (Lifecycle::Changelog, &self.changelog),
            (Lifecycle::Generated, &self.generated),
            (Lifecycle::Vendored, &self.vendored),
            (Lifecycle::Translation, &self.translation),
        ]
    }
}

/// `[lua]`: the sandbox limits of plugin rules.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LuaLimits {
    /// MiB of memory each Lua state may use (default 64).
    #[schemars(with = "Option<u64>")]
    pub memory_limit: Option<Spanned<u64>>,
    /// Instructions one rule may run on one repository (default 10 000 000).
    #[schemars(with = "Option<u64>")]
    pub instruction_limit: Option<Spanned<u64>>,
    /// Seconds one rule may run on one repository (default 10): a backstop for work the
    /// instruction budget does not see.
    #[schemars(with = "Option<u64>")]
    pub time_limit: Option<Spanned<u64>>,
}

/// One `[[exemptions]]` entry.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExemptionSpec {
    /// The rule id the exemption applies to.
    #[schemars(with = "String")]
    pub rule: Spanned<String>,
    /// Globs relative to the repository root; without paths the exemption covers every finding of
    /// the rule, those about the repository as a whole included.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// Why the findings are accepted. Required.
    #[schemars(with = "String")]
    pub reason: Option<Spanned<String>>,
    /// The last day the exemption applies (`2025-12-31`); after it, the findings are back and the
    /// expired exemption is reported.
    #[serde(default)]
    #[schemars(schema_with = "date_schema")]
    pub expires: Option<Spanned<toml::Value>>,
}

fn stage_schema(_: &mut SchemaGenerator) -> Schema {
    let keys: Vec<&str> = Stage::ALL.iter().map(|s| s.key()).collect();
    json_schema!({ "type": "string", "enum": keys })
}

/// TOML dates (`2025-12-31`) and quoted dates are both accepted; taplo presents dates as strings.
fn date_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "format": "date" })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema, clap::ValueEnum)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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
