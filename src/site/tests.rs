use super::*;
use crate::scan::ScanOptions;

/// A model of a repository that exists only as a file list (nothing on disk).
fn model(list: &str) -> (tempfile::TempDir, TreeList) {
    let dir = tempfile::tempdir().expect("temporary folder");
    (dir, TreeList::parse(list))
}

fn detect(list: &str) -> (Vec<(Generator, String, Vec<String>)>, SiteModel) {
    let (dir, tree) = model(list);
    let repo = Repository::open(dir.path(), &ScanOptions::default());
    let files = RepoFiles {
        repo: &repo,
        tree: Some(&tree),
    };
    let model = SiteModel::detect(&files);
    let summary = model
        .sites()
        .iter()
        .map(|s| {
            (
                s.generator,
                s.root.clone(),
                s.content.iter().map(|c| c.dir.clone()).collect(),
            )
        })
        .collect();
    (summary, model)
}

#[test]
fn generators_by_their_config_files() {
    let (sites, _) = detect(
        "website/docusaurus.config.js\ndocs/intro.md\n\
         site/config.toml\nsite/content/_index.md\n\
         tools/config.toml\n.github/ISSUE_TEMPLATE/config.yml\n\
         _config.yml\nindex.md\n\
         book/_config.yml\nbook/_toc.yml\nbook/intro.md\n\
         handbook/mkdocs.yml\nhandbook/docs/index.md\n\
         py/conf.py\nref/conf.py\nref/index.rst\n\
         gov/myst.yml\nguide/.gitbook/assets/a.png\nguide/SUMMARY.md\n\
         comp/antora.yml\ncomp/modules/ROOT/pages/index.adoc\n",
    );
    let found: Vec<(Generator, &str)> = sites.iter().map(|(g, r, _)| (*g, r.as_str())).collect();
    for expected in [
        (Generator::Docusaurus, "website"),
        (Generator::Hugo, "site"),
        (Generator::Jekyll, ""),
        (Generator::MyST, "book"),
        (Generator::MkDocs, "handbook"),
        (Generator::Sphinx, "ref"),
        (Generator::MyST, "gov"),
        (Generator::GitBook, "guide"),
        (Generator::Antora, "comp"),
    ] {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    // A config.toml without a content/ folder beside it, a conf.py without a root document and
    // an issue-template config are not sites.
    assert!(!found
        .iter()
        .any(|(_, r)| *r == "tools" || *r == "py" || r.starts_with(".github")));
    let docusaurus = sites.iter().find(|s| s.0 == Generator::Docusaurus).unwrap();
    assert_eq!(docusaurus.2[0], "docs", "docs beside the website folder");
}

#[test]
fn hugo_config_folder_and_languages() {
    let (sites, model) = detect(
        "config/_default/hugo.yaml\nconfig/_default/languages.yaml\nconfig/production/hugo.yaml\n\
         content/en/guides/_index.md\ncontent/en/guides/strategy.md\ncontent/fr/guides/strategy.md\n\
         static/img/a.jpg\n",
    );
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].0, Generator::Hugo);
    let page = model.page("content/en/guides/strategy.md", None).unwrap();
    assert!(
        page.urls.contains(&"/guides/strategy/".to_string()),
        "{:?}",
        page.urls
    );
    assert!(page.urls.contains(&"/en/guides/strategy/".to_string()));
}

#[test]
fn jekyll_pages_collections_and_base_url() {
    let (dir, tree) = model(
        "_config.yml\nindex.md\ndocs/using/using.md\n_articles/legal.md\n_articles/notices.md\n_layouts/x.html\n",
    );
    let repo = Repository::open(dir.path(), &ScanOptions::default());
    let files = RepoFiles {
        repo: &repo,
        tree: Some(&tree),
    };
    let mut model = SiteModel::detect(&files);
    let page = model.page("_articles/legal.md", None).unwrap();
    // The config is not readable: `.html` or pretty, with or without the collection's name.
    for url in [
        "/articles/legal.html",
        "/articles/legal/",
        "/legal.html",
        "/legal/",
    ] {
        assert!(
            page.urls.contains(&url.to_string()),
            "{url} in {:?}",
            page.urls
        );
    }
    let found = model.resolve(&page, "_articles/legal.md", "../notices/", &files);
    assert_eq!(
        found,
        Some(SiteTarget::Page("_articles/notices.md".to_string()))
    );
    assert!(
        model.lookup(0, "/x/", &files).is_none(),
        "layouts are not pages"
    );
    let links = HashMap::from([(
        0,
        vec![
            "/guide/docs/using/using.html".to_string(),
            "/guide/index.html".to_string(),
            "/guide/missing.html".to_string(),
        ],
    )]);
    model.infer_from_links(&links, &files);
    assert_eq!(model.sites()[0].base_url.as_deref(), Some("/guide"));
}

