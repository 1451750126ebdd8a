//! The help (`?`): every action with its keys, from the live key map,
//! then the query language in brief. It takes the room the screen has and
//! wraps what does not fit, so no description is ever cut; `down`/`up`
//! (`j`/`k`, the arrows), the page keys, `top` and `bottom` scroll it. The
//! search key (`/`) starts a filter, typed like a prompt (then letters are
//! text, Enter keeps it, Esc clears it); the box keeps its size as the
//! filter narrows the rows, so nothing jumps. `back`, `quit`, `open` or the
//! help key close it.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::frame::{CLOSING, keyed, popup};
use super::prompt::{POPUP_PAGE, edit_text};
use super::{Context, Popup, Reply};
use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::library::query::guide::{GUIDE, Term};
use crate::tui::view::parts::{dim_text, line_at};
use crate::tui::wrap::{truncate, wrap};

/// The help's state: a filter over its rows, whether it is being typed,
/// and how far the rows are scrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpState {
    /// Typed text narrowing the list of actions.
    pub filter: String,
    /// Whether keys type into the filter (after the search key) rather
    /// than scroll.
    pub typing: bool,
    /// First line shown when the rows are longer than the box.
    pub offset: usize,
    /// The last offset that still fills the box, as last drawn: scrolling
    /// stops there, so `up` works at once after scrolling past the end.
    last_offset: Cell<usize>,
}

impl Default for HelpState {
    /// Help at its top, nothing typed; until it is drawn, any offset may
    /// be scrolled to (the drawing clamps it).
    fn default() -> HelpState {
        HelpState {
            filter: String::new(),
            typing: false,
            offset: 0,
            last_offset: Cell::new(usize::MAX),
        }
    }
}

impl HelpState {
    /// Scrolls the rows by `lines` (negative: up), within what was drawn.
    pub(crate) fn scroll(&mut self, lines: isize) {
        let last = self.last_offset.get();
        self.offset = self.offset.min(last).saturating_add_signed(lines).min(last);
    }

    /// Edits the filter; the rows start again from their top.
    pub(crate) fn edit(&mut self, key: Key) {
        if edit_text(&mut self.filter, key) {
            self.offset = 0;
        }
    }

    /// Keys while the filter is typed: Enter keeps it, Esc clears it,
    /// the rest edits it.
    fn typing_key(&mut self, action: Option<Action>, key: Key) {
        match action {
            Some(Action::Open) => self.typing = false,
            Some(Action::Back) => {
                self.typing = false;
                self.filter.clear();
                self.offset = 0;
            }
            _ => self.edit(key),
        }
    }
}

impl Popup for HelpState {
    fn mode(&self) -> Mode {
        // While the filter is typed, keys are the prompt's.
        if self.typing {
            Mode::Search
        } else {
            Mode::Help
        }
    }

    fn key(&mut self, action: Option<Action>, key: Key, _config: &Config) -> Reply {
        if self.typing {
            self.typing_key(action, key);
            return Reply::STAY;
        }
        let page = POPUP_PAGE as isize;
        match action {
            Some(Action::Back | Action::Open | Action::Help) => return Reply::CLOSE,
            Some(Action::Search) => self.typing = true,
            Some(Action::Down) => self.scroll(1),
            Some(Action::Up) => self.scroll(-1),
            Some(Action::PageDown) => self.scroll(page),
            Some(Action::PageUp) => self.scroll(-page),
            Some(Action::Top) => self.offset = 0,
            Some(Action::Bottom) => self.offset = self.last_offset.get(),
            _ => {}
        }
        Reply::STAY
    }

