//! Miniflux's own API (`/v1/`), written call by call from its API
//! reference (miniflux.app/docs/api.html) and its Go client:
//!
//! - HTTP Basic with the user name and password, or, when the configured
//!   user is empty or `token`, the password is an API token (Settings → API
//!   Keys) sent as `X-Auth-Token`.
//! - `GET /v1/feeds` (each with its category), `GET /v1/categories`.
//! - `GET /v1/entries?after_entry_id=N&order=id&direction=asc&limit=…`:
//!   new entries after the highest id seen (the cursor), read and unread
//!   alike (`status=read&status=unread`, so removed entries stay out).
//! - The unread and starred lists: `status=unread` and `starred=true`,
//!   paged by `after_entry_id` rather than `offset`, so an entry marked
//!   read while the list is read does not shift the pages and hide
//!   another. The API has no call giving ids alone, so these pages carry
//!   the entries whole: they are read at the first sync only. After it,
//!   `changed_after` (Miniflux stamps `changed_at` on a status change and
//!   on a star toggle) gives just the entries changed since the server's
//!   time of the last sync (its `Date`, less a minute of overlap).
//! - `PUT /v1/entries` `{"entry_ids": […], "status": "read"}`, batched.
//! - `PUT /v1/entries/{id}/bookmark` toggles a star: broadsheet reads the
//!   starred list first and toggles only the entries whose state differs,
//!   so "set starred" done twice leaves the entry starred.
//! - `POST /v1/feeds` `{"feed_url", "category_id"}` (the first category).
//! - Errors: 401 (`{"error_message": "Access Unauthorized"}`), 400 and 404
//!   with `{"error_message": …}`, 429 with `Retry-After`.
//!
//! The configured address is Miniflux's root (`https://host/` or
//! `https://host/miniflux/`); calls go to `<root>/v1/…`.

mod wire;

use std::collections::{HashMap, HashSet};

use base64::Engine;
use serde_json::Value;

use self::wire::{Category, Created, Entries, Entry, ErrorBody, Feed};
use super::http::{Body, Client, Method, Reply};
use super::service::{
    Change, Changes, Credentials, Cursor, Flag, ItemPage, ItemState, RemoteFeed, RemoteItem, Sent,
    Service, SyncError, plain, server_words as words,
};

/// The most ids in one `PUT /v1/entries`.
pub const BATCH: usize = 250;

/// Entries per page of the unread and starred lists.
pub const ID_PAGE: usize = 1000;

/// Seconds of the server's clock a changes query reaches back before its
/// mark: a change in the same second as the last answer, or stamped a
/// little late, is read again rather than missed (reading a state again
/// changes nothing).
pub const CHANGES_OVERLAP: i64 = 60;

/// A Miniflux account.
#[derive(Debug)]
pub struct Miniflux {
    credentials: Credentials,
    client: Client,
    /// Entries and feeds left out of answers, each with its reason.
    skipped: Vec<(String, String)>,
}

/// The error for an answer that is not 2xx: a refused login, the server's
/// own `error_message`, or the status (with its Retry-After).
fn failure(reply: &Reply) -> SyncError {
    let message = serde_json::from_slice::<ErrorBody>(&reply.body)
        .ok()
        .map(|body| words(&body.error_message))
        .filter(|message| !message.is_empty());
    match (reply.status, message) {
        (401 | 403, message) => SyncError::Login {
            url: reply.url.clone(),
            detail: message.unwrap_or_else(|| format!("HTTP {}", reply.status)),
        },
        (400 | 404 | 409 | 422, Some(detail)) => SyncError::Refused {
            url: reply.url.clone(),
            status: reply.status,
            detail,
        },
        _ => reply.error(),
    }
}

impl Miniflux {
    /// An account at `credentials.url` (Miniflux's root).
    pub fn new(credentials: Credentials, client: Client) -> Self {
        Miniflux {
            credentials,
            client,
            skipped: Vec::new(),
        }
    }

    /// The address of `/v1/<path>`.
    fn api(&self, path: &str) -> String {
        format!("{}/v1/{path}", self.credentials.url.trim_end_matches('/'))
    }

    /// Whether the password is an API token (the user is empty or `token`).
    fn uses_token(&self) -> bool {
        let user = self.credentials.user.trim();
        user.is_empty() || user == "token"
    }

