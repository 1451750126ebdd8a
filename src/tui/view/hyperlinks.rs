//! Clickable links (OSC 8) over the reader's list of numbered links.
//!
//! ratatui draws cells, not hyperlinks, so after each frame the run loop
//! prints the visible rows of the link list again, the same characters in
//! the same colours, wrapped in OSC 8: terminals that support it make them
//! clickable, the others ignore the sequence. Only addresses that pass the
//! same check as opening one (http, https, mailto) are linked.

use std::fmt::Write as _;

use ratatui::backend::IntoCrossterm;
use ratatui::buffer::Buffer;
use ratatui::crossterm::style::{Attribute, ContentStyle};
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::tui::app::App;
use crate::tui::document::{SegmentStyle, Source};
use crate::tui::links::check_openable;

/// One row's piece of a link, as drawn: where, the cells' text and style,
/// and the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRun {
    /// Column of the first cell.
    pub x: u16,
    /// Row.
    pub y: u16,
    /// The cells, each its symbol and style, as the frame drew them.
    pub cells: Vec<(String, Style)>,
    /// The address the run links to.
    pub url: String,
}

/// The runs of the reader's visible link list in the frame just drawn into
/// `buf`, the cells read back from it.
pub fn link_runs(app: &App, area: Rect, buf: &Buffer) -> Vec<LinkRun> {
    if !app.config.display.hyperlinks {
        return Vec::new();
    }
    let (Some(pane), Some(document), Some(article)) =
        (app.panes().reader, &app.document, app.opened_article())
    else {
        return Vec::new();
    };
    let text_area = app.reader_parts(pane).text.intersection(area);
    let mut runs = Vec::new();
    let end = (app.reader_scroll + usize::from(text_area.height)).min(document.lines.len());
    for (row, number) in (app.reader_scroll..end).enumerate() {
        let line = &document.lines[number];
        let Some(segment) = document.segments.get(line.segment as usize) else {
            continue;
        };
        let (SegmentStyle::Link, Source::Text(text)) = (segment.style, &segment.source) else {
            continue;
        };
        let Some(url) = numbered_link(text).and_then(|n| article.links.get(n - 1)) else {
            continue;
        };
        if check_openable(url).is_err() {
            continue;
        }
        let y = text_area.y + row as u16;
        let cells = cells_of_row(buf, text_area, y);
        if !cells.is_empty() {
            runs.push(LinkRun {
                x: text_area.x,
                y,
                cells,
                url: url.clone(),
            });
        }
    }
    runs
}

/// `n` of a link list entry `[n] address`.
fn numbered_link(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('[')?;
    let (number, _) = rest.split_once(']')?;
    number.parse().ok().filter(|&n| n > 0)
}

/// The drawn cells of row `y` of `area`, up to the last that is not blank.
fn cells_of_row(buf: &Buffer, area: Rect, y: u16) -> Vec<(String, Style)> {
    let mut cells: Vec<(String, Style)> = (area.left()..area.right())
        .map(|x| {
            let cell = &buf[(x, y)];
            (cell.symbol().to_string(), cell.style())
        })
        .collect();
    while cells
        .last()
        .is_some_and(|(symbol, _)| symbol.trim().is_empty())
    {
        cells.pop();
    }
    cells
}

/// What the run loop writes after a frame for `runs`: for each, the cursor
/// moved to it, the OSC 8 opening with its address, the same cells again
/// in their styles, the OSC 8 closing, and the style reset.
pub fn osc8_sequence(runs: &[LinkRun]) -> String {
    let mut out = String::new();
    for run in runs {
        let _ = write!(out, "\x1b[{};{}H", run.y + 1, run.x + 1);
        let _ = write!(out, "\x1b]8;;{}\x1b\\", run.url);
        for (symbol, style) in &run.cells {
            let content: ContentStyle = (*style).into_crossterm();
            // Each cell in its own style, from a clean state.
            let _ = write!(out, "\x1b[0m{}", content.apply(symbol.as_str()));
        }
        let _ = write!(out, "\x1b]8;;\x1b\\\x1b[{}m", Attribute::Reset.sgr());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numbered_entries_have_a_number() {
        assert_eq!(numbered_link("[3] https://e.x"), Some(3));
        assert_eq!(numbered_link("[0] https://e.x"), None);
        assert_eq!(numbered_link("url: https://e.x"), None);
        assert_eq!(numbered_link("[x] y"), None);
    }

    #[test]
    fn a_run_is_wrapped_in_osc_8_with_its_text_again() {
        let run = LinkRun {
            x: 4,
            y: 2,
            cells: vec![("[".into(), Style::new()), ("1".into(), Style::new())],
            url: "https://e.x/a".into(),
        };
        let out = osc8_sequence(&[run]);
        assert!(
            out.starts_with("\x1b[3;5H\x1b]8;;https://e.x/a\x1b\\"),
            "{out:?}"
        );
        assert!(out.contains('[') && out.contains('1'));
        assert!(out.contains("\x1b]8;;\x1b\\"), "closed: {out:?}");
    }
}
