//! [`QueryError`]: what is wrong with a query and at which column, and how
//! it is shown under the query with a caret.

use std::fmt;

use crate::article::sanitize::replace_invisible;

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
    pub(super) fn new(column: usize, message: impl Into<String>) -> Self {
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

#[cfg(test)]
mod tests {
    use crate::library::query::parse;

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
}
