//! Small drawing parts the panes and the popups share: a line at a row, a
//! dim line cut with `…`, a header with a part kept at the right. This
//! file imports nothing of the views or the popups, so both may use it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::tui::wrap::truncate;

/// A header row: `left` and `right` apart by at least one space. The right
/// part (a position) is kept whole when it fits; the left part gives way
/// and is cut with `…`.
pub(crate) fn header_line(left: &str, right: &str, width: u16, style: Style) -> Line<'static> {
    let width = usize::from(width);
    let right = if right.width() <= width { right } else { "" };
    let room = width.saturating_sub(right.width() + usize::from(!right.is_empty()));
    let left = truncate(left, room).into_owned();
    let gap = width.saturating_sub(left.width() + right.width());
    Line::from(vec![
        Span::styled(left, style),
        Span::raw(" ".repeat(gap)),
        Span::styled(right.to_string(), style),
    ])
}

/// A dim one-line text cut to `width` with `…`.
pub(crate) fn dim_text(text: &str, width: u16, style: Style) -> Line<'static> {
    Line::styled(truncate(text, usize::from(width)).into_owned(), style)
}

/// Renders one line into a one-row rectangle at `y` of `area`.
pub(crate) fn line_at(line: Line, area: Rect, y: u16, buf: &mut Buffer) {
    if y < area.height {
        line.render(
            Rect {
                y: area.y + y,
                height: 1,
                ..area
            },
            buf,
        );
    }
}
