//! The status line (query or prompt, counts, messages) and the key hints,
//! which are generated from the live key map.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::parts::line_at;
use crate::keys::{Action, Mode};
use crate::tui::app::{App, Focus};
use crate::tui::popups::BarHints;
use crate::tui::popups::frame::keyed;
use crate::tui::style::Highlights;
use crate::tui::wrap::truncate;

/// Draws the status line.
pub(crate) fn draw_status(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let status = theme.status();
    buf.set_style(area, status);
    let right = counts(app);
    let room = usize::from(area.width).saturating_sub(right.width() + 1);
    let left = left_part(app, room);
    let gap = usize::from(area.width).saturating_sub(left.width() + right.width());
    let mut spans = left.spans;
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::raw(right));
    line_at(Line::from(spans).style(status), area, 0, buf);
}

/// `5/5 ★2 ⚠1 `: shown/total (`…/total` while a long list is still being
/// filtered), bookmarks, load warnings, unsaved changes.
fn counts(app: &App) -> String {
    let shown = if app.counting() {
        "…".to_string()
    } else {
        app.visible.len().to_string()
    };
    let mut parts = vec![format!("{shown}/{}", app.library.len())];
    if !app.marks.bookmarked.is_empty() {
        parts.push(format!(
            "{}{}",
            app.config.display.bookmark_mark,
            app.marks.bookmarked.len()
        ));
    }
    if !app.library.warnings().is_empty() {
        parts.push(format!("⚠{}", app.library.warnings().len()));
    }
    if app.reading_texts {
        parts.push("reading texts…".to_string());
    }
    if app.unsaved > 0 {
        parts.push(format!("saving {}", app.unsaved));
    }
    if let Some(fetching) = app.fetching {
        parts.push(format!(
            "fetching {}/{} · {} new",
            fetching.done, fetching.total, fetching.new
        ));
    } else if let Some(next) = app.next_fetch_text() {
        // `[fetching] every_minutes`: when the feeds are fetched next.
        parts.push(next);
    }
    format!("{} ", parts.join(" "))
}

/// The open popup's prompt, when it is typed into here; else the filter
/// and the message.
fn left_part(app: &App, room: usize) -> Line<'static> {
    app.overlay
        .as_ref()
        .and_then(|overlay| overlay.popup().prompt(&app.config, room))
        .unwrap_or_else(|| filter_and_message(app, room))
}

/// Between the filter and a message.
const MESSAGE_GAP: &str = " · ";

/// ` tag:"bloopers" · bookmarked: Title`: the filter, always (`all
/// articles` without one, unless a message takes its place), and the
/// message beside it. When both do not fit, the filter keeps at least half
/// the room and the message is cut.
fn filter_and_message(app: &App, room: usize) -> Line<'static> {
    let theme = &app.config.theme;
    let query = app.query_label();
    let filter = match (query.is_empty(), &app.message) {
        (true, Some(_)) => String::new(),
        (true, None) => " all articles".to_string(),
        (false, _) => format!(" {query}"),
    };
    let Some(message) = &app.message else {
        return Line::raw(truncate(&filter, room).into_owned());
    };
    let gap = if filter.is_empty() { " " } else { MESSAGE_GAP };
    let wanted = filter.width() + gap.width() + message.text.width();
    let filter_room = if wanted <= room {
        filter.width()
    } else {
        let beside = room.saturating_sub(gap.width() + message.text.width());
        filter.width().min(beside.max(room / 2))
    };
    let filter = truncate(&filter, filter_room).into_owned();
    let message_room = room.saturating_sub(filter.width() + gap.width());
    let style = if message.error {
        Style::new().fg(theme.error).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(theme.accent)
    };
    Line::from(vec![
        Span::raw(filter),
        Span::styled(gap, Style::new().fg(theme.dim)),
        Span::styled(truncate(&message.text, message_room).into_owned(), style),
    ])
}

/// Key hints shown together (down and up), each an action and the word
/// the hints give it, with their rank: when the line is short, hints of a
/// higher rank give way first.
type Hint = (&'static [(Action, &'static str)], u8);

/// What always has a hint in the list, after the others: how to get help
/// and how to leave (`quit` quits from the list).
const ALWAYS: Hint = (&[(Action::Help, "help"), (Action::Quit, "quit")], 0);

/// What always has a hint with an article open: there `quit` goes back to
/// the list (its hint is `back`'s), and `hard_quit` leaves.
const ALWAYS_READING: Hint = (&[(Action::Help, "help"), (Action::HardQuit, "quit")], 0);

/// Every action the browsing hints may name now, with its word, whether
/// or not the line has room for it: what `tests/tui_keys.rs` checks key by
/// key.
pub fn hint_actions(app: &App) -> Vec<(Action, &'static str)> {
    usable(app)
        .into_iter()
        .chain([always(app)])
        .flat_map(|(actions, _)| actions.iter().copied())
        .collect()
}

/// What always has a hint in one feed's articles (from the feeds view):
/// there `quit` goes back to the feeds view, and `hard_quit` leaves.
const ALWAYS_IN_FEED: Hint = (
    &[
        (Action::Help, "help"),
        (Action::Quit, "feeds"),
        (Action::HardQuit, "quit"),
    ],
    0,
);

