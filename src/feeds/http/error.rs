//! Why a fetch failed, said so a person knows what to do: each error names
//! the feed's address and its message ends with the next step. Also the
//! reading of `Retry-After`, which only an error carries.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};

/// Why a GET did not give a body or a "not modified".
///
/// `url` is always the address that was asked for (the subscription), not
/// a hop of a redirect chain, so the caller can tell which feed failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// The address is not http or https, does not parse or has no host;
    /// also a redirect to such an address (`file:`, `ftp:`, `javascript:`).
    BadUrl {
        /// The address asked for.
        url: String,
        /// What is wrong with it, or with the address it redirects to.
        reason: String,
    },
    /// No connection: the name did not resolve, the port refused, TLS failed.
    Connect {
        /// The address asked for.
        url: String,
        /// What went wrong, as the system or the TLS library said it.
        reason: String,
    },
    /// No complete answer within the timeout (connecting, headers or body).
    TimedOut {
        /// The address asked for.
        url: String,
    },
    /// The final answer was neither 2xx nor 304.
    Status {
        /// The address asked for.
        url: String,
        /// The HTTP status code.
        code: u16,
        /// How long the server asks to wait, from `Retry-After` on 429 and 503.
        retry_after: Option<Duration>,
    },
    /// The body is larger than the cap (after decompression): by its
    /// `Content-Length` or as it was read. Never silently truncated.
    TooLarge {
        /// The address asked for.
        url: String,
        /// The cap, in bytes.
        limit: u64,
    },
    /// More than `limit` redirects, or a redirect back to an address
    /// already visited (`looped`).
    TooManyRedirects {
        /// The address asked for.
        url: String,
        /// The most redirects followed.
        limit: u8,
        /// Whether the chain came back to an address it had visited,
        /// rather than running past the limit.
        looped: bool,
    },
    /// The body broke off, its gzip is damaged, or the answer is not HTTP.
    Body {
        /// The address asked for.
        url: String,
        /// What went wrong.
        reason: String,
    },
}

impl HttpError {
    /// The address that was asked for.
    pub fn url(&self) -> &str {
        match self {
            HttpError::BadUrl { url, .. }
            | HttpError::Connect { url, .. }
            | HttpError::TimedOut { url }
            | HttpError::Status { url, .. }
            | HttpError::TooLarge { url, .. }
            | HttpError::TooManyRedirects { url, .. }
            | HttpError::Body { url, .. } => url,
        }
    }

    /// How long the server asked to wait before the next try, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            HttpError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// 404 or 410: the feed vanished.
    pub fn is_gone(&self) -> bool {
        matches!(
            self,
            HttpError::Status {
                code: 404 | 410,
                ..
            }
        )
    }
}

impl HttpError {
    /// The error as said of a web page (an item's page fetched for its full
    /// text), not of a feed: a 404 is a missing page, not a missing feed,
    /// and the next step is not to unsubscribe.
    pub fn page_message(&self) -> String {
        match self {
            HttpError::Status { url, code, .. } => {
                let what = match code {
                    404 => {
                        "404 Not Found: the page is not there (the article's link is broken, or the page was taken down)"
                    }
                    410 => "410 Gone: the page was taken down",
                    401 => "401 Unauthorized: the page is not public",
                    403 => "403 Forbidden: the page is not public",
                    _ => return self.to_string(),
                };
                format!("{url}: the server answered {what}; the article keeps the feed's text")
            }
            HttpError::TooLarge { url, limit } => format!(
                "{url}: the page is larger than {}, the most a page may be; the article keeps the feed's text",
                size(*limit)
            ),
            _ => self.to_string(),
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::BadUrl { url, reason } => write!(
                f,
                "{url}: {reason}; check the address, or remove it with \
                 `broadsheet feed remove`"
            ),
            HttpError::Connect { url, reason } => write!(
                f,
                "{url}: could not connect ({reason}): check the address and the \
                 network connection, then try again"
            ),
            HttpError::TimedOut { url } => write!(
                f,
                "{url}: no complete answer in time: the server hangs or is very slow; \
                 try again later"
            ),
            HttpError::Status {
                url,
                code,
                retry_after,
            } => write_status(f, url, *code, *retry_after),
            HttpError::TooLarge { url, limit } => write!(
                f,
                "{url}: the answer is larger than {}, the most a feed may be: \
                 check that the address is a feed and not a large file",
                size(*limit)
            ),
            HttpError::TooManyRedirects { url, looped, .. } if *looped => write!(
                f,
                "{url}: the redirects go round in a loop: the site is misconfigured; \
                 try again later, or check the address in a browser"
            ),
            HttpError::TooManyRedirects { url, limit, .. } => write!(
                f,
                "{url}: more than {limit} redirects: the site sends the feed from \
                 address to address; check the address in a browser"
            ),
            HttpError::Body { url, reason } => write!(
                f,
                "{url}: the answer broke off or is damaged ({reason}); try again later"
            ),
        }
    }
}

