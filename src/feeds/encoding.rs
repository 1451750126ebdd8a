//! Which character encoding fetched bytes are in, decided as XML and HTTP
//! say, and the bytes transcoded once to UTF-8 (encoding_rs), so that the
//! parsers behind (feed-rs and quick-xml for feeds and OPML, html5ever for
//! pages) only ever see UTF-8.
//!
//! For XML (feeds, OPML) the order is that of XML 1.0 (appendix F) and
//! RFC 7303: a byte-order mark (UTF-8, UTF-16 LE or BE, UCS-4 LE or BE),
//! then the HTTP `charset`, then the XML declaration's `encoding` (its
//! aliases `ucs-2`, `csunicode`, `iso-10646-ucs-2` and `unicode` are
//! UTF-16), then the first bytes (`<\0?\0` is UTF-16 without a mark), and
//! for bytes that declare nothing and are not UTF-8, chardetng's guess
//! (Shift_JIS, EUC-JP, EUC-KR, GBK, KOI8-R and the rest of the legacy
//! encodings of the web). A label that contradicts the first bytes (a
//! `charset=utf-16` on bytes that read `<?xml` in ASCII) is passed over.
//! The declaration's `encoding` is removed from the UTF-8 text, so no XML
//! reader behind decodes it a second time.
//!
//! For HTML pages: a byte-order mark, the HTTP `charset`, a `<meta
//! charset>` or `http-equiv` declaration in the first 1,024 bytes, then
//! UTF-8 when the bytes are UTF-8, else chardetng's guess.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How far into a document its XML declaration or `<meta>` charset is
/// looked for (HTML's prescan reads 1,024 bytes).
const PRESCAN: usize = 1024;

/// A character encoding a document can be in: one encoding_rs decodes, or
/// UCS-4 (UTF-32), which it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    /// Decoded by encoding_rs.
    Web(&'static Encoding),
    /// UCS-4 (UTF-32), big-endian when true.
    Ucs4 { big_endian: bool },
}

/// What the first bytes of an XML document say about its encoding before
/// any label is read: which family of encodings could have written them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// ASCII appears as ASCII: UTF-8 and the legacy encodings.
    Ascii,
    /// 16-bit units.
    Utf16 { big_endian: bool },
    /// 32-bit units.
    Ucs4 { big_endian: bool },
}

impl Family {
    /// The charset a label names, when it can be this family's: a UTF-16
    /// label takes the byte order the bytes show; a label of another
    /// family than the bytes is passed over (None).
    fn accepts(self, label: Charset) -> Option<Charset> {
        match (self, label) {
            (Family::Ascii, Charset::Web(encoding)) if encoding.is_ascii_compatible() => {
                Some(label)
            }
            (Family::Utf16 { big_endian }, Charset::Web(encoding)) if is_utf16(encoding) => {
                Some(Charset::Web(utf16(big_endian)))
            }
            (Family::Ucs4 { big_endian }, Charset::Ucs4 { .. }) => {
                Some(Charset::Ucs4 { big_endian })
            }
            _ => None,
        }
    }

    /// The charset of the family itself, when nothing more is known.
    fn default_charset(self) -> Option<Charset> {
        match self {
            Family::Ascii => None,
            Family::Utf16 { big_endian } => Some(Charset::Web(utf16(big_endian))),
            Family::Ucs4 { big_endian } => Some(Charset::Ucs4 { big_endian }),
        }
    }
}

/// A feed's or an OPML file's bytes as UTF-8 text, decided as described in
/// the module's documentation, with no byte-order mark and no `encoding`
/// in its XML declaration. `content_type` is the HTTP `Content-Type`, when
/// the bytes were fetched. Bytes that are not valid in their encoding are
/// replaced by U+FFFD; this never fails.
pub fn xml_text<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    let (charset, body) = xml_charset(bytes, content_type);
    let text = decode(charset, body);
    match without_declared_encoding(&text) {
        Some(rewritten) => Cow::Owned(rewritten),
        None => text,
    }
}

