//! Loading a folder of articles: what a user sees in the library and its
//! warnings for every kind of file a folder can hold.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::Duration;

use broadsheet::library::load::{LoadProgress, load_with_progress};
use broadsheet::library::{Library, LoadOptions, LoadWarning, load};

/// A small article in the samples' plain format.
fn plain_article(title: &str) -> String {
    format!(
        " date 2024-03-05 Posted in: News | Tagged: tests\n\n{title}\n\n\
         A first paragraph of the article, long enough to read like one.\n"
    )
}

/// Writes `text` to `dir/relative`, creating folders on the way.
fn write(dir: &Path, relative: impl AsRef<Path>, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, text).unwrap();
    path
}

fn load_default(dir: &Path) -> Library {
    load(dir, &LoadOptions::default()).unwrap()
}

fn ids(library: &Library) -> Vec<&str> {
    library.iter().map(|a| a.id()).collect()
}

fn sorted_ids(library: &Library) -> Vec<&str> {
    let mut ids = ids(library);
    ids.sort_unstable();
    ids
}

fn warning<'a>(library: &'a Library, path: &str) -> Option<&'a LoadWarning> {
    library.warnings().iter().find(|w| w.path == path)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("articles")
}

#[test]
fn the_samples_load_newest_first() {
    let library = load_default(&samples());
    assert_eq!(
        ids(&library),
        [
            "001_900db8947a90b09e.txt",
            "000_b4046600ca63d592.txt",
            "002_3c2e4f83b2e5c3ed.txt",
            "004_c084a17f8d89dc0e.txt",
            "003_97ddbb98e762d2b5.txt",
        ]
    );
    assert_eq!(library.warnings(), []);
    assert_eq!(library.root(), samples());
    let first = library.get(0).expect("the newest article");
    assert_eq!(
        library.path(0),
        Some(samples().join("001_900db8947a90b09e.txt"))
    );
    assert!(
        first.title().contains("Heartstopper Season 4"),
        "{}",
        first.title()
    );
}

#[test]
fn nested_folders_give_slash_separated_ids() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/dir/x.txt", plain_article("Deep"));
    write(dir.path(), "top.txt", plain_article("Top"));
    let library = load_default(dir.path());
    assert_eq!(sorted_ids(&library), ["sub/dir/x.txt", "top.txt"]);
    let deep = library.find("sub/dir/x.txt").unwrap();
    let at = library.position("sub/dir/x.txt").unwrap();
    assert_eq!(library.path(at), Some(dir.path().join("sub/dir/x.txt")));
    assert_eq!(deep.title(), "Deep");
}

#[test]
fn markdown_and_extensionless_files_load_and_other_files_are_skipped_silently() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "note.md",
        "+++\ntitle = \"From Markdown\"\n+++\n\nSome *text*.\n",
    );
    write(dir.path(), "README", plain_article("No Extension"));
    write(dir.path(), "photo.jpg", [0xFF, 0xD8, 0xFF, 0x00, 0x10]);
    write(dir.path(), "data.json", "{}");
    let library = load_default(dir.path());
    assert_eq!(sorted_ids(&library), ["README", "note.md"]);
    assert_eq!(library.find("note.md").unwrap().title(), "From Markdown");
    assert_eq!(library.warnings(), []);
}

#[test]
fn hidden_files_and_folders_are_skipped_silently() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kept.txt", plain_article("Kept"));
    write(dir.path(), ".draft.txt", plain_article("Hidden"));
    write(dir.path(), ".git/objects/x.txt", "\0binary\0");
    write(dir.path(), "sub/.kept.txt.swp", "\0");
    // Emacs lock files are dangling links with hidden names.
    symlink("user@host.1234:1700000000", dir.path().join(".#kept.txt")).unwrap();
    let library = load_default(dir.path());
    assert_eq!(ids(&library), ["kept.txt"]);
    assert_eq!(library.warnings(), []);
}

#[test]
fn a_hidden_articles_folder_is_still_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(".articles");
    write(&root, "a.txt", plain_article("A"));
    assert_eq!(ids(&load_default(&root)), ["a.txt"]);
}

