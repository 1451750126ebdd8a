//! Reading a folder of articles in parallel.

use std::fmt;
use std::path::{Path, PathBuf};

use super::Library;

/// Settings of a load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Files larger than this many bytes are skipped with a warning.
    pub max_size: u64,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_size: 16 * 1024 * 1024,
            threads: 0,
        }
    }
}

/// The folder itself could not be read (a single file's problem is a
/// [`super::LoadWarning`], never this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The folder.
    pub path: PathBuf,
    /// What went wrong and what to do.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for LoadError {}

/// Loads every article under `root` (recursively) on worker threads.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Library, LoadError> {
    let _ = (root, options);
    todo!("load")
}
