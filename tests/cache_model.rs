//! A model-based test of the on-disk cache against the folder it follows:
//! random sequences of what happens to an articles folder and its cache
//! (files created, deleted, renamed, recreated under the same name, rewritten
//! in place with the old size and modification time, truncated, half
//! written; folders added and removed; the reader restarted from its cache; a
//! cache write killed part way; a second instance saving the same cache) are
//! applied to a real folder, and after every step the reader's library,
//! brought up to date with `refresh` (and saved when the step says so), must
//! list exactly what a fresh `load` of the folder lists, and answer random
//! queries with exactly the same articles.
//!
//! The model is the folder itself: a fresh load is the truth the reader's
//! library is compared with, and the operations pick their targets among the
//! files there are. The checks use a settling window of [`SETTLE`] (the
//! reader's is 2 s), so that the folders need not wait long. Every case
//! starts from a folder whose files are older than that window, so that
//! their stat keys are trusted and an unnoticed change of an untouched file
//! would show; what a case writes is read again by every check within the
//! window, and trusted after it, as `refresh` wants. Each
//! folder comes with a first cache, saved when its files had other words
//! (same sizes): it must open to the folder once brought up to date, and its
//! files are the older generation a killed write may leave behind.

mod listing;
use listing::listing;

use std::cell::RefCell;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use broadsheet::library::cache::{SUMMARIES_FILE, TEXTS_FILE, WORDS_FILE};
use broadsheet::library::query::parse;
use broadsheet::library::refresh::{CheckOptions, refresh_with};
use broadsheet::library::stored::{open_cached, save};
use broadsheet::library::{Library, LoadOptions, Marks, SortOrder, load};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Body and title words: all five letters, so that one can replace another
/// without changing a file's size.
const WORDS: [&str; 8] = [
    "apple", "bread", "cider", "delta", "eagle", "flute", "grape", "honey",
];
/// Tags, two of them differing only in case.
const TAGS: [&str; 5] = ["news", "Tech", "tech", "tv", "film"];
/// Categories, two of them differing only in case.
const CATEGORIES: [&str; 3] = ["News", "news", "Reviews"];
/// Dates, one impossible (the article then has none).
const DATES: [&str; 5] = [
    "2024-01-01",
    "2024-01-02",
    "2023-06-15",
    "2024-12-31",
    "2024-02-30",
];
/// Where files go: the top and a few subfolders.
const FOLDERS: [&str; 4] = ["", "sub/", "sub/deep/", "zz/"];
/// Folders made whole with their files by one step.
const NEW_FOLDERS: [&str; 3] = ["new/", "new/inner/", "sub/more/"];
/// File names: plain, Markdown, without an extension, and one that reads as
/// `a.txt` once its control character is removed (so ids clash).
const NAMES: [&str; 6] = ["a.txt", "b.txt", "c.md", "notes", "a\u{7}.txt", "e.md"];

/// The cache files, as the steps that damage them name them.
const CACHE_FILES: [&str; 3] = [SUMMARIES_FILE, TEXTS_FILE, WORDS_FILE];

/// The checks' settling window: well past any file-system timestamp tick,
/// short enough that the pool's folders settle quickly and that files a
/// case writes settle during longer cases.
const SETTLE: Duration = Duration::from_millis(300);
/// How long after its files were written a folder is settled: past
/// [`SETTLE`], with room for a coarse clock.
const SETTLED_AFTER: Duration = Duration::from_millis(400);
/// How many settled folders are made at a time.
const POOL_BATCH: usize = 32;

/// One article as written to a file.
#[derive(Debug, Clone)]
struct Spec {
    title: String,
    date: &'static str,
    tags: Vec<&'static str>,
    categories: Vec<&'static str>,
    body: Vec<&'static str>,
}

