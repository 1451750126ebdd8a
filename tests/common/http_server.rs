//! A small HTTP/1.1 server for tests, on 127.0.0.1 only: routes set and
//! changed while it runs, answers shaped to order (status, headers, ETag
//! and Last-Modified with 304s, gzip, a delay before the headers, a body
//! trickled a byte at a time, redirects), and a record of every request.
//!
//! ```ignore
//! let server = TestServer::start();
//! server.route("/feed", Reply::ok(RSS).etag("\"v1\"").content_type("application/rss+xml"));
//! server.route("/old", Reply::default().redirect(301, "/feed"));
//! fetch(&server.url("/old"));
//! assert_eq!(server.count("/feed"), 1);
//! ```
//!
//! One thread per connection, `Connection: close` on every answer. Routes
//! match the request target exactly (path and query); an unknown one is
//! answered by the [`TestServer::fallback`] closure if there is one, else
//! 404. The server stops accepting when dropped; a connection still being
//! answered ends on its own.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;

/// The most header lines a request may have: a client gone wrong must not
/// keep a test's server thread reading forever.
const MAX_HEADER_LINES: usize = 200;

/// How long the server waits for a request's head before giving up.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A closure answering requests no route matches; `None` means 404.
type Fallback = dyn Fn(&str) -> Option<Reply> + Send + Sync;

/// A running test server. Stops accepting connections when dropped.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

/// What the server's threads share with the test.
#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Reply>>,
    fallback: Mutex<Option<Arc<Fallback>>>,
    seen: Mutex<Vec<Seen>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    stopped: AtomicBool,
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The request target: path and query, as sent.
    pub path: String,
    /// The headers in the order sent, names lowercased.
    pub headers: Vec<(String, String)>,
    /// When the request's head had been read.
    pub at: Instant,
}

impl Seen {
    /// The first value of the header `name` (any case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(seen, _)| *seen == name)
            .map(|(_, value)| value.as_str())
    }
}

/// An answer to order. Built from [`Reply::ok`] (or `Reply::default()`, an
/// empty 200) and the methods below, which each return the changed reply.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Arc<Vec<u8>>,
    etag: Option<String>,
    last_modified: Option<String>,
    delay: Duration,
    trickle: Option<Duration>,
    without_length: bool,
}

impl Default for Reply {
    fn default() -> Reply {
        Reply::ok(Vec::new())
    }
}

impl Reply {
    /// 200 with `body`.
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: Arc::new(body.into()),
            etag: None,
            last_modified: None,
            delay: Duration::ZERO,
            trickle: None,
            without_length: false,
        }
    }

    /// Answer with status `code` instead (the body stays).
    pub fn status(mut self, code: u16) -> Reply {
        self.status = code;
        self
    }

    /// Adds a header. A `Content-Length` given here replaces the true one,
    /// to test a server that lies about it.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sends `ETag: tag`, and answers 304 without a body when the request's
    /// `If-None-Match` equals `tag` (give the quotes: `"\"v1\""`).
    pub fn etag(mut self, tag: &str) -> Reply {
        self.etag = Some(tag.to_string());
        self
    }

    /// Sends `Last-Modified: date`, and answers 304 when the request's
    /// `If-Modified-Since` equals it (and it sent no `If-None-Match` that
    /// an ETag decides on).
    pub fn last_modified(mut self, date: &str) -> Reply {
        self.last_modified = Some(date.to_string());
        self
    }

    /// Compresses the body (now, once) and sends `Content-Encoding: gzip`.
    pub fn gzip(mut self) -> Reply {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder
            .write_all(&self.body)
            .expect("gzip into memory cannot fail");
        let compressed = encoder.finish().expect("gzip into memory cannot fail");
        self.body = Arc::new(compressed);
        self.header("Content-Encoding", "gzip")
    }

    /// Waits this long after reading the request, before the headers.
    pub fn delay(mut self, wait: Duration) -> Reply {
        self.delay = wait;
        self
    }

    /// Sends the body one byte per `interval` (headers at once).
    pub fn trickle(mut self, interval: Duration) -> Reply {
        self.trickle = Some(interval);
        self
    }

    /// A redirect: status `code` with `Location: location`, and no body.
    pub fn redirect(mut self, code: u16, location: &str) -> Reply {
        self.status = code;
        self.body = Arc::new(Vec::new());
        self.header("Location", location)
    }

    /// Sends `Content-Type: value`.
    pub fn content_type(self, value: &str) -> Reply {
        self.header("Content-Type", value)
    }

    /// Sends no `Content-Length`: the body ends when the connection closes,
    /// so a client cannot know its size before reading it.
    pub fn without_length(mut self) -> Reply {
        self.without_length = true;
        self
    }

    /// Whether this reply was set a header `name` (any case).
    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(given, _)| given.eq_ignore_ascii_case(name))
    }

    /// Whether the request's validators match, so the answer is a 304.
    /// As in RFC 9110, an `If-None-Match` the ETag can decide on wins over
    /// `If-Modified-Since`.
    fn not_modified(&self, request: &Seen) -> bool {
        if let (Some(etag), Some(asked)) = (&self.etag, request.header("if-none-match")) {
            return asked == etag;
        }
        match (&self.last_modified, request.header("if-modified-since")) {
            (Some(date), Some(asked)) => asked == date,
            _ => false,
        }
    }
}

