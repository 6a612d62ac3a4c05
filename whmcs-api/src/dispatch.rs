//! Calls by name with wire-form parameters, for tools that do not know the action's type at
//! compile time (the `whmcs` CLI, the mock): the generic functions here are instantiated once per
//! generated action, so no per-action code is written by hand.

use serde_json::{Map, Value};
use whmcs_php::Form;

use crate::action::{Action, ActionInfo, Prepared};
use crate::client::Client;
use crate::error::{DecodeError, Error, ErrorMessage, InvalidParams};
use crate::redact::Redactor;
use crate::response::decode_with_status;
use crate::wire::WireParams;

/// Checks and encodes wire-form parameters for `A`.
#[doc(hidden)]
pub fn prepare<A: Action>(params: Map<String, Value>) -> Result<Prepared, InvalidParams> {
    prepare_with(params, const { &A::INFO }, |wire, form| {
        A::from_wire(wire)?.encode(form);
        Ok(())
    })
}

/// The body of [`prepare`], compiled once: `build` is all that differs between actions.
fn prepare_with(
    params: Map<String, Value>,
    info: &'static ActionInfo,
    build: fn(&mut WireParams, &mut Form) -> Result<(), InvalidParams>,
) -> Result<Prepared, InvalidParams> {
    let mut wire = WireParams::new(params);
    let mut form = Form::new();
    build(&mut wire, &mut form)?;
    Ok(Prepared {
        info,
        body: form.into_string(),
        unknown: wire.unknown().to_vec(),
    })
}

/// Decodes an answer of `A` and re-encodes it as JSON in wire form; text of the answer that
/// reaches an error goes through `redact`.
#[doc(hidden)]
pub fn decode_value<A: Action>(
    status: u16,
    body: &[u8],
    redact: &Redactor,
) -> Result<Value, Error<ErrorMessage>> {
    match decode_with_status::<A>(status, body, redact) {
        Ok(r) => as_json(A::INFO.name(), status, serde_json::to_value(&r), redact),
        Err(e) => Err(e.erase()),
    }
}

/// A decoded answer written as JSON, or why it could not be (compiled once).
fn as_json(
    action: &'static str,
    status: u16,
    json: Result<Value, serde_json::Error>,
    redact: &Redactor,
) -> Result<Value, Error<ErrorMessage>> {
    json.map_err(|e| {
        Error::Decode(DecodeError {
            action,
            status,
            reason: redact.redact(&e.to_string()),
            snippet: String::new(),
        })
    })
}

impl Client {
    /// Sends a prepared call and returns the answer as JSON in wire form.
    pub async fn send_prepared(&self, call: &Prepared) -> Result<Value, Error<ErrorMessage>> {
        let info = call.info;
        let (status, body) = self
            .send_form(info.name(), info.effect(), &call.body)
            .await
            .map_err(Error::Transport)?;
        info.decode_redacted(status, &body, self.redactor())
    }
}

/// Finds an action by its documented name (any case) or kebab-case name (`add-cancel-request`).
pub fn find_action(name: &str) -> Option<&'static ActionInfo> {
    let wanted: String = name
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    crate::actions::ALL
        .iter()
        .copied()
        .find(|info| info.name().eq_ignore_ascii_case(&wanted))
}
