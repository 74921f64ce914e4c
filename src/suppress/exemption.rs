//! `[[exemptions]]` in `ospolint.toml`: a rule's findings accepted in given paths, with a reason
//! and, optionally, an end date.

use std::collections::HashMap;

use globset::{GlobSet, GlobSetBuilder};
use jiff::civil::Date;
use toml::Spanned;

use super::{meta_rule, relative_to, Step, Suppressed, SuppressedBy, EXPIRED, META_RULE_IDS};
use crate::config::ExemptionSpec;
use crate::diagnostic::{compile_glob, suggest, SourceError};
use crate::finding::{Finding, Location};
use crate::rule::{Catalog, Emitter};

/// A validated exemption.
#[derive(Debug, Clone)]
pub struct Exemption {
    pub rule: String,
    /// The globs as written, for messages.
    pub patterns: Vec<String>,
    paths: GlobSet,
    pub reason: String,
    /// The last day the exemption applies.
    pub expires: Option<Date>,
    /// 1-based line of the entry in the configuration file, and that line's text.
    pub line: u32,
    pub line_text: String,
}

impl Exemption {
    /// Validates one `[[exemptions]]` entry; every error points at the entry in `text`.
    pub(crate) fn from_spec(
        name: &str,
        text: &str,
        spec: &Spanned<ExemptionSpec>,
        catalog: &Catalog,
        lines: &LineStarts,
    ) -> Result<Exemption, SourceError> {
        let entry = spec.get_ref();
        let rule = entry.rule.get_ref();
        if catalog.get(rule).is_none() && !META_RULE_IDS.contains(&rule.as_str()) {
            let error = SourceError::new(
                name,
                text,
                format!("{name}: exemption for unknown rule `{rule}`"),
                Some(entry.rule.span()),
            )
            .with_label("no rule has this id");
            return Err(match suggest(rule, catalog.ids().chain(META_RULE_IDS)) {
                Some(s) => error.with_help(format!(
                    "did you mean `{s}`? `ospolint rules` lists every rule"
                )),
                None => error.with_help("`ospolint rules` lists every rule"),
            });
        }
        let reason = match &entry.reason {
            Some(reason) if !reason.get_ref().trim().is_empty() => {
                reason.get_ref().trim().to_string()
            }
            Some(reason) => {
                return Err(SourceError::new(
                    name,
                    text,
                    format!("{name}: exemption for `{rule}` has an empty reason"),
                    Some(reason.span()),
                )
                .with_label("say why these findings are accepted")
                .with_help(
                    "an exemption is a decision someone will revisit: write down why it was made",
                ));
            }
            None => {
                return Err(SourceError::new(
                    name,
                    text,
                    format!("{name}: exemption for `{rule}` has no reason"),
                    Some(spec.span()),
                )
                .with_label("this exemption needs `reason = \"…\"`")
                .with_help(
                    "an exemption is a decision someone will revisit: write down why it was made",
                ));
            }
        };
        let mut builder = GlobSetBuilder::new();
        let mut patterns = Vec::new();
        for pattern in &entry.paths {
            let glob = compile_glob(
                name,
                text,
                pattern,
                pattern.get_ref().trim_start_matches("./"),
                true,
            )?;
            builder.add(glob);
            patterns.push(pattern.get_ref().clone());
        }
        let paths = builder.build().map_err(|err| {
            SourceError::new(name, text, format!("{name}: {err}"), Some(spec.span()))
        })?;
        let expires = match &entry.expires {
            None => None,
            Some(value) => Some(parse_date(value.get_ref()).ok_or_else(|| {
                SourceError::new(
                    name,
                    text,
                    format!("{name}: `expires` of the exemption for `{rule}` is not a date"),
                    Some(value.span()),
                )
                .with_label("expected a date such as 2025-12-31")
            })?),
        };
        let start = spec.span().start.min(text.len());
        let line = lines.line_of(start);
        let line_text = text[start..].lines().next().unwrap_or_default().to_string();
        Ok(Exemption {
            rule: rule.clone(),
            patterns,
            paths,
            reason,
            expires,
            line,
            line_text,
        })
    }