/// A web page's bytes as UTF-8 text: its byte-order mark, else the HTTP
/// charset, else its `<meta>` charset, else UTF-8 when the bytes are UTF-8,
/// else chardetng's guess. Never fails: bytes not valid in the encoding
/// become U+FFFD.
pub fn html_text<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom_len..]).0;
    }
    let declared = content_type
        .and_then(http_charset)
        .and_then(web_label)
        .or_else(|| meta_charset(bytes).map(html_meta_encoding));
    let encoding = declared.unwrap_or_else(|| undeclared(bytes));
    encoding.decode_without_bom_handling(bytes).0
}

/// The charset of an XML document and its bytes without the byte-order
/// mark.
fn xml_charset<'a>(bytes: &'a [u8], content_type: Option<&str>) -> (Charset, &'a [u8]) {
    if let Some((charset, len)) = byte_order_mark(bytes) {
        return (charset, &bytes[len..]);
    }
    let family = family_of(bytes);
    let declared = declared_encoding(bytes, family)
        .and_then(|name| label(&name))
        .and_then(|charset| family.accepts(charset));
    let from_http = content_type
        .and_then(http_charset)
        .and_then(label)
        .and_then(|charset| family.accepts(charset))
        .filter(|charset| !server_default_over_utf8(*charset, declared, bytes));
    let charset = from_http
        .or(declared)
        .or_else(|| family.default_charset())
        .unwrap_or_else(|| Charset::Web(undeclared(bytes)));
    (charset, bytes)
}

/// Whether an HTTP charset is a server's default (`ISO-8859-1` is many a
/// server's for every text type) laid over a document that is UTF-8: the
/// charset names a legacy encoding, the declaration names UTF-8 or
/// nothing, and the bytes are valid UTF-8 with characters beyond ASCII,
/// which text in a legacy encoding practically never is. The document's
/// own word is taken then.
fn server_default_over_utf8(http: Charset, declared: Option<Charset>, bytes: &[u8]) -> bool {
    let legacy = matches!(http, Charset::Web(encoding) if encoding != UTF_8 && encoding.is_ascii_compatible());
    let says_utf8 = declared.is_none_or(|charset| charset == Charset::Web(UTF_8));
    legacy && says_utf8 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// The charset a byte-order mark at the start of `bytes` names, and the
/// mark's length. UCS-4's marks are looked for first: `FF FE 00 00` would
/// otherwise read as UTF-16's mark and a NUL, which no XML holds.
fn byte_order_mark(bytes: &[u8]) -> Option<(Charset, usize)> {
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some((Charset::Ucs4 { big_endian: true }, 4));
    }
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some((Charset::Ucs4 { big_endian: false }, 4));
    }
    Encoding::for_bom(bytes).map(|(encoding, len)| (Charset::Web(encoding), len))
}

/// The family of encodings the first four bytes of a document without a
/// byte-order mark are in: `00 00 00 3C` is UCS-4 BE, `3C 00 00 00` UCS-4
/// LE, `00 3C 00 3F` UTF-16 BE and `3C 00 3F 00` UTF-16 LE (any two
/// ASCII characters in place of `<?`, so a comment or white space first
/// is read too), anything else ASCII.
fn family_of(bytes: &[u8]) -> Family {
    let Some(&[a, b, c, d]) = bytes.get(..4) else {
        return Family::Ascii;
    };
    let ascii = |byte: u8| matches!(byte, b'\t' | b'\n' | b'\r' | b' '..=b'~');
    match (a, b, c, d) {
        (0, 0, 0, x) if ascii(x) => Family::Ucs4 { big_endian: true },
        (x, 0, 0, 0) if ascii(x) => Family::Ucs4 { big_endian: false },
        (0, x, 0, y) if ascii(x) && ascii(y) => Family::Utf16 { big_endian: true },
        (x, 0, y, 0) if ascii(x) && ascii(y) => Family::Utf16 { big_endian: false },
        _ => Family::Ascii,
    }
}

