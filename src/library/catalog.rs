//! [`Library`]: every article of a folder, as rows of the cache's own
//! formats: a base (mapped from the on-disk cache, or built by a load) and
//! the changes since (articles new or changed while the reader runs, built
//! in memory and small), so that following a live folder never copies the
//! whole base.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::build;
use super::cache::{Candidates, SummaryFile, SummaryRow, WORD_BLOCK, WordIndex};
use super::query::{Query, TextPlan};
use super::texts::{Known, Searched, Texts};
use super::{LoadWarning, Loaded, Marks, SortOrder, StatKey, TermCount, load};
use crate::article::Article;

/// From this many candidates on, a filter ([`Library::matching_by`]) splits the work over
/// the cores: below it, starting threads costs more than it saves.
const PARALLEL_FILTER_FROM: usize = 20_000;

/// The shortest word or phrase (in bytes) worth asking the word index
/// about.
const MIN_INDEXED_QUERY: usize = 3;

/// Positions a filter goes through between two looks at whether to stop.
const STOP_EVERY: usize = 2_048;

/// One set of rows with their search texts and word index.
#[derive(Debug, Clone)]
struct Part {
    /// The rows, newest first (see [`SortOrder::Date`]).
    rows: Arc<SummaryFile>,
    /// The search texts, one per row; `None` when only summaries were
    /// loaded.
    texts: Option<Arc<Texts>>,
    /// The word index over the texts, when the cache has one; it may be
    /// attached after the library is in use ([`Library::attach_words`]),
    /// which every clone then sees.
    words: Arc<OnceLock<WordIndex>>,
}

impl Part {
    fn empty() -> Part {
        Part {
            rows: Arc::new(SummaryFile::empty()),
            texts: None,
            words: Arc::new(OnceLock::new()),
        }
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    /// The word index's number of the article at `at` (its text's number
    /// in `texts.bin`, which need not be its row's); `None` past the end.
    fn record(&self, at: usize) -> Option<usize> {
        match &self.texts {
            Some(texts) => texts.record(at),
            None => (at < self.len()).then_some(at),
        }
    }

    /// The number of articles the word index numbers: the texts written.
    fn records(&self) -> usize {
        self.texts
            .as_ref()
            .map_or(self.len(), |texts| texts.records())
    }
}

/// The word count of an article whose words were not counted yet (a load
/// leaves counting to [`Library::words`], from the search text).
pub const NOT_COUNTED: u32 = u32::MAX;

/// Every article of a folder, with the load's warnings.
///
/// The list's fields live in the rows of a `summaries.bin`
/// ([`SummaryFile`]) and the search texts in a `texts.bin`
/// ([`Texts`]): mapped from the on-disk cache, or built in memory by a
/// load. Bodies are read from the article files when asked
/// ([`Library::read_whole`]). Articles are reached by position or by id;
/// positions `0..base` are the base's rows and the changes' follow, and a
/// position whose article went away holds none ([`Library::get`] says
/// `None`), so positions stay valid until the library is replaced.
/// [`Library::order`] gives the live positions in a list order. Cloning
/// shares the files.
#[derive(Debug, Clone)]
pub struct Library {
    /// The articles folder.
    root: PathBuf,
    /// The rows the library started from.
    base: Part,
    /// Articles new or changed since the base was made, in the default
    /// order, at positions `base.len()..`.
    changes: Part,
    /// For each base position, whether its article went away or changed
    /// (its new version is among the changes); empty when none did.
    replaced: Arc<Vec<bool>>,
    /// How many base positions are replaced.
    replaced_count: usize,
    /// The base's positions ordered by id (equal ids in default order),
    /// for lookups by id without a scan; built on the first lookup and
    /// shared with the libraries made from this one with changes.
    by_id: Arc<OnceLock<Vec<u32>>>,
    /// The same for the changes.
    changes_by_id: Arc<OnceLock<Vec<u32>>>,
    /// The base's numbered ids ([`Library::numbered_ids`]), found once.
    numbered: Arc<OnceLock<Vec<String>>>,
    /// What was skipped while loading, in path order.
    warnings: Vec<LoadWarning>,
    /// When a check of the whole folder last found every base article
    /// settled and unchanged (0 when none has): from then on the base
    /// stands as if read then.
    base_checked_ns: i64,
}

impl Default for Library {
    fn default() -> Self {
        Library::from_files(PathBuf::new(), SummaryFile::empty(), None, None, Vec::new())
    }
}

impl Library {
    /// Builds a library of articles made in memory (tests, benches): as
    /// [`Library::build`] with their texts, word counts counted here and
    /// no stat keys.
    pub fn new(root: PathBuf, articles: Vec<Article>, warnings: Vec<LoadWarning>) -> Library {
        let loaded = articles
            .into_iter()
            .map(|article| {
                let words = u32::try_from(article.words()).unwrap_or(NOT_COUNTED - 1);
                Loaded::new(&root, article, StatKey::default(), words)
            })
            .collect();
        Library::build(root, loaded, warnings, true, 0)
    }

