//! Terminal key events as [`Key`]s: the one place that knows how crossterm
//! reports keys, so the key map and the configuration need no terminal.

use ratatui::crossterm::event::{self, KeyEvent, KeyEventKind, KeyModifiers};

use crate::keys::{Key, KeyCode as Code, MAX_F_KEY, Modifiers};

/// The key a terminal event stands for; `None` for key releases, for
/// keys no binding can name (media keys, F13 and up, caps lock…) and for
/// presses with the super, hyper or meta modifier.
pub(crate) fn key_of(event: &KeyEvent) -> Option<Key> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let unsupported = KeyModifiers::SUPER | KeyModifiers::HYPER | KeyModifiers::META;
    if event.modifiers.intersects(unsupported) {
        return None;
    }
    let code = match event.code {
        event::KeyCode::Char(c) if !c.is_control() => Code::Char(c),
        event::KeyCode::Enter => Code::Enter,
        event::KeyCode::Esc => Code::Esc,
        event::KeyCode::Tab => Code::Tab,
        event::KeyCode::BackTab => Code::BackTab,
        event::KeyCode::Backspace => Code::Backspace,
        event::KeyCode::Delete => Code::Delete,
        event::KeyCode::Insert => Code::Insert,
        event::KeyCode::Up => Code::Up,
        event::KeyCode::Down => Code::Down,
        event::KeyCode::Left => Code::Left,
        event::KeyCode::Right => Code::Right,
        event::KeyCode::Home => Code::Home,
        event::KeyCode::End => Code::End,
        event::KeyCode::PageUp => Code::PageUp,
        event::KeyCode::PageDown => Code::PageDown,
        event::KeyCode::F(n) if (1..=MAX_F_KEY).contains(&n) => Code::F(n),
        _ => return None,
    };
    let modifiers = Modifiers {
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        alt: event.modifiers.contains(KeyModifiers::ALT),
        shift: event.modifiers.contains(KeyModifiers::SHIFT),
    };
    Some(Key::new(code, modifiers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Action, Keymap, Mode};
    use event::KeyCode as TermCode;

    fn press(code: TermCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn ch(c: char) -> KeyEvent {
        press(TermCode::Char(c), KeyModifiers::NONE)
    }

    fn resolve(keymap: &Keymap, event: &KeyEvent) -> Option<Action> {
        key_of(event).and_then(|key| keymap.resolve(Mode::Browse, key))
    }

    #[test]
    fn every_default_binding_resolves() {
        use Action as A;
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let cases: &[(KeyEvent, Action)] = &[
            (ch('j'), A::Down),
            (press(TermCode::Down, none), A::Down),
            (press(TermCode::Char('n'), ctrl), A::Down),
            (ch('k'), A::Up),
            (press(TermCode::Char('p'), ctrl), A::Up),
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
            (ch('f'), A::Feeds),
            (ch('F'), A::FetchFeeds),
            (ch('T'), A::FullText),
            (ch('o'), A::OpenLink),
            (ch('O'), A::ShowLinks),
            (ch('y'), A::CopyLink),
            (ch('p'), A::PlayEnclosure),
            (ch('A'), A::MarkAllRead),
            (ch('Z'), A::Undo),
            (ch('+'), A::EditTags),
            (ch('e'), A::EditNote),
            (ch('x'), A::ToggleSelect),
            (ch('X'), A::SelectAll),
            (ch('*'), A::InvertSelection),
            (ch('J'), A::NextArticle),
            (ch('K'), A::PrevArticle),
            (ch(']'), A::NextUnread),
            (ch('M'), A::Messages),
            (ch('q'), A::Quit),
            (ch('Q'), A::HardQuit),
            (press(TermCode::Char('c'), ctrl), A::HardQuit),
        ];
        let keymap = Keymap::default();
        for (event, action) in cases {
            assert_eq!(resolve(&keymap, event), Some(*action), "{event:?}");
        }
        let covered: usize = keymap
            .bindings()
            .filter(|(action, _)| action.works_in(Mode::Browse))
            .map(|(_, keys)| keys.len())
            .sum();
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
                Some(Action::HardQuit),
            ),
            (
                press(TermCode::Char('c'), KeyModifiers::CONTROL | shift),
                Some(Action::HardQuit),
            ),
        ];
        for (event, action) in cases {
            assert_eq!(resolve(&keymap, event), *action, "{event:?}");
        }
    }

    #[test]
    fn unbound_and_foreign_keys_resolve_to_nothing() {
        let keymap = Keymap::default();
        let cases = [
            ch('w'),
            ch('W'),
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
            assert_eq!(resolve(&keymap, &event), None, "{event:?}");
        }
    }

    #[test]
    fn key_repeats_resolve_like_presses() {
        let event = KeyEvent::new_with_kind(
            TermCode::Char('j'),
            KeyModifiers::NONE,
            KeyEventKind::Repeat,
        );
        assert_eq!(resolve(&Keymap::default(), &event), Some(Action::Down));
    }
}
