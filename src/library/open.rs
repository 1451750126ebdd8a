//! Opening a folder's library: one policy for the commands and the reader.
//!
//! With a cache folder: the library is opened from the cache, shown, its
//! word index attached, and the folder checked against it (only the paths
//! a live watcher recorded, when one vouches for this cache write:
//! [`vouch`](super::vouch)); the cache is
//! written again when the check found many changes (or the index was
//! unusable). Without a usable cache (none yet, or one found broken, which
//! is said), the folder is indexed into a new one ([`index`](super::index)):
//! the list first, then the texts streamed into the cache. A cache that
//! cannot be written is said, and the folder is read into memory instead.
//! Without a cache folder (`cache = false`, `--no-cache`), the folder is
//! read into memory: the summaries, then (when asked) the texts.
//!
//! What the person should hear comes back as [`Notice`]s, as data: the
//! commands print them to stderr, the reader shows them in its status line.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Library;
use super::cache::{CacheError, CacheLock};
use super::index::{IndexError, Way, index_folder};
use super::load::{LoadError, LoadOptions, LoadProgress, load_with_progress};
use super::refresh::{refresh, refresh_paths};
use super::stored::{
    open_cached, open_cached_as_writer, open_cached_without_words, open_words, save,
};
use crate::article::Detail;

/// Something about the cache the person should hear while the library
/// opens. Its `Display` is one line, the same in the commands and the
/// reader, what happens first (what a narrow status line keeps) and the
/// file last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The cache was there but cannot be used: it is rebuilt.
    Rebuilding(CacheError),
    /// The cache could not be written: the library runs without it.
    NotWritten(CacheError),
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Rebuilding(error) => write!(
                f,
                "rebuilding the cache: {} ({})",
                error.kind,
                error.shown_path()
            ),
            Notice::NotWritten(error) => write!(
                f,
                "{error}; running without a cache (set library.cache to a folder you can write)"
            ),
        }
    }
}

/// How to open a library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening<'a> {
    /// The cache folder; `None` to run without a cache.
    pub cache: Option<&'a Path>,
    /// How to read the files. Its detail is what is needed of a folder
    /// read without a cache ([`Detail::Summary`]: no search texts); a
    /// cache always holds the texts.
    pub load: LoadOptions,
    /// Read the folder anew, not trusting the cache (and write it anew).
    pub fresh: bool,
    /// Without a cache, read every file's summary first (handed over as
    /// [`Step::Listed`]) and then the texts, as the reader does to show
    /// its list soon, rather than everything at once (each file read once,
    /// which is faster in all: the commands). With a cache, build the
    /// lookups by id at once, off the reader's UI thread; without this (the
    /// commands) they are built only when an id is looked up: at a million
    /// articles they cost 0.7 s, more than a watched command's whole answer.
    pub list_first: bool,
}

