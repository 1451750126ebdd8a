//! A watcher's word for the folder, so that commands need not state every
//! file: learnt from git's file-system monitor (`core.fsmonitor`).
//!
//! Checking a folder of a million files against its cache stats every one
//! of them (about 5 s). While a watcher follows the folder (the reader, or
//! `broadsheet watch`), it keeps a record in the cache folder of where the
//! folder may differ from one write of the cache (its generation): the
//! files its own check of the whole folder found changed, and every path
//! the kernel's events named since. A command that finds the record of the
//! cache it opened, kept by a watcher still alive, checks only those paths
//! ([`refresh_paths`](super::refresh::refresh_paths)); otherwise the whole
//! folder, as without a watcher.
//!
//! How the pieces fit:
//! - [`Voucher`] is the watcher's side. It holds `watch.lock` alone for as
//!   long as it runs (one watcher per folder: a second reader watches for
//!   itself but keeps no record), and its own lock file
//!   `watch-<token>.lock` held alone, whose token the record names. It
//!   takes the [`Noted`] changes of a [`FolderWatch`](super::watch) as they
//!   come in (before they settle) on its own thread.
//! - It vouches once it has checked the whole folder against the cache
//!   after the watch started: every change from then on is an event, and
//!   every difference before it was found by the check. The record
//!   (`watch.record`) is replaced whole at each change, never written in
//!   place.
//! - It stops vouching (removes the record) when events were lost (a full
//!   kernel queue), when events cannot be had or trusted to be all (no
//!   inotify, a network filesystem, the watch limit), when a path changed
//!   that only a check of the whole folder can account for (a symbolic
//!   link, a folder that went away), when more than [`MOST_PATHS`] paths
//!   piled up, and when another write of the cache replaced the one it
//!   vouches for. Then it checks the whole folder again (writing the cache
//!   when that found many changes) and vouches anew; when events cannot be
//!   had, never again.
//! - [`vouched`] is a command's side: the record of the cache's
//!   generation, if the lock its token names is held (a shared lock that
//!   would block: a live watcher). The record is read before the lock is
//!   tried, so it was kept by a live watcher when it was read. A watcher
//!   killed leaves its lock free, and a new watcher has a new token: a
//!   record left behind is never trusted.
//!
//! What a command sees: every change the watcher had taken in when the
//! command read the record. The kernel hands an event on at once, but the
//! watch's debouncer holds it for half the debounce time (about 0.15 s for
//! the reader, 0.05 s for `broadsheet watch`): a file written in that time
//! before a command may not be seen by it, and is by the next.

use std::collections::BTreeSet;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::refresh::refresh;
use super::stored::{open_cached_without_words, save};
use super::watch::Noted;
use super::{Library, LoadOptions, LoadWarning};
use crate::files::{
    Durability, FileError, FileLock, Links, create_private_folder, open_nonblocking, read_regular,
    replace_file,
};

/// The record's file in the cache folder.
pub const RECORD_FILE: &str = "watch.record";

/// The lock one watcher holds alone (`watch.lock`).
const WATCH_LOCK: &str = "watch";

/// How a watcher's own lock file starts (`watch-<token>.lock`).
const TOKEN_LOCK_PREFIX: &str = "watch-";

/// The most paths a record holds: past them, a command would read more
/// files than a check of the whole folder costs it, so the watcher checks
/// the whole folder itself (and writes the cache) and vouches anew.
pub const MOST_PATHS: usize = 5_000;

/// The largest record read: [`MOST_PATHS`] long paths and the warnings.
const RECORD_CAP: u64 = 64 * 1024 * 1024;

/// The first bytes of a record, with its version.
const MAGIC: &[u8; 8] = b"BSVOUCH1";

/// How often a watcher looks whether the cache was written anew, and tries
/// again to vouch after it could not.
const TICK: Duration = Duration::from_millis(500);

/// How long a watcher waits to check the whole folder again after its
/// check failed (the folder or the cache could not be read or written).
const RETRY_AFTER: Duration = Duration::from_secs(30);

/// What a live watcher vouches for: where the folder may differ from the
/// cache write of `generation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The token of the watcher's own lock (`watch-<token>.lock`).
    pub token: u64,
    /// The cache write vouched for ([`Library::generation`]).
    pub generation: u64,
    /// Where the folder may differ from that write, relative to the
    /// articles folder: files changed, new, or gone.
    pub paths: Vec<PathBuf>,
    /// The folder's warnings (files that cannot be read) as the watcher's
    /// check found them: a library opened from the cache has none, and
    /// would otherwise lose them.
    pub warnings: Vec<LoadWarning>,
}

