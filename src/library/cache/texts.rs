//! `texts.bin`: every article's folded search text in one memory-mapped
//! file that a search scans in place.
//!
//! ```text
//! header (64 bytes; every integer little-endian)
//!   0  magic        b"bsheetT\0"
//!   8  version      u32     FORMAT_VERSION, the same as summaries.bin's
//!  12  block        u32     256: texts per checksum block
//!  16  file_len     u64     the whole file
//!  24  generation   u64     the same as the summaries.bin of the same write
//!  32  count        u32     texts
//!  36  blocks       u32     ceil(count / block)
//!  40  text_len     u64     bytes of the text section
//!  48  rows         u32     rows of the summaries.bin the file goes with
//!  52  ordered      u32     1: a table of rows follows the sums; 0: row i's
//!                           text is text i, and rows = count
//!  56  checksum     u64     xxh3-64 of bytes 0..56 and of the tables
//! text        at 64: each folded text followed by a NUL, in the order written
//! offsets     (count + 1) x u64: text i is text[offsets[i] .. offsets[i+1] - 1]
//! block sums  blocks x u64: xxh3-64 of each block's text bytes and then
//!             its offsets (u64 each)
//! rows        (when ordered) rows x u32: the text of each row
//! ```
//!
//! The texts are in the order they were written, which need not be the
//! rows': the first index writes each text as its file is read, in
//! whatever order the reading threads finish, and the word index
//! (`words.bin`) numbers its articles the same way. The rows table then
//! says which text is each row's. Writers that have the texts in row
//! order already write no table.
//!
//! The header checksum covers the header and the tables, not the text:
//! hashing 430 MB at every start would cost about 20 ms, so each block's
//! text is checked on demand ([`TextFile::block_ok`]), by a background pass
//! after the list is shown or by the search before it first scans the
//! block. Opening validates the offsets and the rows table once (in order,
//! in bounds), so that whatever the text bytes hold, a read stays in
//! bounds; a text is read only when the NUL that closes it is there, so a
//! search never matches across two articles.

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
    let write = || -> io::Result<Vec<u8>> {
        let mut out = io::Cursor::new(Vec::new());
        let mut writer = TextsWriter::new(&mut out, generation)?;
        for text in texts {
            writer.push(text)?;
        }
        writer.finish()?;
        Ok(out.into_inner())
    };
    write().map_err(|err| CacheError::new(TEXTS_FILE, CacheErrorKind::Write(err.to_string())))
}

/// Writes a `texts.bin` as the texts come, straight through: the text
/// section right after the space of the header, the tables after it once
/// every offset and block sum is known, and the header last. So the first
/// index of a huge folder writes each text as it reads it, however many
/// there will be, in bounded memory (8 bytes per text for the offsets).
pub struct TextsWriter<W: Write + Seek> {
    out: io::BufWriter<W>,
    generation: u64,
    /// Where each text starts within the text section, and the end of the
    /// last one written.
    offsets: Vec<u64>,
    /// The sums of the blocks ended so far.
    sums: Vec<u64>,
    /// The sum of the current block so far: its text bytes as they pass.
    block: xxhash_rust::xxh3::Xxh3,
}

impl<W: Write + Seek> TextsWriter<W> {
    /// Starts a file at the start of `out` (whose position must be 0),
    /// with the write's `generation`. Fails when `out` does.
    pub fn new(out: W, generation: u64) -> io::Result<TextsWriter<W>> {
        let mut out = io::BufWriter::with_capacity(1 << 20, out);
        out.seek(io::SeekFrom::Start(HEADER_LEN as u64))?;
        Ok(TextsWriter {
            out,
            generation,
            offsets: vec![0],
            sums: Vec::new(),
            block: xxhash_rust::xxh3::Xxh3::new(),
        })
    }

    /// The number of texts pushed so far: the number the next one gets.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether no text was pushed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where each text pushed starts in the text section, and the end of
    /// the last one: text `i` and its NUL are `offsets()[i]..offsets()[i + 1]`.
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// Appends the next text. Fails when `out` does, or past 4 billion
    /// texts.
    pub fn push(&mut self, text: &str) -> io::Result<()> {
        self.push_bytes(text.as_bytes())
    }

