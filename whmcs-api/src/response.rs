//! The answer envelope: `result: success` with the action's fields, or `result: error` with a
//! message. Tolerates what PHP puts around it (a BOM, notices and warnings before the JSON).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::action::{Action, ApiError};
use crate::decode::{FieldSeed, Fields, Key};
use crate::error::{AccessError, DecodeError, Error};
use crate::redact::Redactor;

/// Decodes a raw WHMCS answer for action `A` exactly as the client does after an HTTP 200.
///
/// ```
/// use whmcs_api::actions::{AddCancelRequest, AddCancelRequestError};
/// let ok = whmcs_api::decode_response::<AddCancelRequest>(br#"{"result":"success","serviceid":"7","userid":3}"#);
/// assert_eq!(ok.unwrap().serviceid, Some(7));
/// let err = whmcs_api::decode_response::<AddCancelRequest>(br#"{"result":"error","message":"Service ID Not Found"}"#);
/// assert!(matches!(err, Err(whmcs_api::Error::Api { error: AddCancelRequestError::ServiceIdNotFound, .. })));
/// ```
pub fn decode_response<A: Action>(body: &[u8]) -> Result<A::Response, Error<A::Error>> {
    decode_with_status::<A>(200, body, &Redactor::none())
}

/// Decodes an answer; any text of it that reaches an error or a log goes through `redact`.
pub(crate) fn decode_with_status<A: Action>(
    status: u16,
    body: &[u8],
    redact: &Redactor,
) -> Result<A::Response, Error<A::Error>> {
    match decode_envelope::<A::Response>(A::INFO.name(), status, body, redact) {
        Ok(Outcome::Success(r)) => match r.missing() {
            None => Ok(r),
            Some(field) => Err(Error::Decode(DecodeError {
                action: A::INFO.name(),
                status,
                reason: format!(
                    "the answer has no `{field}`, which WHMCS sends with every success"
                ),
                snippet: snippet(body, redact),
            })),
        },
        Ok(Outcome::Failure(msg)) => Err(api_error(msg, redact)),
        Err(e) => Err(Error::Decode(e)),
    }
}

/// The typed error for a WHMCS error message, any credential removed from it first (variants
/// keep text of the message too). Every message WHMCS writes itself comes out unchanged, case
/// included.
pub(crate) fn api_error<E: ApiError>(msg: String, redact: &Redactor) -> Error<E> {
    let msg = redact.redact(&msg);
    match AccessError::from_message(&msg) {
        Some(a) => Error::Access(a),
        None => Error::Api {
            error: E::from_message(&msg),
            message: msg,
        },
    }
}

pub(crate) enum Outcome<R> {
    Success(R),
    Failure(String),
}

/// The beginning of a body for an error message: 120 bytes at most, credentials removed (none
/// cut in half at the end), whitespace collapsed.
pub(crate) fn snippet(body: &[u8], redact: &Redactor) -> String {
    let head = redact.head(body, 120);
    let text = String::from_utf8_lossy(&head);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Collapsing whitespace can join what was apart: look once more.
    redact.redact(&text)
}

/// Where the JSON starts: after a BOM, whitespace, and any text PHP printed first.
fn json_starts(body: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let start = if body.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let first = body[start..]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|p| p + start);
    let direct = first.filter(|&p| matches!(body[p], b'{' | b'['));
    let later = body
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(_, b)| **b == b'{')
        .map(|(i, _)| i)
        .take(16);
    direct.into_iter().chain(later)
}

pub(crate) fn decode_envelope<R: Fields>(
    action: &'static str,
    status: u16,
    body: &[u8],
    redact: &Redactor,
) -> Result<Outcome<R>, DecodeError> {
    // A reason can quote the answer (serde names the value it could not take).
    let fail = |reason: String| DecodeError {
        action,
        status,
        reason: redact.redact(&reason),
        snippet: snippet(body, redact),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(fail("the answer is empty".into()));
    }
    let mut first_err = None;
    for start in json_starts(body) {
        let mut de = serde_json::Deserializer::from_slice(&body[start..]);
        let visitor = EnvelopeVisitor::<R> {
            bytes: body.len() - start,
            redact,
            body: PhantomData,
        };
        match de.deserialize_any(visitor) {
            Ok(env) => return env.outcome(),
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some(e);
                }
                if start == 0 || body[..start].iter().all(u8::is_ascii_whitespace) {
                    // A body that starts as JSON but breaks is truncated or garbled: do not hunt
                    // for another start inside it.
                    break;
                }
            }
        }
    }
    let looks_html = body.iter().take(512).any(|b| *b == b'<');
    Err(fail(match first_err {
        Some(e) if e.is_eof() => "the JSON answer is truncated".into(),
        Some(e) => format!("not a JSON answer ({e})"),
        None if looks_html => "got HTML, not a JSON answer".into(),
        None => "not a JSON answer".into(),
    }))
}

struct Envelope<R> {
    body: R,
    result: Option<String>,
    status: Option<String>,
    message: Option<String>,
}

impl<R> Envelope<R> {
    fn outcome(self) -> Result<Outcome<R>, DecodeError> {
        let verdict = self.result.or(self
            .status
            .filter(|s| s.eq_ignore_ascii_case("success") || s.eq_ignore_ascii_case("error")));
        match verdict {
            Some(v) if v.eq_ignore_ascii_case("error") => {
                Ok(Outcome::Failure(self.message.unwrap_or_else(|| {
                    "WHMCS answered `error` without a message".into()
                })))
            }
            _ => Ok(Outcome::Success(self.body)),
        }
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

struct EnvelopeVisitor<'r, R> {
    /// The size of the answer, which bounds what an announced item count may reserve.
    bytes: usize,
    /// For the warning, which is logged.
    redact: &'r Redactor,
    body: PhantomData<R>,
}

impl<'de, R: Fields> Visitor<'de> for EnvelopeVisitor<'_, R> {
    type Value = Envelope<R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a WHMCS answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<R>, A::Error> {
        let mut env = Envelope {
            body: R::default(),
            result: None,
            status: None,
            message: None,
        };
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match &*key.0 {
                "result" | "status" | "message" => {
                    let v: Value = map.next_value()?;
                    let slot = match &*key.0 {
                        "result" => &mut env.result,
                        "status" => &mut env.status,
                        _ => &mut env.message,
                    };
                    *slot = text(&v);
                    env.body.field(&key.0, &v).map_err(de::Error::custom)?;
                }
                "numreturned" => {
                    let v: Value = map.next_value()?;
                    if let Some(n) = v
                        .as_u64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                    {
                        env.body
                            .reserve(usize::try_from(n).unwrap_or(0), self.bytes);
                    }
                    env.body.field(&key.0, &v).map_err(de::Error::custom)?;
                }
                "warning" => {
                    let v: Value = map.next_value()?;
                    if let Some(w) = text(&v) {
                        let w = self.redact.redact(&w);
                        tracing::warn!(warning = %w, "WHMCS returned a warning");
                    }
                    env.body.field(&key.0, &v).map_err(de::Error::custom)?;
                }
                k => map.next_value_seed(FieldSeed::new(&mut env.body, k))?,
            }
        }
        Ok(env)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Envelope<R>, A::Error> {
        // Some actions answer a bare `[]` when they have nothing to say.
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a non-empty list where a WHMCS answer object belongs",
            ));
        }
        Ok(Envelope {
            body: R::default(),
            result: None,
            status: None,
            message: None,
        })
    }
}
