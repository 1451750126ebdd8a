//! A feed's date text as an instant with the offset it was written at.
//!
//! feed-rs reads dates into UTC and drops the offset, and it gives up on
//! forms feeds really use. This reader is handed to feed-rs in its place
//! ([`parse_date`]), and keeps the offset so an article says
//! `date = 2026-12-07T14:05:00+02:00` as the feed did. It reads:
//! - RFC 3339 and ISO 8601 as feeds write them: `2026-12-07T14:05:00+02:00`,
//!   a space or lower-case `t` for the `T`, `z`, an offset without its
//!   colon (`+0200`) or minutes (`+02`), fractions of a second, no seconds,
//!   no offset (read as UTC), a date alone (its start, in UTC);
//! - RFC 822 and 2822: `Mon, 7 Dec 2026 14:05:00 +0000`, with named zones
//!   (`GMT`, `UT`, `UTC`, `Z`, the North American `EST`…`PDT` and other
//!   common ones such as `CET`, `CEST`, `BST`, `JST`, `IST` as India's,
//!   `AEST`), a comment after it (`+0000 (UTC)`), two-digit years (`7 Dec
//!   26`: 00–49 are 2000–2049, 50–99 are 1950–1999, as RFC 2822 says),
//!   no seconds, no zone (UTC), a long or wrong week day or none, long
//!   month names, a single-digit hour, and the month before the day (`Dec
//!   7, 2026`).
//!
//! Military letters other than `Z` count as UTC: RFC 822 wrote their signs
//! backwards, so RFC 2822 says they carry no information.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};

/// The instant `text` names, at the offset it was written with; `None`
/// when it is no date this module reads.
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = without_comments(text);
    let text = text.trim();
    if text.len() > 100 {
        return None;
    }
    iso(text).or_else(|| rfc822(text))
}

/// `text` without `( … )` comments, which RFC 822 allows after a zone.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// RFC 3339 and the ISO forms feeds write.
fn iso(text: &str) -> Option<DateTime<FixedOffset>> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(0..4)?).ok()?,
        digits(5..7)?,
        digits(8..10)?,
    )?;
    let rest = text.get(10..)?;
    if rest.is_empty() {
        return at(date, NaiveTime::MIN, 0);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?.trim_start();
    let (time, zone) = clock_and_rest(rest)?;
    let offset = match zone.trim() {
        "" => 0,
        zone => offset_of(zone)?,
    };
    at(date, time, offset)
}

/// RFC 822 and 2822, and the broken forms feeds write of them.
fn rfc822(text: &str) -> Option<DateTime<FixedOffset>> {
    let mut tokens: Vec<&str> = text
        .split([' ', '\t', ','])
        .filter(|t| !t.is_empty())
        .collect();
    // A week day, of any spelling or language: a leading word that is no
    // month.
    if tokens
        .first()
        .is_some_and(|t| t.chars().all(char::is_alphabetic) && month_of(t).is_none())
    {
        tokens.remove(0);
    }
    let (day, month, year, rest) = match tokens.as_slice() {
        [day, month, year, rest @ ..] if month_of(month).is_some() => {
            (*day, month_of(month)?, *year, rest)
        }
        // The month before the day: `Dec 7, 2026`.
        [month, day, year, rest @ ..] if month_of(month).is_some() => {
            (*day, month_of(month)?, *year, rest)
        }
        _ => return None,
    };
    let day: u32 = number(day)?;
    let year = match (year.len(), number::<i32>(year)?) {
        (2, y) if y < 50 => 2000 + y,
        (2, y) => 1900 + y,
        (3, y) => 1900 + y,
        (4, y) => y,
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let (time, zone) = match rest {
        [] => (NaiveTime::MIN, String::new()),
        [time, zone @ ..] => {
            let (time, after) = clock_and_rest(time)?;
            // `14:05:00+0000` or `14:05 +0000`, and nothing after the zone.
            let zone = format!("{after}{}", zone.concat());
            (time, zone)
        }
    };
    let offset = match zone.trim() {
        "" => 0,
        zone => offset_of(zone)?,
    };
    at(date, time, offset)
}

/// A leading `H:MM`, `HH:MM:SS` or `HH:MM:SS.fff` of `text`, and what
/// follows it. An hour of 24 (which some feeds write for midnight) is 0;
/// a leap second is the one before it.
fn clock_and_rest(text: &str) -> Option<(NaiveTime, &str)> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(text.len());
    let (clock, rest) = text.split_at(end);
    let mut parts = clock.split(':');
    let hour: u32 = number(parts.next()?)?;
    let minute: u32 = number(parts.next()?)?;
    let second: u32 = match parts.next() {
        None => 0,
        Some(seconds) => number(seconds.split('.').next()?)?,
    };
    if parts.next().is_some() || hour > 24 {
        return None;
    }
    let time = NaiveTime::from_hms_opt(hour % 24, minute, second.min(59))?;
    Some((time, rest))
}

