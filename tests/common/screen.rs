//! What the child wrote to its pseudo-terminal: the raw bytes and the
//! vt100 screen they draw ([`Output`]); a session's ways of reading them
//! and of waiting for a screen to show something; the rows of the reader's
//! panes and status line; searching raw bytes.

use std::num::NonZeroU16;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::{DEADLINE, NEWEST_TITLE, Session, poll_until};

/// The sequence that leaves the alternate screen, as crossterm writes it.
pub const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";

/// Every window title, icon name and clipboard content the child asked the
/// terminal to set (clipboard requests start with `clipboard: `).
#[derive(Debug, Default)]
pub struct TitleWatch {
    /// The requests, in order.
    pub titles: Vec<Vec<u8>>,
}

impl vt100::Callbacks for TitleWatch {
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }

    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }

    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        let mut request = b"clipboard: ".to_vec();
        request.extend_from_slice(data);
        self.titles.push(request);
    }
}

/// What the child wrote: the raw bytes and the screen they draw.
pub struct Output {
    parser: vt100::Parser<TitleWatch>,
    raw: Vec<u8>,
    /// Texts a test waits to see on screen at some moment, each with
    /// whether it has appeared since it was asked for; checked after every
    /// read, so a message that is soon replaced is not missed.
    watches: Vec<(String, bool)>,
    /// The child and every copy of the terminal's other end are gone.
    closed: bool,
}

impl Output {
    /// Nothing written yet, on an empty screen of `cols` x `rows`.
    pub(super) fn new(cols: u16, rows: u16) -> Output {
        Output {
            parser: vt100::Parser::new_with_callbacks(
                nonzero(rows),
                nonzero(cols),
                0,
                TitleWatch::default(),
            ),
            raw: Vec::new(),
            watches: Vec::new(),
            closed: false,
        }
    }

    /// Takes in bytes the child wrote: keeps them, draws them and notes
    /// every watched text now on screen.
    pub(super) fn feed(&mut self, bytes: &[u8]) {
        self.raw.extend_from_slice(bytes);
        self.parser.process(bytes);
        let text = self.screen_text();
        for (wanted, seen) in &mut self.watches {
            *seen = *seen || text.contains(wanted.as_str());
        }
    }

    /// Notes that the terminal has closed: nothing more will be written.
    pub(super) fn close(&mut self) {
        self.closed = true;
    }

    /// Gives the screen a new size.
    pub(super) fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.set_size(nonzero(rows), nonzero(cols));
    }

    /// The screen as text, one line per row.
    pub fn screen_text(&self) -> String {
        screen_rows(self.parser.screen()).join("\n")
    }

    /// What was written after the reader last left the alternate screen:
    /// its error messages, a panic's message.
    pub fn after_leaving(&self) -> String {
        String::from_utf8_lossy(since_leaving(&self.raw)).into_owned()
    }

    /// Whether the watched `text` has been on screen since it was watched.
    fn seen(&self, text: &str) -> bool {
        self.watches
            .iter()
            .any(|(wanted, seen)| wanted == text && *seen)
    }
}

pub type Shared = Arc<Mutex<Output>>;

pub fn lock(output: &Shared) -> MutexGuard<'_, Output> {
    output.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Reading what the child wrote and waiting for the screen.
impl Session {
    /// The screen as text, one line per row.
    pub fn screen_text(&self) -> String {
        lock(&self.output).screen_text()
    }

    /// Looks at the screen as it is now.
    pub fn with_screen<T>(&self, look: impl FnOnce(&vt100::Screen) -> T) -> T {
        look(lock(&self.output).parser.screen())
    }

    /// Waits until `predicate` holds for the screen; fails with the screen
    /// when the deadline passes or the child ends first.
    pub fn wait_for(&self, what: &str, predicate: impl Fn(&vt100::Screen) -> bool) {
        // Some(true): shown; Some(false): the child ended first.
        let shown = poll_until(Instant::now() + DEADLINE, || {
            let output = lock(&self.output);
            if predicate(output.parser.screen()) {
                Some(true)
            } else {
                output.closed.then_some(false)
            }
        });
        match shown {
            Some(true) => {}
            Some(false) => {
                let output = lock(&self.output);
                panic!(
                    "broadsheet ended before the screen showed {what}; last screen:\n{}\n\
                     written after leaving the alternate screen: {}",
                    output.screen_text(),
                    output.after_leaving()
                );
            }
            None => panic!(
                "the screen did not show {what} within {DEADLINE:?}; last screen:\n{}",
                self.screen_text()
            ),
        }
    }

