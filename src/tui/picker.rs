//! The popups' own state: the help filter, the tag picker and the views
//! picker. Each handles its keys and says whether it stays open.

use std::collections::BTreeSet;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::library::TermCount;
use crate::tui::app::PickedTerm;
use crate::tui::keymap::Key;

/// What a key did to a picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Still open.
    Open,
    /// Closed without a change.
    Cancel,
    /// Closed: apply the choice.
    Apply,
}

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
    /// Handles a key; returns whether help stays open. Esc, Enter and the
    /// help key itself (when nothing is typed) close it.
    pub fn key(&mut self, event: KeyEvent, help_keys: &[Key]) -> bool {
        let pressed = Key::from_event(&event);
        if self.filter.is_empty() && pressed.is_some_and(|k| help_keys.contains(&k)) {
            return false;
        }
        match event.code {
            KeyCode::Esc | KeyCode::Enter => false,
            KeyCode::Down => {
                self.offset = self.offset.saturating_add(1);
                true
            }
            KeyCode::Up => {
                self.offset = self.offset.saturating_sub(1);
                true
            }
            KeyCode::PageDown => {
                self.offset = self.offset.saturating_add(10);
                true
            }
            KeyCode::PageUp => {
                self.offset = self.offset.saturating_sub(10);
                true
            }
            KeyCode::Backspace => {
                self.filter.pop();
                self.offset = 0;
                true
            }
            KeyCode::Char('u') if event.modifiers.contains(KeyModifiers::CONTROL) => {
                self.filter.clear();
                true
            }
            KeyCode::Char(c) if !event.modifiers.contains(KeyModifiers::CONTROL) => {
                self.filter.push(c);
                self.offset = 0;
                true
            }
            _ => true,
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
    pub fn new(
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
    pub fn shown(&self) -> Vec<&TagEntry> {
        let filter = self.filter.to_lowercase();
        self.entries
            .iter()
            .filter(|e| filter.is_empty() || e.term.name.to_lowercase().contains(&filter))
            .collect()
    }

    /// Handles a key.
    pub fn key(&mut self, event: KeyEvent) -> Outcome {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let count = self.shown().len();
        match event.code {
            KeyCode::Esc => return Outcome::Cancel,
            KeyCode::Enter => return Outcome::Apply,
            KeyCode::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Char('n') if ctrl => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1))
            }
            KeyCode::Char('p') if ctrl => self.selected = self.selected.saturating_sub(1),
            KeyCode::PageDown => self.selected = (self.selected + 10).min(count.saturating_sub(1)),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::Tab => self.match_all = !self.match_all,
            KeyCode::Char(' ') => self.toggle_selected(),
            KeyCode::Backspace => {
                self.filter.pop();
                self.selected = 0;
            }
            KeyCode::Char('u') if ctrl => {
                self.filter.clear();
                self.selected = 0;
            }
            KeyCode::Char(c) if !ctrl => {
                self.filter.push(c);
                self.selected = 0;
            }
            _ => {}
        }
        Outcome::Open
    }

    fn toggle_selected(&mut self) {
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
    /// Handles a key over `count` views: j/k or arrows move, Enter applies,
    /// Esc or q cancels, a digit picks that view.
    pub fn key(&mut self, event: KeyEvent, count: usize) -> Outcome {
        let last = count.saturating_sub(1);
        match event.code {
            KeyCode::Esc | KeyCode::Char('q') => Outcome::Cancel,
            KeyCode::Enter => Outcome::Apply,
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(last);
                Outcome::Open
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.selected = self.selected.saturating_sub(1);
                Outcome::Open
            }
            KeyCode::Char(c @ '1'..='9') => {
                let position = c as usize - '1' as usize;
                if position < count {
                    self.selected = position;
                    Outcome::Apply
                } else {
                    Outcome::Open
                }
            }
            _ => Outcome::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
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
    fn typing_narrows_and_space_toggles_the_highlighted_entry() {
        let mut picker = picker();
        for c in "bloo".chars() {
            picker.key(press(KeyCode::Char(c)));
        }
        assert_eq!(picker.shown().len(), 1);
        picker.key(press(KeyCode::Char(' ')));
        assert_eq!(
            picker
                .chosen
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>(),
            ["bloopers"]
        );
        picker.key(press(KeyCode::Char(' ')));
        assert!(picker.chosen.is_empty());
    }

    #[test]
    fn tab_switches_any_and_all_and_enter_applies() {
        let mut picker = picker();
        assert!(!picker.match_all);
        picker.key(press(KeyCode::Tab));
        assert!(picker.match_all);
        assert_eq!(picker.key(press(KeyCode::Enter)), Outcome::Apply);
        assert_eq!(picker.key(press(KeyCode::Esc)), Outcome::Cancel);
    }

    #[test]
    fn the_cursor_stays_within_the_shown_entries() {
        let mut picker = picker();
        for _ in 0..10 {
            picker.key(press(KeyCode::Down));
        }
        assert_eq!(picker.selected, 2);
        picker.key(press(KeyCode::Char('t')));
        assert_eq!(picker.selected, 0);
    }

    #[test]
    fn views_picker_moves_applies_and_picks_by_digit() {
        let mut views = ViewPicker::default();
        assert_eq!(views.key(press(KeyCode::Char('j')), 3), Outcome::Open);
        assert_eq!(views.selected, 1);
        assert_eq!(views.key(press(KeyCode::Char('3')), 3), Outcome::Apply);
        assert_eq!(views.selected, 2);
        assert_eq!(views.key(press(KeyCode::Char('9')), 3), Outcome::Open);
        assert_eq!(views.key(press(KeyCode::Esc), 3), Outcome::Cancel);
    }
}
