//! The feeds view (`f`): one row per feed (name, unread and total
//! articles, how its last fetch went), and below them the selected feed's
//! address and its last error in full. A place to work from, as newsboat's
//! feed list is: `enter` shows the feed's articles in the list, `r`
//! fetches the selected feed, `A` marks its articles read (undoable with
//! the undo key), `F` fetches them all; `esc` or `q` go back to the list,
//! `Q` quits.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::frame::{hint_row, keyed};
use super::list::ListPopup;
use super::prompt::POPUP_PAGE;
use super::{Context, Popup, Reply, Request};
use crate::config::Config;
use crate::feeds::status::FeedStatus;
use crate::keys::{Action, Key, Mode};
use crate::tui::style::Highlights;
use crate::tui::view::parts::{dim_text, line_at};
use crate::tui::wrap::{truncate, wrap};

/// How many of a feed's articles the reader holds, and how many of those
/// are unread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArticleCount {
    /// Articles not marked read.
    pub unread: usize,
    /// Articles in the feed's folder.
    pub total: usize,
}

/// What the feeds view asks the App to do with the selected feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedAsk {
    /// Show the feed's articles in the list.
    Show(FeedStatus),
    /// Fetch this feed alone.
    Fetch(FeedStatus),
    /// Mark every article of the feed read.
    MarkRead(FeedStatus),
}

/// The view's keys and what each does there, as its hints say them; `esc`
/// and `q` both close it, back to the list (newsboat's rule: `q` goes
/// back one level), `Q` (`hard_quit`) quits.
const ACTIONS: &[(Action, &str)] = &[
    (Action::Open, "articles"),
    (Action::FetchFeed, "fetch"),
    (Action::MarkFeedRead, "mark read"),
    (Action::FetchFeeds, "fetch all"),
    (Action::Back, "close"),
    (Action::Quit, "close"),
    (Action::HardQuit, "quit"),
];

/// What the hint line under the status line says while the view is open:
/// how to leave (the view's box says the rest).
const LEAVING: &[(Action, &str)] = &[
    (Action::Back, "close"),
    (Action::Quit, "close"),
    (Action::HardQuit, "quit"),
];

/// The feeds view's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedsPopup {
    /// The feeds and their last fetch.
    pub rows: Vec<FeedStatus>,
    /// Each row's articles in the reader, in the order of `rows`.
    pub counts: Vec<ArticleCount>,
    /// The selected row.
    pub selected: usize,
}

/// The widest the view gets.
const WIDTH: u16 = 100;

/// Rows the selected feed's details take under the list: a blank, the
/// address, the error (two lines), the hints (two lines, so they are
/// whole on a narrow screen).
const DETAIL_ROWS: u16 = 6;

/// The column heading over the rows.
const HEADING_ROWS: u16 = 1;

impl FeedsPopup {
    /// The view over `rows` with their article `counts`, the selection on
    /// the row it was on in `open` (the view read again while it was
    /// shown), else on `select`, as far as the rows go.
    pub(crate) fn new(
        rows: Vec<FeedStatus>,
        counts: Vec<ArticleCount>,
        open: Option<&FeedsPopup>,
        select: usize,
    ) -> FeedsPopup {
        let last = rows.len().saturating_sub(1);
        let selected = open.map_or(select, |open| open.selected).min(last);
        FeedsPopup {
            rows,
            counts,
            selected,
        }
    }

    /// The selected feed.
    pub fn selected_feed(&self) -> Option<&FeedStatus> {
        self.rows.get(self.selected)
    }

    /// `3/12`: a row's unread and total articles.
    fn count_text(&self, index: usize) -> String {
        let count = self.counts.get(index).copied().unwrap_or_default();
        format!("{}/{}", count.unread, count.total)
    }

