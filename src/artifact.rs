//! Which file plays which governance role in a repository. Roles are data (`rules/artifacts.toml`);
//! rules ask for a role, never for a file name.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::doc::{DocKind, Document, Lifecycle, LinkKind};
use crate::pattern::Pattern;
use crate::scan::{FileId, Repository};

mod address;
mod declared;
mod org;

pub use declared::{Declaration, Declared};
pub use org::OrgDefaults;

/// Words (besides headings) a pointer stub has at most: "This page has moved to X. Please update
/// your links." is a dozen; a short policy with its own content has more.
const POINTER_WORDS: usize = 40;
/// Bytes a pointer stub has at most, front matter and link targets included.
const POINTER_BYTES: usize = 2048;
/// Words of a stub that only says "see X" ("Please see security/README.md.").
const POINTER_LINE_WORDS: usize = 12;

/// Words that say a document's text lives elsewhere now.
static POINTER_PHRASE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:(?:has|have|was|were) (?:been )?moved|moved (?:to|into)|(?:is|are) now (?:at|in|kept|maintained|located|hosted)|can (?:now )?be found (?:at|in)|(?:lives|resides) (?:at|in)|superseded by|redirect)")
        .expect("valid regex")
});
static SEE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:see|refer to|read|go to)\b").expect("valid regex")
});

