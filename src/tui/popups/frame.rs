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
pub(crate) fn hints(config: &Config, mode: Mode, actions: &[(Action, &str)]) -> String {
    actions
        .iter()
        .filter_map(|&(action, label)| {
            let key = config.keys.hint_key(mode, action)?;
            Some(format!("{key} {label}"))
        })
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

/// The key that quits in `mode`, for hints and footers: the first bound
/// key that works there, else Ctrl-C, which quits everywhere whatever the
/// key map says.
pub(crate) fn quit_key(config: &Config, mode: Mode) -> String {
    config
        .keys
        .hint_key(mode, Action::Quit)
        .unwrap_or(Key::ctrl('c'))
        .to_string()
}
