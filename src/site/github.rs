//! The repository as GitHub serves it: its web address, from the clone's `origin` remote, so that
//! absolute links to its own files can be checked like relative ones.

use std::path::Path;

/// The largest git file read for the remote and branches: a clone's config is a few hundred bytes.
const MAX_GIT_FILE: u64 = 1024 * 1024;

/// A repository on GitHub and the branches whose files the checkout holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitHubRepo {
    pub owner: String,
    pub name: String,
    /// The checked-out branch and the remote's default branch: links to files on these are
    /// links to the files on disk.
    pub branches: Vec<String>,
}

impl GitHubRepo {
    /// Reads `.git/config` (or the git directory a `.git` file points to) of a clone whose
    /// `origin` is on github.com. `None` for anything else.
    pub fn from_checkout(root: &Path) -> Option<GitHubRepo> {
        let (git_dir, common) = crate::scan::git_dirs(&crate::scan::RepoRoot::new(root))?;
        let read = |path: std::path::PathBuf| {
            crate::scan::read::read_regular(&path, MAX_GIT_FILE)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        };
        let config = read(common.join("config")).ok()?;
        let (owner, name) = origin_on_github(&config)?;
        let mut branches = Vec::new();
        let head = read(git_dir.join("HEAD")).unwrap_or_default();
        if let Some(branch) = head.trim().strip_prefix("ref: refs/heads/") {
            branches.push(branch.to_string());
        }
        let remote_head = read(common.join("refs/remotes/origin/HEAD")).unwrap_or_default();
        if let Some(branch) = remote_head.trim().strip_prefix("ref: refs/remotes/origin/") {
            if !branches.iter().any(|b| b == branch) {
                branches.push(branch.to_string());
            }
        }
        Some(GitHubRepo {
            owner,
            name,
            branches,
        })
    }

    /// The repository path a link names when it points at this repository's files on one of
    /// its checked-out branches: `https://github.com/OWNER/NAME/blob/BRANCH/PATH` (or `tree`,
    /// `raw`, `HEAD` as the branch). `None` for any other URL.
    pub fn path_of(&self, url: &str) -> Option<String> {
        let rest = url
            .strip_prefix("https://github.com/")
            .or_else(|| url.strip_prefix("http://github.com/"))
            .or_else(|| url.strip_prefix("https://www.github.com/"))?;
        let rest = rest.split(['#', '?']).next().unwrap_or("");
        let mut parts = rest.splitn(4, '/');
        let (owner, name, view) = (parts.next()?, parts.next()?, parts.next()?);
        if !owner.eq_ignore_ascii_case(&self.owner)
            || !name
                .trim_end_matches(".git")
                .eq_ignore_ascii_case(&self.name)
            || !matches!(view, "blob" | "tree" | "raw")
        {
            return None;
        }
        let after = parts.next()?;
        // A branch name may hold slashes: the known branches are tried whole.
        let branch = std::iter::once("HEAD")
            .chain(self.branches.iter().map(String::as_str))
            .find(|b| after == *b || after.starts_with(&format!("{b}/")))?;
        let path = after[branch.len()..].trim_matches('/');
        Some(crate::doc::percent_decode(path))
    }
}

/// `OWNER/NAME` of the `origin` remote, when it is on github.com (HTTPS or SSH).
fn origin_on_github(config: &str) -> Option<(String, String)> {
    let mut in_origin = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_origin = line.replace(' ', "") == "[remote\"origin\"]";
            continue;
        }
        if !in_origin {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() != "url" {
            continue;
        }
        let value = value.trim();
        let path = value
            .strip_prefix("https://github.com/")
            .or_else(|| value.strip_prefix("http://github.com/"))
            .or_else(|| value.strip_prefix("git@github.com:"))
            .or_else(|| value.strip_prefix("ssh://git@github.com/"))?;
        let path = path.trim_end_matches('/').trim_end_matches(".git");
        let (owner, name) = path.split_once('/')?;
        return Some((owner.to_string(), name.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_and_paths() {
        let config = "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/handbook.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n";
        let (owner, name) = origin_on_github(config).unwrap();
        let repo = GitHubRepo {
            owner,
            name,
            branches: vec!["main".to_string(), "release/2.x".to_string()],
        };
        assert_eq!(
            repo.path_of("https://github.com/Acme/handbook/blob/main/docs/a%20b.md#x"),
            Some("docs/a b.md".to_string())
        );
        assert_eq!(
            repo.path_of("https://github.com/acme/handbook/tree/release/2.x/docs"),
            Some("docs".to_string())
        );
        assert_eq!(
            repo.path_of("https://github.com/acme/handbook/blob/v1.0/x.md"),
            None
        );
        assert_eq!(
            repo.path_of("https://github.com/acme/other/blob/main/x.md"),
            None
        );
        assert_eq!(
            repo.path_of("https://github.com/acme/handbook/issues/1"),
            None
        );
    }
}
