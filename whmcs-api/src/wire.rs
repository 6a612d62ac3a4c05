//! Requests in wire form (the PHP array given to `http_build_query`), as JSON: the CLI's `--json`,
//! the mock's parsed form bodies. Generated code turns them into typed requests through
//! [`WireParams`], collecting every problem.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use whmcs_php::{Form, PhpArray, format_float};

use crate::decode::parse_bool;
use crate::encode::{EncodeNumbered, Serialized};
use crate::error::InvalidParams;
use crate::secret::Secret;
use crate::values::{Date, DateTime, Decimal};

/// Parameters in wire form being turned into a typed request.
#[derive(Debug, Default)]
pub struct WireParams {
    map: Map<String, Value>,
    problems: Vec<String>,
    unknown: Vec<String>,
    path: String,
}

impl WireParams {
    /// Wraps a JSON object of parameters (keys and values as in the PHP array).
    pub fn new(map: Map<String, Value>) -> Self {
        Self {
            map,
            ..Self::default()
        }
    }

    /// Wraps a JSON value, which must be an object.
    pub fn from_json(v: Value) -> Result<Self, InvalidParams> {
        match v {
            Value::Object(map) => Ok(Self::new(map)),
            other => Err(InvalidParams::new(format!(
                "parameters must be a JSON object, found {}",
                kind(&other)
            ))),
        }
    }

    /// Keys no spec names, seen so far (they are sent as given).
    pub fn unknown(&self) -> &[String] {
        &self.unknown
    }

    fn name(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}[{key}]", self.path)
        }
    }

    #[doc(hidden)]
    pub fn required<T: FromWire>(&mut self, key: &str) -> Option<T> {
        match self.map.remove(key) {
            None | Some(Value::Null) => {
                let name = self.name(key);
                self.problems
                    .push(format!("missing required parameter `{name}`"));
                None
            }
            Some(v) => self.convert(key, &v),
        }
    }

    #[doc(hidden)]
    pub fn optional<T: FromWire>(&mut self, key: &str) -> Option<T> {
        match self.map.remove(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.convert(key, &v),
        }
    }

    fn convert<T: FromWire>(&mut self, key: &str, v: &Value) -> Option<T> {
        match T::from_wire(v) {
            Ok(t) => Some(t),
            Err(e) => {
                let name = self.name(key);
                self.problems.push(format!("parameter `{name}`: {e}"));
                None
            }
        }
    }

    #[doc(hidden)]
    pub fn csv<T: crate::decode::CsvItem>(&mut self, key: &str) -> Vec<T> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => {
                let items = match &v {
                    Value::String(s) => crate::decode::split_csv(s),
                    Value::Number(n) => crate::decode::split_csv(&n.to_string()),
                    Value::Array(items) => items
                        .iter()
                        .map(|i| scalar_text(i).and_then(|t| T::parse_item(t.trim())))
                        .collect(),
                    _ => None,
                };
                items.unwrap_or_else(|| {
                    let name = self.name(key);
                    self.problems.push(format!(
                        "parameter `{name}`: expected a comma-separated list"
                    ));
                    Vec::new()
                })
            }
        }
    }

    #[doc(hidden)]
    pub fn numbered<T: EncodeNumbered + FromWireFields>(&mut self) -> Vec<T> {
        let mut numbers = BTreeMap::<u32, Map<String, Value>>::new();
        let keys: Vec<String> = self.map.keys().cloned().collect();
        for k in keys {
            for prefix in T::PREFIXES {
                if let Some(n) = crate::decode::numbered_key(&k, prefix) {
                    if let Some(v) = self.map.remove(&k) {
                        numbers
                            .entry(n)
                            .or_default()
                            .insert((*prefix).to_string(), v);
                    }
                    break;
                }
            }
        }
        let mut out = Vec::with_capacity(numbers.len());
        for (n, map) in numbers {
            let mut nested = WireParams::new(map);
            match T::from_wire_fields(&mut nested) {
                Ok(t) => out.push(t),
                Err(e) => self
                    .problems
                    .extend(e.problems.into_iter().map(|p| format!("item {n}: {p}"))),
            }
            self.unknown.extend(nested.unknown);
        }
        out
    }

    /// Takes every key left, as `(key, value)` pairs in PHP form, and records them as unknown.
    #[doc(hidden)]
    pub fn rest(&mut self) -> Vec<(String, String)> {
        let mut form = Form::new();
        for (k, v) in std::mem::take(&mut self.map) {
            self.unknown.push(self.name(&k));
            form.json(&k, &v);
        }
        if form.as_str().is_empty() {
            return Vec::new();
        }
        form.as_str()
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (whmcs_php::urldecode(k), whmcs_php::urldecode(v))
            })
            .collect()
    }

    /// Takes every key left as JSON (for the `extra` of nested types), recording them as unknown.
    #[doc(hidden)]
    pub fn rest_json(&mut self) -> Map<String, Value> {
        let map = std::mem::take(&mut self.map);
        for k in map.keys() {
            let name = self.name(k);
            self.unknown.push(name);
        }
        map
    }

    /// `Err` with every problem found, if there was any.
    #[doc(hidden)]
    pub fn finish(&mut self) -> Result<(), InvalidParams> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(InvalidParams {
                problems: std::mem::take(&mut self.problems),
            })
        }
    }

    #[doc(hidden)]
    pub fn take_error(&mut self) -> InvalidParams {
        InvalidParams {
            problems: std::mem::take(&mut self.problems),
        }
    }
}

