//! The reader's feed work, done on worker threads: reading the feeds'
//! states for the feeds view, fetching every feed or one (progress after
//! each one), the timer of timed fetches, and one article's full text.
//! Each sends its result as an app event.

use std::sync::Mutex;
use std::time::Duration;

use crate::config::{Config, LibraryConfig};
use crate::feeds::fetch::{FetchOptions, Progress, Report, fetch_feeds, keep_full_text};
use crate::feeds::http::{Http, HttpOptions};
use crate::feeds::status::{FeedStatus, statuses};
use crate::store::feeds::{Feed, FeedStore};
use crate::tui::app::{self, FetchProgress, Fetched, FullTextJob};

/// The feeds file's feeds, or why it cannot be read.
fn feeds(library: &LibraryConfig) -> Result<Vec<Feed>, String> {
    FeedStore::new(&library.feeds)
        .load()
        .map_err(|err| err.to_string())
}

fn options(library: &LibraryConfig) -> FetchOptions {
    FetchOptions::new(&library.articles, &library.feeds)
}

/// Each feed and its last fetch, for the feeds view.
pub(super) fn read(library: &LibraryConfig) -> app::Event {
    let rows: Result<Vec<FeedStatus>, String> =
        feeds(library).map(|feeds| statuses(&feeds, &options(library).knowing(&feeds)).0);
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
/// reader after each one.
pub(super) fn fetch(
    library: &LibraryConfig,
    only: Option<&str>,
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
    })
}

/// Fetches one article's page and keeps its full text in the file.
pub(super) fn full_text(job: &FullTextJob) -> app::Event {
    let http = Http::new(HttpOptions::default());
    app::Event::FullTextDone(keep_full_text(&job.path, &job.url, &http))
}
