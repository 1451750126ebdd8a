//! `texts.bin`'s round trips, its refusal at open of every damaged header,
//! table and text end, the block checks that catch damaged text, and its
//! behaviour while a writer replaces a file that a reader has mapped.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

use super::super::testing::{
    assert_cuts_and_extension_rejected, flips, fresh_file, tempdir, write_file,
};
use super::*;

const GENERATION: u64 = 0x5eed_0000_0000_0042;

fn encoded(texts: &[String]) -> Vec<u8> {
    encode_texts(texts.iter().map(String::as_str), GENERATION)
        .unwrap_or_else(|err| panic!("encode: {err}"))
}

fn open_bytes(dir: &Path, bytes: &[u8]) -> Result<TextFile, CacheError> {
    let path = fresh_file(dir, TEXTS_FILE, bytes);
    TextFile::open(&path, GENERATION)
}

/// Every text, read through `text`.
fn read_all(file: &TextFile) -> Vec<Option<String>> {
    let texts = (0..file.len())
        .map(|i| file.text(i).map(str::to_string))
        .collect();
    assert!(file.text(file.len()).is_none());
    assert!(file.text(usize::MAX).is_none());
    texts
}

/// Whether every block's text matches its checksum.
fn all_blocks_ok(file: &TextFile) -> bool {
    (0..file.blocks()).all(|block| file.block_ok(block))
}

/// A damaged file that opened anyway: reading it must not panic whatever
/// it returns.
fn touch_everything(file: &TextFile) {
    let _ = read_all(file);
    for block in 0..=file.blocks() {
        let _ = (file.block_ok(block), file.block_bytes(block));
    }
    assert!(!file.block_ok(file.blocks()));
    assert!(file.block_bytes(file.blocks()).is_none());
}

/// Recomputes the header checksum so that a changed file passes it, to
/// reach the validation behind it.
fn reseal(bytes: &mut [u8]) {
    let sum = checksum(bytes, tables_at(bytes));
    if let Some(field) = bytes.get_mut(CHECKSUM_AT..HEADER_LEN) {
        field.copy_from_slice(&sum.to_le_bytes());
    }
}

/// Where the tables start: after the header and the text.
fn tables_at(bytes: &[u8]) -> usize {
    HEADER_LEN.saturating_add(u64_at(bytes, 40) as usize)
}

/// The bytes of a file of `texts` written in that order, whose rows' texts
/// are `records`.
fn encoded_ordered(texts: &[String], records: &[u32]) -> Vec<u8> {
    let mut out = io::Cursor::new(Vec::new());
    let written = TextsWriter::new(&mut out, GENERATION).and_then(|mut writer| {
        for text in texts {
            writer.push(text)?;
        }
        writer.finish_ordered(records)
    });
    written.unwrap_or_else(|err| panic!("encode: {err}"));
    out.into_inner()
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_string()).collect()
}

/// Texts of every kind: empty ones, CJK and emoji, one with a NUL of its
/// own.
fn sample_texts() -> Vec<String> {
    owned(&[
        "heartstopper season 3 netflix shares first wave of blooper greatness",
        "",
        "東京の夜 🌃 — a review with emoji 👩‍👩‍👧 and cjk 漢字",
        "",
        "a text with a nul\0inside it",
        "plain text without any nul",
        "\0",
    ])
}

/// More texts than one block holds, so the last block is a short one.
fn many_texts() -> Vec<String> {
    (0..TEXT_BLOCK * 2 + 17)
        .map(|i| match i % 5 {
            0 => String::new(),
            1 => format!("article {i} 日本語 🎬"),
            _ => format!("article number {i} about something"),
        })
        .collect()
}

/// A small file: the proof that every flip and cut is caught.
fn small_texts() -> Vec<String> {
    owned(&["ab", "", "日🎬"])
}

fn some(texts: &[String]) -> Vec<Option<String>> {
    texts.iter().cloned().map(Some).collect()
}

