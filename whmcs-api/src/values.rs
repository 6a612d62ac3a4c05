//! Exact value types WHMCS sends as text: decimal amounts and dates.

use std::fmt;
use std::str::FromStr;

/// An exact decimal number, as WHMCS writes money (`"15.95"`, `"0.00"`): no binary floating point,
/// and the number of decimals is kept, so `"0.00"` prints back as `0.00`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i128,
    scale: u8,
}

/// Why a text is not a [`Decimal`], [`Date`] or [`DateTime`].
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

impl Decimal {
    /// `mantissa × 10^-scale`: `Decimal::new(1595, 2)` is `15.95`.
    pub const fn new(mantissa: i128, scale: u8) -> Self {
        Self { mantissa, scale }
    }

    /// The digits without the decimal point: `1595` for `15.95`.
    pub const fn mantissa(&self) -> i128 {
        self.mantissa
    }

    /// How many digits follow the decimal point.
    pub const fn scale(&self) -> u8 {
        self.scale
    }

    /// The exact sum, keeping the larger number of decimals; `None` on overflow.
    ///
    /// ```
    /// use whmcs_api::Decimal;
    /// let a: Decimal = "15.95".parse().unwrap();
    /// let b: Decimal = "0.050".parse().unwrap();
    /// assert_eq!(a.checked_add(b).map(|d| d.to_string()).as_deref(), Some("16.000"));
    /// ```
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let widen = |d: Decimal| {
            d.mantissa
                .checked_mul(10i128.checked_pow(u32::from(scale - d.scale))?)
        };
        Some(Decimal {
            mantissa: widen(self)?.checked_add(widen(other)?)?,
            scale,
        })
    }

    /// The nearest `f64`, for display or statistics; never use it to add money up.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The exact decimal form of a finite `f64`, in its shortest round-trip notation
    /// (`10.0` → `10`, `0.1` → `0.1`); `None` for NaN and infinities.
    pub fn from_f64(value: f64) -> Option<Self> {
        if !value.is_finite() {
            return None;
        }
        let mut buf = ryu::Buffer::new();
        let text = buf.format_finite(value);
        let text = text.strip_suffix(".0").unwrap_or(text);
        text.parse()
            .ok()
            .or_else(|| format!("{value:.6}").parse().ok())
    }
}

impl FromStr for Decimal {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (neg, digits) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 28
        {
            return Err(invalid("decimal number", s));
        }
        let mut mantissa: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .ok_or_else(|| invalid("decimal number", s))?;
        }
        Ok(Self {
            mantissa: if neg { -mantissa } else { mantissa },
            scale: frac.len() as u8,
        })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = usize::from(self.scale);
        let sign = if self.mantissa < 0 { "-" } else { "" };
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

impl From<i64> for Decimal {
    fn from(v: i64) -> Self {
        Self::new(i128::from(v), 0)
    }
}

impl From<i32> for Decimal {
    fn from(v: i32) -> Self {
        Self::new(i128::from(v), 0)
    }
}

impl From<u32> for Decimal {
    fn from(v: u32) -> Self {
        Self::new(i128::from(v), 0)
    }
}

/// A calendar date as WHMCS writes it (`YYYY-MM-DD`). WHMCS's zero date `0000-00-00` means
/// "no date" and decodes to `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts; `None` when the month or day is out of range.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
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

fn num<T: FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl FromStr for Date {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let parts = (
            t.get(0..4),
            t.get(4..5),
            t.get(5..7),
            t.get(7..8),
            t.get(8..10),
        );
        if let (Some(y), Some("-"), Some(m), Some("-"), Some(d)) = parts
            && t.len() == 10
            && let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2))
            && let Some(date) = Date::new(y, m, d)
        {
            return Ok(date);
        }
        Err(invalid("date (YYYY-MM-DD)", s))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date and time as WHMCS writes it (`YYYY-MM-DD HH:MM:SS`, server local time). The zero
/// value `0000-00-00 00:00:00` means "never" and decodes to `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

impl FromStr for DateTime {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || invalid("date and time (YYYY-MM-DD HH:MM:SS)", s);
        if t.len() != 19 || !matches!(t.as_bytes()[10], b' ' | b'T') {
            return Err(bad());
        }
        let date: Date = t[..10].parse().map_err(|_| bad())?;
        let (h, m, sec) = (t.get(11..13), t.get(14..16), t.get(17..19));
        if t.get(13..14) != Some(":") || t.get(16..17) != Some(":") {
            return Err(bad());
        }
        let part = |p: Option<&str>| p.and_then(|p| num::<u8>(p, 2));
        match (part(h), part(m), part(sec)) {
            (Some(h), Some(m), Some(sec)) => DateTime::new(date, h, m, sec).ok_or_else(bad),
            _ => Err(bad()),
        }
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

macro_rules! text_serde {
    ($($t:ty),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::decode::deserialize_strict(d)
            }
        }
    )*};
}
text_serde!(Decimal, Date, DateTime);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_text() {
        for s in [
            "15.95",
            "0.00",
            "-0.50",
            "10",
            "2645.80",
            "0.000",
            "123456789012345678.12",
        ] {
            assert_eq!(
                s.parse::<Decimal>().map(|d| d.to_string()).as_deref(),
                Ok(s)
            );
        }
        assert_eq!(
            "+1.5".parse::<Decimal>().map(|d| d.to_string()).as_deref(),
            Ok("1.5")
        );
        assert_eq!(
            ".5".parse::<Decimal>().map(|d| d.to_string()).as_deref(),
            Ok("0.5")
        );
        for bad in ["", "-", ".", "1.2.3", "$1.00", "1e5", "abc", " 1 2"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad}");
        }
        assert_eq!(
            Decimal::from_f64(10.0).map(|d| d.to_string()).as_deref(),
            Some("10")
        );
        assert_eq!(
            Decimal::from_f64(0.1).map(|d| d.to_string()).as_deref(),
            Some("0.1")
        );
        assert_eq!(Decimal::from_f64(f64::NAN), None);
        assert_eq!(Decimal::new(1595, 2).to_f64(), 15.95);
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
