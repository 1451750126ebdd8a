//! The cache's round trips, its refusal of every damaged file, and its
//! behaviour while a writer replaces a file that a reader has mapped.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::format::checksum;
use super::testing::{assert_cuts_and_extension_rejected, flips, fresh_file, tempdir, write_file};
use super::*;
use crate::article::Clock;
use crate::library::scan::StatKey;

/// An article as a test owns it; [`Owned::cached`] lends it to `encode`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Owned {
    id: String,
    title: String,
    date: Option<NaiveDate>,
    clock: Option<Clock>,
    arrived: Option<i64>,
    tags: Vec<String>,
    categories: Vec<String>,
    author: Option<String>,
    source: Option<String>,
    url: Option<String>,
    path: Option<Vec<u8>>,
    words: u32,
    term_bits: u64,
    stat: StatKey,
}

impl Owned {
    fn cached(&self) -> CachedArticle<'_> {
        CachedArticle {
            id: &self.id,
            title: &self.title,
            date: self.date,
            clock: self.clock,
            arrived: self.arrived,
            tags: self.tags.iter().map(String::as_str).collect(),
            categories: self.categories.iter().map(String::as_str).collect(),
            author: self.author.as_deref(),
            source: self.source.as_deref(),
            url: self.url.as_deref(),
            path: self.path.as_deref(),
            words: self.words,
            term_bits: self.term_bits,
            stat: self.stat,
        }
    }

    /// What reading the row back must give: the times saturated to i64.
    fn as_stored(&self) -> Owned {
        let clamp = |ns: i128| ns.clamp(i128::from(i64::MIN), i128::from(i64::MAX));
        let mut stored = self.clone();
        stored.stat.mtime_ns = clamp(stored.stat.mtime_ns);
        stored.stat.ctime_ns = clamp(stored.stat.ctime_ns);
        stored
    }
}

/// Every field of a row, read through the accessors.
fn read_row(row: SummaryRow<'_>) -> Owned {
    Owned {
        id: row.id().to_string(),
        title: row.title().to_string(),
        date: row.date(),
        clock: row.clock(),
        arrived: row.arrived(),
        tags: row.tags().map(str::to_string).collect(),
        categories: row.categories().map(str::to_string).collect(),
        author: row.author().map(str::to_string),
        source: row.source().map(str::to_string),
        url: row.url().map(str::to_string),
        path: row.path_bytes().map(<[u8]>::to_vec),
        words: row.words(),
        term_bits: row.term_bits(),
        stat: row.stat_key(),
    }
}

fn read_all(file: &SummaryFile) -> Vec<Owned> {
    assert_eq!(file.rows().len(), file.len());
    let by_position: Vec<Owned> = (0..file.len())
        .map(|i| read_row(file.row(i).unwrap_or_else(|| panic!("row {i} missing"))))
        .collect();
    let by_iterator: Vec<Owned> = file.rows().map(read_row).collect();
    assert_eq!(by_position, by_iterator);
    assert!(file.row(file.len()).is_none());
    by_position
}

const KEY: u64 = 0x0123_4567_89ab_cdef;

fn header() -> SummaryHeader {
    SummaryHeader {
        generation: 42,
        folder_key: KEY,
        scanned_ns: 1_700_000_000_123_456_789,
        texts_len: 1234,
        words_len: 5678,
    }
}

fn encoded(rows: &[Owned]) -> Vec<u8> {
    let cached: Vec<CachedArticle<'_>> = rows.iter().map(Owned::cached).collect();
    encode(&cached, &header()).unwrap_or_else(|err| panic!("encode: {err}"))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_string()).collect()
}

fn stat(n: u64) -> StatKey {
    StatKey {
        dev: 2049,
        ino: 1000 + n,
        size: 4096 * n,
        mtime_ns: 1_700_000_000_000_000_000 + i128::from(n),
        ctime_ns: 1_700_000_000_500_000_000 + i128::from(n),
    }
}

