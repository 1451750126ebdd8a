//! `words.bin`: the word index that narrows a substring search to the
//! blocks of [`WORD_BLOCK`] articles that can hold a match.
//!
//! ```text
//! header (64 bytes; every integer little-endian)
//!   0  magic        b"bsheetW\0"
//!   8  version      u32     FORMAT_VERSION, the same as summaries.bin's
//!  12  block        u32     16: articles per block
//!  16  file_len     u64     the whole file
//!  24  generation   u64     the same as the summaries.bin of the same write
//!  32  words        u32     distinct words
//!  36  blocks       u32     ceil(articles / block)
//!  40  vocab_len    u64     bytes of the vocabulary
//!  48  postings     u64     entries of the postings table
//!  56  checksum     u64     xxh3-64 of bytes 0..56 and 64..file_len
//! vocabulary   the distinct words, sorted, each followed by a newline
//! word starts  (words + 1) x u32: word i is vocabulary[starts[i] .. starts[i+1] - 1]
//! post starts  (words + 1) x u32: word i's blocks are postings[posts[i] .. posts[i+1]]
//! postings     block numbers, sorted per word: u16, or u32 when blocks > 65,535
//! masks        postings x u16: for each posting, bit i set when article i of
//!              the block holds the word
//! ```
//!
//! Its articles are numbered as the texts of the `texts.bin` of the same
//! write, which need not be the rows' order (that file's rows table maps
//! a row to its text, and so to its article here).
//!
//! A word is a maximal run of word bytes ([`is_word_byte`]: ASCII letters
//! and digits and every byte of a non-ASCII character) of an article's
//! folded text. The query rule ([`WordIndex::candidate_blocks`]) rests on
//! one fact: when a text holds the query, each maximal run of word bytes in
//! the query lies inside one word of that text. So a block can hold the
//! query only if, for every run, some word of the block contains the run,
//! and a substring scan of the vocabulary finds those words. The index
//! never drops a block that holds a match, and it proves absence when a run
//! is in no word at all.
//!
//! The masks make a query of one run exact without reading a text
//! ([`WordIndex::exact_articles`]): a text holds such a query exactly when
//! one of its words contains it, and the masks say which articles hold
//! each word. A common word at a million articles is counted from the
//! index in milliseconds instead of reading half the texts.
//!
//! Unlike `texts.bin`, the whole file is under one checksum: it is about
//! 28 MB at 100,000 articles (about 1 ms to hash), and opening also
//! validates every table, so whatever bytes pass, a query reads in bounds.

use std::io::Write;

use std::path::{Path, PathBuf};

use memchr::memmem::Finder;

use super::format::{Bytes, FORMAT_VERSION, Populate, check_start, map_checked, u32_at, u64_at};
use super::{CacheError, CacheErrorKind, CacheLock};

mod builder;
mod scan;
#[cfg(test)]
mod tests;

pub use builder::{WORD_PART_TEXTS, WordIndexBuilder};

/// The file name of the word index's cache file in the cache folder.
pub const WORDS_FILE: &str = "words.bin";

/// Articles per block of the word index: small enough that a rare word
/// narrows the search to a few articles' worth of text, large enough that
/// the postings stay small (BENCHMARKS.md measured 129 of 6,250 blocks for
/// a rare name at 100,000 articles).
pub const WORD_BLOCK: usize = 16;

const MAGIC: &[u8; 8] = b"bsheetW\0";
const HEADER_LEN: usize = 64;
/// Where the checksum sits in the header; it covers everything else.
const CHECKSUM_AT: usize = 56;
/// The most blocks a search gathers in a bitset (2 MB of bits, 268 million
/// articles); a file that claims more gathers lists instead.
const MAX_BITSET_BLOCKS: usize = 1 << 24;

/// Bytes of a posting's mask of articles.
const MASK_WIDTH: usize = 2;

/// The most blocks whose numbers are stored as u16.
const MAX_U16_BLOCKS: usize = 65_535;

