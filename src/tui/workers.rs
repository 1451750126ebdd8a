//! The reader's background threads: terminal input, signals, loading the
//! folder, saving bookmarks and read marks, and following the store files
//! for marks changed by another process (`marks_watch.rs`). They talk to the run loop
//! only through [`Event`]s, so the UI thread never waits on a file.

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event as TermEvent};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use crate::article::Detail;
use crate::config::{Config, LibraryConfig};
use crate::library::vouch::Voucher;
use crate::library::watch::{Change, FolderWatch, WatchOptions};
use crate::store::{MarkChange, MarkStores};
use crate::tui::app::{self, CountJob, FullTextJob, WrapJob};
use crate::tui::links::Launch;
use crate::tui::loading::{Loader, Recheck};
use crate::tui::{feed_work, links, terminal};
use std::os::unix::process::CommandExt as _;

/// How long a failed save waits before it is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// How long pausing the input thread waits for it to stop reading. It
/// stops at once (woken by a SIGWINCH of its own); the bound only keeps a
/// thread stuck elsewhere from holding the reader.
const INPUT_PAUSE_WAIT: Duration = Duration::from_secs(1);

/// What the background threads tell the run loop: what the reader's
/// [`App`](crate::tui::app::App) takes, and what only the run loop handles.
#[derive(Debug)]
pub(super) enum Event {
    /// A key, mouse or resize event.
    Terminal(TermEvent),
    /// A result for the reader: loads, saves, a wrapped article, notices.
    App(app::Event),
    /// The terminal input ended.
    InputClosed,
    /// SIGTSTP from outside: suspend like Ctrl-Z.
    Suspend,
    /// SIGCONT: the process was continued; redraw everything.
    Resumed,
    /// SIGTERM, SIGHUP or SIGINT: leave cleanly.
    Signal(i32),
    /// A background thread panicked (a bug; the panic hook has already given
    /// the terminal back and printed where): the reader must end.
    WorkerFailed(&'static str),
}

/// A load the loader thread is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LoadRequest {
    /// The folder and the marks at start: from the cache when there is
    /// one, else the whole folder in two phases.
    Full,
    /// `r`: the whole folder read again in two phases, the cache not
    /// trusted, and the marks.
    Reload,
    /// The folder may have changed while the reader runs (a full event
    /// queue, files too recent to trust): the whole folder checked; the
    /// marks in the reader are kept.
    Refresh,
    /// These paths changed, as the watcher reported them: only they are
    /// looked at.
    Changed(Vec<PathBuf>),
}

/// Handles to the background threads.
pub(super) struct Workers {
    events: Sender<Event>,
    saves: Sender<MarkChange>,
    saver: JoinHandle<Option<Vec<String>>>,
    loads: Sender<LoadRequest>,
    /// Where the feeds file, their states and the articles are.
    library: LibraryConfig,
    /// The accounts a fetch of every feed syncs too (`[[account]]`).
    accounts: Vec<crate::config::Account>,
    /// The player of enclosures (`[reader] player`), if one is set.
    player: Option<Vec<String>>,
    /// Whether the browser runs in the terminal (`[reader]
    /// browser_in_terminal`); None: by its name.
    browser_in_terminal: Option<bool>,
    /// Stops the input thread reading the terminal while a program in the
    /// foreground has it.
    input: Arc<InputGate>,
}

/// The run loop's hold on the input thread: while paused, the thread does
/// not read the terminal, so every key goes to the program the terminal
/// was handed to.
#[derive(Default)]
struct InputGate {
    state: Mutex<GateState>,
    changed: Condvar,
}

/// Where the run loop and the input thread are in a pause.
#[derive(Default)]
struct GateState {
    /// The run loop asks the thread to stop reading.
    paused: bool,
    /// The thread stopped and waits for `paused` to go.
    parked: bool,
    /// The thread ended (the terminal's input closed): nothing to wait for.
    ended: bool,
}

