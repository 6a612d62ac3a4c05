//! What only `whmcs-api` generates for its own actions: `Client` shorthands that start a bound
//! request (awaitable), and paging for listing actions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use whmcs_spec::checked::{ActionSpec, Field, Ty};
use whmcs_spec::naming;

use crate::facts::{effect_doc, page_list};
use crate::types::{Side, ident, rt, rust_ty};

/// `Client::get_invoices(..)` and `IntoFuture` for the bound request.
pub(crate) fn client_methods(spec: &ActionSpec, name: &Ident) -> TokenStream {
    let rt = rt();
    let method = ident(&naming::snake(&name.to_string()));
    let response = format_ident!("{}Response", name);
    let error = format_ident!("{}Error", name);
    let required: Vec<&Field> = spec.request.iter().filter(|f| f.required).collect();
    let target = crate::Target {
        ident: name.clone(),
        vis: syn::parse_quote!(pub),
        attrs: Vec::new(),
    };
    let named = crate::facts::named_required(spec, &target);
    let (args, arg_names) = crate::facts::required_args(&required, named.as_ref());
    let mut doc = format!(
        "Starts a [`{name}`] call: set optional parameters, then `.await` it.\n\n{}\n\n{}",
        spec.summary,
        effect_doc(spec)
    );
    if page_list(spec).is_some() {
        doc.push_str(&format!(
            "\n\nA listing: `.pages(n)` walks every page (see [`{name}`])."
        ));
    }
    let pages = page_list(spec).map(|_| {
        quote! {
            impl #name<crate::Client> {
                /// Every matching record, `page_size` per request (see [`Pages`](crate::Pages)).
                pub fn pages(self, page_size: i64) -> crate::Pages<#name> {
                    #rt::pages::<#name, _>(&self.__client, &self, page_size)
                }
            }
        }
    });
    quote! {
        #[allow(deprecated, clippy::too_many_arguments)]
        impl crate::Client {
            #[doc = #doc]
            pub fn #method(&self, #(#args),*) -> #name<crate::Client> {
                #name::__with(self.clone(), #(#arg_names),*)
            }
        }
        impl ::core::future::IntoFuture for #name<crate::Client> {
            type Output = ::core::result::Result<#response, crate::Error<#error>>;
            type IntoFuture = crate::Pending<#name>;
            fn into_future(self) -> Self::IntoFuture {
                #rt::send::<#name, _>(&self.__client, &self)
            }
        }
        #pages
    }
}

/// `Paged` for listing actions: the items of a page and the total.
pub(crate) fn paged_impl(spec: &ActionSpec, name: &Ident) -> Option<TokenStream> {
    let list = page_list(spec)?;
    let Ty::List(inner) = &list.ty.value else {
        return None;
    };
    let item = rust_ty(inner, Side::Response);
    let items = ident(&list.rust);
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
            fn page_items(response: Self::Response) -> ::std::vec::Vec<Self::Item> {
                response.#items
            }
            fn total(response: &Self::Response) -> ::core::option::Option<i64> {
                #total
            }
        }
    })
}
