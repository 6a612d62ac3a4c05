//! Calls by name with wire-form parameters, for tools that do not know the action's type at
//! compile time (the `whmcs` CLI, the mock): the generic functions here are instantiated once per
//! generated action, so no per-action code is written by hand.

use serde_json::{Map, Value};

use crate::action::{Action, ActionInfo, ApiError, Effect};
use crate::error::Error;
use crate::form::Form;
use crate::response::decode_with_status;
use crate::wire::{InvalidParams, WireParams};
use crate::{Client, actions};

/// Builds a [`Prepared`] call from wire-form parameters.
pub type Prepare = fn(Map<String, Value>) -> Result<Prepared, InvalidParams>;

/// Decodes an answer of one action and re-encodes it as JSON.
pub type DecodeValue = fn(u16, &[u8]) -> Result<Value, Error<ErrorMessage>>;

/// A WHMCS error message, for calls whose error type is not known at compile time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMessage {
    /// The variant of the action's error enum it matched (`Unknown` when none did).
    pub variant: String,
    /// The message as WHMCS sent it.
    pub message: String,
}

impl std::fmt::Display for ErrorMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorMessage {}

/// A checked, encoded call to an action chosen at run time.
#[derive(Debug)]
pub struct Prepared {
    name: &'static str,
    effect: Effect,
    body: String,
    unknown: Vec<String>,
    decode: fn(u16, &[u8]) -> Result<Value, Error<ErrorMessage>>,
}

impl Prepared {
    /// Parameter keys no spec names; they are sent as given.
    pub fn unknown_params(&self) -> &[String] {
        &self.unknown
    }

    /// The encoded parameters (without action and credentials).
    pub fn params(&self) -> &str {
        &self.body
    }
}

/// Checks and encodes wire-form parameters for `A`.
#[doc(hidden)]
pub fn prepare<A: Action>(params: Map<String, Value>) -> Result<Prepared, InvalidParams> {
    let mut wire = WireParams::new(params);
    let request = A::from_wire(&mut wire)?;
    let unknown = wire.unknown().to_vec();
    let mut form = Form::new();
    request.encode(&mut form);
    Ok(Prepared {
        name: A::INFO.name,
        effect: A::INFO.effect,
        body: form.into_string(),
        unknown,
        decode: decode_value::<A>,
    })
}

#[doc(hidden)]
pub fn decode_value<A: Action>(status: u16, body: &[u8]) -> Result<Value, Error<ErrorMessage>> {
    match decode_with_status::<A>(status, body) {
        Ok(r) => serde_json::to_value(&r).map_err(|e| {
            Error::Decode(crate::error::DecodeError {
                action: A::INFO.name,
                status,
                reason: e.to_string(),
                snippet: String::new(),
            })
        }),
        Err(e) => Err(e.map_api(|e| ErrorMessage {
            variant: e.variant().to_string(),
            message: e.to_string(),
        })),
    }
}

impl Client {
    /// Sends a prepared call and returns the answer as JSON in wire form.
    pub async fn send_prepared(&self, call: &Prepared) -> Result<Value, Error<ErrorMessage>> {
        let (status, body) = self
            .send_form(call.name, call.effect, &call.body)
            .await
            .map_err(Error::Transport)?;
        (call.decode)(status, &body)
    }
}

/// Finds an action by its documented name (any case) or kebab-case name (`add-cancel-request`).
pub fn find_action(name: &str) -> Option<&'static ActionInfo> {
    let wanted: String = name
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    actions::ALL
        .iter()
        .copied()
        .find(|info| info.name.eq_ignore_ascii_case(&wanted))
}
