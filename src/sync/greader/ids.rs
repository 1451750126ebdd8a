//! Google Reader item ids in their two forms, and the one text kept.
//!
//! The protocol names an item either by its long form,
//! `tag:google.com,2005:reader/item/<16 hex digits>` (what
//! `stream/items/contents` gives), or by its short form, the same 64-bit
//! number in decimal (what `stream/items/ids` gives; Google wrote it signed,
//! FreshRSS unsigned). Both name the same number, so broadsheet keeps one
//! canonical text, the unsigned decimal, and sends the long form, which
//! every server accepts in `i=`.
//!
//! The Old Reader's ids are 24-hex-digit object ids instead, in both forms
//! (`…/item/00157a17b192950b65be3791` and the bare digits): those are kept
//! as their lowercase hex digits, and sent in the long form likewise.

/// The long form's prefix.
pub const LONG_PREFIX: &str = "tag:google.com,2005:reader/item/";

/// The item's number from either form, or `None` for text in neither (an
/// id of another length or alphabet, which is then skipped and named).
pub fn number(id: &str) -> Option<u64> {
    let id = id.trim();
    if let Some(hex) = id.strip_prefix(LONG_PREFIX) {
        if hex.is_empty() || hex.len() > 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        return u64::from_str_radix(hex, 16).ok();
    }
    if let Some(negative) = id.strip_prefix('-') {
        // Google's short form is the number read as signed.
        if negative.is_empty() || !negative.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return id.parse::<i64>().ok().map(|n| n as u64);
    }
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse::<u64>().ok()
}

/// An id longer than 64 bits (The Old Reader's object ids): more than 16
/// hex digits, kept lowercase.
fn wide(hex: &str) -> Option<String> {
    (hex.len() > 16 && hex.len() <= 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_lowercase())
}

/// The canonical text of an id given in either form.
pub fn canonical(id: &str) -> Option<String> {
    let id = id.trim();
    number(id)
        .map(|n| n.to_string())
        .or_else(|| wide(id.strip_prefix(LONG_PREFIX).unwrap_or(id)))
}

/// The long form of an id given in either form (what is sent).
pub fn long_form(id: &str) -> Option<String> {
    let id = id.trim();
    match number(id) {
        Some(n) => Some(format!("{LONG_PREFIX}{n:016x}")),
        None => wide(id.strip_prefix(LONG_PREFIX).unwrap_or(id))
            .map(|hex| format!("{LONG_PREFIX}{hex}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_name_one_item() {
        // The example of Google's own ItemId page: the same item both ways.
        let long = "tag:google.com,2005:reader/item/5d0cfa30041d4348";
        let short = "6705009029382226760";
        assert_eq!(canonical(long), canonical(short));
        assert_eq!(long_form(short).as_deref(), Some(long));
        assert_eq!(canonical(long).as_deref(), Some(short));
    }

    #[test]
    fn signed_short_ids_are_the_same_number() {
        let long = "tag:google.com,2005:reader/item/ffffffffffffffff";
        assert_eq!(canonical("-1"), canonical(long));
        assert_eq!(long_form("-1").as_deref(), Some(long));
    }

    #[test]
    fn object_ids_are_kept_as_their_hex_digits() {
        let long = "tag:google.com,2005:reader/item/00157A17b192950b65be3791";
        let short = "00157a17b192950b65be3791";
        assert_eq!(canonical(long).as_deref(), Some(short));
        assert_eq!(canonical(short).as_deref(), Some(short));
        assert_eq!(
            long_form(short).as_deref(),
            Some("tag:google.com,2005:reader/item/00157a17b192950b65be3791")
        );
    }

    #[test]
    fn text_in_neither_form_is_refused() {
        for bad in [
            "",
            "abc",
            "12a",
            "-",
            "tag:google.com,2005:reader/item/",
            "tag:google.com,2005:reader/item/zz",
            "tag:google.com,2005:reader/item/00157a17b192950b65be379g",
            "12.5",
        ] {
            assert_eq!(canonical(bad), None, "{bad}");
            assert_eq!(long_form(bad), None, "{bad}");
        }
    }
}
