//! Configuration: defaults, lookup order, validation with file:line:column.
//!
//! The file is found by [`locate`] (`--config`, `$BROADSHEET_CONFIG`,
//! `./config.toml`, the user's config folder, else built-in defaults), read
//! by [`load`] and checked by [`parse`], which walks the TOML document with
//! its spans so every mistake is reported at its line and column with what
//! to write instead. [`discover`] does the whole lookup from the process
//! environment.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::fmt::{self, Write as _};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use chrono::format::{Item, StrftimeItems};
use ratatui::style::Color;
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::article::sanitize::{escape_unprintable, quoted, sanitize_line};
use crate::library::SortOrder;
use crate::library::query;
use crate::tui::action::Action;
use crate::tui::keymap::{Key, Keymap};
use crate::tui::theme::{self, Theme};

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

/// The `[library]` table: file locations and limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryConfig {
    /// The folder of article files.
    pub articles: PathBuf,
    /// The bookmarks file.
    pub bookmarks: PathBuf,
    /// The read-state file.
    pub state: PathBuf,
    /// Article files larger than this many bytes are skipped with a warning.
    pub max_article_size: u64,
}

/// The default largest article file: 16 MiB.
pub const DEFAULT_MAX_ARTICLE_SIZE: u64 = 16 * 1024 * 1024;

impl Default for LibraryConfig {
    /// `./articles`, and bookmarks and state in `$XDG_DATA_HOME/broadsheet/`
    /// (or `~/.local/share/broadsheet/`).
    fn default() -> LibraryConfig {
        let data = default_data_dir(
            std::env::var_os("XDG_DATA_HOME").as_deref(),
            std::env::var_os("HOME").as_deref(),
        );
        LibraryConfig {
            articles: PathBuf::from("articles"),
            bookmarks: data.join("bookmarks.toml"),
            state: data.join("state.toml"),
            max_article_size: DEFAULT_MAX_ARTICLE_SIZE,
        }
    }
}

impl LibraryConfig {
    /// The defaults of a config file in `base_dir`: every file next to it.
    fn beside(base_dir: &Path) -> LibraryConfig {
        LibraryConfig {
            articles: base_dir.join("articles"),
            bookmarks: base_dir.join("bookmarks.toml"),
            state: base_dir.join("state.toml"),
            max_article_size: DEFAULT_MAX_ARTICLE_SIZE,
        }
    }
}

/// Where bookmarks and read state go without a config file:
/// `$XDG_DATA_HOME/broadsheet`, else `$HOME/.local/share/broadsheet`, else
/// the working directory. A relative `$XDG_DATA_HOME` is ignored, as the XDG
/// spec asks.
pub fn default_data_dir(xdg_data_home: Option<&OsStr>, home: Option<&OsStr>) -> PathBuf {
    xdg_dir(xdg_data_home, home, ".local/share")
        .map_or_else(|| PathBuf::from("."), |dir| dir.join("broadsheet"))
}

/// The user's config home: `$XDG_CONFIG_HOME`, else `$HOME/.config`.
pub fn user_config_home(xdg_config_home: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    xdg_dir(xdg_config_home, home, ".config")
}

/// An XDG base folder: the variable when it is an absolute path, else
/// `$HOME/<fallback>`.
fn xdg_dir(xdg: Option<&OsStr>, home: Option<&OsStr>, fallback: &str) -> Option<PathBuf> {
    let absolute =
        |value: Option<&OsStr>| value.map(PathBuf::from).filter(|path| path.is_absolute());
    absolute(xdg).or_else(|| absolute(home).map(|home| home.join(fallback)))
}

/// The `[display]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayConfig {
    /// How dates are written (chrono strftime, date fields only).
    pub date_format: String,
    /// The order of the list at start.
    pub sort: SortOrder,
    /// Whether opening an article marks it read.
    pub mark_read_on_open: bool,
    /// Shown beside bookmarked articles (1 or 2 columns wide).
    pub bookmark_mark: String,
    /// Shown beside unread articles (1 or 2 columns wide).
    pub unread_mark: String,
}

impl Default for DisplayConfig {
    fn default() -> DisplayConfig {
        DisplayConfig {
            date_format: "%Y-%m-%d".to_string(),
            sort: SortOrder::Date,
            mark_read_on_open: true,
            bookmark_mark: "★".to_string(),
            unread_mark: "•".to_string(),
        }
    }
}

impl DisplayConfig {
    /// Formats a date with `date_format`; falls back to ISO should the
    /// pattern fail to format (validation makes that rare).
    pub fn format_date(&self, date: NaiveDate) -> String {
        let mut out = String::new();
        match write!(out, "{}", date.format(&self.date_format)) {
            Ok(()) => out,
            Err(_) => date.format("%Y-%m-%d").to_string(),
        }
    }
}

/// The `[layout]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LayoutConfig {
    /// Width of the list pane beside the article.
    pub list_width: ListWidth,
    /// Whether the list sits beside or above the article.
    pub orientation: Orientation,
}

/// Width of the list pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListWidth {
    /// A number of terminal columns (10 to 500).
    Columns(u16),
    /// A share of the screen width, in percent (10 to 90).
    Percent(u16),
}

impl Default for ListWidth {
    fn default() -> ListWidth {
        ListWidth::Percent(40)
    }
}

impl ListWidth {
    /// The list pane's width on a screen `total` columns wide, never more
    /// than `total`.
    pub fn columns_of(self, total: u16) -> u16 {
        match self {
            ListWidth::Columns(columns) => columns.min(total),
            ListWidth::Percent(percent) => {
                let share = u32::from(total) * u32::from(percent.min(100)) / 100;
                u16::try_from(share).unwrap_or(total)
            }
        }
    }
}

