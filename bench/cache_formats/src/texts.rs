//! The search side: every folded text in one memory-mapped file, and a
//! trigram filter per block of articles that narrows which blocks a
//! substring search must scan.
//!
//! ```text
//! texts file
//! header (64 bytes)
//!   0  magic      b"bsheetT\0"
//!   8  version    u32
//!  12  block      u32   articles per block (checksum and trigram unit)
//!  16  file_len   u64
//!  24  generation u64   the same as the summaries file's
//!  32  count      u32   texts, in the list's default order
//!  36  blocks     u32   ceil(count / block)
//!  40  text_len   u64   bytes in the text section
//!  48  reserved   u64
//!  56  checksum   u64   xxh3-64 of bytes 0..56 and of the offsets and block-sum tables
//! offsets    (count + 1) x u64: text i is bytes offsets[i]..offsets[i+1]-1 of the
//!            text section; byte offsets[i+1]-1 is a NUL, so no match spans two texts
//! block sums blocks x u64: xxh3-64 of each block's text bytes, checked the first
//!            time a block is scanned (or by a background pass)
//! text       the folded texts, each followed by NUL
//! ```
//!
//! trigram filter file (one per block size and bit count measured):
//! header (32 bytes: magic b"bsheetG\0", block u32, bits_log2 u32, blocks u32,
//! reserved), then `blocks` bitsets of 2^bits_log2 bits: bit h(t) is set for every
//! byte trigram t of every text of the block.

use std::fs::File;
use std::path::Path;

use memchr::memmem::Finder;
use memmap2::Mmap;

pub const MAGIC: &[u8; 8] = b"bsheetT\0";
pub const VERSION: u32 = 1;
pub const HEADER: usize = 64;

pub fn encode(texts: &[String], block: usize, generation: u64) -> Vec<u8> {
    let count = texts.len();
    let blocks = count.div_ceil(block);
    let text_len: usize = texts.iter().map(|t| t.len() + 1).sum();
    let mut out = Vec::with_capacity(HEADER + (count + 1) * 8 + blocks * 8 + text_len);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(block as u32).to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes());
    out.extend_from_slice(&generation.to_le_bytes());
    out.extend_from_slice(&(count as u32).to_le_bytes());
    out.extend_from_slice(&(blocks as u32).to_le_bytes());
    out.extend_from_slice(&(text_len as u64).to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes());
    let mut off = 0u64;
    out.extend_from_slice(&off.to_le_bytes());
    for t in texts {
        off += t.len() as u64 + 1;
        out.extend_from_slice(&off.to_le_bytes());
    }
    let sums_at = out.len();
    out.resize(sums_at + blocks * 8, 0);
    let text_at = out.len();
    for t in texts {
        out.extend_from_slice(t.as_bytes());
        out.push(0);
    }
    // Block sums over the text section.
    let offsets: Vec<u64> = (0..=count)
        .map(|i| u64::from_le_bytes(out[HEADER + i * 8..][..8].try_into().unwrap()))
        .collect();
    for b in 0..blocks {
        let (s, e) = (
            offsets[b * block] as usize,
            offsets[((b + 1) * block).min(count)] as usize,
        );
        let sum = xxhash_rust::xxh3::xxh3_64(&out[text_at + s..text_at + e]);
        out[sums_at + b * 8..][..8].copy_from_slice(&sum.to_le_bytes());
    }
    let len = out.len() as u64;
    out[16..24].copy_from_slice(&len.to_le_bytes());
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&out[..56]);
    h.update(&out[HEADER..text_at]);
    let sum = h.digest();
    out[56..64].copy_from_slice(&sum.to_le_bytes());
    out
}

/// The mapped texts file, header and tables checked; block sums are checked
/// by `verify_block`.
pub struct Texts {
    map: Mmap,
    pub count: usize,
    pub block: usize,
    pub blocks: usize,
    offsets: Vec<u64>,
    sums_at: usize,
    text_at: usize,
}

