//! Subscriptions read from an OPML file, the format other feed readers
//! export. Real exports are sloppy, so the reading is lax: quick-xml with
//! end-tag checks off, attribute names in any case, bare `&` and HTML named
//! entities (`&nbsp;`, `&eacute;`) in attributes, no `<head>`, `<body>` or
//! version needed, outlines left open at the end. Folders (outlines without
//! a feed address) become tags of the feeds inside them.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use url::Url;

use super::encoding;
use crate::article::sanitize::sanitize_line;

/// A feed found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The feed's address: absolute, `http` or `https`, normalised (a
    /// `feed:` address is turned into the web address it stands for).
    pub url: String,
    /// The outline's `title`, else its `text` (one line, terminal-safe).
    pub name: Option<String>,
    /// The titles of the folders it is in, outermost first, then the parts
    /// of its `category` attribute (split at `,` and `/`); each once,
    /// compared case-insensitively.
    pub tags: Vec<String>,
}

/// An outline that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The address as the file gives it (one line, terminal-safe).
    pub url: String,
    /// Why it was left out, for a message: "listed twice", "not a web
    /// address (only http and https feeds can be fetched)", …
    pub reason: String,
}

/// What an OPML file holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Imported {
    /// The feeds, in the file's order, each address once.
    pub subscriptions: Vec<Subscription>,
    /// The outlines with an address that were left out: duplicates, other
    /// schemes than http and https, addresses that do not parse, links to
    /// pages or other OPML files.
    pub skipped: Vec<Skipped>,
    /// When the file is broken part way through: what is wrong and where
    /// (`line 40, column 3: …`). What came before it is imported.
    pub stopped: Option<String>,
}

/// Reads the subscriptions of an OPML file. An error only when nothing
/// usable is in it: it is binary, cannot be read as XML before its first
/// feed (the message gives line and column), or has no outlines at all.
/// A file that is OPML but lists no feeds imports as empty.
/// The file may be in any encoding XML allows, declared or not: it is
/// read as [`encoding::xml_text`] decides (a Latin-1 export keeps its
/// accents).
pub fn import(bytes: &[u8]) -> Result<Imported, String> {
    let text = encoding::xml_text(bytes, None);
    // Text never holds NUL; binary files (images, archives) nearly always
    // do. UTF-16 and UCS-4 files have theirs decoded away by now.
    if text.contains('\0') {
        return Err(
            "not an OPML file: it holds binary data; export the feeds from your feed reader as OPML"
                .to_string(),
        );
    }
    let mut walk = Walk::default();
    let mut reader = lax_reader(&text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag)) => walk.open(&tag),
            Ok(Event::Empty(tag)) => walk.leaf(&tag),
            Ok(Event::End(tag)) => walk.close(tag.name().as_ref()),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                let (line, column) = crate::position::line_column(&text, offset);
                walk.imported.stopped = Some(format!("line {line}, column {column}: {err}"));
                break;
            }
        }
    }
    walk.finish()
}

/// A reader that tolerates what real exports get wrong: mismatched and
/// unmatched end tags and bare `&` in text.
fn lax_reader(text: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.check_comments = false;
    reader
}

/// The state of the walk through the file's elements.
#[derive(Default)]
struct Walk {
    /// What was found so far.
    imported: Imported,
    /// One entry per open outline: its title when it is a folder, None
    /// when it is a feed (a feed's children get no tag from it).
    open: Vec<Option<String>>,
    /// Whether an `<opml>` element or any outline was seen.
    saw_opml: bool,
}

impl Walk {
    /// An element that may have children.
    fn open(&mut self, tag: &BytesStart) {
        if !self.notice(tag.name().as_ref()) {
            return;
        }
        let outline = Outline::read(tag);
        let folder = match outline.address() {
            Some(_) => {
                self.take(&outline);
                None
            }
            None => outline.name(),
        };
        self.open.push(folder);
    }

    /// An element written `<outline … />`.
    fn leaf(&mut self, tag: &BytesStart) {
        if self.notice(tag.name().as_ref()) {
            self.take(&Outline::read(tag));
        }
    }

    /// An end tag: `</outline>` closes the innermost open outline, any
    /// other is ignored (the file's structure is not checked).
    fn close(&mut self, name: &str) {
        if is_outline(name) {
            self.open.pop();
        }
    }

    /// Whether `name` is an outline; notes that the file looks like OPML.
    fn notice(&mut self, name: &str) -> bool {
        let outline = is_outline(name);
        self.saw_opml |= outline || local_name(name).eq_ignore_ascii_case("opml");
        outline
    }

