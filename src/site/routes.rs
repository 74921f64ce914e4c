//! URLs of pages: from their source path, from their front matter, and relative to another page.

use std::collections::HashMap;

use super::{join, ContentRoot, Generator, RepoFiles, Site, SiteTarget, UrlStyle};
use crate::doc::{percent_decode, FrontMatter};

/// Pages by site and URL key.
#[derive(Debug, Default)]
pub(super) struct Routes {
    pages: HashMap<(usize, String), String>,
}

impl Routes {
    /// The first source to claim a URL keeps it (paths come sorted; front matter comes after).
    pub(super) fn insert(&mut self, site: usize, key: String, path: &str) {
        self.pages
            .entry((site, key))
            .or_insert_with(|| path.to_string());
    }

    pub(super) fn get(&self, site: usize, key: &str) -> Option<&str> {
        self.pages.get(&(site, key.to_string())).map(String::as_str)
    }
}

/// A URL path reduced to what names a page: no query or fragment, no slashes at either end, no
/// `index.html`, no `.html`. `/docs/a/`, `/docs/a`, `/docs/a.html` and `/docs/a/index.html` are
/// one page: generators serve each URL style at the others too (a folder's `index.html`, GitHub
/// Pages' extensionless `.html`), and a link in any of them reaches it.
pub fn route_key(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or("");
    let url = percent_decode(url);
    let mut key = url.trim_matches('/');
    for index in ["index.html", "index.htm"] {
        if let Some(rest) = key.strip_suffix(index) {
            if rest.is_empty() || rest.ends_with('/') {
                key = rest.trim_end_matches('/');
            }
        }
    }
    for ext in [".html", ".htm"] {
        if let Some(rest) = key.strip_suffix(ext) {
            key = rest;
        }
    }
    if key == "index" {
        key = "";
    } else if let Some(rest) = key.strip_suffix("/index") {
        key = rest;
    }
    key.to_string()
}

/// [`route_key`], lower-cased for a site that lower-cases its URLs.
pub(super) fn site_key(site: &Site, url: &str) -> String {
    let key = route_key(url);
    if site.lowercase_urls {
        key.to_lowercase()
    } else {
        key
    }
}

/// Sources a generator builds into pages.
fn is_page_source(ext: &str) -> bool {
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "md" | "markdown" | "mdown" | "mkd" | "mdx" | "html" | "htm" | "rst" | "ipynb" | "adoc"
    )
}

/// Names a folder's page is written under: it is served at the folder's URL. `_index` is Hugo's
/// branch bundle, `index` every generator's, `README` that of GitBook, MkDocs, Docusaurus and
/// GitHub Pages (jekyll-readme-index).
fn is_index_name(name: &str) -> bool {
    matches!(name, "index" | "_index") || name.eq_ignore_ascii_case("readme")
}

/// Docusaurus drops a number prefix (`01-intro`, `2. setup`) from each part of a doc's path.
fn strip_number_prefix(segment: &str) -> &str {
    let digits = segment.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return segment;
    }
    let rest = &segment[digits..];
    let Some(after) = rest.strip_prefix(['-', '_', '.']) else {
        return segment;
    };
    let after = after.trim_start();
    if after.is_empty() {
        segment
    } else {
        after
    }
}

/// The URL path of a page built from `path` under `root`, as key parts, and whether it is a
/// folder's page. `None` for files that are not pages (partials, data, images).
fn path_route(site: &Site, root: &ContentRoot, path: &str) -> Option<(Vec<String>, bool)> {
    let rel = if root.dir.is_empty() {
        path
    } else {
        path.get(root.dir.len() + 1..)?
    };
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ext) = name.rsplit_once('.')?;
    if !is_page_source(ext) || stem.is_empty() {
        return None;
    }
    let mut segments: Vec<&str> = rel.split('/').collect();
    segments.pop();
    // Files and folders starting with `_` or `.` are partials, layouts and data, not pages
    // (Jekyll, Hugo, Docusaurus, Eleventy); Hugo's `_index` is the exception.
    if segments.iter().any(|s| s.starts_with(['_', '.']))
        || (stem.starts_with(['_', '.']) && stem != "_index")
    {
        return None;
    }
    let mut parts: Vec<String> = Vec::with_capacity(segments.len() + 3);
    let docusaurus = site.generator == Generator::Docusaurus;
    for segment in &segments {
        parts.push(if docusaurus {
            strip_number_prefix(segment).to_string()
        } else {
            segment.to_string()
        });
    }
    let mut last = if docusaurus {
        strip_number_prefix(stem).to_string()
    } else {
        stem.to_string()
    };
    if root.dated {
        // `2024-05-01-title` is served at `2024/05/01/title` (Jekyll posts, Docusaurus blog).
        let bytes = last.as_bytes();
        if bytes.len() > 11
            && bytes[..10].iter().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
            && bytes[10] == b'-'
        {
            let (date, title) = last.split_at(10);
            parts.extend(date.split('-').map(str::to_string));
            last = title[1..].to_string();
        }
    }
    // A doc named like its folder is the folder's page in Docusaurus (a category index).
    let folder_page =
        is_index_name(&last) || (docusaurus && segments.last().is_some_and(|s| *s == stem));
    if !folder_page {
        parts.push(last);
    }
    Some((parts, folder_page))
}

