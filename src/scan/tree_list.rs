//! The full file list of a repository that is only partly on disk (a sparse checkout, a copy of its
//! documents). Link targets listed there exist upstream, so they are not broken links.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The largest tree file read: a million paths of sixty bytes.
const MAX_TREE_FILE: u64 = 64 * 1024 * 1024;

/// Every path of the repository, one per line, `/`-separated (the output of `git ls-files` or
/// `git ls-tree -r --name-only HEAD`).
#[derive(Debug, Default)]
pub struct TreeList {
    files: HashSet<String>,
    dirs: HashSet<String>,
}

impl TreeList {
    pub fn parse(text: &str) -> TreeList {
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        for line in text.lines() {
            let path = line.trim_end_matches('\r').trim_start_matches("./");
            if path.is_empty() {
                continue;
            }
            let mut parent = path;
            while let Some((dir, _)) = parent.rsplit_once('/') {
                if !dirs.insert(dir.to_string()) {
                    break;
                }
                parent = dir;
            }
            files.insert(path.trim_end_matches('/').to_string());
        }
        TreeList { files, dirs }
    }

    /// Reads the list configured as `tree_file` for the repository named `repo`: `{repo}` in the
    /// configured path stands for the repository's folder name.
    pub fn load(template: &Path, repo: &str) -> Result<TreeList, String> {
        let path = PathBuf::from(template.to_string_lossy().replace("{repo}", repo));
        super::read::read_regular(&path, MAX_TREE_FILE)
            .map(|bytes| TreeList::parse(&String::from_utf8_lossy(&bytes)))
            .map_err(|err| {
                format!(
                    "tree file {} {}: links are checked against the files on disk only",
                    path.display(),
                    err.describe()
                )
            })
    }

    /// Every listed file, in no particular order.
    pub fn files(&self) -> impl Iterator<Item = &str> + '_ {
        self.files.iter().map(String::as_str)
    }

    /// Every folder of a listed file, in no particular order.
    pub fn dirs(&self) -> impl Iterator<Item = &str> + '_ {
        self.dirs.iter().map(String::as_str)
    }

    pub fn is_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    pub fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_their_folders() {
        let tree = TreeList::parse("README.md\r\nstatic/img/guides/a.jpg\n\ndocs/with space.md\n");
        assert!(tree.is_file("static/img/guides/a.jpg"));
        assert!(tree.is_file("docs/with space.md"));
        assert!(tree.is_dir("static") && tree.is_dir("static/img/guides/"));
        assert!(!tree.is_file("static/img"));
        assert!(!tree.is_dir("README.md"));
    }
}