    /// A feed outline as a subscription, or as a skipped one.
    fn take(&mut self, outline: &Outline) {
        let Some(address) = outline.address() else {
            return;
        };
        let shown = sanitize_line(address);
        let url = match outline.refusal().map_or_else(|| web_address(address), Err) {
            Ok(url) => url,
            Err(reason) => return self.skip(shown, reason),
        };
        if self.imported.subscriptions.iter().any(|s| s.url == url) {
            return self.skip(shown, "listed twice".into());
        }
        let folders = self.open.iter().flatten().cloned();
        let tags = unique(folders.chain(outline.categories()).collect());
        self.imported.subscriptions.push(Subscription {
            url,
            name: outline.name(),
            tags,
        });
    }

    /// Notes an outline that is not imported.
    fn skip(&mut self, url: String, reason: String) {
        self.imported.skipped.push(Skipped { url, reason });
    }

    /// What was found, or why nothing usable was.
    fn finish(self) -> Result<Imported, String> {
        let imported = self.imported;
        if !imported.subscriptions.is_empty() {
            return Ok(imported);
        }
        if let Some(stopped) = &imported.stopped {
            return Err(format!(
                "not readable as OPML: the XML is broken at {stopped}; fix that place in the file or export it again"
            ));
        }
        if !self.saw_opml {
            return Err("not an OPML file: it has no <opml> element and no <outline>; export the feeds from your feed reader as OPML".into());
        }
        Ok(imported)
    }
}

/// The attributes of one outline that matter, unescaped.
#[derive(Default)]
struct Outline {
    xml_url: Option<String>,
    url: Option<String>,
    title: Option<String>,
    text: Option<String>,
    category: Option<String>,
    kind: Option<String>,
}

impl Outline {
    /// Reads the attributes of `tag`, names in any case; attributes that
    /// cannot be read (no value, broken quotes) are passed over.
    fn read(tag: &BytesStart) -> Outline {
        let mut outline = Outline::default();
        let mut attributes = tag.html_attributes();
        attributes.with_checks(false);
        for attribute in attributes.flatten() {
            let name = local_name(attribute.key.as_ref()).to_lowercase();
            let value = unescape(&attribute.value);
            let slot = match name.as_str() {
                "xmlurl" => &mut outline.xml_url,
                "url" => &mut outline.url,
                "title" => &mut outline.title,
                "text" => &mut outline.text,
                "category" => &mut outline.category,
                "type" => &mut outline.kind,
                _ => continue,
            };
            // The first of a repeated attribute counts, as in HTML.
            slot.get_or_insert(value);
        }
        outline
    }

    /// The feed address: `xmlUrl`, else `url`; None for a folder.
    fn address(&self) -> Option<&str> {
        [&self.xml_url, &self.url]
            .into_iter()
            .flatten()
            .map(|url| url.trim())
            .find(|url| !url.is_empty())
    }

    /// Why an outline with an address is no feed, by its `type`: OPML 2.0
    /// uses `url` for links to pages and to other OPML files too.
    fn refusal(&self) -> Option<String> {
        if self
            .xml_url
            .as_deref()
            .is_some_and(|url| !url.trim().is_empty())
        {
            return None;
        }
        let kind = self.kind.as_deref().unwrap_or_default().trim();
        if kind.eq_ignore_ascii_case("link") {
            Some("a link to a web page, not a feed".into())
        } else if kind.eq_ignore_ascii_case("include") {
            Some(
                "a link to another OPML file, which is not followed; import that file itself"
                    .into(),
            )
        } else {
            None
        }
    }

    /// The title, else the text, as one clean line.
    fn name(&self) -> Option<String> {
        [&self.title, &self.text]
            .into_iter()
            .flatten()
            .map(|name| sanitize_line(name))
            .find(|name| !name.is_empty())
    }

    /// The parts of the `category` attribute: `a, b/c` gives a, b, c.
    fn categories(&self) -> Vec<String> {
        let category = self.category.as_deref().unwrap_or_default();
        category
            .split([',', '/'])
            .map(sanitize_line)
            .filter(|part| !part.is_empty())
            .collect()
    }
}

/// Whether an element name is `outline`, in any case and with any prefix.
fn is_outline(name: &str) -> bool {
    local_name(name).eq_ignore_ascii_case("outline")
}

