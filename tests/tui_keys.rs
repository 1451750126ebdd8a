//! Keys and what their hints say, without a terminal: keys go through the
//! real key map into `App`, frames are drawn by the real views.
//!
//! The walk visits every place keys can be (the list, an open article,
//! full screen, every kind of popup of `Overlay::KINDS`, help's filter) and
//! every mode of `Mode::ALL`; a popup or mode it cannot reach fails it. In
//! each place, every hint is checked: its key (the one the hint shows,
//! from the key map) is pressed in a fresh reader and what happened must
//! be what the hint's word says. Then the rule for `q` (newsboat's): `q`
//! goes back one level and quits only from the list, `Q` quits from
//! anywhere letters are not typed, Esc never quits, Ctrl-C always does.
//!
//! Also here: help uses the width it has and wraps, scrolls with `j`/`k`
//! and filters after `/` without moving; the tag picker says how many
//! tags are out of view; the message log shows long messages whole.
//! Snapshots of help and the message log at 120x40, 80x24 and 50x20.

mod reader;

use std::collections::HashSet;

use broadsheet::config::{Config, View};
use broadsheet::feeds::status::FeedStatus;
use broadsheet::keys::{Action, Key, KeyCode as Code, Mode};
use broadsheet::tui::app::{App, Effect, Event, Focus, Overlay};
use broadsheet::tui::view::hint_actions;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use reader::*;

// ----- the places keys can be ------------------------------------------------

/// The samples, an article with links and a saved view: every popup has
/// something to show.
fn fresh() -> (tempfile::TempDir, App) {
    let folder = samples_copy();
    std::fs::write(
        folder.path().join("linked.md"),
        "+++\ntitle = \"Linked\"\nurl = \"https://linked.example/a\"\n\
         date = 2020-01-01\n+++\n\n\
         See [one](https://one.example/) and [two](https://two.example/).\n",
    )
    .expect("the linked article");
    let mut config = reader_config(folder.path());
    config.views.push(View {
        name: "Oseman".to_string(),
        query: "oseman".to_string(),
    });
    config.views.push(View {
        name: "Unread".to_string(),
        query: "is:unread".to_string(),
    });
    let app = reader(config, 120, 40);
    (folder, app)
}

/// The defaults over `root`, the marks in a folder nothing reads.
fn reader_config(root: &std::path::Path) -> Config {
    config_for(root)
}

fn feed(name: &str) -> FeedStatus {
    FeedStatus {
        name: name.into(),
        url: format!("https://{name}.example/feed"),
        tags: Vec::new(),
        full_text: false,
        folder: None,
        last_fetch: None,
        status: "ok".into(),
        items: 3,
        last_new: 0,
        last_updated: 0,
        last_error: None,
        moved_to: None,
        dir: name.into(),
    }
}

/// Presses `key` as a terminal reports it.
fn press_key(app: &mut App, key: Key) -> Vec<Effect> {
    let m = key.modifiers();
    let mut modifiers = KeyModifiers::NONE;
    if m.ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if m.alt {
        modifiers |= KeyModifiers::ALT;
    }
    if m.shift {
        modifiers |= KeyModifiers::SHIFT;
    }
    let code = match key.code() {
        Code::Char(c) => KeyCode::Char(c),
        Code::Enter => KeyCode::Enter,
        Code::Esc => KeyCode::Esc,
        Code::Tab => KeyCode::Tab,
        Code::BackTab => KeyCode::BackTab,
        Code::Backspace => KeyCode::Backspace,
        Code::Delete => KeyCode::Delete,
        Code::Insert => KeyCode::Insert,
        Code::Up => KeyCode::Up,
        Code::Down => KeyCode::Down,
        Code::Left => KeyCode::Left,
        Code::Right => KeyCode::Right,
        Code::Home => KeyCode::Home,
        Code::End => KeyCode::End,
        Code::PageUp => KeyCode::PageUp,
        Code::PageDown => KeyCode::PageDown,
        Code::F(n) => KeyCode::F(n),
    };
    send(app, Event::Key(KeyEvent::new(code, modifiers)))
}

