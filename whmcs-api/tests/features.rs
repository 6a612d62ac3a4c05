//! Each category is a cargo feature: with one enabled, only its actions are compiled in.
//! CI runs this both with all categories and with `--no-default-features --features billing`.

use whmcs_api::actions;

// `cfg!` turns each arm into a literal, which clippy would fold into `matches!`; the arms are the point.
#[allow(clippy::match_like_matches_macro)]
fn enabled(category: &str) -> bool {
    match category {
        "orders" => cfg!(feature = "orders"),
        "billing" => cfg!(feature = "billing"),
        "module" => cfg!(feature = "module"),
        "support" => cfg!(feature = "support"),
        "system" => cfg!(feature = "system"),
        "client" => cfg!(feature = "client"),
        "products" => cfg!(feature = "products"),
        "project_management" => cfg!(feature = "project_management"),
        "users" => cfg!(feature = "users"),
        "affiliates" => cfg!(feature = "affiliates"),
        "authentication" => cfg!(feature = "authentication"),
        "domains" => cfg!(feature = "domains"),
        "servers" => cfg!(feature = "servers"),
        "tickets" => cfg!(feature = "tickets"),
        "service" => cfg!(feature = "service"),
        "addons" => cfg!(feature = "addons"),
        _ => false,
    }
}

#[test]
fn only_enabled_categories_are_compiled_in() {
    assert!(!actions::ALL.is_empty());
    for info in actions::ALL {
        assert!(
            enabled(info.category()),
            "{} ({}) is compiled in without its feature",
            info.name(),
            info.category()
        );
    }
    if cfg!(feature = "all-categories") {
        assert_eq!(actions::ALL.len(), 162);
    } else {
        assert!(actions::ALL.len() < 162);
    }
}
