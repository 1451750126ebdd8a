//! The list pane: a header with the order and position, then one row per
//! visible article. Only the rows on screen are built.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget};
use unicode_width::UnicodeWidthStr;

use super::{dim_text, header_line, line_at};
use crate::library::SummaryRow;
use crate::tui::app::{App, Focus};
use crate::tui::layout::list_parts;
use crate::tui::style::Highlights;
use crate::tui::wrap::truncate;

/// Draws the list pane.
pub(crate) fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let parts = list_parts(area);
    line_at(header(app, area.width), parts.header, 0, buf);
    let rows = parts.rows;
    if rows.is_empty() {
        return;
    }
    if let (Some(error), true) = (&app.load_error, app.visible.is_empty()) {
        draw_load_error(app, error, rows, buf);
        return;
    }
    if app.visible.is_empty() {
        line_at(empty_message(app, rows.width), rows, 0, buf);
        return;
    }
    let scrollbar = app.visible.len() > usize::from(rows.height);
    let text_width = if scrollbar {
        rows.width - 1
    } else {
        rows.width
    };
    let text_area = Rect {
        width: text_width,
        ..rows
    };
    let end = (app.list_offset + usize::from(rows.height)).min(app.visible.len());
    for (row, position) in (app.list_offset..end).enumerate() {
        let Some(article) = app.visible.get(position).and_then(|&i| app.library.get(i)) else {
            continue;
        };
        let selected = position == app.selected;
        let line = row_line(app, article, usize::from(text_width), selected);
        line_at(line, text_area, row as u16, buf);
    }
    if scrollbar {
        let mut state =
            ScrollbarState::new(app.visible.len().saturating_sub(usize::from(rows.height)))
                .position(app.list_offset);
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(Style::new().fg(app.config.theme.dim))
            .render(rows, buf, &mut state);
    }
}

fn header(app: &App, width: u16) -> Line<'static> {
    let theme = &app.config.theme;
    let left = match app.loading {
        Some(loading) => format!(" loading… {} of {} files", loading.loaded, loading.found),
        None => format!(" Articles · {}", app.sort.label()),
    };
    let right = if app.counting() {
        format!("{}/… ", app.selected + 1)
    } else if app.visible.is_empty() {
        "0/0 ".to_string()
    } else {
        format!("{}/{} ", app.selected + 1, app.visible.len())
    };
    let focused = app.focus == Focus::List && !app.fullscreen;
    let style = if focused {
        Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(theme.dim)
    };
    header_line(&left, &right, width, style)
}

/// The load error, wrapped to the pane, in the error colour.
fn draw_load_error(app: &App, error: &str, area: Rect, buf: &mut Buffer) {
    let style = Style::new().fg(app.config.theme.error);
    let text = format!("cannot load the articles: {error}; press r to try again");
    let width = usize::from(area.width.saturating_sub(1));
    for (row, range) in crate::tui::wrap::wrap(&text, width).into_iter().enumerate() {
        let Ok(row) = u16::try_from(row) else { break };
        let line = Line::styled(format!(" {}", &text[range]), style);
        line_at(line, area, row, buf);
    }
}

fn empty_message(app: &App, width: u16) -> Line<'static> {
    let text = if app.loading.is_some() {
        " loading…".to_string()
    } else if app.library.is_empty() {
        " no articles in this folder".to_string()
    } else {
        " no articles match · c clears the filters".to_string()
    };
    dim_text(&text, width, Style::new().fg(app.config.theme.dim))
}

/// `•★ 2024-12-24 Title…  tags`, cut to `width` columns.
fn row_line<'a>(app: &'a App, article: SummaryRow<'a>, width: usize, selected: bool) -> Line<'a> {
    let theme = &app.config.theme;
    let display = &app.config.display;
    let unread = !app.marks.read.contains(article.id());
    let bookmarked = app.marks.bookmarked.contains(article.id());
    let mark = |on: bool, symbol: &'a str| -> String {
        if on {
            symbol.to_string()
        } else {
            " ".repeat(symbol.width())
        }
    };
    let date = article
        .date()
        .map(|d| display.format_date(d))
        .unwrap_or_else(|| "          ".to_string());
    let mut spans = vec![
        Span::styled(
            mark(unread, &display.unread_mark),
            Style::new().fg(theme.unread),
        ),
        Span::styled(
            mark(bookmarked, &display.bookmark_mark),
            Style::new().fg(theme.bookmark),
        ),
        Span::raw(" "),
        Span::styled(date, Style::new().fg(theme.meta)),
        Span::raw(" "),
    ];
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let room = width.saturating_sub(used);
    let tags = article.tags().collect::<Vec<_>>().join(", ");
    // Tags always get some room (up to a third of the row); the title
    // takes the rest and gives back what it does not need.
    let tag_width = tags.width();
    let title_width = article.title().width();
    let tag_room = if tags.is_empty() {
        0
    } else {
        let spare = room.saturating_sub(title_width + 2);
        tag_width.min(spare.max(room / 3))
    };
    let title_room = room.saturating_sub(if tag_room > 0 { tag_room + 2 } else { 0 });
    let title = truncate(article.title(), title_room).into_owned();
    let title_style = if unread {
        Style::new().fg(theme.title).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(theme.title)
    };
    let pad = title_room.saturating_sub(title.width());
    spans.push(Span::styled(title, title_style));
    if tag_room > 2 {
        spans.push(Span::raw(" ".repeat(pad + 2)));
        spans.push(Span::styled(
            truncate(&tags, tag_room).into_owned(),
            Style::new().fg(theme.tag),
        ));
    }
    let line = Line::from(spans);
    if selected {
        let filled = line.width();
        let mut line = line;
        line.spans
            .push(Span::raw(" ".repeat(width.saturating_sub(filled))));
        let style = if app.focus == Focus::List {
            theme.selected()
        } else {
            theme.selected().add_modifier(Modifier::DIM)
        };
        line.style(style)
    } else {
        line
    }
}
