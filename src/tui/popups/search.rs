//! The search prompt (`/`), typed in the status line: the query is
//! applied as it is typed (the App searches), `back` restores the query
//! from before the prompt, `open` keeps a valid one (an invalid one keeps
//! the prompt open). The help key on an empty prompt shows the query cheat
//! sheet above the status line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::prompt::{edit_text, prompt, prompt_hints};
use super::{BarHints, Context, Popup, Reply, Request, guide};
use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::library::query::{self, QueryError};
use crate::tui::wrap::truncate;

/// The search prompt's state.
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

impl SearchBox {
    /// The prompt over the query the list shows now.
    pub(crate) fn new(current: &str) -> SearchBox {
        SearchBox {
            input: current.to_string(),
            previous: current.to_string(),
            error: None,
            guide: false,
        }
    }

    /// Whether `key` shows or hides the query cheat sheet: a key of the
    /// help action, when it cannot be typed or nothing is typed yet (so
    /// `?` is still typed inside a query).
    fn toggles_guide(&self, key: Key, config: &Config) -> bool {
        let help_key = config.keys.keys_for(Action::Help).contains(&key);
        help_key && (!key.is_text() || self.input.is_empty())
    }
}

impl Popup for SearchBox {
    fn mode(&self) -> Mode {
        Mode::Search
    }

    fn key(&mut self, action: Option<Action>, key: Key, config: &Config) -> Reply {
        if self.toggles_guide(key, config) {
            self.guide = !self.guide;
            return Reply::STAY;
        }
        match action {
            Some(Action::Back) => return Reply::close_and(Request::Search(self.previous.clone())),
            Some(Action::Open) if self.error.is_none() => return Reply::CLOSE,
            Some(_) => {}
            None => {
                edit_text(&mut self.input, key);
            }
        }
        // A query that does not parse leaves the last good result shown.
        self.error = query::parse(&self.input).err();
        match self.error {
            None => Reply::stay_and(Request::Search(self.input.clone())),
            Some(_) => Reply::STAY,
        }
    }

    /// The keys that keep and restore the query, the key that shows or
    /// hides the query cheat sheet while it can (nothing typed yet, or a
    /// key that types nothing), and the fixed key that clears the query.
    fn bar_hints(&self, config: &Config) -> BarHints {
        let guide_key = config
            .keys
            .keys_for(Action::Help)
            .iter()
            .find(|key| !key.is_text() || self.input.is_empty());
        let guide = guide_key.map(|key| {
            let label = if self.guide {
                "hide queries"
            } else {
                "queries"
            };
            format!("{key} {label}")
        });
        BarHints::Text(prompt_hints(config, &self.bar_actions(config), guide))
    }

    /// Enter keeps the query, Esc brings back the one from before.
    fn bar_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        vec![(Action::Open, "keep"), (Action::Back, "restore")]
    }

    /// `/query▏` and, when it does not parse, why.
    fn prompt(&self, config: &Config, room: usize) -> Option<Line<'static>> {
        let mut spans = prompt(config, "/", &self.input, room);
        if let Some(error) = &self.error {
            let used: usize = spans.iter().map(|s| s.content.width()).sum();
            let text = format!("  {error}");
            spans.push(Span::styled(
                truncate(&text, room.saturating_sub(used)).into_owned(),
                Style::new().fg(config.theme.error),
            ));
        }
        Some(Line::from(spans))
    }

    /// The prompt takes the message's place: one that comes meanwhile
    /// waits until the prompt closes.
    fn holds_messages(&self) -> bool {
        true
    }

    /// The query cheat sheet above the status line, when shown.
    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context) {
        if let (true, Some(status)) = (self.guide, context.status) {
            guide::draw_under_prompt(context.config, status, area, buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_asks_for_each_query_that_parses_and_back_for_the_old_one() {
        let config = Config::default();
        let mut search = SearchBox::new("old");
        search.key(None, Key::ctrl('u'), &config);
        assert_eq!(
            search.key(None, Key::char('a'), &config),
            Reply::stay_and(Request::Search("a".into()))
        );
        assert_eq!(search.key(None, Key::char('('), &config), Reply::STAY);
        assert!(search.error.is_some(), "an unclosed bracket is an error");
        assert_eq!(
            search.key(Some(Action::Open), Key::char('x'), &config),
            Reply::STAY,
            "an invalid query keeps the prompt open"
        );
        assert_eq!(
            search.key(Some(Action::Back), Key::char('x'), &config),
            Reply::close_and(Request::Search("old".into()))
        );
    }
}
