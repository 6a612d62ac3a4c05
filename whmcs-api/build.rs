//! Rebuilds the crate when anything under `specs/` changes (including new files, which the
//! generated code cannot see), and writes the table of actions by category for the crate docs.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let table = actions_table(Path::new("specs"));
    if let Err(e) = std::fs::write(Path::new(&out).join("actions.md"), table) {
        println!("cargo:warning=cannot write the actions table: {e}");
    }
}

/// `key = "value"` at the top of a spec, before its first table.
fn top_value(src: &str, key: &str) -> String {
    src.lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| {
            l.strip_prefix(key)?
                .trim_start()
                .strip_prefix('=')?
                .trim()
                .strip_prefix('"')?
                .strip_suffix('"')
                .map(str::to_string)
        })
        .unwrap_or_default()
}

fn actions_table(root: &Path) -> String {
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut out = String::from(
        "\n\n# Actions by category\n\nEach category is a cargo feature (all on by default).\n",
    );
    for dir in dirs {
        let Some(category) = dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        if category == "types" {
            continue;
        }
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        let _ = write!(
            out,
            "\n## `{category}`\n\n| action | what it does |\n|---|---|\n"
        );
        for f in files {
            let src = std::fs::read_to_string(&f).unwrap_or_default();
            let (action, summary, reference) = (
                top_value(&src, "action"),
                top_value(&src, "summary"),
                top_value(&src, "reference"),
            );
            let _ = writeln!(
                out,
                "| [`{action}`](crate::actions::{action}) ([reference]({reference})) | {} |",
                summary.replace('|', "\\|")
            );
        }
    }
    out
}
