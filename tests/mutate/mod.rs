//! Seeded random mutation for the bounded fuzz runs in `cargo test` (for machines without the
//! nightly toolchain `fuzz/` needs): the same cases on every machine, no crate needed.
//! `PROPTEST_CASES` sets the number of cases; a failing case prints its seed and input.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// xorshift64*.
pub struct Rng(pub u64);

impl Rng {
    /// The generator of case `case`: each case can be rerun alone from its number.
    pub fn for_case(case: usize) -> Rng {
        Rng(0x9e37_79b9_7f4a_7c15 ^ case as u64)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `PROPTEST_CASES`, or `default`.
pub fn cases(default: usize) -> usize {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The files under `dir` (sorted, recursively) that `wanted` accepts, smaller than 64 KiB.
pub fn files(dir: &Path, wanted: impl Fn(&Path) -> bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if wanted(&path) {
                if let Ok(bytes) = std::fs::read(&path) {
                    if bytes.len() < 64 * 1024 {
                        out.push((path.to_string_lossy().into_owned(), bytes));
                    }
                }
            }
        }
    }
    out
}

/// `bytes` with up to eight edits: a token of `tokens` inserted up to 40 times, a byte changed, a
/// run deleted, or a piece of the input copied elsewhere.
pub fn mutate(rng: &mut Rng, mut bytes: Vec<u8>, tokens: &[&str]) -> Vec<u8> {
    for _ in 0..=rng.below(8) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 => {
                let token = tokens[rng.below(tokens.len())].as_bytes();
                let times = 1 + rng.below(40);
                for _ in 0..times {
                    bytes.splice(at..at, token.iter().copied());
                }
            }
            1 if at < bytes.len() => bytes[at] = rng.next() as u8,
            2 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let from = rng.below(bytes.len() + 1);
                let end = (from + rng.below(256)).min(bytes.len());
                let piece = bytes[from..end].to_vec();
                bytes.splice(at..at, piece);
            }
        }
    }
    bytes
}

/// The first 400 bytes of `input`, for a failure message.
pub fn shown(input: &[u8]) -> String {
    String::from_utf8_lossy(&input[..input.len().min(400)]).into_owned()
}