#[test]
fn a_binary_file_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", plain_article("Good"));
    write(dir.path(), "blob.txt", b"GIF89a\0\0\x01\0binary");
    let library = load_default(dir.path());
    assert_eq!(ids(&library), ["good.txt"]);
    let warning = warning(&library, "blob.txt").unwrap();
    assert!(warning.message.contains("binary"), "{warning}");
}

#[test]
fn a_file_name_with_an_escape_sequence_gives_a_clean_id() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "evil\u{1b}[2J\u{1b}]0;pwned\u{7}name.txt",
        plain_article("Evil"),
    );
    let library = load_default(dir.path());
    assert_eq!(library.len(), 1);
    let id = library.get(0).expect("the article").id();
    assert!(!id.contains('\u{1b}') && !id.contains('\u{7}'), "{id:?}");
    assert!(id.starts_with("evil") && id.ends_with("name.txt"), "{id:?}");
    assert_eq!(library.warnings(), []);
}

#[test]
fn a_file_name_with_a_newline_gives_a_one_line_id() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "two\nlines.txt", plain_article("Lines"));
    let library = load_default(dir.path());
    let id = library.get(0).expect("the article").id();
    assert!(!id.contains('\n') && id.ends_with("lines.txt"), "{id:?}");
}

#[test]
fn a_file_name_that_is_not_utf8_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    let path = write(dir.path(), name, plain_article("Cafe"));
    let library = load_default(dir.path());
    assert_eq!(ids(&library), ["caf\u{FFFD}.txt"]);
    assert_eq!(library.path(0), Some(path));
    // The body is read from the file the id no longer spells.
    let whole = library.read_whole(0, u64::MAX).and_then(Result::ok);
    assert_eq!(whole.map(|a| a.title), Some("Cafe".to_string()));
}

#[test]
fn names_that_read_alike_once_cleaned_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", plain_article("Plain"));
    write(dir.path(), "a\u{1b}[1m.txt", plain_article("Bold"));
    let library = load_default(dir.path());
    assert_eq!(sorted_ids(&library), ["a.txt", "a.txt~2"]);
    // The first in path order keeps the name.
    assert_eq!(library.find("a.txt").unwrap().title(), "Plain");
    assert_eq!(library.find("a.txt~2").unwrap().title(), "Bold");
    let warning = warning(&library, "a.txt").unwrap();
    assert!(warning.message.contains("a.txt~2"), "{warning}");
}

#[test]
fn a_fifo_is_a_warning_and_does_not_hang_the_load() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", plain_article("Good"));
    let fifo = dir.path().join("pipe.txt");
    let name = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: `name` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let library = load_default(dir.path());
    assert_eq!(ids(&library), ["good.txt"]);
    assert_eq!(
        warning(&library, "pipe.txt").unwrap().message,
        "not a regular file (fifo)"
    );
}

#[test]
fn a_socket_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let _listener = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).unwrap();
    let library = load_default(dir.path());
    assert!(library.is_empty());
    assert_eq!(
        warning(&library, "sock").unwrap().message,
        "not a regular file (socket)"
    );
}

#[test]
fn a_link_to_a_device_is_a_warning_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    symlink("/dev/zero", dir.path().join("zero.txt")).unwrap();
    symlink("/dev/null", dir.path().join("null.md")).unwrap();
    let library = load_default(dir.path());
    assert!(library.is_empty());
    for name in ["zero.txt", "null.md"] {
        assert_eq!(
            warning(&library, name).unwrap().message,
            "not a regular file (character device)"
        );
    }
}

#[test]
fn a_link_to_a_file_outside_the_folder_loads_under_the_links_name() {
    let outside = tempfile::tempdir().unwrap();
    let target = write(outside.path(), "real.txt", plain_article("Elsewhere"));
    let dir = tempfile::tempdir().unwrap();
    symlink(&target, dir.path().join("link.txt")).unwrap();
    let library = load_default(dir.path());
    assert_eq!(ids(&library), ["link.txt"]);
    assert_eq!(library.path(0), Some(dir.path().join("link.txt")));
}

