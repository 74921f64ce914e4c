//! The static sites a repository publishes, and the URLs each of its pages is served at.
//!
//! A documentation or community repository is often also the source of a web site: the same
//! Markdown is read on GitHub and built by Jekyll, Hugo, Docusaurus, MkDocs… into pages whose URLs
//! are not file paths. [`SiteModel::detect`] finds the sites from the generators' own config files
//! (by name, anywhere in the tree: on disk or in the repository's full file list), reads those
//! configs when they are on disk, and falls back on each generator's documented defaults when they
//! are not. [`SiteModel::page`] says which site serves a document and at which URLs;
//! [`SiteModel::resolve`] follows a link from a page the way the generator and the browser do.
//!
//! This module knows documents and files, never rules.

mod config;
mod github;
mod routes;

use std::collections::HashMap;

use crate::doc::{FrontMatter, HeadingIds};
use crate::scan::{Repository, TreeList};

pub use github::GitHubRepo;
pub use routes::route_key;

/// A static-site generator, recognised by its config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Generator {
    /// `docusaurus.config.{js,ts,mjs,cjs}`.
    Docusaurus,
    /// `hugo.{toml,yaml,yml,json}`, `config.{toml,yaml,yml}` or `config/_default/*` beside a
    /// `content/` folder (Docsy is a Hugo theme: the same rules).
    Hugo,
    /// `_config.yml` (GitHub Pages).
    Jekyll,
    /// `.eleventy.js`, `eleventy.config.*`.
    Eleventy,
    /// `mkdocs.yml`.
    MkDocs,
    /// `conf.py` beside an `index.rst` or `index.md`.
    Sphinx,
    /// `myst.yml` (mystmd), or `_config.yml` with `_toc.yml` (Jupyter Book).
    MyST,
    /// `antora.yml`: a component whose pages are `modules/<module>/pages/`.
    Antora,
    /// `.gitbook.yaml`, or `SUMMARY.md` beside a `.gitbook/` folder.
    GitBook,
    /// Folders the user listed as `site_roots` in `ospolint.toml`, served at the site root by a
    /// generator ospolint does not need to know.
    Configured,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Docusaurus => "Docusaurus",
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
            Generator::Eleventy => "Eleventy",
            Generator::MkDocs => "MkDocs",
            Generator::Sphinx => "Sphinx",
            Generator::MyST => "MyST",
            Generator::Antora => "Antora",
            Generator::GitBook => "GitBook",
            Generator::Configured => "configured",
        }
    }

    /// The site in words, for messages: "Hugo site", "site (`site_roots`)".
    pub fn site_description(self) -> String {
        match self {
            Generator::Configured => "site (`site_roots` in ospolint.toml)".to_string(),
            generator => format!("{} site", generator.name()),
        }
    }

    /// How the generator's Markdown (or reST, AsciiDoc) renderer makes heading anchors.
    pub fn heading_ids(self) -> HeadingIds {
        match self {
            // github-slugger; Goldmark's default `autoHeadingIDType = "github"`; GitBook's own ids
            // follow GitHub's.
            Generator::Docusaurus
            | Generator::Hugo
            | Generator::GitBook
            | Generator::Eleventy
            | Generator::Configured => HeadingIds::GitHub,
            // GitHub Pages builds Markdown with kramdown and its `auto_ids` option.
            Generator::Jekyll => HeadingIds::Kramdown,
            // Python-Markdown's `toc` extension, enabled by every MkDocs theme.
            Generator::MkDocs => HeadingIds::PythonMarkdown,
            // docutils makes section ids, MyST-Parser and mystmd follow them.
            Generator::Sphinx | Generator::MyST => HeadingIds::Docutils,
            // Antora sets `idprefix` to empty and `idseparator` to `-`.
            Generator::Antora => HeadingIds::Asciidoctor,
        }
    }

    /// Sphinx, MyST and Jupyter Book resolve a link to a source document written without its
    /// extension (`[text](./other)` is `other.md`), and their labels are global to the project.
    pub fn cross_references(self) -> bool {
        matches!(self, Generator::Sphinx | Generator::MyST)
    }
}

/// How a site turns a source path into a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlStyle {
    /// `page.md` is served at `/page.html` (Jekyll's default `date` permalinks, Sphinx, Antora).
    Html,
    /// `page.md` is served at `/page/` (Hugo, MkDocs's `use_directory_urls`, Eleventy).
    Pretty,
    /// `page.md` is served at `/page` (Docusaurus, mystmd, GitBook).
    Extensionless,
    /// The config that decides is not readable: either `.html` or pretty URLs (Jekyll, Sphinx's
    /// `html` and `dirhtml` builders).
    HtmlOrPretty,
}

