//! Check kind `broken-relative-link`: relative links and images whose file is missing, and `#anchors`
//! that match no heading.

use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::doc::{github_slug, percent_decode, resolve_link_path, DocKind, Document, Link};
use crate::finding::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenRelativeLink {}

enum Problem {
    MissingFile(String),
    MissingAnchor {
        anchor: String,
        in_file: Option<String>,
    },
}

impl Check for BrokenRelativeLink {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let permalinks = Permalinks::collect(cx);
        for doc in cx.markup_documents() {
            let template = cx.is_template(&doc.path);
            let visible = doc
                .links
                .iter()
                .filter(|l| doc.hidden_at(l.span.start).is_none())
                .map(|l| (l.clone(), false));
            let commented = commented_links(&doc).into_iter().map(|l| (l, true));
            for (link, in_comment) in visible.chain(commented) {
                let Some(problem) = check_link(cx, &doc, &link, &permalinks) else {
                    continue;
                };
                let mut message = match problem {
                    Problem::MissingFile(path) => format!(
                        "link target `{}` does not exist (resolved to `{path}`)",
                        link.target
                    ),
                    Problem::MissingAnchor {
                        anchor,
                        in_file: None,
                    } => format!("anchor `#{anchor}` matches no heading in this document"),
                    Problem::MissingAnchor {
                        anchor,
                        in_file: Some(file),
                    } => format!("anchor `#{anchor}` matches no heading in {file}"),
                };
                if in_comment {
                    message.push_str("; the link is inside an HTML comment and breaks when the comment is removed");
                }
                let finding = out.at(&doc, link.span.clone(), message);
                if let Some(hint) = scheme_hint(&link.target) {
                    finding.help(hint);
                }
                if template {
                    finding
                        .at_most(Severity::Info)
                        .help("This file is a template: its links resolve in the repository made from it, so check them there.");
                } else if in_comment {
                    finding.at_most(Severity::Info);
                }
            }
        }
    }
}

fn is_marker(target: &str) -> bool {
    ["TODO", "TBD", "FIXME"].iter().any(|m| {
        target
            .strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', ' ', '-']))
    })
}

/// A relative link that was meant to leave the repository: an e-mail address without `mailto:`,
/// a web address without `https://`.
fn scheme_hint(target: &str) -> Option<String> {
    let target = target.trim().trim_start_matches('/');
    let first = target.split(['/', '#', '?']).next().unwrap_or("");
    if first.contains('@') && first.contains('.') {
        return Some(format!("This looks like an e-mail address: write `mailto:{first}` so it is not read as a file."));
    }
    let domain_like = first.starts_with("www.")
        || [".com", ".org", ".net", ".io", ".dev", ".gov", ".edu"]
            .iter()
            .any(|tld| first.ends_with(tld));
    domain_like.then(|| {
        format!(
            "This looks like a web address: write `https://{target}` so it is not read as a file."
        )
    })
}

/// Pages a static site generator publishes at a `permalink:` from their front matter (Jekyll):
/// links between pages use those URLs, not file paths.
#[derive(Default)]
struct Permalinks {
    urls: std::collections::HashSet<String>,
}

impl Permalinks {
    fn collect(cx: &RepoContext<'_>) -> Permalinks {
        let mut urls = std::collections::HashSet::new();
        for doc in cx.all_markup_documents() {
            if let Some(url) = permalink(&doc) {
                urls.insert(url);
            }
        }
        Permalinks { urls }
    }

    fn contains(&self, url: &str) -> bool {
        !self.urls.is_empty() && self.urls.contains(&normalize_url(url))
    }
}

fn permalink(doc: &Document) -> Option<String> {
    let url = doc.front_matter.as_ref()?.get_str("permalink")?;
    Some(normalize_url(url))
}

/// `/mentor/page.html`, `mentor/page/` and `mentor/page` are one page.
fn normalize_url(url: &str) -> String {
    let url = url.trim().trim_start_matches('/').trim_end_matches('/');
    url.strip_suffix(".html").unwrap_or(url).to_string()
}

