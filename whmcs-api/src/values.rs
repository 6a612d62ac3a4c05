//! Exact value types WHMCS sends as text: decimal amounts and dates.

use std::fmt;
use std::str::FromStr;

/// Money and other exact amounts: [`rust_decimal::Decimal`], re-exported. Amounts keep the number
/// of decimals WHMCS sent (`"0.00"` prints back as `0.00`), compare by value (`10.00 == 10`),
/// order, and add up exactly.
pub use rust_decimal::Decimal;

/// Why a text is not a [`Date`] or [`DateTime`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseValueError {
    kind: &'static str,
    input: String,
}

impl fmt::Display for ParseValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a valid {}", self.input, self.kind)
    }
}

impl std::error::Error for ParseValueError {}

fn invalid(kind: &'static str, input: &str) -> ParseValueError {
    let mut input = input.to_string();
    if input.len() > 64 {
        let mut cut = 64;
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        input.truncate(cut);
        input.push('…');
    }
    ParseValueError { kind, input }
}

/// Parses decimal text as WHMCS writes amounts (`15.95`, `-0.50`, `10`, `.5`) without
/// allocating; `None` for anything else (exponents, separators, currency signs, more digits than
/// a [`Decimal`] holds).
pub(crate) fn parse_decimal(s: &str) -> Option<Decimal> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let mut seen_digit = false;
    let mut seen_point = false;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => seen_digit = true,
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    // rust_decimal rounds digits past its 28 decimals; exact text must not change silently.
    Decimal::from_str_exact(t).ok()
}

/// A calendar date as WHMCS writes it (`YYYY-MM-DD`). WHMCS's zero date `0000-00-00` means
/// "no date" and decodes to `None`. Compares and orders by value; converts to and from chrono,
/// time and jiff dates with the features of those names.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts; `None` when a part is out of range (years go to 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if year > 9999 {
            return None;
        }
        let max_day = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year.is_multiple_of(4)
                && (!year.is_multiple_of(100) || year.is_multiple_of(400)) =>
            {
                29
            }
            2 => 28,
            _ => return None,
        };
        (1..=max_day)
            .contains(&day)
            .then_some(Self { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }
}

/// Two or four ASCII digits as a number.
fn digits(b: &[u8]) -> Option<u16> {
    b.iter().try_fold(0u16, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + u16::from(d - b'0'))
    })
}

impl Date {
    /// Parses `YYYY-MM-DD` without allocating.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let b = s.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let month = u8::try_from(digits(&b[5..7])?).ok()?;
        let day = u8::try_from(digits(&b[8..10])?).ok()?;
        Date::new(digits(&b[..4])?, month, day)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Date {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| invalid("date (YYYY-MM-DD)", s))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date and time as WHMCS writes it (`YYYY-MM-DD HH:MM:SS`, server local time). The zero
/// value `0000-00-00 00:00:00` means "never" and decodes to `None`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
}

impl DateTime {
    /// A date and time from its parts; `None` when a part is out of range.
    pub fn new(date: Date, hour: u8, minute: u8, second: u8) -> Option<Self> {
        (hour < 24 && minute < 60 && second < 60).then_some(Self {
            date,
            hour,
            minute,
            second,
        })
    }

    /// The date part.
    pub fn date(&self) -> Date {
        self.date
    }

    /// `(hour, minute, second)`.
    pub fn time(&self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }
}

impl DateTime {
    /// Parses `YYYY-MM-DD HH:MM:SS` (or with a `T`) without allocating.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() != 19 || !matches!(b[10], b' ' | b'T') || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let date = Date::parse(&t[..10])?;
        let part = |r: std::ops::Range<usize>| digits(&b[r]).and_then(|n| u8::try_from(n).ok());
        DateTime::new(date, part(11..13)?, part(14..16)?, part(17..19)?)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for DateTime {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| invalid("date and time (YYYY-MM-DD HH:MM:SS)", s))
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )
    }
}

