//! The first index of a folder: its cache written as the files are read,
//! in bounded memory, whatever the folder's size. Two ways ([`Way`]):
//!
//! - **List first** (the reader). Phase 1 reads every file's summary (a
//!   [`Detail::Summary`] load): rows are small, and the list can be shown
//!   from them at once. Phase 2 reads the files again, in the rows' order,
//!   in batches of bounded size whose files are read in parallel; each
//!   batch's search texts go straight into the new `texts.bin`
//!   ([`TextsWriter`]) while the word index gathers their words, and are
//!   dropped before the next batch.
//! - **Read once** (the commands). Each file is read once, whole; its
//!   search text goes straight into the new `texts.bin` (`load::TextSink`),
//!   in runs, in the order the reading threads write them. Once the files
//!   are read (and what the reading let go of given back), the words are
//!   gathered from that file in its own order, in batches (the word index
//!   numbers its articles as the texts are written): on one thread while
//!   the rows are built and sorted on another, then on every core. The
//!   file's rows table says which text is each row's.
//!
//! Then `words.bin`, and `summaries.bin` last: the commit, naming the
//! generation and lengths of the other two (see [`stored`]), so an index
//! killed part way leaves summaries that do not match the texts (rebuilt,
//! never trusted) or no summaries at all. The library is then opened from
//! the files it wrote, its texts mapped: in the page cache, not in the
//! heap.
//!
//! A file that changed between the two phases (or cannot be read again)
//! keeps its row of phase 1, whose stat key is the file's as phase 1 read
//! it: no longer the file's, so the next check of the folder reads it
//! again, and a row and a text of two versions of a file are never
//! trusted together.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::cache::{
    self, CacheError, CacheErrorKind, CacheLock, TEXTS_FILE, TextsWriter, WORD_BLOCK,
    WORD_PART_TEXTS, WORDS_FILE, WordIndexBuilder,
};
use super::load::{
    self, LoadError, LoadOptions, LoadProgress, TextRun, TextSink, load_with_progress,
    read_into_texts,
};
use super::stored::{self, Rows};
use super::{Library, LoadWarning, SortOrder};
use crate::article::{Detail, Format};

/// The most texts read in one batch, for each thread: a multiple of the
/// texts' and the word index's blocks, so that no block straddles two
/// batches. Each thread's part of a batch has words of its own, merged
/// into the whole's vocabulary once a batch: fewer, larger parts merge
/// less.
const BATCH_TEXTS: usize = 4_096;

/// The most bytes of article files read in one batch for each thread (as
/// their sizes said in phase 1); a batch holds at least one block of
/// texts whatever their size.
const BATCH_BYTES: u64 = 16 * 1024 * 1024;

/// Why a first index did not give a library.
#[derive(Debug)]
pub enum IndexError {
    /// The articles folder cannot be read at all.
    Load(LoadError),
    /// The cache could not be written (or opened once written): the caller
    /// reads the folder into memory instead.
    Cache(CacheError),
}

/// Where a first index can be made to stop, for the tests of what a kill
/// part way leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// A batch of texts is written (into the temporary file).
    MidTexts,
    /// `texts.bin` is in place, `words.bin` not yet.
    TextsWritten,
    /// `words.bin` is in place, `summaries.bin` not yet.
    WordsWritten,
}

/// Reads the folder `root` into a new cache in `dir`, whose `lock` the
/// caller holds (see the module's comment): `progress` hears of phase 1 as a load's progress, `listed` is
/// handed the library of phase 1 (rows without texts) as soon as it is
/// read, and says whether to go on. Returns the library opened from the
/// new cache, with the load's warnings; `None` when `listed` said stop.
pub fn index_folder(
    root: &Path,
    dir: &Path,
    lock: CacheLock,
    way: Way,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) + Sync),
    listed: &mut dyn FnMut(&Library) -> bool,
) -> Result<Option<Library>, IndexError> {
    index_until(root, dir, lock, way, options, progress, listed, &|_| false)
}

