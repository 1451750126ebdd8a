//! Parsing sanitized text into article fields: the seed plain-text format and
//! Markdown with TOML front matter.
//!
//! # Plain format (`.txt`)
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
//!
//! # Markdown (`.md`)
//!
//! Optional TOML front matter between a first line `+++` and the next `+++`
//! line (`title`, `date`, `tags`, `categories`, `author`, `source`, `url`;
//! unknown keys are ignored and front matter that is not TOML is skipped).
//! Without a front-matter title, the first top-level `#` heading is the title.
//! Links and images become their text followed by `[n]`, `n` numbering the
//! target in [`Parsed::links`].

use std::collections::{HashMap, HashSet};
use std::iter::Peekable;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::sanitize::{collapse_spaces, sanitize, sanitize_line};
use super::{Article, Block, BlockKind};

/// The longest first line (in characters) that is taken as a title when
/// nothing says it is one.
pub const TITLE_LINE_MAX_CHARS: usize = 150;
/// The longest line (in characters) taken as the title after a header with
/// categories or tags; a longer line is body text.
pub const HEADER_TITLE_MAX_CHARS: usize = 300;
/// The longest one-line paragraph (in characters) that can be a subheading.
pub const SUBHEADING_MAX_CHARS: usize = 100;
/// The widest a title derived from the body may be, `…` included.
pub const DERIVED_TITLE_MAX_COLUMNS: usize = 100;
/// The widest any title may be, `…` included: longer titles from the file
/// (a Markdown heading, front matter) are cut at a word boundary.
pub const TITLE_MAX_COLUMNS: usize = 200;
/// At most this many tags (and as many categories) are kept per article.
pub const MAX_TERMS: usize = 1_000;
/// Tags and categories longer than this (in characters) are skipped.
pub const MAX_TERM_CHARS: usize = 100;
/// Nested Markdown lists are indented by two spaces per level up to this depth.
const MAX_LIST_INDENT_LEVELS: usize = 8;
/// The title of an article that has neither a title, a body nor a file name.
const UNTITLED: &str = "(untitled)";

/// What a file says about itself, before the title is derived and the search
/// text is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The title, when the file has one.
    pub title: Option<String>,
    /// The date, when the file gives a valid one.
    pub date: Option<NaiveDate>,
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
    pub fn into_article(self, id: String, path: PathBuf) -> Article {
        let title = self
            .title
            .as_deref()
            .map(sanitize_line)
            .filter(|title| !title.is_empty())
            .map(|title| shorten(&title, TITLE_MAX_COLUMNS))
            .or_else(|| derive_title(&self.blocks))
            .unwrap_or_else(|| title_from_id(&id));
        let folded = fold(&title, &self.blocks);
        Article {
            id,
            path,
            title,
            date: self.date,
            categories: self.categories,
            tags: self.tags,
            author: clean_optional(self.author),
            source: clean_optional(self.source),
            url: clean_optional(self.url),
            blocks: self.blocks,
            links: self.links,
            folded,
            term_bits: 0,
        }
    }
}