/// The URL keys a source path is served at.
pub(super) fn path_keys(site: &Site, root: &ContentRoot, path: &str) -> Vec<String> {
    let Some((parts, _)) = path_route(site, root, path) else {
        return Vec::new();
    };
    let key = parts.join("/");
    let mut keys = Vec::with_capacity(2);
    if root.url_prefix.is_empty() {
        keys.push(key);
    } else {
        keys.push(join(&root.url_prefix, &key));
        if root.prefix_optional {
            keys.push(key);
        }
    }
    if site.lowercase_urls {
        for key in &mut keys {
            *key = key.to_lowercase();
        }
    }
    keys
}

/// The URLs a page is served at, from its path, in the site's URL style.
pub(super) fn page_urls(site: &Site, root: &ContentRoot, path: &str) -> Vec<String> {
    let Some((parts, folder_page)) = path_route(site, root, path) else {
        return Vec::new();
    };
    let key = parts.join("/");
    let mut keys = vec![join(&root.url_prefix, &key)];
    if root.prefix_optional && !root.url_prefix.is_empty() {
        keys.push(key);
    }
    let mut urls = Vec::new();
    for key in keys {
        let base = format!("/{key}");
        if key.is_empty() {
            urls.push("/".to_string());
            continue;
        }
        if folder_page {
            urls.push(format!("{base}/"));
            continue;
        }
        match root.style.unwrap_or(site.style) {
            UrlStyle::Html => urls.push(format!("{base}.html")),
            UrlStyle::Pretty => urls.push(format!("{base}/")),
            UrlStyle::Extensionless => urls.push(base),
            UrlStyle::HtmlOrPretty => {
                urls.push(format!("{base}.html"));
                urls.push(format!("{base}/"));
            }
        }
    }
    urls
}

/// URLs a page's front matter gives it, aliases marked `alias:` (extra URLs the generator
/// redirects from, not the page's own).
///
/// - Jekyll and Eleventy: `permalink` (a full URL path; patterns with `:` placeholders are left
///   to the path's URL).
/// - Hugo: `url` (the whole path), `slug` (the last part of the path), `aliases`.
/// - Docusaurus: `slug` (absolute with a leading `/`, else relative to the doc's folder), `id`
///   (the doc's name in its folder, when no slug is given).
pub(super) fn front_matter_urls(site: &Site, path: &str, fm: &FrontMatter) -> Vec<String> {
    let mut urls = Vec::new();
    let own_folder = || -> String {
        let root = site.content_root_of(path);
        let urls = root.map(|r| page_urls(site, r, path)).unwrap_or_default();
        urls.first()
            .map(|u| {
                let u = u.trim_end_matches('/');
                u.rsplit_once('/')
                    .map_or("/".to_string(), |(d, _)| format!("{d}/"))
            })
            .unwrap_or_else(|| "/".to_string())
    };
    match site.generator {
        Generator::Jekyll | Generator::Eleventy => {
            if let Some(p) = fm.get_str("permalink").filter(|p| !p.contains(':')) {
                urls.push(absolute(p));
            }
        }
        Generator::Hugo => {
            if let Some(url) = fm.get_str("url") {
                urls.push(absolute(url));
            } else if let Some(slug) = fm.get_str("slug") {
                urls.push(format!("{}{}/", own_folder(), slug.trim_matches('/')));
            }
            if let Some(aliases) = fm.get("aliases").and_then(|a| a.as_array()) {
                for alias in aliases.iter().filter_map(|a| a.as_str()) {
                    let alias = if alias.starts_with('/') {
                        alias.to_string()
                    } else {
                        format!("{}{alias}", own_folder())
                    };
                    urls.push(format!("alias:{alias}"));
                }
            }
        }
        Generator::Docusaurus => {
            let prefix = site
                .content_root_of(path)
                .map(|r| r.url_prefix.clone())
                .unwrap_or_default();
            if let Some(slug) = fm.get_str("slug") {
                if slug.starts_with('/') {
                    urls.push(absolute(&join(&prefix, slug.trim_start_matches('/'))));
                } else {
                    urls.push(format!("{}{}", own_folder(), slug));
                }
            } else if let Some(id) = fm.get_str("id") {
                urls.push(format!("{}{}", own_folder(), id.trim_matches('/')));
            }
        }
        _ => {}
    }
    urls
}

fn absolute(url: &str) -> String {
    if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    }
}

/// `target` relative to the page at URL `from`, as a browser resolves it. `..` above the site
/// root stays at the root, as browsers do.
pub(super) fn join_url(from: &str, target: &str) -> String {
    let from = from.strip_prefix("alias:").unwrap_or(from);
    let dir = match from.rfind('/') {
        Some(i) => &from[..=i],
        None => "/",
    };
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = target.ends_with('/');
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut url = format!("/{}", parts.join("/"));
    if trailing && url.len() > 1 {
        url.push('/');
    }
    url
}

/// Antora resolves a page's links and images against its module: `xref:other.adoc[]` in
/// `modules/<m>/pages/`, `image::x.png[]` in `modules/<m>/images/`, attachments in
/// `modules/<m>/attachments/`.
pub(super) fn antora_target(from: &str, target: &str, files: &RepoFiles<'_>) -> Option<SiteTarget> {
    let at = from
        .find("/modules/")
        .map(|i| i + 1)
        .or_else(|| from.starts_with("modules/").then_some(0))?;
    let rest = &from[at + "modules/".len()..];
    let module = rest.split('/').next()?;
    let module_dir = format!("{}modules/{module}", &from[..at]);
    let target = target.trim_start_matches("./");
    for family in ["pages", "images", "attachments", "partials", "examples"] {
        let candidate = join(&join(&module_dir, family), target);
        if files.is_file(&candidate) {
            return Some(if family == "pages" {
                SiteTarget::Page(candidate)
            } else {
                SiteTarget::File(candidate)
            });
        }
    }
    None
}
