//! Which file plays which governance role in a repository. Roles are data (`rules/artifacts.toml`);
//! rules ask for a role, never for a file name.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::Deserialize;

use crate::doc::{DocKind, Document};
use crate::rule::pattern::Pattern;
use crate::scan::{FileId, FileIndex, Repository};

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
    /// Accepted extensions, lower-cased; `""` is a file without extension.
    extensions: Vec<String>,
    title_dirs: Vec<String>,
}

/// Every role's file patterns in one glob set, so each path is matched once for all roles.
///
/// Patterns are lower-cased and matched against lower-cased paths (case-insensitive globs would
/// each compile to a regular expression), and without their extension: a path matches
/// `{pattern}{ext}` exactly when it ends with `ext` and the rest matches `{pattern}`. Most
/// patterns are then plain names that globset looks up in a hash table; compiling one glob per
/// pattern and extension dominated start-up time.
#[derive(Debug, Default)]
pub struct ArtifactCatalog {
    roles: Vec<Role>,
    globs: GlobSet,
    /// For each glob in `globs`: the role it belongs to and its precedence (lower wins).
    owners: Vec<(usize, usize)>,
    /// Every non-empty extension some role accepts, lower-cased.
    suffixes: Vec<String>,
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
        let mut suffixes: Vec<String> = Vec::new();
        for def in file.artifact {
            let index = roles.len();
            let role = Role::compile(def, |pattern, rank| {
                let glob = GlobBuilder::new(&pattern.to_lowercase())
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("bad glob `{pattern}`: {e}"))?;
                builder.add(glob);
                owners.push((index, rank));
                Ok(())
            })
            .map_err(error)?;
            suffixes.extend(role.extensions.iter().filter(|e| !e.is_empty()).cloned());
            roles.push(role);
        }
        suffixes.sort();
        suffixes.dedup();
        let globs = builder.build().map_err(|e| error(format!("{name}: {e}")))?;
        Ok(ArtifactCatalog { roles, globs, owners, suffixes })
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

    /// For each role, the files whose path plays it, with the precedence of the best pattern.
    fn match_files(&self, index: &FileIndex) -> Vec<Vec<(usize, FileId)>> {
        let mut by_role: Vec<Vec<(usize, FileId)>> = vec![Vec::new(); self.roles.len()];
        let mut hits = Vec::new();
        for id in index.ids() {
            let path = index.path_lower(id);
            let stripped = self
                .suffixes
                .iter()
                .filter_map(|ext| path.strip_suffix(ext.as_str()).map(|stem| (stem, ext.as_str())));
            for (stem, ext) in std::iter::once((path, "")).chain(stripped) {
                self.globs.matches_into(stem, &mut hits);
                for &i in &hits {
                    let (role, rank) = self.owners[i];
                    if self.roles[role].extensions.iter().any(|e| e == ext) {
                        by_role[role].push((rank, id));
                    }
                }
            }
        }
        for found in &mut by_role {
            // One entry per file, at its best precedence.
            found.sort_by_key(|(rank, id)| (*id, *rank));
            found.dedup_by_key(|(_, id)| *id);
        }
        by_role
    }
}

impl Role {
    /// Reads a definition, handing each file pattern (without extension) and its precedence to
    /// `add`.
    fn compile(def: ArtifactDef, mut add: impl FnMut(String, usize) -> Result<(), String>) -> Result<Role, String> {
        let extensions: Vec<String> = def
            .extensions
            .clone()
            .unwrap_or_else(|| DOC_EXTENSIONS.iter().map(|e| e.to_string()).collect())
            .iter()
            .map(|e| e.to_lowercase())
            .collect();
        let mut add = |pattern: String, rank: usize| add(pattern, rank).map_err(|e| format!("artifact `{}`: {e}", def.role));
        let mut rank = 0;
        for location in &def.locations {
            for name in &def.names {
                let prefix = if location.is_empty() { String::new() } else { format!("{location}/") };
                add(format!("{prefix}{name}"), rank)?;
            }
            rank += 1;
        }
        for path in &def.paths {
            add(path.clone(), rank)?;
            rank += 1;
        }
        let title_dirs = def.locations.clone();
        Ok(Role { def, extensions, title_dirs })
    }
}

/// Role resolution for one repository, computed on first request and cached.
pub struct Artifacts<'r> {
    repo: &'r Repository,
    catalog: &'r ArtifactCatalog,
    pins: &'r BTreeMap<String, Vec<String>>,
    cache: Vec<OnceLock<Arc<Resolved>>>,
    readme: OnceLock<Option<FileId>>,
    /// Files matching each role's patterns, computed once for all roles.
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
            .get_or_init(|| Arc::new(self.compute(&self.catalog.roles[i])))
            .clone()
    }

    fn compute(&self, role: &Role) -> Resolved {
        let index = self.repo.index();
        if let Some(pins) = self.pins.get(&role.def.role) {
            return Resolved {
                files: pins.iter().filter_map(|p| index.find(p.trim_start_matches("./"))).collect(),
                pinned: true,
                ..Resolved::default()
            };
        }
        let role_index = self.catalog.role_index(&role.def.role).unwrap_or_default();
        let mut found: Vec<(usize, FileId)> = self
            .matches
            .get_or_init(|| self.catalog.match_files(index))
            .get(role_index)
            .cloned()
            .unwrap_or_default();
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::scan::FileIndex;

    fn roles_of(paths: &[&str]) -> BTreeMap<String, Vec<String>> {
        let catalog = ArtifactCatalog::builtin().unwrap();
        let files = paths
            .iter()
            .map(|p| crate::scan::FileEntry { path: p.to_string(), size: None })
            .collect();
        let index = FileIndex::new(files, BTreeSet::new());
        let mut out = BTreeMap::new();
        for (role, found) in catalog.roles.iter().zip(catalog.match_files(&index)) {
            if !found.is_empty() {
                let mut found = found;
                found.sort();
                out.insert(role.def.role.clone(), found.iter().map(|(_, id)| index.path(*id).to_string()).collect());
            }
        }
        out
    }

    #[test]
    fn patterns_match_with_any_accepted_extension_in_any_case() {
        let found = roles_of(&[
            "LICENSE",
            "LICENSES/MIT.txt",
            ".github/Contributing.md",
            "CONTRIBUTING.md",
            "CODEOWNERS",
            "docs/CODEOWNERS.md",
            "docs/ospo/Open-Source-Strategy.md",
            "a/b/mentoring/README.md",
            "src/main.rs",
        ]);
        assert_eq!(found["license"], ["LICENSE", "LICENSES/MIT.txt"]);
        assert_eq!(found["contributing"], [".github/Contributing.md", "CONTRIBUTING.md"], "precedence order");
        assert_eq!(found["codeowners"], ["CODEOWNERS"], "codeowners takes no extension");
        assert_eq!(found["strategy"], ["docs/ospo/Open-Source-Strategy.md"]);
        assert_eq!(found["mentoring"], ["a/b/mentoring/README.md"]);
        assert!(!found.values().flatten().any(|p| p == "src/main.rs"));
    }
}