/// Rows with every kind of field.
fn sample_rows() -> Vec<Owned> {
    let many: Vec<String> = (0..300).map(|i| format!("tag{i}")).collect();
    vec![
        Owned {
            id: "000_b4046600ca63d592.txt".into(),
            title: "Heartstopper Season 3: Netflix Shares First Wave of Blooper Greatness".into(),
            date: NaiveDate::from_ymd_opt(2024, 12, 24),
            clock: Clock::new(14 * 3600 + 5 * 60, 120),
            arrived: None,
            tags: strings(&["bloopers", "Heartstopper"]),
            categories: strings(&["Netflix", "TV"]),
            author: None,
            source: None,
            url: None,
            path: None,
            words: 412,
            term_bits: 0b1011,
            stat: stat(1),
        },
        Owned {
            id: "tv/2024/日本語のレビュー.md".into(),
            title: "東京の夜 🌃 — a review with emoji 👩‍👩‍👧 and CJK 漢字".into(),
            date: Some(NaiveDate::MIN),
            clock: Clock::new(86_399, -1439),
            arrived: None,
            // "TV" is a tag here and a category above: one term.
            tags: strings(&["TV", "Heartstopper", "🎬"]),
            categories: strings(&[]),
            author: Some("山田 太郎".into()),
            source: Some("".into()),
            url: Some("https://example.com/story?q=%E6%97%A5".into()),
            path: Some(Vec::new()),
            words: u32::MAX,
            term_bits: u64::MAX,
            stat: StatKey {
                dev: u64::MAX,
                ino: 0,
                size: 0,
                mtime_ns: i128::MIN,
                ctime_ns: i128::MAX,
            },
        },
        Owned {
            id: "".into(),
            title: "".into(),
            date: Some(NaiveDate::MAX),
            clock: Clock::new(0, 1439),
            arrived: None,
            tags: many.clone(),
            categories: many,
            author: Some("Someone".into()),
            source: Some("The Paper".into()),
            url: None,
            path: Some(b"sub/caf\xe9.txt".to_vec()),
            words: 0,
            term_bits: 0,
            stat: StatKey {
                dev: 0,
                ino: 0,
                size: 0,
                mtime_ns: -1,
                ctime_ns: 0,
            },
        },
        Owned {
            id: "undated".into(),
            title: "No date, no tags".into(),
            date: None,
            clock: None,
            arrived: Some(1_796_628_000_000_000_003),
            tags: Vec::new(),
            categories: Vec::new(),
            author: None,
            source: Some("Source only".into()),
            url: None,
            path: None,
            words: 7,
            term_bits: 0,
            stat: stat(3),
        },
        Owned {
            id: "epoch".into(),
            title: "The first day".into(),
            date: NaiveDate::from_ymd_opt(1970, 1, 1),
            clock: None,
            arrived: None,
            tags: strings(&["bloopers"]),
            categories: strings(&["TV", "Netflix"]),
            author: None,
            source: None,
            url: Some("http://a".into()),
            path: None,
            words: 1,
            term_bits: 1,
            stat: stat(4),
        },
    ]
}

/// A small file: the proof that every flip and cut is caught.
fn small_rows() -> Vec<Owned> {
    let mut rows = sample_rows();
    rows.truncate(2);
    rows.push(sample_rows()[3].clone());
    rows
}

fn open_bytes(dir: &Path, bytes: &[u8]) -> Result<SummaryFile, CacheError> {
    let path = fresh_file(dir, SUMMARIES_FILE, bytes);
    SummaryFile::open(&path, KEY)
}

/// Recomputes the checksum so that a changed file passes it, to reach the
/// validation behind it.
fn reseal(bytes: &mut [u8]) {
    let sum = checksum(bytes);
    if let Some(field) = bytes.get_mut(120..128) {
        field.copy_from_slice(&sum.to_le_bytes());
    }
}

