//! Parsing: recursive descent over the lexer's tokens into a canonical
//! [`Expr`] (`-` and `not` bind tightest, then `and`, then `or`; nested groups of the
//! same operator are flattened), with an error at the column where the query
//! stops making sense, and a bound on nesting.

use super::error::QueryError;
use super::lex::{Lexer, Token, TokenKind};
use super::{Expr, Query};

/// How deeply parentheses and `-` may nest before the parser gives up with an
/// error (instead of exhausting the stack on hostile input).
pub const MAX_DEPTH: usize = 64;

/// Parses a query. Blank input gives the empty query.
///
/// Never panics; runs in time linear in the input; parentheses and `-` nest
/// at most [`MAX_DEPTH`] deep.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let mut parser = Parser {
        lexer: Lexer::new(input),
        peeked: None,
    };
    parser.query()
}

/// Recursive descent over the tokens: `or` binds loosest, then `and` (or
/// juxtaposition), then `-` and `not`.
struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<Token>,
}

impl Parser<'_> {
    fn peek(&mut self) -> Result<&Token, QueryError> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(self.peeked.insert(token))
    }

    fn next(&mut self) -> Result<Token, QueryError> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lexer.next_token(),
        }
    }

    fn query(&mut self) -> Result<Query, QueryError> {
        if matches!(self.peek()?.kind, TokenKind::End) {
            return Ok(Query::default());
        }
        let expr = self.or_expr(0)?;
        let token = self.next()?;
        match token.kind {
            TokenKind::End => Ok(Query { expr: Some(expr) }),
            TokenKind::Close => Err(unmatched_close(token.column)),
            _ => Err(QueryError::new(
                token.column,
                "expected the end of the query",
            )),
        }
    }

    fn or_expr(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and_expr(depth)?];
        while matches!(self.peek()?.kind, TokenKind::Or) {
            let op = self.next()?;
            if !starts_term(&self.peek()?.kind) {
                return Err(missing_operand(op.column, "or", "after"));
            }
            parts.push(self.and_expr(depth)?);
        }
        Ok(or_of(parts))
    }

    fn and_expr(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let first = self.peek()?;
        match first.kind {
            TokenKind::Or => return Err(missing_operand(first.column, "or", "before")),
            TokenKind::And => return Err(missing_operand(first.column, "and", "before")),
            _ => {}
        }
        let mut parts = vec![self.unary(depth)?];
        loop {
            let token = self.peek()?;
            match token.kind {
                TokenKind::And => {
                    let op = self.next()?;
                    if !starts_term(&self.peek()?.kind) {
                        return Err(missing_operand(op.column, "and", "after"));
                    }
                }
                TokenKind::Open | TokenKind::Minus | TokenKind::Not | TokenKind::Term(_) => {}
                TokenKind::Or | TokenKind::Close | TokenKind::End => break,
            }
            parts.push(self.unary(depth)?);
        }
        Ok(and_of(parts))
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if !matches!(self.peek()?.kind, TokenKind::Minus | TokenKind::Not) {
            return self.primary(depth);
        }
        let minus = self.next()?;
        if depth >= MAX_DEPTH {
            return Err(too_deep(minus.column));
        }
        if !starts_term(&self.peek()?.kind) {
            let message = if matches!(minus.kind, TokenKind::Not) {
                "`not` needs a term after it, e.g. not tag:news \
                 (to search for the word, quote it: \"not\")"
            } else {
                "expected a term after `-`, e.g. -tag:news (quote keywords: -\"or\")"
            };
            return Err(QueryError::new(minus.column, message));
        }
        Ok(Expr::Not(Box::new(self.unary(depth + 1)?)))
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let token = self.next()?;
        match token.kind {
            TokenKind::Term(expr) => Ok(expr),
            TokenKind::Open => {
                if depth >= MAX_DEPTH {
                    return Err(too_deep(token.column));
                }
                match self.peek()?.kind {
                    TokenKind::Close => {
                        return Err(QueryError::new(
                            token.column,
                            "empty parentheses: put a term between `(` and `)`",
                        ));
                    }
                    TokenKind::End => return Err(unclosed_open(token.column)),
                    _ => {}
                }
                let inner = self.or_expr(depth + 1)?;
                match self.next()?.kind {
                    TokenKind::Close => Ok(inner),
                    _ => Err(unclosed_open(token.column)),
                }
            }
            TokenKind::Close => Err(unmatched_close(token.column)),
            TokenKind::Or => Err(missing_operand(token.column, "or", "before")),
            TokenKind::And => Err(missing_operand(token.column, "and", "before")),
            TokenKind::Minus | TokenKind::Not | TokenKind::End => {
                Err(QueryError::new(token.column, "expected a term"))
            }
        }
    }
}

