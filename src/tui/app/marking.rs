//! Changing the marks from the reader: bookmarks and their notes, read
//! marks, the person's own tags; on the selected article or on every
//! article picked with `toggle_select`; and undo, many steps back.
//!
//! Every change goes through [`App::change_marks`], which applies it to the
//! marks shown, asks the saver for it and remembers how to take it back, so
//! nothing is lost to a stray key: a bookmark removed with its note comes
//! back whole with `undo`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::keys::Action;
use crate::library::Marks;
use crate::store::tags::{self, clean};
use crate::store::{Bookmark, MarkChange};
use crate::tui::popups::{EditBox, EditKind, Overlay};

use super::undo::{UNDO_DEPTH, UndoStep};
use super::{App, Effect};

/// Applies one change to the marks the reader shows, as the saver will to
/// the files.
pub(super) fn apply_locally(marks: &mut Marks, change: &MarkChange) {
    match change {
        MarkChange::AddBookmark(bookmark) => {
            marks.bookmarked.insert(bookmark.id.clone());
            if let Some(note) = &bookmark.note {
                marks.notes.insert(bookmark.id.clone(), note.clone());
            }
        }
        MarkChange::RemoveBookmark(id) => {
            marks.bookmarked.remove(id);
            marks.notes.remove(id);
        }
        MarkChange::SetRead(ids, true) => marks.read.extend(ids.iter().cloned()),
        MarkChange::SetRead(ids, false) => {
            for id in ids {
                marks.read.remove(id);
            }
        }
        MarkChange::SetTag(ids, tag, add) => {
            for id in ids {
                let tags = marks.tags.entry(id.clone()).or_default();
                if *add {
                    tags::add_to(tags, tag);
                } else {
                    tags::remove_from(tags, tag);
                }
                if tags.is_empty() {
                    marks.tags.remove(id);
                }
            }
        }
        MarkChange::SetNote(id, Some(note)) => {
            marks.notes.insert(id.clone(), note.clone());
        }
        MarkChange::SetNote(id, None) => {
            marks.notes.remove(id);
        }
    }
}

impl App {
    /// The ids an action applies to: the articles picked with
    /// `toggle_select` when there are any, else the selected article.
    pub(super) fn targets(&self) -> Vec<String> {
        if !self.picked_ids.is_empty() {
            return self.picked_ids.iter().cloned().collect();
        }
        self.selected_article()
            .map(|article| vec![article.id().to_string()])
            .unwrap_or_default()
    }

    /// Applies `changes` to the marks shown, asks the saver for them and
    /// remembers `inverse` as one undo step called `what`.
    pub(super) fn change_marks(
        &mut self,
        what: String,
        changes: Vec<MarkChange>,
        inverse: Vec<MarkChange>,
    ) -> Vec<Effect> {
        if changes.is_empty() {
            return Vec::new();
        }
        self.apply_to_marks(&changes);
        self.undo.push(UndoStep { what, inverse });
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.saved_marks_changed(changes)
    }

    /// The marks changed: the saver is asked, and a list filtered by marks
    /// is filtered again.
    fn saved_marks_changed(&mut self, changes: Vec<MarkChange>) -> Vec<Effect> {
        self.unsaved += changes.len();
        if self.bookmarks_only
            || self.unread_only
            || self.search.uses_marks()
            || self.picked_query.uses_marks()
        {
            self.refilter();
        }
        changes.into_iter().map(Effect::Save).collect()
    }

    /// `undo`: the last change taken back.
    pub(super) fn undo(&mut self) -> Vec<Effect> {
        let Some(step) = self.undo.pop() else {
            self.say("nothing to undo", false);
            return Vec::new();
        };
        self.apply_to_marks(&step.inverse);
        self.say(format!("undone: {}", step.what), false);
        self.saved_marks_changed(step.inverse)
    }

    /// `b`: bookmarks the targets, or removes their bookmarks when they all
    /// have one. A removed bookmark's note is kept for `undo`.
    pub(super) fn toggle_bookmark(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let ids = self.targets();
        let Some(first) = ids.first().cloned() else {
            return Vec::new();
        };
        let remove = ids.iter().all(|id| self.marks.bookmarked.contains(id));
        let (mut changes, mut inverse) = (Vec::new(), Vec::new());
        for id in &ids {
            let bookmark = self.bookmark_of(id, now);
            if remove {
                changes.push(MarkChange::RemoveBookmark(id.clone()));
                inverse.push(MarkChange::AddBookmark(bookmark));
            } else if !self.marks.bookmarked.contains(id) {
                changes.push(MarkChange::AddBookmark(bookmark));
                inverse.push(MarkChange::RemoveBookmark(id.clone()));
            }
        }
        let title = self.title_of(&first);
        let noted = ids.iter().any(|id| self.marks.notes.contains_key(id));
        // Those that had a bookmark already are counted apart: "bookmarked 2"
        // for two picked articles, one already bookmarked, would overstate.
        let already = if remove { 0 } else { ids.len() - changes.len() };
        let what = match (remove, ids.len()) {
            (true, 1) => format!("removed bookmark: {title}"),
            (true, n) => format!("removed {n} bookmarks"),
            (false, 1) => format!("bookmarked: {title}"),
            (false, n) if already == 0 => format!("bookmarked {n} articles"),
            (false, n) => format!("bookmarked {} ({already} already)", n - already),
        };
        // Said first, so a long title cannot push it off the line.
        let message = if remove && noted {
            let key = self.first_key(Action::Undo);
            format!("note kept, {key} brings it back · {what}")
        } else {
            what.clone()
        };
        let effects = self.change_marks(what, changes, inverse);
        self.say(message, false);
        effects
    }

