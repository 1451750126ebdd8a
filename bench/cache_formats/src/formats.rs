//! (b) serde + postcard, (c) rkyv, (d) SQLite: write and open.
//!
//! postcard and rkyv files end in an 8-byte xxh3-64 of what comes before
//! it (the same check the custom format makes), so every file format pays
//! for detecting a flipped byte; SQLite has no whole-file checksum and is
//! opened as it is.

use std::fs::{self, File};
use std::path::Path;

use memmap2::Mmap;
use rusqlite::{Connection, OpenFlags, params};

use crate::model::{Stat, Summary, touch_row};

fn with_trailer(mut bytes: Vec<u8>) -> Vec<u8> {
    let sum = xxhash_rust::xxh3::xxh3_64(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    bytes
}

/// The payload of a file with a checksum trailer, when the checksum holds.
fn checked(map: &[u8]) -> Option<&[u8]> {
    let (payload, trailer) = map.split_at_checked(map.len().checked_sub(8)?)?;
    (xxhash_rust::xxh3::xxh3_64(payload) == u64::from_le_bytes(trailer.try_into().ok()?))
        .then_some(payload)
}

fn map(path: &Path) -> Mmap {
    let file = File::open(path).expect("open the cache");
    // SAFETY: cache files are replaced by rename, never rewritten in place.
    unsafe { Mmap::map(&file) }.expect("map the cache")
}

// ---- postcard ----------------------------------------------------------

pub fn postcard_encode(summaries: &[Summary]) -> Vec<u8> {
    with_trailer(postcard::to_stdvec(summaries).expect("postcard encodes"))
}

/// Maps, checks and decodes into owned rows.
pub fn postcard_open(path: &Path) -> Vec<Summary> {
    let map = map(path);
    let payload = checked(&map).expect("checksum holds");
    postcard::from_bytes(payload).expect("postcard decodes")
}

pub fn touch_owned(rows: &[Summary]) -> u64 {
    rows.iter()
        .map(|s| touch_row(&s.title, s.date, s.tags.iter().map(String::as_str)))
        .fold(0, u64::wrapping_add)
}

// ---- rkyv --------------------------------------------------------------

pub fn rkyv_encode(summaries: &Vec<Summary>) -> Vec<u8> {
    let bytes = rkyv::to_bytes::<rkyv::rancor::Error>(summaries).expect("rkyv encodes");
    with_trailer(bytes.to_vec())
}

/// A mapped rkyv file, checked (xxh3 and bytecheck) once.
pub struct RkyvFile {
    map: Mmap,
}

impl RkyvFile {
    pub fn open(path: &Path) -> RkyvFile {
        let map = map(path);
        let payload = checked(&map).expect("checksum holds");
        rkyv::access::<rkyv::Archived<Vec<Summary>>, rkyv::rancor::Error>(payload)
            .expect("rkyv validates");
        RkyvFile { map }
    }

    pub fn rows(&self) -> &rkyv::Archived<Vec<Summary>> {
        let payload = &self.map[..self.map.len() - 8];
        // SAFETY: validated by `open`; the mapped file never changes.
        unsafe { rkyv::access_unchecked::<rkyv::Archived<Vec<Summary>>>(payload) }
    }

    pub fn touch(&self) -> u64 {
        self.rows()
            .iter()
            .map(|s| {
                touch_row(
                    s.title.as_str(),
                    s.date.as_ref().map(|d| d.to_native()),
                    s.tags.iter().map(|t| t.as_str()),
                )
            })
            .fold(0, u64::wrapping_add)
    }
}

// ---- SQLite ------------------------------------------------------------

const SEP: char = '\u{1f}';

/// Writes a new database next to `path` and renames it over `path`.
pub fn sqlite_write(path: &Path, summaries: &[Summary]) {
    let tmp = path.with_extension("tmp");
    let _ = fs::remove_file(&tmp);
    let mut db = Connection::open(&tmp).expect("create the database");
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;
         CREATE TABLE summary (
            pos INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, date INTEGER,
            tags TEXT NOT NULL, categories TEXT NOT NULL, author TEXT, source TEXT, url TEXT,
            words INTEGER NOT NULL, term_bits INTEGER NOT NULL, dev INTEGER NOT NULL,
            ino INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
            ctime_ns INTEGER NOT NULL);",
    )
    .expect("create the table");
    let tx = db.transaction().expect("begin");
    {
        let mut insert = tx
            .prepare("INSERT INTO summary VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)")
            .expect("prepare");
        let sep = SEP.to_string();
        for (pos, s) in summaries.iter().enumerate() {
            insert
                .execute(params![
                    pos as i64,
                    s.id,
                    s.title,
                    s.date,
                    s.tags.join(&sep),
                    s.categories.join(&sep),
                    s.author,
                    s.source,
                    s.url,
                    s.words,
                    s.term_bits as i64,
                    s.stat.dev as i64,
                    s.stat.ino as i64,
                    s.stat.size as i64,
                    s.stat.mtime_ns,
                    s.stat.ctime_ns,
                ])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
    drop(db);
    File::open(&tmp).and_then(|f| f.sync_all()).expect("fsync");
    fs::rename(&tmp, path).expect("rename");
}

fn split(s: String) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(SEP).map(str::to_owned).collect()
    }
}

