//! The reader's interactive paths, through the real `App` and the real draw
//! path of a 120x40 `TestBackend` terminal (`Terminal::draw`, including the
//! diff against the previous frame):
//!
//! - `list_frame/100000/*`: a frame of the list at 100,000 articles, the
//!   selection at the start, the middle and the end;
//! - `list_key/100000/*`: one key (down or up, alternately) + `prepare` + a
//!   frame;
//! - `search_key/100000/*`: one more character typed into the open search
//!   prompt at 100,000 articles (key + `prepare`);
//! - `reader_frame/*`: a frame of a 20 MB article at the start, the middle
//!   and the end; `reader_key/*`: one scroll key + `prepare` + a frame;
//! - `reader_first_frame/20MB`: laying out the article and drawing it;
//!   `reader_parse/20MB`: decoding, sanitizing and parsing its bytes;
//! - `rewrap/5MB`: a resize and `prepare` re-wrapping a 5 MB article.
//!
//! ```text
//! cargo bench --bench frames                   # everything here
//! cargo bench --bench frames -- search_key     # one group (a filter)
//! BENCH_ARTICLES=1000000 cargo bench --bench frames -- list_key   # another corpus
//! ```

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use broadsheet::article::{Article, Format};
use broadsheet::config::Config;
use broadsheet::library::{self, Library, LoadOptions};
use broadsheet::tui::app::App;
use broadsheet::tui::view;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

#[path = "../tests/reader/mod.rs"]
mod reader;

/// The terminal size of every frame.
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
const MB: usize = 1024 * 1024;

/// Where in the list or the article a benchmark looks.
#[derive(Debug, Clone, Copy)]
enum Place {
    Start,
    Middle,
    End,
}

const PLACES: [Place; 3] = [Place::Start, Place::Middle, Place::End];

impl Place {
    fn name(self) -> &'static str {
        match self {
            Place::Start => "start",
            Place::Middle => "middle",
            Place::End => "end",
        }
    }

    /// The position of this place among `len` items.
    fn of(self, len: usize) -> usize {
        match self {
            Place::Start => 0,
            Place::Middle => len / 2,
            Place::End => len.saturating_sub(1),
        }
    }
}

fn terminal() -> Terminal<TestBackend> {
    match Terminal::new(TestBackend::new(WIDTH, HEIGHT)) {
        Ok(terminal) => terminal,
        Err(never) => match never {},
    }
}

/// One frame through the real draw path.
fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    match terminal.draw(|f| view::draw(app, f)) {
        Ok(frame) => {
            black_box(frame.area);
        }
        Err(never) => match never {},
    }
}

/// A key press as the run loop handles it: the key, then `prepare`.
fn press(app: &mut App, code: KeyCode) {
    black_box(reader::press(app, code));
}

/// A reader showing `library` in a 120x40 terminal.
fn reader_app(library: Library) -> App {
    let mut config = Config::default();
    // The long article is over the default limit; the reader reads it from
    // its file when it is shown.
    config.library.max_article_size = gen_corpus::LONG_ARTICLE_LIMIT;
    reader::reader_of(config, library, WIDTH, HEIGHT)
}

/// A group for benchmarks of a few milliseconds or less.
fn quick_group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(50);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    group
}

/// A group for benchmarks of tens of milliseconds or more.
fn slow_group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    group
}

/// Measures `iters` calls of `step`, which alternates between two
/// neighbouring states (down then up, or two widths) so that every call
/// does real work. `flip` carries the alternation from one batch to the
/// next, so the state never drifts.
fn alternating(iters: u64, flip: &mut bool, mut step: impl FnMut(bool)) -> Duration {
    let started = Instant::now();
    for _ in 0..iters {
        *flip = !*flip;
        step(*flip);
    }
    started.elapsed()
}

/// Puts the list selection at `place`, as `g`, `G` or a jump would (an open
/// prompt is closed first, so the keys reach the list).
fn select(app: &mut App, place: Place) {
    if app.overlay().is_some() {
        press(app, KeyCode::Esc);
    }
    press(app, KeyCode::Char('g'));
    let target = place.of(app.visible().len());
    if target > 0 {
        // No key jumps to the middle: select the row as a click would.
        app.select(target);
    }
    app.prepare();
}