#[test]
fn texts_of_every_kind_round_trip() {
    let dir = tempdir();
    let texts = sample_texts();
    let file = open_bytes(dir.path(), &encoded(&texts)).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(read_all(&file), some(&texts));
    assert_eq!(file.len(), texts.len());
    assert!(!file.is_empty());
    assert_eq!(file.blocks(), 1);
    assert!(file.block_ok(0));
    assert_eq!(file.generation(), GENERATION);
    // The block holds every text followed by its NUL, in order.
    let joined: Vec<u8> = texts.iter().flat_map(|t| t.bytes().chain([0])).collect();
    assert_eq!(file.block_bytes(0), Some(joined.as_slice()));
}

#[test]
fn the_header_is_as_laid_out() {
    let texts = many_texts();
    let bytes = encoded(&texts);
    let text_len: usize = texts.iter().map(|t| t.len() + 1).sum();
    assert_eq!(&bytes[..8], b"bsheetT\0");
    assert_eq!(u32_at(&bytes, 8), FORMAT_VERSION);
    assert_eq!(u32_at(&bytes, 12), 256);
    assert_eq!(u64_at(&bytes, 16), bytes.len() as u64);
    assert_eq!(u64_at(&bytes, 24), GENERATION);
    assert_eq!(u32_at(&bytes, 32) as usize, texts.len());
    assert_eq!(u32_at(&bytes, 36), 3);
    assert_eq!(u64_at(&bytes, 40) as usize, text_len);
    assert_eq!(u32_at(&bytes, 48) as usize, texts.len(), "rows");
    assert_eq!(u32_at(&bytes, 52), 0, "row i's text is text i");
    assert_eq!(
        bytes.len(),
        64 + text_len + (texts.len() + 1) * 8 + 3 * 8,
        "header, text, offsets, block sums"
    );
    // With a rows table: 4 bytes a row after the sums.
    let records: Vec<u32> = (0..texts.len() as u32).rev().collect();
    let ordered = encoded_ordered(&texts, &records);
    assert_eq!(u32_at(&ordered, 52), 1);
    assert_eq!(ordered.len(), bytes.len() + texts.len() * 4);
}

#[test]
fn many_blocks_round_trip_and_check() {
    let dir = tempdir();
    let texts = many_texts();
    let file = open_bytes(dir.path(), &encoded(&texts)).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(read_all(&file), some(&texts));
    assert_eq!(file.blocks(), 3);
    assert!(all_blocks_ok(&file));
    assert!(!file.block_ok(3));
    assert!(!file.block_ok(usize::MAX));
    assert!(file.block_bytes(usize::MAX).is_none());
    // The blocks are the texts 256 at a time, with nothing between them.
    let total: usize = (0..3)
        .map(|b| file.block_bytes(b).map_or(0, <[u8]>::len))
        .sum();
    assert_eq!(total, texts.iter().map(|t| t.len() + 1).sum::<usize>());
    let last: Vec<u8> = texts[512..]
        .iter()
        .flat_map(|t| t.bytes().chain([0]))
        .collect();
    assert_eq!(file.block_bytes(2), Some(last.as_slice()));
}

#[test]
fn an_empty_file_round_trips() {
    let dir = tempdir();
    let file = open_bytes(dir.path(), &encoded(&[])).unwrap_or_else(|err| panic!("{err}"));
    assert!(file.is_empty());
    assert_eq!(file.blocks(), 0);
    assert!(file.text(0).is_none());
    assert!(!file.block_ok(0));
}

#[test]
fn a_missing_file_is_missing() {
    let dir = tempdir();
    let err = TextFile::open(&dir.path().join(TEXTS_FILE), GENERATION).err();
    assert!(err.as_ref().is_some_and(CacheError::is_missing), "{err:?}");
}

#[test]
fn another_generation_is_rejected() {
    let dir = tempdir();
    let path = dir.path().join(TEXTS_FILE);
    write_file(&path, &encoded(&sample_texts()));
    let err = TextFile::open(&path, GENERATION ^ 1).err();
    assert_eq!(
        err.as_ref().map(|e| &e.kind),
        Some(&CacheErrorKind::OtherGeneration {
            expected: GENERATION ^ 1,
            found: GENERATION
        })
    );
    let line = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        line.contains(TEXTS_FILE) && line.contains("another write"),
        "{line}"
    );
}