#[test]
fn docusaurus_number_prefixes_and_folder_pages() {
    let (dir, tree) = model(
        "docusaurus.config.ts\ndocs/01-intro.md\ndocs/02-guides/02-guides.md\ndocs/02-guides/03-setup.mdx\nstatic/img/logo.png\n",
    );
    let repo = Repository::open(dir.path(), &ScanOptions::default());
    let files = RepoFiles {
        repo: &repo,
        tree: Some(&tree),
    };
    let model = SiteModel::detect(&files);
    let lookup = |url: &str| model.lookup(0, url, &files);
    assert_eq!(
        lookup("/docs/intro"),
        Some(SiteTarget::Page("docs/01-intro.md".into()))
    );
    assert_eq!(
        lookup("/docs/guides/"),
        Some(SiteTarget::Page("docs/02-guides/02-guides.md".into()))
    );
    assert_eq!(
        lookup("/docs/guides/setup"),
        Some(SiteTarget::Page("docs/02-guides/03-setup.mdx".into()))
    );
    assert_eq!(
        lookup("/img/logo.png"),
        Some(SiteTarget::File("static/img/logo.png".into()))
    );
    assert_eq!(lookup("/docs/missing"), None);
}

#[test]
fn route_keys_ignore_url_style() {
    for url in ["/a/b/", "/a/b", "/a/b.html", "/a/b/index.html", "a/b#x"] {
        assert_eq!(route_key(url), "a/b", "{url}");
    }
    assert_eq!(route_key("/"), "");
    assert_eq!(route_key("/index.html"), "");
}

/// A model over a file list, with the files object to resolve against.
fn with_files(list: &str, check: impl FnOnce(&SiteModel, &RepoFiles<'_>)) {
    let (dir, tree) = model(list);
    let repo = Repository::open(dir.path(), &ScanOptions::default());
    let files = RepoFiles {
        repo: &repo,
        tree: Some(&tree),
    };
    check(&SiteModel::detect(&files), &files);
}

#[test]
fn mkdocs_directory_urls_and_copied_files() {
    with_files(
        "mkdocs.yml\ndocs/index.md\ndocs/guide/setup.md\ndocs/guide/README.md\ndocs/img/a.png\n",
        |model, files| {
            let page = model.page("docs/guide/setup.md", None).unwrap();
            assert_eq!(page.urls, ["/guide/setup/"]);
            let to = |target: &str| model.resolve(&page, "docs/guide/setup.md", target, files);
            assert_eq!(
                to("../"),
                Some(SiteTarget::Page("docs/guide/README.md".into()))
            );
            assert_eq!(
                to("../../img/a.png"),
                Some(SiteTarget::File("docs/img/a.png".into()))
            );
            assert_eq!(to("../../"), Some(SiteTarget::Page("docs/index.md".into())));
            assert_eq!(to("../missing/"), None);
        },
    );
}

#[test]
fn myst_documents_without_extension() {
    with_files(
        "docs/myst.yml\ndocs/index.md\ndocs/team/people.md\ndocs/rules.rst\n",
        |model, files| {
            let page = model.page("docs/team/people.md", None).unwrap();
            let to = |target: &str| model.resolve(&page, "docs/team/people.md", target, files);
            assert_eq!(
                to("../rules"),
                Some(SiteTarget::Page("docs/rules.rst".into()))
            );
            assert_eq!(to("/index"), Some(SiteTarget::Page("docs/index.md".into())));
            assert_eq!(to("../nothing"), None);
        },
    );
}

#[test]
fn eleventy_and_gitbook_pages() {
    with_files(
        ".eleventy.js\nabout.md\nblog/first.md\nbook/SUMMARY.md\nbook/.gitbook/assets/x.pdf\nbook/intro/README.md\n",
        |model, files| {
            let lookup = |site: Generator, url: &str| {
                let i = model.sites().iter().position(|s| s.generator == site).unwrap();
                model.lookup(i, url, files)
            };
            assert_eq!(
                lookup(Generator::Eleventy, "/blog/first/"),
                Some(SiteTarget::Page("blog/first.md".into()))
            );
            assert_eq!(
                lookup(Generator::GitBook, "/intro"),
                Some(SiteTarget::Page("book/intro/README.md".into()))
            );
            assert_eq!(
                model.site_of("book/intro/README.md").map(|(_, s)| s.generator),
                Some(Generator::GitBook),
                "the nearest site holds a page"
            );
        },
    );
}

#[test]
fn antora_module_families() {
    with_files(
        "docs/antora.yml\ndocs/modules/ROOT/pages/index.adoc\ndocs/modules/ROOT/pages/how/setup.adoc\ndocs/modules/ROOT/images/flow.png\n",
        |model, files| {
            let from = "docs/modules/ROOT/pages/how/setup.adoc";
            let page = model.page(from, None).unwrap();
            assert_eq!(page.urls, ["/how/setup.html"]);
            let to = |target: &str| model.resolve(&page, from, target, files);
            // xrefs and images are relative to the module's family folders, not the file.
            assert_eq!(
                to("flow.png"),
                Some(SiteTarget::File("docs/modules/ROOT/images/flow.png".into()))
            );
            assert_eq!(
                to("index.adoc"),
                Some(SiteTarget::Page("docs/modules/ROOT/pages/index.adoc".into()))
            );
            assert_eq!(to("gone.adoc"), None);
        },
    );
}
