//! Owning the terminal: raw mode, alternate screen, mouse reporting and a
//! hidden cursor while the reader runs, and always given back clean: on
//! quit, on error (drop), on panic (hook), on signals and on suspend, and
//! on a fatal signal such as SIGBUS ([`fatal`]); and handed over whole to
//! a program that runs in it (a text-mode browser) until it exits.

mod fatal;

use std::io::{self, Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, PoisonError, TryLockError};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::layout::Size;

/// Set by the panic hook once it has given the terminal back: a panic in a
/// worker thread ends the reader, and until the run loop sees that, it must
/// not draw over the panic message or take the terminal again.
static GIVEN_BACK_ON_PANIC: AtomicBool = AtomicBool::new(false);

/// Set while a program in the foreground has the terminal
/// ([`TerminalGuard::hand_over`]): the keys that make signals (Ctrl-C,
/// Ctrl-Z) are that program's then.
static HANDED_OVER: AtomicBool = AtomicBool::new(false);

/// Whether a program in the foreground has the terminal now.
pub(crate) fn handed_over() -> bool {
    HANDED_OVER.load(Ordering::SeqCst)
}

/// Set when SIGINT arrives while a program has the terminal: it was that
/// program's Ctrl-C. Noted in the handler itself, because the program may
/// exit of it before the signal thread gets to look at [`handed_over`].
static PROGRAMS_INTERRUPT: AtomicBool = AtomicBool::new(false);

/// Notes each SIGINT that arrives while a program has the terminal; to be
/// called before the signal thread's own handler is installed, so the
/// note is made before that thread hears of the signal.
pub(crate) fn note_programs_interrupts() -> io::Result<()> {
    static ONCE: Once = Once::new();
    let mut registered = Ok(());
    ONCE.call_once(|| {
        // SAFETY: the action only loads and stores atomics, which is
        // async-signal-safe.
        let action = unsafe {
            signal_hook::low_level::register(signal_hook::consts::SIGINT, || {
                if HANDED_OVER.load(Ordering::SeqCst) {
                    PROGRAMS_INTERRUPT.store(true, Ordering::SeqCst);
                }
            })
        };
        registered = action.map(drop);
    });
    registered
}

/// Whether a SIGINT came while a program had the terminal (and forgets
/// it): the signal thread then leaves the reader running.
pub(crate) fn take_programs_interrupt() -> bool {
    PROGRAMS_INTERRUPT.swap(false, Ordering::SeqCst)
}

/// Held while a frame is drawn, so the panic hook of another thread waits
/// for the frame to end instead of printing into the middle of it.
static DRAWING: Mutex<()> = Mutex::new(());

/// How long the panic hook waits for a frame being drawn. A frame takes
/// about a millisecond; the wait only runs out when the panic happened while
/// drawing, in the drawing thread itself, which holds the lock.
const PANIC_WAITS_FOR_FRAME: Duration = Duration::from_millis(200);

/// The terminal while the reader has it; dropping it restores the terminal.
pub(crate) struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    /// Takes over the terminal (and installs the panic hook once).
    pub(crate) fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        setup()?;
        let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok(TerminalGuard { terminal })
    }

    /// The terminal's size.
    pub(crate) fn size(&self) -> io::Result<Size> {
        self.terminal.size()
    }

    /// Draws one frame (nothing once a panic gave the terminal back).
    pub(crate) fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
        let _drawing = DRAWING.lock().unwrap_or_else(PoisonError::into_inner);
        if GIVEN_BACK_ON_PANIC.load(Ordering::SeqCst) {
            return Ok(());
        }
        let Some(_frame) = fatal::frame_begins() else {
            return Ok(());
        };
        self.terminal.draw(render).map(|_| ())
    }

    /// Writes a sequence the terminal acts on without drawing (OSC 52 to
    /// set the clipboard), between frames.
    pub(crate) fn send(&mut self, sequence: &str) -> io::Result<()> {
        let Some(_frame) = fatal::frame_begins() else {
            return Ok(());
        };
        let backend = self.terminal.backend_mut();
        backend.write_all(sequence.as_bytes())?;
        backend.flush()
    }

    /// Gives the terminal back, stops the process (as Ctrl-Z would in a
    /// shell), and takes the terminal again with a full redraw on `fg`.
    pub(crate) fn suspend(&mut self) -> io::Result<()> {
        restore();
        // SIGTSTP has a handler (for `kill -TSTP`), so emulate the default
        // action: stop until SIGCONT.
        let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
        self.resume()
    }

    /// Gives the terminal back as it was found (cooked mode, the normal
    /// screen, no mouse reporting, the cursor shown), runs `run` (which
    /// starts a program in the foreground and waits for it), and takes the
    /// terminal again with a full redraw, whatever `run` gave.
    pub(crate) fn hand_over<T>(&mut self, run: impl FnOnce() -> T) -> io::Result<T> {
        restore();
        HANDED_OVER.store(true, Ordering::SeqCst);
        let ran = run();
        HANDED_OVER.store(false, Ordering::SeqCst);
        self.resume()?;
        Ok(ran)
    }

    /// Takes the terminal again after the process was stopped and
    /// continued, and forgets what was on screen so the next frame is drawn
    /// whole.
    pub(crate) fn resume(&mut self) -> io::Result<()> {
        if GIVEN_BACK_ON_PANIC.load(Ordering::SeqCst) {
            return Ok(());
        }
        setup()?;
        // `Terminal::clear` would ask the terminal for the cursor position,
        // and the answer would go to the input thread's reader instead: clear
        // the screen directly and start from empty buffers, so the next frame
        // is drawn whole.
        execute!(stdout(), Clear(ClearType::All))?;
        self.terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok(())
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn setup() -> io::Result<()> {
    // Before raw mode: the handlers put back the modes found now.
    fatal::arm();
    fatal::TAKEN.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture, Hide)
}

/// Undoes [`setup`], once; errors are ignored because there is nothing
/// better to do while leaving, and every step should still be tried.
pub(crate) fn restore() {
    if !fatal::TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

/// Gives the terminal back before the panic message is printed, in whichever
/// thread the panic happens, so the message lands on the normal screen;
/// except for a panic in one feed's fetch, which is caught and becomes that
/// feed's failure while the reader goes on.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A feed's panic is caught and shown as that feed's failure;
            // the reader goes on, so the terminal stays as it is.
            if crate::feeds::isolate::inside() {
                return;
            }
            let drawing = wait_for_frame_end();
            GIVEN_BACK_ON_PANIC.store(true, Ordering::SeqCst);
            drop(drawing);
            restore();
            previous(info);
        }));
    });
}

/// Waits (a bounded time) until no frame is being drawn and keeps frames
/// from starting while the returned guard lives.
fn wait_for_frame_end() -> Option<std::sync::MutexGuard<'static, ()>> {
    let deadline = Instant::now() + PANIC_WAITS_FOR_FRAME;
    loop {
        match DRAWING.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => return Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(TryLockError::WouldBlock) => return None,
        }
    }
}
