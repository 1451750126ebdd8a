//! Faults around the files broadsheet saves and reads: processes killed
//! while saving, paths that cannot be written, several readers and scripts
//! changing the same files at once, corrupt state files and broken
//! configuration files. A user must never lose a confirmed bookmark, never
//! see a crash, and always be told which file is at fault.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use broadsheet::store::{BookmarkStore, ReadStore};
use common::{Sandbox, assert_exit_code, list_header, status_line};

/// How long the kill loop may run at most.
const KILL_LOOP_TIME: Duration = Duration::from_secs(20);
/// How many rounds the kill loop runs at most.
const KILL_LOOP_ROUNDS: usize = 200;

/// A small xorshift generator: enough to vary kill delays, seeded from the
/// clock so runs differ, and printed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn from_clock() -> Rng {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(1);
        Rng(u64::from(nanos) | 1)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}

fn sigkill(child: &std::process::Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill only sends a signal to our own child process.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
}

/// The saved files' names in the sandbox that start with `prefix`.
fn files_starting(dir: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with(prefix))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The bookmarks on disk, read through the store; fails when the file
/// does not parse.
fn saved_bookmarks(sandbox: &Sandbox) -> BTreeSet<String> {
    let loaded = BookmarkStore::new(sandbox.path().join("bookmarks.toml"))
        .load()
        .expect("bookmarks.toml can be read");
    assert!(
        loaded.problem.is_none() && loaded.moved_aside.is_none(),
        "bookmarks.toml does not parse: {:?}",
        loaded.problem
    );
    loaded.value.into_iter().map(|b| b.id).collect()
}

fn saved_read_marks(sandbox: &Sandbox) -> BTreeSet<String> {
    let loaded = ReadStore::new(sandbox.path().join("state.toml"))
        .load()
        .expect("state.toml can be read");
    assert!(
        loaded.problem.is_none() && loaded.moved_aside.is_none(),
        "state.toml does not parse: {:?}",
        loaded.problem
    );
    loaded.value
}

