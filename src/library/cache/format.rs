//! `summaries.bin`: the list's fields of every article, in fixed-size
//! records with one string arena, memory-mapped and read in place.
//!
//! ```text
//! header (128 bytes; every integer little-endian)
//!   0  magic        b"bsheetS\0"
//!   8  version      u32            FORMAT_VERSION; bumped on any layout change
//!  12  flags        u32            0
//!  16  file_len     u64            the whole file
//!  24  generation   u64            per write; texts.bin and words.bin carry the same
//!  32  count        u32            rows
//!  36  record_size  u32            124
//!  40  terms        u32            distinct tag and category spellings
//!  44  term_refs    u32            entries in the term-ref table
//!  48  arena_len    u64            bytes of strings
//!  56  folder_key   u64            xxh3-64 of the canonical articles path
//!  64  scanned_ns   i64            when the scan that made this file started
//!  72  texts_len    u64            the expected file_len of texts.bin
//!  80  words_len    u64            the expected file_len of words.bin
//!  88  paths_len    u64            bytes of file paths
//!  96  reserved     [u8; 24]       0
//! 120  checksum     u64            xxh3-64 of bytes 0..120 and 128..file_len
//! records     count x 124 bytes, in the default list order (newest first)
//!   0  id, title, author, source, url    (off u32, len u32) each, into the
//!                                         arena; len u32::MAX = none (not
//!                                         for id and title)
//!  40  terms_start  u32     the row's tags are refs[start .. start+tag_count],
//!  44  tag_count    u16     its categories follow
//!  46  cat_count    u16
//!  48  date         i32     days since 1970-01-01, the date as written at
//!                           its offset; i32::MIN = none
//!  52  words        u32     word count
//!  56  term_bits    u64     the tag and category bit filter
//!  64  dev, ino, size u64; mtime_ns, ctime_ns i64: the stat key
//! 104  path         (off u32, len u32) into the paths: the file's path
//!                   relative to the articles folder, as the system's
//!                   bytes; len u32::MAX = the id is the path
//! 112  clock        u32     the time of day and offset beside the date
//!                           (`Clock::pack`); 0 = none
//! 116  arrived      i64     when a feed first wrote the article, in ns
//!                           since the Unix epoch (what orders undated
//!                           feed items); i64::MIN = none
//! term table  terms x (off u32, len u32) into the arena; the top bit of
//!             len set = other articles spell this term otherwise (the
//!             spelling was unified from several)
//! term refs   term_refs x u32 term numbers
//! padding     zeros to a multiple of 8 bytes
//! arena       UTF-8 strings without terminators
//! paths       file paths as bytes (not always UTF-8)
//! ```
//!
//! Opening checks the header, then the checksum, then validates every span,
//! term number and date once. The accessors still read through `get` and
//! `str::from_utf8`, so even a file that somehow got past the checks could
//! only give wrong text, never a panic or a read out of bounds.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use memmap2::{Mmap, MmapOptions};

use super::{CacheError, CacheErrorKind};
use crate::article::Clock;
use crate::library::scan::StatKey;

/// The file name of the list's cache file in the cache folder.
pub const SUMMARIES_FILE: &str = "summaries.bin";

pub use super::FORMAT_VERSION;

const MAGIC: &[u8; 8] = b"bsheetS\0";
const HEADER_LEN: usize = 128;
const RECORD_LEN: usize = 124;
/// Where a record's clock sits.
const CLOCK_AT: usize = 112;
/// Where a record's arrival sits.
const ARRIVED_AT: usize = 116;
/// The arrival of an article no feed wrote.
const NOT_ARRIVED: i64 = i64::MIN;
/// Where a record's path span sits.
const PATH_AT: usize = 104;
/// Where the checksum sits in the header; it covers everything else.
const CHECKSUM_AT: usize = 120;
/// The length of a missing author, source or URL.
const NONE: u32 = u32::MAX;
/// The bit of a term's length that says its spelling was unified from
/// several.
const VARIED: u32 = 1 << 31;
/// The date of an undated article.
const NO_DATE: i32 = i32::MIN;
/// `NaiveDate::num_days_from_ce` of 1970-01-01: dates are stored as days
/// since then.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// One article as the list needs it, borrowed from wherever the caller keeps
/// it (an `Article` and its stat key), ready for [`encode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedArticle<'a> {
    /// The article's id (its path relative to the articles folder).
    pub id: &'a str,
    /// The title.
    pub title: &'a str,
    /// The date, when the file gives one.
    pub date: Option<NaiveDate>,
    /// The time of day and offset beside the date, when the file gives one.
    pub clock: Option<Clock>,
    /// When a feed first wrote it (ns since the Unix epoch), when one did.
    pub arrived: Option<i64>,
    /// Tags, in file order.
    pub tags: Vec<&'a str>,
    /// Categories, in file order.
    pub categories: Vec<&'a str>,
    /// The author, when known.
    pub author: Option<&'a str>,
    /// The source (publication), when known.
    pub source: Option<&'a str>,
    /// The original address, when known.
    pub url: Option<&'a str>,
    /// The file's path relative to the articles folder, as the system's
    /// bytes, when it is not the id (a name that needed cleaning, or an id
    /// made unique).
    pub path: Option<&'a [u8]>,
    /// The word count.
    pub words: u32,
    /// The tag and category bit filter (`Article::term_bits`).
    pub term_bits: u64,
    /// What tells whether the file changed since it was read. Its times are
    /// stored as `i64` nanoseconds, saturated at the ends (years 1677 and
    /// 2262): a time beyond them comes back different from a fresh stat's,
    /// so the file is read again, which is the safe way to be wrong.
    pub stat: StatKey,
}

