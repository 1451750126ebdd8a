//! Grapheme clusters that terminals draw at different widths, rewritten
//! after each frame as text every terminal draws at the width the layout
//! gave them.
//!
//! The layout measures a cluster as one piece, as ratatui does: a thumb
//! with a skin tone (`👍🏽`) or a family joined with zero-width joiners
//! (`👨‍👩‍👧`) is two columns. A terminal that does not know the sequence
//! draws its parts one by one (four columns for the thumb and the tone, six
//! for the family), a heart with its emoji selector (`❤️`) is one column to
//! some and two to others, and tmux may disagree with the terminal it runs
//! in. Then the text after the cluster lands in other columns than the
//! reader wrote, and pieces stay on screen after the next frame, which
//! redraws only the cells it changed.
//!
//! So a cell whose cluster the buffer measures otherwise than its
//! characters one by one, or that holds a joiner, selector, skin tone, tag
//! or keycap mark, is drawn as its first character alone, in the same
//! columns:
//! `👍🏽` and `👨‍👩‍👧` as `👍` and `👨` (two columns), `❤️` and `1️⃣` as `❤`
//! and `1` and a space. Flags are spelt as their two letters (`🇫🇷` as
//! `FR`). The text itself is untouched: search, the command line and the
//! files keep the whole sequence.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthChar;

/// Drawn for a cluster whose first character is wider than the cluster
/// (a wide emoji asked to be drawn as narrow text, `⌚︎`): nothing of the
/// cluster fits its one column everywhere.
const TOO_WIDE: char = '?';

/// Rewrites every cell of `area` whose cluster terminals disagree on, in
/// the columns the layout gave it.
pub(super) fn settle_contested(buf: &mut Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let symbol = buf[(x, y)].symbol();
            // Most cells hold one ASCII character: nothing to look at.
            if symbol.len() <= 1 || !is_contested(symbol) {
                continue;
            }
            let columns = usize::from(symbol.cell_width());
            let stand_in = stand_in(symbol, columns);
            for (offset, c) in (0..columns).zip(stand_in.chars().chain(std::iter::repeat(' '))) {
                let Some(cell_x) = x.checked_add(offset as u16).filter(|&at| at < area.right())
                else {
                    break;
                };
                let mut bytes = [0u8; 4];
                buf[(cell_x, y)].set_symbol(c.encode_utf8(&mut bytes));
            }
        }
    }
}

/// Whether terminals may draw `symbol` at another width than the layout
/// measured: it holds a character that only means something in a
/// sequence, or its characters' widths do not add up to its own.
pub(crate) fn is_contested(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    let Some(base) = chars.next() else {
        return false;
    };
    if is_regional_indicator(base) || chars.any(is_sequence_mark) {
        return true;
    }
    let one_by_one: usize = symbol.chars().map(|c| c.width().unwrap_or(0)).sum();
    one_by_one != usize::from(symbol.cell_width())
}

/// What is drawn for a contested cluster `columns` wide: a flag's letters,
/// else the first character alone when it fits (the cells after it are
/// spaces).
fn stand_in(symbol: &str, columns: usize) -> String {
    let mut chars = symbol.chars();
    let base = chars.next().unwrap_or(' ');
    if is_regional_indicator(base) {
        return symbol
            .chars()
            .filter(|&c| is_regional_indicator(c))
            .filter_map(indicator_letter)
            .take(columns)
            .collect();
    }
    match base.width() {
        Some(width) if width > columns => TOO_WIDE.to_string(),
        // A cluster that starts with a mark has nothing to stand on.
        Some(0) | None => String::new(),
        Some(_) => base.to_string(),
    }
}

/// Characters that only mean something as part of a sequence, which
/// terminals support to different degrees: variation selectors, the
/// zero-width joiner, skin tones after a base, tag characters (regional
/// flags such as Scotland's) and the keycap mark.
fn is_sequence_mark(c: char) -> bool {
    matches!(
        c,
        '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
            | '\u{200D}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{20E3}'
    )
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// The capital letter a regional indicator stands for (`🇫` is `F`).
fn indicator_letter(c: char) -> Option<char> {
    char::from_u32(u32::from(b'A') + (c as u32).checked_sub(0x1F1E6)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::text::Line;
    use ratatui::widgets::Widget;

    fn row(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol())
            .collect::<String>()
    }

    /// `text` drawn on one row of `width` and settled.
    fn settled(text: &str, width: u16) -> Buffer {
        let area = Rect::new(0, 0, width, 1);
        let mut buf = Buffer::empty(area);
        Line::raw(text).render(area, &mut buf);
        settle_contested(&mut buf, area);
        buf
    }

    #[test]
    fn flags_are_drawn_as_their_letters_in_the_same_columns() {
        let area = Rect::new(0, 0, 8, 2);
        let mut buf = Buffer::empty(area);
        Line::raw("a🇫🇷b🇩").render(Rect::new(0, 0, 8, 1), &mut buf);
        Line::raw("xyz").render(Rect::new(0, 1, 8, 1), &mut buf);
        settle_contested(&mut buf, area);
        assert_eq!(row(&buf, 0), "aFRbD   ");
        assert_eq!(row(&buf, 1), "xyz     ", "other text is untouched");
    }

    #[test]
    fn skin_tones_and_joined_sequences_keep_their_first_emoji() {
        // Each cluster is two columns; the text after it stays in place.
        let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        let buf = settled(&format!("👍🏽|👨‍👩‍👧|👩🏽‍💻|{scotland}|"), 12);
        // A two-column character's second cell reads as a space.
        assert_eq!(row(&buf, 0), "👍 |👨 |👩 |🏴 |");
    }

    #[test]
    fn narrow_characters_made_wide_by_a_selector_or_keycap_get_a_space() {
        let buf = settled("❤️|1️⃣|🏳️‍🌈|✌🏽|", 12);
        assert_eq!(row(&buf, 0), "❤ |1 |🏳 |✌ |");
    }

    #[test]
    fn a_wide_emoji_asked_to_be_narrow_is_a_question_mark() {
        let buf = settled("⌚\u{FE0E}|", 3);
        assert_eq!(row(&buf, 0), "?| ");
    }

    #[test]
    fn a_halfwidth_sound_mark_keeps_the_columns_the_buffer_gives_it() {
        // ratatui lays `ｶﾞ` out in three columns; terminals draw two.
        let buf = settled("ｶﾞ|", 5);
        assert_eq!(row(&buf, 0), "ｶ  | ");
    }

    #[test]
    fn text_every_terminal_agrees_on_is_left_alone() {
        for text in ["plain", "日本語", "é and e\u{301}", "👍 alone", "🏽"] {
            for cluster in unicode_segmentation::UnicodeSegmentation::graphemes(text, true) {
                assert!(!is_contested(cluster), "{cluster:?}");
            }
        }
        let buf = settled("日本 e\u{301}👍", 10);
        assert_eq!(row(&buf, 0), "日 本  e\u{301}👍   ");
    }
}