/// How a first index reads the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// The summaries first (the list can be shown), then the files read
    /// again for their texts: what the reader does, to show its list soon.
    ListFirst,
    /// Each file read once, its text set aside in an unnamed temporary
    /// file in the cache folder and copied into `texts.bin` in the rows'
    /// order: the fastest, for the commands, which show nothing before
    /// the end.
    ReadOnce,
}

/// [`index_folder`], failing (as a write that failed) at the first stage
/// `stop` names.
#[allow(clippy::too_many_arguments)]
pub(crate) fn index_until(
    root: &Path,
    dir: &Path,
    lock: CacheLock,
    way: Way,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) + Sync),
    listed: &mut dyn FnMut(&Library) -> bool,
    stop: &dyn Fn(Stage) -> bool,
) -> Result<Option<Library>, IndexError> {
    let warnings = match way {
        Way::ListFirst => {
            let summary_options = LoadOptions {
                detail: Detail::Summary,
                ..options.clone()
            };
            let rows =
                load_with_progress(root, &summary_options, progress).map_err(IndexError::Load)?;
            if !listed(&rows) {
                return Ok(None);
            }
            release_freed_memory();
            write_cache(&rows, dir, &lock, options, stop).map_err(IndexError::Cache)?
        }
        Way::ReadOnce => match read_once(root, dir, &lock, options, progress, listed, stop)? {
            Some(warnings) => warnings,
            None => return Ok(None),
        },
    };
    drop(lock);
    // The cache is opened mapped, its pages counted as the process's: what
    // the index held is given back first, not kept beside them.
    release_freed_memory();
    let opened = stored::open_cached(root, dir).map_err(IndexError::Cache)?;
    Ok(Some(opened.with_warnings(warnings)))
}

/// Gives the pages of freed memory back to the system. The allocator
/// keeps what a phase of the index let go of (a million articles' small
/// allocations, spread over the reading threads' arenas) for reuse, where
/// it still counts as the process's: hundreds of megabytes at a million
/// articles, beside the mapped cache the index then opens.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free pages of the allocator's own
    // arenas to the system; it touches no memory in use and may be called
    // at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Why the read-once index gave no cache: the closure that writes
/// `texts.bin` fails with an `io::Error`, and this says what it was.
enum Halt {
    /// The folder could not be read.
    Load(LoadError),
    /// `listed` said stop.
    Listed,
    /// A test's stop at [`Stage::MidTexts`].
    Stopped,
}

