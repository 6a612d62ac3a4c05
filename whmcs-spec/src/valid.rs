//! Semantic rules of a spec: names, references between its parts, what goes where, and what
//! the generated code or the Rust compiler could not take. Every rule reports at the spec
//! position it is about, with what would be right.

mod example;
mod template;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use crate::diag::{Diag, Severity, closest};
use crate::load::FOREIGN_NAMES;
use crate::model::{EnumDef, EnumOrigin, Field, Loc, Spec, Ty, TypeDef};
use crate::naming;

const CATEGORIES: &[&str] = &[
    "orders",
    "billing",
    "module",
    "support",
    "system",
    "client",
    "products",
    "project_management",
    "users",
    "affiliates",
    "authentication",
    "domains",
    "servers",
    "tickets",
    "service",
    "addons",
];

/// Most fields one generated struct (request, answer or nested type) may have. Much larger
/// structs overflow rustc's stack while it compiles the generated code (it crashes at about
/// 3,000 request parameters); real WHMCS actions have fewer than 150.
pub const MAX_FIELDS: usize = 1000;
/// Most values one enum may list.
pub const MAX_ENUM_VALUES: usize = 1000;
/// Most error messages one spec may list.
pub const MAX_ERRORS: usize = 1000;
/// Most nested types and enums one spec may define.
pub const MAX_TYPES: usize = 1000;

/// Wire names every request already carries: the client sends them itself.
const RESERVED_WIRE: &[(&str, &str)] = &[
    ("action", "the action's name"),
    ("responsetype", "the answer format, `json`"),
    ("identifier", "an API credential"),
    ("secret", "an API credential"),
    ("username", "an API credential"),
    ("password", "an API credential"),
    ("accesskey", "the API access key"),
];

/// Names defined outside the spec, in the shared `types/` directory.
#[derive(Clone, Debug, Default)]
pub struct Shared {
    /// Shared type names.
    pub types: BTreeSet<String>,
    /// Shared enum names.
    pub enums: BTreeSet<String>,
    /// The shared types themselves, for rules that look inside them.
    pub defs: Vec<TypeDef>,
    /// The values of each shared enum.
    pub values: BTreeMap<String, Vec<String>>,
    /// The file each shared name is defined in, as messages name it.
    pub files: BTreeMap<String, String>,
}

impl Shared {
    /// Whether `name` is a shared type or enum.
    pub fn contains(&self, name: &str) -> bool {
        self.types.contains(name) || self.enums.contains(name)
    }

    /// Adds what a loaded shared-types file defines; `file` is how messages name it.
    pub fn add(&mut self, spec: &Spec, file: &str) {
        for t in &spec.types {
            self.types.insert(t.name.value.clone());
            self.files
                .entry(t.name.value.clone())
                .or_insert_with(|| file.to_string());
            self.defs.push(t.clone());
        }
        for e in &spec.enums {
            self.enums.insert(e.name.value.clone());
            self.files
                .entry(e.name.value.clone())
                .or_insert_with(|| file.to_string());
            self.values.insert(
                e.name.value.clone(),
                e.values.iter().map(|v| v.value.clone()).collect(),
            );
        }
    }

    fn where_defined(&self, name: &str) -> String {
        self.files
            .get(name)
            .map_or_else(|| "`types/`".to_string(), |f| format!("`{f}`"))
    }
}

/// How strictly to judge what is not wrong but not finished either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// How a `summary` left as the importer's `TODO` placeholder is reported: a warning when
    /// checking, an error when building the actions of a crate from a directory.
    pub todo_summary: Severity,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            todo_summary: Severity::Warning,
        }
    }
}

/// Checks `spec`, reporting every problem to `diag`; changes nothing (see [`crate::resolve`]).
pub fn check(spec: &Spec, shared: &Shared, diag: &mut Diag<'_>, is_action: bool) {
    check_with(spec, shared, diag, is_action, Rules::default());
}

