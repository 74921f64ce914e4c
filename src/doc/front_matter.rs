//! YAML (`---`) and TOML (`+++`) front matter at the top of a document.

use std::ops::Range;

use serde_json::Value;

/// The largest front matter parsed: metadata is a few lines, and the YAML parser's time grows
/// faster than its input on some shapes.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;
/// The deepest nesting of flow collections (`{…}`, `[…]`) parsed: `{a: {a: …` a hundred
/// thousand deep took the YAML parser over 20 seconds.
pub const MAX_FRONT_MATTER_DEPTH: usize = 32;

/// The block's value, or why it was not parsed: too large or nested too deep (checked first,
/// in one pass over the bytes), or what the parser said.
fn parse(body: &str, is_toml: bool) -> (Value, Option<String>) {
    if body.len() > MAX_FRONT_MATTER {
        return (
            Value::Null,
            Some(format!(
                "it is {} bytes, over the limit of {MAX_FRONT_MATTER} bytes, and was not parsed",
                body.len()
            )),
        );
    }
    let mut depth = 0usize;
    for b in body.bytes() {
        match b {
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_FRONT_MATTER_DEPTH {
                    return (
                        Value::Null,
                        Some(format!(
                            "its brackets nest deeper than {MAX_FRONT_MATTER_DEPTH} levels, and it was not parsed"
                        )),
                    );
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let parsed = if is_toml {
        toml::from_str::<Value>(body).map_err(|e| e.message().to_string())
    } else {
        serde_norway::from_str::<Value>(body).map_err(|e| e.to_string())
    };
    match parsed {
        Ok(v) => (v, None),
        Err(e) => (Value::Null, Some(e)),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// The whole block, delimiters included.
    pub span: Range<usize>,
    /// The parsed mapping; `Value::Null` when it did not parse.
    pub value: Value,
    pub error: Option<String>,
}

impl FrontMatter {
    /// The front matter at the top of `text`: a delimited YAML or TOML block, or failing that a
    /// dashed metadata block that a Markdown parser would take for a Setext heading.
    pub fn detect(text: &str) -> Option<FrontMatter> {
        FrontMatter::delimited(text).or_else(|| FrontMatter::dashed_metadata(text))
    }

    fn delimited(text: &str) -> Option<FrontMatter> {
        let (delimiter, is_toml) = if text.starts_with("---") {
            ("---", false)
        } else if text.starts_with("+++") {
            ("+++", true)
        } else {
            return None;
        };
        let first_line_end = text.find('\n')?;
        if text[..first_line_end].trim_end() != delimiter {
            return None;
        }
        let body_start = first_line_end + 1;
        let mut at = body_start;
        while at < text.len() {
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            let line = text[at..end].trim_end();
            if line == delimiter || (!is_toml && line == "...") {
                let body = &text[body_start..at];
                let span_end = (end + 1).min(text.len());
                let (value, error) = parse(body, is_toml);
                return Some(FrontMatter {
                    span: 0..span_end,
                    value,
                    error,
                });
            }
            at = end + 1;
        }
        None
    }

    /// `key: value` lines closed by a `---` line, after blank lines only and with an opening line
    /// of dashes that is not the exact `---` the delimited form wants (`--`, `----`, or `---` after
    /// a blank line); without an opening line, two `key: value` lines at least, so that a lone
    /// "Note: …" underlined with dashes stays a heading. Rendered, such a block is a heading made of
    /// metadata; every site generator that reads it reads it as front matter.
    fn dashed_metadata(text: &str) -> Option<FrontMatter> {
        // Most documents open with a title or prose: their first line settles it.
        let opening = text.lines().map(str::trim_end).find(|l| !l.is_empty())?;
        let dashes = opening.len() >= 2 && opening.bytes().all(|b| b == b'-');
        if !(dashes || is_metadata_key(opening)) {
            return None;
        }
        let mut lines = Vec::new();
        let mut at = 0;
        while at < text.len() && lines.len() < 64 {
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            lines.push((at, end, text[at..end].trim_end()));
            at = end + 1;
        }
        let first = lines.iter().position(|(_, _, l)| !l.is_empty())?;
        let opened = {
            let l = lines[first].2;
            l.len() >= 2 && l.bytes().all(|b| b == b'-')
        };
        let body_from = if opened { first + 1 } else { first };
        let mut keys = 0;
        for (i, &(start, end, line)) in lines.iter().enumerate().skip(body_from) {
            if line == "---" && keys >= if opened { 1 } else { 2 } {
                let body = &text[lines[body_from].0.min(start)..start];
                let (value, error) = parse(body, false);
                let span_end = (end + 1).min(text.len());
                return Some(FrontMatter {
                    span: 0..span_end,
                    value,
                    error,
                });
            }
            if is_metadata_key(line) {
                keys += 1;
            } else if !(line.starts_with([' ', '\t', '-', '#']) || (opened && line.is_empty()))
                || i == body_from
            {
                // Neither a key, a list item, a continuation nor a comment (and the block opens
                // with a key): prose, not metadata.
                return None;
            }
        }
        None
    }

    /// A top-level key, matched case-insensitively.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.value
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// The line (1-based, within the document) of a top-level key, for pointing findings at it.
    pub fn key_line(&self, text: &str, key: &str) -> Option<u32> {
        text[self.span.clone()]
            .lines()
            .position(|line| {
                line.split_once(':')
                    .or_else(|| line.split_once('='))
                    .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(key))
            })
            .map(|i| i as u32 + 1)
    }
}

/// `name: value` or `name:` with a short identifier-like name, as YAML front matter writes keys.
fn is_metadata_key(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    (rest.is_empty() || rest.starts_with([' ', '\t']))
        && (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
