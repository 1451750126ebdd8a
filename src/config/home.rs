//! One home for a person's data: the data folder ([`DataDir`](super::DataDir))
//! (`$XDG_DATA_HOME/broadsheet/`), where every location the configuration
//! leaves out is, config file or not, whatever the working folder; which
//! file or folder is in use and why ([`places`]); and the move of data kept
//! where earlier versions kept it ([`settle`]).
//!
//! Earlier versions kept, without a setting:
//! - with no config file, the articles in `./articles` of the working
//!   folder (the marks and feeds were in the data folder already);
//! - with a config file, every file beside it: `articles/`,
//!   `bookmarks.toml`, `state.toml`, `feeds.toml` (and beside those
//!   `tags.toml`, `folders/` and `feeds-state/`).
//!
//! [`settle`] moves such data of the user's own config folder (and a
//! `./articles` the data folder's marks name) into the data folder by
//! rename, never over anything there (an empty folder excepted), and says
//! what moved; once moved, there is nothing left to say. What cannot move
//! is left where it is, and said, with what to do.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::file::{Config, ConfigSource};
use crate::article::sanitize::sanitize_line;
use crate::store::feed_state::FeedStateStore;
use crate::store::tags::TagStore;

/// A file or folder in use, and why it is that one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// What it is: "config", "data", "articles", "bookmarks", "tags",
    /// "state", "feeds", "feeds-state" or "cache".
    pub name: &'static str,
    /// The file or folder; `None` for no config file, or no cache.
    pub path: Option<PathBuf>,
    /// Why: the setting and the file that sets it, the default, the
    /// environment, the command line.
    pub why: String,
}

/// Every file and folder the configuration uses, in a fixed order, each
/// with why.
pub fn places(config: &Config) -> Vec<Place> {
    let articles_flag = config.articles_given;
    let library = &config.library;
    let file = config.source.path().map(shown);
    let set = |setting: &str| -> String {
        match &file {
            Some(file) if config.library_set.contains(&setting) => {
                format!("set by `{setting}` in [library] of {file}")
            }
            _ => "the default: in the data folder".to_string(),
        }
    };
    let config_why = match &config.source {
        ConfigSource::Flag(_) => "given with --config".to_string(),
        ConfigSource::Env(_) => "named by $BROADSHEET_CONFIG".to_string(),
        ConfigSource::WorkingDir(_) => "config.toml of the working folder".to_string(),
        ConfigSource::User(_) => "the user's config ($XDG_CONFIG_HOME/broadsheet)".to_string(),
        ConfigSource::Defaults => {
            "no config file: built-in defaults (`broadsheet config init` writes one)".to_string()
        }
    };
    let beside = |what: &str, of: &str| format!("beside the {what} file ({})", set(of));
    let mut list = vec![
        Place {
            name: "config",
            path: config.source.path().map(Path::to_path_buf),
            why: config_why,
        },
        Place {
            name: "data",
            path: Some(config.data.path.clone()),
            why: config.data.why.to_string(),
        },
        Place {
            name: "articles",
            path: Some(library.articles.clone()),
            why: if articles_flag {
                "given with --articles".to_string()
            } else {
                set("articles")
            },
        },
        Place {
            name: "bookmarks",
            path: Some(library.bookmarks.clone()),
            why: if articles_flag {
                "the marks of the --articles folder, in folders/ beside the bookmarks file"
                    .to_string()
            } else {
                set("bookmarks")
            },
        },
        Place {
            name: "tags",
            path: Some(TagStore::beside(&library.bookmarks).path().to_path_buf()),
            why: beside("bookmarks", "bookmarks"),
        },
        Place {
            name: "state",
            path: Some(library.state.clone()),
            why: if articles_flag {
                "the marks of the --articles folder, in folders/ beside the bookmarks file"
                    .to_string()
            } else {
                set("state")
            },
        },
        Place {
            name: "feeds",
            path: Some(library.feeds.clone()),
            why: set("feeds"),
        },
        Place {
            name: "feeds-state",
            path: Some(FeedStateStore::dir_beside(&library.feeds)),
            why: beside("feeds", "feeds"),
        },
    ];
    let cache_why = match (&file, library.cache.is_some()) {
        (_, false) => "no cache kept (`cache = false`, or --no-cache)".to_string(),
        (Some(file), true) if config.library_set.contains(&"cache") => {
            format!("the cache of this articles folder, set by `cache` in [library] of {file}")
        }
        _ => "the cache of this articles folder, in $XDG_CACHE_HOME/broadsheet \
              (or ~/.cache/broadsheet)"
            .to_string(),
    };
    list.push(Place {
        name: "cache",
        path: library.cache_folder().or_else(|| library.cache.clone()),
        why: cache_why,
    });
    list
}

