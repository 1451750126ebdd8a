//! `words.bin`'s round trips, its refusal at open of every damaged header
//! and table, and the query rule's promise: a block that holds a match of
//! the query is never left out.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

use super::super::testing::{
    assert_cuts_and_extension_rejected, flips, fresh_file, tempdir, write_file,
};
use super::*;

const GENERATION: u64 = 0x5eed_0000_0000_0077;

fn encoded(texts: &[String]) -> Vec<u8> {
    encode_words(texts.iter().map(String::as_str), GENERATION)
        .unwrap_or_else(|err| panic!("encode: {err}"))
}

fn open_bytes(dir: &Path, bytes: &[u8]) -> Result<WordIndex, CacheError> {
    let path = fresh_file(dir, WORDS_FILE, bytes);
    WordIndex::open(&path, GENERATION)
}

fn opened(dir: &Path, texts: &[String]) -> WordIndex {
    open_bytes(dir, &encoded(texts)).unwrap_or_else(|err| panic!("{err}"))
}

/// Every word with its blocks, read through the accessors.
fn read_all(index: &WordIndex) -> Vec<(String, Vec<u32>)> {
    let words = (0..index.len())
        .map(|i| {
            let word = index.word(i).map(str::to_string).unwrap_or_default();
            (word, index.word_blocks(i).collect())
        })
        .collect();
    assert!(index.word(index.len()).is_none());
    assert!(index.word(usize::MAX).is_none());
    assert_eq!(index.word_blocks(usize::MAX).count(), 0);
    words
}

/// What the index should hold, computed the plain way.
fn expected(texts: &[String]) -> Vec<(String, Vec<u32>)> {
    let mut words: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for (i, text) in texts.iter().enumerate() {
        let block = (i / WORD_BLOCK) as u32;
        for word in text.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            let list = words.entry(word.to_string()).or_default();
            if list.last() != Some(&block) {
                list.push(block);
            }
        }
    }
    words.into_iter().collect()
}

/// Recomputes the checksum so that a changed file passes it, to reach the
/// validation behind it.
fn reseal(bytes: &mut [u8]) {
    let sum = checksum(bytes);
    if let Some(field) = bytes.get_mut(CHECKSUM_AT..HEADER_LEN) {
        field.copy_from_slice(&sum.to_le_bytes());
    }
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_string()).collect()
}

/// Folded texts of every kind, over three blocks.
fn sample_texts() -> Vec<String> {
    (0..WORD_BLOCK * 2 + 5)
        .map(|i| match i {
            0 => "heartstopper season 3: netflix shares a blooper".to_string(),
            3 => "東京の夜 🌃 — a review with emoji 👩‍👩‍👧 and cjk 漢字".to_string(),
            7 | 8 => String::new(),
            20 => "dunpenmar, a rare made-up name".to_string(),
            33 => "café crème and dunpenmar's return".to_string(),
            _ => format!("article number {i} about something"),
        })
        .collect()
}

/// A small file: the proof that every flip and cut is caught.
fn small_texts() -> Vec<String> {
    owned(&["ab cd", "", "日🎬 ab"])
}

fn blocks(list: &[u32]) -> Candidates {
    Candidates::Blocks(list.to_vec())
}

#[test]
fn words_of_every_kind_round_trip() {
    let dir = tempdir();
    let texts = sample_texts();
    let index = opened(dir.path(), &texts);
    assert_eq!(read_all(&index), expected(&texts));
    assert_eq!(index.blocks(), 3);
    assert_eq!(index.generation(), GENERATION);
    assert!(!index.is_empty());
    assert_eq!(index.path(), dir.path().join(WORDS_FILE));
}

