//! The query language in brief, for people: one row per kind of term with
//! examples and what they match. The README's query table and the reader's
//! cheat sheet (under the search prompt and in help) are made from this
//! table, and its tests parse every example and check that together they
//! show every kind of term the parser builds, so the sheet cannot drift
//! from the language.

/// One row of the cheat sheet: examples of a kind of term, and what they
/// match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// Queries to type, most typical first; each one parses.
    pub examples: &'static [&'static str],
    /// What they match, in a few words.
    pub matches: &'static str,
}

/// The cheat sheet, in the order people learn the language.
pub const GUIDE: &[Term] = &[
    Term {
        examples: &["heartstopper oseman", "heartstopper AND oseman"],
        matches: "title or body contains both words (any case)",
    },
    Term {
        examples: &["\"blooper reel\""],
        matches: "the phrase",
    },
    Term {
        examples: &["tag:bloopers", "cat:TV", "tag:\"Alice Oseman\""],
        matches: "a tag or category (any case)",
    },
    Term {
        examples: &["date:2024", "date:2024-03", "date:2024-03-05"],
        matches: "a year, month or day",
    },
    Term {
        examples: &["date:2024-01..2024-06", "date:2024..", "date:..2023-12"],
        matches: "a range of dates; either end may be open",
    },
    Term {
        examples: &["is:unread", "is:read", "is:bookmarked"],
        matches: "unread, read or bookmarked articles",
    },
    Term {
        examples: &[
            "-tag:bloopers",
            "-\"phrase\"",
            "-(a or b)",
            "NOT tag:bloopers",
        ],
        matches: "not: the negation of any term",
    },
    Term {
        examples: &["a or b", "(a or b) c"],
        matches: "either; parentheses group",
    },
];

/// The README's query table: one row per term, its examples in backticks.
/// A test checks that the README holds exactly this text.
pub fn readme_table() -> String {
    let mut out = String::from("| query | matches |\n| --- | --- |\n");
    for term in GUIDE {
        let examples: Vec<String> = term.examples.iter().map(|e| format!("`{e}`")).collect();
        out.push_str(&format!("| {} | {} |\n", examples.join(", "), term.matches));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::library::query::{Expr, Mark, parse};

    /// The kinds of term an expression shows, its operands' included. The
    /// match has no catch-all: a new kind of term does not compile until it
    /// is named here, and then the sheet must show it.
    fn kinds(expr: &Expr, out: &mut BTreeSet<&'static str>) {
        let kind = match expr {
            Expr::Word(_) => "word",
            Expr::Phrase(_) => "phrase",
            Expr::Tag(_) => "tag",
            Expr::Category(_) => "category",
            Expr::Date(range) if range.from.is_some() && range.from == range.to => "date",
            Expr::Date(_) => "date range",
            Expr::Is(Mark::Bookmarked) => "is:bookmarked",
            Expr::Is(Mark::Read) => "is:read",
            Expr::Is(Mark::Unread) => "is:unread",
            Expr::Not(inner) => {
                kinds(inner, out);
                "not"
            }
            Expr::And(terms) | Expr::Or(terms) => {
                terms.iter().for_each(|term| kinds(term, out));
                if matches!(expr, Expr::And(_)) {
                    "and"
                } else {
                    "or"
                }
            }
        };
        out.insert(kind);
    }

    #[test]
    fn every_example_parses() {
        for term in GUIDE {
            for example in term.examples {
                assert!(parse(example).is_ok(), "{example} does not parse");
            }
        }
    }

    #[test]
    fn the_examples_show_every_kind_of_term() {
        let mut shown = BTreeSet::new();
        for example in GUIDE.iter().flat_map(|term| term.examples.iter()) {
            if let Ok(query) = parse(example)
                && let Some(expr) = &query.expr
            {
                kinds(expr, &mut shown);
            }
        }
        let every = [
            "and",
            "category",
            "date",
            "date range",
            "is:bookmarked",
            "is:read",
            "is:unread",
            "not",
            "or",
            "phrase",
            "tag",
            "word",
        ];
        assert_eq!(shown, every.into_iter().collect::<BTreeSet<_>>());
    }

    #[test]
    fn the_readme_query_table_is_the_guide() {
        let readme = include_str!("../../../README.md");
        let table = readme_table();
        assert!(
            readme.contains(&table),
            "README.md's query table must read exactly:\n{table}"
        );
    }
}