#[test]
fn symbolic_link_loops_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/a.txt", plain_article("A"));
    symlink("..", dir.path().join("sub/up")).unwrap();
    symlink("self.txt", dir.path().join("self.txt")).unwrap();
    let library = load_default(dir.path());
    assert_eq!(ids(&library), ["sub/a.txt"]);
    for path in ["sub/up", "self.txt"] {
        let warning = warning(&library, path).unwrap();
        assert!(warning.message.contains("loop"), "{warning}");
    }
}

/// A link to `/`, to the folder itself or to a folder it is in would take
/// in the whole machine, or everything around the folder: each is skipped
/// and named, and only the folder's own articles are listed.
#[test]
fn links_to_the_root_the_folder_and_the_folders_around_it_are_skipped_and_named() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), "marker.txt", plain_article("Far Above"));
    write(outer.path(), "mid/beside.txt", plain_article("Just Above"));
    let root = outer.path().join("mid/articles");
    write(&root, "own.txt", plain_article("Own Article"));
    let links = [
        ("/", "machine"),
        (".", "itself"),
        ("..", "parent"),
        ("../..", "grandparent"),
    ];
    for (target, link) in links {
        symlink(target, root.join(link)).unwrap();
    }
    // Walking the whole machine would not end soon: a deadline turns that
    // into a failure instead of a test that hangs.
    let (sender, loaded) = mpsc::channel();
    let folder = root.clone();
    thread::spawn(move || {
        let _ = sender.send(load(&folder, &LoadOptions::default()));
    });
    let library = loaded
        .recv_timeout(Duration::from_secs(60))
        .expect("the load walked far beyond the articles folder")
        .unwrap();
    let listed = ids(&library);
    assert!(
        listed == ["own.txt"],
        "{} articles listed, among them {:?}",
        listed.len(),
        listed.iter().take(5).collect::<Vec<_>>()
    );
    assert_eq!(
        library.warnings().len(),
        links.len(),
        "{:?}",
        library.warnings()
    );
    for (target, link) in links {
        let warning = warning(&library, link)
            .unwrap_or_else(|| panic!("{link} not named: {:?}", library.warnings()));
        let said = match target {
            "/" => "symbolic link to /, a folder the articles folder is in: skipped".to_string(),
            "." => "symbolic link loop (leads back to the articles folder)".to_string(),
            _ => {
                let above = fs::canonicalize(root.join(target)).unwrap();
                format!(
                    "symbolic link to {}, a folder the articles folder is in: skipped",
                    above.display()
                )
            }
        };
        assert!(warning.message.starts_with(&said), "{warning}");
    }
}

#[test]
fn a_dangling_link_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    symlink("nowhere.txt", dir.path().join("gone.txt")).unwrap();
    symlink("nowhere.jpg", dir.path().join("gone.jpg")).unwrap();
    let library = load_default(dir.path());
    assert!(library.is_empty());
    assert_eq!(library.warnings().len(), 1, "{:?}", library.warnings());
    assert!(
        warning(&library, "gone.txt")
            .unwrap()
            .message
            .contains("dangling")
    );
}

#[test]
fn a_file_over_the_size_limit_is_a_warning_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "big.txt", vec![b'a'; 3 * 1024 * 1024]);
    let options = LoadOptions {
        max_size: 2 * 1024 * 1024,
        ..LoadOptions::default()
    };
    let library = load(dir.path(), &options).unwrap();
    assert!(library.is_empty());
    assert_eq!(
        warning(&library, "big.txt").unwrap().message,
        "larger than the 2 MiB limit (3 MiB); raise library.max_article_size to load it"
    );
}

#[test]
fn an_unreadable_file_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "secret.txt", plain_article("Secret"));
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let library = load_default(dir.path());
    if is_root() {
        // root reads it anyway: only the absence of a crash can be checked.
        return;
    }
    assert!(library.is_empty());
    assert_eq!(
        warning(&library, "secret.txt").unwrap().message,
        "cannot be read (permission denied)"
    );
}

