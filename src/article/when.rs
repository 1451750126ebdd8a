//! An article's time of day beside its date: the [`Clock`] (seconds into the
//! day and the offset from UTC the file wrote), the instant a date and a
//! clock make, and the clock's one-word form in the cache.
//!
//! The date stays the date as the file wrote it (`2026-12-07T20:00:00-05:00`
//! is the 7th, though it is the 8th in UTC): queries such as `date:` and
//! `after:` read that date, as they always did. Sorting reads the instant.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Offset, Timelike, Utc};

/// The largest offset from UTC, in minutes, a clock keeps (23:59): what TOML
/// and RFC 3339 can write and `chrono::FixedOffset` accepts.
pub const MAX_OFFSET_MINUTES: i16 = 23 * 60 + 59;

/// Seconds in a day.
const DAY_SECONDS: u32 = 86_400;

/// Offsets a clock can hold: -23:59 ..= +23:59.
const OFFSETS: u32 = 2 * MAX_OFFSET_MINUTES as u32 + 1;

/// The time of day an article's date carries, and the offset from UTC it was
/// written with. Seconds are kept, fractions of a second are not; a leap
/// second (`:60`) counts as `:59`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Clock {
    /// Seconds since the start of the day, at the offset: 0..86,400.
    seconds: u32,
    /// The offset from UTC in minutes, east positive.
    offset_minutes: i16,
}

impl Clock {
    /// A clock `seconds` into the day at `offset_minutes` east of UTC;
    /// `None` when either is out of range.
    pub fn new(seconds: u32, offset_minutes: i16) -> Option<Clock> {
        (seconds < DAY_SECONDS && offset_minutes.abs() <= MAX_OFFSET_MINUTES).then_some(Clock {
            seconds,
            offset_minutes,
        })
    }

    /// The date as written at its offset and the clock of `datetime`.
    pub fn of(datetime: &DateTime<FixedOffset>) -> Option<(NaiveDate, Clock)> {
        let local = datetime.naive_local();
        let offset_seconds = datetime.offset().local_minus_utc();
        // Offsets of whole minutes only: a seconds part is dropped.
        let minutes = i16::try_from(offset_seconds / 60).ok()?;
        let clock = Clock::new(local.time().num_seconds_from_midnight(), minutes)?;
        Some((local.date(), clock))
    }

    /// Seconds since the start of the day, at the offset.
    pub fn seconds(self) -> u32 {
        self.seconds
    }

    /// The offset from UTC in minutes, east positive.
    pub fn offset_minutes(self) -> i16 {
        self.offset_minutes
    }

    /// The offset as chrono's.
    pub fn offset(self) -> FixedOffset {
        // In range by construction; UTC would be the safe reading otherwise.
        FixedOffset::east_opt(i32::from(self.offset_minutes) * 60).unwrap_or(Utc.fix())
    }

    /// The time of day, at the offset.
    pub fn time(self) -> NaiveTime {
        NaiveTime::from_num_seconds_from_midnight_opt(self.seconds, 0).unwrap_or(NaiveTime::MIN)
    }

    /// The clock as one `u32` (0 = no clock), as the cache stores it: small
    /// enough that a row grows by one word only.
    pub fn pack(clock: Option<Clock>) -> u32 {
        match clock {
            None => 0,
            Some(c) => {
                let offset = (i32::from(c.offset_minutes) + i32::from(MAX_OFFSET_MINUTES)) as u32;
                1 + c.seconds * OFFSETS + offset
            }
        }
    }

    /// The clock [`Clock::pack`] made `packed` from: `Some(None)` for no
    /// clock, `None` for a number no clock packs to (a damaged cache).
    pub fn unpack(packed: u32) -> Option<Option<Clock>> {
        let Some(n) = packed.checked_sub(1) else {
            return Some(None);
        };
        let offset = i32::try_from(n % OFFSETS).ok()? - i32::from(MAX_OFFSET_MINUTES);
        Clock::new(n / OFFSETS, i16::try_from(offset).ok()?).map(Some)
    }
}

/// Seconds since the Unix epoch of an article dated `date` at `clock`: what
/// the list sorts by. A date without a clock counts as the start of its day
/// in UTC.
pub fn instant(date: NaiveDate, clock: Option<Clock>) -> i64 {
    let days = i64::from(date.num_days_from_ce()) - EPOCH_DAYS_FROM_CE;
    let (seconds, offset) = clock.map_or((0, 0), |c| (c.seconds, c.offset_minutes));
    days * i64::from(DAY_SECONDS) + i64::from(seconds) - i64::from(offset) * 60
}

/// `NaiveDate::num_days_from_ce` of 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// `date` at `clock` as a datetime with its offset; `None` without a clock.
pub fn datetime(date: NaiveDate, clock: Option<Clock>) -> Option<DateTime<FixedOffset>> {
    let clock = clock?;
    date.and_time(clock.time())
        .and_local_timezone(clock.offset())
        .single()
}

/// The width of a time as the list writes it (`14:05`).
pub const TIME_WIDTH: usize = 5;

