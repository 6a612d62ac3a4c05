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
    let mut wire = WireParams::new(params);
    let request = A::from_wire(&mut wire)?;
    let unknown = wire.unknown().to_vec();
    let mut form = Form::new();
    request.encode(&mut form);
    Ok(Prepared {
        info: const { &A::INFO },
        body: form.into_string(),
        unknown,
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
        Ok(r) => serde_json::to_value(&r).map_err(|e| {
            Error::Decode(DecodeError {
                action: A::INFO.name(),
                status,
                reason: redact.redact(&e.to_string()),
                snippet: String::new(),
            })
        }),
        Err(e) => Err(e.erase()),
    }
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
