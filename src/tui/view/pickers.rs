//! The tag picker and the saved views picker popups.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{dim_text, line_at, popup};
use crate::keys::{Action, Mode};
use crate::tui::app::App;
use crate::tui::picker::{TagPicker, ViewPicker};
use crate::tui::style::Highlights;
use crate::tui::wrap::truncate;

/// Draws the tag picker: filter, then `[x] name  count` rows.
pub(crate) fn draw_tags(app: &App, picker: &TagPicker, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let mode = if picker.match_all { "all" } else { "any" };
    let title = Line::styled(
        format!(" Tags · match {mode} · {} picked ", picker.chosen.len()),
        Style::new().add_modifier(Modifier::BOLD),
    );
    let height = (picker.entries.len() as u16).saturating_add(5).min(24);
    let inner = popup(area, 60, height, title, Style::new().fg(theme.border), buf);
    if inner.is_empty() {
        return;
    }
    line_at(
        Line::from(vec![
            Span::styled("filter: ", Style::new().fg(theme.dim)),
            Span::raw(picker.filter.clone()),
            Span::styled("▏", Style::new().fg(theme.accent)),
        ]),
        inner,
        0,
        buf,
    );
    let hint_row = inner.height.saturating_sub(1);
    line_at(
        dim_text(
            &hints(
                app,
                Mode::Tags,
                &[
                    (Action::Pick, "pick"),
                    (Action::MatchMode, "any/all"),
                    (Action::Open, "apply"),
                    (Action::Back, "cancel"),
                ],
            ),
            inner.width,
            Style::new().fg(theme.dim),
        ),
        inner,
        hint_row,
        buf,
    );
    let shown = picker.shown();
    let rows = usize::from(inner.height.saturating_sub(3));
    if rows == 0 {
        return;
    }
    let offset = picker.selected.saturating_sub(rows - 1);
    let width = usize::from(inner.width);
    if shown.is_empty() {
        line_at(
            Line::styled("no tag matches", Style::new().fg(theme.dim)),
            inner,
            1,
            buf,
        );
    }
    for (row, entry) in shown.iter().skip(offset).take(rows).enumerate() {
        let picked = picker.chosen.contains(&entry.term);
        let check = if picked { "[x] " } else { "[ ] " };
        let kind = if entry.term.category { "cat " } else { "" };
        let count = format!(" {}", entry.count);
        let name_room = width.saturating_sub(check.len() + kind.len() + count.len());
        let name = truncate(&entry.term.name, name_room).into_owned();
        let pad = name_room.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
        let mut line = Line::from(vec![
            Span::styled(check, Style::new().fg(theme.accent)),
            Span::styled(kind, Style::new().fg(theme.dim)),
            Span::styled(name, Style::new().fg(theme.tag)),
            Span::raw(" ".repeat(pad)),
            Span::styled(count, Style::new().fg(theme.dim)),
        ]);
        if offset + row == picker.selected {
            line = line.style(theme.selected());
        }
        line_at(line, inner, row as u16 + 1, buf);
    }
}

/// Draws the views picker: `1 name  query` rows.
pub(crate) fn draw_views(app: &App, picker: &ViewPicker, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let title = Line::styled(" Saved views ", Style::new().add_modifier(Modifier::BOLD));
    let height = (app.config.views.len() as u16).saturating_add(3);
    let inner = popup(area, 70, height, title, Style::new().fg(theme.border), buf);
    let width = usize::from(inner.width);
    let rows = usize::from(inner.height.saturating_sub(1));
    let offset = picker.selected.saturating_sub(rows.saturating_sub(1));
    // Names in one column, so the queries line up.
    let name_width = app
        .config
        .views
        .iter()
        .map(|v| unicode_width::UnicodeWidthStr::width(v.name.as_str()))
        .max()
        .unwrap_or(0)
        .min(width / 3);
    for (row, (number, view)) in app
        .config
        .views
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .enumerate()
    {
        let label = if number < 9 {
            format!("{} ", number + 1)
        } else {
            "  ".to_string()
        };
        let name = truncate(&view.name, name_width).into_owned();
        let pad = name_width.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
        let used = label.len() + name_width + 2;
        let query = truncate(&view.query, width.saturating_sub(used)).into_owned();
        let mut line = Line::from(vec![
            Span::styled(label, Style::new().fg(theme.accent)),
            Span::styled(name, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" ".repeat(pad + 2)),
            Span::styled(query, Style::new().fg(theme.dim)),
        ]);
        if number == picker.selected {
            line = line.style(theme.selected());
        }
        line_at(line, inner, row as u16, buf);
    }
    line_at(
        dim_text(
            &hints(
                app,
                Mode::Views,
                &[(Action::Open, "apply"), (Action::Back, "cancel")],
            ),
            inner.width,
            Style::new().fg(theme.dim),
        ),
        inner,
        inner.height.saturating_sub(1),
        buf,
    );
}

/// A popup's hint line from the key map: `space pick · enter apply`, each
/// action with the first key that reaches it in the popup's mode.
pub(super) fn hints(app: &App, mode: Mode, actions: &[(Action, &str)]) -> String {
    actions
        .iter()
        .filter_map(|&(action, label)| {
            let key = app.config.keys.hint_key(mode, action)?;
            Some(format!("{key} {label}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
