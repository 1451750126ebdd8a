//! [`WordIndexBuilder`]: gathers the words of the texts of a write, and the
//! blocks that hold each, in little memory, then writes the `words.bin`.
//!
//! Built for the first index of a million articles (BENCHMARKS.md, "The
//! first index streams"): every word of every text passes through
//! [`WordIndexBuilder::push`], and the postings of the whole folder are
//! held until the file is written. So:
//!
//! - the texts are read 64 bytes at a time for their words
//!   ([`scan`](super::scan));
//! - the words are bytes in one arena, found through a table whose
//!   entries hold a word's number, length and first sixteen bytes (two
//!   eight-byte halves): a word of at most sixteen bytes (most of them) is
//!   hashed with one multiply and told from another without a byte
//!   compare or a visit to the arena, and most are found before that in a
//!   small table of the words seen lately;
//! - what every occurrence of a word touches (its open block, eight
//!   bytes) is kept apart from the rest of it, in a table that stays in
//!   the core's cache;
//! - each word's blocks are kept as the differences between them, each in
//!   as few bytes as it needs (LEB128): a common word, in every block,
//!   costs one byte a block instead of four;
//! - texts split over threads are gathered in parts of a few thousand
//!   texts, each part appended in order (while the threads gather the
//!   next ones) and dropped, so the postings are never held twice.

use std::borrow::Cow;
use std::convert::Infallible;
use std::io::{Seek, Write};
use std::ops::Range;

use hashbrown::HashTable;

use super::scan;
use super::{
    CHECKSUM_AT, FORMAT_VERSION, HEADER_LEN, Hashed, MAGIC, MASK_WIDTH, WORD_BLOCK, WORDS_FILE,
    posting_width,
};
use crate::library::cache::{CacheError, CacheErrorKind, new_generation};
use crate::library::parallel;

/// Texts in one part of the word index gathered on a thread of its own
/// (by [`WordIndexBuilder::from_texts`], and by the first index from the
/// texts it wrote): a multiple of [`WORD_BLOCK`]. Small enough that the
/// parts held at once are a sliver of the whole (a few megabytes each),
/// large enough that threads start rarely and few parts are appended:
/// each part's words are hashed again into the whole's table, and a
/// quarter as many parts of 16,384 texts made the builder 15% faster than
/// parts of 4,096 (`cargo bench --bench load -- words`, BENCHMARKS.md).
pub const WORD_PART_TEXTS: usize = 1024 * WORD_BLOCK;

/// One distinct word and the blocks written for it. The block still
/// being added to is the word's [`Open`], kept apart: it is what every
/// occurrence of the word touches, and a table of them stays in the
/// core's cache where the words would not.
#[derive(Debug, Clone)]
struct Word {
    /// Where its bytes start in the arena.
    start: usize,
    /// Its length in bytes.
    len: usize,
    /// How many blocks are in `postings`.
    count: u32,
    /// The last block written into `postings` (0 before any).
    written: u32,
    /// The blocks written, ascending, each a [`push_posting`]: its
    /// difference from the one before (the first from 0) and its mask.
    postings: Vec<u8>,
}

/// The block a word was last added to and which of its articles hold the
/// word (bit `i`: its article `i`): not yet in the word's postings, as
/// more of its articles may come. No articles yet: a mask of 0.
#[derive(Debug, Clone, Copy)]
struct Open {
    block: u32,
    mask: u16,
}

impl Open {
    /// A word added to no block yet.
    const NONE: Open = Open {
        block: u32::MAX,
        mask: 0,
    };

    /// Whether a block is open.
    fn is_some(self) -> bool {
        self.mask != 0
    }
}

impl Word {
    /// Writes the block `open` (the word's open block, now closed) into
    /// `postings`.
    fn close(&mut self, open: Open) {
        if open.is_some() {
            push_posting(&mut self.postings, open.block - self.written, open.mask);
            self.written = open.block;
            self.count = self.count.saturating_add(1);
        }
    }

    /// Appends the blocks of `other` (whose open block is `other_open`),
    /// the same word in texts that all come after this one's, in later
    /// blocks (parts start on block boundaries); `open` is this word's
    /// open block, which becomes `other_open`.
    fn extend(&mut self, open: &mut Open, other: Word, other_open: Open) {
        if other.count == 0 && !other_open.is_some() {
            return;
        }
        self.close(*open);
        debug_assert!(!open.is_some() || other_open.block > open.block);
        if let Some((first, mask, rest)) = read_posting(&other.postings) {
            // The first block was written as its difference from 0.
            push_posting(&mut self.postings, first.saturating_sub(self.written), mask);
            grow_gently(&mut self.postings, rest.len());
            self.postings.extend_from_slice(rest);
            self.written = other.written;
        }
        // Its open block stays open, as it was in `other`.
        *open = other_open;
        self.count = self.count.saturating_add(other.count);
    }

