//! Encoding and parsing held against outputs recorded from real PHP (see scripts/php-goldens.php).

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use whmcs_php::{PhpArray, PhpKey, PhpValue};

/// The fixtures produced by real PHP (`php scripts/php-goldens.php`).
fn goldens() -> Value {
    serde_json::from_str(include_str!("data/php_goldens.json"))
        .expect("php_goldens.json is valid JSON")
}

/// JSON read with object keys kept in order, as PHP's `json_decode` keeps them.
#[derive(Debug)]
enum Ordered {
    Scalar(Value),
    List(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(v.into()))
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Ordered::List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    out.push((k, v));
                }
                Ok(Ordered::Object(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Ordered {
    fn to_php(&self) -> PhpValue {
        match self {
            Ordered::Scalar(Value::Null) => PhpValue::Null,
            Ordered::Scalar(Value::Bool(b)) => PhpValue::Bool(*b),
            Ordered::Scalar(Value::Number(n)) => n
                .as_i64()
                .map_or_else(|| PhpValue::Float(n.as_f64().unwrap_or(0.0)), PhpValue::Int),
            Ordered::Scalar(Value::String(s)) => PhpValue::String(s.clone()),
            Ordered::Scalar(_) => PhpValue::Null,
            Ordered::List(items) => PhpValue::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (PhpKey::Int(i as i64), v.to_php()))
                    .collect::<Vec<_>>()
                    .into(),
            ),
            Ordered::Object(entries) => PhpValue::Array(
                entries
                    .iter()
                    .map(|(k, v)| (PhpKey::from_str_key(k), v.to_php()))
                    .collect::<Vec<_>>()
                    .into(),
            ),
        }
    }

    /// `http_build_query` through the crate's encoder, key by key in the given order (the
    /// crate's JSON maps are sorted, so nesting is walked here and each leaf encoded by the crate).
    fn encode(&self, out: &mut Vec<String>, key: &str) {
        match self {
            Ordered::Scalar(v) => {
                let pair =
                    whmcs_php::build_query(&[(key.to_string(), v.clone())].into_iter().collect());
                if !pair.is_empty() {
                    out.push(pair);
                }
            }
            Ordered::List(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| v.encode(out, &format!("{key}[{i}]"))),
            Ordered::Object(entries) => entries.iter().for_each(|(k, v)| {
                v.encode(
                    out,
                    &if key.is_empty() {
                        k.clone()
                    } else {
                        format!("{key}[{k}]")
                    },
                )
            }),
        }
    }
}

fn raw_cases(section: &str) -> Vec<(String, Ordered, Value)> {
    // Re-read the fixture keeping key order inside each case's input.
    let text = include_str!("data/php_goldens.json");
    let all: Value = serde_json::from_str(text).expect("json");
    let raw: Vec<serde_json::Map<String, Value>> =
        serde_json::from_value(all[section].clone()).expect("cases");
    let ordered_all: Ordered = serde_json::from_str(text).expect("ordered json");
    let Ordered::Object(top) = ordered_all else {
        panic!("fixture is an object")
    };
    let Some((_, Ordered::List(cases))) = top.into_iter().find(|(k, _)| k == section) else {
        panic!("no {section}")
    };
    raw.into_iter()
        .zip(cases)
        .map(|(case, ord)| {
            let Ordered::Object(fields) = ord else {
                panic!("case is an object")
            };
            let input = fields
                .into_iter()
                .find(|(k, _)| k == "input")
                .map(|(_, v)| v)
                .unwrap_or(Ordered::Scalar(Value::Null));
            (
                case["name"].as_str().unwrap_or_default().to_string(),
                input,
                Value::Object(case),
            )
        })
        .collect()
}

#[test]
fn http_build_query_matches_php() {
    let cases = raw_cases("build_query");
    assert!(cases.len() >= 25);
    for (name, input, case) in cases {
        let mut pairs = Vec::new();
        input.encode(&mut pairs, "");
        assert_eq!(
            pairs.join("&"),
            case["expected"].as_str().unwrap_or_default(),
            "{name}"
        );
    }
}

#[test]
fn serialize_matches_php() {
    let cases = raw_cases("serialize");
    assert!(cases.len() >= 15);
    for (name, input, case) in cases {
        let PhpValue::Array(array) = input.to_php() else {
            continue;
        };
        assert_eq!(
            array.serialize(),
            case["serialized"].as_str().unwrap_or_default(),
            "{name}"
        );
        assert_eq!(
            array.to_base64(),
            case["base64"].as_str().unwrap_or_default(),
            "{name}"
        );
    }
    assert_eq!(
        PhpArray::new().with(1, "Google").to_base64(),
        "YToxOntpOjE7czo2OiJHb29nbGUiO30="
    );
}

#[test]
fn parse_str_matches_php() {
    let all = goldens();
    let cases = all["parse_str"].as_array().expect("cases");
    assert!(cases.len() >= 20);
    for case in cases {
        let got = whmcs_php::parse_str(case["query"].as_str().unwrap_or_default());
        // PHP's json_encode writes an empty array as `[]`; the parse is an empty map here.
        let expected = match &case["expected"] {
            Value::Array(a) if a.is_empty() => Value::Object(serde_json::Map::new()),
            other => other.clone(),
        };
        assert_eq!(
            Value::Object(got),
            expected,
            "{} ({})",
            case["name"],
            case["query"]
        );
    }
}
