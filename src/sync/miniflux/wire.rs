//! Miniflux's `/v1/` answers as JSON, as its API reference and its Go
//! client (`client/model.go`) describe them.

use serde::Deserialize;
use serde_json::Value;

use super::super::service::{RemoteFeed, RemoteItem};

/// A feed of `GET /v1/feeds`.
#[derive(Debug, Deserialize)]
pub(super) struct Feed {
    pub(super) id: i64,
    #[serde(default)]
    pub(super) title: String,
    pub(super) feed_url: String,
    #[serde(default)]
    pub(super) site_url: Option<String>,
    #[serde(default)]
    pub(super) category: Option<Category>,
}

/// A category (`GET /v1/categories`, and inside a feed).
#[derive(Debug, Deserialize)]
pub(super) struct Category {
    pub(super) id: i64,
    #[serde(default)]
    pub(super) title: String,
}

/// `GET /v1/entries`.
#[derive(Debug, Deserialize)]
pub(super) struct Entries {
    /// How many entries match the filters (without limit and offset).
    #[serde(default)]
    pub(super) total: Option<u64>,
    /// Each entry, read one by one so a bad one is skipped alone.
    #[serde(default)]
    pub(super) entries: Vec<Value>,
}

/// One entry.
#[derive(Debug, Deserialize)]
pub(super) struct Entry {
    pub(super) id: i64,
    pub(super) feed_id: i64,
    /// `unread`, `read` or `removed`.
    pub(super) status: String,
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) url: String,
    #[serde(default)]
    pub(super) author: String,
    /// RFC 3339.
    #[serde(default)]
    pub(super) published_at: Option<String>,
    #[serde(default)]
    pub(super) content: String,
    #[serde(default)]
    pub(super) starred: bool,
}

/// `POST /v1/feeds` answer.
#[derive(Debug, Deserialize)]
pub(super) struct Created {
    pub(super) feed_id: i64,
}

/// An error answer: `{"error_message": "…"}`.
#[derive(Debug, Deserialize)]
pub(super) struct ErrorBody {
    pub(super) error_message: String,
}

impl Feed {
    /// The feed as the engine takes it.
    pub(super) fn into_remote(self) -> RemoteFeed {
        RemoteFeed {
            id: self.id.to_string(),
            title: if self.title.is_empty() {
                self.feed_url.clone()
            } else {
                self.title
            },
            url: self.feed_url,
            site_url: self.site_url.filter(|url| !url.is_empty()),
            categories: self
                .category
                .map(|category| category.title)
                .filter(|title| !title.is_empty())
                .into_iter()
                .collect(),
        }
    }
}

impl Entry {
    /// The entry as the engine takes it; `Err` names a removed entry or a
    /// date that is not RFC 3339.
    pub(super) fn into_remote(self) -> Result<RemoteItem, String> {
        if self.status == "removed" {
            // Deleted in Miniflux: not an article to write.
            return Err("removed on the server".to_string());
        }
        let published = match self.published_at.as_deref() {
            None | Some("") => None,
            Some(text) => Some(
                chrono::DateTime::parse_from_rfc3339(text)
                    .map_err(|err| format!("published_at {text:?} is not a date ({err})"))?
                    .timestamp(),
            ),
        };
        Ok(RemoteItem {
            id: self.id.to_string(),
            feed_id: self.feed_id.to_string(),
            title: self.title,
            url: Some(self.url).filter(|url| !url.is_empty()),
            author: Some(self.author).filter(|author| !author.is_empty()),
            published,
            html: self.content,
            read: self.status == "read",
            starred: self.starred,
        })
    }
}
