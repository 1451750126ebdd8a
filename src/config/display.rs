//! The `[display]` table: how dates are written, the order at start,
//! marking read on open, the list's marks and columns, and the widest
//! the reader's text is drawn.

use std::fmt::Write as _;

use chrono::NaiveDate;
use chrono::format::{Item, StrftimeItems};
use toml::de::DeValue;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::doc::suggest;
use super::error::ConfigError;
use super::reader::{Section, Setting, Value};
use crate::article::sanitize::{is_invisible, quoted};
use crate::library::{ListColumn, SortOrder};

/// The `[display]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayConfig {
    /// How dates are written (chrono strftime, date fields only).
    pub date_format: String,
    /// The order of the list at start.
    pub sort: SortOrder,
    /// Whether opening an article marks it read.
    pub mark_read_on_open: bool,
    /// Shown beside bookmarked articles (1 or 2 columns wide).
    pub bookmark_mark: String,
    /// Shown beside unread articles (1 or 2 columns wide).
    pub unread_mark: String,
    /// The widest the reader's text is drawn, in columns, centred in a
    /// wider pane; 0 for the pane's whole width.
    pub max_width: u16,
    /// The list's columns, left to right (the title always among them).
    pub list_columns: Vec<ListColumn>,
    /// Whether the reader's numbered links are clickable (OSC 8) in
    /// terminals that support it.
    pub hyperlinks: bool,
}

/// Lines of about this many columns are the easiest to read; a wide
/// terminal's pane would make them twice as long.
const DEFAULT_MAX_WIDTH: u16 = 80;

/// The narrowest `max_width` other than 0: narrower text is all breaks.
const MIN_MAX_WIDTH: u16 = 20;

impl Default for DisplayConfig {
    fn default() -> DisplayConfig {
        DisplayConfig {
            date_format: "%Y-%m-%d".to_string(),
            sort: SortOrder::Date,
            mark_read_on_open: true,
            bookmark_mark: "★".to_string(),
            unread_mark: "•".to_string(),
            max_width: DEFAULT_MAX_WIDTH,
            list_columns: ListColumn::DEFAULT.to_vec(),
            hyperlinks: true,
        }
    }
}

impl DisplayConfig {
    /// Formats a date with `date_format`; falls back to ISO should the
    /// pattern fail to format (validation makes that rare).
    pub(crate) fn format_date(&self, date: NaiveDate) -> String {
        let mut out = String::new();
        match write!(out, "{}", date.format(&self.date_format)) {
            Ok(()) => out,
            Err(_) => date.format("%Y-%m-%d").to_string(),
        }
    }

    /// The widest a date written with `date_format` can be, so the list's
    /// date column (and the titles after it) never move with the dates
    /// shown. Month and weekday names differ in width: a week of every
    /// month, with two-digit days, meets them all.
    pub(crate) fn date_width(&self) -> usize {
        let Some(start) = NaiveDate::from_ymd_opt(2024, 1, 22) else {
            return 0;
        };
        (0..12)
            .filter_map(|month| start.checked_add_months(chrono::Months::new(month)))
            .flat_map(|first| {
                (0..7).filter_map(move |day| first.checked_add_days(chrono::Days::new(day)))
            })
            .map(|date| self.format_date(date).width())
            .max()
            .unwrap_or(0)
    }
}

