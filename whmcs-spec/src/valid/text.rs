//! How rules point at and spell things: the text a message shows, positions inside a quoted
//! value, the name a value would have in Rust, and references to error variants.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::diag::{Diag, closest};
use crate::model::Loc;
use crate::naming;

/// A CamelCase spelling of `s` to suggest.
pub(super) fn type_name_like(s: &str) -> String {
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

/// A snake_case ASCII spelling of `s` to suggest as a Rust name.
pub(super) fn snake_like(s: &str) -> String {
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
pub(super) fn keyword_alternative(kw: &str) -> String {
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

/// The variant name the generator gives an enum value.
pub fn variant_name(value: &str) -> String {
    let base = naming::camel(value);
    if base.is_empty() {
        "Empty".into()
    } else {
        base
    }
}

pub(super) fn variant_ref(r: &Loc<String>, variants: &BTreeSet<String>, diag: &mut Diag<'_>) {
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