/// [`check`] with explicit [`Rules`].
pub fn check_with(
    spec: &Spec,
    shared: &Shared,
    diag: &mut Diag<'_>,
    is_action: bool,
    rules: Rules,
) {
    if is_action && spec.keys.is_empty() {
        diag.at(
            &(0..0),
            "the spec is empty: an action spec needs at least `action`, `category`, `effect`, `summary` and `reference` (see specs/README.md)",
        );
        return;
    }
    if is_action {
        top(spec, diag, rules);
    }
    names(spec, shared, diag, is_action);
    enum_values(spec, diag);
    let variants: BTreeSet<String> = spec
        .errors
        .iter()
        .map(|e| e.variant.value.clone())
        .collect();
    errors(spec, diag);
    fields(
        &spec.request,
        "request parameter",
        Place::Params,
        &variants,
        diag,
    );
    fields(
        &spec.response,
        "response field",
        Place::Answer,
        &variants,
        diag,
    );
    let response_types = spec.reachable(&spec.response);
    for t in &spec.types {
        let what = format!("field of type `{}`", t.name.value);
        // Shared type files describe answers; in an action spec a type follows its use.
        let request_side = is_action && !response_types.contains(&t.name.value);
        let place = if request_side {
            Place::RequestNested
        } else {
            Place::Nested
        };
        fields(&t.fields, &what, place, &variants, diag);
    }
    recursion(spec, shared, diag);
    limits(spec, diag);
    let request_names: HashSet<&str> = spec.request.iter().map(|f| f.wire.value.as_str()).collect();
    for r in &spec.require_any {
        for p in &r.params {
            if !request_names.contains(p.value.as_str()) {
                diag.at(
                    &p.span,
                    format!(
                        "`require_any` names `{}`, which is not a request parameter",
                        p.value
                    ),
                );
            }
        }
        variant_ref(&r.error, &variants, diag);
    }
    if is_action {
        example::check(spec, shared, diag);
    }
}

fn top(spec: &Spec, diag: &mut Diag<'_>, rules: Rules) {
    let whole = 0..0;
    // A key that is there but has a bad value was already reported by `load`.
    let absent = |key: &str| !spec.keys.contains(key);
    match &spec.action {
        None if !absent("action") => {}
        None => diag.at(&whole, "missing required key `action`, the WHMCS action name (e.g. `action = \"GetInvoices\"`)"),
        Some(a) if !naming::is_type_name(&a.value) => diag.at(&a.span, format!("`{}` is not a valid action name: use the documented CamelCase name, e.g. `{}`", shown(&a.value), type_name_like(&a.value))),
        Some(_) => {}
    }
    match &spec.category {
        None if !absent("category") => {}
        None => diag.at(
            &whole,
            "missing required key `category` (one of the API index groups, e.g. `billing`)",
        ),
        Some(c) if !CATEGORIES.contains(&c.value.as_str()) => {
            let h = closest(&c.value, CATEGORIES.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            diag.at(
                &c.span,
                format!("unknown category `{}`{h}", shown(&c.value)),
            );
        }
        Some(_) => {}
    }
    if spec.effect.is_none() && absent("effect") {
        diag.at(
            &whole,
            "missing required key `effect` (`read`, `write`, `destructive` or `financial`)",
        );
    }
    match &spec.summary {
        None if !absent("summary") => {}
        None => diag.at(
            &whole,
            "missing required key `summary`, one line in our own words",
        ),
        Some(s) if s.value.trim().is_empty() || s.value.contains('\n') => {
            diag.at(&s.span, "`summary` must be a single non-empty line")
        }
        Some(s) if s.value.trim_start().to_ascii_uppercase().starts_with("TODO") => diag.push(
            rules.todo_summary,
            &s.span,
            "`summary` is still a `TODO` placeholder: write one line, in your own words, on what the action does",
        ),
        Some(_) => {}
    }
    match &spec.reference {
        None if !absent("reference") => {}
        None => diag.at(
            &whole,
            "missing required key `reference`, the URL of the action's reference page",
        ),
        Some(r) if !r.value.starts_with("https://") => diag.at(
            &r.span,
            format!("`reference` must be an https URL, found `{}`", r.value),
        ),
        Some(_) => {}
    }
}

/// What a name is used for, for messages about two uses of one name.
struct NameUse<'s> {
    name: &'s Loc<String>,
    what: String,
    origin: Option<&'s EnumOrigin>,
}

