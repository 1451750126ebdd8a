//! Feeds in the reader, without a terminal: `F` asks for a background
//! fetch whose progress the status line shows, `f` opens the feeds popup
//! with each feed's last fetch and the selected one's error, and `T` asks
//! for the selected article's full text.

mod reader;

use chrono::Utc;
use ratatui::crossterm::event::KeyCode;
use reader::*;

use broadsheet::feeds::status::FeedStatus;
use broadsheet::tui::app::{Effect, Event, FetchProgress, Fetched, Overlay};

fn status(name: &str, status: &str, error: Option<&str>) -> FeedStatus {
    FeedStatus {
        name: name.into(),
        url: format!("https://{}.example/feed", name.to_lowercase()),
        tags: Vec::new(),
        full_text: false,
        folder: None,
        last_fetch: Some(Utc::now()),
        status: status.into(),
        items: 12,
        last_new: 0,
        last_updated: 0,
        last_error: error.map(str::to_string),
        moved_to: None,
        dir: name.to_lowercase(),
    }
}

#[test]
fn fetching_shows_its_progress_and_how_it_ended() {
    let mut app = samples_reader(120, 40);
    assert_eq!(
        press(&mut app, KeyCode::Char('F')),
        vec![Effect::FetchFeeds]
    );
    // A second F while one runs starts nothing.
    assert!(press(&mut app, KeyCode::Char('F')).is_empty());
    send(
        &mut app,
        Event::FetchProgress(FetchProgress {
            done: 3,
            total: 10,
            new: 7,
        }),
    );
    let screen = screen_text(&draw(&app));
    assert!(screen.contains("fetching 3/10 · 7 new"), "{screen}");
    let effects = send(
        &mut app,
        Event::FeedsFetched(Fetched::Done {
            feeds: 10,
            new: 9,
            updated: 0,
            failed: vec!["Gone".into()],
            accounts: Default::default(),
        }),
    );
    assert!(effects.is_empty());
    let screen = screen_text(&draw(&app));
    assert!(!screen.contains("fetching"), "{screen}");
    assert!(
        screen.contains("fetched 10 feeds: 9 new; 1 failed (Gone): f says why"),
        "{screen}"
    );
    // Done: F starts another.
    assert_eq!(
        press(&mut app, KeyCode::Char('F')),
        vec![Effect::FetchFeeds]
    );
}

#[test]
fn the_feeds_popup_lists_each_feed_and_the_selected_ones_error() {
    let mut app = samples_reader(120, 40);
    assert_eq!(press(&mut app, KeyCode::Char('f')), vec![Effect::ReadFeeds]);
    send(
        &mut app,
        Event::FeedsRead(Ok(vec![
            status("Daily", "ok", None),
            status(
                "Gone",
                "failed",
                Some("https://gone.example/feed: the server answered 410 Gone"),
            ),
        ])),
    );
    assert!(matches!(app.overlay(), Some(Overlay::Feeds(_))));
    let screen = screen_text(&draw(&app));
    assert!(
        screen.contains("Daily") && screen.contains("Gone"),
        "{screen}"
    );
    assert!(screen.contains("12 items"), "{screen}");
    assert!(
        screen.contains("https://daily.example/feed"),
        "the first is selected: {screen}"
    );
    press(&mut app, KeyCode::Char('j'));
    let screen = screen_text(&draw(&app));
    assert!(
        screen.contains("last error: https://gone.example/feed: the server answered 410"),
        "{screen}"
    );
    // F fetches from the popup, which stays open and is read again after.
    assert_eq!(
        press(&mut app, KeyCode::Char('F')),
        vec![Effect::FetchFeeds]
    );
    assert!(matches!(app.overlay(), Some(Overlay::Feeds(_))));
    let effects = send(
        &mut app,
        Event::FeedsFetched(Fetched::Done {
            feeds: 2,
            new: 0,
            updated: 0,
            failed: Vec::new(),
            accounts: Default::default(),
        }),
    );
    assert_eq!(effects, vec![Effect::ReadFeeds]);
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
}

#[test]
fn a_long_feeds_list_keeps_the_selection_in_view_and_counts_the_rest() {
    let mut app = samples_reader(80, 24);
    press(&mut app, KeyCode::Char('f'));
    let feeds = (0..30)
        .map(|n| status(&format!("Feed{n:02}"), "ok", None))
        .collect();
    send(&mut app, Event::FeedsRead(Ok(feeds)));
    let screen = screen_text(&draw(&app));
    assert!(
        screen.contains("Feed14") && !screen.contains("Feed15"),
        "{screen}"
    );
    assert!(screen.contains(" ↓ 15 more "), "{screen}");
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    let screen = screen_text(&draw(&app));
    assert!(
        screen.contains("https://feed20.example/feed"),
        "the selected feed's address: {screen}"
    );
    assert!(
        screen.contains("Feed20") && !screen.contains("Feed21"),
        "{screen}"
    );
    assert!(!screen.contains("Feed03"), "{screen}");
    assert!(screen.contains(" ↑↓ 15 more "), "{screen}");
}

#[test]
fn no_feeds_is_said_with_what_to_do() {
    let mut app = samples_reader(80, 24);
    press(&mut app, KeyCode::Char('f'));
    send(&mut app, Event::FeedsRead(Ok(Vec::new())));
    assert!(app.overlay().is_none());
    let screen = screen_text(&draw(&app));
    assert!(screen.contains("no feeds yet"), "{screen}");
}

#[test]
fn full_text_needs_an_article_with_a_url() {
    let mut app = samples_reader(120, 40);
    // The samples have no url: nothing to fetch, and it is said.
    assert!(press(&mut app, KeyCode::Char('T')).is_empty());
    let screen = screen_text(&draw(&app));
    assert!(screen.contains("no url"), "{screen}");
    send(
        &mut app,
        Event::FullTextDone(Ok("full text kept: 420 words".into())),
    );
    let screen = screen_text(&draw(&app));
    assert!(screen.contains("full text kept: 420 words"), "{screen}");
}
