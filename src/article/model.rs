//! The model: [`Article`], its [`Block`]s, how much of it a load reads
//! ([`Detail`]), tags folded for comparing, and why bytes were [`Rejected`].
//! Every layer reads these; building one from bytes is the parent module's
//! [`Article::from_bytes`](super::Article::from_bytes).

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
    /// Whether the block follows the one before it with no blank line
    /// between: the items of a tight Markdown list after its first.
    pub joined: bool,
}

impl Block {
    /// A block of the given kind, set off from the block before it.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            joined: false,
        }
    }

    /// The same block, drawn right under the one before it.
    pub fn joined(self) -> Self {
        Block {
            joined: true,
            ..self
        }
    }
}

/// How much of an article a load parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Everything: body, links, word count and search text.
    #[default]
    Full,
    /// What a list line shows (id, path, title, date, categories, tags),
    /// from the head of the file only: no body, no links, a word count of 0
    /// and no search text. The whole file is still read and checked (binary
    /// files are rejected alike). For listing huge folders fast and small.
    /// A format whose title can come from anywhere in the file (Markdown's
    /// first `#` heading) is parsed whole, and its summary keeps everything.
    Summary,
}

/// A file attached to an article, as feeds attach podcasts and videos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    /// Its address: a whole http or https address.
    pub url: String,
    /// Its media type (`audio/mpeg`), when given.
    pub kind: Option<String>,
    /// Its size in bytes, when given.
    pub length: Option<u64>,
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
    /// The article's date, when the file gives one, as the file wrote it
    /// (at its own offset from UTC).
    pub date: Option<NaiveDate>,
    /// The time of day and offset beside the date, when the file gives a
    /// datetime (never without a date): the list sorts by the instant.
    pub clock: Option<super::when::Clock>,
    /// When a feed first wrote the article, in nanoseconds since the Unix
    /// epoch (Markdown front matter `arrived`): what orders undated feed
    /// items, in the order they came. Read only when there is no date.
    pub arrived: Option<i64>,
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
    /// Files attached to it (a podcast's audio, a video), from Markdown
    /// front matter (`enclosures`).
    pub enclosures: Vec<Enclosure>,
    /// What in the file could not be read although the file loaded (a bad
    /// `enclosures` value): the reader shows each under the article's
    /// details.
    pub problems: Vec<String>,
    /// Title and body, lower-cased once at load, for case-insensitive search.
    pub folded: String,
    /// A one-word filter of the tags and categories (the bit of each, folded
    /// with `fold_term`, set by `Library::new`): a tag whose bit is clear
    /// is surely absent, so a tag filter skips most articles without reading
    /// their tags.
    /// 0 means not computed (or no terms): compare the tags themselves.
    pub term_bits: u64,
}

/// A tag or category name folded for comparing ignoring case: lower-cased
/// character by character. The one rule tags and categories compare by: the
/// library builds [`Article::term_bits`] from it and `tag:` and `cat:` queries
/// fold their names with it, so the bit filter can never rule out a tag the
/// comparison would find. Character by character, unlike
/// `str::to_lowercase` (which makes a final `Σ` a `ς`), so a name folds the
/// same wherever it stands and can be compared without allocating. Folding
/// twice changes nothing.
pub(crate) fn fold_term(term: &str) -> String {
    // Most tags are ASCII, whose lower case needs no tables.
    if term.is_ascii() {
        return term.to_ascii_lowercase();
    }
    term.chars().flat_map(char::to_lowercase).collect()
}

/// Whether `fold_term(term) == folded`, without allocating: how a tag filter
/// compares every tag of every article with its folded name.
pub(crate) fn folds_to(term: &str, folded: &str) -> bool {
    // Most tags are ASCII: lengths first, then bytes without case tables.
    if term.is_ascii() {
        return term.len() == folded.len()
            && term
                .bytes()
                .map(|b| b.to_ascii_lowercase())
                .eq(folded.bytes());
    }
    term.chars().flat_map(char::to_lowercase).eq(folded.chars())
}

/// The bit of a tag or category in [`Article::term_bits`], folded first
/// with [`fold_term`].
pub(crate) fn term_bit_of(term: &str) -> u64 {
    term_bit(&fold_term(term))
}

/// The bit of a tag or category name already folded with [`fold_term`] in
/// [`Article::term_bits`] (FNV-1a hash, 64 bits: one of 64). A query folds
/// its name once and takes this per article, without folding again.
pub(crate) fn term_bit(folded: &str) -> u64 {
    let hash = folded
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    1 << (hash & 63)
}

/// The text of an article: its body and the link targets the body numbers,
/// as the reader lays it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Body<'a> {
    /// The body, block by block; empty for a summary.
    pub blocks: &'a [Block],
    /// Link targets, numbered from 1 in the body as `[n]`.
    pub links: &'a [String],
}

impl Body<'_> {
    /// The bytes of the body's text.
    pub(crate) fn text_bytes(&self) -> usize {
        self.blocks.iter().map(|b| b.text.len()).sum()
    }
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
