//! Reading a folder of articles in parallel.
//!
//! The calling thread walks the folder (the walk of
//! [`scan`](mod@super::scan)) and hands batches of the files it finds to
//! worker threads through a channel, so reading starts while the walk goes
//! on; each worker reads and parses its files into its own lists, so no
//! lock is held while a file is read or parsed. Every problem with a single
//! file or subfolder becomes a [`LoadWarning`]; only an articles folder
//! that cannot be read at all is a [`LoadError`].
//!
//! The walk makes no metadata call for a file the folder's listing calls a
//! regular file: the reader makes one on the file it opens, which it must
//! anyway (to check it is still a regular file), so each file costs one. A
//! file reached through several paths is then read under each, and only
//! the article under the path the scan names it by is kept: one file, one
//! article, as in [`scan`](mod@super::scan).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Mutex, PoisonError};
use std::thread;

use super::cache::TextsWriter;
use super::scan::{
    FoundFile, StatKey, display_path, io_reason, is_symlink_loop, not_regular_message, scan_paths,
    warning_for,
};
use super::{Library, LoadWarning, Loaded, NOT_COUNTED};
use crate::article::{Article, Detail, Format};

pub use super::scan::LoadError;

/// Paths handed to a worker at a time: large enough that the channel costs
/// nothing next to the reads, small enough that a few thousand files still
/// spread over every worker.
const BATCH: usize = 64;

/// Files between two progress reports.
const PROGRESS_EVERY: usize = 1_000;

/// Upper bound on worker threads, whatever the options ask for: more only
/// adds memory and contention on the queue.
const MAX_THREADS: usize = 64;

/// Largest buffer reserved up front from a file's reported size; a file that
/// says it is bigger grows its buffer as it is actually read.
const MAX_PREALLOCATION: u64 = 64 * 1024 * 1024;

const MIB: u64 = 1024 * 1024;

/// Settings of a load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Files larger than this many bytes are skipped with a warning.
    pub max_size: u64,
    /// How much of each article to parse.
    pub detail: Detail,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_size: 16 * 1024 * 1024,
            detail: Detail::Full,
            threads: 0,
        }
    }
}

/// How far a load has got, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoadProgress {
    /// Article files found so far (regular files with an article's
    /// extension; a file reached through two paths counts twice).
    pub found: usize,
    /// Of those, how many are dealt with: loaded, or skipped with a warning.
    pub loaded: usize,
    /// Whether the whole folder has been walked, so `found` is final.
    pub done_walking: bool,
}

/// Loads every article under `root` (recursively) on worker threads.
///
/// Hidden files and folders and files that are not articles by their
/// extension are skipped silently; every other file that cannot be loaded is
/// a warning in the returned library. Fails only when `root` is missing, not
/// a folder, or cannot be read.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Library, LoadError> {
    load_with_progress(root, options, &|_| {})
}

/// Like [`load`], reporting progress now and then (every thousand or so
/// files, when the walk is done, and once at the end) so an interactive
/// reader can show it. `progress` is called from the loading threads.
pub fn load_with_progress(
    root: &Path,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) + Sync),
) -> Result<Library, LoadError> {
    read_folder(root, options, progress, None).map(FolderRead::build)
}

/// Reads the folder as [`load_with_progress`] does, every article read
/// whole, but its search text written into `texts` (a `texts.bin` being
/// written) instead of kept: the rows to build have their word counts
/// counted, and the sink says which text is each file's. What the first
/// index of the commands reads a folder with: each file read once, its
/// text written once, out of the heap. The library is built apart
/// ([`FolderRead::build`]), so the index can build it while it gathers
/// the words.
pub(super) fn read_into_texts(
    root: &Path,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) + Sync),
    texts: &TextSink<'_>,
) -> Result<FolderRead, LoadError> {
    let full = LoadOptions {
        detail: Detail::Full,
        ..options.clone()
    };
    read_folder(root, &full, progress, Some(texts))
}

/// A folder read, before its library is built.
pub(super) struct FolderRead {
    root: std::path::PathBuf,
    articles: Vec<Loaded>,
    warnings: Vec<LoadWarning>,
    /// Whether the articles keep their search texts.
    with_texts: bool,
    scanned_ns: i64,
}

