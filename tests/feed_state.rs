//! Feeds' files, addresses and state, through the binary against a server
//! on 127.0.0.1: discovery that ends, one address check for every way an
//! address comes in, a feeds file that is no regular file, `check` on the
//! feeds file, `T`'s full text never losing an edit, planted links, feeds
//! whose ids change at every fetch, two feeds of one folder name, `feed
//! remove` forgetting, temporary files of a killed fetch, OPML export that
//! XML readers accept, and messages that say what happened.

mod common;
mod reader;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use broadsheet::feeds::fetch::keep_full_text;
use broadsheet::feeds::http::{Http, HttpOptions};
use broadsheet::tui::app::{Event, Fetched};
use common::{Reply, Sandbox, TestServer};

/// An RSS 2.0 feed of `items`: (guid, title, link, description). An empty
/// guid or link is left out.
fn rss(title: &str, items: &[(&str, &str, &str, &str)]) -> String {
    let mut text = format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>http://127.0.0.1/</link><description>d</description>\n"
    );
    for (guid, title, link, body) in items {
        text.push_str("<item>");
        if !guid.is_empty() {
            text.push_str(&format!("<guid isPermaLink=\"false\">{guid}</guid>"));
        }
        if !link.is_empty() {
            text.push_str(&format!("<link>{link}</link>"));
        }
        text.push_str(&format!(
            "<title>{title}</title><pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate>\
             <description>{body}</description></item>\n"
        ));
    }
    text.push_str("</channel></rss>\n");
    text
}

/// Writes the feeds file: one `[[feed]]` per (name, url).
fn feeds_file(sandbox: &Sandbox, feeds: &[(&str, &str)]) {
    let mut text = String::new();
    for (name, url) in feeds {
        text.push_str(&format!("[[feed]]\nname = \"{name}\"\nurl = \"{url}\"\n\n"));
    }
    fs::write(sandbox.path().join("feeds.toml"), text).expect("feeds file");
}

/// The article files (not hidden ones) directly in `folder`, sorted.
fn articles_in(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(folder)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Every folder directly in the articles folder, sorted by name.
fn folders(sandbox: &Sandbox) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(sandbox.articles())
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Runs broadsheet with `args`, killing it if it has not ended within
/// `limit`: (exit code, stdout, stderr, whether it ended on its own).
fn run_within(
    sandbox: &Sandbox,
    args: &[&str],
    limit: Duration,
) -> (Option<i32>, String, String, bool) {
    let mut child = sandbox
        .command(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start broadsheet");
    let deadline = Instant::now() + limit;
    let mut ended = false;
    while Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            ended = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if !ended {
        let _ = child.kill();
    }
    let output = child.wait_with_output().expect("broadsheet's output");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        ended,
    )
}

/// A page linking `feed` as its feed.
fn page_linking(feed: &str) -> Reply {
    Reply::ok(format!(
        "<!doctype html><html><head><title>A page</title>\
         <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Feed\" href=\"{feed}\">\
         </head><body><p>Hello.</p></body></html>"
    ))
    .content_type("text/html; charset=utf-8")
}

// Item 4: discovery ends.

#[test]
fn discovery_from_a_page_naming_itself_ends_with_an_error_after_one_request() {
    let server = TestServer::start();
    server.route("/page", page_linking("/page"));
    let sandbox = Sandbox::with_feeds();
    let (code, _out, err, ended) = run_within(
        &sandbox,
        &["feed", "add", &server.url("/page")],
        Duration::from_secs(30),
    );
    assert!(ended, "feed add ended on its own");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("already visited"), "{err}");
    assert_eq!(server.count("/page"), 1, "the page was asked for once");
    assert!(
        !sandbox.path().join("feeds.toml").exists()
            || sandbox.file("feeds.toml").find("/page").is_none()
    );
}

#[test]
fn discovery_follows_at_most_three_pages() {
    let server = TestServer::start();
    for n in 1..=5 {
        server.route(&format!("/p{n}"), page_linking(&format!("/p{}", n + 1)));
    }
    let sandbox = Sandbox::with_feeds();
    let (code, _out, err, ended) = run_within(
        &sandbox,
        &["feed", "add", &server.url("/p1")],
        Duration::from_secs(30),
    );
    assert!(ended && code == Some(1), "{err}");
    assert!(err.contains("after 3 pages"), "{err}");
    assert_eq!(server.count("/p4"), 0, "the fourth page is not asked for");
    // A page that links a feed still works.
    server.route(
        "/feed.xml",
        Reply::ok(rss("Found", &[("1", "One", "", "Body.")])),
    );
    server.route("/home", page_linking("/feed.xml"));
    let out = sandbox.cli(&["feed", "add", &server.url("/home")]);
    assert!(out.contains("subscribed: Found"), "{out}");
}

