//! `broadsheet fetch [FEED…]`: the feeds fetched into the articles folder.
//! On a terminal a progress bar on stderr, and a line for each feed that
//! brought something or failed; otherwise one line per feed on stdout as
//! it finishes. Exit status 1 when any feed failed. With `--quiet` (for
//! cron) only the failed feeds' lines and the final error are printed,
//! and the warnings, which need the person too.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::mpsc;

use super::error::{CliError, write_error};
use super::format::plural;
use crate::article::sanitize::sanitize_line;
use crate::config::Config;
use crate::feeds::fetch::{FetchOptions, Progress, Report, fetch_feeds};
use crate::store::feeds::{Feed, FeedStore, find};

/// The width of the progress bar, in cells.
const BAR: usize = 24;

/// Fetches the feeds `names` says (every feed when it is empty).
pub(super) fn run(
    names: &[String],
    quiet: bool,
    config: &Config,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let store = FeedStore::new(&config.library.feeds);
    let all = store.load()?;
    if all.is_empty() {
        return super::feeds::say_no_feeds(&store, out);
    }
    let feeds = chosen(&all, names)?;
    let options = FetchOptions::new(&config.library.articles, &config.library.feeds).knowing(&all);
    let shown = if quiet {
        Shown::Failures
    } else if std::io::stderr().is_terminal() {
        Shown::Bar
    } else {
        Shown::Lines
    };
    let reports = fetch_showing(&feeds, &options, &config.library.feeds, shown, out, err)?;
    if shown != Shown::Failures {
        summary(&reports, out)?;
    }
    // Before the error about failed feeds, which goes to stderr.
    out.flush().map_err(write_error)?;
    let failed: Vec<&str> = reports
        .iter()
        .filter(|r| r.failed())
        .map(|r| r.name.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::new(format!(
            "{} of {} feeds failed ({}); the lines above say why",
            failed.len(),
            reports.len(),
            sanitize_line(&failed.join(", "))
        )))
    }
}

/// The feeds named, in the order given; every feed when none is.
fn chosen(all: &[Feed], names: &[String]) -> Result<Vec<Feed>, CliError> {
    if names.is_empty() {
        return Ok(all.to_vec());
    }
    names
        .iter()
        .map(|name| {
            find(all, name).cloned().ok_or_else(|| {
                CliError::new(format!(
                    "no feed named `{}` or at that address; `broadsheet feed list` lists them",
                    sanitize_line(name)
                ))
            })
        })
        .collect()
}

/// What a fetch prints as each feed finishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// A progress bar on stderr, and a line for each feed that brought
    /// something or failed (a terminal).
    Bar,
    /// A line for every feed (a pipe, a log).
    Lines,
    /// Only the failed feeds' lines (`--quiet`).
    Failures,
}

/// Fetches on worker threads while this one shows how it goes.
fn fetch_showing(
    feeds: &[Feed],
    options: &FetchOptions,
    feeds_file: &Path,
    shown: Shown,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Vec<Report>, CliError> {
    let bar = shown == Shown::Bar;
    let (sender, finished) = mpsc::channel::<Report>();
    std::thread::scope(|scope| {
        let fetch = scope.spawn(move || {
            let progress = move |step: Progress<'_>| {
                if let Progress::Finished(report) = step {
                    let _ = sender.send(report.clone());
                }
            };
            fetch_feeds(feeds, options, &progress)
        });
        let mut done = 0;
        let mut new = 0;
        for report in finished {
            done += 1;
            new += report.new_articles();
            show(&report, feeds_file, shown, out, err)?;
            if bar {
                let _ = write!(err, "\r\x1b[K{}", progress_bar(done, feeds.len(), new));
                let _ = err.flush();
            }
        }
        if bar {
            let _ = write!(err, "\r\x1b[K");
        }
        fetch
            .join()
            .map_err(|_| CliError::new("the fetch stopped unexpectedly; run it again"))
    })
}

/// One feed's line (on a terminal only when it brought something or
/// failed) and its warnings.
fn show(
    report: &Report,
    feeds_file: &Path,
    shown: Shown,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    if shown == Shown::Bar {
        let _ = write!(err, "\r\x1b[K");
    }
    let worth_a_line = match shown {
        Shown::Lines => true,
        Shown::Failures => report.failed(),
        Shown::Bar => {
            report.failed()
                || report.new_articles() > 0
                || report.updated_articles() > 0
                || report.moved_to.is_some()
        }
    };
    if worth_a_line {
        writeln!(out, "{}", report.line(feeds_file)).map_err(write_error)?;
        out.flush().map_err(write_error)?;
    }
    for warning in &report.warnings {
        let _ = writeln!(err, "broadsheet: warning: {}", sanitize_line(warning));
    }
    Ok(())
}

/// `[=========>      ] 12/100 feeds · 37 new`
fn progress_bar(done: usize, total: usize, new: usize) -> String {
    let filled = (done * BAR).checked_div(total).unwrap_or(BAR);
    let mut bar = "=".repeat(filled);
    if filled < BAR {
        bar.push('>');
        bar.push_str(&" ".repeat(BAR - filled - 1));
    }
    format!("[{bar}] {done}/{total} feeds · {new} new")
}

/// `fetched 100 feeds: 37 new articles, 2 failed`
fn summary(reports: &[Report], out: &mut dyn Write) -> Result<(), CliError> {
    let new: usize = reports.iter().map(Report::new_articles).sum();
    let updated: usize = reports.iter().map(Report::updated_articles).sum();
    let failed = reports.iter().filter(|r| r.failed()).count();
    let mut line = format!(
        "fetched {} feed{}: {new} new article{}",
        reports.len(),
        plural(reports.len()),
        plural(new)
    );
    if updated > 0 {
        line.push_str(&format!(", {updated} updated"));
    }
    if failed > 0 {
        line.push_str(&format!(", {failed} failed"));
    }
    writeln!(out, "{line}").map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_fills_as_feeds_finish() {
        assert_eq!(
            progress_bar(0, 4, 0),
            format!("[>{}] 0/4 feeds · 0 new", " ".repeat(BAR - 1))
        );
        assert_eq!(
            progress_bar(4, 4, 9),
            format!("[{}] 4/4 feeds · 9 new", "=".repeat(BAR))
        );
    }
}
