//! The `[library]` table: where articles, bookmarks, read state, feeds and
//! the cache live, and the article size limit.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use toml::de::DeValue;

use super::error::ConfigError;
use super::reader::{Section, Setting, Value};
use crate::article::Detail;
use crate::article::sanitize::quoted;
use crate::library::LoadOptions;

/// The `[library]` table: file locations and limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryConfig {
    /// The folder of article files.
    pub articles: PathBuf,
    /// The bookmarks file.
    pub bookmarks: PathBuf,
    /// The read-state file.
    pub state: PathBuf,
    /// The feeds file: the feeds subscribed to.
    pub feeds: PathBuf,
    /// Article files larger than this many bytes are skipped with a warning.
    pub max_article_size: u64,
    /// The folder that holds a cache for each articles folder
    /// (`$XDG_CACHE_HOME/broadsheet` by default); `None` keeps no cache.
    pub cache: Option<PathBuf>,
}

/// The default largest article file: 16 MiB.
pub const DEFAULT_MAX_ARTICLE_SIZE: u64 = 16 * 1024 * 1024;

impl Default for LibraryConfig {
    /// Every file in the data folder, `$XDG_DATA_HOME/broadsheet/` (or
    /// `~/.local/share/broadsheet/`), whatever the working folder.
    fn default() -> LibraryConfig {
        let data = default_data_dir(
            std::env::var_os("XDG_DATA_HOME").as_deref(),
            std::env::var_os("HOME").as_deref(),
        );
        LibraryConfig::in_data_dir(&data)
    }
}

/// The `[library]` settings that name a file or folder, each with the name
/// it has in the data folder when the configuration leaves it out.
pub const LOCATIONS: &[(&str, &str)] = &[
    ("articles", "articles"),
    ("bookmarks", "bookmarks.toml"),
    ("state", "state.toml"),
    ("feeds", "feeds.toml"),
];

