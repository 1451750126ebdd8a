//! The Fever protocol (src/sync/fever.rs) against coldsweat, a real Fever
//! server run on 127.0.0.1 (tests/common/coldsweat.rs: skipped in the
//! everyday run when `.ci/run` did not install it, failing under
//! `--features slow-tests` then), and against a small Fever server for the
//! faults a real one will not produce on demand
//! (tests/common/fever_server.rs).

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use broadsheet::sync::fever::Fever;
use broadsheet::sync::http::Client;
use broadsheet::sync::service::{
    Change, Credentials, Cursor, Flag, RemoteItem, Secret, Service, SyncError,
};
use common::coldsweat::{self, Coldsweat, TestFeed};
use common::fever_server::{Fault, FeverServer};

fn fever(url: &str, user: &str, password: &str) -> Fever {
    Fever::new(
        Credentials {
            url: url.to_string(),
            user: user.to_string(),
            password: Secret::new(password.to_string()),
        },
        Client::new(Duration::from_secs(20)),
    )
}

fn client_of(server: &Coldsweat) -> Fever {
    fever(&server.url(), coldsweat::EMAIL, coldsweat::PASSWORD)
}

/// Every item of the account, page after page of `limit`, with the number
/// of pages it took.
fn read_all(service: &mut Fever, limit: usize) -> (Vec<RemoteItem>, usize) {
    let mut cursor = Cursor::default();
    let mut items = Vec::new();
    let mut pages = 0;
    loop {
        let page = service.items(&cursor, limit).expect("a page of items");
        pages += 1;
        assert!(page.items.len() <= limit, "a page is at most the limit");
        items.extend(page.items);
        cursor = page.next;
        if !page.more {
            return (items, pages);
        }
        assert!(pages < 10_000, "paging does not end");
    }
}

fn ids(list: &[String]) -> BTreeSet<u64> {
    list.iter().map(|id| id.parse().expect("an id")).collect()
}

// ---------------------------------------------------------------- coldsweat

#[test]
fn coldsweat_lists_feeds_with_their_groups() {
    let Some(server) = Coldsweat::start(&[
        TestFeed::new("alpha", "News", 2),
        TestFeed::new("beta", "News", 1),
        TestFeed::new("gamma", "Tech", 1),
    ]) else {
        return;
    };
    let mut service = client_of(&server);
    let mut feeds = service.feeds().expect("the feeds");
    feeds.sort_by(|a, b| a.title.cmp(&b.title));
    let shown: Vec<(&str, Vec<String>)> = feeds
        .iter()
        .map(|f| (f.title.as_str(), f.categories.clone()))
        .collect();
    assert_eq!(
        shown,
        [
            ("Feed alpha", vec!["News".to_string()]),
            ("Feed beta", vec!["News".to_string()]),
            ("Feed gamma", vec!["Tech".to_string()]),
        ]
    );
    assert_eq!(feeds[0].url, server.feeds.url("/feeds/alpha.xml"));
    assert!(service.take_skipped().is_empty());
    // The feeds' icon came from 127.0.0.1, not from an icon service.
    assert!(server.feeds.count("/icon.png") >= 1, "{}", server.log());
}