impl Texts {
    pub fn open(path: &Path) -> Texts {
        let file = File::open(path).expect("open the texts");
        // SAFETY: replaced by rename only, never rewritten in place.
        let map = unsafe { Mmap::map(&file) }.expect("map the texts");
        assert_eq!(&map[..8], MAGIC);
        let u32_at = |at: usize| u32::from_le_bytes(map[at..at + 4].try_into().unwrap()) as usize;
        let u64_at = |at: usize| u64::from_le_bytes(map[at..at + 8].try_into().unwrap());
        assert_eq!(u64_at(16), map.len() as u64);
        let (block, count, blocks) = (u32_at(12), u32_at(32), u32_at(36));
        let sums_at = HEADER + (count + 1) * 8;
        let text_at = sums_at + blocks * 8;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&map[..56]);
        h.update(&map[HEADER..text_at]);
        assert_eq!(h.digest(), u64_at(56), "texts tables checksum");
        // Copied out (8 bytes per article) so that a lookup needs no check.
        let offsets: Vec<u64> = (0..=count).map(|i| u64_at(HEADER + i * 8)).collect();
        assert!(
            offsets.windows(2).all(|w| w[0] < w[1])
                && text_at + offsets[count] as usize == map.len()
        );
        Texts {
            map,
            count,
            block,
            blocks,
            offsets,
            sums_at,
            text_at,
        }
    }

    pub fn text_bytes(&self) -> &[u8] {
        &self.map[self.text_at..]
    }

    /// Byte range (in the text section) of block `b`.
    pub fn block_range(&self, b: usize) -> (usize, usize) {
        (
            self.offsets[b * self.block] as usize,
            self.offsets[((b + 1) * self.block).min(self.count)] as usize,
        )
    }

    pub fn verify_block(&self, b: usize) -> bool {
        let (s, e) = self.block_range(b);
        let want = u64::from_le_bytes(self.map[self.sums_at + b * 8..][..8].try_into().unwrap());
        xxhash_rust::xxh3::xxh3_64(&self.text_bytes()[s..e]) == want
    }

    /// The article whose text holds byte `at` of the text section.
    fn article_at(&self, at: usize) -> usize {
        self.offsets.partition_point(|&o| o as usize <= at) - 1
    }

    pub fn text(&self, i: usize) -> &[u8] {
        &self.text_bytes()[self.offsets[i] as usize..self.offsets[i + 1] as usize - 1]
    }
}

