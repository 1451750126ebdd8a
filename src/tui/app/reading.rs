//! The open article: read from its file when selected, its wrapped
//! document (built once per width, long articles in part at once and whole
//! on a worker), the details lines, scrolling and jumping between search
//! matches.

use std::sync::Arc;

use ratatui::layout::Rect;

use crate::article::Article;
use crate::tui::document::{Document, Found};
use crate::tui::layout;

use super::opened::{ArticleMatches, LONG_ARTICLE_BYTES, MatchCount, Opened, WrapJob, meta_lines};
use super::{App, Focus};

impl App {
    /// Lines of the reader pane available for text (one is the header).
    pub fn reader_rows(&self) -> usize {
        self.panes()
            .reader
            .map_or(0, |pane| usize::from(self.reader_parts(pane).text.height))
    }

    /// Columns the reader wraps to (the pane less its rule, margins and
    /// scrollbar, and at most `max_width`).
    pub(crate) fn reader_width(&self) -> usize {
        self.panes()
            .reader
            .map_or(0, |pane| usize::from(self.reader_parts(pane).text.width))
    }

    /// Where the reader pane's parts go, with the configured text width.
    pub(crate) fn reader_parts(&self, pane: Rect) -> layout::ReaderParts {
        layout::reader_parts(pane, self.config.display.max_width)
    }

    /// The terms the reader highlights: the search query's positive words
    /// and phrases.
    pub fn highlight_terms(&self) -> Vec<String> {
        self.search.highlight_terms()
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
        let Some(article) = self.read_open(index) else {
            self.document = None;
            return;
        };
        let body = article.body();
        let fresh = self
            .document
            .as_ref()
            .is_some_and(|d| d.article == index && d.width == width);
        if !fresh && width > 0 {
            let display = &self.config.display;
            let own = self.own_lines(&article.id);
            self.document = Some(if body.text_bytes() > LONG_ARTICLE_BYTES {
                // Counting the words of a long article waits for the worker.
                let mut meta = meta_lines(&article, display, false);
                meta.extend(own);
                Document::build_partial(index, &article, body, meta, width, needed)
            } else {
                let mut meta = meta_lines(&article, display, true);
                meta.extend(own);
                Document::build(index, &article, body, meta, width)
            });
        }
        if let Some(document) = self.document.as_mut().filter(|d| !d.is_complete()) {
            document.wrap_until(body, needed);
        }
        self.clamp_reader();
        self.find_matches();
    }

    /// Finds the search matches in the open article again when the
    /// article, its wrapping or the query changed since they were found.
    fn find_matches(&mut self) {
        let terms = self.highlight_terms();
        let article = self.opened_article();
        let (Some(document), Some(article)) = (&self.document, article) else {
            self.matches = ArticleMatches::default();
            return;
        };
        if terms.is_empty() {
            // No search: nothing to count, nothing jumped to.
            self.matches = ArticleMatches::default();
            return;
        }
        let key = (
            document.id().to_string(),
            document.width,
            document.lines.len(),
            terms,
        );
        if self.matches.key.as_ref() != Some(&key) {
            self.matches.found = document.matches(article.body(), &key.3);
            self.matches.key = Some(key);
        }
    }

    /// The search matches of the open article, as of the last
    /// [`App::prepare`]; `None` without a search.
    pub fn match_count(&self) -> Option<MatchCount> {
        self.matches.key.as_ref()?;
        Some(MatchCount {
            total: self.matches.found.len(),
            current: self.current_match_index(),
            complete: self.document.as_ref().is_some_and(Document::is_complete),
        })
    }

    /// The match jumped to last, when it is in the article on screen.
    pub(crate) fn current_match(&self) -> Option<&Found> {
        self.current_match_index()
            .and_then(|index| self.matches.found.get(index))
    }

