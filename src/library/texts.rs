//! The search texts of a library, checked block by block before a search
//! first trusts them, and what a query is matched against: a row with its
//! text.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use chrono::NaiveDate;

use super::cache::{SummaryRow, TEXT_BLOCK, TextFile};
use super::query::Subject;

/// A block not yet checked against its checksum.
const UNCHECKED: u8 = 0;
/// A block whose bytes match their checksum.
const GOOD: u8 = 1;
/// A block whose bytes do not: its texts are read from the article files.
const DAMAGED: u8 = 2;

/// A library's search texts: a [`TextFile`] (mapped from the cache, or in
/// memory) and what is known of each block's checksum.
#[derive(Debug)]
pub struct Texts {
    file: TextFile,
    /// One state per block of [`TEXT_BLOCK`] texts.
    blocks: Vec<AtomicU8>,
    /// Whether any block was found damaged.
    damaged: AtomicBool,
}

impl Texts {
    /// Texts read from a cache file: each block is checked the first time
    /// a search reads it.
    pub fn mapped(file: TextFile) -> Texts {
        Texts::with_state(file, UNCHECKED)
    }

    /// Texts encoded in memory by this process: nothing to check.
    pub(crate) fn in_memory(file: TextFile) -> Texts {
        Texts::with_state(file, GOOD)
    }

    fn with_state(file: TextFile, state: u8) -> Texts {
        let blocks = (0..file.blocks()).map(|_| AtomicU8::new(state)).collect();
        Texts {
            file,
            blocks,
            damaged: AtomicBool::new(false),
        }
    }

    /// The number of the text at `position` in the file, which is the
    /// word index's number of that article; `None` past the end.
    pub(crate) fn record(&self, position: usize) -> Option<usize> {
        self.file.record(position)
    }

    /// The number of texts in the file (the word index's articles).
    pub(crate) fn records(&self) -> usize {
        self.file.texts()
    }

    /// Whether a block was found damaged.
    pub(crate) fn damaged(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    /// The text at `position`, from the file when its block checks out,
    /// else from `reread` (the article's file, parsed again).
    pub(crate) fn text(&self, position: usize, reread: impl FnOnce() -> String) -> Cow<'_, str> {
        if let Some(record) = self.file.record(position)
            && self.block_good(record / TEXT_BLOCK)
            && let Some(text) = self.file.record_text(record)
        {
            return Cow::Borrowed(text);
        }
        self.damaged.store(true, Ordering::Relaxed);
        Cow::Owned(reread())
    }

    /// Whether block `block` matches its checksum, checking it the first
    /// time. Two threads may both check a block; they agree.
    fn block_good(&self, block: usize) -> bool {
        let Some(state) = self.blocks.get(block) else {
            return false;
        };
        match state.load(Ordering::Acquire) {
            GOOD => true,
            DAMAGED => false,
            _ => {
                let good = self.file.block_ok(block);
                state.store(if good { GOOD } else { DAMAGED }, Ordering::Release);
                good
            }
        }
    }
}

/// What a query is matched against: an article's row and its search text
/// ("" when the search needs no text, or the texts are not loaded).
#[derive(Debug, Clone, Copy)]
pub struct Searched<'a> {
    pub(super) row: SummaryRow<'a>,
    pub(super) text: &'a str,
    /// What the word index answers exactly for this article (a base
    /// article, by its number in the word index), when it does.
    pub(super) known: Option<(&'a Known, usize)>,
}

/// The words and phrases of a search whose articles the word index gives
/// exactly ([`WordIndex::exact_articles`](super::cache::WordIndex::exact_articles)),
/// each with its articles (by their numbers in the word index: the
/// base's texts' numbers).
#[derive(Debug, Default)]
pub(super) struct Known {
    pub(super) sets: Vec<(String, super::cache::ArticleSet)>,
    /// Whether every word and phrase of the search is among `sets`: then
    /// a base article's text is never read.
    pub(super) all: bool,
}

impl<'a> Searched<'a> {
    /// The article's row.
    pub fn row(&self) -> SummaryRow<'a> {
        self.row
    }
}

impl Subject for Searched<'_> {
    fn id(&self) -> &str {
        self.row.id()
    }

    fn folded(&self) -> &str {
        self.text
    }

    fn date(&self) -> Option<NaiveDate> {
        self.row.date()
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        self.row.tags()
    }

    fn categories(&self) -> impl Iterator<Item = &str> {
        self.row.categories()
    }

    fn term_bits(&self) -> u64 {
        self.row.term_bits()
    }

    fn holds(&self, needle: &str) -> Option<bool> {
        let (known, record) = self.known?;
        let (_, set) = known.sets.iter().find(|(text, _)| text == needle)?;
        Some(set.contains(record))
    }
}
