//! The reader without a terminal: keys go through the real key map into
//! `App`, and the tests look at the state and the effects.

mod reader;

use std::path::Path;

use reader::*;

use broadsheet::config::Config;
use broadsheet::library::{self, Marks};
use broadsheet::store::{Bookmark, MarkChange};
use broadsheet::tui::app::{App, Effect, Event, Focus, Overlay};
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// The samples, loaded in full.
#[test]
fn the_selection_stays_inside_the_list() {
    let mut app = samples_reader(120, 40);
    assert_eq!(selected_id(&app), "001_900db8947a90b09e.txt");
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.selected(), 0);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.selected(), 4);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Down);
    assert_eq!(app.selected(), 4);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.selected(), 0);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(
        app.selected(),
        4,
        "a page down in a short list goes to the end"
    );
}

#[test]
fn search_filters_as_you_type_and_enter_keeps_it() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('/'));
    assert!(matches!(app.overlay(), Some(Overlay::Search(_))));
    type_text(&mut app, "tag:bloopers");
    assert_eq!(app.visible().len(), 1);
    assert_eq!(selected_id(&app), "000_b4046600ca63d592.txt");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    assert_eq!(app.query_label(), "tag:bloopers");
    assert_eq!(app.visible().len(), 1);
}

#[test]
fn an_invalid_query_keeps_the_last_good_result_and_esc_restores() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "oseman");
    assert_eq!(app.visible().len(), 3);
    type_text(&mut app, " (");
    let Some(Overlay::Search(search)) = app.overlay() else {
        panic!("search should be open");
    };
    assert!(
        search.error.is_some(),
        "an unclosed parenthesis is an error"
    );
    assert_eq!(app.visible().len(), 3, "the last good result stays");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.overlay().is_some(),
        "enter on an invalid query keeps the prompt"
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    assert_eq!(
        app.visible().len(),
        5,
        "esc restores the query before the prompt"
    );
}

#[test]
fn bookmark_toggle_asks_to_save_and_changes_the_mark() {
    let mut app = samples_reader(120, 40);
    let id = selected_id(&app);
    let article = app.selected_article().expect("a selected article");
    let (title, date) = (article.title().to_string(), article.date());
    let effects = press(&mut app, KeyCode::Char('b'));
    // The clock is the reader's input: the bookmark carries the time the
    // key was pressed.
    let bookmark = Bookmark::new(id.clone(), title, date, now());
    assert_eq!(effects, [Effect::Save(MarkChange::AddBookmark(bookmark))]);
    assert!(app.marks().bookmarked.contains(&id));
    let effects = press(&mut app, KeyCode::Char('b'));
    assert_eq!(
        effects,
        [Effect::Save(MarkChange::RemoveBookmark(id.clone()))]
    );
    assert!(!app.marks().bookmarked.contains(&id));
}

#[test]
fn bookmarks_only_and_unread_only_filter_the_list() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Char('B'));
    assert_eq!(app.visible().len(), 1);
    press(&mut app, KeyCode::Char('B'));
    assert_eq!(app.visible().len(), 5);
    let effects = press(&mut app, KeyCode::Enter);
    let opened = app
        .selected_article()
        .map(|a| a.id().to_string())
        .unwrap_or_default();
    assert_eq!(
        effects,
        [Effect::Save(MarkChange::SetRead(vec![opened], true))]
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('U'));
    assert_eq!(
        app.visible().len(),
        4,
        "the opened article is read and hidden"
    );
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.visible().len(), 5, "c clears every filter");
}

#[test]
fn the_reader_scrolls_within_its_bounds() {
    let mut app = samples_reader(120, 12);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus(), Focus::Reader);
    let lines = app.document().map_or(0, |d| d.lines.len());
    assert!(
        lines > app.reader_rows(),
        "the sample is longer than the pane"
    );
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.reader_scroll(), 0);
    for _ in 0..500 {
        press(&mut app, KeyCode::Char('j'));
    }
    assert_eq!(app.reader_scroll(), lines - app.reader_rows());
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.reader_scroll(), 0);
    press(&mut app, KeyCode::Char(' '));
    assert!(app.reader_scroll() > 1, "space pages down");
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.reader_scroll(), lines - app.reader_rows());
}

