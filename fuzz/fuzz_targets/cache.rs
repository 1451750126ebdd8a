//! The cache's `summaries.bin`, `texts.bin` and `words.bin` readers on
//! arbitrary file contents, through a real mapped file: opening never
//! panics, and a file that opens yields rows (or texts and blocks, or words
//! and candidate blocks) whose every accessor never panics. The first input
//! byte picks the mode: odd, the rest gets a correct checksum first, so the
//! header checks and the validation pass behind the checksum are what the
//! bytes meet; with bit 2 set, the bytes are opened as a `words.bin`, else
//! with bit 1 set as a `texts.bin`, else as a `summaries.bin`.
#![no_main]

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use broadsheet::library::cache::{
    Candidates, SUMMARIES_FILE, SummaryFile, TEXTS_FILE, TextFile, WORDS_FILE, WordIndex,
};
use libfuzzer_sys::fuzz_target;

/// One temp folder per fuzzing process, reused by every input.
fn folder() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        tempfile::Builder::new()
            .prefix("broadsheet-fuzz-cache")
            .tempdir()
            .unwrap_or_else(|err| panic!("no temp folder: {err}"))
    })
    .path()
}

/// The little-endian u64 at `at`, 0 past the end.
fn u64_at(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// The little-endian u32 at `at`, 0 past the end.
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

/// Sets a `texts.bin`'s checksum field (bytes 56..64) to the xxh3-64 of the
/// header before it and of the offsets and block-sum tables that its count
/// and block count describe, as the writer does.
fn reseal_texts(file: &mut [u8]) {
    if file.len() < 64 {
        return;
    }
    let count = u32_at(file, 32) as usize;
    let blocks = u32_at(file, 36) as usize;
    let text_at = (count + 1)
        .checked_mul(8)
        .and_then(|n| n.checked_add(blocks.checked_mul(8)?))
        .and_then(|n| n.checked_add(64))
        .map_or(file.len(), |at| at.min(file.len()));
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&file[..56]);
    hasher.update(&file[64..text_at]);
    let sum = hasher.digest().to_le_bytes();
    file[56..64].copy_from_slice(&sum);
}

/// Opens `bytes` as a `texts.bin` and reads every text and block.
fn texts(mut bytes: Vec<u8>, seal: bool) {
    if seal {
        reseal_texts(&mut bytes);
    }
    let path = folder().join(TEXTS_FILE);
    let _ = fs::remove_file(&path);
    fs::write(&path, &bytes).unwrap_or_else(|err| panic!("cannot write {path:?}: {err}"));
    // The generation the file carries, so a file is not stopped there.
    let generation = u64_at(&bytes, 24);
    match TextFile::open(&path, generation) {
        Err(err) => {
            let line = err.to_string();
            assert!(!line.contains('\n'), "error on two lines: {line:?}");
        }
        Ok(file) => {
            for i in 0..file.len() {
                let _ = file.text(i);
            }
            assert!(file.text(file.len()).is_none());
            assert_eq!(file.blocks(), file.len().div_ceil(256));
            for block in 0..file.blocks() {
                let _ = file.block_ok(block);
                assert!(file.block_bytes(block).is_some());
            }
            assert!(!file.block_ok(file.blocks()));
        }
    }
}

/// Opens `bytes` as a `words.bin`, reads every word and its blocks, and
/// asks for the candidate blocks of a few queries, some of them made of the
/// file's own words.
fn words(mut bytes: Vec<u8>, seal: bool) {
    if seal && bytes.len() >= 64 {
        // The whole file but the checksum field (bytes 56..64).
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&bytes[..56]);
        hasher.update(&bytes[64..]);
        let sum = hasher.digest().to_le_bytes();
        bytes[56..64].copy_from_slice(&sum);
    }
    let path = folder().join(WORDS_FILE);
    let _ = fs::remove_file(&path);
    fs::write(&path, &bytes).unwrap_or_else(|err| panic!("cannot write {path:?}: {err}"));
    let generation = u64_at(&bytes, 24);
    match WordIndex::open(&path, generation) {
        Err(err) => {
            let line = err.to_string();
            assert!(!line.contains('\n'), "error on two lines: {line:?}");
        }
        Ok(index) => {
            let mut queries = vec!["a".to_string(), "x y".to_string(), ".".to_string()];
            for i in 0..index.len() {
                let word = index
                    .word(i)
                    .unwrap_or_else(|| panic!("word {i} missing"));
                if i < 8 {
                    queries.push(word.to_string());
                    queries.push(word.chars().skip(1).collect());
                }
                for block in index.word_blocks(i) {
                    assert!((block as usize) < index.blocks());
                }
            }
            assert!(index.word(index.len()).is_none());
            for query in &queries {
                if let Candidates::Blocks(list) = index.candidate_blocks(query) {
                    assert!(list.windows(2).all(|w| w[0] < w[1]));
                    assert!(list.iter().all(|&b| (b as usize) < index.blocks()));
                }
            }
        }
    }
}

/// Sets the checksum field (bytes 120..128) to the xxh3-64 of the rest of
/// the file, as the writer does.
fn reseal(file: &mut [u8]) {
    if file.len() < 128 {
        return;
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&file[..120]);
    hasher.update(&file[128..]);
    let sum = hasher.digest().to_le_bytes();
    file[120..128].copy_from_slice(&sum);
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = rest.to_vec();
    if mode & 4 != 0 {
        words(bytes, mode % 2 == 1);
        return;
    }
    if mode & 2 != 0 {
        texts(bytes, mode % 2 == 1);
        return;
    }
    if mode % 2 == 1 {
        reseal(&mut bytes);
    }
    let path = folder().join(SUMMARIES_FILE);
    // A new file each time (removed, not rewritten): the previous input's
    // map is gone by now, but the rule is never to rewrite a cache file.
    let _ = fs::remove_file(&path);
    fs::write(&path, &bytes).unwrap_or_else(|err| panic!("cannot write {path:?}: {err}"));
    // The folder key the file carries, so a file is not stopped there.
    let key = u64_at(&bytes, 56);
    match SummaryFile::open(&path, key) {
        Err(err) => {
            let line = err.to_string();
            assert!(!line.contains('\n'), "error on two lines: {line:?}");
        }
        Ok(file) => {
            let _ = file.header();
            let _ = file.term_spellings().count();
            assert_eq!(file.rows().len(), file.len());
            for position in 0..file.len() {
                let row = file
                    .row(position)
                    .unwrap_or_else(|| panic!("row {position} missing"));
                let _ = (row.id(), row.title(), row.author(), row.source(), row.url());
                let _ = (row.date(), row.clock(), row.words(), row.term_bits(), row.stat_key());
                let _ = (row.path_bytes(), row.id_bytes());
                let _ = row.varied_terms(true).chain(row.varied_terms(false)).count();
                assert_eq!(row.tags().count(), row.tags().len());
                assert_eq!(row.categories().count(), row.categories().len());
            }
            assert!(file.row(file.len()).is_none());
        }
    }
});
