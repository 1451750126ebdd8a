//! The feeds popup (`f`): one row per feed (name, how its last fetch
//! went), and below them the selected feed's address and its last error in
//! full; `fetch_feeds` fetches them all with the popup open.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::frame::{hint_row, hints};
use super::list::ListPopup;
use super::prompt::POPUP_PAGE;
use super::{Context, Popup, Reply, Request};
use crate::config::Config;
use crate::feeds::status::FeedStatus;
use crate::keys::{Action, Key, Mode};
use crate::tui::style::Highlights;
use crate::tui::view::parts::{dim_text, line_at};
use crate::tui::wrap::{truncate, wrap};

/// The feeds popup's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedsPopup {
    /// The feeds and their last fetch.
    pub rows: Vec<FeedStatus>,
    /// The selected row.
    pub selected: usize,
}

/// The widest the popup gets.
const WIDTH: u16 = 90;

/// Rows the selected feed's details take under the list: a blank, the
/// address, the error (two lines), the hints.
const DETAIL_ROWS: u16 = 5;

impl FeedsPopup {
    /// The popup over `rows`, read again while `open` was shown: the
    /// selection stays where it was, as far as the rows go.
    pub(crate) fn new(rows: Vec<FeedStatus>, open: Option<&FeedsPopup>) -> FeedsPopup {
        let last = rows.len().saturating_sub(1);
        let selected = open.map_or(0, |open| open.selected.min(last));
        FeedsPopup { rows, selected }
    }

    /// One feed's row: its name in a column, then how its last fetch went.
    fn row(
        &self,
        feed: &FeedStatus,
        name_width: usize,
        width: usize,
        config: &Config,
    ) -> Line<'static> {
        let theme = &config.theme;
        let name = truncate(&feed.name, name_width).into_owned();
        let pad = name_width.saturating_sub(name.width()) + 2;
        let status_style = if feed.failed() {
            Style::new().fg(theme.error)
        } else {
            Style::new().fg(theme.dim)
        };
        let summary = truncate(&feed.summary(), width.saturating_sub(name_width + 2)).into_owned();
        Line::from(vec![
            Span::styled(name, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" ".repeat(pad)),
            Span::styled(summary, status_style),
        ])
    }

    /// The selected feed's address and, when it has one, its problem (two
    /// lines of it: errors name an address and say what to do), from row
    /// `top` of `inner`.
    fn draw_details(&self, inner: Rect, top: u16, buf: &mut Buffer, config: &Config) {
        let Some(selected) = self.rows.get(self.selected) else {
            return;
        };
        let theme = &config.theme;
        let dim = Style::new().fg(theme.dim);
        line_at(
            dim_text(&selected.url, inner.width, dim),
            inner,
            top + 1,
            buf,
        );
        let problem = match (&selected.last_error, &selected.moved_to) {
            (Some(error), _) => {
                Some((format!("last error: {error}"), Style::new().fg(theme.error)))
            }
            (None, Some(moved)) => Some((
                crate::feeds::moved::advice(moved, &config.library.feeds),
                dim,
            )),
            (None, None) => None,
        };
        let Some((text, style)) = problem else {
            return;
        };
        let lines = wrap(&text, usize::from(inner.width));
        if let Some(first) = lines.first() {
            line_at(
                Line::styled(&text[first.clone()], style),
                inner,
                top + 2,
                buf,
            );
        }
        if let Some(second) = lines.get(1) {
            let rest = &text[second.start..];
            line_at(dim_text(rest, inner.width, style), inner, top + 3, buf);
        }
    }
}

impl Popup for FeedsPopup {
    fn mode(&self) -> Mode {
        Mode::Feeds
    }

    fn key(&mut self, action: Option<Action>, _key: Key, _config: &Config) -> Reply {
        let last = self.rows.len().saturating_sub(1);
        match action {
            Some(Action::Back | Action::Open | Action::Feeds) => return Reply::CLOSE,
            Some(Action::Down) => self.selected = (self.selected + 1).min(last),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::PageDown) => self.selected = (self.selected + POPUP_PAGE).min(last),
            Some(Action::PageUp) => self.selected = self.selected.saturating_sub(POPUP_PAGE),
            Some(Action::FetchFeeds) => return Reply::stay_and(Request::FetchFeeds),
            Some(Action::Quit) => return Reply::close_and(Request::Quit),
            _ => {}
        }
        Reply::STAY
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context) {
        let config = context.config;
        let theme = &config.theme;
        let shape = ListPopup {
            title: " Feeds ",
            width: WIDTH,
            max_height: u16::MAX,
            above: 0,
            below: DETAIL_ROWS,
        };
        let parts = shape.frame(area, self.rows.len(), Style::new().fg(theme.border), buf);
        let inner = parts.inner;
        let width = usize::from(inner.width);
        let name_width = self
            .rows
            .iter()
            .map(|row| row.name.width())
            .max()
            .unwrap_or(0)
            .min(width / 3);
        let dim = Style::new().fg(theme.dim);
        parts.draw_rows(
            self.rows.len(),
            self.selected,
            (theme.selected(), dim),
            buf,
            |index| self.row(&self.rows[index], name_width, width, config),
        );
        if self.rows.get(self.selected).is_none() {
            return;
        }
        let details = inner.height.saturating_sub(DETAIL_ROWS);
        self.draw_details(inner, details, buf, config);
        let hint_line = hints(
            config,
            Mode::Feeds,
            &[
                (Action::FetchFeeds, "fetch all"),
                (Action::Down, "next"),
                (Action::Back, "close"),
            ],
        );
        hint_row(&hint_line, inner, dim, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(name: &str) -> FeedStatus {
        FeedStatus {
            name: name.into(),
            url: format!("https://{name}.example/feed"),
            tags: Vec::new(),
            full_text: false,
            folder: None,
            last_fetch: None,
            status: "ok".into(),
            items: 1,
            last_new: 0,
            last_updated: 0,
            last_error: None,
            moved_to: None,
        }
    }

    #[test]
    fn read_again_the_selection_stays_within_the_feeds() {
        let open = FeedsPopup::new(vec![feed("a"), feed("b"), feed("c")], None);
        let mut open = FeedsPopup {
            selected: 2,
            ..open
        };
        assert_eq!(
            FeedsPopup::new(vec![feed("a"), feed("b"), feed("c")], Some(&open)).selected,
            2
        );
        assert_eq!(FeedsPopup::new(vec![feed("a")], Some(&open)).selected, 0);
        let config = Config::default();
        open.key(Some(Action::PageUp), Key::char('x'), &config);
        assert_eq!(open.selected, 0);
        assert_eq!(
            open.key(Some(Action::FetchFeeds), Key::char('F'), &config),
            Reply::stay_and(Request::FetchFeeds)
        );
    }
}
