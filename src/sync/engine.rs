//! One sync of one account, through any [`Service`]:
//!
//! 1. the local changes (local marks that differ from the state agreed with
//!    the server) are written to the journal, then sent in batches, one
//!    call per mark and direction; accepted ones become agreed and leave
//!    the journal, refused ones stay in it, named;
//! 2. the account's feeds are recorded (their categories as tags);
//! 3. new items are read in pages after the saved cursor and written into
//!    the articles folder as fetched items are; the cursor is saved after
//!    each page, so a stopped sync resumes; an item the server gives again
//!    is written once;
//! 4. the ids of unread and starred items are read; items they name that
//!    were never written are fetched by id; the server's read and starred
//!    state is then applied to the read marks and bookmarks of every item
//!    with no pending local change (a local change wins until the server
//!    has it).
//!
//! Nothing here prints: the progress goes to a callback, the outcome is a
//! [`Summary`] or a [`Failure`] that says how many local changes wait.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::journal::{Journal, LocalMarks, Mark};
use super::service::{Change, Cursor, ItemState, RemoteFeed, RemoteItem, Service, SyncError};
use super::state::{Agreed, SyncPaths, SyncState, SyncedFeed};
use crate::article::sanitize::{sanitize_line, slug};
use crate::config::LibraryConfig;
use crate::feeds::html::text_of_html_at;
use crate::feeds::item::{Item, file_name, folder_name, render};
use crate::files::{Durability, Links, replace_file};
use crate::store::feeds::{Feed, check_url};
use crate::store::{Bookmark, MarkChange, MarkStores};

/// Items asked for in one page.
pub const PAGE_SIZE: usize = 200;

/// Items asked for by id in one call.
const BY_ID_BATCH: usize = 50;

/// The longest wait a server's Retry-After is honoured for; past it the
/// sync stops and says so.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// How many times a call is retried after a Retry-After.
const MAX_RETRIES: usize = 2;

/// Where one account syncs to.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The account's name (in front matter and messages).
    pub account: String,
    /// The articles folder.
    pub articles: PathBuf,
    /// The sync's state and journal files.
    pub paths: SyncPaths,
    /// The bookmarks and read marks.
    pub stores: MarkStores,
    /// Items asked for per page.
    pub page_size: usize,
    /// The longest Retry-After honoured.
    pub max_wait: Duration,
}

impl Setup {
    /// The setup of account `account` in the library of `library`.
    pub fn new(account: &str, library: &LibraryConfig) -> Setup {
        Setup {
            account: account.to_string(),
            articles: library.articles.clone(),
            paths: SyncPaths::new(&library.feeds, account),
            stores: MarkStores::new(&library.bookmarks, &library.state),
            page_size: PAGE_SIZE,
            max_wait: MAX_RETRY_WAIT,
        }
    }
}

/// How a sync went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Items written into the folder.
    pub new: usize,
    /// Articles marked read here because the server has them read.
    pub marked_read: usize,
    /// Articles marked unread here because the server has them unread.
    pub marked_unread: usize,
    /// Articles bookmarked or unbookmarked here because of the server.
    pub starred_here: usize,
    /// Local changes the server accepted.
    pub sent: usize,
    /// Local changes the server refused: the article's id and the reason.
    pub refused: Vec<(String, String)>,
    /// Local changes still waiting (the refused ones and any made during
    /// the sync).
    pub waiting: usize,
    /// Feeds of the account.
    pub feeds: usize,
    /// Problems that did not stop the sync (an item that could not be
    /// written, a state file moved aside), each naming what.
    pub warnings: Vec<String>,
}

impl Summary {
    /// `12 new, 3 marked read here, 5 sent` and what else happened.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{} new, {} marked read here, {} sent",
            self.new, self.marked_read, self.sent
        );
        if self.marked_unread > 0 {
            line.push_str(&format!(", {} marked unread here", self.marked_unread));
        }
        if self.starred_here > 0 {
            line.push_str(&format!(", {} bookmarks changed here", self.starred_here));
        }
        if !self.refused.is_empty() {
            line.push_str(&format!(", {} refused", self.refused.len()));
        }
        line
    }
}

/// A sync that stopped: why, how many local changes wait for the next
/// one, and what was done before it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What stopped it.
    pub message: String,
    /// Whether the server refused the login (not worth retrying).
    pub login: bool,
    /// What was done before (boxed: a failure is passed up often, a
    /// summary is large).
    pub summary: Box<Summary>,
}