/// Presses each key and draws a frame after it, as the run loop does
/// (scrolling stops where the last frame ended).
fn keys(app: &mut App, codes: &[KeyCode]) {
    for &code in codes {
        press(app, code);
        draw(app);
    }
}

/// Selects the article titled `title`.
fn select_titled(app: &mut App, title: &str) {
    press(app, KeyCode::Char('g'));
    for _ in 0..app.visible().len() {
        if app.selected_article().is_some_and(|a| a.title() == title) {
            return;
        }
        press(app, KeyCode::Char('j'));
    }
    panic!("no article titled {title}");
}

/// Says `count` things, so the message log has lines to scroll.
fn say_many(app: &mut App, count: usize) {
    for n in 0..count {
        send(
            app,
            Event::Notice(format!("notice number {n} of the session")),
        );
    }
}

/// Gets a fresh reader to the popup of kind `kind`, its selection or
/// scroll in the middle so moving either way shows. A kind it does not
/// know fails: a new popup must be reachable here, so its hints are
/// checked.
fn open_kind(app: &mut App, kind: &str) {
    match kind {
        "Search" => press(app, KeyCode::Char('/')),
        "Help" => {
            keys(
                app,
                &[KeyCode::Char('?'), KeyCode::Char('j'), KeyCode::Char('j')],
            );
            Vec::new()
        }
        "Tags" => {
            press(app, KeyCode::Char('t'));
            keys(app, &[KeyCode::Down, KeyCode::Down]);
            Vec::new()
        }
        "Views" => press(app, KeyCode::Char('v')),
        "Feeds" => {
            press(app, KeyCode::Char('f'));
            let rows = vec![feed("a"), feed("b"), feed("c")];
            send(app, Event::FeedsRead(Ok(rows)));
            press(app, KeyCode::Char('j'))
        }
        "Links" => {
            select_titled(app, "Linked");
            press(app, KeyCode::Char('O'));
            press(app, KeyCode::Char('j'))
        }
        "Edit" => press(app, KeyCode::Char('+')),
        "Messages" => {
            say_many(app, 60);
            keys(
                app,
                &[KeyCode::Char('M'), KeyCode::Char('g'), KeyCode::Char('j')],
            );
            Vec::new()
        }
        other => {
            panic!("no way to reach the popup {other}: add it to open_kind in tests/tui_keys.rs")
        }
    };
    assert_eq!(
        app.overlay().map(Overlay::kind),
        Some(kind),
        "the {kind} popup opens"
    );
}

/// How a fresh reader gets to a place.
type Setup = Box<dyn Fn(&mut App)>;

/// Every place keys can be: its name and how a fresh reader gets there.
fn places() -> Vec<(String, Setup)> {
    let mut places: Vec<(String, Setup)> = vec![
        (
            "list".into(),
            Box::new(|app: &mut App| {
                // A filter, so `clear` has something to clear, and a row in
                // the middle.
                press(app, KeyCode::Char('U'));
                keys(app, &[KeyCode::Char('j'), KeyCode::Char('j')]);
            }),
        ),
        (
            "article".into(),
            Box::new(|app: &mut App| {
                press(app, KeyCode::Char('/'));
                type_text(app, "oseman");
                press(app, KeyCode::Enter);
                press(app, KeyCode::Char('j'));
                press(app, KeyCode::Enter);
                press(app, KeyCode::Char('j'));
            }),
        ),
        (
            "full screen".into(),
            Box::new(|app: &mut App| {
                press(app, KeyCode::Char('z'));
                press(app, KeyCode::Char('j'));
            }),
        ),
        (
            "help filter".into(),
            Box::new(|app: &mut App| {
                press(app, KeyCode::Char('?'));
                press(app, KeyCode::Char('/'));
                type_text(app, "bo");
            }),
        ),
    ];
    for &kind in Overlay::KINDS {
        places.push((
            kind.to_string(),
            Box::new(move |app: &mut App| open_kind(app, kind)),
        ));
    }
    places
}

