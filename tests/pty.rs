//! The interactive reader in a real pseudo-terminal: start `broadsheet`,
//! read the screen it draws, press keys, send signals, and check what a
//! user would see afterwards: the files it saved, its exit status and a
//! terminal given back clean.
//!
//! Every wait has a generous deadline and polls the parsed screen, so a
//! slow machine only makes a test slower, never wrong; a test that fails
//! prints the screen it last saw.

use std::fs;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use tempfile::TempDir;

/// How long any one wait may take before the test fails. Far more than a
/// healthy run needs, so a loaded machine does not make tests flaky.
const DEADLINE: Duration = Duration::from_secs(20);

/// How often a wait looks at the screen again.
const POLL: Duration = Duration::from_millis(20);

const SAMPLES: [&str; 5] = [
    "000_b4046600ca63d592.txt",
    "001_900db8947a90b09e.txt",
    "002_3c2e4f83b2e5c3ed.txt",
    "003_97ddbb98e762d2b5.txt",
    "004_c084a17f8d89dc0e.txt",
];

/// The newest sample, first in the list.
const NEWEST: &str = "001_900db8947a90b09e.txt";
/// The second sample newest-first.
const SECOND: &str = "000_b4046600ca63d592.txt";
const NEWEST_TITLE: &str = "Heartstopper Season 4";
const NEWEST_DATE: &str = "2025-02-17";
const SECOND_DATE: &str = "2024-12-24";

const ENTER: &[u8] = b"\r";
const CTRL_C: &[u8] = b"\x03";

/// Mode switches the reader turns on, each with the sequence that turns it
/// off again, as crossterm 0.29 writes them (`EnterAlternateScreen`,
/// `Hide`, and each part of `EnableMouseCapture`).
const MODES: [(&str, &[u8], &[u8]); 7] = [
    ("alternate screen", b"\x1b[?1049h", b"\x1b[?1049l"),
    ("hidden cursor", b"\x1b[?25l", b"\x1b[?25h"),
    ("mouse button reporting", b"\x1b[?1000h", b"\x1b[?1000l"),
    ("mouse drag reporting", b"\x1b[?1002h", b"\x1b[?1002l"),
    ("mouse motion reporting", b"\x1b[?1003h", b"\x1b[?1003l"),
    ("urxvt mouse encoding", b"\x1b[?1015h", b"\x1b[?1015l"),
    ("SGR mouse encoding", b"\x1b[?1006h", b"\x1b[?1006l"),
];

// ----- the sandbox ---------------------------------------------------------

/// A temp folder holding `articles/` and a `config.toml` pointing at it;
/// bookmarks and read state are saved beside the config.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    /// The five sample articles.
    fn samples() -> Sandbox {
        let sandbox = Sandbox::empty();
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        for name in SAMPLES {
            fs::copy(samples.join(name), sandbox.articles().join(name)).expect("copy sample");
        }
        sandbox
    }

    /// `count` small generated articles spread over a few subfolders.
    fn generated(count: usize) -> Sandbox {
        let sandbox = Sandbox::empty();
        for n in 0..count {
            let folder = sandbox.articles().join(format!("d{}", n % 7));
            fs::create_dir_all(&folder).expect("article folder");
            fs::write(
                folder.join(format!("a{n:05}.txt")),
                format!(
                    " date 2024-03-05 Posted in: News | Tagged: tests\n\n\
                     Generated Article Number {n}\n\n\
                     A first paragraph of the article, long enough to read like one.\n"
                ),
            )
            .expect("write article");
        }
        sandbox
    }

    fn empty() -> Sandbox {
        let dir = TempDir::new().expect("temp dir");
        fs::create_dir(dir.path().join("articles")).expect("articles dir");
        let sandbox = Sandbox { dir };
        sandbox.write_config("");
        sandbox
    }

    /// Writes `config.toml` with the articles folder and `extra` lines of
    /// the `[library]` table.
    fn write_config(&self, extra: &str) {
        fs::write(
            self.path().join("config.toml"),
            format!("[library]\narticles = \"articles\"\n{extra}"),
        )
        .expect("config");
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn articles(&self) -> PathBuf {
        self.path().join("articles")
    }

    /// A state file's text, or "" when it was never written.
    fn file(&self, name: &str) -> String {
        fs::read_to_string(self.path().join(name)).unwrap_or_default()
    }

    /// The environment of every run: no user config or data around.
    fn environment(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.path().to_path_buf()),
            ("XDG_CONFIG_HOME", self.path().join("xdg-config")),
            ("XDG_DATA_HOME", self.path().join("xdg-data")),
            ("TERM", PathBuf::from("xterm-256color")),
            ("NO_COLOR", PathBuf::from("1")),
        ]
    }

    /// Runs a headless subcommand and returns its stdout.
    fn cli(&self, args: &[&str]) -> String {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"));
        command.current_dir(self.path()).env_clear().args(args);
        for (key, value) in self.environment() {
            command.env(key, value);
        }
        let output = command.output().expect("run broadsheet");
        assert!(
            output.status.success(),
            "broadsheet {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("stdout is UTF-8")
    }

    /// Starts the reader in a pseudo-terminal of `cols` x `rows`.
    fn start(&self, cols: u16, rows: u16) -> Session {
        Session::start(self, cols, rows)
    }
}

