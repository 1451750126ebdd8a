//! Where the panes go for a terminal size: side by side when wide, stacked
//! when narrow, one pane when very small. Pure, so the app can compute page
//! sizes and mouse targets from the same rectangles the view draws into.

use ratatui::layout::Rect;

use crate::config::{LayoutConfig, ListWidth, Orientation};

/// Side by side needs at least this many columns (in `auto`).
const SIDE_BY_SIDE_MIN_WIDTH: u16 = 90;
/// Stacked needs at least this many rows (in `auto`).
const STACKED_MIN_HEIGHT: u16 = 16;

/// How the panes are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arrangement {
    /// List left, reader right.
    SideBySide,
    /// List above, reader below.
    Stacked,
    /// One pane at a time: the list, or the reader once an article is open.
    Single,
}

/// The rectangles of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The list pane, when shown.
    pub list: Option<Rect>,
    /// The reader pane, when shown.
    pub reader: Option<Rect>,
    /// The status line (query, counts, messages), when there is room.
    pub status: Option<Rect>,
    /// The key hints line, when there is room.
    pub hints: Option<Rect>,
}

/// The parts of the reader pane: a one-column rule on its left (a margin
/// when nothing is to its left), the header line, the text with a space on
/// each side (no wider than the text's maximum width, centred), and the
/// scrollbar on the right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ReaderParts {
    /// The rule's column.
    pub rule: Rect,
    /// The header line (title of the pane, position, percentage).
    pub header: Rect,
    /// Where the wrapped text goes: its width is what articles wrap to.
    pub text: Rect,
    /// The scrollbar's column, beside the text.
    pub scrollbar: Rect,
}

/// Splits the reader pane into its parts; every part is empty when the pane
/// is too small for it. The text is at most `max_width` columns wide (0:
/// no limit), centred in the room between the rule and the scrollbar.
pub(crate) fn reader_parts(pane: Rect, max_width: u16) -> ReaderParts {
    let rule = Rect {
        width: pane.width.min(1),
        ..pane
    };
    let body = Rect {
        x: pane.x.saturating_add(rule.width),
        width: pane.width - rule.width,
        ..pane
    };
    let header = Rect {
        height: body.height.min(1),
        ..body
    };
    let room = body.width.saturating_sub(3);
    let width = match max_width {
        0 => room,
        max => room.min(max),
    };
    let text = Rect {
        x: body.x.saturating_add(1 + (room - width) / 2),
        y: body.y.saturating_add(header.height),
        width,
        height: body.height - header.height,
    };
    let scrollbar = Rect {
        x: body.right().saturating_sub(1),
        width: body.width.min(1),
        ..text
    };
    ReaderParts {
        rule,
        header,
        text,
        scrollbar,
    }
}

/// The parts of the list pane: the header line and the rows of articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ListParts {
    /// The header line (order and position).
    pub header: Rect,
    /// One row per article.
    pub rows: Rect,
}

/// Splits the list pane into its header and rows.
pub(crate) fn list_parts(pane: Rect) -> ListParts {
    let header = Rect {
        height: pane.height.min(1),
        ..pane
    };
    let rows = Rect {
        y: pane.y.saturating_add(header.height),
        height: pane.height - header.height,
        ..pane
    };
    ListParts { header, rows }
}

/// What decides the layout besides the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutState {
    /// The reader has the whole screen (`z`).
    pub fullscreen: bool,
    /// The reader has the focus (in single-pane mode: the reader is shown).
    pub reader_focused: bool,
}

/// Chooses the arrangement for a size.
pub(crate) fn arrangement(area: Rect, config: &LayoutConfig) -> Arrangement {
    match config.orientation {
        Orientation::Horizontal if area.width >= 40 => Arrangement::SideBySide,
        Orientation::Vertical if area.height >= 10 => Arrangement::Stacked,
        Orientation::Auto if area.width >= SIDE_BY_SIDE_MIN_WIDTH => Arrangement::SideBySide,
        Orientation::Auto if area.height >= STACKED_MIN_HEIGHT => Arrangement::Stacked,
        _ => Arrangement::Single,
    }
}

/// Splits the terminal into panes.
pub fn panes(area: Rect, config: &LayoutConfig, state: LayoutState) -> Panes {
    let (body, status, hints) = split_bars(area);
    let mut panes = Panes {
        status,
        hints,
        ..Panes::default()
    };
    if body.is_empty() {
        return panes;
    }
    if state.fullscreen {
        panes.reader = Some(body);
        return panes;
    }
    match arrangement(area, config) {
        Arrangement::SideBySide => {
            let list_width = list_columns(body.width, config.list_width);
            panes.list = Some(Rect {
                width: list_width,
                ..body
            });
            panes.reader = Some(Rect {
                x: body.x + list_width,
                width: body.width - list_width,
                ..body
            });
        }
        Arrangement::Stacked => {
            let list_height = (body.height * 2 / 5).max(3).min(body.height);
            panes.list = Some(Rect {
                height: list_height,
                ..body
            });
            panes.reader = Some(Rect {
                y: body.y + list_height,
                height: body.height - list_height,
                ..body
            });
        }
        Arrangement::Single if state.reader_focused => panes.reader = Some(body),
        Arrangement::Single => panes.list = Some(body),
    }
    panes
}

