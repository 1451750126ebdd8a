//! Which key does what: [`Key`] (parsed from config, converted from terminal
//! events, shown in help) and [`Keymap`] (defaults merged with the user's
//! `[keys]` table, resolved purely from a key event).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use ratatui::crossterm::event::{self, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
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
    pub const CTRL: Modifiers = Modifiers {
        ctrl: true,
        alt: false,
        shift: false,
    };
    /// Alt only.
    pub const ALT: Modifiers = Modifiers {
        ctrl: false,
        alt: true,
        shift: false,
    };
    /// Shift only.
    pub const SHIFT: Modifiers = Modifiers {
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
const MAX_F_KEY: u8 = 12;

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

    /// The key a terminal event stands for; `None` for key releases, for
    /// keys no binding can name (media keys, F13 and up, caps lock…) and for
    /// presses with the super, hyper or meta modifier.
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let unsupported = KeyModifiers::SUPER | KeyModifiers::HYPER | KeyModifiers::META;
        if event.modifiers.intersects(unsupported) {
            return None;
        }
        let code = match event.code {
            event::KeyCode::Char(c) if !c.is_control() => KeyCode::Char(c),
            event::KeyCode::Enter => KeyCode::Enter,
            event::KeyCode::Esc => KeyCode::Esc,
            event::KeyCode::Tab => KeyCode::Tab,
            event::KeyCode::BackTab => KeyCode::BackTab,
            event::KeyCode::Backspace => KeyCode::Backspace,
            event::KeyCode::Delete => KeyCode::Delete,
            event::KeyCode::Insert => KeyCode::Insert,
            event::KeyCode::Up => KeyCode::Up,
            event::KeyCode::Down => KeyCode::Down,
            event::KeyCode::Left => KeyCode::Left,
            event::KeyCode::Right => KeyCode::Right,
            event::KeyCode::Home => KeyCode::Home,
            event::KeyCode::End => KeyCode::End,
            event::KeyCode::PageUp => KeyCode::PageUp,
            event::KeyCode::PageDown => KeyCode::PageDown,
            event::KeyCode::F(n) if (1..=MAX_F_KEY).contains(&n) => KeyCode::F(n),
            _ => return None,
        };
        let modifiers = Modifiers {
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
            shift: event.modifiers.contains(KeyModifiers::SHIFT),
        };
        Some(Key::new(code, modifiers))
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

/// The same key bound to two actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyConflict {
    /// The key.
    pub key: Key,
    /// The action it was bound to first.
    pub first: Action,
    /// The action that bound it again.
    pub second: Action,
}

impl fmt::Display for KeyConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "key `{}` is bound to both `{}` and `{}`; keep it in one of them",
            self.key, self.first, self.second
        )
    }
}

impl std::error::Error for KeyConflict {}

/// Keys for every action, and the action of every bound key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// Keys of each action, in [`Action::ALL`] order.
    keys: Vec<Vec<Key>>,
    /// The reverse table, for [`Keymap::resolve`].
    by_key: HashMap<Key, Action>,
}

