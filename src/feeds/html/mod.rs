//! HTML made readable text for items and pages: paragraphs, headings,
//! lists, links numbered and listed (html2text), guarded against panics
//! and runaway sizes, every text terminal-safe. Every HTML an HTML parser
//! reads (items here, pages in `fulltext` and `discover`) first goes
//! through [`bound`], which bounds its nesting and size, so no markup can
//! overflow a stack or take long.

pub mod bound;
mod simple;

use std::panic::{self, AssertUnwindSafe};

use url::Url;

use self::bound::{FENCE_CLOSE, FENCE_OPEN};

use crate::article::sanitize::{sanitize, sanitize_line};

/// The most HTML one item's text is made from: beyond it the rest is cut,
/// so one runaway item cannot hold the fetch up.
const MAX_HTML: usize = 2 * 1024 * 1024;

/// The width html2text wraps to: wide enough that it does not wrap (the
/// reader wraps to its pane).
const NO_WRAP: usize = 100_000;

/// The most elements of one item's HTML that keep their layout: the text
/// of the rest follows as plain text. Long articles have a few thousand;
/// html2text takes about 3 KB of memory for each (BENCHMARKS.md, "HTML
/// pathologies, each bounded").
const MAX_ELEMENTS: usize = 20_000;

/// The most elements of a page that full-text extraction and feed
/// discovery read: beyond them the page is cut. Big news pages have ten
/// thousand; Readability itself gives up past `fulltext`'s 200,000.
pub const MAX_PAGE_ELEMENTS: usize = 100_000;

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
/// tags when the converter fails or panics on it. Links and images are
/// left as they are written; [`text_of_html_at`] resolves them.
pub fn text_of_html(html: &str) -> String {
    text_of_html_at(html, None)
}

/// HTML as readable text (Markdown), terminal-safe: paragraphs, headings,
/// lists and quotes; links numbered and listed at the end, their
/// addresses resolved against `base` when given; each image a link named
/// `image: ` and its alt text; `<pre>` kept line for line and each table
/// as rows of columns aligned by display width, each in a code fence (one
/// longer than any run of backticks in it) which the reader shows as it
/// is. The HTML's text stripped of its tags when the converter fails or
/// panics on it.
pub fn text_of_html_at(html: &str, base: Option<&Url>) -> String {
    let bounded = |html: &str| {
        // Markers in the HTML itself are not the bounding pass's: gone
        // (copying the HTML only when it has any, which it almost never has).
        if html.contains([FENCE_OPEN, FENCE_CLOSE]) {
            let html = html.replace([FENCE_OPEN, FENCE_CLOSE], "");
            bound::bound_for_text(&html, MAX_ELEMENTS, base)
        } else {
            bound::bound_for_text(html, MAX_ELEMENTS, base)
        }
    };
    let convert = |html: &str| {
        // The plainest items (paragraphs, links, emphasis) are written
        // directly, as html2text would write them, at a fraction of its cost.
        if let Some(text) = simple::convert(html) {
            return Ok(text);
        }
        item_text(html).map(|text| {
            // Most items have no `<pre>` nor table, so no markers:
            // their text is kept as it is rather than rebuilt.
            if text.contains([FENCE_OPEN, FENCE_CLOSE]) {
                fenced(&text)
            } else {
                text
            }
        })
    };
    converted(html, bounded, convert).unwrap_or_else(|html| sanitize(&strip_tags(&html)))
}

/// html2text's text of an item's bounded HTML, as [`text_of_html_at`]
/// asks for it: plain, numbered links listed after the text, tables
/// without borders, not wrapped.
fn item_text(html: &str) -> Result<String, html2text::Error> {
    html2text::config::plain()
        .no_table_borders()
        .string_from_read(html.as_bytes(), NO_WRAP)
}

