//! The error of a call: WHMCS said no, access was refused, the transport failed, or the answer
//! could not be read. Nothing secret is ever part of its text.

use std::fmt;

/// Why a call failed. `E` is the action's own error enum (e.g. `AddCancelRequestError`).
///
/// ```no_run
/// # async fn run(client: whmcs_api::Client) {
/// use whmcs_api::Error;
/// use whmcs_api::actions::AddCancelRequestError;
/// match client.add_cancel_request(42).await {
///     Ok(_) => println!("filed"),
///     Err(Error::Api { error: AddCancelRequestError::ExistingCancellationRequestExists, .. }) => {
///         println!("already filed")
///     }
///     Err(e) => eprintln!("{e}"), // WHMCS's message as it was sent, for API errors
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// WHMCS answered `result: error`: `error` is the documented variant the message matched (or
    /// `Unknown`), `message` the text exactly as WHMCS sent it.
    Api {
        /// The variant of the action's error enum.
        error: E,
        /// The message as WHMCS sent it.
        message: String,
    },
    /// WHMCS refused the credentials, the caller's IP, or the permission for this action.
    Access(AccessError),
    /// The request did not complete: connection, timeout, HTTP status without a usable answer.
    Transport(TransportError),
    /// An answer arrived but is not a WHMCS answer (HTML, empty, truncated, too large…).
    Decode(DecodeError),
    /// The parameters are not a valid request (only from wire-form input).
    InvalidParams(InvalidParams),
}

impl<E> Error<E> {
    /// The action's documented error, if WHMCS answered with one.
    pub fn api(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// WHMCS's message as it was sent, when WHMCS answered `result: error`.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. } => Some(message),
            Error::Access(a) => Some(a.message()),
            _ => None,
        }
    }

    /// Whether WHMCS answered `result: error` (any message, access errors included).
    pub fn is_api(&self) -> bool {
        matches!(self, Error::Api { .. } | Error::Access(_))
    }

    /// Whether the request failed on the way (connect, timeout, status).
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
    }

    /// Whether the answer could not be read.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode(_))
    }

    /// Whether the credentials, IP or permissions were refused.
    pub fn is_access(&self) -> bool {
        matches!(self, Error::Access(_))
    }

    /// Converts the action's error into another type, keeping every other kind.
    pub fn map_api<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api { error, message } => Error::Api {
                error: f(error),
                message,
            },
            Error::Access(e) => Error::Access(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Decode(e) => Error::Decode(e),
            Error::InvalidParams(e) => Error::InvalidParams(e),
        }
    }
}