impl Spec {
    /// The file's text: Markdown with TOML front matter for `.md`, the
    /// plain format with its header line otherwise.
    fn render(&self, name: &str) -> String {
        let body = self.body.join(" ");
        if name.ends_with(".md") {
            let list = |terms: &[&str]| {
                terms
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "+++\ntitle = \"{}\"\ndate = \"{}\"\ntags = [{}]\ncategories = [{}]\n+++\n\n{body}.\n",
                self.title,
                self.date,
                list(&self.tags),
                list(&self.categories),
            )
        } else {
            let mut header = format!(" date {}", self.date);
            if !self.tags.is_empty() {
                header.push_str(&format!(" | Tagged: {}", self.tags.join(", ")));
            }
            if !self.categories.is_empty() {
                header.push_str(&format!(" | Posted in: {}", self.categories.join(", ")));
            }
            format!("{header}\n\n{}\n\n{body}.\n", self.title)
        }
    }
}

fn word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&WORDS[..])
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (word(), word()),
        prop::sample::select(&DATES[..]),
        vec(prop::sample::select(&TAGS[..]), 0..3),
        vec(prop::sample::select(&CATEGORIES[..]), 0..2),
        vec(word(), 2..10),
    )
        .prop_map(|((a, b), date, tags, categories, body)| {
            let capital = |w: &str| format!("{}{}", w[..1].to_uppercase(), &w[1..]);
            Spec {
                title: format!("{} {}", capital(a), capital(b)),
                date,
                tags,
                categories,
                body,
            }
        })
}

/// A file's path relative to the articles folder, from the pools.
fn file_name() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&FOLDERS[..]),
        prop::sample::select(&NAMES[..]),
    )
        .prop_map(|(folder, name)| format!("{folder}{name}"))
}

/// How a killed cache write leaves a cache file.
#[derive(Debug, Clone)]
enum Damage {
    /// Cut to this share (in percent) of its length.
    Cut(u8),
    /// One byte changed (at this share of the length, in thousandths).
    Flip(u16),
    /// The file from an earlier save, another generation: the case's first
    /// cache (`true`: its texts are of other words of the same, settled,
    /// files), else the one the last save replaced.
    Older(bool),
    /// Gone.
    Missing,
}

#[derive(Debug, Clone)]
enum Op {
    /// A new file (or one written over): it must be listed, and found.
    Create { path: String, spec: Spec },
    /// A file removed: it must go from the list.
    Delete { pick: Index },
    /// A file moved, maybe into another folder: listed under its new name
    /// only, with its path.
    Rename { pick: Index, to: String },
    /// A file removed and another written under its name at once (its inode
    /// may be reused): the new content is what is listed. Without a spec,
    /// the new file has the old size and modification time, so only its
    /// change time (and maybe its inode) tells it apart.
    Recreate { pick: Index, spec: Option<Spec> },
    /// A file rewritten in place with the same size, its old modification
    /// time put back: only the change time tells, and must.
    RewriteSameSize { pick: Index, seed: usize },
    /// A file cut to nothing or to its first half.
    Truncate { pick: Index, half: bool },
    /// The first part of an article written without the rest (a writer
    /// still at work, or killed).
    HalfWritten {
        path: String,
        spec: Spec,
        percent: u8,
    },
    /// A new folder with files in it, all listed.
    AddFolder {
        folder: &'static str,
        files: Vec<(&'static str, Spec)>,
    },
    /// A whole subfolder removed: its articles go.
    RemoveFolder { pick: Index },
    /// The reader restarts: its library dropped, opened from the cache
    /// (which must open unless damaged since the last save: it was saved
    /// whole) and brought up to date, when it must be the folder.
    Restart,
    /// A cache write killed part way (one cache file cut, changed, from an
    /// older save, or missing), then a restart: the cache must be refused
    /// (the reader loads the folder and saves a new one) or give, once
    /// brought up to date, what a fresh load gives.
    KilledWrite { file: usize, damage: Damage },
    /// A second instance on the same folder and cache: opened from the
    /// cache the first time, brought up to date and saved, in turn with the
    /// reader's saves; it must list what a fresh load lists too.
    Second,
}

fn op() -> impl Strategy<Value = Op> {
    let damage = prop_oneof![
        1 => (0u8..100).prop_map(Damage::Cut),
        1 => (0u16..1000).prop_map(Damage::Flip),
        2 => any::<bool>().prop_map(Damage::Older),
        1 => Just(Damage::Missing),
    ];
    prop_oneof![
        4 => (file_name(), spec()).prop_map(|(path, spec)| Op::Create { path, spec }),
        2 => any::<Index>().prop_map(|pick| Op::Delete { pick }),
        2 => (any::<Index>(), file_name()).prop_map(|(pick, to)| Op::Rename { pick, to }),
        2 => (any::<Index>(), prop::option::of(spec()))
            .prop_map(|(pick, spec)| Op::Recreate { pick, spec }),
        3 => (any::<Index>(), any::<usize>())
            .prop_map(|(pick, seed)| Op::RewriteSameSize { pick, seed }),
        1 => (any::<Index>(), any::<bool>()).prop_map(|(pick, half)| Op::Truncate { pick, half }),
        1 => (file_name(), spec(), 1u8..100)
            .prop_map(|(path, spec, percent)| Op::HalfWritten { path, spec, percent }),
        1 => (
            prop::sample::select(&NEW_FOLDERS[..]),
            vec((prop::sample::select(&NAMES[..]), spec()), 1..4),
        )
            .prop_map(|(folder, files)| Op::AddFolder { folder, files }),
        1 => any::<Index>().prop_map(|pick| Op::RemoveFolder { pick }),
        2 => Just(Op::Restart),
        3 => (0..CACHE_FILES.len(), damage)
            .prop_map(|(file, damage)| Op::KilledWrite { file, damage }),
        1 => Just(Op::Second),
    ]
}

/// A query of the small language the steps check with: words of the
/// pool, phrases of two, terms, negations, alternatives, dates.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        word().prop_map(str::to_string),
        (word(), word()).prop_map(|(a, b)| format!("\"{a} {b}\"")),
        prop::sample::select(&TAGS[..]).prop_map(|t| format!("tag:{t}")),
        prop::sample::select(&CATEGORIES[..]).prop_map(|c| format!("cat:{c}")),
        word().prop_map(|w| format!("-{w}")),
        (word(), word()).prop_map(|(a, b)| format!("{a} or {b}")),
        Just("date:2024-01..2024-12".to_string()),
    ]
}

