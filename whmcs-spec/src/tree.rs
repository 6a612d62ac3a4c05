//! A tree of specs: `<root>/<category>/<Action>.toml`, with shared shapes in `<root>/types/`.
//! The directory form of the macro and `whmcs spec check DIR` both read it through here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::checked::{ActionSpec, TypesSpec};
use crate::valid::Shared;
use crate::{read_action, read_types, shared_names, toml_files};

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

/// Loads and checks every spec under `root`; `root_rel` is how messages name it. `Err` carries
/// every problem of every file.
pub fn load(root_rel: &str, root: &Path, base: &str) -> Result<Tree, Vec<String>> {
    let types_dir = root.join("types");
    let shared: Shared = shared_names(&types_dir);
    let mut errors = Vec::new();
    let mut tree = Tree::default();
    let rel_of = |path: &Path| {
        let tail = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        format!("{}/{tail}", root_rel.trim_end_matches('/'))
    };
    for path in toml_files(&types_dir) {
        let rel = rel_of(&path);
        match read_types(&rel, &path, &shared, base) {
            Ok(spec) => tree.shared.push(File { path, rel, spec }),
            Err(e) => errors.extend(e),
        }
    }
    let mut dirs: Vec<PathBuf> = match std::fs::read_dir(root) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "types"))
            .collect(),
        Err(e) => return Err(vec![format!("{root_rel}: cannot read spec directory: {e}")]),
    };
    dirs.sort();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for dir in dirs {
        let Some(name) = dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        let mut actions = Vec::new();
        for path in toml_files(&dir) {
            let rel = rel_of(&path);
            match read_action(&rel, &path, &shared, base) {
                Ok(spec) => {
                    if spec.category != name {
                        errors.push(format!(
                            "{rel}: the spec says `category = \"{}\"` but lives in `{name}/`: move it or fix `category`",
                            spec.category
                        ));
                    }
                    if let Some(other) = seen.insert(spec.name.clone(), rel.clone()) {
                        errors.push(format!(
                            "{rel}: action `{}` is already declared in {other}",
                            spec.name
                        ));
                    }
                    actions.push(File { path, rel, spec });
                }
                Err(e) => errors.extend(e),
            }
        }
        tree.categories.push(Category { name, actions });
    }
    if errors.is_empty() {
        Ok(tree)
    } else {
        Err(errors)
    }
}
