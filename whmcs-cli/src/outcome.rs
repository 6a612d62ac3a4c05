//! How a call's parameters are checked and how its failure becomes an exit code.

use serde_json::{Map, Value};
use whmcs_api::{ActionInfo, Effect, Error, ErrorMessage, Prepared};

use crate::Fail;

/// What a failed call means for the exit code: WHMCS's message verbatim (1), maybe applied (3),
/// or failed without effect (2).
pub(crate) fn failure(info: &ActionInfo, e: Error<ErrorMessage>) -> Fail {
    match e {
        Error::Api { message, .. } => Fail::whmcs(message),
        Error::Access(a) => Fail::whmcs(a.message()),
        Error::Transport(t) if t.maybe_applied() => Fail::maybe_applied(t.to_string()),
        Error::Decode(d) if info.effect() != Effect::Read => Fail::maybe_applied(format!(
            "{d}; the request reached WHMCS and may have been applied"
        )),
        other => Fail::usage(other.to_string()),
    }
}

/// Checks the parameters against the spec.
pub(crate) fn prepare(info: &ActionInfo, params: Map<String, Value>) -> Result<Prepared, Fail> {
    info.prepare(params)
        .map_err(|e| Fail::usage(format!("invalid parameters for {}: {e}", info.name())))
}