    /// Scrolling and filtering, then how to close it and quit; while the
    /// filter is typed, how to keep or clear it.
    fn bar_actions(&self, _config: &Config) -> Vec<(Action, &'static str)> {
        if self.typing {
            return vec![
                (Action::Open, "keep filter"),
                (Action::Back, "clear filter"),
            ];
        }
        let mut actions = vec![
            (Action::Down, "scroll"),
            (Action::Up, "scroll"),
            (Action::Search, "filter"),
        ];
        actions.extend_from_slice(CLOSING);
        actions
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

/// Under this many columns inside the box, keys go on a line of their own
/// above what they do, which then has the whole width.
const STACKED_BELOW: usize = 60;

/// The widest the box gets: wider lines are hard to read.
const MAX_WIDTH: u16 = 160;

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

/// The left column's pieces of a row: its keys (split where a space is,
/// so a long list wraps between keys) or its examples, one per line.
fn left_pieces(row: &HelpRow) -> Vec<String> {
    match row {
        HelpRow::Heading(_) => Vec::new(),
        HelpRow::Key(keys, _) => keys.split(' ').map(str::to_string).collect(),
        HelpRow::Query(term) => term.examples.iter().map(|e| e.to_string()).collect(),
    }
}

/// The left column's pieces packed into lines of `width` columns: keys
/// side by side while they fit, examples one per line.
fn left_lines(row: &HelpRow, width: usize) -> Vec<String> {
    let pieces = left_pieces(row);
    if matches!(row, HelpRow::Query(_)) {
        return pieces
            .iter()
            .map(|p| truncate(p, width).into_owned())
            .collect();
    }
    let mut lines: Vec<String> = Vec::new();
    for piece in pieces {
        match lines.last_mut() {
            Some(line) if line.width() + 1 + piece.width() <= width => {
                line.push(' ');
                line.push_str(&piece);
            }
            _ => lines.push(truncate(&piece, width).into_owned()),
        }
    }
    lines
}

/// What a row says it does.
fn description(row: &HelpRow) -> &str {
    match row {
        HelpRow::Heading(text) => text,
        HelpRow::Key(_, description) => description,
        HelpRow::Query(term) => term.matches,
    }
}

/// The left column's width for `rows` in `width` columns: room for every
/// key list and example, but never more than a third of the width.
fn left_column(rows: &[HelpRow], width: usize) -> usize {
    rows.iter()
        .flat_map(left_pieces_widths)
        .max()
        .unwrap_or(0)
        .min(width / 3)
}

/// The widths the left column would like for a row: a key list whole, each
/// example whole.
fn left_pieces_widths(row: &HelpRow) -> Vec<usize> {
    match row {
        HelpRow::Key(keys, _) => vec![keys.width()],
        other => left_pieces(other).iter().map(|p| p.width()).collect(),
    }
}

/// The rows laid out as lines of `width` columns: keys or examples in a
/// left column, what they do wrapped beside them (below them when the box
/// is narrow), so every word of every description is shown.
pub(crate) fn lines(config: &Config, rows: &[HelpRow], width: usize) -> Vec<Line<'static>> {
    let theme = &config.theme;
    let left_style = Style::new().fg(theme.accent).add_modifier(Modifier::BOLD);
    let heading_style = Style::new().fg(theme.dim).add_modifier(Modifier::BOLD);
    let stacked = width < STACKED_BELOW;
    let column = if stacked {
        width
    } else {
        left_column(rows, width)
    };
    // Beside the column after two spaces, or under it indented by two.
    let text_width = if stacked {
        width.saturating_sub(2)
    } else {
        width.saturating_sub(column + 2)
    }
    .max(1);
    let mut out = Vec::new();
    for row in rows {
        let text = description(row);
        let wrapped: Vec<&str> = wrap(text, text_width)
            .into_iter()
            .map(|range| &text[range])
            .collect();
        if let HelpRow::Heading(_) = row {
            for piece in wrap(text, width.max(1)) {
                out.push(Line::styled(text[piece].to_string(), heading_style));
            }
            continue;
        }
        let left = left_lines(row, column);
        if stacked {
            for piece in left {
                out.push(Line::styled(piece, left_style));
            }
            for piece in wrapped {
                out.push(Line::raw(format!("  {piece}")));
            }
            continue;
        }
        for at in 0..left.len().max(wrapped.len()) {
            let piece = left.get(at).cloned().unwrap_or_default();
            let pad = column.saturating_sub(piece.width()) + 2;
            let said = wrapped.get(at).copied().unwrap_or_default();
            out.push(Line::from(vec![
                Span::styled(piece, left_style),
                Span::raw(" ".repeat(pad)),
                Span::raw(said.to_string()),
            ]));
        }
    }
    out
}

/// The box's size in `area`: as wide as the widest row wants, up to the
/// screen (less a margin) or [`MAX_WIDTH`]; as tall as every row (the
/// filter aside) wants at that width. The filter never changes it, so
/// the box stays still as rows come and go.
fn size(config: &Config, area: Rect) -> (u16, u16) {
    let all = rows(config, "");
    let room = area.width.saturating_sub(4).min(MAX_WIDTH);
    let natural = {
        let column = left_column(&all, usize::MAX / 4);
        let widest = all.iter().map(|row| description(row).width()).max();
        column + 2 + widest.unwrap_or(0) + 2
    };
    let width = u16::try_from(natural)
        .unwrap_or(u16::MAX)
        .min(room)
        .max(area.width.min(20));
    let inner = usize::from(width.saturating_sub(2));
    // The filter line, the lines, the footer, and the border.
    let wanted = lines(config, &all, inner).len() + 4;
    let height = u16::try_from(wanted)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2).max(area.height.min(5)));
    (width, height)
}