/// Whether `b` is part of a word: an ASCII letter or digit, or any byte of
/// a non-ASCII character. Byte-wise on purpose: a run of them in UTF-8 text
/// always starts and ends on a character boundary (ASCII bytes are whole
/// characters), and the query is split by the same rule.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The maximal runs of word bytes in `text`, in order.
fn runs(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| !is_word_byte(b))
        .filter(|run| !run.is_empty())
}

/// Bytes per stored block number for a file of `blocks` blocks.
fn posting_width(blocks: usize) -> usize {
    if blocks > MAX_U16_BLOCKS { 4 } else { 2 }
}

/// A writer that hashes what goes through it. What is written comes in
/// pieces of two to a few bytes (a posting, a mask): they are gathered
/// and hashed and written a buffer at a time, as hashing each piece apart
/// cost more than the rest of the encoding. The hash of a stream does not
/// depend on how it is cut.
struct Hashed<W: Write> {
    out: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    /// What is gathered: the first `filled` bytes. A buffer of fixed
    /// length filled in place: a posting's two bytes stored with one
    /// move, where growing a `Vec` by them took a call for each of a
    /// million articles' hundred million postings.
    buffer: Box<[u8]>,
    filled: usize,
}

impl<W: Write> Hashed<W> {
    /// How much is gathered before it is hashed and written.
    const BUFFER: usize = 1 << 20;

    /// Hashes and writes into `out`.
    fn new(out: W) -> Hashed<W> {
        Hashed {
            out,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            buffer: vec![0; Self::BUFFER].into_boxed_slice(),
            filled: 0,
        }
    }

    /// Adds `bytes` to what is hashed and written.
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.filled + bytes.len() > self.buffer.len() {
            self.flush()?;
        }
        if let Some(room) = self.buffer.get_mut(self.filled..self.filled + bytes.len()) {
            room.copy_from_slice(bytes);
            self.filled += bytes.len();
            return Ok(());
        }
        // More than the buffer holds: hashed and written as it is.
        self.hasher.update(bytes);
        self.out.write_all(bytes)
    }

    /// [`write`](Self::write) of a few bytes of a known size (a number):
    /// stored in place, without a call to copy them.
    #[inline(always)]
    fn write_array<const N: usize>(&mut self, bytes: [u8; N]) -> std::io::Result<()> {
        match self.buffer.get_mut(self.filled..self.filled + N) {
            Some(room) => {
                room.copy_from_slice(&bytes);
                self.filled += N;
                Ok(())
            }
            None => self.write_cold(&bytes),
        }
    }

    /// [`write`](Self::write) out of the way of the loop that calls
    /// [`write_array`](Self::write_array) for every posting: once a
    /// megabyte.
    #[cold]
    #[inline(never)]
    fn write_cold(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.write(bytes)
    }

    /// Hashes and writes what was gathered.
    fn flush(&mut self) -> std::io::Result<()> {
        let gathered = &self.buffer[..self.filled];
        self.hasher.update(gathered);
        self.out.write_all(gathered)?;
        self.filled = 0;
        Ok(())
    }

    /// Writes what is left and gives the hash of everything written and
    /// the writer.
    fn finish(mut self) -> std::io::Result<(u64, W)> {
        self.flush()?;
        Ok((self.hasher.digest(), self.out))
    }
}

/// Builds the word index of the folded texts, in the order given, into the
/// bytes of a `words.bin` with the write's `generation`
/// ([`WordIndexBuilder`] in one call).
pub fn encode_words<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    generation: u64,
) -> Result<Vec<u8>, CacheError> {
    let mut builder = WordIndexBuilder::new();
    for text in texts {
        builder.push(text);
    }
    builder.encode(generation)
}

/// Writes the bytes of a `words.bin` ([`encode_words`]) into the cache
/// folder `dir`, under its lock, the same way as
/// [`write_summaries`](super::write_summaries): the old file, which readers
/// may have mapped, is replaced by rename and never changed. It goes after
/// the `texts.bin` and before the `summaries.bin` of the same write, which
/// is the commit.
pub fn write_words(dir: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    let lock = CacheLock::acquire(dir)?;
    lock.replace(dir, WORDS_FILE, bytes)
}