    /// `u`: marks the targets read, or unread when they all are read.
    pub(super) fn toggle_read(&mut self) -> Vec<Effect> {
        let ids = self.targets();
        if ids.is_empty() {
            return Vec::new();
        }
        let read = !ids.iter().all(|id| self.marks.read.contains(id));
        let changing: Vec<String> = ids
            .into_iter()
            .filter(|id| self.marks.read.contains(id) != read)
            .collect();
        let what = format!(
            "marked {} {}",
            self.count_or_title(&changing),
            if read { "read" } else { "unread" }
        );
        self.change_marks(
            what,
            vec![MarkChange::SetRead(changing.clone(), read)],
            vec![MarkChange::SetRead(changing, !read)],
        )
    }

    /// `A`: every article the list shows marked read, in one save.
    pub(super) fn mark_all_read(&mut self) -> Vec<Effect> {
        if self.counting() {
            self.say(
                "still counting the matches; mark them once the count is in",
                false,
            );
            return Vec::new();
        }
        let ids: Vec<String> = self
            .visible
            .iter()
            .filter_map(|&index| self.library.get(index))
            .map(|article| article.id().to_string())
            .filter(|id| !self.marks.read.contains(id))
            .collect();
        if ids.is_empty() {
            self.say("everything shown is read already", false);
            return Vec::new();
        }
        let what = format!("marked {} read", ids.len());
        self.say(what.clone(), false);
        self.change_marks(
            what,
            vec![MarkChange::SetRead(ids.clone(), true)],
            vec![MarkChange::SetRead(ids, false)],
        )
    }

    /// Applies `changes` to the marks shown. The open article's details
    /// show its own tags and note: when those change it is laid out again.
    fn apply_to_marks(&mut self, changes: &[MarkChange]) {
        let open = self.selected_article().map(|a| a.id().to_string());
        let before = open.as_deref().map(|id| self.own_lines(id));
        for change in changes {
            apply_locally(&mut self.marks, change);
        }
        if open.as_deref().map(|id| self.own_lines(id)) != before {
            self.document = None;
            self.wrap_requested = None;
        }
    }

    // ----- picking several ------------------------------------------------

    /// `toggle_select`: picks the selected article (or unpicks it) and
    /// moves to the next.
    pub(super) fn toggle_select(&mut self) {
        let Some(id) = self.selected_article().map(|a| a.id().to_string()) else {
            return;
        };
        if !self.picked_ids.remove(&id) {
            self.picked_ids.insert(id);
        }
        self.move_selection(1);
        self.say_picked();
    }

    /// `select_all`: picks every article shown; when they all are picked
    /// already, unpicks them.
    pub(super) fn select_all(&mut self) {
        let shown = self.shown_ids();
        if shown.iter().all(|id| self.picked_ids.contains(id)) {
            for id in &shown {
                self.picked_ids.remove(id);
            }
        } else {
            self.picked_ids.extend(shown);
        }
        self.say_picked();
    }

    /// `invert_selection`: the articles shown that are picked are unpicked
    /// and the others picked.
    pub(super) fn invert_selection(&mut self) {
        for id in self.shown_ids() {
            if !self.picked_ids.remove(&id) {
                self.picked_ids.insert(id);
            }
        }
        self.say_picked();
    }

    /// Unpicks everything; false when nothing was picked.
    pub(super) fn clear_picked(&mut self) -> bool {
        let had = !self.picked_ids.is_empty();
        self.picked_ids.clear();
        had
    }

    fn shown_ids(&self) -> Vec<String> {
        self.visible
            .iter()
            .filter_map(|&index| self.library.get(index))
            .map(|article| article.id().to_string())
            .collect()
    }

    fn say_picked(&mut self) {
        let count = self.picked_ids.len();
        let text = if count == 0 {
            "nothing picked".to_string()
        } else {
            format!(
                "{count} picked: b, u, {} act on them; esc unpicks",
                self.first_key(Action::EditTags)
            )
        };
        self.say(text, false);
    }

