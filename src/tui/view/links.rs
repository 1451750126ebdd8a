//! The links popup: the article's own address and its numbered links, each
//! whole on its row as far as the popup is wide, the selected one shown
//! whole below (wrapped at the popup's edge only, so nothing is inserted
//! into it).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::pickers::hints;
use super::{dim_text, line_at, popup};
use crate::keys::{Action, Mode};
use crate::tui::app::{App, LinksPopup};
use crate::tui::style::Highlights;
use crate::tui::wrap::{truncate, wrap};

/// Rows under the list: a blank, the selected address (up to three rows),
/// the hints.
const DETAIL_ROWS: u16 = 5;

/// Draws the links popup.
pub(crate) fn draw(app: &App, links: &LinksPopup, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let title = Line::styled(" Links ", Style::new().add_modifier(Modifier::BOLD));
    let height = (links.links.len() as u16)
        .saturating_add(DETAIL_ROWS + 2)
        .min(area.height);
    let inner = popup(area, 100, height, title, Style::new().fg(theme.border), buf);
    let width = usize::from(inner.width);
    let rows = usize::from(inner.height.saturating_sub(DETAIL_ROWS)).max(1);
    let offset = links.selected.saturating_sub(rows - 1);
    for (row, (index, (label, url))) in links
        .links
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .enumerate()
    {
        let label = format!("{label:>7} ");
        let url = truncate(url, width.saturating_sub(label.len())).into_owned();
        let mut line = Line::from(vec![
            Span::styled(label, Style::new().fg(theme.accent)),
            Span::raw(url),
        ]);
        if index == links.selected {
            line = line.style(theme.selected());
        }
        line_at(line, inner, row as u16, buf);
    }
    let details = inner.height.saturating_sub(DETAIL_ROWS) + 1;
    if let Some((_, url)) = links.links.get(links.selected) {
        // The whole address, cut only where the popup ends, for reading
        // and copying by hand.
        for (row, range) in wrap(url, width).into_iter().take(3).enumerate() {
            line_at(Line::raw(&url[range]), inner, details + row as u16, buf);
        }
    }
    let hints = format!(
        "{} · 1-9 open link N",
        hints(
            app,
            Mode::Links,
            &[
                (Action::OpenLink, "open"),
                (Action::CopyLink, "copy"),
                (Action::Back, "close"),
            ],
        )
    );
    let dim = Style::new().fg(theme.dim);
    line_at(
        dim_text(&hints, inner.width, dim),
        inner,
        inner.height.saturating_sub(1),
        buf,
    );
}
