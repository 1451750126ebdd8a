//! The `[reader]` table: what the reader starts to play an article's
//! enclosures (podcasts, videos), and whether the browser is a program
//! that runs in the terminal.

use toml::de::DeValue;

use super::error::ConfigError;
use super::reader::{Section, Setting, Value};

/// The `[reader]` table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReaderConfig {
    /// The player of enclosures, as an argument vector: the program, then
    /// its arguments, `%s` standing for the address (added at the end when
    /// no argument holds `%s`). None: the browser or opener links open
    /// with.
    pub player: Option<Vec<String>>,
    /// Whether the browser ($BROWSER) runs in the terminal and is handed
    /// it (`true`), or is a window of its own (`false`). None: decided by
    /// the program's name (w3m, lynx, elinks, links, ... run in it).
    pub browser_in_terminal: Option<bool>,
}

/// The most arguments `player` may have: a command line, not a script.
const MAX_PLAYER_ARGS: usize = 64;

/// The settings of `[reader]`.
pub(super) const SETTINGS: &[Setting<ReaderConfig>] = &[
    Setting {
        name: "player",
        doc: "The program that plays an article's enclosures",
        set: |reader, name, value, config| {
            config.player = Some(player(reader, name, value)?);
            Ok(())
        },
    },
    Setting {
        name: "browser_in_terminal",
        doc: "Whether the browser runs in the terminal",
        set: |reader, name, value, config| {
            config.browser_in_terminal = Some(reader.bool(name, value)?);
            Ok(())
        },
    },
];

/// `["mpv", "--no-terminal", "--"]`: a program and its arguments, each a
/// string, the program not empty.
fn player(reader: &Section, setting: &str, value: &Value) -> Result<Vec<String>, ConfigError> {
    let expected = "a list of strings: the program, then its arguments, such as [\"mpv\", \"--\"]";
    let DeValue::Array(items) = value.get_ref() else {
        return Err(reader.wrong_type(setting, value, expected));
    };
    if items.len() > MAX_PLAYER_ARGS {
        return Err(reader.error(
            value,
            format!("`{setting}` has more than {MAX_PLAYER_ARGS} arguments; give the program and its options"),
        ));
    }
    let argv = items
        .iter()
        .map(|item| reader.string(setting, item, expected).map(str::to_string))
        .collect::<Result<Vec<String>, ConfigError>>()?;
    match argv.first() {
        Some(program) if !program.trim().is_empty() => Ok(argv),
        _ => Err(reader.error(
            value,
            format!(
                "`{setting}` needs a program first, such as [\"mpv\", \"--\"]; leave it out to play with the browser"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::parse;

    fn player_of(text: &str) -> Result<Option<Vec<String>>, String> {
        parse(text, None, Path::new("/c"))
            .map(|config| config.reader.player)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn the_browser_runs_in_the_terminal_when_set_else_by_its_name() {
        let of = |text: &str| {
            parse(text, None, Path::new("/c"))
                .map(|config| config.reader.browser_in_terminal)
                .map_err(|error| error.to_string())
        };
        assert_eq!(of(""), Ok(None));
        assert_eq!(of("[reader]\nbrowser_in_terminal = true\n"), Ok(Some(true)));
        assert_eq!(
            of("[reader]\nbrowser_in_terminal = false\n"),
            Ok(Some(false))
        );
        let error = of("[reader]\nbrowser_in_terminal = \"yes\"\n")
            .err()
            .unwrap_or_default();
        assert!(error.starts_with("2:"), "placed at its line: {error}");
    }

    #[test]
    fn the_player_is_an_argument_vector_or_the_browser() {
        assert_eq!(player_of(""), Ok(None));
        assert_eq!(player_of("[reader]\n"), Ok(None));
        assert_eq!(
            player_of("[reader]\nplayer = [\"mpv\", \"--no-video\", \"--\"]\n"),
            Ok(Some(vec!["mpv".into(), "--no-video".into(), "--".into()]))
        );
        for (text, said) in [
            (
                "[reader]\nplayer = \"mpv --\"\n",
                "must be a list of strings",
            ),
            ("[reader]\nplayer = []\n", "needs a program first"),
            (
                "[reader]\nplayer = [\" \", \"--\"]\n",
                "needs a program first",
            ),
            (
                "[reader]\nplayer = [\"mpv\", 3]\n",
                "must be a list of strings",
            ),
            ("[reader]\nplayr = [\"mpv\"]\n", "did you mean `player`?"),
        ] {
            let error = player_of(text).err().unwrap_or_default();
            assert!(error.contains(said), "{text:?}: {error}");
            assert!(error.starts_with("2:"), "placed at its line: {error}");
        }
    }
}
