//! Configuration: defaults, lookup order, validation with file:line:column.
//!
//! The file is found by [`locate`] (`--config`, `$BROADSHEET_CONFIG`,
//! `./config.toml` when it is a broadsheet configuration, the user's config
//! folder, else built-in defaults), read by [`load`] and checked by
//! [`parse`], which walks the TOML document with its spans so every mistake
//! is reported at its line and column with what to write instead.
//! [`discover`] does the whole lookup from the process environment.
//!
//! Each table has a file of its own holding its settings' table (name, doc,
//! setter): adding a setting is one row there. The reader's keys come from
//! [`crate::keys`]; nothing here knows of the reader.

mod display;
mod doc;
mod error;
mod keys;
mod layout;
mod library;
mod reader;
mod theme;
mod views;
mod working_dir;

#[cfg(test)]
mod tests;

use std::ffi::OsString;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use crate::article::sanitize::quoted;
use crate::keys::Keymap;
use crate::position::line_column;
use doc::{Doc, suggest};
use reader::{Section, Setting, Value, entries};

pub use display::{DisplayConfig, check_date_format};
pub use error::ConfigError;
pub use layout::{LayoutConfig, ListWidth, Orientation};
pub use library::{
    DEFAULT_MAX_ARTICLE_SIZE, LibraryConfig, default_data_dir, parse_size, user_config_home,
};
pub use theme::{COLOR_FORMS, ColorParseError, Theme, color_name, parse_color};
pub use views::View;
pub use working_dir::ForeignConfig;

/// Everything the config file can set, with built-in defaults for the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where articles, bookmarks and read state live.
    pub library: LibraryConfig,
    /// How articles are listed and marked.
    pub display: DisplayConfig,
    /// How the screen is split.
    pub layout: LayoutConfig,
    /// Colours.
    pub theme: Theme,
    /// Key bindings: the defaults merged with the `[keys]` table.
    pub keys: Keymap,
    /// Saved views, in file order.
    pub views: Vec<View>,
    /// Where this configuration came from.
    pub source: ConfigSource,
}

