//! A small Fever server for fault tests, on 127.0.0.1 only, following the
//! Fever API documentation (and what coldsweat answers): POST
//! `/fever/?api&<command>` with `api_key` in the form; `auth: 0` for a wrong
//! key; `groups`, `feeds`, `items` (`since_id`, `with_ids`, 50 a page),
//! `unread_item_ids`, `saved_item_ids` and `mark=item` for one id (400 for
//! an id that is not a number, 404 for an unknown item).
//!
//! Items are stored as the JSON the server sends, so a test can give one a
//! field of the wrong type. A fault set with [`FeverServer::fail_with`]
//! answers every request with a raw status, headers and body instead.
//!
//! Connections are kept alive (HTTP/1.1) and counted, so a test can see a
//! batch of marks travel on one; each answer is written with one write.

use std::collections::BTreeSet;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

/// How long a kept-alive connection may wait for its next request.
const IDLE: Duration = Duration::from_secs(5);

/// A raw answer given to every request while set.
#[derive(Debug, Clone)]
pub struct Fault {
    /// The HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body as sent.
    pub body: Vec<u8>,
    /// A `Content-Length` larger than the body, then the connection
    /// closed: an answer cut off in transit.
    pub cut: bool,
}

/// The account the server holds.
#[derive(Default)]
struct Account {
    /// (position used for `since_id`, the item's JSON as sent).
    items: Vec<(u64, Value)>,
    unread: BTreeSet<u64>,
    saved: BTreeSet<u64>,
}

#[derive(Default)]
struct Shared {
    key: String,
    account: Mutex<Account>,
    fault: Mutex<Option<Fault>>,
    /// Each request: its target and its form, `api_key` left out.
    seen: Mutex<Vec<String>>,
    connections: AtomicUsize,
    stopped: AtomicBool,
    /// `saved` and `unsaved` both toggle the star, as Miniflux does.
    toggles: AtomicBool,
}

/// A running Fever test server; stops accepting when dropped.
pub struct FeverServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FeverServer {
    /// A server for the account `user` with `password` (its key is the md5
    /// of `user:password`), with no items.
    pub fn start(user: &str, password: &str) -> FeverServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("the server's address");
        let shared = Arc::new(Shared {
            key: format!("{:x}", md5::compute(format!("{user}:{password}"))),
            ..Shared::default()
        });
        let accepting = shared.clone();
        thread::Builder::new()
            .name("fever-accept".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    if accepting.stopped.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    accepting.connections.fetch_add(1, Ordering::SeqCst);
                    let shared = accepting.clone();
                    let _ = thread::Builder::new()
                        .name("fever-conn".into())
                        .spawn(move || {
                            let _ = serve(stream, &shared);
                        });
                }
            })
            .expect("start the Fever test server");
        FeverServer { addr, shared }
    }

    /// The server's address (`http://127.0.0.1:N/`), as an account names it.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Adds an item given as the JSON the server will send; `position`
    /// orders it for `since_id` (its `id` field need not be a number).
    pub fn add_raw(&self, position: u64, item: Value) {
        let mut account = lock(&self.shared.account);
        account.unread.insert(position);
        account.items.push((position, item));
        account.items.sort_by_key(|(at, _)| *at);
    }

    /// Adds `count` well-formed unread items with ids `first..first+count`.
    pub fn add_items(&self, first: u64, count: u64) {
        for id in first..first + count {
            self.add_raw(
                id,
                json!({"id": id, "feed_id": 1, "title": format!("Item {id}"),
                       "author": "A. Writer", "html": format!("<p>Body {id}</p>"),
                       "url": format!("http://127.0.0.1:9/{id}"),
                       "is_saved": 0, "is_read": 0, "created_on_time": 1_700_000_000 + id}),
            );
        }
    }

    /// Answers every request with `fault` until [`FeverServer::heal`].
    pub fn fail_with(&self, fault: Fault) {
        *lock(&self.shared.fault) = Some(fault);
    }

    /// Makes `saved` and `unsaved` toggle the star, as Miniflux's Fever
    /// API does.
    pub fn toggle_stars(&self) {
        self.shared.toggles.store(true, Ordering::SeqCst);
    }

    /// Answers normally again.
    pub fn heal(&self) {
        *lock(&self.shared.fault) = None;
    }

    /// Every request so far: target and form (without the key).
    pub fn requests(&self) -> Vec<String> {
        lock(&self.shared.seen).clone()
    }

    /// How many connections were opened to the server.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// The ids the server holds unread and saved.
    pub fn state(&self) -> (Vec<u64>, Vec<u64>) {
        let account = lock(&self.shared.account);
        (
            account.unread.iter().copied().collect(),
            account.saved.iter().copied().collect(),
        )
    }
}

