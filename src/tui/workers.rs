//! The reader's background threads: terminal input, signals, loading the
//! folder and saving bookmarks and read marks. They talk to the run loop
//! only through [`Event`]s, so the UI thread never waits on a file.

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event as TermEvent};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use crate::article::Detail;
use crate::config::Config;
use crate::library::load::{LoadProgress, load_with_progress};
use crate::library::{Library, LoadOptions, Marks};
use crate::store::bookmarks::BookmarkStore;
use crate::store::read_state::ReadStore;
use crate::store::{Change, StoreError};
use crate::tui::app::{Effect, Loading, WrapJob};
use crate::tui::document::Document;

/// How long a failed save waits before it is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// What the background threads tell the run loop.
#[derive(Debug)]
pub enum Event {
    /// A key, mouse or resize event.
    Terminal(TermEvent),
    /// The terminal input ended.
    InputClosed,
    /// Loading progress.
    Progress(Loading),
    /// A load phase finished: first the summaries, then the full texts.
    Loaded(Box<Loaded>),
    /// The folder could not be loaded at all.
    LoadFailed(String),
    /// A save finished (`None`) or failed and will be retried (`Some`).
    Saved(Option<String>),
    /// Something to tell the user (a store file moved aside).
    Notice(String),
    /// SIGTSTP from outside: suspend like Ctrl-Z.
    Suspend,
    /// SIGCONT: the process was continued; redraw everything.
    Resumed,
    /// A worker wrapped a whole article.
    Wrapped(Box<Document>),
    /// SIGTERM, SIGHUP or SIGINT: leave cleanly.
    Signal(i32),
    /// A background thread panicked (a bug; the panic hook has already given
    /// the terminal back and printed where): the reader must end.
    WorkerFailed(&'static str),
}

/// The result of a load: the library and the marks read with it.
#[derive(Debug)]
pub struct Loaded {
    /// The articles.
    pub library: Library,
    /// Bookmarked and read ids.
    pub marks: Marks,
    /// Store files that were moved aside, to be shown.
    pub problems: Vec<String>,
    /// Bodies are loaded too (the second phase); `false` for summaries.
    pub complete: bool,
}

/// Handles to the background threads.
pub struct Workers {
    events: Sender<Event>,
    saves: Sender<Effect>,
    saver: JoinHandle<Option<Vec<String>>>,
}

impl Workers {
    /// Starts the input, signal and saver threads.
    pub fn start(config: &Config, events: Sender<Event>) -> std::io::Result<Workers> {
        spawn_input(events.clone())?;
        spawn_signals(events.clone())?;
        let (saves, jobs) = mpsc::channel();
        let stores = Stores {
            bookmarks: BookmarkStore::new(&config.library.bookmarks),
            read: ReadStore::new(&config.library.state),
        };
        let saver = spawn_worker("saver", events.clone(), move |events| {
            save_loop(&stores, &jobs, events)
        })?;
        Ok(Workers {
            events,
            saves,
            saver,
        })
    }

    /// Loads the folder and the marks on a new thread.
    pub fn load(&self, config: &Config) {
        let root = config.library.articles.clone();
        let options = LoadOptions {
            max_size: config.library.max_article_size,
            detail: Detail::Summary,
            threads: 0,
        };
        let stores = Stores {
            bookmarks: BookmarkStore::new(&config.library.bookmarks),
            read: ReadStore::new(&config.library.state),
        };
        let spawned = spawn_worker("loader", self.events.clone(), move |events| {
            let progress = |p: LoadProgress| {
                let _ = events.send(Event::Progress(Loading {
                    found: p.found,
                    loaded: p.loaded,
                }));
            };
            // Summaries first, so the list is on screen and usable soon on a
            // huge folder; then the full texts for the reader and search.
            let library = match load_with_progress(&root, &options, &progress) {
                Ok(library) => library,
                Err(error) => {
                    let _ = events.send(Event::LoadFailed(error.to_string()));
                    return;
                }
            };
            let (marks, problems) = stores.load_marks();
            let summaries = Loaded {
                library,
                marks,
                problems,
                complete: false,
            };
            if events.send(Event::Loaded(Box::new(summaries))).is_err() {
                return;
            }
            let full = LoadOptions {
                detail: Detail::Full,
                ..options
            };
            let event = match load_with_progress(&root, &full, &|_| {}) {
                Ok(library) => Event::Loaded(Box::new(Loaded {
                    library,
                    marks: Marks::default(),
                    problems: Vec::new(),
                    complete: true,
                })),
                Err(error) => Event::LoadFailed(error.to_string()),
            };
            let _ = events.send(event);
        });
        if let Err(error) = spawned {
            let _ = self
                .events
                .send(Event::LoadFailed(format!("cannot start loading: {error}")));
        }
    }

    /// Wraps a whole long article on a new thread.
    pub fn wrap(&self, job: WrapJob) {
        let _ = spawn_worker("wrap", self.events.clone(), move |events| {
            if let Some(document) = job.run() {
                let _ = events.send(Event::Wrapped(Box::new(document)));
            }
        });
    }

    /// Panics in a background thread, for the tests that check a worker's
    /// panic ends the reader cleanly (see [`crate::tui`]'s test trigger).
    pub fn panic_in_worker(&self) {
        let _ = spawn_worker("test-panic", self.events.clone(), |_| {
            panic!("a panic in a worker thread, asked for by BROADSHEET_TEST_PANIC");
        });
    }

