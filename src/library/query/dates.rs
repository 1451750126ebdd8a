//! Dates of `date:` terms: [`DateRange`] and [`PartialDate`], parsing the
//! value of `date:`, whether a day lies in a range, and printing them back.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::error::QueryError;
use crate::article::sanitize::quoted_in_place;

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

impl DateRange {
    /// Whether the day lies in the range.
    pub(super) fn contains(&self, date: NaiveDate) -> bool {
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

/// Parses the value of `date:`: one date, or a range `from..to` where either
/// end may be left out.
pub(super) fn parse_date_range(value: &str, column: usize) -> Result<DateRange, QueryError> {
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
    use crate::library::Marks;
    use crate::library::query::parse;
    use crate::library::query::testing::{article, day, ids};

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
}
