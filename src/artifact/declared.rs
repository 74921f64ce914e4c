//! Machine-readable files that declare what a role's document would say: the licence a package
//! manifest names (`"license": "MIT"` in package.json, `license = "Apache-2.0"` in Cargo.toml).
//! They stand in for the document with less weight: GitHub and licence scanners look for the file.

use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;

use crate::pattern::Pattern;
use crate::scan::{FileId, Repository};

/// Where a role's substance may be declared, as written in `rules/artifacts.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// File names at the repository root, as case-insensitive globs (`package.json`, `*.gemspec`).
    pub files: Vec<String>,
    /// Where the declaration stands; the group named `value` is what it declares.
    pub pattern: Pattern,
}

/// A declaration found in a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub file: FileId,
    /// 1-based.
    pub line: u32,
    /// The declared value as written (`MIT`, `Apache-2.0 OR MIT`).
    pub value: String,
}

/// A declaration with its globs compiled.
#[derive(Debug)]
pub(crate) struct CompiledDeclaration {
    globs: Vec<GlobMatcher>,
    pattern: Pattern,
}

impl CompiledDeclaration {
    pub(crate) fn new(declaration: &Declaration) -> Result<CompiledDeclaration, String> {
        let globs = declaration
            .files
            .iter()
            .map(|g| {
                GlobBuilder::new(&g.to_lowercase())
                    .literal_separator(true)
                    .build()
                    .map(|g| g.compile_matcher())
                    .map_err(|e| format!("bad glob `{g}`: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !declaration.pattern.has_group("value") {
            return Err(format!(
                "the pattern `{}` needs a group named `value`",
                declaration.pattern.as_str()
            ));
        }
        Ok(CompiledDeclaration {
            globs,
            pattern: declaration.pattern.clone(),
        })
    }

    /// The declarations in the repository's root files, in path order.
    pub(crate) fn find(&self, repo: &Repository, out: &mut Vec<Declared>) {
        let index = repo.index();
        for id in index.files_in("") {
            let lower = index.lower_path(id);
            if !self.globs.iter().any(|g| g.is_match(lower)) {
                continue;
            }
            let Ok(bytes) = repo.read_bytes(id) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let found = self
                .pattern
                .find_group_iter(&text, "value")
                .next()
                .map(|f| (f.start(), f.as_str().to_string()));
            if let Some((start, value)) = found {
                let value = value.trim().trim_matches(['"', '\'']).trim();
                if value.is_empty() {
                    continue;
                }
                out.push(Declared {
                    file: id,
                    line: text[..start].matches('\n').count() as u32 + 1,
                    value: value.to_string(),
                });
            }
        }
    }
}
