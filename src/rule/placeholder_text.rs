//! Check kind `placeholder-text`: unfilled template text left in a document.
//!
//! Where a placeholder may match is the document model's business (never in code, never a word
//! marker in a comment or URL, never a name such as "TODO Group"); this check decides how serious
//! it is: expected in templates (info), worse in the files error-severity rules depend on.

use serde::Deserialize;

use super::broken_relative_link::target_exists;
use super::{Check, Emitter, RepoContext};
use crate::finding::Severity;
use crate::scan::FileId;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderText {
    /// Roles read by error-severity rules: a placeholder there (a security contact left as
    /// `[INSERT EMAIL ADDRESS]`) is an error.
    #[serde(default)]
    pub error_roles: Vec<String>,
}

impl Check for PlaceholderText {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let strict = out.at_default_severity();
        let error_files: Vec<FileId> = self
            .error_roles
            .iter()
            .flat_map(|r| cx.artifacts.resolve(r).files.clone())
            .collect();
        for doc in cx.markup_documents() {
            let expected = cx.is_template(&doc.path);
            let critical = strict
                && !expected
                && cx
                    .repo
                    .index()
                    .find(&doc.path)
                    .is_some_and(|id| error_files.contains(&id));
            // A link to a folder literally named `{{cookiecutter.project_slug}}` is not a placeholder.
            let existing_targets: Vec<std::ops::Range<usize>> = doc
                .links
                .iter()
                .filter(|l| {
                    l.target.contains("{{")
                        && !l.is_external()
                        && target_exists(cx, &doc, &l.target)
                })
                .map(|l| l.span.clone())
                .collect();
            for m in doc.placeholders(cx.placeholders) {
                if existing_targets
                    .iter()
                    .any(|span| span.contains(&m.range.start))
                {
                    continue;
                }
                let shown: String = m.text.chars().take(60).collect();
                let finding = out.at(
                    &doc,
                    m.range.clone(),
                    format!("placeholder text `{}` left in the document", shown.trim()),
                );
                if expected {
                    finding
                        .at_most(Severity::Info)
                        .help("This file is a template, so the placeholder is expected; fill it in when the template is used.");
                } else if critical {
                    finding.raise_to(Severity::Error);
                }
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        self.error_roles.iter().map(String::as_str).collect()
    }
}
