//! The feeds view, without a terminal: keys through the real key map into
//! the App, frames drawn by the real views. Each feed with its unread and
//! total articles; `enter` shows its articles in the list (its name in the
//! status line), `esc` or `q` there go back to the view on the same feed;
//! `r` fetches one feed, `A` marks a feed read (undone by `Z`), `Q` quits;
//! the feed's name stands before the titles when several feeds are shown.
//! Snapshots of the view at 120x40, 80x24 and 50x20.

mod reader;

use std::fs;
use std::path::Path;

use broadsheet::config::{Config, FetchingConfig, NotifyQuery};
use broadsheet::feeds::status::FeedStatus;
use broadsheet::library::query;
use broadsheet::store::MarkChange;
use broadsheet::tui::app::{App, Effect, Event, Overlay};
use ratatui::crossterm::event::KeyCode;
use reader::*;

/// Writes an article with this title and date at `path` under `root`.
fn article(root: &Path, path: &str, title: &str, date: &str) {
    let file = root.join(path);
    if let Some(folder) = file.parent() {
        fs::create_dir_all(folder).expect("a feed folder");
    }
    fs::write(
        file,
        format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n\nThe text of {title}.\n"),
    )
    .expect("an article");
}

/// A folder of two feeds' articles (three of Daily News, one of Weekly)
/// and one article of no feed.
fn feeds_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = dir.path();
    article(root, "daily-news/one.md", "Rain at dawn", "2026-11-20");
    article(root, "daily-news/two.md", "Sun at noon", "2026-11-22");
    article(root, "daily-news/three.md", "Wind at dusk", "2026-11-24");
    article(
        root,
        "weekly/roundup.md",
        "The week in review",
        "2026-11-23",
    );
    article(root, "note.md", "A note of my own", "2026-11-21");
    dir
}

/// A feed's row as the run loop reads it, never fetched.
fn status(name: &str, dir: &str, error: Option<&str>) -> FeedStatus {
    FeedStatus {
        name: name.into(),
        url: format!("https://{dir}.example/feed.xml"),
        tags: Vec::new(),
        full_text: false,
        folder: None,
        last_fetch: None,
        status: if error.is_some() {
            "failed"
        } else {
            "never fetched"
        }
        .into(),
        items: 0,
        last_new: 0,
        last_updated: 0,
        last_error: error.map(str::to_string),
        moved_to: None,
        dir: dir.into(),
    }
}

fn rows() -> Vec<FeedStatus> {
    vec![
        status("Daily News", "daily-news", None),
        status(
            "Weekly",
            "weekly",
            Some("https://weekly.example/feed.xml: the server answered 503; try again later"),
        ),
    ]
}

/// A reader on the feeds folder with `f` pressed and the feeds read.
fn with_view(root: &Path, width: u16, height: u16) -> App {
    let mut app = reader_on(root, width, height);
    assert_eq!(press(&mut app, KeyCode::Char('f')), vec![Effect::ReadFeeds]);
    send(&mut app, Event::FeedsRead(Ok(rows())));
    app
}

fn screen(app: &App) -> String {
    screen_text(&draw(app))
}

/// The feeds view's row of the feed `name` on the screen `text`.
fn view_row<'t>(text: &'t str, name: &str) -> &'t str {
    let start = format!("│{name} ");
    text.lines().find(|l| l.contains(&start)).unwrap_or("")
}

fn view_selected(app: &App) -> Option<String> {
    match app.overlay() {
        Some(Overlay::Feeds(view)) => view.selected_feed().map(|feed| feed.name.clone()),
        _ => None,
    }
}

#[test]
fn the_view_counts_each_feeds_unread_and_total_articles() {
    let dir = feeds_folder();
    let app = with_view(dir.path(), 120, 40);
    let text = screen(&app);
    assert!(text.contains("unread/all"), "{text}");
    let daily = view_row(&text, "Daily News");
    assert!(daily.contains("3/3"), "{text}");
    let weekly = view_row(&text, "Weekly");
    assert!(
        weekly.contains("1/1") && weekly.contains("failed"),
        "{text}"
    );
    for hint in [
        "enter articles",
        "r fetch",
        "A mark read",
        "F fetch all",
        "esc/q close",
        "Q quit",
    ] {
        assert!(text.contains(hint), "{hint}: {text}");
    }
}

