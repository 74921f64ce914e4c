//! Check kind `broken-relative-link`: relative links and images whose file is missing, and `#anchors`
//! that match nothing, judged as GitHub resolves them and, for a page of a static site the
//! repository publishes, as the site generator does. A link that works on the site only is an
//! info that says so; one broken on both is reported at the rule's severity.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::doc::{percent_decode, resolve_link_path, DocKind, Document, Hidden, Link, LinkKind};
use crate::finding::Severity;
use crate::site::{Generator, GitHubRepo, Page, RepoFiles, SiteModel, SiteTarget};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenRelativeLink {}

/// GitHub's own pages of a repository, which a relative link reaches by climbing out of the
/// repository's files: `../../issues` from a file at the root is `/OWNER/REPO/issues`.
const GITHUB_PAGES: &[&str] = &[
    "issues",
    "pulls",
    "pull",
    "security",
    "wiki",
    "discussions",
    "actions",
    "releases",
    "blob",
    "tree",
    "raw",
    "commits",
    "commit",
    "compare",
    "projects",
    "milestones",
    "labels",
    "tags",
    "branches",
    "graphs",
    "network",
    "pulse",
    "contributors",
    "community",
    "packages",
    "deployments",
    "stargazers",
    "forks",
    "settings",
];

/// What is wrong with a link.
enum Problem {
    MissingFile {
        resolved: String,
        site: Option<Generator>,
    },
    MissingAnchor {
        anchor: String,
        in_file: Option<String>,
    },
    /// It reaches its target on the published site only.
    SiteOnly(Generator),
    /// An absolute link to this repository's own files on GitHub names no file.
    MissingOwnFile(String),
}

/// A finding about to be emitted: overlapping ones are merged first.
struct Pending {
    span: Range<usize>,
    message: String,
    help: Option<String>,
    cap: Option<Severity>,
}

impl Check for BrokenRelativeLink {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let docs: Vec<_> = cx.markup_documents().collect();
        if docs.is_empty() {
            return;
        }
        let mut links = LinkResolver::new(cx, &docs);
        for doc in &docs {
            let template = cx.is_template(&doc.path);
            let mut pending = Vec::new();
            let uses = definition_uses(doc);
            let visible = doc
                .links
                .iter()
                .filter(|l| doc.hidden_at(l.span.start).is_none())
                .map(|l| (l.clone(), None));
            let commented = commented_links(doc)
                .into_iter()
                .map(|(l, comment)| (l, Some(comment)));
            for (link, comment) in visible.chain(commented) {
                let Some(problem) = links.check(doc, &link, comment.clone()) else {
                    continue;
                };
                let mut message = match &problem {
                    Problem::MissingFile { resolved, site } => {
                        let mut m = format!(
                            "link target `{}` does not exist (resolved to `{resolved}`)",
                            link.target
                        );
                        if let Some(generator) = site {
                            m.push_str(&format!(
                                ", and the published {} serves no page there",
                                generator.site_description()
                            ));
                        }
                        m
                    }
                    Problem::MissingAnchor {
                        anchor,
                        in_file: None,
                    } => format!("anchor `#{anchor}` matches no heading in this document"),
                    Problem::MissingAnchor {
                        anchor,
                        in_file: Some(file),
                    } => format!("anchor `#{anchor}` matches no heading in {file}"),
                    Problem::SiteOnly(generator) => format!(
                        "works on the published {}, but not when browsing the repository",
                        generator.site_description()
                    ),
                    Problem::MissingOwnFile(path) => format!(
                        "link to this repository's `{path}` on GitHub: no such file or folder in the repository"
                    ),
                };
                let site_only = matches!(problem, Problem::SiteOnly(_));
                // A site-only link keeps one message for every link, so reports can group them.
                if link.kind == LinkKind::Definition && !site_only {
                    let count = uses.get(&label_key(&link.text)).copied().unwrap_or(0);
                    message.push_str(&match count {
                        0 => " (a reference definition no link uses)".to_string(),
                        1 => " (a reference definition, used by 1 link)".to_string(),
                        n => format!(" (a reference definition, used by {n} links)"),
                    });
                }
                if comment.is_some() {
                    message.push_str("; the link is inside an HTML comment and breaks when the comment is removed");
                }
                let help = if site_only {
                    Some("GitHub resolves links against the repository's files, the site against its page URLs. Link to the source file (with its extension) where the generator rewrites such links, or leave it if the site is what readers use.".to_string())
                } else {
                    scheme_hint(&link.target)
                };
                let cap = (template || comment.is_some() || site_only).then_some(Severity::Info);
                let help = if template && !site_only {
                    Some("This file is a template: its links resolve in the repository made from it, so check them there.".to_string())
                } else {
                    help
                };
                pending.push(Pending {
                    span: link.span.clone(),
                    message,
                    help,
                    cap,
                });
            }
            for finding in merge_overlapping(pending) {
                let emitted = out.at(doc, finding.span, finding.message);
                if let Some(help) = finding.help {
                    emitted.help(help);
                }
                if let Some(cap) = finding.cap {
                    emitted.at_most(cap);
                }
            }
        }
    }
}