#[derive(Debug, Clone)]
struct Step {
    op: Op,
    /// Whether the reader saves its library after the step.
    save: bool,
    queries: [String; 3],
}

fn step() -> impl Strategy<Value = Step> {
    (op(), any::<bool>(), [query(), query(), query()]).prop_map(|(op, save, queries)| Step {
        op,
        save,
        queries,
    })
}

/// The ids of the articles `query` finds, in list order.
fn found(library: &Library, query: &str) -> Vec<String> {
    let parsed = parse(query).expect("a generated query parses");
    library
        .matching(&parsed, &Marks::default(), &library.order(SortOrder::Date))
        .into_iter()
        .map(|position| {
            library
                .get(position)
                .expect("a found position is live")
                .id()
                .to_string()
        })
        .collect()
}

fn fresh(root: &Path) -> Library {
    load(root, &LoadOptions::default()).expect("the folder loads")
}

/// The library brought up to date with its folder.
fn up_to_date(library: Library) -> Library {
    let check = CheckOptions { settle: SETTLE };
    let checked =
        refresh_with(&library, &LoadOptions::default(), &check).expect("the folder is checked");
    checked.library.unwrap_or(library)
}

fn write(root: &Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder).expect("a folder for the article");
    }
    fs::write(path, bytes).expect("an article written");
}

/// Every file (relative path) or every subfolder under `root`, sorted.
fn entries(root: &Path, folders: bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, folders: bool, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("a folder listed") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                if folders {
                    out.push(path.clone());
                }
                walk(&path, folders, out);
            } else if !folders {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, folders, &mut out);
    out.sort();
    out
}