impl Record {
    /// The record as stored: the magic, token, generation, then each path
    /// and each warning's path and message, every one length-prefixed.
    fn encode(&self) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&self.token.to_le_bytes());
        bytes.extend_from_slice(&self.generation.to_le_bytes());
        put_len(&mut bytes, self.paths.len());
        for path in &self.paths {
            put_bytes(&mut bytes, path.as_os_str().as_bytes());
        }
        put_len(&mut bytes, self.warnings.len());
        for warning in &self.warnings {
            put_bytes(&mut bytes, warning.path.as_bytes());
            put_bytes(&mut bytes, warning.message.as_bytes());
        }
        bytes
    }

    /// A record from its bytes; `None` when they are not one whole.
    fn decode(bytes: &[u8]) -> Option<Record> {
        let mut rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let token = take_u64(&mut rest)?;
        let generation = take_u64(&mut rest)?;
        let count = take_len(&mut rest)?;
        let mut paths = Vec::with_capacity(count.min(MOST_PATHS));
        for _ in 0..count {
            let path = PathBuf::from(std::ffi::OsString::from_vec(
                take_bytes(&mut rest)?.to_vec(),
            ));
            paths.push(path);
        }
        let count = take_len(&mut rest)?;
        let mut warnings = Vec::with_capacity(count.min(MOST_PATHS));
        for _ in 0..count {
            let path = String::from_utf8(take_bytes(&mut rest)?.to_vec()).ok()?;
            let message = String::from_utf8(take_bytes(&mut rest)?.to_vec()).ok()?;
            warnings.push(LoadWarning { path, message });
        }
        rest.is_empty().then_some(Record {
            token,
            generation,
            paths,
            warnings,
        })
    }
}

fn put_len(bytes: &mut Vec<u8>, len: usize) {
    bytes.extend_from_slice(&(len as u64).to_le_bytes());
}

fn put_bytes(bytes: &mut Vec<u8>, value: &[u8]) {
    put_len(bytes, value.len());
    bytes.extend_from_slice(value);
}

fn take_u64(rest: &mut &[u8]) -> Option<u64> {
    let (head, tail) = rest.split_first_chunk::<8>()?;
    *rest = tail;
    Some(u64::from_le_bytes(*head))
}

fn take_len(rest: &mut &[u8]) -> Option<usize> {
    usize::try_from(take_u64(rest)?).ok()
}

fn take_bytes<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = take_len(rest)?;
    if len > rest.len() {
        return None;
    }
    let (head, tail) = rest.split_at(len);
    *rest = tail;
    Some(head)
}

/// The record a live watcher keeps for the cache write `generation` in the
/// cache folder `dir`; `None` when there is none, it is of another write,
/// damaged, or its watcher is gone: then the whole folder is checked.
pub fn vouched(dir: &Path, generation: u64) -> Option<Record> {
    let bytes = read_regular(&dir.join(RECORD_FILE), RECORD_CAP, Links::Replace).ok()?;
    let record = Record::decode(&bytes)?;
    // Read first, then the lock tried: alive now, it was alive when the
    // record was read, and the record as it kept it then.
    (record.generation == generation && watcher_alive(dir, record.token)).then_some(record)
}

/// Whether the watcher of `token` holds its lock: a shared lock of it
/// would block. A lock file missing or free is a watcher gone.
fn watcher_alive(dir: &Path, token: u64) -> bool {
    let path = token_lock(dir, token);
    // Read-only, never created, never through a link: testing a lock
    // leaves nothing behind.
    let Ok(file) = open_nonblocking(&path, fs::OpenOptions::new().read(true), Links::Replace)
    else {
        return false;
    };
    matches!(file.try_lock_shared(), Err(fs::TryLockError::WouldBlock))
}

/// The lock file of the watcher of `token`.
fn token_lock(dir: &Path, token: u64) -> PathBuf {
    dir.join(format!("{TOKEN_LOCK_PREFIX}{token:016x}.lock"))
}

/// What a voucher tells its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Vouching {
    /// Commands trust the record from now on (for the cache write of this
    /// generation).
    Started(u64),
    /// The record was withdrawn (why, for a person): commands check the
    /// whole folder until the voucher has checked it itself.
    Stopped(String),
}

