//! One repository on disk: its file index, built by a single walk, and lazily loaded documents.

mod index;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub use index::{FileEntry, FileId, FileIndex};
pub use walk::WalkOptions;

use crate::doc::Document;
use crate::finding::Note;

/// Files above this size are not read unless the configuration says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Why a file's content is not available to rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    TooLarge { size: u64, limit: u64 },
    Binary,
    Unreadable(String),
}

impl Skipped {
    fn describe(&self) -> String {
        match self {
            Skipped::TooLarge { size, limit } => format!(
                "skipped: {size} bytes is over the size limit of {limit} bytes (`max_file_size` in ospolint.toml)"
            ),
            Skipped::Binary => "skipped: binary content under a document name".to_string(),
            Skipped::Unreadable(why) => format!("skipped: could not be read ({why})"),
        }
    }
}

/// A scanned repository. Contents are read at most once, and only when a rule asks for them.
pub struct Repository {
    root: PathBuf,
    name: String,
    index: FileIndex,
    max_file_size: u64,
    documents: Vec<OnceLock<Result<Arc<Document>, Skipped>>>,
    walk_notes: Vec<Note>,
}

impl Repository {
    /// Walks `root` once and indexes every file that is not ignored.
    pub fn open(root: &Path, options: &WalkOptions) -> Repository {
        let (index, walk_notes) = walk::walk(root, options);
        let documents = (0..index.len()).map(|_| OnceLock::new()).collect();
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| root.display().to_string());
        Repository {
            root: root.to_path_buf(),
            name,
            index,
            max_file_size: options.max_file_size,
            documents,
            walk_notes,
        }
    }

    pub fn root(&self) -> &Path {
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
        use std::io::Read;

        let entry = self.index.entry(id);
        let unreadable = |err: std::io::Error| Skipped::Unreadable(err.kind().to_string());
        let file = std::fs::File::open(self.root.join(&entry.path)).map_err(unreadable)?;
        // The walk does not stat regular files (a pre-commit run would pay for 1,600 stats to
        // read three files): the size is taken from the open file.
        let size = match entry.size {
            Some(size) => size,
            None => file.metadata().map_err(unreadable)?.len(),
        };
        let limit = self.max_file_size;
        if size > limit {
            return Err(Skipped::TooLarge { size, limit });
        }
        let mut bytes = Vec::with_capacity(size as usize);
        file.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
        // A file that grew since it was measured is held to the same cap.
        if bytes.len() as u64 > limit {
            return Err(Skipped::TooLarge { size: bytes.len() as u64, limit });
        }
        Document::from_bytes(&entry.path, &bytes)
            .map(Arc::new)
            .ok_or(Skipped::Binary)
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
