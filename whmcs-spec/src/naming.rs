//! Naming rules: how wire names become Rust identifiers.

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// `statusStyle` → `status_style`, `End of Billing Period` → `end_of_billing_period`.
pub fn snake(s: &str) -> String {
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
