//! Commands trusting a watcher's record instead of checking every file
//! (`library::vouch`), through the binary: `broadsheet watch` (and the
//! reader) keep the record; `list` trusts it only while its watcher lives
//! and only for the cache write it names.
//!
//! How a test tells that a command trusted the record and did not check the
//! whole folder: the watcher is stopped (SIGSTOP), so it takes no event in,
//! and a file is changed; a command that checked every file would see the
//! change, one that trusted the record does not (until the watcher is
//! continued and has taken the change in). The same stop shows the
//! fall-backs: with the watcher killed, or the cache written anew, or
//! events lost, the change is seen.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Instant;

use common::{DEADLINE, Sandbox, poll_until, send_signal, wait_for_state};

/// What `broadsheet watch` says once commands trust it.
const TRUSTED: &str = "commands trust this watch now";

/// A `broadsheet watch` running in a sandbox, its stderr a line at a time.
struct Watcher {
    child: Child,
    lines: Receiver<String>,
    /// Every line read so far.
    said: Vec<String>,
}

impl Watcher {
    /// Starts `broadsheet watch` and waits until commands trust it.
    fn start(sandbox: &Sandbox) -> Watcher {
        let mut child = sandbox
            .command(&["watch"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("broadsheet watch starts");
        let stderr = child.stderr.take().expect("its stderr");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut watcher = Watcher {
            child,
            lines,
            said: Vec::new(),
        };
        watcher.wait_for(TRUSTED);
        watcher
    }

    /// Waits until the watcher has said a line holding `text`.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + DEADLINE;
        while !self.said.iter().any(|line| line.contains(text)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.said.push(line),
                Err(_) => panic!("the watcher never said {text:?}; it said {:#?}", self.said),
            }
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the watcher (SIGSTOP): it takes no event in until continued.
    fn pause(&self) {
        send_signal(self.pid(), libc::SIGSTOP).expect("SIGSTOP");
        wait_for_state(self.pid(), 'T');
    }

    fn resume(&self) {
        send_signal(self.pid(), libc::SIGCONT).expect("SIGCONT");
    }

    /// Kills the watcher with SIGKILL: it withdraws nothing.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.kill();
    }
}

/// 300 generated articles with their cache written: few enough to be quick,
/// enough that a few changes are not worth writing the cache again (which
/// would make the watcher check the whole folder anew).
fn folder() -> Sandbox {
    let sandbox = Sandbox::generated(300);
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "300");
    sandbox
}

/// Writes the article `name` (under the articles folder) with `title`.
fn write(sandbox: &Sandbox, name: &str, title: &str) {
    let path = sandbox.articles().join(name);
    fs::create_dir_all(path.parent().expect("a folder")).expect("the folder");
    fs::write(
        &path,
        format!(" date 2024-03-06 | Tagged: tests\n\n{title}\n\nIts body.\n"),
    )
    .expect("an article");
}

/// Whether `list` shows a line holding `text`.
fn listed(sandbox: &Sandbox, text: &str) -> bool {
    sandbox
        .cli(&["list"])
        .lines()
        .any(|line| line.contains(text))
}

/// Waits until `list` shows (or, `shown` false, no longer shows) `text`.
fn until_listed(sandbox: &Sandbox, text: &str, shown: bool) {
    let seen = poll_until(Instant::now() + DEADLINE, || {
        (listed(sandbox, text) == shown).then_some(())
    });
    assert!(
        seen.is_some(),
        "list {} {text:?} after {DEADLINE:?}",
        if shown { "never showed" } else { "still shows" }
    );
}

/// The folder's cache folder (the only one in the sandbox's cache home).
fn cache_folder(sandbox: &Sandbox) -> PathBuf {
    let home = sandbox.path().join("xdg-cache/broadsheet");
    let mut folders: Vec<PathBuf> = fs::read_dir(&home)
        .expect("the cache home")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    folders.remove(0)
}