/// What a place shows, before and after a key.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    kind: Option<&'static str>,
    mode: Mode,
    focus: Focus,
    fullscreen: bool,
    selected: usize,
    screen: String,
}

fn seen(app: &App) -> Seen {
    Seen {
        kind: app.overlay().map(Overlay::kind),
        mode: app.mode(),
        focus: app.focus(),
        fullscreen: app.fullscreen(),
        selected: app.selected(),
        screen: screen_text(&draw(app)),
    }
}

/// The hints shown in a place: each action with its word.
fn hints_of(app: &App) -> Vec<(Action, &'static str)> {
    match app.overlay() {
        Some(overlay) => {
            let popup = overlay.popup();
            let mut all = popup.bar_actions(app.config());
            all.extend(popup.box_actions(app.config()));
            all
        }
        None => hint_actions(app),
    }
}

/// The key a hint shows for `action` where the reader is now.
fn hint_key(app: &App, action: Action) -> Option<Key> {
    match app.config().keys.hint_key(app.mode(), action) {
        Some(key) => Some(key),
        // Ctrl-C quits whatever the key map says: the hints name it.
        None if action == Action::HardQuit => Some(Key::ctrl('c')),
        None => None,
    }
}

fn quits(effects: &[Effect]) -> bool {
    effects.contains(&Effect::Quit)
}

/// Whether the reader quit, or would once asked again: a change not yet
/// saved (opening an article marks it read) makes the first quit ask.
fn leaves(effects: &[Effect], after: &Seen) -> bool {
    quits(effects) || after.screen.contains("quit again to leave anyway")
}

/// Whether the reader went back one level: a popup closed, full screen
/// left, or an open article closed back to the list.
fn back_one_level(before: &Seen, after: &Seen) -> bool {
    if before.kind.is_some() {
        after.kind.is_none()
    } else if before.fullscreen {
        !after.fullscreen && after.focus == Focus::Reader
    } else {
        before.focus == Focus::Reader && after.focus == Focus::List
    }
}

/// Whether what happened is what `word` says, or why not.
fn check_word(word: &str, before: &Seen, after: &Seen, effects: &[Effect]) -> Result<(), String> {
    let closed = before.kind.is_some() && after.kind.is_none();
    let still_open = after.kind.is_some() && after.kind == before.kind;
    let changed = before.screen != after.screen;
    let ok = match word {
        "quit" => leaves(effects, after),
        "close" | "cancel" | "apply" | "keep" | "restore" => closed && !quits(effects),
        "back" => back_one_level(before, after) && !quits(effects),
        "scroll" | "down" | "up" | "page" | "next" => {
            changed && !quits(effects) && (before.kind.is_none() || still_open)
        }
        "pick" | "any/all" => still_open && changed,
        "filter" => still_open && after.mode == Mode::Search,
        "keep filter" => still_open && after.mode != Mode::Search && after.screen.contains("bo"),
        "clear filter" => {
            still_open && after.mode != Mode::Search && !after.screen.contains("filter: bo")
        }
        "open" => {
            effects.iter().any(|e| matches!(e, Effect::OpenUrl(_)))
                || (before.focus == Focus::List && after.focus == Focus::Reader)
        }
        "copy" => effects.iter().any(|e| matches!(e, Effect::Copy(_))),
        "play" => effects.iter().any(|e| matches!(e, Effect::Play(_))),
        "fetch all" => effects.contains(&Effect::FetchFeeds),
        // The feeds view: the selected feed's articles in the list, that
        // feed alone fetched, its articles marked read (or, having none,
        // said to be read already); from a feed's articles, back to it.
        "articles" => closed && after.screen.contains(" feed "),
        "fetch" => effects.iter().any(|e| matches!(e, Effect::FetchFeed(_))),
        "mark read" => {
            still_open
                && (effects.iter().any(|e| matches!(e, Effect::Save(_)))
                    || after.screen.contains("read already"))
        }
        "feeds" => effects.contains(&Effect::ReadFeeds) && !quits(effects),
        "help" => after.kind == Some("Help"),
        "search" => after.kind == Some("Search"),
        "tags" => after.kind == Some("Tags"),
        "views" => after.kind == Some("Views"),
        "messages" => after.kind == Some("Messages"),
        "bookmark" => effects.iter().any(|e| matches!(e, Effect::Save(_))),
        "bookmarked" | "unread" | "clear" => changed && after.kind.is_none(),
        "full screen" => after.fullscreen,
        "list" => !after.fullscreen,
        "next match" | "next article" => changed,
        other => {
            return Err(format!(
                "the hint word {other:?} has no check here: add one"
            ));
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "did not {word}: {effects:?}\nbefore {before:#?}\nafter {after:#?}"
        ))
    }
}

