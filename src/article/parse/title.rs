//! The title of an article, whatever its format: the file's own title cut to
//! a width, else the first sentence of the body, else the file name.
//!
//! Separate from the formats because every format ends here: a format only
//! says which title its file gives, if any ([`Parsed::title`]); how a
//! missing one is derived, and how any title is cut at a word boundary to
//! fit the list, is the same for all of them.
//!
//! [`Parsed::title`]: super::Parsed::title

use std::path::Path;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::article::model::{Block, BlockKind};
use crate::article::sanitize::non_empty_line;

/// The widest a title derived from the body may be, `…` included.
pub const DERIVED_TITLE_MAX_COLUMNS: usize = 100;
/// The widest any title may be, `…` included: longer titles from the file
/// (a Markdown heading, front matter) are cut at a word boundary.
pub const TITLE_MAX_COLUMNS: usize = 200;
/// The title of an article that has neither a title, a body nor a file name.
const UNTITLED: &str = "(untitled)";

/// The title of an article: the file's `title` made one line and cut to
/// [`TITLE_MAX_COLUMNS`]; without one, the first sentence of the body cut
/// to [`DERIVED_TITLE_MAX_COLUMNS`]; without a body, the last segment of
/// `id` without its extension; without that, `(untitled)`.
pub(super) fn article_title(title: Option<&str>, blocks: &[Block], id: &str) -> String {
    title
        .and_then(title_of)
        .or_else(|| derive_title(blocks))
        .unwrap_or_else(|| title_from_id(id))
}

/// `text` as a title: one line, cut to [`TITLE_MAX_COLUMNS`]; `None` when
/// nothing is left.
fn title_of(text: &str) -> Option<String> {
    non_empty_line(text).map(|title| shorten(&title, TITLE_MAX_COLUMNS))
}

/// A title from the first sentence of the first text block (code only when
/// there is nothing else), cut to [`DERIVED_TITLE_MAX_COLUMNS`].
fn derive_title(blocks: &[Block]) -> Option<String> {
    let has_text = |block: &&Block| !block.text.trim().is_empty();
    let block = blocks
        .iter()
        .filter(has_text)
        .find(|block| block.kind != BlockKind::Code)
        .or_else(|| blocks.iter().find(has_text))?;
    let text = match block.kind {
        BlockKind::ListItem => strip_list_marker(&block.text),
        BlockKind::Code => block.text.lines().find(|line| !line.trim().is_empty())?,
        _ => &block.text,
    };
    // Only the start matters: whatever lies beyond the column limit is cut.
    let head = prefix_wider_than(text, DERIVED_TITLE_MAX_COLUMNS + 2);
    non_empty_line(first_sentence(head)).map(|title| shorten(&title, DERIVED_TITLE_MAX_COLUMNS))
}

/// The last path segment of the id without its extension, or `(untitled)`.
fn title_from_id(id: &str) -> String {
    let segment = id.rsplit('/').next().unwrap_or("");
    let stem = Path::new(segment)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or(segment);
    title_of(stem).unwrap_or_else(|| UNTITLED.to_owned())
}

/// The text without a leading `• ` or `12. ` list marker.
fn strip_list_marker(text: &str) -> &str {
    let text = text.trim_start();
    if let Some(rest) = text.strip_prefix("• ") {
        return rest;
    }
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    match text.get(digits..).and_then(|rest| rest.strip_prefix(". ")) {
        Some(rest) if digits > 0 => rest,
        _ => text,
    }
}

/// The text up to the end of its first sentence: before a `. `, through a
/// `! ` or `? `. A full stop after an abbreviation (`Mr.`, `U.S.`, an
/// initial) does not end the sentence. A single final full stop is dropped.
fn first_sentence(text: &str) -> &str {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let followed_by_space = chars.peek().is_some_and(|&(_, next)| next.is_whitespace());
        if !followed_by_space {
            continue;
        }
        match c {
            '!' | '?' => return text.get(..=i).unwrap_or(text),
            '.' if !ends_with_abbreviation(text.get(..i).unwrap_or("")) => {
                return text.get(..i).unwrap_or(text);
            }
            _ => {}
        }
    }
    match text.strip_suffix('.') {
        Some(rest) if !rest.ends_with('.') => rest,
        _ => text,
    }
}

/// Whether the word before a full stop is an abbreviation rather than the
/// end of a sentence: a known short form, one capital letter (an initial) or
/// a word with inner dots (`U.S`, `e.g`).
fn ends_with_abbreviation(before: &str) -> bool {
    const SHORT_FORMS: &[&str] = &[
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "no", "vol", "fig", "inc",
        "ltd", "co", "approx", "gen", "gov", "sen", "rep", "mt",
    ];
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if word.chars().count() > 8 {
        return false;
    }
    let mut letters = word.chars();
    let initial = matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase());
    initial
        || word.contains('.')
        || SHORT_FORMS
            .iter()
            .any(|form| word.eq_ignore_ascii_case(form))
}