/// A one-line, non-empty version of an optional field.
fn clean_optional(value: Option<String>) -> Option<String> {
    value
        .map(|value| sanitize_line(&value))
        .filter(|value| !value.is_empty())
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
    if text.contains('Σ') {
        out.push_str(&text.to_lowercase());
        return;
    }
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
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

/// Blocks of code points without case mappings: general punctuation,
/// super- and subscripts, currency symbols, CJK punctuation and ideographs,
/// emoji.
fn has_no_case(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{20FF}' | '\u{3000}'..='\u{9FFF}' | '\u{1F000}'..='\u{1FAFF}')
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
        BlockKind::Code => block.text.lines().find(|l| !l.trim().is_empty())?,
        _ => &block.text,
    };
    // Only the start matters: whatever lies beyond the column limit is cut.
    let head = prefix_wider_than(text, DERIVED_TITLE_MAX_COLUMNS + 2);
    let title = sanitize_line(first_sentence(head));
    (!title.is_empty()).then(|| shorten(&title, DERIVED_TITLE_MAX_COLUMNS))
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

/// The shortest prefix of `text` wider than `columns` (or all of it).
fn prefix_wider_than(text: &str, columns: usize) -> &str {
    // Sanitized ASCII is printable: one column a byte.
    if text.is_ascii() {
        return text.get(..text.len().min(columns + 1)).unwrap_or(text);
    }
    let mut width = 0;
    for (i, grapheme) in text.grapheme_indices(true) {
        if width > columns {
            return text.get(..i).unwrap_or(text);
        }
        width += grapheme.width();
    }
    text
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

/// Whether `text` fits in `columns` display columns (stops counting early).
fn fits(text: &str, columns: usize) -> bool {
    // Sanitized ASCII is printable: one column a byte.
    if text.is_ascii() {
        return text.len() <= columns;
    }
    let mut width = 0;
    for grapheme in text.graphemes(true) {
        width += grapheme.width();
        if width > columns {
            return false;
        }
    }
    true
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

/// The last path segment of the id without its extension, or `(untitled)`.
fn title_from_id(id: &str) -> String {
    let segment = id.rsplit('/').next().unwrap_or("");
    let stem = Path::new(segment)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or(segment);
    let title = sanitize_line(stem);
    if title.is_empty() {
        UNTITLED.to_owned()
    } else {
        shorten(&title, TITLE_MAX_COLUMNS)
    }
}

/// Adds comma-or-array terms to `list`: trimmed and one-line, empty and
/// overlong ones skipped, case-insensitive duplicates dropped (the first
/// spelling wins), at most [`MAX_TERMS`] in all.
fn push_terms<'a>(list: &mut Vec<String>, terms: impl IntoIterator<Item = &'a str>) {
    let mut seen: HashSet<String> = list.iter().map(|term| term.to_lowercase()).collect();
    for term in terms {
        if list.len() >= MAX_TERMS {
            return;
        }
        // Cheap pre-check so a huge term is not copied just to be skipped.
        if term.len() > MAX_TERM_CHARS * 4 && term.trim().chars().nth(MAX_TERM_CHARS * 4).is_some()
        {
            continue;
        }
        let term = sanitize_line(term);
        if term.is_empty() || term.chars().nth(MAX_TERM_CHARS).is_some() {
            continue;
        }
        if seen.insert(term.to_lowercase()) {
            list.push(term);
        }
    }
}

/// Whether a line has only whitespace.
fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Whether `text` has more than `max` characters (stops counting early).
fn longer_than(text: &str, max: usize) -> bool {
    text.chars().nth(max).is_some()
}

/// Whether `text` ends with one of `marks` (trailing spaces ignored).
fn ends_with_any(text: &str, marks: &[char]) -> bool {
    text.trim_end().ends_with(marks)
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
    let date_text = after_word.get(..10)?;
    let after_date = after_word.get(10..)?;
    if !looks_like_iso_date(date_text)
        || !(after_date.is_empty() || after_date.starts_with(char::is_whitespace))
    {
        return None;
    }
    Some(Header {
        date: NaiveDate::parse_from_str(date_text, "%Y-%m-%d").ok(),
        rest: parse_header_rest(after_date.trim()),
    })
}

/// Splits what follows the date into terms or body text.
fn parse_header_rest(rest: &str) -> HeaderRest<'_> {
    let rest = rest.trim_start_matches(|c: char| c == '|' || c.is_whitespace());
    if rest.is_empty() {
        return HeaderRest::Nothing;
    }
    let starts_with_label = |text: &str| {
        strip_prefix_ignore_case(text, "posted in:").is_some()
            || strip_prefix_ignore_case(text, "tagged:").is_some()
    };
    if !starts_with_label(rest) {
        return HeaderRest::Body(rest);
    }
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    for part in rest.split('|').map(str::trim) {
        if let Some(list) = strip_prefix_ignore_case(part, "posted in:") {
            categories.extend(list.split(','));
        } else if let Some(list) = strip_prefix_ignore_case(part, "tagged:") {
            tags.extend(list.split(','));
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

/// `DDDD-DD-DD`, digits being ASCII digits.
fn looks_like_iso_date(text: &str) -> bool {
    text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        })
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

/// Parses the seed plain-text format (see the module documentation).
pub fn parse_plain(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut lines = text.lines().skip_while(|line| is_blank(line)).peekable();
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

/// Consumes a header line if there is one, and says how to find the title.
/// Body text on the header line starts `paragraph`.
fn read_header<'a, I: Iterator<Item = &'a str>>(
    lines: &mut Peekable<I>,
    parsed: &mut Parsed,
    paragraph: &mut ParagraphBuilder,
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
            alone && looks_like_title(line)
        }
        TitleRule::NoTitle => false,
    };
    is_title.then(|| {
        lines.next();
        sanitize_line(line)
    })
}

/// Whether a first line, with nothing saying what it is, reads as a title.
fn looks_like_title(line: &str) -> bool {
    let line = line.trim();
    !longer_than(line, TITLE_LINE_MAX_CHARS)
        && line.chars().any(char::is_alphanumeric)
        && !ends_with_any(line, &['.', '!', '?', ':', ';'])
}

/// Whether a one-line paragraph reads as a subheading.
fn looks_like_subheading(line: &str) -> bool {
    !longer_than(line, SUBHEADING_MAX_CHARS)
        && line.chars().any(char::is_alphanumeric)
        && !ends_with_any(
            line,
            &['.', '!', '?', ':', ';', ',', '"', '”', '\'', '’', ')', '…'],
        )
}

/// Collects the lines of one plain paragraph.
#[derive(Default)]
struct ParagraphBuilder {
    text: String,
    lines: usize,
}

impl ParagraphBuilder {
    fn push_line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
        self.lines += 1;
    }

    /// The paragraph as a block (none when empty); the builder is reset.
    /// The text was sanitized with the whole file, so joining its lines
    /// only needs the spaces collapsed.
    fn finish(&mut self) -> Option<Block> {
        let lines = std::mem::take(&mut self.lines);
        let text = collapse_spaces(&std::mem::take(&mut self.text));
        if text.is_empty() {
            return None;
        }
        let kind = if lines == 1 && looks_like_subheading(&text) {
            BlockKind::Subheading
        } else {
            BlockKind::Paragraph
        };
        Some(Block::new(kind, text))
    }
}

/// Parses Markdown with optional TOML front matter between `+++` lines.
///
/// Every string that comes out is sanitized again, because Markdown and TOML
/// escapes (`&#27;`, `"\u001b"`) can produce control characters.
pub fn parse_markdown(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let (front_matter, body) = split_front_matter(text);
    if let Some(front_matter) = front_matter {
        apply_front_matter(&mut parsed, front_matter);
    }
    MarkdownWalker::new(&mut parsed).walk(body);
    parsed
}

/// Splits `+++`-fenced front matter off the body. Without a closing `+++`
/// there is no front matter.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return (None, text);
    };
    if first.trim_end() != "+++" {
        return (None, text);
    }
    let start = first.len();
    let mut offset = start;
    for line in lines {
        if line.trim_end() == "+++" {
            let front = text.get(start..offset).unwrap_or("");
            let body = text.get(offset + line.len()..).unwrap_or("");
            return (Some(front), body);
        }
        offset += line.len();
    }
    (None, text)
}

