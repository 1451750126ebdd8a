//! bookmarks.toml: `[[bookmark]]` tables people can read and edit.
//!
//! ```toml
//! # broadsheet bookmarks. Edit freely while broadsheet is not writing; one [[bookmark]] per article.
//! version = 1
//!
//! [[bookmark]]
//! id = "000_b4046600ca63d592.txt"
//! title = "Heartstopper Season 3: ..."
//! date = 2024-12-24            # the article's date, omitted when it has none
//! added = 2026-11-21T10:00:00Z # when it was bookmarked, UTC
//! note = "optional"
//! ```
//!
//! Hand-written files are read leniently where nothing can be lost: `version`
//! and `title` may be left out, dates may be quoted strings, and `added` may be
//! a local date-time or a bare date (both taken as UTC). Anything else
//! unexpected, an unknown key included, makes the file corrupt (moved aside
//! and reported) rather than silently dropped on the next write. A bookmark
//! listed twice is merged as if it had been added twice.
//!
//! The store never looks at articles: bookmarks of articles that no longer
//! exist are kept.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Timelike, Utc};
use serde::de::{Error as _, IgnoredAny};
use serde::{Deserialize, Deserializer, Serialize};
use toml::value::{Date, Datetime, Offset, Time};

use super::{Change, FORMAT_VERSION, Loaded, Problem, StoreError, StoreFormat};

/// The first line of every bookmarks file broadsheet writes.
const HEADER: &str = "# broadsheet bookmarks. Edit freely while broadsheet is not writing; \
                      one [[bookmark]] per article.\n";

/// A bookmarked article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    /// The article's id (its path relative to the articles folder).
    pub id: String,
    /// The article's title when it was bookmarked, so the bookmark still
    /// means something if the article goes away.
    pub title: String,
    /// The article's date, when it has one.
    pub date: Option<NaiveDate>,
    /// When the bookmark was first added.
    pub added: DateTime<Utc>,
    /// The reader's own note.
    pub note: Option<String>,
}

impl Bookmark {
    /// A bookmark added now (to the whole second, which is how the file shows
    /// it), without a note.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        date: Option<NaiveDate>,
        added: DateTime<Utc>,
    ) -> Self {
        Bookmark {
            id: id.into(),
            title: title.into(),
            date,
            added: added.trunc_subsecs(0),
            note: None,
        }
    }
}

/// The bookmarks file: bookmarks in the order they were added, one per id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookmarkStore {
    path: PathBuf,
}

impl BookmarkStore {
    /// A store kept in the file at `path` (nothing is read or created yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        BookmarkStore { path: path.into() }
    }

    /// The bookmarks file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bookmarks in the order they were added. A missing file is no
    /// bookmarks; a file that does not parse is moved aside and reported.
    pub fn load(&self) -> Result<Loaded<Vec<Bookmark>>, StoreError> {
        super::load::<BookmarksFile>(&self.path)
    }

    /// Adds a bookmark at the end. When its id is already bookmarked the
    /// bookmark stays where it is and keeps its `added` time; title and date
    /// are updated, the note only when the new one is `Some`. `changed` is
    /// false (and nothing is written) when nothing differs.
    pub fn add(&self, bookmark: Bookmark) -> Result<Change, StoreError> {
        super::change::<BookmarksFile>(&self.path, |list| add_to(list, bookmark))
    }

    /// Adds or merges several bookmarks under one lock and one write (a
    /// sync bringing a thousand starred items rewrites the file once, not a
    /// thousand times); `changed` when any of them changed the list.
    pub fn add_all(&self, bookmarks: Vec<Bookmark>) -> Result<Change, StoreError> {
        super::change::<BookmarksFile>(&self.path, |list| {
            bookmarks
                .into_iter()
                .fold(false, |changed, bookmark| add_to(list, bookmark) | changed)
        })
    }

    /// Removes the bookmarks of these ids under one lock and one write;
    /// `changed` when there was any.
    pub fn remove_all(&self, ids: &[String]) -> Result<Change, StoreError> {
        let ids: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        super::change::<BookmarksFile>(&self.path, |list| {
            let before = list.len();
            list.retain(|bookmark| !ids.contains(bookmark.id.as_str()));
            list.len() != before
        })
    }

    /// Sets or clears (`None`) the note of the bookmark with this id;
    /// `changed` is false when there is no such bookmark or the note is
    /// the same.
    pub fn set_note(&self, id: &str, note: Option<String>) -> Result<Change, StoreError> {
        super::change::<BookmarksFile>(&self.path, |list| {
            match list.iter_mut().find(|bookmark| bookmark.id == id) {
                Some(bookmark) if bookmark.note != note => {
                    bookmark.note = note;
                    true
                }
                _ => false,
            }
        })
    }

    /// Removes the bookmark with this id; `changed` is false when there is none.
    pub fn remove(&self, id: &str) -> Result<Change, StoreError> {
        super::change::<BookmarksFile>(&self.path, |list| {
            let before = list.len();
            list.retain(|bookmark| bookmark.id != id);
            list.len() != before
        })
    }
}

