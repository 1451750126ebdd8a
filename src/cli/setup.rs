//! Commands about broadsheet itself rather than the articles: `config init`
//! and `config path`, `completions` and `man`.
//!
//! `config init`, `completions` and `man` need no configuration, so they
//! run before one is loaded ([`standalone`]): a broken configuration can
//! then be replaced by a fresh one. `config path` says which file the
//! loaded configuration came from.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::CommandFactory;

use super::args::{Args, Command, ConfigCommand};
use super::error::{CliError, write_error};
use crate::article::sanitize::sanitize_line;
use crate::config::{self, Config};

/// The documented starter configuration: the repository's config.toml,
/// where every setting is shown with its default and what it does.
const STARTER: &str = include_str!("../../config.toml");

/// Runs `command` when it needs no configuration (`config init`,
/// `completions`, `man`), returning its outcome; `None` for every other
/// command.
pub(super) fn standalone(command: &Command, out: &mut dyn Write) -> Option<Result<(), CliError>> {
    match command {
        Command::Config(ConfigCommand::Init { force }) => Some(init(*force, out)),
        Command::Completions { shell } => Some(completions(*shell, out)),
        Command::Man { dir } => Some(man(dir.as_deref(), out)),
        _ => None,
    }
}

/// `broadsheet config …` with the configuration loaded.
pub(super) fn config(
    command: &ConfigCommand,
    config: &Config,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    match command {
        ConfigCommand::Init { force } => init(*force, out),
        ConfigCommand::Path => path(config, out, err),
        ConfigCommand::Paths { json } => paths(config, *json, out),
    }
}

/// `broadsheet config paths [--json]`: every file and folder in use, and
/// why; tab-separated lines (name, path, why) or a JSON array.
fn paths(config: &Config, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let places = config::places(config);
    let path_of = |place: &config::Place| {
        place.path.as_deref().map(|path| {
            let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            shown(&path)
        })
    };
    if json {
        let rows: Vec<serde_json::Value> = places
            .iter()
            .map(|place| {
                serde_json::json!({
                    "name": place.name,
                    "path": path_of(place),
                    "why": place.why,
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError::new(format!("cannot write JSON: {e}")))?;
        return writeln!(out, "{text}").map_err(write_error);
    }
    for place in &places {
        // Tabs separate the fields, so none may hold one.
        let field = |text: &str| text.replace(['\t', '\n'], " ");
        let path = path_of(place).unwrap_or_else(|| "-".to_string());
        writeln!(
            out,
            "{}\t{}\t{}",
            place.name,
            field(&path),
            field(&sanitize_line(&place.why))
        )
        .map_err(write_error)?;
    }
    Ok(())
}

/// `broadsheet completions SHELL`: the shell's completion script, made
/// from the same definition as the parser, so it never lags behind.
pub(super) fn completions(
    shell: clap_complete::Shell,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut definition = Args::command();
    // Into memory first: the generator panics when a write fails, and a
    // closed pipe (`| head`) is no reason to.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut definition, "broadsheet", &mut script);
    out.write_all(&script).map_err(write_error)
}

/// `broadsheet man`: the manual page in roff on stdout; with `--dir`, a
/// page for broadsheet and one for each command (which the first page's
/// COMMANDS list refers to) written into that folder, each path printed.
pub(super) fn man(dir: Option<&Path>, out: &mut dyn Write) -> Result<(), CliError> {
    let Some(dir) = dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(Args::command())
            .render(&mut page)
            .map_err(write_error)?;
        let page = super::manual::with_sections(&String::from_utf8_lossy(&page));
        return out.write_all(page.as_bytes()).map_err(write_error);
    };
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    std::fs::create_dir_all(&dir).map_err(|e| cannot_write(&dir, &e))?;
    clap_mangen::generate_to(Args::command(), &dir).map_err(|e| cannot_write(&dir, &e))?;
    // The main page gets the reader's keys, the files and the environment.
    let main = dir.join("broadsheet.1");
    let page = std::fs::read_to_string(&main).map_err(|e| cannot_write(&main, &e))?;
    std::fs::write(&main, super::manual::with_sections(&page))
        .map_err(|e| cannot_write(&main, &e))?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| cannot_write(&dir, &e))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| is_our_page(path))
        .collect();
    pages.sort();
    for page in pages {
        writeln!(out, "{}", shown(&page)).map_err(write_error)?;
    }
    Ok(())
}

/// Whether `path` is one of the pages `man --dir` writes:
/// `broadsheet.1` or `broadsheet-<command>.1`.
fn is_our_page(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name == "broadsheet.1" || (name.starts_with("broadsheet-") && name.ends_with(".1"))
}

