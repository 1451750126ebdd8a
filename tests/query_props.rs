//! Properties of the query language: the parser survives any input, its
//! errors show no invisible characters and point at their column, and the
//! canonical printing parses back to the same query.

use broadsheet::article::sanitize::is_invisible;
use broadsheet::library::query::{self, DateRange, Expr, Mark, PartialDate, Query};
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use unicode_width::UnicodeWidthChar;

/// Pieces of query syntax, glued together in random order, so that random
/// inputs reach deep into the parser instead of being mostly plain words.
fn query_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        3 => Just(" ".to_string()),
        2 => "[a-zA-Z0-9]{1,4}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Query syntax with invisible characters among it: controls, bidi
/// controls, zero-width characters, a soft hyphen, a BOM.
fn soup_with_invisibles() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => query_soup(),
        1 => prop::sample::select(INVISIBLE).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

const INVISIBLE: &[&str] = &[
    "\u{7}", "\t", "\u{9b}", "\u{ad}", "\u{200b}", "\u{200d}", "\u{202e}", "\u{2060}", "\u{2066}",
    "\u{feff}", "\u{fff9}",
];

const PIECES: &[&str] = &[
    "(",
    ")",
    "-",
    "\"",
    "\\",
    "|",
    " ",
    "  ",
    "\t",
    ":",
    "..",
    "or",
    "OR",
    "and",
    "not",
    "NOT",
    "tag:",
    "cat:",
    "category:",
    "date:",
    "is:",
    "read",
    "unread",
    "bookmarked",
    "2024",
    "2024-03",
    "2024-02-29",
    "-13",
    "Oseman",
    "ΑΣ",
    "İ",
    "日本",
    "\u{1b}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics_on_arbitrary_strings(input in any::<String>()) {
        let _ = query::parse(&input);
    }

    #[test]
    fn parse_never_panics_on_query_like_strings(input in query_soup()) {
        if let Err(error) = query::parse(&input) {
            prop_assert!(error.column <= input.chars().count());
            let _ = error.caret(&input);
        }
    }

    #[test]
    fn errors_show_no_invisible_characters_and_keep_the_caret_in_place(
        input in soup_with_invisibles()
    ) {
        if let Err(error) = query::parse(&input) {
            let rendered = error.caret(&input);
            let visible = |text: &str| !text.chars().any(is_invisible);
            prop_assert!(visible(&error.message), "{:?}", error.message);
            let Some((shown, caret)) = rendered.split_once('\n') else {
                return Err(TestCaseError::fail(format!("one line: {rendered:?}")));
            };
            prop_assert!(visible(shown) && visible(caret), "{:?}", rendered);
            // One character shown for each character of the query, so the
            // caret sits under the column the error names.
            prop_assert_eq!(shown.chars().count(), input.chars().count());
            let pad: usize = shown.chars().take(error.column).map(|c| c.width().unwrap_or(0)).sum();
            prop_assert_eq!(caret.find('^'), Some(pad), "{:?}", rendered);
        }
    }

    #[test]
    fn printed_queries_parse_back_the_same(input in prop_oneof![any::<String>(), query_soup()]) {
        if let Ok(parsed) = query::parse(&input) {
            let printed = parsed.to_string();
            prop_assert_eq!(query::parse(&printed), Ok(parsed), "printed as {:?}", printed);
        }
    }

    #[test]
    fn generated_queries_print_and_parse_back(query in query_strategy()) {
        let printed = query.to_string();
        prop_assert_eq!(query::parse(&printed), Ok(query), "printed as {:?}", printed);
    }
}

/// Canonical queries, as the parser produces them.
fn query_strategy() -> impl Strategy<Value = Query> {
    prop_oneof![
        1 => Just(Query::default()),
        9 => expr_strategy().prop_map(|expr| Query { expr: Some(expr) }),
    ]
}

fn expr_strategy() -> impl Strategy<Value = Expr> {
    leaf_strategy().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(and_of),
            prop::collection::vec(inner, 2..4).prop_map(or_of),
        ]
    })
}

