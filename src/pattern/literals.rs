//! Words a regex cannot match without: for each pattern, sets of strings such that every match
//! contains a string of each set (ASCII case aside). One multi-word search over a document then
//! tells which patterns can match at all, instead of one search per pattern.
//!
//! The analysis works on the syntax tree the pattern is compiled from, so it holds for whatever
//! the pattern says: a set is only claimed where every way of matching goes through it.

use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many strings in a set: beyond, the set is dropped (it would filter little).
const MAX_STRINGS: usize = 64;
/// Strings longer than this are not grown further by concatenation.
const MAX_LEN: usize = 32;
/// A class of more characters than this is "any character" to the analysis.
const MAX_CLASS: usize = 8;
/// Shorter strings (`#`, `](`) occur in almost every document: not worth searching for.
const MIN_USEFUL_LEN: usize = 3;

/// A set of strings, ASCII letters lower-cased; a text "contains" one when it contains it ignoring
/// ASCII case.
pub type WordSet = Vec<Vec<u8>>;

/// What the analysis knows about one node of the tree.
struct Facts {
    /// Every string the node can match, when they are few and short.
    exact: Option<WordSet>,
    /// Sets of which every match contains a member of each.
    required: Vec<WordSet>,
}

/// The sets (at most two, the most selective) one of whose strings every match of `hir` contains,
/// each of strings at least three bytes long. Empty when no such set exists: the pattern must
/// then be searched for whatever the text.
pub fn required_word_sets(hir: &Hir) -> Vec<WordSet> {
    let facts = analyze(hir);
    let mut sets: Vec<WordSet> = facts
        .required
        .into_iter()
        .chain(facts.exact.filter(|set| !set.iter().any(Vec::is_empty)))
        .map(shortest_forms)
        .filter(|set| set.iter().all(|s| s.len() >= MIN_USEFUL_LEN))
        .collect();
    sets.sort_by_key(|set| std::cmp::Reverse(quality(set)));
    sets.dedup();
    // A set implied by a better one (`todo` by `[todo`) filters nothing more.
    let mut kept: Vec<WordSet> = Vec::new();
    for set in sets {
        if !kept.iter().any(|better| implies(better, &set)) {
            kept.push(set);
        }
    }
    kept.truncate(2);
    kept
}

/// The longest string every match of `hir` contains (ASCII letters lower-cased), when there is
/// one worth searching for: a required set's only string, or the longest part all of a set's
/// strings share (` template` of `project template` and `repo template`). One substring search
/// then rules the pattern out, where a set of many strings needs as many searches.
pub fn required_word(hir: &Hir) -> Option<Vec<u8>> {
    required_word_sets(hir)
        .iter()
        .filter_map(common_part)
        .max_by_key(Vec::len)
}

/// The longest string contained in every string of `set`, at least [`MIN_USEFUL_LEN`] long.
fn common_part(set: &WordSet) -> Option<Vec<u8>> {
    let shortest = set.iter().min_by_key(|s| s.len())?;
    (MIN_USEFUL_LEN..=shortest.len()).rev().find_map(|len| {
        shortest
            .windows(len)
            .find(|part| set.iter().all(|s| s.windows(len).any(|w| w == *part)))
            .map(<[u8]>::to_vec)
    })
}

/// `set` without the strings that hold another of its strings (`todo list` beside `todo`): a
/// text holding one holds the other, so the shorter is enough to search for.
fn shortest_forms(set: WordSet) -> WordSet {
    set.iter()
        .filter(|s| {
            !set.iter().any(|t| {
                !t.is_empty() && t.len() < s.len() && s.windows(t.len()).any(|w| w == t.as_slice())
            })
        })
        .cloned()
        .collect()
}

/// Whether a text holding a string of `a` always holds one of `b`.
fn implies(a: &WordSet, b: &WordSet) -> bool {
    a.iter().all(|x| {
        b.iter()
            .any(|y| x.windows(y.len()).any(|w| w == y.as_slice()))
    })
}

/// Longer shortest strings filter more; so do fewer strings.
fn quality(set: &WordSet) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

