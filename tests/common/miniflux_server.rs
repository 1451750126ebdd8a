//! A Miniflux `/v1/` server for tests, modelled on Miniflux's API reference
//! (miniflux.app/docs/api.html) and its Go client: HTTP Basic or
//! `X-Auth-Token`, `{"error_message": …}` bodies on 400, 401 and 404, the
//! entries filters (`status` repeated, `starred`, `after_entry_id`,
//! `order`, `direction`, `limit` 100 by default, `offset`, `total` counted
//! before the limit), `PUT /v1/entries`, the bookmark toggle, `POST
//! /v1/feeds` with a category. Its state changes when written.

#![allow(dead_code)]

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{Value, json};

use super::api_server::{Answer, ApiServer, Request, lock};

/// One feed.
#[derive(Debug, Clone)]
pub struct MFeed {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Address.
    pub feed_url: String,
    /// Category id.
    pub category_id: i64,
}

/// One entry.
#[derive(Debug, Clone)]
pub struct MEntry {
    /// Id (grows as entries arrive).
    pub id: i64,
    /// Feed id.
    pub feed_id: i64,
    /// `unread`, `read` or `removed`.
    pub status: String,
    /// Starred (bookmarked).
    pub starred: bool,
    /// Title.
    pub title: String,
    /// When its status or star last changed (Unix seconds), as Miniflux
    /// stamps `changed_at`: `changed_after` filters on it.
    pub changed_at: i64,
}

/// Now, in Unix seconds.
fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The account.
#[derive(Debug, Default)]
pub struct MState {
    /// User name for Basic.
    pub user: String,
    /// Password for Basic.
    pub password: String,
    /// API token for X-Auth-Token.
    pub token: String,
    /// Categories (id, title).
    pub categories: Vec<(i64, String)>,
    /// Feeds.
    pub feeds: Vec<MFeed>,
    /// Entries, by id ascending.
    pub entries: Vec<MEntry>,
    /// Entries served as given, after the others (wrong types).
    pub raw_entries: Vec<Value>,
}

/// The running server and its state.
pub struct MinifluxServer {
    /// The HTTP server (requests, faults).
    pub http: ApiServer,
    /// The state, to seed and check.
    pub state: Arc<Mutex<MState>>,
}

impl MinifluxServer {
    /// A server with `feeds` feeds in two categories and `entries` entries,
    /// every third read, every fifth starred, every seventh removed.
    pub fn start(user: &str, password: &str, feeds: usize, entries: usize) -> MinifluxServer {
        let mut state = MState {
            user: user.to_string(),
            password: password.to_string(),
            token: "api-token-1".to_string(),
            categories: vec![(7, "All".to_string()), (8, "Tech".to_string())],
            ..MState::default()
        };
        let feeds = feeds.max(1);
        for n in 1..=feeds {
            state.feeds.push(MFeed {
                id: n as i64,
                title: format!("Feed {n}"),
                feed_url: format!("http://127.0.0.1:9/feed{n}.xml"),
                category_id: if n % 2 == 0 { 8 } else { 7 },
            });
        }
        for n in 1..=entries {
            state.entries.push(MEntry {
                id: n as i64,
                feed_id: (n % feeds + 1) as i64,
                status: if n.is_multiple_of(7) {
                    "removed"
                } else if n.is_multiple_of(3) {
                    "read"
                } else {
                    "unread"
                }
                .to_string(),
                starred: n.is_multiple_of(5),
                title: format!("Entry {n}"),
                // Changed long before any sync of the tests.
                changed_at: now_secs() - 86_400,
            });
        }
        let state = Arc::new(Mutex::new(state));
        let handled = Arc::clone(&state);
        let http = ApiServer::start(move |request| handle(&mut lock(&handled), request));
        MinifluxServer { http, state }
    }

    /// The root to configure.
    pub fn root(&self) -> String {
        self.http.url("/")
    }

    /// Adds an unread entry; its id.
    pub fn add_entry(&self) -> i64 {
        let mut state = lock(&self.state);
        let id = state.entries.last().map_or(1, |e| e.id + 1);
        state.entries.push(MEntry {
            id,
            feed_id: 1,
            status: "unread".to_string(),
            starred: false,
            title: format!("Entry {id}"),
            changed_at: now_secs(),
        });
        id
    }

