//! The loaded folder of articles: ordering, lookup by position and id, the
//! articles' texts, filtering, tag and category counts.
//!
//! [`scan()`] walks a folder and lists its article files, each once, with
//! what tells whether they changed; [`load`](load()) reads the files it
//! finds in parallel into a [`Library`]; [`query`] parses
//! the query language, and [`Library::matching`] evaluates it over the
//! library. The reader and the commands reach articles only through
//! [`Library`]'s methods.

pub mod cache;
pub mod load;
pub mod query;
pub mod scan;
pub mod watch;

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::article::{Article, Block};
use query::Query;

pub use load::{LoadError, LoadOptions, LoadProgress, load, load_with_progress};
pub use scan::{Scan, ScannedFile, ScannedFolder, StatKey, scan};

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
    /// Every order, in the cycle's order.
    pub const ALL: [SortOrder; 3] = [SortOrder::Date, SortOrder::Oldest, SortOrder::Title];

    /// How the order is named to people: the list's header and the
    /// reader's messages.
    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Date => "newest first",
            SortOrder::Oldest => "oldest first",
            SortOrder::Title => "by title",
        }
    }

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
pub(crate) struct TermCount {
    /// The spelling first seen (in path order).
    pub name: String,
    /// How many articles carry it.
    pub count: usize,
}

/// From this many candidates on, [`Library::filter`] splits the work over
/// the cores: below it, starting threads costs more than it saves.
const PARALLEL_FILTER_FROM: usize = 20_000;

/// The text of an article: its body and the link targets the body numbers.
/// Kept apart from the article's head ([`Library::get`]) so that a library
/// can hold what the list shows at hand and serve texts from elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Body<'a> {
    /// The body, block by block; empty when only summaries were loaded.
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

/// Every article of a folder, in the default order, with the load's warnings.
///
/// Articles are reached by their position in the default order
/// ([`SortOrder::Date`]) or by id; the fields stay private so that how the
/// articles are kept can change without the reader or the commands noticing.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// The articles folder.
    root: PathBuf,
    /// The articles, newest first (see [`SortOrder::Date`]).
    articles: Vec<Article>,
    /// Positions in `articles` ordered by id (equal ids by position), for
    /// lookups by id without a scan.
    by_id: Vec<usize>,
    /// What was skipped while loading, in path order.
    warnings: Vec<LoadWarning>,
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
        // The articles are in id order now: sorting their ranks by date
        // gives the default order and, inverted, the id index, without a
        // second sort by id.
        let mut by_date: Vec<usize> = (0..articles.len()).collect();
        by_date.sort_by(|&a, &b| SortOrder::Date.compare(&articles[a], &articles[b]));
        let mut by_id = vec![0; by_date.len()];
        for (position, &rank) in by_date.iter().enumerate() {
            by_id[rank] = position;
        }
        // Equal ids (a loaded folder has none) are found first in date order.
        let mut start = 0;
        for end in 1..=articles.len() {
            if articles.get(end).is_none_or(|a| a.id != articles[start].id) {
                by_id[start..end].sort_unstable();
                start = end;
            }
        }
        permute(&mut articles, by_date);
        Library {
            root,
            articles,
            by_id,
            warnings,
        }
    }

    /// The articles folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What was skipped while loading, in path order.
    pub fn warnings(&self) -> &[LoadWarning] {
        &self.warnings
    }

    /// How many articles there are.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Whether there are no articles.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The article at `position` in the default order, if there is one.
    pub fn get(&self, position: usize) -> Option<&Article> {
        self.articles.get(position)
    }

    /// Every article, in the default order (positions 0, 1, …).
    pub fn iter(
        &self,
    ) -> impl ExactSizeIterator<Item = &Article> + DoubleEndedIterator + Clone + '_ {
        self.articles.iter()
    }

    /// The text of the article at `position`: what the reader lays out.
    /// Its blocks are empty when the library holds summaries only.
    pub fn body(&self, position: usize) -> Option<Body<'_>> {
        self.articles.get(position).map(|article| Body {
            blocks: &article.blocks,
            links: &article.links,
        })
    }

    /// The article at `position` read again from its file in whole (body,
    /// links, word count), for a library loaded as summaries; files over
    /// `max_size` bytes are refused like at load. `None` when there is no
    /// article at `position`.
    pub(crate) fn read_whole(
        &self,
        position: usize,
        max_size: u64,
    ) -> Option<Result<Article, LoadWarning>> {
        let summary = self.articles.get(position)?;
        Some(load::load_full(&self.root, summary, max_size))
    }

    /// The position of the article with this id (exact match). Ids are
    /// unique in a loaded folder; were they not, the first in date order.
    pub fn position(&self, id: &str) -> Option<usize> {
        let id_at = |position: usize| self.articles.get(position).map(|a| a.id.as_str());
        let rank = self
            .by_id
            .partition_point(|&position| id_at(position).is_some_and(|at| at < id));
        let position = *self.by_id.get(rank)?;
        (id_at(position) == Some(id)).then_some(position)
    }

    /// The article with this id (exact match).
    pub fn find(&self, id: &str) -> Option<&Article> {
        self.position(id)
            .and_then(|position| self.articles.get(position))
    }

    /// Positions of all articles in the given order.
    pub fn order(&self, sort: SortOrder) -> Vec<usize> {
        let mut indexes: Vec<usize> = (0..self.articles.len()).collect();
        if sort != SortOrder::Date {
            indexes.sort_by(|&a, &b| sort.compare(&self.articles[a], &self.articles[b]));
        }
        indexes
    }

    /// The positions in `within` whose article passes `keep`, in the order
    /// of `within`; positions without an article are left out. Long lists
    /// are split over the cores, since a text search reads every body. A
    /// panic in `keep` goes on in the calling thread.
    pub fn filter(&self, within: &[usize], keep: impl Fn(&Article) -> bool + Sync) -> Vec<usize> {
        let keep_part = |part: &[usize]| -> Vec<usize> {
            part.iter()
                .copied()
                .filter(|&position| self.articles.get(position).is_some_and(&keep))
                .collect()
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if within.len() < PARALLEL_FILTER_FROM || threads < 2 {
            return keep_part(within);
        }
        let chunk = within.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = within
                .chunks(chunk)
                .map(|part| scope.spawn(move || keep_part(part)))
                .collect();
            let mut out = Vec::new();
            for part in parts {
                match part.join() {
                    Ok(found) => out.extend(found),
                    // A panic in `keep` is a bug of the caller: carry it on
                    // as if `keep` had run on the caller's thread (the
                    // reader then ends cleanly, like on any panic).
                    Err(payload) => std::panic::resume_unwind(payload),
                }
            }
            out
        })
    }

    /// The positions in `within` whose article matches `query`, given
    /// which articles are bookmarked and read, in the order of `within`.
    pub fn matching(&self, query: &Query, marks: &Marks, within: &[usize]) -> Vec<usize> {
        self.filter(within, |article| query.matches(article, marks))
    }

    /// Every tag with its article count, most used first, then by name.
    pub(crate) fn tag_counts(&self) -> Vec<TermCount> {
        count_terms(self.articles.iter().map(|a| &a.tags))
    }

    /// Every category with its article count, most used first, then by name.
    pub(crate) fn category_counts(&self) -> Vec<TermCount> {
        count_terms(self.articles.iter().map(|a| &a.categories))
    }
}