/// Reports type and enum names that are invalid, taken twice (by declarations, generated names
/// or shared types), or referred to but defined nowhere.
fn names(spec: &Spec, shared: &Shared, diag: &mut Diag<'_>, is_action: bool) {
    let (enums, types) = known_names(spec, shared);
    let line = |diag: &Diag<'_>, span: &Range<usize>| {
        diag.location(span.start)
            .rsplit(':')
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    let mut uses: Vec<NameUse<'_>> = spec
        .types
        .iter()
        .map(|t| NameUse {
            name: &t.name,
            what: format!(
                "`[types.{}]` (line {})",
                t.name.value,
                line(diag, &t.name.span)
            ),
            origin: None,
        })
        .chain(
            spec.enums
                .iter()
                .map(|e| enum_use(e, &line(diag, &e.name.span))),
        )
        .collect();
    // Declared names first: where a generated name clashes, the generated one is to change.
    uses.sort_by_key(|u| {
        let rank = match u.origin {
            None | Some(EnumOrigin::Declared) => 0,
            Some(EnumOrigin::Inline { named: true, .. }) => 1,
            Some(EnumOrigin::Inline { named: false, .. }) => 2,
        };
        (rank, u.name.span.start)
    });
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    if let Some(a) = spec.action.as_ref().filter(|_| is_action) {
        let required = spec.request.iter().filter(|f| f.required).count();
        let mut generated = vec![
            (a.value.clone(), "the action's request type"),
            (format!("{}Response", a.value), "the generated answer type"),
            (format!("{}Error", a.value), "the generated error enum"),
        ];
        if required > 3 {
            generated.push((
                format!("{}Required", a.value),
                "the generated struct of required parameters",
            ));
        }
        for (n, what) in generated {
            taken.insert(n, what.to_string());
        }
    }
    for u in &uses {
        let name = &u.name.value;
        let valid = naming::is_type_name(name);
        if !valid {
            diag.at(
                &u.name.span,
                format!(
                    "`{}` is not a valid type name: use CamelCase, e.g. `{}`",
                    shown(name),
                    type_name_like(name)
                ),
            );
        } else if let Some((_, ours)) = FOREIGN_NAMES.iter().find(|(f, _)| f == name) {
            diag.at(
                &u.name.span,
                format!("`{name}` cannot name a type: it reads as the built-in type the spec spells `{ours}`; pick another name"),
            );
        }
        let clash = taken.get(name).cloned().or_else(|| {
            (is_action && shared.contains(name)).then(|| {
                let kind = if shared.enums.contains(name) {
                    "enum"
                } else {
                    "type"
                };
                format!("a shared {kind} in {}", shared.where_defined(name))
            })
        });
        match (clash, u.origin) {
            (Some(other), Some(EnumOrigin::Inline { field, named: false })) => diag.at(
                &u.name.span,
                format!("the enum of `{field}` gets the generated name `{name}`, which {other} already uses: choose another name with `enum = \"…\"`"),
            ),
            (Some(other), Some(EnumOrigin::Inline { named: true, .. }))
                if is_action && shared.contains(name) && !taken.contains_key(name) =>
            {
                diag.at(
                    &u.name.span,
                    format!("enum `{name}` is already {other}: use it with `type = \"{name}\"` (without `values`), or choose another name with `enum = \"…\"`"),
                )
            }
            (Some(other), Some(EnumOrigin::Inline { named: true, .. })) => diag.at(
                &u.name.span,
                format!("enum name `{name}` is already used by {other}: choose another with `enum = \"…\"`"),
            ),
            (Some(other), _) if other.starts_with("`[") => diag.at(
                &u.name.span,
                format!("type `{name}` is defined twice: {other} already defines it"),
            ),
            (Some(other), _) => diag.at(
                &u.name.span,
                format!("`{name}` is already {other}: pick another name"),
            ),
            (None, _) => {
                taken.insert(name.clone(), u.what.clone());
            }
        }
    }
    let check_ref = |f: &Field, diag: &mut Diag<'_>| {
        if let Err(name) = resolve_ty(&f.ty.value, &enums, &types) {
            let candidates: Vec<&str> = types
                .iter()
                .chain(enums.iter())
                .map(String::as_str)
                .collect();
            let h = closest(&name, candidates)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            diag.at(
                &f.ty.span,
                format!(
                    "unknown type `{name}`: define it under `[types.{name}]` or `[enums.{name}]`{h}"
                ),
            );
        }
    };
    for f in spec.fields() {
        check_ref(f, diag);
    }
}

