//! The reader's state and how it changes: keys become actions, actions
//! change the state and may ask the run loop for an [`Effect`] (save, reload,
//! quit). Nothing here touches a file or the terminal, so every behaviour is
//! testable with plain values.

use std::collections::BTreeSet;
use std::sync::Arc;

use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::article::Article;
use crate::config::{Config, DisplayConfig};
use crate::keys::{Action, Key, Mode};
use crate::library::query::{self, Query, QueryError};
use crate::library::{Library, Marks, SortOrder};
use crate::store::bookmarks::Bookmark;
use crate::tui::document::{Document, find_matches};
use crate::tui::input;
use crate::tui::layout::{self, LayoutState, Panes};
use crate::tui::picker::{HelpState, POPUP_PAGE, TagPicker, ViewPicker, edit_text};

/// Lines the mouse wheel scrolls.
const WHEEL_LINES: usize = 3;

/// Something only the run loop can do: files, threads, exiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Save a new bookmark.
    AddBookmark(Bookmark),
    /// Remove the bookmark of this id.
    RemoveBookmark(String),
    /// Mark these ids read (`true`) or unread.
    SetRead(Vec<String>, bool),
    /// Load the articles folder again.
    Reload,
    /// Leave the reader.
    Quit,
}

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The article list.
    List,
    /// The reader.
    Reader,
}

/// A popup that takes the keys while it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The search prompt (`/`).
    Search(SearchBox),
    /// The key help (`?`).
    Help(HelpState),
    /// The tag picker (`t`).
    Tags(TagPicker),
    /// The saved views picker (`v`).
    Views(ViewPicker),
}

/// The search prompt: the query is applied as it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchBox {
    /// What has been typed.
    pub input: String,
    /// The query before the prompt opened, restored by Esc.
    pub previous: String,
    /// Why the input does not parse; the last good result stays shown.
    pub error: Option<QueryError>,
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

/// The whole state of the reader.
#[derive(Debug)]
pub struct App {
    /// Settings, keys, theme and views.
    pub config: Config,
    /// The loaded articles.
    pub library: Arc<Library>,
    /// Bookmarked and read ids.
    pub marks: Marks,
    /// The current order.
    pub sort: SortOrder,
    /// Library indexes in the current order (cached per order).
    sorted: Vec<usize>,
    /// The search query as typed (kept when it is valid).
    pub search_text: String,
    search: Query,
    /// Tags and categories picked in the tag picker (`tag:` / `cat:` terms).
    pub picked: Vec<PickedTerm>,
    /// Whether an article must carry all picked tags (else any).
    pub match_all: bool,
    picked_query: Query,
    /// Only bookmarked articles.
    pub bookmarks_only: bool,
    /// Only unread articles.
    pub unread_only: bool,
    /// Library indexes of the articles shown, in order.
    pub visible: Vec<usize>,
    /// Position of the selection in `visible`.
    pub selected: usize,
    /// First visible row of the list.
    pub list_offset: usize,
    /// Where keys go.
    pub focus: Focus,
    /// The reader has the whole screen.
    pub fullscreen: bool,
    /// First visible line of the reader.
    pub reader_scroll: usize,
    /// The open popup, if any.
    pub overlay: Option<Overlay>,
    /// The status bar message, if any.
    pub message: Option<Message>,
    /// Loading progress, while the folder is being read.
    pub loading: Option<Loading>,
    /// Summaries are shown and the full texts are still being read.
    pub reading_texts: bool,
    /// Why the folder could not be loaded, shown in the list pane.
    pub load_error: Option<String>,
    /// Changes sent to the store and not yet confirmed written.
    pub unsaved: usize,
    /// The terminal size.
    pub area: Rect,
    /// The wrapped document of the selected article, built by `prepare`.
    pub document: Option<Document>,
    /// Quit was asked while changes were unsaved; a second quit leaves.
    quit_armed: bool,
    /// The (article, width) whose whole wrap was handed to a worker.
    wrap_requested: Option<(usize, usize)>,
}

