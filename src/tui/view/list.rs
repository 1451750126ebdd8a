//! The list pane: a header with the order and position, then one row per
//! visible article. Only the rows on screen are built.

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget};
use unicode_width::UnicodeWidthStr;

use super::columns::{self, Placed};
use super::parts::{dim_text, header_line, line_at};
use crate::article::when::{Shown, TIME_WIDTH};
use crate::library::{ListColumn, SummaryRow};
use crate::tui::app::{App, Focus};
use crate::tui::layout::list_parts;
use crate::tui::style::Highlights;
use crate::tui::wrap::truncate;

/// Draws the list pane.
pub(crate) fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let parts = list_parts(area);
    line_at(header(app, area.width), parts.header, 0, buf);
    let rows = parts.rows;
    if rows.is_empty() {
        return;
    }
    if let (Some(error), true) = (&app.load_error, app.visible.is_empty()) {
        draw_load_error(app, error, rows, buf);
        return;
    }
    if app.visible.is_empty() {
        if app.loading.is_none() && app.library.is_empty() {
            // A folder with nothing in it yet: which, and how to fill it.
            super::empty::draw(app, rows, buf);
        } else {
            line_at(empty_message(app, rows.width), rows, 0, buf);
        }
        return;
    }
    let scrollbar = app.visible.len() > usize::from(rows.height);
    let text_width = if scrollbar {
        rows.width - 1
    } else {
        rows.width
    };
    let text_area = Rect {
        width: text_width,
        ..rows
    };
    let end = (app.list_offset + usize::from(rows.height)).min(app.visible.len());
    let now = app.local_now();
    let shown: Vec<(usize, Cells)> = (app.list_offset..end)
        .filter_map(|position| {
            let article = app
                .visible
                .get(position)
                .and_then(|&i| app.library.get(i))?;
            Some((position, Cells::of(app, article, &now)))
        })
        .collect();
    let plan = plan_for(app, shown.iter().map(|(_, cells)| cells), text_width);
    let feed = feed_width(shown.iter().map(|(_, cells)| cells), text_width);
    for (row, (position, cells)) in shown.iter().enumerate() {
        let selected = *position == app.selected;
        let line = row_line(app, cells, (&plan, feed), usize::from(text_width), selected);
        line_at(line, text_area, row as u16, buf);
    }
    if scrollbar {
        let mut state =
            ScrollbarState::new(app.visible.len().saturating_sub(usize::from(rows.height)))
                .position(app.list_offset);
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(Style::new().fg(app.config.theme.dim))
            .render(rows, buf, &mut state);
    }
}

fn header(app: &App, width: u16) -> Line<'static> {
    let theme = &app.config.theme;
    let left = match app.loading {
        Some(loading) => format!(" loading… {} of {} files", loading.loaded, loading.found),
        None => format!(" Articles · {}", app.sort.label()),
    };
    let right = if app.counting() {
        format!("{}/… ", app.selected + 1)
    } else if app.visible.is_empty() {
        "0/0 ".to_string()
    } else {
        format!("{}/{} ", app.selected + 1, app.visible.len())
    };
    let focused = app.focus == Focus::List && !app.fullscreen;
    let style = if focused {
        Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(theme.dim)
    };
    header_line(&left, &right, width, style)
}

/// The load error, wrapped to the pane, in the error colour.
fn draw_load_error(app: &App, error: &str, area: Rect, buf: &mut Buffer) {
    let style = Style::new().fg(app.config.theme.error);
    let text = format!("cannot load the articles: {error}; press r to try again");
    let width = usize::from(area.width.saturating_sub(1));
    for (row, range) in crate::tui::wrap::wrap(&text, width).into_iter().enumerate() {
        let Ok(row) = u16::try_from(row) else { break };
        let line = Line::styled(format!(" {}", &text[range]), style);
        line_at(line, area, row, buf);
    }
}

fn empty_message(app: &App, width: u16) -> Line<'static> {
    let text = if app.loading.is_some() {
        " loading…".to_string()
    } else {
        " no articles match · c clears the filters".to_string()
    };
    dim_text(&text, width, Style::new().fg(app.config.theme.dim))
}

/// What a row shows in each column, before it is cut to the columns.
struct Cells<'a> {
    /// The article.
    article: SummaryRow<'a>,
    /// Its time when it is of today (`14:05`), else its date as
    /// `date_format` writes it, or nothing.
    date: String,
    /// Its tags, comma-separated, then the person's own, each after a `+`.
    tags: String,
    /// Its categories, comma-separated.
    categories: String,
    /// The name of its feed, when the list shows articles of several
    /// feeds; else empty.
    feed: &'a str,
}

impl<'a> Cells<'a> {
    fn of(app: &'a App, article: SummaryRow<'a>, now: &DateTime<FixedOffset>) -> Cells<'a> {
        let date = article
            .date()
            .map(|d| Shown::at(d, article.clock(), now).text(|d| app.config.display.format_date(d)))
            .unwrap_or_default();
        Cells {
            article,
            date,
            tags: article
                .tags()
                .map(str::to_string)
                .chain(
                    app.marks
                        .tags
                        .get(article.id())
                        .into_iter()
                        .flatten()
                        .map(|tag| format!("+{tag}")),
                )
                .collect::<Vec<_>>()
                .join(", "),
            categories: article.categories().collect::<Vec<_>>().join(", "),
            feed: app.feed_name_of(article.id()).unwrap_or(""),
        }
    }

    /// The text of `column`.
    fn text(&self, column: ListColumn) -> &str {
        match column {
            ListColumn::Date => &self.date,
            ListColumn::Title => self.article.title(),
            ListColumn::Tags => &self.tags,
            ListColumn::Categories => &self.categories,
        }
    }
}

