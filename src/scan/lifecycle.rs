//! Each file's lifecycle, decided from its place in the repository (see `doc::lifecycle`).
//!
//! The evidence, in the order it is weighed:
//! 1. the configuration's `[documents]` globs;
//! 2. vendored trees: `node_modules/`, `vendor/`, `third_party/`, `themes/`…, the paths of
//!    `.gitmodules`, and folders that carry their own licence and README, with a licence other
//!    than the repository's (another project's files);
//! 3. translations: `README.ko.md` beside `README.md`, a language folder (`fr/`, `content/ja/`)
//!    beside the original's (`en/`) or inside the folder holding the originals, `i18n/` and
//!    `translations/` trees;
//! 4. changelogs: `CHANGELOG*`, `RELEASE-NOTES*`, `HISTORY`/`NEWS`/`CHANGES` files, `changelogs/`;
//! 5. meeting minutes: `minutes/`, `meeting-notes/`, `notes/`, `meetings/`, `agendas/` folders and
//!    files named as minutes, except those dated after today (a meeting still to come);
//! 6. archives: `archive/`, `old/`, `past/`, `previous-years/`… folders; past terms (a year folder
//!    with a newer sibling: `2019/` beside `2026/`); older entries of a dated series
//!    (`nominations-2024.md` beside `nominations-2026.md`, `2025-03-01-minutes.md` beside newer
//!    dates). A term or entry of the current year, or a later one, stays live.
//!
//! Names are compared ignoring ASCII case. Siblings are looked up in the files on disk and in the
//! repository's full file list (`tree_file`), so a partial checkout is judged as the whole.

use std::collections::HashMap;
use std::sync::LazyLock;

use globset::GlobSet;
use jiff::civil::Date;

use super::index::{FileId, FileIndex};
use super::tree_list::TreeList;
use crate::doc::{DocLifecycle, Lifecycle};

/// Paths the configuration puts in a lifecycle (`[documents]` in ospolint.toml).
#[derive(Debug, Clone, Default)]
pub struct DocumentRules {
    /// In order of precedence: `live` first, so a user can take a document out of any class.
    pub globs: Vec<(Lifecycle, GlobSet)>,
}

const VENDORED_FOLDERS: [&str; 8] = [
    "node_modules",
    "bower_components",
    "vendor",
    "vendored",
    "_vendor",
    "third_party",
    "third-party",
    "thirdparty",
];

/// What sits beside a site generator's `themes/` folder (Hugo, Jekyll): there it holds the site's
/// theme, someone else's project.
const SITE_MARKERS: [&str; 8] = [
    "content",
    "layouts",
    "_layouts",
    "config",
    "_config.yml",
    "config.toml",
    "hugo.toml",
    "hugo.yaml",
];

/// Output folders of site generators, committed by some repositories.
const GENERATED_FOLDERS: [&str; 3] = ["_site", "_build", ".docusaurus"];

const ARCHIVE_FOLDERS: [&str; 14] = [
    "archive",
    "archives",
    "archived",
    "attic",
    "deprecated",
    "historical",
    "obsolete",
    "old",
    "past",
    "past-years",
    "past_years",
    "previous",
    "previous-years",
    "previous_years",
];

const MINUTES_FOLDERS: [&str; 9] = [
    "minutes",
    "meeting-minutes",
    "meeting_minutes",
    "meeting-notes",
    "meeting_notes",
    "meetings",
    "notes",
    "agendas",
    "agenda",
];

const CHANGELOG_FOLDERS: [&str; 5] = [
    "changelog",
    "changelogs",
    "release-notes",
    "release_notes",
    "releasenotes",
];

const TRANSLATION_FOLDERS: [&str; 5] = ["i18n", "l10n", "translations", "translation", "locales"];

/// Folders of dated publications (blog posts, news, announcements): a post dated in its name is
/// written once, as of its date.
const PUBLICATION_FOLDERS: [&str; 8] = [
    "_posts",
    "posts",
    "blog",
    "news",
    "announcements",
    "press",
    "newsletters",
    "newsletter",
];

/// Words that make a folder an archive within a longer name: `completed-projects`,
/// `currently-inactive`, `old_docs`.
const ARCHIVE_WORDS: [&str; 12] = [
    "archive",
    "archived",
    "archives",
    "attic",
    "completed",
    "deprecated",
    "historical",
    "inactive",
    "obsolete",
    "old",
    "past",
    "retired",
];

fn is_archive_folder(lower_name: &str) -> bool {
    ARCHIVE_FOLDERS.contains(&lower_name)
        || lower_name
            .split(['-', '_', '.', ' '])
            .any(|word| ARCHIVE_WORDS.contains(&word))
}

