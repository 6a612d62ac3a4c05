//! Reads a spec file into the model, reporting every shape problem (unknown keys, wrong value
//! kinds, missing keys) with its position.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diag, closest};
use crate::model::{
    Effect, EnumDef, EnumOrigin, ErrorDef, ExampleValue, Field, Loc, RequireAny, Spec, Ty, TypeDef,
};
use crate::naming;

type Value<'i> = Spanned<DeValue<'i>>;

const TOP_KEYS: &[&str] = &[
    "action",
    "category",
    "effect",
    "summary",
    "reference",
    "since",
    "paged",
    "request",
    "response",
    "types",
    "enums",
    "errors",
    "example",
    "require_any",
];
const FIELD_KEYS: &[&str] = &[
    "type",
    "required",
    "rust",
    "doc",
    "values",
    "enum",
    "deprecated",
    "since",
    "missing",
    "empty_allowed",
    "not_found",
    "wrapper",
    "entity",
];
/// The scalar type names of the format.
pub const SCALARS: &[&str] = &[
    "string",
    "secret",
    "int",
    "float",
    "money",
    "bool",
    "date",
    "datetime",
    "json",
    "serialized",
    "enum",
];
const WRAPPERS: &[&str] = &["list", "map", "numbered", "csv"];

/// Which part of a spec a field belongs to; decides the default names of its inline enums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// A request parameter.
    Request,
    /// A response field.
    Response,
}

/// Parses `src` and loads it; problems go to `diag`, and whatever could be read is returned.
/// `None` when `src` is not valid TOML: then nothing else can be said about it.
pub fn load(src: &str, diag: &mut Diag<'_>) -> Option<Spec> {
    let (doc, errors) = DeTable::parse_recoverable(src);
    for e in &errors {
        let span = e.span().unwrap_or(0..0);
        let mut msg = e.message().trim().replace('\n', " ");
        if msg == "duplicate key"
            && let Some(key) = src.get(span.clone()).filter(|k| !k.is_empty())
        {
            msg = format!("duplicate key `{}`: each key may appear once", key.trim());
        }
        diag.at(
            &span,
            format!("TOML syntax error: {}", lowercase_first(&msg)),
        );
    }
    if !errors.is_empty() {
        return None;
    }
    let mut l = Loader {
        diag,
        spec: Spec::default(),
        owner: String::new(),
    };
    l.top(doc.get_ref());
    Some(l.spec)
}

struct Loader<'d, 'p> {
    diag: &'d mut Diag<'p>,
    spec: Spec,
    /// The name inline enums are prefixed with (action or type name).
    owner: String,
}

