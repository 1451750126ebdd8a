//! Tag and category filters: `tag:NAME` and `cat:NAME` find exactly the
//! articles a plain scan finds by folding names character by character and
//! comparing them. The library's per-article bit filter, the parser's folding
//! of NAME and the library's choice of one spelling per name all follow that
//! one rule, so none of them drops a true match, whatever the case quirks of
//! the names (Greek final sigma, dotted and dotless i, sharp s, Kelvin sign,
//! titlecase digraphs, combining accents).

use std::collections::BTreeMap;
use std::path::PathBuf;

use broadsheet::article::{Article, Format};
use broadsheet::library::{Library, Marks, SummaryRow, query};
use proptest::prelude::*;

/// Pieces of names, chosen for their case folding: several fold to the same
/// text, some only one way, some to more than one character.
const PIECES: &[&str] = &[
    "a", "A", "Σ", "σ", "ς", "İ", "i", "I", "ı", "ß", "ẞ", "SS", "ss", "K", "k", "\u{212a}", "ǅ",
    "Ǆ", "ǆ", "é", "É", "e\u{301}", "日", " ",
];

/// The comparison rule, written out here rather than taken from the crate,
/// so the test pins it down.
fn fold(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .flat_map(char::to_lowercase)
        .collect()
}

/// A tag or category name: one to three pieces, not blank.
fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..4)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("a name needs a visible character", |name| {
            !name.trim().is_empty()
        })
}

/// The categories and tags of one article.
#[derive(Debug, Clone)]
struct Terms {
    categories: Vec<String>,
    tags: Vec<String>,
}

/// Up to two categories and three tags.
fn terms() -> impl Strategy<Value = Terms> {
    (
        prop::collection::vec(name(), 0..3),
        prop::collection::vec(name(), 0..4),
    )
        .prop_map(|(categories, tags)| Terms { categories, tags })
}

/// How a query writes a name it took from an article.
#[derive(Debug, Clone, Copy)]
enum Case {
    AsIs,
    Upper,
    Lower,
}

/// Any [`Case`].
fn case() -> impl Strategy<Value = Case> {
    prop_oneof![Just(Case::AsIs), Just(Case::Upper), Just(Case::Lower)]
}

/// The article of a plain-format file whose header carries these terms.
fn article(index: usize, terms: &Terms) -> Article {
    let mut header = vec![format!(" date 2024-01-{:02}", index % 28 + 1)];
    if !terms.categories.is_empty() {
        header.push(format!("Posted in: {}", terms.categories.join(", ")));
    }
    if !terms.tags.is_empty() {
        header.push(format!("Tagged: {}", terms.tags.join(", ")));
    }
    let text = format!(
        "{}\n\nTitle number {index}\n\nA body.\n",
        header.join(" | ")
    );
    let id = format!("{index:03}.txt");
    match Article::from_bytes(
        id.clone(),
        PathBuf::from(&id),
        text.as_bytes(),
        Format::Plain,
    ) {
        Ok(article) => article,
        Err(error) => panic!("article {id} rejected: {error}"),
    }
}

/// Which field a filter looks at.
#[derive(Debug, Clone, Copy)]
enum Field {
    Tag,
    Category,
}

impl Field {
    fn prefix(self) -> &'static str {
        match self {
            Field::Tag => "tag",
            Field::Category => "cat",
        }
    }

    fn names(self, article: &Article) -> Vec<String> {
        match self {
            Field::Tag => article.tags.clone(),
            Field::Category => article.categories.clone(),
        }
    }

    fn row_names(self, row: SummaryRow<'_>) -> Vec<String> {
        let names: Vec<&str> = match self {
            Field::Tag => row.tags().collect(),
            Field::Category => row.categories().collect(),
        };
        names.into_iter().map(str::to_string).collect()
    }
}

/// The ids the query `field:"name"` finds in the library, sorted.
fn found(library: &Library, field: Field, name: &str) -> Vec<String> {
    let text = format!("{}:\"{name}\"", field.prefix());
    let parsed = match query::parse(&text) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{text:?} does not parse: {error}"),
    };
    let marks = Marks::default();
    // Through the library's own evaluation, as the reader and `list` ask it.
    let everything: Vec<usize> = (0..library.len()).collect();
    let mut ids: Vec<String> = library
        .matching(&parsed, &marks, &everything)
        .into_iter()
        .filter_map(|position| library.get(position))
        .map(|a| a.id().to_string())
        .collect();
    ids.sort();
    ids
}

/// The ids of the articles whose names (as `names` gives them) include one
/// that folds to what `name` folds to, sorted.
fn scanned(articles: impl Iterator<Item = (String, Vec<String>)>, name: &str) -> Vec<String> {
    let wanted = fold(name);
    let mut ids: Vec<String> = articles
        .filter(|(_, names)| names.iter().any(|n| fold(n) == wanted))
        .map(|(id, _)| id)
        .collect();
    ids.sort();
    ids
}