    /// One call with the credentials; any answer but 2xx is an error.
    fn call(&mut self, method: Method, url: &str, body: Body) -> Result<Reply, SyncError> {
        let password = self.credentials.password.expose();
        let header = if self.uses_token() {
            ("X-Auth-Token", password.to_string())
        } else {
            let pair = format!("{}:{password}", self.credentials.user);
            (
                "Authorization",
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ),
            )
        };
        let reply = self
            .client
            .call(method, url, &[(header.0, header.1.as_str())], body)?;
        if !reply.is_success() {
            return Err(failure(&reply));
        }
        Ok(reply)
    }

    /// One page of `GET /v1/entries?…`: the entries read, the highest id
    /// in the answer (a skipped entry's too, so the cursor moves past it),
    /// how many entries the answer had and the total the server gave.
    fn entries(&mut self, query: &[(&str, String)]) -> Result<EntriesPage, SyncError> {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        let url = format!("{}?{query}", self.api("entries"));
        let reply = self.call(Method::Get, &url, Body::Empty)?;
        let answer: Entries = reply.json()?;
        let mut page = EntriesPage {
            items: Vec::with_capacity(answer.entries.len()),
            last: None,
            count: answer.entries.len(),
            total: answer.total,
            date: reply
                .header("date")
                .and_then(|date| chrono::DateTime::parse_from_rfc2822(date).ok())
                .map(|date| date.timestamp()),
        };
        for value in answer.entries {
            if let Some(id) = value.get("id").and_then(Value::as_i64) {
                page.last = Some(page.last.map_or(id, |last: i64| last.max(id)));
            }
            match self.read_entry(value) {
                Ok(item) => page.items.push(item),
                Err((name, reason)) => self.skipped.push((name, format!("{url}: {reason}"))),
            }
        }
        Ok(page)
    }

    /// One entry, or its name and what is wrong with it.
    fn read_entry(&self, value: Value) -> Result<RemoteItem, (String, String)> {
        let name = value
            .get("id")
            .map(Value::to_string)
            .unwrap_or_else(|| "an entry without an id".to_string());
        serde_json::from_value::<Entry>(value)
            .map_err(|err| err.to_string())
            .and_then(Entry::into_remote)
            .map_err(|reason| (name, reason))
    }

    /// Every entry matching `filter` after entry `start`, paged by id.
    fn all_entries(
        &mut self,
        filter: &[(&str, &str)],
        start: i64,
    ) -> Result<Vec<RemoteItem>, SyncError> {
        let mut items = Vec::new();
        let mut after = start;
        loop {
            let mut query: Vec<(&str, String)> =
                filter.iter().map(|(k, v)| (*k, v.to_string())).collect();
            query.extend([
                ("order", "id".to_string()),
                ("direction", "asc".to_string()),
                ("limit", ID_PAGE.to_string()),
                ("after_entry_id", after.to_string()),
            ]);
            let page = self.entries(&query)?;
            items.extend(page.items);
            if page.count < ID_PAGE {
                return Ok(items);
            }
            match page.last {
                Some(last) if last > after => after = last,
                // A full page that does not move forward would be read
                // forever.
                _ => {
                    return Err(SyncError::Malformed {
                        url: self.api("entries"),
                        detail: format!(
                            "a full page of entries after id {after} did not go past it"
                        ),
                    });
                }
            }
        }
    }

    /// The entries whose state changed after the mark `since` (Unix
    /// seconds of the server's clock, less [`CHANGES_OVERLAP`]), paged by
    /// id, and the server's time of the first page as the next mark. With
    /// `since` empty, only the mark of now (one small page asked for its
    /// `Date`). A server that sends no `Date` gives an empty mark, and the
    /// engine reads the whole lists.
    fn changed(&mut self, since: &str) -> Result<Changes, SyncError> {
        if since.trim().is_empty() {
            let page = self.entries(&[("limit", "1".to_string())])?;
            return Ok(Changes {
                items: Vec::new(),
                next: page.date.map_or_else(String::new, |date| date.to_string()),
            });
        }
        let since: i64 = since.trim().parse().map_err(|_| SyncError::Malformed {
            url: self.api("entries"),
            detail: format!("the stored mark {since:?} is not a time; sync again from the lists"),
        })?;
        let changed_after = (since - CHANGES_OVERLAP).to_string();
        let mut items = Vec::new();
        let mut after = 0;
        let mut next = None;
        loop {
            let page = self.entries(&[
                ("changed_after", changed_after.clone()),
                ("status", "unread".to_string()),
                ("status", "read".to_string()),
                ("order", "id".to_string()),
                ("direction", "asc".to_string()),
                ("limit", ID_PAGE.to_string()),
                ("after_entry_id", after.to_string()),
            ])?;
            next = next.or(page.date);
            items.extend(page.items.into_iter().map(|item| ItemState {
                id: item.id,
                read: item.read,
                starred: item.starred,
            }));
            match page.last {
                Some(last) if page.count >= ID_PAGE && last > after => after = last,
                _ => break,
            }
        }
        Ok(Changes {
            items,
            next: next.map_or_else(String::new, |date| date.to_string()),
        })
    }

    /// The ids of every entry matching `filter`.
    fn all_ids(&mut self, filter: &[(&str, &str)]) -> Result<Vec<String>, SyncError> {
        Ok(self
            .all_entries(filter, 0)?
            .into_iter()
            .map(|item| item.id)
            .collect())
    }
}

