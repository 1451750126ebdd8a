//! Loading the folder as the reader does, in two phases: every file's
//! summary (title, date, tags) with the marks, so the list is usable soon on
//! a huge folder, then the full texts for the reader and search. The loader
//! thread and the tests run this same code.

use crate::article::Detail;
use crate::config::Config;
use crate::library::load::{LoadProgress, load_with_progress};
use crate::store::MarkStores;
use crate::tui::app::{Event, Loading, Summaries};

/// Loads the configured folder and the marks, handing each result to
/// `deliver` as the [`Event`] the reader takes: [`Event::SummariesLoaded`]
/// then [`Event::TextsLoaded`], or [`Event::LoadFailed`]. `progress` hears
/// of files found and read during the first phase (from any thread). Stops
/// early when `deliver` says nobody listens any more.
pub fn load_in_phases(
    config: &Config,
    progress: &(dyn Fn(Loading) + Sync),
    deliver: &mut dyn FnMut(Event) -> bool,
) {
    let root = &config.library.articles;
    let options = config.library.load_options(Detail::Summary);
    let counted = |p: LoadProgress| {
        progress(Loading {
            found: p.found,
            loaded: p.loaded,
        })
    };
    let library = match load_with_progress(root, &options, &counted) {
        Ok(library) => library,
        Err(error) => {
            deliver(Event::LoadFailed(error.to_string()));
            return;
        }
    };
    let stores = MarkStores::new(&config.library.bookmarks, &config.library.state);
    let (saved, failed) = stores.load();
    let summaries = Summaries {
        library,
        marks: saved.marks(),
        problems: (saved.moved_aside.iter().chain(&failed))
            .map(ToString::to_string)
            .collect(),
    };
    if !deliver(Event::SummariesLoaded(Box::new(summaries))) {
        return;
    }
    let full = config.library.load_options(Detail::Full);
    deliver(match load_with_progress(root, &full, &|_| {}) {
        Ok(library) => Event::TextsLoaded(Box::new(library)),
        Err(error) => Event::LoadFailed(error.to_string()),
    });
}

/// Loads the configured folder's texts in one phase, for a folder that
/// changed while the reader runs: [`Event::TextsLoaded`] (the reader keeps
/// its marks, its selection, scroll and query), or [`Event::LoadFailed`].
pub fn load_texts(config: &Config, deliver: &mut dyn FnMut(Event) -> bool) {
    let options = config.library.load_options(Detail::Full);
    deliver(
        match load_with_progress(&config.library.articles, &options, &|_| {}) {
            Ok(library) => Event::TextsLoaded(Box::new(library)),
            Err(error) => Event::LoadFailed(error.to_string()),
        },
    );
}