/// The reader on the corpus of 100,000 articles (or `$BENCH_ARTICLES`), loaded the first time a
/// selected benchmark needs it (so a filter that leaves out every list
/// benchmark skips the load).
fn corpus_app(slot: &mut Option<App>) -> &mut App {
    slot.get_or_insert_with(|| {
        let n = gen_corpus::bench_articles();
        let dir = match gen_corpus::ensure_corpus(n) {
            Ok(dir) => dir,
            Err(error) => panic!("cannot generate the corpus of {n} articles: {error}"),
        };
        match library::load(&dir, &LoadOptions::default()) {
            Ok(library) => reader_app(library),
            Err(error) => panic!("cannot load {}: {error}", dir.display()),
        }
    })
}

/// The keys that move away from `place` and back: at the end only up moves.
fn moves(place: Place) -> (KeyCode, KeyCode) {
    match place {
        Place::End => (KeyCode::Up, KeyCode::Down),
        Place::Start | Place::Middle => (KeyCode::Down, KeyCode::Up),
    }
}

/// The list at 100,000 articles (or `$BENCH_ARTICLES`): frames, keys and
/// search keystrokes. Group names carry the number of articles.
fn list(c: &mut Criterion) {
    let mut slot = None;
    let n = gen_corpus::bench_articles();

    let mut group = quick_group(c, &format!("list_frame/{n}"));
    for place in PLACES {
        group.bench_function(place.name(), |b| {
            let app = corpus_app(&mut slot);
            select(app, place);
            let mut terminal = terminal();
            draw(&mut terminal, app);
            b.iter(|| draw(&mut terminal, app))
        });
    }
    group.finish();

    let mut group = quick_group(c, &format!("list_key/{n}"));
    for place in PLACES {
        let (first, second) = moves(place);
        group.bench_function(place.name(), |b| {
            let app = corpus_app(&mut slot);
            select(app, place);
            let mut terminal = terminal();
            draw(&mut terminal, app);
            let mut flip = false;
            b.iter_custom(|iters| {
                alternating(iters, &mut flip, |even| {
                    press(app, if even { first } else { second });
                    draw(&mut terminal, app);
                })
            })
        });
    }
    group.finish();

    search_keys(c, &mut slot, n);
}

/// One more character typed into the search prompt: the prompt holds
/// `prefix` and `next` is typed; Backspace (not measured) restores the
/// prefix before the next round.
const SEARCHES: &[(&str, &str, char)] = &[
    // The first key of a search: every article is a candidate.
    ("first_char", "", 'h'),
    // A word growing: `osema` → `oseman`.
    ("word", "osema", 'n'),
    // A word no article holds after a prefix nearly all hold: every body
    // is read to its end, even when the search narrows the last result.
    ("no_match", "the", 'z'),
    // A tag, the field that must feel instant.
    ("tag", "tag:netfli", 'x'),
];

/// Opens the search prompt at the top of the list and types `prefix`.
fn type_search(app: &mut App, prefix: &str) {
    select(app, Place::Start);
    press(app, KeyCode::Char('/'));
    for ch in prefix.chars() {
        press(app, KeyCode::Char(ch));
    }
}

fn search_keys(c: &mut Criterion, slot: &mut Option<App>, n: u64) {
    let mut group = slow_group(c, &format!("search_key/{n}"));
    // The search typed so far, so the prefix is typed once per benchmark
    // rather than once per sample.
    let mut typed: Option<&str> = None;
    for &(name, prefix, next) in SEARCHES {
        group.bench_function(name, |b| {
            let app = corpus_app(slot);
            if typed != Some(name) {
                type_search(app, prefix);
                press(app, KeyCode::Char(next));
                eprintln!(
                    "search {name:<10} {prefix:?} + {next:?}: {} of {} shown",
                    app.visible().len(),
                    app.library().len()
                );
                press(app, KeyCode::Backspace);
                typed = Some(name);
            }
            b.iter_custom(|iters| {
                let mut measured = Duration::ZERO;
                for _ in 0..iters {
                    let started = Instant::now();
                    press(app, KeyCode::Char(next));
                    measured += started.elapsed();
                    press(app, KeyCode::Backspace);
                }
                measured
            })
        });
    }
    group.finish();
}

