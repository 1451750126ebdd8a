//! The bookmarks and read-state store on real temporary folders: round trips,
//! atomic writes, corrupt files moved aside, many processes at once, and
//! paths that cannot be written.

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use broadsheet::files::write_atomic;
use broadsheet::store::{Bookmark, BookmarkStore, ReadStore};
use chrono::{DateTime, NaiveDate, Utc};
use tempfile::TempDir;

/// Tells a child process which one it is; absent in ordinary test runs.
const CHILD_VAR: &str = "BROADSHEET_STORE_CHILD";
/// The folder the child processes share.
const CHILD_DIR_VAR: &str = "BROADSHEET_STORE_DIR";
/// The child test, as the parent runs it.
const CHILD_TEST: &str = "child_process_changes_the_store";
/// How many child processes change the store at once.
const CHILDREN: usize = 16;
/// The file whose appearance lets the children start together.
const BARRIER: &str = "go";

fn temp_dir() -> TempDir {
    TempDir::new().expect("create a temporary folder")
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a valid test time")
        .with_timezone(&Utc)
}

fn bookmark(id: &str) -> Bookmark {
    Bookmark {
        id: id.to_string(),
        title: format!("Title of {id}"),
        date: None,
        added: time("2026-11-21T10:00:00Z"),
        note: None,
    }
}

fn ids(list: &[Bookmark]) -> Vec<&str> {
    list.iter().map(|b| b.id.as_str()).collect()
}

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

