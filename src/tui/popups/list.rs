//! The list-popup widget the tag picker, the views picker, the feeds popup
//! and the links popup share: a box sized to its rows, the rows that fit
//! with the selection scrolled into view and drawn selected, and on the
//! bottom border how many rows are out of view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use unicode_width::UnicodeWidthStr;

use super::frame::popup;
use crate::tui::view::parts::line_at;

/// A list popup's shape: its title, how large it may get, and the rows it
/// keeps inside its border above and under the list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListPopup<'a> {
    /// The title on the top border, drawn bold.
    pub title: &'a str,
    /// The widest the box gets, border included.
    pub width: u16,
    /// The tallest the box gets, border included.
    pub max_height: u16,
    /// Rows inside the border above the list (a filter line).
    pub above: u16,
    /// Rows inside the border under the list (details, the hint line).
    pub below: u16,
}

/// Where a list popup's parts went.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListArea {
    /// Inside the border.
    pub inner: Rect,
    /// The list's rows.
    pub rows: Rect,
    /// The whole box, border included.
    outer: Rect,
}

impl ListPopup<'_> {
    /// Clears and frames the box in the middle of `area`, tall enough for
    /// `entries` rows (as far as `area` and the most it may get allow), and
    /// says where its parts go. The list keeps at least one row while there
    /// are two under the rows above it.
    pub(crate) fn frame(
        &self,
        area: Rect,
        entries: usize,
        border: Style,
        buf: &mut Buffer,
    ) -> ListArea {
        let wanted = u16::try_from(entries)
            .unwrap_or(u16::MAX)
            .saturating_add(self.above + self.below + 2)
            .min(self.max_height);
        let title = Line::styled(self.title, Style::new().add_modifier(Modifier::BOLD));
        let inner = popup(area, self.width, wanted, title, border, buf);
        let outer = super::frame::centred(area, self.width, wanted);
        // Short of room, the rows under the list give way to one row of
        // it, all but the last (the hint line), which a row would overwrite.
        let room = inner.height.saturating_sub(self.above);
        let height = room.saturating_sub(self.below).max(u16::from(room >= 2));
        let rows = Rect {
            y: inner.y + self.above.min(inner.height),
            height,
            ..inner
        };
        ListArea { inner, rows, outer }
    }
}

impl ListArea {
    /// The first entry shown: the selection is on the last row when it is
    /// below the first screen.
    pub(crate) fn offset(&self, selected: usize) -> usize {
        selected.saturating_sub(usize::from(self.rows.height).saturating_sub(1))
    }

    /// Draws the rows of `count` entries that fit, `line_of(entry)` for
    /// each, the selected one in `highlight`, and on the bottom border in
    /// `dim` how many are out of view.
    pub(crate) fn draw_rows<'l>(
        &self,
        count: usize,
        selected: usize,
        styles: (Style, Style),
        buf: &mut Buffer,
        mut line_of: impl FnMut(usize) -> Line<'l>,
    ) {
        let (highlight, dim) = styles;
        let shown = usize::from(self.rows.height);
        let offset = self.offset(selected);
        for (row, entry) in (offset..count).take(shown).enumerate() {
            let mut line = line_of(entry);
            if entry == selected {
                line = line.style(highlight);
            }
            line_at(line, self.rows, row as u16, buf);
        }
        let below = count.saturating_sub(offset + shown);
        self.draw_out_of_view(offset.min(count), below, dim, buf);
    }

    /// ` ↓ 3 more `, ` ↑ 2 more ` or ` ↑↓ 5 more ` at the right of the
    /// bottom border, when rows are out of view and it fits there.
    fn draw_out_of_view(&self, above: usize, below: usize, dim: Style, buf: &mut Buffer) {
        let arrows = match (above > 0, below > 0) {
            (false, false) => return,
            (true, false) => "↑",
            (false, true) => "↓",
            (true, true) => "↑↓",
        };
        let text = format!(" {arrows} {} more ", above + below);
        let width = u16::try_from(text.width()).unwrap_or(u16::MAX);
        // A corner and a piece of border stay at either end.
        if self.outer.height < 2 || width.saturating_add(4) > self.outer.width {
            return;
        }
        let at = Rect {
            x: self.outer.right() - 2 - width,
            y: self.outer.bottom() - 1,
            width,
            height: 1,
        };
        line_at(Line::styled(text, dim), at, 0, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: ListPopup = ListPopup {
        title: " Things ",
        width: 30,
        max_height: u16::MAX,
        above: 1,
        below: 2,
    };

    /// The screen's rows as text.
    fn text(buf: &Buffer) -> Vec<String> {
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    /// Draws `count` rows `row N` with `selected` into a `width` x
    /// `height` screen.
    fn drawn(count: usize, selected: usize, height: u16) -> (ListArea, Vec<String>) {
        let area = Rect::new(0, 0, 30, height);
        let mut buf = Buffer::empty(area);
        let parts = SHAPE.frame(area, count, Style::new(), &mut buf);
        parts.draw_rows(
            count,
            selected,
            (Style::new(), Style::new()),
            &mut buf,
            |n| Line::raw(format!("row {n}")),
        );
        (parts, text(&buf))
    }

    #[test]
    fn the_box_fits_its_rows_and_says_nothing_when_all_are_shown() {
        let (parts, screen) = drawn(3, 0, 20);
        assert_eq!(parts.inner.height, 6, "a filter row, three rows, two under");
        assert_eq!(parts.rows.height, 3);
        assert!(screen.iter().any(|row| row.contains("row 2")));
        assert!(!screen.iter().any(|row| row.contains("more")));
    }

    #[test]
    fn the_selection_is_scrolled_into_view_and_the_rest_is_counted() {
        let (parts, screen) = drawn(20, 12, 10);
        assert_eq!(parts.rows.height, 5);
        let shown: Vec<&String> = screen.iter().filter(|row| row.contains("row ")).collect();
        assert!(
            shown[4].contains("row 12"),
            "the selection is the last row shown"
        );
        assert!(shown[0].contains("row 8"));
        let bottom = &screen[9];
        assert!(bottom.contains(" ↑↓ 15 more "), "{bottom}");
        let (_, screen) = drawn(20, 0, 10);
        assert!(screen[9].contains(" ↓ 15 more "), "{}", screen[9]);
        let (_, screen) = drawn(20, 19, 10);
        assert!(screen[9].contains(" ↑ 15 more "), "{}", screen[9]);
    }

    #[test]
    fn short_of_room_one_row_stays_above_the_hint_line() {
        // Inside the border of a box 5 high: the filter row, one row the
        // list keeps in place of the blank, the hint line.
        let (parts, screen) = drawn(20, 7, 5);
        assert_eq!(parts.rows.height, 1);
        assert!(screen[2].contains("row 7"), "{screen:?}");
        // Four high: the filter and the hint line, which no row overwrites.
        let (parts, screen) = drawn(20, 7, 4);
        assert_eq!(parts.rows.height, 0);
        assert!(!screen.iter().any(|row| row.contains("row ")), "{screen:?}");
    }
}
