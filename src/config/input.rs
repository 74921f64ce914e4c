//! Reading the files that configure a run: `ospolint.toml`, rule packs, plugins and baselines.
//! They come from the repository under check as often as from the user, so each is read the same
//! way: a regular file only (a FIFO would block, `/dev/zero` never ends, a directory is a
//! mistake), bounded before it is read and parsed (parsers take time and memory in proportion to
//! their input, some more), UTF-8, and without a byte order mark.

use std::fmt;
use std::path::Path;

use crate::scan::read::{file_type_name, read_capped, ReadError};

/// What a file is read as: names it in messages and sets its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Config,
    RulePack,
    Plugin,
    Baseline,
}

/// The largest configuration, rule pack or plugin file read: ten thousand exemptions or rules
/// fit in it several times over.
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;
/// The largest baseline read: about 250,000 accepted findings.
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

impl InputKind {
    /// What the file was expected to be, for messages.
    pub fn expected(self) -> &'static str {
        match self {
            InputKind::Config => "a TOML configuration file (ospolint.toml)",
            InputKind::RulePack => "a TOML rule pack",
            InputKind::Plugin => "a Lua plugin file",
            InputKind::Baseline => "a JSON baseline file",
        }
    }

    pub fn limit(self) -> u64 {
        match self {
            InputKind::Baseline => MAX_BASELINE_BYTES,
            _ => MAX_SOURCE_BYTES,
        }
    }
}

/// Why a file could not be read, as a sentence that names the path, says what it is and what was
/// expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// Checks that `path` is a regular file, following symbolic links, without opening it.
pub fn expect_file(path: &Path, kind: InputKind) -> Result<std::fs::Metadata, InputError> {
    let shown = path.display();
    let expected = kind.expected();
    let meta = std::fs::metadata(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => {
            InputError(format!("{shown}: no such file (expected {expected})"))
        }
        _ => InputError(format!("{shown}: cannot read it: {err}")),
    })?;
    if meta.is_file() {
        return Ok(meta);
    }
    Err(InputError(format!(
        "{shown} is {}, not a regular file: expected {expected}",
        file_type_name(&meta.file_type())
    )))
}

/// The text of the file at `path`, read as `kind`: see the module comment.
pub fn read_input(path: &Path, kind: InputKind) -> Result<String, InputError> {
    let shown = path.display();
    // Checked before opening: opening a FIFO waits for a writer.
    let meta = expect_file(path, kind)?;
    let limit = kind.limit();
    let too_large = |size: u64| {
        InputError(format!(
            "{shown} is {size} bytes; {} are limited to {} bytes",
            plural(kind),
            limit
        ))
    };
    let file = std::fs::File::open(path)
        .map_err(|err| InputError(format!("{shown}: cannot read it: {err}")))?;
    let bytes = read_capped(file, meta.len(), limit).map_err(|err| match err {
        ReadError::TooLarge { size, .. } => too_large(size),
        ReadError::Io(kind) => InputError(format!("{shown}: cannot read it: {kind}")),
        other => InputError(format!("{shown}: {}", other.describe())),
    })?;
    let mut text = String::from_utf8(bytes).map_err(|err| {
        InputError(format!(
            "{shown} is not UTF-8 text (invalid byte at offset {}): expected {}",
            err.utf8_error().valid_up_to(),
            kind.expected()
        ))
    })?;
    // Editors on Windows write one; TOML and JSON parsers refuse it.
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

fn plural(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Config => "configuration files",
        InputKind::RulePack => "rule packs",
        InputKind::Plugin => "plugin files",
        InputKind::Baseline => "baselines",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_named_for_what_they_are() {
        let dir = tempfile::tempdir().expect("tempdir");
        let error = read_input(dir.path(), InputKind::Config).unwrap_err().0;
        assert!(
            error
                .contains("is a directory, not a regular file: expected a TOML configuration file"),
            "{error}"
        );
        #[cfg(unix)]
        {
            let error = read_input(Path::new("/dev/null"), InputKind::Baseline)
                .unwrap_err()
                .0;
            assert!(error.contains("/dev/null is a character device"), "{error}");
        }
        let missing = dir.path().join("missing.toml");
        let error = read_input(&missing, InputKind::RulePack).unwrap_err().0;
        assert!(
            error.contains("no such file (expected a TOML rule pack)"),
            "{error}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped_and_sizes_are_bounded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ospolint.toml");
        std::fs::write(&path, "\u{feff}profile = \"ospo\"\n").expect("write");
        assert_eq!(
            read_input(&path, InputKind::Config).unwrap(),
            "profile = \"ospo\"\n"
        );
        std::fs::write(&path, vec![b'#'; MAX_SOURCE_BYTES as usize + 1]).expect("write");
        let error = read_input(&path, InputKind::Config).unwrap_err().0;
        assert!(
            error.contains("configuration files are limited to 1048576 bytes"),
            "{error}"
        );
        std::fs::write(&path, b"a = \"\xff\"").expect("write");
        let error = read_input(&path, InputKind::Config).unwrap_err().0;
        assert!(
            error.contains("is not UTF-8 text (invalid byte at offset 5)"),
            "{error}"
        );
    }
}
