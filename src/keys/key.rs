//! [`Key`]: a key with its modifiers in one normal form, parsed from the
//! config file's spellings and written back the same way for help and hints.
//! Turning a terminal's key events into keys is the reader's business
//! (`tui::input`), so this module knows nothing of the terminal.

use std::fmt;
use std::str::FromStr;

use crate::article::sanitize::quoted;

/// A key without modifiers: a character or a named key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    /// A printable character, case kept (`b` and `B` differ); `space` is `' '`.
    Char(char),
    /// Enter (Return).
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift-Tab, as terminals report it.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page Up.
    PageUp,
    /// Page Down.
    PageDown,
    /// A function key, F1 to F12.
    F(u8),
}

/// The modifiers held with a key. Shift is only kept for named keys: for
/// characters it is already in the character (`G`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Modifiers {
    /// Control.
    pub ctrl: bool,
    /// Alt (Option).
    pub alt: bool,
    /// Shift, for named keys only (`shift-up`).
    pub shift: bool,
}

impl Modifiers {
    /// No modifier.
    pub const NONE: Modifiers = Modifiers {
        ctrl: false,
        alt: false,
        shift: false,
    };
    /// Control only.
    pub(crate) const CTRL: Modifiers = Modifiers {
        ctrl: true,
        alt: false,
        shift: false,
    };
    /// Alt only.
    pub(crate) const ALT: Modifiers = Modifiers {
        ctrl: false,
        alt: true,
        shift: false,
    };
    /// Shift only.
    pub(crate) const SHIFT: Modifiers = Modifiers {
        ctrl: false,
        alt: false,
        shift: true,
    };
}

/// A key with its modifiers, in one normal form so that a binding matches
/// however the terminal reports the key.
///
/// The normal form: a character never carries shift (`shift-g` is `G`, and a
/// terminal's `Char('?')` + SHIFT is `?`); Shift-Tab is [`KeyCode::BackTab`];
/// control with an ASCII letter uses the lower-case letter, because most
/// terminals cannot tell `ctrl-D` from `ctrl-d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: Modifiers,
}

/// The key names accepted in the config file, with the key each stands for.
/// The first name of each key is the one [`Key`]'s `Display` writes.
const NAMED_KEYS: &[(&str, KeyCode)] = &[
    ("space", KeyCode::Char(' ')),
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
];

/// Modifier prefixes accepted in the config file (case-insensitive).
const MODIFIER_PREFIXES: &[(&str, Modifiers)] = &[
    ("ctrl-", Modifiers::CTRL),
    ("control-", Modifiers::CTRL),
    ("alt-", Modifiers::ALT),
    ("shift-", Modifiers::SHIFT),
];

/// The highest function key a binding may name.
pub const MAX_F_KEY: u8 = 12;

impl Key {
    /// A key in normal form (see [`Key`]).
    pub fn new(code: KeyCode, modifiers: Modifiers) -> Key {
        let mut code = code;
        let mut modifiers = modifiers;
        match code {
            KeyCode::Char(c) => {
                if modifiers.shift {
                    code = KeyCode::Char(upper_case(c));
                    modifiers.shift = false;
                }
                if modifiers.ctrl && c.is_ascii_alphabetic() {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::Tab if modifiers.shift => {
                code = KeyCode::BackTab;
                modifiers.shift = false;
            }
            KeyCode::BackTab => modifiers.shift = false,
            _ => {}
        }
        Key { code, modifiers }
    }

    /// A character without modifiers.
    pub fn char(c: char) -> Key {
        Key::new(KeyCode::Char(c), Modifiers::NONE)
    }

    /// Control and a character (`ctrl-d`).
    pub fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), Modifiers::CTRL)
    }

    /// A named key without modifiers.
    pub fn plain(code: KeyCode) -> Key {
        Key::new(code, Modifiers::NONE)
    }

    /// The key without its modifiers.
    pub fn code(&self) -> KeyCode {
        self.code
    }

    /// The modifiers held.
    pub fn modifiers(&self) -> Modifiers {
        self.modifiers
    }

    /// Whether the key types text in a prompt: a character without control
    /// or alt. Prompts and filters take these as text, not as actions.
    pub(crate) fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.modifiers.ctrl && !self.modifiers.alt
    }
}