/// Copies the known front-matter keys; front matter that is not TOML is
/// ignored as metadata.
fn apply_front_matter(parsed: &mut Parsed, front_matter: &str) {
    let Ok(table) = toml::from_str::<toml::Table>(front_matter) else {
        return;
    };
    let text = |key: &str| {
        table
            .get(key)
            .and_then(toml::Value::as_str)
            .map(sanitize_line)
            .filter(|value| !value.is_empty())
    };
    parsed.title = text("title");
    parsed.author = text("author");
    parsed.source = text("source");
    parsed.url = text("url");
    parsed.date = table.get("date").and_then(toml_date);
    if let Some(value) = table.get("tags") {
        push_terms(&mut parsed.tags, toml_terms(value));
    }
    if let Some(value) = table.get("categories") {
        push_terms(&mut parsed.categories, toml_terms(value));
    }
}

/// A TOML date, date-time (its date part) or `"YYYY-MM-DD…"` string.
fn toml_date(value: &toml::Value) -> Option<NaiveDate> {
    match value {
        toml::Value::Datetime(datetime) => {
            let date = datetime.date?;
            NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
        }
        toml::Value::String(text) => {
            let text = text.trim();
            let date = text.get(..10).filter(|d| looks_like_iso_date(d))?;
            let rest = text.get(10..)?;
            if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
                return None;
            }
            NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
        }
        _ => None,
    }
}