    /// Queues a bookmark or read-state change.
    pub fn save(&self, effect: Effect) {
        if let Err(mpsc::SendError(effect)) = self.saves.send(effect) {
            let _ = self.events.send(Event::Saved(Some(format!(
                "saver stopped; lost {effect:?}"
            ))));
        }
    }

    /// Waits for queued saves; returns what could not be saved.
    pub fn finish(self) -> Vec<String> {
        drop(self.saves);
        self.saver.join().ok().flatten().unwrap_or_else(|| {
            vec!["changes still queued when the saver thread failed".to_string()]
        })
    }
}

struct Stores {
    bookmarks: BookmarkStore,
    read: ReadStore,
}

impl Stores {
    fn load_marks(&self) -> (Marks, Vec<String>) {
        let mut problems = Vec::new();
        let mut marks = Marks::default();
        match self.bookmarks.load() {
            Ok(loaded) => {
                problems.extend(loaded.problem.map(|p| p.to_string()));
                marks.bookmarked = loaded.value.into_iter().map(|b| b.id).collect();
            }
            Err(error) => problems.push(error.to_string()),
        }
        match self.read.load() {
            Ok(loaded) => {
                problems.extend(loaded.problem.map(|p| p.to_string()));
                marks.read = loaded.value.into_iter().collect();
            }
            Err(error) => problems.push(error.to_string()),
        }
        (marks, problems)
    }

    fn perform(&self, effect: &Effect) -> Result<Change, StoreError> {
        match effect {
            Effect::AddBookmark(bookmark) => self.bookmarks.add(bookmark.clone()),
            Effect::RemoveBookmark(id) => self.bookmarks.remove(id),
            Effect::SetRead(ids, read) => self.read.set_read(ids, *read),
            Effect::Reload | Effect::Quit => Ok(Change {
                changed: false,
                moved_aside: None,
                problem: None,
            }),
        }
    }
}

/// Saves changes in order; a failed one is retried every [`RETRY_AFTER`]
/// and blocks those after it, so the file never sees them out of order.
/// When the reader quits, pending changes get one last try; what still
/// fails is returned to be reported.
fn save_loop(stores: &Stores, jobs: &Receiver<Effect>, events: &Sender<Event>) -> Vec<String> {
    let mut pending: VecDeque<Effect> = VecDeque::new();
    loop {
        let next = if pending.is_empty() {
            jobs.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            jobs.recv_timeout(RETRY_AFTER)
        };
        let closing = match next {
            Ok(job) => {
                pending.push_back(job);
                false
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => true,
        };
        pending.extend(jobs.try_iter());
        let failure = drain(stores, &mut pending, events);
        if closing {
            return match failure {
                None => Vec::new(),
                Some(error) => {
                    let mut lost = vec![error];
                    lost.extend(pending.iter().skip(1).map(|e| format!("{e:?}")));
                    lost
                }
            };
        }
    }
}

/// Performs pending changes in order until one fails; returns its error.
fn drain(
    stores: &Stores,
    pending: &mut VecDeque<Effect>,
    events: &Sender<Event>,
) -> Option<String> {
    while let Some(job) = pending.front() {
        match stores.perform(job) {
            Ok(change) => {
                pending.pop_front();
                if let Some(problem) = change.problem {
                    let _ = events.send(Event::Notice(problem.to_string()));
                }
                let _ = events.send(Event::Saved(None));
            }
            Err(error) => {
                let message = error.to_string();
                let _ = events.send(Event::Saved(Some(message.clone())));
                return Some(message);
            }
        }
    }
    None
}

/// Starts a background thread named `name` that runs `work`; if `work`
/// panics, the run loop is told with [`Event::WorkerFailed`] instead of
/// waiting forever for what the thread would have sent. The handle gives
/// what `work` returned, or `None` after a panic.
fn spawn_worker<T: Send + 'static>(
    name: &'static str,
    events: Sender<Event>,
    work: impl FnOnce(&Sender<Event>) -> T + Send + 'static,
) -> std::io::Result<JoinHandle<Option<T>>> {
    thread::Builder::new().name(name.into()).spawn(move || {
        let done = panic::catch_unwind(AssertUnwindSafe(|| work(&events))).ok();
        if done.is_none() {
            let _ = events.send(Event::WorkerFailed(name));
        }
        done
    })
}

fn spawn_input(events: Sender<Event>) -> std::io::Result<()> {
    spawn_worker("input", events, |events| {
        loop {
            match event::read() {
                Ok(event) => {
                    if events.send(Event::Terminal(event)).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    let _ = events.send(Event::InputClosed);
                    return;
                }
            }
        }
    })
    // Detached: they live as long as the process.
    .map(drop)
}

fn spawn_signals(events: Sender<Event>) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGTSTP, SIGCONT])?;
    spawn_worker("signals", events, move |events| {
        for signal in signals.forever() {
            let event = match signal {
                SIGTSTP => Event::Suspend,
                SIGCONT => Event::Resumed,
                other => Event::Signal(other),
            };
            if events.send(event).is_err() {
                return;
            }
        }
    })
    // Detached: they live as long as the process.
    .map(drop)
}
