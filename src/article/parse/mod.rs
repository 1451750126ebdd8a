//! Parsing sanitized text into article fields, one file per source format,
//! and what every format shares.
//!
//! [`Format`] names the formats; `parse_article` turns decoded text in any
//! of them into an [`Article`]: the format's sanitizer, its parser, then
//! `Parsed::into_article`. A format's parser turns sanitized text into
//! [`Parsed`]: what the file says about itself (title, date, terms, credits,
//! body blocks, links). `Parsed::into_article` completes it the same way
//! for every format: the title (`title.rs`: the file's, else the body's
//! first sentence, else the file name), the credits made one line, and the
//! folded search text.
//!
//! - this file: the table of formats ([`Format`], each format's `SPEC`:
//!   extensions, sanitizer, summary head) and `parse_article`;
//!   [`Parsed`] and building the [`Article`]; rules the formats share:
//!   tags and categories ([`MAX_TERMS`], `MAX_TERM_CHARS`), a date at the
//!   start of a text, one-line fields; folding for search.
//! - `title.rs`: the title of an article, whatever its format, and cutting
//!   titles to a width at a word boundary.
//! - [`plain`]: the seed plain-text format ([`parse_plain`]).
//! - [`markdown`]: Markdown with TOML front matter ([`parse_markdown`]).
//!
//! The format modules are public for their documentation, which is the
//! specification of each format.
//!
//! # Adding a format
//!
//! 1. Write `parse/<format>.rs` with a module doc describing the format, its
//!    parser `fn(&str) -> Parsed`, and `pub(crate) const SPEC: Spec` giving
//!    its file extensions, whether tabs mean something to it (`Tabs`), how
//!    much of a file a summary parses (`Summary`) and the parser. The
//!    parser's input is already sanitized, but every string the format
//!    decodes itself (entities, string escapes) must be sanitized again; use
//!    `push_terms` for tags and categories and `non_empty_line` for one-line
//!    fields, so they follow the same rules as the other formats.
//! 2. Here, declare the module (`pub mod <format>;`) and give it its row in
//!    `formats!`: the [`Format`] variant, with its documentation, and the
//!    module. `Format::for_path` and `parse_article` then know it.

// Outside `formats!`, which could declare them too, because rustfmt does
// not format files whose `mod` line a macro writes.
pub mod markdown;
pub mod plain;
mod title;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::model::{Article, Block, Detail, Enclosure, fold_term};
use super::sanitize::{HIGH, non_empty_line, sanitize, sanitize_keeping_tabs, sanitize_line};

pub use markdown::parse_markdown;
pub use plain::{HEADER_TITLE_MAX_CHARS, SUBHEADING_MAX_CHARS, TITLE_LINE_MAX_CHARS, parse_plain};
pub use title::{DERIVED_TITLE_MAX_COLUMNS, TITLE_MAX_COLUMNS};

/// Declares the formats, one row each: the [`Format`] variant with its
/// documentation, and the module whose `SPEC` says how the format is read.
/// The variant, [`Format::ALL`] and the dispatch to the module all come
/// from the row, so a format cannot be half added.
macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident => $module:ident,)+) => {
        /// The source format of an article file, chosen by its extension
        /// (`Format::for_path`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Format {
            $($(#[$doc])* $variant,)+
        }

        impl Format {
            /// Every format, in the order of their rows: the order in which
            /// `Format::for_path` looks at their extensions.
            pub const ALL: &'static [Format] = &[$(Format::$variant),+];

            /// How the format is read.
            fn spec(self) -> &'static Spec {
                match self {
                    $(Format::$variant => &$module::SPEC,)+
                }
            }
        }
    };
}

formats! {
    /// The scraped plain-text format of the samples (`.txt`, or no extension).
    Plain => plain,
    /// Markdown with optional TOML front matter between `+++` lines (`.md`,
    /// `.markdown`).
    Markdown => markdown,
}

/// The format of files without an extension: the scraped samples have none.
const WITHOUT_EXTENSION: Format = Format::Plain;

impl Format {
    /// The format of a file by its name, or `None` for files that are not
    /// articles (and are skipped without a warning).
    pub(crate) fn for_path(path: &Path) -> Option<Format> {
        let Some(extension) = path.extension() else {
            return Some(WITHOUT_EXTENSION);
        };
        Format::ALL.iter().copied().find(|format| {
            format
                .spec()
                .extensions
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
        })
    }
}

