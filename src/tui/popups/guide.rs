//! The query cheat sheet: the query language in brief, from
//! [`crate::library::query::guide`], shown under the search prompt (the
//! help key on an empty prompt) and as a section of help.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::frame::framed;
use crate::config::Config;
use crate::library::query::guide::{GUIDE, Term};
use crate::tui::view::parts::line_at;
use crate::tui::wrap::truncate;

/// Widest the sheet under the prompt gets: as wide as help.
const MAX_WIDTH: u16 = 72;

/// Between two examples in one cell.
const EXAMPLE_GAP: &str = "  ";

/// As many of the term's examples as fit in `width` columns, first ones
/// first; the first is always given, cut with `…` when even it is too wide.
pub(crate) fn examples_within(term: &Term, width: usize) -> String {
    let mut out = String::new();
    for example in term.examples {
        let gap = if out.is_empty() { "" } else { EXAMPLE_GAP };
        if out.width() + gap.width() + example.width() > width {
            break;
        }
        out.push_str(gap);
        out.push_str(example);
    }
    if out.is_empty() {
        let first = term.examples.first().copied().unwrap_or_default();
        return truncate(first, width).into_owned();
    }
    out
}

/// The width of the examples' column: room for every first example, but
/// never more than half of `width`.
pub(crate) fn examples_column(terms: &[&Term], width: usize) -> usize {
    terms
        .iter()
        .filter_map(|term| term.examples.first())
        .map(|example| example.width())
        .max()
        .unwrap_or(0)
        .min(width / 2)
}

/// One row: the examples in the accent colour, padded to `column`, then
/// what they match, cut to the rest of `width`.
pub(crate) fn term_line(
    config: &Config,
    term: &Term,
    column: usize,
    width: usize,
) -> Line<'static> {
    let examples = examples_within(term, column);
    let pad = column.saturating_sub(examples.width());
    let matches = truncate(term.matches, width.saturating_sub(column + 2)).into_owned();
    Line::from(vec![
        Span::styled(
            examples,
            Style::new()
                .fg(config.theme.accent)
                .add_modifier(Modifier::BOLD),
        ),
        Span::raw(" ".repeat(pad + 2)),
        Span::raw(matches),
    ])
}

/// Draws the sheet in a box just above the status line at `status`, over
/// the bottom of the panes, as many rows as fit below the top of `area`.
pub(crate) fn draw_under_prompt(config: &Config, status: Rect, area: Rect, buf: &mut Buffer) {
    let width = area.width.min(MAX_WIDTH);
    let wanted = u16::try_from(GUIDE.len() + 2).unwrap_or(u16::MAX);
    let height = wanted.min(status.y.saturating_sub(area.y));
    if width < 3 || height < 3 {
        return;
    }
    let rect = Rect {
        x: area.x,
        y: status.y - height,
        width,
        height,
    };
    let title = Line::styled(" Queries ", Style::new().add_modifier(Modifier::BOLD));
    let inner = framed(rect, title, Style::new().fg(config.theme.border), buf);
    let terms: Vec<&Term> = GUIDE.iter().collect();
    let text_width = usize::from(inner.width);
    let column = examples_column(&terms, text_width);
    for (row, term) in terms.iter().take(usize::from(inner.height)).enumerate() {
        let line = term_line(config, term, column, text_width);
        line_at(line, inner, row as u16, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATES: Term = Term {
        examples: &["date:2024", "date:2024-03", "date:2024-03-05"],
        matches: "a year, month or day",
    };

    #[test]
    fn examples_are_given_while_they_fit_and_the_first_always() {
        assert_eq!(
            examples_within(&DATES, 100),
            "date:2024  date:2024-03  date:2024-03-05"
        );
        assert_eq!(examples_within(&DATES, 24), "date:2024  date:2024-03");
        assert_eq!(examples_within(&DATES, 9), "date:2024");
        assert_eq!(examples_within(&DATES, 6), "date:…");
    }

    #[test]
    fn the_column_fits_the_first_examples_within_half_the_width() {
        let terms = [&DATES];
        assert_eq!(examples_column(&terms, 80), 9);
        assert_eq!(examples_column(&terms, 10), 5);
    }
}
