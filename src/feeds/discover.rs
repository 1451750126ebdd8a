//! Finding a site's feeds from one of its web pages, for `broadsheet feed
//! add` given a page instead of a feed: the `<link rel="alternate">`
//! elements whose type names a feed. The page is read by an HTML parser
//! (html5ever, through dom_query), so attribute order, quotes, letter case
//! and character references are understood as a browser understands them.
//! [`looks_like_html`] tells a page from a feed before either is read.

use std::panic::{self, AssertUnwindSafe};

use dom_query::{Document, NodeRef};
use url::Url;

use crate::article::sanitize::sanitize_line;

/// The most of a page that is searched for links. Feeds are linked from the
/// `<head>`, at the start of the page: a page larger than this is cut
/// rather than parsed whole.
const MAX_PAGE: usize = 5 * 1024 * 1024;

/// How far into the bytes [`looks_like_html`] looks for the first tag.
const SNIFF_LEN: usize = 1024;

/// What kind of feed a link announces, from its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// `application/rss+xml`: RSS of any version.
    Rss,
    /// `application/atom+xml`: Atom.
    Atom,
    /// `application/feed+json` or `application/json`: JSON Feed.
    Json,
}

/// A feed a page links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFeed {
    /// The feed's absolute `http` or `https` address.
    pub url: String,
    /// The link's `title` (one line, terminal-safe), when it has one.
    pub title: Option<String>,
    /// The kind of feed the link's `type` announces.
    pub kind: FeedKind,
}

/// The feeds `html` links to, in the page's order, each once. Relative
/// addresses are resolved against the page's `<base href>`, else against
/// `page_url`; only `http` and `https` addresses are kept. A link counts
/// when its `rel` holds the token `alternate` (or `feed`) and its `type` is
/// a feed's. Never fails: a page without feed links, or one the parser
/// gives up on, has none.
pub fn feed_links(html: &str, page_url: &str) -> Vec<FoundFeed> {
    let html = cut(html, MAX_PAGE);
    // html5ever is not expected to panic, but a page is untrusted input and
    // a panic here would take the whole fetch down with it.
    panic::catch_unwind(AssertUnwindSafe(|| links_in(html, page_url))).unwrap_or_default()
}

/// Whether a response is a web page rather than a feed: its bytes start
/// (after a BOM, white space, an XML declaration and comments) with
/// `<!doctype html` or `<html`, in any case, or `content_type` is
/// `text/html` or `application/xhtml+xml`. Bytes that start like a feed
/// (`<rss`, `<feed`, `<rdf:RDF`, their `<!DOCTYPE`, `{`) are never a page whatever the content
/// type says, because servers that label their feed `text/html` are common.
pub fn looks_like_html(bytes: &[u8], content_type: Option<&str>) -> bool {
    let start = first_markup(bytes);
    if starts_like_feed(start) {
        return false;
    }
    starts_like_html(start) || content_type.is_some_and(is_html_type)
}

/// The links of the page, resolved, filtered and without duplicates.
fn links_in(html: &str, page_url: &str) -> Vec<FoundFeed> {
    // Bounded first, as every page is (see `html::bound`): deep nesting
    // would make the parser slow and its tree deep.
    let document = Document::from(super::html::bounded_page(html));
    let base = base_url(&document, page_url);
    let Some(links) = document.try_select("link[href]") else {
        return Vec::new();
    };
    let mut found: Vec<FoundFeed> = Vec::new();
    for link in links.nodes() {
        let Some(feed) = found_feed(link, base.as_ref()) else {
            continue;
        };
        if !found.iter().any(|seen| seen.url == feed.url) {
            found.push(feed);
        }
    }
    found
}

/// One `<link>` as a feed, when it announces one with a usable address.
fn found_feed(link: &NodeRef, base: Option<&Url>) -> Option<FoundFeed> {
    let rel = link.attr("rel")?;
    let announces = rel
        .split_ascii_whitespace()
        .any(|token| token.eq_ignore_ascii_case("alternate") || token.eq_ignore_ascii_case("feed"));
    if !announces {
        return None;
    }
    let kind = feed_kind(&link.attr("type")?)?;
    let url = resolve(link.attr("href")?.trim(), base)?;
    let title = link
        .attr("title")
        .map(|title| sanitize_line(&title))
        .filter(|title| !title.is_empty());
    Some(FoundFeed { url, title, kind })
}

/// The kind of feed a link's `type` names (`; charset=…` and case ignored).
fn feed_kind(media_type: &str) -> Option<FeedKind> {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    let lower = essence.to_ascii_lowercase();
    match lower.as_str() {
        "application/rss+xml" => Some(FeedKind::Rss),
        "application/atom+xml" => Some(FeedKind::Atom),
        "application/feed+json" | "application/json" => Some(FeedKind::Json),
        _ => None,
    }
}

/// What relative links are resolved against: the page's first
/// `<base href>` (itself resolved against the page's address), else the
/// page's address. None when neither is an absolute address, and then only
/// absolute links are kept.
fn base_url(document: &Document, page_url: &str) -> Option<Url> {
    let page = Url::parse(page_url.trim()).ok();
    let base_href = document
        .try_select("base[href]")
        .and_then(|base| base.attr("href"))
        .map(|href| href.trim().to_string());
    match (base_href, &page) {
        (Some(href), Some(page)) => page.join(&href).ok().or(Some(page.clone())),
        (Some(href), None) => Url::parse(&href).ok(),
        (None, _) => page,
    }
}

