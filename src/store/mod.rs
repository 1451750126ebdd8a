//! Bookmarks and read state on disk: atomic writes, a sidecar lock, re-read
//! and merge before every write, corrupt files moved aside, never overwritten.
//!
//! Every file the store keeps follows the same rules, carried out here so that
//! [`bookmarks`] and [`read_state`] only say how their data is parsed, rendered
//! and changed:
//!
//! - **Reading** ([`load`](bookmarks::BookmarkStore::load)) takes no lock: a
//!   writer replaces the file by renaming, so a reader sees the old file or the
//!   new one, never half of one. A missing file is empty data (nothing saved
//!   yet). An empty or blank file is not: broadsheet never writes one, so it
//!   was emptied or cut short by something else, and it is handled like a
//!   file that does not parse (below), so the user hears of it.
//! - **Changing** takes an exclusive lock on the sidecar `<name>.lock` (created
//!   on first use and never removed, because removing a lock file lets two
//!   processes lock two different files), re-reads the file, applies the one
//!   change to what is on disk now, writes it atomically and unlocks. Two
//!   processes changing the file at once therefore lose nothing.
//! - **Writing** ([`write_atomic`]) goes through a temporary file
//!   `.<name>.tmp*` in the same folder that is fsynced and renamed over the
//!   target, then the folder is fsynced. A crash leaves the old file or the new
//!   one. On an error the temporary file is removed when it is dropped. Its
//!   name carries the writer's process id (`.<name>.tmp-<pid>-*`), so one left
//!   by a process that was killed outright is swept away by the next change as
//!   soon as that process is gone (and any is once it is an hour old).
//! - **A file that does not parse** (or is blank, or says it has a newer
//!   `version` than this program knows) is renamed to `<name>.corrupt-<YYYYMMDDTHHMMSSZ>` (with
//!   `-2`, `-3`… when that name is taken), never overwritten nor deleted, and
//!   reported through `moved_aside` and `problem`. The data then reads as empty
//!   and the next change writes a fresh file.

pub mod bookmarks;
pub mod feed_state;
pub mod feeds;
pub mod marks;
pub mod read_state;
pub mod tags;

use std::error::Error;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::position::line_column;
use chrono::Utc;
use serde::Deserialize;

pub use bookmarks::{Bookmark, BookmarkStore};
pub use marks::{MarkChange, MarkStores, SavedMarks};
pub use read_state::ReadStore;

/// The newest file format version this program reads and writes.
pub const FORMAT_VERSION: i64 = 1;

/// A temporary file older than this cannot belong to a write still under way,
/// whatever process id its name carries (ids are reused, and a file may come
/// from another machine sharing the folder).
const STALE_TEMP_AGE: Duration = Duration::from_secs(60 * 60);

/// A store file could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    /// The store file concerned.
    pub path: PathBuf,
    /// What went wrong and what to do about it.
    pub message: String,
}

impl StoreError {
    /// An error about `path`.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        StoreError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl Error for StoreError {}

/// Data read from a store file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded<T> {
    /// The data; empty when the file was missing or has just been moved aside.
    pub value: T,
    /// Where a file that did not parse was moved to.
    pub moved_aside: Option<PathBuf>,
    /// Why it was moved, ready to show: the original path, the line and
    /// column of the problem, where the file went and what to do.
    pub problem: Option<StoreError>,
}

/// The outcome of one change to a store file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whether the data differs from before (and so the file was written).
    pub changed: bool,
    /// Where a file that did not parse was moved to before the change.
    pub moved_aside: Option<PathBuf>,
    /// Why it was moved, ready to show (see [`Loaded::problem`]).
    pub problem: Option<StoreError>,
}

/// Why a file's text is not valid store data: a message and, when known, the
/// byte offset in the text it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    offset: Option<usize>,
    message: String,
}

impl Problem {
    /// A problem at a byte offset of the text.
    pub(crate) fn at(offset: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            offset,
            message: message.into(),
        }
    }

    /// The message with `line L, column C: ` in front when the place is known.
    pub(crate) fn describe(&self, text: &str) -> String {
        match self.offset {
            Some(offset) => {
                let (line, column) = line_column(text, offset);
                format!("line {line}, column {column}: {}", self.message)
            }
            None => self.message.clone(),
        }
    }
}

