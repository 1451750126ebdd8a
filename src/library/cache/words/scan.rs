//! The words of a text, found 64 bytes at a time: what the word index's
//! builder reads every byte of every text with, at a million articles.
//!
//! A byte-at-a-time split mispredicts a branch at every word's two ends
//! and tests each byte apart. Here each 8 bytes are tested together (SWAR
//! on a `u64`), 64 bytes make one mask of word bytes, and the words' ends
//! are the mask's changes, found with `trailing_zeros`. The result is the
//! same as splitting at every byte that is not [`is_word_byte`]
//! (checked by a proptest).
//!
//! [`is_word_byte`]: super::is_word_byte

/// The high bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// One in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// `b` in every byte.
const fn each(b: u8) -> u64 {
    ONES * b as u64
}

/// For each of the 8 bytes of `chunk` (little-endian: byte `i` is bits
/// `8i..8i+8`), bit `i` of the result is set when it is a word byte: an
/// ASCII letter or digit, or any byte from 0x80 on.
fn word_bits(chunk: u64) -> u64 {
    // The low seven bits of each byte: below 0x80, so no test below
    // borrows from or carries into the next byte.
    let low = chunk & !HIGH;
    // With the high bit set, taking `lo` keeps it when the byte is at
    // least `lo`; `hi + 0x80` less the byte keeps it when at most `hi`.
    let at_least = |lo: u8| (low | HIGH).wrapping_sub(each(lo)) & HIGH;
    let at_most = |value: u64, hi: u8| each(hi + 0x80).wrapping_sub(value) & HIGH;
    let digit = at_least(b'0') & at_most(low, b'9');
    // Upper-case letters folded onto lower-case ones: the same range.
    let lower = low | each(0x20);
    let letter = ((lower | HIGH).wrapping_sub(each(b'a')) & HIGH) & at_most(lower, b'z');
    let word = (chunk & HIGH) | digit | letter;
    // The high bit of byte `i` (bit 8i + 7) lands on bit 56 + i, and no
    // two products meet: the eight flags gathered in the top byte.
    word.wrapping_mul(0x0002_0408_1020_4081) >> 56
}

/// The mask of word bytes of `bytes` (at most 64): bit `i` for byte `i`;
/// bits past the end are clear.
fn mask_of(bytes: &[u8]) -> u64 {
    let mut mask = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    let mut shift = 0;
    for chunk in chunks.by_ref() {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        mask |= word_bits(u64::from_le_bytes(eight)) << shift;
        shift += 8;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut eight = [0u8; 8];
        eight[..rest.len()].copy_from_slice(rest);
        // The zeros after the end are not word bytes.
        mask |= word_bits(u64::from_le_bytes(eight)) << shift;
    }
    mask
}

/// Calls `found(start, end)` for each maximal run of word bytes in
/// `text`, in order: `text[start..end]` is the word.
pub(super) fn for_each_word(text: &[u8], mut found: impl FnMut(usize, usize)) {
    // Where the word being read started, while in one.
    let mut start: Option<usize> = None;
    for (n, piece) in text.chunks(64).enumerate() {
        let base = n * 64;
        let bits = mask_of(piece);
        // Lanes past the end of a short last piece are clear: a word there
        // ends at the text's end, as it should.
        let mut from = 0u32;
        while from < 64 {
            // In a word, the next change is the next clear bit; between
            // words, the next set one.
            let changes = if start.is_some() { !bits } else { bits };
            let ahead = changes & (u64::MAX << from);
            if ahead == 0 {
                break;
            }
            let at = ahead.trailing_zeros();
            match start.take() {
                Some(begun) => found(begun, base + at as usize),
                None => start = Some(base + at as usize),
            }
            from = at + 1;
        }
    }
    if let Some(begun) = start {
        found(begun, text.len());
    }
}

/// The first eight bytes of `text[start..end]` as one little-endian
/// number, zeros after a shorter word's end; and the next eight the same
/// way (zero for a word of at most eight bytes).
pub(super) fn key_of(text: &[u8], start: usize, end: usize) -> (u64, u64) {
    (
        eight_at(text, start, end),
        eight_at(text, start.saturating_add(8), end),
    )
}

/// The bytes of `text[at..end]`, at most eight of them, as a
/// little-endian number with zeros after them.
fn eight_at(text: &[u8], at: usize, end: usize) -> u64 {
    if at >= end {
        return 0;
    }
    let len = end - at;
    if let Some(eight) = text.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        let all = u64::from_le_bytes(*eight);
        return if len >= 8 {
            all
        } else {
            all & ((1u64 << (8 * len)) - 1)
        };
    }
    // Near the text's end: byte by byte.
    text.get(at..end)
        .unwrap_or(&[])
        .iter()
        .take(8)
        .rev()
        .fold(0u64, |key, &byte| (key << 8) | u64::from(byte))
}

#[cfg(test)]
mod tests {
    use super::super::{is_word_byte, runs};
    use super::*;
    use proptest::prelude::*;

    fn words_of(text: &[u8]) -> Vec<&[u8]> {
        let mut words = Vec::new();
        for_each_word(text, |start, end| words.push(&text[start..end]));
        words
    }

    #[test]
    fn every_byte_is_told_as_the_byte_rule_tells_it() {
        for b in 0..=255u8 {
            let chunk = u64::from_le_bytes([b, b' ', b, b'-', 0x80, b, 0, b]);
            let bits = word_bits(chunk);
            for (i, &byte) in chunk.to_le_bytes().iter().enumerate() {
                assert_eq!(
                    bits >> i & 1 == 1,
                    is_word_byte(byte),
                    "byte {byte:#x} at {i}"
                );
            }
            assert_eq!(bits >> 8, 0);
        }
    }

    #[test]
    fn words_across_the_pieces_and_at_the_ends_are_whole() {
        let long = "x".repeat(150);
        let text = format!("{long} a.b  {long}");
        let words = words_of(text.as_bytes());
        assert_eq!(words, vec![long.as_bytes(), b"a", b"b", long.as_bytes()]);
        assert!(words_of(b"").is_empty());
        assert!(words_of(b" ,. ").is_empty());
        assert_eq!(words_of("café".as_bytes()), vec!["café".as_bytes()]);
    }

    proptest! {
        #[test]
        fn the_words_are_those_of_splitting_at_every_other_byte(
            text in proptest::collection::vec(
                prop_oneof![Just(b' '), Just(b'a'), Just(b'Z'), Just(b'9'), Just(b'-'), Just(0xc3u8), any::<u8>()],
                0..300,
            )
        ) {
            let expected: Vec<&[u8]> = runs(&text).collect();
            prop_assert_eq!(words_of(&text), expected);
        }

        #[test]
        fn a_key_is_the_first_sixteen_bytes_zero_padded(
            text in proptest::collection::vec(any::<u8>(), 0..40),
            cut in any::<(usize, usize)>(),
        ) {
            let start = cut.0 % (text.len() + 1);
            let end = start + cut.1 % (text.len() - start + 1);
            let mut padded = [0u8; 16];
            let word = &text[start..end];
            let n = word.len().min(16);
            padded[..n].copy_from_slice(&word[..n]);
            let (first, second) = key_of(&text, start, end);
            prop_assert_eq!(&first.to_le_bytes()[..], &padded[..8]);
            prop_assert_eq!(&second.to_le_bytes()[..], &padded[8..]);
        }
    }
}