/// xxh3-64 of the whole file but its checksum field. Out-of-bounds parts
/// hash as what there is.
pub(super) fn checksum(file: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(file.get(..CHECKSUM_AT).unwrap_or(file));
    hasher.update(file.get(HEADER_LEN..).unwrap_or(&[]));
    hasher.digest()
}

/// The blocks a search must scan for a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidates {
    /// Every block: the query has no run of word bytes to narrow by.
    All,
    /// Only these blocks, ascending (none when the query is in no text).
    Blocks(Vec<u32>),
}

impl Candidates {
    /// Whether block `block` must be scanned.
    pub fn includes(&self, block: u32) -> bool {
        match self {
            Candidates::All => true,
            Candidates::Blocks(blocks) => blocks.binary_search(&block).is_ok(),
        }
    }
}

/// An opened `words.bin` whose header, checksum and tables were checked:
/// queries read the vocabulary and postings in place from the mapped file.
/// Keeping it open is safe while a writer replaces the file, as for
/// [`SummaryFile`](super::SummaryFile).
#[derive(Debug)]
pub struct WordIndex {
    map: Bytes,
    path: PathBuf,
    generation: u64,
    blocks: usize,
    /// The word starts table, copied at open (4 bytes per word, about
    /// 160 KB at 100,000 articles) so that finding the word of a hit is a
    /// binary search over validated numbers.
    starts: Vec<usize>,
    /// The post starts table, copied for the same reason.
    posts: Vec<usize>,
    /// Bytes per block number in the postings.
    width: usize,
    /// Where the postings start in the file.
    postings_at: usize,
    /// Where the masks start (one per posting, after the postings).
    masks_at: usize,
}

/// Articles, one bit each by position (`bits[p / 64] >> (p % 64) & 1`):
/// what [`WordIndex::exact_articles`] finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSet {
    bits: Vec<u64>,
}

impl ArticleSet {
    /// Whether the article at `position` is in the set.
    pub fn contains(&self, position: usize) -> bool {
        self.bits
            .get(position / 64)
            .is_some_and(|slot| slot & (1 << (position % 64)) != 0)
    }

    /// How many articles are in the set.
    pub fn len(&self) -> usize {
        self.bits
            .iter()
            .map(|slot| slot.count_ones() as usize)
            .sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|&slot| slot == 0)
    }
}

impl WordIndex {
    /// Maps the file and checks it: magic, version, length, that the
    /// section sizes add up, that its generation is `generation` (the
    /// `summaries.bin` it goes with), the whole-file checksum, and then
    /// every table: the vocabulary is UTF-8, its words are non-empty runs
    /// of word bytes each closed by a newline and strictly sorted, and each
    /// word's blocks are non-empty, strictly ascending and below the block
    /// count. Any failure names the file and what was wrong, and the caller
    /// rebuilds the cache.
    pub fn open(path: &Path, generation: u64) -> Result<WordIndex, CacheError> {
        let (map, checked) = map_checked(path, HEADER_LEN, Populate::AtOpen, |bytes| {
            check(bytes, generation)
        })?;
        Ok(WordIndex {
            map: Bytes::Mapped(map),
            path: path.to_path_buf(),
            generation,
            blocks: checked.blocks,
            starts: checked.starts,
            posts: checked.posts,
            width: checked.width,
            postings_at: checked.postings_at,
            masks_at: checked.postings_at + checked.postings * checked.width,
        })
    }

    /// The file's length in bytes.
    pub fn byte_len(&self) -> usize {
        self.map.len()
    }

    /// The file this was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The generation of the write that made the file.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The number of distinct words.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Whether the index holds no word.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of blocks of [`WORD_BLOCK`] articles it covers.
    pub fn blocks(&self) -> usize {
        self.blocks
    }