/// `broadsheet config path`: the file in use, absolute, on stdout; with
/// the built-in defaults, nothing on stdout and a note on stderr. A
/// `config.toml` in the working folder that was passed over is named on
/// stderr, with why.
fn path(config: &Config, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), CliError> {
    if let Some(foreign) = passed_over(config) {
        let _ = writeln!(err, "broadsheet: note: {foreign}");
    }
    match config.source.path() {
        Some(file) => {
            let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
            writeln!(out, "{}", shown(&file)).map_err(write_error)
        }
        None => {
            let target = user_config_file()
                .map(|file| format!("; `broadsheet config init` writes one to {}", shown(&file)))
                .unwrap_or_default();
            let _ = writeln!(
                err,
                "broadsheet: no config file: the built-in defaults are in use{target}; \
                 `broadsheet config paths` lists every file and folder in use"
            );
            Ok(())
        }
    }
}

/// A path as shown in messages: sanitized, since a path can hold anything.
fn shown(path: &Path) -> String {
    sanitize_line(&path.to_string_lossy())
}

/// Where `config init` writes: `broadsheet/config.toml` in the user's
/// config home (`$XDG_CONFIG_HOME`, else `~/.config`).
fn user_config_file() -> Option<PathBuf> {
    config::user_config_home(
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    )
    .map(|home| home.join("broadsheet").join("config.toml"))
}

