//! Parsing sanitized text into article fields: the seed plain-text format and
//! Markdown with TOML front matter.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Article, Block};

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
    pub fn into_article(self, id: String, path: PathBuf) -> Article {
        let _ = (id, path);
        todo!("into_article")
    }
}

/// Parses the seed plain-text format (see README "Article format").
pub fn parse_plain(text: &str) -> Parsed {
    let _ = text;
    todo!("parse_plain")
}

/// Parses Markdown with optional TOML front matter between `+++` lines.
pub fn parse_markdown(text: &str) -> Parsed {
    let _ = text;
    todo!("parse_markdown")
}
