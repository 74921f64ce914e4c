//! Check kind `policy-file`: a policy file readers rely on in a hurry (security policy, code of
//! conduct) exists and says what it must — whom to contact, how.
//!
//! Two real-world shapes are accepted: a short file that points to a policy kept elsewhere (a
//! foundation's code of conduct, an organization-wide security policy), and — as an info only — no
//! file but a README or contributing-guide link to an external policy. When the file is missing,
//! the finding points at the place that talks about the topic instead, if there is one.

use std::sync::Arc;

use serde::Deserialize;

use super::content_pattern::{count_matches, Requirement};
use super::{Check, Emitter, RepoContext};
use crate::doc::{Document, Link, LinkKind};
use crate::finding::Severity;
use crate::pattern::Patterns;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub artifact: String,
    /// What the policy must say; each requirement may carry a softer severity.
    #[serde(default)]
    pub require: Vec<Requirement>,
    /// A link (text or target) to a policy kept elsewhere. A file of at most `pointer_max_words`
    /// words with such an external link is a pointer: the requirements are the linked policy's.
    pub pointer: Option<Patterns>,
    #[serde(default = "default_pointer_words")]
    pub pointer_max_words: usize,
    /// Roles whose documents (besides the README) are searched, when the file is missing, for the
    /// place that handles the topic instead.
    #[serde(default)]
    pub mention_in: Vec<String>,
    /// Headings that handle the topic.
    pub mention_heading: Option<Patterns>,
    /// Sentences that refer to the topic.
    pub mention_text: Option<Patterns>,
}

fn default_pointer_words() -> usize {
    60
}

impl Check for PolicyFile {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let docs = cx.artifacts.documents(&self.artifact);
        let title = cx
            .artifacts
            .catalog()
            .role(&self.artifact)
            .map_or(self.artifact.clone(), |r| {
                crate::artifact::lower_first(&r.def.title)
            });
        if docs.is_empty() {
            if let Some(path) = cx.artifacts.resolve(&self.artifact).org_default.clone() {
                out.missing(format!(
                    "no {title} in the repository; GitHub shows the organization's default, {path} (from the organization's .github)"
                ))
                .at_most(Severity::Info)
                .help("Fine when the organization's policy applies here; its content is checked by running ospolint on the .github repository.");
                return;
            }
            self.missing(cx, out, &title);
            return;
        }
        let primary = &docs[0];
        let unmet: Vec<&Requirement> = self
            .require
            .iter()
            .filter(|req| {
                let count: usize = docs
                    .iter()
                    .map(|doc| count_matches(doc, doc.full(), &req.pattern, req.min_count))
                    .sum();
                count < req.min_count
            })
            .collect();
        if unmet.is_empty() {
            return;
        }
        if let Some((doc, target)) = docs
            .iter()
            .find_map(|doc| self.pointer_target(cx, doc).map(|t| (doc, t)))
        {
            // The policy lives outside the repository: present, but what it says is not here to
            // judge, so its missing parts are not reported as missing.
            out.file(
                &doc.path,
                format!(
                    "{} only points to a {title} kept elsewhere ({target}); its content cannot be checked offline",
                    doc.path
                ),
            )
            .at_most(Severity::Info)
            .help("Fine when the linked policy applies to this repository and says whom to contact; GitHub shows this file on the repository's community pages.");
            return;
        }
        for req in unmet {
            let finding = out.file(
                &primary.path,
                format!("{} does not mention {}", primary.path, req.description),
            );
            if let Some(sev) = req.severity {
                finding.at_most(sev);
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        let mut roles = vec![self.artifact.as_str()];
        roles.extend(self.mention_in.iter().map(String::as_str));
        roles
    }
}

impl PolicyFile {
    /// The external policy a short document points to: a link (or, in a plain-text file, a bare
    /// URL) whose text or target names the policy.
    fn pointer_target(&self, cx: &RepoContext<'_>, doc: &Document) -> Option<String> {
        if doc.words_up_to(doc.full(), cx.placeholders, self.pointer_max_words + 1)
            > self.pointer_max_words
        {
            return None;
        }
        if let Some(link) = pointer_link(doc, doc.full(), self.pointer.as_ref()) {
            return Some(link.target.clone());
        }
        let pattern = self.pointer.as_ref()?;
        doc.prose(doc.full()).iter().find_map(|(_, piece)| {
            BARE_URL
                .find_iter(piece)
                .map(|m| m.as_str().trim_end_matches(['.', ',', ';', ')']))
                .find(|url| pattern.is_match(*url))
                .map(str::to_string)
        })
    }