/// The names in a folder, sorted.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .expect("list the folder")
        .map(|entry| {
            entry
                .expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn temp_files_in(folder: &Path) -> Vec<String> {
    names_in(folder)
        .into_iter()
        .filter(|name| name.contains(".tmp"))
        .collect()
}

// ---------------------------------------------------------------- round trips

#[test]
fn bookmarks_round_trip_in_the_order_added() {
    let dir = temp_dir();
    let store = BookmarkStore::new(dir.path().join("bookmarks.toml"));
    let first = Bookmark {
        id: "000_b4046600ca63d592.txt".to_string(),
        title: "Heartstopper Season 3: \"quoted\" — ünïcode".to_string(),
        date: NaiveDate::from_ymd_opt(2024, 12, 24),
        added: time("2026-11-21T10:00:00Z"),
        note: Some("line one\nline two".to_string()),
    };
    let second = Bookmark {
        added: time("2026-11-21T10:00:01.5Z"),
        ..bookmark("gone/article.md")
    };
    assert!(store.add(first.clone()).expect("add").changed);
    assert!(store.add(second.clone()).expect("add").changed);

    let loaded = store.load().expect("load");
    assert_eq!(loaded.value, vec![first, second]);
    assert_eq!(loaded.moved_aside, None);

    let text = fs::read_to_string(store.path()).expect("read the file");
    assert!(text.starts_with("# broadsheet bookmarks."), "{text}");
    assert!(text.contains("version = 1\n"), "{text}");
    assert!(text.contains("date = 2024-12-24\n"), "{text}");
    assert!(text.contains("added = 2026-11-21T10:00:00Z\n"), "{text}");
    assert_eq!(text.matches("\n[[bookmark]]\n").count(), 2, "{text}");
}

#[test]
fn adding_again_keeps_added_and_place_and_replaces_the_note_only_when_given() {
    let dir = temp_dir();
    let store = BookmarkStore::new(dir.path().join("bookmarks.toml"));
    let a = Bookmark {
        note: Some("mine".to_string()),
        ..bookmark("a")
    };
    store.add(a.clone()).expect("add a");
    store.add(bookmark("b")).expect("add b");

    let again = Bookmark {
        added: time("2027-01-01T00:00:00Z"),
        ..bookmark("a")
    };
    let change = store.add(again.clone()).expect("add a again");
    assert!(!change.changed, "nothing differs: {change:?}");
    assert_eq!(
        store.load().expect("load").value,
        vec![a.clone(), bookmark("b")]
    );

    let renamed = Bookmark {
        title: "New title".to_string(),
        note: Some("new note".to_string()),
        ..again
    };
    assert!(store.add(renamed).expect("add a again").changed);
    let list = store.load().expect("load").value;
    assert_eq!(ids(&list), ["a", "b"]);
    let first = list.first().expect("a is there");
    assert_eq!(first.added, a.added);
    assert_eq!(first.title, "New title");
    assert_eq!(first.note.as_deref(), Some("new note"));
}

#[test]
fn remove_takes_out_one_bookmark_and_reports_absent_ones() {
    let dir = temp_dir();
    let store = BookmarkStore::new(dir.path().join("bookmarks.toml"));
    for id in ["a", "b", "c"] {
        store.add(bookmark(id)).expect("add");
    }
    assert!(store.remove("b").expect("remove").changed);
    assert_eq!(ids(&store.load().expect("load").value), ["a", "c"]);
    let before = fs::read(store.path()).expect("read");
    assert!(!store.remove("b").expect("remove again").changed);
    assert!(!store.remove("never-there").expect("remove").changed);
    assert_eq!(fs::read(store.path()).expect("read"), before);
}

#[test]
fn a_missing_file_is_empty_and_load_creates_nothing() {
    let dir = temp_dir();
    let folder = dir.path().join("not-yet");
    let bookmarks = BookmarkStore::new(folder.join("bookmarks.toml"))
        .load()
        .expect("load");
    assert!(bookmarks.value.is_empty());
    assert_eq!(bookmarks.moved_aside, None);
    let read = ReadStore::new(folder.join("state.toml"))
        .load()
        .expect("load");
    assert!(read.value.is_empty());
    assert!(!folder.exists());
}

#[test]
fn a_change_creates_the_missing_folder() {
    let dir = temp_dir();
    let path = dir.path().join("a/b/c/bookmarks.toml");
    let store = BookmarkStore::new(&path);
    store.add(bookmark("x")).expect("add");
    assert_eq!(ids(&store.load().expect("load").value), ["x"]);
}

#[test]
fn blank_files_are_moved_aside_and_reported() {
    // broadsheet never writes an empty file: one was emptied or cut short.
    let dir = temp_dir();
    for (n, blank) in ["", "  \n\t\r\n  "].into_iter().enumerate() {
        let path = dir.path().join(format!("bookmarks{n}.toml"));
        fs::write(&path, blank).expect("write");
        let store = BookmarkStore::new(&path);
        let loaded = store.load().expect("load");
        assert!(loaded.value.is_empty());
        let aside = loaded.moved_aside.expect("moved aside");
        assert_eq!(fs::read_to_string(&aside).expect("kept"), blank);
        let problem = loaded.problem.expect("reported").to_string();
        assert!(problem.contains("empty"), "{problem}");
        assert!(!path.exists(), "not left in place");
        assert_eq!(store.add(bookmark("x")).expect("add").moved_aside, None);
        assert_eq!(ids(&store.load().expect("load").value), ["x"]);
    }
}

#[test]
fn a_hand_written_file_without_version_is_read_and_kept() {
    let dir = temp_dir();
    let path = dir.path().join("bookmarks.toml");
    fs::write(
        &path,
        "# mine\n[[bookmark]]\nid = \"old.txt\"\ntitle = \"Old\"\nadded = 2025-01-02T03:04:05Z\n",
    )
    .expect("write");
    let store = BookmarkStore::new(&path);
    store.add(bookmark("new.txt")).expect("add");
    let list = store.load().expect("load").value;
    assert_eq!(ids(&list), ["old.txt", "new.txt"]);
    assert_eq!(
        list.first().map(|b| b.added),
        Some(time("2025-01-02T03:04:05Z"))
    );
}

#[test]
fn read_state_is_set_and_unset() {
    let dir = temp_dir();
    let store = ReadStore::new(dir.path().join("state.toml"));
    assert!(
        store
            .set_read(&strings(&["b", "a", "c"]), true)
            .expect("set")
            .changed
    );
    assert!(
        !store
            .set_read(&strings(&["a"]), true)
            .expect("set again")
            .changed
    );
    assert!(
        store
            .set_read(&strings(&["c", "zz"]), false)
            .expect("unset")
            .changed
    );
    assert!(
        !store
            .set_read(&strings(&["zz"]), false)
            .expect("unset again")
            .changed
    );
    let read = store.load().expect("load").value;
    assert_eq!(read, BTreeSet::from(["a".to_string(), "b".to_string()]));
    let text = fs::read_to_string(store.path()).expect("read");
    assert!(
        text.contains("version = 1\nread = [\n    \"a\",\n    \"b\",\n]\n"),
        "{text}"
    );
}

// ---------------------------------------------------------------- atomic writes

#[test]
fn atomic_write_replaces_the_whole_file_and_leaves_no_temp_files() {
    let dir = temp_dir();
    let path = dir.path().join("bookmarks.toml");
    let old = "old ".repeat(10_000);
    fs::write(&path, &old).expect("write the old file");
    // A reader that opened the old file keeps reading all of it: the new file
    // replaces it by rename, it is not rewritten in place.
    let reader = fs::File::open(&path).expect("open the old file");

    write_atomic(&path, b"new").expect("write");

    assert_eq!(fs::read(&path).expect("read"), b"new");
    let still_old = std::io::read_to_string(reader).expect("read through the old handle");
    assert_eq!(still_old, old);
    assert_eq!(names_in(dir.path()), ["bookmarks.toml"]);
}

#[test]
fn a_failed_atomic_write_leaves_the_target_alone_and_no_temp_files() {
    let dir = temp_dir();
    let path = dir.path().join("bookmarks.toml");
    fs::create_dir(&path).expect("a folder in the way");
    fs::write(path.join("inside.txt"), "keep").expect("write");

    let err = write_atomic(&path, b"new").expect_err("a folder is in the way");
    assert_eq!(err.path, path);
    assert!(
        err.to_string().starts_with(&path.display().to_string()),
        "{err}"
    );
    assert_eq!(temp_files_in(dir.path()), Vec::<String>::new());
    assert_eq!(
        fs::read_to_string(path.join("inside.txt")).expect("read"),
        "keep"
    );
}

#[test]
fn temp_files_left_by_a_killed_process_are_swept_once_stale() {
    let dir = temp_dir();
    let store = BookmarkStore::new(dir.path().join("bookmarks.toml"));
    let stale = dir.path().join(".bookmarks.toml.tmpKILLED");
    let fresh = dir.path().join(".bookmarks.toml.tmpWRITING");
    let foreign = dir.path().join(".other.toml.tmpX");
    for path in [&stale, &fresh, &foreign] {
        fs::write(path, "half a file").expect("write");
    }
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 60 * 60);
    for path in [&stale, &foreign] {
        let file = fs::File::options().write(true).open(path).expect("open");
        file.set_modified(two_hours_ago).expect("age the file");
    }

    store.add(bookmark("x")).expect("add");

    assert!(!stale.exists());
    assert!(fresh.exists(), "a write may still be under way");
    assert!(foreign.exists(), "not ours");
}

#[cfg(unix)]
#[test]
fn writing_through_a_symbolic_link_keeps_the_link() {
    let dir = temp_dir();
    let real = dir.path().join("dotfiles/bookmarks.toml");
    fs::create_dir_all(dir.path().join("dotfiles")).expect("mkdir");
    let link = dir.path().join("bookmarks.toml");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    fs::write(&real, "").expect("write");

    BookmarkStore::new(&link).add(bookmark("x")).expect("add");

    assert!(
        fs::symlink_metadata(&link)
            .expect("stat")
            .file_type()
            .is_symlink()
    );
    let text = fs::read_to_string(&real).expect("read");
    assert!(text.contains("id = \"x\""), "{text}");
}

// ---------------------------------------------------------------- corrupt files

/// Files that must be moved aside, with a word their report must contain.
fn corrupt_bookmark_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let valid =
        "version = 1\n\n[[bookmark]]\nid = \"a\"\ntitle = \"A\"\nadded = 2026-11-21T10:00:00Z\n";
    vec![
        ("garbage", b"this is { not toml at all".to_vec(), "line 1"),
        (
            "NUL-filled",
            vec![0; 4096],
            "line 1, column 1: holds a NUL byte",
        ),
        (
            "truncated",
            valid.as_bytes().get(..33).unwrap_or_default().to_vec(),
            "line 4",
        ),
        (
            "wrong types",
            b"[[bookmark]]\nid = 5\ntitle = \"A\"\nadded = 2026-11-21T10:00:00Z\n".to_vec(),
            "line 2, column 6",
        ),
        (
            "bad date",
            b"[[bookmark]]\nid = \"a\"\nadded = \"yesterday\"\n".to_vec(),
            "line 3",
        ),
        (
            "unknown key",
            b"[[bookmarks]]\nid = \"a\"\n".to_vec(),
            "unknown field",
        ),
        (
            "future version",
            valid.replace("version = 1", "version = 99").into_bytes(),
            "newer",
        ),
        (
            "not UTF-8",
            b"version = 1\n# caf\xe9\n".to_vec(),
            "line 2, column 6",
        ),
    ]
}