/// Adds or merges one bookmark; true when the list changed.
fn add_to(list: &mut Vec<Bookmark>, new: Bookmark) -> bool {
    match list.iter_mut().find(|old| old.id == new.id) {
        Some(old) => merge_into(old, new),
        None => {
            list.push(new);
            true
        }
    }
}

/// Merges a bookmark added again into the one already there; true when it
/// changed.
fn merge_into(old: &mut Bookmark, new: Bookmark) -> bool {
    let merged = Bookmark {
        added: old.added,
        note: new.note.or_else(|| old.note.clone()),
        ..new
    };
    let changed = *old != merged;
    *old = merged;
    changed
}

/// The bookmarks file format.
struct BookmarksFile;

impl StoreFormat for BookmarksFile {
    type Data = Vec<Bookmark>;

    fn parse(text: &str) -> Result<Vec<Bookmark>, Problem> {
        super::check_version(text)?;
        let file: FileIn = toml::from_str(text)?;
        let mut list: Vec<Bookmark> = Vec::with_capacity(file.bookmark.len());
        // An index by id keeps merging duplicates linear on huge files.
        let mut index: HashMap<String, usize> = HashMap::with_capacity(file.bookmark.len());
        for record in file.bookmark {
            let bookmark = record.into_bookmark();
            match index.entry(bookmark.id.clone()) {
                Entry::Occupied(seen) => {
                    if let Some(old) = list.get_mut(*seen.get()) {
                        merge_into(old, bookmark);
                    }
                }
                Entry::Vacant(slot) => {
                    slot.insert(list.len());
                    list.push(bookmark);
                }
            }
        }
        Ok(list)
    }

    fn render(list: &Vec<Bookmark>, path: &Path) -> Result<String, StoreError> {
        let bookmark = list
            .iter()
            .map(|bookmark| RecordOut::from_bookmark(bookmark, path))
            .collect::<Result<Vec<_>, _>>()?;
        let body = toml::to_string(&FileOut {
            version: FORMAT_VERSION,
            bookmark,
        })
        .map_err(|err| StoreError::new(path, format!("cannot write the bookmarks: {err}")))?;
        Ok(format!("{HEADER}{body}"))
    }
}

/// bookmarks.toml as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    /// Checked before, by `check_version`.
    #[serde(rename = "version", default)]
    _version: IgnoredAny,
    #[serde(default)]
    bookmark: Vec<RecordIn>,
}

/// One `[[bookmark]]` table as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordIn {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default, deserialize_with = "deserialize_date")]
    date: Option<NaiveDate>,
    #[serde(deserialize_with = "deserialize_added")]
    added: DateTime<Utc>,
    #[serde(default)]
    note: Option<String>,
}

impl RecordIn {
    fn into_bookmark(self) -> Bookmark {
        Bookmark {
            id: self.id,
            title: self.title,
            date: self.date,
            added: self.added,
            note: self.note,
        }
    }
}

/// bookmarks.toml as written.
#[derive(Serialize)]
struct FileOut<'a> {
    version: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    bookmark: Vec<RecordOut<'a>>,
}

/// One `[[bookmark]]` table as written: dates as TOML dates, not strings.
#[derive(Serialize)]
struct RecordOut<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Datetime>,
    added: Datetime,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

impl<'a> RecordOut<'a> {
    /// A bookmark ready to write. A date TOML cannot hold (outside years
    /// 0–9999) is left out: it is the article's, and comes back with it.
    fn from_bookmark(bookmark: &'a Bookmark, path: &Path) -> Result<Self, StoreError> {
        let added = toml_datetime(&bookmark.added).ok_or_else(|| {
            StoreError::new(
                path,
                format!(
                    "cannot write the bookmark {:?}: its added time {} is outside the years 0-9999",
                    bookmark.id, bookmark.added
                ),
            )
        })?;
        Ok(RecordOut {
            id: &bookmark.id,
            title: &bookmark.title,
            date: bookmark.date.and_then(toml_date),
            added,
            note: bookmark.note.as_deref(),
        })
    }
}

/// A date as a TOML local date, when its year has four digits.
fn toml_date(date: NaiveDate) -> Option<Datetime> {
    Some(Datetime {
        date: Some(date_part(date)?),
        time: None,
        offset: None,
    })
}