/// Opens read-only and selects every row in the list's order into owned rows.
pub fn sqlite_open(path: &Path) -> Vec<Summary> {
    let db = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open the database");
    let mut select = db
        .prepare(
            "SELECT id, title, date, tags, categories, author, source, url, words, term_bits,
                    dev, ino, size, mtime_ns, ctime_ns FROM summary ORDER BY pos",
        )
        .expect("prepare");
    select
        .query_map([], |r| {
            Ok(Summary {
                id: r.get(0)?,
                title: r.get(1)?,
                date: r.get(2)?,
                tags: split(r.get(3)?),
                categories: split(r.get(4)?),
                author: r.get(5)?,
                source: r.get(6)?,
                url: r.get(7)?,
                words: r.get(8)?,
                term_bits: r.get::<_, i64>(9)? as u64,
                stat: Stat {
                    dev: r.get::<_, i64>(10)? as u64,
                    ino: r.get::<_, i64>(11)? as u64,
                    size: r.get::<_, i64>(12)? as u64,
                    mtime_ns: r.get(13)?,
                    ctime_ns: r.get(14)?,
                },
            })
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// An FTS5 trigram index of the folded texts (contentless: the texts
/// themselves live in the texts file), rowid = list position.
pub fn fts_write(path: &Path, texts: &[String]) {
    let tmp = path.with_extension("tmp");
    let _ = fs::remove_file(&tmp);
    let mut db = Connection::open(&tmp).expect("create the database");
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE text USING fts5(body, tokenize = 'trigram', content = '');",
    )
    .expect("create the table");
    let tx = db.transaction().expect("begin");
    {
        let mut insert = tx
            .prepare("INSERT INTO text (rowid, body) VALUES (?1, ?2)")
            .expect("prepare");
        for (pos, t) in texts.iter().enumerate() {
            insert.execute(params![pos as i64, t]).expect("insert");
        }
    }
    tx.commit().expect("commit");
    db.execute_batch("INSERT INTO text(text) VALUES('optimize');")
        .expect("optimize");
    drop(db);
    fs::rename(&tmp, path).expect("rename");
}

/// Positions whose text holds `word` by the FTS5 index, in list order, at
/// most `limit` (0: all).
pub fn fts_query(db: &Connection, word: &str, limit: usize) -> Vec<i64> {
    let phrase = format!("\"{}\"", word.replace('"', "\"\""));
    let sql = if limit == 0 {
        "SELECT rowid FROM text WHERE text MATCH ?1 ORDER BY rowid".to_owned()
    } else {
        format!("SELECT rowid FROM text WHERE text MATCH ?1 ORDER BY rowid LIMIT {limit}")
    };
    let mut q = db.prepare_cached(&sql).expect("prepare");
    q.query_map([phrase], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}
