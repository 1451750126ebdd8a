//! How the commands print: text lines for people, JSON for scripts. Pure
//! functions from data to strings; the caller writes them.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::columns::ListCells;
use super::error::{CliError, write_error};
use crate::article::sanitize::sanitize_line;
use crate::article::when::{self, Shown};
use crate::article::{Article, BlockKind, Clock};
use crate::config::Config;
use crate::library::{Marks, SummaryRow, TermCount};
use crate::store::bookmarks::Bookmark;

/// Shown in the date column of `list` for an undated article: as wide as
/// a date, so piped lines keep their shape.
const NO_DATE: &str = "----------";

/// Shown by `show` for an undated article, as the reader says it.
const UNDATED: &str = "undated";

/// The display settings the text output follows.
pub(super) struct LineStyle<'c> {
    display: &'c crate::config::DisplayConfig,
    bookmark_mark: &'c str,
    unread_mark: &'c str,
    /// Now, in the machine's zone: what "today" is for `list`'s dates.
    now: DateTime<FixedOffset>,
}

impl<'c> LineStyle<'c> {
    pub(super) fn from_config(config: &'c Config) -> Self {
        LineStyle {
            display: &config.display,
            bookmark_mark: &config.display.bookmark_mark,
            unread_mark: &config.display.unread_mark,
            now: chrono::Local::now().fixed_offset(),
        }
    }

    /// The same style at another `now`, whose offset is the zone times
    /// are shown in.
    #[cfg(test)]
    fn at(self, now: DateTime<FixedOffset>) -> Self {
        LineStyle { now, ..self }
    }

    fn date(&self, date: Option<NaiveDate>) -> String {
        date.map(|d| self.display.format_date(d))
            .unwrap_or_else(|| NO_DATE.to_string())
    }

    /// A list line's date: the time for an article of today (`14:05`),
    /// else the date, as the reader shows them.
    fn listed_date(&self, date: Option<NaiveDate>, clock: Option<Clock>) -> String {
        match date {
            Some(date) => Shown::at(date, clock, &self.now).text(|d| self.display.format_date(d)),
            None => NO_DATE.to_string(),
        }
    }

    /// The fields of a `list` line: `DATE MARKS  TITLE  [TAGS]  ID`, the
    /// bookmark mark, then the unread mark, each replaced by spaces of its
    /// width when it does not apply; `short` is the article's short id (a
    /// terminal shows it in place of the path id).
    pub(super) fn list_cells(
        &self,
        article: SummaryRow<'_>,
        short: String,
        marks: &Marks,
    ) -> ListCells {
        let id = article.id();
        let bookmark = mark_or_blank(self.bookmark_mark, marks.bookmarked.contains(id));
        let unread = mark_or_blank(self.unread_mark, !marks.read.contains(id));
        // The person's own tags follow the article's, each after a `+`.
        let mut tags: Vec<String> = article.tags().map(str::to_string).collect();
        tags.extend(own_tags(marks, id).iter().map(|t| format!("+{t}")));
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!("[{}]", tags.join(", "))
        };
        ListCells {
            date: self.listed_date(article.date(), article.clock()),
            marks: format!("{bookmark}{unread}"),
            title: article.title().to_string(),
            tags,
            id: id.to_string(),
            short,
        }
    }

    /// The whole article as text: title, details, body, numbered links.
    pub(super) fn show_text(&self, article: &Article, marks: &Marks) -> String {
        let mut text = format!("{}\n", article.title);
        // The time and offset as written beside the date, as the reader
        // shows them.
        let date = article.date.map(|d| {
            let date = self.display.format_date(d);
            match article.clock {
                Some(clock) => format!("{date} {}", when::written(clock)),
                None => date,
            }
        });
        let mut details = vec![date.unwrap_or_else(|| UNDATED.to_string())];
        details.extend(article.term_details());
        if marks.bookmarked.contains(&article.id) {
            details.push(format!("{} bookmarked", self.bookmark_mark));
        }
        if !marks.read.contains(&article.id) {
            details.push("unread".to_string());
        }
        let _ = writeln!(text, "{}", details.join(" · "));
        let own = own_tags(marks, &article.id);
        if !own.is_empty() {
            let _ = writeln!(text, "your tags: {}", own.join(", "));
        }
        if let Some(note) = marks.notes.get(&article.id) {
            let _ = writeln!(text, "note: {note}");
        }
        let _ = writeln!(text, "{}", article.size_details());
        for line in article
            .credit_lines()
            .into_iter()
            .chain(article.enclosure_lines())
        {
            let _ = writeln!(text, "{line}");
        }
        for block in &article.blocks {
            // Items of a tight list follow one another without a blank line.
            if !block.joined {
                text.push('\n');
            }
            match block.kind {
                BlockKind::Quote => {
                    for line in block.text.lines() {
                        let _ = writeln!(text, "> {line}");
                    }
                }
                BlockKind::Code => {
                    for line in block.text.lines() {
                        let _ = writeln!(text, "    {line}");
                    }
                }
                BlockKind::Paragraph | BlockKind::Subheading | BlockKind::ListItem => {
                    let _ = writeln!(text, "{}", block.text);
                }
            }
        }
        if !article.links.is_empty() {
            text.push('\n');
            for (number, link) in article.links.iter().enumerate() {
                let _ = writeln!(text, "[{}] {link}", number + 1);
            }
        }
        text
    }

    /// A bookmark: date, title, id, `[missing]` when the article is gone,
    /// and the note on an indented line.
    pub(super) fn bookmark_text(&self, row: &BookmarkRow) -> String {
        let mut text = format!("{}  {}  {}", self.date(row.date), row.title, row.id);
        if row.missing {
            text.push_str("  [missing]");
        }
        text.push('\n');
        if let Some(note) = &row.note {
            let _ = writeln!(text, "    note: {note}");
        }
        text
    }
}