impl From<toml::de::Error> for Problem {
    fn from(err: toml::de::Error) -> Self {
        Problem::at(
            err.span().map(|span| span.start),
            one_safe_line(err.message()),
        )
    }
}

/// The longest parser message a report shows, in characters.
const MAX_MESSAGE_CHARS: usize = 300;

/// A parser message fit for a one-line report on a terminal: lines joined,
/// control characters (which can come from the file, in key names) escaped,
/// and cut short, since it may quote a value megabytes long.
fn one_safe_line(message: &str) -> String {
    let joined = message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let mut safe = String::new();
    for (count, c) in joined.chars().enumerate() {
        if count == MAX_MESSAGE_CHARS {
            safe.push('…');
            break;
        }
        if c.is_control() {
            safe.extend(c.escape_default());
        } else {
            safe.push(c);
        }
    }
    safe
}

/// Checks the file's `version` (missing means 1, for hand-written files)
/// before the rest is read, so a newer format is reported as such rather than
/// as whatever field it happens to trip over.
pub(crate) fn check_version(text: &str) -> Result<(), Problem> {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<toml::Spanned<i64>>,
    }
    let found: VersionOnly = toml::from_str(text)?;
    let Some(version) = found.version else {
        return Ok(());
    };
    let offset = Some(version.span().start);
    match *version.get_ref() {
        FORMAT_VERSION => Ok(()),
        newer if newer > FORMAT_VERSION => Err(Problem::at(
            offset,
            format!(
                "version {newer} is newer than this broadsheet understands \
                 (it knows version {FORMAT_VERSION}); upgrade broadsheet to use this file"
            ),
        )),
        other => Err(Problem::at(
            offset,
            format!(
                "version {other} is not a version broadsheet ever wrote; it should be {FORMAT_VERSION}"
            ),
        )),
    }
}

/// How one kind of store file is read and written.
pub(crate) trait StoreFormat {
    /// The data the file holds.
    type Data: Default;
    /// Parses the text of a file that holds more than whitespace.
    fn parse(text: &str) -> Result<Self::Data, Problem>;
    /// Renders the data as the file's complete text.
    fn render(data: &Self::Data, path: &Path) -> Result<String, StoreError>;
}

/// What a read of a store file found.
enum Contents<T> {
    /// The file parsed (or was missing or blank: the default data).
    Data(T),
    /// The file is there but does not parse.
    Corrupt(Problem, String),
}

/// Reads the file without a lock; only a corrupt file is looked at again
/// under the lock before it is moved aside, in case a writer just replaced it.
pub(crate) fn load<F: StoreFormat>(path: &Path) -> Result<Loaded<F::Data>, StoreError> {
    match read_contents::<F>(path)? {
        Contents::Data(value) => Ok(Loaded {
            value,
            moved_aside: None,
            problem: None,
        }),
        Contents::Corrupt(problem, text) => {
            // Without the lock the file cannot be moved aside (a read-only
            // folder, say): still say what is wrong with it.
            let _lock =
                FileLock::acquire(path).map_err(|err| unreadable(path, &problem, &text, &err))?;
            load_locked::<F>(path)
        }
    }
}

/// Applies one change to what is on disk now, under the lock, and writes the
/// result when `apply` reports that the data changed.
pub(crate) fn change<F: StoreFormat>(
    path: &Path,
    apply: impl FnOnce(&mut F::Data) -> bool,
) -> Result<Change, StoreError> {
    let _lock = FileLock::acquire(path)?;
    sweep_stale_temps(path);
    let Loaded {
        mut value,
        moved_aside,
        problem,
    } = load_locked::<F>(path)?;
    let changed = apply(&mut value);
    if changed {
        write_atomic(path, F::render(&value, path)?.as_bytes())?;
    }
    Ok(Change {
        changed,
        moved_aside,
        problem,
    })
}

