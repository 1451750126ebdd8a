//! The `[fetching]` table: fetching the feeds on their own while the reader
//! runs (when it starts, and every so many minutes), and telling the
//! person about new articles that match a query (a program of theirs, or
//! the terminal's own notification). Everything is off by default.

use std::time::Duration;

use toml::de::DeValue;

use super::error::ConfigError;
use super::reader::{Section, Setting, Value};
use crate::library::query::{self, Query};

/// The `[fetching]` table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FetchingConfig {
    /// Fetch every feed when the reader starts.
    pub on_start: bool,
    /// Fetch every feed this often while the reader runs; `None`: only on
    /// `F`. A `Duration` (the file gives minutes) so the tests can run
    /// the timer in milliseconds (see the reader's
    /// `BROADSHEET_TEST_FETCH_EVERY_MS`).
    pub every: Option<Duration>,
    /// New articles matching this query notify; `None`: none do.
    pub notify: Option<NotifyQuery>,
    /// The program run for each new article that notifies, as an argument
    /// vector: `{title}` and `{feed}` in an argument stand for the
    /// article's title and feed name; without either, both are added at
    /// the end. Never a shell.
    pub notify_command: Option<Vec<String>>,
    /// The terminal's own notification sequence, when one is chosen.
    pub notify_terminal: Option<TerminalNotify>,
}

/// The `notify` query: as written, and parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct NotifyQuery {
    /// As the file writes it.
    pub text: String,
    /// Parsed.
    pub query: Query,
}

/// Which notification sequence the terminal understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalNotify {
    /// `ESC ] 9 ; text BEL` (iTerm2, Windows Terminal, kitty, WezTerm).
    Osc9,
    /// `ESC ] 777 ; notify ; title ; body BEL` (rxvt-unicode, foot,
    /// VTE-based terminals, WezTerm).
    Osc777,
}

/// The most minutes `every_minutes` may give: a week.
const MAX_MINUTES: i128 = 7 * 24 * 60;

/// The most arguments `notify_command` may have.
const MAX_ARGS: usize = 64;

