//! Lenient, single-pass decoding of WHMCS answers.
//!
//! Every field type decodes through [`Decode`], a visitor that accepts the ways WHMCS writes a
//! value (numbers as strings and back, `"1"`/`"on"` bools, `""` or `[]` for nothing, zero dates)
//! without buffering. A value that carries nothing, or cannot be read as the field's type, is
//! kept raw in the struct's `extra` map under its key, so re-encoding gives back what WHMCS sent.

use std::borrow::Cow;
use std::collections::BTreeMap;

use indexmap::IndexMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::values::{Date, DateTime, Decimal};

/// The outcome of decoding one value: the typed value, or the raw JSON when it carried nothing
/// usable for the field's type.
#[derive(Debug)]
pub enum Decoded<T> {
    /// A value of the field's type.
    Value(T),
    /// Kept as sent (`""`, `null`, `[]`, a zero date, or text that is not of the type).
    Raw(Value),
}

/// A type decoded leniently from WHMCS JSON.
pub trait Decode: Sized {
    /// Decodes one value.
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error>;
}

/// A struct decoded key by key (generated for every response shape).
pub trait Fields: Default {
    /// The type name, for messages.
    const NAME: &'static str;
    /// Decodes the value of `key` into the matching field, or into `extra`.
    fn field<'de, D: Deserializer<'de>>(&mut self, key: &str, value: D) -> Result<(), D::Error>;
    /// Writes every field and the kept extras.
    fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
    /// Whether a key belongs to a typed field.
    fn is_known(key: &str) -> bool;
}

fn raw_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<Value, A::Error> {
    serde::Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))
}

fn raw_map<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    serde::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))
}

/// The visitor methods shared by every scalar: `null`, lists and objects are kept raw.
macro_rules! raw_rest {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Decoded::Raw(Value::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Decoded::Raw(Value::Null))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            raw_seq(seq).map(Decoded::Raw)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            raw_map(map).map(Decoded::Raw)
        }
    };
}

/// Scalars where a container belongs are kept raw, wrapped by `$wrap`.
macro_rules! raw_scalars {
    ($wrap:expr) => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v.to_owned())))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Value::Bool(v)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
    };
}

fn raw_str(s: &str) -> Decoded<impl Sized> {
    Decoded::<()>::Raw(Value::String(s.to_owned()))
}

fn reraw<T, U>(d: Decoded<T>) -> Decoded<U> {
    match d {
        Decoded::Raw(v) => Decoded::Raw(v),
        Decoded::Value(_) => Decoded::Raw(Value::Null),
    }
}

struct IntVisitor;
impl<'de> Visitor<'de> for IntVisitor {
    type Value = Decoded<i64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Decoded::Value(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).map_or(Decoded::Raw(Value::from(v)), Decoded::Value))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(Decoded::Value(v as i64))
        } else {
            Ok(Decoded::Raw(Value::from(v)))
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Decoded::Value(i64::from(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match v.trim().parse::<i64>() {
            Ok(i) => Decoded::Value(i),
            Err(_) => reraw(raw_str(v)),
        })
    }
    raw_rest!();
}

impl Decode for i64 {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(IntVisitor)
    }
}

struct FloatVisitor;
impl<'de> Visitor<'de> for FloatVisitor {
    type Value = Decoded<f64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Decoded::Value(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Decoded::Value(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Decoded::Value(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Decoded::Raw(Value::Bool(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match v.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Decoded::Value(f),
            _ => reraw(raw_str(v)),
        })
    }
    raw_rest!();
}

impl Decode for f64 {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
}

/// Reads the texts WHMCS uses for yes and no.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" | "on" | "yes" | "True" | "TRUE" | "On" | "Yes" => Some(true),
        "0" | "false" | "off" | "no" | "" | "False" | "FALSE" | "Off" | "No" => Some(false),
        _ => None,
    }
}

struct BoolVisitor;
impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Decoded<bool>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Decoded::Value(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Decoded::Value(v != 0))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Decoded::Value(v != 0))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Decoded::Raw(Value::from(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match parse_bool(v) {
            Some(b) if !v.is_empty() => Decoded::Value(b),
            _ => reraw(raw_str(v)),
        })
    }
    raw_rest!();
}