/// The `encoding` of the XML declaration at the start of `bytes` (read in
/// the family's units), when it has one.
fn declared_encoding(bytes: &[u8], family: Family) -> Option<String> {
    let head = &bytes[..bytes.len().min(PRESCAN * 4)];
    let text: String = match family {
        Family::Ascii => head[..head.len().min(PRESCAN)]
            .iter()
            .map(|&byte| {
                if byte.is_ascii() {
                    byte as char
                } else {
                    '\u{FFFD}'
                }
            })
            .collect(),
        Family::Utf16 { big_endian } => {
            utf16(big_endian).decode_without_bom_handling(head).0.into()
        }
        Family::Ucs4 { big_endian } => decode_ucs4(head, big_endian),
    };
    let (start, end) = declaration(&text)?;
    pseudo_attribute(&text[start..end], "encoding").map(|(value, _)| value.to_string())
}

/// Where the XML declaration of `text` is: from `<?xml` to just before
/// `?>`. Only white space may come before it.
fn declaration(text: &str) -> Option<(usize, usize)> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let after = rest.strip_prefix("<?xml")?;
    if !after.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let end = rest.find("?>")?;
    Some((start, start + end))
}

/// The value of the pseudo-attribute `name` in an XML declaration, and
/// the byte range of the whole `name="value"` in `declaration`.
fn pseudo_attribute<'a>(
    declaration: &'a str,
    name: &str,
) -> Option<(&'a str, std::ops::Range<usize>)> {
    let mut from = 0;
    while let Some(found) = declaration[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = declaration[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let rest = declaration[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value_start = declaration.len() - rest.len() + 1;
        let value_len = declaration[value_start..].find(quote)?;
        let value = &declaration[value_start..value_start + value_len];
        return Some((value, at..value_start + value_len + 1));
    }
    None
}

/// `text` with the `encoding` of every XML declaration in it removed; None
/// when there is none. The text is UTF-8 now, which an XML reader assumes
/// without a label; a label left in place would make it decode the text
/// again (and feed-rs's reader panics when told to switch encodings past
/// the start, as a second declaration further down would tell it).
/// Declarations in CDATA sections and comments are text, left as written.
fn without_declared_encoding(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // Up to where `text` has been copied into `out`.
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        at += found;
        let rest = &text[at..];
        if rest.starts_with("<![CDATA[") {
            at = skip_past(text, at, "]]>");
        } else if rest.starts_with("<!--") {
            at = skip_past(text, at, "-->");
        } else if is_declaration_start(rest) {
            // A declaration never closed closes none after it either.
            let Some(end) = memchr::memmem::find(rest.as_bytes(), b"?>") else {
                break;
            };
            if let Some((_, range)) = pseudo_attribute(&rest[..end], "encoding") {
                // The white space before the pseudo-attribute goes with it.
                let mut cut_from = at + range.start;
                while text[..cut_from].ends_with(|c: char| c.is_ascii_whitespace()) {
                    cut_from -= 1;
                }
                let kept = out.get_or_insert_with(|| String::with_capacity(text.len()));
                kept.push_str(&text[copied..cut_from]);
                copied = at + range.end;
            }
            at += end;
        } else {
            at += 1;
        }
    }
    let mut out = out?;
    out.push_str(&text[copied..]);
    Some(out)
}

/// Whether `text` starts with `<?xml` and white space, as a declaration
/// does (quick-xml's test: `<?XML` is another processing instruction).
fn is_declaration_start(text: &str) -> bool {
    text.strip_prefix("<?xml")
        .is_some_and(|after| after.starts_with(|c: char| c.is_ascii_whitespace()))
}

/// Where the first `end` after `at` in `text` ends; the end of the text
/// when there is none.
fn skip_past(text: &str, at: usize, end: &str) -> usize {
    memchr::memmem::find(&text.as_bytes()[at..], end.as_bytes())
        .map_or(text.len(), |found| at + found + end.len())
}

/// The `charset` parameter of a `Content-Type` value, unquoted.
fn http_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|value| !value.is_empty())
    })
}

