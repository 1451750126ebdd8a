//! Fatal signals while the reader has the terminal: SIGBUS (a mapped cache
//! file cut short or replaced in place by another program), SIGSEGV (a bad
//! memory access or a stack overflow), SIGILL, SIGFPE and SIGABRT.
//!
//! Such a signal ends the process without unwinding, so neither the
//! terminal guard's `Drop` nor the panic hook runs: left alone, the person
//! would be left in the alternate screen with a hidden cursor, mouse
//! reporting on and no line editing, and no word of what happened. The
//! handler installed here gives the terminal back, says what happened, and
//! then lets the signal take its default course, so the exit status still
//! names it.
//!
//! A signal handler may only call async-signal-safe functions: it writes
//! bytes prepared in advance with `write(2)`, puts back the terminal modes
//! saved before raw mode with `tcsetattr`, and re-raises the signal with
//! `raise`. Nothing allocates, locks or formats. It runs on an alternate
//! signal stack, so that a stack overflow (a SIGSEGV on the guard page) can
//! be reported too.

use std::cell::UnsafeCell;
use std::mem::MaybeUninit;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use libc::c_int;

/// Whether the terminal is in the reader's modes now. Giving it back twice
/// would do harm: a second "leave the alternate screen" moves the cursor back
/// to where it was on entering, so what was printed after the first one (a
/// panic message) would be overwritten. Here, beside the fatal signals'
/// handler that reads it, and set by the terminal's setup.
pub(super) static TAKEN: AtomicBool = AtomicBool::new(false);

/// What gives the terminal back, written at once: CAN ends any escape
/// sequence a frame was cut off in the middle of (so the terminal reads what
/// follows afresh), then attributes reset, each mouse mode crossterm's
/// `EnableMouseCapture` turns on turned off (in the order of its
/// `DisableMouseCapture`), the alternate screen left and the cursor shown.
const GIVE_BACK: &[u8] = b"\x18\x1b[0m\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\
\x1b[?1049l\x1b[?25h";

/// The signals handled, each with what it most likely means for a person
/// reading news, on a line of its own.
const FATAL: [(c_int, &[u8]); 5] = [
    (
        libc::SIGBUS,
        b"broadsheet: fatal: SIGBUS (bus error): a file broadsheet had mapped (its cache) was cut \
short or replaced in place by another program; the cache is rebuilt at the next start\n",
    ),
    (
        libc::SIGSEGV,
        b"broadsheet: fatal: SIGSEGV (segmentation fault): a bad memory access or a stack \
overflow, a bug: please report it with what you were doing\n",
    ),
    (
        libc::SIGILL,
        b"broadsheet: fatal: SIGILL (illegal instruction): a bug, or a build for another \
processor: please report it with what you were doing\n",
    ),
    (
        libc::SIGFPE,
        b"broadsheet: fatal: SIGFPE (arithmetic fault): a bug: please report it with what you \
were doing\n",
    ),
    (
        libc::SIGABRT,
        b"broadsheet: fatal: SIGABRT (aborted): broadsheet stopped itself after an error it could \
not recover from (see any message above), a bug: please report it\n",
    ),
];

/// Said instead of the likely cause when another program sent the signal
/// (`kill -SEGV`): then it says nothing about broadsheet.
const SENT: &[u8] =
    b"broadsheet: fatal: a signal that ends programs was sent by another program (kill)\n";

/// Said after either: what the end means for the person's changes.
const AFTERMATH: &[u8] = b"broadsheet: the terminal was given back; a change made in the last \
moment before this may not have been saved\n";

/// Set by the first handler to run: one thread gives the terminal back and
/// reports, and the others wait for it to end the process.
static REPORTING: AtomicBool = AtomicBool::new(false);

/// How long a second handler waits for the first to end the process: 100
/// steps of 10 ms, far more than a few writes take.
const OTHER_REPORT_WAITS: u32 = 100;

/// One step of that wait.
const OTHER_REPORT_STEP: libc::timespec = libc::timespec {
    tv_sec: 0,
    tv_nsec: 10_000_000,
};

/// Bytes of the alternate signal stack, when the thread that takes the
/// terminal has none yet: enough for the handler, which uses little.
const ALTERNATE_STACK: usize = 64 * 1024;

/// The terminal's modes before raw mode, for the handler to put back.
/// Written once, before [`MODES_SAVED`] is set; read only after it is.
struct SavedModes(UnsafeCell<MaybeUninit<libc::termios>>);

// SAFETY: the cell is written once, by the thread that takes the terminal
// first, before `MODES_SAVED` is set (SeqCst); it is only read after that
// flag is seen set, and never written again.
unsafe impl Sync for SavedModes {}

static SAVED_MODES: SavedModes = SavedModes(UnsafeCell::new(MaybeUninit::uninit()));