/// Wrapping a whole article on a worker thread.
#[derive(Debug, Clone)]
pub struct WrapJob {
    /// The library the article is in (shared, not copied).
    pub library: Arc<Library>,
    /// The article's index in it.
    pub index: usize,
    /// How dates are shown in the details lines.
    pub display: DisplayConfig,
    /// The width to wrap to.
    pub width: usize,
}

impl WrapJob {
    /// Does the work (on the worker thread).
    pub fn run(self) -> Option<Document> {
        let article = self.library.get(self.index)?;
        let body = self.library.body(self.index)?;
        let meta = meta_lines(article, &self.display, true);
        Some(Document::build(self.index, article, body, meta, self.width))
    }
}

/// Articles with more text than this are wrapped in part on the UI thread
/// and in whole on a worker.
const LONG_ARTICLE_BYTES: usize = 256 * 1024;

/// The reader's details lines: date, categories, tags; file and size
/// (with the word count only when `count_words`: a long article's count
/// comes from the worker); author, source and url when there are any.
fn meta_lines(article: &Article, display: &DisplayConfig, count_words: bool) -> Vec<String> {
    let date = article
        .date
        .map(|d| display.format_date(d))
        .unwrap_or_else(|| "undated".to_string());
    let mut first = vec![date];
    first.extend(article.term_details());
    let size = if count_words {
        article.size_details()
    } else {
        format!("{} · counting words…", article.id)
    };
    let mut lines = vec![first.join(" · "), size];
    lines.extend(article.credit_lines());
    lines
}

/// A tag or category picked in the tag picker.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PickedTerm {
    /// A category rather than a tag.
    pub category: bool,
    /// Its name.
    pub name: String,
}

