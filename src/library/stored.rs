//! A library and its cache folder: [`open_cached`] opens a library from the
//! three cache files, [`save`] writes one into them.
//!
//! A save writes `texts.bin` and `words.bin` first and `summaries.bin` last,
//! each by rename under the folder's lock: the summaries are the commit, and
//! name the generation and lengths of the other two. A reader that opens the
//! summaries of one write and the texts of another (a writer renamed between
//! its two opens) sees the generations differ and tries again; a writer
//! killed part way leaves the previous summaries, which no longer match the
//! texts it replaced, so the cache is rebuilt: never trusted half written.

use std::collections::HashSet;
use std::path::Path;

use super::cache::{
    self, CacheError, CacheErrorKind, CacheLock, CachedArticle, SUMMARIES_FILE, SummaryFile,
    SummaryHeader, TEXTS_FILE, TextFile, TextsWriter, WORDS_FILE, WordIndex, WordIndexBuilder,
};
use super::{Library, SortOrder, Texts};

/// How often an open is tried when the files belong to different writes.
const OPEN_TRIES: usize = 3;

/// Opens the library of the articles folder `root` from its cache folder
/// `dir`: the rows and texts mapped, checked as [`SummaryFile::open`] and
/// [`TextFile::open`] say. Any problem is a [`CacheError`] that names the
/// file (`is_missing` when there is no cache yet); the caller loads the
/// folder instead and saves a new cache. The library has no warnings: the
/// check of the folder that follows finds them again.
pub fn open_cached(root: &Path, dir: &Path) -> Result<Library, CacheError> {
    let library = open_cached_without_words(root, dir)?;
    match open_words(&library, dir) {
        Err(error) if is_other_write(&error) => {
            // The words of a newer write: wait for its writer, and open the
            // whole of that write.
            CacheLock::wait_for_writer(dir);
            let library = open_cached_without_words(root, dir)?;
            open_words(&library, dir)?;
            Ok(library)
        }
        Err(error) => Err(error),
        Ok(()) => Ok(library),
    }
}

/// Whether an open failed because the files belong to two writes: a writer
/// was between its renames.
fn is_other_write(error: &CacheError) -> bool {
    matches!(error.kind, CacheErrorKind::OtherGeneration { .. })
}

/// [`open_cached`] without the word index, which [`open_words`] then
/// attaches: the list and the search work at once, and the index (whose
/// check reads all of it, 137 ms at a million articles) follows.
pub fn open_cached_without_words(root: &Path, dir: &Path) -> Result<Library, CacheError> {
    let key = folder_key_of(root)?;
    CacheLock::sweep_if_free(dir);
    let mut tries = 0;
    loop {
        tries += 1;
        match open_once(root, dir, key) {
            Err(error) if is_other_write(&error) && tries < OPEN_TRIES => {
                // A writer is between its renames: its summaries come
                // last, so once it lets go of the lock the files agree.
                CacheLock::wait_for_writer(dir);
            }
            result => return result,
        }
    }
}

/// [`open_cached_without_words`] by the writer of the cache folder, who
/// holds its `lock`: no write can be under way, so files of two writes are
/// an error at once (waiting for a writer would wait for ourselves).
pub fn open_cached_as_writer(
    root: &Path,
    dir: &Path,
    _lock: &CacheLock,
) -> Result<Library, CacheError> {
    open_once(root, dir, folder_key_of(root)?)
}

/// The key of the articles folder `root` ([`cache::folder_key`] of its
/// canonical path).
fn folder_key_of(root: &Path) -> Result<u64, CacheError> {
    let canonical = std::fs::canonicalize(root)
        .map_err(|err| CacheError::new(root, CacheErrorKind::Unreadable(err.to_string())))?;
    Ok(cache::folder_key(&canonical))
}

/// One try of [`open_cached`].
fn open_once(root: &Path, dir: &Path, key: u64) -> Result<Library, CacheError> {
    let rows = SummaryFile::open(&dir.join(SUMMARIES_FILE), key)?;
    let header = *rows.header();
    let texts = match header.texts_len {
        0 => None,
        expected => {
            let path = dir.join(TEXTS_FILE);
            let texts = TextFile::open(&path, header.generation)?;
            check_length(&path, texts.bytes().len(), expected)?;
            if texts.len() != rows.len() {
                return Err(CacheError::new(
                    path,
                    CacheErrorKind::BadLayout("not one text per row"),
                ));
            }
            Some(Texts::mapped(texts))
        }
    };
    Ok(Library::from_files(
        root.to_path_buf(),
        rows,
        texts,
        None,
        Vec::new(),
    ))
}

/// Opens the word index in the cache folder `dir` and attaches it to
/// `library` (opened from that folder); nothing when the cache has none.
/// An index of another write, or damaged, is an error: the cache should be
/// rebuilt (searches stay right without it, only slower).
pub fn open_words(library: &Library, dir: &Path) -> Result<(), CacheError> {
    let header = *library.base_header();
    if header.words_len == 0 {
        return Ok(());
    }
    let path = dir.join(WORDS_FILE);
    let words = WordIndex::open(&path, header.generation)?;
    check_length(&path, words.byte_len(), header.words_len)?;
    // Of the same write (checked at open): refused only when one is
    // attached already, which is as good.
    library.attach_words(words);
    Ok(())
}