impl std::error::Error for HttpError {}

/// The message of an unwelcome status: what the code means for the feed.
fn write_status(
    f: &mut fmt::Formatter<'_>,
    url: &str,
    code: u16,
    retry_after: Option<Duration>,
) -> fmt::Result {
    let (what, todo) = match code {
        404 => (
            "404 Not Found",
            "the feed is not there; check the address, or remove it with `broadsheet feed remove`",
        ),
        410 => (
            "410 Gone",
            "the feed was removed; remove it with `broadsheet feed remove`",
        ),
        401 | 403 => (
            if code == 401 {
                "401 Unauthorized"
            } else {
                "403 Forbidden"
            },
            "the feed is not public; check the address in a browser",
        ),
        429 => (
            "429 Too Many Requests",
            "the server wants fewer requests; try again later",
        ),
        304 => (
            "304 Not Modified to a request that asked for the whole feed",
            "the server is misconfigured; try again later",
        ),
        300..=399 => (
            "a redirect without an address to go to",
            "the site is misconfigured; check the address in a browser",
        ),
        500..=599 => ("a server error", "the site has trouble; try again later"),
        _ => ("an unexpected status", "check the address in a browser"),
    };
    write!(f, "{url}: the server answered ")?;
    if what.starts_with(|c: char| c.is_ascii_digit()) {
        write!(f, "{what}: {todo}")?;
    } else {
        write!(f, "{code} ({what}): {todo}")?;
    }
    match retry_after {
        Some(wait) => write!(f, " (it asks to wait {} s)", wait.as_secs()),
        None => Ok(()),
    }
}

/// A byte count as a person reads it: "16 MiB", "1500 bytes".
fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The wait a `Retry-After` value asks for, relative to `now`: either
/// delta-seconds or an HTTP-date (a date in the past means no wait). None
/// when it is neither.
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = parse_http_date(value)?;
    // A date already past asks for no wait at all, not a negative one.
    let wait = (when - now).to_std().unwrap_or(Duration::ZERO);
    Some(wait)
}

/// An HTTP-date in any of the three forms RFC 9110 says a recipient must
/// accept: IMF-fixdate, the obsolete RFC 850 form and asctime's.
fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(date) = DateTime::parse_from_rfc2822(value) {
        return Some(date.with_timezone(&Utc));
    }
    const OBSOLETE: [&str; 2] = ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"];
    OBSOLETE
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2015, 10, 21, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn retry_after_reads_seconds_and_the_three_date_forms() {
        let now = noon();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        let in_a_minute = Some(Duration::from_secs(60));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 12:01:00 GMT", now),
            in_a_minute
        );
        assert_eq!(
            parse_retry_after("Wednesday, 21-Oct-15 12:01:00 GMT", now),
            in_a_minute
        );
        assert_eq!(
            parse_retry_after("Wed Oct 21 12:01:00 2015", now),
            in_a_minute
        );
    }

    #[test]
    fn retry_after_in_the_past_is_no_wait_and_nonsense_is_none() {
        let now = noon();
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn every_message_names_the_url_and_says_what_to_do() {
        let url = "https://x/feed".to_string();
        let gone = HttpError::Status {
            url: url.clone(),
            code: 410,
            retry_after: None,
        };
        assert_eq!(
            gone.to_string(),
            "https://x/feed: the server answered 410 Gone: the feed was removed; \
             remove it with `broadsheet feed remove`"
        );
        let busy = HttpError::Status {
            url: url.clone(),
            code: 503,
            retry_after: Some(Duration::from_secs(120)),
        };
        assert!(busy.to_string().contains("503 (a server error)"));
        assert!(
            busy.to_string()
                .ends_with("try again later (it asks to wait 120 s)")
        );
        let big = HttpError::TooLarge {
            url: url.clone(),
            limit: 16 * 1024 * 1024,
        };
        assert!(big.to_string().contains("16 MiB"));
        let looped = HttpError::TooManyRedirects {
            url,
            limit: 5,
            looped: true,
        };
        assert!(looped.to_string().contains("loop"));
    }

    #[test]
    fn gone_is_404_and_410_only() {
        let status = |code| HttpError::Status {
            url: "http://x/".into(),
            code,
            retry_after: None,
        };
        assert!(status(404).is_gone());
        assert!(status(410).is_gone());
        assert!(!status(500).is_gone());
        assert!(!HttpError::TimedOut { url: "u".into() }.is_gone());
    }
}
