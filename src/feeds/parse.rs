//! A fetched feed's bytes as items: RSS 0.9x, 1.0 and 2.0, Atom 1.0 and
//! JSON Feed 1.0 and 1.1, read by feed-rs; HTML content made readable text
//! (Markdown-like: paragraphs, headings, lists, links numbered and listed)
//! by html2text, guarded against panics and runaway sizes. Every text of an
//! item is made terminal-safe here, so no escape sequence reaches a file.
//! A feed that cannot be read gets an error that says why: the line and
//! column of broken XML, or that the address gave a web page.

use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use quick_xml::events::Event;

use super::discover::looks_like_html;
use super::html::{line_of_html, plain_text, text_of_html};
use super::item::Item;
use super::repair;
use crate::article::sanitize::sanitize_line;

/// The error for a web page where a feed was expected.
const WEB_PAGE: &str = "this is a web page, not a feed: give the address of the site's feed \
(`broadsheet feed add` with the page's address looks for the feeds it links to)";

/// A feed as parsed: its own title and its items, in the feed's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The feed's title ("" when it has none).
    pub title: String,
    /// The items.
    pub items: Vec<Item>,
}

/// Parses a feed's bytes. The error says what is wrong, for a message that
/// names the feed: `not a feed: the XML is broken at line 12, column 5: …`,
/// or that the bytes are a web page. A feed broken only by a bare `&` or an
/// `<rss>` without a version is read as if it were not. Entities a DOCTYPE
/// declares are never expanded (they stay as written), so a "billion
/// laughs" feed is small and quick to read.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    if looks_like_html(bytes, None) {
        return Err(WEB_PAGE.into());
    }
    let err = match read(bytes) {
        Ok(parsed) => return Ok(parsed),
        Err(err) => err,
    };
    // The error reported is the original's: it names the place in the
    // bytes as they were fetched.
    repair::repaired(bytes)
        .and_then(|fixed| read(&fixed).ok())
        .ok_or_else(|| describe(&err, bytes))
}

/// The feed in `bytes`, as feed-rs reads it.
fn read(bytes: &[u8]) -> Result<Parsed, ParseFeedError> {
    // feed-rs makes up an id for an entry without one (a hash of link and
    // title, or a random UUID) which may change from one fetch to the next;
    // an empty id lets `item_of` apply its own, stable rule instead.
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser.parse(bytes)?;
    let title = feed.title.as_ref().map(line_of).unwrap_or_default();
    let items = feed.entries.into_iter().map(item_of).collect();
    Ok(Parsed { title, items })
}

/// What is wrong with bytes feed-rs could not read, and what to do.
fn describe(err: &ParseFeedError, bytes: &[u8]) -> String {
    match err {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) if mentions_html(bytes) => {
            WEB_PAGE.into()
        }
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => match xml_error(bytes) {
            Some(broken) => format!("not a feed: {broken}"),
            None => "not a feed: no RSS, Atom or JSON Feed was found in it; check that the address is the feed's".into(),
        },
        ParseFeedError::JsonSerde(err) => format!("not a feed: the JSON is broken: {err}"),
        ParseFeedError::JsonUnsupportedVersion(version) => format!(
            "not a feed: JSON Feed version {} is not supported (1.0 and 1.1 are)",
            sanitize_line(version)
        ),
        _ => match xml_error(bytes) {
            Some(broken) => format!("not a feed: {broken}; the feed is broken at its source, try again later"),
            None => format!("not a feed: {err}"),
        },
    }
}

/// How far into unreadable bytes [`mentions_html`] looks for HTML tags.
const HTML_SNIFF: usize = 4096;

/// Whether the start of `bytes` holds an HTML element, for pages that lack
/// the `<!doctype html>` or `<html>` that [`looks_like_html`] looks for.
fn mentions_html(bytes: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(HTML_SNIFF)]).to_ascii_lowercase();
    ["<html", "<head", "<body"]
        .iter()
        .any(|tag| start.contains(tag))
}

/// Where and how `bytes` is not well-formed XML, as `the XML is broken at
/// line L, column C: …`; None when it is well-formed. feed-rs's errors do
/// not carry a position, so the bytes are read again to find it.
fn xml_error(bytes: &[u8]) -> Option<String> {
    let (offset, what) = first_xml_error(bytes)?;
    let (line, column) = line_column(bytes, offset);
    Some(format!(
        "the XML is broken at line {line}, column {column}: {what}"
    ))
}

/// The byte offset and description of the first well-formedness error in
/// `bytes`. A document that ends with elements still open is reported at
/// the innermost one's start tag, where a truncated feed is cut.
fn first_xml_error(bytes: &[u8]) -> Option<(u64, String)> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut open: Vec<(String, u64)> = Vec::new();
    loop {
        buf.clear();
        let start = reader.buffer_position();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(tag)) => open.push((tag.name().as_ref().to_string(), start)),
            Ok(Event::End(_)) => {
                open.pop();
            }
            Ok(Event::Eof) => {
                let (name, at) = open.pop()?;
                let what = format!("the feed ends before <{}> is closed", sanitize_line(&name));
                return Some((at, what));
            }
            Ok(_) => {}
            Err(err) => return Some((reader.error_position(), sanitize_line(&err.to_string()))),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset in `bytes`.
fn line_column(bytes: &[u8], offset: u64) -> (usize, usize) {
    let offset = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    let before = String::from_utf8_lossy(&bytes[..offset]);
    crate::position::line_column(&before, before.len())
}

