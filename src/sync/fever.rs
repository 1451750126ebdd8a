//! The Fever API (coldsweat, FreshRSS, Miniflux, Tiny Tiny RSS with its
//! plugin): every call is a POST to `<server>/fever/?api&<command>` with
//! the form field `api_key`, the md5 (hex) of `user:password`.
//!
//! - feeds: `groups` (groups and `feeds_groups`) then `feeds`, two calls
//!   because Miniflux answers one command per request;
//! - items: `items&since_id=N`, 50 a page as every server gives them; the
//!   cursor is the highest id seen, so a stopped sync resumes after it;
//! - `items&with_ids=…` (50 at most a call), `unread_item_ids`,
//!   `saved_item_ids` (comma-separated lists);
//! - changes: `mark=item&as=read|unread|saved|unsaved&id=N`. Fever marks
//!   one item a call and no server takes a list (coldsweat answers 400 to
//!   `id=1,2`; FreshRSS checks the id is all digits and silently ignores a
//!   list; Miniflux reads one integer), so a change is sent as one request
//!   per item on the client's kept-alive connection, where the server
//!   keeps it (coldsweat's development server closes each).
//!
//! Command words and item parameters travel in the query string
//! (coldsweat reads `since_id` and `with_ids` only there), the key and the
//! `mark` fields in the form (coldsweat reads `mark` only there). Starred
//! marks are sent only for items not already as wanted, since Miniflux
//! toggles the star whatever `as` says. `auth: 0`
//! is a refused login. Items and feeds are read one by one from the JSON
//! (see [`parse`]), so one with a wrong-typed field is skipped and named in
//! [`Service::take_skipped`], never failing its page. Fever has no call to
//! subscribe.

pub mod parse;

use serde_json::Value;

use super::http::{Body, Client, Method};
use super::service::{
    Change, Credentials, Cursor, Flag, ItemPage, RemoteFeed, RemoteItem, Sent, Service, SyncError,
    plain,
};

/// How many items a Fever server gives per `items` call (the API's own
/// figure, which coldsweat, FreshRSS and Miniflux all use).
pub const PAGE: usize = 50;

/// A Fever account.
#[derive(Debug)]
pub struct Fever {
    /// The API's address without the query (`https://host/fever/`).
    endpoint: String,
    /// md5 of `user:password`, lower-case hex: the password in another form,
    /// so it is never printed either.
    api_key: super::service::Secret,
    client: Client,
    warnings: Vec<(String, String)>,
}

impl Fever {
    /// A Fever account at `credentials.url` (the server, or its Fever
    /// address when that already ends in `fever/` or `fever.php`).
    pub fn new(credentials: Credentials, client: Client) -> Self {
        Fever {
            endpoint: endpoint(&credentials.url),
            api_key: super::service::Secret::new(api_key(
                &credentials.user,
                credentials.password.expose(),
            )),
            client,
            warnings: Vec::new(),
        }
    }

    /// The API's address as called (without the query).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// One call: `?api` and `query` (`&items&since_id=0`), the key and
    /// `form` in the body. A 2xx answer must be a JSON object with
    /// `auth: 1`.
    fn call(&mut self, query: &str, form: &[(&str, &str)]) -> Result<Value, SyncError> {
        let url = format!("{}?api{query}", self.endpoint);
        let reply = self.post(&url, form)?;
        if !reply.is_success() {
            return Err(reply.error());
        }
        let answer: Value = reply.json()?;
        self.check_auth(&answer, &url)?;
        Ok(answer)
    }

