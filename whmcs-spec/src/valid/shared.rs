//! The names a spec may use from the shared `types/` directory.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Spec, TypeDef};

/// Names defined outside the spec, in the shared `types/` directory.
#[derive(Clone, Debug, Default)]
pub struct Shared {
    /// Shared type names.
    pub types: BTreeSet<String>,
    /// Shared enum names.
    pub enums: BTreeSet<String>,
    /// The shared types themselves, for rules that look inside them.
    pub defs: Vec<TypeDef>,
    /// The values of each shared enum.
    pub values: BTreeMap<String, Vec<String>>,
    /// The file each shared name is defined in, as messages name it.
    pub files: BTreeMap<String, String>,
}

impl Shared {
    /// Whether `name` is a shared type or enum.
    pub fn contains(&self, name: &str) -> bool {
        self.types.contains(name) || self.enums.contains(name)
    }

    /// Adds what a loaded shared-types file defines; `file` is how messages name it.
    pub fn add(&mut self, spec: &Spec, file: &str) {
        for t in &spec.types {
            self.types.insert(t.name.value.clone());
            self.files
                .entry(t.name.value.clone())
                .or_insert_with(|| file.to_string());
            self.defs.push(t.clone());
        }
        for e in &spec.enums {
            self.enums.insert(e.name.value.clone());
            self.files
                .entry(e.name.value.clone())
                .or_insert_with(|| file.to_string());
            self.values.insert(
                e.name.value.clone(),
                e.values.iter().map(|v| v.value.clone()).collect(),
            );
        }
    }

    pub(super) fn where_defined(&self, name: &str) -> String {
        self.files
            .get(name)
            .map_or_else(|| "`types/`".to_string(), |f| format!("`{f}`"))
    }
}