impl Loader<'_, '_> {
    fn top(&mut self, t: &DeTable<'_>) {
        let meant = self.unknown_keys(t, TOP_KEYS, "top-level key");
        self.spec.keys = t.keys().map(|k| k.get_ref().to_string()).collect();
        self.spec.keys.extend(meant.into_iter().map(str::to_string));
        self.spec.action = self.string(t, "action");
        if let Some(a) = &self.spec.action {
            self.owner = a.value.clone();
        }
        self.spec.category = self.string(t, "category");
        self.spec.summary = self.string(t, "summary");
        self.spec.reference = self.string(t, "reference");
        self.spec.since = self.string(t, "since").map(|l| l.value);
        self.spec.paged = self.bool(t, "paged").unwrap_or(false);
        if let Some(e) = self.string(t, "effect") {
            let effect = match e.value.as_str() {
                "read" => Some(Effect::Read),
                "write" => Some(Effect::Write),
                "destructive" => Some(Effect::Destructive),
                "financial" => Some(Effect::Financial),
                other => {
                    let hint = hint(other, ["read", "write", "destructive", "financial"]);
                    self.diag.at(&e.span, format!("unknown effect `{other}`: expected `read`, `write`, `destructive` or `financial`{hint}"));
                    None
                }
            };
            self.spec.effect = effect.map(|value| Loc {
                value,
                span: e.span,
            });
        }
        if let Some(types) = self.table(t, "types") {
            for (name, v) in types {
                let Some(body) = self.expect_table(v, &format!("type `{}`", name.get_ref())) else {
                    continue;
                };
                let name = loc(name.get_ref().to_string(), name.span());
                let saved = std::mem::replace(&mut self.owner, name.value.clone());
                let doc = self.string(body, "doc").map(|d| d.value);
                let fields = self.fields(body, Side::Response, Some("doc"));
                self.owner = saved;
                self.spec.types.push(TypeDef { name, doc, fields });
            }
        }
        if let Some(enums) = self.table(t, "enums") {
            for (name, v) in enums {
                let Some(body) = self.expect_table(v, &format!("enum `{}`", name.get_ref())) else {
                    continue;
                };
                let meant = self.unknown_keys(body, &["values", "doc"], "enum key");
                let values = self.strings(body, "values").unwrap_or_default();
                match body.get("values") {
                    None if meant.contains(&"values") => {}
                    None => self.diag.at(
                        &name.span(),
                        format!("enum `{}` has no `values`", name.get_ref()),
                    ),
                    Some(v) if matches!(v.get_ref(), DeValue::Array(a) if a.is_empty()) => {
                        self.diag.at(&v.span(), format!("enum `{}` has an empty `values` list: give at least one allowed value", name.get_ref()));
                    }
                    Some(_) => {}
                }
                let doc = self.string(body, "doc").map(|d| d.value);
                self.spec.enums.push(EnumDef {
                    name: loc(name.get_ref().to_string(), name.span()),
                    doc,
                    values,
                    open: false,
                    origin: EnumOrigin::Declared,
                });
            }
        }
        if let Some(req) = self.table(t, "request") {
            self.spec.request = self.fields(req, Side::Request, None);
        }
        if let Some(resp) = self.table(t, "response") {
            self.spec.response = self.fields(resp, Side::Response, None);
        }
        if let Some(errors) = self.table(t, "errors") {
            for (variant, msg) in errors {
                match msg.get_ref() {
                    DeValue::String(s) => self.spec.errors.push(ErrorDef {
                        variant: loc(variant.get_ref().to_string(), variant.span()),
                        message: loc(s.to_string(), msg.span()),
                    }),
                    other => self.wrong_kind(
                        msg.span(),
                        &format!("error `{}`", variant.get_ref()),
                        "a string (the WHMCS message)",
                        other,
                    ),
                }
            }
        }
        if let Some(v) = t.get("require_any") {
            self.require_any(v);
        }
        if let Some(ex) = self.table(t, "example") {
            self.unknown_keys(ex, &["request", "response"], "example key");
            if let Some(req) = ex.get("request") {
                match req.get_ref() {
                    DeValue::Table(tbl) => {
                        self.spec.example_request = Some(json_table(tbl));
                        self.spec.example_request_table = Some(loc(example_table(tbl), req.span()));
                    }
                    other => self.wrong_kind(
                        req.span(),
                        "`example.request`",
                        "a table in wire form",
                        other,
                    ),
                }
            }
            if let Some(r) = self.string(ex, "response") {
                self.spec.example_response = Some(r.value);
                self.spec.example_response_span = Some(r.span);
            }
        }
    }

    fn require_any(&mut self, v: &Value<'_>) {
        let DeValue::Array(items) = v.get_ref() else {
            return self.wrong_kind(
                v.span(),
                "`require_any`",
                "an array of `{ params = [...], error = \"Variant\" }`",
                v.get_ref(),
            );
        };
        for item in items {
            let Some(t) = self.expect_table(item, "`require_any` entry") else {
                continue;
            };
            self.unknown_keys(t, &["params", "error"], "require_any key");
            let params = self.strings(t, "params").unwrap_or_default();
            match self.string(t, "error") {
                Some(error) => self.spec.require_any.push(RequireAny { params, error }),
                None => self.diag.at(
                    &item.span(),
                    "`require_any` entry needs `error`, the variant WHMCS answers with",
                ),
            }
        }
    }

    fn fields(&mut self, t: &DeTable<'_>, side: Side, skip: Option<&str>) -> Vec<Field> {
        let mut out = Vec::new();
        for (key, v) in t {
            if Some(key.get_ref().as_ref()) == skip {
                continue;
            }
            if let Some(f) = self.field(key, v, side) {
                out.push(f);
            }
        }
        out
    }