/// Whether a token can begin a term.
fn starts_term(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Open | TokenKind::Minus | TokenKind::Not | TokenKind::Term(_)
    )
}

fn missing_operand(column: usize, keyword: &str, side: &str) -> QueryError {
    QueryError::new(
        column,
        format!(
            "`{keyword}` needs a term {side} it (to search for the word, quote it: \"{keyword}\")"
        ),
    )
}

fn unmatched_close(column: usize) -> QueryError {
    QueryError::new(column, "unmatched `)`: remove it or add a `(` before it")
}

fn unclosed_open(column: usize) -> QueryError {
    QueryError::new(column, "unclosed `(`: add a `)` after the group")
}

fn too_deep(column: usize) -> QueryError {
    QueryError::new(
        column,
        format!("too deeply nested: at most {MAX_DEPTH} levels of `(` and `-`"),
    )
}

/// All of `parts`, with nested `And`s flattened; one part stands alone.
fn and_of(parts: Vec<Expr>) -> Expr {
    join(parts, Expr::And, |expr| match expr {
        Expr::And(inner) => Ok(inner),
        other => Err(other),
    })
}

/// Any of `parts`, with nested `Or`s flattened; one part stands alone.
fn or_of(parts: Vec<Expr>) -> Expr {
    join(parts, Expr::Or, |expr| match expr {
        Expr::Or(inner) => Ok(inner),
        other => Err(other),
    })
}

fn join(
    parts: Vec<Expr>,
    make: fn(Vec<Expr>) -> Expr,
    same_kind: fn(Expr) -> Result<Vec<Expr>, Expr>,
) -> Expr {
    let mut flat = Vec::with_capacity(parts.len());
    for part in parts {
        match same_kind(part) {
            Ok(inner) => flat.extend(inner),
            Err(other) => flat.push(other),
        }
    }
    if flat.len() == 1
        && let Some(only) = flat.pop()
    {
        return only;
    }
    make(flat)
}

#[cfg(test)]
mod tests {
    use crate::library::query::testing::{expr, word};

    use super::*;

    #[test]
    fn precedence_is_not_then_and_then_or() {
        let (a, b, c, d) = (word("a"), word("b"), word("c"), word("d"));
        let not = |e: Expr| Expr::Not(Box::new(e));
        let cases: Vec<(&str, Expr)> = vec![
            ("a b", Expr::And(vec![a.clone(), b.clone()])),
            ("a and b", Expr::And(vec![a.clone(), b.clone()])),
            ("a AND b", Expr::And(vec![a.clone(), b.clone()])),
            ("a or b", Expr::Or(vec![a.clone(), b.clone()])),
            ("a OR b", Expr::Or(vec![a.clone(), b.clone()])),
            ("a | b", Expr::Or(vec![a.clone(), b.clone()])),
            ("a|b", Expr::Or(vec![a.clone(), b.clone()])),
            (
                "a b or c",
                Expr::Or(vec![Expr::And(vec![a.clone(), b.clone()]), c.clone()]),
            ),
            (
                "a or b c",
                Expr::Or(vec![a.clone(), Expr::And(vec![b.clone(), c.clone()])]),
            ),
            (
                "a (b or c)",
                Expr::And(vec![a.clone(), Expr::Or(vec![b.clone(), c.clone()])]),
            ),
            (
                "a or b or c",
                Expr::Or(vec![a.clone(), b.clone(), c.clone()]),
            ),
            (
                "(a or b) or (c or d)",
                Expr::Or(vec![a.clone(), b.clone(), c.clone(), d.clone()]),
            ),
            (
                "a (b c) d",
                Expr::And(vec![a.clone(), b.clone(), c.clone(), d.clone()]),
            ),
            ("((a))", a.clone()),
            ("-a b", Expr::And(vec![not(a.clone()), b.clone()])),
            ("-a or b", Expr::Or(vec![not(a.clone()), b.clone()])),
            ("-(a or b)", not(Expr::Or(vec![a.clone(), b.clone()]))),
            ("-(a b)", not(Expr::And(vec![a.clone(), b.clone()]))),
            ("--a", not(not(a.clone()))),
            ("-\"a b\"", not(Expr::Phrase("a b".into()))),
            ("-tag:x", not(Expr::Tag("x".into()))),
            ("a-b", word("a-b")),
            ("a -b", Expr::And(vec![a.clone(), not(b.clone())])),
            // `not` is `-` as a word, in any case, and binds as tightly.
            ("NOT a", not(a.clone())),
            ("not a b", Expr::And(vec![not(a.clone()), b.clone()])),
            ("a AND NOT b", Expr::And(vec![a.clone(), not(b.clone())])),
            ("NOT a OR b", Expr::Or(vec![not(a.clone()), b.clone()])),
            ("not (a or b)", not(Expr::Or(vec![a.clone(), b.clone()]))),
            ("Not not a", not(not(a.clone()))),
            ("\"not\"", Expr::Phrase("not".into())),
        ];
        for (query, expected) in cases {
            assert_eq!(expr(query), expected, "query {query:?}");
        }
    }

