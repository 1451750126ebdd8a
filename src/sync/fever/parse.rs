//! Reading Fever answers: pure functions from the JSON a server sent to
//! feeds, items and id lists, testable without a server.
//!
//! Servers differ in the types they use: coldsweat and Miniflux send item
//! ids as numbers, FreshRSS as strings (its ids are 16-digit timestamps);
//! flags come as `0`/`1`. Both forms are read. An item or feed whose field
//! has a type no server uses is skipped and named in a warning, so one bad
//! item never fails its page.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::sync::service::{RemoteFeed, RemoteItem};

/// An id as Fever servers send it: a non-negative integer, or a string of
/// ASCII digits. Kept as text (no leading `+`, no sign, no spaces).
pub fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(number) => number.as_u64().map(|n| n.to_string()),
        Value::String(text) if is_digits(text) => Some(text.clone()),
        _ => None,
    }
}

/// Whether `text` is a Fever id: one or more ASCII digits and nothing else.
pub fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Orders two ids numerically (both digit strings): the longer (without
/// leading zeros) is the larger, then by text. No overflow whatever their
/// length.
pub fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// What a field of the wrong type looks like in a warning: its JSON type.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A text field: absent or null is `None`; a string is itself; anything
/// else is an error naming the field.
fn text_field(object: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(format!("`{name}` is {} (expected text)", kind(other))),
    }
}

/// A 0/1 flag (also `true`/`false` and `"0"`/`"1"`); absent is false.
fn flag_field(object: &Map<String, Value>, name: &str) -> Result<bool, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(false),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(true),
        Some(Value::String(text)) if text == "0" || text == "1" => Ok(text == "1"),
        Some(other) => Err(format!("`{name}` is {} (expected 0 or 1)", kind(other))),
    }
}

/// A time in seconds since the epoch: a number or a string of digits.
fn time_field(object: &Map<String, Value>, name: &str) -> Result<Option<i64>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("`{name}` is not a whole number of seconds")),
        Some(Value::String(text)) => text
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("`{name}` is the text {text:?} (expected seconds)")),
        Some(other) => Err(format!("`{name}` is {} (expected seconds)", kind(other))),
    }
}

/// An id field, required.
fn id_field(object: &Map<String, Value>, name: &str) -> Result<String, String> {
    match object.get(name) {
        None => Err(format!("`{name}` is missing")),
        Some(value) => id_text(value).ok_or_else(|| match value {
            Value::String(text) => format!("`{name}` is the text {text:?} (expected a number)"),
            other => format!("`{name}` is {} (expected a number)", kind(other)),
        }),
    }
}

/// One item of an `items` answer, or why it cannot be read.
pub fn item(value: &Value) -> Result<RemoteItem, String> {
    let Value::Object(object) = value else {
        return Err(format!("the item is {} (expected an object)", kind(value)));
    };
    let id = id_field(object, "id")?;
    let named = |err: String| format!("item {id}: {err}");
    Ok(RemoteItem {
        feed_id: id_field(object, "feed_id").map_err(named)?,
        title: text_field(object, "title")
            .map_err(named)?
            .unwrap_or_default(),
        url: text_field(object, "url")
            .map_err(named)?
            .filter(|url| !url.is_empty()),
        author: text_field(object, "author")
            .map_err(named)?
            .filter(|author| !author.is_empty()),
        published: time_field(object, "created_on_time").map_err(named)?,
        html: text_field(object, "html")
            .map_err(named)?
            .unwrap_or_default(),
        read: flag_field(object, "is_read").map_err(named)?,
        starred: flag_field(object, "is_saved").map_err(named)?,
        id,
    })
}

/// The items of an `items` answer that can be read, with a warning for
/// each that cannot (`where_` says which page, for the warning), and the
/// highest id among all of them, readable or not (so paging moves past a
/// bad item too).
pub struct Items {
    /// The items read, in the server's order.
    pub items: Vec<RemoteItem>,
    /// Each item skipped: which, and why.
    pub warnings: Skips,
    /// How many entries the answer's list had.
    pub count: usize,
    /// The highest id of any entry whose id could be read.
    pub highest: Option<String>,
}

