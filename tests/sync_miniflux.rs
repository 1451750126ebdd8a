//! Miniflux's own API against a test server written from its API reference
//! (tests/common/miniflux_server.rs): both ways to log in, each call,
//! paging by entry id, batched status changes, idempotent stars, errors
//! with their JSON bodies, broken answers and Retry-After.

#[path = "common/api_server.rs"]
mod api_server;
#[path = "common/miniflux_server.rs"]
mod miniflux_server;
#[path = "common/sync_calls.rs"]
mod sync_calls;

use std::collections::HashSet;
use std::time::Instant;

use broadsheet::sync::miniflux::Miniflux;
use broadsheet::sync::service::{Change, Cursor, Flag, Service, SyncError};
use serde_json::json;
use sync_calls::{login, read_all};

use api_server::{Answer, lock};
use miniflux_server::MinifluxServer;

const USER: &str = "bo";
const PASSWORD: &str = "correct horse";

fn account(server: &MinifluxServer, user: &str, password: &str) -> Miniflux {
    let (credentials, client) = login(server.root(), user, password);
    Miniflux::new(credentials, client)
}

fn visible_ids(
    server: &MinifluxServer,
    keep: impl Fn(&miniflux_server::MEntry) -> bool,
) -> Vec<String> {
    lock(&server.state)
        .entries
        .iter()
        .filter(|e| e.status != "removed" && keep(e))
        .map(|e| e.id.to_string())
        .collect()
}

#[test]
fn basic_auth_and_api_tokens_both_log_in() {
    let server = MinifluxServer::start(USER, PASSWORD, 3, 0);
    let feeds = account(&server, USER, PASSWORD)
        .feeds()
        .expect("with a password");
    assert_eq!(feeds.len(), 3);
    for user in ["", "token"] {
        let feeds = account(&server, user, "api-token-1")
            .feeds()
            .expect("with a token");
        assert_eq!(feeds.len(), 3);
    }
    let requests = server.http.requests();
    assert!(
        requests[0]
            .header("authorization")
            .is_some_and(|v| v.starts_with("Basic "))
    );
    assert_eq!(requests[0].header("x-auth-token"), None);
    assert_eq!(requests[1].header("x-auth-token"), Some("api-token-1"));
    assert_eq!(requests[1].header("authorization"), None);
}

#[test]
fn feeds_come_with_their_category() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 0);
    let feeds = account(&server, USER, PASSWORD).feeds().expect("feeds");
    assert_eq!(feeds[0].id, "1");
    assert_eq!(feeds[0].url, "http://127.0.0.1:9/feed1.xml");
    assert_eq!(feeds[0].categories, vec!["All".to_string()]);
    assert_eq!(feeds[1].categories, vec!["Tech".to_string()]);
    assert_eq!(feeds[1].site_url.as_deref(), Some("http://127.0.0.1:9/"));
}

#[test]
fn entries_come_in_pages_after_the_last_id_then_only_what_is_new() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 250);
    let mut service = account(&server, USER, PASSWORD);
    let (ids, cursor) = read_all(&mut service, Cursor::default(), 100);
    assert_eq!(
        ids,
        visible_ids(&server, |_| true),
        "removed entries stay out"
    );
    assert_eq!(server.http.count("/v1/entries"), 3);
    let first = server.http.requests()[0].clone();
    assert_eq!(first.param("order"), Some("id"));
    assert_eq!(first.param("direction"), Some("asc"));
    assert_eq!(first.param("after_entry_id"), Some("0"));
    assert_eq!(
        first.params("status"),
        vec!["unread".to_string(), "read".to_string()]
    );
    assert_eq!(cursor, Cursor("250".to_string()));

    server.http.clear_log();
    let page = service.items(&cursor, 100).expect("nothing new");
    assert!(page.items.is_empty() && !page.more);
    assert_eq!(page.next, cursor);
    assert_eq!(server.http.requests().len(), 1);

    let new = server.add_entry();
    let page = service.items(&cursor, 100).expect("the new entry");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, new.to_string());
    assert_eq!(page.next, Cursor(new.to_string()));
}

