//! A fetch's items into the feed's folder, never twice and never lost:
//! [`triage`] says which items need writing against what the feed's state
//! remembers and what is on disk, and [`write`] writes one and records it.
//!
//! The rules, per item (known by its key):
//! - never seen: written under [`file_name`]; if a file of that name is
//!   already there (the state was lost), it is taken as this item's and left
//!   as it is;
//! - seen and unchanged: nothing;
//! - seen, and its file deleted: the person deleted it, so it stays deleted;
//! - seen and changed: its file is written again, unless the person edited
//!   the file since broadsheet wrote it (then it is left, and counted).
//!
//! Files are replaced by rename (a reader never sees half a file), without
//! an fsync each: a fetch writes thousands, and every one can be fetched
//! again.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

use super::item::{Item, file_name};
use crate::files::{Durability, Links, replace_file};
use crate::store::StoreError;
use crate::store::feed_state::{FeedState, SeenItem};

/// An item to be written, and the file it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The item.
    pub item: Item,
    /// Its file's name in the feed's folder.
    pub file: String,
    /// Whether the file holds an older version of the item.
    pub update: bool,
}

/// What [`triage`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triage {
    /// The items to write.
    pub pending: Vec<Pending>,
    /// Items written before and unchanged.
    pub unchanged: usize,
    /// Items whose file the person deleted (not brought back).
    pub deleted: usize,
    /// Changed items whose file the person edited (left as it is).
    pub edited: usize,
    /// Items the feed listed twice under one key (the first one counts).
    pub duplicates: usize,
}

/// Sorts a fetch's `items` against the feed's `state` and its `folder`.
/// Items found already on disk without a record (a lost state) are
/// recorded in `state` as they are.
pub fn triage(items: Vec<Item>, state: &mut FeedState, folder: &Path) -> Triage {
    let mut triage = Triage::default();
    let mut keys = HashSet::new();
    for item in items {
        if !keys.insert(item.key.clone()) {
            triage.duplicates += 1;
            continue;
        }
        let hash = item_hash(&item);
        match state.items.get(&item.key) {
            Some(seen) if seen.item == hash => triage.unchanged += 1,
            Some(seen) => match fs::read(folder.join(&seen.file)) {
                Err(err) if err.kind() == io::ErrorKind::NotFound => triage.deleted += 1,
                Ok(bytes) if hex_hash(&bytes) != seen.written => triage.edited += 1,
                // Unreadable files are written again: the write says why
                // it fails, if it does.
                _ => triage.pending.push(Pending {
                    file: seen.file.clone(),
                    item,
                    update: true,
                }),
            },
            None => {
                let file = file_name(&item);
                match fs::read(folder.join(&file)) {
                    Ok(bytes) => {
                        let seen = SeenItem {
                            file,
                            item: hash,
                            written: hex_hash(&bytes),
                        };
                        state.items.insert(item.key.clone(), seen);
                        triage.unchanged += 1;
                    }
                    Err(_) => triage.pending.push(Pending {
                        item,
                        file,
                        update: false,
                    }),
                }
            }
        }
    }
    triage
}

/// Writes `text`, the article of `pending`'s item, into `folder` (created
/// when missing) and records it in `state`. `item_hash` is the item as the
/// feed gave it (before any full text), so the next fetch sees it unchanged.
pub fn write(
    folder: &Path,
    pending: &Pending,
    item_hash: String,
    text: &str,
    state: &mut FeedState,
) -> Result<(), StoreError> {
    let path = folder.join(&pending.file);
    // A fetched article is broadsheet's own file: a link planted in its
    // place is replaced, never written through to the file it leads to.
    replace_file(&path, Links::Replace, Durability::Unsynced, &mut |file| {
        file.write_all(text.as_bytes())
    })?;
    state.items.insert(
        pending.item.key.clone(),
        SeenItem {
            file: pending.file.clone(),
            item: item_hash,
            written: hex_hash(text.as_bytes()),
        },
    );
    Ok(())
}