/// The settings of `[display]`.
pub(super) const SETTINGS: &[Setting<DisplayConfig>] = &[
    Setting {
        name: "date_format",
        doc: "How dates are written",
        set: |reader, name, value, display| {
            let format = reader.string(name, value, "a date format in quotes")?;
            check_date_format(format).map_err(|e| reader.error(value, e))?;
            display.date_format = format.to_string();
            Ok(())
        },
    },
    Setting {
        name: "sort",
        doc: "Order of the list at start",
        set: |reader, name, value, display| {
            let order = reader.string(name, value, "\"date\", \"oldest\" or \"title\"")?;
            display.sort = SortOrder::from_name(order).ok_or_else(|| {
                let message = format!(
                    "unknown sort `{}`; use \"date\" or \"newest\" (newest first), \
                     \"oldest\" or \"title\"",
                    quoted(order)
                );
                reader.error(value, message)
            })?;
            Ok(())
        },
    },
    Setting {
        name: "mark_read_on_open",
        doc: "Whether opening an article marks it read",
        set: |reader, name, value, display| {
            display.mark_read_on_open = reader.bool(name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "bookmark_mark",
        doc: "Shown beside bookmarked and unread articles",
        set: |reader, name, value, display| {
            display.bookmark_mark = mark(reader, name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "unread_mark",
        doc: "Shown beside bookmarked and unread articles",
        set: |reader, name, value, display| {
            display.unread_mark = mark(reader, name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "hyperlinks",
        doc: "Whether the reader's links are clickable",
        set: |reader, name, value, display| {
            display.hyperlinks = reader.bool(name, value)?;
            Ok(())
        },
    },
    Setting {
        name: "max_width",
        doc: "The widest the article's text is drawn",
        set: |reader, _, value, display| {
            display.max_width = max_width(reader, value)?;
            Ok(())
        },
    },
    Setting {
        name: "list_columns",
        doc: "The list's columns, left to right",
        set: |reader, name, value, display| {
            display.list_columns = list_columns(reader, name, value)?;
            Ok(())
        },
    },
];

/// `max_width`: 0, or a number of columns from [`MIN_MAX_WIDTH`] to 1000.
fn max_width(reader: &Section, value: &Value) -> Result<u16, ConfigError> {
    let expected = format!("0 (no limit) or a number of columns from {MIN_MAX_WIDTH} to 1000");
    let DeValue::Integer(_) = value.get_ref() else {
        return Err(reader.wrong_type("max_width", value, &expected));
    };
    reader
        .integer(value)
        .and_then(|n| u16::try_from(n).ok())
        .filter(|&n| n == 0 || (MIN_MAX_WIDTH..=1000).contains(&n))
        .ok_or_else(|| reader.error(value, format!("`max_width` must be {expected}")))
}

/// `["date", "title", "tags"]`: known names, each once, the title among
/// them (a list without titles cannot be read).
fn list_columns(
    reader: &Section,
    setting: &str,
    value: &Value,
) -> Result<Vec<ListColumn>, ConfigError> {
    let names = ListColumn::ALL.map(ListColumn::name);
    let expected = format!("a list of column names ({})", names.join(", "));
    let DeValue::Array(items) = value.get_ref() else {
        return Err(reader.wrong_type(setting, value, &expected));
    };
    let mut columns = Vec::new();
    for item in items.iter() {
        let name = reader.string(setting, item, &expected)?;
        let column = ListColumn::ALL
            .into_iter()
            .find(|column| column.name() == name)
            .ok_or_else(|| {
                let hint = suggest(name, names)
                    .map_or(String::new(), |known| format!("did you mean `{known}`? "));
                reader.error(
                    item,
                    format!(
                        "unknown column `{}` in `{setting}`; {hint}the columns are: {}",
                        quoted(name),
                        names.join(", ")
                    ),
                )
            })?;
        if columns.contains(&column) {
            return Err(reader.error(item, format!("`{name}` is in `{setting}` twice")));
        }
        columns.push(column);
    }
    if !columns.contains(&ListColumn::Title) {
        return Err(reader.error(
            value,
            format!("`{setting}` must include \"title\", such as [\"date\", \"title\", \"tags\"]"),
        ));
    }
    Ok(columns)
}

fn mark(reader: &Section, setting: &str, value: &Value) -> Result<String, ConfigError> {
    let mark = reader.string(setting, value, "one or two characters in quotes")?;
    check_mark(mark).map_err(|e| reader.error(value, format!("`{setting}` {e}")))?;
    Ok(mark.to_string())
}

/// Date formats longer than this are refused: the format is repeated on
/// every list row.
const MAX_DATE_FORMAT_CHARS: usize = 64;

/// Checks a chrono date format: every `%` field must be known and be a
/// date field (articles have dates, not times), and the format must not
/// print control characters.
pub fn check_date_format(format: &str) -> Result<(), String> {
    let help = "use chrono date fields such as %Y %m %d %b %e %A (see `man strftime`)";
    if format.chars().count() > MAX_DATE_FORMAT_CHARS {
        return Err(format!(
            "date_format is longer than {MAX_DATE_FORMAT_CHARS} characters"
        ));
    }
    if format.chars().any(is_invisible) {
        return Err("date_format has a control character; remove it".to_string());
    }
    let items: Vec<Item> = StrftimeItems::new(format).collect();
    if items.iter().any(|item| matches!(item, Item::Error)) {
        return Err(format!("invalid date_format `{}`; {help}", quoted(format)));
    }
    let sample = NaiveDate::from_ymd_opt(2024, 3, 9).unwrap_or_default();
    let mut out = String::new();
    if write!(out, "{}", sample.format_with_items(items.iter())).is_err() {
        return Err(format!(
            "date_format `{}` asks for a time or time zone, which article dates do not have; {help}",
            quoted(format)
        ));
    }
    if out.chars().any(is_invisible) {
        return Err(
            "date_format prints a line break, tab or control character (%n, %t); \
             use spaces or punctuation instead"
                .to_string(),
        );
    }
    Ok(())
}

/// Checks a list mark: one or two terminal columns wide, visible, and at
/// most two characters as the reader sees them.
fn check_mark(mark: &str) -> Result<(), String> {
    if mark.chars().any(is_invisible) {
        return Err("has a control or invisible character; use a visible one".to_string());
    }
    let width = mark.width();
    if !(1..=2).contains(&width) || mark.graphemes(true).nth(2).is_some() {
        return Err(format!(
            "must be one or two columns wide, such as \"★\" or \"*\"; `{}` is {width}",
            quoted(mark)
        ));
    }
    Ok(())
}