/// The read-once way (see the module's comment): `texts.bin` written as
/// the files are read, then `words.bin` and the rows. Returns the load's
/// warnings, `Ok(None)` when `listed` said stop.
fn read_once(
    root: &Path,
    dir: &Path,
    lock: &CacheLock,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) + Sync),
    listed: &mut dyn FnMut(&Library) -> bool,
    stop: &dyn Fn(Stage) -> bool,
) -> Result<Option<Vec<LoadWarning>>, IndexError> {
    let generation = cache::new_generation();
    let threads = load::worker_count(options.threads);
    let mut halt = None;
    let mut written = None;
    let texts = lock.replace_with(dir, TEXTS_FILE, &mut |file| {
        let sink = TextSink::new(file, generation)?;
        let read = match read_into_texts(root, options, progress, &sink) {
            Ok(read) => read,
            Err(error) => {
                halt = Some(Halt::Load(error));
                return Err(std::io::Error::other("the folder could not be read"));
            }
        };
        // What the reading let go of is given back before the words are
        // gathered: the two are never held at once.
        release_freed_memory();
        let (writer, places) = sink.into_parts()?;
        // The rows are built on a thread of their own while the words are
        // gathered, which need none of them.
        let built = AtomicBool::new(false);
        let (rows, words) = std::thread::scope(|scope| {
            let built = &built;
            let building = scope.spawn(move || {
                let rows = read.build();
                // The articles the rows were built from are given back
                // as the words go on.
                release_freed_memory();
                built.store(true, Ordering::Release);
                rows
            });
            let words = gather_words(&writer, threads, built);
            let rows = building
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (rows, words)
        });
        if !listed(&rows) {
            halt = Some(Halt::Listed);
            return Err(std::io::Error::other("stopped"));
        }
        if stop(Stage::MidTexts) {
            halt = Some(Halt::Stopped);
            return Err(std::io::Error::other("stopped"));
        }
        let words = words?;
        let positions = rows.order(SortOrder::Date);
        let records = positions
            .iter()
            .map(|&p| {
                let file = rows.get(p)?.stat_key().file_id();
                places.get(&file).copied()
            })
            .collect::<Option<Vec<u32>>>()
            .ok_or_else(|| std::io::Error::other("an article's text was not written"))?;
        drop(places);
        let texts_len = writer.finish_ordered(&records)?;
        written = Some((rows, positions, texts_len, words));
        Ok(())
    });
    match (texts, halt.take()) {
        (_, Some(Halt::Load(error))) => return Err(IndexError::Load(error)),
        (_, Some(Halt::Listed)) => return Ok(None),
        (_, Some(Halt::Stopped)) => {
            return Err(IndexError::Cache(stopped(dir, Stage::MidTexts)));
        }
        (Err(error), None) => return Err(IndexError::Cache(error)),
        (Ok(()), None) => {}
    }
    let Some((rows, positions, texts_len, words)) = written else {
        return Err(IndexError::Cache(stopped(dir, Stage::MidTexts)));
    };
    if stop(Stage::TextsWritten) {
        return Err(IndexError::Cache(stopped(dir, Stage::TextsWritten)));
    }
    // The words were counted as the files were read.
    let counted = |at: usize| {
        positions
            .get(at)
            .and_then(|&p| rows.get(p))
            .map_or(super::NOT_COUNTED, |row| row.words())
    };
    commit(
        &rows, dir, lock, &positions, generation, texts_len, words, &counted, stop,
    )
    .map_err(IndexError::Cache)?;
    Ok(Some(rows.warnings().to_vec()))
}

/// The word index of the texts `writer` wrote (and flushed), in the
/// order it wrote them: in parts of at most [`WORD_PART_TEXTS`] texts
/// (whole word blocks), each read back from the file in runs of at most
/// [`BATCH_TEXTS`] texts or about [`BATCH_BYTES`] bytes (into one reused
/// buffer: a part's own index is a few megabytes), gathered on a thread
/// and appended in order; one thread until `built` is set, then `threads`.
fn gather_words(
    writer: &TextsWriter<&mut std::fs::File>,
    threads: usize,
    built: &AtomicBool,
) -> std::io::Result<WordIndexBuilder> {
    let offsets = writer.offsets();
    let count = writer.len();
    let size = |at: usize| offsets[at + 1] - offsets[at];
    let words_of = |part_run: std::ops::Range<usize>| -> std::io::Result<WordIndexBuilder> {
        let mut bytes = Vec::new();
        let mut part = WordIndexBuilder::starting_at(part_run.start);
        let mut start = part_run.start;
        while start < part_run.end {
            let end = run_end(start, part_run.end, (BATCH_TEXTS, BATCH_BYTES), 1, &size);
            bytes.clear();
            let starts = writer.read_texts_into(start..end, &mut bytes)?;
            for pair in starts.windows(2) {
                // Each text without its NUL.
                part.push_bytes(bytes.get(pair[0]..pair[1] - 1).unwrap_or(&[]));
            }
            start = end;
        }
        Ok(part)
    };
    let mut runs = (0..count)
        .step_by(WORD_PART_TEXTS)
        .map(|start| start..(start + WORD_PART_TEXTS).min(count));
    let mut words = WordIndexBuilder::new();
    // While the rows are built, one thread gathers: with the building,
    // that is two cores busy, and the index held beside the rows as they
    // are built grows no faster on a machine with more.
    let while_building = std::iter::from_fn(|| {
        if built.load(Ordering::Acquire) {
            None
        } else {
            runs.next()
        }
    });
    words.extend_from_runs(while_building, 1, &words_of)?;
    words.extend_from_runs(runs, threads, &words_of)?;
    Ok(words)
}