/// The hash that tells whether an item changed between fetches: every
/// field written, each ended by a byte no text holds.
pub fn item_hash(item: &Item) -> String {
    let mut bytes = Vec::with_capacity(item.body.len() + 256);
    let date = item.date.map(|d| d.to_string()).unwrap_or_default();
    let fields = [
        item.key.as_str(),
        &item.title,
        &date,
        item.link.as_deref().unwrap_or(""),
        item.author.as_deref().unwrap_or(""),
        &item.body,
    ];
    for field in fields
        .iter()
        .copied()
        .chain(item.categories.iter().map(String::as_str))
        .chain(
            item.enclosures
                .iter()
                .map(|enclosure| enclosure.url.as_str()),
        )
    {
        bytes.extend_from_slice(field.as_bytes());
        bytes.push(0xff);
    }
    hex_hash(&bytes)
}

/// xxh3-64 of `bytes` in hex.
fn hex_hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, body: &str) -> Item {
        Item {
            key: key.into(),
            title: format!("Title {key}"),
            body: body.into(),
            ..Item::default()
        }
    }

    /// Triages `items` and writes every pending one as its body.
    fn fetch(items: Vec<Item>, state: &mut FeedState, folder: &Path) -> Triage {
        let triage = triage(items, state, folder);
        for pending in &triage.pending {
            let hash = item_hash(&pending.item);
            write(folder, pending, hash, &pending.item.body, state).unwrap();
        }
        triage
    }

    #[test]
    fn a_second_fetch_of_the_same_items_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = FeedState::default();
        let first = fetch(
            vec![item("a", "one"), item("b", "two")],
            &mut state,
            dir.path(),
        );
        assert_eq!(first.pending.len(), 2);
        let second = fetch(
            vec![item("a", "one"), item("b", "two")],
            &mut state,
            dir.path(),
        );
        assert!(second.pending.is_empty());
        assert_eq!(second.unchanged, 2);
    }

    #[test]
    fn a_changed_item_updates_its_file_and_a_deleted_one_stays_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = FeedState::default();
        fetch(
            vec![item("a", "one"), item("b", "two")],
            &mut state,
            dir.path(),
        );
        let a = dir.path().join(&state.items["a"].file);
        let b = dir.path().join(&state.items["b"].file);
        fs::remove_file(&b).unwrap();
        let again = fetch(
            vec![item("a", "one, corrected"), item("b", "two")],
            &mut state,
            dir.path(),
        );
        assert_eq!(fs::read_to_string(&a).unwrap(), "one, corrected");
        assert!(again.pending[0].update);
        assert!(!b.exists());
        assert_eq!(again.deleted, 0, "b is unchanged, so not even looked at");
        let changed = fetch(vec![item("b", "two, corrected")], &mut state, dir.path());
        assert_eq!(changed.deleted, 1);
        assert!(!b.exists());
    }

    #[test]
    fn a_file_the_person_edited_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = FeedState::default();
        fetch(vec![item("a", "one")], &mut state, dir.path());
        let a = dir.path().join(&state.items["a"].file);
        fs::write(&a, "my notes").unwrap();
        let again = fetch(vec![item("a", "one, corrected")], &mut state, dir.path());
        assert_eq!(again.edited, 1);
        assert_eq!(fs::read_to_string(&a).unwrap(), "my notes");
    }

    #[test]
    fn duplicate_keys_are_written_once_and_a_lost_state_rewrites_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = FeedState::default();
        let first = fetch(
            vec![item("a", "one"), item("a", "other")],
            &mut state,
            dir.path(),
        );
        assert_eq!((first.pending.len(), first.duplicates), (1, 1));
        let mut lost = FeedState::default();
        let again = fetch(vec![item("a", "one")], &mut lost, dir.path());
        assert!(again.pending.is_empty());
        assert!(lost.items.contains_key("a"));
    }
}