    fn covers(&self, finding: &Finding) -> bool {
        if finding.rule != self.rule {
            return false;
        }
        if self.patterns.is_empty() {
            return true;
        }
        finding
            .location
            .path
            .as_deref()
            .is_some_and(|p| self.paths.is_match(p))
    }

    fn expired(&self, today: Option<Date>) -> bool {
        matches!((self.expires, today), (Some(last), Some(today)) if last < today)
    }
}

/// Where each line of a configuration starts, to number the lines of its exemptions: counting the
/// newlines before each of thousands of entries was quadratic in the file's size.
pub(crate) struct LineStarts(Vec<usize>);

impl LineStarts {
    pub(crate) fn new(text: &str) -> LineStarts {
        LineStarts(
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                .collect(),
        )
    }

    /// The 1-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> u32 {
        self.0.partition_point(|&start| start <= offset) as u32
    }
}

/// A TOML date (`2025-12-31`) or a string holding one.
fn parse_date(value: &toml::Value) -> Option<Date> {
    let text = match value {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    text.parse().ok()
}

pub(super) fn apply(step: &Step<'_>, findings: &mut Vec<Finding>) -> Vec<Suppressed> {
    let exemptions = &step.settings.exemptions;
    if exemptions.is_empty() {
        return Vec::new();
    }
    let (active, expired): (Vec<&Exemption>, Vec<&Exemption>) =
        exemptions.iter().partition(|e| !e.expired(step.today));
    // Each finding is tested against its rule's exemptions only, in the configuration's order.
    let mut by_rule: HashMap<&str, Vec<&Exemption>> = HashMap::new();
    for exemption in &active {
        by_rule.entry(&exemption.rule).or_default().push(exemption);
    }
    let mut suppressed = Vec::new();
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        let candidates = by_rule.get(finding.rule.as_str());
        match candidates.and_then(|c| c.iter().find(|e| e.covers(&finding))) {
            Some(exemption) => suppressed.push(Suppressed {
                finding,
                suppressed_by: SuppressedBy::Exemption,
                reason: Some(exemption.reason.clone()),
            }),
            None => kept.push(finding),
        }
    }
    *findings = kept;

    if let (false, Some(meta)) = (expired.is_empty(), meta_rule(EXPIRED)) {
        if let Some(severity) = step.severity(&meta) {
            let config = step.settings.source.as_deref();
            let config_path = config.and_then(|c| relative_to(c, step.repo.root()));
            let config_name = config.map(|c| c.display().to_string()).unwrap_or_default();
            let mut emitter = Emitter::new(&meta, severity);
            for e in expired {
                let last = e.expires.map(|d| d.to_string()).unwrap_or_default();
                let message = match &config_path {
                    Some(_) => format!("exemption for `{}` expired on {last} and no longer applies (reason given: {})", e.rule, e.reason),
                    None => format!("exemption for `{}` in {config_name} (line {}) expired on {last} and no longer applies (reason given: {})", e.rule, e.line, e.reason),
                };
                let finding = emitter.missing(message);
                if let Some(path) = &config_path {
                    let indent = e.line_text.len() - e.line_text.trim_start().len();
                    finding.location = Location {
                        path: Some(path.clone()),
                        line: Some(e.line),
                        column: Some(indent as u32 + 1),
                        width: Some(e.line_text.trim().chars().count().max(1) as u32),
                        excerpt: Some(crate::finding::Excerpt::around(
                            &e.line_text,
                            indent..e.line_text.len(),
                            indent as u32 + 1,
                        )),
                        line_key: Some(super::line_key(&meta.id, path, &e.line_text)),
                    };
                }
            }
            findings.extend(emitter.into_findings());
        }
    }
    suppressed
}
