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
//!   the file since broadsheet wrote it (then it is left, and counted);
//! - a new key, but the link of an item seen before (or, for an item with
//!   no link, its date and title): that item, whose feed changed its id; it
//!   is known by the new key from now on (the state does not grow).
//!
//! An undated item is stamped with when it arrived (front matter
//! `arrived`, see [`arrivals`]), kept when it is written again, so the list
//! keeps undated items in the order they came across fetches and restarts.
//!
//! Files are read as broadsheet's own: a link planted in an item file's
//! place is not followed (and is replaced when the item is written), and a
//! FIFO there is not waited on.
//!
//! Files are replaced by rename (a reader never sees half a file), without
//! an fsync each: a fetch writes thousands, and every one can be fetched
//! again. The feed's folder is listed once per fetch ([`Listing`]): an
//! item whose file is not in it is written without looking for its file
//! again, in four system calls ([`write_new`]).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write as _};
use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};

use super::item::{Item, file_name};
use crate::files::{
    Durability, Links, read_regular, replace_file, sweep_stale_temps_in, temp_name_rest, write_new,
};
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
    /// The key the item was known by before, when the feed changed its id
    /// (it was recognised by its link or its title): forgotten once written.
    pub was: Option<String>,
    /// When an undated item arrived, written in its front matter: the
    /// instant of its first write, kept when it is written again. `None`
    /// for a dated item (its date orders it).
    pub arrived: Option<DateTime<Utc>>,
    /// Its file was not in the folder when the fetch listed it: written
    /// without looking for it again ([`write_new`]).
    pub fresh: bool,
}

/// The names in a feed's folder, read once before its items are sorted.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The names, or `None` when the folder could not be listed (each
    /// item's file is then looked for on its own).
    names: Option<HashSet<String>>,
}

impl Listing {
    /// The names in `folder` (none when it does not exist yet). A
    /// temporary file a killed fetch left there is swept away first.
    pub fn of(folder: &Path) -> Listing {
        let entries = match std::fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Listing {
                    names: Some(HashSet::new()),
                };
            }
            Err(_) => return Listing { names: None },
        };
        let mut names = HashSet::new();
        let mut temps = false;
        for entry in entries {
            let Ok(entry) = entry else {
                return Listing { names: None };
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            temps |= temp_name_rest(&name).is_some();
            names.insert(name);
        }
        if temps {
            sweep_stale_temps_in(folder);
        }
        Listing { names: Some(names) }
    }

    /// Whether `name` is surely not in the folder.
    fn lacks(&self, name: &str) -> bool {
        self.names
            .as_ref()
            .is_some_and(|names| !names.contains(name))
    }
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

/// The most bytes of an article file read to tell whether the person
/// edited it: far more than any article broadsheet writes.
const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

/// Sorts a fetch's `items` against the feed's `state` and its `folder`,
/// whose names `listing` holds.
/// Items found already on disk without a record (a lost state) are
/// recorded in `state` as they are. An item whose key is new but whose
/// link (or date and title) is an item's seen before is that item: a feed
/// that gives its items new ids at every fetch does not add them again.
pub fn triage(items: Vec<Item>, state: &mut FeedState, folder: &Path, listing: &Listing) -> Triage {
    let mut triage = Triage::default();
    let mut renamed = renamed_items(&items, state);
    let mut keys = HashSet::new();
    let arrivals = arrivals(Utc::now());
    for (item, arrival) in items.into_iter().zip(arrivals) {
        if !keys.insert(item.key.clone()) {
            triage.duplicates += 1;
            continue;
        }
        let was = renamed.remove(&item.key);
        let known_as = was.clone().unwrap_or_else(|| item.key.clone());
        let Some(seen) = state.items.get(&known_as).cloned() else {
            triage_new(item, arrival, state, (folder, listing), &mut triage);
            continue;
        };
        let unchanged = item_hash_as(&item, &known_as) == seen.item;
        if unchanged {
            triage.unchanged += 1;
            // Recorded under its key now, with what recognises it.
            let updated = SeenItem {
                item: item_hash(&item),
                ..with_identity(seen.clone(), &item)
            };
            if was.is_some() || updated != seen {
                rekey(state, &known_as, &item.key, updated);
            }
            continue;
        }
        // Read as broadsheet's own file: a link planted in its place is
        // not followed (it is replaced when written), nor is a FIFO waited on.
        match read_regular(&folder.join(&seen.file), MAX_ARTICLE_BYTES, Links::Replace) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                triage.deleted += 1;
                if was.is_some() {
                    rekey(state, &known_as, &item.key, with_identity(seen, &item));
                }
            }
            Ok(bytes) if hex_hash(&bytes) != seen.written => {
                triage.edited += 1;
                if was.is_some() {
                    rekey(state, &known_as, &item.key, with_identity(seen, &item));
                }
            }
            // Unreadable files (a planted link) are written again: the
            // write replaces them, or says why it cannot.
            read => {
                // An undated item keeps the arrival its file has.
                let kept = read.ok().and_then(|bytes| arrived_in(&bytes));
                triage.pending.push(Pending {
                    file: seen.file.clone(),
                    arrived: item.date.is_none().then(|| kept.unwrap_or(arrival)),
                    item,
                    update: true,
                    was,
                    fresh: false,
                });
            }
        }
    }
    triage
}

