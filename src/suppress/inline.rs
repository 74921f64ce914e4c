//! Inline suppressions: HTML comments in Markdown documents.
//!
//! ```markdown
//! <!-- ospolint-disable-next-line hygiene/placeholder-text -- filled in at release time -->
//! <!-- ospolint-disable hygiene/empty-section --> … <!-- ospolint-enable hygiene/empty-section -->
//! <!-- ospolint-disable-file hygiene/broken-relative-link -- links into the generated site -->
//! ```
//!
//! Several rule ids may be given, separated by spaces or commas; the reason follows `--`.

use std::collections::BTreeMap;
use std::ops::{Range, RangeInclusive};
use std::sync::Arc;

use super::{
    meta_rule, Step, Suppressed, SuppressedBy, INVALID, META_RULE_IDS, UNKNOWN_RULE, UNUSED,
};
use crate::diagnostic::suggest;
use crate::doc::{DocKind, Document, Hidden};
use crate::finding::Finding;
use crate::rule::Emitter;

const PREFIX: &str = "ospolint-";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Disable,
    Enable,
    File,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::NextLine => "ospolint-disable-next-line",
            Kind::Disable => "ospolint-disable",
            Kind::Enable => "ospolint-enable",
            Kind::File => "ospolint-disable-file",
        }
    }
}

/// One comment, as written.
#[derive(Debug)]
struct Directive {
    kind: Kind,
    rules: Vec<String>,
    reason: Option<String>,
    /// The comment's byte range, for findings about it.
    span: Range<usize>,
    /// Line where the comment ends: `disable-next-line` covers the line after it.
    end_line: u32,
    line: u32,
}

/// Where one rule is suppressed, and by which directive.
#[derive(Debug)]
struct Scope {
    rule: String,
    path: String,
    /// `None`: the whole file, findings without a line included.
    lines: Option<RangeInclusive<u32>>,
    directive: usize,
    used: bool,
}

/// A malformed comment or a rule id that does not exist, reported once the scan is done.
enum Problem {
    Invalid(usize, String),
    Unknown(usize, String),
}

pub(super) fn apply(step: &Step<'_>, findings: &mut Vec<Finding>) -> Vec<Suppressed> {
    let mut suppressed = Vec::new();
    let mut reports = Vec::new();
    for doc in documents(step) {
        let (directives, mut problems) = parse(&doc);
        if directives.is_empty() && problems.is_empty() {
            continue;
        }
        let mut scopes = scopes(&doc, &directives, &mut problems);
        for (i, d) in directives.iter().enumerate() {
            for rule in &d.rules {
                if !is_known(step, rule) {
                    problems.push(Problem::Unknown(i, rule.clone()));
                }
            }
        }

        let mut kept = Vec::with_capacity(findings.len());
        for finding in findings.drain(..) {
            let hit = (finding.location.path.as_deref() == Some(doc.path.as_str()))
                .then(|| scopes.iter_mut().find(|s| s.covers(&finding)))
                .flatten();
            match hit {
                Some(scope) => {
                    scope.used = true;
                    suppressed.push(Suppressed {
                        reason: directives[scope.directive].reason.clone(),
                        finding,
                        suppressed_by: SuppressedBy::Inline,
                    });
                }
                None => kept.push(finding),
            }
        }
        *findings = kept;

        // Findings about the comments are per-document findings: in pre-commit mode, only for the
        // files that were given.
        if !step.in_focus(&doc.path) {
            continue;
        }
        for problem in problems {
            let (id, i, message, help) = match problem {
                Problem::Invalid(i, message) => (INVALID, i, message, None),
                Problem::Unknown(i, rule) => {
                    let help = match suggest(&rule, step.settings.catalog.ids()) {
                        Some(s) => format!("did you mean `{s}`? `ospolint rules` lists every rule"),
                        None => "`ospolint rules` lists every rule".to_string(),
                    };
                    (
                        UNKNOWN_RULE,
                        i,
                        format!("suppression comment names unknown rule `{rule}`"),
                        Some(help),
                    )
                }
            };
            reports.push((id, doc.clone(), span_of(&directives, i), message, help));
        }
        for scope in scopes
            .iter()
            .filter(|s| !s.used && step.rules_run.contains(&s.rule))
        {
            let d = &directives[scope.directive];
            let message = format!("`{} {}` suppresses no finding", d.kind.word(), scope.rule);
            reports.push((UNUSED, doc.clone(), d.span.clone(), message, None));
        }
    }
    for (id, doc, span, message, help) in reports {
        let Some(meta) = meta_rule(id) else { continue };
        let Some(severity) = step.severity(&meta) else {
            continue;
        };
        let mut emitter = Emitter::new(&meta, severity);
        let finding = emitter.at(&doc, span, message);
        if let Some(help) = help {
            finding.help(help);
        }
        findings.extend(emitter.into_findings());
    }
    suppressed
}

