//! The marks followed live: bookmarks, read marks, own tags and notes
//! changed by another process (`broadsheet bookmark add ID` while the
//! reader runs, a sync, a second reader) show without `r`. The run loop's
//! marks watch (`tui/marks_watch.rs`) reads the store files again when they
//! change and hands them here; the reader's own changes still on their way
//! to the files are applied on top, so neither side's change is lost: the
//! saver merges them into the files under the lock, and the next reading
//! holds both.

use crate::library::Marks;
use crate::store::MarkChange;

use super::App;
use super::marking::apply_locally;

impl App {
    /// The marks of the files (`saved`, read at the start, on `r` or when
    /// they changed) with the changes not yet written applied on top, in
    /// the order they were made.
    pub(super) fn with_pending(&self, saved: Marks) -> Marks {
        let mut marks = saved;
        for change in &self.pending {
            apply_locally(&mut marks, change);
        }
        marks
    }

    /// A change the reader asked the saver for: it stays applied over any
    /// reading of the files until the saver says it is written.
    pub(super) fn note_pending(&mut self, change: &MarkChange) {
        self.pending.push_back(change.clone());
    }

    /// The saver wrote the oldest pending change.
    pub(super) fn pending_written(&mut self) {
        self.pending.pop_front();
    }

    /// The store files as read now (`saved`), and what reading them found
    /// wrong: the marks shown become them, with the changes not yet written
    /// applied on top in the order they were made. The list is filtered
    /// again (a bookmark filter may now show more or fewer articles),
    /// keeping the selection.
    pub(super) fn marks_read(&mut self, saved: Marks, problems: Vec<String>) {
        let marks = self.with_pending(saved);
        if let Some(problem) = problems.into_iter().next() {
            self.say(problem, true);
        }
        if marks == self.marks {
            return;
        }
        self.marks = marks;
        self.refilter();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::store::Bookmark;
    use chrono::Utc;

    fn bookmark(id: &str) -> MarkChange {
        MarkChange::AddBookmark(Bookmark::new(id, id, None, Utc::now()))
    }

    #[test]
    fn a_change_not_yet_written_survives_a_reading_of_the_files() {
        let mut app = App::new(Config::default());
        app.note_pending(&bookmark("mine.txt"));
        let mut theirs = Marks::default();
        theirs.bookmarked.insert("theirs.txt".to_string());
        theirs.read.insert("old.txt".to_string());
        app.marks_read(theirs.clone(), Vec::new());
        assert!(app.marks.bookmarked.contains("mine.txt"), "ours kept");
        assert!(app.marks.bookmarked.contains("theirs.txt"), "theirs shown");
        assert!(app.marks.read.contains("old.txt"));
        // Written: the files now hold it, and nothing is applied on top.
        app.pending_written();
        theirs.bookmarked.remove("theirs.txt");
        app.marks_read(theirs, Vec::new());
        assert!(!app.marks.bookmarked.contains("mine.txt"));
        assert!(
            !app.marks.bookmarked.contains("theirs.txt"),
            "their removal shown"
        );
    }

    #[test]
    fn a_reload_keeps_the_changes_not_yet_written() {
        let mut app = App::new(Config::default());
        app.note_pending(&bookmark("mine.txt"));
        let summaries = crate::tui::app::Summaries {
            library: crate::library::Library::default(),
            marks: Marks::default(),
            problems: Vec::new(),
        };
        app.on_event(
            crate::tui::app::Event::SummariesLoaded(Box::new(summaries)),
            Utc::now(),
        );
        assert!(app.marks.bookmarked.contains("mine.txt"));
    }
}