/// The end of either way, once `texts.bin` is in place: `words.bin` from
/// `words`, then the rows (`summaries.bin`, the commit) in the order of
/// `positions`, with their word counts (`counted` of each place in that
/// order).
#[allow(clippy::too_many_arguments)]
fn commit(
    rows: &Library,
    dir: &Path,
    lock: &CacheLock,
    positions: &[usize],
    generation: u64,
    texts_len: u64,
    words: WordIndexBuilder,
    counted: &dyn Fn(usize) -> u32,
    stop: &dyn Fn(Stage) -> bool,
) -> Result<(), CacheError> {
    let words_len = write_words(dir, lock, words, generation)?;
    if stop(Stage::WordsWritten) {
        return Err(stopped(dir, Stage::WordsWritten));
    }
    let written = Rows {
        positions,
        words: counted,
        generation,
        texts_len,
        words_len,
    };
    stored::write_rows(lock, dir, rows, &written)
}

/// Writes `words.bin` from `words` into `dir`, under `lock`; returns the
/// file's length.
fn write_words(
    dir: &Path,
    lock: &CacheLock,
    words: WordIndexBuilder,
    generation: u64,
) -> Result<u64, CacheError> {
    let mut words = Some(words);
    let mut encoded = Ok(0);
    lock.replace_with(dir, WORDS_FILE, &mut |file| {
        // The builder is consumed by the encoding: taken out once.
        if let Some(words) = words.take() {
            encoded = words.encode_into(file, generation);
        }
        match &encoded {
            Ok(_) => Ok(()),
            Err(error) => Err(std::io::Error::other(error.to_string())),
        }
    })?;
    let words_len = encoded?;
    // The word index's many small lists are let go of: given back before
    // the rows are encoded into large new buffers that could not reuse them.
    release_freed_memory();
    Ok(words_len)
}

/// Whether `write_texts`' filler wrote every text or was stopped part way.
enum Written {
    /// Every text is in.
    Whole,
    /// A test's stop at [`Stage::MidTexts`].
    Stopped,
}

/// Writes `texts.bin` of `count` texts in `dir` (a temporary file renamed
/// over it, under `lock`) with what `fill` pushes, then lets a test stop at
/// [`Stage::TextsWritten`]. Returns the file's length.
fn write_texts(
    dir: &Path,
    lock: &CacheLock,
    count: usize,
    generation: u64,
    stop: &dyn Fn(Stage) -> bool,
    fill: &mut dyn FnMut(&mut TextsWriter<&mut std::fs::File>) -> std::io::Result<Written>,
) -> Result<u64, CacheError> {
    let mut texts_len = 0;
    let mut stopped_mid = false;
    lock.replace_with(dir, TEXTS_FILE, &mut |file| {
        let mut writer = TextsWriter::new(file, generation)?;
        if let Written::Stopped = fill(&mut writer)? {
            stopped_mid = true;
            return Err(std::io::Error::other("stopped"));
        }
        if writer.len() != count {
            return Err(std::io::Error::other(format!(
                "{} texts written of {count}",
                writer.len()
            )));
        }
        texts_len = writer.finish()?;
        Ok(())
    })
    .map_err(|error| {
        if stopped_mid {
            stopped(dir, Stage::MidTexts)
        } else {
            error
        }
    })?;
    if stop(Stage::TextsWritten) {
        return Err(stopped(dir, Stage::TextsWritten));
    }
    Ok(texts_len)
}

/// An interruption asked for by a test, as the error of a failed write.
fn stopped(dir: &Path, stage: Stage) -> CacheError {
    CacheError::new(
        dir,
        CacheErrorKind::Write(format!("the index was stopped ({stage:?})")),
    )
}

