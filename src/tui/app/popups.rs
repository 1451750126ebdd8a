//! The App's side of the popups (`crate::tui::popups`): opening them,
//! handing the open one its keys, and carrying out what it asks, which
//! changes the App's own state (the search, the tag filter, the marks) or
//! asks the run loop for an effect.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::keys::{Action, Key};
use crate::library::query::Query;
use crate::tui::popups::messages::LOG_LIMIT;
use crate::tui::popups::{
    EditKind, HelpState, LoggedMessage, MessagesPopup, Overlay, PickedTerm, Request, SearchBox,
    TagPicker, ViewPicker,
};

use super::{App, Effect};

impl App {
    pub(super) fn open_search(&mut self) {
        self.overlay = Some(Overlay::Search(SearchBox::new(&self.search_text)));
    }

    pub(super) fn open_help(&mut self) {
        self.overlay = Some(Overlay::Help(HelpState::default()));
    }

    pub(super) fn open_tags(&mut self) {
        let picked: BTreeSet<PickedTerm> = self.picked.iter().cloned().collect();
        let picker = TagPicker::new(
            &self.library.tag_counts(),
            &self.library.category_counts(),
            picked,
            self.match_all,
        );
        self.overlay = Some(Overlay::Tags(picker));
    }

    /// The message log, at the newest message.
    pub(super) fn open_messages(&mut self) {
        let log = MessagesPopup::new(self.log.clone());
        self.overlay = Some(Overlay::Messages(log));
    }

    /// Keeps a message for the log (the newest [`LOG_LIMIT`]), with the
    /// time it came; an open log shows it at once.
    pub(super) fn log_message(&mut self, text: &str, error: bool) {
        let message = LoggedMessage {
            time: self.local_now().format("%H:%M:%S").to_string(),
            text: text.to_string(),
            error,
        };
        if let Some(Overlay::Messages(open)) = &mut self.overlay {
            open.push(message.clone());
        }
        self.log.push(message);
        if self.log.len() > LOG_LIMIT {
            self.log.remove(0);
        }
    }

    pub(super) fn open_views(&mut self) {
        if self.config.views.is_empty() {
            self.say(
                "no saved views: add some under [views] in the config file",
                false,
            );
            return;
        }
        self.overlay = Some(Overlay::Views(ViewPicker::default()));
    }

    /// A key while a popup is open. The rules every popup shares come
    /// first: Ctrl-C and `hard_quit` quit; `quit` closes the popup and
    /// never the reader (where a letter is text it does not reach here).
    /// Otherwise the popup's mode of the key map says what the key does,
    /// and the popup answers whether it stays open and what the App is to
    /// do.
    pub(super) fn overlay_key(&mut self, key: Key, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(mut overlay) = self.overlay.take() else {
            return Vec::new();
        };
        let popup = overlay.popup_mut();
        let action = self.config.keys.resolve(popup.mode(), key);
        if key == Key::ctrl('c') || action == Some(Action::HardQuit) {
            return self.update(Action::HardQuit, now);
        }
        if action == Some(Action::Quit) {
            return Vec::new();
        }
        let reply = popup.key(action, key, &self.config);
        if !reply.close {
            self.overlay = Some(overlay);
        }
        match reply.request {
            Some(request) => self.carry_out(request, now),
            None => Vec::new(),
        }
    }

    /// Does what a popup asked.
    fn carry_out(&mut self, request: Request, now: DateTime<Utc>) -> Vec<Effect> {
        match request {
            Request::Search(text) => self.set_search(&text),
            Request::Tags { chosen, match_all } => {
                self.picked = chosen.into_iter().collect();
                self.match_all = match_all;
                self.apply_picked();
            }
            Request::View(position) => self.apply_view(position),
            Request::FetchFeeds => return self.fetch_feeds(),
            Request::Feed(ask) => return self.feed_asked(ask),
            Request::OpenUrl(url) => return self.open_url(url),
            Request::CopyUrl(url) => return self.copy_url(url),
            Request::Play(url) => return self.play_url(url),
            Request::Edit(edit) => {
                return match edit.kind {
                    EditKind::Tags => self.apply_tags(&edit),
                    EditKind::Note => self.apply_note(&edit, now),
                };
            }
            Request::Quit => return self.update(Action::HardQuit, now),
        }
        Vec::new()
    }

    pub(super) fn apply_view(&mut self, position: usize) {
        let Some(view) = self.config.views.get(position) else {
            return;
        };
        let (name, text) = (view.name.clone(), view.query.clone());
        self.picked.clear();
        self.picked_query = Query::default();
        self.bookmarks_only = false;
        self.unread_only = false;
        // A saved view is a list of its own, not a narrowing of a feed's.
        self.feeds.shown = None;
        match self.try_search(&text) {
            Ok(()) => self.say(format!("view: {name}"), false),
            Err(error) => self.say(format!("view {name}: {error}"), true),
        }
    }
}
