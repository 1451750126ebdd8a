//! The on-disk cache as the reader and the commands use it: a library saved
//! and opened again is the library a fresh load gives, and a check of the
//! folder brings an old library up to date with what a fresh load gives.

mod listing;
use listing::listing;

use std::fs;
use std::path::Path;
use std::time::Duration;

use broadsheet::library::refresh::{CheckOptions, Refreshed, refresh, refresh_with};
use broadsheet::library::stored::{open_cached, save};
use broadsheet::library::{Library, LoadOptions, load};

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder).expect("a folder");
    }
    fs::write(path, text).expect("an article");
}

fn article(title: &str, date: &str, tag: &str) -> String {
    format!(" date {date} | Tagged: {tag}\n\n{title}\n\nThe body of {title}, with words.\n")
}

fn fresh(root: &Path) -> Library {
    load(root, &LoadOptions::default()).expect("the folder loads")
}

/// The settling window of the checks below that wait for files to settle:
/// shorter than the two seconds a reader waits, so that they wait half a
/// second, and long enough that a file written just before a load is still
/// too recent at that load on a busy machine.
const SETTLE: Duration = Duration::from_millis(500);

/// A check of the folder with the window [`SETTLE`].
fn check(library: &Library) -> Refreshed {
    let options = CheckOptions { settle: SETTLE };
    refresh_with(library, &LoadOptions::default(), &options).expect("the check")
}

/// Waits until files written before are older than [`SETTLE`], with room
/// for a coarse file-system clock.
fn wait_until_settled() {
    std::thread::sleep(SETTLE + Duration::from_millis(100));
}

#[test]
fn a_saved_library_opens_as_the_library_it_was() {
    let folder = tempfile::tempdir().expect("a folder");
    let cache = tempfile::tempdir().expect("a cache folder");
    let root = folder.path();
    write(root, "a.txt", &article("Alpha", "2024-01-01", "News"));
    write(
        root,
        "sub/b.md",
        "---\ntitle: Beta\nauthor: Ann\n---\n\nBody of beta.\n",
    );
    write(
        root,
        "caf\u{e9}.txt",
        &article("Cafe", "2023-05-05", "news"),
    );
    fs::write(root.join("bad.txt"), b"\0binary\0").expect("a binary file");
    let library = fresh(root);
    save(&library, cache.path()).expect("the cache is written");
    let opened = open_cached(root, cache.path()).expect("the cache opens");
    assert_eq!(listing(&opened), listing(&library));
    assert!(opened.has_texts());
    // Another folder's cache is not this folder's.
    let other = tempfile::tempdir().expect("another folder");
    let err = open_cached(other.path(), cache.path()).expect_err("a foreign cache");
    assert!(err.to_string().contains("another articles folder"), "{err}");
}

#[test]
fn a_check_brings_an_old_library_up_to_date() {
    let folder = tempfile::tempdir().expect("a folder");
    let root = folder.path();
    for n in 0..20 {
        write(
            root,
            &format!("d{}/a{n:02}.txt", n % 3),
            &article(
                &format!("Article {n}"),
                &format!("2024-01-{:02}", n + 1),
                "x",
            ),
        );
    }
    let old = fresh(root);
    // New, changed (same size, another word), deleted, and renamed files.
    write(root, "new.txt", &article("Newcomer", "2025-01-01", "Fresh"));
    write(root, "d1/a01.txt", &article("Article 1", "2024-01-02", "y"));
    fs::remove_file(root.join("d2/a02.txt")).expect("a delete");
    fs::rename(root.join("d0/a03.txt"), root.join("d0/moved.txt")).expect("a rename");
    fs::create_dir_all(root.join("empty/inner")).expect("a new folder");
    let checked = refresh(&old, &LoadOptions::default()).expect("the check");
    let updated = checked.library.expect("changes were found");
    assert_eq!(listing(&updated), listing(&fresh(root)));
    assert!(checked.recheck_after.is_some(), "files changed just now");
    // A second check finds the same (the just-written files are read
    // again, since their times cannot be trusted yet), whatever it returns.
    let again = refresh(&updated, &LoadOptions::default()).expect("the check");
    let latest = again.library.unwrap_or(updated);
    assert_eq!(listing(&latest), listing(&fresh(root)));
}

