//! The edit prompt (`+`, `e`) for the person's own tags or a bookmark's
//! note, typed in the status line: `open` applies it (the App changes the
//! marks), `back` leaves them as they were.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::prompt::{edit_text, prompt, prompt_hints};
use super::{BarHints, Context, Popup, Reply, Request};
use crate::config::Config;
use crate::keys::{Action, Key, Mode};

/// What the edit prompt edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// The person's own tags: `tag, other, -removed`.
    Tags,
    /// The note of the article's bookmark.
    Note,
}

/// The edit prompt for tags or a note, on these articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditBox {
    /// What is edited.
    pub kind: EditKind,
    /// What has been typed.
    pub input: String,
    /// The ids of the articles it applies to.
    pub ids: Vec<String>,
}

impl EditBox {
    /// The prompt's label, before the input.
    pub fn label(&self) -> String {
        let whom = match self.ids.len() {
            1 => String::new(),
            n => format!(" of {n} articles"),
        };
        match self.kind {
            EditKind::Tags => format!("tags{whom} (a, b, -c): "),
            EditKind::Note => "note: ".to_string(),
        }
    }
}

impl Popup for EditBox {
    /// Typed like the search prompt, so its keys are the prompt's.
    fn mode(&self) -> Mode {
        Mode::Search
    }

    fn key(&mut self, action: Option<Action>, key: Key, _config: &Config) -> Reply {
        match action {
            Some(Action::Back) => Reply::CLOSE,
            Some(Action::Open) => Reply::close_and(Request::Edit(self.clone())),
            _ => {
                edit_text(&mut self.input, key);
                Reply::STAY
            }
        }
    }

    /// The keys that apply and cancel it.
    fn bar_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        vec![(Action::Open, "apply"), (Action::Back, "cancel")]
    }

    fn bar_hints(&self, config: &Config) -> BarHints {
        BarHints::Text(prompt_hints(config, &self.bar_actions(config), None))
    }

    fn prompt(&self, config: &Config, room: usize) -> Option<Line<'static>> {
        let label = format!(" {}", self.label());
        Some(Line::from(prompt(config, &label, &self.input, room)))
    }

    /// Nothing over the panes: the prompt is in the status line.
    fn draw(&self, _area: Rect, _buf: &mut Buffer, _context: &Context) {}
}
