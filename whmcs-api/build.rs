//! Rebuilds the crate when anything under `specs/` changes, including files that are added:
//! the generated code tracks each spec it reads, but cannot see new ones.
fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=build.rs");
}
