//! Errors in the user's files (configuration, rule packs, plugins), pointing at the offending line.

use std::ops::Range;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::de::DeserializeOwned;
use thiserror::Error;

/// Writes a line to standard error, as `eprintln!` does without its panic: a closed stderr
/// (`ospolint ... 2>&1 | head`) loses the message, not the run or its exit code.
pub fn eprint_line(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let line = line.to_string();
    let line = crate::printable::escape_all_but_colour(&line);
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// An error located in a file the user wrote. Exit code 2.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(ospolint::invalid_file))]
pub struct SourceError {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl SourceError {
    pub fn new(
        name: &str,
        text: &str,
        message: impl Into<String>,
        span: Option<Range<usize>>,
    ) -> SourceError {
        SourceError {
            message: message.into(),
            source_code: NamedSource::new(name, text.to_string()).with_language("toml"),
            span: span.map(|r| {
                SourceSpan::from(r.start..r.end.max(r.start + 1).min(text.len().max(r.start)))
            }),
            label: "here".to_string(),
            help: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> SourceError {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> SourceError {
        self.help = Some(help.into());
        self
    }
}

/// Compiles a glob written in a configuration file (`glob` is `pattern` as it is matched); a bad one
/// is an error at its place in the file.
pub fn compile_glob(
    name: &str,
    text: &str,
    pattern: &toml::Spanned<String>,
    glob: &str,
    literal_separator: bool,
) -> Result<globset::Glob, SourceError> {
    globset::GlobBuilder::new(glob)
        .literal_separator(literal_separator)
        .build()
        .map_err(|err| {
            SourceError::new(
                name,
                text,
                format!("{name}: invalid glob `{}`", pattern.get_ref()),
                Some(pattern.span()),
            )
            .with_label(err.kind().to_string())
        })
}

/// Parses TOML into `T`; errors carry the span toml reports and, for unknown keys, a "did you mean".
pub fn parse_toml<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, SourceError> {
    toml::from_str(text).map_err(|err| {
        let message = err.message().trim().to_string();
        let help = did_you_mean_field(&message);
        let (headline, label) = match message.split_once(", expected") {
            Some((head, rest)) if head.starts_with("unknown field") => {
                (head.to_string(), format!("expected{rest}"))
            }
            // The headline carries the whole message; the label under the value, its last clause.
            _ => {
                let label = message.rsplit(": ").next().unwrap_or(&message).to_string();
                (message.clone(), label)
            }
        };
        let error = SourceError::new(name, text, format!("{name}: {headline}"), err.span())
            .with_label(label);
        match help {
            Some(help) => error.with_help(help),
            None => error,
        }
    })
}

/// serde words unknown keys as "unknown field `x`, expected one of `a`, `b`": suggest the closest.
fn did_you_mean_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (given, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    suggest(given, candidates.iter().copied()).map(|s| format!("did you mean `{s}`?"))
}

/// The candidate closest to `given`, if it is close enough to be a likely typo.
pub fn suggest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(suggest("profle", ["profile", "rules"]), Some("profile"));
        assert_eq!(suggest("zzz", ["profile", "rules"]), None);
    }

    #[test]
    fn unknown_field_gets_a_suggestion() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct C {
            profile: Option<String>,
        }
        let err = parse_toml::<C>("x.toml", "profle = \"ospo\"\n").unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `profile`?"));
        assert!(err.span.is_some());
    }
}
