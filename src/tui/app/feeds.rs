//! Feeds in the reader: fetching every feed in the background with its
//! progress in the status line (the articles arrive through the folder
//! watch as they are written), opening the feeds popup with each feed's
//! last fetch, and the full text of one article from its page.

use std::path::PathBuf;

use crate::feeds::status::FeedStatus;
use crate::keys::Action;
use crate::tui::popups::{FeedsPopup, Overlay};

use super::{App, Effect};

/// How far a background fetch of the feeds has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FetchProgress {
    /// Feeds fetched so far.
    pub done: usize,
    /// Feeds to fetch.
    pub total: usize,
    /// New articles written so far.
    pub new: usize,
}

/// `1 feed`, `3 feeds`.
fn feeds_word(count: usize) -> String {
    if count == 1 {
        "1 feed".to_string()
    } else {
        format!("{count} feeds")
    }
}

/// `, 2 updated` after the new articles, when a fetch updated any.
fn and_updated(updated: usize) -> String {
    if updated > 0 {
        format!(", {updated} updated")
    } else {
        String::new()
    }
}

/// How a background fetch of the feeds ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// Every feed was tried: how many, the new articles, the names of
    /// those that failed.
    Done {
        /// Feeds fetched.
        feeds: usize,
        /// New articles written.
        new: usize,
        /// Articles written again because their item changed.
        updated: usize,
        /// The feeds that failed.
        failed: Vec<String>,
    },
    /// Nothing could be fetched (the feeds file does not parse, say): why.
    Failed(String),
}

/// What the full text of one article came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullTextJob {
    /// The article's file.
    pub path: PathBuf,
    /// Its page.
    pub url: String,
}

impl App {
    /// `f`: the feeds popup, once the run loop has read the feeds' states.
    pub(super) fn ask_feeds(&mut self) -> Vec<Effect> {
        vec![Effect::ReadFeeds]
    }

    /// The feeds' states arrived: the popup opens (or is refreshed, when
    /// open); no feeds is said in the status line.
    pub(super) fn feeds_read(&mut self, rows: Result<Vec<FeedStatus>, String>) {
        let rows = match rows {
            Ok(rows) => rows,
            Err(error) => return self.say(error, true),
        };
        if rows.is_empty() {
            self.say(
                "no feeds yet: subscribe with `broadsheet feed add URL`, then F fetches them",
                false,
            );
            return;
        }
        let open = match &self.overlay {
            Some(Overlay::Feeds(open)) => Some(open),
            _ => None,
        };
        self.overlay = Some(Overlay::Feeds(FeedsPopup::new(rows, open)));
    }

    /// `F`: fetch every feed, unless a fetch is under way.
    pub(super) fn fetch_feeds(&mut self) -> Vec<Effect> {
        if self.fetching.is_some() {
            self.say("already fetching the feeds", false);
            return Vec::new();
        }
        self.fetching = Some(FetchProgress::default());
        vec![Effect::FetchFeeds]
    }

    /// A feed of the background fetch finished.
    pub(super) fn fetch_progress(&mut self, progress: FetchProgress) {
        self.fetching = Some(progress);
    }

    /// The background fetch ended: the status line says how, and an open
    /// feeds popup is read again.
    pub(super) fn feeds_fetched(&mut self, fetched: Fetched) -> Vec<Effect> {
        self.fetching = None;
        match fetched {
            Fetched::Done {
                feeds,
                new,
                updated,
                failed,
            } if failed.is_empty() => {
                self.say(
                    format!(
                        "fetched {}: {new} new{}",
                        feeds_word(feeds),
                        and_updated(updated)
                    ),
                    false,
                );
            }
            Fetched::Done {
                feeds,
                new,
                updated,
                failed,
            } => {
                let key = self.first_key(Action::Feeds);
                self.say(
                    format!(
                        "fetched {}: {new} new{}; {} failed ({}): {key} says why",
                        feeds_word(feeds),
                        and_updated(updated),
                        failed.len(),
                        failed.join(", ")
                    ),
                    true,
                );
            }
            Fetched::Failed(error) => self.say(format!("cannot fetch: {error}"), true),
        }
        if matches!(self.overlay, Some(Overlay::Feeds(_))) {
            return vec![Effect::ReadFeeds];
        }
        Vec::new()
    }

    /// `T`: the selected article's page, for its full text.
    pub(super) fn full_text(&mut self) -> Vec<Effect> {
        let Some(index) = self.selected_index() else {
            return Vec::new();
        };
        let Some(article) = self.library.get(index) else {
            return Vec::new();
        };
        let Some(url) = article.url().map(str::to_string) else {
            self.say("this article has no url to fetch its text from", true);
            return Vec::new();
        };
        let Some(path) = self.library.path(index) else {
            return Vec::new();
        };
        self.say(format!("fetching the full text from {url}…"), false);
        vec![Effect::FullText(FullTextJob { path, url })]
    }
}
