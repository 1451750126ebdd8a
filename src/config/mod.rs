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

mod accounts;
mod display;
mod doc;
mod error;
mod fetching;
mod file;
mod home;
mod keys;
mod layout;
mod library;
mod reader;
mod reading;
mod theme;
mod views;
mod working_dir;

#[cfg(test)]
mod tests;

use std::ffi::OsString;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::position::line_column;

pub use accounts::{Account, AccountKind, PasswordSource};
pub use display::{DisplayConfig, check_date_format};
pub use error::ConfigError;
pub use fetching::{FetchingConfig, NotifyQuery, TerminalNotify};
pub use file::{Config, ConfigSource, MAX_CONFIG_SIZE, parse};
pub use home::{Place, Settled, old_layout, places, settle};
pub use layout::{LayoutConfig, ListWidth, Orientation};
pub use library::{
    DEFAULT_MAX_ARTICLE_SIZE, DataDir, LOCATIONS, LibraryConfig, default_data_dir, parse_size,
    user_config_home,
};
pub use reading::ReaderConfig;
pub use theme::{COLOR_FORMS, ColorParseError, Theme, color_name, parse_color};
pub use views::View;
pub use working_dir::ForeignConfig;

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
    config.data = DataDir::from_env(var("XDG_DATA_HOME").as_deref(), var("HOME").as_deref());
    config.data.path = cwd.join(&config.data.path);
    let set = config.library_set.clone();
    config.library.follow_data_dir(&config.data.path, &set);
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
