//! The loaded folder of articles: ordering, lookup, tag and category counts.
//!
//! [`load`] reads a folder in parallel into a [`Library`]; [`query`] parses
//! and evaluates the query language over it.

pub mod load;
pub mod query;

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::article::Article;

pub use load::{LoadError, LoadOptions, LoadProgress, load, load_with_progress};

/// How a list of articles is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Newest first, undated last, then by title.
    #[default]
    Date,
    /// Oldest first, undated last, then by title.
    Oldest,
    /// By title (case-insensitive), then newest first.
    Title,
}

impl SortOrder {
    /// The next order in the cycle date → oldest → title → date.
    pub fn next(self) -> SortOrder {
        match self {
            SortOrder::Date => SortOrder::Oldest,
            SortOrder::Oldest => SortOrder::Title,
            SortOrder::Title => SortOrder::Date,
        }
    }

    /// The order's name as written in config and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SortOrder::Date => "date",
            SortOrder::Oldest => "oldest",
            SortOrder::Title => "title",
        }
    }

    /// Compares two articles in this order; ties fall back to the id so the
    /// order is total and stable across runs.
    pub fn compare(self, a: &Article, b: &Article) -> Ordering {
        let by_title = || a.folded_title_cmp(b);
        let primary = match self {
            SortOrder::Date => dated_first(a, b, |x, y| y.cmp(x)).then_with(by_title),
            SortOrder::Oldest => dated_first(a, b, |x, y| x.cmp(y)).then_with(by_title),
            SortOrder::Title => by_title().then_with(|| dated_first(a, b, |x, y| y.cmp(x))),
        };
        primary.then_with(|| a.id.cmp(&b.id))
    }
}

/// Orders dated articles before undated ones, and dated ones by `by_date`.
fn dated_first(
    a: &Article,
    b: &Article,
    by_date: impl Fn(&chrono::NaiveDate, &chrono::NaiveDate) -> Ordering,
) -> Ordering {
    match (&a.date, &b.date) {
        (Some(x), Some(y)) => by_date(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

impl Article {
    /// Compares titles case-insensitively, then exactly.
    fn folded_title_cmp(&self, other: &Article) -> Ordering {
        let a = self.title.chars().flat_map(char::to_lowercase);
        let b = other.title.chars().flat_map(char::to_lowercase);
        a.cmp(b).then_with(|| self.title.cmp(&other.title))
    }
}

/// Which articles are bookmarked or read, by id: what `is:bookmarked` and
/// `is:read` look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Ids of bookmarked articles.
    pub bookmarked: HashSet<String>,
    /// Ids of read articles.
    pub read: HashSet<String>,
}

/// A file that was skipped or only partly understood while loading. Never
/// fatal: the load goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadWarning {
    /// The file, relative to the articles folder where possible, sanitized.
    pub path: String,
    /// What went wrong, sanitized.
    pub message: String,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A tag or category with the number of articles that carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermCount {
    /// The spelling first seen (in path order).
    pub name: String,
    /// How many articles carry it.
    pub count: usize,
}

/// Every article of a folder, in the default order, with the load's warnings.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// The articles folder.
    pub root: PathBuf,
    /// The articles, newest first (see [`SortOrder::Date`]).
    pub articles: Vec<Article>,
    /// What was skipped while loading, in path order.
    pub warnings: Vec<LoadWarning>,
}

impl Library {
    /// Builds a library: tags and categories that differ only in case take
    /// the spelling first seen in path order, and articles are put in the
    /// default order.
    pub fn new(root: PathBuf, mut articles: Vec<Article>, warnings: Vec<LoadWarning>) -> Library {
        articles.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        unify_spelling(&mut articles, |a| &mut a.tags);
        unify_spelling(&mut articles, |a| &mut a.categories);
        for article in &mut articles {
            article.term_bits = article
                .tags
                .iter()
                .chain(&article.categories)
                .map(|term| crate::article::term_bit_of(term))
                .fold(0, |bits, bit| bits | bit);
        }
        articles.sort_by(|a, b| SortOrder::Date.compare(a, b));
        Library {
            root,
            articles,
            warnings,
        }
    }

    /// The article with this id (exact match).
    pub fn find(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// Indexes of all articles in the given order.
    pub fn order(&self, sort: SortOrder) -> Vec<usize> {
        let mut indexes: Vec<usize> = (0..self.articles.len()).collect();
        if sort != SortOrder::Date {
            indexes.sort_by(|&a, &b| sort.compare(&self.articles[a], &self.articles[b]));
        }
        indexes
    }

    /// Every tag with its article count, most used first, then by name.
    pub fn tag_counts(&self) -> Vec<TermCount> {
        count_terms(self.articles.iter().map(|a| &a.tags))
    }

    /// Every category with its article count, most used first, then by name.
    pub fn category_counts(&self) -> Vec<TermCount> {
        count_terms(self.articles.iter().map(|a| &a.categories))
    }
}

/// Rewrites each term to the spelling of its first occurrence, walking the
/// articles in their current order. Terms are the same when
/// [`fold_term`](crate::article::fold_term) makes them equal, the rule tag
/// filters compare by: by any other rule a filter could miss an article
/// whose spelling was rewritten to one the filter does not take as equal.
fn unify_spelling(articles: &mut [Article], field: impl Fn(&mut Article) -> &mut Vec<String>) {
    let mut first_seen: HashMap<String, String> = HashMap::new();
    for article in articles.iter_mut() {
        let terms = field(article);
        let mut rewritten = false;
        for term in terms.iter_mut() {
            let key = crate::article::fold_term(term);
            match first_seen.get(&key) {
                Some(spelling) if spelling != term => {
                    term.clone_from(spelling);
                    rewritten = true;
                }
                Some(_) => {}
                None => {
                    first_seen.insert(key, term.clone());
                }
            }
        }
        // A file drops repeated terms by `str::to_lowercase`, which tells a
        // final `ς` from `σ`: two of its terms may be one term here, and an
        // article counts once per term. Only a rewrite can make a repeat.
        if rewritten {
            let mut kept = 0;
            for at in 0..terms.len() {
                if !terms[..kept].contains(&terms[at]) {
                    terms.swap(kept, at);
                    kept += 1;
                }
            }
            terms.truncate(kept);
        }
    }
}

/// Counts terms over articles; the terms' spelling is already unified.
fn count_terms<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<TermCount> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for list in lists {
        for term in list {
            *counts.entry(term.as_str()).or_default() += 1;
        }
    }
    let mut terms: Vec<TermCount> = counts
        .into_iter()
        .map(|(name, count)| TermCount {
            name: name.to_string(),
            count,
        })
        .collect();
    terms.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    terms
}
