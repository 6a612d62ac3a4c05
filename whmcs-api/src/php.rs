//! PHP's own formats: `serialize()` for the base64-serialized parameters, float printing, and
//! `parse_str()` for reading form bodies the way WHMCS does.

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
/// use whmcs_api::PhpArray;
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
            out.push_str(&format_float(*f));
            out.push(';');
        }
        PhpValue::String(s) => write_string(out, s),
        PhpValue::Array(a) => write_array(out, a),
    }
}

/// A PHP float as PHP 8 prints it (`serialize_precision = -1`): the shortest text that reads
/// back the same, `10` rather than `10.0`, and `1.0E+20` past fifteen integer digits.
pub(crate) fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NAN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "INF".into() } else { "-INF".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let mut buf = ryu::Buffer::new();
    let shortest = buf.format_finite(f);
    // Split ryu's output into sign, significant digits and decimal exponent.
    let (sign, body) = shortest
        .strip_prefix('-')
        .map_or(("", shortest), |b| ("-", b));
    let (mantissa, exp) = match body.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let frac = frac.trim_end_matches('0');
    let mut digits: String = format!("{int}{frac}");
    let mut decpt = int.len() as i32 + exp;
    let lead = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..lead);
    decpt -= lead as i32;
    let digits = digits.trim_end_matches('0');
    if digits.is_empty() {
        return "0".into();
    }
    if !(-3..=15).contains(&decpt) {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        let e = decpt - 1;
        let esign = if e < 0 { '-' } else { '+' };
        return format!("{sign}{first}.{rest}E{esign}{}", e.abs());
    }
    if decpt <= 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize));
    }
    let decpt = decpt as usize;
    if digits.len() <= decpt {
        format!("{sign}{digits}{}", "0".repeat(decpt - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..decpt], &digits[decpt..])
    }
}

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

/// A node of a parsed form body: a leaf string, or (when `leaf` is `None`) an ordered array.
#[derive(Debug, Default)]
struct Node {
    leaf: Option<String>,
    entries: Vec<(String, Node)>,
}

/// Parses a form body as PHP's `parse_str()` does into JSON: arrays whose keys are 0, 1, 2, …
/// in order become JSON arrays, every other array an object; leaves are strings.
pub fn parse_str(body: &str) -> serde_json::Map<String, Value> {
    let mut root = Node::default();
    for pair in body.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = urldecode(raw_key);
        let value = urldecode(raw_value);
        let Some((base, path)) = split_key(&key) else {
            continue;
        };
        insert(&mut root, base, &path, value);
    }
    match to_json(root) {
        Value::Object(m) => m,
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => serde_json::Map::new(),
    }
}

/// Splits `a.b[c][]` into the top-level name (`a_b`) and its bracket segments (`c`, ``).
fn split_key(key: &str) -> Option<(String, Vec<String>)> {
    let key = key.trim_start_matches(' ');
    let open = key.find('[');
    let (base_raw, mut rest) = match open {
        Some(0) => return None,
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if base_raw.is_empty() {
        return None;
    }
    let mut base: String = base_raw
        .chars()
        .map(|c| if c == ' ' || c == '.' { '_' } else { c })
        .collect();
    let mut path = Vec::new();
    while let Some(stripped) = rest.strip_prefix('[') {
        match stripped.find(']') {
            Some(close) => {
                path.push(stripped[..close].to_string());
                rest = &stripped[close + 1..];
                if !rest.starts_with('[') {
                    break;
                }
            }
            None => {
                if path.is_empty() {
                    // An unmatched `[` in the name itself becomes `_`, as in PHP.
                    base.push('_');
                    base.push_str(stripped);
                }
                break;
            }
        }
    }
    Some((base, path))
}

fn next_index(entries: &[(String, Node)]) -> String {
    let max = entries
        .iter()
        .filter_map(|(k, _)| {
            k.parse::<i64>()
                .ok()
                .filter(|_| PhpKey::from_str_key(k) != PhpKey::Str(k.clone()))
        })
        .max();
    max.map_or(0, |m| m + 1).to_string()
}

fn insert(node: &mut Node, key: String, path: &[String], value: String) {
    // Nesting under a key that held a string turns it into an array, as in PHP.
    node.leaf = None;
    let entries = &mut node.entries;
    let key = if key.is_empty() {
        next_index(entries)
    } else {
        normalize_key(&key)
    };
    let pos = entries.iter().position(|(k, _)| *k == key);
    let slot = match pos {
        Some(i) => &mut entries[i].1,
        None => {
            entries.push((key, Node::default()));
            let last = entries.len() - 1;
            &mut entries[last].1
        }
    };
    match path.split_first() {
        None => {
            *slot = Node {
                leaf: Some(value),
                entries: Vec::new(),
            }
        }
        Some((first, rest)) => insert(slot, first.clone(), rest, value),
    }
}

fn normalize_key(k: &str) -> String {
    match PhpKey::from_str_key(k) {
        PhpKey::Int(i) => i.to_string(),
        PhpKey::Str(s) => s,
    }
}

fn to_json(node: Node) -> Value {
    match node.leaf {
        Some(s) => Value::String(s),
        None => {
            let entries = node.entries;
            let is_list = entries
                .iter()
                .enumerate()
                .all(|(i, (k, _))| *k == i.to_string());
            if is_list && !entries.is_empty() {
                Value::Array(entries.into_iter().map(|(_, v)| to_json(v)).collect())
            } else {
                Value::Object(entries.into_iter().map(|(k, v)| (k, to_json(v))).collect())
            }
        }
    }
}

/// PHP's `urldecode`: `+` is a space, `%XX` a byte, and a bad escape stays as written.
pub fn urldecode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_php() {
        for (f, s) in [
            (10.0, "10"),
            (0.1, "0.1"),
            (15.95, "15.95"),
            (-0.0, "-0"),
            (1e20, "1.0E+20"),
            (1e15, "1.0E+15"),
            (1e-7, "1.0E-7"),
            (1.5, "1.5"),
            (123.0, "123"),
            (0.0001, "0.0001"),
        ] {
            assert_eq!(format_float(f), s, "{f}");
        }
    }

    #[test]
    fn keys_follow_php_rules() {
        assert_eq!(PhpKey::from_str_key("1"), PhpKey::Int(1));
        assert_eq!(PhpKey::from_str_key("-5"), PhpKey::Int(-5));
        assert_eq!(PhpKey::from_str_key("01"), PhpKey::Str("01".into()));
        assert_eq!(PhpKey::from_str_key("1.5"), PhpKey::Str("1.5".into()));
    }
}
