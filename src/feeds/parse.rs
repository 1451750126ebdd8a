//! A fetched feed's bytes as items: RSS 0.9x, 1.0 and 2.0, Atom 1.0 and
//! JSON Feed 1.0 and 1.1, read by feed-rs, after [`super::encoding`] has
//! made the bytes UTF-8 and [`super::legacy`] has rewritten RSS 0.90 and
//! Atom 0.3 as RSS 1.0 and Atom 1.0; HTML content made readable text
//! (Markdown-like: paragraphs, headings, lists, links numbered and listed)
//! by html2text, guarded against panics and runaway sizes. Every text of an
//! item is made terminal-safe here, so no escape sequence reaches a file.
//! A feed that cannot be read gets an error that says why: the line and
//! column of broken XML, or that the address gave a web page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, Offset as _, Utc};

use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use quick_xml::events::Event;

use super::dates::parse_date;
use super::discover::looks_like_html;
use super::html::{line_of_html, plain_text, text_of_html};
use super::isolate::isolated;
use super::item::Item;
use super::{enclosure, encoding, jsonfeed, legacy, links, repair, spread};
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
    /// Items left out because they could not be read (a JSON Feed item with
    /// a field of the wrong type), each named, for the fetch's warnings.
    pub warnings: Vec<String>,
}

/// Parses a feed's bytes. The error says what is wrong, for a message that
/// names the feed: `not a feed: the XML is broken at line 12, column 5: …`,
/// or that the bytes are a web page. A feed broken only by a bare `&` or an
/// `<rss>` without a version is read as if it were not. Entities a DOCTYPE
/// declares are never expanded (they stay as written), so a "billion
/// laughs" feed is small and quick to read. The encoding is decided from
/// the bytes alone; [`parse_served`] takes the server's word too.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    parse_at(bytes, None)
}

/// [`parse`] for a feed fetched from `address` (its final address, after
/// redirects): relative links, enclosures and links in the text are
/// resolved against `xml:base`, the item's link, then `address`
/// ([`super::links`]).
pub fn parse_at(bytes: &[u8], address: Option<&str>) -> Result<Parsed, String> {
    parse_served(bytes, address, None)
}

/// [`parse_at`] for bytes a server sent with this `Content-Type`, whose
/// `charset` counts as XML over HTTP has it ([`super::encoding`]). A JSON
/// Feed item that cannot be read is left out and named in the warnings,
/// never the feed.
pub fn parse_served(
    bytes: &[u8],
    address: Option<&str>,
    content_type: Option<&str>,
) -> Result<Parsed, String> {
    let mut text = encoding::xml_text(bytes, content_type);
    // XML holds no NUL; bytes misread (UTF-16 behind a UTF-8 mark) do, and
    // NULs before `<` would make the XML reader guess UTF-16 again.
    if text.contains('\0') {
        text = text.replace('\0', "\u{FFFD}").into();
    }
    let bytes = text.as_bytes();
    if looks_like_html(bytes, None) {
        return Err(WEB_PAGE.into());
    }
    let err = match read_any(bytes, address) {
        Ok(parsed) => return Ok(parsed),
        Err(err) => err,
    };
    if matches!(err, ParseFeedError::JsonSerde(_))
        && let Some((readable, warnings)) = jsonfeed::readable_items(&text)
        && let Ok(parsed) = read(readable.as_bytes(), address)
    {
        return Ok(Parsed { warnings, ..parsed });
    }
    // The error reported is the original's: it names the place in the
    // text as it was fetched (decoded).
    repair::repaired(bytes)
        .and_then(|fixed| read_any(&fixed, address).ok())
        .ok_or_else(|| describe(&err, bytes))
}

/// The feed in UTF-8 `bytes` as feed-rs reads it, old formats rewritten
/// first.
fn read_any(bytes: &[u8], address: Option<&str>) -> Result<Parsed, ParseFeedError> {
    let modern = std::str::from_utf8(bytes).ok().and_then(legacy::modernised);
    match modern {
        Some(modern) => read(modern.as_bytes(), address),
        None => read(bytes, address),
    }
}

