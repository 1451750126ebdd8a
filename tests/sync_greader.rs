//! The Google Reader protocol against a test server written from the
//! protocol's documentation and FreshRSS's implementation
//! (tests/common/greader_server.rs): each call, paging by continuation,
//! both id forms, batched edits, an expired login renewed once, a wrong
//! password, broken answers and Retry-After.

#[path = "common/api_server.rs"]
mod api_server;
#[path = "common/greader_server.rs"]
mod greader_server;
#[path = "common/sync_calls.rs"]
mod sync_calls;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use broadsheet::sync::greader::GoogleReader;
use broadsheet::sync::greader::ids;
use broadsheet::sync::http::Client;
use broadsheet::sync::service::{Change, Credentials, Cursor, Flag, Secret, Service, SyncError};
use serde_json::json;
use sync_calls::{login, read_all};

use api_server::{Answer, lock};
use greader_server::GReaderServer;

const USER: &str = "ann";
const PASSWORD: &str = "correct horse";

fn account(server: &GReaderServer, password: &str) -> GoogleReader {
    let (credentials, client) = login(server.root(), USER, password);
    GoogleReader::new(credentials, client)
}

#[test]
fn logs_in_once_and_lists_feeds_with_their_labels() {
    let server = GReaderServer::start(USER, PASSWORD, 3, 0);
    let mut service = account(&server, PASSWORD);
    let feeds = service.feeds().expect("feeds");
    assert_eq!(feeds.len(), 3);
    assert_eq!(feeds[0].id, "feed/1");
    assert_eq!(feeds[0].url, "http://127.0.0.1:9/feed1.xml");
    assert_eq!(feeds[0].categories, vec!["News".to_string()]);
    assert_eq!(feeds[1].categories, vec!["Tech".to_string()]);
    service.feeds().expect("feeds again");
    assert_eq!(server.http.count("/accounts/ClientLogin"), 1);
    // Labels came named, so tag/list was not asked.
    assert_eq!(server.http.count("/tag/list"), 0);
    let requests = server.http.requests();
    let list = requests
        .iter()
        .find(|r| r.path.ends_with("/subscription/list"))
        .expect("subscription/list asked");
    assert_eq!(list.param("output"), Some("json"));
    assert_eq!(list.header("authorization"), Some("GoogleLogin auth=ann/1"));
    let login = &requests[0];
    assert_eq!(login.method, "POST");
    assert_eq!(login.form_values("Email"), vec![USER.to_string()]);
}

#[test]
fn labels_without_names_are_named_by_tag_list() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 0);
    lock(&server.state).labels_without_names = true;
    let mut service = account(&server, PASSWORD);
    let feeds = service.feeds().expect("feeds");
    assert_eq!(feeds[1].categories, vec!["Tech".to_string()]);
    assert_eq!(server.http.count("/tag/list"), 1);
}

#[test]
fn the_reading_list_comes_in_pages_then_only_what_is_new() {
    // 100 items in pages of 50: FreshRSS ends with an empty page.
    let server = GReaderServer::start(USER, PASSWORD, 2, 100);
    let mut service = account(&server, PASSWORD);
    let (ids, cursor) = read_all(&mut service, Cursor::default(), 50);
    let expected: Vec<String> = lock(&server.state)
        .items
        .iter()
        .map(|item| item.number.to_string())
        .collect();
    assert_eq!(ids, expected, "every item once, oldest first");
    // Three pages of ids (50, 50, 0) and one content request for each
    // page that has items.
    assert_eq!(server.http.count("/stream/items/ids"), 3);
    assert_eq!(server.http.count("/stream/items/contents"), 2);

    // Nothing new: one small request, no contents.
    server.http.clear_log();
    let page = service.items(&cursor, 50).expect("nothing new");
    assert!(page.items.is_empty() && !page.more, "{page:?}");
    assert_eq!(server.http.requests().len(), 1);

    // Something new: only it.
    let new = server.add_item(5);
    let page = service.items(&page.next, 50).expect("the new item");
    let got: Vec<String> = page.items.iter().map(|item| item.id.clone()).collect();
    assert_eq!(got, vec![new.to_string()]);
    let ids_request = server
        .http
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/stream/items/ids"))
        .expect("ids asked");
    assert_eq!(ids_request.param("r"), Some("o"));
    assert!(ids_request.param("ot").is_some(), "incremental with ot");
}

