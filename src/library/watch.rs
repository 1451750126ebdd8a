//! Watching the articles folder while the reader runs: what changed,
//! reported once it has settled, for the reader to apply.
//!
//! [`FolderWatch::start`] watches a folder and everything below it and hands
//! each [`Change`] to a callback: the paths that changed, or word that a full
//! rescan is due because events were lost, cannot be had, or it is time for
//! the periodic check. Nothing here reads an article: what a path means for
//! the library is the caller's business.
//!
//! How the pieces fit:
//! - The kernel's file events (inotify on Linux) come through `notify`;
//!   `notify-debouncer-full` pairs the two halves of a rename, folds a removed
//!   folder's events into one, and turns a full kernel event queue
//!   (`Flag::Rescan`) into a rescan.
//! - Symbolic links are not followed blindly (a link to `/` would put a
//!   watch on every folder of the machine): the folder's own tree is
//!   watched, and each folder it links to outside itself is watched as well,
//!   under the link's path, except a link to `/` or to a folder the articles
//!   folder is in, which the scan skips too. Links inside a linked folder
//!   are not watched through; the scan still follows them when it runs.
//! - On top of it, each path is held until nothing has touched it for
//!   [`WatchOptions::debounce`]. A file still being written raises an event
//!   per write and one when it is closed, so it is reported once, after its
//!   last write, and read whole; not half-way through and then again. (The
//!   debouncer alone reports each event a fixed time after it happened, so a
//!   slow writer's file would show up part-written.)
//! - A periodic [`Change::Rescan`] covers what events cannot: network
//!   filesystems, where another machine's changes raise no event here, a
//!   watch that could not be set up (the system's limit on watches reached)
//!   or that broke; it is said once, with a [`Change::Warning`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher, WatcherKind};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, FileIdCache};

use crate::article::sanitize::sanitize_line;

/// What changed in the watched folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Files or folders that were created, changed, removed or renamed (both
    /// names), relative to the watched folder, each reported once nothing
    /// has touched it for the debounce time. For each path the caller looks
    /// at what is there now: a file is read (again); a folder is scanned
    /// whole, since files can land in a new folder before its watch does and
    /// a folder moved in brings its files without an event for each; nothing
    /// means the path and everything below it is gone. Hidden files and
    /// folders (a name starting with `.`) are never reported.
    Paths(BTreeSet<PathBuf>),
    /// Events were lost or cannot be trusted, or the periodic check is due:
    /// compare the whole folder with what the library holds.
    Rescan,
    /// Changes can no longer be followed as they happen (the system's limit
    /// on watches is reached, events cannot be had, the folder was moved or
    /// removed); from now on the folder is rescanned every
    /// [`WatchOptions::poll_every`]. Sent at most once per watch, as a
    /// message for a person, terminal-safe.
    Warning(String),
}

/// What the watch has noted, as it takes the kernel's events in: before a
/// path settles (about half the debounce time after the event, where a
/// [`Change::Paths`] waits for the whole of it). For whoever keeps a record
/// of what changed that others trust ([`vouch`](super::vouch)): it must
/// hear of a change as early as it can, and of every event lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Noted {
    /// Paths that changed, relative to the folder, hidden ones left out
    /// (the same paths a [`Change::Paths`] reports later).
    Paths(Vec<PathBuf>),
    /// Events were lost (the kernel's queue overflowed, or reading it
    /// failed): what changed meanwhile is not known.
    Lost,
    /// Changes are not followed by events (none can be had, the folder is
    /// on a network filesystem, it was moved or removed, the system's limit
    /// on watches was reached): from now on no path is noted that can be
    /// trusted to be all.
    Blind,
}

/// How changes are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WatchMode {
    /// The kernel's file events, with a rescan every
    /// [`WatchOptions::poll_every`] as well when the folder is on a network
    /// filesystem (NFS, SMB, 9p, FUSE, Ceph and the like), where changes made
    /// on other machines raise no event here.
    #[default]
    Auto,
    /// The kernel's file events, with a rescan every
    /// [`WatchOptions::rescan_every`] whatever the filesystem.
    Events,
    /// No file events: a rescan every [`WatchOptions::poll_every`], for
    /// filesystems whose events cannot be had or trusted.
    Poll,
}

/// How a folder is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchOptions {
    /// How long nothing must touch a path before it is reported: a file
    /// being written is reported once its writes have stopped for this
    /// long. Up to a minute.
    pub debounce: Duration,
    /// A rescan this often even while events arrive, in case some were
    /// missed without a sign; `None` for none.
    pub rescan_every: Option<Duration>,
    /// How often to rescan where events cannot be had: in
    /// [`WatchMode::Poll`], on a network filesystem in [`WatchMode::Auto`],
    /// and after a [`Change::Warning`].
    pub poll_every: Duration,
    /// How changes are found.
    pub mode: WatchMode,
}

impl Default for WatchOptions {
    /// A new file is reported well within a second of its last write (in
    /// about half a second); a rescan every 30 s in case events went
    /// missing, every 5 s where there are none.
    fn default() -> Self {
        WatchOptions {
            debounce: Duration::from_millis(250),
            rescan_every: Some(Duration::from_secs(30)),
            poll_every: Duration::from_secs(5),
            mode: WatchMode::Auto,
        }
    }
}

/// The longest [`WatchOptions::debounce`] honoured: keeps every deadline
/// computed from it far from `Instant`'s limits.
const LONGEST_DEBOUNCE: Duration = Duration::from_secs(60);

/// The shortest rescan period: a zero period would call back without pause.
const SHORTEST_PERIOD: Duration = Duration::from_millis(10);

/// A path that keeps changing (a file written without pause) is still
/// reported after this many debounce periods, so it shows up at all.
const LONGEST_HOLD_IN_DEBOUNCES: u32 = 20;

/// The folder to watch could not be watched at all: it is missing, not a
/// folder, or a thread could not be started. (Events that cannot be had are
/// not this: the watch then rescans periodically and says so with a
/// [`Change::Warning`].) The same error as a folder that cannot be read.
pub type WatchError = super::scan::LoadError;

