//! The interactive reader.
//!
//! [`run`] is the only place with effects: it owns the terminal, starts the
//! input, signal, loader and saver threads, and feeds their events to the
//! pure [`app::App`]; after each event it draws one frame with [`view`].
//! Nothing is drawn on a timer, so an idle reader uses no CPU.

pub mod action;
pub mod app;
pub mod document;
pub mod keymap;
pub mod layout;
pub mod picker;
pub mod theme;
pub mod view;
pub mod wrap;

mod terminal;
mod workers;

use std::process::ExitCode;
use std::sync::mpsc;

use ratatui::crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};

use crate::cli::{self, Args};
use app::{App, Effect};
use terminal::TerminalGuard;
use workers::{Event, Workers};

/// Opens the reader on the configured folder; returns the exit code.
pub fn run(args: Args) -> ExitCode {
    let mut config = match cli::load_config(&args) {
        Ok(config) => config,
        Err(cli::CliError(message)) => {
            eprintln!("broadsheet: error: {message}");
            return ExitCode::FAILURE;
        }
    };
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        config.theme = theme::Theme::no_color();
    }
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
    unsaved: Vec<String>,
    signal: Option<i32>,
}

impl Outcome {
    fn report(self) -> ExitCode {
        for problem in &self.unsaved {
            eprintln!("broadsheet: error: not saved: {problem}");
        }
        match self.signal {
            Some(signal) => ExitCode::from(128u8.saturating_add(signal as u8)),
            None if self.unsaved.is_empty() => ExitCode::SUCCESS,
            None => ExitCode::FAILURE,
        }
    }
}

fn run_reader(mut app: App) -> std::io::Result<Outcome> {
    let (sender, events) = mpsc::channel();
    let mut guard = TerminalGuard::enter()?;
    let workers = Workers::start(&app.config, sender)?;
    let size = guard.size()?;
    app.resize(size.width, size.height);
    workers.load(&app.config);
    draw(&mut guard, &mut app)?;
    let mut signal = None;
    while let Ok(event) = events.recv() {
        let effects = match event {
            Event::Terminal(TermEvent::Key(key)) if is_suspend(&key) => {
                guard.suspend()?;
                draw(&mut guard, &mut app)?;
                continue;
            }
            Event::Terminal(TermEvent::Key(key)) => app.key(key),
            Event::Terminal(TermEvent::Mouse(mouse)) => app.mouse(mouse),
            Event::Terminal(TermEvent::Resize(width, height)) => {
                app.resize(width, height);
                Vec::new()
            }
            Event::Terminal(_) => Vec::new(),
            Event::InputClosed => break,
            Event::Progress(loading) => {
                app.progress(loading);
                Vec::new()
            }
            Event::Loaded(loaded) if loaded.complete => {
                app.bodies_loaded(loaded.library);
                Vec::new()
            }
            Event::Loaded(loaded) => {
                app.summaries_loaded(loaded.library, loaded.marks);
                if let Some(problem) = loaded.problems.first() {
                    app.say(problem.clone(), true);
                }
                Vec::new()
            }
            Event::LoadFailed(message) => {
                app.load_failed(message);
                Vec::new()
            }
            Event::Saved(result) => {
                app.saved(result);
                Vec::new()
            }
            Event::Wrapped(document) => {
                app.wrapped(*document);
                Vec::new()
            }
            Event::Notice(text) => {
                app.say(text, true);
                Vec::new()
            }
            Event::Suspend => {
                guard.suspend()?;
                Vec::new()
            }
            Event::Resumed => {
                guard.resume()?;
                Vec::new()
            }
            Event::Signal(number) => {
                signal = Some(number);
                break;
            }
        };
        if apply(effects, &workers, &app) {
            break;
        }
        draw(&mut guard, &mut app)?;
        if let Some(job) = app.take_wrap_job() {
            workers.wrap(job);
        }
    }
    drop(guard);
    let unsaved = workers.finish();
    Ok(Outcome { unsaved, signal })
}

/// Ctrl-Z: in raw mode the terminal sends it as a key, not as SIGTSTP.
fn is_suspend(key: &KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
        && key.code == KeyCode::Char('z')
        && key.modifiers == KeyModifiers::CONTROL
}

/// Carries out effects; returns true when the reader should quit.
fn apply(effects: Vec<Effect>, workers: &Workers, app: &App) -> bool {
    let mut quit = false;
    for effect in effects {
        match effect {
            Effect::Quit => quit = true,
            Effect::Reload => workers.load(&app.config),
            save => workers.save(save),
        }
    }
    quit
}

fn draw(guard: &mut TerminalGuard, app: &mut App) -> std::io::Result<()> {
    guard.draw(|frame| {
        // ratatui sizes the frame from the terminal itself; a resize event
        // still on its way must not leave the app laying out a larger screen.
        let area = frame.area();
        if area != app.area {
            app.resize(area.width, area.height);
        }
        app.prepare();
        view::draw(app, frame);
    })
}
