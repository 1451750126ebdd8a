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

/// `article` fuzz target (run with `-max_len=1048576`): a plain article whose
/// first lines are mostly escape sequences and invalid UTF-8 (decoded as
/// two-byte characters). `Detail::Summary` parses only the head of the file,
/// measured in bytes *before* sanitizing, so the head ends after three lines
/// that show fewer than a title's worth of columns, while the first paragraph
/// (and its first sentence) goes on in the fourth line. The summary's derived
/// title stops there; the full parse's goes on. A list and the reader would
/// show the same article under two titles.
#[test]
fn summary_title_matches_full_title_when_the_head_is_mostly_escapes() {
    use std::path::PathBuf;

    use broadsheet::article::{Article, Detail, Format};

    // The first byte chose the format in the fuzz target; the rest is the file.
    let input = include_bytes!("../fuzz/corpus/article/crash_summary_title_escapes");
    let bytes = input.get(1..).unwrap_or_default();
    let parse = |detail| {
        Article::from_bytes_with(
            "a.txt".to_string(),
            PathBuf::from("a.txt"),
            bytes,
            Format::Plain,
            detail,
        )
    };
    let full = parse(Detail::Full).map(|article| article.title);
    let summary = parse(Detail::Summary).map(|article| article.title);

    assert!(full.is_ok());
    assert_eq!(summary, full);
}

/// The message of the error `config::parse` gives for `text`, checked to be
/// safe to print: no control character in it.
fn config_error_message(text: &str) -> String {
    let Err(error) = broadsheet::config::parse(text, None, std::path::Path::new("/tmp")) else {
        panic!("{text:?} should not be a valid config");
    };
    let message = error.to_string();
    assert!(!message.chars().any(char::is_control), "{message}");
    message
}

/// `config` fuzz target: a key binding whose spelling holds a tab,
/// `[keys]\nup = "\t"`. The error quoted the spelling as it was, so the tab
/// (or an ESC, in a hostile config) reached the terminal. Now it is written
/// out as `\t`, and the message still says where and what to do.
#[test]
fn a_key_binding_with_control_characters_is_quoted_escaped() {
    let message = config_error_message(include_str!("../fuzz/corpus/config/crash_key_with_tab"));
    assert!(
        message.starts_with("2:4: in `up`: `\\t` is not a key"),
        "{message}"
    );

    let message = config_error_message("[keys]\nup = \"\\u001b]0;pwned\\u0007\"\n");
    assert!(message.contains("`\\u{1b}]0;pwned\\u{7}`"), "{message}");
}

/// `config` fuzz target, the same bug in another place: a colour whose
/// spelling holds a tab, `[theme]\ndim = "\t"`. Every message of a config
/// error now also goes through a last guard that escapes anything
/// unprintable a message forgot to quote.
#[test]
fn a_colour_with_control_characters_is_quoted_escaped() {
    let message = config_error_message(include_str!("../fuzz/corpus/config/crash_colour_with_tab"));
    assert!(
        message.starts_with("2:5: `dim`: `\\t` is not a colour"),
        "{message}"
    );
}

/// `feed` fuzz target, first run: a feed cut into another, so that a
/// second XML declaration, `encoding="ISO-8859-1"`, stands in the middle
/// of the document. The XML reader inside feed-rs switches encodings at
/// every declaration and panics when told to past the start (`set_encoding()
/// called after prefix buffer was drained`), which ended the whole fetch.
/// Every declaration's encoding is now removed once the text is UTF-8, so
/// the feed is read (or refused) like any other broken feed.
#[test]
fn a_second_xml_declaration_mid_feed_is_no_panic() {
    use broadsheet::feeds::parse::parse;

    // The first byte chose the server's content type in the fuzz target:
    // 0 is none.
    let input = include_bytes!("../fuzz/corpus/feed/crash_second_declaration");
    let bytes = input.get(1..).unwrap_or_default();
    let result = std::panic::catch_unwind(|| parse(bytes));
    let Ok(parsed) = result else {
        panic!("the parse panicked");
    };
    if let Err(err) = parsed {
        assert!(err.starts_with("not a feed"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    // The same in a feed that is whole otherwise: its item is read.
    let feed = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T</title>\n\
        <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n\
        <item><title>Caf\u{e9}</title><link>https://a.example/1</link></item></channel></rss>";
    let parsed = std::panic::catch_unwind(|| parse(feed.as_bytes()))
        .unwrap_or_else(|_| panic!("the parse panicked"));
    match parsed {
        Ok(parsed) => assert_eq!(parsed.items[0].title, "Caf\u{e9}"),
        Err(err) => assert!(err.starts_with("not a feed"), "{err}"),
    }
}

/// `feed` fuzz target, second run: UTF-16 (big-endian, declared `ucs-2`)
/// behind a UTF-8 byte-order mark. Read as the mark says, the text is full
/// of NULs; feed-rs's XML reader took `\0<\0?` for UTF-16 once more, read
/// the declaration and panicked switching encodings. NULs, which XML never
/// holds, are now U+FFFD before the reader sees the text, and a panic in
/// feed-rs is the feed's error, not the program's end.
#[test]
fn utf16_behind_a_utf8_mark_is_an_error_not_a_panic() {
    use broadsheet::feeds::parse::parse;

    let input = include_bytes!("../fuzz/corpus/feed/crash_utf16_behind_utf8_mark");
    let bytes = input.get(1..).unwrap_or_default();
    let parsed =
        std::panic::catch_unwind(|| parse(bytes)).unwrap_or_else(|_| panic!("the parse panicked"));
    let err = parsed.err().unwrap_or_default();
    assert!(err.starts_with("not a feed"), "{err}");
    assert!(!err.contains('\n'), "{err}");
}
