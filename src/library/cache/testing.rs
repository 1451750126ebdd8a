//! What the tests of every cache file share: temporary folders, files
//! written fresh (a new inode each time, so a file a test still has mapped
//! is never rewritten), and the check that every cut and an extension of a
//! file are refused.

use std::fs;
use std::path::{Path, PathBuf};

use super::{CacheError, CacheErrorKind};

/// A temporary folder, removed when dropped.
pub(super) fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|err| panic!("tempdir: {err}"))
}

/// Writes `bytes` to `path`.
pub(super) fn write_file(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap_or_else(|err| panic!("write {path:?}: {err}"));
}

/// Writes `bytes` as `dir/name` in a new file: never rewrite a file that
/// may still be mapped.
pub(super) fn fresh_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    let _ = fs::remove_file(&path);
    write_file(&path, bytes);
    path
}

/// Checks that `open` refuses `original` cut to every length, reports the
/// last byte missing as truncated, and reports one byte more as extended.
pub(super) fn assert_cuts_and_extension_rejected<T>(
    original: &[u8],
    open: impl Fn(&[u8]) -> Result<T, CacheError>,
) {
    for len in 0..original.len() {
        let err = open(&original[..len]).err();
        assert!(err.is_some(), "cut to {len} bytes opened");
    }
    let mut longer = original.to_vec();
    longer.push(0);
    let err = open(&longer).err().map(|e| e.kind);
    assert!(
        matches!(err, Some(CacheErrorKind::Extended { .. })),
        "{err:?}"
    );
    let cut = open(&original[..original.len() - 1]).err().map(|e| e.kind);
    assert!(
        matches!(cut, Some(CacheErrorKind::Truncated { .. })),
        "{cut:?}"
    );
}
