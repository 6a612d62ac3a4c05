//! The spec model: what a spec file says, after loading and before code generation.

use std::collections::BTreeSet;
use std::ops::Range;

/// A value together with where it was written in the spec.
#[derive(Clone, Debug)]
pub struct Loc<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the spec source.
    pub span: Range<usize>,
}

/// How an action changes the WHMCS state; decides whether a call may be sent twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Only reads.
    Read,
    /// Creates or changes records.
    Write,
    /// Deletes or terminates.
    Destructive,
    /// Moves money.
    Financial,
}

impl Effect {
    /// The spec's name for the class.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Read => "read",
            Effect::Write => "write",
            Effect::Destructive => "destructive",
            Effect::Financial => "financial",
        }
    }
}

/// One action spec file (or a file of shared types, which has no `action`).
#[derive(Debug, Default)]
pub struct Spec {
    /// The WHMCS action name (`None` for a shared-types file).
    pub action: Option<Loc<String>>,
    /// The API index category.
    pub category: Option<Loc<String>>,
    /// The side-effect class.
    pub effect: Option<Loc<Effect>>,
    /// One line in our own words.
    pub summary: Option<Loc<String>>,
    /// The reference page URL.
    pub reference: Option<Loc<String>>,
    /// The WHMCS version that added the action.
    pub since: Option<String>,
    /// Whether it takes `limitstart`/`limitnum`.
    pub paged: bool,
    /// Request parameters, in the order they are sent.
    pub request: Vec<Field>,
    /// Response fields.
    pub response: Vec<Field>,
    /// Nested shapes (`[types.Name]`).
    pub types: Vec<TypeDef>,
    /// Enums, named and inline.
    pub enums: Vec<EnumDef>,
    /// Documented error messages.
    pub errors: Vec<ErrorDef>,
    /// Groups of parameters of which one must be given.
    pub require_any: Vec<RequireAny>,
    /// The example request in wire form, as JSON text.
    pub example_request: Option<String>,
    /// The example request as written, with positions (for checking it against the parameters).
    pub example_request_table: Option<Loc<ExampleTable>>,
    /// The example response, as JSON text.
    pub example_response: Option<String>,
    /// Where the example response is written.
    pub example_response_span: Option<Range<usize>>,
    /// The top-level keys the file has, valid or not (so a bad value is not also "missing"),
    /// and keys a misspelt key was taken for (so a typo is not also reported as "missing").
    pub keys: BTreeSet<String>,
}

/// The keys and values of a table in the `[example]` request, with their positions.
pub type ExampleTable = Vec<(Loc<String>, Loc<ExampleValue>)>;

/// A value of the `[example]` request, as TOML wrote it.
#[derive(Clone, Debug)]
pub enum ExampleValue {
    /// Text.
    String(String),
    /// An integer, as written.
    Integer(String),
    /// A float, as written.
    Float(String),
    /// `true` or `false`.
    Bool(bool),
    /// A TOML date or datetime, as written.
    Datetime(String),
    /// An array.
    Array(Vec<Loc<ExampleValue>>),
    /// A table.
    Table(ExampleTable),
}

impl Spec {
    /// Every field: request, response, and those of the nested types.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.request
            .iter()
            .chain(&self.response)
            .chain(self.types.iter().flat_map(|t| &t.fields))
    }

    /// The nested types and enums that `fields` can contain, directly or through other types.
    pub fn reachable(&self, fields: &[Field]) -> BTreeSet<String> {
        reachable(&self.types, fields)
    }
}

/// The nested types and enums that `fields` can contain, directly or through `types`.
pub(crate) fn reachable(types: &[TypeDef], fields: &[Field]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo: Vec<&Field> = fields.iter().collect();
    while let Some(f) = todo.pop() {
        if let Some(e) = f.ty.value.enum_name() {
            out.insert(e.to_string());
        }
        if let Some(n) = f.ty.value.named()
            && out.insert(n.to_string())
            && let Some(t) = types.iter().find(|t| t.name.value == n)
        {
            todo.extend(t.fields.iter());
        }
    }
    out
}

