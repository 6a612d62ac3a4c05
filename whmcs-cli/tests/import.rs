//! The importer (`whmcs spec import`) against the reference pages: every page becomes a spec that
//! passes validation, and the drafts of a few pages are held in snapshots
//! (`UPDATE_SNAPSHOTS=1 cargo test --test import` rewrites them after a deliberate change).

use std::path::{Path, PathBuf};

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/whmcs-docs/api-reference")
}

/// The action pages with their API index category.
fn pages() -> Vec<(PathBuf, String, String)> {
    let index = std::fs::read_to_string(reference_dir().join("../api/api-index.md"))
        .expect("shared/whmcs-docs/api/api-index.md beside the repository");
    whmcs_cli::import::index_entries(&index)
        .into_iter()
        .map(|(slug, name, category)| (reference_dir().join(format!("{slug}.md")), name, category))
        .collect()
}

#[test]
fn every_reference_page_becomes_a_valid_spec() {
    let pages = pages();
    assert_eq!(pages.len(), 162);
    let shared =
        whmcs_spec::shared_names(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/types"));
    let mut failures = Vec::new();
    for (path, name, category) in &pages {
        let md =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match whmcs_cli::import::draft(&md, category) {
            Ok(draft) => {
                assert_eq!(&draft.action, name);
                assert!(
                    draft.toml.contains("summary = \"TODO"),
                    "{name}: the importer must not write summaries"
                );
                if let Err(problems) = whmcs_spec::action_from_source(
                    &format!("{category}/{name}.toml"),
                    &draft.toml,
                    &shared,
                ) {
                    failures.push(problems.join("\n"));
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} drafts are invalid:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn drafts_match_their_snapshots() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/import");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    for (page, category) in [
        ("addcancelrequest", "support"),
        ("getinvoices", "billing"),
        ("addorder", "orders"),
        ("getclientsdetails", "client"),
        ("updateinvoice", "billing"),
        ("getstats", "system"),
    ] {
        let md = std::fs::read_to_string(reference_dir().join(format!("{page}.md"))).expect("page");
        let draft = whmcs_cli::import::draft(&md, category).expect("draft");
        let file = snapshots.join(format!("{}.toml", draft.action));
        if update {
            std::fs::write(&file, &draft.toml).expect("write snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&file)
            .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_SNAPSHOTS=1", file.display()));
        assert_eq!(
            draft.toml, expected,
            "{page}: the draft changed; review it and run with UPDATE_SNAPSHOTS=1"
        );
    }
}

#[test]
fn the_importer_copies_no_reference_prose() {
    // Any sentence of 7+ words from the page's tables or text would be vendor prose.
    for (path, name, category) in pages().into_iter().take(40) {
        let md = std::fs::read_to_string(&path).expect("page");
        let draft = whmcs_cli::import::draft(&md, &category).expect("draft");
        for line in md.lines().filter(|l| l.starts_with('|')) {
            for cell in line
                .split('|')
                .map(str::trim)
                .filter(|c| c.split_whitespace().count() >= 7)
            {
                assert!(!draft.toml.contains(cell), "{name}: copies `{cell}`");
            }
        }
    }
}
