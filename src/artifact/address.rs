//! The repository's own addresses on the web: its GitHub address and the host of the site it
//! publishes. An absolute link to either is a link to a file of the repository, so a short
//! CONTRIBUTING.md that sends readers to `https://github.com/OWNER/REPO/blob/main/docs/contributing.md`
//! or to the published guide `https://project.example.org/docs/contributing/` is read through the
//! document it names.
//!
//! Evidence, in order: the clone's `origin` remote; a GitHub Pages `CNAME` file; and the
//! repository's self-links: absolute links, from its own documents, to paths that exist in it.

use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

use crate::doc::LinkKind;
use crate::scan::{FileId, Repository};
use crate::site::{GitHubRepo, RepoFiles, SiteModel, SiteTarget};

/// Self-links needed before an address is taken from them: one could be a copied example.
const MIN_SELF_LINKS: usize = 2;

/// Bare URLs in prose (`read https://example.org/docs/`), which Markdown leaves as text.
static BARE_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"https?://[^\s<>()\[\]"'`]+"#).expect("valid regex"));

/// The repository's GitHub address and published sites, each found on first need: most
/// repositories never link to either, and the evidence costs a pass over their documents.
pub(crate) struct OwnAddress {
    github: OnceLock<Option<GitHubRepo>>,
    sites: OnceLock<Sites>,
    /// Absolute URLs of the repository's live documents (its self-links among them).
    urls: OnceLock<Vec<String>>,
}

/// The repository's sites and the hosts that serve them.
struct Sites {
    model: SiteModel,
    /// Hosts, lower-cased, with the site each serves.
    hosts: Vec<(String, usize)>,
}

impl OwnAddress {
    pub(crate) fn new() -> OwnAddress {
        OwnAddress {
            github: OnceLock::new(),
            sites: OnceLock::new(),
            urls: OnceLock::new(),
        }
    }

    /// The repository file an absolute URL names: a file on GitHub, or a page of its own site.
    pub(crate) fn path_of(&self, repo: &Repository, url: &str) -> Option<String> {
        let (host, path) = split_url(url)?;
        if host == "github.com" {
            // Only links into a repository's files can name one of ours.
            let view = path.trim_start_matches('/').split('/').nth(2);
            if !matches!(view, Some("blob" | "tree" | "raw")) {
                return None;
            }
            let github = self.github.get_or_init(|| {
                GitHubRepo::from_checkout(repo.root())
                    .or_else(|| github_from_self_links(repo, self.urls(repo)))
            });
            return github.as_ref().and_then(|g| g.path_of(url));
        }
        let sites = self.sites.get_or_init(|| Sites::find(repo, self));
        let files = RepoFiles {
            repo,
            tree: repo.tree(),
        };
        sites
            .hosts
            .iter()
            .filter(|(h, _)| *h == host)
            .find_map(
                |&(_, site)| match sites.model.lookup(site, &path, &files)? {
                    SiteTarget::Page(p) | SiteTarget::File(p) => Some(p),
                    SiteTarget::Generated => None,
                },
            )
    }

    /// Whether `text` can name one of the repository's files by URL: one of its absolute URLs is on
    /// GitHub or on a host of the repository's published site. Most documents link nowhere of
    /// their own; their URLs are then not worth extracting.
    pub(crate) fn may_be_named_in(&self, repo: &Repository, text: &str) -> bool {
        let hosts: Vec<&str> = memchr::memmem::find_iter(text.as_bytes(), b"://")
            .map(|at| {
                let rest = &text[at + 3..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')))
                    .unwrap_or(rest.len());
                let host = &rest[..end];
                match host.get(..4) {
                    Some(www) if www.eq_ignore_ascii_case("www.") => &host[4..],
                    _ => host,
                }
            })
            .collect();
        if hosts.iter().any(|h| h.eq_ignore_ascii_case("github.com")) {
            return true;
        }
        if hosts.is_empty() {
            return false;
        }
        let sites = self.sites.get_or_init(|| Sites::find(repo, self));
        hosts.iter().any(|h| {
            sites
                .hosts
                .iter()
                .any(|(site, _)| h.eq_ignore_ascii_case(site))
        })
    }

    fn urls(&self, repo: &Repository) -> &[String] {
        self.urls.get_or_init(|| self_urls(repo))
    }
}

impl Sites {
    fn find(repo: &Repository, address: &OwnAddress) -> Sites {
        let files = RepoFiles {
            repo,
            tree: repo.tree(),
        };
        let mut sites = Sites {
            model: SiteModel::detect(&files),
            hosts: Vec::new(),
        };
        if sites.model.is_empty() {
            return sites;
        }
        sites.hosts = sites.cname_hosts(repo);
        let from_links = sites.hosts_from_self_links(repo, address.urls(repo));
        sites.hosts.extend(from_links);
        sites.hosts.sort();
        sites.hosts.dedup();
        sites
    }

