//! Property tests: any request, encoded and then decoded the way PHP reads a form body
//! (`parse_str`), comes back the same: the same parameters with the same values, and the same
//! encoding when sent again.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use whmcs_api::{ActionInfo, actions};
use whmcs_php::parse_str;

/// Values for one parameter of the given spec type, or `None` for shapes this generator skips.
fn value_for(ty: &str, values: &[String], rng: &mut Bytes<'_>) -> Option<Value> {
    if !values.is_empty() && !ty.starts_with("list<") && !ty.starts_with("map<") {
        return Some(Value::String(
            values[rng.next() as usize % values.len()].clone(),
        ));
    }
    Some(match ty {
        "int" => json!(rng.int()),
        "string" | "secret" => Value::String(rng.text()),
        "bool" => json!(rng.next() % 2 == 1),
        "money" | "float" => Value::String(format!(
            "{}.{:02}",
            rng.int().rem_euclid(100_000),
            rng.next() % 100
        )),
        "date" => Value::String(format!(
            "20{:02}-{:02}-{:02}",
            rng.next() % 50,
            1 + rng.next() % 12,
            1 + rng.next() % 28
        )),
        "datetime" => Value::String(format!(
            "2026-{:02}-{:02} {:02}:{:02}:{:02}",
            1 + rng.next() % 12,
            1 + rng.next() % 28,
            rng.next() % 24,
            rng.next() % 60,
            rng.next() % 60
        )),
        t if t.starts_with("list<") && !t.contains("<list") => {
            let inner = &t[5..t.len() - 1];
            let n = 1 + rng.next() as usize % 4;
            Value::Array(
                (0..n)
                    .map(|_| value_for(inner, values, rng))
                    .collect::<Option<Vec<_>>>()?,
            )
        }
        t if t.starts_with("map<") && !t.contains("<map") => {
            let inner = &t[4..t.len() - 1];
            let n = 1 + rng.next() as usize % 3;
            let mut m = Map::new();
            for i in 0..n {
                m.insert(format!("key{i}.example"), value_for(inner, values, rng)?);
            }
            Value::Object(m)
        }
        _ => return None,
    })
}

/// Entropy from proptest, read a byte at a time.
struct Bytes<'a>(&'a [u8], usize);

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        let b = self
            .0
            .get(self.1 % self.0.len().max(1))
            .copied()
            .unwrap_or(7);
        self.1 += 1;
        b.wrapping_add(self.1 as u8)
    }
    fn int(&mut self) -> i64 {
        i64::from_le_bytes([self.next(), self.next(), self.next(), 0, 0, 0, 0, 0]) - 5_000_000
    }
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "0", " ", "+", "&", "=", "%", "[", "]", "é", "ü", "日本", "🎉", "\n", "'",
            "\"", "/", "?", "#", ".", "-", "_", "~", "*",
        ];
        (0..self.next() % 12)
            .map(|_| PIECES[self.next() as usize % PIECES.len()])
            .collect()
    }
}

fn enum_values(info: &ActionInfo) -> Value {
    serde_json::from_str(info.describe()).unwrap_or(Value::Null)
}

/// Wire-form parameters for `info`: every required parameter, and optional ones at random.
fn params(info: &ActionInfo, rng: &mut Bytes<'_>) -> Option<Map<String, Value>> {
    let described = enum_values(info);
    let example: Map<String, Value> =
        serde_json::from_str(info.example_request().unwrap_or("{}")).unwrap_or_default();
    let mut out = Map::new();
    for p in info.params() {
        if !p.required() && rng.next().is_multiple_of(3) {
            continue;
        }
        let values: Vec<String> = described["request"]
            .as_array()
            .and_then(|ps| ps.iter().find(|x| x["name"] == p.name()))
            .and_then(|x| x["values"].as_array())
            .map(|vs| {
                vs.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        match value_for(p.ty(), &values, rng) {
            Some(v) => {
                out.insert(p.name().to_string(), v);
            }
            None if p.required() => {
                out.insert(p.name().to_string(), example.get(p.name())?.clone());
            }
            None => {}
        }
    }
    Some(out)
}

/// The text PHP would hold for a scalar sent as `v`.
fn php_text(v: &Value) -> Value {
    match v {
        Value::Bool(b) => json!(if *b { "1" } else { "0" }),
        Value::Number(n) => json!(n.to_string()),
        Value::Array(items) => Value::Array(items.iter().map(php_text).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), php_text(v))).collect())
        }
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn encoding_then_php_decoding_round_trips(pick in 0usize..1000, entropy in proptest::collection::vec(any::<u8>(), 1..64)) {
        let info = actions::ALL[pick % actions::ALL.len()];
        let mut rng = Bytes(&entropy, 0);
        let Some(wire) = params(info, &mut rng) else { return Ok(()) };
        let first = info.prepare(wire.clone()).map_err(|e| TestCaseError::fail(format!("{}: {e}", info.name())))?;
        let decoded = parse_str(first.params());
        // Every parameter arrives as PHP would read it.
        for (k, v) in &wire {
            let expected = php_text(v);
            let got = decoded.get(k.as_str()).cloned().unwrap_or(Value::Null);
            let empty = matches!(v, Value::Array(a) if a.is_empty()) || matches!(v, Value::Object(o) if o.is_empty());
            prop_assert!(empty || got == expected, "{}: `{}` sent {} and PHP read {}", info.name(), k, expected, got);
        }
        // And sending what PHP read gives the same body again.
        let again = info.prepare(decoded).map_err(|e| TestCaseError::fail(format!("{}: re-read: {e}", info.name())))?;
        prop_assert_eq!(first.params(), again.params(), "{}", info.name());
    }
}