#[test]
fn enter_shows_the_feeds_articles_and_esc_or_q_go_back_to_the_view() {
    let dir = feeds_folder();
    let mut app = with_view(dir.path(), 120, 40);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    assert_eq!(app.visible().len(), 1);
    assert_eq!(selected_id(&app), "weekly/roundup.md");
    let text = screen(&app);
    assert!(text.contains("feed Weekly"), "the view's name: {text}");
    // Back: the view is read again and opens on the feed it left.
    assert_eq!(press(&mut app, KeyCode::Esc), vec![Effect::ReadFeeds]);
    assert_eq!(app.visible().len(), 5, "the whole list again");
    send(&mut app, Event::FeedsRead(Ok(rows())));
    assert_eq!(view_selected(&app).as_deref(), Some("Weekly"));
    // `q` in the view goes back to the list, never quits.
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert!(app.overlay().is_none());
    // Into Daily News, its three articles newest first; `q` goes back.
    press(&mut app, KeyCode::Char('f'));
    send(&mut app, Event::FeedsRead(Ok(rows())));
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.visible().len(), 3);
    assert_eq!(selected_id(&app), "daily-news/three.md");
    // An article open: `esc` closes it first, then goes to the view.
    press(&mut app, KeyCode::Enter);
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.visible().len(), 3, "still the feed's articles");
    assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Effect::ReadFeeds]);
    // `Q` quits from the view and from a feed's articles alike (once the
    // read mark of the article opened is saved).
    send(&mut app, Event::Saved(None));
    send(&mut app, Event::FeedsRead(Ok(rows())));
    assert_eq!(press(&mut app, KeyCode::Char('Q')), vec![Effect::Quit]);
    let dir = feeds_folder();
    let mut app = with_view(dir.path(), 120, 40);
    press(&mut app, KeyCode::Enter);
    assert_eq!(press(&mut app, KeyCode::Char('Q')), vec![Effect::Quit]);
}

#[test]
fn ctrl_c_still_quits_from_a_feeds_articles() {
    let dir = feeds_folder();
    let mut app = with_view(dir.path(), 120, 40);
    press(&mut app, KeyCode::Enter);
    assert_eq!(press_ctrl(&mut app, 'c'), vec![Effect::Quit]);
}

#[test]
fn r_fetches_the_selected_feed_alone() {
    let dir = feeds_folder();
    let mut app = with_view(dir.path(), 120, 40);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(
        press(&mut app, KeyCode::Char('r')),
        vec![Effect::FetchFeed("https://weekly.example/feed.xml".into())]
    );
    assert!(
        matches!(app.overlay(), Some(Overlay::Feeds(_))),
        "the view stays"
    );
    assert!(screen(&app).contains("fetching 0/1"), "{}", screen(&app));
    // One fetch at a time.
    assert!(press(&mut app, KeyCode::Char('r')).is_empty());
}

#[test]
fn a_feed_marked_read_counts_zero_unread_and_undo_takes_it_back() {
    let dir = feeds_folder();
    let mut app = with_view(dir.path(), 120, 40);
    let effects = press(&mut app, KeyCode::Char('A'));
    let Some(Effect::Save(MarkChange::SetRead(ids, true))) = effects.first() else {
        panic!("a save of read marks: {effects:?}");
    };
    let mut ids = ids.clone();
    ids.sort();
    assert_eq!(
        ids,
        [
            "daily-news/one.md",
            "daily-news/three.md",
            "daily-news/two.md"
        ]
    );
    let text = screen(&app);
    let daily = view_row(&text, "Daily News");
    assert!(daily.contains("0/3"), "{text}");
    assert!(text.contains("marked 3 of Daily News read"), "{text}");
    // Again: nothing left to mark.
    assert!(press(&mut app, KeyCode::Char('A')).is_empty());
    // Undo, from the list, as any other mark-read.
    press(&mut app, KeyCode::Esc);
    let effects = press(&mut app, KeyCode::Char('Z'));
    assert!(
        matches!(
            effects.first(),
            Some(Effect::Save(MarkChange::SetRead(_, false)))
        ),
        "{effects:?}"
    );
    press(&mut app, KeyCode::Char('f'));
    send(&mut app, Event::FeedsRead(Ok(rows())));
    let text = screen(&app);
    let daily = view_row(&text, "Daily News");
    assert!(daily.contains("3/3"), "{text}");
}

#[test]
fn the_feed_name_stands_before_titles_only_when_several_feeds_are_shown() {
    let dir = feeds_folder();
    let mut app = reader_on(dir.path(), 120, 40);
    let row_of = |app: &App, title: &str| {
        screen(app)
            .lines()
            .find(|line| line.contains(title))
            .unwrap_or("")
            .to_string()
    };
    // The names are not known yet: no column.
    assert!(!row_of(&app, "Rain at dawn").contains("Daily News"));
    // Read quietly as the reader starts: the list gets the names, no
    // view opens.
    let effects = app.start(now());
    assert_eq!(effects, vec![Effect::ReadFeeds]);
    send(&mut app, Event::FeedsRead(Ok(rows())));
    assert!(app.overlay().is_none());
    let rain = row_of(&app, "Rain at dawn");
    assert!(rain.contains("Daily News  Rain at dawn"), "{rain}");
    assert!(row_of(&app, "The week in review").contains("Weekly"));
    let note = row_of(&app, "A note of my own");
    assert!(
        !note.contains("Daily") && !note.contains("Weekly"),
        "{note}"
    );
    // One feed shown: its name is in the status line, not on every row.
    press(&mut app, KeyCode::Char('f'));
    send(&mut app, Event::FeedsRead(Ok(rows())));
    press(&mut app, KeyCode::Enter);
    let rain = row_of(&app, "Rain at dawn");
    assert!(!rain.contains("Daily News"), "{rain}");
}

