//! A config file's text as a [`Config`]: the one table of its tables
//! (each with its settings, in its own file), walked over the TOML document
//! with its spans so a mistake is reported at its line and column; where a
//! configuration came from ([`ConfigSource`]).

use std::fmt;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use super::display::DisplayConfig;
use super::doc::{Doc, suggest};
use super::error::ConfigError;
use super::layout::LayoutConfig;
use super::library::{DataDir, LibraryConfig};
use super::reader::{Section, Setting, Value, entries};
use super::reading::ReaderConfig;
use super::theme::Theme;
use super::views::View;
use super::{accounts, display, keys, layout, library, reading, theme, views};
use crate::article::sanitize::quoted;
use crate::keys::Keymap;

/// Everything the config file can set, with built-in defaults for the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where articles, bookmarks and read state live.
    pub library: LibraryConfig,
    /// How articles are listed and marked.
    pub display: DisplayConfig,
    /// How the screen is split.
    pub layout: LayoutConfig,
    /// What the reader starts: the player of enclosures.
    pub reader: ReaderConfig,
    /// Fetching on its own and notifying of new articles.
    pub fetching: super::fetching::FetchingConfig,
    /// Colours.
    pub theme: Theme,
    /// Key bindings: the defaults merged with the `[keys]` table.
    pub keys: Keymap,
    /// Saved views, in file order.
    pub views: Vec<View>,
    /// Sync accounts (`[[account]]`), in file order.
    pub accounts: Vec<accounts::Account>,
    /// Where this configuration came from.
    pub source: ConfigSource,
    /// The settings of `[library]` the config file gives, in the table's
    /// order; every location ([`LOCATIONS`](super::LOCATIONS)) not among
    /// them is in the data folder.
    pub library_set: Vec<&'static str>,
    /// The data folder, where the library's files are without a setting.
    pub data: DataDir,
    /// Whether `--articles` chose the articles folder ([`Config::use_articles`]).
    pub articles_given: bool,
}

impl Config {
    /// Reads the folder `dir` instead of the configured one (`--articles`),
    /// with marks of its own ([`LibraryConfig::with_articles`]).
    pub fn use_articles(&mut self, dir: &Path) {
        self.library = self.library.with_articles(dir);
        self.articles_given = true;
    }
}

impl Default for Config {
    /// The built-in defaults, used when there is no config file: articles,
    /// bookmarks, read state and feeds in the user's data folder.
    fn default() -> Config {
        Config {
            library: LibraryConfig::default(),
            display: DisplayConfig::default(),
            layout: LayoutConfig::default(),
            reader: ReaderConfig::default(),
            fetching: super::fetching::FetchingConfig::default(),
            theme: Theme::default(),
            keys: Keymap::default(),
            views: Vec::new(),
            accounts: Vec::new(),
            source: ConfigSource::Defaults,
            library_set: Vec::new(),
            data: DataDir::from_env(
                std::env::var_os("XDG_DATA_HOME").as_deref(),
                std::env::var_os("HOME").as_deref(),
            ),
            articles_given: false,
        }
    }
}

/// Where the configuration came from, in lookup order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// The file given with `--config`.
    Flag(PathBuf),
    /// The file named by `$BROADSHEET_CONFIG`.
    Env(PathBuf),
    /// `config.toml` in the working directory.
    WorkingDir(PathBuf),
    /// `broadsheet/config.toml` in the user's config folder.
    User(PathBuf),
    /// No file: the built-in defaults.
    Defaults,
}

impl ConfigSource {
    /// The config file, unless the defaults are used.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ConfigSource::Flag(path)
            | ConfigSource::Env(path)
            | ConfigSource::WorkingDir(path)
            | ConfigSource::User(path) => Some(path),
            ConfigSource::Defaults => None,
        }
    }
}

impl fmt::Display for ConfigSource {
    /// Says where the settings came from: `--config FILE`,
    /// `$BROADSHEET_CONFIG=FILE`, `FILE (working directory)`,
    /// `FILE (user config)` or `built-in defaults`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigSource::Flag(path) => write!(f, "--config {}", path.display()),
            ConfigSource::Env(path) => write!(f, "$BROADSHEET_CONFIG={}", path.display()),
            ConfigSource::WorkingDir(path) => write!(f, "{} (working directory)", path.display()),
            ConfigSource::User(path) => write!(f, "{} (user config)", path.display()),
            ConfigSource::Defaults => f.write_str("built-in defaults"),
        }
    }
}

/// Config files larger than this are refused: a config is a page of text,
/// and reading an unbounded file would let a wrong path stall the start.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

