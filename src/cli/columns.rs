//! `list` on a terminal: the same fields as the piped lines, in aligned
//! columns cut to the terminal's width (pure: the width is given).
//!
//! When the lines do not fit, room is given up in the order a reader
//! misses least, the title coming first: the tags shrink (to
//! [`MIN_TAGS`]) and then go, then the title shrinks (to [`MIN_TITLE`]),
//! then the id (to [`MIN_ID`]: a unique start of an id is enough for
//! `show`), and the title takes what is left. Whatever was cut ends in `…`.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns between two fields.
const GAP: usize = 2;
/// The tags shrink down to this before they go.
const MIN_TAGS: usize = 12;
/// The title shrinks down to this before the id gives up room.
const MIN_TITLE: usize = 24;
/// The id shrinks down to this before the title gives up more.
const MIN_ID: usize = 10;

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
}

impl ListCells {
    /// The line for a pipe or a file: every field whole, two spaces apart,
    /// no padding (what scripts have always read).
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

/// The widths of the three columns that can shrink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Widths {
    title: usize,
    tags: usize,
    id: usize,
}

impl Widths {
    /// The columns these widths take, gaps included (no tags column when
    /// its width is 0).
    fn total(self) -> usize {
        let tags = if self.tags > 0 { GAP + self.tags } else { 0 };
        self.title + tags + GAP + self.id
    }
}

/// The rows as lines of at most `width` columns, each field in a column of
/// its own, aligned from row to row.
pub(super) fn fit(rows: &[ListCells], width: usize) -> Vec<String> {
    let widest = |field: fn(&ListCells) -> &str| rows.iter().map(|r| field(r).width()).max();
    let date_width = widest(|r| &r.date).unwrap_or(0);
    let marks_width = widest(|r| &r.marks).unwrap_or(0);
    let prefix = date_width + 1 + marks_width + GAP;
    let room = width.saturating_sub(prefix);
    let widths = allot(
        room,
        Widths {
            title: widest(|r| &r.title).unwrap_or(0),
            tags: widest(|r| &r.tags).unwrap_or(0),
            id: widest(|r| &r.id).unwrap_or(0),
        },
    );
    rows.iter()
        .map(|row| {
            let mut line = format!(
                "{} {}  {}",
                padded(&row.date, date_width),
                padded(&row.marks, marks_width),
                padded(&cut(&row.title, widths.title), widths.title)
            );
            if widths.tags > 0 {
                line.push_str("  ");
                line.push_str(&padded(&cut(&row.tags, widths.tags), widths.tags));
            }
            line.push_str("  ");
            line.push_str(&cut(&row.id, widths.id));
            // A terminal narrower than the date and marks still gets lines
            // that do not wrap.
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
    widths.id = shrunk(widths.id, MIN_ID, over(widths));
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

    fn row(date: &str, title: &str, tags: &str, id: &str) -> ListCells {
        ListCells {
            date: date.to_string(),
            marks: " •".to_string(),
            title: title.to_string(),
            tags: tags.to_string(),
            id: id.to_string(),
        }
    }

    fn rows() -> Vec<ListCells> {
        vec![
            row(
                "2025-02-17",
                "Heartstopper Season 4: Alice Oseman Feeling Optimistic and Hopeful",
                "[Alice Oseman, Heartstopper]",
                "001_900db8947a90b09e.txt",
            ),
            row("----------", "Short", "", "sub/003.txt"),
        ]
    }

    /// The column at which `needle` starts in `line`, in display columns.
    fn column_of(line: &str, needle: &str) -> Option<usize> {
        line.find(needle).map(|at| line[..at].width())
    }

    #[test]
    fn a_wide_terminal_gets_whole_fields_in_aligned_columns() {
        let lines = fit(&rows(), 200);
        assert_eq!(
            lines[0],
            "2025-02-17  •  Heartstopper Season 4: Alice Oseman Feeling Optimistic and Hopeful  \
             [Alice Oseman, Heartstopper]  001_900db8947a90b09e.txt"
        );
        assert_eq!(
            column_of(&lines[1], "sub/003.txt"),
            column_of(&lines[0], "001_900db8947a90b09e.txt"),
            "ids line up:\n{}\n{}",
            lines[0],
            lines[1]
        );
    }

    #[test]
    fn every_line_fits_the_width_and_the_columns_stay_aligned() {
        for width in [20, 40, 60, 80, 100, 120] {
            let lines = fit(&rows(), width);
            for line in &lines {
                assert!(line.width() <= width, "{width}: `{line}` is too wide");
            }
            if width >= 40 {
                assert_eq!(
                    column_of(&lines[0], "001"),
                    column_of(&lines[1], "sub/"),
                    "{width}: ids line up:\n{}\n{}",
                    lines[0],
                    lines[1]
                );
            }
        }
    }

    #[test]
    fn the_tags_give_way_before_the_title_and_the_title_before_the_id() {
        // 130 columns: the tags shrink, the title is whole.
        let lines = fit(&rows(), 130);
        assert!(
            lines[0].contains("and Hopeful  [Alice Oseman, Heart…  001_"),
            "{}",
            lines[0]
        );
        // 110 columns: the tags go before the title is cut.
        let lines = fit(&rows(), 110);
        assert!(lines[0].contains("and Hopeful  001_"), "{}", lines[0]);
        // 80 columns: the title is cut, the id is whole.
        let lines = fit(&rows(), 80);
        let expected = "  Heartstopper Season 4: Alice Oseman Fe…  001_900db8947a90b09e.txt";
        assert!(lines[0].ends_with(expected), "{}", lines[0]);
        // 50 columns: once the title is down to its least, the id shrinks
        // to a start of it (still enough to `show` the article), and then
        // the title again.
        let lines = fit(&rows(), 50);
        let expected = "  Heartstopper Season 4:…  001_900db…";
        assert!(lines[0].ends_with(expected), "{}", lines[0]);
    }

    #[test]
    fn cutting_counts_display_columns() {
        assert_eq!(cut("日本語のタイトル", 7), "日本語…");
        assert_eq!(cut("short", 5), "short");
        assert_eq!(cut("longer", 0), "");
        assert_eq!(padded("日本", 6), "日本  ");
    }
}
