//! The Google Reader API's answers as JSON, read leniently where the
//! services differ (a number sent as text, a label without its name) and
//! strictly where a wrong type means the value cannot be trusted.

use serde::Deserialize;
use serde_json::Value;

use super::super::service::RemoteItem;
use super::ids;

/// `subscription/list?output=json`.
#[derive(Debug, Deserialize)]
pub(super) struct SubscriptionList {
    /// Each subscription, read one by one so a bad one is skipped alone.
    pub(super) subscriptions: Vec<Value>,
}

/// One subscription.
#[derive(Debug, Deserialize)]
pub(super) struct Subscription {
    /// `feed/…`.
    pub(super) id: String,
    /// The title; some servers leave it out.
    #[serde(default)]
    pub(super) title: Option<String>,
    /// Labels (`user/-/label/X`), with their name where the server gives it.
    #[serde(default)]
    pub(super) categories: Vec<Category>,
    /// The feed's address.
    #[serde(default)]
    pub(super) url: Option<String>,
    /// The site's address.
    #[serde(default, rename = "htmlUrl")]
    pub(super) html_url: Option<String>,
}

/// A subscription's label.
#[derive(Debug, Deserialize)]
pub(super) struct Category {
    /// `user/-/label/X` (or `user/<user id>/label/X`).
    pub(super) id: String,
    /// `X`, where the server gives it.
    #[serde(default)]
    pub(super) label: Option<String>,
}

/// `tag/list?output=json`.
#[derive(Debug, Deserialize)]
pub(super) struct TagList {
    /// The labels and states.
    pub(super) tags: Vec<Tag>,
}

/// One tag.
#[derive(Debug, Deserialize)]
pub(super) struct Tag {
    /// `user/-/label/X` or `user/-/state/com.google/starred`.
    pub(super) id: String,
}

/// `stream/items/ids?output=json`.
#[derive(Debug, Deserialize)]
pub(super) struct ItemIds {
    /// The ids, short form; missing when the stream is empty (Google).
    #[serde(default, rename = "itemRefs")]
    pub(super) item_refs: Vec<ItemRef>,
    /// Where the next page starts, when there is one.
    #[serde(default)]
    pub(super) continuation: Option<Value>,
}

/// One id of `itemRefs`.
#[derive(Debug, Deserialize)]
pub(super) struct ItemRef {
    /// Short-form id, as text (Google, FreshRSS) or a number.
    pub(super) id: Value,
}

/// `stream/items/contents`.
#[derive(Debug, Deserialize)]
pub(super) struct Contents {
    /// Each item, read one by one.
    #[serde(default)]
    pub(super) items: Vec<Value>,
}

/// One item of `stream/items/contents`.
#[derive(Debug, Deserialize)]
pub(super) struct Item {
    /// Long-form id.
    pub(super) id: String,
    /// When the server first saw it, in milliseconds (text or number).
    #[serde(default, rename = "crawlTimeMsec")]
    pub(super) crawl_time_msec: Option<Value>,
    /// The same in microseconds (text or number).
    #[serde(default, rename = "timestampUsec")]
    pub(super) timestamp_usec: Option<Value>,
    /// Publication, seconds since the epoch.
    #[serde(default)]
    pub(super) published: Option<i64>,
    /// Title.
    #[serde(default)]
    pub(super) title: Option<String>,
    /// Author.
    #[serde(default)]
    pub(super) author: Option<String>,
    /// Links to the item; the first is its address.
    #[serde(default)]
    pub(super) alternate: Vec<Link>,
    /// Inoreader and others: the canonical link.
    #[serde(default)]
    pub(super) canonical: Vec<Link>,
    /// Content as HTML (full text).
    #[serde(default)]
    pub(super) content: Option<Html>,
    /// Summary as HTML (FreshRSS puts the whole content here).
    #[serde(default)]
    pub(super) summary: Option<Html>,
    /// States and labels: `user/-/state/com.google/read`, `…/starred`.
    #[serde(default)]
    pub(super) categories: Vec<String>,
    /// The feed it came from.
    pub(super) origin: Origin,
}

/// A link.
#[derive(Debug, Deserialize)]
pub(super) struct Link {
    /// The address.
    pub(super) href: String,
}

/// HTML content.
#[derive(Debug, Deserialize)]
pub(super) struct Html {
    /// The HTML.
    #[serde(default)]
    pub(super) content: String,
}

/// The feed an item came from.
#[derive(Debug, Deserialize)]
pub(super) struct Origin {
    /// `feed/…`.
    #[serde(rename = "streamId")]
    pub(super) stream_id: String,
}

/// `subscription/quickadd`.
#[derive(Debug, Deserialize)]
pub(super) struct QuickAdd {
    /// 1 when subscribed, 0 when not.
    #[serde(default, rename = "numResults")]
    pub(super) num_results: Option<i64>,
    /// The new feed's stream (`feed/…`; FreshRSS sends its number).
    #[serde(default, rename = "streamId")]
    pub(super) stream_id: Option<Value>,
    /// Its title, where the server gives it.
    #[serde(default, rename = "streamName")]
    pub(super) stream_name: Option<String>,
    /// Why not, where the server says (FreshRSS).
    #[serde(default)]
    pub(super) error: Option<String>,
}

/// Text or a number, as text (ids and continuations come either way).
pub(super) fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Whether a state category is `name` (`user/-/state/com.google/read` or
/// the same with the user's number for `-`).
fn has_state(categories: &[String], name: &str) -> bool {
    categories.iter().any(|category| {
        category.starts_with("user/") && category.ends_with(&format!("/state/com.google/{name}"))
    })
}

impl Item {
    /// When the server first saw the item, in whole seconds.
    pub(super) fn crawled_secs(&self) -> Option<i64> {
        let millis = self
            .crawl_time_msec
            .as_ref()
            .and_then(as_text)
            .and_then(|text| text.parse::<i64>().ok());
        let micros = self
            .timestamp_usec
            .as_ref()
            .and_then(as_text)
            .and_then(|text| text.parse::<i64>().ok());
        // Without either, the publication time stands in: an item of a
        // server that gives no crawl time still moves the cursor on.
        millis
            .map(|ms| ms.div_euclid(1000))
            .or_else(|| micros.map(|us| us.div_euclid(1_000_000)))
            .or(self.published)
    }

    /// The item as the engine takes it, with its canonical id; `Err` names
    /// an id in neither form.
    pub(super) fn into_remote(self) -> Result<RemoteItem, String> {
        let id = ids::canonical(&self.id)
            .ok_or_else(|| format!("its id {:?} is in no Google Reader form", self.id))?;
        let read = has_state(&self.categories, "read");
        let starred = has_state(&self.categories, "starred");
        let url = self
            .canonical
            .into_iter()
            .chain(self.alternate)
            .map(|link| link.href)
            .find(|href| !href.is_empty());
        let html = self
            .content
            .filter(|html| !html.content.is_empty())
            .or(self.summary)
            .map(|html| html.content)
            .unwrap_or_default();
        Ok(RemoteItem {
            id,
            feed_id: self.origin.stream_id,
            title: self.title.unwrap_or_default(),
            url,
            author: self.author.filter(|author| !author.is_empty()),
            published: self.published,
            html,
            read,
            starred,
        })
    }
}
