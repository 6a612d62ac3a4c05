//! Exact value types WHMCS sends as text: decimal amounts and dates.

use std::fmt;
use std::str::FromStr;

/// An exact decimal number, as WHMCS writes money (`"15.95"`, `"0.00"`): no binary floating point,
/// and the number of decimals is kept, so `"0.00"` prints back as `0.00`. Up to 18 significant
/// digits and 18 decimals (a 64-bit mantissa); longer text is not a `Decimal`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i64,
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
    pub const fn new(mantissa: i64, scale: u8) -> Self {
        Self { mantissa, scale }
    }

    /// The digits without the decimal point: `1595` for `15.95`.
    pub const fn mantissa(&self) -> i64 {
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
                .checked_mul(10i64.checked_pow(u32::from(scale - d.scale))?)
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

impl Decimal {
    /// Parses decimal text without allocating; `None` when it is not a plain decimal number.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let t = s.trim().as_bytes();
        let (neg, digits) = match t.first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let mut mantissa: i64 = 0;
        let mut scale: Option<u8> = None;
        let mut seen_digit = false;
        for &b in digits {
            match b {
                b'0'..=b'9' => {
                    seen_digit = true;
                    mantissa = mantissa.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
                    if let Some(sc) = scale.as_mut() {
                        *sc = sc.checked_add(1).filter(|n| *n <= 18)?;
                    }
                }
                b'.' if scale.is_none() => scale = Some(0),
                _ => return None,
            }
        }
        seen_digit.then_some(Self {
            mantissa: if neg { -mantissa } else { mantissa },
            scale: scale.unwrap_or(0),
        })
    }
}

impl FromStr for Decimal {
    type Err = ParseValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| invalid("decimal number", s))
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
        Self::new(v, 0)
    }
}

impl From<i32> for Decimal {
    fn from(v: i32) -> Self {
        Self::new(i64::from(v), 0)
    }
}

impl From<u32> for Decimal {
    fn from(v: u32) -> Self {
        Self::new(i64::from(v), 0)
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
            "1234567890123456.78",
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