/// A folder of sources that a site builds into pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentRoot {
    /// Repository-relative folder (`""` for the repository root).
    pub dir: String,
    /// URL path the folder's pages are served under (`docs` for Docusaurus docs, a Jekyll
    /// collection's name), without slashes.
    pub url_prefix: String,
    /// The prefix may be left out: a Jekyll collection whose `permalink` is not readable is served
    /// under its name by default but is usually given a `/:path/` permalink; a Hugo site's default
    /// language is served without its language folder.
    pub prefix_optional: bool,
    /// Jekyll's `_posts`: `YYYY-MM-DD-title.md` is served at `/YYYY/MM/DD/title.html`.
    pub dated: bool,
    /// The folder's own URL style, when it differs from the site's (a Jekyll collection's
    /// `permalink`).
    pub style: Option<UrlStyle>,
}

/// One site a repository publishes.
#[derive(Debug, Clone)]
pub struct Site {
    pub generator: Generator,
    /// The config file the site was recognised by.
    pub config: String,
    /// Whether the config was read (on disk) or the generator's defaults are used.
    pub config_read: bool,
    /// The site's folder: where its config lives (`""` for the repository root).
    pub root: String,
    /// Folders whose sources become pages.
    pub content: Vec<ContentRoot>,
    /// Folders copied to the site root as they are (`static/`, Jekyll's whole source folder).
    pub statics: Vec<String>,
    pub style: UrlStyle,
    /// The path the site is served under (`/project`), from the config or, when it is not
    /// readable, from the site's own links (see [`SiteModel::infer_from_links`]).
    pub base_url: Option<String>,
    /// Hugo lower-cases URLs (`disablePathToLower` is off by default).
    pub lowercase_urls: bool,
    /// The site serves every document of the repository, wherever it is (the user's
    /// `site_roots`: root-relative links from any document resolve against those folders).
    pub whole_repository: bool,
}

impl Site {
    /// The content root holding `path`, the deepest first.
    fn content_root_of(&self, path: &str) -> Option<&ContentRoot> {
        self.content
            .iter()
            .filter(|c| within(&c.dir, path))
            .max_by_key(|c| c.dir.len())
    }

    /// Whether the site builds `path` into a page or copies it.
    pub fn contains(&self, path: &str) -> bool {
        self.whole_repository || self.content_root_of(path).is_some()
    }
}

/// A document as a page of a site: the site, and the URLs it is served at (without the base URL;
/// more than one when the config that decides is not readable).
#[derive(Debug, Clone)]
pub struct Page<'s> {
    pub site: &'s Site,
    pub site_index: usize,
    pub urls: Vec<String>,
}

/// What a link from a site page reaches on the published site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteTarget {
    /// The page built from this source file.
    Page(String),
    /// A file the site copies as it is.
    File(String),
    /// An output the generator makes without a source (Hugo's `index.xml` feeds).
    Generated,
}

/// Every site of a repository, and the URLs their pages are served at.
#[derive(Debug, Default)]
pub struct SiteModel {
    sites: Vec<Site>,
    routes: routes::Routes,
}

/// Whether `path` is `dir` or inside it (`dir` `""` holds everything).
pub(crate) fn within(dir: &str, path: &str) -> bool {
    dir.is_empty() || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// The folder part of a repository path (`""` at the root).
pub(crate) fn parent(path: &str) -> &str {
    crate::doc::split_name(path).0
}

/// `dir/name`, or `name` at the root.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else if name.is_empty() {
        dir.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The repository's files: those on disk and those of its full file list.
pub struct RepoFiles<'a> {
    pub repo: &'a Repository,
    pub tree: Option<&'a TreeList>,
}

impl RepoFiles<'_> {
    pub fn is_file(&self, path: &str) -> bool {
        self.repo.index().find(path).is_some() || self.tree.is_some_and(|t| t.is_file(path))
    }

    pub fn is_dir(&self, path: &str) -> bool {
        self.repo.index().is_dir(path) || self.tree.is_some_and(|t| t.is_dir(path))
    }

    /// A file's text, when it is on disk.
    fn read(&self, path: &str) -> Option<String> {
        let id = self.repo.index().find(path)?;
        let bytes = self.repo.read_bytes(id).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// Every path, sorted, without repeats.
    fn paths(&self) -> Vec<&str> {
        let index = self.repo.index();
        let mut paths: Vec<&str> = index.ids().map(|id| index.path(id)).collect();
        if let Some(tree) = self.tree {
            paths.extend(tree.files());
            paths.sort_unstable();
            paths.dedup();
        }
        paths
    }
}