#[test]
fn every_hint_in_every_mode_does_what_it_says() {
    let mut modes = HashSet::new();
    let mut checked = 0;
    for (name, setup) in places() {
        let (_folder, mut app) = fresh();
        setup(&mut app);
        modes.insert(app.mode());
        let hints = hints_of(&app);
        assert!(!hints.is_empty(), "{name}: no hints");
        let words: Vec<&str> = hints.iter().map(|(_, w)| *w).collect();
        assert!(
            words.iter().any(|w| [
                "close",
                "cancel",
                "back",
                "restore",
                "keep filter",
                "clear filter",
                "quit"
            ]
            .contains(w)),
            "{name}: the hints say how to leave: {words:?}"
        );
        for (action, word) in hints {
            let (_folder, mut app) = fresh();
            setup(&mut app);
            let Some(key) = hint_key(&app, action) else {
                continue;
            };
            let before = seen(&app);
            let effects = press_key(&mut app, key);
            let after = seen(&app);
            if let Err(why) = check_word(word, &before, &after, &effects) {
                panic!("{name}: `{key} {word}` ({action}): {why}");
            }
            checked += 1;
        }
    }
    let all: HashSet<Mode> = Mode::ALL.iter().copied().collect();
    assert_eq!(modes, all, "every mode is walked");
    assert!(checked > 40, "{checked} hints checked");
}

/// Places where letters are typed into a filter or a prompt.
const TYPED: &[&str] = &["Search", "Tags", "Edit", "help filter"];

#[test]
fn q_goes_back_one_level_and_quits_only_from_the_list() {
    for (name, setup) in places() {
        let typed = TYPED.contains(&name.as_str());
        // q
        let (_folder, mut app) = fresh();
        setup(&mut app);
        let before = seen(&app);
        let effects = press(&mut app, KeyCode::Char('q'));
        let after = seen(&app);
        if name == "list" {
            assert_eq!(effects, [Effect::Quit], "q quits from the list");
        } else if typed {
            assert!(!quits(&effects), "{name}: q is typed");
            assert_eq!(
                after.kind, before.kind,
                "{name}: q is typed, the popup stays"
            );
            assert_ne!(
                after.screen, before.screen,
                "{name}: q shows where it is typed"
            );
        } else {
            assert!(!quits(&effects), "{name}: q goes back, never quits");
            assert!(
                back_one_level(&before, &after),
                "{name}: q goes back one level: {after:#?}"
            );
        }
        // Q
        let (_folder, mut app) = fresh();
        setup(&mut app);
        let effects = press(&mut app, KeyCode::Char('Q'));
        let after = seen(&app);
        assert_eq!(
            leaves(&effects, &after),
            !typed,
            "{name}: Q quits unless typed"
        );
        // Esc
        let (_folder, mut app) = fresh();
        setup(&mut app);
        let effects = press(&mut app, KeyCode::Esc);
        let after = seen(&app);
        assert!(!leaves(&effects, &after), "{name}: esc never quits");
        // Ctrl-C
        let (_folder, mut app) = fresh();
        setup(&mut app);
        let effects = press_ctrl(&mut app, 'c');
        let after = seen(&app);
        assert!(leaves(&effects, &after), "{name}: ctrl-c quits");
    }
}