/// Progress of a long sync: items written so far, and the total when the
/// server said how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items written so far in this sync.
    pub written: usize,
    /// How many items are expected, when known.
    pub total: Option<usize>,
}

/// Syncs the account of `setup` through `service`. Holds the account's
/// lock for the whole sync: a second sync of it at once is refused.
pub fn sync(
    service: &mut dyn Service,
    setup: &Setup,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, Failure> {
    let mut summary = Summary::default();
    let fail = |summary: &Summary, message: String| Failure {
        message,
        login: false,
        summary: Box::new(summary.clone()),
    };
    let _lock = match setup.paths.try_lock() {
        Ok(Some(lock)) => lock,
        Ok(None) => {
            return Err(fail(
                &summary,
                format!(
                    "another sync of account `{}` is running; wait for it to finish",
                    sanitize_line(&setup.account)
                ),
            ));
        }
        Err(err) => return Err(fail(&summary, err.to_string())),
    };
    let mut run = Run {
        service,
        setup,
        state: SyncState::default(),
        summary: &mut summary,
        progress,
    };
    match run.all() {
        Ok(()) => Ok(summary),
        Err(stop) => {
            let login = matches!(stop, Stop::Remote(SyncError::Login { .. }));
            let mut message = stop.to_string();
            if summary.waiting > 0 {
                message.push_str(&format!(
                    "; {} local change{} wait{} for the next sync",
                    summary.waiting,
                    if summary.waiting == 1 { "" } else { "s" },
                    if summary.waiting == 1 { "s" } else { "" }
                ));
            }
            Err(Failure {
                message,
                login,
                summary: Box::new(summary),
            })
        }
    }
}

/// What stops a sync.
#[derive(Debug)]
enum Stop {
    /// The server, or the way to it.
    Remote(SyncError),
    /// A file here.
    Local(String),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Remote(SyncError::Status {
                url,
                status,
                retry_after: Some(secs),
            }) => write!(
                f,
                "{url} answered {status} and asks to wait {secs} s, longer than a sync waits; sync again later"
            ),
            Stop::Remote(error) => write!(f, "{error}"),
            Stop::Local(message) => f.write_str(message),
        }
    }
}

impl From<SyncError> for Stop {
    fn from(error: SyncError) -> Stop {
        Stop::Remote(error)
    }
}

impl From<crate::files::FileError> for Stop {
    fn from(error: crate::files::FileError) -> Stop {
        Stop::Local(error.to_string())
    }
}

/// One sync under way.
struct Run<'a, 'b> {
    service: &'a mut dyn Service,
    setup: &'a Setup,
    state: SyncState,
    summary: &'b mut Summary,
    progress: &'a mut dyn FnMut(Progress),
}

impl Run<'_, '_> {
    fn all(&mut self) -> Result<(), Stop> {
        let (state, problem) = SyncState::load(&self.setup.paths)?;
        self.state = state;
        self.summary.warnings.extend(problem);
        self.send()?;
        self.feeds()?;
        self.pull()?;
        self.apply_server_state()?;
        self.state.last_sync = Some(Utc::now());
        self.state.save(&self.setup.paths)?;
        Ok(())
    }

    /// A call to the server, retried after the wait a Retry-After asks for
    /// when it is short enough; a refused login is never retried.
    fn call<T>(
        &mut self,
        mut what: impl FnMut(&mut dyn Service) -> Result<T, SyncError>,
    ) -> Result<T, Stop> {
        let mut tries = 0;
        loop {
            let answer = what(&mut *self.service);
            // What the protocol left out of its answers (an item with a
            // field of the wrong type) is named once, whatever the call.
            for (which, why) in self.service.take_skipped() {
                self.summary.warnings.push(format!(
                    "{}: skipped {which}: {why}",
                    self.service.protocol()
                ));
            }
            match answer {
                Err(SyncError::Status {
                    retry_after: Some(secs),
                    ..
                }) if tries < MAX_RETRIES && Duration::from_secs(secs) <= self.setup.max_wait => {
                    tries += 1;
                    std::thread::sleep(Duration::from_secs(secs));
                }
                other => return other.map_err(Stop::Remote),
            }
        }
    }