#[test]
fn newer_and_older_versions_are_rejected() {
    let dir = tempdir();
    for (version, kind) in [
        (
            FORMAT_VERSION + 1,
            CacheErrorKind::NewerVersion(FORMAT_VERSION + 1),
        ),
        (0, CacheErrorKind::OlderVersion(0)),
    ] {
        let mut bytes = encoded(&sample_texts());
        bytes[8..12].copy_from_slice(&version.to_le_bytes());
        reseal(&mut bytes);
        let err = open_bytes(dir.path(), &bytes).err().map(|e| e.kind);
        assert_eq!(err, Some(kind));
    }
}

#[test]
fn errors_are_one_line_naming_the_file() {
    let dir = tempdir();
    let mut bytes = encoded(&sample_texts());
    // A byte of the offsets table: under the header checksum.
    let at = tables_at(&bytes) + 8;
    bytes[at] ^= 0xff;
    let err = open_bytes(dir.path(), &bytes).err();
    assert_eq!(
        err.as_ref().map(|e| &e.kind),
        Some(&CacheErrorKind::ChecksumMismatch)
    );
    let line = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(line.contains(&dir.path().join(TEXTS_FILE).display().to_string()));
    assert!(!line.contains('\n'), "{line}");
    let wrong = open_bytes(dir.path(), b"not a cache file at all, just some text").err();
    assert_eq!(wrong.map(|e| e.kind), Some(CacheErrorKind::WrongMagic));
    // A summaries.bin is not a texts.bin.
    let summaries = open_bytes(dir.path(), b"bsheetS\0 and the rest of a header").err();
    assert_eq!(summaries.map(|e| e.kind), Some(CacheErrorKind::WrongMagic));
}

#[test]
fn every_byte_flip_is_rejected_at_open_or_by_its_block() {
    let dir = tempdir();
    let texts = small_texts();
    for original in [encoded(&texts), encoded_ordered(&texts, &[2, 0, 1, 1])] {
        let text = HEADER_LEN..tables_at(&original);
        for (at, mask, bytes) in flips(&original) {
            match open_bytes(dir.path(), &bytes) {
                Err(err) => assert!(!err.to_string().contains('\n')),
                Ok(file) => {
                    // Only the text is outside the header checksum, and its
                    // block's checksum catches the flip.
                    assert!(text.contains(&at), "flip {mask:#x} at {at} opened");
                    touch_everything(&file);
                    assert!(!all_blocks_ok(&file), "flip {mask:#x} at {at} passed");
                }
            }
        }
    }
}

#[test]
fn a_file_whose_checks_pass_reads_back_its_texts() {
    // Every flip, whether or not the header is resealed after it: a file
    // that opens and whose blocks all check gives the original texts.
    let dir = tempdir();
    let texts = small_texts();
    let original = encoded(&texts);
    let mut opened = 0;
    let flipped = flips(&original).filter(|&(at, ..)| !(CHECKSUM_AT..HEADER_LEN).contains(&at));
    for (at, mask, mut bytes) in flipped {
        reseal(&mut bytes);
        if let Ok(file) = open_bytes(dir.path(), &bytes) {
            opened += 1;
            touch_everything(&file);
            if all_blocks_ok(&file) {
                assert_eq!(read_all(&file), some(&texts), "flip {mask:#x} at {at}");
            }
        }
    }
    // Flips in the text open and are left to the block check; the point
    // is that none of them panicked or read back wrong.
    assert!(opened > 0);
}

#[test]
fn every_truncation_and_extension_is_rejected() {
    let dir = tempdir();
    assert_cuts_and_extension_rejected(&encoded(&small_texts()), |bytes| {
        open_bytes(dir.path(), bytes)
    });
}

