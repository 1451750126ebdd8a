//! Printing: the canonical text of a query, which parses back to the same
//! query (`or` for `|`, `cat:` for `category:`, values quoted only when they
//! must be, parentheses only where needed).

use std::fmt;

use super::lex::is_delimiter;
use super::{Expr, Mark, Query};

/// Prints the canonical form of the query: lower-cased, single spaces, `or`
/// for `|`, `cat:` for `category:`, parentheses only where needed. Parsing
/// the printed text gives back the same query.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.expr {
            Some(expr) => expr.fmt(f),
            None => Ok(()),
        }
    }
}

/// Prints the expression in query syntax (see [`Query`]'s `Display`).
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Word(word) => f.write_str(word),
            Expr::Phrase(phrase) => write_quoted(f, phrase),
            Expr::Tag(tag) => {
                f.write_str("tag:")?;
                write_value(f, tag)
            }
            Expr::Category(cat) => {
                f.write_str("cat:")?;
                write_value(f, cat)
            }
            Expr::Date(range) => write!(f, "date:{range}"),
            Expr::Is(mark) => write!(f, "is:{}", mark.name()),
            Expr::Not(inner) => {
                f.write_str("-")?;
                write_grouped(f, inner, |e| matches!(e, Expr::And(_) | Expr::Or(_)))
            }
            Expr::And(parts) => write_joined(f, parts, " ", |e| matches!(e, Expr::Or(_))),
            Expr::Or(parts) => write_joined(f, parts, " or ", |e| matches!(e, Expr::Or(_))),
        }
    }
}

fn write_joined(
    f: &mut fmt::Formatter<'_>,
    parts: &[Expr],
    separator: &str,
    needs_group: fn(&Expr) -> bool,
) -> fmt::Result {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write_grouped(f, part, needs_group)?;
    }
    Ok(())
}

fn write_grouped(
    f: &mut fmt::Formatter<'_>,
    expr: &Expr,
    needs_group: fn(&Expr) -> bool,
) -> fmt::Result {
    if needs_group(expr) {
        write!(f, "({expr})")
    } else {
        write!(f, "{expr}")
    }
}

/// Writes a field value bare when it reads back as one word, else quoted.
fn write_value(f: &mut fmt::Formatter<'_>, value: &str) -> fmt::Result {
    if !value.is_empty() && !value.chars().any(is_delimiter) {
        f.write_str(value)
    } else {
        write_quoted(f, value)
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

impl Mark {
    /// The mark's name as written after `is:`.
    fn name(self) -> &'static str {
        match self {
            Mark::Bookmarked => "bookmarked",
            Mark::Read => "read",
            Mark::Unread => "unread",
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::library::query::parse;

    #[test]
    fn display_prints_the_canonical_form() {
        let cases: &[(&str, &str)] = &[
            ("Oseman  -TAG:Bloopers", "oseman -tag:bloopers"),
            ("a AND b | c", "a b or c"),
            ("a (b or c)", "a (b or c)"),
            ("(a b) or c", "a b or c"),
            ("-(a b)", "-(a b)"),
            ("-(a | b)", "-(a or b)"),
            ("--a", "--a"),
            ("\"  Blooper   REEL \"", "\"blooper reel\""),
            ("\"one\"", "\"one\""),
            (r#""say \"hi\"""#, r#""say \"hi\"""#),
            ("tag:\"Alice Oseman\"", "tag:\"alice oseman\""),
            ("tag:\"Heartstopper\"", "tag:heartstopper"),
            ("tag:\"a(b\"", "tag:\"a(b\""),
            ("category:TV", "cat:tv"),
            ("date:2024-3", "date:2024-03"),
            ("date:2024-03-05", "date:2024-03-05"),
            ("date:2024..2024", "date:2024"),
            ("date:2024-01..2024-06", "date:2024-01..2024-06"),
            ("date:..2024", "date:..2024"),
            ("date:2024..", "date:2024.."),
            ("date:..", "date:.."),
            ("is:Read", "is:read"),
        ];
        for (query, printed) in cases {
            let q = parse(query).unwrap();
            assert_eq!(q.to_string(), *printed, "query {query:?}");
            assert_eq!(parse(printed).as_ref(), Ok(&q), "reparse of {printed:?}");
        }
    }
}
