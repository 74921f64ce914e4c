//! YAML (`---`) and TOML (`+++`) front matter at the top of a document.

use std::ops::Range;

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// The whole block, delimiters included.
    pub span: Range<usize>,
    /// The parsed mapping; `Value::Null` when it did not parse.
    pub value: Value,
    pub error: Option<String>,
}

impl FrontMatter {
    pub fn detect(text: &str) -> Option<FrontMatter> {
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
                let (value, error) = if is_toml {
                    match toml::from_str::<Value>(body) {
                        Ok(v) => (v, None),
                        Err(e) => (Value::Null, Some(e.message().to_string())),
                    }
                } else {
                    match serde_norway::from_str::<Value>(body) {
                        Ok(v) => (v, None),
                        Err(e) => (Value::Null, Some(e.to_string())),
                    }
                };
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