#[test]
fn a_resize_rewraps_and_keeps_the_scroll_in_bounds() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('G'));
    let wide_lines = app.document().map_or(0, |d| d.lines.len());
    resize(&mut app, 50, 20);
    let narrow_lines = app.document().map_or(0, |d| d.lines.len());
    assert!(narrow_lines > wide_lines, "a narrower pane has more lines");
    assert!(app.reader_scroll() + app.reader_rows() <= narrow_lines.max(app.reader_rows()));
    resize(&mut app, 1, 1);
    resize(&mut app, 0, 0);
}

#[test]
fn very_narrow_screens_show_one_pane_and_esc_returns() {
    let mut app = samples_reader(40, 12);
    assert!(app.panes().reader.is_none());
    press(&mut app, KeyCode::Enter);
    assert!(app.panes().list.is_none() && app.panes().reader.is_some());
    press(&mut app, KeyCode::Esc);
    assert!(app.panes().list.is_some() && app.panes().reader.is_none());
}

#[test]
fn z_toggles_full_screen_reading() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('z'));
    assert!(app.fullscreen() && app.panes().list.is_none());
    press(&mut app, KeyCode::Char('z'));
    assert!(!app.fullscreen() && app.panes().list.is_some());
}

#[test]
fn the_tag_picker_applies_tags_to_the_query() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "bloo");
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    assert_eq!(app.visible().len(), 1);
    assert_eq!(app.query_label(), "tag:\"bloopers\"");
    // Esc in the picker cancels without changing the filter.
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.visible().len(), 1);
}

#[test]
fn the_tag_picker_matches_any_or_all() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "bloopers");
    press(&mut app, KeyCode::Char(' '));
    for _ in 0.."bloopers".len() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "alice");
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.visible().len(), 2, "any: bloopers or Alice Oseman");
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.visible().len(), 0, "all: no article has both");
}

#[test]
fn quit_waits_for_a_second_press_while_changes_are_unsaved() {
    let mut app = samples_reader(120, 40);
    assert_eq!(press(&mut app, KeyCode::Char('q')), [Effect::Quit]);
    press(&mut app, KeyCode::Char('b'));
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert_eq!(press(&mut app, KeyCode::Char('q')), [Effect::Quit]);
    send(&mut app, Event::Saved(None));
    assert_eq!(press_ctrl(&mut app, 'c'), [Effect::Quit]);
}

#[test]
fn help_opens_filters_and_closes() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay(), Some(Overlay::Help(_))));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "bookm");
    let Some(Overlay::Help(help)) = app.overlay() else {
        panic!("help should stay open while typing");
    };
    assert_eq!(help.filter, "bookm");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
}

#[test]
fn a_click_selects_the_row_under_the_pointer() {
    let mut app = samples_reader(120, 40);
    let list = app.panes().list.expect("list pane");
    send(
        &mut app,
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: list.x + 5,
            row: list.y + 3,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.selected(), 2, "row 3 of the pane is the third article");
    send(
        &mut app,
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: list.x + 5,
            row: list.y + 3,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.selected(), 4);
}

/// A folder with one long article whose four matches of "needle" sit
/// two on its first line, one far below and one at its end.
fn needle_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from(" date 2024-05-05\n\nLooking For Things\n\n");
    text.push_str("A needle and a needle again.\n\n");
    for n in 0..40 {
        text.push_str(&format!("Filler paragraph number {n}.\n\n"));
    }
    text.push_str("A needle far below.\n\n");
    for n in 40..50 {
        text.push_str(&format!("Filler paragraph number {n}.\n\n"));
    }
    text.push_str("The last needle.\n");
    std::fs::write(dir.path().join("haystack.txt"), text).expect("the article");
    dir
}

/// The reader's header line: its position and its count of matches.
fn reader_header(app: &App) -> String {
    let reader = app.panes().reader.expect("the reader pane");
    let buf = draw(app);
    row_text(&buf, reader.y)
}