    /// The local marks as they are now. A marks file that was moved aside
    /// or cannot be read stops the sync: read as empty, it would look like
    /// every article marked unread here, and that would be sent.
    fn local_marks(&self) -> Result<LocalMarks, Stop> {
        let (saved, failed) = self.setup.stores.load();
        if let Some(problem) = failed.first().or(saved.moved_aside.first()) {
            return Err(Stop::Local(format!(
                "{problem}; the sync stops so that no mark is sent from a file that could not be read"
            )));
        }
        Ok(LocalMarks {
            read: saved.read,
            starred: saved.bookmarks.into_iter().map(|b| b.id).collect(),
        })
    }

    /// A marks file that is gone (removed, or moved aside as unreadable at
    /// an earlier load) while the agreed state says some items are read or
    /// starred: the marks were lost, not changed, and sending them would
    /// mark the whole account unread. The agreed marks are put back.
    fn restore_lost_marks(&mut self) -> Result<(), Stop> {
        let agreed = |flag: fn(&Agreed) -> bool| -> Vec<String> {
            self.state
                .items
                .values()
                .filter(|item| flag(item))
                .map(|item| item.file.clone())
                .collect()
        };
        let read = agreed(|item| item.read);
        if !read.is_empty() && !self.setup.stores.read.path().exists() {
            self.summary.warnings.push(format!(
                "{} is gone; the {} read marks agreed with the server were put back",
                self.setup.stores.read.path().display(),
                read.len()
            ));
            self.mark(MarkChange::SetRead(read, true))?;
        }
        let starred = agreed(|item| item.starred);
        if !starred.is_empty() && !self.setup.stores.bookmarks.path().exists() {
            self.summary.warnings.push(format!(
                "{} is gone; the {} bookmarks agreed with the server were put back",
                self.setup.stores.bookmarks.path().display(),
                starred.len()
            ));
            for file in starred {
                let (title, date) = title_and_date(&self.setup.articles.join(&file));
                self.mark(MarkChange::AddBookmark(Bookmark::new(
                    file,
                    title,
                    date,
                    Utc::now(),
                )))?;
            }
        }
        Ok(())
    }

    /// Step 1: the local changes journaled, then sent in batches.
    fn send(&mut self) -> Result<(), Stop> {
        self.restore_lost_marks()?;
        let local = self.local_marks()?;
        let (previous, problem) = Journal::load(&self.setup.paths)?;
        self.summary.warnings.extend(problem);
        let mut journal = Journal::pending(&self.state, &local, &previous);
        // On disk before anything is sent: a sync killed now keeps them.
        journal.save(&self.setup.paths)?;
        self.summary.waiting = journal.entries.len();
        for (mark, on, ids) in journal.batches() {
            let change = Change {
                flag: mark.flag(),
                on,
                ids,
            };
            let sent = self.call(|service| service.send(&change))?;
            let accepted: HashSet<&str> = sent.accepted.iter().map(String::as_str).collect();
            let refused: HashMap<&str, &str> = sent
                .refused
                .iter()
                .map(|(id, why)| (id.as_str(), why.as_str()))
                .collect();
            for entry in journal.entries.iter_mut() {
                if entry.mark != mark || entry.on != on {
                    continue;
                }
                if let Some(why) = refused.get(entry.id.as_str()) {
                    entry.refused = Some(sanitize_line(why));
                    self.summary
                        .refused
                        .push((entry.file.clone(), sanitize_line(why)));
                }
            }
            for id in &accepted {
                if let Some(agreed) = self.state.items.get_mut(*id) {
                    match mark {
                        Mark::Read => agreed.read = on,
                        Mark::Starred => agreed.starred = on,
                    }
                }
            }
            self.summary.sent += accepted.len();
            journal
                .entries
                .retain(|e| !(e.mark == mark && e.on == on && accepted.contains(e.id.as_str())));
            // Agreed first: killed between the two writes, the next sync
            // finds these marks agreed and sends nothing twice.
            self.state.save(&self.setup.paths)?;
            journal.save(&self.setup.paths)?;
            self.summary.waiting = journal.entries.len();
        }
        Ok(())
    }

    /// Step 2: the account's feeds recorded, each with its folder.
    fn feeds(&mut self) -> Result<(), Stop> {
        let remote = self.call(|service| service.feeds())?;
        let old: HashMap<String, String> = self
            .state
            .feeds
            .iter()
            .map(|feed| (feed.id.clone(), feed.folder.clone()))
            .collect();
        self.state.feeds = remote
            .into_iter()
            .map(|feed| {
                let folder = old
                    .get(&feed.id)
                    .cloned()
                    .unwrap_or_else(|| self.folder_of(&feed));
                synced_feed(feed, folder)
            })
            .collect();
        self.summary.feeds = self.state.feeds.len();
        self.state.save(&self.setup.paths)?;
        Ok(())
    }

