//! The seed plain-text format (`.txt`, or no extension): a scraped header
//! line, a title line, then paragraphs and subheadings.
//!
//! Separate from the other formats because its structure is only implied by
//! line shapes (a header that looks like one, a title line that reads as a
//! title, a subheading that reads as one), rules no other format needs.
//!
//! ```text
//!  date 2024-12-24 Posted in: Netflix, TV | Tagged: bloopers, Heartstopper
//!
//! The Title Line
//!
//! First paragraph, possibly over
//! several lines.
//!
//! A Short Subheading
//!
//! Next paragraph.
//! ```
//!
//! - The first non-blank line may be a header: `date YYYY-MM-DD` (leading
//!   space and a `:` after `date` optional). An impossible date is ignored
//!   but the header is still consumed. The rest of the header line is either
//!   `Posted in: …` and/or `Tagged: …` parts separated by `|` (in any order;
//!   other parts are ignored), or body text that starts the first paragraph.
//! - After a header with categories or tags, the next non-blank line is the
//!   title (unless it is longer than [`HEADER_TITLE_MAX_CHARS`]). Otherwise
//!   (no header, or a header with only a date) the first non-blank line is the
//!   title only when it looks like one: a line on its own (a blank line or the
//!   end follows), at most [`TITLE_LINE_MAX_CHARS`] characters, with a letter
//!   or digit and no final sentence punctuation (`. ! ? : ;`).
//! - Paragraphs are separated by blank lines; their lines are joined with
//!   spaces. A paragraph of one line of at most [`SUBHEADING_MAX_CHARS`]
//!   characters, with a letter or digit and without final punctuation
//!   (`. ! ? : ; , " ” ' ’ ) …`) is a subheading, wherever it is: trailing
//!   clutter such as "Read Next" is a subheading too.

use std::iter::Peekable;

use chrono::NaiveDate;

use super::{
    Lines, Parsed, Spec, Summary, Tabs, is_blank, iso_date_prefix, longer_than, push_terms,
};
use crate::article::sanitize::{collapse_spaces, sanitize_line};
use crate::article::{Block, BlockKind};

/// How plain files are read: `.txt` (files without an extension are plain
/// too, see `Format::for_path`), tabs are layout only, and a summary parses
/// the head, where the header and the title are.
pub(crate) const SPEC: Spec = Spec {
    extensions: &["txt"],
    tabs: Tabs::Expand,
    summary: Summary::Head {
        bytes: SUMMARY_HEAD_BYTES,
        lines: SUMMARY_HEAD_LINES,
    },
    parse: parse_plain,
};

/// How many bytes of a plain article a summary parses at least (then on to
/// the end of that paragraph): well over the 100 columns of a title derived
/// from the first sentence.
const SUMMARY_HEAD_BYTES: usize = 1024;

/// How many non-blank lines a summary parses at least, however long they
/// are: the header, the title and the first line of the body, which says
/// whether the line before it stands alone as a title.
const SUMMARY_HEAD_LINES: usize = 3;

/// The longest first line (in characters) that is taken as a title when
/// nothing says it is one.
pub const TITLE_LINE_MAX_CHARS: usize = 150;
/// The longest line (in characters) taken as the title after a header with
/// categories or tags; a longer line is body text.
pub const HEADER_TITLE_MAX_CHARS: usize = 300;
/// The longest one-line paragraph (in characters) that can be a subheading.
pub const SUBHEADING_MAX_CHARS: usize = 100;

/// What ends a sentence: a line ending with one of these is not a title.
const SENTENCE_ENDS: &[char] = &['.', '!', '?', ':', ';'];
/// What ends a sentence or a clause, closes a quotation or trails off: a
/// one-line paragraph ending with one of these is not a subheading.
const CLAUSE_ENDS: &[char] = &['.', '!', '?', ':', ';', ',', '"', '”', '\'', '’', ')', '…'];

/// Parses the seed plain-text format (see the module documentation).
pub fn parse_plain(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut lines = Lines::of(text).skip_while(|line| is_blank(line)).peekable();
    let mut paragraph = ParagraphBuilder::default();
    let rule = read_header(&mut lines, &mut parsed, &mut paragraph);
    if rule != TitleRule::NoTitle {
        parsed.title = read_title(&mut lines, rule);
    }
    for line in lines {
        if is_blank(line) {
            parsed.blocks.extend(paragraph.finish());
        } else {
            paragraph.push_line(line);
        }
    }
    parsed.blocks.extend(paragraph.finish());
    parsed
}

/// What the rest of a plain header line holds after the date.
enum HeaderRest<'a> {
    /// Nothing: the header is only a date.
    Nothing,
    /// `Posted in:` and/or `Tagged:` parts.
    Terms {
        categories: Vec<&'a str>,
        tags: Vec<&'a str>,
    },
    /// The start of the first paragraph.
    Body(&'a str),
}