    fn field(&mut self, key: &Spanned<Cow<'_, str>>, v: &Value<'_>, side: Side) -> Option<Field> {
        let key_name = key.get_ref().to_string();
        let wire = loc(key_name.clone(), key.span());
        let empty = DeTable::default();
        let mut meant = Vec::new();
        let (body, ty_loc) = match v.get_ref() {
            DeValue::String(s) => (&empty, Some(loc(s.to_string(), v.span()))),
            DeValue::Table(body) => {
                meant = self.unknown_keys(body, FIELD_KEYS, "field key");
                let ty = self.string(body, "type");
                if ty.is_none() && !meant.contains(&"type") && !body.contains_key("type") {
                    self.diag.at(
                        &key.span(),
                        format!("field `{key_name}` has no `type` (e.g. `type = \"string\"`)"),
                    );
                }
                (body, ty)
            }
            other => {
                self.wrong_kind(
                    v.span(),
                    &format!("field `{key_name}`"),
                    "a type string or a table",
                    other,
                );
                return None;
            }
        };
        let pattern = key_name.strip_suffix("{n}").map(str::to_string);
        let (rust, rust_span) = match self.string(body, "rust") {
            Some(r) => (r.value, r.span),
            None => (
                naming::snake(pattern.as_deref().unwrap_or(&key_name)),
                key.span(),
            ),
        };
        let values = self
            .strings(body, "values")
            .map(|v| loc(v, body.get("values").map(|v| v.span()).unwrap_or_default()));
        let enum_name = self.string(body, "enum").map(|e| e.value);
        let ty_loc = ty_loc?;
        let ty = self.parse_ty(
            &ty_loc,
            (&key_name, &rust),
            values,
            enum_name,
            side,
            meant.contains(&"values"),
        )?;
        let deprecated = match body.get("deprecated").map(|d| d.get_ref()) {
            Some(DeValue::Boolean(true)) => Some(String::new()),
            Some(DeValue::String(s)) => Some(s.to_string()),
            Some(DeValue::Boolean(false)) | None => None,
            Some(other) => {
                let span = body.get("deprecated").map(|d| d.span()).unwrap_or_default();
                self.wrong_kind(span, "`deprecated`", "`true` or a note", other);
                None
            }
        };
        Some(Field {
            wire,
            rust,
            rust_span,
            ty,
            required: self.bool(body, "required").unwrap_or(false),
            doc: self.string(body, "doc").map(|d| d.value),
            deprecated,
            since: self.string(body, "since").map(|d| d.value),
            missing: self.string(body, "missing"),
            empty_allowed: body.get("empty_allowed").and_then(|v| {
                let span = v.span();
                self.bool(body, "empty_allowed")
                    .map(|value| Loc { value, span })
            }),
            not_found: self.string(body, "not_found"),
            entity: self.string(body, "entity"),
            wrapper: self.string(body, "wrapper").map(|d| d.value),
            pattern,
        })
    }

    /// Parses `list<int>`-style type strings; inline enums are registered under a generated name.
    fn parse_ty(
        &mut self,
        text: &Loc<String>,
        (wire, rust_field): (&str, &str),
        values: Option<Loc<Vec<Loc<String>>>>,
        enum_name: Option<String>,
        side: Side,
        values_misspelt: bool,
    ) -> Option<Loc<Ty>> {
        if let Some((_, c)) = text
            .value
            .char_indices()
            .find(|(_, c)| naming::invisible(*c).is_some())
        {
            self.diag.at(
                &text.span,
                format!(
                    "type `{}` holds {}: retype it in plain characters",
                    text.value.trim(),
                    naming::describe_char(c)
                ),
            );
            return None;
        }
        let raw = text.value.replace(' ', "");
        if let Some(better) = foreign_spelling(&raw) {
            self.diag.at(
                &text.span,
                format!(
                    "unknown type `{}`: specs spell types their own way (`string`, `int`, `bool`, `list<T>`, `map<T>`, ...); did you mean `{better}`?",
                    text.value.trim()
                ),
            );
            return None;
        }
        let ty = self.parse_ty_str(&raw, &text.span)?;
        let wants_values = ty.enum_name().is_some();
        match (wants_values, values) {
            (true, Some(values)) => {
                let named = enum_name.is_some();
                let name = enum_name
                    .unwrap_or_else(|| format!("{}{}", self.owner, naming::camel(rust_field)));
                if values.value.is_empty() {
                    self.diag.at(&values.span, format!("enum field `{rust_field}` has an empty `values` list: give at least one allowed value"));
                }
                self.spec.enums.push(EnumDef {
                    name: loc(name.clone(), text.span.clone()),
                    doc: None,
                    values: values.value,
                    open: side == Side::Response,
                    origin: EnumOrigin::Inline {
                        field: wire.to_string(),
                        named,
                    },
                });
                Some(loc(replace_enum(ty, &name), text.span.clone()))
            }
            (true, None) if values_misspelt => None,
            (true, None) => {
                self.diag.at(&text.span, format!("field `{rust_field}` has type `{}` but no `values = [...]` listing the allowed values", text.value));
                None
            }
            (false, Some(_)) => {
                self.diag.at(
                    &text.span,
                    format!(
                        "`values` only applies to `enum` types, not `{}`",
                        text.value
                    ),
                );
                Some(loc(ty, text.span.clone()))
            }
            (false, None) => Some(loc(ty, text.span.clone())),
        }
    }

