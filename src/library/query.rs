//! The query language: parsing with positioned errors, evaluation, printing.

use std::fmt;

use super::Marks;
use crate::article::Article;

/// A parsed query. The empty query matches every article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The expression, or `None` for the empty query.
    pub expr: Option<Expr>,
}

/// A query expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A word that title or body must contain (folded to lower case).
    Word(String),
}

/// A query that does not parse, with the place it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// Column (in characters, from 0) of the offending part of the query.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column + 1, self.message)
    }
}

impl std::error::Error for QueryError {}

/// Parses a query.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let _ = input;
    todo!("parse")
}

impl Query {
    /// Whether the article matches.
    pub fn matches(&self, article: &Article, marks: &Marks) -> bool {
        let _ = (article, marks);
        todo!("matches")
    }
}
