//! The popups' own state: the help filter, the tag picker and the views
//! picker, and the readline-style editing of their text. Which key does
//! what in them is the key map's business (see `App`'s overlay keys).

use std::collections::BTreeSet;

use crate::keys::{Key, KeyCode, Modifiers};
use crate::library::TermCount;

/// A tag or category picked in the tag picker.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PickedTerm {
    /// A category rather than a tag.
    pub category: bool,
    /// Its name.
    pub name: String,
}

impl PickedTerm {
    /// The query term, e.g. `tag:"Alice Oseman"`.
    pub(crate) fn term(&self) -> String {
        let field = if self.category { "cat" } else { "tag" };
        let escaped = self.name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{field}:\"{escaped}\"")
    }
}

/// Edits a prompt's or filter's text with a key, readline style: a
/// character is typed, Backspace deletes one, Ctrl-U clears the line and
/// Ctrl-W deletes the last word. These keys are fixed (not in the key map);
/// returns whether the key was one of them.
pub(crate) fn edit_text(text: &mut String, key: Key) -> bool {
    match key.code() {
        KeyCode::Char(c) if key.is_text() => text.push(c),
        KeyCode::Backspace if key.modifiers() == Modifiers::NONE => {
            text.pop();
        }
        _ if key == Key::ctrl('u') => text.clear(),
        _ if key == Key::ctrl('w') => {
            let kept = text.trim_end().rfind(' ').map_or(0, |at| at + 1);
            text.truncate(kept);
        }
        _ => return false,
    }
    true
}

/// Rows a page key moves the cursor of a popup.
pub(crate) const POPUP_PAGE: usize = 10;

/// The help overlay: a filter over the key list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    /// Typed text narrowing the list of actions.
    pub filter: String,
    /// First row shown when the list is longer than the popup; the view
    /// clamps it.
    pub offset: usize,
}

impl HelpState {
    /// Scrolls the list by `rows` (negative: up).
    pub(crate) fn scroll(&mut self, rows: isize) {
        self.offset = self.offset.saturating_add_signed(rows);
    }

    /// Edits the filter; the list starts again from its top.
    pub(crate) fn edit(&mut self, key: Key) {
        if edit_text(&mut self.filter, key) {
            self.offset = 0;
        }
    }
}

/// One row of the tag picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagEntry {
    /// The tag or category.
    pub term: PickedTerm,
    /// Articles that carry it.
    pub count: usize,
}

/// The tag picker: every tag and category with counts; typing narrows,
/// Space toggles, Tab switches any/all, Enter applies, Esc cancels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagPicker {
    /// All tags, then all categories.
    pub entries: Vec<TagEntry>,
    /// Typed text narrowing the entries.
    pub filter: String,
    /// Position of the cursor among the shown entries.
    pub selected: usize,
    /// What is picked.
    pub chosen: BTreeSet<PickedTerm>,
    /// Articles must carry all picked terms (else any).
    pub match_all: bool,
}

impl TagPicker {
    /// A picker over these counts with `chosen` already picked.
    pub(crate) fn new(
        tags: &[TermCount],
        categories: &[TermCount],
        chosen: BTreeSet<PickedTerm>,
        match_all: bool,
    ) -> TagPicker {
        let entry = |category: bool| {
            move |t: &TermCount| TagEntry {
                term: PickedTerm {
                    category,
                    name: t.name.clone(),
                },
                count: t.count,
            }
        };
        let entries = tags
            .iter()
            .map(entry(false))
            .chain(categories.iter().map(entry(true)))
            .collect();
        TagPicker {
            entries,
            filter: String::new(),
            selected: 0,
            chosen,
            match_all,
        }
    }

    /// The entries the filter lets through (case-insensitive substring).
    pub(crate) fn shown(&self) -> Vec<&TagEntry> {
        let filter = self.filter.to_lowercase();
        self.entries
            .iter()
            .filter(|e| filter.is_empty() || e.term.name.to_lowercase().contains(&filter))
            .collect()
    }

    /// Moves the cursor by `rows` (negative: up), within the shown entries.
    pub(crate) fn move_by(&mut self, rows: isize) {
        let last = self.shown().len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(rows).min(last);
    }

