//! sanitize and sanitize_line: idempotent, and nothing that acts on a terminal.
#![no_main]

use broadsheet::article::sanitize::{sanitize, sanitize_line};
use broadsheet_fuzz::assert_clean;
use libfuzzer_sys::fuzz_target;

/// Whitespace that a line may break at, which `sanitize_line` trims.
fn is_breaking_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    let once = sanitize(&text);
    assert_clean("sanitize", &once, true);
    assert_eq!(sanitize(&once), once, "sanitize is not idempotent");

    let line = sanitize_line(&text);
    assert_clean("sanitize_line", &line, false);
    assert!(!line.contains('\n'));
    assert_eq!(
        sanitize_line(&line),
        line,
        "sanitize_line is not idempotent"
    );
    // No-break spaces (U+00A0, U+2007, U+202F) are kept by design, even at
    // the ends; only breaking whitespace is trimmed.
    assert!(
        !line.starts_with(is_breaking_space) && !line.ends_with(is_breaking_space),
        "sanitize_line leaves breaking whitespace at the ends: {line:?}"
    );
    assert!(!line.contains("  "), "sanitize_line leaves a run of spaces");
});
