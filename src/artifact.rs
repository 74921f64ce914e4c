//! Which file plays which governance role in a repository. Roles are data (`rules/artifacts.toml`);
//! rules ask for a role, never for a file name.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::Deserialize;

use crate::doc::{DocKind, Document};
use crate::rule::pattern::Pattern;
use crate::scan::{FileId, Repository};

/// Extensions a governance document may carry when its definition does not say otherwise.
const DOC_EXTENSIONS: [&str; 6] = ["", ".md", ".markdown", ".rst", ".adoc", ".txt"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArtifactFile {
    artifact: Vec<ArtifactDef>,
}

/// One governance role as written in `rules/artifacts.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArtifactDef {
    pub role: String,
    pub title: String,
    /// File names without extension, as case-insensitive globs (`CONTRIBUTING`, `LICENSE*`).
    #[serde(default)]
    pub names: Vec<String>,
    /// Folders searched for `names`, in precedence order; `""` is the repository root.
    #[serde(default)]
    pub locations: Vec<String>,
    /// Further case-insensitive globs (without extension) matched against the whole relative path,
    /// after every name/location pair.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Accepted extensions; defaults to none or a documentation extension.
    pub extensions: Option<Vec<String>>,
    /// A heading in the README that may stand in for a missing file.
    pub readme_heading: Option<Pattern>,
    /// A README link whose text or target may stand in for a missing file.
    pub readme_link: Option<Pattern>,
    /// A document in `locations` whose title matches this also plays the role.
    pub title_pattern: Option<Pattern>,
}

/// Where a role was found.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// Files playing the role, the primary one first.
    pub files: Vec<FileId>,
    /// A README heading that stands in: the README and the heading's index.
    pub readme_section: Option<(FileId, usize)>,
    /// A README link that stands in: the README and the link's index.
    pub readme_link: Option<(FileId, usize)>,
    /// The files came from the user's `[artifacts]` pins.
    pub pinned: bool,
}

impl Resolved {
    pub fn is_missing(&self) -> bool {
        self.files.is_empty() && self.readme_section.is_none() && self.readme_link.is_none()
    }

    pub fn primary(&self) -> Option<FileId> {
        self.files.first().copied()
    }
}

/// A role as data; its globs live in the catalog's combined set.
#[derive(Debug)]
pub struct Role {
    pub def: ArtifactDef,
}

/// Every role, with one combined glob set so a file is matched against all roles in one pass.
#[derive(Debug, Default)]
pub struct ArtifactCatalog {
    roles: Vec<Role>,
    globs: GlobSet,
    /// For each glob in `globs`: the role it belongs to and its precedence (lower wins).
    owners: Vec<(usize, usize)>,
}

impl ArtifactCatalog {
    /// The built-in roles, embedded in the binary.
    pub fn builtin() -> Result<ArtifactCatalog, crate::diagnostic::SourceError> {
        ArtifactCatalog::from_toml("rules/artifacts.toml", include_str!("../rules/artifacts.toml"))
    }

    pub fn from_toml(name: &str, text: &str) -> Result<ArtifactCatalog, crate::diagnostic::SourceError> {
        let file: ArtifactFile = crate::diagnostic::parse_toml(name, text)?;
        let error = |msg: String| crate::diagnostic::SourceError::new(name, text, msg, None);
        let mut builder = GlobSetBuilder::new();
        let mut owners = Vec::new();
        let mut roles = Vec::new();
        for (role_index, def) in file.artifact.into_iter().enumerate() {
            for (pattern, rank) in role_globs(&def) {
                let glob = GlobBuilder::new(&pattern)
                    .case_insensitive(true)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| error(format!("artifact `{}`: bad glob `{pattern}`: {e}", def.role)))?;
                builder.add(glob);
                owners.push((role_index, rank));
            }
            roles.push(Role { def });
        }
        let globs = builder.build().map_err(|e| error(e.to_string()))?;
        Ok(ArtifactCatalog { roles, globs, owners })
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.def.role == name)
    }

    pub fn role_index(&self, name: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.def.role == name)
    }

    pub fn roles(&self) -> impl Iterator<Item = &Role> {
        self.roles.iter()
    }

    pub fn names(&self) -> Vec<&str> {
        self.roles.iter().map(|r| r.def.role.as_str()).collect()
    }
}

/// The globs of a role with their precedence: name × location pairs in location order, then `paths`.
fn role_globs(def: &ArtifactDef) -> Vec<(String, usize)> {
    let extensions: Vec<String> = def
        .extensions
        .clone()
        .unwrap_or_else(|| DOC_EXTENSIONS.iter().map(|e| e.to_string()).collect());
    let mut out = Vec::new();
    let mut rank = 0;
    for location in &def.locations {
        let prefix = if location.is_empty() { String::new() } else { format!("{location}/") };
        for name in &def.names {
            out.extend(extensions.iter().map(|ext| (format!("{prefix}{name}{ext}"), rank)));
        }
        rank += 1;
    }
    for path in &def.paths {
        out.extend(extensions.iter().map(|ext| (format!("{path}{ext}"), rank)));
        rank += 1;
    }
    out
}

/// Role resolution for one repository, computed on first request and cached.
pub struct Artifacts<'r> {
    repo: &'r Repository,
    catalog: &'r ArtifactCatalog,
    pins: &'r BTreeMap<String, Vec<String>>,
    cache: Vec<OnceLock<Arc<Resolved>>>,
    readme: OnceLock<Option<FileId>>,
    /// Per role: the files whose path matches it, with their precedence.
    matches: OnceLock<Vec<Vec<(usize, FileId)>>>,
}