impl FolderRead {
    /// The library of what was read ([`Library::build`]).
    pub(super) fn build(self) -> Library {
        Library::build(
            self.root,
            self.articles,
            self.warnings,
            self.with_texts,
            self.scanned_ns,
        )
    }
}

/// The walk and read of [`load_with_progress`] and [`read_into_texts`]:
/// ids made unique, warnings in path order, the texts kept when they were
/// read whole and not written into a `texts.bin`.
fn read_folder(
    root: &Path,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) + Sync),
    texts: Option<&TextSink<'_>>,
) -> Result<FolderRead, LoadError> {
    let scanned_ns = now_ns();
    let counters = Counters::new(progress);
    let (mut articles, mut warnings) = read_files_into(
        root,
        options,
        &counters,
        &mut |on_file| scan_paths(root, on_file),
        texts,
    )?;
    make_ids_unique(root, &mut articles, &mut warnings);
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    counters.report();
    Ok(FolderRead {
        root: root.to_path_buf(),
        articles,
        warnings,
        with_texts: options.detail == Detail::Full && texts.is_none(),
        scanned_ns,
    })
}

/// The `texts.bin` of a first index, written as the folder is read: each
/// reading thread gathers a run of texts and writes it whole under the
/// lock (the texts get the next numbers). So each file is read once and
/// its text written once, in the order the runs were written, not the
/// rows': the file's rows table, written at the end, says which is each
/// row's ([`into_parts`](Self::into_parts) gives what that needs).
pub(super) struct TextSink<'f> {
    /// The file being written and the number of each file's text (by
    /// device and inode); `None` once a write failed.
    out: Mutex<Option<SinkOut<'f>>>,
}

/// What [`TextSink::out`] guards.
struct SinkOut<'f> {
    writer: TextsWriter<&'f mut File>,
    places: Places,
}

/// Texts one after another, and where each ends: texts gathered in one
/// buffer rather than one allocation each.
#[derive(Default)]
pub(super) struct TextRun {
    pub(super) bytes: Vec<u8>,
    pub(super) ends: Vec<usize>,
}

impl TextRun {
    /// The texts, in the order they were added.
    pub(super) fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| self.bytes.get(start..end).unwrap_or(&[]))
    }
}

/// The texts a reading thread gathered since it last wrote: written
/// together, as consecutive texts of the file.
#[derive(Default)]
struct Run {
    texts: TextRun,
    /// The file (device and inode) of each text.
    files: Vec<(u64, u64)>,
}

impl Run {
    /// Texts gathered before a run is written: enough that the lock is
    /// taken rarely, few enough that a run stays small.
    const TEXTS: usize = 64;
    /// Bytes gathered before a run is written, whatever the number of
    /// texts.
    const BYTES: usize = 256 * 1024;

    fn is_full(&self) -> bool {
        self.files.len() >= Self::TEXTS || self.texts.bytes.len() >= Self::BYTES
    }

    fn clear(&mut self) {
        self.texts.bytes.clear();
        self.texts.ends.clear();
        self.files.clear();
    }
}

/// A reading thread's side of a [`TextSink`]: its run.
struct SinkThread<'s, 'f> {
    sink: &'s TextSink<'f>,
    run: Run,
}

impl SinkThread<'_, '_> {
    /// Adds the text of the file `file`, writing the run when it is full.
    fn put(&mut self, file: (u64, u64), text: &str) {
        let texts = &mut self.run.texts;
        texts.bytes.extend_from_slice(text.as_bytes());
        texts.ends.push(texts.bytes.len());
        self.run.files.push(file);
        if self.run.is_full() {
            self.write_run();
        }
    }

    /// Writes the run's texts as the next texts of the file.
    fn write_run(&mut self) {
        if !self.run.files.is_empty() {
            self.sink.write(&self.run);
            self.run.clear();
        }
    }

    /// Writes what is left.
    fn finish(mut self) {
        self.write_run();
    }
}

