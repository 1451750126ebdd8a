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
//! | `-term`                        | the term does not match                          |
//! | `a b`, `a and b`               | both match                                       |
//! | `a or b`, `a \| b`             | either matches                                   |
//! | `( … )`                        | grouping                                         |
//!
//! Precedence is NOT > AND > OR, so `a b or c` is `(a b) or c`. Keywords `or`
//! and `and` are case-insensitive; to search for them as words, quote them.
//! A bare word holding `:` is always a field term (`foo:bar` is an error
//! naming the known fields): to search for text with a colon, quote it
//! (`"12:30"`). Inside quotes `\"` is a quote and `\\` a backslash; runs of
//! whitespace collapse to one space and the ends are trimmed. Undated articles
//! never match a `date:` term; `date:..` matches every dated article.
//!
//! Words and phrases are lower-cased once, at parse time, and compared with
//! `str::contains` against [`Article::folded`], so evaluation allocates
//! nothing per article and stops at the first term that decides.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::Marks;
use crate::article::Article;
use crate::article::sanitize::{quoted_in_place, replace_invisible};

/// How deeply parentheses and `-` may nest before the parser gives up with an
/// error (instead of exhausting the stack on hostile input).
pub const MAX_DEPTH: usize = 64;

/// The field names `field:value` understands, as listed in error messages.
const KNOWN_FIELDS: &str = "tag, cat (or category), date, is";

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
    /// [`fold_term`](crate::article::fold_term), the rule tags compare by,
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

/// A date range of `date:`, inclusive at both ends. An end given as a year or
/// month covers all of it: `2024-01..2024-06` runs to June 30th.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// The first year, month or day, or `None` for an open start.
    pub from: Option<PartialDate>,
    /// The last year, month or day, or `None` for an open end.
    pub to: Option<PartialDate>,
}

/// A year, a month or a day, as written in a `date:` term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartialDate {
    /// A whole year, 0 to 9999.
    Year(i32),
    /// A whole month: year (0 to 9999) and month (1 to 12).
    Month(i32, u32),
    /// One day.
    Day(NaiveDate),
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

impl QueryError {
    fn new(column: usize, message: impl Into<String>) -> Self {
        QueryError {
            column,
            message: message.into(),
        }
    }

    /// Renders the error under the query it came from: the query on one line,
    /// then a caret under the offending column followed by the message.
    /// Control, bidi and other invisible characters in the query (as
    /// [`is_invisible`](crate::article::sanitize::is_invisible) tells them)
    /// are shown as `�` so they neither act on the terminal nor shift the
    /// caret; wide characters are accounted for.
    ///
    /// ```text
    /// tag: oseman
    ///     ^ empty tag: write a tag after `tag:`, e.g. tag:news
    /// ```
    pub fn caret(&self, input: &str) -> String {
        let shown = replace_invisible(input);
        let pad: usize = shown
            .chars()
            .take(self.column)
            .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
            .sum();
        format!("{shown}\n{}^ {}", " ".repeat(pad), self.message)
    }
}

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

impl Query {
    /// Whether the article matches. The empty query matches everything.
    pub fn matches(&self, article: &Article, marks: &Marks) -> bool {
        self.expr
            .as_ref()
            .is_none_or(|expr| expr.matches(article, marks))
    }

    /// Whether this is the empty query (which matches every article).
    pub fn is_empty(&self) -> bool {
        self.expr.is_none()
    }

    /// Whether the query reads title and body text (it has words or
    /// phrases), so articles must be loaded with their bodies.
    pub fn needs_text(&self) -> bool {
        self.expr.as_ref().is_some_and(Expr::has_text)
    }