/// The default bindings (from the product spec).
fn default_keys(action: Action) -> Vec<Key> {
    use KeyCode as K;
    match action {
        Action::Down => vec![Key::char('j'), Key::plain(K::Down)],
        Action::Up => vec![Key::char('k'), Key::plain(K::Up)],
        Action::Top => vec![Key::char('g'), Key::plain(K::Home)],
        Action::Bottom => vec![Key::char('G'), Key::plain(K::End)],
        Action::PageDown => vec![Key::plain(K::PageDown), Key::ctrl('d'), Key::char(' ')],
        Action::PageUp => vec![Key::plain(K::PageUp), Key::ctrl('u')],
        Action::Open => vec![Key::plain(K::Enter)],
        Action::SwitchFocus => vec![Key::plain(K::Tab)],
        Action::Back => vec![Key::plain(K::Esc), Key::char('h')],
        Action::Search => vec![Key::char('/')],
        Action::Tags => vec![Key::char('t')],
        Action::Views => vec![Key::char('v')],
        Action::ToggleBookmark => vec![Key::char('b')],
        Action::BookmarksOnly => vec![Key::char('B')],
        Action::ToggleRead => vec![Key::char('u')],
        Action::UnreadOnly => vec![Key::char('U')],
        Action::CycleSort => vec![Key::char('s')],
        Action::ClearFilters => vec![Key::char('c')],
        Action::Reload => vec![Key::char('r')],
        Action::Fullscreen => vec![Key::char('z')],
        Action::Help => vec![Key::char('?')],
        Action::NextMatch => vec![Key::char('n')],
        Action::PrevMatch => vec![Key::char('N')],
        Action::Quit => vec![Key::char('q'), Key::ctrl('c')],
    }
}

impl Default for Keymap {
    /// The bindings of the product spec (`j`/`k`, `g`/`G`, `/`, `q`…).
    fn default() -> Keymap {
        Keymap::from_lists(Action::ALL.iter().map(|&a| default_keys(a)).collect())
    }
}

/// Where an action sits in [`Action::ALL`] (and so in `Keymap::keys`).
fn slot(action: Action) -> usize {
    Action::ALL
        .iter()
        .position(|&a| a == action)
        .unwrap_or_default()
}

impl Keymap {
    /// Builds the map from per-action key lists in [`Action::ALL`] order;
    /// the lists hold no key twice.
    fn from_lists(keys: Vec<Vec<Key>>) -> Keymap {
        let by_key = Action::ALL
            .iter()
            .zip(&keys)
            .flat_map(|(&action, list)| list.iter().map(move |&key| (key, action)))
            .collect();
        Keymap { keys, by_key }
    }

    /// These bindings with the user's: each listed action gets exactly the
    /// listed keys (an empty list unbinds it), and a key the user binds is
    /// taken away from every action the user did not list. The same key
    /// listed for two actions is a [`KeyConflict`].
    pub fn with_overrides(&self, overrides: &[(Action, Vec<Key>)]) -> Result<Keymap, KeyConflict> {
        let mut user_keys: HashMap<Key, Action> = HashMap::new();
        for (action, keys) in overrides {
            for &key in keys {
                match user_keys.insert(key, *action) {
                    Some(first) if first != *action => {
                        return Err(KeyConflict {
                            key,
                            first,
                            second: *action,
                        });
                    }
                    _ => {}
                }
            }
        }
        let mut lists = self.keys.clone();
        for list in &mut lists {
            list.retain(|key| !user_keys.contains_key(key));
        }
        for (action, keys) in overrides {
            let list = &mut lists[slot(*action)];
            list.clear();
            for &key in keys {
                if !list.contains(&key) {
                    list.push(key);
                }
            }
        }
        Ok(Keymap::from_lists(lists))
    }

