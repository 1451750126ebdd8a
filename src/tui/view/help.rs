//! The help overlay: every action with its keys, from the live key map,
//! narrowed by what is typed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{line_at, popup};
use unicode_width::UnicodeWidthStr;

use crate::keys::{Action, Mode};
use crate::tui::app::App;
use crate::tui::picker::HelpState;
use crate::tui::wrap::truncate;

/// The keys that edit a prompt's or filter's text, which the key map does
/// not change.
const EDITING_KEYS: &str = "backspace ctrl-u ctrl-w";

/// What the editing keys do, as the help says it.
const EDITING_HELP: &str = "Edit typed text (fixed, readline style)";

/// The help rows `(keys, description)` that match the filter: every bound
/// action, then the fixed keys that edit text.
pub(crate) fn rows(app: &App, filter: &str) -> Vec<(String, &'static str)> {
    let filter = filter.to_lowercase();
    app.config
        .keys
        .bindings()
        .filter(|(_, keys)| !keys.is_empty())
        .map(|(action, keys)| {
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            (keys.join(" "), action.description())
        })
        .chain(std::iter::once((EDITING_KEYS.to_string(), EDITING_HELP)))
        .filter(|(keys, description)| {
            filter.is_empty()
                || description.to_lowercase().contains(&filter)
                || keys.to_lowercase().contains(&filter)
        })
        .collect()
}

/// Draws the help overlay: a filter line, the rows that fit (scrolled by
/// the arrows), and a footer saying how to close help and how to quit.
pub(crate) fn draw(app: &App, help: &HelpState, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let rows = rows(app, &help.filter);
    let title = Line::styled(" Keys ", Style::new().add_modifier(Modifier::BOLD));
    let height = u16::try_from(rows.len())
        .unwrap_or(u16::MAX)
        .saturating_add(5);
    let inner = popup(area, 72, height, title, Style::new().fg(theme.border), buf);
    if inner.is_empty() {
        return;
    }
    let filter_line = Line::from(vec![
        Span::styled("filter: ", Style::new().fg(theme.dim)),
        Span::raw(help.filter.clone()),
        Span::styled("▏", Style::new().fg(theme.accent)),
    ]);
    line_at(filter_line, inner, 0, buf);
    let footer_row = inner.height.saturating_sub(1);
    let visible = usize::from(inner.height.saturating_sub(2));
    let offset = help.offset.min(rows.len().saturating_sub(visible));
    let below = rows.len().saturating_sub(offset + visible);
    line_at(
        footer(app, offset, below, inner.width),
        inner,
        footer_row,
        buf,
    );
    if rows.is_empty() {
        line_at(
            Line::styled("no key does that", Style::new().fg(theme.dim)),
            inner,
            2,
            buf,
        );
        return;
    }
    let width = usize::from(inner.width);
    let key_width = rows
        .iter()
        .map(|(keys, _)| keys.width())
        .max()
        .unwrap_or(0)
        .min(width / 2);
    for (number, (keys, description)) in rows.iter().skip(offset).take(visible).enumerate() {
        let keys = truncate(keys, key_width).into_owned();
        let pad = key_width.saturating_sub(keys.width());
        let description = truncate(description, width.saturating_sub(key_width + 2)).into_owned();
        let line = Line::from(vec![
            Span::styled(
                keys,
                Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
            ),
            Span::raw(" ".repeat(pad + 2)),
            Span::raw(description),
        ]);
        line_at(line, inner, number as u16 + 1, buf);
    }
}

/// `↑↓ 4 more · esc close · q quit`, from the live key map.
fn footer(app: &App, above: usize, below: usize, width: u16) -> Line<'static> {
    let mut parts = Vec::new();
    if above + below > 0 {
        parts.push(format!("↑↓ {} more", above + below));
    }
    if let Some(key) = app.config.keys.hint_key(Mode::Help, Action::Back) {
        parts.push(format!("{key} close"));
    }
    if let Some(key) = app.config.keys.keys_for(Action::Quit).first() {
        parts.push(format!("{key} quit"));
    }
    Line::styled(
        truncate(&parts.join(" · "), usize::from(width)).into_owned(),
        Style::new().fg(app.config.theme.dim),
    )
}
