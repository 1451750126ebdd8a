//! The cache folder under attack: links planted in it, a folder others
//! could read, temporary files of killed writers. A cache write replaces its
//! files as files and never follows a link; the folder is private to its
//! user; what killed writers left is swept by the next run that finds the
//! folder free.

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::PathBuf;

use broadsheet::library::cache::dir::folder_cache;

use common::Sandbox;

/// The cache folder the binary uses for the sandbox's articles.
fn sandbox_cache(sandbox: &Sandbox) -> PathBuf {
    let root = fs::canonicalize(sandbox.articles()).expect("the articles folder");
    folder_cache(&sandbox.path().join("xdg-cache").join("broadsheet"), &root)
}

fn count(sandbox: &Sandbox) -> String {
    sandbox.cli(&["list", "--count"]).trim().to_string()
}

#[test]
fn a_link_planted_in_the_cache_folder_is_replaced_and_its_target_untouched() {
    let sandbox = Sandbox::samples();
    let dir = sandbox_cache(&sandbox);
    fs::create_dir_all(&dir).expect("the cache folder");
    let victim = sandbox.path().join("precious.txt");
    fs::write(&victim, "a file of the person's").expect("the victim");
    let nowhere = sandbox.path().join("made-by-a-dangling-link");
    symlink(&victim, dir.join("summaries.bin")).expect("a planted link");
    symlink(&nowhere, dir.join("texts.bin")).expect("a dangling link");
    symlink(
        sandbox.path().join("lock-elsewhere"),
        dir.join("cache.lock"),
    )
    .expect("a lock link");

    assert_eq!(count(&sandbox), "5");

    assert_eq!(
        fs::read_to_string(&victim).expect("the victim is still there"),
        "a file of the person's",
        "the write did not follow the link"
    );
    assert!(!nowhere.exists(), "the dangling link created no file");
    assert!(!sandbox.path().join("lock-elsewhere").exists());
    for name in ["summaries.bin", "texts.bin", "cache.lock"] {
        let meta = fs::symlink_metadata(dir.join(name)).expect("the cache file");
        assert!(meta.is_file(), "{name} is a regular file now");
    }
    // And the cache written in their place works.
    assert_eq!(count(&sandbox), "5");
}

#[test]
fn the_cache_folder_is_private_to_its_user() {
    let sandbox = Sandbox::samples();
    assert_eq!(count(&sandbox), "5");
    let dir = sandbox_cache(&sandbox);
    let mode = |path: &std::path::Path| {
        fs::metadata(path).expect("the folder").permissions().mode() & 0o777
    };
    assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    // A folder an older version made readable by others is made private at
    // the next write.
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::remove_file(dir.join("summaries.bin")).expect("no summaries: the next run writes");
    assert_eq!(count(&sandbox), "5");
    assert_eq!(mode(&dir), 0o700);
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn what_killed_writers_left_is_swept_even_when_nothing_is_written() {
    let sandbox = Sandbox::samples();
    // Files younger than the settle window are read again (and the cache
    // written) by the next run; these must be settled when the cache is
    // first written, so that the runs below have nothing to write.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    assert_eq!(count(&sandbox), "5");
    let written = fs::metadata(sandbox_cache(&sandbox).join("summaries.bin"))
        .and_then(|meta| meta.modified())
        .expect("the cache was written");
    let dir = sandbox_cache(&sandbox);
    let mut gone = std::process::Command::new("true").spawn().expect("true");
    gone.wait().expect("reaped");
    let left: Vec<PathBuf> = ["texts.bin", "words.bin", "summaries.bin"]
        .iter()
        .map(|name| dir.join(format!(".{name}.tmp-{}-KILLED", gone.id())))
        .collect();
    for path in &left {
        fs::write(path, "half a file").expect("a stale temporary file");
    }
    // A run with nothing to write (the folder did not change) sweeps them:
    // a writer killed while saving a few changes may be followed by runs
    // that never write again.
    assert_eq!(count(&sandbox), "5");
    let unchanged = fs::metadata(dir.join("summaries.bin")).and_then(|meta| meta.modified());
    assert_eq!(unchanged.ok(), Some(written), "that run wrote nothing");
    for path in &left {
        assert!(!path.exists(), "{} was swept", path.display());
    }
    // A live writer's temporary file is never touched.
    let mut alive = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .expect("sleep");
    let live = dir.join(format!(".texts.bin.tmp-{}-WRITING", alive.id()));
    fs::write(&live, "being written").expect("a live writer's file");
    assert_eq!(count(&sandbox), "5");
    let _ = alive.kill();
    let _ = alive.wait();
    assert!(live.exists(), "a live writer's file is kept");
}
