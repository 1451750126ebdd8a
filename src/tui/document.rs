//! The reader pane's content: an article laid out as styled segments, then
//! wrapped once per width into lines that point back into the segments.
//!
//! Wrapping a long article is the expensive part of the reader, so it is
//! done once per (article, width) and the view draws only the visible slice.

use std::ops::Range;

use crate::article::Body;
use crate::article::{Article, BlockKind};
use crate::tui::wrap;

/// How a segment of the reader is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentStyle {
    /// The article's title (bold).
    Title,
    /// Date, categories, tags, file and reading time.
    Meta,
    /// Ordinary body text.
    Paragraph,
    /// A subheading of the body.
    Subheading,
    /// A list item.
    ListItem,
    /// A quotation.
    Quote,
    /// Preformatted text.
    Code,
    /// The numbered link list after a Markdown body.
    Link,
    /// An empty line between blocks.
    Blank,
}

/// One styled piece of the reader's text, wrapped on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// How it is drawn.
    pub style: SegmentStyle,
    /// Where its text is.
    pub source: Source,
}

/// Where a segment's text lives: in the article's body (not copied) or in
/// the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The article's title (a copy is kept in the document).
    Title,
    /// Body block number `n`.
    Block(usize),
    /// Text made for the reader (meta lines, link list).
    Text(String),
    /// Nothing (a blank line).
    Empty,
}

/// One display line: a byte range of one segment's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocLine {
    /// Index of the segment.
    pub segment: u32,
    /// Byte range in the segment's text.
    pub start: u32,
    /// End of the byte range (exclusive).
    pub end: u32,
}

impl DocLine {
    /// The byte range in the segment's text.
    pub(crate) fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// An article laid out for the reader, and wrapped to one width: all of
/// it, or (for a long article, while a worker wraps the rest) its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Index of the article in the library.
    pub article: usize,
    /// The width the lines were wrapped to.
    pub width: usize,
    /// The segments in reading order.
    pub segments: Vec<Segment>,
    /// The wrapped lines (of the segments before `next_segment`).
    pub lines: Vec<DocLine>,
    /// The first segment not wrapped yet; `segments.len()` when complete.
    next_segment: usize,
    /// The article's title: the body, which the other segments point
    /// into, comes without it.
    title: String,
    /// The article's id: a position names another article once the folder
    /// changes, the id does not.
    id: String,
}

impl Document {
    /// Whether this is the layout of the same article at the same width as
    /// `other` (a worker's whole wrap replaces a partial one only then).
    pub(crate) fn same_layout(&self, other: &Document) -> bool {
        self.article == other.article && self.width == other.width && self.id == other.id
    }

    /// Lays out and wraps all of `article` (library index `index`) with
    /// its `body` to `width` columns. `meta` is the already formatted
    /// details lines.
    pub fn build(
        index: usize,
        article: &Article,
        body: Body,
        meta: Vec<String>,
        width: usize,
    ) -> Document {
        let mut document = Document::start(index, article, body, meta, width);
        document.wrap_until(body, usize::MAX);
        document
    }

    /// Lays out `article` with its `body` and wraps only until it has
    /// `lines` lines (or all of it): enough for the first screens of a
    /// long article.
    pub(crate) fn build_partial(
        index: usize,
        article: &Article,
        body: Body,
        meta: Vec<String>,
        width: usize,
        lines: usize,
    ) -> Document {
        let mut document = Document::start(index, article, body, meta, width);
        document.wrap_until(body, lines);
        document
    }

    fn start(
        index: usize,
        article: &Article,
        body: Body,
        meta: Vec<String>,
        width: usize,
    ) -> Document {
        Document {
            article: index,
            width,
            segments: segments_of(body, meta),
            lines: Vec::new(),
            next_segment: 0,
            title: article.title.clone(),
            id: article.id.clone(),
        }
    }

    /// Whether every segment is wrapped.
    pub fn is_complete(&self) -> bool {
        self.next_segment >= self.segments.len()
    }