/// One page of entries, as [`Miniflux::entries`] reads it.
struct EntriesPage {
    items: Vec<RemoteItem>,
    last: Option<i64>,
    count: usize,
    total: Option<u64>,
    /// The server's time of the answer (its `Date`), in Unix seconds.
    date: Option<i64>,
}

/// The ids that are Miniflux entry ids (whole numbers), and the others
/// refused with their reason.
fn numeric(ids: &[String], sent: &mut Sent) -> Vec<(String, i64)> {
    let mut good = Vec::with_capacity(ids.len());
    for id in ids {
        match id.trim().parse::<i64>() {
            Ok(number) if number > 0 => good.push((id.clone(), number)),
            _ => sent.refused.push((
                id.clone(),
                "not a Miniflux entry id (a whole number)".to_string(),
            )),
        }
    }
    good
}

impl Service for Miniflux {
    fn protocol(&self) -> &'static str {
        "Miniflux"
    }

    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError> {
        let url = self.api("feeds");
        let values: Vec<Value> = self.call(Method::Get, &url, Body::Empty)?.json()?;
        let mut feeds = Vec::with_capacity(values.len());
        for value in values {
            let name = value
                .get("id")
                .map(Value::to_string)
                .unwrap_or_else(|| "a feed without an id".to_string());
            match serde_json::from_value::<Feed>(value) {
                Ok(feed) => feeds.push(feed.into_remote()),
                Err(err) => self.skipped.push((name, format!("{url}: {err}"))),
            }
        }
        Ok(feeds)
    }

    fn items(&mut self, after: &Cursor, limit: usize) -> Result<ItemPage, SyncError> {
        let from = if after.0.trim().is_empty() {
            0
        } else {
            after
                .0
                .trim()
                .parse::<i64>()
                .map_err(|_| SyncError::Malformed {
                    url: self.api("entries"),
                    detail: format!("the stored cursor {:?} is not an entry id", after.0),
                })?
        };
        let limit = limit.max(1);
        let page = self.entries(&[
            ("after_entry_id", from.to_string()),
            ("order", "id".to_string()),
            ("direction", "asc".to_string()),
            ("limit", limit.to_string()),
            ("status", "unread".to_string()),
            ("status", "read".to_string()),
        ])?;
        let last = page.last.unwrap_or(from).max(from);
        let more = page.count > 0
            && last > from
            && (page.count >= limit || page.total.is_some_and(|total| total > page.count as u64));
        Ok(ItemPage {
            items: page.items,
            next: Cursor(last.to_string()),
            more,
        })
    }

    /// The API has no call for several given ids: when the ids lie close
    /// together (the usual case: the newest unread entries), the entries
    /// between the lowest and the highest are read in pages and the ones
    /// asked for kept; else one `GET /v1/entries/{id}` each, whichever
    /// takes fewer requests. An id the server does not have is skipped and
    /// named.
    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError> {
        let mut sent = Sent::default();
        let good = numeric(ids, &mut sent);
        self.skipped.extend(sent.refused);
        let (Some(low), Some(high)) = (
            good.iter().map(|(_, n)| *n).min(),
            good.iter().map(|(_, n)| *n).max(),
        ) else {
            return Ok(Vec::new());
        };
        let pages = (high - low) as u64 / ID_PAGE as u64 + 1;
        if pages < good.len() as u64 {
            let before = (high + 1).to_string();
            let mut found: HashMap<String, RemoteItem> = self
                .all_entries(
                    &[
                        ("before_entry_id", before.as_str()),
                        ("status", "unread"),
                        ("status", "read"),
                    ],
                    low - 1,
                )?
                .into_iter()
                .map(|item| (item.id.clone(), item))
                .collect();
            let mut items = Vec::with_capacity(good.len());
            for (id, number) in good {
                match found.remove(&number.to_string()) {
                    Some(item) => items.push(item),
                    None => self.skipped.push((
                        id,
                        format!("{}: no such entry (removed?)", self.api("entries")),
                    )),
                }
            }
            return Ok(items);
        }
        let mut items = Vec::with_capacity(good.len());
        for (id, number) in good {
            let url = self.api(&format!("entries/{number}"));
            match self.call(Method::Get, &url, Body::Empty) {
                Ok(reply) => {
                    let value: Value = reply.json()?;
                    match self.read_entry(value) {
                        Ok(item) => items.push(item),
                        Err((name, reason)) => {
                            self.skipped.push((name, format!("{url}: {reason}")))
                        }
                    }
                }
                Err(SyncError::Refused {
                    status: 404,
                    detail,
                    ..
                }) => self.skipped.push((id, format!("{url}: {detail}"))),
                Err(err) => return Err(err),
            }
        }
        Ok(items)
    }

    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.all_ids(&[("status", "unread")])
    }

    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.all_ids(&[
            ("starred", "true"),
            ("status", "unread"),
            ("status", "read"),
        ])
    }

    fn send(&mut self, change: &Change) -> Result<Sent, SyncError> {
        let mut sent = Sent::default();
        let good = numeric(&change.ids, &mut sent);
        match change.flag {
            Flag::Read => {
                let url = self.api("entries");
                let status = if change.on { "read" } else { "unread" };
                for batch in good.chunks(BATCH) {
                    let numbers: Vec<i64> = batch.iter().map(|(_, n)| *n).collect();
                    let body = serde_json::json!({ "entry_ids": numbers, "status": status });
                    match self.call(Method::Put, &url, Body::Json(body.to_string())) {
                        Ok(_) => sent.accepted.extend(batch.iter().map(|(id, _)| id.clone())),
                        Err(SyncError::Refused { detail, .. }) => sent
                            .refused
                            .extend(batch.iter().map(|(id, _)| (id.clone(), detail.clone()))),
                        Err(err) => return Err(err),
                    }
                }
            }
            Flag::Starred => {
                if good.is_empty() {
                    return Ok(sent);
                }
                // The bookmark call toggles; only entries not yet as asked
                // are toggled, so sending the change twice is harmless.
                let starred: HashSet<String> = self.starred_ids()?.into_iter().collect();
                for (id, number) in good {
                    if starred.contains(&number.to_string()) == change.on {
                        sent.accepted.push(id);
                        continue;
                    }
                    let url = self.api(&format!("entries/{number}/bookmark"));
                    match self.call(Method::Put, &url, Body::Empty) {
                        Ok(_) => sent.accepted.push(id),
                        Err(SyncError::Refused { detail, .. }) => sent.refused.push((id, detail)),
                        Err(err) => return Err(err),
                    }
                }
            }
        }
        Ok(sent)
    }

    fn subscribe(&mut self, feed_url: &str) -> Result<RemoteFeed, SyncError> {
        let url = self.api("categories");
        let categories: Vec<Category> = self.call(Method::Get, &url, Body::Empty)?.json()?;
        let Some(category) = categories.first() else {
            return Err(SyncError::Refused {
                url,
                status: 200,
                detail: "the account has no category to put the feed in; add one in Miniflux"
                    .to_string(),
            });
        };
        let body = serde_json::json!({ "feed_url": feed_url, "category_id": category.id });
        let url = self.api("feeds");
        let created: Created = self
            .call(Method::Post, &url, Body::Json(body.to_string()))?
            .json()?;
        let url = self.api(&format!("feeds/{}", created.feed_id));
        let feed: Feed = self.call(Method::Get, &url, Body::Empty)?.json()?;
        Ok(feed.into_remote())
    }

    /// `changed_after`: Miniflux stamps an entry's `changed_at` when its
    /// status changes and when its star is toggled, so a sync with nothing
    /// new reads one short page instead of every unread and starred entry.
    fn changes_since(&mut self, since: &str) -> Option<Result<Changes, SyncError>> {
        Some(self.changed(since))
    }

    fn take_skipped(&mut self) -> Vec<(String, String)> {
        // The names and serde's messages quote the server's text, which
        // may hold escape sequences: none reaches a terminal.
        std::mem::take(&mut self.skipped)
            .into_iter()
            .map(|(name, reason)| (plain(&name), plain(&reason)))
            .collect()
    }
}