#[test]
fn an_unreadable_folder_is_a_warning_and_the_walk_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "locked/inside.txt", plain_article("Inside"));
    write(dir.path(), "open/outside.txt", plain_article("Outside"));
    let locked = dir.path().join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let library = load_default(dir.path());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    if is_root() {
        assert_eq!(
            sorted_ids(&library),
            ["locked/inside.txt", "open/outside.txt"]
        );
        return;
    }
    assert_eq!(ids(&library), ["open/outside.txt"]);
    let warning = warning(&library, "locked").unwrap();
    assert!(
        warning
            .message
            .contains("folder cannot be read (permission denied)"),
        "{warning}"
    );
}

#[test]
fn warnings_are_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["c.txt", "a.txt", "b/b.txt"] {
        write(dir.path(), name, b"\0");
    }
    let library = load_default(dir.path());
    let paths: Vec<&str> = library.warnings().iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["a.txt", "b/b.txt", "c.txt"]);
}

#[test]
fn a_missing_folder_is_an_error_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope\u{1b}[31m");
    let err = load(&missing, &LoadOptions::default()).unwrap_err();
    assert_eq!(err.path, missing);
    assert!(err.message.contains("does not exist"), "{err}");
    assert!(err.message.contains("--articles DIR"), "{err}");
    let shown = err.to_string();
    assert!(
        shown.contains("nope") && !shown.contains('\u{1b}'),
        "{shown:?}"
    );
}

#[test]
fn a_file_given_as_the_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.txt", plain_article("A"));
    let err = load(&file, &LoadOptions::default()).unwrap_err();
    assert!(err.message.contains("is a file, not a folder"), "{err}");
    assert!(err.message.contains("library.articles"), "{err}");
}

#[test]
fn an_unreadable_articles_folder_is_an_error() {
    if is_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("locked");
    write(&root, "a.txt", plain_article("A"));
    fs::set_permissions(&root, fs::Permissions::from_mode(0o000)).unwrap();
    let result = load(&root, &LoadOptions::default());
    fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).unwrap();
    let err = result.unwrap_err();
    assert!(err.message.contains("permission denied"), "{err}");
}

#[test]
fn an_empty_folder_gives_an_empty_library() {
    let dir = tempfile::tempdir().unwrap();
    let library = load_default(dir.path());
    assert!(library.is_empty());
    assert!(library.warnings().is_empty());
}

/// A folder of `count` small articles spread over a few subfolders, with a
/// binary file and a non-article every so often.
fn generated_folder(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for n in 0..count {
        let title = format!("Generated Article Number {n}");
        write(
            dir.path(),
            format!("d{}/a{n:05}.txt", n % 7),
            plain_article(&title),
        );
    }
    dir
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn thousands_of_files_all_load() {
    let dir = generated_folder(3_000);
    let library = load_default(dir.path());
    assert_eq!(library.len(), 3_000);
    assert_eq!(library.warnings(), []);
    let article = library.find("d3/a00003.txt").unwrap();
    assert_eq!(article.title(), "Generated Article Number 3");
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn one_thread_and_four_threads_give_the_same_library() {
    let dir = generated_folder(1_500);
    write(dir.path(), "d1/binary.txt", b"\0\0\0");
    write(dir.path(), "d2/skip.jpg", b"\0");
    let with = |threads| {
        let options = LoadOptions {
            threads,
            ..LoadOptions::default()
        };
        load(dir.path(), &options).unwrap()
    };
    let one = with(1);
    let four = with(4);
    assert_eq!(one.len(), 1_500);
    assert_eq!(
        one.iter().collect::<Vec<_>>(),
        four.iter().collect::<Vec<_>>()
    );
    assert_eq!(one.warnings(), four.warnings());
    assert_eq!(one.warnings().len(), 1);
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn progress_is_reported_now_and_then_and_ends_complete() {
    let dir = generated_folder(3_000);
    let reports = Mutex::new(Vec::new());
    let record = |progress: LoadProgress| reports.lock().unwrap().push(progress);
    let library = load_with_progress(dir.path(), &LoadOptions::default(), &record).unwrap();
    assert_eq!(library.len(), 3_000);
    let reports = reports.into_inner().unwrap();
    assert_eq!(
        reports.last(),
        Some(&LoadProgress {
            found: 3_000,
            loaded: 3_000,
            done_walking: true
        })
    );
    // Every thousand found, every thousand loaded, end of walk, end of load.
    assert!(reports.len() <= 8, "{} reports", reports.len());
    // Once the walk is done, the number found is final.
    assert!(
        reports
            .iter()
            .filter(|r| r.done_walking)
            .all(|r| r.found == 3_000)
    );
}

#[test]
fn a_file_reached_through_several_paths_is_listed_once_under_the_path_without_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "news/2024/story.txt", plain_article("Story"));
    write(
        root,
        "news/2024/other.md",
        "+++\ntitle = \"Other\"\n+++\n\nText.\n",
    );
    write(root, "z.txt", plain_article("Hard"));
    // A linked folder that leads back into the tree, named to come first
    // in path order, and one deeper down.
    symlink("news", root.join("a_shortcut")).unwrap();
    symlink("../../news/2024", root.join("news/2024/again")).unwrap();
    // A link to a file in the tree, also first in path order.
    symlink("news/2024/story.txt", root.join("a_story.txt")).unwrap();
    // A hard link: the first name in path order is kept.
    fs::hard_link(root.join("z.txt"), root.join("y.txt")).unwrap();
    let library = load_default(root);
    assert_eq!(
        sorted_ids(&library),
        ["news/2024/other.md", "news/2024/story.txt", "y.txt"]
    );
    let story = library.find("news/2024/story.txt").unwrap();
    assert_eq!(story.title(), "Story");
    let path_of = |id: &str| library.position(id).and_then(|at| library.path(at));
    assert_eq!(
        path_of("news/2024/story.txt"),
        Some(root.join("news/2024/story.txt"))
    );
    assert_eq!(path_of("y.txt"), Some(root.join("y.txt")));
    // The deeper link leads back to a folder it is in: a loop, as before.
    let paths: Vec<&str> = library.warnings().iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["news/2024/again"], "{:?}", library.warnings());
}

