//! Properties of loading untrusted article files: whatever the bytes, loading
//! never panics and nothing that can act on a terminal survives.

use std::path::PathBuf;

use broadsheet::article::decode::decode;
use broadsheet::article::sanitize::{sanitize, sanitize_line};
use broadsheet::article::{Article, BlockKind, Format};
use proptest::prelude::*;

/// Pieces that exercise escape parsing, the plain header, Markdown syntax,
/// entity decoding and the invisible-character rules.
const TOKENS: &[&str] = &[
    "\u{1b}",
    "[",
    "]",
    "\u{7}",
    "\u{9b}",
    "\u{9c}",
    "\u{9d}",
    "\u{90}",
    "\u{98}",
    "\u{9e}",
    "\u{9f}",
    "\u{8e}",
    "\u{8f}",
    "\u{85}",
    "\\",
    "P",
    "X",
    "^",
    "_",
    "N",
    "O",
    "(",
    "#",
    "0",
    "1",
    "31",
    ";",
    "m",
    "?",
    "h",
    "a",
    "Z",
    " ",
    "  ",
    "\r",
    "\n",
    "\r\n",
    "\n\n",
    "\t",
    "\u{8}",
    "\u{0}",
    "\u{7f}",
    "\u{b}",
    "\u{c}",
    "\u{202a}",
    "\u{202e}",
    "\u{2066}",
    "\u{2069}",
    "\u{200e}",
    "\u{200f}",
    "\u{61c}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{2060}",
    "\u{2064}",
    "\u{feff}",
    "\u{ad}",
    "\u{180e}",
    "\u{fffa}",
    "\u{2028}",
    "\u{2029}",
    "\u{a0}",
    "\u{301}",
    "\u{336}",
    "\u{301}\u{301}\u{301}",
    "\u{fe0f}",
    "👨",
    "🏴",
    "\u{e0067}",
    "\u{e007f}",
    "\u{e0001}",
    "世",
    "é",
    ".",
    "!",
    ",",
    "\"",
    "”",
    "’",
    "…",
    " date 2024-01-02 ",
    "date 2024-13-45",
    "Posted in: ",
    "Tagged: ",
    " | ",
    "+++\n",
    "title = \"",
    "\\u001b",
    "\\u009b",
    "tags = [\"",
    "\"]",
    "date = 2024-05-01",
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "```\n",
    "`",
    "*",
    "**",
    "[a](",
    "http://x",
    ")",
    "![i](",
    "<b>",
    "&#27;",
    "&#x9b;",
    "&#x202e;",
    "&#7;",
    "&#0;",
    "&amp;",
    "---\n",
];

/// Text made of escape-heavy pieces.
fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..300).prop_map(|parts| parts.concat())
}

/// Arbitrary Unicode text, C0/C1 controls included.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![hostile_text(), any::<String>(), "[\\x00-\\x{ff}]{0,200}"]
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Plain), Just(Format::Markdown)]
}

fn load(bytes: &[u8], format: Format) -> Option<Article> {
    let id = "props/file.txt".to_owned();
    Article::from_bytes(id.clone(), PathBuf::from(id), bytes, format).ok()
}

/// Characters that must never reach the terminal, on any line.
fn is_forbidden(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\t'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{61c}'
            | '\u{200b}'
            | '\u{200c}'
            | '\u{2060}'..='\u{2064}'
            | '\u{feff}'
            | '\u{ad}'
            | '\u{180e}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn is_tag(c: char) -> bool {
    matches!(c, '\u{e0000}'..='\u{e007f}')
}

