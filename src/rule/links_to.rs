//! Check kind `links-to`: one artifact links to another artifact or to a matching URL.

use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::doc::LinkKind;
use crate::pattern::Patterns;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinksTo {
    pub artifact: String,
    /// A role whose file the link must point at.
    pub target: Option<String>,
    /// Or a URL (or link text) matching this.
    pub url: Option<Patterns>,
    /// What is linked to, in words: "the code of conduct".
    pub description: String,
}

impl Check for LinksTo {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let docs = cx.artifacts.documents(&self.artifact);
        let Some(primary) = docs.first() else {
            return;
        };
        let targets: Vec<String> = self
            .target
            .as_deref()
            .map(|role| {
                cx.artifacts
                    .resolve(role)
                    .files
                    .iter()
                    .map(|id| cx.repo.index().path(*id).to_string())
                    .collect()
            })
            .unwrap_or_default();
        let linked = docs.iter().any(|doc| {
            doc.links
                .iter()
                .filter(|l| l.kind != LinkKind::Image)
                .any(|link| {
                    let by_url = self
                        .url
                        .as_ref()
                        .is_some_and(|p| p.is_match(&link.target) || p.is_match(&link.text));
                    let by_role = !link.is_external()
                        && crate::doc::resolve_link_path(&doc.path, &link.target)
                            .is_some_and(|p| targets.iter().any(|t| t.eq_ignore_ascii_case(&p)));
                    by_url || by_role
                })
        });
        if !linked {
            out.file(&primary.path, format!("no link to {}", self.description));
        }
    }

    fn roles(&self) -> Vec<&str> {
        let mut roles = vec![self.artifact.as_str()];
        roles.extend(self.target.as_deref());
        roles
    }
}