impl Decode for bool {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

/// Decodes text-like values: strings as they are, numbers as their text.
struct TextVisitor<T>(fn(&str) -> Option<T>, fn(String) -> Option<T>);
impl<'de, T> Visitor<'de> for TextVisitor<T> {
    type Value = Decoded<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.0)(v).map_or_else(|| reraw(raw_str(v)), Decoded::Value))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        match (self.1)(v.clone()) {
            Some(t) => Ok(Decoded::Value(t)),
            None => Ok(Decoded::Raw(Value::String(v))),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok((self.0)(itoa::Buffer::new().format(v))
            .map_or(Decoded::Raw(Value::from(v)), Decoded::Value))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok((self.0)(itoa::Buffer::new().format(v))
            .map_or(Decoded::Raw(Value::from(v)), Decoded::Value))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok((self.0)(&crate::php::format_float(v))
            .map_or(Decoded::Raw(Value::from(v)), Decoded::Value))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Decoded::Raw(Value::Bool(v)))
    }
    raw_rest!();
}

impl Decode for String {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(|s| Some(s.to_owned()), Some))
    }
}

impl Decode for crate::Secret {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(
            |s| Some(crate::Secret::from(s)),
            |s| Some(crate::Secret::from(s)),
        ))
    }
}

impl Decode for Decimal {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(|s| s.parse().ok(), |s| s.parse().ok()))
    }
}

impl Decode for Date {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(|s| s.parse().ok(), |s| s.parse().ok()))
    }
}

impl Decode for DateTime {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(|s| s.parse().ok(), |s| s.parse().ok()))
    }
}

impl Decode for Value {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        serde::Deserialize::deserialize(d).map(Decoded::Value)
    }
}

/// An enum generated from a spec: wire values in, wire values out.
pub trait WireEnum: Sized {
    /// Every listed value.
    const VALUES: &'static [&'static str];
    /// Whether values not listed decode as `Other`.
    const OPEN: bool;
    /// The wire value.
    fn as_wire(&self) -> &str;
    /// Parses a wire value (`Other` for open enums).
    fn parse_wire(s: &str) -> Option<Self>;
}

/// Decodes a generated enum.
pub fn decode_enum<'de, T: WireEnum, D: Deserializer<'de>>(d: D) -> Result<Decoded<T>, D::Error> {
    d.deserialize_any(TextVisitor(T::parse_wire, |s| T::parse_wire(&s)))
}

/// Turns already-decoded items back into JSON when a list turns out to hold a raw item.
fn to_values<T: Serialize>(items: Vec<T>) -> Vec<Value> {
    items
        .into_iter()
        .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
        .collect()
}

struct ListVisitor<T>(PhantomData<T>);
impl<'de, T: Decode + Serialize> Visitor<'de> for ListVisitor<T> {
    type Value = Decoded<Vec<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(DecodeSeed::<T>(PhantomData))? {
            match item {
                Decoded::Value(v) => items.push(v),
                Decoded::Raw(raw) => {
                    let mut values = to_values(items);
                    values.push(raw);
                    while let Some(v) = seq.next_element::<Value>()? {
                        values.push(v);
                    }
                    return Ok(Decoded::Raw(Value::Array(values)));
                }
            }
        }
        if items.is_empty() {
            return Ok(Decoded::Raw(Value::Array(Vec::new())));
        }
        Ok(Decoded::Value(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        // A list sent as `{"0": …, "1": …}`, or a single item where a list belongs.
        let raw = raw_map(map)?;
        let Value::Object(obj) = raw else {
            return Ok(Decoded::Raw(raw));
        };
        if obj.is_empty() {
            return Ok(Decoded::Raw(Value::Object(obj)));
        }
        let numeric = obj.keys().all(|k| k.parse::<u64>().is_ok());
        let values: Vec<Value> = if numeric {
            let mut entries: Vec<(u64, Value)> = obj
                .into_iter()
                .map(|(k, v)| (k.parse().unwrap_or(0), v))
                .collect();
            entries.sort_by_key(|(k, _)| *k);
            entries.into_iter().map(|(_, v)| v).collect()
        } else {
            vec![Value::Object(obj)]
        };
        let mut items = Vec::with_capacity(values.len());
        for v in &values {
            match T::decode(v).map_err(de::Error::custom)? {
                Decoded::Value(t) => items.push(t),
                Decoded::Raw(_) => return Ok(Decoded::Raw(Value::Array(values))),
            }
        }
        Ok(Decoded::Value(items))
    }
    raw_scalars!(Decoded::Raw);
}

impl<T: Decode + Serialize> Decode for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(ListVisitor(PhantomData))
    }
}

