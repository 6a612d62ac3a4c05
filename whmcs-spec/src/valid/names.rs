//! Names and what they refer to: types and enums defined once, references that resolve, no
//! clash with a shared name or with what the generator derives from another name.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::diag::{Diag, closest};
use crate::load::FOREIGN_NAMES;
use crate::model::{EnumDef, EnumOrigin, Field, Loc, Spec, Ty};
use crate::naming;

use super::shared::Shared;
use super::text::{shown, type_name_like};

/// What a name is used for, for messages about two uses of one name.
pub(super) struct NameUse<'s> {
    name: &'s Loc<String>,
    what: String,
    origin: Option<&'s EnumOrigin>,
}

/// Reports type and enum names that are invalid, taken twice (by declarations, generated names
/// or shared types), or referred to but defined nowhere.
pub(super) fn names(spec: &Spec, shared: &Shared, diag: &mut Diag<'_>, is_action: bool) {
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

pub(super) fn enum_use<'s>(e: &'s EnumDef, line: &str) -> NameUse<'s> {
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