#[test]
fn n_and_shift_n_go_through_the_matches_one_by_one_and_say_which() {
    let folder = needle_folder();
    let mut app = reader_on(folder.path(), 80, 24);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "needle");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let count = |app: &App| app.match_count().expect("a search is on");
    assert_eq!((count(&app).total, count(&app).current), (4, None));
    assert!(reader_header(&app).contains("4 matches · 1-"));

    // The first two are on screen: n marks them without scrolling.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(count(&app).current, Some(0));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(count(&app).current, Some(1));
    assert_eq!(app.reader_scroll(), 0, "no scrolling to a match on screen");
    assert!(reader_header(&app).contains("match 2 of 4 · 1-"));

    // The third is far below: its line comes to the top.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(count(&app).current, Some(2));
    let far = app.reader_scroll();
    assert!(far > 40, "scrolled to the match far below, at {far}");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(count(&app).current, Some(3));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(count(&app).current, Some(3), "no match after the last");
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("no more matches below")
    );

    press(&mut app, KeyCode::Char('N'));
    assert_eq!(count(&app).current, Some(2));
    assert!(reader_header(&app).contains("match 3 of 4 · "));
    // Wrapped to another width, the same match is still the one.
    resize(&mut app, 60, 24);
    assert_eq!(count(&app).current, Some(2));
    assert!(reader_header(&app).contains("match 3 of 4 · "));

    // Scrolled back to the top by hand, N goes to the match above the
    // screen: there is none.
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Char('N'));
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("no more matches above")
    );
    // From the top again, n starts at the first match on screen.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(count(&app).current, Some(0));
}

#[test]
fn without_a_search_there_is_no_match_count() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.match_count(), None);
    assert!(!reader_header(&app).contains("match"));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("no search to jump to; press / to search")
    );
}

#[test]
fn sort_cycles_and_keeps_the_selected_article() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('j'));
    let id = selected_id(&app);
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(selected_id(&app), id);
    assert_eq!(
        app.visible()
            .first()
            .and_then(|&i| app.library().get(i))
            .map(|a| a.id()),
        Some("004_c084a17f8d89dc0e.txt"),
        "oldest first"
    );
}