#[test]
fn the_header_is_as_laid_out() {
    let texts = small_texts();
    let bytes = encoded(&texts);
    assert_eq!(&bytes[..8], b"bsheetW\0");
    assert_eq!(u32_at(&bytes, 8), FORMAT_VERSION);
    assert_eq!(u32_at(&bytes, 12), 16);
    assert_eq!(u64_at(&bytes, 16), bytes.len() as u64);
    assert_eq!(u64_at(&bytes, 24), GENERATION);
    // "ab", "cd", "日🎬": sorted by bytes.
    assert_eq!(u32_at(&bytes, 32), 3);
    assert_eq!(u32_at(&bytes, 36), 1);
    let vocab = "ab\ncd\n日🎬\n";
    assert_eq!(u64_at(&bytes, 40) as usize, vocab.len());
    assert_eq!(u64_at(&bytes, 48), 3);
    assert_eq!(&bytes[64..64 + vocab.len()], vocab.as_bytes());
    assert_eq!(
        bytes.len(),
        64 + vocab.len() + 4 * 4 * 2 + 3 * 2 + 3 * 2,
        "header, vocabulary, two tables, u16 postings, u16 masks"
    );
    assert_eq!(u64_at(&bytes, CHECKSUM_AT), checksum(&bytes));
}

#[test]
fn more_than_65535_blocks_store_u32_block_numbers() {
    let dir = tempdir();
    let mut builder = WordIndexBuilder::new();
    for i in 0..(MAX_U16_BLOCKS + 1) * WORD_BLOCK {
        builder.push(if i % WORD_BLOCK == 0 { "w" } else { "" });
    }
    builder.push("tail w");
    assert_eq!(builder.len(), (MAX_U16_BLOCKS + 1) * WORD_BLOCK + 1);
    let bytes = builder
        .encode(GENERATION)
        .unwrap_or_else(|err| panic!("{err}"));
    let index = open_bytes(dir.path(), &bytes).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(index.blocks(), MAX_U16_BLOCKS + 2);
    let all: Vec<u32> = (0..=MAX_U16_BLOCKS as u32 + 1).collect();
    assert_eq!(index.word_blocks(1).collect::<Vec<_>>(), all);
    assert_eq!(index.candidate_blocks("tail"), blocks(&[65_536]));
    assert_eq!(index.candidate_blocks("w"), Candidates::Blocks(all));
}

#[test]
fn queries_narrow_to_the_blocks_whose_words_hold_every_run() {
    let dir = tempdir();
    let index = opened(dir.path(), &sample_texts());
    // A rare word, whole or in part, in block 1 and block 2.
    assert_eq!(index.candidate_blocks("dunpenmar"), blocks(&[1, 2]));
    assert_eq!(index.candidate_blocks("penma"), blocks(&[1, 2]));
    // Two runs: both must be in a word of the block.
    assert_eq!(index.candidate_blocks("dunpenmar's ret"), blocks(&[2]));
    assert_eq!(index.candidate_blocks("r, a rare"), blocks(&[1]));
    assert_eq!(
        index.candidate_blocks("heartstopper dunpenmar"),
        blocks(&[])
    );
    // Non-ASCII runs, whole words or inside one.
    assert_eq!(index.candidate_blocks("京の"), blocks(&[0]));
    assert_eq!(index.candidate_blocks("é"), blocks(&[2]));
    assert_eq!(index.candidate_blocks("🌃"), blocks(&[0]));
    // Common words are everywhere; absent ones nowhere.
    assert_eq!(index.candidate_blocks("number"), blocks(&[0, 1, 2]));
    assert_eq!(index.candidate_blocks("qqxzj"), blocks(&[]));
    assert_eq!(index.candidate_blocks("qqxzj number"), blocks(&[]));
    // No run of word bytes: no narrowing.
    for query in ["", " ", ": -", "'", "\n"] {
        assert_eq!(index.candidate_blocks(query), Candidates::All, "{query:?}");
    }
    assert!(Candidates::All.includes(u32::MAX));
    assert!(blocks(&[1, 2]).includes(2));
    assert!(!blocks(&[1, 2]).includes(0));
}

