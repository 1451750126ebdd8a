//! Bookmarks and read marks together: loading both as the commands and the
//! reader need them, and the one kind of change the reader asks the saver
//! for ([`MarkChange`]).

use std::collections::BTreeSet;
use std::path::Path;

use super::bookmarks::{Bookmark, BookmarkStore};
use super::read_state::ReadStore;
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
}

/// The bookmarks file and the read-state file of one configuration.
#[derive(Debug, Clone)]
pub struct MarkStores {
    /// The bookmarks.
    pub bookmarks: BookmarkStore,
    /// The read marks.
    pub read: ReadStore,
}

/// What the two files hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedMarks {
    /// The bookmarks, in the order they were added.
    pub bookmarks: Vec<Bookmark>,
    /// The ids of read articles.
    pub read: BTreeSet<String>,
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
        }
    }
}

impl MarkStores {
    /// The stores kept in these two files (nothing is read or created yet).
    pub fn new(bookmarks: &Path, state: &Path) -> MarkStores {
        MarkStores {
            bookmarks: BookmarkStore::new(bookmarks),
            read: ReadStore::new(state),
        }
    }

    /// Loads both files; a file that cannot be read at all is an error.
    pub fn load(&self) -> Result<SavedMarks, StoreError> {
        let (saved, failed) = self.load_each();
        match failed.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(saved),
        }
    }

    /// Loads both files for the reader, which shows the list whatever
    /// happens: a file that cannot be read counts as empty and its error is
    /// reported with the files moved aside.
    pub fn load_or_report(&self) -> (SavedMarks, Vec<StoreError>) {
        let (mut saved, mut problems) = self.load_each();
        problems.splice(0..0, std::mem::take(&mut saved.moved_aside));
        (saved, problems)
    }

    /// Loads each file on its own: what could be read, and the errors of
    /// those that could not.
    fn load_each(&self) -> (SavedMarks, Vec<StoreError>) {
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
        (saved, failed)
    }

    /// Carries out one change, under the file's lock.
    pub fn apply(&self, change: &MarkChange) -> Result<Change, StoreError> {
        match change {
            MarkChange::AddBookmark(bookmark) => self.bookmarks.add(bookmark.clone()),
            MarkChange::RemoveBookmark(id) => self.bookmarks.remove(id),
            MarkChange::SetRead(ids, read) => self.read.set_read(ids, *read),
        }
    }
}