/// A request parameter, response field or field of a nested type.
#[derive(Clone, Debug)]
pub struct Field {
    /// The wire name (for `{n}` patterns, with the `{n}` kept).
    pub wire: Loc<String>,
    /// The Rust field name.
    pub rust: String,
    /// Where the Rust name comes from: the `rust = "…"` value, or the key itself.
    pub rust_span: Range<usize>,
    /// The type.
    pub ty: Loc<Ty>,
    /// For a request parameter, whether it must be given; for an answer field, whether WHMCS
    /// always sends it on success.
    pub required: bool,
    /// A short description.
    pub doc: Option<String>,
    /// Why it is deprecated (empty when no note was given).
    pub deprecated: Option<String>,
    /// The WHMCS version that added it.
    pub since: Option<String>,
    /// The error WHMCS answers when it is absent.
    pub missing: Option<Loc<String>>,
    /// `empty_allowed = true`: an empty value is a value, so `missing` is answered only when the
    /// parameter is left out (by default an empty value counts as left out).
    pub empty_allowed: Option<Loc<bool>>,
    /// The error WHMCS answers when the id it names does not exist.
    pub not_found: Option<Loc<String>>,
    /// What kind of record the id names (`client`, `service`, …), for `not_found` checks where
    /// the parameter's name does not say (`id`, or `userid` meaning a client).
    pub entity: Option<Loc<String>>,
    /// The key a wrapped list sits under.
    pub wrapper: Option<String>,
    /// Prefix of a `name{n}` pattern field.
    pub pattern: Option<String>,
}

/// A field type as written in the spec, with named references resolved later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Text.
    String,
    /// Secret text.
    Secret,
    /// An integer.
    Int,
    /// A float (exact decimal in requests).
    Float,
    /// An exact decimal amount.
    Money,
    /// A boolean.
    Bool,
    /// A date.
    Date,
    /// A date and time.
    DateTime,
    /// Free-form JSON.
    Json,
    /// Base64 of a PHP-serialized array.
    Serialized,
    /// An enum, by its generated name.
    Enum(String),
    /// A list.
    List(Box<Ty>),
    /// A list sent as one text, its items joined by commas (`"4,6"`).
    Csv(Box<Ty>),
    /// A map from names to values.
    Map(Box<Ty>),
    /// Numbered keys (`name1`, `name2`, …) of a named type.
    Numbered(String),
    /// A nested struct type, by name.
    Named(String),
}

impl Field {
    /// Whether an empty value counts as given (`empty_allowed = true`).
    pub fn allows_empty(&self) -> bool {
        self.empty_allowed.as_ref().is_some_and(|e| e.value)
    }
}

impl Ty {
    /// The innermost named type this type refers to, if any.
    pub fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(n) | Ty::Numbered(n) => Some(n),
            Ty::List(t) | Ty::Map(t) => t.named(),
            _ => None,
        }
    }

    /// The enum this type refers to, directly or as list/map items.
    pub fn enum_name(&self) -> Option<&str> {
        match self {
            Ty::Enum(n) => Some(n),
            Ty::List(t) | Ty::Map(t) => t.enum_name(),
            _ => None,
        }
    }

    /// The type as written in a spec (`list<int>`), for `whmcs describe` and messages.
    pub fn spec_name(&self) -> String {
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
            Ty::List(t) => format!("list<{}>", t.spec_name()),
            Ty::Csv(t) => format!("csv<{}>", t.spec_name()),
            Ty::Map(t) => format!("map<{}>", t.spec_name()),
            Ty::Numbered(n) => format!("numbered<{n}>"),
            Ty::Named(n) => n.clone(),
        }
    }
}

/// A nested struct type (`[types.Name]`).
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// The type name.
    pub name: Loc<String>,
    /// A short description.
    pub doc: Option<String>,
    /// Its fields.
    pub fields: Vec<Field>,
}

/// An enum with its allowed wire values.
#[derive(Clone, Debug)]
pub struct EnumDef {
    /// The enum name.
    pub name: Loc<String>,
    /// A short description.
    pub doc: Option<String>,
    /// The allowed wire values.
    pub values: Vec<Loc<String>>,
    /// Used in a response, so it needs an `Other(String)` fallback.
    pub open: bool,
    /// Where the enum was declared.
    pub origin: EnumOrigin,
}

/// How an enum came to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumOrigin {
    /// Under `[enums.Name]`.
    Declared,
    /// Inline, with `values = [...]` on a field.
    Inline {
        /// The field's wire name.
        field: String,
        /// Whether `enum = "..."` gave the name (otherwise it was generated).
        named: bool,
    },
}

/// A documented error message and the variant it maps to.
#[derive(Clone, Debug)]
pub struct ErrorDef {
    /// The variant name.
    pub variant: Loc<String>,
    /// The message, with `{placeholders}`.
    pub message: Loc<String>,
}

impl ErrorDef {
    /// The fixed parts of the message and the names of its `{placeholders}`.
    pub fn template(&self) -> (Vec<String>, Vec<String>) {
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
pub struct RequireAny {
    /// The parameters.
    pub params: Vec<Loc<String>>,
    /// The error variant WHMCS answers when none is given.
    pub error: Loc<String>,
}