/// The header fields of a `summaries.bin` that are not derived from its
/// rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SummaryHeader {
    /// This write's generation ([`new_generation`](super::new_generation)),
    /// shared by the other cache files of the same write so a reader can
    /// tell it caught them between two renames.
    pub generation: u64,
    /// [`folder_key`](super::folder_key) of the articles folder.
    pub folder_key: u64,
    /// When the scan that made the file started, in nanoseconds since the
    /// Unix epoch: entries whose times fall within the file system's
    /// timestamp granularity of it are checked again at the next start.
    pub scanned_ns: i64,
    /// The expected length of `texts.bin` (0 while there is none).
    pub texts_len: u64,
    /// The expected length of `words.bin` (0 while there is none).
    pub words_len: u64,
}

/// Serializes rows, in the order given (the list's default order), into the
/// bytes of a `summaries.bin`. Tag and category spellings are stored once,
/// however many rows share them. Fails only when the data does not fit the
/// format's 32-bit offsets and counts (4 GiB of strings, 4 billion rows,
/// 65,535 tags on one article), in which case the caller runs without a
/// cache.
pub fn encode(rows: &[CachedArticle<'_>], header: &SummaryHeader) -> Result<Vec<u8>, CacheError> {
    encode_with_variants(rows, header, &HashSet::new())
}

/// [`encode`], marking the spellings in `varied` as unified from several
/// ([`SummaryRow::varied_terms`]).
pub fn encode_with_variants(
    rows: &[CachedArticle<'_>],
    header: &SummaryHeader,
    varied: &HashSet<&str>,
) -> Result<Vec<u8>, CacheError> {
    let mut encoder = RowsEncoder::new(rows.len());
    for row in rows {
        encoder.push(row, varied)?;
    }
    encoder.finish(header)
}

/// A `summaries.bin` made row by row ([`push`](Self::push)), so that a
/// caller can let go of each article once its row is in: a first index
/// encodes a million rows without them and their articles held at once.
/// The records are written after room for the header, and the tables and
/// strings appended to them, so the file's bytes are never copied whole.
pub struct RowsEncoder {
    /// The header's room, then the records.
    out: Vec<u8>,
    /// Rows pushed.
    count: usize,
    /// The strings: ids, titles, authors, sources, addresses, terms.
    arena: Vec<u8>,
    /// The paths of rows whose path is not their id.
    paths: Vec<u8>,
    /// Each distinct term's number in the term table.
    term_numbers: HashMap<String, u32>,
    /// Each term's span in the arena, with its varied flag.
    term_table: Vec<[u32; 2]>,
    /// Each row's terms (tags, then categories), by number.
    refs: Vec<u32>,
}

/// The error of data too large for the format.
fn too_large(what: &'static str) -> CacheError {
    CacheError::new(SUMMARIES_FILE, CacheErrorKind::TooLarge(what))
}

/// Appends `s` to `arena`; its span. A span ends strictly below u32::MAX
/// so that no length is `NONE`.
fn push_str(arena: &mut Vec<u8>, s: &str) -> Result<[u32; 2], CacheError> {
    let off = u32::try_from(arena.len()).map_err(|_| too_large("strings over 4 GiB"))?;
    let len = u32::try_from(s.len())
        .ok()
        .filter(|&len| off.checked_add(len).is_some_and(|end| end < NONE))
        .ok_or_else(|| too_large("strings over 4 GiB"))?;
    arena.extend_from_slice(s.as_bytes());
    Ok([off, len])
}

impl RowsEncoder {
    /// An encoder with room for `count` rows.
    pub fn new(count: usize) -> RowsEncoder {
        let mut out = Vec::with_capacity(HEADER_LEN + count.saturating_mul(RECORD_LEN));
        out.resize(HEADER_LEN, 0);
        RowsEncoder {
            out,
            count: 0,
            arena: Vec::new(),
            paths: Vec::new(),
            term_numbers: HashMap::new(),
            term_table: Vec::new(),
            refs: Vec::new(),
        }
    }

    /// Adds the next row; the spellings in `varied` are marked as unified
    /// from several.
    pub fn push(
        &mut self,
        row: &CachedArticle<'_>,
        varied: &HashSet<&str>,
    ) -> Result<(), CacheError> {
        let arena = &mut self.arena;
        let mut spans = [[0, NONE]; 5];
        spans[0] = push_str(arena, row.id)?;
        spans[1] = push_str(arena, row.title)?;
        for (slot, value) in spans[2..].iter_mut().zip([row.author, row.source, row.url]) {
            if let Some(value) = value {
                *slot = push_str(arena, value)?;
            }
        }
        let start = u32::try_from(self.refs.len()).map_err(|_| too_large("over 4 billion tags"))?;
        let tag_count =
            u16::try_from(row.tags.len()).map_err(|_| too_large("over 65,535 tags on a row"))?;
        let cat_count = u16::try_from(row.categories.len())
            .map_err(|_| too_large("over 65,535 categories on a row"))?;
        for &term in row.tags.iter().chain(&row.categories) {
            let number = match self.term_numbers.get(term) {
                Some(&number) => number,
                None => {
                    let number = u32::try_from(self.term_table.len())
                        .map_err(|_| too_large("over 4 billion tags"))?;
                    let [off, len] = push_str(arena, term)?;
                    if len & VARIED != 0 {
                        return Err(too_large("a tag over 2 GiB"));
                    }
                    let flag = if varied.contains(term) { VARIED } else { 0 };
                    self.term_table.push([off, len | flag]);
                    self.term_numbers.insert(term.to_string(), number);
                    number
                }
            };
            self.refs.push(number);
        }
        let records = &mut self.out;
        for [off, len] in spans {
            records.extend_from_slice(&off.to_le_bytes());
            records.extend_from_slice(&len.to_le_bytes());
        }
        records.extend_from_slice(&start.to_le_bytes());
        records.extend_from_slice(&tag_count.to_le_bytes());
        records.extend_from_slice(&cat_count.to_le_bytes());
        records.extend_from_slice(&row.date.map_or(NO_DATE, date_to_days).to_le_bytes());
        records.extend_from_slice(&row.words.to_le_bytes());
        records.extend_from_slice(&row.term_bits.to_le_bytes());
        let StatKey {
            dev,
            ino,
            size,
            mtime_ns,
            ctime_ns,
        } = row.stat;
        for value in [dev, ino, size] {
            records.extend_from_slice(&value.to_le_bytes());
        }
        for value in [mtime_ns, ctime_ns] {
            records.extend_from_slice(&saturate(value).to_le_bytes());
        }
        let [off, len] = match row.path {
            None => [0, NONE],
            Some(path) => {
                let off =
                    u32::try_from(self.paths.len()).map_err(|_| too_large("paths over 4 GiB"))?;
                let len = u32::try_from(path.len())
                    .ok()
                    .filter(|&len| off.checked_add(len).is_some_and(|end| end < NONE))
                    .ok_or_else(|| too_large("paths over 4 GiB"))?;
                self.paths.extend_from_slice(path);
                [off, len]
            }
        };
        records.extend_from_slice(&off.to_le_bytes());
        records.extend_from_slice(&len.to_le_bytes());
        // A clock without its date is not kept (the article model has none).
        let clock = row.date.and(row.clock);
        records.extend_from_slice(&Clock::pack(clock).to_le_bytes());
        // `NOT_ARRIVED` itself is taken as none: no feed writes 1677.
        let arrived = row.arrived.unwrap_or(NOT_ARRIVED);
        records.extend_from_slice(&arrived.to_le_bytes());
        self.count += 1;
        Ok(())
    }

    /// The bytes of the file, with `header`'s fields.
    pub fn finish(self, header: &SummaryHeader) -> Result<Vec<u8>, CacheError> {
        let RowsEncoder {
            mut out,
            count,
            arena,
            paths,
            term_table,
            refs,
            ..
        } = self;
        let count = u32::try_from(count).map_err(|_| too_large("over 4 billion rows"))?;
        let terms =
            u32::try_from(term_table.len()).map_err(|_| too_large("over 4 billion tags"))?;
        let term_refs = u32::try_from(refs.len()).map_err(|_| too_large("over 4 billion tags"))?;
        let mut head = Vec::with_capacity(HEADER_LEN);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        head.extend_from_slice(&0u32.to_le_bytes()); // flags
        head.extend_from_slice(&0u64.to_le_bytes()); // file_len, set below
        head.extend_from_slice(&header.generation.to_le_bytes());
        head.extend_from_slice(&count.to_le_bytes());
        head.extend_from_slice(&(RECORD_LEN as u32).to_le_bytes());
        head.extend_from_slice(&terms.to_le_bytes());
        head.extend_from_slice(&term_refs.to_le_bytes());
        head.extend_from_slice(&(arena.len() as u64).to_le_bytes());
        head.extend_from_slice(&header.folder_key.to_le_bytes());
        head.extend_from_slice(&header.scanned_ns.to_le_bytes());
        head.extend_from_slice(&header.texts_len.to_le_bytes());
        head.extend_from_slice(&header.words_len.to_le_bytes());
        head.extend_from_slice(&(paths.len() as u64).to_le_bytes());
        head.extend_from_slice(&[0; 24]); // reserved
        head.extend_from_slice(&0u64.to_le_bytes()); // checksum, set below
        debug_assert_eq!(head.len(), HEADER_LEN);
        out[..HEADER_LEN].copy_from_slice(&head);
        let tables = term_table.len() * 8 + refs.len() * 4 + 8 + arena.len() + paths.len();
        out.reserve_exact(tables);
        for [off, len] in &term_table {
            out.extend_from_slice(&off.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
        }
        for number in &refs {
            out.extend_from_slice(&number.to_le_bytes());
        }
        out.resize(out.len().next_multiple_of(8), 0);
        out.extend_from_slice(&arena);
        out.extend_from_slice(&paths);
        let file_len = out.len() as u64;
        out[16..24].copy_from_slice(&file_len.to_le_bytes());
        let sum = checksum(&out);
        out[CHECKSUM_AT..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
        Ok(out)
    }
}

/// xxh3-64 of the whole file but its checksum field. `file` is at least a
/// header long (callers check); a shorter one hashes what there is.
pub(super) fn checksum(file: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(file.get(..CHECKSUM_AT).unwrap_or(file));
    hasher.update(file.get(HEADER_LEN..).unwrap_or(&[]));
    hasher.digest()
}

/// An i128 nanosecond time as i64, saturated at the ends.
fn saturate(ns: i128) -> i64 {
    i64::try_from(ns).unwrap_or(if ns < 0 { i64::MIN } else { i64::MAX })
}

/// Days since 1970-01-01; every `NaiveDate` fits an i32 (about ±262,000
/// years), and none lands on `NO_DATE`.
fn date_to_days(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce() - EPOCH_DAYS_FROM_CE
}

/// The date of a stored day number, `None` for `NO_DATE` or a number no date
/// has.
fn days_to_date(days: i32) -> Option<NaiveDate> {
    if days == NO_DATE {
        return None;
    }
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(EPOCH_DAYS_FROM_CE)?)
}

/// The little-endian u16 at `at`, 0 when it is out of bounds.
fn u16_at(bytes: &[u8], at: usize) -> u16 {
    bytes
        .get(at..at.wrapping_add(2))
        .and_then(|b| b.try_into().ok())
        .map_or(0, u16::from_le_bytes)
}

/// The little-endian u32 at `at`, 0 when it is out of bounds.
pub(super) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at.wrapping_add(4))
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

/// The little-endian u64 at `at`, 0 when it is out of bounds.
pub(super) fn u64_at(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at.wrapping_add(8))
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// Where each section of a checked file starts, and its counts.
#[derive(Debug, Clone)]
struct Layout {
    count: usize,
    terms: usize,
    term_refs: usize,
    records: usize,
    term_table: usize,
    refs: usize,
    arena: Range<usize>,
    paths: Range<usize>,
}

/// An opened, checked `summaries.bin`: its rows are read in place from the
/// mapped file. Keeping it open is safe while a writer replaces the file: the
/// rename unlinks the old file, whose pages stay mapped and unchanged, so this
/// keeps reading the rows it opened with.
#[derive(Debug)]
pub struct SummaryFile {
    map: Bytes,
    path: PathBuf,
    layout: Layout,
    header: SummaryHeader,
    /// Every distinct tag and category spelling, copied once at open (a
    /// few kilobytes, however many rows): a row's tags are then slices of
    /// a `String`, without a UTF-8 check on every read (reading every
    /// row's tags at 100,000 rows took 6 ms with one, 1 ms without).
    term_text: String,
    /// Each term's place in `term_text`.
    term_spans: Vec<Range<usize>>,
    /// Whether each term's spelling was unified from several.
    term_varied: Vec<bool>,
}

impl SummaryFile {
    /// Maps the file and checks it: magic, version, length, that the
    /// section sizes add up, the folder key, the checksum, and then every
    /// span, term number and date once. Any failure names the file and what
    /// was wrong, and the caller rebuilds the cache.
    pub fn open(path: &Path, folder_key: u64) -> Result<SummaryFile, CacheError> {
        let (map, (layout, header)) = map_checked(path, HEADER_LEN, Populate::AtOpen, |bytes| {
            check(bytes, folder_key)
        })?;
        Ok(SummaryFile::with(Bytes::Mapped(map), path, layout, header))
    }

    /// Checks bytes made by [`encode`] and held in memory, as
    /// [`open`](Self::open) checks a file: for a library that is not (or
    /// not yet) backed by a cache file. `name` names it in errors.
    pub fn from_bytes(
        bytes: Vec<u8>,
        name: &Path,
        folder_key: u64,
    ) -> Result<SummaryFile, CacheError> {
        let (layout, header) =
            check(&bytes, folder_key).map_err(|kind| CacheError::new(name, kind))?;
        Ok(SummaryFile::with(Bytes::Owned(bytes), name, layout, header))
    }

    /// A checked file with its terms copied out.
    fn with(map: Bytes, path: &Path, layout: Layout, header: SummaryHeader) -> SummaryFile {
        let mut this = SummaryFile {
            map,
            path: path.to_path_buf(),
            layout,
            header,
            term_text: String::new(),
            term_spans: Vec::new(),
            term_varied: Vec::new(),
        };
        let (term_text, term_spans, term_varied) = this.copy_terms();
        this.term_text = term_text;
        this.term_spans = term_spans;
        this.term_varied = term_varied;
        this
    }

    /// A file of no rows, in memory: the library before the first load.
    pub fn empty() -> SummaryFile {
        SummaryFile {
            map: Bytes::Owned(Vec::new()),
            path: PathBuf::new(),
            layout: Layout {
                count: 0,
                terms: 0,
                term_refs: 0,
                records: 0,
                term_table: 0,
                refs: 0,
                arena: 0..0,
                paths: 0..0,
            },
            header: SummaryHeader::default(),
            term_text: String::new(),
            term_spans: Vec::new(),
            term_varied: Vec::new(),
        }
    }

    /// The file's bytes, as a cache write stores them.
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// The term table's spellings, copied out of the map.
    fn copy_terms(&self) -> (String, Vec<Range<usize>>, Vec<bool>) {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(self.layout.terms);
        let mut varied = Vec::with_capacity(self.layout.terms);
        for term in 0..self.layout.terms {
            let at = self.layout.term_table + term * 8;
            let len = u32_at(&self.map, at + 4);
            let start = text.len();
            text.push_str(self.text(u32_at(&self.map, at), len & !VARIED));
            spans.push(start..text.len());
            varied.push(len & VARIED != 0);
        }
        (text, spans, varied)
    }

    /// The file this was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The header fields the writer gave (generation, folder key, scan
    /// time, the other files' lengths).
    pub fn header(&self) -> &SummaryHeader {
        &self.header
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.layout.count
    }

    /// Whether the file holds no rows.
    pub fn is_empty(&self) -> bool {
        self.layout.count == 0
    }

    /// The row at `position` in the stored order, `None` past the end.
    pub fn row(&self, position: usize) -> Option<SummaryRow<'_>> {
        if position >= self.layout.count {
            return None;
        }
        let start = self.layout.records + position * RECORD_LEN;
        let record = self.map.get(start..start + RECORD_LEN)?;
        Some(SummaryRow { file: self, record })
    }

    /// Every row in the stored order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = SummaryRow<'_>> + Clone {
        let records = self
            .map
            .get(self.layout.records..self.layout.term_table)
            .unwrap_or(&[]);
        records
            .chunks_exact(RECORD_LEN)
            .map(move |record| SummaryRow { file: self, record })
    }

    /// The raw bytes of a path span, `None` for the id-is-path marker.
    fn path_bytes(&self, off: u32, len: u32) -> Option<&[u8]> {
        if len == NONE {
            return None;
        }
        span(
            self.map.get(self.layout.paths.clone()).unwrap_or(&[]),
            off,
            len,
        )
    }

    /// The arena's bytes.
    fn arena(&self) -> &[u8] {
        self.map.get(self.layout.arena.clone()).unwrap_or(&[])
    }

    /// The string at a span of the arena, "" when the span is not a string
    /// (which validation has ruled out).
    fn text(&self, off: u32, len: u32) -> &str {
        span(self.arena(), off, len)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or("")
    }

    /// The spelling of term `number`.
    fn term(&self, number: u32) -> &str {
        self.term_spans
            .get(number as usize)
            .and_then(|span| self.term_text.get(span.clone()))
            .unwrap_or("")
    }

    /// Every distinct tag and category spelling in the file, with whether
    /// it was unified from several.
    pub fn term_spellings(&self) -> impl Iterator<Item = (&str, bool)> {
        (0..self.term_spans.len()).map(|number| {
            let number = number as u32;
            (self.term(number), self.term_varied(number))
        })
    }

    /// Whether term `number`'s spelling was unified from several.
    fn term_varied(&self, number: u32) -> bool {
        self.term_varied
            .get(number as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The term number at `index` of the term-ref table.
    fn term_ref(&self, index: usize) -> u32 {
        index
            .checked_mul(4)
            .and_then(|n| n.checked_add(self.layout.refs))
            .map_or(u32::MAX, |at| u32_at(&self.map, at))
    }
}

/// The bytes of `arena[off .. off+len]`, `None` when out of bounds.
fn span(arena: &[u8], off: u32, len: u32) -> Option<&[u8]> {
    let off = off as usize;
    arena.get(off..off.checked_add(len as usize)?)
}

/// Where a cache file's bytes are: a read-only map of the file, or
/// memory (a library built by a load, before or without a cache file).
pub(super) enum Bytes {
    /// A mapped file.
    Mapped(Mmap),
    /// Bytes in memory.
    Owned(Vec<u8>),
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bytes::Mapped(map) => write!(f, "Mapped({} bytes)", map.len()),
            Bytes::Owned(bytes) => write!(f, "Owned({} bytes)", bytes.len()),
        }
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(map) => map,
            Bytes::Owned(bytes) => bytes,
        }
    }
}