#[test]
fn coldsweat_items_come_in_pages_after_the_highest_id_seen() {
    let Some(server) = Coldsweat::start(&[
        TestFeed::new("alpha", "News", 70),
        TestFeed::new("beta", "News", 50),
    ]) else {
        return;
    };
    let mut service = client_of(&server);
    let feeds = service.feeds().expect("the feeds");
    let feed_ids: BTreeSet<String> = feeds.iter().map(|f| f.id.clone()).collect();

    // Fever's own page of 50: 120 items in three pages.
    let (items, pages) = read_all(&mut service, 50);
    assert_eq!(items.len(), 120);
    assert_eq!(pages, 3);
    let distinct: BTreeSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(distinct.len(), 120, "no item twice");
    assert!(items.iter().all(|i| feed_ids.contains(&i.feed_id)));
    let first = items
        .iter()
        .find(|i| i.title == "alpha item 1")
        .expect("alpha item 1");
    assert_eq!(first.html, "<p>Body of alpha item 1.</p>");
    assert_eq!(
        first.url.as_deref(),
        Some(server.feeds.url("/alpha/1").as_str())
    );
    assert!(first.published.is_some() && !first.read && !first.starred);

    // A smaller limit cuts Fever's pages and resumes inside them.
    let (small, pages) = read_all(&mut service, 16);
    assert_eq!(small.len(), 120);
    assert!(pages >= 8, "{pages} pages of 16");
    let again: BTreeSet<&str> = small.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(again, distinct);

    // After the last item: nothing, and no more.
    let highest = items
        .iter()
        .map(|i| i.id.parse::<u64>().expect("a numeric id"))
        .max()
        .expect("items");
    let page = service
        .items(&Cursor(highest.to_string()), 50)
        .expect("the page after the end");
    assert!(page.items.is_empty() && !page.more);

    assert_eq!(service.unread_ids().expect("unread ids").len(), 120);

    // New items on the server come after the cursor, and only they.
    server.add_feed(&TestFeed::new("delta", "Tech", 3));
    let page = service
        .items(&Cursor(highest.to_string()), 50)
        .expect("the new items");
    let titles: BTreeSet<&str> = page.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        ["delta item 1", "delta item 2", "delta item 3"].into()
    );
    assert!(!page.more);
    assert_eq!(service.unread_ids().expect("unread ids").len(), 123);
    assert!(service.starred_ids().expect("saved ids").is_empty());

    // By id, in batches of 50.
    let wanted: Vec<String> = items.iter().take(60).map(|i| i.id.clone()).collect();
    let found = service.items_by_id(&wanted).expect("items by id");
    let found: BTreeSet<String> = found.into_iter().map(|i| i.id).collect();
    assert_eq!(found, wanted.into_iter().collect());
}

#[test]
fn coldsweat_marks_round_trip_to_a_second_client() {
    let Some(server) = Coldsweat::start(&[TestFeed::new("alpha", "News", 6)]) else {
        return;
    };
    let mut laptop = client_of(&server);
    let mut phone = client_of(&server);
    let (items, _) = read_all(&mut laptop, 50);
    let all: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    let (read, starred) = (all[..3].to_vec(), all[2..4].to_vec());

    let sent = laptop
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: read.clone(),
        })
        .expect("marks read");
    assert_eq!(sent.accepted, read);
    assert!(sent.refused.is_empty());
    let sent = laptop
        .send(&Change {
            flag: Flag::Starred,
            on: true,
            ids: starred.clone(),
        })
        .expect("marks saved");
    assert_eq!(sent.accepted, starred);

    let unread = ids(&phone.unread_ids().expect("unread"));
    assert_eq!(unread, ids(&all[3..]));
    assert_eq!(ids(&phone.starred_ids().expect("saved")), ids(&starred));
    let seen = phone.items_by_id(&all).expect("items by id");
    for item in &seen {
        assert_eq!(item.read, read.contains(&item.id), "{}", item.id);
        assert_eq!(item.starred, starred.contains(&item.id), "{}", item.id);
    }

    // And back: unread, unsaved.
    laptop
        .send(&Change {
            flag: Flag::Read,
            on: false,
            ids: vec![all[0].clone()],
        })
        .expect("marks unread");
    laptop
        .send(&Change {
            flag: Flag::Starred,
            on: false,
            ids: vec![all[2].clone()],
        })
        .expect("marks unsaved");
    let unread = ids(&phone.unread_ids().expect("unread"));
    assert!(unread.contains(&all[0].parse().expect("an id")));
    assert_eq!(ids(&phone.starred_ids().expect("saved")), ids(&all[3..4]));

    // An id coldsweat does not have, and one that is no Fever id: refused
    // and named, the others still sent.
    let sent = laptop
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: vec!["999999".to_string(), "abc".to_string(), all[5].clone()],
        })
        .expect("a change with refusals");
    assert_eq!(sent.accepted, [all[5].clone()]);
    let refused: Vec<&str> = sent.refused.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(refused, ["999999", "abc"]);
    assert!(sent.refused[0].1.contains("404"), "{:?}", sent.refused);
}

