//! Feeds through the binary, against a feed server on 127.0.0.1: add,
//! fetch, fetch again (nothing new, nothing rewritten), a changed item, a
//! deleted article, a failing feed among good ones, a server that asks to
//! wait, discovery from a web page, full text, OPML import and export, and
//! what `list --json` and `feed list` say about fetched articles.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::{Reply, Sandbox, TestServer};

/// An RSS 2.0 feed of `items`: (guid, title, description).
fn rss(title: &str, items: &[(&str, &str, &str)]) -> String {
    let mut text = format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://news.example/</link><description>d</description>\n"
    );
    for (guid, title, body) in items {
        text.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title>\
             <link>https://news.example/{guid}</link>\
             <author>ed@news.example (Ed Itor)</author><category>world</category>\
             <pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate>\
             <description>{body}</description></item>\n"
        ));
    }
    text.push_str("</channel></rss>\n");
    text
}

/// Every article file under `folder`, sorted, with its modification time.
fn files(folder: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut found = Vec::new();
    if let Ok(entries) = fs::read_dir(folder) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(files(&path));
            } else if !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                let modified = entry.metadata().and_then(|m| m.modified()).expect("mtime");
                found.push((path, modified));
            }
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("an article file")
}

#[test]
fn a_feed_is_fetched_once_changes_are_updated_and_deleted_articles_stay_deleted() {
    let server = TestServer::start();
    let items = [
        ("n1", "Rain in the north", "It rained."),
        ("n2", "Sun in the south", "It shone."),
        ("n3", "Wind in the west", "It blew."),
    ];
    server.route(
        "/feed.xml",
        Reply::ok(rss("The News", &items)).etag("\"v1\""),
    );
    let sandbox = Sandbox::with_feeds();
    let out = sandbox.cli(&["feed", "add", &server.url("/feed.xml")]);
    assert!(
        out.contains("subscribed: The News"),
        "named by the feed's title: {out}"
    );

    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("The News: 3 new"), "{out}");
    assert!(out.contains("fetched 1 feed: 3 new articles"), "{out}");
    let first = files(&sandbox.articles());
    assert_eq!(first.len(), 3, "{first:?}");
    assert!(
        first
            .iter()
            .all(|(p, _)| p.starts_with(sandbox.articles().join("the-news")))
    );

    // The articles are articles: listed, searchable by the feed's name.
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.cli(&["list", "cat:\"The News\"", "--json"])).expect("JSON");
    let rows = json.as_array().expect("an array");
    assert_eq!(rows.len(), 3);
    let rain = rows
        .iter()
        .find(|r| r["title"] == "Rain in the north")
        .expect("the item");
    assert_eq!(rain["url"], "https://news.example/n1");
    assert_eq!(rain["source"], "The News");
    assert!(
        rain["author"]
            .as_str()
            .is_some_and(|a| a.contains("Ed Itor")),
        "{rain}"
    );
    assert!(
        rain["tags"]
            .as_array()
            .is_some_and(|t| t.contains(&"world".into())),
        "{rain}"
    );

    // Again: the server says 304, nothing is written.
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("The News: not modified"), "{out}");
    assert_eq!(files(&sandbox.articles()), first);
    let asked = server.requests();
    let last = asked.last().expect("a request");
    assert_eq!(last.header("if-none-match"), Some("\"v1\""));

    // One item corrected, one article deleted by the person.
    let rain = first[..]
        .iter()
        .map(|(p, _)| p.clone())
        .find(|p| read(p).contains("It rained."))
        .expect("the rain article");
    let sun = first
        .iter()
        .map(|(p, _)| p.clone())
        .find(|p| read(p).contains("It shone."))
        .expect("the sun article");
    fs::remove_file(&sun).expect("delete an article");
    let changed = [
        ("n1", "Rain in the north", "It rained all day."),
        ("n2", "Sun in the south", "It shone."),
        ("n3", "Wind in the west", "It blew."),
    ];
    server.route(
        "/feed.xml",
        Reply::ok(rss("The News", &changed)).etag("\"v2\""),
    );
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("The News: 1 updated"), "{out}");
    assert!(read(&rain).contains("It rained all day."));
    assert!(!sun.exists(), "a deleted article is not brought back");
    assert_eq!(files(&sandbox.articles()).len(), 2);

    // The deleted one changes too: still not brought back.
    let again = [("n2", "Sun in the south", "It shone brightly.")];
    server.route(
        "/feed.xml",
        Reply::ok(rss("The News", &again)).etag("\"v3\""),
    );
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("1 deleted by you, not restored"), "{out}");
    assert!(!sun.exists());

    let list = sandbox.cli(&["feed", "list"]);
    assert!(list.contains("The News"), "{list}");
    assert!(list.contains("· ok"), "{list}");
    assert!(list.contains("3 items"), "{list}");
}

