//! Calendar arithmetic the billing cycles need: days and months added to a date, and the days
//! between two dates. Every function saturates instead of panicking on dates at the ends of the
//! calendar.

use whmcs_api::Date;
use whmcs_api::actions::BillingCycle;

/// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
pub(crate) fn to_days(d: Date) -> i64 {
    let (y, m, day) = (
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01; `None` outside the years 0 to 9999.
pub(crate) fn from_days(days: i64) -> Option<Date> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
}

/// `date` moved by `days` (back when negative); the date itself at the calendar's ends.
pub(crate) fn add_days(date: Date, days: i64) -> Date {
    from_days(to_days(date).saturating_add(days)).unwrap_or(date)
}

/// The day after `date`.
pub(crate) fn next_day(date: Date) -> Date {
    Date::new(date.year(), date.month(), date.day() + 1)
        .or_else(|| Date::new(date.year(), date.month() + 1, 1))
        .or_else(|| Date::new(date.year() + 1, 1, 1))
        .unwrap_or(date)
}

/// `date` moved on by `days` a day at a time (at most a century: no due date lies further),
/// stopping at the calendar's last day. Unlike [`add_days`], a span past the calendar's end
/// still moves the date as far as it goes.
pub(crate) fn add_days_capped(date: Date, days: u32) -> Date {
    (0..days.min(36_525)).fold(date, |d, _| next_day(d))
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    to_days(to) - to_days(from)
}

/// `date` moved by `months` (back when negative), the day kept or clamped to the month's last,
/// as WHMCS moves due dates (31 January + 1 month = 28 or 29 February).
pub(crate) fn add_months(date: Date, months: i64) -> Date {
    let Some(index) =
        (i64::from(date.year()) * 12 + i64::from(date.month()) - 1).checked_add(months)
    else {
        return date;
    };
    let (Ok(year), Ok(month)) = (
        u16::try_from(index.div_euclid(12)),
        u8::try_from(index.rem_euclid(12) + 1),
    ) else {
        return date;
    };
    (1..=date.day())
        .rev()
        .find_map(|day| Date::new(year, month, day))
        .unwrap_or(date)
}

/// `date` moved by `years`.
pub(crate) fn add_years(date: Date, years: i64) -> Date {
    add_months(date, years.saturating_mul(12))
}

/// How many months a cycle lasts (0 for those that do not recur).
pub(crate) fn months(cycle: &BillingCycle) -> u32 {
    match cycle {
        BillingCycle::Monthly => 1,
        BillingCycle::Quarterly => 3,
        BillingCycle::SemiAnnually => 6,
        BillingCycle::Annually => 12,
        BillingCycle::Biennially => 24,
        BillingCycle::Triennially => 36,
        _ => 0,
    }
}

/// Whether a cycle bills again after the first payment.
pub(crate) fn recurs(cycle: &BillingCycle) -> bool {
    months(cycle) > 0
}

/// `date` moved on by one `cycle` (unchanged for cycles that do not recur).
pub(crate) fn add_cycle(date: Date, cycle: &BillingCycle) -> Date {
    add_months(date, i64::from(months(cycle)))
}

/// A billing cycle from the way AddOrder, UpgradeProduct and seeds spell it, in any case and
/// with or without spaces and hyphens (`semiannually`, `Semi-Annually`, `Free Account`).
pub(crate) fn parse_cycle(text: &str) -> Option<BillingCycle> {
    Some(
        match text
            .to_ascii_lowercase()
            .replace(['-', ' ', '_'], "")
            .as_str()
        {
            "onetime" => BillingCycle::OneTime,
            "monthly" => BillingCycle::Monthly,
            "quarterly" => BillingCycle::Quarterly,
            "semiannually" => BillingCycle::SemiAnnually,
            "annually" => BillingCycle::Annually,
            "biennially" => BillingCycle::Biennially,
            "triennially" => BillingCycle::Triennially,
            "free" | "freeaccount" => BillingCycle::FreeAccount,
            _ => return None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn days_round_trip() {
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2026-12-31",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(from_days(to_days(d(s))), Some(d(s)), "{s}");
        }
        assert_eq!(add_days(d("2026-02-27"), 2), d("2026-03-01"));
        assert_eq!(add_days(d("2026-01-01"), -1), d("2025-12-31"));
        assert_eq!(days_between(d("2026-01-01"), d("2027-01-01")), 365);
        assert_eq!(add_days(d("9999-12-31"), 1), d("9999-12-31"));
    }

    #[test]
    fn months_clamp_to_the_last_day() {
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2028-01-31"), 1), d("2028-02-29"));
        assert_eq!(add_months(d("2026-11-15"), 3), d("2027-02-15"));
        assert_eq!(add_months(d("2026-03-31"), -1), d("2026-02-28"));
        assert_eq!(add_years(d("2028-02-29"), 1), d("2029-02-28"));
        assert_eq!(add_months(d("9999-12-01"), 1), d("9999-12-01"));
    }
}
