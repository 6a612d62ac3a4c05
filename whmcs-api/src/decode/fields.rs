//! Generated structs, decoded key by key and written back in wire form: the `Fields` trait the
//! generator implements, and the helpers its code calls for each field.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::{Decode, Decoded, Extra, Key, ListVisitor, seq_decoded};

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
    /// Makes room for the `items` an answer announced for its list, within `bytes` (the size of
    /// the answer). Generated for the answers of listing actions.
    fn reserve(&mut self, items: usize, bytes: usize) {
        let _ = (items, bytes);
    }
    /// The record's `id`, for shapes that have one (paging yields each id once).
    fn record_id(&self) -> Option<i64> {
        None
    }
    /// The wire name of a field WHMCS always sends on success that this answer lacks.
    fn missing(&self) -> Option<&'static str> {
        None
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

/// Decodes a list into `slot` (field number `idx`), keeping the room reserved for it.
pub fn put_list<'de, T: Decode + Serialize, D: Deserializer<'de>>(
    slot: &mut Vec<T>,
    key: &str,
    idx: usize,
    extra: &mut Extra,
    value: D,
) -> Result<(), D::Error> {
    slot.clear();
    match value.deserialize_any(ListVisitor(slot))? {
        Decoded::Value(()) => {}
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
                    self.slot.clear();
                    match map.next_value_seed(ListVisitor(&mut *self.slot))? {
                        Decoded::Value(()) => {}
                        Decoded::Empty(e) => raw_items = Some(e.to_value()),
                        Decoded::Raw(raw) => raw_items = Some(raw),
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
            self.slot.clear();
            ListVisitor(self.slot).visit_seq(seq)
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

/// Decodes a field WHMCS always sends (field number `idx`), noting that it arrived; an empty or
/// unreadable value is kept as for any field, and the answer then counts as lacking it.
pub fn put_required<'de, T: Decode, D: Deserializer<'de>>(
    slot: &mut T,
    key: &str,
    idx: usize,
    extra: &mut Extra,
    value: D,
) -> Result<(), D::Error> {
    match T::decode(value)? {
        Decoded::Value(v) => {
            *slot = v;
            extra.mark_present(idx);
        }
        Decoded::Empty(e) => extra.mark(idx, key, e),
        Decoded::Raw(raw) => {
            extra.insert(key.to_owned(), raw);
        }
    }
    Ok(())
}

/// Writes a field WHMCS always sends: what arrived when it was not a value (kept raw or as an
/// empty form), else the value.
pub fn ser_required<T: Serialize, M: SerializeMap>(
    map: &mut M,
    key: &str,
    idx: usize,
    value: &T,
    extra: &Extra,
) -> Result<(), M::Error> {
    if let Some(raw) = extra.get(key).filter(|_| !extra.is_present(idx)) {
        map.serialize_entry(key, raw)
    } else if let Some(e) = extra.empty_at(idx) {
        map.serialize_entry(key, &e.to_value())
    } else {
        map.serialize_entry(key, value)
    }
}

/// An item of a comma-joined list (`csv<int>`, `csv<string>`).
pub trait CsvItem: Sized + fmt::Display {
    /// Reads one item (already trimmed).
    fn parse_item(s: &str) -> Option<Self>;
}

impl CsvItem for i64 {
    fn parse_item(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

impl CsvItem for String {
    fn parse_item(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
}

/// The items of a comma-joined text, `None` if one does not read.
pub(crate) fn split_csv<T: CsvItem>(text: &str) -> Option<Vec<T>> {
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    text.split(',')
        .map(|item| T::parse_item(item.trim()))
        .collect()
}

/// Decodes a comma-joined list (`"4,6"`; a single number is one item) into `slot`. Text that
/// would not be written back the same way is kept raw.
pub fn put_csv<'de, T: CsvItem, D: Deserializer<'de>>(
    slot: &mut Vec<T>,
    key: &str,
    idx: usize,
    extra: &mut Extra,
    value: D,
) -> Result<(), D::Error> {
    let raw: Value = serde::Deserialize::deserialize(value)?;
    let text = match &raw {
        Value::String(s) if s.is_empty() => {
            extra.mark(idx, key, super::Empty::Str);
            return Ok(());
        }
        Value::Null => {
            extra.mark(idx, key, super::Empty::Null);
            return Ok(());
        }
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => {
            extra.insert(key.to_owned(), raw);
            return Ok(());
        }
    };
    match split_csv::<T>(&text) {
        Some(items) if join_csv(&items) == text && raw.is_string() => *slot = items,
        _ => {
            extra.insert(key.to_owned(), raw);
        }
    }
    Ok(())
}

/// `4,6`.
pub(crate) fn join_csv<T: fmt::Display>(items: &[T]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&item.to_string());
    }
    out
}

/// Writes a comma-joined list back as one text.
pub fn ser_csv<T: fmt::Display, M: SerializeMap>(
    map: &mut M,
    key: &str,
    idx: usize,
    items: &[T],
    extra: &Extra,
) -> Result<(), M::Error> {
    if !items.is_empty() {
        map.serialize_entry(key, &join_csv(items))
    } else if let Some(raw) = extra.get(key) {
        map.serialize_entry(key, raw)
    } else if let Some(e) = extra.empty_at(idx) {
        map.serialize_entry(key, &e.to_value())
    } else {
        Ok(())
    }
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
