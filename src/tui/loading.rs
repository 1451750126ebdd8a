//! Loading the folder as the reader does, and following it: the
//! [`Loader`] the loader thread runs and the tests drive.
//!
//! The opening is the library's ([`open_library`], the same as the
//! commands'): with a cache, the list comes from it at once
//! ([`Event::SummariesLoaded`] with the texts), and the folder is then
//! checked against it; what changed arrives as [`Event::TextsLoaded`].
//! Without one (the first start, or a cache found broken, which is said),
//! every file's summary comes first with the marks, so the list is usable
//! soon on a huge folder, then the texts are streamed into a new cache and
//! the library mapped from it arrives, its texts outside the reader's own
//! memory. Without a cache folder (`--no-cache`) the texts are read into
//! memory. Later changes to the folder are found by [`Loader::refresh`],
//! which reads only what changed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::article::Detail;
use crate::config::Config;
use crate::library::Library;
use crate::library::load::{LoadError, LoadProgress};
use crate::library::open::{Opened, Opening, Step, open_library, save_and_open};
use crate::library::refresh::{refresh, refresh_paths};
use crate::store::MarkStores;
use crate::tui::app::{Event, Loading, Summaries};

/// How long changes found while the reader runs may stay out of the cache:
/// writing it costs a pass over every text, and the next start finds the
/// changes again anyway.
const SAVE_CHANGES_EVERY: Duration = Duration::from_secs(300);

/// When and what the loader thread checks again on its own: files changed
/// too recently to trust are read again once they settle, even if no event
/// comes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recheck {
    /// How long to wait.
    pub after: Duration,
    /// These paths, or (`None`) the whole folder.
    pub paths: Option<Vec<PathBuf>>,
}

/// The loader's state between requests.
#[derive(Debug)]
pub struct Loader {
    config: Config,
    /// The cache folder, while the cache is in use.
    cache: Option<PathBuf>,
    /// The library last delivered, which a refresh checks the folder
    /// against.
    current: Option<Library>,
    /// When the cache was last written.
    saved_at: Option<Instant>,
}

impl Loader {
    /// A loader for `config`; nothing is read until asked.
    pub fn new(config: Config) -> Loader {
        let cache = config.library.cache_folder();
        Loader {
            config,
            cache,
            current: None,
            saved_at: None,
        }
    }

    /// Loads the folder and the marks, handing each result to `deliver` as
    /// the [`Event`] the reader takes: [`Event::SummariesLoaded`], then
    /// [`Event::TextsLoaded`] when the texts or changes follow, or
    /// [`Event::LoadFailed`]; notes about the cache come as
    /// [`Event::Notice`]. `progress` hears of files found and read while
    /// the folder is read (from any thread). Stops early when `deliver`
    /// says nobody listens any more. Returns when to check the folder
    /// again (files changed too recently to trust).
    pub fn load(
        &mut self,
        progress: &(dyn Fn(Loading) + Sync),
        deliver: &mut dyn FnMut(Event) -> bool,
    ) -> Option<Recheck> {
        self.open(false, progress, deliver)
    }

    /// Reads the whole folder again without trusting the cache (`r`: what
    /// to do when something looks wrong), delivering as [`Loader::load`]
    /// does, and writes the cache anew.
    pub fn reload(
        &mut self,
        progress: &(dyn Fn(Loading) + Sync),
        deliver: &mut dyn FnMut(Event) -> bool,
    ) -> Option<Recheck> {
        self.open(true, progress, deliver)
    }

    /// [`Loader::load`], trusting the cache or not (`fresh`): the library's
    /// one opening policy ([`open_library`]), the list delivered with the
    /// marks as soon as it can be shown.
    fn open(
        &mut self,
        fresh: bool,
        progress: &(dyn Fn(Loading) + Sync),
        deliver: &mut dyn FnMut(Event) -> bool,
    ) -> Option<Recheck> {
        let stores = MarkStores::new(&self.config.library.bookmarks, &self.config.library.state);
        let (saved, failed) = stores.load();
        let marks = saved.marks();
        let problems = (saved.moved_aside.iter().chain(&failed))
            .map(ToString::to_string)
            .collect();
        let mut marks = Some((marks, problems));
        let counted = |p: LoadProgress| {
            progress(Loading {
                found: p.found,
                loaded: p.loaded,
            })
        };
        let opening = Opening {
            cache: self.cache.as_deref(),
            load: self.config.library.load_options(Detail::Full),
            fresh,
            list_first: true,
        };
        let opened = open_library(
            &self.config.library.articles,
            &opening,
            &counted,
            &mut |step| match step {
                Step::Listed(library) => {
                    let (marks, problems) = marks.take().unwrap_or_default();
                    deliver(Event::SummariesLoaded(Box::new(Summaries {
                        library: library.clone(),
                        marks,
                        problems,
                    })))
                }
                Step::Notice(notice) => deliver(Event::Notice(notice.to_string())),
            },
        );
        self.opened(opened, deliver)
    }