/// How a format is read: each format module's `SPEC`, which says which files
/// are in the format and how their text becomes a [`Parsed`].
pub(crate) struct Spec {
    /// File extensions without the dot, lower-case; a file's extension
    /// matches them in any ASCII case.
    pub(crate) extensions: &'static [&'static str],
    /// What the sanitizer does with tabs before the parser sees the text.
    pub(crate) tabs: Tabs,
    /// How much of a file a summary ([`Detail::Summary`]) parses.
    pub(crate) summary: Summary,
    /// The parser, from sanitized text.
    pub(crate) parse: fn(&str) -> Parsed,
}

/// What sanitizing does with tabs before a format's parser sees the text.
/// Every format's text is sanitized; a format only chooses this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tabs {
    /// Tabs are layout only: expanded to spaces ([`sanitize`]).
    Expand,
    /// Tabs mean something to the parser (list nesting, code indentation)
    /// that expanding them would change: kept ([`sanitize_keeping_tabs`]).
    /// The parser must then sanitize everything it produces, tabs included.
    Keep,
}

impl Tabs {
    /// `text` made terminal-safe, with tabs handled as `self` says.
    fn sanitize(self, text: &str) -> String {
        match self {
            Tabs::Expand => sanitize(text),
            Tabs::Keep => sanitize_keeping_tabs(text),
        }
    }
}

/// How much of a file a summary ([`Detail::Summary`]) parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Summary {
    /// The whole text, as a full load does, and the summary keeps all of it
    /// (body, links, search text): for formats whose title can come from
    /// anywhere in the file, such as Markdown's first `#` heading.
    Whole,
    /// Only the head of the text (see [`head_of`]): at least `lines`
    /// non-blank lines and `bytes` bytes, then on to the end of that
    /// paragraph. Of the body only the first block is kept, for a derived
    /// title; the summary then has no body, links or search text. For
    /// formats whose title comes from the first lines or the first block.
    Head {
        /// At least this many bytes of the text.
        bytes: usize,
        /// At least this many non-blank lines.
        lines: usize,
    },
}

/// A summary head longer than this (a paragraph without end) gives way to
/// parsing the whole text.
const SUMMARY_HEAD_CAP: usize = 64 * 1024;

/// Builds the article `id` at `path` from decoded `text` in `format`,
/// parsing as much as `detail` asks: the format's sanitizer, its parser,
/// then [`Parsed::into_article`]. Every format goes through here, so each
/// is sanitized and summarised as its `SPEC` says.
pub(crate) fn parse_article(
    id: String,
    path: PathBuf,
    text: &str,
    format: Format,
    detail: Detail,
) -> Article {
    let spec = format.spec();
    if let (Detail::Summary, Summary::Head { bytes, lines }) = (detail, spec.summary) {
        let head = spec.tabs.sanitize(head_of(text, bytes, lines));
        let mut parsed = (spec.parse)(&head);
        // Only the first block can give a title; counting and folding
        // the rest would be thrown away.
        parsed.blocks.truncate(1);
        let mut article = parsed.into_article(id, path);
        article.blocks = Vec::new();
        article.links = Vec::new();
        article.folded = String::new();
        return article;
    }
    (spec.parse)(&spec.tabs.sanitize(text)).into_article(id, path)
}

/// The start of `text` a summary needs: at least `lines` non-blank lines
/// and at least `bytes` bytes, then on to the end of that paragraph, so the
/// first paragraph (which a derived title comes from) is whole however much
/// of it escape sequences take up. The whole text when that would go past
/// [`SUMMARY_HEAD_CAP`].
fn head_of(text: &str, bytes: usize, lines: usize) -> &str {
    let mut end = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if end >= bytes && seen >= lines && blank {
            break;
        }
        if end > SUMMARY_HEAD_CAP {
            return text;
        }
        seen += usize::from(!blank);
        end += line.len();
    }
    // `end` is a sum of whole lines, so it is a character boundary.
    text.get(..end).unwrap_or(text)
}

