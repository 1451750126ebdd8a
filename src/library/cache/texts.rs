//! `texts.bin`: every article's folded search text, in the list's order, in
//! one memory-mapped file that a search scans in place.
//!
//! ```text
//! header (64 bytes; every integer little-endian)
//!   0  magic        b"bsheetT\0"
//!   8  version      u32     FORMAT_VERSION, the same as summaries.bin's
//!  12  block        u32     256: articles per checksum block
//!  16  file_len     u64     the whole file
//!  24  generation   u64     the same as the summaries.bin of the same write
//!  32  count        u32     texts
//!  36  blocks       u32     ceil(count / block)
//!  40  text_len     u64     bytes of the text section
//!  48  reserved     u64     0
//!  56  checksum     u64     xxh3-64 of bytes 0..56 and of the two tables
//! offsets     (count + 1) x u64: text i is text[offsets[i] .. offsets[i+1] - 1]
//! block sums  blocks x u64: xxh3-64 of each block's offsets (u64 each)
//!             and then its text bytes
//! text        each folded text followed by a NUL, text i for record i
//! ```
//!
//! The header checksum covers the header and the tables, not the text:
//! hashing 430 MB at every start would cost about 20 ms, so each block's
//! text is checked on demand ([`TextFile::block_ok`]), by a background pass
//! after the list is shown or by the search before it first scans the
//! block. Opening validates the offsets once (in order, in bounds), so that
//! whatever the text bytes hold, a read stays in bounds; a text is read
//! only when the NUL that closes it is there, so a search never matches
//! across two articles.

use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

use super::format::{Bytes, FORMAT_VERSION, Populate, check_start, map_checked, u32_at, u64_at};
use super::{CacheError, CacheErrorKind, CacheLock};

#[cfg(test)]
mod tests;

/// The file name of the search texts' cache file in the cache folder.
pub const TEXTS_FILE: &str = "texts.bin";

/// Articles per checksum block: large enough that the sums table stays small
/// (8 bytes per 256 articles), small enough that the search checks little
/// text before its first scan of a block.
pub const TEXT_BLOCK: usize = 256;

const MAGIC: &[u8; 8] = b"bsheetT\0";
const HEADER_LEN: usize = 64;
/// Where the checksum sits in the header; it covers the bytes before it and
/// the tables after the header.
const CHECKSUM_AT: usize = 56;

/// Serializes the folded search texts, in the order given (the order of the
/// `summaries.bin` rows of the same write), into the bytes of a `texts.bin`
/// with the write's `generation`. A text may itself hold a NUL: the offsets,
/// not the NULs, say where texts end, and a query never holds one. Fails
/// only when there are more than 4 billion texts, in which case the caller
/// runs without a cache.
pub fn encode_texts<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    generation: u64,
) -> Result<Vec<u8>, CacheError> {
    let texts: Vec<&str> = texts.into_iter().collect();
    let write = || -> io::Result<Vec<u8>> {
        let mut out = io::Cursor::new(Vec::new());
        let mut writer = TextsWriter::new(&mut out, texts.len(), generation)?;
        for text in &texts {
            writer.push(text)?;
        }
        writer.finish()?;
        Ok(out.into_inner())
    };
    write().map_err(|err| CacheError::new(TEXTS_FILE, CacheErrorKind::Write(err.to_string())))
}

/// Writes a `texts.bin` of a known number of texts as they come, in order,
/// holding at most one block of them ([`TEXT_BLOCK`] texts): the space of
/// the header and tables is left at the start of `out` and filled in by
/// [`finish`](Self::finish), once every offset and block sum is known. So
/// the first index of a huge folder writes its texts while it reads them,
/// in bounded memory (8 bytes per text for the offsets).
pub struct TextsWriter<W: Write + Seek> {
    out: io::BufWriter<W>,
    /// The number of texts the file is for.
    count: usize,
    generation: u64,
    /// Where each text starts within the text section, and the end of the
    /// last one written.
    offsets: Vec<u64>,
    /// The sums of the blocks written so far.
    sums: Vec<u64>,
    /// The texts of the current block, each followed by its NUL: a block's
    /// sum hashes its offsets before its bytes.
    block: Vec<u8>,
}

