//! Files ospolint writes (reports named by `--output`, baselines, `ospolint init`'s
//! configuration): written whole to a temporary file beside the target and renamed over it, so a
//! reader, an interrupted run (SIGINT, SIGTERM) or a second writer never sees half a file, and a
//! link at the target is replaced, never written through.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes `path` with what `write` produces. A target that exists and is not a regular file (a
/// terminal, `/dev/stdout`, a FIFO a reader waits on) is a stream, written in place: it cannot
/// be replaced, and there is no half-written file to leave.
pub fn replace(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            let mut out = BufWriter::new(OpenOptions::new().write(true).open(path)?);
            write(&mut out)?;
            return out.flush();
        }
    }
    let (temporary, file) = create_temporary(path)?;
    let written = (|| {
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.into_inner()
            .map_err(|err| err.into_error())?
            .sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        std::fs::remove_file(&temporary).ok();
    }
    written
}

/// Creates `path` as a new file and writes it: fails when anything is there already, a dangling
/// link included (`O_EXCL`), so nothing is created through a link.
pub fn create_new(path: &Path, text: &str) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if written.is_err() {
        std::fs::remove_file(path).ok();
    }
    written
}

/// A new file beside `path`, named after it and this process, created exclusively.
fn create_temporary(path: &Path) -> io::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let mut attempt = 0u32;
    loop {
        let temporary_name = format!(
            ".{}.{}-{attempt}.tmp",
            name.to_string_lossy(),
            std::process::id()
        );
        let temporary = match dir {
            Some(dir) => dir.join(temporary_name),
            None => PathBuf::from(temporary_name),
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(err) => return Err(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.sarif");
        std::fs::write(&path, "old").unwrap();
        let failed = replace(&path, |out: &mut dyn Write| {
            out.write_all(b"half")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        replace(&path, |out: &mut dyn Write| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let link = dir.path().join("ospolint.toml");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(create_new(&link, "x").is_err());
        let dangling = dir.path().join("dangling.toml");
        std::os::unix::fs::symlink(dir.path().join("new.txt"), &dangling).unwrap();
        assert!(create_new(&dangling, "x").is_err());
        assert!(!dir.path().join("new.txt").exists());
        replace(&link, |out: &mut dyn Write| out.write_all(b"report")).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");
    }
}
