//! Who a repository says is responsible: the people named in maintainers files, in GitHub's
//! CODEOWNERS syntax, in Prow-style OWNERS YAML, in plain-text MAINTAINERS files and in Markdown
//! lists and tables. Shared by `governance/maintainers` (how many people) and `hygiene/doc-owner`
//! (who owns a path).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde_json::Value;

use crate::doc::{DocKind, Document};

/// How a file names people, decided by its name: GitHub reads CODEOWNERS only without an
/// extension, so `CODEOWNERS.md` is a Markdown list like any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerFormat {
    Codeowners,
    Yaml,
    /// One GitHub handle a line, `#` comments between (Kubernetes' SECURITY_CONTACTS).
    Handles,
    PlainText,
    Markup,
}

impl OwnerFormat {
    pub fn of(path: &str) -> OwnerFormat {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        if lower == "codeowners" {
            OwnerFormat::Codeowners
        } else if lower == "owners"
            || lower == "owners_aliases"
            || lower.ends_with(".yml")
            || lower.ends_with(".yaml")
        {
            OwnerFormat::Yaml
        } else if lower == "security_contacts" {
            OwnerFormat::Handles
        } else if DocKind::from_path(path).is_markup() {
            OwnerFormat::Markup
        } else {
            OwnerFormat::PlainText
        }
    }
}

/// The people a file names.
#[derive(Debug, Default)]
pub struct People {
    /// GitHub handles (without `@`, lower-cased) and e-mail addresses, with the line naming them first.
    pub identities: Vec<(String, u32)>,
    /// Team handles (`@org/team`): each stands for several people.
    pub teams: Vec<(String, u32)>,
    /// Entries (table rows, list items, lines) that name someone without a handle or address.
    pub unreachable: usize,
}

impl People {
    pub fn distinct(&self) -> BTreeSet<&str> {
        self.identities.iter().map(|(id, _)| id.as_str()).collect()
    }
}

/// Lists and sections of people who are no longer (or never were) maintainers.
static FORMER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)emeritus|alumni|former|inactive|retired|past|previous|triage|shout-?outs?|thanks|acknowledg|contributors|sponsors|adopters")
        .expect("valid regex")
});
static HANDLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\w.@/`])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(/[A-Za-z0-9_.-]+)?")
        .expect("valid regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+(?:@|\s?\[at\]\s?|\s?\(at\)\s?)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
        .expect("valid regex")
});
static AT_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s?[\[(]at[\])]\s?").expect("valid regex"));
static PROFILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/?(?:[)\s>\]]|$)")
        .expect("valid regex")
});
/// GitHub paths that look like profiles but are not people.
const NOT_PEOPLE: [&str; 8] = [
    "orgs",
    "about",
    "features",
    "sponsors",
    "settings",
    "topics",
    "marketplace",
    "apps",
];

/// The people `doc` names, read according to its format.
pub fn people(doc: &Document) -> People {
    let mut out = People::default();
    match OwnerFormat::of(&doc.path) {
        OwnerFormat::Handles => {
            for (i, line) in doc.lines().enumerate() {
                let line = line.split('#').next().unwrap_or("").trim();
                let handle = line.trim_start_matches('@');
                if !handle.is_empty()
                    && handle.len() <= 39
                    && handle
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    push(&mut out.identities, handle.to_lowercase(), i as u32 + 1);
                } else if !line.is_empty() {
                    add_text(&mut out, line, i as u32 + 1);
                }
            }
        }
        OwnerFormat::Codeowners => {
            for (i, line) in doc.lines().enumerate() {
                let line = line.split('#').next().unwrap_or("");
                let mut parts = line.split_whitespace();
                if parts.next().is_none() {
                    continue;
                }
                for owner in parts {
                    add_text(&mut out, owner, i as u32 + 1);
                }
            }
        }
        OwnerFormat::Yaml => {
            if let Ok(value) = serde_norway::from_str::<Value>(&doc.text) {
                collect_yaml(&mut out, doc, &value);
            }
        }
        OwnerFormat::PlainText => {
            for (i, line) in doc.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if !add_text(&mut out, line, i as u32 + 1) && line.chars().any(char::is_alphabetic)
                {
                    out.unreachable += 1;
                }
            }
        }
        OwnerFormat::Markup => markup_people(&mut out, doc, doc.full(), false),
    }
    out
}

/// The people a section of a Markdown document names (README § Maintainers): its lists and
/// tables, and any sentence of it with a handle or an address ("Maintained by Ada, ada@example.org").
pub fn people_in_section(doc: &Document, range: std::ops::Range<usize>) -> People {
    let mut out = People::default();
    markup_people(&mut out, doc, range, true);
    out
}

fn markup_people(out: &mut People, doc: &Document, range: std::ops::Range<usize>, sentences: bool) {
    let former: Vec<std::ops::Range<usize>> = doc
        .headings
        .iter()
        .filter(|h| FORMER.is_match(&h.text))
        .map(|h| h.span.start..h.section.end)
        .collect();
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for (offset, piece) in doc.prose(range) {
        let mut at = offset;
        for line in piece.split_inclusive('\n') {
            lines.push((at, line));
            at += line.len();
        }
    }
    for (i, &(start, line)) in lines.iter().enumerate() {
        let header = lines
            .get(i + 1)
            .is_some_and(|(_, next)| is_table_separator(next));
        if header || former.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let Some(entry) = entry_text(line) else {
            if sentences {
                add_text(out, line, doc.line_of(start));
            }
            continue;
        };
        if !add_text(out, entry, doc.line_of(start)) && entry.chars().any(char::is_alphabetic) {
            out.unreachable += 1;
        }
    }
}

fn is_table_separator(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with('|')
        && trimmed.contains('-')
        && trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The text of a list item or table row (`None` for other lines and table separators).
fn entry_text(line: &str) -> Option<&str> {
    let trimmed = line.trim();
    if let Some(row) = trimmed.strip_prefix('|') {
        let cells: String = row
            .chars()
            .filter(|c| !matches!(c, '|' | '-' | ':' | ' '))
            .collect();
        return (!cells.is_empty()).then_some(row);
    }
    for bullet in ["- ", "* ", "+ "] {
        if let Some(item) = trimmed.strip_prefix(bullet) {
            return Some(item);
        }
    }
    // A line of links to profiles is a list too (`[@ada](https://github.com/ada)`).
    (trimmed.starts_with("[@") || trimmed.starts_with('@')).then_some(trimmed)
}