impl<'f> TextSink<'f> {
    /// A sink writing a `texts.bin` of the write `generation` into `file`
    /// (at its start).
    pub(super) fn new(file: &'f mut File, generation: u64) -> io::Result<TextSink<'f>> {
        Ok(TextSink {
            out: Mutex::new(Some(SinkOut {
                writer: TextsWriter::new(file, generation)?,
                places: HashMap::new(),
            })),
        })
    }

    /// Writes the texts of `run` one after another. A failed write (a
    /// full disk) ends the sink: [`into_parts`](Self::into_parts) then
    /// fails, and the index with it, rather than leave a text out.
    fn write(&self, run: &Run) {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(sink) = out.as_mut() else {
            return;
        };
        for (text, &file) in run.texts.iter().zip(&run.files) {
            let record = u32::try_from(sink.writer.len()).ok();
            match record.map(|record| (record, sink.writer.push_bytes(text))) {
                Some((record, Ok(()))) => {
                    sink.places.insert(file, record);
                }
                _ => {
                    *out = None;
                    return;
                }
            }
        }
    }

    /// Ends the reading: the writer, its texts written (and flushed, to
    /// be read back), and the number of each file's text, by device and
    /// inode. Fails when a write failed.
    pub(super) fn into_parts(self) -> io::Result<(TextsWriter<&'f mut File>, Places)> {
        let out = self
            .out
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(SinkOut { mut writer, places }) = out else {
            return Err(io::Error::other("a search text could not be written"));
        };
        writer.flush()?;
        Ok((writer, places))
    }
}

/// The number of each file's text in a [`TextSink`], by device and inode.
pub(super) type Places = HashMap<(u64, u64), u32>;

/// A walk that hands files over one by one and returns what it found
/// besides (its warnings).
pub(super) type Walk<'w> =
    dyn FnMut(&mut dyn FnMut(FoundFile)) -> Result<super::Scan, LoadError> + 'w;

/// Reads the files `walk` hands over (with the walk's warnings) on worker
/// threads: each file once, as [`Loaded`], each problem as a warning. For
/// a load, `walk` walks the whole folder; for a check of a loaded folder,
/// it hands over the files that changed.
pub(super) fn read_files(
    root: &Path,
    options: &LoadOptions,
    counters: &Counters<'_>,
    walk: &mut Walk<'_>,
) -> Result<(Vec<Loaded>, Vec<LoadWarning>), LoadError> {
    read_files_into(root, options, counters, walk, None)
}

/// [`read_files`], each search text put into `texts` (when given) rather
/// than kept in its article, and its words counted first.
fn read_files_into(
    root: &Path,
    options: &LoadOptions,
    counters: &Counters<'_>,
    walk: &mut Walk<'_>,
    texts: Option<&TextSink<'_>>,
) -> Result<(Vec<Loaded>, Vec<LoadWarning>), LoadError> {
    let (sender, receiver) = mpsc::channel();
    let queue = Mutex::new(receiver);
    let job = Job {
        root,
        max_size: options.max_size,
        detail: options.detail,
        queue: &queue,
        counters,
        texts,
    };
    let mut found = thread::scope(|scope| {
        let workers: Vec<_> = (0..worker_count(options.threads))
            .filter_map(|n| {
                thread::Builder::new()
                    .name(format!("load-{n}"))
                    .spawn_scoped(scope, || job.work())
                    .ok()
            })
            .collect();
        let mut batch = Vec::with_capacity(BATCH);
        let mut walked = 0;
        let scanned = walk(&mut |file| {
            counters.found_one();
            batch.push((walked, file));
            walked += 1;
            if batch.len() == BATCH {
                send(
                    &sender,
                    std::mem::replace(&mut batch, Vec::with_capacity(BATCH)),
                );
            }
        });
        send(&sender, batch);
        // No more work: the workers stop once the queue is empty.
        drop(sender);
        counters.walk_done();
        // When not a single thread could be started, the queue still holds
        // every batch: this thread reads them itself.
        let mut found = if workers.is_empty() {
            job.work()
        } else {
            Found::default()
        };
        for worker in workers {
            match worker.join() {
                Ok(part) => found.extend(part),
                // Parsing panics are caught per file, so this is a bug in the
                // loader itself: let it surface rather than return a library
                // that silently lacks articles.
                Err(payload) => panic::resume_unwind(payload),
            }
        }
        found.warnings.extend(scanned?.warnings);
        Ok(found)
    })?;
    found.keep_one_article_per_file();
    Ok((found.articles, found.warnings))
}

/// Now, in nanoseconds since the Unix epoch (0 before it, which no clock
/// of a running system is).
pub(crate) fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|since| i64::try_from(since.as_nanos()).ok())
        .unwrap_or(0)
}