impl Drop for FeverServer {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

/// Answers requests on one connection until the client closes it.
fn serve(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let Some((target, form)) = read_request(&mut reader)? else {
            return Ok(());
        };
        let shown: Vec<String> = form
            .iter()
            .filter(|(k, _)| k != "api_key")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        lock(&shared.seen).push(format!("{target} {}", shown.join("&")));
        if let Some(fault) = lock(&shared.fault).clone() {
            let mut head = format!("HTTP/1.1 {} Fault\r\n", fault.status);
            for (name, value) in &fault.headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            let length = fault.body.len() + if fault.cut { 100 } else { 0 };
            head.push_str(&format!(
                "Content-Length: {length}\r\nConnection: close\r\n\r\n"
            ));
            let mut answer = head.into_bytes();
            answer.extend_from_slice(&fault.body);
            writer.write_all(&answer)?;
            return writer.flush();
        }
        let (status, body) = answer(shared, &target, &form);
        let mut out = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n",
            if status == 200 { "OK" } else { "Error" },
            if status == 200 { "application/json" } else { "text/html" },
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body.as_bytes());
        writer.write_all(&out)?;
        writer.flush()?;
    }
}

/// A request's target and its form pairs.
type Request = (String, Vec<(String, String)>);

/// Reads one request: its target and its form pairs (query pairs not
/// included). `None` when the client closed the connection.
fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut length = 0usize;
    for _ in 0..200 {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            return Ok(None);
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let form = url::form_urlencoded::parse(&body).into_owned().collect();
    Ok(Some((target, form)))
}

/// The status and JSON body for one request, as the Fever docs say.
fn answer(shared: &Shared, target: &str, form: &[(String, String)]) -> (u16, String) {
    let Some((path, query)) = target.split_once('?') else {
        return (400, "no ?api".to_string());
    };
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let has = |name: &str| params.iter().any(|(k, _)| k == name);
    let param = |name: &str| {
        params
            .iter()
            .chain(form)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    if path != "/fever/" || !has("api") {
        return (404, "not the Fever API".to_string());
    }
    let key = form.iter().find(|(k, _)| k == "api_key").map(|(_, v)| v);
    if key != Some(&shared.key) {
        return (200, json!({"api_version": 3, "auth": 0}).to_string());
    }
    let mut result = json!({"api_version": 3, "auth": 1, "last_refreshed_on_time": 1_700_000_000});
    let mut account = lock(&shared.account);
    if has("groups") {
        result["groups"] = json!([{"id": 1, "title": "News"}]);
        result["feeds_groups"] = json!([{"group_id": 1, "feed_ids": "1"}]);
    }
    if has("feeds") {
        result["feeds"] = json!([{"id": 1, "favicon_id": 1, "title": "Local feed",
            "url": "http://127.0.0.1:9/feed.xml", "site_url": "http://127.0.0.1:9/",
            "is_spark": 0, "last_updated_on_time": 1_700_000_000}]);
        result["feeds_groups"] = json!([{"group_id": 1, "feed_ids": "1"}]);
    }
    if has("items") {
        let flagged = |at: u64, item: &Value| {
            let mut item = item.clone();
            if item.get("is_read").is_some() {
                item["is_read"] = json!(u8::from(!account.unread.contains(&at)));
            }
            if item.get("is_saved").is_some() {
                item["is_saved"] = json!(u8::from(account.saved.contains(&at)));
            }
            item
        };
        let items: Vec<Value> = if let Some(ids) = param("with_ids") {
            let ids: BTreeSet<u64> = ids.split(',').filter_map(|i| i.parse().ok()).collect();
            account
                .items
                .iter()
                .filter(|(at, _)| ids.contains(at))
                .take(50)
                .map(|(at, item)| flagged(*at, item))
                .collect()
        } else {
            let since: u64 = param("since_id").and_then(|s| s.parse().ok()).unwrap_or(0);
            account
                .items
                .iter()
                .filter(|(at, _)| *at > since)
                .take(50)
                .map(|(at, item)| flagged(*at, item))
                .collect()
        };
        result["total_items"] = json!(account.items.len());
        result["items"] = Value::Array(items);
    }
    let list = |set: &BTreeSet<u64>| set.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
    if has("unread_item_ids") {
        result["unread_item_ids"] = json!(list(&account.unread));
    }
    if has("saved_item_ids") {
        result["saved_item_ids"] = json!(list(&account.saved));
    }
    if let Some(mark) = param("mark") {
        let Some(Ok(id)) = param("id").map(|id| id.parse::<u64>()) else {
            return (400, "<h1>Bad Request</h1>".to_string());
        };
        if mark != "item" {
            return (400, "<h1>Bad Request</h1>".to_string());
        }
        if !account.items.iter().any(|(at, _)| *at == id) {
            return (404, "<h1>Not Found</h1>".to_string());
        }
        match param("as").as_deref() {
            Some("read") => account.unread.remove(&id),
            Some("unread") => account.unread.insert(id),
            Some("saved" | "unsaved") if shared.toggles.load(Ordering::SeqCst) => {
                account.saved.remove(&id) || account.saved.insert(id)
            }
            Some("saved") => account.saved.insert(id),
            Some("unsaved") => account.saved.remove(&id),
            _ => return (400, "<h1>Bad Request</h1>".to_string()),
        };
    }
    (200, result.to_string())
}
