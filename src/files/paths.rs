//! Names and folders: the link rule ([`Links`]), where a write lands, and
//! folders created (privately, for the cache) and synced.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use super::error::{FileError, io_error};

/// Whether a symbolic link at a file's path is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// The person's own file (bookmarks, read marks, tags, feeds.toml, an
    /// article): it may be a link, which is kept; a write changes the file
    /// it leads to, and a dangling link creates the file it names.
    Follow,
    /// A file broadsheet keeps for itself (the cache, a fetched article,
    /// a feed's state): a link found there is never followed. A write
    /// replaces the link itself with a regular file, and a lock file that
    /// is a link is removed and made anew, so a planted link cannot lead a
    /// write to another file.
    Replace,
}

/// The path a write of `path` lands on under `links`: the file a link
/// leads to when links are followed, `path` itself otherwise.
pub fn target_of(path: &Path, links: Links) -> PathBuf {
    match links {
        Links::Follow => resolve_symlink(path),
        Links::Replace => path.to_path_buf(),
    }
}

/// The file a symbolic link points to, so that writing through the link
/// keeps it; any other path (or a dangling link) as it is.
fn resolve_symlink(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    // A dangling link: write the file it names, so the link stays a link.
    match fs::read_link(path) {
        Ok(target) if target.is_absolute() => target,
        Ok(target) => parent_folder(path).join(target),
        Err(_) => path.to_path_buf(),
    }
}

/// The file name of a path, or an error for paths like `/` or `..`.
pub fn file_name(path: &Path) -> Result<String, FileError> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| {
            FileError::new(
                path,
                "is not a file path: give a path that ends in a file name",
            )
        })
}

/// The folder holding `path` (`.` for a bare file name).
pub fn parent_folder(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Makes a rename in `folder` durable. Errors are ignored: the rename has
/// already happened, and some file systems cannot sync a folder at all.
pub fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// Creates `folder`, the folder of `path`, when it is missing (with its
/// parents); errors name `path`.
pub fn create_folder(path: &Path, folder: &Path) -> Result<(), FileError> {
    fs::create_dir_all(folder).map_err(|err| folder_error(path, folder, &err))
}

/// Creates `folder` (and any missing parents) readable by its owner alone
/// (0700), and makes an existing one so when it is looser: the cache holds
/// the text of every article, which others on the machine need not read.
/// Errors name `folder`.
pub fn create_private_folder(folder: &Path) -> Result<(), FileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder)
            .map_err(|err| folder_error(folder, folder, &err))?;
        let meta = fs::metadata(folder).map_err(|err| io_error(folder, "read", &err))?;
        if meta.permissions().mode() & 0o077 != 0 {
            fs::set_permissions(folder, fs::Permissions::from_mode(0o700))
                .map_err(|err| io_error(folder, "make it private (0700)", &err))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    create_folder(folder, folder)
}

/// The error of a folder that could not be made.
fn folder_error(path: &Path, folder: &Path, err: &io::Error) -> FileError {
    match err.kind() {
        // `create_dir_all` on a path that names a file says "exists".
        io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory => FileError::new(
            path,
            format!(
                "cannot create its folder {}: a part of that path is a file, not a folder: choose another path",
                folder.display()
            ),
        ),
        _ => io_error(
            path,
            &format!("create its folder {}", folder.display()),
            err,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_private_folder_is_made_0700_and_tightened_when_loose() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("broadsheet/0123");
        create_private_folder(&cache).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache), 0o700);
        assert_eq!(mode(&dir.path().join("broadsheet")), 0o700);
        fs::set_permissions(&cache, fs::Permissions::from_mode(0o755)).unwrap();
        create_private_folder(&cache).unwrap();
        assert_eq!(
            mode(&cache),
            0o700,
            "an older, looser folder is made private"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_for_the_persons_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(target_of(&link, Links::Follow), real);
        assert_eq!(target_of(&link, Links::Replace), link);
    }
}
