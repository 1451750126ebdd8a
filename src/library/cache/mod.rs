//! The on-disk cache of a folder of articles: what the list and the filters
//! need, in files that are memory-mapped and read in place, so a start with
//! the cache present shows the list without reading a single article file.
//!
//! The cache is disposable: the articles folder stays the only truth. A
//! file that is missing, of another format version, cut short, from another
//! folder, or fails its checksum or its validation is a [`CacheError`], and
//! the caller rebuilds it; it is never trusted and never makes the program
//! crash. BENCHMARKS.md ("Cache storage: the choice") records why the format
//! is our own and describes the layout.
//!
//! - [`format`](mod@format): `summaries.bin`, the list: [`encode`] writes the bytes,
//!   [`SummaryFile::open`] maps, checks and validates a file, and
//!   [`SummaryRow`] reads one row in place.
//! - [`texts`](mod@texts): `texts.bin`, the search texts: [`TextsWriter`]
//!   writes a file as the texts come (and [`encode_texts`] the bytes),
//!   [`TextFile::open`] maps and checks a file, and [`TextFile::block_ok`]
//!   checks a block's text on demand; [`write_texts`] replaces the file.
//! - [`words`](mod@words): `words.bin`, the word index that narrows a
//!   search to blocks of articles: [`WordIndexBuilder`] gathers the words
//!   and writes a file ([`encode_words`] the bytes), [`WordIndex::open`]
//!   maps and checks a file, [`WordIndex::candidate_blocks`] gives the
//!   blocks a query must scan, and [`write_words`] replaces the file.
//! - [`dir`]: where the cache of an articles folder lives ([`cache_dir`])
//!   and the key that ties a file to its folder ([`folder_key`]).
//! - [`write`](mod@write): replacing a cache file by rename, one writer at a time
//!   ([`write_summaries`], [`CacheLock`]).

pub mod dir;
pub mod format;
pub mod texts;
pub mod words;
pub mod write;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use std::error::Error;
use std::fmt;
use std::path::PathBuf;

use crate::article::sanitize::sanitize_line;

pub use dir::folder_key;
/// The format version of the three cache files this program writes and
/// reads (`summaries.bin`, `texts.bin` and `words.bin` share it); a file with
/// another is rebuilt. Bumped on any change of their layouts. Here, beside
/// the errors that name it, so the files' modules only read it.
pub const FORMAT_VERSION: u32 = 6;

pub use format::{
    CachedArticle, RowsEncoder, SUMMARIES_FILE, SummaryFile, SummaryHeader, SummaryRow, encode,
    encode_with_variants,
};
pub use texts::{TEXT_BLOCK, TEXTS_FILE, TextFile, TextsWriter, encode_texts, write_texts};
pub use words::{
    ArticleSet, Candidates, WORD_BLOCK, WORD_PART_TEXTS, WORDS_FILE, WordIndex, WordIndexBuilder,
    encode_words, write_words,
};
pub use write::{CacheLock, new_generation, write_summaries};

/// Why a cache file cannot be used (and so is rebuilt), or could not be
/// written. Its `Display` is one line naming the file, fit for the status
/// line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheError {
    /// The cache file (or folder) concerned.
    pub path: PathBuf,
    /// What was wrong with it.
    pub kind: CacheErrorKind,
}

