//! The Google Reader API, as FreshRSS (`api/greader.php`), Miniflux, The
//! Old Reader and BazQux serve it (Inoreader also wants an app id and key,
//! not sent yet).
//!
//! Written call by call from the protocol's documentation (Google's own
//! wiki pages, the pyrfeed notes, FreshRSS's `greader.php`, Inoreader's and
//! The Old Reader's API pages):
//!
//! - `accounts/ClientLogin` (POST `Email`, `Passwd`) answers lines
//!   `SID=…`, `LSID=…`, `Auth=…`; every later call carries
//!   `Authorization: GoogleLogin auth=<Auth>`.
//! - `reader/api/0/token` gives the write token `T`, sent with every POST.
//! - An expired login or token is answered 401, or with the header
//!   `X-Reader-Google-Bad-Token: true` (FreshRSS: `Google-Bad-Token`):
//!   broadsheet logs in and takes a token again once, then names the
//!   refusal.
//! - `subscription/list` (labels `user/-/label/X` as categories; `tag/list`
//!   only when a label comes without its name), `stream/items/ids`
//!   (reading list, unread with `xt=…/read`, starred with `s=…/starred`,
//!   paged by continuation `c`, oldest first with `r=o`, incremental with
//!   `ot`; the unread and starred lists 10,000 ids a page, the maximum
//!   Google and The Old Reader document, 1,000 where a server refuses
//!   that), `stream/items/contents` (POST many `i=`), `edit-tag` (POST
//!   many `i=` with `a=` or `r=`), `subscription/quickadd`.
//!
//! The configured address is the API's root, e.g.
//! `https://host/api/greader.php` for FreshRSS or `https://host` for
//! Miniflux's Google Reader API; calls go to `<root>/reader/api/0/…`.

pub mod ids;
mod wire;

use std::collections::HashMap;
use std::collections::HashSet;

use serde_json::Value;

use self::ids::{canonical, long_form};
use self::wire::{Contents, ItemIds, QuickAdd, Subscription, SubscriptionList, TagList, as_text};
use super::http::{Body, Client, Method, Reply};
use super::service::{
    Change, Credentials, Cursor, Flag, ItemPage, RemoteFeed, RemoteItem, Secret, Sent, Service,
    SyncError, plain, server_words as words,
};

/// The most ids in one `edit-tag` or `stream/items/contents` request: a
/// form of 250 long ids stays far below every server's limit on a body.
pub const BATCH: usize = 250;

/// Ids asked for per `stream/items/ids` page of the unread and starred
/// lists: the most the protocol allows. Google's own reference
/// (ApiStreamItemsIds) and The Old Reader's API notes give 10,000 as the
/// maximum; FreshRSS and Miniflux take any `n`. At this size the lists of
/// an account of 10,000 items take one request each, so a sync with
/// nothing new stays at 5 requests.
pub const ID_PAGE_MAX: usize = 10_000;

/// Ids asked for per page once a server refused [`ID_PAGE_MAX`], and the
/// page size a list is read again at when its only page ended at exactly
/// this many ids without a continuation: Inoreader documents 1,000 as its
/// maximum, and a server that cuts a page there without saying so would
/// otherwise hide every id after it (read as "read here").
pub const ID_PAGE: usize = 1000;

/// The stream of every item.
const READING_LIST: &str = "user/-/state/com.google/reading-list";
/// The read state.
const READ: &str = "user/-/state/com.google/read";
/// The starred state.
const STARRED: &str = "user/-/state/com.google/starred";

/// A Google Reader API account.
#[derive(Debug)]
pub struct GoogleReader {
    credentials: Credentials,
    client: Client,
    /// The `Auth=` value, once logged in (shown nowhere).
    auth: Option<Secret>,
    /// The write token, once asked for.
    token: Option<Secret>,
    /// Items and feeds left out of answers, each with its reason.
    skipped: Vec<(String, String)>,
    /// Ids asked for per page of the unread and starred lists:
    /// [`ID_PAGE_MAX`] until the server refuses it or cuts a page short,
    /// then [`ID_PAGE`] for the rest of the session.
    id_page: usize,
}