#[test]
fn corrupt_bookmark_files_are_moved_aside_intact_and_a_fresh_file_is_written() {
    for (kind, bytes, expected) in corrupt_bookmark_files() {
        let dir = temp_dir();
        let path = dir.path().join("bookmarks.toml");
        fs::write(&path, &bytes).expect("write");
        let store = BookmarkStore::new(&path);

        let loaded = store.load().unwrap_or_else(|err| panic!("{kind}: {err}"));
        assert!(loaded.value.is_empty(), "{kind}");
        let aside = loaded
            .moved_aside
            .unwrap_or_else(|| panic!("{kind}: not moved aside"));
        let name = aside
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert!(is_corrupt_name(&name, "bookmarks.toml"), "{kind}: {name}");
        assert_eq!(aside.parent(), Some(dir.path()), "{kind}");
        assert_eq!(fs::read(&aside).expect("read aside"), bytes, "{kind}");
        assert!(
            !path.exists(),
            "{kind}: the corrupt file stays at its old name"
        );

        let problem = loaded
            .problem
            .unwrap_or_else(|| panic!("{kind}: no problem reported"));
        assert_eq!(problem.path, path, "{kind}");
        let shown = problem.to_string();
        assert!(shown.contains(expected), "{kind}: {shown}");
        assert!(
            shown.contains(&name),
            "{kind}: says where the file went: {shown}"
        );

        let change = store.add(bookmark("new")).expect("add");
        assert!(
            change.changed && change.moved_aside.is_none(),
            "{kind}: {change:?}"
        );
        let again = store.load().expect("load");
        assert_eq!(ids(&again.value), ["new"], "{kind}");
        assert_eq!(again.moved_aside, None, "{kind}");
        assert_eq!(
            fs::read(&aside).expect("read aside"),
            bytes,
            "{kind}: unchanged"
        );
    }
}