/// Whether a cache file's pages are read in at open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Populate {
    /// At once: its checksum reads every byte anyway.
    AtOpen,
    /// As they are read: a file of hundreds of megabytes that a search
    /// reads block by block.
    OnDemand,
}

/// Opens a cache file, maps it and checks it with `check`, which gets the
/// whole file (or, for a file shorter than `header_len`, what there is of it,
/// read rather than mapped: an empty map is an error on some systems, and a
/// short file cannot pass, so `check` only says why). Every cache file is
/// opened this way; any failure names the file and what was wrong.
pub(super) fn map_checked<T>(
    path: &Path,
    header_len: usize,
    populate: Populate,
    check: impl Fn(&[u8]) -> Result<T, CacheErrorKind>,
) -> Result<(Mmap, T), CacheError> {
    let fail = |kind| CacheError::new(path, kind);
    let unreadable = |err: io::Error| fail(CacheErrorKind::Unreadable(err.to_string()));
    let file = open_regular(path).map_err(|err| match err.kind() {
        // No file, or no folder for it (a file stands where a folder of
        // its path should): nothing to open, which the write then says.
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => fail(CacheErrorKind::Missing),
        _ => unreadable(err),
    })?;
    let actual = file.metadata().map_err(unreadable)?.len();
    if actual < header_len as u64 {
        let mut head = Vec::new();
        (&file)
            .take(header_len as u64)
            .read_to_end(&mut head)
            .map_err(unreadable)?;
        let kind = check(&head).err().unwrap_or(CacheErrorKind::Truncated {
            expected: 0,
            actual,
        });
        return Err(fail(kind));
    }
    let mut options = MmapOptions::new();
    if populate == Populate::AtOpen {
        options.populate();
    }
    // SAFETY: mapping a file is unsound only if the file changes while it
    // is mapped (a truncation turns reads into SIGBUS; a rewrite changes
    // bytes behind `&[u8]`). Cache files live in broadsheet's own cache
    // folder and are only ever replaced by rename (`write`), never truncated
    // or written in place, so the mapped inode keeps its bytes for as long
    // as the map lives. All reads go through bounds checks besides.
    let map = unsafe { options.map(&file) }.map_err(unreadable)?;
    let checked = check(&map).map_err(fail)?;
    Ok((map, checked))
}