/// Every word the names above are made of: a path without any of them is in none of those folders
/// and has none of those names.
static MARKER_WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    let words = VENDORED_FOLDERS
        .iter()
        .chain(&GENERATED_FOLDERS)
        .chain(&ARCHIVE_FOLDERS)
        .chain(&MINUTES_FOLDERS)
        .chain(&CHANGELOG_FOLDERS)
        .chain(&TRANSLATION_FOLDERS)
        .chain(&ARCHIVE_WORDS)
        .chain(&PUBLICATION_FOLDERS)
        .chain(&[
            "themes", "minutes", "agenda", "history", "news", "changes", "releases",
        ]);
    aho_corasick::AhoCorasick::new(words).expect("fixed word list")
});

/// ISO 639-1 language codes: folder names and file-name suffixes that mark a language.
const LANGUAGES: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce \
ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he \
hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw \
ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj \
om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta \
te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// The language a name stands for: a code (`fr`), with a region or script (`pt-br`, `zh_Hans`).
fn language(name: &str) -> Option<&str> {
    let code = name.split(['-', '_']).next()?;
    let rest = &name[code.len()..];
    let region_ok = rest.is_empty()
        || (rest.len() >= 3
            && rest.len() <= 5
            && rest[1..].bytes().all(|b| b.is_ascii_alphanumeric()));
    (region_ok && is_language_code(code)).then_some(code)
}

/// Whether a two-letter name is an ISO 639-1 code, ignoring ASCII case: a look-up in a table of
/// every two-letter pair, since every folder of every repository is asked.
fn is_language_code(code: &str) -> bool {
    static CODES: LazyLock<[bool; 26 * 26]> = LazyLock::new(|| {
        let mut table = [false; 26 * 26];
        for code in LANGUAGES.split(' ') {
            if let Some(slot) = pair_slot(code) {
                table[slot] = true;
            }
        }
        table
    });
    pair_slot(code).is_some_and(|slot| CODES[slot])
}

fn pair_slot(code: &str) -> Option<usize> {
    match code.as_bytes() {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => Some(
            usize::from(a.to_ascii_lowercase() - b'a') * 26
                + usize::from(b.to_ascii_lowercase() - b'a'),
        ),
        _ => None,
    }
}

fn is_english(name: &str) -> bool {
    language(name).is_some_and(|code| code.eq_ignore_ascii_case("en"))
}

/// A date in a name, as a number that orders like the date (YYYYMMDD, with zeros for what the
/// name does not say), and the name with the date replaced, which names the series.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Dated {
    value: u32,
    /// Only a year (and maybe a quarter or month): compared with today's year, not its date.
    coarse: bool,
    series: String,
}