    #[test]
    fn errors_point_at_the_offending_column() {
        // (query, column, words the message must hold)
        let cases: &[(&str, usize, &str)] = &[
            ("a \"blooper", 2, "unclosed quote"),
            ("tag:\"alice", 4, "unclosed quote"),
            ("\"a\\\"", 0, "unclosed quote"),
            ("(a b", 0, "unclosed `(`"),
            ("a (", 2, "unclosed `(`"),
            ("x (a (b)", 2, "unclosed `(`"),
            ("a b)", 3, "unmatched `)`"),
            (")", 0, "unmatched `)`"),
            ("a ()", 2, "empty parentheses"),
            ("or a", 0, "`or` needs a term before it"),
            ("a or", 2, "`or` needs a term after it"),
            ("a not", 2, "`not` needs a term after it"),
            ("NOT or a", 0, "`not` needs a term after it"),
            ("a |", 2, "`or` needs a term after it"),
            ("a or or b", 2, "`or` needs a term after it"),
            ("(a or) b", 3, "`or` needs a term after it"),
            ("a (or b)", 3, "`or` needs a term before it"),
            ("and a", 0, "`and` needs a term before it"),
            ("a and", 2, "`and` needs a term after it"),
            ("a and or b", 2, "`and` needs a term after it"),
            ("a -", 2, "after `-`"),
            ("a - b", 2, "after `-`"),
            ("-or", 0, "after `-`"),
            ("foo:bar", 0, "unknown field `foo`; known: tag, cat"),
            ("x http://example.com", 2, "unknown field `http`"),
            (":x", 0, "field name before `:`"),
            ("tag:", 4, "empty tag"),
            ("a tag: b", 6, "empty tag"),
            ("tag:\"  \"", 4, "empty tag"),
            ("cat:", 4, "empty category"),
            (
                "category:",
                9,
                "empty category: write a category after `category:`",
            ),
            ("date:", 5, "expected a date"),
            ("date:2024-13", 5, "no month 13"),
            ("date:2024-00", 5, "no month 0"),
            ("date:2024-02-30", 5, "no such date"),
            ("date:2023-02-29", 5, "no such date"),
            ("date:24", 5, "expected a date like 2024"),
            ("date:2024-1-2-3", 5, "expected a date like"),
            ("date:2024-001", 5, "expected a date like"),
            ("date:abcd", 5, "found `abcd`"),
            ("date:2024-01..2024-13", 14, "no month 13"),
            ("date:2024-06..2024-01", 5, "ends before it starts"),
            ("date:...", 7, "expected a date like"),
            ("is:", 3, "expected bookmarked, read or unread"),
            ("is:new", 3, "unknown `is:` value `new`"),
            ("\"\"", 0, "empty quotes"),
            ("é \"", 2, "unclosed quote"),
        ];
        for (query, column, words) in cases {
            let error = parse(query).expect_err(query);
            assert_eq!(error.column, *column, "column for {query:?}: {error}");
            assert!(
                error.message.contains(words),
                "message for {query:?} should mention {words:?}: {}",
                error.message
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(expr(&ok), word("a"));
        let deep = format!(
            "{}a{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        let error = parse(&deep).unwrap_err();
        assert_eq!(error.column, MAX_DEPTH);
        assert!(error.message.contains("too deeply nested"));
        let huge = "(".repeat(200_000);
        assert!(parse(&huge).is_err());
        let minus = format!("{}a", "-".repeat(200_000));
        assert_eq!(parse(&minus).unwrap_err().column, MAX_DEPTH);
        let mixed = "-(".repeat(100_000);
        assert!(parse(&mixed).is_err());
    }

    #[test]
    fn huge_flat_queries_parse() {
        let many = "word ".repeat(100_000);
        match expr(&many) {
            Expr::And(parts) => assert_eq!(parts.len(), 100_000),
            other => panic!("{other:?}"),
        }
        let ors = "a or ".repeat(50_000) + "b";
        assert!(matches!(expr(&ors), Expr::Or(parts) if parts.len() == 50_001));
        let long_word = "x".repeat(3_000_000);
        assert_eq!(expr(&long_word), Expr::Word(long_word.clone().into()));
    }

    #[test]
    fn blank_queries_are_empty_and_match_everything() {
        for blank in ["", "   ", "\t\n"] {
            let q = parse(blank).unwrap();
            assert!(q.is_empty());
            assert_eq!(q.to_string(), "");
        }
        assert!(!parse("a").unwrap().is_empty());
    }
}