/// The upper-case form of a character when it is a single character
/// (`ß` has none and stays as it is).
fn upper_case(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// A key spelling in the config file that names no key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParseError {
    /// The spelling, shortened if long and with anything unprintable
    /// escaped, so the message is safe to print.
    pub input: String,
}

/// How keys are written, for error messages.
pub const KEY_FORMS: &str = "write a single character (`j`, `G`, `?`, `/`), or a name: space, enter, \
     esc, tab, backtab, backspace, delete, insert, up, down, left, right, home, end, pageup, \
     pagedown, f1..f12; put ctrl-, alt- or shift- in front for modifiers (`ctrl-d`, `alt-x`, \
     `shift-tab`)";

impl fmt::Display for KeyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a key: {KEY_FORMS}", self.input)
    }
}

impl std::error::Error for KeyParseError {}

impl FromStr for Key {
    type Err = KeyParseError;

    /// Parses `j`, `G`, `ctrl-d`, `shift-tab`, `pagedown`, `f5`…: names and
    /// modifiers are case-insensitive, single characters keep their case.
    fn from_str(input: &str) -> Result<Key, KeyParseError> {
        let error = || KeyParseError {
            input: quoted(input),
        };
        let mut modifiers = Modifiers::NONE;
        let mut rest = input;
        while let Some((prefix_mods, after)) = strip_modifier(rest) {
            modifiers.ctrl |= prefix_mods.ctrl;
            modifiers.alt |= prefix_mods.alt;
            modifiers.shift |= prefix_mods.shift;
            rest = after;
        }
        let code = parse_code(rest).ok_or_else(error)?;
        Ok(Key::new(code, modifiers))
    }
}

/// Takes one modifier prefix off a key spelling, if there is one and
/// something follows it (`ctrl--` is control and `-`).
fn strip_modifier(spelling: &str) -> Option<(Modifiers, &str)> {
    MODIFIER_PREFIXES.iter().find_map(|&(prefix, mods)| {
        let head = spelling.get(..prefix.len())?;
        let tail = spelling.get(prefix.len()..)?;
        (head.eq_ignore_ascii_case(prefix) && !tail.is_empty()).then_some((mods, tail))
    })
}

/// The key named by a spelling without modifiers.
fn parse_code(spelling: &str) -> Option<KeyCode> {
    let mut chars = spelling.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return (!c.is_control()).then_some(KeyCode::Char(c));
    }
    if let Some(&(_, code)) = NAMED_KEYS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(spelling))
    {
        return Some(code);
    }
    let number = spelling
        .strip_prefix('f')
        .or_else(|| spelling.strip_prefix('F'))?;
    if number.starts_with('0') {
        return None;
    }
    let n: u8 = number.parse().ok()?;
    (1..=MAX_F_KEY).contains(&n).then_some(KeyCode::F(n))
}

