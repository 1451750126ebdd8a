//! Temporary files of a replace (`.<name>.tmp-<pid>-<random>`): named after
//! their writer, so the next writer can sweep away those of writers that
//! were killed.

use std::fs;
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::paths::{Links, file_name, parent_folder, target_of};

/// A temporary file older than this cannot belong to a write still under way,
/// whatever process id its name carries (ids are reused, and a file may come
/// from another machine sharing the folder).
const STALE_TEMP_AGE: Duration = Duration::from_secs(60 * 60);

/// Removes the temporary files of `path` (where a write of it lands under
/// `links`) that a killed process left behind. Call it under the file's
/// lock, so no other process is writing through this path; a file is
/// removed when the process named in it is gone, or when it is an hour
/// old. A write under way (through another link to the same file, say)
/// belongs to a live process and takes milliseconds, so it is never
/// disturbed.
pub fn sweep_stale_temps(path: &Path, links: Links) {
    let target = target_of(path, links);
    let Ok(name) = file_name(&target) else {
        return;
    };
    let prefix = temp_prefix(&name);
    let folder = parent_folder(&target);
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) {
            sweep_if_stale(&entry, rest, now);
        }
    }
}

/// Removes every temporary file in `folder` that a killed writer left, of
/// whatever file (`.<name>.tmp-<pid>-*`, as [`sweep_stale_temps`] judges
/// them): for a folder of files only broadsheet writes (a feed's articles),
/// swept once before writing into it rather than once per file.
pub fn sweep_stale_temps_in(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if let Some(rest) = file_name.to_str().and_then(temp_name_rest) {
            sweep_if_stale(&entry, rest, now);
        }
    }
}

/// Of a name in a folder, what follows `.<name>.tmp` (`-<pid>-<random>`)
/// when it is the name of a replace's temporary file, of whatever file.
pub fn temp_name_rest(name: &str) -> Option<&str> {
    // The rest after the last `.tmp`: the file's own name may hold one.
    let at = name.strip_prefix('.')?.rfind(".tmp-")?;
    name.get(1 + at + ".tmp".len()..)
}

/// Removes the temporary file `entry` (whose name ends in `rest_of_name`,
/// `-<pid>-<random>`) when its writer is gone or it is an hour old.
fn sweep_if_stale(entry: &fs::DirEntry, rest_of_name: &str, now: SystemTime) {
    let Some(meta) = entry.metadata().ok().filter(fs::Metadata::is_file) else {
        return;
    };
    let is_old = meta
        .modified()
        .ok()
        .and_then(|modified| now.duration_since(modified).ok())
        .is_some_and(|age| age >= STALE_TEMP_AGE);
    let writer_gone = temp_writer(rest_of_name).is_some_and(|pid| !process_is_alive(pid));
    if is_old || writer_gone {
        let _ = fs::remove_file(entry.path());
    }
}

/// The start of the names of this process's temporary files,
/// `.<name>.tmp-<pid>-`: [`temp_writer`] reads the id back.
pub(super) fn writer_temp_prefix(name: &str) -> String {
    format!("{}-{}-", temp_prefix(name), std::process::id())
}

/// The process id in a temporary file's name after its prefix (`-<pid>-…`),
/// as [`writer_temp_prefix`] wrote it, or `None` for a name this program did
/// not make.
fn temp_writer(rest_of_name: &str) -> Option<u32> {
    let (pid, _random) = rest_of_name.strip_prefix('-')?.split_once('-')?;
    pid.parse().ok()
}

/// Whether a process with this id exists (a process of another user counts).
/// This process is always alive; so is any id that does not fit a `pid_t`,
/// because nothing can be said about it.
fn process_is_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        // 0 and negative ids address process groups, not one process.
        return true;
    }
    // SAFETY: signal 0 only checks whether the process exists; nothing is sent.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// The start of a temporary file's name for `name`, before the writer's
/// process id (`.<name>.tmp-`).
pub(super) fn temp_prefix_of(name: &str) -> String {
    format!("{}-", temp_prefix(name))
}

fn temp_prefix(name: &str) -> String {
    format!(".{name}.tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_file_names_its_writer() {
        assert_eq!(temp_writer("-4242-Xa9b"), Some(4242));
        assert_eq!(temp_writer("-4242-"), Some(4242));
        assert_eq!(temp_writer("Xa9b"), None, "made by an older version");
        assert_eq!(temp_writer("-notapid-x"), None);
        assert_eq!(temp_writer("-4242"), None);
        // What this process writes reads back as this process.
        let ours = writer_temp_prefix("bookmarks.toml") + "Xa9b";
        let rest = ours.strip_prefix(&temp_prefix("bookmarks.toml")).unwrap();
        assert_eq!(temp_writer(rest), Some(std::process::id()));
    }

    #[test]
    fn the_sweep_removes_temporary_files_of_gone_writers_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        let mut gone = std::process::Command::new("true").spawn().unwrap();
        gone.wait().unwrap();
        let mut alive = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let names = [
            format!(".bookmarks.toml.tmp-{}-a1", gone.id()),
            format!(".bookmarks.toml.tmp-{}-b2", alive.id()),
            format!(".bookmarks.toml.tmp-{}-c3", std::process::id()),
            ".bookmarks.toml.tmpd4".to_string(),
            format!(".state.toml.tmp-{}-e5", gone.id()),
        ];
        for name in &names {
            fs::write(dir.path().join(name), "half a file").unwrap();
        }
        sweep_stale_temps(&path, Links::Follow);
        let _ = alive.kill();
        let _ = alive.wait();
        let left = |name: &String| dir.path().join(name).exists();
        assert!(!left(&names[0]), "the writer is gone: swept");
        assert!(left(&names[1]), "a live writer's file is kept");
        assert!(left(&names[2]), "this process's own file is kept");
        assert!(left(&names[3]), "a fresh file without a writer is kept");
        assert!(left(&names[4]), "another store's file is kept");
    }

    #[test]
    fn a_folder_sweep_removes_every_gone_writers_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut gone = std::process::Command::new("true").spawn().unwrap();
        gone.wait().unwrap();
        let names = [
            format!(".a.md.tmp-{}-x1", gone.id()),
            format!(".b.md.tmp-{}-x2", gone.id()),
            format!(".c.md.tmp-{}-x3", std::process::id()),
            "a.md".to_string(),
            ".hidden-note".to_string(),
        ];
        for name in &names {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        sweep_stale_temps_in(dir.path());
        let left: Vec<bool> = names.iter().map(|n| dir.path().join(n).exists()).collect();
        assert_eq!(left, [false, false, true, true, true]);
    }
}
