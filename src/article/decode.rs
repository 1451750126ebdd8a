//! Bytes to text: BOMs, UTF-16, invalid UTF-8, line endings, binary detection.

use std::borrow::Cow;

use super::model::Rejected;

/// The byte order mark of UTF-8 files written by some Windows editors.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// The byte order mark that starts little-endian UTF-16 files.
const UTF16_LE_BOM: &[u8] = b"\xFF\xFE";
/// The byte order mark that starts big-endian UTF-16 files.
const UTF16_BE_BOM: &[u8] = b"\xFE\xFF";

/// Decodes a file's bytes to text: strips a UTF-8 BOM, decodes UTF-16 (LE or
/// BE) when it starts with a BOM, decodes invalid UTF-8 lossily, turns CRLF
/// into LF, and rejects binary files (NUL bytes in UTF-8 text).
///
/// UTF-16 is decoded lossily too (an unpaired surrogate becomes U+FFFD) and an
/// odd trailing byte is dropped. A bare CR is kept: the sanitizer removes it,
/// so a lone CR never starts a new line.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, Rejected> {
    if let Some(rest) = bytes.strip_prefix(UTF16_LE_BOM) {
        return Ok(Cow::Owned(crlf_to_lf(decode_utf16(
            rest,
            u16::from_le_bytes,
        ))));
    }
    if let Some(rest) = bytes.strip_prefix(UTF16_BE_BOM) {
        return Ok(Cow::Owned(crlf_to_lf(decode_utf16(
            rest,
            u16::from_be_bytes,
        ))));
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    // Text files never hold NUL; binary files (images, archives) nearly always do.
    // `memchr` looks at 16 or 32 bytes a step where `contains` looks at
    // one word: every file of a first index passes through here.
    if memchr::memchr(0, bytes).is_some() {
        return Err(Rejected::Binary);
    }
    // `str::from_utf8` checks ASCII a word at a time; the lossy decoder
    // is only needed when the text is not valid.
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => crlf_to_lf_borrowed(text),
        Err(_) => Cow::Owned(crlf_to_lf(String::from_utf8_lossy(bytes).into_owned())),
    })
}

/// Decodes UTF-16 code units read with `unit` (LE or BE), replacing unpaired
/// surrogates with U+FFFD and ignoring an odd trailing byte.
fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let (pairs, _odd_byte) = bytes.as_chunks::<2>();
    char::decode_utf16(pairs.iter().map(|pair| unit(*pair)))
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Whether `text` has a CRLF: most texts have no `\r` at all, which
/// `memchr` finds out 16 or 32 bytes a step.
fn has_crlf(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) == Some(&b'\n'))
}

/// Turns CRLF into LF, borrowing the text when it has none.
fn crlf_to_lf_borrowed(text: &str) -> Cow<'_, str> {
    if has_crlf(text) {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Turns CRLF into LF in owned text, reusing it when there is no CRLF.
fn crlf_to_lf(text: String) -> String {
    if has_crlf(text.as_str()) {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_is_returned_as_is() {
        assert_eq!(
            decode("Grüße, 世界\n".as_bytes()),
            Ok("Grüße, 世界\n".into())
        );
    }

    #[test]
    fn empty_input_is_empty_text() {
        assert_eq!(decode(b""), Ok("".into()));
    }

    #[test]
    fn utf8_bom_is_stripped() {
        assert_eq!(decode(b"\xEF\xBB\xBFtitle"), Ok("title".into()));
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        assert_eq!(decode(b"caf\xE9 ok"), Ok("caf\u{FFFD} ok".into()));
    }

    #[test]
    fn crlf_becomes_lf_but_bare_cr_stays() {
        assert_eq!(decode(b"a\r\nb\rc\r\n"), Ok("a\nb\rc\n".into()));
    }

    #[test]
    fn crlf_is_converted_in_invalid_utf8_too() {
        assert_eq!(decode(b"\xFFa\r\nb"), Ok("\u{FFFD}a\nb".into()));
    }

    #[test]
    fn nul_byte_means_binary() {
        assert_eq!(decode(b"PNG\0\0data"), Err(Rejected::Binary));
        assert_eq!(decode(b"\xEF\xBB\xBF\0"), Err(Rejected::Binary));
    }

    #[test]
    fn utf16_le_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Hé\r\n🎬".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes), Ok("Hé\n🎬".into()));
    }

    #[test]
    fn utf16_be_with_bom_is_decoded() {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in "News".encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(&bytes), Ok("News".into()));
    }

    #[test]
    fn utf16_odd_trailing_byte_is_dropped() {
        assert_eq!(decode(b"\xFF\xFEA\0B"), Ok("A".into()));
    }

    #[test]
    fn utf16_unpaired_surrogate_becomes_replacement_character() {
        // 0xD800 alone, then 'x'.
        assert_eq!(decode(b"\xFF\xFE\x00\xD8x\0"), Ok("\u{FFFD}x".into()));
    }

    #[test]
    fn utf16_may_hold_nul_units_without_being_rejected() {
        assert_eq!(decode(b"\xFF\xFEa\0\0\0"), Ok("a\0".into()));
    }
}
