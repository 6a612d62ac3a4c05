//! Naming rules: how wire names become Rust identifiers.

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// `statusStyle` → `status_style`, `End of Billing Period` → `end_of_billing_period`,
/// `prénom` → `prenom`.
pub fn snake(s: &str) -> String {
    let s = &ascii_fold(s);
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                out.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// `cancel_type` → `CancelType`, `End of Billing Period` → `EndOfBillingPeriod`, `DESC` →
/// `Desc` (a word all in capitals reads as a word, as Rust names do).
pub fn camel(s: &str) -> String {
    let s = &ascii_fold(s);
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let shouting = word.len() > 1 && !word.bytes().any(|b| b.is_ascii_lowercase());
        for (i, c) in word.chars().enumerate() {
            if i == 0 {
                out.push(c.to_ascii_uppercase());
            } else if shouting {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// Whether `s` can be a Rust field or method name as written.
pub fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && s != "_"
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// Whether `s` can be a Rust type or variant name as written.
pub fn is_type_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && !KEYWORDS.contains(&s)
}

/// Whether `s` is a Rust keyword (so it cannot be a field name).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// `s` with accented Latin letters spelled in ASCII (`é` → `e`, `ß` → `ss`); characters that
/// have no ASCII spelling are kept as they are.
pub fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match fold_char(c) {
            Some(f) => out.push_str(f),
            None => out.push(c),
        }
    }
    out
}

/// The ASCII spelling of a Latin letter with a diacritic.
fn fold_char(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("çćĉċč", "c"),
        ("ÇĆĈĊČ", "C"),
        ("ďđ", "d"),
        ("ĎĐ", "D"),
        ("èéêëēĕėęě", "e"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("ĝğġģ", "g"),
        ("ĜĞĠĢ", "G"),
        ("ìíîïĩīĭįı", "i"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ĺļľŀł", "l"),
        ("ĹĻĽĿŁ", "L"),
        ("ñńņňŉ", "n"),
        ("ÑŃŅŇ", "N"),
        ("òóôõöøōŏő", "o"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("ŕŗř", "r"),
        ("ŔŖŘ", "R"),
        ("śŝşšș", "s"),
        ("ŚŜŞŠȘ", "S"),
        ("ţťŧț", "t"),
        ("ŢŤŦȚ", "T"),
        ("ùúûüũūŭůűų", "u"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ýÿŷ", "y"),
        ("ÝŸŶ", "Y"),
        ("źżž", "z"),
        ("ŹŻŽ", "Z"),
        ("æ", "ae"),
        ("Æ", "AE"),
        ("œ", "oe"),
        ("Œ", "OE"),
        ("ß", "ss"),
        ("þ", "th"),
        ("Þ", "TH"),
        ("ð", "d"),
        ("Ð", "D"),
    ];
    if c.is_ascii() {
        return None;
    }
    TABLE
        .iter()
        .find(|(from, _)| from.contains(c))
        .map(|(_, to)| *to)
}

/// The name of a character that shows as nothing or as a plain space but is not one (a pasted
/// no-break space, a zero-width space, ...), or `None` for any other character.
pub fn invisible(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "a no-break space",
        '\u{ad}' => "a soft hyphen",
        '\u{180e}' => "a Mongolian vowel separator",
        '\u{2000}'..='\u{200a}' => "a typographic space",
        '\u{200b}' => "a zero-width space",
        '\u{200c}' => "a zero-width non-joiner",
        '\u{200d}' => "a zero-width joiner",
        '\u{200e}' | '\u{200f}' => "a text-direction mark",
        '\u{2028}' | '\u{2029}' => "a line separator",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "a text-direction control",
        '\u{202f}' => "a narrow no-break space",
        '\u{205f}' => "a medium mathematical space",
        '\u{2060}' => "a word joiner",
        '\u{3000}' => "an ideographic space",
        '\u{feff}' => "a zero-width no-break space (byte-order mark)",
        c if c.is_control() => "a control character",
        _ => return None,
    })
}

/// The first character of `s` that is invisible or not ASCII, with its byte offset.
pub fn first_odd_char(s: &str) -> Option<(usize, char)> {
    s.char_indices()
        .find(|(_, c)| !c.is_ascii() || invisible(*c).is_some())
}

/// How a message names a character: `\`é\` (U+00E9)`, or `a no-break space (U+00A0)`.
pub fn describe_char(c: char) -> String {
    match invisible(c) {
        Some(name) => format!("{name} (U+{:04X})", c as u32),
        None => format!("`{c}` (U+{:04X})", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case() {
        assert_eq!(snake("statusStyle"), "status_style");
        assert_eq!(snake("customfields1"), "customfields1");
        assert_eq!(snake("End of Billing Period"), "end_of_billing_period");
        assert_eq!(camel("end_of_billing_period"), "EndOfBillingPeriod");
        assert_eq!(camel("End of Billing Period"), "EndOfBillingPeriod");
        assert_eq!(camel("Payment Pending"), "PaymentPending");
        assert_eq!(camel("3des"), "V3des");
        assert_eq!(snake("prénom"), "prenom");
        assert_eq!(camel("Été"), "Ete");
    }

    #[test]
    fn checks_identifiers() {
        assert!(is_snake_ident("cancel_type"));
        assert!(!is_snake_ident("type"));
        assert!(!is_snake_ident("statusStyle"));
        assert!(!is_snake_ident("2fa"));
        assert!(is_type_name("Invoice"));
        assert!(!is_type_name("invoice"));
    }
}
