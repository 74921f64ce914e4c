//! Check kind `maintainers`: the repository names the people responsible for it, reachable by a
//! handle or an e-mail address, and more than one of them (the bus factor).

use serde::Deserialize;

use super::owner_files::{people, people_in_section};
use super::{Check, Emitter, RepoContext};
use crate::finding::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Maintainers {
    pub artifact: String,
    /// Fewer distinct people than this is a bus-factor warning.
    #[serde(default = "two")]
    pub min_people: usize,
    /// Roles whose documents may state the repository's own rule on maintainers.
    #[serde(default)]
    pub policies: Vec<String>,
}

static MORE_MAINTAINERS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(at least|a minimum of|minimum of|no fewer than) (two|2|three|3) (active )?maintainers\b").expect("valid regex")
});

fn two() -> usize {
    2
}

impl Check for Maintainers {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let docs = cx.artifacts.documents(&self.artifact);
        let Some(primary) = docs.first() else {
            if self.section_stands_in(cx, out) {
                return;
            }
            let where_ = cx.artifacts.describe_locations(&self.artifact);
            out.missing(format!("no maintainers list found ({where_})"));
            return;
        };
        // An AUTHORS file credits who wrote the code; it does not say who maintains it now.
        let lists: Vec<_> = docs.iter().filter(|d| !is_authors(&d.path)).collect();
        if lists.is_empty() {
            out.file(&primary.path, format!("no maintainers list: {} credits the authors, not the people who maintain the project now", primary.path));
            return;
        }
        let mut identities: Vec<(String, &str, u32)> = Vec::new();
        let mut teams = 0;
        let mut unreachable = 0;
        for doc in &lists {
            let found = people(doc);
            teams += found.teams.len();
            unreachable += found.unreachable;
            for (id, line) in found.identities {
                if !identities.iter().any(|(existing, _, _)| *existing == id) {
                    identities.push((id, doc.path.as_str(), line));
                }
            }
        }
        let first = lists[0];
        if identities.is_empty() && teams == 0 {
            let message = if unreachable > 0 {
                format!(
                    "{} names people but no GitHub handle or e-mail address to reach a maintainer",
                    first.path
                )
            } else {
                format!("{} lists no maintainers", first.path)
            };
            out.file(&first.path, message);
            return;
        }
        // A team handle stands for several people.
        if teams == 0 && identities.len() < self.min_people {
            let (id, path, line) = &identities[0];
            let message = format!(
                "only one maintainer is named ({id}): when they are unavailable nobody can review or release (bus factor 1)"
            );
            let finding = match cx.repo.document_at(path) {
                Some(doc) if (*line as usize) <= doc.line_count() => {
                    out.at_line(&doc, *line, message)
                }
                _ => out.file(path, message),
            };
            finding
                .at_most(Severity::Warning)
                .help("Name a second maintainer with a GitHub handle or e-mail address, so reviews and releases do not depend on one person.");
            // The repository's own rules may ask for more: point at that contradiction too.
            for role in &self.policies {
                for doc in cx.artifacts.documents(role) {
                    if let Some(m) = doc.prose(doc.full()).iter().find_map(|(offset, piece)| {
                        MORE_MAINTAINERS
                            .find(piece)
                            .map(|m| offset + m.start()..offset + m.end())
                    }) {
                        out.at(&doc, m, format!("{} asks for at least two maintainers, but {path} names one", doc.path))
                            .at_most(Severity::Warning)
                            .help("Follow the repository's own rule: name a second maintainer, or change the rule.");
                        return;
                    }
                }
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        let mut roles = vec![self.artifact.as_str()];
        roles.extend(self.policies.iter().map(String::as_str));
        roles
    }
}

impl Maintainers {
    /// A section that names the maintainers (README § Maintainers, CONTRIBUTING § Team) stands in
    /// for the file when it names someone reachable; one person is the bus-factor warning, as in
    /// a file. Whether a section stood in.
    fn section_stands_in(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) -> bool {
        let resolved = cx.artifacts.resolve(&self.artifact);
        for &(id, h) in resolved.readme_section.iter().chain(&resolved.sections) {
            let Some(doc) = cx.repo.document(id) else {
                continue;
            };
            let heading = &doc.headings[h];
            let found = people_in_section(&doc, heading.section.clone());
            if found.identities.is_empty() && found.teams.is_empty() {
                continue;
            }
            if found.teams.is_empty() && found.identities.len() < self.min_people {
                let (who, line) = &found.identities[0];
                out.at_line(&doc, *line, format!(
                    "only one maintainer is named ({who}, in the section \"{}\" of {}): when they are unavailable nobody can review or release (bus factor 1)",
                    heading.text, doc.path
                ))
                .at_most(Severity::Warning)
                .help("Name a second maintainer with a GitHub handle or e-mail address, so reviews and releases do not depend on one person.");
            }
            return true;
        }
        false
    }
}

fn is_authors(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_uppercase();
    name == "AUTHORS" || name.starts_with("AUTHORS.")
}

#[cfg(test)]
mod tests {
    #[test]
    fn policy_sentence() {
        let line = "1. All projects MUST include an Maintainers.md/rst file listing at least two active maintainers by name and contact email.";
        assert!(super::MORE_MAINTAINERS.is_match(line));
    }
}
