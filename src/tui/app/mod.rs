//! The reader's state and how it changes: [`Event`]s (keys, mouse, loads,
//! saves) go in through [`App::on_event`], keys become actions, actions change
//! the state and may ask the run loop for an [`Effect`] (save, reload, quit).
//! Nothing here touches a file, a thread or the terminal, and the clock is
//! passed in, so every behaviour is testable with plain values.
//!
//! The state's parts live in their own files: `filter` (what the list
//! shows, in which order, and the selection), `reading` (the open
//! article's wrapped document, scroll and search matches), `stepping`
//! (next and previous article while reading) and `popups` (opening the
//! popups of `crate::tui::popups`, their keys and what they ask).

mod acting;
mod counting;
mod feed_view;
mod feeds;
mod filter;
mod following;
mod marking;
mod opened;
mod popups;
mod reading;
mod stepping;
mod undo;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::config::Config;
use crate::keys::{Action, Key, Mode};
use crate::library::query::Query;
use crate::library::{Library, Marks, SortOrder, SummaryRow};
use crate::store::MarkChange;
use crate::tui::document::Document;
use crate::tui::input;
use crate::tui::layout::{self, LayoutState, Panes};
use crate::tui::popups::PickedTerm;

/// The popups' states, where the App's users have always found them.
pub use crate::tui::popups::{EditBox, EditKind, FeedsPopup, LinksPopup, Overlay, SearchBox};
pub use counting::{CountJob, Counted};
pub use feeds::{AccountsSynced, FetchProgress, Fetched, FullTextJob};
use opened::{ArticleMatches, Opened};
pub use opened::{MatchCount, WrapJob};

/// Lines the mouse wheel scrolls.
const WHEEL_LINES: usize = 3;

/// Something only the run loop can do: files, threads, exiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Save a change to the bookmarks or read marks (on the saver thread).
    Save(MarkChange),
    /// Load the articles folder again.
    Reload,
    /// Leave the reader.
    Quit,
    /// Filter the whole list on a worker, whose result comes back as
    /// [`Event::Counted`].
    Count(CountJob),
    /// Read the feeds file and each feed's state, for the feeds popup
    /// ([`Event::FeedsRead`]).
    ReadFeeds,
    /// Fetch every feed on a worker ([`Event::FetchProgress`], then
    /// [`Event::FeedsFetched`]).
    FetchFeeds,
    /// Fetch the feed at this address alone, as [`Effect::FetchFeeds`]
    /// does every feed.
    FetchFeed(String),
    /// Fetch an article's page and keep its full text in the article's file
    /// ([`Event::FullTextDone`]).
    FullText(FullTextJob),
    /// Open this address in the browser (checked: http, https or mailto).
    OpenUrl(String),
    /// Put this address on the clipboard (checked as for opening).
    Copy(String),
    /// Play this address with the player (checked: http or https).
    Play(String),
    /// Tell the person of a new article that matches the `notify` query.
    Notify(crate::tui::notify::Notice),
}

/// What happens to the reader: the user's input and the background
/// threads' results. The run loop passes each one to [`App::on_event`].
#[derive(Debug)]
pub enum Event {
    /// A key press.
    Key(ratatui::crossterm::event::KeyEvent),
    /// A click or a turn of the wheel.
    Mouse(MouseEvent),
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// Files found and read so far while the folder loads.
    Progress(Loading),
    /// The first phase of a load: every article's summary (title, date,
    /// tags), and the marks; the list is usable, the texts follow.
    SummariesLoaded(Box<Summaries>),
    /// The second phase: the full texts.
    TextsLoaded(Box<Library>),
    /// The folder could not be loaded at all.
    LoadFailed(String),
    /// A save finished (`None`) or failed and will be retried (`Some`).
    Saved(Option<String>),
    /// A worker wrapped a whole long article.
    Wrapped(Box<Document>),
    /// Something to tell the user (a problem of a background thread).
    Notice(String),
    /// Marks made here wait to reach the accounts' servers (counted at
    /// start, without the network): how many.
    ChangesWaiting(usize),
    /// A worker filtered the whole list.
    Counted(Counted),
    /// The feeds and their last fetch, or why they cannot be read.
    FeedsRead(Result<Vec<crate::feeds::status::FeedStatus>, String>),
    /// One more feed of the background fetch finished.
    FetchProgress(FetchProgress),
    /// The background fetch of the feeds ended.
    FeedsFetched(Fetched),
    /// The timer of `[fetching] every_minutes` went off.
    FetchDue,
    /// An article's full text was kept (what to say) or not (why).
    FullTextDone(Result<String, String>),
    /// The store files changed on disk and were read again: the marks
    /// they hold, and what was wrong with them (files moved aside).
    MarksRead(Box<Marks>, Vec<String>),
}

