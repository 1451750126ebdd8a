//! [`FileLock`]: a sidecar `<name>.lock` locked with `flock`, exclusive for a
//! writer, shared for a reader waiting out a write.

use std::fs::{self, File, OpenOptions};
use std::path::Path;

use super::error::{FileError, io_error};
use super::paths::{Links, create_folder, file_name, parent_folder};
use super::read::{ensure_regular, open_nonblocking};

/// A lock on `<name>.lock` next to a file, released on drop. The lock file
/// is created on first use and never removed, because removing a lock file
/// lets two processes lock two different files.
pub struct FileLock {
    file: File,
}

impl std::fmt::Debug for FileLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileLock")
    }
}

impl FileLock {
    /// Blocks until no one else holds the lock of `path`, and holds it
    /// alone. Creates the folder when it is missing.
    pub fn acquire(path: &Path, links: Links) -> Result<FileLock, FileError> {
        let lock = Self::open(path, links)?;
        lock.file
            .lock()
            .map_err(|err| io_error(path, "lock it", &err))?;
        Ok(lock)
    }

    /// The lock of `path` held alone, if no one holds it now; `None` at once
    /// when someone does.
    pub fn try_acquire(path: &Path, links: Links) -> Result<Option<FileLock>, FileError> {
        let lock = Self::open(path, links)?;
        match lock.file.try_lock() {
            Ok(()) => Ok(Some(lock)),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(err)) => Err(io_error(path, "lock it", &err)),
        }
    }

    /// Blocks until no one holds the lock of `path` alone (a writer), and
    /// holds it with other readers: a reader that met a write under way
    /// waits here for it to end.
    pub fn shared(path: &Path, links: Links) -> Result<FileLock, FileError> {
        let lock = Self::open(path, links)?;
        lock.file
            .lock_shared()
            .map_err(|err| io_error(path, "lock it", &err))?;
        Ok(lock)
    }

    /// Opens (creating) the lock file of `path`. Under [`Links::Replace`] a
    /// symbolic link at the lock's name is removed first, and the file is
    /// opened without following links: a planted link cannot make the lock
    /// create or touch a file elsewhere.
    fn open(path: &Path, links: Links) -> Result<FileLock, FileError> {
        let name = file_name(path)?;
        let folder = parent_folder(path);
        create_folder(path, folder)?;
        let lock_path = folder.join(format!("{name}.lock"));
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        if links == Links::Replace
            && fs::symlink_metadata(&lock_path).is_ok_and(|meta| meta.file_type().is_symlink())
        {
            let _ = fs::remove_file(&lock_path);
        }
        if let Ok(meta) = fs::metadata(&lock_path)
            && !meta.is_file()
        {
            return Err(FileError::new(
                path,
                format!(
                    "the lock file {} is not a regular file (a FIFO, device, socket or folder): remove it",
                    lock_path.display()
                ),
            ));
        }
        let file = open_nonblocking(&lock_path, &mut options, links)
            .and_then(|file| ensure_regular(&file).map(|()| file))
            .map_err(|err| {
                io_error(
                    path,
                    &format!("create the lock file {}", lock_path.display()),
                    &err,
                )
            })?;
        Ok(FileLock { file })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first just makes
        // the release not wait for the close.
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_planted_lock_link_is_replaced_and_its_target_never_made() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("cache.lock")).unwrap();
        let _lock = FileLock::acquire(&dir.path().join("cache"), Links::Replace).unwrap();
        assert!(!elsewhere.exists(), "the dangling link made no file");
        let meta = fs::symlink_metadata(dir.path().join("cache.lock")).unwrap();
        assert!(meta.is_file(), "the lock is a regular file now");
    }

    #[test]
    fn a_shared_lock_waits_for_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        let writer = FileLock::acquire(&path, Links::Replace).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader_path = path.clone();
        let reader = std::thread::spawn(move || {
            let _shared = FileLock::shared(&reader_path, Links::Replace).unwrap();
            tx.send(()).unwrap();
        });
        let waited = rx.recv_timeout(std::time::Duration::from_millis(200));
        assert!(
            waited.is_err(),
            "the reader waited while the writer held the lock"
        );
        drop(writer);
        reader.join().unwrap();
        assert!(rx.try_recv().is_ok(), "and went on once it was free");
    }
}
