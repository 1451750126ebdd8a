//! What a sync keeps between runs, per account, in `sync/` beside the feeds
//! file: the cursor of the incremental read, the account's feeds (which
//! `feed list` and the feeds view show), and for each remote item the file
//! it was written to and the read and starred state last agreed with the
//! server. Local marks that differ from the agreed state are the local
//! changes still to send ([`super::journal`]).
//!
//! Written atomically (temporary file, fsync, rename) after every page, so
//! a sync stopped at any point resumes where it was. A file that does not
//! parse is moved aside and reported, never overwritten.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::files::{Durability, FileError, FileLock, Links, read_regular, replace_file};

/// The version of the state file this program writes.
const VERSION: u32 = 1;

/// The most bytes a state file may have (a million items fit easily).
const MAX_STATE_BYTES: u64 = 512 * 1024 * 1024;

/// One feed of the account, as the sync recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedFeed {
    /// The server's id of the feed.
    pub id: String,
    /// Its title on the server (sanitized).
    pub title: String,
    /// The feed's own address.
    pub url: String,
    /// The site it belongs to, when known.
    #[serde(default)]
    pub site_url: Option<String>,
    /// The server's categories: the tags of its articles.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Its folder under the articles folder.
    pub folder: String,
}

/// The state of one remote item last agreed with the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreed {
    /// The article's id: its path under the articles folder.
    pub file: String,
    /// Read on both sides.
    pub read: bool,
    /// Starred on the server, bookmarked here.
    pub starred: bool,
}

/// Everything a sync of one account keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// The file's format version.
    pub version: u32,
    /// Where the next read of items starts (the protocol's own text).
    #[serde(default)]
    pub cursor: String,
    /// The account's feeds at the last sync.
    #[serde(default)]
    pub feeds: Vec<SyncedFeed>,
    /// Every item written, by the server's id.
    #[serde(default)]
    pub items: BTreeMap<String, Agreed>,
    /// When the last sync finished.
    #[serde(default)]
    pub last_sync: Option<DateTime<Utc>>,
    /// Where the next `changes_since` starts, for protocols that can tell
    /// what changed (empty: read the whole unread and starred lists).
    #[serde(default)]
    pub changes_mark: String,
}

/// The files of one account's sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPaths {
    /// The state file (`sync/<name>-<hash>.json`).
    pub state: PathBuf,
    /// The journal of local changes (`sync/<name>-<hash>.journal.json`).
    pub journal: PathBuf,
}

impl SyncPaths {
    /// The files of the account `account` whose feeds file is `feeds_file`:
    /// in `sync/` beside it, named by a slug and a hash of the account's
    /// name (two names never share files).
    pub fn new(feeds_file: &Path, account: &str) -> SyncPaths {
        let dir = feeds_file
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join("sync");
        let hash = xxhash_rust::xxh3::xxh3_64(account.as_bytes()) as u32;
        let mut slug = crate::article::sanitize::slug(account, 40);
        if slug.is_empty() {
            slug.push_str("account");
        }
        let stem = format!("{slug}-{hash:08x}");
        SyncPaths {
            state: dir.join(format!("{stem}.json")),
            journal: dir.join(format!("{stem}.journal.json")),
        }
    }

    /// Holds the account's lock, so two syncs of it never run at once;
    /// `None` when another holds it.
    pub fn try_lock(&self) -> Result<Option<FileLock>, FileError> {
        FileLock::try_acquire(&self.state, Links::Replace)
    }
}

/// A state or journal file read: the value (the default when the file is
/// missing or was moved aside) and, when it was moved aside, why.
pub(super) fn load_json<T: Default + for<'de> Deserialize<'de>>(
    path: &Path,
) -> Result<(T, Option<String>), FileError> {
    let bytes = match read_regular(path, MAX_STATE_BYTES, Links::Replace) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok((T::default(), None));
        }
        Err(err) => return Err(crate::files::io_error(path, "read it", &err)),
    };
    match serde_json::from_slice(&bytes) {
        Ok(value) => Ok((value, None)),
        Err(err) => {
            let aside =
                path.with_extension(format!("corrupt-{}", Utc::now().format("%Y%m%dT%H%M%SZ")));
            std::fs::rename(path, &aside)
                .map_err(|e| crate::files::io_error(path, "move it aside", &e))?;
            Ok((
                T::default(),
                Some(format!(
                    "{}: could not be read ({err}); moved to {} and started afresh",
                    path.display(),
                    aside.display()
                )),
            ))
        }
    }
}

