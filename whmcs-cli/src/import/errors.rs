//! The page's error messages as spec errors: each a template with its filled-in parts marked and a
//! short variant name, and which of them a record id answers when the record does not exist.

use std::fmt::Write as _;

/// The documented error messages as `(variant, template)`, each message once, variant names
/// made unique.
pub(super) fn error_entries(messages: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for e in messages {
        let (template, variant) = error_template(e);
        if seen.contains(&template.to_lowercase()) {
            continue;
        }
        seen.push(template.to_lowercase());
        let mut v = variant;
        let base = v.clone();
        let mut n = 2;
        while out.iter().any(|(x, _)| *x == v) {
            v = format!("{base}{n}");
            n += 1;
        }
        out.push((v, template));
    }
    out
}

/// The error a request parameter naming a record answers when the record does not exist:
/// `clientid` → the variant of "Client ID Not Found".
pub(super) fn not_found_for<'e>(
    name: &str,
    ty: &str,
    errors: &'e [(String, String)],
) -> Option<&'e str> {
    if ty != "int" && ty != "string" {
        return None;
    }
    let squash = |t: &str| -> String {
        t.to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    };
    let lower = name.to_ascii_lowercase();
    if lower == "id" {
        // A bare `id`: the action's one "… Not Found" error, if it has exactly one.
        let found: Vec<&String> = errors
            .iter()
            .filter(|(_, t)| squash(t).ends_with("notfound"))
            .map(|(v, _)| v)
            .collect();
        return (found.len() == 1).then(|| found[0].as_str());
    }
    let stem = lower
        .strip_suffix("_id")
        .or_else(|| lower.strip_suffix("id"))
        .filter(|s| !s.is_empty())?;
    let mut stems = vec![stem.to_string()];
    match stem {
        "p" | "pid" => stems.push("product".into()),
        "g" | "gid" => stems.push("group".into()),
        "dept" => stems.push("department".into()),
        "t" => stems.push("ticket".into()),
        "user" => stems.push("client".into()),
        _ => {}
    }
    for s in &stems {
        let s = s.replace('_', "");
        for (variant, template) in errors {
            let m = squash(template);
            let hit = m.starts_with(&format!("{s}idnotfound"))
                || m.starts_with(&format!("{s}notfound"))
                || m.starts_with(&format!("invalid{s}id"))
                || m.starts_with(&format!("{s}idinvalid"))
                || m.contains("cannotfind") && m.ends_with(&format!("{s}id"));
            if hit {
                return Some(variant);
            }
        }
    }
    None
}

/// The error message as a spec template, and a variant name for it.
fn error_template(msg: &str) -> (String, String) {
    let mut t = msg.trim().to_string();
    // Parenthesised explanations after a placeholder describe it; they are not part of the message.
    for p in [
        " (list of active gateways)",
        " (error from module)",
        " (response from module)",
        " (message from gateway)",
    ] {
        t = t.replace(p, "");
    }
    let mut words: Vec<String> = Vec::new();
    let mut out = String::new();
    for token in t.split(' ') {
        let bare =
            token.trim_matches(|c: char| !c.is_alphanumeric() && c != '<' && c != '>' && c != '|');
        let is_placeholder = (bare.len() >= 3 && bare.chars().all(|c| c == 'x' || c == 'X'))
            || (bare.starts_with('<') && bare.ends_with('>'))
            || (bare.contains('|') && bare.len() > 3)
            || token.trim_matches(['"', '.', ',']) == "x"
            || (token.starts_with('"')
                && token.trim_end_matches(['.', ',']).ends_with('"')
                && token
                    .trim_matches(['"', '.', ','])
                    .chars()
                    .all(|c| c == 'x'));
        if !out.is_empty() {
            out.push(' ');
        }
        if is_placeholder {
            let name = if token.contains('|') {
                "status"
            } else if token.contains("<") {
                "parameter"
            } else {
                "value"
            };
            out.push_str(
                &token
                    .replace(bare, &format!("{{{name}}}"))
                    .replace("\"x\"", &format!("\"{{{name}}}\"")),
            );
            continue;
        }
        out.push_str(token);
        if words.len() < 8 {
            let w = whmcs_spec::naming::camel(&bare.to_ascii_lowercase());
            if !w.is_empty() {
                words.push(w);
            }
        }
    }
    let lower = out.to_ascii_lowercase();
    if lower.ends_with(" include") || lower.ends_with(':') {
        out.push_str(" {details}");
    }
    // Placeholder names must be unique within a template.
    let mut n = 0;
    let mut fixed = String::new();
    let mut rest = out.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        fixed.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        n += 1;
        if fixed.contains(&format!("{{{name}}}")) {
            let _ = write!(fixed, "{{{name}{n}}}");
        } else {
            let _ = write!(fixed, "{{{name}}}");
        }
        rest = &rest[open + close + 1..];
    }
    fixed.push_str(rest);
    let _ = words;
    let mut plain = String::new();
    let mut depth = 0;
    for c in fixed.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut variant = variant_name(&plain);
    if variant.is_empty()
        || variant.starts_with(|c: char| c.is_ascii_digit())
        || variant == "Unknown"
    {
        variant = format!("Error{variant}");
    }
    (fixed, variant)
}

