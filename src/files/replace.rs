//! Replacing a file whole: a temporary file in the same folder, renamed
//! over the target, so a reader sees the old file or the new one and a
//! file another process has mapped is never changed in place.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::error::{FileError, io_error};
use super::paths::{Links, create_folder, file_name, parent_folder, sync_folder, target_of};
use super::temps::{temp_prefix_of, writer_temp_prefix};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Whether a replace waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// The file and the rename are fsynced: a crash leaves the old file or
    /// the new one, whole (the person's files).
    Synced,
    /// Nothing is fsynced: for files checked whenever they are read (the
    /// cache) or written again from their source (fetched articles), where
    /// a crash that leaves zeros is caught and a writer need not wait.
    Unsynced,
}

/// Replaces `path` with `bytes`, fsynced, following a link to the person's
/// file: the store's files.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    replace_file(path, Links::Follow, Durability::Synced, &mut |file| {
        file.write_all(bytes)
    })
}

/// Replaces the file at `path` (the file a link leads to, or the link
/// itself, as `links` says) with what `write` writes into a temporary file
/// `.<name>.tmp-<pid>-*` in the same folder, renamed over it. Creates the
/// folder when it is missing; keeps the old file's permissions. A target
/// that is a folder, FIFO or device is an error, never replaced. On an
/// error the temporary file is removed and the old file is untouched.
pub fn replace_file(
    path: &Path,
    links: Links,
    durability: Durability,
    write: &mut dyn FnMut(&mut fs::File) -> io::Result<()>,
) -> Result<(), FileError> {
    let target = target_of(path, links);
    let old = fs::symlink_metadata(&target).ok();
    if let Some(meta) = &old
        && !meta.is_file()
        && !meta.file_type().is_symlink()
    {
        return Err(FileError::new(
            path,
            format!(
                "{} is not a regular file; not replacing it: point the setting at a regular file",
                target.display()
            ),
        ));
    }
    let name = file_name(&target)?;
    let folder = parent_folder(&target);
    create_folder(path, folder)?;
    let mut temp = tempfile::Builder::new()
        .prefix(&writer_temp_prefix(&name))
        .tempfile_in(folder)
        .map_err(|err| io_error(path, "create a temporary file next to it", &err))?;
    if let Some(old) = old.filter(fs::Metadata::is_file) {
        let _ = temp.as_file().set_permissions(old.permissions());
    }
    let synced = durability == Durability::Synced;
    write(temp.as_file_mut())
        .and_then(|()| {
            if synced {
                temp.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .map_err(|err| io_error(path, "write", &err))?;
    temp.persist(&target)
        .map_err(|err| io_error(path, "replace", &err.error))?;
    if synced {
        sync_folder(folder);
    }
    Ok(())
}

/// Writes `bytes` as the file `path`, which the caller found missing (an
/// article a fetch writes for the first time, its folder listed once):
/// the same temporary file and rename as [`replace_file`] with
/// [`Durability::Unsynced`] and [`Links::Replace`], without looking at the
/// target first. Four system calls (create, one write, close, rename)
/// instead of nine, which is most of a first fetch's file work. The
/// folder is created when it is missing. Whatever is at `path` by the
/// time of the rename (a file, or a link, which is replaced itself) is
/// replaced; a folder there is an error.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let name = file_name(path)?;
    let folder = parent_folder(path);
    let (temp, mut file) = match create_temp(folder, &name) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            create_folder(path, folder)?;
            create_temp(folder, &name)
        }
        created => created,
    }
    .map_err(|err| io_error(path, "create a temporary file next to it", &err))?;
    let written = file.write_all(bytes);
    drop(file);
    let done = written
        .map_err(|err| io_error(path, "write", &err))
        .and_then(|()| fs::rename(&temp, path).map_err(|err| io_error(path, "replace", &err)));
    if done.is_err() {
        let _ = fs::remove_file(&temp);
    }
    done
}

/// A new temporary file for `name` in `folder`, named
/// `.<name>.tmp-<pid>-<n>` as the sweep of killed writers' files expects,
/// `n` counted in this process (a name a dead process left is skipped);
/// readable by its owner alone, as [`replace_file`]'s are.
fn create_temp(folder: &Path, name: &str) -> io::Result<(std::path::PathBuf, fs::File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static PREFIX: OnceLock<String> = OnceLock::new();
    // The process id is asked once: each ask is a system call.
    let pid = PREFIX.get_or_init(|| std::process::id().to_string());
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut tries = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(format!("{}{pid}-{n}", temp_prefix_of(name)));
        match options.open(&temp) {
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && tries < 8 => tries += 1,
            opened => return opened.map(|file| (temp, file)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_leaves_no_temporary_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        write_atomic(&path, b"read = []").unwrap();
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.toml"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_or_replaced_as_the_rule_says() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join("mine.toml");
        fs::write(&mine, "old").unwrap();
        let link = dir.path().join("bookmarks.toml");
        std::os::unix::fs::symlink(&mine, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert_eq!(fs::read_to_string(&mine).unwrap(), "new", "followed");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );

        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let planted = dir.path().join("summaries.bin");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        replace_file(&planted, Links::Replace, Durability::Unsynced, &mut |f| {
            f.write_all(b"cache")
        })
        .unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(fs::symlink_metadata(&planted).unwrap().is_file());
        assert_eq!(fs::read_to_string(&planted).unwrap(), "cache");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_written_whole_in_a_folder_made_for_it_and_replaces_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("feed");
        let article = folder.join("a.md");
        write_new(&article, b"first").unwrap();
        assert_eq!(fs::read_to_string(&article).unwrap(), "first");
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let planted = folder.join("b.md");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_new(&planted, b"second").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(fs::symlink_metadata(&planted).unwrap().is_file());
        // A folder in the way is an error naming the file, and no
        // temporary file is left behind.
        fs::create_dir(folder.join("c.md")).unwrap();
        fs::write(folder.join("c.md/x"), "x").unwrap();
        let err = write_new(&folder.join("c.md"), b"third").unwrap_err();
        assert!(err.to_string().contains("c.md"), "{err}");
        let mut names: Vec<_> = fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a.md", "b.md", "c.md"]);
    }
}
