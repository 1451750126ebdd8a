//! Fetching on its own, through the real binary: `[fetching] on_start`
//! and `every_minutes` in a reader in a pseudo-terminal (the interval cut
//! to a fraction of a second by `BROADSHEET_TEST_FETCH_EVERY_MS`, which
//! only shortens an interval the config turned on), new articles that
//! match `notify` given to a fake program that logs its arguments, the
//! terminal's OSC 9 notice, the feeds view end to end, and
//! `fetch --quiet` for cron.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::{Reply, Sandbox, Session, TestServer, assert_exit_code, toml_string};

/// An RSS 2.0 feed titled `title` of `items`: (guid, title).
fn rss(title: &str, items: &[(&str, &str)]) -> String {
    let mut text = format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://news.example/</link><description>d</description>\n"
    );
    for (guid, item) in items {
        text.push_str(&format!(
            "<item><guid>{guid}</guid><title>{item}</title>\
             <link>https://news.example/{guid}</link>\
             <pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate>\
             <description>About {item}.</description></item>\n"
        ));
    }
    text.push_str("</channel></rss>\n");
    text
}

/// A fake notifier in the sandbox that appends each argument it gets, one
/// a line, to `notify.log`.
fn fake_notifier(sandbox: &Sandbox) -> String {
    let program = sandbox.path().join("fake-notify");
    fs::write(
        &program,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\n",
            sandbox.path().join("notify.log").display()
        ),
    )
    .expect("a fake notifier");
    fs::set_permissions(&program, fs::Permissions::from_mode(0o755)).expect("executable");
    program.display().to_string()
}

/// A sandbox subscribed to one feed served at `/news.xml` by `server`,
/// with these `[fetching]` lines.
fn subscribed(server: &TestServer, fetching: &str) -> Sandbox {
    let sandbox = Sandbox::with_feeds();
    sandbox.cli(&[
        "feed",
        "add",
        "--no-fetch",
        "--name",
        "The News",
        &server.url("/news.xml"),
    ]);
    sandbox.write_config(&format!("feeds = \"feeds.toml\"\n[fetching]\n{fetching}"));
    sandbox
}