    fn current_match_index(&self) -> Option<usize> {
        let (id, place) = self.matches.current.as_ref()?;
        if self.document.as_ref()?.id() != id {
            return None;
        }
        self.matches
            .found
            .iter()
            .position(|found| found.at == *place)
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
        let article = self.opened_article()?;
        self.wrap_requested = Some(key);
        Some(WrapJob {
            own: self.own_lines(&article.id),
            article,
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
            .is_some_and(|d| d.same_layout(&document));
        if current {
            self.document = Some(document);
            self.clamp_reader();
        }
    }

    /// Wraps the rest of a partly wrapped article now (for a jump to its end).
    pub(super) fn finish_document(&mut self) {
        let article = self.opened_article();
        if let Some(document) = self.document.as_mut().filter(|d| !d.is_complete())
            && let Some(article) = article
        {
            document.wrap_until(article.body(), usize::MAX);
        }
    }

    /// The article at `index` read whole, from the last read when it is
    /// the same one, else from its file now (a few kilobytes: the one
    /// article on screen). `None` when it cannot be read; the reader pane
    /// then says why ([`App::open_error`]).
    fn read_open(&mut self, index: usize) -> Option<Arc<Article>> {
        if self.opened.as_ref().is_none_or(|o| o.index != index) {
            let max_size = self.config.library.max_article_size;
            let article = match self.library.read_whole(index, max_size) {
                Some(Ok(article)) => Ok(Arc::new(article)),
                Some(Err(warning)) => Err(warning.to_string()),
                None => Err("no such article".to_string()),
            };
            self.opened = Some(Opened { index, article });
        }
        self.opened_article()
    }

    /// The selected article as last read, when it could be read.
    pub(crate) fn opened_article(&self) -> Option<Arc<Article>> {
        let opened = self.opened.as_ref()?;
        if Some(opened.index) != self.selected_index() {
            return None;
        }
        opened.article.as_ref().ok().map(Arc::clone)
    }

    /// Why the selected article's file could not be read, when it could
    /// not.
    pub fn open_error(&self) -> Option<&str> {
        let opened = self.opened.as_ref()?;
        if Some(opened.index) != self.selected_index() {
            return None;
        }
        opened.article.as_ref().err().map(String::as_str)
    }

    /// The reader's details lines: date, categories, tags; file and size;
    /// author, source and url when the article has them; the person's own
    /// tags and note.
    pub fn meta_lines(&self, article: &Article) -> Vec<String> {
        let mut lines = meta_lines(article, &self.config.display, true);
        lines.extend(self.own_lines(&article.id));
        lines
    }

    /// `your tags: +later, +to share` and `note: …`, for those the article
    /// has: the person's own, set apart from the article's.
    pub(crate) fn own_lines(&self, id: &str) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(tags) = self.marks.tags.get(id).filter(|t| !t.is_empty()) {
            let tags: Vec<String> = tags.iter().map(|t| format!("+{t}")).collect();
            lines.push(format!("your tags: {}", tags.join(", ")));
        }
        if let Some(note) = self.marks.notes.get(id) {
            lines.push(format!("note: {note}"));
        }
        lines
    }

    /// Scrolls the reader so `line` is its first line (within the
    /// article's bounds).
    pub fn scroll_reader_to(&mut self, line: usize) {
        self.reader_scroll = line;
        self.clamp_reader();
    }

    /// Drops the laid-out article, so the next [`App::prepare`] lays it out
    /// again from the start (as after opening it); returns it.
    pub fn take_document(&mut self) -> Option<Document> {
        self.wrap_requested = None;
        self.document.take()
    }

    pub(super) fn scroll_reader(&mut self, by: isize) {
        self.reader_scroll = self.reader_scroll.saturating_add_signed(by);
        self.clamp_reader();
    }

    /// Keeps the reader scroll so the last page is full.
    pub(super) fn clamp_reader(&mut self) {
        let lines = self.document.as_ref().map_or(0, |d| d.lines.len());
        let max = lines.saturating_sub(self.reader_rows().max(1));
        self.reader_scroll = self.reader_scroll.min(max);
    }

    /// Goes to the next (or previous) search match: after the one jumped
    /// to last while it is on screen, else from the top of the screen. The
    /// reader scrolls only when the match is off screen, to put its line
    /// at the top.
    pub(super) fn jump_to_match(&mut self, forward: bool) {
        if self.highlight_terms().is_empty() {
            self.say("no search to jump to; press / to search", false);
            return;
        }
        self.find_matches();
        let mut target = self.match_target(forward);
        if target.is_none() && forward && self.document.as_ref().is_some_and(|d| !d.is_complete()) {
            // The rest of a long article may hold the next match.
            self.finish_document();
            self.find_matches();
            target = self.match_target(forward);
        }
        let Some(found) = target.and_then(|index| self.matches.found.get(index)) else {
            self.say(
                if forward {
                    "no more matches below"
                } else {
                    "no more matches above"
                },
                false,
            );
            return;
        };
        let (line, place) = (found.line, found.at);
        let id = self.document.as_ref().map(|d| d.id().to_string());
        self.matches.current = id.map(|id| (id, place));
        self.focus = Focus::Reader;
        if !self.line_on_screen(line) {
            self.reader_scroll = line;
            self.clamp_reader();
        }
    }

    /// The index of the match `n` (or `N`) goes to, if there is one.
    fn match_target(&self, forward: bool) -> Option<usize> {
        let found = &self.matches.found;
        let on_screen = self
            .current_match_index()
            .filter(|&index| self.line_on_screen(found[index].line));
        match (on_screen, forward) {
            (Some(index), true) => Some(index + 1).filter(|&next| next < found.len()),
            (Some(index), false) => index.checked_sub(1),
            (None, true) => found.iter().position(|f| f.line >= self.reader_scroll),
            (None, false) => found.iter().rposition(|f| f.line < self.reader_scroll),
        }
    }

    /// Whether the reader shows line `line` of the article.
    fn line_on_screen(&self, line: usize) -> bool {
        (self.reader_scroll..self.reader_scroll + self.reader_rows()).contains(&line)
    }
}
