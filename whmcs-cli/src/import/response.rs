//! The answer: its fields and nested types, inferred from the example response and written out
//! as they are found.

use std::fmt::Write as _;

use super::infer::{Ctx, is_secret, scalar_type, shared_enum};
use super::json::{Json, insert_path, listify};
use super::versions::since;
use super::write::{key, push_common, quote};

/// The fields of a list of objects, merged in first-seen order.
pub(super) fn merged_fields(items: &[Json]) -> Vec<(String, Json)> {
    let mut out: Vec<(String, Json)> = Vec::new();
    for item in items {
        if let Json::Object(entries) = item {
            for (k, v) in entries {
                match out.iter_mut().find(|(key, _)| key == k) {
                    Some(slot)
                        if matches!(slot.1, Json::Null | Json::Str(_))
                            && !matches!(v, Json::Null) =>
                    {
                        slot.1 = v.clone()
                    }
                    Some(_) => {}
                    None => out.push((k.clone(), v.clone())),
                }
            }
        }
    }
    out
}

/// `queue[0][id]`-style keys made into the nested values they stand for.
pub(super) fn unflatten(fields: Vec<(String, Json)>) -> Vec<(String, Json)> {
    let mut out: Vec<(String, Json)> = Vec::new();
    for (k, v) in fields {
        let Some(open) = k.find('[') else {
            out.push((k, v));
            continue;
        };
        let base = k[..open].to_string();
        let path: Vec<String> = k[open..]
            .split(['[', ']'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let slot = match out.iter().position(|(key, _)| *key == base) {
            Some(i) => i,
            None => {
                out.push((base, Json::Object(Vec::new())));
                out.len() - 1
            }
        };
        insert_path(&mut out[slot].1, &path, v);
    }
    for (_, v) in &mut out {
        listify(v);
    }
    out
}

pub(super) fn write_fields(
    ctx: &Ctx<'_>,
    out: &mut String,
    fields: &[(String, Json)],
    types: &mut String,
    enums: &mut String,
    owner: &str,
) {
    let mut patterns: Vec<String> = Vec::new();
    // Nested objects whose every field is 0 or 1 are sets of flags (`email_preferences`).
    let flags =
        !owner.is_empty() && fields.len() >= 3 && fields.iter().all(|(_, v)| zero_or_one(v));
    for (k, v) in fields {
        // `customfields1`, `customfields2`, … beside a `customfields` list: a numbered pattern.
        let stem = k.trim_end_matches(|c: char| c.is_ascii_digit());
        let identifier = stem.starts_with(|c: char| c.is_ascii_alphabetic())
            && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if identifier
            && stem.len() < k.len()
            && !k[stem.len()..].starts_with('0')
            && fields.iter().any(|(other, _)| {
                other != k
                    && other.starts_with(stem)
                    && other[stem.len()..].chars().all(|c| c.is_ascii_digit())
                    || other == stem
            })
        {
            if !patterns.contains(&stem.to_string()) {
                patterns.push(stem.to_string());
                let ty = scalar_type(k, v);
                let _ = writeln!(
                    out,
                    "{} = {{ type = {}, rust = {} }}",
                    key(&format!("{stem}{{n}}")),
                    quote(&ty),
                    quote(&format!("{}_values", whmcs_spec::naming::snake(stem)))
                );
            }
            continue;
        }
        let (mut ty, wrapper) = response_type(ctx, k, v, types, enums, owner);
        let desc = if owner.is_empty() {
            ctx.response_rows
                .iter()
                .find(|r| r.name == *k)
                .map_or("", |r| r.desc.as_str())
        } else {
            ""
        };
        if matches!(ty.as_str(), "string" | "int") && is_secret(k, desc) {
            ty = "secret".into();
        } else if zero_or_one(v) && (flags || !owner.is_empty() && is_flag_name(k)) {
            ty = "bool".into();
        } else if matches!(ty.as_str(), "string" | "int") {
            let shown: Vec<String> = match v {
                Json::Str(s) if !s.is_empty() => vec![s.clone()],
                _ => Vec::new(),
            };
            if let Some(e) = shared_enum(ctx, k, owner, &shown, false) {
                ty = e;
            }
        }
        let mut attrs = vec![format!("type = {}", quote(&ty))];
        if let Some(w) = wrapper {
            attrs.push(format!("wrapper = {}", quote(&w)));
        }
        push_common(&mut attrs, k, false, false, since(ctx.versions, k));
        let _ = writeln!(out, "{} = {{ {} }}", key(k), attrs.join(", "));
    }
}

/// `0` or `1`, as a number or as text.
fn zero_or_one(v: &Json) -> bool {
    matches!(v, Json::Int(0 | 1)) || matches!(v, Json::Str(s) if s == "0" || s == "1")
}

/// Names that read as yes/no: `isDisabled`, `allowSingleSignOn`, `taxed`, `requiresexisting`.
fn is_flag_name(k: &str) -> bool {
    let n = k.to_ascii_lowercase();
    if [
        "qty", "quantity", "count", "num", "total", "percent", "used",
    ]
    .iter()
    .any(|m| n.contains(m))
    {
        return false;
    }
    [
        "is", "has", "allow", "can", "enable", "disable", "show", "hide", "require", "auto",
        "once", "apply", "new", "existing", "lifetime", "one", "donot",
    ]
    .iter()
    .any(|p| n.starts_with(p))
        || n == "custom"
        || [
            "ed",
            "able",
            "pending",
            "upgrades",
            "management",
            "forwarding",
            "protection",
        ]
        .iter()
        .any(|s| n.ends_with(s))
}

fn type_name(key: &str, owner: &str) -> String {
    let base = whmcs_spec::naming::camel(key);
    let base = if base.is_empty() {
        "Item".to_string()
    } else {
        base
    };
    if owner.is_empty() {
        base
    } else {
        format!("{owner}{base}")
    }
}

/// The spec type of a response value inferred from the example, writing nested types as it goes.
fn response_type(
    ctx: &Ctx<'_>,
    k: &str,
    v: &Json,
    types: &mut String,
    enums: &mut String,
    owner: &str,
) -> (String, Option<String>) {
    match v {
        Json::Object(entries)
            if entries.len() == 1
                && matches!(&entries[0].1, Json::List(items) if items.iter().all(|i| matches!(i, Json::Object(_)))) =>
        {
            let (item_key, Json::List(items)) = (&entries[0].0, &entries[0].1) else {
                return ("json".into(), None);
            };
            let name = type_name(item_key, owner);
            if items.is_empty() {
                return ("list<json>".into(), Some(item_key.clone()));
            }
            let fields = merged_fields(items);
            let name = write_nested(ctx, types, enums, &name, &fields);
            (format!("list<{name}>"), Some(item_key.clone()))
        }
        Json::Object(entries)
            if entries.len() == 1
                && matches!(&entries[0].1, Json::Object(_))
                && is_singular_of(&entries[0].0, k) =>
        {
            // A wrapper around a single item, e.g. {"ticket": {...}}.
            let (item_key, item) = (&entries[0].0, &entries[0].1);
            let mut name = type_name(item_key, owner);
            if let Json::Object(fields) = item {
                name = write_nested(ctx, types, enums, &name, fields);
            }
            (format!("list<{name}>"), Some(item_key.clone()))
        }
        Json::Object(entries)
            if !entries.is_empty()
                && entries
                    .iter()
                    .all(|(k, _)| k.chars().all(|c| c.is_ascii_digit())) =>
        {
            let items: Vec<Json> = entries.iter().map(|(_, v)| v.clone()).collect();
            if items.iter().all(|i| matches!(i, Json::Object(_))) {
                let name = type_name(k, owner);
                let name = write_nested(ctx, types, enums, &name, &merged_fields(&items));
                (format!("list<{name}>"), None)
            } else {
                // `{"1": "14.95"}`: values keyed by a number (years, ids).
                let first = scalar_type(k, &items[0]);
                let uniform = items.iter().all(|i| scalar_type(k, i) == first);
                let leaf = if uniform && first != "json" {
                    first
                } else {
                    "string".into()
                };
                (format!("map<{leaf}>"), None)
            }
        }
        Json::Object(entries) if entries.is_empty() => ("json".into(), None),
        Json::Object(entries)
            if entries.iter().any(|(k, _)| {
                !k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    || (k.len() == 3 && k.chars().all(|c| c.is_ascii_uppercase()))
            }) =>
        {
            // Keys that are data (dates, names, ids): a map.
            let first = &entries[0].1;
            let (inner, _) = response_type(ctx, k, first, types, enums, owner);
            let uniform = entries
                .iter()
                .all(|(_, v)| std::mem::discriminant(v) == std::mem::discriminant(first));
            (
                if uniform && !inner.starts_with("list<") {
                    format!("map<{inner}>")
                } else {
                    "map<json>".to_string()
                },
                None,
            )
        }
        Json::Object(entries) if same_shape_objects(entries) => {
            // `{"com": {...}, "net": {...}}`: entries of one shape under keys that are data.
            let name = type_name(k, owner);
            let items: Vec<Json> = entries.iter().map(|(_, v)| v.clone()).collect();
            let name = write_nested(ctx, types, enums, &name, &merged_fields(&items));
            (format!("map<{name}>"), None)
        }
        Json::Object(entries) => {
            let name = type_name(k, owner);
            (write_nested(ctx, types, enums, &name, entries), None)
        }
        Json::List(items)
            if !items.is_empty() && items.iter().all(|i| matches!(i, Json::Object(_))) =>
        {
            let name = type_name(k, owner);
            let name = write_nested(ctx, types, enums, &name, &merged_fields(items));
            (format!("list<{name}>"), None)
        }
        Json::List(items) => match items.first() {
            Some(first) if !matches!(first, Json::List(_)) => {
                (format!("list<{}>", scalar_type(k, first)), None)
            }
            _ => ("json".into(), None),
        },
        other => (scalar_type(k, other), None),
    }
}

/// At least two entries, each an object with the same keys.
fn same_shape_objects(entries: &[(String, Json)]) -> bool {
    let keys = |v: &Json| match v {
        Json::Object(e) if !e.is_empty() => {
            Some(e.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
        }
        _ => None,
    };
    let Some(first) = entries.first().and_then(|(_, v)| keys(v)) else {
        return false;
    };
    entries.len() >= 2
        && entries
            .iter()
            .all(|(_, v)| keys(v).as_ref() == Some(&first))
}

/// `ticket` in `{"tickets": {"ticket": …}}`.
fn is_singular_of(inner: &str, outer: &str) -> bool {
    outer.eq_ignore_ascii_case(&format!("{inner}s"))
        || outer.eq_ignore_ascii_case(&format!("{inner}es"))
}

/// Writes the nested type `name` for `fields` and returns the name to refer to it by: a shared
/// type of that name when the example's fields are among its own, else a name of its own.
pub(super) fn write_nested(
    ctx: &Ctx<'_>,
    types: &mut String,
    enums: &mut String,
    name: &str,
    fields: &[(String, Json)],
) -> String {
    let mut name = name.to_string();
    if let Some(def) = ctx.shared.defs.iter().find(|d| d.name.value == name) {
        let known = fields
            .iter()
            .filter(|(k, _)| def.fields.iter().any(|f| f.wire.value == *k))
            .count();
        if known * 5 >= fields.len() * 4 {
            return name;
        }
        name = format!("{}{name}", ctx.action);
    } else if ctx.shared.contains(&name) {
        name = format!("{}{name}", ctx.action);
    }
    if types.contains(&format!("\n[types.{name}]\n")) {
        return name;
    }
    let mut body = String::new();
    let mut nested = String::new();
    write_fields(ctx, &mut body, fields, &mut nested, enums, &name);
    let _ = write!(types, "\n[types.{name}]\n{body}");
    types.push_str(&nested);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_answer_keys_are_nested() {
        let flat = vec![
            ("count".to_string(), Json::Str("1".into())),
            ("queue[0][id]".to_string(), Json::Str("1".into())),
            ("queue[0][name]".to_string(), Json::Str("a".into())),
            ("credits[credit][0][id]".to_string(), Json::Str("2".into())),
        ];
        let nested = unflatten(flat);
        assert_eq!(nested.len(), 3);
        assert!(matches!(&nested[1].1, Json::List(items) if items.len() == 1));
        assert!(
            matches!(&nested[2].1, Json::Object(e) if e[0].0 == "credit" && matches!(e[0].1, Json::List(_)))
        );
    }
}