impl TestServer {
    /// A server on a free port of 127.0.0.1, accepting on its own thread.
    pub fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("the test server's address");
        let shared = Arc::new(Shared::default());
        let accepting = shared.clone();
        thread::Builder::new()
            .name("test-http-accept".into())
            .spawn(move || accept(listener, accepting))
            .expect("start the test server");
        TestServer { addr, shared }
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The full URL of `path` on this server (`/feed` → `http://127.0.0.1:…/feed`).
    pub fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://{}{slash}{path}", self.addr)
    }

    /// Answers `path` with `reply` from now on (replacing any earlier one).
    pub fn route(&self, path: &str, reply: Reply) {
        lock(&self.shared.routes).insert(path.to_string(), reply);
    }

    /// Answers `path` with 404 from now on.
    pub fn unroute(&self, path: &str) {
        lock(&self.shared.routes).remove(path);
    }

    /// Answers every path no route matches with `answer(path)` (404 when it
    /// gives `None`): many feeds without a route each.
    pub fn fallback(&self, answer: impl Fn(&str) -> Option<Reply> + Send + Sync + 'static) {
        *lock(&self.shared.fallback) = Some(Arc::new(answer));
    }

    /// Every request received so far, in the order their heads were read.
    pub fn requests(&self) -> Vec<Seen> {
        lock(&self.shared.seen).clone()
    }

    /// How many requests for `path` were received.
    pub fn count(&self, path: &str) -> usize {
        lock(&self.shared.seen)
            .iter()
            .filter(|seen| seen.path == path)
            .count()
    }

    /// The most requests being answered at once so far (from the request
    /// read to the last byte of the answer written), over all paths.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees the flag and ends.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

/// A lock on the server's state. A test thread that panicked while holding
/// it leaves data still worth reading.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Accepts connections until the server is dropped, one thread each.
fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopped.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let shared = shared.clone();
        // A connection the server cannot answer is the client's failure to
        // see, not the server's to report.
        let _ = thread::Builder::new()
            .name("test-http-conn".into())
            .spawn(move || {
                let _ = serve(stream, &shared);
            });
    }
}

/// Reads one request and answers it.
fn serve(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_nodelay(true)?;
    let Some(request) = read_request(&stream)? else {
        return Ok(());
    };
    lock(&shared.seen).push(request.clone());
    let busy = InFlight::enter(shared);
    let reply = reply_for(shared, &request.path);
    thread::sleep(reply.delay);
    // Counted out before the reply is written: a client that has read it
    // may send its next request before this thread is past the write,
    // and the two would be counted at once though the client never had
    // them both out.
    drop(busy);
    write_reply(&mut stream, &reply, &request)?;
    stream.flush()?;
    // Closing our half tells a client reading to the end that it is there.
    stream.shutdown(Shutdown::Write)
}

/// Counts a request as being answered while it lives.
struct InFlight<'a>(&'a Shared);

impl<'a> InFlight<'a> {
    fn enter(shared: &'a Shared) -> InFlight<'a> {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(shared)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The request's head: its target and headers. `None` when the client
/// closed without sending one (as the drop's wake-up connection does).
fn read_request(stream: &TcpStream) -> io::Result<Option<Seen>> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    for _ in 0..MAX_HEADER_LINES {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    Ok(Some(Seen {
        path,
        headers,
        at: Instant::now(),
    }))
}

/// The reply for `path`: its route, else the fallback's, else 404.
fn reply_for(shared: &Shared, path: &str) -> Reply {
    if let Some(reply) = lock(&shared.routes).get(path) {
        return reply.clone();
    }
    let fallback = lock(&shared.fallback).clone();
    fallback
        .and_then(|answer| answer(path))
        .unwrap_or_else(|| Reply::ok("not found\n").status(404))
}

/// Writes the status line, headers and body (or a 304 without one).
fn write_reply(stream: &mut TcpStream, reply: &Reply, request: &Seen) -> io::Result<()> {
    let not_modified = reply.not_modified(request);
    let status = if not_modified { 304 } else { reply.status };
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in validator_headers(reply) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !not_modified {
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !reply.without_length && !reply.has_header("content-length") {
            head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    if not_modified {
        return Ok(());
    }
    write_body(stream, &reply.body, reply.trickle)
}

/// The `ETag` and `Last-Modified` headers the reply was given.
fn validator_headers(reply: &Reply) -> Vec<(&'static str, &str)> {
    let mut headers = Vec::new();
    if let Some(etag) = &reply.etag {
        headers.push(("ETag", etag.as_str()));
    }
    if let Some(date) = &reply.last_modified {
        headers.push(("Last-Modified", date.as_str()));
    }
    headers
}

/// The body, at once or a byte per `trickle`. A client that hung up ends
/// the writing with an error, which ends the connection's thread.
fn write_body(stream: &mut TcpStream, body: &[u8], trickle: Option<Duration>) -> io::Result<()> {
    let Some(interval) = trickle else {
        return stream.write_all(body);
    };
    stream.flush()?;
    for byte in body {
        thread::sleep(interval);
        stream.write_all(&[*byte])?;
        stream.flush()?;
    }
    Ok(())
}

/// The reason phrase of a status line (clients ignore it; people read it
/// in captures).
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
