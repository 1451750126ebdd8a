//! Fetching feeds into the articles folder: several feeds at once on a few
//! worker threads (the HTTP client keeps to two connections per host), each
//! feed fetched with the validators its state remembers, parsed, its new
//! and changed items written as articles ([`super::write`]), with the full
//! text of their pages for feeds that ask for it, and what happened
//! recorded in its state. A feed's failure is its own: the others go on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Utc};

use super::http::{Http, HttpError, HttpOptions, Response, Validators, host_key_of};
use super::isolate::isolated;
use super::item::{folder_name, render_arrived};
use super::write::{self, Triage};
use super::{discover, encoding, folders, fulltext, parse};
use crate::article::sanitize::sanitize_line;
use crate::files::{Links, read_regular};
use crate::store::feed_state::{FeedState, FeedStateStore, Status};
use crate::store::feeds::Feed;

/// How many feeds are fetched at once.
const WORKERS: usize = 8;

/// Where fetched feeds go and how they are fetched.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The articles folder: each feed writes into a folder of its own in it.
    pub articles: PathBuf,
    /// The folder of the feeds' state files.
    pub state_dir: PathBuf,
    /// The HTTP client's settings.
    pub http: HttpOptions,
    /// How many feeds are fetched at once.
    pub workers: usize,
    /// The folder each feed of the feeds file gets at its first fetch, by
    /// address ([`folders::first_folders`]); see [`FetchOptions::knowing`].
    pub first_folders: HashMap<String, String>,
}

impl FetchOptions {
    /// Feeds fetched into `articles`, their state kept beside `feeds_file`,
    /// with the client's defaults.
    pub fn new(articles: &Path, feeds_file: &Path) -> FetchOptions {
        FetchOptions {
            articles: articles.to_path_buf(),
            state_dir: FeedStateStore::dir_beside(feeds_file),
            http: HttpOptions::default(),
            workers: WORKERS,
            first_folders: HashMap::new(),
        }
    }

    /// These options knowing every feed of the feeds file, in its order:
    /// a feed whose name makes the folder name of an earlier one gets a
    /// folder of its own at its first fetch, even when it is fetched alone.
    pub fn knowing(mut self, every_feed: &[Feed]) -> FetchOptions {
        self.first_folders = folders::first_folders(every_feed);
        self
    }

    /// The state file of `feed`.
    pub fn state_of(&self, feed: &Feed) -> FeedStateStore {
        FeedStateStore::new(&self.state_dir, &folder_name(feed), &feed.url)
    }

    /// The folder `feed`'s articles go to, as its state (`state`) says or
    /// as its first fetch decides ([`folders::folder_for`]).
    pub fn folder_of(&self, feed: &Feed, state: &FeedState) -> PathBuf {
        let first = self.first_folders.get(&feed.url).map(String::as_str);
        self.articles.join(folders::folder_for(feed, state, first))
    }
}

/// How the fetch of one feed ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The feed was read: what its items came to.
    Fetched(Counts),
    /// Nothing changed since the last fetch (the server answered 304).
    NotModified,
    /// Not fetched: the server asked to wait until then (Retry-After).
    Deferred(DateTime<Utc>),
    /// The fetch failed: why, naming the feed's address.
    Failed(String),
}

/// What a fetch did with a feed's items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// New articles written.
    pub new: usize,
    /// Articles written again because their item changed.
    pub updated: usize,
    /// Items already written and unchanged.
    pub unchanged: usize,
    /// Items whose article the person deleted (not brought back).
    pub deleted: usize,
    /// Changed items whose article the person edited (left as it is).
    pub edited: usize,
    /// Items whose page gave no more text than the feed (summary kept).
    pub summaries_kept: usize,
    /// Items whose page could not be fetched (summary kept): errors, each
    /// named in the report's warnings.
    pub pages_failed: usize,
}

/// The fetch of one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The feed's name.
    pub name: String,
    /// The feed's address.
    pub url: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Where the feed moved for good, when it did: the person should update
    /// the subscription.
    pub moved_to: Option<String>,
    /// Things worth saying that did not stop the fetch (a state file moved
    /// aside, say).
    pub warnings: Vec<String>,
}

