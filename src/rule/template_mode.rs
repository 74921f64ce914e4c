//! Template mode: whether a repository, or a folder of it, is a template whose placeholders are
//! there on purpose, decided from evidence in the repository (the vocabulary is data, in the
//! `[template]` table of `rules/placeholders.toml`): a root README that says the repository is a
//! template or tells its users which tokens to replace, a template generator's file
//! (`cookiecutter.json`: its folder is the template), a file that declares the repository a template
//! (GitHub's template flag kept by the settings app).

use crate::doc::{Hidden, TemplateEvidence};
use crate::scan::Repository;

/// A folder that is a template, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateScope {
    /// Repository-relative, without a trailing `/`; empty for the whole repository.
    pub folder: String,
    /// What says so, for the finding's help: `the README says "this is a template repository"`.
    pub evidence: String,
}

impl TemplateScope {
    pub fn covers(&self, path: &str) -> bool {
        self.folder.is_empty()
            || path
                .strip_prefix(self.folder.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// Every template folder of `repo` the evidence shows, the whole repository first.
pub fn detect(repo: &Repository, evidence: &TemplateEvidence) -> Vec<TemplateScope> {
    let index = repo.index();
    let mut scopes = Vec::new();
    for (path, pattern) in &evidence.declarations {
        let declared = repo
            .document_at(path)
            .is_some_and(|doc| pattern.is_match(doc.text.as_str()));
        if declared {
            scopes.push(TemplateScope {
                folder: String::new(),
                evidence: format!("{path} declares the repository a template"),
            });
        }
    }
    let readme = index
        .files_in("")
        .filter(|&id| index.kind(id).is_markup())
        .find(|&id| index.lower_file_name(id).starts_with("readme."));
    if let Some(doc) = readme.and_then(|id| repo.document(id)) {
        let lower = match doc.haystack(doc.full()).lower() {
            Some(lower) => std::borrow::Cow::Borrowed(lower),
            None => std::borrow::Cow::Owned(doc.text.to_ascii_lowercase()),
        };
        let said = evidence.readme_candidates(&lower).find_map(|pattern| {
            // The document's own haystack: an ASCII README is searched in its lower-cased copy.
            pattern
                .find_iter(doc.haystack(doc.full()))
                .find(|m| {
                    doc.hidden_at(m.start())
                        .is_none_or(|h| h.kind == Hidden::InlineCode)
                })
                .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" "))
        });
        if let Some(said) = said {
            scopes.push(TemplateScope {
                folder: String::new(),
                evidence: format!("{} says \"{said}\"", doc.path),
            });
        }
    }
    for id in index.ids() {
        let name = index.lower_file_name(id);
        if evidence.generator_files.iter().any(|f| f == name) {
            let path = index.path(id);
            let folder = path.rsplit_once('/').map_or("", |(dir, _)| dir);
            scopes.push(TemplateScope {
                folder: folder.to_string(),
                evidence: format!("{path} makes its folder a template"),
            });
        }
    }
    scopes
}