// Item 5: one address check; the feeds file read like every store file.

#[test]
fn a_hand_written_address_without_slashes_or_with_a_numeric_host_is_refused_at_fetch() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(rss("News", &[("1", "One", "", "Body.")])),
    );
    let port = server.addr().port();
    let sandbox = Sandbox::with_feeds();
    let slips = [
        format!("http:127.0.0.1:{port}/feed.xml"),
        // A number where the host goes: 2130706433 and 0x7f.1 are 127.0.0.1.
        format!("http://2130706433:{port}/feed.xml"),
        format!("http://0x7f.1:{port}/feed.xml"),
        // A number before the `//`: the host 0 is 0.0.0.0 (which Linux
        // takes for this machine, so nothing leaves it if it were fetched).
        format!("http:0:{port}//feed.xml"),
    ];
    let named: Vec<(String, String)> = slips
        .iter()
        .enumerate()
        .map(|(n, url)| (format!("slip {n}"), url.clone()))
        .collect();
    let pairs: Vec<(&str, &str)> = named
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str()))
        .collect();
    feeds_file(&sandbox, &pairs);
    let output = sandbox.run(&["fetch"]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert_eq!(
        out.matches("failed").count(),
        5,
        "four feeds and the summary: {out}"
    );
    assert_eq!(server.count("/feed.xml"), 0, "nothing was fetched: {out}");
    assert!(out.contains("written in full"), "{out}");
    assert!(out.contains("four dotted numbers"), "{out}");
    // `feed add` and an OPML import refuse the same addresses.
    fs::remove_file(sandbox.path().join("feeds.toml")).expect("remove");
    for slip in &slips {
        let err = sandbox.fails(&["feed", "add", "--no-fetch", slip]);
        assert!(err.contains(slip.as_str()), "{err}");
    }
    // OPML addresses are normalised as they are read (`src/feeds/opml.rs`),
    // so only a slip that normalises to a refused host reaches the check.
    let outlines: String = slips[3..]
        .iter()
        .map(|url| format!("<outline type=\"rss\" text=\"s\" xmlUrl=\"{url}\"/>\n"))
        .collect();
    fs::write(
        sandbox.path().join("s.opml"),
        format!("<?xml version=\"1.0\"?><opml version=\"2.0\"><body>{outlines}</body></opml>"),
    )
    .expect("opml");
    let out = sandbox.cli(&["feed", "import", "s.opml"]);
    assert!(out.contains("imported 0 feeds"), "{out}");
    assert_eq!(server.count("/feed.xml"), 0);
}

#[cfg(unix)]
#[test]
fn a_feeds_file_that_is_a_fifo_or_dev_zero_is_refused_at_once() {
    let sandbox = Sandbox::empty();
    let fifo = sandbox.path().join("feeds-fifo.toml");
    let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let add = ["feed", "add", "--no-fetch", "http://127.0.0.1:9/f"];
    // A change (`feed add`) is tried on the FIFO only: nothing is made
    // beside /dev/zero, but a test should not count on that.
    for (feeds, change) in [("feeds-fifo.toml", true), ("/dev/zero", false)] {
        sandbox.write_config(&format!("feeds = \"{feeds}\"\n"));
        for args in [&["fetch"][..], &["feed", "list"][..], &add[..]] {
            if args == add && !change {
                continue;
            }
            let (code, _out, err, ended) = run_within(&sandbox, args, Duration::from_secs(20));
            assert!(ended, "{feeds}: {args:?} hung");
            assert_eq!(code, Some(1), "{feeds}: {args:?}: {err}");
            assert!(err.contains("regular file"), "{feeds}: {args:?}: {err}");
        }
    }
    assert!(
        !sandbox.path().join("feeds-fifo.toml.lock").exists(),
        "refused before a lock file is made beside it"
    );
}

