//! Fingerprints that identify a finding across unrelated edits: the rule, the file, the finding's
//! line with whitespace normalised, and which occurrence of that same line it is. Line numbers are
//! left out on purpose, so a line inserted above a finding does not make it new.

use std::collections::HashMap;

use crate::finding::Finding;

/// One fingerprint per finding, in the order given: 16 hexadecimal digits.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let keys: Vec<String> = findings.iter().map(key).collect();
    // Occurrences are counted in report order, whatever order the caller keeps its findings in.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| findings[a].sort_key().cmp(&findings[b].sort_key()));
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut out = vec![String::new(); findings.len()];
    for i in order {
        let occurrence = seen.entry(keys[i].as_str()).or_insert(0);
        out[i] = format!(
            "{:016x}",
            fnv1a(format!("{}\u{0}{occurrence}", keys[i]).as_bytes())
        );
        *occurrence += 1;
    }
    out
}

/// What identifies a finding, short of its occurrence: a finding on a line is known by the line's
/// content; one about a whole file or the repository by its message.
fn key(finding: &Finding) -> String {
    let content = match &finding.location.source_line {
        Some(line) if finding.location.line.is_some() => normalise(line),
        _ => normalise(&finding.message),
    };
    format!(
        "{}\u{0}{}\u{0}{}",
        finding.rule,
        finding.location.path.as_deref().unwrap_or(""),
        content
    )
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
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
                source_line: Some(text.to_string()),
            },
            message: "placeholder".to_string(),
            help: None,
            gap: false,
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
    fn hash_matches_the_published_fnv1a_vectors() {
        // A fingerprint written to a baseline must mean the same thing to every later version.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