/// Reads the file; the caller holds the lock, so a corrupt file can be moved.
fn load_locked<F: StoreFormat>(path: &Path) -> Result<Loaded<F::Data>, StoreError> {
    match read_contents::<F>(path)? {
        Contents::Data(value) => Ok(Loaded {
            value,
            moved_aside: None,
            problem: None,
        }),
        Contents::Corrupt(problem, text) => {
            let aside = move_aside(path).map_err(|err| unreadable(path, &problem, &text, &err))?;
            let message = format!(
                "{}; the file was moved to {} and broadsheet starts afresh: \
                 fix that file and copy its entries back into this one",
                problem.describe(&text),
                aside.display()
            );
            Ok(Loaded {
                value: F::Data::default(),
                moved_aside: Some(aside),
                problem: Some(StoreError::new(path, message)),
            })
        }
    }
}

/// The error for a file that does not parse and could not be moved aside.
fn unreadable(path: &Path, problem: &Problem, text: &str, err: &StoreError) -> StoreError {
    StoreError::new(
        path,
        format!(
            "{}; broadsheet could not move the file aside ({}): fix or remove it",
            problem.describe(text),
            err.message
        ),
    )
}

/// The most a store file may hold: far more than any real bookmarks file.
const MAX_STORE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a store file that must be a regular file: a FIFO would block
/// forever and a device like /dev/zero never ends. Opened without blocking,
/// checked, and read up to [`MAX_STORE_BYTES`].
fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let file = open_nonblocking(path, OpenOptions::new().read(true))?;
    ensure_regular(&file)?;
    let mut bytes = Vec::new();
    (&file).take(MAX_STORE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_STORE_BYTES {
        return Err(io::Error::other(
            "larger than 256 MiB: not a bookmarks or state file",
        ));
    }
    Ok(bytes)
}

/// Opens with `O_NONBLOCK`, so a FIFO in the file's place cannot hang us.
fn open_nonblocking(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(options, libc::O_NONBLOCK);
    options.open(path)
}

/// Fails unless the opened file is a regular file.
fn ensure_regular(file: &File) -> io::Result<()> {
    let meta = file.metadata()?;
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        // Reported like any folder in the way, with its own advice.
        Err(io::ErrorKind::IsADirectory.into())
    } else {
        Err(io::Error::other(
            "not a regular file (a FIFO, device, socket or folder): point it at a regular file",
        ))
    }
}

/// Reads and parses the file. A missing file is the default data; an empty
/// or blank one is corrupt.
fn read_contents<F: StoreFormat>(path: &Path) -> Result<Contents<F::Data>, StoreError> {
    let bytes = match read_regular(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Ok(Contents::Data(F::Data::default()));
        }
        Err(err) => return Err(io_error(path, "read", &err)),
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // The offset is into the original bytes; up to it they are the
            // same in the lossy text, so line and column still come out right.
            return Ok(Contents::Corrupt(
                Problem::at(Some(valid), "not UTF-8 text"),
                lossy,
            ));
        }
    };
    if let Some(nul) = text.find('\0') {
        // TOML forbids NUL; saying so beats the parser's guess at a key.
        return Ok(Contents::Corrupt(
            Problem::at(Some(nul), "holds a NUL byte, so it is not a text file"),
            text,
        ));
    }
    if text.trim().is_empty() {
        // Every file broadsheet writes has at least a comment and a version.
        return Ok(Contents::Corrupt(
            Problem::at(
                None,
                "is empty: broadsheet never writes an empty file, so something else emptied it or cut it short",
            ),
            text,
        ));
    }
    match F::parse(&text) {
        Ok(data) => Ok(Contents::Data(data)),
        Err(problem) => Ok(Contents::Corrupt(problem, text)),
    }
}

