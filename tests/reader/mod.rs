//! The reader without a terminal, shared by tests/tui_app.rs,
//! tests/tui_snapshots.rs and the benches: a reader loaded the way the real
//! one is (the two-phase load of `tui::loading`, delivered as events), keys
//! pressed through the real key map into `App::on_event`, and frames drawn
//! by the real views into a `TestBackend`.
//!
//! Each user takes what it needs, so unused helpers are expected.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use broadsheet::config::Config;
use broadsheet::library::{Library, Marks};
use broadsheet::tui::app::{App, Effect, Event, Summaries};
use broadsheet::tui::loading::Loader;
use broadsheet::tui::view;
use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// The clock every test reader runs at, so bookmarks made in tests carry a
/// known time.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The bundled sample articles.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")
}

/// A copy of the bundled samples, which a test may add files to.
pub fn samples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(samples_dir()).expect("samples") {
        let path = entry.expect("entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, dir.path().join(name)).expect("copy");
        }
    }
    dir
}

/// The bundled sample articles parsed in whole, in file name order: for
/// libraries built in memory from copies of them.
pub fn sample_articles() -> Vec<broadsheet::article::Article> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(samples_dir())
        .expect("the samples folder")
        .map(|entry| entry.expect("a sample").path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a sample's bytes");
            let id = path
                .file_name()
                .and_then(|name| name.to_str())
                .expect("a sample's name")
                .to_string();
            let format = broadsheet::article::Format::Plain;
            broadsheet::article::Article::from_bytes(id, path, &bytes, format).expect("a sample")
        })
        .collect()
}

/// The defaults with the articles in `root`, and bookmarks and read state in
/// a folder nothing reads (the tests' readers never save).
pub fn config_for(root: &Path) -> Config {
    let mut config = Config::default();
    config.library.articles = root.to_path_buf();
    config.library.bookmarks = root.join(".no-such-folder/bookmarks.toml");
    config.library.state = root.join(".no-such-folder/state.toml");
    // No cache unless a test asks for one in a folder of its own.
    config.library.cache = None;
    config
}

/// The events the loader thread would send for this configuration, in order:
/// the summaries with the marks, then the texts (or a failure).
pub fn load_events(config: &Config) -> Vec<Event> {
    start_events(&mut Loader::new(config.clone()))
}

/// The events `loader` sends when the reader starts.
pub fn start_events(loader: &mut Loader) -> Vec<Event> {
    let mut events = Vec::new();
    loader.load(&|_| {}, &mut |event| {
        events.push(event);
        true
    });
    events
}

/// The events `loader` sends when the folder changed while the reader
/// runs: what changed since its last load or check.
pub fn check_events(loader: &mut Loader) -> Vec<Event> {
    let mut events = Vec::new();
    loader.refresh(&mut |event| {
        events.push(event);
        true
    });
    events
}

/// The event the loader thread sends when the folder changed while the
/// reader runs, from a loader that had loaded nothing: the texts read again
/// in one phase.
pub fn refresh_events(config: &Config) -> Vec<Event> {
    check_events(&mut Loader::new(config.clone()))
}

/// A reader of `width` x `height` with `config`, its folder loaded in the
/// two phases and the first frame prepared.
pub fn reader(config: Config, width: u16, height: u16) -> App {
    let events = load_events(&config);
    let mut app = App::new(config);
    send(&mut app, Event::Resize(width, height));
    for event in events {
        send(&mut app, event);
    }
    app
}

/// A reader on the articles of `root` with the default settings.
pub fn reader_on(root: &Path, width: u16, height: u16) -> App {
    reader(config_for(root), width, height)
}

/// A reader on the bundled samples.
pub fn samples_reader(width: u16, height: u16) -> App {
    reader_on(&samples_dir(), width, height)
}

/// The two load events for a library built in memory (benches, generated
/// articles): its summaries are the library itself.
pub fn library_events(library: Library) -> [Event; 2] {
    let summaries = Summaries {
        library: library.clone(),
        marks: Marks::default(),
        problems: Vec::new(),
    };
    [
        Event::SummariesLoaded(Box::new(summaries)),
        Event::TextsLoaded(Box::new(library)),
    ]
}

/// A reader on a library built in memory, through the two load events.
pub fn reader_of(config: Config, library: Library, width: u16, height: u16) -> App {
    let mut app = App::new(config);
    send(&mut app, Event::Resize(width, height));
    for event in library_events(library) {
        send(&mut app, event);
    }
    app
}

/// Hands the reader one event, as the run loop does, and prepares the next
/// frame.
/// Counting jobs are done at once, as a worker would, and their result
/// handed back: the effects returned are the others.
pub fn send(app: &mut App, event: Event) -> Vec<Effect> {
    let mut effects = send_leaving_counts(app, event);
    while let Some(at) = effects.iter().position(|e| matches!(e, Effect::Count(_))) {
        if let Effect::Count(job) = effects.remove(at)
            && let Some(counted) = job.run()
        {
            effects.extend(send_leaving_counts(app, Event::Counted(counted)));
        }
    }
    effects
}

/// Hands `event` to the reader and prepares the frame, leaving any
/// counting job undone among the effects (the first screen shown, the
/// count to follow).
pub fn send_leaving_counts(app: &mut App, event: Event) -> Vec<Effect> {
    let effects = app.on_event(event, now());
    app.prepare();
    effects
}

/// Presses a key without modifiers.
pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    send(app, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Presses Ctrl and a character.
pub fn press_ctrl(app: &mut App, c: char) -> Vec<Effect> {
    send(
        app,
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

/// Types each character of `text`.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The terminal changes size.
pub fn resize(app: &mut App, width: u16, height: u16) {
    send(app, Event::Resize(width, height));
}

/// The id of the selected article, or "" when nothing is selected.
pub fn selected_id(app: &App) -> String {
    app.selected_article()
        .map(|a| a.id().to_string())
        .unwrap_or_default()
}

/// Draws one frame the way the run loop does and returns the screen.
pub fn draw(app: &App) -> Buffer {
    let area = app.area();
    let backend = TestBackend::new(area.width, area.height);
    let mut terminal = Terminal::new(backend).expect("a test terminal");
    terminal
        .draw(|frame| view::draw(app, frame))
        .expect("a frame is drawn");
    terminal.backend().buffer().clone()
}

/// The columns a cell's symbol takes on screen (at least one: a cell is
/// always a column).
pub fn cell_columns(symbol: &str) -> u16 {
    u16::try_from(symbol.width()).unwrap_or(u16::MAX).max(1)
}

/// One row as a terminal shows it: a wide character's continuation cell is
/// covered by the character, so it is skipped.
pub fn row_text(buf: &Buffer, y: u16) -> String {
    let area = buf.area;
    let mut text = String::new();
    let mut x = area.left();
    while x < area.right() {
        let symbol = buf[(x, y)].symbol();
        text.push_str(symbol);
        x = x.saturating_add(cell_columns(symbol));
    }
    text
}

/// The screen as text: one line per row, trailing spaces trimmed.
pub fn screen_text(buf: &Buffer) -> String {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| row_text(buf, y).trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