/// A damaged file that opened anyway: its accessors must not panic
/// whatever they return.
fn touch_every_row(file: &SummaryFile) {
    for row in file.rows() {
        let _ = read_row(row);
    }
}

#[test]
fn rows_of_every_kind_round_trip() {
    let dir = tempdir();
    let rows = sample_rows();
    let file = open_bytes(dir.path(), &encoded(&rows)).unwrap_or_else(|err| panic!("{err}"));
    let expected: Vec<Owned> = rows.iter().map(Owned::as_stored).collect();
    assert_eq!(read_all(&file), expected);
    assert_eq!(file.header(), &header());
    assert_eq!(file.len(), 5);
    assert!(!file.is_empty());
    // The saturated times are the ends of i64.
    let stat = file.row(1).map(|row| row.stat_key());
    assert_eq!(stat.map(|s| s.mtime_ns), Some(i128::from(i64::MIN)));
    assert_eq!(stat.map(|s| s.ctime_ns), Some(i128::from(i64::MAX)));
}

#[test]
fn shared_tags_are_stored_once() {
    let shared = |n: usize| Owned {
        id: format!("a{n}"),
        tags: strings(&["a-long-shared-tag-name", "another-shared-tag"]),
        categories: strings(&["a-long-shared-tag-name"]),
        ..sample_rows()[3].clone()
    };
    let one = encoded(&[shared(0)]);
    let many = encoded(&(0..100).map(shared).collect::<Vec<_>>());
    // Each extra row costs its record, its three term refs and its own id
    // and title: no copy of the tag spellings.
    let per_row = 124 + 3 * 4 + "a10".len() + "No date, no tags".len() + "Source only".len();
    assert!(many.len() - one.len() <= 99 * per_row + 8);
    let terms = u32::from_le_bytes([many[40], many[41], many[42], many[43]]);
    assert_eq!(terms, 2);
}

#[test]
fn an_empty_file_round_trips() {
    let dir = tempdir();
    let file = open_bytes(dir.path(), &encoded(&[])).unwrap_or_else(|err| panic!("{err}"));
    assert!(file.is_empty());
    assert!(file.row(0).is_none());
    assert_eq!(file.rows().count(), 0);
}

#[test]
fn a_missing_file_is_missing() {
    let dir = tempdir();
    let err = SummaryFile::open(&dir.path().join(SUMMARIES_FILE), KEY).err();
    assert!(err.as_ref().is_some_and(CacheError::is_missing), "{err:?}");
}

#[test]
fn a_foreign_folder_key_is_rejected() {
    let dir = tempdir();
    let path = dir.path().join(SUMMARIES_FILE);
    write_file(&path, &encoded(&sample_rows()));
    let err = SummaryFile::open(&path, KEY ^ 1).err().map(|e| e.kind);
    assert_eq!(err, Some(CacheErrorKind::ForeignFolder));
}

#[test]
fn newer_and_older_versions_are_rejected() {
    let dir = tempdir();
    for (version, kind) in [
        (
            FORMAT_VERSION + 1,
            CacheErrorKind::NewerVersion(FORMAT_VERSION + 1),
        ),
        (u32::MAX, CacheErrorKind::NewerVersion(u32::MAX)),
        (0, CacheErrorKind::OlderVersion(0)),
    ] {
        let mut bytes = encoded(&sample_rows());
        bytes[8..12].copy_from_slice(&version.to_le_bytes());
        reseal(&mut bytes);
        let err = open_bytes(dir.path(), &bytes).err();
        assert_eq!(err.as_ref().map(|e| &e.kind), Some(&kind));
        let line = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            line.contains(SUMMARIES_FILE) && line.contains("format"),
            "{line}"
        );
    }
}