/// What happens on the way, as it happens.
#[derive(Debug)]
pub enum Step<'a> {
    /// The list can be shown: the library, maybe without its texts yet.
    Listed(&'a Library),
    /// Something to tell the person (also in [`Opened::notices`]).
    Notice(&'a Notice),
}

/// An opened library and what came with it.
#[derive(Debug)]
pub struct Opened {
    /// The library, with its texts when there is a cache or they were
    /// asked for.
    pub library: Library,
    /// What the person should hear, in order.
    pub notices: Vec<Notice>,
    /// Whether `library` is the very library last handed over as
    /// [`Step::Listed`] (nothing newer came since).
    pub as_listed: bool,
    /// Whether the cache is in use: false when none was asked for or it
    /// could not be written.
    pub cached: bool,
    /// When to check the folder again (files changed too recently to
    /// trust), and which paths (`None`: the whole folder).
    pub recheck: Option<(Duration, Option<Vec<PathBuf>>)>,
}

/// Opens the library of the articles folder `root` as `opening` says (see
/// the module's comment). `progress` hears of files found and read while
/// the folder is read (from any thread); `step` hears of the list and of
/// notices as they come, and stops the opening (`None`) by returning
/// false at [`Step::Listed`]. Fails only when the folder cannot be read
/// at all.
pub fn open_library(
    root: &Path,
    opening: &Opening<'_>,
    progress: &(dyn Fn(LoadProgress) + Sync),
    step: &mut dyn FnMut(Step<'_>) -> bool,
) -> Result<Option<Opened>, LoadError> {
    let mut notices = Vec::new();
    let full = LoadOptions {
        detail: Detail::Full,
        ..opening.load.clone()
    };
    let mut listed = false;
    if let Some(dir) = opening.cache {
        if !opening.fresh {
            match open_cached_without_words(root, dir) {
                Ok(cached) => {
                    return from_cache(cached, dir, &full, opening.list_first, notices, step);
                }
                Err(error) if !error.is_missing() => {
                    say(Notice::Rebuilding(error), &mut notices, step);
                }
                Err(_) => {}
            }
        }
        match CacheLock::acquire(dir) {
            Err(error) => say(Notice::NotWritten(error), &mut notices, step),
            Ok(lock) => {
                // Another process may have written the cache while this
                // one waited for the lock: then it is used, not rebuilt.
                if !opening.fresh
                    && let Ok(cached) = open_cached_as_writer(root, dir, &lock)
                {
                    drop(lock);
                    return from_cache(cached, dir, &full, opening.list_first, notices, step);
                }
                let way = if opening.list_first {
                    Way::ListFirst
                } else {
                    Way::ReadOnce
                };
                let indexed = index_folder(root, dir, lock, way, &full, progress, &mut |rows| {
                    listed = true;
                    step(Step::Listed(rows))
                });
                match indexed {
                    Ok(Some(library)) => {
                        return Ok(Some(Opened {
                            library,
                            notices,
                            as_listed: false,
                            cached: true,
                            recheck: None,
                        }));
                    }
                    Ok(None) => return Ok(None),
                    Err(IndexError::Load(error)) => return Err(error),
                    Err(IndexError::Cache(error)) => {
                        say(Notice::NotWritten(error), &mut notices, step);
                    }
                }
            }
        }
    }
    // In memory: the list first when asked (unless the index showed it).
    if opening.list_first && !listed {
        let summaries = LoadOptions {
            detail: Detail::Summary,
            ..opening.load.clone()
        };
        let rows = load_with_progress(root, &summaries, progress)?;
        if !step(Step::Listed(&rows)) {
            return Ok(None);
        }
        listed = true;
        if opening.load.detail == Detail::Summary {
            return Ok(Some(in_memory(rows, notices, true)));
        }
    }
    let quiet = |_: LoadProgress| {};
    let progress: &(dyn Fn(LoadProgress) + Sync) = if listed { &quiet } else { progress };
    let library = load_with_progress(root, &opening.load, progress)?;
    Ok(Some(in_memory(library, notices, false)))
}

/// Tells `step` of `notice` and keeps it.
fn say(notice: Notice, notices: &mut Vec<Notice>, step: &mut dyn FnMut(Step<'_>) -> bool) {
    step(Step::Notice(&notice));
    notices.push(notice);
}

/// A library read into memory, the cache not in use.
fn in_memory(library: Library, notices: Vec<Notice>, as_listed: bool) -> Opened {
    Opened {
        library,
        notices,
        as_listed,
        cached: false,
        recheck: None,
    }
}

/// The rest of [`open_library`] once the cache opened: the list shown,
/// the word index attached, the folder checked, and the cache written
/// again when that saves the next start work.
fn from_cache(
    cached: Library,
    dir: &Path,
    full: &LoadOptions,
    lookups: bool,
    mut notices: Vec<Notice>,
    step: &mut dyn FnMut(Step<'_>) -> bool,
) -> Result<Option<Opened>, LoadError> {
    if !step(Step::Listed(&cached)) {
        return Ok(None);
    }
    // The word index only speeds searches up: it follows the list.
    let mut rewrite = false;
    if let Err(error) = open_words(&cached, dir) {
        say(Notice::Rebuilding(error), &mut notices, step);
        rewrite = true;
    }
    // A live watcher's record of this very cache write: only the paths it
    // names are looked at, not every file (see `vouch`).
    let vouched = super::vouch::vouched(dir, cached.generation());
    let cached = match &vouched {
        Some(record) => cached.with_warnings(record.warnings.clone()),
        None => cached,
    };
    if lookups || vouched.is_none() {
        // The whole check looks every file up by id.
        cached.prepare_lookups();
    }
    let checked = match &vouched {
        Some(record) => refresh_paths(&cached, full, &record.paths)?,
        None => refresh(&cached, full)?,
    };
    rewrite |= checked.worth_saving();
    let recheck = checked
        .recheck_after
        .map(|after| (after, checked.recheck_paths.clone()));
    let (mut library, mut as_listed) = match checked.library {
        Some(changed) => (changed, false),
        None => (cached, true),
    };
    let mut in_use = true;
    if rewrite {
        match save_and_open(&library, dir) {
            Ok(Some(mapped)) => {
                library = mapped;
                as_listed = false;
            }
            Ok(None) => {}
            Err(notice) => {
                say(notice, &mut notices, step);
                in_use = false;
            }
        }
    }
    if lookups {
        library.prepare_lookups();
    }
    Ok(Some(Opened {
        library,
        notices,
        as_listed,
        cached: in_use,
        recheck,
    }))
}

/// Writes `library` into the cache folder `dir` and opens what was
/// written: the same articles, their texts mapped rather than in memory.
/// `None` when another writer's cache replaced ours at once (the library
/// stays as it is); a cache that cannot be written is the notice to give.
pub fn save_and_open(library: &Library, dir: &Path) -> Result<Option<Library>, Notice> {
    let generation = save(library, dir).map_err(Notice::NotWritten)?;
    // Another process may have written the cache since: only our own
    // write is the same articles.
    Ok(open_cached(library.root(), dir)
        .ok()
        .filter(|mapped| mapped.generation() == generation)
        .map(|mapped| {
            // The same articles: the warnings of the load stay.
            let mapped = mapped.with_warnings(library.warnings().to_vec());
            mapped.prepare_lookups();
            mapped
        }))
}
