//! Article::from_bytes_with on arbitrary bytes, full and summary.
#![no_main]

use std::path::PathBuf;

use broadsheet::article::{Article, BlockKind, Detail, Format};
use broadsheet_fuzz::assert_clean;
use libfuzzer_sys::fuzz_target;

fn check_clean(article: &Article) {
    assert_clean("id", &article.id, false);
    assert_clean("title", &article.title, false);
    for category in &article.categories {
        assert_clean("category", category, false);
    }
    for tag in &article.tags {
        assert_clean("tag", tag, false);
    }
    for (name, field) in [
        ("author", &article.author),
        ("source", &article.source),
        ("url", &article.url),
    ] {
        if let Some(value) = field {
            assert_clean(name, value, false);
        }
    }
    for block in &article.blocks {
        assert_clean("block", &block.text, block.kind == BlockKind::Code);
    }
    for link in &article.links {
        assert_clean("link", link, false);
    }
    // The search text separates title and blocks with newlines.
    assert_clean("folded", &article.folded, true);
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the format so both parsers see every input shape.
    let (format, bytes) = match data.split_first() {
        Some((first, rest)) if first & 1 == 1 => (Format::Markdown, rest),
        Some((_, rest)) => (Format::Plain, rest),
        None => (Format::Plain, data),
    };
    let id = "fuzz/article.txt".to_string();
    let path = PathBuf::from("/tmp/fuzz/article.txt");
    let full = Article::from_bytes_with(id.clone(), path.clone(), bytes, format, Detail::Full);
    let summary = Article::from_bytes_with(id, path, bytes, format, Detail::Summary);
    match (full, summary) {
        (Ok(full), Ok(summary)) => {
            check_clean(&full);
            check_clean(&summary);
            assert!(!full.title.is_empty(), "empty title");
            assert_eq!(summary.title, full.title, "summary title differs");
            assert_eq!(summary.date, full.date, "summary date differs");
            assert_eq!(summary.clock, full.clock, "summary time differs");
            assert_eq!(summary.tags, full.tags, "summary tags differ");
            // Counting words must not panic either.
            let _ = full.words();
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (full, summary) => panic!(
            "full and summary disagree on rejection: {:?} vs {:?}",
            full.is_ok(),
            summary.is_ok()
        ),
    }
});