/// A short variant name for an error message: "Client ID Not Found" → `ClientIdNotFound`,
/// "Subject is required" and "You must provide a subject" → `SubjectRequired`, "Invalid Unit,
/// please specify …" → `InvalidUnit`; otherwise the first few words that carry meaning.
fn variant_name(msg: &str) -> String {
    const FILLER: &[&str] = &[
        "a", "an", "the", "is", "are", "was", "were", "be", "been", "to", "of", "for", "this",
        "that", "it", "please", "must", "should", "can", "could", "has", "have", "with", "your",
        "you", "any", "given", "passed", "in", "on", "at", "by", "as", "and", "or",
    ];
    let camel = |words: &[&str]| -> String {
        words
            .iter()
            .map(|w| whmcs_spec::naming::camel(&w.to_ascii_lowercase()))
            .collect()
    };
    // Only the first clause names the error; the rest explains it.
    let clause_end = msg
        .find(['.', ':', ',', ';', '(', '-'])
        .filter(|i| *i > 0)
        .unwrap_or(msg.len());
    let clause = &msg[..clause_end];
    let words: Vec<&str> = clause
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c == 'x' || c == 'X'))
        .collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    // "X is required", "X Required"
    if let Some(i) = lower.iter().position(|w| w == "required")
        && i > 0
    {
        let subject: Vec<&str> = words[..i]
            .iter()
            .zip(&lower[..i])
            .filter(|(_, l)| !FILLER.contains(&l.as_str()))
            .map(|(w, _)| *w)
            .collect();
        if !subject.is_empty() && subject.len() <= 4 {
            return format!("{}Required", camel(&subject));
        }
    }
    // "You must provide a X"
    if lower.first().is_some_and(|w| w == "you")
        && let Some(i) = lower
            .iter()
            .position(|w| matches!(w.as_str(), "provide" | "specify" | "supply" | "enter"))
    {
        let subject: Vec<&str> = words[i + 1..]
            .iter()
            .zip(&lower[i + 1..])
            .filter(|(_, l)| !FILLER.contains(&l.as_str()))
            .map(|(w, _)| *w)
            .take(3)
            .collect();
        if !subject.is_empty() {
            return format!("{}Required", camel(&subject));
        }
    }
    let meaningful: Vec<&str> = words
        .iter()
        .zip(&lower)
        .filter(|(_, l)| !FILLER.contains(&l.as_str()))
        .map(|(w, _)| *w)
        .collect();
    camel(&meaningful[..meaningful.len().min(4)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_templates_mark_the_filled_in_parts() {
        assert_eq!(
            error_template("Service ID xxx can not be renewed at this time.").0,
            "Service ID {value} can not be renewed at this time."
        );
        assert_eq!(
            error_template("Expecting parameter '<request-parameter>' to be an array").0,
            "Expecting parameter '{parameter}' to be an array"
        );
        assert_eq!(
            error_template("Invalid Payment Method. Valid options include").0,
            "Invalid Payment Method. Valid options include {details}"
        );
        assert_eq!(
            error_template("Error Creating Remote Token: xxx (error from module)").0,
            "Error Creating Remote Token: {value}"
        );
        assert_eq!(
            error_template("Service ID Not Found"),
            ("Service ID Not Found".into(), "ServiceIdNotFound".into())
        );
    }

    #[test]
    fn variant_names_are_short() {
        assert_eq!(variant_name("Subject is required"), "SubjectRequired");
        assert_eq!(
            variant_name("You must provide a description"),
            "DescriptionRequired"
        );
        assert_eq!(
            variant_name("Invalid Unit, please specify either 'hours' or 'quantity'"),
            "InvalidUnit"
        );
        assert_eq!(variant_name("Client ID Not Found"), "ClientIdNotFound");
        assert_eq!(
            variant_name("Invalid Payment Method. Valid options include "),
            "InvalidPaymentMethod"
        );
    }

    #[test]
    fn not_found_links_the_error_of_the_record() {
        let errors = vec![
            (
                "ClientIdNotFound".to_string(),
                "Client ID Not Found".to_string(),
            ),
            (
                "InvalidPayMethodId".to_string(),
                "Invalid Pay Method ID".to_string(),
            ),
        ];
        assert_eq!(
            not_found_for("clientid", "int", &errors),
            Some("ClientIdNotFound")
        );
        assert_eq!(
            not_found_for("userid", "int", &errors),
            Some("ClientIdNotFound")
        );
        assert_eq!(
            not_found_for("paymethodid", "int", &errors),
            Some("InvalidPayMethodId")
        );
        assert_eq!(not_found_for("serviceid", "int", &errors), None);
    }
}