/// Reorders `items` so that position `p` holds what was at `from[p]`
/// (`from` is a permutation), in place: articles are large, and a second
/// list of them would double the memory a big folder needs at load.
fn permute<T>(items: &mut [T], mut from: Vec<usize>) {
    for start in 0..items.len() {
        // Follow the cycle through `start`, swapping each item into its
        // place; a slot that is done points at itself.
        let mut at = start;
        loop {
            let next = from[at];
            from[at] = at;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
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
        // The parser drops repeated terms by the same rule, but an article
        // made elsewhere may repeat one in two spellings: rewritten to one,
        // they would count twice. Only a rewrite can make a repeat.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;

    /// An article `id` dated `date` (`YYYY-MM-DD`), tagged `tag`.
    fn article(id: &str, date: &str, tag: &str) -> Article {
        let text = format!(" date {date} | Tagged: {tag}\n\nTitle of {id}\n\nThe body of {id}.\n");
        match Article::from_bytes(
            id.to_string(),
            PathBuf::from(id),
            text.as_bytes(),
            Format::Plain,
        ) {
            Ok(article) => article,
            Err(rejected) => panic!("{id} rejected: {rejected}"),
        }
    }

    fn library(articles: Vec<Article>) -> Library {
        Library::new(PathBuf::from("/articles"), articles, Vec::new())
    }

    fn ids(library: &Library) -> Vec<&str> {
        library.iter().map(|a| a.id.as_str()).collect()
    }

    #[test]
    fn positions_follow_the_date_order_and_ids_find_them() {
        let library = library(vec![
            article("b.txt", "2024-01-02", "x"),
            article("c.txt", "2024-01-03", "y"),
            article("a.txt", "2024-01-01", "x"),
            article("d.txt", "2023-12-31", "y"),
        ]);
        assert_eq!(ids(&library), ["c.txt", "b.txt", "a.txt", "d.txt"]);
        assert_eq!(library.len(), 4);
        assert!(!library.is_empty());
        for (position, article) in library.iter().enumerate() {
            assert_eq!(library.position(&article.id), Some(position));
            assert_eq!(library.find(&article.id), Some(article));
            assert_eq!(library.get(position), Some(article));
        }
        assert_eq!(library.position("e.txt"), None);
        assert_eq!(library.position("0.txt"), None);
        assert_eq!(library.position("b"), None, "only whole ids match");
        assert_eq!(library.get(4), None);
        assert_eq!(library.body(4), None);
        assert_eq!(library.root(), Path::new("/articles"));
        assert!(library.warnings().is_empty());
    }

    #[test]
    fn the_order_is_the_date_comparison_and_every_id_finds_its_place() {
        // Ids, dates and titles in a scrambled order, some dates shared.
        let articles: Vec<Article> = (0..97_usize)
            .map(|n| {
                let scrambled = n * 37 % 97;
                let day = 1 + scrambled % 5;
                article(
                    &format!("{scrambled:03}.txt"),
                    &format!("2024-01-0{day}"),
                    "x",
                )
            })
            .collect();
        let mut expected = articles.clone();
        expected.sort_by(|a, b| SortOrder::Date.compare(a, b));
        let library = library(articles);
        // (Compared by id: the library also fills in the term filter.)
        let expected_ids: Vec<&str> = expected.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids(&library), expected_ids);
        for (position, article) in expected.iter().enumerate() {
            assert_eq!(library.position(&article.id), Some(position));
        }
    }

    #[test]
    fn an_empty_library_has_nothing_at_any_position() {
        let library = Library::default();
        assert!(library.is_empty());
        assert_eq!(library.get(0), None);
        assert_eq!(library.position(""), None);
        assert_eq!(library.order(SortOrder::Title), Vec::<usize>::new());
        assert_eq!(library.filter(&[0, 1], |_| true), Vec::<usize>::new());
    }

    #[test]
    fn a_repeated_id_is_found_first_in_date_order() {
        let library = library(vec![
            article("same.txt", "2020-01-01", "old"),
            article("other.txt", "2022-01-01", "x"),
            article("same.txt", "2024-01-01", "new"),
        ]);
        assert_eq!(library.position("same.txt"), Some(0));
        assert_eq!(
            library.find("same.txt").map(|a| a.tags.clone()),
            Some(vec!["new".to_string()])
        );
    }

    #[test]
    fn the_body_is_the_articles_blocks_and_links() {
        let library = library(vec![article("a.txt", "2024-01-01", "x")]);
        let Some(body) = library.body(0) else {
            panic!("no body at 0");
        };
        assert_eq!(
            library.get(0).map(|a| a.blocks.as_slice()),
            Some(body.blocks)
        );
        assert_eq!(body.text_bytes(), "The body of a.txt.".len());
    }

    #[test]
    fn filtering_keeps_the_given_order_and_skips_unknown_positions() {
        let library = library(vec![
            article("a.txt", "2024-01-01", "x"),
            article("b.txt", "2024-01-02", "y"),
            article("c.txt", "2024-01-03", "x"),
        ]);
        let tagged_x = |a: &Article| a.tags.iter().any(|t| t == "x");
        assert_eq!(library.filter(&[2, 9, 1, 0], tagged_x), [2, 0]);
        let Ok(query) = query::parse("tag:y or c") else {
            panic!("the query parses");
        };
        let all = library.order(SortOrder::Oldest);
        assert_eq!(library.matching(&query, &Marks::default(), &all), [1, 0]);
    }

    #[test]
    fn a_long_list_is_filtered_in_parts_to_the_same_result() {
        let count = PARALLEL_FILTER_FROM + 1_001;
        let articles = (0..count)
            .map(|n| {
                let mut copy = article("a.txt", "2024-01-01", "x");
                copy.id = format!("{n:06}.txt");
                copy
            })
            .collect();
        let library = library(articles);
        let within: Vec<usize> = (0..count).rev().collect();
        let odd = library.filter(&within, |a| a.id.as_bytes()[5] % 2 == 1);
        let by_hand: Vec<usize> = within
            .iter()
            .copied()
            .filter(|&p| library.get(p).is_some_and(|a| a.id.as_bytes()[5] % 2 == 1))
            .collect();
        assert_eq!(odd, by_hand);
        assert_eq!(odd.len(), count / 2);
        // A panic in one part reaches the caller with its own message.
        let caught = std::panic::catch_unwind(|| {
            library.filter(&within, |a| {
                assert_ne!(a.id, "000123.txt", "the filter failed");
                true
            })
        });
        let message = caught
            .err()
            .and_then(|payload| payload.downcast::<String>().ok())
            .map(|text| *text);
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.contains("the filter failed")),
            "{message:?}"
        );
    }
}