    /// The lower-cased words and phrases an article view should highlight:
    /// those that must be present (not under an odd number of `-`), in query
    /// order, without repeats.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut terms = Vec::new();
        if let Some(expr) = &self.expr {
            expr.collect_highlights(true, &mut terms);
        }
        terms
    }

    /// Both queries at once: the articles that match `self` and `other`
    /// (e.g. the search box combined with a tag filter). The result stays
    /// canonical, so it prints and parses back to itself.
    pub fn and(self, other: Query) -> Query {
        let expr = match (self.expr, other.expr) {
            (None, other) => other,
            (mine, None) => mine,
            (Some(a), Some(b)) => Some(and_of(vec![a, b])),
        };
        Query { expr }
    }

    /// Whether every article that matches `self` surely matches `broader`
    /// too, so a new search can filter the previous results instead of the
    /// whole library (typing `bloo` then `bloop`, or adding a term).
    /// Conservative: `false` when unsure.
    pub fn narrows(&self, broader: &Query) -> bool {
        let Some(broad) = &broader.expr else {
            return true;
        };
        let Some(narrow) = &self.expr else {
            return false;
        };
        let mut budget = IMPLICATION_BUDGET;
        implies(narrow, broad, &mut budget)
    }
}

/// How many comparisons [`Query::narrows`] may make: enough for any typed
/// query, and a bound that keeps a huge pasted query from stalling a
/// keystroke (past it the caller simply searches everything again).
const IMPLICATION_BUDGET: usize = 10_000;

/// Whether `narrow` matching an article guarantees that `broad` matches it.
/// Sound but not complete: `false` when unsure or out of budget.
fn implies(narrow: &Expr, broad: &Expr, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match (narrow, broad) {
        (
            Expr::Word(longer) | Expr::Phrase(longer),
            Expr::Word(shorter) | Expr::Phrase(shorter),
        ) => longer.as_str().contains(shorter.as_str()),
        (_, Expr::And(wanted)) => wanted.iter().all(|b| implies(narrow, b, budget)),
        (Expr::Or(options), _) => options.iter().all(|n| implies(n, broad, budget)),
        (Expr::And(given), _) => given.iter().any(|n| implies(n, broad, budget)),
        (_, Expr::Or(options)) => options.iter().any(|b| implies(narrow, b, budget)),
        // Contraposition: lacking `bloo` guarantees lacking `bloop`.
        (Expr::Not(n), Expr::Not(b)) => implies(b, n, budget),
        _ => narrow == broad,
    }
}

/// Lower-cased text to find in an article's folded title and body, with
/// its SIMD searcher built once when the query is parsed: search as you
/// type runs it over every article on every keystroke.
#[derive(Clone)]
pub struct Needle {
    /// Shared: the searcher is large and queries are cloned.
    finder: std::sync::Arc<memchr::memmem::Finder<'static>>,
}

impl Needle {
    /// The text searched for.
    pub fn as_str(&self) -> &str {
        // Built from a `String` in `From`, so always valid UTF-8.
        std::str::from_utf8(self.finder.needle()).unwrap_or_default()
    }

    /// Whether `haystack` contains the text.
    pub fn is_in(&self, haystack: &str) -> bool {
        self.finder.find(haystack.as_bytes()).is_some()
    }
}

impl From<String> for Needle {
    fn from(text: String) -> Needle {
        Needle {
            finder: std::sync::Arc::new(memchr::memmem::Finder::new(text.as_bytes()).into_owned()),
        }
    }
}

impl From<&str> for Needle {
    fn from(text: &str) -> Needle {
        Needle::from(text.to_string())
    }
}

impl PartialEq for Needle {
    fn eq(&self, other: &Needle) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Needle {}

impl fmt::Debug for Needle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::ops::Deref for Needle {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Expr {
    /// Whether a word or phrase occurs anywhere in the expression.
    fn has_text(&self) -> bool {
        match self {
            Expr::Word(_) | Expr::Phrase(_) => true,
            Expr::Not(inner) => inner.has_text(),
            Expr::And(terms) | Expr::Or(terms) => terms.iter().any(Expr::has_text),
            Expr::Tag(_) | Expr::Category(_) | Expr::Date(_) | Expr::Is(_) => false,
        }
    }