/// A number of one to four ASCII digits.
fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    (!text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())?
}

/// The month of a name (`Dec`, `December`, `DEC.`), English as RFC 822
/// writes it.
fn month_of(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.len() < 3 || !name.is_ascii() {
        return None;
    }
    let at = MONTHS.iter().position(|m| name.starts_with(m))?;
    // The rest of the word must be the month's own (`sept`, `december`).
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (FULL[at].starts_with(&name) || name == "sept").then_some(at as u32 + 1)
}

/// The offset, in seconds east of UTC, of a zone: `+0200`, `+02:00`,
/// `+02`, `Z`, or a name.
fn offset_of(zone: &str) -> Option<i32> {
    if let Some(signed) = zone.strip_prefix(['+', '-']) {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = signed.chars().filter(|c| *c != ':').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (hours, minutes) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
            _ => return None,
        };
        if hours > 23 || minutes > 59 {
            return None;
        }
        return Some(sign * (hours * 3600 + minutes * 60));
    }
    let hours_minutes = |h: i32, m: i32| Some(h * 3600 + h.signum() * m * 60);
    match zone.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => Some(0),
        "EST" => hours_minutes(-5, 0),
        "EDT" => hours_minutes(-4, 0),
        "CST" => hours_minutes(-6, 0),
        "CDT" => hours_minutes(-5, 0),
        "MST" => hours_minutes(-7, 0),
        "MDT" => hours_minutes(-6, 0),
        "PST" => hours_minutes(-8, 0),
        "PDT" => hours_minutes(-7, 0),
        "AKST" => hours_minutes(-9, 0),
        "AKDT" => hours_minutes(-8, 0),
        "HST" => hours_minutes(-10, 0),
        "AST" => hours_minutes(-4, 0),
        "ADT" => hours_minutes(-3, 0),
        "NST" => hours_minutes(-3, 30),
        "NDT" => hours_minutes(-2, 30),
        "BST" | "CET" | "WEST" => hours_minutes(1, 0),
        "CEST" | "EET" => hours_minutes(2, 0),
        "EEST" | "MSK" => hours_minutes(3, 0),
        "IST" => hours_minutes(5, 30),
        "SGT" | "HKT" | "AWST" => hours_minutes(8, 0),
        "JST" | "KST" => hours_minutes(9, 0),
        "ACST" => hours_minutes(9, 30),
        "AEST" => hours_minutes(10, 0),
        "AEDT" => hours_minutes(11, 0),
        "NZST" => hours_minutes(12, 0),
        "NZDT" => hours_minutes(13, 0),
        // Military letters: see the module's note.
        letter if letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_alphabetic()) => Some(0),
        _ => None,
    }
}

