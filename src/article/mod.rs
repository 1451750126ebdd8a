//! One article: the model every other module works with.
//!
//! An [`Article`] is built once, at load, from a file's bytes by
//! [`Article::from_bytes`]: the bytes are decoded ([`decode`]), made
//! terminal-safe ([`sanitize`]) and parsed ([`parse`]). After that no string in
//! it can take over a terminal, so the rest of the program never sanitizes
//! again.

pub mod decode;
pub mod parse;
pub mod sanitize;

use std::path::PathBuf;

use chrono::NaiveDate;

/// The kind of a block of body text, which decides how the reader styles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Ordinary running text.
    Paragraph,
    /// A subheading: a short line without final punctuation between paragraphs,
    /// or a Markdown heading.
    Subheading,
    /// One item of a list; its text carries its marker (`• `, `1. `).
    ListItem,
    /// A block quotation.
    Quote,
    /// Preformatted text (Markdown code blocks); line breaks are kept.
    Code,
}

/// A block of body text: a paragraph, subheading, list item, quote or code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// How the block is styled.
    pub kind: BlockKind,
    /// The block's sanitized text. Paragraph lines are joined with spaces;
    /// only [`BlockKind::Code`] keeps `\n`.
    pub text: String,
}

impl Block {
    /// A block of the given kind.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
        }
    }
}

/// The source format of an article file, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The scraped plain-text format of the samples (`.txt`, or no extension).
    Plain,
    /// Markdown with optional TOML front matter between `+++` lines (`.md`).
    Markdown,
}

impl Format {
    /// The format of a file by its name, or `None` for files that are not
    /// articles (and are skipped without a warning).
    pub fn for_path(path: &std::path::Path) -> Option<Format> {
        match path.extension() {
            None => Some(Format::Plain),
            Some(ext) if ext.eq_ignore_ascii_case("txt") => Some(Format::Plain),
            Some(ext) if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") => {
                Some(Format::Markdown)
            }
            Some(_) => None,
        }
    }
}

/// A parsed, sanitized article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The path relative to the articles folder with `/` separators,
    /// sanitized: how users name the article (`broadsheet show ID`) and the key
    /// bookmarks and read state are stored under.
    pub id: String,
    /// Where the file is on disk (never shown without sanitizing).
    pub path: PathBuf,
    /// The title: from the file, or derived from the first sentence.
    pub title: String,
    /// The article's date, when the file gives one.
    pub date: Option<NaiveDate>,
    /// Categories (`Posted in:`), in file order, without duplicates.
    pub categories: Vec<String>,
    /// Tags (`Tagged:`), in file order, without duplicates.
    pub tags: Vec<String>,
    /// The author, from Markdown front matter.
    pub author: Option<String>,
    /// The source (publication), from Markdown front matter.
    pub source: Option<String>,
    /// The original address, from Markdown front matter.
    pub url: Option<String>,
    /// The body, block by block.
    pub blocks: Vec<Block>,
    /// Link targets of a Markdown body, numbered from 1 in the text as `[n]`.
    pub links: Vec<String>,
    /// Number of words in the title and body.
    pub words: usize,
    /// Title and body, lower-cased once at load, for case-insensitive search.
    pub folded: String,
}

/// Why a file's bytes could not become an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    /// The bytes hold NUL or other signs of a binary file.
    Binary,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejected::Binary => f.write_str("binary file (holds NUL bytes)"),
        }
    }
}

impl Article {
    /// Builds an article from a file's raw bytes: decode, sanitize, parse.
    /// `id` must already be sanitized (see [`sanitize::sanitize_line`]).
    pub fn from_bytes(
        id: String,
        path: PathBuf,
        bytes: &[u8],
        format: Format,
    ) -> Result<Article, Rejected> {
        let text = decode::decode(bytes)?;
        let parsed = match format {
            Format::Plain => parse::parse_plain(&sanitize::sanitize(&text)),
            // Markdown gives tabs a meaning (list nesting, code indentation)
            // that expanding them to 8 columns would change; the Markdown
            // parser sanitizes everything it produces, tabs included.
            Format::Markdown => parse::parse_markdown(&sanitize::sanitize_keeping_tabs(&text)),
        };
        Ok(parsed.into_article(id, path))
    }

    /// Reading time in whole minutes at 230 words a minute, at least 1.
    pub fn reading_minutes(&self) -> usize {
        self.words.div_ceil(230).max(1)
    }

    /// The date as `YYYY-MM-DD`, or `None`.
    pub fn date_string(&self) -> Option<String> {
        self.date.map(|d| d.format("%Y-%m-%d").to_string())
    }
}