/// Findings whose spans overlap (an image inside a link, a link found twice) become one, their
/// messages joined; the lower severity cap goes only when both had one.
fn merge_overlapping(mut pending: Vec<Pending>) -> Vec<Pending> {
    pending.sort_by_key(|p| (p.span.start, std::cmp::Reverse(p.span.end)));
    let mut merged: Vec<Pending> = Vec::with_capacity(pending.len());
    for p in pending {
        match merged.last_mut() {
            Some(last) if p.span.start < last.span.end => {
                if !last.message.contains(&p.message) {
                    last.message.push_str("; ");
                    last.message.push_str(&p.message);
                }
                last.cap = match (last.cap, p.cap) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                last.span.end = last.span.end.max(p.span.end);
                if last.help.is_none() {
                    last.help = p.help;
                }
            }
            _ => merged.push(p),
        }
    }
    merged
}

/// A reference label as CommonMark matches it: case-insensitive, whitespace collapsed.
fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How many links use each reference definition of a document.
fn definition_uses(doc: &Document) -> HashMap<String, usize> {
    let mut uses = HashMap::new();
    for label in doc.links.iter().filter_map(|l| l.definition.as_deref()) {
        *uses.entry(label_key(label)).or_insert(0) += 1;
    }
    uses
}

/// Resolves links as GitHub and the repository's sites do; holds what is computed once per
/// repository.
struct LinkResolver<'a> {
    cx: &'a RepoContext<'a>,
    files: RepoFiles<'a>,
    sites: SiteModel,
    /// Whether the front matter of every site page has been read into the routes (on the first
    /// link that the paths alone do not resolve).
    front_matter_read: bool,
    /// Cross-reference labels of each site whose labels are global (MyST, Sphinx), lower-cased.
    labels: HashMap<usize, HashSet<String>>,
    github: Option<GitHubRepo>,
}

