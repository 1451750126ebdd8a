//! The fetcher's HTTP client: one GET of a feed, made safe to point at any
//! server on the internet. Only http and https leave the program, on the
//! first address and on every redirect; redirects are followed by hand so
//! each hop is checked, counted and remembered (a loop is caught at once,
//! and a chain of permanent moves tells the person to update the
//! subscription). Every request has a connect timeout and an overall one
//! that also covers a body trickled a byte at a time; the body is capped
//! after gzip decompression, so a gzip bomb fails instead of filling
//! memory; and at most [`HttpOptions::per_host`] requests are in flight to
//! one host at once.
//!
//! Conditional GET: the [`Validators`] of the last fetch go out as
//! `If-None-Match` / `If-Modified-Since`, and a 304 comes back as a
//! [`Response`] without a body.
//!
//! Built on ureq (blocking, rustls): the fetch runs on a few worker threads,
//! so no async runtime is needed.

mod error;
mod gate;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ureq::http::header::{
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderName, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, LOCATION, RETRY_AFTER,
};
use ureq::http::{HeaderMap, HeaderValue};
use url::Url;

pub use self::error::HttpError;
pub(crate) use self::error::parse_retry_after;
use self::gate::Gate;
use crate::store::feeds::check_url;

/// Settings of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOptions {
    /// Sent as `User-Agent`, so site owners can tell who fetches their feed.
    pub user_agent: String,
    /// The most time to set up a connection (DNS, TCP, TLS).
    pub connect_timeout: Duration,
    /// The most time for a whole GET: every hop of its redirects, each
    /// answer's headers and the body. Cuts servers that hang or trickle.
    pub timeout: Duration,
    /// The largest body accepted, counted after decompression (gzip bombs).
    pub max_bytes: u64,
    /// The most redirects followed for one GET.
    pub max_redirects: u8,
    /// At most this many requests in flight per `host:port`.
    pub per_host: usize,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            user_agent: format!(
                "broadsheet/{} (terminal news reader)",
                env!("CARGO_PKG_VERSION")
            ),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: 16 * 1024 * 1024,
            max_redirects: 5,
            per_host: 2,
        }
    }
}

/// The HTTP client of a fetch. Cheap to clone (an `Arc` inside) and
/// `Send + Sync`: the fetch's worker threads share one, and with it the
/// connection pool and the per-host limit.
#[derive(Debug, Clone)]
pub struct Http {
    inner: Arc<Inner>,
}

/// What the clones of an [`Http`] share.
#[derive(Debug)]
struct Inner {
    agent: ureq::Agent,
    options: HttpOptions,
    gate: Gate,
}

/// What a server said about the version it sent, to ask next time whether
/// it changed (conditional GET). Kept per feed between fetches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// The `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified`, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// A successful GET: a body, or "not modified".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The final address, after redirects (as the url crate normalises it:
    /// `HTTP://Example.com` becomes `http://example.com/`).
    pub url: String,
    /// The final address when every redirect on the way was permanent (301
    /// or 308): the feed has moved and the subscription should be updated.
    pub moved_to: Option<String>,
    /// The body, decompressed; `None` on 304 Not Modified.
    pub body: Option<Vec<u8>>,
    /// This answer's `ETag` and `Last-Modified`; on a 304, those sent
    /// unless the 304 carried new ones.
    pub validators: Validators,
    /// The `Content-Type`, as the server said it.
    pub content_type: Option<String>,
}

/// What one hop of a GET came to.
enum Answer {
    /// A redirect to `location` (not yet resolved nor checked).
    Redirect { permanent: bool, location: String },
    /// The final answer: a body, or a 304.
    Final {
        body: Option<Vec<u8>>,
        validators: Validators,
        content_type: Option<String>,
    },
}

/// Where a ureq error happened, which decides what it means to a person.
#[derive(Clone, Copy)]
enum Phase {
    /// Connecting, sending the request, waiting for the headers.
    Answer,
    /// Reading the body.
    Body,
}

