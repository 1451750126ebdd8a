//! What every popup's box shares: a centred, cleared and framed box; the
//! hint strings built from the key map; the key that quits.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::tui::view::parts::{dim_text, line_at};

/// A centred popup of at most `width` x `height`, cleared and framed;
/// returns the inner area.
pub(crate) fn popup(
    area: Rect,
    width: u16,
    height: u16,
    title: Line,
    style: Style,
    buf: &mut Buffer,
) -> Rect {
    framed(centred(area, width, height), title, style, buf)
}

/// A rectangle of at most `width` x `height` in the middle of `area`.
pub(crate) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Clears `rect` and frames it with a titled border; returns the inner
/// area.
pub(crate) fn framed(rect: Rect, title: Line, style: Style, buf: &mut Buffer) -> Rect {
    Clear.render(rect, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(style)
        .title(title);
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// A popup's hint line from the key map: `space pick · enter apply`, each
/// action with the first key that reaches it in the popup's mode.
pub(crate) fn hints(config: &Config, mode: Mode, actions: &[(Action, &'static str)]) -> String {
    keyed(config, mode, actions)
        .into_iter()
        .map(|(key, label)| format!("{key} {label}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Draws `hint` dimmed on the last row of a popup's `inner` area, cut to
/// its width: where every list popup says what its keys do.
pub(crate) fn hint_row(hint: &str, inner: Rect, dim: Style, buf: &mut Buffer) {
    line_at(
        dim_text(hint, inner.width, dim),
        inner,
        inner.height.saturating_sub(1),
        buf,
    );
}

/// The key that quits from anywhere in `mode`, for hints and footers: the
/// first bound `hard_quit` key that works there (`Q`, or Ctrl-C where
/// letters are typed), else Ctrl-C, which quits everywhere whatever the
/// key map says.
pub(crate) fn quit_key(config: &Config, mode: Mode) -> String {
    config
        .keys
        .hint_key(mode, Action::HardQuit)
        .unwrap_or(Key::ctrl('c'))
        .to_string()
}

/// What a popup's hint line says by default: both keys that close it
/// (`back`, and `quit` where a letter is no text), and how to quit.
pub(crate) const CLOSING: &[(Action, &str)] = &[
    (Action::Back, "close"),
    (Action::Quit, "close"),
    (Action::HardQuit, "quit"),
];

/// `actions` with the key that reaches each in `mode`, for a hint line;
/// an action no key reaches there is left out, and neighbours that say the
/// same word share it (`esc/q close`). `hard_quit` always has a key:
/// Ctrl-C quits whatever the key map says.
pub(crate) fn keyed(
    config: &Config,
    mode: Mode,
    actions: &[(Action, &'static str)],
) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for &(action, word) in actions {
        let key = match action {
            Action::HardQuit => Some(quit_key(config, mode)),
            _ => config.keys.hint_key(mode, action).map(|k| k.to_string()),
        };
        let Some(key) = key else { continue };
        match out.last_mut() {
            Some((keys, last)) if *last == word => {
                keys.push('/');
                keys.push_str(&key);
            }
            _ => out.push((key, word)),
        }
    }
    out
}