impl Report {
    /// Whether the fetch failed.
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }

    /// New articles written.
    pub fn new_articles(&self) -> usize {
        match &self.outcome {
            Outcome::Fetched(counts) => counts.new,
            _ => 0,
        }
    }

    /// Articles written again because their item changed.
    pub fn updated_articles(&self) -> usize {
        match &self.outcome {
            Outcome::Fetched(counts) => counts.updated,
            _ => 0,
        }
    }

    /// One line saying how the fetch went, terminal-safe; a feed that
    /// moved for good is told to be updated in `feeds_file`.
    pub fn line(&self, feeds_file: &Path) -> String {
        let name = sanitize_line(&self.name);
        let mut line = match &self.outcome {
            Outcome::Fetched(counts) => format!("{name}: {}", counts_text(counts)),
            Outcome::NotModified => format!("{name}: not modified"),
            Outcome::Deferred(until) => format!(
                "{name}: waiting until {} as the server asked",
                until.format("%Y-%m-%d %H:%M UTC")
            ),
            Outcome::Failed(error) => format!("{name}: failed: {}", sanitize_line(error)),
        };
        if let Some(moved) = &self.moved_to {
            line.push_str(&format!(" ({})", super::moved::advice(moved, feeds_file)));
        }
        line
    }
}

/// `3 new, 1 updated` and whatever else happened, or `nothing new`.
fn counts_text(counts: &Counts) -> String {
    let parts: Vec<String> = [
        (counts.new, "new"),
        (counts.updated, "updated"),
        (counts.deleted, "deleted by you, not restored"),
        (counts.edited, "edited by you, not overwritten"),
        (counts.summaries_kept, "with no fuller text on their page"),
        (
            counts.pages_failed,
            "whose page could not be fetched (summary kept)",
        ),
    ]
    .iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, what)| format!("{count} {what}"))
    .collect();
    if parts.is_empty() {
        "nothing new".to_string()
    } else {
        parts.join(", ")
    }
}