/// A GET's redirect chain so far.
struct Chain<'a> {
    /// The address asked for, which every error names.
    asked: &'a str,
    /// Every address requested, to catch a loop.
    seen: HashSet<String>,
    /// Redirects followed.
    hops: u8,
    /// Whether every redirect followed was permanent.
    permanent: bool,
    /// Time spent in requests (not waiting for the per-host limit).
    spent: Duration,
}

impl Http {
    /// A client with these settings.
    pub fn new(options: HttpOptions) -> Http {
        let agent = agent(&options);
        let gate = Gate::new(options.per_host);
        Http {
            inner: Arc::new(Inner {
                agent,
                options,
                gate,
            }),
        }
    }

    /// GET `url`, sending If-None-Match / If-Modified-Since from
    /// `validators`, following redirects (each checked) up to the limit.
    pub fn get(&self, url: &str, validators: &Validators) -> Result<Response, HttpError> {
        let mut current = first_url(url)?;
        let mut chain = Chain::new(url, &current);
        loop {
            match self.hop(&current, validators, &mut chain)? {
                Answer::Redirect {
                    permanent,
                    location,
                } => {
                    let limit = self.inner.options.max_redirects;
                    current = chain.follow(&current, &location, permanent, limit)?;
                }
                Answer::Final {
                    body,
                    validators,
                    content_type,
                } => {
                    let moved_to = chain.moved().then(|| current.to_string());
                    return Ok(Response {
                        url: current.into(),
                        moved_to,
                        body,
                        validators,
                        content_type,
                    });
                }
            }
        }
    }

    /// One request of a GET, with its place under the per-host limit held
    /// until its body is read, and its time taken from the GET's budget.
    fn hop(
        &self,
        url: &Url,
        validators: &Validators,
        chain: &mut Chain<'_>,
    ) -> Result<Answer, HttpError> {
        let _permit = self.inner.gate.enter(&host_key(url));
        let left = self.inner.options.timeout.saturating_sub(chain.spent);
        if left.is_zero() {
            return Err(HttpError::TimedOut {
                url: chain.asked.to_string(),
            });
        }
        let started = Instant::now();
        let answer = self.exchange(chain.asked, url, validators, left);
        chain.spent += started.elapsed();
        answer
    }

    /// Sends the request and reads what came back.
    fn exchange(
        &self,
        asked: &str,
        url: &Url,
        sent: &Validators,
        left: Duration,
    ) -> Result<Answer, HttpError> {
        let mut response = request(&self.inner.agent, url, sent, left)
            .call()
            .map_err(|err| failure(asked, err, Phase::Answer))?;
        let code = response.status().as_u16();
        let headers = response.headers();
        match code {
            301 | 302 | 303 | 307 | 308 => redirect(asked, code, headers),
            304 => not_modified(asked, headers, sent),
            200..=299 => self.read_body(asked, &mut response),
            _ => Err(HttpError::Status {
                url: asked.to_string(),
                code,
                retry_after: retry_after(code, headers),
            }),
        }
    }

    /// The body of a 2xx answer, under the size cap.
    fn read_body(
        &self,
        asked: &str,
        response: &mut ureq::http::Response<ureq::Body>,
    ) -> Result<Answer, HttpError> {
        let limit = self.inner.options.max_bytes;
        let too_large = || HttpError::TooLarge {
            url: asked.to_string(),
            limit,
        };
        // A declared length over the cap fails before a byte is read. With
        // gzip it is the compressed length, which is larger than the body
        // itself only for incompressible data, and then by a fraction of a
        // percent.
        if content_length(response.headers()).is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        let validators = validators_of(response.headers());
        let content_type = text(response.headers(), &CONTENT_TYPE);
        let body = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|err| failure(asked, err, Phase::Body))?;
        Ok(Answer::Final {
            body: Some(body),
            validators,
            content_type,
        })
    }
}