/// `href` as an absolute `http` or `https` address.
fn resolve(href: &str, base: Option<&Url>) -> Option<String> {
    if href.is_empty() {
        return None;
    }
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The bytes from the first tag that is not an XML declaration, a
/// processing instruction or a comment, within the first [`SNIFF_LEN`]
/// bytes (BOM and white space skipped).
fn first_markup(bytes: &[u8]) -> &[u8] {
    let mut rest = &bytes[..bytes.len().min(SNIFF_LEN)];
    rest = rest.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(rest);
    loop {
        rest = rest.trim_ascii_start();
        let skipped = if rest.starts_with(b"<?") {
            after(rest, b"?>")
        } else if rest.starts_with(b"<!--") {
            after(rest, b"-->")
        } else {
            None
        };
        match skipped {
            Some(next) => rest = next,
            None => return rest,
        }
    }
}

/// The bytes after the first `end` in `bytes`, if there is one.
fn after<'a>(bytes: &'a [u8], end: &[u8]) -> Option<&'a [u8]> {
    let at = bytes.windows(end.len()).position(|window| window == end)?;
    Some(&bytes[at + end.len()..])
}

/// Whether `start` opens an HTML document.
fn starts_like_html(start: &[u8]) -> bool {
    starts_with_ignoring_case(start, b"<!doctype html")
        || starts_with_ignoring_case(start, b"<html")
}

/// Whether `start` opens a feed: an RSS, RDF or Atom root or document
/// type declaration (RSS 0.91 has one), or JSON.
fn starts_like_feed(start: &[u8]) -> bool {
    const FEED_STARTS: [&[u8]; 6] = [
        b"<rss",
        b"<rdf:rdf",
        b"<feed",
        b"<!doctype rss",
        b"<!doctype rdf",
        b"<!doctype feed",
    ];
    start.starts_with(b"{")
        || FEED_STARTS
            .iter()
            .any(|root| starts_with_ignoring_case(start, root))
}

/// Whether `bytes` starts with `prefix`, ASCII case ignored.
fn starts_with_ignoring_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Whether a `Content-Type` value names an HTML page.
fn is_html_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/html")
        || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str, page: &str) -> Vec<String> {
        feed_links(html, page)
            .into_iter()
            .map(|feed| feed.url)
            .collect()
    }

    #[test]
    fn any_attribute_order_quoting_and_case_is_read() {
        let html = r#"<HTML><HEAD>
            <LINK HREF=/a.xml TYPE="Application/RSS+XML" REL=Alternate>
            <link type='application/atom+xml' title='Atom &amp; more' rel='feed alternate' href='b.atom?x=1&amp;y=2'>
            <link rel="alternate stylesheet" type="text/css" href="/style.css">
            <link rel="alternate" type="application/feed+json; charset=utf-8" href="https://cdn.example/c.json">
        </HEAD></HTML>"#;
        let found = feed_links(html, "https://site.example/blog/post");
        let kinds: Vec<FeedKind> = found.iter().map(|feed| feed.kind).collect();
        assert_eq!(kinds, [FeedKind::Rss, FeedKind::Atom, FeedKind::Json]);
        assert_eq!(found[0].url, "https://site.example/a.xml");
        assert_eq!(found[1].url, "https://site.example/blog/b.atom?x=1&y=2");
        assert_eq!(found[1].title.as_deref(), Some("Atom & more"));
        assert_eq!(found[2].url, "https://cdn.example/c.json");
    }

    #[test]
    fn only_web_addresses_are_kept_and_each_once() {
        let html = r#"<link rel=alternate type=application/rss+xml href="javascript:alert(1)">
            <link rel=alternate type=application/rss+xml href="ftp://files.example/feed">
            <link rel=alternate type=application/rss+xml href="/feed">
            <link rel=alternate type=application/rss+xml href="https://site.example/feed">
            <link rel=alternate type=application/rss+xml href="">"#;
        assert_eq!(
            urls(html, "https://site.example/"),
            ["https://site.example/feed"]
        );
    }

    #[test]
    fn without_a_page_address_only_absolute_links_are_kept() {
        let html = r#"<link rel=alternate type=application/rss+xml href="/feed">
            <link rel=alternate type=application/rss+xml href="http://a.example/rss">"#;
        assert_eq!(urls(html, "not a url"), ["http://a.example/rss"]);
    }

    #[test]
    fn pages_and_feeds_are_told_apart() {
        assert!(looks_like_html(b"\xEF\xBB\xBF \n<!DOCTYPE HTML>", None));
        assert!(looks_like_html(b"<Html lang=en>", None));
        assert!(looks_like_html(
            b"<?xml version=\"1.0\"?><!-- hi --><!DOCTYPE html PUBLIC \"x\">",
            None
        ));
        assert!(looks_like_html(b"<div>", Some("text/html; charset=utf-8")));
        assert!(!looks_like_html(b"<?xml version=\"1.0\"?><rss>", None));
        assert!(!looks_like_html(
            b"<rss version=\"2.0\">",
            Some("text/html")
        ));
        assert!(!looks_like_html(b"{\"version\": 1}", Some("text/html")));
        assert!(!looks_like_html(b"<feed>", Some("application/atom+xml")));
        assert!(!looks_like_html(
            b"<!DOCTYPE rss PUBLIC \"x\">",
            Some("text/html")
        ));
        assert!(!looks_like_html(b"", None));
    }
}