#[test]
fn entries_carry_their_state_and_fields() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 15);
    let mut service = account(&server, USER, PASSWORD);
    let page = service.items(&Cursor::default(), 100).expect("entries");
    let fifteen = page.items.iter().find(|i| i.id == "15").expect("entry 15");
    assert!(fifteen.read && fifteen.starred);
    let one = page.items.iter().find(|i| i.id == "1").expect("entry 1");
    assert!(!one.read && !one.starred);
    assert_eq!(one.feed_id, "2");
    assert_eq!(one.title, "Entry 1");
    assert_eq!(one.author.as_deref(), Some("Bo"));
    assert_eq!(one.url.as_deref(), Some("http://127.0.0.1:9/e/1"));
    assert_eq!(one.published, Some(1_767_323_045));
    assert!(one.html.contains("Body of Entry 1"));
}

#[test]
fn unread_and_starred_ids_are_paged_by_id() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 2500);
    let mut service = account(&server, USER, PASSWORD);
    let unread = service.unread_ids().expect("unread");
    assert_eq!(unread, visible_ids(&server, |e| e.status == "unread"));
    let requests = server.http.count("/v1/entries");
    // 1,429 unread: pages of 1,000.
    assert_eq!(requests, 2);
    let starred = service.starred_ids().expect("starred");
    assert_eq!(
        starred.into_iter().collect::<HashSet<_>>(),
        visible_ids(&server, |e| e.starred)
            .into_iter()
            .collect::<HashSet<_>>()
    );
    let last = server.http.requests().pop().expect("a request");
    assert_eq!(last.param("starred"), Some("true"));
}

#[test]
fn a_thousand_read_marks_go_in_four_requests() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 1500);
    let mut service = account(&server, USER, PASSWORD);
    let ids: Vec<String> = (1..=1000).map(|n: i64| n.to_string()).collect();
    let sent = service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: ids.clone(),
        })
        .expect("sent");
    assert_eq!(sent.accepted, ids);
    assert_eq!(server.http.count("/v1/entries"), 4);
    let put = server.http.requests()[0].clone();
    assert_eq!(put.method, "PUT");
    let body: serde_json::Value = serde_json::from_slice(&put.body).expect("a JSON body");
    assert_eq!(body["status"], "read");
    assert_eq!(body["entry_ids"].as_array().map(Vec::len), Some(250));
    assert!(
        lock(&server.state).entries[..1000]
            .iter()
            .all(|e| e.status == "read")
    );

    service
        .send(&Change {
            flag: Flag::Read,
            on: false,
            ids: vec!["3".to_string()],
        })
        .expect("unread");
    assert_eq!(lock(&server.state).entries[2].status, "unread");
    let sent = service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: vec!["x".to_string(), "-2".to_string()],
        })
        .expect("refused ids");
    assert_eq!(sent.refused.len(), 2, "{sent:?}");
}

#[test]
fn a_batch_the_server_refuses_is_refused_with_its_words_and_the_rest_sent() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 600);
    let mut service = account(&server, USER, PASSWORD);
    server.http.fail_next(
        "/v1/entries",
        Answer::json(400, &json!({ "error_message": "Invalid entry status" })),
    );
    let ids: Vec<String> = (1..=500).map(|n: i64| n.to_string()).collect();
    let sent = service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: ids.clone(),
        })
        .expect("sent");
    assert_eq!(sent.refused.len(), 250, "the first batch");
    assert!(
        sent.refused
            .iter()
            .all(|(_, why)| why == "Invalid entry status")
    );
    assert_eq!(sent.accepted, ids[250..].to_vec(), "the second batch");
    assert!(
        lock(&server.state).entries[250..500]
            .iter()
            .all(|e| e.status == "read")
    );
}

