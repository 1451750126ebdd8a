//! The reader in a real pseudo-terminal: [`Session`] starts `broadsheet`
//! (or a shell) in a portable-pty inside a sandbox, copies everything it
//! writes into a shared [`Output`] on a reader thread, types keys, resizes,
//! sends signals and waits for the exit. Reading the screen is in
//! `screen.rs`, the checks on the terminal it leaves in `terminal.rs`.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

use super::{DEADLINE, Output, Sandbox, Shared, lock, poll_until, send_signal};

pub const ENTER: &[u8] = b"\r";
pub const CTRL_C: &[u8] = b"\x03";

/// Copies everything the child writes into the shared output until the
/// terminal closes.
pub fn drain(mut reader: Box<dyn Read + Send>, output: Shared) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => lock(&output).feed(&buffer[..n]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            // EIO: the child exited and the terminal's other end is closed.
            Err(_) => break,
        }
    }
    lock(&output).close();
}

/// `broadsheet` running in a pseudo-terminal. Dropping it kills the child
/// if it is still running, so a failed test never leaves it behind.
pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    pub(super) master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub(super) output: Shared,
    status: Option<ExitStatus>,
}

impl Session {
    pub fn start(sandbox: &Sandbox, cols: u16, rows: u16) -> Session {
        Session::start_with_env(sandbox, cols, rows, &[])
    }

    /// Starts `broadsheet ARGS` in a pseudo-terminal of `cols` x `rows`;
    /// with `colour`, `NO_COLOR` is left out of its environment.
    pub fn start_with_args(
        sandbox: &Sandbox,
        cols: u16,
        rows: u16,
        args: &[&str],
        colour: bool,
    ) -> Session {
        let mut command = command_in(sandbox, env!("CARGO_BIN_EXE_broadsheet"));
        command.args(args);
        if colour {
            command.env_remove("NO_COLOR");
        }
        Session::launch(cols, rows, command)
    }

    /// Starts the reader with extra environment variables.
    pub fn start_with_env(
        sandbox: &Sandbox,
        cols: u16,
        rows: u16,
        extra: &[(&str, &str)],
    ) -> Session {
        let mut command = command_in(sandbox, env!("CARGO_BIN_EXE_broadsheet"));
        for (key, value) in extra {
            command.env(key, value);
        }
        Session::launch(cols, rows, command)
    }

    /// Starts an interactive `bash` with job control (and without line
    /// editing, so the terminal it leaves alone is in cooked mode), where
    /// `$BROADSHEET` names the program; the prompt is `$ `.
    pub fn start_shell(sandbox: &Sandbox, cols: u16, rows: u16) -> Session {
        let mut command = command_in(sandbox, "bash");
        command.args(["--norc", "--noprofile", "--noediting", "-i"]);
        command.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        command.env("PS1", "$ ");
        command.env("BROADSHEET", env!("CARGO_BIN_EXE_broadsheet"));
        Session::launch(cols, rows, command)
    }

    /// Runs `command` in a new pseudo-terminal of `cols` x `rows`.
    fn launch(cols: u16, rows: u16, command: CommandBuilder) -> Session {
        let pair = native_pty_system()
            .openpty(pty_size(cols, rows))
            .expect("open a pseudo-terminal");
        let child = pair.slave.spawn_command(command).expect("start broadsheet");
        // Only the child may hold the terminal's other end, so that reading
        // ends when the child does.
        drop(pair.slave);
        let output = Arc::new(Mutex::new(Output::new(cols, rows)));
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

    /// Types `keys` as the terminal would send them.
    pub fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Presses `q`, and `q` again if the reader asks because a save is still
    /// running (it leaves on the first one otherwise).
    pub fn quit(&mut self) {
        self.press(b"q");
        let ask_again = Instant::now() + Duration::from_secs(5);
        poll_until(ask_again, || self.closed().then_some(()));
        if !self.closed() {
            self.press(b"q");
        }
    }

    /// Changes the terminal's size, as a user resizing the window does.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The parser first, so the frame drawn for the new size lands on a
        // screen of that size.
        lock(&self.output).resize(cols, rows);
        self.master
            .resize(pty_size(cols, rows))
            .expect("resize the pseudo-terminal");
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child's pid")
    }

    /// Sends a signal to the child.
    pub fn signal(&self, signal: libc::c_int) {
        send_signal(self.pid(), signal).unwrap_or_else(|error| panic!("kill: {error}"));
    }

    /// Waits for the child to exit and for everything it wrote to be read.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        let exited = poll_until(deadline, || {
            self.child.try_wait().expect("wait for broadsheet")
        });
        let status = exited.unwrap_or_else(|| {
            panic!(
                "broadsheet did not exit within {DEADLINE:?}; last screen:\n{}",
                self.screen_text()
            )
        });
        self.status = Some(status.clone());
        let closed = poll_until(deadline, || self.closed().then_some(()));
        assert!(
            closed.is_some(),
            "the terminal did not close after broadsheet exited"
        );
        status
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.status.is_none()
            && let Some(pid) = self.child.process_id()
        {
            let _ = send_signal(pid, libc::SIGKILL);
            let _ = self.child.wait();
        }
    }
}

/// `program` in the sandbox folder, with the sandbox's environment and
/// nothing else.
fn command_in(sandbox: &Sandbox, program: &str) -> CommandBuilder {
    let mut command = CommandBuilder::new(program);
    command.env_clear();
    for (key, value) in sandbox.environment() {
        command.env(key, value);
    }
    command.cwd(sandbox.path());
    command
}

pub fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

pub fn assert_exit_code(status: &ExitStatus, code: u32) {
    assert_eq!(
        (status.exit_code(), status.signal()),
        (code, None),
        "broadsheet exited with {status}"
    );
}

impl Session {
    /// Starts the reader in a pseudo-terminal of `cols` x `rows`, in the
    /// sandbox's environment but with `dir` as its working folder.
    pub fn start_in(sandbox: &Sandbox, dir: &std::path::Path, cols: u16, rows: u16) -> Session {
        let mut command = command_in(sandbox, env!("CARGO_BIN_EXE_broadsheet"));
        command.cwd(dir);
        Session::launch(cols, rows, command)
    }
}