#[test]
fn check_fails_on_a_feeds_file_with_an_unknown_field_naming_its_line_and_column() {
    let sandbox = Sandbox::with_feeds();
    fs::write(
        sandbox.path().join("feeds.toml"),
        "[[feed]]\nurl = \"http://127.0.0.1:9/feed\"\nnmae = \"News\"\n",
    )
    .expect("feeds file");
    let err = sandbox.fails(&["check"]);
    assert!(err.contains("feeds.toml"), "{err}");
    assert!(err.contains("nmae"), "{err}");
    assert!(err.contains("line 3, column 1"), "{err}");
    // The same file as fetch reads it.
    let fetch = sandbox.fails(&["fetch"]);
    assert!(fetch.contains("line 3, column 1"), "{fetch}");
    fs::write(
        sandbox.path().join("feeds.toml"),
        "[[feed]]\nurl = \"http://127.0.0.1:9/feed\"\nname = \"News\"\n",
    )
    .expect("feeds file");
    let out = sandbox.cli(&["check"]);
    assert!(out.contains("feeds: 1 in"), "{out}");
    // An address fetch would refuse is named, as a warning.
    fs::write(
        sandbox.path().join("feeds.toml"),
        "[[feed]]\nurl = \"http:127.0.0.1:9/feed\"\nname = \"News\"\n",
    )
    .expect("feeds file");
    let output = sandbox.run(&["check"]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("feed `News`: `http:127.0.0.1:9/feed`: it is not an http or https address written in full"),
        "{err}"
    );
}

// Item 13: `T` never loses an edit.

/// A page with much more text than any summary.
fn long_page() -> String {
    let paragraph = "The whole article goes on at length about the matter at hand, \
                     with every detail the summary left out. ";
    let body: String = (0..12)
        .map(|n| format!("<p>{n}. {}</p>", paragraph.repeat(3)))
        .collect();
    format!(
        "<!doctype html><html><head><title>Article</title></head><body>\
         <nav>Home | About</nav><article><h1>Article</h1>{body}</article></body></html>"
    )
}

const ARTICLE: &str = "+++\ntitle = \"Article\"\n+++\n\nA short summary.\n";

#[test]
fn full_text_is_not_written_over_a_file_changed_while_the_page_was_fetched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("article.md");
    fs::write(&path, ARTICLE).expect("article");
    let server = TestServer::start();
    let http = Http::new(HttpOptions::default());

    // Unchanged meanwhile: the page's text is kept.
    server.route("/calm", Reply::ok(long_page()).content_type("text/html"));
    let said = keep_full_text(&path, &server.url("/calm"), &http);
    assert!(said.is_ok(), "{said:?}");
    assert!(
        fs::read_to_string(&path)
            .unwrap_or_default()
            .contains("every detail")
    );

    // A line added while the server is answering: left as it is.
    fs::write(&path, ARTICLE).expect("article");
    let edited = path.clone();
    server.fallback(move |target| {
        (target == "/busy").then(|| {
            let mut file = fs::OpenOptions::new()
                .append(true)
                .open(&edited)
                .expect("the article");
            file.write_all(b"\nMy own note.\n").expect("append");
            Reply::ok(long_page()).content_type("text/html")
        })
    });
    let said = keep_full_text(&path, &server.url("/busy"), &http);
    let error = said.err().unwrap_or_default();
    assert!(
        error.contains("changed while its page was fetched"),
        "{error}"
    );
    let text = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        text.contains("My own note."),
        "the line added is kept: {text}"
    );
    assert!(!text.contains("every detail"), "{text}");
}

#[test]
fn a_full_text_page_that_answers_404_is_a_missing_page_not_a_missing_feed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("article.md");
    fs::write(&path, ARTICLE).expect("article");
    let server = TestServer::start();
    let http = Http::new(HttpOptions::default());
    let error = keep_full_text(&path, &server.url("/gone"), &http)
        .err()
        .unwrap_or_default();
    assert!(error.contains("the page is not there"), "{error}");
    assert!(!error.contains("feed is not there"), "{error}");
    assert!(!error.contains("feed remove"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap_or_default(), ARTICLE);
}

// Item 17: messages.

