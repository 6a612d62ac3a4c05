//! The `[example]`: the request checked against the parameters (unknown keys, required ones left
//! out, values of the wrong type) the way the client reads a request in wire form, and the
//! response parsed as JSON.

use std::collections::BTreeMap;

use crate::diag::{Diag, closest};
use crate::model::{ExampleValue, Field, Loc, Spec, Ty};

use super::shared::Shared;
use super::text::inner_span;

/// What names mean while checking values: nested types' fields and enums' values.
struct Ctx<'s> {
    types: BTreeMap<&'s str, &'s [Field]>,
    enums: BTreeMap<&'s str, Vec<&'s str>>,
}

pub(super) fn check(spec: &Spec, shared: &Shared, diag: &mut Diag<'_>) {
    let mut ctx = Ctx {
        types: shared
            .defs
            .iter()
            .map(|t| (t.name.value.as_str(), t.fields.as_slice()))
            .collect(),
        enums: shared
            .values
            .iter()
            .map(|(n, v)| (n.as_str(), v.iter().map(String::as_str).collect()))
            .collect(),
    };
    for t in &spec.types {
        ctx.types.insert(&t.name.value, &t.fields);
    }
    for e in &spec.enums {
        ctx.enums.insert(
            &e.name.value,
            e.values.iter().map(|v| v.value.as_str()).collect(),
        );
    }
    if let Some(table) = &spec.example_request_table {
        ctx.fields(
            &spec.request,
            &table.value,
            &table.span,
            "",
            "parameter",
            diag,
        );
    }
    if let (Some(text), Some(span)) = (&spec.example_response, &spec.example_response_span) {
        response(text, span, diag);
    }
}

impl<'s> Ctx<'s> {
    /// Checks a table of values against `fields` (the parameters, or a nested type's fields).
    fn fields(
        &self,
        fields: &[Field],
        table: &[(Loc<String>, Loc<ExampleValue>)],
        table_span: &std::ops::Range<usize>,
        prefix: &str,
        what: &str,
        diag: &mut Diag<'_>,
    ) {
        for (key, value) in table {
            let path = join(prefix, &key.value);
            if let Some(f) = fields.iter().find(|f| f.wire.value == key.value) {
                if let Ty::Numbered(n) = &f.ty.value {
                    diag.at(
                        &key.span,
                        format!("`example.request` sends `{path}` as one value, but `numbered<{n}>` parameters go as numbered keys (`{}1`, …)", self.types.get(n.as_str()).and_then(|t| t.first()).map_or("field", |f| f.wire.value.as_str())),
                    );
                    continue;
                }
                self.value(&f.ty.value, value, &path, diag);
                continue;
            }
            if prefix.is_empty()
                && let Some(field) = self.numbered(fields, &key.value)
            {
                self.value(&field.ty.value, value, &path, diag);
                continue;
            }
            let h = closest(&key.value, fields.iter().map(|f| f.wire.value.as_str()))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            diag.at(
                &key.span,
                format!("`example.request` sends `{path}`, which is not a {what}{h}"),
            );
        }
        for f in fields.iter().filter(|f| f.required) {
            let given = match &f.ty.value {
                Ty::Numbered(_) => table
                    .iter()
                    .any(|(k, _)| self.numbered(fields, &k.value).is_some()),
                _ => table.iter().any(|(k, _)| k.value == f.wire.value),
            };
            if !given {
                diag.at(
                    table_span,
                    format!(
                        "`example.request` leaves out the required {what} `{}`: add it, e.g. `{} = {}`",
                        join(prefix, &f.wire.value),
                        f.wire.value,
                        sample(&f.ty.value)
                    ),
                );
            }
        }
    }