#[test]
fn the_reader_fetches_as_it_starts_and_then_on_its_timer_and_notifies() {
    let server = TestServer::start();
    server.route(
        "/news.xml",
        Reply::ok(rss("The News", &[("n1", "Calm morning")])),
    );
    let sandbox = Sandbox::with_feeds();
    let notifier = fake_notifier(&sandbox);
    let out = sandbox.cli(&[
        "feed",
        "add",
        "--no-fetch",
        "--name",
        "The News",
        &server.url("/news.xml"),
    ]);
    assert!(out.contains("The News"), "{out}");
    sandbox.write_config(&format!(
        "feeds = \"feeds.toml\"\n[fetching]\non_start = true\nevery_minutes = 1\n\
         notify = \"storm\"\nnotify_command = [{}, \"{{feed}}\", \"{{title}}\"]\n\
         notify_terminal = \"osc9\"\n",
        toml_string(&notifier)
    ));
    let mut session = Session::start_with_env(
        &sandbox,
        120,
        40,
        &[("BROADSHEET_TEST_FETCH_EVERY_MS", "500")],
    );
    // Fetched on start, with no key pressed; the next fetch is announced.
    session.wait_for_text(&["Calm morning", "next fetch "]);
    // The feed gets a new item: the timer fetches it.
    server.route(
        "/news.xml",
        Reply::ok(rss(
            "The News",
            &[("n1", "Calm morning"), ("n2", "Storm warning; stay in")],
        )),
    );
    session.wait_for_text(&["Storm warning; stay in"]);
    assert_eq!(
        sandbox.logged_within("notify.log", 2, Duration::from_secs(10)),
        ["The News", "Storm warning; stay in"],
        "the feed and the title, each one argument, no shell"
    );
    session.wait_for_raw(
        b"\x1b]9;The News: Storm warning; stay in\x07",
        "the terminal's notice",
    );
    let fetches = server.count("/news.xml");
    assert!(fetches >= 2, "fetched on start and on the timer: {fetches}");
    // The calm item notified nobody; the timer goes on without more news.
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(
        sandbox
            .logged_within("notify.log", 3, Duration::from_millis(200))
            .len(),
        2
    );
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn without_the_settings_the_reader_fetches_nothing_on_its_own() {
    let server = TestServer::start();
    server.route(
        "/news.xml",
        Reply::ok(rss("The News", &[("n1", "Calm morning")])),
    );
    // The test variable alone turns nothing on.
    let sandbox = subscribed(&server, "");
    let mut session = Session::start_with_env(
        &sandbox,
        80,
        24,
        &[("BROADSHEET_TEST_FETCH_EVERY_MS", "200")],
    );
    session.wait_for_text(&["0/0"]);
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(server.count("/news.xml"), 0, "no fetch without a key");
    session.quit();
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn the_feeds_view_shows_a_feeds_articles_and_goes_back_level_by_level() {
    let server = TestServer::start();
    server.route(
        "/news.xml",
        Reply::ok(rss(
            "The News",
            &[("n1", "Calm morning"), ("n2", "Windy noon")],
        )),
    );
    server.route(
        "/other.xml",
        Reply::ok(rss("Other", &[("o1", "Elsewhere")])),
    );
    let sandbox = subscribed(&server, "");
    sandbox.cli(&[
        "feed",
        "add",
        "--no-fetch",
        "--name",
        "Other",
        &server.url("/other.xml"),
    ]);
    sandbox.run(&["fetch"]);
    let mut session = Session::start(&sandbox, 120, 40);
    // Two feeds in the list: each title has its feed's name before it.
    session.wait_for_text(&["The News  Calm morning", "Other", "Elsewhere"]);
    session.press(b"f");
    session.wait_for_text(&["Feeds", "unread/all", "2/2", "1/1", "esc/q close"]);
    session.press(b"\r");
    session.wait_for_text(&["feed The News", "2/3", "q feeds", "Q quit"]);
    session.press(b"q");
    session.wait_for_text(&["Feeds", "unread/all"]);
    // Marked read from the view: the count follows.
    session.press(b"A");
    session.wait_for_text(&["0/2", "marked 2 of The News read"]);
    session.press(b"q");
    session.wait_for_text(&["all articles"]);
    session.press(b"f");
    session.wait_for_text(&["Feeds", "0/2"]);
    session.press(b"Q");
    assert_exit_code(&session.wait_exit(), 0);
}

#[test]
fn fetch_quiet_prints_only_failures_and_its_status_still_tells() {
    let server = TestServer::start();
    server.route(
        "/news.xml",
        Reply::ok(rss("The News", &[("n1", "Calm morning")])),
    );
    server.route("/gone.xml", Reply::ok("").status(410));
    let sandbox = subscribed(&server, "");
    // All good: nothing printed, status 0.
    let all_good = sandbox.run(&["fetch", "--quiet"]);
    assert!(all_good.status.success());
    assert_eq!(String::from_utf8_lossy(&all_good.stdout), "");
    assert_eq!(String::from_utf8_lossy(&all_good.stderr), "");
    // One failing: only its line and the error; status 1.
    sandbox.cli(&[
        "feed",
        "add",
        "--no-fetch",
        "--name",
        "Gone",
        &server.url("/gone.xml"),
    ]);
    let failing = sandbox.run(&["fetch", "-q"]);
    assert_eq!(failing.status.code(), Some(1));
    let out = String::from_utf8_lossy(&failing.stdout);
    assert!(out.contains("Gone") && !out.contains("The News"), "{out}");
    assert!(!out.contains("fetched"), "no summary: {out}");
    let err = String::from_utf8_lossy(&failing.stderr);
    assert!(err.contains("1 of 2 feeds failed (Gone)"), "{err}");
}
