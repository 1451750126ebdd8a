//! [`Loaded`]: one article as a load read it, kept small.
//!
//! A first index holds every article of the folder from the moment its
//! file is read until the rows are sorted and encoded: a million of them
//! at a million files. An [`Article`] there cost about a kilobyte (a dozen
//! strings and lists, each its own allocation); a `Loaded` keeps the
//! list's strings in one buffer and where each ends in another, the path
//! only when it is not the folder's path joined with the id, and the
//! search text only when the load keeps it (BENCHMARKS.md, "The first
//! index streams").

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{Listed, StatKey};
use crate::article::{Article, Clock};

/// Which optional string fields are there (bits of [`Loaded::present`]):
/// an empty author is not an absent one.
const AUTHOR: u8 = 1;
const SOURCE: u8 = 2;
const URL: u8 = 4;

/// Where the fixed strings' ends are in [`Loaded::ends`]; the tags' and
/// then the categories' follow.
const ID: usize = 0;
const TITLE: usize = 1;
const AUTHOR_AT: usize = 2;
const SOURCE_AT: usize = 3;
const URL_AT: usize = 4;
const TERMS_AT: usize = 5;

/// One article as a load read it: the fields its row needs, the key of the
/// file it was read from and its word count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The id, title, author, source, url, each tag and each category, one
    /// after another.
    text: Box<str>,
    /// Where each of `text`'s strings ends, in that order.
    ends: Box<[u32]>,
    /// Which of author, source and url are there.
    present: u8,
    /// How many tags (the categories follow them).
    tag_count: u32,
    /// The file's path when it is not the folder's path joined with the id.
    path: Option<Box<Path>>,
    /// The date, if any.
    date: Option<NaiveDate>,
    /// The time of day and offset, if any.
    clock: Option<Clock>,
    /// When a feed first wrote the article, if one did.
    arrived: Option<i64>,
    /// The bits of its tags and categories for the term filters.
    term_bits: u64,
    /// The folded search text, when the load keeps it (empty otherwise).
    folded: Box<str>,
    /// What tells whether the file changed since it was read.
    pub stat: StatKey,
    /// Words in the title and body, or [`NOT_COUNTED`](super::NOT_COUNTED).
    pub words: u32,
}

impl Loaded {
    /// `article` (read from a file of the folder `root`) as kept by a load:
    /// its body and links are let go, its search text kept.
    pub fn new(root: &Path, article: Article, stat: StatKey, words: u32) -> Loaded {
        let path = kept_apart(root, article.path, &article.id);
        let bit = |there: bool, bit: u8| if there { bit } else { 0 };
        let present = bit(article.author.is_some(), AUTHOR)
            | bit(article.source.is_some(), SOURCE)
            | bit(article.url.is_some(), URL);
        let fixed = [
            article.id.as_str(),
            article.title.as_str(),
            article.author.as_deref().unwrap_or(""),
            article.source.as_deref().unwrap_or(""),
            article.url.as_deref().unwrap_or(""),
        ];
        let terms = article
            .tags
            .iter()
            .chain(&article.categories)
            .map(String::as_str);
        let (text, ends) = pack(fixed.into_iter().chain(terms));
        Loaded {
            text,
            ends,
            present,
            tag_count: u32::try_from(article.tags.len()).unwrap_or(u32::MAX),
            path,
            date: article.date,
            clock: article.clock,
            arrived: article.arrived,
            term_bits: article.term_bits,
            folded: article.folded.into_boxed_str(),
            stat,
            words,
        }
    }

    /// The string at `at` of [`text`](Self::text).
    fn string(&self, at: usize) -> &str {
        let start = match at {
            0 => 0,
            _ => self.ends.get(at - 1).map_or(0, |&end| end as usize),
        };
        let end = self.ends.get(at).map_or(start, |&end| end as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// The string at `at` when its bit is in `present`.
    fn optional(&self, bit: u8, at: usize) -> Option<&str> {
        (self.present & bit != 0).then(|| self.string(at))
    }

    /// The article's id.
    pub fn id(&self) -> &str {
        self.string(ID)
    }

    /// The title.
    pub fn title(&self) -> &str {
        self.string(TITLE)
    }

    /// The author, if any.
    pub fn author(&self) -> Option<&str> {
        self.optional(AUTHOR, AUTHOR_AT)
    }

    /// The source, if any.
    pub fn source(&self) -> Option<&str> {
        self.optional(SOURCE, SOURCE_AT)
    }

    /// The link to the original, if any.
    pub fn url(&self) -> Option<&str> {
        self.optional(URL, URL_AT)
    }

    /// The tags, in their order.
    pub fn tags(&self) -> impl Iterator<Item = &str> + '_ {
        self.terms(true)
    }

    /// The categories, in their order.
    pub fn categories(&self) -> impl Iterator<Item = &str> + '_ {
        self.terms(false)
    }