/// Where caches go by default: `$XDG_CACHE_HOME/broadsheet`, else
/// `$HOME/.cache/broadsheet`; `None` (no cache) when neither is set.
fn default_cache_dir() -> Option<PathBuf> {
    xdg_dir(
        std::env::var_os("XDG_CACHE_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
        ".cache",
    )
    .map(|dir| dir.join("broadsheet"))
}

impl LibraryConfig {
    /// How the folder is read with these settings, to this detail, on every
    /// core.
    pub fn load_options(&self, detail: Detail) -> LoadOptions {
        LoadOptions {
            max_size: self.max_article_size,
            detail,
            threads: 0,
        }
    }

    /// The defaults with the data folder `data`: the articles folder, the
    /// bookmarks, read state and feeds files all in it (the cache where
    /// caches go). One home, config file or not, whatever the working
    /// folder.
    pub fn in_data_dir(data: &Path) -> LibraryConfig {
        LibraryConfig {
            articles: data.join("articles"),
            bookmarks: data.join("bookmarks.toml"),
            state: data.join("state.toml"),
            feeds: data.join("feeds.toml"),
            max_article_size: DEFAULT_MAX_ARTICLE_SIZE,
            cache: default_cache_dir(),
        }
    }

    /// The location setting `name` (one of [`LOCATIONS`]) as a mutable
    /// path; `None` for any other name.
    pub fn location_mut(&mut self, name: &str) -> Option<&mut PathBuf> {
        match name {
            "articles" => Some(&mut self.articles),
            "bookmarks" => Some(&mut self.bookmarks),
            "state" => Some(&mut self.state),
            "feeds" => Some(&mut self.feeds),
            _ => None,
        }
    }

    /// Puts every location not among `set` (the settings a config file
    /// gives) in the data folder `data`: how the environment the
    /// configuration was discovered in, rather than the process's, decides
    /// the defaults.
    pub(super) fn follow_data_dir(&mut self, data: &Path, set: &[&str]) {
        for (setting, file) in LOCATIONS {
            if !set.contains(setting)
                && let Some(path) = self.location_mut(setting)
            {
                *path = data.join(file);
            }
        }
    }

    /// These settings for another articles folder (`--articles DIR`). The
    /// bookmarks, read state and tags files belong to the folder the
    /// configuration names: another folder keeps its own beside them, in
    /// `folders/<name>-<key>/` (the key from the folder's canonical path),
    /// so two folders that both hold `01.txt` never share marks. The same
    /// folder, however it is spelt, keeps the configured files.
    pub fn with_articles(&self, articles: &Path) -> LibraryConfig {
        let canonical = |path: &Path| std::fs::canonicalize(path).ok();
        let mut moved = self.clone();
        moved.articles = articles.to_path_buf();
        let Some(root) = canonical(articles) else {
            // A folder that does not exist gets no marks of another's; the
            // load says it is missing.
            return moved;
        };
        if canonical(&self.articles).as_ref() == Some(&root) {
            return moved;
        }
        let name = crate::article::sanitize::slug(
            &root
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            40,
        );
        let key = crate::library::cache::dir::folder_key(&root);
        let folder = self
            .bookmarks
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join("folders")
            .join(format!("{name}-{:08x}", key as u32));
        moved.bookmarks = folder.join("bookmarks.toml");
        moved.state = folder.join("state.toml");
        moved
    }

    /// Makes every path absolute, taking relative ones from `cwd`. Paths
    /// from a config file are absolute already, and so is the data folder
    /// unless neither `$XDG_DATA_HOME` nor `$HOME` is an absolute path (then
    /// the files are in the working folder): anchored here, so that every
    /// message names the file or folder in full, whichever folder the
    /// message is read in.
    pub fn anchor(&mut self, cwd: &Path) {
        for path in [
            &mut self.articles,
            &mut self.bookmarks,
            &mut self.state,
            &mut self.feeds,
        ] {
            if path.is_relative() {
                let relative = path.strip_prefix(".").unwrap_or(path);
                *path = cwd.join(relative);
            }
        }
    }

    /// The cache folder of the articles folder: a folder named by
    /// [`folder_key`](crate::library::cache::folder_key) in the cache
    /// setting's folder. `None` when no cache is kept, or when the
    /// articles folder does not exist (nothing to cache).
    pub fn cache_folder(&self) -> Option<PathBuf> {
        let base = self.cache.as_deref()?;
        let root = std::fs::canonicalize(&self.articles).ok()?;
        Some(crate::library::cache::dir::folder_cache(base, &root))
    }
}

/// The data folder, where articles, bookmarks, read state and feeds go
/// without a setting:
/// `$XDG_DATA_HOME/broadsheet`, else `$HOME/.local/share/broadsheet`, else
/// the working directory. A relative `$XDG_DATA_HOME` is ignored, as the XDG
/// spec asks.
pub fn default_data_dir(xdg_data_home: Option<&OsStr>, home: Option<&OsStr>) -> PathBuf {
    xdg_dir(xdg_data_home, home, ".local/share")
        .map_or_else(|| PathBuf::from("."), |dir| dir.join("broadsheet"))
}

/// Why the data folder is the working folder: no variable names one.
const NO_DATA_HOME: &str =
    "the working folder (neither $XDG_DATA_HOME nor $HOME is an absolute path)";

/// The data folder and why it is that folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    /// `…/broadsheet`; relative (the working folder) only when neither
    /// variable is an absolute path.
    pub path: PathBuf,
    /// Why: "$XDG_DATA_HOME", "$HOME/.local/share", or that neither is set.
    pub why: &'static str,
}

impl DataDir {
    /// The data folder from the values of `$XDG_DATA_HOME` and `$HOME`.
    pub fn from_env(xdg_data_home: Option<&OsStr>, home: Option<&OsStr>) -> DataDir {
        let absolute = |value: Option<&OsStr>| value.is_some_and(|v| Path::new(v).is_absolute());
        let why = if absolute(xdg_data_home) {
            "$XDG_DATA_HOME/broadsheet"
        } else if absolute(home) {
            "$HOME/.local/share/broadsheet ($XDG_DATA_HOME is not set)"
        } else {
            NO_DATA_HOME
        };
        let path = xdg_dir(xdg_data_home, home, ".local/share")
            .map_or_else(|| PathBuf::from("."), |dir| dir.join("broadsheet"));
        DataDir { path, why }
    }

    /// Whether no variable names the data folder, so that it is the
    /// working folder: nothing is made there unasked.
    pub fn is_working_folder(&self) -> bool {
        self.why == NO_DATA_HOME
    }
}

/// The user's config home: `$XDG_CONFIG_HOME`, else `$HOME/.config`.
pub fn user_config_home(xdg_config_home: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    xdg_dir(xdg_config_home, home, ".config")
}

/// An XDG base folder: the variable when it is an absolute path, else
/// `$HOME/<fallback>`.
pub(super) fn xdg_dir(
    xdg: Option<&OsStr>,
    home: Option<&OsStr>,
    fallback: &str,
) -> Option<PathBuf> {
    let absolute =
        |value: Option<&OsStr>| value.map(PathBuf::from).filter(|path| path.is_absolute());
    absolute(xdg).or_else(|| absolute(home).map(|home| home.join(fallback)))
}