/// The TOML date of a chrono date, when its year has four digits.
fn date_part(date: NaiveDate) -> Option<Date> {
    Some(Date {
        year: u16::try_from(date.year())
            .ok()
            .filter(|&year| year <= 9999)?,
        month: u8::try_from(date.month()).ok()?,
        day: u8::try_from(date.day()).ok()?,
    })
}

/// A UTC time as a TOML offset date-time ending in `Z`, to the nanosecond
/// when it has a fraction of a second.
fn toml_datetime(time: &DateTime<Utc>) -> Option<Datetime> {
    // chrono marks a leap second with nanoseconds past 1e9; TOML cannot.
    let nanosecond = time.nanosecond().min(999_999_999);
    Some(Datetime {
        date: Some(date_part(time.date_naive())?),
        time: Some(Time {
            hour: u8::try_from(time.hour()).ok()?,
            minute: u8::try_from(time.minute()).ok()?,
            second: Some(u8::try_from(time.second()).ok()?),
            nanosecond: (nanosecond != 0).then_some(nanosecond),
        }),
        offset: Some(Offset::Z),
    })
}

/// The article date: a TOML date (or the date of a date-time), or a string
/// `YYYY-MM-DD`.
fn deserialize_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    const EXPECTED: &str = "expected a date like 2024-12-24";
    let date = match toml::Value::deserialize(deserializer)? {
        toml::Value::Datetime(datetime) => datetime.date.and_then(chrono_date),
        toml::Value::String(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok(),
        _ => None,
    };
    date.map(Some).ok_or_else(|| D::Error::custom(EXPECTED))
}

/// The time a bookmark was added: a TOML date-time (converted to UTC; one
/// without an offset is taken as UTC, a bare date as its midnight), or an
/// RFC 3339 string.
fn deserialize_added<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<DateTime<Utc>, D::Error> {
    const EXPECTED: &str = "expected a date and time like 2026-11-21T10:00:00Z";
    let time = match toml::Value::deserialize(deserializer)? {
        toml::Value::Datetime(datetime) => chrono_datetime(&datetime),
        toml::Value::String(text) => DateTime::parse_from_rfc3339(text.trim())
            .ok()
            .map(|time| time.with_timezone(&Utc)),
        _ => None,
    };
    time.ok_or_else(|| D::Error::custom(EXPECTED))
}

/// A TOML date as a chrono date, when it is a real day.
fn chrono_date(date: Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}