/// The arrival instants of a fetch's items, in the feed's order, from
/// `now`: one nanosecond apart, so a fetch's undated items sort in the
/// feed's order and a later fetch's (whose `now` is later by far more than
/// a feed has items) after them.
fn arrivals(now: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> {
    (0..).map(move |n| now + TimeDelta::nanoseconds(n))
}

/// The `arrived` instant in the front matter of an article file written
/// before, when it has one.
fn arrived_in(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let front = text.strip_prefix("+++\n")?;
    let front = &front[..front.find("\n+++\n")?];
    let value = front
        .lines()
        .find_map(|line| line.strip_prefix("arrived = "))?;
    DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|instant| instant.with_timezone(&Utc))
}

/// A never-seen item: written, unless its file is there already (a lost
/// state), when it is taken as the item's as it is.
fn triage_new(
    item: Item,
    arrival: DateTime<Utc>,
    state: &mut FeedState,
    (folder, listing): (&Path, &Listing),
    triage: &mut Triage,
) {
    let file = file_name(&item);
    let fresh = listing.lacks(&file);
    let read = if fresh {
        Err(io::ErrorKind::NotFound.into())
    } else {
        read_regular(&folder.join(&file), MAX_ARTICLE_BYTES, Links::Replace)
    };
    match read {
        Ok(bytes) => {
            let seen = SeenItem {
                file,
                item: item_hash(&item),
                written: hex_hash(&bytes),
                link: None,
                title: None,
            };
            state
                .items
                .insert(item.key.clone(), with_identity(seen, &item));
            triage.unchanged += 1;
        }
        Err(_) => triage.pending.push(Pending {
            arrived: item.date.is_none().then_some(arrival),
            item,
            file,
            update: false,
            was: None,
            fresh,
        }),
    }
}

/// Moves the record of an item from key `from` to key `to` (the same key
/// just updates it); the old key is forgotten when the state is recorded.
fn rekey(state: &mut FeedState, from: &str, to: &str, seen: SeenItem) {
    if from != to {
        state.items.remove(from);
        state.forgotten.push(from.to_string());
    }
    state.items.insert(to.to_string(), seen);
}

/// `seen` with `item`'s link and title, which recognise it if its key
/// changes.
fn with_identity(seen: SeenItem, item: &Item) -> SeenItem {
    SeenItem {
        link: link_of(item),
        title: title_of(item),
        ..seen
    }
}

/// The item's link, when it has one.
fn link_of(item: &Item) -> Option<String> {
    item.link
        .as_deref()
        .map(str::trim)
        .filter(|link| !link.is_empty())
        .map(str::to_string)
}

/// The item's date and title, `2026-11-29 08:30:00 +02:00 Title`, for an item with a date
/// and a title but no link: only such an item is recognised by its title,
/// as items that have links are by those, and titles alone repeat
/// ("Untitled", "Daily links") too often to name one item.
fn title_of(item: &Item) -> Option<String> {
    let title = item.title.trim();
    if title.is_empty() || link_of(item).is_some() {
        return None;
    }
    let date = item.date?;
    Some(format!("{date} {title}"))
}