impl<'a> LinkResolver<'a> {
    fn new(cx: &'a RepoContext<'a>, docs: &[std::sync::Arc<Document>]) -> LinkResolver<'a> {
        let files = RepoFiles {
            repo: cx.repo,
            tree: cx.tree,
        };
        let mut sites = SiteModel::detect(&files).with_site_roots(&cx.settings.site_roots, &files);
        if !sites.is_empty() {
            let mut targets: HashMap<usize, Vec<String>> = HashMap::new();
            for doc in docs {
                let Some((i, _)) = sites.site_of(&doc.path) else {
                    continue;
                };
                for link in doc.links.iter().filter(|l| !l.is_external()) {
                    let path = link.target.split(['#', '?']).next().unwrap_or("");
                    if !path.is_empty() {
                        targets.entry(i).or_default().push(percent_decode(path));
                    }
                }
            }
            sites.infer_from_links(&targets, &files);
        }
        LinkResolver {
            cx,
            files,
            sites,
            front_matter_read: false,
            labels: HashMap::new(),
            github: GitHubRepo::from_checkout(cx.repo.root()),
        }
    }

    /// Reads the front matter of every page of every site, for the URLs it gives them.
    fn read_front_matter(&mut self) {
        if self.front_matter_read {
            return;
        }
        self.front_matter_read = true;
        let index = self.cx.repo.index();
        for id in index.ids() {
            if !index.kind(id).is_markup() || self.sites.site_of(index.path(id)).is_none() {
                continue;
            }
            if let Some(doc) = self.cx.repo.document(id) {
                if let Some(fm) = &doc.front_matter {
                    self.sites.add_page(&doc.path, fm);
                }
            }
        }
    }

    /// The labels of a site whose cross-reference labels are global.
    fn site_labels(&mut self, site: usize) -> &HashSet<String> {
        if !self.labels.contains_key(&site) {
            let index = self.cx.repo.index();
            let mut labels = HashSet::new();
            for id in index.ids() {
                let path = index.path(id);
                if !index.kind(id).is_markup()
                    || self.sites.site_of(path).map(|(i, _)| i) != Some(site)
                {
                    continue;
                }
                if let Some(doc) = self.cx.repo.document(id) {
                    labels.extend(doc.anchors().labels.iter().map(|l| l.to_lowercase()));
                }
            }
            self.labels.insert(site, labels);
        }
        &self.labels[&site]
    }

    fn page_of(&self, doc: &Document) -> Option<Page<'_>> {
        self.sites.page(&doc.path, doc.front_matter.as_ref())
    }

    /// What the site makes of a link from `doc`, reading front matter once if the paths alone
    /// do not resolve it.
    fn site_target(&mut self, doc: &Document, path: &str) -> Option<(Generator, SiteTarget)> {
        let decoded = percent_decode(path);
        for attempt in 0..2 {
            if attempt == 1 {
                if self.front_matter_read {
                    break;
                }
                self.read_front_matter();
            }
            let page = self.page_of(doc)?;
            let generator = page.site.generator;
            if let Some(found) = self.sites.resolve(&page, &doc.path, &decoded, &self.files) {
                return Some((generator, found));
            }
        }
        None
    }

    fn check(
        &mut self,
        doc: &Document,
        link: &Link,
        comment: Option<Range<usize>>,
    ) -> Option<Problem> {
        let target = link.target.trim();
        if target.is_empty() {
            return None;
        }
        if link.is_external() {
            let path = self.github.as_ref()?.path_of(target)?;
            return (!path.is_empty() && !self.cx.file_exists(&path) && !self.cx.dir_exists(&path))
                .then_some(Problem::MissingOwnFile(path));
        }
        // A use of a reference definition is checked once, at the definition.
        if link.definition.is_some() {
            return None;
        }
        // Template syntax or a to-do marker as the target is a placeholder, reported by
        // hygiene/placeholder-text.
        if target.contains("{{") || target.contains("{%") || is_marker(target) {
            return None;
        }
        let anchor = target
            .split_once('#')
            .map(|(_, a)| percent_decode(a.split('?').next().unwrap_or(a)));
        let path_part = target.split(['#', '?']).next().unwrap_or("");
        let cross_reference = link.kind == LinkKind::CrossReference;

        // As GitHub resolves it.
        let mut github_file: Option<Option<String>> = None;
        if path_part.is_empty() {
            github_file = Some(Some(doc.path.clone()));
        } else if !cross_reference {
            match resolve_link_path(&doc.path, path_part) {
                Some(resolved)
                    if self.cx.file_exists(&resolved) || self.cx.dir_exists(&resolved) =>
                {
                    let index = self.cx.repo.index();
                    github_file = Some(index.find(&resolved).map(|id| index.path(id).to_string()));
                }
                Some(_) => {}
                None if leaves_for_github_page(&doc.path, path_part) => return None,
                None => {}
            }
        }
        if let Some(comment) = comment {
            return self.check_commented(doc, link, comment, github_file, anchor);
        }
        let mut site_only = None;
        let file = match github_file {
            Some(file) => file,
            None => {
                let site = if path_part.is_empty() {
                    None
                } else {
                    self.site_target(doc, path_part)
                };
                match site {
                    Some((generator, found)) => {
                        site_only = Some(generator);
                        match found {
                            SiteTarget::Page(path) => Some(path),
                            SiteTarget::File(_) | SiteTarget::Generated => None,
                        }
                    }
                    // Roles outside a site that knows them are not judged.
                    None if cross_reference && path_part.is_empty() => None,
                    None if cross_reference && self.page_of(doc).is_none() => return None,
                    None => {
                        let generator = self.page_of(doc).map(|p| p.site.generator);
                        return Some(Problem::MissingFile {
                            resolved: resolve_link_path(&doc.path, path_part)
                                .unwrap_or_else(|| path_part.to_string()),
                            site: generator,
                        });
                    }
                }
            }
        };
        // A role is a link on the site only: nothing to say when the site resolves it.
        let verdict = site_only
            .filter(|_| !cross_reference)
            .map(Problem::SiteOnly);
        let (Some(anchor), Some(file)) = (anchor, file) else {
            return verdict;
        };
        if anchor.is_empty() || is_line_anchor(&anchor) {
            return verdict;
        }
        match self.check_anchor(doc, &file, &anchor, cross_reference) {
            AnchorVerdict::OnGitHub => verdict,
            AnchorVerdict::OnSite(_) if cross_reference => None,
            AnchorVerdict::OnSite(generator) => Some(Problem::SiteOnly(generator)),
            AnchorVerdict::Missing => Some(Problem::MissingAnchor {
                in_file: (file != doc.path).then_some(file),
                anchor,
            }),
        }
    }

    /// A link inside an HTML comment: its file must exist; its anchor is checked against the
    /// headings of the comment itself when it points into the same document, else not at all.
    fn check_commented(
        &mut self,
        doc: &Document,
        link: &Link,
        comment: Range<usize>,
        github_file: Option<Option<String>>,
        anchor: Option<String>,
    ) -> Option<Problem> {
        let path_part = link.target.split(['#', '?']).next().unwrap_or("");
        if !path_part.is_empty() {
            if github_file.is_some() || self.site_target(doc, path_part).is_some() {
                return None;
            }
            return Some(Problem::MissingFile {
                resolved: resolve_link_path(&doc.path, path_part)
                    .unwrap_or_else(|| path_part.to_string()),
                site: None,
            });
        }
        let anchor = anchor.filter(|a| !a.is_empty())?;
        let inner = doc.text[comment]
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .to_string();
        let commented = Document::parse(&doc.path, inner);
        (!commented.has_github_anchor(&anchor)).then_some(Problem::MissingAnchor {
            anchor,
            in_file: None,
        })
    }

    fn check_anchor(
        &mut self,
        doc: &Document,
        file: &str,
        anchor: &str,
        cross_reference: bool,
    ) -> AnchorVerdict {
        let target_doc = if file == doc.path {
            None
        } else {
            self.cx.repo.document_at(file)
        };
        let target = target_doc.as_deref().unwrap_or(doc);
        if !matches!(
            target.kind,
            DocKind::Markdown | DocKind::Asciidoc | DocKind::Rst
        ) {
            return AnchorVerdict::OnGitHub;
        }
        if !cross_reference && target.has_github_anchor(anchor) {
            return AnchorVerdict::OnGitHub;
        }
        let lower = anchor.to_lowercase();
        // The site's anchors count when the link is read on the site: from one of its pages to
        // one of its pages. A README outside the site links to the file on GitHub.
        let target_site = self.sites.site_of(&target.path).map(|(i, _)| i);
        let same_site = self
            .sites
            .site_of(&doc.path)
            .filter(|(i, _)| Some(*i) == target_site)
            .map(|(i, s)| (i, s.generator));
        if let Some((site, generator)) = same_site {
            if target.has_heading_anchor(generator.heading_ids(), anchor)
                || target.anchors().attributes.contains(&lower)
                || target
                    .anchors()
                    .labels
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(anchor))
                || (matches!(generator, Generator::Hugo | Generator::Configured)
                    && hugo_section(self, &target.path, anchor))
            {
                return AnchorVerdict::OnSite(generator);
            }
            if generator.cross_references() && self.site_labels(site).contains(&lower) {
                return AnchorVerdict::OnSite(generator);
            }
        }
        if cross_reference && target.has_github_anchor(anchor) {
            return AnchorVerdict::OnGitHub;
        }
        AnchorVerdict::Missing
    }
}