/// Whether [`SAVED_MODES`] holds the terminal's modes.
static MODES_SAVED: AtomicBool = AtomicBool::new(false);

/// Saves the terminal's modes (to put back from the handler) and installs
/// the handlers, once. Call before raw mode is turned on. The modes are
/// those of the first start: a shell gives the same back at `fg`.
pub(super) fn arm() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        save_modes();
        ensure_alternate_stack();
        for (signal, _) in FATAL {
            install(signal);
        }
    });
}

/// Saves the modes of the terminal on stdin, the one the reader takes.
fn save_modes() {
    let mut modes = MaybeUninit::<libc::termios>::uninit();
    // SAFETY: tcgetattr writes a termios through a valid pointer, and is
    // checked before the value is used.
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, modes.as_mut_ptr()) } != 0 {
        // Not a terminal after all: the handler then leaves the modes be.
        return;
    }
    // SAFETY: the flag is not set yet, so no handler reads the cell, and
    // `Once` keeps any other writer out.
    unsafe { SAVED_MODES.0.get().write(modes) };
    MODES_SAVED.store(true, Ordering::SeqCst);
}

/// Gives the calling thread an alternate signal stack unless it has one
/// (Rust's runtime sets one up for its own stack-overflow report on most
/// systems). Threads started later get theirs from the runtime.
fn ensure_alternate_stack() {
    let mut current = MaybeUninit::<libc::stack_t>::zeroed();
    // SAFETY: with a null new stack, sigaltstack only writes the current
    // one through a valid pointer.
    let known = unsafe { libc::sigaltstack(std::ptr::null(), current.as_mut_ptr()) } == 0;
    // SAFETY: zeroed is a valid stack_t, and sigaltstack filled it when it
    // succeeded.
    let current = unsafe { current.assume_init() };
    if known && current.ss_flags & libc::SS_DISABLE == 0 {
        return;
    }
    // The stack must outlive every signal: it is never freed.
    let stack: &'static mut [u8] = Box::leak(vec![0u8; ALTERNATE_STACK].into_boxed_slice());
    let new = libc::stack_t {
        ss_sp: stack.as_mut_ptr().cast(),
        ss_flags: 0,
        ss_size: stack.len(),
    };
    // SAFETY: the stack is valid, writable memory for the life of the
    // process. A failure only means no report of a stack overflow.
    unsafe { libc::sigaltstack(&new, std::ptr::null_mut()) };
}

/// Installs [`on_fatal`] for `signal`, on the alternate stack, with the
/// sender's details. Not with SA_RESETHAND: that puts the default action
/// back for the whole process as the handler starts, so a second thread
/// meeting the same cut file would end the process at once, half-way
/// through the first thread's giving the terminal back. The handler puts
/// the default back itself, when it is done.
fn install(signal: c_int) {
    // SAFETY: a zeroed sigaction is a valid start (no flags, empty mask,
    // no restorer); every field that matters is set below.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = on_fatal as extern "C" fn(c_int, *mut libc::siginfo_t, *mut libc::c_void)
        as libc::sighandler_t;
    action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
    // SAFETY: the mask is a field of a valid sigaction; the action points
    // at a handler that only does what is async-signal-safe.
    unsafe {
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(signal, &action, std::ptr::null_mut());
    }
}