    /// The blocks, ascending, each with its mask of articles, the open
    /// one `open` last.
    fn blocks(&self, open: Open) -> impl Iterator<Item = (u32, u16)> + '_ {
        let mut rest: &[u8] = &self.postings;
        let mut block = 0u32;
        let pending = open.is_some().then_some((open.block, open.mask));
        std::iter::from_fn(move || {
            let (delta, mask, after) = read_posting(rest)?;
            rest = after;
            block = block.saturating_add(delta);
            Some((block, mask))
        })
        .chain(pending)
    }

    /// How many blocks, the open one `open` included.
    fn blocks_count(&self, open: Open) -> usize {
        self.count as usize + usize::from(open.is_some())
    }
}

/// The code of a posting whose mask is all sixteen articles.
const ALL_ARTICLES: u64 = 16;
/// The code of a posting whose mask follows in two bytes.
const MASK_FOLLOWS: u64 = 17;

/// Appends a posting: its block's difference from the one before and its
/// mask, as one LEB128 number `delta << 5 | code`, where the code is the
/// article of a mask of one (0 to 15), [`ALL_ARTICLES`], or
/// [`MASK_FOLLOWS`] and then the mask. A common word (every article, the
/// next block) takes one byte; a rare one (one article) two or three.
fn push_posting(out: &mut Vec<u8>, delta: u32, mask: u16) {
    grow_gently(out, 8);
    let code = if mask == u16::MAX {
        ALL_ARTICLES
    } else if mask.is_power_of_two() {
        u64::from(mask.trailing_zeros())
    } else {
        MASK_FOLLOWS
    };
    push_leb128(out, (u64::from(delta) << 5) | code);
    if code == MASK_FOLLOWS {
        out.extend_from_slice(&mask.to_le_bytes());
    }
}

/// Makes room in `list` for `more` bytes, growing a long list by a
/// quarter rather than doubling it: the lists of a million articles'
/// words are held until the file is written, and a doubled list is on
/// average a third empty. Short lists (most words' are) double, as
/// growing them by little would cost a reallocation every few postings.
/// A new list gets [`FIRST_ROOM`] at once.
fn grow_gently(list: &mut Vec<u8>, more: usize) {
    if list.capacity() - list.len() < more {
        let len = list.len();
        let first = if len == 0 { FIRST_ROOM } else { 0 };
        list.reserve_exact(more.max(first).max(len.min(GENTLE_FROM)).max(len / 4));
    }
}

/// The room a new posting list gets: the allocator's smallest block
/// holds 24 bytes however few are asked for, so this costs no memory and
/// saves the reallocations from 8 to 24. (Measured: the builder 7% faster
/// on the 100,000 texts, BENCHMARKS.md.)
const FIRST_ROOM: usize = 24;

/// The length from which [`grow_gently`] grows a list by a quarter.
const GENTLE_FROM: usize = 256;

/// The posting at the start of `bytes` (written by [`push_posting`]) and
/// the bytes after it; `None` at the end.
fn read_posting(bytes: &[u8]) -> Option<(u32, u16, &[u8])> {
    if bytes.is_empty() {
        return None;
    }
    let (number, rest) = read_leb128(bytes);
    let delta = u32::try_from(number >> 5).unwrap_or(u32::MAX);
    match number & 31 {
        ALL_ARTICLES => Some((delta, u16::MAX, rest)),
        MASK_FOLLOWS => {
            let (mask, rest) = rest.split_first_chunk::<2>()?;
            Some((delta, u16::from_le_bytes(*mask), rest))
        }
        code => Some((delta, 1 << (code % 16), rest)),
    }
}