/// The watcher's side: keeps the record while it lives; see the module's
/// comment. Dropping it withdraws the record and frees its locks.
pub struct Voucher {
    /// To the keeper's thread.
    to_keeper: Sender<Message>,
    /// That thread.
    keeper: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Voucher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Voucher")
    }
}

/// What reaches the keeper's thread.
enum Message {
    /// From the watch.
    Noted(Noted),
    /// The voucher is dropped.
    Stop,
}

impl Voucher {
    /// Starts keeping the record of the articles folder `root` in its cache
    /// folder `dir`, reading files as `load` says when it checks the whole
    /// folder. `None` when another watcher keeps it already; an error when
    /// the cache folder cannot be made or locked. Without a cache (none
    /// yet, or broken) it waits for one: the reader or a command builds it.
    /// Hand
    /// [`Voucher::noter`] to the [`FolderWatch`](super::watch::FolderWatch)
    /// started right after; `told` hears whenever commands start or stop
    /// trusting the record.
    pub fn start(
        root: &Path,
        dir: &Path,
        load: LoadOptions,
        told: impl FnMut(Vouching) + Send + 'static,
    ) -> Result<Option<Voucher>, FileError> {
        create_private_folder(dir)?;
        let Some(watch_lock) = FileLock::try_acquire(&dir.join(WATCH_LOCK), Links::Replace)? else {
            return Ok(None);
        };
        // Alone now: every other watcher's lock file is left from one gone.
        sweep_token_locks(dir);
        let token = std::hash::RandomState::new().build_hasher().finish();
        let own_lock = token_lock(dir, token);
        let Some(token_lock) = FileLock::try_acquire(&own_lock.with_extension(""), Links::Replace)?
        else {
            return Ok(None);
        };
        let (to_keeper, from_watch) = mpsc::channel();
        let keeper = Keeper {
            root: root.to_path_buf(),
            dir: dir.to_path_buf(),
            load,
            token,
            from_watch,
            told: Box::new(told),
            since: BTreeSet::new(),
            vouched: None,
            blind: false,
            next_try: Instant::now(),
            dirty: false,
        };
        let spawned = thread::Builder::new()
            .name("broadsheet-vouch".into())
            .spawn(move || {
                let _locks = (watch_lock, token_lock);
                keeper.run();
                // The record first, then the lock file, then (dropped
                // here) the locks: a command never trusts a record whose
                // lock it found free.
                let _ = fs::remove_file(&own_lock);
            });
        match spawned {
            Ok(handle) => Ok(Some(Voucher {
                to_keeper,
                keeper: Some(handle),
            })),
            Err(err) => Err(crate::files::io_error(
                dir,
                "start a thread to watch it",
                &err,
            )),
        }
    }

    /// What the watch calls with each [`Noted`] change.
    pub fn noter(&self) -> impl FnMut(Noted) + Send + 'static {
        let to_keeper = self.to_keeper.clone();
        move |noted| {
            let _ = to_keeper.send(Message::Noted(noted));
        }
    }
}

impl Drop for Voucher {
    fn drop(&mut self) {
        let _ = self.to_keeper.send(Message::Stop);
        if let Some(keeper) = self.keeper.take() {
            let _ = keeper.join();
        }
    }
}