/// The same bytes with one pool word replaced by another (or, without
/// one, one lowercase letter changed): same size, other content.
fn same_size_variant(bytes: &[u8], seed: usize) -> Vec<u8> {
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for (n, word) in WORDS.iter().enumerate() {
        let word = word.as_bytes();
        for at in 0..bytes.len().saturating_sub(word.len() - 1) {
            if &bytes[at..at + word.len()] == word {
                hits.push((at, n));
            }
        }
    }
    hits.sort_unstable();
    let mut out = bytes.to_vec();
    if let Some(&(at, n)) = hits.get(seed % hits.len().max(1)) {
        let other = WORDS[(n + 1 + seed % (WORDS.len() - 1)) % WORDS.len()];
        out[at..at + other.len()].copy_from_slice(other.as_bytes());
    } else {
        let letters: Vec<usize> = (0..bytes.len())
            .filter(|&at| bytes[at].is_ascii_lowercase())
            .collect();
        if let Some(&at) = letters.get(seed % letters.len().max(1)) {
            out[at] = if out[at] == b'z' { b'a' } else { out[at] + 1 };
        }
    }
    out
}

/// Writes `bytes` over the file at `path` in place and puts its old
/// modification time back.
fn rewrite_keeping_mtime(path: &Path, bytes: &[u8], mtime: std::time::SystemTime) {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .truncate(false)
        .open(path)
        .expect("the article opens for writing");
    file.write_all(bytes).expect("the article rewritten");
    file.set_modified(mtime).expect("the old mtime put back");
}

/// The articles every case starts from, tags and categories in two
/// spellings among them.
fn seed_files() -> Vec<(&'static str, String)> {
    let spec = |title: &str, date, tags: &[&'static str], categories: &[&'static str], body| Spec {
        title: title.to_string(),
        date,
        tags: tags.to_vec(),
        categories: categories.to_vec(),
        body,
    };
    let files = [
        (
            "a.txt",
            spec(
                "Apple Bread",
                "2024-01-01",
                &["Tech", "news"],
                &["News"],
                vec!["apple", "bread", "cider"],
            ),
        ),
        (
            "b.txt",
            spec(
                "Cider Delta",
                "2024-01-02",
                &["tech"],
                &[],
                vec!["delta", "eagle", "apple", "flute"],
            ),
        ),
        (
            "sub/c.md",
            spec(
                "Eagle Flute",
                "2023-06-15",
                &["tv"],
                &["news"],
                vec!["grape", "honey"],
            ),
        ),
        (
            "sub/deep/notes",
            spec(
                "Grape Honey",
                "2024-12-31",
                &["film", "news"],
                &["Reviews"],
                vec!["honey", "apple", "delta", "bread"],
            ),
        ),
        (
            "zz/e.md",
            spec(
                "Delta Apple",
                "2024-01-02",
                &[],
                &[],
                vec!["cider", "cider", "eagle"],
            ),
        ),
    ];
    files
        .into_iter()
        .map(|(name, spec)| (name, spec.render(name)))
        .collect()
}

/// Folders of the seed files made ahead, handed out once they are settled
/// (older than `refresh` trusts), each with a cache saved when its files
/// had other words (same sizes): a cache of another generation whose texts
/// differ for files that are settled now.
struct Pool {
    parent: tempfile::TempDir,
    ready: RefCell<Vec<(PathBuf, PathBuf, Instant)>>,
    made: RefCell<usize>,
}

impl Pool {
    fn new() -> Pool {
        Pool {
            parent: tempfile::tempdir().expect("a folder for the pool"),
            ready: RefCell::new(Vec::new()),
            made: RefCell::new(0),
        }
    }

    /// A folder of the seed files, settled, and its cache folder; the
    /// caller removes them.
    fn settled_folder(&self) -> (PathBuf, PathBuf) {
        let mut ready = self.ready.borrow_mut();
        if ready.is_empty() {
            let seeds = seed_files();
            let mut made = self.made.borrow_mut();
            for _ in 0..POOL_BATCH {
                *made += 1;
                let root = self.parent.path().join(format!("f{made}"));
                let cache = self.parent.path().join(format!("c{made}"));
                for (n, (name, text)) in seeds.iter().enumerate() {
                    write(&root, name, &same_size_variant(text.as_bytes(), n));
                }
                save(&fresh(&root), &cache).expect("the first cache is saved");
                for (name, text) in &seeds {
                    write(&root, name, text.as_bytes());
                }
                ready.push((root, cache, Instant::now()));
            }
            ready.reverse();
        }
        let (root, cache, written) = ready.pop().expect("a folder in the pool");
        let settled = written + SETTLED_AFTER;
        if let Some(wait) = settled.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        (root, cache)
    }
}

