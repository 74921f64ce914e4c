//! Check kind `group-entries`: a roster or map has an entry for every group (every role of a team,
//! every stakeholder petal), and each entry also says something concrete: a named person, a channel.
//!
//! Entries are table rows, list items and paragraphs; an entry belongs to a group when its text or
//! the heading above it names the group.

use serde::Deserialize;

use super::scope::{self, ScopeSource};
use super::topic_coverage::{report_at, Message};
use super::{Check, Emitter, RepoContext};
use crate::doc::Document;
use crate::pattern::{Pattern, Patterns};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupEntries {
    /// Where the roster or map is.
    pub scope: Vec<ScopeSource>,
    /// Reported when the scope is empty; silent without it.
    pub missing: Option<Message>,
    pub groups: Vec<Group>,
    /// What an entry must hold besides naming its group.
    pub with: Requirement,
    /// Reported once when no group has a complete entry (rather than once per group).
    pub none: Message,
    /// Message for a group without a complete entry; `{group}` is replaced by the group's name.
    pub unmet: String,
    /// Fix for a single group.
    pub fix: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    pub pattern: Patterns,
}

/// A person (a name, a handle, an e-mail address, a profile link), or text matching a pattern.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    #[serde(default)]
    pub person: bool,
    /// Capitalized words that are not names (role titles, organization words); anchor it (`^(…)$`)
    /// so that it matches whole words.
    pub not_names: Option<Pattern>,
    pub pattern: Option<Patterns>,
}

impl Requirement {
    fn holds(&self, text: &str) -> bool {
        self.pattern.as_ref().is_some_and(|p| p.is_match(text))
            || (self.person && names_a_person(text, self.not_names.as_ref()))
    }
}

impl Check for GroupEntries {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let units = scope::resolve(cx, &self.scope);
        let Some(first) = units.first() else {
            if let Some(missing) = &self.missing {
                out.missing(missing.message.clone())
                    .help(missing.fix.clone());
            }
            return;
        };
        let mut texts: Vec<(String, Option<String>)> = Vec::new();
        for unit in &units {
            for entry in scope::entries(&unit.doc, unit.range.clone()) {
                texts.push((visible(&unit.doc, entry.range), entry.context));
            }
        }
        let complete: Vec<bool> = self
            .groups
            .iter()
            .map(|group| {
                texts.iter().any(|(text, context)| {
                    let named = group.pattern.is_match(text)
                        || context
                            .as_deref()
                            .is_some_and(|c| group.pattern.is_match(c));
                    named && self.with.holds(text)
                })
            })
            .collect();
        if !complete.contains(&true) {
            report_at(out, first, self.none.message.clone()).help(self.none.fix.clone());
            return;
        }
        for (group, _) in self.groups.iter().zip(complete).filter(|(_, done)| !done) {
            report_at(out, first, self.unmet.replace("{group}", &group.name))
                .help(self.fix.replace("{group}", &group.name));
        }
    }

    fn roles(&self) -> Vec<&str> {
        self.scope.iter().flat_map(ScopeSource::roles).collect()
    }
}

/// The visible text of a range: code, comments and front matter left out.
fn visible(doc: &Document, range: std::ops::Range<usize>) -> String {
    doc.prose(range)
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` names a person: an @handle, an e-mail address, a profile link, or two or more
/// capitalized words in a row that are not role or organization words.
pub(crate) fn names_a_person(text: &str, not_names: Option<&Pattern>) -> bool {
    if text.contains("github.com/") || text.contains("linkedin.com/in/") {
        return true;
    }
    let mut run = 0;
    for raw in text.split(|c: char| {
        c.is_whitespace() || matches!(c, '|' | ',' | ';' | '(' | ')' | '[' | ']' | '*' | '_')
    }) {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '.');
        if is_handle(word) || is_email(word) {
            return true;
        }
        let word = word.trim_end_matches('.');
        let capitalized = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().skip(1).any(char::is_lowercase)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'));
        let initial =
            word.chars().count() == 1 && word.chars().all(char::is_uppercase) && raw.ends_with('.');
        let stop = not_names.is_some_and(|p| p.is_match(word));
        if (capitalized || initial) && !stop {
            run += 1;
            if run >= 2 {
                return true;
            }
        } else {
            run = 0;
        }
        // A name does not run across the end of a sentence or a clause.
        if raw.ends_with(['.', ':']) && !initial {
            run = 0;
        }
    }
    false
}

fn is_handle(word: &str) -> bool {
    word.strip_prefix('@').is_some_and(|h| {
        h.len() >= 2
            && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && h.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

fn is_email(word: &str) -> bool {
    match word.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.ends_with('.')
                && !domain.starts_with('.')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_told_from_role_titles() {
        let stop = Pattern::new(
            "^(open|source|program|manager|legal|counsel|lead|security|officer|chief|tbd)$",
        )
        .unwrap();
        assert!(names_a_person("| Legal | Jane Doe |", Some(&stop)));
        assert!(names_a_person("Security: @octocat", Some(&stop)));
        assert!(names_a_person("ospo-legal@acme.example", Some(&stop)));
        assert!(names_a_person("Lead: Ada K. Lovelace", Some(&stop)));
        assert!(!names_a_person(
            "| Open Source Program Manager | TBD |",
            Some(&stop)
        ));
        assert!(!names_a_person("Chief Security Officer", Some(&stop)));
        assert!(!names_a_person("Legal. Security", Some(&stop)));
    }
}
