//! A feed's bytes through the whole of the fetcher's conversion: the
//! encoding decided (under a charset the first byte picks), parsed, every
//! item rendered as the Markdown article a fetch writes and that article
//! loaded. No panic; every text clean; every rendered item loads.
#![no_main]

use std::path::PathBuf;

use broadsheet::article::{Article, Format};
use broadsheet::feeds::encoding::html_text;
use broadsheet::feeds::item::render;
use broadsheet::feeds::parse::parse_served;
use broadsheet::store::feeds::Feed;
use broadsheet_fuzz::assert_clean;
use libfuzzer_sys::fuzz_target;

/// The `Content-Type` the server is taken to have sent, by the first byte.
const TYPES: [Option<&str>; 6] = [
    None,
    Some("application/rss+xml; charset=utf-16"),
    Some("text/xml; charset=Shift_JIS"),
    Some("application/xml; charset=\"koi8-r\""),
    Some("application/atom+xml; charset=ucs-4"),
    Some("text/html"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let content_type = TYPES[usize::from(mode) % TYPES.len()];
    // The same bytes as a page (full text, discovery) decode without a panic.
    let _ = html_text(bytes, content_type);
    let parsed = match parse_served(bytes, Some("https://fuzz.example/feed"), content_type) {
        Ok(parsed) => parsed,
        Err(err) => {
            assert_clean("parse error", &err, false);
            return;
        }
    };
    assert_clean("feed title", &parsed.title, false);
    for warning in &parsed.warnings {
        assert_clean("warning", warning, false);
    }
    let feed = Feed::new("https://fuzz.example/feed");
    for item in &parsed.items {
        assert_clean("item title", &item.title, false);
        for field in [&item.link, &item.author].into_iter().flatten() {
            assert_clean("item field", field, false);
        }
        for category in &item.categories {
            assert_clean("category", category, false);
        }
        assert_clean("body", &item.body, true);
        let text = render(item, &feed, &parsed.title);
        let article = Article::from_bytes(
            "item.md".into(),
            PathBuf::from("item.md"),
            text.as_bytes(),
            Format::Markdown,
        )
        .unwrap_or_else(|rejected| panic!("a rendered item is rejected ({rejected}): {text:?}"));
        assert_clean("article title", &article.title, false);
    }
});