/// Renames a corrupt file to `<name>.corrupt-<UTC timestamp>` (with a counter
/// when that is taken) in the same folder. Called under the lock, so no other
/// broadsheet takes the same name between the check and the rename.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let real = resolve_symlink(path);
    let name = file_name(&real)?;
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let base = format!("{name}.corrupt-{stamp}");
    let folder = parent_folder(&real);
    let aside = (1..=1000)
        .map(|n| match n {
            1 => folder.join(&base),
            n => folder.join(format!("{base}-{n}")),
        })
        .find(|candidate| fs::symlink_metadata(candidate).is_err())
        .ok_or_else(|| {
            StoreError::new(
                path,
                format!("does not parse, and too many {base}* files are in the way of moving it aside: remove old ones"),
            )
        })?;
    fs::rename(&real, &aside)
        .map_err(|err| io_error(path, "move the unreadable file aside", &err))?;
    sync_folder(folder);
    Ok(aside)
}

/// Writes `bytes` to `path` so that a crash at any point leaves either the
/// old file or the new one, whole.
///
/// The bytes go to a temporary file `.<name>.tmp*` in the same folder, which
/// is fsynced and renamed over the target; then the folder is fsynced so the
/// rename itself is on disk. A missing folder is created. The new file keeps
/// the old one's permissions, and when `path` is a symbolic link the file it
/// points to is replaced, not the link. If anything fails the temporary file is
/// removed (when it is dropped) and the target is untouched.
///
/// This does not lock: the stores call it with their lock held.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_atomic_with(path, &mut |file| file.write_all(bytes))
}

/// [`write_atomic`] with the contents written by `write` into the
/// temporary file (buffered as it likes), for files too large to build in
/// memory first.
pub fn write_atomic_with(
    path: &Path,
    write: &mut dyn FnMut(&mut fs::File) -> io::Result<()>,
) -> Result<(), StoreError> {
    replace_file(path, write, true)
}