    /// POSTs the key and `form` to `url`, whatever the status.
    fn post(&self, url: &str, form: &[(&str, &str)]) -> Result<super::http::Reply, SyncError> {
        let mut pairs = Vec::with_capacity(form.len() + 1);
        pairs.push(("api_key".to_string(), self.api_key.expose().to_string()));
        pairs.extend(form.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.client.call(Method::Post, url, &[], Body::Form(pairs))
    }

    /// `auth: 1` passes; `auth: 0` is a refused login; anything else (no
    /// `auth`, not an object) cannot be read.
    fn check_auth(&self, answer: &Value, url: &str) -> Result<(), SyncError> {
        match answer.get("auth") {
            Some(auth) if auth == 1 || auth == "1" => Ok(()),
            Some(auth) if auth == 0 || auth == "0" => Err(SyncError::Login {
                url: self.endpoint.clone(),
                detail: "Fever answered auth 0: no account has this user name and password"
                    .to_string(),
            }),
            _ => Err(SyncError::Malformed {
                url: url.to_string(),
                detail: "the answer is not a Fever answer (no `auth`)".to_string(),
            }),
        }
    }

    /// A `Malformed` error for an answer from `query`.
    fn malformed(&self, query: &str, detail: String) -> SyncError {
        SyncError::Malformed {
            url: format!("{}?api{query}", self.endpoint),
            detail,
        }
    }

    /// Reads the id list `field` (`unread_item_ids`, `saved_item_ids`).
    fn id_list(&mut self, field: &str) -> Result<Vec<String>, SyncError> {
        let query = format!("&{field}");
        let answer = self.call(&query, &[])?;
        let (ids, warnings) =
            parse::id_list(&answer, field).map_err(|why| self.malformed(&query, why))?;
        self.warnings.extend(warnings);
        Ok(ids)
    }

    /// Sends one `mark=item` for one id: `Ok(None)` accepted, `Ok(Some)`
    /// refused with the reason, `Err` for a failure of the whole call.
    fn mark(&mut self, id: &str, as_: &str) -> Result<Option<String>, SyncError> {
        let url = format!("{}?api", self.endpoint);
        let reply = self.post(&url, &[("mark", "item"), ("as", as_), ("id", id)])?;
        match reply.status {
            200..=299 => {
                let answer: Value = reply.json()?;
                self.check_auth(&answer, &url)?;
                Ok(None)
            }
            404 => Ok(Some(
                "the server has no item with this id (HTTP 404)".to_string(),
            )),
            400 | 422 => Ok(Some(format!(
                "the server refused to mark it {as_} (HTTP {})",
                reply.status
            ))),
            _ => Err(reply.error()),
        }
    }
}

/// The Fever address for a configured server address: kept when it already
/// names the API (`…/fever/`, `…/fever`, FreshRSS's `…/api/fever.php`),
/// else `fever/` under it. A query (`?api`) is dropped; calls add theirs.
pub fn endpoint(configured: &str) -> String {
    let base = configured
        .split(['?', '#'])
        .next()
        .unwrap_or(configured)
        .trim();
    if base.ends_with("/fever/") || base.ends_with(".php") {
        base.to_string()
    } else if base.ends_with("/fever") {
        format!("{base}/")
    } else if base.ends_with('/') {
        format!("{base}fever/")
    } else {
        format!("{base}/fever/")
    }
}

/// Fever's key: md5 of `user:password` in lower-case hex.
pub fn api_key(user: &str, password: &str) -> String {
    format!("{:x}", md5::compute(format!("{user}:{password}")))
}

impl Service for Fever {
    fn protocol(&self) -> &'static str {
        "Fever"
    }

    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError> {
        let answer = self.call("&groups", &[])?;
        let (categories, warnings) =
            parse::groups(&answer).map_err(|why| self.malformed("&groups", why))?;
        self.warnings.extend(warnings);
        let answer = self.call("&feeds", &[])?;
        let (feeds, warnings) =
            parse::feeds(&answer, &categories).map_err(|why| self.malformed("&feeds", why))?;
        self.warnings.extend(warnings);
        Ok(feeds)
    }

