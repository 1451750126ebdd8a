//! Writing cache files: one writer at a time, each file replaced whole by a
//! rename, never written in place (readers have the old file mapped, and
//! truncating a mapped file kills them with SIGBUS).
//!
//! The mechanics are the ground floor's ([`crate::files::replace_file`] and
//! its sidecar lock): a temporary file `.<name>.tmp-<pid>-*` in the same
//! folder, renamed over the target. Nothing is fsynced: every byte of a
//! cache file is checked when read, so a file a crash left with zeros is
//! caught and rebuilt, and a writer need not wait on the disk. A writer
//! killed part way leaves the previous file whole (and temporary files that
//! the next writer sweeps away once the process is gone).
//!
//! Cache files are broadsheet's own ([`Links::Replace`]): a symbolic link
//! planted in the cache folder is replaced as a file, never followed, so a
//! cache write cannot overwrite another file. The folder itself is made
//! private to its user (0700): it holds the text of every article.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use super::format::SUMMARIES_FILE;
use super::texts::TEXTS_FILE;
use super::words::WORDS_FILE;
use super::{CacheError, CacheErrorKind};
use crate::files::{
    Durability, FileError, FileLock, Links, create_private_folder, replace_file, sweep_stale_temps,
};

/// The names of the files a cache folder holds, so a writer sweeps the
/// temporary files killed writers left of any of them.
const CACHE_FILES: [&str; 3] = [SUMMARIES_FILE, TEXTS_FILE, WORDS_FILE];

/// The name the lock is derived from: the store's lock takes `<name>.lock`,
/// so the cache folder's lock file is `cache.lock`, one for all its files.
const LOCK_NAME: &str = "cache";

/// The exclusive lock on a cache folder (its `cache.lock` sidecar, by
/// `flock`), held while its files are written so that two writers never
/// interleave; readers take no lock (they see one whole file or the other).
/// Released when dropped. The lock file is never removed: removing it would
/// let two processes lock two different files.
pub struct CacheLock {
    _lock: FileLock,
    /// The cache folder, in [`HELD_HERE`] while this lock lives.
    dir: PathBuf,
}

/// The cache folders this process holds the lock of: a reader of this
/// process must not wait for a writer that is itself (the lock is per open
/// file, so it would wait for ever).
static HELD_HERE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

impl Drop for CacheLock {
    fn drop(&mut self) {
        let mut held = HELD_HERE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = held.iter().position(|dir| *dir == self.dir) {
            held.swap_remove(at);
        }
    }
}

impl std::fmt::Debug for CacheLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheLock")
    }
}

impl CacheLock {
    /// Blocks until the cache folder `dir` is free to write, creating the
    /// folder (private to its user) when it is missing, then sweeps away the
    /// temporary files of writers that were killed. A folder that cannot be
    /// created or locked (read-only, full, a file in the way) is an error the
    /// caller reports once before running without the cache.
    pub fn acquire(dir: &Path) -> Result<CacheLock, CacheError> {
        create_private_folder(dir).map_err(|err| write_error(dir, &err))?;
        let lock = FileLock::acquire(&dir.join(LOCK_NAME), Links::Replace)
            .map_err(|err| write_error(dir, &err))?;
        sweep_cache_temps(dir);
        HELD_HERE
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(dir.to_path_buf());
        Ok(CacheLock {
            _lock: lock,
            dir: dir.to_path_buf(),
        })
    }

    /// Sweeps away the temporary files killed writers left in the cache
    /// folder `dir`, when no writer holds it now: a writer killed while
    /// saving a few changes leaves a temporary file as large as the cache,
    /// and the next runs may have nothing to write for a long time. One
    /// look at a small folder; nothing when it does not exist or is busy.
    pub fn sweep_if_free(dir: &Path) {
        let lock = dir.join(format!("{LOCK_NAME}.lock"));
        if !std::fs::symlink_metadata(&lock).is_ok_and(|meta| meta.is_file()) {
            return;
        }
        if let Ok(Some(_free)) = FileLock::try_acquire(&dir.join(LOCK_NAME), Links::Replace) {
            sweep_cache_temps(dir);
        }
    }

