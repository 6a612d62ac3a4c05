//! Date arithmetic and the text forms WHMCS reads dates in: Unix seconds, ISO 8601 or
//! `Y-m-d H:i:s` (`created` parameters), and the admin area's date format (`01/02/2026`). The
//! mock's clock is the server's local time, taken as UTC. Nothing here panics: out-of-range
//! input gives `None`.

use whmcs_api::{Date, DateTime};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// When the mock's WHMCS was installed: the clock's start, 2026-01-01 12:00:00.
pub(crate) fn installed() -> DateTime {
    Date::new(2026, 1, 1)
        .and_then(|d| DateTime::new(d, 12, 0, 0))
        .unwrap_or_else(|| unreachable!("a valid date"))
}

/// Days from 1970-01-01 to `date` (negative before it).
pub(crate) fn days_from_epoch(date: Date) -> i64 {
    let (y, m, d) = (
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01; `None` outside the years WHMCS writes (0 to 9999).
pub(crate) fn date_from_epoch(days: i64) -> Option<Date> {
    // Years 0..=9999 span fewer than 3.7 million days either side of 1970.
    if !(-800_000..=3_000_000).contains(&days) {
        return None;
    }
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Date::new(
        u16::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(d).ok()?,
    )
}

/// `date` moved by `days` (either way).
pub(crate) fn add_days(date: Date, days: i64) -> Option<Date> {
    date_from_epoch(days_from_epoch(date).checked_add(days)?)
}

/// Unix seconds of `at`.
pub(crate) fn unix(at: DateTime) -> i64 {
    let (h, m, s) = at.time();
    days_from_epoch(at.date()) * DAY + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s)
}

/// The moment `secs` Unix seconds name.
pub(crate) fn from_unix(secs: i64) -> Option<DateTime> {
    let date = date_from_epoch(secs.div_euclid(DAY))?;
    let rest = secs.rem_euclid(DAY);
    DateTime::new(
        date,
        u8::try_from(rest / 3600).ok()?,
        u8::try_from(rest % 3600 / 60).ok()?,
        u8::try_from(rest % 60).ok()?,
    )
}

/// `at` moved by `secs` seconds.
pub(crate) fn add_seconds(at: DateTime, secs: i64) -> Option<DateTime> {
    from_unix(unix(at).checked_add(secs)?)
}

/// The first moment of `date`.
pub(crate) fn midnight(date: Date) -> DateTime {
    DateTime::new(date, 0, 0, 0).unwrap_or_else(|| unreachable!("00:00:00 is a valid time"))
}

/// The last second of `date`.
pub(crate) fn end_of_day(date: Date) -> DateTime {
    DateTime::new(date, 23, 59, 59).unwrap_or_else(|| unreachable!("23:59:59 is a valid time"))
}

/// A number made of ASCII digits only.
fn number(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A `created` parameter: `YYYY-MM-DD HH:MM:SS`, or ISO 8601 (`2026-01-01T10:00:00`, with
/// optional fractions and a `Z` or `±HH:MM` offset, converted to the server's time), or a bare
/// date (its midnight).
pub(crate) fn parse_moment(text: &str) -> Option<DateTime> {
    let t = text.trim();
    if t.len() == 10 {
        return t.parse::<Date>().ok().map(midnight);
    }
    if t.len() < 19 || !t.is_char_boundary(19) {
        return None;
    }
    let (head, tail) = t.split_at(19);
    let at: DateTime = head.parse().ok()?;
    let mut rest = tail;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let (sign, hm) = match rest.split_at_checked(1)? {
                ("+", hm) => (1, hm),
                ("-", hm) => (-1, hm),
                _ => return None,
            };
            let (h, m) = match hm.split_once(':') {
                Some((h, m)) => (h, m),
                None if hm.len() == 4 => hm.split_at_checked(2)?,
                None if hm.len() == 2 => (hm, "00"),
                None => return None,
            };
            let (h, m) = (number(h)?, number(m)?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    add_seconds(at, -offset)
}

/// A date in the admin area's format (`DateFormat`, such as `DD/MM/YYYY` or `MM/DD/YYYY`), or in
/// `YYYY-MM-DD`.
pub(crate) fn parse_admin_date(text: &str, format: &str) -> Option<Date> {
    let t = text.trim();
    if let Ok(d) = t.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (a, b, c) = (number(a)?, number(b)?, number(c)?);
    let (y, m, d) = match format.to_ascii_uppercase().get(..2) {
        Some("MM") => (c, a, b),
        Some("YY") => (a, b, c),
        _ => (c, b, a),
    };
    Date::new(
        u16::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(d).ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime {
        s.parse().expect("datetime")
    }

    #[test]
    fn epoch_days_round_trip() {
        for days in [-719_468, -1, 0, 1, 20_454, 2_932_896] {
            let d = date_from_epoch(days).expect("in range");
            assert_eq!(days_from_epoch(d), days, "{d}");
        }
        assert_eq!(
            date_from_epoch(0).map(|d| d.to_string()),
            Some("1970-01-01".into())
        );
        assert_eq!(date_from_epoch(i64::MAX), None);
        assert_eq!(unix(at("2026-01-01 12:00:00")), 1_767_268_800);
        assert_eq!(from_unix(1_767_268_800), Some(at("2026-01-01 12:00:00")));
        assert_eq!(from_unix(i64::MIN), None);
        assert_eq!(add_seconds(at("2026-01-01 12:00:00"), i64::MAX), None);
    }

    #[test]
    fn moments_in_the_forms_whmcs_reads() {
        let want = Some(at("2026-01-01 10:00:00"));
        assert_eq!(parse_moment("2026-01-01 10:00:00"), want);
        assert_eq!(parse_moment("2026-01-01T10:00:00Z"), want);
        assert_eq!(parse_moment("2026-01-01T12:00:00+02:00"), want);
        assert_eq!(parse_moment("2026-01-01T09:30:00.123-0030"), want);
        assert_eq!(parse_moment("2026-01-01"), Some(at("2026-01-01 00:00:00")));
        for bad in [
            "yesterday",
            "2026-13-01 00:00:00",
            "2026-01-01T10:00:00+",
            "2026-01-01é",
        ] {
            assert_eq!(parse_moment(bad), None, "{bad}");
        }
    }

    #[test]
    fn admin_dates_follow_the_format() {
        let d = |s: &str| s.parse::<Date>().ok();
        assert_eq!(
            parse_admin_date("02/03/2026", "DD/MM/YYYY"),
            d("2026-03-02")
        );
        assert_eq!(
            parse_admin_date("02/03/2026", "MM/DD/YYYY"),
            d("2026-02-03")
        );
        assert_eq!(
            parse_admin_date("2026.03.02", "YYYY.MM.DD"),
            d("2026-03-02")
        );
        assert_eq!(
            parse_admin_date("2026-03-02", "DD/MM/YYYY"),
            d("2026-03-02")
        );
        assert_eq!(parse_admin_date("31/02/2026", "DD/MM/YYYY"), None);
    }
}
