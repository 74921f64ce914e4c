//! Check kind `broken-relative-link`: relative links and images whose file is missing, and `#anchors`
//! that match no heading.

use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::doc::{github_slug, DocKind, Document, Link};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenRelativeLink {}

/// Resolves a relative link target against the linking document's folder. `None` when the link
/// climbs out of the repository. The result has no anchor, query or trailing slash.
pub(crate) fn resolve_path(from_doc: &str, target: &str) -> Option<String> {
    let path = target.split(['#', '?']).next().unwrap_or("");
    let path = percent_decode(path);
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        from_doc.split('/').collect::<Vec<_>>()[..from_doc.matches('/').count()].to_vec()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

enum Problem {
    /// The resolved path, or `None` when the link climbs out of the repository.
    MissingFile(Option<String>),
    MissingAnchor {
        anchor: String,
        in_file: Option<String>,
        closest: Option<String>,
    },
}

impl Check for BrokenRelativeLink {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        for doc in cx.markup_documents() {
            for link in &doc.links {
                if let Some(problem) = check_link(cx, &doc, link) {
                    let message = match problem {
                        Problem::MissingFile(None) => format!(
                            "link target `{}` points outside the repository",
                            link.target
                        ),
                        Problem::MissingFile(Some(path)) => missing_file_message(cx, link, &path),
                        Problem::MissingAnchor {
                            anchor,
                            in_file,
                            closest,
                        } => {
                            let place = in_file.map_or("this document".to_string(), |f| f);
                            let hint = closest
                                .map(|c| format!(" (did you mean `#{c}`?)"))
                                .unwrap_or_default();
                            format!("anchor `#{anchor}` matches no heading in {place}{hint}")
                        }
                    };
                    out.at(&doc, link.span.clone(), message);
                }
            }
        }
    }
}

/// Says why a target is missing when there is a likely reason: case, a forgotten scheme, a bare
/// e-mail address.
fn missing_file_message(cx: &RepoContext<'_>, link: &Link, resolved: &str) -> String {
    let target = link.target.trim();
    let head = if target.trim_start_matches("./") == resolved {
        format!("link target `{target}` does not exist")
    } else {
        format!("link target `{target}` does not exist (resolved to `{resolved}`)")
    };
    if let Some(id) = cx.repo.index().find_ignore_case(resolved) {
        return format!(
            "{head}; `{}` differs only in case, and GitHub paths are case-sensitive",
            cx.repo.index().path(id)
        );
    }
    let first = target.split('/').next().unwrap_or("");
    if target.contains('@') && !target.contains('/') {
        return format!("{head}; it looks like an e-mail address missing `mailto:`");
    }
    if first.starts_with("www.")
        || [".com", ".org", ".io", ".net", ".dev"]
            .iter()
            .any(|tld| first.ends_with(tld))
    {
        return format!("{head}; it looks like a web address missing `https://`");
    }
    head
}

fn check_link(cx: &RepoContext<'_>, doc: &Document, link: &Link) -> Option<Problem> {
    let target = link.target.trim();
    if target.is_empty() || link.is_external() || doc.hidden_at(link.span.start).is_some() {
        return None;
    }
    // Template syntax in a link is a placeholder, reported by hygiene/placeholder-text.
    if target.contains("{{") || target.contains("{%") {
        return None;
    }
    let anchor = target.split_once('#').map(|(_, a)| a.to_string());
    let index = cx.repo.index();
    let path_part = target.split(['#', '?']).next().unwrap_or("");
    let resolved = if path_part.is_empty() {
        doc.path.clone()
    } else {
        match resolve_path(&doc.path, target) {
            Some(p) => p,
            None => return Some(Problem::MissingFile(None)),
        }
    };
    let file = if path_part.is_empty() {
        Some(doc.path.clone())
    } else if index.find(&resolved).is_some() || cx.repo.index().is_dir(&resolved) {
        index.find(&resolved).map(|id| index.path(id).to_string())
    } else if let Some(site) = site_path(cx, &resolved, path_part.starts_with('/')) {
        site
    } else {
        return Some(Problem::MissingFile(Some(resolved)));
    };
    let (Some(anchor), Some(file)) = (anchor, file) else {
        return None;
    };
    let anchor = percent_decode(&anchor);
    if anchor.is_empty() || is_line_anchor(&anchor) {
        return None;
    }
    let target_doc = if file == doc.path {
        None
    } else {
        cx.repo.document_at(&file)
    };
    let target_ref = target_doc.as_deref().unwrap_or(doc);
    if target_ref.kind != DocKind::Markdown
        && target_ref.kind != DocKind::Asciidoc
        && target_ref.kind != DocKind::Rst
    {
        return None;
    }
    if has_anchor(target_ref, &anchor) {
        return None;
    }
    let closest =
        crate::diagnostic::suggest(&anchor, target_ref.headings.iter().map(|h| h.slug.as_str()))
            .map(str::to_string);
    Some(Problem::MissingAnchor {
        in_file: (file != doc.path).then_some(file),
        anchor,
        closest,
    })
}

/// A root-relative link into a folder a site generator serves at the root (Hugo's `static/` and
/// `content/`), as `page`, `page.md`, `page/index.md` or `page/_index.md`.
fn site_path(cx: &RepoContext<'_>, resolved: &str, root_relative: bool) -> Option<Option<String>> {
    if !root_relative {
        return None;
    }
    let index = cx.repo.index();
    let trimmed = resolved.trim_end_matches('/');
    for root in &cx.settings.site_roots {
        let base = if trimmed.is_empty() {
            root.clone()
        } else {
            format!("{}/{trimmed}", root.trim_end_matches('/'))
        };
        if index.is_dir(&base) && !trimmed.is_empty() {
            for page in ["index.md", "_index.md"] {
                if let Some(id) = index.find(&format!("{base}/{page}")) {
                    return Some(Some(index.path(id).to_string()));
                }
            }
            return Some(None);
        }
        for candidate in [base.clone(), format!("{base}.md")] {
            if let Some(id) = index.find(&candidate) {
                return Some(Some(index.path(id).to_string()));
            }
        }
    }
    None
}

/// GitHub's line anchors (`#L10`, `#L10-L20`) on source files.
fn is_line_anchor(anchor: &str) -> bool {
    anchor.starts_with('L')
        && anchor[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
}

fn has_anchor(doc: &Document, anchor: &str) -> bool {
    let wanted = anchor.to_lowercase();
    if doc
        .headings
        .iter()
        .any(|h| h.slug == wanted || github_slug(&h.text) == wanted)
    {
        return true;
    }
    // Explicit anchors: <a name="x">, id="x", and pandoc/kramdown-style {#x} attributes.
    [
        format!("name=\"{anchor}\""),
        format!("id=\"{anchor}\""),
        format!("{{#{anchor}}}"),
    ]
    .iter()
    .any(|needle| doc.text.contains(needle.as_str()))
}
