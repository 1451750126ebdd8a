//! Which folder under the articles folder each feed's articles go to.
//!
//! A feed with a `folder` setting uses it (feeds may share a folder on
//! purpose). Otherwise the folder comes from the feed's name, and two
//! names can make the same folder name ("dup name" and "DUP NAME!" both
//! make `dup-name`): the first such feed in the feeds file gets the plain
//! name, each later one the name and a hash of its address
//! (`dup-name-1a2b3c4d`), so no feed adopts another's files. The folder
//! chosen at a feed's first fetch is kept in its state and used from then
//! on, whatever the feeds file says later: removing the first feed does not
//! move the second into its folder.

use std::collections::{HashMap, HashSet};

use super::item::folder_name;
use crate::store::feed_state::FeedState;
use crate::store::feeds::Feed;

/// For each feed of the feeds file (by address), the folder it gets at its
/// first fetch: its [`folder_name`], with a hash of its address when an
/// earlier feed of the file has that folder already.
pub fn first_folders(feeds: &[Feed]) -> HashMap<String, String> {
    let mut taken: HashSet<String> = HashSet::with_capacity(feeds.len());
    let mut folders = HashMap::with_capacity(feeds.len());
    for feed in feeds {
        let plain = folder_name(feed);
        let folder = if feed.folder.is_some() || taken.insert(plain.clone()) {
            plain
        } else {
            let hash = xxhash_rust::xxh3::xxh3_64(feed.url.as_bytes());
            format!("{plain}-{:08x}", hash as u32)
        };
        // An explicit folder is shared on purpose, and a name-made one
        // must not land in it either.
        taken.insert(folder.clone());
        folders.entry(feed.url.clone()).or_insert(folder);
    }
    folders
}

/// The folder `feed`'s articles go to: its `folder` setting; else the one
/// its state recorded; else, for a feed fetched before folders were
/// recorded, the one it has used ([`folder_name`]); else `first` (from
/// [`first_folders`]) or its [`folder_name`].
pub fn folder_for(feed: &Feed, state: &FeedState, first: Option<&str>) -> String {
    if feed.folder.is_some() {
        return folder_name(feed);
    }
    if let Some(recorded) = state.folder.as_deref().filter(|f| is_one_name(f)) {
        return recorded.to_string();
    }
    if !state.items.is_empty() {
        return folder_name(feed);
    }
    first
        .filter(|f| is_one_name(f))
        .map_or_else(|| folder_name(feed), str::to_string)
}

/// Whether `folder` is one plain folder name (a state file edited by hand
/// cannot send the articles elsewhere).
fn is_one_name(folder: &str) -> bool {
    !folder.is_empty()
        && folder != "."
        && folder != ".."
        && !folder.contains(['/', '\\', '\0'])
        && !folder.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(name: &str, url: &str) -> Feed {
        Feed {
            name: name.into(),
            ..Feed::new(url)
        }
    }

    #[test]
    fn names_that_make_one_folder_name_get_folders_of_their_own() {
        let feeds = [
            feed("dup name", "http://127.0.0.1/a"),
            feed("DUP NAME!", "http://127.0.0.1/b"),
            feed("Other", "http://127.0.0.1/c"),
        ];
        let folders = first_folders(&feeds);
        assert_eq!(folders["http://127.0.0.1/a"], "dup-name");
        let second = &folders["http://127.0.0.1/b"];
        assert!(
            second.starts_with("dup-name-") && second.len() == 17,
            "{second}"
        );
        assert_eq!(folders["http://127.0.0.1/c"], "other");
        // The same file gives the same folders, run after run.
        assert_eq!(first_folders(&feeds), folders);
    }

    #[test]
    fn a_recorded_folder_wins_and_a_hand_edited_one_cannot_leave_the_folder() {
        let one = feed("dup name", "http://127.0.0.1/b");
        let mut state = FeedState::default();
        state.folder = Some("dup-name-12345678".into());
        assert_eq!(
            folder_for(&one, &state, Some("dup-name")),
            "dup-name-12345678"
        );
        state.folder = Some("../elsewhere".into());
        assert_eq!(folder_for(&one, &state, Some("dup-name-9")), "dup-name-9");
        let explicit = Feed {
            folder: Some("Shared".into()),
            ..one
        };
        assert_eq!(folder_for(&explicit, &state, Some("x")), "shared");
    }
}