impl PickedTerm {
    /// The query term, e.g. `tag:"Alice Oseman"`.
    pub fn term(&self) -> String {
        let field = if self.category { "cat" } else { "tag" };
        let escaped = self.name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{field}:\"{escaped}\"")
    }
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
            loading: Some(Loading::default()),
            reading_texts: false,
            load_error: None,
            unsaved: 0,
            area: Rect::default(),
            document: None,
            quit_armed: false,
            wrap_requested: None,
        }
    }

    // ----- queries about the state -------------------------------------

    /// The selected article's library index.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// The selected article.
    pub fn selected_article(&self) -> Option<&Article> {
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

    /// The query as shown in the status bar: picked tags, then the search.
    pub fn query_label(&self) -> String {
        let joiner = if self.match_all { " " } else { " or " };
        let picked: Vec<String> = self.picked.iter().map(PickedTerm::term).collect();
        let mut parts = Vec::new();
        if !picked.is_empty() {
            let tags = picked.join(joiner);
            parts.push(if picked.len() > 1 && !self.match_all {
                format!("({tags})")
            } else {
                tags
            });
        }
        if !self.search_text.trim().is_empty() {
            parts.push(self.search_text.trim().to_string());
        }
        if self.bookmarks_only {
            parts.push("is:bookmarked".to_string());
        }
        if self.unread_only {
            parts.push("is:unread".to_string());
        }
        parts.join(" ")
    }

    /// Rows of the list pane available for articles (one is the header).
    pub fn list_rows(&self) -> usize {
        self.panes()
            .list
            .map_or(0, |r| usize::from(r.height).saturating_sub(1))
    }

    /// Lines of the reader pane available for text (one is the header).
    pub fn reader_rows(&self) -> usize {
        self.panes()
            .reader
            .map_or(0, |r| usize::from(r.height).saturating_sub(1))
    }

    /// Columns the reader wraps to (the pane less its border and scrollbar).
    pub fn reader_width(&self) -> usize {
        self.panes()
            .reader
            .map_or(0, |r| usize::from(r.width).saturating_sub(READER_MARGIN))
    }

    /// The terms the reader highlights: the search query's positive words
    /// and phrases.
    pub fn highlight_terms(&self) -> Vec<String> {
        self.search.highlight_terms()
    }

    // ----- effects coming back from the run loop -----------------------

    /// A load finished with everything in it: show the new library,
    /// keeping the selected article (by id) when it is still there.
    pub fn loaded(&mut self, library: Library, marks: Marks) {
        self.marks = marks;
        self.reading_texts = false;
        self.replace_library(library);
    }

    /// The summaries are loaded (the first phase): the list is usable; the
    /// reader and text search wait for [`App::bodies_loaded`].
    pub fn summaries_loaded(&mut self, library: Library, marks: Marks) {
        self.marks = marks;
        self.reading_texts = true;
        self.replace_library(library);
    }

    /// The full texts are loaded (the second phase). The marks stay as
    /// they are: changes made meanwhile are the newest.
    pub fn bodies_loaded(&mut self, library: Library) {
        self.reading_texts = false;
        self.replace_library(library);
    }

    fn replace_library(&mut self, library: Library) {
        let keep = self.selected_article().map(|a| a.id.clone());
        self.library = Arc::new(library);
        self.loading = None;
        self.load_error = None;
        self.sorted = self.library.order(self.sort);
        self.document = None;
        self.refilter_keeping(keep.as_deref());
    }

    /// The folder could not be loaded at all (missing, not a folder): the
    /// list pane says why and what to do; `r` tries again.
    pub fn load_failed(&mut self, message: String) {
        self.loading = None;
        self.reading_texts = false;
        if !self.library.is_empty() {
            // A reload failed: the last good list stays, the status says why.
            self.say(format!("reload failed: {message}"), true);
        }
        self.load_error = Some(message);
    }

    /// Loading progress from the loader thread.
    pub fn progress(&mut self, loading: Loading) {
        if self.loading.is_some() {
            self.loading = Some(loading);
        }
    }

    /// Shows a message in the status bar.
    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.message = Some(Message {
            text: text.into(),
            error,
        });
    }

    /// A save finished; `error` says why it failed (it will be retried).
    pub fn saved(&mut self, error: Option<String>) {
        match error {
            None => self.unsaved = self.unsaved.saturating_sub(1),
            Some(text) => self.say(format!("not saved, retrying: {text}"), true),
        }
    }

    /// The terminal changed size.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.area = Rect::new(0, 0, width, height);
        self.clamp_list();
        self.clamp_reader();
    }

    /// Builds the wrapped document for the selected article at the current
    /// width when the cached one does not fit; call before drawing.
    ///
    /// A long article is wrapped only as far as the view needs (and further
    /// as it scrolls); [`App::take_wrap_job`] hands the whole of it to a
    /// worker, whose result comes back through [`App::wrapped`].
    pub fn prepare(&mut self) {
        let width = self.reader_width();
        let Some(index) = self.selected_index() else {
            self.document = None;
            return;
        };
        let needed = self.reader_scroll + self.reader_rows() * 3 + 1;
        let library = Arc::clone(&self.library);
        let (Some(article), Some(body)) = (library.get(index), library.body(index)) else {
            self.document = None;
            return;
        };
        let fresh = self
            .document
            .as_ref()
            .is_some_and(|d| d.article == index && d.width == width);
        if !fresh && width > 0 {
            let display = &self.config.display;
            self.document = Some(if body.text_bytes() > LONG_ARTICLE_BYTES {
                // Counting the words of a long article waits for the worker.
                let meta = meta_lines(article, display, false);
                Document::build_partial(index, article, body, meta, width, needed)
            } else {
                let meta = meta_lines(article, display, true);
                Document::build(index, article, body, meta, width)
            });
        }
        if let Some(document) = self.document.as_mut().filter(|d| !d.is_complete()) {
            document.wrap_until(body, needed);
        }
        self.clamp_reader();
    }

    /// The whole-article wrap a worker should do now, once per article and
    /// width: the library, the article's index, its details lines and the
    /// width.
    pub fn take_wrap_job(&mut self) -> Option<WrapJob> {
        let document = self.document.as_ref().filter(|d| !d.is_complete())?;
        let key = (document.article, document.width);
        if self.wrap_requested == Some(key) {
            return None;
        }
        self.wrap_requested = Some(key);
        Some(WrapJob {
            library: Arc::clone(&self.library),
            index: key.0,
            display: self.config.display.clone(),
            width: key.1,
        })
    }

    /// A worker finished wrapping a whole article: use it if it is still
    /// the article and width on screen.
    pub fn wrapped(&mut self, document: Document) {
        let current = self
            .document
            .as_ref()
            .is_some_and(|d| d.article == document.article && d.width == document.width);
        if current {
            self.document = Some(document);
            self.clamp_reader();
        }
    }

    /// Wraps the rest of a partly wrapped article now (for a jump to its end).
    fn finish_document(&mut self) {
        let library = Arc::clone(&self.library);
        if let Some(document) = self.document.as_mut().filter(|d| !d.is_complete())
            && let Some(body) = library.body(document.article)
        {
            document.wrap_until(body, usize::MAX);
        }
    }

    /// The reader's details lines: date, categories, tags; file and size;
    /// author, source and url when the article has them.
    pub fn meta_lines(&self, article: &Article) -> Vec<String> {
        meta_lines(article, &self.config.display, true)
    }

    // ----- input -------------------------------------------------------

    /// Handles a key press; returns what the run loop must do.
    pub fn key(&mut self, event: KeyEvent) -> Vec<Effect> {
        let Some(key) = input::key_of(&event) else {
            return Vec::new();
        };
        if self.overlay.is_some() {
            return self.overlay_key(key);
        }
        match self.config.keys.resolve(Mode::Browse, key) {
            Some(action) => self.update(action),
            // Ctrl-C always leaves, whatever the key map says.
            None if key == Key::ctrl('c') => self.update(Action::Quit),
            None => Vec::new(),
        }
    }

    /// The mode keys are resolved in: the open popup's, else browsing.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            None => Mode::Browse,
            Some(Overlay::Search(_)) => Mode::Search,
            Some(Overlay::Help(_)) => Mode::Help,
            Some(Overlay::Tags(_)) => Mode::Tags,
            Some(Overlay::Views(_)) => Mode::Views,
        }
    }

    /// Handles a mouse event: a click selects, the wheel scrolls the pane
    /// under the pointer.
    pub fn mouse(&mut self, event: MouseEvent) -> Vec<Effect> {
        if self.overlay.is_some() {
            return Vec::new();
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
        Vec::new()
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if action != Action::Quit {
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
            Action::Back => self.back(),
            Action::Search => self.open_search(),
            Action::Tags => self.open_tags(),
            Action::Views => self.open_views(),
            Action::ToggleBookmark => return self.toggle_bookmark(),
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
            Action::Help => self.overlay = Some(Overlay::Help(HelpState::default())),
            Action::NextMatch => self.jump_to_match(true),
            Action::PrevMatch => self.jump_to_match(false),
            Action::Quit => return self.quit(),
            // The tag picker's own actions: its keys reach them only there.
            Action::Pick | Action::MatchMode => {}
        }
        Vec::new()
    }

    fn page(&self, rows: usize) -> isize {
        rows.saturating_sub(1).max(1) as isize
    }

    // ----- list --------------------------------------------------------

    fn move_selection(&mut self, by: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        let target = self.selected.saturating_add_signed(by).min(last);
        self.select(target);
    }

    fn select(&mut self, position: usize) {
        let position = position.min(self.visible.len().saturating_sub(1));
        if position != self.selected {
            self.reader_scroll = 0;
        }
        self.selected = position;
        self.clamp_list();
    }

    /// Keeps the selection inside the list and on screen.
    fn clamp_list(&mut self) {
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        let rows = self.list_rows().max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        let max_offset = self.visible.len().saturating_sub(rows);
        self.list_offset = self.list_offset.min(max_offset);
    }

    /// Recomputes the visible articles, keeping the selected one if it is
    /// still there.
    fn refilter(&mut self) {
        let keep = self.selected_article().map(|a| a.id.clone());
        self.refilter_keeping(keep.as_deref());
    }

    fn refilter_keeping(&mut self, keep: Option<&str>) {
        self.visible = self.filter(&self.sorted);
        self.place_selection(keep);
    }

    /// The `candidates` (in order) that pass every filter; the library
    /// splits large lists over the cores.
    fn filter(&self, candidates: &[usize]) -> Vec<usize> {
        self.library
            .filter(candidates, |article| self.shows(article))
    }

    /// Puts the selection back on `keep` (by id) when it is still shown.
    fn place_selection(&mut self, keep: Option<&str>) {
        let position = keep
            .and_then(|id| self.library.position(id))
            .and_then(|index| self.visible.iter().position(|&i| i == index));
        match position {
            Some(position) => {
                if position != self.selected {
                    self.selected = position;
                }
            }
            None => {
                self.reader_scroll = 0;
                if self.focus == Focus::Reader && self.visible.is_empty() {
                    self.focus = Focus::List;
                }
            }
        }
        self.clamp_list();
    }

    fn shows(&self, article: &Article) -> bool {
        (!self.bookmarks_only || self.marks.bookmarked.contains(&article.id))
            && (!self.unread_only || !self.marks.read.contains(&article.id))
            && self.picked_query.matches(article, &self.marks)
            && self.search.matches(article, &self.marks)
    }

    fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
        self.sorted = self.library.order(self.sort);
        self.refilter();
        self.say(format!("sorted by {}", sort_label(self.sort)), false);
    }

    fn clear_filters(&mut self) {
        self.search_text.clear();
        self.search = Query::default();
        self.picked.clear();
        self.picked_query = Query::default();
        self.bookmarks_only = false;
        self.unread_only = false;
        self.refilter();
    }

    // ----- reader ------------------------------------------------------

    fn scroll_reader(&mut self, by: isize) {
        self.reader_scroll = self.reader_scroll.saturating_add_signed(by);
        self.clamp_reader();
    }

    /// Keeps the reader scroll so the last page is full.
    fn clamp_reader(&mut self) {
        let lines = self.document.as_ref().map_or(0, |d| d.lines.len());
        let max = lines.saturating_sub(self.reader_rows().max(1));
        self.reader_scroll = self.reader_scroll.min(max);
    }

    fn open(&mut self) -> Vec<Effect> {
        let Some(article) = self.selected_article() else {
            return Vec::new();
        };
        let id = article.id.clone();
        self.focus = Focus::Reader;
        if self.config.display.mark_read_on_open && !self.marks.read.contains(&id) {
            self.marks.read.insert(id.clone());
            self.unsaved += 1;
            return vec![Effect::SetRead(vec![id], true)];
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
        } else {
            self.message = None;
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

    fn jump_to_match(&mut self, forward: bool) {
        let terms = self.highlight_terms();
        if terms.is_empty() {
            self.say("no search to jump to; press / to search", false);
            return;
        }
        let body = self.selected_index().and_then(|i| self.library.body(i));
        let (Some(document), Some(body)) = (&self.document, body) else {
            return;
        };
        let lines = document.matching_lines(body, &terms);
        let current = self.reader_scroll;
        let target = if forward {
            lines.iter().copied().find(|&l| l > current)
        } else {
            lines.iter().rev().copied().find(|&l| l < current)
        };
        match target {
            Some(line) => {
                self.focus = Focus::Reader;
                self.reader_scroll = line;
                self.clamp_reader();
            }
            None => self.say(
                if forward {
                    "no more matches below"
                } else {
                    "no more matches above"
                },
                false,
            ),
        }
    }

    // ----- marks -------------------------------------------------------

    fn toggle_bookmark(&mut self) -> Vec<Effect> {
        let Some(article) = self.selected_article() else {
            return Vec::new();
        };
        let bookmark = Bookmark::now(article.id.clone(), article.title.clone(), article.date);
        let id = bookmark.id.clone();
        let effect = if self.marks.bookmarked.remove(&id) {
            self.say(format!("removed bookmark: {}", bookmark.title), false);
            Effect::RemoveBookmark(id)
        } else {
            self.say(format!("bookmarked: {}", bookmark.title), false);
            self.marks.bookmarked.insert(id);
            Effect::AddBookmark(bookmark)
        };
        self.unsaved += 1;
        if self.bookmarks_only {
            self.refilter();
        }
        vec![effect]
    }

    fn toggle_read(&mut self) -> Vec<Effect> {
        let Some(article) = self.selected_article() else {
            return Vec::new();
        };
        let id = article.id.clone();
        let read = !self.marks.read.contains(&id);
        if read {
            self.marks.read.insert(id.clone());
        } else {
            self.marks.read.remove(&id);
        }
        self.unsaved += 1;
        if self.unread_only {
            self.refilter();
        }
        vec![Effect::SetRead(vec![id], read)]
    }

    fn reload(&mut self) -> Vec<Effect> {
        self.loading = Some(Loading::default());
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

    // ----- overlays ----------------------------------------------------

    fn open_search(&mut self) {
        self.overlay = Some(Overlay::Search(SearchBox {
            input: self.search_text.clone(),
            previous: self.search_text.clone(),
            error: None,
        }));
    }

    fn open_tags(&mut self) {
        let picked: BTreeSet<PickedTerm> = self.picked.iter().cloned().collect();
        let picker = TagPicker::new(
            &self.library.tag_counts(),
            &self.library.category_counts(),
            picked,
            self.match_all,
        );
        self.overlay = Some(Overlay::Tags(picker));
    }

    fn open_views(&mut self) {
        if self.config.views.is_empty() {
            self.say(
                "no saved views: add some under [views] in the config file",
                false,
            );
            return;
        }
        self.overlay = Some(Overlay::Views(ViewPicker::default()));
    }

    /// A key while a popup is open: Ctrl-C still quits; otherwise the
    /// popup's mode of the key map says what the key does, and a key it
    /// leaves alone edits the popup's text.
    fn overlay_key(&mut self, key: Key) -> Vec<Effect> {
        if key == Key::ctrl('c') {
            self.overlay = None;
            return self.update(Action::Quit);
        }
        let action = self.config.keys.resolve(self.mode(), key);
        let page = POPUP_PAGE as isize;
        match self.overlay.take() {
            Some(Overlay::Search(search)) => self.search_key(search, action, key),
            Some(Overlay::Help(mut help)) => {
                // The help key closes help while nothing is typed.
                let help_key = self.config.keys.keys_for(Action::Help).contains(&key);
                let close = (help_key && help.filter.is_empty())
                    || matches!(action, Some(Action::Back | Action::Open | Action::Help));
                if !close {
                    match action {
                        Some(Action::Down) => help.scroll(1),
                        Some(Action::Up) => help.scroll(-1),
                        Some(Action::PageDown) => help.scroll(page),
                        Some(Action::PageUp) => help.scroll(-page),
                        _ => help.edit(key),
                    }
                    self.overlay = Some(Overlay::Help(help));
                }
            }
            Some(Overlay::Tags(mut picker)) => match action {
                Some(Action::Back) => {}
                Some(Action::Open) => {
                    self.picked = picker.chosen.into_iter().collect();
                    self.match_all = picker.match_all;
                    self.apply_picked();
                }
                other => {
                    match other {
                        Some(Action::Down) => picker.move_by(1),
                        Some(Action::Up) => picker.move_by(-1),
                        Some(Action::PageDown) => picker.move_by(page),
                        Some(Action::PageUp) => picker.move_by(-page),
                        Some(Action::Pick) => picker.toggle_selected(),
                        Some(Action::MatchMode) => picker.switch_match_mode(),
                        _ => picker.edit(key),
                    }
                    self.overlay = Some(Overlay::Tags(picker));
                }
            },
            Some(Overlay::Views(mut picker)) => {
                let count = self.config.views.len();
                match (action, picker.digit(key, count)) {
                    (_, Some(position)) => self.apply_view(position),
                    (Some(Action::Open), _) => self.apply_view(picker.selected),
                    (Some(Action::Back | Action::Quit), _) => {}
                    (other, _) => {
                        match other {
                            Some(Action::Down) => picker.move_by(1, count),
                            Some(Action::Up) => picker.move_by(-1, count),
                            _ => {}
                        }
                        self.overlay = Some(Overlay::Views(picker));
                    }
                }
            }
            None => {}
        }
        Vec::new()
    }

    /// A key in the search prompt: `back` restores the query from before
    /// the prompt, `open` keeps a valid query (an invalid one keeps the
    /// prompt open), other keys edit the query, applied as it is typed.
    fn search_key(&mut self, mut search: SearchBox, action: Option<Action>, key: Key) {
        match action {
            Some(Action::Back) => {
                self.set_search(&search.previous);
                return;
            }
            Some(Action::Open) if search.error.is_none() => return,
            Some(_) => {}
            None => {
                edit_text(&mut search.input, key);
            }
        }
        search.error = self.try_search(&search.input).err();
        self.overlay = Some(Overlay::Search(search));
    }

    /// Applies `text` as the search if it parses; on error the last good
    /// result stays.
    fn try_search(&mut self, text: &str) -> Result<(), QueryError> {
        let parsed = query::parse(text)?;
        if parsed != self.search {
            // Typing on usually narrows the query: then only the articles
            // shown now can match, and only they are searched again.
            let narrows = !self.search.is_empty() && parsed.narrows(&self.search);
            self.search = parsed;
            if narrows {
                let keep = self.selected_article().map(|a| a.id.clone());
                self.visible = self.filter(&self.visible);
                self.place_selection(keep.as_deref());
            } else {
                self.refilter();
            }
        }
        self.search_text = text.to_string();
        Ok(())
    }

    fn set_search(&mut self, text: &str) {
        if self.try_search(text).is_err() {
            self.search_text.clear();
            self.search = Query::default();
            self.refilter();
        }
    }

    fn apply_picked(&mut self) {
        let joiner = if self.match_all { " " } else { " or " };
        let text: Vec<String> = self.picked.iter().map(PickedTerm::term).collect();
        match query::parse(&text.join(joiner)) {
            Ok(query) => self.picked_query = query,
            Err(error) => self.say(format!("tag filter: {error}"), true),
        }
        self.refilter();
    }

    fn apply_view(&mut self, position: usize) {
        let Some(view) = self.config.views.get(position) else {
            return;
        };
        let (name, text) = (view.name.clone(), view.query.clone());
        self.picked.clear();
        self.picked_query = Query::default();
        self.bookmarks_only = false;
        self.unread_only = false;
        match self.try_search(&text) {
            Ok(()) => self.say(format!("view: {name}"), false),
            Err(error) => self.say(format!("view {name}: {error}"), true),
        }
    }
}

/// The reader pane's columns that are not text: the rule on the left, a
/// space on each side of the text, and the scrollbar.
pub const READER_MARGIN: usize = 4;

fn sort_label(sort: SortOrder) -> &'static str {
    match sort {
        SortOrder::Date => "date, newest first",
        SortOrder::Oldest => "date, oldest first",
        SortOrder::Title => "title",
    }
}

/// Whether `find_matches` finds anything: used by the view for highlights.
pub fn has_match(text: &str, terms: &[String]) -> bool {
    !find_matches(text, terms).is_empty()
}