/// Finds a date in a file or folder name (any case): `2026-03-05`, `20260305`, `03-05-2026`,
/// `2026-q1`, `2026-03`, `2026`, or, for a folder, a two-digit year after a word (`osre25`).
fn dated(name: &str, is_folder: bool) -> Option<Dated> {
    let bytes = name.as_bytes();
    if !bytes.iter().any(u8::is_ascii_digit) {
        return None;
    }
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let two = |i: usize| digit(i) && digit(i + 1);
    let sep = |i: usize| matches!(bytes.get(i), Some(b'-' | b'_' | b'.'));
    let number = |i: usize, n: usize| -> u32 {
        bytes[i..i + n]
            .iter()
            .fold(0, |v, b| v * 10 + u32::from(b - b'0'))
    };
    let month_ok = |m: u32| (1..=12).contains(&m);
    let day_ok = |d: u32| (1..=31).contains(&d);
    // The series is named in lower case: `Report-2024` and `report-2026` are one series.
    let make = |start: usize, end: usize, value: u32, coarse: bool| Dated {
        value,
        coarse,
        series: format!("{}#{}", &name[..start], &name[end..]).to_ascii_lowercase(),
    };
    for i in 0..bytes.len() {
        // Every number is read from its first digit, whole.
        if !digit(i) || (i > 0 && digit(i - 1)) {
            continue;
        }
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        // MM-DD-YYYY, as minutes are often named in the US.
        if run == 2
            && sep(i + 2)
            && two(i + 3)
            && sep(i + 5)
            && two(i + 6)
            && two(i + 8)
            && !digit(i + 10)
        {
            let (m, d, y) = (number(i, 2), number(i + 3, 2), number(i + 6, 4));
            if month_ok(m) && day_ok(d) && (1990..2100).contains(&y) {
                return Some(make(i, i + 10, y * 10_000 + m * 100 + d, false));
            }
        }
        // YYYYMMDD.
        if run == 8 {
            let (y, m, d) = (number(i, 4), number(i + 4, 2), number(i + 6, 2));
            if (1990..2100).contains(&y) && month_ok(m) && day_ok(d) {
                return Some(make(i, i + 8, y * 10_000 + m * 100 + d, false));
            }
        }
        if run != 4 || !(1990..2100).contains(&number(i, 4)) {
            continue;
        }
        let year = number(i, 4);
        let j = i + 4;
        // YYYY-MM-DD and YYYY-MM.
        if sep(j) && two(j + 1) && !digit(j + 3) && month_ok(number(j + 1, 2)) {
            let month = number(j + 1, 2);
            if sep(j + 3) && two(j + 4) && !digit(j + 6) && day_ok(number(j + 4, 2)) {
                return Some(make(
                    i,
                    j + 6,
                    year * 10_000 + month * 100 + number(j + 4, 2),
                    false,
                ));
            }
            return Some(make(i, j + 3, year * 10_000 + month * 100, true));
        }
        // YYYY-Q1, YYYYQ1, YYYY-H2: the last month of the quarter or half.
        let q = j + usize::from(sep(j));
        let kind = bytes.get(q).map(u8::to_ascii_lowercase);
        if let (Some(kind @ (b'q' | b'h')), Some(&n)) = (kind, bytes.get(q + 1)) {
            let months = if kind == b'q' { 3 } else { 6 };
            let month = u32::from(n.wrapping_sub(b'0')) * months;
            if (1..=12).contains(&month) && !digit(q + 2) {
                return Some(make(i, q + 2, year * 10_000 + month * 100, true));
            }
        }
        return Some(make(i, j, year * 10_000, true));
    }
    // A folder of a yearly programme: `osre25`, `gsoc-26`. Only folders (files numbered `01`,
    // `02` are chapters), and only plausible years.
    if !is_folder {
        return None;
    }
    let word = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &name[word.len()..];
    let prefix = word.trim_end_matches(['-', '_']);
    if digits.len() != 2 || prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let year = number(word.len(), 2);
    (TWO_DIGIT_YEARS.contains(&year)).then(|| Dated {
        value: (2000 + year) * 10_000,
        coarse: true,
        series: format!("{word}#").to_ascii_lowercase(),
    })
}

/// Two-digit years read as years: recent ones. Folders numbered below (`module07`) are a sequence.
const TWO_DIGIT_YEARS: std::ops::RangeInclusive<u32> = 15..=40;

/// What a repository says about all its files at once, gathered once: the files themselves are
/// classified one by one, when asked.
#[derive(Debug, Default)]
pub(super) struct Facts {
    today: Date,
    /// Submodule paths from `.gitmodules`.
    submodules: Vec<String>,
    /// Folders holding another project's files, with the evidence.
    foreign: Vec<(String, String)>,
    /// For each series (parent folder and name with its date replaced): the newest entry.
    newest: HashMap<(String, String), (u32, String)>,
}

impl Facts {
    pub(super) fn gather(
        index: &FileIndex,
        tree: Option<&TreeList>,
        today: Date,
        read: &dyn Fn(&str) -> Option<String>,
    ) -> Facts {
        Facts {
            today,
            submodules: read(".gitmodules")
                .map(|text| submodule_paths(&text))
                .unwrap_or_default(),
            foreign: foreign_subtrees(index, read),
            newest: newest_of_series(index, tree),
        }
    }
}

/// Decides the lifecycle of one repository's files.
pub(super) struct Classifier<'a> {
    pub(super) index: &'a FileIndex,
    pub(super) tree: Option<&'a TreeList>,
    pub(super) rules: &'a DocumentRules,
    pub(super) facts: &'a Facts,
}

