//! The help overlay: every action with its keys, from the live key map,
//! then the query language in brief, both narrowed by what is typed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{guide, line_at, popup, quit_key};
use unicode_width::UnicodeWidthStr;

use crate::keys::{Action, Mode};
use crate::library::query::guide::{GUIDE, Term};
use crate::tui::app::App;
use crate::tui::picker::HelpState;
use crate::tui::wrap::truncate;

/// The keys that edit a prompt's or filter's text, which the key map does
/// not change.
const EDITING_KEYS: &str = "backspace ctrl-u ctrl-w";

/// What the editing keys do, as the help says it.
const EDITING_HELP: &str = "Edit typed text (fixed, readline style)";

/// Said in place of the rows when the filter matches none.
const NOTHING_MATCHES: &str = "no key or query term matches";

/// One row of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HelpRow {
    /// A section's title.
    Heading(String),
    /// An action's keys and what it does.
    Key(String, &'static str),
    /// A kind of query term: examples and what they match.
    Query(&'static Term),
}

/// The help rows that match the filter: every bound action and the fixed
/// keys that edit text, then, under their own heading, the query terms.
/// A section the filter empties goes, heading and all.
pub(crate) fn rows(app: &App, filter: &str) -> Vec<HelpRow> {
    let filter = filter.to_lowercase();
    let shows = |texts: &[&str]| {
        filter.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&filter))
    };
    let keys: Vec<HelpRow> = app
        .config
        .keys
        .bindings()
        .filter(|(_, keys)| !keys.is_empty())
        .map(|(action, keys)| {
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            (keys.join(" "), action.description())
        })
        .chain(std::iter::once((EDITING_KEYS.to_string(), EDITING_HELP)))
        .filter(|(keys, description)| shows(&[keys, description]))
        .map(|(keys, description)| HelpRow::Key(keys, description))
        .collect();
    let queries: Vec<HelpRow> = GUIDE
        .iter()
        .filter(|term| shows(term.examples) || shows(&[term.matches]))
        .map(HelpRow::Query)
        .collect();
    let mut rows = keys;
    if !queries.is_empty() {
        rows.push(HelpRow::Heading(queries_heading(app)));
        rows.extend(queries);
    }
    rows
}

/// `Queries (type them after /)`, with the search key of the key map.
fn queries_heading(app: &App) -> String {
    match app.config.keys.hint_key(Mode::Browse, Action::Search) {
        Some(key) => format!("Queries (type them after {key})"),
        None => "Queries".to_string(),
    }
}

/// Draws the help overlay: a filter line, the rows that fit (scrolled by
/// the arrows), and a footer saying how to close help and how to quit.
pub(crate) fn draw(app: &App, help: &HelpState, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let rows = rows(app, &help.filter);
    let title = Line::styled(" Help ", Style::new().add_modifier(Modifier::BOLD));
    // The filter line, the rows (or what says there are none), a blank and
    // the footer, inside the border.
    let height = u16::try_from(rows.len().max(1))
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
    // Rows go between the filter line and the footer, never over either.
    let visible = usize::from(inner.height.saturating_sub(2));
    let offset = help.offset.min(rows.len().saturating_sub(visible));
    let below = rows.len().saturating_sub(offset + visible);
    let footer_row = inner.height.saturating_sub(1);
    let footer = footer(app, offset, below, inner.width);
    if rows.is_empty() {
        if visible > 0 {
            let style = Style::new().fg(theme.dim);
            line_at(
                super::dim_text(NOTHING_MATCHES, inner.width, style),
                inner,
                1,
                buf,
            );
        }
    } else {
        let width = usize::from(inner.width);
        let column = left_column(&rows, width);
        for (number, row) in rows.iter().skip(offset).take(visible).enumerate() {
            let line = row_line(app, row, column, width);
            line_at(line, inner, number as u16 + 1, buf);
        }
    }
    if footer_row > 0 {
        line_at(footer, inner, footer_row, buf);
    }
}

/// The width of the left column (keys, query examples): room for every
/// row's keys and first example, but never more than half of `width`.
fn left_column(rows: &[HelpRow], width: usize) -> usize {
    let terms: Vec<&Term> = rows
        .iter()
        .filter_map(|row| match row {
            HelpRow::Query(term) => Some(*term),
            _ => None,
        })
        .collect();
    let keys = rows
        .iter()
        .filter_map(|row| match row {
            HelpRow::Key(keys, _) => Some(keys.width()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(width / 2);
    keys.max(guide::examples_column(&terms, width))
}

/// One row drawn: keys or examples in the left column, then what they do.
fn row_line(app: &App, row: &HelpRow, column: usize, width: usize) -> Line<'static> {
    let theme = &app.config.theme;
    match row {
        HelpRow::Heading(text) => Line::styled(
            truncate(text, width).into_owned(),
            Style::new().fg(theme.dim).add_modifier(Modifier::BOLD),
        ),
        HelpRow::Query(term) => guide::term_line(app, term, column, width),
        HelpRow::Key(keys, description) => {
            let keys = truncate(keys, column).into_owned();
            let pad = column.saturating_sub(keys.width());
            let description = truncate(description, width.saturating_sub(column + 2)).into_owned();
            Line::from(vec![
                Span::styled(
                    keys,
                    Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
                ),
                Span::raw(" ".repeat(pad + 2)),
                Span::raw(description),
            ])
        }
    }
}

/// `↑↓ 4 more · esc close · ctrl-c quit`, from the live key map: only keys
/// that do that here (typed letters go to the filter).
fn footer(app: &App, above: usize, below: usize, width: u16) -> Line<'static> {
    let mut parts = Vec::new();
    if above + below > 0 {
        parts.push(format!("↑↓ {} more", above + below));
    }
    if let Some(key) = app.config.keys.hint_key(Mode::Help, Action::Back) {
        parts.push(format!("{key} close"));
    }
    parts.push(format!("{} quit", quit_key(app, Mode::Help)));
    Line::styled(
        truncate(&parts.join(" · "), usize::from(width)).into_owned(),
        Style::new().fg(app.config.theme.dim),
    )
}
