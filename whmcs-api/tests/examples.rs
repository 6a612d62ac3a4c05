//! Every generated action against its own documentation: the example answer decodes and
//! re-encodes with nothing lost, the example request encodes exactly as PHP encodes it, and every
//! documented error message maps to its own variant.

mod common;

use serde_json::{Value, json};
use whmcs_api::{Error, actions};

#[test]
fn every_example_response_round_trips() {
    assert!(!actions::ALL.is_empty());
    for info in actions::ALL {
        let example = info
            .example_response
            .unwrap_or_else(|| panic!("{} has no example response", info.name));
        let orig: Value = serde_json::from_str(example)
            .unwrap_or_else(|e| panic!("{}: example is not JSON: {e}", info.name));
        let re = info
            .decode(example.as_bytes())
            .unwrap_or_else(|e| panic!("{}: example does not decode: {e}", info.name));
        if let Err(e) = common::same_answer(&orig, &re, info.name) {
            panic!(
                "{}: re-encoding differs: {e}\nre-encoded: {re:#}",
                info.name
            );
        }
    }
}

#[test]
fn every_example_request_encodes_as_php_does() {
    for info in actions::ALL {
        let example = info
            .example_request
            .unwrap_or_else(|| panic!("{} has no example request", info.name));
        let Ok(Value::Object(params)) = serde_json::from_str::<Value>(example) else {
            panic!("{}: bad example request", info.name)
        };
        let php = common::golden_example(info.name)
            .unwrap_or_else(|| panic!("{}: no PHP golden", info.name));
        let prepared = info
            .prepare(params)
            .unwrap_or_else(|e| panic!("{}: example request rejected: {e}", info.name));
        assert_eq!(prepared.params(), php, "{}", info.name);
        assert!(
            prepared.unknown_params().is_empty(),
            "{}: {:?}",
            info.name,
            prepared.unknown_params()
        );
    }
}

#[test]
fn every_documented_error_maps_to_its_variant() {
    let mut count = 0;
    for info in actions::ALL {
        for err in info.errors {
            let message = fill_placeholders(err.message);
            let body = json!({"result": "error", "message": message}).to_string();
            match info.decode(body.as_bytes()) {
                Err(Error::Api(e)) => {
                    assert_eq!(e.variant, err.variant, "{}: `{message}`", info.name);
                    assert_eq!(e.message, message);
                }
                other => panic!("{}: `{message}` gave {other:?}", info.name),
            }
            count += 1;
        }
        let unknown =
            json!({"result": "error", "message": "Something nobody documented"}).to_string();
        assert!(
            matches!(info.decode(unknown.as_bytes()), Err(Error::Api(e)) if e.variant == "Unknown")
        );
    }
    assert!(count >= 15, "only {count} documented errors");
}

fn fill_placeholders(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str("Pending");
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn access_errors_are_one_kind_on_every_action() {
    for info in actions::ALL {
        for msg in [
            "Authentication Failed",
            "Invalid IP 203.0.113.9",
            "Invalid Permissions: API action \"x\" is not allowed",
        ] {
            let body = json!({"result": "error", "message": msg}).to_string();
            assert!(
                matches!(info.decode(body.as_bytes()), Err(Error::Access(_))),
                "{}: {msg}",
                info.name
            );
        }
    }
}
