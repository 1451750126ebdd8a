//! The help (`?`): every action with its keys, from the live key map,
//! then the query language in brief, both narrowed by what is typed; the
//! arrows scroll, the help key (while nothing is typed), `back` or `open`
//! close it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::frame::{popup, quit_key};
use super::prompt::{POPUP_PAGE, edit_text};
use super::{Context, Popup, Reply, guide};
use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::library::query::guide::{GUIDE, Term};
use crate::tui::view::parts::{dim_text, line_at};
use crate::tui::wrap::truncate;

/// The help's state: a filter over its rows, and how far it is scrolled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    /// Typed text narrowing the list of actions.
    pub filter: String,
    /// First row shown when the list is longer than the popup; the drawing
    /// clamps it.
    pub offset: usize,
}

impl HelpState {
    /// Scrolls the list by `rows` (negative: up).
    pub(crate) fn scroll(&mut self, rows: isize) {
        self.offset = self.offset.saturating_add_signed(rows);
    }

    /// Edits the filter; the list starts again from its top.
    pub(crate) fn edit(&mut self, key: Key) {
        if edit_text(&mut self.filter, key) {
            self.offset = 0;
        }
    }
}

impl Popup for HelpState {
    fn mode(&self) -> Mode {
        Mode::Help
    }

    fn key(&mut self, action: Option<Action>, key: Key, config: &Config) -> Reply {
        // The help key closes help while nothing is typed.
        let help_key = config.keys.keys_for(Action::Help).contains(&key);
        let close = (help_key && self.filter.is_empty())
            || matches!(action, Some(Action::Back | Action::Open | Action::Help));
        if close {
            return Reply::CLOSE;
        }
        let page = POPUP_PAGE as isize;
        match action {
            Some(Action::Down) => self.scroll(1),
            Some(Action::Up) => self.scroll(-1),
            Some(Action::PageDown) => self.scroll(page),
            Some(Action::PageUp) => self.scroll(-page),
            _ => self.edit(key),
        }
        Reply::STAY
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, context: &Context) {
        draw(context.config, self, area, buf);
    }
}

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
pub(crate) fn rows(config: &Config, filter: &str) -> Vec<HelpRow> {
    let filter = filter.to_lowercase();
    let shows = |texts: &[&str]| {
        filter.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&filter))
    };
    let keys: Vec<HelpRow> = config
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
        rows.push(HelpRow::Heading(queries_heading(config)));
        rows.extend(queries);
    }
    rows
}

/// `Queries (type them after /)`, with the search key of the key map.
fn queries_heading(config: &Config) -> String {
    match config.keys.hint_key(Mode::Browse, Action::Search) {
        Some(key) => format!("Queries (type them after {key})"),
        None => "Queries".to_string(),
    }
}

/// Draws the help: a filter line, the rows that fit (scrolled by the
/// arrows), and a footer saying how to close help and how to quit.
fn draw(config: &Config, help: &HelpState, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let rows = rows(config, &help.filter);
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
    let footer = footer(config, offset, below, inner.width);
    if rows.is_empty() {
        if visible > 0 {
            let style = Style::new().fg(theme.dim);
            line_at(dim_text(NOTHING_MATCHES, inner.width, style), inner, 1, buf);
        }
    } else {
        let width = usize::from(inner.width);
        let column = left_column(&rows, width);
        for (number, row) in rows.iter().skip(offset).take(visible).enumerate() {
            let line = row_line(config, row, column, width);
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
fn row_line(config: &Config, row: &HelpRow, column: usize, width: usize) -> Line<'static> {
    let theme = &config.theme;
    match row {
        HelpRow::Heading(text) => Line::styled(
            truncate(text, width).into_owned(),
            Style::new().fg(theme.dim).add_modifier(Modifier::BOLD),
        ),
        HelpRow::Query(term) => guide::term_line(config, term, column, width),
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
fn footer(config: &Config, above: usize, below: usize, width: u16) -> Line<'static> {
    let mut parts = Vec::new();
    if above + below > 0 {
        parts.push(format!("↑↓ {} more", above + below));
    }
    if let Some(key) = config.keys.hint_key(Mode::Help, Action::Back) {
        parts.push(format!("{key} close"));
    }
    parts.push(format!("{} quit", quit_key(config, Mode::Help)));
    Line::styled(
        truncate(&parts.join(" · "), usize::from(width)).into_owned(),
        Style::new().fg(config.theme.dim),
    )
}
