//! [`Action`]: what a key can ask the reader to do, defined once in the
//! table of [`actions!`]: its `[keys]` name, its help text, its default keys
//! and the modes it works in. Names, help, default key map, the `[keys]`
//! documentation of config.toml and the README's key table all come from
//! (or are checked against) this table.

use std::fmt;

/// Where the keys go: the list and the reader, or one of the popups. Each
/// mode resolves keys with its own map (see [`crate::keys::Keymap`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The list and the reader, no popup open.
    Browse,
    /// The search prompt: typing edits the query.
    Search,
    /// The help popup: the arrows scroll; the filter is typed after the
    /// search key (then in [`Mode::Search`]).
    Help,
    /// The tag picker: typing narrows the tags.
    Tags,
    /// The saved views picker.
    Views,
    /// The feeds view: each feed, its articles and its last fetch.
    Feeds,
    /// The links popup: the article's address and its numbered links.
    Links,
    /// The message log: every message of the session.
    Messages,
}

impl Mode {
    /// Every mode.
    pub const ALL: &[Mode] = &[
        Mode::Browse,
        Mode::Search,
        Mode::Help,
        Mode::Tags,
        Mode::Views,
        Mode::Feeds,
        Mode::Links,
        Mode::Messages,
    ];

    /// Whether typing in this mode edits text (a query or a filter): then
    /// plain characters, Backspace, Ctrl-U and Ctrl-W edit, readline style,
    /// and only the mode's own actions may take a plain character.
    pub(crate) fn takes_text(self) -> bool {
        matches!(self, Mode::Search | Mode::Tags)
    }

    /// Where the mode sits in [`Mode::ALL`].
    pub(crate) fn slot(self) -> usize {
        self as usize
    }

    /// How the help names the mode.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Browse => "list and reader",
            Mode::Search => "search prompt",
            Mode::Help => "help",
            Mode::Tags => "tag picker",
            Mode::Views => "views picker",
            Mode::Feeds => "feeds view",
            Mode::Links => "links popup",
            Mode::Messages => "message log",
        }
    }
}

/// One row of the action table.
#[derive(Debug)]
pub(crate) struct ActionSpec {
    name: &'static str,
    help: &'static str,
    keys: &'static [&'static str],
    modes: &'static [Mode],
}

/// Defines [`Action`] and its table from one list: for each action its
/// variant, `[keys]` name, default keys (as the config file spells them),
/// the modes it works in, and its help text (which is also the variant's
/// doc). Adding an action is one row here and one arm in `App::update`.
macro_rules! actions {
    ($($variant:ident $name:literal [$($key:literal),*] [$($mode:ident),+] $help:literal;)+) => {
        /// Something the user can ask the reader to do with a key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $(#[doc = $help] $variant,)+
        }

        impl Action {
            /// Every action, in the order the help screen lists them.
            pub const ALL: &[Action] = &[$(Action::$variant),+];
        }

        /// The table, in [`Action::ALL`] order.
        const SPECS: &[ActionSpec] = &[$(ActionSpec {
            name: $name,
            help: $help,
            keys: &[$($key),*],
            modes: &[$(Mode::$mode),+],
        }),+];
    };
}