/// The settings of `[fetching]`.
pub(super) const SETTINGS: &[Setting<FetchingConfig>] = &[
    Setting {
        name: "on_start",
        doc: "Fetch every feed when the reader starts",
        set: |reader, name, value, config| {
            config.on_start = reader.bool(name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "every_minutes",
        doc: "Fetch every feed this often while the reader runs (0: only on F)",
        set: |reader, name, value, config| {
            config.every = every(reader, name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "notify",
        doc: "New articles matching this query notify (a query as / takes it)",
        set: |reader, name, value, config| {
            let text = reader.string(name, value, "a query, such as \"tag:rust\"")?;
            let parsed = query::parse(text)
                .map_err(|error| reader.error(value, format!("`{name}`: {error}")))?;
            config.notify = Some(NotifyQuery {
                text: text.to_string(),
                query: parsed,
            });
            Ok(())
        },
    },
    Setting {
        name: "notify_command",
        doc: "The program run for each new article that notifies",
        set: |reader, name, value, config| {
            config.notify_command = Some(command(reader, name, value)?);
            Ok(())
        },
    },
    Setting {
        name: "notify_terminal",
        doc: "The terminal's own notification: \"osc9\", \"osc777\" or \"off\"",
        set: |reader, name, value, config| {
            let expected = "\"osc9\", \"osc777\" or \"off\"";
            config.notify_terminal = match reader.string(name, value, expected)? {
                "osc9" => Some(TerminalNotify::Osc9),
                "osc777" => Some(TerminalNotify::Osc777),
                "off" => None,
                _ => {
                    return Err(reader.error(value, format!("`{name}` must be {expected}")));
                }
            };
            Ok(())
        },
    },
];

/// `every_minutes`: 0 (off) or 1 to a week's minutes.
fn every(reader: &Section, name: &str, value: &Value) -> Result<Option<Duration>, ConfigError> {
    let expected = format!("0 (only on F) or a number of minutes from 1 to {MAX_MINUTES}");
    let DeValue::Integer(_) = value.get_ref() else {
        return Err(reader.wrong_type(name, value, &expected));
    };
    let minutes = reader
        .integer(value)
        .filter(|n| (0..=MAX_MINUTES).contains(n))
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| reader.error(value, format!("`{name}` must be {expected}")))?;
    Ok((minutes > 0).then(|| Duration::from_secs(minutes * 60)))
}

/// `["notify-send", "{feed}", "{title}"]`: a program and its arguments,
/// each a string, the program not empty.
fn command(reader: &Section, name: &str, value: &Value) -> Result<Vec<String>, ConfigError> {
    let expected = "a list of strings: the program, then its arguments, such as [\"notify-send\", \"{feed}\", \"{title}\"]";
    let DeValue::Array(items) = value.get_ref() else {
        return Err(reader.wrong_type(name, value, expected));
    };
    if items.len() > MAX_ARGS {
        return Err(reader.error(
            value,
            format!(
                "`{name}` has more than {MAX_ARGS} arguments; give the program and its options"
            ),
        ));
    }
    let argv = items
        .iter()
        .map(|item| reader.string(name, item, expected).map(str::to_string))
        .collect::<Result<Vec<String>, ConfigError>>()?;
    match argv.first() {
        Some(program) if !program.trim().is_empty() => Ok(argv),
        _ => Err(reader.error(
            value,
            format!("`{name}` needs a program first, such as [\"notify-send\", \"{{title}}\"]"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::parse;
    use super::*;

    fn fetching_of(text: &str) -> Result<FetchingConfig, String> {
        parse(text, Some(Path::new("/c/config.toml")), Path::new("/c"))
            .map(|config| config.fetching)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn everything_is_off_by_default() {
        assert_eq!(fetching_of(""), Ok(FetchingConfig::default()));
        let config = fetching_of("[fetching]\n").unwrap_or_default();
        assert!(!config.on_start && config.every.is_none() && config.notify.is_none());
    }

    #[test]
    fn settings_are_read_into_their_types() {
        let config = fetching_of(
            "[fetching]\non_start = true\nevery_minutes = 15\nnotify = \"tag:rust\"\n\
             notify_command = [\"notify-send\", \"{title}\"]\nnotify_terminal = \"osc777\"\n",
        );
        let Ok(config) = config else {
            panic!("{config:?}");
        };
        assert!(config.on_start);
        assert_eq!(config.every, Some(Duration::from_secs(900)));
        assert_eq!(config.notify.map(|n| n.text), Some("tag:rust".to_string()));
        assert_eq!(
            config.notify_command,
            Some(vec!["notify-send".to_string(), "{title}".to_string()])
        );
        assert_eq!(config.notify_terminal, Some(TerminalNotify::Osc777));
        assert_eq!(
            fetching_of("[fetching]\nevery_minutes = 0\n").map(|c| c.every),
            Ok(None)
        );
    }

    #[test]
    fn mistakes_name_file_line_and_column() {
        for (text, said) in [
            ("[fetching]\nevery_minutes = -1\n", "must be 0 (only on F)"),
            (
                "[fetching]\nevery_minutes = 20000\n",
                "must be 0 (only on F)",
            ),
            (
                "[fetching]\nevery_minutes = \"15\"\n",
                "must be 0 (only on F)",
            ),
            ("[fetching]\non_start = \"yes\"\n", "must be"),
            ("[fetching]\nnotify = \"tag:\"\n", "`notify`:"),
            (
                "[fetching]\nnotify_command = \"notify-send\"\n",
                "must be a list",
            ),
            ("[fetching]\nnotify_command = []\n", "needs a program first"),
            (
                "[fetching]\nnotify_terminal = \"bell\"\n",
                "\"osc9\", \"osc777\"",
            ),
            (
                "[fetching]\nevery_minute = 5\n",
                "did you mean `every_minutes`?",
            ),
        ] {
            let error = fetching_of(text).err().unwrap_or_default();
            assert!(error.contains(said), "{text:?}: {error}");
            assert!(
                error.starts_with("/c/config.toml:2:"),
                "placed at its file and line: {error}"
            );
        }
    }
}
