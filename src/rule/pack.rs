//! Rule packs: the TOML format shared by the built-in rules (`rules/*.toml`) and organization packs.
//!
//! ```toml
//! [[rule]]
//! id = "contributing/setup"
//! title = "The contributing guide explains how to set up a development environment"
//! petal = "individual-contributors"
//! stage = "strategy"
//! severity = "error"
//! profiles = ["project", "ospo"]
//! rationale = "…"
//! fix = "…"
//! [rule.check.required-sections]
//! artifact = "contributing"
//! sections = [{ name = "setup", headings = "getting started|prerequisites" }]
//! ```

use std::collections::BTreeSet;

use serde::Deserialize;
use toml::Spanned;

use super::{
    applies_if::AppliesIf, artifact_present::ArtifactPresent,
    broken_relative_link::BrokenRelativeLink, content_pattern::ContentPattern,
    dated_report::DatedReport, doc_owner::DocOwner, empty_section::EmptySection,
    group_entries::GroupEntries, ideas_list::IdeasList, license_file::LicenseFile,
    links_to::LinksTo, maintainers::Maintainers, placeholder_text::PlaceholderText,
    policy_file::PolicyFile, required_sections::RequiredSections, stale_content::StaleContent,
    stale_review::StaleReview, timeline::Timeline, topic_coverage::TopicCoverage, Check, Profile,
    Rule, RuleMeta,
};
use crate::artifact::ArtifactCatalog;
use crate::diagnostic::{parse_toml, suggest, SourceError};
use crate::doc::{
    PlaceholderMatcher, PlaceholderName, PlaceholderPattern, Position, TemplateEvidence,
};
use crate::finding::Severity;
use crate::maturity::{Petal, Stage};
use crate::pattern::Pattern;

/// The built-in packs, embedded in the binary.
const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "rules/strategy.toml",
        include_str!("../../rules/strategy.toml"),
    ),
    ("rules/ospo.toml", include_str!("../../rules/ospo.toml")),
    ("rules/legal.toml", include_str!("../../rules/legal.toml")),
    (
        "rules/security.toml",
        include_str!("../../rules/security.toml"),
    ),
    (
        "rules/contributing.toml",
        include_str!("../../rules/contributing.toml"),
    ),
    (
        "rules/community.toml",
        include_str!("../../rules/community.toml"),
    ),
    (
        "rules/governance.toml",
        include_str!("../../rules/governance.toml"),
    ),
    (
        "rules/mentoring.toml",
        include_str!("../../rules/mentoring.toml"),
    ),
    (
        "rules/hygiene.toml",
        include_str!("../../rules/hygiene.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: Spanned<String>,
    title: String,
    petal: Named<Petal>,
    stage: Named<Stage>,
    severity: Severity,
    profiles: Vec<Profile>,
    rationale: String,
    fix: String,
    example: Option<String>,
    docs: Option<String>,
    check: Spanned<CheckSpec>,
    /// Only run where this artifact role is present (e.g. mentoring rules need a mentoring program).
    applies_if: Option<String>,
}

/// A petal or stage given by any of its accepted names.
#[derive(Debug)]
struct Named<T>(T);

impl<'de, T> Deserialize<'de> for Named<T>
where
    T: std::str::FromStr<Err = crate::maturity::UnknownName>,
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map(Named).map_err(serde::de::Error::custom)
    }
}

/// The check kinds, one table each: `[rule.check.<kind>]`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum CheckSpec {
    ArtifactPresent(ArtifactPresent),
    RequiredSections(RequiredSections),
    ContentPattern(ContentPattern),
    LinksTo(LinksTo),
    PlaceholderText(PlaceholderText),
    EmptySection(EmptySection),
    BrokenRelativeLink(BrokenRelativeLink),
    TopicCoverage(TopicCoverage),
    GroupEntries(GroupEntries),
    DatedReport(DatedReport),
    PolicyFile(PolicyFile),
    Maintainers(Maintainers),
    LicenseFile(LicenseFile),
    StaleReview(StaleReview),
    StaleContent(StaleContent),
    DocOwner(DocOwner),
    IdeasList(IdeasList),
    Timeline(Timeline),
}

