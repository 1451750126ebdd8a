//! One feed item as an article file: its Markdown text with TOML front
//! matter (`title`, `date`, `arrived`, `tags`, `categories`, `author`,
//! `source`, `url`, `enclosures`, as [`crate::article::parse`] reads them) and a file name made from feed
//! text that can never leave the feed's folder.

use chrono::{DateTime, FixedOffset, Utc};

use super::enclosure;
use crate::article::Enclosure;
use crate::store::feeds::Feed;

/// An item of a feed, as it is written.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Item {
    /// What the item is known by across fetches: its guid, else its link,
    /// else its title and date.
    pub key: String,
    /// The title.
    pub title: String,
    /// When it was published, at the offset the feed wrote, when the feed
    /// gives a date.
    pub date: Option<DateTime<FixedOffset>>,
    /// The item's own page.
    pub link: Option<String>,
    /// Who wrote it.
    pub author: Option<String>,
    /// The item's categories (its tags once written).
    pub categories: Vec<String>,
    /// The text, as Markdown.
    pub body: String,
    /// Files attached to it (a podcast's audio, a video).
    pub enclosures: Vec<Enclosure>,
}

impl std::fmt::Debug for Item {
    /// Every field, but the enclosures only when there are some: most
    /// items have none, and their snapshots read as they did before items
    /// had enclosures.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut item = f.debug_struct("Item");
        item.field("key", &self.key)
            .field("title", &self.title)
            .field("date", &self.date)
            .field("link", &self.link)
            .field("author", &self.author)
            .field("categories", &self.categories)
            .field("body", &self.body);
        if !self.enclosures.is_empty() {
            item.field("enclosures", &self.enclosures);
        }
        item.finish()
    }
}

/// The longest slug of a file or folder name, in bytes.
const MAX_SLUG: usize = 60;

/// The article text of `item` of `feed`, whose own title is
/// `feed_title`: front matter, a blank line, the body. Tags are the item's
/// categories and then the feed's tags; the category is the feed's name,
/// so `cat:NAME` finds the feed's articles.
pub fn render(item: &Item, feed: &Feed, feed_title: &str) -> String {
    render_arrived(item, feed, feed_title, None)
}

/// [`render`], with the instant the item `arrived` in its front matter
/// (to the nanosecond, in UTC), which orders it in the list when it has
/// no date.
pub fn render_arrived(
    item: &Item,
    feed: &Feed,
    feed_title: &str,
    arrived: Option<DateTime<Utc>>,
) -> String {
    // In reading order (title first), for people who open the file; each
    // value on one line: a value the serializer wrote over several lines
    // could hold a line `+++`, which would end the front matter early.
    let mut out = String::with_capacity(item.body.len() + 256);
    out.push_str("+++\n");
    push_entry(&mut out, "title", |out| push_string(out, &item.title));
    if let Some(date) = item.date.and_then(|date| toml_datetime(&date)) {
        push_entry(&mut out, "date", |out| out.push_str(&date.to_string()));
    }
    let arrived = arrived.and_then(|instant| {
        let written = instant.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string();
        written.parse::<toml::value::Datetime>().ok()
    });
    if let Some(arrived) = arrived {
        push_entry(&mut out, "arrived", |out| {
            out.push_str(&arrived.to_string())
        });
    }
    let mut tags = item.categories.iter().chain(&feed.tags).peekable();
    if tags.peek().is_some() {
        push_entry(&mut out, "tags", |out| {
            push_array(out, tags.map(|tag| tag.trim()));
        });
    }
    push_entry(&mut out, "categories", |out| {
        push_array(out, [feed.name.trim()]);
    });
    if let Some(author) = &item.author {
        push_entry(&mut out, "author", |out| push_string(out, author));
    }
    if !feed_title.trim().is_empty() {
        push_entry(&mut out, "source", |out| {
            push_string(out, feed_title.trim())
        });
    }
    if let Some(link) = &item.link {
        push_entry(&mut out, "url", |out| push_string(out, link));
    }
    out.extend(enclosure::front_matter_line(&item.enclosures));
    out.push_str("+++\n\n");
    out.push_str(item.body.trim());
    out.push('\n');
    out
}

/// A front-matter line `key = value`, the value written by `value`.
fn push_entry(out: &mut String, key: &str, value: impl FnOnce(&mut String)) {
    out.push_str(key);
    out.push_str(" = ");
    value(out);
    out.push('\n');
}