impl Classifier<'_> {
    fn exists(&self, path: &str) -> bool {
        self.index.find(path).is_some() || self.tree.is_some_and(|t| t.is_file(path))
    }

    fn dir_exists(&self, path: &str) -> bool {
        self.index.is_dir(path) || self.tree.is_some_and(|t| t.is_dir(path))
    }

    /// Whether a dated entry lies before today: before its year for a year, before its day for a
    /// full date.
    fn is_past(&self, date: &Dated) -> bool {
        let today = u32::try_from(self.facts.today.year()).unwrap_or(0) * 10_000
            + u32::try_from(self.facts.today.month()).unwrap_or(0) * 100
            + u32::try_from(self.facts.today.day()).unwrap_or(0);
        if date.coarse {
            date.value / 10_000 < today / 10_000
        } else {
            date.value < today
        }
    }

    /// The lifecycle of the file at `path`.
    pub(super) fn classify(&self, path: &str) -> DocLifecycle {
        for (lifecycle, globs) in &self.rules.globs {
            if globs.is_match(path) {
                return DocLifecycle::new(
                    *lifecycle,
                    format!("listed under `{lifecycle}` in [documents] of ospolint.toml"),
                );
            }
        }
        let lower = path.to_ascii_lowercase();
        let parts: Vec<&str> = lower.split('/').collect();
        let (folders, name) = parts.split_at(parts.len() - 1);
        let name = name[0];
        let original_parts: Vec<&str> = path.split('/').collect();
        // Most paths hold none of the words the folder and file names below are made of.
        let named = MARKER_WORDS.is_match(&lower);

        if let Some(found) = self.vendored(path, folders, named) {
            return found;
        }
        if let Some(found) = self.translation(&original_parts, named) {
            return found;
        }
        if !named {
            return self
                .past_entry(&original_parts)
                .unwrap_or_else(DocLifecycle::live);
        }
        if let Some(found) = changelog(folders, name, &original_parts) {
            return found;
        }
        // Only the file's own full date says a meeting is still to come: `2026/README.md` is not.
        let own_date = dated(stem(name), false).filter(|d| !d.coarse);
        if let Some(found) = self.minutes(folders, name, own_date.as_ref()) {
            return found;
        }
        if let Some(i) = folders.iter().position(|f| PUBLICATION_FOLDERS.contains(f)) {
            if own_date.is_some() {
                return DocLifecycle::new(
                    Lifecycle::Archive,
                    format!(
                        "a dated post in `{}/`: it speaks as of its date",
                        original_parts[..=i].join("/")
                    ),
                );
            }
        }
        if let Some(i) = folders.iter().position(|f| is_archive_folder(f)) {
            return DocLifecycle::new(
                Lifecycle::Archive,
                format!(
                    "in an archive folder (`{}/`)",
                    original_parts[..=i].join("/")
                ),
            );
        }
        self.past_entry(&original_parts)
            .unwrap_or_else(DocLifecycle::live)
    }

    fn vendored(&self, path: &str, folders: &[&str], named: bool) -> Option<DocLifecycle> {
        if !named && self.facts.submodules.is_empty() && self.facts.foreign.is_empty() {
            return None;
        }
        if let Some(folder) = folders.iter().find(|f| VENDORED_FOLDERS.contains(f)) {
            return Some(DocLifecycle::new(
                Lifecycle::Vendored,
                format!("under `{folder}/`, where other projects' files are kept"),
            ));
        }
        if let Some(folder) = folders.iter().find(|f| GENERATED_FOLDERS.contains(f)) {
            return Some(DocLifecycle::new(
                Lifecycle::Generated,
                format!("under `{folder}/`, a site generator's output"),
            ));
        }
        let original: Vec<&str> = path.split('/').collect();
        if let Some(i) = folders.iter().position(|f| *f == "themes") {
            let parent = original[..i].join("/");
            let beside = |name: &str| {
                let sibling = if parent.is_empty() {
                    name.to_string()
                } else {
                    format!("{parent}/{name}")
                };
                self.exists(&sibling) || self.dir_exists(&sibling)
            };
            if SITE_MARKERS.iter().any(|m| beside(m)) {
                // The theme's own folder, when the file is inside one.
                let end = if i + 1 < folders.len() { i + 1 } else { i };
                return Some(DocLifecycle::new(
                    Lifecycle::Vendored,
                    format!("in the site theme folder `{}/`", original[..=end].join("/")),
                ));
            }
        }
        if let Some(module) =
            self.facts.submodules.iter().find(|m| {
                path.starts_with(m.as_str()) && path.as_bytes().get(m.len()) == Some(&b'/')
            })
        {
            return Some(DocLifecycle::new(
                Lifecycle::Vendored,
                format!("in the submodule `{module}` (.gitmodules)"),
            ));
        }
        self.facts
            .foreign
            .iter()
            .find(|(folder, _)| {
                path.starts_with(folder.as_str())
                    && path.as_bytes().get(folder.len()) == Some(&b'/')
            })
            .map(|(_, why)| DocLifecycle::new(Lifecycle::Vendored, why.clone()))
    }

    fn translation(&self, parts: &[&str], named: bool) -> Option<DocLifecycle> {
        let (folders, name) = parts.split_at(parts.len() - 1);
        let name = name[0];
        let in_translations = |f: &&str| {
            TRANSLATION_FOLDERS
                .iter()
                .any(|t| t.eq_ignore_ascii_case(f))
        };
        if let Some(i) = folders.iter().position(|f| named && in_translations(f)) {
            return Some(DocLifecycle::new(
                Lifecycle::Translation,
                format!("in a translations folder (`{}/`)", parts[..=i].join("/")),
            ));
        }
        // `README.ko.md`, `README-zh.md`, `CONTRIBUTING_pt-BR.md` beside the original.
        let (base, extension) = name.rsplit_once('.').unwrap_or((name, ""));
        for separator in ['.', '-', '_'] {
            let Some((original, suffix)) = base.split_once(separator) else {
                continue;
            };
            if original.is_empty() || language(suffix).is_none() || is_english(suffix) {
                continue;
            }
            let folder = folders.join("/");
            let original_name = if extension.is_empty() {
                original.to_string()
            } else {
                format!("{original}.{extension}")
            };
            let original_path = if folder.is_empty() {
                original_name
            } else {
                format!("{folder}/{original_name}")
            };
            if self.exists(&original_path) {
                return Some(DocLifecycle::new(
                    Lifecycle::Translation,
                    format!("a translation of `{original_path}`"),
                ));
            }
        }
        // A language folder: inside the folder of the originals (`_articles/de/x.md` beside
        // `_articles/x.md`), or beside the English one (`fr/` beside `en/`).
        for (i, folder) in folders.iter().enumerate() {
            if language(folder).is_none() || is_english(folder) {
                continue;
            }
            let parent = parts[..i].join("/");
            let rest = parts[i + 1..].join("/");
            let without = if parent.is_empty() {
                rest.clone()
            } else {
                format!("{parent}/{rest}")
            };
            if self.exists(&without) {
                return Some(DocLifecycle::new(
                    Lifecycle::Translation,
                    format!("a translation of `{without}`"),
                ));
            }
            let english = ["en", "en-us", "en-US", "en_US", "en-gb"]
                .iter()
                .map(|en| {
                    if parent.is_empty() {
                        en.to_string()
                    } else {
                        format!("{parent}/{en}")
                    }
                })
                .find(|dir| self.dir_exists(dir));
            if let Some(english) = english {
                return Some(DocLifecycle::new(
                    Lifecycle::Translation,
                    format!(
                        "in the language folder `{}/`, beside the original `{english}/`",
                        parts[..=i].join("/")
                    ),
                ));
            }
        }
        None
    }

    fn minutes(&self, folders: &[&str], name: &str, date: Option<&Dated>) -> Option<DocLifecycle> {
        let folder = folders
            .iter()
            .find(|f| MINUTES_FOLDERS.contains(f) || f.contains("minutes"));
        let stem = stem(name);
        let named = stem.contains("minutes")
            || stem.contains("meeting-notes")
            || stem.contains("meeting_notes")
            || stem.contains("agenda");
        if folder.is_none() && !named {
            return None;
        }
        if let Some(date) = date.filter(|d| !d.coarse && !self.is_past(d)) {
            // Minutes of a meeting still to come are a page to be filled in: live.
            return Some(DocLifecycle::new(
                Lifecycle::Live,
                format!(
                    "minutes of a meeting still to come ({})",
                    show_date(date.value)
                ),
            ));
        }
        Some(DocLifecycle::new(
            Lifecycle::Minutes,
            match folder {
                Some(folder) => format!("meeting records (`{folder}/`)"),
                None => "meeting records (named as minutes or an agenda)".to_string(),
            },
        ))
    }

    /// A past term or an older entry of a dated series, among the path's folders and its name.
    fn past_entry(&self, parts: &[&str]) -> Option<DocLifecycle> {
        for (i, part) in parts.iter().enumerate() {
            let is_file = i == parts.len() - 1;
            let lower = part.to_ascii_lowercase();
            let Some(date) = dated(if is_file { stem(&lower) } else { &lower }, !is_file) else {
                continue;
            };
            if !self.is_past(&date) {
                continue;
            }
            let series = if is_file {
                format!("{}\u{1}", date.series)
            } else {
                date.series.clone()
            };
            let parent = parts[..i].join("/");
            let Some((value, newest)) = self.facts.newest.get(&(parent.clone(), series)) else {
                continue;
            };
            if *value > date.value {
                let what = if is_file { "entry" } else { "term" };
                return Some(DocLifecycle::new(
                    Lifecycle::Archive,
                    format!(
                        "a past {what}: `{newest}` is newer than `{part}`{}",
                        in_folder(&parent)
                    ),
                ));
            }
        }
        None
    }
}

