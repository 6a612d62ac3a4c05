//! Fields of the request, the answer and nested types: names that work on the wire and in Rust,
//! keys that belong where they are written.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diag;
use crate::model::{Field, Ty};
use crate::naming;

use super::limits::MAX_FIELDS;
use super::text::{inner_span, keyword_alternative, shown, snake_like, variant_ref};

/// Wire names every request already carries: the client sends them itself.
pub(super) const RESERVED_WIRE: &[(&str, &str)] = &[
    ("action", "the action's name"),
    ("responsetype", "the answer format, `json`"),
    ("identifier", "an API credential"),
    ("secret", "an API credential"),
    ("username", "an API credential"),
    ("password", "an API credential"),
    ("accesskey", "the API access key"),
];

/// Where a list of fields sits, which decides what its fields may say.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// The request parameters.
    Params,
    /// A nested type used in a request.
    RequestNested,
    /// The top-level fields of an answer.
    Answer,
    /// A nested type an answer holds.
    Nested,
}

pub(super) fn fields(
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