/// Markdown links written inside HTML comments: not rendered, so not parsed as links, but they
/// become links when someone removes the comment (commented-out template sections).
fn commented_links(doc: &Document) -> Vec<Link> {
    static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)"#)
            .expect("valid regex")
    });
    if doc.kind != DocKind::Markdown {
        return Vec::new();
    }
    let mut out = Vec::new();
    for hidden in doc
        .hidden
        .iter()
        .filter(|h| h.kind == crate::doc::Hidden::HtmlComment)
    {
        let text = &doc.text[hidden.range.clone()];
        for c in LINK.captures_iter(text) {
            let Some(whole) = c.get(0) else { continue };
            let start = hidden.range.start + whole.start();
            out.push(Link {
                kind: if &c[1] == "!" {
                    crate::doc::LinkKind::Image
                } else {
                    crate::doc::LinkKind::Link
                },
                target: c[3].to_string(),
                text: c[2].to_string(),
                line: doc.line_of(start),
                span: start..hidden.range.start + whole.end(),
            });
        }
    }
    out
}

/// Whether a relative link target names a file or folder of the repository (on disk or in its tree
/// file), resolved against the linking document.
pub(crate) fn target_exists(cx: &RepoContext<'_>, doc: &Document, target: &str) -> bool {
    let path = target.split(['#', '?']).next().unwrap_or("");
    !path.is_empty()
        && resolve_link_path(&doc.path, path)
            .is_some_and(|p| cx.file_exists(&p) || cx.dir_exists(&p))
}

fn check_link(
    cx: &RepoContext<'_>,
    doc: &Document,
    link: &Link,
    permalinks: &Permalinks,
) -> Option<Problem> {
    let target = link.target.trim();
    if target.is_empty() || link.is_external() {
        return None;
    }
    // Template syntax or a to-do marker as the target is a placeholder, reported by
    // hygiene/placeholder-text.
    if target.contains("{{") || target.contains("{%") || is_marker(target) {
        return None;
    }
    let anchor = target.split_once('#').map(|(_, a)| a.to_string());
    let index = cx.repo.index();
    let path_part = target.split(['#', '?']).next().unwrap_or("");
    let resolved = if path_part.is_empty() {
        doc.path.clone()
    } else {
        match resolve_link_path(&doc.path, target) {
            Some(p) => p,
            None => return Some(Problem::MissingFile(target.to_string())),
        }
    };
    let file = if path_part.is_empty() {
        Some(doc.path.clone())
    } else if cx.file_exists(&resolved) || cx.dir_exists(&resolved) {
        index.find(&resolved).map(|id| index.path(id).to_string())
    } else if let Some(site) = site_path(cx, &resolved, path_part.starts_with('/')) {
        site
    } else if permalink_target(doc, path_part, permalinks) {
        None
    } else {
        return Some(Problem::MissingFile(resolved));
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
    if has_anchor(target_ref, &anchor) || site_section(cx, &target_ref.path, &anchor) {
        return None;
    }
    Some(Problem::MissingAnchor {
        in_file: (file != doc.path).then_some(file),
        anchor,
    })
}

/// A link by URL to a page published at a `permalink:`, relative to the linking page's own URL.
fn permalink_target(doc: &Document, path: &str, permalinks: &Permalinks) -> bool {
    if permalinks.contains(path) {
        return true;
    }
    let base = permalink(doc).unwrap_or_default();
    let folder = base.rsplit_once('/').map_or("", |(dir, _)| dir);
    let from = if folder.is_empty() {
        "page".to_string()
    } else {
        format!("{folder}/page")
    };
    resolve_link_path(&from, path).is_some_and(|url| permalinks.contains(&url))
}

/// A root-relative link into a folder a site generator serves at the root (Hugo's `static/` and
/// `content/`), as `page`, `page.md`, `page/index.md` or `page/_index.md`. Files listed in the
/// repository's tree file count.
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
        if cx.dir_exists(&base) && !trimmed.is_empty() {
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
            if cx.file_exists(&candidate) {
                return Some(None);
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

/// Site generators that build a page from section files (Hugo widget pages in `content/home/`)
/// give each section the id of its file: `#members` on a page whose folder holds `members.md`.
fn site_section(cx: &RepoContext<'_>, page: &str, anchor: &str) -> bool {
    let under_root = cx
        .settings
        .site_roots
        .iter()
        .any(|root| page.starts_with(&format!("{}/", root.trim_end_matches('/'))));
    if !under_root {
        return false;
    }
    let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    [
        format!("{folder}/{anchor}.md"),
        format!("{folder}/{anchor}/index.md"),
        format!("{folder}/{anchor}/_index.md"),
    ]
    .iter()
    .any(|candidate| cx.file_exists(candidate))
}

fn has_anchor(doc: &Document, anchor: &str) -> bool {
    let wanted = anchor.to_lowercase();
    if doc
        .slugs()
        .iter()
        .zip(&doc.headings)
        .any(|(slug, h)| *slug == wanted || github_slug(&h.text) == wanted)
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
