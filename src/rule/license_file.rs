//! Check kind `license-file`: the repository has a license file at its root, and what the README
//! claims about the license (a license badge) agrees with it.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{Check, Emitter, RepoContext};
use crate::artifact::Resolved;
use crate::finding::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenseFile {
    pub artifact: String,
}

/// SPDX ids and phrases that identify them, in license texts and in badge labels.
const LICENSES: [(&str, &str); 16] = [
    (
        "MIT",
        r"permission is hereby granted, free of charge|\bMIT\b",
    ),
    (
        "Apache-2.0",
        r"apache license,?\s+version 2\.0|\bapache[-_ ]?(license[-_ ]?)?2(\.0)?\b",
    ),
    (
        "GPL-3.0",
        r"gnu general public license\s+version 3|\bGPL[-_ ]?v?3",
    ),
    (
        "GPL-2.0",
        r"gnu general public license\s+version 2|\bGPL[-_ ]?v?2",
    ),
    (
        "LGPL-3.0",
        r"gnu lesser general public license\s+version 3|\bLGPL[-_ ]?v?3",
    ),
    ("AGPL-3.0", r"gnu affero general public license|\bAGPL"),
    (
        "MPL-2.0",
        r"mozilla public license,?\s+v(ersion)?\.?\s*2\.0|\bMPL[-_ ]?2",
    ),
    ("BSD-3-Clause", r"neither the name of|\bBSD[-_ ]?3"),
    ("BSD-2-Clause", r"\bBSD[-_ ]?2"),
    (
        "ISC",
        r"permission to use, copy, modify, and/or distribute this software|\bISC\b",
    ),
    (
        "Unlicense",
        r"this is free and unencumbered software|\bunlicense\b",
    ),
    (
        "CC0-1.0",
        r"\bCC0\b|creative commons zero|publicdomain/zero",
    ),
    (
        "CC-BY-SA-4.0",
        r"attribution-sharealike 4\.0|\bCC[-_ ]BY[-_ ]SA[-_ ]4",
    ),
    (
        "CC-BY-SA-3.0",
        r"attribution-sharealike 3\.0|\bCC[-_ ]BY[-_ ]SA[-_ ]3",
    ),
    (
        "CC-BY-4.0",
        r"attribution 4\.0 international|licenses/by/4\.0|\bCC[-_ ]BY[-_ ]4",
    ),
    (
        "CC-BY-3.0",
        r"attribution 3\.0|licenses/by/3\.0|\bCC[-_ ]BY[-_ ]3",
    ),
];

static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    LICENSES
        .iter()
        .map(|(id, p)| (*id, Regex::new(&format!("(?i){p}")).expect("valid regex")))
        .collect()
});
/// A shields.io license badge: `img.shields.io/badge/License-CC_BY_4.0-…`.
static BADGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)img\.shields\.io/badge/licen[cs]e-((?:[^-/)\s]|--)+)-").expect("valid regex")
});

/// The licenses a text names, in the order of [`LICENSES`].
fn licenses_in(text: &str) -> Vec<&'static str> {
    PATTERNS
        .iter()
        .filter(|(_, re)| re.is_match(text))
        .map(|(id, _)| *id)
        .collect()
}

impl Check for LicenseFile {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        let resolved = cx.artifacts.resolve(&self.artifact);
        let Some(&license_id) = resolved.files.first() else {
            self.stand_in(cx, out, &resolved);
            return;
        };
        // The license texts are read only when the README makes a claim to compare them with.
        let Some(readme) = cx.artifacts.readme().and_then(|id| cx.repo.document(id)) else {
            return;
        };
        let badges: Vec<(&crate::doc::Link, regex::Captures)> = readme
            .links
            .iter()
            .filter_map(|l| BADGE.captures(&l.target).map(|c| (l, c)))
            .collect();
        if badges.is_empty() {
            return;
        }
        let docs = cx.artifacts.documents(&self.artifact);
        let in_files: Vec<&str> = docs.iter().flat_map(|d| licenses_in(&d.text)).collect();
        if in_files.is_empty() {
            return;
        }
        let license_path = cx.repo.index().path(license_id);
        for (link, c) in badges {
            let label = c[1]
                .replace("--", "-")
                .replace(['_', '+'], " ")
                .replace("%20", " ");
            let claimed = licenses_in(&label);
            let Some(claim) = claimed.first() else {
                continue;
            };
            if !in_files.contains(claim) {
                out.at(&readme, link.span.clone(), format!(
                    "the README's license badge says {claim}, but {license_path} is {}",
                    in_files.join(" and ")
                ))
                .at_most(Severity::Warning)
                .help("Make the badge and the license file agree: fix the badge, or add the license it names to the license file.");
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.artifact]
    }
}

impl LicenseFile {
    /// No licence file: a licence declared in a package manifest or stated in a README section
    /// still licenses the code, but GitHub, package registries' scanners and licence tools look
    /// for the file, so it is a warning that says where the licence was found.
    fn stand_in(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>, resolved: &Resolved) {
        const HELP: &str = "Add a LICENSE file with the full licence text so GitHub and licence scanners detect it; keep the manifest's `license` field as it is.";
        let index = cx.repo.index();
        let mut found: Vec<String> = resolved
            .declared
            .iter()
            .map(|d| format!("{} `license: {}`", index.path(d.file), d.value))
            .collect();
        let section = resolved.readme_section.and_then(|(id, h)| {
            let doc = cx.repo.document(id)?;
            let heading = doc.headings.get(h)?;
            // A "License" heading over nothing, or over "TBD", says no licence.
            doc.has_words(heading.section.clone(), cx.placeholders)
                .then(|| (doc.clone(), h))
        });
        if let Some((doc, h)) = &section {
            found.insert(0, format!("{} § {}", doc.path, doc.headings[*h].text));
        }
        if found.is_empty() {
            out.missing("no license file at the repository root (looked for LICENSE, LICENCE, COPYING and LICENSES/)");
            return;
        }
        let message = format!(
            "no LICENSE file; licence found only in {}: add a LICENSE file so GitHub and scanners detect it",
            found.join(" and ")
        );
        let finding = match &section {
            Some((doc, h)) => out.at(doc, doc.headings[*h].span.clone(), message),
            None => match resolved.declared.first() {
                Some(d) => out.file(index.path(d.file), message),
                None => out.missing(message),
            },
        };
        finding.at_most(Severity::Warning).help(HELP);
    }
}

#[cfg(test)]
mod tests {
    use super::licenses_in;

    #[test]
    fn names_and_texts() {
        assert_eq!(
            licenses_in("Permission is hereby granted, free of charge, to any person"),
            vec!["MIT"]
        );
        assert_eq!(licenses_in("CC BY 4.0"), vec!["CC-BY-4.0"]);
        assert_eq!(
            licenses_in("code: MIT; content: Attribution-ShareAlike 3.0 Unported"),
            vec!["MIT", "CC-BY-SA-3.0"]
        );
        assert_eq!(
            licenses_in("Apache License\n  Version 2.0, January 2004"),
            vec!["Apache-2.0"]
        );
        assert_eq!(licenses_in("CC BY-SA 4.0"), vec!["CC-BY-SA-4.0"]);
    }
}
