//! The file index of one repository: every walked file and directory, addressable by relative path.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::doc::DocKind;

/// Index of a file in a [`FileIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
}

#[derive(Debug, Default)]
pub struct FileIndex {
    files: Vec<FileEntry>,
    /// Lower-cased paths, in the same order, for case-insensitive look-ups.
    lower: Vec<String>,
    /// What kind of document each file is, by its name: asked for every file by several rules.
    kinds: Vec<DocKind>,
    dirs: BTreeSet<String>,
    /// Files by name, made when first asked (plugins looking for files by name).
    names: OnceLock<FileNames>,
    /// Hashes of the folders' own names, lower-cased (ASCII), sorted: made when first asked.
    folder_names: OnceLock<Vec<u64>>,
}

/// Files keyed by the first eight bytes of their lower-cased names, in path order. Looking for
/// the names that start with some text compares one integer per file: with a few look-ups per
/// repository, that costs less than sorting the keys to search them.
#[derive(Debug, Default)]
pub struct FileNames {
    /// Files with ASCII names, with [`name_key`] of the lower-cased name.
    pub ascii: Vec<(u64, FileId)>,
    /// Files whose names are not ASCII, in path order: lower-casing them is not ASCII's.
    pub other: Vec<FileId>,
}

/// The first eight bytes of `name`, big-endian, zero-padded: keys order like the names' starts
/// (no file name holds a zero byte).
pub fn name_key(name: &[u8]) -> u64 {
    let mut bytes = [0; 8];
    let len = name.len().min(8);
    bytes[..len].copy_from_slice(&name[..len]);
    u64::from_be_bytes(bytes)
}

/// FNV-1a of `name` with ASCII letters lower-cased: allocation-free, for name look-ups that
/// tolerate collisions.
fn folded_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

impl FileNames {
    /// The ASCII-named files whose lower-cased names start with `prefix` (lower-case ASCII), in
    /// path order, or more when the prefix is longer than a key: those then still need comparing.
    pub fn starting_with(&self, prefix: &str) -> impl Iterator<Item = FileId> + '_ {
        let known = prefix.len().min(8);
        let mask = u64::MAX.checked_shl(8 * (8 - known) as u32).unwrap_or(0);
        let wanted = name_key(prefix.as_bytes()) & mask;
        self.ascii
            .iter()
            .filter(move |&&(key, _)| key & mask == wanted)
            .map(|&(_, id)| id)
    }
}

