//! A Google Reader API server for tests, modelled on FreshRSS's
//! `p/api/greader.php` (the calls, their parameters and answers, its 401
//! with `Google-Bad-Token: true`) and on Google's own notes (the
//! `X-Reader-Google-Bad-Token` header, item ids in two forms, signed short
//! ids). Its state (feeds, items, read and starred) changes when written.
//! `stream/items/ids` gives at most the documented maximum of ids an answer
//! (Google's and The Old Reader's 10,000, refusing more with a 400, so a
//! client asking for more fails its tests); a test may set Inoreader's
//! 1,000 and how a server treats a request above it ([`OverCap`]).
//!
//! The API's root is `<server>/api/greader.php`, as on FreshRSS.

#![allow(dead_code)]

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::api_server::{Answer, ApiServer, Request, lock};

/// The path every call starts with.
pub const ROOT: &str = "/api/greader.php";
/// The long form's prefix.
const LONG: &str = "tag:google.com,2005:reader/item/";

/// One subscription.
#[derive(Debug, Clone)]
pub struct GFeed {
    /// `feed/N`.
    pub id: String,
    /// Title.
    pub title: String,
    /// The feed's address.
    pub url: String,
    /// Its label, if any.
    pub label: Option<String>,
}

/// One item.
#[derive(Debug, Clone)]
pub struct GItem {
    /// The 64-bit number (FreshRSS: microseconds of the first sight).
    pub number: u64,
    /// `feed/N`.
    pub feed: String,
    /// Title.
    pub title: String,
    /// When first seen, milliseconds.
    pub crawl_ms: i64,
    /// Read.
    pub read: bool,
    /// Starred.
    pub starred: bool,
}

/// The account and the faults to play.
#[derive(Debug, Default)]
pub struct GState {
    /// The user name (Email).
    pub user: String,
    /// The password (Passwd).
    pub password: String,
    /// The Auth value now good (changes at each login).
    pub auth: String,
    /// The write token now good.
    pub token: String,
    /// Logins so far.
    pub logins: u64,
    /// Subscriptions.
    pub feeds: Vec<GFeed>,
    /// Items, oldest first.
    pub items: Vec<GItem>,
    /// Whether subscription categories leave out their `label` (older
    /// servers), so clients must ask `tag/list`.
    pub labels_without_names: bool,
    /// Items served by `stream/items/contents` as given (wrong types).
    pub raw_items: Vec<Value>,
    /// Whether every Auth is refused after login (a broken account).
    pub refuse_every_auth: bool,
    /// The most ids one `stream/items/ids` answer gives: 10,000 by
    /// default, the maximum of Google's own reference (ApiStreamItemsIds)
    /// and of The Old Reader's API notes; Inoreader documents 1,000.
    pub id_cap: usize,
    /// What the server does when `n` is above [`GState::id_cap`].
    pub over_cap: OverCap,
}

/// What a server does with a `stream/items/ids` request for more ids than
/// it gives in one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OverCap {
    /// Refuses it with FreshRSS's 400: a client asking for more than the
    /// documented maximum fails its tests.
    #[default]
    Refuse,
    /// Gives at most the cap, and a continuation when more ids follow (how
    /// Inoreader documents its 1,000).
    Clamp,
    /// Gives at most the cap and, comparing with the `n` asked as
    /// FreshRSS's rule does, no continuation: the rest is never said.
    ClampSilently,
}

/// The running server and its state.
pub struct GReaderServer {
    /// The HTTP server (requests, faults).
    pub http: ApiServer,
    /// The state, to seed and to check.
    pub state: Arc<Mutex<GState>>,
}

