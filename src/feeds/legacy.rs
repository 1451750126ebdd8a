//! Old feed formats feed-rs does not read, rewritten into the ones it
//! does, so their items go through the same conversion as every other
//! feed's:
//!
//! - RSS 0.90 (`http://my.netscape.com/rdf/simple/0.9/`) is RSS 1.0 in all
//!   but its namespace: the namespace is changed.
//! - Atom 0.3 (`http://purl.org/atom/ns#`) becomes Atom 1.0: `issued` is
//!   `published`, `modified` `updated`, `tagline` `subtitle`, `copyright`
//!   `rights`, an author's `url` its `uri`; a text's `type` (a media type)
//!   and `mode` (`xml`, `escaped`, `base64`) become Atom 1.0's `type`
//!   (`text`, `html`, `xhtml`), and base64 text is decoded.
//!
//! The text given and returned is UTF-8 ([`super::encoding`] comes first).

use std::borrow::Cow;

use base64::Engine;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::{NsReader, Writer};

/// Atom 0.3's namespace.
const ATOM_03: &str = "http://purl.org/atom/ns#";
/// Atom 1.0's namespace.
const ATOM_10: &str = "http://www.w3.org/2005/Atom";
/// RSS 0.90's namespace.
const RSS_090: &str = "http://my.netscape.com/rdf/simple/0.9/";
/// RSS 1.0's namespace.
const RSS_10: &str = "http://purl.org/rss/1.0/";

/// How far into a feed its root's namespace is looked for.
const ROOT_WINDOW: usize = 4096;

/// The feed in `text` rewritten in a format feed-rs reads, when it is in
/// one of the old formats above; None when it is not (or when an Atom 0.3
/// feed's XML is broken, which the usual error then reports).
pub(super) fn modernised(text: &str) -> Option<String> {
    let mut end = text.len().min(ROOT_WINDOW);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    if head.contains(RSS_090) {
        // The namespace is declared on the root, near the start: only
        // there is it changed, so an item that quotes it keeps its text.
        let mut out = head.replace(RSS_090, RSS_10);
        out.push_str(&text[end..]);
        return Some(out);
    }
    if head.contains(ATOM_03) {
        return atom_03(text);
    }
    None
}

/// How an Atom 0.3 text element's content is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// As it is: inline XML, or text.
    Kept,
    /// Base64 to be decoded.
    Base64,
}

/// An Atom 0.3 feed as Atom 1.0, event by event.
fn atom_03(text: &str) -> Option<String> {
    let mut reader = NsReader::from_str(text);
    let mut writer = Writer::new(Vec::with_capacity(text.len() + 256));
    // The names written for the open elements, so each end tag matches.
    let mut open: Vec<String> = Vec::new();
    loop {
        let (resolved, event) = reader.read_resolved_event().ok()?;
        let in_atom = matches!(resolved, ResolveResult::Bound(Namespace(ns)) if ns == ATOM_03);
        match event {
            Event::Start(start) => {
                let (start, mode) = converted(&start, in_atom);
                open.push(start.name().as_ref().to_string());
                writer.write_event(Event::Start(start)).ok()?;
                if mode == Mode::Base64 {
                    let decoded = base64_content(&mut reader)?;
                    writer
                        .write_event(Event::Text(BytesText::new(&decoded)))
                        .ok()?;
                    let name = open.pop()?;
                    writer.write_event(Event::End(BytesEnd::new(name))).ok()?;
                }
            }
            Event::Empty(start) => {
                let (start, _) = converted(&start, in_atom);
                writer.write_event(Event::Empty(start)).ok()?;
            }
            Event::End(_) => {
                let name = open.pop()?;
                writer.write_event(Event::End(BytesEnd::new(name))).ok()?;
            }
            Event::Eof => break,
            other => writer.write_event(other).ok()?,
        }
    }
    String::from_utf8(writer.into_inner()).ok()
}

/// The text of a base64 element up to its end tag, decoded (white space
/// in the base64 ignored); what does not decode is kept as it was.
fn base64_content(reader: &mut NsReader<&[u8]>) -> Option<String> {
    let mut encoded = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Text(text) => {
                encoded.extend(text.as_ref().bytes().filter(|b| !b.is_ascii_whitespace()))
            }
            Event::CData(data) => {
                encoded.extend(data.as_ref().bytes().filter(|b| !b.is_ascii_whitespace()))
            }
            Event::End(_) => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    let engine = base64::engine::general_purpose::STANDARD;
    Some(match engine.decode(&encoded) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::from_utf8_lossy(&encoded).into_owned(),
    })
}

