//! The organization's `.github` repository: GitHub shows its community health files (code of
//! conduct, contributing guide, security policy, support, governance, funding, issue and pull
//! request templates) in every repository of the organization that lacks its own. A licence and
//! CODEOWNERS are never inherited. The roles GitHub inherits say so in `rules/artifacts.toml`
//! (`inherited = true`).

use std::collections::BTreeMap;
use std::path::Path;

use super::{ArtifactCatalog, Artifacts};
use crate::scan::{Repository, ScanOptions};

/// Folders of the `.github` repository GitHub reads default files from.
const DEFAULT_FOLDERS: [&str; 3] = ["", ".github", "docs"];

/// The default community health files of an organization, read once per run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgDefaults {
    /// The `.github` repository as messages name it (`../.github`, `org/.github`).
    pub display: String,
    /// Inherited role → the file playing it, relative to that repository.
    pub files: BTreeMap<String, String>,
}

impl OrgDefaults {
    /// Resolves the inherited roles in the `.github` repository at `dir`.
    pub fn load(
        dir: &Path,
        display: String,
        catalog: &ArtifactCatalog,
        scan: &ScanOptions,
    ) -> OrgDefaults {
        let repo = Repository::open(dir, scan);
        let pins = BTreeMap::new();
        let artifacts = Artifacts::new(&repo, catalog, &pins);
        let mut files = BTreeMap::new();
        for role in catalog.roles().filter(|r| r.def.inherited) {
            let resolved = artifacts.resolve(&role.def.role);
            let found = resolved
                .files
                .iter()
                .map(|id| repo.index().path(*id))
                .find(|path| {
                    let folder = path.rsplit_once('/').map_or("", |(dir, _)| dir);
                    DEFAULT_FOLDERS.iter().any(|d| {
                        folder == *d || (!d.is_empty() && folder.starts_with(&format!("{d}/")))
                    })
                });
            if let Some(path) = found {
                files.insert(role.def.role.clone(), path.to_string());
            }
        }
        OrgDefaults { display, files }
    }

    /// The inherited file for `role`, as messages name it (`../.github/SECURITY.md`).
    pub fn file(&self, role: &str) -> Option<String> {
        self.files
            .get(role)
            .map(|path| format!("{}/{path}", self.display.trim_end_matches('/')))
    }
}
