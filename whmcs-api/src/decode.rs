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

/// The outcome of decoding one value: the typed value, one of WHMCS's ways of saying "nothing",
/// or the raw JSON when it cannot be read as the field's type.
#[derive(Debug)]
pub enum Decoded<T> {
    /// A value of the field's type.
    Value(T),
    /// `null`, `""`, `[]`, `{}` or a zero date: remembered without allocating.
    Empty(Empty),
    /// Kept as sent (text that is not of the type, a list where a number belongs, …).
    Raw(Value),
}

/// The ways WHMCS sends "no value", kept so that re-encoding writes back the same thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Empty {
    /// `null`
    Null,
    /// `""`
    Str,
    /// `[]`
    List,
    /// `{}`
    Object,
    /// `"0000-00-00"`
    ZeroDate,
    /// `"0000-00-00 00:00:00"`
    ZeroDateTime,
}

impl Empty {
    const ALL: [Empty; 6] = [
        Empty::Null,
        Empty::Str,
        Empty::List,
        Empty::Object,
        Empty::ZeroDate,
        Empty::ZeroDateTime,
    ];

    /// The JSON it stands for.
    pub fn to_value(self) -> Value {
        match self {
            Empty::Null => Value::Null,
            Empty::Str => Value::String(String::new()),
            Empty::List => Value::Array(Vec::new()),
            Empty::Object => Value::Object(Map::new()),
            Empty::ZeroDate => Value::String("0000-00-00".into()),
            Empty::ZeroDateTime => Value::String("0000-00-00 00:00:00".into()),
        }
    }

    fn of_str(s: &str) -> Option<Empty> {
        match s {
            "" => Some(Empty::Str),
            "0000-00-00" => Some(Empty::ZeroDate),
            "0000-00-00 00:00:00" => Some(Empty::ZeroDateTime),
            _ => None,
        }
    }
}

impl<T> Decoded<T> {
    /// The value as JSON, for the rare paths that must fall back to keeping it raw.
    fn into_raw(self) -> Result<Value, T> {
        match self {
            Decoded::Value(v) => Err(v),
            Decoded::Empty(e) => Ok(e.to_value()),
            Decoded::Raw(v) => Ok(v),
        }
    }
}

/// What a generated struct keeps besides its typed fields: the keys no spec names (a JSON map,
/// which this derefs to), and which typed fields arrived as one of the [`Empty`] forms, so
/// nothing WHMCS sent is lost when the struct is written back. Small when there is nothing to
/// keep: the map is allocated only for keys that need it.
#[derive(Clone, Debug, Default)]
pub struct Extra {
    map: Option<Box<Map<String, Value>>>,
    /// Three bits per field index (0: none, else 1 + the `Empty::ALL` position), 21 to a word.
    empty: [u64; 3],
}

/// Fields past this index keep their empty form in the map instead.
const PACKED_FIELDS: usize = 63;

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.empty == other.empty && **self == **other
    }
}

impl Extra {
    /// Keys no spec names, and raw values of typed fields that could not be read.
    pub fn map(&self) -> &Map<String, Value> {
        self
    }

    /// Takes the map out.
    pub fn into_map(self) -> Map<String, Value> {
        self.map.map(|m| *m).unwrap_or_default()
    }

    /// How field number `idx` arrived empty, if it did.
    pub fn empty_at(&self, idx: usize) -> Option<Empty> {
        if idx >= PACKED_FIELDS {
            return None;
        }
        let code = (self.empty[idx / 21] >> ((idx % 21) * 3)) & 0b111;
        let code = usize::try_from(code).ok()?;
        code.checked_sub(1).and_then(|i| Empty::ALL.get(i).copied())
    }

    fn mark(&mut self, idx: usize, key: &str, e: Empty) {
        if idx >= PACKED_FIELDS {
            self.insert(key.to_owned(), e.to_value());
            return;
        }
        let code = Empty::ALL
            .iter()
            .position(|x| *x == e)
            .map_or(0, |p| p as u64 + 1);
        let shift = (idx % 21) * 3;
        let word = &mut self.empty[idx / 21];
        *word = (*word & !(0b111 << shift)) | (code << shift);
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        Self {
            map: (!map.is_empty()).then(|| Box::new(map)),
            empty: [0; 3],
        }
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

/// The map of a struct that has none.
fn no_keys() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

impl std::ops::Deref for Extra {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Map<String, Value> {
        match self.map.as_deref() {
            Some(map) => map,
            None => no_keys(),
        }
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        self.map.get_or_insert_with(Box::default)
    }
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

fn raw_map<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    serde::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))
}

