//! The file index of one repository: every walked file and directory, addressable by relative path.

use std::collections::BTreeSet;

/// Index of a file in a [`FileIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    /// Bytes, when the walk measured it (symlinks); regular files are measured when read.
    pub size: Option<u64>,
}

#[derive(Debug, Default)]
pub struct FileIndex {
    files: Vec<FileEntry>,
    /// Lower-cased paths, in the same order, for case-insensitive look-ups.
    lower: Vec<String>,
    dirs: BTreeSet<String>,
}

impl FileIndex {
    pub fn new(mut files: Vec<FileEntry>, mut dirs: BTreeSet<String>) -> FileIndex {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        for file in &files {
            let mut path = file.path.as_str();
            while let Some((parent, _)) = path.rsplit_once('/') {
                if !dirs.insert(parent.to_string()) {
                    break;
                }
                path = parent;
            }
        }
        let lower = files.iter().map(|f| f.path.to_lowercase()).collect();
        FileIndex { files, lower, dirs }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn entry(&self, id: FileId) -> &FileEntry {
        &self.files[id.0]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.files[id.0].path
    }

    /// The path in lower case, for case-insensitive matching.
    pub fn path_lower(&self, id: FileId) -> &str {
        &self.lower[id.0]
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len()).map(FileId)
    }

    /// Exact (case-sensitive, as GitHub resolves links) look-up of a file.
    pub fn find(&self, path: &str) -> Option<FileId> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(FileId)
    }

    /// Case-insensitive look-up, for locating artifacts whose names vary in case.
    pub fn find_ignore_case(&self, path: &str) -> Option<FileId> {
        let wanted = path.to_lowercase();
        self.lower.iter().position(|p| *p == wanted).map(FileId)
    }

    /// Whether `path` is a directory holding at least one indexed file (or an empty walked one).
    pub fn is_dir(&self, path: &str) -> bool {
        path.is_empty() || self.dirs.contains(path.trim_end_matches('/'))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.find(path).is_some() || self.is_dir(path)
    }

    /// Files directly inside `dir` ("" for the root).
    pub fn files_in<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = FileId> + 'a {
        self.ids().filter(move |id| {
            let path = self.path(*id);
            match path.rsplit_once('/') {
                Some((parent, _)) => parent == dir,
                None => dir.is_empty(),
            }
        })
    }
}