/// Adds the handles and addresses in `text`; whether it held any.
fn add_text(out: &mut People, text: &str, line: u32) -> bool {
    let mut found = false;
    for m in EMAIL.find_iter(text) {
        let email = AT_WORD.replace(m.as_str(), "@").to_lowercase();
        push(&mut out.identities, email, line);
        found = true;
    }
    for c in HANDLE.captures_iter(text) {
        let handle = c[1].to_lowercase();
        match c.get(2) {
            Some(team) => push(
                &mut out.teams,
                format!("{handle}{}", team.as_str().to_lowercase()),
                line,
            ),
            None => push(&mut out.identities, handle, line),
        }
        found = true;
    }
    for c in PROFILE.captures_iter(text) {
        let user = c[1].to_lowercase();
        if !NOT_PEOPLE.contains(&user.as_str()) {
            push(&mut out.identities, user, line);
            found = true;
        }
    }
    found
}

fn push(list: &mut Vec<(String, u32)>, id: String, line: u32) {
    if !list.iter().any(|(existing, _)| *existing == id) {
        list.push((id, line));
    }
}

fn collect_yaml(out: &mut People, doc: &Document, value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if FORMER.is_match(key) {
                    continue;
                }
                if matches!(
                    key.to_ascii_lowercase().as_str(),
                    "github" | "handle" | "login" | "username" | "email"
                ) {
                    if let Some(s) = v.as_str() {
                        push(
                            &mut out.identities,
                            s.trim_start_matches('@').to_lowercase(),
                            yaml_line(doc, s),
                        );
                        continue;
                    }
                }
                collect_yaml(out, doc, v);
            }
        }
        Value::Array(items) => {
            for item in items {
                match item.as_str() {
                    Some(s) if s.contains('/') && s.starts_with('@') => {
                        push(&mut out.teams, s.to_lowercase(), yaml_line(doc, s))
                    }
                    Some(s) => push(
                        &mut out.identities,
                        s.trim_start_matches('@').to_lowercase(),
                        yaml_line(doc, s),
                    ),
                    None => collect_yaml(out, doc, item),
                }
            }
        }
        _ => {}
    }
}

