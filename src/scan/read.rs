//! Opening the files of a repository under check. Every byte of it is untrusted: a file may be a
//! FIFO that blocks whoever opens it, a link to `/dev/zero` that never ends, a link out of the
//! repository to what CI keeps beside it. Every file of a repository is opened here, the same way:
//! regular files only (links resolved, and only while they stay inside the repository), opened
//! without blocking, and read no further than a size cap, whatever the file's metadata says.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// Why a file of a repository was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Nothing there, or a link leaving the repository: the two look the same from inside, so that
    /// a plugin cannot learn which files exist outside.
    NotFound,
    /// A link, or a path with `..`, that leaves the repository.
    Outside,
    /// Not a regular file: what it is, in words (`a FIFO (named pipe)`).
    NotRegular(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(io::ErrorKind),
}

impl ReadError {
    /// Why the file was skipped, for a note.
    pub fn describe(&self) -> String {
        match self {
            ReadError::NotFound => "not read: no such file".to_string(),
            ReadError::Outside => "not read: a symlink that points outside the repository".to_string(),
            ReadError::NotRegular(what) => format!("not read: it is {what}, not a regular file"),
            ReadError::TooLarge { size, limit } => format!(
                "skipped: {size} bytes is over the size limit of {limit} bytes (`max_file_size` in ospolint.toml)"
            ),
            ReadError::Io(kind) => format!("skipped: could not be read ({kind})"),
        }
    }
}

/// A repository's root, resolved once when a link first needs it.
#[derive(Debug)]
pub struct RepoRoot {
    root: PathBuf,
    canonical: OnceLock<Option<PathBuf>>,
}

impl RepoRoot {
    pub fn new(root: &Path) -> RepoRoot {
        RepoRoot {
            root: root.to_path_buf(),
            canonical: OnceLock::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The root with its links resolved; only links need it, and few repositories have any.
    pub fn canonical(&self) -> Option<&Path> {
        self.canonical
            .get_or_init(|| self.root.canonicalize().ok())
            .as_deref()
    }

    /// Opens a file the walk indexed. Its folders are real folders inside the repository (the
    /// walk never enters a linked folder), so only its last component may be a link, and the
    /// common case costs one `open` and one `fstat`.
    pub fn open_walked(&self, rel: &str) -> Result<(File, u64), ReadError> {
        let path = self.root.join(rel);
        match open_no_follow(&path) {
            Err(err) if is_link_error(&err) => self.open_resolved(&path),
            opened => checked(opened),
        }
    }

    /// Opens a path named by the repository itself (its configuration, a plugin's `repo:read`):
    /// any of its components may be a link, and none may lead out. What it names is looked at
    /// before it is opened.
    pub fn open_named(&self, rel: &str) -> Result<(File, u64), ReadError> {
        let rel = Path::new(rel);
        if rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(ReadError::Outside);
        }
        self.open_resolved(&self.root.join(rel))
    }

    /// Reads a walked file whole, up to `limit` bytes.
    pub fn read_walked(&self, rel: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let (file, size) = self.open_walked(rel)?;
        read_capped(file, size, limit)
    }

    /// Reads a named file whole, up to `limit` bytes.
    pub fn read_named(&self, rel: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let (file, size) = self.open_named(rel)?;
        read_capped(file, size, limit)
    }

    /// Resolves every link in `path`, refuses a target outside the repository, and opens the
    /// target without following a link again (one swapped in since is refused, not followed).
    fn open_resolved(&self, path: &Path) -> Result<(File, u64), ReadError> {
        let target = path.canonicalize().map_err(|err| match err.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            kind => ReadError::Io(kind),
        })?;
        let root = self.canonical().ok_or(ReadError::NotFound)?;
        if !target.starts_with(root) {
            return Err(ReadError::Outside);
        }
        // What the link points at is looked at before it is opened: opening a device may do
        // something.
        let meta = std::fs::symlink_metadata(&target).map_err(|err| ReadError::Io(err.kind()))?;
        if !meta.is_file() {
            return Err(ReadError::NotRegular(file_type_name(&meta.file_type())));
        }
        checked(open_no_follow(&target))
    }
}

/// Reads a file outside any repository's confinement (a git folder a worktree points at), the
/// same way otherwise: regular files only, without blocking, up to `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        kind => ReadError::Io(kind),
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(file_type_name(&meta.file_type())));
    }
    let (file, size) = checked(open_options().open(path))?;
    read_capped(file, size, limit)
}

/// The content of an opened file, refused past `limit`: the size from `fstat` is only a hint,
/// as a file may grow while it is read.
pub fn read_capped(file: File, size: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| ReadError::Io(err.kind()))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn open_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading waits for a writer; without blocking it returns at once,
        // and `fstat` then tells what it is.
        options.custom_flags(libc::O_NONBLOCK);
    }
    options
}

fn open_no_follow(path: &Path) -> io::Result<File> {
    let mut options = open_options();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Whether opening failed because the last component is a link (`O_NOFOLLOW`).
fn is_link_error(err: &io::Error) -> bool {
    #[cfg(unix)]
    {
        err.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}

/// The file, if it is a regular one, with its size.
fn checked(opened: io::Result<File>) -> Result<(File, u64), ReadError> {
    let file = opened.map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        kind => ReadError::Io(kind),
    })?;
    let meta = file.metadata().map_err(|err| ReadError::Io(err.kind()))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(file_type_name(&meta.file_type())));
    }
    Ok((file, meta.len()))
}

/// What a file that is not a regular file is, in words.
pub fn file_type_name(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    if kind.is_symlink() {
        return "a symlink";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, RepoRoot) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = RepoRoot::new(&dir.path().join("q"));
        std::fs::create_dir_all(root.path().join("docs")).expect("mkdir");
        std::fs::write(root.path().join("README.md"), "# T\n").expect("write");
        std::fs::write(dir.path().join("secret.txt"), "TOKEN=x\n").expect("write");
        (dir, root)
    }

    #[test]
    fn regular_files_and_links_inside_are_read() {
        let (_dir, root) = repo();
        std::os::unix::fs::symlink("../README.md", root.path().join("docs/index.md")).unwrap();
        assert_eq!(root.read_walked("README.md", 100).unwrap(), b"# T\n");
        assert_eq!(root.read_walked("docs/index.md", 100).unwrap(), b"# T\n");
        assert_eq!(root.read_named("docs/index.md", 100).unwrap(), b"# T\n");
        assert_eq!(
            root.read_walked("README.md", 3),
            Err(ReadError::TooLarge { size: 4, limit: 3 })
        );
    }

    #[test]
    fn fifos_devices_and_links_out_are_refused_without_blocking() {
        let (dir, root) = repo();
        let fifo = root.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        std::os::unix::fs::symlink("pipe", root.path().join("README2.md")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.path().join(".gitignore")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.path().join("up")).unwrap();
        let fifo_error = ReadError::NotRegular("a FIFO (named pipe)");
        assert_eq!(root.read_walked("pipe", 100), Err(fifo_error.clone()));
        assert_eq!(root.read_walked("README2.md", 100), Err(fifo_error));
        assert_eq!(root.read_walked(".gitignore", 100), Err(ReadError::Outside));
        assert_eq!(
            root.read_named("up/secret.txt", 100),
            Err(ReadError::Outside)
        );
        assert_eq!(
            root.read_named("../secret.txt", 100),
            Err(ReadError::Outside)
        );
        assert_eq!(root.read_named("/etc/passwd", 100), Err(ReadError::Outside));
        assert_eq!(
            root.read_named("up/missing.txt", 100),
            Err(ReadError::NotFound)
        );
    }
}