#[test]
fn a_failing_feed_fails_the_fetch_and_the_others_are_still_written() {
    let server = TestServer::start();
    server.route(
        "/good.xml",
        Reply::ok(rss("Good", &[("g1", "Fine", "All well.")])),
    );
    server.route("/gone.xml", Reply::ok("").status(410));
    server.route(
        "/broken.xml",
        Reply::ok("<rss><channel><item><title>x</item></rss>"),
    );
    let sandbox = Sandbox::with_feeds();
    for (path, name) in [
        ("/good.xml", "Good"),
        ("/gone.xml", "Gone"),
        ("/broken.xml", "Broken"),
    ] {
        sandbox.cli(&[
            "feed",
            "add",
            &server.url(path),
            "--name",
            name,
            "--no-fetch",
        ]);
    }
    let output = sandbox.run(&["fetch"]);
    assert_eq!(output.status.code(), Some(1));
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(out.contains("Good: 1 new"), "{out}");
    assert!(
        out.contains("Gone: failed:") && out.contains("410"),
        "{out}"
    );
    assert!(out.contains("Broken: failed:"), "{out}");
    assert!(err.contains("2 of 3 feeds failed (Gone, Broken)"), "{err}");
    assert_eq!(files(&sandbox.articles()).len(), 1);

    // `feed list` keeps the reason; a fetch of the good one alone passes.
    let list = sandbox.cli(&["feed", "list"]);
    assert!(
        list.contains("last error:") && list.contains("410"),
        "{list}"
    );
    let out = sandbox.cli(&["fetch", "good"]);
    assert!(
        out.contains("Good: nothing new") || out.contains("Good: not modified"),
        "{out}"
    );
    let err = sandbox.fails(&["feed", "add", &server.url("/missing.xml")]);
    assert!(
        err.contains(
            "the server answered 404; not subscribed: check the address (`--no-fetch` subscribes anyway)"
        ),
        "{err}"
    );
    let err = sandbox.fails(&["fetch", "nothing-like-it"]);
    assert!(err.contains("no feed named `nothing-like-it`"), "{err}");
}

#[test]
fn a_server_that_asks_to_wait_is_not_asked_again_before_then() {
    let server = TestServer::start();
    server.route(
        "/busy.xml",
        Reply::ok("").status(429).header("Retry-After", "3600"),
    );
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&[
        "feed",
        "add",
        &server.url("/busy.xml"),
        "--name",
        "Busy",
        "--no-fetch",
    ]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("Busy: waiting until"), "{out}");
    assert_eq!(server.count("/busy.xml"), 1);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("Busy: waiting until"), "{out}");
    assert_eq!(
        server.count("/busy.xml"),
        1,
        "not asked again within the hour"
    );
}

#[test]
fn a_web_page_gives_the_feed_it_links_and_a_moved_feed_is_noted() {
    let server = TestServer::start();
    let page = format!(
        "<!doctype html><html><head><title>Site</title>\
         <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Feed\" href=\"{}\">\
         </head><body>Hello</body></html>",
        "/old.xml"
    );
    server.route("/", Reply::ok(page).content_type("text/html"));
    server.route("/old.xml", Reply::ok("").redirect(301, "/new.xml"));
    server.route(
        "/new.xml",
        Reply::ok(rss("Moved News", &[("m1", "Hello", "Hi.")])),
    );
    let sandbox = Sandbox::with_feeds();
    let out = sandbox.cli(&["feed", "add", &server.url("/")]);
    assert!(out.contains("found the feed"), "{out}");
    assert!(out.contains(&server.url("/old.xml")), "{out}");
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("Moved News: 1 new"), "{out}");
    assert!(
        out.contains(&format!("moved for good to {}", server.url("/new.xml"))),
        "{out}"
    );
}

#[test]
fn a_full_text_feed_keeps_the_page_text_and_the_summary_when_the_page_has_none() {
    let server = TestServer::start();
    let article = "<!doctype html><html><head><title>Story</title></head><body>\
        <nav>Home | World | Sport</nav><article><h1>The whole story</h1>\
        <p>The first paragraph of the whole story tells what happened in the town \
        on Sunday, when the river rose over its banks for the first time in years.</p>\
        <p>The second paragraph says who helped: neighbours carried sandbags through \
        the night, and the bakery kept its ovens on for everyone who came in cold.</p>\
        <p>The third paragraph says what comes next, as the water goes down and the \
        town counts what it lost and what it kept.</p></article>\
        <footer>Copyright the paper</footer></body></html>";
    server.route("/story", Reply::ok(article).content_type("text/html"));
    server.route(
        "/empty",
        Reply::ok("<html><body></body></html>").content_type("text/html"),
    );
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Town</title>\
         <item><guid>s1</guid><title>Flood</title><link>{}</link><description>A summary.</description></item>\
         <item><guid>s2</guid><title>Nothing</title><link>{}</link><description>Only a summary here.</description></item>\
         </channel></rss>",
        server.url("/story"),
        server.url("/empty")
    );
    server.route("/town.xml", Reply::ok(feed));
    let sandbox = Sandbox::with_feeds();
    sandbox.subscribe(&server.url("/town.xml"), &["--full-text"]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("2 new"), "{out}");
    assert!(out.contains("1 with no fuller text on their page"), "{out}");
    let texts: Vec<String> = files(&sandbox.articles())
        .iter()
        .map(|(p, _)| read(p))
        .collect();
    let flood = texts
        .iter()
        .find(|t| t.contains("Flood"))
        .expect("the flood article");
    assert!(flood.contains("neighbours carried sandbags"), "{flood}");
    assert!(!flood.contains("Home | World"), "{flood}");
    let nothing = texts
        .iter()
        .find(|t| t.contains("Nothing"))
        .expect("the other");
    assert!(nothing.contains("Only a summary here."), "{nothing}");
}

