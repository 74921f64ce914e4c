//! Check kind `artifact-present`: a governance role is played by some file in the repository, or —
//! where the role allows it — by a section of the README or of another governance document.

use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::artifact::lower_first;
use crate::scan::FileId;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArtifactPresent {
    /// The role, as named in `rules/artifacts.toml`.
    pub artifact: String,
    /// Whether a README section, README link or another document's section may stand in for the file.
    #[serde(default = "yes")]
    pub readme_fallback: bool,
    /// Links (or e-mail addresses) a stand-in section must hold to count: a "Getting help" section
    /// has to say where to go.
    #[serde(default)]
    pub min_links: usize,
}

fn yes() -> bool {
    true
}

impl Check for ArtifactPresent {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let resolved = cx.artifacts.resolve(&self.artifact);
        let Some(role) = cx.artifacts.catalog().role(&self.artifact) else {
            return;
        };
        let mut sections: Vec<(FileId, usize)> = resolved.sections.clone();
        sections.extend(resolved.readme_section);
        let section_ok = self.readme_fallback
            && sections
                .iter()
                .any(|&(id, h)| self.section_counts(cx, id, h));
        let link_ok = self.readme_fallback && self.min_links == 0 && resolved.readme_link.is_some();
        let mention_ok = self.readme_fallback && !resolved.mentions.is_empty();
        // GitHub shows the organization's default file in the repository: it is there for readers.
        let inherited = resolved.org_default.is_some();
        if !resolved.files.is_empty() || section_ok || link_ok || mention_ok || inherited {
            return;
        }
        let title = lower_first(&role.def.title);
        if let Some(&(id, h)) = sections.first().filter(|_| self.readme_fallback) {
            if let Some(doc) = cx.repo.document(id) {
                let heading = &doc.headings[h];
                let why = if self.min_links > 0 {
                    "is empty or names no channel, link or address"
                } else {
                    "is empty"
                };
                out.at(
                    &doc,
                    heading.span.clone(),
                    format!(
                        "no {title} file, and the section \"{}\" that stands in for one {why}",
                        heading.text
                    ),
                );
                return;
            }
        }
        let mut where_ = role.describe_locations();
        if self.readme_fallback
            && (role.def.readme_heading.is_some() || role.def.readme_link.is_some())
        {
            where_.push_str(", or a README section or link");
        }
        where_.push_str(&cx.artifacts.considered(&self.artifact));
        out.missing(format!("no {title} found ({where_})"));
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
}

impl ArtifactPresent {
    /// A stand-in section counts when it has real content (and the links asked for): an empty or
    /// placeholder-only heading promises what is not there.
    fn section_counts(&self, cx: &RepoContext<'_>, id: FileId, heading: usize) -> bool {
        let Some(doc) = cx.repo.document(id) else {
            return false;
        };
        let range = doc.headings[heading].section.clone();
        doc.has_words(range.clone(), cx.placeholders) && contacts(&doc, range) >= self.min_links
    }
}

/// Links and e-mail addresses in the visible part of `range`.
fn contacts(doc: &crate::doc::Document, range: std::ops::Range<usize>) -> usize {
    let links = doc
        .links
        .iter()
        .filter(|l| {
            range.start <= l.span.start
                && l.span.start < range.end
                && doc.hidden_at(l.span.start).is_none()
        })
        // A link still pointing at `TODO` leads nowhere.
        .filter(|l| {
            !["TODO", "TBD"]
                .iter()
                .any(|m| l.target.trim().starts_with(m))
        })
        .count();
    let prose = doc.prose(range);
    let emails = prose
        .iter()
        .map(|(_, piece)| {
            piece
                .split_whitespace()
                .filter(|w| looks_like_email(w))
                .count()
        })
        .sum::<usize>();
    // A named channel ("join #help on our Slack") is a way to reach people even without a link.
    let channels = prose
        .iter()
        .filter(|(_, piece)| CHANNEL.is_match(piece))
        .count();
    links + emails + channels
}

static CHANNEL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(slack|discord|zulip|gitter|matrix|irc|mailing list|forum|discussions)\b",
    )
    .expect("valid regex")
});

fn looks_like_email(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    match word.split_once('@') {
        Some((user, host)) => !user.is_empty() && host.contains('.') && !host.starts_with('.'),
        None => false,
    }
}