/// Draws the help: the filter line, the lines that fit (scrolled), and a
/// footer saying how much is out of view and what the keys do here.
fn draw(config: &Config, help: &HelpState, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let rows = rows(config, &help.filter);
    let title = Line::styled(" Help ", Style::new().add_modifier(Modifier::BOLD));
    let (width, height) = size(config, area);
    let inner = popup(
        area,
        width,
        height,
        title,
        Style::new().fg(theme.border),
        buf,
    );
    if inner.is_empty() {
        return;
    }
    let dim = Style::new().fg(theme.dim);
    let filter_line = if help.typing || !help.filter.is_empty() {
        let mut spans = vec![
            Span::styled("filter: ", dim),
            Span::raw(help.filter.clone()),
        ];
        if help.typing {
            spans.push(Span::styled("▏", Style::new().fg(theme.accent)));
        }
        Line::from(spans)
    } else {
        let search = keyed(config, Mode::Help, &[(Action::Search, "filter")]);
        let text = search
            .first()
            .map_or(String::new(), |(key, _)| format!("{key} to filter"));
        dim_text(&text, inner.width, dim)
    };
    line_at(filter_line, inner, 0, buf);
    // Lines go between the filter line and the footer, never over either.
    let visible = usize::from(inner.height.saturating_sub(2));
    let width = usize::from(inner.width);
    let lines = lines(config, &rows, width);
    let last = lines.len().saturating_sub(visible);
    help.last_offset.set(last);
    let offset = help.offset.min(last);
    if rows.is_empty() {
        if visible > 0 {
            line_at(dim_text(NOTHING_MATCHES, inner.width, dim), inner, 1, buf);
        }
    } else {
        for (number, line) in lines.into_iter().skip(offset).take(visible).enumerate() {
            line_at(line, inner, number as u16 + 1, buf);
        }
    }
    let footer_row = inner.height.saturating_sub(1);
    if footer_row > 0 {
        let below = last.saturating_sub(offset);
        line_at(
            footer(config, help, offset, below, inner.width),
            inner,
            footer_row,
            buf,
        );
    }
}

/// `↑ 3 ↓ 40 more · j/k scroll · / filter · esc/q close · Q quit`, from the
/// live key map: only keys that do that here.
fn footer(
    config: &Config,
    help: &HelpState,
    above: usize,
    below: usize,
    width: u16,
) -> Line<'static> {
    let mut parts = Vec::new();
    match (above, below) {
        (0, 0) => {}
        (0, below) => parts.push(format!("↓ {below} more")),
        (above, 0) => parts.push(format!("↑ {above} more")),
        (above, below) => parts.push(format!("↑ {above} ↓ {below} more")),
    }
    // How to leave first; hints that do not fit whole are left out (the
    // line under the status line says them too), rather than one cut in
    // the middle.
    let room = usize::from(width);
    let actions = help.bar_actions(config);
    let (leaving, others): (Vec<_>, Vec<_>) = keyed(config, help.mode(), &actions)
        .into_iter()
        .partition(|(_, word)| matches!(*word, "close" | "quit"));
    for (key, word) in leaving.into_iter().chain(others) {
        let hint = format!("{key} {word}");
        let used: usize = parts.iter().map(|p| p.width() + 3).sum();
        if used + hint.width() > room {
            break;
        }
        parts.push(hint);
    }
    Line::styled(
        truncate(&parts.join(" · "), room).into_owned(),
        Style::new().fg(config.theme.dim),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_description_is_wrapped_whole_at_any_width() {
        let config = Config::default();
        let rows = rows(&config, "");
        for width in [30, 48, 76, 116, 156] {
            let text: Vec<String> = lines(&config, &rows, width)
                .iter()
                .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect();
            assert!(text.iter().all(|l| l.width() <= width), "{width}: {text:?}");
            let joined = text.join(" ");
            for &action in Action::ALL {
                for word in action.description().split_whitespace() {
                    assert!(joined.contains(word), "{width}: {word} of {action}");
                }
            }
            assert!(!joined.contains('…'), "{width}: nothing is cut");
        }
    }

    #[test]
    fn scrolling_stops_at_the_last_full_screen() {
        let mut help = HelpState::default();
        help.scroll(2);
        assert_eq!(help.offset, 2, "before it is drawn, scrolling is not held");
        help.last_offset.set(5);
        help.scroll(100);
        assert_eq!(help.offset, 5);
        help.scroll(-1);
        assert_eq!(help.offset, 4, "up works at once after the end");
    }
}
