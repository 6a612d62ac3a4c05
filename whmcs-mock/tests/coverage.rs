//! The table of how the mock serves every action, written from the code into `COVERAGE.md` and
//! held to it: run with `UPDATE_COVERAGE=1` to rewrite the file after adding a rule.

use whmcs_mock::Coverage;

fn table() -> String {
    let rows = whmcs_mock::coverage();
    let count = |f: fn(&Coverage) -> bool| rows.iter().filter(|(_, c)| f(c)).count();
    let mut out = format!(
        "# How the mock serves each action\n\n\
         Written by `cargo test -p whmcs-mock --test coverage` from the code (`UPDATE_COVERAGE=1` \
         rewrites it). {} actions: {} stateful, {} stateless by nature, {} answered from the \
         spec's example only.\n\n| action | served by |\n|---|---|\n",
        rows.len(),
        count(|c| *c == Coverage::Stateful),
        count(|c| matches!(c, Coverage::Stateless(_))),
        count(|c| *c == Coverage::Example),
    );
    for (action, coverage) in &rows {
        let how = match coverage {
            Coverage::Stateful => "state".to_string(),
            Coverage::Stateless(why) => format!("stateless: {why}"),
            Coverage::Example => "the spec's example (no rule yet)".to_string(),
        };
        out.push_str(&format!("| `{action}` | {how} |\n"));
    }
    out
}

#[test]
fn the_coverage_table_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/COVERAGE.md");
    let want = table();
    if std::env::var_os("UPDATE_COVERAGE").is_some() {
        std::fs::write(path, &want).expect("write COVERAGE.md");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "COVERAGE.md is out of date: run `UPDATE_COVERAGE=1 cargo test -p whmcs-mock --test coverage`"
    );
}

#[test]
fn every_action_has_at_most_one_rule() {
    assert_eq!(whmcs_mock::duplicate_rules(), Vec::<&str>::new());
}

#[test]
fn every_action_is_served_from_state_or_is_stateless_by_nature() {
    let rows = whmcs_mock::coverage();
    let example_only: Vec<&str> = rows
        .iter()
        .filter(|(_, c)| *c == Coverage::Example)
        .map(|(action, _)| *action)
        .collect();
    assert_eq!(
        example_only,
        Vec::<&str>::new(),
        "actions answered from the spec's example only: give each a handler, or a stateless rule saying why it needs no state"
    );
    for (action, coverage) in &rows {
        if let Coverage::Stateless(why) = coverage {
            assert!(why.len() > 20, "{action}: say why it needs no state");
        }
    }
    let stateful = rows
        .iter()
        .filter(|(_, c)| *c == Coverage::Stateful)
        .count();
    assert!(stateful >= 150, "{stateful} stateful actions");
}