/// The charset an encoding label names: the WHATWG labels encoding_rs
/// knows (its replacement encoding, for labels that must not be decoded,
/// is no charset here), and the UCS-4 and UTF-32 labels.
fn label(name: &str) -> Option<Charset> {
    let lower = name.trim().to_ascii_lowercase();
    match lower.as_str() {
        "ucs-4" | "ucs4" | "iso-10646-ucs-4" | "csucs4" | "utf-32" | "utf32" => {
            Some(Charset::Ucs4 { big_endian: true })
        }
        "utf-32be" | "ucs-4be" => Some(Charset::Ucs4 { big_endian: true }),
        "utf-32le" | "ucs-4le" => Some(Charset::Ucs4 { big_endian: false }),
        _ => web_label(&lower).map(Charset::Web),
    }
}

/// The encoding_rs encoding of a label, leaving out the replacement
/// encoding (labels such as `iso-2022-kr` that browsers refuse to decode).
fn web_label(name: &str) -> Option<&'static Encoding> {
    Encoding::for_label(name.trim().as_bytes())
        .filter(|encoding| *encoding != encoding_rs::REPLACEMENT)
}

/// Whether `encoding` is one of the UTF-16s.
fn is_utf16(encoding: &'static Encoding) -> bool {
    encoding == UTF_16LE || encoding == UTF_16BE
}

/// UTF-16 of the given byte order.
fn utf16(big_endian: bool) -> &'static Encoding {
    if big_endian { UTF_16BE } else { UTF_16LE }
}

/// The encoding of bytes nothing declares: UTF-8 when they are valid
/// UTF-8 or nearly (a stray byte in a UTF-8 feed is kept a stray byte, not
/// a reason to read every other character wrong), else chardetng's guess
/// among the legacy encodings of the web.
fn undeclared(bytes: &[u8]) -> &'static Encoding {
    if mostly_utf8(bytes) {
        return UTF_8;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, Utf8Detection::Deny)
}

/// Whether `bytes` are UTF-8 but for a few stray bytes: valid, or with at
/// least four characters beyond ASCII for every byte that is not UTF-8.
/// Text in a legacy encoding is hardly ever valid UTF-8 beyond a chance
/// character or two.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut beyond_ascii, mut stray) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        beyond_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        stray += chunk.invalid().len();
    }
    stray == 0 || beyond_ascii >= stray.saturating_mul(4)
}

/// The encoding a `<meta>` label stands for, as HTML has it: a UTF-16
/// label on a page read as ASCII is UTF-8, `x-user-defined` windows-1252.
fn html_meta_encoding(encoding: &'static Encoding) -> &'static Encoding {
    if is_utf16(encoding) {
        UTF_8
    } else if encoding == encoding_rs::X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    }
}

/// The encoding a `<meta charset="…">` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` in the first 1,024 bytes names.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + found + b"<meta".len();
        let end = lower[start..]
            .iter()
            .position(|&byte| byte == b'>')
            .map_or(lower.len(), |len| start + len);
        if let Some(encoding) = charset_in_tag(&lower[start..end]) {
            return Some(encoding);
        }
        from = end;
    }
    None
}

/// The encoding a `charset=` inside one `<meta>` tag (lowercased) names.
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&tag[from..], b"charset") {
        let mut at = from + found + b"charset".len();
        from = at;
        while tag.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if tag.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while tag
            .get(at)
            .is_some_and(|&byte| byte.is_ascii_whitespace() || byte == b'"' || byte == b'\'')
        {
            at += 1;
        }
        let len = tag[at..]
            .iter()
            .position(|&byte| !(byte.is_ascii_alphanumeric() || b"-_.:".contains(&byte)))
            .unwrap_or(tag.len() - at);
        let name = std::str::from_utf8(&tag[at..at + len]).ok()?;
        if let Some(encoding) = web_label(name) {
            return Some(encoding);
        }
    }
    None
}

