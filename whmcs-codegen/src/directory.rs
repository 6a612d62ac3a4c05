//! The directory form: every spec of a tree as one module per category and per action, the
//! shared types, `ALL` (every action's metadata), and the table of actions for the docs.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use whmcs_spec::naming;
use whmcs_spec::tree::Tree;

use crate::{Options, Target};

/// The items of a spec tree: `types` (the shared shapes, also re-exported), one module per
/// category (behind a cargo feature of the same name) holding one module per action, flat
/// re-exports, and `ALL`.
pub fn directory(tree: &Tree, opts: &Options) -> TokenStream {
    let shared_code = crate::shared_module(&tree.shared);
    // Names defined by more than one spec stay reachable through their action's module only.
    let mut defined: BTreeMap<&str, usize> = BTreeMap::new();
    let shared_names = tree.shared.iter().flat_map(|f| {
        f.spec
            .types
            .iter()
            .map(|t| &t.name.value)
            .chain(f.spec.enums.iter().map(|e| &e.name.value))
    });
    let action_names = tree.actions().flat_map(|(_, a)| {
        a.spec
            .types
            .iter()
            .map(|t| &t.name.value)
            .chain(a.spec.enums.iter().map(|e| &e.name.value))
    });
    for name in shared_names.chain(action_names) {
        *defined.entry(name.as_str()).or_default() += 1;
    }
    let mut categories = Vec::new();
    let mut all = Vec::new();
    for cat in &tree.categories {
        let cat_name = &cat.name;
        let cat_ident = syn::Ident::new(cat_name, Span::call_site());
        let mut modules = Vec::new();
        for file in &cat.actions {
            let spec = &file.spec;
            let ident = syn::Ident::new(&spec.name, Span::call_site());
            let module = syn::Ident::new(&naming::snake(&spec.name), Span::call_site());
            let target = Target {
                ident: ident.clone(),
                vis: syn::parse_quote!(pub),
                attrs: Vec::new(),
            };
            let action_opts = Options {
                client_methods: opts.client_methods,
                track: vec![file.path.display().to_string()],
                shared_path: None,
            };
            let code = crate::action(spec, &target, &action_opts);
            let doc = format!("The `{}` action: {}", spec.name, spec.summary);
            let response = format_ident!("{}Response", ident);
            let error = format_ident!("{}Error", ident);
            let unique = spec
                .types
                .iter()
                .map(|t| &t.name.value)
                .chain(spec.enums.iter().map(|e| &e.name.value))
                .filter(|n| defined.get(n.as_str()) == Some(&1))
                .map(|n| syn::Ident::new(n, Span::call_site()));
            let required = crate::facts::named_required(spec, &target)
                .map(|n| n.name)
                .into_iter();
            modules.push(quote! {
                #[doc = #doc]
                pub mod #module {
                    #[allow(unused_imports)]
                    use super::super::types::*;
                    #code
                }
                pub use #module::{#ident, #response, #error, #(#required,)* #(#unique),*};
            });
            all.push(quote!(#[cfg(feature = #cat_name)] &<#cat_ident::#ident as ::whmcs_api::Action>::INFO,));
        }
        let doc = format!("Actions of the WHMCS `{cat_name}` category.");
        categories.push(quote! {
            #[cfg(feature = #cat_name)]
            #[doc = #doc]
            pub mod #cat_ident {
                #(#modules)*
            }
            #[cfg(feature = #cat_name)]
            pub use #cat_ident::*;
        });
    }
    quote! {
        /// Shapes several actions share.
        pub mod types {
            #shared_code
        }
        pub use types::*;
        #(#categories)*
        /// Metadata of every action compiled in (the enabled category features), sorted by category.
        pub static ALL: &[&::whmcs_api::ActionInfo] = &[#(#all)*];
    }
}

/// The table of actions by category, as Markdown for the crate docs.
pub fn actions_table(tree: &Tree, path: &str) -> String {
    let mut out = String::from(
        "\n\n# Actions by category\n\nEach category is a cargo feature (all on by default).\n",
    );
    for cat in &tree.categories {
        out.push_str(&format!(
            "\n## `{}`\n\n| action | what it does |\n|---|---|\n",
            cat.name
        ));
        for file in &cat.actions {
            let s = &file.spec;
            out.push_str(&format!(
                "| [`{}`]({path}::{}) ([reference]({})) | {} |\n",
                s.name,
                s.name,
                s.reference,
                s.summary.replace('|', "\\|")
            ));
        }
    }
    out
}