/// Appends `n` in LEB128: seven bits a byte, low bits first, the high bit
/// set on every byte but the last.
fn push_leb128(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The number at the start of `bytes` (written by [`push_leb128`]) and the
/// bytes after it. Only reads what this builder wrote, so it never runs
/// past a number's end; a cut number reads as what it has.
fn read_leb128(bytes: &[u8]) -> (u64, &[u8]) {
    // One byte, as most are (a common word in the next block): no loop.
    if let Some((&byte, rest)) = bytes.split_first()
        && byte < 0x80
    {
        return (u64::from(byte), rest);
    }
    let mut n = 0u64;
    for (at, &byte) in bytes.iter().enumerate() {
        n |= u64::from(byte & 0x7f)
            .checked_shl(7 * at as u32)
            .unwrap_or(0);
        if byte & 0x80 == 0 {
            return (n, &bytes[at + 1..]);
        }
    }
    (n, &[])
}

/// The hash of `word`, whose first sixteen bytes are `first` and
/// `second`, under `seed`: for a word of at most sixteen bytes (most
/// words), one folded multiply of its two halves, each mixed with a seed
/// and the length (the core of foldhash and wyhash); for a longer one,
/// xxh3 of its bytes.
fn hash_of(seed: [u64; 2], word: &[u8], first: u64, second: u64) -> u64 {
    if word.len() > KEY_LEN {
        return xxhash_rust::xxh3::xxh3_64_with_seed(word, seed[0]);
    }
    let product = u128::from(first ^ seed[0]) * u128::from(second ^ seed[1] ^ word.len() as u64);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hash of an entry of a builder's table whose words and arena are
/// `words` and `arena`, as [`hash_of`] gave it: for growing the table.
fn rehasher<'a>(words: &'a [Word], arena: &'a [u8], seed: [u64; 2]) -> impl Fn(&Entry) -> u64 + 'a {
    move |entry: &Entry| {
        let known = &words[entry.id];
        let word = &arena[known.start..known.start + known.len];
        hash_of(seed, word, entry.first, entry.second)
    }
}

/// Gathers the words of the folded texts, fed in list order (the order of
/// the `summaries.bin` rows of the same write), with the blocks that hold
/// each; [`encode`](Self::encode) then writes a `words.bin`. See the
/// module's comment for how it stays small.
#[derive(Debug, Clone)]
pub struct WordIndexBuilder {
    /// The words, by the hash of their bytes under seeds of this build
    /// (the words come from files anyone can write: a fixed hash could be
    /// flooded with collisions): each entry holds a word's number and,
    /// for a word of at most [`KEY_LEN`] bytes, its bytes, so that a probe
    /// compares without reaching the word or the arena.
    table: HashTable<Entry>,
    /// The distinct words, in the order first seen.
    words: Vec<Word>,
    /// Each word's open block (`open[id]` for `words[id]`).
    open: Vec<Open>,
    /// Their bytes, one after another.
    arena: Vec<u8>,
    /// The seeds of the hash.
    seed: [u64; 2],
    /// Texts fed so far.
    count: usize,
    /// The numbers of short words seen lately, by a cheap hash of their
    /// bytes: most words of a text are a few common ones, found here
    /// without hashing them whole or probing the table. A slot holds one
    /// word; another word of the same slot replaces it (a miss only costs
    /// the table's lookup, so crafted words cannot slow the build down).
    recent: Box<[Recent]>,
    /// Blocks closed since they were last written into their words'
    /// postings, in the order closed ([`settle`](Self::settle)).
    closed: Vec<Closed>,
}

/// A word's block closed by [`WordIndexBuilder::push_bytes`], not yet in
/// its postings. Writing it there at once costs a miss on the word's
/// record and on the end of its list, inside the loop over every word of
/// every text; written down here in order and settled in runs, those
/// misses are taken in a loop with nothing else to wait for, many at a
/// time. (Measured: BENCHMARKS.md, "seventh pass".)
#[derive(Debug, Clone, Copy)]
struct Closed {
    id: u32,
    open: Open,
}

/// Asks the core to bring the line at `at` into its cache, without
/// waiting for it: a hint, with no effect on what the program does.
#[inline(always)]
fn prefetch(at: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults and reads nothing the program sees,
    // whatever the address; SSE is in every x86-64 core.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(at.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Closed blocks held before they are settled: 64K of them, under a
/// megabyte, so the list stays in the core's cache while it fills.
const CLOSED_RUN: usize = 1 << 16;

/// An entry of [`WordIndexBuilder::table`]: a word's number, its length,
/// and its first [`KEY_LEN`] bytes as two little-endian numbers (zeros
/// after a shorter word's end).
#[derive(Debug, Clone, Copy)]
struct Entry {
    first: u64,
    second: u64,
    len: usize,
    id: usize,
}

/// The bytes of a word the table's entries hold: a longer word compares
/// the rest of its bytes in the arena.
const KEY_LEN: usize = 16;

/// A slot of [`WordIndexBuilder::recent`]: a word of at most
/// [`RECENT_LEN`] bytes, by its length and bytes, and its number.
#[derive(Debug, Clone, Copy, Default)]
struct Recent {
    first: u64,
    second: u64,
    len: u32,
    id: u32,
}

/// The longest word [`WordIndexBuilder::recent`] holds: two eight-byte
/// halves, compared without a call.
const RECENT_LEN: usize = 16;

/// Slots of [`WordIndexBuilder::recent`] (a power of two): 768 KB, in the
/// core's own cache. Four times the 8,192 slots it had gathered a million
/// texts 3% faster (fewer words missed it for the table; BENCHMARKS.md).
const RECENT_SLOTS: usize = 32_768;

/// The slot of a short word with these bytes and length.
fn recent_slot(first: u64, second: u64, len: usize) -> usize {
    let mixed = (first ^ second.rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
}

impl Default for WordIndexBuilder {
    fn default() -> Self {
        WordIndexBuilder {
            table: HashTable::new(),
            words: Vec::new(),
            open: Vec::new(),
            arena: Vec::new(),
            seed: [new_generation(), new_generation()],
            count: 0,
            recent: vec![Recent::default(); RECENT_SLOTS].into_boxed_slice(),
            closed: Vec::new(),
        }
    }
}

impl WordIndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty builder for a part of the texts that starts at text
    /// `first` (a multiple of [`WORD_BLOCK`]), built apart (on another
    /// thread) and then [`append`](Self::append)ed to the builder of the
    /// texts before it: its blocks are numbered from the whole's.
    pub fn starting_at(first: usize) -> Self {
        let mut part = WordIndexBuilder::new();
        part.count = first;
        part
    }

    /// Appends `part`, a builder [`starting_at`](Self::starting_at) the
    /// text after this one's last (so its blocks come after this one's
    /// and stay ascending), as if its texts were pushed here.
    pub fn append(&mut self, mut part: WordIndexBuilder) {
        debug_assert!(part.count >= self.count && self.count.is_multiple_of(WORD_BLOCK));
        self.settle();
        part.settle();
        self.count = self.count.max(part.count);
        // Room for all of its words at once: the table grown while they go
        // in would be rehashed whole each time it doubles.
        let rehash = rehasher(&self.words, &self.arena, self.seed);
        self.table.reserve(part.words.len(), rehash);
        let arena = part.arena;
        for (word, open) in part.words.into_iter().zip(part.open) {
            let bytes = &arena[word.start..word.start + word.len];
            let (first, second) = scan::key_of(bytes, 0, bytes.len());
            let id = self.id_in_table(bytes, first, second);
            self.words[id].extend(&mut self.open[id], word, open);
        }
    }

    /// The builder fed `count` texts, text `i` given by `text(i)`, split
    /// over `threads` threads by whole blocks, in parts appended in
    /// order: what [`push`](Self::push) for each text in turn
    /// gives, faster, and holding little more than the whole.
    pub fn from_texts<'t>(
        count: usize,
        text: &(dyn Fn(usize) -> Cow<'t, str> + Sync),
        threads: usize,
    ) -> WordIndexBuilder {
        let runs = (0..count)
            .step_by(WORD_PART_TEXTS)
            .map(|first| first..(first + WORD_PART_TEXTS).min(count));
        let part_of = |run: Range<usize>| {
            let mut part = WordIndexBuilder::starting_at(run.start);
            for i in run {
                part.push(&text(i));
            }
            Ok::<_, Infallible>(part)
        };
        let mut whole = WordIndexBuilder::new();
        let Ok(()) = whole.extend_from_runs(runs, threads, &part_of);
        whole
    }

    /// Adds the texts of `runs` (consecutive ranges of their numbers, from
    /// this builder's count on, each but the last a whole number of
    /// blocks), each run's part given by `part_of` (a builder
    /// [`starting_at`](Self::starting_at) its start): on `threads` threads
    /// of their own, each part appended in order as soon as it is done
    /// while the threads gather the next ones, so a few parts are all that
    /// is held beside the whole. Fails as the first part that fails.
    pub fn extend_from_runs<E: Send>(
        &mut self,
        runs: impl Iterator<Item = Range<usize>> + Send,
        threads: usize,
        part_of: &(dyn Fn(Range<usize>) -> Result<WordIndexBuilder, E> + Sync),
    ) -> Result<(), E> {
        // Each part's closed blocks are settled on its own thread, so
        // the appending does no more than it must.
        let settled = |run: Range<usize>| {
            part_of(run).map(|mut part| {
                part.settle();
                part
            })
        };
        parallel::pipelined(runs, threads, &settled, &mut |part| {
            self.append(part?);
            Ok(())
        })
    }

    /// Adds the folded text of the next article.
    pub fn push(&mut self, folded: &str) {
        self.push_bytes(folded.as_bytes());
    }

    /// [`push`](Self::push) for a text given as its UTF-8 bytes (read back
    /// from where the index set it aside): words are runs of bytes, so
    /// nothing is decoded; the file's vocabulary is checked when read.
    pub fn push_bytes(&mut self, folded: &[u8]) {
        // Past u32::MAX blocks the numbers saturate; `encode` refuses such
        // a count anyway.
        let article = self.count;
        let block = u32::try_from(article / WORD_BLOCK).unwrap_or(u32::MAX);
        let bit = 1u16 << (article % WORD_BLOCK);
        self.count = self.count.saturating_add(1);
        scan::for_each_word(folded, |start, end| {
            let id = self.id_of(folded, start, end);
            let open = &mut self.open[id];
            if open.block == block {
                // Again in this block (most words are): one bit.
                open.mask |= bit;
                return;
            }
            let closed = std::mem::replace(open, Open { block, mask: bit });
            if closed.is_some() {
                self.close(id, closed);
            }
        });
    }

    /// Notes that word `id`'s block `open` is closed: written into its
    /// postings when [`settle`](Self::settle)d.
    #[inline(always)]
    fn close(&mut self, id: usize, open: Open) {
        match u32::try_from(id) {
            Ok(id) => {
                self.closed.push(Closed { id, open });
                if self.closed.len() >= CLOSED_RUN {
                    self.settle();
                }
            }
            // Never in practice (`encode` refuses so many words): at once.
            Err(_) => self.words[id].close(open),
        }
    }

    /// Writes the blocks closed so far into their words' postings, in the
    /// order they were closed: what reads the postings settles first.
    fn settle(&mut self) {
        // A few blocks ahead, the end of the word's list is asked for
        // before it is written to, and its record before that.
        const AHEAD: usize = 8;
        let (closed, words) = (&self.closed, &mut self.words);
        for (at, done) in closed.iter().enumerate() {
            if let Some(later) = closed.get(at + 2 * AHEAD) {
                prefetch(words.as_ptr().wrapping_add(later.id as usize).cast());
            }
            if let Some(word) = closed
                .get(at + AHEAD)
                .and_then(|c| words.get(c.id as usize))
            {
                prefetch(word.postings.as_ptr().wrapping_add(word.postings.len()));
            }
            words[done.id as usize].close(done.open);
        }
        self.closed.clear();
    }

    /// The number of the word `text[start..end]`, which is added (with no
    /// blocks) if new. Inlined into the loop over a text's words: called
    /// for each of a million articles' 600 million words.
    #[inline(always)]
    fn id_of(&mut self, text: &[u8], start: usize, end: usize) -> usize {
        let word = &text[start..end];
        let (first, second) = scan::key_of(text, start, end);
        if word.len() > RECENT_LEN {
            return self.id_in_table(word, first, second);
        }
        let slot = recent_slot(first, second, word.len());
        let recent = self.recent[slot];
        // An empty slot has length 0, which no word has.
        if recent.len as usize == word.len() && recent.first == first && recent.second == second {
            return recent.id as usize;
        }
        let id = self.id_in_table(word, first, second);
        // Numbers past u32 (never in practice) are simply not remembered.
        if let Ok(short) = u32::try_from(id) {
            self.recent[slot] = Recent {
                first,
                second,
                len: word.len() as u32,
                id: short,
            };
        }
        id
    }

    /// [`id_of`](Self::id_of) through the table, for a word whose first
    /// sixteen bytes are `first` and `second` ([`scan::key_of`]).
    fn id_in_table(&mut self, word: &[u8], first: u64, second: u64) -> usize {
        let hash = hash_of(self.seed, word, first, second);
        let (words, arena) = (&self.words, &self.arena);
        let same = |entry: &Entry| {
            // Words of up to sixteen bytes are equal when their lengths
            // and keys are; longer ones compare the rest too.
            entry.len == word.len()
                && entry.first == first
                && entry.second == second
                && (word.len() <= KEY_LEN || {
                    let known = &words[entry.id];
                    arena[known.start + KEY_LEN..known.start + known.len] == word[KEY_LEN..]
                })
        };
        if let Some(entry) = self.table.find(hash, same) {
            return entry.id;
        }
        let id = self.words.len();
        self.words.push(Word {
            start: self.arena.len(),
            len: word.len(),
            count: 0,
            written: 0,
            postings: Vec::new(),
        });
        self.open.push(Open::NONE);
        self.arena.extend_from_slice(word);
        let entry = Entry {
            first,
            second,
            len: word.len(),
            id,
        };
        let rehash = rehasher(&self.words, &self.arena, self.seed);
        self.table.insert_unique(hash, entry, rehash);
        id
    }

    /// The bytes of word `id`.
    fn bytes(&self, id: usize) -> &[u8] {
        let word = &self.words[id];
        &self.arena[word.start..word.start + word.len]
    }

    /// The number of texts fed so far.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no text was fed.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Serializes the index into the bytes of a `words.bin` with the
    /// write's `generation`. Fails only when the vocabulary or the postings
    /// outgrow the format's 32-bit offsets, in which case the caller runs
    /// without a cache.
    pub fn encode(self, generation: u64) -> Result<Vec<u8>, CacheError> {
        let mut out = std::io::Cursor::new(Vec::new());
        self.encode_into(&mut out, generation)?;
        Ok(out.into_inner())
    }

    /// [`encode`](Self::encode) straight into `out` (at its position 0),
    /// without the file's bytes in memory: what a cache write of a large
    /// folder streams into the file. Returns the file's length. Fails as
    /// `encode` does, or when `out` does (named as the words file).
    pub fn encode_into<W: Write + Seek>(
        mut self,
        out: W,
        generation: u64,
    ) -> Result<u64, CacheError> {
        self.settle();
        let too_large = |what| CacheError::new(WORDS_FILE, CacheErrorKind::TooLarge(what));
        let blocks = self.count.div_ceil(WORD_BLOCK);
        let blocks32 = u32::try_from(blocks).map_err(|_| too_large("over 4 billion blocks"))?;
        let mut order: Vec<usize> = (0..self.words.len()).collect();
        order.sort_unstable_by(|&a, &b| self.bytes(a).cmp(self.bytes(b)));
        let words32 = u32::try_from(order.len()).map_err(|_| too_large("over 4 billion words"))?;

        let mut vocab_len = 0usize;
        let mut starts: Vec<u32> = Vec::with_capacity(order.len() + 1);
        let mut posts: Vec<u32> = Vec::with_capacity(order.len() + 1);
        let mut postings = 0usize;
        for &id in &order {
            starts.push(u32::try_from(vocab_len).map_err(|_| too_large("vocabulary"))?);
            vocab_len += self.words[id].len + 1;
            posts.push(u32::try_from(postings).map_err(|_| too_large("postings"))?);
            postings += self.words[id].blocks_count(self.open[id]);
        }
        starts.push(u32::try_from(vocab_len).map_err(|_| too_large("vocabulary"))?);
        posts.push(u32::try_from(postings).map_err(|_| too_large("postings"))?);

        let width = posting_width(blocks);
        let file_len = (HEADER_LEN
            + vocab_len
            + (starts.len() + posts.len()) * 4
            + postings * (width + MASK_WIDTH)) as u64;
        let mut head = Vec::with_capacity(HEADER_LEN);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        head.extend_from_slice(&(WORD_BLOCK as u32).to_le_bytes());
        head.extend_from_slice(&file_len.to_le_bytes());
        head.extend_from_slice(&generation.to_le_bytes());
        head.extend_from_slice(&words32.to_le_bytes());
        head.extend_from_slice(&blocks32.to_le_bytes());
        head.extend_from_slice(&(vocab_len as u64).to_le_bytes());
        head.extend_from_slice(&(postings as u64).to_le_bytes());
        debug_assert_eq!(head.len(), CHECKSUM_AT);

        // The checksum covers the header before it and everything after
        // the header: hashed as the body streams by, then put in its place.
        let write = || -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(out);
            out.write_all(&head)?;
            out.write_all(&0u64.to_le_bytes())?; // checksum, set below
            let mut body = Hashed::new(out);
            body.hasher.update(&head);
            for &id in &order {
                body.write(self.bytes(id))?;
                body.write_array(*b"\n")?;
            }
            for start in starts.iter().chain(&posts) {
                body.write_array(start.to_le_bytes())?;
            }
            for &id in &order {
                for (block, _) in self.words[id].blocks(self.open[id]) {
                    if width == 2 {
                        // Below MAX_U16_BLOCKS blocks every number fits.
                        body.write_array((block as u16).to_le_bytes())?;
                    } else {
                        body.write_array(block.to_le_bytes())?;
                    }
                }
            }
            for &id in &order {
                for (_, mask) in self.words[id].blocks(self.open[id]) {
                    body.write_array(mask.to_le_bytes())?;
                }
            }
            let (sum, mut out) = body.finish()?;
            out.seek(std::io::SeekFrom::Start(CHECKSUM_AT as u64))?;
            out.write_all(&sum.to_le_bytes())?;
            out.flush()
        };
        write()
            .map_err(|err| CacheError::new(WORDS_FILE, CacheErrorKind::Write(err.to_string())))?;
        Ok(file_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_of_any_size_and_mask_read_back_as_written() {
        let deltas = [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            65_535,
            1 << 28,
            u32::MAX,
        ];
        let masks = [1, 1 << 15, u16::MAX, 0b101, 0x7fff, 0xfffe];
        let mut bytes = Vec::new();
        for (delta, mask) in deltas.iter().zip(masks.iter().cycle()) {
            push_posting(&mut bytes, *delta, *mask);
        }
        let mut rest: &[u8] = &bytes;
        for (&delta, &mask) in deltas.iter().zip(masks.iter().cycle()) {
            let (read_delta, read_mask, after) = read_posting(rest).unwrap();
            assert_eq!((read_delta, read_mask), (delta, mask));
            rest = after;
        }
        assert!(read_posting(rest).is_none());
        // A common word's posting (the next block, every article) is one byte.
        let mut one = Vec::new();
        push_posting(&mut one, 1, u16::MAX);
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn a_word_keeps_each_block_once_in_order() {
        let mut builder = WordIndexBuilder::new();
        for i in 0..(WORD_BLOCK * 300) {
            // "every" in every text, "tenth" in every tenth block's texts,
            // a long word in two texts far apart.
            let mut text = String::from("every");
            if (i / WORD_BLOCK).is_multiple_of(10) {
                text.push_str(" tenth");
            }
            if i == 3 || i == WORD_BLOCK * 299 {
                text.push_str(" extraordinarily");
            }
            builder.push(&text);
        }
        builder.settle();
        let blocks = |word: &[u8]| -> Vec<u32> {
            let id = builder
                .words
                .iter()
                .position(|w| &builder.arena[w.start..w.start + w.len] == word);
            id.map(|id| {
                builder.words[id]
                    .blocks(builder.open[id])
                    .map(|(block, _)| block)
                    .collect()
            })
            .unwrap_or_default()
        };
        assert_eq!(blocks(b"every"), (0..300).collect::<Vec<_>>());
        assert_eq!(blocks(b"tenth"), (0..300).step_by(10).collect::<Vec<_>>());
        assert_eq!(blocks(b"extraordinarily"), vec![0, 299]);
        assert_eq!(blocks(b"absent"), Vec::<u32>::new());
        // Which articles of a block: text 3 of block 0, the first of 299.
        let with_len = |len: usize| builder.words.iter().position(|w| w.len == len);
        let long = with_len(15).map(|id| {
            builder.words[id]
                .blocks(builder.open[id])
                .collect::<Vec<_>>()
        });
        assert_eq!(long, Some(vec![(0, 1 << 3), (299, 1)]));
        let every = with_len(5).map(|id| {
            builder.words[id]
                .blocks(builder.open[id])
                .all(|(_, m)| m == u16::MAX)
        });
        assert_eq!(every, Some(true));
    }

    #[test]
    fn blocks_closed_over_many_settled_runs_are_those_of_counting_by_hand() {
        // Enough words and blocks that the closed blocks are settled many
        // times over, part way through texts and blocks.
        let texts: Vec<String> = (0..WORD_BLOCK * 1_000)
            .map(|i| {
                let mut words: Vec<String> =
                    (0..20).map(|j| format!("w{}", (i * 7 + j) % 997)).collect();
                words.push(format!("r{}", i % 7));
                words.join(" ")
            })
            .collect();
        let mut builder = WordIndexBuilder::new();
        let mut expected: std::collections::BTreeMap<&str, Vec<(u32, u16)>> = Default::default();
        for (i, text) in texts.iter().enumerate() {
            builder.push(text);
            let (block, bit) = ((i / WORD_BLOCK) as u32, 1u16 << (i % WORD_BLOCK));
            for word in text.split(' ') {
                let blocks = expected.entry(word).or_default();
                match blocks.last_mut() {
                    Some((last, mask)) if *last == block => *mask |= bit,
                    _ => blocks.push((block, bit)),
                }
            }
        }
        assert!(expected.values().map(Vec::len).sum::<usize>() > 2 * CLOSED_RUN);
        builder.settle();
        assert_eq!(builder.words.len(), expected.len());
        for (id, word) in builder.words.iter().enumerate() {
            let bytes = builder.bytes(id);
            let name = std::str::from_utf8(bytes).expect("a word");
            let blocks: Vec<(u32, u16)> = word.blocks(builder.open[id]).collect();
            assert_eq!(Some(&blocks), expected.get(name), "{name}");
        }
    }

    #[test]
    fn words_that_share_their_first_eight_or_sixteen_bytes_stay_apart() {
        let mut builder = WordIndexBuilder::new();
        builder.push("abcdefgh abcdefghij abcdefghik abcdefg");
        // And their first sixteen.
        builder.push("abcdefghijklmnop abcdefghijklmnopq abcdefghijklmnopr abcdefghijklmno");
        builder.push(&"x".repeat(WORD_BLOCK));
        let mut words: Vec<&[u8]> = (0..builder.words.len())
            .map(|id| builder.bytes(id))
            .collect();
        words.sort();
        let expected: Vec<&[u8]> = vec![
            b"abcdefg",
            b"abcdefgh",
            b"abcdefghij",
            b"abcdefghijklmno",
            b"abcdefghijklmnop",
            b"abcdefghijklmnopq",
            b"abcdefghijklmnopr",
            b"abcdefghik",
            &[b'x'; WORD_BLOCK],
        ];
        assert_eq!(words, expected);
    }

    /// `count` texts of words shared by runs of `run` texts (and by all),
    /// and the builder they were pushed into one by one.
    fn texts_and_pushed(count: usize, run: usize) -> (Vec<String>, WordIndexBuilder) {
        let texts: Vec<String> = (0..count)
            .map(|i| format!("w{} common k{} z{}", i % 97, i / run, i % 3))
            .collect();
        let mut pushed = WordIndexBuilder::new();
        for text in &texts {
            pushed.push(text);
        }
        (texts, pushed)
    }

    #[test]
    fn texts_split_over_threads_and_parts_give_what_pushing_them_gives() {
        let (texts, pushed) = texts_and_pushed(WORD_PART_TEXTS * 3 + 37, 500);
        let text = |i: usize| Cow::Borrowed(texts[i].as_str());
        for threads in [1, 2, 3] {
            let split = WordIndexBuilder::from_texts(texts.len(), &text, threads);
            assert_eq!(
                split.encode(7).unwrap(),
                pushed.clone().encode(7).unwrap(),
                "{threads} threads"
            );
        }
    }

    #[test]
    fn runs_gathered_on_one_thread_then_on_several_give_what_pushing_them_gives() {
        // As the first index gathers while the rows are built: some runs
        // on one thread, the rest on several, whichever run it switches at.
        let (texts, pushed) = texts_and_pushed(WORD_BLOCK * 40 + 5, 100);
        let runs = || {
            (0..texts.len())
                .step_by(WORD_BLOCK * 4)
                .map(|first| first..(first + WORD_BLOCK * 4).min(texts.len()))
        };
        let part_of = |run: Range<usize>| {
            let mut part = WordIndexBuilder::starting_at(run.start);
            for i in run {
                part.push(&texts[i]);
            }
            Ok::<_, Infallible>(part)
        };
        let expected = pushed.encode(7).unwrap();
        for switch in 0..=runs().count() {
            let mut runs = runs();
            let mut gathered = WordIndexBuilder::new();
            let Ok(()) = gathered.extend_from_runs(runs.by_ref().take(switch), 1, &part_of);
            let Ok(()) = gathered.extend_from_runs(runs, 3, &part_of);
            assert_eq!(
                gathered.encode(7).unwrap(),
                expected,
                "switched after {switch} runs"
            );
        }
    }
}
