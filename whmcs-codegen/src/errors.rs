//! The error enum of an action: one variant per documented message (placeholders become
//! fields), `Unknown` for any other, matched case-insensitively.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use whmcs_spec::checked::ActionSpec;

use crate::Target;
use crate::types::{ident, rt};

pub(crate) fn error_enum(spec: &ActionSpec, target: &Target) -> TokenStream {
    let rt = rt();
    let action = &target.ident;
    let vis = &target.vis;
    let error = format_ident!("{}Error", action);
    let errors = &spec.errors;
    let decls = errors.iter().map(|e| {
        let v = ident(&e.variant.value);
        let doc = format!("WHMCS answered `{}`.", e.message.value);
        let (_, names) = e.template();
        if names.is_empty() {
            quote!(#[doc = #doc] #v,)
        } else {
            let fields = names.iter().map(|n| {
                let n = ident(n);
                quote!(#[doc = "The part of the message WHMCS filled in."] #n: ::std::string::String)
            });
            quote!(#[doc = #doc] #v { #(#fields),* },)
        }
    });
    let matchers = errors.iter().map(|e| {
        let v = ident(&e.variant.value);
        let (parts, names) = e.template();
        if names.is_empty() {
            let m = &e.message.value;
            quote!(if #rt::message_is(msg, #m) { return Self::#v; })
        } else {
            let ids: Vec<Ident> = names.iter().map(|n| ident(n)).collect();
            quote! {
                if let ::core::option::Option::Some(caps) = #rt::match_template(msg, &[#(#parts),*]) {
                    let mut caps = caps.into_iter();
                    return Self::#v { #(#ids: caps.next().unwrap_or_default(),)* };
                }
            }
        }
    });
    let displays = errors.iter().map(|e| {
        let v = ident(&e.variant.value);
        let (parts, names) = e.template();
        if names.is_empty() {
            let m = &e.message.value;
            quote!(Self::#v => f.write_str(#m),)
        } else {
            let ids: Vec<Ident> = names.iter().map(|n| ident(n)).collect();
            let mut writes = Vec::new();
            for (i, p) in parts.iter().enumerate() {
                writes.push(quote!(f.write_str(#p)?;));
                if let Some(id) = ids.get(i) {
                    writes.push(quote!(f.write_str(#id)?;));
                }
            }
            quote!(Self::#v { #(#ids),* } => { #(#writes)* ::core::result::Result::Ok(()) })
        }
    });
    let variant_names = errors.iter().map(|e| {
        let v = ident(&e.variant.value);
        let name = &e.variant.value;
        if e.template().1.is_empty() {
            quote!(Self::#v => #name,)
        } else {
            quote!(Self::#v { .. } => #name,)
        }
    });
    let doc =
        format!("The errors WHMCS documents for [`{action}`]; any other message is `Unknown`.");
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        #vis enum #error {
            #(#decls)*
            /// A message the spec does not list, as WHMCS sent it.
            Unknown(::std::string::String),
        }

        #[automatically_derived]
        impl ::whmcs_api::ApiError for #error {
            fn from_message(msg: &str) -> Self {
                #(#matchers)*
                Self::Unknown(msg.to_owned())
            }
            fn variant(&self) -> &'static str {
                match self {
                    #(#variant_names)*
                    Self::Unknown(_) => "Unknown",
                }
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #error {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #(#displays)*
                    Self::Unknown(m) => f.write_str(m),
                }
            }
        }

        #[automatically_derived]
        impl ::std::error::Error for #error {}
    }
}