/// The number of worker threads: as asked, or one per core.
pub(super) fn worker_count(asked: usize) -> usize {
    let count = if asked > 0 {
        asked
    } else {
        thread::available_parallelism().map_or(1, |n| n.get())
    };
    count.clamp(1, MAX_THREADS)
}

/// One file for a worker to read, with its place in the walk.
type Task = (usize, FoundFile);

/// Articles and warnings gathered by one thread.
#[derive(Default)]
struct Found {
    articles: Vec<Loaded>,
    /// For each article, the file it was read from (device and inode) and
    /// the place of its path in the walk.
    sources: Vec<((u64, u64), usize)>,
    warnings: Vec<LoadWarning>,
}

impl Found {
    fn extend(&mut self, other: Found) {
        // The first part is taken whole, not copied: the parts of a
        // million articles are hundreds of megabytes each.
        if self.articles.is_empty() && self.sources.is_empty() {
            let warnings = std::mem::take(&mut self.warnings);
            *self = other;
            self.warnings.extend(warnings);
            return;
        }
        self.articles.reserve_exact(other.articles.len());
        self.articles.extend(other.articles);
        self.sources.extend(other.sources);
        self.warnings.extend(other.warnings);
    }

    /// Keeps one article per file. A file reached through several paths
    /// (hard links, a link to a file in the folder) was read under each;
    /// the article kept is the one under the path the walk found first,
    /// which is the path [`super::scan::scan_each`] names the file by.
    fn keep_one_article_per_file(&mut self) {
        let mut by_file: Vec<((u64, u64), usize, usize)> = self
            .sources
            .iter()
            .enumerate()
            .map(|(at, &(file, walked))| (file, walked, at))
            .collect();
        by_file.sort_unstable();
        let mut second = vec![false; self.articles.len()];
        let mut any = false;
        for pair in by_file.windows(2) {
            if pair[0].0 == pair[1].0 {
                second[pair[1].2] = true;
                any = true;
            }
        }
        if !any {
            return;
        }
        // `retain` visits the items in order.
        let mut dropped = second.iter();
        self.articles.retain(|_| dropped.next() != Some(&true));
        let mut dropped = second.iter();
        self.sources.retain(|_| dropped.next() != Some(&true));
    }
}

/// Counts for progress reports, shared by the walker and the workers.
pub(super) struct Counters<'a> {
    found: AtomicUsize,
    loaded: AtomicUsize,
    done_walking: AtomicBool,
    progress: &'a (dyn Fn(LoadProgress) + Sync),
}

impl<'a> Counters<'a> {
    pub(super) fn new(progress: &'a (dyn Fn(LoadProgress) + Sync)) -> Self {
        Counters {
            found: AtomicUsize::new(0),
            loaded: AtomicUsize::new(0),
            done_walking: AtomicBool::new(false),
            progress,
        }
    }

    fn found_one(&self) {
        let found = self.found.fetch_add(1, Ordering::Relaxed) + 1;
        if found.is_multiple_of(PROGRESS_EVERY) {
            self.report();
        }
    }

    fn loaded_one(&self) {
        let loaded = self.loaded.fetch_add(1, Ordering::Relaxed) + 1;
        if loaded.is_multiple_of(PROGRESS_EVERY) {
            self.report();
        }
    }

    fn walk_done(&self) {
        self.done_walking.store(true, Ordering::Relaxed);
        self.report();
    }

    fn report(&self) {
        (self.progress)(LoadProgress {
            found: self.found.load(Ordering::Relaxed),
            loaded: self.loaded.load(Ordering::Relaxed),
            done_walking: self.done_walking.load(Ordering::Relaxed),
        });
    }
}

/// Hands a batch to the workers.
fn send(sender: &Sender<Vec<Task>>, batch: Vec<Task>) {
    if batch.is_empty() {
        return;
    }
    // The receiving end lives until every worker has finished, so sending
    // cannot fail; there is nothing else to do if it did.
    let _ = sender.send(batch);
}