    /// Wraps more segments until there are at least `lines` lines or the
    /// article is done. `body` is the body the document was built with.
    pub(crate) fn wrap_until(&mut self, body: Body, lines: usize) {
        let wrap_width = |style| self.width.saturating_sub(indent_of(style)).max(1);
        while self.lines.len() < lines && !self.is_complete() {
            let number = self.next_segment;
            let Some(segment) = self.segments.get(number) else {
                break;
            };
            let text = segment_text(&self.title, body, segment);
            if segment.style == SegmentStyle::Blank || text.is_empty() {
                self.lines.push(DocLine {
                    segment: number as u32,
                    start: 0,
                    end: 0,
                });
            } else {
                let width = wrap_width(segment.style);
                self.lines
                    .extend(wrap::wrap(text, width).into_iter().map(|range| DocLine {
                        segment: number as u32,
                        start: range.start as u32,
                        end: range.end as u32,
                    }));
            }
            self.next_segment += 1;
        }
    }

    /// The text of a line; `body` is the body the document was built with.
    pub(crate) fn line_text<'a>(&'a self, body: Body<'a>, line: &DocLine) -> &'a str {
        let Some(segment) = self.segments.get(line.segment as usize) else {
            return "";
        };
        segment_text(&self.title, body, segment)
            .get(line.range())
            .unwrap_or_default()
    }

    /// The style of a line.
    pub(crate) fn line_style(&self, line: &DocLine) -> SegmentStyle {
        self.segments
            .get(line.segment as usize)
            .map_or(SegmentStyle::Blank, |s| s.style)
    }

    /// Every occurrence of the folded `terms` in the wrapped lines, in
    /// reading order; `body` is the body the document was built with.
    pub(crate) fn matches(&self, body: Body, terms: &[String]) -> Vec<Found> {
        if terms.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for (number, line) in self.lines.iter().enumerate() {
            let text = self.line_text(body, line);
            found.extend(find_matches(text, terms).into_iter().map(|range| Found {
                line: number,
                at: TextPlace {
                    segment: line.segment,
                    offset: line.start as usize + range.start,
                },
                range,
            }));
        }
        found
    }

    /// The article's id.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }
}

/// A place in a document's text that stays the same whatever the width it
/// is wrapped to: a segment and a byte offset in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextPlace {
    /// Index of the segment.
    pub segment: u32,
    /// Byte offset in the segment's text.
    pub offset: usize,
}

/// One occurrence of a search term in a wrapped document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The line it is on.
    pub line: usize,
    /// Its bytes in the line's text.
    pub range: Range<usize>,
    /// Where it starts, whatever the width.
    pub at: TextPlace,
}

/// Columns a segment style is indented by (quotes get a bar, code a margin).
pub(crate) fn indent_of(style: SegmentStyle) -> usize {
    match style {
        SegmentStyle::Quote => 2,
        SegmentStyle::Code => 2,
        _ => 0,
    }
}

fn segments_of(body: Body, meta: Vec<String>) -> Vec<Segment> {
    let mut segments = vec![Segment {
        style: SegmentStyle::Title,
        source: Source::Title,
    }];
    segments.extend(meta.into_iter().map(|text| Segment {
        style: SegmentStyle::Meta,
        source: Source::Text(text),
    }));
    for (index, block) in body.blocks.iter().enumerate() {
        // A blank line sets each block off, but the items of a tight list
        // follow each other.
        if !block.joined {
            segments.push(blank());
        }
        let style = match block.kind {
            BlockKind::Paragraph => SegmentStyle::Paragraph,
            BlockKind::Subheading => SegmentStyle::Subheading,
            BlockKind::ListItem => SegmentStyle::ListItem,
            BlockKind::Quote => SegmentStyle::Quote,
            BlockKind::Code => SegmentStyle::Code,
        };
        segments.push(Segment {
            style,
            source: Source::Block(index),
        });
    }
    if !body.links.is_empty() {
        segments.push(blank());
        for (number, link) in body.links.iter().enumerate() {
            segments.push(Segment {
                style: SegmentStyle::Link,
                source: Source::Text(format!("[{}] {link}", number + 1)),
            });
        }
    }
    segments
}