impl SiteModel {
    /// Finds the sites of a repository by their config files, from the file index and the full
    /// file list (no walk), and indexes the URLs of their pages by path. Front matter that moves a
    /// page (`permalink`, `slug`, `url`, `aliases`, `id`) is added by [`SiteModel::add_page`].
    pub fn detect(files: &RepoFiles<'_>) -> SiteModel {
        let paths = files.paths();
        let mut sites = config::detect(&paths, files);
        // Deeper sites first, so the first site containing a path is the nearest.
        sites.sort_by(|a, b| {
            b.root
                .matches('/')
                .count()
                .cmp(&a.root.matches('/').count())
                .then(b.root.len().cmp(&a.root.len()))
                .then(a.config.cmp(&b.config))
        });
        let mut model = SiteModel {
            sites,
            routes: routes::Routes::default(),
        };
        if !model.sites.is_empty() {
            for path in paths {
                model.add_path(path);
            }
        }
        model
    }

    /// Sites built from folders the user configured (`site_roots`): each folder is served at the
    /// site root, its pages at pretty URLs (Hugo's `static/` and `content/`).
    pub fn with_site_roots(mut self, roots: &[String], files: &RepoFiles<'_>) -> SiteModel {
        if roots.is_empty() {
            return self;
        }
        let content = roots
            .iter()
            .map(|r| ContentRoot {
                dir: r.trim_matches('/').to_string(),
                url_prefix: String::new(),
                prefix_optional: false,
                dated: false,
                style: None,
            })
            .collect();
        self.sites.push(Site {
            generator: Generator::Configured,
            config: "ospolint.toml (site_roots)".to_string(),
            config_read: true,
            root: String::new(),
            content,
            statics: roots
                .iter()
                .map(|r| r.trim_matches('/').to_string())
                .collect(),
            style: UrlStyle::Pretty,
            base_url: None,
            lowercase_urls: false,
            whole_repository: true,
        });
        for path in files.paths() {
            self.add_path(path);
        }
        self
    }

    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    /// The site that builds `path`, the nearest first.
    pub fn site_of(&self, path: &str) -> Option<(usize, &Site)> {
        self.sites
            .iter()
            .enumerate()
            .find(|(_, s)| s.contains(path))
    }

    fn add_path(&mut self, path: &str) {
        for (i, site) in self.sites.iter().enumerate() {
            if let Some(root) = site.content_root_of(path) {
                for key in routes::path_keys(site, root, path) {
                    self.routes.insert(i, key, path);
                }
                break;
            }
        }
    }

    /// Adds the URLs a page's front matter gives it.
    pub fn add_page(&mut self, path: &str, front_matter: &FrontMatter) {
        let Some((i, site)) = self.site_of(path) else {
            return;
        };
        let keys: Vec<String> = routes::front_matter_urls(site, path, front_matter)
            .iter()
            .map(|url| routes::site_key(site, url.strip_prefix("alias:").unwrap_or(url)))
            .collect();
        for key in keys {
            self.routes.insert(i, key, path);
        }
    }

