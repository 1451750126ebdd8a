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
pub mod words;

use std::path::PathBuf;

use chrono::NaiveDate;

pub use parse::Format;

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

impl Article {
    /// Builds an article from a file's raw bytes: decode, sanitize, parse.
    /// `id` must already be sanitized (see [`sanitize::sanitize_line`]).
    pub fn from_bytes(
        id: String,
        path: PathBuf,
        bytes: &[u8],
        format: Format,
    ) -> Result<Article, Rejected> {
        Article::from_bytes_with(id, path, bytes, format, Detail::Full)
    }

    /// Like [`Article::from_bytes`], parsing as much as `detail` asks.
    pub fn from_bytes_with(
        id: String,
        path: PathBuf,
        bytes: &[u8],
        format: Format,
        detail: Detail,
    ) -> Result<Article, Rejected> {
        let text = decode::decode(bytes)?;
        Ok(parse::parse_article(id, path, &text, format, detail))
    }

    /// Number of words in the title and body (counted when asked: only
    /// the article on screen and JSON output need it, so a load does not
    /// pay for it on every file), each Chinese or Japanese character
    /// counting as a word (see [`words::WordCount`]). A summary has no
    /// body: its count is the title's.
    pub fn words(&self) -> usize {
        self.word_count().total()
    }

    /// The words of the title and body, by how they are read.
    fn word_count(&self) -> words::WordCount {
        self.blocks
            .iter()
            .map(|block| words::WordCount::of(&block.text))
            .fold(words::WordCount::of(&self.title), |sum, count| sum + count)
    }

    /// The body and its link targets.
    pub fn body(&self) -> Body<'_> {
        Body {
            blocks: &self.blocks,
            links: &self.links,
        }
    }

    /// Categories, then the tags as `#tag`: the details after the date.
    pub(crate) fn term_details(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if !self.categories.is_empty() {
            parts.push(self.categories.join(", "));
        }
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|t| format!("#{t}")).collect();
            parts.push(tags.join(" "));
        }
        parts
    }

    /// `file · 431 words · 2 min read`.
    pub(crate) fn size_details(&self) -> String {
        format!(
            "{} · {} words · {} min read",
            self.id,
            self.words(),
            self.reading_minutes()
        )
    }

    /// `author: …`, `source: …`, `url: …`, for those the article has.
    pub(crate) fn credit_lines(&self) -> Vec<String> {
        [
            ("author", &self.author),
            ("source", &self.source),
            ("url", &self.url),
        ]
        .into_iter()
        .filter_map(|(label, value)| value.as_ref().map(|v| format!("{label}: {v}")))
        .collect()
    }

    /// Reading time in whole minutes, at least 1: 230 words a minute, or
    /// 400 Chinese or Japanese characters.
    pub(crate) fn reading_minutes(&self) -> usize {
        self.word_count().reading_minutes()
    }

    /// The date as `YYYY-MM-DD`, or `None`.
    pub fn date_string(&self) -> Option<String> {
        self.date.map(|d| d.format("%Y-%m-%d").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(name: &str, text: &str) -> (Article, Article) {
        let load = |detail| {
            Article::from_bytes_with(
                name.to_string(),
                PathBuf::from(name),
                text.as_bytes(),
                Format::Plain,
                detail,
            )
        };
        match (load(Detail::Full), load(Detail::Summary)) {
            (Ok(full), Ok(summary)) => (full, summary),
            other => panic!("{name} did not load: {other:?}"),
        }
    }

    /// What a list line shows must not depend on how much was parsed.
    fn assert_same_line(name: &str, text: &str) {
        let (full, summary) = both(name, text);
        assert_eq!(summary.title, full.title, "{name}");
        assert_eq!(summary.date, full.date, "{name}");
        assert_eq!(summary.tags, full.tags, "{name}");
        assert_eq!(summary.categories, full.categories, "{name}");
        assert!(summary.blocks.is_empty() && summary.folded.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn folded_comparison_and_bits_follow_fold_term(
            term in "[a-zA-Z0-9 ΣσςΑαİiıIßẞSsKk\u{212a}ǅǄǆÉée\u{301}日]{0,6}",
            other in "[a-zA-Z0-9 ΣσςΑαİiıIßẞSsKk\u{212a}ǅǄǆÉée\u{301}日]{0,6}",
        ) {
            let folded = fold_term(&other);
            proptest::prop_assert_eq!(folds_to(&term, &folded), fold_term(&term) == folded);
            proptest::prop_assert!(folds_to(&other, &folded));
            proptest::prop_assert_eq!(fold_term(&folded), folded.clone());
            proptest::prop_assert_eq!(term_bit_of(&other), term_bit(&folded));
        }
    }

    #[test]
    fn terms_fold_character_by_character() {
        assert_eq!(fold_term("ΟΔΟΣ"), "οδοσ");
        assert_eq!(fold_term("İstanbul"), "i\u{307}stanbul");
        assert_eq!(fold_term("Straẞe"), "straße");
        assert!(folds_to("Alice Oseman", "alice oseman"));
        assert!(!folds_to("Alice Oseman", "Alice Oseman"));
        assert!(!folds_to("ΑΣ", "ας"));
    }

    #[test]
    fn summaries_of_the_samples_match_full_parses() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        for entry in std::fs::read_dir(folder).expect("articles folder") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("sample");
            assert_same_line(&path.display().to_string(), &text);
        }
    }

    #[test]
    fn summaries_match_full_parses_on_long_heads() {
        let tags: Vec<String> = (0..400).map(|i| format!("tag{i}")).collect();
        let long_header = format!(
            " date 2024-01-02 Tagged: {}\n\nThe Real Title\n\nBody.\n",
            tags.join(", ")
        );
        assert_same_line("long-header.txt", &long_header);
        let long_first_line = format!("{} end of it. More.\n\nNext.\n", "word ".repeat(600));
        assert_same_line("long-line.txt", &long_first_line);
        let title_then_long_body = format!("A Title\n\n{}\n", "Body text. ".repeat(500));
        assert_same_line("title.txt", &title_then_long_body);
        let hard_wrapped = "First line of a paragraph\nthat goes on here.\n\nMore.\n";
        assert_same_line("wrapped.txt", hard_wrapped);
        let cjk = format!(" date 2024-05-06 {}\n", "日本語のテキスト。".repeat(300));
        assert_same_line("cjk.txt", &cjk);
    }
}
