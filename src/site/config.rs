//! Recognising sites by their config files, and reading those configs when they are on disk.
//! Where a config is not readable (only listed in the tree file) or says nothing, each generator's
//! documented default applies.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::{join, parent, ContentRoot, Generator, RepoFiles, Site, UrlStyle};

/// Folders Jekyll reads but does not publish as a collection.
const JEKYLL_RESERVED: &[&str] = &[
    "_layouts",
    "_includes",
    "_sass",
    "_data",
    "_site",
    "_plugins",
    "_drafts",
    "_posts",
    "_config",
    "_scss",
    "_assets",
];

pub(super) fn detect(paths: &[&str], files: &RepoFiles<'_>) -> Vec<Site> {
    let mut sites: Vec<Site> = Vec::new();
    for &path in paths {
        let (dir, name) = crate::doc::split_name(path);
        let site = match name {
            "docusaurus.config.js"
            | "docusaurus.config.ts"
            | "docusaurus.config.mjs"
            | "docusaurus.config.cjs" => Some(docusaurus(path, dir, files)),
            "hugo.toml" | "hugo.yaml" | "hugo.yml" | "hugo.json" => {
                Some(hugo(path, hugo_root(dir), paths, files))
            }
            // Hugo's older config name, and its config folder: only beside a `content/` folder,
            // never a stray config.toml of something else.
            "config.toml" | "config.yaml" | "config.yml" if files.is_dir(&join(dir, "content")) => {
                Some(hugo(path, dir, paths, files))
            }
            _ if is_hugo_config_dir(dir) && files.is_dir(&join(hugo_root(dir), "content")) => {
                Some(hugo(path, hugo_root(dir), paths, files))
            }
            "_config.yml" if files.is_file(&join(dir, "_toc.yml")) => {
                Some(simple(Generator::MyST, path, dir, UrlStyle::HtmlOrPretty))
            }
            "_config.yml" => Some(jekyll(path, dir, paths, files)),
            ".eleventy.js"
            | "eleventy.config.js"
            | "eleventy.config.mjs"
            | "eleventy.config.cjs"
            | "eleventy.config.ts" => Some(eleventy(path, dir, files)),
            "mkdocs.yml" | "mkdocs.yaml" => Some(mkdocs(path, dir, files)),
            // Any Python project may have a conf.py: a Sphinx source folder has its root
            // document beside it.
            "conf.py"
                if ["index.rst", "index.md", "index.ipynb", "contents.rst"]
                    .iter()
                    .any(|i| files.is_file(&join(dir, i))) =>
            {
                Some(simple(Generator::Sphinx, path, dir, UrlStyle::HtmlOrPretty))
            }
            // mystmd serves each page at its path without extension.
            "myst.yml" => Some(simple(Generator::MyST, path, dir, UrlStyle::Extensionless)),
            "antora.yml" => Some(antora(path, dir, paths)),
            ".gitbook.yaml" => Some(gitbook(path, dir, files)),
            "SUMMARY.md" if files.is_dir(&join(dir, ".gitbook")) => Some(simple(
                Generator::GitBook,
                path,
                dir,
                UrlStyle::Extensionless,
            )),
            _ => None,
        };
        // Sites of vendored packages are not the repository's.
        let vendored =
            || path.starts_with("vendor/") || path.split('/').any(|p| p == "node_modules");
        if let Some(site) = site.filter(|_| !vendored()) {
            if !sites
                .iter()
                .any(|s| s.generator == site.generator && s.root == site.root)
            {
                sites.push(site);
            }
        }
    }
    sites
}

/// `config/_default/` and `config/<environment>/` hold a Hugo site's config files.
fn is_hugo_config_dir(dir: &str) -> bool {
    let parent_dir = parent(dir);
    parent_dir == "config" || parent_dir.ends_with("/config")
}

/// The site folder of a Hugo config file: the folder above `config/<environment>/`.
fn hugo_root(dir: &str) -> &str {
    if is_hugo_config_dir(dir) {
        parent(parent(dir))
    } else {
        dir
    }
}

fn read_value(path: &str, files: &RepoFiles<'_>) -> Option<Value> {
    let text = files.read(path)?;
    if path.ends_with(".toml") {
        toml::from_str(&text).ok()
    } else if path.ends_with(".json") {
        serde_json::from_str(&text).ok()
    } else {
        serde_norway::from_str(&text).ok()
    }
}