    /// Waits until every one of `texts` is on screen at once.
    pub fn wait_for_text(&self, texts: &[&str]) {
        self.wait_for(&format!("{texts:?}"), |screen| {
            let contents = screen_rows(screen).join("\n");
            texts.iter().all(|text| contents.contains(text))
        });
    }

    /// Waits for the sample list to be loaded and drawn.
    pub fn wait_for_samples(&self) {
        self.wait_for_text(&[NEWEST_TITLE, "5/5"]);
    }

    /// Starts watching for `text`; see [`Session::wait_until_seen`].
    pub fn watch(&self, text: &str) {
        lock(&self.output).watches.push((text.to_string(), false));
    }

    /// Waits until a watched text has been on screen at some moment since
    /// [`Session::watch`], even if it has been replaced since.
    pub fn wait_until_seen(&self, text: &str) {
        // Some(true): seen; Some(false): the child ended first.
        let seen = poll_until(Instant::now() + DEADLINE, || {
            let output = lock(&self.output);
            if output.seen(text) {
                Some(true)
            } else {
                output.closed.then_some(false)
            }
        });
        assert!(
            seen == Some(true),
            "the screen never showed {text:?}; last screen:\n{}",
            self.screen_text()
        );
    }

    /// Every window title or icon name the child has asked for so far.
    pub fn titles(&self) -> Vec<String> {
        lock(&self.output)
            .parser
            .callbacks()
            .titles
            .iter()
            .map(|title| String::from_utf8_lossy(title).into_owned())
            .collect()
    }

    /// Whether the child has ended and its terminal is closed.
    pub fn closed(&self) -> bool {
        lock(&self.output).closed
    }

    /// Waits until the child has written `bytes` (a sequence the screen
    /// does not show, such as a hyperlink's, may follow the text it wraps);
    /// fails saying `what` was never written.
    pub fn wait_for_raw(&self, bytes: &[u8], what: &str) {
        let written = poll_until(Instant::now() + DEADLINE, || {
            let output = lock(&self.output);
            output
                .raw
                .windows(bytes.len())
                .any(|w| w == bytes)
                .then_some(())
        });
        assert!(written.is_some(), "never written: {what}");
    }

    /// Everything the child wrote.
    pub fn raw(&self) -> Vec<u8> {
        lock(&self.output).raw.clone()
    }

    /// How many bytes the child has written so far: a mark for
    /// [`Session::assert_modes_off_since`].
    pub fn written(&self) -> usize {
        lock(&self.output).raw.len()
    }

    /// What the program wrote after it last left the alternate screen.
    pub fn after_leaving(&self) -> String {
        lock(&self.output).after_leaving()
    }
}

pub fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a terminal size is not zero")
}

pub fn screen_rows(screen: &vt100::Screen) -> Vec<String> {
    let (_, cols) = screen.size();
    screen.rows(0, cols.get()).collect()
}

/// The list pane's rows: each screen row up to the rule before the reader
/// (the whole row when the list is the only pane).
pub fn list_pane(screen: &vt100::Screen) -> Vec<String> {
    screen_rows(screen)
        .into_iter()
        .map(|row| match row.split_once('│') {
            Some((list, _)) => list.to_string(),
            None => row,
        })
        .collect()
}

/// The list pane's header: order and position.
pub fn list_header(screen: &vt100::Screen) -> String {
    list_pane(screen).into_iter().next().unwrap_or_default()
}

/// The list row of the article dated `date` (titles are cut short in a
/// narrow list, dates never are).
pub fn list_row(screen: &vt100::Screen, date: &str) -> Option<String> {
    list_pane(screen)
        .into_iter()
        .skip(1)
        .find(|row| row.contains(date))
}

/// The status line: the second row from the bottom.
pub fn status_line(screen: &vt100::Screen) -> String {
    let rows = screen_rows(screen);
    rows.len()
        .checked_sub(2)
        .and_then(|i| rows.get(i).cloned())
        .unwrap_or_default()
}

pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The bytes from where `raw` last leaves the alternate screen (all of
/// them when it never does).
pub fn since_leaving(raw: &[u8]) -> &[u8] {
    let start = rfind(raw, LEAVE_ALTERNATE_SCREEN).unwrap_or(0);
    raw.get(start..).unwrap_or_default()
}

/// Bytes as a readable string, escapes spelled out.
pub fn shown(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}
