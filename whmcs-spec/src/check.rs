//! The one checking path: `whmcs spec check` and the macros both come through here, so a spec
//! gets the same answers from both, wherever the command is run from.
//!
//! - [`check_path`]: a file (action spec or shared-types file) or a directory (a tree of
//!   category folders with `types/`, a category folder, or a `types/` folder).
//! - [`action_file`]: one action spec and the shared types it uses (the attribute macro).
//! - [`types_dir`]: the shared types of a crate (the `types!` macro).
//! - [`tree`]: a whole tree (the directory macro), with checks across files: the folder an
//!   action sits in against its `category`, and one action declared in two files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::checked::{ActionSpec, TypesSpec};
use crate::diag::{Diag, Message, Severity};
use crate::resolve::{refs, ty_names};
use crate::tree::{Category, File, Tree};
use crate::valid::{Rules, Shared};
use crate::{load, resolve, toml_files, valid};

/// Every message of a check, file by file and in file order within a file.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Errors and warnings.
    pub messages: Vec<Message>,
}

impl Report {
    /// Whether any message is an error.
    pub fn has_errors(&self) -> bool {
        self.messages.iter().any(|m| m.severity == Severity::Error)
    }

    /// The errors, as `path:line:col: text`.
    pub fn errors(&self) -> Vec<String> {
        self.messages
            .iter()
            .filter(|m| m.severity == Severity::Error)
            .map(Message::plain)
            .collect()
    }

    /// The warnings, as `path:line:col: text`.
    pub fn warnings(&self) -> Vec<String> {
        self.messages
            .iter()
            .filter(|m| m.severity == Severity::Warning)
            .map(Message::plain)
            .collect()
    }

    fn whole(&mut self, location: &str, text: String) {
        self.messages.push(Message {
            severity: Severity::Error,
            location: location.to_string(),
            text,
        });
    }
}

/// Checks a spec file or a directory of specs, as `whmcs spec check PATH` does; messages name
/// files starting from `path` as given. A relative `path` is taken from the current directory,
/// but nothing else depends on it: shared types are found beside the spec itself.
pub fn check_path(path: &Path) -> Report {
    check_path_as(path, &path.display().to_string())
}

/// [`check_path`], naming `path` as `shown` in messages.
pub fn check_path_as(path: &Path, shown: &str) -> Report {
    let base = "the current directory";
    let rules = Rules::default();
    if path.is_dir() {
        let name = std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
        if name.as_deref() == Some("types") {
            return types_dir(shown, path, base).0;
        }
        let has_subdirs = subdirs(path)
            .into_iter()
            .any(|d| !toml_files(&d).is_empty());
        if has_subdirs || path.join("types").is_dir() {
            return tree(shown, path, base, rules).0;
        }
        let mut report = Report::default();
        let files = toml_files(path);
        if files.is_empty() {
            report.whole(
                shown,
                "no `*.toml` spec files in this directory".to_string(),
            );
        }
        for file in files {
            let tail = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file_shown = format!("{}/{tail}", shown.trim_end_matches('/'));
            report
                .messages
                .extend(action_file(&file_shown, &file, base, rules).report.messages);
        }
        return report;
    }
    let in_types = absolute(path)
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == "types");
    if in_types {
        let dir = absolute(path)
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let mut report = Report::default();
        match read_source(shown, path, base) {
            Err(m) => report.messages.push(m),
            Ok(_) => {
                let shared = SharedDir::load(&dir, &parent_shown(shown));
                let me = absolute(path);
                for f in shared.files.iter().filter(|f| f.path == me) {
                    report.messages.extend(f.messages.iter().cloned());
                }
            }
        }
        return report;
    }
    action_file(shown, path, base, rules).report
}

/// The result of checking one action spec.
#[derive(Debug)]
pub struct ActionCheck {
    /// Every message: the spec's own and those of the shared-types files it uses.
    pub report: Report,
    /// The checked spec, when it has no errors.
    pub spec: Option<ActionSpec>,
    /// The shared-types files it uses (to rebuild when one changes).
    pub shared_files: Vec<PathBuf>,
}

/// Checks the action spec at `path` (named `shown` in messages) with the shared types of the
/// `types/` folder beside its category folder. `base` is what relative paths are relative to,
/// for the message when the file cannot be read.
pub fn action_file(shown: &str, path: &Path, base: &str, rules: Rules) -> ActionCheck {
    let mut out = ActionCheck {
        report: Report::default(),
        spec: None,
        shared_files: Vec::new(),
    };
    let src = match read_source(shown, path, base) {
        Ok(s) => s,
        Err(m) => {
            out.report.messages.push(m);
            return out;
        }
    };
    let abs = absolute(path);
    let types = abs
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("types"))
        .unwrap_or_default();
    let shared = SharedDir::load(&types, &types_shown(shown));
    let mut diag = Diag::new(shown, &src);
    let spec = load::load(&src, &mut diag);
    if let Some(spec) = &spec {
        valid::check_with(spec, &shared.shared, &mut diag, true, rules);
    }
    let failed = diag.has_errors();
    out.report.messages.extend(diag.into_messages());
    let Some(spec) = spec else {
        return out;
    };
    let used = shared.closure(&refs(&spec, &shared.shared));
    let mut shared_failed = false;
    for f in shared
        .files
        .iter()
        .filter(|f| f.names.iter().any(|n| used.contains(n)))
    {
        out.shared_files.push(f.path.clone());
        shared_failed |= f.messages.iter().any(|m| m.severity == Severity::Error);
        out.report.messages.extend(f.messages.iter().cloned());
    }
    if !failed && !shared_failed {
        out.spec = resolve::action(spec, &shared.shared);
        if out.spec.is_none() {
            out.report.whole(shown, "incomplete spec".to_string());
        }
    }
    out
}

