//! The single walk over a repository: hidden files in, `.git/` out, `.gitignore` honoured,
//! symlinks never followed out of the root.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
    // Only symlinks need the resolved root, and few repositories have any.
    let canonical_root = std::cell::OnceCell::new();

    let exclude = options.exclude.clone();
    let walk_root = root.to_path_buf();
    // `.gitignore` files are read as custom ignore files, and the repository's own
    // `.git/info/exclude` added by hand: with its git options on, the walker also builds the
    // ignore rules of every folder above the repository (the `.gitignore` of the folder holding
    // an organization's clones, read and compiled again for each of them) and looks for `.git`
    // in every folder, only to leave both unused when parent folders are not consulted.
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(false)
        .git_global(false)
        .git_ignore(false)
        .git_exclude(false)
        .ignore(false)
        .add_custom_ignore_filename(".gitignore")
        .follow_links(false)
        // Patterns of `.git/info/exclude` are relative to the repository's root.
        .current_dir(root);
    if let Some(exclude) = git_exclude_file(root) {
        if let Some(err) = builder.add_ignore(&exclude) {
            notes.push(Note {
                path: error_path(&err, root),
                message: format!("not read: {err}"),
            });
        }
    }
    let walker = builder
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
            let canonical_root = canonical_root
                .get_or_init(|| root.canonicalize().unwrap_or_else(|_| root.to_path_buf()));
            match symlink_target(entry.path(), canonical_root) {
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

/// The repository's `.git/info/exclude`, also when `.git` is a file pointing at the git folder
/// (a worktree or a submodule), whose exclusions live in the common git folder.
fn git_exclude_file(root: &Path) -> Option<PathBuf> {
    let dot_git = root.join(".git");
    let meta = std::fs::symlink_metadata(&dot_git).ok()?;
    let git_dir = if meta.is_dir() {
        dot_git
    } else {
        let link = std::fs::read_to_string(&dot_git).ok()?;
        root.join(link.strip_prefix("gitdir:")?.trim())
    };
    let common = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(common) => git_dir.join(common.trim()),
        Err(_) => git_dir,
    };
    let exclude = common.join("info").join("exclude");
    exclude.is_file().then_some(exclude)
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
