//! Arbitrary bytes as a form body, read as PHP's `$_POST` and as `parse_str()` (what the mock
//! does with every request): the first byte picks the limits, the rest is the body. Parsing must
//! never panic, and the result must keep within the limits: no deeper than the nesting limit,
//! no more variables than `max_input_vars` lets through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use whmcs_php::{Limits, build_query, parse_post, parse_str_with};

/// The deepest nesting in `map`, counted without recursion.
fn depth(map: &serde_json::Map<String, Value>) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Value, usize)> = map.values().map(|v| (v, 1)).collect();
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    deepest
}

/// How many leaves (variables) `map` holds.
fn leaves(map: &serde_json::Map<String, Value>) -> usize {
    let mut n = 0;
    let mut stack: Vec<&Value> = map.values().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(m) => stack.extend(m.values()),
            _ => n += 1,
        }
    }
    n
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let limits = Limits {
        max_input_vars: [1, 3, 1000, usize::MAX][usize::from(pick & 3)],
        max_input_nesting_level: [0, 1, 64, 100_000][usize::from((pick >> 2) & 3)],
    };
    let nesting = limits.max_input_nesting_level.min(Limits::MAX_NESTING);
    for parsed in [parse_post(body, limits), parse_str_with(body, limits)] {
        assert!(
            depth(&parsed.params) <= nesting + 1,
            "deeper than the limit"
        );
        assert!(
            leaves(&parsed.params) <= limits.max_input_vars.saturating_add(1),
            "more variables than max_input_vars"
        );
        let _ = build_query(&parsed.params);
    }
});
