//! Every generated action against its own documentation: the example answer decodes and
//! re-encodes with nothing lost, the example request encodes exactly as PHP encodes it, and every
//! documented error message maps to its own variant.

mod common;

use serde_json::{Value, json};
use whmcs_api::{ActionInfo, Error, actions};

/// Runs `check` on every action and reports every failure at once.
fn for_every_action(check: impl Fn(&ActionInfo) -> Result<(), String>) {
    assert!(!actions::ALL.is_empty());
    let failures: Vec<String> = actions::ALL
        .iter()
        .filter_map(|info| check(info).err().map(|e| format!("{}: {e}", info.name())))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} actions fail:\n{}",
        failures.len(),
        actions::ALL.len(),
        failures.join("\n")
    );
}

#[test]
fn every_example_response_round_trips() {
    for_every_action(|info| {
        let example = info.example_response().ok_or("no example response")?;
        let orig: Value =
            serde_json::from_str(example).map_err(|e| format!("example is not JSON: {e}"))?;
        let re = info
            .decode(example.as_bytes())
            .map_err(|e| format!("example does not decode: {e}"))?;
        common::same_answer(&orig, &re, "").map_err(|e| format!("re-encoding differs: {e}"))
    });
}

#[test]
fn every_example_request_encodes_as_php_does() {
    for_every_action(|info| {
        let example = info.example_request().ok_or("no example request")?;
        let Ok(Value::Object(params)) = serde_json::from_str::<Value>(example) else {
            return Err("bad example request".into());
        };
        let php = common::golden_example(info.name()).ok_or("no PHP golden")?;
        let prepared = info
            .prepare(params)
            .map_err(|e| format!("example request rejected: {e}"))?;
        if prepared.params() != php {
            return Err(format!(
                "encodes as\n    {}\n  PHP gives\n    {php}",
                prepared.params()
            ));
        }
        if !prepared.unknown_params().is_empty() {
            return Err(format!(
                "unknown parameters {:?}",
                prepared.unknown_params()
            ));
        }
        Ok(())
    });
}

#[test]
fn every_documented_error_maps_to_its_variant() {
    for_every_action(|info| {
        for err in info.errors() {
            // Filled in, and with the placeholders left empty (the text the reference writes).
            for message in [
                fill_placeholders(err.message(), "Pending"),
                fill_placeholders(err.message(), "").trim().to_string(),
            ] {
                let body = json!({"result": "error", "message": message}).to_string();
                match info.decode(body.as_bytes()) {
                    Err(Error::Api { error: e, .. })
                        if e.variant == err.variant() && e.message == message => {}
                    other => {
                        return Err(format!("`{message}` gave {other:?}, not {}", err.variant()));
                    }
                }
            }
        }
        let unknown =
            json!({"result": "error", "message": "Something nobody documented"}).to_string();
        match info.decode(unknown.as_bytes()) {
            Err(Error::Api { error: e, .. }) if e.variant == "Unknown" => Ok(()),
            other => Err(format!("an undocumented message gave {other:?}")),
        }
    });
    let documented: usize = actions::ALL.iter().map(|i| i.errors().len()).sum();
    assert!(documented >= 15, "only {documented} documented errors");
}

fn fill_placeholders(template: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(with);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn access_errors_are_one_kind_on_every_action() {
    for_every_action(|info| {
        for msg in [
            "Authentication Failed",
            "Invalid IP 203.0.113.9",
            "Invalid Permissions: API action \"x\" is not allowed",
        ] {
            let body = json!({"result": "error", "message": msg}).to_string();
            if !matches!(info.decode(body.as_bytes()), Err(Error::Access(_))) {
                return Err(format!("`{msg}` is not an access error"));
            }
        }
        Ok(())
    });
}