impl GReaderServer {
    /// A server for `user` with `password`, `feeds` feeds and `items`
    /// items spread over them, one a second, every third read and every
    /// fifth starred.
    pub fn start(user: &str, password: &str, feeds: usize, items: usize) -> GReaderServer {
        let mut state = GState {
            user: user.to_string(),
            password: password.to_string(),
            token: "T0".to_string(),
            id_cap: 10_000,
            ..GState::default()
        };
        for n in 1..=feeds.max(1) {
            state.feeds.push(GFeed {
                id: format!("feed/{n}"),
                title: format!("Feed {n}"),
                url: format!("http://127.0.0.1:9/feed{n}.xml"),
                label: Some(if n % 2 == 0 { "Tech" } else { "News" }.to_string()),
            });
        }
        for n in 0..items {
            state.items.push(item(n as u64, feeds.max(1)));
        }
        let state = Arc::new(Mutex::new(state));
        let handled = Arc::clone(&state);
        let http = ApiServer::start(move |request| handle(&mut lock(&handled), request));
        GReaderServer { http, state }
    }

    /// The API root to configure.
    pub fn root(&self) -> String {
        self.http.url(ROOT)
    }

    /// Makes the current login and token stale, as when they expire.
    pub fn expire(&self) {
        let mut state = lock(&self.state);
        state.auth = "expired".to_string();
        state.token = "expired".to_string();
    }

    /// Gives at most `cap` ids a `stream/items/ids` answer, doing `over`
    /// with a request for more.
    pub fn cap_ids(&self, cap: usize, over: OverCap) {
        let mut state = lock(&self.state);
        state.id_cap = cap;
        state.over_cap = over;
    }

    /// Sets an item's read and starred state as another client would
    /// (through the server, not through broadsheet).
    pub fn set_state(&self, number: u64, read: bool, starred: bool) {
        let mut state = lock(&self.state);
        if let Some(item) = state.items.iter_mut().find(|item| item.number == number) {
            item.read = read;
            item.starred = starred;
        }
    }

    /// The numbers of the items read, and of those starred, on the server.
    pub fn marks(&self) -> (Vec<u64>, Vec<u64>) {
        let state = lock(&self.state);
        let numbers = |flag: fn(&GItem) -> bool| {
            state
                .items
                .iter()
                .filter(|item| flag(item))
                .map(|item| item.number)
                .collect()
        };
        (numbers(|item| item.read), numbers(|item| item.starred))
    }

    /// Makes the write token alone stale.
    pub fn expire_token(&self) {
        lock(&self.state).token = "expired".to_string();
    }

    /// Adds an item seen `secs` seconds after the last one; its number.
    pub fn add_item(&self, secs: i64) -> u64 {
        let mut state = lock(&self.state);
        let last = state.items.last().cloned();
        let number = last.as_ref().map_or(1, |item| item.number + 1);
        let crawl_ms = last.map_or(1_700_000_000_000, |item| item.crawl_ms + secs * 1000);
        state.items.push(GItem {
            number,
            feed: "feed/1".to_string(),
            title: format!("Item {number}"),
            crawl_ms,
            read: false,
            starred: false,
        });
        number
    }
}

/// The seeded item `n`.
fn item(n: u64, feeds: usize) -> GItem {
    GItem {
        // Large numbers, so their hex form has all 16 digits in use.
        number: 0x1000_0000_0000_0000 + n,
        feed: format!("feed/{}", n as usize % feeds + 1),
        title: format!("Item {n}"),
        crawl_ms: 1_700_000_000_000 + n as i64 * 1000,
        read: n.is_multiple_of(3),
        starred: n.is_multiple_of(5),
    }
}

/// FreshRSS's 401.
fn unauthorized() -> Answer {
    Answer::text(401, "Unauthorized!").with_header("Google-Bad-Token", "true")
}

/// FreshRSS's 400.
fn bad_request() -> Answer {
    Answer::text(400, "Bad Request!")
}

/// An id of either form as the item's number (FreshRSS's hex2dec).
fn number(id: &str) -> Option<u64> {
    match id.strip_prefix(LONG) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => id
            .parse::<u64>()
            .ok()
            .or_else(|| id.parse::<i64>().ok().map(|n| n as u64)),
    }
}