    /// Whether the article matches this expression. Allocates nothing and
    /// stops at the first operand that decides an `And` or `Or`.
    pub fn matches(&self, article: &Article, marks: &Marks) -> bool {
        match self {
            Expr::Word(text) | Expr::Phrase(text) => text.is_in(&article.folded),
            Expr::Tag(tag) => {
                may_carry(article, tag)
                    && article
                        .tags
                        .iter()
                        .any(|t| crate::article::folds_to(t, tag))
            }
            Expr::Category(cat) => {
                may_carry(article, cat)
                    && article
                        .categories
                        .iter()
                        .any(|c| crate::article::folds_to(c, cat))
            }
            Expr::Date(range) => article.date.is_some_and(|date| range.contains(date)),
            Expr::Is(Mark::Bookmarked) => marks.bookmarked.contains(article.id.as_str()),
            Expr::Is(Mark::Read) => marks.read.contains(article.id.as_str()),
            Expr::Is(Mark::Unread) => !marks.read.contains(article.id.as_str()),
            Expr::Not(inner) => !inner.matches(article, marks),
            Expr::And(parts) => parts.iter().all(|part| part.matches(article, marks)),
            Expr::Or(parts) => parts.iter().any(|part| part.matches(article, marks)),
        }
    }

    fn collect_highlights(&self, positive: bool, out: &mut Vec<String>) {
        match self {
            Expr::Word(text) | Expr::Phrase(text) => {
                if positive && !out.iter().any(|seen| seen == text.as_str()) {
                    out.push(text.as_str().to_string());
                }
            }
            Expr::Not(inner) => inner.collect_highlights(!positive, out),
            Expr::And(parts) | Expr::Or(parts) => {
                for part in parts {
                    part.collect_highlights(positive, out);
                }
            }
            Expr::Tag(_) | Expr::Category(_) | Expr::Date(_) | Expr::Is(_) => {}
        }
    }
}

/// False when the article's term filter rules the folded term out.
fn may_carry(article: &Article, folded: &str) -> bool {
    article.term_bits == 0 || article.term_bits & crate::article::term_bit(folded) != 0
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

impl DateRange {
    /// Whether the day lies in the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        let day = (date.year(), date.month(), date.day());
        self.from.is_none_or(|from| day >= from.first_day())
            && self.to.is_none_or(|to| day <= to.last_day())
    }
}

impl PartialDate {
    /// The first day covered, as (year, month, day).
    fn first_day(self) -> (i32, u32, u32) {
        match self {
            PartialDate::Year(year) => (year, 1, 1),
            PartialDate::Month(year, month) => (year, month, 1),
            PartialDate::Day(date) => (date.year(), date.month(), date.day()),
        }
    }

    /// The last day covered, as (year, month, day). Day 31 stands for the
    /// end of any month: real dates never exceed it.
    fn last_day(self) -> (i32, u32, u32) {
        match self {
            PartialDate::Year(year) => (year, 12, 31),
            PartialDate::Month(year, month) => (year, month, 31),
            PartialDate::Day(date) => (date.year(), date.month(), date.day()),
        }
    }
}

// ---------------------------------------------------------------------------
// Lexing

/// Characters that end a bare word (besides whitespace).
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '|')
}

#[derive(Debug)]
enum TokenKind {
    Open,
    Close,
    Or,
    And,
    Minus,
    /// A complete term: word, phrase or field.
    Term(Expr),
    End,
}

#[derive(Debug)]
struct Token {
    kind: TokenKind,
    /// Column of the token's first character.
    column: usize,
}

/// Splits the input into tokens, tracking byte position and character column.
struct Lexer<'a> {
    input: &'a str,
    /// Byte offset of the next character.
    pos: usize,
    /// Character column of the next character.
    column: usize,
}