struct MapVisitor<T>(PhantomData<T>);
impl<'de, T: Decode + Serialize> Visitor<'de> for MapVisitor<T> {
    type Value = Decoded<IndexMap<String, T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = IndexMap::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match map.next_value_seed(DecodeSeed::<T>(PhantomData))? {
                Decoded::Value(v) => {
                    out.insert(key.0.into_owned(), v);
                }
                Decoded::Raw(raw) => {
                    let mut obj: Map<String, Value> = out
                        .into_iter()
                        .map(|(k, v)| (k, serde_json::to_value(v).unwrap_or(Value::Null)))
                        .collect();
                    obj.insert(key.0.into_owned(), raw);
                    while let Some((k, v)) = map.next_entry::<String, Value>()? {
                        obj.insert(k, v);
                    }
                    return Ok(Decoded::Raw(Value::Object(obj)));
                }
            }
        }
        if out.is_empty() {
            return Ok(Decoded::Raw(Value::Object(Map::new())));
        }
        Ok(Decoded::Value(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        raw_seq(seq).map(Decoded::Raw)
    }
    raw_scalars!(Decoded::Raw);
}

impl<T: Decode + Serialize> Decode for IndexMap<String, T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(MapVisitor(PhantomData))
    }
}

/// An object key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

pub(crate) struct DecodeSeed<T>(pub(crate) PhantomData<T>);
impl<'de, T: Decode> DeserializeSeed<'de> for DecodeSeed<T> {
    type Value = Decoded<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Decoded<T>, D::Error> {
        T::decode(d)
    }
}

pub(crate) struct FieldSeed<'a, T> {
    target: &'a mut T,
    key: &'a str,
}
impl<'a, T> FieldSeed<'a, T> {
    pub(crate) fn new(target: &'a mut T, key: &'a str) -> Self {
        Self { target, key }
    }
}

impl<'de, T: Fields> DeserializeSeed<'de> for FieldSeed<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.target.field(self.key, d)
    }
}

struct StructVisitor<T>(PhantomData<T>);
impl<'de, T: Fields> Visitor<'de> for StructVisitor<T> {
    type Value = Decoded<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            map.next_value_seed(FieldSeed {
                target: &mut out,
                key: &key.0,
            })?;
        }
        Ok(Decoded::Value(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        raw_seq(seq).map(Decoded::Raw)
    }
    raw_scalars!(Decoded::Raw);
}

/// Decodes a generated struct.
pub fn decode_struct<'de, T: Fields, D: Deserializer<'de>>(d: D) -> Result<Decoded<T>, D::Error> {
    d.deserialize_any(StructVisitor(PhantomData))
}

/// `Deserialize` for the generated types: the lenient decoder, with raw values becoming the default.
pub fn deserialize_via_decode<'de, T: Decode + Default, D: Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    Ok(match T::decode(d)? {
        Decoded::Value(v) => v,
        Decoded::Raw(_) => T::default(),
    })
}

/// `Deserialize` for value types without a default: a raw value is an error.
pub(crate) fn deserialize_strict<'de, T: Decode, D: Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    match T::decode(d)? {
        Decoded::Value(v) => Ok(v),
        Decoded::Raw(raw) => Err(de::Error::custom(format!(
            "`{}` is not a valid {}",
            raw_text(&raw),
            std::any::type_name::<T>()
                .rsplit("::")
                .next()
                .unwrap_or("value")
        ))),
    }
}