#[test]
fn a_settled_folder_is_not_read_again() {
    let folder = tempfile::tempdir().expect("a folder");
    let root = folder.path();
    write(root, "a.txt", &article("Alpha", "2024-01-01", "x"));
    write(root, "b.txt", &article("Beta", "2024-01-02", "x"));
    // Files newer than the settling window are read at every check: wait
    // until these are older, once.
    wait_until_settled();
    let library = fresh(root);
    let checked = check(&library);
    assert_eq!(checked.read, 0, "nothing was read again");
    assert!(checked.library.is_none(), "nothing changed");
    assert!(checked.recheck_after.is_none());
    // The reader's own window is two seconds: to it they are still too
    // recent to trust.
    let checked = refresh(&library, &LoadOptions::default()).expect("the check");
    assert_eq!(checked.read, 2, "read again within the default window");
    assert_eq!(checked.recheck_after, Some(Duration::from_secs(2)));
    write(root, "c.txt", &article("Gamma", "2024-01-03", "x"));
    let checked = check(&library);
    assert_eq!(checked.read, 1, "only the new file is read");
    assert_eq!(checked.recheck_after, Some(SETTLE), "c.txt is too recent");
    let updated = checked.library.expect("a change");
    assert_eq!(listing(&updated), listing(&fresh(root)));
}

#[test]
fn files_written_just_before_the_first_scan_stop_being_read_once_settled() {
    let folder = tempfile::tempdir().expect("a folder");
    let cache = tempfile::tempdir().expect("a cache folder");
    let root = folder.path();
    write(root, "a.txt", &article("Alpha", "2024-01-01", "x"));
    write(root, "b.txt", &article("Beta", "2024-01-02", "x"));
    // Read and cached at once: both too recent to trust.
    save(&fresh(root), cache.path()).expect("the cache");
    wait_until_settled();
    // Read again once, settled now, and cached as read now...
    let opened = open_cached(root, cache.path()).expect("the cache opens");
    let checked = check(&opened);
    assert_eq!(checked.read, 2);
    save(&checked.library.expect("read again"), cache.path()).expect("the cache");
    // ...so the next start reads nothing (a command would otherwise read
    // and write the whole folder every time).
    let opened = open_cached(root, cache.path()).expect("the cache opens");
    let checked = check(&opened);
    assert_eq!(checked.read, 0, "nothing read again");
    assert!(checked.library.is_none());
}

#[test]
fn names_that_read_alike_are_not_read_again_at_every_check() {
    let folder = tempfile::tempdir().expect("a folder");
    let root = folder.path();
    // Both read as `x.txt`: the load numbers them over the folder.
    write(root, "x.txt", &article("Plain", "2024-01-01", "x"));
    write(
        root,
        "x\u{1b}[2J.txt",
        &article("Escaped", "2024-01-02", "x"),
    );
    write(root, "y.txt", &article("Other", "2024-01-03", "Tag"));
    write(root, "z.txt", &article("Another", "2024-01-04", "tag"));
    // Cached at once, while the files are too recent to trust.
    let cache = tempfile::tempdir().expect("a cache folder");
    save(&fresh(root), cache.path()).expect("the cache");
    wait_until_settled();
    // The check reads them again, which for names that read alike is the
    // whole folder; that is worth writing, or every start would do it.
    let opened = open_cached(root, cache.path()).expect("the cache opens");
    let checked = check(&opened);
    assert!(checked.worth_saving(), "read {} again", checked.read);
    save(&checked.library.expect("read again"), cache.path()).expect("the cache");
    let opened = open_cached(root, cache.path()).expect("the cache opens");
    let checked = check(&opened);
    assert_eq!(checked.read, 0, "nothing read again");
    assert!(checked.library.is_none(), "nothing changed");
    // Nor when the library was loaded, not opened from the cache.
    let checked = check(&fresh(root));
    assert_eq!(checked.read, 0);
    assert!(checked.library.is_none());
}

