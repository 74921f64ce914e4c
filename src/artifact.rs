//! Which file plays which governance role in a repository. Roles are data (`rules/artifacts.toml`);
//! rules ask for a role, never for a file name.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::doc::{DocKind, Document, Lifecycle, LinkKind};
use crate::pattern::{Pattern, PatternSet};
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

/// Near-candidates an absence message names.
const NEAR_CANDIDATES: usize = 2;

/// Sentences in normative language that make a document read as rules.
const NORMATIVE_SENTENCES: usize = 2;

/// Extensions a governance document may carry when its definition does not say otherwise.
const DOC_EXTENSIONS: [&str; 6] = ["", ".md", ".markdown", ".rst", ".adoc", ".txt"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArtifactFile {
    #[serde(default)]
    code_extensions: Vec<String>,
    /// Normative language: evidence for roles that set rules (`normative = true`).
    normative: Option<Pattern>,
    #[serde(default)]
    genre: Vec<GenreDef>,
    artifact: Vec<ArtifactDef>,
}

/// A kind of document that plays no governance role whatever its name or title promises: an
/// agenda, a course page, a checklist, a template, a news post. Negative evidence for every role
/// that does not accept it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenreDef {
    pub id: String,
    /// The genre in words, with its article: "an agenda".
    pub describe: String,
    /// Words of the title or of the path (separators read as spaces) that name the genre.
    pub words: Option<Pattern>,
    /// Places (matched against the lower-cased relative path) where documents of the genre live.
    pub places: Option<Pattern>,
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
    /// A title matching this is evidence against the role: a guide or FAQ about the subject, not
    /// the role's own document.
    pub title_against: Option<Pattern>,
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
    /// A heading of a `section_in` document that also stands in, besides `readme_heading`: a
    /// contributing guide's "Licensing" is about contributions, a README's about the project.
    pub section_heading: Option<Pattern>,
    /// A section of a `section_in` document whose visible text matches this stands in whatever
    /// its heading ("Contributing code" that asks for a DCO sign-off).
    pub section_body: Option<Pattern>,
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
    /// Folders (globs over the whole path, without extension) where the role's documents live:
    /// weaker than a name, so a document there also needs a title or sections of the role.
    #[serde(default)]
    pub places: Vec<String>,
    /// Headings of the sections a document of the role typically has; each distinct one is
    /// evidence.
    pub headings: Option<Pattern>,
    /// Normative language ("must", "shall") is evidence: the role sets rules.
    #[serde(default)]
    pub normative: bool,
    /// Visible text that states what the role is about ("the OSPO's mission is …"): evidence
    /// worth a title.
    pub body: Option<Pattern>,
    /// Genres (ids of `[[genre]]`) that are no evidence against the role: a release process may
    /// be a launch checklist.
    #[serde(default)]
    pub accept_genres: Vec<String>,
    /// `names` also count outside `locations`, as weak evidence, when no document in the usual
    /// places plays the role (`docs/conduct/code_of_conduct.md`).
    #[serde(default)]
    pub names_anywhere: bool,
    /// Every matching document plays the role (a collection of pages), without scoring.
    #[serde(default)]
    pub collection: bool,
    /// The role may be written as several pages: the documents of a folder of the role
    /// (`places`) beside one that plays it, and the pages of its folder that a folder's index
    /// playing the role links to, play it too (an incident process beside the code of conduct).
    #[serde(default)]
    pub companions: bool,
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
    /// Every document considered, with its score and evidence: those playing the role first, in
    /// the order of `files`, then the others, best first.
    pub candidates: Vec<Candidate>,
}

/// Points a document needs to play a role (see [`Signal::weight`]): a name in the role's places
/// is enough; a title needs one more signal (a section, normative language); a link's text alone
/// never is.
pub const ACCEPT: i32 = 3;

/// One piece of evidence for or against a document playing a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Pinned in the configuration's `[artifacts]`.
    Pinned,
    /// Named as the role in a place where it is looked for ("the root", ".github/").
    Name(String),
    /// Matches one of the role's path patterns.
    Path,
    /// In a folder where the role's documents live.
    Place,
    /// Named as the role, outside the places where it is looked for.
    NameElsewhere,
    /// Reached through a pointer stub at this path.
    Via(String),
    /// Titled as the role, and found by that title where the role's titles are looked for.
    Title(String),
    /// Titled as the role, found by other evidence (a name in an unusual place): the title
    /// confirms the rest but does not make the document one of the role's places.
    Titled(String),
    /// Titled as a guide or page about the role rather than the role's own document.
    TitledAbout(String),
    /// Headings typical of the role (at most three kept).
    Sections(Vec<String>),
    /// Sentences in normative language.
    Normative,
    /// Its text states what the role is about (`body`).
    Body,
    /// A README link whose text names the role.
    ReadmeLink(String),
    /// Its name or place reads as another genre: the genre in words.
    Genre(String),
    /// Its title says it is another genre ("Strategy workshop: agenda"): whatever else it has,
    /// it does not play the role.
    TitledGenre(String),
    /// Named as another role's document: that role's title.
    OtherRole(String),
    /// A companion page of the document at this path, which plays the role: in the same folder
    /// of the role, or linked from it as its folder's index.
    Companion(String),
}