impl<'a> Chain<'a> {
    /// A chain that starts at `first`.
    fn new(asked: &'a str, first: &Url) -> Chain<'a> {
        Chain {
            asked,
            seen: HashSet::from([first.to_string()]),
            hops: 0,
            permanent: true,
            spent: Duration::ZERO,
        }
    }

    /// The next address, from a redirect at `from` to `location`: resolved
    /// against `from`, checked like the first, and counted.
    fn follow(
        &mut self,
        from: &Url,
        location: &str,
        permanent: bool,
        limit: u8,
    ) -> Result<Url, HttpError> {
        let next = redirect_target(self.asked, from, location)?;
        let too_many = |looped| HttpError::TooManyRedirects {
            url: self.asked.to_string(),
            limit,
            looped,
        };
        if self.seen.contains(next.as_str()) {
            return Err(too_many(true));
        }
        if self.hops >= limit {
            return Err(too_many(false));
        }
        self.hops += 1;
        self.permanent &= permanent;
        self.seen.insert(next.to_string());
        Ok(next)
    }

    /// Whether the feed has moved for good: redirected, permanently only.
    fn moved(&self) -> bool {
        self.hops > 0 && self.permanent
    }
}

/// The agent every request goes through: ureq's own redirects and status
/// errors off, as they are handled here.
fn agent(options: &HttpOptions) -> ureq::Agent {
    // A User-Agent that cannot be a header would fail every request.
    let user_agent = match HeaderValue::from_str(&options.user_agent) {
        Ok(_) => options.user_agent.clone(),
        Err(_) => HttpOptions::default().user_agent,
    };
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(user_agent)
        .timeout_connect(Some(options.connect_timeout))
        .timeout_global(Some(options.timeout))
        .build();
    ureq::Agent::new_with_config(config)
}

/// The GET of one hop, with the validators and what is left of the time.
fn request(
    agent: &ureq::Agent,
    url: &Url,
    sent: &Validators,
    left: Duration,
) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
    let mut request = agent.get(url.as_str());
    // A validator that cannot be a header (a hand-edited state file) is
    // left out: the feed is then fetched whole, which is always correct.
    for (name, value) in [
        (IF_NONE_MATCH, &sent.etag),
        (IF_MODIFIED_SINCE, &sent.last_modified),
    ] {
        if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            request = request.header(name, value);
        }
    }
    request.config().timeout_global(Some(left)).build()
}

/// The address asked for, if it may be fetched.
fn first_url(url: &str) -> Result<Url, HttpError> {
    let bad = |reason: String| HttpError::BadUrl {
        url: url.to_string(),
        reason,
    };
    // The same check as `feed add` and OPML import: a hand-edited feeds
    // file (`http:127.0.0.1/x`, no `//`) is not read leniently as another
    // address.
    check_url(url.trim()).map_err(&bad)?;
    let parsed =
        Url::parse(url.trim()).map_err(|err| bad(format!("the address cannot be read ({err})")))?;
    check_fetchable(&parsed).map_err(bad)?;
    Ok(parsed)
}

/// A redirect's `Location`, resolved against the address that sent it, if
/// it may be fetched.
fn redirect_target(asked: &str, from: &Url, location: &str) -> Result<Url, HttpError> {
    let bad = |reason: String| HttpError::BadUrl {
        url: asked.to_string(),
        reason,
    };
    let mut next = from.join(location.trim()).map_err(|err| {
        bad(format!(
            "it redirects to an address that cannot be read ({err})"
        ))
    })?;
    // The fragment never reaches the server: without it, the same
    // resource is recognised however the Location spelled it.
    next.set_fragment(None);
    check_fetchable(&next)
        .map_err(|reason| bad(format!("it redirects to {next}, where {reason}")))?;
    Ok(next)
}

/// Why an address may not be fetched, if it may not: only http and https
/// with a host.
fn check_fetchable(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(format!(
                "the scheme is `{other}:`: only http and https addresses are fetched"
            ));
        }
    }
    match url.host_str() {
        Some(host) if !host.is_empty() => Ok(()),
        _ => Err("there is no host".to_string()),
    }
}