impl FileIndex {
    pub fn new(mut files: Vec<FileEntry>, mut dirs: BTreeSet<String>) -> FileIndex {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        for file in &files {
            let mut path = file.path.as_str();
            while let Some((parent, _)) = path.rsplit_once('/') {
                // Most files share their folder with the previous one: look before allocating.
                if dirs.contains(parent) {
                    break;
                }
                dirs.insert(parent.to_string());
                path = parent;
            }
        }
        let lower = files.iter().map(|f| f.path.to_lowercase()).collect();
        let kinds = files.iter().map(|f| DocKind::from_path(&f.path)).collect();
        FileIndex {
            files,
            lower,
            kinds,
            dirs,
            names: OnceLock::new(),
            folder_names: OnceLock::new(),
        }
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

    pub fn kind(&self, id: FileId) -> DocKind {
        self.kinds[id.0]
    }

    /// The path lower-cased, for case-insensitive matching.
    pub fn lower_path(&self, id: FileId) -> &str {
        &self.lower[id.0]
    }

    /// The file name (last path segment), lower-cased.
    pub fn lower_file_name(&self, id: FileId) -> &str {
        let path = self.lower_path(id);
        // Paths are short: an inlined scan beats a call to memrchr here.
        let start = path.bytes().rposition(|b| b == b'/').map_or(0, |i| i + 1);
        &path[start..]
    }

    pub fn by_name(&self) -> &FileNames {
        self.names.get_or_init(|| {
            let mut names = FileNames {
                ascii: Vec::with_capacity(self.len()),
                other: Vec::new(),
            };
            for id in self.ids() {
                let name = self.lower_file_name(id);
                if name.is_ascii() {
                    names.ascii.push((name_key(name.as_bytes()), id));
                } else {
                    names.other.push(id);
                }
            }
            names
        })
    }

    /// Whether some folder may be named `name`, ignoring ASCII case as globs do: names are
    /// compared by hash, so a collision answers yes (callers go on to match paths), never no.
    pub fn may_have_folder_named(&self, name: &str) -> bool {
        let hashes = self.folder_names.get_or_init(|| {
            let mut hashes: Vec<u64> = self
                .dirs
                .iter()
                .map(|dir| folded_hash(dir.rsplit('/').next().unwrap_or(dir)))
                .collect();
            hashes.sort_unstable();
            hashes
        });
        hashes.binary_search(&folded_hash(name)).is_ok()
    }

    /// Every folder holding an indexed file (or walked empty), in path order.
    pub fn dirs(&self) -> impl Iterator<Item = &str> + '_ {
        self.dirs.iter().map(String::as_str)
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

    /// Files directly inside `dir` ("" for the root). Paths are sorted, so a folder's files sit in
    /// one contiguous run of the index.
    pub fn files_in<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = FileId> + 'a {
        let prefix_len = if dir.is_empty() { 0 } else { dir.len() + 1 };
        let in_dir = move |path: &str| {
            path.len() > prefix_len
                && (dir.is_empty() || (path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'))
        };
        let start = if dir.is_empty() {
            0
        } else {
            self.files.partition_point(|f| f.path.as_str() < dir)
        };
        self.files[start..]
            .iter()
            .enumerate()
            .take_while(move |(_, f)| dir.is_empty() || f.path.starts_with(dir))
            .filter(move |(_, f)| in_dir(&f.path) && !f.path[prefix_len..].contains('/'))
            .map(move |(i, _)| FileId(start + i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_in_lists_direct_children_only() {
        let paths = [
            "README.md",
            "docs/a.md",
            "docs/sub/b.md",
            "docs-old/c.md",
            "docs/z.md",
            ".github/x.md",
        ];
        let files = paths
            .iter()
            .map(|p| FileEntry {
                path: p.to_string(),
            })
            .collect();
        let index = FileIndex::new(files, BTreeSet::new());
        let names = |dir: &str| {
            index
                .files_in(dir)
                .map(|id| index.path(id).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("docs"), ["docs/a.md", "docs/z.md"]);
        assert_eq!(names(""), ["README.md"]);
        assert_eq!(names("docs/sub"), ["docs/sub/b.md"]);
        assert!(names("nothing").is_empty());
    }

    #[test]
    fn names_starting_with_a_prefix_of_any_length() {
        let paths = [
            "ADOPTERS.md",
            "docs/adopters-list.md",
            "Adopt.md",
            "b/MAINTAINERS",
            "MAINTAINERS.md",
            "maint",
            "Café.md",
            "x/adoptersX",
        ];
        let files = paths
            .iter()
            .map(|p| FileEntry {
                path: p.to_string(),
            })
            .collect();
        let index = FileIndex::new(files, BTreeSet::new());
        let by_name = index.by_name();
        let names = |prefix: &str| -> Vec<&str> {
            by_name
                .starting_with(prefix)
                .map(|id| index.path(id))
                .collect()
        };
        assert_eq!(
            names("adopt"),
            [
                "ADOPTERS.md",
                "Adopt.md",
                "docs/adopters-list.md",
                "x/adoptersX"
            ]
        );
        assert_eq!(
            names("adopters"),
            ["ADOPTERS.md", "docs/adopters-list.md", "x/adoptersX"],
            "a prefix of exactly eight bytes"
        );
        // Longer prefixes share their first eight bytes with more names: callers compare the rest.
        assert_eq!(names("maintainers.md"), ["MAINTAINERS.md", "b/MAINTAINERS"]);
        assert_eq!(names("maint").len(), 3);
        assert!(names("zzz").is_empty());
        assert_eq!(names("").len(), 7, "an empty prefix: every ASCII name");
        assert_eq!(by_name.other.len(), 1, "Café.md is not ASCII");
    }
}