fn changelog(folders: &[&str], name: &str, parts: &[&str]) -> Option<DocLifecycle> {
    if let Some(folder) = folders.iter().find(|f| CHANGELOG_FOLDERS.contains(f)) {
        return Some(DocLifecycle::new(
            Lifecycle::Changelog,
            format!("release history (`{folder}/`)"),
        ));
    }
    let stem = stem(name);
    let original = parts[parts.len() - 1];
    let always = stem.starts_with("changelog")
        || matches!(stem, "release-notes" | "release_notes" | "releasenotes");
    // HISTORY, NEWS and CHANGES are release histories by convention at the top of a project;
    // elsewhere a page named history is as likely the story of an organisation.
    let conventional = matches!(stem, "history" | "news" | "changes" | "releases")
        && (folders.is_empty()
            || folders == ["docs"]
            || folders == ["doc"]
            || original
                .bytes()
                .take_while(|b| *b != b'.')
                .all(|b| !b.is_ascii_lowercase()));
    (always || conventional).then(|| {
        DocLifecycle::new(
            Lifecycle::Changelog,
            format!("release history (`{original}`)"),
        )
    })
}

/// " in `folder/`", or nothing at the root.
fn in_folder(folder: &str) -> String {
    if folder.is_empty() {
        String::new()
    } else {
        format!(" in `{folder}/`")
    }
}