/// What the per-host limit counts by, for an address as written: host and
/// port; "" for an address that does not parse. The fetcher's waits for a
/// host (Retry-After) count by the same.
pub fn host_key_of(url: &str) -> String {
    Url::parse(url)
        .map(|url| host_key(&url))
        .unwrap_or_default()
}

/// What the per-host limit counts by: host and port, as two ports of one
/// host are usually two servers.
fn host_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// A redirect answer. One without a usable `Location` goes nowhere: it is
/// reported as the status it is.
fn redirect(asked: &str, code: u16, headers: &HeaderMap) -> Result<Answer, HttpError> {
    match text(headers, &LOCATION) {
        Some(location) if !location.trim().is_empty() => Ok(Answer::Redirect {
            permanent: matches!(code, 301 | 308),
            location,
        }),
        _ => Err(HttpError::Status {
            url: asked.to_string(),
            code,
            retry_after: None,
        }),
    }
}

/// A 304. It only means something as the answer to a conditional GET: to
/// a plain one (nothing to compare with) it is a broken server.
fn not_modified(asked: &str, headers: &HeaderMap, sent: &Validators) -> Result<Answer, HttpError> {
    if sent.etag.is_none() && sent.last_modified.is_none() {
        return Err(HttpError::Status {
            url: asked.to_string(),
            code: 304,
            retry_after: None,
        });
    }
    let fresh = validators_of(headers);
    Ok(Answer::Final {
        body: None,
        validators: Validators {
            etag: fresh.etag.or_else(|| sent.etag.clone()),
            last_modified: fresh.last_modified.or_else(|| sent.last_modified.clone()),
        },
        content_type: None,
    })
}

/// The validators of an answer.
fn validators_of(headers: &HeaderMap) -> Validators {
    Validators {
        etag: text(headers, &ETAG),
        last_modified: text(headers, &LAST_MODIFIED),
    }
}

/// How long a 429 or 503 asks to wait. Other statuses' `Retry-After` is
/// not about trying again later, so it is ignored.
fn retry_after(code: u16, headers: &HeaderMap) -> Option<Duration> {
    if !matches!(code, 429 | 503) {
        return None;
    }
    parse_retry_after(&text(headers, &RETRY_AFTER)?, chrono::Utc::now())
}

/// The declared body length, when it is a number.
fn content_length(headers: &HeaderMap) -> Option<u64> {
    text(headers, &CONTENT_LENGTH)?.trim().parse().ok()
}

/// A header's value as text. A value that is not visible ASCII is taken
/// as absent: no header used here may carry anything else.
fn text(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    Some(value.to_string())
}

/// A ureq error as a person's error, by what it is and where it happened.
fn failure(asked: &str, err: ureq::Error, phase: Phase) -> HttpError {
    let url = asked.to_string();
    match err {
        ureq::Error::Timeout(_) => HttpError::TimedOut { url },
        ureq::Error::BodyExceedsLimit(limit) => HttpError::TooLarge { url, limit },
        ureq::Error::Io(io) if is_timeout(&io) => HttpError::TimedOut { url },
        ureq::Error::Io(io) => by_phase(url, describe(&io), phase),
        ureq::Error::Decompress(_, io) if is_timeout(&io) => HttpError::TimedOut { url },
        ureq::Error::Decompress(_, io) => HttpError::Body {
            url,
            reason: format!("the gzip data is damaged: {io}"),
        },
        ureq::Error::HostNotFound => HttpError::Connect {
            url,
            reason: "the host name was not found".into(),
        },
        ureq::Error::BadUri(reason) => HttpError::BadUrl { url, reason },
        ureq::Error::Protocol(err) => HttpError::Body {
            url,
            reason: format!("the answer is not valid HTTP: {err}"),
        },
        ureq::Error::LargeResponseHeader(..) => HttpError::Body {
            url,
            reason: "the answer's headers are too large".into(),
        },
        other => by_phase(url, other.to_string(), phase),
    }
}

