//! Request encoding: each typed value written as `http_build_query` writes the same PHP value
//! (see [`whmcs_php::Form`]).

use std::borrow::Cow;

use serde_json::Value;
use whmcs_php::{Form, PhpArray, PhpKey, PhpValue, format_float};

use crate::secret::Secret;
use crate::values::{Date, DateTime, Decimal};

/// `name` nested under `prefix` as PHP writes it: `prefix[name]`, or `name` at the top.
pub fn key<'a>(prefix: &str, name: &'a str) -> Cow<'a, str> {
    if prefix.is_empty() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("{prefix}[{name}]"))
    }
}

/// A value that can be sent as a request parameter under a (possibly nested) key.
pub trait EncodeParam {
    /// Writes the value as one or more pairs under `key`.
    fn encode_param(&self, form: &mut Form, key: &str);
}

impl EncodeParam for str {
    fn encode_param(&self, form: &mut Form, key: &str) {
        form.pair(key, self);
    }
}

impl EncodeParam for String {
    fn encode_param(&self, form: &mut Form, key: &str) {
        form.pair(key, self);
    }
}

impl EncodeParam for i64 {
    fn encode_param(&self, form: &mut Form, key: &str) {
        form.pair(key, itoa::Buffer::new().format(*self));
    }
}

impl EncodeParam for bool {
    fn encode_param(&self, form: &mut Form, key: &str) {
        form.pair(key, if *self { "1" } else { "0" });
    }
}

impl EncodeParam for f64 {
    fn encode_param(&self, form: &mut Form, key: &str) {
        form.pair(key, &format_float(*self));
    }
}

impl EncodeParam for Secret {
    fn encode_param(&self, form: &mut Form, key: &str) {
        form.pair(key, self.expose());
    }
}

macro_rules! encode_display {
    ($($t:ty),*) => {$(
        impl EncodeParam for $t {
            fn encode_param(&self, form: &mut Form, key: &str) {
                form.pair(key, &self.to_string());
            }
        }
    )*};
}
encode_display!(Decimal, Date, DateTime);

/// A parameter sent as `base64_encode(serialize($array))`: either an array this crate encodes,
/// or text that is already encoded.
#[derive(Clone, Debug, PartialEq)]
pub enum Serialized {
    /// An array, serialized and base64-encoded when sent.
    Array(PhpArray),
    /// Already `base64_encode(serialize(...))`-ed text, sent as it is.
    Encoded(String),
}

impl Serialized {
    /// The text sent on the wire.
    pub fn to_wire(&self) -> String {
        match self {
            Serialized::Array(a) => a.to_base64(),
            Serialized::Encoded(s) => s.clone(),
        }
    }
}

impl From<PhpArray> for Serialized {
    fn from(a: PhpArray) -> Self {
        Serialized::Array(a)
    }
}

impl<K: Into<PhpKey>, V: Into<PhpValue>, const N: usize> From<[(K, V); N]> for Serialized {
    fn from(items: [(K, V); N]) -> Self {
        Serialized::Array(items.into())
    }
}

impl EncodeParam for Serialized {
    fn encode_param(&self, form: &mut Form, key: &str) {
        form.pair(key, &self.to_wire());
    }
}

impl<T: EncodeParam> EncodeParam for Option<T> {
    fn encode_param(&self, form: &mut Form, key: &str) {
        if let Some(v) = self {
            v.encode_param(form, key);
        }
    }
}

impl<T: EncodeParam> EncodeParam for Vec<T> {
    fn encode_param(&self, form: &mut Form, key: &str) {
        let mut k = String::with_capacity(key.len() + 4);
        for (i, v) in self.iter().enumerate() {
            k.clear();
            k.push_str(key);
            k.push('[');
            k.push_str(itoa::Buffer::new().format(i));
            k.push(']');
            v.encode_param(form, &k);
        }
    }
}

impl<T: EncodeParam> EncodeParam for indexmap::IndexMap<String, T> {
    fn encode_param(&self, form: &mut Form, key: &str) {
        for (name, v) in self {
            v.encode_param(form, &format!("{key}[{name}]"));
        }
    }
}

/// JSON in wire form, as `http_build_query` encodes the PHP array `json_decode` gives.
impl EncodeParam for Value {
    fn encode_param(&self, form: &mut Form, key: &str) {
        form.json(key, self);
    }
}

/// Writes a comma-joined list (`csv<…>` parameters) as one value; nothing when it is empty.
pub fn encode_csv<T: std::fmt::Display>(items: &[T], form: &mut Form, key: &str) {
    if !items.is_empty() {
        form.pair(key, &crate::decode::join_csv(items));
    }
}

/// A nested type sent as numbered keys: `itemdescription1`, `itemamount1`, …
pub trait EncodeNumbered {
    /// The wire names the numbers are appended to.
    const PREFIXES: &'static [&'static str];
    /// Writes this item as number `n`.
    fn encode_numbered(&self, form: &mut Form, n: usize);
}

/// Writes `items` numbered from 1, as WHMCS expects.
pub fn encode_numbered<T: EncodeNumbered>(items: &[T], form: &mut Form) {
    for (i, item) in items.iter().enumerate() {
        item.encode_numbered(form, i + 1);
    }
}

/// Request encoding of a whole request struct (generated).
pub trait EncodeFields {
    /// Writes every field under `prefix`.
    fn encode_fields(&self, form: &mut Form, prefix: &str);
}
