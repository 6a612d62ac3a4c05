//! What several outputs derive from a spec alike: the named form of required parameters, the
//! setter of an optional one, the list a listing pages over, the effect's words for docs.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use whmcs_spec::checked::{ActionSpec, Field, Ty};

use crate::Target;
use crate::types::{Side, deprecated_attr, ident, setter_arg};

/// How an action's effect reads in its docs.
pub(crate) fn effect_doc(spec: &ActionSpec) -> &'static str {
    use whmcs_spec::checked::Effect;
    match spec.effect {
        Effect::Read => {
            "Effect: **read**. It changes nothing, so a failed attempt is retried as the client's retry policy allows."
        }
        Effect::Write => {
            "Effect: **write**. Never sent twice once it may have reached WHMCS: an attempt that fails after sending is reported, not retried."
        }
        Effect::Destructive => {
            "Effect: **destructive** (deletes or terminates). Never sent twice once it may have reached WHMCS."
        }
        Effect::Financial => {
            "Effect: **financial** (moves money). Never sent twice once it may have reached WHMCS."
        }
    }
}

/// The list field a listing action pages over: the first `list<Type>` of the response, for
/// specs marked `paged` that take `limitstart` and `limitnum`.
pub(crate) fn page_list(spec: &ActionSpec) -> Option<&Field> {
    let has = |wire: &str| {
        spec.request
            .iter()
            .any(|f| f.wire.value == wire && f.ty.value == Ty::Int && !f.required)
    };
    if !spec.paged || !has("limitstart") || !has("limitnum") {
        return None;
    }
    spec.response
        .iter()
        .find(|f| matches!(&f.ty.value, Ty::List(inner) if matches!(**inner, Ty::Named(_))))
}

/// The struct that names the required parameters of an action with more than three of them, so
/// that none can be swapped for another and leaving one out does not compile.
pub(crate) struct NamedRequired {
    /// Its name (`AddClientRequired`).
    pub(crate) name: Ident,
    /// Its type as an argument (`AddClientRequired<'_>`).
    pub(crate) ty: TokenStream,
    /// Its declaration.
    pub(crate) decl: TokenStream,
    /// Statements binding each field of `required` to a local of the field's name.
    pub(crate) unpack: TokenStream,
}

/// More than this many required parameters are passed by name.
const POSITIONAL_MAX: usize = 3;

pub(crate) fn named_required(spec: &ActionSpec, target: &Target) -> Option<NamedRequired> {
    let required: Vec<&Field> = spec.request.iter().filter(|f| f.required).collect();
    if required.len() <= POSITIONAL_MAX {
        return None;
    }
    let vis = &target.vis;
    let name = quote::format_ident!("{}Required", target.ident);
    let borrows = required
        .iter()
        .any(|f| matches!(f.ty.value, Ty::String | Ty::Secret));
    let lifetime = borrows.then(|| quote!(<'a>));
    let ty = if borrows {
        quote!(#name<'_>)
    } else {
        quote!(#name)
    };
    let decls = required.iter().map(|f| {
        let id = ident(&f.rust);
        let doc = crate::types::field_doc(f);
        let t = match f.ty.value {
            Ty::String | Ty::Secret => quote!(&'a str),
            _ => crate::types::rust_ty(&f.ty.value, Side::Request),
        };
        quote!(#[doc = #doc] pub #id: #t,)
    });
    let names: Vec<Ident> = required.iter().map(|f| ident(&f.rust)).collect();
    let doc = format!(
        "The required parameters of [`{}`], by name: every field must be given, so none is \
         left out or swapped for another.",
        target.ident
    );
    let decl = quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        #vis struct #name #lifetime {
            #(#decls)*
        }
    };
    let unpack = quote! {
        let #name { #(#names),* } = required;
    };
    Some(NamedRequired {
        name,
        ty,
        decl,
        unpack,
    })
}

pub(crate) fn setter(f: &Field) -> TokenStream {
    let id = ident(&f.rust);
    let (ty, conv) = setter_arg(f);
    let doc = format!(
        "Sets `{}`. {}",
        f.wire.value,
        f.doc.clone().unwrap_or_default()
    );
    let dep = deprecated_attr(f);
    let store = match f.ty.value {
        Ty::List(_) | Ty::Map(_) | Ty::Numbered(_) | Ty::Csv(_) => quote!(self.#id = #conv;),
        _ => quote!(self.#id = ::core::option::Option::Some(#conv);),
    };
    quote! {
        #[doc = #doc]
        #dep
        #[must_use]
        pub fn #id(mut self, v: #ty) -> Self { #store self }
    }
}

/// The parameters of `new` and of a `Client` shorthand, and the names to pass them on by: one
/// per required parameter, or the one struct that names them.
pub(crate) fn required_args(
    required: &[&Field],
    named: Option<&NamedRequired>,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    match named {
        Some(n) => {
            let ty = &n.ty;
            (vec![quote!(required: #ty)], vec![quote!(required)])
        }
        None => required
            .iter()
            .map(|f| {
                let id = ident(&f.rust);
                let (ty, _) = setter_arg(f);
                (quote!(#id: #ty), quote!(#id))
            })
            .unzip(),
    }
}
