//! Fixes for the two ways real feeds most often break XML without meaning
//! to, tried only after a feed failed to parse: a bare `&` in text
//! (`Q&A`, `?a=1&b=2`), which a strict XML parser rejects along with the
//! whole feed, and an `<rss>` root without the `version` attribute feed-rs
//! needs to know it for RSS.

/// The longest entity name kept as a reference; a longer "name" after a
/// `&` is text.
const MAX_ENTITY: usize = 32;

/// How far into the feed the `<rss>` root is looked for.
const ROOT_WINDOW: usize = 4096;

/// `bytes` with bare ampersands escaped and a missing RSS version added;
/// None when neither fix changes anything, so there is nothing to retry.
pub(super) fn repaired(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut fixed = escape_bare_ampersands(bytes);
    let versioned = with_rss_version(fixed.as_deref().unwrap_or(bytes));
    if versioned.is_some() {
        fixed = versioned;
    }
    fixed
}

/// `bytes` with every `&` that does not start a character or entity
/// reference written `&amp;`, CDATA sections left as they are; None when
/// there is no such `&`.
fn escape_bare_ampersands(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut changed = false;
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        if rest.starts_with(b"<![CDATA[") {
            let len = find(rest, b"]]>").map_or(rest.len(), |end| end + 3);
            out.extend_from_slice(&rest[..len]);
            at += len;
        } else if rest[0] == b'&' && !starts_reference(&rest[1..]) {
            out.extend_from_slice(b"&amp;");
            changed = true;
            at += 1;
        } else {
            out.push(rest[0]);
            at += 1;
        }
    }
    changed.then_some(out)
}

/// Whether `after` (what follows a `&`) is the rest of a reference:
/// `#123;`, `#x1F;` or `name;`.
fn starts_reference(after: &[u8]) -> bool {
    let Some(end) = after
        .iter()
        .take(MAX_ENTITY + 2)
        .position(|&byte| byte == b';')
    else {
        return false;
    };
    let name = &after[..end];
    match name {
        [b'#', b'x' | b'X', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        [first, more @ ..] => {
            first.is_ascii_alphabetic()
                && more
                    .iter()
                    .all(|&byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.'))
        }
        [] => false,
    }
}

/// `bytes` with ` version="2.0"` added to an `<rss>` start tag near the
/// start that has no version; None when there is no such tag.
fn with_rss_version(bytes: &[u8]) -> Option<Vec<u8>> {
    let window = &bytes[..bytes.len().min(ROOT_WINDOW)];
    let start = (0..window.len()).find(|&at| {
        window[at..].starts_with(b"<rss")
            && window
                .get(at + 4)
                .is_some_and(|&next| next == b'>' || next.is_ascii_whitespace())
    })?;
    let tag_end = start + find(&bytes[start..], b">")?;
    if find(&bytes[start..tag_end], b"version").is_some() {
        return None;
    }
    let name_end = start + 4;
    let mut out = Vec::with_capacity(bytes.len() + 16);
    out.extend_from_slice(&bytes[..name_end]);
    out.extend_from_slice(b" version=\"2.0\"");
    out.extend_from_slice(&bytes[name_end..]);
    Some(out)
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: Option<Vec<u8>>) -> String {
        String::from_utf8(bytes.unwrap_or_default()).unwrap_or_default()
    }

    #[test]
    fn bare_ampersands_are_escaped_and_references_kept() {
        let fixed = escape_bare_ampersands(b"<t>Q&A &amp; &#38; &#x26; &nbsp; a&&b &;</t>");
        assert_eq!(
            text(fixed),
            "<t>Q&amp;A &amp; &#38; &#x26; &nbsp; a&amp;&amp;b &amp;;</t>"
        );
        let cdata = b"<t><![CDATA[a & b]]> & </t>";
        assert_eq!(
            text(escape_bare_ampersands(cdata)),
            "<t><![CDATA[a & b]]> &amp; </t>"
        );
        assert_eq!(escape_bare_ampersands(b"<t>fine &amp; well</t>"), None);
    }

    #[test]
    fn an_rss_root_without_a_version_gets_one() {
        assert_eq!(
            text(with_rss_version(
                b"<?xml version=\"1.0\"?>\n<rss>\n<channel>"
            )),
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>"
        );
        assert_eq!(with_rss_version(b"<rss version=\"0.91\">"), None);
        assert_eq!(with_rss_version(b"<rssx>"), None);
        assert_eq!(repaired(b"<rss version=\"2.0\"><t>ok</t></rss>"), None);
    }
}
