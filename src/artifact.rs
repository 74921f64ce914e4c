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

/// A role compiled for matching.
#[derive(Debug)]
pub struct Role {
    pub def: ArtifactDef,
    globs: GlobSet,
    /// Precedence of each glob in `globs` (lower wins).
    precedence: Vec<usize>,
    title_dirs: Vec<String>,
}

#[derive(Debug, Default)]
pub struct ArtifactCatalog {
    roles: Vec<Role>,
}

impl ArtifactCatalog {
    /// The built-in roles, embedded in the binary.
    pub fn builtin() -> Result<ArtifactCatalog, crate::diagnostic::SourceError> {
        ArtifactCatalog::from_toml(
            "rules/artifacts.toml",
            include_str!("../rules/artifacts.toml"),
        )
    }

    pub fn from_toml(
        name: &str,
        text: &str,
    ) -> Result<ArtifactCatalog, crate::diagnostic::SourceError> {
        let file: ArtifactFile = crate::diagnostic::parse_toml(name, text)?;
        let mut roles = Vec::new();
        for def in file.artifact {
            roles.push(
                Role::compile(def)
                    .map_err(|msg| crate::diagnostic::SourceError::new(name, text, msg, None))?,
            );
        }
        Ok(ArtifactCatalog { roles })
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

impl Role {
    fn compile(def: ArtifactDef) -> Result<Role, String> {
        let extensions: Vec<String> = def
            .extensions
            .clone()
            .unwrap_or_else(|| DOC_EXTENSIONS.iter().map(|e| e.to_string()).collect());
        let mut builder = GlobSetBuilder::new();
        let mut precedence = Vec::new();
        let mut add = |pattern: String, rank: usize| -> Result<(), String> {
            let glob = GlobBuilder::new(&pattern)
                .case_insensitive(true)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("artifact `{}`: bad glob `{pattern}`: {e}", def.role))?;
            builder.add(glob);
            precedence.push(rank);
            Ok(())
        };
        let mut rank = 0;
        for location in &def.locations {
            for name in &def.names {
                let prefix = if location.is_empty() {
                    String::new()
                } else {
                    format!("{location}/")
                };
                for ext in &extensions {
                    add(format!("{prefix}{name}{ext}"), rank)?;
                }
            }
            rank += 1;
        }
        for path in &def.paths {
            for ext in &extensions {
                add(format!("{path}{ext}"), rank)?;
            }
            rank += 1;
        }
        let globs = builder
            .build()
            .map_err(|e| format!("artifact `{}`: {e}", def.role))?;
        let title_dirs = def.locations.clone();
        Ok(Role {
            def,
            globs,
            precedence,
            title_dirs,
        })
    }

    /// Precedence of `path` for this role, if it plays it.
    fn rank(&self, path: &str) -> Option<usize> {
        self.globs
            .matches(path)
            .into_iter()
            .map(|i| self.precedence[i])
            .min()
    }
}

/// Role resolution for one repository, computed on first request and cached.
pub struct Artifacts<'r> {
    repo: &'r Repository,
    catalog: &'r ArtifactCatalog,
    pins: &'r BTreeMap<String, Vec<String>>,
    cache: Vec<OnceLock<Arc<Resolved>>>,
    readme: OnceLock<Option<FileId>>,
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
                    path == "readme"
                        || path.strip_prefix("readme.").is_some_and(|ext| {
                            matches!(ext, "md" | "markdown" | "rst" | "adoc" | "txt")
                        })
                })
                .min_by_key(|id| {
                    DocKind::from_path(self.repo.index().path(*id)) != DocKind::Markdown
                })
        })
    }

    /// Where `role` is found. Unknown roles resolve to missing (rule packs are validated on load).
    pub fn resolve(&self, role: &str) -> Arc<Resolved> {
        let Some(i) = self.catalog.role_index(role) else {
            return Arc::new(Resolved::default());
        };
        self.cache[i]
            .get_or_init(|| Arc::new(self.compute(&self.catalog.roles[i])))
            .clone()
    }

    fn compute(&self, role: &Role) -> Resolved {
        let index = self.repo.index();
        if let Some(pins) = self.pins.get(&role.def.role) {
            return Resolved {
                files: pins
                    .iter()
                    .filter_map(|p| index.find(p.trim_start_matches("./")))
                    .collect(),
                pinned: true,
                ..Resolved::default()
            };
        }
        let mut found: Vec<(usize, FileId)> = index
            .ids()
            .filter_map(|id| role.rank(index.path(id)).map(|rank| (rank, id)))
            .collect();
        if let Some(title) = &role.def.title_pattern {
            for dir in &role.title_dirs {
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
        let files: Vec<FileId> = found.into_iter().map(|(_, id)| id).collect();
        let mut resolved = Resolved {
            files,
            ..Resolved::default()
        };
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

    /// Whether a file is the README or plays some governance role, without resolving every role:
    /// the same tests as resolution (pins, names and paths, titles), applied to one file.
    pub fn plays_role(&self, id: FileId) -> bool {
        if self.readme() == Some(id) {
            return true;
        }
        let path = self.repo.index().path(id);
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        self.catalog
            .roles
            .iter()
            .any(|role| match self.pins.get(&role.def.role) {
                Some(pins) => pins.iter().any(|p| p.trim_start_matches("./") == path),
                None => {
                    role.rank(path).is_some()
                        || role.def.title_pattern.as_ref().is_some_and(|title| {
                            role.title_dirs.iter().any(|d| d == dir)
                                && DocKind::from_path(path).is_markup()
                                && self
                                    .repo
                                    .document(id)
                                    .is_some_and(|doc| doc_title_matches(&doc, title.regex()))
                        })
                }
            })
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
            .map(|l| {
                if l.is_empty() {
                    "the root".to_string()
                } else {
                    format!("{l}/")
                }
            })
            .collect();
        match (names.is_empty(), places.is_empty()) {
            (false, false) => format!("looked for {names} in {}", places.join(", ")),
            (false, true) => format!("looked for {names}"),
            _ => format!(
                "looked for {}",
                self.def
                    .paths
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::scan::WalkOptions;

    /// `plays_role` must agree with resolving every role, on repositories that use names, paths,
    /// titles and a README.
    #[test]
    fn plays_role_agrees_with_resolution() {
        let catalog = ArtifactCatalog::builtin().expect("built-in artifacts");
        let pins = BTreeMap::new();
        for fixture in [
            "maturity/leader",
            "maturity/ad-hoc",
            "healthy-project",
            "ospo-handbook",
            "github-health",
        ] {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(fixture);
            let repo = Repository::open(&root, &WalkOptions::default());
            let artifacts = Artifacts::new(&repo, &catalog, &pins);
            let mut resolved: Vec<FileId> = catalog
                .roles()
                .flat_map(|r| artifacts.resolve(&r.def.role).files.clone())
                .collect();
            resolved.extend(artifacts.readme());
            for id in repo.index().ids() {
                assert_eq!(
                    artifacts.plays_role(id),
                    resolved.contains(&id),
                    "{fixture}: {}",
                    repo.index().path(id)
                );
            }
        }
    }
}