/// Opens a cache file for reading, refusing anything but a regular file:
/// a FIFO put in its place would block the open, a device would be read.
fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// Checks what every cache file starts with: its magic, a whole header,
/// this program's format version, and the length its header gives (a cut or
/// extended file is told apart from another file or version).
pub(super) fn check_start(
    b: &[u8],
    magic: &[u8; 8],
    header_len: usize,
) -> Result<(), CacheErrorKind> {
    let actual = b.len() as u64;
    if b.get(..magic.len()) != Some(magic.as_slice()) {
        return Err(CacheErrorKind::WrongMagic);
    }
    if b.len() < header_len {
        return Err(CacheErrorKind::Truncated {
            expected: 0,
            actual,
        });
    }
    let version = u32_at(b, 8);
    if version < FORMAT_VERSION {
        return Err(CacheErrorKind::OlderVersion(version));
    }
    if version > FORMAT_VERSION {
        return Err(CacheErrorKind::NewerVersion(version));
    }
    let expected = u64_at(b, 16);
    if expected > actual {
        return Err(CacheErrorKind::Truncated { expected, actual });
    }
    if expected < actual {
        return Err(CacheErrorKind::Extended { expected, actual });
    }
    Ok(())
}

/// Checks a whole file's bytes: the header, the checksum and every row.
fn check(b: &[u8], folder_key: u64) -> Result<(Layout, SummaryHeader), CacheErrorKind> {
    check_start(b, MAGIC, HEADER_LEN)?;
    if u32_at(b, 12) != 0 {
        return Err(CacheErrorKind::BadLayout("unknown flags"));
    }
    if u32_at(b, 36) as usize != RECORD_LEN {
        return Err(CacheErrorKind::BadLayout("record size"));
    }
    let count = u32_at(b, 32) as usize;
    let terms = u32_at(b, 40) as usize;
    let term_refs = u32_at(b, 44) as usize;
    let arena_len =
        usize::try_from(u64_at(b, 48)).map_err(|_| CacheErrorKind::BadLayout("section sizes"))?;
    let paths_len =
        usize::try_from(u64_at(b, 88)).map_err(|_| CacheErrorKind::BadLayout("section sizes"))?;
    if b.get(96..CHECKSUM_AT)
        .is_none_or(|reserved| reserved.iter().any(|&x| x != 0))
    {
        return Err(CacheErrorKind::BadLayout("reserved bytes"));
    }
    // Checked arithmetic: the counts are the file's word, and a wrapped sum
    // could otherwise make impossible sizes add up.
    let sections = (|| {
        let records = HEADER_LEN;
        let term_table = records.checked_add(count.checked_mul(RECORD_LEN)?)?;
        let refs = term_table.checked_add(terms.checked_mul(8)?)?;
        let arena = refs
            .checked_add(term_refs.checked_mul(4)?)?
            .checked_next_multiple_of(8)?;
        let paths = arena.checked_add(arena_len)?;
        let end = paths.checked_add(paths_len)?;
        Some((records, term_table, refs, arena, paths, end))
    })();
    let Some((records, term_table, refs, arena, paths, end)) = sections else {
        return Err(CacheErrorKind::BadLayout("section sizes"));
    };
    if end != b.len() {
        return Err(CacheErrorKind::BadLayout("section sizes"));
    }
    if u64_at(b, 56) != folder_key {
        return Err(CacheErrorKind::ForeignFolder);
    }
    if checksum(b) != u64_at(b, CHECKSUM_AT) {
        return Err(CacheErrorKind::ChecksumMismatch);
    }
    let header = SummaryHeader {
        generation: u64_at(b, 24),
        folder_key,
        scanned_ns: u64_at(b, 64) as i64,
        texts_len: u64_at(b, 72),
        words_len: u64_at(b, 80),
    };
    let layout = Layout {
        count,
        terms,
        term_refs,
        records,
        term_table,
        refs,
        arena: arena..paths,
        paths: paths..end,
    };
    validate(b, &layout)?;
    Ok((layout, header))
}

