//! Inputs the fuzz targets in `fuzz/` stopped on, kept as tests of the
//! behaviour they should have shown. See fuzz/README.md for how to add one.

use broadsheet::article::sanitize::sanitize_line;

/// `sanitize` fuzz target, first run: a line ending in U+2007 FIGURE SPACE
/// among broken UTF-8 and NUL bytes. The fuzz check wrongly expected
/// `str::trim` to leave the line alone; the sanitizer keeps no-break spaces
/// on purpose (they join a number to its unit), even at the ends. Kept so
/// that trimming them stays a deliberate choice.
#[test]
fn sanitize_line_keeps_a_trailing_figure_space_and_is_idempotent() {
    let input = b"tl \xe2n\x00 \x9ao\xe2\x80\x87\xff\xdf# fo\x01\x00+\x08\xe2\x80\x87z\x00\x00\x00\x8f y\xe2\x80\x87";
    let text = String::from_utf8_lossy(input);

    let line = sanitize_line(&text);

    assert!(line.ends_with("y\u{2007}"), "{line:?}");
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert_eq!(sanitize_line(&line), line);
}