impl<W: Write + Seek> TextsWriter<W> {
    /// Starts a file of `count` texts at the start of `out` (whose
    /// position must be 0), with the write's `generation`. Fails when
    /// `out` does, or with more than 4 billion texts.
    pub fn new(out: W, count: usize, generation: u64) -> io::Result<TextsWriter<W>> {
        u32::try_from(count).map_err(|_| io::Error::other("over 4 billion texts"))?;
        let mut out = io::BufWriter::with_capacity(1 << 20, out);
        out.seek(io::SeekFrom::Start(Self::head_len(count) as u64))?;
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0);
        Ok(TextsWriter {
            out,
            count,
            generation,
            offsets,
            sums: Vec::with_capacity(count.div_ceil(TEXT_BLOCK)),
            block: Vec::new(),
        })
    }

    /// The bytes of the header and the two tables of a file of `count`
    /// texts: where the text section starts.
    fn head_len(count: usize) -> usize {
        HEADER_LEN + (count + 1) * 8 + count.div_ceil(TEXT_BLOCK) * 8
    }

    /// The number of texts pushed so far.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether no text was pushed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends the next text. Fails when `out` does, or when all `count`
    /// texts were pushed already.
    pub fn push(&mut self, text: &str) -> io::Result<()> {
        self.push_bytes(text.as_bytes())
    }

    /// [`push`](Self::push) for a text given as its UTF-8 bytes (read back
    /// from where the index set it aside), copied without decoding: each
    /// text is checked when read from the file.
    pub fn push_bytes(&mut self, text: &[u8]) -> io::Result<()> {
        if self.len() >= self.count {
            return Err(io::Error::other("more texts than the file was started for"));
        }
        let end = self.offsets.last().copied().unwrap_or(0) + text.len() as u64 + 1;
        self.offsets.push(end);
        self.block.extend_from_slice(text);
        self.block.push(0);
        if self.len().is_multiple_of(TEXT_BLOCK) {
            self.end_block()?;
        }
        Ok(())
    }

    /// Sums and writes the current block (which holds at least one text).
    fn end_block(&mut self) -> io::Result<()> {
        let first = (self.len() - 1) / TEXT_BLOCK * TEXT_BLOCK;
        let offsets = self.offsets.get(first..self.len()).unwrap_or(&[]);
        self.sums
            .push(block_sum(offsets.iter().copied(), &self.block));
        self.out.write_all(&self.block)?;
        self.block.clear();
        Ok(())
    }

    /// Writes the last block, then the header and tables at the start of
    /// the file, and flushes; returns the file's length. Fails when fewer
    /// texts were pushed than the file was started for, or when `out` does.
    pub fn finish(mut self) -> io::Result<u64> {
        if self.len() != self.count {
            return Err(io::Error::other(format!(
                "{} texts written of {}",
                self.len(),
                self.count
            )));
        }
        if !self.block.is_empty() {
            self.end_block()?;
        }
        let text_len = self.offsets.last().copied().unwrap_or(0);
        let text_at = Self::head_len(self.count);
        let mut head = Vec::with_capacity(text_at);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        head.extend_from_slice(&(TEXT_BLOCK as u32).to_le_bytes());
        let file_len = text_at as u64 + text_len;
        head.extend_from_slice(&file_len.to_le_bytes());
        head.extend_from_slice(&self.generation.to_le_bytes());
        // Checked in `new`.
        head.extend_from_slice(&(self.count as u32).to_le_bytes());
        head.extend_from_slice(&(self.sums.len() as u32).to_le_bytes());
        head.extend_from_slice(&text_len.to_le_bytes());
        head.extend_from_slice(&0u64.to_le_bytes()); // reserved
        head.extend_from_slice(&0u64.to_le_bytes()); // checksum, set below
        debug_assert_eq!(head.len(), HEADER_LEN);
        for off in &self.offsets {
            head.extend_from_slice(&off.to_le_bytes());
        }
        for sum in &self.sums {
            head.extend_from_slice(&sum.to_le_bytes());
        }
        debug_assert_eq!(head.len(), text_at);
        let sum = checksum(&head, text_at);
        head[CHECKSUM_AT..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
        self.out.seek(io::SeekFrom::Start(0))?;
        self.out.write_all(&head)?;
        self.out.flush()?;
        Ok(file_len)
    }
}

/// Writes the bytes of a `texts.bin` ([`encode_texts`]) into the cache
/// folder `dir`, under its lock, the same way as
/// [`write_summaries`](super::write_summaries): the old file, which readers
/// may have mapped, is replaced by rename and never changed. It goes before
/// the `summaries.bin` of the same write, which is the commit.
pub fn write_texts(dir: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    let lock = CacheLock::acquire(dir)?;
    lock.replace(dir, TEXTS_FILE, bytes)
}

/// xxh3-64 of the header before its checksum field and of the tables
/// (`HEADER_LEN..text_at`). Out-of-bounds parts hash as what there is.
pub(super) fn checksum(file: &[u8], text_at: usize) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(file.get(..CHECKSUM_AT).unwrap_or(file));
    hasher.update(file.get(HEADER_LEN..text_at).unwrap_or(&[]));
    hasher.digest()
}