#[test]
fn setting_a_star_twice_toggles_once() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 20);
    let mut service = account(&server, USER, PASSWORD);
    let star = Change {
        flag: Flag::Starred,
        on: true,
        ids: vec!["1".to_string(), "5".to_string()],
    };
    let sent = service.send(&star).expect("starred");
    assert_eq!(sent.accepted.len(), 2);
    // Entry 5 was starred already: only entry 1 was toggled.
    assert_eq!(server.http.count("/bookmark"), 1);
    service.send(&star).expect("starred again");
    assert_eq!(server.http.count("/bookmark"), 1, "nothing to toggle");
    {
        let state = lock(&server.state);
        assert!(state.entries[0].starred && state.entries[4].starred);
    }
    service
        .send(&Change {
            flag: Flag::Starred,
            on: false,
            ids: vec!["5".to_string()],
        })
        .expect("unstarred");
    assert!(!lock(&server.state).entries[4].starred);
    // An entry the server does not have is refused with its words.
    let sent = service
        .send(&Change {
            flag: Flag::Starred,
            on: true,
            ids: vec!["99999".to_string()],
        })
        .expect("refused");
    assert_eq!(
        sent.refused,
        vec![("99999".to_string(), "Resource not found".to_string())]
    );
}

#[test]
fn a_wrong_password_is_named_and_never_shown() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 10);
    let mut service = account(&server, USER, "hunter2");
    let err = service.feeds().expect_err("wrong password");
    assert_eq!(
        err,
        SyncError::Login {
            url: server.http.url("/v1/feeds"),
            detail: "Access Unauthorized".to_string()
        }
    );
    let shown = format!("{err} {err:?} {service:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert_eq!(server.http.requests().len(), 1, "one try, no retry");
}

#[test]
fn a_refusal_carries_the_servers_words_and_subscribing_uses_the_first_category() {
    let server = MinifluxServer::start(USER, PASSWORD, 1, 0);
    let mut service = account(&server, USER, PASSWORD);
    let feed = service
        .subscribe("http://127.0.0.1:9/new.xml")
        .expect("subscribed");
    assert_eq!(feed.id, "2");
    assert_eq!(feed.url, "http://127.0.0.1:9/new.xml");
    assert_eq!(feed.categories, vec!["All".to_string()]);
    let post = server
        .http
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("POST /v1/feeds");
    let body: serde_json::Value = serde_json::from_slice(&post.body).expect("JSON");
    assert_eq!(
        body,
        json!({ "feed_url": "http://127.0.0.1:9/new.xml", "category_id": 7 })
    );
    let err = service
        .subscribe("http://127.0.0.1:9/new.xml")
        .expect_err("there already");
    assert!(
        matches!(&err, SyncError::Refused { status: 400, detail, .. } if detail == "This feed already exists"),
        "{err:?}"
    );
}

#[test]
fn an_entry_gone_from_the_server_is_skipped_and_named() {
    let server = MinifluxServer::start(USER, PASSWORD, 1, 8);
    let mut service = account(&server, USER, PASSWORD);
    // Ids far apart: one request each.
    let items = service
        .items_by_id(&["2".to_string(), "5000".to_string()])
        .expect("by id");
    assert_eq!(server.http.count("/v1/entries/2"), 1);
    assert_eq!(server.http.count("/v1/entries/5000"), 1);
    assert_eq!(items.len(), 1);
    // Entry 7 is removed in Miniflux: not given, but named.
    let removed = service.items_by_id(&["7".to_string()]);
    assert_eq!(removed, Ok(Vec::new()));
    assert_eq!(items[0].id, "2");
    let skipped = service.take_skipped();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!(skipped[0].0, "5000");
    assert!(skipped[0].1.contains("Resource not found"), "{skipped:?}");
    assert_eq!(skipped[1].0, "7");
    assert!(skipped[1].1.contains("removed"), "{skipped:?}");
}

