//! What the list shows: the order, the filters (search, picked tags,
//! bookmarks only, unread only) and the selection kept on its article as
//! the list changes.

use crate::library::query::{self, Query, QueryError};

use super::{App, Focus};
use crate::tui::popups::PickedTerm;

impl App {
    /// The query as shown in the status bar: picked tags, then the search.
    pub fn query_label(&self) -> String {
        let joiner = if self.match_all { " " } else { " or " };
        let picked: Vec<String> = self.picked.iter().map(PickedTerm::term).collect();
        let mut parts = Vec::new();
        if let Some(feed) = self.feeds.label() {
            parts.push(feed);
        }
        if !picked.is_empty() {
            let tags = picked.join(joiner);
            parts.push(if picked.len() > 1 && !self.match_all {
                format!("({tags})")
            } else {
                tags
            });
        }
        if !self.search_text.trim().is_empty() {
            parts.push(self.search_text.trim().to_string());
        }
        if self.bookmarks_only {
            parts.push("is:bookmarked".to_string());
        }
        if self.unread_only {
            parts.push("is:unread".to_string());
        }
        parts.join(" ")
    }

    /// Whether anything narrows the list: a search, picked tags, or only
    /// bookmarked or unread articles.
    pub fn filtered(&self) -> bool {
        !self.search.is_empty()
            || !self.picked.is_empty()
            || self.bookmarks_only
            || self.unread_only
            || self.feeds.shown.is_some()
    }

    /// Whether the list shows only bookmarked articles.
    pub fn bookmarks_only(&self) -> bool {
        self.bookmarks_only
    }

    pub(super) fn move_selection(&mut self, by: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        let target = self.selected.saturating_add_signed(by).min(last);
        self.select(target);
    }

    /// Selects the article at this row of the list (clamped to the list),
    /// as a click or a jump does, and keeps it on screen.
    pub fn select(&mut self, position: usize) {
        // A choice of the user's: the list being counted keeps to it.
        self.keep_after_count = None;
        let position = position.min(self.visible.len().saturating_sub(1));
        if position != self.selected {
            self.reader_scroll = 0;
        }
        self.selected = position;
        self.clamp_list();
    }

    /// Keeps the selection inside the list and on screen.
    pub(super) fn clamp_list(&mut self) {
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        let rows = self.list_rows().max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        let max_offset = self.visible.len().saturating_sub(rows);
        self.list_offset = self.list_offset.min(max_offset);
    }

    /// Recomputes the visible articles, keeping the selected one if it is
    /// still there.
    pub(super) fn refilter(&mut self) {
        let keep = self.selected_article().map(|a| a.id().to_string());
        self.refilter_keeping(keep.as_deref());
    }

    pub(super) fn refilter_keeping(&mut self, keep: Option<&str>) {
        let sorted = std::mem::take(&mut self.sorted);
        self.show_filtered(&sorted, keep);
        self.sorted = sorted;
    }

    /// Puts the selection back on `keep` (by id) when it is still shown.
    pub(super) fn place_selection(&mut self, keep: Option<&str>) {
        let position = keep.and_then(|id| self.shown_at(id));
        match position {
            Some(position) => {
                if position != self.selected {
                    self.selected = position;
                }
            }
            None => {
                self.reader_scroll = 0;
                if self.focus == Focus::Reader && self.visible.is_empty() {
                    self.focus = Focus::List;
                }
            }
        }
        self.clamp_list();
    }

    /// Where among the shown articles the one with this id is. Through
    /// the library's lookup by id when it is built; before that (the first
    /// seconds after a start from the cache, while the loader builds it),
    /// by comparing the shown articles' ids, so a keystroke never waits
    /// for the lookup of a million ids to be built.
    fn shown_at(&self, id: &str) -> Option<usize> {
        match self.library.position_if_ready(id) {
            Some(position) => {
                let position = position?;
                self.visible.iter().position(|&shown| shown == position)
            }
            None => self
                .visible
                .iter()
                .position(|&shown| self.library.get(shown).is_some_and(|row| row.id() == id)),
        }
    }

    pub(super) fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
        self.sorted = self.library.order(self.sort);
        self.refilter();
        self.say(format!("sorted {}", self.sort.label()), false);
    }

    pub(super) fn clear_filters(&mut self) {
        self.search_text.clear();
        self.search = Query::default();
        self.picked.clear();
        self.picked_query = Query::default();
        self.bookmarks_only = false;
        self.unread_only = false;
        self.feeds.shown = None;
        self.refilter();
    }

    /// Applies `text` as the search if it parses; on error the last good
    /// result stays.
    pub(super) fn try_search(&mut self, text: &str) -> Result<(), QueryError> {
        let parsed = query::parse(text)?;
        if parsed != self.search {
            // Typing on usually narrows the query: then only the articles
            // shown now can match, and only they are searched again (when
            // they are all there, not a first screen).
            let narrows = !self.search.is_empty() && !self.counting && parsed.narrows(&self.search);
            self.search = parsed;
            if narrows {
                let keep = self.selected_article().map(|a| a.id().to_string());
                let shown = std::mem::take(&mut self.visible);
                self.show_filtered(&shown, keep.as_deref());
            } else {
                self.refilter();
            }
        }
        self.search_text = text.to_string();
        Ok(())
    }

    pub(super) fn set_search(&mut self, text: &str) {
        if self.try_search(text).is_err() {
            self.search_text.clear();
            self.search = Query::default();
            self.refilter();
        }
    }

    pub(super) fn apply_picked(&mut self) {
        let joiner = if self.match_all { " " } else { " or " };
        let text: Vec<String> = self.picked.iter().map(PickedTerm::term).collect();
        match query::parse(&text.join(joiner)) {
            Ok(query) => self.picked_query = query,
            Err(error) => self.say(format!("tag filter: {error}"), true),
        }
        self.refilter();
    }
}
