//! The harness shared by the tests that run the real binary (tests/pty.rs,
//! tests/signals.rs, tests/hostile.rs, tests/faults.rs): a sandbox folder to
//! run it in, the reader in a real pseudo-terminal with a vt100 screen,
//! checks that the terminal was handed back clean, and what /proc says
//! about the processes.
//!
//! - `sandbox`: temp folders, config and article fixtures, running commands
//! - `pty`: the reader in a pseudo-terminal: starting it, keys, signals, exit
//! - `screen`: what the child wrote, the screen it draws, waiting for it
//! - `terminal`: the terminal modes the reader must give back
//! - `proc`: process states and children from /proc, termios, signals
//! - `flows`: reader scenarios that several test files run whole
//! - `http_server`: a test HTTP server on 127.0.0.1 with routes to order
//! - `fever_server`: a small Fever API server for sync fault tests
//! - `coldsweat`: a real Fever server (coldsweat) run for the sync tests
//!
//! Everything is re-exported here, so a test names it `common::Sandbox`.
//! The deadline and the polling loop every wait uses are defined below.

// Each test binary uses only some of the helpers; this covers every file
// under tests/common.
#![allow(dead_code)]

pub mod coldsweat;
pub mod fever_server;
mod flows;
pub mod http_server;
mod proc;
mod pty;
mod sandbox;
mod screen;
mod terminal;

use std::thread;
use std::time::{Duration, Instant};

// Likewise, a test binary may use nothing of some of these files.
#[allow(unused_imports)]
pub use self::{flows::*, http_server::*, proc::*, pty::*, sandbox::*, screen::*, terminal::*};

/// How long any one wait may take before the test fails. Far more than a
/// healthy run needs, so a loaded machine does not make tests flaky.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// How often a wait looks at the screen again.
pub const POLL: Duration = Duration::from_millis(20);

/// Asks `check` every [`POLL`] until it gives an answer, or gives `None`
/// once `deadline` has passed without one.
pub fn poll_until<T>(deadline: Instant, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    loop {
        if let Some(answer) = check() {
            return Some(answer);
        }
        if Instant::now() >= deadline {
            return None;
        }
        thread::sleep(POLL);
    }
}