#[test]
fn a_bad_offset_is_named_by_its_row() {
    let dir = tempdir();
    let mut bytes = encoded(&small_texts());
    // The offset that ends text 1 ("", so 4), set back to where text 0
    // ends: text 1 would be shorter than its NUL.
    let at = tables_at(&bytes) + 2 * 8;
    bytes[at..at + 8].copy_from_slice(&3u64.to_le_bytes());
    reseal(&mut bytes);
    let err = open_bytes(dir.path(), &bytes).err();
    assert_eq!(
        err.as_ref().map(|e| &e.kind),
        Some(&CacheErrorKind::BadRow {
            row: 1,
            what: "text offset"
        })
    );
    assert!(err.is_some_and(|e| e.to_string().contains("row 1")));
    // Past the end of the text.
    let mut bytes = encoded(&small_texts());
    bytes[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    reseal(&mut bytes);
    let err = open_bytes(dir.path(), &bytes).err().map(|e| e.kind);
    assert_eq!(
        err,
        Some(CacheErrorKind::BadRow {
            row: 1,
            what: "text offset"
        })
    );
}

#[test]
fn rows_read_the_texts_their_table_names() {
    let dir = tempdir();
    let texts = many_texts();
    // Written in another order than the rows': row i's text was written
    // at place 3i mod n (n is prime to 3), one text written twice and
    // named by no row.
    let n = texts.len() as u32;
    let records: Vec<u32> = (0..n).map(|i| i * 3 % n).collect();
    let mut written = vec![String::new(); texts.len()];
    for (row, &record) in records.iter().enumerate() {
        written[record as usize] = texts[row].clone();
    }
    written.push(texts[5].clone());
    let file = open_bytes(dir.path(), &encoded_ordered(&written, &records))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(file.len(), texts.len());
    assert_eq!(file.texts(), texts.len() + 1);
    assert_eq!(read_all(&file), some(&texts));
    assert_eq!(file.record(1), Some(3));
    assert_eq!(file.record(texts.len()), None);
    assert_eq!(file.record_text(texts.len()), Some(texts[5].as_str()));
    assert_eq!(file.blocks(), (texts.len() + 1).div_ceil(TEXT_BLOCK));
    assert!(all_blocks_ok(&file));
}

#[test]
fn a_row_naming_no_text_is_refused() {
    let dir = tempdir();
    let texts = small_texts();
    let mut bytes = encoded_ordered(&texts, &[0, 2, 1]);
    // Row 2 names text 3, past the three there are.
    let at = bytes.len() - 4;
    bytes[at..].copy_from_slice(&3u32.to_le_bytes());
    reseal(&mut bytes);
    let err = open_bytes(dir.path(), &bytes).err().map(|e| e.kind);
    assert_eq!(
        err,
        Some(CacheErrorKind::BadRow {
            row: 2,
            what: "text number"
        })
    );
    // A writer refuses it before it is written.
    let mut out = io::Cursor::new(Vec::new());
    let refused = TextsWriter::new(&mut out, GENERATION).and_then(|mut writer| {
        writer.push("one")?;
        writer.finish_ordered(&[0, 1])
    });
    assert!(refused.is_err());
}

#[test]
fn a_text_without_its_nul_is_not_read() {
    let dir = tempdir();
    let mut bytes = encoded(&small_texts());
    // Text 0 is "ab": its NUL is the third byte of the 12-byte text
    // section, which no checksum at open covers; the read and the block's
    // check do.
    let nul = HEADER_LEN + 2;
    assert_eq!(bytes[nul], 0);
    bytes[nul] = b'c';
    let file = open_bytes(dir.path(), &bytes).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(file.text(0), None, "no text runs into the next");
    assert!(!file.block_ok(0));
    assert_eq!(file.text(1), small_texts().get(1).map(String::as_str));
}

#[test]
fn a_damaged_block_is_caught_and_the_others_pass() {
    let dir = tempdir();
    let texts = many_texts();
    let mut bytes = encoded(&texts);
    // A byte inside a CJK character of text 301 (block 1): the text is no
    // longer UTF-8, and only its block fails.
    let text_at = HEADER_LEN;
    let start: usize = texts[..301].iter().map(|t| t.len() + 1).sum();
    let inside = texts[301].find('日').unwrap_or(0) + 1;
    bytes[text_at + start + inside] = b'x';
    let file = open_bytes(dir.path(), &bytes).unwrap_or_else(|err| panic!("{err}"));
    assert!(file.block_ok(0));
    assert!(!file.block_ok(1));
    assert!(file.block_ok(2));
    assert_eq!(file.text(301), None);
    assert_eq!(file.text(300), Some(texts[300].as_str()));
    touch_everything(&file);
}

#[test]
fn a_reader_keeps_its_texts_while_a_writer_replaces_the_file() {
    let dir = tempdir();
    let cache = dir.path().join("cache-folder");
    let old_texts = many_texts();
    write_texts(&cache, &encoded(&old_texts)).unwrap_or_else(|err| panic!("{err}"));
    let path = cache.join(TEXTS_FILE);
    let old = TextFile::open(&path, GENERATION).unwrap_or_else(|err| panic!("{err}"));

    let new_texts = sample_texts();
    write_texts(&cache, &encoded(&new_texts)).unwrap_or_else(|err| panic!("{err}"));
    let new = TextFile::open(&path, GENERATION).unwrap_or_else(|err| panic!("{err}"));

    assert_eq!(read_all(&old), some(&old_texts));
    assert!(all_blocks_ok(&old));
    assert_eq!(read_all(&new), some(&new_texts));
    // The lock file stays; no temporary file is left behind.
    let mut names: Vec<String> = fs::read_dir(&cache)
        .unwrap_or_else(|err| panic!("{err}"))
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["cache.lock", TEXTS_FILE]);
}

