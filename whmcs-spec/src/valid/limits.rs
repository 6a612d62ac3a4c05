//! What the generated code or the compiler could not take: types that contain themselves, and
//! more fields, values, errors or types than one generated item holds.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::diag::Diag;
use crate::model::{Field, Spec, Ty, TypeDef};

use super::shared::Shared;

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

/// Types that hold themselves other than through a list or map: Rust cannot give them a size.
pub(super) fn recursion(spec: &Spec, shared: &Shared, diag: &mut Diag<'_>) {
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
pub(super) fn limits(spec: &Spec, diag: &mut Diag<'_>) {
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
