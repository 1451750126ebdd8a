//! Wrapping text to a width in terminal columns.
//!
//! Widths are measured per grapheme cluster as ratatui's buffer measures
//! them (unicode-width, and a column more for each halfwidth sound mark),
//! so a wrapped line never overflows the pane:
//! lines break at spaces, between CJK and other wide characters, and inside a
//! word only when the word alone is wider than the pane. Lines are byte ranges
//! into the source, so wrapping copies no text.

use std::ops::Range;

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Splits `text` into lines of at most `width` columns, as byte ranges.
///
/// `\n` forces a break (code blocks keep their lines). Spaces where a line
/// breaks are dropped; indentation at the start of a hard line is kept. A
/// single grapheme wider than `width` (an emoji in a one-column pane) gets a
/// line of its own; the renderer clips it. Width 0 gives no lines.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    if width == 0 {
        return lines;
    }
    let mut wrapper = Wrapper::new(width);
    for_each_grapheme(text, |at, grapheme| wrapper.push(at, grapheme, &mut lines));
    wrapper.finish(text, &mut lines);
    lines
}

/// Calls `visit` with each grapheme cluster of `text` and its byte offset,
/// as `grapheme_indices` would, but segments only around non-ASCII text.
///
/// Between two ASCII characters there is always a boundary (sanitized text
/// has no CR to pair with LF), so such a character is a grapheme of its own
/// and needs no segmentation, which is most of the cost of wrapping a long
/// article. From an ASCII character followed by non-ASCII, or a non-ASCII
/// one, the segmenter runs until the text is back to ASCII pairs.
fn for_each_grapheme(text: &str, mut visit: impl FnMut(usize, &str)) {
    let bytes = text.as_bytes();
    let plain_at =
        |at: usize| bytes[at].is_ascii() && bytes.get(at + 1).is_none_or(|next| next.is_ascii());
    let mut at = 0;
    while at < bytes.len() {
        if plain_at(at) {
            visit(at, &text[at..=at]);
            at += 1;
            continue;
        }
        let start = at;
        for (offset, grapheme) in text[start..].grapheme_indices(true) {
            visit(start + offset, grapheme);
            at = start + offset + grapheme.len();
            if at >= bytes.len() || plain_at(at) {
                break;
            }
        }
    }
}

/// The display width of `text` in terminal columns, as the buffer lays it
/// out.
pub fn width(text: &str) -> usize {
    // ratatui adds a column for each halfwidth sound mark (U+FF9E,
    // U+FF9F) to unicode-width's count; lines must fit the buffer's count.
    // (The view draws such a cluster as text terminals agree on.)
    let sound_marks = text
        .chars()
        .filter(|c| matches!(c, '\u{FF9E}' | '\u{FF9F}'))
        .count();
    text.width() + sound_marks
}

/// The columns one grapheme cluster takes in the buffer.
fn columns(grapheme: &str) -> usize {
    usize::from(grapheme.cell_width())
}

/// Cuts `text` to at most `max` columns, ending in `…` when it was cut.
pub(crate) fn truncate(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if width(text) <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    if max == 0 {
        return std::borrow::Cow::Borrowed("");
    }
    let mut used = 0;
    let mut out = String::new();
    for grapheme in text.graphemes(true) {
        let w = columns(grapheme);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push_str(grapheme);
    }
    out.push('…');
    std::borrow::Cow::Owned(out)
}

/// A place where the current line may end.
#[derive(Clone, Copy)]
struct Break {
    /// Where the line would end (exclusive).
    end: usize,
    /// Where the next line would start.
    next: usize,
    /// Columns used from the line start up to `next`.
    width_at_next: usize,
}

struct Wrapper {
    width: usize,
    start: usize,
    used: usize,
    last_break: Option<Break>,
    /// After a soft break, leading spaces of the new line are skipped.
    skipping_spaces: bool,
}

impl Wrapper {
    fn new(width: usize) -> Self {
        Wrapper {
            width,
            start: 0,
            used: 0,
            last_break: None,
            skipping_spaces: false,
        }
    }