#[test]
fn opml_is_imported_tolerantly_and_exported_back() {
    let server = TestServer::start();
    let sandbox = Sandbox::with_feeds();
    let opml = format!(
        "<?xml version=\"1.0\"?>\n<opml version=\"1.0\"><head><title>mine</title></head><body>\n\
         <outline text=\"Tech\">\n\
           <outline text=\"One &amp; Two\" type=\"rss\" xmlUrl=\"{}\"/>\n\
           <outline text=\"Two\" type=\"rss\" xmlurl=\"{}\"/>\n\
         </outline>\n\
         <outline text=\"Bad\" type=\"rss\" xmlUrl=\"ftp://files.example/feed\"/>\n\
         </body></opml>\n",
        server.url("/one.xml"),
        server.url("/two.xml")
    );
    let file = sandbox.path().join("subscriptions.opml");
    fs::write(&file, opml).expect("an OPML file");
    let output = sandbox.run(&["feed", "import", "subscriptions.opml"]);
    assert!(output.status.success(), "{output:?}");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(out.contains("imported 2 feeds"), "{out}");
    assert!(
        err.contains("ftp://files.example/feed"),
        "the skipped one is named: {err}"
    );
    let list = sandbox.cli(&["feed", "list", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&list).expect("JSON");
    assert_eq!(json[0]["name"], "One & Two");
    assert_eq!(json[0]["tags"], serde_json::json!(["Tech"]));
    // Importing again adds nothing.
    let out = sandbox.cli(&["feed", "import", "subscriptions.opml"]);
    assert!(
        out.contains("imported 0 feeds") && out.contains("2 already subscribed"),
        "{out}"
    );
    let exported = sandbox.cli(&["feed", "export"]);
    assert!(exported.contains("text=\"One &amp; Two\""), "{exported}");
    assert!(exported.contains(&server.url("/two.xml")), "{exported}");
    let err = sandbox.fails(&["feed", "import", "missing.opml"]);
    assert!(err.contains("missing.opml"), "{err}");
}

#[test]
fn a_corrupt_state_file_is_moved_aside_said_and_rebuilt() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(rss("Daily", &[("d1", "One", "First.")])),
    );
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&[
        "feed",
        "add",
        &server.url("/feed.xml"),
        "--name",
        "Daily",
        "--no-fetch",
    ]);
    sandbox.cli(&["fetch"]);
    let states = sandbox.path().join("feeds-state");
    let state = fs::read_dir(&states)
        .expect("the state folder")
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|e| e == "toml"))
        .expect("a state file");
    fs::write(&state, "items = [[[ not toml").expect("a corrupt state");
    let output = sandbox.run(&["fetch"]);
    assert!(output.status.success(), "{output:?}");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("moved to") && err.contains("line 1"), "{err}");
    // The article on disk is taken as the item's: nothing written twice.
    assert!(out.contains("Daily: nothing new"), "{out}");
    assert_eq!(files(&sandbox.articles()).len(), 1);
    let aside = fs::read_dir(&states)
        .expect("the state folder")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains(".corrupt-"))
        .count();
    assert_eq!(aside, 1, "the corrupt file is kept aside");
}

#[test]
fn the_reader_fetches_on_a_key_and_shows_the_new_articles() {
    let server = TestServer::start();
    let items = [
        ("r1", "Fetched from the reader", "Hello."),
        ("r2", "And another", "Hi."),
    ];
    server.route("/feed.xml", Reply::ok(rss("Live", &items)));
    let sandbox = Sandbox::samples();
    sandbox.write_config("feeds = \"feeds.toml\"\n");
    sandbox.cli(&["feed", "add", &server.url("/feed.xml"), "--no-fetch"]);
    let mut session = sandbox.start(120, 40);
    session.wait_for_samples();
    session.press(b"F");
    // The two articles arrive through the folder watch, unread.
    session.wait_for_text(&["Fetched from the reader", "And another", "7/7"]);
    session.press(b"f");
    session.wait_for_text(&["Feeds", "ok", "2 items"]);
    // `q` goes back from the feeds view to the list, where it quits.
    session.press(b"q");
    session.wait_for_text(&["j down"]);
    session.quit();
    common::assert_exit_code(&session.wait_exit(), 0);
}