    /// The action bound to a terminal key event, if any. Shifted characters
    /// resolve however the terminal reports them (`G` with or without
    /// SHIFT); key releases resolve to nothing.
    pub fn resolve(&self, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event)?;
        self.by_key.get(&key).copied()
    }

    /// The action bound to a key, if any.
    pub fn action_for(&self, key: Key) -> Option<Action> {
        self.by_key.get(&key).copied()
    }

    /// The keys bound to an action, most prominent first (for help and
    /// status-bar hints); empty when the user unbound it.
    pub fn keys_for(&self, action: Action) -> &[Key] {
        self.keys.get(slot(action)).map_or(&[], Vec::as_slice)
    }

    /// Every action with its keys, in [`Action::ALL`] order.
    pub fn bindings(&self) -> impl Iterator<Item = (Action, &[Key])> {
        Action::ALL
            .iter()
            .zip(&self.keys)
            .map(|(&action, keys)| (action, keys.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use event::KeyCode as TermCode;

    fn press(code: TermCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn ch(c: char) -> KeyEvent {
        press(TermCode::Char(c), KeyModifiers::NONE)
    }

    fn key(spelling: &str) -> Key {
        spelling.parse().unwrap()
    }

    #[test]
    fn every_default_binding_resolves() {
        use Action as A;
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let cases: &[(KeyEvent, Action)] = &[
            (ch('j'), A::Down),
            (press(TermCode::Down, none), A::Down),
            (ch('k'), A::Up),
            (press(TermCode::Up, none), A::Up),
            (ch('g'), A::Top),
            (press(TermCode::Home, none), A::Top),
            (ch('G'), A::Bottom),
            (press(TermCode::End, none), A::Bottom),
            (press(TermCode::PageDown, none), A::PageDown),
            (press(TermCode::Char('d'), ctrl), A::PageDown),
            (ch(' '), A::PageDown),
            (press(TermCode::PageUp, none), A::PageUp),
            (press(TermCode::Char('u'), ctrl), A::PageUp),
            (press(TermCode::Enter, none), A::Open),
            (press(TermCode::Tab, none), A::SwitchFocus),
            (press(TermCode::Esc, none), A::Back),
            (ch('h'), A::Back),
            (ch('/'), A::Search),
            (ch('t'), A::Tags),
            (ch('v'), A::Views),
            (ch('b'), A::ToggleBookmark),
            (ch('B'), A::BookmarksOnly),
            (ch('u'), A::ToggleRead),
            (ch('U'), A::UnreadOnly),
            (ch('s'), A::CycleSort),
            (ch('c'), A::ClearFilters),
            (ch('r'), A::Reload),
            (ch('z'), A::Fullscreen),
            (ch('?'), A::Help),
            (ch('n'), A::NextMatch),
            (ch('N'), A::PrevMatch),
            (ch('q'), A::Quit),
            (press(TermCode::Char('c'), ctrl), A::Quit),
        ];
        let keymap = Keymap::default();
        for (event, action) in cases {
            assert_eq!(keymap.resolve(event), Some(*action), "{event:?}");
        }
        let covered: usize = keymap.bindings().map(|(_, keys)| keys.len()).sum();
        assert_eq!(covered, cases.len(), "a default binding has no case");
    }

    #[test]
    fn shifted_characters_resolve_with_or_without_shift() {
        let keymap = Keymap::default();
        let shift = KeyModifiers::SHIFT;
        let cases: &[(KeyEvent, Option<Action>)] = &[
            (press(TermCode::Char('G'), shift), Some(Action::Bottom)),
            (press(TermCode::Char('g'), shift), Some(Action::Bottom)),
            (press(TermCode::Char('?'), shift), Some(Action::Help)),
            (press(TermCode::Char('N'), shift), Some(Action::PrevMatch)),
            (
                press(TermCode::Char('B'), shift),
                Some(Action::BookmarksOnly),
            ),
            (press(TermCode::BackTab, shift), None),
            (press(TermCode::Tab, shift), None),
            (
                press(TermCode::Char('C'), KeyModifiers::CONTROL),
                Some(Action::Quit),
            ),
            (
                press(TermCode::Char('c'), KeyModifiers::CONTROL | shift),
                Some(Action::Quit),
            ),
        ];
        for (event, action) in cases {
            assert_eq!(keymap.resolve(event), *action, "{event:?}");
        }
    }

    #[test]
    fn unbound_and_foreign_keys_resolve_to_nothing() {
        let keymap = Keymap::default();
        let cases = [
            ch('x'),
            ch('J'),
            press(TermCode::Char('j'), KeyModifiers::ALT),
            press(TermCode::Char('j'), KeyModifiers::CONTROL),
            press(TermCode::Char('q'), KeyModifiers::SUPER),
            press(TermCode::F(1), KeyModifiers::NONE),
            press(TermCode::F(20), KeyModifiers::NONE),
            press(TermCode::CapsLock, KeyModifiers::NONE),
            press(TermCode::Null, KeyModifiers::NONE),
            press(TermCode::Char('\u{1b}'), KeyModifiers::NONE),
            KeyEvent::new_with_kind(
                TermCode::Char('q'),
                KeyModifiers::NONE,
                KeyEventKind::Release,
            ),
        ];
        for event in cases {
            assert_eq!(keymap.resolve(&event), None, "{event:?}");
        }
    }

    #[test]
    fn key_repeats_resolve_like_presses() {
        let event = KeyEvent::new_with_kind(
            TermCode::Char('j'),
            KeyModifiers::NONE,
            KeyEventKind::Repeat,
        );
        assert_eq!(Keymap::default().resolve(&event), Some(Action::Down));
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
        for (_, keys) in Keymap::default().bindings() {
            for k in keys {
                assert_eq!(key(&k.to_string()), *k);
            }
        }
    }

    #[test]
    fn keys_for_lists_defaults_in_spec_order() {
        let keymap = Keymap::default();
        assert_eq!(
            keymap.keys_for(Action::PageDown),
            &[key("pagedown"), key("ctrl-d"), key("space")]
        );
        let order: Vec<Action> = keymap.bindings().map(|(a, _)| a).collect();
        assert_eq!(order, Action::ALL);
    }

    #[test]
    fn a_user_entry_replaces_the_default_keys_of_its_action() {
        let keymap = Keymap::default()
            .with_overrides(&[(Action::Down, vec![key("ctrl-n")])])
            .unwrap();
        assert_eq!(keymap.keys_for(Action::Down), &[key("ctrl-n")]);
        assert_eq!(keymap.resolve(&ch('j')), None);
        assert_eq!(
            keymap.resolve(&press(TermCode::Char('n'), KeyModifiers::CONTROL)),
            Some(Action::Down)
        );
        assert_eq!(keymap.keys_for(Action::Up), &[key("k"), key("up")]);
    }

    #[test]
    fn a_key_the_user_binds_leaves_its_default_action() {
        let keymap = Keymap::default()
            .with_overrides(&[(Action::Search, vec![key("/"), key("g")])])
            .unwrap();
        assert_eq!(keymap.resolve(&ch('g')), Some(Action::Search));
        assert_eq!(keymap.keys_for(Action::Top), &[key("home")]);
    }

    #[test]
    fn an_empty_list_unbinds_and_repeats_are_kept_once() {
        let keymap = Keymap::default()
            .with_overrides(&[
                (Action::Reload, vec![]),
                (Action::Help, vec![key("?"), key("f1"), key("F1")]),
            ])
            .unwrap();
        assert!(keymap.keys_for(Action::Reload).is_empty());
        assert_eq!(keymap.resolve(&ch('r')), None);
        assert_eq!(keymap.keys_for(Action::Help), &[key("?"), key("f1")]);
    }

    #[test]
    fn the_same_key_for_two_user_actions_is_a_conflict_naming_both() {
        let conflict = Keymap::default()
            .with_overrides(&[
                (Action::Top, vec![key("g")]),
                (Action::Bottom, vec![key("end"), key("shift-g"), key("g")]),
            ])
            .unwrap_err();
        assert_eq!(conflict.key, key("g"));
        assert_eq!(
            (conflict.first, conflict.second),
            (Action::Top, Action::Bottom)
        );
        let message = conflict.to_string();
        assert!(
            message.contains("`top`") && message.contains("`bottom`"),
            "{message}"
        );
    }

    #[test]
    fn shifted_spellings_of_one_key_conflict() {
        let conflict = Keymap::default()
            .with_overrides(&[
                (Action::Top, vec![key("G")]),
                (Action::Bottom, vec![key("shift-g")]),
            ])
            .unwrap_err();
        assert_eq!(conflict.key, key("G"));
    }
}
