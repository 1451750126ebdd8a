//! Reading a file broadsheet keeps: a regular file only, never blocking,
//! never more than a cap.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use super::paths::Links;

/// Reads the whole of the regular file at `path`, at most `cap` bytes: a
/// FIFO, device, socket or folder is an error (it could hang the reader or
/// never end), and so is a file over the cap. Under [`Links::Replace`] a
/// symbolic link is an error too (the caller treats the file as damaged and
/// replaces it).
pub fn read_regular(path: &Path, cap: u64, links: Links) -> io::Result<Vec<u8>> {
    let file = open_nonblocking(path, OpenOptions::new().read(true), links)?;
    ensure_regular(&file)?;
    let mut bytes = Vec::new();
    (&file)
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(io::Error::other(format!(
            "larger than {} MiB: not a file broadsheet wrote",
            cap / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

/// Opens with `O_NONBLOCK`, so opening a FIFO does not wait for a writer,
/// and under [`Links::Replace`] with `O_NOFOLLOW`, so a symbolic link fails
/// to open (`ELOOP`) instead of leading elsewhere.
pub fn open_nonblocking(path: &Path, options: &mut OpenOptions, links: Links) -> io::Result<File> {
    #[cfg(unix)]
    {
        let no_follow = match links {
            Links::Follow => 0,
            Links::Replace => libc::O_NOFOLLOW,
        };
        std::os::unix::fs::OpenOptionsExt::custom_flags(options, libc::O_NONBLOCK | no_follow);
    }
    #[cfg(not(unix))]
    let _ = links;
    options.open(path)
}

/// An error unless the open file is a regular file.
pub(super) fn ensure_regular(file: &File) -> io::Result<()> {
    let meta = file.metadata()?;
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        Err(io::ErrorKind::IsADirectory.into())
    } else {
        Err(io::Error::other(
            "not a regular file (a FIFO, device, socket or folder): point it at a regular file",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_cap_is_refused_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_regular(&path, 5, Links::Follow).unwrap(), b"12345");
        assert!(read_regular(&path, 4, Links::Follow).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_at_once_and_a_link_only_when_links_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert!(read_regular(&fifo, 100, Links::Follow).is_err());
        let real = dir.path().join("real");
        std::fs::write(&real, b"x").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(read_regular(&link, 100, Links::Follow).unwrap(), b"x");
        assert!(read_regular(&link, 100, Links::Replace).is_err());
    }
}