#[test]
fn coldsweat_refuses_a_wrong_password_as_a_login_error() {
    let Some(server) = Coldsweat::start(&[TestFeed::new("alpha", "News", 1)]) else {
        return;
    };
    let mut service = fever(&server.url(), coldsweat::EMAIL, "wrong-password-here");
    let err = service.feeds().expect_err("a wrong password");
    assert!(matches!(err, SyncError::Login { .. }), "{err:?}");
    assert!(!err.to_string().contains("wrong-password-here"), "{err}");
}

// ------------------------------------------------------------- faults

const USER: &str = "me@example.org";
const PASSWORD: &str = "s3cret-pass";

#[test]
fn a_wrong_api_key_is_a_login_error_that_never_shows_the_password() {
    let server = FeverServer::start(USER, PASSWORD);
    let mut service = fever(&server.url(), USER, "not-the-password");
    for err in [
        service.feeds().expect_err("auth 0"),
        service.items(&Cursor::default(), 50).expect_err("auth 0"),
        service.unread_ids().expect_err("auth 0"),
    ] {
        assert!(matches!(err, SyncError::Login { .. }), "{err:?}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("not-the-password") && shown.contains("auth 0"),
            "{shown}"
        );
    }
    // The right key passes.
    let mut right = fever(&server.url(), USER, PASSWORD);
    assert_eq!(right.feeds().expect("feeds").len(), 1);
}

#[test]
fn malformed_and_truncated_answers_are_named_not_panics() {
    let server = FeverServer::start(USER, PASSWORD);
    server.add_items(1, 3);
    let mut service = fever(&server.url(), USER, PASSWORD);
    let bodies: [&[u8]; 4] = [
        b"<html><body>Proxy error</body></html>",
        b"{\"api_version\":3,\"auth\":1,\"items\":[{\"id\":1,\"feed_id\":1,\"tit",
        b"{\"api_version\":3,\"items\":[]}",
        b"{\"api_version\":3,\"auth\":1,\"items\":{\"id\":1}}",
    ];
    for body in bodies {
        server.fail_with(Fault {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_vec(),
            cut: false,
        });
        let err = service
            .items(&Cursor::default(), 50)
            .expect_err("an answer that cannot be read");
        assert!(
            matches!(err, SyncError::Malformed { .. }),
            "{}: {err:?}",
            String::from_utf8_lossy(body)
        );
        assert!(err.to_string().contains("/fever/"), "{err}");
    }
    // Cut off in transit (fewer bytes than Content-Length): an error too.
    server.fail_with(Fault {
        status: 200,
        headers: Vec::new(),
        body: b"{\"api_version\":3,\"auth\":1,\"items\":[".to_vec(),
        cut: true,
    });
    let err = service
        .items(&Cursor::default(), 50)
        .expect_err("a cut answer");
    assert!(
        matches!(
            err,
            SyncError::Unreachable { .. } | SyncError::Malformed { .. }
        ),
        "{err:?}"
    );
    server.heal();
    assert_eq!(
        service
            .items(&Cursor::default(), 50)
            .expect("healed")
            .items
            .len(),
        3
    );
}