/// A plain-format header line.
struct Header<'a> {
    date: Option<NaiveDate>,
    rest: HeaderRest<'a>,
}

/// Reads `date YYYY-MM-DD …`, or `None` when the line is not a header.
fn parse_header(line: &str) -> Option<Header<'_>> {
    let after_word = strip_prefix_ignore_case(line.trim_start(), "date")?;
    let after_word = after_word.trim_start();
    let after_word = after_word
        .strip_prefix(':')
        .unwrap_or(after_word)
        .trim_start();
    let (date, after_date) = iso_date_prefix(after_word)?;
    if !(after_date.is_empty() || after_date.starts_with(char::is_whitespace)) {
        return None;
    }
    Some(Header {
        date,
        rest: parse_header_rest(after_date.trim()),
    })
}

/// Which list a labelled part of the header fills.
enum TermList {
    /// `Posted in:`
    Categories,
    /// `Tagged:`
    Tags,
}

/// The list a header part names by its label, and the terms after the label.
fn labelled_terms(part: &str) -> Option<(TermList, &str)> {
    if let Some(terms) = strip_prefix_ignore_case(part, "posted in:") {
        return Some((TermList::Categories, terms));
    }
    strip_prefix_ignore_case(part, "tagged:").map(|terms| (TermList::Tags, terms))
}

/// Splits what follows the date into terms or body text.
fn parse_header_rest(rest: &str) -> HeaderRest<'_> {
    let rest = rest.trim_start_matches(|c: char| c == '|' || c.is_whitespace());
    if rest.is_empty() {
        return HeaderRest::Nothing;
    }
    if labelled_terms(rest).is_none() {
        return HeaderRest::Body(rest);
    }
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    for part in rest.split('|').map(str::trim) {
        match labelled_terms(part) {
            Some((TermList::Categories, terms)) => categories.extend(terms.split(',')),
            Some((TermList::Tags, terms)) => tags.extend(terms.split(',')),
            None => {}
        }
    }
    HeaderRest::Terms { categories, tags }
}

/// `text` without `prefix`, compared ignoring ASCII case.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// How the plain parser decides whether the next line is the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TitleRule {
    /// A header with categories or tags came first: the next line is the title.
    NextLine,
    /// The next line is the title if it looks like one.
    IfLooksLikeTitle,
    /// The body has started: there is no title line.
    NoTitle,
}

/// Consumes a header line if there is one, and says how to find the title.
/// Body text on the header line starts `paragraph`.
fn read_header<'a, I: Iterator<Item = &'a str>>(
    lines: &mut Peekable<I>,
    parsed: &mut Parsed,
    paragraph: &mut ParagraphBuilder<'a>,
) -> TitleRule {
    let Some(header) = lines.peek().and_then(|line| parse_header(line)) else {
        return TitleRule::IfLooksLikeTitle;
    };
    lines.next();
    parsed.date = header.date;
    match header.rest {
        HeaderRest::Nothing => TitleRule::IfLooksLikeTitle,
        HeaderRest::Terms { categories, tags } => {
            push_terms(&mut parsed.categories, categories);
            push_terms(&mut parsed.tags, tags);
            TitleRule::NextLine
        }
        HeaderRest::Body(body) => {
            paragraph.push_line(body);
            TitleRule::NoTitle
        }
    }
}

/// Consumes the title line when `rule` says the next non-blank line is one.
fn read_title<'a, I: Iterator<Item = &'a str> + Clone>(
    lines: &mut Peekable<I>,
    rule: TitleRule,
) -> Option<String> {
    // Blank lines before the title are not paragraphs.
    while lines.next_if(|line| is_blank(line)).is_some() {}
    let line = *lines.peek()?;
    let is_title = match rule {
        TitleRule::NextLine => !longer_than(line.trim(), HEADER_TITLE_MAX_CHARS),
        TitleRule::IfLooksLikeTitle => {
            let mut after = lines.clone();
            after.next();
            let alone = after.next().is_none_or(is_blank);
            alone && reads_as_heading(line.trim(), TITLE_LINE_MAX_CHARS, SENTENCE_ENDS)
        }
        TitleRule::NoTitle => false,
    };
    is_title.then(|| {
        lines.next();
        sanitize_line(line)
    })
}

/// Whether a line reads as a heading rather than running text: at most
/// `max_chars` characters, with a letter or digit, and not ending (trailing
/// spaces ignored) with one of `ends`. The same rule, with its own limits,
/// picks a title line and subheadings.
fn reads_as_heading(line: &str, max_chars: usize, ends: &[char]) -> bool {
    !longer_than(line, max_chars)
        && line.chars().any(char::is_alphanumeric)
        && !line.trim_end().ends_with(ends)
}

