//! The JSON the importer works in: values that keep object keys in the order the page wrote
//! them, and the two tree edits both examples need (a bracketed key made into a path, objects keyed
//! 0, 1, 2, … made into lists).

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

/// JSON with object keys kept in the order they were written.
#[derive(Clone, Debug)]
pub(super) enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64, String),
    Str(String),
    List(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(i64::try_from(v).map_or(Json::Float(v as f64, v.to_string()), Json::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                Ok(Json::Float(v, v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Str(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Json::List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut out: Vec<(String, Json)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    match out.iter_mut().find(|(key, _)| *key == k) {
                        Some(slot) => slot.1 = v,
                        None => out.push((k, v)),
                    }
                }
                Ok(Json::Object(out))
            }
        }
        d.deserialize_any(V)
    }
}

pub(super) fn insert_path(node: &mut Json, path: &[String], value: Json) {
    let Some((first, rest)) = path.split_first() else {
        *node = value;
        return;
    };
    if !matches!(node, Json::Object(_)) {
        *node = Json::Object(Vec::new());
    }
    if let Json::Object(entries) = node {
        let i = match entries.iter().position(|(k, _)| k == first) {
            Some(i) => i,
            None => {
                entries.push((first.clone(), Json::Null));
                entries.len() - 1
            }
        };
        insert_path(&mut entries[i].1, rest, value);
    }
}

/// Objects keyed 0, 1, 2, … are lists.
pub(super) fn listify(v: &mut Json) {
    match v {
        Json::Object(entries) => {
            for (_, e) in entries.iter_mut() {
                listify(e);
            }
            if !entries.is_empty()
                && entries
                    .iter()
                    .enumerate()
                    .all(|(i, (k, _))| *k == i.to_string())
            {
                *v = Json::List(entries.drain(..).map(|(_, v)| v).collect());
            }
        }
        Json::List(items) => items.iter_mut().for_each(listify),
        _ => {}
    }
}