/// A date outside what WHMCS writes (years 0 to 9999).
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
fn out_of_range(
    year: impl fmt::Display,
    month: impl fmt::Display,
    day: impl fmt::Display,
) -> ParseValueError {
    invalid("date (years 0 to 9999)", &format!("{year}-{month}-{day}"))
}

/// Conversions with chrono: `From` ours into theirs; `TryFrom` theirs into ours, which fails for
/// years outside 0–9999 and drops fractions of a second (WHMCS keeps whole seconds).
#[cfg(feature = "chrono")]
mod chrono_conv {
    use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

    use super::{Date, DateTime, ParseValueError, out_of_range};

    impl From<Date> for NaiveDate {
        fn from(d: Date) -> Self {
            // Every `Date` is a valid calendar date in chrono's range.
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .unwrap_or_default()
        }
    }

    impl TryFrom<NaiveDate> for Date {
        type Error = ParseValueError;
        fn try_from(d: NaiveDate) -> Result<Self, Self::Error> {
            u16::try_from(d.year())
                .ok()
                .filter(|y| *y <= 9999)
                .and_then(|y| Date::new(y, d.month() as u8, d.day() as u8))
                .ok_or_else(|| out_of_range(d.year(), d.month(), d.day()))
        }
    }

    impl From<DateTime> for NaiveDateTime {
        fn from(t: DateTime) -> Self {
            let time = NaiveTime::from_hms_opt(
                u32::from(t.hour),
                u32::from(t.minute),
                u32::from(t.second),
            )
            .unwrap_or_default();
            NaiveDateTime::new(t.date.into(), time)
        }
    }

    impl TryFrom<NaiveDateTime> for DateTime {
        type Error = ParseValueError;
        fn try_from(t: NaiveDateTime) -> Result<Self, Self::Error> {
            let date = Date::try_from(t.date())?;
            // A leap second (chrono's second 59 with a nanosecond past 1e9) stays at :59.
            DateTime::new(date, t.hour() as u8, t.minute() as u8, t.second() as u8)
                .ok_or_else(|| out_of_range(t.year(), t.month(), t.day()))
        }
    }
}

/// Conversions with time: `From` ours into theirs; `TryFrom` theirs into ours, which fails for
/// years outside 0–9999 and drops fractions of a second.
#[cfg(feature = "time")]
mod time_conv {
    use super::{Date, DateTime, ParseValueError, out_of_range};

    impl From<Date> for time::Date {
        fn from(d: Date) -> Self {
            let month = time::Month::try_from(d.month).unwrap_or(time::Month::January);
            // Every `Date` is a valid calendar date in time's range.
            time::Date::from_calendar_date(i32::from(d.year), month, d.day)
                .unwrap_or(time::Date::MIN)
        }
    }

    impl TryFrom<time::Date> for Date {
        type Error = ParseValueError;
        fn try_from(d: time::Date) -> Result<Self, Self::Error> {
            u16::try_from(d.year())
                .ok()
                .filter(|y| *y <= 9999)
                .and_then(|y| Date::new(y, u8::from(d.month()), d.day()))
                .ok_or_else(|| out_of_range(d.year(), u8::from(d.month()), d.day()))
        }
    }

    impl From<DateTime> for time::PrimitiveDateTime {
        fn from(t: DateTime) -> Self {
            let clock =
                time::Time::from_hms(t.hour, t.minute, t.second).unwrap_or(time::Time::MIDNIGHT);
            time::PrimitiveDateTime::new(t.date.into(), clock)
        }
    }

    impl TryFrom<time::PrimitiveDateTime> for DateTime {
        type Error = ParseValueError;
        fn try_from(t: time::PrimitiveDateTime) -> Result<Self, Self::Error> {
            let date = Date::try_from(t.date())?;
            DateTime::new(date, t.hour(), t.minute(), t.second())
                .ok_or_else(|| out_of_range(t.year(), u8::from(t.month()), t.day()))
        }
    }
}

