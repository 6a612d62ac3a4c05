//! Generated enums: wire values in and out, `Other` for values an answer may carry that no spec
//! lists.

use serde::de::{self, Deserializer};

use super::{Decoded, TextVisitor, list_values, raw_text};

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

/// `FromStr` for generated enums.
pub fn enum_from_str<T: WireEnum>(s: &str) -> Result<T, crate::InvalidValue> {
    T::parse_wire(s).ok_or_else(|| {
        crate::InvalidValue::new(format!("`{s}` is not one of {}", list_values(T::VALUES)))
    })
}