#[test]
fn a_full_text_feed_whose_page_answers_404_counts_an_error_not_no_fuller_text() {
    let server = TestServer::start();
    let link = server.url("/missing-page");
    server.route(
        "/feed.xml",
        Reply::ok(rss("Pages", &[("1", "One", &link, "A summary.")])),
    );
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&["feed", "add", "--full-text", &server.url("/feed.xml")]);
    let output = sandbox.run(&["fetch"]);
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        out.contains("Pages: 1 new, 1 whose page could not be fetched"),
        "{out}"
    );
    assert!(!out.contains("no fuller text"), "{out}");
    assert!(
        err.contains("/missing-page: the server answered 404"),
        "{err}"
    );
    assert!(err.contains("the page is not there"), "{err}");
}

#[test]
fn a_changed_item_is_reported_as_updated() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(rss("News", &[("1", "One", "", "First words.")])),
    );
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&["feed", "add", &server.url("/feed.xml")]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("fetched 1 feed: 1 new article\n"), "{out}");
    server.route(
        "/feed.xml",
        Reply::ok(rss("News", &[("1", "One", "", "First words, corrected.")])),
    );
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("News: 1 updated"), "{out}");
    assert!(
        out.contains("fetched 1 feed: 0 new articles, 1 updated"),
        "{out}"
    );
    // `feed list` says so too, not only that nothing was new.
    let list = sandbox.cli(&["feed", "list"]);
    assert!(list.contains(", 1 updated"), "{list}");
}

// Item 14: planted links.

#[cfg(unix)]
#[test]
fn an_item_file_replaced_by_a_link_is_replaced_never_written_through() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(rss(
            "News",
            &[("1", "One", "", "First."), ("2", "Two", "", "Second.")],
        )),
    );
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&["feed", "add", &server.url("/feed.xml")]);
    sandbox.cli(&["fetch"]);
    let folder = sandbox.articles().join("news");
    let files = articles_in(&folder);
    assert_eq!(files.len(), 2, "{files:?}");
    // Elsewhere: one file holding what broadsheet wrote (so the item does
    // not look edited), one holding something else.
    let same = sandbox.path().join("precious-same.md");
    let other = sandbox.path().join("precious-other.md");
    fs::copy(&files[0], &same).expect("copy");
    fs::write(&other, "precious\n").expect("write");
    for (file, target) in files.iter().zip([&same, &other]) {
        fs::remove_file(file).expect("remove");
        std::os::unix::fs::symlink(target, file).expect("link");
    }
    let same_before = fs::read(&same).expect("read");
    server.route(
        "/feed.xml",
        Reply::ok(rss(
            "News",
            &[
                ("1", "One", "", "First, changed."),
                ("2", "Two", "", "Second, changed."),
            ],
        )),
    );
    sandbox.cli(&["fetch"]);
    assert_eq!(
        fs::read(&same).expect("read"),
        same_before,
        "not written through"
    );
    assert_eq!(fs::read_to_string(&other).expect("read"), "precious\n");
    for file in &files {
        let meta = fs::symlink_metadata(file).expect("there");
        assert!(
            meta.file_type().is_file(),
            "{file:?} is a file of its own now"
        );
    }
}

// Item 15: ids that change, folder names that clash, remove, temp files.

#[test]
fn items_whose_ids_change_at_every_fetch_are_recognised_by_link_and_by_title() {
    let server = TestServer::start();
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&fetches);
    let base = server.url("");
    server.fallback(move |target| {
        if target != "/feed.xml" {
            return None;
        }
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let (a, b, c) = (format!("a-{n}"), format!("b-{n}"), format!("c-{n}"));
        let (la, lb) = (format!("{base}/a"), format!("{base}/b"));
        Some(Reply::ok(rss(
            "Churn",
            &[
                (&a, "Linked A", &la, "Text A."),
                (&b, "Linked B", &lb, "Text B."),
                // No link: known by its date and title.
                (&c, "Unlinked C", "", "Text C."),
            ],
        )))
    });
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&["feed", "add", &server.url("/feed.xml")]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("Churn: 3 new"), "{out}");
    for _ in 0..3 {
        let out = sandbox.cli(&["fetch"]);
        assert!(out.contains("Churn: nothing new"), "{out}");
    }
    assert_eq!(articles_in(&sandbox.articles().join("churn")).len(), 3);
    assert_eq!(fetches.load(Ordering::SeqCst), 5, "feed add asked once too");
    // The state does not grow with every fetch either.
    let state_dir = sandbox.path().join("feeds-state");
    let state: String = fs::read_dir(&state_dir)
        .expect("state folder")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert_eq!(state.matches("[items.").count(), 3, "{state}");
}