    /// Hosts named by a GitHub Pages `CNAME` file in a site's folder.
    fn cname_hosts(&self, repo: &Repository) -> Vec<(String, usize)> {
        let index = repo.index();
        let mut hosts = Vec::new();
        for (i, site) in self.model.sites().iter().enumerate() {
            // GitHub Pages reads CNAME from the published root: the site's folder, a static
            // folder or a content folder (MkDocs copies `docs/CNAME`).
            let dirs = std::iter::once(site.root.as_str())
                .chain(site.statics.iter().map(String::as_str))
                .chain(site.content.iter().map(|c| c.dir.as_str()));
            for dir in dirs {
                let path = crate::site::join(dir, "CNAME");
                let Some(id) = index.find(&path) else {
                    continue;
                };
                let Ok(bytes) = repo.read_bytes(id) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&bytes);
                if let Some(host) = text.split_whitespace().next() {
                    hosts.push((host.to_ascii_lowercase(), i));
                }
            }
        }
        hosts
    }

    /// Hosts whose URLs in the repository's documents mostly name pages of one of its sites.
    fn hosts_from_self_links(&self, repo: &Repository, urls: &[String]) -> Vec<(String, usize)> {
        let files = RepoFiles {
            repo,
            tree: repo.tree(),
        };
        // Per host and site: distinct paths that resolve, and those that do not.
        let mut counts: BTreeMap<(String, usize), (usize, usize)> = BTreeMap::new();
        let mut seen = std::collections::BTreeSet::new();
        for url in urls {
            let Some((host, path)) = split_url(url) else {
                continue;
            };
            // Every host's home page resolves: only deeper paths are evidence.
            if host == "github.com"
                || path.trim_matches('/').is_empty()
                || !seen.insert((host.clone(), path.clone()))
            {
                continue;
            }
            for i in 0..self.model.sites().len() {
                let entry = counts.entry((host.clone(), i)).or_default();
                match self.model.lookup(i, &path, &files) {
                    Some(SiteTarget::Page(_)) => entry.0 += 1,
                    _ => entry.1 += 1,
                }
            }
        }
        counts
            .into_iter()
            .filter(|(_, (hit, miss))| *hit >= MIN_SELF_LINKS && hit > miss)
            .map(|(key, _)| key)
            .collect()
    }
}

/// `https://Host/path?q#a` → (`host`, `/path`).
fn split_url(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = path.split(['#', '?']).next().unwrap_or("/");
    let host = host.trim_start_matches("www.").to_ascii_lowercase();
    (!host.is_empty()).then(|| (host, path.to_string()))
}

/// Every absolute link target of the repository's live documents (bare URLs in prose are left
/// out: links are evidence enough, and scanning every document's prose costs a pass over its text).
fn self_urls(repo: &Repository) -> Vec<String> {
    let index = repo.index();
    let mut urls = Vec::new();
    for id in index.ids().filter(|id| index.kind(*id).is_markup()) {
        if !repo.place_lifecycle(id).is_live() {
            continue;
        }
        let Some(doc) = repo.document(id) else {
            continue;
        };
        urls.extend(
            doc.links
                .iter()
                .filter(|l| l.kind != LinkKind::Image)
                .map(|l| l.target.trim())
                .filter(|t| t.starts_with("http://") || t.starts_with("https://"))
                .map(str::to_string),
        );
    }
    urls
}

