//! The terminal the reader must hand back: the modes it switches on (each
//! with the sequence that switches it off), and checks on a session that
//! they were switched off, that nothing was drawn on the normal screen
//! after leaving, and that line editing is back.

use super::{LEAVE_ALTERNATE_SCREEN, Session, rfind, shown, since_leaving, terminal_is_raw};

/// Mode switches the reader turns on, each with the sequence that turns it
/// off again, as crossterm 0.29 writes them (`EnterAlternateScreen`,
/// `Hide`, and each part of `EnableMouseCapture`).
pub const MODES: [(&str, &[u8], &[u8]); 7] = [
    ("alternate screen", b"\x1b[?1049h", LEAVE_ALTERNATE_SCREEN),
    ("hidden cursor", b"\x1b[?25l", b"\x1b[?25h"),
    ("mouse button reporting", b"\x1b[?1000h", b"\x1b[?1000l"),
    ("mouse drag reporting", b"\x1b[?1002h", b"\x1b[?1002l"),
    ("mouse motion reporting", b"\x1b[?1003h", b"\x1b[?1003l"),
    ("urxvt mouse encoding", b"\x1b[?1015h", b"\x1b[?1015l"),
    ("SGR mouse encoding", b"\x1b[?1006h", b"\x1b[?1006l"),
];

/// The terminal's state as the reader leaves it.
impl Session {
    /// Whether the terminal is in raw mode (no line editing, no echo).
    pub fn raw_mode(&self) -> bool {
        terminal_is_raw(self.master.as_raw_fd().expect("the master's descriptor"))
    }

    /// Checks that every mode the reader turns on was turned off in what it
    /// wrote after `mark`, and not turned on again.
    pub fn assert_modes_off_since(&self, mark: usize) {
        let raw = self.raw();
        let since = raw.get(mark..).unwrap_or_default();
        for (name, on, off) in MODES {
            assert!(
                turned_off(since, on, off),
                "the {name} was not turned off: {}",
                shown(since)
            );
        }
    }

    /// Checks the terminal was handed back as it was found: every mode the
    /// reader switched on was switched off after its last use, the screen
    /// is the normal one with a visible cursor and no mouse reporting, and
    /// line editing is back.
    pub fn assert_terminal_restored(&self) {
        let raw = self.raw();
        for (name, on, off) in MODES {
            let last_on = rfind(&raw, on);
            assert!(
                last_on.is_some(),
                "the reader never turned on the {name}: the check could not fail"
            );
            assert!(
                turned_off(&raw, on, off),
                "the {name} was left on: last {} at {last_on:?}, last {} at {:?}",
                shown(on),
                shown(off),
                rfind(&raw, off),
            );
        }
        let after_leaving = since_leaving(&raw);
        assert!(
            !has_cursor_move(after_leaving),
            "drawn on the normal screen after leaving: {}",
            shown(after_leaving)
        );
        self.with_screen(|screen| {
            assert!(!screen.alternate_screen(), "left in the alternate screen");
            assert!(!screen.hide_cursor(), "left with a hidden cursor");
            assert_eq!(
                screen.mouse_protocol_mode(),
                vt100::MouseProtocolMode::None,
                "left with mouse reporting on"
            );
        });
        assert!(!self.raw_mode(), "left in raw mode");
    }
}

/// Whether `bytes` turn a mode off (`off`) after they last turn it on
/// (`on`), or without turning it on at all.
fn turned_off(bytes: &[u8], on: &[u8], off: &[u8]) -> bool {
    let last_off = rfind(bytes, off);
    last_off.is_some() && last_off > rfind(bytes, on)
}

/// Whether `bytes` move the cursor to a cell (`ESC [ row ; col H`), which
/// is how every frame draws.
pub fn has_cursor_move(bytes: &[u8]) -> bool {
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
