//! Reading the macro input and the spec files, then calling the generator.

use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use syn::parse::ParseStream;
use syn::{LitStr, Token};

use whmcs_codegen::{Options, Target};
use whmcs_spec::check::{action_file, load_tree as check_tree, types_dir};
use whmcs_spec::tree;
use whmcs_spec::valid::Rules;

/// `spec = "path"` and an optional `types = path::to::module` of the attribute macro.
pub(crate) struct ActionArgs {
    spec: LitStr,
    types: Option<syn::Path>,
}

impl ActionArgs {
    pub(crate) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut spec = None;
        let mut types = None;
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            if key == "spec" {
                spec = Some(input.parse::<LitStr>()?);
            } else if key == "types" {
                types = Some(input.parse::<syn::Path>()?);
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown argument `{key}`: expected `spec = \"specs/<category>/<Action>.toml\"` and optionally `types = crate::types`"
                    ),
                ));
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let spec =
            spec.ok_or_else(|| input.error("missing `spec = \"specs/<category>/<Action>.toml\"`"))?;
        Ok(Self { spec, types })
    }
}

/// `"dir"` of the shared-types macro.
pub(crate) struct TypesArgs {
    dir: LitStr,
}

impl TypesArgs {
    pub(crate) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        Ok(Self {
            dir: input.parse()?,
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

/// `"dir", "path::of::the::actions"` of the table macro.
pub(crate) struct TableArgs {
    dir: LitStr,
    path: LitStr,
}

impl TableArgs {
    pub(crate) fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let dir = input.parse()?;
        input.parse::<Token![,]>()?;
        let path = input.parse()?;
        Ok(Self { dir, path })
    }
}

fn base_dir() -> PathBuf {
    std::env::var_os("WHMCS_SPEC_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map_or_else(|| PathBuf::from("."), PathBuf::from)
}

/// How messages say what relative paths are relative to.
fn base_name() -> &'static str {
    if std::env::var_os("WHMCS_SPEC_DIR").is_some() {
        "`WHMCS_SPEC_DIR`"
    } else {
        "the crate's Cargo.toml"
    }
}

pub(crate) fn action(args: ActionArgs, item: syn::ItemStruct) -> syn::Result<TokenStream> {
    let rel = args.spec.value();
    let abs = base_dir().join(&rel);
    let target = Target {
        ident: item.ident.clone(),
        vis: item.vis.clone(),
        attrs: item.attrs.clone(),
    };
    let checked = action_file(&rel, &abs, base_name(), Rules::default());
    match checked.spec {
        Some(spec) => {
            if !matches!(item.fields, syn::Fields::Unit) || !item.generics.params.is_empty() {
                return Err(syn::Error::new_spanned(
                    &item,
                    "`#[action]` goes on a unit struct without generics, e.g. `pub struct GetInvoices;`: the spec supplies the fields",
                ));
            }
            let shared_path = args.types.as_ref().map_or_else(
                || "crate::types".to_string(),
                |p| quote::quote!(#p).to_string().replace(' ', ""),
            );
            let mut track = vec![abs.display().to_string()];
            track.extend(checked.shared_files.iter().map(|p| p.display().to_string()));
            let opts = Options {
                client_methods: false,
                track,
                shared_path: Some(shared_path),
            };
            Ok(whmcs_codegen::action(&spec, &target, &opts))
        }
        None => {
            let err = to_syn(checked.report.errors(), args.spec.span()).into_compile_error();
            Ok(whmcs_codegen::stub(&target, err))
        }
    }
}

pub(crate) fn types(args: TypesArgs) -> syn::Result<TokenStream> {
    let rel = args.dir.value();
    let abs = base_dir().join(&rel);
    match types_dir(&rel, &abs, base_name()) {
        (_, Some(files)) => Ok(whmcs_codegen::shared_module(&files)),
        (report, None) => {
            let mut out = to_syn(report.errors(), args.dir.span()).into_compile_error();
            // Placeholders for the names the files define, so that code using them gets the
            // errors above rather than one "cannot find type" per use.
            let shared = whmcs_spec::shared_names(&abs);
            for name in shared.types.iter().chain(&shared.enums) {
                if let Ok(id) = syn::parse_str::<syn::Ident>(name) {
                    out.extend(quote::quote!(#[doc(hidden)] pub struct #id;));
                }
            }
            Ok(out)
        }
    }
}

fn load_tree(dir: &LitStr) -> syn::Result<tree::Tree> {
    let rel = dir.value();
    check_tree(&rel, &base_dir().join(&rel), base_name()).map_err(|e| to_syn(e, dir.span()))
}

pub(crate) fn directory(args: DirArgs) -> syn::Result<TokenStream> {
    let tree = load_tree(&args.dir)?;
    let opts = Options {
        client_methods: args.client_methods,
        track: Vec::new(),
        shared_path: None,
    };
    Ok(whmcs_codegen::directory(&tree, &opts))
}

pub(crate) fn table(args: TableArgs) -> syn::Result<TokenStream> {
    let tree = load_tree(&args.dir)?;
    let text = whmcs_codegen::actions_table(&tree, &args.path.value());
    Ok(quote::quote!(#text))
}

/// Turns collected messages into one `syn::Error` carrying all of them.
fn to_syn(errors: Vec<String>, span: Span) -> syn::Error {
    let mut iter = errors.into_iter();
    let mut out = syn::Error::new(span, iter.next().unwrap_or_default());
    for e in iter {
        out.combine(syn::Error::new(span, e));
    }
    out
}
