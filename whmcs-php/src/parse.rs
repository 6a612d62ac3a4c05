//! Reading a form body as PHP does (`parse_str()`, and `$_POST` of an
//! `application/x-www-form-urlencoded` request), with PHP's input limits.
//!
//! Hand-written because no crate reproduces PHP's rules: `a.b` and `a b` become `a_b`, `a[]`
//! appends after the largest integer key, `"1"` and `1` are the same key, a scalar nested into
//! becomes an array, and past `max_input_vars` or `max_input_nesting_level` PHP drops input in
//! its own particular ways (see [`Limits`]).
//!
//! The parser runs in time linear in the body: arrays index their keys in a hash map and nothing
//! recurses on the input (the result's depth is bounded by the nesting limit).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::value::PhpKey;

/// PHP's input limits (php.ini), with PHP's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `max_input_vars` (default 1000): how many variables are read. PHP stops at the limit and
    /// ignores the rest of the body (`$_POST` keeps one variable more than `parse_str()` does,
    /// as PHP's POST reader counts after registering).
    pub max_input_vars: usize,
    /// `max_input_nesting_level` (default 64): how many `[…]` levels a name may have. A name
    /// with more is dropped, and so is everything already read under its top-level name.
    /// Values above [`Limits::MAX_NESTING`] are treated as that.
    pub max_input_nesting_level: usize,
}

impl Limits {
    /// The deepest nesting accepted whatever the setting, so that nothing working on the
    /// result (dropping, printing or comparing JSON recurses) can exhaust the stack.
    pub const MAX_NESTING: usize = 256;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input_vars: 1000,
            max_input_nesting_level: 64,
        }
    }
}

/// A parsed body and what PHP would have warned about.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// The variables, as `json_encode` would show the PHP array: arrays keyed `0, 1, …` in order
    /// are JSON lists, others objects; every leaf is a string.
    pub params: Map<String, Value>,
    /// Whether `max_input_vars` was reached and the rest of the body ignored (PHP's warning
    /// "Input variables exceeded").
    pub vars_exceeded: bool,
    /// How many names were dropped for nesting too deep (PHP's warning "Input variable nesting
    /// level exceeded").
    pub too_deep: usize,
}

/// Parses a query string as PHP's `parse_str()` does, with PHP's default limits.
///
/// ```
/// let p = whmcs_php::parse_str("pid[]=1&pid[]=2&a.b=x&c[k]=y");
/// assert_eq!(serde_json::Value::Object(p), serde_json::json!({"pid": ["1", "2"], "a_b": "x", "c": {"k": "y"}}));
/// ```
pub fn parse_str(body: &str) -> Map<String, Value> {
    parse_str_with(body.as_bytes(), Limits::default()).params
}

/// Parses a query string as PHP's `parse_str()` does, with the given limits.
pub fn parse_str_with(body: &[u8], limits: Limits) -> Parsed {
    parse(body, limits, Flavor::ParseStr)
}

/// Parses an `application/x-www-form-urlencoded` request body as PHP fills `$_POST`.
pub fn parse_post(body: &[u8], limits: Limits) -> Parsed {
    parse(body, limits, Flavor::Post)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// `parse_str()`: empty pieces between `&` are skipped; at most `max_input_vars` are read.
    ParseStr,
    /// `$_POST`: every piece counts, and the one that crosses the limit is still read.
    Post,
}

fn parse(body: &[u8], limits: Limits, flavor: Flavor) -> Parsed {
    let max_nesting = limits.max_input_nesting_level.min(Limits::MAX_NESTING);
    let mut tree = Tree::new();
    let mut too_deep = 0;
    let mut vars_exceeded = false;
    let mut count = 0usize;
    for piece in body.split(|b| *b == b'&') {
        if piece.is_empty() && flavor == Flavor::ParseStr {
            continue;
        }
        if flavor == Flavor::ParseStr {
            count += 1;
            if count > limits.max_input_vars {
                vars_exceeded = true;
                break;
            }
        }
        let (raw_key, raw_value) = match piece.iter().position(|b| *b == b'=') {
            Some(eq) => (&piece[..eq], &piece[eq + 1..]),
            None => (piece, &b""[..]),
        };
        let key = urldecode_bytes(raw_key);
        // PHP reads the name as a C string: it ends at the first NUL byte.
        let key = match key.iter().position(|b| *b == 0) {
            Some(nul) => &key[..nul],
            None => &key[..],
        };
        let key = String::from_utf8_lossy(key);
        if let Some(name) = split_name(&key, max_nesting) {
            if name.levels > max_nesting {
                tree.remove_top(&name.base);
                too_deep += 1;
            } else {
                let value = String::from_utf8_lossy(&urldecode_bytes(raw_value)).into_owned();
                tree.insert(&name.base, &name.path, value);
            }
        }
        if flavor == Flavor::Post {
            count += 1;
            if count > limits.max_input_vars {
                vars_exceeded = true;
                break;
            }
        }
    }
    Parsed {
        params: tree.into_json(),
        vars_exceeded,
        too_deep,
    }
}