#[test]
fn a_check_of_the_changed_paths_alone_gives_what_a_fresh_load_gives() {
    use broadsheet::library::refresh::refresh_paths;
    let folder = tempfile::tempdir().expect("a folder");
    let root = folder.path();
    for n in 0..12 {
        write(
            root,
            &format!("d{}/a{n:02}.txt", n % 2),
            &article(
                &format!("Article {n}"),
                &format!("2024-02-{:02}", n + 1),
                "x",
            ),
        );
    }
    let options = LoadOptions::default();
    let mut library = fresh(root);
    let step = |paths: &[&str], library: &mut Library| {
        // The watcher reports paths relative to the folder; absolute ones
        // under it do as well.
        let paths: Vec<std::path::PathBuf> = paths
            .iter()
            .enumerate()
            .map(|(n, p)| if n % 2 == 0 { p.into() } else { root.join(p) })
            .collect();
        let checked = refresh_paths(library, &options, &paths).expect("the check");
        if let Some(updated) = checked.library {
            *library = updated;
        }
        assert_eq!(listing(library), listing(&fresh(root)), "after {paths:?}");
    };
    // A new file, a changed one, a deleted one: only they are looked at.
    write(root, "new.txt", &article("Newcomer", "2025-01-01", "x"));
    let only_it = refresh_paths(&library, &options, &["new.txt".into()]).expect("the check");
    assert_eq!(only_it.read, 1, "only the new file is read");
    step(&["new.txt"], &mut library);
    write(root, "d1/a01.txt", &article("Changed", "2024-02-02", "x"));
    step(&["d1/a01.txt"], &mut library);
    fs::remove_file(root.join("d0/a02.txt")).expect("a delete");
    step(&["d0/a02.txt"], &mut library);
    // A rename reports both names.
    fs::rename(root.join("d0/a04.txt"), root.join("d0/moved.txt")).expect("a rename");
    step(&["d0/a04.txt", "d0/moved.txt"], &mut library);
    // What the paths alone cannot tell falls back to the whole check: a
    // new folder, a removed folder, a second name of a listed file, a name
    // that reads like another's, a hidden file.
    write(root, "d9/inner.txt", &article("Inner", "2024-03-03", "x"));
    step(&["d9"], &mut library);
    fs::remove_dir_all(root.join("d1")).expect("a removed folder");
    step(&["d1"], &mut library);
    fs::hard_link(root.join("new.txt"), root.join("again.txt")).expect("a hard link");
    step(&["again.txt"], &mut library);
    write(root, "new\u{7}.txt", &article("Alike", "2024-03-04", "x"));
    step(&["new\u{7}.txt"], &mut library);
    write(root, ".hidden.txt", &article("Hidden", "2024-03-05", "x"));
    step(&[".hidden.txt"], &mut library);
}

/// Opens the folder as the commands do: from the cache in `cache`, or
/// indexed into it; `listed` hears of the list.
fn open_as_commands_do(
    root: &Path,
    cache: &Path,
    listed: &mut dyn FnMut(&Library),
) -> broadsheet::library::open::Opened {
    use broadsheet::library::open::{Opening, Step, open_library};
    let opening = Opening {
        cache: Some(cache),
        load: LoadOptions::default(),
        fresh: false,
        list_first: false,
    };
    open_library(root, &opening, &|_| {}, &mut |step| {
        if let Step::Listed(library) = step {
            listed(library);
        }
        true
    })
    .expect("the folder opens")
    .expect("not stopped")
}

#[test]
fn the_first_index_opens_as_the_library_a_load_gives() {
    let folder = tempfile::tempdir().expect("a folder");
    let cache = tempfile::tempdir().expect("a cache folder");
    let root = folder.path();
    // Over one batch and many blocks, with every kind of file.
    for n in 0..5_000 {
        let tag = ["News", "news", "Tech", "Long Reads"][n % 4];
        let title = format!("Article {n}");
        write(
            root,
            &format!("d{}/a{n:05}.txt", n % 9),
            &article(
                &title,
                &format!("2024-{:02}-{:02}", n % 12 + 1, n % 28 + 1),
                tag,
            ),
        );
    }
    write(
        root,
        "sub/b.md",
        "---\ntitle: Beta\nauthor: Ann\n---\n\nBody of beta.\n",
    );
    write(
        root,
        "caf\u{e9}.txt",
        &article("Cafe", "2023-05-05", "news"),
    );
    fs::write(root.join("bad.txt"), b"\0binary\0").expect("a binary file");
    let mut shown = 0;
    let opened = open_as_commands_do(root, cache.path(), &mut |rows| shown = rows.len());
    let loaded = fresh(root);
    assert_eq!(shown, loaded.len(), "the list is shown before the texts");
    assert!(
        opened.cached && opened.notices.is_empty(),
        "{:?}",
        opened.notices
    );
    assert_eq!(listing(&opened.library), listing(&loaded));
    assert_eq!(opened.library.warnings(), loaded.warnings());
    // What it wrote opens as the same library.
    let again = open_cached(root, cache.path()).expect("the cache opens");
    assert_eq!(listing(&again), listing(&loaded));
}

#[test]
fn a_file_changed_while_the_first_index_reads_it_is_read_again_by_the_next_start() {
    let folder = tempfile::tempdir().expect("a folder");
    let cache = tempfile::tempdir().expect("a cache folder");
    let root = folder.path();
    for n in 0..300 {
        write(
            root,
            &format!("a{n:03}.txt"),
            &article(&format!("Old {n}"), "2024-01-01", "News"),
        );
    }
    // Changed after its summary was read, before its text is.
    open_as_commands_do(root, cache.path(), &mut |_| {
        write(
            root,
            "a007.txt",
            &article("Rewritten Seven", "2024-02-02", "Tech"),
        );
        let _ = fs::remove_file(root.join("a008.txt"));
    });
    let next = open_as_commands_do(root, cache.path(), &mut |_| {});
    assert_eq!(listing(&next.library), listing(&fresh(root)));
}
