//! The feeds popup: one row per feed (name, how its last fetch went), and
//! below them the selected feed's address and its last error in full.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::pickers::hints;
use super::{dim_text, line_at, popup};
use crate::keys::{Action, Mode};
use crate::tui::app::{App, FeedsPopup};
use crate::tui::style::Highlights;
use crate::tui::wrap::{truncate, wrap};

/// Rows the selected feed's details take under the list: address, error
/// (two lines), hints.
const DETAIL_ROWS: u16 = 5;

/// Draws the feeds popup.
pub(crate) fn draw(app: &App, feeds: &FeedsPopup, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let title = Line::styled(" Feeds ", Style::new().add_modifier(Modifier::BOLD));
    let height = (feeds.rows.len() as u16)
        .saturating_add(DETAIL_ROWS + 2)
        .min(area.height);
    let inner = popup(area, 90, height, title, Style::new().fg(theme.border), buf);
    let width = usize::from(inner.width);
    let list_rows = usize::from(inner.height.saturating_sub(DETAIL_ROWS)).max(1);
    let offset = feeds.selected.saturating_sub(list_rows - 1);
    let name_width = feeds
        .rows
        .iter()
        .map(|row| row.name.width())
        .max()
        .unwrap_or(0)
        .min(width / 3);
    for (row, (index, feed)) in feeds
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(list_rows)
        .enumerate()
    {
        let name = truncate(&feed.name, name_width).into_owned();
        let pad = name_width.saturating_sub(name.width()) + 2;
        let status_style = if feed.failed() {
            Style::new().fg(theme.error)
        } else {
            Style::new().fg(theme.dim)
        };
        let summary = truncate(&feed.summary(), width.saturating_sub(name_width + 2)).into_owned();
        let mut line = Line::from(vec![
            Span::styled(name, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" ".repeat(pad)),
            Span::styled(summary, status_style),
        ]);
        if index == feeds.selected {
            line = line.style(theme.selected());
        }
        line_at(line, inner, row as u16, buf);
    }
    let Some(selected) = feeds.rows.get(feeds.selected) else {
        return;
    };
    let details = inner.height.saturating_sub(DETAIL_ROWS);
    let dim = Style::new().fg(theme.dim);
    line_at(
        dim_text(&selected.url, inner.width, dim),
        inner,
        details + 1,
        buf,
    );
    let problem = match (&selected.last_error, &selected.moved_to) {
        (Some(error), _) => Some((format!("last error: {error}"), Style::new().fg(theme.error))),
        (None, Some(moved)) => Some((
            format!("moved for good to {moved}: update its url in the feeds file"),
            dim,
        )),
        (None, None) => None,
    };
    if let Some((text, style)) = problem {
        // Two lines of it: errors name an address and say what to do.
        let lines = wrap(&text, width);
        if let Some(first) = lines.first() {
            line_at(
                Line::styled(&text[first.clone()], style),
                inner,
                details + 2,
                buf,
            );
        }
        if let Some(second) = lines.get(1) {
            let rest = &text[second.start..];
            line_at(dim_text(rest, inner.width, style), inner, details + 3, buf);
        }
    }
    let hints = hints(
        app,
        Mode::Feeds,
        &[
            (Action::FetchFeeds, "fetch all"),
            (Action::Down, "next"),
            (Action::Back, "close"),
        ],
    );
    line_at(
        dim_text(&hints, inner.width, dim),
        inner,
        inner.height.saturating_sub(1),
        buf,
    );
}
