//! The sync protocols' HTTP client: one request, answered whole, made safe
//! to point at any server. Only http and https addresses are called (the
//! same check as feeds); every request has a connect timeout and an overall
//! one; answers are capped in size; redirects are not followed (an API that
//! redirects is misconfigured, and following one would carry the
//! credentials elsewhere). Status codes come back to the protocol, which
//! knows what a 401 means for it; [`Reply::error`] makes the common ones a
//! [`SyncError`].
//!
//! Nothing here logs or formats a header or a body that was sent: the
//! password and tokens travel only in requests.

use std::time::Duration;

use serde::de::DeserializeOwned;
use ureq::http::header::RETRY_AFTER;

use super::service::SyncError;
use crate::feeds::http::parse_retry_after;
use crate::store::feeds::check_url;

/// The most bytes an answer may have (a first sync asks for items in pages,
/// so no single answer of a well-behaved server comes near it).
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// How a request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

/// A request's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// `application/x-www-form-urlencoded` pairs (encoded here).
    Form(Vec<(String, String)>),
    /// A JSON document (already serialized).
    Json(String),
}

/// One answer, whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The address called (without credentials), for messages.
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The body (at most [`MAX_ANSWER_BYTES`]).
    pub body: Vec<u8>,
    /// The wait the server asked for with `Retry-After` (on 429 and 503).
    pub retry_after: Option<Duration>,
    /// The answer's headers (names lowercased), for a protocol that reads
    /// one (Google Reader's bad-token header).
    pub headers: Vec<(String, String)>,
}

/// The client: a ureq agent with the timeouts set.
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
}

impl Client {
    /// A client whose requests give up after `timeout` (connecting after
    /// at most 10 s of it).
    pub fn new(timeout: Duration) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("broadsheet/", env!("CARGO_PKG_VERSION")))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .timeout_global(Some(timeout))
            .build();
        Client {
            agent: ureq::Agent::new_with_config(config),
        }
    }

    /// Sends one request to `url` with `headers` (name, value) and `body`,
    /// and reads the whole answer, whatever its status.
    pub fn call(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Body,
    ) -> Result<Reply, SyncError> {
        check_callable(url)?;
        let unreachable = |err: ureq::Error| SyncError::Unreachable {
            url: url.to_string(),
            detail: err.to_string(),
        };
        let response = match (method, body) {
            (Method::Get, _) => with_headers(self.agent.get(url), headers).call(),
            (Method::Delete, _) => with_headers(self.agent.delete(url), headers).call(),
            (method, body) => {
                let builder = match method {
                    Method::Put => self.agent.put(url),
                    _ => self.agent.post(url),
                };
                let builder = with_headers(builder, headers);
                match body {
                    Body::Empty => builder.send_empty(),
                    Body::Form(pairs) => builder
                        .content_type("application/x-www-form-urlencoded")
                        .send(form_encoded(&pairs)),
                    Body::Json(text) => builder.content_type("application/json").send(text),
                }
            }
        };
        let mut response = response.map_err(unreachable)?;
        let status = response.status().as_u16();
        let retry_after = match status {
            429 | 503 => response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| parse_retry_after(value, chrono::Utc::now())),
            _ => None,
        };
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                let value = value.to_str().ok()?;
                Some((name.as_str().to_ascii_lowercase(), value.to_string()))
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(unreachable)?;
        Ok(Reply {
            url: url.to_string(),
            status,
            body,
            retry_after,
            headers,
        })
    }
}

impl Reply {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The common error for a status that is not 2xx: 401 and 403 as a
    /// refused login, anything else as the status (with its Retry-After).
    pub fn error(&self) -> SyncError {
        match self.status {
            401 | 403 => SyncError::Login {
                url: self.url.clone(),
                detail: format!("HTTP {}", self.status),
            },
            status => SyncError::Status {
                url: self.url.clone(),
                status,
                retry_after: self.retry_after.map(|wait| wait.as_secs()),
            },
        }
    }

    /// The body read as JSON of type `T`; a body that is not (truncated,
    /// HTML from a proxy, a field of the wrong type) is `Malformed`, with
    /// the line and column serde_json gives.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, SyncError> {
        serde_json::from_slice(&self.body).map_err(|err| SyncError::Malformed {
            url: self.url.clone(),
            detail: err.to_string(),
        })
    }

    /// The first value of the header `name` (any case), if the server sent it.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(seen, _)| *seen == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Adds each header that can be one; a name or value that cannot (a
/// control character in a configured user name) is left out, and the
/// server's refusal then names the problem.
fn with_headers<B>(
    mut builder: ureq::RequestBuilder<B>,
    headers: &[(&str, &str)],
) -> ureq::RequestBuilder<B> {
    for (name, value) in headers {
        let name = ureq::http::HeaderName::from_bytes(name.as_bytes());
        let value = ureq::http::HeaderValue::from_str(value);
        if let (Ok(name), Ok(value)) = (name, value) {
            builder = builder.header(name, value);
        }
    }
    builder
}

/// `pairs` as `application/x-www-form-urlencoded`.
pub fn form_encoded(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The address, if it may be called: http or https with a host, written as
/// `feed add` accepts.
fn check_callable(url: &str) -> Result<(), SyncError> {
    let bad = |detail: String| SyncError::Unreachable {
        url: url.to_string(),
        detail,
    };
    check_url(url).map_err(&bad)?;
    let parsed =
        url::Url::parse(url).map_err(|err| bad(format!("the address cannot be read ({err})")))?;
    match parsed.scheme() {
        "http" | "https" if parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        _ => Err(bad(
            "only http and https addresses with a host are called".to_string()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_escape_what_forms_must() {
        let pairs = vec![
            ("Email".to_string(), "me@example.org".to_string()),
            ("Passwd".to_string(), "a&b=c d".to_string()),
        ];
        assert_eq!(
            form_encoded(&pairs),
            "Email=me%40example.org&Passwd=a%26b%3Dc+d"
        );
    }

    #[test]
    fn only_web_addresses_are_called() {
        let client = Client::new(Duration::from_secs(1));
        for url in [
            "file:///etc/passwd",
            "ftp://127.0.0.1/x",
            "http:127.0.0.1/x",
        ] {
            let err = client.call(Method::Get, url, &[], Body::Empty);
            assert!(
                matches!(err, Err(SyncError::Unreachable { .. })),
                "{url}: {err:?}"
            );
        }
    }

    #[test]
    fn status_errors_name_the_address_and_the_wait() {
        let reply = Reply {
            url: "http://127.0.0.1:1/fever/".to_string(),
            status: 429,
            body: Vec::new(),
            retry_after: Some(Duration::from_secs(30)),
            headers: Vec::new(),
        };
        let message = reply.error().to_string();
        assert!(
            message.contains("127.0.0.1:1/fever/") && message.contains("30 s"),
            "{message}"
        );
        let login = Reply {
            status: 401,
            ..reply
        };
        assert!(matches!(login.error(), SyncError::Login { .. }));
    }
}
