//! The reader pane: a header with the scroll position, then the visible
//! slice of the wrapped document, search matches highlighted.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget};

use super::parts::{header_line, line_at};
use crate::article::Body;
use crate::config::Theme;
use crate::tui::app::{App, Focus, MatchCount};
use crate::tui::document::{Document, SegmentStyle, find_matches, indent_of};
use crate::tui::style::Highlights;

/// Draws the reader pane.
pub(crate) fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let theme = &app.config.theme;
    let border = Style::new().fg(theme.border);
    let parts = app.reader_parts(area);
    // A one-column rule separates the reader from a list to its left; the
    // column stays as a margin when the reader is alone or below the list.
    if area.x > 0 {
        for y in parts.rule.top()..parts.rule.bottom() {
            buf[(parts.rule.x, y)].set_symbol("│").set_style(border);
        }
    }
    let article = app.opened_article();
    let (Some(document), Some(article)) = (&app.document, article) else {
        let why = app.open_error().map_or_else(
            || " nothing to read".to_string(),
            |error| format!(" {error}"),
        );
        let style = if app.open_error().is_some() {
            Style::new().fg(theme.error)
        } else {
            Style::new().fg(theme.dim)
        };
        line_at(Line::styled(why, style), parts.header, 0, buf);
        return;
    };
    let text = article.body();
    line_at(
        header(app, document, parts.header.width),
        parts.header,
        0,
        buf,
    );
    let text_area = parts.text;
    if text_area.is_empty() {
        return;
    }
    let terms = app.highlight_terms();
    let current = app.current_match();
    let end = (app.reader_scroll + usize::from(text_area.height)).min(document.lines.len());
    for (row, number) in (app.reader_scroll..end).enumerate() {
        let line = &document.lines[number];
        let current = current
            .filter(|found| found.line == number)
            .map(|found| found.range.clone());
        let styled = styled_line(document, text, line, theme, &terms, current);
        line_at(styled, text_area, row as u16, buf);
    }
    if document.lines.len() > usize::from(text_area.height) {
        let mut state = ScrollbarState::new(
            document
                .lines
                .len()
                .saturating_sub(usize::from(text_area.height)),
        )
        .position(app.reader_scroll);
        let bar = parts.scrollbar;
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(Style::new().fg(theme.dim))
            .render(bar, buf, &mut state);
    }
}

fn header(app: &App, document: &Document, width: u16) -> Line<'static> {
    let theme = &app.config.theme;
    let total = document.lines.len();
    let rows = app.reader_rows().max(1);
    let last_shown = (app.reader_scroll + rows).min(total);
    let percent = if total <= rows {
        100
    } else {
        last_shown * 100 / total
    };
    // A long article still being wrapped has more lines than counted.
    let more = if document.is_complete() { "" } else { "+" };
    let matches = app.match_count().map(match_label).unwrap_or_default();
    let right = format!(
        "{matches}{}-{}/{}{more} {percent}% ",
        app.reader_scroll + 1,
        last_shown,
        total
    );
    let focused = app.focus == Focus::Reader;
    let style = if focused {
        Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(theme.dim)
    };
    let left = if app.fullscreen {
        " Reading · z returns"
    } else {
        " Reading"
    };
    header_line(left, &right, width, style)
}

/// `match 2 of 5 · ` once a match was jumped to, `5 matches · ` before;
/// `+` when a long article was not all searched yet.
fn match_label(count: MatchCount) -> String {
    let more = if count.complete { "" } else { "+" };
    match (count.current, count.total) {
        (Some(index), total) => format!("match {} of {total}{more} · ", index + 1),
        (None, 0) if count.complete => "no matches · ".to_string(),
        (None, 1) if count.complete => "1 match · ".to_string(),
        (None, total) => format!("{total}{more} matches · "),
    }
}

fn base_style(style: SegmentStyle, theme: &Theme) -> Style {
    match style {
        SegmentStyle::Title => Style::new().fg(theme.title).add_modifier(Modifier::BOLD),
        SegmentStyle::Meta => Style::new().fg(theme.meta),
        SegmentStyle::Subheading => Style::new()
            .fg(theme.subheading)
            .add_modifier(Modifier::BOLD),
        SegmentStyle::Quote => Style::new().add_modifier(Modifier::ITALIC),
        SegmentStyle::Code | SegmentStyle::Link => Style::new().fg(theme.dim),
        SegmentStyle::Paragraph | SegmentStyle::ListItem | SegmentStyle::Blank => Style::new(),
    }
}

/// One wrapped line with its style and the search matches marked, the
/// one at `current` (the match jumped to last) in a style of its own.
fn styled_line<'a>(
    document: &'a Document,
    body: Body<'a>,
    line: &crate::tui::document::DocLine,
    theme: &Theme,
    terms: &[String],
    current: Option<Range<usize>>,
) -> Line<'a> {
    let style = document.line_style(line);
    let text = document.line_text(body, line);
    let base = base_style(style, theme);
    let mut spans = Vec::new();
    match style {
        SegmentStyle::Quote => spans.push(Span::styled("│ ", Style::new().fg(theme.border))),
        _ => {
            let indent = indent_of(style);
            if indent > 0 {
                spans.push(Span::raw(" ".repeat(indent)));
            }
        }
    }
    let mut at = 0;
    for range in find_matches(text, terms) {
        if range.start > at {
            spans.push(Span::styled(&text[at..range.start], base));
        }
        let highlight = if current.as_ref() == Some(&range) {
            theme.current_match()
        } else {
            theme.search_match()
        };
        spans.push(Span::styled(&text[range.clone()], base.patch(highlight)));
        at = range.end;
    }
    if at < text.len() {
        spans.push(Span::styled(&text[at..], base));
    }
    Line::from(spans)
}
