//! What the server hands to behaviour, and what behaviour hands back: [`Request`] in, [`Reply`]
//! out, through a [`Handler`] per action.

use std::time::Duration;

use serde_json::{Map, Value, json};

/// A request as a handler sees it: the action and its parameters in wire form (the PHP array
/// WHMCS would see), credentials removed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    /// The action as sent (`GetInvoices`).
    pub action: String,
    /// The parameters, as PHP's `$_POST` holds them.
    pub params: Map<String, Value>,
}

/// One request the server received, as its journal keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Received {
    /// The action as sent.
    pub action: String,
    /// The parameters, credentials removed.
    pub params: Map<String, Value>,
    /// Everything the form body held, credentials included (to check what reached the server).
    pub form: Map<String, Value>,
}

/// What goes back on the wire: status, headers, body, and optionally a delay or a dropped
/// connection instead of an answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// How long to wait before answering.
    pub delay: Option<Duration>,
    /// Close the connection without answering.
    pub drop_connection: bool,
}

impl Reply {
    /// A body with status 200 and `Content-Type: application/json`.
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
            delay: None,
            drop_connection: false,
        }
    }

    /// A JSON answer with status 200.
    pub fn json(value: &Value) -> Self {
        Self::raw(200, value.to_string())
    }

    /// `{"result": "success", …fields}` with status 200.
    pub fn success(fields: Map<String, Value>) -> Self {
        let mut map = Map::new();
        map.insert("result".into(), json!("success"));
        map.extend(fields.into_iter().filter(|(k, _)| k != "result"));
        Self::json(&Value::Object(map))
    }

    /// `{"result": "error", "message": …}` with status 200, as WHMCS answers a refused call.
    pub fn error(message: &str) -> Self {
        Self::json(&json!({"result": "error", "message": message}))
    }

    /// The same reply with another status.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The same reply with one more header.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same reply, sent after `delay`.
    #[must_use]
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// No answer: the connection is closed once the request is read.
    pub fn dropped() -> Self {
        Self {
            drop_connection: true,
            ..Self::raw(200, Vec::new())
        }
    }
}

/// Answers requests for one action (or, for a scripted server, every request).
pub trait Handler: Send + Sync + 'static {
    /// The reply to `request`.
    fn handle(&self, request: &Request) -> Reply;
}

impl<F: Fn(&Request) -> Reply + Send + Sync + 'static> Handler for F {
    fn handle(&self, request: &Request) -> Reply {
        self(request)
    }
}