/// One thing [`settle`] did or could not do, said once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// `from` was moved to `to`.
    Moved {
        /// Where it was.
        from: PathBuf,
        /// Where it is now.
        to: PathBuf,
    },
    /// `from` was left where it is: `to` holds data already, or the move
    /// failed (`reason`).
    Left {
        /// The old file or folder, untouched.
        from: PathBuf,
        /// Where it would have gone.
        to: PathBuf,
        /// Why it did not move.
        reason: String,
    },
}

impl std::fmt::Display for Settled {
    /// A line for the person: what moved where, or what was left and what
    /// to do.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Settled::Moved { from, to } => write!(
                f,
                "moved {} to {} (broadsheet keeps its data in one folder now, whatever the \
                 working folder; `broadsheet config paths` lists it all)",
                shown(from),
                shown(to)
            ),
            Settled::Left { from, to, reason } => write!(
                f,
                "left {} where it is: {reason}; the one in use is {}: merge the two, or move \
                 the old one aside",
                shown(from),
                shown(to)
            ),
        }
    }
}

/// A move of the old layout: from, to.
type Move = (PathBuf, PathBuf);

/// What of the old layout is to move into the data folder for `config`,
/// read in the working folder `cwd`: the files and folders earlier versions
/// kept, for every location the configuration does not set. Reads the
/// file system, changes nothing.
///
/// Only the person's own places are looked at: the user's config folder
/// (a config file there, or named by `$BROADSHEET_CONFIG`), and with no
/// config file `./articles` when the data folder's marks or feed state
/// name a file in it (`articles` is a common name for a folder of one's
/// own). A file given with `--config` or a `config.toml` of the working
/// folder is a choice for one run: what is beside it stays.
pub fn old_layout(config: &Config, cwd: &Path) -> Vec<Move> {
    let unset = |setting: &str| !config.library_set.contains(&setting);
    let data = cwd.join(&config.data.path);
    let mut moves = Vec::new();
    match &config.source {
        ConfigSource::User(file) | ConfigSource::Env(file) => {
            let file = cwd.join(file);
            let Some(old) = file.parent() else {
                return moves;
            };
            if same_folder(old, &data) {
                return moves;
            }
            for (setting, names) in [
                ("articles", &["articles"][..]),
                ("bookmarks", &["bookmarks.toml", "tags.toml", "folders"][..]),
                ("state", &["state.toml"][..]),
                ("feeds", &["feeds.toml", "feeds-state"][..]),
            ] {
                if unset(setting) && !(setting == "articles" && config.articles_given) {
                    for name in names {
                        moves.push((old.join(name), data.join(name)));
                    }
                }
            }
        }
        ConfigSource::Defaults => {
            let old = cwd.join("articles");
            let new = data.join("articles");
            if !config.articles_given
                && !same_folder(&old, &new)
                && old.is_dir()
                && is_empty_or_missing(&new)
                && named_by_the_data(&old, &data)
            {
                moves.push((old, new));
            }
        }
        ConfigSource::Flag(_) | ConfigSource::WorkingDir(_) => {}
    }
    moves
}

/// Moves the old layout of `config` (see [`old_layout`]) into the data
/// folder, and makes the data folder's articles folder when it is in use
/// and missing, so that a first start shows an empty folder rather than an
/// error (not when the data folder is the working folder, for want of
/// `$HOME`: no folder appears where one works). Returns what was moved or left, to be said once.
pub fn settle(config: &Config, cwd: &Path) -> Vec<Settled> {
    let moves: Vec<Move> = old_layout(config, cwd)
        .into_iter()
        .filter(|(from, _)| from.symlink_metadata().is_ok())
        .collect();
    let mut said = Vec::new();
    for (from, to) in moves {
        said.push(move_one(from, to));
    }
    if !config.library_set.contains(&"articles")
        && !config.articles_given
        && !config.data.is_working_folder()
        && !config.library.articles.exists()
    {
        // A failure is for the load to report, naming the folder.
        let _ = std::fs::create_dir_all(&config.library.articles);
    }
    said
}

/// Moves `from` to `to` by rename, never over anything at `to` but an empty
/// folder.
fn move_one(from: PathBuf, to: PathBuf) -> Settled {
    let left = |reason: String| Settled::Left {
        from: from.clone(),
        to: to.clone(),
        reason,
    };
    // Only an empty folder gives way (remove_dir fails on any other).
    if to.symlink_metadata().is_ok()
        && !(from.is_dir() && to.is_dir() && std::fs::remove_dir(&to).is_ok())
    {
        return left(format!("{} exists already", shown(&to)));
    }
    if let Some(parent) = to.parent()
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return left(format!("cannot make {}: {e}", shown(parent)));
    }
    if from.is_file() {
        // A hard link cannot replace a file that appeared meanwhile.
        match std::fs::hard_link(&from, &to) {
            Ok(()) => {
                return match std::fs::remove_file(&from) {
                    Ok(()) => Settled::Moved { from, to },
                    Err(e) => left(format!(
                        "it was copied to {} but cannot be removed ({e}); remove it",
                        shown(&to)
                    )),
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return left(format!("{} exists already", shown(&to)));
            }
            Err(_) => {}
        }
    }
    match std::fs::rename(&from, &to) {
        Ok(()) => Settled::Moved { from, to },
        Err(e) => left(format!(
            "it cannot be moved ({e}); move it yourself, or set its location in [library]"
        )),
    }
}