/// The ids of the sandbox's articles in list order.
fn listed_ids(sandbox: &Sandbox) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["list", "--json"])).expect("list --json is JSON");
    json.as_array()
        .expect("an array")
        .iter()
        .filter_map(|row| row["id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn sigkill_while_saving_never_loses_a_confirmed_bookmark_or_breaks_a_file() {
    let sandbox = Sandbox::generated(60);
    let ids = listed_ids(&sandbox);
    let mut rng = Rng::from_clock();
    println!("seed {}", rng.0);
    let mut confirmed_bookmarks = BTreeSet::new();
    let mut confirmed_reads = BTreeSet::new();
    let mut killed = 0;
    let until = Instant::now() + KILL_LOOP_TIME;
    for round in 0..KILL_LOOP_ROUNDS {
        if Instant::now() > until {
            break;
        }
        let bookmark_id = &ids[round % ids.len()];
        let read_id = &ids[(round * 7 + 3) % ids.len()];
        let spawn = |args: &[&str]| {
            sandbox
                .command(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start broadsheet")
        };
        let mut children = [
            (
                spawn(&["bookmark", "add", bookmark_id]),
                bookmark_id.clone(),
                true,
            ),
            (spawn(&["read", read_id]), read_id.clone(), false),
        ];
        // Fault injection, not synchronisation: kill some of them at a
        // random moment of their short lives.
        if rng.below(2) == 0 {
            thread::sleep(Duration::from_millis(rng.below(40)));
            let victim = usize::try_from(rng.below(2)).unwrap_or(0);
            sigkill(&children[victim].0);
        }
        for (child, id, is_bookmark) in &mut children {
            let status = child.wait().expect("wait for broadsheet");
            match status.code() {
                Some(0) if *is_bookmark => {
                    confirmed_bookmarks.insert(id.clone());
                }
                Some(0) => {
                    confirmed_reads.insert(id.clone());
                }
                Some(code) => panic!("broadsheet failed with {code} without being killed"),
                None => killed += 1,
            }
        }
    }
    println!("{killed} processes killed");
    assert!(
        killed > 0,
        "no save was ever killed: the test could not fail"
    );

    let saved = saved_bookmarks(&sandbox);
    let lost: Vec<_> = confirmed_bookmarks.difference(&saved).collect();
    assert!(lost.is_empty(), "confirmed bookmarks lost: {lost:?}");
    let reads = saved_read_marks(&sandbox);
    let lost: Vec<_> = confirmed_reads.difference(&reads).collect();
    assert!(lost.is_empty(), "confirmed read marks lost: {lost:?}");
    assert_eq!(
        files_starting(sandbox.path(), "bookmarks.toml.corrupt"),
        Vec::<String>::new(),
        "a killed save left a file that does not parse"
    );

    // A final change goes through and the files still parse.
    sandbox.cli(&["bookmark", "add", &ids[0], "--note", "after the storm"]);
    sandbox.cli(&["read", &ids[1]]);
    assert!(saved_bookmarks(&sandbox).contains(&ids[0]));
    assert!(saved_read_marks(&sandbox).contains(&ids[1]));
    // A temporary file of a process killed between creating and renaming it
    // names that process, which is gone now: the final changes swept them.
    let temps: Vec<String> = files_starting(sandbox.path(), ".bookmarks.toml.tmp")
        .into_iter()
        .chain(files_starting(sandbox.path(), ".state.toml.tmp"))
        .collect();
    assert!(
        temps.is_empty(),
        "temporary files of {killed} killed processes left behind: {temps:?}"
    );
}

/// The reader killed outright while it saves bookmarks made in quick
/// succession: every bookmark that was on disk before the kill is still
/// there, the file parses, and the next reader's save leaves no temporary
/// file behind.
#[test]
fn sigkill_of_the_reader_while_saving_keeps_every_saved_bookmark() {
    const ROUNDS: usize = 6;
    const PER_ROUND: usize = 6;
    let sandbox = Sandbox::generated(ROUNDS * PER_ROUND + 1);
    let ids: BTreeSet<String> = listed_ids(&sandbox).into_iter().collect();
    let total = format!("{0}/{0}", ids.len());
    let mut rng = Rng::from_clock();
    println!("seed {}", rng.0);
    for round in 0..ROUNDS {
        let mut session = sandbox.start(100, 30);
        session.wait_for_text(&[&total]);
        // Move past the articles earlier rounds bookmarked, then bookmark
        // a fresh one per key pair, as fast as a paste.
        let mut keys = b"j".repeat(round * PER_ROUND);
        keys.extend(b"bj".repeat(PER_ROUND));
        let saved_earlier = saved_bookmarks(&sandbox).len();
        session.press(&keys);
        // Kill at a random moment once the saves of this round are under
        // way (the first is on disk), while the others are being written.
        let deadline = Instant::now() + common::DEADLINE;
        while saved_bookmarks(&sandbox).len() == saved_earlier {
            assert!(Instant::now() < deadline, "round {round}: nothing saved");
            thread::sleep(Duration::from_millis(1));
        }
        thread::sleep(Duration::from_millis(rng.below(25)));
        let before = saved_bookmarks(&sandbox);
        session.signal(libc::SIGKILL);
        session.wait_exit();
        let after = saved_bookmarks(&sandbox);
        println!(
            "round {round}: {} saved before the kill, {} after",
            before.len(),
            after.len()
        );
        let lost: Vec<_> = before.difference(&after).collect();
        assert!(
            lost.is_empty(),
            "round {round}: saved bookmarks lost: {lost:?}"
        );
        assert!(
            after.is_subset(&ids),
            "round {round}: unknown ids in {after:?}"
        );
    }
    assert_eq!(
        files_starting(sandbox.path(), "bookmarks.toml.corrupt"),
        Vec::<String>::new(),
        "a killed save left a file that does not parse"
    );
    // One more reader saves once and quits: temporary files of the killed
    // ones are gone.
    let count = format!("★{}", saved_bookmarks(&sandbox).len() + 1);
    let mut session = sandbox.start(100, 30);
    session.wait_for_text(&[&total]);
    session.press(b"G");
    session.press(b"b");
    session.wait_for("the last bookmark saved", |screen| {
        let status = status_line(screen);
        status.contains(&count) && !status.contains("saving")
    });
    session.press(b"q");
    assert_exit_code(&session.wait_exit(), 0);
    let temps = files_starting(sandbox.path(), ".bookmarks.toml.tmp");
    assert!(temps.is_empty(), "temporary files left: {temps:?}");
}

// ----- paths that cannot be written -------------------------------------------

#[test]
fn the_cli_names_a_bookmarks_path_that_is_a_folder() {
    let sandbox = Sandbox::samples();
    fs::create_dir(sandbox.path().join("bookmarks.toml")).expect("a folder in the way");
    let output = sandbox.run(&["bookmark", "add", common::NEWEST]);
    assert_eq!(output.status.code(), Some(1), "bookmark add should fail");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bookmarks.toml"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_cli_names_a_path_under_a_regular_file() {
    for (key, args, name) in [
        (
            "bookmarks",
            ["bookmark", "add", common::NEWEST],
            "plain/bookmarks.toml",
        ),
        ("state", ["read", common::NEWEST, ""], "plain/state.toml"),
    ] {
        let sandbox = Sandbox::samples();
        fs::write(sandbox.path().join("plain"), "a file, not a folder").expect("a file");
        sandbox.write_config(&format!("{key} = \"{name}\"\n"));
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let output = sandbox.run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(name),
            "{args:?} does not name {name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn the_reader_keeps_a_bookmark_it_cannot_save_and_says_so() {
    let sandbox = Sandbox::samples();
    fs::create_dir(sandbox.path().join("bookmarks.toml")).expect("a folder in the way");
    let after = common::bookmark_in_a_reader_that_cannot_save(&sandbox);
    assert!(after.contains("bookmarks.toml"), "{after:?}");
}

#[test]
fn the_reader_keeps_a_read_mark_it_cannot_save_and_says_so() {
    let sandbox = Sandbox::samples();
    // A path below a file can never be written, whoever runs the test.
    sandbox.write_config("state = \"config.toml/state.toml\"\n");
    let mut session = sandbox.start(100, 30);
    session.wait_for_samples();
    session.watch("not saved");
    session.press(common::ENTER);
    session.wait_until_seen("not saved");
    session.press(b"\x1b");
    session.wait_for("the list focused", |screen| {
        common::screen_rows(screen)
            .pop()
            .is_some_and(|hints| hints.contains("enter open"))
    });
    // The read mark stays in memory: the row has no unread mark.
    session.wait_for("the read mark", |screen| {
        common::list_row(screen, common::NEWEST_DATE).is_some_and(|row| !row.contains('•'))
    });
    session.watch("quit again");
    session.press(b"q");
    session.wait_until_seen("quit again");
    session.press(b"q");
    let status = session.wait_exit();
    assert_exit_code(&status, 1);
    session.assert_terminal_restored();
    let raw = String::from_utf8_lossy(&session.raw()).into_owned();
    let after = raw.rsplit("\x1b[?1049l").next().unwrap_or_default();
    assert!(after.contains("not saved"), "{after:?}");
    assert!(after.contains("state.toml"), "{after:?}");
}

/// A folder this user cannot create files in: one without write
/// permission, or, for root (who may write anywhere), sysfs or procfs, where
/// nobody can. Each candidate is checked, so the tests using it cannot pass
/// vacuously.
fn read_only_place(sandbox: &Sandbox) -> std::path::PathBuf {
    let folder = sandbox.path().join("read-only");
    fs::create_dir(&folder).expect("a folder");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).expect("chmod 555");
    [folder, "/sys".into(), "/proc".into()]
        .into_iter()
        .find(|place| fs::write(place.join("broadsheet-probe"), "x").is_err())
        .expect("no folder refuses new files: nothing to test with")
}

#[test]
fn a_read_only_place_is_a_clear_error_and_the_reader_keeps_the_bookmark() {
    let sandbox = Sandbox::samples();
    let place = read_only_place(&sandbox);
    let path = place.join("bookmarks.toml");
    sandbox.write_config(&format!("bookmarks = {:?}\n", path.display().to_string()));

    let output = sandbox.run(&["bookmark", "add", common::NEWEST]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    // What the system said (permission denied, or no such file in procfs)
    // and what to do.
    assert!(
        stderr.contains("choose another path") || stderr.contains("check the path"),
        "says what is wrong and what to do: {stderr}"
    );

    let after = common::bookmark_in_a_reader_that_cannot_save(&sandbox);
    assert!(after.contains(&path.display().to_string()), "{after:?}");
}

// ----- many writers at once -----------------------------------------------------

/// Bookmarks the articles at list positions `positions` (0-based, in
/// order) in a running reader.
fn bookmark_positions(
    session: &mut common::Session,
    positions: std::ops::Range<usize>,
    total: usize,
) {
    for _ in 0..positions.start {
        session.press(b"j");
    }
    for position in positions {
        let wanted = format!(" {}/{total}", position + 1);
        session.wait_for(&format!("position {}", position + 1), |screen| {
            list_header(screen).contains(&wanted)
        });
        session.press(b"b");
        session.press(b"j");
    }
}

#[test]
fn two_readers_and_the_cli_at_once_lose_no_bookmark() {
    let sandbox = Sandbox::generated(30);
    let ids = listed_ids(&sandbox);
    let total = ids.len();
    let mut first = sandbox.start(100, 30);
    let mut second = sandbox.start(100, 30);
    let loaded = format!("{total}/{total}");
    first.wait_for_text(&[&loaded]);
    second.wait_for_text(&[&loaded]);
    let script = {
        let cli_ids = ids[20..].to_vec();
        let mut commands: Vec<Command> = cli_ids
            .iter()
            .map(|id| sandbox.command(&["bookmark", "add", id]))
            .collect();
        thread::spawn(move || {
            commands
                .iter_mut()
                .map(|command| {
                    command
                        .output()
                        .map(|o| o.status.success())
                        .unwrap_or(false)
                })
                .collect::<Vec<bool>>()
        })
    };
    bookmark_positions(&mut first, 0..10, total);
    bookmark_positions(&mut second, 10..20, total);
    let script_results = script.join().expect("the script thread");
    assert!(script_results.iter().all(|ok| *ok), "a CLI change failed");
    for session in [&mut first, &mut second] {
        session.wait_for("saves done", |screen| {
            !status_line(screen).contains("saving")
        });
        session.quit();
        let status = session.wait_exit();
        assert_exit_code(&status, 0);
    }
    let saved = saved_bookmarks(&sandbox);
    let missing: Vec<_> = ids.iter().filter(|id| !saved.contains(*id)).collect();
    assert!(missing.is_empty(), "bookmarks lost: {missing:?}");
}

// ----- corrupt state files ------------------------------------------------------

/// Broken contents for a state file, each with a name.
fn broken_contents(valid: &str) -> Vec<(&'static str, Vec<u8>)> {
    let cut = valid.len() / 2;
    vec![
        ("garbage", b"this is [[not toml\n= = =\n".to_vec()),
        ("empty", Vec::new()),
        ("blank", b" \n\t\r\n".to_vec()),
        ("NUL-filled", vec![0u8; 512]),
        ("truncated", valid.as_bytes()[..cut].to_vec()),
        ("future version", b"version = 99\n".to_vec()),
        ("binary", (0..=255u8).rev().collect()),
        (
            "deeply nested",
            [b"a = ".as_slice(), &[b'['; 100_000]].concat(),
        ),
    ]
}

const VALID_BOOKMARKS: &str = "version = 1\n\n[[bookmark]]\nid = \"000_b4046600ca63d592.txt\"\n\
    title = \"Heartstopper Season 3\"\ndate = 2024-12-24\nadded = 2026-11-21T10:00:00Z\nnote = \"kept\"\n";
const VALID_STATE: &str =
    "version = 1\nread = [\"000_b4046600ca63d592.txt\", \"001_900db8947a90b09e.txt\"]\n";

/// Asserts the broken file was moved aside byte for byte and a fresh file
/// took its place.
fn assert_moved_aside(sandbox: &Sandbox, name: &str, original: &[u8], case: &str) {
    let aside = files_starting(sandbox.path(), &format!("{name}.corrupt-"));
    assert_eq!(aside.len(), 1, "{case}: {name} moved aside once: {aside:?}");
    let kept = fs::read(sandbox.path().join(&aside[0])).expect("the moved file");
    assert_eq!(kept, original, "{case}: the moved-aside {name} was changed");
}

#[test]
fn corrupt_bookmarks_are_moved_aside_reported_and_never_overwritten_by_the_cli() {
    assert_cli_moves_aside(
        "bookmarks.toml",
        VALID_BOOKMARKS,
        &["bookmark", "add", common::NEWEST],
        saved_bookmarks,
    );
}

#[test]
fn corrupt_read_state_is_moved_aside_reported_and_never_overwritten_by_the_cli() {
    assert_cli_moves_aside(
        "state.toml",
        VALID_STATE,
        &["read", common::NEWEST],
        saved_read_marks,
    );
}

/// For every broken form of the store file `name`: running `args` (which
/// saves the newest sample in it) succeeds, reports the file, moves it aside
/// byte for byte, and leaves a fresh file holding just that change, as
/// `saved` reads it.
fn assert_cli_moves_aside(
    name: &str,
    valid: &str,
    args: &[&str],
    saved: fn(&Sandbox) -> BTreeSet<String>,
) {
    for (case, bytes) in broken_contents(valid) {
        let sandbox = Sandbox::samples();
        fs::write(sandbox.path().join(name), &bytes).expect("broken file");
        let output = sandbox.run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        assert!(stderr.contains(name), "{case}: not reported: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{case}: {stderr}");
        assert_moved_aside(&sandbox, name, &bytes, case);
        assert_eq!(
            saved(&sandbox),
            BTreeSet::from([common::NEWEST.to_string()]),
            "{case}"
        );
    }
}

#[test]
fn the_reader_moves_corrupt_files_aside_and_reports_them() {
    for (case, bytes) in broken_contents(VALID_BOOKMARKS) {
        let sandbox = Sandbox::samples();
        fs::write(sandbox.path().join("bookmarks.toml"), &bytes).expect("broken file");
        fs::write(sandbox.path().join("state.toml"), &bytes).expect("broken file");
        let mut session = sandbox.start(100, 30);
        session.watch("bookmarks.toml");
        session.wait_for_samples();
        session.wait_until_seen("bookmarks.toml");
        session.press(b"b");
        session.wait_for("the bookmark mark", |screen| {
            common::list_row(screen, common::NEWEST_DATE).is_some_and(|row| row.contains('★'))
        });
        session.wait_for("saves done", |screen| {
            !status_line(screen).contains("saving")
        });
        session.quit();
        let status = session.wait_exit();
        assert_exit_code(&status, 0);
        assert_moved_aside(&sandbox, "bookmarks.toml", &bytes, case);
        assert_moved_aside(&sandbox, "state.toml", &bytes, case);
        assert!(saved_bookmarks(&sandbox).contains(common::NEWEST), "{case}");
    }
}

// ----- broken configuration files -------------------------------------------------

#[test]
fn broken_config_files_are_errors_with_line_and_column_never_panics() {
    let valid = "[library]\narticles = \"articles\"\n";
    let nested = format!("a = {}", "[".repeat(100_000));
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("empty", Vec::new(), true),
        (
            "BOM",
            [b"\xef\xbb\xbf".as_slice(), valid.as_bytes()].concat(),
            true,
        ),
        ("CRLF", valid.replace('\n', "\r\n").into_bytes(), true),
        ("NUL-filled", vec![0u8; 256], false),
        ("cut off", b"[library]\narticles = \"artic".to_vec(), false),
        ("cut off table", b"[libr".to_vec(), false),
        ("deeply nested", nested.into_bytes(), false),
        (
            "deeply nested tables",
            "x = "
                .bytes()
                .chain("{ a = ".repeat(50_000).bytes())
                .collect(),
            false,
        ),
        ("wrong type", b"[library]\narticles = 5\n".to_vec(), false),
        (
            "wrong table type",
            b"library = \"articles\"\n".to_vec(),
            false,
        ),
        (
            "duplicate keys",
            b"[library]\narticles = \"a\"\narticles = \"b\"\n".to_vec(),
            false,
        ),
        (
            "duplicate tables",
            b"[library]\n[library]\n".to_vec(),
            false,
        ),
        (
            "invalid UTF-8",
            b"[library]\narticles = \"\xff\xfe\"\n".to_vec(),
            false,
        ),
        (
            "escape in key",
            b"[library]\n\"\x1b[2J\" = 1\n".to_vec(),
            false,
        ),
    ];
    let sandbox = Sandbox::samples();
    for (case, bytes, valid) in cases {
        let file = sandbox.path().join("broken.toml");
        fs::write(&file, &bytes).expect("config file");
        let output = sandbox.run(&["--config", "broken.toml", "check"]);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        if valid {
            assert_eq!(output.status.code(), Some(0), "{case}: {stderr}");
            continue;
        }
        assert_eq!(output.status.code(), Some(1), "{case}: {stderr}");
        assert!(
            has_line_column(&stderr, "broken.toml"),
            "{case}: no file:line:column in {stderr:?}"
        );
        assert!(
            !stderr.chars().any(|c| c.is_control() && c != '\n'),
            "{case}: control characters in {stderr:?}"
        );
    }
}

/// Whether `text` holds `<...name>:<line>:<column>`.
fn has_line_column(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let rest = &text[at + name.len()..];
        let mut parts = rest.splitn(3, ':');
        let empty = parts.next() == Some("");
        let number = |part: Option<&str>| {
            part.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        };
        let line = parts.next();
        let column = parts
            .next()
            .map(|p| p.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(""));
        empty && number(line) && number(column)
    })
}

