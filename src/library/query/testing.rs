//! Helpers of the query's unit tests: articles shaped like the five
//! reference samples and shorthands for parsing.

use chrono::NaiveDate;

use super::{Expr, Query, parse};
use crate::article::Article;
use crate::library::Marks;

pub(super) fn article(
    id: &str,
    title: &str,
    body: &str,
    tags: &[&str],
    categories: &[&str],
    date: Option<(i32, u32, u32)>,
) -> Article {
    Article {
        id: id.to_string(),
        path: id.into(),
        title: title.to_string(),
        date: date.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        clock: None,
        arrived: None,
        categories: categories.iter().map(|s| s.to_string()).collect(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        author: None,
        source: None,
        url: None,
        blocks: Vec::new(),
        links: Vec::new(),
        enclosures: Vec::new(),
        problems: Vec::new(),
        folded: format!("{title}\n{body}").to_lowercase(),
        term_bits: 0,
    }
}

/// Articles shaped like the five reference samples.
pub(super) fn samples() -> Vec<Article> {
    vec![
        article(
            "000",
            "Heartstopper Season 3: Netflix Shares First Wave of Blooper Greatness",
            "Netflix released the first wave of Season 3 bloopers for Showrunner \
             Alice Oseman's Joe Locke and Kit Connor-starring Heartstopper.",
            &["bloopers", "Heartstopper"],
            &["Netflix", "TV"],
            Some((2024, 12, 24)),
        ),
        article(
            "001",
            "Heartstopper Season 4: Alice Oseman Feeling \"Optimistic,\" \"Hopeful\"",
            "Showrunner Alice Oseman updated where things stand regarding a fourth season.",
            &["Alice Oseman", "Heartstopper"],
            &["Netflix", "TV"],
            Some((2025, 2, 17)),
        ),
        article(
            "002",
            "The third season for one of the most beloved Netflix original shows",
            "Heartstopper is based on the graphic novels by Alice Osman.",
            &[],
            &[],
            Some((2024, 9, 3)),
        ),
        article(
            "003",
            "Heartstopper Season 1 Bloopers Are Just As Sweet and Warm As You Expect",
            "A little over two minutes of a blooper reel was revealed to fans. \
             Creator Alice Oseman shared it too.",
            &[],
            &[],
            None,
        ),
        article(
            "004",
            "However, it appears that things were kept fairly light during filming",
            "You can find the Heartstopper season 2 blooper reel below for your viewing pleasure:",
            &[],
            &[],
            Some((2023, 9, 16)),
        ),
    ]
}

pub(super) fn ids(query: &str, marks: &Marks) -> Vec<String> {
    let q = parse(query).unwrap_or_else(|e| panic!("{query:?} does not parse: {e}"));
    samples()
        .iter()
        .filter(|a| q.matches(a, marks))
        .map(|a| a.id.clone())
        .collect()
}

pub(super) fn word(w: &str) -> Expr {
    Expr::Word(w.into())
}

pub(super) fn expr(query: &str) -> Expr {
    match parse(query) {
        Ok(Query { expr: Some(e) }) => e,
        other => panic!("{query:?} gave {other:?}"),
    }
}

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}
