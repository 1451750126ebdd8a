//! The reader on an arbitrary article: drawn at an arbitrary size, then after
//! each of an arbitrary handful of keys (and one resize). Nothing may panic,
//! and no cell of any frame may hold a control character, so no article can
//! break the reader or act on the terminal through it.
#![no_main]

use std::path::PathBuf;

use broadsheet::article::{Article, Detail, Format};
use broadsheet::config::Config;
use broadsheet::library::{Library, Marks};
use broadsheet::tui::app::{App, Event, Summaries};
use broadsheet::tui::view;
use broadsheet_fuzz::is_forbidden;
use libfuzzer_sys::fuzz_target;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The keys a script byte picks from: moving, opening, scrolling, full
/// screen, search (typing `e`), matches, the tag picker and back.
const KEYS: [KeyCode; 18] = [
    KeyCode::Down,
    KeyCode::Up,
    KeyCode::Enter,
    KeyCode::Char('G'),
    KeyCode::Char('g'),
    KeyCode::PageDown,
    KeyCode::PageUp,
    KeyCode::Char('z'),
    KeyCode::Char('/'),
    KeyCode::Char('e'),
    KeyCode::Esc,
    KeyCode::Char('n'),
    KeyCode::Char('N'),
    KeyCode::Tab,
    KeyCode::Char('t'),
    KeyCode::Char(' '),
    KeyCode::Char('?'),
    KeyCode::Char('j'),
];

/// The reader's clock: any fixed time will do.
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::UNIX_EPOCH
}

/// Draws a frame the way the run loop does and checks every cell.
fn draw_and_check(app: &mut App) {
    app.prepare();
    if let Some(job) = app.take_wrap_job() {
        // The run loop wraps a long article on a worker; here, at once.
        if let Some(document) = job.run() {
            app.on_event(Event::Wrapped(Box::new(document)), now());
            app.prepare();
        }
    }
    let area = app.area();
    let mut buf = Buffer::empty(area);
    view::draw_into(app, area, &mut buf);
    for cell in buf.content() {
        let symbol = cell.symbol();
        assert!(
            !symbol.chars().any(is_forbidden),
            "a cell holds {symbol:?} at {}x{}",
            area.width,
            area.height
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let [width, height, script, rest @ ..] = data else {
        return;
    };
    let width = 1 + u16::from(*width) % 200;
    let height = 1 + u16::from(*height) % 80;
    let key_count = usize::from(script % 16).min(rest.len());
    let format = if script & 0x80 == 0 {
        Format::Plain
    } else {
        Format::Markdown
    };
    let (keys, bytes) = rest.split_at(key_count);
    let Ok(article) = Article::from_bytes_with(
        "fuzz.txt".to_string(),
        PathBuf::from("/tmp/fuzz/fuzz.txt"),
        bytes,
        format,
        Detail::Full,
    ) else {
        return;
    };
    let library = Library::new(PathBuf::from("/tmp/fuzz"), vec![article], Vec::new());
    let mut app = App::new(Config::default());
    app.on_event(Event::Resize(width, height), now());
    // The two phases of a load, as the loader thread hands them over.
    let summaries = Summaries {
        library: library.clone(),
        marks: Marks::default(),
        problems: Vec::new(),
    };
    app.on_event(Event::SummariesLoaded(Box::new(summaries)), now());
    app.on_event(Event::TextsLoaded(Box::new(library)), now());
    draw_and_check(&mut app);
    for (n, &key) in keys.iter().enumerate() {
        let code = KEYS[usize::from(key) % KEYS.len()];
        let _effects = app.on_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)), now());
        if n == key_count / 2 {
            // Half-way, the terminal changes size: the other way round.
            app.on_event(Event::Resize(height.max(1), width.max(1)), now());
        }
        draw_and_check(&mut app);
    }
});
