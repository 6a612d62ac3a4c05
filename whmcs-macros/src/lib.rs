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
#[proc_macro_attribute]
pub fn action(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = syn::parse_macro_input!(args with files::ActionArgs::parse);
    let item = syn::parse_macro_input!(item as syn::ItemStruct);
    files::action(args, item)
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