/// The feed in `bytes`, as feed-rs reads it.
fn read(bytes: &[u8], address: Option<&str>) -> Result<Parsed, ParseFeedError> {
    // feed-rs makes up an id for an entry without one (a hash of link and
    // title, or a random UUID) which may change from one fetch to the next;
    // an empty id lets `item_of` apply its own, stable rule instead.
    // Given the feed's address, it resolves links against `xml:base` and
    // that address; an address it cannot read would fail the whole parse.
    let feed_url = address.and_then(|address| url::Url::parse(address).ok());
    let address = address.filter(|_| feed_url.is_some());
    // feed-rs keeps dates in UTC: the offsets they were written at are
    // noted here as its date reader is called, for `item_of`.
    let offsets = Offsets::default();
    let noted = offsets.clone();
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .base_uri(address)
        .timestamp_parser(move |text| noted.read(text))
        .build();
    // The XML reader inside feed-rs panics on some inputs (told to switch
    // encodings past the start); such a feed is one that cannot be read.
    let feed = isolated(|| parser.parse(bytes))
        .map_err(|panic| {
            ParseFeedError::IoError(std::io::Error::other(format!(
                "the feed reader stopped on it ({})",
                sanitize_line(&panic)
            )))
        })
        .and_then(|parsed| parsed)?;
    let title = feed.title.as_ref().map(line_of).unwrap_or_default();
    // Most of a big feed's time: on a few threads (see `spread`).
    let items = spread::map_in_order(feed.entries, |entry| {
        item_of(entry, feed_url.as_ref(), &offsets)
    });
    Ok(Parsed {
        title,
        items,
        warnings: Vec::new(),
    })
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

/// One entry of the feed at `feed` (its address, read once for all its
/// entries) as an item, every text terminal-safe, every address whole,
/// its date at the offset it was written with.
fn item_of(entry: feed_rs::model::Entry, feed: Option<&url::Url>, offsets: &Offsets) -> Item {
    let feed_bases = links::Bases::from_urls([feed]);
    let link = page_link(&entry.links)
        .and_then(|href| feed_bases.web_address(href))
        .map(|link| sanitize_line(&link));
    let content_base = content_base(&entry, feed);
    let parsed = |base: Option<&str>| base.and_then(|base| url::Url::parse(base.trim()).ok());
    let (content_base, link_base) = (parsed(content_base.as_deref()), parsed(link.as_deref()));
    let bases = links::Bases::from_urls([content_base.as_ref(), link_base.as_ref(), feed]);
    let enclosures = enclosure::of_entry(&entry, &bases);
    let title = entry.title.as_ref().map(line_of).unwrap_or_default();
    let date = entry
        .published
        .or(entry.updated)
        .map(|when| offsets.written(when));
    let body = bases.in_markdown(&body_of(entry.content, entry.summary));
    // The guid, else the link, else the title (the text when there is no
    // title, as RSS allows) and date: what the item is known by from one
    // fetch to the next.
    let key = if !entry.id.trim().is_empty() {
        entry.id.clone()
    } else if let Some(link) = &link {
        link.clone()
    } else {
        let named = if title.is_empty() { &body } else { &title };
        // The UTC day, as keys have always been made.
        let day = date.map(|d| d.naive_utc().date());
        format!("{named}|{day:?}")
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
        enclosures,
    }
}

/// The `xml:base` of an entry's text, where feed-rs gives it: an Atom
/// `<content xml:base>`, or the base in scope of an RSS
/// `<content:encoded>` (which feed-rs gives as the content's source, and
/// which is the feed's own address when no `xml:base` is in scope: then
/// there is none).
/// A relative Atom `xml:base` is taken from the feed's address.
fn content_base(entry: &feed_rs::model::Entry, feed: Option<&url::Url>) -> Option<String> {
    if let Some(base) = entry.base.as_deref() {
        return match feed {
            Some(feed) => feed.join(base.trim()).ok().map(String::from),
            None => Some(base.to_string()),
        };
    }
    let content = entry.content.as_ref()?;
    content.body.as_ref()?;
    let src = content.src.as_ref()?.href.as_str();
    (feed.map(url::Url::as_str) != Some(src)).then(|| src.to_string())
}

/// The offsets a feed's dates were written at, by the instant feed-rs
/// keeps (the first wins should two spellings name one instant).
#[derive(Debug, Clone, Default)]
struct Offsets(Arc<Mutex<HashMap<DateTime<Utc>, FixedOffset>>>);

impl Offsets {
    /// feed-rs's date reader: `text` read by [`parse_date`], its offset
    /// noted.
    fn read(&self, text: &str) -> Option<DateTime<Utc>> {
        let written = parse_date(text)?;
        let utc = written.with_timezone(&Utc);
        // A poisoned lock only loses offsets: the dates stay, in UTC.
        if let Ok(mut offsets) = self.0.lock() {
            offsets.entry(utc).or_insert(*written.offset());
        }
        Some(utc)
    }

    /// `when` at the offset it was written with (UTC when not noted).
    fn written(&self, when: DateTime<Utc>) -> DateTime<FixedOffset> {
        let offset = self
            .0
            .lock()
            .ok()
            .and_then(|offsets| offsets.get(&when).copied())
            .unwrap_or(Utc.fix());
        when.with_timezone(&offset)
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
/// HTML made readable text, plain text kept as it is. Content of another
/// media type (Atom 1.0 carries it in base64) is its decoded text when
/// that is text, else the summary stands in for it.
fn body_of(
    content: Option<feed_rs::model::Content>,
    summary: Option<feed_rs::model::Text>,
) -> String {
    let content = content.and_then(|content| {
        let kind = &content.content_type;
        let body = content.body?;
        // `text/*`, HTML, XHTML and XML come as they are; anything else
        // in base64.
        let subtype = kind.subty();
        let as_given = kind.ty() == "text"
            || subtype.as_str().contains("html")
            || subtype.as_str().contains("xml")
            || kind.suffix().is_some_and(|suffix| suffix == "xml");
        if !as_given {
            return base64_text(&body).map(|text| plain_text(&text));
        }
        Some(if subtype == "plain" {
            plain_text(&body)
        } else {
            text_of_html(&body)
        })
    });
    match (content, summary) {
        (Some(text), _) => text,
        (None, Some(summary)) if summary.content_type.subty() == "plain" => {
            plain_text(&summary.content)
        }
        (None, Some(summary)) => text_of_html(&summary.content),
        (None, None) => String::new(),
    }
}

/// Base64 `body` decoded, when it decodes to UTF-8 text (no NUL); None
/// for what is no base64 or no text (an image, a PDF).
fn base64_text(body: &str) -> Option<String> {
    use base64::Engine;
    let compact: String = body.split_ascii_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    (!text.contains('\0')).then_some(text)
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
        assert_eq!(
            first.date.map(|d| d.date_naive()),
            NaiveDate::from_ymd_opt(2024, 5, 6)
        );
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
        assert_eq!(
            item.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-05-08T09:00:00+00:00")
        );
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
