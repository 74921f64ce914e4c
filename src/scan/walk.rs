//! The single walk over a repository: hidden files in, `.git/` out, `.gitignore` honoured,
//! symlinks never followed out of the root.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use super::index::{FileEntry, FileIndex};
use super::read::{read_regular, RepoRoot};
use super::ScanOptions;
use crate::finding::Note;

/// The largest ignore file read: a `.gitignore` is a list of patterns, not a document.
const MAX_IGNORE_FILE: u64 = 1024 * 1024;
/// The largest git pointer file read (`.git` as a file, `commondir`): one path.
const MAX_GIT_POINTER: u64 = 4096;

pub(super) fn walk(files: &RepoRoot, options: &ScanOptions) -> (FileIndex, Vec<Note>) {
    let root = files.path();
    let mut walk = Walk {
        root,
        files_root: files,
        options,
        files: Vec::new(),
        dirs: BTreeSet::new(),
        notes: Vec::new(),
    };
    // The repository's own `.git/info/exclude`, whose patterns are relative to the root, ranks
    // below every `.gitignore`.
    let exclude = git_exclude_file(files).and_then(|text| walk.ignore_rules(root, None, &text));
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
    files_root: &'a RepoRoot,
    options: &'a ScanOptions,
    files: Vec<FileEntry>,
    dirs: BTreeSet<String>,
    notes: Vec<Note>,
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
            let gitignore = listed
                .iter()
                .find(|(name, kind)| name == ".gitignore" && !kind.is_dir());
            let rules = match gitignore.and_then(|(_, kind)| self.gitignore(&dir, &rel, kind)) {
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
                } else {
                    self.notes.push(Note {
                        path: child_rel,
                        message: format!(
                            "not read: it is {}, not a regular file",
                            super::read::file_type_name(&kind)
                        ),
                    });
                }
            }
        }
    }

    fn symlink(&mut self, path: &Path, rel: String) {
        let canonical_root = self.files_root.canonical().unwrap_or(self.root);
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

    /// The rules of the `.gitignore` in `dir` (`rel` in the repository). A symlinked one is not
    /// read, as git does not read one either; what cannot be read is a note.
    fn gitignore(&mut self, dir: &Path, rel: &str, kind: &std::fs::FileType) -> Option<Gitignore> {
        let path = if rel.is_empty() {
            ".gitignore".to_string()
        } else {
            format!("{rel}/.gitignore")
        };
        if !kind.is_file() {
            let what = super::read::file_type_name(kind);
            self.notes.push(Note {
                path,
                message: format!("not read: it is {what}, and git reads only a regular .gitignore"),
            });
            return None;
        }
        match self.files_root.read_walked(&path, MAX_IGNORE_FILE) {
            Ok(bytes) => self.ignore_rules(dir, Some(path), &String::from_utf8_lossy(&bytes)),
            Err(err) => {
                self.notes.push(Note {
                    path,
                    message: err.describe(),
                });
                None
            }
        }
    }

    /// Ignore rules from the text of an ignore file whose patterns are relative to `dir`; a line
    /// that is not a valid pattern is a note, and the other lines still apply.
    fn ignore_rules(&mut self, dir: &Path, path: Option<String>, text: &str) -> Option<Gitignore> {
        let mut builder = GitignoreBuilder::new(dir);
        for line in text.lines() {
            if let Err(err) = builder.add_line(None, line) {
                self.notes.push(Note {
                    path: path.clone().unwrap_or_default(),
                    message: format!("pattern not used: {err}"),
                });
            }
        }
        match builder.build() {
            Ok(matcher) if !matcher.is_empty() => Some(matcher),
            Ok(_) => None,
            Err(err) => {
                self.notes.push(Note {
                    path: path.unwrap_or_default(),
                    message: format!("not read: {err}"),
                });
                None
            }
        }
    }
}

/// The text of the repository's `.git/info/exclude`, also when `.git` is a file pointing at the
/// git folder (a worktree or a submodule), whose exclusions live in the common git folder.
pub(super) fn git_exclude_file(files: &RepoRoot) -> Option<String> {
    let common = git_common_dir(files)?;
    let bytes = read_regular(&common.join("info").join("exclude"), MAX_IGNORE_FILE).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The repository's git folder and its common folder (the same but in a worktree). A worktree's
/// or a submodule's git folder lies outside the repository by design: files there are read as
/// regular files with a size cap, and `.git` itself must be a folder or a regular file.
pub fn git_dirs(files: &RepoRoot) -> Option<(PathBuf, PathBuf)> {
    let root = files.path();
    let dot_git = root.join(".git");
    let meta = std::fs::symlink_metadata(&dot_git).ok()?;
    let git_dir = if meta.is_dir() {
        dot_git
    } else {
        let link = files.read_named(".git", MAX_GIT_POINTER).ok()?;
        let link = String::from_utf8(link).ok()?;
        root.join(link.strip_prefix("gitdir:")?.trim())
    };
    let common = match read_regular(&git_dir.join("commondir"), MAX_GIT_POINTER) {
        Ok(common) => git_dir.join(String::from_utf8_lossy(&common).trim()),
        Err(_) => git_dir.clone(),
    };
    Some((git_dir, common))
}

fn git_common_dir(files: &RepoRoot) -> Option<PathBuf> {
    git_dirs(files).map(|(_, common)| common)
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
    } else if meta.is_file() {
        Ok(Target::File)
    } else {
        Err(format!(
            "symlink not followed: it points at {}, not a regular file",
            super::read::file_type_name(&meta.file_type())
        ))
    }
}
