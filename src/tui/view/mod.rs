//! Drawing the reader: `draw(&App, &mut Frame)` and one module per part.
//! Views read the state and never change it; they build only what is on
//! screen.

mod columns;
mod feeds;
mod guide;
mod help;
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
        Some(Overlay::Search(search)) if search.guide => {
            if let Some(status) = panes.status {
                guide::draw_under_prompt(app, status, area, buf);
            }
        }
        Some(Overlay::Search(_)) | None => {}
    }
    spell_out_flags(buf, area.intersection(buf.area));
}

/// Regional indicator letters (flag emoji) as plain capital letters.
///
/// Terminals disagree on how to draw and overwrite flag pairs (tmux leaves
/// half a flag behind when the cell is redrawn), which would leave debris
/// on screen. A flag is two columns wide and so are its two letters (`🇫🇷`
/// becomes `FR`), so the layout is unchanged.
fn spell_out_flags(buf: &mut Buffer, area: Rect) {
    const FIRST: u32 = 0x1F1E6;
    let letter = |c: char| char::from_u32(u32::from(b'A') + (c as u32 - FIRST));
    let is_indicator = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let symbol = buf[(x, y)].symbol();
            if !symbol.chars().any(is_indicator) {
                continue;
            }
            let letters: Vec<char> = symbol
                .chars()
                .filter(|&c| is_indicator(c))
                .filter_map(letter)
                .collect();
            let mut first = [0u8; 4];
            let head = letters.first().map_or(" ", |c| c.encode_utf8(&mut first));
            buf[(x, y)].set_symbol(head);
            if let (Some(second), true) = (letters.get(1), x + 1 < area.right()) {
                let mut tail = [0u8; 4];
                buf[(x + 1, y)].set_symbol(second.encode_utf8(&mut tail));
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol())
            .collect::<String>()
    }

    #[test]
    fn flags_are_drawn_as_their_letters_in_the_same_columns() {
        let area = Rect::new(0, 0, 8, 2);
        let mut buf = Buffer::empty(area);
        Line::raw("a🇫🇷b🇩").render(Rect::new(0, 0, 8, 1), &mut buf);
        Line::raw("xyz").render(Rect::new(0, 1, 8, 1), &mut buf);
        spell_out_flags(&mut buf, area);
        assert_eq!(row(&buf, 0), "aFRbD   ");
        assert_eq!(row(&buf, 1), "xyz     ", "other text is untouched");
    }
}
