//! A new person's first run: the empty first screen (which folder, and how
//! to fill it) at three sizes, and the whole path through the binary in a
//! new home with no config: `feed add`, `fetch`, then `list` and the reader
//! from two working folders, which see the same articles.

mod common;
mod reader;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use broadsheet::tui::app::{App, Event};
use common::{Reply, Sandbox, Session, TestServer};
use reader::{config_for, draw, load_events, screen_text, send};

/// The sizes of the first screen's snapshots: wide, classic and small.
const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (50, 20)];

/// The folder the snapshots name: where a person's articles are by
/// default (the reader is loaded from an empty temporary folder; only the
/// name shown is this one, so that the snapshots are the same everywhere).
const SHOWN_FOLDER: &str = "/home/reader/.local/share/broadsheet/articles";

/// The reader on an empty folder, at `width` x `height`.
fn first_screen(width: u16, height: u16) -> App {
    let empty = tempfile::tempdir().expect("a temporary folder");
    let events = load_events(&config_for(empty.path()));
    let mut config = config_for(empty.path());
    config.library.articles = PathBuf::from(SHOWN_FOLDER);
    let mut app = App::new(config);
    send(&mut app, Event::Resize(width, height));
    for event in events {
        send(&mut app, event);
    }
    app
}

/// The words of a screen: its text split at spaces and box-drawing edges.
fn words(screen: &str) -> Vec<String> {
    screen
        .split(|c: char| c.is_whitespace() || ('\u{2500}'..='\u{257f}').contains(&c))
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_empty_first_screen_names_the_folder_and_the_next_steps() {
    for (width, height) in SIZES {
        let app = first_screen(width, height);
        let screen = screen_text(&draw(&app));
        insta::assert_snapshot!(format!("first_screen_{width}x{height}"), screen);
        // The folder, whole, across lines broken after a `/`.
        let joined: String = screen
            .lines()
            .map(|line| line.trim_matches(|c: char| c == ' ' || c == '│'))
            .collect();
        assert!(joined.contains(SHOWN_FOLDER), "{width}x{height}:\n{screen}");
        // Every word of the steps is on the screen whole: nothing is cut
        // mid-word, at any size.
        let shown = words(&screen);
        for phrase in [
            "No articles yet in",
            "Subscribe to a feed: broadsheet feed add URL",
            "or import yours: broadsheet feed import FILE.opml",
            "then press F here to fetch them.",
            "Or put .txt and .md files in the folder.",
        ] {
            for word in phrase.split(' ') {
                assert!(
                    shown.iter().any(|w| w == word),
                    "{width}x{height}: `{word}` of \"{phrase}\" is not whole:\n{screen}"
                );
            }
        }
        assert!(!screen.contains("no articles in this folder"), "{screen}");
        assert!(
            screen.contains("? help") && screen.contains("q quit"),
            "{width}x{height}:\n{screen}"
        );
    }
}

/// An RSS feed of two items.
fn feed() -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Town News</title>\
         <link>https://news.example/</link><description>d</description>\n",
    );
    for (guid, title) in [("a1", "Tram Line Opens"), ("a2", "Night Market Returns")] {
        text.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title>\
             <link>https://news.example/{guid}</link>\
             <pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate>\
             <description>The story of {title}.</description></item>\n"
        ));
    }
    text.push_str("</channel></rss>\n");
    text
}

/// A new home: the sandbox's HOME and XDG folders, no config file and no
/// articles folder anywhere; and two working folders.
fn new_home() -> (Sandbox, PathBuf, PathBuf) {
    let sandbox = Sandbox::empty();
    fs::remove_file(sandbox.path().join("config.toml")).expect("no config");
    fs::remove_dir(sandbox.articles()).expect("no articles folder");
    let one = sandbox.path().join("one");
    let two = sandbox.path().join("projects/two");
    for dir in [&one, &two] {
        fs::create_dir_all(dir).expect("a working folder");
    }
    (sandbox, one, two)
}

/// `broadsheet ARGS` run in `dir`, which must succeed; its stdout.
fn run_in(sandbox: &Sandbox, dir: &Path, args: &[&str]) -> String {
    let mut command: Command = sandbox.command(args);
    let output = command.current_dir(dir).output().expect("run broadsheet");
    assert!(
        output.status.success(),
        "broadsheet {args:?} in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// The titles `list --json` prints, in order.
fn titles(json: &str) -> Vec<String> {
    let rows: serde_json::Value = serde_json::from_str(json).expect("list --json is JSON");
    rows.as_array()
        .expect("an array")
        .iter()
        .map(|row| row["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn feed_add_fetch_then_list_and_the_reader_from_two_folders_see_the_same_articles() {
    let (sandbox, one, two) = new_home();
    let server = TestServer::start();
    server.route("/feed.xml", Reply::ok(feed()));
    let added = run_in(&sandbox, &one, &["feed", "add", &server.url("/feed.xml")]);
    assert!(added.contains("subscribed: Town News"), "{added}");
    // It says what brings the articles, and where they go.
    let data = sandbox.path().join("xdg-data/broadsheet");
    assert!(
        added.contains("`broadsheet fetch` (or F in the reader) brings its articles into")
            && added.contains(&data.join("articles").display().to_string()),
        "{added}"
    );
    // Fetched from the other folder: the same feeds file.
    let fetched = run_in(&sandbox, &two, &["fetch"]);
    assert!(fetched.contains("2 new"), "{fetched}");
    let mut expected = vec![
        "Night Market Returns".to_string(),
        "Tram Line Opens".to_string(),
    ];
    expected.sort();
    for dir in [&one, &two, &sandbox.path().to_path_buf()] {
        let mut seen = titles(&run_in(&sandbox, dir, &["list", "--json"]));
        seen.sort();
        assert_eq!(seen, expected, "list in {}", dir.display());
    }
    for dir in [&one, &two] {
        let mut session = Session::start_in(&sandbox, dir, 80, 24);
        session.wait_for_text(&["Tram Line Opens", "Night Market Returns"]);
        session.quit();
    }
    // Everything is in the data folder; no working folder got an
    // `articles` folder.
    assert!(data.join("feeds.toml").is_file());
    assert!(data.join("feeds-state").is_dir());
    for dir in [&one, &two, &sandbox.path().to_path_buf()] {
        assert!(
            !dir.join("articles").exists(),
            "an articles folder was made in {}",
            dir.display()
        );
    }
}