    fn parse_ty_str(&mut self, s: &str, span: &Range<usize>) -> Option<Ty> {
        if let Some(open) = s.find('<') {
            let Some(inner) = s[open + 1..].strip_suffix('>') else {
                self.diag.at(
                    span,
                    format!("malformed type `{s}`: expected `wrapper<inner>`, e.g. `list<int>`"),
                );
                return None;
            };
            let outer = &s[..open];
            return match outer {
                "list" => Some(Ty::List(Box::new(self.parse_ty_str(inner, span)?))),
                "map" => Some(Ty::Map(Box::new(self.parse_ty_str(inner, span)?))),
                "csv" => match self.parse_ty_str(inner, span)? {
                    t @ (Ty::Int | Ty::String) => Some(Ty::Csv(Box::new(t))),
                    _ => {
                        self.diag.at(
                            span,
                            format!(
                                "`csv<{inner}>` holds `int` or `string` items, joined by commas"
                            ),
                        );
                        None
                    }
                },
                "numbered" => {
                    if !naming::is_type_name(inner) {
                        self.diag.at(span, format!("`numbered<{inner}>` needs a type name from `[types]`, e.g. `numbered<InvoiceItem>`"));
                        return None;
                    }
                    Some(Ty::Numbered(inner.to_string()))
                }
                other => {
                    let h = match other {
                        "array" | "vec" | "set" => "; did you mean `list`?".to_string(),
                        "dict" | "hash" | "object" => "; did you mean `map`?".to_string(),
                        _ => hint(other, WRAPPERS.iter().copied()),
                    };
                    self.diag.at(span, format!("unknown type wrapper `{other}<…>`: expected `list`, `map`, `numbered` or `csv`{h}"));
                    None
                }
            };
        }
        Some(match s {
            "string" => Ty::String,
            "secret" => Ty::Secret,
            "int" => Ty::Int,
            "float" => Ty::Float,
            "money" => Ty::Money,
            "bool" => Ty::Bool,
            "date" => Ty::Date,
            "datetime" => Ty::DateTime,
            "json" => Ty::Json,
            "serialized" => Ty::Serialized,
            "enum" => Ty::Enum(String::new()),
            name if naming::is_type_name(name) => Ty::Named(name.to_string()),
            other => {
                let alias = match other {
                    "integer" | "i64" | "number" | "id" => Some("int"),
                    "str" | "text" => Some("string"),
                    "boolean" => Some("bool"),
                    "decimal" | "amount" | "price" => Some("money"),
                    "double" | "f64" => Some("float"),
                    "array" => Some("list<…>"),
                    "password" => Some("secret"),
                    _ => closest(other, SCALARS.iter().copied()),
                };
                let h = alias
                    .map(|a| format!("; did you mean `{a}`?"))
                    .unwrap_or_default();
                self.diag.at(span, format!("unknown type `{other}`: expected one of {}, `list<T>`, `map<T>`, `numbered<T>` or a type name{h}", SCALARS.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")));
                return None;
            }
        })
    }

    /// Reports keys not in `known`; returns the known keys that misspelt ones were taken for,
    /// so that their absence is not reported as well.
    fn unknown_keys(
        &mut self,
        t: &DeTable<'_>,
        known: &[&'static str],
        what: &str,
    ) -> Vec<&'static str> {
        let mut meant = Vec::new();
        for key in t.keys() {
            let k = key.get_ref().as_ref();
            if !known.contains(&k) {
                let guess = closest(k, known.iter().copied())
                    .filter(|g| !t.contains_key(*g))
                    .and_then(|g| known.iter().copied().find(|c| *c == g));
                let h = guess
                    .map(|g| format!("; did you mean `{g}`?"))
                    .unwrap_or_default();
                meant.extend(guess);
                self.diag
                    .at(&key.span(), format!("unknown {what} `{k}`{h}"));
            }
        }
        meant
    }

    fn string(&mut self, t: &DeTable<'_>, key: &str) -> Option<Loc<String>> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(loc(s.to_string(), v.span())),
            other => {
                self.wrong_kind(v.span(), &format!("`{key}`"), "a string", other);
                None
            }
        }
    }

    fn bool(&mut self, t: &DeTable<'_>, key: &str) -> Option<bool> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.wrong_kind(v.span(), &format!("`{key}`"), "`true` or `false`", other);
                None
            }
        }
    }

    fn strings(&mut self, t: &DeTable<'_>, key: &str) -> Option<Vec<Loc<String>>> {
        let v = t.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_kind(
                v.span(),
                &format!("`{key}`"),
                "an array of strings",
                v.get_ref(),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(loc(s.to_string(), item.span())),
                other => self.wrong_kind(
                    item.span(),
                    &format!("an item of `{key}`"),
                    "a string",
                    other,
                ),
            }
        }
        Some(out)
    }

    fn table<'t, 'i>(&mut self, t: &'t DeTable<'i>, key: &str) -> Option<&'t DeTable<'i>> {
        let v = t.get(key)?;
        self.expect_table(v, &format!("`{key}`"))
    }

    fn expect_table<'t, 'i>(&mut self, v: &'t Value<'i>, what: &str) -> Option<&'t DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.wrong_kind(v.span(), what, "a table", other);
                None
            }
        }
    }

    fn wrong_kind(&mut self, span: Range<usize>, what: &str, expected: &str, found: &DeValue<'_>) {
        self.diag.at(
            &span,
            format!("{what} must be {expected}, found {}", kind(found)),
        );
    }
}

