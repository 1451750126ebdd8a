//! An item's enclosures (a podcast's audio, a video): where feed-rs puts
//! them, and how they are written into the article's front matter.
//!
//! feed-rs gives RSS `<enclosure>` and Media RSS `media:content` (in a
//! `media:group` or not) as media objects; Atom `<link rel="enclosure">`
//! and JSON Feed attachments stay among the entry's links, with their type
//! and length. All of them count; the same address is kept once. Pictures
//! (`image/*`, or an address ending as a picture file with no type given)
//! are left out: news feeds attach one to most items as an illustration,
//! which is nothing to play.

use crate::article::Enclosure;

use super::links::Bases;

/// The most enclosures kept for one item: beyond them a feed is listing
/// renditions nobody will choose between.
pub const MAX_ENCLOSURES: usize = 20;

/// The enclosures of `entry`, each address a whole http or https address
/// (`bases` resolves those feed-rs left relative; others are dropped), in
/// the feed's order, without repeats or pictures.
pub fn of_entry(entry: &feed_rs::model::Entry, bases: &Bases) -> Vec<Enclosure> {
    let media = entry
        .media
        .iter()
        .flat_map(|object| &object.content)
        .filter_map(|content| {
            let url = content.url.as_ref()?;
            Some((
                url.as_str(),
                content.content_type.as_ref().map(ToString::to_string),
                content.size,
            ))
        });
    let linked = entry
        .links
        .iter()
        .filter(|link| is_enclosure_link(link))
        .map(|link| (link.href.as_str(), link.media_type.clone(), link.length));
    let mut found: Vec<Enclosure> = Vec::new();
    for (href, kind, length) in media.chain(linked) {
        let Some(url) = bases.web_address(href) else {
            continue;
        };
        let kind = kind
            .map(|kind| crate::article::sanitize::sanitize_line(&kind))
            .filter(|kind| !kind.is_empty());
        if is_picture(kind.as_deref(), &url) || found.iter().any(|known| known.url == url) {
            continue;
        }
        found.push(Enclosure { url, kind, length });
        if found.len() == MAX_ENCLOSURES {
            break;
        }
    }
    found
}

/// Whether an entry's link is an enclosure: Atom's `rel="enclosure"`, or a
/// link with a media type and no relation, which is how feed-rs gives a
/// JSON Feed attachment.
fn is_enclosure_link(link: &feed_rs::model::Link) -> bool {
    match link.rel.as_deref() {
        Some(rel) => rel.trim().eq_ignore_ascii_case("enclosure"),
        None => link.media_type.is_some(),
    }
}

/// The endings of picture files, for enclosures given without a type.
const PICTURE_ENDINGS: &[&str] = &[".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif"];

/// Whether an enclosure is a picture: its type says so, or it has none and
/// its address's path ends as a picture file does.
fn is_picture(kind: Option<&str>, url: &str) -> bool {
    match kind {
        Some(kind) => kind.trim().to_ascii_lowercase().starts_with("image/"),
        None => {
            let path = url
                .split(['?', '#'])
                .next()
                .unwrap_or(url)
                .to_ascii_lowercase();
            PICTURE_ENDINGS.iter().any(|ending| path.ends_with(ending))
        }
    }
}

/// The front matter's `enclosures` line: an array of inline tables,
/// `enclosures = [{ url = "…", type = "audio/mpeg", length = 123 }]`, with
/// its line end. Every value is written by TOML itself (strings quoted and
/// escaped, on one line), so no value can end the front matter; the keys
/// are in this order, for people who read the file. None when there are
/// none.
pub fn front_matter_line(enclosures: &[Enclosure]) -> Option<String> {
    if enclosures.is_empty() {
        return None;
    }
    let one_line =
        |s: &str| toml::Value::String(s.split_whitespace().collect::<Vec<_>>().join(" "));
    let tables: Vec<String> = enclosures
        .iter()
        .map(|enclosure| {
            let mut fields = vec![format!("url = {}", one_line(&enclosure.url))];
            if let Some(kind) = &enclosure.kind {
                fields.push(format!("type = {}", one_line(kind)));
            }
            // A TOML integer is signed: a length beyond it is no length.
            if let Some(length) = enclosure.length.and_then(|l| i64::try_from(l).ok()) {
                fields.push(format!("length = {length}"));
            }
            format!("{{ {} }}", fields.join(", "))
        })
        .collect();
    Some(format!("enclosures = [{}]\n", tables.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_not_enclosures() {
        assert!(is_picture(Some("image/jpeg"), "https://a.example/x"));
        assert!(is_picture(Some(" IMAGE/png"), "https://a.example/x"));
        assert!(is_picture(None, "https://a.example/p.JPG?w=400"));
        assert!(!is_picture(
            Some("audio/mpeg"),
            "https://a.example/cover.jpg"
        ));
        assert!(!is_picture(None, "https://a.example/episode.mp3"));
    }

    #[test]
    fn the_front_matter_line_is_one_line_of_inline_tables() {
        let line = front_matter_line(&[
            Enclosure {
                url: "https://a.example/e.mp3?x=\"1\"\n+++".into(),
                kind: Some("audio/mpeg".into()),
                length: Some(123),
            },
            Enclosure {
                url: "https://a.example/v.mp4".into(),
                kind: None,
                length: Some(u64::MAX),
            },
        ]);
        let text = line.unwrap_or_default();
        assert_eq!(
            text,
            "enclosures = [{ url = 'https://a.example/e.mp3?x=\"1\" +++', type = \"audio/mpeg\", \
length = 123 }, { url = \"https://a.example/v.mp4\" }]\n"
        );
        let parsed: toml::Table = toml::from_str(&text).unwrap_or_default();
        assert_eq!(parsed["enclosures"][0]["length"].as_integer(), Some(123));
        assert_eq!(front_matter_line(&[]), None);
    }
}