/// Terms from an array of strings (other values skipped) or one
/// comma-separated string.
fn toml_terms(value: &toml::Value) -> Vec<&str> {
    match value {
        toml::Value::String(text) => text.split(',').collect(),
        toml::Value::Array(items) => items.iter().filter_map(toml::Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A Markdown container that decides how the text inside it is shown.
enum Container {
    /// A block quote.
    Quote,
    /// A list; `next` is the number of its next item when it is ordered.
    List { next: Option<u64> },
    /// A list item: `marker` starts its first block, `indent` the others.
    Item {
        marker: String,
        indent: String,
        marked: bool,
    },
}

/// Walks pulldown-cmark events into blocks and links.
struct MarkdownWalker<'p> {
    parsed: &'p mut Parsed,
    /// Whether the first top-level `#` heading should become the title.
    wants_title: bool,
    containers: Vec<Container>,
    /// Inline text of the paragraph, heading or item being read.
    text: String,
    /// Text of the code block being read.
    code: Option<String>,
    /// Targets of the links and images being read, innermost last.
    open_links: Vec<String>,
    link_numbers: HashMap<String, usize>,
}

impl<'p> MarkdownWalker<'p> {
    fn new(parsed: &'p mut Parsed) -> Self {
        let wants_title = parsed.title.is_none();
        MarkdownWalker {
            parsed,
            wants_title,
            containers: Vec::new(),
            text: String::new(),
            code: None,
            open_links: Vec::new(),
            link_numbers: HashMap::new(),
        }
    }

    fn walk(mut self, body: &str) {
        let parser = Parser::new_ext(body, Options::ENABLE_STRIKETHROUGH);
        for event in parser {
            match event {
                Event::Start(tag) => self.start(tag),
                Event::End(tag) => self.end(tag),
                Event::Text(text) => match &mut self.code {
                    Some(code) => code.push_str(&text),
                    None => self.text.push_str(&text),
                },
                Event::Code(text) => self.text.push_str(&text),
                Event::SoftBreak | Event::HardBreak => self.text.push(' '),
                Event::Rule => self.flush(),
                // Raw HTML, and extensions that are not enabled.
                _ => {}
            }
        }
        self.flush();
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::Heading { .. } => self.flush(),
            Tag::BlockQuote(_) => {
                self.flush();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                self.containers.push(Container::List { next: start });
            }
            Tag::Item => {
                self.flush();
                let item = self.new_item();
                self.containers.push(item);
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.open_links.push(dest_url.into_string());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                let code = sanitize(code.trim_end_matches('\n'));
                if !code.trim().is_empty() {
                    self.parsed.blocks.push(Block::new(BlockKind::Code, code));
                }
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some(url) = self.open_links.pop() {
                    self.push_link_number(&url);
                }
            }
            _ => {}
        }
    }

    /// The first top-level `#` heading becomes the title when there is none;
    /// other headings are subheadings.
    fn end_heading(&mut self, level: HeadingLevel) {
        let text = sanitize_line(&std::mem::take(&mut self.text));
        if text.is_empty() {
            return;
        }
        if self.wants_title && level == HeadingLevel::H1 && self.containers.is_empty() {
            self.parsed.title = Some(text);
            self.wants_title = false;
        } else {
            self.parsed
                .blocks
                .push(Block::new(BlockKind::Subheading, text));
        }
    }

    /// A list item with its marker, numbered by its list and indented by
    /// its nesting.
    fn new_item(&mut self) -> Container {
        let depth = self
            .containers
            .iter()
            .filter(|c| matches!(c, Container::List { .. }))
            .count()
            .saturating_sub(1)
            .min(MAX_LIST_INDENT_LEVELS);
        let number = match self.containers.last_mut() {
            Some(Container::List { next: Some(next) }) => {
                let number = *next;
                *next = next.saturating_add(1);
                Some(number)
            }
            _ => None,
        };
        let marker = match number {
            Some(number) => format!("{number}. "),
            None => "• ".to_owned(),
        };
        let indent = "  ".repeat(depth);
        Container::Item {
            marker: format!("{indent}{marker}"),
            indent: format!("{indent}{}", " ".repeat(marker.chars().count())),
            marked: false,
        }
    }

    /// Appends `[n]` for a link target, numbering new targets.
    fn push_link_number(&mut self, url: &str) {
        let url = sanitize_line(url);
        if url.is_empty() {
            return;
        }
        let number = match self.link_numbers.get(&url) {
            Some(&number) => number,
            None => {
                self.parsed.links.push(url.clone());
                let number = self.parsed.links.len();
                self.link_numbers.insert(url, number);
                number
            }
        };
        self.text.push_str(&format!("[{number}]"));
    }

    /// Turns the inline text read so far into a block of the kind its
    /// innermost container asks for.
    fn flush(&mut self) {
        let text = sanitize_line(&std::mem::take(&mut self.text));
        if text.is_empty() {
            return;
        }
        let block = match self.containers.last_mut() {
            Some(Container::Item {
                marker,
                indent,
                marked,
            }) => {
                let prefix = if *marked { indent } else { marker };
                *marked = true;
                Block::new(BlockKind::ListItem, format!("{prefix}{text}"))
            }
            Some(Container::Quote) => Block::new(BlockKind::Quote, text),
            _ => Block::new(BlockKind::Paragraph, text),
        };
        self.parsed.blocks.push(block);
    }
}

#[cfg(test)]
mod tests {

    proptest::proptest! {
        #[test]
        fn folding_matches_the_standard_library(
            text in "[a-zA-Z .ΣσİIÉé日本語“”–—€🎉ǅẞ]{0,40}"
        ) {
            let mut ours = String::new();
            push_folded(&mut ours, &text);
            proptest::prop_assert_eq!(ours, text.to_lowercase());
        }
    }
    use super::*;
    use crate::article::Format;

    fn plain(text: &str) -> Article {
        article("dir/note.txt", text, Format::Plain)
    }

    fn markdown(text: &str) -> Article {
        article("dir/note.md", text, Format::Markdown)
    }

    fn article(id: &str, text: &str, format: Format) -> Article {
        Article::from_bytes(id.into(), PathBuf::from(id), text.as_bytes(), format)
            .expect("text is not binary")
    }

    fn sample(name: &str) -> Article {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("articles")
            .join(name);
        let bytes = std::fs::read(&path).expect("sample article is readable");
        Article::from_bytes(name.into(), path, &bytes, Format::Plain).expect("sample is text")
    }

    fn date(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    fn kinds(article: &Article) -> Vec<BlockKind> {
        article.blocks.iter().map(|b| b.kind).collect()
    }

    fn texts(article: &Article) -> Vec<&str> {
        article.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    fn columns(text: &str) -> usize {
        UnicodeWidthStr::width(text)
    }

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

    // Plain format edge cases.

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

    #[test]
    fn control_characters_in_files_never_reach_the_article() {
        let a = plain(
            " date 2024-01-01 Tagged: a\u{1b}[31m, b\u{202e}\n\nTi\u{1b}]0;x\u{7}tle\n\nBo\u{8}dy\u{9b}2J.\n",
        );
        assert_eq!(a.title, "Title");
        assert_eq!(a.tags, ["a", "b"]);
        assert_eq!(texts(&a), ["Body."]);
    }

    // Markdown.

    #[test]
    fn front_matter_gives_metadata() {
        let a = markdown(
            "+++\ntitle = \"FM Title\"\ndate = 2024-05-01\ntags = [\"Rust\", \"rust\", 3, \"CLI\"]\n\
             categories = \"Tech, News\"\nauthor = \"Ann\"\nsource = \"Paper\"\nurl = \"https://x.example/a\"\n\
             unknown = { nested = true }\n+++\n\n# Heading\n\nBody.\n",
        );
        assert_eq!(a.title, "FM Title");
        assert_eq!(a.date, date("2024-05-01"));
        assert_eq!(a.tags, ["Rust", "CLI"]);
        assert_eq!(a.categories, ["Tech", "News"]);
        assert_eq!(a.author.as_deref(), Some("Ann"));
        assert_eq!(a.source.as_deref(), Some("Paper"));
        assert_eq!(a.url.as_deref(), Some("https://x.example/a"));
        // With a front-matter title the heading stays in the body.
        assert_eq!(kinds(&a), [BlockKind::Subheading, BlockKind::Paragraph]);
    }

    #[test]
    fn front_matter_dates_come_in_several_forms() {
        for value in [
            "2024-05-01",
            "2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00",
            "2024-05-01 10:00:00+02:00",
            "\"2024-05-01\"",
            "\"2024-05-01T10:00:00Z\"",
        ] {
            let a = markdown(&format!("+++\ndate = {value}\n+++\nBody.\n"));
            assert_eq!(a.date, date("2024-05-01"), "{value}");
        }
        for value in ["10:00:00", "\"2024-13-01\"", "\"yesterday\"", "20240501"] {
            let a = markdown(&format!("+++\ndate = {value}\n+++\nBody.\n"));
            assert_eq!(a.date, None, "{value}");
        }
    }

    #[test]
    fn front_matter_that_is_not_toml_is_skipped() {
        let a = markdown("+++\ntitle = [unclosed\n+++\nFirst para. Second.\n");
        assert_eq!(a.title, "First para");
        assert_eq!(texts(&a), ["First para. Second."]);
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let a = markdown("+++\ntitle = \"x\"\n");
        assert!(a.blocks.iter().any(|b| b.text.contains("title = \"x\"")));
    }

    #[test]
    fn front_matter_strings_are_sanitized() {
        let a =
            markdown("+++\ntitle = \"Bad\\u001b[31m Title\\u202e\"\ntags = [\"a\\u0007b\"]\n+++\n");
        assert_eq!(a.title, "Bad Title");
        assert_eq!(a.tags, ["ab"]);
    }

    #[test]
    fn first_h1_is_the_title_and_not_repeated() {
        let a = markdown("Intro text.\n\n# The Title\n\n## Part\n\n# Another\n");
        assert_eq!(a.title, "The Title");
        assert_eq!(texts(&a), ["Intro text.", "Part", "Another"]);
        assert_eq!(
            kinds(&a),
            [
                BlockKind::Paragraph,
                BlockKind::Subheading,
                BlockKind::Subheading
            ]
        );
    }

    #[test]
    fn without_h1_the_title_is_derived() {
        let a = markdown("## Section\n\nFirst sentence here. More.\n");
        assert_eq!(a.title, "Section");
        let a = markdown("```\nlet x = 1;\n```\n");
        assert_eq!(a.title, "let x = 1;");
    }

    #[test]
    fn inline_markup_becomes_plain_text() {
        let a = markdown("Some *emph*, **strong**, ~~gone~~ and `code`<b>!</b>\nnext  \nline\n");
        assert_eq!(texts(&a), ["Some emph, strong, gone and code! next line"]);
    }

    #[test]
    fn links_and_images_are_numbered_once_per_target() {
        let a = markdown(
            "See [one](https://a.example) and [two](https://b.example), \
             [one again](https://a.example) and ![a chart](chart.png).\n",
        );
        assert_eq!(
            texts(&a),
            ["See one[1] and two[2], one again[1] and a chart[3]."]
        );
        assert_eq!(
            a.links,
            ["https://a.example", "https://b.example", "chart.png"]
        );
    }

    #[test]
    fn lists_carry_markers_and_nesting() {
        let a = markdown("- one\n  - inner\n- two\n\t- tab inner\n\n3. three\n4. four\n");
        assert_eq!(
            texts(&a),
            [
                "• one",
                "  • inner",
                "• two",
                "  • tab inner",
                "3. three",
                "4. four"
            ]
        );
        assert!(a.blocks.iter().all(|b| b.kind == BlockKind::ListItem));
    }

    #[test]
    fn loose_list_item_paragraphs_are_aligned_under_the_marker() {
        let a = markdown("1. first para\n\n   second para\n");
        assert_eq!(texts(&a), ["1. first para", "   second para"]);
    }

    #[test]
    fn quotes_code_rules_and_html_blocks() {
        let a = markdown(
            "> quoted\n> text\n\n---\n\n```rust\nfn main() {\n\tgo();\n}\n```\n\n<div>\nraw html\n</div>\n",
        );
        assert_eq!(kinds(&a), [BlockKind::Quote, BlockKind::Code]);
        assert_eq!(texts(&a), ["quoted text", "fn main() {\n        go();\n}"]);
    }

    #[test]
    fn entity_encoded_controls_are_removed() {
        let a = markdown(
            "# T&#27;]0;evil&#7;itle\n\nRed &#27;[31mtext&#x202E; [l](http://x&#27;[2J.example)\n",
        );
        assert_eq!(a.title, "Title");
        assert_eq!(texts(&a), ["Red text l[1]"]);
        assert_eq!(a.links, ["http://x.example"]);
    }

    #[test]
    fn deeply_nested_markdown_does_not_blow_up() {
        let nested = "- ".repeat(2_000) + "deep\n";
        let a = markdown(&nested);
        assert!(a.blocks.iter().all(|b| b.text.len() < 100));
        let quotes = ">".repeat(10_000) + " deep\n";
        let a = markdown(&quotes);
        assert_eq!(texts(&a), ["deep"]);
    }
}
