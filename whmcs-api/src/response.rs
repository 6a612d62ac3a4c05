//! The answer envelope: `result: success` with the action's fields, or `result: error` with a
//! message. Tolerates what PHP puts around it (a BOM, notices and warnings before the JSON).

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::action::{Action, ApiError};
use crate::decode::{FieldSeed, Fields, JsonReader, Key};
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
///
/// Compiled once per action, so kept small: the envelope around the answer's own fields is read
/// by code shared by every action ([`read_envelope`]).
pub(crate) fn decode_with_status<A: Action>(
    status: u16,
    body: &[u8],
    redact: &Redactor,
) -> Result<A::Response, Error<A::Error>> {
    let action = A::INFO.name();
    let mut response = A::Response::default();
    let verdict = read_envelope(action, status, body, redact, &mut |reader, bytes| {
        response = A::Response::default();
        reader.deserialize_map(EnvelopeVisitor {
            body: &mut response,
            bytes,
            redact,
        })
    });
    match verdict {
        Ok(Verdict::Success) => match response.missing() {
            None => Ok(response),
            Some(field) => Err(Error::Decode(missing_field(
                action, status, field, body, redact,
            ))),
        },
        Ok(Verdict::Error(msg)) => Err(api_error(msg, redact)),
        Err(e) => Err(Error::Decode(e)),
    }
}

fn missing_field(
    action: &'static str,
    status: u16,
    field: &str,
    body: &[u8],
    redact: &Redactor,
) -> DecodeError {
    DecodeError {
        action,
        status,
        reason: format!("the answer has no `{field}`, which WHMCS sends with every success"),
        snippet: snippet(body, redact),
    }
}

/// The typed error for a WHMCS error message, any credential removed from it first (variants
/// keep text of the message too). Every message WHMCS writes itself comes out unchanged, case
/// included.
pub(crate) fn api_error<E: ApiError>(msg: String, redact: &Redactor) -> Error<E> {
    match access_error(msg, redact) {
        Ok(a) => Error::Access(a),
        Err(msg) => Error::Api {
            error: E::from_message(&msg),
            message: msg,
        },
    }
}

/// The access error a message names, or the message without credentials.
fn access_error(msg: String, redact: &Redactor) -> Result<AccessError, String> {
    let msg = redact.redact(&msg);
    AccessError::from_message(&msg).ok_or(msg)
}

/// What the envelope said: success, or an error with its message.
pub(crate) enum Verdict {
    Success,
    Error(String),
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

/// Reads the answer object at the reader into the action's fields, given the size of the answer
/// from there; returns what the envelope's own keys said.
type ReadFields<'a> = dyn FnMut(&mut JsonReader<'_>, usize) -> Result<Head, serde_json::Error> + 'a;

/// Finds the JSON of an answer (after a BOM, whitespace or PHP's notices) and reads it with
/// `read`, which fills the action's fields; not generic, so compiled once for every action.
fn read_envelope(
    action: &'static str,
    status: u16,
    body: &[u8],
    redact: &Redactor,
    read: &mut ReadFields<'_>,
) -> Result<Verdict, DecodeError> {
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
        let mut reader = serde_json::Deserializer::from_slice(&body[start..]);
        let head = if body[start] == b'[' {
            reader.deserialize_seq(EmptyAnswer)
        } else {
            read(&mut reader, body.len() - start)
        };
        match head {
            Ok(head) => return Ok(head.verdict()),
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

/// The envelope's own keys, which every answer may carry beside its fields.
#[derive(Default)]
struct Head {
    result: Option<String>,
    status: Option<String>,
    message: Option<String>,
}

impl Head {
    /// Whether `key` is one of the envelope's (its value is also offered to the fields).
    fn is_own(key: &str) -> bool {
        matches!(
            key,
            "result" | "status" | "message" | "numreturned" | "warning"
        )
    }

    /// Notes what an envelope key says (a warning is logged, credentials removed); returns the
    /// item count to make room for when the key announces one.
    fn take(&mut self, key: &str, v: &Value, redact: &Redactor) -> Option<usize> {
        match key {
            "result" => self.result = text(v),
            "status" => self.status = text(v),
            "message" => self.message = text(v),
            "numreturned" => {
                return v
                    .as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                    .map(|n| usize::try_from(n).unwrap_or(0));
            }
            "warning" => {
                if let Some(w) = text(v) {
                    let w = redact.redact(&w);
                    tracing::warn!(warning = %w, "WHMCS returned a warning");
                }
            }
            _ => {}
        }
        None
    }

    fn verdict(self) -> Verdict {
        let verdict = self.result.or(self
            .status
            .filter(|s| s.eq_ignore_ascii_case("success") || s.eq_ignore_ascii_case("error")));
        match verdict {
            Some(v) if v.eq_ignore_ascii_case("error") => Verdict::Error(
                self.message
                    .unwrap_or_else(|| "WHMCS answered `error` without a message".into()),
            ),
            _ => Verdict::Success,
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

/// Some actions answer a bare `[]` when they have nothing to say.
struct EmptyAnswer;

impl<'de> Visitor<'de> for EmptyAnswer {
    type Value = Head;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a WHMCS answer object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Head, A::Error> {
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a non-empty list where a WHMCS answer object belongs",
            ));
        }
        Ok(Head::default())
    }
}

/// Reads an answer object: the envelope's keys into the [`Head`], every key into the fields.
struct EnvelopeVisitor<'r, R> {
    body: &'r mut R,
    /// The size of the answer, which bounds what an announced item count may reserve.
    bytes: usize,
    /// For the warning, which is logged.
    redact: &'r Redactor,
}

impl<'de, R: Fields> Visitor<'de> for EnvelopeVisitor<'_, R> {
    type Value = Head;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a WHMCS answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Head, A::Error> {
        let mut head = Head::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if Head::is_own(&key.0) {
                let v: Value = map.next_value()?;
                if let Some(items) = head.take(&key.0, &v, self.redact) {
                    self.body.reserve(items, self.bytes);
                }
                // Read again from its text, as `reread` does; written out here because going
                // through `reread`'s closure compiles more code for each action.
                let text = serde_json::to_vec(&v).map_err(de::Error::custom)?;
                self.body
                    .field(&key.0, &mut serde_json::Deserializer::from_slice(&text))
                    .map_err(de::Error::custom)?;
            } else {
                map.next_value_seed(FieldSeed::new(&mut *self.body, &key.0))?;
            }
        }
        Ok(head)
    }
}
