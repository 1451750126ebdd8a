//! Loading the folder as the reader does, and following it: the
//! [`Loader`] the loader thread runs and the tests drive.
//!
//! With a cache, the list comes from it at once ([`Event::SummariesLoaded`]
//! with the texts), and the folder is then checked against it in the
//! background; what changed arrives as [`Event::TextsLoaded`]. Without one
//! (the first start, `--no-cache`, or a cache found broken, which is said),
//! the folder is read in two phases: every file's summary with the marks,
//! so the list is usable soon on a huge folder, then the texts; the cache is
//! then written and the library swapped for the mapped one, so its texts
//! leave the reader's own memory. Later changes to the folder are found by
//! [`Loader::refresh`], which reads only what changed.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::article::Detail;
use crate::config::Config;
use crate::library::Library;
use crate::library::load::{LoadProgress, load_with_progress};
use crate::library::refresh::{refresh, refresh_paths};
use crate::library::stored::{open_cached, open_cached_without_words, open_words, save};
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
        let cached = self.open_cache(deliver);
        self.load_from(cached, progress, deliver)
    }

    /// Reads the whole folder again without trusting the cache (`r`: what
    /// to do when something looks wrong), delivering as [`Loader::load`]
    /// does, and writes the cache anew.
    pub fn reload(
        &mut self,
        progress: &(dyn Fn(Loading) + Sync),
        deliver: &mut dyn FnMut(Event) -> bool,
    ) -> Option<Recheck> {
        self.load_from(None, progress, deliver)
    }

    /// [`Loader::load`] from the library opened from the cache, if any.
    fn load_from(
        &mut self,
        cached: Option<Library>,
        progress: &(dyn Fn(Loading) + Sync),
        deliver: &mut dyn FnMut(Event) -> bool,
    ) -> Option<Recheck> {
        let stores = MarkStores::new(&self.config.library.bookmarks, &self.config.library.state);
        let (saved, failed) = stores.load();
        let marks = saved.marks();
        let problems = (saved.moved_aside.iter().chain(&failed))
            .map(ToString::to_string)
            .collect();
        if let Some(library) = cached {
            let summaries = Summaries {
                library: library.clone(),
                marks,
                problems,
            };
            self.current = Some(library.clone());
            if !deliver(Event::SummariesLoaded(Box::new(summaries))) {
                return None;
            }
            self.saved_at = Some(Instant::now());
            // The word index only speeds searches up: it follows the list.
            if let Some(dir) = self.cache.clone()
                && let Err(error) = open_words(&library, &dir)
            {
                deliver(Event::Notice(rebuild_note(&error)));
                self.save_and_swap(deliver);
            }
            library.prepare_lookups();
            return self.refresh(deliver);
        }
        let root = &self.config.library.articles;
        let counted = |p: LoadProgress| {
            progress(Loading {
                found: p.found,
                loaded: p.loaded,
            })
        };
        let options = self.config.library.load_options(Detail::Summary);
        let library = match load_with_progress(root, &options, &counted) {
            Ok(library) => library,
            Err(error) => {
                deliver(Event::LoadFailed(error.to_string()));
                return None;
            }
        };
        let summaries = Summaries {
            library,
            marks,
            problems,
        };
        if !deliver(Event::SummariesLoaded(Box::new(summaries))) {
            return None;
        }
        self.load_texts(deliver);
        None
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

    /// Reads every text of the folder in one phase, delivers them, and
    /// writes the cache.
    fn load_texts(&mut self, deliver: &mut dyn FnMut(Event) -> bool) {
        let options = self.config.library.load_options(Detail::Full);
        match load_with_progress(&self.config.library.articles, &options, &|_| {}) {
            Ok(library) => {
                library.prepare_lookups();
                self.current = Some(library.clone());
                if deliver(Event::TextsLoaded(Box::new(library))) {
                    self.save_and_swap(deliver);
                }
            }
            Err(error) => {
                deliver(Event::LoadFailed(error.to_string()));
            }
        }
    }

    /// Opens the cache, when there is one to use; a broken one is said to
    /// be rebuilt.
    fn open_cache(&mut self, deliver: &mut dyn FnMut(Event) -> bool) -> Option<Library> {
        let dir = self.cache.as_ref()?;
        match open_cached_without_words(&self.config.library.articles, dir) {
            Ok(library) => Some(library),
            Err(error) => {
                if !error.is_missing() {
                    deliver(Event::Notice(rebuild_note(&error)));
                }
                None
            }
        }
    }

    /// Writes the current library into the cache and delivers the library
    /// mapped from it, whose texts are not in the reader's memory. A cache
    /// that cannot be written is said once; the reader then runs without
    /// it.
    fn save_and_swap(&mut self, deliver: &mut dyn FnMut(Event) -> bool) {
        let (Some(dir), Some(current)) = (self.cache.clone(), self.current.as_ref()) else {
            return;
        };
        let generation = match save(current, &dir) {
            Ok(generation) => generation,
            Err(error) => {
                self.cache = None;
                deliver(Event::Notice(format!(
                    "{error}; running without a cache (set library.cache to a folder you can write)"
                )));
                return;
            }
        };
        self.saved_at = Some(Instant::now());
        // Another instance may have written the cache since: only our own
        // write is the same articles.
        if let Ok(mapped) = open_cached(&self.config.library.articles, &dir)
            && mapped.generation() == generation
        {
            // The same articles: the warnings of the load stay.
            let mapped = mapped.with_warnings(current.warnings().to_vec());
            mapped.prepare_lookups();
            self.current = Some(mapped.clone());
            deliver(Event::TextsLoaded(Box::new(mapped)));
        }
    }
}

/// The status line's note on a cache found unusable: what comes first is
/// what a narrow status line keeps (what happens and why), the file last.
fn rebuild_note(error: &crate::library::cache::CacheError) -> String {
    format!(
        "rebuilding the cache: {} ({})",
        error.kind,
        error.shown_path()
    )
}
