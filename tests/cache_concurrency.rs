//! The on-disk cache under concurrency and crashes: writers and readers at
//! once in one process, several `broadsheet` processes building the same
//! cache at once, a writer killed with SIGKILL at any moment, and a cache
//! folder that cannot be written. Whatever happens, a reader sees one whole
//! write or a clear error, never a mix of two writes or a damaged file, and
//! the commands give the right answer.
//!
//! Nothing here asserts on time: every loop is bounded by a count and a
//! deadline, and every child process is killed and reaped, even when a test
//! fails part way.

mod listing;
use listing::listing;

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use broadsheet::library::cache::dir::folder_cache;
use broadsheet::library::cache::{CacheError, CacheErrorKind};
use broadsheet::library::refresh::refresh;
use broadsheet::library::stored::{open_cached, save};
use broadsheet::library::{Library, LoadOptions, load};

use common::{POLL, Sandbox};

fn fresh(root: &Path) -> Library {
    load(root, &LoadOptions::default()).expect("the folder loads")
}

/// A generated article: number `n`, its body in version `version` (a
/// changed body changes the text and the word count, not the id), with
/// `extra` more sentences to make it longer.
fn article(n: usize, version: usize, extra: usize) -> String {
    let mut body =
        format!("Body words of article {n} in version {version}: the quick brown fox {n} jumps.");
    for sentence in 0..extra {
        body.push_str(&format!(
            " Sentence {sentence} about topic{} and subject{} goes on.",
            (n + sentence) % 97,
            (n * 7 + sentence + version) % 89
        ));
    }
    format!(
        " date 2024-01-{:02} | Tagged: tag{}\n\nTitle {n}\n\n{body}\n",
        n % 28 + 1,
        n % 13
    )
}

/// Writes article `n` (version `version`) into `root/d<n % 5>/`.
fn write_article(root: &Path, n: usize, version: usize, extra: usize) {
    let folder = root.join(format!("d{}", n % 5));
    fs::create_dir_all(&folder).expect("an article folder");
    fs::write(
        folder.join(format!("a{n:05}.txt")),
        article(n, version, extra),
    )
    .expect("an article");
}

/// The cache folder the binary uses for the sandbox's articles.
fn sandbox_cache(sandbox: &Sandbox) -> PathBuf {
    let root = fs::canonicalize(sandbox.articles()).expect("the articles folder");
    folder_cache(&sandbox.path().join("xdg-cache").join("broadsheet"), &root)
}

/// The names of the temporary files left in a cache folder.
fn temp_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp"))
        .collect()
}

/// The errors a reader may meet while writers replace the files: the
/// summaries of one write beside the texts or words of another.
fn is_other_write(error: &CacheError) -> bool {
    matches!(error.kind, CacheErrorKind::OtherGeneration { .. })
        || error.kind == CacheErrorKind::BadLayout("not the length the summaries recorded")
}

/// A child process that is killed and reaped when dropped, whatever
/// happened to the test.
struct Reaped {
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Reaped {
    /// Starts `command` with its output going to files under `out` (a
    /// pipe would fill and block a child that is not read while it runs).
    fn start(mut command: Command, out: &Path, name: &str) -> Reaped {
        let stdout = out.join(format!("{name}.out"));
        let stderr = out.join(format!("{name}.err"));
        command
            .stdin(Stdio::null())
            .stdout(fs::File::create(&stdout).expect("a stdout file"))
            .stderr(fs::File::create(&stderr).expect("a stderr file"));
        let child = command.spawn().expect("broadsheet starts");
        Reaped {
            child,
            stdout,
            stderr,
        }
    }

    /// Waits for the child to end (failing the test after `deadline`) and
    /// gives its exit code, stdout and stderr.
    fn finish(mut self, deadline: Instant) -> (Option<i32>, String, String) {
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for broadsheet") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "broadsheet {} did not end in time",
                self.child.id()
            );
            thread::sleep(POLL);
        };
        let stdout = fs::read_to_string(&self.stdout).unwrap_or_default();
        let stderr = fs::read_to_string(&self.stderr).unwrap_or_default();
        (status.code(), stdout, stderr)
    }

    /// Kills the child with SIGKILL and reaps it.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        // Already reaped: kill fails and wait returns the saved status.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The count `list --count` printed.
fn printed_count(stdout: &str) -> usize {
    stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("list --count printed {stdout:?}"))
}