/// Extensions a governance document may carry when its definition does not say otherwise.
const DOC_EXTENSIONS: [&str; 6] = ["", ".md", ".markdown", ".rst", ".adoc", ".txt"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArtifactFile {
    #[serde(default)]
    code_extensions: Vec<String>,
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
    /// A document in `locations` whose title (front matter `title`, else its first heading) matches
    /// this also plays the role.
    pub title_pattern: Option<Pattern>,
    /// Look for `title_pattern` in every document of the repository, not only in `locations`:
    /// for roles whose documents live wherever a site generator keeps its pages.
    #[serde(default)]
    pub title_anywhere: bool,
    /// Folders searched for `title_pattern` instead of `locations`; `"**"` is every folder.
    pub title_locations: Option<Vec<String>>,
    /// Roles whose documents may hold a section (heading matching `readme_heading`) that stands in
    /// for the role, as a README section does (their files, not their own stand-ins).
    #[serde(default)]
    pub section_in: Vec<String>,
    /// A line of the README or of a `section_in` document that matches this and carries an e-mail
    /// address or a link matching `mention_link` also stands in ("Questions? Write to us at …").
    pub mention: Option<Pattern>,
    pub mention_link: Option<Pattern>,
    /// A README link whose text matches this, pointing at a file in the repository, makes that file
    /// play the role ("Read our [open source policy](policy.md)").
    pub readme_link_target: Option<Pattern>,
    /// The role's evidence includes the repository's records: documents in archives or past
    /// terms, minutes and changelogs also play it (past reports, earlier programme terms). Other
    /// roles are played by live documents only; translations, vendored and generated files never
    /// play a role.
    #[serde(default)]
    pub records: bool,
    /// GitHub shows the organization's `.github` repository's file for this role in repositories
    /// that lack their own (its "default community health files").
    #[serde(default)]
    pub inherited: bool,
    /// Machine-readable files at the root that declare the role's substance (a licence named in
    /// package.json): a weaker stand-in, looked for only when no file plays the role.
    #[serde(default)]
    pub declared_in: Vec<Declaration>,
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
    /// Sections of other roles' documents that stand in (`section_in`): the file and the
    /// heading's index.
    pub sections: Vec<(FileId, usize)>,
    /// Lines that stand in (`mention`): the file and the 1-based line.
    pub mentions: Vec<(FileId, u32)>,
    /// Pointer stubs set aside because the document they point at is not one the role takes (an
    /// archived model): the stub and its target.
    pub set_aside: Vec<(FileId, FileId)>,
    /// Pointer stubs whose role passed to the document they point at (a one-line
    /// `.github/SECURITY.md` sending readers to `security/README.md`): the stub and its target.
    pub via: Vec<(FileId, FileId)>,
    /// Declarations in machine-readable files (`declared_in`), when no file plays the role.
    pub declared: Vec<Declared>,
    /// The organization's default file that GitHub shows for the role, when no file plays it
    /// (`../.github/CODE_OF_CONDUCT.md`).
    pub org_default: Option<String>,
}

impl Resolved {
    pub fn is_missing(&self) -> bool {
        self.files.is_empty() && !self.has_stand_in()
    }

    /// Whether a README section or link, or a section of another document, stands in for the role.
    pub fn has_stand_in(&self) -> bool {
        self.readme_section.is_some()
            || self.readme_link.is_some()
            || !self.sections.is_empty()
            || !self.mentions.is_empty()
            || !self.declared.is_empty()
            || self.org_default.is_some()
    }

    pub fn primary(&self) -> Option<FileId> {
        self.files.first().copied()
    }

    /// The pointer stub `file` is read through, when a stub handed the role to it.
    pub fn via(&self, file: FileId) -> Option<FileId> {
        self.via
            .iter()
            .find(|(_, target)| *target == file)
            .map(|(stub, _)| *stub)
    }
}

/// A role as data.
#[derive(Debug)]
pub struct Role {
    pub def: ArtifactDef,
    extensions: Vec<String>,
    declarations: Vec<declared::CompiledDeclaration>,
}

impl Role {
    /// Whether a document of this lifecycle may play the role.
    fn plays(&self, lifecycle: Lifecycle) -> bool {
        match lifecycle {
            Lifecycle::Live => true,
            Lifecycle::Archive | Lifecycle::Minutes | Lifecycle::Changelog => self.def.records,
            Lifecycle::Translation | Lifecycle::Vendored | Lifecycle::Generated => false,
        }
    }

    fn accepts(&self, extension: &str) -> bool {
        self.extensions
            .iter()
            .any(|e| e.eq_ignore_ascii_case(extension))
    }
}

/// The roles that look in one folder, with all their name globs in one set: a file is matched
/// against every role of its folder at once. The set is compiled when a repository first has the
/// folder: most repositories have few of the folders OSPO material may live in.
#[derive(Debug)]
struct Folder {
    globs: Vec<Glob>,
    /// For each glob: its role and precedence.
    owners: Vec<(usize, usize)>,
    names: OnceLock<GlobSet>,
}

impl Folder {
    fn names(&self) -> &GlobSet {
        self.names.get_or_init(|| {
            let mut set = GlobSetBuilder::new();
            for glob in &self.globs {
                set.add(glob.clone());
            }
            // Every glob compiled on its own when the catalog was read; a set of them can only
            // fail past the regex size limit, far beyond a catalog's size.
            set.build().unwrap_or_else(|_| GlobSet::empty())
        })
    }
}

/// Every role. Files are matched by folder first (a map from folder to the roles looking there), so
/// only files in governance locations are tested against names; `paths` globs are one combined set.
#[derive(Debug, Default)]
pub struct ArtifactCatalog {
    roles: Vec<Role>,
    /// Lower-cased folder → the roles that look there.
    folders: HashMap<String, Folder>,
    /// Every role's `paths` globs, without extension.
    paths: GlobSet,
    /// For each glob in `paths`: its role and precedence.
    path_owners: Vec<(usize, usize)>,
    /// Every extension some role accepts ("" included when one accepts bare names), stripped from a
    /// file name before its globs are matched.
    extensions: Vec<String>,
    /// Extensions of files that play no role (source code, build output, media), lower-cased.
    code_extensions: std::collections::HashSet<String>,
    /// The roles of paths already matched, shared by every repository checked with this catalog:
    /// an organization's repositories repeat most paths (`README.md`, `docs/…`, `.github/…`),
    /// and a look-up costs a fraction of matching the globs again.
    memo: Mutex<RoleMemo>,
}

/// Lower-cased path → the (role, precedence) pairs it matches.
type RoleMemo = HashMap<Box<str>, Box<[(usize, usize)]>>;

/// Paths remembered per catalog before the memo starts afresh: a few megabytes.
const MEMO_CAPACITY: usize = 1 << 16;

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
        let error = |msg: String| crate::diagnostic::SourceError::new(name, text, msg, None);
        // Globs are matched against lower-cased paths: case-sensitive globs compile to far smaller
        // automata than case-insensitive ones, and compiling them is most of a pre-commit run's
        // start-up.
        let glob = |role: &str, pattern: &str| {
            GlobBuilder::new(&pattern.to_lowercase())
                .case_insensitive(false)
                .literal_separator(true)
                .build()
                .map_err(|e| error(format!("artifact `{role}`: bad glob `{pattern}`: {e}")))
        };
        let mut catalog = ArtifactCatalog {
            code_extensions: file
                .code_extensions
                .iter()
                .map(|e| e.trim_start_matches('.').to_lowercase())
                .collect(),
            ..ArtifactCatalog::default()
        };
        let mut paths = GlobSetBuilder::new();
        for (role_index, def) in file.artifact.into_iter().enumerate() {
            for (rank, location) in def.locations.iter().enumerate() {
                let folder = catalog
                    .folders
                    .entry(location.to_lowercase())
                    .or_insert_with(|| Folder {
                        globs: Vec::new(),
                        owners: Vec::new(),
                        names: OnceLock::new(),
                    });
                for pattern in &def.names {
                    folder.globs.push(glob(&def.role, pattern)?);
                    folder.owners.push((role_index, rank));
                }
            }
            for (i, pattern) in def.paths.iter().enumerate() {
                paths.add(glob(&def.role, pattern)?);
                catalog
                    .path_owners
                    .push((role_index, def.locations.len() + i));
            }
            let extensions = def
                .extensions
                .clone()
                .unwrap_or_else(|| DOC_EXTENSIONS.iter().map(|e| e.to_string()).collect());
            catalog.extensions.extend(extensions.iter().cloned());
            let declarations = def
                .declared_in
                .iter()
                .map(declared::CompiledDeclaration::new)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| error(format!("artifact `{}`: {e}", def.role)))?;
            catalog.roles.push(Role {
                def,
                extensions,
                declarations,
            });
        }
        catalog.extensions.sort();
        catalog.extensions.dedup();
        catalog.paths = paths.build().map_err(|e| error(e.to_string()))?;
        Ok(catalog)
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

    /// Every (role, precedence) that a file plays, given its path lower-cased.
    fn matches(&self, path: &str, hits: &mut Vec<usize>, out: &mut Vec<(usize, usize)>) {
        let (dir, file_name) = path.rsplit_once('/').unwrap_or(("", path));
        if file_name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| self.code_extensions.contains(ext))
        {
            return;
        }
        if let Some(roles) = self.memo().get(path) {
            out.extend_from_slice(roles);
            return;
        }
        let start = out.len();
        self.match_globs(path, dir, file_name, hits, out);
        let mut memo = self.memo();
        if memo.len() >= MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert(path.into(), out[start..].into());
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, RoleMemo> {
        // Entries are inserted whole: a panic elsewhere leaves the map consistent.
        self.memo
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn match_globs(
        &self,
        path: &str,
        dir: &str,
        file_name: &str,
        hits: &mut Vec<usize>,
        out: &mut Vec<(usize, usize)>,
    ) {
        let folder = self.folders.get(dir);
        // Globs carry no extension: try the name (and the path) without each accepted extension.
        for ext in &self.extensions {
            let Some(cut) = path.len().checked_sub(ext.len()) else {
                continue;
            };
            if !path.is_char_boundary(cut) || !path[cut..].eq_ignore_ascii_case(ext) {
                continue;
            }
            if let Some(folder) = folder {
                folder
                    .names()
                    .matches_into(&file_name[..file_name.len() - ext.len()], hits);
                for &glob in hits.iter() {
                    let (role, rank) = folder.owners[glob];
                    if self.roles[role].accepts(ext) && !out.contains(&(role, rank)) {
                        out.push((role, rank));
                    }
                }
            }
            self.paths.matches_into(&path[..cut], hits);
            for &glob in hits.iter() {
                let (role, rank) = self.path_owners[glob];
                if self.roles[role].accepts(ext) {
                    out.push((role, rank));
                }
            }
        }
    }
}