/// Folders below the root with a licence file and a README of their own, whose licence differs
/// from the repository's: another project's files (a vendored library, a copied tool).
fn foreign_subtrees(
    index: &FileIndex,
    read: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    let mut foreign: Vec<(String, String)> = Vec::new();
    let licences: Vec<FileId> = index
        .ids()
        .filter(|&id| is_licence_name(index.lower_file_name(id)))
        .collect();
    if licences.len() < 2 {
        return foreign;
    }
    let root_licence = licences
        .iter()
        .find(|&&id| !index.path(id).contains('/'))
        .and_then(|&id| read(index.path(id)))
        .map(|text| licence_identity(&text));
    for &id in &licences {
        let path = index.path(id);
        let Some((folder, _)) = path.rsplit_once('/') else {
            continue;
        };
        let has_readme = index
            .files_in(folder)
            .any(|f| index.lower_file_name(f).starts_with("readme"));
        if !has_readme || foreign.iter().any(|(f, _)| f == folder) {
            continue;
        }
        let own = read(path).map(|text| licence_identity(&text));
        if own.is_some() && own != root_licence {
            foreign.push((
                folder.to_string(),
                format!(
                    "`{folder}/` has its own README and a licence ({}) that differs from the repository's: another project's files",
                    &path[folder.len() + 1..]
                ),
            ));
        }
    }
    foreign
}

/// The newest entry of each dated series, among the files and folders on disk and in the tree
/// file.
fn newest_of_series(
    index: &FileIndex,
    tree: Option<&TreeList>,
) -> HashMap<(String, String), (u32, String)> {
    let mut newest: HashMap<(String, String), (u32, String)> = HashMap::new();
    let files = index
        .ids()
        .map(|id| index.path(id))
        .chain(tree.into_iter().flat_map(TreeList::files))
        .map(|path| (path, true));
    let dirs = index
        .dirs()
        .chain(tree.into_iter().flat_map(TreeList::dirs))
        .map(|dir| (dir, false));
    for (path, is_file) in files.chain(dirs) {
        let (parent, name) = crate::doc::split_name(path);
        // A date needs two digits in a row at least: `file_7` has none to read. Most names have
        // none, and need not be split at their extension to tell.
        let digits = |s: &str| {
            s.as_bytes()
                .windows(2)
                .any(|w| w.iter().all(u8::is_ascii_digit))
        };
        if !digits(name) {
            continue;
        }
        let stem = if is_file { stem(name) } else { name };
        if !digits(stem) {
            continue;
        }
        let Some(date) = dated(stem, !is_file) else {
            continue;
        };
        let series = if is_file {
            format!("{}\u{1}", date.series)
        } else {
            date.series
        };
        let entry = newest
            .entry((parent.to_string(), series))
            .or_insert((0, String::new()));
        // Ties go to the smaller name, whatever order the paths come in.
        if date.value > entry.0 || (date.value == entry.0 && name < entry.1.as_str()) {
            *entry = (date.value, name.to_string());
        }
    }
    newest
}

/// `20261217` as `2026-12-17`; `20260000` as `2026`.
fn show_date(value: u32) -> String {
    let (year, month, day) = (value / 10_000, value / 100 % 100, value % 100);
    match (month, day) {
        (0, _) => year.to_string(),
        (_, 0) => format!("{year}-{month:02}"),
        _ => format!("{year}-{month:02}-{day:02}"),
    }
}

/// A file name without its last extension.
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

fn is_licence_name(lower_name: &str) -> bool {
    ["license", "licence", "copying"]
        .iter()
        .any(|p| lower_name.starts_with(p))
}