#[test]
fn a_change_to_a_corrupt_file_moves_it_aside_first() {
    let dir = temp_dir();
    let path = dir.path().join("bookmarks.toml");
    fs::write(&path, "[[bookmark]]\nid = [").expect("write");
    let store = BookmarkStore::new(&path);

    let change = store.add(bookmark("new")).expect("add");

    let aside = change.moved_aside.expect("moved aside");
    assert!(change.problem.is_some());
    assert_eq!(
        fs::read_to_string(aside).expect("read"),
        "[[bookmark]]\nid = ["
    );
    assert_eq!(ids(&store.load().expect("load").value), ["new"]);
}

#[test]
fn a_second_corrupt_file_in_the_same_second_gets_its_own_name() {
    let dir = temp_dir();
    let path = dir.path().join("state.toml");
    let store = ReadStore::new(&path);
    let mut asides = Vec::new();
    for n in 0..3 {
        fs::write(&path, format!("garbage {n} [")).expect("write");
        asides.push(
            store
                .load()
                .expect("load")
                .moved_aside
                .expect("moved aside"),
        );
    }
    let unique: BTreeSet<&PathBuf> = asides.iter().collect();
    assert_eq!(unique.len(), 3, "{asides:?}");
    for (n, aside) in asides.iter().enumerate() {
        assert_eq!(
            fs::read_to_string(aside).expect("read"),
            format!("garbage {n} [")
        );
    }
}

