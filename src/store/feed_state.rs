//! What the fetches of one feed found, one small file per feed in
//! `feeds-state/` beside the feeds file: the validators for a conditional
//! GET, when it was fetched and how that went, and every item seen with the
//! file it was written to. The items make a fetch idempotent: an item
//! already written is not written again, an item that changed updates its
//! file, and an item whose file the person deleted is not brought back.
//!
//! ```toml
//! # broadsheet feed state: what fetching this feed found. …
//! version = 1
//! url = "https://example.com/feed.xml"
//! last_fetch = "2026-11-29T20:00:00Z"
//! status = "ok"
//! etag = "\"v1\""
//!
//! [items."tag:example.com,2026:1"]
//! file = "2026-11-28-a-title-1f2e3d4c.md"
//! item = "9a0b…"
//! written = "77c1…"
//! ```
//!
//! Every store rule holds (locked changes, atomic writes, a file that does
//! not parse moved aside and started afresh); losing the file costs a full
//! fetch and may bring back items deleted since, nothing else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Change, FORMAT_VERSION, Loaded, Problem, StoreError, StoreFormat};
use crate::files::{FileLock, Links, io_error};

/// The first lines of every feed state file.
const HEADER: &str = "# broadsheet feed state: what fetching this feed found. Deleting it\n\
# costs one full fetch (and items you deleted since may come back).\n";

/// How the last fetch of a feed ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The feed was read and its items written.
    Ok,
    /// The server said nothing changed since the last fetch (304).
    NotModified,
    /// The fetch failed: `last_error` says why.
    Failed,
    /// Not fetched: the server asked to wait (Retry-After) until `not_before`.
    Deferred,
}

impl Status {
    /// The word shown in `feed list` and the reader's feeds popup.
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NotModified => "not modified",
            Status::Failed => "failed",
            Status::Deferred => "waiting",
        }
    }
}

/// One item of the feed as last written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeenItem {
    /// Its file's name in the feed's folder.
    pub file: String,
    /// A hash of the item as the feed gave it: a different one next time
    /// means the item changed.
    pub item: String,
    /// A hash of the file's bytes as broadsheet wrote them: a file that no
    /// longer matches was edited by the person and is not overwritten.
    pub written: String,
    /// The item's link: a feed that gives its items a new id at every
    /// fetch is still recognised by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The item's date and title (`2026-11-29 Title`), for an item with
    /// neither a lasting id nor a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// What the fetches of one feed found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedState {
    /// Checked before, by `check_version`.
    #[serde(default, skip_serializing)]
    version: Option<i64>,
    /// The feed's address when this was written.
    #[serde(default)]
    pub url: String,
    /// When it was last fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_fetch: Option<DateTime<Utc>>,
    /// How that fetch ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Why the last fetch failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// How many new articles the last fetch wrote.
    #[serde(default)]
    pub last_new: usize,
    /// How many articles the last fetch updated (items the feed changed).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_updated: usize,
    /// The ETag the server gave, sent back as If-None-Match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The Last-Modified the server gave, sent back as If-Modified-Since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Not to be fetched before this time: the server's Retry-After.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<DateTime<Utc>>,
    /// Where the feed moved for good (a permanent redirect): the address
    /// to update the subscription to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// The folder its articles go to, under the articles folder, chosen at
    /// its first fetch (a feed whose name makes the same folder name as an
    /// earlier feed's gets a folder of its own) and kept from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    /// Every item seen, by the key it is known by.
    #[serde(default)]
    pub items: BTreeMap<String, SeenItem>,
    /// Keys of items now known by another key (their id changed): removed
    /// from the file when this state is recorded. Not written.
    #[serde(skip)]
    pub forgotten: Vec<String>,
}

/// The state file of one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedStateStore {
    path: PathBuf,
}

impl FeedStateStore {
    /// The state of the feed at `url` whose articles go to the folder named
    /// `folder`, kept in `dir`: `<folder>-<hash of the url>.toml`, so two
    /// feeds sharing a folder keep their own state.
    pub fn new(dir: &Path, folder: &str, url: &str) -> FeedStateStore {
        let hash = xxhash_rust::xxh3::xxh3_64(url.as_bytes());
        FeedStateStore {
            path: dir.join(format!("{folder}-{:08x}.toml", hash as u32)),
        }
    }