/// Every span in bounds and on character boundaries of a UTF-8 arena, every
/// term number in range, every row's terms within the table, every date a
/// date: after this, no accessor can fail. One pass, about 2 ms at 100,000
/// rows.
fn validate(b: &[u8], layout: &Layout) -> Result<(), CacheErrorKind> {
    let arena_bytes = b.get(layout.arena.clone()).unwrap_or(&[]);
    // The whole arena is UTF-8 and every span starts and ends on a
    // character boundary, so every span is UTF-8: one pass, not one per
    // string.
    let arena = std::str::from_utf8(arena_bytes)
        .map_err(|_| CacheErrorKind::BadLayout("strings are not UTF-8"))?;
    let is_string = |off: u32, len: u32| {
        let (off, len) = (off as usize, len as usize);
        off.checked_add(len).is_some_and(|end| {
            end <= arena.len() && arena.is_char_boundary(off) && arena.is_char_boundary(end)
        })
    };
    for term in 0..layout.terms {
        let at = layout.term_table + term * 8;
        if !is_string(u32_at(b, at), u32_at(b, at + 4) & !VARIED) {
            return Err(CacheErrorKind::BadTerm(term));
        }
    }
    let refs = b.get(layout.refs..layout.refs + layout.term_refs * 4);
    for number in refs.unwrap_or(&[]).chunks_exact(4) {
        if u32_at(number, 0) as usize >= layout.terms {
            return Err(CacheErrorKind::BadLayout("a tag number out of range"));
        }
    }
    let records = b.get(layout.records..layout.term_table).unwrap_or(&[]);
    const FIELDS: [&str; 5] = ["id", "title", "author", "source", "url"];
    for (row, record) in records.chunks_exact(RECORD_LEN).enumerate() {
        let bad = |what| CacheErrorKind::BadRow { row, what };
        for (field, what) in FIELDS.iter().enumerate() {
            let (off, len) = (u32_at(record, field * 8), u32_at(record, field * 8 + 4));
            // Only the optional fields may be absent.
            if field >= 2 && len == NONE {
                continue;
            }
            if !is_string(off, len) {
                return Err(bad(what));
            }
        }
        let start = u32_at(record, 40) as usize;
        let n = u16_at(record, 44) as usize + u16_at(record, 46) as usize;
        if start
            .checked_add(n)
            .is_none_or(|end| end > layout.term_refs)
        {
            return Err(bad("tags"));
        }
        let days = u32_at(record, 48) as i32;
        if days != NO_DATE && days_to_date(days).is_none() {
            return Err(bad("date"));
        }
        if Clock::unpack(u32_at(record, CLOCK_AT)).is_none() {
            return Err(bad("time"));
        }
        let (off, len) = (u32_at(record, PATH_AT), u32_at(record, PATH_AT + 4));
        let paths_len = layout.paths.len();
        if len != NONE
            && (off as usize)
                .checked_add(len as usize)
                .is_none_or(|end| end > paths_len)
        {
            return Err(bad("path"));
        }
    }
    Ok(())
}