/// The status and hint lines take the bottom rows when there is room.
fn split_bars(area: Rect) -> (Rect, Option<Rect>, Option<Rect>) {
    let bar = |y: u16| Rect {
        y,
        height: 1,
        ..area
    };
    match area.height {
        0 => (area, None, None),
        1 => (Rect { height: 0, ..area }, Some(area), None),
        2..=7 => (
            Rect {
                height: area.height - 1,
                ..area
            },
            Some(bar(area.y + area.height - 1)),
            None,
        ),
        _ => (
            Rect {
                height: area.height - 2,
                ..area
            },
            Some(bar(area.y + area.height - 2)),
            Some(bar(area.y + area.height - 1)),
        ),
    }
}

/// The list's share of the width, leaving the reader at least 20 columns.
fn list_columns(total: u16, width: ListWidth) -> u16 {
    width
        .columns_of(total)
        .clamp(10.min(total), total.saturating_sub(20).max(10.min(total)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> LayoutConfig {
        LayoutConfig::default()
    }

    const NORMAL: LayoutState = LayoutState {
        fullscreen: false,
        reader_focused: false,
    };

    #[test]
    fn wide_terminals_get_panes_side_by_side() {
        let panes = panes(Rect::new(0, 0, 120, 40), &config(), NORMAL);
        let (list, reader) = (panes.list.unwrap(), panes.reader.unwrap());
        assert_eq!(list.y, reader.y);
        assert_eq!(list.width + reader.width, 120);
        assert_eq!(list.height, 38);
        assert!(panes.status.is_some() && panes.hints.is_some());
    }

    #[test]
    fn narrow_terminals_stack_the_panes() {
        let panes = panes(Rect::new(0, 0, 80, 24), &config(), NORMAL);
        let (list, reader) = (panes.list.unwrap(), panes.reader.unwrap());
        assert_eq!(list.x, reader.x);
        assert_eq!(list.y + list.height, reader.y);
    }

    #[test]
    fn very_small_terminals_show_one_pane() {
        let area = Rect::new(0, 0, 40, 12);
        let list_only = panes(area, &config(), NORMAL);
        assert!(list_only.list.is_some() && list_only.reader.is_none());
        let reading = panes(
            area,
            &config(),
            LayoutState {
                reader_focused: true,
                ..NORMAL
            },
        );
        assert!(reading.list.is_none() && reading.reader.is_some());
    }

    #[test]
    fn fullscreen_gives_the_reader_everything() {
        let panes = panes(
            Rect::new(0, 0, 120, 40),
            &config(),
            LayoutState {
                fullscreen: true,
                ..NORMAL
            },
        );
        assert!(panes.list.is_none());
        assert_eq!(panes.reader.unwrap().width, 120);
    }

    #[test]
    fn the_text_keeps_its_maximum_width_centred_in_a_wide_pane() {
        let pane = Rect::new(40, 0, 120, 30);
        let parts = reader_parts(pane, 80);
        assert_eq!(parts.text.width, 80);
        // 116 columns of room between the rule and the scrollbar.
        let left = parts.text.x - (pane.x + 2);
        let right = (pane.right() - 2) - parts.text.right();
        assert_eq!((left, right), (18, 18));
        assert_eq!(parts.header.width, 119, "the header still spans the pane");
        assert_eq!(parts.scrollbar.x, pane.right() - 1);
        let narrow = reader_parts(Rect::new(0, 0, 60, 20), 80);
        assert_eq!((narrow.text.x, narrow.text.width), (2, 56));
        assert_eq!(reader_parts(pane, 0).text.width, 116, "0: no limit");
    }

    #[test]
    fn every_size_down_to_nothing_stays_inside_the_area() {
        for width in 0..50 {
            for height in 0..12 {
                let area = Rect::new(0, 0, width, height);
                let panes = panes(area, &config(), NORMAL);
                for rect in [panes.list, panes.reader, panes.status, panes.hints]
                    .into_iter()
                    .flatten()
                {
                    assert!(area.contains(rect.as_position()) || rect.is_empty());
                    assert!(rect.right() <= area.right() && rect.bottom() <= area.bottom());
                }
            }
        }
    }
}
