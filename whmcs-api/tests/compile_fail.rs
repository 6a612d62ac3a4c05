//! The macro's diagnostics for broken specs, held to account with trybuild.
#![allow(unsafe_code)]
#[test]
fn broken_specs_fail_with_clear_messages() {
    // Spec paths in the UI tests are relative to this crate, not trybuild's scratch project.
    // SAFETY: set before any thread reads the environment; the test is the only one in this binary.
    unsafe { std::env::set_var("WHMCS_SPEC_DIR", env!("CARGO_MANIFEST_DIR")) };
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
