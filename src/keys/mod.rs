//! Keys and what they do, shared by the configuration (which reads the
//! `[keys]` table) and the reader (which resolves key presses): [`Key`]
//! spellings, the [`Action`] table with its [`Mode`]s, and the [`Keymap`].
//! Nothing here knows of the terminal or the reader's state.

mod action;
mod key;
mod keymap;

pub use action::{Action, Mode, config_doc, readme_table};
pub use key::{KEY_FORMS, Key, KeyCode, KeyParseError, MAX_F_KEY, Modifiers};
pub use keymap::{KeyConflict, Keymap, is_editing_key};
