//! The loaded folder of articles: ordering, lookup by position and id, the
//! articles' texts, filtering, tag and category counts.
//!
//! [`scan()`] walks a folder and lists its article files, each once, with
//! what tells whether they changed; [`load`](load()) reads the files it
//! finds in parallel into a [`Library`]; [`query`] parses
//! the query language, and [`Library::matching`] evaluates it over the
//! library. The reader and the commands reach articles only through
//! [`Library`]'s methods.

mod build;
pub mod cache;
mod catalog;
pub mod index;
pub mod load;
mod loaded;
pub mod open;
mod parallel;
pub mod query;
pub mod refresh;
pub mod scan;
pub mod short_id;
pub mod stored;
mod texts;
pub mod vouch;
pub mod watch;

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::article::{Article, Clock, when};

pub use cache::SummaryRow;
pub use catalog::{Library, NOT_COUNTED};
pub use loaded::Loaded;
pub use texts::{Searched, Texts};

pub use load::{LoadError, LoadOptions, LoadProgress, load, load_with_progress};
pub use scan::{Scan, ScannedFile, ScannedFolder, StatKey, scan};
pub use short_id::ShortIds;

/// How a list of articles is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Newest first (also `newest`): by date and time, then title;
    /// undated last, by path
    #[default]
    #[serde(alias = "newest")]
    #[value(alias = "newest")]
    Date,
    /// Oldest first: by date and time, then title; undated last, by path
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

    /// The order named `name` in the config or on the command line: its
    /// [`name`](SortOrder::name), or `newest` for `date` as the reader calls
    /// it.
    pub fn from_name(name: &str) -> Option<SortOrder> {
        match name {
            "newest" => Some(SortOrder::Date),
            name => SortOrder::ALL.into_iter().find(|sort| sort.name() == name),
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

    /// Compares two articles (or cached rows) in this order; ties fall
    /// back to the id so the order is total and stable across runs.
    ///
    /// Dated articles compare by their instant, so three of one day at
    /// 14:00Z, 08:30+02:00 and 20:00-05:00 come in the order they happened
    /// (a date without a time counts as the start of its day in UTC).
    /// Undated articles a feed wrote compare by when they arrived (the
    /// front matter's `arrived`: a fetch's items in the feed's order, a
    /// later fetch's after them), as dated ones by their instant, so they
    /// keep their places from fetch to fetch; they come before the other
    /// undated articles, which compare by id alone (their path), the same
    /// on every run.
    pub fn compare<T: Listed + ?Sized>(self, a: &T, b: &T) -> Ordering {
        let by_title = || folded_title_cmp(a.title(), b.title());
        let primary = match self {
            SortOrder::Date => dated_first(a, b, |x, y| y.cmp(x), by_title),
            SortOrder::Oldest => dated_first(a, b, |x, y| x.cmp(y), by_title),
            SortOrder::Title => {
                by_title().then_with(|| dated_first(a, b, |x, y| y.cmp(x), || Ordering::Equal))
            }
        };
        primary.then_with(|| a.id().cmp(b.id()))
    }
}

/// A column of the reader's list: what it shows of each article, besides
/// the unread and bookmark marks. Chosen and ordered by the
/// `list_columns` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListColumn {
    /// The date, as `date_format` writes it; blank for undated articles.
    Date,
    /// The title.
    Title,
    /// The tags, comma-separated.
    Tags,
    /// The categories (a feed's name for its articles), comma-separated.
    Categories,
}

impl ListColumn {
    /// Every column, in the default order.
    pub const ALL: [ListColumn; 4] = [
        ListColumn::Date,
        ListColumn::Title,
        ListColumn::Tags,
        ListColumn::Categories,
    ];

    /// The columns shown when the config chooses none.
    pub const DEFAULT: [ListColumn; 3] = [ListColumn::Date, ListColumn::Title, ListColumn::Tags];

    /// The column's name as written in the config file.
    pub fn name(self) -> &'static str {
        match self {
            ListColumn::Date => "date",
            ListColumn::Title => "title",
            ListColumn::Tags => "tags",
            ListColumn::Categories => "categories",
        }
    }
}

/// What the list's orders look at: an article's id, title and date. A
/// trait so that parsed articles and the rows of a cache file sort by the
/// same code.
pub trait Listed {
    /// The article's id.
    fn id(&self) -> &str;
    /// The title.
    fn title(&self) -> &str;
    /// The date, if any.
    fn date(&self) -> Option<chrono::NaiveDate>;
    /// The time of day and offset beside the date, if any.
    fn clock(&self) -> Option<Clock>;
    /// When a feed first wrote the article (nanoseconds since the Unix
    /// epoch), if one did: the order of undated articles.
    fn arrived(&self) -> Option<i64>;
    /// The instant the list sorts by (seconds since the Unix epoch), for a
    /// dated article.
    fn instant(&self) -> Option<i64> {
        self.date().map(|date| when::instant(date, self.clock()))
    }
}

impl Listed for Article {
    fn id(&self) -> &str {
        &self.id
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn date(&self) -> Option<chrono::NaiveDate> {
        self.date
    }
    fn clock(&self) -> Option<Clock> {
        self.clock
    }
    fn arrived(&self) -> Option<i64> {
        self.arrived
    }
}

impl Listed for SummaryRow<'_> {
    fn id(&self) -> &str {
        SummaryRow::id(self)
    }
    fn title(&self) -> &str {
        SummaryRow::title(self)
    }
    fn date(&self) -> Option<chrono::NaiveDate> {
        SummaryRow::date(self)
    }
    fn clock(&self) -> Option<Clock> {
        SummaryRow::clock(self)
    }
    fn arrived(&self) -> Option<i64> {
        SummaryRow::arrived(self)
    }
}

/// Orders dated articles before undated ones, dated ones by `by_instant`
/// and then `then`; undated ones a feed wrote before the others, by
/// `by_instant` of their arrivals (two undated articles no feed wrote are
/// equal here).
fn dated_first<T: Listed + ?Sized>(
    a: &T,
    b: &T,
    by_instant: impl Fn(&i64, &i64) -> Ordering,
    then: impl FnOnce() -> Ordering,
) -> Ordering {
    match (a.instant(), b.instant()) {
        (Some(x), Some(y)) => by_instant(&x, &y).then_with(then),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => match (a.arrived(), b.arrived()) {
            (Some(x), Some(y)) => by_instant(&x, &y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}

/// Compares titles case-insensitively, then exactly.
fn folded_title_cmp(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
        .then_with(|| a.cmp(b))
}

/// Which articles are bookmarked or read, by id: what `is:bookmarked` and
/// `is:read` look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Ids of bookmarked articles.
    pub bookmarked: HashSet<String>,
    /// Ids of read articles.
    pub read: HashSet<String>,
    /// The person's own tags, by id (beside the tags the articles carry).
    pub tags: HashMap<String, Vec<String>>,
    /// The notes of bookmarks that have one, by id.
    pub notes: HashMap<String, String>,
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
