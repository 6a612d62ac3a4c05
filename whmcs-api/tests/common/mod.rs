//! Helpers shared by the integration tests.
#![allow(dead_code)]

use serde_json::Value;

/// The fixtures produced by real PHP (`php scripts/php-goldens.php`).
pub fn goldens() -> Value {
    let text = include_str!("../../../whmcs-php/tests/data/php_goldens.json");
    serde_json::from_str(text).expect("php_goldens.json is valid JSON")
}

/// The PHP-generated `http_build_query` of an action's documented example request.
pub fn golden_example(action: &str) -> Option<String> {
    goldens()["examples"]
        .as_array()?
        .iter()
        .find(|e| e["action"] == action)
        .and_then(|e| e["expected"].as_str().map(str::to_string))
}

/// A scalar as PHP would compare it loosely: numbers, numeric strings and bools by value.
fn scalar(v: &Value) -> Option<String> {
    Some(match v {
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(f) if !s.trim().is_empty() && f.is_finite() => format!("{f}"),
            _ => s.clone(),
        },
        Value::Number(n) => format!("{}", n.as_f64()?),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Value::Null => "null".to_string(),
        _ => return None,
    })
}

/// Whether `re` holds everything `orig` holds, and nothing else: the same keys at every level,
/// scalars equal as PHP compares them (`"1"` = `1` = `true`).
pub fn same_answer(orig: &Value, re: &Value, path: &str) -> Result<(), String> {
    match (orig, re) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = format!("{path}.{k}");
                let other = b.get(k).ok_or_else(|| format!("{p} was lost"))?;
                same_answer(v, other, &p)?;
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    return Err(format!("{path}.{k} was invented"));
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{path}: {} items became {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .try_for_each(|(i, (x, y))| same_answer(x, y, &format!("{path}[{i}]")))
        }
        (a, b) => match (scalar(a), scalar(b)) {
            (Some(x), Some(y)) if x == y => Ok(()),
            _ => Err(format!("{path}: {a} became {b}")),
        },
    }
}
pub mod server;
