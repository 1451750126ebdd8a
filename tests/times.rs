//! Times, not just dates: a feed's dates kept as instants with the offset
//! they were written at (front matter `date = 2026-12-07T14:05:00+02:00`),
//! the list sorted by the instant, and today's articles shown by their time
//! in the reader and in `list`, at a pinned clock and zone.

mod common;
mod reader;

use std::fs;
use std::path::Path;

use broadsheet::article::{Article, Format};
use broadsheet::config::Config;
use broadsheet::library::SortOrder;
use chrono::{FixedOffset, NaiveDate};
use common::{Reply, Sandbox, TestServer};
use reader::{draw, reader_on, screen_text};

/// An RSS feed whose items are `(guid, title, pubDate)`.
fn rss(items: &[(&str, &str, &str)]) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Times</title>\
         <link>https://times.example/</link><description>d</description>\n",
    );
    for (guid, title, date) in items {
        text.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title>\
             <link>https://times.example/{guid}</link>\
             <pubDate>{date}</pubDate><description>About {title}.</description></item>\n"
        ));
    }
    text.push_str("</channel></rss>\n");
    text
}

/// Runs a command that must succeed, in the zone `tz`; its stdout.
fn cli_in(sandbox: &Sandbox, tz: &str, args: &[&str]) -> String {
    let output = sandbox
        .command(args)
        .env("TZ", tz)
        .output()
        .expect("run broadsheet");
    assert!(
        output.status.success(),
        "broadsheet {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// The `title` of every row of `list ARGS --json`, in order.
fn titles(sandbox: &Sandbox, args: &[&str]) -> Vec<String> {
    let mut full = args.to_vec();
    full.push("--json");
    json_rows(sandbox, &full)
        .iter()
        .map(|row| row["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn json_rows(sandbox: &Sandbox, args: &[&str]) -> Vec<serde_json::Value> {
    let json: serde_json::Value =
        serde_json::from_str(&cli_in(sandbox, "UTC", args)).expect("JSON");
    json.as_array().cloned().unwrap_or_default()
}

/// Every article file under `folder`, by name.
fn article_files(folder: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).expect("the folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(article_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            found.push((name, fs::read_to_string(&path).expect("an article")));
        }
    }
    found.sort();
    found
}

// ----- 18.10: the instant, kept from the feed and sorted by ------------------

/// Three items of one day, as their feed wrote them: sorted by title they
/// would be Alpha, Bravo, Charlie in both orders.
const ONE_DAY: [(&str, &str, &str); 3] = [
    ("t1", "Alpha", "Mon, 07 Dec 2026 14:00:00 Z"),
    ("t2", "Bravo", "Mon, 07 Dec 2026 20:00:00 -0500"),
    ("t3", "Charlie", "Mon, 07 Dec 2026 08:30:00 +0200"),
];

#[test]
fn three_items_of_one_day_sort_by_their_instant_in_both_orders() {
    let server = TestServer::start();
    server.route("/feed.xml", Reply::ok(rss(&ONE_DAY)));
    let sandbox = Sandbox::with_feeds();
    cli_in(&sandbox, "UTC", &["feed", "add", &server.url("/feed.xml")]);
    let out = cli_in(&sandbox, "UTC", &["fetch"]);
    assert!(out.contains("3 new"), "{out}");

    // 08:30+02:00 is 06:30Z, then 14:00Z, then 20:00-05:00 is 01:00Z the
    // next day.
    assert_eq!(
        titles(&sandbox, &["list", "--sort", "newest"]),
        ["Bravo", "Alpha", "Charlie"]
    );
    assert_eq!(
        titles(&sandbox, &["list", "--sort", "date"]),
        ["Bravo", "Alpha", "Charlie"]
    );
    assert_eq!(
        titles(&sandbox, &["list", "--sort", "oldest"]),
        ["Charlie", "Alpha", "Bravo"]
    );
    assert_eq!(
        titles(&sandbox, &["list", "--sort", "title"]),
        ["Alpha", "Bravo", "Charlie"]
    );

    // The files say the time and the offset the feed gave.
    let files = article_files(&sandbox.articles());
    let front = |title: &str| -> String {
        let (_, text) = files
            .iter()
            .find(|(_, text)| text.contains(&format!("title = \"{title}\"")))
            .unwrap_or_else(|| panic!("no file for {title}: {files:?}"));
        text.lines()
            .find(|line| line.starts_with("date = "))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(front("Alpha"), "date = 2026-12-07T14:00:00Z");
    assert_eq!(front("Bravo"), "date = 2026-12-07T20:00:00-05:00");
    assert_eq!(front("Charlie"), "date = 2026-12-07T08:30:00+02:00");

    // JSON keeps the date as written and the whole datetime beside it.
    let rows = json_rows(&sandbox, &["list", "--sort", "oldest", "--json"]);
    let fields: Vec<(&str, &str)> = rows
        .iter()
        .map(|row| {
            (
                row["date"].as_str().unwrap_or_default(),
                row["datetime"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("2026-12-07", "2026-12-07T08:30:00+02:00"),
            ("2026-12-07", "2026-12-07T14:00:00Z"),
            ("2026-12-07", "2026-12-07T20:00:00-05:00"),
        ]
    );

    // The same order from the cache the first `list` wrote.
    assert_eq!(
        titles(&sandbox, &["list", "--sort", "oldest"]),
        ["Charlie", "Alpha", "Bravo"]
    );
}

#[test]
fn broken_feed_dates_keep_their_time_and_zone() {
    let server = TestServer::start();
    let items = [
        (
            "b1",
            "Comment after the zone",
            "Mon, 7 Dec 2026 14:05:00 +0000 (UTC)",
        ),
        ("b2", "Two-digit year", "Mon, 7 Dec 26 09:15:00 EST"),
        ("b3", "No seconds", "Mon, 7 Dec 2026 10:20 PDT"),
        ("b4", "ISO without T", "2026-12-07 11:45:00 +01:00"),
        ("b5", "Named zone", "Mon, 07 Dec 2026 16:00:00 CET"),
    ];
    server.route("/feed.xml", Reply::ok(rss(&items)));
    let sandbox = Sandbox::with_feeds();
    cli_in(&sandbox, "UTC", &["feed", "add", &server.url("/feed.xml")]);
    cli_in(&sandbox, "UTC", &["fetch"]);
    let rows = json_rows(&sandbox, &["list", "--sort", "oldest", "--json"]);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|row| {
            (
                row["title"].as_str().unwrap_or_default(),
                row["datetime"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ISO without T", "2026-12-07T11:45:00+01:00"), // 10:45Z
            ("Comment after the zone", "2026-12-07T14:05:00Z"),
            ("Two-digit year", "2026-12-07T09:15:00-05:00"), // 14:15Z
            ("Named zone", "2026-12-07T16:00:00+01:00"),     // 15:00Z
            ("No seconds", "2026-12-07T10:20:00-07:00"),     // 17:20Z
        ]
    );
}

#[test]
fn undated_articles_come_last_in_the_order_of_their_paths() {
    let sandbox = Sandbox::empty();
    let articles = sandbox.articles();
    fs::create_dir_all(articles.join("feed")).expect("a folder");
    // Titles in the other order from the paths: the paths decide.
    for (name, title) in [
        ("feed/1-first.md", "Zulu"),
        ("feed/2-second.md", "Yankee"),
        ("feed/3-third.md", "X-ray"),
    ] {
        fs::write(
            articles.join(name),
            format!("+++\ntitle = \"{title}\"\n+++\nBody.\n"),
        )
        .expect("write");
    }
    fs::write(
        articles.join("dated.md"),
        "+++\ntitle = \"Dated\"\ndate = 2026-12-07T14:05:00+02:00\n+++\nBody.\n",
    )
    .expect("write");
    for sort in ["newest", "oldest"] {
        assert_eq!(
            titles(&sandbox, &["list", "--sort", sort]),
            ["Dated", "Zulu", "Yankee", "X-ray"],
            "{sort}"
        );
    }
}

// ----- the article format: a date or a datetime ----------------------------

fn markdown(text: &str) -> Article {
    Article::from_bytes(
        "a.md".into(),
        "a.md".into(),
        text.as_bytes(),
        Format::Markdown,
    )
    .unwrap_or_else(|rejected| panic!("rejected: {rejected}"))
}

#[test]
fn front_matter_reads_a_date_or_a_datetime() {
    let day = NaiveDate::from_ymd_opt(2026, 12, 7);
    let clock_of = |article: &Article| article.clock.map(|c| (c.seconds(), c.offset_minutes()));
    for (value, clock) in [
        ("2026-12-07", None),
        ("2026-12-07T14:05:00+02:00", Some((14 * 3600 + 5 * 60, 120))),
        ("2026-12-07T14:05:00Z", Some((14 * 3600 + 5 * 60, 0))),
        (
            "2026-12-07T14:05:00-09:30",
            Some((14 * 3600 + 5 * 60, -570)),
        ),
        ("2026-12-07T14:05:00", Some((14 * 3600 + 5 * 60, 0))),
        ("2026-12-07 14:05:00+02:00", Some((14 * 3600 + 5 * 60, 120))),
        (
            "\"2026-12-07T14:05:00+02:00\"",
            Some((14 * 3600 + 5 * 60, 120)),
        ),
        ("\"2026-12-07\"", None),
    ] {
        let article = markdown(&format!("+++\ndate = {value}\n+++\nBody.\n"));
        assert_eq!(article.date, day, "{value}");
        assert_eq!(clock_of(&article), clock, "{value}");
    }
}

#[test]
fn the_seed_articles_read_exactly_as_before() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let mut dates = Vec::new();
    let mut names: Vec<_> = fs::read_dir(&folder)
        .expect("articles/")
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let bytes = fs::read(&path).expect("a seed article");
        let id = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let article = Article::from_bytes(id, path.clone(), &bytes, Format::Plain)
            .unwrap_or_else(|rejected| panic!("rejected: {rejected}"));
        assert_eq!(article.clock, None, "{}", path.display());
        dates.push(article.date.map(|d| d.to_string()));
    }
    let want = [
        Some("2024-12-24"),
        Some("2025-02-17"),
        Some("2024-09-03"),
        None,
        Some("2023-09-16"),
    ];
    let got: Vec<Option<&str>> = dates.iter().map(Option::as_deref).collect();
    assert_eq!(got, want);
}

// ----- 19.5: the list shows today's times -----------------------------------

/// A folder of articles around the readers' pinned "now" (2026-11-29
/// 12:00 UTC).
fn around_now(root: &Path) {
    for (name, title, date) in [
        ("a.md", "Rain at nine", "2026-11-29T09:05:00+01:00"),
        (
            "b.md",
            "Yesterday there, today here",
            "2026-11-28T20:30:00-05:00",
        ),
        ("c.md", "Today there, tomorrow here", "2026-11-29T23:30:00Z"),
        ("d.md", "A date alone, today", "2026-11-29"),
        ("e.md", "Last week", "2026-11-22T10:00:00Z"),
    ] {
        fs::write(
            root.join(name),
            format!(
                "+++\ntitle = \"{title}\"\ndate = {date}\ntags = [\"times\"]\n+++\nAbout {title}.\n"
            ),
        )
        .expect("write");
    }
    fs::write(
        root.join("f.md"),
        "+++\ntitle = \"Undated\"\n+++\nNo date.\n",
    )
    .expect("write");
}

#[test]
fn the_list_shows_the_time_of_todays_articles_in_the_readers_zone() {
    let folder = tempfile::tempdir().expect("a folder");
    around_now(folder.path());
    let plus_one = FixedOffset::east_opt(3600).expect("an offset");
    for (width, height) in [(120, 40), (80, 24), (50, 20)] {
        let mut app = reader_on(folder.path(), width, height);
        app.set_time_zone(plus_one);
        let screen = screen_text(&draw(&app));
        insta::assert_snapshot!(format!("today_{width}x{height}"), screen);
        let rows: Vec<&str> = screen.lines().collect();
        let row_of = |title: &str| {
            let short: String = title.chars().take(8).collect();
            rows.iter()
                .find(|row| row.contains(&short))
                .unwrap_or_else(|| panic!("{title} is listed at {width}x{height}:\n{screen}"))
                .to_string()
        };
        // 08:05Z is 09:05 at +01:00; 01:30Z on the 29th is 02:30 here.
        assert!(row_of("Rain at nine").contains("09:05"), "{screen}");
        assert!(row_of("Yesterday there").contains("02:30"), "{screen}");
        assert!(row_of("Today there").contains("2026-11-30"), "{screen}");
        assert!(row_of("A date alone").contains("2026-11-29"), "{screen}");
        assert!(row_of("Last week").contains("2026-11-22"), "{screen}");
    }
    // Newest first by the instant; undated last.
    let app = reader_on(folder.path(), 120, 40);
    let screen = screen_text(&draw(&app));
    let order: Vec<usize> = [
        "Today there",
        "Rain at nine",
        "Yesterday there",
        "A date alone",
        "Last week",
        "Undated",
    ]
    .iter()
    .map(|title| {
        screen
            .find(title)
            .unwrap_or_else(|| panic!("{title}:\n{screen}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{screen}");
}

#[test]
fn list_shows_dates_of_other_days_in_the_machines_zone() {
    let sandbox = Sandbox::empty();
    around_now(&sandbox.articles());
    // Far from today whatever the machine's clock says: the dates, in the
    // zone of TZ.
    let out = cli_in(&sandbox, "UTC", &["list", "--sort", "oldest"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("2026-11-22 "), "{out}");
    assert!(
        lines[2].starts_with("2026-11-29 ") && lines[2].contains("Yesterday there"),
        "{out}"
    );
    let out = cli_in(&sandbox, "EST5", &["list", "--sort", "oldest"]);
    let yesterday = out
        .lines()
        .find(|line| line.contains("Yesterday there"))
        .unwrap_or_default();
    assert!(yesterday.starts_with("2026-11-28 "), "{out}");
}

#[test]
fn newest_is_a_sort_in_the_config_too() {
    let sandbox = Sandbox::empty();
    sandbox.write_config("[display]\nsort = \"newest\"\n");
    let config_check = sandbox.run(&["check"]);
    assert!(
        config_check.status.success(),
        "{}",
        String::from_utf8_lossy(&config_check.stderr)
    );
    assert_eq!(SortOrder::from_name("newest"), Some(SortOrder::Date));
    assert_eq!(Config::default().display.sort, SortOrder::Date);
}

#[test]
fn show_and_the_reader_give_the_time_and_offset_as_written() {
    let sandbox = Sandbox::empty();
    fs::write(
        sandbox.articles().join("dated.md"),
        "+++\ntitle = \"Dated\"\ndate = 2026-12-07T14:05:00+02:00\n+++\nBody.\n",
    )
    .expect("write");
    let out = cli_in(&sandbox, "UTC", &["show", "dated.md"]);
    assert_eq!(
        out.lines().nth(1),
        Some("2026-12-07 14:05 +02:00 · unread"),
        "{out}"
    );

    let mut app = reader_on(&sandbox.articles(), 120, 40);
    app.set_time_zone(FixedOffset::east_opt(0).expect("UTC"));
    let screen = screen_text(&draw(&app));
    assert!(screen.contains("2026-12-07 14:05 +02:00"), "{screen}");
}