    /// The folder of a feed of the account: a slug of its title, else of
    /// its address.
    fn folder_of(&self, feed: &RemoteFeed) -> String {
        folder_name(&Feed {
            name: sanitize_line(&feed.title),
            ..Feed::new(feed.url.clone())
        })
    }

    /// Step 3: new items, page by page, the cursor saved after each.
    fn pull(&mut self) -> Result<(), Stop> {
        loop {
            let cursor = Cursor(self.state.cursor.clone());
            let limit = self.setup.page_size;
            let page = self.call(|service| service.items(&cursor, limit))?;
            self.write_items(page.items)?;
            self.state.cursor = page.next.0;
            self.state.save(&self.setup.paths)?;
            if !page.more {
                return Ok(());
            }
        }
    }

    /// Writes the items not written before, sets their marks as the server
    /// has them, and records them as agreed.
    fn write_items(&mut self, items: Vec<RemoteItem>) -> Result<(), Stop> {
        let mut read = Vec::new();
        let mut starred = Vec::new();
        for item in items {
            if self.state.items.contains_key(&item.id) {
                continue;
            }
            let file = match self.write_item(&item) {
                Ok(file) => file,
                Err(warning) => {
                    self.summary.warnings.push(warning);
                    continue;
                }
            };
            if item.read {
                read.push(file.clone());
            }
            if item.starred {
                starred.push((file.clone(), item_bookmark(&item, &file)));
            }
            self.state.items.insert(
                item.id.clone(),
                Agreed {
                    file,
                    read: item.read,
                    starred: item.starred,
                },
            );
            self.summary.new += 1;
            (self.progress)(Progress {
                written: self.summary.new,
                total: None,
            });
        }
        if !read.is_empty() {
            self.summary.marked_read += read.len();
            self.mark(MarkChange::SetRead(read, true))?;
        }
        if !starred.is_empty() {
            self.summary.starred_here += starred.len();
            let bookmarks = starred.into_iter().map(|(_, bookmark)| bookmark).collect();
            self.setup.stores.bookmarks.add_all(bookmarks)?;
        }
        Ok(())
    }

    /// Carries out a change of the local marks.
    fn mark(&self, change: MarkChange) -> Result<(), Stop> {
        self.setup.stores.apply(&change)?;
        Ok(())
    }

    /// Writes one item's article file; its id (path under the articles
    /// folder), or a warning naming the item.
    fn write_item(&self, remote: &RemoteItem) -> Result<String, String> {
        let feed = self.state.feeds.iter().find(|f| f.id == remote.feed_id);
        let folder = match feed {
            Some(feed) => feed.folder.clone(),
            None => {
                let slug = slug(&self.setup.account, 40);
                if slug.is_empty() {
                    "account".to_string()
                } else {
                    slug
                }
            }
        };
        let item = local_item(&self.setup.account, remote);
        let as_feed = Feed {
            name: feed.map_or_else(|| self.setup.account.clone(), |f| f.title.clone()),
            tags: feed.map(|f| f.categories.clone()).unwrap_or_default(),
            folder: Some(folder.clone()),
            ..Feed::new(feed.map_or_else(String::new, |f| f.url.clone()))
        };
        let title = feed.map_or("", |f| f.title.as_str());
        let text = with_origin(&render(&item, &as_feed, title), &self.setup.account, remote);
        let name = file_name(&item);
        let path = self.setup.articles.join(&folder).join(&name);
        // Broadsheet's own file: a link planted in its place is replaced.
        replace_file(&path, Links::Replace, Durability::Unsynced, &mut |file| {
            file.write_all(text.as_bytes())
        })
        .map_err(|err| {
            format!(
                "item {} of account `{}` not written: {err}",
                sanitize_line(&remote.id),
                sanitize_line(&self.setup.account)
            )
        })?;
        Ok(format!("{folder}/{name}"))
    }

