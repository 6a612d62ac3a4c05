//! Resolving a checked spec into the model code is generated from: named references to enums
//! become enum types, and enums an answer can carry are opened (they get `Other`).

use std::collections::BTreeSet;

use crate::checked::{ActionSpec, TypesSpec};
use crate::model::{Field, Spec, Ty};
use crate::valid::{Shared, known_names, resolve_ty};

/// Resolves an action spec that passed [`crate::valid::check`]; `None` if it did not (a required
/// key is missing).
pub fn action(spec: Spec, shared: &Shared) -> Option<ActionSpec> {
    let mut spec = spec;
    let shared_refs = refs(&spec, shared);
    resolve_fields(&mut spec, shared);
    let response_types = spec.reachable(&spec.response);
    for e in &mut spec.enums {
        e.open = response_types.contains(&e.name.value);
    }
    Some(ActionSpec {
        name: spec.action?.value,
        category: spec.category?.value,
        effect: spec.effect?.value,
        summary: spec.summary?.value,
        reference: spec.reference?.value,
        since: spec.since,
        paged: spec.paged,
        request: spec.request,
        response: spec.response,
        types: spec.types,
        enums: spec.enums,
        errors: spec.errors,
        require_any: spec.require_any,
        example_request: spec.example_request,
        example_response: spec.example_response,
        shared_refs,
    })
}

/// Resolves a shared-types file that passed [`crate::valid::check`]; its enums are all open.
pub fn types(spec: Spec, shared: &Shared) -> TypesSpec {
    let mut spec = spec;
    resolve_fields(&mut spec, shared);
    for e in &mut spec.enums {
        e.open = true;
    }
    TypesSpec {
        types: spec.types,
        enums: spec.enums,
    }
}

fn resolve_fields(spec: &mut Spec, shared: &Shared) {
    let (enums, types) = known_names(spec, shared);
    let fix = |f: &mut Field| {
        if let Ok(t) = resolve_ty(&f.ty.value, &enums, &types) {
            f.ty.value = t;
        }
    };
    spec.request.iter_mut().for_each(fix);
    spec.response.iter_mut().for_each(fix);
    for t in &mut spec.types {
        t.fields.iter_mut().for_each(fix);
    }
}

/// The shared names `spec` refers to (not defined by the spec itself).
pub(crate) fn refs(spec: &Spec, shared: &Shared) -> BTreeSet<String> {
    let local: BTreeSet<&str> = spec
        .types
        .iter()
        .map(|t| t.name.value.as_str())
        .chain(spec.enums.iter().map(|e| e.name.value.as_str()))
        .collect();
    spec.fields()
        .flat_map(|f| ty_names(&f.ty.value))
        .filter(|n| !local.contains(n) && shared.contains(n))
        .map(str::to_string)
        .collect()
}

/// The type and enum names in a type.
pub(crate) fn ty_names(ty: &Ty) -> Vec<&str> {
    match ty {
        Ty::Named(n) | Ty::Numbered(n) | Ty::Enum(n) => vec![n.as_str()],
        Ty::List(t) | Ty::Map(t) | Ty::Csv(t) => ty_names(t),
        _ => Vec::new(),
    }
}
