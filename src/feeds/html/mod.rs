//! HTML made readable text for items and pages: paragraphs, headings,
//! lists, links numbered and listed (html2text), guarded against panics
//! and runaway sizes, every text terminal-safe. Every HTML an HTML parser
//! reads (items here, pages in `fulltext` and `discover`) first goes
//! through [`bound`], which bounds its nesting and size, so no markup can
//! overflow a stack or take long.

pub mod bound;

use std::panic::{self, AssertUnwindSafe};

use crate::article::sanitize::{sanitize, sanitize_line};

/// The most HTML one item's text is made from: beyond it the rest is cut,
/// so one runaway item cannot hold the fetch up.
const MAX_HTML: usize = 2 * 1024 * 1024;

/// The width html2text wraps to: wide enough that it does not wrap (the
/// reader wraps to its pane).
const NO_WRAP: usize = 100_000;

/// The most elements of one item's HTML that keep their layout: the text
/// of the rest follows as plain text. Long articles have a few thousand.
const MAX_ELEMENTS: usize = 50_000;

/// The most elements of a page that full-text extraction and feed
/// discovery read: beyond them the page is cut. Readability itself gives
/// up on pages of more than `fulltext`'s 200,000.
pub const MAX_PAGE_ELEMENTS: usize = 150_000;

/// The stack a thread that converts or extracts HTML is given: parsing
/// and reading a tree [`bound`] has bounded take far less, and a thread's
/// stack costs only what it touches.
pub const THREAD_STACK: usize = 16 * 1024 * 1024;

/// The line put between an item's converted text and the plain text of
/// what came past [`MAX_ELEMENTS`].
const PLAIN_REST: &str = "(The rest of this text had too many HTML elements to keep its layout; \
it follows as plain text.)";

/// A web page's HTML bounded for a parser (see [`bound`]): nesting and
/// attributes bounded, cut after [`MAX_PAGE_ELEMENTS`] elements.
pub fn bounded_page(html: &str) -> String {
    bound::bound(html, MAX_PAGE_ELEMENTS).html
}

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

/// `html`, cut to [`MAX_HTML`], cleaned of escape sequences and bounded
/// (see [`bound`]), through `convert`, and the result cleaned again and
/// trimmed; the text of elements past [`MAX_ELEMENTS`] follows as plain
/// text after a line that says so. The cut, cleaned HTML is the error when
/// the converter fails or panics. Cleaning before converting matters: the
/// converter drops a bare ESC but keeps the rest of its sequence (`[31m`),
/// which the sanitizer would remove whole.
fn converted<E>(html: &str, convert: impl Fn(&str) -> Result<String, E>) -> Result<String, String> {
    let mut end = html.len().min(MAX_HTML);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let html = sanitize(&html[..end]);
    let bounded = bound::bound(&html, MAX_ELEMENTS);
    match panic::catch_unwind(AssertUnwindSafe(|| convert(&bounded.html))) {
        Ok(Ok(text)) => {
            let mut text = sanitize(&text).trim().to_string();
            if let Some(rest) = bounded.rest.filter(|rest| !rest.is_empty()) {
                text = format!("{text}\n\n{PLAIN_REST}\n\n{}", sanitize(&rest));
            }
            Ok(text)
        }
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
