//! How each feed's last fetch went, from its state file: the rows of
//! `broadsheet feed list` (and its `--json`) and of the reader's feeds
//! popup.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fetch::FetchOptions;
use crate::article::sanitize::sanitize_line;
use crate::store::feed_state::FeedState;
use crate::store::feeds::Feed;

/// One feed and its last fetch, terminal-safe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedStatus {
    /// The feed's name.
    pub name: String,
    /// Its address.
    pub url: String,
    /// The tags its articles get.
    pub tags: Vec<String>,
    /// Whether each item's page is fetched for its full text.
    pub full_text: bool,
    /// Its folder setting, when it has one.
    pub folder: Option<String>,
    /// When it was last fetched, if ever.
    pub last_fetch: Option<DateTime<Utc>>,
    /// `ok`, `not modified`, `failed`, `waiting`, or `never fetched`.
    pub status: String,
    /// Items written from it so far.
    pub items: usize,
    /// New articles from its last fetch.
    pub last_new: usize,
    /// Articles its last fetch updated.
    pub last_updated: usize,
    /// Why its last fetch failed.
    pub last_error: Option<String>,
    /// Where it moved for good, if it did.
    pub moved_to: Option<String>,
    /// The folder under the articles folder its articles are written to
    /// (its `folder` setting, or the one its first fetch chose): the
    /// reader's feeds view counts and shows the feed's articles by it. Not
    /// in `feed list --json`, whose fields stay as they were.
    #[serde(skip)]
    pub dir: String,
}

impl FeedStatus {
    /// The row of `feed` whose fetches found `state`.
    pub fn new(feed: &Feed, state: &FeedState) -> FeedStatus {
        FeedStatus {
            name: sanitize_line(&feed.name),
            url: sanitize_line(&feed.url),
            tags: feed.tags.iter().map(|t| sanitize_line(t)).collect(),
            full_text: feed.full_text,
            folder: feed.folder.as_deref().map(sanitize_line),
            last_fetch: state.last_fetch,
            status: state
                .status
                .map_or("never fetched", |status| status.word())
                .to_string(),
            items: state.items.len(),
            last_new: state.last_new,
            last_updated: state.last_updated,
            last_error: state.last_error.as_deref().map(sanitize_line),
            moved_to: state.moved_to.as_deref().map(sanitize_line),
            dir: super::folders::folder_for(feed, state, None),
        }
    }

    /// Whether the last fetch failed.
    pub fn failed(&self) -> bool {
        self.last_error.is_some() && self.status == "failed"
    }

    /// `ok 2026-11-29 20:10 · 50 items`: the last fetch in local time.
    pub fn summary(&self) -> String {
        let mut text = self.status.clone();
        if let Some(when) = self.last_fetch {
            let local = when.with_timezone(&chrono::Local);
            text.push_str(&format!(" {}", local.format("%Y-%m-%d %H:%M")));
        }
        if self.last_new > 0 {
            text.push_str(&format!(", {} new", self.last_new));
        }
        if self.last_updated > 0 {
            text.push_str(&format!(", {} updated", self.last_updated));
        }
        text.push_str(&format!(" · {} items", self.items));
        text
    }

    /// `feed list`'s lines: `Name  url  [tags]  full text  · summary`, and
    /// the error or the move (to be updated in `feeds_file`) on indented
    /// lines after.
    pub fn lines(&self, feeds_file: &std::path::Path) -> String {
        let mut line = format!("{}  {}", self.name, self.url);
        if !self.tags.is_empty() {
            line.push_str(&format!("  [{}]", self.tags.join(", ")));
        }
        if self.full_text {
            line.push_str("  full text");
        }
        line.push_str(&format!("  · {}", self.summary()));
        if let Some(error) = &self.last_error {
            line.push_str(&format!("\n    last error: {error}"));
        }
        if let Some(moved) = &self.moved_to {
            line.push_str(&format!(
                "\n    {}",
                super::moved::advice(moved, feeds_file)
            ));
        }
        line
    }
}

/// The status of each of `feeds`, and warnings about state files that
/// could not be read (those feeds show as never fetched).
pub fn statuses(feeds: &[Feed], options: &FetchOptions) -> (Vec<FeedStatus>, Vec<String>) {
    let mut warnings = Vec::new();
    let rows = feeds
        .iter()
        .map(|feed| {
            let state = match options.state_of(feed).load() {
                Ok(loaded) => {
                    warnings.extend(loaded.problem.map(|p| p.to_string()));
                    loaded.value
                }
                Err(err) => {
                    warnings.push(err.to_string());
                    FeedState::default()
                }
            };
            let mut row = FeedStatus::new(feed, &state);
            let first = options.first_folders.get(&feed.url).map(String::as_str);
            row.dir = super::folders::folder_for(feed, &state, first);
            row
        })
        .collect();
    (rows, warnings)
}