/// Proves that a reader never sees a mix of two writes: two threads save
/// two different libraries of one folder (the folder before and after a
/// change of many bodies and new articles) into one cache folder while two
/// threads open it. Every open that succeeds must be exactly one of the two
/// libraries (and the one its generation says), never rows of one write
/// with texts or words of the other, and never a panic; an open that fails
/// may only say that the files are of two writes, never that one is cut
/// short or damaged. At the end the cache opens as the last write, and a
/// check of the folder brings it to what a fresh load gives.
#[test]
fn writers_and_readers_at_once_never_see_a_mix() {
    const ARTICLES: usize = 300;
    const SAVES: usize = 20;
    let folder = tempfile::tempdir().expect("a folder");
    let root = folder.path();
    for n in 0..ARTICLES {
        write_article(root, n, 0, 3);
    }
    let before = fresh(root);
    // The same ids with other bodies (so other texts and word counts), and
    // new articles (so other lengths and another number of rows).
    for n in (0..ARTICLES).step_by(3) {
        write_article(root, n, 1, 5);
    }
    for n in ARTICLES..ARTICLES + 40 {
        write_article(root, n, 0, 3);
    }
    let after = fresh(root);
    let expected = [listing(&before), listing(&after)];
    assert_ne!(expected[0], expected[1], "the two libraries differ");

    let cache = tempfile::tempdir().expect("a cache folder");
    let dir = cache.path();
    // One write first, so summaries.bin is always there for the readers.
    let mut generations = HashMap::new();
    generations.insert(save(&before, dir).expect("the first save"), 0);
    let generations = Mutex::new(generations);
    let stop = AtomicBool::new(false);
    let opened = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let deadline = Instant::now() + Duration::from_secs(60);

    thread::scope(|scope| {
        let readers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                        match open_cached(root, dir) {
                            Ok(library) => {
                                let seen = listing(&library);
                                let which = expected.iter().position(|one| *one == seen);
                                assert!(
                                    which.is_some(),
                                    "an opened cache is neither write ({} rows)",
                                    seen.len()
                                );
                                // A save records its generation once it
                                // returns: check those already recorded.
                                let known = generations
                                    .lock()
                                    .unwrap()
                                    .get(&library.generation())
                                    .copied();
                                if let Some(known) = known {
                                    assert_eq!(which, Some(known), "the generation's library");
                                }
                                opened.fetch_add(1, Ordering::SeqCst);
                            }
                            Err(error) if is_other_write(&error) => {
                                refused.fetch_add(1, Ordering::SeqCst);
                            }
                            Err(error) => panic!("a reader met a broken cache: {error}"),
                        }
                    }
                })
            })
            .collect();
        let writers: Vec<_> = [&before, &after]
            .into_iter()
            .enumerate()
            .map(|(which, library)| {
                let generations = &generations;
                scope.spawn(move || {
                    for _ in 0..SAVES {
                        if Instant::now() >= deadline {
                            break;
                        }
                        let generation = save(library, dir).expect("a save");
                        generations.lock().unwrap().insert(generation, which);
                    }
                })
            })
            .collect();
        let written: Vec<_> = writers.into_iter().map(|writer| writer.join()).collect();
        stop.store(true, Ordering::SeqCst);
        let read: Vec<_> = readers.into_iter().map(|reader| reader.join()).collect();
        for result in written.into_iter().chain(read) {
            if let Err(panic) = result {
                std::panic::resume_unwind(panic);
            }
        }
    });
    eprintln!(
        "opened {} times, refused {} times (files of two writes)",
        opened.load(Ordering::SeqCst),
        refused.load(Ordering::SeqCst)
    );

    // No writer left: the cache opens, as one of the writes saved.
    let last = open_cached(root, dir).expect("the cache opens once the writers are done");
    let which = *generations
        .lock()
        .unwrap()
        .get(&last.generation())
        .expect("the generation of a save");
    assert_eq!(listing(&last), expected[which]);
    // And a check of the folder makes it equal to the folder.
    let checked = refresh(&last, &LoadOptions::default()).expect("the check");
    let current = checked.library.unwrap_or(last);
    assert_eq!(listing(&current), listing(&fresh(root)));
    assert!(temp_files(dir).is_empty(), "{:?}", temp_files(dir));
}