/// What a worker needs: shared, read-only, handed to every worker.
#[derive(Clone, Copy)]
struct Job<'a, 'f> {
    /// The folder read (articles' paths are kept only where they are
    /// not the folder's path joined with the id).
    root: &'a Path,
    max_size: u64,
    detail: Detail,
    queue: &'a Mutex<Receiver<Vec<Task>>>,
    counters: &'a Counters<'a>,
    /// Where the search texts go, when not into the articles.
    texts: Option<&'a TextSink<'f>>,
}

impl Job<'_, '_> {
    /// Reads and parses batches until the walk is over and the queue empty.
    fn work(self) -> Found {
        let mut found = Found::default();
        let mut sink = self.texts.map(|sink| SinkThread {
            sink,
            run: Run::default(),
        });
        while let Some(batch) = self.next_batch() {
            for (walked, file) in batch {
                match load_file(file.id, file.path, file.format, self.max_size, self.detail) {
                    Ok((mut article, key)) => {
                        // The library keeps the search text, not the body
                        // (`Loaded` lets it go): the reader reads the open
                        // article again. Words are counted when asked (from
                        // the search text), not by every load.
                        let mut words = NOT_COUNTED;
                        if let Some(sink) = sink.as_mut() {
                            let text = std::mem::take(&mut article.folded);
                            let counted = crate::article::words::count_words(&text);
                            words = u32::try_from(counted).unwrap_or(NOT_COUNTED - 1);
                            sink.put(key.file_id(), &text);
                        }
                        found
                            .articles
                            .push(Loaded::new(self.root, article, key, words));
                        found.sources.push((key.file_id(), walked));
                    }
                    Err(warning) => found.warnings.push(warning),
                }
                self.counters.loaded_one();
            }
        }
        if let Some(sink) = sink {
            sink.finish();
        }
        found
    }

    /// The next batch, or `None` when there is no more work. The lock is
    /// held only while waiting for a batch, never while reading one.
    fn next_batch(&self) -> Option<Vec<Task>> {
        let receiver = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        receiver.recv().ok()
    }
}

/// Reads the article listed as `id` from its file at `path` with its whole
/// body: the article the reader opens, or `show` prints.
pub(crate) fn load_full(
    root: &Path,
    id: &str,
    path: &Path,
    max_size: u64,
) -> Result<Article, LoadWarning> {
    let format = Format::for_path(path).unwrap_or(Format::Plain);
    let name = display_path(root, path);
    let (mut full, _) = load_file(name, path.to_path_buf(), format, max_size, Detail::Full)?;
    id.clone_into(&mut full.id);
    Ok(full)
}

/// Reads and parses one article file, to be listed as `id`; with the key
/// of the file read.
pub(super) fn load_file(
    id: String,
    path: PathBuf,
    format: Format,
    max_size: u64,
    detail: Detail,
) -> Result<(Article, StatKey), LoadWarning> {
    let (bytes, key) = match read_keyed(&path, max_size) {
        Ok(read) => read,
        Err(problem) => return Err(warning_for(id, &problem.to_string())),
    };
    // A parser bug on one strange file must not take the whole folder down:
    // it costs that one article, with a warning that says so.
    let parsed = panic::catch_unwind(AssertUnwindSafe(|| {
        Article::from_bytes_with(id.clone(), path, &bytes, format, detail)
    }));
    match parsed {
        Ok(Ok(article)) => Ok((article, key)),
        Ok(Err(rejected)) => Err(warning_for(id, &rejected.to_string())),
        Err(_) => Err(warning_for(
            id,
            "could not be parsed (internal error); please report this file",
        )),
    }
}

/// Why a file's bytes could not be read.
#[derive(Debug)]
enum ReadProblem {
    /// A FIFO, socket or device (named by kind).
    NotRegular(String),
    /// Over the size limit.
    TooLarge { size: u64, limit: u64 },
    /// Opening or reading failed.
    Io(io::Error),
}

