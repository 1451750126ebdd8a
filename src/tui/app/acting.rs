//! Acting on what is read: opening the article's link or one of its
//! numbered links in the browser (or the links popup to choose from),
//! copying one to the clipboard, playing its enclosure with the player.
//! Addresses are checked here, once, before any effect is asked for: only
//! http, https and mailto leave the program, and only http and https are
//! played.

use crate::tui::links::{check_openable, check_playable};
use crate::tui::popups::{LinksPopup, Overlay};

use super::{App, Effect};

/// The label of an enclosure in the links popup, before its number.
const ENCLOSURE: &str = "▶";

impl App {
    /// The selected article, once it has been read from its file.
    fn read_article(&self) -> Option<&crate::article::Article> {
        let opened = self
            .opened
            .as_ref()
            .filter(|o| Some(o.index) == self.selected_index())?;
        opened.article.as_ref().ok().map(|article| &**article)
    }

    /// The selected article's links: its own address (from its front
    /// matter), then the links its body numbers, then its enclosures
    /// (`▶ 1`, `▶ 2`…). Empty until the article has been read from its
    /// file.
    fn article_links(&self) -> Vec<(String, String)> {
        let Some(article) = self.read_article() else {
            return Vec::new();
        };
        let own = article
            .url
            .iter()
            .map(|url| ("article".to_string(), url.clone()));
        let numbered = article
            .links
            .iter()
            .enumerate()
            .map(|(n, url)| ((n + 1).to_string(), url.clone()));
        let enclosures = article
            .enclosures
            .iter()
            .enumerate()
            .map(|(n, enclosure)| (format!("{ENCLOSURE} {}", n + 1), enclosure.url.clone()));
        own.chain(numbered).chain(enclosures).collect()
    }

    /// `p`: the article's enclosure played; with several, the links popup
    /// on the first of them, to choose.
    pub(super) fn play_enclosure(&mut self) -> Vec<Effect> {
        let enclosures: Vec<String> = self
            .read_article()
            .map(|article| article.enclosures.iter().map(|e| e.url.clone()).collect())
            .unwrap_or_default();
        match enclosures.as_slice() {
            [] => {
                self.say("this article has no enclosure to play", false);
                Vec::new()
            }
            [url] => self.play_url(url.clone()),
            _ => {
                let links = self.article_links();
                let first = links.len() - enclosures.len();
                let mut popup = LinksPopup::new(links);
                popup.selected = first;
                self.overlay = Some(Overlay::Links(popup));
                self.say("several enclosures: p plays the one chosen", false);
                Vec::new()
            }
        }
    }

    /// Asks for `url` to be played, once it passes the check (http or
    /// https only).
    pub(super) fn play_url(&mut self, url: String) -> Vec<Effect> {
        match check_playable(&url) {
            Ok(()) => {
                self.say(format!("playing {url}"), false);
                vec![Effect::Play(url)]
            }
            Err(why) => {
                self.say(why, true);
                Vec::new()
            }
        }
    }

    /// `o`: the article's own address in the browser; without one, the
    /// links popup to choose from.
    pub(super) fn open_link(&mut self) -> Vec<Effect> {
        let links = self.article_links();
        match links.first() {
            Some((label, url)) if label == "article" => self.open_url(url.clone()),
            Some(_) => {
                self.show_links_of(links);
                Vec::new()
            }
            None => {
                self.say("this article has no links", false);
                Vec::new()
            }
        }
    }

    /// `y`: the article's own address (else its first link) to the
    /// clipboard.
    pub(super) fn copy_link(&mut self) -> Vec<Effect> {
        match self.article_links().first() {
            Some((_, url)) => self.copy_url(url.clone()),
            None => {
                self.say("this article has no links", false);
                Vec::new()
            }
        }
    }

    /// `O`: the popup of the article's links.
    pub(super) fn show_links(&mut self) {
        let links = self.article_links();
        if links.is_empty() {
            self.say("this article has no links", false);
        } else {
            self.show_links_of(links);
        }
    }

    fn show_links_of(&mut self, links: Vec<(String, String)>) {
        self.overlay = Some(Overlay::Links(LinksPopup::new(links)));
    }

    /// Asks for `url` to be opened, once it passes the check.
    pub(super) fn open_url(&mut self, url: String) -> Vec<Effect> {
        self.once_checked(url, "opening", Effect::OpenUrl)
    }

    /// Asks for `url` to go to the clipboard, once it passes the check.
    pub(super) fn copy_url(&mut self, url: String) -> Vec<Effect> {
        self.once_checked(url, "copied", Effect::Copy)
    }

    /// `effect` of `url` when it may leave the program (said as `what`),
    /// else why not.
    fn once_checked(
        &mut self,
        url: String,
        what: &str,
        effect: fn(String) -> Effect,
    ) -> Vec<Effect> {
        match check_openable(&url) {
            Ok(()) => {
                self.say(format!("{what} {url}"), false);
                vec![effect(url)]
            }
            Err(why) => {
                self.say(why, true);
                Vec::new()
            }
        }
    }
}
