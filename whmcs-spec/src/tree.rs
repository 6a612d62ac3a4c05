//! A tree of specs: `<root>/<category>/<Action>.toml`, with shared shapes in `<root>/types/`.
//! The directory form of the macro and `whmcs spec check DIR` both read it through here.

use std::path::PathBuf;

use crate::checked::{ActionSpec, TypesSpec};

/// A spec file and what it holds.
#[derive(Clone, Debug)]
pub struct File<T> {
    /// Where it is.
    pub path: PathBuf,
    /// How messages name it (relative to the crate).
    pub rel: String,
    /// The checked spec.
    pub spec: T,
}

/// One category folder.
#[derive(Clone, Debug)]
pub struct Category {
    /// The folder name, which is the category.
    pub name: String,
    /// Its action specs, sorted by file name.
    pub actions: Vec<File<ActionSpec>>,
}

/// Every spec of a tree, checked.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    /// The shared-types files of `types/`.
    pub shared: Vec<File<TypesSpec>>,
    /// The category folders, sorted.
    pub categories: Vec<Category>,
}

impl Tree {
    /// Every action spec, by category.
    pub fn actions(&self) -> impl Iterator<Item = (&str, &File<ActionSpec>)> {
        self.categories
            .iter()
            .flat_map(|c| c.actions.iter().map(move |a| (c.name.as_str(), a)))
    }
}
