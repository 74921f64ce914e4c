//! Fingerprints that identify a finding across unrelated edits: the rule, the file, the finding's
//! line with whitespace normalised, and which occurrence of that same line it is. Line numbers are
//! left out on purpose, so a line inserted above a finding does not make it new.

use std::collections::HashMap;

use crate::finding::Finding;

/// One fingerprint per finding, in the order given: 16 hexadecimal digits.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let keys: Vec<u64> = findings.iter().map(key).collect();
    // Occurrences are counted in report order, whatever order the caller keeps its findings in.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| findings[a].sort_key().cmp(&findings[b].sort_key()));
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let mut out = vec![String::new(); findings.len()];
    for i in order {
        let occurrence = seen.entry(keys[i]).or_insert(0);
        let mut hash = Fnv(keys[i]);
        hash.write(format!("\u{0}{occurrence}").as_bytes());
        out[i] = format!("{:016x}", hash.0);
        *occurrence += 1;
    }
    out
}

/// What a fingerprint knows of a finding on a line: the rule, the file and the line's content
/// with whitespace normalised, hashed. Taken when the finding is made, so the line itself need not
/// be kept.
pub fn line_key(rule: &str, path: &str, line: &str) -> u64 {
    let mut hash = prefix(rule, path);
    normalised_into(&mut hash, line);
    hash.0
}

/// What identifies a finding, short of its occurrence: a finding on a line is known by the line's
/// content; one about a whole file or the repository by its message.
fn key(finding: &Finding) -> u64 {
    match finding.location.line_key {
        Some(key) if finding.location.line.is_some() => key,
        _ => {
            let path = finding.location.path.as_deref().unwrap_or("");
            let mut hash = prefix(&finding.rule, path);
            normalised_into(&mut hash, &finding.message);
            hash.0
        }
    }
}

fn prefix(rule: &str, path: &str) -> Fnv {
    let mut hash = Fnv::new();
    hash.write(rule.as_bytes());
    hash.write(b"\0");
    hash.write(path.as_bytes());
    hash.write(b"\0");
    hash
}

/// Feeds `text` with runs of whitespace as one space and none at either end.
fn normalised_into(hash: &mut Fnv, text: &str) {
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            hash.write(b" ");
        }
        hash.write(word.as_bytes());
    }
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike `DefaultHasher`. Fed in
/// pieces, it gives what the pieces joined would.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::new();
    hash.write(bytes);
    hash.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Severity};
    use crate::maturity::{Petal, Stage};

    fn at(line: u32, text: &str) -> Finding {
        Finding {
            rule: "hygiene/placeholder-text".to_string(),
            severity: Severity::Warning,
            petal: Petal::Any,
            stage: Stage::Awareness,
            location: Location {
                path: Some("README.md".to_string()),
                line: Some(line),
                column: Some(1),
                width: None,
                excerpt: None,
                line_key: Some(line_key("hygiene/placeholder-text", "README.md", text)),
            },
            message: "placeholder".to_string(),
            help: None,
            gap: false,
            summed_up: None,
        }
    }

    #[test]
    fn moving_a_line_keeps_its_fingerprint() {
        let before = fingerprints(&[at(3, "TODO  write this"), at(9, "TODO write this")]);
        let after = fingerprints(&[at(4, "TODO write this "), at(10, "TODO write this")]);
        assert_eq!(before, after);
        assert_ne!(
            before[0], before[1],
            "repeated lines are told apart by occurrence"
        );
    }

    #[test]
    fn fingerprints_are_those_of_the_whole_line() {
        // Fingerprints written before findings kept a key of the line rather than the line:
        // the rule, the file and the normalised line, joined, then the occurrence.
        let printed = fingerprints(&[at(3, "  TODO   write this ")]);
        let joined = "hygiene/placeholder-text\u{0}README.md\u{0}TODO write this\u{0}0";
        assert_eq!(printed, [format!("{:016x}", fnv1a(joined.as_bytes()))]);
    }

    #[test]
    fn hash_matches_the_published_fnv1a_vectors() {
        // A fingerprint written to a baseline must mean the same thing to every later version.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