#[test]
fn an_empty_index_round_trips_and_holds_nothing() {
    let dir = tempdir();
    let index = opened(dir.path(), &[]);
    assert!(index.is_empty());
    assert_eq!(index.blocks(), 0);
    assert!(index.word(0).is_none());
    assert_eq!(index.candidate_blocks("x"), blocks(&[]));
    assert_eq!(index.candidate_blocks("."), Candidates::All);
    // Texts without a word: blocks, but no vocabulary.
    let index = opened(dir.path(), &owned(&["", " - ", "..."]));
    assert!(index.is_empty());
    assert_eq!(index.blocks(), 1);
    assert_eq!(index.candidate_blocks("a"), blocks(&[]));
}

#[test]
fn a_missing_file_is_missing() {
    let dir = tempdir();
    let err = WordIndex::open(&dir.path().join(WORDS_FILE), GENERATION).err();
    assert!(err.as_ref().is_some_and(CacheError::is_missing), "{err:?}");
}

#[test]
fn another_generation_is_rejected() {
    let dir = tempdir();
    let path = dir.path().join(WORDS_FILE);
    write_file(&path, &encoded(&sample_texts()));
    let err = WordIndex::open(&path, GENERATION ^ 1).err();
    assert_eq!(
        err.as_ref().map(|e| &e.kind),
        Some(&CacheErrorKind::OtherGeneration {
            expected: GENERATION ^ 1,
            found: GENERATION
        })
    );
    let line = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        line.contains(WORDS_FILE) && line.contains("another write"),
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
    // A byte of a posting, at the very end: under the whole-file checksum.
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    let err = open_bytes(dir.path(), &bytes).err();
    assert_eq!(
        err.as_ref().map(|e| &e.kind),
        Some(&CacheErrorKind::ChecksumMismatch)
    );
    let line = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(line.contains(&dir.path().join(WORDS_FILE).display().to_string()));
    assert!(!line.contains('\n'), "{line}");
    let wrong = open_bytes(dir.path(), b"not a cache file at all, just some text").err();
    assert_eq!(wrong.map(|e| e.kind), Some(CacheErrorKind::WrongMagic));
    // A texts.bin is not a words.bin.
    let texts = open_bytes(dir.path(), b"bsheetT\0 and the rest of a header").err();
    assert_eq!(texts.map(|e| e.kind), Some(CacheErrorKind::WrongMagic));
}

/// A damaged file that opened anyway: reading and querying it must not
/// panic whatever it returns, and block numbers stay below `blocks`.
fn touch_everything(index: &WordIndex) {
    let _ = read_all(index);
    for query in ["a", "ab", "日", "🎬", "x y", "", "."] {
        if let Candidates::Blocks(list) = index.candidate_blocks(query) {
            assert!(list.windows(2).all(|w| w[0] < w[1]));
            assert!(list.iter().all(|&b| (b as usize) < index.blocks()));
        }
        if let Some(set) = index.exact_articles(query) {
            assert!(set.len() <= index.blocks() * WORD_BLOCK);
        }
    }
}