/// What a new load of the folder brought compared with the one shown: the
/// status line's `+3 new · 1 gone`.
struct Arrivals {
    new: usize,
    gone: usize,
}

impl Arrivals {
    /// Counts the ids only in `new` and only in `old`; nothing is counted
    /// against an empty library (the first load).
    fn between(old: &Library, new: &Library) -> Arrivals {
        if old.is_empty() {
            return Arrivals { new: 0, gone: 0 };
        }
        let (new, gone) = new.arrivals_since(old);
        Arrivals { new, gone }
    }

    /// The status line's words, when anything arrived or went.
    fn message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.new > 0 {
            parts.push(format!("+{} new", self.new));
        }
        if self.gone > 0 {
            parts.push(format!("{} gone", self.gone));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// The first phase of a load.
#[derive(Debug)]
pub struct Summaries {
    /// The articles, without their texts.
    pub library: Library,
    /// Bookmarked and read ids.
    pub marks: Marks,
    /// Store files that were moved aside or could not be read, to be shown.
    pub problems: Vec<String>,
}

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The article list.
    List,
    /// The reader.
    Reader,
}

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What to say.
    pub text: String,
    /// An error (drawn in the error colour) rather than information.
    pub error: bool,
}

/// Loading progress shown while the folder is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loading {
    /// Files found so far.
    pub found: usize,
    /// Files read so far.
    pub loaded: usize,
}

/// The whole state of the reader. Views read its fields; tests, benches
/// and the run loop go through its methods.
#[derive(Debug)]
pub struct App {
    /// Settings, keys, theme and views.
    pub(crate) config: Config,
    /// The loaded articles.
    pub(crate) library: Arc<Library>,
    /// Bookmarked and read ids.
    pub(crate) marks: Marks,
    /// The current order.
    pub(crate) sort: SortOrder,
    /// Library indexes in the current order (cached per order).
    sorted: Vec<usize>,
    /// The search query as typed (kept when it is valid).
    search_text: String,
    /// The search as parsed: what the list is filtered by.
    search: Query,
    /// Tags and categories picked in the tag picker (`tag:` / `cat:` terms).
    picked: Vec<PickedTerm>,
    /// Whether an article must carry all picked tags (else any).
    match_all: bool,
    /// The picked tags as a query.
    picked_query: Query,
    /// Only bookmarked articles.
    bookmarks_only: bool,
    /// Only unread articles.
    unread_only: bool,
    /// Library indexes of the articles shown, in order.
    pub(crate) visible: Vec<usize>,
    /// Position of the selection in `visible`.
    pub(crate) selected: usize,
    /// First visible row of the list.
    pub(crate) list_offset: usize,
    /// Where keys go.
    pub(crate) focus: Focus,
    /// The reader has the whole screen.
    pub(crate) fullscreen: bool,
    /// First visible line of the reader.
    pub(crate) reader_scroll: usize,
    /// The open popup, if any.
    pub(crate) overlay: Option<Overlay>,
    /// The status bar message, if any.
    pub(crate) message: Option<Message>,
    /// Every message of the session, oldest first, for the message log.
    log: Vec<crate::tui::popups::LoggedMessage>,
    /// Loading progress, while the folder is being read.
    pub(crate) loading: Option<Loading>,
    /// Summaries are shown and the full texts are still being read.
    pub(crate) reading_texts: bool,
    /// Why the folder could not be loaded, shown in the list pane.
    pub(crate) load_error: Option<String>,
    /// Changes sent to the store and not yet confirmed written.
    pub(crate) unsaved: usize,
    /// The terminal size.
    pub(crate) area: Rect,
    /// The selected article as read from its file, by `prepare`.
    pub(crate) opened: Option<Opened>,
    /// The wrapped document of the selected article, built by `prepare`.
    pub(crate) document: Option<Document>,
    /// The search matches in the open article, found by `prepare`.
    matches: ArticleMatches,
    /// Quit was asked while changes were unsaved; a second quit leaves.
    quit_armed: bool,
    /// The (article, width) whose whole wrap was handed to a worker.
    wrap_requested: Option<(usize, usize)>,
    /// The generation of the list's filtering: a new filtering makes the
    /// workers still counting an older one stop.
    generation: Arc<AtomicU64>,
    /// The whole filtering of a long list, not yet handed to a worker.
    pending_count: Option<CountJob>,
    /// Whether the list shows a first screen while the rest is counted.
    counting: bool,
    /// The article the selection goes to when the count arrives, when it
    /// was not in the first screen.
    keep_after_count: Option<String>,
    /// How far the background fetch of the feeds has got, while one runs.
    pub(crate) fetching: Option<FetchProgress>,
    /// The feeds view's side of the list: the feed shown, the feeds'
    /// names, the timed fetches.
    pub(crate) feeds: feed_view::FeedsState,
    /// How to take back the person's last changes to the marks, newest last.
    undo: Vec<undo::UndoStep>,
    /// Changes handed to the saver and not yet written, oldest first: kept
    /// over the marks read again from the files.
    pending: std::collections::VecDeque<MarkChange>,
    /// The ids picked with `toggle_select`, which actions then apply to.
    pub(crate) picked_ids: std::collections::BTreeSet<String>,
    /// The time of the latest event: what "today" is for the list's dates.
    pub(crate) now: DateTime<Utc>,
    /// The zone the list's times are shown in; `None` is the machine's.
    zone: Option<chrono::FixedOffset>,
    /// Whether the person has pressed a key or used the mouse yet. Until
    /// then the selection stays on the first row as files arrive, rather
    /// than following an article they never chose.
    touched: bool,
    /// `r` was pressed and its load has not finished: when it does, the
    /// status line says what it read.
    reload_asked: bool,
    /// What the reload asked for brought in its first phase (`+1 new`).
    reload_news: Option<String>,
}