/// An Atom 0.3 start tag as Atom 1.0's, and how its content is carried.
/// Elements of other namespaces keep their names; every namespace
/// declaration of Atom 0.3 becomes one of Atom 1.0.
fn converted(start: &BytesStart, in_atom: bool) -> (BytesStart<'static>, Mode) {
    let name = start.name().as_ref().to_string();
    let local = start.local_name().as_ref().to_string();
    let renamed = if in_atom { renamed(&local) } else { None };
    let new_name = match renamed {
        Some(new_local) => match name.rsplit_once(':') {
            Some((prefix, _)) => format!("{prefix}:{new_local}"),
            None => new_local.to_string(),
        },
        None => name,
    };
    let is_text = in_atom && is_text_construct(&local);
    let mut media_type = None;
    let mut mode = None;
    let mut out = BytesStart::new(new_name);
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    for attribute in attributes.flatten() {
        let key = attribute.key.as_ref().to_string();
        let value = attribute.value.to_string();
        if is_text && key == "type" {
            media_type = Some(value);
        } else if is_text && key == "mode" {
            mode = Some(value);
        } else if in_atom && local == "feed" && key == "version" {
            // Atom 1.0 has no version attribute.
        } else if (key == "xmlns" || key.starts_with("xmlns:")) && value == ATOM_03 {
            out.push_attribute((key.as_str(), ATOM_10));
        } else {
            out.push_attribute((key.as_str(), value.as_str()));
        }
    }
    if !is_text {
        return (out, Mode::Kept);
    }
    let (kind, mode) = text_type(media_type.as_deref(), mode.as_deref());
    out.push_attribute(("type", kind));
    (out, mode)
}

/// The Atom 1.0 name of an Atom 0.3 element that was renamed.
fn renamed(local: &str) -> Option<&'static str> {
    Some(match local {
        "issued" => "published",
        "modified" => "updated",
        "tagline" => "subtitle",
        "copyright" => "rights",
        "url" => "uri",
        _ => return None,
    })
}

/// Whether an Atom 0.3 element is a text ("content construct") with a
/// `type` and a `mode`.
fn is_text_construct(local: &str) -> bool {
    matches!(
        local,
        "title" | "tagline" | "copyright" | "summary" | "content" | "info"
    )
}

/// Atom 1.0's `type` for an Atom 0.3 text of media type `media_type`
/// (`text/plain` when not given) carried in `mode` (`xml` when not given).
fn text_type(media_type: Option<&str>, mode: Option<&str>) -> (&'static str, Mode) {
    let media_type: Cow<str> = media_type.map_or(Cow::Borrowed("text/plain"), |t| {
        Cow::Owned(t.trim().to_ascii_lowercase())
    });
    let mode = mode.map(|m| m.trim().to_ascii_lowercase());
    let html = media_type.contains("html");
    match mode.as_deref() {
        Some("escaped") if html => ("html", Mode::Kept),
        Some("escaped") => ("text", Mode::Kept),
        Some("base64") if html => ("html", Mode::Base64),
        Some("base64") => ("text", Mode::Base64),
        _ if html => ("xhtml", Mode::Kept),
        _ => ("text", Mode::Kept),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_0_3_is_rewritten_as_atom_1_0() {
        let old = r#"<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title><entry><issued>2004-05-01T08:00:00Z</issued><content type="text/html" mode="base64">PGI+aGk8L2I+</content><summary type="text/html" mode="escaped">&lt;i&gt;s&lt;/i&gt;</summary><author><url>http://a.example/</url></author></entry></feed>"#;
        let new = modernised(old).unwrap_or_default();
        assert_eq!(
            new,
            r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title type="text">T</title><entry><published>2004-05-01T08:00:00Z</published><content type="html">&lt;b&gt;hi&lt;/b&gt;</content><summary type="html">&lt;i&gt;s&lt;/i&gt;</summary><author><uri>http://a.example/</uri></author></entry></feed>"#
        );
    }

    #[test]
    fn other_feeds_are_left_alone_and_rss_0_90_changes_namespace() {
        assert_eq!(modernised("<rss version=\"2.0\"><channel/></rss>"), None);
        let old = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel/></rdf:RDF>"#;
        assert_eq!(
            modernised(old).unwrap_or_default(),
            old.replace(RSS_090, RSS_10)
        );
    }
}