#[test]
fn two_feeds_whose_names_make_one_folder_name_get_a_folder_each() {
    let server = TestServer::start();
    server.route(
        "/a.xml",
        Reply::ok(rss("A", &[("a1", "From A", "", "A's text.")])),
    );
    server.route(
        "/b.xml",
        Reply::ok(rss("B", &[("b1", "From B", "", "B's text.")])),
    );
    let sandbox = Sandbox::with_feeds();
    let (a, b) = (server.url("/a.xml"), server.url("/b.xml"));
    feeds_file(&sandbox, &[("dup name", &a), ("DUP NAME!", &b)]);
    let out = sandbox.cli(&["fetch"]);
    assert!(
        out.contains("dup name: 1 new") && out.contains("DUP NAME!: 1 new"),
        "{out}"
    );
    let names = folders(&sandbox);
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], "dup-name");
    assert!(names[1].starts_with("dup-name-"), "{names:?}");
    let first = articles_in(&sandbox.articles().join(&names[0]));
    let second = articles_in(&sandbox.articles().join(&names[1]));
    assert_eq!((first.len(), second.len()), (1, 1));
    assert!(
        fs::read_to_string(&first[0])
            .unwrap_or_default()
            .contains("A's text.")
    );
    assert!(
        fs::read_to_string(&second[0])
            .unwrap_or_default()
            .contains("B's text.")
    );
    // Stable: fetched again, alone, or with the first feed gone.
    let out = sandbox.cli(&["fetch", "DUP NAME!"]);
    assert!(out.contains("DUP NAME!: nothing new"), "{out}");
    sandbox.cli(&["feed", "remove", "dup name"]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("DUP NAME!: nothing new"), "{out}");
    assert_eq!(folders(&sandbox), names);
}

#[test]
fn removing_a_feed_forgets_its_state_unless_asked_to_keep_it() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(rss(
            "News",
            &[("1", "One", "", "First."), ("2", "Two", "", "Second.")],
        )),
    );
    let sandbox = Sandbox::with_feeds();
    let url = server.url("/feed.xml");
    sandbox.cli(&["feed", "add", &url]);
    sandbox.cli(&["fetch"]);
    let folder = sandbox.articles().join("news");
    let delete_articles = || {
        for file in articles_in(&folder) {
            fs::remove_file(file).expect("remove");
        }
    };

    // --keep-state: the deleted articles stay deleted after adding it again.
    delete_articles();
    let out = sandbox.cli(&["feed", "remove", "--keep-state", "News"]);
    assert!(
        out.contains("unsubscribed: News") && !out.contains("forgot"),
        "{out}"
    );
    sandbox.cli(&["feed", "add", &url]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("News: nothing new"), "{out}");
    assert!(articles_in(&folder).is_empty());

    // By default: forgotten, and said so; adding it again brings them back.
    let out = sandbox.cli(&["feed", "remove", "News"]);
    assert!(out.contains("forgot what fetching it found"), "{out}");
    sandbox.cli(&["feed", "add", &url]);
    let out = sandbox.cli(&["fetch"]);
    assert!(out.contains("News: 2 new"), "{out}");
    assert_eq!(articles_in(&folder).len(), 2);
}

#[test]
fn temporary_files_of_a_killed_fetch_are_swept_by_the_next() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Reply::ok(rss("News", &[("1", "One", "", "First.")])),
    );
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&["feed", "add", &server.url("/feed.xml")]);
    sandbox.cli(&["fetch"]);
    let folder = sandbox.articles().join("news");
    let mut gone = std::process::Command::new("true").spawn().expect("true");
    gone.wait().expect("wait");
    let dead = folder.join(format!(
        ".2026-11-29-two-1234abcd.md.tmp-{}-Xy12",
        gone.id()
    ));
    let live = folder.join(format!(
        ".2026-11-29-three-1234abcd.md.tmp-{}-Zz34",
        std::process::id()
    ));
    fs::write(&dead, "half an article").expect("write");
    fs::write(&live, "an article being written").expect("write");
    sandbox.cli(&["fetch"]);
    assert!(!dead.exists(), "a gone writer's temporary file is swept");
    assert!(live.exists(), "a live writer's is kept");
    assert_eq!(articles_in(&folder).len(), 1);
}