fn analyze(hir: &Hir) -> Facts {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Facts {
            exact: Some(vec![Vec::new()]),
            required: Vec::new(),
        },
        HirKind::Literal(literal) => Facts {
            exact: Some(vec![literal.0.to_ascii_lowercase()]),
            required: Vec::new(),
        },
        HirKind::Class(class) => Facts {
            exact: class_strings(class),
            required: Vec::new(),
        },
        HirKind::Capture(capture) => analyze(&capture.sub),
        HirKind::Repetition(repetition) => {
            if repetition.min == 0 {
                // Matches the empty string: requires nothing. An optional part (`-?`) still
                // has known strings: its own and the empty one (`to-?do` is `todo` or `to-do`).
                let exact = match repetition.max {
                    Some(0) => Some(vec![Vec::new()]),
                    Some(1) => analyze(&repetition.sub).exact.map(|mut set| {
                        set.push(Vec::new());
                        dedup(set)
                    }),
                    _ => None,
                };
                return Facts {
                    exact,
                    required: Vec::new(),
                };
            }
            let sub = analyze(&repetition.sub);
            let exact = match (&sub.exact, repetition.max) {
                (Some(set), Some(max)) if max == repetition.min => (0..repetition.min)
                    .try_fold(vec![Vec::new()], |product, _| cross(&product, set)),
                _ => None,
            };
            let mut required = sub.required;
            required.extend(sub.exact.filter(|set| !set.iter().any(Vec::is_empty)));
            Facts { exact, required }
        }
        HirKind::Concat(subs) => {
            let facts: Vec<Facts> = subs.iter().map(analyze).collect();
            let mut required = Vec::new();
            // Runs of children with known strings make longer strings: `[` then `todo`, `[todo`.
            let mut run: Option<WordSet> = None;
            let mut whole = Some(vec![Vec::new()]);
            for fact in &facts {
                required.extend(fact.required.iter().cloned());
                whole = whole.and_then(|w| cross(&w, fact.exact.as_ref()?));
                match &fact.exact {
                    Some(set) => {
                        run = match run.take() {
                            None => Some(set.clone()),
                            Some(before) => match cross(&before, set) {
                                Some(longer) => Some(longer),
                                None => {
                                    required.push(before);
                                    Some(set.clone())
                                }
                            },
                        };
                    }
                    None => required.extend(run.take()),
                }
            }
            required.extend(run);
            required.retain(|set| !set.iter().any(Vec::is_empty));
            Facts {
                exact: whole,
                required,
            }
        }
        HirKind::Alternation(subs) => {
            let facts: Vec<Facts> = subs.iter().map(analyze).collect();
            let exact = facts.iter().try_fold(Vec::new(), |mut all, fact| {
                all.extend(fact.exact.clone()?);
                Some(all)
            });
            // Every branch must require something for the alternation to: the union of each
            // branch's best set.
            let union = facts.iter().try_fold(Vec::new(), |mut all: WordSet, fact| {
                all.extend(best_set(fact)?);
                Some(all)
            });
            Facts {
                exact: exact.map(dedup).filter(|set| set.len() <= MAX_STRINGS),
                required: union
                    .map(dedup)
                    .filter(|set| set.len() <= MAX_STRINGS)
                    .into_iter()
                    .collect(),
            }
        }
    }
}

/// The most selective set a node requires, its own strings included.
fn best_set(facts: &Facts) -> Option<WordSet> {
    facts
        .required
        .iter()
        .chain(
            facts
                .exact
                .iter()
                .filter(|set| !set.iter().any(Vec::is_empty)),
        )
        .max_by_key(|set| quality(set))
        .cloned()
}

/// Every concatenation of a string of `a` with one of `b`; `None` past the limits.
fn cross(a: &WordSet, b: &WordSet) -> Option<WordSet> {
    if a.len() * b.len() > MAX_STRINGS {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            if x.len() + y.len() > MAX_LEN {
                return None;
            }
            out.push([x.as_slice(), y.as_slice()].concat());
        }
    }
    Some(dedup(out))
}

fn dedup(mut set: WordSet) -> WordSet {
    set.sort();
    set.dedup();
    set
}