    /// [`push`](Self::push) for a text given as its UTF-8 bytes, copied
    /// without decoding: each text is checked when read from the file.
    pub fn push_bytes(&mut self, text: &[u8]) -> io::Result<()> {
        if self.len() >= u32::MAX as usize {
            return Err(io::Error::other("over 4 billion texts"));
        }
        let end = self.offsets.last().copied().unwrap_or(0) + text.len() as u64 + 1;
        self.offsets.push(end);
        self.block.update(text);
        self.block.update(&[0]);
        self.out.write_all(text)?;
        self.out.write_all(&[0])?;
        if self.len().is_multiple_of(TEXT_BLOCK) {
            self.end_block();
        }
        Ok(())
    }

    /// Sums the current block (which holds at least one text): its bytes,
    /// hashed as they passed, and then its offsets.
    fn end_block(&mut self) {
        let first = (self.len() - 1) / TEXT_BLOCK * TEXT_BLOCK;
        for off in self.offsets.get(first..self.len()).unwrap_or(&[]) {
            self.block.update(&off.to_le_bytes());
        }
        self.sums.push(self.block.digest());
        self.block.reset();
    }

    /// Ends the file with row `i`'s text being text `i`: the tables, then
    /// the header, and flushes; returns the file's length. Fails when
    /// `out` does.
    pub fn finish(self) -> io::Result<u64> {
        let rows = self.len();
        self.finish_with(rows, None)
    }

    /// Ends the file with row `i`'s text being text `records[i]` (the
    /// texts were written in another order than the rows'), as
    /// [`finish`](Self::finish) does. Fails when a record is not a text
    /// written, or when `out` does.
    pub fn finish_ordered(self, records: &[u32]) -> io::Result<u64> {
        if records.iter().any(|&r| r as usize >= self.len()) {
            return Err(io::Error::other("a row names a text never written"));
        }
        self.finish_with(records.len(), Some(records))
    }

    /// [`finish`](Self::finish) with `rows` rows, given by `records` when
    /// they are not the texts' own order.
    fn finish_with(mut self, rows: usize, records: Option<&[u32]>) -> io::Result<u64> {
        let rows32 = u32::try_from(rows).map_err(|_| io::Error::other("over 4 billion rows"))?;
        if !self.len().is_multiple_of(TEXT_BLOCK) {
            self.end_block();
        }
        let text_len = self.offsets.last().copied().unwrap_or(0);
        let mut tables = Vec::with_capacity(
            (self.offsets.len() + self.sums.len()) * 8 + records.map_or(0, <[u32]>::len) * 4,
        );
        for off in &self.offsets {
            tables.extend_from_slice(&off.to_le_bytes());
        }
        for sum in &self.sums {
            tables.extend_from_slice(&sum.to_le_bytes());
        }
        for record in records.unwrap_or(&[]) {
            tables.extend_from_slice(&record.to_le_bytes());
        }
        let file_len = HEADER_LEN as u64 + text_len + tables.len() as u64;
        let mut head = Vec::with_capacity(HEADER_LEN);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        head.extend_from_slice(&(TEXT_BLOCK as u32).to_le_bytes());
        head.extend_from_slice(&file_len.to_le_bytes());
        head.extend_from_slice(&self.generation.to_le_bytes());
        // At most u32::MAX, as `push_bytes` checks.
        head.extend_from_slice(&(self.len() as u32).to_le_bytes());
        head.extend_from_slice(&(self.sums.len() as u32).to_le_bytes());
        head.extend_from_slice(&text_len.to_le_bytes());
        head.extend_from_slice(&rows32.to_le_bytes());
        head.extend_from_slice(&u32::from(records.is_some()).to_le_bytes());
        debug_assert_eq!(head.len(), CHECKSUM_AT);
        let sum = header_and_tables_sum(&head, &tables);
        head.extend_from_slice(&sum.to_le_bytes());
        self.out.write_all(&tables)?;
        self.out.seek(io::SeekFrom::Start(0))?;
        self.out.write_all(&head)?;
        self.out.flush()?;
        Ok(file_len)
    }
}