/// A running watch of a folder. Dropping it stops the watch: when the drop
/// returns, its threads have ended (but for `notify`'s inotify reader, which
/// is told to stop and ends by itself at once; it never calls back) and the
/// callback has been dropped, never to be called again.
pub struct FolderWatch {
    /// The kernel's events, through the debouncer; `None` when polling.
    events: Option<Box<dyn StopEvents>>,
    /// To the thread that settles paths and calls back: for [`Drop`].
    to_pump: Sender<Message>,
    /// That thread.
    pump: Option<JoinHandle<()>>,
}

impl fmt::Debug for FolderWatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FolderWatch")
            .field("events", &self.events.is_some())
            .finish_non_exhaustive()
    }
}

impl FolderWatch {
    /// Starts watching `root` and everything below it, calling `on_change`
    /// with each change on the watch's own thread (keep it short: hand the
    /// change on). Changes from the moment this returns are reported, so
    /// start the watch before the scan it is meant to keep up to date.
    ///
    /// Setting up the kernel's watches walks the folder's subfolders, like a
    /// scan does: for a large folder, call this off the reader's thread. When
    /// events cannot be had (no inotify, the system's limit on watches or
    /// watchers reached), the watch falls back to rescans every
    /// [`WatchOptions::poll_every`] and says so once with a
    /// [`Change::Warning`]; only a folder that is missing or not a folder, or
    /// a thread that cannot be started, is an error.
    pub fn start(
        root: &Path,
        options: WatchOptions,
        on_change: impl FnMut(Change) + Send + 'static,
    ) -> Result<FolderWatch, WatchError> {
        start_with::<notify::RecommendedWatcher, _>(
            root,
            options,
            (on_change, |_: Noted| {}),
            notify_debouncer_full::RecommendedCache::new(),
        )
    }

    /// [`FolderWatch::start`], and `on_noted` hears of each change as soon
    /// as the watch takes it in, before it settles, and of events lost or
    /// no longer had ([`Noted`]); on the watch's own thread, so keep it
    /// short. A watch that starts without events (or on a network
    /// filesystem) says [`Noted::Blind`] first.
    pub fn start_noting(
        root: &Path,
        options: WatchOptions,
        on_change: impl FnMut(Change) + Send + 'static,
        on_noted: impl FnMut(Noted) + Send + 'static,
    ) -> Result<FolderWatch, WatchError> {
        start_with::<notify::RecommendedWatcher, _>(
            root,
            options,
            (on_change, on_noted),
            notify_debouncer_full::RecommendedCache::new(),
        )
    }

    /// Feeds the pump what the debouncer would, for tests of what cannot be
    /// brought about on demand (a full event queue, the watch limit).
    #[cfg(test)]
    fn inject(&self, result: DebounceEventResult) {
        let _ = self.to_pump.send(Message::Events(result));
    }
}

impl Drop for FolderWatch {
    fn drop(&mut self) {
        // The debouncer first, waiting for its thread, so that nothing more
        // reaches the pump; then the pump, which owns the callback.
        if let Some(events) = self.events.take() {
            events.stop();
        }
        let _ = self.to_pump.send(Message::Stop);
        if let Some(pump) = self.pump.take() {
            // A callback that drops its own watch would wait for itself
            // forever: the pump then ends when the callback returns.
            if pump.thread().id() != thread::current().id() {
                // A panic in the callback ended the pump already; it was
                // reported on its thread and there is nothing left to stop.
                let _ = pump.join();
            }
        }
    }
}

/// [`FolderWatch::start`] with the watcher and file-id cache given, so that
/// tests can put in a watcher that fails.
fn start_with<W, C>(
    root: &Path,
    options: WatchOptions,
    callbacks: (
        impl FnMut(Change) + Send + 'static,
        impl FnMut(Noted) + Send + 'static,
    ),
    cache: C,
) -> Result<FolderWatch, WatchError>
where
    W: Watcher + Send + 'static,
    C: FileIdCache + Send + 'static,
{
    let (on_change, on_noted) = callbacks;
    let error = |message: String| WatchError {
        path: root.to_path_buf(),
        message,
    };
    // Events name paths under the folder as watched, made absolute the way
    // `notify` makes them: the folder in the same form makes them relative.
    let root = std::path::absolute(root)
        .map_err(|err| error(format!("the articles folder cannot be found ({err})")))?;
    match std::fs::metadata(&root) {
        Ok(metadata) if metadata.is_dir() => {}
        Ok(_) => return Err(error("the articles folder is not a folder".into())),
        Err(err) => {
            return Err(error(format!(
                "the articles folder cannot be watched ({err})"
            )));
        }
    }
    let options = WatchOptions {
        debounce: options.debounce.min(LONGEST_DEBOUNCE),
        rescan_every: options.rescan_every.map(|every| every.max(SHORTEST_PERIOD)),
        poll_every: options.poll_every.max(SHORTEST_PERIOD),
        mode: options.mode,
    };
    let (to_pump, from_watch) = mpsc::channel();
    let window = DebounceWindow::for_debounce(options.debounce);
    let (events, warning) = match options.mode {
        WatchMode::Poll => (None, None),
        WatchMode::Auto | WatchMode::Events => {
            match watch_events::<W, C>(&root, window, to_pump.clone(), cache) {
                Ok(events) => (Some(events), None),
                Err(err) => (None, Some(describe(&err))),
            }
        }
    };
    let network =
        events.is_some() && options.mode == WatchMode::Auto && on_network_filesystem(&root);
    let every = match (events.is_some(), options.mode) {
        (false, _) => Some(options.poll_every),
        (true, WatchMode::Auto) if network => Some(
            options
                .rescan_every
                .map_or(options.poll_every, |every| every.min(options.poll_every)),
        ),
        (true, _) => options.rescan_every,
    };
    let mut pump = Pump::new(root, options, window, every, on_change, from_watch);
    pump.on_noted = Box::new(on_noted);
    if let Some(reason) = warning {
        pump.fall_back(&reason);
    }
    if network || options.mode == WatchMode::Poll {
        pump.blind = true;
    }
    let spawned = thread::Builder::new()
        .name("broadsheet-watch".into())
        .spawn(move || pump.run());
    match spawned {
        Ok(handle) => Ok(FolderWatch {
            events,
            to_pump,
            pump: Some(handle),
        }),
        Err(err) => {
            if let Some(events) = events {
                events.stop();
            }
            Err(error(format!("the watch cannot be started ({err})")))
        }
    }
}