fn span_of(directives: &[Directive], i: usize) -> Range<usize> {
    directives[i].span.clone()
}

/// Rule ids a comment may name: the catalog's and this module's own.
fn is_known(step: &Step<'_>, rule: &str) -> bool {
    step.settings.catalog.get(rule).is_some() || META_RULE_IDS.contains(&rule)
}

/// The Markdown documents whose comments count: every one in a full run; in pre-commit mode the
/// given files plus any document a rule already read (a repository-level finding in CONTRIBUTING.md
/// is suppressed the same way in both modes).
fn documents(step: &Step<'_>) -> Vec<Arc<Document>> {
    let index = step.repo.index();
    let mut docs: BTreeMap<String, Arc<Document>> = BTreeMap::new();
    let wanted = index
        .ids()
        .filter(|id| index.kind(*id) == DocKind::Markdown)
        .filter(|id| step.in_focus(index.path(*id)));
    for id in wanted {
        if let Some(doc) = step.repo.document(id) {
            docs.insert(doc.path.clone(), doc);
        }
    }
    for doc in step.repo.loaded_documents() {
        if doc.kind == DocKind::Markdown {
            docs.entry(doc.path.clone()).or_insert(doc);
        }
    }
    docs.into_values()
        .filter(|d| d.text.contains(PREFIX))
        .collect()
}