#[test]
fn http_errors_come_back_with_the_wait_the_server_asked_for() {
    let server = FeverServer::start(USER, PASSWORD);
    let mut service = fever(&server.url(), USER, PASSWORD);
    server.fail_with(Fault {
        status: 500,
        headers: Vec::new(),
        body: b"Internal Server Error".to_vec(),
        cut: false,
    });
    let err = service.unread_ids().expect_err("500");
    assert_eq!(
        err,
        SyncError::Status {
            url: format!("{}fever/?api&unread_item_ids", server.url()),
            status: 500,
            retry_after: None
        }
    );
    server.fail_with(Fault {
        status: 503,
        headers: vec![("Retry-After".into(), "120".into())],
        body: b"busy".to_vec(),
        cut: false,
    });
    let err = service.starred_ids().expect_err("503");
    assert!(
        matches!(
            err,
            SyncError::Status {
                status: 503,
                retry_after: Some(120),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("120 s"), "{err}");
    // A mark refused by a 503 fails the call (the engine keeps the change).
    let err = service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: vec!["1".into()],
        })
        .expect_err("503 on a mark");
    assert!(
        matches!(err, SyncError::Status { status: 503, .. }),
        "{err:?}"
    );
}

#[test]
fn an_item_with_a_wrong_typed_id_is_skipped_and_named_and_its_page_read() {
    let server = FeverServer::start(USER, PASSWORD);
    server.add_items(1, 2);
    server.add_raw(
        3,
        serde_json::json!({"id": {"oops": 3}, "feed_id": 1, "title": "Bad id"}),
    );
    server.add_raw(
        4,
        serde_json::json!({"id": 4, "feed_id": 1, "title": "Bad date", "created_on_time": "yesterday"}),
    );
    server.add_items(5, 1);
    let mut service = fever(&server.url(), USER, PASSWORD);
    let page = service.items(&Cursor::default(), 50).expect("the page");
    let got: Vec<&str> = page.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(got, ["1", "2", "5"]);
    assert_eq!(page.next, Cursor("5".to_string()));
    let warnings: Vec<String> = service
        .take_skipped()
        .into_iter()
        .map(|(what, why)| format!("{what}: {why}"))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("entry 3") && warnings[0].contains("an object"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("item 4") && warnings[1].contains("created_on_time"),
        "{warnings:?}"
    );
    assert!(service.take_skipped().is_empty(), "each named once");
}

#[test]
fn escape_sequences_in_fields_arrive_as_text_for_the_engine_to_sanitize() {
    let server = FeverServer::start(USER, PASSWORD);
    let title = "Title \u{1b}[2J\u{1b}]0;owned\u{7} end";
    let html = "<p>\u{1b}[31mred\u{1b}[0m \u{9b}31m</p>";
    let author = "Eve \u{1b}]52;c;cGF5bG9hZA==\u{7}";
    server.add_raw(
        1,
        serde_json::json!({"id": 1, "feed_id": 1, "title": title, "html": html,
                           "author": author, "url": "http://127.0.0.1:9/\u{1b}x",
                           "is_read": 0, "is_saved": 0, "created_on_time": 1}),
    );
    let mut service = fever(&server.url(), USER, PASSWORD);
    let page = service.items(&Cursor::default(), 50).expect("the page");
    let item = &page.items[0];
    assert_eq!(item.title, title);
    assert_eq!(item.html, html);
    assert_eq!(item.author.as_deref(), Some(author));
    assert_eq!(item.url.as_deref(), Some("http://127.0.0.1:9/\u{1b}x"));
}

#[test]
fn a_batch_of_marks_is_one_request_per_item_on_one_kept_connection() {
    let server = FeverServer::start(USER, PASSWORD);
    server.add_items(1, 40);
    let mut service = fever(&server.url(), USER, PASSWORD);
    let before = server.connections();
    let ids: Vec<String> = (1..=40).map(|n| n.to_string()).collect();
    let sent = service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: ids.clone(),
        })
        .expect("40 marks");
    assert_eq!(sent.accepted, ids);
    assert_eq!(
        server.state().0,
        Vec::<u64>::new(),
        "all read on the server"
    );
    let marks: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.contains("mark=item"))
        .collect();
    assert_eq!(marks.len(), 40);
    assert!(marks[0].ends_with("mark=item&as=read&id=1"), "{marks:?}");
    assert_eq!(
        server.connections() - before,
        1,
        "the marks share one kept-alive connection"
    );
}