/// The person's own tags of `id`.
fn own_tags<'m>(marks: &'m Marks, id: &str) -> &'m [String] {
    marks.tags.get(id).map_or(&[], Vec::as_slice)
}

fn mark_or_blank(mark: &str, applies: bool) -> String {
    if applies {
        mark.to_string()
    } else {
        " ".repeat(mark.width())
    }
}

/// `broadsheet tags` / `categories`: `COUNT  NAME` lines or JSON.
pub(super) fn write_terms(
    out: &mut dyn Write,
    terms: &[TermCount],
    json: bool,
) -> Result<(), CliError> {
    if json {
        return write_json(out, &terms);
    }
    let width = terms.first().map_or(1, |t| t.count.to_string().len());
    for term in terms {
        writeln!(out, "{:>width$}  {}", term.count, term.name).map_err(write_error)?;
    }
    Ok(())
}

/// Pretty JSON followed by a newline.
pub(super) fn write_json(out: &mut dyn Write, value: &impl Serialize) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => write_error(kind.into()),
        None => CliError::new(format!("cannot write JSON: {e}")),
    })?;
    writeln!(out).map_err(write_error)
}

fn iso(date: Option<NaiveDate>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

/// The date and time with its offset (`2026-12-07T14:05:00+02:00`), for an
/// article whose file gives a time.
fn datetime(date: Option<NaiveDate>, clock: Option<Clock>) -> Option<String> {
    date.and_then(|date| when::rfc3339(date, clock))
}

/// One article of `list --json`.
#[derive(Debug, Serialize)]
pub(super) struct ListRow<'a> {
    id: &'a str,
    /// The short id (`3f2a`): a start of the id's hash no other article
    /// shares, which every command takes in place of the id.
    short_id: String,
    path: String,
    title: &'a str,
    /// The date as the file wrote it (`YYYY-MM-DD`).
    date: Option<String>,
    /// The date, time and offset as the file wrote them (RFC 3339), when it
    /// gives a time.
    datetime: Option<String>,
    categories: Vec<&'a str>,
    tags: Vec<&'a str>,
    words: usize,
    bookmarked: bool,
    read: bool,
    author: Option<&'a str>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    /// The person's own tags (tags.toml), apart from the article's.
    own_tags: Vec<String>,
    /// The bookmark's note, when it has one.
    note: Option<String>,
}

impl<'a> ListRow<'a> {
    /// The row of an article read whole (`show --json`).
    pub(super) fn new(article: &'a Article, short_id: String, marks: &Marks) -> Self {
        ListRow {
            id: &article.id,
            short_id,
            path: sanitize_line(&article.path.to_string_lossy()),
            title: &article.title,
            date: iso(article.date),
            datetime: datetime(article.date, article.clock),
            categories: article.categories.iter().map(String::as_str).collect(),
            tags: article.tags.iter().map(String::as_str).collect(),
            words: article.words(),
            bookmarked: marks.bookmarked.contains(&article.id),
            read: marks.read.contains(&article.id),
            author: article.author.as_deref(),
            source: article.source.as_deref(),
            url: article.url.as_deref(),
            own_tags: own_tags(marks, &article.id).to_vec(),
            note: marks.notes.get(&article.id).cloned(),
        }
    }

