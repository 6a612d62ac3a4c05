//! The request struct: documented parameters as public fields, required ones in `new`, a setter
//! for each optional one (generated once, for requests alone and for those made by a `Client`
//! shorthand), encoding to the form body and reading from wire-form JSON.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use whmcs_spec::checked::{ActionSpec, Field, Ty};

use crate::Target;
use crate::types::{Side, deprecated_attr, field_doc, field_ty, ident, rt, setter_arg};

/// The request struct of an action, generic over what it is bound to (`()` alone, a `Client`
/// when made by a shorthand, so that it can be awaited).
pub(crate) fn request(spec: &ActionSpec, target: &Target, client_methods: bool) -> TokenStream {
    let rt = rt();
    let Target {
        ident: name,
        vis,
        attrs,
    } = target;
    let fields = &spec.request;
    let decls = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = field_ty(f, Side::Request);
        let doc = field_doc(f);
        let dep = deprecated_attr(f);
        quote!(#[doc = #doc] #dep pub #id: #ty,)
    });
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let named = crate::facts::named_required(spec, target);
    let (args, arg_names) = crate::facts::required_args(&required, named.as_ref());
    let unpack = named.as_ref().map(|n| n.unpack.clone());
    let required_struct = named.as_ref().map(|n| n.decl.clone());
    let inits = fields.iter().map(|f| {
        let id = ident(&f.rust);
        if f.required {
            let (_, conv) = setter_arg(f);
            quote!(#id: { let v = #id; #conv },)
        } else {
            quote!(#id: ::core::default::Default::default(),)
        }
    });
    let setters = fields
        .iter()
        .filter(|f| !f.required)
        .map(crate::facts::setter);
    let doc_new = if let Some(n) = &named {
        format!(
            "Starts a request with its required parameters, named in a [`{}`].",
            n.name
        )
    } else if required.is_empty() {
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
    let mut doc = format!(
        "{}\n\nThe `{}` action ([reference]({})). Send it with \
         [`Client::execute`](::whmcs_api::Client::execute); a successful answer is a \
         [`{name}Response`], a WHMCS error a [`{name}Error`].\n\n{}",
        spec.summary,
        spec.name,
        spec.reference,
        crate::facts::effect_doc(spec)
    );
    if client_methods {
        let method = whmcs_spec::naming::snake(&spec.name);
        doc.push_str(&format!(
            "\n\nShorthand: [`Client::{method}`](crate::Client::{method}) starts one bound to a \
             client, to set parameters on and `.await`."
        ));
        if crate::facts::page_list(spec).is_some() {
            doc.push_str(&format!(
                "\n\nA listing: `client.{method}(…).pages(n)` walks every page, `n` records per \
                 request, as a stream (see [`Pages`](crate::Pages))."
            ));
            if required.is_empty() {
                doc.push_str(&format!(
                    "\n\n```no_run\n# async fn run(client: whmcs_api::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
                     let mut pages = client.{method}().pages(100);\n\
                     while let Some(record) = pages.next().await {{\n    let record = record?;\n}}\n# Ok(()) }}\n```"
                ));
            }
        }
    }
    doc.push_str(
        "\n\n`C` is what the request is bound to: `()` for a request built with `new`, a \
         [`Client`](::whmcs_api::Client) for one started from a client, which can be awaited.",
    );
    let encode = encode_body(fields);
    let from_wire = from_wire_body(fields);
    quote! {
        #required_struct

        #[doc = #doc]
        #(#attrs)*
        #[derive(Clone, Debug)]
        #[allow(deprecated)]
        #vis struct #name<C = ()> {
            #(#decls)*
            /// Parameters the spec does not list, sent as given after the documented ones.
            pub extra_params: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
            __client: C,
        }

        #[allow(deprecated, clippy::new_without_default, clippy::too_many_arguments)]
        impl #name {
            #[doc = #doc_new]
            #[must_use]
            pub fn new(#(#args),*) -> Self {
                Self::__with((), #(#arg_names),*)
            }
        }

        #[allow(deprecated, clippy::too_many_arguments)]
        impl<C> #name<C> {
            fn __with(__client: C, #(#args),*) -> Self {
                #unpack
                Self { #(#inits)* extra_params: ::std::vec::Vec::new(), __client }
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
        impl<C> #rt::EncodeFields for #name<C> {
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

/// Statements writing the fields of `self` to `form`; `_prefix` nests them (`key[field]`).
fn encode_body(fields: &[Field]) -> TokenStream {
    let rt = rt();
    let stmts = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        match &f.ty.value {
            Ty::Numbered(_) => quote!(#rt::encode_numbered(&self.#id, form);),
            Ty::Csv(_) => quote!(#rt::encode_csv(&self.#id, form, &#rt::key(_prefix, #wire));),
            _ => {
                quote!(#rt::EncodeParam::encode_param(&self.#id, form, &#rt::key(_prefix, #wire));)
            }
        }
    });
    quote!(#(#stmts)*)
}

/// Statements taking the fields from `params` and building the unbound request.
fn from_wire_body(fields: &[Field]) -> TokenStream {
    let lets = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let wire = &f.wire.value;
        match &f.ty.value {
            Ty::Numbered(n) => {
                let t = crate::types::type_ref(n);
                quote!(let #id = params.numbered::<#t>();)
            }
            Ty::Csv(_) if f.required => {
                quote!(let #id = ::core::option::Option::Some(params.csv(#wire));)
            }
            Ty::Csv(_) => quote!(let #id = params.csv(#wire);),
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
    quote! {
        #(#lets)*
        let extra_params = params.rest();
        let (#(::core::option::Option::Some(#required),)*) = (#(#required,)*) else {
            return ::core::result::Result::Err(params.take_error());
        };
        params.finish()?;
        ::core::result::Result::Ok(Self { #(#names,)* extra_params, __client: () })
    }
}
