//! The single walk over a repository: hidden files in, `.git/` out, `.gitignore` honoured,
//! symlinks never followed out of the root.

use std::collections::BTreeSet;
use std::path::Path;

use globset::GlobSet;
use ignore::WalkBuilder;

use super::index::{FileEntry, FileIndex};
use crate::finding::Note;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub max_file_size: u64,
    /// Paths (relative, `/`-separated) that the user excluded in configuration.
    pub exclude: GlobSet,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_file_size: super::DEFAULT_MAX_FILE_SIZE,
            exclude: GlobSet::empty(),
        }
    }
}

pub(super) fn walk(root: &Path, options: &WalkOptions) -> (FileIndex, Vec<Note>) {
    let mut files = Vec::new();
    let mut dirs = BTreeSet::new();
    let mut notes = Vec::new();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());

    let exclude = options.exclude.clone();
    let walk_root = root.to_path_buf();
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .parents(false)
        .git_global(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .ignore(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            if entry.file_name() == ".git" {
                return false;
            }
            if exclude.is_empty() {
                return true;
            }
            match entry.path().strip_prefix(&walk_root) {
                Ok(rel) => !exclude.is_match(rel),
                Err(_) => true,
            }
        })
        .build();

    for result in walker {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                notes.push(Note {
                    path: error_path(&err, root),
                    message: format!("not walked: {err}"),
                });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let Some(rel) = relative(entry.path(), root) else {
            continue;
        };
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            dirs.insert(rel);
        } else if file_type.is_file() {
            files.push(FileEntry { path: rel });
        } else if file_type.is_symlink() {
            match symlink_target(entry.path(), &canonical_root) {
                Ok(Target::File) => files.push(FileEntry { path: rel }),
                Ok(Target::Dir) => notes.push(Note {
                    path: rel,
                    message: "symlink to a directory: not followed".to_string(),
                }),
                Err(why) => notes.push(Note {
                    path: rel,
                    message: why,
                }),
            }
        }
    }
    (FileIndex::new(files, dirs), notes)
}

enum Target {
    File,
    Dir,
}

/// Resolves a symlink, refusing targets outside the repository and surviving loops.
fn symlink_target(link: &Path, canonical_root: &Path) -> Result<Target, String> {
    let target = link
        .canonicalize()
        .map_err(|err| format!("symlink not followed: broken or looping ({})", err.kind()))?;
    if !target.starts_with(canonical_root) {
        return Err("symlink not followed: it points outside the repository".to_string());
    }
    let meta = std::fs::metadata(&target)
        .map_err(|err| format!("symlink not followed: {}", err.kind()))?;
    if meta.is_dir() {
        Ok(Target::Dir)
    } else {
        Ok(Target::File)
    }
}

fn relative(path: &Path, root: &Path) -> Option<String> {
    // Walked paths are the root joined with names: cutting the root's text off is enough, and far
    // cheaper than comparing component by component (this runs for every file of every repository).
    let rel = match (path.to_str(), root.to_str()) {
        (Some(path), Some(root)) => {
            let rest = path.strip_prefix(root)?;
            let at_boundary = rest.is_empty()
                || rest.starts_with(std::path::is_separator)
                || root.ends_with(std::path::is_separator);
            if !at_boundary {
                return None;
            }
            std::borrow::Cow::Borrowed(rest.trim_start_matches(std::path::is_separator))
        }
        _ => path.strip_prefix(root).ok()?.to_string_lossy(),
    };
    match rel.as_ref() {
        "" => None,
        rel if cfg!(windows) => Some(rel.replace('\\', "/")),
        rel => Some(rel.to_string()),
    }
}

fn error_path(err: &ignore::Error, root: &Path) -> String {
    fn find(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                find(err)
            }
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    find(err)
        .and_then(|p| relative(p, root))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_cut_at_a_component_boundary() {
        let rel = |path: &str, root: &str| relative(Path::new(path), Path::new(root));
        assert_eq!(rel("repo/docs/a.md", "repo"), Some("docs/a.md".to_string()));
        assert_eq!(
            rel("repo/docs/a.md", "repo/"),
            Some("docs/a.md".to_string())
        );
        assert_eq!(rel("./a.md", "."), Some("a.md".to_string()));
        assert_eq!(rel("repo", "repo"), None);
        // A sibling whose name starts with the root's name is not inside it.
        assert_eq!(rel("repository/a.md", "repo"), None);
    }
}
