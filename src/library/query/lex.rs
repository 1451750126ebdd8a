//! Lexing: the query text split into tokens (parentheses, `or`, `and`, `not`,
//! `-` and whole terms), tracking the character column of each for errors.
//! Words and phrases are lower-cased here and field terms (`tag:`, `cat:`,
//! `is:`, and `date:` through [`super::dates`]) are built here, so the parser
//! only deals with structure.

use super::dates::parse_date_range;
use super::error::QueryError;
use super::{Expr, Mark};
use crate::article::sanitize::quoted_in_place;

/// The field names `field:value` understands, as listed in error messages.
const KNOWN_FIELDS: &str = "tag, cat (or category), date, is";

/// Characters that end a bare word (besides whitespace).
pub(super) fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '|')
}

/// What a token is.
#[derive(Debug)]
pub(super) enum TokenKind {
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `or` (any case) or `|`.
    Or,
    /// `and` (any case).
    And,
    /// `-` right before a term.
    Minus,
    /// `not` (any case): `-` as a word, so `NOT tram` is `-tram`.
    Not,
    /// A complete term: word, phrase or field.
    Term(Expr),
    /// The end of the query.
    End,
}

/// A token and where it starts.
#[derive(Debug)]
pub(super) struct Token {
    /// What the token is.
    pub(super) kind: TokenKind,
    /// Column of the token's first character.
    pub(super) column: usize,
}

