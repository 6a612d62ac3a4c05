//! The spec model: what a spec file says, after loading and before code generation.

use std::collections::BTreeSet;
use std::ops::Range;

/// A value together with where it was written in the spec.
#[derive(Clone, Debug)]
pub(crate) struct Loc<T> {
    pub(crate) value: T,
    pub(crate) span: Range<usize>,
}

/// How an action changes the WHMCS state; decides whether a call may be sent twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    Read,
    Write,
    Destructive,
    Financial,
}

/// One action spec file (or a file of shared types, which has no `action`).
#[derive(Debug, Default)]
pub(crate) struct Spec {
    pub(crate) action: Option<Loc<String>>,
    pub(crate) category: Option<Loc<String>>,
    pub(crate) effect: Option<Loc<Effect>>,
    pub(crate) summary: Option<Loc<String>>,
    pub(crate) reference: Option<Loc<String>>,
    pub(crate) since: Option<String>,
    pub(crate) paged: bool,
    pub(crate) request: Vec<Field>,
    pub(crate) response: Vec<Field>,
    pub(crate) types: Vec<TypeDef>,
    pub(crate) enums: Vec<EnumDef>,
    pub(crate) errors: Vec<ErrorDef>,
    pub(crate) require_any: Vec<RequireAny>,
    pub(crate) example_request: Option<String>,
    pub(crate) example_response: Option<String>,
    /// The top-level keys the file has, valid or not (so a bad value is not also "missing").
    pub(crate) keys: BTreeSet<String>,
}

impl Spec {
    /// The nested types and enums that `fields` can contain, directly or through other types.
    pub(crate) fn reachable(&self, fields: &[Field]) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let mut todo: Vec<&Field> = fields.iter().collect();
        while let Some(f) = todo.pop() {
            if let Some(e) = f.ty.value.enum_name() {
                out.insert(e.to_string());
            }
            if let Some(n) = f.ty.value.named()
                && out.insert(n.to_string())
                && let Some(t) = self.types.iter().find(|t| t.name.value == n)
            {
                todo.extend(t.fields.iter());
            }
        }
        out
    }
}

/// A request parameter, response field or field of a nested type.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    /// The wire name (for `{n}` patterns, with the `{n}` kept).
    pub(crate) wire: Loc<String>,
    /// The Rust field name.
    pub(crate) rust: String,
    /// Where the Rust name comes from: the `rust = "…"` value, or the key itself.
    pub(crate) rust_span: Range<usize>,
    pub(crate) ty: Loc<Ty>,
    pub(crate) required: bool,
    pub(crate) doc: Option<String>,
    pub(crate) deprecated: Option<String>,
    pub(crate) since: Option<String>,
    pub(crate) missing: Option<Loc<String>>,
    pub(crate) not_found: Option<Loc<String>>,
    pub(crate) wrapper: Option<String>,
    /// Prefix of a `name{n}` pattern field.
    pub(crate) pattern: Option<String>,
}

/// A field type as written in the spec, with named references resolved later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    String,
    Secret,
    Int,
    Float,
    Money,
    Bool,
    Date,
    DateTime,
    Json,
    Serialized,
    /// An enum, by its generated name.
    Enum(String),
    List(Box<Ty>),
    Map(Box<Ty>),
    Numbered(String),
    /// A nested struct type, by name.
    Named(String),
}

impl Ty {
    /// The innermost named type this type refers to, if any.
    pub(crate) fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(n) | Ty::Numbered(n) => Some(n),
            Ty::List(t) | Ty::Map(t) => t.named(),
            _ => None,
        }
    }

    pub(crate) fn enum_name(&self) -> Option<&str> {
        match self {
            Ty::Enum(n) => Some(n),
            Ty::List(t) | Ty::Map(t) => t.enum_name(),
            _ => None,
        }
    }

    /// The name used for this type in `whmcs describe` and messages.
    pub(crate) fn wire_name(&self) -> String {
        match self {
            Ty::String => "string".into(),
            Ty::Secret => "secret".into(),
            Ty::Int => "int".into(),
            Ty::Float => "float".into(),
            Ty::Money => "money".into(),
            Ty::Bool => "bool".into(),
            Ty::Date => "date".into(),
            Ty::DateTime => "datetime".into(),
            Ty::Json => "json".into(),
            Ty::Serialized => "serialized".into(),
            Ty::Enum(_) => "enum".into(),
            Ty::List(t) => format!("list<{}>", t.wire_name()),
            Ty::Map(t) => format!("map<{}>", t.wire_name()),
            Ty::Numbered(n) => format!("numbered<{n}>"),
            Ty::Named(n) => n.clone(),
        }
    }
}

/// A nested struct type (`[types.Name]`).
#[derive(Clone, Debug)]
pub(crate) struct TypeDef {
    pub(crate) name: Loc<String>,
    pub(crate) doc: Option<String>,
    pub(crate) fields: Vec<Field>,
}

/// An enum with its allowed wire values.
#[derive(Clone, Debug)]
pub(crate) struct EnumDef {
    pub(crate) name: Loc<String>,
    pub(crate) doc: Option<String>,
    pub(crate) values: Vec<Loc<String>>,
    /// Used in a response, so it needs an `Other(String)` fallback.
    pub(crate) open: bool,
}

/// A documented error message and the variant it maps to.
#[derive(Clone, Debug)]
pub(crate) struct ErrorDef {
    pub(crate) variant: Loc<String>,
    pub(crate) message: Loc<String>,
}

impl ErrorDef {
    /// The fixed parts of the message and the names of its `{placeholders}`.
    pub(crate) fn template(&self) -> (Vec<String>, Vec<String>) {
        let mut parts = vec![String::new()];
        let mut names = Vec::new();
        let mut rest = self.message.value.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            if let Some(p) = parts.last_mut() {
                p.push_str(&rest[..open])
            }
            names.push(rest[open + 1..open + close].to_string());
            parts.push(String::new());
            rest = &rest[open + close + 1..];
        }
        if let Some(p) = parts.last_mut() {
            p.push_str(rest);
        }
        (parts, names)
    }
}

/// At least one of these parameters must be given, or WHMCS answers `error`.
#[derive(Clone, Debug)]
pub(crate) struct RequireAny {
    pub(crate) params: Vec<Loc<String>>,
    pub(crate) error: Loc<String>,
}