/// What a list line shows of an article's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// The time of day, in the reader's zone: the article is of today.
    Time(NaiveTime),
    /// The date: in the reader's zone when the article has a time, as
    /// written when it has only a date.
    Date(NaiveDate),
}

impl Shown {
    /// What a list line shows of an article dated `date` at `clock`, at
    /// `now` in the reader's zone: its time (`14:05`) when it falls on
    /// now's date there, else its date. A date without a time is always
    /// the date: it names a day, not a moment in any one zone.
    pub fn at(date: NaiveDate, clock: Option<Clock>, now: &DateTime<FixedOffset>) -> Shown {
        let Some(written) = datetime(date, clock) else {
            return Shown::Date(date);
        };
        let here = written.with_timezone(now.offset());
        if here.date_naive() == now.date_naive() {
            Shown::Time(here.time())
        } else {
            Shown::Date(here.date_naive())
        }
    }

    /// As text: a time as `14:05`, a date as `format_date` writes it.
    pub fn text(self, format_date: impl FnOnce(NaiveDate) -> String) -> String {
        match self {
            Shown::Time(time) => time.format("%H:%M").to_string(),
            Shown::Date(date) => format_date(date),
        }
    }
}

/// A clock as the details of an open article give it beside the date: the
/// time and offset as written (`14:05 +02:00`).
pub fn written(clock: Clock) -> String {
    let offset = clock.offset_minutes();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs();
    format!(
        "{} {sign}{:02}:{:02}",
        clock.time().format("%H:%M"),
        offset / 60,
        offset % 60
    )
}

/// The date and time of an article as `show --json` and `list --json` give
/// them: RFC 3339 with the offset written (`2026-12-07T14:05:00+02:00`),
/// `None` without a time.
pub fn rfc3339(date: NaiveDate, clock: Option<Clock>) -> Option<String> {
    datetime(date, clock).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => date,
            Err(err) => panic!("{text}: {err}"),
        }
    }

    fn moment(text: &str) -> DateTime<FixedOffset> {
        match DateTime::parse_from_rfc3339(text) {
            Ok(moment) => moment,
            Err(err) => panic!("{text}: {err}"),
        }
    }

    #[test]
    fn clocks_pack_and_unpack_at_every_edge() {
        for (seconds, offset) in [(0, 0), (86_399, 1439), (86_399, -1439), (50_700, 120)] {
            let clock = Clock::new(seconds, offset);
            assert!(clock.is_some(), "{seconds} {offset}");
            assert_eq!(Clock::unpack(Clock::pack(clock)), Some(clock));
        }
        assert_eq!(Clock::unpack(0), Some(None));
        let past = Clock::pack(Clock::new(86_399, 1439)) + 1;
        assert_eq!(Clock::unpack(past), None, "beyond the last clock");
        assert_eq!(Clock::unpack(u32::MAX), None);
        assert_eq!(Clock::new(86_400, 0), None);
        assert_eq!(Clock::new(0, 1440), None);
    }

    #[test]
    fn instants_order_moments_across_offsets() {
        let (written, clock) =
            Clock::of(&moment("2026-12-07T20:00:00-05:00")).unwrap_or_else(|| panic!("a clock"));
        assert_eq!(written, day("2026-12-07"), "the date as written");
        let late = instant(written, Some(clock));
        let (d, c) =
            Clock::of(&moment("2026-12-08T01:00:00Z")).unwrap_or_else(|| panic!("a clock"));
        assert_eq!(late, instant(d, Some(c)), "the same instant");
        assert_eq!(late, moment("2026-12-08T01:00:00Z").timestamp());
        assert_eq!(
            instant(day("1970-01-01"), None),
            0,
            "a date alone: its start in UTC"
        );
    }

    #[test]
    fn today_shows_the_time_here_and_other_days_the_date_here() {
        let now = moment("2026-12-07T18:00:00+01:00");
        let at = |text: &str| {
            let (date, clock) = Clock::of(&moment(text)).unwrap_or_else(|| panic!("a clock"));
            Shown::at(date, Some(clock), &now).text(|d| d.to_string())
        };
        assert_eq!(at("2026-12-07T14:05:00+02:00"), "13:05");
        // Written on the 6th, but the 7th here.
        assert_eq!(at("2026-12-06T20:00:00-05:00"), "02:00");
        // Written on the 7th, but the 8th here.
        assert_eq!(at("2026-12-07T20:00:00-05:00"), "2026-12-08");
        assert_eq!(at("2026-12-01T09:00:00Z"), "2026-12-01");
        assert_eq!(
            Clock::new(50_700, -570).map(written).as_deref(),
            Some("14:05 -09:30")
        );
        assert_eq!(
            Clock::new(0, 0).map(written).as_deref(),
            Some("00:00 +00:00")
        );
        let today_without_time = Shown::at(day("2026-12-07"), None, &now);
        assert_eq!(today_without_time, Shown::Date(day("2026-12-07")));
    }
}
