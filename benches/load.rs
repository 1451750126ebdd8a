//! Loading a folder: `library::load` over generated corpora of 10,000 and
//! 100,000 articles, and handing 100,000 loaded articles to the reader up
//! to its first full frame.
//!
//! ```text
//! cargo bench --bench load                 # everything here
//! cargo bench --bench load -- load/10000   # one benchmark (a filter)
//! cargo bench --bench load -- handover     # the reader's part only
//! cargo bench --bench load -- parse        # parsing alone, one thread
//! cargo bench --bench load -- words        # the word index of 100,000 texts
//! BENCH_ARTICLES=1000000 cargo bench --bench load   # one other size
//! ```
//!
//! The corpora are generated once into `target/bench-corpus/N` (see
//! `examples/gen_corpus.rs`) and reused. Runs read from the page cache: the
//! first, cold read is a warm-up.

use std::borrow::Cow;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use broadsheet::article::words::WordCount;
use broadsheet::article::{Article, Detail, Format};
use broadsheet::config::Config;
use broadsheet::library::cache::WordIndexBuilder;
use broadsheet::library::{self, LoadOptions};
use broadsheet::tui::app::{App, Event};
use broadsheet::tui::view;
use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

/// Corpus sizes of the load benches: 10,000 and 100,000, or the one size
/// `$BENCH_ARTICLES` asks for.
fn sizes() -> Vec<u64> {
    match std::env::var_os("BENCH_ARTICLES") {
        Some(_) => vec![gen_corpus::bench_articles()],
        None => vec![10_000, 100_000],
    }
}

fn corpus(n: u64) -> std::path::PathBuf {
    match gen_corpus::ensure_corpus(n) {
        Ok(dir) => dir,
        Err(error) => panic!("cannot generate the corpus of {n} articles: {error}"),
    }
}

fn load(dir: &Path) -> library::Library {
    match library::load(dir, &LoadOptions::default()) {
        Ok(library) => library,
        Err(error) => panic!("cannot load {}: {error}", dir.display()),
    }
}

/// `library::load` of a whole folder: walk, read, decode, sanitize, parse,
/// sort.
fn folder_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    for n in sizes() {
        // The library is dropped outside the measurement: freeing it is not
        // part of loading. The corpus is looked up (and generated when
        // missing) only when a filter selects the benchmark.
        group.bench_function(n.to_string(), |b| {
            let dir = corpus(n);
            b.iter_with_large_drop(|| load(&dir))
        });
    }
    group.finish();
}

/// From a loaded library to a drawn 120x40 frame listing every article:
/// hand the library to the reader (order, filter), lay out the selected
/// article, draw. With `load/100000` it makes the time to "loaded and
/// interactive". (Measured apart from the load so the group stays short:
/// each load of 100,000 articles takes seconds.)
fn handover(c: &mut Criterion) {
    let n = gen_corpus::bench_articles();
    let mut loaded = None;
    let mut group = c.benchmark_group("handover");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function(n.to_string(), |b| {
        let library: &library::Library = loaded.get_or_insert_with(|| load(&corpus(n)));
        b.iter_batched(
            || library.clone(),
            |library| {
                // The reader takes the loaded texts as the loader hands
                // them over: one event, then the first frame.
                let mut app = App::new(Config::default());
                let now = chrono::Utc::now();
                app.on_event(Event::Resize(120, 40), now);
                app.on_event(Event::TextsLoaded(Box::new(library)), now);
                app.prepare();
                let mut terminal = match Terminal::new(TestBackend::new(120, 40)) {
                    Ok(terminal) => terminal,
                    Err(never) => match never {},
                };
                let drawn = terminal.draw(|f| view::draw(&app, f)).map(|_| ());
                black_box(drawn);
                app
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// The files of the corpus of `n`, read into memory once: what [`parse`]
/// parses.
fn corpus_files(n: u64) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![corpus(n)];
    while let Some(folder) = folders.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) => panic!("cannot list {}: {error}", folder.display()),
        };
        for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files.push((path, bytes));
            }
        }
    }
    files
}

/// What a first index does with each file's bytes, on one thread, without
/// the file system: decode, sanitize, parse, fold the search text and count
/// its words, for the 10,000 articles of the corpus (44 MB) from memory.
fn parse(c: &mut Criterion) {
    let mut files = None;
    let mut group = c.benchmark_group("parse");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.bench_function("10000", |b| {
        let files = files.get_or_insert_with(|| corpus_files(10_000));
        b.iter(|| {
            let mut words = 0;
            for (path, bytes) in files.iter() {
                let parsed = Article::from_bytes_with(
                    String::new(),
                    path.clone(),
                    bytes,
                    Format::Plain,
                    Detail::Full,
                );
                if let Ok(article) = parsed {
                    words += WordCount::of(&article.folded).total();
                }
            }
            words
        })
    });
    group.finish();
}

/// The folded search texts of the corpus of 100,000 (350 MB), parsed once:
/// what [`words`] gathers.
fn folded_texts() -> Vec<String> {
    corpus_files(100_000)
        .into_iter()
        .filter_map(|(path, bytes)| {
            Article::from_bytes_with(String::new(), path, &bytes, Format::Plain, Detail::Full)
                .ok()
                .map(|article| article.folded)
        })
        .collect()
}

/// The word index of `texts`, gathered on `threads` threads.
fn gathered(texts: &[String], threads: usize) -> WordIndexBuilder {
    let text = |i: usize| Cow::Borrowed(texts[i].as_str());
    WordIndexBuilder::from_texts(texts.len(), &text, threads)
}

/// What a first index does with the texts once they are read: gather the
/// word index of 100,000 folded texts from memory, in rounds of parts on
/// one thread and on two, each part appended to the whole in order (the
/// builder dropped outside the measurement); then encode it.
fn words(c: &mut Criterion) {
    let mut texts = None;
    let mut group = c.benchmark_group("words");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    for threads in [1, 2] {
        group.bench_function(format!("100000/{threads}"), |b| {
            let texts: &Vec<String> = texts.get_or_insert_with(folded_texts);
            b.iter_with_large_drop(|| gathered(texts, threads))
        });
    }
    // Then the `words.bin` of it: its bytes hashed and written (into
    // memory), the builder given up as a cache write gives it up.
    let mut built = None;
    group.bench_function("100000/encode", |b| {
        let built: &WordIndexBuilder =
            built.get_or_insert_with(|| gathered(texts.get_or_insert_with(folded_texts), 2));
        b.iter_batched(
            || built.clone(),
            |builder| builder.encode(7).map(|bytes| bytes.len()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, folder_load, handover, parse, words);
criterion_main!(benches);