fn enum_use<'s>(e: &'s EnumDef, line: &str) -> NameUse<'s> {
    let what = match &e.origin {
        EnumOrigin::Declared => format!("`[enums.{}]` (line {line})", e.name.value),
        EnumOrigin::Inline { field, named: true } => {
            format!(
                "the enum `enum = \"{}\"` names on `{field}` (line {line})",
                e.name.value
            )
        }
        EnumOrigin::Inline {
            field,
            named: false,
        } => format!("the enum generated for `{field}` (line {line})"),
    };
    NameUse {
        name: &e.name,
        what,
        origin: Some(&e.origin),
    }
}

/// A CamelCase spelling of `s` to suggest.
fn type_name_like(s: &str) -> String {
    let c = naming::camel(s);
    if c.is_empty() { "MyType".into() } else { c }
}

/// `s` with invisible characters written as escapes, so a message shows them.
pub(crate) fn shown(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if naming::invisible(c).is_some() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The enum and type names a spec can refer to: its own and the shared ones.
pub(crate) fn known_names(spec: &Spec, shared: &Shared) -> (BTreeSet<String>, BTreeSet<String>) {
    let enums = spec
        .enums
        .iter()
        .map(|e| e.name.value.clone())
        .chain(shared.enums.iter().cloned())
        .collect();
    let types = spec
        .types
        .iter()
        .map(|t| t.name.value.clone())
        .chain(shared.types.iter().cloned())
        .collect();
    (enums, types)
}

/// `ty` with named references to enums made `Enum`; `Err` names a reference defined nowhere.
pub(crate) fn resolve_ty(
    ty: &Ty,
    enums: &BTreeSet<String>,
    types: &BTreeSet<String>,
) -> Result<Ty, String> {
    Ok(match ty {
        Ty::Named(n) if enums.contains(n) => Ty::Enum(n.clone()),
        Ty::Named(n) | Ty::Numbered(n) if !types.contains(n) => return Err(n.clone()),
        Ty::List(t) => Ty::List(Box::new(resolve_ty(t, enums, types)?)),
        Ty::Map(t) => Ty::Map(Box::new(resolve_ty(t, enums, types)?)),
        other => other.clone(),
    })
}

/// The variant name the generator gives an enum value.
pub fn variant_name(value: &str) -> String {
    let base = naming::camel(value);
    if base.is_empty() {
        "Empty".into()
    } else {
        base
    }
}

/// Values listed twice, values that become the same variant, and values with characters that
/// cannot be seen or spelt in a variant name.
fn enum_values(spec: &Spec, diag: &mut Diag<'_>) {
    for e in &spec.enums {
        let name = &e.name.value;
        let mut seen: BTreeMap<&str, &Loc<String>> = BTreeMap::new();
        let mut variants: BTreeMap<String, &Loc<String>> = BTreeMap::new();
        for v in &e.values {
            if let Some((i, c)) = v
                .value
                .char_indices()
                .find(|(_, c)| naming::invisible(*c).is_some())
            {
                diag.at(
                    &inner_span(diag.src(), &v.span, &v.value, i),
                    format!(
                        "value `{}` of enum `{name}` holds {}: WHMCS would never send it; retype the value",
                        shown(&v.value),
                        naming::describe_char(c)
                    ),
                );
                continue;
            }
            if let Some(first) = seen.get(v.value.as_str()) {
                diag.at(
                    &v.span,
                    format!(
                        "value `{}` is listed twice in enum `{name}` (first at {}): list each value once",
                        v.value,
                        diag.location(first.span.start)
                    ),
                );
                continue;
            }
            seen.insert(&v.value, v);
            let variant = variant_name(&v.value);
            if !v.value.is_empty()
                && !v.value.is_ascii()
                && !naming::ascii_fold(&v.value)
                    .chars()
                    .any(|c| c.is_ascii_alphanumeric())
            {
                diag.at(
                    &v.span,
                    format!("value `{}` of enum `{name}` has no letters a Rust variant name can spell: the generated code cannot name it", v.value),
                );
                continue;
            }
            if naming::is_keyword(&variant) {
                diag.at(
                    &v.span,
                    format!("value `{}` of enum `{name}` would become the variant `{variant}`, a Rust keyword: the generated code cannot name it", v.value),
                );
                continue;
            }
            if let Some(first) = variants.get(&variant) {
                diag.at(
                    &v.span,
                    format!(
                        "values `{}` and `{}` of enum `{name}` would both become the variant `{variant}`: keep only the spelling WHMCS uses",
                        first.value, v.value
                    ),
                );
                continue;
            }
            variants.insert(variant, v);
        }
    }
}

fn errors(spec: &Spec, diag: &mut Diag<'_>) {
    let mut seen = BTreeSet::new();
    let mut messages: BTreeMap<String, &str> = BTreeMap::new();
    for e in &spec.errors {
        if !naming::is_type_name(&e.variant.value) {
            diag.at(
                &e.variant.span,
                format!(
                    "`{}` is not a valid error variant name: use CamelCase, e.g. `{}`",
                    shown(&e.variant.value),
                    type_name_like(&e.variant.value)
                ),
            );
        } else if e.variant.value == "Unknown" {
            diag.at(
                &e.variant.span,
                "`Unknown` is reserved for messages no spec lists",
            );
        }
        if !seen.insert(e.variant.value.as_str()) {
            diag.at(
                &e.variant.span,
                format!("error variant `{}` is defined twice", e.variant.value),
            );
        }
        if e.message.value.trim().is_empty() {
            diag.at(
                &e.message.span,
                format!("error `{}` has an empty message", e.variant.value),
            );
            continue;
        }
        if let Some((i, c)) = e
            .message
            .value
            .char_indices()
            .find(|(_, c)| naming::invisible(*c).is_some())
        {
            diag.at(
                &inner_span(diag.src(), &e.message.span, &e.message.value, i),
                format!(
                    "the message of error `{}` holds {}: WHMCS's message would never match it; retype it",
                    e.variant.value,
                    naming::describe_char(c)
                ),
            );
        }
        let key = e.message.value.trim().to_lowercase();
        if let Some(first) = messages.get(&key) {
            diag.at(
                &e.message.span,
                format!(
                    "error `{}` has the same message as `{first}`, so WHMCS's answer would always be taken for `{first}`: keep one of the two",
                    e.variant.value
                ),
            );
        } else {
            messages.insert(key, &e.variant.value);
        }
        for (offset, msg) in template::problems(&e.message.value, &e.variant.value) {
            diag.at(
                &inner_span(diag.src(), &e.message.span, &e.message.value, offset),
                msg,
            );
        }
    }
    if spec.errors.len() > MAX_ERRORS {
        diag.at(
            &spec.errors[MAX_ERRORS].variant.span,
            format!(
                "the spec lists {} error messages; at most {MAX_ERRORS} fit in one generated enum: keep the ones WHMCS documents",
                spec.errors.len()
            ),
        );
    }
}

/// The span of the character at byte `offset` of `value`, a string written at `span`: exact when
/// the source spells the value out (no escapes before it), else the start of the string.
pub(crate) fn inner_span(
    src: &str,
    span: &Range<usize>,
    value: &str,
    offset: usize,
) -> Range<usize> {
    let Some(raw) = src.get(span.clone()) else {
        return span.clone();
    };
    let open = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
        3
    } else if raw.starts_with(['\'', '"']) {
        1
    } else {
        0
    };
    let mut start = open;
    if open == 3 {
        if raw[start..].starts_with("\r\n") {
            start += 2;
        } else if raw[start..].starts_with('\n') {
            start += 1;
        }
    }
    let body = &raw[start..];
    let prefix = &value[..offset.min(value.len())];
    // Where an escape comes before the character, the source no longer spells the value out.
    if body.starts_with(prefix) {
        let at = span.start + start + prefix.len();
        at..at + 1
    } else {
        span.clone()
    }
}