fn handle(state: &mut GState, request: &Request) -> Answer {
    let Some(path) = request.path.strip_prefix(ROOT) else {
        return Answer::text(404, "Not Found");
    };
    if path == "/accounts/ClientLogin" {
        let form = request.form();
        let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let (Some(email), Some(passwd)) = (field("Email"), field("Passwd")) else {
            return bad_request();
        };
        if email != state.user || passwd != state.password {
            return unauthorized();
        }
        state.logins += 1;
        state.auth = format!("{}/{}", state.user, state.logins);
        state.token = format!("T{}", state.logins);
        let auth = &state.auth;
        return Answer::text(200, &format!("SID={auth}\nLSID=null\nAuth={auth}\n"));
    }
    let Some(call) = path.strip_prefix("/reader/api/0/") else {
        return bad_request();
    };
    let authorized = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("GoogleLogin auth="))
        .is_some_and(|auth| auth == state.auth && !state.refuse_every_auth);
    if !authorized {
        return unauthorized();
    }
    if request.method == "POST" {
        let token = request
            .form_values("T")
            .into_iter()
            .next()
            .unwrap_or_default();
        if token != state.token {
            // A stale write token: Google's notes tell it by the header
            // alone, so the status here is not 401.
            return Answer::text(400, "").with_header("X-Reader-Google-Bad-Token", "true");
        }
    }
    match (request.method.as_str(), call) {
        ("GET", "token") => Answer::text(200, &format!("{}\n", state.token)),
        ("GET", "subscription/list") => subscription_list(state),
        ("GET", "tag/list") => tag_list(state),
        ("GET", "stream/items/ids") => item_ids(state, request),
        ("POST", "stream/items/contents") => contents(state, request),
        ("POST", "edit-tag") => edit_tag(state, request),
        ("POST", "subscription/quickadd") => quickadd(state, request),
        _ => bad_request(),
    }
}

fn subscription_list(state: &GState) -> Answer {
    let subscriptions: Vec<Value> = state
        .feeds
        .iter()
        .map(|feed| {
            let categories: Vec<Value> = feed
                .label
                .iter()
                .map(|label| {
                    if state.labels_without_names {
                        json!({ "id": format!("user/-/label/{label}") })
                    } else {
                        json!({ "id": format!("user/-/label/{label}"), "label": label })
                    }
                })
                .collect();
            json!({
                "id": feed.id,
                "title": feed.title,
                "categories": categories,
                "url": feed.url,
                "htmlUrl": "http://127.0.0.1:9/",
                "iconUrl": "http://127.0.0.1:9/f.png",
            })
        })
        .collect();
    Answer::json(200, &json!({ "subscriptions": subscriptions }))
}

fn tag_list(state: &GState) -> Answer {
    let mut tags = vec![json!({ "id": "user/-/state/com.google/starred" })];
    let mut labels: Vec<&String> = state
        .feeds
        .iter()
        .filter_map(|f| f.label.as_ref())
        .collect();
    labels.sort();
    labels.dedup();
    for label in labels {
        tags.push(json!({ "id": format!("user/-/label/{label}"), "type": "folder" }));
    }
    Answer::json(200, &json!({ "tags": tags }))
}

/// `stream/items/ids` as FreshRSS answers it: `n` (20 by default), `r=o`
/// oldest first, `ot` seconds, `xt` excluded state, `c` the last id of
/// the previous page; a continuation whenever the page is full. An `n`
/// above the cap is refused or clamped as [`GState::over_cap`] says.
fn item_ids(state: &GState, request: &Request) -> Answer {
    let stream = request.param("s").unwrap_or("");
    let starred_only = match stream {
        "user/-/state/com.google/reading-list" => false,
        "user/-/state/com.google/starred" => true,
        _ => return bad_request(),
    };
    let exclude_read = request.param("xt") == Some("user/-/state/com.google/read");
    let asked: usize = request
        .param("n")
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    if asked > state.id_cap && state.over_cap == OverCap::Refuse {
        return bad_request();
    }
    let n = asked.min(state.id_cap);
    let oldest_first = request.param("r") == Some("o");
    let ot: i64 = request
        .param("ot")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let mut list: Vec<&GItem> = state
        .items
        .iter()
        .filter(|item| !starred_only || item.starred)
        .filter(|item| !exclude_read || !item.read)
        .filter(|item| item.crawl_ms / 1000 >= ot)
        .collect();
    if !oldest_first {
        list.reverse();
    }
    if let Some(c) = request.param("c").filter(|c| !c.is_empty()) {
        let Some(after) = c.parse::<u64>().ok() else {
            return bad_request();
        };
        match list.iter().position(|item| item.number == after) {
            Some(at) => list.drain(..=at),
            None => list.drain(..0),
        };
    }
    let more_follow = list.len() > n;
    list.truncate(n);
    let refs: Vec<Value> = list
        .iter()
        .map(|item| json!({ "id": item.number.to_string() }))
        .collect();
    let mut answer = json!({ "itemRefs": refs });
    let continued = match state.over_cap {
        OverCap::Refuse => list.len() >= n,
        OverCap::Clamp => more_follow,
        OverCap::ClampSilently => list.len() >= asked,
    };
    if continued && let Some(last) = list.last() {
        answer["continuation"] = json!(last.number.to_string());
    }
    Answer::json(200, &answer)
}