/// The byte range, within the text section, of block `block`: from the
/// start of its first text to the end of its last. `None` past the end.
fn block_span<T: Copy + TryInto<usize>>(
    offsets: &[T],
    count: usize,
    block: usize,
) -> Option<(usize, usize)> {
    let first = block.checked_mul(TEXT_BLOCK)?;
    if first >= count {
        return None;
    }
    let last = first.saturating_add(TEXT_BLOCK).min(count);
    let start = (*offsets.get(first)?).try_into().ok()?;
    let end = (*offsets.get(last)?).try_into().ok()?;
    (start <= end).then_some((start, end))
}

/// An opened `texts.bin` whose header, tables and offsets were checked: its
/// texts are read in place from the mapped file. The text bytes are only
/// checked per block, on demand ([`block_ok`](Self::block_ok)); until a
/// block is checked its texts may be damaged, though reading them never
/// panics and never reads out of bounds. Keeping it open is safe while a
/// writer replaces the file, as for [`SummaryFile`](super::SummaryFile).
#[derive(Debug)]
pub struct TextFile {
    map: Bytes,
    path: PathBuf,
    generation: u64,
    /// The offsets table, copied at open (8 bytes per article) so that a
    /// lookup reads validated numbers, not the file's.
    offsets: Vec<usize>,
    /// Where the block sums and the text section start in the file.
    sums_at: usize,
    text_at: usize,
}

impl TextFile {
    /// Maps the file and checks it: magic, version, length, that the
    /// section sizes add up, that its generation is `generation` (the
    /// `summaries.bin` it goes with), the checksum of the header and tables,
    /// and then every offset: starting at 0, increasing, ending at the end
    /// of the text, with a NUL closing every text. Any failure names the
    /// file and what was wrong, and the caller rebuilds the cache.
    pub fn open(path: &Path, generation: u64) -> Result<TextFile, CacheError> {
        let (map, checked) = map_checked(path, HEADER_LEN, Populate::OnDemand, |bytes| {
            check(bytes, generation)
        })?;
        Ok(TextFile::with(
            Bytes::Mapped(map),
            path,
            generation,
            checked,
        ))
    }

    /// Checks bytes made by [`encode_texts`] and held in memory, as
    /// [`open`](Self::open) checks a file (the text blocks included): for a
    /// library that is not (or not yet) backed by a cache file. `name`
    /// names it in errors.
    pub fn from_bytes(
        bytes: Vec<u8>,
        name: &Path,
        generation: u64,
    ) -> Result<TextFile, CacheError> {
        let checked = check(&bytes, generation).map_err(|kind| CacheError::new(name, kind))?;
        Ok(TextFile::with(
            Bytes::Owned(bytes),
            name,
            generation,
            checked,
        ))
    }

    fn with(map: Bytes, path: &Path, generation: u64, checked: Checked) -> TextFile {
        TextFile {
            map,
            path: path.to_path_buf(),
            generation,
            offsets: checked.offsets,
            sums_at: checked.sums_at,
            text_at: checked.text_at,
        }
    }

