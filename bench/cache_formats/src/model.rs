//! What the cache holds per article, built from broadsheet's own loader, and
//! the helpers every format shares (timing, memory figures, the "touch" that
//! proves every row's title, date and tags are reachable).

use std::fs;
use std::hint::black_box;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, Instant};

use broadsheet::library::{self, LoadOptions};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The stat key the background check compares against the folder.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
}

/// One list row: everything the list, the filters and the CLI need without
/// the article's text.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
pub struct Summary {
    pub id: String,
    pub title: String,
    /// Days since 1970-01-01.
    pub date: Option<i32>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub words: u32,
    pub term_bits: u64,
    pub stat: Stat,
}

/// The corpus as the cache writer sees it: summaries and folded texts, both
/// in the list's default order (newest first).
pub struct Corpus {
    pub summaries: Vec<Summary>,
    pub texts: Vec<String>,
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

/// Loads `dir` in full with broadsheet's loader (once; not timed as cache work).
pub fn load_corpus(dir: &Path) -> Corpus {
    let start = Instant::now();
    let library = library::load(dir, &LoadOptions::default()).expect("the corpus loads");
    eprintln!(
        "loaded {} articles from {} in {:.2} s",
        library.len(),
        dir.display(),
        start.elapsed().as_secs_f64()
    );
    let mut summaries = Vec::with_capacity(library.len());
    let mut texts = Vec::with_capacity(library.len());
    for article in library.iter() {
        let meta = fs::metadata(&article.path).expect("an article's file stats");
        summaries.push(Summary {
            id: article.id.clone(),
            title: article.title.clone(),
            date: article
                .date
                .map(|d| i32::try_from((d - epoch()).num_days()).expect("a date in range")),
            tags: article.tags.clone(),
            categories: article.categories.clone(),
            author: article.author.clone(),
            source: article.source.clone(),
            url: article.url.clone(),
            words: u32::try_from(article.words()).unwrap_or(u32::MAX),
            term_bits: article.term_bits,
            stat: Stat {
                dev: meta.dev(),
                ino: meta.ino(),
                size: meta.size(),
                mtime_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
                ctime_ns: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
            },
        });
        texts.push(article.folded.clone());
    }
    Corpus { summaries, texts }
}

/// `scale` copies of the summaries (ids made unique), to measure the list
/// side at 1,000,000 without generating and loading 4.4 GB.
pub fn scaled(summaries: &[Summary], scale: usize) -> Vec<Summary> {
    if scale <= 1 {
        return summaries.to_vec();
    }
    let mut out = Vec::with_capacity(summaries.len() * scale);
    for copy in 0..scale {
        for s in summaries {
            let mut s = s.clone();
            s.id = format!("{copy:02}/{}", s.id);
            s.stat.ino += (copy as u64) << 40;
            out.push(s);
        }
    }
    out
}

/// The work that proves a row's title, date and tags are reachable: the same
/// for every format, so the figures compare.
#[inline]
pub fn touch_row<'a>(title: &str, date: Option<i32>, tags: impl Iterator<Item = &'a str>) -> u64 {
    let mut acc = title.len() as u64 + date.unwrap_or(0) as u64;
    for tag in tags {
        acc = acc.wrapping_add(
            tag.len() as u64 + u64::from(tag.as_bytes().first().copied().unwrap_or(0)),
        );
    }
    acc
}

/// The median of some durations.
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs `f` `runs` times and gives the median time and the last result.
pub fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed());
        last = Some(black_box(out));
    }
    (median(times), last.expect("at least one run"))
}

/// A line of /proc/self/status in kB (VmHWM, RssAnon, RssFile).
pub fn status_kb(field: &str) -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| {
            let rest = line.strip_prefix(field)?.strip_prefix(':')?;
            rest.trim().trim_end_matches("kB").trim().parse().ok()
        })
        .unwrap_or(0)
}

pub fn memory_line() -> String {
    format!(
        "VmHWM {:.1} MB, RssAnon {:.1} MB, RssFile {:.1} MB",
        status_kb("VmHWM") as f64 / 1024.0,
        status_kb("RssAnon") as f64 / 1024.0,
        status_kb("RssFile") as f64 / 1024.0
    )
}

pub fn file_size(path: &Path) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Writes `bytes` to `path` the way the cache must: a temporary file in the
/// same folder, fsync, rename over the old one (a reader's map of the old
/// file stays valid).
pub fn write_atomic(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut file = fs::File::create(&tmp).expect("create the temporary file");
    file.write_all(bytes).expect("write the cache");
    file.sync_all().expect("fsync");
    fs::rename(&tmp, path).expect("rename over the old file");
}