#[test]
fn corrupt_state_files_are_moved_aside_too() {
    let cases: [(&str, &[u8]); 3] = [
        ("wrong types", b"version = 1\nread = [\"a\", 2]\n"),
        ("future version", b"version = 2\nread = [\"a\"]\n"),
        ("NUL-filled", &[0; 100]),
    ];
    for (kind, bytes) in cases {
        let dir = temp_dir();
        let path = dir.path().join("state.toml");
        fs::write(&path, bytes).expect("write");
        let store = ReadStore::new(&path);

        let change = store.set_read(&strings(&["b"]), true).expect("set");

        let aside = change
            .moved_aside
            .unwrap_or_else(|| panic!("{kind}: not moved aside"));
        assert_eq!(fs::read(&aside).expect("read"), bytes, "{kind}");
        let read = store.load().expect("load").value;
        assert_eq!(read, BTreeSet::from(["b".to_string()]), "{kind}");
    }
}

/// `<name>.corrupt-YYYYMMDDTHHMMSSZ`, maybe with `-N` after it.
fn is_corrupt_name(name: &str, file: &str) -> bool {
    let Some(rest) = name.strip_prefix(&format!("{file}.corrupt-")) else {
        return false;
    };
    let (stamp, counter) = rest.split_once('-').unwrap_or((rest, "2"));
    let shape_ok = stamp.len() == 16
        && stamp.char_indices().all(|(i, c)| match i {
            8 => c == 'T',
            15 => c == 'Z',
            _ => c.is_ascii_digit(),
        });
    shape_ok && counter.parse::<u32>().is_ok()
}

// ---------------------------------------------------------------- many writers

/// Run only as a child of `many_processes_at_once_lose_nothing`: waits for
/// the barrier file, then adds two bookmarks and marks an article read (and
/// unread again, for even children).
#[test]
#[ignore = "a child process of many_processes_at_once_lose_nothing"]
fn child_process_changes_the_store() {
    let (Ok(child), Ok(folder)) = (env::var(CHILD_VAR), env::var(CHILD_DIR_VAR)) else {
        return;
    };
    let n: usize = child.parse().expect("a child number");
    let folder = PathBuf::from(folder);
    let deadline = Instant::now() + Duration::from_secs(120);
    while !folder.join(BARRIER).exists() {
        assert!(
            Instant::now() < deadline,
            "the parent never started the children"
        );
        thread::sleep(Duration::from_millis(2));
    }
    let bookmarks = BookmarkStore::new(folder.join("bookmarks.toml"));
    let read = ReadStore::new(folder.join("state.toml"));
    let me = format!("child-{n}");
    bookmarks.add(bookmark(&me)).expect("add");
    read.set_read(std::slice::from_ref(&me), true)
        .expect("set read");
    if n.is_multiple_of(2) {
        read.set_read(std::slice::from_ref(&me), false)
            .expect("set unread");
    }
    bookmarks
        .add(bookmark(&format!("{me}-second")))
        .expect("add");
}