impl InputGate {
    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The input thread's side, before each read: waits while paused.
    fn wait_while_paused(&self) {
        let mut state = self.lock();
        if !state.paused {
            return;
        }
        state.parked = true;
        self.changed.notify_all();
        while state.paused {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.parked = false;
    }

    /// The input thread ended.
    fn end(&self) {
        self.lock().ended = true;
        self.changed.notify_all();
    }

    /// Asks the thread to stop reading and waits (a bounded time) until it
    /// has. A read already waiting for input is ended by a SIGWINCH sent to
    /// this process: the terminal library's reader wakes for it with a
    /// resize, which the run loop takes as any other.
    fn pause(&self) {
        self.lock().paused = true;
        // Without the terminal library's handler yet, SIGWINCH is ignored
        // (its default), and the thread has not started reading either.
        let _ = signal_hook::low_level::raise(libc::SIGWINCH);
        let state = self.lock();
        let _ = self
            .changed
            .wait_timeout_while(state, INPUT_PAUSE_WAIT, |s| !s.parked && !s.ended);
    }

    /// Lets the thread read again.
    fn resume(&self) {
        self.lock().paused = false;
        self.changed.notify_all();
    }
}

/// With accounts, how many marks made here wait to reach their servers,
/// told once at start when any do (read from the sync state on a thread
/// of its own, without the network, so the first frame does not wait).
fn count_waiting_changes(config: &Config, events: &Sender<Event>) -> std::io::Result<()> {
    if config.accounts.is_empty() {
        return Ok(());
    }
    let accounts = config.accounts.clone();
    let library = config.library.clone();
    spawn_worker("waiting", events.clone(), move |events| {
        let count = crate::sync::run::waiting_changes(&accounts, &library);
        if count > 0 {
            let _ = events.send(Event::App(crate::tui::app::Event::ChangesWaiting(count)));
        }
    })
    .map(drop)
}

impl Workers {
    /// Starts the input, signal and saver threads.
    pub(super) fn start(config: &Config, events: Sender<Event>) -> std::io::Result<Workers> {
        let input = Arc::new(InputGate::default());
        spawn_input(events.clone(), Arc::clone(&input))?;
        spawn_signals(events.clone())?;
        let (saves, jobs) = mpsc::channel();
        let stores = MarkStores::new(&config.library.bookmarks, &config.library.state);
        let saver = spawn_worker("saver", events.clone(), move |events| {
            save_loop(&stores, &jobs, events)
        })?;
        let marks = crate::tui::marks_watch::MarksWatch::new(config);
        spawn_worker("marks", events.clone(), move |events| {
            marks.follow(|event| events.send(Event::App(event)).is_ok());
        })
        // Detached: it looks at the files as long as the reader runs.
        .map(drop)?;
        count_waiting_changes(config, &events)?;
        let (loads, requests) = mpsc::channel();
        let follow = loads.clone();
        let loader_config = config.clone();
        spawn_worker("loader", events.clone(), move |events| {
            load_loop(&loader_config, &requests, follow, events)
        })
        // Detached: it waits for requests as long as the process lives.
        .map(drop)?;
        Ok(Workers {
            events,
            saves,
            saver,
            loads,
            library: config.library.clone(),
            accounts: config.accounts.clone(),
            player: config.reader.player.clone(),
            browser_in_terminal: config.reader.browser_in_terminal,
            input,
        })
    }

    /// Loads the folder and the marks, in the background.
    pub(super) fn load(&self) {
        self.request(LoadRequest::Full);
    }

    /// Reads the whole folder and the marks again (`r`), in the
    /// background.
    pub(super) fn reload(&self) {
        self.request(LoadRequest::Reload);
    }

    fn request(&self, request: LoadRequest) {
        if self.loads.send(request).is_err() {
            let _ = self.events.send(Event::App(app::Event::LoadFailed(
                "the loader thread stopped; restart broadsheet".to_string(),
            )));
        }
    }

    /// Wraps a whole long article on a new thread.
    pub(crate) fn wrap(&self, job: WrapJob) {
        let _ = spawn_worker("wrap", self.events.clone(), move |events| {
            if let Some(document) = job.run() {
                let _ = events.send(Event::App(app::Event::Wrapped(Box::new(document))));
            }
        });
    }

    /// Filters a whole long list on a new thread; a newer filtering makes
    /// it stop early, and then it sends nothing.
    pub(crate) fn count(&self, job: CountJob) {
        let _ = spawn_worker("count", self.events.clone(), move |events| {
            if let Some(counted) = job.run() {
                let _ = events.send(Event::App(app::Event::Counted(counted)));
            }
        });
    }