#[test]
fn paging_after_a_cursor_from_the_middle_and_the_server_page_of_50() {
    let server = FeverServer::start(USER, PASSWORD);
    server.add_items(1, 120);
    let mut service = fever(&server.url(), USER, PASSWORD);
    let page = service
        .items(&Cursor("50".to_string()), 50)
        .expect("a page");
    assert_eq!(page.items.first().map(|i| i.id.as_str()), Some("51"));
    assert_eq!(page.next, Cursor("100".to_string()));
    assert!(page.more);
    let last = service.items(&page.next, 50).expect("the last page");
    assert_eq!(last.items.len(), 20);
    assert!(!last.more);
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.starts_with("/fever/?api&items&since_id=100")),
        "since_id travels in the query"
    );
    let err = service
        .items(&Cursor("not-a-number".to_string()), 50)
        .expect_err("a cursor that is no id");
    assert!(matches!(err, SyncError::Malformed { .. }), "{err:?}");
}

#[test]
fn fever_cannot_subscribe_and_says_so() {
    let server = FeverServer::start(USER, PASSWORD);
    let mut service = fever(&server.url(), USER, PASSWORD);
    let err = service
        .subscribe("http://127.0.0.1:9/feed.xml")
        .expect_err("Fever has no subscribe call");
    assert!(
        matches!(
            err,
            SyncError::Unsupported {
                protocol: "Fever",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(server.requests().is_empty(), "nothing was asked");
}

/// The figure in README ("Accounts and sync", Fever): a full item read of a
/// coldsweat account of 1,000 items (ten feeds of 100, fetched by coldsweat
/// from the local test server), in Fever's pages of 50. Run by hand:
/// `cargo test --release --test sync_fever -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run by hand"]
fn measure_a_full_read_of_1000_coldsweat_items() {
    let feeds: Vec<TestFeed> = (0..10)
        .map(|n| TestFeed::new(&format!("f{n}"), "News", 100))
        .collect();
    let Some(server) = Coldsweat::start(&feeds) else {
        return;
    };
    let mut service = client_of(&server);
    for run in 1..=3 {
        let started = std::time::Instant::now();
        let (items, pages) = read_all(&mut service, 50);
        let elapsed = started.elapsed();
        let unread = service.unread_ids().expect("unread ids").len();
        assert_eq!((items.len(), unread), (1000, 1000));
        eprintln!(
            "run {run}: {} items in {pages} pages: {:.3} s (unread ids: {:.3} s more)",
            items.len(),
            elapsed.as_secs_f64(),
            (started.elapsed() - elapsed).as_secs_f64()
        );
    }
}

#[test]
fn stars_are_sent_only_where_they_differ_for_servers_that_toggle() {
    let server = FeverServer::start(USER, PASSWORD);
    server.add_items(1, 3);
    server.toggle_stars();
    let mut service = fever(&server.url(), USER, PASSWORD);
    let star = |on: bool, ids: &[&str]| Change {
        flag: Flag::Starred,
        on,
        ids: ids.iter().map(|id| id.to_string()).collect(),
    };
    service.send(&star(true, &["1"])).expect("star 1");
    // Sent again (an answer lost, the journal resends), with 2 new: 1 stays
    // starred on a server where `saved` toggles.
    let sent = service
        .send(&star(true, &["1", "2"]))
        .expect("star 1 and 2");
    assert_eq!(sent.accepted, ["1", "2"]);
    assert_eq!(server.state().1, [1, 2]);
    service
        .send(&star(false, &["2", "3"]))
        .expect("unstar 2 and 3");
    assert_eq!(server.state().1, [1]);
}