    /// Waits until no writer holds the cache folder `dir`, for a reader that
    /// met files of two writes (a writer between its renames): once this
    /// returns, the writer has renamed its last file and the files agree.
    /// Nothing is created: a folder without a lock file has no writer, and
    /// one this process holds the lock of is not waited for.
    pub fn wait_for_writer(dir: &Path) {
        let held = HELD_HERE.lock().unwrap_or_else(PoisonError::into_inner);
        if held.iter().any(|held| held == dir) {
            return;
        }
        drop(held);
        let lock = dir.join(format!("{LOCK_NAME}.lock"));
        if std::fs::symlink_metadata(&lock).is_ok_and(|meta| meta.is_file()) {
            drop(FileLock::shared(&dir.join(LOCK_NAME), Links::Replace));
        }
    }

    /// Replaces `dir/name` with `bytes` (a temporary file renamed over it;
    /// a link there is replaced, not followed). Holding the lock is what
    /// makes this the only writer.
    pub fn replace(&self, dir: &Path, name: &str, bytes: &[u8]) -> Result<(), CacheError> {
        self.replace_with(dir, name, &mut |file| file.write_all(bytes))
    }

    /// [`replace`](Self::replace) with the contents written by `write`, for
    /// a file too large to build in memory first.
    pub fn replace_with(
        &self,
        dir: &Path,
        name: &str,
        write: &mut dyn FnMut(&mut std::fs::File) -> std::io::Result<()>,
    ) -> Result<(), CacheError> {
        let path = dir.join(name);
        replace_file(&path, Links::Replace, Durability::Unsynced, write)
            .map_err(|err| write_error(&path, &err))
    }
}

/// Writes the bytes of a `summaries.bin` ([`encode`](super::encode)) into
/// the cache folder `dir`, under its lock: the old file, which readers may
/// have mapped, is replaced by rename and never changed.
pub fn write_summaries(dir: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    let lock = CacheLock::acquire(dir)?;
    lock.replace(dir, SUMMARIES_FILE, bytes)
}

/// Removes the temporary files of every cache file in `dir` whose writers
/// are gone; the caller holds the folder's lock.
fn sweep_cache_temps(dir: &Path) {
    for name in CACHE_FILES {
        sweep_stale_temps(&dir.join(name), Links::Replace);
    }
}

/// A fresh generation number for one write of the cache files: the xxh3 of
/// the time in nanoseconds, the process id and a counter, so two writes
/// (from two processes, or twice in one process within a clock tick) do not
/// share one.
pub fn new_generation() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    let mut seed = [0u8; 28];
    seed[..16].copy_from_slice(&nanos.to_le_bytes());
    seed[16..20].copy_from_slice(&std::process::id().to_le_bytes());
    seed[20..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&seed)
}

/// A file error about writing `path` as a cache error.
fn write_error(path: &Path, err: &FileError) -> CacheError {
    CacheError::new(path, CacheErrorKind::Write(err.message.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_itself_does_not_wait_for_its_own_lock() {
        let dir = tempfile::tempdir().expect("a cache folder");
        let path = dir.path().to_path_buf();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let lock = CacheLock::acquire(&path).expect("the lock");
            // A reader of the same process meeting two writes' files.
            CacheLock::wait_for_writer(&path);
            drop(lock);
            // Once let go, another lock of the folder is free at once.
            let _again = CacheLock::acquire(&path).expect("the lock again");
            CacheLock::wait_for_writer(&path);
            let _ = done.send(());
        });
        // A generous bound, so a deadlock fails the test instead of hanging
        // the suite; it is no measure of speed.
        let waited = finished.recv_timeout(std::time::Duration::from_secs(30));
        assert!(waited.is_ok(), "the writer waited for itself");
    }
}
