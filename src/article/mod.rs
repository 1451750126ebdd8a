//! One article: the model every other module works with.
//!
//! An [`Article`] is built once, at load, from a file's bytes by
//! [`Article::from_bytes`]: the bytes are decoded ([`decode`]), made
//! terminal-safe ([`sanitize`]) and parsed ([`parse`]). After that no string in
//! it can take over a terminal, so the rest of the program never sanitizes
//! again.

pub mod decode;
pub mod model;
pub mod parse;
pub mod sanitize;
pub mod when;
pub mod words;

use std::path::PathBuf;

pub use model::{Article, Block, BlockKind, Body, Detail, Enclosure, Rejected};
pub(crate) use model::{fold_term, folds_to, term_bit, term_bit_of};
pub use parse::Format;
pub use when::Clock;

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

    /// `▶ audio/mpeg, 12.3 MB: https://…` for each enclosure, then `⚠ …`
    /// for each problem the file has, for the reader's details.
    pub(crate) fn enclosure_lines(&self) -> Vec<String> {
        let enclosures = self.enclosures.iter().map(|enclosure| {
            let about: Vec<String> = enclosure
                .kind
                .iter()
                .cloned()
                .chain(enclosure.length.map(size_text))
                .collect();
            if about.is_empty() {
                format!("▶ {}", enclosure.url)
            } else {
                format!("▶ {}: {}", about.join(", "), enclosure.url)
            }
        });
        let problems = self.problems.iter().map(|problem| format!("⚠ {problem}"));
        enclosures.chain(problems).collect()
    }

    /// Reading time in whole minutes, at least 1: 230 words a minute, or
    /// 400 Chinese or Japanese characters.
    pub(crate) fn reading_minutes(&self) -> usize {
        self.word_count().reading_minutes()
    }
}

/// A size in bytes as people read it: `512 bytes`, `12.3 kB`, `12.3 MB`,
/// `1.2 GB` (powers of 1000, as players and shops count).
fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut size = bytes as f64 / 1000.0;
    let mut unit = 0;
    while size >= 999.95 && unit + 1 < UNITS.len() {
        size /= 1000.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_count_them() {
        assert_eq!(size_text(0), "0 bytes");
        assert_eq!(size_text(999), "999 bytes");
        assert_eq!(size_text(1000), "1.0 kB");
        assert_eq!(size_text(12_345_678), "12.3 MB");
        assert_eq!(size_text(999_999), "1.0 MB");
        assert_eq!(size_text(1_234_567_890), "1.2 GB");
        assert_eq!(size_text(u64::MAX), "18446744.1 TB");
    }

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