/// A TOML date-time as a UTC time; `None` for a bare time of day.
fn chrono_datetime(datetime: &Datetime) -> Option<DateTime<Utc>> {
    let date = chrono_date(datetime.date?)?;
    let time = match datetime.time {
        Some(time) => NaiveTime::from_hms_nano_opt(
            u32::from(time.hour),
            u32::from(time.minute),
            u32::from(time.second.unwrap_or(0)),
            time.nanosecond.unwrap_or(0),
        )?,
        None => NaiveTime::MIN,
    };
    let offset_minutes = match datetime.offset {
        Some(Offset::Custom { minutes }) => i64::from(minutes),
        Some(Offset::Z) | None => 0,
    };
    let local = NaiveDateTime::new(date, time);
    let utc = local.checked_sub_signed(chrono::TimeDelta::try_minutes(offset_minutes)?)?;
    Some(utc.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bookmark(id: &str, note: Option<&str>) -> Bookmark {
        Bookmark {
            id: id.to_string(),
            title: format!("Title of {id}"),
            date: NaiveDate::from_ymd_opt(2024, 12, 24),
            added: DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z")
                .map(|time| time.with_timezone(&Utc))
                .unwrap_or_default(),
            note: note.map(str::to_string),
        }
    }

    /// The ids of the bookmarks in `store`, in the file's order.
    fn ids_in(store: &BookmarkStore) -> Vec<String> {
        let loaded = store.load().unwrap();
        loaded.value.into_iter().map(|b| b.id).collect()
    }

    #[test]
    fn many_bookmarks_are_added_and_removed_in_one_change_each() {
        let dir = tempfile::tempdir().unwrap();
        let store = BookmarkStore::new(dir.path().join("bookmarks.toml"));
        store.add(bookmark("a", Some("mine"))).unwrap();
        let added = store
            .add_all(vec![
                bookmark("a", None),
                bookmark("b", None),
                bookmark("c", None),
            ])
            .unwrap();
        assert!(added.changed);
        let ids = ids_in(&store);
        assert_eq!(ids, ["a", "b", "c"], "merged, in order, none twice");
        assert_eq!(
            store.load().unwrap().value[0].note.as_deref(),
            Some("mine"),
            "a bookmark added again keeps its note"
        );
        let removed = store
            .remove_all(&["a".to_string(), "c".to_string()])
            .unwrap();
        assert!(removed.changed);
        let ids = ids_in(&store);
        assert_eq!(ids, ["b"]);
        assert!(!store.remove_all(&["zzz".to_string()]).unwrap().changed);
    }

    #[test]
    fn renders_the_documented_format() {
        let text = BookmarksFile::render(
            &vec![bookmark("000_b4046600ca63d592.txt", Some("optional"))],
            Path::new("bookmarks.toml"),
        );
        assert_eq!(
            text,
            Ok("# broadsheet bookmarks. Edit freely while broadsheet is not writing; one [[bookmark]] per article.\n\
                version = 1\n\
                \n\
                [[bookmark]]\n\
                id = \"000_b4046600ca63d592.txt\"\n\
                title = \"Title of 000_b4046600ca63d592.txt\"\n\
                date = 2024-12-24\n\
                added = 2026-11-21T10:00:00Z\n\
                note = \"optional\"\n"
                .to_string())
        );
    }

    #[test]
    fn hand_written_forms_are_understood() {
        let text = r#"
            [[bookmark]]
            id = "a"
            date = "2024-12-24"
            added = 2026-11-21T12:00:00+02:00

            [[bookmark]]
            id = "b"
            date = 2024-12-24T08:00:00
            added = "2026-11-21T10:00:00Z"

            [[bookmark]]
            id = "c"
            added = 2026-11-21
        "#;
        let list = BookmarksFile::parse(text).unwrap_or_default();
        let ten = bookmark("x", None).added;
        assert_eq!(list.len(), 3);
        assert!(
            list.iter()
                .take(2)
                .all(|b| b.added == ten && b.date == NaiveDate::from_ymd_opt(2024, 12, 24))
        );
        assert_eq!(
            list.get(2).map(|b| b.added.to_rfc3339()),
            Some("2026-11-21T00:00:00+00:00".to_string())
        );
        assert_eq!(list.get(2).map(|b| b.title.as_str()), Some(""));
    }

    #[test]
    fn duplicates_in_the_file_merge_like_repeated_adds() {
        let text = r#"
            [[bookmark]]
            id = "a"
            title = "old"
            added = 2026-11-21T10:00:00Z
            note = "mine"
            [[bookmark]]
            id = "b"
            added = 2026-11-21T10:00:00Z
            [[bookmark]]
            id = "a"
            title = "new"
            added = 2027-01-01T00:00:00Z
        "#;
        let list = BookmarksFile::parse(text).unwrap_or_default();
        let ids: Vec<&str> = list.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        let first = list.first().cloned();
        assert_eq!(first.as_ref().map(|b| b.title.as_str()), Some("new"));
        assert_eq!(first.as_ref().and_then(|b| b.note.as_deref()), Some("mine"));
        assert_eq!(first.map(|b| b.added), Some(bookmark("x", None).added));
    }

    #[test]
    fn problems_point_at_line_and_column() {
        let text = "version = 1\n[[bookmark]]\nid = \"a\"\nadded = 12\n";
        let problem = BookmarksFile::parse(text).map(|_| ()).unwrap_err();
        assert!(
            problem
                .describe(text)
                .starts_with("line 4, column 9: expected a date and time"),
            "{problem:?}"
        );
        let unknown = "[[bookmark]]\nid = \"a\"\nadded = 2026-11-21\nnotes = \"x\"\n";
        let problem = BookmarksFile::parse(unknown).map(|_| ()).unwrap_err();
        assert!(
            problem
                .describe(unknown)
                .starts_with("line 4, column 1: unknown field `notes`"),
            "{problem:?}"
        );
    }

    #[test]
    fn add_keeps_added_and_note_unless_a_new_note_is_given() {
        let mut list = vec![bookmark("a", Some("mine"))];
        let mut again = bookmark("a", None);
        again.added = Utc::now();
        assert!(!add_to(&mut list, again.clone()));
        assert_eq!(list, vec![bookmark("a", Some("mine"))]);
        again.note = Some("new".to_string());
        assert!(add_to(&mut list, again));
        assert_eq!(list, vec![bookmark("a", Some("new"))]);
    }

    #[test]
    fn out_of_range_dates_never_panic() {
        let mut far = bookmark("a", None);
        far.date = NaiveDate::from_ymd_opt(12345, 1, 1);
        let text =
            BookmarksFile::render(&vec![far.clone()], Path::new("b.toml")).unwrap_or_default();
        assert!(!text.contains("date ="), "{text}");
        far.added = DateTime::<Utc>::MAX_UTC;
        assert!(BookmarksFile::render(&vec![far], Path::new("b.toml")).is_err());
    }
}
