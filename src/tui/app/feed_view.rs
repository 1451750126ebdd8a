//! The state of the feeds view's side of the App, apart from the code
//! that changes it (`feeds.rs`), so the App's own file can hold it without
//! the two importing each other: the feed whose articles the list shows,
//! the feeds' names, the timed fetches and the notices waiting.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::tui::notify::Notice;

/// The feeds view's side of the App.
#[derive(Debug, Default)]
pub(crate) struct FeedsState {
    /// The feed whose articles the list shows, chosen in the feeds view.
    pub(crate) shown: Option<ShownFeed>,
    /// Each feed's name by its folder, for the list's feed column.
    pub(crate) names: HashMap<String, String>,
    /// The read of the feeds under way is for their names only: it opens
    /// no view (as the reader starts).
    pub(super) quiet_read: bool,
    /// The address of the feed the view's selection goes back to when it
    /// opens again (the feed whose articles were shown).
    pub(super) return_to: Option<String>,
    /// When the next timed fetch is, when `every_minutes` is set.
    pub(crate) next_fetch: Option<DateTime<Utc>>,
    /// Notices of new articles, for the run loop.
    pub(super) notices: Vec<Notice>,
    /// `on_start` asked for a fetch, which waits for the first load to end
    /// (the articles it writes then arrive as changes to a folder
    /// watched, not in the middle of its first reading).
    pub(super) fetch_once_loaded: bool,
}

/// The feed whose articles the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShownFeed {
    /// Its name, for the status line.
    pub(crate) name: String,
    /// Its folder and a `/`: its articles' ids start with it.
    pub(crate) prefix: String,
}

impl FeedsState {
    /// The list's filter while a feed is shown: its folder.
    pub(crate) fn folder_filter(&self) -> Option<String> {
        self.shown.as_ref().map(|feed| feed.prefix.clone())
    }

    /// `feed Daily News`: the status line's name for the feed shown.
    pub(crate) fn label(&self) -> Option<String> {
        self.shown
            .as_ref()
            .map(|feed| format!("feed {}", feed.name))
    }
}
