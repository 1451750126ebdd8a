//! Key-to-frame latency percentiles, which criterion does not report: for
//! each key and place, a thousand presses through the real `App` (key,
//! `prepare`) and a 120x40 `TestBackend` frame, each timed on its own;
//! prints the median, the 99th percentile and the worst.
//!
//! ```text
//! cargo bench --bench latency              # every scenario
//! cargo bench --bench latency -- reader    # scenarios whose name holds "reader"
//! ```
//!
//! Scenarios: the list of the 100,000-article corpus (`target/bench-corpus/`;
//! `BENCH_ARTICLES=N` for another size)
//! and a 20 MB article in the reader, each at the start, the middle and the
//! end, with the keys of the key map's defaults that move through them; and
//! a search typed letter by letter in that list opened from its cache
//! (`cargo bench --bench latency -- search`): each key to the frame with the
//! first screen of results, then the count on its worker.
//! `cargo bench --bench latency -- check` types the same words while the
//! reader's start-up check of the folder runs (the loader started as the
//! reader starts it, from a written cache), and again once it ended: the
//! medians of each key's first screen and of the count, side by side
//! (`BENCH_CHECK_DELAY_MS=N` waits N ms after the list before typing).
//! Moves that would run off an end are paired with their opposite, so each
//! press does real work.

use std::hint::black_box;
use std::time::{Duration, Instant};

use broadsheet::config::Config;
use broadsheet::library::{self, Library, LoadOptions};
use broadsheet::tui::app::App;
use broadsheet::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

#[path = "../tests/reader/mod.rs"]
mod reader;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// Timed presses per scenario.
const PRESSES: usize = 1_000;

/// Pairs of keys pressed in turn: the second undoes the first.
const KEY_PAIRS: &[(&str, KeyCode, KeyCode)] = &[
    ("j/k", KeyCode::Char('j'), KeyCode::Char('k')),
    ("pgdn/pgup", KeyCode::PageDown, KeyCode::PageUp),
    ("G/g", KeyCode::Char('G'), KeyCode::Char('g')),
];

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // a test run has no use for a minute of timing.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("latency: timing runs only under `cargo bench --bench latency`");
        return;
    }
    let filter = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .unwrap_or_default();
    println!(
        "{:<34} {:>10} {:>10} {:>10}",
        "scenario", "p50", "p99", "max"
    );
    if any_wanted(&list_name, &filter) {
        list_scenarios(&filter);
    }
    if any_wanted(&reader_name, &filter) {
        reader_scenarios(&filter);
    }
    if "search".contains(filter.as_str()) || filter.contains("search") {
        search_scenarios();
    }
    // Only when asked by name: each round starts the reader's loader anew.
    if filter.contains("check") {
        check_scenarios();
    }
}

/// Words typed into the search, letter by letter: common and rare ones,
/// one in no article.
const SEARCH_WORDS: &[&str] = &["the", "oseman", "dunpenmar", "qqxzj"];

/// How many times each word is typed.
const SEARCH_ROUNDS: usize = 20;