#[test]
fn items_carry_their_state_and_fields() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 10);
    let mut service = account(&server, PASSWORD);
    let page = service.items(&Cursor::default(), 100).expect("items");
    assert_eq!(page.items.len(), 10);
    let first = &page.items[0];
    assert!(first.read && first.starred, "item 0 is read and starred");
    assert!(!page.items[1].read && !page.items[1].starred);
    assert_eq!(first.feed_id, "feed/1");
    assert_eq!(first.title, "Item 0");
    assert_eq!(first.author.as_deref(), Some("Ann"));
    assert_eq!(first.published, Some(1_700_000_000));
    assert!(first.html.contains("Body of Item 0"));
    assert!(
        first
            .url
            .as_deref()
            .is_some_and(|u| u.starts_with("http://127.0.0.1:9/"))
    );
}

#[test]
fn unread_and_starred_ids_follow_continuations() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 2500);
    let mut service = account(&server, PASSWORD);
    let unread = service.unread_ids().expect("unread");
    let starred = service.starred_ids().expect("starred");
    let state = lock(&server.state);
    let want_unread: Vec<String> = state
        .items
        .iter()
        .rev()
        .filter(|item| !item.read)
        .map(|item| item.number.to_string())
        .collect();
    let want_starred: HashSet<String> = state
        .items
        .iter()
        .filter(|item| item.starred)
        .map(|item| item.number.to_string())
        .collect();
    drop(state);
    assert_eq!(unread, want_unread);
    assert_eq!(
        starred.iter().cloned().collect::<HashSet<_>>(),
        want_starred
    );
    // 1,667 unread in pages of 1,000, 500 starred in one.
    assert_eq!(server.http.count("/stream/items/ids"), 3);
    let requests = server.http.requests();
    let unread_request = requests
        .iter()
        .find(|r| r.path.ends_with("/stream/items/ids"))
        .expect("ids asked");
    assert_eq!(
        unread_request.param("xt"),
        Some("user/-/state/com.google/read")
    );
}

#[test]
fn both_id_forms_name_the_same_item_and_long_ones_are_sent() {
    let server = GReaderServer::start(USER, PASSWORD, 1, 3);
    let number = lock(&server.state).items[1].number;
    let long = format!("tag:google.com,2005:reader/item/{number:016x}");
    let short = number.to_string();
    assert_eq!(ids::canonical(&long), Some(short.clone()));
    let mut service = account(&server, PASSWORD);
    let by_long = service
        .items_by_id(std::slice::from_ref(&long))
        .expect("by long id");
    let by_short = service
        .items_by_id(std::slice::from_ref(&short))
        .expect("by short id");
    assert_eq!(by_long, by_short);
    assert_eq!(by_long[0].id, short, "the canonical form is the short one");
    for request in server.http.requests() {
        if request.path.ends_with("/stream/items/contents") {
            assert_eq!(request.form_values("i"), vec![long.clone()]);
        }
    }
    // Text in neither form is skipped and named, the rest fetched.
    let got = service
        .items_by_id(&["not-an-id".to_string(), short.clone()])
        .expect("by id");
    assert_eq!(got.len(), 1);
    let skipped = service.take_skipped();
    assert!(
        skipped.iter().any(|(id, _)| id == "not-an-id"),
        "{skipped:?}"
    );
}