impl Default for Config {
    /// The built-in defaults, used when there is no config file: articles in
    /// `./articles`, bookmarks and read state in the user's data folder.
    fn default() -> Config {
        Config {
            library: LibraryConfig::default(),
            display: DisplayConfig::default(),
            layout: LayoutConfig::default(),
            theme: Theme::default(),
            keys: Keymap::default(),
            views: Vec::new(),
            source: ConfigSource::Defaults,
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

/// Finds the config file, in lookup order: `flag` (`--config`), `env`
/// (`$BROADSHEET_CONFIG`, ignored when empty), `config.toml` in `cwd` when
/// it is a broadsheet configuration, `broadsheet/config.toml` in
/// `user_config_dir` (the user's config home: `$XDG_CONFIG_HOME` or
/// `~/.config`), else the built-in defaults.
///
/// Reads no environment. A flag or env path is taken as given (relative to
/// `cwd`) even when it does not exist, so that [`load`] reports it; the
/// working-directory and user candidates are used only when they are files.
/// A `config.toml` in `cwd` whose tables are not all broadsheet's (a
/// project's own `config.toml`) is passed over, silently: [`passed_over`]
/// says so for the commands that report where the settings come from. An
/// explicit file (flag or env) is always taken, and its unknown tables are
/// errors.
pub fn locate(
    flag: Option<&Path>,
    env: Option<&Path>,
    cwd: &Path,
    user_config_dir: Option<&Path>,
) -> ConfigSource {
    if let Some(path) = flag {
        return ConfigSource::Flag(cwd.join(path));
    }
    if let Some(path) = env.filter(|path| !path.as_os_str().is_empty()) {
        return ConfigSource::Env(cwd.join(path));
    }
    let here = cwd.join("config.toml");
    if here.is_file() && working_dir::foreign(&here).is_none() {
        return ConfigSource::WorkingDir(here);
    }
    if let Some(dir) = user_config_dir {
        let user = dir.join("broadsheet").join("config.toml");
        if user.is_file() {
            return ConfigSource::User(user);
        }
    }
    ConfigSource::Defaults
}

/// The `config.toml` of the working folder `cwd` when [`locate`] passed it
/// over on its way to `source`, with the reason: only then is it worth a
/// word (a file given with `--config` or `$BROADSHEET_CONFIG` comes first
/// anyway).
pub fn passed_over(source: &ConfigSource, cwd: &Path) -> Option<ForeignConfig> {
    match source {
        ConfigSource::User(_) | ConfigSource::Defaults => {
            working_dir::foreign(&cwd.join("config.toml"))
        }
        ConfigSource::Flag(_) | ConfigSource::Env(_) | ConfigSource::WorkingDir(_) => None,
    }
}

/// Looks the config up from the process environment (`$BROADSHEET_CONFIG`,
/// working directory, `$XDG_CONFIG_HOME` or `$HOME`) and loads it; with
/// `NO_COLOR` set (and not empty), every colour is the terminal's own.
pub fn discover(flag: Option<&Path>) -> Result<Config, ConfigError> {
    discover_in(flag, &working_dir()?, &|name| std::env::var_os(name))
}

/// The process's working directory, which relative paths start from.
pub fn working_dir() -> Result<PathBuf, ConfigError> {
    std::env::current_dir().map_err(|e| {
        ConfigError::file(
            None,
            format!("cannot find the working directory ({e}); cd to an existing folder"),
        )
    })
}

/// The lookup of [`locate`] with the environment asked through `var`.
fn source_in(
    flag: Option<&Path>,
    cwd: &Path,
    var: &dyn Fn(&str) -> Option<OsString>,
) -> ConfigSource {
    let env = var("BROADSHEET_CONFIG").map(PathBuf::from);
    let user = user_config_home(var("XDG_CONFIG_HOME").as_deref(), var("HOME").as_deref());
    locate(flag, env.as_deref(), cwd, user.as_deref())
}

/// What [`discover`] does, with the working directory and the environment
/// variables given (`var` answers for one variable), so it can be tested
/// without changing the process's own.
pub fn discover_in(
    flag: Option<&Path>,
    cwd: &Path,
    var: &dyn Fn(&str) -> Option<OsString>,
) -> Result<Config, ConfigError> {
    let mut config = load(source_in(flag, cwd, var))?;
    if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        config.theme = Theme::no_color();
    }
    config.library.anchor(cwd);
    Ok(config)
}

/// Reads the source's file (if any) and parses it; paths in the file are
/// relative to the file's folder.
pub fn load(source: ConfigSource) -> Result<Config, ConfigError> {
    let Some(path) = source.path() else {
        return Ok(Config::default());
    };
    let text = read_config_file(&source, path)?;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base_dir = absolute.parent().unwrap_or(Path::new("."));
    let mut config = parse(&text, Some(path), base_dir)?;
    config.source = source;
    Ok(config)
}

/// The text of a config file, refusing missing, huge and non-UTF-8 files.
fn read_config_file(source: &ConfigSource, path: &Path) -> Result<String, ConfigError> {
    let file_error = |message: String| ConfigError::file(Some(path), message);
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => file_error(not_found_message(source)),
        _ => file_error(format!("cannot read config file: {e}")),
    })?;
    let metadata = file
        .metadata()
        .map_err(|e| file_error(format!("cannot read config file: {e}")))?;
    if metadata.is_dir() {
        return Err(file_error(
            "this is a folder, not a config file; give the path of a .toml file".to_string(),
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| file_error(format!("cannot read config file: {e}")))?;
    if bytes.len() as u64 > MAX_CONFIG_SIZE {
        return Err(file_error(
            "config file is larger than 1 MiB; is this the right file?".to_string(),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e
            .as_bytes()
            .get(..e.utf8_error().valid_up_to())
            .unwrap_or_default();
        let before = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = line_column(before, before.len());
        ConfigError {
            path: Some(path.to_path_buf()),
            line: Some(line),
            column: Some(column),
            message: "the file is not UTF-8 text; save it as UTF-8".to_string(),
        }
    })
}

/// What to say when a config file does not exist, by where its path came from.
fn not_found_message(source: &ConfigSource) -> String {
    let hint = match source {
        ConfigSource::Flag(_) => "check the path given to --config",
        ConfigSource::Env(_) => "check $BROADSHEET_CONFIG, or unset it to use the defaults",
        _ => "it was removed while broadsheet started; run it again",
    };
    format!("config file not found; {hint}")
}

/// Parses a config file's text. `path` names the file in errors; relative
/// paths in the file are taken from `base_dir`, and settings the file leaves
/// out take their defaults (the three library files beside the config).
/// The result's `source` is [`ConfigSource::Defaults`]: [`load`] sets it.
pub fn parse(text: &str, path: Option<&Path>, base_dir: &Path) -> Result<Config, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = Doc { text, path };
    doc.check_plain_text()?;
    let root = DeTable::parse(text).map_err(|e| {
        let offset = e.span().map_or(text.len(), |span| span.start);
        doc.error(offset, format!("invalid TOML: {}", e.message()))
    })?;
    let mut config = Config {
        library: LibraryConfig::beside(base_dir),
        ..Config::default()
    };
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
    }
    Ok(config)
}

/// A table of the config file: its name, the names of its settings (empty
/// for tables whose keys are the user's: `[keys]`, `[views]`), and how it is
/// read into the [`Config`].
struct Table {
    name: &'static str,
    settings: fn() -> Vec<(&'static str, &'static str)>,
    read: fn(&Section, &Value, &mut Config) -> Result<(), ConfigError>,
}

/// The tables of a config file, in the order the help lists them.
const SECTIONS: &[Table] = &[
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
];

/// Whether `name` is one of the config file's tables.
fn is_table_name(name: &str) -> bool {
    SECTIONS.iter().any(|table| table.name == name)
}

/// The tables, as errors list them: "[library], [display] … and [views]".
fn table_list() -> String {
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