/// A search typed letter by letter in the list of the corpus opened from
/// its cache (written first when missing): the time from each key to the
/// frame with the first screen of results, by the letters typed so far,
/// and the time the count then takes on its worker.
fn search_scenarios() {
    let n = gen_corpus::bench_articles();
    let dir = match gen_corpus::ensure_corpus(n) {
        Ok(dir) => dir,
        Err(error) => panic!("cannot generate the corpus of {n} articles: {error}"),
    };
    let cache = gen_corpus::corpus_dir(n).with_file_name(format!("cache-{n}"));
    let library = match library::stored::open_cached(&dir, &cache) {
        Ok(library) => library,
        Err(_) => {
            let loaded = match library::load(&dir, &LoadOptions::default()) {
                Ok(library) => library,
                Err(error) => panic!("cannot load {}: {error}", dir.display()),
            };
            if let Err(error) = library::stored::save(&loaded, &cache) {
                panic!("cannot write the cache: {error}");
            }
            match library::stored::open_cached(&dir, &cache) {
                Ok(library) => library,
                Err(error) => panic!("cannot open the cache just written: {error}"),
            }
        }
    };
    let mut app = reader_app(library);
    let mut terminal = terminal();
    for word in SEARCH_WORDS {
        let mut by_letters: Vec<Vec<Duration>> = vec![Vec::new(); word.len()];
        let mut counts = Vec::new();
        for _ in 0..SEARCH_ROUNDS {
            black_box(reader::press(&mut app, KeyCode::Char('/')));
            let mut job = None;
            for (typed, letter) in word.chars().enumerate() {
                let started = Instant::now();
                let effects = reader::send_leaving_counts(
                    &mut app,
                    broadsheet::tui::app::Event::Key(ratatui::crossterm::event::KeyEvent::new(
                        KeyCode::Char(letter),
                        ratatui::crossterm::event::KeyModifiers::NONE,
                    )),
                );
                match terminal.draw(|f| view::draw(&app, f)) {
                    Ok(frame) => black_box(frame.area),
                    Err(never) => match never {},
                };
                by_letters[typed].push(started.elapsed());
                job = effects.into_iter().find_map(|effect| match effect {
                    broadsheet::tui::app::Effect::Count(job) => Some(job),
                    _ => None,
                });
            }
            if let Some(job) = job {
                let started = Instant::now();
                black_box(job.run());
                counts.push(started.elapsed());
            }
            black_box(reader::press(&mut app, KeyCode::Esc));
        }
        for (letters, times) in by_letters.iter_mut().enumerate() {
            times.sort_unstable();
            let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
            let name = format!("search {n} \"{}\"", &word[..=letters]);
            println!(
                "{name:<34} {:>10} {:>10} {:>10}",
                show(at(0.5)),
                show(at(0.99)),
                show(at(1.0))
            );
        }
        if !counts.is_empty() {
            counts.sort_unstable();
            let name = format!("  count of \"{word}\" (worker)");
            println!(
                "{name:<34} {:>10} {:>10} {:>10}",
                show(counts[counts.len() / 2]),
                show(counts[((counts.len() - 1) as f64 * 0.99).round() as usize]),
                show(counts[counts.len() - 1])
            );
        }
    }
}

const PLACES: [&str; 3] = ["start", "middle", "end"];

fn list_name(place: &str, keys: &str) -> String {
    format!("list {} {place} {keys}", gen_corpus::bench_articles())
}

fn reader_name(place: &str, keys: &str) -> String {
    format!("reader 20MB {place} {keys}")
}

/// Whether some scenario named by `name` passes the filter, so nothing is
/// generated or loaded for scenarios that will not run.
fn any_wanted(name: &dyn Fn(&str, &str) -> String, filter: &str) -> bool {
    PLACES.iter().any(|place| {
        KEY_PAIRS
            .iter()
            .any(|(keys, ..)| name(place, keys).contains(filter))
    })
}

fn terminal() -> Terminal<TestBackend> {
    match Terminal::new(TestBackend::new(WIDTH, HEIGHT)) {
        Ok(terminal) => terminal,
        Err(never) => match never {},
    }
}

fn reader_app(library: Library) -> App {
    let mut config = Config::default();
    // The long article is over the default limit; the reader reads it from
    // its file when it is shown.
    config.library.max_article_size = gen_corpus::LONG_ARTICLE_LIMIT;
    reader::reader_of(config, library, WIDTH, HEIGHT)
}

/// Presses `first` and `second` in turn, `PRESSES` times in all, timing
/// each key + `prepare` + frame on its own; prints the percentiles.
fn measure(name: &str, app: &mut App, first: KeyCode, second: KeyCode) {
    let mut terminal = terminal();
    let mut draw = |app: &App| match terminal.draw(|f| view::draw(app, f)) {
        Ok(frame) => {
            black_box(frame.area);
        }
        Err(never) => match never {},
    };
    draw(app);
    let mut times = Vec::with_capacity(PRESSES);
    for i in 0..PRESSES {
        let code = if i % 2 == 0 { first } else { second };
        let started = Instant::now();
        black_box(reader::press(app, code));
        draw(app);
        times.push(started.elapsed());
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<34} {:>10} {:>10} {:>10}",
        show(at(0.5)),
        show(at(0.99)),
        show(at(1.0))
    );
}

