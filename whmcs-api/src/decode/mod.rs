//! Lenient, single-pass decoding of WHMCS answers.
//!
//! Every field type decodes through [`Decode`], a visitor that accepts the ways WHMCS writes a
//! value (numbers as strings and back, `"1"`/`"on"` bools, `""` or `[]` for nothing, zero dates)
//! without buffering. A value that carries nothing, or cannot be read as the field's type, is
//! kept raw in the struct's `extra` map under its key, so re-encoding gives back what WHMCS sent.

pub use enums::{WireEnum, decode_enum, deserialize_enum, enum_from_str};
pub use extra::Extra;
pub(crate) use fields::FieldSeed;
pub use fields::{
    CsvItem, Fields, Slot, decode_struct, numbered_key, put, put_csv, put_extra, put_list,
    put_numbered, put_required, put_wrapped, ser, ser_csv, ser_extra, ser_numbered, ser_required,
    ser_wrapped, serialize_struct,
};
pub(crate) use fields::{join_csv, split_csv};

use std::borrow::Cow;

use indexmap::IndexMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::ser::Serialize;
use serde_json::{Map, Value};

use crate::secret::Secret;
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
    pub(crate) const ALL: [Empty; 6] = [
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

/// A type decoded leniently from WHMCS JSON.
pub trait Decode: Sized {
    /// Decodes one value.
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error>;
}

fn raw_map<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    serde::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))
}

/// A list where a value belongs: `[]` is an empty form, anything else is kept raw.
pub(crate) fn seq_decoded<'de, T, A: SeqAccess<'de>>(seq: A) -> Result<Decoded<T>, A::Error> {
    Ok(seq_value(seq)?.map_or(Decoded::Empty(Empty::List), Decoded::Raw))
}

/// The rest of a list as JSON, `None` when it is empty. Apart from `seq_decoded` so that this is
/// compiled once per kind of list access, not once per value type.
fn seq_value<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Value>, A::Error> {
    let Some(first) = seq.next_element::<Value>()? else {
        return Ok(None);
    };
    let mut items = vec![first];
    while let Some(v) = seq.next_element::<Value>()? {
        items.push(v);
    }
    Ok(Some(Value::Array(items)))
}

/// An object where a value belongs: `{}` is an empty form, anything else is kept raw.
pub(crate) fn map_decoded<'de, T, A: MapAccess<'de>>(map: A) -> Result<Decoded<T>, A::Error> {
    Ok(map_value(map)?.map_or(Decoded::Empty(Empty::Object), Decoded::Raw))
}

/// The rest of an object as JSON, `None` when it is empty (compiled once per kind of access).
fn map_value<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Value>, A::Error> {
    let Some((k, v)) = map.next_entry::<String, Value>()? else {
        return Ok(None);
    };
    let mut out = Map::new();
    out.insert(k, v);
    while let Some((k, v)) = map.next_entry::<String, Value>()? {
        out.insert(k, v);
    }
    Ok(Some(Value::Object(out)))
}

/// The visitor methods shared by every scalar: `null`, lists and objects are kept raw.
macro_rules! raw_rest {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($crate::decode::Decoded::Empty($crate::decode::Empty::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($crate::decode::Decoded::Empty($crate::decode::Empty::Null))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            $crate::decode::seq_decoded(seq)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            $crate::decode::map_decoded(map)
        }
    };
}

/// Scalars where a container belongs: empty forms, or kept raw.
macro_rules! container_scalars {
    () => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok($crate::decode::raw_str(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok($crate::decode::Decoded::Raw(::serde_json::Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok($crate::decode::Decoded::Raw(::serde_json::Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok($crate::decode::Decoded::Raw(::serde_json::Value::from(v)))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok($crate::decode::Decoded::Raw(::serde_json::Value::Bool(v)))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($crate::decode::Decoded::Empty($crate::decode::Empty::Null))
        }
    };
}

/// Text that is not of the field's type: an empty form, or kept raw.
pub(crate) fn raw_str<T>(s: &str) -> Decoded<T> {
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
pub(crate) struct TextVisitor<T>(pub(crate) fn(&str) -> Option<T>);
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
        Ok((self.0)(&whmcs_php::format_float(v))
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

impl Decode for Secret {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(|s| Some(Secret::from(s))))
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_via_decode(d)
    }
}

/// Serde for the value types: their text, read strictly (a value that is not one is an error).
macro_rules! text_serde {
    ($($t:ty),*) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize_strict(d)
            }
        }
    )*};
}
text_serde!(Date, DateTime);

