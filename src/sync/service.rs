//! What every sync protocol gives the sync engine: the account's feeds, its
//! items in pages after a cursor, the ids of unread and starred items, and
//! read and starred changes sent in batches.
//!
//! Each protocol (`fever`, `greader`, `miniflux`) implements [`Service`];
//! the engine (journal, folder, state) works only through it, so a protocol
//! is tested against its server alone and the engine against any of them.

use std::fmt;

/// One subscription of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFeed {
    /// The server's id of the feed, as text (`feed/http://…`, `42`).
    pub id: String,
    /// The feed's title on the server.
    pub title: String,
    /// The feed's own address (what the server fetches).
    pub url: String,
    /// The site the feed belongs to, when the server knows it.
    pub site_url: Option<String>,
    /// The server's categories, labels or groups the feed is in.
    pub categories: Vec<String>,
}

/// One item (entry, article) of the account, as the server gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItem {
    /// The server's id of the item, as text; stable across syncs.
    pub id: String,
    /// The id of the [`RemoteFeed`] it belongs to.
    pub feed_id: String,
    /// The item's title (may be empty).
    pub title: String,
    /// The item's link, when it has one.
    pub url: Option<String>,
    /// The item's author, when named.
    pub author: Option<String>,
    /// When the item was published, in seconds since the Unix epoch (UTC).
    pub published: Option<i64>,
    /// The item's content as HTML (converted by the engine like a fetched
    /// item's).
    pub html: String,
    /// Whether the server has it read.
    pub read: bool,
    /// Whether the server has it starred (saved, bookmarked).
    pub starred: bool,
}

/// A page of items after a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemPage {
    /// The items of this page, in the server's order.
    pub items: Vec<RemoteItem>,
    /// Where the next page starts; the engine stores it once the page is
    /// written, so a stopped sync resumes there.
    pub next: Cursor,
    /// Whether more items wait after this page.
    pub more: bool,
}

/// Where an incremental read of items stands, as the protocol keeps it (the
/// highest item id seen, a timestamp, a continuation); opaque to the engine,
/// stored in its state as text. Empty means "from the start".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor(pub String);

/// An item's read and starred state as the server has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState {
    /// The server's id of the item.
    pub id: String,
    /// Read on the server.
    pub read: bool,
    /// Starred on the server.
    pub starred: bool,
}

/// The items whose state changed on the server since a mark, and the mark
/// to ask from next time (the protocol's own text, opaque to the engine;
/// empty: the protocol could not tell the server's time, and the engine
/// reads the whole id lists again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The items changed since the mark, with their state now.
    pub items: Vec<ItemState>,
    /// The mark for the next call.
    pub next: String,
}

/// The state a change sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    /// Read (on) or unread (off).
    Read,
    /// Starred (on) or not (off).
    Starred,
}

/// One change to send: a flag set on or off for some items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Which state.
    pub flag: Flag,
    /// Set (true) or cleared (false).
    pub on: bool,
    /// The server's ids of the items; the service batches them as its
    /// protocol allows, never one request per item where a batch call exists.
    pub ids: Vec<String>,
}

/// What the server did with a change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    /// The ids the server accepted.
    pub accepted: Vec<String>,
    /// The ids the server refused, each with its reason (kept in the journal
    /// and named to the person).
    pub refused: Vec<(String, String)>,
}