/// At most this many tags (and as many categories) are kept per article.
pub const MAX_TERMS: usize = 1_000;
/// Tags and categories longer than this (in characters) are skipped.
pub(crate) const MAX_TERM_CHARS: usize = 100;

/// What a file says about itself, before the title is derived and the search
/// text is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The title, when the file has one.
    pub title: Option<String>,
    /// The date, when the file gives a valid one.
    pub date: Option<NaiveDate>,
    /// The time of day and offset, when the file gives a datetime.
    pub clock: Option<crate::article::when::Clock>,
    /// When a feed first wrote the file (front matter `arrived`), in
    /// nanoseconds since the Unix epoch.
    pub arrived: Option<i64>,
    /// Categories in file order, duplicates (case-insensitive) removed.
    pub categories: Vec<String>,
    /// Tags in file order, duplicates (case-insensitive) removed.
    pub tags: Vec<String>,
    /// Author (front matter).
    pub author: Option<String>,
    /// Source (front matter).
    pub source: Option<String>,
    /// Url (front matter).
    pub url: Option<String>,
    /// Body blocks.
    pub blocks: Vec<Block>,
    /// Markdown link targets, numbered from 1.
    pub links: Vec<String>,
    /// Attached files (front matter `enclosures`).
    pub enclosures: Vec<Enclosure>,
    /// What could not be read, though the file loads.
    pub problems: Vec<String>,
}

impl Parsed {
    /// Completes the article: derives a missing title from the first sentence
    /// of the body (at most 100 columns, cut at a word boundary, `…`), counts
    /// words and builds the folded search text.
    ///
    /// The title is made one line ([`sanitize_line`]) and cut to
    /// [`TITLE_MAX_COLUMNS`]. Without a title or a body, the title is the last
    /// segment of `id` without its extension, or `(untitled)`. Block texts are
    /// taken as they are: [`parse_plain`] and [`parse_markdown`] sanitize them.
    pub(crate) fn into_article(self, id: String, path: PathBuf) -> Article {
        let title = title::article_title(self.title.as_deref(), &self.blocks, &id);
        let folded = fold(&title, &self.blocks);
        Article {
            id,
            path,
            title,
            date: self.date,
            // A clock means nothing without its date.
            clock: self.date.and(self.clock),
            arrived: self.arrived,
            categories: self.categories,
            tags: self.tags,
            author: self.author.as_deref().and_then(non_empty_line),
            source: self.source.as_deref().and_then(non_empty_line),
            url: self.url.as_deref().and_then(non_empty_line),
            blocks: self.blocks,
            links: self.links,
            enclosures: self.enclosures,
            problems: self.problems,
            folded,
            term_bits: 0,
        }
    }
}

/// The lines of a text, as `str::lines` gives them (split at `\n`, a
/// `\r` before it dropped, no empty line after a last `\n`), found with
/// `memchr`, which looks at 16 or 32 bytes a step: a first index splits
/// every line of every article.
#[derive(Clone)]
pub(crate) struct Lines<'a> {
    rest: &'a str,
}