/// Replaces `path` by a new file that `write` fills, by rename, as
/// [`write_atomic`] does; with `durable` false nothing is fsynced, for a
/// file whose every byte is checked when read (the cache's): after a crash
/// it may hold zeros, which its checksums catch, rather than stall the
/// writer on the disk.
pub fn replace_file(
    path: &Path,
    write: &mut dyn FnMut(&mut fs::File) -> io::Result<()>,
    durable: bool,
) -> Result<(), StoreError> {
    let target = resolve_symlink(path);
    // Renaming over a device or FIFO the path leads to would replace it.
    if let Ok(meta) = fs::symlink_metadata(&target)
        && !meta.is_file()
    {
        return Err(StoreError::new(
            path,
            format!(
                "{} is not a regular file; not replacing it: point the setting at a regular file",
                target.display()
            ),
        ));
    }
    let name = file_name(&target)?;
    let folder = parent_folder(&target);
    create_folder(path, folder)?;
    let mut temp = tempfile::Builder::new()
        .prefix(&writer_temp_prefix(&name))
        .tempfile_in(folder)
        .map_err(|err| io_error(path, "create a temporary file next to it", &err))?;
    if let Ok(old) = fs::metadata(&target)
        && old.is_file()
    {
        // Best effort: a file system without permissions still gets the data.
        let _ = temp.as_file().set_permissions(old.permissions());
    }
    write(temp.as_file_mut())
        .and_then(|()| {
            if durable {
                temp.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .map_err(|err| io_error(path, "write", &err))?;
    temp.persist(&target)
        .map_err(|err| io_error(path, "replace", &err.error))?;
    if durable {
        sync_folder(folder);
    }
    Ok(())
}

/// Creates the folder of a store file when it is missing.
fn create_folder(path: &Path, folder: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(folder).map_err(|err| match err.kind() {
        // `create_dir_all` on a path that names a file says "exists".
        io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory => StoreError::new(
            path,
            format!(
                "cannot create its folder {}: a part of that path is a file, not a folder: choose another path",
                folder.display()
            ),
        ),
        _ => io_error(path, &format!("create its folder {}", folder.display()), &err),
    })
}

/// An exclusive lock on `<name>.lock` next to a store file, released on drop.
pub(crate) struct FileLock {
    file: File,
}

impl FileLock {
    /// Blocks until the lock is free. Creates the folder when it is missing.
    pub(crate) fn acquire(path: &Path) -> Result<FileLock, StoreError> {
        let name = file_name(path)?;
        let folder = parent_folder(path);
        create_folder(path, folder)?;
        let lock_path = folder.join(format!("{name}.lock"));
        if let Ok(meta) = fs::metadata(&lock_path)
            && !meta.is_file()
        {
            return Err(StoreError::new(
                path,
                format!(
                    "the lock file {} is not a regular file (a FIFO, device, socket or folder): remove it",
                    lock_path.display()
                ),
            ));
        }
        let file = open_nonblocking(
            &lock_path,
            OpenOptions::new().create(true).truncate(false).write(true),
        )
        .and_then(|file| ensure_regular(&file).map(|()| file))
        .map_err(|err| {
            io_error(
                path,
                &format!("create the lock file {}", lock_path.display()),
                &err,
            )
        })?;
        file.lock()
            .map_err(|err| io_error(path, &format!("lock {}", lock_path.display()), &err))?;
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

/// Removes temporary files of the store file that a killed process left
/// behind. Called under the lock, so no other process is writing through this
/// path; a file is removed when the process named in it is gone, or when it is
/// an hour old. A write under way (through another link to the same file, say)
/// belongs to a live process and takes milliseconds, so it is never disturbed.
pub(crate) fn sweep_stale_temps(path: &Path) {
    let target = resolve_symlink(path);
    let Ok(name) = file_name(&target) else {
        return;
    };
    let prefix = temp_prefix(&name);
    let folder = parent_folder(&target);
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(meta) = entry.metadata().ok().filter(fs::Metadata::is_file) else {
            continue;
        };
        let is_old = meta
            .modified()
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age >= STALE_TEMP_AGE);
        let writer_gone = temp_writer(rest).is_some_and(|pid| !process_is_alive(pid));
        if is_old || writer_gone {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The start of the names of this process's temporary files,
/// `.<name>.tmp-<pid>-`: [`temp_writer`] reads the id back.
fn writer_temp_prefix(name: &str) -> String {
    format!("{}-{}-", temp_prefix(name), std::process::id())
}

/// The process id in a temporary file's name after its prefix (`-<pid>-…`),
/// as [`writer_temp_prefix`] wrote it, or `None` for a name this program did
/// not make.
fn temp_writer(rest_of_name: &str) -> Option<u32> {
    let (pid, _random) = rest_of_name.strip_prefix('-')?.split_once('-')?;
    pid.parse().ok()
}

/// Whether a process with this id exists (a process of another user counts).
/// This process is always alive; so is any id that does not fit a `pid_t`,
/// because nothing can be said about it.
fn process_is_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        // 0 and negative ids address process groups, not one process.
        return true;
    }
    // SAFETY: signal 0 only checks whether the process exists; nothing is sent.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// The name prefix of a store file's temporary files.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.tmp")
}

/// The file name of a store path, or an error for paths like `/` or `..`.
fn file_name(path: &Path) -> Result<String, StoreError> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| {
            StoreError::new(
                path,
                "is not a file path: give a path that ends in a file name",
            )
        })
}

/// The folder holding `path` (`.` for a bare file name).
fn parent_folder(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// The file a symbolic link points to, so that writing through the link
/// keeps it; any other path (or a dangling link) as it is.
fn resolve_symlink(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    // A dangling link: write the file it names, so the link stays a link.
    match fs::read_link(path) {
        Ok(target) if target.is_absolute() => target,
        Ok(target) => parent_folder(path).join(target),
        Err(_) => path.to_path_buf(),
    }
}

/// Makes a rename in `folder` durable. Errors are ignored: the rename has
/// already happened, and some file systems cannot sync a folder at all.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// A StoreError for a failed file operation that says what to do.
fn io_error(path: &Path, action: &str, err: &io::Error) -> StoreError {
    let advice = match err.kind() {
        io::ErrorKind::IsADirectory => {
            "a folder is in the way: move it away or choose another path".to_string()
        }
        io::ErrorKind::NotADirectory => {
            "a part of the path is a file, not a folder: choose another path".to_string()
        }
        io::ErrorKind::PermissionDenied => {
            "permission denied: make the folder writable or choose another path".to_string()
        }
        io::ErrorKind::ReadOnlyFilesystem => {
            "the file system is read-only: choose another path".to_string()
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "the disk is full: free some space and try again".to_string()
        }
        _ => format!("{err}: check the path and its folder"),
    };
    StoreError::new(path, format!("cannot {action}: {advice}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_file_names_its_writer() {
        assert_eq!(temp_writer("-4242-Xa9b"), Some(4242));
        assert_eq!(temp_writer("-4242-"), Some(4242));
        assert_eq!(temp_writer("Xa9b"), None, "made by an older version");
        assert_eq!(temp_writer("-notapid-x"), None);
        assert_eq!(temp_writer("-4242"), None);
        // What this process writes reads back as this process.
        let ours = writer_temp_prefix("bookmarks.toml") + "Xa9b";
        let rest = ours.strip_prefix(&temp_prefix("bookmarks.toml")).unwrap();
        assert_eq!(temp_writer(rest), Some(std::process::id()));
    }

    #[test]
    fn the_sweep_removes_temporary_files_of_gone_writers_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        let mut gone = std::process::Command::new("true").spawn().unwrap();
        gone.wait().unwrap();
        let mut alive = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let names = [
            format!(".bookmarks.toml.tmp-{}-a1", gone.id()),
            format!(".bookmarks.toml.tmp-{}-b2", alive.id()),
            format!(".bookmarks.toml.tmp-{}-c3", std::process::id()),
            ".bookmarks.toml.tmpd4".to_string(),
            format!(".state.toml.tmp-{}-e5", gone.id()),
        ];
        for name in &names {
            fs::write(dir.path().join(name), "half a file").unwrap();
        }
        sweep_stale_temps(&path);
        let _ = alive.kill();
        let _ = alive.wait();
        let left = |name: &String| dir.path().join(name).exists();
        assert!(!left(&names[0]), "the writer is gone: swept");
        assert!(left(&names[1]), "a live writer's file is kept");
        assert!(left(&names[2]), "this process's own file is kept");
        assert!(left(&names[3]), "a fresh file without a writer is kept");
        assert!(left(&names[4]), "another store's file is kept");
    }

    #[test]
    fn a_write_leaves_no_temporary_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        write_atomic(&path, b"read = []").unwrap();
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.toml"]);
    }

    #[test]
    fn version_missing_or_1_is_accepted_others_are_not() {
        assert_eq!(check_version("read = []"), Ok(()));
        assert_eq!(check_version("version = 1"), Ok(()));
        let newer = check_version("\nversion = 99").unwrap_err();
        assert!(newer.message.contains("newer"), "{newer:?}");
        assert_eq!(
            newer.describe("\nversion = 99").get(..17),
            Some("line 2, column 11")
        );
        assert!(check_version("version = 0").is_err());
        assert!(check_version("version = \"1\"").is_err());
    }

    #[test]
    fn parser_messages_are_one_short_line_without_control_characters() {
        let text = "version = 1\n\"\\u001b[2J\" = 1\n";
        let problem = check_version(text).and_then(|()| {
            #[derive(Debug, Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Strict {
                #[serde(rename = "version")]
                _version: i64,
            }
            toml::from_str::<Strict>(text)
                .map(|_| ())
                .map_err(Problem::from)
        });
        let shown = problem
            .map(|()| String::new())
            .unwrap_or_else(|p| p.describe(text));
        assert!(
            shown.starts_with("line 2, column 1: unknown field `\\u{1b}[2J`"),
            "{shown}"
        );

        let long = one_safe_line(&format!("first\n  second {}", "y".repeat(1000)));
        assert!(long.starts_with("first; second yyy"), "{long}");
        assert_eq!(long.chars().count(), MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn io_errors_say_what_to_do() {
        let err = io::Error::from(io::ErrorKind::IsADirectory);
        let shown = io_error(Path::new("/x/bookmarks.toml"), "read", &err).to_string();
        assert_eq!(
            shown,
            "/x/bookmarks.toml: cannot read: a folder is in the way: move it away or choose another path"
        );
    }
}
