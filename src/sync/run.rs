//! The sync of a configured account, whole: the account found by name, its
//! password read, its protocol connected, the engine run. `broadsheet sync`
//! and the reader's fetch (`F`, the timed fetch) both call [`sync_account`];
//! [`sync_for_reader`] gives the reader one line per account, the way a
//! feed fetch reports.

use super::account::{REQUEST_TIMEOUT, connect, credentials};
use super::engine::{self, Failure, Progress, Setup, Summary};
use super::http::Client;
use crate::article::sanitize::sanitize_line;
use crate::config::{Account, Config, LibraryConfig};

/// The accounts to sync: the one named, or every account of the config.
pub fn chosen<'a>(accounts: &'a [Account], name: Option<&str>) -> Result<Vec<&'a Account>, String> {
    match name {
        None if accounts.is_empty() => Err(
            "no account is configured; add an [[account]] table to the config file (see the README, \"Accounts and sync\")"
                .to_string(),
        ),
        None => Ok(accounts.iter().collect()),
        Some(name) => accounts
            .iter()
            .find(|account| account.name == name)
            .map(|account| vec![account])
            .ok_or_else(|| {
                let names: Vec<String> =
                    accounts.iter().map(|a| format!("`{}`", sanitize_line(&a.name))).collect();
                format!(
                    "no account named `{}`; the accounts are {}",
                    sanitize_line(name),
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                )
            }),
    }
}

/// Syncs one account into `library`, telling `progress` how it goes.
pub fn sync_account(
    account: &Account,
    library: &LibraryConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, Failure> {
    let setup = Setup::new(&account.name, library);
    // Stopped before the sync began: the message, and how many local
    // changes wait (counted without the network).
    let before_start = |message: String| {
        let waiting = engine::waiting(&setup).map_or(0, |(journal, _)| journal.entries.len());
        let mut message = message;
        if waiting > 0 {
            message.push_str(&format!(
                "; {waiting} local change{} wait{} for the next sync",
                if waiting == 1 { "" } else { "s" },
                if waiting == 1 { "s" } else { "" }
            ));
        }
        Failure {
            message,
            login: false,
            summary: Box::new(Summary {
                waiting,
                ..Summary::default()
            }),
        }
    };
    let named = |message: String| format!("account `{}`: {message}", sanitize_line(&account.name));
    // The message names the account already.
    let credentials = credentials(account).map_err(before_start)?;
    let mut service = connect(account.kind, credentials, Client::new(REQUEST_TIMEOUT))
        .map_err(|error| before_start(named(error.to_string())))?;
    engine::sync(service.as_mut(), &setup, progress).map_err(|failure| Failure {
        message: named(failure.message.clone()),
        ..failure
    })
}

/// Syncs every account of `config` for the reader's fetch: one line per
/// account (`home: 12 new, 3 marked read here, 0 sent`, or what stopped
/// it), and whether any failed. No account, no lines.
pub fn sync_for_reader(config: &Config) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut failed = false;
    for account in &config.accounts {
        match sync_account(account, &config.library, &mut |_| {}) {
            Ok(summary) => lines.push(format!(
                "{}: {}",
                sanitize_line(&account.name),
                summary.line()
            )),
            Err(failure) => {
                failed = true;
                lines.push(failure.message);
            }
        }
    }
    (lines, failed)
}
