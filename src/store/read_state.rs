//! state.toml: which articles have been read.
//!
//! ```toml
//! # broadsheet read state: the ids of the articles you have read.
//! version = 1
//! read = [
//!     "000_b4046600ca63d592.txt",
//! ]
//! ```
//!
//! The ids are written sorted, one a line. As with bookmarks, `version` may be
//! left out, and an unknown key makes the file corrupt (moved aside and
//! reported) rather than silently dropped on the next write.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Change, FORMAT_VERSION, Loaded, Problem, StoreError, StoreFormat};

/// The first line of every state file broadsheet writes.
const HEADER: &str = "# broadsheet read state: the ids of the articles you have read.\n";

/// The read-state file: the set of ids of read articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadStore {
    path: PathBuf,
}

impl ReadStore {
    /// A store kept in the file at `path` (nothing is read or created yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ReadStore { path: path.into() }
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The ids of read articles. A missing file is none read; a file that
    /// does not parse is moved aside and reported.
    pub fn load(&self) -> Result<Loaded<BTreeSet<String>>, StoreError> {
        super::load::<StateFile>(&self.path)
    }

    /// Marks these articles read (`read = true`) or unread. `changed` is
    /// false (and nothing is written) when they all already were.
    pub fn set_read(&self, ids: &[String], read: bool) -> Result<Change, StoreError> {
        super::change::<StateFile>(&self.path, |set| {
            ids.iter().fold(false, |changed, id| {
                let this = if read {
                    set.insert(id.clone())
                } else {
                    set.remove(id)
                };
                changed | this
            })
        })
    }
}

/// The state file format.
struct StateFile;

impl StoreFormat for StateFile {
    type Data = BTreeSet<String>;

    fn parse(text: &str) -> Result<BTreeSet<String>, Problem> {
        super::check_version(text)?;
        let file: FileIn = toml::from_str(text)?;
        Ok(file.read.into_iter().collect())
    }

    fn render(set: &BTreeSet<String>, _path: &Path) -> Result<String, StoreError> {
        let mut text = format!("{HEADER}version = {FORMAT_VERSION}\nread = [");
        if !set.is_empty() {
            text.push('\n');
            for id in set {
                // A TOML string's Display is the string quoted and escaped.
                let _ = writeln!(text, "    {},", toml::Value::String(id.clone()));
            }
        }
        text.push_str("]\n");
        Ok(text)
    }
}

/// state.toml as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    /// Checked before, by `check_version`.
    #[serde(rename = "version", default)]
    _version: IgnoredAny,
    #[serde(default)]
    read: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn renders_sorted_one_id_a_line_and_reads_it_back() {
        let ids = set(&["b.txt", "a \"quoted\"\\ id\u{7}.txt"]);
        let text = StateFile::render(&ids, Path::new("state.toml")).unwrap_or_default();
        assert_eq!(
            text,
            "# broadsheet read state: the ids of the articles you have read.\n\
             version = 1\n\
             read = [\n    \"a \\\"quoted\\\"\\\\ id\\u0007.txt\",\n    \"b.txt\",\n]\n"
        );
        assert_eq!(StateFile::parse(&text), Ok(ids));
    }

    #[test]
    fn an_empty_set_is_an_empty_array() {
        let text = StateFile::render(&BTreeSet::new(), Path::new("state.toml")).unwrap_or_default();
        assert!(text.ends_with("version = 1\nread = []\n"), "{text}");
        assert_eq!(StateFile::parse(&text), Ok(BTreeSet::new()));
    }

    #[test]
    fn wrong_types_are_problems_with_a_place() {
        let text = "version = 1\nread = [\"a\", 2]\n";
        let problem = StateFile::parse(text).map(|_| ()).unwrap_err();
        assert!(
            problem.describe(text).starts_with("line 2, column 14"),
            "{problem:?}"
        );
    }
}