/// What was wrong with a cache file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheErrorKind {
    /// There is no such file (the first start, or the cache was removed).
    Missing,
    /// The file could not be opened or mapped; the system's reason.
    Unreadable(String),
    /// The file does not start with the magic bytes of this kind of file.
    WrongMagic,
    /// The file was written by an older broadsheet in an older format.
    OlderVersion(u32),
    /// The file was written by a newer broadsheet in a format this one does
    /// not know.
    NewerVersion(u32),
    /// The file is shorter than its header says (a write cut short, or a
    /// file truncated by something else).
    Truncated {
        /// The length the header records (0 when even the header is cut).
        expected: u64,
        /// The length on disk.
        actual: u64,
    },
    /// The file is longer than its header says.
    Extended {
        /// The length the header records.
        expected: u64,
        /// The length on disk.
        actual: u64,
    },
    /// The header's sizes or fixed fields do not describe a possible file.
    BadLayout(&'static str),
    /// The file is the cache of another articles folder.
    ForeignFolder,
    /// The file belongs to another write of the cache than the
    /// `summaries.bin` beside it (a reader caught between two renames, or a
    /// writer killed part way).
    OtherGeneration {
        /// The generation of the `summaries.bin`.
        expected: u64,
        /// The generation this file carries.
        found: u64,
    },
    /// The contents do not match their checksum (the file was damaged).
    ChecksumMismatch,
    /// A row points outside the file, into the middle of a character, or at
    /// a tag that does not exist, or holds an impossible value.
    BadRow {
        /// The row's position in the file.
        row: usize,
        /// Which field is wrong.
        what: &'static str,
    },
    /// An entry of the tag and category table points outside the strings.
    BadTerm(usize),
    /// The data is too large for the format's 32-bit offsets and counts
    /// (only when writing).
    TooLarge(&'static str),
    /// The file could not be written; what went wrong and what to do.
    Write(String),
}

impl CacheError {
    /// An error about `path`.
    pub fn new(path: impl Into<PathBuf>, kind: CacheErrorKind) -> Self {
        CacheError {
            path: path.into(),
            kind,
        }
    }

    /// Whether the file simply is not there: a first start, worth no note,
    /// unlike a cache that was there and broken.
    pub fn is_missing(&self) -> bool {
        self.kind == CacheErrorKind::Missing
    }
}

impl fmt::Display for CacheErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CacheErrorKind::Missing => write!(f, "missing"),
            CacheErrorKind::Unreadable(reason) => {
                write!(f, "cannot be read ({})", sanitize_line(reason))
            }
            CacheErrorKind::WrongMagic => write!(f, "not a broadsheet cache file"),
            CacheErrorKind::OlderVersion(found) => write!(
                f,
                "an older format (version {found}, this broadsheet uses {})",
                FORMAT_VERSION
            ),
            CacheErrorKind::NewerVersion(found) => write!(
                f,
                "a newer format (version {found}, this broadsheet knows up to {})",
                FORMAT_VERSION
            ),
            CacheErrorKind::Truncated { expected, actual } => {
                write!(f, "cut short ({actual} of {expected} bytes)")
            }
            CacheErrorKind::Extended { expected, actual } => {
                write!(
                    f,
                    "longer than written ({actual} bytes, {expected} expected)"
                )
            }
            CacheErrorKind::BadLayout(what) => write!(f, "damaged header: {what}"),
            CacheErrorKind::ForeignFolder => write!(f, "the cache of another articles folder"),
            CacheErrorKind::OtherGeneration { expected, found } => write!(
                f,
                "from another write of the cache (generation {found:016x}, not {expected:016x})"
            ),
            CacheErrorKind::ChecksumMismatch => write!(f, "damaged (checksum mismatch)"),
            CacheErrorKind::BadRow { row, what } => write!(f, "damaged: bad {what} at row {row}"),
            CacheErrorKind::BadTerm(term) => write!(f, "damaged: bad tag or category {term}"),
            CacheErrorKind::TooLarge(what) => write!(f, "too large for the cache format: {what}"),
            CacheErrorKind::Write(message) => write!(f, "{}", sanitize_line(message)),
        }
    }
}

impl CacheError {
    /// The file's path made terminal-safe (it comes from the environment
    /// or the config), for messages.
    pub fn shown_path(&self) -> String {
        sanitize_line(&self.path.to_string_lossy())
    }
}

impl fmt::Display for CacheError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cache {}: {}", self.shown_path(), self.kind)
    }
}

impl Error for CacheError {}