/// Serializes a generated struct as a JSON object in wire form.
pub fn serialize_struct<T: Fields, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    value.serialize_fields(&mut map)?;
    map.end()
}

/// A struct field a decoded value goes into: `Option<T>`, `Vec<T>` or a map.
pub trait Slot {
    /// What is decoded for it.
    type Item: Decode;
    /// Stores a decoded value.
    fn fill(&mut self, v: Self::Item);
    /// Writes the value as `key`, if the field holds one; `false` when it holds nothing.
    fn ser_value<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<bool, M::Error>;
}

impl<T: Decode + Serialize> Slot for Option<T> {
    type Item = T;
    fn fill(&mut self, v: T) {
        *self = Some(v);
    }
    fn ser_value<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<bool, M::Error> {
        match self {
            Some(v) => map.serialize_entry(key, v).map(|()| true),
            None => Ok(false),
        }
    }
}

impl<T: Decode + Serialize> Slot for Vec<T> {
    type Item = Vec<T>;
    fn fill(&mut self, v: Vec<T>) {
        *self = v;
    }
    fn ser_value<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<bool, M::Error> {
        if self.is_empty() {
            Ok(false)
        } else {
            map.serialize_entry(key, self).map(|()| true)
        }
    }
}

impl<T: Decode + Serialize> Slot for IndexMap<String, T> {
    type Item = IndexMap<String, T>;
    fn fill(&mut self, v: Self) {
        *self = v;
    }
    fn ser_value<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<bool, M::Error> {
        if self.is_empty() {
            Ok(false)
        } else {
            map.serialize_entry(key, self).map(|()| true)
        }
    }
}

/// Decodes `value` into `slot`, keeping it raw in `extra` when it carries nothing of the type.
pub fn put<'de, S: Slot, D: Deserializer<'de>>(
    slot: &mut S,
    key: &str,
    extra: &mut Map<String, Value>,
    value: D,
) -> Result<(), D::Error> {
    match S::Item::decode(value)? {
        Decoded::Value(v) => slot.fill(v),
        Decoded::Raw(raw) => {
            extra.insert(key.to_owned(), raw);
        }
    }
    Ok(())
}

/// Decodes a list WHMCS wraps in an object (`{"invoice": [...]}`); other keys of the wrapper are
/// kept in `extra` under the field's key.
pub fn put_wrapped<'de, T: Decode + Serialize, D: Deserializer<'de>>(
    slot: &mut Vec<T>,
    item_key: &'static str,
    key: &str,
    extra: &mut Map<String, Value>,
    value: D,
) -> Result<(), D::Error> {
    struct V<'a, T> {
        slot: &'a mut Vec<T>,
        item_key: &'static str,
    }
    impl<'de, T: Decode + Serialize> Visitor<'de> for V<'_, T> {
        type Value = Option<Value>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object holding `{}`", self.item_key)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
            let mut rest = Map::new();
            let mut raw_items = None;
            while let Some(k) = map.next_key::<Key<'de>>()? {
                if k.0 == self.item_key {
                    match map.next_value_seed(DecodeSeed::<Vec<T>>(PhantomData))? {
                        Decoded::Value(items) => *self.slot = items,
                        Decoded::Raw(raw) => raw_items = Some(raw),
                    }
                } else {
                    rest.insert(k.0.into_owned(), map.next_value()?);
                }
            }
            if let Some(raw) = raw_items {
                rest.insert(self.item_key.to_owned(), raw);
            }
            Ok((!rest.is_empty() || self.slot.is_empty()).then_some(Value::Object(rest)))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
            match ListVisitor::<T>(PhantomData).visit_seq(seq)? {
                Decoded::Value(items) => {
                    *self.slot = items;
                    Ok(None)
                }
                Decoded::Raw(raw) => Ok(Some(raw)),
            }
        }
        raw_scalars!(Some);
    }
    if let Some(raw) = value.deserialize_any(V { slot, item_key })? {
        extra.insert(key.to_owned(), raw);
    }
    Ok(())
}

