//! The WHMCS action spec format shared by the `whmcs-api` macros and the `whmcs` CLI: loading a
//! spec (TOML) into a model with source positions, and checking it, with every problem reported
//! as `path:line:col: message`. See `specs/README.md` in the repository for the format.
//!
//! This crate is a support crate of `whmcs-api`; its API follows that crate's needs.

#![deny(missing_docs)]

pub mod diag;
pub mod load;
pub mod model;
pub mod naming;
pub mod valid;

use std::path::{Path, PathBuf};

use diag::Diag;
use model::Spec;
use valid::Shared;

/// Loads and checks one spec from `src`; `path` is how it is named in messages. `Err` carries
/// every problem found, located.
pub fn check_source(
    path: &str,
    src: &str,
    shared: &Shared,
    is_action: bool,
) -> Result<Spec, Vec<String>> {
    let mut diag = Diag::new(path, src);
    let Some(mut spec) = load::load(src, &mut diag) else {
        return Err(diag.into_errors());
    };
    valid::check(&mut spec, shared, &mut diag, is_action);
    if diag.has_errors() {
        Err(diag.into_errors())
    } else {
        Ok(spec)
    }
}

/// Reads, loads and checks a spec file; `rel` is how it is named in messages, `base` what
/// relative paths are relative to (for the message when the file is missing).
pub fn check_file(
    rel: &str,
    abs: &Path,
    shared: &Shared,
    is_action: bool,
    base: &str,
) -> Result<Spec, Vec<String>> {
    match std::fs::read_to_string(abs) {
        Ok(src) => check_source(rel, &src, shared, is_action),
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "no such file".to_string()
            } else {
                e.to_string()
            };
            let mut d = Diag::new(rel, "");
            d.whole(format!(
                "cannot read spec: {why} (paths are relative to {base})"
            ));
            Err(d.into_errors())
        }
    }
}

/// The type and enum names defined by the shared `*.toml` files of `types_dir`.
pub fn shared_names(types_dir: &Path) -> Shared {
    let mut shared = Shared::default();
    for path in toml_files(types_dir) {
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut diag = Diag::new("", &src);
        let spec = load::load(&src, &mut diag).unwrap_or_default();
        shared
            .types
            .extend(spec.types.into_iter().map(|t| t.name.value));
        shared
            .enums
            .extend(spec.enums.into_iter().map(|e| e.name.value));
    }
    shared
}

/// The `*.toml` files directly in `dir`, sorted.
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}
