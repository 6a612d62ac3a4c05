//! A typed client for the [WHMCS API](https://developers.whmcs.com/api/), generated from
//! declarative action specs.
//!
//! Every action is a request struct with required parameters in `new(...)` and optional ones as
//! setters, a response struct that keeps every key WHMCS sends, and an error enum with one variant
//! per documented error message:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use whmcs_api::actions::{AddCancelRequestError, CancellationType};
//! use whmcs_api::{Client, Error};
//!
//! let client = Client::from_env()?; // WHMCS_URL, WHMCS_API_IDENTIFIER, WHMCS_API_SECRET
//! match client.add_cancel_request(42).cancel_type(CancellationType::Immediate).await {
//!     Ok(done) => println!("cancelled service {:?}", done.serviceid),
//!     Err(Error::Api { error: AddCancelRequestError::ExistingCancellationRequestExists, .. }) => {
//!         println!("already requested")
//!     }
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(()) }
//! ```
//!
//! Your own actions (WHMCS addons register custom ones) work the same way: write a spec and put
//! [`macro@action`] on a unit struct, then send it with [`Client::execute`].
//!
//! Features: one per action category (all on by default). The mock WHMCS server to test against
//! is the `whmcs-mock` crate; the `whmcs` command is `whmcs-cli`.

#![doc = whmcs_macros::actions_table!("specs", "crate::actions")]
#![deny(missing_docs)]

extern crate self as whmcs_api;

mod action;
mod client;
mod decode;
mod dispatch;
mod encode;
mod error;
mod limit;
mod pages;
mod redact;
mod response;
mod secret;
mod values;
mod wire;

pub use action::{
    Action, ActionInfo, ApiError, Effect, ErrorInfo, ParamInfo, Prepared, RequireAny,
};
pub use client::{Client, ClientBuilder, Pending, RetryPolicy, reqwest_builder};
pub use decode::{Empty, Extra};
pub use dispatch::find_action;
pub use encode::Serialized;
pub use error::{
    AccessError, AccessKind, BuildError, DecodeError, Error, ErrorMessage, InvalidParams,
    InvalidValue, TransportError, TransportKind,
};
pub use pages::{Paged, Pages};
pub use redact::Redactor;
pub use response::decode_response;
pub use secret::Secret;
pub use values::{Date, DateTime, Decimal, ParseValueError};
pub use whmcs_macros::{action, types};
pub use whmcs_php::{Form, PhpArray, PhpKey, PhpValue};
pub use wire::WireParams;

/// Every documented WHMCS action, one module per category (each a cargo feature).
///
/// The request, response and error types of each action are re-exported here flat:
/// `whmcs_api::actions::GetInvoices`, `GetInvoicesResponse`, `GetInvoicesError`. Nested shapes
/// and enums live in the action's module (`whmcs_api::actions::billing::get_invoices::Invoice`).
pub mod actions {
    whmcs_macros::actions!("specs", client_methods);
}

/// What generated code uses; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::__impl_data as impl_data;
    pub use crate::__impl_enum as impl_enum;
    pub use crate::client::send;
    pub use crate::decode::{
        Decode, Decoded, Extra, Fields, Slot, WireEnum, decode_enum, decode_struct,
        deserialize_enum, deserialize_via_decode, enum_from_str, numbered_key, put, put_csv,
        put_extra, put_list, put_numbered, put_required, put_wrapped, reserve_within, ser, ser_csv,
        ser_extra, ser_numbered, ser_required, ser_wrapped, serialize_struct,
    };
    pub use crate::dispatch::{decode_value, prepare};
    pub use crate::encode::{
        EncodeFields, EncodeNumbered, EncodeParam, encode_csv, encode_numbered, key,
    };
    pub use crate::error::{match_template, message_is};
    pub use crate::pages::pages;
    pub use crate::wire::{FromWire, FromWireFields, enum_from_wire, struct_from_wire};
    pub use indexmap::IndexMap;
    pub use serde::de::Deserializer;
    pub use serde::ser::{SerializeMap, Serializer};
    pub use serde::{Deserialize, Serialize};
    pub use serde_json::Value;

    /// The map of keys no spec names.
    pub type Map = serde_json::Map<String, Value>;
}