    /// Edits the filter; the cursor goes back to the first entry.
    pub(crate) fn edit(&mut self, key: Key) {
        if edit_text(&mut self.filter, key) {
            self.selected = 0;
        }
    }

    /// Switches between matching any and all of the picked terms.
    pub(crate) fn switch_match_mode(&mut self) {
        self.match_all = !self.match_all;
    }

    /// Picks the entry under the cursor, or unpicks it.
    pub(crate) fn toggle_selected(&mut self) {
        let Some(term) = self.shown().get(self.selected).map(|e| e.term.clone()) else {
            return;
        };
        if !self.chosen.remove(&term) {
            self.chosen.insert(term);
        }
    }
}

/// The saved views picker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewPicker {
    /// Position of the cursor.
    pub selected: usize,
}

impl ViewPicker {
    /// Moves the cursor by `rows` (negative: up) among `count` views.
    pub(crate) fn move_by(&mut self, rows: isize, count: usize) {
        let last = count.saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(rows).min(last);
    }

    /// The view a digit key picks (`1` is the first), when there is one.
    pub(crate) fn digit(&self, key: Key, count: usize) -> Option<usize> {
        digit_of(key)
            .map(|n| n - 1)
            .filter(|&position| position < count)
    }
}

/// The number 1 to 9 a plain digit key stands for, in the popups that
/// choose by number (views, links).
pub(crate) fn digit_of(key: Key) -> Option<usize> {
    let KeyCode::Char(c @ '1'..='9') = key.code() else {
        return None;
    };
    key.is_text().then(|| c as usize - '0' as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(spelling: &str) -> Key {
        spelling.parse().unwrap()
    }

    fn picker() -> TagPicker {
        let tags = [
            TermCount {
                name: "Heartstopper".into(),
                count: 2,
            },
            TermCount {
                name: "bloopers".into(),
                count: 1,
            },
        ];
        let cats = [TermCount {
            name: "TV".into(),
            count: 2,
        }];
        TagPicker::new(&tags, &cats, BTreeSet::new(), false)
    }

    #[test]
    fn typing_narrows_and_toggling_picks_the_highlighted_entry() {
        let mut picker = picker();
        for c in "bloo".chars() {
            picker.edit(Key::char(c));
        }
        assert_eq!(picker.shown().len(), 1);
        picker.toggle_selected();
        assert_eq!(
            picker
                .chosen
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>(),
            ["bloopers"]
        );
        picker.toggle_selected();
        assert!(picker.chosen.is_empty());
    }

    #[test]
    fn the_cursor_stays_within_the_shown_entries() {
        let mut picker = picker();
        for _ in 0..10 {
            picker.move_by(1);
        }
        assert_eq!(picker.selected, 2);
        picker.move_by(-(POPUP_PAGE as isize));
        assert_eq!(picker.selected, 0);
        picker.move_by(2);
        picker.edit(Key::char('t'));
        assert_eq!(picker.selected, 0);
    }

    #[test]
    fn views_picker_moves_and_picks_by_digit() {
        let mut views = ViewPicker::default();
        views.move_by(1, 3);
        assert_eq!(views.selected, 1);
        views.move_by(5, 3);
        assert_eq!(views.selected, 2);
        assert_eq!(views.digit(key("3"), 3), Some(2));
        assert_eq!(views.digit(key("9"), 3), None);
        assert_eq!(views.digit(key("ctrl-1"), 3), None);
        assert_eq!(views.digit(key("j"), 3), None);
    }

    #[test]
    fn text_is_edited_readline_style() {
        let mut text = String::new();
        for c in "tag:tv oseman".chars() {
            assert!(edit_text(&mut text, Key::char(c)));
        }
        assert!(edit_text(&mut text, key("ctrl-w")));
        assert_eq!(text, "tag:tv ");
        assert!(edit_text(&mut text, key("backspace")));
        assert_eq!(text, "tag:tv");
        assert!(edit_text(&mut text, key("ctrl-u")));
        assert_eq!(text, "");
        assert!(!edit_text(&mut text, key("enter")));
        assert!(!edit_text(&mut text, key("alt-x")));
        assert_eq!(text, "");
    }
}
