//! Bytes to text: BOMs, UTF-16, invalid UTF-8, line endings, binary detection.

use super::Rejected;

/// Decodes a file's bytes to text: strips a UTF-8 BOM, decodes UTF-16 (LE or
/// BE) when it starts with a BOM, decodes invalid UTF-8 lossily, turns CRLF
/// into LF, and rejects binary files (NUL bytes in UTF-8 text).
pub fn decode(bytes: &[u8]) -> Result<String, Rejected> {
    let _ = bytes;
    todo!("decode")
}