    /// Reads the feeds and their states on a new thread, for the popup.
    pub(crate) fn read_feeds(&self) {
        let library = self.library.clone();
        let accounts = self.accounts.clone();
        let _ = spawn_worker("feeds", self.events.clone(), move |events| {
            let _ = events.send(Event::App(feed_work::read(&library, &accounts)));
        });
    }

    /// Fetches every feed on a new thread, with progress after each one;
    /// the articles reach the reader through the folder watch.
    pub(crate) fn fetch_feeds(&self, only: Option<String>) {
        let library = self.library.clone();
        let accounts = self.accounts.clone();
        let _ = spawn_worker("fetch", self.events.clone(), move |events| {
            let send = |event| {
                let _ = events.send(Event::App(event));
            };
            send(feed_work::fetch(
                &library,
                &accounts,
                only.as_deref(),
                &send,
            ));
        });
    }

    /// Tells the reader every `every` that the feeds are due for a fetch
    /// (`[fetching] every_minutes`), on a thread of its own.
    pub(crate) fn fetch_every(&self, every: Duration) {
        let _ = spawn_worker("timer", self.events.clone(), move |events| {
            feed_work::tick(every, &|event| events.send(Event::App(event)).is_ok());
        });
    }

    /// Runs a notice's program; why it did not start is told to the reader.
    pub(crate) fn notify(&self, command: Vec<String>) {
        if let Err(error) = crate::tui::notify::run(&command) {
            let _ = self
                .events
                .send(Event::App(crate::tui::app::Event::Notice(error)));
        }
    }

    /// Fetches one article's page on a new thread and keeps its full text.
    pub(crate) fn full_text(&self, job: FullTextJob) {
        let _ = spawn_worker("full-text", self.events.clone(), move |events| {
            let _ = events.send(Event::App(feed_work::full_text(&job)));
        });
    }

    /// What opens `url`: the commands of `$BROWSER` (or the platform's
    /// opener), each marked with whether it runs in the terminal, and the
    /// hint said when none starts.
    pub(crate) fn open_launches(&self, url: &str) -> (Vec<Launch>, &'static str) {
        let browser = std::env::var("BROWSER").ok();
        let launches = links::open_launches(browser.as_deref(), self.browser_in_terminal, url);
        (launches, "set $BROWSER to your browser")
    }

    /// What plays `url`: the `[reader] player`, else what opens links
    /// ([`Workers::open_launches`]), and the hint said when none starts.
    pub(crate) fn play_launches(&self, url: &str) -> (Vec<Launch>, &'static str) {
        let browser = std::env::var("BROWSER").ok();
        let launches = links::play_launches(
            self.player.as_deref(),
            browser.as_deref(),
            self.browser_in_terminal,
            url,
        );
        let hint = match self.player {
            Some(_) => "check `player` in [reader] of the config file",
            None => "set `player` in [reader] of the config file, or $BROWSER",
        };
        (launches, hint)
    }

    /// Runs `work` while the input thread does not read the terminal (a
    /// program in the foreground reads it then), and lets it read again
    /// after.
    pub(crate) fn with_input_paused<T>(&self, work: impl FnOnce() -> T) -> T {
        self.input.pause();
        let done = work();
        self.input.resume();
        done
    }

    /// Tells the reader something (a program that could not start).
    pub(crate) fn notice(&self, text: String) {
        let _ = self.events.send(Event::App(app::Event::Notice(text)));
    }

    /// Starts the first of `commands` that starts, for `url` (already
    /// checked), on a new thread that waits for it, so no process is left a
    /// zombie; when none starts, says so with `hint` after what was
    /// `tried` before. The program gets no terminal: its input and output
    /// go nowhere, and it is in a process group of its own, so the
    /// reader's Ctrl-C never reaches it.
    pub(crate) fn start_program(
        &self,
        commands: Vec<Vec<String>>,
        url: String,
        tried: Vec<String>,
        hint: &'static str,
    ) {
        let _ = spawn_worker("open", self.events.clone(), move |events| {
            let mut tried = tried;
            for argv in commands {
                let Some((program, args)) = argv.split_first() else {
                    continue;
                };
                let started = std::process::Command::new(program)
                    .args(args)
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .process_group(0)
                    .spawn();
                match started {
                    Ok(mut child) => {
                        let _ = child.wait();
                        return;
                    }
                    Err(err) => tried.push(format!("{program}: {err}")),
                }
            }
            let _ = events.send(Event::App(app::Event::Notice(format!(
                "could not open {url} ({}); {hint}",
                tried.join("; ")
            ))));
        });
    }