    // ----- tags and notes -------------------------------------------------

    /// `edit_tags`: the prompt for the targets' own tags.
    pub(super) fn open_tag_editor(&mut self) {
        let ids = self.targets();
        if ids.is_empty() {
            return;
        }
        self.overlay = Some(Overlay::Edit(EditBox {
            kind: EditKind::Tags,
            input: String::new(),
            ids,
        }));
    }

    /// `edit_note`: the prompt for the selected article's bookmark note,
    /// holding the note it has.
    pub(super) fn open_note_editor(&mut self) {
        let Some(id) = self.selected_article().map(|a| a.id().to_string()) else {
            return;
        };
        let input = self.marks.notes.get(&id).cloned().unwrap_or_default();
        self.overlay = Some(Overlay::Edit(EditBox {
            kind: EditKind::Note,
            input,
            ids: vec![id],
        }));
    }

    /// `a, b, -c`: tags a and b given to the articles, c taken away.
    pub(super) fn apply_tags(&mut self, edit: &EditBox) -> Vec<Effect> {
        let (mut changes, mut inverse, mut said) = (Vec::new(), Vec::new(), Vec::new());
        for word in edit.input.split(',') {
            let (add, tag) = match word.trim().strip_prefix('-') {
                Some(rest) => (false, clean(rest)),
                None => (true, clean(word)),
            };
            if tag.is_empty() {
                continue;
            }
            let has = |id: &String| {
                self.marks
                    .tags
                    .get(id)
                    .is_some_and(|tags| tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)))
            };
            let changing: Vec<String> = edit
                .ids
                .iter()
                .filter(|id| has(id) != add)
                .cloned()
                .collect();
            if changing.is_empty() {
                continue;
            }
            said.push(format!("{}{tag}", if add { "+" } else { "-" }));
            changes.push(MarkChange::SetTag(changing.clone(), tag.clone(), add));
            inverse.push(MarkChange::SetTag(changing, tag, !add));
        }
        if changes.is_empty() {
            self.say("tags unchanged", false);
            return Vec::new();
        }
        let what = format!(
            "tags {} on {}",
            said.join(" "),
            self.count_or_title(&edit.ids)
        );
        self.say(what.clone(), false);
        self.change_marks(what, changes, inverse)
    }

    /// The note set (or cleared when empty); an article without a bookmark
    /// is bookmarked with it.
    pub(super) fn apply_note(&mut self, edit: &EditBox, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(id) = edit.ids.first().cloned() else {
            return Vec::new();
        };
        let note = Some(edit.input.trim().to_string()).filter(|n| !n.is_empty());
        let old = self.marks.notes.get(&id).cloned();
        if note == old {
            return Vec::new();
        }
        let title = self.title_of(&id);
        let (changes, inverse, what) = if self.marks.bookmarked.contains(&id) {
            (
                vec![MarkChange::SetNote(id.clone(), note)],
                vec![MarkChange::SetNote(id, old)],
                format!("note on {title}"),
            )
        } else {
            let mut bookmark = self.bookmark_of(&id, now);
            bookmark.note = note;
            (
                vec![MarkChange::AddBookmark(bookmark)],
                vec![MarkChange::RemoveBookmark(id)],
                format!("bookmarked with a note: {title}"),
            )
        };
        self.say(what.clone(), false);
        self.change_marks(what, changes, inverse)
    }

    // ----- helpers ----------------------------------------------------------

    /// A bookmark of `id` as it is now (with its note, when it has one).
    fn bookmark_of(&self, id: &str, now: DateTime<Utc>) -> Bookmark {
        let article = self.library.find(id);
        let mut bookmark = Bookmark::new(
            id.to_string(),
            article.map(|a| a.title().to_string()).unwrap_or_default(),
            article.and_then(|a| a.date()),
            now,
        );
        bookmark.note = self.marks.notes.get(id).cloned();
        bookmark
    }

    fn title_of(&self, id: &str) -> String {
        self.library
            .find(id)
            .map_or_else(|| id.to_string(), |a| a.title().to_string())
    }

    /// `3 articles`, or the one article's title.
    fn count_or_title(&self, ids: &[String]) -> String {
        match ids {
            [one] => self.title_of(one),
            many => format!("{} articles", many.len()),
        }
    }

    /// The first key bound to `action` while browsing, for messages.
    pub(super) fn first_key(&self, action: Action) -> String {
        self.config
            .keys
            .hint_key(crate::keys::Mode::Browse, action)
            .map_or_else(|| action.name().to_string(), |key| key.to_string())
    }

    /// The ids picked with `toggle_select`.
    pub fn picked_ids(&self) -> &BTreeSet<String> {
        &self.picked_ids
    }
}
