//! The popups, one file each: its state, its keys, its hints and its
//! drawing. `search.rs` (the query prompt), `help.rs` (the keys and the
//! query language), `tags.rs` (the tag picker), `views.rs` (saved views),
//! `feeds.rs` (the feeds view), `links.rs` (the article's
//! links), `edit.rs` (the own tags and note prompt). What they share:
//! `list.rs` (the list-popup widget: sizing, scrolling the selection into
//! view, the selected row, what is hidden above and below), `frame.rs` (a
//! centred framed box, the hint strings), `prompt.rs` (readline-style
//! text editing and the status line's prompt), `guide.rs` (the query
//! cheat sheet of help and search).
//!
//! Each popup's state implements [`Popup`], as gitui's popups implement
//! one component trait. The open popup is held as one [`Overlay`] enum
//! whose variants are the states themselves, rather than a
//! `Box<dyn Popup>`, for two reasons: the reader's tests read a popup's
//! state by matching (`Overlay::Tags(picker)` → `picker.filter`), and
//! the App, whose `on_event → Effect` is pure, must carry out what a popup
//! asks with its own private state (the search, the marks) that no popup
//! may hold. So a popup never sees the App: its keys return a [`Reply`]
//! (stay open or close, and a [`Request`] the App carries out), and its
//! drawing takes `&self` and a read-only [`Context`]. The enum is written
//! by the `popups!` table below, which also writes the dispatch to the
//! trait: adding a popup is one file here and one row in that table.
//!
//! Keys every popup treats alike are decided once, in `App::overlay_key`
//! (`tui/app/popups.rs`), before the popup sees the key: `quit` (`q`)
//! closes the popup, never the reader (newsboat's rule: `q` goes back one
//! level); `hard_quit` (`Q`, Ctrl-C) quits from any of them. In the popups
//! typed into (the search and edit prompts, the tag picker, help's
//! filter) letters are text, so there `q` and `Q` are typed and Ctrl-C
//! alone quits. What each popup's hints say comes from
//! [`Popup::bar_actions`] and [`Popup::box_actions`], which the hints are
//! drawn from and `tests/tui_keys.rs` checks key by key.

mod edit;
mod feeds;
pub(crate) mod frame;
mod guide;
mod help;
mod links;
pub(crate) mod list;
pub(crate) mod messages;
pub(crate) mod prompt;
mod search;
mod tags;
mod views;

use std::collections::BTreeSet;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::config::Config;
use crate::keys::{Action, Key, Mode};

pub use edit::{EditBox, EditKind};
pub use feeds::{ArticleCount, FeedAsk, FeedsPopup};
pub use help::HelpState;
pub use links::LinksPopup;
pub use messages::{LoggedMessage, MessagesPopup};
pub use search::SearchBox;
pub use tags::{PickedTerm, TagEntry, TagPicker};
pub use views::ViewPicker;

/// What a popup draws with: the settings (keys, theme, views), and where
/// the status line is (the search prompt's cheat sheet sits above it).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The reader's configuration.
    pub config: &'a Config,
    /// The status line, when the layout has one.
    pub status: Option<Rect>,
}

/// What a popup asks the App to do after a key: things that change the
/// App's own state (the search, the tag filter, the marks) or leave the
/// program (links, the fetch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Search for this text (or, when it does not parse, for nothing).
    Search(String),
    /// Filter by these tags and categories, all of them or any.
    Tags {
        /// What is picked.
        chosen: BTreeSet<PickedTerm>,
        /// Articles must carry all of them (else any).
        match_all: bool,
    },
    /// Apply the saved view at this position.
    View(usize),
    /// Fetch every feed.
    FetchFeeds,
    /// Show, fetch or mark read one feed (the feeds view).
    Feed(FeedAsk),
    /// Open this address (once checked).
    OpenUrl(String),
    /// Copy this address (once checked).
    CopyUrl(String),
    /// Play this address with the player (once checked).
    Play(String),
    /// Apply the own tags or note typed in the edit prompt.
    Edit(EditBox),
    /// Quit, as the quit key does while browsing.
    Quit,
}