    /// Panics in a background thread, for the tests that check a worker's
    /// panic ends the reader cleanly (see [`crate::tui`]'s test trigger).
    pub(crate) fn panic_in_worker(&self) {
        let _ = spawn_worker("test-panic", self.events.clone(), |_| {
            panic!("a panic in a worker thread, asked for by BROADSHEET_TEST_PANIC");
        });
    }

    /// Queues a bookmark or read-state change.
    pub(super) fn save(&self, change: MarkChange) {
        if let Err(mpsc::SendError(change)) = self.saves.send(change) {
            let _ = self.events.send(Event::App(app::Event::Saved(Some(format!(
                "saver stopped; lost {change:?}"
            )))));
        }
    }

    /// Waits for queued saves; returns what could not be saved.
    pub(crate) fn finish(self) -> Vec<String> {
        drop(self.saves);
        self.saver.join().ok().flatten().unwrap_or_else(|| {
            vec!["changes still queued when the saver thread failed".to_string()]
        })
    }
}

/// The loader thread: carries out load requests one at a time, so two loads
/// never race to the reader, and requests that arrive during a load are
/// folded into one (the widest any of them asks for). It starts
/// watching the folder once the list is on screen (setting up the watch
/// walks the whole tree, which the list need not wait for) and before the
/// scan that follows, so no change is missed: every change asks for a
/// [`LoadRequest::Refresh`].
fn load_loop(
    config: &Config,
    requests: &Receiver<LoadRequest>,
    follow: Sender<LoadRequest>,
    events: &Sender<Event>,
) {
    lower_priority();
    let mut watch: Option<Option<Watching>> = None;
    let mut loader = Loader::new(config.clone());
    let mut recheck: Option<Recheck> = None;
    loop {
        let first = match recheck.take() {
            Some(Recheck { after, paths }) => match requests.recv_timeout(after) {
                Ok(request) => request,
                Err(RecvTimeoutError::Timeout) => match paths {
                    Some(paths) => LoadRequest::Changed(paths),
                    None => LoadRequest::Refresh,
                },
                Err(RecvTimeoutError::Disconnected) => return,
            },
            None => match requests.recv() {
                Ok(request) => request,
                Err(_) => return,
            },
        };
        let pending: Vec<LoadRequest> = std::iter::once(first).chain(requests.try_iter()).collect();
        let asked = |kind| pending.contains(&kind);
        let changed: Vec<PathBuf> = pending
            .iter()
            .filter_map(|request| match request {
                LoadRequest::Changed(paths) => Some(paths.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect();
        let mut deliver = |event: app::Event| {
            let listed = matches!(event, app::Event::SummariesLoaded(_));
            let sent = events.send(Event::App(event)).is_ok();
            if listed && watch.is_none() {
                watch = Some(watch_folder(config, follow.clone(), events.clone()));
            }
            sent
        };
        let progress = |loading| {
            let _ = events.send(Event::App(app::Event::Progress(loading)));
        };
        recheck = if asked(LoadRequest::Reload) {
            loader.reload(&progress, &mut deliver)
        } else if asked(LoadRequest::Full) {
            loader.load(&progress, &mut deliver)
        } else if asked(LoadRequest::Refresh) {
            loader.refresh(&mut deliver)
        } else {
            loader.refresh_paths(&changed, &mut deliver)
        };
    }
}

/// Makes the calling thread yield the processor to the others: the
/// loader's checks of a big folder must not slow the drawing of the list
/// (on Linux, where a thread has its own nice value).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: setpriority takes no pointers; `who` 0 is the calling
        // thread on Linux. A failure only leaves the priority as it was.
        let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 10) };
    }
}

/// The reader's watch of the folder, and the record it keeps for the
/// commands when no other watcher does. The watch is dropped first: it
/// feeds the voucher.
struct Watching {
    /// The watch.
    _watch: FolderWatch,
    /// Vouches for the folder to the commands ([`crate::library::vouch`]);
    /// `None` without a cache or when another watcher keeps the record.
    _voucher: Option<Voucher>,
}