/// For each item of this fetch whose key the state does not know, the key
/// of the item seen before that it is: the one with its link, else the one
/// with its date and title. A record is claimed once: by its own key when
/// the fetch has it, else by the first item that matches it by link, then
/// by title (links are surer than titles). Costs nothing when every key
/// is known.
fn renamed_items(items: &[Item], state: &FeedState) -> HashMap<String, String> {
    let mut renamed = HashMap::new();
    let mut unknown: Vec<&Item> = Vec::new();
    let mut seen_keys = HashSet::new();
    for item in items {
        if seen_keys.insert(item.key.as_str()) && !state.items.contains_key(&item.key) {
            unknown.push(item);
        }
    }
    if unknown.is_empty() {
        return renamed;
    }
    // Records the fetch names by their own key are spoken for.
    let mut by_link: HashMap<&str, &str> = HashMap::new();
    let mut by_title: HashMap<&str, &str> = HashMap::new();
    for (key, seen) in &state.items {
        if seen_keys.contains(key.as_str()) {
            continue;
        }
        if let Some(link) = &seen.link {
            by_link.entry(link.as_str()).or_insert(key.as_str());
        }
        if let Some(title) = &seen.title {
            by_title.entry(title.as_str()).or_insert(key.as_str());
        }
    }
    let mut claimed: HashSet<&str> = HashSet::new();
    let mut left = Vec::new();
    for item in unknown {
        let old = link_of(item)
            .and_then(|link| by_link.get(link.as_str()).copied())
            .filter(|old| !claimed.contains(old));
        match old {
            Some(old) => {
                claimed.insert(old);
                renamed.insert(item.key.clone(), old.to_string());
            }
            None => left.push(item),
        }
    }
    for item in left {
        let old = title_of(item)
            .and_then(|title| by_title.get(title.as_str()).copied())
            .filter(|old| !claimed.contains(old));
        if let Some(old) = old {
            claimed.insert(old);
            renamed.insert(item.key.clone(), old.to_string());
        }
    }
    renamed
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
    if pending.fresh {
        write_new(&path, text.as_bytes())?;
    } else {
        replace_file(&path, Links::Replace, Durability::Unsynced, &mut |file| {
            file.write_all(text.as_bytes())
        })?;
    }
    let seen = SeenItem {
        file: pending.file.clone(),
        item: item_hash,
        written: hex_hash(text.as_bytes()),
        link: None,
        title: None,
    };
    let from = pending.was.as_deref().unwrap_or(&pending.item.key);
    rekey(
        state,
        from,
        &pending.item.key,
        with_identity(seen, &pending.item),
    );
    Ok(())
}

/// The hash that tells whether an item changed between fetches: every
/// field written, each ended by a byte no text holds.
pub fn item_hash(item: &Item) -> String {
    item_hash_as(item, &item.key)
}

/// [`item_hash`] of `item` as if its key were `key`: whether an item
/// recognised by its link changed since it was written under its old key.
fn item_hash_as(item: &Item, key: &str) -> String {
    let mut bytes = Vec::with_capacity(item.body.len() + 256);
    let date = item.date.map(|d| d.to_string()).unwrap_or_default();
    let fields = [
        key,
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
    use std::fs;

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
        let triage = triage(items, state, folder, &Listing::of(folder));
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

    fn linked(key: &str, title: &str, link: Option<&str>, body: &str) -> Item {
        Item {
            key: key.into(),
            title: title.into(),
            link: link.map(str::to_string),
            body: body.into(),
            date: "2026-11-29T08:30:00+02:00".parse().ok(),
            ..Item::default()
        }
    }

    #[test]
    fn an_undated_title_alone_does_not_make_two_items_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = FeedState::default();
        let undated = |key: &str, body: &str| Item {
            key: key.into(),
            title: "Untitled".into(),
            body: body.into(),
            ..Item::default()
        };
        fetch(vec![undated("1", "one")], &mut state, dir.path());
        let again = fetch(vec![undated("2", "two")], &mut state, dir.path());
        assert_eq!(again.pending.len(), 1);
        assert!(!again.pending[0].update, "a new item, in a file of its own");
        assert_eq!(state.items.len(), 2);
    }

    #[test]
    fn items_with_new_ids_are_known_by_their_link_else_their_title() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = FeedState::default();
        let first = fetch(
            vec![
                linked("1", "A", Some("http://127.0.0.1/a"), "a"),
                linked("2", "B", None, "b"),
            ],
            &mut state,
            dir.path(),
        );
        assert_eq!(first.pending.len(), 2);
        let again = fetch(
            vec![
                linked("1b", "A", Some("http://127.0.0.1/a"), "a"),
                linked("2b", "B", None, "b"),
            ],
            &mut state,
            dir.path(),
        );
        assert_eq!((again.pending.len(), again.unchanged), (0, 2));
        let keys: Vec<&str> = state.items.keys().map(String::as_str).collect();
        assert_eq!(keys, ["1b", "2b"], "known by their new keys now");
        assert_eq!(state.forgotten, ["1", "2"]);
        // Changed under a new id: its own file is updated, not a new one.
        let changed = fetch(
            vec![linked(
                "1c",
                "A",
                Some("http://127.0.0.1/a"),
                "a, corrected",
            )],
            &mut state,
            dir.path(),
        );
        assert_eq!(changed.pending.len(), 1);
        assert!(changed.pending[0].update);
        assert_eq!(changed.pending[0].was.as_deref(), Some("1b"));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
        // Two new items cannot both be one old one.
        let twice = fetch(
            vec![
                linked("1d", "A", Some("http://127.0.0.1/a"), "a, corrected"),
                linked("1e", "A2", Some("http://127.0.0.1/a"), "another"),
            ],
            &mut state,
            dir.path(),
        );
        assert_eq!((twice.unchanged, twice.pending.len()), (1, 1));
        assert!(!twice.pending[0].update);
    }
}