    fn items(&mut self, after: &Cursor, limit: usize) -> Result<ItemPage, SyncError> {
        let since = if after.0.is_empty() { "0" } else { &after.0 };
        if !parse::is_digits(since) {
            return Err(self.malformed(
                "&items",
                format!("the stored cursor {since:?} is not a Fever item id; sync from the start"),
            ));
        }
        let query = format!("&items&since_id={since}");
        let answer = self.call(&query, &[])?;
        let mut read = parse::items(&answer, &format!("the items after {since}"))
            .map_err(|why| self.malformed(&query, why))?;
        self.warnings.append(&mut read.warnings);
        // Servers need not sort (coldsweat gives SQLite's order): sorted
        // here so a page cut at `limit` resumes after its last item.
        let mut items = read.items;
        items.sort_by(|a, b| parse::id_order(&a.id, &b.id));
        let limit = limit.max(1);
        let cut = items.len() > limit;
        items.truncate(limit);
        let next = match (cut, items.last(), read.highest) {
            (true, Some(last), _) => last.id.clone(),
            (_, _, Some(highest)) => highest,
            _ => since.to_string(),
        };
        // A full page means more may wait; a cursor that did not move (a
        // page of unreadable ids) must not loop.
        let more = (cut || read.count >= PAGE) && next != since;
        Ok(ItemPage {
            items,
            next: Cursor(next),
            more,
        })
    }

    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError> {
        let mut wanted = Vec::with_capacity(ids.len());
        for id in ids {
            if parse::is_digits(id) {
                wanted.push(id.as_str());
            } else {
                self.warnings
                    .push((format!("{id:?}"), "not a Fever item id".to_string()));
            }
        }
        let mut found = Vec::with_capacity(wanted.len());
        for chunk in wanted.chunks(PAGE) {
            let query = format!("&items&with_ids={}", chunk.join(","));
            let answer = self.call(&query, &[])?;
            let mut read = parse::items(&answer, "the items asked for by id")
                .map_err(|why| self.malformed(&query, why))?;
            self.warnings.append(&mut read.warnings);
            found.append(&mut read.items);
        }
        Ok(found)
    }

    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.id_list("unread_item_ids")
    }

    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.id_list("saved_item_ids")
    }

    fn send(&mut self, change: &Change) -> Result<Sent, SyncError> {
        let as_ = match (change.flag, change.on) {
            (Flag::Read, true) => "read",
            (Flag::Read, false) => "unread",
            (Flag::Starred, true) => "saved",
            (Flag::Starred, false) => "unsaved",
        };
        let mut sent = Sent::default();
        // Miniflux toggles the star on both `saved` and `unsaved`, so a
        // mark sent again (after a lost answer) would undo itself: items
        // already as wanted are not sent. One id list per change.
        let already: std::collections::HashSet<String> = match change.flag {
            Flag::Starred if !change.ids.is_empty() => {
                self.id_list("saved_item_ids")?.into_iter().collect()
            }
            _ => Default::default(),
        };
        for id in &change.ids {
            if change.flag == Flag::Starred && already.contains(id) == change.on {
                sent.accepted.push(id.clone());
                continue;
            }
            if !parse::is_digits(id) {
                sent.refused
                    .push((id.clone(), "not a Fever item id".to_string()));
                continue;
            }
            match self.mark(id, as_)? {
                None => sent.accepted.push(id.clone()),
                Some(why) => sent.refused.push((id.clone(), why)),
            }
        }
        Ok(sent)
    }

    fn subscribe(&mut self, _url: &str) -> Result<RemoteFeed, SyncError> {
        Err(SyncError::Unsupported {
            protocol: "Fever",
            what: "subscribe to a feed (add it on the server's own pages)",
        })
    }

    fn take_skipped(&mut self) -> Vec<(String, String)> {
        // The names and reasons quote the server's text, which may hold
        // escape sequences: none reaches a terminal.
        std::mem::take(&mut self.warnings)
            .into_iter()
            .map(|(what, why)| (plain(&what), plain(&why)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_md5_of_user_and_password() {
        // As coldsweat computes it (models.User.make_fever_api_key) and
        // `printf 'me@example.org:secret-password' | md5sum` gives.
        assert_eq!(
            api_key("me@example.org", "secret-password"),
            "5033626c15d65c09d1d1983150325009"
        );
        assert_eq!(api_key("a", "b"), "d8160c9b3dc20d4e931aeb4f45262155");
    }

    #[test]
    fn neither_the_password_nor_the_key_is_printed() {
        let fever = Fever::new(
            Credentials {
                url: "http://127.0.0.1:1/".to_string(),
                user: "me@example.org".to_string(),
                password: super::super::service::Secret::new("secret-password".to_string()),
            },
            Client::new(std::time::Duration::from_secs(1)),
        );
        let shown = format!("{fever:?}");
        assert!(
            !shown.contains("secret-password")
                && !shown.contains("5033626c15d65c09d1d1983150325009")
                && shown.contains("http://127.0.0.1:1/fever/"),
            "{shown}"
        );
    }

    #[test]
    fn the_endpoint_is_found_from_the_server_address() {
        for (configured, expected) in [
            ("http://h/", "http://h/fever/"),
            ("http://h", "http://h/fever/"),
            ("http://h/rss/", "http://h/rss/fever/"),
            ("http://h/fever/", "http://h/fever/"),
            ("http://h/fever", "http://h/fever/"),
            ("http://h/fever/?api", "http://h/fever/"),
            ("http://h/api/fever.php", "http://h/api/fever.php"),
            (
                "http://h/tt-rss/plugins/fever/",
                "http://h/tt-rss/plugins/fever/",
            ),
        ] {
            assert_eq!(endpoint(configured), expected, "{configured}");
        }
    }
}
