//! Spelling the draft as TOML: keys, strings, inline values, and the attributes that request
//! parameters and answer fields have in common.

use std::fmt::Write as _;

use super::json::Json;

pub(super) fn push_common(
    attrs: &mut Vec<String>,
    wire: &str,
    required: bool,
    deprecated: bool,
    since: Option<String>,
) {
    if !whmcs_spec::naming::is_snake_ident(wire) {
        let mut rust = whmcs_spec::naming::snake(wire);
        if rust.is_empty() || rust.starts_with(|c: char| c.is_ascii_digit()) {
            rust = format!("field_{rust}");
        }
        if whmcs_spec::naming::is_keyword(&rust) || rust == "extra" || rust == "extra_params" {
            rust.push_str("_value");
        }
        attrs.push(format!("rust = {}", quote(&rust)));
    }
    if required {
        attrs.push("required = true".into());
    }
    if deprecated {
        attrs.push("deprecated = true".into());
    }
    if let Some(v) = since {
        attrs.push(format!("since = {}", quote(&v)));
    }
}

pub(super) fn is_plain_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A TOML key, quoted when it is not bare.
pub(super) fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

/// A TOML basic string.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON value as an inline TOML value (TOML has no null: nulls are left out, as PHP does).
pub(super) fn toml_inline(v: &Json) -> String {
    match v {
        Json::Null => "\"\"".into(),
        Json::Bool(b) => b.to_string(),
        Json::Int(i) => i.to_string(),
        Json::Float(_, text) => text.clone(),
        Json::Str(s) => quote(s),
        Json::List(items) => format!(
            "[{}]",
            items
                .iter()
                .filter(|i| !matches!(i, Json::Null))
                .map(toml_inline)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Json::Object(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .filter(|(_, v)| !matches!(v, Json::Null))
                .map(|(k, v)| format!("{} = {}", key(k), toml_inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