/// The characters of a small class as strings, ASCII lower-cased (a case-insensitive `s` is
/// `S`, `s` and `ſ`: two strings).
fn class_strings(class: &Class) -> Option<WordSet> {
    let mut out = Vec::new();
    match class {
        Class::Unicode(class) => {
            let mut count = 0;
            for range in class.ranges() {
                count += range.end() as usize - range.start() as usize + 1;
                if count > MAX_CLASS {
                    return None;
                }
                for c in range.start()..=range.end() {
                    let mut buf = [0; 4];
                    out.push(c.encode_utf8(&mut buf).as_bytes().to_ascii_lowercase());
                }
            }
        }
        Class::Bytes(class) => {
            let mut count = 0;
            for range in class.ranges() {
                count += usize::from(range.end() - range.start()) + 1;
                if count > MAX_CLASS {
                    return None;
                }
                out.extend((range.start()..=range.end()).map(|b| vec![b.to_ascii_lowercase()]));
            }
        }
    }
    Some(dedup(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(source: &str) -> Vec<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .multi_line(true)
            .build()
            .parse(source)
            .unwrap();
        required_word_sets(&hir)
            .into_iter()
            .map(|set| {
                set.into_iter()
                    .map(|s| String::from_utf8(s).unwrap())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn words_and_alternatives() {
        assert_eq!(
            sets(r"(?-i)\b(TODO|TBD|FIXME)\b"),
            [["fixme", "tbd", "todo"]]
        );
        assert_eq!(sets(r"(?i)\blorem\b"), [["lorem"]]);
    }

    #[test]
    fn one_required_word_from_a_set_sharing_a_part() {
        let word = |source: &str| {
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(source)
                .unwrap();
            required_word(&hir).map(|w| String::from_utf8(w).unwrap())
        };
        assert_eq!(
            word(r"\bis an? (?:repo|project) template\b").as_deref(),
            Some(" template")
        );
        assert_eq!(
            word(r"\breplace\b.{0,9}with (?:your|the)").as_deref(),
            Some("replace")
        );
        assert_eq!(
            word(r"\b(TODO|TBD)\b"),
            None,
            "no part of three bytes is shared"
        );
    }

    #[test]
    fn unicode_case_folding_is_kept() {
        // A case-insensitive `s` also matches `ſ` (U+017F), a `k` the Kelvin sign.
        assert_eq!(sets("ask"), [["ask", "as\u{212a}", "aſk", "aſ\u{212a}"]]);
    }

    #[test]
    fn concatenations_grow_and_gaps_split() {
        assert_eq!(
            sets(r"\[(TODO|TBD)\b[^\]\n]*\]"),
            [["[tbd", "[todo"]],
            "the closing bracket alone is too short to be worth a search"
        );
        assert_eq!(
            sets(r"\{\{\s*cookiecutter\.[^}]*\}\}"),
            [["cookiecutter.", "coo\u{212a}iecutter."]]
        );
        assert_eq!(
            sets(r"(?-i)<!--\s*(TODO|FIXME)\b"),
            [vec!["<!--"], vec!["fixme", "todo"]]
        );
    }

    #[test]
    fn optional_parts_require_nothing() {
        assert!(sets(r"(todo)?").is_empty());
        assert!(sets(r"todo|\w+").is_empty(), "one branch requires nothing");
        assert!(sets(r"x*").is_empty());
        assert!(
            sets(r"(?m)^#{1,6}[ \t]+\[").is_empty(),
            "only short strings"
        );
        assert_eq!(sets(r"(abc)+"), [["abc"]]);
        assert_eq!(
            sets(r"^#+[ \t]+(TODO|To-?do)( list)?$"),
            [["to-do", "todo"]],
            "an optional part gives two strings; ` list` after them adds none worth searching"
        );
        assert_eq!(sets(r"(ab){2}"), [["abab"]]);
    }

    #[test]
    fn alternation_of_requirements() {
        assert_eq!(
            sets(r"\[(insert|your)\b[^\]]*\]|<(company|org)_name>"),
            [[
                "<company_name>",
                "<org_name>",
                "[insert",
                "[inſert",
                "[your"
            ]]
        );
    }
}