#[test]
fn every_byte_flip_is_rejected_or_harmless() {
    let dir = tempdir();
    let texts = small_texts();
    let original = encoded(&texts);
    let want = expected(&texts);
    for (at, mask, bytes) in flips(&original) {
        match open_bytes(dir.path(), &bytes) {
            Err(err) => assert!(!err.to_string().contains('\n')),
            Ok(index) => {
                // The whole file is under the checksum: nothing opens.
                touch_everything(&index);
                panic!("flip {mask:#x} at {at} opened");
            }
        }
    }
    // Resealed after the flip, so the validation is what the bytes meet: a
    // file that opens reads back the original words or is harmless.
    let mut opened = 0;
    let masks_at = original.len() - 2 * u64_at(&original, 48) as usize;
    let flipped = flips(&original).filter(|&(at, ..)| !(CHECKSUM_AT..HEADER_LEN).contains(&at));
    for (at, mask, mut bytes) in flipped {
        reseal(&mut bytes);
        if let Ok(index) = open_bytes(dir.path(), &bytes) {
            opened += 1;
            touch_everything(&index);
            // Only the block count can change and leave every word
            // and its blocks as they were (more blocks, which no word
            // is in, are harmless to a search), or a mask, which says
            // other articles of the same block: in bounds either way.
            if read_all(&index) == want {
                assert!(
                    (36..40).contains(&at) || at >= masks_at,
                    "flip {mask:#x} at {at}"
                );
            }
        }
    }
    // Flips that keep a valid index (another word of word bytes in the
    // same order) open; the point is that none of them panicked, and that
    // none read back the original words unless only the block count grew.
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
fn damaged_tables_are_named() {
    let dir = tempdir();
    let texts = small_texts();
    // Layout of small_texts: vocabulary "ab\ncd\n日🎬\n" (14 bytes), then
    // word starts 0, 3, 6, 14, post starts 0, 1, 2, 3, postings 0, 0, 0.
    let vocab_len = 14;
    let starts_at = HEADER_LEN + vocab_len;
    let posts_at = starts_at + 16;
    let postings_at = posts_at + 16;
    // Each case: a byte set to a value, and what the open says.
    let cases: Vec<(usize, u8, CacheErrorKind)> = vec![
        (
            HEADER_LEN,
            b'd',
            CacheErrorKind::BadRow {
                row: 1,
                what: "word order",
            },
        ),
        (
            HEADER_LEN + 1,
            b'-',
            CacheErrorKind::BadRow {
                row: 0,
                what: "word",
            },
        ),
        (
            HEADER_LEN + 7,
            b'x',
            CacheErrorKind::BadLayout("vocabulary"),
        ),
        (
            starts_at + 4,
            2,
            CacheErrorKind::BadRow {
                row: 0,
                what: "word",
            },
        ),
        (
            starts_at + 8,
            3,
            CacheErrorKind::BadRow {
                row: 1,
                what: "word start",
            },
        ),
        (
            posts_at + 8,
            1,
            CacheErrorKind::BadRow {
                row: 1,
                what: "posting start",
            },
        ),
        (
            postings_at + 2,
            1,
            CacheErrorKind::BadRow {
                row: 1,
                what: "posting",
            },
        ),
        (12, 17, CacheErrorKind::BadLayout("block size")),
        (32, 4, CacheErrorKind::BadLayout("section sizes")),
    ];
    for (n, (at, value, kind)) in cases.into_iter().enumerate() {
        let mut bytes = encoded(&texts);
        bytes[at] = value;
        reseal(&mut bytes);
        let err = open_bytes(dir.path(), &bytes).err().map(|e| e.kind);
        assert_eq!(err, Some(kind), "case {n}");
    }
}

#[test]
fn a_reader_keeps_its_index_while_a_writer_replaces_the_file() {
    let dir = tempdir();
    let cache = dir.path().join("cache-folder");
    let old_texts = sample_texts();
    write_words(&cache, &encoded(&old_texts)).unwrap_or_else(|err| panic!("{err}"));
    let path = cache.join(WORDS_FILE);
    let old = WordIndex::open(&path, GENERATION).unwrap_or_else(|err| panic!("{err}"));

    let new_texts = small_texts();
    write_words(&cache, &encoded(&new_texts)).unwrap_or_else(|err| panic!("{err}"));
    let new = WordIndex::open(&path, GENERATION).unwrap_or_else(|err| panic!("{err}"));

    assert_eq!(read_all(&old), expected(&old_texts));
    assert_eq!(old.candidate_blocks("dunpenmar"), blocks(&[1, 2]));
    assert_eq!(read_all(&new), expected(&new_texts));
    let mut names: Vec<String> = fs::read_dir(&cache)
        .unwrap_or_else(|err| panic!("{err}"))
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["cache.lock", WORDS_FILE]);
}