actions! {
    Down "down" ["j", "down", "ctrl-n"] [Browse, Help, Tags, Views, Feeds, Links, Messages]
        "Next article, or scroll down a line";
    Up "up" ["k", "up", "ctrl-p"] [Browse, Help, Tags, Views, Feeds, Links, Messages]
        "Previous article, or scroll up a line";
    Top "top" ["g", "home"] [Browse, Help, Messages]
        "First article, or top of the article";
    Bottom "bottom" ["G", "end"] [Browse, Help, Messages]
        "Last article, or end of the article";
    PageDown "page_down" ["pagedown", "ctrl-d", "space"] [Browse, Help, Tags, Feeds, Messages]
        "Down one page";
    PageUp "page_up" ["pageup", "ctrl-u"] [Browse, Help, Tags, Feeds, Messages]
        "Up one page";
    Open "open" ["enter"] [Browse, Search, Help, Tags, Views, Feeds, Links]
        "Open the selected article";
    SwitchFocus "switch_focus" ["tab"] [Browse]
        "Move focus between list and article";
    Back "back" ["esc", "h"] [Browse, Search, Help, Tags, Views, Feeds, Links, Messages]
        "Go back: close the article, prompt or popup (never quits)";
    Search "search" ["/"] [Browse, Help]
        "Search (filter the list with a query); in help, type a filter";
    Tags "tags" ["t"] [Browse]
        "Filter by tag";
    Views "views" ["v"] [Browse]
        "Choose a saved view";
    ToggleBookmark "toggle_bookmark" ["b"] [Browse]
        "Bookmark or unbookmark the article";
    BookmarksOnly "bookmarks_only" ["B"] [Browse]
        "Show only bookmarked articles (toggle)";
    ToggleRead "toggle_read" ["u"] [Browse]
        "Mark the article read or unread";
    UnreadOnly "unread_only" ["U"] [Browse]
        "Show only unread articles (toggle)";
    CycleSort "cycle_sort" ["s"] [Browse]
        "Sort: newest, oldest, title (cycle)";
    ClearFilters "clear_filters" ["c"] [Browse]
        "Clear search and filters";
    Reload "reload" ["r"] [Browse]
        "Reload the articles folder";
    Fullscreen "fullscreen" ["z"] [Browse]
        "Article full screen (toggle)";
    Help "help" ["?"] [Browse, Help]
        "Show or hide this help";
    NextMatch "next_match" ["n"] [Browse]
        "Next search match in the article";
    PrevMatch "prev_match" ["N"] [Browse]
        "Previous search match in the article";
    Pick "pick" ["space"] [Tags]
        "Tag picker: pick or unpick a tag";
    MatchMode "match_mode" ["tab"] [Tags]
        "Tag picker: match any or all picked tags";
    Feeds "show_feeds" ["f"] [Browse]
        "Feeds view: each feed's unread and total articles and last fetch; enter shows its articles";
    FetchFeeds "fetch_feeds" ["F"] [Browse, Feeds]
        "Fetch every feed into the articles folder, in the background";
    FetchFeed "fetch_feed" ["r"] [Feeds]
        "Feeds view: fetch the selected feed, in the background";
    MarkFeedRead "mark_feed_read" ["A"] [Feeds]
        "Feeds view: mark every article of the selected feed read (undo takes it back)";
    FullText "full_text" ["T"] [Browse]
        "Fetch the article's page and keep its full text in the article";
    OpenLink "open_link" ["o"] [Browse, Links]
        "Open the article's link in the browser (or choose among its links)";
    ShowLinks "show_links" ["O"] [Browse]
        "Links: the article's address and its numbered links, to open or copy";
    CopyLink "copy_link" ["y"] [Browse, Links]
        "Copy the article's link to the clipboard";
    PlayEnclosure "play_enclosure" ["p"] [Browse, Links]
        "Play the article's enclosure (podcast, video) with the player; in the links popup, the selected address";
    MarkAllRead "mark_all_read" ["A"] [Browse]
        "Mark every article shown as read";
    Undo "undo" ["Z"] [Browse]
        "Undo the last change to bookmarks, read marks, tags or notes (again for more)";
    EditTags "edit_tags" ["+"] [Browse]
        "Your own tags on the article (or the picked ones): a, b, -c";
    EditNote "edit_note" ["e"] [Browse]
        "Write or change the article's bookmark note (bookmarks it)";
    ToggleSelect "toggle_select" ["x"] [Browse]
        "Pick or unpick the article and move down; b, u and tags then act on all picked";
    SelectAll "select_all" ["X"] [Browse]
        "Pick every article shown (again: unpick them)";
    InvertSelection "invert_selection" ["*"] [Browse]
        "Pick the articles shown that are not picked, unpick the others";
    NextArticle "next_article" ["J"] [Browse]
        "Next article, also while reading it";
    PrevArticle "prev_article" ["K"] [Browse]
        "Previous article, also while reading it";
    NextUnread "next_unread" ["]"] [Browse]
        "Next unread article, from the top after the last";
    Messages "messages" ["M"] [Browse, Messages]
        "Message log: every message of the session, whole, newest last";
    Quit "quit" ["q"] [Browse, Help, Views, Feeds, Links, Messages]
        "Go back one level (close the popup or the article); quit from the list";
    HardQuit "hard_quit" ["Q", "ctrl-c"] [Browse, Search, Help, Tags, Views, Feeds, Links, Messages]
        "Quit from anywhere (in a typed filter or prompt: ctrl-c)";
}

