//! The tag picker (`t`): every tag and category with its count; typing
//! narrows, `pick` toggles, `match_mode` switches any/all, `open` applies,
//! `back` cancels.

use std::collections::BTreeSet;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::frame::{hint_row, hints};
use super::list::ListPopup;
use super::prompt::{POPUP_PAGE, edit_text};
use super::{Context, Popup, Reply, Request};
use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::library::TermCount;
use crate::tui::style::Highlights;
use crate::tui::view::parts::line_at;
use crate::tui::wrap::truncate;

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

/// One row of the tag picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagEntry {
    /// The tag or category.
    pub term: PickedTerm,
    /// Articles that carry it.
    pub count: usize,
}

/// The tag picker's state.
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

/// The widest the picker gets.
const WIDTH: u16 = 60;

/// The tallest the picker gets: long tag lists scroll.
const MAX_HEIGHT: u16 = 24;

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

    /// One entry's row: `[x] name  count`, in `width` columns.
    fn row(&self, entry: &TagEntry, width: usize, config: &Config) -> Line<'static> {
        let theme = &config.theme;
        let picked = self.chosen.contains(&entry.term);
        let check = if picked { "[x] " } else { "[ ] " };
        let kind = if entry.term.category { "cat " } else { "" };
        let count = format!(" {}", entry.count);
        let name_room = width.saturating_sub(check.len() + kind.len() + count.len());
        let name = truncate(&entry.term.name, name_room).into_owned();
        let pad = name_room.saturating_sub(name.width());
        Line::from(vec![
            Span::styled(check, Style::new().fg(theme.accent)),
            Span::styled(kind, Style::new().fg(theme.dim)),
            Span::styled(name, Style::new().fg(theme.tag)),
            Span::raw(" ".repeat(pad)),
            Span::styled(count, Style::new().fg(theme.dim)),
        ])
    }
}

impl Popup for TagPicker {
    fn mode(&self) -> Mode {
        Mode::Tags
    }

    fn key(&mut self, action: Option<Action>, key: Key, _config: &Config) -> Reply {
        let page = POPUP_PAGE as isize;
        match action {
            Some(Action::Back) => return Reply::CLOSE,
            Some(Action::Open) => {
                return Reply::close_and(Request::Tags {
                    chosen: std::mem::take(&mut self.chosen),
                    match_all: self.match_all,
                });
            }
            Some(Action::Down) => self.move_by(1),
            Some(Action::Up) => self.move_by(-1),
            Some(Action::PageDown) => self.move_by(page),
            Some(Action::PageUp) => self.move_by(-page),
            Some(Action::Pick) => self.toggle_selected(),
            Some(Action::MatchMode) => self.switch_match_mode(),
            _ => self.edit(key),
        }
        Reply::STAY
    }

    /// Draws the filter line, the `[x] name  count` rows, a blank and the
    /// hint line. The box keeps its height as the filter narrows.
    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context) {
        let config = context.config;
        let theme = &config.theme;
        let mode = if self.match_all { "all" } else { "any" };
        let title = format!(" Tags · match {mode} · {} picked ", self.chosen.len());
        let shape = ListPopup {
            title: &title,
            width: WIDTH,
            max_height: MAX_HEIGHT,
            above: 1,
            below: 2,
        };
        let parts = shape.frame(area, self.entries.len(), Style::new().fg(theme.border), buf);
        let inner = parts.inner;
        if inner.is_empty() {
            return;
        }
        line_at(
            Line::from(vec![
                Span::styled("filter: ", Style::new().fg(theme.dim)),
                Span::raw(self.filter.clone()),
                Span::styled("▏", Style::new().fg(theme.accent)),
            ]),
            inner,
            0,
            buf,
        );
        let shown = self.shown();
        let dim = Style::new().fg(theme.dim);
        if shown.is_empty() {
            line_at(Line::styled("no tag matches", dim), parts.rows, 0, buf);
        }
        let width = usize::from(inner.width);
        parts.draw_rows(
            shown.len(),
            self.selected,
            (theme.selected(), dim),
            buf,
            |entry| self.row(shown[entry], width, config),
        );
        let hint_line = hints(config, Mode::Tags, &self.box_actions(config));
        hint_row(&hint_line, inner, dim, buf);
    }

    fn box_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        vec![
            (Action::Pick, "pick"),
            (Action::MatchMode, "any/all"),
            (Action::Open, "apply"),
            (Action::Back, "cancel"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn open_hands_the_picked_terms_to_the_reader_and_back_drops_them() {
        let config = Config::default();
        let mut picker = picker();
        picker.toggle_selected();
        let mut cancelled = picker.clone();
        assert_eq!(
            cancelled.key(Some(Action::Back), Key::char('x'), &config),
            Reply::CLOSE
        );
        let reply = picker.key(Some(Action::Open), Key::char('x'), &config);
        let Some(Request::Tags { chosen, match_all }) = reply.request else {
            panic!("open asks for the tags: {reply:?}");
        };
        assert!(reply.close && !match_all);
        assert_eq!(chosen.len(), 1);
    }
}