/// The handler: gives the terminal back if the reader has it, says what
/// happened, and raises the signal again with its default action.
extern "C" fn on_fatal(signal: c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    if REPORTING.swap(true, Ordering::SeqCst) {
        // Another thread met a fatal signal too (two threads reading the
        // same cut file): ending the process now could cut that thread off
        // half-way through giving the terminal back. It ends the process
        // when done; the wait is bounded in case the other handler is this
        // very thread's, interrupted by a second fault.
        for _ in 0..OTHER_REPORT_WAITS {
            // SAFETY: nanosleep is async-signal-safe; the pointers are to
            // a live timespec and null.
            unsafe { libc::nanosleep(&OTHER_REPORT_STEP, std::ptr::null_mut()) };
        }
    } else if TAKEN.swap(false, Ordering::SeqCst) {
        wait_for_frame_end();
        write_all(libc::STDOUT_FILENO, GIVE_BACK);
        if MODES_SAVED.load(Ordering::SeqCst) {
            // SAFETY: the flag says the cell was written, and it is never
            // written again; tcsetattr is async-signal-safe.
            unsafe {
                libc::tcsetattr(
                    libc::STDIN_FILENO,
                    libc::TCSANOW,
                    (*SAVED_MODES.0.get()).as_ptr(),
                );
            }
        }
    }
    let cause = FATAL
        .iter()
        .find(|(fatal, _)| *fatal == signal)
        .map_or(SENT, |(_, cause)| *cause);
    // SAFETY: the kernel hands a valid siginfo to an SA_SIGINFO handler
    // (checked for null all the same); getpid is async-signal-safe.
    let sent =
        !info.is_null() && unsafe { (*info).si_code <= 0 && (*info).si_pid() != libc::getpid() };
    write_all(libc::STDERR_FILENO, if sent { SENT } else { cause });
    write_all(libc::STDERR_FILENO, AFTERMATH);
    // SAFETY: signal and raise are async-signal-safe. With the default
    // action back, the signal ends the process: at once, or (blocked while
    // its handler runs) as soon as this handler returns; a fault met again
    // on return does the same. The exit status names it.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Set by the handler: no frame may start any more.
static STOPPED: AtomicBool = AtomicBool::new(false);

/// The thread writing a frame now (see [`thread_number`]), or 0.
static WRITING_THREAD: AtomicU64 = AtomicU64::new(0);

/// Marks a frame (or another sequence for the screen) being written, from
/// [`frame_begins`] until dropped.
pub(super) struct FrameMark(());

impl Drop for FrameMark {
    fn drop(&mut self) {
        WRITING_THREAD.store(0, Ordering::SeqCst);
    }
}

/// Marks the calling thread as writing to the screen, so that a fatal
/// signal in another thread waits for the frame to end before giving the
/// terminal back (a frame written after it would draw on the normal
/// screen); `None` once a handler has given the terminal back: then nothing
/// may be written.
pub(super) fn frame_begins() -> Option<FrameMark> {
    // Marked first, checked second, while the handler sets `STOPPED` first
    // and looks at the mark second (all SeqCst): either this sees the
    // handler's flag, or the handler sees this frame and waits for it.
    WRITING_THREAD.store(thread_number(), Ordering::SeqCst);
    if STOPPED.load(Ordering::SeqCst) {
        WRITING_THREAD.store(0, Ordering::SeqCst);
        return None;
    }
    Some(FrameMark(()))
}

/// Stops frames from starting and waits (a bounded time) for one being
/// written by another thread to end. The frame of the very thread the
/// signal came in is not waited for: it will never end.
fn wait_for_frame_end() {
    STOPPED.store(true, Ordering::SeqCst);
    let me = thread_number();
    for _ in 0..OTHER_REPORT_WAITS {
        let writing = WRITING_THREAD.load(Ordering::SeqCst);
        if writing == 0 || writing == me {
            return;
        }
        // SAFETY: as in `on_fatal`.
        unsafe { libc::nanosleep(&FRAME_WAIT_STEP, std::ptr::null_mut()) };
    }
}

/// One step of the wait for a frame: 100 of them wait up to 100 ms, far
/// more than a frame takes.
const FRAME_WAIT_STEP: libc::timespec = libc::timespec {
    tv_sec: 0,
    tv_nsec: 1_000_000,
};

/// A number for the calling thread, never 0, safe to take in a signal
/// handler: the kernel's thread id (a system call).
#[cfg(target_os = "linux")]
fn thread_number() -> u64 {
    // SAFETY: gettid takes nothing and cannot fail.
    u64::try_from(unsafe { libc::gettid() }).unwrap_or(u64::MAX)
}

/// A number for the calling thread, never 0: its pthread handle, read from
/// the thread's own pointer without a lock.
#[cfg(not(target_os = "linux"))]
fn thread_number() -> u64 {
    // SAFETY: pthread_self takes nothing and cannot fail.
    (unsafe { libc::pthread_self() } as u64).max(1)
}

/// Writes all of `bytes` to `fd` with `write(2)`, the only way out that is
/// safe in a signal handler; gives up on an error other than EINTR.
fn write_all(fd: c_int, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: the pointer and length describe a live slice.
        let written = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        match usize::try_from(written) {
            Ok(0) => return,
            Ok(count) => bytes = bytes.get(count..).unwrap_or_default(),
            // EINTR: another signal came first; anything else: give up.
            Err(_) if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The handler turns off every mode the reader turns on, with the
    /// same sequences crossterm writes when the reader leaves normally.
    #[test]
    fn the_bytes_written_turn_off_every_mode_the_reader_turns_on() {
        use ratatui::crossterm::Command;
        use ratatui::crossterm::cursor::Show;
        use ratatui::crossterm::event::DisableMouseCapture;
        use ratatui::crossterm::terminal::LeaveAlternateScreen;
        let mut expected = [String::new(), String::new(), String::new()];
        DisableMouseCapture.write_ansi(&mut expected[0]).unwrap();
        LeaveAlternateScreen.write_ansi(&mut expected[1]).unwrap();
        Show.write_ansi(&mut expected[2]).unwrap();
        let text = String::from_utf8_lossy(GIVE_BACK);
        for expected in expected {
            assert!(text.contains(&expected), "{expected:?} not in {text:?}");
        }
    }
}