/// A popup's answer to a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The popup closes.
    pub close: bool,
    /// What the App does then.
    pub request: Option<Request>,
}

impl Reply {
    /// The popup stays open and asks nothing.
    pub(crate) const STAY: Reply = Reply {
        close: false,
        request: None,
    };

    /// The popup closes and asks nothing.
    pub(crate) const CLOSE: Reply = Reply {
        close: true,
        request: None,
    };

    /// The popup stays open and asks for `request`.
    pub(crate) fn stay_and(request: Request) -> Reply {
        Reply {
            close: false,
            request: Some(request),
        }
    }

    /// The popup closes and asks for `request`.
    pub(crate) fn close_and(request: Request) -> Reply {
        Reply {
            close: true,
            request: Some(request),
        }
    }
}

/// The hint line under the status line while a popup is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BarHints {
    /// Keys and what they do, drawn as the browsing hints are.
    Keys(Vec<(String, &'static str)>),
    /// A line of its own, drawn dim (the prompts' hints).
    Text(String),
}

/// One popup: its mode of the key map, its keys, its hints and its
/// drawing.
pub trait Popup {
    /// The mode of the key map its keys are resolved in.
    fn mode(&self) -> Mode;

    /// A key: `action` is what the key map makes of `key` in [`Popup::mode`]
    /// (`None` when nothing: typing, for those that take text).
    fn key(&mut self, action: Option<Action>, key: Key, config: &Config) -> Reply;

    /// What the hint line under the status line names while it is open,
    /// each action with the word it says: by default how to close it
    /// (`back`, and `quit` where a letter is no text) and how to quit.
    fn bar_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        frame::CLOSING.to_vec()
    }

    /// What the hint row inside its box names, each action with the word
    /// it says (none by default).
    fn box_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        Vec::new()
    }

    /// The hint line while it is open: [`Popup::bar_actions`] with the
    /// keys that reach them here.
    fn bar_hints(&self, config: &Config) -> BarHints {
        BarHints::Keys(frame::keyed(config, self.mode(), &self.bar_actions(config)))
    }

    /// What the status line shows in place of the filter, for a popup typed
    /// into there (a prompt), in `room` columns.
    fn prompt(&self, _config: &Config, _room: usize) -> Option<Line<'static>> {
        None
    }

    /// Whether a message that comes while it is open waits until it
    /// closes (its prompt takes the message's place).
    fn holds_messages(&self) -> bool {
        false
    }

    /// Draws it over the frame's `area`.
    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context);
}

/// The table of popups: each variant of [`Overlay`] holds its popup's
/// state, which implements [`Popup`].
macro_rules! popups {
    ($($(#[$doc:meta])* $variant:ident($state:ty),)+) => {
        /// The open popup, which takes the keys while it is open.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Overlay {
            $($(#[$doc])* $variant($state),)+
        }

        impl Overlay {
            /// The name of every kind of popup, in the table's order: what
            /// a test that must reach each of them walks.
            pub const KINDS: &[&str] = &[$(stringify!($variant)),+];

            /// The name of this popup's kind, one of [`Overlay::KINDS`].
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Overlay::$variant(_) => stringify!($variant),)+
                }
            }

            /// The open popup, as its trait.
            pub fn popup(&self) -> &dyn Popup {
                match self {
                    $(Overlay::$variant(state) => state,)+
                }
            }

            /// The open popup, as its trait, to hand it a key.
            pub fn popup_mut(&mut self) -> &mut dyn Popup {
                match self {
                    $(Overlay::$variant(state) => state,)+
                }
            }
        }
    };
}

popups! {
    /// The search prompt (`/`).
    Search(SearchBox),
    /// The key help (`?`).
    Help(HelpState),
    /// The tag picker (`t`).
    Tags(TagPicker),
    /// The saved views picker (`v`).
    Views(ViewPicker),
    /// The feeds and their last fetch (`f`).
    Feeds(FeedsPopup),
    /// The article's links (`O`).
    Links(LinksPopup),
    /// The prompt for the person's own tags or a bookmark's note.
    Edit(EditBox),
    /// The message log (`M`): every message of the session, whole.
    Messages(MessagesPopup),
}
