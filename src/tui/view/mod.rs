//! Drawing the reader: `draw(&App, &mut Frame)` and one module per part.
//! Views read the state and never change it; they build only what is on
//! screen.

mod cells;
mod columns;
mod feeds;
mod guide;
mod help;
pub mod hyperlinks;
mod links;
mod list;
mod pickers;
mod reader;
mod status;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::keys::{Action, Key, Mode};
use crate::tui::app::{App, Overlay};

/// Draws a whole frame. Call [`App::prepare`] first so the reader's
/// document matches the pane width.
pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    draw_into(app, area, buf);
}

/// Draws into a buffer: what [`draw`] does, usable without a terminal.
pub fn draw_into(app: &App, area: Rect, buf: &mut Buffer) {
    let mut panes = app.panes();
    // Never draw outside the buffer, whatever size the app last heard of.
    for pane in [
        &mut panes.list,
        &mut panes.reader,
        &mut panes.status,
        &mut panes.hints,
    ] {
        *pane = pane
            .map(|rect| rect.intersection(buf.area))
            .filter(|r| !r.is_empty());
    }
    if let Some(rect) = panes.list {
        list::draw(app, rect, buf);
    }
    if let Some(rect) = panes.reader {
        reader::draw(app, rect, buf);
    }
    if let Some(rect) = panes.status {
        status::draw_status(app, rect, buf);
    }
    if let Some(rect) = panes.hints {
        status::draw_hints(app, rect, buf);
    }
    match &app.overlay {
        Some(Overlay::Help(help)) => help::draw(app, help, area, buf),
        Some(Overlay::Tags(picker)) => pickers::draw_tags(app, picker, area, buf),
        Some(Overlay::Views(picker)) => pickers::draw_views(app, picker, area, buf),
        Some(Overlay::Feeds(feeds_popup)) => feeds::draw(app, feeds_popup, area, buf),
        Some(Overlay::Links(links_popup)) => links::draw(app, links_popup, area, buf),
        Some(Overlay::Search(search)) if search.guide => {
            if let Some(status) = panes.status {
                guide::draw_under_prompt(app, status, area, buf);
            }
        }
        Some(Overlay::Search(_) | Overlay::Edit(_)) | None => {}
    }
    cells::settle_contested(buf, area.intersection(buf.area));
}

/// The key that quits in `mode`, for hints and footers: the first bound
/// key that works there, else Ctrl-C, which quits everywhere whatever the
/// key map says.
fn quit_key(app: &App, mode: Mode) -> String {
    app.config
        .keys
        .hint_key(mode, Action::Quit)
        .unwrap_or(Key::ctrl('c'))
        .to_string()
}

/// A centred popup of at most `width` x `height`, cleared and framed;
/// returns the inner area.
fn popup(area: Rect, width: u16, height: u16, title: Line, style: Style, buf: &mut Buffer) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    framed(rect, title, style, buf)
}

/// Clears `rect` and frames it with a titled border; returns the inner
/// area.
fn framed(rect: Rect, title: Line, style: Style, buf: &mut Buffer) -> Rect {
    Clear.render(rect, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(style)
        .title(title);
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// A header row: `left` and `right` apart by at least one space. The right
/// part (a position) is kept whole when it fits; the left part gives way
/// and is cut with `…`.
fn header_line(left: &str, right: &str, width: u16, style: Style) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    let width = usize::from(width);
    let right = if right.width() <= width { right } else { "" };
    let room = width.saturating_sub(right.width() + usize::from(!right.is_empty()));
    let left = crate::tui::wrap::truncate(left, room).into_owned();
    let gap = width.saturating_sub(left.width() + right.width());
    Line::from(vec![
        ratatui::text::Span::styled(left, style),
        ratatui::text::Span::raw(" ".repeat(gap)),
        ratatui::text::Span::styled(right.to_string(), style),
    ])
}

/// A dim one-line text cut to `width` with `…`.
fn dim_text(text: &str, width: u16, style: Style) -> Line<'static> {
    Line::styled(
        crate::tui::wrap::truncate(text, usize::from(width)).into_owned(),
        style,
    )
}

/// Renders one line into a one-row rectangle at `y` of `area`.
fn line_at(line: Line, area: Rect, y: u16, buf: &mut Buffer) {
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