fn show(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// The places of [`PLACES`] with their positions among `len` items.
fn places(len: usize) -> [(&'static str, usize); 3] {
    let [start, middle, end] = PLACES;
    [(start, 0), (middle, len / 2), (end, len.saturating_sub(1))]
}

fn list_scenarios(filter: &str) {
    let n = gen_corpus::bench_articles();
    let dir = match gen_corpus::ensure_corpus(n) {
        Ok(dir) => dir,
        Err(error) => panic!("cannot generate the corpus of {n} articles: {error}"),
    };
    let mut app = match library::load(&dir, &LoadOptions::default()) {
        Ok(library) => reader_app(library),
        Err(error) => panic!("cannot load {}: {error}", dir.display()),
    };
    let len = app.visible().len();
    for (place, position) in places(len) {
        for &(keys, down, up) in KEY_PAIRS {
            let name = list_name(place, keys);
            if !name.contains(filter) {
                continue;
            }
            app.select(position);
            app.prepare();
            let (first, second) = if position + 1 >= len {
                (up, down)
            } else {
                (down, up)
            };
            measure(&name, &mut app, first, second);
        }
    }
}

fn reader_scenarios(filter: &str) {
    let text = gen_corpus::single_article(20 * 1024 * 1024);
    let options = LoadOptions {
        max_size: gen_corpus::LONG_ARTICLE_LIMIT,
        ..LoadOptions::default()
    };
    let loaded = gen_corpus::one_article_dir(&text)
        .map_err(|e| e.to_string())
        .and_then(|dir| library::load(&dir, &options).map_err(|e| e.to_string()));
    drop(text);
    let mut app = match loaded {
        Ok(library) => reader_app(library),
        Err(error) => panic!("cannot load the long article: {error}"),
    };
    black_box(reader::press(&mut app, KeyCode::Tab));
    let lines = app.document().map_or(0, |d| d.lines.len());
    for (place, position) in places(lines) {
        for &(keys, down, up) in KEY_PAIRS {
            let name = reader_name(place, keys);
            if !name.contains(filter) {
                continue;
            }
            app.scroll_reader_to(position);
            app.prepare();
            let at_end = app.reader_scroll() + app.reader_rows() >= lines;
            let (first, second) = if at_end { (up, down) } else { (down, up) };
            measure(&name, &mut app, first, second);
        }
    }
}

/// Words typed during the start-up check: a common and a rare one, and a
/// rare one or another in no article (a query the word index narrows only
/// when it takes `or` into account).
const CHECK_WORDS: &[&str] = &["oseman", "dunpenmar", "dunpenmar or qqxzj"];

/// What one typing of a word took: the slowest key to its first screen,
/// the count, and whether the start-up check was still running when each
/// had finished.
struct Typed {
    slowest_key: Duration,
    last_key: Duration,
    count: Duration,
    key_in_check: bool,
    count_in_check: bool,
}

/// The reader started as `tui::run` starts it (the loader on its own thread,
/// opening the cache, then checking the folder), a word typed as soon as
/// the list arrives and typed again once the check ended.
fn check_scenarios() {
    use broadsheet::tui::app::{Effect, Event};
    use broadsheet::tui::loading::Loader;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let n = gen_corpus::bench_articles();
    let dir = match gen_corpus::ensure_corpus(n) {
        Ok(dir) => dir,
        Err(error) => panic!("cannot generate the corpus of {n} articles: {error}"),
    };
    let base = gen_corpus::corpus_dir(n).with_file_name(format!("reader-cache-{n}"));
    let mut config = reader::config_for(&dir);
    config.library.cache = Some(base.clone());
    config.library.bookmarks = base.join("marks/bookmarks.toml");
    config.library.state = base.join("marks/state.toml");
    // The first start writes the cache; the rounds then start from it.
    let started = Instant::now();
    Loader::new(config.clone()).load(&|_| {}, &mut |_| true);
    eprintln!(
        "first start (cache written or checked): {:.1?}",
        started.elapsed()
    );
    let delay = std::env::var("BENCH_CHECK_DELAY_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map(Duration::from_millis);
    // Starts of the reader per word: 7, or `BENCH_CHECK_ROUNDS`.
    let rounds: usize = std::env::var("BENCH_CHECK_ROUNDS")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(7);
    let mut terminal = terminal();
    let mut type_word = |app: &mut broadsheet::tui::app::App, word: &str, done: &AtomicBool| {
        black_box(reader::press(app, KeyCode::Char('/')));
        let mut job = None;
        let mut slowest_key = Duration::ZERO;
        let mut last_key = Duration::ZERO;
        for letter in word.chars() {
            let started = Instant::now();
            let effects = reader::send_leaving_counts(
                app,
                Event::Key(ratatui::crossterm::event::KeyEvent::new(
                    KeyCode::Char(letter),
                    ratatui::crossterm::event::KeyModifiers::NONE,
                )),
            );
            match terminal.draw(|f| view::draw(app, f)) {
                Ok(frame) => black_box(frame.area),
                Err(never) => match never {},
            };
            last_key = started.elapsed();
            slowest_key = slowest_key.max(last_key);
            job = effects.into_iter().find_map(|effect| match effect {
                Effect::Count(job) => Some(job),
                _ => None,
            });
        }
        let key_in_check = !done.load(Ordering::SeqCst);
        let started = Instant::now();
        if let Some(job) = job
            && let Some(counted) = job.run()
        {
            reader::send_leaving_counts(app, Event::Counted(counted));
        }
        let count = started.elapsed();
        let count_in_check = !done.load(Ordering::SeqCst);
        black_box(reader::press(app, KeyCode::Esc));
        Typed {
            slowest_key,
            last_key,
            count,
            key_in_check,
            count_in_check,
        }
    };
    println!(
        "{:<30} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13}",
        format!("check: median of {rounds}"),
        "slowest key",
        "last key",
        "count",
        "slowest after",
        "last after",
        "count after"
    );
    for word in CHECK_WORDS {
        let mut during = Vec::new();
        let mut after = Vec::new();
        let mut check_times = Vec::new();
        for _ in 0..rounds {
            let (tx, rx) = std::sync::mpsc::channel::<Event>();
            let done = Arc::new(AtomicBool::new(false));
            let start = Instant::now();
            let loader = {
                let config = config.clone();
                let done = Arc::clone(&done);
                std::thread::spawn(move || {
                    // As the reader's loader thread does (`tui::workers`).
                    #[cfg(target_os = "linux")]
                    {
                        // SAFETY: setpriority takes no pointers; `who` 0 is
                        // the calling thread on Linux.
                        let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 10) };
                    }
                    Loader::new(config).load(&|_| {}, &mut |event| tx.send(event).is_ok());
                    done.store(true, Ordering::SeqCst);
                    start.elapsed()
                })
            };
            let mut app = broadsheet::tui::app::App::new(config.clone());
            reader::send(&mut app, Event::Resize(WIDTH, HEIGHT));
            for event in rx.iter() {
                let listed = matches!(event, Event::SummariesLoaded(_));
                reader::send(&mut app, event);
                if listed {
                    break;
                }
            }
            if let Some(delay) = delay {
                std::thread::sleep(delay);
            }
            during.push(type_word(&mut app, word, &done));
            let checked = match loader.join() {
                Ok(took) => took,
                Err(payload) => std::panic::resume_unwind(payload),
            };
            check_times.push(checked);
            for event in rx.try_iter() {
                reader::send(&mut app, event);
            }
            after.push(type_word(&mut app, word, &done));
        }
        let median = |typed: &[Typed], of: fn(&Typed) -> Duration| {
            let mut times: Vec<Duration> = typed.iter().map(of).collect();
            times.sort_unstable();
            show(times[times.len() / 2])
        };
        let in_check =
            |typed: &[Typed], of: fn(&Typed) -> bool| typed.iter().filter(|t| of(t)).count();
        println!(
            "{:<30} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13}",
            format!("{n} {word:?}"),
            median(&during, |t| t.slowest_key),
            median(&during, |t| t.last_key),
            median(&during, |t| t.count),
            median(&after, |t| t.slowest_key),
            median(&after, |t| t.last_key),
            median(&after, |t| t.count),
        );
        check_times.sort_unstable();
        println!(
            "  start to check's end {}; keys in the check {}/{rounds}, counts in the check {}/{rounds}",
            show(check_times[check_times.len() / 2]),
            in_check(&during, |t| t.key_in_check),
            in_check(&during, |t| t.count_in_check),
        );
    }
}