/// `date` at `time`, `offset` seconds east of UTC.
fn at(date: NaiveDate, time: NaiveTime, offset: i32) -> Option<DateTime<FixedOffset>> {
    date.and_time(time)
        .and_local_timezone(FixedOffset::east_opt(offset)?)
        .single()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> Option<String> {
        parse_date(text).map(|d| d.to_rfc3339())
    }

    #[test]
    fn standard_forms_keep_their_offset() {
        for (text, want) in [
            ("2026-12-07T14:05:00+02:00", "2026-12-07T14:05:00+02:00"),
            ("2026-12-07T14:05:00Z", "2026-12-07T14:05:00+00:00"),
            ("2026-12-07T14:05:00.123-05:00", "2026-12-07T14:05:00-05:00"),
            (
                "Mon, 07 Dec 2026 14:05:00 +0200",
                "2026-12-07T14:05:00+02:00",
            ),
            ("Mon, 7 Dec 2026 14:05:00 GMT", "2026-12-07T14:05:00+00:00"),
            ("Mon, 7 Dec 2026 14:05:00 EST", "2026-12-07T14:05:00-05:00"),
            ("Mon, 7 Dec 2026 14:05:00 PDT", "2026-12-07T14:05:00-07:00"),
            ("Mon, 7 Dec 2026 14:05:00 IST", "2026-12-07T14:05:00+05:30"),
            ("Mon, 7 Dec 2026 14:05:00 NST", "2026-12-07T14:05:00-03:30"),
        ] {
            assert_eq!(written(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn broken_forms_feeds_write_are_read() {
        for (text, want) in [
            (
                "Mon, 7 Dec 2026 14:05:00 +0000 (UTC)",
                "2026-12-07T14:05:00+00:00",
            ),
            ("Mon, 7 Dec 26 14:05:00 +0100", "2026-12-07T14:05:00+01:00"),
            ("7 Dec 99 14:05 GMT", "1999-12-07T14:05:00+00:00"),
            ("Mon, 7 Dec 2026 14:05 +0000", "2026-12-07T14:05:00+00:00"),
            ("Mon, 7 Dec 2026 14:05:00 Z", "2026-12-07T14:05:00+00:00"),
            ("2026-12-07 14:05:00", "2026-12-07T14:05:00+00:00"),
            ("2026-12-07 14:05:00 +02:00", "2026-12-07T14:05:00+02:00"),
            ("2026-12-07t14:05z", "2026-12-07T14:05:00+00:00"),
            ("2026-12-07T14:05:00+0530", "2026-12-07T14:05:00+05:30"),
            ("2026-12-07T14:05:00+02", "2026-12-07T14:05:00+02:00"),
            ("2026-12-07", "2026-12-07T00:00:00+00:00"),
            (
                "Monday, 7 December 2026 9:05:00 -0500",
                "2026-12-07T09:05:00-05:00",
            ),
            ("Tues, 7 Dec 2026 14:05:00 UTC", "2026-12-07T14:05:00+00:00"),
            ("Dec 7, 2026 14:05:00 CST", "2026-12-07T14:05:00-06:00"),
            ("7 Sept 2026 14:05:00 CEST", "2026-09-07T14:05:00+02:00"),
            (
                "Mon, 7 Dec 2026 14:05:60 +0000",
                "2026-12-07T14:05:59+00:00",
            ),
            ("Mon, 7 Dec 2026 14:05:00", "2026-12-07T14:05:00+00:00"),
            ("Mon, 7 Dec 2026 14:05:00 A", "2026-12-07T14:05:00+00:00"),
        ] {
            assert_eq!(written(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn what_is_no_date_is_none() {
        for text in [
            "",
            "yesterday",
            "2026-13-07T14:05:00Z",
            "2026-12-07T25:00:00Z",
            "Mon, 31 Feb 2026 14:05:00 GMT",
            "Mon, 7 Foo 2026 14:05:00 GMT",
            "Mon, 7 Dec 2026 14:05:00 +2500",
            "Mon, 7 Dec 2026 14:05:00 XYZT",
            "2026-12-07T14:05:00+02:00 and more",
            "12345678901234567890",
        ] {
            assert_eq!(written(text), None, "{text}");
        }
    }
}