#[test]
fn errors_are_one_line_naming_the_file() {
    let dir = tempdir();
    let mut bytes = encoded(&sample_rows());
    bytes[200] ^= 0xff;
    let err = open_bytes(dir.path(), &bytes).err();
    assert_eq!(
        err.as_ref().map(|e| &e.kind),
        Some(&CacheErrorKind::ChecksumMismatch)
    );
    let line = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(line.contains(&dir.path().join(SUMMARIES_FILE).display().to_string()));
    assert!(!line.contains('\n'), "{line}");
    let wrong = open_bytes(dir.path(), b"not a cache file at all, just some text").err();
    assert_eq!(wrong.map(|e| e.kind), Some(CacheErrorKind::WrongMagic));
}

#[test]
fn every_byte_flip_is_rejected() {
    let dir = tempdir();
    let rows = small_rows();
    let original = encoded(&rows);
    for (at, mask, bytes) in flips(&original) {
        // Every byte is under the checksum or is the checksum, so no
        // flip may open; if one ever did, it would have to read back as
        // exactly the original rows.
        match open_bytes(dir.path(), &bytes) {
            Err(err) => assert!(!err.to_string().contains('\n')),
            Ok(file) => panic!(
                "flip {mask:#x} at {at} opened; rows equal: {}",
                read_all(&file) == rows
            ),
        }
    }
}

#[test]
fn every_byte_flip_behind_a_matching_checksum_is_caught_or_harmless() {
    // The checksum recomputed after the flip: now only the header checks
    // and the validation pass stand between the bytes and the accessors.
    let dir = tempdir();
    let original = encoded(&small_rows());
    let mut opened = 0;
    let flipped = flips(&original).filter(|&(at, ..)| !(120..128).contains(&at));
    for (_, _, mut bytes) in flipped {
        reseal(&mut bytes);
        if let Ok(file) = open_bytes(dir.path(), &bytes) {
            opened += 1;
            touch_every_row(&file);
        }
    }
    // Flips in string contents, counts and keys stay valid files; the
    // point is that none of them panicked.
    assert!(opened > 0);
}

#[test]
fn every_truncation_and_extension_is_rejected() {
    let dir = tempdir();
    assert_cuts_and_extension_rejected(&encoded(&small_rows()), |bytes| {
        open_bytes(dir.path(), bytes)
    });
}

#[test]
fn a_bad_span_is_named_by_its_row() {
    let dir = tempdir();
    let mut bytes = encoded(&small_rows());
    // Row 1's title length, pushed past the arena.
    let at = 128 + 124 + 12;
    bytes[at..at + 4].copy_from_slice(&0x00ff_ffffu32.to_le_bytes());
    reseal(&mut bytes);
    let err = open_bytes(dir.path(), &bytes).err();
    assert_eq!(
        err.as_ref().map(|e| &e.kind),
        Some(&CacheErrorKind::BadRow {
            row: 1,
            what: "title"
        })
    );
    assert!(err.is_some_and(|e| e.to_string().contains("row 1")));
}

#[test]
fn a_path_outside_the_paths_is_rejected() {
    let dir = tempdir();
    let mut bytes = encoded(&small_rows());
    // Row 1 (the second sample) has a path: its length, pushed past the end.
    let at = 128 + 124 + 104 + 4;
    bytes[at..at + 4].copy_from_slice(&0x0000_ffffu32.to_le_bytes());
    reseal(&mut bytes);
    let err = open_bytes(dir.path(), &bytes).err().map(|e| e.kind);
    assert_eq!(
        err,
        Some(CacheErrorKind::BadRow {
            row: 1,
            what: "path"
        })
    );
}