    /// The field of a `numbered<T>` parameter's type that `key` (`itemamount2`) is an entry of.
    fn numbered(&self, fields: &[Field], key: &str) -> Option<&'s Field> {
        fields.iter().find_map(|f| {
            let Ty::Numbered(n) = &f.ty.value else {
                return None;
            };
            self.types.get(n.as_str())?.iter().find(|sub| {
                key.strip_prefix(sub.wire.value.as_str())
                    .is_some_and(|rest| {
                        !rest.is_empty()
                            && !rest.starts_with('0')
                            && rest.bytes().all(|b| b.is_ascii_digit())
                    })
            })
        })
    }

    fn value(&self, ty: &Ty, v: &Loc<ExampleValue>, path: &str, diag: &mut Diag<'_>) {
        let bad = |diag: &mut Diag<'_>, expected: &str| {
            diag.at(
                &v.span,
                format!(
                    "`{path}` in `example.request` is {}, not {expected}",
                    describe(&v.value)
                ),
            );
        };
        let text = scalar_text(&v.value);
        match ty {
            Ty::String | Ty::Secret => {
                if text.is_none() {
                    bad(diag, "a text value");
                }
            }
            Ty::Int => {
                if text.is_none_or(|t| t.trim().parse::<i64>().is_err()) {
                    bad(diag, "an `int` (e.g. `\"1\"`)");
                }
            }
            Ty::Float => {
                if !text.is_some_and(|t| t.trim().parse::<f64>().is_ok_and(f64::is_finite)) {
                    bad(diag, "a `float` (e.g. `\"1.5\"`)");
                }
            }
            Ty::Money => {
                if !text.is_some_and(|t| is_decimal(&t)) {
                    bad(diag, "a `money` amount (e.g. `\"10.00\"`)");
                }
            }
            Ty::Bool => {
                if !text.is_some_and(|t| is_bool(&t)) {
                    bad(diag, "a `bool` (`true`, `false`, `1` or `0`)");
                }
            }
            Ty::Date => {
                if !text.is_some_and(|t| is_date(t.trim())) {
                    bad(diag, "a `date` (`YYYY-MM-DD`)");
                }
            }
            Ty::DateTime => {
                if !text.is_some_and(|t| is_datetime(t.trim())) {
                    bad(diag, "a `datetime` (`YYYY-MM-DD HH:MM:SS`)");
                }
            }
            Ty::Json => {}
            Ty::Serialized => {
                if matches!(
                    v.value,
                    ExampleValue::Integer(_) | ExampleValue::Float(_) | ExampleValue::Bool(_)
                ) {
                    bad(diag, "base64 of a serialized array, or a table");
                }
            }
            Ty::Enum(name) | Ty::Named(name) if self.enums.contains_key(name.as_str()) => {
                let values = &self.enums[name.as_str()];
                match text {
                    Some(t) if values.contains(&t.as_str()) => {}
                    Some(t) => {
                        let h = closest(&t, values.iter().copied())
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default();
                        diag.at(
                            &v.span,
                            format!(
                                "`{path}` in `example.request` is `{t}`, which is not one of the values of `{name}` ({}){h}",
                                values
                                    .iter()
                                    .map(|v| format!("`{v}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        );
                    }
                    None => bad(diag, &format!("one of the values of `{name}`")),
                }
            }
            Ty::Enum(_) => {}
            Ty::Named(name) => match (&v.value, self.types.get(name.as_str())) {
                (ExampleValue::Table(t), Some(fields)) => {
                    self.fields(
                        fields,
                        t,
                        &v.span,
                        path,
                        &format!("field of `{name}`"),
                        diag,
                    );
                }
                (ExampleValue::Table(_), None) => {}
                _ => bad(diag, &format!("a table of `{name}` fields")),
            },
            Ty::List(item) => match &v.value {
                ExampleValue::Array(items) => {
                    for (i, x) in items.iter().enumerate() {
                        self.value(item, x, &format!("{path}[{i}]"), diag);
                    }
                }
                ExampleValue::Table(entries) => {
                    for (k, x) in entries {
                        self.value(item, x, &format!("{path}[{}]", k.value), diag);
                    }
                }
                // A single value is a list of one, as PHP reads it.
                _ => self.value(item, v, path, diag),
            },
            Ty::Map(item) => match &v.value {
                ExampleValue::Table(entries) => {
                    for (k, x) in entries {
                        self.value(item, x, &format!("{path}[{}]", k.value), diag);
                    }
                }
                ExampleValue::Array(items) => {
                    for (i, x) in items.iter().enumerate() {
                        self.value(item, x, &format!("{path}[{i}]"), diag);
                    }
                }
                _ => bad(diag, "a table of name = value"),
            },
            Ty::Csv(item) => {
                let ok = match &v.value {
                    ExampleValue::Array(items) => items
                        .iter()
                        .all(|x| scalar_text(&x.value).is_some_and(|t| csv_item(item, &t))),
                    other => scalar_text(other).is_some_and(|t| {
                        t.trim().is_empty() || t.split(',').all(|x| csv_item(item, x))
                    }),
                };
                if !ok {
                    bad(
                        diag,
                        &format!("a comma-separated list of `{}`", item.spec_name()),
                    );
                }
            }
            Ty::Numbered(_) => {}
        }
    }
}

fn csv_item(item: &Ty, t: &str) -> bool {
    match item {
        Ty::Int => t.trim().parse::<i64>().is_ok(),
        _ => true,
    }
}

/// The example response must be JSON, else the mock and the decoding tests have nothing to go on.
fn response(text: &str, span: &std::ops::Range<usize>, diag: &mut Diag<'_>) {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(_)) => {}
        Ok(_) => diag.at(
            span,
            "`example.response` must be a JSON object, e.g. `{\"result\": \"success\"}`",
        ),
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            let at = inner_span(diag.src(), span, text, offset);
            let what = e.to_string();
            let what = what
                .rsplit_once(" at line ")
                .map_or(what.as_str(), |(w, _)| w);
            diag.at(
                &at,
                format!(
                    "`example.response` is not valid JSON: {what} (line {} of the response); write the answer exactly as WHMCS sends it",
                    e.line()
                ),
            );
        }
    }
}