/// A variable name split as PHP splits it.
struct Name {
    /// The top-level name, with ` ` and `.` made `_`.
    base: String,
    /// The bracketed keys (`""` for `[]`).
    path: Vec<String>,
    /// The nesting PHP counts: each `[` it tried to read as an index.
    levels: usize,
}

/// Splits `a.b[c][]` into the top-level name (`a_b`) and its bracket segments (`c`, ``).
/// Stops once the name is deeper than `max_nesting` (it is dropped then, whatever follows), so
/// that a name nested a million levels deep costs no more than one nested `max_nesting + 1`.
fn split_name(key: &str, max_nesting: usize) -> Option<Name> {
    let key = key.trim_start_matches(' ');
    let (base_raw, mut rest) = match key.find('[') {
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
    let mut levels = 0;
    while let Some(stripped) = rest.strip_prefix('[') {
        levels += 1;
        if levels > max_nesting {
            break;
        }
        match stripped.find(']') {
            Some(close) => {
                path.push(stripped[..close].to_string());
                rest = &stripped[close + 1..];
                // Anything after `]` other than another `[` is ignored.
                if !rest.starts_with('[') {
                    break;
                }
            }
            None => {
                if path.is_empty() {
                    // An unmatched `[` in the name itself becomes `_`, and the rest is kept.
                    base.push('_');
                    base.push_str(stripped);
                }
                break;
            }
        }
    }
    Some(Name { base, path, levels })
}

/// The PHP array being built: nodes in an arena, so inserting never recurses.
struct Tree {
    nodes: Vec<Node>,
}

enum Node {
    Leaf(String),
    Array(Array),
}

#[derive(Default)]
struct Array {
    /// Entries in insertion order; `None` where an entry was removed.
    entries: Vec<Option<(String, usize)>>,
    /// Where each key sits in `entries`.
    index: HashMap<String, usize>,
    /// PHP's next free integer key, for `[]`.
    next_free: Option<i64>,
}

impl Array {
    /// The node under `key` (`None` appends), and whether it is new (then it is `nodes_len`).
    fn slot(&mut self, key: Option<&str>, nodes_len: usize) -> (usize, bool) {
        let key = match key {
            Some(k) => canonical(k),
            None => self.next_free.unwrap_or(0).to_string(),
        };
        if let Some(&pos) = self.index.get(&key)
            && let Some(Some((_, node))) = self.entries.get(pos)
        {
            return (*node, false);
        }
        if let PhpKey::Int(i) = PhpKey::from_str_key(&key) {
            let next = i.saturating_add(1);
            self.next_free = Some(self.next_free.map_or(next, |n| n.max(next)));
        }
        self.index.insert(key.clone(), self.entries.len());
        self.entries.push(Some((key, nodes_len)));
        (nodes_len, true)
    }
}

/// The key PHP stores: decimal integers without leading zeros become integer keys.
fn canonical(k: &str) -> String {
    match PhpKey::from_str_key(k) {
        PhpKey::Int(i) => i.to_string(),
        PhpKey::Str(s) => s,
    }
}

impl Tree {
    fn new() -> Self {
        Self {
            nodes: vec![Node::Array(Array::default())],
        }
    }

    fn array(&mut self, at: usize) -> &mut Array {
        if !matches!(self.nodes[at], Node::Array(_)) {
            // Nesting under a key that held a string turns it into an array, as in PHP.
            self.nodes[at] = Node::Array(Array::default());
        }
        match &mut self.nodes[at] {
            Node::Array(a) => a,
            Node::Leaf(_) => unreachable!("made an array just above"),
        }
    }

    fn insert(&mut self, base: &str, path: &[String], value: String) {
        let mut at = 0;
        let keys = std::iter::once(base).chain(path.iter().map(String::as_str));
        let last = path.len();
        for (depth, key) in keys.enumerate() {
            let len = self.nodes.len();
            let key = (!key.is_empty()).then_some(key);
            let (node, new) = self.array(at).slot(key, len);
            if new {
                self.nodes.push(Node::Array(Array::default()));
            }
            if depth == last {
                self.nodes[node] = Node::Leaf(value);
                return;
            }
            at = node;
        }
    }

    fn remove_top(&mut self, base: &str) {
        let root = self.array(0);
        if let Some(pos) = root.index.remove(&canonical(base))
            && let Some(entry) = root.entries.get_mut(pos)
        {
            *entry = None;
        }
    }

    fn into_json(mut self) -> Map<String, Value> {
        match self.take_json(0) {
            Value::Object(m) => m,
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Map::new(),
        }
    }

    /// The JSON of node `at`; the depth is bounded by the nesting limit.
    fn take_json(&mut self, at: usize) -> Value {
        match std::mem::replace(&mut self.nodes[at], Node::Leaf(String::new())) {
            Node::Leaf(s) => Value::String(s),
            Node::Array(a) => {
                let entries: Vec<(String, usize)> = a.entries.into_iter().flatten().collect();
                let is_list = !entries.is_empty()
                    && entries
                        .iter()
                        .enumerate()
                        .all(|(i, (k, _))| k.parse::<usize>().ok() == Some(i));
                if is_list {
                    Value::Array(
                        entries
                            .into_iter()
                            .map(|(_, n)| self.take_json(n))
                            .collect(),
                    )
                } else {
                    Value::Object(
                        entries
                            .into_iter()
                            .map(|(k, n)| (k, self.take_json(n)))
                            .collect(),
                    )
                }
            }
        }
    }
}

/// PHP's `urldecode()`: `+` is a space, `%XX` a byte, and a bad escape stays as written.
pub fn urldecode(s: &str) -> String {
    String::from_utf8_lossy(&urldecode_bytes(s.as_bytes())).into_owned()
}

fn urldecode_bytes(bytes: &[u8]) -> Vec<u8> {
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
    out
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
    use serde_json::json;

    fn parsed(body: &str) -> Value {
        Value::Object(parse_str(body))
    }

    #[test]
    fn php_rules() {
        assert_eq!(
            parsed("a[]=1&a[]=2&a[5]=x&a[]=y"),
            json!({"a": {"0": "1", "1": "2", "5": "x", "6": "y"}})
        );
        assert_eq!(parsed("a=1&a[b]=2"), json!({"a": {"b": "2"}}));
        assert_eq!(parsed("a[b]=2&a=1"), json!({"a": "1"}));
        assert_eq!(
            parsed("a[01]=x&a[1]=y"),
            json!({"a": {"01": "x", "1": "y"}})
        );
        assert_eq!(parsed(" a.b c=1&[x]=2&=3"), json!({"a_b_c": "1"}));
        assert_eq!(
            parsed("a[b=1&c[d][e=2"),
            json!({"a_b": "1", "c": {"d": "2"}})
        );
        assert_eq!(parsed("a%00b=1&c=%41%4"), json!({"a": "1", "c": "A%4"}));
    }

    #[test]
    fn nesting_past_the_limit_drops_the_whole_name() {
        let deep = format!("a{}=1", "[x]".repeat(65));
        let ok = format!("b{}=1", "[x]".repeat(64));
        let p = parse_str_with(
            format!("a[y]=0&{deep}&{ok}&c=2").as_bytes(),
            Limits::default(),
        );
        assert!(p.params.get("a").is_none());
        assert!(p.params.get("b").is_some());
        assert_eq!(p.params.get("c"), Some(&json!("2")));
        assert_eq!(p.too_deep, 1);
    }

    #[test]
    fn variables_past_the_limit_are_ignored() {
        let body: Vec<String> = (0..1005).map(|i| format!("v{i}=1")).collect();
        let body = body.join("&");
        let s = parse_str_with(body.as_bytes(), Limits::default());
        assert_eq!((s.params.len(), s.vars_exceeded), (1000, true));
        let p = parse_post(body.as_bytes(), Limits::default());
        assert_eq!((p.params.len(), p.vars_exceeded), (1001, true));
        let p = parse_post(
            b"a=1&&b=2",
            Limits {
                max_input_vars: 1,
                ..Limits::default()
            },
        );
        assert_eq!(Value::Object(p.params), json!({"a": "1"}));
    }

    #[test]
    fn deep_and_wide_input_is_cheap() {
        let deep = format!("a{}=1", "[".repeat(20_000));
        let p = parse_str(&deep);
        assert_eq!(p.keys().next().map(String::len), Some(20_001));
        let deep = format!("a{}=1", "[x]".repeat(20_000));
        assert_eq!(parsed(&deep), json!({}));
        let wide = "a[]=1&".repeat(100_000);
        let p = parse_post(
            wide.as_bytes(),
            Limits {
                max_input_vars: usize::MAX,
                ..Limits::default()
            },
        );
        assert_eq!(p.params["a"].as_array().map(Vec::len), Some(100_000));
    }
}