    fn push(&mut self, at: usize, grapheme: &str, lines: &mut Vec<Range<usize>>) {
        let end = at + grapheme.len();
        if grapheme == "\n" || grapheme == "\r\n" {
            lines.push(self.start..at);
            self.begin_line(end, false);
            return;
        }
        let is_space = grapheme == " ";
        if is_space && self.skipping_spaces {
            self.start = end;
            return;
        }
        self.skipping_spaces = false;
        let columns = match grapheme.as_bytes() {
            [byte] if byte.is_ascii_graphic() => 1,
            _ => columns(grapheme),
        };
        if is_space {
            // A space is where a line may end; it is dropped at the break.
            self.last_break = Some(Break {
                end: at,
                next: end,
                width_at_next: self.used + columns,
            });
            if self.used + columns > self.width {
                lines.push(self.start..at);
                self.begin_line(end, true);
                return;
            }
            self.used += columns;
            return;
        }
        let wide = columns > 1;
        if wide && at > self.start {
            // Wide (CJK, emoji) characters may break before themselves.
            self.last_break = Some(Break {
                end: at,
                next: at,
                width_at_next: self.used,
            });
        }
        if self.used + columns > self.width && at > self.start {
            self.break_line(at, lines);
        }
        self.used += columns;
        if wide {
            self.last_break = Some(Break {
                end,
                next: end,
                width_at_next: self.used,
            });
        }
    }

    /// Ends the current line before the grapheme at `at`: at the last break
    /// opportunity, or right here when the word has none.
    fn break_line(&mut self, at: usize, lines: &mut Vec<Range<usize>>) {
        match self.last_break.take() {
            Some(brk) if brk.end > self.start || brk.next > self.start => {
                lines.push(self.start..brk.end);
                self.used -= brk.width_at_next;
                self.start = brk.next;
                // Spaces right after the break point were already counted
                // in width_at_next; nothing more to skip.
            }
            _ => {
                lines.push(self.start..at);
                self.start = at;
                self.used = 0;
            }
        }
    }

    fn begin_line(&mut self, start: usize, soft: bool) {
        self.start = start;
        self.used = 0;
        self.last_break = None;
        self.skipping_spaces = soft;
    }

