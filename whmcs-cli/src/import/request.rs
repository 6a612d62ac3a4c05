//! The request: each parameter's spec type and allowed values, from its table row, its description
//! and the example request, and sample values for required parameters the example leaves out.

use super::infer::{
    Ctx, is_date, is_datetime, is_money_name, is_secret, scalar_type, shared_enum, table_type,
};
use super::json::Json;
use super::page::Row;
use super::response::{merged_fields, write_nested};

/// A value of the drafted type for an example that leaves a required parameter out.
pub(super) fn sample_value(
    ty: &str,
    values: Option<&[String]>,
    shared: &whmcs_spec::Shared,
) -> Option<Json> {
    let scalar = |t: &str| -> Option<Json> {
        Some(Json::Str(match t {
            "int" => "1".into(),
            "bool" => "1".into(),
            "float" | "money" => "1.00".into(),
            "date" => "2024-01-31".into(),
            "datetime" => "2024-01-31 12:00:00".into(),
            "string" | "secret" => "example".into(),
            "enum" => values?.first()?.clone(),
            named => shared.values.get(named)?.first()?.clone(),
        }))
    };
    match ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => Some(Json::List(vec![scalar(inner)?])),
        None => scalar(ty),
    }
}

/// A parameter-table type for a value only the example shows.
pub(super) fn example_table_type(v: &Json) -> String {
    match v {
        Json::Bool(_) => "bool",
        Json::Int(_) => "int",
        Json::Float(..) => "float",
        Json::List(_) | Json::Object(_) => "array",
        _ => "string",
    }
    .to_string()
}

