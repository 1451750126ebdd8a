//! (a) The format of our own: fixed-size records and a string arena in one
//! file, memory-mapped and read in place after a checksum and a bounds and
//! UTF-8 pass over every record.
//!
//! ```text
//! header (64 bytes, little-endian)
//!   0  magic      b"bsheetS\0"
//!   8  version    u32
//!  12  flags      u32 (0)
//!  16  file_len   u64   the whole file, header included
//!  24  generation u64   shared with the texts file of the same write
//!  32  count      u32   records
//!  36  rec_size   u32   RECORD (104)
//!  40  terms      u32   distinct tag/category spellings
//!  44  term_refs  u32   u32 entries in the term-ref table
//!  48  strings    u64   bytes in the string arena
//!  56  checksum   u64   xxh3-64 of bytes 0..56 and 64..file_len
//! records    count x 104 bytes, in the list's default order
//! term table terms x (off u32, len u32) into the arena
//! term refs  term_refs x u32 term numbers (a row's tags, then its categories)
//! padding    to 8 bytes
//! arena      strings (UTF-8, no terminator)
//! ```
//!
//! A record: id (off u32, len u32), title (off, len), author, source, url
//! (off, len; len u32::MAX for none), terms start u32, tag count u16,
//! category count u16, date i32 (days since 1970; i32::MIN for none), words
//! u32, term bits u64, stat key (dev, ino, size, mtime ns, ctime ns: 5 x 8).

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;

use std::time::{Duration, Instant};

use memmap2::{Mmap, MmapOptions};

use crate::model::{Stat, Summary};

pub const MAGIC: &[u8; 8] = b"bsheetS\0";
pub const VERSION: u32 = 1;
pub const HEADER: usize = 64;
pub const RECORD: usize = 104;
const NONE: u32 = u32::MAX;

/// Serializes the summaries into one buffer.
pub fn encode(summaries: &[Summary], generation: u64) -> Vec<u8> {
    let mut arena: Vec<u8> = Vec::new();
    let span = |arena: &mut Vec<u8>, s: &str| -> (u32, u32) {
        let off = u32::try_from(arena.len()).expect("arena under 4 GiB");
        arena.extend_from_slice(s.as_bytes());
        (off, u32::try_from(s.len()).expect("string under 4 GiB"))
    };
    let mut terms: HashMap<&str, u32> = HashMap::new();
    let mut term_table: Vec<(u32, u32)> = Vec::new();
    let mut refs: Vec<u32> = Vec::new();
    let mut records = Vec::with_capacity(summaries.len() * RECORD);
    for s in summaries {
        let id = span(&mut arena, &s.id);
        let title = span(&mut arena, &s.title);
        let opt = |arena: &mut Vec<u8>, o: &Option<String>| match o {
            Some(v) => span(arena, v),
            None => (0, NONE),
        };
        let author = opt(&mut arena, &s.author);
        let source = opt(&mut arena, &s.source);
        let url = opt(&mut arena, &s.url);
        let start = refs.len() as u32;
        for term in s.tags.iter().chain(&s.categories) {
            let n = *terms.entry(term.as_str()).or_insert_with(|| {
                term_table.push(span(&mut arena, term));
                (term_table.len() - 1) as u32
            });
            refs.push(n);
        }
        for (off, len) in [id, title, author, source, url] {
            records.extend_from_slice(&off.to_le_bytes());
            records.extend_from_slice(&len.to_le_bytes());
        }
        records.extend_from_slice(&start.to_le_bytes());
        records.extend_from_slice(&(s.tags.len() as u16).to_le_bytes());
        records.extend_from_slice(&(s.categories.len() as u16).to_le_bytes());
        records.extend_from_slice(&s.date.unwrap_or(i32::MIN).to_le_bytes());
        records.extend_from_slice(&s.words.to_le_bytes());
        records.extend_from_slice(&s.term_bits.to_le_bytes());
        let Stat {
            dev,
            ino,
            size,
            mtime_ns,
            ctime_ns,
        } = s.stat;
        for v in [dev, ino, size, mtime_ns as u64, ctime_ns as u64] {
            records.extend_from_slice(&v.to_le_bytes());
        }
    }
    debug_assert_eq!(records.len(), summaries.len() * RECORD);
    let mut out = Vec::with_capacity(
        HEADER + records.len() + term_table.len() * 8 + refs.len() * 4 + 8 + arena.len(),
    );
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes()); // file_len, set below
    out.extend_from_slice(&generation.to_le_bytes());
    out.extend_from_slice(&(summaries.len() as u32).to_le_bytes());
    out.extend_from_slice(&(RECORD as u32).to_le_bytes());
    out.extend_from_slice(&(term_table.len() as u32).to_le_bytes());
    out.extend_from_slice(&(refs.len() as u32).to_le_bytes());
    out.extend_from_slice(&(arena.len() as u64).to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes()); // checksum, set below
    out.extend_from_slice(&records);
    for (off, len) in &term_table {
        out.extend_from_slice(&off.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
    }
    for r in &refs {
        out.extend_from_slice(&r.to_le_bytes());
    }
    while out.len() % 8 != 0 {
        out.push(0);
    }
    out.extend_from_slice(&arena);
    let len = out.len() as u64;
    out[16..24].copy_from_slice(&len.to_le_bytes());
    let sum = checksum(&out);
    out[56..64].copy_from_slice(&sum.to_le_bytes());
    out
}

