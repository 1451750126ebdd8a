//! [`CliError`]: what ends a command with exit code 1, and the error of a
//! failed write of the output (a closed pipe is no error).

use std::io;

/// A failure that ends a command with exit code 1. The message is shown
/// after `broadsheet: error: ` and says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CliError(pub String);

impl CliError {
    /// An error with this message.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        CliError(message.into())
    }

    /// Whether this is the output's reader going away
    /// (`broadsheet list | head`), which is not an error.
    pub(crate) fn is_broken_pipe(&self) -> bool {
        self.0 == BROKEN_PIPE
    }
}

impl<E: std::fmt::Display> From<E> for CliError
where
    E: std::error::Error,
{
    fn from(error: E) -> Self {
        CliError(error.to_string())
    }
}

/// The message of a write into a closed pipe: no text a command prints.
const BROKEN_PIPE: &str = "\u{0}broken pipe";

/// The error of a failed write of the output.
pub(crate) fn write_error(error: io::Error) -> CliError {
    if error.kind() == io::ErrorKind::BrokenPipe {
        CliError::new(BROKEN_PIPE)
    } else {
        CliError::new(format!("cannot write the output: {error}"))
    }
}
