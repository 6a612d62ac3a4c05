//! The generated code of representative specs, held in `tests/snapshots/` so that any change to
//! what the generator writes shows up in review. After an intended change:
//! `INSTA_UPDATE=always cargo test -p whmcs-codegen` (or `cargo insta review`).

use std::path::Path;

use whmcs_codegen::{Options, Target};

/// Generates `specs/<path>` as `whmcs-api` does and pretty-prints it.
fn generated(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let shared = whmcs_spec::shared_names(&root.join("types"));
    let spec = whmcs_spec::read_action(path, &root.join(path), &shared, "specs/")
        .unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let target = Target {
        ident: syn::Ident::new(&spec.name, proc_macro2::Span::call_site()),
        vis: syn::parse_quote!(pub),
        attrs: Vec::new(),
    };
    let opts = Options {
        client_methods: true,
        track: Vec::new(),
        shared_path: None,
    };
    let tokens = whmcs_codegen::action(&spec, &target, &opts);
    let file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| panic!("{path}: {e}"));
    prettyplease::unparse(&file)
}

macro_rules! snapshot {
    ($test:ident, $path:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(generated($path));
        }
    };
}

// A plain write: two required parameters, an id back.
snapshot!(plain_write, "support/AddClientNote.toml");
// A paged list inside a wrapper, with a shared type, filters and an enum shared with answers.
snapshot!(paged_list_with_wrapper, "billing/GetInvoices.toml");
// Numbered groups (`itemdescription1`, `itemamount1`, …) of a nested request type.
snapshot!(numbered_groups, "billing/CreateInvoice.toml");
// Nested arrays in a request (`pricing[1][monthly]`, `recommendations[0][id]`).
snapshot!(nested_arrays, "products/AddProduct.toml");
// Serialized parameters, comma-joined answers and templated errors.
snapshot!(serialized_params, "orders/AddOrder.toml");
// An error whose message WHMCS fills in (`Client Delete Failed: {reason}`).
snapshot!(templated_errors, "client/DeleteClient.toml");
// More than three required parameters, passed by name.
snapshot!(named_required, "client/AddClient.toml");
