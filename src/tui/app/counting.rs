//! Searching a long list without waiting for it: the first screen of
//! matches is found at once (in list order, stopping when the screen is
//! full), and the whole list is filtered by a [`CountJob`] on a worker,
//! whose result replaces the first screen and gives the count. A new
//! keystroke starts a new generation, and a job of an older one stops at
//! its next look.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::library::query::Query;
use crate::library::{Library, Marks, Searched};

use super::App;

/// From this many candidates on, a text search is done in two steps (the
/// first screen at once, the rest on a worker); below it, at once.
pub(super) const COUNT_APART_FROM: usize = 20_000;

/// At most how many articles the first screen looks at (a few
/// milliseconds of text): a rare word fills it later, from the count.
const FIRST_SCREEN_BUDGET: usize = 8_192;

/// What the list is filtered by, besides the order: one copy for the UI
/// thread and the workers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Filters {
    /// The picked tags as a query.
    pub(crate) picked: Query,
    /// The search.
    pub(crate) search: Query,
    /// Only bookmarked articles.
    pub(crate) bookmarks_only: bool,
    /// Only unread articles.
    pub(crate) unread_only: bool,
    /// Only the articles under this folder (`news/`): one feed's, shown
    /// from the feeds view.
    pub(crate) folder: Option<String>,
}

impl Filters {
    /// Whether the article passes every filter, given the marks.
    pub(crate) fn shows(&self, article: &Searched<'_>, marks: &Marks) -> bool {
        let id = article.row().id();
        (!self.bookmarks_only || marks.bookmarked.contains(id))
            && (!self.unread_only || !marks.read.contains(id))
            && self.picked.matches(article, marks)
            && self.search.matches(article, marks)
            && self
                .folder
                .as_deref()
                .is_none_or(|folder| id.starts_with(folder))
    }

    /// The queries, for the library's word index.
    pub(crate) fn queries(&self) -> [&Query; 2] {
        [&self.picked, &self.search]
    }

    /// Whether the marks take part (else a worker needs no copy of them).
    fn uses_marks(&self) -> bool {
        self.bookmarks_only
            || self.unread_only
            || self.picked.uses_marks()
            || self.search.uses_marks()
    }
}

/// The whole of a filtering whose first screen is shown: done on a worker
/// thread, it gives [`Event::Counted`](super::Event::Counted).
#[derive(Debug, Clone)]
pub struct CountJob {
    library: Arc<Library>,
    candidates: Arc<Vec<usize>>,
    filters: Filters,
    marks: Arc<Marks>,
    generation: u64,
    current: Arc<AtomicU64>,
}

/// Two jobs are the same job when they are of the same generation.
impl PartialEq for CountJob {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

impl Eq for CountJob {}

/// The result of a [`CountJob`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    generation: u64,
    visible: Vec<usize>,
}

impl CountJob {
    /// Filters the whole list; `None` when a newer filtering replaced this
    /// one meanwhile (it stops as soon as it notices).
    pub fn run(&self) -> Option<Counted> {
        let stale = || self.current.load(Ordering::Relaxed) != self.generation;
        let visible = self.library.matching_until(
            &self.candidates,
            &self.filters.queries(),
            &stale,
            |article| self.filters.shows(article, &self.marks),
        )?;
        Some(Counted {
            generation: self.generation,
            visible,
        })
    }
}

impl App {
    /// The filters as they are now.
    pub(super) fn filters(&self) -> Filters {
        Filters {
            picked: self.picked_query.clone(),
            search: self.search.clone(),
            bookmarks_only: self.bookmarks_only,
            unread_only: self.unread_only,
            folder: self.feeds.folder_filter(),
        }
    }

    /// Shows the `candidates` (in order) that pass every filter, keeping
    /// the selection on `keep`: all of them at once for a short list or
    /// filters that read no text; for a text search of a long list, the
    /// first screen at once and the rest from a [`CountJob`] that
    /// [`App::on_event`] hands to the run loop.
    pub(super) fn show_filtered(&mut self, candidates: &[usize], keep: Option<&str>) {
        // Whatever was being counted is of no use any more.
        let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
        self.pending_count = None;
        let filters = self.filters();
        // Without words to look for, a filter reads no text and takes a
        // few milliseconds even on a long list: done at once.
        let reads_text = filters.queries().iter().any(|query| query.needs_text());
        if candidates.len() < COUNT_APART_FROM || !reads_text {
            self.counting = false;
            self.visible = self
                .library
                .matching_by(candidates, &filters.queries(), |article| {
                    filters.shows(article, &self.marks)
                });
            self.place_selection(keep);
            return;
        }
        let screen = self.list_rows().max(1) * 2;
        self.visible = self.library.first_matching(
            candidates,
            &filters.queries(),
            screen,
            FIRST_SCREEN_BUDGET,
            |article| filters.shows(article, &self.marks),
        );
        let marks = if filters.uses_marks() {
            Arc::new(self.marks.clone())
        } else {
            Arc::new(Marks::default())
        };
        self.pending_count = Some(CountJob {
            library: Arc::clone(&self.library),
            candidates: Arc::new(candidates.to_vec()),
            filters,
            marks,
            generation,
            current: Arc::clone(&self.generation),
        });
        self.counting = true;
        self.keep_after_count = keep.map(str::to_string);
        self.place_selection(keep);
    }

    /// The whole list is filtered: it replaces the first screen, the
    /// selection staying on its article (or going to the one it was to be
    /// kept on, when that came after the first screen).
    pub(super) fn counted(&mut self, counted: Counted) {
        if !self.counting || counted.generation != self.generation.load(Ordering::Relaxed) {
            return;
        }
        let keep = self
            .keep_after_count
            .take()
            .filter(|_| self.selected == 0)
            .or_else(|| self.selected_article().map(|a| a.id().to_string()));
        self.counting = false;
        self.visible = counted.visible;
        self.place_selection(keep.as_deref());
    }

    /// The job to hand to a worker, once.
    pub(super) fn take_count_job(&mut self) -> Option<CountJob> {
        self.pending_count.take()
    }

    /// Whether the list shows only its first screen while the rest is
    /// being filtered.
    pub fn counting(&self) -> bool {
        self.counting
    }
}