/// Splits the input into tokens, tracking byte position and character column.
pub(super) struct Lexer<'a> {
    input: &'a str,
    /// Byte offset of the next character.
    pos: usize,
    /// Character column of the next character.
    column: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `input`.
    pub(super) fn new(input: &'a str) -> Self {
        Lexer {
            input,
            pos: 0,
            column: 0,
        }
    }

    fn peek_char(&self) -> Option<char> {
        self.input
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        self.column += 1;
        Some(c)
    }

    fn skip_whitespace(&mut self) {
        while self.peek_char().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// The next token; [`TokenKind::End`] at the end, and again after it.
    pub(super) fn next_token(&mut self) -> Result<Token, QueryError> {
        self.skip_whitespace();
        let column = self.column;
        let token = |kind| Ok(Token { kind, column });
        let Some(c) = self.peek_char() else {
            return token(TokenKind::End);
        };
        match c {
            '(' | ')' | '|' => {
                self.bump();
                token(match c {
                    '(' => TokenKind::Open,
                    ')' => TokenKind::Close,
                    _ => TokenKind::Or,
                })
            }
            '"' => {
                let text = self.quoted()?;
                if text.is_empty() {
                    return Err(QueryError::new(
                        column,
                        "empty quotes: put the words to search for between them",
                    ));
                }
                token(TokenKind::Term(Expr::Phrase(text.to_lowercase().into())))
            }
            '-' => {
                self.bump();
                match self.peek_char() {
                    Some(next) if !next.is_whitespace() && next != ')' && next != '|' => {
                        token(TokenKind::Minus)
                    }
                    _ => Err(QueryError::new(
                        column,
                        "expected a term right after `-` (no space), e.g. -tag:news",
                    )),
                }
            }
            _ => self.word(),
        }
    }

    /// Reads a quoted string starting at `"`; returns its text with escapes
    /// resolved and whitespace collapsed.
    fn quoted(&mut self) -> Result<String, QueryError> {
        let column = self.column;
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(QueryError::new(
                        column,
                        "unclosed quote: add a closing `\"`",
                    ));
                }
                Some('"') => return Ok(collapse_whitespace(&text)),
                Some('\\') => match self.peek_char() {
                    Some(escaped @ ('"' | '\\')) => {
                        self.bump();
                        text.push(escaped);
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
    }

    /// Reads a bare word: a keyword, a word or a `field:value` term.
    fn word(&mut self) -> Result<Token, QueryError> {
        let column = self.column;
        let start = self.pos;
        while self.peek_char().is_some_and(|c| !is_delimiter(c)) {
            self.bump();
        }
        let raw = self.input.get(start..self.pos).unwrap_or_default();
        if let Some((name, value)) = raw.split_once(':') {
            let term = self.field(column, name, value)?;
            return Ok(Token {
                kind: TokenKind::Term(term),
                column,
            });
        }
        let folded = raw.to_lowercase();
        let kind = match folded.as_str() {
            "or" => TokenKind::Or,
            "and" => TokenKind::And,
            "not" => TokenKind::Not,
            _ => TokenKind::Term(Expr::Word(folded.into())),
        };
        Ok(Token { kind, column })
    }

    /// Builds a field term from `name:value`; a value left empty in the word
    /// may follow in quotes (`tag:"Alice Oseman"`).
    fn field(&mut self, column: usize, name: &str, bare: &str) -> Result<Expr, QueryError> {
        let name_chars = name.chars().count();
        let mut value_column = column + name_chars + 1;
        let value = if bare.is_empty() && self.peek_char() == Some('"') {
            value_column = self.column;
            self.quoted()?
        } else {
            bare.to_string()
        };
        let field = name.to_lowercase();
        match field.as_str() {
            "tag" => name_value(&value, value_column, "tag", "tag").map(Expr::Tag),
            "cat" | "category" => {
                name_value(&value, value_column, "category", &field).map(Expr::Category)
            }
            "date" => parse_date_range(&value, value_column).map(Expr::Date),
            "is" => parse_mark(&value, value_column).map(Expr::Is),
            "" => Err(QueryError::new(
                column,
                format!(
                    "expected a field name before `:` ({KNOWN_FIELDS}); \
                     to search for text with a colon, put it in quotes"
                ),
            )),
            _ => Err(QueryError::new(
                column,
                format!(
                    "unknown field `{}`; known: {KNOWN_FIELDS} \
                     (to search for text with a colon, put it in quotes)",
                    quoted_in_place(name)
                ),
            )),
        }
    }
}

/// The value of `tag:` or `cat:`, folded; an error when empty. `what` names
/// the value in the message, `field` is the prefix as the user wrote it.
fn name_value(value: &str, column: usize, what: &str, field: &str) -> Result<String, QueryError> {
    let value = collapse_whitespace(value);
    if value.is_empty() {
        return Err(QueryError::new(
            column,
            format!("empty {what}: write a {what} after `{field}:`, e.g. {field}:news"),
        ));
    }
    Ok(crate::article::fold_term(&value))
}

fn parse_mark(value: &str, column: usize) -> Result<Mark, QueryError> {
    match value.to_lowercase().as_str() {
        "bookmarked" => Ok(Mark::Bookmarked),
        "read" => Ok(Mark::Read),
        "unread" => Ok(Mark::Unread),
        "" => Err(QueryError::new(
            column,
            "expected bookmarked, read or unread after `is:`",
        )),
        _ => Err(QueryError::new(
            column,
            format!(
                "unknown `is:` value `{}`; expected bookmarked, read or unread",
                quoted_in_place(value)
            ),
        )),
    }
}

/// Collapses runs of whitespace to one space and trims the ends.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::library::Marks;
    use crate::library::query::testing::{expr, ids, word};
    use crate::library::query::{Expr, Mark};

    #[test]
    fn phrases_collapse_whitespace_and_ignore_case() {
        let marks = Marks::default();
        assert_eq!(ids("\"  Blooper \t\n  REEL \"", &marks), ["003", "004"]);
        assert_eq!(
            expr("\"  Blooper \t  REEL \""),
            Expr::Phrase("blooper reel".into())
        );
        // A phrase is one term: the words must be adjacent.
        assert_eq!(ids("\"reel blooper\"", &marks), Vec::<String>::new());
        assert_eq!(ids("\"alice oseman's\"", &marks), ["000"]);
        // Escapes inside quotes.
        assert_eq!(expr(r#""say \"hi\"""#), Expr::Phrase("say \"hi\"".into()));
        assert_eq!(expr(r#""a\\b""#), Expr::Phrase("a\\b".into()));
        assert_eq!(expr(r#""c:\path""#), Expr::Phrase("c:\\path".into()));
        // Quotes end a word and keywords can be searched for in quotes.
        assert_eq!(
            expr("foo\"bar\""),
            Expr::And(vec![word("foo"), Expr::Phrase("bar".into())])
        );
        assert_eq!(expr("\"or\""), Expr::Phrase("or".into()));
        assert_eq!(expr("\"12:30\""), Expr::Phrase("12:30".into()));
    }

    #[test]
    fn field_terms_parse_to_folded_values() {
        let cases: &[(&str, Expr)] = &[
            ("tag:Bloopers", Expr::Tag("bloopers".into())),
            ("TAG:x", Expr::Tag("x".into())),
            ("tag:\"Alice   Oseman\"", Expr::Tag("alice oseman".into())),
            ("tag:a:b", Expr::Tag("a:b".into())),
            ("tag:-x", Expr::Tag("-x".into())),
            ("tag:or", Expr::Tag("or".into())),
            ("cat:TV", Expr::Category("tv".into())),
            ("category:TV", Expr::Category("tv".into())),
            ("is:bookmarked", Expr::Is(Mark::Bookmarked)),
            ("is:READ", Expr::Is(Mark::Read)),
            ("is:unread", Expr::Is(Mark::Unread)),
        ];
        for (query, expected) in cases {
            assert_eq!(&expr(query), expected, "query {query:?}");
        }
    }
}
