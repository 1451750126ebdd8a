//! JSON Feed items read one at a time when the feed as a whole does not
//! read: feed-rs reads a JSON Feed in one piece, so one item with a field
//! of the wrong type would fail every item. An `id` given as a number is
//! taken as its text, as JSON Feed 1.1 tells readers to do; any other item
//! feed-rs cannot read is left out, and named.

use serde_json::Value;

use crate::article::sanitize::sanitize_line;

/// The longest title or id quoted when an item is named.
const MAX_NAMED: usize = 80;

/// The JSON Feed `text` with numeric ids made strings and the items
/// feed-rs cannot read left out, and a line naming each item left out;
/// None when `text` is no JSON Feed with items, or no item is readable
/// (then the feed's own error stands).
pub(super) fn readable_items(text: &str) -> Option<(String, Vec<String>)> {
    let mut document: Value = serde_json::from_str(text).ok()?;
    let items = document.get_mut("items")?.as_array_mut()?;
    let all = std::mem::take(items);
    let mut kept = Vec::with_capacity(all.len());
    let mut skipped = Vec::new();
    for (index, mut item) in all.into_iter().enumerate() {
        coerce_id(&mut item);
        let named = name_of(&item);
        match read_alone(&document, &item) {
            Ok(()) => kept.push(item),
            Err(why) => skipped.push(format!(
                "item {} ({named}) was left out: {}",
                index + 1,
                sanitize_line(&why)
            )),
        }
    }
    if kept.is_empty() {
        return None;
    }
    if let Some(items) = document.get_mut("items") {
        *items = Value::Array(kept);
    }
    Some((document.to_string(), skipped))
}

/// An item's `id` given as a number (or true/false) as its text.
fn coerce_id(item: &mut Value) {
    if let Some(id) = item.get_mut("id")
        && (id.is_number() || id.is_boolean())
    {
        *id = Value::String(id.to_string());
    }
}

/// Whether feed-rs reads `item` in the feed `document` (whose items were
/// taken out), and why not.
fn read_alone(document: &Value, item: &Value) -> Result<(), String> {
    let mut alone = document.clone();
    if let Some(object) = alone.as_object_mut() {
        object.insert("items".into(), Value::Array(vec![item.clone()]));
    }
    feed_rs::parser::parse(alone.to_string().as_bytes())
        .map(|_| ())
        .map_err(|err| match err {
            feed_rs::parser::ParseFeedError::JsonSerde(err) => {
                format!("a field is not what JSON Feed says it is ({err})")
            }
            other => other.to_string(),
        })
}

/// How an item is named in a message: its title, else its id.
fn name_of(item: &Value) -> String {
    let quoted = |value: &Value| {
        let text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let line = sanitize_line(&text);
        let cut: String = line.chars().take(MAX_NAMED).collect();
        format!("\u{201c}{cut}\u{201d}")
    };
    match (item.get("title"), item.get("id")) {
        (Some(title @ Value::String(_)), _) => quoted(title),
        (_, Some(id)) => format!("id {}", quoted(id)),
        _ => "no title, no id".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numeric_id_is_text_and_a_bad_item_is_named_and_left_out() {
        let feed = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
            "items": [{"id": 17, "title": "Numbered", "content_text": "a"},
                      {"id": "x", "title": "Bad tags", "tags": "not a list", "content_text": "b"},
                      {"id": "y", "title": "Fine", "content_text": "c"}]}"#;
        let (text, skipped) = readable_items(feed).unwrap_or_default();
        let value: Value = serde_json::from_str(&text).unwrap_or_default();
        let ids: Vec<&Value> = value["items"]
            .as_array()
            .map(|items| items.iter().map(|item| &item["id"]).collect())
            .unwrap_or_default();
        assert_eq!(ids, [&Value::from("17"), &Value::from("y")]);
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(
            skipped[0].starts_with("item 2 (\u{201c}Bad tags\u{201d}) was left out"),
            "{skipped:?}"
        );
        assert_eq!(readable_items("{\"items\": 3}"), None);
        assert_eq!(readable_items("not json"), None);
    }
}