/// Where a list of fields sits, which decides what its fields may say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The request parameters.
    Params,
    /// A nested type used in a request.
    RequestNested,
    /// The top-level fields of an answer.
    Answer,
    /// A nested type an answer holds.
    Nested,
}

fn fields(
    list: &[Field],
    what: &str,
    place: Place,
    variants: &BTreeSet<String>,
    diag: &mut Diag<'_>,
) {
    let request = matches!(place, Place::Params | Place::RequestNested);
    let mut rust_names = BTreeMap::new();
    for f in list {
        let wire = &f.wire.value;
        let rust_from_key = f.rust_span == f.wire.span;
        let odd = naming::first_odd_char(wire);
        match odd {
            Some((i, c)) if naming::invisible(c).is_some() => diag.at(
                &inner_span(diag.src(), &f.wire.span, wire, i),
                format!(
                    "{what} `{}` holds {}, which cannot be seen: retype the name in plain characters",
                    shown(wire),
                    naming::describe_char(c)
                ),
            ),
            Some((i, c)) if rust_from_key => diag.at(
                &inner_span(diag.src(), &f.wire.span, wire, i),
                format!(
                    "{what} `{wire}` holds {}, which a Rust name cannot: give it an ASCII name with `rust = \"{}\"`",
                    naming::describe_char(c),
                    snake_like(wire)
                ),
            ),
            _ => {}
        }
        let invisible_wire = matches!(odd, Some((_, c)) if naming::invisible(c).is_some());
        if !(invisible_wire || rust_from_key && odd.is_some())
            && (f.rust != naming::snake(&f.rust) || !naming::is_snake_ident(&f.rust))
        {
            let msg = if let Some(raw) = f.rust.strip_prefix("r#") {
                format!(
                    "raw identifiers such as `{}` are not supported for {what} `{wire}`: use a plain snake_case name, e.g. `rust = \"{}\"`",
                    f.rust,
                    keyword_alternative(raw)
                )
            } else if naming::is_keyword(&f.rust) {
                let alt = keyword_alternative(&f.rust);
                format!(
                    "{what} `{wire}` would be named `{}`, a Rust keyword: add `rust = \"{alt}\"` or another name",
                    f.rust
                )
            } else if let Some((_, c)) = naming::first_odd_char(&f.rust) {
                format!(
                    "`{}` is not a valid Rust name for {what} `{wire}`: it holds {}; use snake_case ASCII, e.g. `rust = \"{}\"`",
                    shown(&f.rust),
                    naming::describe_char(c),
                    snake_like(&f.rust)
                )
            } else if naming::is_snake_ident(&naming::snake(&f.rust)) {
                format!(
                    "`{}` is not a valid Rust name for {what} `{wire}`: use snake_case, e.g. `rust = \"{}\"`",
                    f.rust,
                    naming::snake(&f.rust)
                )
            } else {
                format!(
                    "`{}` is not a valid Rust name for {what} `{wire}`: add `rust = \"…\"` with a snake_case name that starts with a letter",
                    f.rust
                )
            };
            diag.at(&f.rust_span, msg);
        }
        if f.rust == "extra" || f.rust == "extra_params" {
            diag.at(&f.rust_span, format!("the Rust name `{}` is reserved for the catch-all of unknown keys: add `rust = \"…\"`", f.rust));
        }
        if let Some(prev) = rust_names.insert(f.rust.clone(), wire.clone()) {
            diag.at(
                &f.rust_span,
                format!(
                    "duplicate {what} `{}`: `{prev}` already uses that Rust name",
                    f.rust
                ),
            );
        }
        if place == Place::Params
            && let Some((_, why)) = RESERVED_WIRE.iter().find(|(w, _)| w == wire)
        {
            let fix = if why.contains("credential") {
                "; where an action takes a password of its own, WHMCS names it `password2`"
            } else {
                ": remove it"
            };
            diag.at(
                &f.wire.span,
                format!(
                    "`{wire}` cannot be a request parameter: the client sends it with every request ({why}){fix}"
                ),
            );
        }
        if let Some(open) = wire.find(['[', ']']) {
            let msg = if request {
                format!(
                    "`{wire}`: a wire name cannot hold brackets; describe nested arrays with `[types.Name]` and `list<Name>`"
                )
            } else {
                let stem = &wire[..open];
                format!(
                    "`{wire}`: a response key cannot hold brackets; WHMCS sends nested objects, so describe `{stem}` with a type of its own (`[types.Name]`, `list<Name>` or `map<T>`)"
                )
            };
            diag.at(&inner_span(diag.src(), &f.wire.span, wire, open), msg);
        }
        if f.wire.value.contains(['{', '}']) && f.pattern.is_none() {
            diag.at(
                &f.wire.span,
                format!(
                    "`{wire}`: the only placeholder a field name may hold is a trailing `{{n}}`"
                ),
            );
        }
        if f.pattern.is_some() && request {
            diag.at(&f.wire.span, format!("`{wire}`: `{{n}}` patterns only apply to response fields; use `numbered<T>` for requests"));
        }
        if f.required && place == Place::Nested {
            diag.at(
                &f.wire.span,
                format!("`required` (always sent) applies to top-level answer fields, not {what} `{wire}`"),
            );
        }
        if f.required
            && place == Place::Answer
            && (f.pattern.is_some() || matches!(f.ty.value, Ty::List(_) | Ty::Map(_) | Ty::Csv(_)))
        {
            diag.at(
                &f.wire.span,
                format!("`required` on {what} `{wire}`: only a single value can be required; a list that may be empty cannot"),
            );
        }
        if matches!(f.ty.value, Ty::Numbered(_)) && !request {
            diag.at(
                &f.ty.span,
                format!("`numbered<…>` only applies to request parameters, not {what} `{wire}`"),
            );
        }
        if f.ty.value == Ty::Serialized && !request {
            diag.at(
                &f.ty.span,
                format!("`serialized` only applies to request parameters, not {what} `{wire}`"),
            );
        }
        if let Some(w) = &f.wrapper
            && (!matches!(f.ty.value, Ty::List(_)) || request)
        {
            diag.at(
                &f.ty.span,
                format!("`wrapper = \"{w}\"` needs a response field of type `list<…>`"),
            );
        }
        if f.required && f.deprecated.is_some() {
            diag.at(
                &f.wire.span,
                format!("{what} `{wire}` cannot be both required and deprecated"),
            );
        }
        if let Some(e) = &f.entity
            && !naming::is_snake_ident(&e.value)
        {
            diag.at(
                &e.span,
                format!(
                    "`entity = \"{}\"` must be a snake_case record kind, e.g. `client`",
                    e.value
                ),
            );
        }
        if !request {
            for (key, value, why) in [
                (
                    "missing",
                    &f.missing,
                    "the error WHMCS answers when a parameter is left out",
                ),
                (
                    "not_found",
                    &f.not_found,
                    "the error WHMCS answers when the id a parameter names does not exist",
                ),
                (
                    "entity",
                    &f.entity,
                    "the kind of record a parameter's id names",
                ),
            ] {
                if let Some(v) = value {
                    diag.at(
                        &v.span,
                        format!("`{key}` ({why}) applies to request parameters, not {what} `{wire}`: remove it"),
                    );
                }
            }
        }
        if let Some(e) = &f.empty_allowed {
            if !request {
                diag.at(
                    &e.span,
                    format!("`empty_allowed` (whether an empty value counts as given) applies to request parameters, not {what} `{wire}`: remove it"),
                );
            } else if f.missing.is_none() {
                diag.at(
                    &e.span,
                    format!("`empty_allowed` on {what} `{wire}` says when its `missing` error is answered, but it has no `missing`: add one or remove `empty_allowed`"),
                );
            }
        }
        for r in f.missing.iter().chain(&f.not_found) {
            variant_ref(r, variants, diag);
        }
    }
    if list.len() > MAX_FIELDS {
        let owner = match place {
            Place::Params => "the request".to_string(),
            Place::Answer => "the response".to_string(),
            Place::RequestNested | Place::Nested => {
                what.trim_start_matches("field of ").to_string()
            }
        };
        diag.at(
            &list[MAX_FIELDS].wire.span,
            format!(
                "{owner} has {} fields; at most {MAX_FIELDS} fit in one generated struct (rustc runs out of stack on much larger ones): group the rest into nested `[types]`",
                list.len()
            ),
        );
    }
}

