//! Feeds in the reader: fetching every feed (or one) in the background
//! with its progress in the status line (the articles arrive through the
//! folder watch as they are written), the feeds view with each feed's
//! articles and last fetch, a feed's articles shown in the list, fetches
//! when the reader starts and on a timer (`[fetching]`), notices of new
//! articles that match the `notify` query, and the full text of one
//! article from its page.

use std::collections::{HashMap, HashSet};

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::feeds::status::FeedStatus;
use crate::keys::Action;
use crate::library::Library;
use crate::store::MarkChange;
use crate::tui::notify;
use crate::tui::popups::{ArticleCount, FeedAsk, FeedsPopup, Overlay};

use super::feed_view::ShownFeed;
use super::{App, Effect, Focus};

/// At most this many new articles notify after one load: a first fetch of
/// a busy feed must not start a hundred programs.
const MAX_NOTICES: usize = 5;

/// The folder an article's id is in (`news` of `news/item.md`), if any.
fn folder_of(id: &str) -> Option<&str> {
    id.split_once('/').map(|(folder, _)| folder)
}

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

/// `, synced 1 account` after the feeds, when the fetch synced accounts.
fn and_synced(accounts: &AccountsSynced) -> String {
    match accounts.synced {
        0 => String::new(),
        1 => ", synced 1 account".to_string(),
        n => format!(", synced {n} accounts"),
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

/// What the accounts' syncs gave a fetch (`[[account]]` tables): nothing
/// when there are none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountsSynced {
    /// Accounts synced.
    pub synced: usize,
    /// Each account that failed: why, and how many local changes wait.
    pub failed: Vec<String>,
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
        /// The accounts synced with them (their new articles are in `new`).
        accounts: AccountsSynced,
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
    /// `f`: the feeds view, once the run loop has read the feeds' states.
    pub(super) fn ask_feeds(&mut self) -> Vec<Effect> {
        self.feeds.quiet_read = false;
        vec![Effect::ReadFeeds]
    }

    /// What the reader does as it starts: the feeds' names are read for
    /// the list's feed column; with `[fetching] on_start` every feed is
    /// fetched; with `every_minutes`, the first timed fetch is set.
    pub fn start(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        self.feeds.quiet_read = true;
        let mut effects = vec![Effect::ReadFeeds];
        if let Some(every) = self.fetch_every() {
            self.feeds.next_fetch = Some(now + every);
        }
        if self.config.fetching.on_start {
            self.feeds.fetch_once_loaded = true;
            effects.extend(self.feed_effects());
        }
        effects
    }

    /// How often the feeds are fetched on their own, if they are.
    fn fetch_every(&self) -> Option<chrono::TimeDelta> {
        self.config
            .fetching
            .every
            .and_then(|every| chrono::TimeDelta::from_std(every).ok())
    }

    /// The timer went off: the next fetch is set, and every feed fetched
    /// unless a fetch is under way.
    pub(super) fn fetch_due(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(every) = self.fetch_every() else {
            return Vec::new();
        };
        self.feeds.next_fetch = Some(now + every);
        self.fetch_quietly()
    }

    /// Every feed fetched, unless a fetch is under way (which is not said:
    /// nobody pressed a key).
    fn fetch_quietly(&mut self) -> Vec<Effect> {
        if self.fetching.is_some() {
            return Vec::new();
        }
        self.fetching = Some(FetchProgress::default());
        vec![Effect::FetchFeeds]
    }

    /// The time of the next timed fetch, in the zone the list's times are
    /// shown in: the status line's `next fetch 14:35`.
    pub fn next_fetch_text(&self) -> Option<String> {
        let next = self.feeds.next_fetch?;
        let zone = *self.local_now().offset();
        Some(format!(
            "next fetch {}",
            next.with_timezone(&zone).format("%H:%M")
        ))
    }

    /// The feeds' states arrived: the feeds view opens (or is refreshed,
    /// when open) with each feed's articles counted; no feeds is said in
    /// the status line. A read for the names alone only keeps the names.
    pub(super) fn feeds_read(&mut self, rows: Result<Vec<FeedStatus>, String>) {
        let quiet = std::mem::take(&mut self.feeds.quiet_read);
        let rows = match rows {
            Ok(rows) => rows,
            Err(_) if quiet => return,
            Err(error) => return self.say(error, true),
        };
        self.feeds.names = rows
            .iter()
            .map(|row| (row.dir.clone(), row.name.clone()))
            .collect();
        if quiet {
            return;
        }
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
        let counts = self.feed_counts(&rows);
        let back_to = self
            .feeds
            .return_to
            .as_ref()
            .and_then(|url| rows.iter().position(|row| &row.url == url))
            .unwrap_or(0);
        let view = FeedsPopup::new(rows, counts, open, back_to);
        self.overlay = Some(Overlay::Feeds(view));
    }

    /// Each feed's articles in the reader: those under its folder, and
    /// those of them not read.
    pub(crate) fn feed_counts(&self, rows: &[FeedStatus]) -> Vec<ArticleCount> {
        let mut by_folder: HashMap<&str, ArticleCount> = rows
            .iter()
            .map(|row| (row.dir.as_str(), ArticleCount::default()))
            .collect();
        for &index in &self.sorted {
            let Some(article) = self.library.get(index) else {
                continue;
            };
            let id = article.id();
            let Some(count) = folder_of(id).and_then(|folder| by_folder.get_mut(folder)) else {
                continue;
            };
            count.total += 1;
            if !self.marks.read.contains(id) {
                count.unread += 1;
            }
        }
        rows.iter()
            .map(|row| by_folder.get(row.dir.as_str()).copied().unwrap_or_default())
            .collect()
    }

    /// The feeds view asked for something to be done with a feed.
    pub(super) fn feed_asked(&mut self, ask: FeedAsk) -> Vec<Effect> {
        match ask {
            FeedAsk::Show(feed) => {
                self.show_feed(&feed);
                Vec::new()
            }
            FeedAsk::Fetch(feed) => self.fetch_feed(&feed),
            FeedAsk::MarkRead(feed) => self.mark_feed_read(&feed),
        }
    }

    /// The list shows the feed's articles alone (newest first, whatever
    /// else filtered it before), its name in the status line.
    fn show_feed(&mut self, feed: &FeedStatus) {
        self.feeds.return_to = Some(feed.url.clone());
        self.clear_filters();
        self.feeds.shown = Some(ShownFeed {
            name: feed.name.clone(),
            prefix: format!("{}/", feed.dir),
        });
        self.focus = Focus::List;
        self.fullscreen = false;
        self.refilter();
        self.select(0);
        if self.visible.is_empty() {
            let key = self.first_key(Action::FetchFeeds);
            self.say(
                format!("no articles of {} yet: {key} fetches the feeds", feed.name),
                false,
            );
        }
    }

    /// Whether the list shows one feed's articles and has the keys, with
    /// nothing between it and the feeds view (an open article, picked
    /// articles): there `esc` and `q` go back to the feeds view.
    pub(super) fn in_feed_list(&self) -> bool {
        self.feeds.shown.is_some()
            && self.overlay.is_none()
            && self.focus == Focus::List
            && !self.fullscreen
            && self.picked_ids.is_empty()
    }

    /// Whether the list shows one feed's articles and its keys go there:
    /// what the hints say of `q` and `Q`.
    pub(crate) fn in_one_feeds_list(&self) -> bool {
        self.in_feed_list()
    }

    /// Back from a feed's articles to the feeds view, read again so its
    /// counts are those of now.
    pub(super) fn back_to_feeds(&mut self) -> Vec<Effect> {
        self.feeds.shown = None;
        self.refilter();
        self.ask_feeds()
    }

    /// `r` in the feeds view: fetch the selected feed, unless a fetch is
    /// under way.
    fn fetch_feed(&mut self, feed: &FeedStatus) -> Vec<Effect> {
        if self.fetching.is_some() {
            self.say("already fetching the feeds", false);
            return Vec::new();
        }
        self.fetching = Some(FetchProgress {
            total: 1,
            ..FetchProgress::default()
        });
        self.say(format!("fetching {}…", feed.name), false);
        vec![Effect::FetchFeed(feed.url.clone())]
    }

    /// `A` in the feeds view: every article of the feed read, as one step
    /// the undo key takes back; the view's counts follow at once.
    fn mark_feed_read(&mut self, feed: &FeedStatus) -> Vec<Effect> {
        if self.counting() {
            self.say(
                "still counting the list; mark the feed once it is done",
                false,
            );
            return Vec::new();
        }
        let prefix = format!("{}/", feed.dir);
        let ids: Vec<String> = self
            .sorted
            .iter()
            .filter_map(|&index| self.library.get(index))
            .map(|article| article.id())
            .filter(|id| id.starts_with(&prefix) && !self.marks.read.contains(*id))
            .map(str::to_string)
            .collect();
        if ids.is_empty() {
            self.say(format!("{}: everything is read already", feed.name), false);
            return Vec::new();
        }
        let key = self.first_key(Action::Undo);
        let what = format!("marked {} of {} read", ids.len(), feed.name);
        self.say(format!("{what} ({key} takes it back)"), false);
        let effects = self.change_marks(
            what,
            vec![MarkChange::SetRead(ids.clone(), true)],
            vec![MarkChange::SetRead(ids, false)],
        );
        self.recount_feeds_view();
        effects
    }

    /// The open feeds view's counts, counted again (the marks changed).
    pub(super) fn recount_feeds_view(&mut self) {
        let Some(Overlay::Feeds(view)) = &self.overlay else {
            return;
        };
        let counts = self.feed_counts(&view.rows);
        if let Some(Overlay::Feeds(view)) = &mut self.overlay {
            view.counts = counts;
        }
    }

    /// The name of the feed whose folder holds the article `id`, when the
    /// list's feed column is shown: articles of two feeds or more are in
    /// the reader and no one feed is shown.
    pub(crate) fn feed_name_of(&self, id: &str) -> Option<&str> {
        if self.feeds.shown.is_some() || self.feeds.names.len() < 2 {
            return None;
        }
        folder_of(id)
            .and_then(|folder| self.feeds.names.get(folder))
            .map(String::as_str)
    }

    /// After a load: the articles of `new` that were not in `old` and match
    /// the `notify` query become notices for the run loop (the first load
    /// notifies of nothing).
    pub(super) fn notice_arrivals(&mut self, old: &Library) {
        let Some(notify) = &self.config.fetching.notify else {
            return;
        };
        if old.is_empty()
            || (self.config.fetching.notify_command.is_none()
                && self.config.fetching.notify_terminal.is_none())
        {
            return;
        }
        let arrived: Vec<usize> = self
            .sorted
            .iter()
            .copied()
            .filter(|&index| {
                self.library
                    .get(index)
                    .is_some_and(|article| old.position(article.id()).is_none())
            })
            .collect();
        if arrived.is_empty() {
            return;
        }
        let marks = &self.marks;
        let matching = self
            .library
            .matching_by(&arrived, &[&notify.query], |article| {
                notify.query.matches(article, marks)
            });
        let mut seen = HashSet::new();
        for index in matching.iter().take(MAX_NOTICES) {
            let Some(article) = self.library.get(*index) else {
                continue;
            };
            if !seen.insert(article.id().to_string()) {
                continue;
            }
            let feed = folder_of(article.id())
                .and_then(|folder| self.feeds.names.get(folder))
                .map_or("", String::as_str);
            self.feeds
                .notices
                .push(notify::notice(&self.config.fetching, article.title(), feed));
        }
        if matching.len() > MAX_NOTICES {
            self.say(
                format!(
                    "{} new articles match `{}`; {MAX_NOTICES} notified",
                    matching.len(),
                    notify.text
                ),
                false,
            );
        }
    }

    /// What the feeds' side has waiting for the run loop: the notices,
    /// and the fetch `on_start` asked for once the first load is done.
    pub(super) fn feed_effects(&mut self) -> Vec<Effect> {
        let mut effects: Vec<Effect> = std::mem::take(&mut self.feeds.notices)
            .into_iter()
            .map(Effect::Notify)
            .collect();
        let loaded = self.loading.is_none() && !self.reading_texts;
        if self.feeds.fetch_once_loaded && (loaded || self.load_error.is_some()) {
            self.feeds.fetch_once_loaded = false;
            effects.extend(self.fetch_quietly());
        }
        effects
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
                accounts,
            } if failed.is_empty() => {
                self.say(
                    format!(
                        "fetched {}{}: {new} new{}",
                        feeds_word(feeds),
                        and_synced(&accounts),
                        and_updated(updated)
                    ),
                    false,
                );
                self.say_account_failures(accounts.failed);
            }
            Fetched::Done {
                feeds,
                new,
                updated,
                failed,
                accounts,
            } => {
                let key = self.first_key(Action::Feeds);
                self.say(
                    format!(
                        "fetched {}{}: {new} new{}; {} failed ({}): {key} says why",
                        feeds_word(feeds),
                        and_synced(&accounts),
                        and_updated(updated),
                        failed.len(),
                        failed.join(", ")
                    ),
                    true,
                );
                self.say_account_failures(accounts.failed);
            }
            Fetched::Failed(error) => self.say(format!("cannot fetch: {error}"), true),
        }
        if matches!(self.overlay, Some(Overlay::Feeds(_))) {
            return self.ask_feeds();
        }
        Vec::new()
    }

    /// Each account's failure, whole, after the fetch's line: the last is
    /// on the status line, and `M` (the message log) keeps every one.
    fn say_account_failures(&mut self, failed: Vec<String>) {
        for failure in failed {
            self.say(failure, true);
        }
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