/// Checks both fields for one name: the query finds what a scan of the
/// library's articles finds, and what a scan of the articles as each file
/// gave them (before the library chose one spelling per name) finds.
fn check(library: &Library, parsed: &BTreeMap<String, Article>, name: &str) {
    for field in [Field::Tag, Field::Category] {
        let found = found(library, field, name);
        let rows = library
            .iter()
            .map(|a| (a.id().to_string(), field.row_names(a)));
        let in_library = scanned(rows, name);
        assert_eq!(
            found,
            in_library,
            "{}:{name:?}: the query and a scan of the library differ",
            field.prefix()
        );
        let files = parsed.values().map(|a| (a.id.clone(), field.names(a)));
        let in_files = scanned(files, name);
        assert_eq!(
            found,
            in_files,
            "{}:{name:?}: the query and a scan of the files differ",
            field.prefix()
        );
    }
}

/// The library of these articles, and each article as parsed alone by id.
fn library_of(all: &[Terms]) -> (Library, BTreeMap<String, Article>) {
    let articles: Vec<Article> = all
        .iter()
        .enumerate()
        .map(|(i, terms)| article(i, terms))
        .collect();
    let parsed = articles.iter().map(|a| (a.id.clone(), a.clone())).collect();
    let library = Library::new(PathBuf::from("articles"), articles, Vec::new());
    for article in library.iter() {
        // The filter must be in use for the test to test it.
        let has_terms = article.tags().len() > 0 || article.categories().len() > 0;
        assert_eq!(article.term_bits() != 0, has_terms, "{}", article.id());
        // One name, however spelled, counts once per article.
        for field in [Field::Tag, Field::Category] {
            let names = field.row_names(article);
            let mut folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
            folded.sort();
            folded.dedup();
            assert_eq!(folded.len(), names.len(), "{}", article.id());
        }
    }
    (library, parsed)
}

/// Every name the articles carry, tags and categories.
fn known_names(all: &[Terms]) -> Vec<String> {
    all.iter()
        .flat_map(|terms| terms.tags.iter().chain(&terms.categories))
        .cloned()
        .collect()
}

/// The name `index` picks.
fn index_name<'a>(index: &prop::sample::Index, known: &'a [String]) -> &'a str {
    index.get(known).as_str()
}

/// `name` written in `case`.
fn apply(case: Case, name: &str) -> String {
    match case {
        Case::AsIs => name.to_string(),
        Case::Upper => name.to_uppercase(),
        Case::Lower => name.to_lowercase(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn filters_find_what_a_folding_scan_finds(
        mut all in prop::collection::vec(terms(), 1..8),
        echoes in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), case(), any::<bool>()),
            0..6,
        ),
        picks in prop::collection::vec((any::<prop::sample::Index>(), case()), 0..6),
        others in prop::collection::vec(name(), 0..4),
    ) {
        // Other articles carry names already used, in another case: where
        // folding rules that disagree would part ways.
        for (name, article, case, is_tag) in echoes {
            let known = known_names(&all);
            if known.is_empty() {
                break;
            }
            let echo = apply(case, index_name(&name, &known));
            let terms = article.get_mut(&mut all);
            if is_tag {
                terms.tags.push(echo);
            } else {
                terms.categories.push(echo);
            }
        }
        let (library, parsed) = library_of(&all);
        let known = known_names(&all);
        let mut names = others;
        if !known.is_empty() {
            names.extend(picks.iter().map(|(index, case)| apply(*case, index_name(index, &known))));
        }
        for name in &names {
            check(&library, &parsed, name);
        }
    }
}

#[test]
fn a_final_sigma_spelling_does_not_hide_another() {
    // `str::to_lowercase` folds both to "ας"; character by character they
    // differ ("ασ" and "ας"), and each file's own spelling must be found.
    let all = [
        Terms {
            categories: vec!["ΑΣ".into()],
            tags: vec!["ΑΣ".into()],
        },
        Terms {
            categories: vec!["ας".into()],
            tags: vec!["ας".into()],
        },
        // Two names to `str::to_lowercase`, one name here.
        Terms {
            categories: vec!["Ασ".into(), "ΑΣ".into()],
            tags: vec!["ΑΣ".into(), "Ασ".into(), "ας".into()],
        },
    ];
    let (library, parsed) = library_of(&all);
    for name in ["ΑΣ", "ας", "ασ", "Ας"] {
        check(&library, &parsed, name);
    }
}

#[test]
fn dotted_capital_i_and_sharp_s_fold_to_their_lower_case() {
    let all = [
        Terms {
            categories: vec!["İstanbul".into()],
            tags: vec!["Straße".into()],
        },
        Terms {
            categories: vec!["istanbul".into()],
            tags: vec!["STRAẞE".into(), "STRASSE".into()],
        },
    ];
    let (library, parsed) = library_of(&all);
    for name in [
        "i\u{307}stanbul",
        "İSTANBUL",
        "istanbul",
        "straße",
        "strasse",
    ] {
        check(&library, &parsed, name);
    }
}