/// Checks every shared-types file of `dir` (named `shown`); the checked files come back when
/// none has an error.
pub fn types_dir(shown: &str, dir: &Path, base: &str) -> (Report, Option<Vec<File<TypesSpec>>>) {
    let mut report = Report::default();
    if !dir.is_dir() {
        report.whole(
            shown,
            format!("cannot read the shared-types directory: no such directory (paths are relative to {base})"),
        );
        return (report, None);
    }
    let shared = SharedDir::load(dir, shown);
    let mut files = Vec::new();
    for f in shared.files {
        report.messages.extend(f.messages);
        if let Some(spec) = f.spec {
            files.push(File {
                path: f.path,
                rel: f.shown,
                spec,
            });
        }
    }
    let ok = !report.has_errors();
    (report, ok.then_some(files))
}

/// Checks every spec of the tree at `root` (named `shown`): `types/` and one folder per
/// category. The tree comes back when nothing has an error.
pub fn tree(shown: &str, root: &Path, base: &str, rules: Rules) -> (Report, Option<Tree>) {
    let mut report = Report::default();
    if !root.is_dir() {
        report.whole(
            shown,
            format!("cannot read spec directory: no such directory (paths are relative to {base})"),
        );
        return (report, None);
    }
    let root_shown = shown.trim_end_matches('/');
    let shared = SharedDir::load(&root.join("types"), &format!("{root_shown}/types"));
    let mut tree = Tree::default();
    for f in &shared.files {
        report.messages.extend(f.messages.iter().cloned());
        if let Some(spec) = &f.spec {
            tree.shared.push(File {
                path: f.path.clone(),
                rel: f.shown.clone(),
                spec: spec.clone(),
            });
        }
    }
    // Each action name with where it was first declared.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for dir in subdirs(root)
        .into_iter()
        .filter(|d| d.file_name().is_some_and(|n| n != "types"))
    {
        let Some(name) = dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        let mut category = Category {
            name: name.clone(),
            actions: Vec::new(),
        };
        for path in toml_files(&dir) {
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rel = format!("{root_shown}/{name}/{file_name}");
            let src = match read_source(&rel, &path, base) {
                Ok(s) => s,
                Err(m) => {
                    report.messages.push(m);
                    continue;
                }
            };
            let mut diag = Diag::new(&rel, &src);
            let Some(spec) = load::load(&src, &mut diag) else {
                report.messages.extend(diag.into_messages());
                continue;
            };
            valid::check_with(&spec, &shared.shared, &mut diag, true, rules);
            if let Some(c) = &spec.category
                && c.value != name
            {
                diag.at(
                    &c.span,
                    format!(
                        "the spec says `category = \"{}\"` but sits in the folder `{name}/`: move the file to `{}/` or set `category = \"{name}\"`",
                        c.value, c.value
                    ),
                );
            }
            if let Some(a) = &spec.action {
                let here = diag.location(a.span.start);
                if let Some(first) = seen.get(&a.value) {
                    diag.at(
                        &a.span,
                        format!(
                            "action `{}` is also declared at {first}: one action, one spec file; remove one of them",
                            a.value
                        ),
                    );
                } else {
                    seen.insert(a.value.clone(), here);
                }
            }
            let failed = diag.has_errors();
            report.messages.extend(diag.into_messages());
            if !failed && let Some(spec) = resolve::action(spec, &shared.shared) {
                category.actions.push(File { path, rel, spec });
            }
        }
        tree.categories.push(category);
    }
    let ok = !report.has_errors();
    (report, ok.then_some(tree))
}

/// A shared-types file, checked.
#[derive(Debug)]
pub struct SharedFile {
    /// Where it is (absolute).
    pub path: PathBuf,
    /// How messages name it.
    pub shown: String,
    /// The type and enum names it defines.
    pub names: BTreeSet<String>,
    /// Its problems.
    pub messages: Vec<Message>,
    /// The checked file, when it has no errors.
    pub spec: Option<TypesSpec>,
}

/// The shared types of a `types/` folder: every name they define (from every file, so one bad
/// file does not make actions report its names as unknown) and each file, checked.
#[derive(Debug, Default)]
pub struct SharedDir {
    /// Names, definitions and enum values of every file.
    pub shared: Shared,
    /// The files, sorted.
    pub files: Vec<SharedFile>,
}