/// Reads the `items` list of an answer; `Err` only when the list itself is
/// missing or not a list.
pub fn items(answer: &Value, where_: &str) -> Result<Items, String> {
    let list = match answer.get("items") {
        Some(Value::Array(list)) => list,
        Some(other) => return Err(format!("`items` is {} (expected a list)", kind(other))),
        None => return Err("the answer has no `items`".to_string()),
    };
    let mut read = Items {
        items: Vec::with_capacity(list.len()),
        warnings: Vec::new(),
        count: list.len(),
        highest: None,
    };
    for (index, entry) in list.iter().enumerate() {
        if let Some(id) = entry.get("id").and_then(id_text)
            && read
                .highest
                .as_deref()
                .is_none_or(|high| id_order(&id, high).is_gt())
        {
            read.highest = Some(id);
        }
        match item(entry) {
            Ok(item) => read.items.push(item),
            Err(why) => read
                .warnings
                .push((format!("entry {} of {where_}", index + 1), why)),
        }
    }
    Ok(read)
}

/// Reads a comma-separated id list (`unread_item_ids`, `saved_item_ids`,
/// `feed_ids`): the ids, and one warning per part that is not an id.
pub fn id_list(answer: &Value, field: &str) -> Result<(Vec<String>, Skips), String> {
    let text = match answer.get(field) {
        Some(Value::String(text)) => text.as_str(),
        Some(other) => return Err(format!("`{field}` is {} (expected text)", kind(other))),
        None => return Err(format!("the answer has no `{field}`")),
    };
    Ok(split_ids(text, field))
}

/// Splits `1,2,3` into ids, naming the parts that are not ids.
fn split_ids(text: &str, field: &str) -> (Vec<String>, Skips) {
    let mut ids = Vec::new();
    let mut warnings = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if is_digits(part) {
            ids.push(part.to_string());
        } else {
            warnings.push((
                format!("{part:?} in `{field}`"),
                "not an item id".to_string(),
            ));
        }
    }
    (ids, warnings)
}

/// Entries left out of an answer: which, and why.
pub type Skips = Vec<(String, String)>;

/// The group titles of each feed id.
pub type Categories = HashMap<String, Vec<String>>;

/// The group titles of each feed id, from a `groups` answer (`groups` and
/// `feeds_groups`), with warnings for entries that cannot be read.
pub fn groups(answer: &Value) -> Result<(Categories, Skips), String> {
    let mut warnings = Vec::new();
    let mut titles: HashMap<String, String> = HashMap::new();
    match answer.get("groups") {
        Some(Value::Array(list)) => {
            for group in list {
                let id = group.get("id").and_then(id_text);
                let title = group.get("title").and_then(Value::as_str);
                match (id, title) {
                    (Some(id), Some(title)) => {
                        titles.insert(id, title.to_string());
                    }
                    _ => warnings.push((
                        "a group of the list".to_string(),
                        format!("it cannot be read: {group}"),
                    )),
                }
            }
        }
        Some(other) => return Err(format!("`groups` is {} (expected a list)", kind(other))),
        None => return Err("the answer has no `groups`".to_string()),
    }
    let mut of_feed = Categories::new();
    if let Some(Value::Array(links)) = answer.get("feeds_groups") {
        for link in links {
            let group = link.get("group_id").and_then(id_text);
            let feeds = link.get("feed_ids").and_then(Value::as_str);
            let (Some(group), Some(feeds)) = (group, feeds) else {
                warnings.push((
                    "a feeds_groups entry".to_string(),
                    format!("it cannot be read: {link}"),
                ));
                continue;
            };
            let Some(title) = titles.get(&group) else {
                continue;
            };
            let (ids, bad) = split_ids(feeds, "feed_ids");
            warnings.extend(bad);
            for id in ids {
                of_feed.entry(id).or_default().push(title.clone());
            }
        }
    }
    Ok((of_feed, warnings))
}

/// The feeds of a `feeds` answer with their categories (from [`groups`]),
/// and a warning for each feed that cannot be read.
pub fn feeds(answer: &Value, categories: &Categories) -> Result<(Vec<RemoteFeed>, Skips), String> {
    let list = match answer.get("feeds") {
        Some(Value::Array(list)) => list,
        Some(other) => return Err(format!("`feeds` is {} (expected a list)", kind(other))),
        None => return Err("the answer has no `feeds`".to_string()),
    };
    let mut feeds = Vec::with_capacity(list.len());
    let mut warnings = Vec::new();
    for (index, entry) in list.iter().enumerate() {
        match feed(entry, categories) {
            Ok(feed) => feeds.push(feed),
            Err(why) => warnings.push((format!("feed {} of the list", index + 1), why)),
        }
    }
    Ok((feeds, warnings))
}