/// A hashed byte n-gram (n = 3 or 4) in a filter of 2^bits bits.
#[inline]
pub fn gram_hash(gram: &[u8], bits: u32) -> usize {
    let x = gram
        .iter()
        .fold(gram.len() as u64, |x, &b| (x << 8) | u64::from(b));
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

/// Per-block bitsets of hashed n-grams: trigrams, and with `quads` also
/// 4-grams in the same bitset (a query of 4 bytes or more then checks its
/// 4-grams, which are far rarer than its trigrams).
pub struct Filter {
    pub block: usize,
    pub bits: u32,
    pub quads: bool,
    pub sets: Vec<u64>,
    words_per_set: usize,
}

impl Filter {
    pub fn build(texts: &Texts, block: usize, bits: u32, quads: bool) -> Filter {
        let words_per_set = (1usize << bits) / 64;
        let blocks = texts.count.div_ceil(block);
        let mut sets = vec![0u64; blocks * words_per_set];
        for b in 0..blocks {
            let set = &mut sets[b * words_per_set..(b + 1) * words_per_set];
            for i in b * block..((b + 1) * block).min(texts.count) {
                let text = texts.text(i);
                for w in text.windows(3) {
                    let h = gram_hash(w, bits);
                    set[h / 64] |= 1 << (h % 64);
                }
                if quads {
                    for w in text.windows(4) {
                        let h = gram_hash(w, bits);
                        set[h / 64] |= 1 << (h % 64);
                    }
                }
            }
        }
        Filter {
            block,
            bits,
            quads,
            sets,
            words_per_set,
        }
    }

    pub fn name(&self) -> String {
        format!(
            "{} x 2^{} bits, {}",
            self.block,
            self.bits,
            if self.quads {
                "3- and 4-grams"
            } else {
                "3-grams"
            }
        )
    }

    pub fn bytes(&self) -> usize {
        self.sets.len() * 8
    }

    pub fn to_file_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.bytes());
        out.extend_from_slice(b"bsheetG\0");
        out.extend_from_slice(&(self.block as u32).to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&((self.sets.len() / self.words_per_set) as u32).to_le_bytes());
        out.extend_from_slice(&u32::from(self.quads).to_le_bytes());
        out.resize(32, 0);
        for w in &self.sets {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// Share of all bits set, over every block.
    pub fn fill(&self) -> f64 {
        let ones: u64 = self.sets.iter().map(|w| u64::from(w.count_ones())).sum();
        ones as f64 / (self.sets.len() * 64) as f64
    }

    /// The bits a block must have to possibly hold `query`: its 4-grams
    /// when the filter has them and the query is long enough, else its
    /// trigrams (none for a query under 3 bytes: every block may hold it).
    pub fn hashes(&self, query: &[u8]) -> Vec<usize> {
        let n = if self.quads && query.len() >= 4 { 4 } else { 3 };
        query.windows(n).map(|w| gram_hash(w, self.bits)).collect()
    }

    /// Whether block `b` may hold the query: false only when an n-gram of
    /// the query is surely absent.
    pub fn may_hold(&self, b: usize, hashes: &[usize]) -> bool {
        let set = &self.sets[b * self.words_per_set..(b + 1) * self.words_per_set];
        hashes.iter().all(|&h| set[h / 64] & (1 << (h % 64)) != 0)
    }
}

/// Distinct byte trigrams per block, for the size of an exact sorted list
/// per block (3 bytes per trigram).
pub fn distinct_trigrams(texts: &Texts, block: usize) -> u64 {
    let mut seen = vec![0u64; (1 << 24) / 64];
    let mut total = 0u64;
    for b in 0..texts.count.div_ceil(block) {
        let mut touched = Vec::new();
        for i in b * block..((b + 1) * block).min(texts.count) {
            for w in texts.text(i).windows(3) {
                let t = (usize::from(w[0]) << 16) | (usize::from(w[1]) << 8) | usize::from(w[2]);
                if seen[t / 64] & (1 << (t % 64)) == 0 {
                    seen[t / 64] |= 1 << (t % 64);
                    touched.push(t / 64);
                    total += 1;
                }
            }
        }
        for w in touched {
            seen[w] = 0;
        }
    }
    total
}

/// What one search found: the first `first` hits' positions and the count.
pub struct Found {
    pub first: Vec<usize>,
    pub count: usize,
    pub blocks_scanned: usize,
}

/// Articles whose text holds `query` (folded bytes), in list order. Stops
/// after `first` hits when `stop_early`; blocks the filter rules out are
/// skipped; with `verify`, each scanned block's checksum is checked first.
pub fn search(
    texts: &Texts,
    query: &[u8],
    filter: Option<&Filter>,
    first: usize,
    stop_early: bool,
    verify: bool,
) -> Found {
    let finder = Finder::new(query);
    let hashes = filter.map(|f| f.hashes(query));
    let block = filter.map_or(texts.block, |f| f.block);
    assert!(
        !verify || block == texts.block,
        "verify needs the filter's blocks to be the checksum blocks"
    );
    let bytes = texts.text_bytes();
    let mut found = Found {
        first: Vec::new(),
        count: 0,
        blocks_scanned: 0,
    };
    for b in 0..texts.count.div_ceil(block) {
        if let (Some(f), Some(h)) = (filter, &hashes)
            && !f.may_hold(b, h)
        {
            continue;
        }
        found.blocks_scanned += 1;
        let (s, e) = (
            texts.offsets[b * block] as usize,
            texts.offsets[((b + 1) * block).min(texts.count)] as usize,
        );
        if verify {
            // The filter's blocks are the checksum blocks (asserted below).
            assert!(texts.verify_block(b), "block {b} is corrupt");
        }
        let hay = &bytes[s..e];
        let mut pos = 0;
        while let Some(hit) = finder.find(&hay[pos..]) {
            let article = texts.article_at(s + pos + hit);
            found.count += 1;
            if found.first.len() < first {
                found.first.push(article);
                if stop_early && found.first.len() == first {
                    return found;
                }
            }
            pos = texts.offsets[article + 1] as usize - s;
            if pos >= hay.len() {
                break;
            }
        }
    }
    found
}

/// Bytes that make up words for the word index: ASCII letters and digits
/// and every byte of a non-ASCII character.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// A word index by block: every distinct word (maximal run of word bytes)
/// and the sorted blocks whose texts hold it. A substring query narrows by
/// it without ever dropping a match: each maximal run of word bytes in the
/// query lies inside one word of any text that holds the query, so a block
/// can hold the query only if, for every run, some word of the block
/// contains the run (found by a substring scan of the vocabulary).
pub struct WordIndex {
    pub block: usize,
    pub blocks: usize,
    /// The vocabulary, one word per line (scanned with memmem).
    pub vocab: Vec<u8>,
    /// Start of each word in `vocab`, and one past the end.
    starts: Vec<u32>,
    /// Blocks of word i: postings[post_starts[i]..post_starts[i + 1]].
    post_starts: Vec<u32>,
    postings: Vec<u32>,
}

impl WordIndex {
    pub fn build(texts: &Texts, block: usize) -> WordIndex {
        use std::collections::HashMap;
        let blocks = texts.count.div_ceil(block);
        let mut lists: HashMap<&[u8], Vec<u32>> = HashMap::new();
        for b in 0..blocks {
            for i in b * block..((b + 1) * block).min(texts.count) {
                for word in texts
                    .text(i)
                    .split(|&c| !is_word_byte(c))
                    .filter(|w| !w.is_empty())
                {
                    let list = lists.entry(word).or_default();
                    if list.last() != Some(&(b as u32)) {
                        list.push(b as u32);
                    }
                }
            }
        }
        let mut words: Vec<(&[u8], Vec<u32>)> = lists.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut index = WordIndex {
            block,
            blocks,
            vocab: Vec::new(),
            starts: Vec::new(),
            post_starts: Vec::new(),
            postings: Vec::new(),
        };
        for (word, list) in words {
            index.starts.push(index.vocab.len() as u32);
            index.vocab.extend_from_slice(word);
            index.vocab.push(b'\n');
            index.post_starts.push(index.postings.len() as u32);
            index.postings.extend(list);
        }
        index.starts.push(index.vocab.len() as u32);
        index.post_starts.push(index.postings.len() as u32);
        index
    }

    pub fn words(&self) -> usize {
        self.starts.len() - 1
    }

    /// Bytes on disk: the vocabulary, two u32 tables, and the postings as
    /// they are stored here (u32 block numbers; u16 would do below 65,536
    /// blocks, delta-varints less still).
    pub fn bytes(&self) -> usize {
        self.vocab.len()
            + self.starts.len() * 4
            + self.post_starts.len() * 4
            + self.postings.len() * 4
    }

    pub fn postings(&self) -> usize {
        self.postings.len()
    }

    /// The blocks that may hold `query` (sorted), or `None` when the query
    /// has no run of word bytes to narrow by.
    pub fn candidates(&self, query: &[u8]) -> Option<Vec<bool>> {
        let mut out: Option<Vec<bool>> = None;
        for run in query.split(|&c| !is_word_byte(c)).filter(|r| !r.is_empty()) {
            let mut these = vec![false; self.blocks];
            let finder = Finder::new(run);
            for at in finder.find_iter(&self.vocab) {
                // The word holding this hit (a run never spans a newline).
                let w = self.starts.partition_point(|&s| s as usize <= at) - 1;
                let (s, e) = (
                    self.post_starts[w] as usize,
                    self.post_starts[w + 1] as usize,
                );
                for &b in &self.postings[s..e] {
                    these[b as usize] = true;
                }
            }
            out = Some(match out {
                None => these,
                Some(prev) => prev.iter().zip(&these).map(|(a, b)| *a && *b).collect(),
            });
        }
        out
    }
}

/// `search`, scanning only the blocks the word index allows.
pub fn search_words(
    texts: &Texts,
    query: &[u8],
    index: &WordIndex,
    first: usize,
    stop_early: bool,
) -> Found {
    let finder = Finder::new(query);
    let allowed = index.candidates(query);
    let block = index.block;
    let bytes = texts.text_bytes();
    let mut found = Found {
        first: Vec::new(),
        count: 0,
        blocks_scanned: 0,
    };
    for b in 0..index.blocks {
        if allowed.as_ref().is_some_and(|a| !a[b]) {
            continue;
        }
        found.blocks_scanned += 1;
        let (s, e) = (
            texts.offsets[b * block] as usize,
            texts.offsets[((b + 1) * block).min(texts.count)] as usize,
        );
        let hay = &bytes[s..e];
        let mut pos = 0;
        while let Some(hit) = finder.find(&hay[pos..]) {
            let article = texts.article_at(s + pos + hit);
            found.count += 1;
            if found.first.len() < first {
                found.first.push(article);
                if stop_early && found.first.len() == first {
                    return found;
                }
            }
            pos = texts.offsets[article + 1] as usize - s;
            if pos >= hay.len() {
                break;
            }
        }
    }
    found
}

/// The full count on `threads` threads, each taking a contiguous share of
/// the blocks (what the reader's two cores would do).
pub fn count_parallel(texts: &Texts, query: &[u8], threads: usize) -> usize {
    let blocks = texts.count.div_ceil(texts.block);
    let per = blocks.div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let finder = Finder::new(query);
                    let (b0, b1) = (t * per, ((t + 1) * per).min(blocks));
                    if b0 >= b1 {
                        return 0;
                    }
                    let s = texts.offsets[b0 * texts.block] as usize;
                    let e = texts.offsets[(b1 * texts.block).min(texts.count)] as usize;
                    let hay = &texts.text_bytes()[s..e];
                    let mut pos = 0;
                    let mut count = 0;
                    while let Some(hit) = finder.find(&hay[pos..]) {
                        let article = texts.article_at(s + pos + hit);
                        count += 1;
                        pos = texts.offsets[article + 1] as usize - s;
                        if pos >= hay.len() {
                            break;
                        }
                    }
                    count
                })
            })
            .collect();
        parts.into_iter().map(|p| p.join().expect("no panic")).sum()
    })
}