#[test]
fn a_linked_folder_into_the_tree_adds_nothing_and_one_from_outside_is_listed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "far.txt", plain_article("Far"));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/near.txt", plain_article("Near"));
    symlink("sub", dir.path().join("linked")).unwrap();
    symlink(outside.path(), dir.path().join("outside")).unwrap();
    symlink(outside.path(), dir.path().join("sub/outside_too")).unwrap();
    let library = load_default(dir.path());
    // Both links to the outside go through a link: the first in path order
    // names the file.
    assert_eq!(sorted_ids(&library), ["outside/far.txt", "sub/near.txt"]);
    assert_eq!(library.warnings(), []);
}

#[test]
fn of_files_that_all_need_a_link_the_first_path_in_order_names_them() {
    let outside = tempfile::tempdir().unwrap();
    let target = write(outside.path(), "real.txt", plain_article("Linked twice"));
    let dir = tempfile::tempdir().unwrap();
    symlink(&target, dir.path().join("b.txt")).unwrap();
    symlink(&target, dir.path().join("a.txt")).unwrap();
    let library = load_default(dir.path());
    assert_eq!(ids(&library), ["a.txt"]);
    assert_eq!(library.path(0), Some(dir.path().join("a.txt")));
}

#[test]
fn one_file_one_article_whatever_the_threads_and_with_summaries_too() {
    let dir = generated_folder(300);
    for n in 0..7 {
        symlink(format!("d{n}"), dir.path().join(format!("link{n}"))).unwrap();
        fs::hard_link(
            dir.path().join(format!("d{n}/a{n:05}.txt")),
            dir.path().join(format!("hard{n}.txt")),
        )
        .unwrap();
    }
    for threads in [1, 3] {
        for detail in [
            broadsheet::article::Detail::Full,
            broadsheet::article::Detail::Summary,
        ] {
            let options = LoadOptions {
                threads,
                detail,
                ..LoadOptions::default()
            };
            let library = load(dir.path(), &options).unwrap();
            assert_eq!(library.len(), 300);
            assert_eq!(library.warnings(), []);
            // The hard links' other names come after `dN/` in path order.
            assert!(library.find("d3/a00003.txt").is_some());
            assert!(library.find("hard3.txt").is_none());
            assert!(library.iter().all(|a| a.id().starts_with('d')));
        }
    }
}
