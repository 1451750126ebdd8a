//! Replacing a file whole: a temporary file in the same folder, renamed
//! over the target, so a reader sees the old file or the new one and a
//! file another process has mapped is never changed in place.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::error::{FileError, io_error};
use super::paths::{Links, create_folder, file_name, parent_folder, sync_folder, target_of};
use super::temps::writer_temp_prefix;

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
}