    /// Builds a library from loaded articles: tags and categories that
    /// differ only in case take the spelling first seen in path order, the
    /// articles are put in the default order and encoded as the cache's
    /// rows (and, with `with_texts`, search texts) in memory. `scanned_ns`
    /// is when the scan that found them started (nanoseconds since the
    /// epoch, 0 when unknown): a cache written from the library records it
    /// for the next check of the folder.
    pub fn build(
        root: PathBuf,
        loaded: Vec<Loaded>,
        mut warnings: Vec<LoadWarning>,
        with_texts: bool,
        scanned_ns: i64,
    ) -> Library {
        let built = build::encode_library(
            &root,
            loaded,
            with_texts,
            scanned_ns,
            Vec::new(),
            &mut warnings,
        );
        Library::from_files(
            root,
            built.rows,
            built.texts.map(Texts::in_memory),
            None,
            warnings,
        )
    }

    /// A library over checked cache files (mapped or in memory).
    pub fn from_files(
        root: PathBuf,
        rows: SummaryFile,
        texts: Option<Texts>,
        words: Option<WordIndex>,
        warnings: Vec<LoadWarning>,
    ) -> Library {
        Library {
            root,
            base: Part {
                rows: Arc::new(rows),
                texts: texts.map(Arc::new),
                words: Arc::new(words.map(OnceLock::from).unwrap_or_default()),
            },
            changes: Part::empty(),
            replaced: Arc::new(Vec::new()),
            replaced_count: 0,
            by_id: Arc::new(OnceLock::new()),
            changes_by_id: Arc::new(OnceLock::new()),
            numbered: Arc::new(OnceLock::new()),
            warnings,
            base_checked_ns: 0,
        }
    }

    /// This library with the articles at `gone` (positions) taken out and
    /// `changed` (new articles, and new versions of those at `gone`) put
    /// in, the base left as it is. `warnings` replace the old ones;
    /// `scanned_ns` is when the check that found the changes started. The
    /// caller sees to it that no tag's spelling changes elsewhere
    /// ([`refresh`](super::refresh) reads the whole folder when it would).
    pub fn with_changes(
        &self,
        changed: Vec<Loaded>,
        gone: &[usize],
        warnings: Vec<LoadWarning>,
        scanned_ns: i64,
    ) -> Library {
        let base_len = self.base.len();
        let mut replaced: Vec<bool> = if self.replaced.is_empty() {
            vec![false; base_len]
        } else {
            self.replaced.as_ref().clone()
        };
        let mut dropped_changes = vec![false; self.changes.len()];
        for &position in gone {
            if position < base_len {
                replaced[position] = true;
            } else if let Some(slot) = dropped_changes.get_mut(position - base_len) {
                *slot = true;
            }
        }
        // The changes so far that stay, read back from their rows, with
        // the new ones: the changes are rebuilt whole (they are few).
        let kept: Vec<usize> = (0..self.changes.len())
            .filter(|&at| !dropped_changes[at])
            .map(|at| base_len + at)
            .collect();
        // Their spellings were unified before: which of them stand for
        // several stays known.
        let varied: Vec<String> = kept
            .iter()
            .filter_map(|&position| self.get(position))
            .flat_map(|row| row.varied_terms(true).chain(row.varied_terms(false)))
            .map(str::to_string)
            .collect();
        let mut loaded: Vec<Loaded> = kept
            .iter()
            .filter_map(|&position| self.loaded_at(position))
            .collect();
        loaded.extend(changed);
        let with_texts = self.has_texts();
        let mut warnings = warnings;
        let built = build::encode_library(
            &self.root,
            loaded,
            with_texts,
            scanned_ns,
            varied,
            &mut warnings,
        );
        let replaced_count = replaced.iter().filter(|&&r| r).count();
        Library {
            root: self.root.clone(),
            base: self.base.clone(),
            changes: Part {
                rows: Arc::new(built.rows),
                texts: built.texts.map(|t| Arc::new(Texts::in_memory(t))),
                words: Arc::new(OnceLock::new()),
            },
            replaced: Arc::new(if replaced_count == 0 {
                Vec::new()
            } else {
                replaced
            }),
            replaced_count,
            // The base is the same: so is its index by id.
            by_id: Arc::clone(&self.by_id),
            changes_by_id: Arc::new(OnceLock::new()),
            numbered: Arc::clone(&self.numbered),
            warnings,
            base_checked_ns: self.base_checked_ns,
        }
    }

    /// Every distinct tag and category spelling the library's files hold
    /// (maybe also of articles that went away), with whether it was
    /// unified from several.
    pub(crate) fn term_spellings(&self) -> impl Iterator<Item = (&str, bool)> {
        self.base
            .rows
            .term_spellings()
            .chain(self.changes.rows.term_spellings())
    }