/// One entry as an item, every text terminal-safe.
fn item_of(entry: feed_rs::model::Entry) -> Item {
    let link = page_link(&entry.links).map(sanitize_line);
    let title = entry.title.as_ref().map(line_of).unwrap_or_default();
    let date = entry
        .published
        .or(entry.updated)
        .map(|when| when.date_naive());
    let body = body_of(entry.content, entry.summary);
    // The guid, else the link, else the title (the text when there is no
    // title, as RSS allows) and date: what the item is known by from one
    // fetch to the next.
    let key = if !entry.id.trim().is_empty() {
        entry.id.clone()
    } else if let Some(link) = &link {
        link.clone()
    } else {
        let named = if title.is_empty() { &body } else { &title };
        format!("{named}|{date:?}")
    };
    Item {
        key,
        title,
        date,
        link,
        author: entry
            .authors
            .into_iter()
            .filter_map(|person| person.name)
            .map(|name| author_name(&name))
            .find(|name| !name.is_empty()),
        categories: entry
            .categories
            .into_iter()
            .map(|category| sanitize_line(&category.label.unwrap_or(category.term)))
            .filter(|term| !term.is_empty())
            .collect(),
        body,
    }
}

/// An author's name as one clean line. RSS writes `email (Name)`; the
/// parentheses feed-rs leaves around the name go.
fn author_name(name: &str) -> String {
    let name = sanitize_line(name);
    match name
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
    {
        Some(inner) => inner.trim().to_string(),
        None => name,
    }
}

/// The address of the item's own page: its first link that is an
/// alternate (Atom's `rel="alternate"`, or no `rel` at all), else its
/// first link. Atom entries also link their comments, enclosures and
/// themselves, which are not the page.
fn page_link(links: &[feed_rs::model::Link]) -> Option<&str> {
    let is_page = |link: &&feed_rs::model::Link| {
        link.rel
            .as_deref()
            .is_none_or(|rel| rel.trim().eq_ignore_ascii_case("alternate"))
    };
    links
        .iter()
        .find(is_page)
        .or(links.first())
        .map(|link| link.href.as_str())
}

/// The text of an item, terminal-safe: its content, else its summary;
/// HTML made readable text, plain text kept as it is.
fn body_of(
    content: Option<feed_rs::model::Content>,
    summary: Option<feed_rs::model::Text>,
) -> String {
    match (
        content.and_then(|content| content.body.map(|body| (content.content_type, body))),
        summary,
    ) {
        (Some((kind, body)), _) if kind.subty() == "plain" => plain_text(&body),
        (Some((_, html)), _) => text_of_html(&html),
        (None, Some(summary)) if summary.content_type.subty() == "plain" => {
            plain_text(&summary.content)
        }
        (None, Some(summary)) => text_of_html(&summary.content),
        (None, None) => String::new(),
    }
}

/// A feed-rs text meant for one line: HTML made plain, plain text kept.
fn line_of(text: &feed_rs::model::Text) -> String {
    if text.content_type.subty() == "plain" {
        sanitize_line(&text.content)
    } else {
        line_of_html(&text.content)
    }
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
            &b"<rss><channel><item>"[..],
            b"",
            b"\x00\xff",
            b"{\"items\": [",
        ] {
            let err = parse(bytes).err().unwrap_or_default();
            assert!(err.starts_with("not a feed"), "{err:?}");
        }
        for page in [
            &b"<html><body>a page</body></html>"[..],
            b"<head><title>x</title></head>",
        ] {
            let err = parse(page).err().unwrap_or_default();
            assert!(err.starts_with("this is a web page, not a feed"), "{err:?}");
        }
    }

    #[test]
    fn common_breakage_is_read_through() {
        let sloppy = b"<rss><channel><title>Q&A</title>
            <item><title>Fish & chips</title><link>https://a.example/?a=1&b=2</link></item>
            </channel></rss>";
        let parsed = parse(sloppy).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.title, "Q&A");
        assert_eq!(parsed.items[0].title, "Fish & chips");
        assert_eq!(
            parsed.items[0].link.as_deref(),
            Some("https://a.example/?a=1&b=2")
        );
    }

    #[test]
    fn broken_xml_is_reported_at_its_line_and_column() {
        let err = parse(
            b"<rss version=\"2.0\"><channel>\n<title>x</title>\n  <item><title>y</titel></item>",
        )
        .err()
        .unwrap_or_default();
        assert!(err.contains("line 3, column"), "{err}");
        let err = parse(b"<rss><channel>\n  <item>").err().unwrap_or_default();
        assert!(
            err.contains("line 2, column 3") && err.contains("<item>"),
            "{err}"
        );
        assert_eq!(line_column(b"ab\n\xc3\xa9x", 6), (2, 3));
        assert_eq!(line_column(b"ab", 99), (1, 3));
    }

    #[test]
    fn an_entry_without_an_id_is_keyed_by_its_link_else_title_and_date() {
        let rss = b"<rss version=\"2.0\"><channel><title>t</title>
            <item><title>A</title><link>https://a.example/1</link></item>
            <item><title>B</title><pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate></item>
            </channel></rss>";
        let parsed = parse(rss).unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<&str> = parsed.items.iter().map(|item| item.key.as_str()).collect();
        assert_eq!(keys, ["https://a.example/1", "B|Some(2024-05-06)"]);
    }
}