/// Checks the terminal-safety rules on one string; `multi_line` allows `\n`.
fn check_safe(field: &str, text: &str, multi_line: bool) -> Result<(), TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        prop_assert!(!is_forbidden(c), "{field}: U+{:04X} in {text:?}", c as u32);
        prop_assert!(multi_line || c != '\n', "{field}: newline in {text:?}");
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        if c == '\u{200d}' {
            prop_assert!(
                prev.is_some_and(|p| !p.is_ascii()) && next.is_some_and(|n| !n.is_ascii()),
                "{field}: ZWJ outside an emoji sequence in {text:?}"
            );
        }
        if is_tag(c) {
            prop_assert!(
                prev.is_some_and(|p| p == '🏴' || (is_tag(p) && p != '\u{e007f}')),
                "{field}: tag character outside a flag in {text:?}"
            );
        }
        if ('\u{300}'..='\u{36f}').contains(&c) {
            let run = chars[..=i]
                .iter()
                .rev()
                .take_while(|m| ('\u{300}'..='\u{36f}').contains(*m) || **m == '\u{fe0f}')
                .count();
            prop_assert!(run <= 4, "{field}: {run} stacked marks in {text:?}");
        }
    }
    Ok(())
}

fn check_article(article: &Article) -> Result<(), TestCaseError> {
    check_safe("title", &article.title, false)?;
    prop_assert!(!article.title.is_empty(), "empty title");
    for tag in &article.tags {
        check_safe("tag", tag, false)?;
    }
    for category in &article.categories {
        check_safe("category", category, false)?;
    }
    for link in &article.links {
        check_safe("link", link, false)?;
    }
    for (field, value) in [
        ("author", &article.author),
        ("source", &article.source),
        ("url", &article.url),
    ] {
        if let Some(value) = value {
            check_safe(field, value, false)?;
        }
    }
    for block in &article.blocks {
        check_safe("block", &block.text, block.kind == BlockKind::Code)?;
    }
    check_safe("folded", &article.folded, true)?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_load_safely(bytes in prop::collection::vec(any::<u8>(), 0..2000), format in format()) {
        if let Some(article) = load(&bytes, format) {
            check_article(&article)?;
        }
    }

    #[test]
    fn hostile_text_loads_safely(text in any_text(), format in format()) {
        // NUL makes the file binary; everything else must load.
        let article = load(text.as_bytes(), format);
        prop_assert_eq!(article.is_some(), !text.contains('\0'));
        if let Some(article) = article {
            check_article(&article)?;
        }
    }

    #[test]
    fn hostile_utf16_loads_safely(text in any_text(), format in format()) {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let article = load(&bytes, format);
        prop_assert!(article.is_some());
        if let Some(article) = article {
            check_article(&article)?;
        }
    }

    #[test]
    fn sanitize_output_is_safe_and_stable(text in any_text()) {
        let once = sanitize(&text);
        check_safe("sanitize", &once, true)?;
        prop_assert_eq!(sanitize(&once), once);
    }

    #[test]
    fn sanitize_line_output_is_one_clean_line(text in any_text()) {
        let line = sanitize_line(&text);
        check_safe("sanitize_line", &line, false)?;
        prop_assert!(!line.contains('\n'));
        prop_assert!(!line.starts_with(' ') && !line.ends_with(' ') && !line.contains("  "));
        prop_assert_eq!(sanitize_line(&line), line);
    }

    #[test]
    fn a_newline_ends_every_escape_sequence(prefix in any_text()) {
        let text = format!("{prefix}\nnext line");
        prop_assert!(sanitize(&text).ends_with("\nnext line"));
    }

    #[test]
    fn ordinary_text_passes_sanitize_unchanged(text in "[a-zA-Z0-9 .,;:'\"()\\n—“”’é世🎬-]{0,200}") {
        prop_assert_eq!(sanitize(&text), text);
    }

    #[test]
    fn decoding_utf8_text_keeps_it(text in any::<String>()) {
        // A leading U+FEFF is the UTF-8 byte order mark.
        let expected = text.strip_prefix('\u{feff}').unwrap_or(&text).replace("\r\n", "\n");
        let decoded = decode(text.as_bytes());
        if text.contains('\0') {
            prop_assert!(decoded.is_err());
        } else {
            prop_assert_eq!(decoded.map(|text| text.into_owned()), Ok(expected));
        }
    }

    #[test]
    fn decoding_utf16_text_keeps_it(text in any::<String>(), big_endian in any::<bool>()) {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            let pair = if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() };
            bytes.extend_from_slice(&pair);
        }
        prop_assert_eq!(decode(&bytes).map(|text| text.into_owned()), Ok(text.replace("\r\n", "\n")));
    }
}
