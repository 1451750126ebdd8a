//! The list of a folder that holds no articles yet (a first start): which
//! folder it is, and how to fill it: `feed add URL`, `feed import
//! FILE.opml`, the fetch key. Wrapped to the pane at spaces and after the
//! `/` of a path, never inside a word, so that it reads whole at 50x20.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use super::parts::line_at;
use crate::keys::Action;
use crate::tui::app::App;
use crate::tui::wrap::truncate;

/// Draws the first screen into the list's rows: as many of its lines as
/// fit, the folder first.
pub(super) fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.config.theme;
    let folder = app.config.library.articles.to_string_lossy();
    let folder = crate::article::sanitize::sanitize_line(&folder);
    let fetch = app
        .config
        .keys
        .keys_for(Action::FetchFeeds)
        .first()
        .map(ToString::to_string);
    let width = usize::from(area.width.saturating_sub(1));
    let mut lines: Vec<(String, Style)> = Vec::new();
    for (text, part) in paragraphs(&folder, fetch.as_deref()) {
        let style = match part {
            Part::Folder => Style::new(),
            Part::Step => Style::new().fg(theme.accent),
            Part::Aside => Style::new().fg(theme.dim),
        };
        for line in wrap(&text, width) {
            lines.push((line, style));
        }
    }
    for (row, (text, style)) in lines.into_iter().enumerate() {
        let Ok(row) = u16::try_from(row) else { break };
        let shown = truncate(&format!(" {text}"), usize::from(area.width)).into_owned();
        line_at(Line::styled(shown, style), area, row, buf);
    }
}

/// How a paragraph of the first screen is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Which folder is empty.
    Folder,
    /// A next step, in the accent colour.
    Step,
    /// The last resort, dimmed.
    Aside,
}

/// The first screen's paragraphs, few and short so that they fit the
/// stacked list of 80x24: the folder, then the next steps in the order a
/// newcomer takes them; `fetch` is the reader's fetch key, when it has one.
fn paragraphs(folder: &str, fetch: Option<&str>) -> Vec<(String, Part)> {
    let fetch = match fetch {
        Some(key) => format!("then press {key} here to fetch them."),
        None => "then run broadsheet fetch to fetch them.".to_string(),
    };
    vec![
        (format!("No articles yet in {folder}"), Part::Folder),
        (
            "Subscribe to a feed: broadsheet feed add URL".to_string(),
            Part::Step,
        ),
        (
            "or import yours: broadsheet feed import FILE.opml".to_string(),
            Part::Step,
        ),
        (fetch, Part::Step),
        (
            "Or put .txt and .md files in the folder.".to_string(),
            Part::Aside,
        ),
    ]
}

/// `text` in lines of at most `width` columns, broken at spaces and after
/// a `/` (a path), never inside a word; a word wider than a line is the
/// only thing cut, by columns.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(1);
    // Pieces: words with the space after them, and path parts with their
    // `/`; a line may end after any piece.
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c == ' ' || c == '/' {
            pieces.push(&text[start..at + 1]);
            start = at + 1;
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for piece in pieces {
        let fits = (line.clone() + piece.trim_end_matches(' ')).width() <= width;
        if !fits && !line.is_empty() {
            lines.push(line.trim_end().to_string());
            line.clear();
        }
        line.push_str(piece);
        while line.trim_end().width() > width {
            let cut = truncate_at(&line, width);
            lines.push(line[..cut].to_string());
            line = line[cut..].to_string();
        }
    }
    if !line.trim_end().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// The byte index where `text` is `width` columns wide (at least one
/// character, so that wrapping always moves on).
fn truncate_at(text: &str, width: usize) -> usize {
    use unicode_width::UnicodeWidthChar;
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += c.width().unwrap_or(0);
        if used > width {
            return if at == 0 { c.len_utf8() } else { at };
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_break_after_a_slash_and_words_at_spaces() {
        let path = "/home/someone/.local/share/broadsheet/articles";
        assert_eq!(
            wrap(path, 20),
            ["/home/someone/", ".local/share/", "broadsheet/articles"]
        );
        assert_eq!(
            wrap("broadsheet feed import FILE.opml", 24),
            ["broadsheet feed import", "FILE.opml"]
        );
        assert_eq!(wrap("short", 40), ["short"]);
        // Only a word wider than the line is cut.
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        for line in wrap("a very long sentence that has to wrap a few times", 9) {
            assert!(line.chars().count() <= 9, "{line}");
        }
    }

    #[test]
    fn the_steps_name_the_folder_the_commands_and_the_fetch_key() {
        let text = |fetch| {
            let all: Vec<String> = paragraphs("/data/articles", fetch)
                .into_iter()
                .map(|(text, _)| text)
                .collect();
            all.join("\n")
        };
        let bound = text(Some("F"));
        assert!(bound.contains("/data/articles"), "{bound}");
        assert!(bound.contains("broadsheet feed add URL"), "{bound}");
        assert!(
            bound.contains("broadsheet feed import FILE.opml"),
            "{bound}"
        );
        assert!(bound.contains("press F"), "{bound}");
        assert!(text(None).contains("run broadsheet fetch"));
    }
}