    /// Sets entry `id`'s status and star as a person would in Miniflux's
    /// own pages (its `changed_at` stamped).
    pub fn set_state(&self, id: i64, status: &str, starred: bool) {
        let mut state = lock(&self.state);
        if let Some(entry) = state.entries.iter_mut().find(|e| e.id == id) {
            entry.status = status.to_string();
            entry.starred = starred;
            entry.changed_at = now_secs();
        }
    }
}

/// `{"error_message": …}` with `status`.
fn error(status: u16, message: &str) -> Answer {
    Answer::json(status, &json!({ "error_message": message }))
}

fn authorized(state: &MState, request: &Request) -> bool {
    if let Some(token) = request.header("x-auth-token") {
        return token == state.token;
    }
    let Some(basic) = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(basic) else {
        return false;
    };
    String::from_utf8_lossy(&decoded) == format!("{}:{}", state.user, state.password)
}

fn handle(state: &mut MState, request: &Request) -> Answer {
    if !authorized(state, request) {
        return error(401, "Access Unauthorized");
    }
    let Some(path) = request.path.strip_prefix("/v1/") else {
        return error(404, "Route not found");
    };
    let parts: Vec<&str> = path.split('/').collect();
    match (request.method.as_str(), parts.as_slice()) {
        ("GET", ["feeds"]) => {
            let feeds: Vec<Value> = state.feeds.iter().map(|f| feed_json(state, f)).collect();
            Answer::json(200, &Value::Array(feeds))
        }
        ("GET", ["feeds", id]) => match state.feeds.iter().find(|f| f.id.to_string() == *id) {
            Some(feed) => Answer::json(200, &feed_json(state, feed)),
            None => error(404, "Resource not found"),
        },
        ("GET", ["categories"]) => Answer::json(
            200,
            &Value::Array(
                state
                    .categories
                    .iter()
                    .map(|(id, title)| json!({ "id": id, "title": title, "user_id": 1 }))
                    .collect(),
            ),
        ),
        ("GET", ["entries"]) => entries(state, request),
        ("GET", ["entries", id]) => match state.entries.iter().find(|e| e.id.to_string() == *id) {
            Some(entry) => Answer::json(200, &entry_json(state, entry)),
            None => error(404, "Resource not found"),
        },
        ("PUT", ["entries"]) => update_entries(state, request),
        ("PUT", ["entries", id, "bookmark"]) => {
            match state.entries.iter_mut().find(|e| e.id.to_string() == *id) {
                Some(entry) => {
                    entry.starred = !entry.starred;
                    entry.changed_at = now_secs();
                    Answer::empty(204)
                }
                None => error(404, "Resource not found"),
            }
        }
        ("POST", ["feeds"]) => create_feed(state, request),
        _ => error(404, "Route not found"),
    }
}

fn feed_json(state: &MState, feed: &MFeed) -> Value {
    let title = state
        .categories
        .iter()
        .find(|(id, _)| *id == feed.category_id)
        .map(|(_, title)| title.clone())
        .unwrap_or_default();
    json!({
        "id": feed.id,
        "user_id": 1,
        "title": feed.title,
        "site_url": "http://127.0.0.1:9/",
        "feed_url": feed.feed_url,
        "checked_at": "2026-01-01T00:00:00Z",
        "parsing_error_count": 0,
        "category": { "id": feed.category_id, "title": title, "user_id": 1 },
    })
}

fn entry_json(state: &MState, entry: &MEntry) -> Value {
    let feed = state.feeds.iter().find(|f| f.id == entry.feed_id);
    json!({
        "id": entry.id,
        "user_id": 1,
        "feed_id": entry.feed_id,
        "status": entry.status,
        "hash": format!("h{}", entry.id),
        "title": entry.title,
        "url": format!("http://127.0.0.1:9/e/{}", entry.id),
        "comments_url": "",
        "published_at": "2026-01-02T03:04:05Z",
        "created_at": "2026-01-02T03:04:06Z",
        "changed_at": chrono::DateTime::from_timestamp(entry.changed_at, 0)
            .map(|time| time.to_rfc3339())
            .unwrap_or_default(),
        "content": format!("<p>Body of {}</p>", entry.title),
        "author": "Bo",
        "share_code": "",
        "starred": entry.starred,
        "reading_time": 1,
        "enclosures": null,
        "feed": feed.map(|f| feed_json(state, f)),
    })
}