enum AnchorVerdict {
    OnGitHub,
    OnSite(Generator),
    Missing,
}

/// Hugo sites that build a page from section files (widget pages in `content/home/`) give each
/// section the id of its file: `#members` on a page whose folder holds `members.md`.
fn hugo_section(links: &LinkResolver<'_>, page: &str, anchor: &str) -> bool {
    let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    [
        format!("{folder}/{anchor}.md"),
        format!("{folder}/{anchor}/index.md"),
        format!("{folder}/{anchor}/_index.md"),
    ]
    .iter()
    .any(|candidate| links.cx.file_exists(candidate))
}

/// Whether a relative link climbs out of the repository's files to one of GitHub's own pages of
/// the repository: from a file at depth d, d + 2 `..` reach `/OWNER/REPO/`, where GitHub serves
/// `issues`, `security/advisories/new`, `wiki`…
fn leaves_for_github_page(from_doc: &str, target: &str) -> bool {
    let mut depth = from_doc.matches('/').count();
    let mut above = 0usize;
    let mut rest = Vec::new();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." if rest.is_empty() => {
                if depth > 0 {
                    depth -= 1;
                } else {
                    above += 1;
                }
            }
            ".." => {
                rest.pop();
            }
            p => rest.push(p),
        }
    }
    above == 2
        && rest
            .first()
            .is_some_and(|first| GITHUB_PAGES.contains(first))
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

/// Markdown links written inside HTML comments: not rendered, so not parsed as links, but they
/// become links when someone removes the comment (commented-out template sections). Each comes
/// with the comment's range.
fn commented_links(doc: &Document) -> Vec<(Link, Range<usize>)> {
    static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)"#)
            .expect("valid regex")
    });
    if doc.kind != DocKind::Markdown {
        return Vec::new();
    }
    let mut out = Vec::new();
    for hidden in doc.hidden.iter().filter(|h| h.kind == Hidden::HtmlComment) {
        let text = &doc.text[hidden.range.clone()];
        for c in LINK.captures_iter(text) {
            let Some(whole) = c.get(0) else { continue };
            let start = hidden.range.start + whole.start();
            out.push((
                Link {
                    kind: if &c[1] == "!" {
                        LinkKind::Image
                    } else {
                        LinkKind::Link
                    },
                    target: c[3].to_string(),
                    text: c[2].to_string(),
                    line: doc.line_of(start),
                    span: start..hidden.range.start + whole.end(),
                    definition: None,
                },
                hidden.range.clone(),
            ));
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

/// GitHub's line anchors (`#L10`, `#L10-L20`) on source files.
fn is_line_anchor(anchor: &str) -> bool {
    anchor.starts_with('L')
        && anchor[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
}