/// A file whose length is not the one the summaries recorded belongs to
/// another write.
fn check_length(path: &Path, actual: usize, expected: u64) -> Result<(), CacheError> {
    if actual as u64 == expected {
        return Ok(());
    }
    Err(CacheError::new(
        path,
        CacheErrorKind::BadLayout("not the length the summaries recorded"),
    ))
}

/// Writes every article of `library`, in the default order, into the cache
/// folder `dir` (created when missing): its texts and their word index when
/// it has texts, then its rows. One writer at a time (the folder's lock);
/// readers keep what they mapped. A folder that cannot be written
/// (read-only, full) is an error naming it; the library is unchanged either
/// way. Returns the generation written ([`Library::generation`] of the
/// library opened from it). The texts stream from the library (mapped, or
/// in memory) into the file; only the word index is built in memory.
pub fn save(library: &Library, dir: &Path) -> Result<u64, CacheError> {
    let lock = CacheLock::acquire(dir)?;
    let positions = library.order(SortOrder::Date);
    let generation = cache::new_generation();
    let (texts_len, words_len) = if library.has_texts() {
        let mut texts_len = 0;
        lock.replace_with(dir, TEXTS_FILE, &mut |file| {
            let mut writer = TextsWriter::new(file, generation)?;
            for &position in &positions {
                writer.push(&library.text(position))?;
            }
            texts_len = writer.finish()?;
            Ok(())
        })?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut words = Some(WordIndexBuilder::from_texts(
            positions.len(),
            &|i| positions.get(i).map_or("".into(), |&p| library.text(p)),
            threads,
        ));
        let mut encoded = Ok(0);
        lock.replace_with(dir, WORDS_FILE, &mut |file| {
            if let Some(words) = words.take() {
                encoded = words.encode_into(file, generation);
            }
            encoded
                .as_ref()
                .map(|_| ())
                .map_err(|error| std::io::Error::other(error.to_string()))
        })?;
        (texts_len, encoded?)
    } else {
        (0, 0)
    };
    write_rows(
        &lock,
        dir,
        library,
        &Rows {
            positions: &positions,
            // Counted now where the load left it to be counted.
            words: &|at| u32::try_from(library.words(positions[at])).unwrap_or(u32::MAX - 1),
            generation,
            texts_len,
            words_len,
        },
    )?;
    Ok(generation)
}

/// What a write of `summaries.bin` takes besides the library: which rows,
/// in which order, their word counts, and the write they commit.
pub(super) struct Rows<'a> {
    /// The library's positions, in the order of the file's rows.
    pub(super) positions: &'a [usize],
    /// The word count of the row at a place in `positions`.
    pub(super) words: &'a dyn Fn(usize) -> u32,
    /// The generation of the write.
    pub(super) generation: u64,
    /// The lengths of the `texts.bin` and `words.bin` written (0: none).
    pub(super) texts_len: u64,
    pub(super) words_len: u64,
}

/// Writes the rows of `library` into the `summaries.bin` of `dir`, under
/// the folder's `lock`: the last file of a write, the commit.
pub(super) fn write_rows(
    lock: &CacheLock,
    dir: &Path,
    library: &Library,
    rows: &Rows<'_>,
) -> Result<(), CacheError> {
    let canonical = std::fs::canonicalize(library.root()).map_err(|err| {
        CacheError::new(library.root(), CacheErrorKind::Unreadable(err.to_string()))
    })?;
    let header = SummaryHeader {
        generation: rows.generation,
        folder_key: cache::folder_key(&canonical),
        scanned_ns: library.oldest_scan(),
        texts_len: rows.texts_len,
        words_len: rows.words_len,
    };
    let varied: HashSet<&str> = rows
        .positions
        .iter()
        .filter_map(|&position| library.get(position))
        .flat_map(|row| row.varied_terms(true).chain(row.varied_terms(false)))
        .collect();
    // Row by row: a million rows' fields gathered first would hold as
    // much again as the rows themselves.
    let mut encoder = cache::RowsEncoder::new(rows.positions.len());
    for (at, row) in rows
        .positions
        .iter()
        .enumerate()
        .filter_map(|(at, &position)| Some((at, library.get(position)?)))
    {
        let cached = CachedArticle {
            id: row.id(),
            title: row.title(),
            date: row.date(),
            clock: row.clock(),
            arrived: row.arrived(),
            tags: row.tags().collect(),
            categories: row.categories().collect(),
            author: row.author(),
            source: row.source(),
            url: row.url(),
            path: row.path_bytes(),
            words: (rows.words)(at),
            term_bits: row.term_bits(),
            stat: row.stat_key(),
        };
        encoder.push(&cached, &varied)?;
    }
    let bytes = encoder.finish(&header)?;
    lock.replace(dir, SUMMARIES_FILE, &bytes)
}
