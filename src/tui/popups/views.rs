//! The saved views picker (`v`): the `[views]` of the config, a digit or
//! `open` applies one.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::frame::{hint_row, hints};
use super::list::ListPopup;
use super::prompt::digit_of;
use super::{Context, Popup, Reply, Request};
use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::tui::style::Highlights;
use crate::tui::wrap::truncate;

/// The views picker's state: the views are the config's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewPicker {
    /// Position of the cursor.
    pub selected: usize,
}

/// The widest the picker gets.
const WIDTH: u16 = 70;

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

impl Popup for ViewPicker {
    fn mode(&self) -> Mode {
        Mode::Views
    }

    fn key(&mut self, action: Option<Action>, key: Key, config: &Config) -> Reply {
        let count = config.views.len();
        match (action, self.digit(key, count)) {
            (_, Some(position)) => Reply::close_and(Request::View(position)),
            (Some(Action::Open), _) => Reply::close_and(Request::View(self.selected)),
            (Some(Action::Back), _) => Reply::CLOSE,
            (Some(Action::Down), _) => {
                self.move_by(1, count);
                Reply::STAY
            }
            (Some(Action::Up), _) => {
                self.move_by(-1, count);
                Reply::STAY
            }
            _ => Reply::STAY,
        }
    }

    /// Draws `1 name  query` rows, then the hint line.
    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context) {
        let config = context.config;
        let theme = &config.theme;
        let views = &config.views;
        let shape = ListPopup {
            title: " Saved views ",
            width: WIDTH,
            max_height: u16::MAX,
            above: 0,
            below: 1,
        };
        let parts = shape.frame(area, views.len(), Style::new().fg(theme.border), buf);
        let inner = parts.inner;
        let width = usize::from(inner.width);
        // Names in one column, so the queries line up.
        let name_width = views
            .iter()
            .map(|v| v.name.width())
            .max()
            .unwrap_or(0)
            .min(width / 3);
        let dim = Style::new().fg(theme.dim);
        parts.draw_rows(
            views.len(),
            self.selected,
            (theme.selected(), dim),
            buf,
            |number| {
                let view = &views[number];
                let label = if number < 9 {
                    format!("{} ", number + 1)
                } else {
                    "  ".to_string()
                };
                let name = truncate(&view.name, name_width).into_owned();
                let pad = name_width.saturating_sub(name.width());
                let used = label.len() + name_width + 2;
                let query = truncate(&view.query, width.saturating_sub(used)).into_owned();
                Line::from(vec![
                    Span::styled(label, Style::new().fg(theme.accent)),
                    Span::styled(name, Style::new().add_modifier(Modifier::BOLD)),
                    Span::raw(" ".repeat(pad + 2)),
                    Span::styled(query, dim),
                ])
            },
        );
        let hint_line = hints(config, Mode::Views, &self.box_actions(config));
        hint_row(&hint_line, inner, dim, buf);
    }

    fn box_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        vec![
            (Action::Open, "apply"),
            (Action::Back, "cancel"),
            (Action::Quit, "cancel"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(spelling: &str) -> Key {
        spelling.parse().unwrap()
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
}