/// Decodes one numbered dynamic key (`customfields3`) into the map of its pattern field.
pub fn put_numbered<'de, T: Decode, D: Deserializer<'de>>(
    slot: &mut BTreeMap<u32, T>,
    n: u32,
    key: &str,
    extra: &mut Map<String, Value>,
    value: D,
) -> Result<(), D::Error> {
    match T::decode(value)? {
        Decoded::Value(v) => {
            slot.insert(n, v);
        }
        Decoded::Raw(raw) => {
            extra.insert(key.to_owned(), raw);
        }
    }
    Ok(())
}

/// Keeps a key no field names.
pub fn put_extra<'de, D: Deserializer<'de>>(
    extra: &mut Map<String, Value>,
    key: &str,
    value: D,
) -> Result<(), D::Error> {
    let v: Value = serde::Deserialize::deserialize(value)?;
    extra.insert(key.to_owned(), v);
    Ok(())
}

/// The number of a numbered key: `numbered_key("customfields12", "customfields") == Some(12)`.
pub fn numbered_key(key: &str, prefix: &str) -> Option<u32> {
    let digits = key.strip_prefix(prefix)?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Writes a field: its value, or else the raw value kept for it.
pub fn ser<S: Slot, M: SerializeMap>(
    map: &mut M,
    key: &str,
    slot: &S,
    extra: &Map<String, Value>,
) -> Result<(), M::Error> {
    if !slot.ser_value(key, map)?
        && let Some(raw) = extra.get(key)
    {
        map.serialize_entry(key, raw)?;
    }
    Ok(())
}

/// Writes a wrapped list as `{"item_key": [...]}` plus whatever else the wrapper held.
pub fn ser_wrapped<T: Serialize, M: SerializeMap>(
    map: &mut M,
    key: &str,
    item_key: &str,
    items: &[T],
    extra: &Map<String, Value>,
) -> Result<(), M::Error> {
    struct Wrapper<'a, T> {
        item_key: &'a str,
        items: &'a [T],
        rest: Option<&'a Map<String, Value>>,
    }
    impl<T: Serialize> Serialize for Wrapper<'_, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            if !self.items.is_empty() {
                m.serialize_entry(self.item_key, self.items)?;
            }
            for (k, v) in self.rest.into_iter().flatten() {
                if k != self.item_key || self.items.is_empty() {
                    m.serialize_entry(k, v)?;
                }
            }
            m.end()
        }
    }
    match extra.get(key) {
        Some(Value::Object(rest)) => map.serialize_entry(
            key,
            &Wrapper {
                item_key,
                items,
                rest: Some(rest),
            },
        ),
        Some(raw) if items.is_empty() => map.serialize_entry(key, raw),
        _ if items.is_empty() => Ok(()),
        _ => map.serialize_entry(
            key,
            &Wrapper {
                item_key,
                items,
                rest: None,
            },
        ),
    }
}

/// Writes a numbered field back as `prefix1`, `prefix2`, … (raw ones included).
pub fn ser_numbered<T: Serialize, M: SerializeMap>(
    map: &mut M,
    prefix: &str,
    values: &BTreeMap<u32, T>,
    extra: &Map<String, Value>,
) -> Result<(), M::Error> {
    for (n, v) in values {
        map.serialize_entry(&format!("{prefix}{n}"), v)?;
    }
    for (k, v) in extra {
        if numbered_key(k, prefix).is_some_and(|n| !values.contains_key(&n)) {
            map.serialize_entry(k, v)?;
        }
    }
    Ok(())
}

/// Writes the keys no field names.
pub fn ser_extra<M: SerializeMap>(
    map: &mut M,
    extra: &Map<String, Value>,
    is_known: fn(&str) -> bool,
) -> Result<(), M::Error> {
    for (k, v) in extra {
        if !is_known(k) {
            map.serialize_entry(k, v)?;
        }
    }
    Ok(())
}

/// Whether WHMCS's message is this documented one (ignoring case and surrounding space).
pub fn message_is(msg: &str, documented: &str) -> bool {
    msg.trim().eq_ignore_ascii_case(documented.trim())
}