fn replace_enum(ty: Ty, name: &str) -> Ty {
    match ty {
        Ty::Enum(_) => Ty::Enum(name.to_string()),
        Ty::List(t) => Ty::List(Box::new(replace_enum(*t, name))),
        Ty::Map(t) => Ty::Map(Box::new(replace_enum(*t, name))),
        other => other,
    }
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn hint<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    closest(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

fn loc<T>(value: T, span: Range<usize>) -> Loc<T> {
    Loc { value, span }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// Renders a TOML table as JSON text (the example request in wire form).
fn json_table(t: &DeTable<'_>) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in t.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(&mut out, k.get_ref());
        out.push(':');
        json_value(&mut out, v.get_ref());
    }
    out.push('}');
    out
}

fn json_value(out: &mut String, v: &DeValue<'_>) {
    match v {
        DeValue::String(s) => json_string(out, s),
        DeValue::Integer(i) => out.push_str(&i.as_str().replace('_', "")),
        DeValue::Float(f) => out.push_str(&f.as_str().replace('_', "")),
        DeValue::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        DeValue::Datetime(d) => json_string(out, &d.to_string()),
        DeValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_value(out, item.get_ref());
            }
            out.push(']');
        }
        DeValue::Table(t) => out.push_str(&json_table(t)),
    }
}

fn json_string(out: &mut String, s: &str) {
    out.push_str(&crate::json::string(s));
}

/// The spec's spelling of a type written the way Rust or another language spells it
/// (`Vec<String>` → `list<string>`, `string[]` → `list<string>`, `i64` → `int`); `None` when the
/// text has no such spelling in it.
pub fn foreign_spelling(raw: &str) -> Option<String> {
    let respelt = respell(raw)?;
    (respelt != raw).then_some(respelt)
}