#[test]
fn a_folder_that_cannot_be_loaded_is_explained_in_the_list() {
    let mut app = App::new(Config::default());
    resize(&mut app, 60, 12);
    send(
        &mut app,
        Event::LoadFailed("/nope: the articles folder does not exist".to_string()),
    );
    let area = ratatui::layout::Rect::new(0, 0, 60, 12);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    broadsheet::tui::view::draw_into(&app, area, &mut buf);
    let text: String = (0..12)
        .map(|y| (0..60).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
        .collect();
    assert!(text.contains("cannot load the articles: /nope"), "{text}");
    assert!(text.contains("press r to try again"), "{text}");
    assert_eq!(press(&mut app, KeyCode::Char('r')), [Effect::Reload]);
}

/// A library of `count` articles cloned from the samples under new ids.
fn big_library(count: usize) -> library::Library {
    let samples = sample_articles();
    let articles = (0..count)
        .map(|n| {
            let mut article = samples[n % samples.len()].clone();
            article.id = format!("copy-{n:06}.txt");
            article
        })
        .collect();
    library::Library::new(samples_dir(), articles, Vec::new())
}

/// What a fresh search for `text` must show: every article the query
/// matches, in list order, the whole library searched.
fn expected(app: &App, text: &str) -> Vec<usize> {
    let query = broadsheet::library::query::parse(text).expect("query");
    let order = app.library().order(app.sort());
    app.library().matching(&query, app.marks(), &order)
}

/// The one counting job among `effects`.
fn count_job(effects: Vec<Effect>) -> broadsheet::tui::app::CountJob {
    let mut jobs = effects.into_iter().filter_map(|effect| match effect {
        Effect::Count(job) => Some(job),
        _ => None,
    });
    let job = jobs.next().expect("a counting job");
    assert!(jobs.next().is_none(), "one counting job");
    job
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn a_long_list_shows_its_first_screen_at_once_and_the_count_follows() {
    let mut app = reader_of(Config::default(), big_library(25_000), 120, 40);
    press(&mut app, KeyCode::Char('/'));
    let key = |c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let first = count_job(send_leaving_counts(&mut app, key('o')));
    // At once: the first screen of what the whole search finds, in order.
    assert!(app.counting());
    let shown = app.visible().to_vec();
    let all = expected(&app, "o");
    assert!(!shown.is_empty() && shown.len() < all.len());
    assert_eq!(shown, all[..shown.len()]);
    let rows = reader::screen_text(&reader::draw(&app));
    assert!(rows.contains("…/25000"), "{rows}");
    // A keystroke before the count came: the old job stops with nothing,
    // the new one finds the whole.
    let second = count_job(send_leaving_counts(&mut app, key('s')));
    assert!(first.run().is_none(), "a replaced search stops");
    let Some(counted) = second.run() else {
        panic!("the current search counts");
    };
    send(&mut app, Event::Counted(counted));
    assert!(!app.counting());
    assert_eq!(app.visible(), expected(&app, "os"));
    let rows = reader::screen_text(&reader::draw(&app));
    let total = format!("{}/25000", expected(&app, "os").len());
    assert!(rows.contains(&total), "{rows}");
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn typing_on_narrows_to_exactly_what_a_fresh_search_finds() {
    let mut app = reader_of(Config::default(), big_library(25_000), 120, 40);
    press(&mut app, KeyCode::Char('/'));
    for (typed, text) in [
        ("o", "o"),
        ("s", "os"),
        ("e", "ose"),
        ("m", "osem"),
        (" ", "osem "),
    ] {
        type_text(&mut app, typed);
        assert_eq!(app.visible(), expected(&app, text), "after typing {text:?}");
    }
    type_text(&mut app, "-tag:bloopers");
    assert_eq!(app.visible(), expected(&app, "osem -tag:bloopers"));
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.visible(), expected(&app, "osem -tag:bloope"));
    assert!(!app.visible().is_empty() && app.visible().len() < 25_000);
}

#[test]
fn summaries_come_first_and_the_texts_follow_without_losing_changes() {
    let mut events = load_events(&config_for(&samples_dir())).into_iter();
    let mut app = App::new(Config::default());
    resize(&mut app, 120, 40);
    let summaries = events.next().expect("the summaries");
    assert!(matches!(summaries, Event::SummariesLoaded(_)));
    send(&mut app, summaries);
    assert!(app.reading_texts());
    assert_eq!(app.visible().len(), 5, "the list is there before the texts");
    press(&mut app, KeyCode::Char('j'));
    let id = selected_id(&app);
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "oseman");
    press(&mut app, KeyCode::Enter);
    let texts = events.next().expect("the texts");
    assert!(matches!(texts, Event::TextsLoaded(_)));
    send(&mut app, texts);
    assert!(!app.reading_texts());
    assert!(
        app.marks().bookmarked.contains(&id),
        "a bookmark made meanwhile stays"
    );
    assert_eq!(
        app.visible(),
        expected(&app, "oseman"),
        "the search runs on the texts"
    );
    assert!(app.document().is_some_and(|d| d.lines.len() > 10));
}

#[test]
fn tag_filters_find_exactly_the_tagged_articles_through_the_term_filter() {
    let library = big_library(5_000);
    assert!(
        library
            .iter()
            .all(|a| a.tags().len() == 0 || a.term_bits() != 0)
    );
    for query in [
        "tag:bloopers",
        "tag:\"ALICE OSEMAN\"",
        "cat:tv",
        "tag:nothing-like-this",
    ] {
        let parsed = broadsheet::library::query::parse(query).expect("query");
        let marks = Marks::default();
        let all: Vec<usize> = (0..library.len()).collect();
        let by_filter = library.matching(&parsed, &marks, &all).len();
        let needle = query
            .split_once(':')
            .map(|(_, v)| v.trim_matches('"').to_lowercase());
        let by_hand = library
            .iter()
            .filter(|a| {
                let terms: Vec<&str> = if query.starts_with("cat:") {
                    a.categories().collect()
                } else {
                    a.tags().collect()
                };
                terms.iter().any(|t| Some(t.to_lowercase()) == needle)
            })
            .count();
        assert_eq!(by_filter, by_hand, "{query}");
    }
}

#[test]
fn a_long_article_is_wrapped_in_part_at_once_and_whole_by_a_worker() {
    let dir = tempfile::tempdir().expect("temp dir");
    let paragraph = "Long text with “quotes” and words that go on and on. ".repeat(40);
    let body: Vec<String> = (0..1_000).map(|n| format!("{n} {paragraph}")).collect();
    std::fs::write(
        dir.path().join("long.txt"),
        format!("A Long One\n\n{}\n", body.join("\n\n")),
    )
    .expect("write");
    let mut app = reader_on(dir.path(), 120, 40);
    let partial = app.document().cloned().expect("a document");
    assert!(!partial.is_complete(), "only the start is wrapped at once");
    assert!(partial.lines.len() >= app.reader_rows());
    press(&mut app, KeyCode::Enter);
    for _ in 0..200 {
        press(&mut app, KeyCode::PageDown);
    }
    assert!(
        app.reader_scroll() > partial.lines.len(),
        "scrolling wraps further"
    );
    let job = app.take_wrap_job().expect("a job for the worker");
    assert!(
        app.take_wrap_job().is_none(),
        "one job per article and width"
    );
    let whole = job.run().expect("the whole article");
    assert!(whole.is_complete());
    let details = |document: &broadsheet::tui::document::Document| {
        document
            .segments
            .iter()
            .filter_map(|segment| match &segment.source {
                broadsheet::tui::document::Source::Text(text) => Some(text.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        details(&partial).contains("counting words…"),
        "{}",
        details(&partial)
    );
    assert!(
        details(&whole).contains(" words · "),
        "the worker counts them"
    );
    // G before the worker is back wraps the rest at once: the same end.
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.reader_scroll() + app.reader_rows(), whole.lines.len());
    send(&mut app, Event::Wrapped(Box::new(whole.clone())));
    assert_eq!(app.document(), Some(&whole));
    // A result for another width (the terminal was resized meanwhile) is
    // not used.
    resize(&mut app, 100, 40);
    send(&mut app, Event::Wrapped(Box::new(whole.clone())));
    let width_now = app.document().map(|d| d.width);
    assert!(width_now.is_some() && width_now != Some(whole.width));
}

/// A reader on the samples with `[keys]` and `[views]` tables of a config.
fn app_with_config(text: &str) -> App {
    let config = broadsheet::config::parse(text, None, Path::new("/")).expect("config parses");
    reader(
        Config {
            library: config_for(&samples_dir()).library,
            ..config
        },
        120,
        40,
    )
}

#[test]
fn a_rebound_back_closes_every_popup_and_esc_no_longer_does() {
    let mut app = app_with_config("[keys]\nback = [\"ctrl-g\"]\n[views]\nunread = \"is:unread\"\n");
    for opener in ['/', '?', 't', 'v'] {
        press(&mut app, KeyCode::Char(opener));
        assert!(app.overlay().is_some(), "{opener} opens a popup");
        press(&mut app, KeyCode::Esc);
        assert!(app.overlay().is_some(), "esc is no longer back ({opener})");
        press_ctrl(&mut app, 'g');
        assert!(
            app.overlay().is_none(),
            "ctrl-g closes the popup of {opener}"
        );
    }
    // Back in the search prompt still restores the query from before it.
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "zzzz");
    assert!(app.visible().is_empty());
    press_ctrl(&mut app, 'g');
    assert_eq!(app.visible().len(), 5);
    assert_eq!(app.query_label(), "");
}

#[test]
fn the_tag_pickers_keys_follow_the_key_map_and_typing_stays_text() {
    let mut app = app_with_config("[keys]\npick = \"ctrl-x\"\nopen = [\"ctrl-o\"]\n");
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "alice ");
    let Some(Overlay::Tags(picker)) = app.overlay() else {
        panic!("the tag picker should be open");
    };
    assert_eq!(picker.filter, "alice ", "space types once it is not `pick`");
    press(&mut app, KeyCode::Backspace);
    press_ctrl(&mut app, 'x');
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_some(), "enter no longer applies");
    press_ctrl(&mut app, 'o');
    assert!(app.overlay().is_none());
    assert_eq!(app.query_label(), "tag:\"Alice Oseman\"");
    assert_eq!(app.visible().len(), 1);
}