/// The directives in a document's HTML comments, and the comments that start like one but are not.
fn parse(doc: &Document) -> (Vec<Directive>, Vec<Problem>) {
    let mut directives = Vec::new();
    let mut problems = Vec::new();
    for hidden in doc.hidden.iter().filter(|h| h.kind == Hidden::HtmlComment) {
        let raw = &doc.text[hidden.range.clone()];
        let inner = raw
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        if !inner.starts_with(PREFIX) {
            continue;
        }
        let (word, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let line = doc.line_of(hidden.range.start);
        let end_line = doc.line_of(hidden.range.end.saturating_sub(1).max(hidden.range.start));
        let kind = match word {
            "ospolint-disable-next-line" => Some(Kind::NextLine),
            "ospolint-disable" => Some(Kind::Disable),
            "ospolint-enable" => Some(Kind::Enable),
            "ospolint-disable-file" => Some(Kind::File),
            _ => None,
        };
        let (rules_text, reason) = split_reason(rest);
        let rules: Vec<String> = rules_text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        directives.push(Directive {
            kind: kind.unwrap_or(Kind::Disable),
            rules: if kind.is_some() {
                rules.clone()
            } else {
                Vec::new()
            },
            reason,
            span: hidden.range.clone(),
            end_line,
            line,
        });
        let i = directives.len() - 1;
        match kind {
            None => {
                let hint = suggest(
                    word,
                    [Kind::NextLine, Kind::Disable, Kind::Enable, Kind::File].map(Kind::word),
                )
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
                problems.push(Problem::Invalid(
                    i,
                    format!("unknown directive `{word}`{hint}; this comment suppresses nothing"),
                ));
            }
            Some(kind) if rules.is_empty() => {
                problems.push(Problem::Invalid(
                    i,
                    format!(
                        "`{}` names no rule; give the rule ids to suppress",
                        kind.word()
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    (directives, problems)
}

/// Splits `rule/a rule/b -- the reason` at a `--` that stands on its own.
fn split_reason(rest: &str) -> (&str, Option<String>) {
    let bytes = rest.as_bytes();
    for (i, _) in rest.match_indices("--") {
        let before_ok = i == 0 || bytes[i - 1].is_ascii_whitespace();
        let after_ok = i + 2 == bytes.len() || bytes[i + 2].is_ascii_whitespace();
        if before_ok && after_ok {
            let reason = rest[i + 2..].trim();
            return (&rest[..i], (!reason.is_empty()).then(|| reason.to_string()));
        }
    }
    (rest, None)
}

/// Turns directives into scopes, pairing `disable` with `enable` per rule.
fn scopes(doc: &Document, directives: &[Directive], problems: &mut Vec<Problem>) -> Vec<Scope> {
    let mut scopes = Vec::new();
    let mut open: BTreeMap<&str, (u32, usize)> = BTreeMap::new();
    let scope = |rule: &str, lines: Option<RangeInclusive<u32>>, directive: usize| Scope {
        rule: rule.to_string(),
        path: doc.path.clone(),
        lines,
        directive,
        used: false,
    };
    for (i, d) in directives.iter().enumerate() {
        for rule in &d.rules {
            match d.kind {
                Kind::NextLine => {
                    scopes.push(scope(rule, Some(d.end_line + 1..=d.end_line + 1), i))
                }
                Kind::File => scopes.push(scope(rule, None, i)),
                Kind::Disable => {
                    if open.insert(rule, (d.line, i)).is_some() {
                        problems.push(Problem::Invalid(i, format!("`{rule}` is already disabled above; `ospolint-disable` again has no effect")));
                    }
                }
                Kind::Enable => match open.remove(rule.as_str()) {
                    Some((start, j)) => scopes.push(scope(rule, Some(start..=d.line), j)),
                    None => problems.push(Problem::Invalid(
                        i,
                        format!(
                            "`ospolint-enable {rule}` without an earlier `ospolint-disable {rule}`"
                        ),
                    )),
                },
            }
        }
    }
    // A disable never enabled again lasts to the end of the file.
    for (rule, (start, j)) in open {
        scopes.push(scope(rule, Some(start..=u32::MAX), j));
    }
    scopes.sort_by_key(|s| s.directive);
    scopes
}

impl Scope {
    fn covers(&self, finding: &Finding) -> bool {
        if finding.rule != self.rule || finding.location.path.as_deref() != Some(self.path.as_str())
        {
            return false;
        }
        match (&self.lines, finding.location.line) {
            (None, _) => true,
            (Some(lines), Some(line)) => lines.contains(&line),
            (Some(_), None) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_follows_a_standalone_double_dash() {
        assert_eq!(
            split_reason(" a/b c/d -- why not"),
            (" a/b c/d ", Some("why not".to_string()))
        );
        assert_eq!(split_reason(" a/b--c"), (" a/b--c", None));
        assert_eq!(split_reason(" a/b --"), (" a/b ", None));
    }

    #[test]
    fn directives_are_read_from_comments_only() {
        let text = "# T\n\n<!-- ospolint-disable-next-line a/b, c/d -- reason -->\nline\n\n```\n<!-- ospolint-disable x/y -->\n```\n";
        let doc = Document::parse("README.md", text.to_string());
        let (directives, problems) = parse(&doc);
        assert!(problems.is_empty());
        assert_eq!(directives.len(), 1);
        assert_eq!(directives[0].rules, ["a/b", "c/d"]);
        assert_eq!(directives[0].reason.as_deref(), Some("reason"));
        assert_eq!(directives[0].end_line, 3);
    }
}
