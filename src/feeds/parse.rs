//! A fetched feed's bytes as items: RSS 0.9x, 1.0 and 2.0, Atom 1.0 and
//! JSON Feed 1.0 and 1.1, read by feed-rs; HTML content made readable text
//! (Markdown-like: paragraphs, headings, lists, links numbered and listed)
//! by html2text, guarded against panics and runaway sizes.

use std::panic::{self, AssertUnwindSafe};

use super::item::Item;

/// The most HTML one item's text is made from: beyond it the rest is cut,
/// so one runaway item cannot hold the fetch up.
const MAX_HTML: usize = 2 * 1024 * 1024;

/// The width html2text wraps to: wide enough that it does not wrap (the
/// reader wraps to its pane).
const NO_WRAP: usize = 100_000;

/// A feed as parsed: its own title and its items, in the feed's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The feed's title ("" when it has none).
    pub title: String,
    /// The items.
    pub items: Vec<Item>,
}

/// Parses a feed's bytes. The error says what is wrong, for a message that
/// names the feed.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|err| format!("not a feed: {err}"))?;
    let title = feed.title.map(|t| t.content).unwrap_or_default();
    let items = feed.entries.into_iter().map(item_of).collect();
    Ok(Parsed { title, items })
}

/// One entry as an item.
fn item_of(entry: feed_rs::model::Entry) -> Item {
    let link = entry.links.first().map(|link| link.href.clone());
    let title = entry.title.map(|t| t.content).unwrap_or_default();
    let date = entry
        .published
        .or(entry.updated)
        .map(|when| when.date_naive());
    // The guid, else the link, else the title and date: what the item is
    // known by from one fetch to the next.
    let key = if !entry.id.trim().is_empty() {
        entry.id.clone()
    } else if let Some(link) = &link {
        link.clone()
    } else {
        format!("{title}|{date:?}")
    };
    let body = match (entry.content.and_then(|c| c.body), entry.summary) {
        (Some(html), _) => text_of_html(&html),
        (None, Some(summary)) if summary.content_type.subty() == "plain" => summary.content,
        (None, Some(summary)) => text_of_html(&summary.content),
        (None, None) => String::new(),
    };
    Item {
        key,
        title: title.trim().to_string(),
        date,
        link,
        author: entry
            .authors
            .into_iter()
            .filter_map(|person| person.name)
            .find(|name| !name.trim().is_empty()),
        categories: entry
            .categories
            .into_iter()
            .map(|category| category.label.unwrap_or(category.term))
            .filter(|term| !term.trim().is_empty())
            .collect(),
        body,
    }
}

/// HTML as readable text; the HTML's text stripped of its tags when the
/// converter fails or panics on it.
pub fn text_of_html(html: &str) -> String {
    let mut end = html.len().min(MAX_HTML);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let html = &html[..end];
    let converted = panic::catch_unwind(AssertUnwindSafe(|| {
        html2text::from_read(html.as_bytes(), NO_WRAP)
    }));
    match converted {
        Ok(Ok(text)) => text.trim().to_string(),
        _ => strip_tags(html),
    }
}

/// The text between the tags, for HTML the converter could not read.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example News</title><link>https://news.example/</link>
<item><title>First &amp; foremost</title><link>https://news.example/1</link>
<guid>urn:example:1</guid><pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate>
<category>Politics</category><author>ann@news.example (Ann)</author>
<description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;, see &lt;a href="https://x.example"&gt;this&lt;/a&gt;.&lt;/p&gt;&lt;p&gt;Second.&lt;/p&gt;</description></item>
<item><title>No guid</title><link>https://news.example/2</link></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Example</title><id>urn:a</id>
<updated>2024-05-07T00:00:00Z</updated>
<entry><title>An entry</title><id>urn:a:1</id><updated>2024-05-07T08:00:00Z</updated>
<link href="https://atom.example/1"/><author><name>Bo</name></author>
<category term="tech" label="Technology"/>
<content type="html">&lt;h2&gt;Heading&lt;/h2&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;</content></entry>
</feed>"#;

    const JSON: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "JSON Example",
