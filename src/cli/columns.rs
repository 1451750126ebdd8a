//! `list` on a terminal: the same articles as the piped lines, in aligned
//! columns cut to a given width (pure: the width is given). The title
//! comes first, after the marks, and has the room; then the tags, the
//! date and the short id, which a person types to name the article:
//! `★• Heartstopper Season 4: …  [Heartstopper]  2025-02-17  3f2a`.
//!
//! When the lines do not fit, room is given up in the order a reader
//! misses least: the tags shrink (to [`MIN_TAGS`]) and then go, then the
//! title shrinks (to [`MIN_TITLE`]), then the date goes, and the title
//! takes what is left. The short id is never cut: it is short, and a cut
//! one could name another article. Whatever was cut ends in `…`.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns between two fields.
const GAP: usize = 2;
/// The tags shrink down to this before they go.
const MIN_TAGS: usize = 12;
/// The title shrinks down to this before the date goes.
const MIN_TITLE: usize = 16;

/// One article's fields as `list` prints them, each terminal-safe already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ListCells {
    /// The formatted date, or the undated placeholder.
    pub(super) date: String,
    /// The bookmark and unread marks, blanks where one does not apply.
    pub(super) marks: String,
    /// The title.
    pub(super) title: String,
    /// `[tag, tag]`, or empty.
    pub(super) tags: String,
    /// The article's id.
    pub(super) id: String,
    /// The article's short id, shown on a terminal.
    pub(super) short: String,
}

impl ListCells {
    /// The line for a pipe or a file: every field whole, two spaces apart,
    /// no padding, the path id last (what scripts have always read).
    pub(super) fn plain_line(&self) -> String {
        let mut line = format!("{} {}  {}", self.date, self.marks, self.title);
        if !self.tags.is_empty() {
            line.push_str("  ");
            line.push_str(&self.tags);
        }
        line.push_str("  ");
        line.push_str(&self.id);
        line
    }
}

/// The widths of the columns that can shrink or go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Widths {
    title: usize,
    tags: usize,
    date: usize,
}

impl Widths {
    /// The columns these widths take, each with the gap after it (no tags
    /// or date column when its width is 0).
    fn total(self) -> usize {
        let gapped = |width: usize| if width > 0 { width + GAP } else { 0 };
        self.title + GAP + gapped(self.tags) + gapped(self.date)
    }
}

/// The rows as lines of at most `width` columns, each field in a column of
/// its own, aligned from row to row.
pub(super) fn fit(rows: &[ListCells], width: usize) -> Vec<String> {
    let widest = |field: fn(&ListCells) -> &str| rows.iter().map(|r| field(r).width()).max();
    let marks_width = widest(|r| &r.marks).unwrap_or(0);
    let short_width = widest(|r| &r.short).unwrap_or(0);
    let room = width.saturating_sub(marks_width + 1 + short_width);
    let widths = allot(
        room,
        Widths {
            title: widest(|r| &r.title).unwrap_or(0),
            tags: widest(|r| &r.tags).unwrap_or(0),
            date: widest(|r| &r.date).unwrap_or(0),
        },
    );
    rows.iter()
        .map(|row| {
            let mut line = format!(
                "{} {}  ",
                padded(&row.marks, marks_width),
                padded(&cut(&row.title, widths.title), widths.title)
            );
            if widths.tags > 0 {
                line.push_str(&padded(&cut(&row.tags, widths.tags), widths.tags));
                line.push_str("  ");
            }
            if widths.date > 0 {
                line.push_str(&padded(&row.date, widths.date));
                line.push_str("  ");
            }
            line.push_str(&row.short);
            // A terminal narrower than the marks and the short id still
            // gets lines that do not wrap.
            cut(&line, width)
        })
        .collect()
}

/// The columns' widths once room is given up, step by step, until they fit
/// in `room` (or nothing more can go).
fn allot(room: usize, wanted: Widths) -> Widths {
    let mut widths = wanted;
    let over = |w: Widths| w.total().saturating_sub(room);
    widths.tags = shrunk(widths.tags, MIN_TAGS, over(widths));
    if over(widths) > 0 {
        widths.tags = 0;
    }
    widths.title = shrunk(widths.title, MIN_TITLE, over(widths));
    if over(widths) > 0 {
        widths.date = 0;
        // The room the date leaves is the title's.
        let left = room.saturating_sub(widths.total());
        widths.title += left.min(wanted.title - widths.title);
    }
    widths.title = shrunk(widths.title, 1, over(widths));
    widths
}