impl CheckSpec {
    fn into_check(self) -> Box<dyn Check> {
        match self {
            CheckSpec::ArtifactPresent(c) => Box::new(c),
            CheckSpec::RequiredSections(c) => Box::new(c),
            CheckSpec::ContentPattern(c) => Box::new(c),
            CheckSpec::LinksTo(c) => Box::new(c),
            CheckSpec::PlaceholderText(c) => Box::new(c),
            CheckSpec::EmptySection(c) => Box::new(c),
            CheckSpec::BrokenRelativeLink(c) => Box::new(c),
            CheckSpec::TopicCoverage(c) => Box::new(c),
            CheckSpec::GroupEntries(c) => Box::new(c),
            CheckSpec::DatedReport(c) => Box::new(c),
            CheckSpec::PolicyFile(c) => Box::new(c),
            CheckSpec::Maintainers(c) => Box::new(c),
            CheckSpec::LicenseFile(c) => Box::new(c),
            CheckSpec::StaleReview(c) => Box::new(c),
            CheckSpec::StaleContent(c) => Box::new(c),
            CheckSpec::DocOwner(c) => Box::new(c),
            CheckSpec::IdeasList(c) => Box::new(c),
            CheckSpec::Timeline(c) => Box::new(c),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceholderFile {
    pattern: Vec<PlaceholderSpec>,
    #[serde(default)]
    exception: Vec<ExceptionSpec>,
    #[serde(default)]
    name: Vec<NameSpec>,
    #[serde(default)]
    template: TemplateSpec,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateSpec {
    #[serde(default)]
    readme: Vec<Pattern>,
    #[serde(default)]
    generator_files: Vec<String>,
    #[serde(default)]
    declaration: Vec<DeclarationSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclarationSpec {
    path: String,
    regex: Pattern,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NameSpec {
    regex: Pattern,
    word: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceholderSpec {
    name: String,
    regex: Pattern,
    #[serde(default)]
    position: Position,
    #[serde(default)]
    in_urls: bool,
    #[serde(default)]
    in_comments: bool,
    #[serde(default)]
    not_in_folders: Vec<String>,
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionSpec {
    regex: Pattern,
}

/// Every rule that can run, the artifact roles they ask for and the placeholder vocabulary.
#[derive(Debug)]
pub struct Catalog {
    pub rules: Vec<Rule>,
    pub artifacts: ArtifactCatalog,
    pub placeholders: PlaceholderMatcher,
}

impl Catalog {
    /// The built-in rules. They are part of the binary, so an error here is a bug caught by the tests
    /// (which load them with [`Catalog::builtin_checked`]).
    pub fn builtin() -> Result<Catalog, SourceError> {
        crate::pattern::without_syntax_checks(Catalog::builtin_checked)
    }

    /// The built-in rules, with every pattern's syntax checked as a user's pack is.
    pub fn builtin_checked() -> Result<Catalog, SourceError> {
        let artifacts = ArtifactCatalog::builtin()?;
        let placeholders = load_placeholders(
            "rules/placeholders.toml",
            include_str!("../../rules/placeholders.toml"),
        )?;
        let mut catalog = Catalog {
            rules: Vec::new(),
            artifacts,
            placeholders,
        };
        for (name, text) in BUILTIN_PACKS {
            catalog.add_pack(name, text, "builtin")?;
        }
        crate::lua::add_builtin_rules(&mut catalog)?;
        Ok(catalog)
    }

    /// Adds a pack's rules. Ids must be new; the roles they ask for must exist.
    pub fn add_pack(&mut self, name: &str, text: &str, source: &str) -> Result<(), SourceError> {
        let pack: PackFile = parse_toml(name, text)?;
        let mut seen: BTreeSet<String> = self.rules.iter().map(|r| r.meta.id.clone()).collect();
        let roles = self.artifacts.names();
        for spec in pack.rule {
            let id_span = spec.id.span();
            let id = spec.id.into_inner();
            if !valid_id(&id) {
                return Err(SourceError::new(
                    name,
                    text,
                    format!("{name}: invalid rule id `{id}`"),
                    Some(id_span),
                )
                .with_label("not of the form `group/name`")
                .with_help(
                    "rule ids are a group and a name in lower case, e.g. `acme/release-checklist`",
                ));
            }
            if let Some(why) = reserved_id(&id) {
                return Err(SourceError::new(
                    name,
                    text,
                    format!("{name}: rule id `{id}` is reserved"),
                    Some(id_span),
                )
                .with_label("reserved")
                .with_help(why));
            }
            if !seen.insert(id.clone()) {
                return Err(SourceError::new(
                    name,
                    text,
                    format!("{name}: rule `{id}` is defined twice"),
                    Some(id_span),
                )
                .with_label("this id is already taken")
                .with_help(
                    "rule ids must be unique across the built-in rules, packs and plugins",
                ));
            }
            let check_span = spec.check.span();
            let mut check = spec.check.into_inner().into_check();
            if let Some(role) = spec.applies_if {
                check = Box::new(AppliesIf { role, check });
            }
            for role in check.roles() {
                if !roles.contains(&role) {
                    let mut error = SourceError::new(
                        name,
                        text,
                        format!("{name}: rule `{id}` asks for unknown artifact `{role}`"),
                        Some(check_span.clone()),
                    )
                    .with_label("unknown artifact role");
                    error = match suggest(role, roles.iter().copied()) {
                        Some(s) => error.with_help(format!("did you mean `{s}`?")),
                        None => error.with_help(format!("known roles: {}", roles.join(", "))),
                    };
                    return Err(error);
                }
            }
            self.rules.push(Rule {
                meta: RuleMeta {
                    id,
                    title: spec.title,
                    petal: spec.petal.0,
                    stage: spec.stage.0,
                    severity: spec.severity,
                    profiles: spec.profiles,
                    rationale: reflow(&spec.rationale),
                    fix: reflow(&spec.fix),
                    example: spec.example.map(|e| e.trim_end().to_string()),
                    docs: spec.docs,
                    source: source.to_string(),
                },
                check,
            });
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.meta.id == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.meta.id.as_str())
    }
}

/// Joins hard-wrapped lines into paragraphs, so reporters can wrap text to their own width.
pub(crate) fn reflow(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The groups of the rule ids ospolint reports under itself (`plugin/error`, `baseline/stale`,
/// `exemption/expired`, `suppression/unused`, ...): no pack or plugin may define a rule in them,
/// or its findings could be taken for ospolint's, or its settings change them.
pub(crate) const RESERVED_GROUPS: [&str; 4] = ["plugin", "suppression", "exemption", "baseline"];

/// Why `id` cannot be used by a pack or plugin, if it is reserved.
pub(crate) fn reserved_id(id: &str) -> Option<String> {
    let group = id.split_once('/')?.0;
    RESERVED_GROUPS.contains(&group).then(|| {
        format!(
            "the group `{group}` is reserved for findings ospolint reports itself ({}); give your rules your organization's prefix",
            if group == "plugin" {
                "`plugin/error` reports plugin failures"
            } else {
                "suppressions, exemptions and baselines"
            }
        )
    })
}

pub(crate) fn valid_id(id: &str) -> bool {
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    matches!(id.split_once('/'), Some((group, name)) if ok(group) && ok(name))
}

/// A pattern that starts at a line start, without that anchor: it matches wherever the pattern
/// does and, unlike it, lets the regex engine skip ahead to its first literal.
fn unanchored(source: &str) -> Option<Pattern> {
    let rest = source
        .strip_prefix("(?m)^")
        .map(|rest| format!("(?m){rest}"))
        .or_else(|| source.strip_prefix('^').map(str::to_string))?;
    Pattern::new(&rest).ok()
}

fn load_placeholders(name: &str, text: &str) -> Result<PlaceholderMatcher, SourceError> {
    let file: PlaceholderFile = parse_toml(name, text)?;
    Ok(PlaceholderMatcher {
        patterns: file
            .pattern
            .into_iter()
            .map(|p| PlaceholderPattern {
                name: p.name,
                quick: unanchored(p.regex.as_str()),
                regex: p.regex,
                position: p.position,
                in_urls: p.in_urls,
                in_comments: p.in_comments,
                not_in_folders: p.not_in_folders,
                message: p.message,
            })
            .collect(),
        exceptions: file.exception.into_iter().map(|e| e.regex).collect(),
        names: file
            .name
            .into_iter()
            .map(|n| PlaceholderName {
                regex: n.regex,
                word: n.word,
            })
            .collect(),
        template: TemplateEvidence {
            readme: file.template.readme,
            generator_files: file.template.generator_files,
            declarations: file
                .template
                .declaration
                .into_iter()
                .map(|d| (d.path, d.regex))
                .collect(),
            readme_words: Default::default(),
        },
        gate: Default::default(),
    })
}
