//! Check kind `empty-section`: a heading with nothing under it before the next heading of the same
//! or a higher level.

use globset::{GlobSet, GlobSetBuilder};
use serde::{Deserialize, Deserializer};

use super::{Check, Emitter, RepoContext};
use crate::doc::Hidden;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmptySection {
    /// Files where empty sections are by design (issue and pull-request templates).
    #[serde(default, deserialize_with = "globs")]
    pub skip: GlobSet,
}

pub(crate) fn globs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<GlobSet, D::Error> {
    let patterns = Vec::<String>::deserialize(deserializer)?;
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(&p)
            .case_insensitive(true)
            .build()
            .map_err(|e| serde::de::Error::custom(format!("invalid glob `{p}`: {e}")))?;
        builder.add(glob);
    }
    builder.build().map_err(serde::de::Error::custom)
}

impl Check for EmptySection {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        for doc in cx.markup_documents() {
            if self.skip.is_match(&doc.path) {
                continue;
            }
            for (i, h) in doc.headings.iter().enumerate() {
                let has_subsection = doc
                    .headings
                    .get(i + 1)
                    .is_some_and(|next| next.level > h.level);
                if has_subsection {
                    continue;
                }
                let has_code = doc.hidden.iter().any(|r| {
                    r.kind == Hidden::CodeBlock
                        && h.own_body.start <= r.range.start
                        && r.range.start < h.own_body.end
                });
                if has_code || doc.has_words(h.own_body.clone(), cx.placeholders) {
                    continue;
                }
                let message = if h.text.is_empty() {
                    "heading without text and without content".to_string()
                } else {
                    format!("section \"{}\" is empty", h.text)
                };
                out.at(&doc, h.span.clone(), message);
            }
        }
    }
}
