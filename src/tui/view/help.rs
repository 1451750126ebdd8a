//! The help overlay: every action with its keys, from the live key map,
//! narrowed by what is typed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{line_at, popup};
use crate::tui::app::App;
use crate::tui::picker::HelpState;
use crate::tui::wrap::truncate;

/// The help rows `(keys, description)` that match the filter.
pub fn rows(app: &App, filter: &str) -> Vec<(String, &'static str)> {
    let filter = filter.to_lowercase();
    app.config
        .keys
        .bindings()
        .filter(|(_, keys)| !keys.is_empty())
        .map(|(action, keys)| {
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            (keys.join(" "), action.description())
        })
        .filter(|(keys, description)| {
            filter.is_empty()
                || description.to_lowercase().contains(&filter)
                || keys.to_lowercase().contains(&filter)
        })
        .collect()
}

/// Draws the help overlay.
pub fn draw(app: &App, help: &HelpState, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let title = Line::styled(" Keys ", Style::new().add_modifier(Modifier::BOLD));
    let inner = popup(area, 64, 30, title, Style::new().fg(theme.border), buf);
    if inner.is_empty() {
        return;
    }
    let filter_line = Line::from(vec![
        Span::styled("filter: ", Style::new().fg(theme.dim)),
        Span::raw(help.filter.clone()),
        Span::styled("▏", Style::new().fg(theme.accent)),
    ]);
    line_at(filter_line, inner, 0, buf);
    let rows = rows(app, &help.filter);
    let key_width = rows
        .iter()
        .map(|(keys, _)| unicode_width::UnicodeWidthStr::width(keys.as_str()))
        .max()
        .unwrap_or(0)
        .min(usize::from(inner.width) / 2);
    if rows.is_empty() {
        line_at(
            Line::styled("no key does that", Style::new().fg(theme.dim)),
            inner,
            2,
            buf,
        );
    }
    for (number, (keys, description)) in rows.iter().enumerate() {
        let keys = truncate(keys, key_width).into_owned();
        let pad = key_width.saturating_sub(unicode_width::UnicodeWidthStr::width(keys.as_str()));
        let line = Line::from(vec![
            Span::styled(
                keys,
                Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
            ),
            Span::raw(" ".repeat(pad + 2)),
            Span::raw(*description),
        ]);
        line_at(line, inner, number as u16 + 2, buf);
    }
}
