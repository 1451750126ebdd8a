//! tags.toml, beside the bookmarks: the tags a person gives articles, on
//! top of the tags the articles carry themselves.
//!
//! ```toml
//! # broadsheet tags: your own tags, by article id.
//! version = 1
//!
//! [tags]
//! "000_b4046600ca63d592.txt" = ["later", "to-share"]
//! ```
//!
//! The same rules as bookmarks: locked changes, atomic writes, a file that
//! does not parse moved aside and reported. Tags are kept as typed (one
//! line, trimmed), sorted, each once per article in any case.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Change, FORMAT_VERSION, Loaded, Problem, StoreError, StoreFormat};
use crate::article::sanitize::sanitize_line;

/// The first line of every tags file broadsheet writes.
const HEADER: &str = "# broadsheet tags: your own tags, by article id.\n";

/// Each article's own tags, by id.
pub type UserTags = BTreeMap<String, Vec<String>>;

/// The tags file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagStore {
    path: PathBuf,
}

impl TagStore {
    /// A store kept in the file at `path` (nothing is read or created yet).
    pub fn new(path: impl Into<PathBuf>) -> TagStore {
        TagStore { path: path.into() }
    }

    /// The tags file beside the bookmarks file at `bookmarks`.
    pub fn beside(bookmarks: &Path) -> TagStore {
        TagStore::new(bookmarks.with_file_name("tags.toml"))
    }

    /// The tags file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every article's tags. A missing file is none; a file that does not
    /// parse is moved aside and reported.
    pub fn load(&self) -> Result<Loaded<UserTags>, StoreError> {
        super::load::<TagsFile>(&self.path)
    }

    /// Gives each of `ids` the tag `tag` (`add`) or takes it away.
    /// `changed` is false (and nothing is written) when nothing differs.
    pub fn set(&self, ids: &[String], tag: &str, add: bool) -> Result<Change, StoreError> {
        let tag = clean(tag);
        if tag.is_empty() {
            return Err(StoreError::new(&self.path, "a tag needs some text"));
        }
        super::change::<TagsFile>(&self.path, |all| {
            ids.iter().fold(false, |changed, id| {
                changed
                    | if add {
                        put(all, id, &tag)
                    } else {
                        take(all, id, &tag)
                    }
            })
        })
    }
}

/// The tags a person typed, split by the one rule the reader's `+` and
/// `tag add`/`tag remove` share: commas separate tags, each is
/// [`clean`]ed, and empty ones are dropped (`"a, b,,"` is `a` and `b`).
pub fn split_list(input: &str) -> Vec<String> {
    input
        .split(',')
        .map(clean)
        .filter(|tag| !tag.is_empty())
        .collect()
}

/// A tag as kept: one line, no control characters, trimmed.
pub fn clean(tag: &str) -> String {
    sanitize_line(tag.trim())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds `tag` to `id`'s tags unless it has it (in any case).
fn put(all: &mut UserTags, id: &str, tag: &str) -> bool {
    add_to(all.entry(id.to_string()).or_default(), tag)
}

/// Takes `tag` (in any case) from `id`'s tags; an article left with none
/// leaves the file.
fn take(all: &mut UserTags, id: &str, tag: &str) -> bool {
    let Some(tags) = all.get_mut(id) else {
        return false;
    };
    let changed = remove_from(tags, tag);
    if tags.is_empty() {
        all.remove(id);
    }
    changed
}

/// Adds `tag` to one article's tags unless it has it in any case (the
/// spelling there stays), keeping them sorted; whether they changed. The
/// reader's marks follow the file by the same rule.
pub fn add_to(tags: &mut Vec<String>, tag: &str) -> bool {
    if tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
        return false;
    }
    tags.push(tag.to_string());
    tags.sort_by_key(|t| t.to_lowercase());
    true
}

/// Takes `tag`, in any case, from one article's tags; whether they changed.
pub fn remove_from(tags: &mut Vec<String>, tag: &str) -> bool {
    let before = tags.len();
    tags.retain(|t| !t.eq_ignore_ascii_case(tag));
    tags.len() != before
}

/// The file format, for the store's rules.
struct TagsFile;

impl StoreFormat for TagsFile {
    type Data = UserTags;

    fn parse(text: &str) -> Result<UserTags, Problem> {
        super::check_version(text)?;
        let file: FileIn = toml::from_str(text)?;
        let mut tags = UserTags::new();
        for (id, list) in file.tags {
            for tag in list {
                let tag = clean(&tag);
                if !tag.is_empty() {
                    put(&mut tags, &id, &tag);
                }
            }
        }
        Ok(tags)
    }

    fn render(all: &UserTags, _path: &Path) -> Result<String, StoreError> {
        let mut text = format!("{HEADER}version = {FORMAT_VERSION}\n\n[tags]\n");
        for (id, tags) in all {
            let list: Vec<String> = tags
                .iter()
                .map(|t| toml::Value::String(t.clone()).to_string())
                .collect();
            let key = toml::Value::String(id.clone());
            let _ = writeln!(text, "{key} = [{}]", list.join(", "));
        }
        Ok(text)
    }
}

/// tags.toml as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    /// Checked before, by `check_version`.
    #[serde(rename = "version", default)]
    _version: IgnoredAny,
    #[serde(default)]
    tags: BTreeMap<String, Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_trimmed_without_empty_tags() {
        assert_eq!(split_list("a,b"), ["a", "b"]);
        assert_eq!(split_list(" Alice  Oseman , ,tv,"), ["Alice Oseman", "tv"]);
        assert!(split_list(" , ").is_empty());
    }

    #[test]
    fn tags_are_added_once_in_any_case_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = TagStore::new(dir.path().join("tags.toml"));
        let ids = vec!["a.txt".to_string(), "b \"odd\".txt".to_string()];
        assert!(store.set(&ids, " Later ", true).unwrap().changed);
        assert!(!store.set(&ids, "later", true).unwrap().changed);
        store.set(&ids[..1], "mine", true).unwrap();
        let loaded = store.load().unwrap().value;
        assert_eq!(loaded["a.txt"], ["Later", "mine"]);
        assert_eq!(loaded["b \"odd\".txt"], ["Later"]);
        assert!(store.set(&ids, "LATER", false).unwrap().changed);
        let loaded = store.load().unwrap().value;
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded["a.txt"], ["mine"]);
        assert!(store.set(&ids, "  ", true).is_err());
    }

    #[test]
    fn a_broken_tags_file_is_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let store = TagStore::new(dir.path().join("tags.toml"));
        std::fs::write(store.path(), "[tags]\n\"a\" = [1, 2\n").unwrap();
        let loaded = store.load().unwrap();
        assert!(loaded.value.is_empty());
        assert!(loaded.moved_aside.is_some());
    }
}
