//! GitHub's heading anchors: lower-cased, punctuation dropped, spaces to hyphens, repeats numbered.

use std::collections::HashMap;

/// The anchor GitHub derives from a heading's text, before de-duplication.
pub fn github_slug(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        // Most headings: no allocation for lower-casing, no Unicode tables.
        let mut slug = String::with_capacity(text.len());
        for b in text.bytes() {
            match b {
                b' ' => slug.push('-'),
                b'-' | b'_' => slug.push(b as char),
                b if b.is_ascii_alphanumeric() => slug.push(b.to_ascii_lowercase() as char),
                _ => {}
            }
        }
        return slug;
    }
    // Lower-cased as a whole string, as GitHub does: a final sigma stays final.
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            // Combining marks belong to the letter before them.
            c if is_mark(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Hands out unique slugs in document order, as GitHub does: `a`, `a-1`, `a-2`.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    pub fn slug(&mut self, text: &str) -> String {
        let base = github_slug(text);
        let mut candidate = base.clone();
        while let Some(count) = self.seen.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}-{count}");
            if !self.seen.contains_key(&candidate) {
                break;
            }
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_case() {
        assert_eq!(github_slug("What's New?"), "whats-new");
        assert_eq!(
            github_slug("Roles & Responsibilities"),
            "roles--responsibilities"
        );
        assert_eq!(github_slug("Step 1: Fork_it"), "step-1-fork_it");
        assert_eq!(github_slug("Über Café"), "über-café");
        assert_eq!(github_slug("C++ 🚀 Guide"), "c--guide");
    }

    #[test]
    fn repeated_headings_are_numbered() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Usage"), "usage");
        assert_eq!(s.slug("Usage"), "usage-1");
        assert_eq!(s.slug("Usage"), "usage-2");
        assert_eq!(s.slug("Usage 1"), "usage-1-1");
    }
}
