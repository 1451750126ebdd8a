//! What the tests of every cache file share: temporary folders, files
//! written fresh (a new inode each time, so a file a test still has mapped
//! is never rewritten), every one-byte flip of a file, and the check that
//! every cut and an extension of a file are refused.

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

/// Every copy of `original` with one byte flipped (by 0x01, 0x80 and
/// 0xff, in turn at each place), with the place and the flip.
pub(super) fn flips(original: &[u8]) -> impl Iterator<Item = (usize, u8, Vec<u8>)> + '_ {
    (0..original.len()).flat_map(move |at| {
        [0x01u8, 0x80, 0xff].into_iter().map(move |mask| {
            let mut bytes = original.to_vec();
            bytes[at] ^= mask;
            (at, mask, bytes)
        })
    })
}

#[test]
fn flips_change_each_byte_three_ways_one_at_a_time() {
    let original = [0u8, 0x7f];
    let all: Vec<(usize, u8, Vec<u8>)> = flips(&original).collect();
    assert_eq!(all.len(), 6);
    for (at, mask, bytes) in all {
        let changed: Vec<usize> = (0..2).filter(|&i| bytes[i] != original[i]).collect();
        assert_eq!(changed, [at]);
        assert_eq!(bytes[at], original[at] ^ mask);
    }
}
