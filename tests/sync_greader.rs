//! The Google Reader protocol against a test server written from the
//! protocol's documentation and FreshRSS's implementation
//! (tests/common/greader_server.rs): each call, paging by continuation,
//! both id forms, batched edits, an expired login renewed once, a wrong
//! password, broken answers and Retry-After; the id lists' page size and
//! servers that cap it, refuse it or cut a page silently; and, through the
//! sync engine, marks made on another client reaching the folder.

#[path = "common/api_server.rs"]
mod api_server;
#[path = "common/greader_server.rs"]
mod greader_server;
#[path = "common/sync_calls.rs"]
mod sync_calls;
#[path = "common/sync_setup.rs"]
mod sync_setup;

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

use broadsheet::sync::engine::{self, Setup, Summary};
use broadsheet::sync::greader::GoogleReader;
use broadsheet::sync::greader::ids;
use broadsheet::sync::http::Client;
use broadsheet::sync::service::{Change, Credentials, Cursor, Flag, Secret, Service, SyncError};
use serde_json::json;
use sync_calls::{login, read_all};

use api_server::{Answer, lock};
use greader_server::{GReaderServer, OverCap};

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
    // Inoreader's documented maximum: 1,000 ids an answer, and a
    // continuation while more follow.
    let server = GReaderServer::start(USER, PASSWORD, 2, 2500);
    server.cap_ids(1000, OverCap::Clamp);
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

/// Each `stream/items/ids` request logged, as its `n` and whether it
/// carried a continuation.
fn id_requests(server: &GReaderServer) -> Vec<(String, bool)> {
    server
        .http
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/stream/items/ids"))
        .map(|r| {
            (
                r.param("n").unwrap_or("").to_string(),
                r.param("c").is_some(),
            )
        })
        .collect()
}

/// The canonical ids of the items of `numbers`.
fn texts(numbers: &[u64]) -> BTreeSet<String> {
    numbers.iter().map(u64::to_string).collect()
}

#[test]
fn the_id_lists_of_ten_thousand_items_take_one_request_each() {
    // 6,667 unread and 2,000 starred: one page each at the protocol's
    // documented maximum, which the test server refuses to exceed.
    let server = GReaderServer::start(USER, PASSWORD, 20, 10_000);
    let mut service = account(&server, PASSWORD);
    let unread = service.unread_ids().expect("unread");
    let starred = service.starred_ids().expect("starred");
    let (read, starred_there) = server.marks();
    assert_eq!(unread.len(), 10_000 - read.len());
    assert_eq!(
        starred.iter().cloned().collect::<BTreeSet<_>>(),
        texts(&starred_there)
    );
    assert_eq!(
        id_requests(&server),
        [("10000".to_string(), false), ("10000".to_string(), false)]
    );
}

#[test]
fn a_server_that_refuses_large_pages_is_read_a_thousand_ids_at_a_time() {
    // A server whose maximum is Inoreader's 1,000 and that answers 400 to
    // more: the list is read again at 1,000, and the second list starts
    // there.
    let server = GReaderServer::start(USER, PASSWORD, 2, 2500);
    server.cap_ids(1000, OverCap::Refuse);
    let mut service = account(&server, PASSWORD);
    let unread = service.unread_ids().expect("unread after the refusal");
    let starred = service.starred_ids().expect("starred");
    let (read, starred_there) = server.marks();
    let all: BTreeSet<String> = (0..2500u64)
        .map(|n| (0x1000_0000_0000_0000 + n).to_string())
        .collect();
    let want_unread: BTreeSet<String> = all.difference(&texts(&read)).cloned().collect();
    assert_eq!(unread.iter().cloned().collect::<BTreeSet<_>>(), want_unread);
    assert_eq!(unread.len(), want_unread.len(), "no id twice");
    assert_eq!(
        starred.iter().cloned().collect::<BTreeSet<_>>(),
        texts(&starred_there)
    );
    let asked: Vec<String> = id_requests(&server).into_iter().map(|(n, _)| n).collect();
    assert_eq!(asked, ["10000", "1000", "1000", "1000"], "one refusal only");
}

#[test]
fn a_page_cut_at_a_thousand_without_a_continuation_is_read_again() {
    // A server that gives 1,000 ids at most and, comparing with the `n`
    // asked, never says more follow: taken at its word, the 667 unread
    // ids after the first thousand would look read here.
    let server = GReaderServer::start(USER, PASSWORD, 2, 2500);
    server.cap_ids(1000, OverCap::ClampSilently);
    let mut service = account(&server, PASSWORD);
    let unread = service.unread_ids().expect("unread");
    let (read, _) = server.marks();
    assert_eq!(unread.len(), 2500 - read.len(), "every unread id");
    let asked = id_requests(&server);
    assert_eq!(
        asked,
        [
            ("10000".to_string(), false),
            ("1000".to_string(), false),
            ("1000".to_string(), true),
        ]
    );

    // A list of exactly 1,000 on a server without that cap costs one
    // more request, and is whole.
    let server = GReaderServer::start(USER, PASSWORD, 2, 1500);
    let mut service = account(&server, PASSWORD);
    let unread = service.unread_ids().expect("unread");
    assert_eq!(unread.len(), 1000);
    assert_eq!(id_requests(&server).len(), 3, "{:?}", id_requests(&server));
}

/// A folder the sync engine writes an account of a test server into.
struct Folder {
    _dir: tempfile::TempDir,
    setup: Setup,
}

