//! Reading one table of the config file: typed values with errors placed at
//! their line and column, and [`Setting`] tables that map each setting's name
//! to the code that reads it, so no name can fall through to the wrong field.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::doc::{Doc, suggest};
use super::error::ConfigError;
use crate::article::sanitize::quoted;

/// A TOML value with its place in the file.
pub(super) type Value<'i> = Spanned<DeValue<'i>>;

/// A table entry: the setting's name and its value, both with their places.
pub(super) type Entry<'t, 'i> = (&'t Spanned<Cow<'i, str>>, &'t Value<'i>);

/// One setting of a table: its name in the file, what it does (the comment
/// config.toml gives it; a test checks they agree), and how its value is
/// read into the table's part of the configuration.
pub(super) struct Setting<T> {
    /// The setting's name in the file.
    pub(super) name: &'static str,
    /// What it does, as config.toml's comment above it says.
    pub(super) doc: &'static str,
    /// Checks the value and stores it.
    pub(super) set: fn(&Section, &str, &Value, &mut T) -> Result<(), ConfigError>,
}

/// A table's entries in file order (the map itself is sorted by name).
pub(super) fn entries<'t, 'i>(table: &'t DeTable<'i>) -> Vec<Entry<'t, 'i>> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// Reads one table of the file.
pub(super) struct Section<'a> {
    /// The whole file.
    pub(super) doc: &'a Doc<'a>,
    /// The table's name.
    pub(super) name: &'a str,
    /// The config file's folder, where relative paths start.
    pub(super) base_dir: &'a Path,
}

impl Section<'_> {
    /// Reads a table whose settings are listed in `table` into `target`:
    /// an unknown name is an error with the nearest known one.
    pub(super) fn apply<T>(
        &self,
        value: &Value,
        table: &[Setting<T>],
        target: &mut T,
    ) -> Result<(), ConfigError> {
        let known: Vec<&str> = table.iter().map(|setting| setting.name).collect();
        for (key, value) in self.settings(value, Some(&known))? {
            let name: &str = key.get_ref();
            if let Some(setting) = table.iter().find(|setting| setting.name == name) {
                (setting.set)(self, name, value, target)?;
            }
        }
        Ok(())
    }

    pub(super) fn error(&self, value: &Value, message: impl Into<String>) -> ConfigError {
        self.doc.error(value.span().start, message)
    }

    /// The entries of this table, after checking that it is one and that
    /// every setting in it is known (when `known` is given).
    pub(super) fn settings<'t, 'i>(
        &self,
        value: &'t Value<'i>,
        known: Option<&[&str]>,
    ) -> Result<Vec<Entry<'t, 'i>>, ConfigError> {
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.error(
                value,
                format!(
                    "`{}` must be a table: write [{}] on its own line with its settings below",
                    self.name, self.name
                ),
            ));
        };
        let entries = entries(table);
        if let Some(known) = known {
            for (key, _) in &entries {
                let name: &str = key.get_ref();
                if !known.contains(&name) {
                    let hint = suggest(name, known.iter().copied())
                        .map_or(String::new(), |s| format!("did you mean `{s}`? "));
                    return Err(self.doc.error(
                        key.span().start,
                        format!(
                            "unknown setting `{}` in [{}]; {hint}the settings are: {}",
                            quoted(name),
                            self.name,
                            known.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(entries)
    }

    pub(super) fn wrong_type(&self, setting: &str, value: &Value, expected: &str) -> ConfigError {
        let found = value.get_ref().type_str();
        let article = if found.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        self.error(
            value,
            format!(
                "`{setting}` in [{}] must be {expected}, not {article} {found}",
                self.name
            ),
        )
    }

    pub(super) fn string<'v>(
        &self,
        setting: &str,
        value: &'v Value,
        expected: &str,
    ) -> Result<&'v str, ConfigError> {
        value
            .get_ref()
            .as_str()
            .ok_or_else(|| self.wrong_type(setting, value, expected))
    }

    pub(super) fn bool(&self, setting: &str, value: &Value) -> Result<bool, ConfigError> {
        value
            .get_ref()
            .as_bool()
            .ok_or_else(|| self.wrong_type(setting, value, "true or false"))
    }

    /// An integer setting as i128, so every TOML integer fits.
    pub(super) fn integer(&self, value: &Value) -> Option<i128> {
        let integer = value.get_ref().as_integer()?;
        i128::from_str_radix(integer.as_str(), integer.radix()).ok()
    }

    /// A path setting: `~/` is the home folder, relative paths start at the
    /// config file's folder.
    pub(super) fn path(&self, setting: &str, value: &Value) -> Result<PathBuf, ConfigError> {
        let text = self.string(setting, value, "a path in quotes")?;
        if text.trim().is_empty() {
            return Err(self.error(value, format!("`{setting}` is empty; give a path")));
        }
        let expanded = match text.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                let home = std::env::var_os("HOME")
                    .filter(|home| !home.is_empty())
                    .ok_or_else(|| {
                        self.error(
                            value,
                            "`~` needs $HOME, which is not set; write the full path",
                        )
                    })?;
                PathBuf::from(home).join(rest.trim_start_matches('/'))
            }
            _ => PathBuf::from(text),
        };
        Ok(self.base_dir.join(expanded))
    }

    /// The source text of a value, quotes included.
    pub(super) fn raw(&self, value: &Value) -> &str {
        self.doc.text.get(value.span()).unwrap_or_default()
    }
}

/// The byte offset, in a string value's source (quotes included), of the
/// decoded string's character number `index`; the closing quote when the
/// index is past the end. Escapes count as the one character they stand for.
pub(super) fn string_source_offset(raw: &str, index: usize) -> usize {
    let (open, escapes) = if raw.starts_with("\"\"\"") {
        (3, true)
    } else if raw.starts_with("'''") {
        (3, false)
    } else if raw.starts_with('"') {
        (1, true)
    } else {
        (usize::from(raw.starts_with('\'')), false)
    };
    let body_end = raw.len().saturating_sub(open);
    let mut offset = open;
    if open == 3 {
        // A line break right after the opening quotes is not part of the string.
        let rest = raw.get(offset..).unwrap_or_default();
        offset += rest
            .strip_prefix("\r\n")
            .map(|_| 2)
            .or_else(|| rest.strip_prefix('\n').map(|_| 1))
            .unwrap_or(0);
    }
    let mut decoded = 0;
    while offset < body_end {
        let rest = raw.get(offset..body_end).unwrap_or_default();
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        if escapes && c == '\\' {
            let after = chars.as_str();
            let trimmed = after.trim_start_matches([' ', '\t', '\r', '\n']);
            let consumed = match after.chars().next() {
                Some(' ' | '\t' | '\r' | '\n') => {
                    // A line-ending backslash swallows the white space after it.
                    offset += 1 + after.len() - trimmed.len();
                    continue;
                }
                Some('u') => 6,
                Some('U') => 10,
                Some('x') => 4,
                _ => 2,
            };
            if decoded == index {
                return offset;
            }
            offset += consumed.min(rest.len());
        } else {
            if decoded == index {
                return offset;
            }
            offset += c.len_utf8();
        }
        decoded += 1;
    }
    body_end
}