/// Role resolution for one repository, computed on first request and cached.
pub struct Artifacts<'r> {
    repo: &'r Repository,
    catalog: &'r ArtifactCatalog,
    pins: &'r BTreeMap<String, Vec<String>>,
    cache: Vec<OnceLock<Arc<Resolved>>>,
    /// Per role: the files playing it, before stand-ins are looked for (sections of other roles'
    /// documents are looked for in these).
    files: Vec<OnceLock<Arc<RoleFiles>>>,
    readme: OnceLock<Option<FileId>>,
    /// Per role: the files whose path matches it, with their precedence.
    matches: OnceLock<Vec<Vec<(usize, FileId)>>>,
    /// The repository's own web addresses, found when a pointer first links to an absolute URL.
    address: OnceLock<address::OwnAddress>,
    /// The organization's default community health files.
    org: Option<&'r OrgDefaults>,
}

/// The files playing a role and the pointer stubs met on the way.
#[derive(Debug, Default)]
struct RoleFiles {
    files: Vec<FileId>,
    pinned: bool,
    set_aside: Vec<(FileId, FileId)>,
    via: Vec<(FileId, FileId)>,
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
            files: (0..catalog.roles.len()).map(|_| OnceLock::new()).collect(),
            readme: OnceLock::new(),
            matches: OnceLock::new(),
            address: OnceLock::new(),
            org: None,
        }
    }

    /// Lets the organization's default community health files stand in for missing ones.
    pub fn with_org_defaults(mut self, org: Option<&'r OrgDefaults>) -> Artifacts<'r> {
        self.org = org;
        self
    }

    /// The repository file an absolute URL names: a file on the repository's own GitHub address
    /// or a page of the site it publishes.
    pub fn own_path(&self, url: &str) -> Option<String> {
        self.address
            .get_or_init(address::OwnAddress::new)
            .path_of(self.repo, url)
    }

    /// The repository files that the absolute URLs of document `id` name (its own GitHub files
    /// and site pages), in the order the document names them.
    pub fn own_links(&self, id: FileId) -> Vec<String> {
        let mut paths: Vec<String> = Vec::new();
        for url in address::absolute_urls(self.repo, id) {
            if let Some(path) = self.own_path(&url) {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
        paths
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
                .min_by_key(|id| self.repo.index().kind(*id) != DocKind::Markdown)
        })
    }

    /// Where `role` is found. Unknown roles resolve to missing (rule packs are validated on load).
    pub fn resolve(&self, role: &str) -> Arc<Resolved> {
        match self.catalog.role_index(role) {
            Some(i) => self.resolved(i).clone(),
            None => Arc::new(Resolved::default()),
        }
    }

    /// Where the catalog's role `i` is found.
    pub fn resolved(&self, i: usize) -> &Arc<Resolved> {
        self.cache[i].get_or_init(|| Arc::new(self.compute(i)))
    }

    /// The repository document a pointer stub sends readers to: a short document (a few dozen
    /// words besides its title) that says the text is elsewhere ("has moved to", "can be found
    /// in"; a bare "see" only in a line or two) and whose links lead to exactly one other
    /// document of the repository.
    fn pointer_target(&self, id: FileId) -> Option<FileId> {
        let index = self.repo.index();
        if !index.kind(id).is_markup() {
            return None;
        }
        let doc = self.repo.document(id)?;
        // A stub is short: a few hundred bytes, however its links are written.
        if doc.text.len() > POINTER_BYTES {
            return None;
        }
        let title_words: usize = doc
            .headings
            .iter()
            .map(|h| h.text.split_whitespace().count())
            .sum();
        let prose = doc.prose(doc.full());
        let words = prose
            .iter()
            .flat_map(|(_, piece)| piece.split_whitespace())
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
            .saturating_sub(title_words);
        let says_elsewhere = |re: &regex::Regex| prose.iter().any(|(_, piece)| re.is_match(piece));
        if words > POINTER_WORDS
            || !(says_elsewhere(&POINTER_PHRASE)
                || (words <= POINTER_LINE_WORDS && says_elsewhere(&SEE)))
        {
            return None;
        }
        let local = doc
            .links
            .iter()
            .filter(|l| l.kind != LinkKind::Image && doc.hidden_at(l.span.start).is_none())
            .filter(|l| !l.is_external() && !l.target.starts_with('#'))
            .filter_map(|l| crate::doc::resolve_link_path(&doc.path, &l.target));
        // Absolute URLs count when they name the repository's own files or site pages: the stub
        // that sends readers to `https://github.com/OWNER/REPO/blob/main/security/README.md`.
        let absolute: Vec<String> = address::absolute_urls(self.repo, id)
            .into_iter()
            .filter_map(|url| self.own_path(&url))
            .collect();
        let mut targets = local
            .chain(absolute)
            .filter_map(|path| index.find(&path))
            .filter(|&target| target != id && index.kind(target).is_markup());
        let target = targets.next()?;
        targets.all(|other| other == target).then_some(target)
    }

    /// Matches every file against every role at once.
    fn path_matches(&self) -> &[Vec<(usize, FileId)>] {
        self.matches.get_or_init(|| {
            let index = self.repo.index();
            let mut per_role = vec![Vec::new(); self.catalog.roles.len()];
            let (mut hits, mut found) = (Vec::new(), Vec::new());
            for id in index.ids() {
                found.clear();
                self.catalog
                    .matches(index.lower_path(id), &mut hits, &mut found);
                if found.is_empty() {
                    continue;
                }
                let lifecycle = self.repo.lifecycle_kind(id);
                for &(role, rank) in &found {
                    if self.catalog.roles[role].plays(lifecycle) {
                        per_role[role].push((rank, id));
                    }
                }
            }
            per_role
        })
    }

    /// The files playing the catalog's role `i`, pointer stubs followed.
    fn role_files(&self, i: usize) -> &Arc<RoleFiles> {
        self.files[i].get_or_init(|| Arc::new(self.compute_files(i)))
    }

    fn compute_files(&self, role_index: usize) -> RoleFiles {
        let role = &self.catalog.roles[role_index];
        let index = self.repo.index();
        if let Some(pins) = self.pins.get(&role.def.role) {
            return RoleFiles {
                files: pins
                    .iter()
                    .filter_map(|p| index.find(p.trim_start_matches("./")))
                    .collect(),
                pinned: true,
                ..RoleFiles::default()
            };
        }
        let mut found: Vec<(usize, FileId)> = self.path_matches()[role_index].clone();
        if let Some(pattern) = &role.def.readme_link_target {
            for id in self.readme_link_targets(pattern) {
                found.push((usize::MAX - 1, id));
            }
        }
        if let Some(title) = &role.def.title_pattern {
            let dirs = role
                .def
                .title_locations
                .as_ref()
                .unwrap_or(&role.def.locations);
            let candidates: Vec<FileId> =
                if role.def.title_anywhere || dirs.iter().any(|d| d == "**") {
                    index.ids().collect()
                } else {
                    dirs.iter().flat_map(|dir| index.files_in(dir)).collect()
                };
            for id in candidates {
                if found.iter().any(|(_, f)| *f == id) || !index.kind(id).is_markup() {
                    continue;
                }
                let matches = self.repo.title(id).is_some_and(|t| title.is_match(&t));
                if matches && role.plays(self.repo.lifecycle_kind(id)) {
                    found.push((usize::MAX, id));
                }
            }
        }
        // Live documents first: the primary file, where findings about the role land, is one a
        // maintainer keeps current whenever there is one (records only add evidence).
        found.sort_by_key(|&(rank, id)| (!self.repo.is_live(id), rank, id));
        let mut out = RoleFiles::default();
        for (_, id) in found {
            // A stub that sends readers to the document that now plays the role ("This page has
            // moved to docs/governance.md") hands the role over: the target is judged, not the
            // stub; a stub pointing at a record (an archived model) leaves the role to others.
            let id = match self.pointer_target(id) {
                Some(target) if role.plays(self.repo.lifecycle_kind(target)) => {
                    out.via.push((id, target));
                    target
                }
                Some(target) => {
                    out.set_aside.push((id, target));
                    continue;
                }
                None => id,
            };
            if !out.files.contains(&id) {
                out.files.push(id);
            }
        }
        out
    }

    fn compute(&self, role_index: usize) -> Resolved {
        let role = &self.catalog.roles[role_index];
        let found = self.role_files(role_index);
        let mut resolved = Resolved {
            files: found.files.clone(),
            pinned: found.pinned,
            set_aside: found.set_aside.clone(),
            via: found.via.clone(),
            ..Resolved::default()
        };
        if resolved.pinned {
            return resolved;
        }
        // Stand-ins are recorded even when a file exists: `ospolint artifacts` shows every place
        // the role is handled, and rules decide whether a stand-in is enough.
        if let Some(readme) = self.readme() {
            if let Some(doc) = self.repo.document(readme) {
                if let Some(pattern) = &role.def.readme_heading {
                    resolved.readme_section = section_heading(&doc, pattern).map(|h| (readme, h));
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
        // Other roles' documents are taken before their own stand-ins are looked for, so two
        // roles may each look for sections in the other's documents.
        let mut others: Vec<FileId> = Vec::new();
        for other in &role.def.section_in {
            let Some(j) = self.catalog.role_index(other) else {
                continue;
            };
            for id in self.role_files(j).files.iter().copied() {
                if Some(id) != self.readme()
                    && !resolved.files.contains(&id)
                    && !others.contains(&id)
                {
                    others.push(id);
                }
            }
        }
        if let Some(pattern) = &role.def.readme_heading {
            for &id in &others {
                if let Some(doc) = self.repo.document(id) {
                    if let Some(h) = section_heading(&doc, pattern) {
                        resolved.sections.push((id, h));
                    }
                }
            }
        }
        if let Some(pattern) = &role.def.mention {
            for id in self.readme().into_iter().chain(others) {
                let found = self
                    .repo
                    .document(id)
                    .and_then(|doc| mention_line(&doc, pattern, role.def.mention_link.as_ref()));
                if let Some(line) = found {
                    resolved.mentions.push((id, line));
                }
            }
        }
        if resolved.files.is_empty() {
            for declaration in &role.declarations {
                declaration.find(self.repo, &mut resolved.declared);
            }
            if role.def.inherited {
                resolved.org_default = self.org.and_then(|org| org.file(&role.def.role));
            }
        }
        resolved
    }

    /// Where `role` is looked for, in words (empty for an unknown role), and the stubs set aside:
    /// for "not found" messages.
    pub fn describe_locations(&self, role: &str) -> String {
        let mut text = self
            .catalog
            .role(role)
            .map(|r| r.describe_locations())
            .unwrap_or_default();
        let index = self.repo.index();
        for &(stub, target) in &self.resolve(role).set_aside {
            text.push_str(&format!(
                "; {} only points to {}, which is kept as a record ({})",
                index.path(stub),
                index.path(target),
                self.repo.lifecycle_kind(target)
            ));
        }
        text
    }

    /// The strongest stand-in for `role` when no file plays it, in words: "the section
    /// \"Mentorship\" of CONTRIBUTING.md", "package.json (`MIT`)", "the organization's default
    /// ../.github/SECURITY.md". `None` when nothing stands in.
    pub fn describe_stand_in(&self, role: &str) -> Option<String> {
        let resolved = self.resolve(role);
        let index = self.repo.index();
        let section = |(id, h): (FileId, usize)| {
            let doc = self.repo.document(id)?;
            let heading = doc.headings.get(h)?;
            Some(format!("the section \"{}\" of {}", heading.text, doc.path))
        };
        if let Some(text) = resolved.readme_section.and_then(section) {
            return Some(text);
        }
        if let Some(text) = resolved.sections.first().copied().and_then(section) {
            return Some(text);
        }
        if let Some(d) = resolved.declared.first() {
            return Some(format!("{} (`{}`)", index.path(d.file), d.value));
        }
        if let Some(path) = &resolved.org_default {
            return Some(format!("the organization's default {path}"));
        }
        if let Some(&(id, line)) = resolved.mentions.first() {
            return Some(format!("{}:{line}", index.path(id)));
        }
        None
    }

    /// Whether a file is the README or plays some governance role. Resolves the roles no rule has
    /// asked for yet (their path matches are already shared), so call it for a few files only.
    pub fn plays_role(&self, id: FileId) -> bool {
        self.readme() == Some(id)
            || self
                .catalog
                .roles
                .iter()
                .any(|role| self.resolve(&role.def.role).files.contains(&id))
    }

    /// Files in the repository that README links with matching text point at.
    fn readme_link_targets(&self, pattern: &Pattern) -> Vec<FileId> {
        let Some(readme) = self.readme().and_then(|id| self.repo.document(id)) else {
            return Vec::new();
        };
        readme
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::Link && !l.is_external() && pattern.is_match(&l.text))
            .filter_map(|l| crate::doc::resolve_link_path(&readme.path, &l.target))
            .filter_map(|path| self.repo.index().find(&path))
            .filter(|id| Some(*id) != self.readme())
            .collect()
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

/// The first section heading of `doc` matching `pattern`: any heading below the document's title.
/// A README's first heading is its title; a later first-level heading is a section like any other
/// ("# Contributing" near the end of a README written with first-level headings throughout).
fn section_heading(doc: &Document, pattern: &Pattern) -> Option<usize> {
    doc.headings
        .iter()
        .enumerate()
        .position(|(i, h)| (h.level > 1 || i > 0) && pattern.is_match(&h.text))
}

/// The first visible line matching `pattern` that carries an e-mail address or a link whose target
/// matches `link` (any link when `link` is unset).
fn mention_line(doc: &Document, pattern: &Pattern, link: Option<&Pattern>) -> Option<u32> {
    for (offset, piece) in doc.prose(doc.full()) {
        // One search per piece finds the next candidate line; the line is then checked on its own,
        // since a match may run across a line end.
        let mut from = 0;
        while let Some(m) = pattern.find_at(doc.haystack(offset..offset + piece.len()), from) {
            let start = piece[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            let end = piece[m.start()..]
                .find('\n')
                .map_or(piece.len(), |i| m.start() + i + 1);
            let line = &piece[start..end];
            let range = offset + start..offset + end;
            let linked = pattern.is_match(line)
                && (doc.links.iter().any(|l| {
                    range.contains(&l.span.start) && link.is_none_or(|p| p.is_match(&l.target))
                }) || line
                    .split_whitespace()
                    .any(|w| w.contains('@') && w.contains('.')));
            if linked {
                return Some(doc.line_of(range.start));
            }
            from = end;
        }
    }
    None
}