/// The columns for these rows in a row `width` wide: what the widest text
/// of each needs, the date's widest possible so it never moves.
fn plan_for<'a>(
    app: &App,
    rows: impl Iterator<Item = &'a Cells<'a>> + Clone,
    width: u16,
) -> Vec<Placed> {
    let display = &app.config.display;
    let feed = feed_width(rows.clone(), width);
    let need = |column: ListColumn| match column {
        // A time may stand where a date does.
        ListColumn::Date => display.date_width().max(TIME_WIDTH),
        // The feed's name stands before the title, in a column of its own
        // width.
        ListColumn::Title if feed > 0 => {
            feed + FEED_GAP
                + rows
                    .clone()
                    .map(|cells| cells.text(column).width())
                    .max()
                    .unwrap_or(0)
        }
        _ => rows
            .clone()
            .map(|cells| cells.text(column).width())
            .max()
            .unwrap_or(0),
    };
    let room = usize::from(width).saturating_sub(marks_width(app));
    columns::plan(&display.list_columns, need, room)
}

/// Between the feed's name and the title.
const FEED_GAP: usize = 2;

/// The widest a feed's name gets before the title.
const MAX_FEED_WIDTH: usize = 18;

/// The width of the feed names before the titles of these rows: the widest
/// name, at most [`MAX_FEED_WIDTH`] and a quarter of the row; 0 when no
/// row shows one.
fn feed_width<'a>(rows: impl Iterator<Item = &'a Cells<'a>>, width: u16) -> usize {
    rows.map(|cells| cells.feed.width())
        .max()
        .unwrap_or(0)
        .min(MAX_FEED_WIDTH)
        .min(usize::from(width) / 4)
}

/// The mark of a picked article (`toggle_select`), shown only while some
/// are picked.
const PICK_MARK: &str = "▸";

/// The columns the marks take: unread and bookmark, and while articles are
/// picked, the pick mark before them.
fn marks_width(app: &App) -> usize {
    let display = &app.config.display;
    let picking = if app.picked_ids.is_empty() {
        0
    } else {
        PICK_MARK.width()
    };
    picking + display.unread_mark.width() + display.bookmark_mark.width()
}

/// `•★ 2024-12-24 Title…  tags`: the marks, then each column's text cut
/// or padded to its width, so columns line up from row to row.
fn row_line<'a>(
    app: &'a App,
    cells: &Cells<'a>,
    layout: (&[Placed], usize),
    width: usize,
    selected: bool,
) -> Line<'a> {
    let (plan, feed) = layout;
    let theme = &app.config.theme;
    let display = &app.config.display;
    let id = cells.article.id();
    let unread = !app.marks.read.contains(id);
    let bookmarked = app.marks.bookmarked.contains(id);
    let mark = |on: bool, symbol: &'a str| -> String {
        if on {
            symbol.to_string()
        } else {
            " ".repeat(symbol.width())
        }
    };
    let mut spans = Vec::new();
    if !app.picked_ids.is_empty() {
        let picked = app.picked_ids.contains(id);
        spans.push(Span::styled(
            mark(picked, PICK_MARK),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
    }
    spans.extend([
        Span::styled(
            mark(unread, &display.unread_mark),
            Style::new().fg(theme.unread),
        ),
        Span::styled(
            mark(bookmarked, &display.bookmark_mark),
            Style::new().fg(theme.bookmark),
        ),
    ]);
    for placed in plan {
        let style = match placed.column {
            ListColumn::Date => Style::new().fg(theme.meta),
            ListColumn::Title if unread => {
                Style::new().fg(theme.title).add_modifier(Modifier::BOLD)
            }
            ListColumn::Title => Style::new().fg(theme.title),
            ListColumn::Tags | ListColumn::Categories => Style::new().fg(theme.tag),
        };
        spans.push(Span::raw(" ".repeat(placed.gap)));
        let mut room = placed.width;
        if placed.column == ListColumn::Title && feed > 0 {
            let name = truncate(cells.feed, feed.min(room));
            let pad = (feed + FEED_GAP).min(room).saturating_sub(name.width());
            room = room.saturating_sub(feed + FEED_GAP);
            spans.push(Span::styled(name.into_owned(), Style::new().fg(theme.meta)));
            spans.push(Span::raw(" ".repeat(pad)));
        }
        let text = truncate(cells.text(placed.column), room);
        let pad = room.saturating_sub(text.width());
        spans.push(Span::styled(text.into_owned(), style));
        spans.push(Span::raw(" ".repeat(pad)));
    }
    let line = Line::from(spans);
    if selected {
        let filled = line.width();
        let mut line = line;
        line.spans
            .push(Span::raw(" ".repeat(width.saturating_sub(filled))));
        let style = if app.focus == Focus::List {
            theme.selected()
        } else {
            theme.selected().add_modifier(Modifier::DIM)
        };
        line.style(style)
    } else {
        line
    }
}
