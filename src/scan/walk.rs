//! The single walk over a repository: hidden files in, `.git/` out, `.gitignore` honoured,
//! symlinks never followed out of the root.

use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use super::index::{FileEntry, FileIndex};
use super::ScanOptions;
use crate::finding::Note;

pub(super) fn walk(root: &Path, options: &ScanOptions) -> (FileIndex, Vec<Note>) {
    let mut walk = Walk {
        root,
        options,
        files: Vec::new(),
        dirs: BTreeSet::new(),
        notes: Vec::new(),
        canonical_root: OnceCell::new(),
    };
    // The repository's own `.git/info/exclude`, whose patterns are relative to the root, ranks
    // below every `.gitignore`.
    let exclude = git_exclude_file(root).and_then(|path| walk.ignore_file(root, &path));
    walk.run(exclude);
    (FileIndex::new(walk.files, walk.dirs), walk.notes)
}

/// The ignore rules in force in a folder: its own `.gitignore`, then its parents'.
struct Rules {
    matcher: Gitignore,
    parent: Option<Rc<Rules>>,
}

impl Rules {
    /// Whether `path` is ignored: the nearest folder's rules that say anything about it decide,
    /// as git has it (a `!pattern` re-includes).
    fn ignores(rules: Option<&Rc<Rules>>, path: &Path, is_dir: bool) -> bool {
        let mut rules = rules;
        while let Some(here) = rules {
            match here.matcher.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => rules = here.parent.as_ref(),
            }
        }
        false
    }
}

/// One walk over a repository. Folders are read with `read_dir`, whose entries carry their type:
/// no file is stat-ed, and a folder's `.gitignore` is found in its listing, not looked for.
struct Walk<'a> {
    root: &'a Path,
    options: &'a ScanOptions,
    files: Vec<FileEntry>,
    dirs: BTreeSet<String>,
    notes: Vec<Note>,
    /// Only symlinks need the resolved root, and few repositories have any.
    canonical_root: OnceCell<PathBuf>,
}

impl Walk<'_> {
    fn run(&mut self, exclude: Option<Gitignore>) {
        let base = exclude.map(|matcher| {
            Rc::new(Rules {
                matcher,
                parent: None,
            })
        });
        // Folders still to read: (path on disk, path in the repository, rules of the folder above).
        let mut pending = vec![(self.root.to_path_buf(), String::new(), base)];
        while let Some((dir, rel, inherited)) = pending.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(err) => {
                    self.notes.push(Note {
                        path: rel,
                        message: format!("not walked: {err}"),
                    });
                    continue;
                }
            };
            let mut listed = Vec::new();
            for entry in entries {
                match entry.and_then(|e| Ok((e.file_name(), e.file_type()?))) {
                    Ok(entry) => listed.push(entry),
                    Err(err) => self.notes.push(Note {
                        path: rel.clone(),
                        message: format!("not walked: {err}"),
                    }),
                }
            }
            let has_gitignore = listed
                .iter()
                .any(|(name, kind)| name == ".gitignore" && !kind.is_dir());
            let rules = match has_gitignore
                .then(|| self.ignore_file(&dir, &dir.join(".gitignore")))
                .flatten()
            {
                Some(matcher) => Some(Rc::new(Rules {
                    matcher,
                    parent: inherited,
                })),
                None => inherited,
            };
            for (name, kind) in listed {
                if name == ".git" {
                    continue;
                }
                let name_text = name.to_string_lossy();
                let child_rel = if rel.is_empty() {
                    name_text.into_owned()
                } else {
                    format!("{rel}/{name_text}")
                };
                if self.options.exclude.is_match(&child_rel) {
                    continue;
                }
                let path = dir.join(&name);
                if Rules::ignores(rules.as_ref(), &path, kind.is_dir()) {
                    continue;
                }
                if kind.is_dir() {
                    self.dirs.insert(child_rel.clone());
                    pending.push((path, child_rel, rules.clone()));
                } else if kind.is_file() {
                    self.files.push(FileEntry { path: child_rel });
                } else if kind.is_symlink() {
                    self.symlink(&path, child_rel);
                }
            }
        }
    }

    fn symlink(&mut self, path: &Path, rel: String) {
        let canonical_root = self.canonical_root.get_or_init(|| {
            self.root
                .canonicalize()
                .unwrap_or_else(|_| self.root.to_path_buf())
        });
        match symlink_target(path, canonical_root) {
            Ok(Target::File) => self.files.push(FileEntry { path: rel }),
            Ok(Target::Dir) => self.notes.push(Note {
                path: rel,
                message: "symlink to a directory: not followed".to_string(),
            }),
            Err(why) => self.notes.push(Note {
                path: rel,
                message: why,
            }),
        }
    }

    /// The rules of an ignore file whose patterns are relative to `dir`; what cannot be read is
    /// a note, and the readable rules still apply.
    fn ignore_file(&mut self, dir: &Path, file: &Path) -> Option<Gitignore> {
        let mut builder = GitignoreBuilder::new(dir);
        if let Some(err) = builder.add(file) {
            self.notes.push(Note {
                path: relative(file, self.root).unwrap_or_default(),
                message: format!("not read: {err}"),
            });
        }
        match builder.build() {
            Ok(matcher) if !matcher.is_empty() => Some(matcher),
            Ok(_) => None,
            Err(err) => {
                self.notes.push(Note {
                    path: relative(file, self.root).unwrap_or_default(),
                    message: format!("not read: {err}"),
                });
                None
            }
        }
    }
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