/// One row of an open [`SummaryFile`], read in place. Two rows are equal
/// when every field is (whichever files they are in).
#[derive(Clone, Copy)]
pub struct SummaryRow<'a> {
    file: &'a SummaryFile,
    /// The row's 124 bytes.
    record: &'a [u8],
}

impl PartialEq for SummaryRow<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
            && self.title() == other.title()
            && self.date() == other.date()
            && self.clock() == other.clock()
            && self.arrived() == other.arrived()
            && self.tags().eq(other.tags())
            && self.categories().eq(other.categories())
            && self.author() == other.author()
            && self.source() == other.source()
            && self.url() == other.url()
            && self.path_bytes() == other.path_bytes()
            && self.words() == other.words()
            && self.term_bits() == other.term_bits()
            && self.stat_key() == other.stat_key()
    }
}

impl std::fmt::Debug for SummaryRow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SummaryRow")
            .field("id", &self.id())
            .field("title", &self.title())
            .field("date", &self.date())
            .field("clock", &self.clock())
            .field("arrived", &self.arrived())
            .field("tags", &self.tags().collect::<Vec<_>>())
            .field("categories", &self.categories().collect::<Vec<_>>())
            .field("author", &self.author())
            .field("source", &self.source())
            .field("url", &self.url())
            .field("words", &self.words())
            .finish_non_exhaustive()
    }
}