// Item 16: imports are linear; export is XML.

#[test]
fn an_import_of_many_outlines_of_one_name_names_each_once() {
    let server = TestServer::start();
    let sandbox = Sandbox::with_feeds();
    let outlines: String = (0..500)
        .map(|n| {
            format!(
                "<outline type=\"rss\" text=\"Same\" xmlUrl=\"{}\"/>\n",
                server.url(&format!("/f{n}"))
            )
        })
        .collect();
    fs::write(
        sandbox.path().join("many.opml"),
        format!("<?xml version=\"1.0\"?><opml version=\"2.0\"><body>{outlines}</body></opml>"),
    )
    .expect("opml");
    let out = sandbox.cli(&["feed", "import", "many.opml"]);
    assert!(out.contains("imported 500 feeds"), "{out}");
    let text = sandbox.file("feeds.toml");
    assert!(text.contains("name = \"Same\"\n"), "{text}");
    assert!(text.contains("name = \"Same 2\"\n"));
    assert!(text.contains("name = \"Same 500\"\n"));
    assert!(!text.contains("name = \"Same 501\"\n"));
    // Imported again: every one is there already, none is renamed.
    let out = sandbox.cli(&["feed", "import", "many.opml"]);
    assert!(
        out.contains("imported 0 feeds") && out.contains("500 already subscribed"),
        "{out}"
    );
}

#[test]
fn export_leaves_out_what_xml_cannot_hold_and_xml_readers_accept_it() {
    let sandbox = Sandbox::with_feeds();
    fs::write(
        sandbox.path().join("feeds.toml"),
        "[[feed]]\nurl = \"http://127.0.0.1:9/f?a=1&b=2\"\nname = \"Odd\\uFFFF \\uFFFEname & <co>\"\n",
    )
    .expect("feeds file");
    let out = sandbox.cli(&["feed", "export"]);
    // quick-xml reads without checking characters; XML 1.0's `Char` is
    // checked here, as strict readers (libxml2, expat) do.
    let forbidden: Vec<char> = out
        .chars()
        .filter(|&c| {
            !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        })
        .collect();
    assert!(forbidden.is_empty(), "{forbidden:?} in {out:?}");
    let mut reader = quick_xml::Reader::from_str(&out);
    let mut outline = None;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Empty(tag)) if tag.name().as_ref() == "outline" => {
                let text = tag.try_get_attribute("text").ok().flatten().and_then(|a| {
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .ok()
                        .map(|v| v.into_owned())
                });
                let url = tag
                    .try_get_attribute("xmlUrl")
                    .ok()
                    .flatten()
                    .and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.into_owned())
                    });
                outline = Some((text, url));
            }
            Ok(_) => {}
            Err(err) => panic!("the export is not XML: {err}: {out:?}"),
        }
    }
    assert_eq!(
        outline,
        Some((
            Some("Odd name & <co>".to_string()),
            Some("http://127.0.0.1:9/f?a=1&b=2".to_string())
        ))
    );
}

// The reader says the same.

#[test]
fn the_reader_says_updated_and_that_t_left_a_changed_article_alone() {
    let mut app = reader::samples_reader(200, 30);
    reader::send(
        &mut app,
        Event::FeedsFetched(Fetched::Done {
            feeds: 1,
            new: 0,
            updated: 1,
            failed: Vec::new(),
            accounts: Default::default(),
        }),
    );
    let screen = reader::screen_text(&reader::draw(&app));
    assert!(
        screen.contains("fetched 1 feed: 0 new, 1 updated"),
        "{screen}"
    );

    // What `T` brings back when the article changed meanwhile.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.md");
    fs::write(&path, ARTICLE).expect("article");
    let server = TestServer::start();
    let edited = path.clone();
    server.fallback(move |_| {
        fs::write(&edited, format!("{ARTICLE}A line of mine.\n")).expect("edit");
        Some(Reply::ok(long_page()).content_type("text/html"))
    });
    let done = keep_full_text(
        &path,
        &server.url("/page"),
        &Http::new(HttpOptions::default()),
    );
    reader::send(&mut app, Event::FullTextDone(done));
    let screen = reader::screen_text(&reader::draw(&app));
    assert!(
        screen.contains("changed while its page was fetched"),
        "{screen}"
    );
}