/// Proves that several processes building the same missing cache at once
/// (and, in the last round, rewriting it after a change while others read
/// it) all succeed with the right answer: `list --count` and `list --json`
/// print what a run without the cache prints, no run reports a damaged
/// cache or panics, and no temporary file is left behind once they are
/// done.
#[test]
fn processes_building_one_cache_at_once_all_agree() {
    const AT_ONCE: usize = 6;
    const ROUNDS: usize = 3;
    let sandbox = Sandbox::empty();
    let root = sandbox.articles();
    for n in 0..300 {
        write_article(&root, n, 0, 3);
    }
    let dir = sandbox_cache(&sandbox);
    let out = tempfile::tempdir().expect("an output folder");
    let deadline = Instant::now() + Duration::from_secs(90);
    for round in 0..ROUNDS {
        if round + 1 == ROUNDS {
            // Many new articles: the runs find the cache much changed and
            // write it again while the others read it.
            for n in 300..360 {
                write_article(&root, n, 0, 3);
            }
        } else {
            // No cache: every run builds it.
            let _ = fs::remove_dir_all(&dir);
        }
        let count = printed_count(&sandbox.cli(&["--no-cache", "list", "--count"]));
        let json: serde_json::Value =
            serde_json::from_str(&sandbox.cli(&["--no-cache", "list", "--json"]))
                .expect("list --json is JSON");
        assert_eq!(json.as_array().map(Vec::len), Some(count));

        let runs: Vec<(bool, Reaped)> = (0..AT_ONCE)
            .map(|i| {
                let as_json = i % 2 == 1;
                let args: &[&str] = if as_json {
                    &["list", "--json"]
                } else {
                    &["list", "--count"]
                };
                let run = Reaped::start(sandbox.command(args), out.path(), &format!("{round}-{i}"));
                (as_json, run)
            })
            .collect();
        for (i, (as_json, run)) in runs.into_iter().enumerate() {
            let (code, stdout, stderr) = run.finish(deadline);
            assert_eq!(code, Some(0), "run {i} of round {round} failed: {stderr}");
            for bad in [
                "panicked",
                "checksum",
                "cut short",
                "damaged",
                "running without",
            ] {
                assert!(
                    !stderr.contains(bad),
                    "run {i} of round {round} said {bad:?}: {stderr}"
                );
            }
            if as_json {
                let printed: serde_json::Value =
                    serde_json::from_str(&stdout).expect("list --json is JSON");
                assert_eq!(printed, json, "run {i} of round {round}");
            } else {
                assert_eq!(printed_count(&stdout), count, "run {i} of round {round}");
            }
        }
        // Every writer is gone, and each cleaned up after itself.
        assert!(
            temp_files(&dir).is_empty(),
            "round {round} left {:?}",
            temp_files(&dir)
        );
        let cached = open_cached(&root, &dir).expect("the cache the runs wrote opens");
        assert_eq!(cached.len(), count, "round {round}");
    }
}