impl fmt::Display for ListWidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListWidth::Columns(columns) => write!(f, "{columns}"),
            ListWidth::Percent(percent) => write!(f, "{percent}%"),
        }
    }
}

/// How the list and the article share the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Orientation {
    /// Side by side on wide screens, stacked on narrow ones.
    #[default]
    Auto,
    /// Always side by side.
    Horizontal,
    /// Always stacked, list on top.
    Vertical,
}

impl Orientation {
    /// The name as written in the config file.
    pub fn name(self) -> &'static str {
        match self {
            Orientation::Auto => "auto",
            Orientation::Horizontal => "horizontal",
            Orientation::Vertical => "vertical",
        }
    }
}

/// A saved view: a named query from the `[views]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The name shown in the views menu.
    pub name: String,
    /// The query, already checked to parse.
    pub query: String,
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

/// A config file that cannot be used, with the place and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The config file, when there is one.
    pub path: Option<PathBuf>,
    /// Line, from 1.
    pub line: Option<usize>,
    /// Column in characters, from 1.
    pub column: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for ConfigError {
    /// `<path>:<line>:<col>: <message>`, leaving out the parts not known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place = Vec::new();
        if let Some(path) = &self.path {
            // A path can hold anything, escapes included.
            place.push(sanitize_line(&path.to_string_lossy()));
        }
        if let Some(line) = self.line {
            place.push(line.to_string());
            if let Some(column) = self.column {
                place.push(column.to_string());
            }
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(":"))?;
        }
        f.write_str(&escape_unprintable(&self.message))
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// An error about a file as a whole.
    fn file(path: Option<&Path>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: path.map(Path::to_path_buf),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// Config files larger than this are refused: a config is a page of text,
/// and reading an unbounded file would let a wrong path stall the start.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

/// Finds the config file, in lookup order: `flag` (`--config`), `env`
/// (`$BROADSHEET_CONFIG`, ignored when empty), `config.toml` in `cwd`,
/// `broadsheet/config.toml` in `user_config_dir` (the user's config home:
/// `$XDG_CONFIG_HOME` or `~/.config`), else the built-in defaults.
///
/// Reads no environment. A flag or env path is taken as given (relative to
/// `cwd`) even when it does not exist, so that [`load`] reports it; the
/// working-directory and user candidates are used only when they are files.
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
    if here.is_file() {
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

/// Looks the config up from the process environment (`$BROADSHEET_CONFIG`,
/// working directory, `$XDG_CONFIG_HOME` or `$HOME`) and loads it.
pub fn discover(flag: Option<&Path>) -> Result<Config, ConfigError> {
    let cwd = std::env::current_dir().map_err(|e| {
        ConfigError::file(
            None,
            format!("cannot find the working directory ({e}); cd to an existing folder"),
        )
    })?;
    let env = std::env::var_os("BROADSHEET_CONFIG").map(PathBuf::from);
    let user = user_config_home(
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    );
    load(locate(flag, env.as_deref(), &cwd, user.as_deref()))
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
        let reader = Section {
            doc: &doc,
            name,
            base_dir,
        };
        match name {
            "library" => reader.library(value, &mut config.library)?,
            "display" => reader.display(value, &mut config.display)?,
            "layout" => reader.layout(value, &mut config.layout)?,
            "theme" => reader.theme(value, &mut config.theme)?,
            "keys" => config.keys = reader.keys(value)?,
            "views" => config.views = reader.views(value)?,
            _ => return Err(doc.unknown_top_level(name, key.span().start, value)),
        }
    }
    Ok(config)
}

/// The tables of a config file and their settings.
const SECTIONS: &[(&str, &[&str])] = &[
    (
        "library",
        &["articles", "bookmarks", "state", "max_article_size"],
    ),
    (
        "display",
        &[
            "date_format",
            "sort",
            "mark_read_on_open",
            "bookmark_mark",
            "unread_mark",
        ],
    ),
    ("layout", &["list_width", "orientation"]),
    ("theme", Theme::FIELDS),
    ("keys", &[]),
    ("views", &[]),
];

/// Brackets and braces may nest this deep; our settings need two levels,
/// and bounding it keeps a hostile file from exhausting the stack.
const MAX_NESTING: usize = 32;

/// The text being parsed, for turning byte offsets into line:column errors.
struct Doc<'a> {
    text: &'a str,
    path: Option<&'a Path>,
}

impl Doc<'_> {
    fn error(&self, offset: usize, message: impl Into<String>) -> ConfigError {
        let (line, column) = line_column(self.text, offset);
        ConfigError {
            path: self.path.map(Path::to_path_buf),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// Refuses NUL bytes and absurd nesting before the TOML parser sees the
    /// text.
    fn check_plain_text(&self) -> Result<(), ConfigError> {
        if let Some(offset) = self.text.find('\0') {
            return Err(self.error(
                offset,
                "the file contains a NUL byte; is it a text file? Save it as plain UTF-8 text",
            ));
        }
        if let Some(offset) = too_deep(self.text.as_bytes(), MAX_NESTING) {
            return Err(self.error(
                offset,
                format!(
                    "arrays or tables nested more than {MAX_NESTING} deep; no setting needs that"
                ),
            ));
        }
        Ok(())
    }

    fn unknown_top_level(
        &self,
        name: &str,
        offset: usize,
        value: &Spanned<DeValue>,
    ) -> ConfigError {
        let tables = "[library], [display], [layout], [theme], [keys] and [views]";
        let shown = quoted(name);
        if value.get_ref().is_table() {
            let names = SECTIONS.iter().map(|&(section, _)| section);
            let hint =
                suggest(name, names).map_or(String::new(), |s| format!("did you mean `[{s}]`? "));
            return self.error(
                offset,
                format!("unknown table `[{shown}]`; {hint}the tables are {tables}"),
            );
        }
        let home = SECTIONS
            .iter()
            .find(|(_, settings)| settings.contains(&name))
            .map(|&(section, _)| section);
        let message = match home {
            Some(section) => {
                format!("`{shown}` belongs in the [{section}] table; put it under [{section}]")
            }
            None => format!("unknown setting `{shown}` outside any table; settings go in {tables}"),
        };
        self.error(offset, message)
    }
}

/// Line and column (both from 1; the column counts characters) of a byte
/// offset, clamped to the text.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
    (line, column)
}