/// Something a fetch reports as it goes.
#[derive(Debug)]
pub enum Progress<'a> {
    /// A feed's fetch began.
    Started(&'a Feed),
    /// A feed's fetch ended.
    Finished(&'a Report),
}

/// Fetches `feeds` into the articles folder, several at once, telling
/// `progress` as each starts and ends. The reports are in the order of
/// `feeds`.
pub fn fetch_feeds(
    feeds: &[Feed],
    options: &FetchOptions,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Vec<Report> {
    let http = Http::new(options.http.clone());
    let waits = HostWaits::default();
    each_isolated(feeds, options, progress, &|feed| {
        fetch_feed(feed, options, &http, &waits)
    })
}

/// Runs `fetch_one` on each feed on the workers, each run isolated: a
/// panic in one feed's fetch, parse, conversion or write is that feed's
/// failure (recorded in its state as far as possible) and the worker goes
/// on with the next feed.
fn each_isolated(
    feeds: &[Feed],
    options: &FetchOptions,
    progress: &(dyn Fn(Progress<'_>) + Sync),
    fetch_one: &(dyn Fn(&Feed) -> Report + Sync),
) -> Vec<Report> {
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<Option<Report>>> = Mutex::new(vec![None; feeds.len()]);
    let workers = options.workers.clamp(1, feeds.len().max(1));
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(feed) = feeds.get(index) else { break };
            progress(Progress::Started(feed));
            let report = isolated(|| fetch_one(feed))
                .unwrap_or_else(|message| stopped(feed, options, &message));
            progress(Progress::Finished(&report));
            if let Ok(mut reports) = reports.lock() {
                reports[index] = Some(report);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            // HTML work needs more stack than a thread's default.
            let worker = std::thread::Builder::new().stack_size(super::html::THREAD_STACK);
            if worker.spawn_scoped(scope, work).is_err() {
                // No memory for another thread: this one works too.
                work();
                break;
            }
        }
    });
    reports
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// The report of a feed whose fetch panicked, its failure recorded in its
/// state when the state can still be read and written.
fn stopped(feed: &Feed, options: &FetchOptions, message: &str) -> Report {
    let report = Report {
        name: feed.name.clone(),
        url: feed.url.clone(),
        outcome: Outcome::Failed(format!(
            "{}: the fetch of this feed stopped unexpectedly: {}; the other feeds went on \
             (a bug in broadsheet: please report it with the feed's address)",
            feed.url,
            sanitize_line(message)
        )),
        moved_to: None,
        warnings: Vec::new(),
    };
    let _ = isolated(|| {
        let store = options.state_of(feed);
        if let Ok(loaded) = store.load() {
            let mut state = loaded.value;
            note_outcome(&mut state, &report);
            let _ = store.record(&state);
        }
    });
    report
}

/// Hosts that asked, during this fetch, to be left alone until a time:
/// their other feeds wait too.
#[derive(Default)]
struct HostWaits(Mutex<HashMap<String, DateTime<Utc>>>);

impl HostWaits {
    fn until(&self, url: &str) -> Option<DateTime<Utc>> {
        let waits = self.0.lock().ok()?;
        waits.get(&host_key_of(url)).copied()
    }

    fn wait(&self, url: &str, until: DateTime<Utc>) {
        if let Ok(mut waits) = self.0.lock() {
            waits.insert(host_key_of(url), until);
        }
    }
}

/// Fetches one feed and records what happened in its state.
fn fetch_feed(feed: &Feed, options: &FetchOptions, http: &Http, waits: &HostWaits) -> Report {
    let mut report = Report {
        name: feed.name.clone(),
        url: feed.url.clone(),
        outcome: Outcome::NotModified,
        moved_to: None,
        warnings: Vec::new(),
    };
    let store = options.state_of(feed);
    let mut state = match store.load() {
        Ok(loaded) => {
            if let Some(problem) = loaded.problem {
                report.warnings.push(problem.to_string());
            }
            loaded.value
        }
        Err(err) => {
            report.outcome = Outcome::Failed(err.to_string());
            return report;
        }
    };
    let now = Utc::now();
    let wait = state
        .not_before
        .filter(|until| *until > now)
        .or_else(|| waits.until(&feed.url).filter(|until| *until > now));
    if let Some(until) = wait {
        report.outcome = Outcome::Deferred(until);
        return report;
    }
    state.url = feed.url.clone();
    let folder = options.folder_of(feed, &state);
    if feed.folder.is_none() {
        // Kept, so the feed stays in its folder whatever the feeds file
        // says later.
        state.folder = folder
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
    }
    state.last_fetch = Some(now);
    state.not_before = None;
    report.outcome = match fetch_into(feed, &folder, http, &mut state) {
        Ok((outcome, moved_to, warnings)) => {
            report.moved_to = moved_to;
            report.warnings.extend(warnings);
            outcome
        }
        Err(FetchFailure::Wait(until, error)) => {
            waits.wait(&feed.url, until);
            state.not_before = Some(until);
            state.last_error = Some(error);
            Outcome::Deferred(until)
        }
        Err(FetchFailure::Failed(error)) => Outcome::Failed(error),
    };
    note_outcome(&mut state, &report);
    if let Err(err) = store.record(&state) {
        report.warnings.push(err.to_string());
    }
    report
}

/// Puts how the fetch ended into the state.
fn note_outcome(state: &mut FeedState, report: &Report) {
    state.moved_to.clone_from(&report.moved_to);
    match &report.outcome {
        Outcome::Fetched(counts) => {
            state.status = Some(Status::Ok);
            state.last_error = None;
            state.last_new = counts.new;
            state.last_updated = counts.updated;
        }
        Outcome::NotModified => {
            state.status = Some(Status::NotModified);
            state.last_error = None;
            state.last_new = 0;
            state.last_updated = 0;
        }
        Outcome::Deferred(_) => state.status = Some(Status::Deferred),
        Outcome::Failed(error) => {
            state.status = Some(Status::Failed);
            state.last_error = Some(error.clone());
            state.last_new = 0;
            state.last_updated = 0;
        }
    }
}

/// Why a feed was not fetched.
enum FetchFailure {
    /// The server asked to wait until then; the message says so.
    Wait(DateTime<Utc>, String),
    /// It failed, for this reason.
    Failed(String),
}

/// Fetches, parses and writes one feed into `folder`, updating `state`'s
/// validators and items; warnings about its items' pages come back too.
fn fetch_into(
    feed: &Feed,
    folder: &Path,
    http: &Http,
    state: &mut FeedState,
) -> Result<(Outcome, Option<String>, Vec<String>), FetchFailure> {
    let validators = Validators {
        etag: state.etag.clone(),
        last_modified: state.last_modified.clone(),
    };
    let response = http.get(&feed.url, &validators).map_err(failure)?;
    let moved_to = response.moved_to.clone();
    let Some(bytes) = &response.body else {
        remember_validators(state, &response);
        return Ok((Outcome::NotModified, moved_to, Vec::new()));
    };
    let parsed = parse_feed(bytes, &response).map_err(FetchFailure::Failed)?;
    // A fetch killed mid-write (kill -9) left its temporary files: gone
    // before this one writes (the listing sweeps them).
    let listing = write::Listing::of(folder);
    let triage = write::triage(parsed.items, state, folder, &listing);
    let url = &response.url;
    let mut warnings: Vec<String> = parsed
        .warnings
        .iter()
        .map(|warning| format!("{url}: {warning}"))
        .collect();
    let counts = write_items(
        feed,
        &parsed.title,
        folder,
        triage,
        http,
        state,
        &mut warnings,
    )
    .map_err(FetchFailure::Failed)?;
    // Only once every item is written: a fetch cut short asks again.
    remember_validators(state, &response);
    Ok((Outcome::Fetched(counts), moved_to, warnings))
}

/// The feed's items, or why there are none: a page that is not a feed
/// says where its feed is, when it links one.
fn parse_feed(bytes: &[u8], response: &Response) -> Result<parse::Parsed, String> {
    let body = read_body(bytes, &response.url, response.content_type.as_deref())
        .map_err(|err| format!("{}: {err}", response.url))?;
    match body {
        Body::Feed(parsed) => Ok(parsed),
        Body::Page(found) => Err(match found.first() {
            Some(feed) => format!(
                "{} is a web page, not a feed; it links the feed {}: subscribe to that instead",
                response.url, feed.url
            ),
            None => format!(
                "{} is a web page, not a feed, and links none: find the page's feed address",
                response.url
            ),
        }),
    }
}

/// What a fetched body turned out to be.
#[derive(Debug)]
pub enum Body {
    /// A feed, parsed.
    Feed(parse::Parsed),
    /// A web page, and the feeds it links (maybe none).
    Page(Vec<discover::FoundFeed>),
}

/// Reads the body fetched from `url` (whose server called it
/// `content_type`): a feed, or a page and the feeds it links. The error
/// says why it is neither.
pub fn read_body(bytes: &[u8], url: &str, content_type: Option<&str>) -> Result<Body, String> {
    if discover::looks_like_html(bytes, content_type) {
        let html = encoding::html_text(bytes, content_type);
        return Ok(Body::Page(discover::feed_links(&html, url)));
    }
    parse::parse_served(bytes, Some(url), content_type).map(Body::Feed)
}

/// Writes the triaged items, with their pages' full text when the feed
/// asks for it; a page that could not be fetched is counted and named in
/// `warnings`.
fn write_items(
    feed: &Feed,
    feed_title: &str,
    folder: &Path,
    triage: Triage,
    http: &Http,
    state: &mut FeedState,
    warnings: &mut Vec<String>,
) -> Result<Counts, String> {
    let mut counts = Counts {
        unchanged: triage.unchanged,
        deleted: triage.deleted,
        edited: triage.edited,
        ..Counts::default()
    };
    for pending in &triage.pending {
        let hash = write::item_hash(&pending.item);
        let mut item = pending.item.clone();
        if feed.full_text {
            let (body, page) = full_text(&item, http);
            item.body = body;
            match page {
                Page::Fuller => {}
                Page::NoFuller => counts.summaries_kept += 1,
                Page::Failed(error) => {
                    counts.pages_failed += 1;
                    warnings.push(error);
                }
            }
        }
        let text = render_arrived(&item, feed, feed_title, pending.arrived);
        write::write(folder, pending, hash, &text, state).map_err(|err| err.to_string())?;
        if pending.update {
            counts.updated += 1;
        } else {
            counts.new += 1;
        }
    }
    Ok(counts)
}

/// What an item's page gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// More text than the feed: taken.
    Fuller,
    /// No more text than the feed (or no link): the feed's text kept.
    NoFuller,
    /// The page could not be fetched (a 404, say): the feed's text kept,
    /// and this says why, naming the page.
    Failed(String),
}

/// The item's text from its page when the page gives more than the feed;
/// the feed's text otherwise (no link, the page failed, nothing extracted),
/// and what the page gave.
pub fn full_text(item: &super::item::Item, http: &Http) -> (String, Page) {
    let Some(link) = &item.link else {
        return (item.body.clone(), Page::NoFuller);
    };
    let extracted = match http.get(link, &Validators::default()) {
        Ok(Response {
            body: Some(bytes),
            url,
            content_type,
            ..
        }) => fulltext::extract(&encoding::html_text(&bytes, content_type.as_deref()), &url),
        Ok(_) => None,
        Err(error) => return (item.body.clone(), Page::Failed(error.page_message())),
    };
    let chosen = fulltext::choose(&item.body, extracted);
    let page = if chosen == item.body {
        Page::NoFuller
    } else {
        Page::Fuller
    };
    (chosen, page)
}

/// Keeps the response's validators for the next conditional GET.
fn remember_validators(state: &mut FeedState, response: &Response) {
    state.etag.clone_from(&response.validators.etag);
    state
        .last_modified
        .clone_from(&response.validators.last_modified);
}

/// The longest wait a server's Retry-After is taken for: beyond it the
/// feed is tried again anyway, so a mistaken header cannot stop it for good.
const LONGEST_WAIT: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// An HTTP error as the feed's failure: a server that asked to wait
/// (429 or 503 with Retry-After) is waited for.
fn failure(error: HttpError) -> FetchFailure {
    match error.retry_after() {
        Some(after) => {
            let after = chrono::TimeDelta::from_std(after)
                .unwrap_or(LONGEST_WAIT)
                .min(LONGEST_WAIT);
            FetchFailure::Wait(Utc::now() + after, error.to_string())
        }
        None => FetchFailure::Failed(error.to_string()),
    }
}

/// Fetches the page at `url` and, when it gives more text than the article
/// at `path` has, keeps that text as the article's body (its front matter
/// stays as it is). Only articles with front matter (`+++` or `---`), as
/// fetched feeds are written, are changed. The page takes a while: a file
/// changed meanwhile (a line added in an editor) is left as it is, and the
/// error says so. What to say on success, or why nothing was changed.
pub fn keep_full_text(path: &Path, url: &str, http: &Http) -> Result<String, String> {
    let before = Snapshot::of(path)?;
    let text = String::from_utf8(before.bytes.clone())
        .map_err(|_| format!("{}: is not UTF-8 text; kept as it was", path.display()))?;
    let Some((front, body)) = split_front_matter(&text) else {
        return Err(format!(
            "{}: full text goes into articles with front matter (+++ or ---), as fetched feeds are; this one has none",
            path.display()
        ));
    };
    let response = http
        .get(url, &Validators::default())
        .map_err(|err| err.page_message())?;
    let Some(bytes) = response.body else {
        return Err(format!("{url}: the server sent no page"));
    };
    let page = encoding::html_text(&bytes, response.content_type.as_deref());
    let extracted = fulltext::extract(&page, &response.url);
    let chosen = fulltext::choose(body.trim(), extracted);
    if chosen.trim() == body.trim() {
        return Err(format!(
            "{url}: the page gives no more text than the article has; kept as it was"
        ));
    }
    let updated = format!("{front}\n{}\n", chosen.trim());
    // Checked just before the replace: what was read is what is there.
    if Snapshot::of(path).ok().as_ref() != Some(&before) {
        return Err(format!(
            "{}: the article changed while its page was fetched; the full text was not \
             written, so nothing of yours is lost: fetch the full text again",
            path.display()
        ));
    }
    crate::files::write_atomic(path, updated.as_bytes()).map_err(|err| err.to_string())?;
    let words = chosen.split_whitespace().count();
    Ok(format!("full text kept: {words} words from {url}"))
}

/// The most an article's file may hold for its full text to be kept.
const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

/// A file as it was read: its bytes and what says it was not replaced or
/// changed since (size, modification time, inode).
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    bytes: Vec<u8>,
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl Snapshot {
    /// The file at `path` now; the error names it.
    fn of(path: &Path) -> Result<Snapshot, String> {
        let cannot = |err: std::io::Error| format!("{}: cannot be read ({err})", path.display());
        let bytes = read_regular(path, MAX_ARTICLE_BYTES, Links::Follow).map_err(cannot)?;
        let meta = std::fs::metadata(path).map_err(cannot)?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Ok(Snapshot {
            bytes,
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        })
    }
}

/// The front matter (both fences and what is between, with its line end)
/// and the body after it, for text that starts with `+++` or `---`.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let fence = ["+++", "---"]
        .into_iter()
        .find(|fence| text.lines().next().map(str::trim_end) == Some(fence))?;
    let mut at = text.find('\n')? + 1;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
        if text[at..end].trim_end() == fence {
            return Some((&text[..end], &text[end..]));
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let text = "+++\ntitle = \"A\"\n+++\n\nThe body.\n";
        assert_eq!(
            split_front_matter(text),
            Some(("+++\ntitle = \"A\"\n+++\n", "\nThe body.\n"))
        );
        assert_eq!(
            split_front_matter("---\ntitle: A\n---\nB"),
            Some(("---\ntitle: A\n---\n", "B"))
        );
        assert_eq!(split_front_matter("Title: A\n\nBody"), None);
        assert_eq!(split_front_matter("+++\nunclosed\n"), None);
    }

    #[test]
    fn a_panic_in_one_feed_is_its_failure_and_the_others_go_on() {
        let folder = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
        let mut options = FetchOptions::new(folder.path(), &folder.path().join("feeds.toml"));
        options.workers = 2;
        let feeds: Vec<Feed> = ["a", "b", "c", "d"]
            .iter()
            .map(|name| Feed::new(format!("https://{name}.example/feed")))
            .collect();
        let fetch_one = |feed: &Feed| {
            if feed.url.contains("//b.") {
                panic!("set_encoding() called after prefix buffer was drained");
            }
            Report {
                name: feed.name.clone(),
                url: feed.url.clone(),
                outcome: Outcome::Fetched(Counts {
                    new: 1,
                    ..Counts::default()
                }),
                moved_to: None,
                warnings: Vec::new(),
            }
        };
        let finished = AtomicUsize::new(0);
        let progress = |step: Progress<'_>| {
            if let Progress::Finished(_) = step {
                finished.fetch_add(1, Ordering::Relaxed);
            }
        };
        let reports = each_isolated(&feeds, &options, &progress, &fetch_one);
        let new: Vec<usize> = reports.iter().map(Report::new_articles).collect();
        assert_eq!(new, [1, 0, 1, 1], "every other feed fetched: {reports:?}");
        assert_eq!(finished.load(Ordering::Relaxed), 4, "each one reported");
        let Outcome::Failed(why) = &reports[1].outcome else {
            panic!("{reports:?}")
        };
        assert!(
            why.starts_with("https://b.example/feed: the fetch of this feed stopped unexpectedly: set_encoding()"),
            "{why}"
        );
        // The failure is in the feed's state, for `feed list` and the popup.
        let state = options
            .state_of(&feeds[1])
            .load()
            .map(|loaded| loaded.value);
        let recorded = state.ok().and_then(|state| state.last_error);
        assert_eq!(recorded.as_deref(), Some(why.as_str()));
    }

    #[test]
    fn a_report_says_what_the_fetch_did() {
        let report = Report {
            name: "News\u{1b}[2J".into(),
            url: "https://news.example/feed".into(),
            outcome: Outcome::Fetched(Counts {
                new: 3,
                deleted: 1,
                ..Counts::default()
            }),
            moved_to: Some("https://news.example/new-feed".into()),
            warnings: Vec::new(),
        };
        let line = report.line(Path::new("feeds.toml"));
        assert!(line.starts_with("News"), "{line}");
        assert!(!line.contains('\u{1b}'), "{line}");
        assert!(
            line.contains("3 new, 1 deleted by you, not restored"),
            "{line}"
        );
        assert!(
            line.contains("moved for good to https://news.example/new-feed"),
            "{line}"
        );
    }
}