    /// Step 4: the server's read and starred state, for items with no
    /// pending local change; items the id lists name that were never
    /// written are fetched first.
    fn apply_server_state(&mut self) -> Result<(), Stop> {
        let (server, next_mark) = self.server_state()?;
        let mut missing: Vec<String> = server
            .worth_writing()
            .filter(|id| !self.state.items.contains_key(*id))
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        missing.sort();
        for batch in missing.chunks(BY_ID_BATCH) {
            let items = self.call(|service| service.items_by_id(batch))?;
            self.write_items(items)?;
            self.state.save(&self.setup.paths)?;
        }
        // Read now, after the long part: a change made here during the
        // sync is pending, and wins.
        let local = self.local_marks()?;
        let mut read = Vec::new();
        let mut unread_here = Vec::new();
        let mut starred_here = Vec::new();
        let mut unstarred_here = Vec::new();
        for (id, agreed) in self.state.items.iter_mut() {
            // An item the server did not report changed keeps its state.
            let Some((server_read, server_starred)) = server.state_of(id) else {
                continue;
            };
            let here_read = local.read.contains(&agreed.file);
            if here_read == agreed.read && server_read != agreed.read {
                if server_read {
                    read.push(agreed.file.clone());
                } else {
                    unread_here.push(agreed.file.clone());
                }
                agreed.read = server_read;
            }
            let here_starred = local.starred.contains(&agreed.file);
            if here_starred == agreed.starred && server_starred != agreed.starred {
                if server_starred {
                    let (title, date) = title_and_date(&self.setup.articles.join(&agreed.file));
                    starred_here.push(Bookmark::new(agreed.file.clone(), title, date, Utc::now()));
                } else {
                    unstarred_here.push(agreed.file.clone());
                }
                agreed.starred = server_starred;
            }
        }
        self.summary.marked_read += read.len();
        self.summary.marked_unread += unread_here.len();
        self.summary.starred_here += starred_here.len() + unstarred_here.len();
        // One write per file and kind of change, however many items.
        if !starred_here.is_empty() {
            self.setup.stores.bookmarks.add_all(starred_here)?;
        }
        if !unstarred_here.is_empty() {
            self.setup.stores.bookmarks.remove_all(&unstarred_here)?;
        }
        if !read.is_empty() {
            self.mark(MarkChange::SetRead(read, true))?;
        }
        if !unread_here.is_empty() {
            self.mark(MarkChange::SetRead(unread_here, false))?;
        }
        let (previous, _) = Journal::load(&self.setup.paths)?;
        let journal = Journal::pending(&self.state, &self.local_marks()?, &previous);
        self.summary.waiting = journal.entries.len();
        if let Some(mark) = next_mark {
            self.state.changes_mark = mark;
        }
        self.state.save(&self.setup.paths)?;
        journal.save(&self.setup.paths)?;
        Ok(())
    }

    /// The server's read and starred state: only what changed since the
    /// last mark where the protocol can tell, else the whole unread and
    /// starred lists (and, where it can tell, the mark of now, asked
    /// first). With it, the mark to keep once the state is applied.
    fn server_state(&mut self) -> Result<(ServerState, Option<String>), Stop> {
        let since = self.state.changes_mark.clone();
        let changes = self.call(|service| service.changes_since(&since).transpose())?;
        match changes {
            Some(changes) if !since.is_empty() => {
                let items = changes
                    .items
                    .into_iter()
                    .map(|state| (state.id.clone(), state))
                    .collect();
                Ok((ServerState::Changed(items), Some(changes.next)))
            }
            now => {
                let unread = self
                    .call(|service| service.unread_ids())?
                    .into_iter()
                    .collect();
                let starred = self
                    .call(|service| service.starred_ids())?
                    .into_iter()
                    .collect();
                Ok((
                    ServerState::Lists { unread, starred },
                    now.map(|changes| changes.next),
                ))
            }
        }
    }
}

/// What the server said of its items' read and starred state.
enum ServerState {
    /// The whole lists: an item in neither is read and not starred.
    Lists {
        unread: HashSet<String>,
        starred: HashSet<String>,
    },
    /// Only the items changed since the last mark.
    Changed(HashMap<String, ItemState>),
}

impl ServerState {
    /// Whether the server has `id` read and starred, when it said.
    fn state_of(&self, id: &str) -> Option<(bool, bool)> {
        match self {
            ServerState::Lists { unread, starred } => {
                Some((!unread.contains(id), starred.contains(id)))
            }
            ServerState::Changed(items) => items.get(id).map(|state| (state.read, state.starred)),
        }
    }