    /// The article at `position` as a load would give it, without its
    /// body: its row's fields and search text.
    fn loaded_at(&self, position: usize) -> Option<Loaded> {
        let row = self.get(position)?;
        let strings = |terms: &mut dyn Iterator<Item = &str>| terms.map(str::to_string).collect();
        let article = Article {
            id: row.id().to_string(),
            path: self.path(position)?,
            title: row.title().to_string(),
            date: row.date(),
            clock: row.clock(),
            arrived: row.arrived(),
            categories: strings(&mut row.categories()),
            tags: strings(&mut row.tags()),
            author: row.author().map(str::to_string),
            source: row.source().map(str::to_string),
            url: row.url().map(str::to_string),
            blocks: Vec::new(),
            links: Vec::new(),
            enclosures: Vec::new(),
            problems: Vec::new(),
            folded: self.text(position).into_owned(),
            term_bits: row.term_bits(),
        };
        Some(Loaded::new(
            &self.root,
            article,
            row.stat_key(),
            row.words(),
        ))
    }

    /// The same articles with other warnings (those of the load that made
    /// them, for a library opened from the cache just written).
    pub fn with_warnings(mut self, warnings: Vec<LoadWarning>) -> Library {
        self.warnings = warnings;
        self
    }

    /// The header of the base's rows file (the cache write it comes from).
    pub(crate) fn base_header(&self) -> &super::cache::SummaryHeader {
        self.base.rows.header()
    }

    /// The generation of the cache write the base comes from (one built in
    /// memory has one of its own, which no cache file has): tells one
    /// write from another.
    pub fn generation(&self) -> u64 {
        self.base.rows.header().generation
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
        self.base.len() - self.replaced_count + self.changes.len()
    }

    /// Whether there are no articles.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of positions, live or not: every position is below it.
    pub fn slots(&self) -> usize {
        self.base.len() + self.changes.len()
    }

    /// Attaches the base's word index, opened after the library was put to
    /// use (it is only for searches, and opening it checks every byte of
    /// it): searches from then on ask it, in this library and its clones.
    /// Refused (false) when it is of another write than the base, or one is
    /// attached already.
    pub fn attach_words(&self, words: WordIndex) -> bool {
        words.generation() == self.generation() && self.base.words.set(words).is_ok()
    }

    /// Builds what looking an article up by id needs (once, and at once),
    /// so that the first lookup on the UI thread does not pay for it.
    pub fn prepare_lookups(&self) {
        let _ = (self.base_by_id(), self.changes_by_id());
    }

    /// Whether so much changed since the base that a cache written now
    /// saves the next start real work: more than a fiftieth of the
    /// articles, or a thousand. Fewer changes are cheaper to find and read
    /// again than to write every text anew.
    pub fn worth_saving(&self) -> bool {
        let changed = self.changes.len() + self.replaced_count;
        changed > 0 && (changed > 1_000 || changed * 50 > self.len())
    }

    /// Whether the search texts are loaded (a library of summaries only
    /// finds no words).
    pub fn has_texts(&self) -> bool {
        self.base.texts.is_some()
    }

    /// The part holding `position`, and the position within it.
    fn part_of(&self, position: usize) -> Option<(&Part, usize)> {
        let base_len = self.base.len();
        if position < base_len {
            if self.replaced.get(position).copied().unwrap_or(false) {
                return None;
            }
            Some((&self.base, position))
        } else {
            let at = position - base_len;
            (at < self.changes.len()).then_some((&self.changes, at))
        }
    }

    /// The article at `position`, if there is one.
    pub fn get(&self, position: usize) -> Option<SummaryRow<'_>> {
        let (part, at) = self.part_of(position)?;
        part.rows.row(at)
    }

    /// When the oldest of the scans that read the articles started
    /// (nanoseconds since the epoch, 0 when unknown): what a cache written
    /// from the library records, so that the next check reads again every
    /// file that changed within a timestamp's granularity of any of them.
    pub(crate) fn oldest_scan(&self) -> i64 {
        // A base whose every article was replaced read nothing still
        // shown; a base a whole check found settled counts from then, or
        // files written just before a first scan would be read again at
        // every start, their cache never getting newer.
        let base = (self.replaced_count < self.base.len())
            .then(|| self.base.rows.header().scanned_ns.max(self.base_checked_ns));
        let changes = (self.changes.len() > 0).then(|| self.changes.rows.header().scanned_ns);
        base.into_iter().chain(changes).min().unwrap_or(0)
    }

    /// This library, found by a check of the whole folder at `scanned_ns`
    /// to have every base article it keeps settled and unchanged.
    pub(crate) fn checked_at(mut self, scanned_ns: i64) -> Library {
        self.base_checked_ns = self.base_checked_ns.max(scanned_ns);
        self
    }

    /// When the scan that read the article at `position` started
    /// (nanoseconds since the epoch, 0 when unknown).
    pub(crate) fn scanned_ns(&self, position: usize) -> i64 {
        self.part_of(position)
            .map_or(0, |(part, _)| part.rows.header().scanned_ns)
    }

    /// Every article, in the default order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = SummaryRow<'_>> + Clone + '_ {
        let order = self.order(SortOrder::Date);
        (0..order.len())
            .filter_map(move |at| self.get(order[at]))
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// The number of words in the title and body of the article at
    /// `position`: as the cache recorded it, else counted from its search
    /// text (0 when the texts are not loaded).
    pub fn words(&self, position: usize) -> usize {
        match self.get(position).map(|row| row.words()) {
            None => 0,
            Some(NOT_COUNTED) => crate::article::words::count_words(&self.text(position)),
            Some(words) => words as usize,
        }
    }

