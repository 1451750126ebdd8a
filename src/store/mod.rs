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

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::files::paths::{file_name, parent_folder, sync_folder, target_of};
use crate::files::{
    FileError, FileLock, Links, io_error, read_regular, sweep_stale_temps, write_atomic,
};
use crate::position::line_column;
use chrono::Utc;
use serde::Deserialize;

pub use bookmarks::{Bookmark, BookmarkStore};
pub use marks::{MarkChange, MarkStores, SavedMarks};
pub use read_state::ReadStore;

/// The newest file format version this program reads and writes.
pub const FORMAT_VERSION: i64 = 1;

/// The most a store file may hold: far more than any real bookmarks file.
const MAX_STORE_BYTES: u64 = 256 * 1024 * 1024;

/// A store file could not be read or written: the ground floor's
/// [`FileError`], naming the file and saying what to do.
pub type StoreError = FileError;

/// The store's files are the person's own: a link to one (bookmarks kept in
/// a dotfiles repository) is followed and kept.
const LINKS: Links = Links::Follow;

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
            let _lock = FileLock::acquire(path, LINKS)
                .map_err(|err| unreadable(path, &problem, &text, &err))?;
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
    let _lock = FileLock::acquire(path, LINKS)?;
    sweep_stale_temps(path, LINKS);
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
/// Reads and parses the file. A missing file is the default data; an empty
/// or blank one is corrupt.
fn read_contents<F: StoreFormat>(path: &Path) -> Result<Contents<F::Data>, StoreError> {
    let bytes = match read_regular(path, MAX_STORE_BYTES, LINKS) {
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
    let real = target_of(path, LINKS);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
