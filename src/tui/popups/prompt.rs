//! Typing in the popups: readline-style editing of a prompt's or a
//! filter's text, the prompt the status line shows while the search or the
//! edit prompt is open, and its hints. Which key does what is the key
//! map's business; the editing keys are fixed.

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

use crate::config::Config;
use crate::keys::{Action, Key, KeyCode, Mode, Modifiers};

/// Edits a prompt's or filter's text with a key, readline style: a
/// character is typed, Backspace deletes one, Ctrl-U clears the line and
/// Ctrl-W deletes the last word. These keys are fixed (not in the key map);
/// returns whether the key was one of them.
pub(crate) fn edit_text(text: &mut String, key: Key) -> bool {
    match key.code() {
        KeyCode::Char(c) if key.is_text() => text.push(c),
        KeyCode::Backspace if key.modifiers() == Modifiers::NONE => {
            text.pop();
        }
        _ if key == Key::ctrl('u') => text.clear(),
        _ if key == Key::ctrl('w') => {
            let kept = text.trim_end().rfind(' ').map_or(0, |at| at + 1);
            text.truncate(kept);
        }
        _ => return false,
    }
    true
}

/// Rows a page key moves the cursor of a popup.
pub(crate) const POPUP_PAGE: usize = 10;

/// The number 1 to 9 a plain digit key stands for, in the popups that
/// choose by number (views, links).
pub(crate) fn digit_of(key: Key) -> Option<usize> {
    let KeyCode::Char(c @ '1'..='9') = key.code() else {
        return None;
    };
    key.is_text().then(|| c as usize - '0' as usize)
}

/// A prompt in `room` columns: its label, the end of what was typed, and
/// the cursor.
pub(crate) fn prompt(config: &Config, label: &str, input: &str, room: usize) -> Vec<Span<'static>> {
    let accent = config.theme.accent;
    let room = room.saturating_sub(label.width() + 1);
    vec![
        Span::styled(
            label.to_string(),
            Style::new().fg(accent).add_modifier(Modifier::BOLD),
        ),
        Span::raw(truncate_left(input, room)),
        Span::styled("▏", Style::new().fg(accent)),
    ]
}

/// Keeps the end of a long prompt in view.
fn truncate_left(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// A prompt's hints, from the key map: its actions with their words,
/// `extra`, and the fixed key that clears the text.
pub(crate) fn prompt_hints(
    config: &Config,
    actions: &[(Action, &str)],
    extra: Option<String>,
) -> String {
    let mut parts: Vec<String> = actions
        .iter()
        .filter_map(|&(action, label)| {
            let key = config.keys.hint_key(Mode::Search, action)?;
            Some(format!("{key} {label}"))
        })
        .collect();
    parts.extend(extra);
    parts.push("ctrl-u clear".to_string());
    format!(" {}", parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(spelling: &str) -> Key {
        spelling.parse().unwrap()
    }

    #[test]
    fn text_is_edited_readline_style() {
        let mut text = String::new();
        for c in "tag:tv oseman".chars() {
            assert!(edit_text(&mut text, Key::char(c)));
        }
        assert!(edit_text(&mut text, key("ctrl-w")));
        assert_eq!(text, "tag:tv ");
        assert!(edit_text(&mut text, key("backspace")));
        assert_eq!(text, "tag:tv");
        assert!(edit_text(&mut text, key("ctrl-u")));
        assert_eq!(text, "");
        assert!(!edit_text(&mut text, key("enter")));
        assert!(!edit_text(&mut text, key("alt-x")));
        assert_eq!(text, "");
    }

    #[test]
    fn a_long_prompt_keeps_its_end_in_view() {
        assert_eq!(truncate_left("tag:tv oseman", 20), "tag:tv oseman");
        assert_eq!(truncate_left("tag:tv oseman", 7), "…oseman");
    }
}