impl fmt::Display for Key {
    /// The canonical spelling, as the config file accepts it and the help
    /// shows it: `j`, `G`, `space`, `ctrl-d`, `shift-tab`, `pagedown`, `f5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.alt {
            f.write_str("alt-")?;
        }
        if self.modifiers.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Char(c) if c != ' ' => write!(f, "{c}"),
            code => {
                let name = NAMED_KEYS
                    .iter()
                    .find(|&&(_, named)| named == code)
                    .map_or("?", |&(name, _)| name);
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(spelling: &str) -> Key {
        spelling.parse().unwrap()
    }

    #[test]
    fn spellings_parse_to_keys() {
        let cases: &[(&str, Key)] = &[
            ("j", Key::char('j')),
            ("G", Key::char('G')),
            ("shift-g", Key::char('G')),
            ("?", Key::char('?')),
            ("-", Key::char('-')),
            ("ctrl--", Key::ctrl('-')),
            ("space", Key::char(' ')),
            (" ", Key::char(' ')),
            ("SPACE", Key::char(' ')),
            ("Enter", Key::plain(KeyCode::Enter)),
            ("return", Key::plain(KeyCode::Enter)),
            ("esc", Key::plain(KeyCode::Esc)),
            ("escape", Key::plain(KeyCode::Esc)),
            ("tab", Key::plain(KeyCode::Tab)),
            ("backtab", Key::plain(KeyCode::BackTab)),
            ("shift-tab", Key::plain(KeyCode::BackTab)),
            ("Shift-Tab", Key::plain(KeyCode::BackTab)),
            ("pageup", Key::plain(KeyCode::PageUp)),
            ("PgDn", Key::plain(KeyCode::PageDown)),
            ("f1", Key::plain(KeyCode::F(1))),
            ("F12", Key::plain(KeyCode::F(12))),
            ("ctrl-d", Key::ctrl('d')),
            ("CTRL-D", Key::ctrl('d')),
            ("control-c", Key::ctrl('c')),
            ("alt-x", Key::new(KeyCode::Char('x'), Modifiers::ALT)),
            ("shift-up", Key::new(KeyCode::Up, Modifiers::SHIFT)),
            (
                "ctrl-alt-delete",
                Key::new(
                    KeyCode::Delete,
                    Modifiers {
                        ctrl: true,
                        alt: true,
                        shift: false,
                    },
                ),
            ),
            ("é", Key::char('é')),
        ];
        for (spelling, expected) in cases {
            assert_eq!(spelling.parse::<Key>().as_ref(), Ok(expected), "{spelling}");
        }
    }

    #[test]
    fn bad_spellings_are_errors_that_list_the_accepted_forms() {
        for spelling in [
            "", "ctrl", "ctrl-", "jj", "f0", "f13", "f01", "pagedwn", "hyper-x", "ctrl-foo",
            "\u{7}", "\u{1b}",
        ] {
            let error = spelling.parse::<Key>().unwrap_err();
            let message = error.to_string();
            assert!(message.contains("pagedown"), "{message}");
            assert!(message.contains("ctrl-"), "{message}");
        }
    }

    #[test]
    fn long_bad_spellings_are_shortened_in_errors() {
        let error = "x".repeat(10_000).parse::<Key>().unwrap_err();
        assert_eq!(error.input, format!("{}…", "x".repeat(40)));
    }

    #[test]
    fn unprintable_bad_spellings_are_escaped_in_errors() {
        // Found by fuzzing the config loader: a tab and an ESC reached the
        // message as they were.
        let error = "ctrl-\t\u{1b}[2Ju".parse::<Key>().unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("`ctrl-\\t\\u{1b}[2Ju` is not a key"),
            "{message}"
        );
        assert!(!message.chars().any(char::is_control), "{message}");
    }

    #[test]
    fn display_is_canonical_and_parses_back() {
        let cases: &[(&str, &str)] = &[
            ("j", "j"),
            ("shift-g", "G"),
            ("space", "space"),
            ("CTRL-D", "ctrl-d"),
            ("backtab", "shift-tab"),
            ("PgDn", "pagedown"),
            ("escape", "esc"),
            ("F5", "f5"),
            ("alt-shift-left", "alt-shift-left"),
            ("shift-alt-ctrl-x", "ctrl-alt-x"),
            ("ctrl--", "ctrl--"),
        ];
        for (spelling, shown) in cases {
            let parsed = key(spelling);
            assert_eq!(parsed.to_string(), *shown, "{spelling}");
            assert_eq!(key(shown), parsed, "{shown}");
        }
        for (_, keys) in crate::keys::Keymap::default().bindings() {
            for k in keys {
                assert_eq!(key(&k.to_string()), *k);
            }
        }
    }
}