    /// The folder that holds the state files of the feeds listed in
    /// `feeds_file`: `feeds-state/` beside it.
    pub fn dir_beside(feeds_file: &Path) -> PathBuf {
        feeds_file
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join("feeds-state")
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The state; empty when the feed was never fetched. A file that does
    /// not parse is moved aside and reported.
    pub fn load(&self) -> Result<Loaded<FeedState>, StoreError> {
        super::load::<StateFile>(&self.path)
    }

    /// Records what a fetch found: `fetched`'s fields replace those on disk,
    /// and its items are added to those on disk (a fetch running at the
    /// same time in another process keeps what it recorded).
    pub fn record(&self, fetched: &FeedState) -> Result<Change, StoreError> {
        super::change::<StateFile>(&self.path, |on_disk| {
            let mut merged = FeedState {
                items: std::mem::take(&mut on_disk.items),
                ..fetched.clone()
            };
            for key in &fetched.forgotten {
                merged.items.remove(key);
            }
            for (key, seen) in &fetched.items {
                merged.items.insert(key.clone(), seen.clone());
            }
            merged.forgotten = Vec::new();
            let changed = merged != *on_disk;
            *on_disk = merged;
            changed
        })
    }
}

impl FeedStateStore {
    /// Removes the state (the feed was unsubscribed): a feed added again
    /// is fetched afresh. Whether there was a state to remove.
    pub fn forget(&self) -> Result<bool, StoreError> {
        let _lock = FileLock::acquire(&self.path, Links::Follow)?;
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(io_error(&self.path, "remove", &err)),
        }
    }
}

/// The file format, for the store's rules.
struct StateFile;

impl StoreFormat for StateFile {
    type Data = FeedState;

    fn parse(text: &str) -> Result<FeedState, Problem> {
        super::check_version(text)?;
        let mut state: FeedState = toml::from_str(text)?;
        // Checked above; forgotten so states compare by what they say.
        state.version = None;
        Ok(state)
    }

    fn render(state: &FeedState, path: &Path) -> Result<String, StoreError> {
        let body = toml::to_string(state).map_err(|err| {
            StoreError::new(path, format!("could not write the feed state: {err}"))
        })?;
        Ok(format!("{HEADER}version = {FORMAT_VERSION}\n{body}"))
    }
}

/// Whether a count is 0: left out of the state file, as before it was kept.
fn is_zero(count: &usize) -> bool {
    *count == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> FeedState {
        let mut items = BTreeMap::new();
        items.insert(
            "tag:x,2026:\"1\"\n".to_string(),
            SeenItem {
                file: "2026-01-01-a-00000001.md".into(),
                item: "1".into(),
                written: "2".into(),
                link: Some("https://example.com/1".into()),
                title: None,
            },
        );
        FeedState {
            url: "https://example.com/feed".into(),
            last_fetch: Some(Utc::now()),
            status: Some(Status::NotModified),
            etag: Some("\"v1\"".into()),
            items,
            ..FeedState::default()
        }
    }

    #[test]
    fn a_recorded_state_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let store = FeedStateStore::new(dir.path(), "example", "https://example.com/feed");
        let fetched = state();
        store.record(&fetched).unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.value, fetched);
        assert!(loaded.problem.is_none());
    }

    #[test]
    fn recording_keeps_items_another_fetch_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let store = FeedStateStore::new(dir.path(), "example", "https://example.com/feed");
        store.record(&state()).unwrap();
        let mut other = state();
        other.items.clear();
        other.items.insert(
            "second".into(),
            SeenItem {
                file: "b.md".into(),
                item: "3".into(),
                written: "4".into(),
                link: None,
                title: None,
            },
        );
        other.status = Some(Status::Ok);
        store.record(&other).unwrap();
        let loaded = store.load().unwrap().value;
        assert_eq!(loaded.items.len(), 2);
        assert_eq!(loaded.status, Some(Status::Ok));
    }

    #[test]
    fn a_corrupt_state_file_is_moved_aside_and_read_as_never_fetched() {
        let dir = tempfile::tempdir().unwrap();
        let store = FeedStateStore::new(dir.path(), "example", "https://example.com/feed");
        std::fs::write(store.path(), "url = [unclosed\n").unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.value, FeedState::default());
        assert!(loaded.moved_aside.is_some());
        let problem = loaded.problem.unwrap().to_string();
        assert!(problem.contains("line 1"), "{problem}");
    }

    #[test]
    fn feeds_sharing_a_folder_keep_their_own_state() {
        let dir = Path::new("/state");
        let one = FeedStateStore::new(dir, "news", "https://a.example/feed");
        let two = FeedStateStore::new(dir, "news", "https://b.example/feed");
        assert_ne!(one.path(), two.path());
        assert!(one.path().starts_with(dir));
    }
}