impl<E: crate::ApiError> Error<E> {
    /// The same error with the action's error enum replaced by its variant name and WHMCS's
    /// message, so that errors of different actions fit one type.
    ///
    /// ```
    /// use whmcs_api::actions::AddCancelRequest;
    /// let err = whmcs_api::decode_response::<AddCancelRequest>(br#"{"result":"error","message":"SERVICE ID NOT FOUND"}"#)
    ///     .unwrap_err()
    ///     .erase();
    /// let api = err.api().unwrap();
    /// assert_eq!((api.variant.as_str(), api.message.as_str()), ("ServiceIdNotFound", "SERVICE ID NOT FOUND"));
    /// ```
    pub fn erase(self) -> Error<ErrorMessage> {
        match self {
            Error::Api { error, message } => Error::Api {
                error: ErrorMessage {
                    variant: error.variant().to_string(),
                    message: message.clone(),
                },
                message,
            },
            Error::Access(e) => Error::Access(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Decode(e) => Error::Decode(e),
            Error::InvalidParams(e) => Error::InvalidParams(e),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { message, .. } => write!(f, "WHMCS error: {message}"),
            Error::Access(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::InvalidParams(e) => write!(f, "invalid parameters: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::Access(e) => Some(e),
            Error::Transport(e) => e
                .source
                .as_deref()
                .map(|s| s as &(dyn std::error::Error + 'static)),
            Error::Decode(e) => Some(e),
            Error::InvalidParams(e) => Some(e),
        }
    }
}

/// WHMCS refused the call before running it; the same on every action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessError {
    kind: AccessKind,
    message: String,
}

/// Which refusal an [`AccessError`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccessKind {
    /// Wrong identifier/secret or username/password.
    AuthenticationFailed,
    /// The caller's IP is not on the API allow-list (WHMCS names the IP).
    InvalidIp(String),
    /// The credentials' role may not call this action (WHMCS's message follows the colon).
    InvalidPermissions(String),
    /// The access key is missing or wrong.
    InvalidAccessKey,
}

impl AccessError {
    /// Recognises WHMCS's access messages.
    pub fn from_message(msg: &str) -> Option<Self> {
        let m = msg.trim();
        let lower = m.to_ascii_lowercase();
        let kind = if lower == "authentication failed" {
            AccessKind::AuthenticationFailed
        } else if lower.starts_with("invalid ip") {
            AccessKind::InvalidIp(m["invalid ip".len()..].trim().to_string())
        } else if lower.starts_with("invalid permissions") {
            AccessKind::InvalidPermissions(
                m["invalid permissions".len()..]
                    .trim_start_matches(':')
                    .trim()
                    .to_string(),
            )
        } else if lower.contains("access key") {
            AccessKind::InvalidAccessKey
        } else {
            return None;
        };
        Some(Self {
            kind,
            message: msg.to_string(),
        })
    }

    /// Which refusal it is.
    pub fn kind(&self) -> &AccessKind {
        &self.kind
    }

    /// The message as WHMCS sent it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AccessError {}

/// What went wrong on the way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be made: refused, timed out while connecting, or the name did
    /// not resolve. Nothing was sent, so every action may be retried.
    Connect,
    /// The TLS handshake failed, most often because the server's certificate was refused
    /// (unknown issuer, expired, issued for another name). Nothing was sent; not retried, as
    /// the same certificate would be refused again.
    Tls,
    /// The call took longer than the timeout once the connection was open.
    Timeout,
    /// The server answered with a redirect (this HTTP status). Redirects are never followed:
    /// the request, credentials included, would be sent to wherever `Location` points.
    Redirect(u16),
    /// WHMCS answered this HTTP status without a WHMCS answer in the body.
    Status(u16),
    /// The answer was larger than the configured limit.
    TooLarge,
    /// Anything else the HTTP client reported.
    Other,
}

/// The request did not complete.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) action: &'static str,
    pub(crate) kind: TransportKind,
    pub(crate) attempts: u32,
    pub(crate) maybe_applied: bool,
    pub(crate) detail: String,
    pub(crate) location: Option<String>,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// What went wrong.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// The action that was called.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the request may have reached WHMCS (so it was not sent again).
    pub fn maybe_applied(&self) -> bool {
        self.maybe_applied
    }

    /// Where a redirect pointed (its `Location`, credentials removed), for
    /// [`TransportKind::Redirect`].
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// What the HTTP client or the TLS verifier said, or the beginning of the body for a status
    /// without a WHMCS answer (credentials removed).
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportKind::Connect => "could not connect".to_string(),
            TransportKind::Tls => "TLS handshake failed".to_string(),
            TransportKind::Timeout => "timed out".to_string(),
            TransportKind::Redirect(s) => match &self.location {
                Some(to) => format!(
                    "WHMCS answered a redirect to {to} (HTTP {s}): use that URL; redirects are not followed"
                ),
                None => format!("WHMCS answered a redirect (HTTP {s}) without a Location"),
            },
            TransportKind::Status(s) => format!("HTTP status {s} without a WHMCS answer"),
            TransportKind::TooLarge => "answer larger than the configured limit".to_string(),
            TransportKind::Other => "request failed".to_string(),
        };
        write!(f, "{}: {what}", self.action)?;
        if self.kind == TransportKind::Tls {
            write!(f, ": {}", self.detail)?;
        } else if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if self.maybe_applied {
            f.write_str("; the request may have been applied; not retried")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// The answer is not a WHMCS answer.
#[derive(Clone, Debug)]
pub struct DecodeError {
    pub(crate) action: &'static str,
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) snippet: String,
}

impl DecodeError {
    /// The action that was called.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// What is wrong with the answer.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot read the answer (HTTP {}): {}",
            self.action, self.status, self.reason
        )?;
        if !self.snippet.is_empty() {
            write!(f, "; it starts with {:?}", self.snippet)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// A client could not be built from the given settings.
#[derive(Debug)]
pub struct BuildError(pub(crate) String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// A WHMCS error message, for calls whose error type is not known at compile time (and what
/// [`Error::erase`] turns an action's error into).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMessage {
    /// The variant of the action's error enum it matched (`Unknown` when none did).
    pub variant: String,
    /// The message as WHMCS sent it.
    pub message: String,
}

impl fmt::Display for ErrorMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorMessage {}

/// Why wire-form parameters do not make a valid request: every problem found, one per entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidParams {
    pub(crate) problems: Vec<String>,
}

impl InvalidParams {
    /// One problem.
    pub fn new(problem: impl Into<String>) -> Self {
        Self {
            problems: vec![problem.into()],
        }
    }

    /// Each problem, e.g. "missing required parameter `serviceid`".
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for InvalidParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("; "))
    }
}

impl std::error::Error for InvalidParams {}

/// A text that is not one of an enum's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidValue(String);

impl InvalidValue {
    pub(crate) fn new(msg: String) -> Self {
        Self(msg)
    }
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidValue {}
/// Whether WHMCS's message is this documented one (ignoring case and surrounding space).
pub fn message_is(msg: &str, documented: &str) -> bool {
    msg.trim().eq_ignore_ascii_case(documented.trim())
}

/// Matches a message against the fixed parts of a template, returning the filled-in parts. The
/// fixed text alone (every part left empty, as the reference writes some messages: up to where
/// WHMCS fills in) matches too.
pub fn match_template(msg: &str, parts: &[&str]) -> Option<Vec<String>> {
    let msg = msg.trim();
    if !parts.is_empty() && msg.eq_ignore_ascii_case(parts.concat().trim()) {
        return Some(vec![String::new(); parts.len() - 1]);
    }
    let lower = msg.to_ascii_lowercase();
    let (first, rest) = parts.split_first()?;
    if !lower.starts_with(&first.to_ascii_lowercase()) {
        return None;
    }
    let mut pos = first.len();
    let mut caps = Vec::new();
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let p = part.to_ascii_lowercase();
        let found = if last {
            if p.is_empty() {
                Some(lower.len())
            } else {
                lower[pos..]
                    .ends_with(p.trim_end())
                    .then(|| lower.len() - p.trim_end().len())
            }
        } else {
            lower[pos..].find(&p).map(|i| pos + i)
        };
        let at = found?;
        if at < pos {
            return None;
        }
        caps.push(msg[pos..at].trim().to_string());
        pos = at + p.len();
    }
    Some(caps)
}