/// The settings of `[library]`.
pub(super) const SETTINGS: &[Setting<LibraryConfig>] = &[
    Setting {
        name: "articles",
        doc: "The folder of article files (.txt, .md), searched recursively.",
        set: |reader, name, value, library| {
            library.articles = reader.path(name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "bookmarks",
        doc: "Where bookmarks are saved.",
        set: |reader, name, value, library| {
            library.bookmarks = reader.path(name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "state",
        doc: "Where read/unread state is saved.",
        set: |reader, name, value, library| {
            library.state = reader.path(name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "feeds",
        doc: "Where the feeds you subscribe to are kept",
        set: |reader, name, value, library| {
            library.feeds = reader.path(name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "max_article_size",
        doc: "Article files larger than this are skipped with a warning.",
        set: |reader, name, value, library| {
            library.max_article_size = size(reader, name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "cache",
        doc: "Where the cache of the folder's list and search texts is kept",
        set: |reader, name, value, library| {
            library.cache = match value.get_ref() {
                DeValue::Boolean(true) => default_cache_dir(),
                DeValue::Boolean(false) => None,
                DeValue::String(text) if looks_like_a_switch(text) => {
                    return Err(reader.error(
                        value,
                        format!(
                            "`{name}` = \"{}\" reads as a switch, not a folder: write \
                             true or false without quotes, or a folder path such as \
                             \"~/.cache/broadsheet\" (a folder with this name: \"./{}\")",
                            quoted(text),
                            quoted(text.trim())
                        ),
                    ));
                }
                DeValue::String(_) => Some(reader.path(name, value)?),
                _ => {
                    return Err(reader.wrong_type(
                        name,
                        value,
                        "true, false or a folder in quotes",
                    ));
                }
            };
            Ok(())
        },
    },
];

/// Whether a quoted `cache` value is a word meant as on or off (`"yes"`,
/// `"False"`), which would otherwise quietly become a folder of that name.
fn looks_like_a_switch(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "yes", "no", "y", "n", "on", "off", "true", "false", "1", "0", "enabled", "disabled",
        "enable", "disable", "none",
    ];
    let word = text.trim().to_ascii_lowercase();
    WORDS.contains(&word.as_str())
}

fn size(reader: &Section, setting: &str, value: &Value) -> Result<u64, ConfigError> {
    let expected = "a size such as \"16 MiB\" or a number of bytes";
    let bytes = match value.get_ref() {
        DeValue::Integer(_) => reader
            .integer(value)
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| reader.error(value, format!("`{setting}` must be {expected}")))?,
        DeValue::String(text) => {
            parse_size(text).map_err(|e| reader.error(value, format!("`{setting}`: {e}")))?
        }
        _ => return Err(reader.wrong_type(setting, value, expected)),
    };
    if !(MIN_ARTICLE_SIZE..=MAX_ARTICLE_SIZE).contains(&bytes) {
        return Err(reader.error(
            value,
            format!("`{setting}` must be between 1 KiB and 1 GiB, not {bytes} bytes"),
        ));
    }
    Ok(bytes)
}

/// Article size bounds: a smaller limit would skip every real article, a
/// larger one would let one file fill memory.
const MIN_ARTICLE_SIZE: u64 = 1024;
const MAX_ARTICLE_SIZE: u64 = 1024 * 1024 * 1024;

/// Parses `"16 MiB"`, `"500 KB"`, `"2048"`: a whole number and an optional
/// unit (B, KB, KiB, MB, MiB, GB, GiB; case-insensitive).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let forms = "write a whole number with B, KB, KiB, MB, MiB, GB or GiB, such as \"16 MiB\"";
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{}` is not a size; {forms}", quoted(text)))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "kib" => 1 << 10,
        "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        _ => return Err(format!("unknown unit in `{}`; {forms}", quoted(text))),
    };
    number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("`{}` is too large", quoted(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_or_missing_xdg_folder_falls_back_to_home() {
        let home = Some(OsStr::new("/home/me"));
        let expected = Some(PathBuf::from("/home/me/.cache"));
        for xdg in [None, Some(OsStr::new("rel/cache")), Some(OsStr::new(""))] {
            assert_eq!(xdg_dir(xdg, home, ".cache"), expected);
        }
        let absolute = Some(OsStr::new("/var/cache/me"));
        assert_eq!(
            xdg_dir(absolute, home, ".cache"),
            Some(PathBuf::from("/var/cache/me"))
        );
        assert_eq!(xdg_dir(None, None, ".cache"), None);
        assert_eq!(
            xdg_dir(Some(OsStr::new("x")), Some(OsStr::new("y")), ".cache"),
            None
        );
    }
}
