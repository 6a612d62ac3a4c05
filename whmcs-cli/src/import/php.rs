//! The example request: the PHP array of the page's cURL example read into JSON, with the calls it
//! wraps values in (`base64_encode`, `serialize`, `json_encode`) worked out.

use whmcs_php::{PhpKey, PhpValue};

use super::json::{Json, insert_path, listify};
use super::page::Row;

/// The example request: the PHP array passed to `http_build_query` on the page, in wire form.
pub(super) fn php_example(curl: &str, params: &[&Row], notes: &mut Vec<String>) -> Option<Json> {
    let start = curl.find("http_build_query(")? + "http_build_query(".len();
    let mut p = PhpParser {
        s: &curl[start..],
        pos: 0,
        notes,
    };
    p.skip();
    let value = p.value()?;
    let Json::Object(entries) = value else {
        return None;
    };
    let mut out: Vec<(String, Json)> = Vec::new();
    for (k, v) in entries {
        let k = k.trim_start_matches('$').to_string();
        // `'//example' => …` is a commented-out key the page left in (a known page defect).
        if k.starts_with("//")
            || [
                "action",
                "username",
                "password",
                "responsetype",
                "identifier",
                "secret",
                "accesskey",
            ]
            .contains(&k.as_str())
        {
            continue;
        }
        if let Some(open) = k.find('[') {
            // 'attributes[0][label]' => … is the nested array attributes[0][label].
            let base = k[..open].to_string();
            let path: Vec<String> = k[open..]
                .split(['[', ']'])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let slot = match out.iter().position(|(key, _)| *key == base) {
                Some(i) => i,
                None => {
                    out.push((base, Json::Object(Vec::new())));
                    out.len() - 1
                }
            };
            insert_path(&mut out[slot].1, &path, v);
            continue;
        }
        out.push((k, v));
    }
    for (_, v) in &mut out {
        listify(v);
    }
    let _ = params;
    Some(Json::Object(out))
}

struct PhpParser<'a, 'n> {
    s: &'a str,
    pos: usize,
    notes: &'n mut Vec<String>,
}

impl<'a> PhpParser<'a, '_> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn skip(&mut self) {
        loop {
            let r = self.rest();
            let trimmed = r.trim_start();
            self.pos += r.len() - trimmed.len();
            if trimmed.starts_with("//") || trimmed.starts_with('#') {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                self.pos += trimmed.find("*/").map_or(trimmed.len(), |e| e + 2);
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<Json> {
        self.skip();
        let r = self.rest();
        if r.starts_with("array(") || r.starts_with('[') {
            let close = if r.starts_with('[') { "]" } else { ")" };
            self.pos += if close == "]" { 1 } else { 6 };
            return self.array(close);
        }
        if r.starts_with('\'') || r.starts_with('"') {
            return self.string().map(Json::Str);
        }
        for (func, apply) in [
            ("base64_encode(", base64_of as fn(&Json) -> Option<Json>),
            ("serialize(", serialize_of),
            ("json_encode(", json_of),
        ] {
            if r.starts_with(func) {
                self.pos += func.len();
                let inner = self.value()?;
                self.eat(")");
                return apply(&inner);
            }
        }
        let end = r
            .find(|c: char| matches!(c, ',' | ')' | ']' | '=') || c.is_whitespace())
            .unwrap_or(r.len());
        let word = r[..end].trim();
        self.pos += end;
        match word {
            "true" => Some(Json::Bool(true)),
            "false" => Some(Json::Bool(false)),
            "null" => Some(Json::Null),
            w if w.starts_with('$') => Some(Json::Null),
            w => match (w.parse::<i64>(), w.parse::<f64>()) {
                (Ok(i), _) => Some(Json::Int(i)),
                (_, Ok(f)) => Some(Json::Float(f, w.to_string())),
                _ => {
                    self.notes.push(format!(
                        "the example request uses `{w}`, which is not a PHP literal; left out"
                    ));
                    None
                }
            },
        }
    }

    fn string(&mut self) -> Option<String> {
        let quote = self.rest().chars().next()?;
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                if let Some((_, n)) = chars.next() {
                    if n != quote && n != '\\' {
                        out.push('\\');
                    }
                    out.push(n);
                }
            } else if c == quote {
                self.pos += i + 1;
                return Some(out);
            } else {
                out.push(c);
            }
        }
        None
    }

    fn array(&mut self, close: &str) -> Option<Json> {
        let mut entries: Vec<(String, Json)> = Vec::new();
        let mut next_index = 0i64;
        loop {
            if self.eat(close) {
                break;
            }
            let first = self.value();
            let entry = if self.eat("=>") {
                let key = match first {
                    Some(Json::Str(s)) => s,
                    Some(Json::Int(i)) => i.to_string(),
                    _ => String::new(),
                };
                (key, self.value())
            } else {
                (String::new(), first)
            };
            let (mut key, value) = entry;
            if key.is_empty() {
                key = next_index.to_string();
            }
            if let Ok(i) = key.parse::<i64>() {
                next_index = next_index.max(i + 1);
            }
            if let Some(v) = value {
                entries.push((key, v));
            }
            if !self.eat(",") {
                self.eat(close);
                break;
            }
        }
        Some(Json::Object(entries))
    }
}

fn base64_of(v: &Json) -> Option<Json> {
    use base64::Engine as _;
    match v {
        Json::Str(s) => Some(Json::Str(
            base64::engine::general_purpose::STANDARD.encode(s),
        )),
        _ => None,
    }
}

fn serialize_of(v: &Json) -> Option<Json> {
    match php_value(v) {
        PhpValue::Array(a) => Some(Json::Str(a.serialize())),
        _ => None,
    }
}

fn json_of(v: &Json) -> Option<Json> {
    Some(Json::Str(json_text(v)))
}

/// `json_encode` of a PHP value (lists as arrays, other arrays as objects).
fn json_text(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Int(i) => i.to_string(),
        Json::Float(_, t) => t.clone(),
        Json::Str(s) => serde_json::to_string(s)
            .unwrap_or_default()
            .replace('/', "\\/"),
        Json::List(items) => format!(
            "[{}]",
            items.iter().map(json_text).collect::<Vec<_>>().join(",")
        ),
        Json::Object(entries) => {
            if entries
                .iter()
                .enumerate()
                .all(|(i, (k, _))| *k == i.to_string())
            {
                format!(
                    "[{}]",
                    entries
                        .iter()
                        .map(|(_, v)| json_text(v))
                        .collect::<Vec<_>>()
                        .join(",")
                )
            } else {
                format!(
                    "{{{}}}",
                    entries
                        .iter()
                        .map(|(k, v)| format!(
                            "{}:{}",
                            serde_json::to_string(k).unwrap_or_default(),
                            json_text(v)
                        ))
                        .collect::<Vec<_>>()
                        .join(",")
                )
            }
        }
    }
}

fn php_value(v: &Json) -> PhpValue {
    match v {
        Json::Null => PhpValue::Null,
        Json::Bool(b) => PhpValue::Bool(*b),
        Json::Int(i) => PhpValue::Int(*i),
        Json::Float(f, _) => PhpValue::Float(*f),
        Json::Str(s) => PhpValue::String(s.clone()),
        Json::List(items) => PhpValue::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (PhpKey::Int(i as i64), php_value(v)))
                .collect::<Vec<_>>()
                .into(),
        ),
        Json::Object(entries) => PhpValue::Array(
            entries
                .iter()
                .map(|(k, v)| (PhpKey::from_str_key(k), php_value(v)))
                .collect::<Vec<_>>()
                .into(),
        ),
    }
}