#[test]
fn entries_asked_for_close_together_are_read_in_pages_not_one_by_one() {
    let server = MinifluxServer::start(USER, PASSWORD, 2, 2000);
    let mut service = account(&server, USER, PASSWORD);
    // 500 ids between 1,001 and 1,600 (removed ones among them).
    let wanted: Vec<String> = (1001..=1600)
        .step_by(1)
        .filter(|n| n % 6 != 0)
        .map(|n: i64| n.to_string())
        .collect();
    let items = service.items_by_id(&wanted).expect("by id");
    let visible: HashSet<String> = visible_ids(&server, |_| true).into_iter().collect();
    let expected: Vec<&String> = wanted.iter().filter(|id| visible.contains(*id)).collect();
    assert_eq!(items.iter().map(|i| &i.id).collect::<Vec<_>>(), expected);
    assert_eq!(server.http.requests().len(), 1, "one page of the range");
    let first = &server.http.requests()[0];
    assert_eq!(first.param("after_entry_id"), Some("1000"));
    assert_eq!(first.param("before_entry_id"), Some("1601"));
    // The removed ones are named.
    let skipped = service.take_skipped();
    assert_eq!(skipped.len(), wanted.len() - expected.len(), "{skipped:?}");
}

#[test]
fn retry_after_comes_back_with_the_status() {
    let server = MinifluxServer::start(USER, PASSWORD, 1, 5);
    let mut service = account(&server, USER, PASSWORD);
    server.http.fail_next(
        "/v1/entries",
        Answer::json(429, &json!({ "error_message": "slow down" }))
            .with_header("Retry-After", "120"),
    );
    let err = service.unread_ids().expect_err("429");
    assert!(
        matches!(
            err,
            SyncError::Status {
                status: 429,
                retry_after: Some(120),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("120 s"), "{err}");
}

#[test]
fn malformed_and_truncated_answers_are_named() {
    let server = MinifluxServer::start(USER, PASSWORD, 1, 5);
    let mut service = account(&server, USER, PASSWORD);
    server.http.fail_next(
        "/v1/entries",
        Answer::raw_json(200, br#"{"total": 5, "entries": [{"id": 1, "#),
    );
    let err = service
        .items(&Cursor::default(), 10)
        .expect_err("truncated");
    assert!(matches!(err, SyncError::Malformed { .. }), "{err:?}");
    assert!(err.to_string().contains("/v1/entries"), "{err}");
    server
        .http
        .fail_next("/v1/feeds", Answer::raw_json(200, br#"{"feeds": []}"#));
    let err = service.feeds().expect_err("an object, not a list");
    assert!(matches!(err, SyncError::Malformed { .. }), "{err:?}");
    assert_eq!(service.feeds().expect("feeds").len(), 1);
}

#[test]
fn an_entry_with_a_wrong_typed_field_is_skipped_named_and_passed() {
    let server = MinifluxServer::start(USER, PASSWORD, 1, 4);
    lock(&server.state).raw_entries = vec![json!({
        "id": 5, "feed_id": 1, "status": "unread", "title": ["not", "text"], "starred": false,
    })];
    let mut service = account(&server, USER, PASSWORD);
    let page = service.items(&Cursor::default(), 100).expect("entries");
    assert_eq!(page.items.len(), 4, "the good entries are kept");
    assert_eq!(
        page.next,
        Cursor("5".to_string()),
        "the cursor moves past it"
    );
    let skipped = service.take_skipped();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].0, "5");
    assert!(skipped[0].1.contains("invalid type"), "{skipped:?}");
}

/// Ten thousand entries read from the test server: the requests it takes
/// (the time is printed, never asserted: `--nocapture` to see it).
#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn ten_thousand_entries_take_few_requests() {
    let server = MinifluxServer::start(USER, PASSWORD, 20, 11_666);
    let mut service = account(&server, USER, PASSWORD);
    let started = Instant::now();
    let (ids, cursor) = read_all(&mut service, Cursor::default(), 1000);
    let elapsed = started.elapsed();
    assert_eq!(ids.len(), 10_000, "11,666 less the 1,666 removed");
    let requests = server.http.requests().len();
    println!("miniflux: 10,000 entries in {elapsed:?}, {requests} requests");
    // Ten full pages, and an empty one that says there is no more.
    assert_eq!(requests, 11);
    // And a sync with nothing new: one request, no items.
    server.http.clear_log();
    let started = Instant::now();
    let page = service.items(&cursor, 1000).expect("nothing new");
    let elapsed = started.elapsed();
    assert!(page.items.is_empty() && !page.more);
    assert_eq!(server.http.requests().len(), 1);
    println!("miniflux: nothing new in {elapsed:?}, 1 request");
}