/// A library of one article made from `text`, loaded from a file of its
/// own (the reader reads the body from the file), with a size limit the
/// 20 MB article passes.
fn one_article(text: &str) -> Library {
    let loaded = gen_corpus::one_article_dir(text)
        .map_err(|e| e.to_string())
        .and_then(|dir| {
            let options = LoadOptions {
                max_size: gen_corpus::LONG_ARTICLE_LIMIT,
                ..LoadOptions::default()
            };
            library::load(&dir, &options).map_err(|e| e.to_string())
        });
    match loaded {
        Ok(library) => library,
        Err(error) => panic!("cannot load the long article: {error}"),
    }
}

/// The 20 MB article's text, made the first time a benchmark needs it.
fn long_text(slot: &mut Option<String>) -> &str {
    slot.get_or_insert_with(|| gen_corpus::single_article(20 * MB))
}

/// The reader showing the 20 MB article, its pane focused (as after Tab),
/// made the first time a benchmark needs it.
fn long_app<'a>(slot: &'a mut Option<App>, text: &mut Option<String>) -> &'a mut App {
    slot.get_or_insert_with(|| {
        let mut app = reader_app(one_article(long_text(text)));
        press(&mut app, KeyCode::Tab);
        let lines = app.document().map_or(0, |d| d.lines.len());
        eprintln!("reader: a 20 MB article is {lines} lines at {WIDTH} columns");
        app
    })
}

/// Scrolls the reader to `place` in its document.
fn scroll_to(app: &mut App, place: Place) {
    let lines = app.document().map_or(0, |d| d.lines.len());
    app.scroll_reader_to(place.of(lines));
    app.prepare();
}

/// A 20 MB article in the reader: frames and scroll keys at the start, the
/// middle and the end; laying it out; parsing it.
fn reader(c: &mut Criterion) {
    let mut text = None;
    let mut slot = None;

    let mut group = slow_group(c, "reader_parse");
    group.bench_function("20MB", |b| {
        let bytes = long_text(&mut text).as_bytes();
        b.iter_with_large_drop(|| {
            Article::from_bytes(
                "long.txt".to_string(),
                PathBuf::from("long.txt"),
                black_box(bytes),
                Format::Plain,
            )
        })
    });
    group.finish();

    let mut group = quick_group(c, "reader_frame");
    for place in PLACES {
        group.bench_function(place.name(), |b| {
            let app = long_app(&mut slot, &mut text);
            scroll_to(app, place);
            let mut terminal = terminal();
            draw(&mut terminal, app);
            b.iter(|| draw(&mut terminal, app))
        });
    }
    group.finish();

    let mut group = quick_group(c, "reader_key");
    for place in PLACES {
        let (first, second) = moves(place);
        group.bench_function(place.name(), |b| {
            let app = long_app(&mut slot, &mut text);
            scroll_to(app, place);
            let mut terminal = terminal();
            draw(&mut terminal, app);
            let mut flip = false;
            b.iter_custom(|iters| {
                alternating(iters, &mut flip, |even| {
                    press(app, if even { first } else { second });
                    draw(&mut terminal, app);
                })
            })
        });
    }
    group.finish();

    let mut group = slow_group(c, "reader_first_frame");
    group.bench_function("20MB", |b| {
        let app = long_app(&mut slot, &mut text);
        app.scroll_reader_to(0);
        let mut terminal = terminal();
        b.iter_custom(|iters| {
            let mut measured = Duration::ZERO;
            for _ in 0..iters {
                // Freeing the old layout is not part of the first frame.
                drop(app.take_document());
                let started = Instant::now();
                app.prepare();
                draw(&mut terminal, app);
                measured += started.elapsed();
            }
            measured
        })
    });
    group.finish();
}

/// A resize re-wrapping a 5 MB article (alternately 100 and 120 columns, so
/// every call wraps again).
fn rewrap(c: &mut Criterion) {
    let mut slot = None;
    let mut group = slow_group(c, "rewrap");
    group.bench_function("5MB", |b| {
        let app = slot
            .get_or_insert_with(|| reader_app(one_article(&gen_corpus::single_article(5 * MB))));
        let mut flip = false;
        b.iter_custom(|iters| {
            alternating(iters, &mut flip, |even| {
                reader::resize(app, if even { WIDTH - 20 } else { WIDTH }, HEIGHT);
            })
        })
    });
    group.finish();
}

criterion_group!(benches, list, reader, rewrap);
criterion_main!(benches);