/// Why a call to the server failed. The password never appears here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// The server could not be reached (refused, timed out, DNS).
    Unreachable {
        /// The address called.
        url: String,
        /// What the network said.
        detail: String,
    },
    /// The server refused the user name or password (no retry).
    Login {
        /// The server's address.
        url: String,
        /// What the server said, if anything.
        detail: String,
    },
    /// The server answered an HTTP error.
    Status {
        /// The address called.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Seconds to wait, when the server said (Retry-After).
        retry_after: Option<u64>,
    },
    /// The answer could not be read (malformed or truncated JSON, a field of
    /// the wrong type where the whole answer depends on it).
    Malformed {
        /// The address called.
        url: String,
        /// What was wrong, with the place where it was found.
        detail: String,
    },
    /// The server refused the request and said why (Miniflux's
    /// `error_message`, a Google Reader `quickadd` error): a request the
    /// server will refuse again, so not retried.
    Refused {
        /// The address called.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The server's own words (control characters removed).
        detail: String,
    },
    /// The protocol has no call for this (Fever cannot subscribe).
    Unsupported {
        /// The protocol's name.
        protocol: &'static str,
        /// What was asked.
        what: &'static str,
    },
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Unreachable { url, detail } => {
                write!(
                    f,
                    "cannot reach {url}: {detail}; check the address and the network"
                )
            }
            SyncError::Login { url, detail } => write!(
                f,
                "{url} refused the user name or password{}; check the account's settings",
                if detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({detail})")
                }
            ),
            SyncError::Status {
                url,
                status,
                retry_after,
            } => match retry_after {
                Some(secs) => write!(f, "{url} answered {status}; it asks to wait {secs} s"),
                None => write!(f, "{url} answered {status}"),
            },
            SyncError::Malformed { url, detail } => {
                write!(f, "{url} gave an answer that cannot be read: {detail}")
            }
            SyncError::Refused {
                url,
                status,
                detail,
            } => write!(f, "{url} refused the request ({status}): {detail}"),
            SyncError::Unsupported { protocol, what } => {
                write!(f, "the {protocol} protocol has no way to {what}")
            }
        }
    }
}

impl std::error::Error for SyncError {}

/// One sync protocol spoken with one account. Implementations log in on
/// first use, renew an expired token once, and never print the password.
pub trait Service {
    /// The protocol's name, for messages (`Fever`, `Google Reader`, `Miniflux`).
    fn protocol(&self) -> &'static str;

    /// Every subscription of the account with its categories.
    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError>;

    /// Up to `limit` items after `after` (empty cursor: from the start), with
    /// their read and starred state.
    fn items(&mut self, after: &Cursor, limit: usize) -> Result<ItemPage, SyncError>;

    /// Fetches the given items by id (those the id lists name that the
    /// engine has not written yet).
    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError>;

    /// The ids of every unread item of the account.
    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError>;

    /// The ids of every starred item of the account.
    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError>;

    /// Sends one change, batched as the protocol allows.
    fn send(&mut self, change: &Change) -> Result<Sent, SyncError>;

    /// Subscribes the account to a feed address; `Unsupported` where the
    /// protocol has no call for it.
    fn subscribe(&mut self, url: &str) -> Result<RemoteFeed, SyncError>;

    /// The items whose read or starred state changed on the server since
    /// `since` (a mark this call gave before), so that a sync with nothing
    /// new need not read every unread and starred id. With `since` empty,
    /// no items: only the mark of the server's now, asked before the
    /// engine reads the whole id lists, so nothing changed meanwhile is
    /// missed. `None` where the protocol has no such call: the engine then
    /// reads the whole lists at every sync.
    fn changes_since(&mut self, _since: &str) -> Option<Result<Changes, SyncError>> {
        None
    }

    /// The items (or feeds) left out of answers since the last call, each
    /// with what was wrong (a field of the wrong type, an id in no known
    /// form), for the engine to name; the rest of the answer was used.
    fn take_skipped(&mut self) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// What a protocol needs to log in: the server's address, the user name and
/// the password (read by the engine from a command or the environment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The server's address as configured (`https://news.example.org/`);
    /// each protocol adds its own path (`fever/`, `api/greader.php`, `v1/`).
    pub url: String,
    /// The user name (or e-mail, as the server calls it).
    pub user: String,
    /// The password or API key.
    pub password: Secret,
}

/// A password or token: shown nowhere. Its `Debug` prints `***`, it has no
/// `Display`, and only [`Secret::expose`] gives the text, for a request.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password or token.
    pub fn new(text: String) -> Secret {
        Secret(text)
    }

    /// The text, for the request that sends it; never for a message.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// `text` with every control character (an escape sequence's ESC among
/// them) made a space and cut to 500 characters: what a protocol quotes
/// from a server in a skipped item's name or reason, safe for a terminal.
pub fn plain(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(500)
        .collect()
}

/// A server's words for a message (an error body): its first line, no
/// control characters, at most 200 characters.
pub fn server_words(text: &str) -> String {
    text.trim()
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_never_printed() {
        let credentials = Credentials {
            url: "http://127.0.0.1:1/".to_string(),
            user: "me".to_string(),
            password: Secret::new("hunter2".to_string()),
        };
        let shown = format!("{credentials:?}");
        assert!(
            !shown.contains("hunter2") && shown.contains("***"),
            "{shown}"
        );
    }
}