#[test]
fn a_folder_that_cannot_be_made_is_an_error() {
    let dir = tempdir();
    let blocker = dir.path().join("a-file");
    write_file(&blocker, b"");
    let err = write_texts(&blocker.join("cache"), &encoded(&small_texts())).err();
    assert!(
        matches!(
            err.as_ref().map(|e| &e.kind),
            Some(CacheErrorKind::Write(_))
        ),
        "{err:?}"
    );
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,12}",
        "\\PC{0,20}",
        "[a-z\\x00]{0,6}",
        Just(String::new()),
        Just("日本語 🎬".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_texts_round_trip(texts in prop::collection::vec(any_text(), 0..600)) {
        let dir = tempdir();
        let file = open_bytes(dir.path(), &encoded(&texts));
        prop_assert!(file.is_ok(), "{:?}", file.err());
        if let Ok(file) = file {
            prop_assert_eq!(read_all(&file), some(&texts));
            prop_assert_eq!(file.blocks(), texts.len().div_ceil(TEXT_BLOCK));
            prop_assert!(all_blocks_ok(&file));
        }
    }

    #[test]
    fn random_damage_never_panics(
        texts in prop::collection::vec(any_text(), 0..6),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        seal in any::<bool>(),
    ) {
        let dir = tempdir();
        let mut bytes = encoded(&texts);
        for (at, value) in edits {
            let at = at.index(bytes.len());
            bytes[at] = value;
        }
        if seal {
            reseal(&mut bytes);
        }
        if let Ok(file) = open_bytes(dir.path(), &bytes) {
            touch_everything(&file);
            if !seal && all_blocks_ok(&file) {
                prop_assert_eq!(read_all(&file), some(&texts));
            }
        }
    }
}

/// Writes the `texts.bin` seeds of the `cache` fuzz target into
/// `fuzz/corpus/cache/` (a mode byte with bit 1 set, then a file): again
/// after any format change, with
/// `cargo test --lib cache::texts::tests::write_fuzz_seeds -- --ignored`.
#[test]
#[ignore = "writes the fuzz seeds into the source tree"]
fn write_fuzz_seeds() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/cache");
    fs::create_dir_all(&out).unwrap_or_else(|err| panic!("{err}"));
    for (name, texts) in [
        ("texts-sample", sample_texts()),
        ("texts-small", small_texts()),
    ] {
        for mode in [2u8, 3] {
            let mut bytes = vec![mode];
            bytes.extend(encoded(&texts));
            write_file(&out.join(format!("{name}-{mode}.bin")), &bytes);
        }
    }
}