/// `1234567` as `1,234,567`: counts the status line shows.
fn grouped(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// What `r` says when its load is done: what was read, so a reload that
/// changed nothing is seen to be done, and what changed, if anything.
fn reloaded_message(count: usize, news: Option<String>) -> String {
    let mut text = format!(
        "read the folder again: {} article{}",
        grouped(count),
        if count == 1 { "" } else { "s" }
    );
    if let Some(news) = news {
        text.push_str(&format!(" ({news})"));
    }
    text
}

impl App {
    /// A reader with an empty library, waiting for the first load.
    pub fn new(config: Config) -> App {
        let sort = config.display.sort;
        App {
            config,
            library: Arc::new(Library::default()),
            marks: Marks::default(),
            sort,
            sorted: Vec::new(),
            search_text: String::new(),
            search: Query::default(),
            picked: Vec::new(),
            match_all: false,
            picked_query: Query::default(),
            bookmarks_only: false,
            unread_only: false,
            visible: Vec::new(),
            selected: 0,
            list_offset: 0,
            focus: Focus::List,
            fullscreen: false,
            reader_scroll: 0,
            overlay: None,
            message: None,
            log: Vec::new(),
            loading: Some(Loading::default()),
            reading_texts: false,
            load_error: None,
            unsaved: 0,
            area: Rect::default(),
            opened: None,
            document: None,
            matches: ArticleMatches::default(),
            quit_armed: false,
            wrap_requested: None,
            generation: Arc::new(AtomicU64::new(0)),
            pending_count: None,
            counting: false,
            keep_after_count: None,
            fetching: None,
            feeds: feed_view::FeedsState::default(),
            undo: Vec::new(),
            pending: std::collections::VecDeque::new(),
            picked_ids: std::collections::BTreeSet::new(),
            now: DateTime::<Utc>::UNIX_EPOCH,
            zone: None,
            touched: false,
            reload_asked: false,
            reload_news: None,
        }
    }

    /// Shows the list's times in `zone` instead of the machine's own (a
    /// reader whose screen must not depend on where it runs: the tests).
    pub fn set_time_zone(&mut self, zone: chrono::FixedOffset) {
        self.zone = Some(zone);
    }

    /// The time of the latest event in the zone times are shown in.
    pub(crate) fn local_now(&self) -> DateTime<chrono::FixedOffset> {
        match self.zone {
            Some(zone) => self.now.with_timezone(&zone),
            None => self.now.with_timezone(&chrono::Local).fixed_offset(),
        }
    }

    /// Handles one event at the time `now`; returns what the run loop must
    /// do.
    pub fn on_event(&mut self, event: Event, now: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        let mut effects = self.handle(event, now);
        for effect in &effects {
            if let Effect::Save(change) = effect {
                self.note_pending(change);
            }
        }
        // Whatever filtered a long list left its whole for a worker.
        if let Some(job) = self.take_count_job() {
            effects.push(Effect::Count(job));
        }
        effects.extend(self.feed_effects());
        effects
    }

    fn handle(&mut self, event: Event, now: DateTime<Utc>) -> Vec<Effect> {
        match event {
            Event::Key(event) => return self.key(&event, now),
            Event::Mouse(event) => self.mouse(event),
            Event::Resize(width, height) => self.resize(width, height),
            Event::Progress(loading) => self.progress(loading),
            Event::SummariesLoaded(summaries) => self.summaries_loaded(*summaries),
            Event::TextsLoaded(library) => self.texts_loaded(*library),
            Event::LoadFailed(message) => self.load_failed(message),
            Event::Saved(result) => self.saved(result),
            Event::Wrapped(document) => self.wrapped(*document),
            Event::Notice(text) => self.say(text, true),
            Event::ChangesWaiting(count) => self.say(
                format!(
                    "{count} local change{} wait{} to reach your accounts; {} syncs",
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "s" } else { "" },
                    self.first_key(Action::FetchFeeds)
                ),
                false,
            ),
            Event::Counted(counted) => self.counted(counted),
            Event::FeedsRead(rows) => self.feeds_read(rows),
            Event::FetchProgress(progress) => self.fetch_progress(progress),
            Event::FeedsFetched(fetched) => return self.feeds_fetched(fetched),
            Event::FetchDue => return self.fetch_due(now),
            Event::FullTextDone(Ok(text)) => self.say(text, false),
            Event::FullTextDone(Err(error)) => self.say(error, true),
            Event::MarksRead(marks, problems) => self.marks_read(*marks, problems),
        }
        Vec::new()
    }

    // ----- what the views, the run loop and the tests read ---------------

    /// The configuration the reader runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The loaded articles.
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// Bookmarked and read ids, with the changes made in the reader.
    pub fn marks(&self) -> &Marks {
        &self.marks
    }

    /// Library positions of the articles the list shows, in order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The selection's row in the list.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first row of the list on screen.
    pub fn list_offset(&self) -> usize {
        self.list_offset
    }

    /// The open popup, if any.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// The list's order.
    pub fn sort(&self) -> SortOrder {
        self.sort
    }

    /// Where keys go.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// Whether the reader has the whole screen.
    pub fn fullscreen(&self) -> bool {
        self.fullscreen
    }

    /// The first line of the article on screen.
    pub fn reader_scroll(&self) -> usize {
        self.reader_scroll
    }

    /// The selected article laid out for the reader, once prepared.
    pub fn document(&self) -> Option<&Document> {
        self.document.as_ref()
    }

    /// The message of the status line, if any.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// Every message of the session, oldest first (the message log).
    pub fn message_log(&self) -> &[crate::tui::popups::LoggedMessage] {
        &self.log
    }

    /// Whether the summaries are shown and the texts still being read.
    pub fn reading_texts(&self) -> bool {
        self.reading_texts
    }

    /// The terminal's size, as last heard.
    pub fn area(&self) -> Rect {
        self.area
    }

    /// The selected article's library index.
    pub(crate) fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// The selected article.
    pub fn selected_article(&self) -> Option<SummaryRow<'_>> {
        self.selected_index().and_then(|i| self.library.get(i))
    }

    /// The panes of the current frame.
    pub fn panes(&self) -> Panes {
        layout::panes(
            self.area,
            &self.config.layout,
            LayoutState {
                fullscreen: self.fullscreen,
                reader_focused: self.focus == Focus::Reader,
            },
        )
    }

    /// Rows of the list pane available for articles (one is the header).
    pub(crate) fn list_rows(&self) -> usize {
        self.panes()
            .list
            .map_or(0, |pane| usize::from(layout::list_parts(pane).rows.height))
    }

    /// The mode keys are resolved in: the open popup's, else browsing.
    pub fn mode(&self) -> Mode {
        self.overlay
            .as_ref()
            .map_or(Mode::Browse, |overlay| overlay.popup().mode())
    }

    // ----- loads and saves -----------------------------------------------

    /// The list is loaded (the first phase): it is usable; text search
    /// waits for the texts, unless they came with it (from the cache).
    /// Problems with the store files are shown.
    fn summaries_loaded(&mut self, summaries: Summaries) {
        self.marks = self.with_pending(summaries.marks);
        // From the cache, the texts come with the list.
        self.reading_texts = !summaries.library.has_texts();
        self.replace_library(summaries.library);
        if let Some(problem) = summaries.problems.into_iter().next() {
            self.say(problem, true);
        }
    }

    /// The full texts are loaded (the second phase). The marks stay as
    /// they are: changes made meanwhile are the newest.
    fn texts_loaded(&mut self, library: Library) {
        self.reading_texts = false;
        self.replace_library(library);
    }

    fn replace_library(&mut self, library: Library) {
        // Before the first key the selection was never chosen: it stays on
        // the first row (the newest article) instead of following the
        // article that happened to be there as newer files arrive.
        let keep = if self.touched {
            self.selected_article().map(|a| a.id().to_string())
        } else {
            self.selected = 0;
            self.list_offset = 0;
            None
        };
        let arrivals = Arrivals::between(&self.library, &library);
        let old = std::mem::replace(&mut self.library, Arc::new(library));
        self.opened = None;
        self.loading = None;
        self.load_error = None;
        self.sorted = self.library.order(self.sort);
        if arrivals.new > 0 {
            self.notice_arrivals(&old);
        }
        self.document = None;
        // Positions may name other articles now: a wrap asked of the old
        // library is asked again.
        self.wrap_requested = None;
        self.refilter_keeping(keep.as_deref());
        // An error still on show (a fetch's failed feeds, say) outweighs
        // the news of arrivals, which the counts show as well.
        let error_shown = self.message.as_ref().is_some_and(|m| m.error);
        if self.reload_asked {
            // The list's phase may bring the news, the texts' phase ends
            // the load: the message waits for the end and keeps the news.
            if let Some(news) = arrivals.message() {
                self.reload_news = Some(news);
            }
            if self.library.has_texts() {
                self.reload_asked = false;
                let news = self.reload_news.take();
                if !error_shown {
                    self.say(reloaded_message(self.library.len(), news), false);
                }
            }
        } else if let Some(text) = arrivals.message()
            && !error_shown
        {
            self.say(text, false);
        }
    }

    /// The folder could not be loaded at all (missing, not a folder): the
    /// list pane says why and what to do; `r` tries again.
    fn load_failed(&mut self, message: String) {
        self.loading = None;
        self.reload_asked = false;
        self.reading_texts = false;
        if !self.library.is_empty() {
            // A reload failed: the last good list stays, the status says why.
            self.say(format!("reload failed: {message}"), true);
        }
        self.load_error = Some(message);
    }

    /// Loading progress from the loader thread.
    fn progress(&mut self, loading: Loading) {
        if self.loading.is_some() {
            self.loading = Some(loading);
        }
    }

    /// Shows a message in the status bar.
    pub(super) fn say(&mut self, text: impl Into<String>, error: bool) {
        let text = text.into();
        self.log_message(&text, error);
        self.message = Some(Message { text, error });
    }

    /// A save finished; `error` says why it failed (it will be retried).
    fn saved(&mut self, error: Option<String>) {
        match error {
            None => {
                self.unsaved = self.unsaved.saturating_sub(1);
                self.pending_written();
            }
            Some(text) => self.say(format!("not saved, retrying: {text}"), true),
        }
    }

    /// The terminal changed size.
    fn resize(&mut self, width: u16, height: u16) {
        self.area = Rect::new(0, 0, width, height);
        self.clamp_list();
        self.clamp_reader();
    }

    // ----- input -----------------------------------------------------------

    /// Handles a key press.
    fn key(
        &mut self,
        event: &ratatui::crossterm::event::KeyEvent,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(key) = input::key_of(event) else {
            return Vec::new();
        };
        self.touched = true;
        // A message is news of the moment: it was seen once a key is
        // pressed, and what that key does may say something new. A popup
        // whose prompt takes the message's place (the search prompt) holds
        // one that came meanwhile until it closes.
        if !self
            .overlay
            .as_ref()
            .is_some_and(|overlay| overlay.popup().holds_messages())
        {
            self.message = None;
        }
        if self.overlay.is_some() {
            return self.overlay_key(key, now);
        }
        // Ctrl-C always leaves, whatever the key map says.
        if key == Key::ctrl('c') {
            return self.update(Action::HardQuit, now);
        }
        match self.config.keys.resolve(Mode::Browse, key) {
            // In a feed's articles `q` goes back to the feeds view, as in
            // newsboat; `hard_quit` (Q) and Ctrl-C still quit.
            Some(Action::Quit) if self.in_feed_list() => self.back_to_feeds(),
            Some(action) => self.update(action, now),
            None => Vec::new(),
        }
    }

    /// Handles a mouse event: a click selects, the wheel scrolls the pane
    /// under the pointer.
    fn mouse(&mut self, event: MouseEvent) {
        if self.overlay.is_some() {
            return;
        }
        // A pointer passing over the list chooses nothing.
        if event.kind != MouseEventKind::Moved {
            self.touched = true;
        }
        let at = Position::new(event.column, event.row);
        let panes = self.panes();
        let in_list = panes.list.filter(|r| r.contains(at));
        let in_reader = panes.reader.filter(|r| r.contains(at));
        match event.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(list) = in_list {
                    self.focus = Focus::List;
                    let row = usize::from(event.row - list.y);
                    if row >= 1 {
                        let target = self.list_offset + row - 1;
                        if target < self.visible.len() {
                            self.select(target);
                        }
                    }
                } else if in_reader.is_some() {
                    self.focus = Focus::Reader;
                }
            }
            MouseEventKind::ScrollDown if in_list.is_some() => {
                self.move_selection(WHEEL_LINES as isize)
            }
            MouseEventKind::ScrollUp if in_list.is_some() => {
                self.move_selection(-(WHEEL_LINES as isize))
            }
            MouseEventKind::ScrollDown if in_reader.is_some() => {
                self.scroll_reader(WHEEL_LINES as isize)
            }
            MouseEventKind::ScrollUp if in_reader.is_some() => {
                self.scroll_reader(-(WHEEL_LINES as isize))
            }
            _ => {}
        }
    }

    /// Applies one action, at the time `now`.
    fn update(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        if !matches!(action, Action::Quit | Action::HardQuit) {
            self.quit_armed = false;
        }
        let reading = self.focus == Focus::Reader;
        match action {
            Action::Down if reading => self.scroll_reader(1),
            Action::Up if reading => self.scroll_reader(-1),
            Action::Down => self.move_selection(1),
            Action::Up => self.move_selection(-1),
            Action::Top if reading => self.reader_scroll = 0,
            Action::Bottom if reading => {
                self.finish_document();
                self.scroll_reader(isize::MAX / 2);
            }
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.visible.len().saturating_sub(1)),
            Action::PageDown if reading => self.scroll_reader(self.page(self.reader_rows())),
            Action::PageUp if reading => self.scroll_reader(-self.page(self.reader_rows())),
            Action::PageDown => self.move_selection(self.page(self.list_rows())),
            Action::PageUp => self.move_selection(-self.page(self.list_rows())),
            Action::Open => return self.open(),
            Action::SwitchFocus => self.switch_focus(),
            // In a feed's articles, back (and `q`) go to the feeds view.
            Action::Back if self.in_feed_list() => return self.back_to_feeds(),
            Action::Back => self.back(),
            Action::Search => self.open_search(),
            Action::Tags => self.open_tags(),
            Action::Views => self.open_views(),
            Action::ToggleBookmark => return self.toggle_bookmark(now),
            Action::BookmarksOnly => {
                self.bookmarks_only = !self.bookmarks_only;
                self.refilter();
            }
            Action::ToggleRead => return self.toggle_read(),
            Action::UnreadOnly => {
                self.unread_only = !self.unread_only;
                self.refilter();
            }
            Action::CycleSort => self.cycle_sort(),
            Action::ClearFilters => self.clear_filters(),
            Action::Reload => return self.reload(),
            Action::Fullscreen => self.toggle_fullscreen(),
            Action::Help => self.open_help(),
            Action::NextMatch => self.jump_to_match(true),
            Action::PrevMatch => self.jump_to_match(false),
            Action::Feeds => return self.ask_feeds(),
            Action::FetchFeeds => return self.fetch_feeds(),
            Action::FullText => return self.full_text(),
            Action::OpenLink => return self.open_link(),
            Action::ShowLinks => self.show_links(),
            Action::CopyLink => return self.copy_link(),
            Action::PlayEnclosure => return self.play_enclosure(),
            Action::MarkAllRead => return self.mark_all_read(),
            Action::Undo => return self.undo(),
            Action::EditTags => self.open_tag_editor(),
            Action::EditNote => self.open_note_editor(),
            Action::ToggleSelect => self.toggle_select(),
            Action::SelectAll => self.select_all(),
            Action::InvertSelection => self.invert_selection(),
            Action::NextArticle => return self.step_article(1),
            Action::PrevArticle => return self.step_article(-1),
            Action::NextUnread => return self.next_unread(),
            // With an article open `quit` goes back one level, as `back`
            // does (newsboat's `q`); it quits only from the list.
            Action::Quit if reading || self.fullscreen => self.back(),
            Action::Quit | Action::HardQuit => return self.quit(),
            Action::Messages => self.open_messages(),
            // The tag picker's own actions: its keys reach them only there.
            Action::Pick | Action::MatchMode | Action::FetchFeed | Action::MarkFeedRead => {}
        }
        Vec::new()
    }

    fn page(&self, rows: usize) -> isize {
        rows.saturating_sub(1).max(1) as isize
    }

    // ----- focus -----------------------------------------------------------

    fn open(&mut self) -> Vec<Effect> {
        let Some(article) = self.selected_article() else {
            return Vec::new();
        };
        let id = article.id().to_string();
        self.focus = Focus::Reader;
        if self.config.display.mark_read_on_open && !self.marks.read.contains(&id) {
            self.marks.read.insert(id.clone());
            self.unsaved += 1;
            return vec![Effect::Save(MarkChange::SetRead(vec![id], true))];
        }
        Vec::new()
    }

    fn switch_focus(&mut self) {
        self.focus = match self.focus {
            Focus::List if !self.visible.is_empty() => Focus::Reader,
            Focus::List => Focus::List,
            Focus::Reader => {
                self.fullscreen = false;
                Focus::List
            }
        };
    }

    fn back(&mut self) {
        if self.fullscreen {
            self.fullscreen = false;
        } else if self.focus == Focus::Reader {
            self.focus = Focus::List;
        } else if self.clear_picked() {
            self.say("nothing picked", false);
        }
    }

    fn toggle_fullscreen(&mut self) {
        if self.visible.is_empty() {
            return;
        }
        self.fullscreen = !self.fullscreen;
        if self.fullscreen {
            self.focus = Focus::Reader;
        }
    }

    // ----- marks -----------------------------------------------------------

    fn reload(&mut self) -> Vec<Effect> {
        self.loading = Some(Loading::default());
        self.reload_asked = true;
        self.reload_news = None;
        vec![Effect::Reload]
    }

    fn quit(&mut self) -> Vec<Effect> {
        if self.unsaved > 0 && !self.quit_armed {
            self.quit_armed = true;
            self.say(
                format!(
                    "{} change(s) not saved yet; quit again to leave anyway",
                    self.unsaved
                ),
                true,
            );
            return Vec::new();
        }
        vec![Effect::Quit]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reload_counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_234), "1,234");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(
            reloaded_message(1, Some("+1 new".into())),
            "read the folder again: 1 article (+1 new)"
        );
    }
}
