//! Check kind `artifact-present`: a governance role is played by some file in the repository.

use serde::Deserialize;

use super::{Check, Emitter, RepoContext};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArtifactPresent {
    /// The role, as named in `rules/artifacts.toml`.
    pub artifact: String,
    /// Whether a README section or README link may stand in for the file.
    #[serde(default = "yes")]
    pub readme_fallback: bool,
}

fn yes() -> bool {
    true
}

impl Check for ArtifactPresent {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let resolved = cx.artifacts.resolve(&self.artifact);
        let stand_in = resolved.readme_section.is_some() || resolved.readme_link.is_some();
        if !resolved.files.is_empty() || (self.readme_fallback && stand_in) {
            return;
        }
        let Some(role) = cx.artifacts.catalog().role(&self.artifact) else {
            return;
        };
        let title = &role.def.title;
        let mut where_ = role.describe_locations();
        if self.readme_fallback
            && (role.def.readme_heading.is_some() || role.def.readme_link.is_some())
        {
            where_.push_str(", or a README section or link");
        }
        out.missing(format!("no {} found ({})", lower_first(title), where_));
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
}

/// `s` with its first letter in lower case, unless the first word is an acronym ("OSPO charter").
pub(super) fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    let acronym = s.chars().nth(1).is_some_and(char::is_uppercase);
    match chars.next() {
        Some(c) if !acronym => c.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}