/// xxh3-64 of the header before the checksum field and everything after
/// the header.
pub fn checksum(file: &[u8]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&file[..56]);
    h.update(&file[HEADER..]);
    h.digest()
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap())
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// An opened summaries file: checked once, then read in place.
pub struct Summaries {
    map: Mmap,
    count: usize,
    records: usize,
    term_table: usize,
    terms: usize,
    refs: usize,
    term_refs: usize,
    arena: usize,
    arena_len: usize,
}

/// Why a cache file is not used (it is rebuilt).
#[derive(Debug)]
#[allow(dead_code)]
pub struct Broken(pub &'static str);

impl Summaries {
    /// Maps and checks the file; `verify_checksum` false skips the hash (to
    /// measure its share).
    /// `open`, with the time spent mapping, hashing and validating added to
    /// `phases`; `populate` asks the kernel to map every page at once
    /// (MAP_POPULATE) instead of one fault per page.
    pub fn open_timed(
        path: &Path,
        verify_checksum: bool,
        populate: bool,
        phases: &mut [Duration; 3],
    ) -> Result<Summaries, Broken> {
        let start = Instant::now();
        let file = File::open(path).map_err(|_| Broken("cannot open"))?;
        let mut options = MmapOptions::new();
        if populate {
            options.populate();
        }
        // SAFETY: the cache is only ever replaced by rename, never written in
        // place, so the mapped bytes do not change under us.
        let map = unsafe { options.map(&file) }.map_err(|_| Broken("cannot map"))?;
        phases[0] += start.elapsed();
        let b = &map[..];
        if b.len() < HEADER || &b[..8] != MAGIC {
            return Err(Broken("not a summaries file"));
        }
        if u32_at(b, 8) != VERSION {
            return Err(Broken("another format version"));
        }
        if u64_at(b, 16) != b.len() as u64 {
            return Err(Broken("truncated or extended"));
        }
        let count = u32_at(b, 32) as usize;
        if u32_at(b, 36) as usize != RECORD {
            return Err(Broken("record size"));
        }
        let terms = u32_at(b, 40) as usize;
        let term_refs = u32_at(b, 44) as usize;
        let arena_len = u64_at(b, 48) as usize;
        let records = HEADER;
        let term_table = records + count * RECORD;
        let refs = term_table + terms * 8;
        let arena = (refs + term_refs * 4).next_multiple_of(8);
        if arena.checked_add(arena_len) != Some(b.len()) {
            return Err(Broken("section sizes"));
        }
        let start = Instant::now();
        if verify_checksum && checksum(b) != u64_at(b, 56) {
            return Err(Broken("checksum"));
        }
        phases[1] += start.elapsed();
        let start = Instant::now();
        let this = Summaries {
            map,
            count,
            records,
            term_table,
            terms,
            refs,
            term_refs,
            arena,
            arena_len,
        };
        this.validate()?;
        phases[2] += start.elapsed();
        Ok(this)
    }

    /// Every span in bounds and valid UTF-8, every term reference in range:
    /// after this, accessors cannot fail or read out of bounds.
    fn validate(&self) -> Result<(), Broken> {
        let b = &self.map[..];
        // The whole arena is UTF-8 and every span starts and ends on a
        // character boundary: then every span is UTF-8 (one pass, not one
        // per string).
        let arena = std::str::from_utf8(&b[self.arena..]).map_err(|_| Broken("not UTF-8"))?;
        let check = |off: u32, len: u32| -> Result<(), Broken> {
            let (off, len) = (off as usize, len as usize);
            let end = off.checked_add(len).ok_or(Broken("span"))?;
            if end > arena.len() || !arena.is_char_boundary(off) || !arena.is_char_boundary(end) {
                return Err(Broken("span out of the arena or inside a character"));
            }
            Ok(())
        };
        for t in 0..self.terms {
            let at = self.term_table + t * 8;
            check(u32_at(b, at), u32_at(b, at + 4))?;
        }
        for r in 0..self.term_refs {
            if u32_at(b, self.refs + r * 4) as usize >= self.terms {
                return Err(Broken("term number"));
            }
        }
        for i in 0..self.count {
            let rec = &b[self.records + i * RECORD..][..RECORD];
            for field in 0..5 {
                let (off, len) = (u32_at(rec, field * 8), u32_at(rec, field * 8 + 4));
                if field >= 2 && len == NONE {
                    continue;
                }
                check(off, len)?;
            }
            let start = u32_at(rec, 40) as usize;
            let n = u16_at(rec, 44) as usize + u16_at(rec, 46) as usize;
            if start + n > self.term_refs {
                return Err(Broken("term refs"));
            }
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.count
    }

    fn rec(&self, i: usize) -> &[u8] {
        &self.map[self.records + i * RECORD..][..RECORD]
    }

    fn str_at(&self, off: u32, len: u32) -> &str {
        let s = &self.map[self.arena + off as usize..][..len as usize];
        // SAFETY: checked by `validate` when the file was opened, and the
        // mapped file never changes.
        unsafe { std::str::from_utf8_unchecked(s) }
    }

    pub fn id(&self, i: usize) -> &str {
        let r = self.rec(i);
        self.str_at(u32_at(r, 0), u32_at(r, 4))
    }

    pub fn title(&self, i: usize) -> &str {
        let r = self.rec(i);
        self.str_at(u32_at(r, 8), u32_at(r, 12))
    }

    pub fn date(&self, i: usize) -> Option<i32> {
        let d = u32_at(self.rec(i), 48) as i32;
        (d != i32::MIN).then_some(d)
    }

    fn term(&self, n: u32) -> &str {
        let at = self.term_table + n as usize * 8;
        self.str_at(u32_at(&self.map, at), u32_at(&self.map, at + 4))
    }

    pub fn tags(&self, i: usize) -> impl Iterator<Item = &str> {
        let r = self.rec(i);
        let start = u32_at(r, 40) as usize;
        let n = u16_at(r, 44) as usize;
        (start..start + n).map(move |k| self.term(u32_at(&self.map, self.refs + k * 4)))
    }

    pub fn term_bits(&self, i: usize) -> u64 {
        u64_at(self.rec(i), 56)
    }

    pub fn arena_len(&self) -> usize {
        self.arena_len
    }
}