/// Collects the lines of one plain paragraph.
///
/// Most paragraphs are one line: that line is collapsed straight from the
/// text, not copied first. Lines are joined only when a second one comes,
/// into a buffer kept from paragraph to paragraph.
#[derive(Default)]
struct ParagraphBuilder<'a> {
    /// The first line.
    first: &'a str,
    /// The lines so far, each ending in a newline, once there are two.
    joined: String,
    lines: usize,
}

impl<'a> ParagraphBuilder<'a> {
    fn push_line(&mut self, line: &'a str) {
        match self.lines {
            0 => self.first = line,
            1 => {
                self.joined.clear();
                for line in [self.first, line] {
                    self.joined.push_str(line);
                    self.joined.push('\n');
                }
            }
            _ => {
                self.joined.push_str(line);
                self.joined.push('\n');
            }
        }
        self.lines += 1;
    }

    /// The paragraph as a block (none when empty); the builder is reset.
    /// The text was sanitized with the whole file, so joining its lines
    /// only needs the spaces collapsed.
    fn finish(&mut self) -> Option<Block> {
        let lines = std::mem::take(&mut self.lines);
        let text = match lines {
            0 => return None,
            // A line break after the last line would be dropped as
            // trailing whitespace: the line alone collapses the same.
            1 => collapse_spaces(self.first),
            _ => collapse_spaces(&self.joined),
        };
        if text.is_empty() {
            return None;
        }
        let kind = if lines == 1 && reads_as_heading(&text, SUBHEADING_MAX_CHARS, CLAUSE_ENDS) {
            BlockKind::Subheading
        } else {
            BlockKind::Paragraph
        };
        Some(Block::new(kind, text))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{columns, date, kinds, plain, sample, texts};
    use super::*;

    // The five reference samples.

    #[test]
    fn sample_000_has_header_title_and_terms() {
        let a = sample("000_b4046600ca63d592.txt");
        assert_eq!(
            a.title,
            "Heartstopper Season 3: Netflix Shares First Wave of Blooper Greatness"
        );
        assert_eq!(a.date, date("2024-12-24"));
        assert_eq!(a.categories, ["Netflix", "TV"]);
        assert_eq!(a.tags, ["bloopers", "Heartstopper"]);
        assert!(
            a.blocks[0]
                .text
                .starts_with("Netflix released the first wave")
        );
        assert!(a.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
    }

    #[test]
    fn sample_001_has_a_subheading() {
        let a = sample("001_900db8947a90b09e.txt");
        assert_eq!(
            a.title,
            r#"Heartstopper Season 4: Alice Oseman Feeling "Optimistic," "Hopeful""#
        );
        assert_eq!(a.date, date("2025-02-17"));
        assert_eq!(a.categories, ["Netflix", "TV"]);
        assert_eq!(a.tags, ["Alice Oseman", "Heartstopper"]);
        assert!(a.blocks.contains(&Block::new(
            BlockKind::Subheading,
            "Heartstopper Season 4: Some Previous Updates"
        )));
        assert_eq!(
            kinds(&a)
                .iter()
                .filter(|&&k| k == BlockKind::Subheading)
                .count(),
            1
        );
    }

    #[test]
    fn sample_002_derives_its_title_from_the_header_line() {
        let a = sample("002_3c2e4f83b2e5c3ed.txt");
        assert_eq!(a.date, date("2024-09-03"));
        assert!(a.tags.is_empty() && a.categories.is_empty());
        assert!(a.title.starts_with(
            "The third season for one of the most beloved Netflix original shows just got"
        ));
        assert!(a.title.ends_with('…'));
        assert!(columns(&a.title) <= 100);
        assert!(a.blocks[0].text.starts_with("The third season"));
        assert!(a.blocks.contains(&Block::new(
            BlockKind::Subheading,
            "Joe Locke Will Enter the Marvel Cinematic Universe in Just a Few Weeks"
        )));
    }

    #[test]
    fn sample_003_takes_its_first_line_as_title() {
        let a = sample("003_97ddbb98e762d2b5.txt");
        assert_eq!(a.date, None);
        assert_eq!(
            a.title,
            "Heartstopper Season 1 Bloopers Are Just As Sweet and Warm As You Expect"
        );
        assert_ne!(a.blocks[0].text, a.title);
        assert!(
            a.blocks[0]
                .text
                .starts_with("If you thought Netflix’s latest hit")
        );
        // Trailing clutter lines are subheadings, like any short unpunctuated line.
        assert_eq!(
            &texts(&a)[a.blocks.len() - 3..],
            ["Read Next", "About The Author", "Leave a Comment"]
        );
        assert_eq!(a.blocks[a.blocks.len() - 1].kind, BlockKind::Subheading);
    }

    #[test]
    fn sample_004_derives_its_title_from_a_long_sentence() {
        let a = sample("004_c084a17f8d89dc0e.txt");
        assert_eq!(a.date, date("2023-09-16"));
        assert!(a.title.starts_with("However, it appears that"));
        assert!(a.title.ends_with('…'));
        assert!(columns(&a.title) <= 100);
        assert!(a.blocks[0].text.starts_with("However, it appears that"));
    }

    // Edge cases.

    #[test]
    fn header_only_gives_a_date_and_no_body() {
        let a = plain(" date 2024-01-02\n");
        assert_eq!(a.date, date("2024-01-02"));
        assert!(a.blocks.is_empty());
        assert_eq!(a.title, "note");
    }

    #[test]
    fn impossible_date_is_dropped_but_the_header_consumed() {
        let a = plain(" date 2024-13-45 Posted in: News | Tagged: x\n\nThe Title\n\nBody.\n");
        assert_eq!(a.date, None);
        assert_eq!(a.title, "The Title");
        assert_eq!(a.categories, ["News"]);
        assert_eq!(a.tags, ["x"]);
        assert_eq!(texts(&a), ["Body."]);
    }

    #[test]
    fn header_without_leading_space_or_with_colon_is_read() {
        for header in ["date 2024-03-04", "date: 2024-03-04", "   DATE 2024-03-04"] {
            let a = plain(&format!("{header} Tagged: a\n\nTitle\n\nBody.\n"));
            assert_eq!(a.date, date("2024-03-04"), "{header}");
            assert_eq!(a.title, "Title", "{header}");
        }
    }

    #[test]
    fn lines_that_only_start_like_a_header_are_text() {
        let a = plain("dated 2024-03-04 was a Monday.\n");
        assert_eq!(a.date, None);
        assert_eq!(texts(&a), ["dated 2024-03-04 was a Monday."]);
        let a = plain("date 2024-03-045 and more.\n");
        assert_eq!(a.date, None);
    }

    #[test]
    fn tags_and_categories_may_come_in_either_order() {
        let a = plain(" date 2024-03-04 Tagged: b, c | Posted in: A\n\nTitle\n");
        assert_eq!(a.tags, ["b", "c"]);
        assert_eq!(a.categories, ["A"]);
        let a = plain(" date 2024-03-04 Tagged: only tags\n\nTitle\n");
        assert_eq!(a.tags, ["only tags"]);
        assert!(a.categories.is_empty());
    }

    #[test]
    fn crlf_files_parse_like_lf_files() {
        let a =
            plain(" date 2024-12-24 Tagged: x\r\n\r\nTitle\r\n\r\nOne\r\ntwo.\r\n\r\nSub Head\r\n");
        assert_eq!(a.title, "Title");
        assert_eq!(texts(&a), ["One two.", "Sub Head"]);
        assert_eq!(kinds(&a), [BlockKind::Paragraph, BlockKind::Subheading]);
    }

    #[test]
    fn date_only_header_takes_a_title_looking_line_as_title() {
        let a = plain(" date 2024-01-02\n\nA Plain Title\n\nBody text here.\n");
        assert_eq!(a.title, "A Plain Title");
        assert_eq!(texts(&a), ["Body text here."]);
        let a = plain(" date 2024-01-02\n\nThis is a sentence.\n\nMore.\n");
        assert_eq!(a.title, "This is a sentence");
        assert_eq!(texts(&a), ["This is a sentence.", "More."]);
    }

    #[test]
    fn first_line_of_a_wrapped_paragraph_is_not_a_title() {
        let a = plain(
            "The quick brown fox jumps over the lazy dog and keeps\nrunning until the river. Then it stops.\n",
        );
        assert_eq!(
            a.title,
            "The quick brown fox jumps over the lazy dog and keeps running until the river"
        );
        assert_eq!(a.blocks.len(), 1);
    }

    #[test]
    fn subheadings_are_short_single_lines_without_final_punctuation() {
        let a = plain(
            "Title\n\nIntro paragraph.\n\nA Subheading\n\nEnds with a stop.\n\nShort\nbut two lines\n\n\"Quoted\"\n\nTrailing",
        );
        assert_eq!(
            kinds(&a),
            [
                BlockKind::Paragraph,
                BlockKind::Subheading,
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::Paragraph,
                BlockKind::Subheading,
            ]
        );
    }

    #[test]
    fn control_characters_in_files_never_reach_the_article() {
        let a = plain(
            " date 2024-01-01 Tagged: a\u{1b}[31m, b\u{202e}\n\nTi\u{1b}]0;x\u{7}tle\n\nBo\u{8}dy\u{9b}2J.\n",
        );
        assert_eq!(a.title, "Title");
        assert_eq!(a.tags, ["a", "b"]);
        assert_eq!(texts(&a), ["Body."]);
    }
}