impl TextsWriter<&mut std::fs::File> {
    /// Writes out what is buffered, so that the texts written so far can
    /// be read back ([`read_texts_into`](Self::read_texts_into)).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Appends to `out` the bytes of texts `range` as written, each
    /// followed by its NUL, read back from the file (after a
    /// [`flush`](Self::flush)); returns where each of them starts in what
    /// was appended and where the last ends. For the word index of texts
    /// written in another order than the rows': gathered from the file in
    /// the texts' own order. Fails when the file cannot be read, or past
    /// the texts written.
    pub fn read_texts_into(
        &self,
        range: std::ops::Range<usize>,
        out: &mut Vec<u8>,
    ) -> io::Result<Vec<usize>> {
        use std::os::unix::fs::FileExt;
        let offsets = self
            .offsets
            .get(range.start..=range.end)
            .ok_or_else(|| io::Error::other("past the texts written"))?;
        let first = offsets.first().copied().unwrap_or(0);
        let len = offsets.last().copied().unwrap_or(0) - first;
        let at = out.len();
        out.resize(at + len as usize, 0);
        self.out
            .get_ref()
            .read_exact_at(&mut out[at..], HEADER_LEN as u64 + first)?;
        Ok(offsets
            .iter()
            .map(|&off| at + (off - first) as usize)
            .collect())
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

/// xxh3-64 of the header before its checksum field (`head`) and of the
/// tables after the text (`tables`).
fn header_and_tables_sum(head: &[u8], tables: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(head.get(..CHECKSUM_AT).unwrap_or(head));
    hasher.update(tables);
    hasher.digest()
}

/// The checksum of a whole file whose tables start at `tables_at`.
/// Out-of-bounds parts hash as what there is.
pub(super) fn checksum(file: &[u8], tables_at: usize) -> u64 {
    header_and_tables_sum(file, file.get(tables_at..).unwrap_or(&[]))
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
    /// Where the block sums start in the file, and where they end.
    sums_at: usize,
    sums_end: usize,
    /// The text of each row, when not the row's own number: copied at
    /// open and validated, like the offsets.
    records: Option<Vec<u32>>,
    /// The number of rows.
    rows: usize,
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
            sums_end: checked.sums_end,
            records: checked.records,
            rows: checked.rows,
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

    /// The number of rows (those of the matching `summaries.bin`), each
    /// with its text.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the file holds no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of texts written, in the order the word index numbers
    /// its articles: as many as the rows, or more when the first index
    /// read a file twice (under two paths) and kept one row of it.
    pub fn texts(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The number of checksum blocks ([`TEXT_BLOCK`] texts each, the last
    /// one maybe fewer).
    pub fn blocks(&self) -> usize {
        self.texts().div_ceil(TEXT_BLOCK)
    }

    /// The text section: every text followed by its NUL.
    fn text_section(&self) -> &[u8] {
        let end = HEADER_LEN.saturating_add(*self.offsets.last().unwrap_or(&0));
        self.map.get(HEADER_LEN..end).unwrap_or(&[])
    }

    /// The number of the text of row `i` (the word index's article number
    /// of that row), `None` past the last row.
    pub fn record(&self, i: usize) -> Option<usize> {
        match &self.records {
            Some(records) => records.get(i).map(|&r| r as usize),
            None => (i < self.rows).then_some(i),
        }
    }

    /// The folded text of row `i` ([`record_text`](Self::record_text) of
    /// its [`record`](Self::record)).
    pub fn text(&self, i: usize) -> Option<&str> {
        self.record_text(self.record(i)?)
    }

    /// The folded text numbered `record`, `None` past the end, when the
    /// NUL that closes it is not there, or when its bytes are not UTF-8 (a
    /// damaged block, which [`block_ok`](Self::block_ok) reports). Checked
    /// on every read: the texts are too large to check all at open (even
    /// a byte of each would read in every page of the file), and a check
    /// of one is about as fast as reading it.
    pub fn record_text(&self, record: usize) -> Option<&str> {
        let start = *self.offsets.get(record)?;
        // Validated at open: every next offset is above this one.
        let end = self.offsets.get(record.checked_add(1)?)?.checked_sub(1)?;
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
        let (start, end) = block_span(&self.offsets, self.texts(), block)?;
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
        // The sums table lies between the offsets and the rows, so a sum
        // past it is not one (validation rules it out; this keeps a read
        // from another table from ever standing in for a sum).
        if at.checked_add(8).is_none_or(|end| end > self.sums_end) {
            return false;
        }
        let first = block * TEXT_BLOCK;
        let last = (first + TEXT_BLOCK).min(self.texts());
        let Some(offsets) = self.offsets.get(first..last) else {
            return false;
        };
        block_sum(bytes, offsets.iter().map(|&off| off as u64)) == u64_at(&self.map, at)
    }
}

/// The checksum of a block: its bytes and then each of its texts' offsets
/// (8 bytes, little-endian), so that an offset moved within the block is
/// caught like a damaged byte. [`TextsWriter`] hashes the same as the
/// texts pass.
fn block_sum(bytes: &[u8], offsets: impl Iterator<Item = u64>) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(bytes);
    for off in offsets {
        hasher.update(&off.to_le_bytes());
    }
    hasher.digest()
}

/// What a checked file's header and tables give.
struct Checked {
    offsets: Vec<usize>,
    sums_at: usize,
    sums_end: usize,
    records: Option<Vec<u32>>,
    rows: usize,
}

/// Checks a whole file's bytes: the header, the tables' checksum, every
/// offset and every row's text number.
fn check(b: &[u8], generation: u64) -> Result<Checked, CacheErrorKind> {
    check_start(b, MAGIC, HEADER_LEN)?;
    if u32_at(b, 12) as usize != TEXT_BLOCK {
        return Err(CacheErrorKind::BadLayout("block size"));
    }
    let count = u32_at(b, 32) as usize;
    if u32_at(b, 36) as usize != count.div_ceil(TEXT_BLOCK) {
        return Err(CacheErrorKind::BadLayout("block count"));
    }
    let blocks = count.div_ceil(TEXT_BLOCK);
    let rows = u32_at(b, 48) as usize;
    let ordered = match u32_at(b, 52) {
        0 if rows == count => false,
        1 => true,
        _ => return Err(CacheErrorKind::BadLayout("rows")),
    };
    let text_len =
        usize::try_from(u64_at(b, 40)).map_err(|_| CacheErrorKind::BadLayout("section sizes"))?;
    // Checked arithmetic: the counts are the file's word, and a wrapped sum
    // could otherwise make impossible sizes add up.
    let sections = (|| {
        let offsets_at = HEADER_LEN.checked_add(text_len)?;
        let sums_at = offsets_at.checked_add(count.checked_add(1)?.checked_mul(8)?)?;
        let sums_end = sums_at.checked_add(blocks.checked_mul(8)?)?;
        let end = sums_end.checked_add(if ordered { rows.checked_mul(4)? } else { 0 })?;
        Some((offsets_at, sums_at, sums_end, end))
    })();
    let Some((offsets_at, sums_at, sums_end, end)) = sections else {
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
    if checksum(b, offsets_at) != u64_at(b, CHECKSUM_AT) {
        return Err(CacheErrorKind::ChecksumMismatch);
    }
    let offsets = validate(b.get(offsets_at..sums_at).unwrap_or(&[]), count, text_len)?;
    let records = if ordered {
        Some(validate_rows(b.get(sums_end..end).unwrap_or(&[]), count)?)
    } else {
        None
    };
    Ok(Checked {
        offsets,
        sums_at,
        sums_end,
        records,
        rows,
    })
}

/// Copies the offsets table and checks it: the first is 0, each is above
/// the one before (every text holds at least its NUL), the last is the end
/// of the text section. After this, every text's range is in bounds; the
/// NUL that closes it is checked when it is read.
fn validate(table: &[u8], count: usize, text_len: usize) -> Result<Vec<usize>, CacheErrorKind> {
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

/// Copies the rows table and checks that every row names a text of the
/// `count` there are.
fn validate_rows(table: &[u8], count: usize) -> Result<Vec<u32>, CacheErrorKind> {
    let mut records = Vec::with_capacity(table.len() / 4);
    for (row, entry) in table.chunks_exact(4).enumerate() {
        let record = u32_at(entry, 0);
        if record as usize >= count {
            return Err(CacheErrorKind::BadRow {
                row,
                what: "text number",
            });
        }
        records.push(record);
    }
    Ok(records)
}