/// The hints always given, for where the keys go now.
fn always(app: &App) -> Hint {
    if app.focus == Focus::Reader {
        ALWAYS_READING
    } else if app.in_one_feeds_list() {
        ALWAYS_IN_FEED
    } else {
        ALWAYS
    }
}

/// Draws the key hints: the open popup's (by default how to close it and
/// quit); else the keys that do something now, as many as
/// fit, and always help and quit.
pub(crate) fn draw_hints(app: &App, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let bar = app
        .overlay
        .as_ref()
        .map(|o| o.popup().bar_hints(&app.config));
    let line = match bar {
        Some(BarHints::Text(text)) => Line::styled(
            truncate(&text, width).into_owned(),
            Style::new().fg(app.config.theme.dim),
        ),
        Some(BarHints::Keys(keys)) => hint_line(app, keys, width),
        None => hint_line(app, fitting(app, &usable(app), width), width),
    };
    line_at(line, area, 0, buf);
}

/// The hints of the list or the reader worth showing now, in the order
/// they are shown; help and quit are not among them (see [`ALWAYS`]).
/// The ranks keep what gets you somewhere (open, back, clear, search)
/// over what the arrows and the help tell anyway.
fn usable(app: &App) -> Vec<Hint> {
    let some = !app.visible.is_empty();
    let any = !app.library.is_empty();
    let candidates: Vec<(bool, Hint)> = if app.focus == Focus::Reader {
        // In full-screen reading the same key brings the list back.
        let fullscreen: Hint = if app.fullscreen {
            (&[(Action::Fullscreen, "list")], 5)
        } else {
            (&[(Action::Fullscreen, "full screen")], 5)
        };
        vec![
            (true, (&[(Action::Down, "scroll")], 2)),
            (true, (&[(Action::PageDown, "page")], 3)),
            (true, (&[(Action::Back, "back"), (Action::Quit, "back")], 0)),
            (
                !app.highlight_terms().is_empty(),
                (&[(Action::NextMatch, "next match")], 1),
            ),
            (true, (&[(Action::ToggleBookmark, "bookmark")], 4)),
            (true, fullscreen),
            (
                app.visible.len() > 1,
                (&[(Action::NextArticle, "next article")], 6),
            ),
        ]
    } else {
        let bookmarks = !app.marks.bookmarked.is_empty() || app.bookmarks_only();
        vec![
            (
                app.visible.len() > 1,
                (&[(Action::Down, "down"), (Action::Up, "up")], 3),
            ),
            (some, (&[(Action::Open, "open")], 0)),
            (app.filtered(), (&[(Action::ClearFilters, "clear")], 1)),
            (any, (&[(Action::Search, "search")], 2)),
            (any, (&[(Action::Tags, "tags")], 4)),
            (some, (&[(Action::ToggleBookmark, "bookmark")], 5)),
            (bookmarks, (&[(Action::BookmarksOnly, "bookmarked")], 6)),
            (any, (&[(Action::UnreadOnly, "unread")], 7)),
            (
                !app.config.views.is_empty(),
                (&[(Action::Views, "views")], 8),
            ),
            // While a message is on show (maybe cut at the line's
            // width), where to read it whole comes early.
            (
                !app.message_log().is_empty(),
                if app.message.is_some() {
                    (&[(Action::Messages, "messages")], 1)
                } else {
                    (&[(Action::Messages, "messages")], 9)
                },
            ),
        ]
    };
    candidates
        .into_iter()
        .filter_map(|(usable, hint)| usable.then_some(hint))
        .collect()
}

/// `(key, word)` of the hints that fit in `width`, in their order, then
/// help and quit, for which room is kept first. Hints are taken by rank,
/// each while it fits; actions with no key that works here are left out.
fn fitting(app: &App, hints: &[Hint], width: usize) -> Vec<(String, &'static str)> {
    let keyed = |(actions, _): &Hint| keyed(&app.config, Mode::Browse, actions);
    let always = keyed(&always(app));
    let mut used: usize = always.iter().map(hint_width).sum();
    let mut by_rank: Vec<(usize, &Hint)> = hints.iter().enumerate().collect();
    by_rank.sort_by_key(|(_, hint)| hint.1);
    let mut taken = Vec::new();
    for (place, hint) in by_rank {
        let keyed = keyed(hint);
        let wanted: usize = keyed.iter().map(hint_width).sum();
        if used + wanted <= width {
            used += wanted;
            taken.push((place, keyed));
        }
    }
    taken.sort_by_key(|(place, _)| *place);
    taken
        .into_iter()
        .flat_map(|(_, hints)| hints)
        .chain(always)
        .collect()
}

/// The columns ` key word ` takes.
fn hint_width((key, word): &(String, &str)) -> usize {
    key.width() + word.width() + 3
}

/// The hints as one line, keys in the accent colour; those past `width`
/// are left out whole.
fn hint_line(app: &App, hints: Vec<(String, &'static str)>, width: usize) -> Line<'static> {
    let theme = &app.config.theme;
    let mut spans = Vec::new();
    let mut used = 0;
    for hint in hints {
        used += hint_width(&hint);
        if used > width {
            break;
        }
        let (key, word) = hint;
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            key,
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(
            format!(" {word} "),
            Style::new().fg(theme.dim),
        ));
    }
    Line::from(spans)
}