/// `GET /v1/entries` with the documented filters.
fn entries(state: &MState, request: &Request) -> Answer {
    let statuses = request.params("status");
    if statuses
        .iter()
        .any(|s| !["read", "unread", "removed"].contains(&s.as_str()))
    {
        return error(400, "Invalid entry status");
    }
    let number = |name: &str| -> Result<Option<i64>, Answer> {
        match request.param(name) {
            None => Ok(None),
            Some(text) => text
                .parse::<i64>()
                .map(Some)
                .map_err(|_| error(400, &format!("Invalid {name} parameter"))),
        }
    };
    let changed_after = match number("changed_after") {
        Ok(value) => value,
        Err(answer) => return answer,
    };
    let (after, before, limit, offset) = match (
        number("after_entry_id"),
        number("before_entry_id"),
        number("limit"),
        number("offset"),
    ) {
        (Ok(a), Ok(b), Ok(l), Ok(o)) => (a, b, l.unwrap_or(100), o.unwrap_or(0)),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => return e,
    };
    let starred = request.param("starred").map(|s| s == "true" || s == "1");
    let mut list: Vec<&MEntry> = state
        .entries
        .iter()
        .filter(|e| statuses.is_empty() || statuses.contains(&e.status))
        .filter(|e| starred.is_none_or(|s| e.starred == s))
        .filter(|e| after.is_none_or(|a| e.id > a))
        .filter(|e| changed_after.is_none_or(|t| e.changed_at > t))
        .filter(|e| before.is_none_or(|b| e.id < b))
        .collect();
    if request.param("direction") == Some("desc") {
        list.reverse();
    }
    let total = list.len() + state.raw_entries.len();
    let mut page: Vec<Value> = list
        .into_iter()
        .skip(offset.max(0) as usize)
        .take(limit.max(0) as usize)
        .map(|e| entry_json(state, e))
        .collect();
    page.extend(state.raw_entries.iter().cloned());
    Answer::json(200, &json!({ "total": total, "entries": page }))
}

/// `PUT /v1/entries` `{"entry_ids": […], "status": …}`.
fn update_entries(state: &mut MState, request: &Request) -> Answer {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return error(400, "Invalid JSON payload");
    };
    let Some(ids) = body["entry_ids"].as_array().filter(|ids| !ids.is_empty()) else {
        return error(400, "The list of entries is required");
    };
    let status = body["status"].as_str().unwrap_or("");
    if !["read", "unread", "removed"].contains(&status) {
        return error(400, "Invalid entry status");
    }
    let ids: HashSet<i64> = ids.iter().filter_map(Value::as_i64).collect();
    for entry in state.entries.iter_mut().filter(|e| ids.contains(&e.id)) {
        entry.status = status.to_string();
        entry.changed_at = now_secs();
    }
    Answer::empty(204)
}

/// `POST /v1/feeds` `{"feed_url", "category_id"}`.
fn create_feed(state: &mut MState, request: &Request) -> Answer {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return error(400, "Invalid JSON payload");
    };
    let Some(feed_url) = body["feed_url"].as_str() else {
        return error(400, "The feed URL is required");
    };
    let Some(category_id) = body["category_id"].as_i64() else {
        return error(400, "The category is required");
    };
    if !state.categories.iter().any(|(id, _)| *id == category_id) {
        return error(
            400,
            "This category does not exist or does not belong to this user",
        );
    }
    if state.feeds.iter().any(|f| f.feed_url == feed_url) {
        return error(400, "This feed already exists");
    }
    let id = state.feeds.iter().map(|f| f.id).max().unwrap_or(0) + 1;
    state.feeds.push(MFeed {
        id,
        title: format!("Feed {id}"),
        feed_url: feed_url.to_string(),
        category_id,
    });
    Answer::json(201, &json!({ "feed_id": id }))
}
