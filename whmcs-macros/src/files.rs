//! Finding and reading spec files, and running each through load → check → expand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::ParseStream;
use syn::{LitStr, Token};

use crate::expand::{self, Options, Target};
use whmcs_spec::model::Spec;
use whmcs_spec::valid::Shared;
use whmcs_spec::{naming, shared_names, toml_files};

/// `spec = "path"` of the attribute macro.
pub(crate) struct ActionArgs {
    spec: LitStr,
    client_methods: bool,
}

impl ActionArgs {
    pub(crate) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut spec = None;
        let mut client_methods = false;
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            if key == "spec" {
                input.parse::<Token![=]>()?;
                spec = Some(input.parse::<LitStr>()?);
            } else if key == "client_methods" {
                client_methods = true;
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown argument `{key}`: expected `spec = \"specs/<category>/<Action>.toml\"`"
                    ),
                ));
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let spec =
            spec.ok_or_else(|| input.error("missing `spec = \"specs/<category>/<Action>.toml\"`"))?;
        Ok(Self {
            spec,
            client_methods,
        })
    }
}

/// `"dir"` and an optional `client_methods` flag of the directory macro.
pub(crate) struct DirArgs {
    dir: LitStr,
    client_methods: bool,
}

impl DirArgs {
    pub(crate) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let dir: LitStr = input.parse()?;
        let mut client_methods = false;
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let flag: syn::Ident = input.parse()?;
            if flag != "client_methods" {
                return Err(syn::Error::new(flag.span(), "expected `client_methods`"));
            }
            client_methods = true;
        }
        Ok(Self {
            dir,
            client_methods,
        })
    }
}

