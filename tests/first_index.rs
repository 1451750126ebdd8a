//! The first index of a folder, killed part way by SIGKILL at many
//! moments: whatever it left, the next command answers as a run without
//! a cache does, and the cache is whole after it.

mod common;

use std::fs;
use std::path::Path;
use std::thread;
use std::time::Duration;

use common::Sandbox;

/// Articles in the folder: enough that the index takes a moment.
const ARTICLES: usize = 3_000;

/// The files of the sandbox's cache folder, by name.
fn cache_files(sandbox: &Sandbox) -> Vec<String> {
    let base = sandbox.path().join("xdg-cache/broadsheet");
    let mut names: Vec<String> = fs::read_dir(&base)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|folder| fs::read_dir(folder.path()).into_iter().flatten().flatten())
        .map(|file| file.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Damages the middle of the cache's `summaries.bin`, so the next start
/// rebuilds the cache over the old texts and words.
fn damage_summaries(base: &Path) {
    for folder in fs::read_dir(base).into_iter().flatten().flatten() {
        let path = folder.path().join("summaries.bin");
        if let Ok(mut bytes) = fs::read(&path) {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x5a;
            fs::write(&path, bytes).expect("a damaged summaries.bin");
        }
    }
}

#[test]
fn a_first_index_killed_at_any_moment_leaves_nothing_the_next_start_trusts_wrongly() {
    let sandbox = Sandbox::generated(ARTICLES);
    let queries: [&[&str]; 3] = [
        &["list", "--count"],
        &["list", "number 12", "--count"],
        &["list", "\"number 2999\""],
    ];
    let truth: Vec<String> = queries
        .iter()
        .map(|args| sandbox.cli(&[&["--no-cache"], *args].concat()))
        .collect();
    let base = sandbox.path().join("xdg-cache/broadsheet");
    for (round, wait_ms) in [
        5u64, 30, 100, 200, 260, 300, 340, 380, 420, 460, 520, 600, 800,
    ]
    .into_iter()
    .enumerate()
    {
        // Most rounds start without a cache, the others over a damaged
        // one (old texts and words left beside new ones). The moments
        // spread over both phases of the index on a test machine; each
        // round is a fair test whenever the kill lands.
        if round % 3 != 2 {
            let _ = fs::remove_dir_all(&base);
        } else {
            damage_summaries(&base);
        }
        let mut child = sandbox
            .command(&["list", "number 12", "--count"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("broadsheet starts");
        thread::sleep(Duration::from_millis(wait_ms));
        let _ = child.kill();
        let _ = child.wait();
        eprintln!("killed after {wait_ms} ms: {:?}", cache_files(&sandbox));
        for (args, expected) in queries.iter().zip(&truth) {
            assert_eq!(
                &sandbox.cli(args),
                expected,
                "{args:?} after a kill at {wait_ms} ms"
            );
        }
        // The cache is whole now: the next run has nothing to say.
        let output = sandbox.run(&["list", "--count"]);
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{wait_ms} ms");
    }
}