"items": [{"id": "j1", "url": "https://json.example/1", "title": "JSON item",
"content_text": "Plain text body.", "date_published": "2024-05-08T09:00:00Z",
"tags": ["a", "b"]}]}"#;

    #[test]
    fn rss_atom_and_json_feed_items_come_out_alike() {
        let rss = parse(RSS.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rss.title, "Example News");
        assert_eq!(rss.items.len(), 2);
        let first = &rss.items[0];
        assert_eq!(first.key, "urn:example:1");
        assert_eq!(first.title, "First & foremost");
        assert_eq!(first.date, NaiveDate::from_ymd_opt(2024, 5, 6));
        assert_eq!(first.link.as_deref(), Some("https://news.example/1"));
        assert_eq!(first.categories, ["Politics"]);
        assert!(
            first.body.contains("Hello") && first.body.contains("world"),
            "{}",
            first.body
        );
        assert!(
            first.body.contains("https://x.example"),
            "the link is listed: {}",
            first.body
        );
        assert!(!first.body.contains("<p>"), "{}", first.body);
        assert!(
            !rss.items[1].key.is_empty(),
            "an item without a guid still has a key"
        );

        let atom = parse(ATOM.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let entry = &atom.items[0];
        assert_eq!(
            (atom.title.as_str(), entry.key.as_str()),
            ("Atom Example", "urn:a:1")
        );
        assert_eq!(entry.author.as_deref(), Some("Bo"));
        assert_eq!(entry.categories, ["Technology"]);
        assert!(
            entry.body.contains("Heading") && entry.body.contains("one"),
            "{}",
            entry.body
        );

        let json = parse(JSON.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let item = &json.items[0];
        assert_eq!(
            (item.key.as_str(), item.title.as_str()),
            ("j1", "JSON item")
        );
        assert_eq!(item.date, NaiveDate::from_ymd_opt(2024, 5, 8));
        assert!(item.body.contains("Plain text body."), "{}", item.body);
    }

    #[test]
    fn a_parsed_item_written_and_loaded_keeps_its_text_and_links() {
        use crate::article::{Article, Format};
        use crate::store::feeds::Feed;
        let rss = parse(RSS.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let feed = Feed::new("https://news.example/rss");
        let text = super::super::item::render(&rss.items[0], &feed, &rss.title);
        let article = Article::from_bytes(
            "a.md".into(),
            std::path::PathBuf::from("a.md"),
            text.as_bytes(),
            Format::Markdown,
        )
        .unwrap_or_else(|rejected| panic!("{rejected}"));
        assert_eq!(article.title, "First & foremost");
        assert_eq!(article.links, ["https://x.example"], "{text}");
        assert!(
            article.folded.contains("hello world, see this"),
            "{}",
            article.folded
        );
        assert!(article.folded.contains("second."), "{}", article.folded);
    }

    #[test]
    fn what_is_not_a_feed_is_an_error_that_says_so() {
        for bytes in [
            &b"<html><body>a page</body></html>"[..],
            b"<rss><channel><item>",
            b"",
            b"\x00\xff",
        ] {
            let err = parse(bytes).err().unwrap_or_default();
            assert!(err.starts_with("not a feed"), "{err:?}");
        }
    }

    #[test]
    fn runaway_html_is_cut_and_broken_html_still_gives_text() {
        let huge = format!("<p>{}</p>", "word ".repeat(MAX_HTML / 2));
        assert!(text_of_html(&huge).len() <= MAX_HTML);
        let broken = text_of_html("<p>unclosed <b>bold <i>text");
        assert!(
            broken.contains("unclosed") && broken.contains("text"),
            "{broken}"
        );
        assert_eq!(strip_tags("<a href=\"x\">in</a> out"), "in out");
    }
}