impl<'a> SummaryRow<'a> {
    /// The string field at `field` (0 id, 1 title, 2 author, 3 source, 4 url).
    fn field(&self, field: usize) -> Option<&'a str> {
        let (off, len) = (
            u32_at(self.record, field * 8),
            u32_at(self.record, field * 8 + 4),
        );
        (len != NONE).then(|| self.file.text(off, len))
    }

    /// The article's id.
    pub fn id(&self) -> &'a str {
        self.field(0).unwrap_or("")
    }

    /// The article's id as bytes, without the UTF-8 check: for sorting
    /// and comparing ids in bulk (byte order is `str` order).
    pub fn id_bytes(&self) -> &'a [u8] {
        let (off, len) = (u32_at(self.record, 0), u32_at(self.record, 4));
        span(self.file.arena(), off, len).unwrap_or(&[])
    }

    /// The title.
    pub fn title(&self) -> &'a str {
        self.field(1).unwrap_or("")
    }

    /// The author, when known.
    pub fn author(&self) -> Option<&'a str> {
        self.field(2)
    }

    /// The source (publication), when known.
    pub fn source(&self) -> Option<&'a str> {
        self.field(3)
    }

    /// The original address, when known.
    pub fn url(&self) -> Option<&'a str> {
        self.field(4)
    }

    /// The date, when the article has one.
    pub fn date(&self) -> Option<NaiveDate> {
        days_to_date(u32_at(self.record, 48) as i32)
    }

    /// The time of day and offset beside the date, when the article has
    /// them.
    pub fn clock(&self) -> Option<Clock> {
        Clock::unpack(u32_at(self.record, CLOCK_AT)).flatten()
    }

    /// When a feed first wrote the article, in nanoseconds since the Unix
    /// epoch, when one did.
    pub fn arrived(&self) -> Option<i64> {
        let arrived = u64_at(self.record, ARRIVED_AT) as i64;
        (arrived != NOT_ARRIVED).then_some(arrived)
    }

    /// The positions in the term-ref table of this row's tags (`tags`
    /// true) or categories.
    fn term_range(&self, tags: bool) -> Range<usize> {
        let start = u32_at(self.record, 40) as usize;
        let tag_count = u16_at(self.record, 44) as usize;
        let cat_count = u16_at(self.record, 46) as usize;
        let cats = start.saturating_add(tag_count);
        if tags {
            start..cats
        } else {
            cats..cats.saturating_add(cat_count)
        }
    }

    /// The spellings of the terms in `range`.
    fn terms(&self, range: Range<usize>) -> impl ExactSizeIterator<Item = &'a str> + use<'a> {
        let file = self.file;
        range.map(move |index| file.term(file.term_ref(index)))
    }

    /// The tags, in file order.
    pub fn tags(&self) -> impl ExactSizeIterator<Item = &'a str> + use<'a> {
        self.terms(self.term_range(true))
    }

    /// The categories, in file order.
    pub fn categories(&self) -> impl ExactSizeIterator<Item = &'a str> + use<'a> {
        self.terms(self.term_range(false))
    }

    /// The tags (`tags` true) or categories whose spelling was unified
    /// from several: other articles spell them otherwise. Changing or
    /// removing such an article can change how the others are spelled.
    pub fn varied_terms(&self, tags: bool) -> impl Iterator<Item = &'a str> + use<'a> {
        let file = self.file;
        self.term_range(tags)
            .map(move |index| file.term_ref(index))
            .filter(move |&number| file.term_varied(number))
            .map(move |number| file.term(number))
    }

    /// The word count.
    pub fn words(&self) -> u32 {
        u32_at(self.record, 52)
    }

    /// The tag and category bit filter.
    pub fn term_bits(&self) -> u64 {
        u64_at(self.record, 56)
    }

    /// The file's path relative to the articles folder, as the system's
    /// bytes, when it is not the id; `None` when the id is the path.
    pub fn path_bytes(&self) -> Option<&'a [u8]> {
        let file = self.file;
        file.path_bytes(
            u32_at(self.record, PATH_AT),
            u32_at(self.record, PATH_AT + 4),
        )
    }

    /// The stat key stored with the row; its times were saturated to `i64`
    /// nanoseconds when written (see [`CachedArticle::stat`]).
    pub fn stat_key(&self) -> StatKey {
        StatKey {
            dev: u64_at(self.record, 64),
            ino: u64_at(self.record, 72),
            size: u64_at(self.record, 80),
            mtime_ns: i128::from(u64_at(self.record, 88) as i64),
            ctime_ns: i128::from(u64_at(self.record, 96) as i64),
        }
    }
}