    /// The row of a listed article, whose file is at `path`, of `words`
    /// words, with its short id.
    pub(super) fn of_row(
        row: SummaryRow<'a>,
        short_id: String,
        path: &Path,
        words: usize,
        marks: &Marks,
    ) -> Self {
        ListRow {
            id: row.id(),
            short_id,
            path: sanitize_line(&path.to_string_lossy()),
            title: row.title(),
            date: iso(row.date()),
            datetime: datetime(row.date(), row.clock()),
            categories: row.categories().collect(),
            tags: row.tags().collect(),
            words,
            bookmarked: marks.bookmarked.contains(row.id()),
            read: marks.read.contains(row.id()),
            author: row.author(),
            source: row.source(),
            url: row.url(),
            own_tags: own_tags(marks, row.id()).to_vec(),
            note: marks.notes.get(row.id()).cloned(),
        }
    }
}

/// `show --json`: the list fields plus details, body and links.
#[derive(Debug, Serialize)]
pub(super) struct ShowJson<'a> {
    #[serde(flatten)]
    row: ListRow<'a>,
    reading_minutes: usize,
    body: Vec<BlockJson<'a>>,
    links: &'a [String],
    /// Files attached to the article (podcasts, videos).
    enclosures: Vec<EnclosureJson<'a>>,
}

/// One enclosure of `show --json`.
#[derive(Debug, Serialize)]
struct EnclosureJson<'a> {
    url: &'a str,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    length: Option<u64>,
}

#[derive(Debug, Serialize)]
struct BlockJson<'a> {
    kind: &'static str,
    text: &'a str,
}

impl<'a> ShowJson<'a> {
    pub(super) fn new(article: &'a Article, short_id: String, marks: &Marks) -> Self {
        ShowJson {
            row: ListRow::new(article, short_id, marks),
            reading_minutes: article.reading_minutes(),
            body: article
                .blocks
                .iter()
                .map(|b| BlockJson {
                    kind: block_kind_name(b.kind),
                    text: &b.text,
                })
                .collect(),
            links: &article.links,
            enclosures: article
                .enclosures
                .iter()
                .map(|enclosure| EnclosureJson {
                    url: &enclosure.url,
                    kind: enclosure.kind.as_deref(),
                    length: enclosure.length,
                })
                .collect(),
        }
    }
}

fn block_kind_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Paragraph => "paragraph",
        BlockKind::Subheading => "subheading",
        BlockKind::ListItem => "list_item",
        BlockKind::Quote => "quote",
        BlockKind::Code => "code",
    }
}

/// One bookmark of `bookmarks`, sanitized: the file is hand-editable, so
/// its text is untrusted like an article's.
#[derive(Debug, Serialize)]
pub(super) struct BookmarkRow {
    id: String,
    title: String,
    date: Option<NaiveDate>,
    added: String,
    note: Option<String>,
    missing: bool,
}

impl BookmarkRow {
    pub(super) fn new(bookmark: &Bookmark, missing: bool) -> Self {
        BookmarkRow {
            id: sanitize_line(&bookmark.id),
            title: sanitize_line(&bookmark.title),
            date: bookmark.date,
            added: bookmark
                .added
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            note: bookmark.note.as_deref().map(sanitize_line),
            missing,
        }
    }
}

/// `s` after a count other than one.
pub(super) fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moment(text: &str) -> DateTime<FixedOffset> {
        match DateTime::parse_from_rfc3339(text) {
            Ok(moment) => moment,
            Err(err) => panic!("{text}: {err}"),
        }
    }

    #[test]
    fn list_dates_are_times_today_and_dates_otherwise() {
        let config = Config::default();
        let style = LineStyle::from_config(&config).at(moment("2026-12-07T18:00:00+01:00"));
        let of = |text: &str| {
            let written = moment(text);
            let (date, clock) = match Clock::of(&written) {
                Some(pair) => pair,
                None => panic!("{text}: no clock"),
            };
            style.listed_date(Some(date), Some(clock))
        };
        assert_eq!(of("2026-12-07T14:05:00+02:00"), "13:05", "today, here");
        assert_eq!(
            of("2026-12-07T20:00:00-05:00"),
            "2026-12-08",
            "tomorrow, here"
        );
        assert_eq!(of("2026-11-30T09:00:00Z"), "2026-11-30");
        let today = NaiveDate::from_ymd_opt(2026, 12, 7);
        assert_eq!(style.listed_date(today, None), "2026-12-07", "a date alone");
        assert_eq!(style.listed_date(None, None), NO_DATE);
    }

    #[test]
    fn json_gives_the_datetime_as_written() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 7);
        let clock = Clock::new(14 * 3600 + 5 * 60, 120);
        assert_eq!(
            datetime(date, clock).as_deref(),
            Some("2026-12-07T14:05:00+02:00")
        );
        assert_eq!(
            datetime(date, Clock::new(0, 0)).as_deref(),
            Some("2026-12-07T00:00:00Z")
        );
        assert_eq!(datetime(date, None), None);
    }
}