/// `text` on one line (its runs of whitespace made one space) as a TOML
/// string, as toml writes it: in double quotes as it is when nothing in it
/// needs escaping (most titles, names and addresses), else by toml itself.
fn push_string(out: &mut String, text: &str) {
    let mut line = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if line
        .chars()
        .all(|c| c != '"' && c != '\\' && !c.is_control())
    {
        out.push('"');
        out.push_str(&line);
        out.push('"');
    } else {
        out.push_str(&toml::Value::String(line).to_string());
    }
}

/// `texts` as a TOML array of one-line strings, as toml writes an inline
/// array: `["a", "b"]`.
fn push_array<'a>(out: &mut String, texts: impl IntoIterator<Item = &'a str>) {
    out.push('[');
    for (n, text) in texts.into_iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        push_string(out, text);
    }
    out.push(']');
}

/// The file name of `item`'s article: its date, a slug of its title and a
/// hash of its key (so two items never share a name, and the same item
/// always gets the same one): `2024-05-06-a-title-1f2e3d4c.md`. Only
/// `a`–`z`, `0`–`9` and `-`, at most 85 bytes: no separator, no dot
/// segment, no control character, nothing a file system reserves.
pub fn file_name(item: &Item) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(item.key.as_bytes());
    let mut name = String::new();
    if let Some(date) = item.date {
        // The UTC day, as names have always been made, so an item keeps
        // its name from one version to the next.
        name.push_str(&date.naive_utc().date().format("%Y-%m-%d").to_string());
        name.push('-');
    }
    let slug = slug(&item.title);
    if !slug.is_empty() {
        name.push_str(&slug);
        name.push('-');
    }
    name.push_str(&format!("{:08x}.md", hash as u32));
    name
}

/// `date` as a TOML offset datetime (`2026-12-07T14:05:00+02:00`, `Z` for
/// UTC), which the loader reads as the article's date, time and offset.
fn toml_datetime(date: &DateTime<FixedOffset>) -> Option<toml::value::Datetime> {
    let zone = if date.offset().local_minus_utc() == 0 {
        "Z".to_string()
    } else {
        date.format("%:z").to_string()
    };
    format!("{}{zone}", date.format("%Y-%m-%dT%H:%M:%S"))
        .parse()
        .ok()
}

/// The folder of `feed`'s articles under the articles folder: a slug of
/// its `folder`, else of its name, else `feed-` and a hash of its URL.
pub fn folder_name(feed: &Feed) -> String {
    let wanted = feed.folder.as_deref().unwrap_or(&feed.name);
    let slug = slug(wanted);
    if slug.is_empty() {
        let hash = xxhash_rust::xxh3::xxh3_64(feed.url.as_bytes());
        format!("feed-{:08x}", hash as u32)
    } else {
        slug
    }
}