    /// The page a document is on, if a site builds it.
    pub fn page(&self, path: &str, front_matter: Option<&FrontMatter>) -> Option<Page<'_>> {
        let (site_index, site) = self.site_of(path)?;
        let repository = ContentRoot {
            dir: String::new(),
            url_prefix: String::new(),
            prefix_optional: false,
            dated: false,
            style: None,
        };
        let root = site.content_root_of(path).unwrap_or(&repository);
        let mut urls = front_matter
            .map(|fm| routes::front_matter_urls(site, path, fm))
            .unwrap_or_default();
        // Aliases are extra URLs; the page's own URL comes from `permalink`, `url` or `slug`.
        urls.retain(|u| !u.starts_with("alias:"));
        if urls.is_empty() {
            urls = routes::page_urls(site, root, path);
        }
        if urls.is_empty() {
            return None;
        }
        Some(Page {
            site,
            site_index,
            urls,
        })
    }

    /// Follows `target` (a path with no anchor or query, percent-decoded) from a page, as the
    /// published site does: root-relative against the site root (with or without its base URL),
    /// relative against the page's URL; then the page built there, a static file, a generated
    /// output; and, for generators that have them, source documents named without extension.
    pub fn resolve(
        &self,
        page: &Page<'_>,
        from_path: &str,
        target: &str,
        files: &RepoFiles<'_>,
    ) -> Option<SiteTarget> {
        let site = page.site;
        let mut urls = Vec::new();
        if target.starts_with('/') {
            if let Some(rest) = site
                .base_url
                .as_deref()
                .and_then(|base| strip_base(target, base))
            {
                urls.push(rest);
            }
            urls.push(target.to_string());
        } else {
            for from in &page.urls {
                urls.push(routes::join_url(from, target));
            }
        }
        for url in &urls {
            if let Some(found) = self.lookup(page.site_index, url, files) {
                return Some(found);
            }
        }
        if site.generator.cross_references() {
            let base = if target.starts_with('/') {
                site.root.clone()
            } else {
                parent(from_path).to_string()
            };
            let resolved = crate::doc::resolve_link_path(&join(&base, "x"), target)?;
            for ext in ["", ".md", ".rst", ".ipynb", ".myst.md", ".txt"] {
                let candidate = format!("{resolved}{ext}");
                if files.is_file(&candidate) {
                    return Some(SiteTarget::Page(candidate));
                }
            }
        }
        if site.generator == Generator::Antora {
            return routes::antora_target(from_path, target, files);
        }
        None
    }

    /// What the site serves at `url` (a path from the site root, without base URL).
    pub fn lookup(
        &self,
        site_index: usize,
        url: &str,
        files: &RepoFiles<'_>,
    ) -> Option<SiteTarget> {
        let site = &self.sites[site_index];
        let key = routes::site_key(site, url);
        if let Some(path) = self.routes.get(site_index, &key) {
            return Some(SiteTarget::Page(path.to_string()));
        }
        let rel = url
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_start_matches('/');
        let rel = crate::doc::percent_decode(rel);
        let rel = rel.trim_end_matches('/');
        // Hugo makes an RSS feed, `index.xml`, for the home page, each section and each
        // taxonomy (its default outputs for list pages).
        if site.generator == Generator::Hugo {
            if let Some(list) = rel
                .strip_suffix("index.xml")
                .map(|l| l.trim_end_matches('/'))
            {
                if self
                    .routes
                    .get(site_index, &routes::site_key(site, list))
                    .is_some()
                {
                    return Some(SiteTarget::Generated);
                }
            }
        }
        for dir in site.statics.iter().chain(
            site.content
                .iter()
                .filter(|c| c.url_prefix.is_empty())
                .map(|c| &c.dir),
        ) {
            let candidate = join(dir, rel);
            if !rel.is_empty() && files.is_file(&candidate) {
                return Some(SiteTarget::File(candidate));
            }
        }
        for root in site.content.iter().filter(|c| !c.url_prefix.is_empty()) {
            if let Some(rest) = rel
                .strip_prefix(root.url_prefix.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                let candidate = join(&root.dir, rest);
                if files.is_file(&candidate) {
                    return Some(SiteTarget::File(candidate));
                }
            }
        }
        None
    }

    /// What the configs did not say, from the sites' own links. `links` holds, per site, the
    /// link targets of its pages (path part, decoded).
    ///
    /// - The URL style, when the config that decides is not readable: a site whose links name
    ///   pages by `.html` is built with `.html` URLs, one whose links end in `/` with pretty ones.
    /// - The base URL: a first path segment that many of a site's root-relative links share, that
    ///   is not a folder or page of the site itself, and after which those links resolve.
    pub fn infer_from_links(&mut self, links: &HashMap<usize, Vec<String>>, files: &RepoFiles<'_>) {
        for (&i, targets) in links {
            if self.sites[i].style != UrlStyle::HtmlOrPretty {
                continue;
            }
            let html = targets.iter().filter(|t| t.ends_with(".html")).count();
            let pretty = targets
                .iter()
                .filter(|t| t.ends_with('/') && t.trim_matches(['.', '/']).len() > 1)
                .count();
            if html >= 2 && html > 2 * pretty {
                self.sites[i].style = UrlStyle::Html;
            } else if pretty >= 2 && pretty > 2 * html {
                self.sites[i].style = UrlStyle::Pretty;
            }
        }
        let mut found = Vec::new();
        for (&i, targets) in links {
            let site = &self.sites[i];
            if site.base_url.is_some() {
                continue;
            }
            let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
            for target in targets.iter().filter(|t| t.starts_with('/')) {
                let Some(first) = target
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .filter(|f| !f.is_empty())
                else {
                    continue;
                };
                let rest = &target.trim_start_matches('/')[first.len()..];
                if rest.is_empty() {
                    continue;
                }
                let entry = counts.entry(first).or_default();
                if self.lookup(i, rest, files).is_some() && self.lookup(i, target, files).is_none()
                {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
            let best = counts
                .into_iter()
                .filter(|(first, (resolved, other))| {
                    *resolved >= 2
                        && resolved > other
                        && self.lookup(i, first, files).is_none()
                        && !site
                            .content
                            .iter()
                            .any(|c| files.is_dir(&join(&c.dir, first)))
                })
                .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0)));
            if let Some((first, _)) = best {
                found.push((i, format!("/{first}")));
            }
        }
        for (i, base) in found {
            self.sites[i].base_url = Some(base);
        }
    }
}

/// `target` without the base URL `base`, when it starts with it.
fn strip_base(target: &str, base: &str) -> Option<String> {
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return None;
    }
    let rest = target.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then(|| {
        if rest.is_empty() {
            "/".to_string()
        } else {
            rest.to_string()
        }
    })
}

#[cfg(test)]
mod tests;
