//! Owning the terminal: raw mode, alternate screen, mouse reporting and a
//! hidden cursor while the reader runs, and always given back clean: on
//! quit, on error (drop), on panic (hook), on signals and on suspend.

use std::io::{self, Stdout, Write, stdout};
use std::sync::Once;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::layout::Size;

/// The terminal while the reader has it; dropping it restores the terminal.
pub struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    /// Takes over the terminal (and installs the panic hook once).
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        setup()?;
        let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok(TerminalGuard { terminal })
    }

    /// The terminal's size.
    pub fn size(&self) -> io::Result<Size> {
        self.terminal.size()
    }

    /// Draws one frame.
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
        self.terminal.draw(render).map(|_| ())
    }

    /// Gives the terminal back, stops the process (as Ctrl-Z would in a
    /// shell), and takes the terminal again with a full redraw on `fg`.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        // SIGTSTP has a handler (for `kill -TSTP`), so emulate the default
        // action: stop until SIGCONT.
        let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
        self.resume()
    }

    /// Takes the terminal again after the process was stopped and
    /// continued, and forgets what was on screen so the next frame is drawn
    /// whole.
    pub fn resume(&mut self) -> io::Result<()> {
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
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture, Hide)
}

/// Undoes [`setup`]; errors are ignored because there is nothing better to
/// do while leaving, and every step should still be tried.
pub fn restore() {
    let mut out = stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