// ----- state files that are not regular files -------------------------------------

/// Runs a headless command and waits for it with a deadline; a command
/// still running then is killed and reported as hung (`None`). The child
/// may use at most 2 GiB of memory, so one reading an endless device fails
/// instead of exhausting the machine.
fn run_bounded(sandbox: &Sandbox, args: &[&str]) -> Option<std::process::Output> {
    use std::os::unix::process::CommandExt;
    let mut command = sandbox.command(args);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and only limits the child.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 2 << 30,
                rlim_max: 2 << 30,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    let mut child = command.spawn().expect("start broadsheet");
    let deadline = Instant::now() + common::DEADLINE;
    loop {
        if child.try_wait().expect("wait for broadsheet").is_some() {
            return Some(child.wait_with_output().expect("the output"));
        }
        if Instant::now() > deadline {
            sigkill(&child);
            let _ = child.wait();
            return None;
        }
        thread::sleep(common::POLL);
    }
}

/// Makes a FIFO at `path`.
fn make_fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("a path");
    // SAFETY: mkfifo reads a NUL-terminated path that lives across the call.
    let made = unsafe { libc::mkfifo(path.as_ptr(), 0o644) };
    assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
}

/// Makes a character device node at `path` (only root can); returns
/// whether it could.
fn make_char_device(path: &Path, major: u32, minor: u32) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: mknod reads a NUL-terminated path that lives across the call.
    let made = unsafe {
        libc::mknod(
            name.as_ptr(),
            libc::S_IFCHR | 0o644,
            libc::makedev(major, minor),
        )
    };
    made == 0
}