/// Watches the articles folder, asking the loader for a refresh on every
/// change; a problem with the watch (no inotify: the folder is then checked
/// every few seconds) is told once. With a cache, and no other watcher
/// keeping it, the watch keeps the record the commands trust instead of
/// checking every file. `None` when the folder cannot be watched at all
/// (missing: the load says why).
fn watch_folder(
    config: &Config,
    follow: Sender<LoadRequest>,
    events: Sender<Event>,
) -> Option<Watching> {
    let options = WatchOptions {
        // Changes arrive as events; a periodic full reload would keep an
        // idle reader busy on a big folder.
        rescan_every: None,
        ..WatchOptions::default()
    };
    let root = &config.library.articles;
    // The voucher checks the whole folder itself, beside the loader's
    // check, on a thread of its own (at the loader's lowered priority):
    // the loader's check is not its to see. A cache folder that cannot be
    // locked only means no record.
    let voucher = config.library.cache_folder().and_then(|dir| {
        let load = config.library.load_options(Detail::Full);
        Voucher::start(root, &dir, load, |_| {}).ok().flatten()
    });
    let noter: Box<dyn FnMut(crate::library::watch::Noted) + Send> = match &voucher {
        Some(voucher) => Box::new(voucher.noter()),
        None => Box::new(|_| {}),
    };
    let watch = FolderWatch::start_noting(
        root,
        options,
        move |change| match change {
            Change::Paths(paths) => {
                let _ = follow.send(LoadRequest::Changed(paths.into_iter().collect()));
            }
            Change::Rescan => {
                let _ = follow.send(LoadRequest::Refresh);
            }
            Change::Warning(text) => {
                let _ = events.send(Event::App(app::Event::Notice(text)));
            }
        },
        noter,
    )
    .ok()?;
    Some(Watching {
        _watch: watch,
        _voucher: voucher,
    })
}

/// Saves changes in order; a failed one is retried every [`RETRY_AFTER`]
/// and blocks those after it, so the file never sees them out of order.
/// When the reader quits, pending changes get one last try; what still
/// fails is returned to be reported.
fn save_loop(
    stores: &MarkStores,
    jobs: &Receiver<MarkChange>,
    events: &Sender<Event>,
) -> Vec<String> {
    let mut pending: VecDeque<MarkChange> = VecDeque::new();
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
    stores: &MarkStores,
    pending: &mut VecDeque<MarkChange>,
    events: &Sender<Event>,
) -> Option<String> {
    while let Some(job) = pending.front() {
        match stores.apply(job) {
            Ok(change) => {
                pending.pop_front();
                if let Some(problem) = change.problem {
                    let _ = events.send(Event::App(app::Event::Notice(problem.to_string())));
                }
                let _ = events.send(Event::App(app::Event::Saved(None)));
            }
            Err(error) => {
                let message = error.to_string();
                let _ = events.send(Event::App(app::Event::Saved(Some(message.clone()))));
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
    // Fetching and full text convert HTML, which needs more stack than a
    // thread's default; the stack costs only what is touched.
    thread::Builder::new()
        .name(name.into())
        .stack_size(crate::feeds::html::THREAD_STACK)
        .spawn(move || {
            let done = panic::catch_unwind(AssertUnwindSafe(|| work(&events))).ok();
            if done.is_none() {
                let _ = events.send(Event::WorkerFailed(name));
            }
            done
        })
}

fn spawn_input(events: Sender<Event>, gate: Arc<InputGate>) -> std::io::Result<()> {
    spawn_worker("input", events, move |events| {
        loop {
            gate.wait_while_paused();
            match event::read() {
                Ok(event) => {
                    if events.send(Event::Terminal(event)).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    gate.end();
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
    terminal::note_programs_interrupts()?;
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT, SIGTSTP, SIGCONT])?;
    spawn_worker("signals", events, move |events| {
        for signal in signals.forever() {
            // While a program in the foreground has the terminal, Ctrl-C and
            // Ctrl-Z are its keys: they signal it and the reader alike.
            // Ctrl-C is left to it; Ctrl-Z stops the reader with it (the
            // shell's `fg` continues both); the reader takes the terminal
            // back once the program exits.
            if signal == SIGINT && terminal::take_programs_interrupt() {
                continue;
            }
            if terminal::handed_over() {
                match signal {
                    SIGINT | SIGCONT => continue,
                    SIGTSTP => {
                        let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
                        continue;
                    }
                    _ => {}
                }
            }
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