#[test]
fn a_time_no_clock_packs_to_is_rejected_and_times_come_back() {
    let dir = tempdir();
    let rows = small_rows();
    let mut bytes = encoded(&rows);
    let file = open_bytes(dir.path(), &bytes).expect("the file opens");
    let clocks: Vec<_> = file.rows().map(|row| row.clock()).collect();
    let want: Vec<_> = rows.iter().map(|row| row.clock).collect();
    assert_eq!(clocks, want, "every row's time and offset come back");
    drop(file);
    // Row 1's clock, one past the largest a clock packs to.
    let at = 128 + 124 + 112;
    let past = Clock::pack(Clock::new(86_399, 1439)) + 1;
    bytes[at..at + 4].copy_from_slice(&past.to_le_bytes());
    reseal(&mut bytes);
    let err = open_bytes(dir.path(), &bytes).err().map(|e| e.kind);
    assert_eq!(
        err,
        Some(CacheErrorKind::BadRow {
            row: 1,
            what: "time"
        })
    );
}

#[test]
fn a_span_inside_a_character_is_rejected() {
    let dir = tempdir();
    let mut bytes = encoded(&small_rows());
    // Row 1's title starts with a three-byte character: start one byte in.
    let at = 128 + 124 + 8;
    let off = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    bytes[at..at + 4].copy_from_slice(&(off + 1).to_le_bytes());
    reseal(&mut bytes);
    let err = open_bytes(dir.path(), &bytes).err().map(|e| e.kind);
    assert_eq!(
        err,
        Some(CacheErrorKind::BadRow {
            row: 1,
            what: "title"
        })
    );
}

#[test]
fn a_reader_keeps_its_rows_while_a_writer_replaces_the_file() {
    let dir = tempdir();
    let cache = dir.path().join("cache-folder");
    let old_rows = sample_rows();
    write_summaries(&cache, &encoded(&old_rows)).unwrap_or_else(|err| panic!("{err}"));
    let path = cache.join(SUMMARIES_FILE);
    let old = SummaryFile::open(&path, KEY).unwrap_or_else(|err| panic!("{err}"));

    let mut new_rows = small_rows();
    new_rows[0].title = "A different title, longer than the one it replaces".into();
    write_summaries(&cache, &encoded(&new_rows)).unwrap_or_else(|err| panic!("{err}"));
    let new = SummaryFile::open(&path, KEY).unwrap_or_else(|err| panic!("{err}"));

    let stored = |rows: &[Owned]| rows.iter().map(Owned::as_stored).collect::<Vec<_>>();
    assert_eq!(read_all(&old), stored(&old_rows));
    assert_eq!(read_all(&new), stored(&new_rows));
    // The lock file stays; no temporary file is left behind.
    let mut names: Vec<String> = fs::read_dir(&cache)
        .unwrap_or_else(|err| panic!("{err}"))
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["cache.lock", SUMMARIES_FILE]);
}

#[test]
fn a_stale_temporary_file_of_a_killed_writer_is_swept() {
    let dir = tempdir();
    // A process id above any the kernel hands out (pid_max is at most
    // 2^22): its writer is surely gone.
    let stale = dir.path().join(".summaries.bin.tmp-4194999-abc123");
    write_file(&stale, b"half a file");
    write_summaries(dir.path(), &encoded(&small_rows())).unwrap_or_else(|err| panic!("{err}"));
    assert!(!stale.exists());
}

#[test]
fn a_folder_that_cannot_be_made_is_an_error() {
    let dir = tempdir();
    let blocker = dir.path().join("a-file");
    write_file(&blocker, b"");
    let err = write_summaries(&blocker.join("cache"), &encoded(&small_rows())).err();
    assert!(
        matches!(
            err.as_ref().map(|e| &e.kind),
            Some(CacheErrorKind::Write(_))
        ),
        "{err:?}"
    );
    assert!(err.is_some_and(|e| !e.to_string().contains('\n')));
}