/// Asserts a command on a state file that is not a regular file ended in
/// time with exit code 1, named the file and said what is wrong with it (in
/// the words the loader uses for such article files), rather than failing
/// only when memory ran out.
fn assert_refused(sandbox: &Sandbox, args: &[&str], name: &str) {
    let output = run_bounded(sandbox, args)
        .unwrap_or_else(|| panic!("broadsheet {args:?} hung on a {name} that is not a file"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(
        stderr.contains(name),
        "{args:?} does not name {name}: {stderr}"
    );
    assert!(
        stderr.contains("not a regular file"),
        "{args:?} does not say {name} is not a regular file: {stderr}"
    );
}

#[test]
fn a_fifo_in_place_of_the_bookmarks_file_is_an_error_not_a_hang() {
    let sandbox = Sandbox::samples();
    make_fifo(&sandbox.path().join("bookmarks.toml"));
    assert_refused(&sandbox, &["bookmarks"], "bookmarks.toml");
    assert_refused(
        &sandbox,
        &["bookmark", "add", common::NEWEST],
        "bookmarks.toml",
    );
}

#[test]
fn a_state_file_linked_to_an_endless_device_is_an_error_not_a_hang() {
    let sandbox = Sandbox::samples();
    // A device node of our own, so nothing outside the sandbox is at risk.
    let device = sandbox.path().join("zero-device");
    if !make_char_device(&device, 1, 5) {
        println!("not root: no device node of our own can be made; nothing checked");
        return;
    }
    std::os::unix::fs::symlink(&device, sandbox.path().join("state.toml")).expect("link");
    assert_refused(&sandbox, &["read", common::NEWEST], "state.toml");
}

#[test]
fn a_state_file_linked_to_a_device_never_replaces_the_device() {
    let sandbox = Sandbox::samples();
    // A null device node of our own: with the bug, running as root, a
    // link to the real /dev/null has it replaced by a regular file.
    let device = sandbox.path().join("null-device");
    if !make_char_device(&device, 1, 3) {
        println!("not root: no device node of our own can be made; nothing checked");
        return;
    }
    std::os::unix::fs::symlink(&device, sandbox.path().join("state.toml")).expect("link");
    let output = run_bounded(&sandbox, &["read", common::NEWEST]).expect("read ends");
    let still_a_device = fs::metadata(&device).is_ok_and(|meta| {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_char_device()
    });
    assert!(
        still_a_device,
        "the device state.toml links to was replaced by a regular file"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("state.toml"), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn the_reader_stays_usable_with_a_fifo_in_place_of_the_bookmarks_file() {
    let sandbox = Sandbox::samples();
    make_fifo(&sandbox.path().join("bookmarks.toml"));
    let mut session = sandbox.start(100, 30);
    session.watch("bookmarks.toml");
    session.wait_for_samples();
    session.wait_until_seen("bookmarks.toml");
    session.press(b"j");
    session.wait_for("the second article selected", |screen| {
        list_header(screen).contains("2/5")
    });
    session.quit();
    session.wait_exit();
    session.assert_terminal_restored();
}

#[test]
fn the_reader_quits_cleanly_with_a_fifo_as_its_bookmarks_file() {
    let sandbox = Sandbox::samples();
    make_fifo(&sandbox.path().join("bookmarks.toml"));
    let mut session = sandbox.start(100, 30);
    session.wait_for_text(&["5/5"]);
    session.quit();
    let status = session.wait_exit();
    assert_exit_code(&status, 0);
    session.assert_terminal_restored();
}

#[test]
fn a_fifo_in_place_of_the_lock_file_is_an_error_not_a_hang() {
    let sandbox = Sandbox::samples();
    make_fifo(&sandbox.path().join("bookmarks.toml.lock"));
    assert_refused(
        &sandbox,
        &["bookmark", "add", common::NEWEST],
        "bookmarks.toml.lock",
    );
}

#[test]
fn a_dangling_link_as_the_bookmarks_file_is_kept_and_written_through() {
    let sandbox = Sandbox::samples();
    fs::create_dir(sandbox.path().join("dotfiles")).expect("a folder");
    let link = sandbox.path().join("bookmarks.toml");
    std::os::unix::fs::symlink("dotfiles/bookmarks.toml", &link).expect("link");
    sandbox.cli(&["bookmark", "add", common::NEWEST]);
    let still_a_link = fs::symlink_metadata(&link).is_ok_and(|meta| meta.file_type().is_symlink());
    assert!(
        still_a_link,
        "the bookmarks.toml link was replaced by a file"
    );
    let written =
        fs::read_to_string(sandbox.path().join("dotfiles/bookmarks.toml")).unwrap_or_default();
    assert!(written.contains(common::NEWEST), "{written:?}");
}