/// The spec type (and allowed values) of a request parameter; `names` are the action's
/// parameters (a list of them in a description is not a list of values).
pub(super) fn request_type(
    ctx: &Ctx<'_>,
    r: &Row,
    example: Option<&Json>,
    names: &[&str],
    types: &mut String,
) -> (String, Option<Vec<String>>) {
    let desc = r.desc.to_ascii_lowercase();
    let list = r.ty.ends_with("[]") || r.ty.eq_ignore_ascii_case("array");
    if desc.contains("base64")
        && (desc.contains("serializ") || desc.contains("array"))
        && !desc.contains("json")
    {
        let ty = if r.ty.ends_with("[]") {
            "list<serialized>"
        } else {
            "serialized"
        };
        return (ty.to_string(), None);
    }
    let base = table_type(&r.ty);
    let secret = match base.as_deref() {
        Some("string" | "list<string>") | None => is_secret(&r.name, &r.desc),
        // An EPP code the page calls `int` is still a code.
        Some("int") => is_secret(&r.name, ""),
        _ => false,
    };
    if secret {
        let ty = if list { "list<secret>" } else { "secret" };
        return (ty.to_string(), None);
    }
    let textual = matches!(base.as_deref(), Some("string" | "list<string>") | None);
    let values = allowed_values(&r.desc)
        .filter(|_| textual)
        // "only one of $serviceid or $domainid" names parameters, not values.
        .filter(|v| {
            !v.iter().any(|x| x.starts_with('$')) && !v.iter().all(|x| names.contains(&x.as_str()))
        });
    let example_values: Vec<String> = match example {
        Some(Json::Str(s)) if !s.is_empty() => vec![s.clone()],
        Some(Json::List(items)) => items
            .iter()
            .filter_map(|i| match i {
                Json::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if textual {
        let known: Vec<String> = values.clone().unwrap_or_else(|| example_values.clone());
        if let Some(e) = shared_enum(ctx, &r.name, "", &known, values.is_some()) {
            let ty = if list { format!("list<{e}>") } else { e };
            return (ty, None);
        }
    }
    if let Some(values) = values {
        let ty = if list { "list<enum>" } else { "enum" };
        return (ty.to_string(), Some(values));
    }
    if let Some(ty) = example_shape(r, example) {
        return (ty, None);
    }
    let iso = desc.contains("iso8601") || desc.contains("iso 8601");
    let lower = r.name.to_ascii_lowercase();
    let ty = match base.as_deref() {
        Some("string")
            if (lower.ends_with("id") || lower.ends_with("_id"))
                && (matches!(example, Some(Json::Str(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    || matches!(example, Some(Json::Int(_))))
                && !lower.ends_with("transid") =>
        {
            "int".to_string()
        }
        Some("string") if !iso && matches!(example, Some(Json::Str(s)) if is_datetime(s)) => {
            "datetime".to_string()
        }
        Some("string") if !iso && matches!(example, Some(Json::Str(s)) if is_date(s)) => {
            "date".to_string()
        }
        Some("string") if !iso && (desc.contains("y-m-d") || desc.contains("yyyy-mm-dd")) => {
            "date".to_string()
        }
        Some("float") if is_money_name(&r.name) => "money".to_string(),
        Some("list<float>") if is_money_name(&r.name) => "list<money>".to_string(),
        Some(t) => t.to_string(),
        None => match example {
            Some(Json::List(items))
                if items.iter().all(|i| matches!(i, Json::Object(_))) && !items.is_empty() =>
            {
                let name = format!("{}{}", ctx.action, whmcs_spec::naming::camel(&r.name));
                let fields: Vec<(String, Json)> = merged_fields(items);
                let mut enums = String::new();
                let name = write_nested(ctx, types, &mut enums, &name, &fields);
                types.push_str(&enums);
                format!("list<{name}>")
            }
            Some(Json::List(_)) => "list<string>".to_string(),
            Some(Json::Object(_)) => "map<string>".to_string(),
            _ if r.ty.eq_ignore_ascii_case("array") => "list<string>".to_string(),
            _ => "string".to_string(),
        },
    };
    (ty, None)
}

/// The type the example's value shows, where the table's type does not fit it: keyed arrays
/// (`array(13 => …)`), nested arrays, and text where the table says array.
fn example_shape(r: &Row, example: Option<&Json>) -> Option<String> {
    let scalar = |v: &Json| scalar_type(&r.name, v);
    match example? {
        Json::Str(_) if r.ty.eq_ignore_ascii_case("array") || r.ty.ends_with("[]") => {
            Some("string".into())
        }
        Json::Object(entries) if !entries.is_empty() => {
            let values: Vec<&Json> = entries.iter().map(|(_, v)| v).collect();
            if values.iter().all(|v| matches!(v, Json::Object(_))) {
                let inner: Vec<&Json> = values
                    .iter()
                    .flat_map(|v| {
                        if let Json::Object(e) = v {
                            e.iter().map(|(_, x)| x).collect::<Vec<_>>()
                        } else {
                            Vec::new()
                        }
                    })
                    .collect();
                if inner
                    .iter()
                    .all(|x| !matches!(x, Json::Object(_) | Json::List(_)))
                {
                    let leaf = inner.first().map_or("string".to_string(), |x| scalar(x));
                    let leaf = if inner.iter().all(|x| scalar(x) == leaf) {
                        leaf
                    } else {
                        "string".to_string()
                    };
                    return Some(format!("map<map<{leaf}>>"));
                }
                return Some("json".into());
            }
            if values
                .iter()
                .all(|v| !matches!(v, Json::Object(_) | Json::List(_)))
            {
                let leaf = scalar(values[0]);
                let leaf = if values.iter().all(|x| scalar(x) == leaf) {
                    leaf
                } else {
                    "string".to_string()
                };
                return Some(format!("map<{leaf}>"));
            }
            Some("json".into())
        }
        _ => None,
    }
}

/// Values a description lists as the only ones allowed: after "one of", "accepted values are"
/// and the like, as quoted alternatives (`'Immediate' or 'End of Billing Period'`,
/// `('Draft','Delivered')`), "either X or Y", or a sentence that is only a list
/// (`Days, Weeks, Months or Years.`, `ASC or DESC.`).
fn allowed_values(desc: &str) -> Option<Vec<String>> {
    let lower = desc.to_ascii_lowercase();
    let clean = |v: &str| {
        v.trim()
            .trim_matches(['\'', '"', '`', '.', '(', ')'])
            .trim()
            .to_string()
    };
    for marker in [
        "accepted values are",
        "valid values are",
        "possible values are",
        "possible values include",
        "values include",
        "one of:",
        "can be one of",
        "one of",
        "supported values are",
        "options are",
    ] {
        if let Some(pos) = lower.find(marker) {
            let tail = &desc[pos + marker.len()..];
            let tail = tail.trim_start_matches([':', ' ']);
            if tail.starts_with(['\'', '"'])
                && let Some(q) = quoted_list(tail)
            {
                return Some(q);
            }
            let end = tail.find(". ").map_or(tail.len(), |e| e);
            let list = tail[..end].trim_end_matches('.');
            let values: Vec<String> = list
                .split([',', '/'])
                .flat_map(|part| part.split(" or "))
                .flat_map(|part| part.split(" and "))
                .map(clean)
                .filter(|v| {
                    !v.is_empty() && v.len() <= 40 && !v.contains(' ')
                        || v.split(' ').count() <= 4
                            && !v.is_empty()
                            && v.chars().next().is_some_and(char::is_uppercase)
                })
                .collect();
            if values.len() >= 2
                && values
                    .iter()
                    .all(|v| !v.to_ascii_lowercase().starts_with("default"))
            {
                return Some(values);
            }
        }
    }
    // Examples are not a list of what is allowed.
    let open_ended = ["e.g", "for example", "such as"]
        .iter()
        .any(|m| lower.contains(m))
        || lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "etc" || w == "eg");
    if let Some(q) = desc
        .find(['\'', '"'])
        .and_then(|i| quoted_list(&desc[i..]))
        .filter(|q| q.len() >= 2 && !open_ended)
    {
        return Some(q);
    }
    if let Some(pos) = lower.find("either ") {
        let tail = &desc[pos + 7..];
        let end = tail.find(['.', ',', ';']).unwrap_or(tail.len());
        let parts: Vec<String> = tail[..end].split(" or ").map(clean).collect();
        if parts.len() == 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && !p.contains(' ') && p.len() <= 30)
        {
            return Some(parts);
        }
    }
    // A sentence that is nothing but a list of words.
    for sentence in desc.split(". ").filter(|_| !open_ended) {
        let s = sentence.trim().trim_end_matches('.');
        let items: Vec<String> = s
            .split(',')
            .flat_map(|p| p.split(" or "))
            .map(|p| p.trim().trim_start_matches("or ").trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let word = |w: &str| {
            !w.is_empty()
                && w.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        let capital = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        if items.len() >= 2
            && items.iter().all(|w| word(w))
            && (items.iter().all(|w| capital(w))
                || items.len() >= 3 && items.iter().all(|w| !capital(w)))
        {
            return Some(items);
        }
    }
    None
}

/// Quoted values in a row, `'a', 'b' or 'c'` (explanations in brackets between them allowed);
/// `None` when the quotes are not such a list.
fn quoted_list(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text.trim_start_matches('(').trim_start();
    loop {
        let q = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let end = rest[1..].find(q)? + 1;
        let value = rest[1..end].to_string();
        if value.len() > 40 {
            return None;
        }
        out.push(value);
        rest = &rest[end + 1..];
        // What separates two values: commas, `or`, `and`, spaces, and bracketed explanations.
        let mut sep = String::new();
        let mut depth = 0;
        let mut taken = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth > 0 => depth -= 1,
                '\'' | '"' if depth == 0 => break,
                _ if depth > 0 => {}
                c => sep.push(c),
            }
            taken = i + c.len_utf8();
        }
        let s = sep.trim().trim_end_matches(')').trim();
        let joined = matches!(s, "," | "or" | ", or" | "and" | ", and" | "/");
        if !joined || taken >= rest.len() {
            break;
        }
        rest = &rest[taken..];
    }
    (out.len() >= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_values_are_found_in_descriptions() {
        assert_eq!(
            allowed_values("The type of upgrade ('product', 'configoptions')"),
            Some(vec!["product".into(), "configoptions".into()])
        );
        assert_eq!(
            allowed_values("How often the item repeats. Days, Weeks, Months or Years."),
            Some(vec![
                "Days".into(),
                "Weeks".into(),
                "Months".into(),
                "Years".into()
            ])
        );
        assert_eq!(
            allowed_values("Order of the list. ASC or DESC. Default: ASC"),
            Some(vec!["ASC".into(), "DESC".into()])
        );
        assert_eq!(
            allowed_values("Provide the full name: 'english', 'french', etc...."),
            None
        );
        assert_eq!(
            allowed_values("When it applies: 'Immediate' or 'End of Billing Period'"),
            Some(vec!["Immediate".into(), "End of Billing Period".into()])
        );
        assert_eq!(
            allowed_values("Direction. Accepted values are: asc or desc."),
            Some(vec!["asc".into(), "desc".into()])
        );
        assert_eq!(allowed_values("The client id"), None);
    }
}