fn get_str<'v>(value: Option<&'v Value>, key: &str) -> Option<&'v str> {
    value?
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.as_str())
}

/// The path part of a site URL (`https://example.org/project/` → `/project`), when not the root.
fn url_path(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") {
        after_scheme.split_once('/').map_or("", |(_, p)| p)
    } else {
        after_scheme
    };
    let path = path.trim_matches('/');
    (!path.is_empty()).then(|| format!("/{path}"))
}

/// Folders directly inside `dir` (from the sorted path list).
fn child_dirs<'p>(paths: &[&'p str], dir: &str) -> BTreeSet<&'p str> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let start = paths.partition_point(|p| *p < prefix.as_str());
    paths[start..]
        .iter()
        .take_while(|p| p.starts_with(&prefix))
        .filter_map(|p| p[prefix.len()..].split_once('/').map(|(child, _)| child))
        .collect()
}

fn content(dir: &str) -> ContentRoot {
    ContentRoot {
        dir: dir.to_string(),
        url_prefix: String::new(),
        prefix_optional: false,
        dated: false,
        style: None,
    }
}

fn simple(generator: Generator, config: &str, dir: &str, style: UrlStyle) -> Site {
    Site {
        generator,
        config: config.to_string(),
        config_read: false,
        root: dir.to_string(),
        content: vec![content(dir)],
        statics: Vec::new(),
        style,
        base_url: None,
        lowercase_urls: false,
        whole_repository: false,
    }
}

/// Docusaurus: docs under `routeBasePath` (default `docs`) from the docs plugin's `path` (default
/// `docs`, often `../docs` beside the website folder), the blog under `/blog` with dated posts,
/// `src/pages` at the root, `static/` copied to the root, `baseUrl` in front of everything.
/// Docs drop number prefixes and take `slug` and `id` from front matter (see `routes`).
fn docusaurus(config: &str, dir: &str, files: &RepoFiles<'_>) -> Site {
    static BASE_URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"baseUrl\s*:\s*['"`]([^'"`]*)['"`]"#).expect("valid regex"));
    static ROUTE_BASE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"routeBasePath\s*:\s*['"`]([^'"`]*)['"`]"#).expect("valid regex")
    });
    static DOCS_PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"docs\s*:\s*\{[^{}]*?\bpath\s*:\s*['"`]([^'"`]+)['"`]"#).expect("valid regex")
    });
    let text = files.read(config);
    let capture = |re: &Regex| {
        text.as_deref()
            .and_then(|t| re.captures(t))
            .map(|c| c[1].to_string())
    };
    let route_base = capture(&ROUTE_BASE).unwrap_or_else(|| "docs".to_string());
    let docs_dir = match capture(&DOCS_PATH) {
        Some(path) => crate::doc::resolve_link_path(&join(dir, "x"), &path),
        None if files.is_dir(&join(dir, "docs")) => Some(join(dir, "docs")),
        // The docs kept beside the website folder, as `path: '../docs'` does.
        None if !dir.is_empty() && files.is_dir(&join(parent(dir), "docs")) => {
            Some(join(parent(dir), "docs"))
        }
        None => None,
    };
    let mut content = Vec::new();
    if let Some(docs) = docs_dir {
        content.push(ContentRoot {
            dir: docs,
            url_prefix: route_base.trim_matches('/').to_string(),
            prefix_optional: false,
            dated: false,
            style: None,
        });
    }
    content.push(ContentRoot {
        dir: join(dir, "blog"),
        url_prefix: "blog".to_string(),
        prefix_optional: false,
        dated: true,
        style: None,
    });
    content.push(self::content(&join(dir, "src/pages")));
    Site {
        generator: Generator::Docusaurus,
        config: config.to_string(),
        config_read: text.is_some(),
        root: dir.to_string(),
        content,
        statics: vec![join(dir, "static")],
        style: UrlStyle::Extensionless,
        base_url: capture(&BASE_URL).and_then(|b| url_path(&b)),
        lowercase_urls: false,
        whole_repository: false,
    }
}