/// `And` of the parts, splicing nested `And`s in as the parser does for
/// `a (b c)`.
fn and_of(parts: Vec<Expr>) -> Expr {
    let mut flat = Vec::new();
    for part in parts {
        match part {
            Expr::And(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    Expr::And(flat)
}

/// `Or` of the parts, splicing nested `Or`s in as the parser does for
/// `a or (b or c)`.
fn or_of(parts: Vec<Expr>) -> Expr {
    let mut flat = Vec::new();
    for part in parts {
        match part {
            Expr::Or(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    Expr::Or(flat)
}

fn leaf_strategy() -> impl Strategy<Value = Expr> {
    prop_oneof![
        word_strategy().prop_map(|w| Expr::Word(w.into())),
        text_strategy().prop_map(|p| Expr::Phrase(p.into())),
        text_strategy().prop_map(Expr::Tag),
        text_strategy().prop_map(Expr::Category),
        date_range_strategy().prop_map(Expr::Date),
        prop_oneof![Just(Mark::Bookmarked), Just(Mark::Read), Just(Mark::Unread)]
            .prop_map(Expr::Is),
    ]
}

/// Bare words: lower case, none of the characters that end a word, no `:`,
/// no leading `-`, not a keyword.
fn word_strategy() -> impl Strategy<Value = String> {
    "[a-z0-9éßж日][a-z0-9éßж日'.,!?&\\\\-]{0,8}".prop_filter("keywords are not words", |w| {
        !matches!(w.as_str(), "or" | "and" | "not")
    })
}

/// Phrase and field texts: lower case, single spaces, trimmed, and free to
/// hold characters that force quoting and escaping.
fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-z0-9é:()|\"\\\\.-]{1,5}", 1..4).prop_map(|words| words.join(" "))
}

fn partial_date_strategy() -> impl Strategy<Value = PartialDate> {
    prop_oneof![
        (0..=9999i32).prop_map(PartialDate::Year),
        (0..=9999i32, 1..=12u32).prop_map(|(y, m)| PartialDate::Month(y, m)),
        (0..=9999i32, 1..=365u32).prop_map(|(y, day)| {
            PartialDate::Day(NaiveDate::from_yo_opt(y, day).unwrap_or_default())
        }),
    ]
}

fn date_range_strategy() -> impl Strategy<Value = DateRange> {
    (
        prop::option::of(partial_date_strategy()),
        prop::option::of(partial_date_strategy()),
    )
        .prop_map(|(from, to)| match (from, to) {
            // The parser rejects ranges that end before they start.
            (Some(a), Some(b)) if first_day(a) > last_day(b) => DateRange {
                from: Some(b),
                to: Some(a),
            },
            (from, to) => DateRange { from, to },
        })
        .prop_filter("ranges must not end before they start", |range| {
            match (range.from, range.to) {
                (Some(a), Some(b)) => first_day(a) <= last_day(b),
                _ => true,
            }
        })
}

fn first_day(date: PartialDate) -> (i32, u32, u32) {
    match date {
        PartialDate::Year(y) => (y, 1, 1),
        PartialDate::Month(y, m) => (y, m, 1),
        PartialDate::Day(d) => (d.year(), d.month(), d.day()),
    }
}

fn last_day(date: PartialDate) -> (i32, u32, u32) {
    match date {
        PartialDate::Year(y) => (y, 12, 31),
        PartialDate::Month(y, m) => (y, m, 31),
        PartialDate::Day(d) => (d.year(), d.month(), d.day()),
    }
}

/// Words of the texts of [`index_and_scan_find_the_same`]: rare enough
/// that the word index leaves blocks out, with shared parts (`ash`,
/// `hash`, `ashen`) so that a part of a word finds several.
const TREES: &[&str] = &[
    "ash", "ashen", "hash", "birch", "cedar", "dogwood", "elm", "helm", "fir", "juniper",
];

/// A search term over [`TREES`]: a word, a part of one (a short part is
/// not narrowed by the index), a phrase of two, a tag no article has.
fn tree_term() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(TREES).prop_map(str::to_string),
        2 => (prop::sample::select(TREES), 0usize..3, 2usize..5).prop_map(|(word, from, len)| {
            let from = from.min(word.len() - 1);
            word[from..(from + len).min(word.len())].to_string()
        }),
        1 => (prop::sample::select(TREES), prop::sample::select(TREES))
            .prop_map(|(a, b)| format!("\"{a} {b}\"")),
        1 => Just("tag:bark".to_string()),
    ]
}

/// Queries of terms under `and`, `or` and `-`, nested.
fn tree_query() -> impl Strategy<Value = String> {
    tree_term().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            inner.prop_map(|a| format!("-{a}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A search narrowed by the cache's word index (words under `and` and
    /// `or`) finds exactly what reading every text finds, on random folders.
    #[test]
    fn index_and_scan_find_the_same(
        texts in prop::collection::vec(prop::collection::vec(prop::sample::select(TREES), 0..3), 20..120),
        queries in prop::collection::vec(tree_query(), 1..8),
    ) {
        use broadsheet::library::{self, LoadOptions, Marks, SortOrder};
        let folder = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let root = folder.path().join("articles");
        let cache = folder.path().join("cache");
        std::fs::create_dir(&root).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (n, words) in texts.iter().enumerate() {
            let text = format!("Note {n}\n\nSeen today: {}.\n", words.join(" "));
            std::fs::write(root.join(format!("{n:04}.txt")), text)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let read = library::load(&root, &LoadOptions::default())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        library::stored::save(&read, &cache).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let indexed = library::stored::open_cached(&root, &cache)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ids = |library: &library::Library, text: &str| -> Vec<String> {
            let Ok(query) = query::parse(text) else {
                return Vec::new();
            };
            let order = library.order(SortOrder::Date);
            library
                .matching(&query, &Marks::default(), &order)
                .into_iter()
                .filter_map(|position| library.get(position).map(|row| row.id().to_string()))
                .collect()
        };
        for text in &queries {
            prop_assert_eq!(ids(&indexed, text), ids(&read, text), "query {:?}", text);
        }
    }
}

/// A count started before the loader attached the word index (the first
/// moments after a start from the cache) uses the index from the moment it
/// arrives, instead of reading every text to the end.
#[test]
fn a_search_under_way_uses_the_word_index_once_it_arrives() {
    use broadsheet::library::{self, LoadOptions};
    use std::sync::Once;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let folder = tempfile::tempdir().expect("a folder");
    let root = folder.path().join("articles");
    let cache = folder.path().join("cache");
    std::fs::create_dir(&root).expect("the articles folder");
    for n in 0..200 {
        let bird = if n == 150 { "kestrel" } else { "sparrow" };
        let text = format!("Note {n}\n\nSeen today: a {bird}.\n");
        std::fs::write(root.join(format!("{n:04}.txt")), text).expect("an article");
    }
    let read = library::load(&root, &LoadOptions::default()).expect("the folder loads");
    library::stored::save(&read, &cache).expect("the cache is written");
    let opened =
        library::stored::open_cached_without_words(&root, &cache).expect("the cache opens");
    let query = query::parse("kestrel").expect("a query");
    let order = opened.order(library::SortOrder::Date);
    let attach = Once::new();
    let looked_at = AtomicUsize::new(0);
    let found = opened.matching_by(&order, &[&query], |article| {
        // The loader attaches the index while the search runs.
        attach.call_once(|| library::stored::open_words(&opened, &cache).expect("the index"));
        looked_at.fetch_add(1, Ordering::Relaxed);
        query.matches(article, &library::Marks::default())
    });
    let ids: Vec<&str> = found
        .iter()
        .filter_map(|&position| opened.get(position).map(|row| row.id()))
        .collect();
    assert_eq!(ids, ["0150.txt"]);
    // The first article before the index, then only the kestrel's block.
    let looked_at = looked_at.load(Ordering::Relaxed);
    assert!(looked_at <= 1 + 16, "{looked_at} of 200 texts read");
}

/// A search for one word is answered by the word index alone: the texts
/// are not read (here their bytes are damaged, which a read would notice),
/// and the answer is still exact. A phrase of two words reads them.
#[test]
fn one_word_is_answered_from_the_index_without_reading_texts() {
    use broadsheet::library::{self, LoadOptions, Marks, SortOrder};

    let folder = tempfile::tempdir().expect("a folder");
    let root = folder.path().join("articles");
    let cache = folder.path().join("cache");
    std::fs::create_dir(&root).expect("the articles folder");
    for n in 0..200 {
        let bird = if n % 3 == 0 { "kestrel" } else { "sparrow" };
        let text = format!("Note {n}\n\nSeen today: a {bird}.\n");
        std::fs::write(root.join(format!("{n:04}.txt")), text).expect("an article");
    }
    let read = library::load(&root, &LoadOptions::default()).expect("the folder loads");
    library::stored::save(&read, &cache).expect("the cache is written");
    // The last text's bytes, changed under its block's checksum: the text
    // section runs from byte 64 for the header's text length (bytes 40 to
    // 48), the tables after it.
    let texts = cache.join("texts.bin");
    let mut bytes = std::fs::read(&texts).expect("texts.bin");
    let text_len = bytes
        .get(40..48)
        .and_then(|field| field.try_into().ok())
        .map(u64::from_le_bytes)
        .expect("a header");
    let at = 64 + text_len as usize - 3;
    bytes[at] ^= 0x20;
    std::fs::write(&texts, bytes).expect("texts.bin written back");

    let opened = library::stored::open_cached(&root, &cache).expect("the cache opens");
    let order = opened.order(SortOrder::Date);
    let count = |text: &str| {
        let query = query::parse(text).expect("a query");
        opened.matching(&query, &Marks::default(), &order).len()
    };
    assert_eq!(count("kestrel"), 67);
    assert_eq!(count("sparrow -kestrel"), 133);
    assert!(!opened.texts_damaged(), "no text was read for single words");
    assert_eq!(count("\"a sparrow\""), 133);
    assert!(
        opened.texts_damaged(),
        "a phrase of two words reads the texts"
    );
}