#[test]
fn the_views_picker_moves_with_down_and_up_and_picks_by_number() {
    let mut app = app_with_config(
        "[views]\nbloopers = \"tag:bloopers\"\nunread = \"is:unread\"\nnone = \"zzzz\"\n",
    );
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.query_label(), "is:unread");
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('1'));
    assert!(app.overlay().is_none());
    assert_eq!(app.query_label(), "tag:bloopers");
    press(&mut app, KeyCode::Char('v'));
    assert!(
        press(&mut app, KeyCode::Char('q')).is_empty(),
        "q closes the picker"
    );
    assert!(app.overlay().is_none());
    assert_eq!(press_ctrl(&mut app, 'c'), [Effect::Quit]);
}

/// A copy of the samples in a folder of its own, which a test may change.
/// The read mark a key press saved, if it saved one.
fn saved_read(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|effect| match effect {
        Effect::Save(MarkChange::SetRead(ids, true)) => ids.first().cloned(),
        _ => None,
    })
}

#[test]
fn next_and_previous_article_open_them_in_the_reader() {
    let mut app = samples_reader(120, 16);
    let ids: Vec<String> = app
        .visible()
        .iter()
        .map(|&i| app.library().get(i).expect("a row").id().to_string())
        .collect();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('z'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.reader_scroll(), 1);

    // J opens the next article at its top, marks it read, keeps the
    // reader and its full screen.
    let effects = press(&mut app, KeyCode::Char('J'));
    assert_eq!(selected_id(&app), ids[1]);
    assert_eq!(saved_read(&effects), Some(ids[1].clone()));
    assert_eq!(app.focus(), Focus::Reader);
    assert!(app.fullscreen());
    assert_eq!(app.reader_scroll(), 0);
    assert!(screen_text(&draw(&app)).contains("000_b4046600ca63d592.txt · "));

    // K goes back; that one is read already.
    let effects = press(&mut app, KeyCode::Char('K'));
    assert_eq!(selected_id(&app), ids[0]);
    assert_eq!(saved_read(&effects), None);
    press(&mut app, KeyCode::Char('K'));
    assert_eq!(selected_id(&app), ids[0]);
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("this is the first article")
    );

    // From the list, J and K move the selection and open nothing.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.focus(), Focus::List);
    let effects = press(&mut app, KeyCode::Char('J'));
    press(&mut app, KeyCode::Char('J'));
    assert_eq!(selected_id(&app), ids[2]);
    assert_eq!(saved_read(&effects), None);
    assert_eq!(app.focus(), Focus::List);
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('J'));
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("this is the last article")
    );
}

