//! The interactive reader.
//!
//! [`run`] is the only place with effects: it owns the terminal, starts the
//! input, signal, loader and saver threads, and feeds their events to the
//! pure [`app::App`]; after each event it draws one frame with [`view`].
//! Nothing is drawn on a timer, so an idle reader uses no CPU.

pub mod app;
pub mod document;
pub mod input;
pub mod layout;
pub mod loading;
pub mod notify;
pub mod popups;
pub mod style;
pub mod view;
pub mod wrap;

mod feed_work;
mod foreground;
pub mod links;
mod marks_watch;
mod terminal;
mod workers;

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::mpsc;

use ratatui::crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};

use chrono::Utc;

use crate::config::Config;
use app::{App, Effect};
use terminal::TerminalGuard;
use workers::{Event, Workers};

/// Opens the reader on the configured folder; returns the exit code.
///
/// Without a terminal on stdin and stdout (a script, a pipe, a cron job)
/// the reader cannot run: that is said plainly, with the commands to use
/// instead, before the terminal is touched.
pub fn run(config: Config) -> ExitCode {
    use std::io::IsTerminal;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        eprintln!(
            "broadsheet: error: the reader needs a terminal; for scripts use a command: \
             `broadsheet list`, `broadsheet --help`"
        );
        return ExitCode::FAILURE;
    }
    let config = feed_work::with_test_interval(config);
    match run_reader(App::new(config)) {
        Ok(outcome) => outcome.report(),
        Err(error) => {
            eprintln!("broadsheet: error: the terminal failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// How the reader ended, reported after the terminal is restored.
struct Outcome {
    /// Changes that could not be saved.
    unsaved: Vec<String>,
    /// Why the run loop stopped.
    end: End,
}

/// Why the run loop stopped.
enum End {
    /// The user quit, or the terminal input ended.
    Quit,
    /// SIGTERM, SIGHUP or SIGINT.
    Signal(i32),
    /// Drawing or taking the terminal failed.
    TerminalFailed(std::io::Error),
    /// A bug: the named thread panicked (the panic hook printed where).
    Crashed(&'static str),
}

impl Outcome {
    fn report(self) -> ExitCode {
        for problem in &self.unsaved {
            eprintln!("broadsheet: error: not saved: {problem}");
        }
        match self.end {
            End::Signal(signal) => ExitCode::from(128u8.saturating_add(signal as u8)),
            End::Quit if self.unsaved.is_empty() => ExitCode::SUCCESS,
            End::Quit => ExitCode::FAILURE,
            End::TerminalFailed(error) => {
                eprintln!("broadsheet: error: the terminal failed: {error}");
                ExitCode::FAILURE
            }
            End::Crashed(thread) => {
                eprintln!(
                    "broadsheet: internal error: the {thread} thread panicked (a bug: please \
                     report the message above); {}",
                    if self.unsaved.is_empty() {
                        "every change made before it was saved"
                    } else {
                        "the changes listed were not saved"
                    }
                );
                ExitCode::from(PANIC_EXIT_CODE)
            }
        }
    }
}

/// The exit status after a panic, the same as Rust's own for a panicking
/// `main`.
const PANIC_EXIT_CODE: u8 = 101;

/// The environment variable that makes F12 panic, in the run loop (`main`)
/// or in a background thread (`worker`): a hidden trigger for the tests that
/// check a panic gives the terminal back and loses no saved change.
const TEST_PANIC_VARIABLE: &str = "BROADSHEET_TEST_PANIC";

/// Where the hidden test trigger panics.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TestPanic {
    RunLoop,
    Worker,
}

fn test_panic_from_env() -> Option<TestPanic> {
    match std::env::var(TEST_PANIC_VARIABLE).ok()?.as_str() {
        "main" => Some(TestPanic::RunLoop),
        "worker" => Some(TestPanic::Worker),
        _ => None,
    }
}

fn run_reader(mut app: App) -> std::io::Result<Outcome> {
    let (sender, events) = mpsc::channel();
    let mut guard = TerminalGuard::enter()?;
    let workers = Workers::start(app.config(), sender)?;
    // Whether the loop ends normally, fails to draw or panics, the terminal
    // is given back and the queued saves are finished before leaving.
    let looped = panic::catch_unwind(AssertUnwindSafe(|| {
        event_loop(&mut app, &mut guard, &workers, &events)
    }));
    drop(guard);
    let unsaved = workers.finish();
    let end = match looped {
        Ok(Ok(end)) => end,
        Ok(Err(error)) => End::TerminalFailed(error),
        Err(_) => End::Crashed("main"),
    };
    Ok(Outcome { unsaved, end })
}

/// Feeds events to the app and draws a frame after each, until the app, a
/// signal, the end of input or a failed worker ends it.
fn event_loop(
    app: &mut App,
    guard: &mut TerminalGuard,
    workers: &Workers,
    events: &mpsc::Receiver<Event>,
) -> std::io::Result<End> {
    let test_panic = test_panic_from_env();
    let size = guard.size()?;
    app.on_event(app::Event::Resize(size.width, size.height), Utc::now());
    workers.load();
    if apply(app.start(Utc::now()), workers, guard)? {
        return Ok(End::Quit);
    }
    if let Some(every) = app.config().fetching.every {
        workers.fetch_every(every);
    }
    draw(guard, app)?;
    while let Ok(event) = events.recv() {
        let for_app = match event {
            Event::Terminal(TermEvent::Key(key)) if is_suspend(&key) => {
                guard.suspend()?;
                draw(guard, app)?;
                continue;
            }
            Event::Terminal(TermEvent::Key(key))
                if test_panic.is_some() && key.code == KeyCode::F(12) =>
            {
                match test_panic {
                    Some(TestPanic::RunLoop) => {
                        panic!("a panic in the run loop, asked for by {TEST_PANIC_VARIABLE}")
                    }
                    _ => workers.panic_in_worker(),
                }
                continue;
            }
            Event::Terminal(TermEvent::Key(key)) => Some(app::Event::Key(key)),
            Event::Terminal(TermEvent::Mouse(mouse)) => Some(app::Event::Mouse(mouse)),
            Event::Terminal(TermEvent::Resize(width, height)) => {
                Some(app::Event::Resize(width, height))
            }
            Event::Terminal(_) => None,
            Event::App(event) => Some(event),
            Event::InputClosed => return Ok(End::Quit),
            Event::Suspend => {
                guard.suspend()?;
                None
            }
            Event::Resumed => {
                guard.resume()?;
                None
            }
            Event::Signal(number) => return Ok(End::Signal(number)),
            Event::WorkerFailed(thread) => return Ok(End::Crashed(thread)),
        };
        if let Some(event) = for_app
            && apply(app.on_event(event, Utc::now()), workers, guard)?
        {
            return Ok(End::Quit);
        }
        draw(guard, app)?;
        if let Some(job) = app.take_wrap_job() {
            workers.wrap(job);
        }
    }
    Ok(End::Quit)
}

/// Ctrl-Z: in raw mode the terminal sends it as a key, not as SIGTSTP.
fn is_suspend(key: &KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
        && key.code == KeyCode::Char('z')
        && key.modifiers == KeyModifiers::CONTROL
}

/// Carries out effects; returns true when the reader should quit.
fn apply(
    effects: Vec<Effect>,
    workers: &Workers,
    guard: &mut TerminalGuard,
) -> std::io::Result<bool> {
    let mut quit = false;
    for effect in effects {
        match effect {
            Effect::Save(change) => workers.save(change),
            Effect::Reload => workers.reload(),
            Effect::Count(job) => workers.count(job),
            Effect::ReadFeeds => workers.read_feeds(),
            Effect::FetchFeeds => workers.fetch_feeds(None),
            Effect::FetchFeed(url) => workers.fetch_feeds(Some(url)),
            Effect::Notify(notice) => {
                if let Some(sequence) = &notice.terminal {
                    guard.send(sequence)?;
                }
                if let Some(command) = notice.command {
                    workers.notify(command);
                }
            }
            Effect::FullText(job) => workers.full_text(job),
            Effect::OpenUrl(url) => {
                let (launches, hint) = workers.open_launches(&url);
                foreground::launch(launches, url, hint, workers, guard)?;
            }
            Effect::Play(url) => {
                let (launches, hint) = workers.play_launches(&url);
                foreground::launch(launches, url, hint, workers, guard)?;
            }
            Effect::Copy(url) => guard.send(&links::osc52(&url))?,
            Effect::Quit => quit = true,
        }
    }
    Ok(quit)
}

fn draw(guard: &mut TerminalGuard, app: &mut App) -> std::io::Result<()> {
    let mut links = Vec::new();
    guard.draw(|frame| {
        // ratatui sizes the frame from the terminal itself; a resize event
        // still on its way must not leave the app laying out a larger screen.
        let area = frame.area();
        if area != app.area() {
            app.on_event(app::Event::Resize(area.width, area.height), Utc::now());
        }
        app.prepare();
        view::draw(app, frame);
        links = view::hyperlinks::link_runs(app, area, frame.buffer_mut());
    })?;
    if links.is_empty() {
        return Ok(());
    }
    // The frame's cells are on screen: the links are printed over
    // themselves, clickable.
    guard.send(&view::hyperlinks::osc8_sequence(&links))
}