    /// The tags (`tags`) or the categories, in their order.
    pub fn terms(&self, tags: bool) -> impl Iterator<Item = &str> + '_ {
        let first_category = (TERMS_AT + self.tag_count as usize).min(self.ends.len());
        let range = if tags {
            TERMS_AT..first_category
        } else {
            first_category..self.ends.len()
        };
        range.map(|at| self.string(at))
    }

    /// The file the article was read from, in the folder `root` it was
    /// read from.
    pub fn path(&self, root: &Path) -> PathBuf {
        match &self.path {
            Some(path) => path.to_path_buf(),
            None => root.join(self.id()),
        }
    }

    /// The file's path relative to the folder, when it is not the id.
    pub fn path_apart(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The bits of its tags and categories for the term filters.
    pub fn term_bits(&self) -> u64 {
        self.term_bits
    }

    /// Sets the bits of the term filters.
    pub fn set_term_bits(&mut self, bits: u64) {
        self.term_bits = bits;
    }

    /// The folded search text (empty when the load did not keep it).
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// Lets the search text go.
    pub fn drop_folded(&mut self) {
        self.folded = Box::default();
    }

    /// Gives the article another id (the path stays the file's).
    pub fn set_id(&mut self, root: &Path, id: &str) {
        let path = self.path(root);
        let mut strings: Vec<&str> = vec![id];
        strings.extend((TITLE..self.ends.len()).map(|at| self.string(at)));
        let (text, ends) = pack(strings.into_iter());
        self.path = kept_apart(root, path, id);
        self.text = text;
        self.ends = ends;
    }

    /// Gives the article these tags and categories.
    pub fn set_terms(&mut self, tags: &[&str], categories: &[&str]) {
        let fixed = (ID..TERMS_AT).map(|at| self.string(at));
        let (text, ends) = pack(fixed.chain(tags.iter().chain(categories).copied()));
        self.text = text;
        self.ends = ends;
        self.tag_count = u32::try_from(tags.len()).unwrap_or(u32::MAX);
    }
}

/// The path of an article's file, kept only when it is not `root` joined
/// with the article's `id` (as nearly every path is).
fn kept_apart(root: &Path, path: PathBuf, id: &str) -> Option<Box<Path>> {
    let under_id = path.strip_prefix(root).ok() == Some(Path::new(id));
    (!under_id).then(|| path.into_boxed_path())
}

/// `strings` one after another, and where each ends. Past 4 GiB (no
/// article's list fields come near) the ends saturate and the strings
/// there read as empty.
fn pack<'s>(strings: impl Iterator<Item = &'s str> + Clone) -> (Box<str>, Box<[u32]>) {
    let (mut len, mut count) = (0, 0);
    for string in strings.clone() {
        len += string.len();
        count += 1;
    }
    let mut text = String::with_capacity(len);
    let mut ends = Vec::with_capacity(count);
    for string in strings {
        text.push_str(string);
        ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
    }
    (text.into_boxed_str(), ends.into_boxed_slice())
}

impl Listed for Loaded {
    fn id(&self) -> &str {
        Loaded::id(self)
    }
    fn title(&self) -> &str {
        Loaded::title(self)
    }
    fn date(&self) -> Option<NaiveDate> {
        self.date
    }
    fn clock(&self) -> Option<Clock> {
        self.clock
    }
    fn arrived(&self) -> Option<i64> {
        self.arrived
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(root: &Path, id: &str, file: &str) -> Article {
        Article {
            id: id.to_string(),
            path: root.join(file),
            title: "A title".to_string(),
            date: NaiveDate::from_ymd_opt(2024, 5, 1),
            clock: None,
            arrived: Some(7),
            categories: vec!["feed".to_string()],
            tags: vec!["rust".to_string(), String::new(), "日本".to_string()],
            author: Some(String::new()),
            source: None,
            url: Some("https://example.com/a".to_string()),
            blocks: Vec::new(),
            links: vec!["x".to_string()],
            enclosures: Vec::new(),
            problems: Vec::new(),
            folded: "a title body".to_string(),
            term_bits: 5,
        }
    }

    #[test]
    fn every_field_reads_back_as_the_article_had_it() {
        let root = Path::new("/news");
        let loaded = Loaded::new(
            root,
            article(root, "d/a.txt", "d/a.txt"),
            StatKey::default(),
            3,
        );
        assert_eq!(loaded.id(), "d/a.txt");
        assert_eq!(loaded.title(), "A title");
        assert_eq!(loaded.author(), Some(""));
        assert_eq!(loaded.source(), None);
        assert_eq!(loaded.url(), Some("https://example.com/a"));
        assert_eq!(loaded.tags().collect::<Vec<_>>(), ["rust", "", "日本"]);
        assert_eq!(loaded.categories().collect::<Vec<_>>(), ["feed"]);
        assert_eq!(loaded.path(root), Path::new("/news/d/a.txt"));
        assert_eq!(loaded.path_apart(), None);
        assert_eq!(loaded.folded(), "a title body");
        assert_eq!(
            (loaded.arrived, loaded.term_bits(), loaded.words),
            (Some(7), 5, 3)
        );
    }

    #[test]
    fn a_path_other_than_the_id_is_kept_and_survives_a_new_id() {
        let root = Path::new("/news");
        let mut loaded = Loaded::new(
            root,
            article(root, "a.txt", "a\u{7}.txt"),
            StatKey::default(),
            0,
        );
        assert_eq!(loaded.path(root), Path::new("/news/a\u{7}.txt"));
        loaded.set_id(root, "a.txt~2");
        assert_eq!(loaded.id(), "a.txt~2");
        assert_eq!(loaded.title(), "A title");
        assert_eq!(loaded.path(root), Path::new("/news/a\u{7}.txt"));
        assert_eq!(loaded.tags().count(), 3);
    }

    #[test]
    fn new_terms_replace_the_old_and_leave_the_rest() {
        let root = Path::new("/news");
        let mut loaded = Loaded::new(root, article(root, "a.txt", "a.txt"), StatKey::default(), 0);
        loaded.set_terms(&["Rust"], &["Feed", "other"]);
        assert_eq!(loaded.tags().collect::<Vec<_>>(), ["Rust"]);
        assert_eq!(loaded.categories().collect::<Vec<_>>(), ["Feed", "other"]);
        assert_eq!(loaded.url(), Some("https://example.com/a"));
        assert_eq!(loaded.id(), "a.txt");
    }
}