    /// Where the file of the article at `position` is.
    pub fn path(&self, position: usize) -> Option<PathBuf> {
        let row = self.get(position)?;
        Some(match row.path_bytes() {
            Some(bytes) => {
                use std::os::unix::ffi::OsStrExt;
                self.root.join(std::ffi::OsStr::from_bytes(bytes))
            }
            None => self.root.join(row.id()),
        })
    }

    /// The article at `position` read from its file in whole (body, links,
    /// word count): what the reader shows and `show` prints. Files over
    /// `max_size` bytes are refused like at load. `None` when there is no
    /// article at `position`.
    pub fn read_whole(
        &self,
        position: usize,
        max_size: u64,
    ) -> Option<Result<Article, LoadWarning>> {
        let row = self.get(position)?;
        let path = self.path(position)?;
        Some(load::load_full(&self.root, row.id(), &path, max_size))
    }

    /// The search text of the article at `position`: title and body,
    /// folded; "" when the texts are not loaded. A text in a damaged part
    /// of a cache file is read again from the article's file.
    pub fn text(&self, position: usize) -> Cow<'_, str> {
        let Some((part, at)) = self.part_of(position) else {
            return Cow::Borrowed("");
        };
        match &part.texts {
            None => Cow::Borrowed(""),
            Some(texts) => texts.text(at, || {
                self.read_whole(position, u64::MAX)
                    .and_then(Result::ok)
                    .map(|article| article.folded)
                    .unwrap_or_default()
            }),
        }
    }

    /// Whether a search found part of the cache's texts damaged (and read
    /// those articles from their files instead): the cache should be
    /// rebuilt.
    pub fn texts_damaged(&self) -> bool {
        self.base
            .texts
            .as_ref()
            .is_some_and(|texts| texts.damaged())
    }

    /// The base's positions ordered by id (replaced ones too), built once
    /// and shared by every library made from this one with changes.
    fn base_by_id(&self) -> &[u32] {
        self.by_id.get_or_init(|| ids_in_order(&self.base.rows, 0))
    }

    /// Whether some live article's id starts with `prefix` (found through
    /// the index by id, without a scan).
    pub(crate) fn has_id_starting_with(&self, prefix: &str) -> bool {
        let prefix = prefix.as_bytes();
        [self.base_by_id(), self.changes_by_id()]
            .iter()
            .any(|by_id| {
                self.live_in_id_order(by_id, prefix, |id| id.starts_with(prefix))
                    .next()
                    .is_some()
            })
    }

    /// The live positions of `by_id` (positions in id order) from the
    /// first whose id is not below `from`, as long as their ids pass
    /// `keep_going`.
    fn live_in_id_order<'s>(
        &'s self,
        by_id: &'s [u32],
        from: &[u8],
        keep_going: impl Fn(&[u8]) -> bool + 's,
    ) -> impl Iterator<Item = usize> + 's {
        let id_at = |position: u32| self.row_id_bytes(position as usize);
        let start = by_id.partition_point(|&position| id_at(position) < Some(from));
        by_id
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(move |&&position| id_at(position).is_some_and(&keep_going))
            .map(|&position| position as usize)
            .filter(|&position| self.get(position).is_some())
    }

    /// The ids of the articles numbered apart from another whose name
    /// reads the same (`a.txt~2`: their id is not their path), without
    /// the number; the base's found once and shared like the index by id.
    pub(crate) fn numbered_ids(&self) -> HashSet<String> {
        let base = self.numbered.get_or_init(|| numbered_in(&self.base.rows));
        let mut all: HashSet<String> = base.iter().cloned().collect();
        all.extend(numbered_in(&self.changes.rows));
        all
    }

    /// The position of the article with this id, as [`Library::position`]
    /// finds it, but only when the lookup by id is built already: `None`
    /// (not known) rather than building it. The lookup of a million ids
    /// takes half a second to build, done by the loader after the list is
    /// shown; the UI thread must not build it, nor wait for it, while the
    /// person types.
    pub fn position_if_ready(&self, id: &str) -> Option<Option<usize>> {
        if self.by_id.get().is_none() || self.changes_by_id.get().is_none() {
            return None;
        }
        Some(self.position(id))
    }

    /// The changes' positions ordered by id (few), built once.
    fn changes_by_id(&self) -> &[u32] {
        self.changes_by_id
            .get_or_init(|| ids_in_order(&self.changes.rows, self.base.len()))
    }

    /// The position of the article with this id (exact match). Ids are
    /// unique in a loaded folder; were they not, the first in date order.
    pub fn position(&self, id: &str) -> Option<usize> {
        let id = id.as_bytes();
        let found_in = |by_id: &[u32]| self.live_in_id_order(by_id, id, |at| at == id).next();
        let in_base = found_in(self.base_by_id());
        let in_changes = found_in(self.changes_by_id());
        match (in_base, in_changes) {
            (Some(base), Some(change)) => {
                // Both (only in libraries made by hand): the first in date
                // order.
                let (a, b) = (self.get(base), self.get(change));
                match (a, b) {
                    (Some(a), Some(b)) if SortOrder::Date.compare(&b, &a).is_lt() => Some(change),
                    _ => Some(base),
                }
            }
            (base, change) => base.or(change),
        }
    }

    /// The id bytes of the row at `position`, live or replaced.
    fn row_id_bytes(&self, position: usize) -> Option<&[u8]> {
        let base_len = self.base.len();
        if position < base_len {
            self.base.rows.row(position).map(|row| row.id_bytes())
        } else {
            self.changes
                .rows
                .row(position - base_len)
                .map(|row| row.id_bytes())
        }
    }

    /// The article with this id (exact match).
    pub fn find(&self, id: &str) -> Option<SummaryRow<'_>> {
        self.position(id).and_then(|position| self.get(position))
    }

    /// Positions of all articles in the given order.
    pub fn order(&self, sort: SortOrder) -> Vec<usize> {
        let base_len = self.base.len();
        let live_base = (0..base_len).filter(|&p| !self.replaced.get(p).copied().unwrap_or(false));
        let mut positions: Vec<usize> = if self.changes.len() == 0 {
            live_base.collect()
        } else {
            // Both parts are in the default order: merge them.
            let changes = base_len..base_len + self.changes.len();
            merge(live_base, changes, |&a, &b| {
                match (self.get(a), self.get(b)) {
                    (Some(a), Some(b)) => SortOrder::Date.compare(&a, &b).is_le(),
                    _ => true,
                }
            })
        };
        if sort != SortOrder::Date {
            let rows: HashMap<usize, SummaryRow<'_>> = positions
                .iter()
                .filter_map(|&p| Some((p, self.get(p)?)))
                .collect();
            positions.sort_by(|a, b| match (rows.get(a), rows.get(b)) {
                (Some(a), Some(b)) => sort.compare(a, b),
                _ => a.cmp(b),
            });
        }
        positions
    }

    /// The positions in `within` that pass `keep`, in the order of
    /// `within`; `None` when `stop` said to stop (it is asked every few
    /// thousand positions). Long lists are split over the cores, since a
    /// text search reads every text. A panic in `keep` goes on in the
    /// calling thread.
    fn filter_positions(
        &self,
        within: &[usize],
        stop: &(dyn Fn() -> bool + Sync),
        keep: impl Fn(usize) -> bool + Sync,
    ) -> Option<Vec<usize>> {
        let keep_part = |part: &[usize]| -> Option<Vec<usize>> {
            let mut kept = Vec::new();
            for chunk in part.chunks(STOP_EVERY) {
                if stop() {
                    return None;
                }
                kept.extend(chunk.iter().copied().filter(|&position| keep(position)));
            }
            Some(kept)
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
            let mut out = Some(Vec::new());
            for part in parts {
                match part.join() {
                    Ok(found) => match (&mut out, found) {
                        (Some(out), Some(found)) => out.extend(found),
                        _ => out = None,
                    },
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
        self.matching_by(within, &[query], |searched| query.matches(searched, marks))
    }

    /// The positions in `within` whose article passes `keep`, in the order
    /// of `within`: [`Library::matching`] for a test made of `queries` and
    /// more. Only when one of the queries has words is the search text
    /// read (else `keep` gets ""), and the word index (when the cache has
    /// one) skips base articles that lack a word every match needs.
    pub fn matching_by(
        &self,
        within: &[usize],
        queries: &[&Query],
        keep: impl Fn(&Searched<'_>) -> bool + Sync,
    ) -> Vec<usize> {
        self.matching_until(within, queries, &|| false, keep)
            .unwrap_or_default()
    }

    /// [`Library::matching_by`] that gives up (`None`) as soon as `stop`
    /// says to, for a search a newer keystroke replaced.
    pub fn matching_until(
        &self,
        within: &[usize],
        queries: &[&Query],
        stop: &(dyn Fn() -> bool + Sync),
        keep: impl Fn(&Searched<'_>) -> bool + Sync,
    ) -> Option<Vec<usize>> {
        let test = self.tester(queries);
        self.filter_positions(within, stop, |position| test.passes(position, &keep))
    }

    /// The first `limit` positions of `within`, in its order, whose article
    /// passes `keep`, as [`Library::matching_by`] would find them, looking
    /// at no more than the first `budget` positions: what a search shows at
    /// once while the rest is counted (a rare word may show fewer, or none,
    /// until then).
    pub fn first_matching(
        &self,
        within: &[usize],
        queries: &[&Query],
        limit: usize,
        budget: usize,
        keep: impl Fn(&Searched<'_>) -> bool,
    ) -> Vec<usize> {
        let test = self.tester(queries);
        within
            .iter()
            .take(budget)
            .copied()
            .filter(|&position| test.passes(position, &keep))
            .take(limit)
            .collect()
    }

    /// What a search over `queries` needs to test an article: whether to
    /// read its text, and which blocks of the base the word index leaves
    /// to read (for words and phrases under `and` and `or`).
    fn tester<'q>(&self, queries: &[&'q Query]) -> Tester<'_, 'q> {
        let needs_text = queries.iter().any(|query| query.needs_text());
        let plan = TextPlan::all_of(queries.iter().map(|q| q.text_plan()).collect());
        let tester = Tester {
            library: self,
            needs_text,
            plan: needs_text.then_some(plan),
            blocks: OnceLock::new(),
            needles: queries.iter().flat_map(|query| query.needles()).collect(),
            known: OnceLock::new(),
        };
        tester.blocks();
        tester
    }

    /// How many articles this library has that `old` lacks, and how many
    /// of `old`'s it lacks, by id: the status line's `+3 new · 1 gone`.
    /// Made from `old` with changes (the same base), only the changes are
    /// looked at, so a new file in a folder of a million costs little.
    pub fn arrivals_since(&self, old: &Library) -> (usize, usize) {
        let only_in = |a: &Library, b: &Library, positions: &mut dyn Iterator<Item = usize>| {
            positions
                .filter_map(|position| a.get(position))
                .filter(|row| b.position(row.id()).is_none())
                .count()
        };
        if !Arc::ptr_eq(&self.base.rows, &old.base.rows) {
            return (
                only_in(self, old, &mut (0..self.slots())),
                only_in(old, self, &mut (0..old.slots())),
            );
        }
        let base_len = self.base.len();
        let new = only_in(self, old, &mut (base_len..self.slots()));
        // Gone: old's changes, and base articles replaced since.
        let replaced_since = (0..base_len).filter(|&position| {
            self.replaced.get(position).copied().unwrap_or(false)
                && !old.replaced.get(position).copied().unwrap_or(false)
        });
        let gone = only_in(
            old,
            self,
            &mut (base_len..old.slots()).chain(replaced_since),
        );
        (new, gone)
    }

    /// Every tag with its article count, most used first, then by name.
    pub(crate) fn tag_counts(&self) -> Vec<TermCount> {
        count_terms(self.live_rows().map(|row| row.tags()))
    }

    /// Every category with its article count, most used first, then by name.
    pub(crate) fn category_counts(&self) -> Vec<TermCount> {
        count_terms(self.live_rows().map(|row| row.categories()))
    }

    /// Every article, in no particular order.
    fn live_rows(&self) -> impl Iterator<Item = SummaryRow<'_>> + '_ {
        (0..self.slots()).filter_map(|position| self.get(position))
    }
}

/// The blocks of the base a search must read, one bit each: what the word
/// index leaves of a [`TextPlan`].
struct BlockSet {
    bits: Vec<u64>,
}

impl BlockSet {
    /// The blocks of `blocks` that may hold a text as `plan` says; `None`
    /// when any may (nothing to skip).
    fn of_plan(plan: &TextPlan<'_>, words: &WordIndex, blocks: usize) -> Option<BlockSet> {
        match plan {
            TextPlan::Any => None,
            // A word of one or two letters is in nearly every block:
            // gathering them would cost more than the scan it saves.
            TextPlan::Text(text) if text.len() < MIN_INDEXED_QUERY => None,
            TextPlan::Text(text) => match words.candidate_blocks(text) {
                Candidates::All => None,
                Candidates::Blocks(found) => {
                    let mut set = BlockSet {
                        bits: vec![0; blocks.div_ceil(64)],
                    };
                    for block in found {
                        if let Some(slot) = set.bits.get_mut(block as usize / 64) {
                            *slot |= 1 << (block % 64);
                        }
                    }
                    Some(set)
                }
            },
            TextPlan::AllOf(plans) => {
                let mut known = plans.iter().filter_map(|p| Self::of_plan(p, words, blocks));
                let mut set = known.next()?;
                for other in known {
                    set.bits
                        .iter_mut()
                        .zip(&other.bits)
                        .for_each(|(a, b)| *a &= b);
                }
                Some(set)
            }
            TextPlan::AnyOf(plans) => {
                let mut set = BlockSet {
                    bits: vec![0; blocks.div_ceil(64)],
                };
                for plan in plans {
                    // One part the index cannot narrow: any block may hold
                    // a match.
                    let other = Self::of_plan(plan, words, blocks)?;
                    set.bits
                        .iter_mut()
                        .zip(&other.bits)
                        .for_each(|(a, b)| *a |= b);
                }
                Some(set)
            }
        }
    }

    /// Whether block `block` must be read.
    fn includes(&self, block: usize) -> bool {
        self.bits
            .get(block / 64)
            .is_some_and(|slot| slot & (1 << (block % 64)) != 0)
    }
}

/// How a search tests one article: the word index first (for base
/// articles), then `keep` with the row and, when needed, the text.
struct Tester<'l, 'q> {
    library: &'l Library,
    needs_text: bool,
    /// What the word index may narrow; `None` when no text is read.
    plan: Option<TextPlan<'q>>,
    /// The base's blocks to read (`None` in it: all), once the word index
    /// is there: a count started in the first moments after a start from
    /// the cache, before the loader attached the index, uses it from the
    /// moment it arrives rather than reading every text.
    blocks: OnceLock<Option<BlockSet>>,
    /// Every word and phrase the queries look for.
    needles: Vec<&'q str>,
    /// What the word index answers exactly of them, once it is there.
    known: OnceLock<Known>,
}

impl Tester<'_, '_> {
    /// What the word index answers exactly for base articles, once it is
    /// attached (`None` before, or when no text is looked for). Words of
    /// one or two letters are left to the texts, as in
    /// [`BlockSet::of_plan`].
    fn known(&self) -> Option<&Known> {
        if let Some(known) = self.known.get() {
            return Some(known);
        }
        if !self.needs_text {
            return None;
        }
        let words = self.library.base.words.get()?;
        Some(self.known.get_or_init(|| {
            let mut known = Known::default();
            for &needle in &self.needles {
                if needle.len() < MIN_INDEXED_QUERY || known.sets.iter().any(|(n, _)| n == needle) {
                    continue;
                }
                if let Some(set) = words.exact_articles(needle) {
                    known.sets.push((needle.to_string(), set));
                }
            }
            known.all = self
                .needles
                .iter()
                .all(|needle| known.sets.iter().any(|(n, _)| n == needle));
            known
        }))
    }

    /// The blocks to read, `None` for all (or while the index is not
    /// attached yet).
    fn blocks(&self) -> Option<&BlockSet> {
        if let Some(blocks) = self.blocks.get() {
            return blocks.as_ref();
        }
        let plan = self.plan.as_ref()?;
        let words = self.library.base.words.get()?;
        let blocks = self.library.base.records().div_ceil(WORD_BLOCK);
        self.blocks
            .get_or_init(|| BlockSet::of_plan(plan, words, blocks))
            .as_ref()
    }

    fn passes(&self, position: usize, keep: impl Fn(&Searched<'_>) -> bool) -> bool {
        let library = self.library;
        // A base article's number in the word index.
        let record = (position < library.base.len())
            .then(|| library.base.record(position))
            .flatten();
        if let Some(record) = record
            && let Some(blocks) = self.blocks()
            && !blocks.includes(record / WORD_BLOCK)
        {
            return false;
        }
        let Some(row) = library.get(position) else {
            return false;
        };
        let known = record.and_then(|record| Some((self.known()?, record)));
        let text = if self.needs_text && !known.is_some_and(|(known, _)| known.all) {
            library.text(position)
        } else {
            Cow::Borrowed("")
        };
        keep(&Searched {
            row,
            text: &text,
            known,
        })
    }
}

/// The ids of `rows` numbered apart from another that reads the same
/// (`a.txt~2`), without the number.
fn numbered_in(rows: &SummaryFile) -> Vec<String> {
    rows.rows()
        .filter(|row| row.path_bytes().is_some())
        .filter_map(|row| {
            let (base, n) = row.id().rsplit_once('~')?;
            (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then(|| base.to_string())
        })
        .collect()
}

/// The positions of the rows of `rows` ordered by id (a stable sort, so
/// equal ids keep the default order), each plus `offset`.
fn ids_in_order(rows: &SummaryFile, offset: usize) -> Vec<u32> {
    let mut by_id: Vec<u32> = (0..rows.len())
        .map(|at| u32::try_from(at + offset).unwrap_or(u32::MAX))
        .collect();
    let id_at = |position: u32| {
        rows.row((position as usize).saturating_sub(offset))
            .map_or(&[][..], |row| row.id_bytes())
    };
    by_id.sort_by(|&a, &b| id_at(a).cmp(id_at(b)));
    by_id
}

/// The items of two sorted sequences in one sorted sequence; `first_before`
/// says whether an item of `a` goes before one of `b`.
fn merge(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
    first_before: impl Fn(&usize, &usize) -> bool,
) -> Vec<usize> {
    let mut a = a.peekable();
    let mut b = b.peekable();
    let mut out = Vec::new();
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => first_before(x, y),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        let next = if take_a { a.next() } else { b.next() };
        out.extend(next);
    }
}

/// Counts terms over articles; the terms' spelling is already unified.
fn count_terms<'a, T: Iterator<Item = &'a str>>(lists: impl Iterator<Item = T>) -> Vec<TermCount> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for list in lists {
        for term in list {
            *counts.entry(term).or_default() += 1;
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
    use crate::library::{LoadOptions, load, query};

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
        library.iter().map(|a| a.id()).collect()
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
            assert_eq!(library.position(article.id()), Some(position));
            assert_eq!(
                library.find(article.id()).map(|a| a.id()),
                Some(article.id())
            );
            assert_eq!(
                library.get(position).map(|a| a.title()),
                Some(article.title())
            );
        }
        assert_eq!(library.position("e.txt"), None);
        assert_eq!(library.position("0.txt"), None);
        assert_eq!(library.position("b"), None, "only whole ids match");
        assert!(library.get(4).is_none());
        assert!(library.read_whole(4, u64::MAX).is_none());
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
        assert!(library.get(0).is_none());
        assert_eq!(library.position(""), None);
        assert_eq!(library.order(SortOrder::Title), Vec::<usize>::new());
        assert_eq!(
            library.matching_by(&[0, 1], &[], |_| true),
            Vec::<usize>::new()
        );
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
            library
                .find("same.txt")
                .map(|a| a.tags().collect::<Vec<_>>()),
            Some(vec!["new"])
        );
    }

    #[test]
    fn the_body_is_read_from_the_articles_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let text = " date 2024-01-01\n\nA Title\n\nThe body.\n\nMore body.\n";
        std::fs::write(dir.path().join("a.txt"), text).unwrap_or_else(|e| panic!("{e}"));
        let options = LoadOptions::default();
        let library = load(dir.path(), &options).unwrap_or_else(|e| panic!("{e}"));
        assert!(library.has_texts());
        let Some(Ok(article)) = library.read_whole(0, u64::MAX) else {
            panic!("a.txt was not read");
        };
        assert_eq!(article.id, "a.txt");
        assert_eq!(article.body().text_bytes(), "The body.More body.".len());
        // A load leaves the words to be counted; the count is the file's.
        assert_eq!(library.get(0).map(|row| row.words()), Some(NOT_COUNTED));
        assert_eq!(library.words(0), article.words());
        assert_eq!(library.text(0), "a title\nthe body.\nmore body.");
        // A file gone since the load is a warning, not a panic.
        std::fs::remove_file(dir.path().join("a.txt")).unwrap_or_else(|e| panic!("{e}"));
        let gone = library.read_whole(0, u64::MAX);
        assert!(
            matches!(gone, Some(Err(ref w)) if w.message.contains("vanished")),
            "{gone:?}"
        );
    }

    #[test]
    fn filtering_keeps_the_given_order_and_skips_unknown_positions() {
        let library = library(vec![
            article("a.txt", "2024-01-01", "x"),
            article("b.txt", "2024-01-02", "y"),
            article("c.txt", "2024-01-03", "x"),
        ]);
        let tagged_x = |a: &Searched<'_>| a.row().tags().any(|t| t == "x");
        assert_eq!(library.matching_by(&[2, 9, 1, 0], &[], tagged_x), [2, 0]);
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
        let odd = library.matching_by(&within, &[], |a| a.row().id().as_bytes()[5] % 2 == 1);
        let by_hand: Vec<usize> = within
            .iter()
            .copied()
            .filter(|&p| {
                library
                    .get(p)
                    .is_some_and(|a| a.id().as_bytes()[5] % 2 == 1)
            })
            .collect();
        assert_eq!(odd, by_hand);
        assert_eq!(odd.len(), count / 2);
        // A panic in one part reaches the caller with its own message.
        let caught = std::panic::catch_unwind(|| {
            library.matching_by(&within, &[], |a| {
                assert_ne!(a.row().id(), "000123.txt", "the filter failed");
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

    fn loaded(article: Article) -> Loaded {
        Loaded::new(Path::new("/articles"), article, StatKey::default(), 1)
    }

    #[test]
    fn changes_go_in_without_touching_the_base() {
        let base = library(vec![
            article("a.txt", "2024-01-01", "Netflix"),
            article("b.txt", "2024-01-02", "x"),
            article("c.txt", "2024-01-03", "x"),
        ]);
        assert_eq!(ids(&base), ["c.txt", "b.txt", "a.txt"]);
        let b = base.position("b.txt").unwrap_or(usize::MAX);
        let c = base.position("c.txt").unwrap_or(usize::MAX);
        // b.txt goes, c.txt changes its date, d.txt arrives tagged as
        // a.txt is.
        let changed = vec![
            loaded(article("c.txt", "2023-06-01", "x")),
            loaded(article("d.txt", "2024-02-01", "Netflix")),
        ];
        let next = base.with_changes(changed, &[b, c], Vec::new(), 0);
        assert_eq!(ids(&next), ["d.txt", "a.txt", "c.txt"]);
        assert_eq!(next.len(), 3);
        assert!(next.worth_saving(), "4 changes in 3 articles");
        assert!(next.get(b).is_none() && next.find("b.txt").is_none());
        let d = next.position("d.txt").unwrap_or(usize::MAX);
        assert!(d >= base.len(), "new articles come after the base");
        assert_eq!(
            next.get(d).map(|row| row.tags().collect::<Vec<_>>()),
            Some(vec!["Netflix"])
        );
        assert_eq!(next.text(d), "title of d.txt\nthe body of d.txt.");
        let Ok(query) = query::parse("tag:netflix or \"body of c\"") else {
            panic!("the query parses");
        };
        let all = next.order(SortOrder::Date);
        let found: Vec<&str> = next
            .matching(&query, &Marks::default(), &all)
            .into_iter()
            .filter_map(|p| next.get(p).map(|row| row.id()))
            .collect();
        assert_eq!(found, ["d.txt", "a.txt", "c.txt"]);
        assert_eq!(
            next.tag_counts()
                .first()
                .map(|t| (t.name.as_str(), t.count)),
            Some(("Netflix", 2))
        );
        // A second round drops a change and keeps the rest.
        let again = next.with_changes(Vec::new(), &[d], Vec::new(), 0);
        assert_eq!(ids(&again), ["a.txt", "c.txt"]);
        assert_eq!(base.len(), 3, "the first library is unchanged");
        assert_eq!(ids(&base), ["c.txt", "b.txt", "a.txt"]);
    }
}
