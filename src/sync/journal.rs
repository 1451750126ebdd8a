//! The journal of local changes: read and starred changes made here (in
//! the reader or with `read`, `bookmark`) that the server does not have
//! yet. They are found by comparing the local marks with the state last
//! agreed with the server ([`super::state::Agreed`]), written to the
//! journal file before anything is sent (so a sync killed mid-way leaves
//! them on disk), dropped once the server accepts them, and kept with the
//! server's reason when it refuses them. `broadsheet sync --status` reads
//! them without the network.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::service::Flag;
use super::state::{SyncPaths, SyncState, load_json, save_json};
use crate::files::FileError;

/// Which state a journal entry changes (as the file writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// Read or unread.
    Read,
    /// Starred (bookmarked) or not.
    Starred,
}

impl Mark {
    /// The protocol's flag for it.
    pub fn flag(self) -> Flag {
        match self {
            Mark::Read => Flag::Read,
            Mark::Starred => Flag::Starred,
        }
    }
}

/// One local change waiting for the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The server's id of the item.
    pub id: String,
    /// The article's id here (its path under the articles folder).
    pub file: String,
    /// Which state.
    pub mark: Mark,
    /// Set (read, starred) or cleared.
    pub on: bool,
    /// Why the server refused it the last time it was sent, if it did.
    #[serde(default)]
    pub refused: Option<String>,
}

/// The journal file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// The changes waiting, in the order of the items' ids.
    pub entries: Vec<Entry>,
}

/// The local marks as the sync compares them: the ids of read articles and
/// of bookmarked ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalMarks {
    /// Ids of read articles.
    pub read: BTreeSet<String>,
    /// Ids of bookmarked articles.
    pub starred: BTreeSet<String>,
}

impl Journal {
    /// The journal on disk; empty when there is none.
    pub fn load(paths: &SyncPaths) -> Result<(Journal, Option<String>), FileError> {
        load_json(&paths.journal)
    }

    /// Writes the journal atomically and durably.
    pub fn save(&self, paths: &SyncPaths) -> Result<(), FileError> {
        save_json(&paths.journal, self)
    }

    /// The local changes: every item whose local mark differs from the
    /// state agreed with the server, keeping the reason of an earlier
    /// refusal of the same change from `previous`.
    pub fn pending(state: &SyncState, local: &LocalMarks, previous: &Journal) -> Journal {
        let refused: BTreeMap<(&str, Mark, bool), &str> = previous
            .entries
            .iter()
            .filter_map(|e| Some(((e.id.as_str(), e.mark, e.on), e.refused.as_deref()?)))
            .collect();
        let mut entries = Vec::new();
        for (id, agreed) in &state.items {
            let here = [
                (Mark::Read, agreed.read, local.read.contains(&agreed.file)),
                (
                    Mark::Starred,
                    agreed.starred,
                    local.starred.contains(&agreed.file),
                ),
            ];
            for (mark, there, now) in here {
                if there != now {
                    entries.push(Entry {
                        id: id.clone(),
                        file: agreed.file.clone(),
                        mark,
                        on: now,
                        refused: refused
                            .get(&(id.as_str(), mark, now))
                            .map(|s| s.to_string()),
                    });
                }
            }
        }
        Journal { entries }
    }

    /// The entries grouped as changes to send: one per mark and direction,
    /// with every id of it (the protocol batches them).
    pub fn batches(&self) -> Vec<(Mark, bool, Vec<String>)> {
        let mut groups: BTreeMap<(Mark, bool), Vec<String>> = BTreeMap::new();
        for entry in &self.entries {
            groups
                .entry((entry.mark, entry.on))
                .or_default()
                .push(entry.id.clone());
        }
        groups
            .into_iter()
            .map(|((mark, on), ids)| (mark, on, ids))
            .collect()
    }

    /// How many changes of each kind wait: read, unread, starred, unstarred.
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for entry in &self.entries {
            let slot = match (entry.mark, entry.on) {
                (Mark::Read, true) => 0,
                (Mark::Read, false) => 1,
                (Mark::Starred, true) => 2,
                (Mark::Starred, false) => 3,
            };
            counts[slot] += 1;
        }
        counts
    }
}

/// The pending local changes of the account, as `sync --status` shows them:
/// computed from the state and the marks, without the network.
pub fn status(paths: &SyncPaths, local: &LocalMarks) -> Result<(Journal, Vec<String>), FileError> {
    let (state, problem) = SyncState::load(paths)?;
    let (previous, journal_problem) = Journal::load(paths)?;
    let warnings = problem.into_iter().chain(journal_problem).collect();
    Ok((Journal::pending(&state, local, &previous), warnings))
}