/// The first line mentioning `needle`, for pointing a finding at a YAML entry.
fn yaml_line(doc: &Document, needle: &str) -> u32 {
    doc.text.find(needle).map_or(1, |i| doc.line_of(i))
}

/// The CODEOWNERS rules of a repository: which paths have owners.
#[derive(Debug, Default)]
pub struct CodeOwners {
    /// One glob set per rule, in file order, and whether the rule names anyone.
    rules: Vec<(GlobSet, bool)>,
}

impl CodeOwners {
    pub fn parse(doc: &Document) -> CodeOwners {
        let mut rules = Vec::new();
        for line in doc.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let mut parts = line.split_whitespace();
            let Some(pattern) = parts.next() else {
                continue;
            };
            let has_owner = parts.next().is_some();
            if let Some(set) = codeowners_glob(pattern) {
                rules.push((set, has_owner));
            }
        }
        CodeOwners { rules }
    }

    /// Whether the last rule matching `path` names an owner (GitHub applies the last match).
    pub fn covers(&self, path: &str) -> bool {
        self.rules
            .iter()
            .rev()
            .find(|(set, _)| set.is_match(path))
            .is_some_and(|(_, owned)| *owned)
    }
}

/// A CODEOWNERS pattern (gitignore rules) as globs over repository-relative paths.
fn codeowners_glob(pattern: &str) -> Option<GlobSet> {
    let anchored = pattern.starts_with('/') || pattern.trim_end_matches('/').contains('/');
    let body = pattern.trim_start_matches('/');
    let dir_only = body.ends_with('/');
    let body = body.trim_end_matches('/');
    let base = if anchored || body.starts_with("**") {
        body.to_string()
    } else {
        format!("**/{body}")
    };
    let globs = if body.is_empty() || body == "*" && !anchored {
        vec!["**".to_string()]
    } else if dir_only {
        vec![format!("{base}/**")]
    } else {
        vec![base.clone(), format!("{base}/**")]
    };
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(&glob).ok()?);
    }
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, text: &str) -> Document {
        Document::parse(path, text.to_string())
    }

    #[test]
    fn codeowners_syntax() {
        let d = doc(
            ".github/CODEOWNERS",
            "# comment @nobody\n*       @acme/maintainers\n/docs/  @ada grace@example.org\n",
        );
        let p = people(&d);
        assert_eq!(p.teams.len(), 1);
        assert_eq!(
            p.distinct().into_iter().collect::<Vec<_>>(),
            vec!["ada", "grace@example.org"]
        );
        let owners = CodeOwners::parse(&d);
        assert!(owners.covers("GOVERNANCE.md") && owners.covers("docs/policy/a.md"));
    }

    #[test]
    fn codeowners_last_match_wins() {
        let owners = CodeOwners::parse(&doc("CODEOWNERS", "*.md @docs\n/policies/\n"));
        assert!(owners.covers("README.md"));
        assert!(!owners.covers("policies/usage.md"));
        assert!(owners.covers("sub/dir/guide.md"));
    }

    #[test]
    fn owners_yaml_skips_emeritus_and_triage() {
        let p = people(&doc(
            "OWNERS",
            "maintainers:\n  - ada\n  - grace\ntriage:\n  - tom\nemeritus:\n  - old\n",
        ));
        assert_eq!(p.distinct().len(), 2);
    }

    #[test]
    fn plain_text_and_markdown() {
        let p = people(&doc(
            "MAINTAINERS",
            "Lauri Apple <lauri.apple@example.org>\n",
        ));
        assert_eq!(p.identities.len(), 1);
        let md = "# Maintainers\n\n| Name | GitHub |\n|---|---|\n| Ada | @ada |\n| Grace | [grace](https://github.com/grace) |\n\n## Emeritus\n\n- @old\n";
        let p = people(&doc("MAINTAINERS.md", md));
        assert_eq!(
            p.distinct().into_iter().collect::<Vec<_>>(),
            vec!["ada", "grace"]
        );
        let empty = people(&doc(
            "MAINTAINERS.md",
            "| Name | Employer |\n| ---- | -------- |\n|      |          |\n",
        ));
        assert!(empty.identities.is_empty());
        assert_eq!(
            empty.unreachable, 0,
            "a header row and a blank row name nobody"
        );
    }
}
