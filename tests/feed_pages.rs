//! Feeds, pages and OPML files as the fetcher meets them, from the fixtures
//! in `tests/fixtures/`: every feed format parsed to the items written
//! (snapshots), the errors for broken feeds and web pages, feed discovery
//! on a page, OPML imports clean and sloppy, and full-text extraction that
//! keeps the article and leaves the page's furniture behind.

use std::path::PathBuf;

use broadsheet::feeds::discover::{FeedKind, FoundFeed, feed_links, looks_like_html};
use broadsheet::feeds::fulltext::{choose, extract};
use broadsheet::feeds::opml::{Imported, import};
use broadsheet::feeds::parse::{Parsed, parse};

/// The bytes of `tests/fixtures/<path>`.
fn fixture(path: &str) -> Vec<u8> {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read(&full).unwrap_or_else(|err| panic!("{}: {err}", full.display()))
}

/// A fixture that is text.
fn fixture_text(path: &str) -> String {
    String::from_utf8(fixture(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The feed fixture `name`, parsed.
fn parsed(name: &str) -> Parsed {
    parse(&fixture(&format!("feeds/{name}"))).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// The error the feed fixture `name` gives.
fn parse_error(name: &str) -> String {
    match parse(&fixture(&format!("feeds/{name}"))) {
        Ok(parsed) => panic!("{name} parsed: {parsed:?}"),
        Err(err) => err,
    }
}

/// The OPML fixture `name`, imported.
fn imported(name: &str) -> Imported {
    import(&fixture(&format!("opml/{name}"))).unwrap_or_else(|err| panic!("{name}: {err}"))
}

#[test]
fn every_feed_format_gives_its_items() {
    for (snapshot, file, items) in [
        ("rss_0_91", "rss-0.91.xml", 2),
        ("rss_0_92", "rss-0.92.xml", 2),
        ("rss_1_0", "rss-1.0.rdf", 2),
        ("rss_2_0", "rss-2.0.xml", 5),
        ("atom_1_0", "atom-1.0.xml", 3),
        ("json_feed_1_0", "json-feed-1.0.json", 2),
        ("json_feed_1_1", "json-feed-1.1.json", 2),
    ] {
        let feed = parsed(file);
        assert_eq!(feed.items.len(), items, "{file}: {feed:#?}");
        assert!(!feed.title.is_empty(), "{file}");
        insta::assert_debug_snapshot!(snapshot, feed);
    }
}

#[test]
fn rss_2_takes_the_full_content_the_creator_and_every_category() {
    let feed = parsed("rss-2.0.xml");
    let first = &feed.items[0];
    assert_eq!(first.key, "courier-2024-0412-footbridge");
    assert_eq!(first.author.as_deref(), Some("Marta Kowalska"));
    assert_eq!(first.categories, ["Council", "Transport"]);
    assert!(first.body.contains("What happens next"), "{}", first.body);
    assert!(
        first.body.contains("Surveys start in May."),
        "{}",
        first.body
    );
    assert!(
        first
            .body
            .contains("https://courier.example/docs/footbridge-plan.pdf"),
        "the link is listed: {}",
        first.body
    );
    assert!(
        !first.body.contains("A short summary"),
        "content wins over the summary"
    );
}

#[test]
fn an_item_without_a_guid_is_known_by_its_link_else_its_title_and_date() {
    let feed = parsed("rss-2.0.xml");
    assert_eq!(feed.items[2].key, "Letters to the editor|Some(2024-04-14)");
    let feed = parsed("rss-0.92.xml");
    assert_eq!(
        feed.items[1].key, "A note with no title and no link: the shed roof is fixed at last.|None",
        "without a title, the text stands in for it"
    );
    let feed = parsed("rss-0.91.xml");
    assert_eq!(
        feed.items[0].key,
        "https://gazette.example/2024/04/ferry-timetable"
    );
    // The same bytes give the same keys: nothing random stands in for a
    // missing guid.
    assert_eq!(parsed("rss-0.92.xml"), parsed("rss-0.92.xml"));
}

#[test]
fn html_entities_in_feed_text_resolve() {
    let feed = parsed("rss-0.92.xml");
    assert_eq!(feed.items[0].title, "Broad beans are in \u{2013} at last");
    let feed = parsed("rss-0.91.xml");
    assert!(
        feed.items[1].body.starts_with("Café"),
        "Latin-1 is decoded: {:?}",
        feed.items[1].body
    );
}

#[test]
fn items_sharing_a_guid_are_both_returned() {
    let feed = parsed("rss-2.0.xml");
    let dup: Vec<&str> = feed
        .items
        .iter()
        .filter(|item| item.key == "courier-dup")
        .map(|item| item.title.as_str())
        .collect();
    assert_eq!(
        dup,
        ["Duplicate guid, first copy", "Duplicate guid, second copy"]
    );
}

#[test]
fn atom_takes_the_alternate_link_and_reads_html_xhtml_and_text() {
    let feed = parsed("atom-1.0.xml");
    let [dawn, shields, note] = &feed.items[..] else {
        panic!("{feed:#?}");
    };
    assert_eq!(
        dawn.link.as_deref(),
        Some("https://fieldrec.example/dawn-chorus")
    );
    assert_eq!(dawn.categories, ["Birdsong", "wetlands"]);
    assert!(
        dawn.body.contains("The bittern boomed twice."),
        "{}",
        dawn.body
    );
    assert!(!dawn.body.contains("<p>"), "{}", dawn.body);
    assert!(
        shields.body.contains("Three shields, one windy hill"),
        "{}",
        shields.body
    );
    assert!(shields.body.contains("Fur"), "{}", shields.body);
    assert!(!shields.body.contains("<div"), "{}", shields.body);
    assert!(
        note.body
            .contains("First line of the note.\n\nSecond paragraph"),
        "plain text keeps its paragraphs: {:?}",
        note.body
    );
}

#[test]
fn bad_dates_leave_the_item_without_a_date() {
    let feed = parsed("bad-dates.xml");
    let dates: Vec<Option<String>> = feed
        .items
        .iter()
        .map(|item| item.date.map(|date| date.to_rfc3339()))
        .collect();
    assert_eq!(
        dates,
        [
            None,
            None,
            None,
            Some("2024-05-01T12:00:00+00:00".to_string())
        ]
    );
}

#[test]
fn escape_sequences_never_reach_an_item() {
    let feed = parsed("escapes.xml");
    assert_eq!(feed.items.len(), 2, "{feed:#?}");
    let is_control = |c: char| c.is_control() && c != '\n';
    assert!(!feed.title.contains(is_control), "{:?}", feed.title);
    for item in &feed.items {
        let texts = [&item.title, &item.body]
            .into_iter()
            .chain(&item.author)
            .chain(&item.categories);
        for text in texts {
            assert!(!text.contains(is_control), "{text:?} in {item:#?}");
        }
    }
    let first = &feed.items[0];
    assert!(
        first.title.starts_with("Red alert and a"),
        "{:?}",
        first.title
    );
    assert!(first.title.ends_with("title"), "{:?}", first.title);
    assert!(first.body.contains("Body with bold, a"), "{:?}", first.body);
    // Sequences go whole, not just their ESC: no `[31m` or `]0;` is left.
    for item in &feed.items {
        for rest in ["[31m", "[1m", "]0;", "]8;", "2J"] {
            assert!(
                !item.title.contains(rest) && !item.body.contains(rest),
                "{rest} in {item:#?}"
            );
        }
    }
    assert!(
        first.body.contains("café"),
        "HTML entities resolve: {:?}",
        first.body
    );
    insta::assert_debug_snapshot!("escapes", feed);
}

#[test]
fn a_broken_feed_names_the_line_and_column() {
    let err = parse_error("malformed.xml");
    assert!(err.starts_with("not a feed:"), "{err}");
    assert!(err.contains("line 6, column"), "{err}");
    insta::assert_snapshot!("malformed_error", err);
}

#[test]
fn an_entity_bomb_is_never_expanded() {
    // A hang here would be the failure; expansion would show in the text.
    let feed = parsed("bomb.xml");
    let text = format!("{feed:?}");
    assert!(text.len() < 2_000, "{text}");
    assert!(!text.contains("lollol"), "{text}");
    assert_eq!(feed.items.len(), 1);
}

#[test]
fn a_web_page_is_not_a_feed_and_says_so() {
    let err = parse_error("not-a-feed.html");
    assert!(err.starts_with("this is a web page, not a feed"), "{err}");
    insta::assert_snapshot!("not_a_feed_error", err);
}

#[test]
fn pages_are_told_from_feeds_by_their_bytes() {
    for page in [
        "feeds/not-a-feed.html",
        "pages/with-feeds.html",
        "pages/courier-footbridge.html",
    ] {
        assert!(looks_like_html(&fixture(page), None), "{page}");
    }
    for feed in [
        "rss-0.91.xml",
        "rss-1.0.rdf",
        "atom-1.0.xml",
        "json-feed-1.1.json",
    ] {
        let bytes = fixture(&format!("feeds/{feed}"));
        assert!(!looks_like_html(&bytes, None), "{feed}");
        assert!(
            !looks_like_html(&bytes, Some("text/html")),
            "{feed} labelled a page"
        );
    }
}

#[test]
fn a_page_lists_its_feeds_resolved_against_its_base() {
    let html = fixture_text("pages/with-feeds.html");
    let found = feed_links(&html, "https://harbour.example/index.html");
    let feed = |url: &str, title: &str, kind| FoundFeed {
        url: url.into(),
        title: Some(title.into()),
        kind,
    };
    assert_eq!(
        found,
        [
            feed(
                "https://www.harbour.example/news/feed.xml",
                "All stories",
                FeedKind::Rss
            ),
            feed(
                "https://www.harbour.example/sport/atom.xml",
                "Sport",
                FeedKind::Atom
            ),
            feed(
                "https://www.harbour.example/news/feed.json?format=1&full=yes",
                "Stories & photos (JSON)",
                FeedKind::Json
            ),
            feed(
                "https://comments.harbour.example/atom",
                "Comments",
                FeedKind::Atom
            ),
            feed(
                "https://www.harbour.example/api/latest.json",
                "Late link in the body",
                FeedKind::Json
            ),
        ]
    );
}

#[test]
fn a_clean_export_imports_whole() {
    let clean = imported("clean.opml");
    assert_eq!(clean.subscriptions.len(), 3);
    assert!(
        clean.skipped.is_empty() && clean.stopped.is_none(),
        "{clean:#?}"
    );
    assert_eq!(clean.subscriptions[2].tags, ["Food", "Baking"]);
    insta::assert_debug_snapshot!("opml_clean", clean);
}

#[test]
fn folders_become_tags() {
    let nested = imported("nested.opml");
    let tags: Vec<(&str, Vec<&str>)> = nested
        .subscriptions
        .iter()
        .map(|s| {
            let tags = s.tags.iter().map(String::as_str).collect();
            (s.name.as_deref().unwrap_or_default(), tags)
        })
        .collect();
    assert_eq!(
        tags,
        [
            ("The Riverside Courier", vec!["News", "Local"]),
            (
                "Harbour Town Gazette",
                vec!["News", "Local", "Coast", "Ferries"]
            ),
            ("Tram Spotting Weekly", vec!["News"]),
            ("Field Recordings", vec!["Hobbies", "news"]),
            ("Hilltop Observatory", vec![]),
        ]
    );
    insta::assert_debug_snapshot!("opml_nested", nested);
}

#[test]
fn a_sloppy_export_still_imports() {
    let sloppy = imported("sloppy.opml");
    let urls: Vec<&str> = sloppy
        .subscriptions
        .iter()
        .map(|s| s.url.as_str())
        .collect();
    assert_eq!(
        urls,
        [
            "https://cafe.example/rss?a=1&b=2",
            "http://toons.example/feed",
            "https://urlonly.example/atom.xml",
            "https://single.example/feed",
            "http://oldscheme.example/rss",
            "https://inside.example/rss",
        ]
    );
    let names: Vec<&str> = sloppy
        .subscriptions
        .iter()
        .filter_map(|s| s.name.as_deref())
        .collect();
    assert_eq!(names[0], "Café & Bakery News");
    assert_eq!(names[1], "Tom & Jerry\u{a0}Fan Club");
    assert_eq!(sloppy.subscriptions[5].tags, ["Folder & more", "Ends"]);
    let skipped: Vec<&str> = sloppy.skipped.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        skipped,
        [
            "https://CAFE.example/rss?a=1&b=2",
            "file:///home/me/feed.xml",
            "mailto:editor@example.com",
            "https://page.example/",
            "https://lists.example/more.opml",
        ]
    );
    insta::assert_debug_snapshot!("opml_sloppy", sloppy);
}

#[test]
fn a_file_that_is_not_opml_is_refused_with_a_reason() {
    let err = import(&fixture("feeds/rss-2.0.xml"))
        .err()
        .unwrap_or_default();
    assert!(err.starts_with("not an OPML file"), "{err}");
    let err = import(b"<opml>\n  <body>\n    <outline text=\"a\" xmlUrl=\"http://a.example/\"")
        .err()
        .unwrap_or_default();
    assert!(err.contains("line 3, column 5"), "{err}");
}

/// An article page, what its text must hold and what it must not.
struct Page {
    file: &'static str,
    url: &'static str,
    article: &'static [&'static str],
    furniture: &'static [&'static str],
}

const PAGES: &[Page] = &[
    Page {
        file: "courier-footbridge.html",
        url: "https://courier.example/news/footbridge",
        article: &[
            "The council voted seven to two on Thursday evening",
            "cutting the walk to the high street from twenty minutes to six",
            "What happens next",
            "Ground surveys on both banks, starting in May.",
            "should have gone to repairing the existing road bridge first",
            "https://courier.example/docs/footbridge-plan.pdf",
        ],
        furniture: &[
            "We use cookies",
            "Subscribe to the print edition",
            "Most read",
            "Spring sale",
            "RiverWatcher",
            "GrumpyRatepayer",
            "All rights reserved",
            "Contact the newsroom",
        ],
    },
    Page {
        file: "fieldrec-windshields.html",
        url: "https://fieldrec.example/windshields",
        article: &[
            "Wind is the enemy of every outdoor recording.",
            "I took three common designs up the same exposed hill",
            "The three contenders",
            "A thick foam sleeve pushed over the capsule.",
            "cutting the low-frequency noise by roughly twenty decibels",
            "https://fieldrec.example/data/wind.csv",
        ],
        furniture: &[
            "remember your theme preference",
            "Gear reviews",
            "About the recordist",
            "Share on social media",
            "SoundHunter",
            "Sign up for the monthly newsletter",
            "one-person blog",
        ],
    },
    Page {
        file: "breadlab-rye.html",
        url: "https://breadlab.example/rye-starter",
        article: &[
            "Rye flour ferments faster than wheat",
            "The schedule",
            "Day one: mix fifty grams of rye flour with fifty grams of water.",
            "Cold is the most common reason a new starter stalls",
            "Once it is lively, keep it in the fridge",
            "https://breadlab.example/recipes/rye-loaf",
        ],
        furniture: &[
            "Skip to content",
            "Flour shop",
            "nail polish",
            "Popular recipes",
            "Proudly baking",
            "uses cookies",
        ],
    },
];

#[test]
fn extraction_keeps_the_article_and_drops_the_page_around_it() {
    for page in PAGES {
        let html = fixture_text(&format!("pages/{}", page.file));
        let text =
            extract(&html, page.url).unwrap_or_else(|| panic!("{}: nothing extracted", page.file));
        for wanted in page.article {
            assert!(
                text.contains(wanted),
                "{}: no {wanted:?} in\n{text}",
                page.file
            );
        }
        for unwanted in page.furniture {
            assert!(
                !text.contains(unwanted),
                "{}: {unwanted:?} in\n{text}",
                page.file
            );
        }
        let summary = "A summary of a few words.";
        assert_eq!(choose(summary, Some(text.clone())), text, "{}", page.file);
    }
}

#[test]
fn a_page_with_nothing_to_extract_keeps_the_summary() {
    let html = fixture_text("pages/nothing-to-extract.html");
    let extracted = extract(&html, "https://courier.example/missing");
    assert_eq!(extracted, None);
    let summary = "The feed's own summary of the story.";
    assert_eq!(choose(summary, extracted), summary);
}
