//! Code generation: from a checked spec to the request, response, enums, errors and `Action` impl.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Ident;

use whmcs_spec::model::{Effect, EnumDef, ErrorDef, Field, Spec, Ty, TypeDef};
use whmcs_spec::naming;

/// What the caller of the generator wants besides the action itself.
pub(crate) struct Options {
    /// Emit `Client::<action>()` and setters on `Call` (only inside `whmcs-api`).
    pub(crate) client_methods: bool,
    /// Absolute path of the spec, so the crate rebuilds when it changes.
    pub(crate) track: Option<String>,
}

/// The item the attribute was placed on: its name, visibility and outer attributes.
pub(crate) struct Target {
    pub(crate) ident: Ident,
    pub(crate) vis: syn::Visibility,
    pub(crate) attrs: Vec<syn::Attribute>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

fn rt() -> TokenStream {
    quote!(::whmcs_api::__private)
}

fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

/// Generates everything for an action spec.
pub(crate) fn action(spec: &Spec, target: &Target, opts: &Options) -> TokenStream {
    let rt = rt();
    let name = &target.ident;
    let vis = &target.vis;
    let response = format_ident!("{}Response", name);
    let error = format_ident!("{}Error", name);
    let wire_action = spec
        .action
        .as_ref()
        .map_or_else(|| name.to_string(), |a| a.value.clone());
    let summary = spec
        .summary
        .as_ref()
        .map_or(String::new(), |s| s.value.clone());
    let reference = spec
        .reference
        .as_ref()
        .map_or(String::new(), |s| s.value.clone());
    let category = spec
        .category
        .as_ref()
        .map_or(String::new(), |s| s.value.clone());
    let effect = match spec.effect.as_ref().map(|e| e.value) {
        Some(Effect::Read) => quote!(Read),
        Some(Effect::Destructive) => quote!(Destructive),
        Some(Effect::Financial) => quote!(Financial),
        Some(Effect::Write) | None => quote!(Write),
    };
    let response_types = spec.reachable(&spec.response);
    let request_types = spec.reachable(&spec.request);

    let request = request_struct(spec, target, &summary, &reference, &wire_action);
    let response_doc = format!("The successful answer to [`{name}`].");
    let response_struct = data_struct(
        &response,
        &response_doc,
        &spec.response,
        Side::Response,
        vis,
    );
    let types = spec.types.iter().map(|t| {
        let side = if response_types.contains(&t.name.value) {
            Side::Response
        } else {
            Side::Request
        };
        type_struct(t, side, request_types.contains(&t.name.value), vis)
    });
    let enums = spec.enums.iter().map(|e| enum_def(e, vis));
    let error_enum = error_enum(&error, name, &spec.errors, vis);

    let params = spec.request.iter().map(param_info);
    let errors = spec.errors.iter().map(|e| {
        let (v, m) = (e.variant.value.as_str(), e.message.value.as_str());
        quote!(::whmcs_api::ErrorInfo { variant: #v, message: #m })
    });
    let require_any = spec.require_any.iter().map(|r| {
        let params = r.params.iter().map(|p| p.value.as_str());
        let message = error_message(spec, &r.error.value);
        quote!(::whmcs_api::RequireAny { params: &[#(#params),*], message: #message })
    });
    let opt = |s: &Option<String>| match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let ex_req = opt(&spec.example_request);
    let ex_resp = opt(&spec.example_response);
    let since = opt(&spec.since);
    let paged = spec.paged;
    let describe = whmcs_spec::to_json(spec);
    let track = opts.track.as_ref().map(|p| {
        quote!(
            const _: &[u8] = ::core::include_bytes!(#p);
        )
    });
    let client = opts.client_methods.then(|| client_methods(spec, name));
    let pages = paged_impl(spec, name);

    quote! {
        #track
        #request
        #response_struct
        #(#types)*
        #(#enums)*
        #error_enum

        #[automatically_derived]
        #[allow(deprecated)]
        impl ::whmcs_api::Action for #name {
            type Response = #response;
            type Error = #error;
            const INFO: ::whmcs_api::ActionInfo = ::whmcs_api::ActionInfo {
                name: #wire_action,
                category: #category,
                effect: ::whmcs_api::Effect::#effect,
                summary: #summary,
                reference: #reference,
                since: #since,
                paged: #paged,
                params: &[#(#params),*],
                errors: &[#(#errors),*],
                require_any: &[#(#require_any),*],
                example_request: #ex_req,
                example_response: #ex_resp,
                prepare: #rt::prepare::<#name>,
                decode: #rt::decode_value::<#name>,
                describe: #describe,
            };
            fn encode(&self, form: &mut ::whmcs_api::Form) {
                #rt::EncodeFields::encode_fields(self, form, "");
            }
            fn from_wire(params: &mut ::whmcs_api::WireParams) -> ::core::result::Result<Self, ::whmcs_api::InvalidParams> {
                #rt::FromWireFields::from_wire_fields(params)
            }
        }
        #client
        #pages
    }
}

/// `Paged` for actions that take `limitstart`/`limitnum` and answer a list: the list is the
/// first `list<Type>` field of the response, the total `totalresults`.
fn paged_impl(spec: &Spec, name: &Ident) -> Option<TokenStream> {
    let has = |wire: &str| {
        spec.request
            .iter()
            .any(|f| f.wire.value == wire && f.ty.value == Ty::Int && !f.required)
    };
    if !spec.paged || !has("limitstart") || !has("limitnum") {
        return None;
    }
    let list = spec
        .response
        .iter()
        .find(|f| matches!(&f.ty.value, Ty::List(inner) if matches!(**inner, Ty::Named(_))))?;
    let Ty::List(inner) = &list.ty.value else {
        return None;
    };
    let item = rust_ty(inner, Side::Response);
    let items = ident(&list.rust);
    let (start, num) = (
        ident(
            &spec
                .request
                .iter()
                .find(|f| f.wire.value == "limitstart")?
                .rust,
        ),
        ident(
            &spec
                .request
                .iter()
                .find(|f| f.wire.value == "limitnum")?
                .rust,
        ),
    );
    let total = match spec
        .response
        .iter()
        .find(|f| f.wire.value == "totalresults" && f.ty.value == Ty::Int)
    {
        Some(f) => {
            let t = ident(&f.rust);
            quote!(response.#t)
        }
        None => quote!(::core::option::Option::None),
    };
    Some(quote! {
        #[automatically_derived]
        impl ::whmcs_api::Paged for #name {
            type Item = #item;
            fn set_page(&mut self, start: i64, num: i64) {
                self.#start = ::core::option::Option::Some(start);
                self.#num = ::core::option::Option::Some(num);
            }
            fn page_items(response: Self::Response) -> ::std::vec::Vec<Self::Item> {
                response.#items
            }
            fn total(response: &Self::Response) -> ::core::option::Option<i64> {
                #total
            }
        }
    })
}

/// The generated code for a shared-types file: its structs and enums only.
pub(crate) fn shared_types(spec: &Spec) -> TokenStream {
    let vis: syn::Visibility = syn::parse_quote!(pub);
    let types = spec
        .types
        .iter()
        .map(|t| type_struct(t, Side::Response, true, &vis));
    let enums = spec.enums.iter().map(|e| {
        let mut e = e.clone();
        e.open = true;
        enum_def(&e, &vis)
    });
    quote!(#(#types)* #(#enums)*)
}

fn error_message(spec: &Spec, variant: &str) -> String {
    spec.errors
        .iter()
        .find(|e| e.variant.value == variant)
        .map_or_else(String::new, |e| e.message.value.clone())
}

fn rust_ty(ty: &Ty, side: Side) -> TokenStream {
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
        Ty::Enum(n) | Ty::Named(n) => {
            let n = ident(n);
            quote!(#n)
        }
        Ty::List(t) => {
            let t = rust_ty(t, side);
            quote!(::std::vec::Vec<#t>)
        }
        Ty::Map(t) => {
            let t = rust_ty(t, side);
            quote!(::whmcs_api::__private::IndexMap<::std::string::String, #t>)
        }
        Ty::Numbered(n) => {
            let n = ident(n);
            quote!(::std::vec::Vec<#n>)
        }
    }
}

/// The Rust type of a field as stored in its struct.
fn field_ty(f: &Field, side: Side) -> TokenStream {
    let t = rust_ty(&f.ty.value, side);
    if f.pattern.is_some() {
        return quote!(::std::collections::BTreeMap<u32, #t>);
    }
    match (&f.ty.value, side, f.required) {
        (Ty::List(_) | Ty::Map(_) | Ty::Numbered(_), _, _) | (_, Side::Request, true) => t,
        _ => quote!(::core::option::Option<#t>),
    }
}

fn field_doc(f: &Field) -> String {
    let mut doc = f.doc.clone().unwrap_or_default();
    if !doc.is_empty() && !doc.ends_with('.') {
        doc.push('.');
    }
    let wire = match &f.pattern {
        Some(p) => format!("`{p}1`, `{p}2`, …"),
        None => format!("`{}`", f.wire.value),
    };
    let mut meta = format!("Wire name {wire}, type `{}`", f.ty.value.wire_name());
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

fn deprecated_attr(f: &Field) -> Option<TokenStream> {
    f.deprecated.as_ref().map(|note| {
        if note.is_empty() {
            quote!(#[deprecated(note = "deprecated by WHMCS")])
        } else {
            quote!(#[deprecated(note = #note)])
        }
    })
}

fn request_struct(
    spec: &Spec,
    target: &Target,
    summary: &str,
    reference: &str,
    wire_action: &str,
) -> TokenStream {
    let rt = rt();
    let name = &target.ident;
    let vis = &target.vis;
    let attrs = &target.attrs;
    let fields = &spec.request;
    let decls = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = field_ty(f, Side::Request);
        let doc = field_doc(f);
        let dep = deprecated_attr(f);
        quote!(#[doc = #doc] #dep pub #id: #ty,)
    });
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let id = ident(&f.rust);
        let (ty, _) = setter_arg(f);
        quote!(#id: #ty)
    });
    let inits = fields.iter().map(|f| {
        let id = ident(&f.rust);
        if f.required {
            let (_, conv) = setter_arg(f);
            quote!(#id: { let v = #id; #conv },)
        } else {
            quote!(#id: ::core::default::Default::default(),)
        }
    });
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let id = ident(&f.rust);
        let (ty, conv) = setter_arg(f);
        let doc = format!(
            "Sets `{}`. {}",
            f.wire.value,
            f.doc.clone().unwrap_or_default()
        );
        let dep = deprecated_attr(f);
        let store = match f.ty.value {
            Ty::List(_) | Ty::Map(_) | Ty::Numbered(_) => quote!(self.#id = #conv;),
            _ => quote!(self.#id = ::core::option::Option::Some(#conv);),
        };
        quote! {
            #[doc = #doc]
            #dep
            #[must_use]
            pub fn #id(mut self, v: #ty) -> Self { #store self }
        }
    });
    let doc_new = if required.is_empty() {
        "Starts a request with no parameters set.".to_string()
    } else {
        format!(
            "Starts a request with its required parameters ({}).",
            required
                .iter()
                .map(|f| format!("`{}`", f.wire.value))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let doc = format!(
        "{summary}\n\nThe `{wire_action}` action ([reference]({reference})). Send it with \
         [`Client::execute`](::whmcs_api::Client::execute); a successful answer is a \
         [`{name}Response`], a WHMCS error a [`{name}Error`]."
    );
    let encode = encode_body(fields);
    let from_wire = from_wire_body(fields, quote!(Self), true);
    let _ = &rt;
    quote! {
        #[doc = #doc]
        #(#attrs)*
        #[derive(Clone, Debug)]
        #[allow(deprecated)]
        #vis struct #name {
            #(#decls)*
            /// Parameters the spec does not list, sent as given after the documented ones.
            pub extra_params: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
        }

        #[allow(deprecated, clippy::new_without_default, clippy::too_many_arguments)]
        impl #name {
            #[doc = #doc_new]
            #[must_use]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* extra_params: ::std::vec::Vec::new() }
            }
            #(#setters)*
            /// Adds a parameter the spec does not list; it is sent as given.
            #[must_use]
            pub fn param(mut self, key: impl ::core::convert::Into<::std::string::String>, value: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.extra_params.push((key.into(), value.into()));
                self
            }
        }

        #[automatically_derived]
        #[allow(deprecated)]
        impl #rt::EncodeFields for #name {
            fn encode_fields(&self, form: &mut ::whmcs_api::Form, _prefix: &str) {
                #encode
                for (k, v) in &self.extra_params {
                    form.pair(k, v);
                }
            }
        }

        #[automatically_derived]
        #[allow(deprecated)]
        impl #rt::FromWireFields for #name {
            fn from_wire_fields(params: &mut ::whmcs_api::WireParams) -> ::core::result::Result<Self, ::whmcs_api::InvalidParams> {
                #from_wire
            }
        }
    }
}

/// The parameter type of a setter and the expression that converts `v` into the field type.
fn setter_arg(f: &Field) -> (TokenStream, TokenStream) {
    let inner = |t: &Ty| rust_ty(t, Side::Request);
    match &f.ty.value {
        Ty::String => (
            quote!(impl ::core::convert::Into<::std::string::String>),
            quote!(v.into()),
        ),
        Ty::Secret => (
            quote!(impl ::core::convert::Into<::std::string::String>),
            quote!(::whmcs_api::Secret::from(v.into())),
        ),
        Ty::Float | Ty::Money => (
            quote!(impl ::core::convert::Into<::whmcs_api::Decimal>),
            quote!(v.into()),
        ),
        Ty::Serialized => (
            quote!(impl ::core::convert::Into<::whmcs_api::Serialized>),
            quote!(v.into()),
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
        Ty::List(t) => {
            let item = inner(t);
            (
                quote!(impl ::core::iter::IntoIterator<Item = #item>),
                quote!(v.into_iter().collect()),
            )
        }
        Ty::Numbered(n) => {
            let item = ident(n);
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

/// Statements writing the fields of `self` to `form`; `_prefix` nests them (`key[field]`).
fn encode_body(fields: &[Field]) -> TokenStream {
    let rt = rt();
    let stmts = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        match &f.ty.value {
            Ty::Numbered(_) => quote!(#rt::encode_numbered(&self.#id, form, _prefix);),
            _ => {
                quote!(#rt::EncodeParam::encode_param(&self.#id, form, &#rt::key(_prefix, #wire));)
            }
        }
    });
    quote!(#(#stmts)*)
}

/// Statements taking the fields from `params` and building `#ctor`.
fn from_wire_body(fields: &[Field], ctor: TokenStream, top: bool) -> TokenStream {
    let lets = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        match &f.ty.value {
            Ty::Numbered(n) => {
                let t = ident(n);
                quote!(let #id = params.numbered::<#t>();)
            }
            _ if f.required => quote!(let #id = params.required(#wire);),
            Ty::List(_) | Ty::Map(_) => {
                quote!(let #id = params.optional(#wire).unwrap_or_default();)
            }
            _ => quote!(let #id = params.optional(#wire);),
        }
    });
    let required: Vec<Ident> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| ident(&f.rust))
        .collect();
    let names = fields.iter().map(|f| ident(&f.rust));
    let (take_extra, extra) = if top {
        (
            quote!(let extra_params = params.rest();),
            quote!(extra_params,),
        )
    } else {
        (quote!(), quote!())
    };
    quote! {
        #(#lets)*
        #take_extra
        let (#(::core::option::Option::Some(#required),)*) = (#(#required,)*) else {
            return ::core::result::Result::Err(params.take_error());
        };
        params.finish()?;
        ::core::result::Result::Ok(#ctor { #(#names,)* #extra })
    }
}

fn type_struct(t: &TypeDef, side: Side, in_request: bool, vis: &syn::Visibility) -> TokenStream {
    let name = ident(&t.name.value);
    let doc = t
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` shape of the WHMCS API.", t.name.value));
    let mut out = data_struct(&name, &doc, &t.fields, side, vis);
    if in_request {
        out.extend(request_impls(&name, &t.fields));
    }
    out
}

/// Encoding and wire parsing for a nested struct (used when it appears in a request).
fn request_impls(name: &Ident, fields: &[Field]) -> TokenStream {
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
            Ty::List(_) | Ty::Map(_) => {
                quote!(let #id = params.optional(#wire).unwrap_or_default();)
            }
            _ => quote!(let #id = params.optional(#wire);),
        }
    });
    let names = fields.iter().map(|f| ident(&f.rust));
    quote! {
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

/// A struct decoded from JSON: typed fields plus `extra`, the keys no spec names.
fn data_struct(
    name: &Ident,
    doc: &str,
    fields: &[Field],
    side: Side,
    vis: &syn::Visibility,
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
    let arms = fields.iter().enumerate().filter(|(_, f)| f.pattern.is_none()).map(|(idx, f)| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        match &f.wrapper {
            Some(w) => quote!(#wire => #rt::put_wrapped(&mut self.#id, #w, key, #idx, &mut self.extra, value),),
            None => quote!(#wire => #rt::put(&mut self.#id, key, #idx, &mut self.extra, value),),
        }
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
        }
        #rt::impl_data!(#name);
    }
}

fn enum_def(e: &EnumDef, vis: &syn::Visibility) -> TokenStream {
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

fn error_enum(
    error: &Ident,
    action: &Ident,
    errors: &[ErrorDef],
    vis: &syn::Visibility,
) -> TokenStream {
    let rt = rt();
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

fn param_info(f: &Field) -> TokenStream {
    let wire = match (&f.ty.value, &f.pattern) {
        (_, Some(p)) => format!("{p}{{n}}"),
        _ => f.wire.value.clone(),
    };
    let ty = f.ty.value.wire_name();
    let required = f.required;
    let opt = |s: &Option<String>| match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let deprecated = opt(&f.deprecated);
    let since = opt(&f.since);
    let doc = f.doc.clone().unwrap_or_default();
    let rust = &f.rust;
    quote! {
        ::whmcs_api::ParamInfo { name: #wire, rust: #rust, ty: #ty, required: #required, doc: #doc, deprecated: #deprecated, since: #since }
    }
}

/// `Client::get_invoices(..)` and chainable setters on `Call`, for the actions of `whmcs-api`.
fn client_methods(spec: &Spec, name: &Ident) -> TokenStream {
    let method = ident(&naming::snake(&name.to_string()));
    let required: Vec<&Field> = spec.request.iter().filter(|f| f.required).collect();
    let args: Vec<TokenStream> = required
        .iter()
        .map(|f| {
            let id = ident(&f.rust);
            let (ty, _) = setter_arg(f);
            quote!(#id: #ty)
        })
        .collect();
    let arg_names = required.iter().map(|f| ident(&f.rust));
    let setters = spec.request.iter().filter(|f| !f.required).map(|f| {
        let id = ident(&f.rust);
        let (ty, _) = setter_arg(f);
        let doc = format!("Sets `{}` (see [`{name}::{id}`]).", f.wire.value);
        let dep = deprecated_attr(f);
        quote! {
            #[doc = #doc]
            #dep
            #[must_use]
            pub fn #id(self, v: #ty) -> Self { self.map(|r| r.#id(v)) }
        }
    });
    let doc = format!(
        "Starts a [`{name}`] call: set optional parameters, then `.await` it (or call `.send()`).\n\n{}",
        spec.summary
            .as_ref()
            .map_or(String::new(), |s| s.value.clone())
    );
    quote! {
        #[allow(deprecated, clippy::too_many_arguments)]
        impl crate::Client {
            #[doc = #doc]
            pub fn #method(&self, #(#args),*) -> crate::Call<#name> {
                self.call(#name::new(#(#arg_names),*))
            }
        }
        #[allow(deprecated)]
        impl crate::Call<#name> {
            #(#setters)*
            /// Adds a parameter the spec does not list; it is sent as given.
            #[must_use]
            pub fn param(self, key: impl ::core::convert::Into<::std::string::String>, value: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.map(|r| r.param(key, value))
            }
        }
    }
}
