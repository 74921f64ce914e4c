//! Check kind `placeholder-text`: unfilled template text left in a document.

use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::finding::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderText {}

/// A file that is itself a template: placeholders there are expected until someone uses it.
pub(crate) fn is_template_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.contains("{{") || lower.split('/').any(|part| part.contains("template"))
}

impl Check for PlaceholderText {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        for doc in cx.markup_documents() {
            let expected = cx.settings.template || is_template_path(&doc.path);
            for m in doc.placeholders(cx.placeholders) {
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
                }
            }
        }
    }
}