    /// No file: point at the section or sentence that handles the topic, if any.
    fn missing(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>, title: &str) {
        let candidates = self.candidate_documents(cx);
        if let Some(headings) = &self.mention_heading {
            for doc in &candidates {
                if let Some(h) = doc.headings.iter().find(|h| headings.is_match(&h.text)) {
                    let section = h.span.start..h.section.end;
                    if let Some(link) = pointer_link(doc, section, self.pointer.as_ref()) {
                        external(out, doc, &h.span, title, link);
                    } else {
                        let fix = out.meta().fix.clone();
                        out.at(doc, h.span.clone(), format!(
                            "no {title} file: the topic is only covered by the section \"{}\" of {}", h.text, doc.path
                        ))
                        .help(format!("Move or copy this section into its own file so readers find it where they look first. {fix}"));
                    }
                    return;
                }
            }
        }
        if let Some(text) = &self.mention_text {
            for doc in &candidates {
                for (offset, piece) in doc.prose(doc.full()) {
                    let Some(m) = text.find(doc.haystack(offset..offset + piece.len())) else {
                        continue;
                    };
                    let start = offset + m.start();
                    let line = doc.line_range(doc.line_of(start));
                    if let Some(link) = pointer_link(doc, line.clone(), self.pointer.as_ref()) {
                        external(out, doc, &line, title, link);
                    } else {
                        out.at(
                            doc,
                            start..offset + m.end(),
                            format!("no {title} file, although {} refers to one here", doc.path),
                        );
                    }
                    return;
                }
            }
        }
        let where_ = cx.artifacts.describe_locations(&self.artifact);
        out.missing(format!("no {title} found ({where_})"));
    }

    /// The README, then the documents of `mention_in`, each once.
    fn candidate_documents(&self, cx: &RepoContext<'_>) -> Vec<Arc<Document>> {
        let mut docs: Vec<Arc<Document>> = cx
            .artifacts
            .readme()
            .and_then(|id| cx.repo.document(id))
            .into_iter()
            .collect();
        for role in &self.mention_in {
            for doc in cx.artifacts.documents(role) {
                if !docs.iter().any(|d| d.path == doc.path) {
                    docs.push(doc);
                }
            }
        }
        docs
    }
}

/// A URL written out in text (plain-text files have no link syntax).
static BARE_URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"https?://[^\s<>()\[\]"'`]+"#).expect("valid regex")
});

/// A policy kept elsewhere and linked from here: worth knowing, not a failure.
fn external(
    out: &mut Emitter<'_>,
    doc: &Document,
    span: &std::ops::Range<usize>,
    title: &str,
    link: &Link,
) {
    out.at(doc, span.clone(), format!("no {title} file; {} links to one kept elsewhere ({})", doc.path, link.target))
        .at_most(Severity::Info)
        .help("Fine when the linked policy applies to this repository. GitHub only shows a policy on the repository's community pages when the file exists here or in the organization's .github repository.");
}

/// An external link in `range` whose text or target matches `pattern`.
fn pointer_link<'d>(
    doc: &'d Document,
    range: std::ops::Range<usize>,
    pattern: Option<&Patterns>,
) -> Option<&'d Link> {
    let pattern = pattern?;
    doc.links.iter().find(|l| {
        l.kind != LinkKind::Image
            && range.start <= l.span.start
            && l.span.start < range.end
            && doc.hidden_at(l.span.start).is_none()
            && l.is_external()
            && !l.target.starts_with("mailto:")
            && (pattern.is_match(&l.text) || pattern.is_match(&l.target))
    })
}
