//! The popups: the search prompt, help, the tag picker and the views
//! picker. Each resolves keys in its own mode of the key map; keys it
//! leaves alone edit its text.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::keys::{Action, Key};
use crate::library::query::{Query, QueryError};
use crate::tui::picker::{HelpState, POPUP_PAGE, PickedTerm, TagPicker, ViewPicker, edit_text};

use super::{App, Effect};

/// A popup that takes the keys while it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The search prompt (`/`).
    Search(SearchBox),
    /// The key help (`?`).
    Help(HelpState),
    /// The tag picker (`t`).
    Tags(TagPicker),
    /// The saved views picker (`v`).
    Views(ViewPicker),
    /// The feeds and their last fetch (`f`).
    Feeds(super::FeedsPopup),
    /// The article's links (`O`).
    Links(super::LinksPopup),
    /// The prompt for the person's own tags or a bookmark's note.
    Edit(super::EditBox),
}

/// The search prompt: the query is applied as it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchBox {
    /// What has been typed.
    pub input: String,
    /// The query before the prompt opened, restored by Esc.
    pub previous: String,
    /// Why the input does not parse; the last good result stays shown.
    pub error: Option<QueryError>,
    /// Whether the query cheat sheet shows under the prompt.
    pub guide: bool,
}

impl App {
    pub(super) fn open_search(&mut self) {
        self.overlay = Some(Overlay::Search(SearchBox {
            input: self.search_text.clone(),
            previous: self.search_text.clone(),
            error: None,
            guide: false,
        }));
    }

    pub(super) fn open_tags(&mut self) {
        let picked: BTreeSet<PickedTerm> = self.picked.iter().cloned().collect();
        let picker = TagPicker::new(
            &self.library.tag_counts(),
            &self.library.category_counts(),
            picked,
            self.match_all,
        );
        self.overlay = Some(Overlay::Tags(picker));
    }

    pub(super) fn open_views(&mut self) {
        if self.config.views.is_empty() {
            self.say(
                "no saved views: add some under [views] in the config file",
                false,
            );
            return;
        }
        self.overlay = Some(Overlay::Views(ViewPicker::default()));
    }

    /// A key while a popup is open: Ctrl-C still quits; otherwise the
    /// popup's mode of the key map says what the key does, and a key it
    /// leaves alone edits the popup's text.
    pub(super) fn overlay_key(&mut self, key: Key, now: DateTime<Utc>) -> Vec<Effect> {
        if key == Key::ctrl('c') {
            self.overlay = None;
            return self.update(Action::Quit, now);
        }
        let action = self.config.keys.resolve(self.mode(), key);
        let page = POPUP_PAGE as isize;
        match self.overlay.take() {
            Some(Overlay::Search(search)) => self.search_key(search, action, key),
            Some(Overlay::Feeds(popup)) => return self.feeds_key(popup, action, now),
            Some(Overlay::Links(popup)) => return self.links_key(popup, action, key),
            Some(Overlay::Edit(edit)) => return self.edit_key(edit, action, key, now),
            Some(Overlay::Help(mut help)) => {
                // The help key closes help while nothing is typed.
                let help_key = self.config.keys.keys_for(Action::Help).contains(&key);
                let close = (help_key && help.filter.is_empty())
                    || matches!(action, Some(Action::Back | Action::Open | Action::Help));
                if !close {
                    match action {
                        Some(Action::Down) => help.scroll(1),
                        Some(Action::Up) => help.scroll(-1),
                        Some(Action::PageDown) => help.scroll(page),
                        Some(Action::PageUp) => help.scroll(-page),
                        _ => help.edit(key),
                    }
                    self.overlay = Some(Overlay::Help(help));
                }
            }
            Some(Overlay::Tags(mut picker)) => match action {
                Some(Action::Back) => {}
                Some(Action::Open) => {
                    self.picked = picker.chosen.into_iter().collect();
                    self.match_all = picker.match_all;
                    self.apply_picked();
                }
                other => {
                    match other {
                        Some(Action::Down) => picker.move_by(1),
                        Some(Action::Up) => picker.move_by(-1),
                        Some(Action::PageDown) => picker.move_by(page),
                        Some(Action::PageUp) => picker.move_by(-page),
                        Some(Action::Pick) => picker.toggle_selected(),
                        Some(Action::MatchMode) => picker.switch_match_mode(),
                        _ => picker.edit(key),
                    }
                    self.overlay = Some(Overlay::Tags(picker));
                }
            },
            Some(Overlay::Views(mut picker)) => {
                let count = self.config.views.len();
                match (action, picker.digit(key, count)) {
                    (_, Some(position)) => self.apply_view(position),
                    (Some(Action::Open), _) => self.apply_view(picker.selected),
                    (Some(Action::Back | Action::Quit), _) => {}
                    (other, _) => {
                        match other {
                            Some(Action::Down) => picker.move_by(1, count),
                            Some(Action::Up) => picker.move_by(-1, count),
                            _ => {}
                        }
                        self.overlay = Some(Overlay::Views(picker));
                    }
                }
            }
            None => {}
        }
        Vec::new()
    }

    /// A key in the search prompt: `back` restores the query from before
    /// the prompt, `open` keeps a valid query (an invalid one keeps the
    /// prompt open), other keys edit the query, applied as it is typed.
    pub(super) fn search_key(&mut self, mut search: SearchBox, action: Option<Action>, key: Key) {
        if self.toggles_guide(&search, key) {
            search.guide = !search.guide;
            self.overlay = Some(Overlay::Search(search));
            return;
        }
        match action {
            Some(Action::Back) => {
                self.set_search(&search.previous);
                return;
            }
            Some(Action::Open) if search.error.is_none() => return,
            Some(_) => {}
            None => {
                edit_text(&mut search.input, key);
            }
        }
        search.error = self.try_search(&search.input).err();
        self.overlay = Some(Overlay::Search(search));
    }

    /// Whether `key` shows or hides the query cheat sheet: a key of the
    /// help action, when it cannot be typed or nothing is typed yet (so
    /// `?` is still typed inside a query).
    fn toggles_guide(&self, search: &SearchBox, key: Key) -> bool {
        let help_key = self.config.keys.keys_for(Action::Help).contains(&key);
        help_key && (!key.is_text() || search.input.is_empty())
    }

    pub(super) fn apply_view(&mut self, position: usize) {
        let Some(view) = self.config.views.get(position) else {
            return;
        };
        let (name, text) = (view.name.clone(), view.query.clone());
        self.picked.clear();
        self.picked_query = Query::default();
        self.bookmarks_only = false;
        self.unread_only = false;
        match self.try_search(&text) {
            Ok(()) => self.say(format!("view: {name}"), false),
            Err(error) => self.say(format!("view {name}: {error}"), true),
        }
    }
}
