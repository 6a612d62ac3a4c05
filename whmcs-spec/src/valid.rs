//! Semantic rules of a spec: names, references between its parts, what goes where, and what
//! the generated code or the Rust compiler could not take. Every rule reports at the spec
//! position it is about, with what would be right.

mod errors;
mod example;
mod fields;
mod limits;
mod names;
mod shared;
mod template;
mod text;

pub use limits::{MAX_ENUM_VALUES, MAX_ERRORS, MAX_FIELDS, MAX_TYPES};
pub(crate) use names::{known_names, resolve_ty};
pub use shared::Shared;
pub use text::variant_name;

use std::collections::{BTreeSet, HashSet};

use crate::diag::{Diag, Severity, closest};
use crate::model::Spec;
use crate::naming;

use errors::{enum_values, errors};
use fields::{Place, fields};
use limits::{limits, recursion};
use names::names;
use text::{shown, type_name_like, variant_ref};

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