/// Proves that a writer killed with SIGKILL at any moment (reading the
/// folder, writing texts.bin or words.bin, between the renames, writing
/// summaries.bin) never leaves a cache that opens as something else than
/// the folder: either it fails to open with an error naming the file, and
/// the next run rebuilds it and prints the right count, or it opens and a
/// check of the folder brings it to what a fresh load gives. At the end, a
/// run that writes the cache sweeps away the temporary files the killed
/// writers left.
#[test]
fn a_writer_killed_at_any_moment_leaves_a_usable_or_refused_cache() {
    const ARTICLES: usize = 2_500;
    const ITERATIONS: usize = 15;
    let sandbox = Sandbox::empty();
    let root = sandbox.articles();
    for n in 0..ARTICLES {
        write_article(&root, n, 0, 8);
    }
    let dir = sandbox_cache(&sandbox);
    let out = tempfile::tempdir().expect("an output folder");
    let mut count = ARTICLES;
    let mut expected = listing(&fresh(&root));
    let mut last_pid = 0;
    for iteration in 0..ITERATIONS {
        if iteration % 2 == 0 {
            // No cache: the run builds it. (Only the cache files go: the
            // temporary files killed writers left stay for the sweep.)
            for name in ["summaries.bin", "texts.bin", "words.bin"] {
                let _ = fs::remove_file(dir.join(name));
            }
        } else {
            // A changed folder (more than a fiftieth of it), so the run
            // writes the cache again over the one there.
            let version = iteration;
            for n in (iteration..count).step_by(20) {
                write_article(&root, n, version, 8);
            }
            write_article(&root, count, 0, 8);
            count += 1;
            expected = listing(&fresh(&root));
        }
        let run = Reaped::start(
            sandbox.command(&["list", "--count"]),
            out.path(),
            &format!("killed-{iteration}"),
        );
        // Spread over the time a run takes (0..400 ms), in an order that
        // is not monotonic; a run over a cache reads little before it
        // writes, so its kills come later, when it writes.
        let delay = if iteration % 2 == 0 {
            (iteration * 167) % 401
        } else {
            150 + (iteration * 83) % 251
        };
        thread::sleep(Duration::from_millis(delay as u64));
        last_pid = run.child.id();
        run.kill();
        let left = temp_files(&dir).len();

        match open_cached(&root, &dir) {
            Err(error) => {
                eprintln!("{iteration}: {delay} ms, {left} temp files: {error}");
                assert!(
                    error.to_string().starts_with("cache "),
                    "a clear error: {error}"
                );
                let printed = sandbox.cli(&["list", "--count"]);
                assert_eq!(printed_count(&printed), count, "iteration {iteration}");
                // That run rebuilt the cache.
                let rebuilt = open_cached(&root, &dir)
                    .unwrap_or_else(|error| panic!("iteration {iteration}: not rebuilt: {error}"));
                assert_eq!(listing(&rebuilt), expected, "iteration {iteration}");
            }
            Ok(library) => {
                eprintln!("{iteration}: {delay} ms, {left} temp files: opened");
                let checked = refresh(&library, &LoadOptions::default()).expect("the check");
                let current = checked.library.unwrap_or(library);
                assert!(
                    listing(&current) == expected,
                    "iteration {iteration} (killed after {delay} ms): the cache, checked, \
                     is not the folder"
                );
            }
        }
    }
    // A run that writes the cache sweeps away what the killed ones left:
    // whatever the kills above left, and for certain one more, named as a
    // temporary file of the last killed writer (gone and reaped).
    fs::create_dir_all(&dir).expect("the cache folder");
    fs::write(
        dir.join(format!(".texts.bin.tmp-{last_pid}-KILLED")),
        "partial",
    )
    .expect("a stale temporary file");
    eprintln!("before the sweep: {:?}", temp_files(&dir));
    let _ = fs::remove_file(dir.join("summaries.bin"));
    let printed = sandbox.cli(&["list", "--count"]);
    assert_eq!(printed_count(&printed), count);
    assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
}

/// Runs `list --count` on the five samples, which must succeed with the
/// right count and say once that it runs without a cache.
fn runs_without_cache(sandbox: &Sandbox, what: &str) {
    let output = sandbox.run(&["list", "--count"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{what}: {stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(printed_count(&stdout), common::SAMPLES.len(), "{what}");
    assert_eq!(
        stderr.matches("running without a cache").count(),
        1,
        "{what}: {stderr}"
    );
}

/// Proves that a cache folder that cannot be written (its base folder
/// read-only, or a file where the folder should be) costs nothing but the
/// cache: the command still prints the right count and says once on stderr
/// that it runs without a cache. Root ignores permissions, so the
/// read-only case is only tried as another user.
#[test]
fn a_cache_that_cannot_be_written_is_reported_once() {
    let sandbox = Sandbox::samples();
    let base = sandbox.path().join("xdg-cache").join("broadsheet");
    // SAFETY: geteuid only reads the process's effective user id.
    let root_user = unsafe { libc::geteuid() } == 0;
    if !root_user {
        use std::os::unix::fs::PermissionsExt;
        fs::create_dir_all(&base).expect("the cache base folder");
        fs::set_permissions(&base, fs::Permissions::from_mode(0o555)).expect("chmod");
        runs_without_cache(&sandbox, "a read-only cache folder");
        fs::set_permissions(&base, fs::Permissions::from_mode(0o755)).expect("chmod back");
        fs::remove_dir(&base).expect("the base folder is still empty");
    }
    // A regular file where the cache base folder should be: no one, not
    // even root, can make a folder inside it.
    fs::create_dir_all(base.parent().expect("a parent")).expect("xdg-cache");
    fs::write(&base, "not a folder").expect("a file in the way");
    runs_without_cache(&sandbox, "a file where the cache folder should be");
    // And a second run, the same.
    runs_without_cache(&sandbox, "a file in the way, again");
}
