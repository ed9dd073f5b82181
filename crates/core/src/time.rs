//! Calendar dates and instants without a clock: the caller always says what time it is.

use std::fmt;

/// Seconds since 1970-01-01T00:00:00Z, ignoring leap seconds (as RFC 3339 and Unix do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// A UTC calendar day, counted in days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

/// Dates outside 0001..=9999 are refused so that every value formats as four-digit years.
const MIN_DAY: i64 = -719_162; // 0001-01-01
const MAX_DAY: i64 = 2_932_896; // 9999-12-31

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeError;

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a valid date or time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
    }
}

impl std::error::Error for TimeError {}

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(s: &[u8]) -> Result<u32, TimeError> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return Err(TimeError);
    }
    Ok(s.iter().fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0')))
}

impl Date {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Result<Date, TimeError> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1..=9999).contains(&y) {
            return Err(TimeError);
        }
        Ok(Date(days_from_civil(y, m, d)))
    }

    pub fn from_days(days: i64) -> Result<Date, TimeError> {
        if (MIN_DAY..=MAX_DAY).contains(&days) {
            Ok(Date(days))
        } else {
            Err(TimeError)
        }
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, TimeError> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(TimeError);
        }
        Date::from_ymd(i64::from(digits(&b[0..4])?), digits(&b[5..7])?, digits(&b[8..10])?)
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }

    /// The first instant of this day.
    pub fn start(self) -> Timestamp {
        Timestamp(self.0 * 86_400)
    }

    /// The first instant after this day: validity "until" a date includes the whole day.
    pub fn end(self) -> Timestamp {
        Timestamp((self.0 + 1) * 86_400)
    }

    pub fn add_days(self, n: i64) -> Date {
        Date((self.0 + n).clamp(MIN_DAY, MAX_DAY))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Timestamp {
    /// Parses RFC 3339 in the one form this format uses: `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn parse(s: &str) -> Result<Timestamp, TimeError> {
        let b = s.as_bytes();
        if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
            return Err(TimeError);
        }
        let date = Date::parse(s.get(0..10).ok_or(TimeError)?)?;
        let (h, mi, se) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
        if h > 23 || mi > 59 || se > 59 {
            return Err(TimeError);
        }
        Ok(Timestamp(date.0 * 86_400 + i64::from(h * 3600 + mi * 60 + se)))
    }

    pub fn date(self) -> Date {
        Date(self.0.div_euclid(86_400).clamp(MIN_DAY, MAX_DAY))
    }

    pub fn add_secs(self, s: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(s))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.rem_euclid(86_400);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

macro_rules! serde_as_string {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$t>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}
serde_as_string!(Date);
serde_as_string!(Timestamp);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates() {
        for s in ["1970-01-01", "2000-02-29", "2026-07-01", "9999-12-31", "0001-01-01"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(d.to_string(), s);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().0, 1);
    }

    #[test]
    fn refuses_bad_dates() {
        for s in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "20260101",
            "2026-00-10",
            "+026-01-01",
            "",
        ] {
            assert!(Date::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn round_trips_timestamps() {
        let t = Timestamp::parse("2026-11-26T06:28:52Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-26T06:28:52Z");
        assert_eq!(t.date().to_string(), "2026-11-26");
        assert!(Timestamp::parse("2026-11-26T24:00:00Z").is_err());
        assert!(Timestamp::parse("2026-11-26T06:28:52+00:00").is_err());
    }

    #[test]
    fn until_includes_the_whole_day() {
        let d = Date::parse("2026-01-01").unwrap();
        assert_eq!(d.end(), Timestamp::parse("2026-01-02T00:00:00Z").unwrap());
    }
}
