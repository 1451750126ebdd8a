//! Bookmarks, read marks and the person's own tags together: loading them
//! as the commands and the reader need them, and the one kind of change the
//! reader asks the saver for ([`MarkChange`]).

use std::collections::BTreeSet;
use std::path::Path;

use super::bookmarks::{Bookmark, BookmarkStore};
use super::read_state::ReadStore;
use super::tags::{TagStore, UserTags};
use super::{Change, StoreError};
use crate::library::Marks;

/// A change to the bookmarks or the read marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkChange {
    /// Save a new bookmark (or update the one of its id).
    AddBookmark(Bookmark),
    /// Remove the bookmark of this id.
    RemoveBookmark(String),
    /// Mark these ids read (`true`) or unread.
    SetRead(Vec<String>, bool),
    /// Give these ids a tag of the person's own (`true`) or take it away.
    SetTag(Vec<String>, String, bool),
    /// Set or clear the note of this id's bookmark.
    SetNote(String, Option<String>),
}

/// The bookmarks file and the read-state file of one configuration.
#[derive(Debug, Clone)]
pub struct MarkStores {
    /// The bookmarks.
    pub bookmarks: BookmarkStore,
    /// The read marks.
    pub read: ReadStore,
    /// The person's own tags (tags.toml beside the bookmarks).
    pub tags: TagStore,
}

/// What the two files hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedMarks {
    /// The bookmarks, in the order they were added.
    pub bookmarks: Vec<Bookmark>,
    /// The ids of read articles.
    pub read: BTreeSet<String>,
    /// The person's own tags, by id.
    pub tags: UserTags,
    /// Files that did not parse and were moved aside, to be reported; each
    /// reads as empty.
    pub moved_aside: Vec<StoreError>,
}

impl SavedMarks {
    /// The ids that are bookmarked and read, as queries and the list see them.
    pub fn marks(&self) -> Marks {
        Marks {
            bookmarked: self.bookmarks.iter().map(|b| b.id.clone()).collect(),
            read: self.read.iter().cloned().collect(),
            tags: self
                .tags
                .iter()
                .map(|(id, tags)| (id.clone(), tags.clone()))
                .collect(),
            notes: self
                .bookmarks
                .iter()
                .filter_map(|b| Some((b.id.clone(), b.note.clone()?)))
                .collect(),
        }
    }
}

impl MarkStores {
    /// The stores kept in these two files (nothing is read or created yet).
    pub fn new(bookmarks: &Path, state: &Path) -> MarkStores {
        MarkStores {
            bookmarks: BookmarkStore::new(bookmarks),
            read: ReadStore::new(state),
            tags: TagStore::beside(bookmarks),
        }
    }

    /// Loads both files, each on its own: what could be read (a file that
    /// did not parse is moved aside, reads as empty and is listed in
    /// `moved_aside`), and the errors of the files that could not be read
    /// at all (those read as empty too). The commands stop on such an
    /// error; the reader shows it and goes on.
    pub fn load(&self) -> (SavedMarks, Vec<StoreError>) {
        let mut saved = SavedMarks::default();
        let mut failed = Vec::new();
        match self.bookmarks.load() {
            Ok(loaded) => {
                saved.bookmarks = loaded.value;
                saved.moved_aside.extend(loaded.problem);
            }
            Err(error) => failed.push(error),
        }
        match self.read.load() {
            Ok(loaded) => {
                saved.read = loaded.value;
                saved.moved_aside.extend(loaded.problem);
            }
            Err(error) => failed.push(error),
        }
        match self.tags.load() {
            Ok(loaded) => {
                saved.tags = loaded.value;
                saved.moved_aside.extend(loaded.problem);
            }
            Err(error) => failed.push(error),
        }
        (saved, failed)
    }

    /// Carries out one change, under the file's lock.
    pub fn apply(&self, change: &MarkChange) -> Result<Change, StoreError> {
        match change {
            MarkChange::AddBookmark(bookmark) => self.bookmarks.add(bookmark.clone()),
            MarkChange::RemoveBookmark(id) => self.bookmarks.remove(id),
            MarkChange::SetRead(ids, read) => self.read.set_read(ids, *read),
            MarkChange::SetTag(ids, tag, add) => self.tags.set(ids, tag, *add),
            MarkChange::SetNote(id, note) => self.bookmarks.set_note(id, note.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn stores(dir: &Path) -> MarkStores {
        MarkStores::new(&dir.join("bookmarks.toml"), &dir.join("state.toml"))
    }

    #[test]
    fn changes_are_saved_and_load_back_as_marks() {
        let dir = tempfile::tempdir().unwrap();
        let stores = stores(dir.path());
        let added = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let bookmark = Bookmark::new("a.txt", "A", None, added);
        stores
            .apply(&MarkChange::AddBookmark(bookmark.clone()))
            .unwrap();
        stores
            .apply(&MarkChange::SetRead(
                vec!["a.txt".into(), "b.txt".into()],
                true,
            ))
            .unwrap();
        stores
            .apply(&MarkChange::SetRead(vec!["b.txt".into()], false))
            .unwrap();
        let (saved, failed) = stores.load();
        assert!(failed.is_empty());
        assert_eq!(saved.bookmarks, [bookmark]);
        let marks = saved.marks();
        assert!(marks.bookmarked.contains("a.txt"));
        assert_eq!(marks.read.len(), 1);
        assert!(marks.read.contains("a.txt"));
        stores
            .apply(&MarkChange::RemoveBookmark("a.txt".into()))
            .unwrap();
        assert!(stores.load().0.bookmarks.is_empty());
    }

    #[test]
    fn a_broken_file_is_moved_aside_and_the_other_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bookmarks.toml"), "[[bookmark]\nnot toml").unwrap();
        std::fs::write(
            dir.path().join("state.toml"),
            "version = 1\nread = [\"x\"]\n",
        )
        .unwrap();
        let (saved, failed) = stores(dir.path()).load();
        assert!(failed.is_empty());
        assert_eq!(saved.moved_aside.len(), 1);
        assert!(saved.bookmarks.is_empty());
        assert!(saved.read.contains("x"));
    }

    #[test]
    fn a_file_that_cannot_be_read_is_an_error_and_the_other_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the bookmarks file should be cannot be read.
        std::fs::create_dir(dir.path().join("bookmarks.toml")).unwrap();
        std::fs::write(
            dir.path().join("state.toml"),
            "version = 1\nread = [\"x\"]\n",
        )
        .unwrap();
        let (saved, failed) = stores(dir.path()).load();
        assert_eq!(failed.len(), 1);
        assert!(saved.read.contains("x"));
    }
}
