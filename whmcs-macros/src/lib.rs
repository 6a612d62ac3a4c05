//! Procedural macros of [`whmcs-api`](https://docs.rs/whmcs-api): they read WHMCS action specs
//! (TOML) and hand them to `whmcs-codegen`, which writes the request, response, enums, error
//! enum and `Action` impl of each action. Use them through `whmcs_api::action`; the spec format
//! is described in `specs/README.md` of the repository.

mod files;

use proc_macro::TokenStream;

/// Generates a typed WHMCS action from a spec file.
///
/// ```ignore
/// #[whmcs_api::action(spec = "specs/custom/GetWidgets.toml")]
/// pub struct GetWidgets;
/// ```
///
/// The path is relative to the crate's `Cargo.toml` (or to `WHMCS_SPEC_DIR` when set). The struct
/// becomes the request; `GetWidgetsResponse` and `GetWidgetsError` are generated beside it, with
/// the types and enums the spec declares.
///
/// Types the spec does not define are looked up in the `types/` folder beside its category
/// folder (`specs/types/*.toml`). Those are generated once for the crate by [`types!`]; the
/// action refers to them at `crate::types` unless `types = path::to::them` says otherwise:
///
/// ```ignore
/// pub mod types {
///     whmcs_api::types!("specs/types");
/// }
///
/// #[whmcs_api::action(spec = "specs/custom/GetWidgets.toml", types = crate::types)]
/// pub struct GetWidgets;
/// ```
#[proc_macro_attribute]
pub fn action(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(args with files::ActionArgs::parse);
    let item = syn::parse_macro_input!(item as syn::ItemStruct);
    files::action(args, item)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Generates the shared types of a crate's specs, once: every struct and enum of the
/// `*.toml` files of a folder (`whmcs_api::types!("specs/types")`), where the macro is called.
/// Put it in the module the actions find them in (`crate::types` unless they say otherwise):
///
/// ```ignore
/// pub mod types {
///     whmcs_api::types!("specs/types");
/// }
/// ```
///
/// The folder is relative to the crate's `Cargo.toml`. A file added to it is only seen after
/// a rebuild; a build script with `cargo:rerun-if-changed=specs` makes that automatic.
#[proc_macro]
pub fn types(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input with files::TypesArgs::parse);
    files::types(args)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Generates one module per category and per action from a directory of specs, plus the shared
/// types of its `types/` folder and `ALL`, the list of every action's metadata.
///
/// `actions!("specs")` or, inside `whmcs-api`, `actions!("specs", client_methods)`.
#[proc_macro]
pub fn actions(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input with files::DirArgs::parse);
    files::directory(args)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The table of a spec directory's actions by category, as a Markdown string literal for
/// `#![doc = ...]`: `actions_table!("specs", "crate::actions")` (the second argument is the
/// path the links point into).
#[proc_macro]
pub fn actions_table(input: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(input with files::TableArgs::parse);
    files::table(args)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