// ----- the session -----------------------------------------------------------

/// What the child wrote: the raw bytes and the screen they draw.
struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// Texts a test waits to see on screen at some moment, each with
    /// whether it has appeared since it was asked for; checked after every
    /// read, so a message that is soon replaced is not missed.
    watches: Vec<(String, bool)>,
    /// The child and every copy of the terminal's other end are gone.
    closed: bool,
}

impl Output {
    fn screen_text(&self) -> String {
        let screen = self.parser.screen();
        let (_, cols) = screen.size();
        let rows: Vec<String> = screen.rows(0, cols.get()).collect();
        rows.join("\n")
    }

    /// What was written after the reader last left the alternate screen:
    /// its error messages, a panic's message.
    fn after_leaving(&self) -> String {
        let start = rfind(&self.raw, b"\x1b[?1049l").unwrap_or(0);
        String::from_utf8_lossy(self.raw.get(start..).unwrap_or_default()).into_owned()
    }
}

type Shared = Arc<Mutex<Output>>;

fn lock(output: &Shared) -> MutexGuard<'_, Output> {
    output.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Copies everything the child writes into the shared output until the
/// terminal closes.
fn drain(mut reader: Box<dyn Read + Send>, output: Shared) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                let bytes = &buffer[..n];
                let mut output = lock(&output);
                output.raw.extend_from_slice(bytes);
                output.parser.process(bytes);
                let text = output.screen_text();
                for (wanted, seen) in &mut output.watches {
                    *seen = *seen || text.contains(wanted.as_str());
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            // EIO: the child exited and the terminal's other end is closed.
            Err(_) => break,
        }
    }
    lock(&output).closed = true;
}

/// `broadsheet` running in a pseudo-terminal. Dropping it kills the child
/// if it is still running, so a failed test never leaves it behind.
struct Session {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Shared,
    status: Option<ExitStatus>,
}

