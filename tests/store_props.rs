//! Property tests of the store: what is saved is what loads back.

use std::collections::BTreeSet;

use broadsheet::store::bookmarks::{Bookmark, BookmarkStore};
use broadsheet::store::read_state::ReadStore;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

/// Text people and scrapers put in titles and notes: quotes, backslashes,
/// newlines, tabs, controls, non-ASCII, emoji.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 \"'\\\\\\n\\t\\u{1b}\\u{7f}é日本🎉\\u{202e}#=\\[\\]{}]{0,30}"
}

fn date() -> impl Strategy<Value = Option<NaiveDate>> {
    proptest::option::of(
        (1i32..=9999, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()),
    )
}

fn added() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..=253_402_300_799, 0u32..1_000_000_000).prop_map(|(seconds, nanos)| {
        Utc.timestamp_opt(seconds, nanos)
            .single()
            .unwrap_or_default()
    })
}

fn bookmark() -> impl Strategy<Value = Bookmark> {
    (
        text(),
        text(),
        date(),
        added(),
        proptest::option::of(text()),
    )
        .prop_map(|(id, title, date, added, note)| Bookmark {
            id,
            title,
            date,
            added,
            note,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn bookmarks_saved_load_back_the_same(list in proptest::collection::vec(bookmark(), 0..8)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = BookmarkStore::new(dir.path().join("bookmarks.toml"));
        let mut expected: Vec<Bookmark> = Vec::new();
        for bookmark in list {
            store.add(bookmark.clone()).expect("add");
            match expected.iter_mut().find(|b| b.id == bookmark.id) {
                // Added again: keeps its place and time, takes the new title
                // and date, and the new note only when there is one.
                Some(old) => {
                    old.title = bookmark.title;
                    old.date = bookmark.date;
                    if bookmark.note.is_some() {
                        old.note = bookmark.note;
                    }
                }
                None => expected.push(bookmark),
            }
        }
        let loaded = store.load().expect("load");
        prop_assert!(loaded.moved_aside.is_none());
        prop_assert_eq!(loaded.value, expected);
    }

    #[test]
    fn read_marks_saved_load_back_the_same(
        marked in proptest::collection::vec(text(), 0..10),
        unmarked in proptest::collection::vec(text(), 0..4),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = ReadStore::new(dir.path().join("state.toml"));
        store.set_read(&marked, true).expect("mark read");
        store.set_read(&unmarked, false).expect("mark unread");
        let mut expected: BTreeSet<String> = marked.into_iter().collect();
        for id in &unmarked {
            expected.remove(id);
        }
        let loaded = store.load().expect("load");
        prop_assert!(loaded.moved_aside.is_none());
        prop_assert_eq!(loaded.value, expected);
    }
}
