//! Drawing the reader: `draw(&App, &mut Frame)` and one module per part;
//! the open popup draws itself (`crate::tui::popups`). Views read the
//! state and never change it; they build only what is on screen.

mod cells;
mod columns;
mod empty;
pub mod hyperlinks;
mod list;
pub(crate) mod parts;
mod reader;
mod status;

pub use status::hint_actions;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::tui::app::App;
use crate::tui::popups::Context;

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
    if let Some(overlay) = &app.overlay {
        let context = Context {
            config: &app.config,
            status: panes.status,
        };
        overlay.popup().draw(area, buf, &context);
    }
    cells::settle_contested(buf, area.intersection(buf.area));
}