#[test]
fn many_processes_at_once_lose_nothing() {
    let dir = temp_dir();
    let exe = env::current_exe().expect("the test binary");
    let children: Vec<_> = (0..CHILDREN)
        .map(|n| {
            Command::new(&exe)
                .args([
                    "--exact",
                    CHILD_TEST,
                    "--nocapture",
                    "--test-threads=1",
                    "--include-ignored",
                ])
                .env(CHILD_VAR, n.to_string())
                .env(CHILD_DIR_VAR, dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a child process")
        })
        .collect();
    fs::write(dir.path().join(BARRIER), "").expect("start the children");
    for child in children {
        let output = child.wait_with_output().expect("wait for a child");
        assert!(
            output.status.success(),
            "a child failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let loaded = BookmarkStore::new(dir.path().join("bookmarks.toml"))
        .load()
        .expect("load");
    assert_eq!(loaded.moved_aside, None);
    let found: BTreeSet<String> = loaded.value.iter().map(|b| b.id.clone()).collect();
    let expected: BTreeSet<String> = (0..CHILDREN)
        .flat_map(|n| [format!("child-{n}"), format!("child-{n}-second")])
        .collect();
    assert_eq!(found, expected);
    assert_eq!(loaded.value.len(), expected.len(), "ids are unique");
    for n in 0..CHILDREN {
        let first = loaded
            .value
            .iter()
            .position(|b| b.id == format!("child-{n}"));
        let second = loaded
            .value
            .iter()
            .position(|b| b.id == format!("child-{n}-second"));
        assert!(
            first < second,
            "child {n}'s bookmarks are in the order added"
        );
    }

    let read = ReadStore::new(dir.path().join("state.toml"))
        .load()
        .expect("load")
        .value;
    let odd: BTreeSet<String> = (0..CHILDREN)
        .filter(|n| !n.is_multiple_of(2))
        .map(|n| format!("child-{n}"))
        .collect();
    assert_eq!(read, odd);
    assert_eq!(temp_files_in(dir.path()), Vec::<String>::new());
}

#[test]
fn many_threads_at_once_lose_nothing() {
    let dir = temp_dir();
    let path = dir.path().join("bookmarks.toml");
    thread::scope(|scope| {
        for n in 0..8 {
            let path = &path;
            scope.spawn(move || {
                let store = BookmarkStore::new(path);
                for k in 0..5 {
                    store.add(bookmark(&format!("t{n}-{k}"))).expect("add");
                }
            });
        }
    });
    let list = BookmarkStore::new(&path).load().expect("load").value;
    assert_eq!(list.len(), 40);
}

// ---------------------------------------------------------------- unwritable paths

#[test]
fn a_folder_in_place_of_the_file_is_an_error_naming_the_path() {
    let dir = temp_dir();
    let path = dir.path().join("bookmarks.toml");
    fs::create_dir(&path).expect("a folder in the way");
    let store = BookmarkStore::new(&path);

    for err in [
        store.add(bookmark("x")).expect_err("add"),
        store.remove("x").expect_err("remove"),
        store.load().expect_err("load"),
    ] {
        assert_eq!(err.path, path);
        assert!(err.message.contains("folder is in the way"), "{err}");
        assert!(err.message.contains("choose another path"), "{err}");
    }
    let state = ReadStore::new(&path);
    assert!(state.set_read(&strings(&["x"]), true).is_err());
    assert!(path.is_dir());
}

#[test]
fn a_path_under_a_regular_file_is_an_error_naming_the_path() {
    let dir = temp_dir();
    let file = dir.path().join("file.txt");
    fs::write(&file, "not a folder").expect("write");
    let path = file.join("bookmarks.toml");
    let store = BookmarkStore::new(&path);

    let err = store.add(bookmark("x")).expect_err("add");
    assert_eq!(err.path, path);
    assert!(err.message.contains("is a file, not a folder"), "{err}");
    assert!(store.load().is_err());
    assert!(
        ReadStore::new(file.join("state.toml"))
            .set_read(&strings(&["x"]), true)
            .is_err()
    );
    assert!(write_atomic(&path, b"x").is_err());
    assert_eq!(fs::read_to_string(&file).expect("read"), "not a folder");
}

// ---------------------------------------------------------------- huge input

#[test]
fn huge_titles_and_notes_round_trip_and_a_huge_garbage_line_is_moved_aside() {
    let dir = temp_dir();
    let store = BookmarkStore::new(dir.path().join("bookmarks.toml"));
    let big = Bookmark {
        title: "Ü\"\\".repeat(33_334),
        note: Some("x".repeat(3_000_000)),
        ..bookmark("big")
    };
    store.add(big.clone()).expect("add");
    assert_eq!(store.load().expect("load").value, vec![big]);

    let path = dir.path().join("garbage.toml");
    let garbage = format!("x = \"{}", "y".repeat(3_000_000));
    fs::write(&path, &garbage).expect("write");
    let loaded = BookmarkStore::new(&path).load().expect("load");
    let aside = loaded.moved_aside.expect("moved aside");
    assert_eq!(fs::read_to_string(aside).expect("read"), garbage);
    let shown = loaded.problem.expect("reported").to_string();
    assert!(
        shown.contains("line 1, column"),
        "{}",
        shown.get(..200).unwrap_or(&shown)
    );
}