/// `width` less `over`, but not below `floor` (nor above `width`).
fn shrunk(width: usize, floor: usize, over: usize) -> usize {
    width.saturating_sub(over).max(floor.min(width))
}

/// `text` cut to at most `max` columns, ending in `…` when it was cut.
fn cut(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut used = 0;
    let mut out = String::new();
    for grapheme in text.graphemes(true) {
        let width = grapheme.width();
        if used + width + 1 > max {
            break;
        }
        used += width;
        out.push_str(grapheme);
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// `text` followed by spaces up to `width` columns.
fn padded(text: &str, width: usize) -> String {
    let mut out = text.to_string();
    out.push_str(&" ".repeat(width.saturating_sub(text.width())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(date: &str, title: &str, tags: &str, short: &str) -> ListCells {
        ListCells {
            date: date.to_string(),
            marks: " •".to_string(),
            title: title.to_string(),
            tags: tags.to_string(),
            id: format!("feed/{short}.md"),
            short: short.to_string(),
        }
    }

    fn rows() -> Vec<ListCells> {
        vec![
            row(
                "2025-02-17",
                "Heartstopper Season 4: Alice Oseman Feeling Optimistic and Hopeful",
                "[Alice Oseman, Heartstopper]",
                "3f2a",
            ),
            row("----------", "Short", "", "3f2b0"),
        ]
    }

    /// The column at which `needle` starts in `line`, in display columns.
    fn column_of(line: &str, needle: &str) -> Option<usize> {
        line.find(needle).map(|at| line[..at].width())
    }

    #[test]
    fn a_wide_terminal_gets_the_title_first_and_whole_fields_in_aligned_columns() {
        let lines = fit(&rows(), 200);
        assert_eq!(
            lines[0],
            " • Heartstopper Season 4: Alice Oseman Feeling Optimistic and Hopeful  \
             [Alice Oseman, Heartstopper]  2025-02-17  3f2a"
        );
        assert_eq!(
            column_of(&lines[1], "3f2b0"),
            column_of(&lines[0], "3f2a"),
            "short ids line up:\n{}\n{}",
            lines[0],
            lines[1]
        );
        assert!(lines.iter().all(|l| !l.contains("feed/")), "no path ids");
    }

    #[test]
    fn every_line_fits_the_width_and_the_short_id_is_never_cut() {
        for width in [24, 40, 50, 60, 80, 100, 120] {
            let lines = fit(&rows(), width);
            for line in &lines {
                assert!(line.width() <= width, "{width}: `{line}` is too wide");
            }
            assert!(lines[0].ends_with("  3f2a"), "{width}: {}", lines[0]);
            assert!(lines[1].ends_with("  3f2b0"), "{width}: {}", lines[1]);
            assert_eq!(
                column_of(&lines[0], "3f2a"),
                column_of(&lines[1], "3f2b0"),
                "{width}: short ids line up:\n{}\n{}",
                lines[0],
                lines[1]
            );
        }
    }

    #[test]
    fn the_tags_give_way_first_then_the_title_then_the_date() {
        // 110 columns: the tags shrink, the title is whole.
        let lines = fit(&rows(), 110);
        assert!(
            lines[0].contains("and Hopeful  [Alice Oseman, Hear…  2025-02-17  3f2a"),
            "{}",
            lines[0]
        );
        // 90 columns: the tags go before the title is cut.
        let lines = fit(&rows(), 90);
        assert!(
            lines[0].ends_with("and Hopeful  2025-02-17  3f2a"),
            "{}",
            lines[0]
        );
        // 50 columns: the title is cut and has the room the date leaves.
        let lines = fit(&rows(), 50);
        assert_eq!(
            lines[0],
            " • Heartstopper Season 4: Alic…  2025-02-17  3f2a"
        );
        // 30 columns: the date goes before the title is cut below its least.
        let lines = fit(&rows(), 30);
        assert_eq!(lines[0], " • Heartstopper Season…  3f2a");
    }

    #[test]
    fn cutting_counts_display_columns() {
        assert_eq!(cut("日本語のタイトル", 7), "日本語…");
        assert_eq!(cut("short", 5), "short");
        assert_eq!(cut("longer", 0), "");
        assert_eq!(padded("日本", 6), "日本  ");
    }
}