/// One case: the folder, the cache, the reader's library and a second
/// instance's, and the cache files of earlier saves.
struct World {
    root: PathBuf,
    cache: PathBuf,
    reader: Library,
    second: Option<Library>,
    /// The cache files of the case's first cache.
    first: [Option<Vec<u8>>; 3],
    /// The cache files the last save replaced.
    previous: [Option<Vec<u8>>; 3],
    /// Whether the cache was damaged since the last save.
    damaged: bool,
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
        let _ = fs::remove_dir_all(&self.cache);
    }
}

impl World {
    /// The folder's first cache, brought up to date, must be the folder;
    /// the reader then starts from a fresh load (whose scan trusts the
    /// settled files) and saves it.
    fn new(pool: &Pool) -> Result<World, TestCaseError> {
        let (root, cache) = pool.settled_folder();
        let opened = open_cached(&root, &cache).expect("the first cache opens");
        let reader = fresh(&root);
        prop_assert_eq!(
            listing(&up_to_date(opened)),
            listing(&reader),
            "the library from the first cache is not the folder's"
        );
        let first = CACHE_FILES.map(|name| fs::read(cache.join(name)).ok());
        let mut world = World {
            root,
            cache,
            reader: reader.clone(),
            second: None,
            first,
            previous: [None, None, None],
            damaged: false,
        };
        world.save(&reader);
        Ok(world)
    }

    /// Saves `library`, keeping the cache files it replaces.
    fn save(&mut self, library: &Library) {
        self.previous = CACHE_FILES.map(|name| fs::read(self.cache.join(name)).ok());
        save(library, &self.cache).expect("the cache is saved");
        self.damaged = false;
    }

    /// The file the `pick` of a step names, if there are any.
    fn pick(&self, pick: &Index) -> Option<PathBuf> {
        let files = entries(&self.root, false);
        (!files.is_empty()).then(|| files[pick.index(files.len())].clone())
    }