impl<'a> Lexer<'a> {
    fn new(input: &'a str) -> Self {
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

    fn next_token(&mut self) -> Result<Token, QueryError> {
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

/// Parses the value of `date:`: one date, or a range `from..to` where either
/// end may be left out.
fn parse_date_range(value: &str, column: usize) -> Result<DateRange, QueryError> {
    let Some((from_text, to_text)) = value.split_once("..") else {
        if value.is_empty() {
            return Err(QueryError::new(
                column,
                "expected a date after `date:`, e.g. date:2024-03 or date:2024-01..2024-06",
            ));
        }
        let day = parse_partial_date(value, column)?;
        return Ok(DateRange {
            from: Some(day),
            to: Some(day),
        });
    };
    let to_column = column + from_text.chars().count() + 2;
    let from = (!from_text.is_empty())
        .then(|| parse_partial_date(from_text, column))
        .transpose()?;
    let to = (!to_text.is_empty())
        .then(|| parse_partial_date(to_text, to_column))
        .transpose()?;
    if let (Some(first), Some(last)) = (from, to)
        && first.first_day() > last.last_day()
    {
        return Err(QueryError::new(
            column,
            "the date range ends before it starts: put the earlier date first",
        ));
    }
    Ok(DateRange { from, to })
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (month and day may have one digit).
fn parse_partial_date(text: &str, column: usize) -> Result<PartialDate, QueryError> {
    let malformed = || {
        QueryError::new(
            column,
            format!(
                "expected a date like 2024, 2024-03 or 2024-03-05, found `{}`",
                quoted_in_place(text)
            ),
        )
    };
    let mut parts = text.split('-');
    let year = parts
        .next()
        .filter(|y| y.len() == 4)
        .and_then(digits)
        .ok_or_else(malformed)?;
    let month = parts
        .next()
        .map(|m| digits(m).filter(|_| m.len() <= 2).ok_or_else(malformed))
        .transpose()?;
    let day = parts
        .next()
        .map(|d| digits(d).filter(|_| d.len() <= 2).ok_or_else(malformed))
        .transpose()?;
    if parts.next().is_some() {
        return Err(malformed());
    }
    let year = i32::try_from(year).map_err(|_| malformed())?;
    let Some(month) = month else {
        return Ok(PartialDate::Year(year));
    };
    if !(1..=12).contains(&month) {
        return Err(QueryError::new(
            column,
            format!("no month {month} in `{text}`: months run from 01 to 12"),
        ));
    }
    let Some(day) = day else {
        return Ok(PartialDate::Month(year, month));
    };
    NaiveDate::from_ymd_opt(year, month, day)
        .map(PartialDate::Day)
        .ok_or_else(|| {
            QueryError::new(
                column,
                format!("no such date: `{text}` (month {month} has no day {day})"),
            )
        })
}

/// The number written by a non-empty run of ASCII digits (at most 4).
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

// ---------------------------------------------------------------------------
// Parsing

/// Recursive descent over the tokens: `or` binds loosest, then `and` (or
/// juxtaposition), then `-`.
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
                TokenKind::Open | TokenKind::Minus | TokenKind::Term(_) => {}
                TokenKind::Or | TokenKind::Close | TokenKind::End => break,
            }
            parts.push(self.unary(depth)?);
        }
        Ok(and_of(parts))
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if !matches!(self.peek()?.kind, TokenKind::Minus) {
            return self.primary(depth);
        }
        let minus = self.next()?;
        if depth >= MAX_DEPTH {
            return Err(too_deep(minus.column));
        }
        if !starts_term(&self.peek()?.kind) {
            return Err(QueryError::new(
                minus.column,
                "expected a term after `-`, e.g. -tag:news (quote keywords: -\"or\")",
            ));
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
            TokenKind::Minus | TokenKind::End => {
                Err(QueryError::new(token.column, "expected a term"))
            }
        }
    }
}

/// Whether a token can begin a term.
fn starts_term(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Open | TokenKind::Minus | TokenKind::Term(_)
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

// ---------------------------------------------------------------------------
// Printing

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
    pub fn name(self) -> &'static str {
        match self {
            Mark::Bookmarked => "bookmarked",
            Mark::Read => "read",
            Mark::Unread => "unread",
        }
    }
}

/// Prints `2024`, `2024-03..2024-06`, `..2024` and the like.
impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from == to => write!(f, "{from}"),
            (from, to) => {
                if let Some(from) = from {
                    write!(f, "{from}")?;
                }
                f.write_str("..")?;
                if let Some(to) = to {
                    write!(f, "{to}")?;
                }
                Ok(())
            }
        }
    }
}