fn blank() -> Segment {
    Segment {
        style: SegmentStyle::Blank,
        source: Source::Empty,
    }
}

fn segment_text<'a>(title: &'a str, body: Body<'a>, segment: &'a Segment) -> &'a str {
    match &segment.source {
        Source::Title => title,
        Source::Block(index) => body.blocks.get(*index).map_or("", |b| b.text.as_str()),
        Source::Text(text) => text,
        Source::Empty => "",
    }
}

/// Byte ranges of `text` where any of the (lower-case) `terms` occurs,
/// compared case-insensitively, sorted and not overlapping.
///
/// Lower-casing can change byte lengths (`İ` becomes two chars), so the
/// search runs on a folded copy with a map back to the original offsets:
/// a range never splits a character of `text`.
pub(crate) fn find_matches(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        for lower in c.to_lowercase() {
            let before = folded.len();
            folded.push(lower);
            origin.extend(std::iter::repeat_n(at, folded.len() - before));
        }
    }
    origin.push(text.len());
    let mut found: Vec<Range<usize>> = Vec::new();
    for term in terms.iter().filter(|t| !t.is_empty()) {
        let mut from = 0;
        while let Some(offset) = folded.get(from..).and_then(|rest| rest.find(term.as_str())) {
            let start = from + offset;
            let end = start + term.len();
            let original_end = next_char_start(text, origin.get(end - 1).copied().unwrap_or(0));
            found.push(origin[start]..original_end.max(origin[start]));
            from = end;
        }
    }
    found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in found {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// The start of the char after the one that starts at `at`.
fn next_char_start(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(text.len(), |c| at + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn matches_are_case_insensitive_and_merged() {
        let text = "Blooper reel: the BLOOPER Reel";
        assert_eq!(
            find_matches(text, &terms(&["blooper reel"])),
            [0..12, 18..30]
        );
        assert_eq!(
            find_matches(text, &terms(&["reel", "blooper reel"])),
            [0..12, 18..30]
        );
    }

    #[test]
    fn matches_map_back_across_length_changing_case() {
        let text = "İstanbul and istanbul";
        for range in find_matches(text, &terms(&["stanbul"])) {
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            assert!(text[range].to_lowercase().contains("stanbul"));
        }
    }

    /// The lines `markdown` is laid out in at `width` columns, after the
    /// title and details.
    fn body_lines(markdown: &str, width: usize) -> Vec<String> {
        let article = Article::from_bytes(
            "list.md".into(),
            "list.md".into(),
            markdown.as_bytes(),
            crate::article::Format::Markdown,
        )
        .expect("an article");
        let document = Document::build(0, &article, article.body(), Vec::new(), width);
        document
            .lines
            .iter()
            .skip(1)
            .map(|line| document.line_text(article.body(), line).to_string())
            .collect()
    }

    #[test]
    fn a_tight_list_has_an_item_a_line_and_a_loose_one_blank_lines_between() {
        assert_eq!(
            body_lines(
                "# T\n\nSome:\n\n- one\n- two\n  - inner\n- three\n\nDone.\n",
                40
            ),
            [
                "",
                "Some:",
                "",
                "• one",
                "• two",
                "  • inner",
                "• three",
                "",
                "Done."
            ]
        );
        assert_eq!(
            body_lines("# T\n\n- one\n\n- two\n", 40),
            ["", "• one", "", "• two"]
        );
    }

    #[test]
    fn no_terms_no_matches() {
        assert!(find_matches("anything", &[]).is_empty());
        assert!(find_matches("anything", &terms(&[""])).is_empty());
    }
}