#[test]
fn next_unread_skips_read_articles_and_goes_on_from_the_top() {
    let mut app = samples_reader(120, 40);
    let ids: Vec<String> = app
        .visible()
        .iter()
        .map(|&i| app.library().get(i).expect("a row").id().to_string())
        .collect();
    // The fourth read first, then the second from the list.
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(selected_id(&app), ids[1]);
    press(&mut app, KeyCode::Enter);

    // From the second (read): the third, the fifth past the read fourth,
    // then the first from the top.
    let mut opened = Vec::new();
    for _ in 0..3 {
        let effects = press(&mut app, KeyCode::Char(']'));
        assert_eq!(saved_read(&effects), Some(selected_id(&app)));
        opened.push(selected_id(&app));
    }
    assert_eq!(opened, [ids[2].clone(), ids[4].clone(), ids[0].clone()]);
    assert_eq!(app.focus(), Focus::Reader);
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(selected_id(&app), ids[0], "every article is read now");
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("no other unread article in the list")
    );
}

#[test]
fn a_folder_that_changes_keeps_the_selection_scroll_and_query() {
    let dir = samples_copy();
    let config = config_for(dir.path());
    let mut app = reader(config.clone(), 120, 40);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "oseman");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('j'));
    let id = selected_id(&app);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.reader_scroll(), 2);
    let shown = app.visible().len();

    // A newer article about Oseman arrives: it goes first in the list.
    std::fs::write(
        dir.path().join("010_new.txt"),
        " date 2026-11-01 Posted in: TV | Tagged: news\n\nOseman Announces More\n\nAlice Oseman shared news today.\n",
    )
    .expect("new article");
    for event in refresh_events(&config) {
        send(&mut app, event);
    }
    assert_eq!(
        app.visible().len(),
        shown + 1,
        "the new article matches the query"
    );
    assert_eq!(selected_id(&app), id, "the selection stays on its article");
    assert_eq!(app.reader_scroll(), 2, "and so does the reader's scroll");
    assert_eq!(app.query_label(), "oseman");
    assert_eq!(app.message().map(|m| m.text.as_str()), Some("+1 new"));
    assert!(
        !app.marks().read.contains("010_new.txt"),
        "new articles are unread"
    );
    assert_eq!(
        app.visible()
            .first()
            .and_then(|&i| app.library().get(i))
            .map(|a| a.id()),
        Some("010_new.txt")
    );

    // An article is deleted: it vanishes, the selection stays.
    std::fs::remove_file(dir.path().join("010_new.txt")).expect("remove");
    for event in refresh_events(&config) {
        send(&mut app, event);
    }
    assert_eq!(app.visible().len(), shown);
    assert_eq!(selected_id(&app), id);
    assert!(app.library().find("010_new.txt").is_none());
    assert_eq!(app.message().map(|m| m.text.as_str()), Some("1 gone"));
}