/// A list where a value belongs: `[]` is an empty form, anything else is kept raw.
fn seq_decoded<'de, T, A: SeqAccess<'de>>(mut seq: A) -> Result<Decoded<T>, A::Error> {
    let Some(first) = seq.next_element::<Value>()? else {
        return Ok(Decoded::Empty(Empty::List));
    };
    let mut items = vec![first];
    while let Some(v) = seq.next_element::<Value>()? {
        items.push(v);
    }
    Ok(Decoded::Raw(Value::Array(items)))
}

/// An object where a value belongs: `{}` is an empty form, anything else is kept raw.
fn map_decoded<'de, T, A: MapAccess<'de>>(mut map: A) -> Result<Decoded<T>, A::Error> {
    let Some((k, v)) = map.next_entry::<String, Value>()? else {
        return Ok(Decoded::Empty(Empty::Object));
    };
    let mut out = Map::new();
    out.insert(k, v);
    while let Some((k, v)) = map.next_entry::<String, Value>()? {
        out.insert(k, v);
    }
    Ok(Decoded::Raw(Value::Object(out)))
}

/// The visitor methods shared by every scalar: `null`, lists and objects are kept raw.
macro_rules! raw_rest {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Decoded::Empty(Empty::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Decoded::Empty(Empty::Null))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            seq_decoded(seq)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            map_decoded(map)
        }
    };
}

/// Scalars where a container belongs: empty forms, or kept raw.
macro_rules! container_scalars {
    () => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(raw_str(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Decoded::Raw(Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Decoded::Raw(Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Decoded::Raw(Value::from(v)))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Decoded::Raw(Value::Bool(v)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Decoded::Empty(Empty::Null))
        }
    };
}

/// Text that is not of the field's type: an empty form, or kept raw.
fn raw_str<T>(s: &str) -> Decoded<T> {
    match Empty::of_str(s) {
        Some(e) => Decoded::Empty(e),
        None => Decoded::Raw(Value::String(s.to_owned())),
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
            Err(_) => raw_str(v),
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
            _ => raw_str(v),
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
            _ => raw_str(v),
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
struct TextVisitor<T>(fn(&str) -> Option<T>);
impl<'de, T> Visitor<'de> for TextVisitor<T> {
    type Value = Decoded<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.0)(v).map_or_else(|| raw_str(v), Decoded::Value))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if let Some(t) = (self.0)(&v) {
            return Ok(Decoded::Value(t));
        }
        Ok(match Empty::of_str(&v) {
            Some(e) => Decoded::Empty(e),
            None => Decoded::Raw(Value::String(v)),
        })
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
        d.deserialize_any(TextVisitor(|s| Some(s.to_owned())))
    }
}

impl Decode for crate::Secret {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(|s| Some(crate::Secret::from(s))))
    }
}

impl Decode for Decimal {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(Decimal::parse))
    }
}

impl Decode for Date {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(Date::parse))
    }
}

impl Decode for DateTime {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(DateTime::parse))
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
    d.deserialize_any(TextVisitor(T::parse_wire))
}

/// Turns already-decoded items back into JSON when a list turns out to hold a raw item.
fn to_values<T: Serialize>(items: Vec<T>) -> Vec<Value> {
    items
        .into_iter()
        .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
        .collect()
}

thread_local! {
    /// How many items the answer says its list holds (`numreturned`), for the next list decoded.
    static LIST_HINT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Records the item count an answer announced, so its list is allocated once.
pub(crate) fn hint_list_len(n: usize) {
    LIST_HINT.with(|h| h.set(n));
}

/// Forgets a hint no list used.
pub(crate) fn clear_list_hint() {
    LIST_HINT.with(|h| h.set(0));
}

struct ListVisitor<T>(PhantomData<T>);
impl<'de, T: Decode + Serialize> Visitor<'de> for ListVisitor<T> {
    type Value = Decoded<Vec<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // The answer's `numreturned`, when it came first, sizes the list exactly; a wrong one
        // only costs a reallocation, and it is capped so it cannot reserve more than a page.
        let hint = LIST_HINT.with(|h| h.take()).min(1 << 20);
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(hint).min(hint.max(4096)));
        while let Some(item) = seq.next_element_seed(DecodeSeed::<T>(PhantomData))? {
            match item.into_raw() {
                Err(v) => items.push(v),
                Ok(raw) => {
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
            return Ok(Decoded::Empty(Empty::List));
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
            return Ok(Decoded::Empty(Empty::Object));
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
                Decoded::Empty(_) | Decoded::Raw(_) => {
                    return Ok(Decoded::Raw(Value::Array(values)));
                }
            }
        }
        Ok(Decoded::Value(items))
    }
    container_scalars!();
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
            match map
                .next_value_seed(DecodeSeed::<T>(PhantomData))?
                .into_raw()
            {
                Err(v) => {
                    out.insert(key.0.into_owned(), v);
                }
                Ok(raw) => {
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
            return Ok(Decoded::Empty(Empty::Object));
        }
        Ok(Decoded::Value(out))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        seq_decoded(seq)
    }
    container_scalars!();
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
        seq_decoded(seq)
    }
    container_scalars!();
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
        Decoded::Empty(_) | Decoded::Raw(_) => T::default(),
    })
}