#[test]
fn a_saved_view_chosen_in_a_feeds_articles_shows_the_whole_view() {
    let dir = feeds_folder();
    let config = Config {
        views: vec![broadsheet::config::View {
            name: "Dated".into(),
            query: "date:2026-11".into(),
        }],
        ..config_for(dir.path())
    };
    let mut app = reader(config, 120, 40);
    press(&mut app, KeyCode::Char('f'));
    send(&mut app, Event::FeedsRead(Ok(rows())));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.visible().len(), 3);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(app.visible().len(), 5, "every article of the view");
    let text = screen(&app);
    assert!(!text.contains("feed Daily News"), "{text}");
}

/// A config on `root` with these `[fetching]` settings.
fn fetching_config(root: &Path, fetching: FetchingConfig) -> Config {
    Config {
        fetching,
        ..config_for(root)
    }
}

#[test]
fn timed_fetches_start_with_the_reader_and_the_status_says_when_the_next_is() {
    let dir = feeds_folder();
    let config = fetching_config(
        dir.path(),
        FetchingConfig {
            on_start: true,
            every: Some(std::time::Duration::from_secs(15 * 60)),
            ..FetchingConfig::default()
        },
    );
    let mut app = reader(config, 120, 40);
    app.set_time_zone(chrono::FixedOffset::east_opt(0).expect("UTC"));
    // 12:00 now: a fetch at once, the next at 12:15.
    assert_eq!(
        app.start(now()),
        vec![Effect::ReadFeeds, Effect::FetchFeeds]
    );
    assert!(screen(&app).contains("fetching 0/0"), "{}", screen(&app));
    send(
        &mut app,
        Event::FeedsFetched(broadsheet::tui::app::Fetched::Done {
            feeds: 2,
            new: 0,
            updated: 0,
            failed: Vec::new(),
            accounts: Default::default(),
        }),
    );
    let text = screen(&app);
    assert!(text.contains("next fetch 12:15"), "{text}");
    // The timer: another fetch, the next one later.
    let later = now() + chrono::TimeDelta::minutes(15);
    assert_eq!(
        app.on_event(Event::FetchDue, later),
        vec![Effect::FetchFeeds]
    );
    // Due while a fetch runs: nothing more starts.
    assert!(app.on_event(Event::FetchDue, later).is_empty());
    app.prepare();
    send(
        &mut app,
        Event::FeedsFetched(broadsheet::tui::app::Fetched::Done {
            feeds: 2,
            new: 0,
            updated: 0,
            failed: Vec::new(),
            accounts: Default::default(),
        }),
    );
    assert!(
        screen(&app).contains("next fetch 12:30"),
        "{}",
        screen(&app)
    );
}

#[test]
fn without_settings_nothing_is_fetched_on_its_own() {
    let dir = feeds_folder();
    let mut app = reader_on(dir.path(), 120, 40);
    assert_eq!(app.start(now()), vec![Effect::ReadFeeds]);
    assert!(app.on_event(Event::FetchDue, now()).is_empty());
    assert!(!screen(&app).contains("next fetch"));
}

#[test]
fn new_articles_that_match_the_query_notify_with_title_and_feed() {
    let dir = feeds_folder();
    let notify = NotifyQuery {
        text: "storm".into(),
        query: query::parse("storm").unwrap_or_default(),
    };
    let config = fetching_config(
        dir.path(),
        FetchingConfig {
            notify: Some(notify),
            notify_command: Some(vec!["logger".into(), "--".into()]),
            ..FetchingConfig::default()
        },
    );
    let mut app = reader(config.clone(), 120, 40);
    app.start(now());
    send(&mut app, Event::FeedsRead(Ok(rows())));
    // Two arrive (a fetch wrote them); one matches.
    article(
        dir.path(),
        "daily-news/four.md",
        "Storm warning",
        "2026-11-25",
    );
    article(dir.path(), "weekly/calm.md", "A calm week", "2026-11-25");
    let mut notified = Vec::new();
    for event in refresh_events(&config) {
        notified.extend(send(&mut app, event));
    }
    let notices: Vec<_> = notified
        .iter()
        .filter_map(|effect| match effect {
            Effect::Notify(notice) => notice.command.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        notices,
        [vec![
            "logger".to_string(),
            "--".to_string(),
            "Storm warning".to_string(),
            "Daily News".to_string()
        ]]
    );
}

// ----- snapshots -------------------------------------------------------

#[test]
fn snapshots_of_the_feeds_view() {
    for (width, height) in [(120, 40), (80, 24), (50, 20)] {
        let dir = feeds_folder();
        let mut app = with_view(dir.path(), width, height);
        press(&mut app, KeyCode::Char('j'));
        insta::assert_snapshot!(format!("feeds_view_{width}x{height}"), screen(&app));
    }
}

#[test]
fn snapshot_of_a_feeds_articles() {
    let dir = feeds_folder();
    let mut app = with_view(dir.path(), 80, 24);
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("feeds_view_daily_articles_80x24", screen(&app));
}
