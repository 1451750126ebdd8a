//! [`FileError`]: a file that could not be read or written, and what to do.

use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A file could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file concerned.
    pub path: PathBuf,
    /// What went wrong and what to do about it.
    pub message: String,
}

impl FileError {
    /// An error about `path`.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        FileError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl Error for FileError {}

/// A [`FileError`] for a failed file operation (`action`: "read", "create
/// its folder /x"…) that says what to do.
pub fn io_error(path: &Path, action: &str, err: &io::Error) -> FileError {
    let advice = match err.kind() {
        io::ErrorKind::IsADirectory => {
            "a folder is in the way: move it away or choose another path".to_string()
        }
        io::ErrorKind::NotADirectory => {
            "a part of the path is a file, not a folder: choose another path".to_string()
        }
        io::ErrorKind::PermissionDenied => {
            "permission denied: make the folder writable or choose another path".to_string()
        }
        io::ErrorKind::ReadOnlyFilesystem => {
            "the file system is read-only: choose another path".to_string()
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "the disk is full: free some space and try again".to_string()
        }
        _ => format!("{err}: check the path and its folder"),
    };
    FileError::new(path, format!("cannot {action}: {advice}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_say_what_to_do() {
        let err = io::Error::from(io::ErrorKind::IsADirectory);
        let shown = io_error(Path::new("/x/bookmarks.toml"), "read", &err).to_string();
        assert_eq!(
            shown,
            "/x/bookmarks.toml: cannot read: a folder is in the way: move it away or choose another path"
        );
    }
}
