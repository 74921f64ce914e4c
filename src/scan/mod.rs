//! One repository on disk: its file index, built by a single walk, and lazily loaded documents.

mod index;
mod lifecycle;
pub mod read;
mod tree_list;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use globset::GlobSet;

pub use index::{FileEntry, FileId, FileIndex};
pub use lifecycle::DocumentRules;
pub use read::{ReadError, RepoRoot};
pub use tree_list::TreeList;
pub use walk::git_dirs;

use crate::doc::{generated_notice, DocKind, DocLifecycle, Document, Lifecycle};
use crate::finding::Note;

/// How repositories are read: from the configuration.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub max_file_size: u64,
    /// Paths (relative, `/`-separated) that the user excluded in configuration.
    pub exclude: GlobSet,
    /// The repository's full file list (`tree_file`), with `{repo}` for the repository's name.
    pub tree_file: Option<PathBuf>,
    /// Documents the configuration puts in a lifecycle.
    pub documents: DocumentRules,
    /// The date dated names are compared with; `None` is the system's date.
    pub today: Option<jiff::civil::Date>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            exclude: GlobSet::empty(),
            tree_file: None,
            documents: DocumentRules::default(),
            today: None,
        }
    }
}

/// How much of a document is read to find its title without parsing it whole.
const TITLE_PREFIX: usize = 4096;
/// Where most Markdown documents have their title: their first few lines.
const OPENING: usize = 512;

/// The level-1 heading in the first lines of a Markdown prefix, parsed alone: most documents open
/// with their title, and these lines parse to the same headings as the whole prefix does, since
/// later text cannot turn an earlier line into a heading or out of one. Not for documents with
/// front matter (its `title` comes first, and the block may run past these lines) or binary ones.
fn opening_title(path: &str, head: &[u8]) -> Option<String> {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if DocKind::from_path(path) != DocKind::Markdown
        || text.starts_with(b"---")
        || text.starts_with(b"+++")
        || head.contains(&0)
    {
        return None;
    }
    let cut = text[..text.len().min(OPENING)]
        .iter()
        .rposition(|&b| b == b'\n')?
        + 1;
    if cut == text.len() {
        return None;
    }
    let doc = Document::from_bytes(path, text[..cut].to_vec())?;
    doc.headings
        .iter()
        .find(|h| h.level == 1)
        .map(|h| h.text.clone())
}

/// Files above this size are not read unless the configuration says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Why a file's content is not available to rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    Binary,
    Unreadable(ReadError),
}

impl Skipped {
    pub fn describe(&self) -> String {
        match self {
            Skipped::Binary => "skipped: binary content under a document name".to_string(),
            Skipped::Unreadable(why) => why.describe(),
        }
    }
}

/// A scanned repository. Contents are read at most once, and only when a rule asks for them.
pub struct Repository {
    root: RepoRoot,
    name: String,
    index: FileIndex,
    max_file_size: u64,
    documents: Vec<OnceLock<Result<Arc<Document>, Skipped>>>,
    walk_notes: Vec<Note>,
    titles_from_prefix: bool,
    /// The repository's full file list, when only part of it is on disk.
    tree: Option<TreeList>,
    documents_rules: DocumentRules,
    today: Option<jiff::civil::Date>,
    /// What the repository's paths say about all files at once (series, submodules, other
    /// projects' subtrees), gathered when a lifecycle is first asked for.
    lifecycle_facts: OnceLock<lifecycle::Facts>,
    /// Each file's lifecycle by its place, decided when asked: only documents and role candidates
    /// are.
    lifecycles: Vec<OnceLock<DocLifecycle>>,
}

