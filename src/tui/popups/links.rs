//! The links popup (`O`): the article's own address and its numbered
//! links, each whole on its row as far as the popup is wide, the selected
//! one shown whole below (wrapped at the popup's edge only, so nothing is
//! inserted into it). A digit opens that link; `open_link` or `open` the
//! selected one, `copy_link` copies it, `play_enclosure` plays it (the
//! article's enclosures are listed last, as `▶ 1`, `▶ 2`…). The addresses
//! are checked by the App, which carries out the opening.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::frame::{hint_row, hints};
use super::list::ListPopup;
use super::prompt::digit_of;
use super::{Context, Popup, Reply, Request};
use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::tui::style::Highlights;
use crate::tui::view::parts::line_at;
use crate::tui::wrap::{truncate, wrap};

/// The links popup's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinksPopup {
    /// The links, each with its label (`article`, `1`, `2`…).
    pub links: Vec<(String, String)>,
    /// The selected row.
    pub selected: usize,
}

/// The widest the popup gets.
const WIDTH: u16 = 100;

/// Rows under the list: a blank, the selected address (up to three rows),
/// the hints.
const DETAIL_ROWS: u16 = 5;

impl LinksPopup {
    /// The popup over `links`, the first selected.
    pub(crate) fn new(links: Vec<(String, String)>) -> LinksPopup {
        LinksPopup { links, selected: 0 }
    }

    /// The row a digit key picks (`1` is the first numbered link), if any.
    fn digit(&self, key: Key) -> Option<usize> {
        let label = digit_of(key)?.to_string();
        self.links.iter().position(|(l, _)| *l == label)
    }

    /// The selected link's address.
    fn selected_url(&self) -> Option<String> {
        self.links.get(self.selected).map(|(_, url)| url.clone())
    }
}

impl Popup for LinksPopup {
    fn mode(&self) -> Mode {
        Mode::Links
    }

    fn key(&mut self, action: Option<Action>, key: Key, _config: &Config) -> Reply {
        if let Some(url) = self.digit(key).and_then(|row| self.links.get(row)) {
            return Reply::close_and(Request::OpenUrl(url.1.clone()));
        }
        let last = self.links.len().saturating_sub(1);
        match action {
            Some(Action::Back | Action::ShowLinks) => return Reply::CLOSE,
            Some(Action::Open | Action::OpenLink) => {
                return Reply {
                    close: true,
                    request: self.selected_url().map(Request::OpenUrl),
                };
            }
            Some(Action::CopyLink) => {
                return Reply {
                    close: true,
                    request: self.selected_url().map(Request::CopyUrl),
                };
            }
            Some(Action::PlayEnclosure) => {
                return Reply {
                    close: true,
                    request: self.selected_url().map(Request::Play),
                };
            }
            Some(Action::Down) => self.selected = (self.selected + 1).min(last),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            _ => {}
        }
        Reply::STAY
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context) {
        let config = context.config;
        let theme = &config.theme;
        let shape = ListPopup {
            title: " Links ",
            width: WIDTH,
            max_height: u16::MAX,
            above: 0,
            below: DETAIL_ROWS,
        };
        let parts = shape.frame(area, self.links.len(), Style::new().fg(theme.border), buf);
        let inner = parts.inner;
        let width = usize::from(inner.width);
        let dim = Style::new().fg(theme.dim);
        parts.draw_rows(
            self.links.len(),
            self.selected,
            (theme.selected(), dim),
            buf,
            |index| {
                let (label, url) = &self.links[index];
                let label = format!("{label:>7} ");
                let url = truncate(url, width.saturating_sub(label.len())).into_owned();
                Line::from(vec![
                    Span::styled(label, Style::new().fg(theme.accent)),
                    Span::raw(url),
                ])
            },
        );
        let details = inner.height.saturating_sub(DETAIL_ROWS) + 1;
        if let Some((_, url)) = self.links.get(self.selected) {
            // The whole address, cut only where the popup ends, for reading
            // and copying by hand.
            for (row, range) in wrap(url, width).into_iter().take(3).enumerate() {
                line_at(Line::raw(&url[range]), inner, details + row as u16, buf);
            }
        }
        let shown = self.box_actions(config);
        let hint_line = format!("{} · 1-9 open link N", hints(config, Mode::Links, &shown));
        hint_row(&hint_line, inner, dim, buf);
    }

    fn box_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        let mut shown = vec![(Action::OpenLink, "open"), (Action::CopyLink, "copy")];
        // Enclosures are labelled `▶ n`: then playing is worth a hint.
        if self.links.iter().any(|(label, _)| label.starts_with('▶')) {
            shown.push((Action::PlayEnclosure, "play"));
        }
        shown.extend([(Action::Back, "close"), (Action::Quit, "close")]);
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digit_opens_its_numbered_link_and_copy_closes_with_the_selected_one() {
        let config = Config::default();
        let links = vec![
            ("article".to_string(), "https://a.example".to_string()),
            ("1".to_string(), "https://one.example".to_string()),
        ];
        let mut popup = LinksPopup::new(links);
        assert_eq!(
            popup.key(None, Key::char('1'), &config),
            Reply::close_and(Request::OpenUrl("https://one.example".into()))
        );
        assert_eq!(popup.key(None, Key::char('2'), &config), Reply::STAY);
        popup.key(Some(Action::Down), Key::char('j'), &config);
        assert_eq!(
            popup.key(Some(Action::CopyLink), Key::char('y'), &config),
            Reply::close_and(Request::CopyUrl("https://one.example".into()))
        );
    }
}
