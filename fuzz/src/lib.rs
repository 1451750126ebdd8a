//! Checks shared by the fuzz targets: what may never reach a terminal.

/// Whether `c` may never appear in sanitized text: a C0 or C1 control
/// (ESC and DEL included) or a bidi override or isolate, which could reorder
/// or hide what the reader sees.
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Panics, naming `what`, when `text` holds a forbidden character; `\n` is
/// allowed only when `newlines` is true.
pub fn assert_clean(what: &str, text: &str, newlines: bool) {
    if let Some(bad) = text
        .chars()
        .find(|&c| is_forbidden(c) && !(newlines && c == '\n'))
    {
        panic!(
            "{what} holds {:?} (U+{:04X}): {text:?}",
            bad,
            u32::from(bad)
        );
    }
}