/// Removes the lock files of watchers gone (called holding `watch.lock`,
/// so no other watcher is alive).
fn sweep_token_locks(dir: &Path) {
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    for entry in listing.flatten() {
        let name = entry.file_name();
        let name = name.as_bytes();
        if name.starts_with(TOKEN_LOCK_PREFIX.as_bytes()) && name.ends_with(b".lock") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The cache write vouched for: its generation, what tells its
/// `summaries.bin` from a newer one, the library (to tell a path that was
/// a folder), and the warnings the check found.
struct Vouched {
    generation: u64,
    summaries: Option<FileId>,
    library: Library,
    warnings: Vec<LoadWarning>,
}

/// What tells one `summaries.bin` from the next: a write replaces it, so a
/// new one has another inode (or change time).
type FileId = (u64, u64, i64, i64);

/// The file id of `summaries.bin` in `dir`, if there is one.
fn summaries_id(dir: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::symlink_metadata(dir.join(super::cache::SUMMARIES_FILE)).ok()?;
    Some((meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()))
}

/// The keeper's thread: takes noted changes, checks the folder when it
/// must, and keeps the record.
struct Keeper {
    root: PathBuf,
    dir: PathBuf,
    load: LoadOptions,
    token: u64,
    from_watch: Receiver<Message>,
    told: Box<dyn FnMut(Vouching) + Send>,
    /// Paths noted since the last check of the whole folder began.
    since: BTreeSet<PathBuf>,
    /// What is vouched for; `None` while not vouching.
    vouched: Option<Vouched>,
    /// Whether events cannot be trusted to be all: never vouch again.
    blind: bool,
    /// When to try to vouch next.
    next_try: Instant,
    /// Whether the record is behind what was noted.
    dirty: bool,
}

/// Why a noted path needs a check of the whole folder.
struct NeedsWhole(String);

impl Keeper {
    fn run(mut self) {
        loop {
            if self.vouched.is_none() && !self.blind && Instant::now() >= self.next_try {
                self.try_to_vouch();
            }
            let message = match self.from_watch.recv_timeout(TICK) {
                Ok(message) => Some(message),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            let mut stop = false;
            let mut take = |keeper: &mut Keeper, message| match message {
                Message::Noted(noted) => keeper.take(noted),
                Message::Stop => stop = true,
            };
            if let Some(message) = message {
                take(&mut self, message);
            }
            loop {
                match self.from_watch.try_recv() {
                    Ok(message) => take(&mut self, message),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        stop = true;
                        break;
                    }
                }
            }
            if stop {
                break;
            }
            self.keep_up();
        }
        self.withdraw(None);
    }

    /// Takes one noted change in.
    fn take(&mut self, noted: Noted) {
        match noted {
            Noted::Paths(paths) => {
                for path in paths {
                    if let Err(NeedsWhole(why)) = self.note(path) {
                        self.withdraw(Some(why));
                        self.next_try = Instant::now();
                    }
                }
            }
            Noted::Lost => {
                self.withdraw(Some("file events were lost".into()));
                self.next_try = Instant::now();
            }
            Noted::Blind => {
                self.blind = true;
                self.withdraw(Some("changes cannot be followed by file events".into()));
            }
        }
    }

    /// Notes a changed path: a file (there or gone) as itself, a folder
    /// as the files in it now.
    fn note(&mut self, path: PathBuf) -> Result<(), NeedsWhole> {
        let full = self.root.join(&path);
        match fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_dir() => {
                // New files can land in a new folder before its watch does,
                // and a folder moved in brings its files without an event
                // each: its files now, each a path.
                self.note_folder(&full)?;
            }
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(NeedsWhole(format!("{} is a symbolic link", path.display())));
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                // A folder that went took its articles along.
                if let Some(vouched) = &self.vouched {
                    let id = super::scan::display_path(&self.root, &full);
                    if vouched.library.has_id_starting_with(&format!("{id}/")) {
                        return Err(NeedsWhole(format!("the folder {id} went away")));
                    }
                }
            }
            _ => {}
        }
        self.since.insert(path);
        self.dirty = true;
        Ok(())
    }

    /// Notes every file below `folder` (hidden names skipped, links a
    /// reason to check the whole folder).
    fn note_folder(&mut self, folder: &Path) -> Result<(), NeedsWhole> {
        let walked = super::scan::walk_visible(folder, &mut |path, file_type| {
            if file_type.is_symlink() {
                return ControlFlow::Break(NeedsWhole(format!(
                    "{} is a symbolic link",
                    path.display()
                )));
            }
            if let Ok(relative) = path.strip_prefix(&self.root) {
                self.since.insert(relative.to_path_buf());
                if self.since.len() > MOST_PATHS {
                    return ControlFlow::Break(NeedsWhole("too many files changed".into()));
                }
            }
            ControlFlow::Continue(())
        });
        match walked {
            ControlFlow::Break(needs_whole) => Err(needs_whole),
            ControlFlow::Continue(()) => Ok(()),
        }
    }

    /// After a round of messages: the record kept up with what was noted,
    /// or withdrawn when it can no longer stand.
    fn keep_up(&mut self) {
        let Some(vouched) = &self.vouched else {
            return;
        };
        if summaries_id(&self.dir) != vouched.summaries {
            self.withdraw(Some("the cache was written anew".into()));
            self.next_try = Instant::now();
            return;
        }
        if self.since.len() > MOST_PATHS {
            self.withdraw(Some("too many files changed".into()));
            self.next_try = Instant::now();
            return;
        }
        if self.dirty {
            self.dirty = false;
            if let Err(error) = self.write_record() {
                self.withdraw(Some(error.to_string()));
                self.next_try = Instant::now() + RETRY_AFTER;
            }
        }
    }

    /// Writes the record of what is vouched for.
    fn write_record(&self) -> Result<(), FileError> {
        let Some(vouched) = &self.vouched else {
            return Ok(());
        };
        let record = Record {
            token: self.token,
            generation: vouched.generation,
            paths: self.since.iter().cloned().collect(),
            warnings: vouched.warnings.clone(),
        };
        let bytes = record.encode();
        replace_file(
            &self.dir.join(RECORD_FILE),
            Links::Replace,
            Durability::Unsynced,
            &mut |file| file.write_all(&bytes),
        )
    }

    /// Stops vouching: the record removed (and `why` told, when vouching).
    fn withdraw(&mut self, why: Option<String>) {
        let was = self.vouched.take().is_some();
        let _ = fs::remove_file(self.dir.join(RECORD_FILE));
        if was && let Some(why) = why {
            (self.told)(Vouching::Stopped(why));
        }
    }

    /// Checks the whole folder against the cache and vouches for it; when
    /// the check found many changes, writes the cache first (and vouches
    /// for that write at the next try). Nothing when there is no cache yet
    /// (a reader or command is building it: tried again at the next tick)
    /// or a step fails (tried again later).
    fn try_to_vouch(&mut self) {
        self.next_try = Instant::now() + RETRY_AFTER;
        // Every change from here on is noted after: paths noted before are
        // what the check finds, or finds unchanged.
        self.since.clear();
        let before = summaries_id(&self.dir);
        let Ok(library) = open_cached_without_words(&self.root, &self.dir) else {
            self.next_try = Instant::now() + TICK;
            return;
        };
        if before.is_none() || summaries_id(&self.dir) != before {
            // Written anew while it was opened: not known which write.
            self.next_try = Instant::now();
            return;
        }
        let Ok(checked) = refresh(&library, &self.load) else {
            return;
        };
        let touched = match &checked.touched {
            Some(touched) if !checked.worth_saving() && touched.len() <= MOST_PATHS / 2 => {
                touched.clone()
            }
            // Many changes: cheaper for every command once written.
            _ => {
                let changed = checked.library.as_ref().unwrap_or(&library);
                if save(changed, &self.dir).is_ok() {
                    self.next_try = Instant::now();
                }
                return;
            }
        };
        let warnings = checked
            .library
            .as_ref()
            .unwrap_or(&library)
            .warnings()
            .to_vec();
        for path in touched {
            let relative = path
                .strip_prefix(&self.root)
                .map(Path::to_path_buf)
                .unwrap_or(path);
            self.since.insert(relative);
        }
        let generation = library.generation();
        self.vouched = Some(Vouched {
            generation,
            summaries: before,
            library,
            warnings,
        });
        self.dirty = false;
        match self.write_record() {
            Ok(()) => {
                self.next_try = Instant::now();
                (self.told)(Vouching::Started(generation));
            }
            Err(_) => {
                self.vouched = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written_and_damage_is_refused() {
        let record = Record {
            token: 7,
            generation: 42,
            paths: vec![PathBuf::from("a.txt"), PathBuf::from("tv/b\nc.md")],
            warnings: vec![LoadWarning {
                path: "bad.txt".into(),
                message: "not UTF-8".into(),
            }],
        };
        let bytes = record.encode();
        assert_eq!(Record::decode(&bytes), Some(record));
        for cut in [0, 8, 20, bytes.len() - 1] {
            assert_eq!(Record::decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Record::decode(&longer), None);
        let mut huge = bytes;
        huge[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(Record::decode(&huge), None);
    }

    #[test]
    fn a_record_is_trusted_only_while_its_watcher_holds_its_lock() {
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(err) => panic!("{err}"),
        };
        let record = Record {
            token: 9,
            generation: 5,
            paths: vec![PathBuf::from("a.txt")],
            warnings: Vec::new(),
        };
        if let Err(err) = fs::write(dir.path().join(RECORD_FILE), record.encode()) {
            panic!("{err}");
        }
        // No lock file: no watcher.
        assert_eq!(vouched(dir.path(), 5), None);
        let lock = match FileLock::try_acquire(
            &token_lock(dir.path(), 9).with_extension(""),
            Links::Replace,
        ) {
            Ok(Some(lock)) => lock,
            other => panic!("{other:?}"),
        };
        assert_eq!(vouched(dir.path(), 5), Some(record));
        // Another write of the cache.
        assert_eq!(vouched(dir.path(), 6), None);
        drop(lock);
        // The lock file left behind, free: a watcher gone.
        assert!(token_lock(dir.path(), 9).exists());
        assert_eq!(vouched(dir.path(), 5), None);
    }
}