/// The absolute URLs a document names: its links and the bare URLs of its prose.
pub(crate) fn absolute_urls(repo: &Repository, id: FileId) -> Vec<String> {
    let Some(doc) = repo.document(id) else {
        return Vec::new();
    };
    let mut urls: Vec<String> = doc
        .links
        .iter()
        .filter(|l| l.kind != LinkKind::Image && doc.hidden_at(l.span.start).is_none())
        .map(|l| l.target.trim().to_string())
        .filter(|t| t.starts_with("http://") || t.starts_with("https://"))
        .collect();
    for (offset, piece) in doc.prose(doc.full()) {
        for m in BARE_URL.find_iter(piece) {
            // A URL inside a link's target is already counted.
            if doc
                .links
                .iter()
                .any(|l| l.span.contains(&(offset + m.start())))
            {
                continue;
            }
            urls.push(
                m.as_str()
                    .trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_'])
                    .to_string(),
            );
        }
    }
    urls
}

/// The GitHub repository most self-links name: `github.com/OWNER/REPO/blob|tree/BRANCH/PATH`
/// links whose path exists in the repository.
fn github_from_self_links(repo: &Repository, urls: &[String]) -> Option<GitHubRepo> {
    let mut found: BTreeMap<(String, String), (std::collections::BTreeSet<String>, Vec<String>)> =
        BTreeMap::new();
    for url in urls {
        let Some((host, path)) = split_url(url) else {
            continue;
        };
        if host != "github.com" {
            continue;
        }
        let mut parts = path.trim_start_matches('/').splitn(5, '/');
        let (Some(owner), Some(name), Some(view), Some(branch), Some(rest)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            continue;
        };
        if !matches!(view, "blob" | "tree") {
            continue;
        }
        let rest = crate::doc::percent_decode(rest.trim_end_matches('/'));
        let exists = repo.index().find(&rest).is_some()
            || repo.index().is_dir(&rest)
            || repo
                .tree()
                .is_some_and(|t| t.is_file(&rest) || t.is_dir(&rest));
        if !exists {
            continue;
        }
        let entry = found
            .entry((owner.to_ascii_lowercase(), name.to_ascii_lowercase()))
            .or_default();
        entry.0.insert(rest);
        if !entry.1.iter().any(|b| b == branch) {
            entry.1.push(branch.to_string());
        }
    }
    let ((owner, name), (_, branches)) = found
        .into_iter()
        .filter(|(_, (paths, _))| paths.len() >= MIN_SELF_LINKS)
        .max_by_key(|(_, (paths, _))| paths.len())?;
    Some(GitHubRepo {
        owner,
        name,
        branches,
    })
}

#[cfg(test)]
mod tests {
    use super::{split_url, OwnAddress};
    use crate::scan::{Repository, ScanOptions};

    #[test]
    fn only_texts_with_a_url_on_github_or_the_sites_hosts_can_name_own_files() {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(dir.path().join("README.md"), "# Project\n").expect("readme");
        let repo = Repository::open(dir.path(), &ScanOptions::default());
        let address = OwnAddress::new();
        for (text, named) in [
            (
                "See https://example.org/guide and mailto:a@example.org.",
                false,
            ),
            ("No links at all.", false),
            (
                "[guide](https://github.com/owner/name/blob/main/GUIDE.md)",
                true,
            ),
            ("<HTTPS://WWW.GitHub.com/owner/name/tree/main/docs>", true),
            ("https://github.community/t/1 is a forum", false),
        ] {
            assert_eq!(address.may_be_named_in(&repo, text), named, "{text}");
        }
    }

    #[test]
    fn urls_split_into_host_and_path() {
        assert_eq!(
            split_url("https://www.Example.org/docs/guide/#setup"),
            Some(("example.org".to_string(), "/docs/guide/".to_string()))
        );
        assert_eq!(
            split_url("https://example.org"),
            Some(("example.org".to_string(), "/".to_string()))
        );
        assert_eq!(split_url("mailto:a@example.org"), None);
    }
}
