//! The status line (query or prompt, counts, messages) and the key hints,
//! which are generated from the live key map.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::line_at;
use crate::keys::{Action, Mode};
use crate::tui::app::{App, Focus, Overlay, SearchBox};
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
    }
    format!("{} ", parts.join(" "))
}

fn left_part(app: &App, room: usize) -> Line<'static> {
    let theme = &app.config.theme;
    if let Some(Overlay::Search(search)) = &app.overlay {
        let mut spans = vec![
            Span::styled(
                "/",
                Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
            ),
            Span::raw(truncate_left(&search.input, room.saturating_sub(2))),
            Span::styled("▏", Style::new().fg(theme.accent)),
        ];
        if let Some(error) = &search.error {
            let used: usize = spans.iter().map(|s| s.content.width()).sum();
            let text = format!("  {error}");
            spans.push(Span::styled(
                truncate(&text, room.saturating_sub(used)).into_owned(),
                Style::new().fg(theme.error),
            ));
        }
        return Line::from(spans);
    }
    if let Some(message) = &app.message {
        let style = if message.error {
            Style::new().fg(theme.error).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        let text = format!(" {}", message.text);
        return Line::styled(truncate(&text, room).into_owned(), style);
    }
    let query = app.query_label();
    let text = if query.is_empty() {
        " all articles".to_string()
    } else {
        format!(" {query}")
    };
    Line::raw(truncate(&text, room).into_owned())
}

/// Keeps the end of a long prompt in view.
fn truncate_left(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// Draws the key hints for the focused pane, as many as fit.
pub(crate) fn draw_hints(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let actions: &[(Action, &str)] = match (&app.overlay, app.focus) {
        (Some(Overlay::Search(_)), _) => &[],
        (_, Focus::List) => &[
            (Action::Down, "down"),
            (Action::Up, "up"),
            (Action::Open, "open"),
            (Action::Search, "search"),
            (Action::Tags, "tags"),
            (Action::ToggleBookmark, "bookmark"),
            (Action::UnreadOnly, "unread"),
            (Action::Views, "views"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
        (_, Focus::Reader) => &[
            (Action::Down, "scroll"),
            (Action::PageDown, "page"),
            (Action::Back, "back"),
            (Action::NextMatch, "next match"),
            (Action::ToggleBookmark, "bookmark"),
            (Action::Fullscreen, "full screen"),
            (Action::Help, "help"),
            (Action::Quit, "quit"),
        ],
    };
    let mut spans = Vec::new();
    if let Some(Overlay::Search(search)) = &app.overlay {
        spans.push(Span::styled(
            truncate(&search_hints(app, search), usize::from(area.width)).into_owned(),
            Style::new().fg(theme.dim),
        ));
    }
    let mut used = 0;
    for (action, label) in actions {
        // In full-screen reading the same key brings the list back.
        let label = match action {
            Action::Fullscreen if app.fullscreen => &"list",
            _ => label,
        };
        let Some(key) = app.config.keys.hint_key(Mode::Browse, *action) else {
            continue;
        };
        let key = key.to_string();
        let width = key.width() + label.width() + 3;
        if used + width > usize::from(area.width) {
            break;
        }
        used += width;
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            key,
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(
            format!(" {label} "),
            Style::new().fg(theme.dim),
        ));
    }
    line_at(Line::from(spans), area, 0, buf);
}

/// The search prompt's hints, from the key map: the keys that keep and
/// restore the query, the key that shows or hides the query cheat sheet
/// while it can (nothing typed yet, or a key that types nothing), and the
/// fixed key that clears the query.
fn search_hints(app: &App, search: &SearchBox) -> String {
    let keys = &app.config.keys;
    let mut parts = Vec::new();
    for (action, label) in [(Action::Open, "keep"), (Action::Back, "restore")] {
        if let Some(key) = keys.hint_key(Mode::Search, action) {
            parts.push(format!("{key} {label}"));
        }
    }
    let guide_key = keys
        .keys_for(Action::Help)
        .iter()
        .find(|key| !key.is_text() || search.input.is_empty());
    if let Some(key) = guide_key {
        let label = if search.guide {
            "hide queries"
        } else {
            "queries"
        };
        parts.push(format!("{key} {label}"));
    }
    parts.push("ctrl-u clear".to_string());
    format!(" {}", parts.join(" · "))
}