/// Phase 2: writes the texts, the words and then the rows of `rows` (the
/// library of phase 1) into `dir`. Returns the warnings of both phases.
fn write_cache(
    rows: &Library,
    dir: &Path,
    lock: &CacheLock,
    options: &LoadOptions,
    stop: &dyn Fn(Stage) -> bool,
) -> Result<Vec<LoadWarning>, CacheError> {
    let read = |position: usize, out: &mut Vec<u8>| {
        let text = read_text(rows, position, options.max_size)?;
        let words = crate::article::words::count_words(&text);
        out.extend_from_slice(text.as_bytes());
        Ok(u32::try_from(words).unwrap_or(super::NOT_COUNTED - 1))
    };
    let mut warnings = write_indexed(rows, dir, lock, options, &read, stop)?;
    warnings.extend(rows.warnings().iter().cloned());
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    warnings.dedup();
    Ok(warnings)
}

/// Reads the text of each row (`read` appends the text of the row at a
/// position and gives its word count), in the rows' order, in batches
/// read in parallel, and writes `texts.bin`, `words.bin` and then the
/// rows. Returns the warnings of texts that could not be read: those
/// articles keep their rows, their texts empty.
fn write_indexed(
    rows: &Library,
    dir: &Path,
    lock: &CacheLock,
    options: &LoadOptions,
    read: &ReadText<'_>,
    stop: &dyn Fn(Stage) -> bool,
) -> Result<Vec<LoadWarning>, CacheError> {
    let positions = rows.order(SortOrder::Date);
    let generation = cache::new_generation();
    let threads = load::worker_count(options.threads);
    let mut words = WordIndexBuilder::new();
    let mut counts: Vec<u32> = Vec::with_capacity(positions.len());
    let mut warnings: Vec<LoadWarning> = Vec::new();
    let texts_len = write_texts(
        dir,
        lock,
        positions.len(),
        generation,
        stop,
        &mut |writer| {
            let mut start = 0;
            while start < positions.len() {
                let end = batch_end(rows, &positions, start, threads);
                for part in read_batch(&positions[start..end], start, read, threads) {
                    for text in part.texts.iter() {
                        writer.push_bytes(text)?;
                    }
                    counts.extend(&part.counts);
                    warnings.extend(part.warnings);
                    words.append(part.words);
                }
                start = end;
                if stop(Stage::MidTexts) {
                    return Ok(Written::Stopped);
                }
            }
            Ok(Written::Whole)
        },
    )?;
    let counted = |at: usize| counts.get(at).copied().unwrap_or(super::NOT_COUNTED);
    commit(
        rows, dir, lock, &positions, generation, texts_len, words, &counted, stop,
    )?;
    Ok(warnings)
}

/// How phase 2 has the text of the row at a position: appended to the
/// buffer given, with the text's word count.
type ReadText<'a> = dyn Fn(usize, &mut Vec<u8>) -> Result<u32, LoadWarning> + Sync + 'a;

/// Where the batch that starts at `start`, read on `threads` threads,
/// ends: after [`BATCH_TEXTS`] texts a thread, or the first whole block
/// after [`BATCH_BYTES`] bytes of files a thread.
fn batch_end(rows: &Library, positions: &[usize], start: usize, threads: usize) -> usize {
    let size = |at: usize| rows.get(positions[at]).map_or(0, |row| row.stat_key().size);
    let (most_texts, most_bytes) = (BATCH_TEXTS * threads, BATCH_BYTES * threads as u64);
    run_end(
        start,
        positions.len(),
        (most_texts, most_bytes),
        cache::TEXT_BLOCK,
        &size,
    )
}

/// Where a run of texts that starts at `start` (of `len`) ends: after
/// `most.0` texts, or at the first multiple of `block` texts once their
/// sizes (`size` of each) add up to `most.1` bytes, so that however large
/// the texts, a run holds whole blocks and stays bounded.
fn run_end(
    start: usize,
    len: usize,
    most: (usize, u64),
    block: usize,
    size: &dyn Fn(usize) -> u64,
) -> usize {
    let (most_texts, most_bytes) = most;
    let mut bytes = 0u64;
    let mut end = start;
    while end < len && end - start < most_texts {
        bytes = bytes.saturating_add(size(end));
        end += 1;
        if bytes >= most_bytes && (end - start).is_multiple_of(block) {
            break;
        }
    }
    end
}

