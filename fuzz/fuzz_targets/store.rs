//! The bookmarks and read-state loaders on arbitrary file contents, through
//! real files: a file that does not parse must be moved aside, and what the
//! user is told about it must be safe to print.
#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use broadsheet::store::{BookmarkStore, ReadStore};
use broadsheet_fuzz::assert_clean;
use libfuzzer_sys::fuzz_target;

/// One temp folder per fuzzing process, reused by every input.
fn folder() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        tempfile::Builder::new()
            .prefix("broadsheet-fuzz-store")
            .tempdir()
            .unwrap_or_else(|err| panic!("no temp folder: {err}"))
    })
    .path()
}

/// Deletes every file in the folder (moved-aside copies, locks, the file
/// itself) so the disk does not fill and each input starts alike.
fn clear(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// What every load must guarantee, whichever store it is.
fn check<T>(
    file: &Path,
    loaded: Result<broadsheet::store::Loaded<T>, broadsheet::store::StoreError>,
) {
    match loaded {
        Ok(loaded) => {
            if let Some(aside) = &loaded.moved_aside {
                assert!(aside.exists(), "moved-aside file {aside:?} is missing");
                assert!(!file.exists(), "corrupt file left in place");
                assert!(loaded.problem.is_some(), "moved aside without saying why");
            }
            if let Some(problem) = &loaded.problem {
                assert!(loaded.moved_aside.is_some(), "a problem without a move");
                assert_clean("store problem", &problem.to_string(), false);
            }
        }
        Err(err) => assert_clean("store error", &err.to_string(), false),
    }
}

fn write(path: &PathBuf, data: &[u8]) {
    fs::write(path, data).unwrap_or_else(|err| panic!("cannot write {path:?}: {err}"));
}

fuzz_target!(|data: &[u8]| {
    let dir = folder();
    let bookmarks = dir.join("bookmarks.toml");
    let state = dir.join("state.toml");

    write(&bookmarks, data);
    check(&bookmarks, BookmarkStore::new(&bookmarks).load());
    write(&state, data);
    check(&state, ReadStore::new(&state).load());
    clear(dir);
});
