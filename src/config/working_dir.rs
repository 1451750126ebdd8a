//! Whether a `config.toml` in the working folder is broadsheet's.
//!
//! `config.toml` is a common name: a project folder may hold one of its own
//! (a `[server]` table, a `[package]` one). Such a file is passed over, so
//! that broadsheet run in that folder falls through to the user's config
//! instead of failing on every command. A file is broadsheet's when it has
//! at least one top-level table and every top-level table is one of
//! broadsheet's; a misspelt table next to real ones (`[library]` and
//! `[dispaly]`) makes it foreign too, which `broadsheet check` and
//! `broadsheet config path` point out. A file that cannot be read is taken,
//! so that loading it says what is wrong.

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use super::file::{MAX_CONFIG_SIZE, is_table_name, table_list};
use super::reader::entries;
use crate::article::sanitize::quoted;

/// A `config.toml` in the working folder that was passed over because it is
/// not a broadsheet configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignConfig {
    /// The file, absolute.
    pub path: PathBuf,
    /// Why it is not broadsheet's, e.g. "its table [server] is not one of
    /// broadsheet's".
    pub reason: String,
}

impl fmt::Display for ForeignConfig {
    /// `<path> was passed over: <reason>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = crate::article::sanitize::sanitize_line(&self.path.to_string_lossy());
        write!(
            f,
            "{path} was passed over: {} (a broadsheet configuration has only the tables {})",
            self.reason,
            table_list()
        )
    }
}

/// `Some` when `path` is a file that is not a broadsheet configuration;
/// `None` when it is one, is no file, or cannot be read.
pub(super) fn foreign(path: &Path) -> Option<ForeignConfig> {
    if !path.is_file() {
        return None;
    }
    let text = read_capped(path)?;
    let reason = match text {
        Capped::TooLarge => "it is larger than 1 MiB".to_string(),
        Capped::Text(text) => foreign_reason(&text)?,
    };
    Some(ForeignConfig {
        path: path.to_path_buf(),
        reason,
    })
}

/// A file's text, read up to the config size limit.
enum Capped {
    Text(String),
    TooLarge,
}

/// The file's text (lossy: the question is only which tables it has), or
/// `None` when it cannot be read.
fn read_capped(path: &Path) -> Option<Capped> {
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_SIZE + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_CONFIG_SIZE {
        return Some(Capped::TooLarge);
    }
    Some(Capped::Text(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Why a config file's text is not broadsheet's, or `None` when it is.
pub(super) fn foreign_reason(text: &str) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let tables = top_level_tables(text);
    if let Some(other) = tables.iter().find(|name| !is_table_name(name)) {
        return Some(format!(
            "its table [{}] is not one of broadsheet's",
            quoted(other)
        ));
    }
    tables
        .is_empty()
        .then(|| "it has none of broadsheet's tables".to_string())
}

/// The names of the top-level tables (and arrays of tables), in file order.
/// A file that is not valid TOML is read for its `[table]` header lines, so
/// that a broadsheet configuration with a mistake is still taken, and its
/// mistake reported.
fn top_level_tables(text: &str) -> Vec<String> {
    let Ok(root) = DeTable::parse(text) else {
        return header_names(text);
    };
    entries(root.get_ref())
        .into_iter()
        .filter(|(_, value)| {
            let value = value.get_ref();
            value.is_table()
                || value
                    .as_array()
                    .is_some_and(|items| items.iter().any(|item| item.get_ref().is_table()))
        })
        .map(|(key, _)| key.get_ref().to_string())
        .collect()
}

/// The first part of every `[table]` or `[[table]]` header line.
fn header_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let inner = line.trim_start().strip_prefix('[')?;
            let inner = inner.strip_prefix('[').unwrap_or(inner);
            let end = inner.find([']', '.'])?;
            let name = inner[..end].trim().trim_matches(['"', '\'']);
            Some(name.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::foreign_reason;

    #[test]
    fn a_file_of_broadsheet_tables_is_broadsheet_s() {
        let text = include_str!("../../config.toml");
        assert_eq!(foreign_reason(text), None);
        assert_eq!(foreign_reason("[library]\narticles = \"news\"\n"), None);
        // Mistakes inside broadsheet's tables are for loading to report.
        assert_eq!(foreign_reason("[library]\narticles = 1\n"), None);
        assert_eq!(foreign_reason("[library]\narticles = \n[keys]\n"), None);
        assert_eq!(foreign_reason("stray = 1\n[display]\n"), None);
    }

    #[test]
    fn a_file_with_another_table_or_none_is_foreign() {
        assert_eq!(
            foreign_reason("[server]\nport = 8080\n").as_deref(),
            Some("its table [server] is not one of broadsheet's")
        );
        assert_eq!(
            foreign_reason("[library]\n[[server.routes]]\npath = \"/\"\n").as_deref(),
            Some("its table [server] is not one of broadsheet's")
        );
        // Broken TOML is judged by its header lines.
        assert_eq!(
            foreign_reason("[ \"server\" ]\nport = = 1\n").as_deref(),
            Some("its table [server] is not one of broadsheet's")
        );
        assert_eq!(
            foreign_reason("").as_deref(),
            Some("it has none of broadsheet's tables")
        );
        assert_eq!(
            foreign_reason("name = \"site\"\n").as_deref(),
            Some("it has none of broadsheet's tables")
        );
    }
}
