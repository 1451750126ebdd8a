//! The open article's state, apart from the [`App`](super::App) that holds
//! it: the article as read from its file, the work of wrapping it whole on
//! a worker, its search matches, and its details lines.

use std::sync::Arc;

use crate::article::Article;
use crate::config::DisplayConfig;
use crate::tui::document::{Document, Found, TextPlace};

/// The selected article as read from its file: the library keeps the
/// list's fields and the search text, not bodies.
#[derive(Debug, Clone)]
pub(crate) struct Opened {
    /// Its index in the library.
    pub(crate) index: usize,
    /// The whole article, or why its file could not be read.
    pub(crate) article: Result<Arc<Article>, String>,
}

/// Wrapping a whole article on a worker thread.
#[derive(Debug, Clone)]
pub struct WrapJob {
    /// The article (shared, not copied).
    pub article: Arc<Article>,
    /// The article's index in the library.
    pub index: usize,
    /// How dates are shown in the details lines.
    pub display: DisplayConfig,
    /// The width to wrap to.
    pub width: usize,
    /// The person's own lines about it (own tags, note).
    pub own: Vec<String>,
}

impl WrapJob {
    /// Does the work (on the worker thread).
    pub fn run(self) -> Option<Document> {
        let article = &self.article;
        let mut meta = meta_lines(article, &self.display, true);
        meta.extend(self.own);
        Some(Document::build(
            self.index,
            article,
            article.body(),
            meta,
            self.width,
        ))
    }
}

/// The search matches in the open article: every one, found once per
/// article, width, lines wrapped and query, and the one jumped to last.
#[derive(Debug, Default)]
pub(crate) struct ArticleMatches {
    /// What `found` was found in: the article's id, the width, how many
    /// lines were wrapped, and the terms.
    pub(super) key: Option<(String, usize, usize, Vec<String>)>,
    /// The matches, in reading order.
    pub(super) found: Vec<Found>,
    /// The match jumped to last: the article's id and where the match is,
    /// which stays right when the article is wrapped to another width.
    pub(super) current: Option<(String, TextPlace)>,
}

/// The reader's search matches as its header counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchCount {
    /// How many matches the article has.
    pub total: usize,
    /// Which of them (from 0) was jumped to last, if any.
    pub current: Option<usize>,
    /// Whether all of the article was searched (a long one is wrapped, and
    /// searched, as far as the screen needs until a worker has done it).
    pub complete: bool,
}

/// Articles with more text than this are wrapped in part on the UI thread
/// and in whole on a worker.
pub(super) const LONG_ARTICLE_BYTES: usize = 256 * 1024;

/// The reader's details lines: date, categories, tags; file and size
/// (with the word count only when `count_words`: a long article's count
/// comes from the worker); author, source and url when there are any; the
/// enclosures (`▶ audio/mpeg, 12.3 MB: https://…`) and what of the file
/// could not be read (`⚠ …`).
pub(super) fn meta_lines(
    article: &Article,
    display: &DisplayConfig,
    count_words: bool,
) -> Vec<String> {
    let date = article
        .date
        .map(|d| display.format_date(d))
        .map(|date| match article.clock {
            Some(clock) => format!("{date} {}", crate::article::when::written(clock)),
            None => date,
        })
        .unwrap_or_else(|| "undated".to_string());
    let mut first = vec![date];
    first.extend(article.term_details());
    let size = if count_words {
        article.size_details()
    } else {
        format!("{} · counting words…", article.id)
    };
    let mut lines = vec![first.join(" · "), size];
    lines.extend(article.credit_lines());
    lines.extend(article.enclosure_lines());
    lines
}