/// The debouncer's own timing: how long it keeps an event (to pair a
/// rename's halves and fold a folder's removal) and how often it looks.
#[derive(Debug, Clone, Copy)]
struct DebounceWindow {
    /// How old an event must be before the debouncer hands it on.
    timeout: Duration,
    /// How often the debouncer's thread wakes to hand events on.
    tick: Duration,
}

impl DebounceWindow {
    /// Half the debounce time, looked at twice per window: short enough to
    /// keep a new file within a second, long enough that the debouncer's
    /// thread wakes only some 16 times a second.
    fn for_debounce(debounce: Duration) -> DebounceWindow {
        let timeout = (debounce / 2).clamp(Duration::from_millis(10), Duration::from_millis(500));
        DebounceWindow {
            timeout,
            tick: timeout / 2,
        }
    }

    /// At most how long after it happened an event reaches the pump.
    fn delay(self) -> Duration {
        self.timeout + self.tick
    }
}

/// A debouncer, whatever its watcher, that can be stopped.
trait StopEvents: Send {
    /// Stops the debouncer and waits for its thread.
    fn stop(self: Box<Self>);
}

impl<W: Watcher + Send, C: FileIdCache + Send> StopEvents for Debouncer<W, C> {
    fn stop(self: Box<Self>) {
        Debouncer::stop(*self);
    }
}

/// Sets up the kernel's events for `root` and below, handed to the pump.
fn watch_events<W, C>(
    root: &Path,
    window: DebounceWindow,
    to_pump: Sender<Message>,
    cache: C,
) -> Result<Box<dyn StopEvents>, notify::Error>
where
    W: Watcher + Send + 'static,
    C: FileIdCache + Send + 'static,
{
    if W::kind() == WatcherKind::Inotify {
        // The debouncer starts its thread before it makes the watcher, and
        // leaves that thread running for good when the watcher cannot be
        // made: try first, so that the usual failure (the limit on inotify
        // instances reached) leaves no thread behind.
        inotify_available()?;
    }
    let mut debouncer = notify_debouncer_full::new_debouncer_opt::<_, W, C>(
        window.timeout,
        Some(window.tick),
        move |result: DebounceEventResult| {
            // The pump is gone only when the watch is being dropped.
            let _ = to_pump.send(Message::Events(result));
        },
        cache,
        // Links are not watched through: the kernel's watches would follow
        // a link to `/` over the whole machine (a watch per folder). The
        // folders linked to are watched below, each on its own.
        notify::Config::default().with_follow_symlinks(false),
    )?;
    if let Err(err) = debouncer.watch(root, RecursiveMode::Recursive) {
        // Some subfolders may be watched already: stop them all, since
        // rescans must stand in for the whole folder.
        debouncer.stop();
        return Err(err);
    }
    for link in linked_folders(root) {
        // Events name the paths under the link, as the scan does. The link
        // is named with a `.` after it: named as itself, without following
        // links, it is a link and not a folder, and would not be watched. A
        // linked folder that cannot be watched (the limit on watches
        // reached) is not worth giving up the folder's own events for: its
        // changes show at the next check of the whole folder.
        let _ = debouncer.watch(link.join("."), RecursiveMode::Recursive);
    }
    Ok(Box::new(debouncer))
}

/// The symbolic links in `root`'s own tree (hidden names skipped, links not
/// followed) that lead to a folder outside it, other than `/` and the
/// folders `root` is in: the folders the scan walks through links, each
/// named by its first link, which the kernel's watches of `root` do not
/// reach.
fn linked_folders(root: &Path) -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let Ok(canonical_root) = std::fs::canonicalize(root) else {
        return Vec::new();
    };
    let around: Vec<(u64, u64)> = super::scan::folders_around(root)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let mut seen: Vec<(u64, u64)> = Vec::new();
    let mut links = Vec::new();
    let _ = super::scan::walk_visible::<()>(root, &mut |path, file_type| {
        if !file_type.is_symlink() {
            return std::ops::ControlFlow::Continue(());
        }
        let Ok(target) = std::fs::metadata(&path) else {
            return std::ops::ControlFlow::Continue(());
        };
        let id = (target.dev(), target.ino());
        let inside = std::fs::canonicalize(&path).is_ok_and(|t| t.starts_with(&canonical_root));
        if target.is_dir() && !inside && !around.contains(&id) && !seen.contains(&id) {
            seen.push(id);
            links.push(path);
        }
        std::ops::ControlFlow::Continue(())
    });
    links.sort();
    links
}

/// Whether an inotify instance can be had.
#[cfg(target_os = "linux")]
fn inotify_available() -> Result<(), notify::Error> {
    use std::os::fd::{FromRawFd, OwnedFd};
    // SAFETY: inotify_init1 takes no pointers.
    let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC) };
    if fd < 0 {
        return Err(notify::Error::io(io::Error::last_os_error()));
    }
    // SAFETY: `fd` was just opened and nothing else owns it; dropping the
    // OwnedFd closes it.
    drop(unsafe { OwnedFd::from_raw_fd(fd) });
    Ok(())
}

/// Whether an inotify instance can be had: elsewhere there is none to try.
#[cfg(not(target_os = "linux"))]
fn inotify_available() -> Result<(), notify::Error> {
    Ok(())
}