impl Repository {
    /// Walks `root` once and indexes every file that is not ignored; reads the configured tree
    /// file, if any (a note says when it cannot be read).
    pub fn open(root: &Path, options: &ScanOptions) -> Repository {
        let files = RepoRoot::new(root);
        let (index, mut walk_notes) = walk::walk(&files, options);
        let documents = (0..index.len()).map(|_| OnceLock::new()).collect();
        let lifecycles = (0..index.len()).map(|_| OnceLock::new()).collect();
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| root.display().to_string());
        let tree =
            options
                .tree_file
                .as_deref()
                .and_then(|path| match TreeList::load(path, &name) {
                    Ok(tree) => Some(tree),
                    Err(message) => {
                        walk_notes.insert(
                            0,
                            Note {
                                path: String::new(),
                                message,
                            },
                        );
                        None
                    }
                });
        Repository {
            root: files,
            name,
            index,
            max_file_size: options.max_file_size,
            documents,
            walk_notes,
            titles_from_prefix: false,
            tree,
            documents_rules: options.documents.clone(),
            today: options.today,
            lifecycle_facts: OnceLock::new(),
            lifecycles,
        }
    }

    /// The repository's full file list (`tree_file`), when one was configured and read.
    pub fn tree(&self) -> Option<&TreeList> {
        self.tree.as_ref()
    }

    /// A file's lifecycle as its place in the repository tells it (see `scan::lifecycle`). A
    /// document read since may know more: [`Repository::lifecycle`] asks it.
    pub fn place_lifecycle(&self, id: FileId) -> &DocLifecycle {
        self.lifecycles[id.0].get_or_init(|| {
            let facts = self.lifecycle_facts.get_or_init(|| {
                let today = self.today.unwrap_or_else(|| jiff::Zoned::now().date());
                let read = |path: &str| {
                    let id = self.index.find(path)?;
                    let bytes = self.read_bytes(id).ok()?;
                    Some(String::from_utf8_lossy(&bytes).into_owned())
                };
                lifecycle::Facts::gather(&self.index, self.tree.as_ref(), today, &read)
            });
            lifecycle::Classifier {
                index: &self.index,
                tree: self.tree.as_ref(),
                rules: &self.documents_rules,
                facts,
            }
            .classify(self.index.path(id))
        })
    }

    /// A file's lifecycle, as [`Repository::lifecycle`] has it, without a copy of the reason.
    pub fn lifecycle_kind(&self, id: FileId) -> Lifecycle {
        match self.documents[id.0].get() {
            Some(Ok(doc)) => doc.lifecycle.lifecycle,
            _ => self.place_lifecycle(id).lifecycle,
        }
    }

    pub fn is_live(&self, id: FileId) -> bool {
        self.lifecycle_kind(id).is_live()
    }

    /// A file's lifecycle: by its place, or by a tool's notice in its text when it has been read.
    pub fn lifecycle(&self, id: FileId) -> DocLifecycle {
        match self.documents[id.0].get() {
            Some(Ok(doc)) => doc.lifecycle.clone(),
            _ => self.place_lifecycle(id).clone(),
        }
    }

    /// Titles are taken from a document's first few kilobytes instead of its whole parse. For runs
    /// that look at a few files (pre-commit): a full run parses every document anyway, and parsing
    /// a prefix first would parse most of them twice.
    pub fn read_titles_from_prefix(&mut self) {
        self.titles_from_prefix = true;
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The root that opens the repository's files (see [`read`]).
    pub fn files(&self) -> &RepoRoot {
        &self.root
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn index(&self) -> &FileIndex {
        &self.index
    }

    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// The parsed document for a file, read and parsed on first use and shared afterwards.
    pub fn document(&self, id: FileId) -> Option<Arc<Document>> {
        self.documents[id.0]
            .get_or_init(|| self.load(id))
            .as_ref()
            .ok()
            .cloned()
    }

    /// A document's title. With [`Repository::read_titles_from_prefix`], a document not parsed yet
    /// is not parsed for this: its first few kilobytes are, which is where a title lives.
    pub fn title(&self, id: FileId) -> Option<String> {
        if !self.titles_from_prefix {
            return self.document(id)?.title().map(str::to_string);
        }
        if let Some(loaded) = self.documents[id.0].get() {
            return loaded
                .as_ref()
                .ok()
                .and_then(|d| d.title().map(str::to_string));
        }
        use std::io::Read;
        let mut head = Vec::with_capacity(TITLE_PREFIX);
        self.root
            .open_walked(self.index.path(id))
            .ok()?
            .0
            .take(TITLE_PREFIX as u64)
            .read_to_end(&mut head)
            .ok()?;
        let path = self.index.path(id);
        if let Some(title) = opening_title(path, &head) {
            return Some(title);
        }
        let doc = Document::from_bytes(path, head)?;
        doc.title().map(str::to_string)
    }

    /// The parsed document at a repository-relative path, if the path is an indexed file.
    pub fn document_at(&self, path: &str) -> Option<Arc<Document>> {
        self.index.find(path).and_then(|id| self.document(id))
    }

    /// The documents read so far, in path order: what later steps may look at without a new read.
    pub fn loaded_documents(&self) -> impl Iterator<Item = Arc<Document>> + '_ {
        self.documents
            .iter()
            .filter_map(|cell| cell.get().and_then(|loaded| loaded.as_ref().ok()).cloned())
    }

    fn load(&self, id: FileId) -> Result<Arc<Document>, Skipped> {
        let bytes = self.read_bytes(id)?;
        let mut doc = Document::from_bytes(self.index.path(id), bytes).ok_or(Skipped::Binary)?;
        doc.lifecycle = self.place_lifecycle(id).clone();
        if doc.lifecycle.is_live() {
            if let Some((line, notice)) = generated_notice(&doc.text) {
                doc.lifecycle = DocLifecycle::new(
                    Lifecycle::Generated,
                    format!("says \"{notice}\" on line {line}: a tool writes it"),
                );
            }
        }
        Ok(Arc::new(doc))
    }

    /// The raw content of a file, refused when it is over the size cap or not a regular file
    /// (see [`read`]). The size is taken from the open file, so the walk needs no `stat` per file.
    pub fn read_bytes(&self, id: FileId) -> Result<Vec<u8>, Skipped> {
        self.root
            .read_walked(self.index.path(id), self.max_file_size)
            .map_err(Skipped::Unreadable)
    }

    /// Why a path the walk did not index cannot be read, in words. A path that leads out of the
    /// repository is "no such file", as a missing one is: a plugin asking learns nothing of what
    /// exists outside.
    pub fn why_not_indexed(&self, path: &str) -> String {
        match self.root.open_named(path) {
            Ok(_) => "not scanned (ignored by .gitignore or excluded in ospolint.toml)".to_string(),
            Err(ReadError::NotFound | ReadError::Outside) => {
                "no such file in the repository".to_string()
            }
            Err(err) => err.describe(),
        }
    }

    /// Notes about what could not be walked or read, in path order.
    pub fn notes(&self) -> Vec<Note> {
        let mut notes = self.walk_notes.clone();
        for (i, cell) in self.documents.iter().enumerate() {
            let path = &self.index.entry(FileId(i)).path;
            match cell.get() {
                Some(Err(skipped)) => notes.push(Note {
                    path: path.clone(),
                    message: skipped.describe(),
                }),
                Some(Ok(doc)) => notes.extend(doc.notes.iter().map(|message| Note {
                    path: path.clone(),
                    message: message.clone(),
                })),
                None => {}
            }
        }
        notes.sort();
        notes.dedup();
        notes
    }
}