/// What one thread read of a batch: the texts of a run of rows, in
/// order, their word counts and their words.
struct Part {
    texts: TextRun,
    counts: Vec<u32>,
    words: WordIndexBuilder,
    warnings: Vec<LoadWarning>,
}

/// Reads the texts of the rows at `positions` (the batch from row `first`
/// on) with `read` on `threads` threads, each a run of whole word blocks;
/// the parts come back in order.
fn read_batch(positions: &[usize], first: usize, read: &ReadText<'_>, threads: usize) -> Vec<Part> {
    let per_thread = positions
        .len()
        .div_ceil(WORD_BLOCK)
        .div_ceil(threads.max(1))
        .max(1)
        * WORD_BLOCK;
    let read_run = |from: usize| {
        let run = positions.get(from..(from + per_thread).min(positions.len()));
        let mut part = Part {
            texts: TextRun::default(),
            counts: Vec::new(),
            words: WordIndexBuilder::starting_at(first + from),
            warnings: Vec::new(),
        };
        for &position in run.unwrap_or(&[]) {
            let start = part.texts.bytes.len();
            let count = match read(position, &mut part.texts.bytes) {
                Ok(count) => count,
                Err(warning) => {
                    part.texts.bytes.truncate(start);
                    part.warnings.push(warning);
                    0
                }
            };
            part.words.push_bytes(&part.texts.bytes[start..]);
            part.texts.ends.push(part.texts.bytes.len());
            part.counts.push(count);
        }
        part
    };
    if threads <= 1 || positions.len() <= per_thread {
        return vec![read_run(0)];
    }
    super::parallel::in_order((0..positions.len()).step_by(per_thread), &read_run)
}