/// Matches a message against the fixed parts of a template, returning the filled-in parts.
pub fn match_template(msg: &str, parts: &[&str]) -> Option<Vec<String>> {
    let msg = msg.trim();
    let lower = msg.to_ascii_lowercase();
    let (first, rest) = parts.split_first()?;
    if !lower.starts_with(&first.to_ascii_lowercase()) {
        return None;
    }
    let mut pos = first.len();
    let mut caps = Vec::new();
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let p = part.to_ascii_lowercase();
        let found = if last {
            if p.is_empty() {
                Some(lower.len())
            } else {
                lower[pos..]
                    .ends_with(p.trim_end())
                    .then(|| lower.len() - p.trim_end().len())
            }
        } else {
            lower[pos..].find(&p).map(|i| pos + i)
        };
        let at = found?;
        if at < pos {
            return None;
        }
        caps.push(msg[pos..at].trim().to_string());
        pos = at + p.len();
    }
    Some(caps)
}

/// Implements `Decode`, `Serialize` and `Deserialize` for a generated struct.
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_data {
    ($name:ident) => {
        #[automatically_derived]
        impl $crate::__private::Decode for $name {
            fn decode<'de, D: $crate::__private::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<$crate::__private::Decoded<Self>, D::Error> {
                $crate::__private::decode_struct(d)
            }
        }
        #[automatically_derived]
        impl $crate::__private::Serialize for $name {
            fn serialize<S: $crate::__private::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serialize_struct(self, s)
            }
        }
        #[automatically_derived]
        impl<'de> $crate::__private::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_via_decode(d)
            }
        }
    };
}

/// Implements `Decode`, `Display`, `FromStr`, serde and request encoding for a generated enum.
#[macro_export]
#[doc(hidden)]
macro_rules! __impl_enum {
    ($name:ident) => {
        #[automatically_derived]
        impl $crate::__private::Decode for $name {
            fn decode<'de, D: $crate::__private::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<$crate::__private::Decoded<Self>, D::Error> {
                $crate::__private::decode_enum(d)
            }
        }
        #[automatically_derived]
        impl $crate::__private::Serialize for $name {
            fn serialize<S: $crate::__private::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        #[automatically_derived]
        impl<'de> $crate::__private::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_enum(d)
            }
        }
        #[automatically_derived]
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #[automatically_derived]
        impl ::core::str::FromStr for $name {
            type Err = $crate::InvalidValue;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                $crate::__private::enum_from_str(s)
            }
        }
        #[automatically_derived]
        impl $crate::__private::EncodeParam for $name {
            fn encode_param(&self, form: &mut $crate::Form, key: &str) {
                form.pair(key, self.as_str());
            }
        }
        #[automatically_derived]
        impl $crate::__private::FromWire for $name {
            fn from_wire(
                v: &$crate::__private::Value,
            ) -> ::core::result::Result<Self, ::std::string::String> {
                $crate::__private::enum_from_wire(v)
            }
        }
    };
}

/// `Deserialize` for generated enums: strict for closed enums, `Other` for open ones.
pub fn deserialize_enum<'de, T: WireEnum, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    match decode_enum::<T, D>(d)? {
        Decoded::Value(v) => Ok(v),
        Decoded::Raw(raw) => Err(de::Error::custom(format!(
            "`{}` is not one of {}",
            raw_text(&raw),
            list_values(T::VALUES)
        ))),
    }
}

pub(crate) fn raw_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(crate) fn list_values(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `FromStr` for generated enums.
pub fn enum_from_str<T: WireEnum>(s: &str) -> Result<T, crate::InvalidValue> {
    T::parse_wire(s).ok_or_else(|| {
        crate::InvalidValue::new(format!("`{s}` is not one of {}", list_values(T::VALUES)))
    })
}

impl<'de> IntoDeserializer<'de, serde_json::Error> for Key<'de> {
    type Deserializer = de::value::CowStrDeserializer<'de, serde_json::Error>;
    fn into_deserializer(self) -> Self::Deserializer {
        de::value::CowStrDeserializer::new(self.0)
    }
}