impl Decode for Decimal {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        d.deserialize_any(TextVisitor(crate::values::parse_decimal))
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

/// Turns already-decoded items back into JSON when a list turns out to hold a raw item.
fn to_values<T: Serialize>(items: Vec<T>) -> Vec<Value> {
    items
        .into_iter()
        .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
        .collect()
}

/// Decodes a list into `self.0`, which may already have room reserved for it.
pub(crate) struct ListVisitor<'a, T>(pub(crate) &'a mut Vec<T>);

impl<'de, T: Decode + Serialize> Visitor<'de> for ListVisitor<'_, T> {
    /// `Value(())` when the items are in the list, else what to keep instead.
    type Value = Decoded<()>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let items = self.0;
        while let Some(item) = seq.next_element_seed(DecodeSeed::<T>(PhantomData))? {
            match item.into_raw() {
                Err(v) => items.push(v),
                Ok(raw) => {
                    let mut values = to_values(std::mem::take(items));
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
        Ok(Decoded::Value(()))
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
        let values = object_items(obj);
        let items = self.0;
        for v in &values {
            match reread(v, |d| T::decode(d)).map_err(de::Error::custom)? {
                Decoded::Value(t) => items.push(t),
                Decoded::Empty(_) | Decoded::Raw(_) => {
                    items.clear();
                    return Ok(Decoded::Raw(Value::Array(values)));
                }
            }
        }
        Ok(Decoded::Value(()))
    }
    container_scalars!();
}

/// The items of a list WHMCS sent as an object: the values in key order when every key is a
/// number (`{"0": …, "1": …}`), else the object itself as the one item. Not generic, so the sort
/// is compiled once rather than once per item type.
fn object_items(obj: Map<String, Value>) -> Vec<Value> {
    if !obj.keys().all(|k| k.parse::<u64>().is_ok()) {
        return vec![Value::Object(obj)];
    }
    let mut entries: Vec<(u64, Value)> = obj
        .into_iter()
        .map(|(k, v)| (k.parse().unwrap_or(0), v))
        .collect();
    entries.sort_by_key(|(k, _)| *k);
    entries.into_iter().map(|(_, v)| v).collect()
}

/// The deserializer answers are read with.
pub(crate) type JsonReader<'a> = serde_json::Deserializer<serde_json::de::SliceRead<'a>>;

/// Runs `read` on a value already taken out of an answer, through the deserializer answers are
/// read with. Decoders are generic over the deserializer: reading the value's text again (a
/// rare path: a list sent as an object) compiles no second copy of each decoder for `&Value`.
/// The envelope's own keys are read again the same way.
pub(crate) fn reread<T>(
    v: &Value,
    read: impl FnOnce(&mut JsonReader<'_>) -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    let text = serde_json::to_vec(v)?;
    read(&mut serde_json::Deserializer::from_slice(&text))
}

impl<'de, T: Decode + Serialize> DeserializeSeed<'de> for ListVisitor<'_, T> {
    type Value = Decoded<()>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Decoded<()>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<T: Decode + Serialize> Decode for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Self>, D::Error> {
        let mut items = Vec::new();
        Ok(match d.deserialize_any(ListVisitor(&mut items))? {
            Decoded::Value(()) => Decoded::Value(items),
            Decoded::Empty(e) => Decoded::Empty(e),
            Decoded::Raw(raw) => Decoded::Raw(raw),
        })
    }
}

/// Makes room in `items` for the count an answer announced, but never for more than `bytes`
/// (the size of the answer), whatever the count says.
pub fn reserve_within<T>(items: &mut Vec<T>, announced: usize, bytes: usize) {
    let fits = bytes / std::mem::size_of::<T>().max(1);
    items.reserve(announced.min(fits));
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

impl<'de> IntoDeserializer<'de, serde_json::Error> for Key<'de> {
    type Deserializer = de::value::CowStrDeserializer<'de, serde_json::Error>;
    fn into_deserializer(self) -> Self::Deserializer {
        de::value::CowStrDeserializer::new(self.0)
    }
}

// After the macros above, which they use.
mod enums;
mod extra;
mod fields;
