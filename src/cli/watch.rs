//! `broadsheet watch`: follows the articles folder in the foreground and
//! vouches for it, so that every other command checks only what changed
//! instead of every file ([`crate::library::vouch`]). Quits on Ctrl-C,
//! SIGTERM or SIGHUP, withdrawing its record.

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::error::CliError;
use crate::article::Detail;
use crate::article::sanitize::sanitize_line;
use crate::config::Config;
use crate::library::open::{Opening, open_library};
use crate::library::stored::open_cached_without_words;
use crate::library::vouch::{Voucher, Vouching};
use crate::library::watch::{Change, FolderWatch, WatchOptions};

/// What the command waits for.
enum Heard {
    /// From the voucher.
    Vouching(Vouching),
    /// From the watch: a problem with the events, for a person.
    Warning(String),
    /// A signal to quit.
    Quit,
}

/// Runs `broadsheet watch` until a signal says stop; what happens is told
/// on `err`, a line each.
pub(super) fn run(config: &Config, err: &mut dyn Write) -> Result<(), CliError> {
    let root = &config.library.articles;
    let shown = sanitize_line(&root.display().to_string());
    let Some(dir) = config.library.cache_folder() else {
        return Err(CliError::new(format!(
            "watch keeps its record beside the cache of {shown}, and there is none: \
             drop --no-cache (or set library.cache), and check that the folder exists"
        )));
    };
    let (heard, hear) = mpsc::channel();
    // The signals first: a Ctrl-C during the first check still quits
    // cleanly, the record withdrawn.
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|error| CliError::new(format!("cannot wait for signals: {error}")))?;
    let quit = heard.clone();
    std::thread::Builder::new()
        .name("broadsheet-signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                let _ = quit.send(Heard::Quit);
            }
        })
        .map_err(|error| CliError::new(format!("cannot wait for signals: {error}")))?;
    // No cache yet (or a broken one): built as any command builds it, for
    // the watch to vouch for.
    let load = config.library.load_options(Detail::Full);
    if open_cached_without_words(root, &dir).is_err() {
        let opening = Opening {
            cache: Some(&dir),
            load: load.clone(),
            fresh: false,
            list_first: false,
        };
        let opened = open_library(root, &opening, &|_| {}, &mut |_| true)?;
        for notice in opened.iter().flat_map(|opened| &opened.notices) {
            say(err, &format!("warning: {notice}"));
        }
    }
    let told = heard.clone();
    let voucher = Voucher::start(root, &dir, load, move |vouching| {
        let _ = told.send(Heard::Vouching(vouching));
    })?
    .ok_or_else(|| {
        CliError::new(format!(
            "{shown} is watched already (by a reader or another `broadsheet watch`): \
             commands trust that one"
        ))
    })?;
    let watch_options = WatchOptions {
        // Commands trust what the watch has taken in: the debouncer holds
        // an event for half of this before the record has it.
        debounce: Duration::from_millis(100),
        // No periodic rescans: events are what the record is made of, and
        // a folder without them is not vouched for at all.
        rescan_every: None,
        ..WatchOptions::default()
    };
    let warnings = heard;
    let watch = FolderWatch::start_noting(
        root,
        watch_options,
        move |change| {
            if let Change::Warning(text) = change {
                let _ = warnings.send(Heard::Warning(text));
            }
        },
        voucher.noter(),
    )?;
    say(
        err,
        &format!("watching {shown}: checking it against the cache (Ctrl-C to stop)"),
    );
    while let Ok(heard) = hear.recv() {
        match heard {
            Heard::Vouching(Vouching::Started(_)) => say(
                err,
                "commands trust this watch now: they check only the files that changed",
            ),
            Heard::Vouching(Vouching::Stopped(why)) => say(
                err,
                &format!(
                    "{}: commands check every file until this watch has checked the folder again",
                    sanitize_line(&why)
                ),
            ),
            Heard::Warning(text) => say(err, &format!("warning: {text}")),
            Heard::Quit => break,
        }
    }
    // The watch first (it feeds the voucher), then the voucher, which
    // withdraws the record.
    drop(watch);
    drop(voucher);
    Ok(())
}

/// One line on stderr, at once.
fn say(err: &mut dyn Write, line: &str) {
    let _ = writeln!(err, "broadsheet: {line}");
    let _ = err.flush();
}
