//! Semantic rules of a spec: names, references between its parts, and what goes where.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::diag::{Diag, closest};
use crate::model::{Field, Spec, Ty};
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

/// Names defined outside the spec, in the shared `types/` directory.
#[derive(Debug, Default)]
pub struct Shared {
    /// Shared type names.
    pub types: BTreeSet<String>,
    /// Shared enum names.
    pub enums: BTreeSet<String>,
}

/// Checks `spec`, reporting every problem to `diag`; changes nothing (see [`crate::resolve`]).
pub fn check(spec: &Spec, shared: &Shared, diag: &mut Diag<'_>, is_action: bool) {
    if is_action {
        top(spec, diag);
    }
    names(spec, shared, diag);
    let variants: BTreeSet<String> = spec
        .errors
        .iter()
        .map(|e| e.variant.value.clone())
        .collect();
    errors(spec, diag);
    fields(
        &spec.request,
        "request parameter",
        Place::Request,
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
            Place::Request
        } else {
            Place::Nested
        };
        fields(&t.fields, &what, place, &variants, diag);
    }
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
}

fn top(spec: &Spec, diag: &mut Diag<'_>) {
    let whole = 0..0;
    // A key that is there but has a bad value was already reported by `load`.
    let absent = |key: &str| !spec.keys.contains(key);
    match &spec.action {
        None if !absent("action") => {}
        None => diag.at(&whole, "missing required key `action`, the WHMCS action name (e.g. `action = \"GetInvoices\"`)"),
        Some(a) if !naming::is_type_name(&a.value) => diag.at(&a.span, format!("`{}` is not a valid action name: use the documented CamelCase name, e.g. `GetInvoices`", a.value)),
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
            diag.at(&c.span, format!("unknown category `{}`{h}", c.value));
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

/// Reports type and enum names that are invalid, defined twice, or referred to but defined nowhere.
fn names(spec: &Spec, shared: &Shared, diag: &mut Diag<'_>) {
    let (enums, types) = known_names(spec, shared);
    let mut seen = BTreeMap::new();
    for name in spec
        .types
        .iter()
        .map(|t| &t.name)
        .chain(spec.enums.iter().map(|e| &e.name))
    {
        if !naming::is_type_name(&name.value) {
            diag.at(
                &name.span,
                format!(
                    "`{}` is not a valid type name: use CamelCase, e.g. `{}`",
                    name.value,
                    naming::camel(&name.value)
                ),
            );
        }
        if seen.insert(name.value.clone(), ()).is_some() {
            diag.at(
                &name.span,
                format!("type `{}` is defined twice", name.value),
            );
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

fn errors(spec: &Spec, diag: &mut Diag<'_>) {
    let mut seen = BTreeSet::new();
    for e in &spec.errors {
        if !naming::is_type_name(&e.variant.value) {
            diag.at(
                &e.variant.span,
                format!(
                    "`{}` is not a valid error variant name: use CamelCase, e.g. `{}`",
                    e.variant.value,
                    naming::camel(&e.variant.value)
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
        }
        let (_, names) = e.template();
        for n in &names {
            if !naming::is_snake_ident(n) {
                diag.at(&e.message.span, format!("placeholder `{{{n}}}` in error `{}` must be a snake_case name, e.g. `{{service_id}}`", e.variant.value));
            }
        }
    }
}

/// Where a list of fields sits, which decides what its fields may say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Request parameters, or a nested type used in a request.
    Request,
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
    let request = place == Place::Request;
    let mut rust_names = BTreeMap::new();
    for f in list {
        let wire = &f.wire.value;
        if f.rust != naming::snake(&f.rust) || !naming::is_snake_ident(&f.rust) {
            let msg = if naming::is_keyword(&f.rust) {
                format!(
                    "{what} `{wire}` would be named `{}`, a Rust keyword: add `rust = \"…\"` with another name",
                    f.rust
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
        if request && f.wire.value.contains(['[', ']']) {
            diag.at(
                &f.wire.span,
                format!("`{wire}`: a wire name cannot hold brackets; describe nested arrays with `[types.Name]` and `list<Name>`"),
            );
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
        if (f.missing.is_some() || f.not_found.is_some()) && !request {
            diag.at(
                &f.wire.span,
                format!(
                    "`missing` and `not_found` apply to request parameters, not {what} `{wire}`"
                ),
            );
        }
        for r in f.missing.iter().chain(&f.not_found) {
            variant_ref(r, variants, diag);
        }
    }
}

fn variant_ref(r: &crate::model::Loc<String>, variants: &BTreeSet<String>, diag: &mut Diag<'_>) {
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