/// What tells two licence files apart: their opening words, without layout or year.
fn licence_identity(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.bytes().any(|b| b.is_ascii_digit()))
        .take(40)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn submodule_paths(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.trim().split_once('=')?;
            (key.trim() == "path").then(|| {
                value
                    .trim()
                    .trim_matches('"')
                    .trim_end_matches('/')
                    .to_string()
            })
        })
        .filter(|path| !path.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::scan::FileEntry;

    fn classify_all(paths: &[&str], today: &str) -> Vec<(String, Lifecycle, String)> {
        let index = FileIndex::new(
            paths
                .iter()
                .map(|p| FileEntry {
                    path: p.to_string(),
                })
                .collect(),
            BTreeSet::new(),
        );
        let rules = DocumentRules::default();
        let read = |path: &str| -> Option<String> {
            match path {
                "LICENSE" => Some("MIT License\nCopyright 2020 Us".to_string()),
                "tools/lib/LICENSE" => Some("BSD 3-Clause License\nCopyright Them".to_string()),
                "packages/a/LICENSE" => Some("MIT License\nCopyright 2024 Us".to_string()),
                ".gitmodules" if paths.contains(&".gitmodules") => Some(
                    "[submodule \"x\"]\n\tpath = ext/theme\n\turl = https://example.org/x\n"
                        .to_string(),
                ),
                _ => None,
            }
        };
        let facts = Facts::gather(&index, None, today.parse().unwrap(), &read);
        let classifier = Classifier {
            index: &index,
            tree: None,
            rules: &rules,
            facts: &facts,
        };
        paths
            .iter()
            .map(|p| {
                let found = classifier.classify(p);
                (p.to_string(), found.lifecycle, found.reason)
            })
            .collect()
    }

    fn lifecycle_of(paths: &[&str], today: &str, path: &str) -> Lifecycle {
        classify_all(paths, today)
            .into_iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, l, _)| l)
            .unwrap()
    }

    #[test]
    fn dates_in_names() {
        let value = |name: &str| dated(name, false).map(|d| (d.value, d.coarse, d.series));
        assert_eq!(
            value("2026-03-05-minutes"),
            Some((20260305, false, "#-minutes".into()))
        );
        assert_eq!(
            value("12-17-2026-meeting-minutes"),
            Some((20261217, false, "#-meeting-minutes".into()))
        );
        assert_eq!(value("20250101"), Some((20250101, false, "#".into())));
        assert_eq!(
            value("nominations-2024"),
            Some((20240000, true, "nominations-#".into()))
        );
        assert_eq!(
            value("2026-q2-report"),
            Some((20260600, true, "#-report".into()))
        );
        assert_eq!(value("2024-11"), Some((20241100, true, "#".into())));
        assert_eq!(
            dated("osre25", true).map(|d| (d.value, d.series)),
            Some((20250000, "osre#".into()))
        );
        assert_eq!(value("osre25"), None, "files numbered 25 are chapters");
        assert_eq!(dated("module07", true), None, "a sequence, not a year");
        assert_eq!(value("gsoc2026"), Some((20260000, true, "gsoc#".into())));
        assert_eq!(value("iso-5230"), None, "not a year");
        assert_eq!(value("v12"), None);
        assert_eq!(value("12345678901"), None);
        assert_eq!(value("readme"), None);
    }

    #[test]
    fn folders_and_names() {
        let paths = [
            "README.md",
            "LICENSE",
            "CHANGELOG.md",
            "docs/history.md",
            "HISTORY.md",
            "archive/old-policy.md",
            "projects/completed-projects/logging.md",
            "projects/currently-inactive/semconv.md",
            "projects/bold-ideas/plan.md",
            "_posts/2026-08-01-summer.md",
            "blog/about.md",
            "meeting-notes/2025-01-10.md",
            "minutes/2026-12-01.md",
            "node_modules/pkg/README.md",
            "ext/theme/README.md",
            ".gitmodules",
            "tools/lib/README.md",
            "tools/lib/LICENSE",
            "packages/a/README.md",
            "packages/a/LICENSE",
            "content/history.md",
        ];
        let all = classify_all(&paths, "2026-09-01");
        let of = |path: &str| all.iter().find(|(p, _, _)| p == path).unwrap().1;
        assert_eq!(of("README.md"), Lifecycle::Live);
        assert_eq!(of("CHANGELOG.md"), Lifecycle::Changelog);
        assert_eq!(of("HISTORY.md"), Lifecycle::Changelog);
        assert_eq!(of("docs/history.md"), Lifecycle::Changelog);
        assert_eq!(
            of("content/history.md"),
            Lifecycle::Live,
            "a page about history"
        );
        assert_eq!(of("archive/old-policy.md"), Lifecycle::Archive);
        assert_eq!(
            of("projects/completed-projects/logging.md"),
            Lifecycle::Archive
        );
        assert_eq!(
            of("projects/currently-inactive/semconv.md"),
            Lifecycle::Archive
        );
        assert_eq!(of("projects/bold-ideas/plan.md"), Lifecycle::Live);
        assert_eq!(
            of("_posts/2026-08-01-summer.md"),
            Lifecycle::Archive,
            "a dated post"
        );
        assert_eq!(
            of("blog/about.md"),
            Lifecycle::Live,
            "an undated page of the blog"
        );
        assert_eq!(of("meeting-notes/2025-01-10.md"), Lifecycle::Minutes);
        assert_eq!(
            of("minutes/2026-12-01.md"),
            Lifecycle::Live,
            "a meeting still to come"
        );
        assert_eq!(of("node_modules/pkg/README.md"), Lifecycle::Vendored);
        assert_eq!(
            of("ext/theme/README.md"),
            Lifecycle::Vendored,
            "a submodule"
        );
        assert_eq!(
            of("tools/lib/README.md"),
            Lifecycle::Vendored,
            "another licence"
        );
        assert_eq!(
            of("packages/a/README.md"),
            Lifecycle::Live,
            "the same licence: our own package"
        );
        let future = all
            .iter()
            .find(|(p, _, _)| p == "minutes/2026-12-01.md")
            .unwrap();
        assert_eq!(future.2, "minutes of a meeting still to come (2026-12-01)");
        for (path, lifecycle, reason) in &all {
            assert_eq!(
                lifecycle.is_live(),
                reason.is_empty() || path.starts_with("minutes/"),
                "{path}: {reason}"
            );
        }
    }

    #[test]
    fn past_terms_and_series() {
        let paths = [
            "programs/2019/README.md",
            "programs/2025/README.md",
            "programs/2026/README.md",
            "programs/2027/README.md",
            "ideas/2024.md",
            "ideas/2026.md",
            "ideas/README.md",
            "elections/tac-nominations-2024.md",
            "elections/tac-nominations-2026.md",
            "elections/board-nominations-2024.md",
            "content/osre25/index.md",
            "content/osre26/index.md",
            "reports/2026-q1-wg.md",
            "reports/2026-q2-wg.md",
        ];
        let at = |path: &str| lifecycle_of(&paths, "2026-09-01", path);
        assert_eq!(at("programs/2019/README.md"), Lifecycle::Archive);
        assert_eq!(at("programs/2025/README.md"), Lifecycle::Archive);
        assert_eq!(
            at("programs/2026/README.md"),
            Lifecycle::Live,
            "this year's term"
        );
        assert_eq!(at("programs/2027/README.md"), Lifecycle::Live);
        assert_eq!(at("ideas/2024.md"), Lifecycle::Archive);
        assert_eq!(at("ideas/2026.md"), Lifecycle::Live);
        assert_eq!(at("ideas/README.md"), Lifecycle::Live);
        assert_eq!(at("elections/tac-nominations-2024.md"), Lifecycle::Archive);
        assert_eq!(
            at("elections/board-nominations-2024.md"),
            Lifecycle::Live,
            "alone in its series"
        );
        assert_eq!(at("content/osre25/index.md"), Lifecycle::Archive);
        assert_eq!(at("content/osre26/index.md"), Lifecycle::Live);
        assert_eq!(
            at("reports/2026-q1-wg.md"),
            Lifecycle::Live,
            "this year's quarters"
        );
        let reason = classify_all(&paths, "2026-09-01")
            .into_iter()
            .find(|(p, _, _)| p == "programs/2019/README.md")
            .unwrap()
            .2;
        assert_eq!(
            reason,
            "a past term: `2027` is newer than `2019` in `programs/`"
        );
    }

    #[test]
    fn translations_need_their_original() {
        let paths = [
            "README.md",
            "README.ko.md",
            "README-zh.md",
            "README.en.md",
            "NOTES-de.md",
            "_articles/guide.md",
            "_articles/de/guide.md",
            "en/policy.md",
            "fr/politique.md",
            "i18n/ja/docs/intro.md",
            "it/overview.md",
        ];
        let at = |path: &str| lifecycle_of(&paths, "2026-09-01", path);
        assert_eq!(at("README.md"), Lifecycle::Live);
        assert_eq!(at("README.ko.md"), Lifecycle::Translation);
        assert_eq!(at("README-zh.md"), Lifecycle::Translation);
        assert_eq!(
            at("README.en.md"),
            Lifecycle::Live,
            "English is the original"
        );
        assert_eq!(
            at("NOTES-de.md"),
            Lifecycle::Live,
            "no original to translate"
        );
        assert_eq!(at("_articles/de/guide.md"), Lifecycle::Translation);
        assert_eq!(at("en/policy.md"), Lifecycle::Live);
        assert_eq!(at("fr/politique.md"), Lifecycle::Translation);
        assert_eq!(at("i18n/ja/docs/intro.md"), Lifecycle::Translation);
        assert_eq!(at("it/overview.md"), Lifecycle::Translation, "beside en/");
    }
}