// ----- help, messages and the query cheat sheet ------------------------------

#[test]
fn in_helps_filter_q_is_typed_and_ctrl_c_quits() {
    let mut app = samples_reader(80, 24);
    press(&mut app, KeyCode::Char('?'));
    press(&mut app, KeyCode::Char('/'));
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    let Some(Overlay::Help(help)) = app.overlay() else {
        panic!("q leaves help open");
    };
    assert_eq!(help.filter, "q", "q is typed into the filter");
    assert_eq!(press_ctrl(&mut app, 'c'), [Effect::Quit]);
}

/// The search prompt's state, when it is open.
fn search_box(app: &App) -> Option<&broadsheet::tui::app::SearchBox> {
    match app.overlay() {
        Some(Overlay::Search(search)) => Some(search),
        _ => None,
    }
}

#[test]
fn the_help_key_on_an_empty_prompt_shows_the_query_cheat_sheet() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('?'));
    let search = search_box(&app).expect("the prompt stays open");
    assert!(search.guide, "? on an empty prompt shows the sheet");
    assert_eq!(search.input, "", "and types nothing");
    // Typing goes on with the sheet shown; ? is then text.
    type_text(&mut app, "why?");
    let search = search_box(&app).expect("the prompt stays open");
    assert!(search.guide, "the sheet stays while typing");
    assert_eq!(search.input, "why?");
    press_ctrl(&mut app, 'u');
    press(&mut app, KeyCode::Char('?'));
    let search = search_box(&app).expect("the prompt stays open");
    assert!(!search.guide, "? on an empty prompt hides it again");
    press(&mut app, KeyCode::Char('?'));
    press(&mut app, KeyCode::Esc);
    assert!(
        app.overlay().is_none(),
        "esc closes the prompt and the sheet"
    );
    press(&mut app, KeyCode::Char('/'));
    assert!(
        !search_box(&app).is_some_and(|s| s.guide),
        "a new prompt opens without it"
    );
}

#[test]
fn a_message_goes_away_on_the_next_key_and_the_filter_stays() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "oseman");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('b'));
    let said = app.message().map(|m| m.text.clone()).unwrap_or_default();
    assert!(said.starts_with("bookmarked: "), "{said}");
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.message(), None, "the next key takes the message away");
    assert_eq!(app.query_label(), "oseman", "the filter is untouched");
    // A key that says something replaces the message with its own.
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("sorted oldest first")
    );
}

#[test]
fn a_message_that_came_while_the_prompt_was_open_waits_for_it_to_close() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('/'));
    send(&mut app, Event::Notice("the watcher stopped".into()));
    type_text(&mut app, "os");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.message().map(|m| m.text.as_str()),
        Some("the watcher stopped"),
        "the prompt hid it, so typing did not take it away"
    );
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.message(), None);
}

#[test]
fn a_help_key_that_types_nothing_shows_the_cheat_sheet_over_a_typed_query() {
    let mut app = app_with_config("[keys]\nhelp = [\"?\", \"f1\"]\n");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "tag:");
    press(&mut app, KeyCode::F(1));
    let search = search_box(&app).expect("the prompt stays open");
    assert!(search.guide, "f1 shows the sheet whatever is typed");
    assert_eq!(search.input, "tag:", "and leaves the query alone");
    press(&mut app, KeyCode::F(1));
    assert!(search_box(&app).is_some_and(|s| !s.guide), "and hides it");
}