    /// The file's bytes, as a cache write stores them.
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// The file this was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The generation of the write that made the file.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The number of texts (the rows of the matching `summaries.bin`).
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether the file holds no texts.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of checksum blocks ([`TEXT_BLOCK`] texts each, the last
    /// one maybe fewer).
    pub fn blocks(&self) -> usize {
        self.len().div_ceil(TEXT_BLOCK)
    }

    /// The text section: every text followed by its NUL.
    fn text_section(&self) -> &[u8] {
        self.map.get(self.text_at..).unwrap_or(&[])
    }

    /// The folded text of row `i`, `None` past the end, when the NUL that
    /// closes it is not there, or when its bytes are not UTF-8 (a damaged
    /// block, which [`block_ok`](Self::block_ok) reports). Checked on every
    /// read: the texts are too large to check all at open (even a byte of
    /// each would read in every page of the file), and a check of one is
    /// about as fast as reading it.
    pub fn text(&self, i: usize) -> Option<&str> {
        let start = *self.offsets.get(i)?;
        // Validated at open: every next offset is above this one.
        let end = self.offsets.get(i.checked_add(1)?)?.checked_sub(1)?;
        let section = self.text_section();
        if section.get(end) != Some(&0) {
            return None;
        }
        std::str::from_utf8(section.get(start..end)?).ok()
    }

    /// The bytes of block `block` (its texts and their NULs), for a search
    /// that scans block by block; `None` past the last block. Not checked:
    /// call [`block_ok`](Self::block_ok) before trusting them.
    pub fn block_bytes(&self, block: usize) -> Option<&[u8]> {
        let (start, end) = block_span(&self.offsets, self.len(), block)?;
        self.text_section().get(start..end)
    }

    /// Whether block `block`'s text bytes match their checksum; false past
    /// the last block. A false one means the file was damaged after it was
    /// written, and the cache is rebuilt. About 0.05 ms per block of 256
    /// articles.
    pub fn block_ok(&self, block: usize) -> bool {
        let Some(bytes) = self.block_bytes(block) else {
            return false;
        };
        let Some(at) = block
            .checked_mul(8)
            .and_then(|n| n.checked_add(self.sums_at))
        else {
            return false;
        };
        // The sums table lies before the text, so a sum at or past it is
        // not one (validation rules it out; this keeps a read from the text
        // from ever standing in for a sum).
        if at.checked_add(8).is_none_or(|end| end > self.text_at) {
            return false;
        }
        let first = block * TEXT_BLOCK;
        let last = (first + TEXT_BLOCK).min(self.len());
        let Some(offsets) = self.offsets.get(first..last) else {
            return false;
        };
        block_sum(offsets.iter().map(|&off| off as u64), bytes) == u64_at(&self.map, at)
    }
}

/// The checksum of a block: each of its texts' offsets (8 bytes,
/// little-endian) and then its bytes, so that an offset moved within the
/// block is caught like a damaged byte.
fn block_sum(offsets: impl Iterator<Item = u64>, bytes: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for off in offsets {
        hasher.update(&off.to_le_bytes());
    }
    hasher.update(bytes);
    hasher.digest()
}

/// What a checked file's header and tables give.
struct Checked {
    offsets: Vec<usize>,
    sums_at: usize,
    text_at: usize,
}

/// Checks a whole file's bytes: the header, the tables' checksum and every
/// offset.
fn check(b: &[u8], generation: u64) -> Result<Checked, CacheErrorKind> {
    check_start(b, MAGIC, HEADER_LEN)?;
    if u32_at(b, 12) as usize != TEXT_BLOCK {
        return Err(CacheErrorKind::BadLayout("block size"));
    }
    if u64_at(b, 48) != 0 {
        return Err(CacheErrorKind::BadLayout("reserved bytes"));
    }
    let count = u32_at(b, 32) as usize;
    if u32_at(b, 36) as usize != count.div_ceil(TEXT_BLOCK) {
        return Err(CacheErrorKind::BadLayout("block count"));
    }
    let blocks = count.div_ceil(TEXT_BLOCK);
    let text_len =
        usize::try_from(u64_at(b, 40)).map_err(|_| CacheErrorKind::BadLayout("section sizes"))?;
    // Checked arithmetic: the counts are the file's word, and a wrapped sum
    // could otherwise make impossible sizes add up.
    let sections = (|| {
        let sums_at = HEADER_LEN.checked_add(count.checked_add(1)?.checked_mul(8)?)?;
        let text_at = sums_at.checked_add(blocks.checked_mul(8)?)?;
        let end = text_at.checked_add(text_len)?;
        Some((sums_at, text_at, end))
    })();
    let Some((sums_at, text_at, end)) = sections else {
        return Err(CacheErrorKind::BadLayout("section sizes"));
    };
    if end != b.len() {
        return Err(CacheErrorKind::BadLayout("section sizes"));
    }
    let found = u64_at(b, 24);
    if found != generation {
        return Err(CacheErrorKind::OtherGeneration {
            expected: generation,
            found,
        });
    }
    if checksum(b, text_at) != u64_at(b, CHECKSUM_AT) {
        return Err(CacheErrorKind::ChecksumMismatch);
    }
    let offsets = validate(b, count, text_len)?;
    Ok(Checked {
        offsets,
        sums_at,
        text_at,
    })
}

/// Copies the offsets table and checks it: the first is 0, each is above
/// the one before (every text holds at least its NUL), the last is the end
/// of the text section. After this, every text's range is in bounds; the
/// NUL that closes it is checked when it is read.
fn validate(b: &[u8], count: usize, text_len: usize) -> Result<Vec<usize>, CacheErrorKind> {
    let table = b
        .get(HEADER_LEN..HEADER_LEN + (count + 1) * 8)
        .unwrap_or(&[]);
    let mut offsets = Vec::with_capacity(count + 1);
    let mut previous: Option<usize> = None;
    for (i, entry) in table.chunks_exact(8).enumerate() {
        // Entry i ends text i - 1.
        let row = i.saturating_sub(1);
        let bad = |what| CacheErrorKind::BadRow { row, what };
        let off = usize::try_from(u64_at(entry, 0)).map_err(|_| bad("text offset"))?;
        match previous {
            None if off != 0 => return Err(bad("text offset")),
            Some(previous) if off <= previous => return Err(bad("text offset")),
            _ => {}
        }
        if off > text_len {
            return Err(bad("text offset"));
        }
        offsets.push(off);
        previous = Some(off);
    }
    if offsets.len() != count + 1 || offsets.last() != Some(&text_len) {
        return Err(CacheErrorKind::BadLayout("text length"));
    }
    Ok(offsets)
}
