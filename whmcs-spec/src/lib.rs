//! The WHMCS action spec language: loading a spec (TOML) into a model with source positions,
//! checking it with every problem reported as `path:line:col: message`, resolving it into the
//! checked model code is generated from, and describing it as JSON. Shared by the `whmcs-api`
//! macros (through `whmcs-codegen`) and the `whmcs` CLI, so both give the same answers. See
//! `specs/README.md` in the repository for the format.

#![deny(missing_docs)]

pub mod check;
pub mod checked;
pub mod diag;
pub mod load;
pub mod model;
pub mod naming;
pub mod resolve;
pub mod tree;
pub mod valid;

use std::path::{Path, PathBuf};

pub use check::{Report, check_path, check_path_as};
use checked::{ActionSpec, TypesSpec};
use diag::Diag;
use model::Spec;
pub use valid::Shared;

/// Loads and checks one spec's text; `path` is how it is named in messages.
fn checked(path: &str, src: &str, shared: &Shared, is_action: bool) -> Result<Spec, Vec<String>> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut diag = Diag::new(path, src);
    let Some(spec) = load::load(src, &mut diag) else {
        return Err(diag.into_errors());
    };
    valid::check(&spec, shared, &mut diag, is_action);
    if diag.has_errors() {
        Err(diag.into_errors())
    } else {
        Ok(spec)
    }
}

/// Loads, checks and resolves an action spec from its text; `path` is how it is named in
/// messages. `Err` carries every problem found, located.
pub fn action_from_source(
    path: &str,
    src: &str,
    shared: &Shared,
) -> Result<ActionSpec, Vec<String>> {
    let spec = checked(path, src, shared, true)?;
    resolve::action(spec, shared).ok_or_else(|| vec![format!("{path}: incomplete spec")])
}

/// Loads, checks and resolves a shared-types file from its text.
pub fn types_from_source(path: &str, src: &str, shared: &Shared) -> Result<TypesSpec, Vec<String>> {
    let spec = checked(path, src, shared, false)?;
    Ok(resolve::types(spec, shared))
}

/// Reads a spec file; `rel` is how it is named in messages, `base` what relative paths are
/// relative to (for the message when the file is missing).
pub fn read_source(rel: &str, abs: &Path, base: &str) -> Result<String, Vec<String>> {
    std::fs::read_to_string(abs).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::IsADirectory => "it is a directory".to_string(),
            _ => e.to_string(),
        };
        let mut d = Diag::new(rel, "");
        d.whole(format!(
            "cannot read spec: {why} (paths are relative to {base})"
        ));
        d.into_errors()
    })
}

/// Reads, checks and resolves an action spec file (see [`read_source`]).
pub fn read_action(
    rel: &str,
    abs: &Path,
    shared: &Shared,
    base: &str,
) -> Result<ActionSpec, Vec<String>> {
    action_from_source(rel, &read_source(rel, abs, base)?, shared)
}

/// Reads, checks and resolves a shared-types file (see [`read_source`]).
pub fn read_types(
    rel: &str,
    abs: &Path,
    shared: &Shared,
    base: &str,
) -> Result<TypesSpec, Vec<String>> {
    types_from_source(rel, &read_source(rel, abs, base)?, shared)
}

/// The type and enum names defined by the shared `*.toml` files of `types_dir` (with their
/// definitions), read leniently: a file with problems still contributes what it defines.
pub fn shared_names(types_dir: &Path) -> Shared {
    check::SharedDir::load(types_dir, "types").shared
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

/// The spec as JSON (what `whmcs describe` prints): parameters, response shape, nested types,
/// enums, errors and the side-effect class.
pub fn describe(spec: &ActionSpec) -> String {
    let mut o = json::Obj::default();
    o.str("action", Some(spec.name.clone()));
    o.str("category", Some(spec.category.clone()));
    o.str("effect", Some(spec.effect.as_str().to_string()));
    o.str("summary", Some(spec.summary.clone()));
    o.str("reference", Some(spec.reference.clone()));
    o.str("since", spec.since.clone());
    o.raw("paged", spec.paged.to_string());
    let fields = |list: &[model::Field]| json::array(list.iter().map(|f| field_json(spec, f)));
    o.raw("request", fields(&spec.request));
    o.raw("response", fields(&spec.response));
    let mut types = json::Obj::default();
    for t in &spec.types {
        types.raw(&t.name.value, fields(&t.fields));
    }
    o.raw("types", types.finish());
    let mut enums = json::Obj::default();
    for e in &spec.enums {
        enums.raw(
            &e.name.value,
            json::array(e.values.iter().map(|v| json::string(&v.value))),
        );
    }
    o.raw("enums", enums.finish());
    o.raw(
        "errors",
        json::array(spec.errors.iter().map(|e| {
            let mut x = json::Obj::default();
            x.str("variant", Some(e.variant.value.clone()));
            x.str("message", Some(e.message.value.clone()));
            x.finish()
        })),
    );
    o.finish()
}

fn field_json(spec: &ActionSpec, f: &model::Field) -> String {
    let mut x = json::Obj::default();
    x.str("name", Some(f.wire.value.clone()));
    x.str("rust", Some(f.rust.clone()));
    x.str("type", Some(f.ty.value.spec_name()));
    if let Some(e) = f.ty.value.enum_name() {
        x.str("enum", Some(e.to_string()));
        if let Some(def) = spec.enums.iter().find(|d| d.name.value == e) {
            x.raw(
                "values",
                json::array(def.values.iter().map(|v| json::string(&v.value))),
            );
        }
    }
    x.raw("required", f.required.to_string());
    x.str("wrapper", f.wrapper.clone());
    x.str("doc", f.doc.clone());
    x.str("deprecated", f.deprecated.clone());
    x.str("since", f.since.clone());
    x.finish()
}

/// A small JSON writer (the crate has no JSON dependency).
pub(crate) mod json {
    /// A JSON object being written; `None` values are left out.
    #[derive(Default)]
    pub(crate) struct Obj(Vec<String>);

    impl Obj {
        pub(crate) fn str(&mut self, key: &str, value: Option<String>) {
            if let Some(v) = value {
                self.0.push(format!("{}:{}", string(key), string(&v)));
            }
        }

        pub(crate) fn raw(&mut self, key: &str, value: String) {
            self.0.push(format!("{}:{value}", string(key)));
        }

        pub(crate) fn finish(self) -> String {
            format!("{{{}}}", self.0.join(","))
        }
    }

    pub(crate) fn array(items: impl Iterator<Item = String>) -> String {
        format!("[{}]", items.collect::<Vec<_>>().join(","))
    }

    pub(crate) fn string(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}
