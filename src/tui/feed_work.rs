//! The reader's feed work, done on worker threads: reading the feeds'
//! states for the feeds view, fetching every feed or one (progress after
//! each one), the timer of timed fetches, and one article's full text.
//! Each sends its result as an app event.

use std::sync::Mutex;
use std::time::Duration;

use crate::config::Account;
use crate::config::{Config, LibraryConfig};
use crate::feeds::fetch::{FetchOptions, Progress, Report, fetch_feeds, keep_full_text};
use crate::feeds::http::{Http, HttpOptions};
use crate::feeds::status::{FeedStatus, statuses};
use crate::store::feeds::{Feed, FeedStore};
use crate::sync::run::sync_for_reader;
use crate::sync::state::{account_feed_statuses, account_feeds};
use crate::tui::app::{self, AccountsSynced, FetchProgress, Fetched, FullTextJob};

/// The feeds file's feeds, or why it cannot be read.
fn feeds(library: &LibraryConfig) -> Result<Vec<Feed>, String> {
    FeedStore::new(&library.feeds)
        .load()
        .map_err(|err| err.to_string())
}

fn options(library: &LibraryConfig) -> FetchOptions {
    FetchOptions::new(&library.articles, &library.feeds)
}

/// Each feed and its last fetch, for the feeds view, then the accounts'
/// feeds as their last syncs left them.
pub(super) fn read(library: &LibraryConfig, accounts: &[Account]) -> app::Event {
    let rows: Result<Vec<FeedStatus>, String> = feeds(library).map(|feeds| {
        let mut rows = statuses(&feeds, &options(library).knowing(&feeds)).0;
        rows.extend(account_feed_statuses(&library.feeds, accounts).0);
        rows
    });
    app::Event::FeedsRead(rows)
}

/// The environment variable that sets the timed fetch's interval in
/// milliseconds, in place of `[fetching] every_minutes`, for the tests
/// (which cannot wait a minute). Only an interval the config turned on is
/// changed: without `every_minutes` it does nothing.
pub(super) const TEST_INTERVAL_VARIABLE: &str = "BROADSHEET_TEST_FETCH_EVERY_MS";

/// `config` with the timed fetch's interval the test variable sets, when
/// it is set and the config asks for timed fetches.
pub(super) fn with_test_interval(mut config: Config) -> Config {
    let interval = std::env::var(TEST_INTERVAL_VARIABLE)
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .filter(|&ms| ms > 0);
    if let (Some(ms), Some(_)) = (interval, config.fetching.every) {
        config.fetching.every = Some(Duration::from_millis(ms));
    }
    config
}

/// Sends [`app::Event::FetchDue`] every `every` until `send` says the
/// reader is gone.
pub(super) fn tick(every: Duration, send: &dyn Fn(app::Event) -> bool) {
    loop {
        std::thread::sleep(every);
        if !send(app::Event::FetchDue) {
            return;
        }
    }
}

/// Fetches every feed (or the one at the address `only`), telling the
/// reader after each one; a fetch of every feed also syncs `accounts`
/// (with accounts, no feeds of its own is no failure).
pub(super) fn fetch(
    library: &LibraryConfig,
    accounts: &[Account],
    only: Option<&str>,
    send: &(dyn Fn(app::Event) + Sync),
) -> app::Event {
    // `r` on an account's feed in the feeds view: the account is synced
    // (a protocol has no call to refresh one feed of it).
    if let Some(url) = only
        && !accounts.is_empty()
        && account_feeds(&library.feeds, accounts)
            .0
            .iter()
            .any(|(_, feed)| feed.url == url)
    {
        return app::Event::FeedsFetched(with_accounts(empty_fetch(), accounts, library));
    }
    let fetched = fetch_feeds_only(library, only, !accounts.is_empty(), send);
    match (fetched, only) {
        (app::Event::FeedsFetched(fetched), None) if !accounts.is_empty() => {
            app::Event::FeedsFetched(with_accounts(fetched, accounts, library))
        }
        (other, _) => other,
    }
}