    fn finish(self, text: &str, lines: &mut Vec<Range<usize>>) {
        let end = text.len();
        if self.start < end || lines.is_empty() {
            let trimmed = text[self.start..end].trim_end_matches(' ').len();
            lines.push(self.start..self.start + trimmed);
        }
        // Lines never end in the spaces of a break.
        for line in lines.iter_mut() {
            let kept = text[line.clone()].trim_end_matches(' ').len();
            line.end = line.start + kept;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, width: usize) -> Vec<&str> {
        wrap(text, width).into_iter().map(|r| &text[r]).collect()
    }

    fn widest(text: &str, width: usize) -> usize {
        wrap(text, width)
            .into_iter()
            .map(|r| text[r].width())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn breaks_at_spaces_and_drops_them() {
        assert_eq!(
            lines("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
    }

    #[test]
    fn a_word_that_fits_exactly_stays_on_the_line() {
        assert_eq!(lines("abcde fghij", 5), ["abcde", "fghij"]);
        assert_eq!(lines("ab cd", 5), ["ab cd"]);
    }

    #[test]
    fn a_word_wider_than_the_pane_is_cut() {
        assert_eq!(lines("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(lines("xx abcdefghij", 4), ["xx", "abcd", "efgh", "ij"]);
    }

    #[test]
    fn cjk_breaks_between_characters_and_never_overflows() {
        let text = "日本語のテキストは文字の間で折り返されます";
        assert_eq!(
            lines(text, 6),
            [
                "日本語",
                "のテキ",
                "ストは",
                "文字の",
                "間で折",
                "り返さ",
                "れます"
            ]
        );
        for width in 1..12 {
            assert!(widest(text, width) <= width.max(2), "width {width}");
            if width >= 2 {
                assert!(widest(text, width) <= width, "width {width}");
            }
        }
    }

    #[test]
    fn an_odd_width_leaves_a_column_free_rather_than_splitting_a_wide_char() {
        assert_eq!(lines("日本語", 5), ["日本", "語"]);
    }

    #[test]
    fn emoji_sequences_are_one_grapheme() {
        let text = "family 👨‍👩‍👧 flag 🇫🇷 ok";
        for width in 2..20 {
            for line in lines(text, width) {
                assert!(line.width() <= width, "{line:?} at {width}");
            }
        }
        assert!(lines(text, 9).contains(&"family 👨‍👩‍👧"));
    }

    #[test]
    fn halfwidth_sound_marks_take_the_column_the_buffer_gives_them() {
        // `ｶﾞ` is one cluster, which the buffer lays out in three columns.
        assert_eq!(width("ｶﾞｷﾞ"), 6);
        assert_eq!(lines("ｶﾞｷﾞ", 5), ["ｶﾞ", "ｷﾞ"]);
        assert_eq!(lines("ｶﾞｷﾞ", 6), ["ｶﾞｷﾞ"]);
        assert_eq!(truncate("ｶﾞｷﾞ", 4), "ｶﾞ…");
    }

    #[test]
    fn mixed_latin_and_cjk() {
        assert_eq!(lines("abc日本def", 5), ["abc日", "本def"]);
    }

    #[test]
    fn hard_breaks_are_kept_with_indentation() {
        assert_eq!(
            lines("fn main() {\n    go();\n}", 40),
            ["fn main() {", "    go();", "}"]
        );
    }

    #[test]
    fn spaces_after_a_soft_break_are_skipped() {
        assert_eq!(lines("aaaa    bbbb", 4), ["aaaa", "bbbb"]);
    }

    #[test]
    fn width_zero_gives_nothing_and_width_one_still_terminates() {
        assert!(wrap("abc", 0).is_empty());
        assert_eq!(lines("ab 日", 1), ["a", "b", "日"]);
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(lines("", 10), [""]);
    }

    #[test]
    fn long_text_wraps_every_line_within_width() {
        let text = "word ".repeat(10_000) + &"長".repeat(5_000);
        for width in [1, 7, 40, 80] {
            assert!(widest(&text, width) <= width.max(2));
        }
    }

    #[test]
    fn graphemes_are_found_as_the_segmenter_finds_them() {
        for text in [
            "plain ascii, two  spaces\nand a newline",
            "e\u{301}t\u{e9} “quoted” — dash, 日本語 and 👨‍👩‍👧 or 🇫🇷🇩🇪 a\u{301}\u{302}",
            "é",
            "a",
            "",
            "\u{600}1 prepend",
        ] {
            let mut ours = Vec::new();
            for_each_grapheme(text, |at, g| ours.push((at, g.to_string())));
            let segmenter: Vec<(usize, String)> = text
                .grapheme_indices(true)
                .map(|(at, g)| (at, g.to_string()))
                .collect();
            assert_eq!(ours, segmenter, "{text:?}");
        }
    }

    #[test]
    fn ascii_text_wraps_as_the_general_path_does() {
        let text = "  lead   spaces, then words of many sizes: a bb ccc dddd eeeeeeeeeeeeeeeeeeee f\ncode  line\n";
        for width in 1..30 {
            let general: Vec<_> = {
                let mut wrapper = Wrapper::new(width);
                let mut lines = Vec::new();
                for (at, grapheme) in text.grapheme_indices(true) {
                    wrapper.push(at, grapheme, &mut lines);
                }
                wrapper.finish(text, &mut lines);
                lines
            };
            assert_eq!(wrap(text, width), general, "width {width}");
        }
    }

    #[test]
    fn truncate_cuts_by_display_width_with_an_ellipsis() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語です", 5), "日本…");
        assert_eq!(truncate("abc", 0), "");
    }

    proptest::proptest! {
        #[test]
        fn graphemes_match_the_segmenter_on_any_text(
            text in "[a-z \\n\u{301}\u{302}\u{200d}\u{fe0f}\u{600}\u{1f1eb}\u{1f1f7}\u{1f468}\u{1f469}é日“—]{0,40}"
        ) {
            let mut ours = Vec::new();
            for_each_grapheme(&text, |at, g| ours.push((at, g.to_string())));
            let segmenter: Vec<(usize, String)> = text
                .grapheme_indices(true)
                .map(|(at, g)| (at, g.to_string()))
                .collect();
            proptest::prop_assert_eq!(ours, segmenter);
        }
    }
}
