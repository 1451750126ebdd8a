//! The config text being read: errors placed at line:column, the checks
//! made before the TOML parser sees the text, and "did you mean" hints.

use std::path::Path;

use super::error::ConfigError;
use crate::position::line_column;

/// Brackets and braces may nest this deep; our settings need two levels,
/// and bounding it keeps a hostile file from exhausting the stack.
const MAX_NESTING: usize = 32;

/// The text being parsed, for turning byte offsets into line:column errors.
pub(super) struct Doc<'a> {
    /// The whole text.
    pub(super) text: &'a str,
    /// The file, for error messages.
    pub(super) path: Option<&'a Path>,
}

impl Doc<'_> {
    /// An error at a byte offset of the text.
    pub(super) fn error(&self, offset: usize, message: impl Into<String>) -> ConfigError {
        let (line, column) = line_column(self.text, offset);
        ConfigError {
            path: self.path.map(Path::to_path_buf),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// Refuses NUL bytes and absurd nesting before the TOML parser sees the
    /// text.
    pub(super) fn check_plain_text(&self) -> Result<(), ConfigError> {
        if let Some(offset) = self.text.find('\0') {
            return Err(self.error(
                offset,
                "the file contains a NUL byte; is it a text file? Save it as plain UTF-8 text",
            ));
        }
        if let Some(offset) = too_deep(self.text.as_bytes(), MAX_NESTING) {
            return Err(self.error(
                offset,
                format!(
                    "arrays or tables nested more than {MAX_NESTING} deep; no setting needs that"
                ),
            ));
        }
        Ok(())
    }
}

/// The offset of the first `[` or `{` nested deeper than `max`, outside
/// strings and comments. A coarse scan: the TOML parser judges the syntax.
fn too_deep(bytes: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'#' => i = skip_until(bytes, i, b"\n"),
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i = skip_string(bytes, i + 3, b"\"\"\"", true)
            }
            b'"' => i = skip_string(bytes, i + 1, b"\"", true),
            b'\'' if bytes[i..].starts_with(b"'''") => i = skip_string(bytes, i + 3, b"'''", false),
            b'\'' => i = skip_string(bytes, i + 1, b"'", false),
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The offset just after the next `end` from `start` (or the end of input).
fn skip_until(bytes: &[u8], start: usize, end: &[u8]) -> usize {
    (start..bytes.len())
        .find(|&i| bytes[i..].starts_with(end))
        .map_or(bytes.len(), |i| i + end.len())
}

/// The offset just after a string's closing delimiter; single-line strings
/// also end at a line break, so one stray quote cannot hide the rest.
fn skip_string(bytes: &[u8], start: usize, close: &[u8], escapes: bool) -> usize {
    let single_line = close.len() == 1;
    let mut i = start;
    while let Some(&byte) = bytes.get(i) {
        if escapes && byte == b'\\' {
            i += 2;
        } else if bytes[i..].starts_with(close) {
            return i + close.len();
        } else if single_line && byte == b'\n' {
            return i;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The candidate closest to a misspelt name, if any is close enough to be
/// the likely intent.
pub(super) fn suggest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Edit distance is quadratic: a long name is no typo of ours.
    if input.len() > 64 {
        return None;
    }
    let folded = input.to_lowercase().replace('-', "_");
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(&folded, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= 1.max(candidate.len() / 3))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}
