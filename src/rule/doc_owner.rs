//! Check kind `doc-owner`: every governance or policy document has someone responsible for it —
//! an `owner` in its front matter, an `Owner:` line, or a CODEOWNERS/OWNERS entry covering its path.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::owner_files::{people, CodeOwners};
use super::{Check, Emitter, RepoContext};
use crate::doc::Document;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocOwner {
    /// Roles whose documents need an owner.
    pub roles: Vec<String>,
}

/// Front matter keys naming an owner.
const OWNER_KEYS: [&str; 6] = [
    "owner",
    "owners",
    "owner_slack",
    "maintainer",
    "maintainers",
    "document_owner",
];

static OWNER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[\s>*_-]*(?:\*\*|__)?(?:document |page |policy )?owners?(?:\*\*|__)?\s*(?:\*\*|__)?\s*:\s*\S").expect("valid regex")
});

/// What every owner line contains. The line pattern has no literal the regex engine can skip to
/// (it starts with optional markup), so it reads every byte; this finds the documents that can
/// have one at several times the speed.
static OWNER_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)owner").expect("valid regex"));

impl Check for DocOwner {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let index = cx.repo.index();
        let codeowners: Vec<CodeOwners> = cx
            .artifacts
            .resolve("codeowners")
            .files
            .iter()
            .filter_map(|id| cx.repo.document(*id))
            .map(|doc| CodeOwners::parse(&doc))
            .collect();
        // Prow OWNERS files with at least one person, by folder.
        let owners_dirs: Vec<String> = index
            .ids()
            .filter(|id| {
                let path = index.path(*id);
                path == "OWNERS" || path.ends_with("/OWNERS")
            })
            .filter(|id| {
                cx.repo
                    .document(*id)
                    .is_some_and(|d| !people(&d).identities.is_empty())
            })
            .map(|id| {
                index
                    .path(id)
                    .rsplit_once('/')
                    .map_or(String::new(), |(dir, _)| dir.to_string())
            })
            .collect();
        let mut seen = Vec::new();
        let mut unowned = Vec::new();
        for role in &self.roles {
            for doc in cx.artifacts.documents(role) {
                if seen.contains(&doc.path) {
                    continue;
                }
                seen.push(doc.path.clone());
                // A document that hands its subject to another organisation's text, or that
                // names the address answering for it (the security list, the conduct team), has
                // someone responsible already.
                let owned = has_owner_field(&doc)
                    || delegates_elsewhere(&doc)
                    || names_a_contact_address(&doc)
                    || codeowners.iter().any(|c| c.covers(&doc.path))
                    || owners_dirs
                        .iter()
                        .any(|dir| dir.is_empty() || doc.path.starts_with(&format!("{dir}/")));
                if !owned {
                    unowned.push(doc.path.clone());
                }
            }
        }
        let codeowners_path = cx
            .artifacts
            .resolve("codeowners")
            .primary()
            .map_or(".github/CODEOWNERS", |id| index.path(id));
        // One finding per folder: one CODEOWNERS line gives every document in it an owner.
        for (folder, paths) in super::group_by_folder(unowned) {
            // A folder's documents share one CODEOWNERS line; root files need a line each.
            let lines = if !folder.is_empty() {
                format!("`/{folder}/ @your-team`")
            } else if paths.len() == 1 {
                format!("`/{} @your-team`", paths[0])
            } else {
                format!("a line per document (`/{} @your-team`, …)", paths[0])
            };
            let message = match paths.as_slice() {
                [one] => format!("{one} names no owner responsible for keeping it current"),
                many => format!(
                    "{} governance documents in {} name no owner responsible for keeping them current: {}",
                    many.len(),
                    if folder.is_empty() {
                        "the root".to_string()
                    } else {
                        format!("`{folder}/`")
                    },
                    many.join(", ")
                ),
            };
            let templates: Vec<&String> = paths.iter().filter(|p| cx.is_template(p)).collect();
            let finding = out.file(&paths[0], message);
            if templates.len() == paths.len() {
                finding
                    .at_most(crate::finding::Severity::Info)
                    .help("These documents are templates: the repository made from them names its owners.");
                continue;
            }
            finding.help(format!(
                "Add {lines} to {codeowners_path} (GitHub then asks that team to review changes), or name an owner in each document's front matter (`owner: \"@your-team\"`)."
            ));
        }
    }

    fn roles(&self) -> Vec<&str> {
        let mut roles: Vec<&str> = self.roles.iter().map(String::as_str).collect();
        roles.push("codeowners");
        roles
    }
}

/// Words of a pointer document at most: "This project follows the foundation's code of conduct."
const POINTER_WORDS: usize = 40;

/// A short document whose substance is a link to another site: a foundation's code of conduct,
/// an organisation-wide security policy. Its owner is the other text's.
fn delegates_elsewhere(doc: &Document) -> bool {
    let words = doc
        .prose(doc.full())
        .iter()
        .flat_map(|(_, piece)| piece.split_whitespace())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(POINTER_WORDS + 1)
        .count();
    words <= POINTER_WORDS
        && doc
            .links
            .iter()
            .any(|l| l.is_external() && !l.target.starts_with("mailto:"))
}

/// Whether the document gives an e-mail address to write to about its subject.
fn names_a_contact_address(doc: &Document) -> bool {
    static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
            .expect("valid regex")
    });
    doc.links.iter().any(|l| l.target.starts_with("mailto:"))
        || doc
            .prose(doc.full())
            .iter()
            .any(|(_, piece)| ADDRESS.is_match(piece))
}

fn has_owner_field(doc: &Document) -> bool {
    let in_front_matter = doc.front_matter.as_ref().is_some_and(|fm| {
        OWNER_KEYS.iter().any(|key| {
            fm.get(key)
                .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
        })
    });
    in_front_matter
        || (OWNER_WORD.is_match(&doc.text)
            && doc
                .prose(doc.full())
                .iter()
                .any(|(_, piece)| OWNER_LINE.is_match(piece)))
}

#[cfg(test)]
mod tests {
    use super::has_owner_field;
    use crate::doc::Document;

    fn doc(text: &str) -> Document {
        Document::parse("policies/usage.md", text.to_string())
    }

    #[test]
    fn owner_in_front_matter_or_on_a_line() {
        assert!(has_owner_field(&doc(
            "---\nowner_slack: \"#ospo\"\n---\n# Usage policy\n"
        )));
        assert!(has_owner_field(&doc(
            "# Usage policy\n\n**Document owner:** OSPO legal team\n"
        )));
        assert!(has_owner_field(&doc(
            "# Usage policy\n\nOwner: @acme/ospo\n"
        )));
        assert!(!has_owner_field(&doc(
            "# Usage policy\n\nOwners of open source projects must register them.\n"
        )));
        assert!(!has_owner_field(&doc(
            "# Usage policy\n\n```yaml\nowner: example\n```\n"
        )));
    }
}