#[test]
fn a_read_only_folder_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        // root writes into read-only folders: nothing to test.
        return;
    }
    let dir = tempdir();
    let cache = dir.path().join("ro");
    fs::create_dir(&cache).unwrap_or_else(|err| panic!("{err}"));
    fs::set_permissions(&cache, fs::Permissions::from_mode(0o555))
        .unwrap_or_else(|err| panic!("{err}"));
    let err = write_summaries(&cache, &encoded(&small_rows())).err();
    let _ = fs::set_permissions(&cache, fs::Permissions::from_mode(0o755));
    assert!(
        err.as_ref()
            .is_some_and(|e| e.to_string().contains("permission denied")),
        "{err:?}"
    );
}

#[test]
fn generations_differ() {
    let a = new_generation();
    let b = new_generation();
    assert_ne!(a, b);
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,12}",
        "\\PC{0,20}",
        Just(String::new()),
        Just("日本語 🎬".to_string()),
    ]
}

fn any_date() -> impl Strategy<Value = Option<NaiveDate>> {
    use chrono::Datelike;
    let (min, max) = (
        NaiveDate::MIN.num_days_from_ce(),
        NaiveDate::MAX.num_days_from_ce(),
    );
    prop_oneof![
        Just(None),
        (min..=max).prop_map(NaiveDate::from_num_days_from_ce_opt),
        (-1000i32..1000).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(719_163 + d)),
    ]
}

fn any_clock() -> impl Strategy<Value = Option<Clock>> {
    prop_oneof![
        Just(None),
        (0u32..86_400, -1439i16..=1439).prop_map(|(s, o)| Clock::new(s, o)),
    ]
}