/// The data folder: where articles, bookmarks, read marks and feeds are
/// kept without a setting, config file or not.
fn data_dir() -> Result<PathBuf, CliError> {
    let dir = config::default_data_dir(
        std::env::var_os("XDG_DATA_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    );
    Ok(config::working_dir()?.join(dir))
}

/// `broadsheet config init [--force]`.
fn init(force: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let target = user_config_file().ok_or_else(|| {
        CliError::new(
            "neither $XDG_CONFIG_HOME nor $HOME is an absolute path, so there is no config \
             folder; set one, or write a config file anywhere and give it with --config FILE",
        )
    })?;
    let data = data_dir()?;
    let text = starter_text(&data)?;
    let backup = write_config(&target, &text, force, Utc::now())?;
    // The folder the file names, so that the reader and `fetch` work at
    // once (empty until articles are put or fetched there).
    let articles = data.join("articles");
    std::fs::create_dir_all(&articles).map_err(|e| cannot_write(&articles, &e))?;
    let mut lines = vec![format!("wrote {}", shown(&target))];
    if let Some(backup) = backup {
        lines.push(format!("the old file is kept as {}", shown(&backup)));
    }
    lines.push(format!(
        "articles are read from {}; set `articles` in [library] to read another folder",
        shown(&articles)
    ));
    for line in lines {
        writeln!(out, "{line}").map_err(write_error)?;
    }
    Ok(())
}

/// The starter configuration: the bundled file with its `[library]`
/// locations turned into comments that name where they are without a
/// setting, in `data` (the bundled file sets them, to keep the
/// repository's sample folder beside itself). Left out, they follow the
/// data folder, as the file's comments say; every other value is the
/// default, comments and order kept.
pub(super) fn starter_text(data: &Path) -> Result<String, CliError> {
    let mut text = STARTER.to_string();
    for &(setting, file) in config::LOCATIONS {
        let path = data.join(file);
        let value = path.to_str().ok_or_else(|| {
            CliError::new(format!(
                "{} is not UTF-8, which a config file cannot hold; set $XDG_DATA_HOME to \
                 another folder",
                shown(&path)
            ))
        })?;
        let line = format!("\n{setting} = \"{file}\"\n");
        let Some(at) = text.find(&line) else {
            return Err(CliError::new(format!(
                "the bundled config.toml has no library.{setting}"
            )));
        };
        let commented = format!(
            "\n# {setting} = {}\n",
            toml_edit::Value::from(value).to_string().trim()
        );
        text.replace_range(at..at + line.len(), &commented);
    }
    Ok(format!("{STARTER_HEADER}{text}"))
}

/// Said above the starter configuration.
const STARTER_HEADER: &str = "\
# Written by `broadsheet config init`. Every value below is the default;
# the [library] locations are comments naming the folder your data is in
# without them (uncomment one and change it to keep that elsewhere).
#
";

/// Writes `text` to `target` (creating its folder) without ever leaving a
/// half-written file: through a temporary file renamed into place. An
/// existing file is refused, or with `force` copied to a backup first;
/// returns the backup's path.
fn write_config(
    target: &Path,
    text: &str,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>, CliError> {
    let exists = target.exists();
    if exists && !force {
        return Err(CliError::new(format!(
            "{} exists already; edit it, or run `broadsheet config init --force` to replace it \
             (the old file is kept as a backup)",
            shown(target)
        )));
    }
    let dir = target.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(dir).map_err(|e| cannot_write(dir, &e))?;
    let backup = if exists {
        Some(back_up(target, now)?)
    } else {
        None
    };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| cannot_write(dir, &e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| cannot_write(target, &e))?;
    let persisted = if exists {
        file.persist(target)
    } else {
        // Not over a file created meanwhile: that one is the person's.
        file.persist_noclobber(target)
    };
    persisted.map_err(|e| cannot_write(target, &e.error))?;
    Ok(backup)
}

/// Copies `target` to `<name>.backup-<UTC time>` beside it (with `-2`,
/// `-3`… when that name is taken), never over another file.
fn back_up(target: &Path, now: DateTime<Utc>) -> Result<PathBuf, CliError> {
    let name = target
        .file_name()
        .map_or_else(|| "config.toml".into(), |n| n.to_string_lossy());
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    for attempt in 1..100 {
        let suffix = if attempt == 1 {
            String::new()
        } else {
            format!("-{attempt}")
        };
        let backup = target.with_file_name(format!("{name}.backup-{stamp}{suffix}"));
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&backup);
        let mut copy = match created {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(cannot_write(&backup, &e)),
        };
        let mut old = std::fs::File::open(target).map_err(|e| cannot_write(target, &e))?;
        io::copy(&mut old, &mut copy)
            .and_then(|_| copy.sync_all())
            .map_err(|e| cannot_write(&backup, &e))?;
        return Ok(backup);
    }
    Err(CliError::new(format!(
        "cannot find a free name for a backup of {}; remove old backups beside it",
        shown(target)
    )))
}

/// The error for a file or folder that cannot be written.
fn cannot_write(path: &Path, error: &io::Error) -> CliError {
    CliError::new(format!(
        "cannot write {}: {error}; check that the folder exists and is yours",
        shown(path)
    ))
}

/// The `./config.toml` passed over as another program's, if any, for
/// `check` and `config path` to name.
pub(super) fn passed_over(config: &Config) -> Option<crate::config::ForeignConfig> {
    let cwd = crate::config::working_dir().ok()?;
    crate::config::passed_over(&config.source, &cwd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_leaves_the_library_locations_to_the_data_folder() {
        let data = Path::new("/home/someone/.local/share/broadsheet");
        let text = starter_text(data).expect("the starter text");
        let config = config::parse(&text, None, Path::new("/home/someone/.config/broadsheet"))
            .expect("the starter text is a valid configuration");
        // What the file sets is what leaving [library] out gives: the
        // locations are comments, and the values are the defaults.
        for (setting, _) in config::LOCATIONS {
            assert!(!config.library_set.contains(setting), "{setting} is set");
        }
        let defaults = Config::default();
        assert_eq!(config.library, defaults.library);
        assert_eq!(config.display, defaults.display);
        assert_eq!(config.keys, defaults.keys);
        for (setting, file) in config::LOCATIONS {
            let line = format!("\n# {setting} = \"{}\"\n", data.join(file).display());
            assert!(text.contains(&line), "{line} in {text}");
        }
        assert!(text.contains("# Where bookmarks are saved.\n# bookmarks = \"/home/someone"));
        assert!(text.contains("$XDG_DATA_HOME/broadsheet/"));
    }

    #[test]
    fn an_existing_file_is_refused_or_backed_up() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let target = dir.path().join("sub/config.toml");
        let now = Utc::now();
        assert_eq!(write_config(&target, "one", false, now), Ok(None));
        let Err(CliError(refused)) = write_config(&target, "two", false, now) else {
            panic!("an existing file must not be replaced");
        };
        assert!(refused.contains("exists already") && refused.contains("--force"));
        assert_eq!(
            std::fs::read_to_string(&target).ok().as_deref(),
            Some("one")
        );
        let backup = write_config(&target, "two", true, now)
            .expect("--force replaces")
            .expect("a backup");
        let again = write_config(&target, "three", true, now)
            .expect("--force replaces")
            .expect("a second backup");
        assert_ne!(backup, again, "a backup is never overwritten");
        assert_eq!(
            std::fs::read_to_string(&backup).ok().as_deref(),
            Some("one")
        );
        assert_eq!(std::fs::read_to_string(&again).ok().as_deref(), Some("two"));
        assert_eq!(
            std::fs::read_to_string(&target).ok().as_deref(),
            Some("three")
        );
    }
}
