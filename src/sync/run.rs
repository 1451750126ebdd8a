//! The sync of a configured account, whole: the account found by name, its
//! password read, its protocol connected, the engine run. `broadsheet sync`
//! and the reader's fetch (`F`, the timed fetch) both call [`sync_account`];
//! [`sync_for_reader`] gives the reader's fetch what the accounts brought,
//! the way a feed fetch reports, and [`waiting_changes`] how many local
//! changes wait, without the network.

use super::account::{REQUEST_TIMEOUT, connect, credentials};
use super::engine::{self, Failure, Progress, Setup, Summary};
use super::http::Client;
use super::service::RemoteFeed;
use crate::article::sanitize::sanitize_line;
use crate::config::{Account, LibraryConfig};

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
        let waiting = waiting_of(&setup);
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

/// What syncing the accounts gave the reader's fetch (`F`, the timed
/// fetch), to add to what the feeds gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReaderSync {
    /// Accounts synced or tried.
    pub accounts: usize,
    /// Items written into the folder.
    pub new: usize,
    /// The accounts that failed, each with why (and how many local
    /// changes wait), ready to show.
    pub failed: Vec<String>,
}

/// Syncs every account for the reader's fetch, quietly: what it gave. The
/// reader's fetch work calls this beside its feed fetch when the config
/// has accounts; with none it does nothing.
pub fn sync_for_reader(accounts: &[Account], library: &LibraryConfig) -> ReaderSync {
    let mut outcome = ReaderSync {
        accounts: accounts.len(),
        ..ReaderSync::default()
    };
    for account in accounts {
        match sync_account(account, library, &mut |_| {}) {
            Ok(summary) => outcome.new += summary.new,
            Err(failure) => {
                outcome.new += failure.summary.new;
                outcome.failed.push(failure.message);
            }
        }
    }
    outcome
}

/// How many local changes wait to be sent, over every account, counted
/// without the network: for the reader to say when a server is down.
pub fn waiting_changes(accounts: &[Account], library: &LibraryConfig) -> usize {
    accounts
        .iter()
        .map(|account| waiting_of(&Setup::new(&account.name, library)))
        .sum()
}

/// How many local changes of one account wait to be sent (none when its
/// files cannot be read: the sync that tries says why).
fn waiting_of(setup: &Setup) -> usize {
    engine::waiting(setup).map_or(0, |(journal, _)| journal.entries.len())
}

/// Subscribes `account` to the feed at `url` on its server (`feed add`
/// with an account): the feed as the server now lists it, or why not,
/// naming the account (Fever has no call for it: the message says to add
/// it on the server's own pages, or here with `--local`).
pub fn subscribe(account: &Account, url: &str) -> Result<RemoteFeed, String> {
    let named = |message: String| format!("account `{}`: {message}", sanitize_line(&account.name));
    let credentials = credentials(account)?;
    let mut service = connect(account.kind, credentials, Client::new(REQUEST_TIMEOUT))
        .map_err(|error| named(error.to_string()))?;
    service.subscribe(url).map_err(|error| match error {
        super::service::SyncError::Unsupported { .. } => named(format!(
            "{error}; add it on the server's own pages (the next sync brings it), or here with `broadsheet feed add --local`"
        )),
        other => named(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{AccountKind, PasswordSource};

    #[test]
    fn the_reader_hears_which_account_failed_and_why() {
        let dir = tempfile::tempdir().unwrap();
        let library = LibraryConfig {
            articles: dir.path().join("articles"),
            bookmarks: dir.path().join("bookmarks.toml"),
            state: dir.path().join("state.toml"),
            feeds: dir.path().join("feeds.toml"),
            ..LibraryConfig::default()
        };
        let account = Account {
            name: "home".into(),
            kind: AccountKind::Miniflux,
            url: "http://127.0.0.1:9/".into(),
            user: "me".into(),
            password: PasswordSource::Env("BROADSHEET_TEST_NO_SUCH_VARIABLE".into()),
        };
        let outcome = sync_for_reader(std::slice::from_ref(&account), &library);
        assert_eq!(outcome.accounts, 1);
        assert_eq!(outcome.failed.len(), 1);
        assert!(
            outcome.failed[0].contains("account `home`"),
            "{:?}",
            outcome.failed
        );
        assert!(outcome.failed[0].contains("BROADSHEET_TEST_NO_SUCH_VARIABLE"));
        assert_eq!(waiting_changes(&[account], &library), 0);
        assert!(sync_for_reader(&[], &library).failed.is_empty());
    }
}
