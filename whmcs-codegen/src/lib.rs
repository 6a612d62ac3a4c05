//! Code generation for `whmcs-api`: a checked spec ([`whmcs_spec::checked::ActionSpec`]) in,
//! the tokens of its request, response, enums, error enum and metadata out.
//!
//! An ordinary library, so the generated code can be looked at and snapshot-tested without
//! compiling a user crate; `whmcs-macros` only reads files and calls it. One module per thing
//! generated: [`request`](crate::action) (the request struct and its setters), `response`
//! (answer structs), `enums`, `errors`, `info` (the `Action` impl and its metadata), `client`
//! (`Client` shorthands and paging), `directory` (a whole spec tree and the table of actions).
//!
//! Generated code reaches the runtime only through `::whmcs_api` and its hidden `__private`
//! module, so it depends on one exact version of `whmcs-api`.

#![deny(missing_docs)]

mod client;
mod directory;
mod enums;
mod errors;
mod facts;
mod info;
mod request;
mod response;
mod types;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use whmcs_spec::checked::{ActionSpec, Ty, TypesSpec};
use whmcs_spec::tree::File;

pub use directory::{actions_table, directory};

/// The item the spec is generated for: the unit struct the attribute sits on, or the name the
/// directory form gives it.
#[derive(Clone)]
#[allow(missing_debug_implementations)] // syn's types have `Debug` only with its `extra-traits`
pub struct Target {
    /// The request type's name.
    pub ident: Ident,
    /// Its visibility (the response, error and nested types get the same).
    pub vis: syn::Visibility,
    /// Outer attributes to keep (docs, derives the user wrote).
    pub attrs: Vec<syn::Attribute>,
}

/// What the caller wants besides the action itself.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Emit `Client::<action>()` shorthands, which only `whmcs-api` itself can define.
    pub client_methods: bool,
    /// Files the output depends on (absolute paths), so the crate rebuilds when one changes.
    pub track: Vec<String>,
    /// Where the shared types the spec uses are (`crate::types`), for an action generated
    /// outside the module holding them; `None` when they are in scope (the directory form).
    pub shared_path: Option<String>,
}

/// Everything generated for one action spec.
pub fn action(spec: &ActionSpec, target: &Target, opts: &Options) -> TokenStream {
    let qualified;
    let spec = match &opts.shared_path {
        Some(path) if !spec.shared_refs.is_empty() => {
            qualified = qualify(spec, path);
            &qualified
        }
        _ => spec,
    };
    let track = track(&opts.track);
    let request = request::request(spec, target, opts.client_methods);
    let response = response::response(spec, target);
    let nested = response::nested_types(spec, &target.vis);
    let enums = spec.enums.iter().map(|e| enums::enum_def(e, &target.vis));
    let errors = errors::error_enum(spec, target);
    let info = info::action_impl(spec, target);
    let client = opts
        .client_methods
        .then(|| client::client_methods(spec, &target.ident));
    let paged = client::paged_impl(spec, &target.ident);
    quote! {
        #track
        #request
        #response
        #nested
        #(#enums)*
        #errors
        #info
        #client
        #paged
    }
}

/// `spec` with its references to shared types written as paths under `path`.
fn qualify(spec: &ActionSpec, path: &str) -> ActionSpec {
    fn ty(t: &mut Ty, spec_refs: &std::collections::BTreeSet<String>, path: &str) {
        match t {
            Ty::Named(n) | Ty::Enum(n) | Ty::Numbered(n) if spec_refs.contains(n.as_str()) => {
                *n = format!("{path}::{n}");
            }
            Ty::List(inner) | Ty::Map(inner) | Ty::Csv(inner) => ty(inner, spec_refs, path),
            _ => {}
        }
    }
    let mut out = spec.clone();
    let refs = &spec.shared_refs;
    for f in out
        .request
        .iter_mut()
        .chain(out.response.iter_mut())
        .chain(out.types.iter_mut().flat_map(|t| t.fields.iter_mut()))
    {
        ty(&mut f.ty.value, refs, path);
    }
    out
}

/// The shared types of a crate (its `specs/types/*.toml`), for `whmcs_api::types!`: every
/// struct and enum of every file, defined once where the macro is called.
pub fn shared_module(files: &[File<TypesSpec>]) -> TokenStream {
    let mut out = TokenStream::new();
    for file in files {
        out.extend(track(&[file.path.display().to_string()]));
        out.extend(shared_types(&file.spec));
    }
    out
}

/// The structs and enums of a shared-types file.
pub fn shared_types(spec: &TypesSpec) -> TokenStream {
    let vis: syn::Visibility = syn::parse_quote!(pub);
    let types = spec
        .types
        .iter()
        .map(|t| response::type_struct(t, response::Side::Response, true, &vis));
    let enums = spec.enums.iter().map(|e| enums::enum_def(e, &vis));
    quote!(#(#types)* #(#enums)*)
}

/// What stands in for an action whose spec is broken, beside the error, so that code using it
/// gets one error rather than hundreds.
pub fn stub(target: &Target, error: TokenStream) -> TokenStream {
    let Target { ident, vis, .. } = target;
    let response = format_ident!("{}Response", ident);
    let err = format_ident!("{}Error", ident);
    quote! {
        #error
        #vis struct #ident;
        #vis struct #response;
        #vis enum #err {}
    }
}

/// `include_bytes!` of each file, which makes the compiler rebuild when one changes.
fn track(files: &[String]) -> TokenStream {
    let files = files.iter();
    quote!(#(const _: &[u8] = ::core::include_bytes!(#files);)*)
}