/// Where the shortest prefix of `text` wider than `columns` ends (a byte
/// index), or `None` when all of `text` fits. Counting stops there, so a
/// huge text costs no more than its start.
fn overflow_end(text: &str, columns: usize) -> Option<usize> {
    // Sanitized ASCII is printable: one column a byte.
    if text.is_ascii() {
        return (text.len() > columns).then_some(columns + 1);
    }
    let mut width = 0;
    for (i, grapheme) in text.grapheme_indices(true) {
        width += grapheme.width();
        if width > columns {
            return Some(i + grapheme.len());
        }
    }
    None
}

/// Whether `text` fits in `columns` display columns.
fn fits(text: &str, columns: usize) -> bool {
    overflow_end(text, columns).is_none()
}

/// The shortest prefix of `text` wider than `columns` (or all of it).
fn prefix_wider_than(text: &str, columns: usize) -> &str {
    overflow_end(text, columns)
        .and_then(|end| text.get(..end))
        .unwrap_or(text)
}

/// `text` cut so that it plus `…` fits in `columns`, at the last word
/// boundary when there is one (a single overlong word is cut mid-word).
fn shorten(text: &str, columns: usize) -> String {
    if fits(text, columns) {
        return text.to_owned();
    }
    let budget = columns.saturating_sub(1);
    let mut width = 0;
    let mut end = 0;
    let mut last_break = None;
    for (i, grapheme) in text.grapheme_indices(true) {
        let grapheme_width = grapheme.width();
        if width + grapheme_width > budget {
            break;
        }
        if grapheme.chars().all(char::is_whitespace) {
            last_break = Some(i);
        }
        width += grapheme_width;
        end = i + grapheme.len();
    }
    let rest = text.get(end..).unwrap_or("");
    let cut = match last_break {
        _ if rest.starts_with(char::is_whitespace) => end,
        Some(at) => at,
        None => end,
    };
    let dangling = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—');
    let kept = text.get(..cut).unwrap_or("").trim_end_matches(dangling);
    let kept = if kept.is_empty() {
        text.get(..end).unwrap_or("")
    } else {
        kept
    };
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::Parsed;
    use super::super::testing::{columns, plain};
    use super::*;

    #[test]
    fn empty_and_blank_files_take_their_title_from_the_id() {
        for text in ["", "  \n\t\n \u{a0}\n"] {
            let a = plain(text);
            assert_eq!(a.title, "note");
            assert!(a.blocks.is_empty());
            assert_eq!(a.date, None);
            assert_eq!(a.words(), 1);
        }
        let a = Parsed::default().into_article("".into(), PathBuf::new());
        assert_eq!(a.title, "(untitled)");
        let a = Parsed::default().into_article("a/b/.txt".into(), PathBuf::new());
        assert_eq!(a.title, ".txt");
    }

    #[test]
    fn hundred_thousand_character_title_line_is_cut() {
        let line = "word ".repeat(20_000);
        for text in [
            line.clone(),
            format!(" date 2024-01-01 Tagged: x\n\n{line}\n"),
        ] {
            let a = plain(&text);
            assert!(a.title.ends_with("word…"), "{}", &a.title);
            assert!(columns(&a.title) <= DERIVED_TITLE_MAX_COLUMNS);
            assert_eq!(a.blocks.len(), 1);
        }
        let a = plain(&"x".repeat(100_000));
        assert_eq!(
            a.title,
            format!("{}…", "x".repeat(DERIVED_TITLE_MAX_COLUMNS - 1))
        );
    }

    #[test]
    fn derived_titles_stop_at_the_first_sentence() {
        let cases = [
            ("Short first sentence. Then more.", "Short first sentence"),
            ("Really? Yes.", "Really?"),
            ("Wow! Yes.", "Wow!"),
            (
                "Mr. Smith met J. K. Rowling in the U.S. today. Then",
                "Mr. Smith met J. K. Rowling in the U.S. today",
            ),
            ("No full stop at all", "No full stop at all"),
            ("Wait for it...", "Wait for it..."),
        ];
        for (body, title) in cases {
            let text = format!(" date 2024-01-01 {body}\n");
            assert_eq!(plain(&text).title, title, "{body}");
        }
    }

    #[test]
    fn wide_characters_count_two_columns_in_derived_titles() {
        let a = plain(&format!(" date 2024-01-01 {}\n", "世界 ".repeat(100)));
        assert!(columns(&a.title) <= DERIVED_TITLE_MAX_COLUMNS);
        assert!(a.title.ends_with("世界…"));
    }
}