/// A name without its namespace prefix.
fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// `address` as a normalised `http` or `https` address, or why it is not
/// one. `feed://host/path` and `feed:https://…` (written by old readers)
/// are taken as the web addresses they stand for.
fn web_address(address: &str) -> Result<String, String> {
    let lower = address.to_ascii_lowercase();
    let address = if lower.starts_with("feed:http:") || lower.starts_with("feed:https:") {
        address["feed:".len()..].to_string()
    } else if lower.starts_with("feed://") {
        format!("http://{}", &address["feed://".len()..])
    } else {
        address.to_string()
    };
    let url = Url::parse(&address).map_err(|err| format!("not a valid address ({err})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("not a web address (only http and https feeds can be fetched)".into());
    }
    // The one check every address passes (`feed add`, fetch): a slip such
    // as `http:host/x` or a numeric host is refused, not read leniently.
    crate::store::feeds::check_url(&address)?;
    Ok(url.to_string())
}

/// `tags` with later repeats (compared case-insensitively) dropped.
fn unique(tags: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags {
        let folded = tag.to_lowercase();
        if !out.iter().any(|kept| kept.to_lowercase() == folded) {
            out.push(tag);
        }
    }
    out
}

/// An attribute value with its character and entity references resolved:
/// the five of XML, every HTML5 named entity and numeric references. What
/// only looks like a reference (a bare `&`, `&unknown;`, `&#xZZ;`) is kept
/// as it is written, where a strict parser would give up on the file.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after) {
            Some((resolved, len)) => {
                out.push_str(&resolved);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The longest entity name looked for after a `&` (HTML5's longest is 31).
const MAX_ENTITY: usize = 32;

/// The text of the reference at the start of `text` (just after its `&`)
/// and the length of the reference up to and including its `;`.
fn reference(text: &str) -> Option<(String, usize)> {
    // Looked for in bytes: a cut of the text at MAX_ENTITY bytes may fall
    // inside a character (`&amp;日本`), and a `;` is one byte anyway.
    let window = &text.as_bytes()[..text.len().min(MAX_ENTITY + 1)];
    let end = window.iter().position(|&byte| byte == b';')?;
    let name = &text[..end];
    let resolved = match name.strip_prefix('#') {
        Some(number) => {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            char::from_u32(code)?.to_string()
        }
        None if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            quick_xml::escape::resolve_html5_entity(name)?.to_string()
        }
        None => return None,
    };
    Some((resolved, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_and_what_only_looks_like_one_is_kept() {
        assert_eq!(unescape("a &amp; b & c"), "a & b & c");
        assert_eq!(unescape("caf&eacute;&nbsp;&#233;&#xE9;"), "café\u{a0}éé");
        assert_eq!(unescape("AT&T; &bogus; &#xZZ; &"), "AT&T; &bogus; &#xZZ; &");
        assert_eq!(unescape("?a=1&b=2"), "?a=1&b=2");
        assert_eq!(unescape("&amp;amp;"), "&amp;");
        // Multi-byte text right after a reference, within the longest
        // entity name's reach.
        assert_eq!(
            unescape("?q=&amp;日本語のニュースですよ"),
            "?q=&日本語のニュースですよ"
        );
        assert_eq!(unescape("a&amp;é"), "a&é");
    }

    #[test]
    fn feed_addresses_are_web_addresses() {
        assert_eq!(
            web_address("feed://a.example/rss").as_deref(),
            Ok("http://a.example/rss")
        );
        assert_eq!(
            web_address("feed:https://a.example/rss").as_deref(),
            Ok("https://a.example/rss")
        );
        assert_eq!(
            web_address("HTTPS://A.example").as_deref(),
            Ok("https://a.example/")
        );
        assert!(web_address("file:///etc/passwd").is_err());
        assert!(web_address("javascript:alert(1)").is_err());
        assert!(web_address("no scheme").is_err());
        // The slips `feed add` and fetch refuse are refused here too, not
        // read leniently as another address.
        assert!(web_address("http:127.0.0.1:8080/x").is_err());
        assert!(web_address("http://2130706433:8080/x").is_err());
        assert!(web_address("http:8080//x").is_err());
    }

    #[test]
    fn a_file_that_is_no_opml_is_an_error_that_says_so() {
        let err = import(b"<html><body>hi</body></html>")
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("not an OPML file"), "{err}");
        let err = import(b"\x00\x01\x02").err().unwrap_or_default();
        assert!(err.contains("binary"), "{err}");
        let empty = import(b"<opml version=\"2.0\"><body/></opml>");
        assert_eq!(empty, Ok(Imported::default()));
    }

    #[test]
    fn a_file_broken_before_any_feed_says_where() {
        let err = import(b"<opml>\n<body>\n  <outline text=\"x\" xmlUrl=\"http://a.example/\"")
            .err()
            .unwrap_or_default();
        assert!(err.contains("line 3, column 3"), "{err}");
    }
}
