//! Real links and enclosures: relative addresses in feeds (item links,
//! enclosures, links in the text) made whole against `xml:base`, the item's
//! link, then the feed's final address; enclosures (RSS, Media RSS, Atom,
//! JSON Feed) kept in the front matter and loaded back. On the fixtures in
//! tests/fixtures/feed_links/, and through the binary against a feed
//! server on 127.0.0.1 that moves the feed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use broadsheet::article::{Article, Enclosure, Format};
use broadsheet::feeds::item::{Item, render};
use broadsheet::feeds::parse::{Parsed, parse, parse_at};
use broadsheet::store::feeds::Feed;
use common::{Reply, Sandbox, TestServer};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feed_links")
        .join(name);
    fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn parsed_at(name: &str, address: &str) -> Parsed {
    parse_at(&fixture(name), Some(address)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// The item written and loaded back as the reader loads it.
fn loaded(item: &Item) -> Article {
    let text = render(item, &Feed::new("https://feeds.example/odd.rss"), "Feed");
    Article::from_bytes(
        "a.md".into(),
        PathBuf::from("a.md"),
        text.as_bytes(),
        Format::Markdown,
    )
    .unwrap_or_else(|rejected| panic!("{rejected}\n{text}"))
}

fn enclosure(url: &str, kind: &str, length: Option<u64>) -> Enclosure {
    Enclosure {
        url: url.into(),
        kind: Some(kind.into()),
        length,
    }
}

#[test]
fn relative_rss_addresses_are_made_whole_against_the_feeds_address() {
    let parsed = parsed_at("relative.rss", "https://feeds.example/dir/odd.rss");
    let item = &parsed.items[0];
    assert_eq!(item.link.as_deref(), Some("https://feeds.example/odd/3"));
    // The same address as <enclosure> and media:content is one enclosure;
    // the picture is none.
    assert_eq!(
        item.enclosures,
        [
            enclosure(
                "https://feeds.example/dir/media/ep3.mp3",
                "audio/mpeg",
                Some(12_345_678)
            ),
            enclosure(
                "https://feeds.example/dir/video/ep3.mp4",
                "video/mp4",
                Some(98_765_432)
            ),
        ]
    );
    // Links in the text take the item's link as their base.
    let article = loaded(item);
    assert_eq!(article.url.as_deref(), Some("https://feeds.example/odd/3"));
    for link in [
        "https://feeds.example/odd/notes.html",
        "https://feeds.example/about",
        "https://elsewhere.example/x",
    ] {
        assert!(
            article.links.iter().any(|l| l == link),
            "{link} in {:?}\n{}",
            article.links,
            item.body
        );
    }
    assert!(
        article
            .links
            .iter()
            .all(|l| l.starts_with("https://") || l.starts_with("javascript:")),
        "{:?}",
        article.links
    );
    assert_eq!(article.enclosures, item.enclosures);

    // No link of its own: the text's links take the feed's address.
    let bare = &parsed.items[1];
    assert_eq!(bare.link, None);
    assert!(
        loaded(bare)
            .links
            .contains(&"https://feeds.example/dir/list/4".to_string()),
        "{}",
        bare.body
    );
}

#[test]
fn without_an_address_nothing_relative_is_saved_as_a_link() {
    let parsed = parse(&fixture("relative.rss")).unwrap_or_else(|err| panic!("{err}"));
    let item = &parsed.items[0];
    assert_eq!(item.link, None, "`/odd/3` is no address on its own");
    assert_eq!(item.key, "odd-3");
}

#[test]
fn xml_base_comes_before_the_item_link_and_the_feed_address() {
    let parsed = parsed_at("xml-base.atom", "https://feeds.example/based.atom");
    let first = &parsed.items[0];
    assert_eq!(
        first.link.as_deref(),
        Some("https://base.example/blog/posts/1")
    );
    assert_eq!(
        first.enclosures,
        [enclosure(
            "https://base.example/blog/audio/1.ogg",
            "audio/ogg",
            Some(999)
        )]
    );
    // The content's own xml:base wins over the item's link.
    assert_eq!(
        loaded(first).links,
        ["https://content.example/c/x.html"],
        "{}",
        first.body
    );
    // A relative xml:base on the entry is taken from the feed's xml:base.
    let second = &parsed.items[1];
    assert_eq!(
        second.link.as_deref(),
        Some("https://base.example/elsewhere/2")
    );
    assert_eq!(
        loaded(second).links,
        ["https://base.example/elsewhere/more"],
        "{}",
        second.body
    );
}

#[test]
fn json_feed_addresses_and_attachments_are_made_whole_too() {
    let parsed = parsed_at("relative.json", "https://json.example/feeds/feed.json");
    let item = &parsed.items[0];
    assert_eq!(item.link.as_deref(), Some("https://json.example/j/1"));
    // An attachment takes the item's link as its base; an ftp one is no
    // enclosure.
    assert_eq!(
        item.enclosures,
        [enclosure(
            "https://json.example/j/files/1.mp3",
            "audio/mpeg",
            Some(4096)
        )]
    );
    assert_eq!(
        loaded(item).links,
        ["https://json.example/up"],
        "{}",
        item.body
    );
}

#[test]
fn a_bad_enclosures_value_is_a_problem_the_article_still_loads_with() {
    let text = "+++\ntitle = \"Episode\"\nenclosures = [{ url = \"https://a.example/1.mp3\", type = \"audio/mpeg\", length = 10 }, \
{ url = \"javascript:alert(1)\" }, { url = \"https://a.example/2.mp3\", length = -1 }, \"x\"]\n+++\n\nBody.\n";
    let article = Article::from_bytes(
        "e.md".into(),
        "e.md".into(),
        text.as_bytes(),
        Format::Markdown,
    )
    .unwrap_or_else(|rejected| panic!("{rejected}"));
    assert_eq!(article.title, "Episode");
    assert_eq!(
        article.enclosures,
        [enclosure("https://a.example/1.mp3", "audio/mpeg", Some(10))]
    );
    assert_eq!(article.problems.len(), 1, "{:?}", article.problems);
    assert!(
        article.problems[0].contains("3 of the 4 `enclosures`"),
        "{:?}",
        article.problems
    );

    let text = "+++\ntitle = \"Episode\"\nenclosures = \"https://a.example/1.mp3\"\n+++\n\nBody.\n";
    let article = Article::from_bytes(
        "e.md".into(),
        "e.md".into(),
        text.as_bytes(),
        Format::Markdown,
    )
    .unwrap_or_else(|rejected| panic!("{rejected}"));
    assert_eq!(
        (article.title.as_str(), article.enclosures.len()),
        ("Episode", 0)
    );
    assert!(
        article.problems[0].contains("not read"),
        "{:?}",
        article.problems
    );
}

/// The front matter of the one article file under `folder`.
fn only_article(folder: &Path) -> String {
    let mut found = Vec::new();
    for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            for file in fs::read_dir(&path).into_iter().flatten().flatten() {
                let name = file.file_name().to_string_lossy().to_string();
                if name.ends_with(".md") && name.contains("third-odd") {
                    found.push(file.path());
                }
            }
        }
    }
    assert_eq!(found.len(), 1, "{found:?}");
    fs::read_to_string(&found[0]).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn a_fetched_feed_that_moved_resolves_against_where_it_is_now() {
    let server = TestServer::start();
    let feed = fixture("relative.rss");
    server.route("/feed.xml", Reply::ok(feed.clone()));
    let sandbox = Sandbox::empty();
    sandbox.write_config("feeds = \"feeds.toml\"\n");
    let out = sandbox.cli(&["feed", "add", &server.url("/feed.xml")]);
    assert!(out.contains("subscribed"), "{out}");
    // The feed now lives elsewhere, behind a temporary redirect.
    server.route(
        "/feed.xml",
        Reply::default().redirect(302, "/moved/here/feed.xml"),
    );
    server.route("/moved/here/feed.xml", Reply::ok(feed));
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("2 new"), "{out}");

    let text = only_article(&sandbox.articles());
    let root = server.url("");
    let root = root.trim_end_matches('/');
    assert!(text.contains(&format!("url = \"{root}/odd/3\"")), "{text}");
    assert!(
        text.contains(&format!(
            "enclosures = [{{ url = \"{root}/moved/here/media/ep3.mp3\", type = \"audio/mpeg\", length = 12345678 }}, \
{{ url = \"{root}/moved/here/video/ep3.mp4\", type = \"video/mp4\", length = 98765432 }}]"
        )),
        "{text}"
    );
    assert!(text.contains(&format!("{root}/odd/notes.html")), "{text}");

    // What `list --json` gives the article: its whole address.
    let json: serde_json::Value = serde_json::from_str(&sandbox.cli(&["list", "--json"]))
        .unwrap_or_else(|err| panic!("{err}"));
    let rows = json.as_array().cloned().unwrap_or_default();
    let row = rows
        .iter()
        .find(|row| row["url"] == format!("{root}/odd/3"))
        .unwrap_or_else(|| panic!("{json}"));
    // `show` gives the enclosures too, as text and as JSON.
    let id = row["id"].as_str().unwrap_or_default();
    let shown = sandbox.cli(&["show", id]);
    assert!(
        shown.contains(&format!(
            "▶ audio/mpeg, 12.3 MB: {root}/moved/here/media/ep3.mp3"
        )),
        "{shown}"
    );
    let json: serde_json::Value = serde_json::from_str(&sandbox.cli(&["show", id, "--json"]))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        json["enclosures"][1],
        serde_json::json!({
            "url": format!("{root}/moved/here/video/ep3.mp4"),
            "type": "video/mp4",
            "length": 98_765_432,
        })
    );
}
