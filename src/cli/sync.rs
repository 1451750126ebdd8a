//! `broadsheet sync [--account NAME] [--quiet] [--status]`: the accounts of
//! the config synced (`crate::sync`). On a terminal a progress line on
//! stderr while items are written; a summary line per account on stdout
//! (`home: 12 new, 3 marked read here, 5 sent`); changes the server refused
//! and other problems as warnings on stderr. `--status` shows the local
//! changes waiting, without the network. Exit status 1 when any account
//! failed, as `fetch` does for feeds.

use std::io::{IsTerminal, Write};

use super::args::SyncArgs;
use super::error::{CliError, write_error};
use super::format::plural;
use crate::article::sanitize::sanitize_line;
use crate::config::{Account, Config};
use crate::sync::engine::{Progress, Setup, waiting};
use crate::sync::journal::Mark;
use crate::sync::run::{chosen, sync_account};
use crate::sync::state::account_feeds;

/// Runs `broadsheet sync`.
pub(super) fn run(
    args: &SyncArgs,
    config: &Config,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let accounts = chosen(&config.accounts, args.account.as_deref()).map_err(CliError::new)?;
    if args.status {
        return status(&accounts, config, out, err);
    }
    let bar = !args.quiet && std::io::stderr().is_terminal();
    let mut failed = Vec::new();
    for account in &accounts {
        let name = sanitize_line(&account.name);
        let mut progress = |step: Progress| {
            if bar {
                let total = step
                    .total
                    .map_or(String::new(), |total| format!("/{total}"));
                let _ = write!(err, "\r\x1b[K{name}: {}{total} items written", step.written);
                let _ = err.flush();
            }
        };
        let result = sync_account(account, &config.library, &mut progress);
        if bar {
            let _ = write!(err, "\r\x1b[K");
        }
        let summary = match &result {
            Ok(summary) => summary,
            Err(failure) => &failure.summary,
        };
        for warning in &summary.warnings {
            let _ = writeln!(err, "broadsheet: warning: {}", sanitize_line(warning));
        }
        for (file, why) in &summary.refused {
            let _ = writeln!(
                err,
                "broadsheet: warning: account `{name}`: the server refused the change to {}: {}; it is kept and sent again at the next sync",
                sanitize_line(file),
                sanitize_line(why)
            );
        }
        match result {
            Ok(summary) => {
                if !args.quiet {
                    writeln!(out, "{name}: {}", summary.line()).map_err(write_error)?;
                }
            }
            Err(failure) => {
                // What was written before it stopped is kept; the next
                // sync resumes after it.
                let done = &failure.summary;
                if !args.quiet && (done.new > 0 || done.sent > 0) {
                    writeln!(out, "{name}: {} before it stopped", done.line())
                        .map_err(write_error)?;
                }
                failed.push((name, sanitize_line(&failure.message)));
            }
        }
    }
    out.flush().map_err(write_error)?;
    if let [(_, message)] = failed.as_slice()
        && accounts.len() == 1
    {
        return Err(CliError::new(message.clone()));
    }
    for (_, message) in &failed {
        let _ = writeln!(err, "broadsheet: error: {message}");
    }
    if failed.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = failed.iter().map(|(name, _)| name.as_str()).collect();
    Err(CliError::new(format!(
        "{} of {} accounts failed ({}); the lines above say why",
        failed.len(),
        accounts.len(),
        names.join(", ")
    )))
}

/// `sync --status`: each account's waiting local changes, and the refused
/// ones with the server's reason.
fn status(
    accounts: &[&Account],
    config: &Config,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    for account in accounts {
        let name = sanitize_line(&account.name);
        let setup = Setup::new(&account.name, &config.library);
        let (journal, warnings) =
            waiting(&setup).map_err(|e| CliError::new(format!("account `{name}`: {e}")))?;
        for warning in warnings {
            let _ = writeln!(err, "broadsheet: warning: {}", sanitize_line(&warning));
        }
        let [read, unread, starred, unstarred] = journal.counts();
        let total = journal.entries.len();
        if total == 0 {
            writeln!(out, "{name}: no local changes wait").map_err(write_error)?;
            continue;
        }
        writeln!(
            out,
            "{name}: {total} local change{} wait{} ({read} read, {unread} unread, {starred} bookmarked, {unstarred} unbookmarked)",
            plural(total),
            if total == 1 { "s" } else { "" }
        )
        .map_err(write_error)?;
        for entry in &journal.entries {
            let what = match (entry.mark, entry.on) {
                (Mark::Read, true) => "read",
                (Mark::Read, false) => "unread",
                (Mark::Starred, true) => "bookmarked",
                (Mark::Starred, false) => "unbookmarked",
            };
            let refused = entry.refused.as_deref().map_or(String::new(), |why| {
                format!(" (refused: {})", sanitize_line(why))
            });
            writeln!(out, "  {what} {}{refused}", sanitize_line(&entry.file))
                .map_err(write_error)?;
        }
    }
    Ok(())
}

/// The feeds of the config's accounts as their last syncs recorded them,
/// for `feed list`: one line each, `TITLE  [account NAME]  URL`, with the
/// account's categories (its articles' tags); an account never synced says so.
pub(super) fn list_account_feeds(
    config: &Config,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let (feeds, warnings) = account_feeds(&config.library.feeds, &config.accounts);
    for warning in warnings {
        let _ = writeln!(err, "broadsheet: warning: {}", sanitize_line(&warning));
    }
    for account in &config.accounts {
        let name = sanitize_line(&account.name);
        let mut listed = false;
        for (_, feed) in feeds.iter().filter(|(owner, _)| owner == &account.name) {
            listed = true;
            let tags = if feed.categories.is_empty() {
                String::new()
            } else {
                format!("  #{}", feed.categories.join(" #"))
            };
            writeln!(
                out,
                "{}  [account {name}]  {}{tags}",
                sanitize_line(&feed.title),
                sanitize_line(&feed.url)
            )
            .map_err(write_error)?;
        }
        if !listed {
            writeln!(
                out,
                "account `{name}`: no feeds recorded yet; `broadsheet sync` brings them"
            )
            .map_err(write_error)?;
        }
    }
    Ok(())
}