#[test]
fn a_thousand_read_marks_go_in_four_requests() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 1500);
    let mut service = account(&server, PASSWORD);
    let ids: Vec<String> = lock(&server.state)
        .items
        .iter()
        .take(1000)
        .map(|item| item.number.to_string())
        .collect();
    let sent = service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: ids.clone(),
        })
        .expect("sent");
    assert_eq!(sent.accepted, ids);
    assert!(sent.refused.is_empty());
    assert_eq!(server.http.count("/edit-tag"), 4);
    assert!(
        lock(&server.state).items[..1000]
            .iter()
            .all(|item| item.read)
    );
    let edit = server
        .http
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/edit-tag"))
        .expect("edit-tag");
    assert_eq!(
        edit.form_values("a"),
        vec!["user/-/state/com.google/read".to_string()]
    );
    assert_eq!(edit.form_values("i").len(), 250);
    assert_eq!(
        edit.form_values("T"),
        vec!["T1".to_string()],
        "the write token"
    );

    // And back: unread, then starred on and off.
    let one = vec![ids[1].clone()];
    service
        .send(&Change {
            flag: Flag::Read,
            on: false,
            ids: one.clone(),
        })
        .expect("unread");
    assert!(!lock(&server.state).items[1].read);
    service
        .send(&Change {
            flag: Flag::Starred,
            on: true,
            ids: one.clone(),
        })
        .expect("star");
    assert!(lock(&server.state).items[1].starred);
    service
        .send(&Change {
            flag: Flag::Starred,
            on: false,
            ids: one,
        })
        .expect("unstar");
    assert!(!lock(&server.state).items[1].starred);
    let sent = service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: vec!["x1".to_string()],
        })
        .expect("refused id");
    assert_eq!(sent.refused.len(), 1, "{sent:?}");
}

#[test]
fn an_expired_login_is_renewed_once() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 10);
    let mut service = account(&server, PASSWORD);
    service.feeds().expect("feeds");
    server.expire();
    service.feeds().expect("feeds after the login expired");
    assert_eq!(server.http.count("/accounts/ClientLogin"), 2);

    // A stale write token (X-Reader-Google-Bad-Token) is renewed as well.
    let id = lock(&server.state).items[1].number.to_string();
    service
        .send(&Change {
            flag: Flag::Read,
            on: false,
            ids: vec![id.clone()],
        })
        .expect("sent with the first token");
    assert_eq!(server.http.count("/token"), 1);
    server.expire_token();
    service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: vec![id],
        })
        .expect("sent after renewing the token");
    assert!(lock(&server.state).items[1].read);
    assert_eq!(server.http.count("/accounts/ClientLogin"), 3);
}

#[test]
fn a_login_that_expires_before_the_first_write_is_renewed() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 10);
    let mut service = account(&server, PASSWORD);
    service.feeds().expect("feeds");
    server.expire();
    let id = lock(&server.state).items[1].number.to_string();
    service
        .send(&Change {
            flag: Flag::Read,
            on: true,
            ids: vec![id],
        })
        .expect("sent after logging in anew");
    assert!(lock(&server.state).items[1].read);
    assert_eq!(server.http.count("/accounts/ClientLogin"), 2);
}

#[test]
fn a_login_refused_again_after_renewal_fails_named_without_a_storm() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 10);
    lock(&server.state).refuse_every_auth = true;
    let mut service = account(&server, PASSWORD);
    let err = service.feeds().expect_err("refused");
    assert!(matches!(err, SyncError::Login { .. }), "{err:?}");
    assert_eq!(server.http.count("/accounts/ClientLogin"), 2);
    assert_eq!(server.http.count("/subscription/list"), 2);
    assert!(err.to_string().contains("again"), "{err}");
}

#[test]
fn a_wrong_password_is_named_and_never_shown() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 10);
    let mut service = account(&server, "hunter2");
    let err = service.feeds().expect_err("wrong password");
    assert!(matches!(err, SyncError::Login { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("ClientLogin") && message.contains("refused"),
        "{message}"
    );
    assert!(!message.contains("hunter2") && !format!("{err:?}{service:?}").contains("hunter2"));
    assert_eq!(server.http.requests().len(), 1, "one try, no retry");
}

#[test]
fn malformed_and_truncated_answers_are_named() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 10);
    let mut service = account(&server, PASSWORD);
    server.http.fail_next(
        "/subscription/list",
        Answer::raw_json(200, br#"{"subscriptions": [{"id": "feed/1", "ti"#),
    );
    let err = service.feeds().expect_err("truncated");
    assert!(matches!(err, SyncError::Malformed { .. }), "{err:?}");
    assert!(err.to_string().contains("/subscription/list"), "{err}");
    server.http.fail_next(
        "/stream/items/ids",
        Answer::raw_json(200, b"<html>proxy</html>"),
    );
    let err = service.unread_ids().expect_err("not JSON");
    assert!(matches!(err, SyncError::Malformed { .. }), "{err:?}");
    // And the next call works.
    assert_eq!(service.feeds().expect("feeds").len(), 2);
}