#[test]
fn changes_reach_commands_through_the_watchers_record() {
    let sandbox = folder();
    let watcher = Watcher::start(&sandbox);
    write(&sandbox, "d0/new.txt", "Freshly Added Story");
    write(&sandbox, "d1/a00001.txt", "Rewritten Story");
    fs::remove_file(sandbox.articles().join("d2/a00002.txt")).expect("removed");
    until_listed(&sandbox, "Freshly Added Story", true);
    until_listed(&sandbox, "Rewritten Story", true);
    until_listed(&sandbox, "d2/a00002.txt", false);
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "300");
    // A change the stopped watcher has not taken in: a command that
    // trusts its record does not look at that file.
    watcher.pause();
    write(&sandbox, "d3/a00003.txt", "Changed While Stopped");
    assert!(!listed(&sandbox, "Changed While Stopped"));
    assert!(listed(&sandbox, "Generated Article Number 3"));
    watcher.resume();
    until_listed(&sandbox, "Changed While Stopped", true);
}

#[test]
fn a_watcher_killed_is_not_trusted() {
    let sandbox = folder();
    let mut watcher = Watcher::start(&sandbox);
    let record = cache_folder(&sandbox).join("watch.record");
    assert!(record.exists());
    watcher.kill();
    // Its record is left behind, of the cache in use; its lock is free.
    assert!(record.exists());
    write(&sandbox, "d3/a00003.txt", "Changed After The Kill");
    assert!(listed(&sandbox, "Changed After The Kill"));
}

#[test]
fn a_record_of_another_cache_write_is_not_trusted() {
    let sandbox = folder();
    let watcher = Watcher::start(&sandbox);
    watcher.pause();
    // The cache written anew (here: rebuilt) while the watcher cannot
    // notice: its record is of the write before.
    fs::remove_file(cache_folder(&sandbox).join("summaries.bin")).expect("removed");
    assert_eq!(sandbox.cli(&["list", "--count"]).trim(), "300");
    write(&sandbox, "d3/a00003.txt", "Changed After Another Write");
    assert!(listed(&sandbox, "Changed After Another Write"));
    watcher.resume();
}

#[test]
fn events_lost_mean_the_whole_folder_is_checked() {
    let sandbox = folder();
    let mut watcher = Watcher::start(&sandbox);
    watcher.pause();
    // More events than the kernel queues for a stopped watcher: the queue
    // overflows, and what comes after is lost.
    let queued: usize = fs::read_to_string("/proc/sys/fs/inotify/max_queued_events")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(16_384);
    let flood = sandbox.articles().join("flood.txt");
    for _ in 0..queued / 2 + 100 {
        fs::write(&flood, "x").expect("a file");
        fs::remove_file(&flood).expect("removed");
    }
    write(&sandbox, "d3/a00003.txt", "Changed After A Flood");
    watcher.resume();
    until_listed(&sandbox, "Changed After A Flood", true);
    // (The flood did overflow the queue: the change was not an event.)
    watcher.wait_for("file events were lost");
}

#[test]
fn one_watcher_at_a_time() {
    let sandbox = folder();
    let _watcher = Watcher::start(&sandbox);
    let error = sandbox.fails(&["watch"]);
    assert!(error.contains("is watched already"), "{error}");
}

#[test]
fn a_reader_vouches_for_the_folder() {
    let sandbox = folder();
    let record = |sandbox: &Sandbox| cache_folder(sandbox).join("watch.record");
    let mut reader = sandbox.start(100, 30);
    let vouched = poll_until(Instant::now() + DEADLINE, || {
        record(&sandbox).exists().then_some(())
    });
    assert!(vouched.is_some(), "the reader kept no record");
    send_signal(reader.pid(), libc::SIGSTOP).expect("SIGSTOP");
    wait_for_state(reader.pid(), 'T');
    write(
        &sandbox,
        "d3/a00003.txt",
        "Changed While The Reader Stopped",
    );
    assert!(!listed(&sandbox, "Changed While The Reader Stopped"));
    send_signal(reader.pid(), libc::SIGCONT).expect("SIGCONT");
    until_listed(&sandbox, "Changed While The Reader Stopped", true);
    reader.quit();
    // The reader gone (its record may be left behind), the next change is
    // seen at once: the whole folder checked.
    write(&sandbox, "d4/a00004.txt", "Changed After The Reader Quit");
    assert!(listed(&sandbox, "Changed After The Reader Quit"));
}