#[test]
fn the_hints_say_q_where_it_closes_and_esc_where_letters_are_typed() {
    for (name, setup) in places() {
        let (_folder, mut app) = fresh();
        setup(&mut app);
        let hints = screen_text(&draw(&app));
        let last = hints.lines().last().unwrap_or_default().to_string();
        match name.as_str() {
            "list" => assert!(last.contains("q quit"), "{name}: {last}"),
            "article" | "full screen" => {
                assert!(
                    last.contains("esc/q back") && last.contains("Q quit"),
                    "{name}: {last}"
                )
            }
            "Tags" => assert!(
                last.contains("esc close") && !last.contains("q close"),
                "{name}: {last}"
            ),
            "Search" | "Edit" | "help filter" => {
                assert!(!last.contains("q close"), "{name}: {last}")
            }
            _ => assert!(
                last.contains("esc/q close") && last.contains("Q quit"),
                "{name}: {last}"
            ),
        }
    }
}

// ----- help ------------------------------------------------------------------------

/// The rows of the help box between its borders, trimmed.
fn box_rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| row_text(buf, y))
        .filter_map(|row| {
            let mut parts = row.split('│');
            parts.next()?;
            let inside = parts.next()?;
            Some(inside.trim_end().to_string())
        })
        .collect()
}

/// Every line of help at this size, scrolled through with `j`: the first
/// screen's lines, then the one each `j` brings in at the bottom.
fn whole_help(width: u16, height: u16) -> Vec<String> {
    let mut app = samples_reader(width, height);
    press(&mut app, KeyCode::Char('?'));
    // Inside the box: the filter line, the lines, the footer.
    let content = |app: &App| {
        let rows = box_rows(&draw(app));
        rows[1..rows.len().saturating_sub(1)].to_vec()
    };
    let mut lines = content(&app);
    loop {
        let before = content(&app);
        press(&mut app, KeyCode::Char('j'));
        let after = content(&app);
        if after == before {
            return lines;
        }
        lines.extend(after.last().cloned());
    }
}

#[test]
fn help_wraps_every_description_and_cuts_none() {
    for (width, height) in [(200, 50), (120, 40), (80, 24), (50, 20)] {
        let lines = whole_help(width, height);
        let text = lines.join("\n");
        assert!(
            !text.contains('…'),
            "{width}x{height}: nothing is cut:\n{text}"
        );
        let flat = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        for &action in Action::ALL {
            for word in action.description().split_whitespace() {
                assert!(
                    flat.contains(word),
                    "{width}x{height}: {word:?} of {action}:\n{text}"
                );
            }
        }
        if width >= 200 {
            for &action in Action::ALL {
                assert!(
                    lines.iter().any(|l| l.contains(action.description())),
                    "{width}x{height}: {action} on one line"
                );
            }
        }
        if width <= 50 {
            let long = Action::PlayEnclosure.description();
            assert!(
                !lines.iter().any(|l| l.contains(long)),
                "at {width} columns a long description is wrapped"
            );
        }
    }
}

#[test]
fn help_is_scrolled_by_j_and_k_and_filtered_after_slash_without_moving() {
    let mut app = samples_reader(80, 24);
    press(&mut app, KeyCode::Char('?'));
    let top = box_rows(&draw(&app));
    press(&mut app, KeyCode::Char('j'));
    let down = box_rows(&draw(&app));
    assert_eq!(down[1], top[2], "j scrolls one line");
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(box_rows(&draw(&app)), top, "k scrolls back");
    let Some(Overlay::Help(help)) = app.overlay() else {
        panic!("help stays open");
    };
    assert_eq!(help.filter, "", "j and k type nothing");
    let frame = |app: &App| {
        let buf = draw(app);
        let rows: Vec<usize> = (0..buf.area.height)
            .filter(|&y| row_text(&buf, y).contains('╭') || row_text(&buf, y).contains('┌'))
            .map(usize::from)
            .collect();
        (rows, box_rows(&buf).len())
    };
    let unfiltered = frame(&app);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "bookmark");
    let Some(Overlay::Help(help)) = app.overlay() else {
        panic!("help stays open");
    };
    assert_eq!(help.filter, "bookmark");
    assert_eq!(
        frame(&app),
        unfiltered,
        "the box does not move as the filter narrows"
    );
    press(&mut app, KeyCode::Enter);
    let rows = box_rows(&draw(&app)).join("\n");
    assert!(rows.contains("Bookmark or unbookmark"), "{rows}");
    assert!(!rows.contains("Next article"), "{rows}");
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert!(
        app.overlay().is_none(),
        "q closes help once the filter is kept"
    );
}

