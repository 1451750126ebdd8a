//! The message log (`M`): every message the status line showed this
//! session, whole and wrapped, newest last, each with the time it came.
//! The status line cuts a long message at its width; here it can be read.
//! It opens at the newest; `down`/`up`, the page keys, `top` and `bottom`
//! scroll it; `back`, `quit` or the log's key close it.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::frame::{CLOSING, hint_row, hints, popup};
use super::prompt::POPUP_PAGE;
use super::{Context, Popup, Reply};
use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::tui::view::parts::{dim_text, line_at};
use crate::tui::wrap::wrap;

/// Messages the log keeps: the oldest go first past this, so a long
/// session's log stays small.
pub(crate) const LOG_LIMIT: usize = 1000;

/// One message of the session, as the status line showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedMessage {
    /// When it came, as the clock shows it (`14:05:09`).
    pub time: String,
    /// What it said, whole.
    pub text: String,
    /// Whether it was an error.
    pub error: bool,
}

/// The message log's state: the messages, and how far from the newest it
/// is scrolled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessagesPopup {
    /// The messages, oldest first.
    pub messages: Vec<LoggedMessage>,
    /// Lines scrolled up from the newest (0: the newest line is the last
    /// one shown).
    pub from_end: usize,
    /// The most `from_end` can be, as last drawn (the oldest line at the
    /// top): scrolling stops there.
    most: Cell<usize>,
}

/// The widest the log gets.
const MAX_WIDTH: u16 = 140;

impl MessagesPopup {
    /// The log over `messages`, at the newest.
    pub(crate) fn new(messages: Vec<LoggedMessage>) -> MessagesPopup {
        MessagesPopup {
            messages,
            from_end: 0,
            most: Cell::new(usize::MAX),
        }
    }

    /// A message that came while the log is open: it shows at once, and
    /// the view stays where it was read.
    pub(crate) fn push(&mut self, message: LoggedMessage) {
        self.messages.push(message);
        if self.messages.len() > LOG_LIMIT {
            self.messages.remove(0);
        }
    }

    /// Scrolls by `lines` (negative: up, to older ones).
    fn scroll(&mut self, lines: isize) {
        let most = self.most.get();
        self.from_end = self
            .from_end
            .min(most)
            .saturating_add_signed(-lines)
            .min(most);
    }

    /// Every message as lines of `width` columns: its time, then its text
    /// wrapped under it when it does not fit beside it.
    fn lines(&self, config: &Config, width: usize) -> Vec<Line<'static>> {
        let theme = &config.theme;
        let dim = Style::new().fg(theme.dim);
        let mut out = Vec::new();
        for message in &self.messages {
            let style = if message.error {
                Style::new().fg(theme.error).add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            let time = format!("{} ", message.time);
            let indent = time.width();
            let text_width = width.saturating_sub(indent).max(1);
            for (at, range) in wrap(&message.text, text_width).into_iter().enumerate() {
                let lead = if at == 0 {
                    time.clone()
                } else {
                    " ".repeat(indent)
                };
                out.push(Line::from(vec![
                    Span::styled(lead, dim),
                    Span::styled(message.text[range].to_string(), style),
                ]));
            }
        }
        out
    }
}

impl Popup for MessagesPopup {
    fn mode(&self) -> Mode {
        Mode::Messages
    }

    fn key(&mut self, action: Option<Action>, _key: Key, _config: &Config) -> Reply {
        let page = POPUP_PAGE as isize;
        match action {
            Some(Action::Back | Action::Messages) => return Reply::CLOSE,
            Some(Action::Down) => self.scroll(1),
            Some(Action::Up) => self.scroll(-1),
            Some(Action::PageDown) => self.scroll(page),
            Some(Action::PageUp) => self.scroll(-page),
            Some(Action::Top) => self.from_end = self.most.get(),
            Some(Action::Bottom) => self.from_end = 0,
            _ => {}
        }
        Reply::STAY
    }

    fn box_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        let mut actions = vec![(Action::Down, "scroll"), (Action::Up, "scroll")];
        actions.extend_from_slice(CLOSING);
        actions
    }

    /// Draws the lines that fit, newest at the bottom, and the hint line
    /// (with how many lines are out of view).
    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context) {
        let config = context.config;
        let theme = &config.theme;
        let title = format!(" Messages · {} ", self.messages.len());
        let title = Line::styled(title, Style::new().add_modifier(Modifier::BOLD));
        let width = area
            .width
            .saturating_sub(4)
            .min(MAX_WIDTH)
            .max(area.width.min(20));
        let inner_width = usize::from(width.saturating_sub(2));
        let lines = self.lines(config, inner_width);
        // The lines, the hint line, and the border.
        let wanted = u16::try_from(lines.len().max(1) + 3).unwrap_or(u16::MAX);
        let height = wanted.min(area.height.saturating_sub(2).max(area.height.min(5)));
        let border = Style::new().fg(theme.border);
        let inner = popup(area, width, height, title, border, buf);
        if inner.is_empty() {
            return;
        }
        let dim = Style::new().fg(theme.dim);
        let visible = usize::from(inner.height.saturating_sub(1));
        let most = lines.len().saturating_sub(visible);
        self.most.set(most);
        let from_end = self.from_end.min(most);
        let first = most - from_end;
        if lines.is_empty() && visible > 0 {
            let none = "no messages yet this session";
            line_at(dim_text(none, inner.width, dim), inner, 0, buf);
        }
        for (row, line) in lines.into_iter().skip(first).take(visible).enumerate() {
            line_at(line, inner, row as u16, buf);
        }
        let mut hint = hints(config, Mode::Messages, &self.box_actions(config));
        match (first, from_end) {
            (0, 0) => {}
            (0, below) => hint = format!("↓ {below} more · {hint}"),
            (above, 0) => hint = format!("↑ {above} more · {hint}"),
            (above, below) => hint = format!("↑ {above} ↓ {below} more · {hint}"),
        }
        hint_row(&hint, inner, dim, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> LoggedMessage {
        LoggedMessage {
            time: "12:00:00".into(),
            text: text.into(),
            error: false,
        }
    }

    #[test]
    fn a_long_message_is_wrapped_whole_under_its_time() {
        let config = Config::default();
        let log = MessagesPopup::new(vec![said(&"word ".repeat(30))]);
        let lines = log.lines(&config, 40);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert!(text.len() > 3, "{text:?}");
        assert!(text[0].starts_with("12:00:00 word"));
        assert!(text[1].starts_with("         word"));
        let words: usize = text.iter().map(|l| l.matches("word").count()).sum();
        assert_eq!(words, 30, "no word is lost");
    }

    #[test]
    fn the_log_keeps_the_newest_thousand() {
        let mut log = MessagesPopup::new(Vec::new());
        for n in 0..LOG_LIMIT + 5 {
            log.push(said(&n.to_string()));
        }
        assert_eq!(log.messages.len(), LOG_LIMIT);
        assert_eq!(log.messages[0].text, "5");
    }
}