/// Whether `a` and `b` are one folder, however spelt.
fn same_folder(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Whether `path` is missing or an empty folder.
fn is_empty_or_missing(path: &Path) -> bool {
    match std::fs::read_dir(path) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// At most this many names are tried from the data folder's files: enough
/// to recognise a folder, few enough to stay unnoticed at start.
const MAX_NAMES_TRIED: usize = 2000;

/// Whether the marks (bookmarks, read state, tags) or the feed state in
/// the data folder `data` name a file that is in `articles`.
fn named_by_the_data(articles: &Path, data: &Path) -> bool {
    let mut names = Vec::new();
    for file in ["bookmarks.toml", "state.toml", "tags.toml"] {
        if let Some(table) = read_toml(&data.join(file)) {
            strings_of(&toml::Value::Table(table), &mut names);
        }
    }
    if let Ok(entries) = std::fs::read_dir(data.join("feeds-state")) {
        for entry in entries.flatten().take(200) {
            let path = entry.path();
            // `<folder>-<8 hex digits>.toml`: the feed's folder, then its
            // items' files in it.
            let Some(folder) = path
                .file_stem()
                .and_then(OsStr::to_str)
                .and_then(|stem| stem.rsplit_once('-'))
                .map(|(folder, _)| folder.to_string())
            else {
                continue;
            };
            let Some(table) = read_toml(&path) else {
                continue;
            };
            let mut files = Vec::new();
            strings_of(&toml::Value::Table(table), &mut files);
            names.extend(files.into_iter().map(|file| format!("{folder}/{file}")));
        }
    }
    names
        .iter()
        .take(MAX_NAMES_TRIED)
        .filter(|name| {
            let path = Path::new(name.as_str());
            !name.is_empty()
                && path.is_relative()
                && path
                    .components()
                    .all(|part| matches!(part, std::path::Component::Normal(_)))
        })
        .any(|name| articles.join(name).is_file())
}

/// A small TOML file of the data folder as a table; `None` when it is
/// missing, large or does not parse (then it names nothing).
fn read_toml(path: &Path) -> Option<toml::Table> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > 16 * 1024 * 1024 {
        return None;
    }
    std::fs::read_to_string(path).ok()?.parse().ok()
}

/// Every key and string value in `value`, in order.
fn strings_of(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(text) => out.push(text.clone()),
        toml::Value::Array(items) => items.iter().for_each(|item| strings_of(item, out)),
        toml::Value::Table(table) => {
            for (key, item) in table {
                out.push(key.clone());
                strings_of(item, out);
            }
        }
        _ => {}
    }
}

/// A path as shown in messages: sanitized, since a path can hold anything.
fn shown(path: &Path) -> String {
    sanitize_line(&path.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_replaces_only_an_empty_folder() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let old = dir.path().join("old");
        let new = dir.path().join("data/articles");
        std::fs::create_dir_all(&old).expect("old");
        std::fs::write(old.join("a.txt"), "a").expect("a file");
        std::fs::create_dir_all(&new).expect("an empty new folder");
        let moved = move_one(old.clone(), new.clone());
        assert_eq!(
            moved,
            Settled::Moved {
                from: old.clone(),
                to: new.clone()
            }
        );
        assert!(new.join("a.txt").is_file() && !old.exists());
        // A folder with something in it is never replaced.
        std::fs::create_dir_all(&old).expect("old again");
        std::fs::write(old.join("b.txt"), "b").expect("another file");
        assert!(matches!(
            move_one(old.clone(), new.clone()),
            Settled::Left { .. }
        ));
        assert!(old.join("b.txt").is_file() && new.join("a.txt").is_file());
        assert!(!new.join("b.txt").exists());
    }

    #[test]
    fn a_file_is_never_moved_over_another() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let old = dir.path().join("bookmarks.toml");
        let new = dir.path().join("data/bookmarks.toml");
        std::fs::create_dir_all(dir.path().join("data")).expect("data");
        std::fs::write(&old, "old").expect("old");
        std::fs::write(&new, "new").expect("new");
        let Settled::Left { reason, .. } = move_one(old.clone(), new.clone()) else {
            panic!("an existing file must not be replaced");
        };
        assert!(reason.contains("exists already"), "{reason}");
        assert_eq!(std::fs::read_to_string(&old).ok().as_deref(), Some("old"));
        assert_eq!(std::fs::read_to_string(&new).ok().as_deref(), Some("new"));
        std::fs::remove_file(&new).expect("remove");
        assert!(matches!(
            move_one(old.clone(), new.clone()),
            Settled::Moved { .. }
        ));
        assert_eq!(std::fs::read_to_string(&new).ok().as_deref(), Some("old"));
        assert!(!old.exists());
    }
}