/// Whether `path` is on a filesystem whose changes may be made on other
/// machines, which raise no event here: NFS, SMB/CIFS, 9p, FUSE (sshfs,
/// rclone), AFS, Ceph, Coda, NCP, GFS2, OCFS2, Lustre. `false` when it
/// cannot be told.
#[cfg(target_os = "linux")]
fn on_network_filesystem(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    // The filesystems' magic numbers, as statfs(2) gives them.
    const NETWORK: [u32; 14] = [
        0x6969,      // NFS
        0x517B,      // SMB
        0xFF53_4D42, // CIFS
        0xFE53_4D42, // SMB2
        0x0102_1997, // 9p
        0x6573_5546, // FUSE
        0x5346_414F, // AFS
        0x6B41_4653, // kAFS
        0x00C3_6400, // Ceph
        0x7375_7245, // Coda
        0x564C,      // NCP
        0x0116_1970, // GFS2
        0x7461_636F, // OCFS2
        0x0BD0_0BD0, // Lustre
    ];
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    let mut info = std::mem::MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: `name` is NUL-terminated and outlives the call; `info` has
    // room for a `statfs`, which the call fills when it returns 0.
    if unsafe { libc::statfs(name.as_ptr(), info.as_mut_ptr()) } != 0 {
        return false;
    }
    // SAFETY: statfs returned 0, so it filled `info`.
    let info = unsafe { info.assume_init() };
    // The field's type differs between C libraries; the magic numbers are
    // 32-bit everywhere.
    #[allow(clippy::unnecessary_cast)]
    let magic = info.f_type as u32;
    NETWORK.contains(&magic)
}

/// Whether `path` is on a network filesystem: not told on this system.
#[cfg(not(target_os = "linux"))]
fn on_network_filesystem(_path: &Path) -> bool {
    false
}

/// Why events cannot be had, for a person.
fn describe(err: &notify::Error) -> String {
    match &err.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "the system's limit on watched folders is reached (fs.inotify.max_user_watches)".into()
        }
        notify::ErrorKind::Io(io) if io.raw_os_error() == Some(libc::EMFILE) => {
            "the limit on file watchers or open files is reached (fs.inotify.max_user_instances)"
                .into()
        }
        _ => format!("file events cannot be had ({err})"),
    }
}

/// What reaches the pump.
enum Message {
    /// What the debouncer hands on.
    Events(DebounceEventResult),
    /// The watch is being dropped.
    Stop,
}

/// When a path waiting to settle was touched.
#[derive(Debug, Clone, Copy)]
struct Seen {
    /// The first event since it was last reported.
    first: Instant,
    /// The latest event.
    last: Instant,
}

/// The watch's thread: takes the debouncer's events, holds each path until
/// it settles, keeps the rescan clock, and calls back.
struct Pump<F> {
    /// The watched folder, absolute.
    root: PathBuf,
    /// The caller's callback.
    on_change: F,
    /// From the debouncer and from [`FolderWatch`]'s drop.
    from_watch: Receiver<Message>,
    /// How long after a path's latest event it is reported: the debounce
    /// time plus the most the debouncer may have held a later event back,
    /// so that nothing touched the path for the whole debounce time, plus
    /// [`Pump::slack`].
    hold: Duration,
    /// Paths due within this much of each other are reported together, in
    /// one batch rather than one each.
    slack: Duration,
    /// A path is reported at the latest this long after its first event.
    longest_hold: Duration,
    /// Paths waiting to settle.
    pending: BTreeMap<PathBuf, Seen>,
    /// Whether a rescan is to be reported in this round.
    rescan_due: bool,
    /// A warning to report in this round.
    warning: Option<String>,
    /// Whether a warning was ever made: there is one at most.
    warned: bool,
    /// Whether events are dropped: once the folder itself was moved, their
    /// paths no longer name what they say.
    ignore_events: bool,
    /// The rescan period now; `None` for none.
    every: Option<Duration>,
    /// The period when events cannot be had.
    poll_every: Duration,
    /// When the next periodic rescan is due.
    next_rescan: Option<Instant>,
    /// Hears of changes as they are taken in ([`FolderWatch::start_noting`]).
    on_noted: Box<dyn FnMut(Noted) + Send>,
    /// Whether events are not to be trusted to be all, to be said (once)
    /// with [`Noted::Blind`].
    blind: bool,
    /// Whether [`Noted::Blind`] was said.
    said_blind: bool,
}

impl<F: FnMut(Change)> Pump<F> {
    /// A pump that rescans every `every` from now.
    fn new(
        root: PathBuf,
        options: WatchOptions,
        window: DebounceWindow,
        every: Option<Duration>,
        on_change: F,
        from_watch: Receiver<Message>,
    ) -> Pump<F> {
        Pump {
            root,
            on_change,
            from_watch,
            hold: options.debounce + window.delay() + window.tick,
            slack: window.tick,
            longest_hold: options.debounce * LONGEST_HOLD_IN_DEBOUNCES,
            pending: BTreeMap::new(),
            rescan_due: false,
            warning: None,
            warned: false,
            ignore_events: false,
            every,
            poll_every: options.poll_every,
            next_rescan: every.and_then(|every| Instant::now().checked_add(every)),
            on_noted: Box::new(|_| {}),
            blind: false,
            said_blind: false,
        }
    }

    /// Runs until the watch is dropped.
    fn run(mut self) {
        // A warning from the start (events cannot be had) goes out at once.
        self.tell_blind();
        self.report(Instant::now());
        loop {
            let message = match self.next_wake() {
                Some(at) => self
                    .from_watch
                    .recv_timeout(at.saturating_duration_since(Instant::now())),
                None => self
                    .from_watch
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
            };
            match message {
                Ok(Message::Events(result)) => self.take(result),
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {}
            }
            // What else has arrived goes into the same round.
            loop {
                match self.from_watch.try_recv() {
                    Ok(Message::Events(result)) => self.take(result),
                    Ok(Message::Stop) | Err(TryRecvError::Disconnected) => return,
                    Err(TryRecvError::Empty) => break,
                }
            }
            self.report(Instant::now());
        }
    }