/// One feed of a `feeds` answer.
fn feed(value: &Value, categories: &Categories) -> Result<RemoteFeed, String> {
    let Value::Object(object) = value else {
        return Err(format!("the feed is {} (expected an object)", kind(value)));
    };
    let id = id_field(object, "id")?;
    let named = |err: String| format!("feed {id}: {err}");
    let url = text_field(object, "url")
        .map_err(named)?
        .filter(|url| !url.is_empty())
        .ok_or_else(|| format!("feed {id}: `url` is missing"))?;
    Ok(RemoteFeed {
        title: text_field(object, "title")
            .map_err(named)?
            .unwrap_or_default(),
        site_url: text_field(object, "site_url")
            .map_err(named)?
            .filter(|url| !url.is_empty()),
        categories: categories.get(&id).cloned().unwrap_or_default(),
        url,
        id,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ids_are_read_as_numbers_or_digit_strings_and_kept_as_text() {
        assert_eq!(id_text(&json!(42)).as_deref(), Some("42"));
        assert_eq!(
            id_text(&json!("1712345678901234")).as_deref(),
            Some("1712345678901234")
        );
        for bad in [json!(-1), json!(1.5), json!("12a"), json!(""), json!(null)] {
            assert_eq!(id_text(&bad), None, "{bad}");
        }
        assert!(id_order("10", "9").is_gt());
        assert!(id_order("1712345678901234567890", "99").is_gt());
    }

    #[test]
    fn a_bad_item_is_skipped_and_named_and_paging_moves_past_it() {
        let answer = json!({"items": [
            {"id": 1, "feed_id": 1, "title": "One", "html": "<p>x</p>", "is_read": 1,
             "is_saved": 0, "created_on_time": 1700000000, "url": "http://a/1", "author": ""},
            {"id": "two", "feed_id": 1, "title": "Bad id"},
            {"id": 7, "feed_id": 1, "title": ["not", "text"]},
            {"id": "5", "feed_id": "1", "title": "Five", "is_saved": "1"},
        ]});
        let read = items(&answer, "the page after 0").unwrap();
        let ids: Vec<&str> = read.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["1", "5"]);
        assert_eq!(read.count, 4);
        assert_eq!(read.highest.as_deref(), Some("7"));
        assert_eq!(read.warnings.len(), 2, "{:?}", read.warnings);
        let line = |i: usize| format!("{}: {}", read.warnings[i].0, read.warnings[i].1);
        assert!(line(0).contains("entry 2") && line(0).contains("\"two\""));
        assert!(line(1).contains("item 7") && line(1).contains("`title`"));
        assert!(read.items[0].read && !read.items[0].starred);
        assert_eq!(read.items[0].author, None);
        assert_eq!(read.items[0].published, Some(1_700_000_000));
        assert!(read.items[1].starred);
    }

    #[test]
    fn feeds_get_their_groups_as_categories() {
        let groups_answer = json!({
            "groups": [{"id": 10, "title": "News"}, {"id": 11, "title": "Tech"}],
            "feeds_groups": [{"group_id": 10, "feed_ids": "1,2"}, {"group_id": 11, "feed_ids": "2"}]
        });
        let (of_feed, warnings) = groups(&groups_answer).unwrap();
        assert!(warnings.is_empty());
        let feeds_answer = json!({"feeds": [
            {"id": 1, "title": "A", "url": "http://a/feed", "site_url": "http://a/"},
            {"id": 2, "title": "B", "url": "http://b/feed", "site_url": ""},
            {"id": 3, "title": "No address"},
        ]});
        let (list, warnings) = feeds(&feeds_answer, &of_feed).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].categories, ["News"]);
        assert_eq!(list[1].categories, ["News", "Tech"]);
        assert_eq!(list[1].site_url, None);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].0.contains("feed 3"), "{warnings:?}");
    }

    #[test]
    fn id_lists_are_split_and_bad_parts_named() {
        let (ids, warnings) =
            id_list(&json!({"unread_item_ids": "3, 4,,x9"}), "unread_item_ids").unwrap();
        assert_eq!(ids, ["3", "4"]);
        assert_eq!(warnings.len(), 1);
        let (ids, _) = id_list(&json!({"saved_item_ids": ""}), "saved_item_ids").unwrap();
        assert!(ids.is_empty());
        assert!(id_list(&json!({"saved_item_ids": [1, 2]}), "saved_item_ids").is_err());
    }
}