    /// The ids worth an article here even if never written: unread or
    /// starred ones.
    fn worth_writing(&self) -> Box<dyn Iterator<Item = &String> + '_> {
        match self {
            ServerState::Lists { unread, starred } => Box::new(unread.iter().chain(starred)),
            ServerState::Changed(items) => Box::new(
                items
                    .values()
                    .filter(|state| !state.read || state.starred)
                    .map(|state| &state.id),
            ),
        }
    }
}

/// A feed of the account as recorded: its text fields made terminal-safe.
fn synced_feed(feed: RemoteFeed, folder: String) -> SyncedFeed {
    SyncedFeed {
        id: feed.id,
        title: sanitize_line(&feed.title),
        url: sanitize_line(&feed.url),
        site_url: feed.site_url.map(|url| sanitize_line(&url)),
        categories: feed
            .categories
            .iter()
            .map(|c| sanitize_line(c))
            .filter(|c| !c.is_empty())
            .collect(),
        folder,
    }
}

/// A remote item as a feed item: known by the account and its id, its text
/// made terminal-safe, its HTML made Markdown, a link kept only when it is
/// http or https.
fn local_item(account: &str, remote: &RemoteItem) -> Item {
    let link = remote
        .url
        .as_deref()
        .map(str::trim)
        .filter(|url| check_url(url).is_ok())
        .map(str::to_string);
    let base = link.as_deref().and_then(|url| url::Url::parse(url).ok());
    Item {
        key: format!("sync:{account}:{}", remote.id),
        title: sanitize_line(&remote.title),
        date: remote
            .published
            .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0))
            .map(|date| date.fixed_offset()),
        link,
        author: remote
            .author
            .as_deref()
            .map(sanitize_line)
            .filter(|a| !a.is_empty()),
        categories: Vec::new(),
        body: text_of_html_at(&remote.html, base.as_ref()),
        enclosures: Vec::new(),
    }
}

/// The bookmark of a starred item just written.
fn item_bookmark(remote: &RemoteItem, file: &str) -> Bookmark {
    let date = remote
        .published
        .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0))
        .map(|date| date.date_naive());
    Bookmark::new(file, sanitize_line(&remote.title), date, Utc::now())
}

/// The title and date of an article file the sync wrote, from its front
/// matter, for a bookmark that should still mean something if the article
/// goes away; empty when the file is gone or was changed past reading.
fn title_and_date(path: &std::path::Path) -> (String, Option<chrono::NaiveDate>) {
    let Ok(bytes) = crate::files::read_regular(path, 1024 * 1024, Links::Replace) else {
        return (String::new(), None);
    };
    let text = String::from_utf8_lossy(&bytes);
    let front = text
        .strip_prefix("+++\n")
        .and_then(|rest| rest.split("\n+++\n").next())
        .unwrap_or_default();
    let Ok(table) = toml::from_str::<toml::Table>(front) else {
        return (String::new(), None);
    };
    let title = table
        .get("title")
        .and_then(toml::Value::as_str)
        .map(sanitize_line)
        .unwrap_or_default();
    let date = table
        .get("date")
        .and_then(|date| match date {
            toml::Value::Datetime(datetime) => datetime.date,
            _ => None,
        })
        .and_then(|date| {
            chrono::NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
        });
    (title, date)
}

/// The article's text with `account` and `remote_id` added to its front
/// matter (before the closing `+++`), so the file says where it came from.
fn with_origin(text: &str, account: &str, remote: &RemoteItem) -> String {
    let origin = format!(
        "account = {}\nremote_id = {}\n",
        toml::Value::String(sanitize_line(account)),
        toml::Value::String(sanitize_line(&remote.id))
    );
    // `render` writes every value on one line, so the first line `+++`
    // after the opening one closes the front matter.
    match text.get(4..).and_then(|rest| rest.find("\n+++\n")) {
        Some(at) => {
            let close = 4 + at + 1;
            format!("{}{origin}{}", &text[..close], &text[close..])
        }
        None => text.to_string(),
    }
}

/// The pending local changes of the account of `setup`, without the
/// network (for `sync --status` and the reader's count of waiting changes).
pub fn waiting(setup: &Setup) -> Result<(Journal, Vec<String>), String> {
    let (saved, failed) = setup.stores.load();
    if let Some(problem) = failed.first() {
        return Err(problem.to_string());
    }
    let local = LocalMarks {
        read: saved.read,
        starred: saved.bookmarks.into_iter().map(|b| b.id).collect(),
    };
    super::journal::status(&setup.paths, &local).map_err(|e| e.to_string())
}