    /// When something is next due: a path settling or the periodic rescan.
    fn next_wake(&self) -> Option<Instant> {
        let settling = self
            .pending
            .values()
            .map(|seen| self.release_at(*seen))
            .min();
        match (settling, self.next_rescan) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// When a path is reported: once it has settled, or at the latest
    /// `longest_hold` after it was first touched.
    fn release_at(&self, seen: Seen) -> Instant {
        let settled = seen.last.checked_add(self.hold).unwrap_or(seen.last);
        let longest = seen
            .first
            .checked_add(self.longest_hold)
            .unwrap_or(seen.first);
        settled.min(longest)
    }

    /// Takes what the debouncer handed on.
    fn take(&mut self, result: DebounceEventResult) {
        match result {
            Ok(events) => {
                let mut noted = Vec::new();
                let mut lost = false;
                for event in events {
                    lost |= event.need_rescan();
                    self.take_event(event, &mut noted);
                }
                // The paths first: those taken in before the loss are
                // known, which changes nothing since a loss voids them.
                noted.sort();
                noted.dedup();
                if !noted.is_empty() {
                    (self.on_noted)(Noted::Paths(noted));
                }
                if lost {
                    (self.on_noted)(Noted::Lost);
                }
            }
            // Errors come from reading the kernel's events or from watching
            // a new folder (the watch limit): either way changes went or
            // will go unseen.
            Err(errors) => {
                self.rescan_due = true;
                (self.on_noted)(Noted::Lost);
                if let Some(err) = errors.first() {
                    self.fall_back(&describe(err));
                }
            }
        }
        self.tell_blind();
    }

    /// Says [`Noted::Blind`] once, when events stopped being all.
    fn tell_blind(&mut self) {
        if self.blind && !self.said_blind {
            self.said_blind = true;
            (self.on_noted)(Noted::Blind);
        }
    }

    /// Takes one event: its paths wait to settle (and are added to
    /// `noted`), or a rescan is due.
    fn take_event(&mut self, event: DebouncedEvent, noted: &mut Vec<PathBuf>) {
        if event.need_rescan() {
            self.rescan_due = true;
            return;
        }
        if self.ignore_events || !changes_files(&event.kind) {
            return;
        }
        let gone = matches!(
            event.kind,
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in &event.paths {
            // A path outside the folder is the far end of a rename into or
            // out of it: the near end is the change.
            let Ok(relative) = path.strip_prefix(&self.root) else {
                continue;
            };
            if relative.as_os_str().is_empty() {
                if gone {
                    // Its watches follow the folder to its new place and
                    // name their paths by the old: rescans from now on.
                    self.rescan_due = true;
                    self.ignore_events = true;
                    self.fall_back("the articles folder was moved or removed");
                }
                continue;
            }
            if is_hidden(relative) {
                continue;
            }
            // Paths under a linked folder come as `link/./name`: the same
            // path without the `.`.
            let relative: PathBuf = relative.components().collect();
            noted.push(relative.clone());
            let time = event.time;
            self.pending
                .entry(relative)
                .and_modify(|seen| {
                    seen.first = seen.first.min(time);
                    seen.last = seen.last.max(time);
                })
                .or_insert(Seen {
                    first: time,
                    last: time,
                });
        }
    }

    /// Events can no longer be relied on: rescan every `poll_every` from
    /// now, and say why, the first time.
    fn fall_back(&mut self, reason: &str) {
        self.blind = true;
        let every = self
            .every
            .map_or(self.poll_every, |every| every.min(self.poll_every));
        if self.every != Some(every) {
            self.every = Some(every);
            self.next_rescan = Instant::now().checked_add(every);
        }
        if !self.warned {
            self.warned = true;
            self.warning = Some(sanitize_line(&format!(
                "{reason}: checking the folder for changes every {every:?}"
            )));
        }
    }

    /// Calls back with what is due at `now`.
    fn report(&mut self, now: Instant) {
        if let Some(warning) = self.warning.take() {
            (self.on_change)(Change::Warning(warning));
        }
        if self.rescan_due || self.next_rescan.is_some_and(|at| at <= now) {
            self.rescan_due = false;
            self.next_rescan = self.every.and_then(|every| now.checked_add(every));
            (self.on_change)(Change::Rescan);
        }
        let soon = now.checked_add(self.slack).unwrap_or(now);
        let (settled, waiting): (BTreeMap<_, _>, BTreeMap<_, _>) =
            std::mem::take(&mut self.pending)
                .into_iter()
                .partition(|(_, seen)| self.release_at(*seen) <= soon);
        self.pending = waiting;
        if !settled.is_empty() {
            (self.on_change)(Change::Paths(settled.into_keys().collect()));
        }
    }
}

/// Whether an event can change what the folder holds. Reading a file (open,
/// read, close without writing) cannot: reporting it would have the reader
/// read its own reads.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        // A file closed after writing: its content is complete now.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
    }
}

