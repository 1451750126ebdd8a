//! Notices of new articles (`[fetching] notify`): what to run and what to
//! send the terminal, built as plain values by the App ([`notice`]), and
//! carried out by the run loop ([`run`]). The person's program gets an
//! argument vector, never a shell; the title and feed name are made one
//! line of printable text first, and inside the terminal's sequence they
//! lose every character that could end it.

use std::process::{Command, Stdio};

use crate::article::sanitize::sanitize_line;
use crate::config::{FetchingConfig, TerminalNotify};

/// The placeholder an argument of `notify_command` writes for the title.
const TITLE: &str = "{title}";
/// The placeholder for the feed's name.
const FEED: &str = "{feed}";

/// The most characters of a title or feed name passed on.
const MAX_CHARS: usize = 300;

/// One new article to tell the person about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The program and its arguments, when `notify_command` is set.
    pub command: Option<Vec<String>>,
    /// The terminal's notification sequence, when `notify_terminal` is set.
    pub terminal: Option<String>,
}

/// One line of printable text, at most [`MAX_CHARS`] characters.
fn clean(text: &str) -> String {
    sanitize_line(text).chars().take(MAX_CHARS).collect()
}

/// The notice of an article titled `title` of the feed `feed` (empty when
/// it is no feed's), as `config` says to give it.
pub fn notice(config: &FetchingConfig, title: &str, feed: &str) -> Notice {
    let title = clean(title);
    let feed = clean(feed);
    let command = config.notify_command.as_ref().map(|argv| {
        let placed = argv
            .iter()
            .any(|arg| arg.contains(TITLE) || arg.contains(FEED));
        let mut out: Vec<String> = argv
            .iter()
            .map(|arg| arg.replace(TITLE, &title).replace(FEED, &feed))
            .collect();
        if !placed {
            out.push(title.clone());
            out.push(feed.clone());
        }
        out
    });
    let terminal = config
        .notify_terminal
        .map(|kind| sequence(kind, &title, &feed));
    Notice { command, terminal }
}

/// The notification sequence: OSC 9 with `feed: title`, or OSC 777 with
/// the feed as the heading and the title as the body. The texts are
/// sanitized already (no ESC, no BEL); `;` separates OSC 777's fields, so
/// it becomes `,` there.
fn sequence(kind: TerminalNotify, title: &str, feed: &str) -> String {
    match kind {
        TerminalNotify::Osc9 if feed.is_empty() => format!("\x1b]9;{title}\x07"),
        TerminalNotify::Osc9 => format!("\x1b]9;{feed}: {title}\x07"),
        TerminalNotify::Osc777 => {
            let heading = if feed.is_empty() { "broadsheet" } else { feed };
            format!(
                "\x1b]777;notify;{};{}\x07",
                heading.replace(';', ","),
                title.replace(';', ",")
            )
        }
    }
}

/// Starts the notice's program, its input and output going nowhere, on a
/// thread that waits for it so none is left a zombie; says why it could
/// not start.
pub(crate) fn run(command: &[String]) -> Result<(), String> {
    let Some((program, args)) = command.split_first() else {
        return Ok(());
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| {
            format!(
                "cannot run the notify_command `{}`: {error}; check [fetching] in the config file",
                sanitize_line(program)
            )
        })?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(command: &[&str], terminal: Option<TerminalNotify>) -> FetchingConfig {
        FetchingConfig {
            notify_command: Some(command.iter().map(|s| s.to_string()).collect()),
            notify_terminal: terminal,
            ..FetchingConfig::default()
        }
    }

    #[test]
    fn the_title_and_feed_go_where_the_placeholders_are_or_at_the_end() {
        let placed = notice(&config(&["say", "{feed}: {title}"], None), "Hi", "Daily");
        assert_eq!(
            placed.command,
            Some(vec!["say".to_string(), "Daily: Hi".to_string()])
        );
        let appended = notice(&config(&["log", "--"], None), "Hi", "Daily");
        assert_eq!(
            appended.command,
            Some(vec![
                "log".to_string(),
                "--".to_string(),
                "Hi".to_string(),
                "Daily".to_string()
            ])
        );
        assert_eq!(appended.terminal, None);
    }

    #[test]
    fn hostile_text_cannot_leave_its_argument_or_end_the_sequence() {
        let title = "a\x1b]0;pwned\x07\nb; c";
        let osc = notice(&config(&["x"], Some(TerminalNotify::Osc777)), title, "F;1");
        let sequence = osc.terminal.unwrap_or_default();
        // One ESC and one BEL: the sequence's own.
        assert_eq!(sequence.matches('\x1b').count(), 1, "{sequence:?}");
        assert_eq!(sequence.matches('\x07').count(), 1, "{sequence:?}");
        assert_eq!(sequence.matches(';').count(), 3, "{sequence:?}");
        let args = osc.command.unwrap_or_default();
        assert!(args.iter().all(|arg| !arg.chars().any(char::is_control)));
        let osc9 = notice(&config(&["x"], Some(TerminalNotify::Osc9)), "T", "F");
        assert_eq!(osc9.terminal.as_deref(), Some("\x1b]9;F: T\x07"));
    }
}