impl Signal {
    /// Points for (or against) the document. Names and path patterns are the strongest evidence;
    /// a title nearly so; the rest tips the balance.
    pub fn weight(&self) -> i32 {
        match self {
            Signal::Pinned | Signal::Name(_) | Signal::Path => ACCEPT,
            Signal::Title(_) | Signal::Titled(_) | Signal::Body => 2,
            Signal::Sections(headings) => headings.len().min(2) as i32,
            Signal::Place | Signal::NameElsewhere | Signal::Normative | Signal::ReadmeLink(_) => 1,
            Signal::Via(_) | Signal::Companion(_) => 0,
            Signal::Genre(_) | Signal::TitledGenre(_) | Signal::TitledAbout(_) => -ACCEPT,
            Signal::OtherRole(_) => -ACCEPT,
        }
    }

    /// Whether the signal says what the document is (a name, a place, a title), rather than only
    /// what it contains or how it is linked.
    fn identifies(&self) -> bool {
        matches!(
            self,
            Signal::Pinned
                | Signal::Name(_)
                | Signal::Path
                | Signal::Place
                | Signal::NameElsewhere
                | Signal::Title(_)
        )
    }

    /// The evidence in words: "named SECURITY in .github/", "sections \"Reporting\", \"Scope\"".
    pub fn describe(&self) -> String {
        match self {
            Signal::Pinned => "pinned in the configuration".to_string(),
            Signal::Name(place) => format!("named as the role in {place}"),
            Signal::Path => "a path where the role is kept".to_string(),
            Signal::Place => "in a folder where the role's documents live".to_string(),
            Signal::NameElsewhere => "named as the role, in an unusual place".to_string(),
            Signal::Via(stub) => format!("via {stub}"),
            Signal::Title(title) | Signal::Titled(title) => format!("titled \"{title}\""),
            Signal::TitledAbout(_) => "titled as a guide or page about the subject".to_string(),
            Signal::Sections(headings) => format!(
                "{} {}",
                if headings.len() == 1 {
                    "a section"
                } else {
                    "sections"
                },
                headings
                    .iter()
                    .map(|h| format!("\"{h}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Signal::Normative => "normative language (must, shall, required)".to_string(),
            Signal::Body => "its text states the role's purpose".to_string(),
            Signal::ReadmeLink(text) => format!("a README link \"{text}\""),
            Signal::Genre(genre) => format!("its name or place reads as {genre}"),
            Signal::TitledGenre(genre) => format!("titled as {genre}"),
            Signal::OtherRole(title) => format!("kept as the {title}"),
            Signal::Companion(path) => format!("a companion page of {path}"),
        }
    }
}

/// A document considered for a role, with the evidence weighed.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub file: FileId,
    pub score: i32,
    /// Whether it plays the role.
    pub accepted: bool,
    pub signals: Vec<Signal>,
    /// Precedence of the place it was found at (lower first), for equal scores.
    rank: usize,
}

impl Candidate {
    fn new(file: FileId, rank: usize) -> Candidate {
        Candidate {
            file,
            score: 0,
            accepted: false,
            signals: Vec::new(),
            rank,
        }
    }

    fn add(&mut self, signal: Signal) {
        if !self.signals.contains(&signal) {
            self.signals.push(signal);
        }
    }

    /// The evidence for and against, in words.
    pub fn evidence(&self) -> Vec<String> {
        self.signals.iter().map(Signal::describe).collect()
    }

    /// For a candidate that does not play the role: what it has, and what it lacks ("a section
    /// \"Decision making\", but no governance title or name").
    pub fn why_not(&self, role_title: &str) -> String {
        let has: Vec<String> = self
            .signals
            .iter()
            .filter(|s| s.weight() > 0)
            .map(Signal::describe)
            .collect();
        let against: Vec<String> = self
            .signals
            .iter()
            .filter(|s| s.weight() < 0)
            .map(Signal::describe)
            .collect();
        let lacks = if !against.is_empty() {
            against.join(" and ")
        } else if !self.signals.iter().any(Signal::identifies) {
            format!("no {} title or name", lower_first(role_title))
        } else {
            format!("little else of a {}", lower_first(role_title))
        };
        if has.is_empty() {
            lacks
        } else {
            format!("{}, but {lacks}", has.join(", "))
        }
    }
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

    /// Whether the role is held only by sections of other roles' documents.
    pub fn only_in_other_documents(&self) -> bool {
        self.files.is_empty()
            && !self.sections.is_empty()
            && self.readme_section.is_none()
            && self.readme_link.is_none()
            && self.mentions.is_empty()
            && self.declared.is_empty()
            && self.org_default.is_none()
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

    /// The evidence for the primary file.
    pub fn chosen(&self) -> Option<&Candidate> {
        let primary = self.primary()?;
        self.candidates.iter().find(|c| c.file == primary)
    }

    /// The best candidate after the primary file, whether it plays the role or not.
    pub fn runner_up(&self) -> Option<&Candidate> {
        let primary = self.primary();
        self.candidates.iter().find(|c| Some(c.file) != primary)
    }

    /// Documents that had some evidence for the role but not enough, best first.
    pub fn near_candidates(&self) -> impl Iterator<Item = &Candidate> {
        self.candidates
            .iter()
            .filter(|c| !c.accepted && c.signals.iter().any(|s| s.weight() > 0))
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
        compiled(&self.names, &self.globs)
    }
}

/// The set of `globs`, compiled on first use.
fn compiled<'a>(cell: &'a OnceLock<GlobSet>, globs: &[Glob]) -> &'a GlobSet {
    cell.get_or_init(|| {
        let mut set = GlobSetBuilder::new();
        for glob in globs {
            set.add(glob.clone());
        }
        // Every glob compiled on its own when the catalog was read; a set of them can only
        // fail past the regex size limit, far beyond a catalog's size.
        set.build().unwrap_or_else(|_| GlobSet::empty())
    })
}

/// How a path matches a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hit {
    /// One of its names, in its `locations[rank]`.
    Name(usize),
    /// Its `paths[i]`.
    Path(usize),
    /// One of its `places`.
    Place,
    /// One of its names outside its locations (`names_anywhere`).
    Elsewhere,
}