/// Parses a config file's text. `path` names the file in errors; relative
/// paths in the file are taken from `base_dir`, and settings the file leaves
/// out take their defaults (the library's files in the data folder).
/// The result's `source` is [`ConfigSource::Defaults`]: [`load`] sets it.
pub fn parse(text: &str, path: Option<&Path>, base_dir: &Path) -> Result<Config, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = Doc { text, path };
    doc.check_plain_text()?;
    let root = DeTable::parse(text).map_err(|e| {
        let offset = e.span().map_or(text.len(), |span| span.start);
        doc.error(offset, format!("invalid TOML: {}", e.message()))
    })?;
    let mut config = Config::default();
    for (key, value) in entries(root.get_ref()) {
        let name: &str = key.get_ref();
        let Some(table) = SECTIONS.iter().find(|table| table.name == name) else {
            return Err(unknown_top_level(&doc, name, key.span().start, value));
        };
        let reader = Section {
            doc: &doc,
            name,
            base_dir,
        };
        (table.read)(&reader, value, &mut config)?;
        if name == "library"
            && let Some(table) = value.get_ref().as_table()
        {
            config.library_set = library::SETTINGS
                .iter()
                .map(|setting| setting.name)
                .filter(|setting| table.get(*setting).is_some())
                .collect();
        }
    }
    Ok(config)
}

/// A table of the config file: its name, the names of its settings (empty
/// for tables whose keys are the user's: `[keys]`, `[views]`), and how it is
/// read into the [`Config`].
pub(super) struct Table {
    /// The table's name, `[name]` in the file.
    pub(super) name: &'static str,
    /// Its settings' names and docs.
    pub(super) settings: fn() -> Vec<(&'static str, &'static str)>,
    read: fn(&Section, &Value, &mut Config) -> Result<(), ConfigError>,
}

/// The tables of a config file, in the order the help lists them.
pub(super) const SECTIONS: &[Table] = &[
    Table {
        name: "library",
        settings: || names(library::SETTINGS),
        read: |reader, value, config| reader.apply(value, library::SETTINGS, &mut config.library),
    },
    Table {
        name: "display",
        settings: || names(display::SETTINGS),
        read: |reader, value, config| reader.apply(value, display::SETTINGS, &mut config.display),
    },
    Table {
        name: "layout",
        settings: || names(layout::SETTINGS),
        read: |reader, value, config| reader.apply(value, layout::SETTINGS, &mut config.layout),
    },
    Table {
        name: "reader",
        settings: || names(reading::SETTINGS),
        read: |reader, value, config| reader.apply(value, reading::SETTINGS, &mut config.reader),
    },
    Table {
        name: "fetching",
        settings: || names(super::fetching::SETTINGS),
        read: |reader, value, config| {
            reader.apply(value, super::fetching::SETTINGS, &mut config.fetching)
        },
    },
    Table {
        name: "theme",
        settings: || names(theme::SETTINGS),
        read: |reader, value, config| reader.apply(value, theme::SETTINGS, &mut config.theme),
    },
    Table {
        name: "keys",
        settings: Vec::new,
        read: |reader, value, config| {
            config.keys = keys::read(reader, value)?;
            Ok(())
        },
    },
    Table {
        name: "views",
        settings: Vec::new,
        read: |reader, value, config| {
            config.views = views::read(reader, value)?;
            Ok(())
        },
    },
    Table {
        name: "account",
        settings: Vec::new,
        read: |reader, value, config| {
            config.accounts = accounts::read(reader, value)?;
            Ok(())
        },
    },
];

/// Whether `name` is one of the config file's tables.
pub(super) fn is_table_name(name: &str) -> bool {
    SECTIONS.iter().any(|table| table.name == name)
}

/// The tables, as errors list them: "[library], [display] … and [views]".
pub(super) fn table_list() -> String {
    let tables: Vec<String> = SECTIONS.iter().map(|t| format!("[{}]", t.name)).collect();
    match tables.split_last() {
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The names and docs of a table's settings.
fn names<T>(settings: &[Setting<T>]) -> Vec<(&'static str, &'static str)> {
    settings
        .iter()
        .map(|setting| (setting.name, setting.doc))
        .collect()
}

/// An error for a top-level entry that is no table of ours: a misspelt
/// table, or a setting written above every table.
fn unknown_top_level(doc: &Doc, name: &str, offset: usize, value: &Value) -> ConfigError {
    let tables = table_list();
    let shown = quoted(name);
    if value.get_ref().is_table() {
        let hint = suggest(name, SECTIONS.iter().map(|t| t.name))
            .map_or(String::new(), |s| format!("did you mean `[{s}]`? "));
        return doc.error(
            offset,
            format!("unknown table `[{shown}]`; {hint}the tables are {tables}"),
        );
    }
    let home = SECTIONS
        .iter()
        .find(|table| {
            (table.settings)()
                .iter()
                .any(|&(setting, _)| setting == name)
        })
        .map(|table| table.name);
    let message = match home {
        Some(section) => {
            format!("`{shown}` belongs in the [{section}] table; put it under [{section}]")
        }
        None => format!("unknown setting `{shown}` outside any table; settings go in {tables}"),
    };
    doc.error(offset, message)
}