impl From<io::Error> for ReadProblem {
    fn from(err: io::Error) -> Self {
        ReadProblem::Io(err)
    }
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadProblem::NotRegular(kind) => f.write_str(kind),
            ReadProblem::TooLarge { size, limit } => write!(
                f,
                "larger than the {} limit ({}); raise library.max_article_size to load it",
                size_text(*limit),
                size_text(*size)
            ),
            ReadProblem::Io(err) if err.kind() == io::ErrorKind::NotFound => {
                f.write_str("vanished before it could be read (not found)")
            }
            ReadProblem::Io(err) if is_symlink_loop(err) => f.write_str("symbolic link loop"),
            ReadProblem::Io(err) => write!(f, "cannot be read ({})", io_reason(err)),
        }
    }
}

/// [`read_keyed`] without the key.
#[cfg(test)]
fn read_capped(path: &Path, max_size: u64) -> Result<Vec<u8>, ReadProblem> {
    read_keyed(path, max_size).map(|(bytes, _)| bytes)
}

/// Reads a regular file, at most `max_size` bytes of it; with the key of
/// the file opened (what was read is that file's).
///
/// The file is opened non-blocking, so a file swapped for a FIFO after the
/// walk saw it cannot hang the load, and its type is checked again on the
/// opened file. The read is capped, so a file growing while it is read cannot
/// exhaust memory.
fn read_keyed(path: &Path, max_size: u64) -> Result<(Vec<u8>, StatKey), ReadProblem> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(ReadProblem::NotRegular(not_regular_message(
            metadata.file_type(),
        )));
    }
    let too_large = |size: u64| ReadProblem::TooLarge {
        size,
        limit: max_size,
    };
    if metadata.len() > max_size {
        return Err(too_large(metadata.len()));
    }
    let reserve = metadata.len().min(MAX_PREALLOCATION);
    let mut bytes = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    // The bytes the key's size counts, and no read past them to find the
    // end: the key says what was read, and a file that grew since is
    // another key at the next check, read again then. (A million files'
    // reads that only found their ends were a million system calls.) A
    // file that says it is empty (as some the kernel makes do) is read to
    // its end.
    let limit = match metadata.len() {
        0 => max_size.saturating_add(1),
        size => size,
    };
    read_up_to(file, limit, &mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > max_size {
        return Err(too_large(read.max(metadata.len())));
    }
    Ok((bytes, StatKey::of(&metadata)))
}

/// Appends at most `limit` bytes of `file` to `bytes`.
fn read_up_to(file: File, limit: u64, bytes: &mut Vec<u8>) -> io::Result<()> {
    file.take(limit).read_to_end(bytes).map(|_| ())
}

/// A size in bytes, KiB or MiB, rounded up to a tenth so that a file just
/// over a limit never reads as equal to it; whole numbers without a decimal.
fn size_text(bytes: u64) -> String {
    let (unit, name) = match bytes {
        0..1024 => return format!("{bytes} bytes"),
        1024..MIB => (1024, "KiB"),
        _ => (MIB, "MiB"),
    };
    let tenths = (u128::from(bytes) * 10).div_ceil(u128::from(unit));
    if tenths % 10 == 0 {
        format!("{} {name}", tenths / 10)
    } else {
        format!("{}.{} {name}", tenths / 10, tenths % 10)
    }
}

/// Gives every article a distinct id. Different file names can read the same
/// once control characters are removed (or when they are not valid UTF-8).
/// Of such a group, a file whose name needed no cleaning keeps the id (so
/// `a.txt` stays `a.txt`), else the first in path order; the others get `~2`,
/// `~3`… in path order (skipping any id already taken), each with a warning.
pub(super) fn make_ids_unique(
    root: &Path,
    articles: &mut [Loaded],
    warnings: &mut Vec<LoadWarning>,
) {
    // Ids are nearly always distinct, so the name check below almost never
    // runs; equal ids end up next to each other, the keeper first.
    articles.sort_unstable_by(|a, b| {
        a.id()
            .cmp(b.id())
            .then_with(|| name_is_id(root, b).cmp(&name_is_id(root, a)))
            .then_with(|| a.path(root).cmp(&b.path(root)))
    });
    // Sorted: a repeated id follows its first. Checked without a set of
    // every id (a million strings at a first index).
    let repeats = articles.windows(2).any(|pair| pair[0].id() == pair[1].id());
    if !repeats {
        return;
    }
    let mut taken: HashSet<String> = HashSet::with_capacity(articles.len());
    let duplicate: Vec<bool> = articles
        .iter()
        .map(|one| !taken.insert(one.id().to_string()))
        .collect();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    for (one, _) in articles
        .iter_mut()
        .zip(duplicate)
        .filter(|(_, duplicate)| *duplicate)
    {
        let id = one.id().to_string();
        let suffix = next_suffix.entry(id.clone()).or_insert(2);
        let unique = loop {
            let candidate = format!("{id}~{suffix}");
            *suffix += 1;
            if taken.insert(candidate.clone()) {
                break candidate;
            }
        };
        let message = format!(
            "another file's name reads the same once unsafe characters are removed; \
             {LISTED_AS}{unique}"
        );
        warnings.push(warning_for(id, &message));
        one.set_id(root, &unique);
    }
}