/// Type names Rust or other languages use, with the spec's spelling; none may name a spec type.
pub const FOREIGN_NAMES: &[(&str, &str)] = &[
    ("String", "string"),
    ("Str", "string"),
    ("&str", "string"),
    ("Text", "string"),
    ("Bool", "bool"),
    ("Boolean", "bool"),
    ("Int", "int"),
    ("Integer", "int"),
    ("Number", "int"),
    ("i8", "int"),
    ("i16", "int"),
    ("i32", "int"),
    ("i64", "int"),
    ("i128", "int"),
    ("isize", "int"),
    ("u8", "int"),
    ("u16", "int"),
    ("u32", "int"),
    ("u64", "int"),
    ("u128", "int"),
    ("usize", "int"),
    ("Float", "float"),
    ("Double", "float"),
    ("f32", "float"),
    ("f64", "float"),
    ("Decimal", "money"),
    ("Money", "money"),
    ("Date", "date"),
    ("NaiveDate", "date"),
    ("DateTime", "datetime"),
    ("Datetime", "datetime"),
    ("NaiveDateTime", "datetime"),
    ("Timestamp", "datetime"),
    ("Secret", "secret"),
    ("SecretString", "secret"),
    ("Json", "json"),
    ("JsonValue", "json"),
    ("Value", "json"),
];

fn respell(s: &str) -> Option<String> {
    if let Some(inner) = s.strip_suffix("[]") {
        return Some(format!("list<{}>", respell(inner)?));
    }
    if let Some(open) = s.find('<') {
        let inner = s[open + 1..].strip_suffix('>')?;
        let args = split_args(inner)
            .into_iter()
            .map(respell)
            .collect::<Option<Vec<String>>>()?;
        let last = args.last()?.clone();
        let outer = &s[..open];
        return Some(match outer {
            "list" | "map" | "csv" | "numbered" if args.len() == 1 => format!("{outer}<{last}>"),
            "Vec" | "vec" | "Array" | "array" | "List" | "HashSet" | "BTreeSet" | "IndexSet"
            | "Set" | "set" | "VecDeque" | "Sequence" | "seq" => format!("list<{last}>"),
            "HashMap" | "BTreeMap" | "IndexMap" | "Map" | "dict" | "Dict" | "hash" | "Hash"
            | "object" | "Object" | "Record" => format!("map<{last}>"),
            "Option" | "Box" | "Rc" | "Arc" | "Cow" | "Nullable" | "Optional"
                if args.len() == 1 =>
            {
                last
            }
            _ => return None,
        });
    }
    Some(
        FOREIGN_NAMES
            .iter()
            .find(|(foreign, _)| *foreign == s)
            .map_or(s, |(_, ours)| ours)
            .to_string(),
    )
}

/// Splits `a,b<c,d>` at its top-level commas.
fn split_args(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The example request table with its positions.
fn example_table(t: &DeTable<'_>) -> Vec<(Loc<String>, Loc<ExampleValue>)> {
    t.iter()
        .map(|(k, v)| {
            (
                loc(k.get_ref().to_string(), k.span()),
                loc(example_value(v.get_ref()), v.span()),
            )
        })
        .collect()
}

fn example_value(v: &DeValue<'_>) -> ExampleValue {
    match v {
        DeValue::String(s) => ExampleValue::String(s.to_string()),
        DeValue::Integer(i) => ExampleValue::Integer(i.as_str().replace('_', "")),
        DeValue::Float(f) => ExampleValue::Float(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => ExampleValue::Bool(*b),
        DeValue::Datetime(d) => ExampleValue::Datetime(d.to_string()),
        DeValue::Array(items) => ExampleValue::Array(
            items
                .iter()
                .map(|i| loc(example_value(i.get_ref()), i.span()))
                .collect(),
        ),
        DeValue::Table(t) => ExampleValue::Table(example_table(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::foreign_spelling;

    #[test]
    fn rust_spellings_are_respelt() {
        assert_eq!(foreign_spelling("String").as_deref(), Some("string"));
        assert_eq!(
            foreign_spelling("Vec<String>").as_deref(),
            Some("list<string>")
        );
        assert_eq!(
            foreign_spelling("string[]").as_deref(),
            Some("list<string>")
        );
        assert_eq!(
            foreign_spelling("list<String>").as_deref(),
            Some("list<string>")
        );
        assert_eq!(
            foreign_spelling("HashMap<String,Vec<i64>>").as_deref(),
            Some("map<list<int>>")
        );
        assert_eq!(
            foreign_spelling("Option<Invoice>").as_deref(),
            Some("Invoice")
        );
        assert_eq!(foreign_spelling("list<int>"), None);
        assert_eq!(foreign_spelling("strng"), None);
        assert_eq!(foreign_spelling("Invoice"), None);
    }
}
