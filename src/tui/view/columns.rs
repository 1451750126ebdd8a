//! The list's columns: which of those `list_columns` chooses are shown,
//! and how wide each is, for the rows on screen. Every row is cut to the
//! same widths, so each column starts in the same place on every row.
//!
//! The title comes first: it keeps all it needs while the date needs only
//! its own width, then tags and categories get what the title leaves,
//! shrinking to a few columns and then giving way; only then is the title
//! cut, with the whole row to itself.

use crate::library::ListColumn;

/// Between two columns of text.
const TEXT_GAP: usize = 2;
/// Beside a date, and between the marks and the first column.
const NARROW_GAP: usize = 1;
/// A title column narrower than this (and than its titles) leaves out
/// the date.
const MIN_TITLE: usize = 12;
/// Tags or categories narrower than this (and than their text) are left
/// out rather than cut to a stub.
const MIN_TEXT: usize = 8;

/// A column as drawn: which, the blank columns before it, and its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed {
    /// The column.
    pub column: ListColumn,
    /// Blank columns before it.
    pub gap: usize,
    /// Its width: text is cut with `…` or padded to it.
    pub width: usize,
}

/// The columns of `chosen` to draw in `room` columns (the row after its
/// marks), in the chosen order; `need` is the widest text of a column on
/// the rows shown (the date's widest possible).
pub(crate) fn plan(
    chosen: &[ListColumn],
    need: impl Fn(ListColumn) -> usize,
    room: usize,
) -> Vec<Placed> {
    let title = need(ListColumn::Title);
    let mut shown = vec![(ListColumn::Title, 0)];
    if chosen.contains(&ListColumn::Date) {
        let date = need(ListColumn::Date);
        let others = taken(&with(chosen, &shown, ListColumn::Date, date));
        if room.saturating_sub(others) >= title.min(MIN_TITLE) {
            shown.push((ListColumn::Date, date));
        }
    }
    for &column in chosen {
        if !matches!(column, ListColumn::Tags | ListColumn::Categories) {
            continue;
        }
        let wanted = need(column);
        let others = taken(&with(chosen, &shown, column, 0));
        let width = wanted.min(room.saturating_sub(others + title));
        if width > 0 && width >= wanted.min(MIN_TEXT) {
            shown.push((column, width));
        }
    }
    let mut placed = with(chosen, &shown, ListColumn::Title, 0);
    let title_width = room.saturating_sub(taken(&placed));
    for column in &mut placed {
        if column.column == ListColumn::Title {
            column.width = title_width;
        }
    }
    placed
}

/// `shown` and `(column, width)` in the chosen order, with their gaps.
fn with(
    chosen: &[ListColumn],
    shown: &[(ListColumn, usize)],
    column: ListColumn,
    width: usize,
) -> Vec<Placed> {
    let width_of = |wanted: ListColumn| {
        if wanted == column {
            return Some(width);
        }
        shown.iter().find(|(c, _)| *c == wanted).map(|(_, w)| *w)
    };
    let mut placed: Vec<Placed> = Vec::new();
    for &wanted in chosen {
        let Some(width) = width_of(wanted) else {
            continue;
        };
        let gap = match placed.last() {
            None => NARROW_GAP,
            Some(before) if before.column == ListColumn::Date => NARROW_GAP,
            Some(_) if wanted == ListColumn::Date => NARROW_GAP,
            Some(_) => TEXT_GAP,
        };
        placed.push(Placed {
            column: wanted,
            gap,
            width,
        });
    }
    placed
}

/// The columns every placed column but the title takes, gaps included.
fn taken(placed: &[Placed]) -> usize {
    placed
        .iter()
        .map(|p| {
            if p.column == ListColumn::Title {
                p.gap
            } else {
                p.gap + p.width
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ListColumn::{Categories, Date, Tags, Title};

    /// Widths of the plan as `(column, gap, width)`.
    fn widths(
        chosen: &[ListColumn],
        needs: [usize; 4],
        room: usize,
    ) -> Vec<(ListColumn, usize, usize)> {
        let need = |column| match column {
            Date => needs[0],
            Title => needs[1],
            Tags => needs[2],
            Categories => needs[3],
        };
        plan(chosen, need, room)
            .into_iter()
            .map(|p| (p.column, p.gap, p.width))
            .collect()
    }

    const DEFAULT: [ListColumn; 3] = [Date, Title, Tags];

    #[test]
    fn with_room_for_all_the_title_takes_the_spare() {
        assert_eq!(
            widths(&DEFAULT, [10, 30, 12, 0], 80),
            [(Date, 1, 10), (Title, 1, 54), (Tags, 2, 12)]
        );
    }

    #[test]
    fn tags_shrink_to_what_the_whole_title_leaves() {
        assert_eq!(
            widths(&DEFAULT, [10, 50, 30, 0], 80),
            [(Date, 1, 10), (Title, 1, 50), (Tags, 2, 16)]
        );
    }

    #[test]
    fn tags_go_before_the_title_is_cut() {
        assert_eq!(
            widths(&DEFAULT, [10, 60, 30, 0], 80),
            [(Date, 1, 10), (Title, 1, 68)]
        );
        assert_eq!(
            widths(&DEFAULT, [10, 100, 30, 0], 45),
            [(Date, 1, 10), (Title, 1, 33)],
            "a title longer than the row is cut, with the row to itself"
        );
    }

    #[test]
    fn short_tags_are_kept_whole_when_they_fit() {
        assert_eq!(
            widths(&DEFAULT, [10, 20, 4, 0], 40),
            [(Date, 1, 10), (Title, 1, 22), (Tags, 2, 4)]
        );
    }

    #[test]
    fn no_tags_on_screen_means_no_tags_column() {
        assert_eq!(
            widths(&DEFAULT, [10, 20, 0, 0], 80),
            [(Date, 1, 10), (Title, 1, 68)]
        );
    }

    #[test]
    fn the_date_gives_way_only_to_a_title_squeezed_below_its_minimum() {
        assert_eq!(
            widths(&DEFAULT, [10, 40, 0, 0], 24),
            [(Date, 1, 10), (Title, 1, 12)]
        );
        assert_eq!(widths(&DEFAULT, [10, 40, 0, 0], 23), [(Title, 1, 22)]);
        assert_eq!(
            widths(&DEFAULT, [10, 8, 0, 0], 20),
            [(Date, 1, 10), (Title, 1, 8)],
            "a short title needs no more than itself"
        );
    }

    #[test]
    fn the_chosen_order_is_kept_and_only_the_chosen_columns_shown() {
        let chosen = [Categories, Title, Date, Tags];
        assert_eq!(
            widths(&chosen, [10, 30, 20, 9], 80),
            [
                (Categories, 1, 9),
                (Title, 2, 36),
                (Date, 1, 10),
                (Tags, 1, 20)
            ]
        );
        assert_eq!(
            widths(&[Title], [10, 30, 20, 9], 80),
            [(Title, 1, 79)],
            "only the chosen columns"
        );
    }
}
