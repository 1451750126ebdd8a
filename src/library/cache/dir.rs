//! Where the cache of an articles folder lives, and the key that ties a
//! cache file to its folder.

use std::path::{Path, PathBuf};

/// The key of an articles folder: the xxh3-64 of its canonical path's bytes.
/// It names the folder's cache folder and is recorded in every
/// `summaries.bin`, so a cache copied or linked to another folder's place is
/// caught as foreign and rebuilt. The path must be canonical (see
/// [`std::fs::canonicalize`]) so that every way of naming the folder gives
/// one key.
pub fn folder_key(canonical_root: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(canonical_root.as_os_str().as_encoded_bytes())
}

/// The cache folder of an articles folder inside `base`, the folder that
/// holds the caches: `base/<16 hex digits of folder_key>`.
pub fn folder_cache(base: &Path, canonical_root: &Path) -> PathBuf {
    base.join(format!("{:016x}", folder_key(canonical_root)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_named_by_the_key() {
        let root = Path::new("/home/me/news");
        let dir = folder_cache(Path::new("/var/cache/me/broadsheet"), root);
        let expected = format!("/var/cache/me/broadsheet/{:016x}", folder_key(root));
        assert_eq!(dir, PathBuf::from(expected));
    }

    #[test]
    fn different_folders_get_different_keys_and_folders() {
        let a = Path::new("/news/a");
        let b = Path::new("/news/b");
        assert_ne!(folder_key(a), folder_key(b));
        let base = Path::new("/h/.cache/broadsheet");
        assert_ne!(folder_cache(base, a), folder_cache(base, b));
        // The key is a pure function of the path: the same every time.
        assert_eq!(folder_key(a), folder_key(Path::new("/news/a")));
    }
}