impl SharedDir {
    /// Loads and checks the `*.toml` files of `dir`, named `shown/<file>` in messages. A
    /// folder that does not exist has no shared types.
    pub fn load(dir: &Path, shown: &str) -> Self {
        let mut out = SharedDir::default();
        let shown = shown.trim_end_matches('/');
        let mut sources = Vec::new();
        for path in toml_files(dir) {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file_shown = if shown.is_empty() {
                name
            } else {
                format!("{shown}/{name}")
            };
            let src = read_source(&file_shown, &path, "the crate");
            if let Ok(src) = &src {
                let mut scratch = Diag::new(&file_shown, src);
                if let Some(spec) = load::load(src, &mut scratch) {
                    out.shared.add(&spec, &file_shown);
                }
            }
            sources.push((absolute(&path), file_shown, src));
        }
        for (path, file_shown, src) in sources {
            let src = match src {
                Ok(s) => s,
                Err(m) => {
                    out.files.push(SharedFile {
                        path,
                        shown: file_shown,
                        names: BTreeSet::new(),
                        messages: vec![m],
                        spec: None,
                    });
                    continue;
                }
            };
            let mut diag = Diag::new(&file_shown, &src);
            let spec = load::load(&src, &mut diag);
            let mut names = BTreeSet::new();
            if let Some(spec) = &spec {
                valid::check_with(spec, &out.shared, &mut diag, false, Rules::default());
                for n in spec
                    .types
                    .iter()
                    .map(|t| &t.name)
                    .chain(spec.enums.iter().map(|e| &e.name))
                {
                    names.insert(n.value.clone());
                    if let Some(first) = out.shared.files.get(&n.value)
                        && *first != file_shown
                    {
                        diag.at(
                            &n.span,
                            format!("`{}` is also defined in `{first}`: a shared name may be defined in one `types/` file only", n.value),
                        );
                    }
                }
            }
            let failed = diag.has_errors();
            let messages = diag.into_messages();
            let spec = match spec {
                Some(spec) if !failed => Some(resolve::types(spec, &out.shared)),
                _ => None,
            };
            out.files.push(SharedFile {
                path,
                shown: file_shown,
                names,
                messages,
                spec,
            });
        }
        out
    }

    /// `names` and every shared name their shared definitions use, directly or not.
    pub fn closure(&self, names: &BTreeSet<String>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut todo: Vec<String> = names.iter().cloned().collect();
        while let Some(n) = todo.pop() {
            if !out.insert(n.clone()) {
                continue;
            }
            if let Some(def) = self.shared.defs.iter().find(|d| d.name.value == n) {
                for f in &def.fields {
                    todo.extend(ty_names(&f.ty.value).into_iter().map(str::to_string));
                }
            }
        }
        out
    }
}

/// Loads and checks every spec under `root` as the directory form of the macro does (a `TODO`
/// summary is an error there); `root_rel` is how messages name it. `Err` carries every error of
/// every file. See [`tree`] for the checks.
pub fn load_tree(root_rel: &str, root: &Path, base: &str) -> Result<Tree, Vec<String>> {
    let rules = Rules {
        todo_summary: Severity::Error,
    };
    match tree(root_rel, root, base, rules) {
        (_, Some(tree)) => Ok(tree),
        (report, None) => Err(report.errors()),
    }
}

/// Reads a spec file without its byte-order mark (so columns on line 1 are not shifted).
fn read_source(shown: &str, path: &Path, base: &str) -> Result<String, Message> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').map_or(s.clone(), str::to_string)),
        Err(e) => {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::IsADirectory => "it is a directory".to_string(),
                _ => e.to_string(),
            };
            Err(Message {
                severity: Severity::Error,
                location: shown.to_string(),
                text: format!("cannot read spec: {why} (paths are relative to {base})"),
            })
        }
    }
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// `path` made absolute against the current directory, without resolving links.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// How messages name the `types/` folder beside the category folder of the spec named `shown`.
fn types_shown(shown: &str) -> String {
    let category = Path::new(shown)
        .parent()
        .filter(|p| !p.as_os_str().is_empty());
    match category.map(|c| c.parent().filter(|p| !p.as_os_str().is_empty())) {
        Some(Some(root)) => format!("{}/types", root.display()),
        Some(None) => "types".to_string(),
        None => "../types".to_string(),
    }
}

/// How messages name the folder of the file named `shown` (empty for the current one).
fn parent_shown(shown: &str) -> String {
    Path::new(shown)
        .parent()
        .map_or_else(String::new, |p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::types_shown;

    #[test]
    fn types_are_named_beside_the_category() {
        assert_eq!(types_shown("specs/billing/X.toml"), "specs/types");
        assert_eq!(types_shown("billing/X.toml"), "types");
        assert_eq!(types_shown("X.toml"), "../types");
    }
}