/// Hugo: pages from `contentDir` (default `content/`) at pretty URLs (`uglyURLs` makes them
/// `.html`), `staticDir` (default `static/`, and each theme's `static/`) copied to the root,
/// `baseURL`'s path in front, URLs lower-cased. A multilingual site keeps one folder per language
/// under `content/`; the default language is served without its prefix.
fn hugo(config: &str, root: &str, paths: &[&str], files: &RepoFiles<'_>) -> Site {
    let value = read_value(config, files);
    let value = value.as_ref();
    let content_dir = join(root, get_str(value, "contentDir").unwrap_or("content"));
    let mut statics = match value.and_then(|v| v.get("staticDir")) {
        Some(Value::Array(dirs)) => dirs
            .iter()
            .filter_map(Value::as_str)
            .map(|d| join(root, d))
            .collect(),
        Some(Value::String(d)) => vec![join(root, d)],
        _ => vec![join(root, "static")],
    };
    for theme in child_dirs(paths, &join(root, "themes")) {
        statics.push(join(root, &format!("themes/{theme}/static")));
    }
    let mut content = vec![self::content(&content_dir)];
    let languages_file = ["yaml", "yml", "toml", "json"]
        .iter()
        .any(|ext| files.is_file(&join(root, &format!("config/_default/languages.{ext}"))));
    let language_dirs: Vec<&str> = child_dirs(paths, &content_dir)
        .into_iter()
        .filter(|d| is_language_code(d))
        .collect();
    let multilingual = languages_file
        || value.is_some_and(|v| v.get("languages").is_some())
        || language_dirs.len() >= 2;
    if multilingual {
        for lang in language_dirs {
            content.push(ContentRoot {
                dir: join(&content_dir, lang),
                url_prefix: lang.to_string(),
                prefix_optional: true,
                dated: false,
                style: None,
            });
        }
    }
    let ugly = value
        .and_then(|v| v.get("uglyURLs"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let keep_case = value
        .and_then(|v| v.get("disablePathToLower"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Site {
        generator: Generator::Hugo,
        config: config.to_string(),
        config_read: value.is_some(),
        root: root.to_string(),
        content,
        statics,
        style: if ugly {
            UrlStyle::Html
        } else {
            UrlStyle::Pretty
        },
        base_url: get_str(value, "baseURL").and_then(url_path),
        lowercase_urls: !keep_case,
        whole_repository: false,
    }
}

/// `en`, `fr`, `zh-cn`, `pt-br`: a language folder of a multilingual site.
fn is_language_code(name: &str) -> bool {
    let (lang, region) = name.split_once('-').unwrap_or((name, ""));
    lang.len() == 2
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && (region.is_empty()
            || (2..=4).contains(&region.len()) && region.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Jekyll (GitHub Pages): every page of the source folder, `.html` URLs by default (`permalink:
/// pretty` or a pattern ending in `/` makes them pretty), `baseurl` in front, `_posts` at dated
/// URLs, and collections (`_name/`) served under `/name/` unless their `permalink` says
/// otherwise. Files outside `_` folders are copied as they are.
fn jekyll(config: &str, dir: &str, paths: &[&str], files: &RepoFiles<'_>) -> Site {
    let value = read_value(config, files);
    let value = value.as_ref();
    let source = join(
        dir,
        get_str(value, "source").unwrap_or("").trim_matches('/'),
    );
    let style = match get_str(value, "permalink") {
        Some(p) if p == "pretty" || p.ends_with('/') => UrlStyle::Pretty,
        Some(_) => UrlStyle::Html,
        None if value.is_some() => UrlStyle::Html,
        None => UrlStyle::HtmlOrPretty,
    };
    let mut content = vec![self::content(&source)];
    content.push(ContentRoot {
        dir: join(&source, "_posts"),
        url_prefix: String::new(),
        prefix_optional: false,
        dated: true,
        style: None,
    });
    let configured = value.and_then(|v| v.get("collections"));
    // (name, whether the prefix may be left out, the collection's own URL style)
    let collections: Vec<(String, bool, Option<UrlStyle>)> = match configured {
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(_, c)| c.get("output").and_then(Value::as_bool).unwrap_or(false))
            .map(|(name, c)| {
                let permalink = c.get("permalink").and_then(Value::as_str).unwrap_or("");
                // The default `/:collection/:path` keeps the prefix; a pattern without
                // `:collection` or the name drops it.
                let keeps = permalink.is_empty()
                    || permalink.contains(":collection")
                    || permalink.contains(name.as_str());
                let style = match permalink {
                    "" => None,
                    p if p == "pretty" || p.ends_with('/') => Some(UrlStyle::Pretty),
                    p if p.ends_with(".html") || p.ends_with(":output_ext") => Some(UrlStyle::Html),
                    _ => Some(UrlStyle::Extensionless),
                };
                (name.clone(), !keeps, style)
            })
            .collect(),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(|n| (n.to_string(), false, None))
            .collect(),
        // Not readable: any `_name/` folder with pages may be a published collection, under
        // its name or not.
        _ if value.is_none() => child_dirs(paths, &source)
            .into_iter()
            .filter(|d| d.starts_with('_') && !JEKYLL_RESERVED.contains(d))
            .map(|d| (d[1..].to_string(), true, None))
            .collect(),
        _ => Vec::new(),
    };
    for (name, optional, style) in collections {
        content.push(ContentRoot {
            dir: join(&source, &format!("_{name}")),
            url_prefix: name,
            prefix_optional: optional,
            dated: false,
            style,
        });
    }
    Site {
        generator: Generator::Jekyll,
        config: config.to_string(),
        config_read: value.is_some(),
        root: dir.to_string(),
        content,
        statics: Vec::new(),
        style,
        base_url: get_str(value, "baseurl").and_then(url_path),
        lowercase_urls: false,
        whole_repository: false,
    }
}

/// Eleventy: templates from the input folder (default the project folder, `dir.input` when the
/// config says so) at pretty URLs, `permalink` front matter.
fn eleventy(config: &str, dir: &str, files: &RepoFiles<'_>) -> Site {
    static INPUT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"input\s*:\s*['"`]([^'"`]+)['"`]"#).expect("valid regex"));
    let text = files.read(config);
    let input = text
        .as_deref()
        .and_then(|t| INPUT.captures(t))
        .map(|c| c[1].trim_matches(['.', '/']).to_string())
        .unwrap_or_default();
    let mut site = simple(Generator::Eleventy, config, dir, UrlStyle::Pretty);
    site.content = vec![content(&join(dir, &input))];
    site.config_read = text.is_some();
    site
}

/// MkDocs: pages from `docs_dir` (default `docs`), other files there copied; with
/// `use_directory_urls` (the default) `page.md` is `/page/`, else `/page.html`; `site_url`'s path
/// in front.
fn mkdocs(config: &str, dir: &str, files: &RepoFiles<'_>) -> Site {
    let value = read_value(config, files);
    let value = value.as_ref();
    let docs = join(
        dir,
        get_str(value, "docs_dir")
            .unwrap_or("docs")
            .trim_matches('/'),
    );
    let directory_urls = value
        .and_then(|v| v.get("use_directory_urls"))
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut site = simple(
        Generator::MkDocs,
        config,
        dir,
        if directory_urls {
            UrlStyle::Pretty
        } else {
            UrlStyle::Html
        },
    );
    site.content = vec![content(&docs)];
    site.base_url = get_str(value, "site_url").and_then(url_path);
    site.config_read = value.is_some();
    site
}

/// Antora: a component's pages are `modules/<module>/pages/`, served under the module's name
/// (the `ROOT` module at the component's root) at `.html` URLs.
fn antora(config: &str, dir: &str, paths: &[&str]) -> Site {
    let modules = join(dir, "modules");
    let content = child_dirs(paths, &modules)
        .into_iter()
        .map(|module| ContentRoot {
            dir: format!("{modules}/{module}/pages"),
            url_prefix: if module == "ROOT" {
                String::new()
            } else {
                module.to_string()
            },
            prefix_optional: false,
            dated: false,
            style: None,
        })
        .collect();
    let mut site = simple(Generator::Antora, config, dir, UrlStyle::Html);
    site.content = content;
    site
}

/// GitBook: pages from the `root` of `.gitbook.yaml` (default the folder itself), `README.md`
/// as each folder's page, URLs without extension.
fn gitbook(config: &str, dir: &str, files: &RepoFiles<'_>) -> Site {
    let value = read_value(config, files);
    let root = get_str(value.as_ref(), "root")
        .map(|r| join(dir, r.trim_matches(['.', '/'])))
        .unwrap_or_else(|| dir.to_string());
    let mut site = simple(Generator::GitBook, config, dir, UrlStyle::Extensionless);
    site.content = vec![content(&root)];
    site.config_read = value.is_some();
    site
}