    /// The vocabulary: every word followed by its newline.
    fn vocab(&self) -> &[u8] {
        let end = self.starts.last().copied().unwrap_or(0);
        self.map.get(HEADER_LEN..HEADER_LEN + end).unwrap_or(&[])
    }

    /// Word `i` of the sorted vocabulary, `None` past the end.
    pub fn word(&self, i: usize) -> Option<&str> {
        let start = *self.starts.get(i)?;
        // Validated at open: the next start is past this word's newline.
        let end = self.starts.get(i.checked_add(1)?)?.checked_sub(1)?;
        std::str::from_utf8(self.vocab().get(start..end)?).ok()
    }

    /// The blocks holding word `i`, ascending; empty past the end.
    pub fn word_blocks(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        let bytes = (|| {
            let first = *self.posts.get(i)?;
            let last = *self.posts.get(i.checked_add(1)?)?;
            let start = self
                .postings_at
                .checked_add(first.checked_mul(self.width)?)?;
            let end = self
                .postings_at
                .checked_add(last.checked_mul(self.width)?)?;
            self.map.get(start..end)
        })()
        .unwrap_or(&[]);
        bytes.chunks_exact(self.width).map(block_number)
    }

    /// The masks of word `i`'s blocks, in the order of
    /// [`word_blocks`](Self::word_blocks); empty past the end.
    fn word_masks(&self, i: usize) -> impl Iterator<Item = u16> + '_ {
        let bytes = (|| {
            let first = *self.posts.get(i)?;
            let last = *self.posts.get(i.checked_add(1)?)?;
            let start = self.masks_at.checked_add(first.checked_mul(MASK_WIDTH)?)?;
            let end = self.masks_at.checked_add(last.checked_mul(MASK_WIDTH)?)?;
            self.map.get(start..end)
        })()
        .unwrap_or(&[]);
        bytes
            .chunks_exact(MASK_WIDTH)
            .map(|mask| u16::from_le_bytes([mask[0], mask[1]]))
    }

    /// The articles (positions of the rows of the same write) whose text
    /// holds `query_text` (folded like the texts), exactly, from the index
    /// alone: when the query is one run of word bytes, a text holds it
    /// exactly when one of the text's words contains it (the module's
    /// comment). `None` for any other query, which the texts must answer.
    pub fn exact_articles(&self, query_text: &str) -> Option<ArticleSet> {
        let run = query_text.as_bytes();
        if run.is_empty() || !run.iter().all(|&b| is_word_byte(b)) {
            return None;
        }
        let articles = self.blocks.checked_mul(WORD_BLOCK)?;
        let mut set = ArticleSet {
            bits: vec![0; articles.div_ceil(64)],
        };
        for word in self.words_containing(run) {
            for (block, mask) in self.word_blocks(word).zip(self.word_masks(word)) {
                // Sixteen articles a block: the mask's bits in one go.
                let first = block as usize * WORD_BLOCK;
                if let Some(slot) = set.bits.get_mut(first / 64) {
                    *slot |= u64::from(mask) << (first % 64);
                }
            }
        }
        Some(set)
    }

    /// The words (by number) of the vocabulary that contain `run`, a run
    /// of word bytes, each once, in order.
    fn words_containing<'a>(&'a self, run: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        let vocab = self.vocab();
        let finder = Finder::new(run);
        let mut from = 0;
        std::iter::from_fn(move || {
            let at = from + finder.find(vocab.get(from..)?)?;
            // The word holding the hit: a run holds no newline, so it lies
            // inside one word.
            let word = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
            // On to the next word: this one is found.
            let next = self.starts.get(word + 1).copied().unwrap_or(vocab.len());
            from = next.max(at + 1);
            Some(word)
        })
    }

    /// The blocks that may hold `query_text` (already folded like the
    /// texts) as a substring: for each maximal run of word bytes in the
    /// query, the union of the blocks of every word that contains the run,
    /// intersected over the runs. A block that holds a match is never left
    /// out (the module's comment says why). [`Candidates::All`] when the
    /// query has no run of word bytes.
    pub fn candidate_blocks(&self, query_text: &str) -> Candidates {
        let mut result: Option<Vec<u32>> = None;
        for run in runs(query_text.as_bytes()) {
            // The blocks of every word holding the run, gathered in a
            // bitset when the block count is sane (a short run is in many
            // words, whose postings would take long to sort), else in a
            // list bounded by the postings in the file.
            let mut bits: Option<Vec<u64>> =
                (self.blocks <= MAX_BITSET_BLOCKS).then(|| vec![0; self.blocks.div_ceil(64)]);
            let mut these: Vec<u32> = Vec::new();
            for word in self.words_containing(run) {
                match bits.as_mut() {
                    Some(bits) => {
                        for block in self.word_blocks(word) {
                            if let Some(slot) = bits.get_mut(block as usize / 64) {
                                *slot |= 1 << (block % 64);
                            }
                        }
                    }
                    None => these.extend(self.word_blocks(word)),
                }
            }
            match bits {
                Some(bits) => {
                    these = bits
                        .iter()
                        .enumerate()
                        .flat_map(|(at, &word)| {
                            (0..64)
                                .filter(move |bit| word & (1 << bit) != 0)
                                .map(move |bit| (at * 64 + bit) as u32)
                        })
                        .collect();
                }
                None => {
                    these.sort_unstable();
                    these.dedup();
                }
            }
            let merged = match result {
                None => these,
                Some(before) => intersect(&before, &these),
            };
            let none_left = merged.is_empty();
            result = Some(merged);
            if none_left {
                // No block can hold the query; later runs cannot add any.
                break;
            }
        }
        result.map_or(Candidates::All, Candidates::Blocks)
    }
}

