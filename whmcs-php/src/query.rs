//! `http_build_query()`: a PHP array written as an `application/x-www-form-urlencoded` body.

use serde_json::{Map, Value};

/// A form body being written: `key=value` pairs joined by `&`, both sides encoded as PHP's
/// `urlencode()` does (space as `+`, every byte but `A-Z a-z 0-9 - _ .` as `%XX`).
///
/// ```
/// let mut form = whmcs_php::Form::new();
/// form.pair("items[0][name]", "Web hosting & more");
/// assert_eq!(form.as_str(), "items%5B0%5D%5Bname%5D=Web+hosting+%26+more");
/// ```
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

    /// Appends pairs that are already encoded (`a=1&b=2`).
    pub fn append_encoded(&mut self, encoded: &str) {
        if encoded.is_empty() {
            return;
        }
        if !self.buf.is_empty() {
            self.buf.push('&');
        }
        self.buf.push_str(encoded);
    }

    /// Appends a JSON value in wire form under `key`, as `http_build_query` writes the PHP array
    /// `json_decode($json, true)` gives: `null` and empty arrays are left out, `true`/`false`
    /// are `1`/`0`, nested arrays become `key[sub]`.
    pub fn json(&mut self, key: &str, value: &Value) {
        match value {
            Value::Null => {}
            Value::Bool(b) => self.pair(key, if *b { "1" } else { "0" }),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => self.pair(key, &i.to_string()),
                (None, Some(u)) => self.pair(key, &u.to_string()),
                _ => self.pair(key, &crate::format_float(n.as_f64().unwrap_or(0.0))),
            },
            Value::String(s) => self.pair(key, s),
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.json(&format!("{key}[{i}]"), v);
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    self.json(&format!("{key}[{k}]"), v);
                }
            }
        }
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

/// PHP's `urlencode()` of `s`.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    urlencode_into(&mut out, s);
    out
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

/// `http_build_query()` of a JSON object in wire form (the same keys and values as the PHP array).
///
/// ```
/// let params = serde_json::json!({"pid": [1, 2], "noemail": true, "notes": null});
/// let body = whmcs_php::build_query(params.as_object().unwrap());
/// assert_eq!(body, "pid%5B0%5D=1&pid%5B1%5D=2&noemail=1");
/// ```
pub fn build_query(params: &Map<String, Value>) -> String {
    let mut form = Form::new();
    for (k, v) in params {
        form.json(k, v);
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