/// `bytes` decoded as `charset`, borrowed when they are UTF-8 already.
fn decode(charset: Charset, bytes: &[u8]) -> Cow<'_, str> {
    match charset {
        Charset::Web(encoding) => encoding.decode_without_bom_handling(bytes).0,
        Charset::Ucs4 { big_endian } => Cow::Owned(decode_ucs4(bytes, big_endian)),
    }
}

/// UCS-4 in the given byte order as text; a unit that is no character
/// becomes U+FFFD, and a last incomplete unit is dropped.
fn decode_ucs4(bytes: &[u8], big_endian: bool) -> String {
    let (units, _rest) = bytes.as_chunks::<4>();
    units
        .iter()
        .map(|unit| {
            let code = if big_endian {
                u32::from_be_bytes(*unit)
            } else {
                u32::from_le_bytes(*unit)
            };
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = "<rss version=\"2.0\"><channel><title>Grüße – 世界</title></channel></rss>";

    fn with_decl(encoding: &str) -> String {
        format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>\n{RSS}")
    }

    fn utf16_bytes(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian {
                &[0xFE, 0xFF]
            } else {
                &[0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    fn ucs4_bytes(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let chars = bom.then_some('\u{FEFF}').into_iter().chain(text.chars());
        for c in chars {
            let code = c as u32;
            out.extend_from_slice(&if big_endian {
                code.to_be_bytes()
            } else {
                code.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_and_ucs4_are_read_from_their_mark_or_first_bytes() {
        let expected = format!("<?xml version=\"1.0\"?>\n{RSS}");
        for big_endian in [true, false] {
            for bom in [true, false] {
                for name in ["utf-16", "ucs-2", "csunicode", "iso-10646-ucs-2", "unicode"] {
                    let bytes = utf16_bytes(&with_decl(name), big_endian, bom);
                    assert_eq!(
                        xml_text(&bytes, None),
                        expected,
                        "{name} {big_endian} {bom}"
                    );
                }
                let bytes = ucs4_bytes(&with_decl("ucs-4"), big_endian, bom);
                assert_eq!(xml_text(&bytes, None), expected, "ucs-4 {big_endian} {bom}");
            }
        }
        // A comment before the root and no declaration, little-endian.
        let commented = format!("<!-- made by hand -->{RSS}");
        let bytes = utf16_bytes(&commented, false, true);
        assert_eq!(xml_text(&bytes, None), commented);
        let bytes = utf16_bytes(&commented, false, false);
        assert_eq!(xml_text(&bytes, None), commented);
    }

    #[test]
    fn the_http_charset_wins_over_the_declaration_unless_the_bytes_contradict_it() {
        let latin = with_decl("utf-8").replace("世界", "x");
        let (latin1, _, _) = WINDOWS_1252.encode(&latin);
        let text = xml_text(&latin1, Some("application/rss+xml; charset=\"ISO-8859-1\""));
        assert!(text.contains("Grüße"), "{text}");
        assert!(!text.contains("encoding="), "{text}");
        // A server's Latin-1 default over a feed that is UTF-8 and says so.
        let utf8 = with_decl("utf-8");
        assert_eq!(
            xml_text(utf8.as_bytes(), Some("text/xml; charset=ISO-8859-1")),
            format!("<?xml version=\"1.0\"?>\n{RSS}")
        );
        // A charset=utf-16 on bytes that are plainly ASCII is passed over.
        let utf8 = with_decl("utf-8");
        assert_eq!(
            xml_text(utf8.as_bytes(), Some("text/xml; charset=utf-16")),
            format!("<?xml version=\"1.0\"?>\n{RSS}")
        );
    }

    #[test]
    fn undeclared_legacy_bytes_are_detected() {
        let cases: [(&str, &'static Encoding); 5] = [
            (
                "日本語のニュースです。今日は晴れでした。明日も晴れるでしょう。",
                encoding_rs::SHIFT_JIS,
            ),
            (
                "日本語のニュースです。今日は晴れでした。明日も晴れるでしょう。",
                encoding_rs::EUC_JP,
            ),
            (
                "한국어 뉴스입니다. 오늘은 맑았습니다. 내일도 맑을 것입니다.",
                encoding_rs::EUC_KR,
            ),
            (
                "这是中文新闻。今天天气晴朗。明天也会是晴天。",
                encoding_rs::GBK,
            ),
            (
                "Это новости на русском языке. Сегодня было солнечно, завтра тоже.",
                encoding_rs::KOI8_R,
            ),
        ];
        for (words, encoding) in cases {
            let xml = format!(
                "<?xml version=\"1.0\"?><rss><channel><title>{words}</title></channel></rss>"
            );
            let (bytes, _, _) = encoding.encode(&xml);
            assert_eq!(xml_text(&bytes, None), xml, "{}", encoding.name());
        }
    }

    #[test]
    fn a_stray_byte_in_undeclared_utf8_does_not_make_it_latin1() {
        let mut bytes = "<rss><channel><title>Grüße aus Köln, Zürich und Genève</title>"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b" caf\xe9</channel></rss>");
        let text = xml_text(&bytes, None);
        assert!(text.contains("Grüße aus Köln, Zürich und Genève"), "{text}");
        // Latin-1 throughout is Latin-1 (windows-1252, as browsers read it).
        let (latin1, _, _) = WINDOWS_1252.encode("<t>Grüße aus Köln</t>");
        assert_eq!(xml_text(&latin1, None), "<t>Grüße aus Köln</t>");
    }

    #[test]
    fn pages_say_their_charset_in_meta() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"></head><body>日本語</body></html>";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(page);
        assert_eq!(html_text(&bytes, None), page);
        let page = "<meta charset='koi8-r'><p>Привет</p>";
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(page);
        assert_eq!(html_text(&bytes, Some("text/html")), page);
        assert_eq!(html_text("<p>é</p>".as_bytes(), None), "<p>é</p>");
        let (bytes, _, _) = WINDOWS_1252.encode("<p>café</p>");
        assert_eq!(
            html_text(&bytes, Some("text/html; charset=iso-8859-1")),
            "<p>café</p>"
        );
    }

    #[test]
    fn declarations_are_read_and_removed_exactly() {
        assert_eq!(
            without_declared_encoding("<?xml version='1.0' encoding='x' standalone='yes'?><a/>")
                .as_deref(),
            Some("<?xml version='1.0' standalone='yes'?><a/>")
        );
        assert_eq!(
            without_declared_encoding("<?xml version=\"1.0\"?><a/>"),
            None
        );
        assert_eq!(without_declared_encoding("<a encoding=\"x\"/>"), None);
        // Every declaration goes, but those that are text stay.
        assert_eq!(
            without_declared_encoding(
                "<?xml version=\"1.0\" encoding=\"a\"?><r><![CDATA[<?xml version=\"1.0\" encoding=\"b\"?>]]>\
                 <!-- <?xml version=\"1.0\" encoding=\"c\"?> --><?xml version=\"1.0\" encoding=\"d\"?></r>"
            )
            .as_deref(),
            Some(
                "<?xml version=\"1.0\"?><r><![CDATA[<?xml version=\"1.0\" encoding=\"b\"?>]]>\
                 <!-- <?xml version=\"1.0\" encoding=\"c\"?> --><?xml version=\"1.0\"?></r>"
            )
        );
        assert_eq!(http_charset("text/xml; Charset=\"KOI8-R\""), Some("KOI8-R"));
        assert_eq!(http_charset("text/xml"), None);
        assert_eq!(label("ISO-10646-UCS-2"), Some(Charset::Web(UTF_16LE)));
        assert_eq!(label("iso-2022-kr"), None);
    }
}