impl<'r> Artifacts<'r> {
    pub fn new(
        repo: &'r Repository,
        catalog: &'r ArtifactCatalog,
        pins: &'r BTreeMap<String, Vec<String>>,
    ) -> Artifacts<'r> {
        Artifacts {
            repo,
            catalog,
            pins,
            cache: (0..catalog.roles.len()).map(|_| OnceLock::new()).collect(),
            readme: OnceLock::new(),
            matches: OnceLock::new(),
        }
    }

    pub fn catalog(&self) -> &ArtifactCatalog {
        self.catalog
    }

    /// The repository's root README, if any.
    pub fn readme(&self) -> Option<FileId> {
        *self.readme.get_or_init(|| {
            self.repo
                .index()
                .files_in("")
                .filter(|id| {
                    let path = self.repo.index().path(*id).to_ascii_lowercase();
                    path == "readme" || path.strip_prefix("readme.").is_some_and(|ext| {
                        matches!(ext, "md" | "markdown" | "rst" | "adoc" | "txt")
                    })
                })
                .min_by_key(|id| DocKind::from_path(self.repo.index().path(*id)) != DocKind::Markdown)
        })
    }

    /// Where `role` is found. Unknown roles resolve to missing (rule packs are validated on load).
    pub fn resolve(&self, role: &str) -> Arc<Resolved> {
        let Some(i) = self.catalog.role_index(role) else {
            return Arc::new(Resolved::default());
        };
        self.cache[i]
            .get_or_init(|| Arc::new(self.compute(i)))
            .clone()
    }

    /// Matches every file against every role at once.
    fn path_matches(&self) -> &[Vec<(usize, FileId)>] {
        self.matches.get_or_init(|| {
            let index = self.repo.index();
            let mut per_role = vec![Vec::new(); self.catalog.roles.len()];
            let mut hits = Vec::new();
            for id in index.ids() {
                self.catalog.globs.matches_into(index.path(id), &mut hits);
                for &glob in &hits {
                    let (role, rank) = self.catalog.owners[glob];
                    per_role[role].push((rank, id));
                }
            }
            per_role
        })
    }

    fn compute(&self, role_index: usize) -> Resolved {
        let role = &self.catalog.roles[role_index];
        let index = self.repo.index();
        if let Some(pins) = self.pins.get(&role.def.role) {
            return Resolved {
                files: pins.iter().filter_map(|p| index.find(p.trim_start_matches("./"))).collect(),
                pinned: true,
                ..Resolved::default()
            };
        }
        let mut found: Vec<(usize, FileId)> = self.path_matches()[role_index].clone();
        if let Some(title) = &role.def.title_pattern {
            for dir in &role.def.locations {
                for id in index.files_in(dir) {
                    if found.iter().any(|(_, f)| *f == id)
                        || !DocKind::from_path(index.path(id)).is_markup()
                    {
                        continue;
                    }
                    let matches = self
                        .repo
                        .document(id)
                        .is_some_and(|doc| doc_title_matches(&doc, title.regex()));
                    if matches {
                        found.push((usize::MAX, id));
                    }
                }
            }
        }
        found.sort();
        let mut files: Vec<FileId> = Vec::with_capacity(found.len());
        for (_, id) in found {
            if !files.contains(&id) {
                files.push(id);
            }
        }
        let mut resolved = Resolved { files, ..Resolved::default() };
        if resolved.files.is_empty() {
            if let Some(readme) = self.readme() {
                if let Some(doc) = self.repo.document(readme) {
                    if let Some(pattern) = &role.def.readme_heading {
                        resolved.readme_section = doc
                            .headings
                            .iter()
                            .position(|h| h.level > 1 && pattern.is_match(&h.text))
                            .map(|h| (readme, h));
                    }
                    if let Some(pattern) = &role.def.readme_link {
                        resolved.readme_link = doc
                            .links
                            .iter()
                            .position(|l| pattern.is_match(&l.text) || pattern.is_match(&l.target))
                            .map(|l| (readme, l));
                    }
                }
            }
        }
        resolved
    }

    /// The documents that play `role`, primary first (stand-in README sections excluded).
    pub fn documents(&self, role: &str) -> Vec<Arc<Document>> {
        self.resolve(role)
            .files
            .iter()
            .filter_map(|id| self.repo.document(*id))
            .collect()
    }
}

fn doc_title_matches(doc: &Document, pattern: &Regex) -> bool {
    doc.headings
        .iter()
        .find(|h| h.level == 1)
        .is_some_and(|h| pattern.is_match(&h.text))
}

impl Role {
    /// Where the role is looked for, in words: "CONTRIBUTING in .github/, the root or docs/".
    pub fn describe_locations(&self) -> String {
        let names = self
            .def
            .names
            .iter()
            .filter(|n| !n.contains(['*', '[', '?']))
            .take(3)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let places: Vec<String> = self
            .def
            .locations
            .iter()
            .take(4)
            .map(|l| if l.is_empty() { "the root".to_string() } else { format!("{l}/") })
            .collect();
        match (names.is_empty(), places.is_empty()) {
            (false, false) => format!("looked for {names} in {}", places.join(", ")),
            (false, true) => format!("looked for {names}"),
            _ => format!("looked for {}", self.def.paths.iter().take(3).cloned().collect::<Vec<_>>().join(", ")),
        }
    }
}