#[test]
fn help_and_the_message_log_at_three_sizes() {
    for (width, height) in [(120, 40), (80, 24), (50, 20)] {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('?'));
        let buf = draw(&app);
        insta::assert_snapshot!(format!("help_{width}x{height}"), screen_text(&buf));

        let mut app = samples_reader(width, height);
        send(
            &mut app,
            Event::Notice(
                "could not open https://example.org/a/very/long/address/that/goes/on \
                 (firefox: No such file or directory (os error 2)); set $BROWSER to your browser"
                    .to_string(),
            ),
        );
        press(&mut app, KeyCode::Char('s'));
        press(&mut app, KeyCode::Char('s'));
        press(&mut app, KeyCode::Char('M'));
        let buf = draw(&app);
        insta::assert_snapshot!(format!("messages_{width}x{height}"), screen_text(&buf));
    }
}

// ----- the tag picker and the message log ------------------------------------

#[test]
fn the_tag_picker_says_how_many_tags_are_out_of_view() {
    let folder = tempfile::tempdir().expect("a folder");
    for n in 0..40 {
        std::fs::write(
            folder.path().join(format!("{n:02}.md")),
            format!("+++\ntitle = \"Article {n}\"\ntags = [\"tag{n:02}\"]\n+++\n\nBody.\n"),
        )
        .expect("an article");
    }
    let mut app = reader_on(folder.path(), 120, 40);
    press(&mut app, KeyCode::Char('t'));
    let Some(Overlay::Tags(picker)) = app.overlay() else {
        panic!("the picker opens");
    };
    assert_eq!(picker.entries.len(), 40);
    let screen = screen_text(&draw(&app));
    let shown = screen.matches("[ ] tag").count();
    assert!(shown < 40, "not all fit: {screen}");
    assert!(
        screen.contains(&format!("↓ {} more", 40 - shown)),
        "says how many are below:\n{screen}"
    );
    press(&mut app, KeyCode::End);
    for _ in 0..45 {
        press(&mut app, KeyCode::Down);
    }
    let screen = screen_text(&draw(&app));
    assert!(
        screen.contains(&format!("↑ {} more", 40 - shown)),
        "and above, at the end:\n{screen}"
    );
}

#[test]
fn a_long_message_cut_in_the_status_line_is_whole_in_the_log() {
    let long = format!("the start {} the very end", "and more ".repeat(30));
    let mut app = samples_reader(80, 24);
    send(&mut app, Event::Notice(long.clone()));
    let screen = screen_text(&draw(&app));
    assert!(!screen.contains("the very end"), "cut in the status line");
    assert!(
        screen.contains("M messages"),
        "the hint names the log: {screen}"
    );
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.message_log().len(), 2);
    assert_eq!(app.message_log()[0].text, long, "the log keeps it whole");
    press(&mut app, KeyCode::Char('M'));
    let buf = draw(&app);
    let rows = box_rows(&buf);
    let flat = rows.iter().map(|r| r.trim()).collect::<Vec<_>>().join(" ");
    assert!(flat.contains("the very end"), "{flat}");
    assert!(flat.contains("the start and more"), "{flat}");
    let start = rows
        .iter()
        .position(|r| r.contains("the start"))
        .unwrap_or(usize::MAX);
    let sorted = rows.iter().position(|r| r.contains("sorted")).unwrap_or(0);
    assert!(start < sorted, "newest last: {rows:#?}");
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert!(app.overlay().is_none(), "q closes the log");
}