/// How a numbering warning names the id the article got.
const LISTED_AS: &str = "this one is listed as ";

/// The id a numbering warning ([`make_ids_unique`]) gave its article, for
/// a warning that is one.
pub(crate) fn numbered_id(warning: &LoadWarning) -> Option<&str> {
    warning.message.split_once(LISTED_AS).map(|(_, id)| id)
}

/// Whether an article's id is its relative path exactly, with nothing
/// removed or replaced.
fn name_is_id(root: &Path, one: &Loaded) -> bool {
    // Kept apart only when it is not the folder's path joined with the id.
    let Some(path) = one.path_apart() else {
        return true;
    };
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut rest = one.id();
    for (n, component) in relative.components().enumerate() {
        if n > 0 {
            match rest.strip_prefix('/') {
                Some(after) => rest = after,
                None => return false,
            }
        }
        match component
            .as_os_str()
            .to_str()
            .and_then(|c| rest.strip_prefix(c))
        {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn article(id: &str, path: &str) -> Loaded {
        let article = Article {
            id: id.to_string(),
            path: PathBuf::from(path),
            title: String::new(),
            date: None,
            clock: None,
            arrived: None,
            categories: Vec::new(),
            tags: Vec::new(),
            author: None,
            source: None,
            url: None,
            blocks: Vec::new(),
            links: Vec::new(),
            enclosures: Vec::new(),
            problems: Vec::new(),
            folded: String::new(),
            term_bits: 0,
        };
        Loaded::new(Path::new("/r"), article, StatKey::default(), 0)
    }

    fn ids(articles: &[Loaded]) -> Vec<&str> {
        articles.iter().map(Loaded::id).collect()
    }

    #[test]
    fn reading_a_vanished_file_says_it_vanished() {
        let dir = tempfile::tempdir().unwrap();
        let problem = read_capped(&dir.path().join("gone.txt"), 1024).unwrap_err();
        assert!(matches!(&problem, ReadProblem::Io(e) if e.kind() == io::ErrorKind::NotFound));
        assert_eq!(
            problem.to_string(),
            "vanished before it could be read (not found)"
        );
    }

    #[test]
    fn reading_a_fifo_returns_at_once_with_its_kind() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `name` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
        let problem = read_capped(&fifo, 1024).unwrap_err();
        assert_eq!(problem.to_string(), "not a regular file (fifo)");
    }

    #[test]
    fn reading_is_capped_at_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, vec![b'a'; 100]).unwrap();
        assert_eq!(read_capped(&path, 100).unwrap().len(), 100);
        let problem = read_capped(&path, 99).unwrap_err();
        assert!(matches!(
            problem,
            ReadProblem::TooLarge {
                size: 100,
                limit: 99
            }
        ));
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_file_whose_size_says_empty_is_read_to_its_end() {
        // The kernel's own files give a size of 0 and still have bytes.
        let path = Path::new("/proc/self/status");
        assert_eq!(fs::metadata(path).unwrap().len(), 0);
        let bytes = read_capped(path, 1 << 20).unwrap();
        assert!(
            bytes.starts_with(b"Name:"),
            "{}",
            String::from_utf8_lossy(&bytes)
        );
    }

    #[test]
    fn an_empty_file_reads_as_no_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.txt");
        fs::write(&path, b"").unwrap();
        assert!(read_capped(&path, 0).unwrap().is_empty());
    }

    #[test]
    fn sizes_round_up_so_just_over_never_looks_equal() {
        assert_eq!(size_text(16 * MIB), "16 MiB");
        assert_eq!(size_text(16 * MIB + 1), "16.1 MiB");
        assert_eq!(size_text(MIB * 41 / 2), "20.5 MiB");
        assert_eq!(size_text(0), "0 bytes");
        assert_eq!(size_text(1023), "1023 bytes");
        assert_eq!(size_text(1500), "1.5 KiB");
        assert_eq!(size_text(MIB - 1), "1024 KiB");
        assert_eq!(size_text(u64::MAX), "17592186044416 MiB");
        let message = ReadProblem::TooLarge {
            size: 20 * MIB,
            limit: 16 * MIB,
        }
        .to_string();
        assert_eq!(
            message,
            "larger than the 16 MiB limit (20 MiB); raise library.max_article_size to load it"
        );
    }

    #[test]
    fn worker_count_is_as_asked_within_bounds() {
        assert_eq!(worker_count(3), 3);
        assert!(worker_count(0) >= 1);
        assert_eq!(worker_count(100_000), MAX_THREADS);
    }

    #[test]
    fn distinct_ids_are_left_alone() {
        let mut articles = vec![article("b.txt", "/r/b.txt"), article("a.txt", "/r/a.txt")];
        let mut warnings = Vec::new();
        make_ids_unique(Path::new("/r"), &mut articles, &mut warnings);
        assert_eq!(ids(&articles), ["a.txt", "b.txt"]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn of_names_that_read_alike_the_clean_one_keeps_the_id_and_the_others_are_numbered() {
        let mut articles = vec![
            article("a.txt", "/r/a\u{1b}[2m.txt"),
            article("a.txt", "/r/a.txt"),
            article("a.txt", "/r/a\u{1b}[1m.txt"),
        ];
        let mut warnings = Vec::new();
        make_ids_unique(Path::new("/r"), &mut articles, &mut warnings);
        let by_path: HashMap<_, _> = articles
            .iter()
            .map(|a| (a.path(Path::new("/r")), a.id()))
            .collect();
        let id_at = |path: &str| by_path.get(Path::new(path)).copied();
        assert_eq!(id_at("/r/a.txt"), Some("a.txt"));
        assert_eq!(id_at("/r/a\u{1b}[1m.txt"), Some("a.txt~2"));
        assert_eq!(id_at("/r/a\u{1b}[2m.txt"), Some("a.txt~3"));
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(|w| w.path == "a.txt"));
        assert!(warnings[0].message.contains("listed as a.txt~2"));
    }

    #[test]
    fn numbering_skips_ids_that_real_files_already_have() {
        let mut articles = vec![
            article("a", "/r/a"),
            article("a", "/r/a\u{7}"),
            article("a~2", "/r/a~2"),
        ];
        let mut warnings = Vec::new();
        make_ids_unique(Path::new("/r"), &mut articles, &mut warnings);
        let mut got = ids(&articles);
        got.sort_unstable();
        assert_eq!(got, ["a", "a~2", "a~3"]);
        assert_eq!(
            articles
                .iter()
                .find(|a| a.id() == "a~2")
                .map(|a| a.path(Path::new("/r"))),
            Some(PathBuf::from("/r/a~2"))
        );
    }

    #[test]
    fn many_alike_names_are_numbered_without_collisions() {
        let mut articles: Vec<Loaded> = (0..2_000)
            .map(|n| article("x.txt", &format!("/r/{n:05}")))
            .collect();
        let mut warnings = Vec::new();
        make_ids_unique(Path::new("/r"), &mut articles, &mut warnings);
        let distinct: HashSet<&str> = ids(&articles).into_iter().collect();
        assert_eq!(distinct.len(), 2_000);
        let id_of = |path: &str| {
            let path = PathBuf::from(path);
            articles
                .iter()
                .find(|a| a.path(Path::new("/r")) == path)
                .map(|a| a.id())
        };
        assert_eq!(id_of("/r/00000"), Some("x.txt"));
        assert_eq!(id_of("/r/00001"), Some("x.txt~2"));
        assert_eq!(id_of("/r/01999"), Some("x.txt~2000"));
        assert_eq!(warnings.len(), 1_999);
    }
}