/// A snake_case ASCII spelling of `s` to suggest as a Rust name.
fn snake_like(s: &str) -> String {
    let visible: String = s
        .chars()
        .filter(|c| naming::invisible(*c).is_none())
        .collect();
    let s = naming::snake(visible.trim_start_matches("r#"));
    if naming::is_keyword(&s) {
        keyword_alternative(&s)
    } else if naming::is_snake_ident(&s) {
        s
    } else {
        format!("field_{s}")
    }
}

/// A name to suggest instead of a keyword.
fn keyword_alternative(kw: &str) -> String {
    match kw {
        "type" => "kind".into(),
        "ref" => "reference".into(),
        "mod" => "module".into(),
        "fn" => "function".into(),
        "use" => "usage".into(),
        "static" => "fixed".into(),
        other => format!("{}_value", naming::snake(other)),
    }
}

/// Types that hold themselves other than through a list or map: Rust cannot give them a size.
fn recursion(spec: &Spec, shared: &Shared, diag: &mut Diag<'_>) {
    let mut defs: BTreeMap<&str, &TypeDef> = shared
        .defs
        .iter()
        .map(|t| (t.name.value.as_str(), t))
        .collect();
    for t in &spec.types {
        defs.insert(&t.name.value, t);
    }
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for t in &spec.types {
        if reported.contains(&t.name.value) {
            continue;
        }
        let Some(path) = cycle(&t.name.value, &defs) else {
            continue;
        };
        let Some((_, first)) = path.first() else {
            continue;
        };
        let route: Vec<String> = path
            .iter()
            .map(|(owner, f)| format!("`{owner}.{}`", f.wire.value))
            .collect();
        diag.at(
            &first.ty.span,
            format!(
                "type `{}` holds itself through {}, so it would have no end: make one of these fields a `list<…>` or `map<…>`, or give only the id",
                t.name.value,
                route.join(" → ")
            ),
        );
        reported.extend(path.iter().map(|(owner, _)| owner.to_string()));
    }
}