/// Where the reading list stands, stored as a form-encoded text: `ot`
/// (seconds: the read asks for items the server first saw at or after
/// it), the continuation within that read, the newest second seen so far
/// and the ids seen in that second. When a read ends, the newest second
/// becomes the next `ot` and its ids are not asked for again, so an
/// unchanged account costs one small request.
#[derive(Debug, Default, PartialEq, Eq)]
struct ListCursor {
    ot: Option<i64>,
    c: Option<String>,
    newest: Option<i64>,
    seen: Vec<String>,
}

impl ListCursor {
    fn parse(cursor: &Cursor) -> ListCursor {
        let mut parsed = ListCursor::default();
        for (key, value) in url::form_urlencoded::parse(cursor.0.as_bytes()) {
            match key.as_ref() {
                "ot" => parsed.ot = value.parse().ok(),
                "newest" => parsed.newest = value.parse().ok(),
                "c" if !value.is_empty() => parsed.c = Some(value.into_owned()),
                "seen" => {
                    parsed.seen = value
                        .split(',')
                        .filter(|id| !id.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                // A key of a later version is ignored, not an error: the
                // worst case is one page read again.
                _ => {}
            }
        }
        parsed
    }

    fn text(&self) -> Cursor {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        if let Some(ot) = self.ot {
            form.append_pair("ot", &ot.to_string());
        }
        if let Some(c) = &self.c {
            form.append_pair("c", c);
        }
        if let Some(newest) = self.newest {
            form.append_pair("newest", &newest.to_string());
        }
        if !self.seen.is_empty() {
            form.append_pair("seen", &self.seen.join(","));
        }
        Cursor(form.finish())
    }
}

/// One answer of `stream/items/ids`.
struct IdsPage {
    /// The ids in canonical form (those in neither form skipped).
    ids: Vec<String>,
    /// Where the next page starts, when the server says one follows.
    continuation: Option<String>,
    /// How many ids the answer held, the skipped ones among them.
    refs: usize,
}

/// A list of ids as read in pages of one size.
enum Listed {
    /// Every id: the last page came without a continuation.
    Whole(Vec<String>),
    /// The last page held exactly [`ID_PAGE`] ids though more were asked,
    /// and no continuation: the list may end there, or the server may
    /// have cut it at its maximum without saying so.
    MaybeCut(Vec<String>),
}

/// Whether an HTTP status answering a large `n` is the server refusing
/// that size (FreshRSS answers a request it will not serve 400), not a
/// login (401, 403: renewed or named), a wrong address (404), a timeout
/// (408) or a request to wait (429).
fn refuses_the_size(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 401 | 403 | 404 | 408 | 429)
}

/// Whether the answer says the login or the token is no longer good.
fn bad_token(reply: &Reply) -> bool {
    let flagged = |name: &str| {
        reply
            .header(name)
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("true"))
    };
    reply.status == 401 || flagged("x-reader-google-bad-token") || flagged("google-bad-token")
}