    /// The reader restarts: open from the cache, or (only when the cache
    /// was damaged) load the folder and save a new cache.
    fn restart(&mut self) -> Result<(), TestCaseError> {
        let library = match open_cached(&self.root, &self.cache) {
            Ok(opened) => up_to_date(opened),
            Err(error) => {
                prop_assert!(self.damaged, "a cache saved whole does not open: {error}");
                let loaded = fresh(&self.root);
                self.save(&loaded);
                loaded
            }
        };
        prop_assert_eq!(
            listing(&library),
            listing(&fresh(&self.root)),
            "the library opened from the cache is not the folder's"
        );
        self.reader = library;
        Ok(())
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let root = self.root.clone();
        match op {
            Op::Create { path, spec } => write(&root, path, spec.render(path).as_bytes()),
            Op::Delete { pick } => {
                if let Some(path) = self.pick(pick) {
                    fs::remove_file(path).expect("an article deleted");
                }
            }
            Op::Rename { pick, to } => {
                if let Some(path) = self.pick(pick) {
                    let target = root.join(to);
                    if target != path && !target.is_dir() {
                        if let Some(folder) = target.parent() {
                            fs::create_dir_all(folder).expect("a folder to move into");
                        }
                        fs::rename(path, target).expect("an article renamed");
                    }
                }
            }
            Op::Recreate { pick, spec } => {
                if let Some(path) = self.pick(pick) {
                    let old = fs::read(&path).expect("the article read");
                    let mtime = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .expect("the article's mtime");
                    fs::remove_file(&path).expect("the article deleted");
                    match spec {
                        Some(spec) => {
                            let name = path.to_string_lossy().into_owned();
                            fs::write(&path, spec.render(&name)).expect("the article recreated");
                        }
                        None => {
                            fs::write(&path, same_size_variant(&old, old.len()))
                                .expect("the article recreated");
                            let file = fs::File::options()
                                .write(true)
                                .open(&path)
                                .expect("the article opens");
                            file.set_modified(mtime).expect("the old mtime put back");
                        }
                    }
                }
            }
            Op::RewriteSameSize { pick, seed } => {
                if let Some(path) = self.pick(pick) {
                    let old = fs::read(&path).expect("the article read");
                    let mtime = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .expect("the article's mtime");
                    rewrite_keeping_mtime(&path, &same_size_variant(&old, *seed), mtime);
                }
            }
            Op::Truncate { pick, half } => {
                if let Some(path) = self.pick(pick) {
                    let file = fs::File::options()
                        .write(true)
                        .open(&path)
                        .expect("the article opens");
                    let len = file.metadata().expect("the article's size").len();
                    file.set_len(if *half { len / 2 } else { 0 })
                        .expect("the article truncated");
                }
            }
            Op::HalfWritten {
                path,
                spec,
                percent,
            } => {
                let text = spec.render(path);
                let cut = text.len() * usize::from(*percent) / 100;
                write(&root, path, &text.as_bytes()[..cut]);
            }
            Op::AddFolder { folder, files } => {
                fs::create_dir_all(root.join(folder)).expect("a new folder");
                for (name, spec) in files {
                    let path = format!("{folder}{name}");
                    write(&root, &path, spec.render(&path).as_bytes());
                }
            }
            Op::RemoveFolder { pick } => {
                let folders = entries(&root, true);
                if !folders.is_empty() {
                    let folder = &folders[pick.index(folders.len())];
                    fs::remove_dir_all(folder).expect("a folder removed");
                }
            }
            Op::Restart => self.restart()?,
            Op::KilledWrite { file, damage } => {
                let path = self.cache.join(CACHE_FILES[*file]);
                let current = fs::read(&path).ok();
                let damaged = match (damage, current) {
                    (Damage::Cut(percent), Some(bytes)) => {
                        Some(bytes[..bytes.len() * usize::from(*percent) / 100].to_vec())
                    }
                    (Damage::Flip(at), Some(mut bytes)) if !bytes.is_empty() => {
                        let at = bytes.len() * usize::from(*at) / 1000;
                        bytes[at] ^= 0x5a;
                        Some(bytes)
                    }
                    (Damage::Older(true), _) => self.first[*file].clone(),
                    (Damage::Older(false), _) => self.previous[*file].clone(),
                    _ => None,
                };
                // As a writer does: a new file renamed over the old one
                // (the reader keeps what it mapped).
                match damaged {
                    Some(bytes) => {
                        let temporary = self.cache.join("damage.tmp");
                        fs::write(&temporary, bytes).expect("a damaged cache file");
                        fs::rename(&temporary, &path).expect("the damaged file in place");
                    }
                    None => {
                        let _ = fs::remove_file(&path);
                    }
                }
                self.damaged = true;
                self.restart()?;
            }
            Op::Second => {
                let second = match self.second.take() {
                    Some(library) => library,
                    None => open_cached(&root, &self.cache).unwrap_or_else(|_| fresh(&root)),
                };
                let second = up_to_date(second);
                prop_assert_eq!(
                    listing(&second),
                    listing(&fresh(&root)),
                    "the second instance's library is not the folder's"
                );
                self.save(&second);
                self.second = Some(second);
            }
        }
        Ok(())
    }

    fn step(&mut self, step: &Step) -> Result<(), TestCaseError> {
        self.apply(&step.op)?;
        let reader = std::mem::take(&mut self.reader);
        self.reader = up_to_date(reader);
        if step.save {
            let reader = self.reader.clone();
            self.save(&reader);
        }
        let fresh = fresh(&self.root);
        prop_assert_eq!(
            listing(&self.reader),
            listing(&fresh),
            "the reader's library is not the folder's"
        );
        for query in &step.queries {
            prop_assert_eq!(
                found(&self.reader, query),
                found(&fresh, query),
                "the query {:?} finds other articles",
                query
            );
        }
        Ok(())
    }
}

#[test]
fn the_cached_library_follows_the_folder_through_any_steps() {
    let pool = Pool::new();
    let config = Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&vec(step(), 1..25), |steps| {
        let mut world = World::new(&pool)?;
        for step in &steps {
            world.step(step)?;
        }
        Ok(())
    });
    drop(pool);
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
