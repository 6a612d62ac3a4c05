//! PHP values and `serialize()`, as WHMCS takes custom fields and configurable options:
//! `base64_encode(serialize($array))`.

use std::fmt::Write as _;

use base64::Engine as _;
use serde_json::Value;

/// A PHP value, as `serialize()` writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum PhpValue {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A (byte) string.
    String(String),
    /// A nested array.
    Array(PhpArray),
}

/// A PHP array key: PHP turns decimal strings such as `"1"` into integer keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhpKey {
    /// An integer key.
    Int(i64),
    /// A string key.
    Str(String),
}

impl PhpKey {
    /// The key PHP would use for this string (`"1"` → `1`, `"01"` stays a string).
    pub fn from_str_key(s: &str) -> Self {
        let digits = s.strip_prefix('-').unwrap_or(s);
        let canonical = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
            && s != "-0";
        match s.parse::<i64>() {
            Ok(i) if canonical => PhpKey::Int(i),
            _ => PhpKey::Str(s.to_string()),
        }
    }
}

impl From<i64> for PhpKey {
    fn from(v: i64) -> Self {
        PhpKey::Int(v)
    }
}
impl From<i32> for PhpKey {
    fn from(v: i32) -> Self {
        PhpKey::Int(i64::from(v))
    }
}
impl From<&str> for PhpKey {
    fn from(v: &str) -> Self {
        PhpKey::from_str_key(v)
    }
}
impl From<String> for PhpKey {
    fn from(v: String) -> Self {
        PhpKey::from_str_key(&v)
    }
}

macro_rules! php_from {
    ($($t:ty => $v:ident $(via $conv:ident)?),*) => {$(
        impl From<$t> for PhpValue {
            fn from(v: $t) -> Self { PhpValue::$v(v $(.$conv())?) }
        }
    )*};
}
php_from!(bool => Bool, i64 => Int, f64 => Float, String => String, PhpArray => Array, &str => String via to_string);

impl From<i32> for PhpValue {
    fn from(v: i32) -> Self {
        PhpValue::Int(i64::from(v))
    }
}

/// An ordered PHP array (a list or a map), e.g. the custom field values of an order item.
///
/// ```
/// use whmcs_php::PhpArray;
/// let fields = PhpArray::new().with(1, "Google");
/// assert_eq!(fields.serialize(), r#"a:1:{i:1;s:6:"Google";}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhpArray(Vec<(PhpKey, PhpValue)>);

impl PhpArray {
    /// An empty array.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces, as PHP does) an entry and returns the array.
    #[must_use]
    pub fn with(mut self, key: impl Into<PhpKey>, value: impl Into<PhpValue>) -> Self {
        self.insert(key, value);
        self
    }

    /// Adds an entry, replacing the value of an existing equal key in place.
    pub fn insert(&mut self, key: impl Into<PhpKey>, value: impl Into<PhpValue>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[(PhpKey, PhpValue)] {
        &self.0
    }

    /// PHP's `serialize()` of this array.
    pub fn serialize(&self) -> String {
        let mut out = String::new();
        write_array(&mut out, self);
        out
    }

    /// `base64_encode(serialize($array))`, the form WHMCS expects for custom fields and
    /// configurable options.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.serialize())
    }

    /// The PHP array `json_decode($json, true)` would give; `None` unless `json` is an array or
    /// object.
    pub fn from_json(json: &Value) -> Option<Self> {
        match php_from_json(json) {
            PhpValue::Array(a) => Some(a),
            _ => None,
        }
    }
}

impl<K: Into<PhpKey>, V: Into<PhpValue>> FromIterator<(K, V)> for PhpArray {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut a = PhpArray::new();
        for (k, v) in iter {
            a.insert(k, v);
        }
        a
    }
}

impl<K: Into<PhpKey>, V: Into<PhpValue>, const N: usize> From<[(K, V); N]> for PhpArray {
    fn from(items: [(K, V); N]) -> Self {
        items.into_iter().collect()
    }
}

fn php_from_json(v: &Value) -> PhpValue {
    match v {
        Value::Null => PhpValue::Null,
        Value::Bool(b) => PhpValue::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => PhpValue::Int(i),
            None => PhpValue::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => PhpValue::String(s.clone()),
        Value::Array(items) => PhpValue::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (PhpKey::Int(i as i64), php_from_json(v)))
                .collect::<Vec<_>>()
                .into(),
        ),
        Value::Object(map) => PhpValue::Array(
            map.iter()
                .map(|(k, v)| (PhpKey::from_str_key(k), php_from_json(v)))
                .collect::<Vec<_>>()
                .into(),
        ),
    }
}

impl From<Vec<(PhpKey, PhpValue)>> for PhpArray {
    fn from(entries: Vec<(PhpKey, PhpValue)>) -> Self {
        entries.into_iter().collect()
    }
}

fn write_array(out: &mut String, a: &PhpArray) {
    let _ = write!(out, "a:{}:{{", a.0.len());
    for (k, v) in &a.0 {
        match k {
            PhpKey::Int(i) => {
                let _ = write!(out, "i:{i};");
            }
            PhpKey::Str(s) => write_string(out, s),
        }
        write_value(out, v);
    }
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    let _ = write!(out, "s:{}:\"{s}\";", s.len());
}

fn write_value(out: &mut String, v: &PhpValue) {
    match v {
        PhpValue::Null => out.push_str("N;"),
        PhpValue::Bool(b) => out.push_str(if *b { "b:1;" } else { "b:0;" }),
        PhpValue::Int(i) => {
            let _ = write!(out, "i:{i};");
        }
        PhpValue::Float(f) => {
            out.push_str("d:");
            out.push_str(&crate::format_float(*f));
            out.push(';');
        }
        PhpValue::String(s) => write_string(out, s),
        PhpValue::Array(a) => write_array(out, a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_php_rules() {
        assert_eq!(PhpKey::from_str_key("1"), PhpKey::Int(1));
        assert_eq!(PhpKey::from_str_key("-5"), PhpKey::Int(-5));
        assert_eq!(PhpKey::from_str_key("01"), PhpKey::Str("01".into()));
        assert_eq!(PhpKey::from_str_key("1.5"), PhpKey::Str("1.5".into()));
        assert_eq!(PhpKey::from_str_key("-0"), PhpKey::Str("-0".into()));
    }

    #[test]
    fn serializes_nested_arrays() {
        let a = PhpArray::new()
            .with("a", PhpArray::new().with(0, true).with(1, 1.5))
            .with(2, PhpValue::Null);
        assert_eq!(
            a.serialize(),
            r#"a:2:{s:1:"a";a:2:{i:0;b:1;i:1;d:1.5;}i:2;N;}"#
        );
    }
}