fn base_dir() -> PathBuf {
    std::env::var_os("WHMCS_SPEC_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map_or_else(|| PathBuf::from("."), PathBuf::from)
}

/// Loads and checks one spec; `Err` carries every problem, located.
fn read_spec(rel: &str, abs: &Path, shared: &Shared, is_action: bool) -> Result<Spec, Vec<String>> {
    let base = if std::env::var_os("WHMCS_SPEC_DIR").is_some() {
        "`WHMCS_SPEC_DIR`"
    } else {
        "the crate's Cargo.toml"
    };
    whmcs_spec::check_file(rel, abs, shared, is_action, base)
}

pub(crate) fn action(args: ActionArgs, item: syn::ItemStruct) -> syn::Result<TokenStream> {
    let rel = args.spec.value();
    let abs = base_dir().join(&rel);
    let shared = abs
        .parent()
        .and_then(Path::parent)
        .map(|d| shared_names(&d.join("types")))
        .unwrap_or_default();
    let target = Target {
        ident: item.ident.clone(),
        vis: item.vis.clone(),
        attrs: item.attrs.clone(),
    };
    match read_spec(&rel, &abs, &shared, true) {
        Ok(spec) => {
            if !matches!(item.fields, syn::Fields::Unit) || !item.generics.params.is_empty() {
                return Err(syn::Error::new_spanned(
                    &item,
                    "`#[action]` goes on a unit struct without generics, e.g. `pub struct GetInvoices;`: the spec supplies the fields",
                ));
            }
            let opts = Options {
                client_methods: args.client_methods,
                track: Some(abs.display().to_string()),
            };
            Ok(expand::action(&spec, &target, &opts))
        }
        Err(errors) => {
            let err = to_syn(errors, args.spec.span()).into_compile_error();
            Ok(stub(&target, err))
        }
    }
}

/// What stands in for a broken spec, so its users get one error, not hundreds.
fn stub(target: &Target, err: TokenStream) -> TokenStream {
    let Target { ident, vis, .. } = target;
    let response = format_ident!("{}Response", ident);
    let error = format_ident!("{}Error", ident);
    quote! {
        #err
        #vis struct #ident;
        #vis struct #response;
        #vis enum #error {}
    }
}

pub(crate) fn directory(args: DirArgs) -> syn::Result<TokenStream> {
    let root_rel = args.dir.value();
    let root = base_dir().join(&root_rel);
    let span = args.dir.span();
    let types_dir = root.join("types");
    let shared = shared_names(&types_dir);
    let mut errors = Vec::new();
    let mut shared_code = TokenStream::new();
    for path in toml_files(&types_dir) {
        let rel = rel_path(&root_rel, &root, &path);
        match read_spec(&rel, &path, &shared, false) {
            Ok(spec) => {
                let file = path.display().to_string();
                shared_code.extend(quote!(
                    const _: &[u8] = ::core::include_bytes!(#file);
                ));
                shared_code.extend(expand::shared_types(&spec));
            }
            Err(e) => errors.extend(e),
        }
    }
    let mut categories = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map_err(|e| syn::Error::new(span, format!("{root_rel}: cannot read spec directory: {e}")))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "types"))
        .collect();
    dirs.sort();
    let mut all = Vec::new();
    // First every spec, so names defined by more than one action are known before generating.
    let mut loaded: Vec<(String, Vec<(PathBuf, Spec)>)> = Vec::new();
    let mut defined: BTreeMap<String, usize> = shared
        .types
        .iter()
        .chain(&shared.enums)
        .map(|n| (n.clone(), 1))
        .collect();
    for dir in dirs {
        let Some(cat) = dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        let mut specs = Vec::new();
        for path in toml_files(&dir) {
            let rel = rel_path(&root_rel, &root, &path);
            match read_spec(&rel, &path, &shared, true) {
                Ok(spec) => {
                    if spec.category.as_ref().is_some_and(|c| c.value != cat) {
                        errors.push(format!(
                            "{rel}: the spec says `category = \"{}\"` but lives in `{cat}/`",
                            spec.category.as_ref().map_or("", |c| c.value.as_str())
                        ));
                    }
                    for name in spec
                        .types
                        .iter()
                        .map(|t| &t.name.value)
                        .chain(spec.enums.iter().map(|e| &e.name.value))
                    {
                        *defined.entry(name.clone()).or_default() += 1;
                    }
                    specs.push((path, spec));
                }
                Err(e) => errors.extend(e),
            }
        }
        loaded.push((cat, specs));
    }
    for (cat, specs) in loaded {
        let cat_ident = syn::Ident::new(&cat, Span::call_site());
        let mut modules = Vec::new();
        for (path, spec) in specs {
            let Some(name) = spec.action.as_ref().map(|a| a.value.clone()) else {
                continue;
            };
            let ident = syn::Ident::new(&name, Span::call_site());
            let module = syn::Ident::new(&naming::snake(&name), Span::call_site());
            let target = Target {
                ident: ident.clone(),
                vis: syn::parse_quote!(pub),
                attrs: Vec::new(),
            };
            let opts = Options {
                client_methods: args.client_methods,
                track: Some(path.display().to_string()),
            };
            let code = expand::action(&spec, &target, &opts);
            let doc = format!(
                "The `{name}` action: {}",
                spec.summary.as_ref().map_or("", |s| s.value.as_str())
            );
            // Flat names: the action's own three, and its types and enums unless another action
            // defines the same name (those stay reachable through the action's module).
            let response = format_ident!("{}Response", ident);
            let error = format_ident!("{}Error", ident);
            let unique = spec
                .types
                .iter()
                .map(|t| &t.name.value)
                .chain(spec.enums.iter().map(|e| &e.name.value))
                .filter(|n| defined.get(*n) == Some(&1))
                .map(|n| syn::Ident::new(n, Span::call_site()));
            modules.push(quote! {
                #[doc = #doc]
                pub mod #module {
                    #[allow(unused_imports)]
                    use super::super::types::*;
                    #code
                }
                pub use #module::{#ident, #response, #error, #(#unique),*};
            });
            all.push((
                cat.clone(),
                quote!(&<#cat_ident::#ident as ::whmcs_api::Action>::INFO),
            ));
        }
        let doc = format!("Actions of the WHMCS `{cat}` category.");
        categories.push(quote! {
            #[cfg(feature = #cat)]
            #[doc = #doc]
            pub mod #cat_ident {
                #(#modules)*
            }
            #[cfg(feature = #cat)]
            pub use #cat_ident::*;
        });
    }
    if !errors.is_empty() {
        return Err(to_syn(errors, span));
    }
    let infos = all
        .iter()
        .map(|(cat, info)| quote!(#[cfg(feature = #cat)] #info,));
    Ok(quote! {
        /// Shapes several actions share.
        pub mod types {
            #shared_code
        }
        pub use types::*;
        #(#categories)*
        /// Metadata of every action compiled in (the enabled category features), sorted by category.
        pub static ALL: &[&::whmcs_api::ActionInfo] = &[#(#infos)*];
    })
}

fn rel_path(root_rel: &str, root: &Path, path: &Path) -> String {
    let tail = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    format!("{}/{tail}", root_rel.trim_end_matches('/'))
}

/// Turns collected messages into one `syn::Error` carrying all of them.
pub fn to_syn(errors: Vec<String>, span: proc_macro2::Span) -> syn::Error {
    let mut iter = errors.into_iter();
    let mut out = syn::Error::new(span, iter.next().unwrap_or_default());
    for e in iter {
        out.combine(syn::Error::new(span, e));
    }
    out
}