#[test]
fn an_item_with_a_wrong_typed_field_is_skipped_and_named() {
    let server = GReaderServer::start(USER, PASSWORD, 1, 3);
    lock(&server.state).raw_items = vec![json!({
        "id": "tag:google.com,2005:reader/item/00000000000000ff",
        "title": 42,
        "origin": { "streamId": "feed/1" },
    })];
    let mut service = account(&server, PASSWORD);
    let page = service.items(&Cursor::default(), 100).expect("items");
    assert_eq!(page.items.len(), 3, "the good items are kept");
    let skipped = service.take_skipped();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].0.contains("00000000000000ff"), "{skipped:?}");
    assert!(skipped[0].1.contains("invalid type"), "{skipped:?}");
    assert!(service.take_skipped().is_empty(), "named once");

    // An item whose id holds an escape sequence: named without it.
    lock(&server.state).raw_items = vec![json!({
        "id": "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[31m",
        "published": "not a number",
        "origin": { "streamId": "feed/1" },
    })];
    service.items(&Cursor::default(), 100).expect("items");
    let skipped = service.take_skipped();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0].0.contains("ZXZpbA=="),
        "the id is named: {skipped:?}"
    );
    let shown = format!("{} {}", skipped[0].0, skipped[0].1);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{skipped:?}"
    );
}

#[test]
fn retry_after_and_other_statuses_come_back() {
    let server = GReaderServer::start(USER, PASSWORD, 1, 3);
    let mut service = account(&server, PASSWORD);
    server.http.fail_next(
        "/subscription/list",
        Answer::text(429, "slow down").with_header("Retry-After", "30"),
    );
    let err = service.feeds().expect_err("429");
    assert_eq!(
        err,
        SyncError::Status {
            url: format!(
                "{}/reader/api/0/subscription/list?output=json",
                server.root()
            ),
            status: 429,
            retry_after: Some(30),
        }
    );
    // A wrong root: FreshRSS's 404 for an unknown path, named.
    let mut wrong = GoogleReader::new(
        Credentials {
            url: server.http.url("/wrong"),
            user: USER.to_string(),
            password: Secret::new(PASSWORD.to_string()),
        },
        Client::new(Duration::from_secs(20)),
    );
    let err = wrong.feeds().expect_err("404");
    assert!(
        matches!(err, SyncError::Status { status: 404, .. }),
        "{err:?}"
    );
}

#[test]
fn subscribing_adds_the_feed_and_a_refusal_is_named() {
    let server = GReaderServer::start(USER, PASSWORD, 1, 0);
    let mut service = account(&server, PASSWORD);
    let feed = service
        .subscribe("http://127.0.0.1:9/new.xml")
        .expect("subscribed");
    assert_eq!(feed.id, "feed/2");
    assert!(
        service
            .feeds()
            .expect("feeds")
            .iter()
            .any(|f| f.url == "http://127.0.0.1:9/new.xml")
    );
    let err = service
        .subscribe("http://127.0.0.1:9/new.xml")
        .expect_err("already there");
    assert!(matches!(err, SyncError::Refused { .. }), "{err:?}");
    assert!(
        err.to_string().contains("Feed already in database"),
        "{err}"
    );
}

/// Ten thousand items read from the test server: the requests it takes
/// (the time is printed, never asserted: `--nocapture` to see it).
#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn ten_thousand_items_take_few_requests() {
    let server = GReaderServer::start(USER, PASSWORD, 20, 10_000);
    let mut service = account(&server, PASSWORD);
    let started = Instant::now();
    let (ids, cursor) = read_all(&mut service, Cursor::default(), 1000);
    let elapsed = started.elapsed();
    assert_eq!(ids.len(), 10_000);
    let requests = server.http.requests().len();
    println!("greader: 10,000 items in {elapsed:?}, {requests} requests");
    // Login, token, then per 1,000 items one ids page and four contents
    // batches; and FreshRSS's last, empty ids page.
    assert_eq!(requests, 2 + 10 * 5 + 1);
    // And a sync with nothing new: one request, no items.
    server.http.clear_log();
    let started = Instant::now();
    let page = service.items(&cursor, 1000).expect("nothing new");
    let elapsed = started.elapsed();
    assert!(page.items.is_empty() && !page.more);
    assert_eq!(server.http.requests().len(), 1);
    println!("greader: nothing new in {elapsed:?}, 1 request");
}