impl Session {
    fn start(sandbox: &Sandbox, cols: u16, rows: u16) -> Session {
        let pair = native_pty_system()
            .openpty(pty_size(cols, rows))
            .expect("open a pseudo-terminal");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_broadsheet"));
        command.cwd(sandbox.path());
        command.env_clear();
        for (key, value) in sandbox.environment() {
            command.env(key, value);
        }
        let child = pair.slave.spawn_command(command).expect("start broadsheet");
        // Only the child may hold the terminal's other end, so that reading
        // ends when the child does.
        drop(pair.slave);
        let output = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(nonzero(rows), nonzero(cols), 0),
            raw: Vec::new(),
            watches: Vec::new(),
            closed: false,
        }));
        let reader = pair.master.try_clone_reader().expect("pty reader");
        let shared = Arc::clone(&output);
        thread::Builder::new()
            .name("pty-reader".into())
            .spawn(move || drain(reader, shared))
            .expect("start the reader thread");
        let writer = pair.master.take_writer().expect("pty writer");
        Session {
            child,
            master: pair.master,
            writer,
            output,
            status: None,
        }
    }

    /// The screen as text, one line per row.
    fn screen_text(&self) -> String {
        lock(&self.output).screen_text()
    }

    /// Waits until `predicate` holds for the screen; fails with the screen
    /// when the deadline passes or the child ends first.
    fn wait_for(&self, what: &str, predicate: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            {
                let output = lock(&self.output);
                if predicate(output.parser.screen()) {
                    return;
                }
                if output.closed {
                    panic!(
                        "broadsheet ended before the screen showed {what}; last screen:\n{}\n\
                         written after leaving the alternate screen: {}",
                        output.screen_text(),
                        output.after_leaving()
                    );
                }
                if Instant::now() > deadline {
                    panic!(
                        "the screen did not show {what} within {DEADLINE:?}; last screen:\n{}",
                        output.screen_text()
                    );
                }
            }
            thread::sleep(POLL);
        }
    }

    /// Waits until every one of `texts` is on screen at once.
    fn wait_for_text(&self, texts: &[&str]) {
        self.wait_for(&format!("{texts:?}"), |screen| {
            let contents = screen_rows(screen).join("\n");
            texts.iter().all(|text| contents.contains(text))
        });
    }

    /// Waits for the sample list to be loaded and drawn.
    fn wait_for_samples(&self) {
        self.wait_for_text(&[NEWEST_TITLE, "5/5"]);
    }

    /// Starts watching for `text`; see [`Session::wait_until_seen`].
    fn watch(&self, text: &str) {
        lock(&self.output).watches.push((text.to_string(), false));
    }

    /// Waits until a watched text has been on screen at some moment since
    /// [`Session::watch`], even if it has been replaced since.
    fn wait_until_seen(&self, text: &str) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            {
                let output = lock(&self.output);
                let seen = output
                    .watches
                    .iter()
                    .any(|(wanted, seen)| wanted == text && *seen);
                if seen {
                    return;
                }
                if output.closed || Instant::now() > deadline {
                    panic!(
                        "the screen never showed {text:?}; last screen:\n{}",
                        output.screen_text()
                    );
                }
            }
            thread::sleep(POLL);
        }
    }

    /// Types `keys` as the terminal would send them.
    fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Changes the terminal's size, as a user resizing the window does.
    fn resize(&mut self, cols: u16, rows: u16) {
        // The parser first, so the frame drawn for the new size lands on a
        // screen of that size.
        lock(&self.output)
            .parser
            .set_size(nonzero(rows), nonzero(cols));
        self.master
            .resize(pty_size(cols, rows))
            .expect("resize the pseudo-terminal");
    }

    /// Sends a signal to the child.
    fn signal(&self, signal: libc::c_int) {
        let pid = self.child.process_id().expect("the child's pid");
        let pid = libc::pid_t::try_from(pid).expect("pid fits pid_t");
        // SAFETY: kill only sends a signal to our own child process.
        let result = unsafe { libc::kill(pid, signal) };
        assert_eq!(result, 0, "kill: {}", std::io::Error::last_os_error());
    }

    /// Waits for the child to exit and for everything it wrote to be read.
    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for broadsheet") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "broadsheet did not exit within {DEADLINE:?}; last screen:\n{}",
                self.screen_text()
            );
            thread::sleep(POLL);
        };
        self.status = Some(status.clone());
        while !lock(&self.output).closed {
            assert!(
                Instant::now() < deadline,
                "the terminal did not close after broadsheet exited"
            );
            thread::sleep(POLL);
        }
        status
    }

    /// Everything the child wrote.
    fn raw(&self) -> Vec<u8> {
        lock(&self.output).raw.clone()
    }

    /// Whether the terminal is in raw mode (no line editing, no echo).
    fn raw_mode(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("the master's descriptor");
        // SAFETY: termios is plain data that tcgetattr fills in; the
        // descriptor is the open master of this session.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        let result = unsafe { libc::tcgetattr(fd, &mut termios) };
        assert_eq!(result, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        termios.c_lflag & (libc::ICANON | libc::ECHO) == 0
    }

    /// Checks the terminal was handed back as it was found: every mode the
    /// reader switched on was switched off after its last use, the screen
    /// is the normal one with a visible cursor and no mouse reporting, and
    /// line editing is back.
    fn assert_terminal_restored(&self) {
        let raw = self.raw();
        for (name, on, off) in MODES {
            let last_on = rfind(&raw, on);
            assert!(
                last_on.is_some(),
                "the reader never turned on the {name}: the check could not fail"
            );
            let last_off = rfind(&raw, off);
            assert!(
                last_off > last_on,
                "the {name} was left on: last {} at {last_on:?}, last {} at {last_off:?}",
                shown(on),
                shown(off),
            );
        }
        let left = rfind(&raw, b"\x1b[?1049l").unwrap_or(0);
        let after_leaving = raw.get(left..).unwrap_or_default();
        assert!(
            !has_cursor_move(after_leaving),
            "drawn on the normal screen after leaving: {}",
            shown(after_leaving)
        );
        let output = lock(&self.output);
        let screen = output.parser.screen();
        assert!(!screen.alternate_screen(), "left in the alternate screen");
        assert!(!screen.hide_cursor(), "left with a hidden cursor");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "left with mouse reporting on"
        );
        drop(output);
        assert!(!self.raw_mode(), "left in raw mode");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.status.is_none()
            && let Some(pid) = self.child.process_id().and_then(|p| i32::try_from(p).ok())
        {
            // SAFETY: kill only sends a signal to our own child process.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            let _ = self.child.wait();
        }
    }
}

fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a terminal size is not zero")
}

fn screen_rows(screen: &vt100::Screen) -> Vec<String> {
    let (_, cols) = screen.size();
    screen.rows(0, cols.get()).collect()
}

/// The list pane's rows: each screen row up to the rule before the reader
/// (the whole row when the list is the only pane).
fn list_pane(screen: &vt100::Screen) -> Vec<String> {
    screen_rows(screen)
        .into_iter()
        .map(|row| match row.split_once('│') {
            Some((list, _)) => list.to_string(),
            None => row,
        })
        .collect()
}

/// The list pane's header: order and position.
fn list_header(screen: &vt100::Screen) -> String {
    list_pane(screen).into_iter().next().unwrap_or_default()
}

/// The list row of the article dated `date` (titles are cut short in a
/// narrow list, dates never are).
fn list_row(screen: &vt100::Screen, date: &str) -> Option<String> {
    list_pane(screen)
        .into_iter()
        .skip(1)
        .find(|row| row.contains(date))
}

/// The status line: the second row from the bottom.
fn status_line(screen: &vt100::Screen) -> String {
    let rows = screen_rows(screen);
    rows.len()
        .checked_sub(2)
        .and_then(|i| rows.get(i).cloned())
        .unwrap_or_default()
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Bytes as a readable string, escapes spelled out.
fn shown(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// Whether `bytes` move the cursor to a cell (`ESC [ row ; col H`), which
/// is how every frame draws.
fn has_cursor_move(bytes: &[u8]) -> bool {
    bytes.windows(2).enumerate().any(|(at, pair)| {
        pair == b"\x1b[" && {
            let rest = bytes.get(at + 2..).unwrap_or_default();
            let params = rest
                .iter()
                .take_while(|b| b.is_ascii_digit() || **b == b';')
                .count();
            params > 0 && rest.get(params) == Some(&b'H')
        }
    })
}

fn assert_exit_code(status: &ExitStatus, code: u32) {
    assert_eq!(
        (status.exit_code(), status.signal()),
        (code, None),
        "broadsheet exited with {status}"
    );
}

// ----- tests -------------------------------------------------------------------

#[test]
fn a_bookmark_made_in_the_reader_is_saved_and_shown_after_a_restart() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    assert!(session.raw_mode(), "the reader runs in raw mode");

    session.press(b"j");
    session.wait_for("the second article selected (2/5)", |screen| {
        list_header(screen).trim_end().ends_with("2/5")
    });
    session.press(b"b");
    session.wait_for_text(&["bookmarked: Heartstopper Season 3"]);
    // The status counts "saving 1" until the saver confirms; quitting after
    // that leaves at once instead of asking to quit again.
    session.wait_for("the bookmark saved", |screen| {
        let status = status_line(screen);
        status.contains("★1") && !status.contains("saving")
    });
    session.press(b"q");
    let status = session.wait_exit();
    assert_exit_code(&status, 0);
    session.assert_terminal_restored();
    let bookmarks = sandbox.file("bookmarks.toml");
    assert!(
        bookmarks.contains(&format!("id = \"{SECOND}\"")),
        "{bookmarks}"
    );
    assert!(!bookmarks.contains(NEWEST), "{bookmarks}");

    // Started again, the list marks the bookmarked article and only it.
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.wait_for("the bookmark mark on the second article only", |screen| {
        let marked = |date| list_row(screen, date).map(|row| row.contains('★'));
        marked(SECOND_DATE) == Some(true) && marked(NEWEST_DATE) == Some(false)
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn enter_opens_the_article_and_marks_it_read() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    let unread =
        |screen: &vt100::Screen| list_row(screen, NEWEST_DATE).map(|row| row.starts_with('•'));
    session.wait_for("the newest article unread", |screen| {
        unread(screen) == Some(true)
    });
    session.press(ENTER);
    session.wait_for("the article open, read and saved", |screen| {
        let hints = screen_rows(screen).last().cloned().unwrap_or_default();
        unread(screen) == Some(false)
            && hints.contains("scroll")
            && !status_line(screen).contains("saving")
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
    let state = sandbox.file("state.toml");
    assert!(state.contains(NEWEST), "{state}");
    assert!(!state.contains(SECOND), "{state}");
}

#[test]
fn sigterm_leaves_cleanly() {
    leaves_cleanly_on(libc::SIGTERM);
}

#[test]
fn sighup_leaves_cleanly() {
    leaves_cleanly_on(libc::SIGHUP);
}

#[test]
fn sigint_from_outside_leaves_cleanly() {
    leaves_cleanly_on(libc::SIGINT);
}

/// A signal ends the reader with 128 + the signal, after giving the
/// terminal back.
fn leaves_cleanly_on(signal: libc::c_int) {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.signal(signal);
    let status = session.wait_exit();
    let expected = 128 + u32::try_from(signal).expect("a signal number");
    assert_exit_code(&status, expected);
    session.assert_terminal_restored();
}

#[test]
fn ctrl_c_quits_cleanly() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.press(CTRL_C);
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}

#[test]
fn search_shows_as_many_articles_as_the_cli_finds() {
    let sandbox = Sandbox::samples();
    let expected = sandbox.cli(&["list", "bloopers", "--count"]);
    let expected = format!("{}/5", expected.trim());
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.press(b"/");
    session.wait_for("the search prompt", |screen| {
        status_line(screen).starts_with('/')
    });
    session.press(b"bloopers");
    session.press(ENTER);
    session.wait_for(&format!("the search kept with {expected}"), |screen| {
        let status = status_line(screen);
        status.starts_with(" bloopers") && status.trim_end().ends_with(&expected)
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn resizing_redraws_at_the_new_size() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    for (cols, rows) in [(40, 12), (120, 40)] {
        session.resize(cols, rows);
        // The status line sits second from the bottom of the new size, so
        // it shows only once a frame was drawn for that size.
        session.wait_for(&format!("a frame at {cols}x{rows}"), |screen| {
            let hints = screen_rows(screen).last().cloned().unwrap_or_default();
            screen_rows(screen).len() == usize::from(rows)
                && status_line(screen).trim_end().ends_with("5/5")
                && hints.starts_with(" j down")
        });
    }
    session.wait_for_text(&[NEWEST_TITLE]);
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}

#[test]
fn a_large_folder_shows_a_first_frame_then_every_article() {
    let sandbox = Sandbox::generated(3_000);
    let mut session = sandbox.start(100, 30);
    session.wait_for("a first frame", |screen| {
        let contents = screen_rows(screen).join("\n");
        contents.contains("loading") || contents.contains("Articles")
    });
    session.wait_for_text(&["3000/3000", "Generated Article Number"]);
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn a_paste_of_many_keys_is_read_to_the_end() {
    let sandbox = Sandbox::generated(3_000);
    let mut session = sandbox.start(100, 30);
    session.wait_for_text(&["3000/3000"]);
    // More than crossterm's 1,024-byte read buffer arrives at once: every
    // key must be handled without waiting for another one.
    session.press(&[b'j'; 1_500]);
    session.wait_for("every j handled", |screen| {
        list_header(screen).trim_end().ends_with("1501/3000")
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn an_unsaved_change_asks_before_quitting_and_is_reported() {
    let sandbox = Sandbox::samples();
    // A path below a file can never be written, whoever runs the test.
    sandbox.write_config("bookmarks = \"config.toml/bookmarks.toml\"\n");
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.watch("not saved, retrying");
    session.press(b"b");
    session.wait_until_seen("not saved, retrying");
    // Failed saves are retried and say so again, which may replace the
    // question: watch for it rather than expect it to stay.
    session.watch("quit again");
    session.press(b"q");
    session.wait_until_seen("quit again");
    session.press(b"q");
    let status = session.wait_exit();
    assert_exit_code(&status, 1);
    session.assert_terminal_restored();
    let after_leaving = lock(&session.output).after_leaving();
    assert!(
        after_leaving.contains("broadsheet: error: not saved"),
        "{after_leaving:?}"
    );
}

/// Keys already queued when the terminal shrinks are handled before the
/// resize is: every frame drawn meanwhile must still fit the terminal.
#[test]
fn shrinking_while_keys_are_handled_does_not_crash() {
    let sandbox = Sandbox::generated(3_000);
    let mut session = sandbox.start(100, 30);
    session.wait_for_text(&["3000/3000"]);
    // Under 1,024 bytes: crossterm reads at most that much at a time.
    session.press(&[b'j'; 1_000]);
    session.wait_for("the keys being handled", |screen| {
        !list_header(screen).contains(" 1/3000")
    });
    // The reader draws a frame per key, so most of the keys are still
    // queued ahead of the resize event.
    session.resize(60, 20);
    session.wait_for("every key handled at the new size", |screen| {
        screen_rows(screen).len() == 20
            && list_header(screen).trim_end().ends_with("1001/3000")
            && status_line(screen).trim_end().ends_with("3000/3000")
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    session.assert_terminal_restored();
}