/// A path of direct (not list or map) fields from `start` back to it.
fn cycle<'d>(start: &str, defs: &BTreeMap<&str, &'d TypeDef>) -> Option<Vec<(String, &'d Field)>> {
    fn walk<'d>(
        at: &str,
        start: &str,
        defs: &BTreeMap<&str, &'d TypeDef>,
        seen: &mut BTreeSet<String>,
        path: &mut Vec<(String, &'d Field)>,
    ) -> bool {
        let Some(def) = defs.get(at) else {
            return false;
        };
        for f in &def.fields {
            let Ty::Named(next) = &f.ty.value else {
                continue;
            };
            path.push((at.to_string(), f));
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) && walk(next, start, defs, seen, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::new();
    let mut seen = BTreeSet::new();
    walk(start, start, defs, &mut seen, &mut path).then_some(path)
}

/// Sizes the generated code (or rustc) cannot take.
fn limits(spec: &Spec, diag: &mut Diag<'_>) {
    for e in &spec.enums {
        if e.values.len() > MAX_ENUM_VALUES {
            diag.at(
                &e.values[MAX_ENUM_VALUES].span,
                format!(
                    "enum `{}` lists {} values; at most {MAX_ENUM_VALUES} fit in one generated enum: use `string` for open-ended text",
                    e.name.value,
                    e.values.len()
                ),
            );
        }
    }
    let count = spec.types.len() + spec.enums.len();
    if count > MAX_TYPES {
        let mut spans: Vec<&Range<usize>> = spec
            .types
            .iter()
            .map(|t| &t.name.span)
            .chain(spec.enums.iter().map(|e| &e.name.span))
            .collect();
        spans.sort_by_key(|s| s.start);
        diag.at(
            spans[MAX_TYPES],
            format!("the spec defines {count} types and enums; at most {MAX_TYPES} fit in one spec: split it"),
        );
    }
}

fn variant_ref(r: &Loc<String>, variants: &BTreeSet<String>, diag: &mut Diag<'_>) {
    if !variants.contains(&r.value) {
        let h = closest(&r.value, variants.iter().map(String::as_str))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        diag.at(
            &r.span,
            format!(
                "unknown error variant `{}`: it is not defined under `[errors]`{h}",
                r.value
            ),
        );
    }
}
