//! How spec types become Rust types, and the small helpers every output uses.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Ident;

use whmcs_spec::checked::{Field, Ty};

/// Which way a type travels; a few spec types differ (`float` is exact going out, `f64` coming in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    /// A request parameter.
    Request,
    /// An answer field.
    Response,
}

/// The hidden runtime module generated code calls into.
pub(crate) fn rt() -> TokenStream {
    quote!(::whmcs_api::__private)
}

pub(crate) fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

/// A reference to a generated type: its name, or the path to a shared type (`crate::types::X`,
/// see [`crate::Options::shared_path`]).
pub(crate) fn type_ref(s: &str) -> TokenStream {
    if s.contains("::")
        && let Ok(path) = syn::parse_str::<syn::Path>(s)
    {
        return quote!(#path);
    }
    let id = ident(s.rsplit("::").next().unwrap_or(s));
    quote!(#id)
}

/// The Rust type of a spec type.
pub(crate) fn rust_ty(ty: &Ty, side: Side) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Secret => quote!(::whmcs_api::Secret),
        Ty::Int => quote!(i64),
        Ty::Float if side == Side::Response => quote!(f64),
        Ty::Float | Ty::Money => quote!(::whmcs_api::Decimal),
        Ty::Bool => quote!(bool),
        Ty::Date => quote!(::whmcs_api::Date),
        Ty::DateTime => quote!(::whmcs_api::DateTime),
        Ty::Json => quote!(::whmcs_api::__private::Value),
        Ty::Serialized => quote!(::whmcs_api::Serialized),
        Ty::Enum(n) | Ty::Named(n) => type_ref(n),
        Ty::List(t) | Ty::Csv(t) => {
            let t = rust_ty(t, side);
            quote!(::std::vec::Vec<#t>)
        }
        Ty::Map(t) => {
            let t = rust_ty(t, side);
            quote!(::whmcs_api::__private::IndexMap<::std::string::String, #t>)
        }
        Ty::Numbered(n) => {
            let n = type_ref(n);
            quote!(::std::vec::Vec<#n>)
        }
    }
}

/// The Rust type of a field as stored in its struct.
pub(crate) fn field_ty(f: &Field, side: Side) -> TokenStream {
    let t = rust_ty(&f.ty.value, side);
    if f.pattern.is_some() {
        return quote!(::std::collections::BTreeMap<u32, #t>);
    }
    match (&f.ty.value, f.required) {
        (Ty::List(_) | Ty::Map(_) | Ty::Numbered(_) | Ty::Csv(_), _) | (_, true) => t,
        _ => quote!(::core::option::Option<#t>),
    }
}

/// The doc comment of a field: its own words, then wire name, type and version.
pub(crate) fn field_doc(f: &Field) -> String {
    let mut doc = f.doc.clone().unwrap_or_default();
    if !doc.is_empty() && !doc.ends_with('.') {
        doc.push('.');
    }
    let wire = match &f.pattern {
        Some(p) => format!("`{p}1`, `{p}2`, …"),
        None => format!("`{}`", f.wire.value),
    };
    let mut meta = format!("Wire name {wire}, type `{}`", f.ty.value.spec_name());
    if let Some(w) = &f.wrapper {
        meta.push_str(&format!(", inside `{{\"{w}\": […]}}`"));
    }
    if let Some(s) = &f.since {
        meta.push_str(&format!("; since WHMCS {s}"));
    }
    meta.push('.');
    if doc.is_empty() {
        meta
    } else {
        format!("{doc}\n\n{meta}")
    }
}

pub(crate) fn deprecated_attr(f: &Field) -> Option<TokenStream> {
    f.deprecated.as_ref().map(|note| {
        if note.is_empty() {
            quote!(#[deprecated(note = "deprecated by WHMCS")])
        } else {
            quote!(#[deprecated(note = #note)])
        }
    })
}

/// The parameter type of a setter and the expression that converts `v` into the field type.
pub(crate) fn setter_arg(f: &Field) -> (TokenStream, TokenStream) {
    let inner = |t: &Ty| rust_ty(t, Side::Request);
    match &f.ty.value {
        Ty::String => (
            quote!(impl ::core::convert::Into<::std::string::String>),
            quote!(v.into()),
        ),
        Ty::Secret => (
            quote!(impl ::core::convert::Into<::std::string::String>),
            quote!(::whmcs_api::Secret::from(::core::convert::Into::<
                ::std::string::String,
            >::into(v))),
        ),
        Ty::Float | Ty::Money => (
            quote!(impl ::core::convert::Into<::whmcs_api::Decimal>),
            quote!(v.into()),
        ),
        Ty::Serialized => (
            quote!(impl ::core::convert::Into<::whmcs_api::Serialized>),
            quote!(v.into()),
        ),
        Ty::Csv(t) if **t == Ty::String => (
            quote!(
                impl ::core::iter::IntoIterator<
                    Item = impl ::core::convert::Into<::std::string::String>,
                >
            ),
            quote!(v.into_iter().map(::core::convert::Into::into).collect()),
        ),
        Ty::List(t) | Ty::Map(t)
            if matches!(
                **t,
                Ty::String | Ty::Secret | Ty::Float | Ty::Money | Ty::Serialized
            ) =>
        {
            let item = inner(t);
            let conv_item = match **t {
                Ty::Secret => quote!(::whmcs_api::Secret::from(::core::convert::Into::<
                    ::std::string::String,
                >::into(x))),
                _ => quote!(::core::convert::Into::<#item>::into(x)),
            };
            let into = match **t {
                Ty::Secret => quote!(::std::string::String),
                _ => item.clone(),
            };
            if matches!(f.ty.value, Ty::List(_)) {
                (
                    quote!(impl ::core::iter::IntoIterator<Item = impl ::core::convert::Into<#into>>),
                    quote!(v.into_iter().map(|x| #conv_item).collect()),
                )
            } else {
                (
                    quote!(impl ::core::iter::IntoIterator<Item = (impl ::core::convert::Into<::std::string::String>, impl ::core::convert::Into<#into>)>),
                    quote!(v.into_iter().map(|(k, x)| (k.into(), #conv_item)).collect()),
                )
            }
        }
        Ty::List(t) | Ty::Csv(t) => {
            let item = inner(t);
            (
                quote!(impl ::core::iter::IntoIterator<Item = #item>),
                quote!(v.into_iter().collect()),
            )
        }
        Ty::Numbered(n) => {
            let item = type_ref(n);
            (
                quote!(impl ::core::iter::IntoIterator<Item = #item>),
                quote!(v.into_iter().collect()),
            )
        }
        Ty::Map(t) => {
            let item = inner(t);
            (
                quote!(impl ::core::iter::IntoIterator<Item = (impl ::core::convert::Into<::std::string::String>, #item)>),
                quote!(v.into_iter().map(|(k, x)| (k.into(), x)).collect()),
            )
        }
        other => (inner(other), quote!(v)),
    }
}

/// `Some(#s)` or `None` as tokens.
pub(crate) fn opt_str(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}
