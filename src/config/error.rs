//! [`ConfigError`]: a config file that cannot be used, with its place.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::article::sanitize::{escape_unprintable, sanitize_line};

/// A config file that cannot be used, with the place and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The config file, when there is one.
    pub path: Option<PathBuf>,
    /// Line, from 1.
    pub line: Option<usize>,
    /// Column in characters, from 1.
    pub column: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for ConfigError {
    /// `<path>:<line>:<col>: <message>`, leaving out the parts not known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(path) = &self.path {
            // A path can hold anything, escapes included.
            place.push(sanitize_line(&path.to_string_lossy()));
        }
        if let Some(line) = self.line {
            place.push(line.to_string());
            if let Some(column) = self.column {
                place.push(column.to_string());
            }
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(":"))?;
        }
        f.write_str(&escape_unprintable(&self.message))
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// An error about a file as a whole.
    pub(crate) fn file(path: Option<&Path>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: path.map(Path::to_path_buf),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}
