//! PHP 8's float printing (`serialize_precision = -1`), used by `serialize()`, `var_export()`
//! and string conversion.

/// A float as PHP 8 prints it (`serialize_precision = -1`): the shortest text that reads
/// back the same, `10` rather than `10.0`, and `1.0E+20` past fifteen integer digits.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NAN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "INF".into() } else { "-INF".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let mut buf = ryu::Buffer::new();
    let shortest = buf.format_finite(f);
    // Split ryu's output into sign, significant digits and decimal exponent.
    let (sign, body) = shortest
        .strip_prefix('-')
        .map_or(("", shortest), |b| ("-", b));
    let (mantissa, exp) = match body.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let frac = frac.trim_end_matches('0');
    let mut digits: String = format!("{int}{frac}");
    let mut decpt = int.len() as i32 + exp;
    let lead = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..lead);
    decpt -= lead as i32;
    let digits = digits.trim_end_matches('0');
    if digits.is_empty() {
        return "0".into();
    }
    if !(-3..=15).contains(&decpt) {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        let e = decpt - 1;
        let esign = if e < 0 { '-' } else { '+' };
        return format!("{sign}{first}.{rest}E{esign}{}", e.abs());
    }
    if decpt <= 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize));
    }
    let decpt = decpt as usize;
    if digits.len() <= decpt {
        format!("{sign}{digits}{}", "0".repeat(decpt - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..decpt], &digits[decpt..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_php() {
        for (f, s) in [
            (10.0, "10"),
            (0.1, "0.1"),
            (15.95, "15.95"),
            (-0.0, "-0"),
            (1e20, "1.0E+20"),
            (1e15, "1.0E+15"),
            (1e-7, "1.0E-7"),
            (1.5, "1.5"),
            (123.0, "123"),
            (0.0001, "0.0001"),
        ] {
            assert_eq!(format_float(f), s, "{f}");
        }
    }
}