impl Folder {
    fn new() -> Folder {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().to_path_buf();
        let setup = sync_setup::setup_in(&root, engine::PAGE_SIZE);
        Folder { _dir: dir, setup }
    }

    /// One sync, as one run of `broadsheet sync`: a new login.
    fn sync(&self, server: &GReaderServer) -> Summary {
        let mut service = account(server, PASSWORD);
        match engine::sync(&mut service, &self.setup, &mut |_| {}) {
            Ok(summary) => summary,
            Err(failure) => panic!("the sync failed: {}", failure.message),
        }
    }

    /// The remote id of an article file, from its front matter.
    fn remote_id(&self, file: &str) -> String {
        let text = std::fs::read_to_string(self.setup.articles.join(file)).unwrap_or_default();
        text.split("remote_id = \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{file} names no remote id"))
            .to_string()
    }

    /// The remote ids of the articles read here, and of those bookmarked.
    fn marks(&self) -> (BTreeSet<String>, BTreeSet<String>) {
        let read = self
            .setup
            .stores
            .read
            .load()
            .map(|loaded| loaded.value)
            .unwrap_or_default();
        let bookmarked = self
            .setup
            .stores
            .bookmarks
            .load()
            .map(|loaded| loaded.value.into_iter().map(|b| b.id).collect::<Vec<_>>())
            .unwrap_or_default();
        (
            read.iter().map(|file| self.remote_id(file)).collect(),
            bookmarked.iter().map(|file| self.remote_id(file)).collect(),
        )
    }
}

/// Asserts that the folder's read marks and bookmarks are the server's
/// read and starred state, naming only the items where they differ.
fn assert_marks_agree(folder: &Folder, server: &GReaderServer) {
    let (read_here, starred_here) = folder.marks();
    let (read, starred) = server.marks();
    for (what, here, there) in [
        ("read", read_here, texts(&read)),
        ("starred", starred_here, texts(&starred)),
    ] {
        let only_here: Vec<&String> = here.difference(&there).collect();
        let only_there: Vec<&String> = there.difference(&here).collect();
        assert!(
            only_here.is_empty() && only_there.is_empty(),
            "{what} here only: {only_here:?}; {what} on the server only: {only_there:?}"
        );
    }
}

/// Marks made on another client (the server's state changed directly):
/// item 1 read and item 3 unread, so the unread count stays the same;
/// item 2 starred and item 5 unstarred, so the starred count does too.
fn marks_elsewhere(server: &GReaderServer) {
    let number = |n: u64| 0x1000_0000_0000_0000 + n;
    server.set_state(number(1), true, false);
    server.set_state(number(3), false, false);
    server.set_state(number(2), false, true);
    server.set_state(number(5), false, false);
}

#[test]
fn marks_made_on_another_client_reach_the_folder_at_the_next_sync() {
    let server = GReaderServer::start(USER, PASSWORD, 2, 30);
    let folder = Folder::new();
    let first = folder.sync(&server);
    assert_eq!(first.new, 30);
    assert_marks_agree(&folder, &server);
    let (read, starred) = server.marks();

    marks_elsewhere(&server);
    let (read_after, starred_after) = server.marks();
    assert_eq!(read_after.len(), read.len(), "the counts did not change");
    assert_eq!(starred_after.len(), starred.len());
    let summary = folder.sync(&server);
    assert_eq!((summary.marked_read, summary.marked_unread), (1, 1));
    assert_eq!(summary.starred_here, 2);
    assert_marks_agree(&folder, &server);
}

#[test]
fn marks_made_elsewhere_reach_the_folder_from_a_server_that_cuts_pages() {
    // 1,667 unread ids from a server that gives at most 1,000 an answer
    // without saying more follow.
    let server = GReaderServer::start(USER, PASSWORD, 2, 2500);
    server.cap_ids(1000, OverCap::ClampSilently);
    let folder = Folder::new();
    folder.sync(&server);
    marks_elsewhere(&server);
    // And one past the first thousand unread ids, read elsewhere.
    server.set_state(0x1000_0000_0000_0000 + 2498, true, false);
    folder.sync(&server);
    assert_marks_agree(&folder, &server);
}

/// A sync with nothing new of an account of 10,000 items, through the
/// engine: login, subscriptions, the reading list after `ot`, and the
/// unread and starred ids at one request each.
#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow: cargo test --features slow-tests"
)]
fn a_sync_with_nothing_new_of_ten_thousand_items_takes_five_requests() {
    let server = GReaderServer::start(USER, PASSWORD, 20, 10_000);
    let folder = Folder::new();
    let started = Instant::now();
    assert_eq!(folder.sync(&server).new, 10_000);
    println!("greader: first sync of 10,000 in {:?}", started.elapsed());
    server.http.clear_log();
    let started = Instant::now();
    let summary = folder.sync(&server);
    println!("greader: nothing new in {:?}", started.elapsed());
    assert_eq!(summary.new, 0);
    let asked: Vec<String> = server.http.paths();
    assert!(asked.len() <= 5, "{} requests: {asked:?}", asked.len());

    // A mark made elsewhere is still seen at that cost.
    marks_elsewhere(&server);
    server.http.clear_log();
    let summary = folder.sync(&server);
    assert_eq!((summary.marked_read, summary.marked_unread), (1, 1));
    assert!(server.http.requests().len() <= 5);
    assert_marks_agree(&folder, &server);
}
