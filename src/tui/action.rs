//! What a key press asks the reader to do.
//!
//! The `[keys]` table of the config file maps these actions, by their
//! snake_case names, to keys; the help screen lists them in [`Action::ALL`]
//! order with [`Action::description`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// Something the user can ask the reader to do with a key. Each variant's
/// doc is its [`Action::description`], as the help screen shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Next article, or scroll down a line.
    Down,
    /// Previous article, or scroll up a line.
    Up,
    /// First article, or top of the article.
    Top,
    /// Last article, or end of the article.
    Bottom,
    /// Down one page.
    PageDown,
    /// Up one page.
    PageUp,
    /// Open the selected article.
    Open,
    /// Move focus between list and article.
    SwitchFocus,
    /// Go back: close the article, prompt or overlay.
    Back,
    /// Search (filter the list with a query).
    Search,
    /// Filter by tag.
    Tags,
    /// Choose a saved view.
    Views,
    /// Bookmark or unbookmark the article.
    ToggleBookmark,
    /// Show only bookmarked articles (toggle).
    BookmarksOnly,
    /// Mark the article read or unread.
    ToggleRead,
    /// Show only unread articles (toggle).
    UnreadOnly,
    /// Sort: newest, oldest, title (cycle).
    CycleSort,
    /// Clear search and filters.
    ClearFilters,
    /// Reload the articles folder.
    Reload,
    /// Article full screen (toggle).
    Fullscreen,
    /// Show or hide this help.
    Help,
    /// Next search match in the article.
    NextMatch,
    /// Previous search match in the article.
    PrevMatch,
    /// Quit.
    Quit,
}

impl Action {
    /// Every action, in the order the help screen lists them.
    pub const ALL: &[Action] = &[
        Action::Down,
        Action::Up,
        Action::Top,
        Action::Bottom,
        Action::PageDown,
        Action::PageUp,
        Action::Open,
        Action::SwitchFocus,
        Action::Back,
        Action::Search,
        Action::Tags,
        Action::Views,
        Action::ToggleBookmark,
        Action::BookmarksOnly,
        Action::ToggleRead,
        Action::UnreadOnly,
        Action::CycleSort,
        Action::ClearFilters,
        Action::Reload,
        Action::Fullscreen,
        Action::Help,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Quit,
    ];

    /// The action's name as written in the `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Action::Down => "down",
            Action::Up => "up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Open => "open",
            Action::SwitchFocus => "switch_focus",
            Action::Back => "back",
            Action::Search => "search",
            Action::Tags => "tags",
            Action::Views => "views",
            Action::ToggleBookmark => "toggle_bookmark",
            Action::BookmarksOnly => "bookmarks_only",
            Action::ToggleRead => "toggle_read",
            Action::UnreadOnly => "unread_only",
            Action::CycleSort => "cycle_sort",
            Action::ClearFilters => "clear_filters",
            Action::Reload => "reload",
            Action::Fullscreen => "fullscreen",
            Action::Help => "help",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::Quit => "quit",
        }
    }

    /// One line saying what the action does, as the help screen shows it.
    pub fn description(self) -> &'static str {
        match self {
            Action::Down => "Next article, or scroll down a line",
            Action::Up => "Previous article, or scroll up a line",
            Action::Top => "First article, or top of the article",
            Action::Bottom => "Last article, or end of the article",
            Action::PageDown => "Down one page",
            Action::PageUp => "Up one page",
            Action::Open => "Open the selected article",
            Action::SwitchFocus => "Move focus between list and article",
            Action::Back => "Go back: close the article, prompt or overlay",
            Action::Search => "Search (filter the list with a query)",
            Action::Tags => "Filter by tag",
            Action::Views => "Choose a saved view",
            Action::ToggleBookmark => "Bookmark or unbookmark the article",
            Action::BookmarksOnly => "Show only bookmarked articles (toggle)",
            Action::ToggleRead => "Mark the article read or unread",
            Action::UnreadOnly => "Show only unread articles (toggle)",
            Action::CycleSort => "Sort: newest, oldest, title (cycle)",
            Action::ClearFilters => "Clear search and filters",
            Action::Reload => "Reload the articles folder",
            Action::Fullscreen => "Article full screen (toggle)",
            Action::Help => "Show or hide this help",
            Action::NextMatch => "Next search match in the article",
            Action::PrevMatch => "Previous search match in the article",
            Action::Quit => "Quit",
        }
    }

    /// The action with this `[keys]` name, if any (exact, snake_case).
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn all_lists_every_action_once() {
        let unique: HashSet<Action> = Action::ALL.iter().copied().collect();
        assert_eq!(unique.len(), Action::ALL.len());
        assert_eq!(Action::ALL.len(), 24);
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for &action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(action));
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.name()));
        }
        assert_eq!(Action::from_name("PageDown"), None);
        assert_eq!(Action::from_name(""), None);
    }

    #[test]
    fn every_action_has_a_description() {
        for &action in Action::ALL {
            assert!(!action.description().is_empty(), "{action}");
        }
    }
}