/// Conversions with jiff: `From` ours into theirs; `TryFrom` theirs into ours, which fails for
/// negative years and drops fractions of a second.
#[cfg(feature = "jiff")]
mod jiff_conv {
    use jiff::civil;

    use super::{Date, DateTime, ParseValueError, out_of_range};

    impl From<Date> for civil::Date {
        fn from(d: Date) -> Self {
            // Every `Date` is a valid calendar date in jiff's range (years -9999 to 9999).
            civil::Date::new(d.year as i16, d.month as i8, d.day as i8).unwrap_or_default()
        }
    }

    impl TryFrom<civil::Date> for Date {
        type Error = ParseValueError;
        fn try_from(d: civil::Date) -> Result<Self, Self::Error> {
            u16::try_from(d.year())
                .ok()
                .and_then(|y| Date::new(y, d.month() as u8, d.day() as u8))
                .ok_or_else(|| out_of_range(d.year(), d.month(), d.day()))
        }
    }

    impl From<DateTime> for civil::DateTime {
        fn from(t: DateTime) -> Self {
            let clock = civil::Time::new(t.hour as i8, t.minute as i8, t.second as i8, 0)
                .unwrap_or_default();
            civil::DateTime::from_parts(t.date.into(), clock)
        }
    }

    impl TryFrom<civil::DateTime> for DateTime {
        type Error = ParseValueError;
        fn try_from(t: civil::DateTime) -> Result<Self, Self::Error> {
            let date = Date::try_from(t.date())?;
            DateTime::new(date, t.hour() as u8, t.minute() as u8, t.second() as u8)
                .ok_or_else(|| out_of_range(t.year(), t.month(), t.day()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_text_and_compare_by_value() {
        for s in [
            "15.95",
            "0.00",
            "-0.50",
            "10",
            "2645.80",
            "0.000",
            "1234567890123456.78",
        ] {
            assert_eq!(parse_decimal(s).map(|d| d.to_string()).as_deref(), Some(s));
        }
        assert_eq!(
            parse_decimal("+1.5").map(|d| d.to_string()).as_deref(),
            Some("1.5")
        );
        assert_eq!(
            parse_decimal(".5").map(|d| d.to_string()).as_deref(),
            Some("0.5")
        );
        for bad in [
            "",
            "-",
            ".",
            "1.2.3",
            "$1.00",
            "1e5",
            "abc",
            " 1 2",
            "1_000",
            "0.12345678901234567890123456789",
        ] {
            assert!(parse_decimal(bad).is_none(), "{bad}");
        }
        let ten = parse_decimal("10.00");
        assert_eq!(ten, Some(Decimal::from(10)));
        assert!(parse_decimal("0.01") > Some(Decimal::ZERO));
        assert_eq!(format!("{:?}", parse_decimal("15.95")), "Some(15.95)");
    }

    #[test]
    fn dates_round_trip_and_reject_nonsense() {
        assert_eq!(
            "2016-01-08"
                .parse::<Date>()
                .map(|d| d.to_string())
                .as_deref(),
            Ok("2016-01-08")
        );
        assert_eq!(
            "2016-01-08 14:06:34"
                .parse::<DateTime>()
                .map(|d| d.to_string())
                .as_deref(),
            Ok("2016-01-08 14:06:34")
        );
        for bad in [
            "0000-00-00",
            "2016-02-30",
            "2016-13-01",
            "16-01-01",
            "2016-1-1",
            "2016-01-01x",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        for bad in [
            "0000-00-00 00:00:00",
            "2016-01-08 24:00:00",
            "2016-01-08",
            "2016-01-08 1:2:3",
        ] {
            assert!(bad.parse::<DateTime>().is_err(), "{bad}");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2023-02-29".parse::<Date>().is_err());
    }
}