/// [`crate::article::sanitize::slug`] of at most [`MAX_SLUG`] bytes.
fn slug(text: &str) -> String {
    crate::article::sanitize::slug(text, MAX_SLUG)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::article::{Article, Format};

    fn feed() -> Feed {
        Feed {
            tags: vec!["world".into()],
            ..Feed::new("https://news.example/feed.xml")
        }
    }

    fn item(title: &str) -> Item {
        Item {
            key: "urn:uuid:1".into(),
            title: title.into(),
            date: DateTime::parse_from_rfc3339("2024-05-06T20:30:00-05:00").ok(),
            link: Some("https://news.example/a?x=1&y=\"2\"".into()),
            author: Some("Ann \"Reporter\" O'Neil".into()),
            categories: vec!["Politics".into(), "Tech & Science".into()],
            body: "First paragraph.\n\nSecond, with [a link](https://x.example).".into(),
            enclosures: vec![
                Enclosure {
                    url: "https://cdn.example/ep1.mp3?a=1&b=\"2\"".into(),
                    kind: Some("audio/mpeg".into()),
                    length: Some(12_345_678),
                },
                Enclosure {
                    url: "https://cdn.example/ep1.mp4".into(),
                    kind: None,
                    length: None,
                },
            ],
        }
    }

    fn loaded(text: &str) -> Article {
        match Article::from_bytes(
            "a.md".into(),
            PathBuf::from("a.md"),
            text.as_bytes(),
            Format::Markdown,
        ) {
            Ok(article) => article,
            Err(rejected) => panic!("rejected: {rejected}"),
        }
    }

    #[test]
    fn a_written_item_loads_as_the_article_it_was() {
        let item = item("A \"Quoted\" Title: with \\ backslash");
        let article = loaded(&render(&item, &feed(), "News Example"));
        assert_eq!(article.title, item.title);
        // The date as the feed wrote it, though it is the 7th in UTC; the
        // time and offset beside it.
        assert_eq!(article.date, chrono::NaiveDate::from_ymd_opt(2024, 5, 6));
        let clock = article.clock.map(|c| (c.seconds(), c.offset_minutes()));
        assert_eq!(clock, Some((20 * 3600 + 30 * 60, -300)));
        assert_eq!(article.tags, ["Politics", "Tech & Science", "world"]);
        assert_eq!(article.categories, ["news.example"]);
        assert_eq!(article.author, item.author);
        assert_eq!(article.source.as_deref(), Some("News Example"));
        assert_eq!(article.url, item.link);
        assert_eq!(article.links, ["https://x.example"]);
        assert_eq!(article.enclosures, item.enclosures);
        assert!(article.problems.is_empty(), "{:?}", article.problems);
        assert!(article.folded.contains("first paragraph."));
    }

    #[test]
    fn hostile_fields_stay_in_their_place_and_load_clean() {
        let mut hostile = item("Title\n+++\ntitle = \"forged\"\n\u{1b}]0;pwned\u{7}");
        hostile.author = Some("x\"\nurl = \"javascript:alert(1)".into());
        hostile.enclosures[0].kind = Some("audio/mpeg\n+++\ntitle = \"forged\"".into());
        let article = loaded(&render(&hostile, &feed(), "+++"));
        assert!(!article.title.contains('\u{1b}') && !article.title.contains('\u{7}'));
        assert!(article.title.starts_with("Title"), "{:?}", article.title);
        assert_eq!(article.url, hostile.link, "no field forged from another");
    }

    proptest::proptest! {
        #[test]
        fn names_never_leave_the_folder(title in ".{0,200}", key in ".{0,40}", name in ".{0,80}") {
            let item = Item { key, title, ..Item::default() };
            let file = file_name(&item);
            proptest::prop_assert!(file.len() <= 85, "{}", file);
            proptest::prop_assert!(file.ends_with(".md"));
            let stem = file.trim_end_matches(".md");
            proptest::prop_assert!(stem.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", file);
            let folder = folder_name(&Feed { name, ..Feed::new("https://a.example/") });
            proptest::prop_assert!(!folder.is_empty() && folder.len() <= 60);
            proptest::prop_assert!(folder.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", folder);
            proptest::prop_assert!(!folder.starts_with('-') && folder != "." && folder != "..");
        }
    }

    #[test]
    fn names_are_readable_and_tell_items_apart() {
        let a = file_name(&item("Héllo, World! Ünïcode"));
        // The UTC day (20:30-05:00 on the 6th is the 7th), as names always had.
        assert!(a.starts_with("2024-05-07-h-llo-world-n-code-"), "{a}");
        let mut other = item("Héllo, World! Ünïcode");
        other.key = "urn:uuid:2".into();
        assert_ne!(file_name(&other), a, "another item, another name");
        assert_eq!(folder_name(&feed()), "news-example");
        let named = Feed {
            folder: Some("../../etc".into()),
            ..feed()
        };
        assert_eq!(folder_name(&named), "etc");
    }

    /// What toml writes for `texts` made one-line strings in an array.
    fn toml_array(texts: &[String]) -> String {
        let one_line = |s: &String| s.split_whitespace().collect::<Vec<_>>().join(" ");
        toml::Value::Array(
            texts
                .iter()
                .map(|s| toml::Value::String(one_line(s)))
                .collect(),
        )
        .to_string()
    }

    proptest::proptest! {
        /// Front-matter strings and arrays are written as toml writes
        /// them, whatever they hold (quotes, backslashes, controls, any
        /// Unicode), so the files read back the same.
        #[test]
        fn values_are_written_as_toml_writes_them(
            texts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[ -~éü'\"\\\\\t\n\u{7f}\u{85}\u{a0}\u{200b}\u{feff}\u{2028}]{0,24}",
                    proptest::prelude::any::<String>(),
                ],
                0..4,
            ),
        ) {
            for text in &texts {
                let mut direct = String::new();
                push_string(&mut direct, text);
                let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
                proptest::prop_assert_eq!(direct, toml::Value::String(one_line).to_string());
            }
            let mut direct = String::new();
            push_array(&mut direct, texts.iter().map(String::as_str));
            proptest::prop_assert_eq!(direct, toml_array(&texts));
        }
    }
}