impl Action {
    fn spec(self) -> &'static ActionSpec {
        // The table is built in the enum's order, so the discriminant is
        // the row.
        &SPECS[self as usize]
    }

    /// The action's name as written in the `[keys]` table.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// One line saying what the action does, as the help screen shows it.
    pub fn description(self) -> &'static str {
        self.spec().help
    }

    /// The default keys, spelt as in the config file, most prominent first.
    pub(crate) fn default_spellings(self) -> &'static [&'static str] {
        self.spec().keys
    }

    /// The modes in which the action's keys work.
    pub fn modes(self) -> &'static [Mode] {
        self.spec().modes
    }

    /// Whether the action works in `mode`.
    pub(crate) fn works_in(self, mode: Mode) -> bool {
        self.modes().contains(&mode)
    }

    /// Whether the action belongs to one popup alone (the tag picker's
    /// `pick`): its keys come before the shared actions' keys and before
    /// typing there.
    pub(crate) fn is_own(self) -> bool {
        matches!(self.modes(), [mode] if *mode != Mode::Browse)
    }

    /// The action with this `[keys]` name, if any (exact, snake_case).
    pub(crate) fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The `[keys]` entries of the bundled config.toml: for each action its help
/// as a comment and its default keys, in table order. A test checks that
/// config.toml holds exactly this text.
pub fn config_doc() -> String {
    let mut out = String::new();
    for &action in Action::ALL {
        let keys: Vec<String> = action
            .default_spellings()
            .iter()
            .map(|k| format!("\"{k}\""))
            .collect();
        out.push_str(&format!(
            "# {}.\n{} = [{}]\n",
            action.description(),
            action.name(),
            keys.join(", ")
        ));
    }
    out
}

/// The README's key table: one row per action with its default keys in
/// backticks. A test checks that the README holds exactly this text.
pub fn readme_table() -> String {
    let mut out = String::from("| action | default keys | what it does |\n| --- | --- | --- |\n");
    for &action in Action::ALL {
        let keys: Vec<String> = action
            .default_spellings()
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            action.name(),
            keys.join(" "),
            action.description()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn all_lists_every_action_once_in_table_order() {
        let unique: HashSet<Action> = Action::ALL.iter().copied().collect();
        assert_eq!(unique.len(), Action::ALL.len());
        assert_eq!(SPECS.len(), Action::ALL.len());
        for (row, &action) in Action::ALL.iter().enumerate() {
            assert_eq!(action as usize, row, "{action}");
        }
    }

    #[test]
    fn names_round_trip_and_are_unique() {
        let names: HashSet<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        assert_eq!(names.len(), Action::ALL.len());
        for &action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        assert_eq!(Action::from_name("PageDown"), None);
        assert_eq!(Action::from_name(""), None);
    }

    #[test]
    fn every_action_has_a_description_and_a_mode() {
        for &action in Action::ALL {
            assert!(!action.description().is_empty(), "{action}");
            assert!(!action.modes().is_empty(), "{action}");
        }
    }

    #[test]
    fn every_mode_can_be_left() {
        for &mode in Mode::ALL {
            assert!(Action::Back.works_in(mode), "{mode:?}");
            assert!(Action::HardQuit.works_in(mode), "{mode:?}");
        }
    }

    #[test]
    fn the_readme_key_table_is_the_action_table() {
        let readme = include_str!("../../README.md");
        let table = readme_table();
        assert!(
            readme.contains(&table),
            "README.md's key table must read exactly:\n{table}"
        );
    }

    #[test]
    fn only_popup_actions_are_their_own() {
        let own: Vec<Action> = Action::ALL.iter().copied().filter(|a| a.is_own()).collect();
        assert_eq!(
            own,
            [
                Action::Pick,
                Action::MatchMode,
                Action::FetchFeed,
                Action::MarkFeedRead
            ]
        );
    }
}