/// A fetch's outcome with the accounts' syncs added: their new articles,
/// how many synced, and each failure whole.
fn with_accounts(fetched: Fetched, accounts: &[Account], library: &LibraryConfig) -> Fetched {
    let synced = sync_for_reader(accounts, library);
    let mut done = match fetched {
        Fetched::Done { .. } => fetched,
        // The feeds could not be fetched (their file is broken): the
        // accounts still sync, and the feeds' error is told with theirs.
        Fetched::Failed(error) => {
            let mut done = empty_fetch();
            if let Fetched::Done { accounts, .. } = &mut done {
                accounts
                    .failed
                    .push(format!("cannot fetch the feeds: {error}"));
            }
            done
        }
    };
    if let Fetched::Done { new, accounts, .. } = &mut done {
        *new += synced.new;
        accounts.synced += synced.accounts - synced.failed.len();
        accounts.failed.extend(synced.failed);
    }
    done
}

/// A fetch of no feed at all.
fn empty_fetch() -> Fetched {
    Fetched::Done {
        feeds: 0,
        new: 0,
        updated: 0,
        failed: Vec::new(),
        accounts: AccountsSynced::default(),
    }
}

/// The feed fetch itself: every feed of the feeds file, or the one at
/// `only`. No feeds is a failure (saying how to add one) unless
/// `accounts_too`, when the accounts are what is fetched.
fn fetch_feeds_only(
    library: &LibraryConfig,
    only: Option<&str>,
    accounts_too: bool,
    send: &(dyn Fn(app::Event) + Sync),
) -> app::Event {
    let all = match feeds(library) {
        Ok(feeds) => feeds,
        Err(error) => return app::Event::FeedsFetched(Fetched::Failed(error)),
    };
    let options = options(library).knowing(&all);
    let chosen: Result<Vec<Feed>, String> = match only {
        None => Ok(all),
        Some(url) => {
            let one: Vec<Feed> = all.into_iter().filter(|feed| feed.url == url).collect();
            if one.is_empty() {
                Err(format!(
                    "{url} is no longer in {}; f shows the feeds again",
                    library.feeds.display()
                ))
            } else {
                Ok(one)
            }
        }
    };
    let feeds = match chosen {
        Ok(feeds) if feeds.is_empty() && accounts_too => {
            return app::Event::FeedsFetched(empty_fetch());
        }
        Ok(feeds) if feeds.is_empty() => {
            return app::Event::FeedsFetched(Fetched::Failed(
                "no feeds yet: subscribe with `broadsheet feed add URL`".to_string(),
            ));
        }
        Ok(feeds) => feeds,
        Err(error) => return app::Event::FeedsFetched(Fetched::Failed(error)),
    };
    let progress = Mutex::new(FetchProgress {
        total: feeds.len(),
        ..FetchProgress::default()
    });
    let tell = |step: Progress<'_>| {
        if let Progress::Finished(report) = step
            && let Ok(mut progress) = progress.lock()
        {
            progress.done += 1;
            progress.new += report.new_articles();
            send(app::Event::FetchProgress(*progress));
        }
    };
    let reports = fetch_feeds(&feeds, &options, &tell);
    app::Event::FeedsFetched(Fetched::Done {
        feeds: reports.len(),
        new: reports.iter().map(Report::new_articles).sum(),
        updated: reports.iter().map(Report::updated_articles).sum(),
        failed: reports
            .iter()
            .filter(|r| r.failed())
            .map(|r| r.name.clone())
            .collect(),
        accounts: AccountsSynced::default(),
    })
}

/// Fetches one article's page and keeps its full text in the file.
pub(super) fn full_text(job: &FullTextJob) -> app::Event {
    let http = Http::new(HttpOptions::default());
    app::Event::FullTextDone(keep_full_text(&job.path, &job.url, &http))
}