/// Every role. Files are matched by folder first (a map from folder to the roles looking there), so
/// only files in governance locations are tested against names; `paths` globs are one combined set.
/// The patterns every document is tried against, each group searched as one: the roles' title
/// patterns (a repository's titles meet all of them) and the genres' words and places (every
/// candidate meets all of them).
#[derive(Debug)]
struct Searches {
    titles: PatternSet,
    /// For each pattern of `titles`, its role.
    title_roles: Vec<usize>,
    genre_words: PatternSet,
    /// For each pattern of `genre_words`, its genre.
    word_genres: Vec<usize>,
    genre_places: PatternSet,
    /// For each pattern of `genre_places`, its genre.
    place_genres: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct ArtifactCatalog {
    roles: Vec<Role>,
    /// Lower-cased folder → the roles that look there.
    folders: HashMap<String, Folder>,
    /// Every role's `paths` and `places` globs, without extension.
    paths: GlobSet,
    /// For each glob in `paths`: its role and how it matches.
    path_owners: Vec<(usize, Hit)>,
    /// The names of roles that also look outside their locations (`names_anywhere`), compiled on
    /// first use, and each glob's role.
    anywhere: (Vec<Glob>, Vec<usize>, OnceLock<GlobSet>),
    genres: Vec<GenreDef>,
    /// Searches made when first needed, shared by every repository (see [`Searches`]).
    searches: OnceLock<Searches>,
    normative: Option<Pattern>,
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

/// Lower-cased path → the roles it matches, and how.
type RoleMemo = HashMap<Box<str>, Box<[(usize, Hit)]>>;

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
            genres: file.genre,
            normative: file.normative,
            ..ArtifactCatalog::default()
        };
        for def in &file.artifact {
            for id in &def.accept_genres {
                if !catalog.genres.iter().any(|g| &g.id == id) {
                    return Err(error(format!(
                        "artifact `{}`: unknown genre `{id}` in accept_genres",
                        def.role
                    )));
                }
            }
        }
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
                catalog.path_owners.push((role_index, Hit::Path(i)));
            }
            for pattern in &def.places {
                paths.add(glob(&def.role, pattern)?);
                catalog.path_owners.push((role_index, Hit::Place));
            }
            if def.names_anywhere {
                for pattern in &def.names {
                    catalog.anywhere.0.push(glob(&def.role, pattern)?);
                    catalog.anywhere.1.push(role_index);
                }
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

    fn searches(&self) -> &Searches {
        self.searches.get_or_init(|| {
            let (title_roles, titles): (Vec<usize>, Vec<Pattern>) = self
                .roles
                .iter()
                .enumerate()
                .filter_map(|(i, r)| Some((i, r.def.title_pattern.clone()?)))
                .unzip();
            let (word_genres, words): (Vec<usize>, Vec<Pattern>) = self
                .genres
                .iter()
                .enumerate()
                .filter_map(|(i, g)| Some((i, g.words.clone()?)))
                .unzip();
            let (place_genres, places): (Vec<usize>, Vec<Pattern>) = self
                .genres
                .iter()
                .enumerate()
                .filter_map(|(i, g)| Some((i, g.places.clone()?)))
                .unzip();
            Searches {
                titles: PatternSet::new(titles),
                title_roles,
                genre_words: PatternSet::new(words),
                word_genres,
                genre_places: PatternSet::new(places),
                place_genres,
            }
        })
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

    /// Every role that a file's path matches, and how, given its path lower-cased.
    fn matches(&self, path: &str, hits: &mut Vec<usize>, out: &mut Vec<(usize, Hit)>) {
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
        out: &mut Vec<(usize, Hit)>,
    ) {
        let start = out.len();
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
                    if self.roles[role].accepts(ext) && !out.contains(&(role, Hit::Name(rank))) {
                        out.push((role, Hit::Name(rank)));
                    }
                }
            }
            self.paths.matches_into(&path[..cut], hits);
            for &glob in hits.iter() {
                let (role, hit) = self.path_owners[glob];
                if self.roles[role].accepts(ext) && !out.contains(&(role, hit)) {
                    out.push((role, hit));
                }
            }
            if !self.anywhere.0.is_empty() {
                compiled(&self.anywhere.2, &self.anywhere.0)
                    .matches_into(&file_name[..file_name.len() - ext.len()], hits);
                for &glob in hits.iter() {
                    let role = self.anywhere.1[glob];
                    if self.roles[role].accepts(ext) && !out.contains(&(role, Hit::Elsewhere)) {
                        out.push((role, Hit::Elsewhere));
                    }
                }
            }
        }
        // A name in the role's own locations is more than the same name anywhere.
        let named: Vec<usize> = out[start..]
            .iter()
            .filter(|(_, hit)| matches!(hit, Hit::Name(_)))
            .map(|(role, _)| *role)
            .collect();
        let mut i = start;
        while i < out.len() {
            if out[i].1 == Hit::Elsewhere && named.contains(&out[i].0) {
                out.remove(i);
            } else {
                i += 1;
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
    matches: OnceLock<Vec<Vec<(Hit, FileId)>>>,
    /// The title of every document that has one, read once for all roles that look for titles,
    /// with the roles whose title pattern it matches.
    titles: OnceLock<Vec<Titled>>,
    /// The repository's own web addresses, found when a pointer first links to an absolute URL.
    address: OnceLock<address::OwnAddress>,
    /// Per document: the repository files its absolute URLs name (see [`Artifacts::own_links`]).
    own_links: Mutex<HashMap<FileId, Arc<[String]>>>,
    /// The organization's default community health files.
    org: Option<&'r OrgDefaults>,
}

/// A document's title, and the roles whose title pattern it matches.
type Titled = (FileId, Box<str>, Vec<usize>);

/// The documents weighed for a role, those playing it, and the pointer stubs met on the way.
#[derive(Debug, Default)]
struct RoleFiles {
    /// The candidates that play the role, primary first.
    files: Vec<FileId>,
    candidates: Vec<Candidate>,
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
            own_links: Mutex::new(HashMap::new()),
            org: None,
            titles: OnceLock::new(),
        }
    }

    /// Lets the organization's default community health files stand in for missing ones.
    pub fn with_org_defaults(mut self, org: Option<&'r OrgDefaults>) -> Artifacts<'r> {
        self.org = org;
        self
    }

    /// The repository file an absolute URL names: a file on the repository's own GitHub address
    /// or a page of the site it publishes.
    fn own_path(&self, url: &str) -> Option<String> {
        self.address
            .get_or_init(address::OwnAddress::new)
            .path_of(self.repo, url)
    }

    /// The repository files that the absolute URLs of document `id` name (its own GitHub files
    /// and site pages), in the order the document names them. Worked out once per document: a
    /// pointer stub's target, the documents a guide links to and a rule's linked documents all
    /// ask for the same few guides.
    pub fn own_links(&self, id: FileId) -> Arc<[String]> {
        if let Some(paths) = self.own_links_memo().get(&id) {
            return paths.clone();
        }
        let mut paths: Vec<String> = Vec::new();
        let address = self.address.get_or_init(address::OwnAddress::new);
        let named = self
            .repo
            .document(id)
            .is_some_and(|doc| address.may_be_named_in(self.repo, &doc.text));
        if named {
            for url in address::absolute_urls(self.repo, id) {
                if let Some(path) = self.own_path(&url) {
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                }
            }
        }
        let paths: Arc<[String]> = paths.into();
        self.own_links_memo().insert(id, paths.clone());
        paths
    }

    fn own_links_memo(&self) -> std::sync::MutexGuard<'_, HashMap<FileId, Arc<[String]>>> {
        // Entries are inserted whole: a panic elsewhere leaves the map consistent.
        self.own_links
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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

    /// The files playing `role`, primary first, without the stand-ins [`Artifacts::resolve`]
    /// looks for: enough to know whether a role is played (the profile asks this of every OSPO
    /// role, whose stand-ins a project's rules never read).
    pub fn playing(&self, role: &str) -> &[FileId] {
        match self.catalog.role_index(role) {
            Some(i) => &self.role_files(i).files,
            None => &[],
        }
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
        let absolute = self.own_links(id);
        let mut targets = local
            .chain(absolute.iter().cloned())
            .filter_map(|path| index.find(&path))
            .filter(|&target| target != id && index.kind(target).is_markup());
        let target = targets.next()?;
        targets.all(|other| other == target).then_some(target)
    }

    /// Every document's title, in file order, with the roles whose title pattern it matches.
    fn titles(&self) -> &[Titled] {
        self.titles.get_or_init(|| {
            let index = self.repo.index();
            let searches = self.catalog.searches();
            index
                .ids()
                .filter(|&id| index.kind(id).is_markup())
                .filter_map(|id| {
                    let title = self.repo.title(id)?;
                    let roles = searches
                        .titles
                        .matching(&title)
                        .into_iter()
                        .map(|i| searches.title_roles[i])
                        .collect();
                    Some((id, title.into_boxed_str(), roles))
                })
                .collect()
        })
    }

    /// Matches every file against every role at once.
    fn path_matches(&self) -> &[Vec<(Hit, FileId)>] {
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
                for &(role, hit) in &found {
                    if self.catalog.roles[role].plays(lifecycle) {
                        per_role[role].push((hit, id));
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
            let files: Vec<FileId> = pins
                .iter()
                .filter_map(|p| index.find(p.trim_start_matches("./")))
                .collect();
            let candidates = files
                .iter()
                .enumerate()
                .map(|(rank, &file)| Candidate {
                    file,
                    score: ACCEPT,
                    accepted: true,
                    signals: vec![Signal::Pinned],
                    rank,
                })
                .collect();
            return RoleFiles {
                files,
                candidates,
                pinned: true,
                ..RoleFiles::default()
            };
        }
        self.candidates(role_index)
    }

    fn compute(&self, role_index: usize) -> Resolved {
        let role = &self.catalog.roles[role_index];
        let found = self.role_files(role_index);
        let mut resolved = Resolved {
            files: found.files.clone(),
            pinned: found.pinned,
            set_aside: found.set_aside.clone(),
            via: found.via.clone(),
            candidates: found.candidates.clone(),
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
        let by_heading = |doc: &Document, pattern: &Option<Pattern>| {
            pattern.as_ref().and_then(|p| section_heading(doc, p))
        };
        for &id in &others {
            let Some(doc) = self.repo.document(id) else {
                continue;
            };
            let found = by_heading(&doc, &role.def.readme_heading)
                .or_else(|| by_heading(&doc, &role.def.section_heading))
                .or_else(|| (role.def.section_body.as_ref()).and_then(|p| section_saying(&doc, p)));
            if let Some(h) = found {
                resolved.sections.push((id, h));
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

    /// Every document with some evidence for the role, scored: those that play it first (live
    /// documents before records, then best score, then the precedence of the place they were
    /// found at), then the others, best first. Also the pointer stubs followed and set aside.
    ///
    /// Names, paths and titles are cheap to match and decide which documents are read; only
    /// those are weighed on their content.
    fn candidates(&self, role_index: usize) -> RoleFiles {
        let role = &self.catalog.roles[role_index];
        let index = self.repo.index();
        let mut found: Vec<Candidate> = Vec::new();
        let mut at: HashMap<FileId, usize> = HashMap::new();
        let mut note = |id: FileId, rank: usize, signal: Signal, found: &mut Vec<Candidate>| {
            let i = *at.entry(id).or_insert_with(|| {
                found.push(Candidate::new(id, rank));
                found.len() - 1
            });
            found[i].rank = found[i].rank.min(rank);
            found[i].add(signal);
        };
        let locations = role.def.locations.len();
        for &(hit, id) in &self.path_matches()[role_index] {
            let (rank, signal) = match hit {
                Hit::Name(rank) => (rank, Signal::Name(place_name(&role.def.locations[rank]))),
                Hit::Path(i) => (locations + i, Signal::Path),
                Hit::Place => (usize::MAX - 4, Signal::Place),
                Hit::Elsewhere => (usize::MAX - 3, Signal::NameElsewhere),
            };
            note(id, rank, signal, &mut found);
        }
        if let Some(pattern) = &role.def.readme_link_target {
            let mut linked: Vec<FileId> = Vec::new();
            for (id, text) in self.readme_link_targets(pattern) {
                // Two links to one document are one piece of evidence.
                if !linked.contains(&id) {
                    linked.push(id);
                    note(id, usize::MAX - 1, Signal::ReadmeLink(text), &mut found);
                }
            }
        }
        if role.def.title_pattern.is_some() && !role.def.collection {
            let dirs = role
                .def
                .title_locations
                .as_ref()
                .unwrap_or(&role.def.locations);
            let everywhere = role.def.title_anywhere || dirs.iter().any(|d| d == "**");
            for (id, t, roles) in self.titles() {
                let (dir, _) = index.lower_path(*id).rsplit_once('/').unwrap_or(("", ""));
                let searched = everywhere || dirs.iter().any(|d| d.eq_ignore_ascii_case(dir));
                if searched
                    && roles.contains(&role_index)
                    && role.plays(self.repo.lifecycle_kind(*id))
                {
                    note(*id, usize::MAX, Signal::Title(t.to_string()), &mut found);
                }
            }
        }
        // A stub that sends readers to the document that now plays the role ("This page has
        // moved to docs/governance.md") hands its evidence over: the target is judged, not the
        // stub; a stub pointing at a record (an archived model) leaves the role to others.
        // The stub is kept beside its target (`via`): findings located in the target say which
        // stub sent the reader there.
        let (mut set_aside, mut via) = (Vec::new(), Vec::new());
        let mut merged: Vec<Candidate> = Vec::with_capacity(found.len());
        for mut candidate in found {
            match self.pointer_target(candidate.file) {
                Some(target) if role.plays(self.repo.lifecycle_kind(target)) => {
                    candidate.add(Signal::Via(index.path(candidate.file).to_string()));
                    via.push((candidate.file, target));
                    candidate.file = target;
                }
                Some(target) => {
                    set_aside.push((candidate.file, target));
                    continue;
                }
                None => {}
            }
            match merged.iter_mut().find(|c| c.file == candidate.file) {
                Some(earlier) => {
                    earlier.rank = earlier.rank.min(candidate.rank);
                    for signal in candidate.signals {
                        earlier.add(signal);
                    }
                }
                None => merged.push(candidate),
            }
        }
        for candidate in &mut merged {
            if !role.def.collection {
                self.weigh(role_index, candidate);
            }
            candidate.score = score(&candidate.signals);
            candidate.accepted =
                role.def.collection || (candidate.score >= ACCEPT && identified(candidate));
        }
        // A name in an unusual place stands in only when nothing in the usual places plays the
        // role: a package's own CONTRIBUTING.md is not the repository's.
        let usual = merged.iter().any(|c| c.accepted);
        for candidate in &mut merged {
            if !usual
                && candidate.score >= ACCEPT
                && candidate.signals.contains(&Signal::NameElsewhere)
            {
                candidate.accepted = true;
            }
        }
        if role.def.companions {
            self.add_companions(role_index, &mut merged);
        }
        merged.sort_by_key(|c| {
            (
                !c.accepted,
                // A companion page never comes before the document it accompanies.
                c.signals.iter().any(|s| matches!(s, Signal::Companion(_))),
                c.accepted && !self.repo.is_live(c.file),
                std::cmp::Reverse(c.score),
                c.rank,
                c.file,
            )
        });
        via.retain(|&(_, target)| merged.iter().any(|c| c.accepted && c.file == target));
        RoleFiles {
            files: merged
                .iter()
                .filter(|c| c.accepted)
                .map(|c| c.file)
                .collect(),
            candidates: merged,
            pinned: false,
            set_aside,
            via,
        }
    }

    /// Adds the pages that play the role beside an accepted document (`companions`): the other
    /// documents of a folder of the role (`places`) that holds one, and the pages of its own
    /// folder that a folder's index playing the role links to. A page with evidence against the
    /// role (a genre, another role's name) stays out.
    fn add_companions(&self, role_index: usize, merged: &mut Vec<Candidate>) {
        let role = &self.catalog.roles[role_index];
        let index = self.repo.index();
        let dir_of = |id: FileId| index.lower_path(id).rsplit_once('/').map(|(dir, _)| dir);
        let hosts: Vec<FileId> = merged
            .iter()
            .filter(|c| c.accepted)
            .map(|c| c.file)
            .collect();
        let host_in = |dir: &str| hosts.iter().copied().find(|&h| dir_of(h) == Some(dir));
        let mut pages: Vec<(FileId, FileId)> = Vec::new();
        for c in merged.iter() {
            if c.accepted || !c.signals.contains(&Signal::Place) {
                continue;
            }
            if let Some(host) = dir_of(c.file).and_then(host_in) {
                pages.push((c.file, host));
            }
        }
        for &host in &hosts {
            let Some(dir) = dir_of(host) else { continue };
            if !is_folder_index(index.lower_path(host), dir) {
                continue;
            }
            let Some(doc) = self.repo.document(host) else {
                continue;
            };
            for link in &doc.links {
                if link.kind == LinkKind::Image
                    || link.is_external()
                    || doc.hidden_at(link.span.start).is_some()
                {
                    continue;
                }
                let target = crate::doc::resolve_link_path(&doc.path, &link.target)
                    .and_then(|path| index.find(&path))
                    .filter(|&t| {
                        t != host
                            && dir_of(t) == Some(dir)
                            && index.kind(t).is_markup()
                            && role.plays(self.repo.lifecycle_kind(t))
                    });
                if let Some(t) = target.filter(|t| !pages.iter().any(|(p, _)| p == t)) {
                    pages.push((t, host));
                }
            }
        }
        for (file, host) in pages {
            let signal = Signal::Companion(index.path(host).to_string());
            let at = match merged.iter().position(|c| c.file == file) {
                Some(i) if merged[i].accepted => continue,
                Some(i) => i,
                None => {
                    let mut c = Candidate::new(file, usize::MAX - 2);
                    self.weigh(role_index, &mut c);
                    merged.push(c);
                    merged.len() - 1
                }
            };
            let c = &mut merged[at];
            c.add(signal);
            c.score = score(&c.signals);
            c.accepted = c.signals.iter().all(|s| s.weight() >= 0);
        }
    }

    /// Adds the evidence of a candidate's content: its title, the sections and normative language
    /// typical of the role, the genre its title or place reads as, a name of another role.
    fn weigh(&self, role_index: usize, candidate: &mut Candidate) {
        let role = &self.catalog.roles[role_index];
        let index = self.repo.index();
        let id = candidate.file;
        let doc = index
            .kind(id)
            .is_markup()
            .then(|| self.repo.document(id))
            .flatten();
        let title = doc.as_ref().and_then(|d| d.title().map(str::to_string));
        if let (Some(_), Some(t)) = (&role.def.title_pattern, &title) {
            // The title was matched against every role's pattern at once (see `titles`).
            let titled = self
                .titles()
                .iter()
                .find(|(file, _, _)| *file == id)
                .is_some_and(|(_, _, roles)| roles.contains(&role_index));
            if titled
                && !candidate
                    .signals
                    .iter()
                    .any(|s| matches!(s, Signal::Title(_)))
            {
                candidate.add(Signal::Titled(t.clone()));
            }
        }
        if let (Some(pattern), Some(t)) = (&role.def.title_against, &title) {
            if pattern.is_match(t.as_str()) {
                candidate.add(Signal::TitledAbout(t.clone()));
            }
        }
        if let Some(doc) = &doc {
            if let Some(pattern) = &role.def.headings {
                let mut headings: Vec<String> = Vec::new();
                for h in &doc.headings {
                    // The title is weighed as the title, not again as a section.
                    if Some(&h.text) == title.as_ref() {
                        continue;
                    }
                    if pattern.is_match(h.text.as_str()) && !headings.contains(&h.text) {
                        headings.push(h.text.clone());
                        if headings.len() == 3 {
                            break;
                        }
                    }
                }
                if !headings.is_empty() {
                    candidate.add(Signal::Sections(headings));
                }
            }
            if let Some(pattern) = &role.def.body {
                let prose = doc.prose(doc.full());
                if prose.iter().any(|&(offset, piece)| {
                    pattern.is_match(doc.haystack(offset..offset + piece.len()))
                }) {
                    candidate.add(Signal::Body);
                }
            }
            if let (true, Some(pattern)) = (role.def.normative, &self.catalog.normative) {
                if normative_sentences(doc, pattern) >= NORMATIVE_SENTENCES {
                    candidate.add(Signal::Normative);
                }
            }
        }
        let path = index.lower_path(id);
        let words = |text: &str| -> String {
            text.chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect()
        };
        let (title_words, path_words) = (words(title.as_deref().unwrap_or("")), words(path));
        let searches = self.catalog.searches();
        let said = |set: &PatternSet, owners: &[usize], text: &str| -> Vec<usize> {
            set.matching(text).into_iter().map(|i| owners[i]).collect()
        };
        let in_title = said(&searches.genre_words, &searches.word_genres, &title_words);
        let in_path = said(&searches.genre_words, &searches.word_genres, &path_words);
        let in_place = said(&searches.genre_places, &searches.place_genres, path);
        for (i, genre) in self.catalog.genres.iter().enumerate() {
            if role.def.accept_genres.contains(&genre.id) {
                continue;
            }
            if in_title.contains(&i) {
                candidate.add(Signal::TitledGenre(genre.describe.clone()));
            } else if in_path.contains(&i) || in_place.contains(&i) {
                candidate.add(Signal::Genre(genre.describe.clone()));
            }
        }
        let named = candidate
            .signals
            .iter()
            .any(|s| matches!(s, Signal::Name(_) | Signal::NameElsewhere | Signal::Path));
        if !named {
            let (mut hits, mut other) = (Vec::new(), Vec::new());
            self.catalog.matches(path, &mut hits, &mut other);
            // A document kept by name or exact path as another role's (an OSPO charter at
            // ospo/CHARTER.md) is not this role's because its title or a link says so. Folder
            // patterns of related roles (a mentee guide's `student/` pages) say less.
            let another = other.iter().find(|&&(r, hit)| {
                let other_role = &self.catalog.roles[r].def;
                r != role_index
                    && !other_role.collection
                    && match hit {
                        Hit::Name(_) => true,
                        Hit::Path(i) => !other_role.paths[i].contains(['*', '?', '[']),
                        Hit::Place | Hit::Elsewhere => false,
                    }
            });
            if let Some(&(r, _)) = another {
                candidate.add(Signal::OtherRole(lower_first(
                    &self.catalog.roles[r].def.title,
                )));
            }
        }
    }

    /// Where `role` is looked for, in words (empty for an unknown role), the stubs set aside and
    /// the documents that had some evidence but not enough: for "not found" messages, which never
    /// leave out what was considered.
    pub fn describe_locations(&self, role: &str) -> String {
        let mut text = self
            .catalog
            .role(role)
            .map(|r| r.describe_locations())
            .unwrap_or_default();
        text.push_str(&self.considered(role));
        text
    }

    /// The stubs set aside for `role` and its near-candidates, each after "; " (empty when there
    /// are none): "; considered docs/decision_making.md (a section \"Decision making\", but no
    /// governance document title or name)".
    pub fn considered(&self, role: &str) -> String {
        let mut text = String::new();
        let index = self.repo.index();
        let resolved = self.resolve(role);
        for &(stub, target) in &resolved.set_aside {
            text.push_str(&format!(
                "; {} only points to {}, which is kept as a record ({})",
                index.path(stub),
                index.path(target),
                self.repo.lifecycle_kind(target)
            ));
        }
        let title = self
            .catalog
            .role(role)
            .map_or(role, |r| r.def.title.as_str());
        let considered: Vec<String> = resolved
            .near_candidates()
            .take(NEAR_CANDIDATES)
            .map(|c| format!("{} ({})", index.path(c.file), c.why_not(title)))
            .collect();
        if !considered.is_empty() {
            text.push_str(&format!("; considered {}", considered.join("; ")));
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

    /// Files in the repository that README links with matching text point at, with the text.
    fn readme_link_targets(&self, pattern: &Pattern) -> Vec<(FileId, String)> {
        let Some(readme) = self.readme().and_then(|id| self.repo.document(id)) else {
            return Vec::new();
        };
        readme
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::Link && !l.is_external() && pattern.is_match(&l.text))
            .filter_map(|l| {
                let path = crate::doc::resolve_link_path(&readme.path, &l.target)?;
                Some((self.repo.index().find(&path)?, l.text.clone()))
            })
            .filter(|(id, _)| Some(*id) != self.readme())
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

/// Whether the document at `path` (lower-cased) is the index of its folder `dir`: a README, an
/// `index` or `_index` page, or a page named after the folder (`contributing/contributing.md`).
fn is_folder_index(path: &str, dir: &str) -> bool {
    let name = path.rsplit_once('/').map_or(path, |(_, name)| name);
    let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
    let folder = dir.rsplit_once('/').map_or(dir, |(_, folder)| folder);
    matches!(stem, "readme" | "index" | "_index") || stem == folder
}

/// The first section below the title whose own text (up to the next heading of any level) says
/// what `pattern` looks for, outside code and comments.
fn section_saying(doc: &Document, pattern: &Pattern) -> Option<usize> {
    doc.headings.iter().enumerate().position(|(i, h)| {
        (h.level > 1 || i > 0)
            && doc
                .prose(h.own_body.clone())
                .iter()
                .any(|&(offset, piece)| {
                    pattern.is_match(doc.haystack(offset..offset + piece.len()))
                })
    })
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

/// The sum of the signals' weights, each piece of evidence counted once: a file named as the role
/// that also matches one of its path patterns has one name, not two.
fn score(signals: &[Signal]) -> i32 {
    let named = signals.iter().any(|s| matches!(s, Signal::Name(_)));
    signals
        .iter()
        .filter(|s| !(named && **s == Signal::Path))
        .map(Signal::weight)
        .sum()
}

/// Whether a candidate's evidence says what it is: a name, path, place or title the role looks
/// for, or a README link backed by the content typical of the role (two sections, or a section
/// and normative language). A name in an unusual place only stands in (see `candidates`). A
/// title that names another genre (an agenda, a checklist) says what the document is: never.
fn identified(candidate: &Candidate) -> bool {
    if candidate
        .signals
        .iter()
        .any(|s| matches!(s, Signal::TitledGenre(_)))
    {
        return false;
    }
    let content: i32 = candidate
        .signals
        .iter()
        .filter(|s| matches!(s, Signal::Sections(_) | Signal::Normative | Signal::Body))
        .map(Signal::weight)
        .sum();
    candidate
        .signals
        .iter()
        .any(|s| s.identifies() && *s != Signal::NameElsewhere)
        || (content >= 2
            && candidate
                .signals
                .iter()
                .any(|s| matches!(s, Signal::ReadmeLink(_))))
}

/// A role location in words: "the root", "docs/".
fn place_name(location: &str) -> String {
    if location.is_empty() {
        "the root".to_string()
    } else {
        format!("{location}/")
    }
}

/// Visible matches of `pattern` in `doc`, counted up to [`NORMATIVE_SENTENCES`].
fn normative_sentences(doc: &Document, pattern: &Pattern) -> usize {
    let mut count = 0;
    for (offset, piece) in doc.prose(doc.full()) {
        let haystack = doc.haystack(offset..offset + piece.len());
        let mut from = 0;
        while let Some(m) = pattern.find_at(haystack, from) {
            count += 1;
            if count >= NORMATIVE_SENTENCES {
                return count;
            }
            from = m.end().max(from + 1);
        }
    }
    count
}

/// "Code of conduct" → "code of conduct", but "OSPO charter" stays as it is.
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        Some(_) => s.to_string(),
        None => String::new(),
    }
}