/// `stream/items/contents`: the items asked for, newest first (FreshRSS's
/// default order), with `raw_items` added as they are.
fn contents(state: &GState, request: &Request) -> Answer {
    let wanted: HashSet<u64> = request
        .form_values("i")
        .iter()
        .filter_map(|id| number(id))
        .collect();
    let mut items: Vec<Value> = state
        .items
        .iter()
        .rev()
        .filter(|item| wanted.contains(&item.number))
        .map(|item| {
            let mut categories = vec![
                "user/-/state/com.google/reading-list".to_string(),
                "user/-/label/News".to_string(),
            ];
            if item.read {
                categories.push("user/-/state/com.google/read".to_string());
            }
            if item.starred {
                categories.push("user/-/state/com.google/starred".to_string());
            }
            json!({
                "id": format!("{LONG}{:016x}", item.number),
                "crawlTimeMsec": item.crawl_ms.to_string(),
                "timestampUsec": (item.crawl_ms * 1000).to_string(),
                "published": item.crawl_ms / 1000,
                "title": item.title,
                "summary": { "content": format!("<p>Body of {}</p>", item.title) },
                "alternate": [{ "href": format!("http://127.0.0.1:9/{}", item.number) }],
                "categories": categories,
                "origin": { "streamId": item.feed, "title": "Feed" },
                "author": "Ann",
            })
        })
        .collect();
    items.extend(state.raw_items.iter().cloned());
    Answer::json(
        200,
        &json!({ "id": "user/-/state/com.google/reading-list", "updated": 1, "items": items }),
    )
}

fn edit_tag(state: &mut GState, request: &Request) -> Answer {
    let ids: HashSet<u64> = request
        .form_values("i")
        .iter()
        .filter_map(|id| number(id))
        .collect();
    let add = request.form_values("a");
    let remove = request.form_values("r");
    for item in state
        .items
        .iter_mut()
        .filter(|item| ids.contains(&item.number))
    {
        for (tags, on) in [(&add, true), (&remove, false)] {
            for tag in tags {
                match tag.as_str() {
                    "user/-/state/com.google/read" => item.read = on,
                    "user/-/state/com.google/starred" => item.starred = on,
                    _ => {}
                }
            }
        }
    }
    Answer::text(200, "OK")
}

/// FreshRSS's quickadd: the feed's number as `streamId`, or an error.
fn quickadd(state: &mut GState, request: &Request) -> Answer {
    let Some(url) = request.form_values("quickadd").into_iter().next() else {
        return bad_request();
    };
    if state.feeds.iter().any(|feed| feed.url == url) {
        return Answer::json(
            200,
            &json!({ "numResults": 0, "error": "Feed already in database" }),
        );
    }
    let n = state.feeds.len() + 1;
    state.feeds.push(GFeed {
        id: format!("feed/{n}"),
        title: format!("Feed {n}"),
        url,
        label: None,
    });
    Answer::json(200, &json!({ "numResults": 1, "streamId": n }))
}
