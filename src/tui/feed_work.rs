//! The reader's feed work, done on worker threads: reading the feeds'
//! states for the popup, fetching every feed (progress after each one),
//! and one article's full text. Each sends its result as an app event.

use std::sync::Mutex;

use crate::config::LibraryConfig;
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

/// Each feed and its last fetch, for the popup.
pub(super) fn read(library: &LibraryConfig) -> app::Event {
    let rows: Result<Vec<FeedStatus>, String> =
        feeds(library).map(|feeds| statuses(&feeds, &options(library)).0);
    app::Event::FeedsRead(rows)
}

/// Fetches every feed, telling the reader after each one.
pub(super) fn fetch(library: &LibraryConfig, send: &(dyn Fn(app::Event) + Sync)) -> app::Event {
    let feeds = match feeds(library) {
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
    let reports = fetch_feeds(&feeds, &options(library).knowing(&feeds), &tell);
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
