//! Fatal signals in the reader, in a real pseudo-terminal: a cache file cut
//! short under the reader (SIGBUS when it reads the mapped rows) and a
//! SIGSEGV sent from outside both end the reader with the signal, and both
//! leave the terminal given back clean with a message saying what happened.

mod common;

use std::ffi::CStr;
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::*;

/// How many times the cache is cut short before the test gives up.
const ROUNDS: usize = 3;

/// The name the system gives a signal, as the exit status reports it.
fn signal_name(signal: libc::c_int) -> String {
    // SAFETY: strsignal returns a pointer to a NUL-terminated string that
    // stays valid until the next call; it is copied at once.
    let name = unsafe { libc::strsignal(signal) };
    assert!(!name.is_null(), "no name for signal {signal}");
    // SAFETY: not null, NUL-terminated (above).
    unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned()
}

/// The `summaries.bin` of the sandbox's one cache folder.
fn summaries_file(sandbox: &Sandbox) -> PathBuf {
    let base = sandbox.path().join("xdg-cache/broadsheet");
    let folders: Vec<PathBuf> = fs::read_dir(&base)
        .unwrap_or_else(|err| panic!("{}: {err}", base.display()))
        .map(|entry| entry.expect("a cache folder entry").path())
        .collect();
    match folders.as_slice() {
        [folder] => folder.join("summaries.bin"),
        others => panic!("expected one cache folder, found {others:?}"),
    }
}

/// Checks that the reader died of `signal`, gave the terminal back, and
/// said `expected` after leaving the alternate screen.
fn assert_died_cleanly_of(session: &mut Session, signal: libc::c_int, expected: &[&str]) {
    let status = session.wait_exit();
    assert_eq!(
        status.signal(),
        Some(signal_name(signal).as_str()),
        "broadsheet exited with {status}; last screen:\n{}",
        session.screen_text()
    );
    session.assert_terminal_restored();
    let after_leaving = session.after_leaving();
    for expected in expected {
        assert!(
            after_leaving.contains(expected),
            "{expected:?} not said after leaving: {after_leaving:?}"
        );
    }
}

/// `: > summaries.bin` while the reader has it mapped: the next key that
/// reads the list's rows meets a file with no bytes behind the map.
#[test]
fn a_cache_cut_short_under_the_reader_gives_the_terminal_back_and_says_why() {
    let sandbox = Sandbox::generated(3_000);
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "3000");
    let summaries = summaries_file(&sandbox);
    assert!(summaries.is_file(), "no cache at {}", summaries.display());
    let mut session = sandbox.start(100, 30);
    session.wait_for_text(&["3000/3000", "Generated Article Number"]);
    // The start-up check may still write the cache anew and map the new
    // file: each round cuts short the file there is now.
    for _ in 0..ROUNDS {
        // Cut short in place, as `: >` does: the same file, no bytes left.
        fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&summaries)
            .expect("truncate summaries.bin");
        // Keys that read rows: scrolling, the end of the list, a search.
        session.press(b"jjjjG");
        session.press(b"/number 12\r");
        let round_ends = Instant::now() + Duration::from_secs(5);
        if poll_until(round_ends, || session.closed().then_some(())).is_some() {
            break;
        }
        session.press(b"\x1b");
    }
    assert_died_cleanly_of(
        &mut session,
        libc::SIGBUS,
        &[
            "SIGBUS",
            "was cut short or replaced in place by another program",
            "the cache is rebuilt at the next start",
        ],
    );
    // As said: the next start rebuilds the cache and lists every article.
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "3000");
}

/// Any other fatal signal, here one sent from outside: the same clean end.
#[test]
fn a_segmentation_fault_signal_gives_the_terminal_back_and_says_so() {
    let sandbox = Sandbox::samples();
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.signal(libc::SIGSEGV);
    assert_died_cleanly_of(
        &mut session,
        libc::SIGSEGV,
        &["sent by another program", "the terminal was given back"],
    );
}