/// Whether a path relative to the folder is hidden or lies in a hidden
/// folder (a name starting with a dot), which the loader skips: editors'
/// swap files, `.git`, a scraper's temporary files.
fn is_hidden(relative: &Path) -> bool {
    relative.components().any(|component| match component {
        // The same rule as the scan's, so the watch and the scan agree.
        Component::Normal(name) => super::scan::is_hidden(name),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::Write;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// How long a test waits for what it expects: far more than it takes.
    const DEADLINE: Duration = Duration::from_secs(10);

    /// Events only, short debounce, no periodic rescans: what tests of
    /// events want to see.
    fn events_only() -> WatchOptions {
        WatchOptions {
            debounce: Duration::from_millis(100),
            rescan_every: None,
            poll_every: Duration::from_secs(60),
            mode: WatchMode::Events,
        }
    }

    /// A watch of `root` whose changes arrive on the receiver.
    fn watch(root: &Path, options: WatchOptions) -> (FolderWatch, Receiver<Change>) {
        let (sender, changes) = mpsc::channel();
        let watch = FolderWatch::start(root, options, move |change| {
            let _ = sender.send(change);
        });
        match watch {
            Ok(watch) => (watch, changes),
            Err(err) => panic!("the watch does not start: {err}"),
        }
    }

    /// Every change until `done` holds for those seen so far, or the
    /// deadline.
    fn until(changes: &Receiver<Change>, done: impl Fn(&[Change]) -> bool) -> Vec<Change> {
        let deadline = Instant::now() + DEADLINE;
        let mut seen = Vec::new();
        while !done(&seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            match changes.recv_timeout(left) {
                Ok(change) => seen.push(change),
                Err(_) => panic!("not seen in {DEADLINE:?}; seen: {seen:#?}"),
            }
        }
        seen
    }

    /// Every reported path.
    fn paths(seen: &[Change]) -> BTreeSet<PathBuf> {
        seen.iter()
            .flat_map(|change| match change {
                Change::Paths(paths) => paths.iter().cloned().collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// Whether `path` was reported, itself or as a folder it is in.
    fn covers(seen: &[Change], path: &str) -> bool {
        paths(seen).iter().any(|p| Path::new(path).starts_with(p))
    }

    /// Waits until each of `expected` was reported, itself or by its folder.
    fn until_covered(changes: &Receiver<Change>, expected: &[&str]) -> Vec<Change> {
        until(changes, |seen| expected.iter().all(|p| covers(seen, p)))
    }

    fn temp() -> tempfile::TempDir {
        match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(err) => panic!("no temporary folder: {err}"),
        }
    }

    fn write(path: &Path, text: &str) {
        if let Err(err) = fs::write(path, text) {
            panic!("cannot write {}: {err}", path.display());
        }
    }

    fn ok<T, E: fmt::Debug>(result: Result<T, E>) -> T {
        match result {
            Ok(value) => value,
            Err(err) => panic!("{err:?}"),
        }
    }

    /// A folder linked to from outside is watched under the link's path,
    /// but a link to the folder the articles folder is in is not followed:
    /// the watch would take in everything around it (for a link to `/`, a
    /// watch on every folder of the machine).
    #[test]
    fn linked_folders_are_watched_but_not_the_folders_around() {
        let outside = temp();
        let outer = temp();
        let dir = outer.path().join("articles");
        ok(fs::create_dir(&dir));
        ok(std::os::unix::fs::symlink(
            outside.path(),
            dir.join("linked"),
        ));
        ok(std::os::unix::fs::symlink("..", dir.join("up")));
        let (_watch, changes) = watch(&dir, events_only());
        write(&outer.path().join("beside.txt"), "beside the folder");
        write(&outside.path().join("far.txt"), "behind a link");
        // Written last, so reported no earlier than the others would be.
        write(&dir.join("own.txt"), "own");
        let seen = until_covered(&changes, &["own.txt", "linked/far.txt"]);
        assert!(!covers(&seen, "up/beside.txt"), "{seen:#?}");
        // Named as the scan names it, with no `.` for the link.
        let far = paths(&seen).into_iter().find(|p| p.starts_with("linked"));
        assert_eq!(
            far.as_ref().map(|p| p.as_os_str().to_string_lossy()),
            Some("linked/far.txt".into())
        );
    }

    #[test]
    fn a_new_file_is_reported() {
        let dir = temp();
        let (_watch, changes) = watch(dir.path(), events_only());
        write(&dir.path().join("a.txt"), "new");
        let seen = until_covered(&changes, &["a.txt"]);
        assert!(paths(&seen).contains(Path::new("a.txt")), "{seen:?}");
    }

    #[test]
    fn a_changed_file_is_reported() {
        let dir = temp();
        write(&dir.path().join("a.txt"), "old");
        let (_watch, changes) = watch(dir.path(), events_only());
        let mut file = ok(fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join("a.txt")));
        ok(file.write_all(b" and more"));
        drop(file);
        until(&changes, |seen| paths(seen).contains(Path::new("a.txt")));
    }

    #[test]
    fn a_deleted_file_is_reported() {
        let dir = temp();
        write(&dir.path().join("a.txt"), "old");
        let (_watch, changes) = watch(dir.path(), events_only());
        ok(fs::remove_file(dir.path().join("a.txt")));
        until(&changes, |seen| paths(seen).contains(Path::new("a.txt")));
    }

    #[test]
    fn a_rename_reports_both_names() {
        let dir = temp();
        ok(fs::create_dir(dir.path().join("sub")));
        write(&dir.path().join("a.txt"), "text");
        let (_watch, changes) = watch(dir.path(), events_only());
        ok(fs::rename(
            dir.path().join("a.txt"),
            dir.path().join("sub/b.txt"),
        ));
        until(&changes, |seen| {
            let paths = paths(seen);
            paths.contains(Path::new("a.txt")) && paths.contains(Path::new("sub/b.txt"))
        });
    }

    #[test]
    fn a_file_in_a_new_subfolder_is_reported_or_its_folder_is() {
        let dir = temp();
        let (_watch, changes) = watch(dir.path(), events_only());
        ok(fs::create_dir_all(dir.path().join("new/deeper")));
        write(&dir.path().join("new/deeper/a.txt"), "text");
        until_covered(&changes, &["new/deeper/a.txt"]);
        // Once the new folder is watched, what lands in it is reported by
        // its own path.
        write(&dir.path().join("new/deeper/b.txt"), "text");
        until(&changes, |seen| {
            paths(seen).contains(Path::new("new/deeper/b.txt"))
        });
    }

    #[test]
    fn a_removed_subfolder_is_reported() {
        let dir = temp();
        ok(fs::create_dir_all(dir.path().join("sub/deeper")));
        write(&dir.path().join("sub/a.txt"), "text");
        write(&dir.path().join("sub/deeper/b.txt"), "text");
        let (_watch, changes) = watch(dir.path(), events_only());
        ok(fs::remove_dir_all(dir.path().join("sub")));
        until(&changes, |seen| paths(seen).contains(Path::new("sub")));
    }

    #[test]
    fn a_file_written_in_chunks_is_reported_once_whole() {
        let dir = temp();
        let options = WatchOptions {
            // Far longer than the pauses between the chunks, so the file
            // settles only after the last one whatever the machine's load.
            debounce: Duration::from_millis(600),
            ..events_only()
        };
        let path = dir.path().join("slow.txt");
        // What the file holds when it is first reported: what a reader
        // would read.
        let (sender, read) = mpsc::channel();
        let watched = path.clone();
        let start = FolderWatch::start(dir.path(), options, move |change| {
            if let Change::Paths(paths) = change
                && paths.contains(Path::new("slow.txt"))
            {
                let _ = sender.send(fs::read_to_string(&watched).unwrap_or_default());
            }
        });
        let _watch = ok(start);
        let chunks = ["first chunk\n", "second chunk\n", "third chunk\n", "last\n"];
        let mut file = ok(fs::File::create(&path));
        for chunk in chunks {
            ok(file.write_all(chunk.as_bytes()));
            ok(file.flush());
            thread::sleep(Duration::from_millis(60));
        }
        drop(file);
        let first = ok(read.recv_timeout(DEADLINE));
        assert_eq!(first, chunks.concat());
    }

    #[test]
    fn hidden_files_and_reads_are_not_reported() {
        let dir = temp();
        write(&dir.path().join("read.txt"), "text");
        let (_watch, changes) = watch(dir.path(), events_only());
        write(&dir.path().join(".hidden.txt"), "text");
        ok(fs::create_dir(dir.path().join(".git")));
        write(&dir.path().join(".git/object"), "text");
        assert_eq!(ok(fs::read_to_string(dir.path().join("read.txt"))), "text");
        // A scraper's atomic write: a hidden temporary file renamed into
        // place is reported by its new name.
        write(&dir.path().join(".new.txt.tmp"), "text");
        ok(fs::rename(
            dir.path().join(".new.txt.tmp"),
            dir.path().join("new.txt"),
        ));
        // Written last: once it is reported, so is all of the above.
        write(&dir.path().join("marker.txt"), "text");
        let seen = until(&changes, |seen| {
            let paths = paths(seen);
            paths.contains(Path::new("marker.txt")) && paths.contains(Path::new("new.txt"))
        });
        assert_eq!(
            paths(&seen),
            BTreeSet::from([PathBuf::from("marker.txt"), PathBuf::from("new.txt")]),
            "{seen:?}"
        );
    }

    #[test]
    fn dropping_the_watch_stops_the_callbacks() {
        let dir = temp();
        let (watch, changes) = watch(dir.path(), events_only());
        write(&dir.path().join("a.txt"), "text");
        until_covered(&changes, &["a.txt"]);
        drop(watch);
        // The callback, which owned the only sender, is gone: it can never
        // be called again.
        while let Ok(change) = changes.try_recv() {
            assert!(matches!(change, Change::Paths(_)), "{change:?}");
        }
        assert_eq!(changes.try_recv(), Err(TryRecvError::Disconnected));
        write(&dir.path().join("b.txt"), "text");
    }

    #[test]
    fn a_callback_that_panics_does_not_hang_the_drop() {
        let dir = temp();
        let called = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&called);
        let watch = ok(FolderWatch::start(dir.path(), events_only(), move |_| {
            flag.store(true, Ordering::SeqCst);
            panic!("the callback failed");
        }));
        write(&dir.path().join("a.txt"), "text");
        let deadline = Instant::now() + DEADLINE;
        while !called.load(Ordering::SeqCst) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert!(called.load(Ordering::SeqCst));
        drop(watch);
    }

    #[test]
    fn rescans_come_periodically_alongside_events() {
        let dir = temp();
        let options = WatchOptions {
            rescan_every: Some(Duration::from_millis(50)),
            ..events_only()
        };
        let (_watch, changes) = watch(dir.path(), options);
        write(&dir.path().join("a.txt"), "text");
        let seen = until(&changes, |seen| {
            let rescans = seen.iter().filter(|c| **c == Change::Rescan).count();
            rescans >= 2 && covers(seen, "a.txt")
        });
        assert!(!seen.iter().any(|c| matches!(c, Change::Warning(_))));
    }

    #[test]
    fn polling_rescans_and_reports_no_paths() {
        let dir = temp();
        let options = WatchOptions {
            poll_every: Duration::from_millis(50),
            mode: WatchMode::Poll,
            ..events_only()
        };
        let (_watch, changes) = watch(dir.path(), options);
        write(&dir.path().join("a.txt"), "text");
        let seen = until(&changes, |seen| seen.len() >= 4);
        assert!(seen.iter().all(|c| *c == Change::Rescan), "{seen:?}");
    }

    #[test]
    fn a_full_event_queue_asks_for_a_rescan() {
        let dir = temp();
        let (watch, changes) = watch(dir.path(), events_only());
        let overflow = notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        watch.inject(Ok(vec![DebouncedEvent::new(overflow, Instant::now())]));
        let seen = until(&changes, |seen| !seen.is_empty());
        assert_eq!(seen, [Change::Rescan]);
    }

    #[test]
    fn the_watch_limit_reached_later_warns_once_and_polls() {
        let dir = temp();
        let options = WatchOptions {
            poll_every: Duration::from_millis(50),
            ..events_only()
        };
        let (watch, changes) = watch(dir.path(), options);
        let limit = || notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        watch.inject(Err(vec![limit()]));
        let seen = until(&changes, |seen| seen.len() >= 2);
        let Change::Warning(warning) = &seen[0] else {
            panic!("no warning first: {seen:?}");
        };
        assert!(warning.contains("max_user_watches"), "{warning}");
        assert_eq!(seen[1], Change::Rescan);
        // Rescans follow periodically; a second error warns no more.
        watch.inject(Err(vec![limit()]));
        let seen = until(&changes, |seen| seen.len() >= 3);
        assert!(seen.iter().all(|c| *c == Change::Rescan), "{seen:?}");
        // Events that did arrive are still reported.
        write(&dir.path().join("a.txt"), "text");
        until_covered(&changes, &["a.txt"]);
    }

    /// A watcher whose every watch fails as when the system's limit on
    /// watches is reached.
    struct FullWatcher;

    impl Watcher for FullWatcher {
        fn new<F: notify::EventHandler>(_: F, _: notify::Config) -> notify::Result<Self> {
            Ok(FullWatcher)
        }

        fn watch(&mut self, _: &Path, _: RecursiveMode) -> notify::Result<()> {
            Err(notify::Error::new(notify::ErrorKind::MaxFilesWatch))
        }

        fn unwatch(&mut self, _: &Path) -> notify::Result<()> {
            Ok(())
        }

        fn kind() -> WatcherKind {
            WatcherKind::NullWatcher
        }
    }

    #[test]
    fn events_that_cannot_be_had_at_start_mean_polling_and_a_warning() {
        let dir = temp();
        let (sender, changes) = mpsc::channel();
        let options = WatchOptions {
            poll_every: Duration::from_millis(50),
            ..WatchOptions::default()
        };
        let watch = start_with::<FullWatcher, _>(
            dir.path(),
            options,
            (
                move |change| {
                    let _ = sender.send(change);
                },
                |_: Noted| {},
            ),
            notify_debouncer_full::NoCache::new(),
        );
        let watch = ok(watch);
        assert!(watch.events.is_none());
        let seen = until(&changes, |seen| seen.len() >= 3);
        assert!(
            matches!(&seen[0], Change::Warning(w) if w.contains("every 50ms")),
            "{seen:?}"
        );
        assert!(seen[1..].iter().all(|c| *c == Change::Rescan), "{seen:?}");
    }

    #[test]
    fn a_removed_folder_asks_for_rescans_and_warns() {
        let dir = temp();
        let root = dir.path().join("articles");
        ok(fs::create_dir(&root));
        let options = WatchOptions {
            poll_every: Duration::from_millis(50),
            ..events_only()
        };
        let (_watch, changes) = watch(&root, options);
        ok(fs::remove_dir(&root));
        let seen = until(&changes, |seen| {
            seen.iter().filter(|c| **c == Change::Rescan).count() >= 2
        });
        let warnings: Vec<_> = seen
            .iter()
            .filter(|c| matches!(c, Change::Warning(_)))
            .collect();
        assert_eq!(warnings.len(), 1, "{seen:?}");
    }

    /// A watch whose changes and notes arrive on one receiver, in the
    /// order they were made.
    fn watch_noting(
        root: &Path,
        options: WatchOptions,
    ) -> (FolderWatch, Receiver<Result<Change, Noted>>) {
        let (sender, changes) = mpsc::channel();
        let noting = sender.clone();
        let watch = FolderWatch::start_noting(
            root,
            options,
            move |change| {
                let _ = sender.send(Ok(change));
            },
            move |noted| {
                let _ = noting.send(Err(noted));
            },
        );
        (ok(watch), changes)
    }

    #[test]
    fn a_change_is_noted_before_it_is_reported() {
        let dir = temp();
        let options = WatchOptions {
            debounce: Duration::from_millis(300),
            ..events_only()
        };
        let (_watch, changes) = watch_noting(dir.path(), options);
        write(&dir.path().join("a.txt"), "new");
        // (Noted once per batch of events: the write may come in two.)
        let first = ok(changes.recv_timeout(DEADLINE));
        assert_eq!(first, Err(Noted::Paths(vec![PathBuf::from("a.txt")])));
        let reported = loop {
            match ok(changes.recv_timeout(DEADLINE)) {
                Ok(change) => break change,
                Err(Noted::Paths(_)) => {}
                Err(other) => panic!("{other:?}"),
            }
        };
        assert_eq!(
            reported,
            Change::Paths(BTreeSet::from([PathBuf::from("a.txt")]))
        );
    }

    #[test]
    fn a_full_event_queue_is_noted_as_lost() {
        let dir = temp();
        let (watch, changes) = watch_noting(dir.path(), events_only());
        let overflow = notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        watch.inject(Ok(vec![DebouncedEvent::new(overflow, Instant::now())]));
        assert_eq!(ok(changes.recv_timeout(DEADLINE)), Err(Noted::Lost));
        assert_eq!(ok(changes.recv_timeout(DEADLINE)), Ok(Change::Rescan));
    }

    #[test]
    fn a_watch_without_events_is_noted_as_blind() {
        let dir = temp();
        let options = WatchOptions {
            mode: WatchMode::Poll,
            ..events_only()
        };
        let (_watch, changes) = watch_noting(dir.path(), options);
        assert_eq!(ok(changes.recv_timeout(DEADLINE)), Err(Noted::Blind));
        // Events that come to fail later say so too.
        let dir = temp();
        let (watch, changes) = watch_noting(dir.path(), events_only());
        watch.inject(Err(vec![notify::Error::new(
            notify::ErrorKind::MaxFilesWatch,
        )]));
        let noted: Vec<_> = (0..2).map(|_| ok(changes.recv_timeout(DEADLINE))).collect();
        assert_eq!(noted, [Err(Noted::Lost), Err(Noted::Blind)]);
    }

    #[test]
    fn a_watch_can_be_moved_to_another_thread() {
        fn send<T: Send>() {}
        send::<FolderWatch>();
    }

    #[test]
    fn only_a_folder_can_be_watched() {
        let dir = temp();
        write(&dir.path().join("a.txt"), "text");
        for path in [dir.path().join("a.txt"), dir.path().join("missing")] {
            let started = FolderWatch::start(&path, WatchOptions::default(), |_| {});
            let Err(err) = started else {
                panic!("{} was watched", path.display());
            };
            assert_eq!(err.path, path);
        }
        let err = WatchError {
            path: PathBuf::from("bad\u{1b}[2Jname"),
            message: "x".into(),
        };
        assert_eq!(err.to_string(), "badname: x");
    }

    #[test]
    fn hidden_means_a_name_that_starts_with_a_dot_anywhere_in_the_path() {
        assert!(is_hidden(Path::new(".a.txt")));
        assert!(is_hidden(Path::new("tv/.git/HEAD")));
        assert!(!is_hidden(Path::new("tv/a.txt")));
        assert!(!is_hidden(Path::new("tv/a.b.txt")));
    }

    #[test]
    fn reads_do_not_count_as_changes() {
        use notify::event::{CreateKind, DataChange, RemoveKind};
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Create(CreateKind::File)));
        assert!(changes_files(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(changes_files(&EventKind::Remove(RemoveKind::Folder)));
    }

    #[test]
    fn proc_is_not_on_a_network_filesystem() {
        // (A temporary folder could be on FUSE in a container: /proc is
        // always local.)
        assert!(!on_network_filesystem(Path::new("/proc")));
        assert!(!on_network_filesystem(Path::new("/no/such/folder")));
    }
}