/// The numbers in both ascending lists, ascending.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(x);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// A stored block number of 2 or 4 little-endian bytes.
fn block_number(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .rev()
        .fold(0u32, |number, &b| (number << 8) | u32::from(b))
}

/// What a checked file's header and tables give.
struct Checked {
    blocks: usize,
    starts: Vec<usize>,
    posts: Vec<usize>,
    width: usize,
    postings_at: usize,
    postings: usize,
}

/// Checks a whole file's bytes: the header, the checksum and every table.
fn check(b: &[u8], generation: u64) -> Result<Checked, CacheErrorKind> {
    check_start(b, MAGIC, HEADER_LEN)?;
    if u32_at(b, 12) as usize != WORD_BLOCK {
        return Err(CacheErrorKind::BadLayout("block size"));
    }
    let words = u32_at(b, 32) as usize;
    let blocks = u32_at(b, 36) as usize;
    let width = posting_width(blocks);
    let bad_sizes = CacheErrorKind::BadLayout("section sizes");
    let vocab_len = usize::try_from(u64_at(b, 40)).map_err(|_| bad_sizes.clone())?;
    let postings = usize::try_from(u64_at(b, 48)).map_err(|_| bad_sizes.clone())?;
    // Checked arithmetic: the counts are the file's word, and a wrapped sum
    // could otherwise make impossible sizes add up.
    let sections = (|| {
        let starts_at = HEADER_LEN.checked_add(vocab_len)?;
        let table = words.checked_add(1)?.checked_mul(4)?;
        let posts_at = starts_at.checked_add(table)?;
        let postings_at = posts_at.checked_add(table)?;
        let masks_at = postings_at.checked_add(postings.checked_mul(width)?)?;
        let end = masks_at.checked_add(postings.checked_mul(MASK_WIDTH)?)?;
        Some((starts_at, posts_at, postings_at, end))
    })();
    let Some((starts_at, posts_at, postings_at, end)) = sections else {
        return Err(bad_sizes);
    };
    if end != b.len() {
        return Err(bad_sizes);
    }
    let found = u64_at(b, 24);
    if found != generation {
        return Err(CacheErrorKind::OtherGeneration {
            expected: generation,
            found,
        });
    }
    if checksum(b) != u64_at(b, CHECKSUM_AT) {
        return Err(CacheErrorKind::ChecksumMismatch);
    }
    let vocab = b.get(HEADER_LEN..starts_at).unwrap_or(&[]);
    let starts = validate_words(b, vocab, words, starts_at)?;
    let postings_bytes = b
        .get(postings_at..postings_at + postings * width)
        .unwrap_or(&[]);
    let posts = validate_postings(b, postings_bytes, words, posts_at, postings, width, blocks)?;
    Ok(Checked {
        blocks,
        starts,
        posts,
        width,
        postings_at,
        postings,
    })
}