/// `text` with each block between a line of [`FENCE_OPEN`] and one of
/// [`FENCE_CLOSE`] made a fenced code block (the markers' lines become the
/// fences, keeping what the converter put before them: a quote's `> `, a
/// list's indent), one backtick longer than the longest run in the block.
fn fenced(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // For each line, the first closing mark's line after it: found in one
    // sweep from the end, so the text is read in linear time however its
    // marks fall.
    let mut next_close = vec![None; lines.len()];
    let mut after = None;
    for (index, line) in lines.iter().enumerate().rev() {
        next_close[index] = after;
        if marker_prefix(line, FENCE_CLOSE).is_some() {
            after = Some(index);
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    while let Some(&line) = lines.get(at) {
        let open = marker_prefix(line, FENCE_OPEN);
        let close = next_close[at];
        if let (Some(prefix), Some(close)) = (open, close) {
            let mut body = &lines[at + 1..close];
            let blank = |line: &&str| line.trim_matches([' ', '>']).is_empty();
            while body.first().is_some_and(blank) {
                body = &body[1..];
            }
            while body.last().is_some_and(blank) {
                body = &body[..body.len() - 1];
            }
            let ticks = body
                .iter()
                .map(|line| longest_backticks(line))
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(ticks.max(2) + 1);
            let close_prefix = marker_prefix(lines[close], FENCE_CLOSE).unwrap_or(prefix);
            out.push_str(&format!("{prefix}{fence}\n"));
            for line in body {
                out.push_str(line.trim_end());
                out.push('\n');
            }
            out.push_str(&format!("{close_prefix}{fence}\n"));
            at = close + 1;
            continue;
        }
        out.extend(
            line.chars()
                .filter(|c| *c != FENCE_OPEN && *c != FENCE_CLOSE),
        );
        out.push('\n');
        at += 1;
    }
    out
}

/// What comes before `mark` on a line that holds only `mark` after a
/// quote's or a list's marks and indent.
fn marker_prefix(line: &str, mark: char) -> Option<&str> {
    line.trim_end().strip_suffix(mark).filter(|prefix| {
        prefix
            .chars()
            .all(|c| matches!(c, ' ' | '>' | '*' | '-' | '.') || c.is_ascii_digit())
    })
}

/// The longest run of backticks in `line`.
fn longest_backticks(line: &str) -> usize {
    line.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A one-line text given as HTML (an Atom title of type `html`) as plain,
/// terminal-safe text: no tags, no Markdown marks.
pub(super) fn line_of_html(html: &str) -> String {
    let plain = |html: &str| {
        html2text::config::plain_no_decorate().string_from_read(html.as_bytes(), NO_WRAP)
    };
    let bounded = |html: &str| bound::bound(html, MAX_ELEMENTS);
    let text = converted(html, bounded, plain).unwrap_or_else(|html| strip_tags(&html));
    sanitize_line(&text)
}

/// `html`, cut to [`MAX_HTML`], cleaned of escape sequences and bounded
/// (by `bounded`, see [`bound`]), through `convert`, and the result
/// cleaned again and trimmed; the text of elements past [`MAX_ELEMENTS`]
/// follows as plain text after a line that says so. The cut, cleaned HTML
/// is the error when the converter fails or panics. Cleaning before
/// converting matters: the converter drops a bare ESC but keeps the rest
/// of its sequence (`[31m`), which the sanitizer would remove whole.
fn converted<E>(
    html: &str,
    bounded: impl Fn(&str) -> bound::Bounded,
    convert: impl Fn(&str) -> Result<String, E>,
) -> Result<String, String> {
    let mut end = html.len().min(MAX_HTML);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let html = sanitize(&html[..end]);
    let bounded = bounded(&html);
    match panic::catch_unwind(AssertUnwindSafe(|| convert(&bounded.html))) {
        Ok(Ok(text)) => {
            let mut text = trimmed(sanitize(&text));
            if let Some(rest) = bounded.rest.filter(|rest| !rest.is_empty()) {
                text = format!("{text}\n\n{PLAIN_REST}\n\n{}", sanitize(&rest));
            }
            Ok(text)
        }
        _ => Err(html),
    }
}

/// `text` without the whitespace at either end, in place.
fn trimmed(mut text: String) -> String {
    text.truncate(text.trim_end().len());
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
    text
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

    #[test]
    fn marked_blocks_become_fences_and_stray_marks_go() {
        let text = format!(
            "before\n\n{FENCE_OPEN}\n\na ``` b\n  c  \n\n{FENCE_CLOSE}\n\n> {FENCE_OPEN}\n> x\n> {FENCE_CLOSE}\nlone {FENCE_OPEN} mark\n{FENCE_CLOSE}"
        );
        assert_eq!(
            fenced(&text),
            "before\n\n````\na ``` b\n  c\n````\n\n> ```\n> x\n> ```\nlone  mark\n\n"
        );
        // Markers in the HTML itself are not taken for the converter's.
        let text = text_of_html(&format!("<p>{FENCE_OPEN}</p><p>x</p><p>{FENCE_CLOSE}</p>"));
        assert_eq!(text, "x");
    }
}