/// The offset of the first `[` or `{` nested deeper than `max`, outside
/// strings and comments. A coarse scan: the TOML parser judges the syntax.
fn too_deep(bytes: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'#' => i = skip_until(bytes, i, b"\n"),
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i = skip_string(bytes, i + 3, b"\"\"\"", true)
            }
            b'"' => i = skip_string(bytes, i + 1, b"\"", true),
            b'\'' if bytes[i..].starts_with(b"'''") => i = skip_string(bytes, i + 3, b"'''", false),
            b'\'' => i = skip_string(bytes, i + 1, b"'", false),
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The offset just after the next `end` from `start` (or the end of input).
fn skip_until(bytes: &[u8], start: usize, end: &[u8]) -> usize {
    (start..bytes.len())
        .find(|&i| bytes[i..].starts_with(end))
        .map_or(bytes.len(), |i| i + end.len())
}

/// The offset just after a string's closing delimiter; single-line strings
/// also end at a line break, so one stray quote cannot hide the rest.
fn skip_string(bytes: &[u8], start: usize, close: &[u8], escapes: bool) -> usize {
    let single_line = close.len() == 1;
    let mut i = start;
    while let Some(&byte) = bytes.get(i) {
        if escapes && byte == b'\\' {
            i += 2;
        } else if bytes[i..].starts_with(close) {
            return i + close.len();
        } else if single_line && byte == b'\n' {
            return i;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// A table's entries in file order (the map itself is sorted by name).
fn entries<'t, 'i>(table: &'t DeTable<'i>) -> Vec<Entry<'t, 'i>> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// The candidate closest to a misspelt name, if any is close enough to be
/// the likely intent.
fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Edit distance is quadratic: a long name is no typo of ours.
    if input.len() > 64 {
        return None;
    }
    let folded = input.to_lowercase().replace('-', "_");
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(&folded, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= 1.max(candidate.len() / 3))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Reads one table of the file.
struct Section<'a> {
    doc: &'a Doc<'a>,
    name: &'a str,
    base_dir: &'a Path,
}

/// A TOML value with its place in the file.
type Value<'i> = Spanned<DeValue<'i>>;

/// A table entry: the setting's name and its value, both with their places.
type Entry<'t, 'i> = (&'t Spanned<Cow<'i, str>>, &'t Value<'i>);

impl Section<'_> {
    fn error(&self, value: &Value, message: impl Into<String>) -> ConfigError {
        self.doc.error(value.span().start, message)
    }

    /// The entries of this table, after checking that it is one and that
    /// every setting in it is known (when `known` is given).
    fn settings<'t, 'i>(
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

    fn wrong_type(&self, setting: &str, value: &Value, expected: &str) -> ConfigError {
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

    fn string<'v>(
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

    fn bool(&self, setting: &str, value: &Value) -> Result<bool, ConfigError> {
        value
            .get_ref()
            .as_bool()
            .ok_or_else(|| self.wrong_type(setting, value, "true or false"))
    }

    /// An integer setting as i128, so every TOML integer fits.
    fn integer(&self, value: &Value) -> Option<i128> {
        let integer = value.get_ref().as_integer()?;
        i128::from_str_radix(integer.as_str(), integer.radix()).ok()
    }

    fn library(&self, value: &Value, library: &mut LibraryConfig) -> Result<(), ConfigError> {
        for (key, value) in self.settings(value, Some(known(self.name)))? {
            let setting: &str = key.get_ref();
            match setting {
                "articles" => library.articles = self.path(setting, value)?,
                "bookmarks" => library.bookmarks = self.path(setting, value)?,
                "state" => library.state = self.path(setting, value)?,
                _ => library.max_article_size = self.size(setting, value)?,
            }
        }
        Ok(())
    }

    /// A path setting: `~/` is the home folder, relative paths start at the
    /// config file's folder.
    fn path(&self, setting: &str, value: &Value) -> Result<PathBuf, ConfigError> {
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

    fn size(&self, setting: &str, value: &Value) -> Result<u64, ConfigError> {
        let expected = "a size such as \"16 MiB\" or a number of bytes";
        let bytes = match value.get_ref() {
            DeValue::Integer(_) => self
                .integer(value)
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| self.error(value, format!("`{setting}` must be {expected}")))?,
            DeValue::String(text) => {
                parse_size(text).map_err(|e| self.error(value, format!("`{setting}`: {e}")))?
            }
            _ => return Err(self.wrong_type(setting, value, expected)),
        };
        if !(MIN_ARTICLE_SIZE..=MAX_ARTICLE_SIZE).contains(&bytes) {
            return Err(self.error(
                value,
                format!("`{setting}` must be between 1 KiB and 1 GiB, not {bytes} bytes"),
            ));
        }
        Ok(bytes)
    }

    fn display(&self, value: &Value, display: &mut DisplayConfig) -> Result<(), ConfigError> {
        for (key, value) in self.settings(value, Some(known(self.name)))? {
            let setting: &str = key.get_ref();
            match setting {
                "date_format" => {
                    let format = self.string(setting, value, "a date format in quotes")?;
                    check_date_format(format).map_err(|e| self.error(value, e))?;
                    display.date_format = format.to_string();
                }
                "sort" => {
                    let name = self.string(setting, value, "\"date\", \"oldest\" or \"title\"")?;
                    display.sort = [SortOrder::Date, SortOrder::Oldest, SortOrder::Title]
                        .into_iter()
                        .find(|sort| sort.name() == name)
                        .ok_or_else(|| {
                            self.error(
                                value,
                                format!(
                                    "unknown sort `{}`; use \"date\" (newest first), \"oldest\" or \"title\"",
                                    quoted(name)
                                ),
                            )
                        })?;
                }
                "mark_read_on_open" => display.mark_read_on_open = self.bool(setting, value)?,
                "bookmark_mark" => display.bookmark_mark = self.mark(setting, value)?,
                _ => display.unread_mark = self.mark(setting, value)?,
            }
        }
        Ok(())
    }

    fn mark(&self, setting: &str, value: &Value) -> Result<String, ConfigError> {
        let mark = self.string(setting, value, "one or two characters in quotes")?;
        check_mark(mark).map_err(|e| self.error(value, format!("`{setting}` {e}")))?;
        Ok(mark.to_string())
    }

    fn layout(&self, value: &Value, layout: &mut LayoutConfig) -> Result<(), ConfigError> {
        for (key, value) in self.settings(value, Some(known(self.name)))? {
            let setting: &str = key.get_ref();
            if setting == "list_width" {
                layout.list_width = self.list_width(value)?;
                continue;
            }
            let expected = "\"auto\", \"horizontal\" or \"vertical\"";
            let name = self.string(setting, value, expected)?;
            layout.orientation = [
                Orientation::Auto,
                Orientation::Horizontal,
                Orientation::Vertical,
            ]
            .into_iter()
            .find(|o| o.name() == name)
            .ok_or_else(|| {
                self.error(
                    value,
                    format!("unknown orientation `{}`; use {expected}", quoted(name)),
                )
            })?;
        }
        Ok(())
    }

    fn list_width(&self, value: &Value) -> Result<ListWidth, ConfigError> {
        let expected = "a share such as \"40%\" (10% to 90%) or a number of columns (10 to 500)";
        let invalid = || self.error(value, format!("`list_width` must be {expected}"));
        let width = match value.get_ref() {
            DeValue::Integer(_) => {
                let columns = self.integer(value).ok_or_else(invalid)?;
                ListWidth::Columns(u16::try_from(columns).map_err(|_| invalid())?)
            }
            DeValue::String(text) => parse_list_width(text.trim()).ok_or_else(invalid)?,
            _ => return Err(self.wrong_type("list_width", value, expected)),
        };
        let fits = match width {
            ListWidth::Columns(columns) => (10..=500).contains(&columns),
            ListWidth::Percent(percent) => (10..=90).contains(&percent),
        };
        if !fits {
            return Err(invalid());
        }
        Ok(width)
    }

    fn theme(&self, value: &Value, theme: &mut Theme) -> Result<(), ConfigError> {
        for (key, value) in self.settings(value, Some(Theme::FIELDS))? {
            let setting: &str = key.get_ref();
            let color = match value.get_ref() {
                DeValue::String(text) => theme::parse_color(text)
                    .map_err(|e| self.error(value, format!("`{setting}`: {e}")))?,
                DeValue::Integer(_) => self
                    .integer(value)
                    .and_then(|n| u8::try_from(n).ok())
                    .map(Color::Indexed)
                    .ok_or_else(|| {
                        self.error(
                            value,
                            format!("`{setting}`: colour numbers go from 0 to 255"),
                        )
                    })?,
                _ => {
                    return Err(self.wrong_type(
                        setting,
                        value,
                        "a colour name, \"#rrggbb\" or 0-255",
                    ));
                }
            };
            if let Some(field) = theme.field_mut(setting) {
                *field = color;
            }
        }
        Ok(())
    }

    fn keys(&self, value: &Value) -> Result<Keymap, ConfigError> {
        let mut overrides: Vec<(Action, Vec<Key>)> = Vec::new();
        let mut places: HashMap<(Action, Key), &Value> = HashMap::new();
        let mut quit_entry = None;
        for (key, value) in self.settings(value, None)? {
            let name: &str = key.get_ref();
            if name == "quit" {
                quit_entry = Some(key.span().start);
            }
            let action = Action::from_name(name).ok_or_else(|| {
                let hint = suggest(name, Action::ALL.iter().map(|a| a.name()))
                    .map_or(String::new(), |s| format!("did you mean `{s}`? "));
                self.doc.error(
                    key.span().start,
                    format!(
                        "unknown action `{}` in [keys]; {hint}the actions are: {}",
                        quoted(name),
                        Action::ALL
                            .iter()
                            .map(|a| a.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            let spellings: Vec<&Value> = match value.get_ref() {
                DeValue::String(_) => vec![value],
                DeValue::Array(items) => items.iter().collect(),
                _ => return Err(self.wrong_type(name, value, "a key in quotes or a list of keys")),
            };
            let mut keys = Vec::new();
            for spelling in spellings {
                let text = self.string(name, spelling, "a key in quotes")?;
                let parsed: Key = text
                    .parse()
                    .map_err(|e| self.error(spelling, format!("in `{name}`: {e}")))?;
                places.entry((action, parsed)).or_insert(spelling);
                keys.push(parsed);
            }
            overrides.push((action, keys));
        }
        let keymap = Keymap::default()
            .with_overrides(&overrides)
            .map_err(|conflict| {
                let offset = places
                    .get(&(conflict.second, conflict.key))
                    .map_or(value.span().start, |v| v.span().start);
                self.doc.error(offset, conflict.to_string())
            })?;
        if keymap.keys_for(Action::Quit).is_empty() {
            // Point at the entry that emptied `quit`: its own, or the one
            // that took its last default key.
            let default_quit = Keymap::default();
            let taker = places
                .iter()
                .filter(|((_, key), _)| default_quit.keys_for(Action::Quit).contains(key))
                .map(|(_, spelling)| spelling.span().start)
                .max();
            let offset = quit_entry.or(taker).unwrap_or(value.span().start);
            return Err(self.doc.error(
                offset,
                "no key is left for `quit`; bind one, such as quit = [\"q\", \"ctrl-c\"]",
            ));
        }
        Ok(keymap)
    }

    fn views(&self, value: &Value) -> Result<Vec<View>, ConfigError> {
        let mut views = Vec::new();
        for (key, value) in self.settings(value, None)? {
            let name: &str = key.get_ref();
            if name.trim().is_empty() || name.chars().count() > 60 || name.chars().any(invisible) {
                return Err(self.doc.error(
                    key.span().start,
                    "a view name must be 1 to 60 visible characters, without control characters",
                ));
            }
            let text = self.string(name, value, "a query in quotes")?;
            if let Some(position) = text.chars().position(invisible) {
                let offset = value.span().start + string_source_offset(self.raw(value), position);
                return Err(self.doc.error(
                    offset,
                    format!(
                        "view `{}` has a control character in its query; remove it",
                        quoted(name)
                    ),
                ));
            }
            query::parse(text).map_err(|e| {
                let offset = value.span().start + string_source_offset(self.raw(value), e.column);
                self.doc.error(
                    offset,
                    format!("view `{}`: bad query: {}", quoted(name), e.message),
                )
            })?;
            views.push(View {
                name: name.to_string(),
                query: text.to_string(),
            });
        }
        Ok(views)
    }

    /// The source text of a value, quotes included.
    fn raw(&self, value: &Value) -> &str {
        self.doc.text.get(value.span()).unwrap_or_default()
    }
}

/// The settings of a table, by name.
fn known(section: &str) -> &'static [&'static str] {
    SECTIONS
        .iter()
        .find(|&&(name, _)| name == section)
        .map_or(&[], |&(_, settings)| settings)
}

/// Whether a character would act on the terminal or hide itself: controls,
/// bidi overrides and isolates, zero-width format characters.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
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

/// `"40%"` as a share, `"120"` as columns.
fn parse_list_width(text: &str) -> Option<ListWidth> {
    match text.strip_suffix('%') {
        Some(percent) => percent.trim().parse().ok().map(ListWidth::Percent),
        None => text.parse().ok().map(ListWidth::Columns),
    }
}

/// Date formats longer than this are refused: the format is repeated on
/// every list row.
const MAX_DATE_FORMAT_CHARS: usize = 64;

/// Checks a chrono date format: every `%` field must be known and be a
/// date field (articles have dates, not times), and the format must not
/// print control characters.
pub fn check_date_format(format: &str) -> Result<(), String> {
    let help = "use chrono date fields such as %Y %m %d %b %e %A (see `man strftime`)";
    if format.chars().count() > MAX_DATE_FORMAT_CHARS {
        return Err(format!(
            "date_format is longer than {MAX_DATE_FORMAT_CHARS} characters"
        ));
    }
    if format.chars().any(invisible) {
        return Err("date_format has a control character; remove it".to_string());
    }
    let items: Vec<Item> = StrftimeItems::new(format).collect();
    if items.iter().any(|item| matches!(item, Item::Error)) {
        return Err(format!("invalid date_format `{}`; {help}", quoted(format)));
    }
    let sample = NaiveDate::from_ymd_opt(2024, 3, 9).unwrap_or_default();
    let mut out = String::new();
    if write!(out, "{}", sample.format_with_items(items.iter())).is_err() {
        return Err(format!(
            "date_format `{}` asks for a time or time zone, which article dates do not have; {help}",
            quoted(format)
        ));
    }
    if out.chars().any(invisible) {
        return Err(
            "date_format prints a line break, tab or control character (%n, %t); \
             use spaces or punctuation instead"
                .to_string(),
        );
    }
    Ok(())
}

/// Checks a list mark: one or two terminal columns wide, visible, and at
/// most two characters as the reader sees them.
fn check_mark(mark: &str) -> Result<(), String> {
    if mark.chars().any(invisible) {
        return Err("has a control or invisible character; use a visible one".to_string());
    }
    let width = mark.width();
    if !(1..=2).contains(&width) || mark.graphemes(true).nth(2).is_some() {
        return Err(format!(
            "must be one or two columns wide, such as \"★\" or \"*\"; `{}` is {width}",
            quoted(mark)
        ));
    }
    Ok(())
}

/// The byte offset, in a string value's source (quotes included), of the
/// decoded string's character number `index`; the closing quote when the
/// index is past the end. Escapes count as the one character they stand for.
fn string_source_offset(raw: &str, index: usize) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(text, None, Path::new("/base"))
    }

    fn error_of(text: &str) -> String {
        parse_str(text).unwrap_err().to_string()
    }

    #[test]
    fn an_empty_file_gives_defaults_with_files_beside_it() {
        let config = parse_str("").unwrap();
        assert_eq!(config.library.articles, Path::new("/base/articles"));
        assert_eq!(config.library.bookmarks, Path::new("/base/bookmarks.toml"));
        assert_eq!(config.library.state, Path::new("/base/state.toml"));
        assert_eq!(config.display, DisplayConfig::default());
        assert_eq!(config.keys, Keymap::default());
        assert_eq!(config.source, ConfigSource::Defaults);
    }

    #[test]
    fn errors_show_path_line_and_column_when_known() {
        let error = parse(
            "\n\n[library]\nartciles = 'x'\n",
            Some(Path::new("c.toml")),
            Path::new("/"),
        )
        .unwrap_err();
        assert_eq!((error.line, error.column), (Some(4), Some(1)));
        assert!(error.to_string().starts_with(
            "c.toml:4:1: unknown setting `artciles` in [library]; did you mean `articles`?"
        ));
        let no_path = ConfigError {
            path: None,
            line: Some(2),
            column: Some(3),
            message: "m".into(),
        };
        assert_eq!(no_path.to_string(), "2:3: m");
        let only_path = ConfigError::file(Some(Path::new("x")), "m");
        assert_eq!(only_path.to_string(), "x: m");
        assert_eq!(ConfigError::file(None, "m").to_string(), "m");
        // User text a message forgot to quote is still escaped.
        let raw = ConfigError::file(None, "`\u{1b}]0;x\u{7}\t` is bad");
        assert_eq!(raw.to_string(), "`\\u{1b}]0;x\\u{7}\\t` is bad");
    }

    #[test]
    fn columns_count_characters_and_ignore_a_bom() {
        assert_eq!(line_column("ab\ncdé f", 9), (2, 6));
        assert_eq!(line_column("abc", 99), (1, 4));
        let error = error_of("\u{feff}x = 1");
        assert!(error.starts_with("1:1: "), "{error}");
        let error = error_of("[display]\nbookmark_mark = \"é\" # é\nunread_mark = 5\n");
        assert!(error.starts_with("3:15: "), "{error}");
    }

    #[test]
    fn paths_are_relative_to_the_config_folder_and_expand_home() {
        let config =
            parse_str("[library]\narticles = \"news\"\nstate = \"/abs/s.toml\"\n").unwrap();
        assert_eq!(config.library.articles, Path::new("/base/news"));
        assert_eq!(config.library.state, Path::new("/abs/s.toml"));
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            let config =
                parse_str("[library]\nbookmarks = \"~/b.toml\"\narticles = \"~\"").unwrap();
            assert_eq!(config.library.bookmarks, Path::new(&home).join("b.toml"));
            assert_eq!(config.library.articles, Path::new(&home));
        }
        let config = parse_str("[library]\narticles = \"~x/y\"\n").unwrap();
        assert_eq!(config.library.articles, Path::new("/base/~x/y"));
        assert!(error_of("[library]\narticles = \" \"").contains("2:12: `articles` is empty"));
    }

    #[test]
    fn sizes_accept_bytes_and_units() {
        let cases: &[(&str, u64)] = &[
            ("2048", 2048),
            ("16 MiB", 16 << 20),
            ("16MiB", 16 << 20),
            ("500 kb", 500_000),
            ("2 KiB", 2048),
            ("1 GB", 1_000_000_000),
            ("1 GiB", 1 << 30),
            ("4096 B", 4096),
        ];
        for (text, bytes) in cases {
            assert_eq!(parse_size(text), Ok(*bytes), "{text}");
        }
        for bad in [
            "",
            "MiB",
            "1.5 MiB",
            "-1",
            "16 MiBs",
            "99999999999999999999",
            "18446744073709551615 GiB",
        ] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        let config = parse_str("[library]\nmax_article_size = 4096").unwrap();
        assert_eq!(config.library.max_article_size, 4096);
        assert!(error_of("[library]\nmax_article_size = 10").contains("between 1 KiB and 1 GiB"));
        assert!(error_of("[library]\nmax_article_size = -5").contains("2:20: "));
        assert!(error_of("[library]\nmax_article_size = \"2 TiB\"").contains("unknown unit"));
    }

    #[test]
    fn display_settings_are_checked() {
        let config = parse_str(
            "[display]\ndate_format = \"%e %b %Y\"\nsort = \"title\"\nmark_read_on_open = false\nbookmark_mark = \"B\"\nunread_mark = \"🔵\"\n",
        )
        .unwrap();
        assert_eq!(config.display.date_format, "%e %b %Y");
        assert_eq!(config.display.sort, SortOrder::Title);
        assert!(!config.display.mark_read_on_open);
        assert_eq!(config.display.unread_mark, "🔵");
        let cases: &[(&str, &str)] = &[
            ("date_format = \"%Q\"", "2:15: invalid date_format"),
            ("date_format = \"%H:%M\"", "time or time zone"),
            ("date_format = \"%Y%\"", "invalid date_format"),
            ("date_format = \"%Y%n%m\"", "line break"),
            ("date_format = \"%s\"", "time or time zone"),
            ("date_format = \"\\u001b[31m%Y\"", "control character"),
            ("sort = \"newest\"", "2:8: unknown sort `newest`"),
            (
                "sort = 1",
                "must be \"date\", \"oldest\" or \"title\", not an integer",
            ),
            (
                "mark_read_on_open = \"yes\"",
                "must be true or false, not a string",
            ),
            ("bookmark_mark = \"\"", "one or two columns"),
            ("bookmark_mark = \"***\"", "one or two columns"),
            ("unread_mark = \"\\u001b\"", "control"),
            ("unread_mark = \"a\\u202e\"", "invisible"),
            ("unread_mark = \"\\u0301\"", "one or two columns"),
        ];
        for (line, expected) in cases {
            let error = error_of(&format!("[display]\n{line}\n"));
            assert!(error.contains(expected), "{line}: {error}");
        }
    }

    #[test]
    fn layout_settings_are_checked() {
        let config = parse_str("[layout]\nlist_width = 60\norientation = \"vertical\"").unwrap();
        assert_eq!(config.layout.list_width, ListWidth::Columns(60));
        assert_eq!(config.layout.orientation, Orientation::Vertical);
        let config = parse_str("[layout]\nlist_width = \"35%\"").unwrap();
        assert_eq!(config.layout.list_width, ListWidth::Percent(35));
        for bad in [
            "5", "501", "\"95%\"", "\"9%\"", "\"wide\"", "40.5", "-40", "\"%\"",
        ] {
            let error = error_of(&format!("[layout]\nlist_width = {bad}"));
            assert!(error.contains("2:14: `list_width`"), "{bad}: {error}");
            assert!(error.contains("10% to 90%"), "{bad}: {error}");
        }
        assert!(error_of("[layout]\norientation = \"diagonal\"").contains("unknown orientation"));
    }

    #[test]
    fn list_width_gives_columns_of_a_screen() {
        assert_eq!(ListWidth::Percent(40).columns_of(100), 40);
        assert_eq!(ListWidth::Percent(90).columns_of(u16::MAX), 58981);
        assert_eq!(ListWidth::Columns(80).columns_of(60), 60);
    }

    #[test]
    fn theme_colours_are_read() {
        let config =
            parse_str("[theme]\naccent = \"#102030\"\nerror = 196\ntitle = \"LightBlue\"").unwrap();
        assert_eq!(config.theme.accent, ratatui::style::Color::Rgb(16, 32, 48));
        assert_eq!(config.theme.error, ratatui::style::Color::Indexed(196));
        assert_eq!(config.theme.title, ratatui::style::Color::LightBlue);
        assert!(
            error_of("[theme]\naccent = \"purple\"")
                .contains("2:10: `accent`: `purple` is not a colour")
        );
        assert!(
            error_of("[theme]\naccent = 300")
                .contains("2:10: `accent`: colour numbers go from 0 to 255")
        );
        assert!(error_of("[theme]\naccent = true").contains("not a boolean"));
        assert!(error_of("[theme]\naccnet = \"red\"").contains("did you mean `accent`?"));
    }

    #[test]
    fn keys_override_defaults() {
        let config =
            parse_str("[keys]\ndown = [\"ctrl-n\", \"down\"]\nsearch = \"g\"\nreload = []\n")
                .unwrap();
        assert_eq!(
            config.keys.keys_for(Action::Down),
            &[Key::ctrl('n'), "down".parse().unwrap()]
        );
        assert_eq!(config.keys.keys_for(Action::Search), &[Key::char('g')]);
        assert_eq!(
            config.keys.keys_for(Action::Top),
            &["home".parse::<Key>().unwrap()]
        );
        assert!(config.keys.keys_for(Action::Reload).is_empty());
    }

    #[test]
    fn key_mistakes_are_placed_and_explained() {
        let cases: &[(&str, &str)] = &[
            (
                "pagedown = \"x\"",
                "2:1: unknown action `pagedown` in [keys]; did you mean `page_down`?",
            ),
            ("down = \"ctrl-\"", "2:8: in `down`: `ctrl-` is not a key"),
            (
                "down = [\"j\", \"jj\"]",
                "2:14: in `down`: `jj` is not a key",
            ),
            (
                "down = [\"j\", 1]",
                "2:14: `down` in [keys] must be a key in quotes, not an integer",
            ),
            ("down = 1", "must be a key in quotes or a list of keys"),
            (
                "top = \"x\"\nbottom = [\"y\", \"X\", \"x\"]",
                "3:21: key `x` is bound to both `top` and `bottom`",
            ),
            ("quit = []", "2:1: no key is left for `quit`"),
        ];
        for (body, expected) in cases {
            let error = error_of(&format!("[keys]\n{body}\n"));
            assert!(error.contains(expected), "{body}: {error}");
        }
        assert!(
            error_of("[keys]\nhelp = [\"q\", \"ctrl-c\"]")
                .contains("2:14: no key is left for `quit`")
        );
    }

    #[test]
    fn unknown_tables_and_stray_settings_are_explained() {
        assert!(
            error_of("[libary]\n")
                .contains("1:2: unknown table `[libary]`; did you mean `[library]`?")
        );
        assert!(error_of("[colours]\n").contains("the tables are [library]"));
        assert!(
            error_of("articles = \"x\"\n")
                .contains("1:1: `articles` belongs in the [library] table")
        );
        assert!(error_of("zzz = 1\n").contains("unknown setting `zzz` outside any table"));
        assert!(error_of("library = 1\n").contains("1:11: `library` must be a table"));
        assert!(error_of("[[library]]\n").contains("must be a table"));
    }

    #[test]
    fn views_keep_file_order_and_check_queries() {
        let text = r#"
[views]
zeta = "tag:fiction"
alpha = 'is:unread date:2024..'
"with space" = ""
"#;
        let config = parse_str(text).unwrap();
        let names: Vec<&str> = config.views.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha", "with space"]);
        assert_eq!(config.views[1].query, "is:unread date:2024..");
    }

    #[test]
    fn a_bad_view_query_is_placed_inside_its_string() {
        let cases: &[(&str, &str)] = &[
            (r#"x = "a foo:bar""#, "2:8: view `x`: bad query"),
            (r#"x = "\"a\" foo:bar""#, "2:12: view `x`: bad query"),
            ("x = '''\nfoo:bar'''", "3:1: view `x`: bad query"),
            (r#"x = "(a""#, "view `x`: bad query"),
            (
                "x = 1",
                "`x` in [views] must be a query in quotes, not an integer",
            ),
            (r#"x = "a\u001bb""#, "2:7: view `x` has a control character"),
            (r#""" = "a""#, "2:1: a view name must be"),
        ];
        for (body, expected) in cases {
            let error = error_of(&format!("[views]\n{body}\n"));
            assert!(error.contains(expected), "{body}: {error}");
        }
    }

    #[test]
    fn hostile_text_is_refused_without_panicking() {
        assert!(error_of("a = 1\nb = \"\0\"").contains("2:6: the file contains a NUL byte"));
        let deep = format!("a = {}", "[".repeat(100_000));
        assert!(error_of(&deep).contains("1:37: arrays or tables nested more than 32 deep"));
        let deep_tables = format!("a = {}", "{ b = ".repeat(100_000));
        assert!(error_of(&deep_tables).contains("nested more than"));
        let long_name = format!("[library]\n{} = 1", "x".repeat(3_000_000));
        assert!(error_of(&long_name).contains("unknown setting `xxxx"));
        assert!(error_of("[display").contains("invalid TOML"));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count_as_nesting() {
        let brackets = "[".repeat(100);
        let text = format!(
            "# {brackets}\n[display]\ndate_format = \"{brackets}\"\nbookmark_mark = '['\nunread_mark = \"\\\"\"\n"
        );
        assert!(
            error_of(&text).contains("date_format is longer"),
            "{}",
            error_of(&text)
        );
        let text = format!("[keys]\n\"{brackets}\" = '''\n{brackets}'''\n");
        assert!(!error_of(&text).contains("nested"));
    }

    #[test]
    fn string_offsets_follow_escapes() {
        assert_eq!(string_source_offset("\"abc\"", 0), 1);
        assert_eq!(string_source_offset("\"abc\"", 2), 3);
        assert_eq!(string_source_offset("\"abc\"", 3), 4);
        assert_eq!(string_source_offset("\"abc\"", 99), 4);
        assert_eq!(string_source_offset("\"a\\tb\"", 2), 4);
        assert_eq!(string_source_offset("\"\\u00e9x\"", 1), 7);
        assert_eq!(string_source_offset("'a\\tb'", 2), 3);
        assert_eq!(string_source_offset("\"\"\"\nab\"\"\"", 1), 5);
        assert_eq!(string_source_offset("\"\"\"a\\\n   b\"\"\"", 1), 9);
        assert_eq!(string_source_offset("\"é!\"", 1), 3);
    }

    #[test]
    fn xdg_folders_fall_back_to_home() {
        let os = |s: &'static str| Some(OsStr::new(s));
        assert_eq!(
            user_config_home(os("/x"), os("/h")),
            Some(PathBuf::from("/x"))
        );
        assert_eq!(
            user_config_home(os("rel"), os("/h")),
            Some(PathBuf::from("/h/.config"))
        );
        assert_eq!(user_config_home(None, None), None);
        assert_eq!(
            default_data_dir(os("/d"), os("/h")),
            Path::new("/d/broadsheet")
        );
        assert_eq!(
            default_data_dir(None, os("/h")),
            Path::new("/h/.local/share/broadsheet")
        );
        assert_eq!(default_data_dir(None, None), Path::new("."));
    }

    #[test]
    fn load_reports_missing_huge_and_non_utf8_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.toml");
        let error = load(ConfigSource::Flag(missing.clone())).unwrap_err();
        assert_eq!(error.path.as_deref(), Some(missing.as_path()));
        assert!(
            error
                .to_string()
                .contains("config file not found; check the path given to --config")
        );
        let error = load(ConfigSource::Env(missing)).unwrap_err();
        assert!(error.message.contains("$BROADSHEET_CONFIG"));

        let error = load(ConfigSource::Flag(dir.path().to_path_buf())).unwrap_err();
        assert!(error.message.contains("folder"));

        let huge = dir.path().join("huge.toml");
        std::fs::write(&huge, vec![b'#'; 2 * 1024 * 1024]).unwrap();
        assert!(
            load(ConfigSource::Flag(huge))
                .unwrap_err()
                .message
                .contains("larger than 1 MiB")
        );

        let latin1 = dir.path().join("latin1.toml");
        std::fs::write(&latin1, b"# ok\n# caf\xe9\n").unwrap();
        let error = load(ConfigSource::Flag(latin1)).unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(6)));
        assert!(error.message.contains("not UTF-8"));
    }

    #[test]
    fn load_resolves_paths_beside_the_file_and_records_the_source() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "[library]\narticles = \"news\"\n").unwrap();
        let config = load(ConfigSource::User(file.clone())).unwrap();
        assert_eq!(config.library.articles, dir.path().join("news"));
        assert_eq!(config.library.state, dir.path().join("state.toml"));
        assert_eq!(config.source, ConfigSource::User(file));
        assert_eq!(load(ConfigSource::Defaults).unwrap(), Config::default());
    }

    #[test]
    fn sources_say_where_settings_came_from() {
        let p = PathBuf::from("/c.toml");
        assert_eq!(
            ConfigSource::Flag(p.clone()).to_string(),
            "--config /c.toml"
        );
        assert_eq!(
            ConfigSource::Env(p.clone()).to_string(),
            "$BROADSHEET_CONFIG=/c.toml"
        );
        assert_eq!(
            ConfigSource::WorkingDir(p.clone()).to_string(),
            "/c.toml (working directory)"
        );
        assert_eq!(
            ConfigSource::User(p.clone()).to_string(),
            "/c.toml (user config)"
        );
        assert_eq!(ConfigSource::Defaults.to_string(), "built-in defaults");
        assert_eq!(ConfigSource::User(p.clone()).path(), Some(p.as_path()));
        assert_eq!(ConfigSource::Defaults.path(), None);
    }
}