fn any_terms() -> impl Strategy<Value = Vec<String>> {
    // A small pool, so rows share spellings.
    let pool = prop_oneof![
        Just("TV".to_string()),
        Just("Netflix".to_string()),
        Just("漢字".to_string()),
        "[a-c]{1,2}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(pool, 0..6)
}

fn any_time() -> impl Strategy<Value = i128> {
    prop_oneof![any::<i64>().prop_map(i128::from), any::<i128>()]
}

fn any_row() -> impl Strategy<Value = Owned> {
    (
        (
            any_text(),
            any_text(),
            (any_date(), any_clock()),
            any_terms(),
            any_terms(),
        ),
        (
            prop::option::of(any_text()),
            prop::option::of(any_text()),
            prop::option::of(any_text()),
        ),
        (
            any::<u32>(),
            any::<u64>(),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
            // i64::MIN is how a row says none.
            prop::option::of((i64::MIN + 1)..=i64::MAX),
        ),
        (
            any::<u64>(),
            any::<u64>(),
            any::<u64>(),
            any_time(),
            any_time(),
        ),
    )
        .prop_map(
            |(
                (id, title, (date, clock), tags, categories),
                (author, source, url),
                (words, term_bits, path, arrived),
                (dev, ino, size, mtime_ns, ctime_ns),
            )| Owned {
                id,
                title,
                date,
                // A clock is kept only beside a date.
                clock: date.and(clock),
                arrived,
                tags,
                categories,
                author,
                source,
                url,
                path,
                words,
                term_bits,
                stat: StatKey {
                    dev,
                    ino,
                    size,
                    mtime_ns,
                    ctime_ns,
                },
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_rows_round_trip(rows in prop::collection::vec(any_row(), 0..40)) {
        let dir = tempdir();
        let file = open_bytes(dir.path(), &encoded(&rows));
        prop_assert!(file.is_ok(), "{:?}", file.err());
        if let Ok(file) = file {
            let expected: Vec<Owned> = rows.iter().map(Owned::as_stored).collect();
            prop_assert_eq!(read_all(&file), expected);
        }
    }

    #[test]
    fn random_damage_never_panics(
        rows in prop::collection::vec(any_row(), 0..6),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        seal in any::<bool>(),
    ) {
        let dir = tempdir();
        let mut bytes = encoded(&rows);
        for (at, value) in edits {
            let at = at.index(bytes.len());
            bytes[at] = value;
        }
        if seal {
            reseal(&mut bytes);
        }
        if let Ok(file) = open_bytes(dir.path(), &bytes) {
            touch_every_row(&file);
        }
    }
}

/// `open` and a read of every row's title, date and tags, over the rows of
/// the generated corpus (`cargo run --release --example gen_corpus`):
/// `cargo test --release --lib cache::tests::list_ready -- --ignored --nocapture`.
/// A figure to report, not a timed assertion.
#[test]
#[ignore = "needs /tmp/corpus100k; prints a timing"]
fn list_ready_at_100k() {
    use std::time::Instant;
    let corpus = Path::new("/tmp/corpus100k");
    if !corpus.is_dir() {
        return;
    }
    let options = crate::library::LoadOptions::default();
    let library = crate::library::load(corpus, &options).unwrap_or_else(|err| panic!("{err}"));
    let owned: Vec<Owned> = library
        .iter()
        .enumerate()
        .map(|(n, article)| Owned {
            stat: stat(n as u64),
            ..read_row(article)
        })
        .collect();
    let dir = tempdir();
    let started = Instant::now();
    let bytes = encoded(&owned);
    let encode_time = started.elapsed();
    let started = Instant::now();
    write_summaries(dir.path(), &bytes).unwrap_or_else(|err| panic!("{err}"));
    let write_time = started.elapsed();
    let path = dir.path().join(SUMMARIES_FILE);
    let mut times = Vec::new();
    for _ in 0..11 {
        let started = Instant::now();
        let file = SummaryFile::open(&path, KEY).unwrap_or_else(|err| panic!("{err}"));
        let mut touched = 0usize;
        for row in file.rows() {
            touched += row.title().len();
            touched += usize::from(row.date().is_some());
            touched += row.tags().map(str::len).sum::<usize>();
        }
        times.push(started.elapsed());
        assert!(touched > 0);
        assert_eq!(file.len(), owned.len());
    }
    times.sort();
    let mut opens = Vec::new();
    for _ in 0..11 {
        let started = Instant::now();
        let file = SummaryFile::open(&path, KEY).unwrap_or_else(|err| panic!("{err}"));
        opens.push(started.elapsed());
        assert_eq!(file.len(), owned.len());
    }
    opens.sort();
    println!("open alone: median {:?}", opens[opens.len() / 2]);
    println!(
        "{} rows, {} bytes: encode {encode_time:?}, write {write_time:?}, \
         open + every title/date/tags: median {:?} (min {:?}, max {:?})",
        owned.len(),
        bytes.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

/// Writes the seeds of the `cache` fuzz target, `fuzz/corpus/cache/` (each a
/// mode byte, then a file): again after any format change, with
/// `cargo test --lib cache::tests::write_fuzz_seeds -- --ignored`.
#[test]
#[ignore = "writes the fuzz seeds into the source tree"]
fn write_fuzz_seeds() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/cache");
    fs::create_dir_all(&out).unwrap_or_else(|err| panic!("{err}"));
    for (name, rows) in [("sample", sample_rows()), ("small", small_rows())] {
        for mode in [0u8, 1] {
            let mut bytes = vec![mode];
            bytes.extend(encoded(&rows));
            write_file(&out.join(format!("{name}-{mode}.bin")), &bytes);
        }
    }
}

#[test]
fn an_error_shows_its_path_and_reasons_terminal_safe() {
    let error = CacheError::new(
        "/home/\u{1b}]0;pwned\u{7}me/.cache/summaries.bin",
        CacheErrorKind::Write("cannot write /x\u{1b}[2J: full".to_string()),
    );
    let line = error.to_string();
    assert!(
        !line.contains('\u{1b}') && !line.contains('\u{7}'),
        "{line:?}"
    );
    assert!(
        line.contains("summaries.bin") && line.contains("full"),
        "{line:?}"
    );
    let unreadable = CacheError::new("a", CacheErrorKind::Unreadable("\u{9b}31m".to_string()));
    assert!(!unreadable.to_string().contains('\u{9b}'));
}
