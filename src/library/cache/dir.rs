//! Where the cache of an articles folder lives, and the key that ties a
//! cache file to its folder.

use std::ffi::OsStr;
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

/// The cache folder of an articles folder:
/// `$XDG_CACHE_HOME/broadsheet/<16 hex digits of folder_key>/`, else
/// `$HOME/.cache/broadsheet/<…>/`. A relative `$XDG_CACHE_HOME` is ignored,
/// as the XDG spec asks. `None` when neither gives an absolute path: then
/// there is nowhere sensible for a cache (the working folder is not one),
/// and the caller runs without it.
///
/// `canonical_root` must be canonical, as for [`folder_key`]. This only
/// computes the path; nothing is created until the first write.
pub fn cache_dir(
    canonical_root: &Path,
    xdg_cache_home: Option<&OsStr>,
    home: Option<&OsStr>,
) -> Option<PathBuf> {
    let absolute =
        |value: Option<&OsStr>| value.map(PathBuf::from).filter(|path| path.is_absolute());
    let base =
        absolute(xdg_cache_home).or_else(|| absolute(home).map(|home| home.join(".cache")))?;
    Some(folder_cache(&base.join("broadsheet"), canonical_root))
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
    fn the_folder_is_under_xdg_cache_home_named_by_the_key() {
        let root = Path::new("/home/me/news");
        let dir = cache_dir(
            root,
            Some(OsStr::new("/var/cache/me")),
            Some(OsStr::new("/home/me")),
        );
        let expected = format!("/var/cache/me/broadsheet/{:016x}", folder_key(root));
        assert_eq!(dir, Some(PathBuf::from(expected)));
        let name = dir.as_deref().and_then(Path::file_name).map(OsStr::len);
        assert_eq!(name, Some(16));
    }

    #[test]
    fn a_relative_or_missing_xdg_cache_home_falls_back_to_home() {
        let root = Path::new("/news");
        let expected = Some(
            PathBuf::from("/home/me/.cache/broadsheet").join(format!("{:016x}", folder_key(root))),
        );
        for xdg in [None, Some(OsStr::new("rel/cache")), Some(OsStr::new(""))] {
            assert_eq!(cache_dir(root, xdg, Some(OsStr::new("/home/me"))), expected);
        }
    }

    #[test]
    fn no_absolute_base_means_no_cache() {
        let root = Path::new("/news");
        assert_eq!(cache_dir(root, None, None), None);
        assert_eq!(
            cache_dir(root, Some(OsStr::new("x")), Some(OsStr::new("y"))),
            None
        );
    }

    #[test]
    fn different_folders_get_different_keys_and_folders() {
        let a = Path::new("/news/a");
        let b = Path::new("/news/b");
        assert_ne!(folder_key(a), folder_key(b));
        let home = Some(OsStr::new("/h"));
        assert_ne!(cache_dir(a, None, home), cache_dir(b, None, home));
        // The key is a pure function of the path: the same every time.
        assert_eq!(folder_key(a), folder_key(Path::new("/news/a")));
    }
}