/// Writes a state or journal file atomically and durably.
pub(super) fn save_json<T: Serialize>(path: &Path, value: &T) -> Result<(), FileError> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| FileError::new(path, format!("cannot write it: {e}")))?;
    replace_file(path, Links::Replace, Durability::Synced, &mut |file| {
        file.write_all(&bytes)
    })
}

impl SyncState {
    /// The state of the account; empty when it never synced. A file that
    /// does not parse is moved aside, and the reason returned to report.
    pub fn load(paths: &SyncPaths) -> Result<(SyncState, Option<String>), FileError> {
        let (mut state, problem): (SyncState, _) = load_json(&paths.state)?;
        if state.version == 0 {
            state.version = VERSION;
        }
        Ok((state, problem))
    }

    /// Saves the state atomically.
    pub fn save(&self, paths: &SyncPaths) -> Result<(), FileError> {
        save_json(&paths.state, self)
    }
}

/// The feeds of every account as rows of the reader's feeds view, beside
/// the feeds broadsheet fetches: each with its account's last sync, its
/// categories as tags, and the items written into its folder; a state file
/// that cannot be read is a warning in the second list.
pub fn account_feed_statuses(
    feeds_file: &Path,
    accounts: &[crate::config::Account],
) -> (Vec<crate::feeds::status::FeedStatus>, Vec<String>) {
    let (states, warnings) = account_states(feeds_file, accounts);
    let mut rows = Vec::new();
    for (account, state) in states {
        let name = crate::article::sanitize::sanitize_line(&account.name);
        for feed in &state.feeds {
            let prefix = format!("{}/", feed.folder);
            let items = state
                .items
                .values()
                .filter(|agreed| agreed.file.starts_with(&prefix))
                .count();
            rows.push(crate::feeds::status::FeedStatus {
                name: feed.title.clone(),
                url: feed.url.clone(),
                tags: feed.categories.clone(),
                full_text: false,
                folder: Some(feed.folder.clone()),
                last_fetch: state.last_sync,
                status: format!("synced, account {name},"),
                items,
                last_new: 0,
                last_updated: 0,
                last_error: None,
                moved_to: None,
                dir: feed.folder.clone(),
            });
        }
    }
    (rows, warnings)
}

/// The feeds of every account in `accounts` as their last syncs recorded
/// them, with the account's name: for `feed list` and the feeds view. An
/// account that never synced has none; a state file that cannot be read
/// is a warning in the second list.
pub fn account_feeds(
    feeds_file: &Path,
    accounts: &[crate::config::Account],
) -> (Vec<(String, SyncedFeed)>, Vec<String>) {
    let (states, warnings) = account_states(feeds_file, accounts);
    let feeds = states
        .into_iter()
        .flat_map(|(account, state)| {
            state
                .feeds
                .into_iter()
                .map(|feed| (account.name.clone(), feed))
        })
        .collect();
    (feeds, warnings)
}

/// Each account's state as its last sync left it (an account that never
/// synced has an empty one); a state file that cannot be read is a
/// warning in the second list, and its account left out.
fn account_states<'a>(
    feeds_file: &Path,
    accounts: &'a [crate::config::Account],
) -> (Vec<(&'a crate::config::Account, SyncState)>, Vec<String>) {
    let mut states = Vec::new();
    let mut warnings = Vec::new();
    for account in accounts {
        match load_json::<SyncState>(&SyncPaths::new(feeds_file, &account.name).state) {
            Ok((state, problem)) => {
                warnings.extend(problem);
                states.push((account, state));
            }
            Err(err) => warnings.push(err.to_string()),
        }
    }
    (states, warnings)
}