    /// One feed's row: its name in a column, its counts in another, then
    /// how its last fetch went.
    fn row(
        &self,
        index: usize,
        widths: (usize, usize),
        width: usize,
        config: &Config,
    ) -> Line<'static> {
        let theme = &config.theme;
        let (name_width, count_width) = widths;
        let Some(feed) = self.rows.get(index) else {
            return Line::default();
        };
        let name = truncate(&feed.name, name_width).into_owned();
        let pad = name_width.saturating_sub(name.width()) + 2;
        let count = self.count_text(index);
        let count_pad = count_width.saturating_sub(count.width());
        let status_style = if feed.failed() {
            Style::new().fg(theme.error)
        } else {
            Style::new().fg(theme.dim)
        };
        let unread = self.counts.get(index).is_some_and(|c| c.unread > 0);
        let name_style = if unread {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        let used = name_width + 2 + count_width + 2;
        let summary = truncate(&feed.summary(), width.saturating_sub(used)).into_owned();
        Line::from(vec![
            Span::styled(name, name_style),
            Span::raw(" ".repeat(pad + count_pad)),
            Span::styled(count, Style::new().fg(theme.accent)),
            Span::raw("  "),
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

/// The view's keys with the key that reaches each, for its hint row.
pub(crate) fn key_hints(config: &Config) -> Vec<(String, &'static str)> {
    keyed(config, Mode::Feeds, ACTIONS)
}

/// The hints packed into lines no wider than `width`, a hint never cut
/// between two lines.
fn hint_lines(hints: &[(String, &str)], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (key, label) in hints {
        let hint = format!("{key} {label}");
        let joined = if line.is_empty() {
            hint.clone()
        } else {
            format!("{line} · {hint}")
        };
        if joined.width() <= width || line.is_empty() {
            line = joined;
        } else {
            lines.push(std::mem::replace(&mut line, hint));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

impl Popup for FeedsPopup {
    fn mode(&self) -> Mode {
        Mode::Feeds
    }

    fn key(&mut self, action: Option<Action>, _key: Key, _config: &Config) -> Reply {
        let last = self.rows.len().saturating_sub(1);
        let selected = self.selected_feed().cloned();
        let ask = |make: fn(FeedStatus) -> FeedAsk| selected.map(|feed| Request::Feed(make(feed)));
        match action {
            // `q` goes back one level, as `esc` does: to the list.
            Some(Action::Back | Action::Quit | Action::Feeds) => return Reply::CLOSE,
            Some(Action::Open) => {
                return Reply {
                    close: true,
                    request: ask(FeedAsk::Show),
                };
            }
            Some(Action::FetchFeed) => {
                return Reply {
                    close: false,
                    request: ask(FeedAsk::Fetch),
                };
            }
            Some(Action::MarkFeedRead) => {
                return Reply {
                    close: false,
                    request: ask(FeedAsk::MarkRead),
                };
            }
            Some(Action::Down) => self.selected = (self.selected + 1).min(last),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::PageDown) => self.selected = (self.selected + POPUP_PAGE).min(last),
            Some(Action::PageUp) => self.selected = self.selected.saturating_sub(POPUP_PAGE),
            Some(Action::FetchFeeds) => return Reply::stay_and(Request::FetchFeeds),
            _ => {}
        }
        Reply::STAY
    }

    fn bar_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        LEAVING.to_vec()
    }

    fn box_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        ACTIONS.to_vec()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context) {
        let config = context.config;
        let theme = &config.theme;
        let shape = ListPopup {
            title: " Feeds ",
            width: WIDTH,
            max_height: u16::MAX,
            above: HEADING_ROWS,
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
            .max("feed".len())
            .min(width / 3);
        let count_width = (0..self.rows.len())
            .map(|index| self.count_text(index).width())
            .max()
            .unwrap_or(0)
            .max("unread/all".len());
        let dim = Style::new().fg(theme.dim);
        let heading = format!(
            "{:<name_width$}  {:>count_width$}  last fetch",
            "feed", "unread/all"
        );
        line_at(dim_text(&heading, inner.width, dim), inner, 0, buf);
        parts.draw_rows(
            self.rows.len(),
            self.selected,
            (theme.selected(), dim),
            buf,
            |index| self.row(index, (name_width, count_width), width, config),
        );
        if self.rows.get(self.selected).is_none() {
            return;
        }
        let details = inner.height.saturating_sub(DETAIL_ROWS);
        self.draw_details(inner, details, buf, config);
        let lines = hint_lines(&key_hints(config), width);
        // The last line on the last row, the one before it above.
        for (from_end, line) in lines.iter().rev().take(2).enumerate() {
            let row = Rect {
                height: inner.height.saturating_sub(from_end as u16),
                ..inner
            };
            hint_row(line, row, dim, buf);
        }
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
            dir: name.into(),
        }
    }

    fn view(names: &[&str]) -> FeedsPopup {
        let rows: Vec<FeedStatus> = names.iter().map(|name| feed(name)).collect();
        let counts = vec![ArticleCount::default(); rows.len()];
        FeedsPopup::new(rows, counts, None, 0)
    }

    #[test]
    fn read_again_the_selection_stays_within_the_feeds() {
        let mut open = view(&["a", "b", "c"]);
        open.selected = 2;
        let again = |names: &[&str], open: &FeedsPopup| {
            let rows: Vec<FeedStatus> = names.iter().map(|name| feed(name)).collect();
            FeedsPopup::new(rows, Vec::new(), Some(open), 0).selected
        };
        assert_eq!(again(&["a", "b", "c"], &open), 2);
        assert_eq!(again(&["a"], &open), 0);
        let config = Config::default();
        open.key(Some(Action::PageUp), Key::char('x'), &config);
        assert_eq!(open.selected, 0);
        assert_eq!(
            open.key(Some(Action::FetchFeeds), Key::char('F'), &config),
            Reply::stay_and(Request::FetchFeeds)
        );
    }

    #[test]
    fn the_keys_ask_for_the_selected_feed_and_q_goes_back() {
        let config = Config::default();
        let mut open = view(&["a", "b"]);
        open.selected = 1;
        assert_eq!(
            open.key(Some(Action::Open), Key::char('\r'), &config),
            Reply::close_and(Request::Feed(FeedAsk::Show(feed("b"))))
        );
        assert_eq!(
            open.key(Some(Action::FetchFeed), Key::char('r'), &config),
            Reply::stay_and(Request::Feed(FeedAsk::Fetch(feed("b"))))
        );
        assert_eq!(
            open.key(Some(Action::MarkFeedRead), Key::char('A'), &config),
            Reply::stay_and(Request::Feed(FeedAsk::MarkRead(feed("b"))))
        );
        assert_eq!(
            open.key(Some(Action::Quit), Key::char('q'), &config),
            Reply::CLOSE
        );
        // Nothing to act on: the keys ask nothing.
        let mut empty = view(&[]);
        assert_eq!(
            empty.key(Some(Action::FetchFeed), Key::char('r'), &config),
            Reply::STAY
        );
    }

    #[test]
    fn hints_name_every_key_and_wrap_whole() {
        let config = Config::default();
        let hints = key_hints(&config);
        let text: Vec<String> = hints.iter().map(|(k, l)| format!("{k} {l}")).collect();
        assert_eq!(
            text,
            [
                "enter articles",
                "r fetch",
                "A mark read",
                "F fetch all",
                "esc/q close",
                "Q quit"
            ]
        );
        let lines = hint_lines(&hints, 40);
        assert!(lines.len() == 2, "{lines:?}");
        assert!(lines.iter().all(|line| line.width() <= 40), "{lines:?}");
        assert_eq!(hint_lines(&hints, 200).len(), 1);
    }
}