    /// Takes what [`open_library`] gave: delivers the library when it is
    /// newer than the list delivered, and keeps it for the next check.
    fn opened(
        &mut self,
        opened: Result<Option<Opened>, LoadError>,
        deliver: &mut dyn FnMut(Event) -> bool,
    ) -> Option<Recheck> {
        let opened = match opened {
            Ok(Some(opened)) => opened,
            Ok(None) => return None,
            Err(error) => {
                deliver(Event::LoadFailed(error.to_string()));
                return None;
            }
        };
        if opened.cached {
            self.saved_at = Some(Instant::now());
        } else {
            // Not asked for, or said once not to be writable.
            self.cache = None;
        }
        self.current = Some(opened.library.clone());
        if !opened.as_listed && !deliver(Event::TextsLoaded(Box::new(opened.library))) {
            return None;
        }
        opened
            .recheck
            .map(|(after, paths)| Recheck { after, paths })
    }

    /// The folder changed while the reader runs: checks it against the
    /// library last delivered and delivers [`Event::TextsLoaded`] when
    /// anything changed (the reader keeps its marks, selection, scroll and
    /// query), or [`Event::LoadFailed`]. Reads the whole folder when
    /// nothing was loaded yet. Returns when to check again.
    pub fn refresh(&mut self, deliver: &mut dyn FnMut(Event) -> bool) -> Option<Recheck> {
        self.check(None, deliver)
    }

    /// [`Loader::refresh`] for changes the watcher reported at `paths`:
    /// only they are looked at, unless they could mean more.
    pub fn refresh_paths(
        &mut self,
        paths: &[PathBuf],
        deliver: &mut dyn FnMut(Event) -> bool,
    ) -> Option<Recheck> {
        self.check(Some(paths), deliver)
    }

    /// A check of the whole folder, or of `paths`.
    fn check(
        &mut self,
        paths: Option<&[PathBuf]>,
        deliver: &mut dyn FnMut(Event) -> bool,
    ) -> Option<Recheck> {
        let Some(current) = self.current.as_ref().filter(|c| !c.texts_damaged()) else {
            self.load_texts(deliver);
            return None;
        };
        let options = self.config.library.load_options(Detail::Full);
        let checked = match paths {
            Some(paths) => refresh_paths(current, &options, paths),
            None => refresh(current, &options),
        };
        let checked = match checked {
            Ok(checked) => checked,
            Err(error) => {
                deliver(Event::LoadFailed(error.to_string()));
                return None;
            }
        };
        let worth_saving = checked.worth_saving();
        if let Some(library) = checked.library {
            // Looked up by id as soon as it is shown: built here, not on
            // the UI thread.
            library.prepare_lookups();
            self.current = Some(library.clone());
            if !deliver(Event::TextsLoaded(Box::new(library))) {
                return None;
            }
            // Many changes are written at once; a few wait, as the next
            // start finds and reads them again cheaply.
            let due = worth_saving
                || self
                    .saved_at
                    .is_none_or(|at| at.elapsed() >= SAVE_CHANGES_EVERY);
            if due {
                self.save_and_swap(deliver);
            }
        }
        checked.recheck_after.map(|after| Recheck {
            after,
            paths: checked.recheck_paths,
        })
    }

    /// Reads the whole folder again, not trusting the cache, and delivers
    /// it; the cache is written anew as the files are read.
    fn load_texts(&mut self, deliver: &mut dyn FnMut(Event) -> bool) {
        let opening = Opening {
            cache: self.cache.as_deref(),
            load: self.config.library.load_options(Detail::Full),
            fresh: true,
            list_first: false,
        };
        let opened = open_library(
            &self.config.library.articles,
            &opening,
            &|_| {},
            &mut |step| match step {
                // The list is shown already: the texts follow at once.
                Step::Listed(_) => true,
                Step::Notice(notice) => deliver(Event::Notice(notice.to_string())),
            },
        );
        self.opened(opened, deliver);
    }

    /// Writes the current library into the cache and delivers the library
    /// mapped from it, whose texts are not in the reader's memory. A cache
    /// that cannot be written is said once; the reader then runs without
    /// it.
    fn save_and_swap(&mut self, deliver: &mut dyn FnMut(Event) -> bool) {
        let (Some(dir), Some(current)) = (self.cache.clone(), self.current.as_ref()) else {
            return;
        };
        match save_and_open(current, &dir) {
            Err(notice) => {
                self.cache = None;
                deliver(Event::Notice(notice.to_string()));
            }
            Ok(mapped) => {
                self.saved_at = Some(Instant::now());
                if let Some(mapped) = mapped {
                    self.current = Some(mapped.clone());
                    deliver(Event::TextsLoaded(Box::new(mapped)));
                }
            }
        }
    }
}