#[test]
fn a_folder_that_cannot_be_made_is_an_error() {
    let dir = tempdir();
    let blocker = dir.path().join("a-file");
    write_file(&blocker, b"");
    let err = write_words(&blocker.join("cache"), &encoded(&small_texts())).err();
    assert!(
        matches!(
            err.as_ref().map(|e| &e.kind),
            Some(CacheErrorKind::Write(_))
        ),
        "{err:?}"
    );
}

/// Pieces of folded text from a small alphabet, so that words and their
/// substrings collide across articles; with punctuation, spaces, newlines,
/// and non-ASCII letters, CJK and emoji.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "b",
        "ab",
        "ba",
        "1",
        "é",
        "e",
        "日本",
        "本",
        "日",
        "🎬",
        "👩‍👧",
        " ",
        " ",
        ".",
        "-",
        "'",
        "\n",
        ", ",
    ])
}

fn folded_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat())
}

/// A query: part of one of the texts (chosen by the caller from the two
/// indices, by characters), or a string of the same pieces.
fn query_strategy() -> impl Strategy<Value = (bool, prop::sample::Index, usize, usize, String)> {
    (
        any::<bool>(),
        any::<prop::sample::Index>(),
        0usize..16,
        1usize..10,
        folded_text(),
    )
}

fn substring_of(text: &str, start: usize, len: usize) -> String {
    text.chars().skip(start).take(len).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_block_holding_a_match_is_left_out(
        texts in prop::collection::vec(folded_text(), 0..70),
        queries in prop::collection::vec(query_strategy(), 1..12),
    ) {
        let dir = tempdir();
        let index = opened(dir.path(), &texts);
        prop_assert_eq!(read_all(&index), expected(&texts));
        prop_assert_eq!(index.blocks(), texts.len().div_ceil(WORD_BLOCK));
        for (from_text, which, start, len, random) in queries {
            let query = if from_text && !texts.is_empty() {
                substring_of(&texts[which.index(texts.len())], start, len)
            } else {
                random
            };
            let candidates = index.candidate_blocks(&query);
            if let Candidates::Blocks(list) = &candidates {
                prop_assert!(list.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(list.iter().all(|&b| (b as usize) < index.blocks()));
            } else {
                prop_assert!(!query.bytes().any(is_word_byte), "{:?}", query);
            }
            for (i, text) in texts.iter().enumerate() {
                if text.contains(query.as_str()) {
                    prop_assert!(
                        candidates.includes((i / WORD_BLOCK) as u32),
                        "query {:?} matches text {} ({:?}) but got {:?}",
                        query, i, text, candidates
                    );
                }
            }
            // One run of word bytes: the index alone says exactly which
            // texts hold it; any other query is left to the texts.
            let one_run = !query.is_empty() && query.bytes().all(is_word_byte);
            match index.exact_articles(&query) {
                Some(set) => {
                    prop_assert!(one_run, "{:?}", query);
                    for (i, text) in texts.iter().enumerate() {
                        prop_assert_eq!(
                            set.contains(i),
                            text.contains(query.as_str()),
                            "query {:?}, text {} ({:?})", query, i, text
                        );
                    }
                    let holding = texts.iter().filter(|t| t.contains(query.as_str())).count();
                    prop_assert_eq!(set.len(), holding);
                }
                None => prop_assert!(!one_run, "{:?}", query),
            }
        }
    }

    #[test]
    fn random_damage_never_panics(
        texts in prop::collection::vec(folded_text(), 0..40),
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
        if let Ok(index) = open_bytes(dir.path(), &bytes) {
            touch_everything(&index);
        }
    }
}

/// The index of the 100,000-article corpus at `/tmp/corpus100k`, when it is
/// there: its size, build and open times, and the narrowing of a few
/// queries. `cargo test --release --lib cache::words::tests::words_at_100k
/// -- --ignored --nocapture`.
#[test]
#[ignore = "needs /tmp/corpus100k and takes seconds"]
fn words_at_100k() {
    use std::time::Instant;
    let corpus = Path::new("/tmp/corpus100k");
    if !corpus.is_dir() {
        return;
    }
    let options = crate::library::LoadOptions::default();
    let library = crate::library::load(corpus, &options).unwrap_or_else(|err| panic!("{err}"));
    let texts: Vec<String> = (0..library.len())
        .map(|position| library.text(position).into_owned())
        .collect();
    let started = Instant::now();
    let bytes = encode_words(texts.iter().map(String::as_str), GENERATION)
        .unwrap_or_else(|e| panic!("{e}"));
    let build = started.elapsed();
    let dir = tempdir();
    write_words(dir.path(), &bytes).unwrap_or_else(|err| panic!("{err}"));
    let path = dir.path().join(WORDS_FILE);
    let mut opens = Vec::new();
    let mut index = None;
    for _ in 0..5 {
        let started = Instant::now();
        index = Some(WordIndex::open(&path, GENERATION).unwrap_or_else(|err| panic!("{err}")));
        opens.push(started.elapsed());
    }
    opens.sort();
    let Some(index) = index else { return };
    println!(
        "{} articles: {} bytes, {} words, {} blocks, {} postings; build {build:?}, open median {:?}",
        texts.len(),
        bytes.len(),
        index.len(),
        index.blocks(),
        u64_at(&bytes, 48),
        opens[opens.len() / 2]
    );
    for query in ["the", "oseman", "dunpenmar", "kit connor", "zyx", "qqxzj"] {
        let started = Instant::now();
        let candidates = index.candidate_blocks(query);
        let took = started.elapsed();
        let n = match &candidates {
            Candidates::All => index.blocks(),
            Candidates::Blocks(list) => list.len(),
        };
        let truth = texts.iter().enumerate().filter(|(_, t)| t.contains(query));
        for (i, _) in truth {
            assert!(candidates.includes((i / WORD_BLOCK) as u32), "{query} {i}");
        }
        println!("{query:?}: {n} of {} blocks in {took:?}", index.blocks());
    }
}

/// Writes the `words.bin` seeds of the `cache` fuzz target into
/// `fuzz/corpus/cache/` (a mode byte with bit 2 set, then a file): again
/// after any format change, with
/// `cargo test --lib cache::words::tests::write_fuzz_seeds -- --ignored`.
#[test]
#[ignore = "writes the fuzz seeds into the source tree"]
fn write_fuzz_seeds() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/cache");
    fs::create_dir_all(&out).unwrap_or_else(|err| panic!("{err}"));
    for (name, texts) in [
        ("words-sample", sample_texts()),
        ("words-small", small_texts()),
    ] {
        for mode in [4u8, 5] {
            let mut bytes = vec![mode];
            bytes.extend(encoded(&texts));
            write_file(&out.join(format!("{name}-{mode}.bin")), &bytes);
        }
    }
}

#[test]
fn a_hashed_stream_writes_and_hashes_the_same_however_it_is_cut() {
    let size = 3 * Hashed::<Vec<u8>>::BUFFER + 5;
    let data: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
    let mut hashed = Hashed::new(Vec::new());
    // Postings of two bytes, across a buffer's end...
    let pairs = Hashed::<Vec<u8>>::BUFFER / 2 + 1;
    for pair in data[..2 * pairs].chunks_exact(2) {
        hashed.write_array([pair[0], pair[1]]).unwrap();
    }
    // ...words of a few bytes, one longer than the buffer, and the rest.
    let long_from = 2 * pairs + 10 * 777;
    for piece in data[2 * pairs..long_from].chunks(777) {
        hashed.write(piece).unwrap();
    }
    let long_to = long_from + Hashed::<Vec<u8>>::BUFFER + 3;
    hashed.write(&data[long_from..long_to]).unwrap();
    hashed.write(&data[long_to..]).unwrap();
    let (sum, written) = hashed.finish().unwrap();
    assert!(written == data, "the bytes differ");
    assert_eq!(sum, xxhash_rust::xxh3::xxh3_64(&data));
}