/// Prints `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(year) => write!(f, "{year:04}"),
            PartialDate::Month(year, month) => write!(f, "{year:04}-{month:02}"),
            PartialDate::Day(date) => {
                write!(
                    f,
                    "{:04}-{:02}-{:02}",
                    date.year(),
                    date.month(),
                    date.day()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn article(
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
            categories: categories.iter().map(|s| s.to_string()).collect(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
            author: None,
            source: None,
            url: None,
            blocks: Vec::new(),
            links: Vec::new(),
            folded: format!("{title}\n{body}").to_lowercase(),
            term_bits: 0,
        }
    }

    /// Articles shaped like the five reference samples.
    fn samples() -> Vec<Article> {
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

    fn ids(query: &str, marks: &Marks) -> Vec<String> {
        let q = parse(query).unwrap_or_else(|e| panic!("{query:?} does not parse: {e}"));
        samples()
            .iter()
            .filter(|a| q.matches(a, marks))
            .map(|a| a.id.clone())
            .collect()
    }

    fn word(w: &str) -> Expr {
        Expr::Word(w.into())
    }

    fn expr(query: &str) -> Expr {
        match parse(query) {
            Ok(Query { expr: Some(e) }) => e,
            other => panic!("{query:?} gave {other:?}"),
        }
    }

    #[test]
    fn sample_queries_find_the_expected_articles() {
        let marks = Marks::default();
        let cases: &[(&str, &[&str])] = &[
            ("tag:bloopers", &["000"]),
            ("Oseman -tag:bloopers", &["001", "003"]),
            ("\"blooper reel\"", &["003", "004"]),
            ("date:2024-01..2024-12", &["000", "002"]),
            ("oseman", &["000", "001", "003"]),
            ("\"alice osman\"", &["002"]),
            ("tag:heartstopper", &["000", "001"]),
            ("tag:\"alice oseman\"", &["001"]),
            ("cat:netflix", &["000", "001"]),
            ("category:TV", &["000", "001"]),
            ("heartstopper blooper", &["000", "003", "004"]),
            ("", &["000", "001", "002", "003", "004"]),
        ];
        for (query, expected) in cases {
            assert_eq!(ids(query, &marks), *expected, "query {query:?}");
        }
    }

    #[test]
    fn words_match_case_insensitive_substrings_of_title_and_body() {
        let marks = Marks::default();
        let cases: &[(&str, &[&str])] = &[
            ("OSEMAN", &["000", "001", "003"]),
            ("oseMan heartSTOPPER", &["000", "001", "003"]),
            ("greatness", &["000"]),          // title only
            ("osem", &["000", "001", "003"]), // substring
            ("wave oseman", &["000"]),
            ("nosuchword", &[]),
        ];
        for (query, expected) in cases {
            assert_eq!(ids(query, &marks), *expected, "query {query:?}");
        }
    }

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

    #[test]
    fn tags_and_categories_match_whole_names_only() {
        let marks = Marks::default();
        assert_eq!(ids("tag:blooper", &marks), Vec::<String>::new());
        assert_eq!(ids("tag:oseman", &marks), Vec::<String>::new());
        assert_eq!(ids("cat:net", &marks), Vec::<String>::new());
        assert_eq!(ids("tag:HEARTSTOPPER", &marks), ["000", "001"]);
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn date_terms_cover_whole_years_months_and_open_ranges() {
        // (query, dates it must match, dates it must not match)
        type Case = (
            &'static str,
            &'static [(i32, u32, u32)],
            &'static [(i32, u32, u32)],
        );
        let cases: &[Case] = &[
            (
                "date:2024",
                &[(2024, 1, 1), (2024, 12, 31)],
                &[(2023, 12, 31), (2025, 1, 1)],
            ),
            (
                "date:2024-03",
                &[(2024, 3, 1), (2024, 3, 31)],
                &[(2024, 2, 29), (2024, 4, 1)],
            ),
            ("date:2024-3", &[(2024, 3, 15)], &[(2024, 4, 1)]),
            (
                "date:2024-03-05",
                &[(2024, 3, 5)],
                &[(2024, 3, 4), (2024, 3, 6)],
            ),
            (
                "date:2024-01..2024-06",
                &[(2024, 1, 1), (2024, 6, 30)],
                &[(2023, 12, 31), (2024, 7, 1)],
            ),
            (
                "date:2024..",
                &[(2024, 1, 1), (9999, 1, 1)],
                &[(2023, 12, 31)],
            ),
            (
                "date:..2024-06",
                &[(1, 1, 1), (2024, 6, 30)],
                &[(2024, 7, 1)],
            ),
            (
                "date:2024-02-10..2024-02",
                &[(2024, 2, 10), (2024, 2, 29)],
                &[(2024, 2, 9)],
            ),
            ("date:2024..2024", &[(2024, 6, 1)], &[(2025, 1, 1)]),
            ("date:..", &[(2024, 6, 1), (1900, 1, 1)], &[]),
        ];
        let marks = Marks::default();
        for (query, inside, outside) in cases {
            let q = parse(query).unwrap();
            let mut a = article("x", "t", "b", &[], &[], None);
            assert!(!q.matches(&a, &marks), "{query}: undated must not match");
            for &(y, m, d) in *inside {
                a.date = Some(day(y, m, d));
                assert!(q.matches(&a, &marks), "{query} should match {y}-{m}-{d}");
            }
            for &(y, m, d) in *outside {
                a.date = Some(day(y, m, d));
                assert!(
                    !q.matches(&a, &marks),
                    "{query} should not match {y}-{m}-{d}"
                );
            }
        }
    }

    #[test]
    fn undated_articles_match_only_negated_date_terms() {
        let marks = Marks::default();
        assert_eq!(ids("-date:..", &marks), ["003"]);
        assert_eq!(ids("-date:2024", &marks), ["001", "003", "004"]);
        assert_eq!(ids("date:..2024-10", &marks), ["002", "004"]);
        assert_eq!(ids("date:2025..", &marks), ["001"]);
    }

    #[test]
    fn is_terms_look_at_marks_by_id() {
        let marks = Marks {
            bookmarked: HashSet::from(["001".to_string(), "003".to_string()]),
            read: HashSet::from(["000".to_string(), "001".to_string()]),
        };
        let cases: &[(&str, &[&str])] = &[
            ("is:bookmarked", &["001", "003"]),
            ("is:read", &["000", "001"]),
            ("is:unread", &["002", "003", "004"]),
            ("-is:read", &["002", "003", "004"]),
            ("is:bookmarked is:unread", &["003"]),
            ("is:bookmarked or is:read", &["000", "001", "003"]),
            ("oseman -is:bookmarked", &["000"]),
        ];
        for (query, expected) in cases {
            assert_eq!(ids(query, &marks), *expected, "query {query:?}");
        }
        assert_eq!(ids("is:unread", &Marks::default()).len(), 5);
        assert!(ids("is:bookmarked", &Marks::default()).is_empty());
    }

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
        ];
        for (query, expected) in cases {
            assert_eq!(expr(query), expected, "query {query:?}");
        }
    }

    #[test]
    fn operators_combine_as_expected_on_samples() {
        let marks = Marks::default();
        let cases: &[(&str, &[&str])] = &[
            ("tag:bloopers or \"blooper reel\"", &["000", "003", "004"]),
            ("oseman tag:bloopers or date:2023", &["000", "004"]),
            ("oseman (tag:bloopers or date:2023)", &["000"]),
            ("-(oseman or osman)", &["004"]),
            ("--tag:bloopers", &["000"]),
            ("-\"blooper reel\" -oseman", &["002"]),
        ];
        for (query, expected) in cases {
            assert_eq!(ids(query, &marks), *expected, "query {query:?}");
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
    fn errors_quote_only_a_short_displayable_part_of_the_input() {
        let long = format!("date:{}", "9".repeat(10_000));
        let error = parse(&long).unwrap_err();
        assert!(error.message.len() < 200, "{}", error.message);
        let error = parse("x\u{1b}[31m:y").unwrap_err();
        assert!(!error.message.contains('\u{1b}'), "{}", error.message);
    }

    #[test]
    fn caret_marks_the_column_under_the_query() {
        let error = parse("oseman tag:").unwrap_err();
        assert_eq!(
            error.caret("oseman tag:"),
            "oseman tag:\n           ^ empty tag: write a tag after `tag:`, e.g. tag:news"
        );
        // Wide characters take two cells; control characters are replaced.
        let input = "日本 \u{1b}x foo:1";
        let error = parse(input).unwrap_err();
        assert_eq!(error.column, 6);
        let rendered = error.caret(input);
        assert!(!rendered.contains('\u{1b}'));
        let caret_line = rendered.lines().nth(1).unwrap();
        // 日本 (2 cells each), space, the replaced escape, x, space.
        assert_eq!(caret_line.find('^'), Some(2 + 2 + 1 + 1 + 1 + 1));
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

    #[test]
    fn highlight_terms_are_the_positive_words_and_phrases() {
        let cases: &[(&str, &[&str])] = &[
            ("Oseman -tag:bloopers", &["oseman"]),
            ("\"Blooper Reel\" -netflix", &["blooper reel"]),
            ("a (b or -c) --d a", &["a", "b", "d"]),
            ("-(x or y) z", &["z"]),
            ("tag:x date:2024 is:read", &[]),
            ("", &[]),
        ];
        for (query, expected) in cases {
            assert_eq!(
                parse(query).unwrap().highlight_terms(),
                *expected,
                "{query:?}"
            );
        }
    }

    #[test]
    fn and_combines_queries_and_stays_canonical() {
        let search = parse("oseman or osman").unwrap();
        let filter = parse("tag:a tag:b").unwrap();
        let both = search.clone().and(filter.clone());
        assert_eq!(both.to_string(), "(oseman or osman) tag:a tag:b");
        assert_eq!(parse(&both.to_string()), Ok(both.clone()));
        assert_eq!(Query::default().and(filter.clone()), filter);
        assert_eq!(search.clone().and(Query::default()), search);
    }

    #[test]
    fn narrows_recognises_queries_that_only_grew() {
        let narrows = |new: &str, old: &str| parse(new).unwrap().narrows(&parse(old).unwrap());
        assert!(narrows("bloop", "bloo"));
        assert!(narrows("bloo tag:x", "bloo"));
        assert!(narrows("\"blooper reel\"", "blooper"));
        assert!(narrows("anything", ""));
        assert!(narrows("a", "a or b"));
        assert!(narrows("tag:x a", "a tag:x"));
        assert!(narrows("a or bc", "a or b"));
        assert!(narrows("-bloo", "-bloop"));
        assert!(narrows("(a b) or (a c)", "a"));
        assert!(narrows("a (b or c) d", "a (b or c)"));
        assert!(!narrows("", "a"));
        assert!(!narrows("blo", "bloo"));
        assert!(!narrows("a or b", "a"));
        assert!(!narrows("-bloop", "-bloo"));
        assert!(!narrows("tag:xy", "tag:x"));
        assert!(!narrows("a or b", "a or c"));
        assert!(!narrows("date:2024", "date:2024-03"));
        // Too many terms to compare within budget: unsure, so not narrowing
        // (the same query would otherwise narrow itself).
        let many: String = (0..2000).map(|i| format!("w{i} ")).collect();
        assert!(narrows("w1 w2 w3", "w3 w1"));
        assert!(!narrows(&many, &many));
    }

    #[test]
    fn matching_uses_article_ids_and_folded_text_only() {
        // `folded` is the source of truth for text: a title not in `folded`
        // is not searched again per article.
        let mut a = article("id", "Title", "body", &[], &[], None);
        a.folded = "something else".into();
        let marks = Marks::default();
        assert!(!parse("title").unwrap().matches(&a, &marks));
        assert!(parse("else").unwrap().matches(&a, &marks));
    }
}
