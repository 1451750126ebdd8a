//! What the operating system says about the processes under test: their
//! state and children from /proc, a terminal's termios, and signals sent
//! to them.

use std::fs;
use std::os::fd::RawFd;
use std::time::Instant;

use super::{DEADLINE, poll_until};

/// The processes whose parent is `parent`, from /proc.
pub fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| process_stat(pid).is_some_and(|(_, ppid)| ppid == parent))
        .collect()
}

/// A process's state letter (`R`, `S`, `T` for stopped…) and parent id,
/// from /proc/PID/stat; `None` once it is gone.
pub fn process_stat(pid: u32) -> Option<(char, u32)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name in parentheses may hold spaces: start after it.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let mut fields = rest.split(' ');
    let state = fields.next()?.chars().next()?;
    let parent = fields.next()?.parse().ok()?;
    Some((state, parent))
}

/// Waits until `pid` is in the state `state` (`T`: stopped).
pub fn wait_for_state(pid: u32, state: char) {
    let state_now = || process_stat(pid).map(|(state, _)| state);
    let reached = poll_until(Instant::now() + DEADLINE, || {
        (state_now() == Some(state)).then_some(())
    });
    assert!(
        reached.is_some(),
        "process {pid} is in state {:?}, not {state}, after {DEADLINE:?}",
        state_now()
    );
}

/// Whether the terminal open as `fd` is in raw mode (no line editing, no
/// echo), from its termios.
pub fn terminal_is_raw(fd: RawFd) -> bool {
    // SAFETY: termios is plain data that tcgetattr fills in; tcgetattr
    // only reads the descriptor.
    let mut termios: libc::termios = unsafe { std::mem::zeroed() };
    let result = unsafe { libc::tcgetattr(fd, &mut termios) };
    assert_eq!(result, 0, "tcgetattr: {}", std::io::Error::last_os_error());
    termios.c_lflag & (libc::ICANON | libc::ECHO) == 0
}

/// Sends `signal` to the process `pid`.
pub fn send_signal(pid: u32, signal: libc::c_int) -> std::io::Result<()> {
    let pid = libc::pid_t::try_from(pid).map_err(std::io::Error::other)?;
    // SAFETY: kill only sends a signal; the tests send them only to
    // processes they started.
    if unsafe { libc::kill(pid, signal) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}
