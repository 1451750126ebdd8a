//! The query language: parsing with positioned errors, evaluation, printing.
//!
//! One language serves `broadsheet list QUERY`, the reader's search box (run
//! on every keystroke) and tag filters:
//!
//! | syntax                         | matches                                          |
//! |--------------------------------|--------------------------------------------------|
//! | `word`                         | title or body contains `word` (any case)         |
//! | `"a  phrase"`                  | title or body contains `a phrase` (any case)     |
//! | `tag:X`, `tag:"Alice Oseman"`  | a tag equal to X (any case)                      |
//! | `cat:X`, `category:X`          | a category equal to X (any case)                 |
//! | `date:2024`, `date:2024-03`, `date:2024-03-05` | a date inside that year/month/day |
//! | `date:2024-01..2024-06`, `date:2024..`, `date:..2024-06`, `date:..` | a date in the range (ends inclusive, whole months/years) |
//! | `is:bookmarked`, `is:read`, `is:unread` | the article's marks                     |
//! | `-term`, `not term`            | the term does not match                          |
//! | `a b`, `a and b`               | both match                                       |
//! | `a or b`, `a \| b`             | either matches                                   |
//! | `( … )`                        | grouping                                         |
//!
//! Precedence is NOT (`-`, `not`) > AND > OR, so `a b or c` is `(a b) or c`.
//! Keywords `not`, `and` and `or` are case-insensitive; to search for them as
//! words, quote them.
//! A bare word holding `:` is always a field term (`foo:bar` is an error
//! naming the known fields): to search for text with a colon, quote it
//! (`"12:30"`). Inside quotes `\"` is a quote and `\\` a backslash; runs of
//! whitespace collapse to one space and the ends are trimmed. Undated articles
//! never match a `date:` term; `date:..` matches every dated article.
//!
//! Words and phrases are lower-cased once, at parse time, and compared with
//! `str::contains` against
//! [`Article::folded`](crate::article::Article::folded), so evaluation allocates
//! nothing per article and stops at the first term that decides.
//!
//! The code follows the stages a query goes through, one file each:
//! `lex.rs` splits the text into tokens and builds each term (a
//! `field:value` term is whole when it leaves the lexer), `parse.rs` joins
//! them into a canonical [`Expr`] by precedence, `eval.rs` decides whether an
//! article matches, `print.rs` writes the canonical text back, `dates.rs`
//! holds everything about `date:` (its values, parsing, comparing, printing)
//! and `error.rs` the error type with its caret display. `guide.rs` is the
//! language in brief for people: the README's table and the reader's cheat
//! sheet.

mod dates;
mod error;
mod eval;
pub mod guide;
mod lex;
mod parse;
mod print;
#[cfg(test)]
mod testing;

pub use dates::{DateRange, PartialDate};
pub use error::QueryError;
pub use eval::{Needle, Subject, TextPlan};
pub use parse::{MAX_DEPTH, parse};

/// A parsed query. The empty query matches every article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The expression, or `None` for the empty query.
    pub expr: Option<Expr>,
}

/// A query expression.
///
/// Parsed expressions are canonical: `And` and `Or` hold at least two
/// operands, an `And` never directly holds an `And` and an `Or` never directly
/// holds an `Or` (nested groups are flattened). Printing a canonical
/// expression and parsing it again gives it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A bare word that title or body must contain, lower-cased. Never empty,
    /// never holds whitespace, `(`, `)`, `"`, `|` or `:`, never starts with
    /// `-` and is never `or`/`and`.
    Word(Needle),
    /// A quoted phrase that title or body must contain: lower-cased,
    /// whitespace collapsed to single spaces and trimmed. Never empty.
    Phrase(Needle),
    /// `tag:X`: some tag equals X ignoring case. Holds X folded with
    /// `fold_term`, the rule tags compare by,
    /// with whitespace collapsed; never empty.
    Tag(String),
    /// `cat:X` / `category:X`: some category equals X ignoring case. Held like
    /// [`Expr::Tag`].
    Category(String),
    /// `date:…`: the article's date lies in the range.
    Date(DateRange),
    /// `is:…`: the article carries (or lacks) a mark.
    Is(Mark),
    /// `-term`: the term does not match.
    Not(Box<Expr>),
    /// Juxtaposed terms (or `and`): all must match.
    And(Vec<Expr>),
    /// `or` / `|`: at least one must match.
    Or(Vec<Expr>),
}

/// The marks `is:` tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `is:bookmarked`: the article is bookmarked.
    Bookmarked,
    /// `is:read`: the article has been read.
    Read,
    /// `is:unread`: the article has not been read.
    Unread,
}

impl Query {
    /// Whether this is the empty query (which matches every article).
    pub fn is_empty(&self) -> bool {
        self.expr.is_none()
    }
}