/// The search text of the article at `position`, read again from its file.
fn read_text(rows: &Library, position: usize, max_size: u64) -> Result<String, LoadWarning> {
    let (Some(row), Some(path)) = (rows.get(position), rows.path(position)) else {
        return Ok(String::new());
    };
    let format = Format::for_path(&path).unwrap_or(Format::Plain);
    let id = row.id().to_string();
    let (article, _) = load::load_file(id, path, format, max_size, Detail::Full)?;
    Ok(article.folded)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::library::open::{Opening, open_library};
    use crate::library::stored::open_cached;
    use crate::library::{Marks, load, query};

    fn write(root: &Path, name: &str, text: &str) {
        let path = root.join(name);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).expect("a folder");
        }
        fs::write(path, text).expect("an article");
    }

    fn article(n: usize, extra: &str) -> String {
        format!(
            " date 2024-01-{:02} | Tagged: tag{}\n\nTitle {n}\n\nThe body of {n}: word{n} common {extra}.\n",
            n % 28 + 1,
            n % 5
        )
    }

    fn full() -> LoadOptions {
        LoadOptions::default()
    }

    /// What a person sees of a library: every row in order with its word
    /// count and text, and what a few searches find.
    fn answers(library: &Library) -> Vec<String> {
        let order = library.order(SortOrder::Date);
        let mut seen: Vec<String> = order
            .iter()
            .filter_map(|&p| {
                let row = library.get(p)?;
                Some(format!(
                    "{} | {} | {:?} | {} | {}",
                    row.id(),
                    row.title(),
                    row.date(),
                    library.words(p),
                    library.text(p)
                ))
            })
            .collect();
        for text in ["word17", "common", "changed", "tag:tag3", "\"body of 1\""] {
            let query = query::parse(text).expect("a query");
            let found = library.matching(&query, &Marks::default(), &order);
            let ids: Vec<&str> = found
                .iter()
                .filter_map(|&p| library.get(p).map(|row| row.id()))
                .collect();
            seen.push(format!("{text}: {ids:?}"));
        }
        seen
    }

    fn open(root: &Path, dir: &Path) -> Library {
        let opening = Opening {
            cache: Some(dir),
            load: full(),
            fresh: false,
            list_first: false,
        };
        open_library(root, &opening, &|_| {}, &mut |_| true)
            .expect("the folder opens")
            .expect("not stopped")
            .library
    }

    #[test]
    fn an_index_stopped_at_any_stage_is_never_trusted_and_the_next_start_answers_right() {
        for (stage, way) in [Stage::MidTexts, Stage::TextsWritten, Stage::WordsWritten]
            .into_iter()
            .flat_map(|stage| [(stage, Way::ListFirst), (stage, Way::ReadOnce)])
        {
            for old_cache in [false, true] {
                let folder = tempfile::tempdir().expect("a folder");
                let cache = tempfile::tempdir().expect("a cache folder");
                let (root, dir) = (folder.path(), cache.path());
                for n in 0..600 {
                    write(root, &format!("d{}/a{n:04}.txt", n % 3), &article(n, ""));
                }
                if old_cache {
                    open(root, dir);
                    // The folder moves on: gone, changed and new files.
                    for n in (0..600).step_by(7) {
                        fs::remove_file(root.join(format!("d{}/a{n:04}.txt", n % 3)))
                            .expect("a delete");
                    }
                    for n in (1..600).step_by(11) {
                        write(
                            root,
                            &format!("d{}/a{n:04}.txt", n % 3),
                            &article(n, "changed"),
                        );
                    }
                    for n in 600..700 {
                        write(root, &format!("new/a{n:04}.txt"), &article(n, "changed"));
                    }
                }
                let lock = CacheLock::acquire(dir).expect("the lock");
                let stopped = index_until(
                    root,
                    dir,
                    lock,
                    way,
                    &full(),
                    &|_| {},
                    &mut |_| true,
                    &|at| at == stage,
                );
                assert!(
                    matches!(stopped, Err(IndexError::Cache(_))),
                    "{stage:?}: {stopped:?}"
                );
                let left = open_cached(root, dir);
                match (stage, old_cache) {
                    // The texts never took the old ones' place: the old
                    // cache is whole, and the next start's check brings it
                    // up to date.
                    (Stage::MidTexts, true) => assert!(left.is_ok(), "{stage:?}"),
                    _ => assert!(left.is_err(), "{stage:?} {old_cache}: trusted half written"),
                }
                let fresh = load(root, &full()).expect("a fresh load");
                assert_eq!(
                    answers(&open(root, dir)),
                    answers(&fresh),
                    "{stage:?} {way:?}, old cache {old_cache}"
                );
                // And the cache is whole again.
                let reopened = open_cached(root, dir).expect("the rebuilt cache");
                assert_eq!(answers(&reopened), answers(&fresh));
            }
        }
    }

    #[test]
    fn batches_hold_whole_blocks_and_stay_within_their_bounds() {
        let folder = tempfile::tempdir().expect("a folder");
        let root = folder.path();
        for n in 0..(2 * BATCH_TEXTS + 300) {
            write(root, &format!("a{n:05}.txt"), &article(n, ""));
        }
        let rows = load(
            root,
            &LoadOptions {
                detail: Detail::Summary,
                ..full()
            },
        )
        .expect("a load");
        let positions = rows.order(SortOrder::Date);
        let first = batch_end(&rows, &positions, 0, 2);
        assert_eq!(first, 2 * BATCH_TEXTS);
        assert_eq!(batch_end(&rows, &positions, first, 2), positions.len());
        assert_eq!(batch_end(&rows, &positions, 0, 1), BATCH_TEXTS);
        assert!(BATCH_TEXTS.is_multiple_of(cache::TEXT_BLOCK));
        assert!(cache::TEXT_BLOCK.is_multiple_of(WORD_BLOCK));
    }
}
