//! HTML made readable text for items and pages: paragraphs, headings,
//! lists, links numbered and listed (html2text), guarded against panics
//! and runaway sizes, every text terminal-safe.

use std::panic::{self, AssertUnwindSafe};

use crate::article::sanitize::{sanitize, sanitize_line};

/// The most HTML one item's text is made from: beyond it the rest is cut,
/// so one runaway item cannot hold the fetch up.
const MAX_HTML: usize = 2 * 1024 * 1024;

/// The width html2text wraps to: wide enough that it does not wrap (the
/// reader wraps to its pane).
const NO_WRAP: usize = 100_000;

/// Plain text as an item's text: terminal-safe and trimmed.
pub(super) fn plain_text(text: &str) -> String {
    sanitize(text).trim().to_string()
}

/// HTML as readable text, terminal-safe; the HTML's text stripped of its
/// tags when the converter fails or panics on it.
pub fn text_of_html(html: &str) -> String {
    converted(html, |html| html2text::from_read(html.as_bytes(), NO_WRAP))
        .unwrap_or_else(|html| sanitize(&strip_tags(&html)))
}

/// A one-line text given as HTML (an Atom title of type `html`) as plain,
/// terminal-safe text: no tags, no Markdown marks.
pub(super) fn line_of_html(html: &str) -> String {
    let plain = |html: &str| {
        html2text::config::plain_no_decorate().string_from_read(html.as_bytes(), NO_WRAP)
    };
    let text = converted(html, plain).unwrap_or_else(|html| strip_tags(&html));
    sanitize_line(&text)
}

/// `html`, cut to [`MAX_HTML`] and cleaned of escape sequences, through
/// `convert`, and the result cleaned again and trimmed; the cut, cleaned
/// HTML as the error when the converter fails or panics. Cleaning before
/// converting matters: the converter drops a bare ESC but keeps the rest
/// of its sequence (`[31m`), which the sanitizer would remove whole.
fn converted<E>(html: &str, convert: impl Fn(&str) -> Result<String, E>) -> Result<String, String> {
    let mut end = html.len().min(MAX_HTML);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let html = sanitize(&html[..end]);
    match panic::catch_unwind(AssertUnwindSafe(|| convert(&html))) {
        Ok(Ok(text)) => Ok(sanitize(&text).trim().to_string()),
        _ => Err(html),
    }
}

/// The text between the tags, for HTML the converter could not read.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runaway_html_is_cut_and_broken_html_still_gives_text() {
        let huge = format!("<p>{}</p>", "word ".repeat(MAX_HTML / 2));
        assert!(text_of_html(&huge).len() <= MAX_HTML);
        let broken = text_of_html("<p>unclosed <b>bold <i>text");
        assert!(
            broken.contains("unclosed") && broken.contains("text"),
            "{broken}"
        );
        assert_eq!(strip_tags("<a href=\"x\">in</a> out"), "in out");
    }
}