/// `Deserialize` for value types without a default: a raw value is an error.
pub(crate) fn deserialize_strict<'de, T: Decode, D: Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    match T::decode(d)?.into_raw() {
        Err(v) => Ok(v),
        Ok(raw) => Err(de::Error::custom(format!(
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

/// Decodes `value` into `slot` (field number `idx`), remembering an empty form or keeping a value
/// of another type raw in `extra`.
pub fn put<'de, S: Slot, D: Deserializer<'de>>(
    slot: &mut S,
    key: &str,
    idx: usize,
    extra: &mut Extra,
    value: D,
) -> Result<(), D::Error> {
    match S::Item::decode(value)? {
        Decoded::Value(v) => slot.fill(v),
        Decoded::Empty(e) => extra.mark(idx, key, e),
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
    idx: usize,
    extra: &mut Extra,
    value: D,
) -> Result<(), D::Error> {
    struct V<'a, T> {
        slot: &'a mut Vec<T>,
        item_key: &'static str,
    }
    impl<'de, T: Decode + Serialize> Visitor<'de> for V<'_, T> {
        /// `Value(())` when the list was read, else what to remember.
        type Value = Decoded<()>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object holding `{}`", self.item_key)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded<()>, A::Error> {
            let mut rest = Map::new();
            let mut raw_items = None;
            while let Some(k) = map.next_key::<Key<'de>>()? {
                if k.0 == self.item_key {
                    match map
                        .next_value_seed(DecodeSeed::<Vec<T>>(PhantomData))?
                        .into_raw()
                    {
                        Err(items) => *self.slot = items,
                        Ok(raw) => raw_items = Some(raw),
                    }
                } else {
                    rest.insert(k.0.into_owned(), map.next_value()?);
                }
            }
            if let Some(raw) = raw_items {
                rest.insert(self.item_key.to_owned(), raw);
            }
            Ok(if !rest.is_empty() || self.slot.is_empty() {
                Decoded::Raw(Value::Object(rest))
            } else {
                Decoded::Value(())
            })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Decoded<()>, A::Error> {
            Ok(match ListVisitor::<T>(PhantomData).visit_seq(seq)? {
                Decoded::Value(items) => {
                    *self.slot = items;
                    Decoded::Value(())
                }
                Decoded::Empty(e) => Decoded::Empty(e),
                Decoded::Raw(raw) => Decoded::Raw(raw),
            })
        }
        container_scalars!();
    }
    match value.deserialize_any(V { slot, item_key })? {
        Decoded::Value(()) => {}
        Decoded::Empty(e) => extra.mark(idx, key, e),
        Decoded::Raw(raw) => {
            extra.insert(key.to_owned(), raw);
        }
    }
    Ok(())
}

/// Decodes one numbered dynamic key (`customfields3`) into the map of its pattern field.
pub fn put_numbered<'de, T: Decode, D: Deserializer<'de>>(
    slot: &mut BTreeMap<u32, T>,
    n: u32,
    key: &str,
    extra: &mut Extra,
    value: D,
) -> Result<(), D::Error> {
    match T::decode(value)?.into_raw() {
        Err(v) => {
            slot.insert(n, v);
        }
        Ok(raw) => {
            extra.insert(key.to_owned(), raw);
        }
    }
    Ok(())
}

/// Keeps a key no field names.
pub fn put_extra<'de, D: Deserializer<'de>>(
    extra: &mut Extra,
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

/// Writes field number `idx`: its value, or else the raw value or empty form kept for it.
pub fn ser<S: Slot, M: SerializeMap>(
    map: &mut M,
    key: &str,
    idx: usize,
    slot: &S,
    extra: &Extra,
) -> Result<(), M::Error> {
    if slot.ser_value(key, map)? {
        return Ok(());
    }
    if let Some(raw) = extra.get(key) {
        map.serialize_entry(key, raw)?;
    } else if let Some(e) = extra.empty_at(idx) {
        map.serialize_entry(key, &e.to_value())?;
    }
    Ok(())
}

/// Writes a wrapped list as `{"item_key": [...]}` plus whatever else the wrapper held.
pub fn ser_wrapped<T: Serialize, M: SerializeMap>(
    map: &mut M,
    key: &str,
    idx: usize,
    item_key: &str,
    items: &[T],
    extra: &Extra,
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
        _ if items.is_empty() => match extra.empty_at(idx) {
            Some(e) => map.serialize_entry(key, &e.to_value()),
            None => Ok(()),
        },
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
    match decode_enum::<T, D>(d)?.into_raw() {
        Err(v) => Ok(v),
        Ok(raw) => Err(de::Error::custom(format!(
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
