//! Request encoding: what PHP's `http_build_query` produces for the same PHP array.

use std::borrow::Cow;

use serde_json::Value;

use crate::php::{Serialized, format_float};
use crate::values::{Date, DateTime, Decimal};

/// A form body being written, `key=value` pairs joined by `&`, both sides encoded as PHP's
/// `urlencode` does (space as `+`, everything but `A-Z a-z 0-9 - _ .` as `%XX`).
#[derive(Clone, Debug, Default)]
pub struct Form {
    buf: String,
}

impl Form {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one pair.
    pub fn pair(&mut self, key: &str, value: &str) {
        if !self.buf.is_empty() {
            self.buf.push('&');
        }
        urlencode_into(&mut self.buf, key);
        self.buf.push('=');
        urlencode_into(&mut self.buf, value);
    }

    /// The body so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The finished body.
    pub fn into_string(self) -> String {
        self.buf
    }
}

fn urlencode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

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

/// JSON in wire form, encoded as `http_build_query` encodes the PHP array `json_decode` gives:
/// `null` and empty arrays are left out, `true`/`false` are `1`/`0`.
impl EncodeParam for Value {
    fn encode_param(&self, form: &mut Form, key: &str) {
        match self {
            Value::Null => {}
            Value::Bool(b) => b.encode_param(form, key),
            Value::Number(n) => match n.as_i64() {
                Some(i) => i.encode_param(form, key),
                None if n.is_u64() => form.pair(key, &n.to_string()),
                None => n.as_f64().unwrap_or(0.0).encode_param(form, key),
            },
            Value::String(s) => form.pair(key, s),
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    v.encode_param(form, &format!("{key}[{i}]"));
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    v.encode_param(form, &format!("{key}[{k}]"));
                }
            }
        }
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
pub fn encode_numbered<T: EncodeNumbered>(items: &[T], form: &mut Form, _prefix: &str) {
    for (i, item) in items.iter().enumerate() {
        item.encode_numbered(form, i + 1);
    }
}

/// `http_build_query` of a JSON object in wire form (the same keys and values as the PHP array).
pub fn build_query(params: &serde_json::Map<String, Value>) -> String {
    let mut form = Form::new();
    for (k, v) in params {
        v.encode_param(&mut form, k);
    }
    form.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_urlencode() {
        let mut f = Form::new();
        f.pair("a b[0]", "x~y*z.-_é+&=");
        assert_eq!(f.as_str(), "a+b%5B0%5D=x%7Ey%2Az.-_%C3%A9%2B%26%3D");
    }
}