/// Copies the word starts table and checks the vocabulary against it: it
/// is UTF-8; the first start is 0 and the last its end; each word is a
/// non-empty run of word bytes closed by a newline; and the words are
/// strictly ascending. After this, every word read is in bounds, and the
/// vocabulary scan of a query run (which holds no newline) finds each hit
/// inside one word.
fn validate_words(
    b: &[u8],
    vocab: &[u8],
    words: usize,
    starts_at: usize,
) -> Result<Vec<usize>, CacheErrorKind> {
    if std::str::from_utf8(vocab).is_err() {
        return Err(CacheErrorKind::BadLayout("vocabulary"));
    }
    let mut starts = Vec::with_capacity(words + 1);
    let mut previous: Option<&[u8]> = None;
    let mut start = 0usize;
    for i in 0..=words {
        let at = u32_at(b, starts_at + i * 4) as usize;
        if i == 0 {
            if at != 0 {
                return Err(CacheErrorKind::BadRow {
                    row: 0,
                    what: "word start",
                });
            }
            starts.push(at);
            continue;
        }
        // Entry i ends word i - 1.
        let row = i - 1;
        let bad = |what| CacheErrorKind::BadRow { row, what };
        if at <= start.saturating_add(1) || at > vocab.len() {
            return Err(bad("word start"));
        }
        let Some(word) = vocab.get(start..at - 1) else {
            return Err(bad("word start"));
        };
        if vocab.get(at - 1) != Some(&b'\n') || !word.iter().all(|&c| is_word_byte(c)) {
            return Err(bad("word"));
        }
        if previous.is_some_and(|before| before >= word) {
            return Err(bad("word order"));
        }
        previous = Some(word);
        starts.push(at);
        start = at;
    }
    if start != vocab.len() {
        return Err(CacheErrorKind::BadLayout("vocabulary length"));
    }
    Ok(starts)
}

/// Copies the post starts table and checks the postings against it: the
/// first start is 0 and the last the postings' count, every word has at
/// least one block, and each word's blocks are strictly ascending and below
/// `blocks`. After this, a query's block numbers index its flags in bounds.
fn validate_postings(
    b: &[u8],
    postings: &[u8],
    words: usize,
    posts_at: usize,
    count: usize,
    width: usize,
    blocks: usize,
) -> Result<Vec<usize>, CacheErrorKind> {
    let mut posts = Vec::with_capacity(words + 1);
    let mut start = 0usize;
    for i in 0..=words {
        let at = u32_at(b, posts_at + i * 4) as usize;
        if i == 0 {
            if at != 0 {
                return Err(CacheErrorKind::BadRow {
                    row: 0,
                    what: "posting start",
                });
            }
            posts.push(at);
            continue;
        }
        let row = i - 1;
        let bad = |what| CacheErrorKind::BadRow { row, what };
        if at <= start || at > count {
            return Err(bad("posting start"));
        }
        let list = postings
            .get(start * width..at * width)
            .ok_or(bad("posting start"))?;
        let mut before: Option<u32> = None;
        for block in list.chunks_exact(width).map(block_number) {
            if block as usize >= blocks || before.is_some_and(|before| before >= block) {
                return Err(bad("posting"));
            }
            before = Some(block);
        }
        posts.push(at);
        start = at;
    }
    if start != count {
        return Err(CacheErrorKind::BadLayout("postings length"));
    }
    Ok(posts)
}