/// Any other error: a connection problem before the answer, a broken
/// download during the body.
fn by_phase(url: String, reason: String, phase: Phase) -> HttpError {
    match phase {
        Phase::Answer => HttpError::Connect { url, reason },
        Phase::Body => HttpError::Body { url, reason },
    }
}

/// An I/O error as a person reads it: ureq's "peer disconnected" says
/// little, the system's messages say enough.
fn describe(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "the connection closed before the whole answer arrived".to_string()
        }
        _ => err.to_string(),
    }
}

/// Whether an I/O error is a socket timeout (Linux reports a read timeout
/// as `WouldBlock`).
fn is_timeout(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn only_http_and_https_with_a_host_are_fetched() {
        assert!(first_url("https://example.com/feed").is_ok());
        assert!(first_url("HTTP://Example.com/feed").is_ok());
        for bad in [
            "ftp://example.com/feed",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "example.com/feed",
            "http://",
            "",
        ] {
            let err = first_url(bad).err();
            assert!(
                matches!(err, Some(HttpError::BadUrl { ref url, .. }) if url == bad),
                "{bad}: {err:?}"
            );
        }
    }

    #[test]
    fn redirects_resolve_relative_locations_and_refuse_other_schemes() {
        let from = url("http://example.com/a/feed?x=1");
        let target = |location| redirect_target("asked", &from, location);
        assert_eq!(
            target("other").map(String::from),
            Ok("http://example.com/a/other".into())
        );
        assert_eq!(
            target("//cdn.example.net/f#top").map(String::from),
            Ok("http://cdn.example.net/f".into())
        );
        let err = target("file:///etc/passwd").err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.starts_with(
                "asked: it redirects to file:///etc/passwd, where the scheme is `file:`"
            )),
            "{err:?}"
        );
    }

    #[test]
    fn a_chain_counts_hops_catches_loops_and_tracks_permanence() {
        let start = url("http://a/1");
        let mut chain = Chain::new("http://a/1", &start);
        let second = chain.follow(&start, "/2", true, 2);
        assert!(second.is_ok());
        assert!(chain.moved());
        let third = chain.follow(&url("http://a/2"), "/3", false, 2);
        assert!(third.is_ok());
        assert!(!chain.moved(), "a temporary hop means no move");
        let err = chain.follow(&url("http://a/3"), "/4", true, 2).err();
        assert!(matches!(
            err,
            Some(HttpError::TooManyRedirects { looped: false, .. })
        ));
        let err = chain.follow(&url("http://a/3"), "/1", true, 2).err();
        assert!(matches!(
            err,
            Some(HttpError::TooManyRedirects { looped: true, .. })
        ));
    }

    #[test]
    fn host_key_has_the_port_even_when_implied() {
        assert_eq!(host_key(&url("https://example.com/f")), "example.com:443");
        assert_eq!(host_key(&url("http://127.0.0.1:8080/f")), "127.0.0.1:8080");
    }

    #[test]
    fn a_304_keeps_the_validators_sent_unless_it_has_new_ones() {
        let sent = Validators {
            etag: Some("\"v1\"".into()),
            last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
        };
        let mut headers = HeaderMap::new();
        headers.insert(ETAG, HeaderValue::from_static("\"v2\""));
        let answer = not_modified("u", &headers, &sent);
        let Ok(Answer::Final { validators, .. }) = answer else {
            panic!("a 304 to a conditional GET is an answer");
        };
        assert_eq!(validators.etag.as_deref(), Some("\"v2\""));
        assert_eq!(validators.last_modified, sent.last_modified);
        let plain = not_modified("u", &headers, &Validators::default());
        assert!(matches!(plain, Err(HttpError::Status { code: 304, .. })));
    }

    #[test]
    fn http_is_shared_by_threads() {
        fn shareable<T: Send + Sync + Clone>() {}
        shareable::<Http>();
    }
}