/// `s` query part for a stream, escaped.
fn query(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

impl GoogleReader {
    /// An account at `credentials.url` (the API's root), not yet logged in.
    pub fn new(credentials: Credentials, client: Client) -> Self {
        GoogleReader {
            credentials,
            client,
            auth: None,
            token: None,
            skipped: Vec::new(),
            id_page: ID_PAGE_MAX,
        }
    }

    /// The configured root without a trailing slash.
    fn root(&self) -> &str {
        self.credentials.url.trim_end_matches('/')
    }

    /// The address of an API call.
    fn api(&self, path: &str) -> String {
        format!("{}/reader/api/0/{path}", self.root())
    }

    /// ClientLogin: the `Auth=` line of the answer.
    fn login(&mut self) -> Result<(), SyncError> {
        let url = format!("{}/accounts/ClientLogin", self.root());
        let form = vec![
            ("Email".to_string(), self.credentials.user.clone()),
            (
                "Passwd".to_string(),
                self.credentials.password.expose().to_string(),
            ),
        ];
        let reply = self
            .client
            .call(Method::Post, &url, &[], Body::Form(form))?;
        if matches!(reply.status, 400 | 401 | 403) {
            // Google answered 403 `Error=BadAuthentication`, FreshRSS 401,
            // and 400 for a user name it cannot have.
            return Err(SyncError::Login {
                url,
                detail: words(&reply.text()),
            });
        }
        if !reply.is_success() {
            return Err(reply.error());
        }
        let text = reply.text();
        let auth = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("Auth="))
            .filter(|auth| !auth.is_empty())
            .ok_or_else(|| SyncError::Malformed {
                url: url.clone(),
                detail: "the login answer has no Auth= line".to_string(),
            })?;
        self.auth = Some(Secret::new(auth.to_string()));
        self.token = None;
        Ok(())
    }

    /// The `Authorization` header's value.
    fn authorization(&self) -> String {
        let auth = self.auth.as_ref().map(Secret::expose).unwrap_or("");
        format!("GoogleLogin auth={auth}")
    }

    /// `reader/api/0/token`: the write token.
    fn fetch_token(&mut self) -> Result<(), SyncError> {
        let url = self.api("token");
        let authorization = self.authorization();
        let reply = self.client.call(
            Method::Get,
            &url,
            &[("Authorization", &authorization)],
            Body::Empty,
        )?;
        if bad_token(&reply) {
            return Err(SyncError::Login {
                url,
                detail: words(&reply.text()),
            });
        }
        if !reply.is_success() {
            return Err(reply.error());
        }
        let token = reply.text().trim().to_string();
        if token.is_empty() {
            return Err(SyncError::Malformed {
                url,
                detail: "the token answer is empty".to_string(),
            });
        }
        self.token = Some(Secret::new(token));
        Ok(())
    }

    /// One call with the login (and, for a POST, the token), logging in
    /// and taking a token again once if the server says they expired.
    fn call(
        &mut self,
        method: Method,
        url: &str,
        form: &[(String, String)],
    ) -> Result<Reply, SyncError> {
        let mut renewed = false;
        loop {
            if self.auth.is_none() {
                self.login()?;
            }
            let body = if method == Method::Post {
                if self.token.is_none() {
                    match self.fetch_token() {
                        // The login expired before the first write.
                        Err(SyncError::Login { .. }) if !renewed => {
                            renewed = true;
                            self.auth = None;
                            continue;
                        }
                        other => other?,
                    }
                }
                let mut form = form.to_vec();
                let token = self.token.as_ref().map(Secret::expose).unwrap_or("");
                form.push(("T".to_string(), token.to_string()));
                Body::Form(form)
            } else {
                Body::Empty
            };
            let authorization = self.authorization();
            let reply =
                self.client
                    .call(method, url, &[("Authorization", &authorization)], body)?;
            if bad_token(&reply) {
                if renewed {
                    return Err(SyncError::Login {
                        url: url.to_string(),
                        detail: format!(
                            "refused again after logging in anew: {}",
                            words(&reply.text())
                        ),
                    });
                }
                renewed = true;
                self.auth = None;
                self.token = None;
                continue;
            }
            if !reply.is_success() {
                return Err(reply.error());
            }
            return Ok(reply);
        }
    }

    /// One page of `stream/items/ids` with `pairs` added: the ids in
    /// canonical form and the continuation (`refs` of [`IdsPage`] counts
    /// the ids skipped as well).
    fn ids_page(&mut self, pairs: &[(&str, &str)]) -> Result<IdsPage, SyncError> {
        let mut all = vec![("output", "json")];
        all.extend_from_slice(pairs);
        let url = format!("{}?{}", self.api("stream/items/ids"), query(&all));
        let reply = self.call(Method::Get, &url, &[])?;
        let page: ItemIds = reply.json()?;
        let refs = page.item_refs.len();
        let mut found = Vec::with_capacity(refs);
        for item in page.item_refs {
            match as_text(&item.id).as_deref().and_then(canonical) {
                Some(id) => found.push(id),
                None => self.skipped.push((
                    item.id.to_string(),
                    format!("{url}: an item id in neither Google Reader form"),
                )),
            }
        }
        let continuation = page
            .continuation
            .as_ref()
            .and_then(as_text)
            .filter(|c| !c.is_empty());
        Ok(IdsPage {
            ids: found,
            continuation,
            refs,
        })
    }

    /// Every id of a stream, following continuations, asked in pages as
    /// large as the server takes: [`ID_PAGE_MAX`] first, and the whole
    /// list again at [`ID_PAGE`] when the server refuses that size (an
    /// HTTP 4xx that names no login, address or wait) or when a page may
    /// have been cut at Inoreader's maximum without a continuation.
    fn all_ids(&mut self, pairs: &[(&str, &str)]) -> Result<Vec<String>, SyncError> {
        if self.id_page > ID_PAGE {
            match self.ids_in_pages(pairs, self.id_page) {
                Ok(Listed::Whole(ids)) => return Ok(ids),
                Ok(Listed::MaybeCut(_)) => {}
                Err(SyncError::Status {
                    status,
                    retry_after: None,
                    ..
                }) if refuses_the_size(status) => {}
                Err(other) => return Err(other),
            }
            self.id_page = ID_PAGE;
        }
        match self.ids_in_pages(pairs, ID_PAGE)? {
            // At the smaller size a full page without a continuation is
            // the server's own word that the list ends there.
            Listed::Whole(ids) | Listed::MaybeCut(ids) => Ok(ids),
        }
    }

    /// Every id of a stream in pages of `n`.
    fn ids_in_pages(&mut self, pairs: &[(&str, &str)], n: usize) -> Result<Listed, SyncError> {
        let n_text = n.to_string();
        let mut ids = Vec::new();
        let mut continuation: Option<String> = None;
        let mut seen_continuations = HashSet::new();
        loop {
            let mut page_pairs = pairs.to_vec();
            page_pairs.push(("n", &n_text));
            if let Some(c) = continuation.as_deref() {
                page_pairs.push(("c", c));
            }
            let page = self.ids_page(&page_pairs)?;
            let next = page.continuation;
            let cut = next.is_none() && n > ID_PAGE && page.refs == ID_PAGE;
            ids.extend(page.ids);
            match next {
                // A server that gives the same continuation again would
                // be read forever.
                Some(c) if !seen_continuations.insert(c.clone()) => {
                    return Err(SyncError::Malformed {
                        url: self.api("stream/items/ids"),
                        detail: format!("the continuation {c:?} came twice"),
                    });
                }
                Some(c) => continuation = Some(c),
                None if cut => return Ok(Listed::MaybeCut(ids)),
                None => return Ok(Listed::Whole(ids)),
            }
        }
    }

    /// `stream/items/contents` for ids in canonical form, in batches, in
    /// the order asked; with each item's crawl time.
    fn contents(&mut self, wanted: &[String]) -> Result<Vec<(RemoteItem, Option<i64>)>, SyncError> {
        let url = format!("{}?output=json", self.api("stream/items/contents"));
        let mut found: HashMap<String, (RemoteItem, Option<i64>)> = HashMap::new();
        for batch in wanted.chunks(BATCH) {
            let form: Vec<(String, String)> = batch
                .iter()
                .filter_map(|id| long_form(id))
                .map(|id| ("i".to_string(), id))
                .collect();
            if form.is_empty() {
                continue;
            }
            let reply = self.call(Method::Post, &url, &form)?;
            let contents: Contents = reply.json()?;
            for value in contents.items {
                self.read_item(&url, value, &mut found);
            }
        }
        Ok(wanted.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// One item of an answer, kept or skipped and named.
    fn read_item(
        &mut self,
        url: &str,
        value: Value,
        found: &mut HashMap<String, (RemoteItem, Option<i64>)>,
    ) {
        let name = value
            .get("id")
            .map(|id| as_text(id).unwrap_or_else(|| id.to_string()))
            .unwrap_or_else(|| "an item without an id".to_string());
        let item = serde_json::from_value::<wire::Item>(value)
            .map_err(|err| err.to_string())
            .and_then(|item| {
                let crawled = item.crawled_secs();
                item.into_remote().map(|remote| (remote, crawled))
            });
        match item {
            Ok((remote, crawled)) => {
                found.insert(remote.id.clone(), (remote, crawled));
            }
            Err(reason) => self.skipped.push((name, format!("{url}: {reason}"))),
        }
    }
}

impl Service for GoogleReader {
    fn protocol(&self) -> &'static str {
        "Google Reader"
    }

    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError> {
        let url = format!("{}?output=json", self.api("subscription/list"));
        let list: SubscriptionList = self.call(Method::Get, &url, &[])?.json()?;
        let mut subscriptions = Vec::new();
        for value in list.subscriptions {
            let name = value
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("a subscription without an id")
                .to_string();
            match serde_json::from_value::<Subscription>(value) {
                Ok(subscription) => subscriptions.push(subscription),
                Err(err) => self.skipped.push((name, format!("{url}: {err}"))),
            }
        }
        // Labels without their name (older servers) are named by tag/list,
        // asked only then.
        let unnamed = subscriptions
            .iter()
            .flat_map(|s| &s.categories)
            .any(|c| c.label.as_deref().is_none_or(str::is_empty));
        let mut tag_names = HashMap::new();
        if unnamed {
            let url = format!("{}?output=json", self.api("tag/list"));
            let tags: TagList = self.call(Method::Get, &url, &[])?.json()?;
            for tag in tags.tags {
                if let Some(name) = label_name(&tag.id) {
                    tag_names.insert(tag.id.clone(), name);
                }
            }
        }
        Ok(subscriptions
            .into_iter()
            .map(|s| {
                let categories = s
                    .categories
                    .iter()
                    .filter_map(|c| {
                        c.label
                            .clone()
                            .filter(|label| !label.is_empty())
                            .or_else(|| tag_names.get(&c.id).cloned())
                            .or_else(|| label_name(&c.id))
                    })
                    .collect();
                let url = s
                    .url
                    .filter(|url| !url.is_empty())
                    .or_else(|| s.id.strip_prefix("feed/").map(str::to_string))
                    .unwrap_or_default();
                RemoteFeed {
                    title: s
                        .title
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| url.clone()),
                    id: s.id,
                    url,
                    site_url: s.html_url.filter(|u| !u.is_empty()),
                    categories,
                }
            })
            .collect())
    }

    fn items(&mut self, after: &Cursor, limit: usize) -> Result<ItemPage, SyncError> {
        let cursor = ListCursor::parse(after);
        let n = limit.max(1).to_string();
        let ot = cursor.ot.map(|ot| ot.to_string());
        let mut pairs = vec![("s", READING_LIST), ("r", "o"), ("n", n.as_str())];
        if let Some(ot) = ot.as_deref() {
            pairs.push(("ot", ot));
        }
        if let Some(c) = cursor.c.as_deref() {
            pairs.push(("c", c));
        }
        let IdsPage {
            ids, continuation, ..
        } = self.ids_page(&pairs)?;
        let already: HashSet<&String> = cursor.seen.iter().collect();
        let fresh: Vec<String> = ids.into_iter().filter(|id| !already.contains(id)).collect();
        let items = self.contents(&fresh)?;
        // The newest second read so far, and the ids of that second.
        let mut newest = cursor.newest.or(cursor.ot);
        let mut seen = cursor.seen.clone();
        for (item, crawled) in &items {
            let Some(crawled) = *crawled else { continue };
            match newest {
                Some(current) if crawled < current => {}
                Some(current) if crawled == current => seen.push(item.id.clone()),
                _ => {
                    newest = Some(crawled);
                    seen = vec![item.id.clone()];
                }
            }
        }
        if continuation.is_some() && continuation == cursor.c {
            return Err(SyncError::Malformed {
                url: self.api("stream/items/ids"),
                detail: "the same continuation came back".to_string(),
            });
        }
        let more = continuation.is_some();
        let next = if more {
            // Within a read `ot` stays, so the continuation keeps its
            // meaning.
            ListCursor {
                ot: cursor.ot,
                c: continuation,
                newest,
                seen,
            }
        } else {
            ListCursor {
                ot: newest,
                c: None,
                newest: None,
                seen,
            }
        };
        Ok(ItemPage {
            items: items.into_iter().map(|(item, _)| item).collect(),
            next: next.text(),
            more,
        })
    }

    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError> {
        let mut wanted = Vec::with_capacity(ids.len());
        for id in ids {
            match canonical(id) {
                Some(id) => wanted.push(id),
                None => self.skipped.push((
                    id.clone(),
                    "an item id in neither Google Reader form".to_string(),
                )),
            }
        }
        Ok(self
            .contents(&wanted)?
            .into_iter()
            .map(|(item, _)| item)
            .collect())
    }

    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.all_ids(&[("s", READING_LIST), ("xt", READ)])
    }

    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.all_ids(&[("s", STARRED)])
    }

    fn send(&mut self, change: &Change) -> Result<Sent, SyncError> {
        let state = match change.flag {
            Flag::Read => READ,
            Flag::Starred => STARRED,
        };
        let verb = if change.on { "a" } else { "r" };
        let url = self.api("edit-tag");
        let mut sent = Sent::default();
        let mut good = Vec::new();
        for id in &change.ids {
            match long_form(id) {
                Some(long) => good.push((id.clone(), long)),
                None => sent.refused.push((
                    id.clone(),
                    "not a Google Reader item id (neither form)".to_string(),
                )),
            }
        }
        for batch in good.chunks(BATCH) {
            let mut form: Vec<(String, String)> = batch
                .iter()
                .map(|(_, long)| ("i".to_string(), long.clone()))
                .collect();
            form.push((verb.to_string(), state.to_string()));
            let reply = self.call(Method::Post, &url, &form)?;
            let answer = reply.text();
            if answer.trim() == "OK" {
                sent.accepted.extend(batch.iter().map(|(id, _)| id.clone()));
            } else {
                let reason = format!("edit-tag answered {:?}", words(&answer));
                sent.refused
                    .extend(batch.iter().map(|(id, _)| (id.clone(), reason.clone())));
            }
        }
        Ok(sent)
    }

    fn subscribe(&mut self, feed_url: &str) -> Result<RemoteFeed, SyncError> {
        let url = self.api("subscription/quickadd");
        let form = vec![("quickadd".to_string(), feed_url.to_string())];
        let reply = self.call(Method::Post, &url, &form)?;
        let added: QuickAdd = reply.json()?;
        let stream = added.stream_id.as_ref().and_then(as_text);
        match (added.num_results, stream) {
            (Some(n), Some(stream)) if n > 0 && !stream.is_empty() => {
                // FreshRSS sends the feed's number, the others `feed/…`.
                let id = if stream.starts_with("feed/") {
                    stream
                } else {
                    format!("feed/{stream}")
                };
                Ok(RemoteFeed {
                    id,
                    title: added
                        .stream_name
                        .filter(|name| !name.is_empty())
                        .unwrap_or_else(|| feed_url.to_string()),
                    url: feed_url.to_string(),
                    site_url: None,
                    categories: Vec::new(),
                })
            }
            _ => Err(SyncError::Refused {
                url,
                status: reply.status,
                detail: added
                    .error
                    .map(|e| words(&e))
                    .filter(|e| !e.is_empty())
                    .unwrap_or_else(|| "no feed was added".to_string()),
            }),
        }
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

/// `X` of `user/-/label/X` (or `user/<number>/label/X`).
fn label_name(id: &str) -> Option<String> {
    let rest = id.strip_prefix("user/")?;
    let (_, label) = rest.split_once("/label/")?;
    (!label.is_empty()).then(|| label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_survives_its_text() {
        let cursor = ListCursor {
            ot: Some(1_700_000_000),
            c: Some("a&b=c".to_string()),
            newest: Some(1_700_000_005),
            seen: vec!["1".to_string(), "2".to_string()],
        };
        assert_eq!(ListCursor::parse(&cursor.text()), cursor);
        assert_eq!(ListCursor::parse(&Cursor::default()), ListCursor::default());
    }

    #[test]
    fn labels_are_named_by_their_last_part() {
        assert_eq!(label_name("user/-/label/Tech").as_deref(), Some("Tech"));
        assert_eq!(label_name("user/1234/label/A/B").as_deref(), Some("A/B"));
        assert_eq!(label_name("user/-/state/com.google/starred"), None);
    }
}