impl<'a> Lines<'a> {
    /// The lines of `text`.
    pub(crate) fn of(text: &'a str) -> Lines<'a> {
        Lines { rest: text }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let Some(end) = memchr::memchr(b'\n', self.rest.as_bytes()) else {
            return Some(std::mem::take(&mut self.rest));
        };
        // `\n` is one byte, so both cuts are on character boundaries.
        let line = self.rest.get(..end).unwrap_or_default();
        self.rest = self.rest.get(end + 1..).unwrap_or_default();
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Whether `text` has only whitespace.
fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Whether `text` has more than `max` characters (stops counting early).
fn longer_than(text: &str, max: usize) -> bool {
    text.chars().nth(max).is_some()
}

/// Splits a leading `YYYY-MM-DD` off `text`: the date (`None` when it is
/// impossible, such as `2024-13-45`) and what follows it. `None` when `text`
/// does not start with ten characters of that shape; each format decides
/// what may follow a date.
fn iso_date_prefix(text: &str) -> Option<(Option<NaiveDate>, &str)> {
    let date = text.get(..10)?;
    let rest = text.get(10..)?;
    let looks_like_date = date.char_indices().all(|(i, c)| match i {
        4 | 7 => c == '-',
        _ => c.is_ascii_digit(),
    });
    looks_like_date.then(|| (NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(), rest))
}

/// Adds comma-or-array terms to `list`: trimmed and one-line, empty and
/// overlong ones skipped, case-insensitive duplicates dropped (the first
/// spelling wins), at most [`MAX_TERMS`] in all.
fn push_terms<'a>(list: &mut Vec<String>, terms: impl IntoIterator<Item = &'a str>) {
    // Repeats are told apart by the rule tag filters compare by.
    let mut seen: HashSet<String> = list.iter().map(|term| fold_term(term)).collect();
    for term in terms {
        if list.len() >= MAX_TERMS {
            return;
        }
        // Cheap pre-check so a huge term is not copied just to be skipped.
        if term.len() > MAX_TERM_CHARS * 4 && longer_than(term.trim(), MAX_TERM_CHARS * 4) {
            continue;
        }
        let term = sanitize_line(term);
        if term.is_empty() || longer_than(&term, MAX_TERM_CHARS) {
            continue;
        }
        if seen.insert(fold_term(&term)) {
            list.push(term);
        }
    }
}

/// Title and body lower-cased, one block per line.
fn fold(title: &str, blocks: &[Block]) -> String {
    let len = title.len() + blocks.iter().map(|b| b.text.len() + 1).sum::<usize>();
    let mut text = String::with_capacity(len);
    push_folded(&mut text, title);
    for block in blocks {
        text.push('\n');
        push_folded(&mut text, &block.text);
    }
    text
}

/// Appends `text` lower-cased exactly as `str::to_lowercase` would, faster
/// on article text: ASCII runs are copied and lowered in place, and
/// punctuation, symbols and CJK, which have no case, skip the case tables.
fn push_folded(out: &mut String, text: &str) {
    // A capital sigma lowers by context (final `ς`), which only
    // `str::to_lowercase` knows: such rare text takes the slow path.
    if has_capital_sigma(text) {
        out.push_str(&text.to_lowercase());
        return;
    }
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = ascii_prefix_len(rest.as_bytes());
        if ascii > 0 {
            let start = out.len();
            out.push_str(&rest[..ascii]);
            if let Some(added) = out.get_mut(start..) {
                added.make_ascii_lowercase();
            }
            rest = &rest[ascii..];
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        if has_no_case(c) {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        rest = chars.as_str();
    }
}

/// Whether `text` has a `Σ` (0xCE 0xA3), looked for by its rarer first
/// byte with `memchr`.
fn has_capital_sigma(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xCE, bytes).any(|at| bytes.get(at + 1) == Some(&0xA3))
}

/// How many bytes `bytes` starts with that are ASCII, eight at a time.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        let high = u64::from_le_bytes(*chunk) & HIGH;
        if high != 0 {
            // Little-endian: the first non-ASCII byte is the lowest set bit.
            return at + (high.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len().saturating_sub(at))
}

/// Blocks of code points without case mappings: general punctuation,
/// super- and subscripts, currency symbols, CJK punctuation and ideographs,
/// emoji.
fn has_no_case(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{20FF}' | '\u{3000}'..='\u{9FFF}' | '\u{1F000}'..='\u{1FAFF}')
}

/// Helpers for the tests of every format: articles built the way a load
/// builds them, and short views of their fields.
#[cfg(test)]
mod testing {
    use std::path::{Path, PathBuf};

    use chrono::NaiveDate;
    use unicode_width::UnicodeWidthStr;

    use crate::article::{Article, BlockKind, Format};

    /// A plain article named `dir/note.txt`.
    pub(super) fn plain(text: &str) -> Article {
        article("dir/note.txt", text, Format::Plain)
    }

    /// A Markdown article named `dir/note.md`.
    pub(super) fn markdown(text: &str) -> Article {
        article("dir/note.md", text, Format::Markdown)
    }

    fn article(id: &str, text: &str, format: Format) -> Article {
        Article::from_bytes(id.into(), PathBuf::from(id), text.as_bytes(), format)
            .expect("text is not binary")
    }

    /// One of the bundled sample articles.
    pub(super) fn sample(name: &str) -> Article {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("articles")
            .join(name);
        let bytes = std::fs::read(&path).expect("sample article is readable");
        Article::from_bytes(name.into(), path, &bytes, Format::Plain).expect("sample is text")
    }

    /// A `YYYY-MM-DD` date.
    pub(super) fn date(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    /// The kinds of the article's blocks.
    pub(super) fn kinds(article: &Article) -> Vec<BlockKind> {
        article.blocks.iter().map(|b| b.kind).collect()
    }

    /// The texts of the article's blocks.
    pub(super) fn texts(article: &Article) -> Vec<&str> {
        article.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    /// The display width of `text`.
    pub(super) fn columns(text: &str) -> usize {
        UnicodeWidthStr::width(text)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{plain, sample};
    use super::*;

    proptest::proptest! {
        #[test]
        fn folding_matches_the_standard_library(
            text in "[a-zA-Z .ΣσİIÉé日本語“”–—€🎉ǅẞ]{0,40}"
        ) {
            let mut ours = String::new();
            push_folded(&mut ours, &text);
            proptest::prop_assert_eq!(ours, text.to_lowercase());
        }

        #[test]
        fn lines_split_as_the_standard_library_does(text in "[a\r\n é]{0,20}") {
            let ours: Vec<&str> = Lines::of(&text).collect();
            let std: Vec<&str> = text.lines().collect();
            proptest::prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn repeated_terms_are_told_apart_by_the_tag_filters_rule() {
        // `str::to_lowercase` makes the final Σ of "ΑΣ" a ς, so it once kept
        // "ας" apart from "ΑΣ" here while filters took them as one tag.
        let mut list = Vec::new();
        push_terms(&mut list, ["ΑΣ", "ασ", "Tag", "TAG", "ας"]);
        assert_eq!(list, ["ΑΣ", "Tag", "ας"]);
        assert_eq!(fold_term("ΑΣ"), fold_term("ασ"));
        assert_ne!(fold_term("ΑΣ"), fold_term("ας"));
    }

    #[test]
    fn samples_have_search_text_and_word_counts() {
        let a = sample("000_b4046600ca63d592.txt");
        assert!(
            a.folded
                .starts_with("heartstopper season 3: netflix shares")
        );
        assert!(a.folded.contains("\nnetflix released the first wave"));
        assert!(a.words() > 300);
    }

    #[test]
    fn every_format_is_found_by_its_extensions() {
        for &format in Format::ALL {
            let extensions = format.spec().extensions;
            assert!(!extensions.is_empty(), "{format:?} has no extension");
            for extension in extensions {
                assert_eq!(*extension, extension.to_lowercase(), "{format:?}");
                for name in [
                    format!("note.{extension}"),
                    format!("dir.d/note.{}", extension.to_uppercase()),
                ] {
                    assert_eq!(Format::for_path(Path::new(&name)), Some(format), "{name}");
                }
            }
        }
    }

    #[test]
    fn files_without_an_extension_are_plain_and_unknown_ones_are_not_articles() {
        for name in ["note", "dir.d/note", ".hidden"] {
            assert_eq!(
                Format::for_path(Path::new(name)),
                Some(Format::Plain),
                "{name}"
            );
        }
        for name in ["note.", "note.jpg", "note.txt.bak", "note.md~"] {
            assert_eq!(Format::for_path(Path::new(name)), None, "{name}");
        }
    }

    #[test]
    fn duplicate_tags_in_other_case_keep_the_first_spelling() {
        let a = plain(" date 2024-03-04 Tagged: Rust, rust, , RUST ,Go,  go ,Alice  Oseman\n\nT\n");
        assert_eq!(a.tags, ["Rust", "Go", "Alice Oseman"]);
    }

    #[test]
    fn tags_are_capped_in_number_and_length() {
        let many: Vec<String> = (0..3000).map(|n| format!("t{n}")).collect();
        let long = "x".repeat(MAX_TERM_CHARS + 1);
        let text = format!(" date 2024-03-04 Tagged: {long}, {}\n\nT\n", many.join(","));
        let a = plain(&text);
        assert_eq!(a.tags.len(), MAX_TERMS);
        assert_eq!(a.tags[0], "t0");
        assert!(a.tags.iter().all(|t| t.chars().count() <= MAX_TERM_CHARS));
    }
}
