//! Rebuilds the crate when anything under `specs/` changes: the macros track each spec file they
//! read, but cannot see a new file appear.

fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=build.rs");
}
