//! A small HTTP/1.1 server for the sync protocols' test servers, on
//! 127.0.0.1 only: every request (method, path, query, headers, body) goes
//! to one handler that keeps the service's state, and is logged; answers
//! are written whole in one write, `Connection: close`. A fault can be
//! queued for the next request to a path (an error status, a
//! `Retry-After`, a truncated body) before the handler is asked.
//!
//! tests/common/http_server.rs routes fixed answers by path alone; a sync
//! API needs the method and the body (forms, JSON) and state that changes
//! when written, hence this one.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;

/// How long the server waits for a request before giving up on it.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The most bytes of a request body read (a test never sends more).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One request, as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `POST`, `PUT`, …
    pub method: String,
    /// The path, without the query, percent-decoding not applied.
    pub path: String,
    /// The query's pairs, decoded.
    pub query: Vec<(String, String)>,
    /// The headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(seen, _)| *seen == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of the query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of the query parameter `name`, in order.
    pub fn params(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// The body read as a form, decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// Every value of the form field `name`, in order.
    pub fn form_values(&self, name: &str) -> Vec<String> {
        self.form()
            .into_iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value)
            .collect()
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The headers besides Content-Length and Connection.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// `status` with a text body.
    pub fn text(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![(
                "Content-Type".to_string(),
                "text/plain; charset=UTF-8".to_string(),
            )],
            body: body.as_bytes().to_vec(),
        }
    }

    /// `status` with a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body: body.to_string().into_bytes(),
        }
    }

    /// `status` with raw bytes as JSON (a truncated or malformed body).
    pub fn raw_json(status: u16, body: &[u8]) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body: body.to_vec(),
        }
    }

    /// An empty answer with `status` (204 and the like).
    pub fn empty(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The same answer with a header more.
    pub fn with_header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// The handler: the service's behaviour.
type Handler = dyn Fn(&Request) -> Answer + Send + Sync;

/// What the server's threads share with the test.
struct Shared {
    handler: Box<Handler>,
    log: Mutex<Vec<Request>>,
    faults: Mutex<VecDeque<(String, Answer)>>,
    stopped: AtomicBool,
}

/// A running server; stops accepting when dropped.
pub struct ApiServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

/// Locks a mutex, whether or not a test thread panicked holding it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ApiServer {
    /// Starts a server on 127.0.0.1 with `handler` answering every request.
    pub fn start(handler: impl Fn(&Request) -> Answer + Send + Sync + 'static) -> ApiServer {
        let listener =
            TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0 for a test server");
        let addr = listener.local_addr().expect("the test server's address");
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(VecDeque::new()),
            stopped: AtomicBool::new(false),
        });
        let accepting = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accepting.stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&accepting);
                thread::spawn(move || {
                    // A client that went away is no failure of the server.
                    let _ = serve(stream, &shared);
                });
            }
        });
        ApiServer { addr, shared }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Answers the next request whose path ends with `path_end` with
    /// `answer` instead of the handler (faults queue in order).
    pub fn fail_next(&self, path_end: &str, answer: Answer) {
        lock(&self.shared.faults).push_back((path_end.to_string(), answer));
    }

    /// Every request so far, in the order received.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.log).clone()
    }

    /// The path of every request so far, in the order received.
    pub fn paths(&self) -> Vec<String> {
        lock(&self.shared.log)
            .iter()
            .map(|r| r.path.clone())
            .collect()
    }

    /// How many requests had a path ending with `path_end`.
    pub fn count(&self, path_end: &str) -> usize {
        lock(&self.shared.log)
            .iter()
            .filter(|r| r.path.ends_with(path_end))
            .count()
    }

    /// Forgets the requests logged so far.
    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        // Wakes the accepting thread so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Reads one request, answers it, closes.
fn serve(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let Some(request) = read_request(&mut reader)? else {
        return Ok(());
    };
    lock(&shared.log).push(request.clone());
    let fault = {
        let mut faults = lock(&shared.faults);
        let at = faults
            .iter()
            .position(|(end, _)| request.path.ends_with(end.as_str()));
        at.and_then(|at| faults.remove(at))
            .map(|(_, answer)| answer)
    };
    let answer = fault.unwrap_or_else(|| (shared.handler)(&request));
    let mut out = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
    // As every HTTP server does: the server's time, which a client may
    // take as a mark of "now" on the server's clock.
    out.push_str(&format!(
        "Date: {}\r\n",
        chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT")
    ));
    for (name, value) in &answer.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        answer.body.len()
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&answer.body);
    let mut stream = stream;
    // One write per answer.
    stream.write_all(&bytes)?;
    stream.flush()
}

/// The request line, headers and body (Content-Length or chunked).
fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let (method, target) = (method.to_string(), target.to_string());
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
        if headers.len() > 200 {
            return Ok(None);
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(seen, _)| seen == name)
            .map(|(_, value): &(String, String)| value.clone())
    };
    let mut body = Vec::new();
    if let Some(length) = find("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(length.min(MAX_BODY), 0);
        reader.read_exact(&mut body)?;
    } else if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 || body.len() > MAX_BODY {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (target, String::new()),
    };
    let query = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Ok(Some(Request {
        method,
        path,
        query,
        headers,
        body,
    }))
}

/// The reason phrase of the statuses the test servers use.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
