//! library::query::parse: printing a parsed query and parsing it again gives
//! it back, and evaluating it never panics.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use broadsheet::article::{Article, Format};
use broadsheet::library::Marks;
use broadsheet::library::query::parse;
use libfuzzer_sys::fuzz_target;

const SAMPLE: &str = "Posted in: Television, News\n\
Tagged: Netflix, heartstopper\n\
Date: 2024-12-24\n\
\n\
Heartstopper Season 3 is here\n\
\n\
Netflix released the first wave of episodes. Fans lined up in Köln and 東京.\n";

fn sample() -> &'static (Article, Marks) {
    static SAMPLE_ARTICLE: OnceLock<(Article, Marks)> = OnceLock::new();
    SAMPLE_ARTICLE.get_or_init(|| {
        let article = Article::from_bytes(
            "news/heartstopper.txt".to_string(),
            PathBuf::from("/tmp/news/heartstopper.txt"),
            SAMPLE.as_bytes(),
            Format::Plain,
        )
        .unwrap_or_else(|err| panic!("the sample article is rejected: {err}"));
        let mut marks = Marks::default();
        marks.bookmarked.insert(article.id.clone());
        (article, marks)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match parse(input) {
        Ok(query) => {
            let printed = query.to_string();
            assert_eq!(
                parse(&printed),
                Ok(query.clone()),
                "reparsing {printed:?} (from {input:?}) differs"
            );
            let (article, marks) = sample();
            let _ = query.matches(article, marks);
            let _ = query.matches(article, &Marks::default());
            let _ = query.highlight_terms();
            let _ = query.needs_text();
        }
        Err(err) => {
            // Errors are shown on one line under the query.
            let _ = err.caret(input);
            let _ = err.to_string();
        }
    }
});
