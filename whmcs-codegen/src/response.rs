//! Structs decoded from answers (the response and nested shapes): typed fields, `extra` for
//! whatever the spec does not name, a single-pass decoder and a serializer that writes back
//! what WHMCS sent. Nested shapes used in requests also get their encoding.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use whmcs_spec::checked::{ActionSpec, Field, Ty, TypeDef};

use crate::Target;
use crate::types::{deprecated_attr, field_doc, field_ty, ident, rt};

pub(crate) use crate::types::Side;

/// The response struct of an action.
pub(crate) fn response(spec: &ActionSpec, target: &Target) -> TokenStream {
    let name = format_ident!("{}Response", target.ident);
    let doc = format!("The successful answer to [`{}`].", target.ident);
    let list = crate::facts::page_list(spec).map(|f| f.rust.as_str());
    data_struct(
        &name,
        &doc,
        &spec.response,
        Side::Response,
        &target.vis,
        list,
    )
}

/// The nested shapes of an action: response-side when an answer can hold them.
pub(crate) fn nested_types(spec: &ActionSpec, vis: &syn::Visibility) -> TokenStream {
    let response_types = spec.reachable(&spec.response);
    let request_types = spec.reachable(&spec.request);
    let types = spec.types.iter().map(|t| {
        let side = if response_types.contains(&t.name.value) {
            Side::Response
        } else {
            Side::Request
        };
        type_struct(t, side, request_types.contains(&t.name.value), vis)
    });
    quote!(#(#types)*)
}

/// A nested shape, with request encoding when it is used in a request.
pub(crate) fn type_struct(
    t: &TypeDef,
    side: Side,
    in_request: bool,
    vis: &syn::Visibility,
) -> TokenStream {
    let name = ident(&t.name.value);
    let doc = t
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` shape of the WHMCS API.", t.name.value));
    let mut out = data_struct(&name, &doc, &t.fields, side, vis, None);
    if in_request {
        out.extend(request_impls(&name, &t.fields, side == Side::Request));
    }
    out
}

/// Encoding and wire parsing for a nested struct used in a request.
/// `builders`: also `new` and setters, for shapes only requests use (their fields have the
/// request side's types).
fn request_impls(name: &Ident, fields: &[Field], builders: bool) -> TokenStream {
    let rt = rt();
    let stmts = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        quote!(#rt::EncodeParam::encode_param(&self.#id, form, &#rt::key(prefix, #wire));)
    });
    let numbered = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        quote!(#rt::EncodeParam::encode_param(&self.#id, form, &::std::format!("{}{}", #wire, n));)
    });
    let wires = fields.iter().map(|f| f.wire.value.as_str());
    let lets = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        match f.ty.value {
            Ty::Csv(_) => quote!(let #id = params.csv(#wire);),
            Ty::List(_) | Ty::Map(_) => {
                quote!(let #id = params.optional(#wire).unwrap_or_default();)
            }
            _ if f.required => quote!(let #id = params.required(#wire);),
            _ => quote!(let #id = params.optional(#wire);),
        }
    });
    let required_ids: Vec<Ident> = fields
        .iter()
        .filter(|f| f.required && !matches!(f.ty.value, Ty::List(_) | Ty::Map(_) | Ty::Csv(_)))
        .map(|f| ident(&f.rust))
        .collect();
    let names = fields.iter().map(|f| ident(&f.rust));
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let id = ident(&f.rust);
        let (ty, _) = crate::types::setter_arg(f);
        quote!(#id: #ty)
    });
    let inits = required.iter().map(|f| {
        let id = ident(&f.rust);
        let (_, conv) = crate::types::setter_arg(f);
        quote!(#id: { let v = #id; #conv },)
    });
    let setters = fields
        .iter()
        .filter(|f| !f.required && f.pattern.is_none())
        .map(crate::facts::setter);
    let doc_new = if required.is_empty() {
        "An empty value; set its fields with the setters.".to_string()
    } else {
        format!(
            "A value with its required fields ({}); set the others with the setters.",
            required
                .iter()
                .map(|f| format!("`{}`", f.wire.value))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let builders = builders.then(|| {
        quote! {
            #[allow(deprecated, clippy::new_without_default, clippy::too_many_arguments)]
            impl #name {
                #[doc = #doc_new]
                #[must_use]
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits)* ..::core::default::Default::default() }
                }
                #(#setters)*
            }
        }
    });
    quote! {
        #builders

        #[automatically_derived]
        #[allow(deprecated)]
        impl #rt::EncodeParam for #name {
            fn encode_param(&self, form: &mut ::whmcs_api::Form, prefix: &str) {
                #(#stmts)*
                for (k, v) in &self.extra {
                    #rt::EncodeParam::encode_param(v, form, &#rt::key(prefix, k));
                }
            }
        }
        #[automatically_derived]
        #[allow(deprecated)]
        impl #rt::EncodeNumbered for #name {
            const PREFIXES: &'static [&'static str] = &[#(#wires),*];
            fn encode_numbered(&self, form: &mut ::whmcs_api::Form, n: usize) {
                #(#numbered)*
            }
        }
        #[automatically_derived]
        #[allow(deprecated)]
        impl #rt::FromWireFields for #name {
            fn from_wire_fields(params: &mut ::whmcs_api::WireParams) -> ::core::result::Result<Self, ::whmcs_api::InvalidParams> {
                #(#lets)*
                let extra = ::core::convert::From::from(params.rest_json());
                let (#(::core::option::Option::Some(#required_ids),)*) = (#(#required_ids,)*) else {
                    return ::core::result::Result::Err(params.take_error());
                };
                params.finish()?;
                ::core::result::Result::Ok(Self { #(#names,)* extra })
            }
        }
        #[automatically_derived]
        impl #rt::FromWire for #name {
            fn from_wire(v: &#rt::Value) -> ::core::result::Result<Self, ::std::string::String> {
                #rt::struct_from_wire(v)
            }
        }
    }
}

/// A struct decoded from JSON: typed fields plus `extra`, the keys no spec names. `list` names
/// the field that the answer's announced item count sizes ahead of decoding.
fn data_struct(
    name: &Ident,
    doc: &str,
    fields: &[Field],
    side: Side,
    vis: &syn::Visibility,
    list: Option<&str>,
) -> TokenStream {
    let rt = rt();
    let decls = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = field_ty(f, side);
        let doc = field_doc(f);
        let dep = deprecated_attr(f);
        quote!(#[doc = #doc] #dep pub #id: #ty,)
    });
    // A field's index in the struct is where an empty form it arrived as is remembered.
    let arms = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.pattern.is_none())
        .map(|(idx, f)| {
            let id = ident(&f.rust);
            let wire = &f.wire.value;
            let put = match (&f.wrapper, &f.ty.value) {
                (Some(w), _) => {
                    quote!(put_wrapped(&mut self.#id, #w, key, #idx, &mut self.extra, value))
                }
                (None, Ty::List(_)) => {
                    quote!(put_list(&mut self.#id, key, #idx, &mut self.extra, value))
                }
                (None, Ty::Csv(_)) => {
                    quote!(put_csv(&mut self.#id, key, #idx, &mut self.extra, value))
                }
                (None, _) if f.required => {
                    quote!(put_required(&mut self.#id, key, #idx, &mut self.extra, value))
                }
                (None, _) => quote!(put(&mut self.#id, key, #idx, &mut self.extra, value)),
            };
            quote!(#wire => #rt::#put,)
        });
    let patterns = fields
        .iter()
        .filter_map(|f| f.pattern.as_ref().map(|p| (ident(&f.rust), p.as_str())));
    let pattern_arms = patterns.clone().map(|(id, p)| {
        quote! {
            if let ::core::option::Option::Some(n) = #rt::numbered_key(key, #p) {
                return #rt::put_numbered(&mut self.#id, n, key, &mut self.extra, value);
            }
        }
    });
    let sers = fields.iter().enumerate().map(|(idx, f)| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        match (&f.pattern, &f.wrapper) {
            (Some(p), _) => quote!(#rt::ser_numbered(map, #p, &self.#id, &self.extra)?;),
            (None, Some(w)) => {
                quote!(#rt::ser_wrapped(map, #wire, #idx, #w, &self.#id, &self.extra)?;)
            }
            (None, None) if matches!(f.ty.value, Ty::Csv(_)) => {
                quote!(#rt::ser_csv(map, #wire, #idx, &self.#id, &self.extra)?;)
            }
            (None, None) if f.required && side == Side::Response => {
                quote!(#rt::ser_required(map, #wire, #idx, &self.#id, &self.extra)?;)
            }
            (None, None) if f.required => quote!(map.serialize_entry(#wire, &self.#id)?;),
            (None, None) => quote!(#rt::ser(map, #wire, #idx, &self.#id, &self.extra)?;),
        }
    });
    let known_wire: Vec<&str> = fields
        .iter()
        .filter(|f| f.pattern.is_none())
        .map(|f| f.wire.value.as_str())
        .collect();
    let known = if known_wire.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(key, #(#known_wire)|*))
    };
    let known_patterns = patterns.map(|(_, p)| quote!(|| #rt::numbered_key(key, #p).is_some()));
    let record_id = fields
        .iter()
        .find(|f| f.wire.value == "id" && f.ty.value == Ty::Int && f.pattern.is_none())
        .map(|f| {
            let id = ident(&f.rust);
            let value = if f.required {
                quote!(::core::option::Option::Some(self.#id))
            } else {
                quote!(self.#id)
            };
            quote! {
                fn record_id(&self) -> ::core::option::Option<i64> {
                    #value
                }
            }
        });
    let required: Vec<_> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.required && side == Side::Response)
        .map(|(idx, f)| {
            let wire = &f.wire.value;
            quote!(if !self.extra.is_present(#idx) { return ::core::option::Option::Some(#wire); })
        })
        .collect();
    let missing = (!required.is_empty()).then(|| {
        quote! {
            fn missing(&self) -> ::core::option::Option<&'static str> {
                #(#required)*
                ::core::option::Option::None
            }
        }
    });
    let reserve = list.map(|l| {
        let id = ident(l);
        quote! {
            fn reserve(&mut self, items: usize, bytes: usize) {
                #rt::reserve_within(&mut self.#id, items, bytes);
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        #[allow(deprecated)]
        #vis struct #name {
            #(#decls)*
            /// Keys WHMCS sent that the spec does not name, and the raw value of named keys that
            /// carried no value (`""`, `null`, a zero date), so re-encoding loses nothing.
            pub extra: #rt::Extra,
        }

        #[automatically_derived]
        #[allow(deprecated)]
        impl #rt::Fields for #name {
            const NAME: &'static str = ::core::stringify!(#name);
            fn field<'de, D: #rt::Deserializer<'de>>(&mut self, key: &str, value: D) -> ::core::result::Result<(), D::Error> {
                match key {
                    #(#arms)*
                    _ => {
                        #(#pattern_arms)*
                        #rt::put_extra(&mut self.extra, key, value)
                    }
                }
            }
            fn serialize_fields<M: #rt::SerializeMap>(&self, map: &mut M) -> ::core::result::Result<(), M::Error> {
                #(#sers)*
                #rt::ser_extra(map, &self.extra, Self::is_known)
            }
            fn is_known(key: &str) -> bool {
                #known #(#known_patterns)*
            }
            #reserve
            #record_id
            #missing
        }
        #rt::impl_data!(#name);
    }
}
