//! Enums of allowed values: one variant per value, `Other` on those an answer can carry, and
//! their wire form, parsing, serde and encoding.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use whmcs_spec::checked::EnumDef;
use whmcs_spec::naming;

use crate::types::{ident, rt};

pub(crate) fn enum_def(e: &EnumDef, vis: &syn::Visibility) -> TokenStream {
    let rt = rt();
    let name = ident(&e.name.value);
    let mut seen = BTreeSet::new();
    let variants: Vec<(Ident, &str)> = e
        .values
        .iter()
        .map(|v| {
            let mut base = naming::camel(&v.value);
            if base.is_empty() {
                base = "Empty".into();
            }
            let mut candidate = base.clone();
            let mut i = 2;
            while !seen.insert(candidate.clone()) || (e.open && candidate == "Other") {
                candidate = format!("{base}{i}");
                i += 1;
            }
            (ident(&candidate), v.value.as_str())
        })
        .collect();
    let decls = variants.iter().map(|(v, w)| {
        let doc = format!("`{w}`");
        quote!(#[doc = #doc] #v,)
    });
    let as_str = variants.iter().map(|(v, w)| quote!(Self::#v => #w,));
    let parse = variants
        .iter()
        .map(|(v, w)| quote!(#w => ::core::option::Option::Some(Self::#v),));
    let wires = variants.iter().map(|(_, w)| *w);
    let doc = e.doc.clone().unwrap_or_else(|| {
        format!(
            "Allowed values of `{}`{}.",
            e.name.value,
            if e.open {
                "; a value no spec lists decodes as `Other`"
            } else {
                ""
            }
        )
    });
    let open = e.open;
    let (other_decl, other_str, fallback) = if open {
        (
            quote!(/// A value the spec does not list, kept as WHMCS sent it.
                   Other(::std::string::String),),
            quote!(Self::Other(s) => s,),
            quote!(::core::option::Option::Some(Self::Other(s.to_owned()))),
        )
    } else {
        (quote!(), quote!(), quote!(::core::option::Option::None))
    };
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #vis enum #name {
            #(#decls)*
            #other_decl
        }

        #[automatically_derived]
        impl #name {
            /// Every value the spec lists, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    #other_str
                }
            }

            /// Parses one of the listed wire values.
            pub fn from_wire(s: &str) -> ::core::option::Option<Self> {
                match s {
                    #(#parse)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        #[automatically_derived]
        impl #rt::WireEnum for #name {
            const VALUES: &'static [&'static str] = #name::VALUES;
            const OPEN: bool = #open;
            fn as_wire(&self) -> &str {
                self.as_str()
            }
            fn parse_wire(s: &str) -> ::core::option::Option<Self> {
                match Self::from_wire(s) {
                    ::core::option::Option::Some(v) => ::core::option::Option::Some(v),
                    ::core::option::Option::None => #fallback,
                }
            }
        }
        #rt::impl_enum!(#name);
    }
}