/// The byte offset of serde_json's 1-based line and column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1).min(l.len());
            let mut at = start + col;
            while at > 0 && !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        start += l.len();
    }
    text.len()
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}[{key}]")
    }
}

/// The text PHP would send for a scalar; `None` for arrays and tables.
fn scalar_text(v: &ExampleValue) -> Option<String> {
    match v {
        ExampleValue::String(s) | ExampleValue::Integer(s) | ExampleValue::Float(s) => {
            Some(s.clone())
        }
        ExampleValue::Datetime(d) => Some(d.replace('T', " ")),
        ExampleValue::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        ExampleValue::Array(_) | ExampleValue::Table(_) => None,
    }
}

fn describe(v: &ExampleValue) -> String {
    match v {
        ExampleValue::String(s) => format!("`\"{s}\"`"),
        ExampleValue::Integer(s) | ExampleValue::Float(s) | ExampleValue::Datetime(s) => {
            format!("`{s}`")
        }
        ExampleValue::Bool(b) => format!("`{b}`"),
        ExampleValue::Array(_) => "an array".to_string(),
        ExampleValue::Table(_) => "a table".to_string(),
    }
}

/// A value of `ty` to show in a message.
fn sample(ty: &Ty) -> &'static str {
    match ty {
        Ty::Int => "\"1\"",
        Ty::Bool => "true",
        Ty::Float | Ty::Money => "\"1.00\"",
        Ty::Date => "\"2024-01-31\"",
        Ty::DateTime => "\"2024-01-31 12:00:00\"",
        Ty::List(_) | Ty::Csv(_) => "[\"…\"]",
        Ty::Map(_) | Ty::Named(_) | Ty::Numbered(_) => "{ … }",
        _ => "\"…\"",
    }
}

fn is_bool(t: &str) -> bool {
    matches!(
        t.trim(),
        "1" | "true"
            | "on"
            | "yes"
            | "True"
            | "TRUE"
            | "On"
            | "Yes"
            | "0"
            | "false"
            | "off"
            | "no"
            | ""
            | "False"
            | "FALSE"
            | "Off"
            | "No"
    )
}

fn is_decimal(t: &str) -> bool {
    let t = t.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let mut seen_digit = false;
    let mut seen_point = false;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => seen_digit = true,
            b'.' if !seen_point => seen_point = true,
            _ => return false,
        }
    }
    seen_digit
}

fn is_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_datetime(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 19
        && is_date(&t[..10])
        && matches!(b[10], b' ' | b'T')
        && b[13] == b':'
        && b[16] == b':'
        && [11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}
