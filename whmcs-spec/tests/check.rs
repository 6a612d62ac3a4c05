//! `check_path` (what `whmcs spec check` runs) against the macros: for every compile-fail case
//! of `whmcs-api/tests/ui`, checking the same spec file or tree gives the same
//! `file:line:col: message` lines as the compiler shows. Also: the repository's own spec trees
//! pass, a `TODO` summary is only a warning here, and nothing depends on the current directory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use whmcs_spec::diag::Severity;
use whmcs_spec::{check_path, check_path_as};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn api() -> PathBuf {
    repo().join("whmcs-api")
}

/// The spec file or tree a UI case compiles: the attribute's `spec = "…"`, else the directory
/// macro's argument.
fn spec_of(case: &str) -> Option<String> {
    let after = |marker: &str| {
        case.find(marker)
            .map(|i| &case[i + marker.len()..])
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string)
    };
    after("spec = \"").or_else(|| after("actions!(\""))
}

/// `path:line:col: message` lines of a `.stderr` file.
fn located(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .filter(|l| {
            let mut parts = l.splitn(4, ':');
            parts.next().is_some_and(|p| p.ends_with(".toml"))
                && parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
                && parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn spec_check_says_what_the_compiler_says() {
    let mut cases = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(api().join("tests/ui"))
        .expect("whmcs-api/tests/ui")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    for rs in entries {
        let case = std::fs::read_to_string(&rs).expect("case");
        let stderr = std::fs::read_to_string(rs.with_extension("stderr")).unwrap_or_default();
        let expected = located(&stderr);
        let Some(spec) = spec_of(&case) else { continue };
        if expected.is_empty() {
            continue;
        }
        cases += 1;
        let report = check_path_as(&api().join(&spec), &spec);
        let actual: BTreeSet<String> = report.messages.iter().map(|m| m.plain()).collect();
        if actual != expected {
            failures.push(format!(
                "{}:\n  compiler:\n    {}\n  spec check:\n    {}",
                rs.display(),
                expected.iter().cloned().collect::<Vec<_>>().join("\n    "),
                actual.iter().cloned().collect::<Vec<_>>().join("\n    ")
            ));
        }
    }
    assert!(cases >= 30, "only {cases} UI cases with located errors");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn five_different_mistakes_are_all_reported_in_one_run() {
    let spec = "tests/ui/specs/five_mistakes.toml";
    let report = check_path_as(&api().join(spec), spec);
    let errors = report.errors();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    for (line, what) in [
        (":8:", "cannot be a request parameter"),
        (":9:", "did you mean `list<string>`?"),
        (":12:", "cannot hold brackets"),
        (":13:", "listed twice"),
        (":16:", "appears twice"),
    ] {
        assert!(
            errors.iter().any(|e| e.contains(line) && e.contains(what)),
            "{line} {what}: {errors:#?}"
        );
    }
}

#[test]
fn the_repository_specs_pass() {
    for (dir, shown) in [
        (repo().join("specs"), "specs"),
        (repo().join("examples/specs"), "examples/specs"),
    ] {
        let report = check_path_as(&dir, shown);
        assert!(
            report.messages.is_empty(),
            "{shown}:\n{}",
            report
                .messages
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn a_todo_summary_is_a_warning_when_checking() {
    let dir = api().join("tests/ui/specs/trees/todo_summary");
    let report = check_path_as(&dir, "todo_summary");
    assert!(!report.has_errors(), "{:?}", report.errors());
    assert_eq!(report.warnings().len(), 1);
    let m = &report.messages[0];
    assert_eq!(m.severity, Severity::Warning);
    assert_eq!(
        m.to_string(),
        "todo_summary/support/GetWidgets.toml:4:11: warning: `summary` is still a `TODO` placeholder: write one line, in your own words, on what the action does"
    );
}

#[test]
fn checking_does_not_depend_on_where_it_runs_from() {
    // Tests run in whmcs-spec/: a relative path to a spec that uses shared types still finds
    // them beside its category folder, however the path is written.
    for path in [
        "../specs/billing/GetInvoices.toml",
        "../specs/billing/../billing/GetInvoices.toml",
    ] {
        let report = check_path(Path::new(path));
        assert!(report.messages.is_empty(), "{path}: {:?}", report.errors());
    }
    let absolute = repo().join("specs/billing/GetInvoices.toml");
    assert!(check_path(&absolute).messages.is_empty());
    // A category folder, the types folder and one types file.
    for path in [
        "../specs/billing",
        "../specs/types",
        "../specs/types/billing.toml",
    ] {
        let report = check_path(Path::new(path));
        assert!(report.messages.is_empty(), "{path}: {:?}", report.errors());
    }
}

#[test]
fn a_directory_is_checked_as_a_tree() {
    let dir = api().join("tests/ui/specs/trees/two_files");
    let report = check_path_as(&dir, "two_files");
    assert_eq!(
        report.errors(),
        [
            "two_files/support/GetWidgets.toml:1:10: action `GetWidgets` is also declared at two_files/billing/GetWidgets.toml:1:10: one action, one spec file; remove one of them"
        ]
    );
}

#[test]
fn a_missing_path_says_so() {
    let report = check_path(Path::new("no/such/Spec.toml"));
    assert_eq!(
        report.errors(),
        [
            "no/such/Spec.toml: cannot read spec: no such file (paths are relative to the current directory)"
        ]
    );
}