/// A request type (or nested request shape) built from [`WireParams`].
pub trait FromWireFields: Sized {
    /// Takes this type's fields out of `params`.
    fn from_wire_fields(params: &mut WireParams) -> Result<Self, InvalidParams>;
}

/// One parameter value read from wire-form JSON, lenient as PHP is (`"1"` and `1` are both ints).
pub trait FromWire: Sized {
    /// Reads the value, or says what is wrong with it.
    fn from_wire(v: &Value) -> Result<Self, String>;
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(u)) => u.to_string(),
            _ => format_float(n.as_f64().unwrap_or(0.0)),
        }),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        _ => None,
    }
}

fn text_of(v: &Value, what: &str) -> Result<String, String> {
    scalar_text(v).ok_or_else(|| format!("expected {what}, found {}", kind(v)))
}

impl FromWire for String {
    fn from_wire(v: &Value) -> Result<Self, String> {
        text_of(v, "a string")
    }
}

impl FromWire for Secret {
    fn from_wire(v: &Value) -> Result<Self, String> {
        text_of(v, "a string").map(Secret::from)
    }
}

impl FromWire for i64 {
    fn from_wire(v: &Value) -> Result<Self, String> {
        let t = text_of(v, "an integer")?;
        t.trim()
            .parse()
            .map_err(|_| format!("`{t}` is not an integer"))
    }
}

impl FromWire for f64 {
    fn from_wire(v: &Value) -> Result<Self, String> {
        let t = text_of(v, "a number")?;
        t.trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| format!("`{t}` is not a number"))
    }
}

impl FromWire for bool {
    fn from_wire(v: &Value) -> Result<Self, String> {
        let t = text_of(v, "a boolean")?;
        parse_bool(&t).ok_or_else(|| format!("`{t}` is not a boolean (use 1 or 0)"))
    }
}

impl FromWire for Decimal {
    fn from_wire(v: &Value) -> Result<Self, String> {
        let t = text_of(v, "a decimal number")?;
        crate::values::parse_decimal(&t).ok_or_else(|| format!("`{t}` is not a decimal number"))
    }
}

impl FromWire for Date {
    fn from_wire(v: &Value) -> Result<Self, String> {
        let t = text_of(v, "a date")?;
        t.parse()
            .map_err(|e: crate::values::ParseValueError| e.to_string())
    }
}

impl FromWire for DateTime {
    fn from_wire(v: &Value) -> Result<Self, String> {
        let t = text_of(v, "a date and time")?;
        t.parse()
            .map_err(|e: crate::values::ParseValueError| e.to_string())
    }
}

impl FromWire for Value {
    fn from_wire(v: &Value) -> Result<Self, String> {
        Ok(v.clone())
    }
}

impl FromWire for Serialized {
    fn from_wire(v: &Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(Serialized::Encoded(s.clone())),
            Value::Array(_) | Value::Object(_) => PhpArray::from_json(v)
                .map(Serialized::Array)
                .ok_or_else(|| "expected an array".to_string()),
            other => Err(format!(
                "expected base64-serialized text or an object, found {}",
                kind(other)
            )),
        }
    }
}

/// Items of a PHP list sent as JSON: a list, an object keyed 0, 1, …, or a single value.
fn list_items(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by_key(|(k, _)| k.parse::<u64>().unwrap_or(u64::MAX));
            entries.into_iter().map(|(_, v)| v).collect()
        }
        other => vec![other],
    }
}

impl<T: FromWire> FromWire for Vec<T> {
    fn from_wire(v: &Value) -> Result<Self, String> {
        list_items(v)
            .into_iter()
            .enumerate()
            .map(|(i, item)| T::from_wire(item).map_err(|e| format!("item {i}: {e}")))
            .collect()
    }
}

impl<T: FromWire> FromWire for indexmap::IndexMap<String, T> {
    fn from_wire(v: &Value) -> Result<Self, String> {
        match v {
            Value::Object(map) => map
                .iter()
                .map(|(k, item)| {
                    T::from_wire(item)
                        .map(|t| (k.clone(), t))
                        .map_err(|e| format!("`{k}`: {e}"))
                })
                .collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::from_wire(item).map(|t| (i.to_string(), t)))
                .collect(),
            other => Err(format!(
                "expected an object of name → value, found {}",
                kind(other)
            )),
        }
    }
}

/// Builds a nested request shape from a JSON object.
pub fn struct_from_wire<T: FromWireFields>(v: &Value) -> Result<T, String> {
    match v {
        Value::Object(map) => {
            let mut params = WireParams::new(map.clone());
            T::from_wire_fields(&mut params).map_err(|e| e.to_string())
        }
        other => Err(format!("expected an object, found {}", kind(other))),
    }
}

/// Reads a generated enum, listing the allowed values when the text is not one of them.
pub fn enum_from_wire<T: crate::decode::WireEnum>(v: &Value) -> Result<T, String> {
    let t = text_of(v, "a string")?;
    // Requests are held to the listed values, even where answers may carry others.
    T::VALUES
        .contains(&t.as_str())
        .then(|| T::parse_wire(&t))
        .flatten()
        .ok_or_else(|| {
            format!(
                "`{t}` is not one of {}",
                crate::decode::list_values(T::VALUES)
            )
        })
}
