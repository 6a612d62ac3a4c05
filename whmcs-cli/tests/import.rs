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

fn repo_shared() -> whmcs_spec::Shared {
    whmcs_spec::shared_names(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/types"))
}

#[test]
fn every_reference_page_becomes_a_valid_spec() {
    let pages = pages();
    assert_eq!(pages.len(), 162);
    let mut failures = Vec::new();
    // Into a tree without shared types, and into this repository's, whose shared enums drafts use.
    for shared in [whmcs_spec::Shared::default(), repo_shared()] {
        for (path, name, category) in &pages {
            let md =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            match whmcs_cli::import::draft_with(&md, category, &shared) {
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
        let draft = whmcs_cli::import::draft_with(&md, category, &repo_shared()).expect("draft");
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

/// A field type as a comparison sees it: enums as `enum` (inline or shared, whatever their
/// name), nested shapes as `{…}` (the importer names them its own way), the rest as written.
fn normalized(ty: &whmcs_spec::model::Ty, enums: &dyn Fn(&str) -> bool) -> String {
    use whmcs_spec::model::Ty;
    match ty {
        Ty::Enum(_) => "enum".into(),
        Ty::Named(n) if enums(n) => "enum".into(),
        Ty::Named(_) => "{…}".into(),
        Ty::Numbered(_) => "numbered<{…}>".into(),
        Ty::List(t) => format!("list<{}>", normalized(t, enums)),
        Ty::Map(t) => format!("map<{}>", normalized(t, enums)),
        Ty::Csv(t) => format!("csv<{}>", normalized(t, enums)),
        other => other.spec_name(),
    }
}

/// Counts, field by field (request parameters, answer fields and the fields of the shapes
/// they hold, matched by wire name), how a draft types what the reviewed spec types.
#[derive(Default)]
struct Agreement {
    same: usize,
    differ: Vec<String>,
    only_reviewed: usize,
    only_draft: usize,
    /// Reviewed fields with `not_found`, and how many drafts link the same error message.
    not_found: (usize, usize),
    /// Reviewed fields with `since`, and how many drafts give the same version.
    since: (usize, usize),
}

fn compare(
    agreement: &mut Agreement,
    action: &str,
    path: &str,
    draft: (&[whmcs_spec::model::Field], &whmcs_spec::model::Spec),
    reviewed: (&[whmcs_spec::model::Field], &whmcs_spec::model::Spec),
    shared: &whmcs_spec::Shared,
    depth: usize,
) {
    use whmcs_spec::model::Ty;
    fn is_enum<'a>(
        spec: &'a whmcs_spec::model::Spec,
        shared: &'a whmcs_spec::Shared,
    ) -> impl Fn(&str) -> bool + 'a {
        move |n: &str| spec.enums.iter().any(|e| e.name.value == n) || shared.enums.contains(n)
    }
    let fields_of =
        |spec: &whmcs_spec::model::Spec, ty: &Ty| -> Option<Vec<whmcs_spec::model::Field>> {
            let name = ty.named()?;
            spec.types
                .iter()
                .chain(shared.defs.iter())
                .find(|t| t.name.value == name)
                .map(|t| t.fields.clone())
        };
    for r in reviewed.0 {
        let Some(d) = draft.0.iter().find(|d| d.wire.value == r.wire.value) else {
            agreement.only_reviewed += 1;
            continue;
        };
        if let Some(nf) = &r.not_found {
            agreement.not_found.0 += 1;
            let message = |spec: &whmcs_spec::model::Spec, v: &str| {
                spec.errors
                    .iter()
                    .find(|e| e.variant.value == v)
                    .map(|e| e.message.value.to_lowercase())
            };
            if d.not_found.as_ref().is_some_and(|dn| {
                message(draft.1, &dn.value).is_some()
                    && message(draft.1, &dn.value) == message(reviewed.1, &nf.value)
            }) {
                agreement.not_found.1 += 1;
            } else if std::env::var_os("SHOW_NOT_FOUND").is_some() {
                println!(
                    "not_found {action} {path}{}: draft {:?}, reviewed {:?}",
                    r.wire.value,
                    d.not_found.as_ref().map(|n| &n.value),
                    message(reviewed.1, &nf.value)
                );
            }
        }
        if let Some(v) = &r.since {
            agreement.since.0 += 1;
            if d.since.as_ref() == Some(v) {
                agreement.since.1 += 1;
            } else if std::env::var_os("SHOW_SINCE").is_some() {
                println!(
                    "since {action} {path}{}: draft {:?}, reviewed {v}",
                    r.wire.value, d.since
                );
            }
        }
        let rt = normalized(&r.ty.value, &is_enum(reviewed.1, shared));
        let dt = normalized(&d.ty.value, &is_enum(draft.1, shared));
        if rt == dt {
            agreement.same += 1;
        } else {
            agreement.differ.push(format!(
                "{action} {path}{}: draft `{dt}`, reviewed `{rt}`",
                r.wire.value
            ));
        }
        if depth < 4
            && let (Some(rf), Some(df)) = (
                fields_of(reviewed.1, &r.ty.value),
                fields_of(draft.1, &d.ty.value),
            )
        {
            compare(
                agreement,
                action,
                &format!("{path}{}.", r.wire.value),
                (&df, draft.1),
                (&rf, reviewed.1),
                shared,
                depth + 1,
            );
        }
    }
    agreement.only_draft += draft
        .0
        .iter()
        .filter(|d| !reviewed.0.iter().any(|r| r.wire.value == d.wire.value))
        .count();
}

fn load(name: &str, toml: &str) -> whmcs_spec::model::Spec {
    let mut diag = whmcs_spec::diag::Diag::new(name, toml);
    whmcs_spec::load::load(toml, &mut diag).unwrap_or_default()
}

#[test]
fn drafts_type_fields_as_the_reviewed_specs_do() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let shared = repo_shared();
    let mut agreement = Agreement::default();
    let mut compared = 0;
    // Error variants: how many messages get the reviewed name, and how long the names are.
    let (mut messages, mut same_variant, mut draft_len, mut reviewed_len) = (0, 0, 0, 0);
    let mut action_since = (0, 0);
    for (path, name, category) in pages() {
        let reviewed_path = specs.join(&category).join(format!("{name}.toml"));
        let Ok(reviewed_text) = std::fs::read_to_string(&reviewed_path) else {
            continue;
        };
        let md = std::fs::read_to_string(&path).expect("page");
        let draft = whmcs_cli::import::draft_with(&md, &category, &shared).expect("draft");
        let (d, r) = (load(&name, &draft.toml), load(&name, &reviewed_text));
        compare(
            &mut agreement,
            &name,
            "request.",
            (&d.request, &d),
            (&r.request, &r),
            &shared,
            0,
        );
        compare(
            &mut agreement,
            &name,
            "response.",
            (&d.response, &d),
            (&r.response, &r),
            &shared,
            0,
        );
        for e in &r.errors {
            let Some(de) = d
                .errors
                .iter()
                .find(|x| x.message.value.eq_ignore_ascii_case(&e.message.value))
            else {
                continue;
            };
            messages += 1;
            same_variant += usize::from(de.variant.value == e.variant.value);
            draft_len += de.variant.value.len();
            reviewed_len += e.variant.value.len();
        }
        if let Some(s) = &r.since {
            action_since.0 += 1;
            action_since.1 += usize::from(d.since.as_ref() == Some(s));
        }
        compared += 1;
    }
    let both = agreement.same + agreement.differ.len();
    let ratio = agreement.same as f64 / both as f64;
    println!(
        "{compared} actions; fields in both: {both}; typed alike: {} ({:.1} %); typed otherwise: {}; only in the reviewed specs: {}; only in the drafts: {}",
        agreement.same,
        ratio * 100.0,
        agreement.differ.len(),
        agreement.only_reviewed,
        agreement.only_draft
    );
    println!(
        "not_found linked as reviewed: {} of {}; field `since` as reviewed: {} of {}; action `since` as reviewed: {} of {}",
        agreement.not_found.1,
        agreement.not_found.0,
        agreement.since.1,
        agreement.since.0,
        action_since.1,
        action_since.0
    );
    println!(
        "error variants named as reviewed: {same_variant} of {messages}; mean length {:.1} (reviewed {:.1})",
        draft_len as f64 / messages.max(1) as f64,
        reviewed_len as f64 / messages.max(1) as f64
    );
    for d in &agreement.differ {
        println!("  {d}");
    }
    assert_eq!(compared, 162);
    assert!(ratio >= 0.97, "agreement fell to {:.1} %", ratio * 100.0);
}
