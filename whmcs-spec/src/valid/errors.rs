//! Enum values and error messages: each distinct, each a usable variant, templates well formed.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diag;
use crate::model::{Loc, Spec};
use crate::naming;

use super::limits::MAX_ERRORS;
use super::template;
use super::text::{inner_span, shown, type_name_like, variant_name};

/// Values listed twice, values that become the same variant, and values with characters that
/// cannot be seen or spelt in a variant name.
pub(super) fn enum_values(spec: &Spec, diag: &mut Diag<'_>) {
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

pub(super) fn errors(spec: &Spec, diag: &mut Diag<'_>) {
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
