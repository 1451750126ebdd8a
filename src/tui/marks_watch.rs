//! The store files followed while the reader runs: the bookmarks, the read
//! state and the person's own tags, changed by another process
//! (`broadsheet bookmark add ID`, a sync, a second reader), are read again
//! and handed to the reader, which keeps its own changes not yet written
//! on top (`tui/app/following.rs`).
//!
//! Each file's identity and size and time of change are looked at once a
//! second: three `stat` calls, no reading and no drawing while nothing
//! changes. (A watch on the folder would need the store's folder to
//! exist and be watchable, which a home on a network file system may not
//! be; the files are replaced by rename, so a new inode says a write is
//! whole.) The reader's own saves change the files too; reading them
//! again then changes nothing on screen.

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::Config;
use crate::store::MarkStores;
use crate::tui::app;

/// How often the files are looked at.
pub(crate) const MARKS_POLL: Duration = Duration::from_secs(1);

/// What says a file changed: its device and inode (a rename puts a new
/// file in its place), size and time of change; `None` while it does not
/// exist.
type Stamp = Option<(u64, u64, u64, i64, i64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((
        meta.dev(),
        meta.ino(),
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
    ))
}

/// The files of the marks and their stamps as last seen.
pub(crate) struct MarksWatch {
    stores: MarkStores,
    paths: Vec<PathBuf>,
    seen: Vec<Stamp>,
}

impl MarksWatch {
    /// Follows the store files of `config`, as they are now.
    pub(crate) fn new(config: &Config) -> MarksWatch {
        let stores = MarkStores::new(&config.library.bookmarks, &config.library.state);
        let paths = vec![
            stores.bookmarks.path().to_path_buf(),
            stores.read.path().to_path_buf(),
            stores.tags.path().to_path_buf(),
        ];
        let seen = paths.iter().map(|p| stamp(p)).collect();
        MarksWatch {
            stores,
            paths,
            seen,
        }
    }

    /// When a file changed since the last look, the marks read again as
    /// an event for the reader (with what was wrong with the files);
    /// otherwise `None`.
    pub(crate) fn check(&mut self) -> Option<app::Event> {
        let now: Vec<Stamp> = self.paths.iter().map(|p| stamp(p)).collect();
        if now == self.seen {
            return None;
        }
        self.seen = now;
        let (saved, failed) = self.stores.load();
        let problems = saved
            .moved_aside
            .iter()
            .chain(&failed)
            .map(ToString::to_string)
            .collect();
        Some(app::Event::MarksRead(Box::new(saved.marks()), problems))
    }

    /// Looks every [`MARKS_POLL`] until `send` says the reader is gone.
    pub(crate) fn follow(mut self, send: impl Fn(app::Event) -> bool) {
        loop {
            std::thread::sleep(MARKS_POLL);
            if let Some(event) = self.check()
                && !send(event)
            {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Bookmark, MarkChange};
    use chrono::Utc;

    #[test]
    fn a_bookmark_written_by_another_process_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        config.library.bookmarks = dir.path().join("bookmarks.toml");
        config.library.state = dir.path().join("state.toml");
        let mut watch = MarksWatch::new(&config);
        assert!(watch.check().is_none(), "nothing changed");
        let other = MarkStores::new(&config.library.bookmarks, &config.library.state);
        let bookmark = Bookmark::new("a.txt", "A", None, Utc::now());
        other.apply(&MarkChange::AddBookmark(bookmark)).unwrap();
        let Some(app::Event::MarksRead(marks, problems)) = watch.check() else {
            panic!("the change is seen");
        };
        assert!(marks.bookmarked.contains("a.txt"));
        assert!(problems.is_empty());
        assert!(watch.check().is_none(), "and seen once");
    }
}
