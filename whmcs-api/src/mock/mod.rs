//! An embedded mock WHMCS: the real protocol on loopback, requests checked against the specs,
//! answers built from the specs' examples, and in-memory state for the core flows (orders and
//! services, cancellations, invoices), so code can be tested without a WHMCS licence.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = whmcs_api::mock::MockServer::start().await?;
//! let client = mock.client()?;
//! let order = client.add_order(1, "mailin").pid([1]).await?;
//! println!("service {:?}", order.serviceids);
//! # Ok(()) }
//! ```

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use md5::{Digest, Md5};
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

use crate::{ActionInfo, Client, ClientBuilder, find_action, parse_str};

mod state;

pub use state::DOCUMENTED_MESSAGES;
use state::State;

/// Credentials and address of a mock server.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub addr: SocketAddr,
    /// The API identifier it accepts.
    pub identifier: String,
    /// The API secret it accepts.
    pub secret: String,
    /// An admin login (`username`, plain password) it accepts with the MD5 of the password.
    pub admin: Option<(String, String)>,
    /// The access key it requires, if any.
    pub access_key: Option<String>,
    /// Actions declared outside this crate that it answers too (see [`MockConfig::with_action`]).
    pub custom_actions: Vec<ActionInfo>,
    /// Where to keep the state across restarts (read at start, rewritten atomically after each
    /// change); `None` keeps it in memory only.
    pub state_file: Option<std::path::PathBuf>,
}

impl MockConfig {
    /// Also answers action `A`, declared in your own crate, from its spec's example.
    #[must_use]
    pub fn with_action<A: crate::Action>(mut self) -> Self {
        self.custom_actions.push(A::INFO);
        self
    }
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            identifier: "mock-identifier".into(),
            secret: "mock-secret".into(),
            admin: None,
            access_key: None,
            custom_actions: Vec::new(),
            state_file: None,
        }
    }
}

/// A running mock server; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    config: MockConfig,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// Starts a server on a free loopback port with the default credentials.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(MockConfig::default()).await
    }

    /// Starts a server with the given settings.
    pub async fn start_with(config: MockConfig) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let state = match &config.state_file {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path)?;
                serde_json::from_str(&text).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{}: not a mock state file: {e}", path.display()),
                    )
                })?
            }
            _ => State::default(),
        };
        let state = Arc::new(Mutex::new(state));
        let shared = Arc::new(Shared {
            config: config.clone(),
            state: state.clone(),
        });
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(shared.handle(req).await) }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        Ok(Self {
            addr,
            config,
            state,
            task,
        })
    }

    /// The installation URL (`http://127.0.0.1:PORT/`); the API is at `includes/api.php` below it.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API identifier it accepts.
    pub fn identifier(&self) -> &str {
        &self.config.identifier
    }

    /// The API secret it accepts.
    pub fn secret(&self) -> &str {
        &self.config.secret
    }

    /// A client builder already pointed at this server with its credentials.
    pub fn client_builder(&self) -> ClientBuilder {
        let mut b = Client::builder()
            .url(self.url())
            .api_credentials(&self.config.identifier, &self.config.secret);
        if let Some(key) = &self.config.access_key {
            b = b.access_key(key);
        }
        b
    }

    /// A client for this server.
    pub fn client(&self) -> Result<Client, crate::BuildError> {
        self.client_builder().build()
    }

    /// How many API requests it has received (authenticated or not).
    pub fn requests(&self) -> usize {
        lock(&self.state).requests
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Shared {
    config: MockConfig,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The largest request body accepted.
const MAX_BODY: usize = 8 << 20;

impl Shared {
    async fn handle(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        if req.uri().path() != "/includes/api.php" {
            return respond(
                StatusCode::NOT_FOUND,
                &json!({"result": "error", "message": "Not Found"}),
            );
        }
        if req.method() != hyper::Method::POST {
            return respond(
                StatusCode::METHOD_NOT_ALLOWED,
                &json!({"result": "error", "message": "Use POST"}),
            );
        }
        let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => {
                return respond(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &json!({"result": "error", "message": "Request Too Large"}),
                );
            }
        };
        let mut params = parse_str(&String::from_utf8_lossy(&body));
        let (status, answer) = self.answer(&mut params);
        respond(status, &answer)
    }

    fn answer(&self, params: &mut Map<String, Value>) -> (StatusCode, Value) {
        lock(&self.state).requests += 1;
        if !self.authenticated(params) {
            return (StatusCode::FORBIDDEN, error("Authentication Failed"));
        }
        for k in [
            "identifier",
            "secret",
            "username",
            "password",
            "accesskey",
            "responsetype",
        ] {
            params.remove(k);
        }
        let action = params
            .remove("action")
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let custom = self
            .config
            .custom_actions
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(&action));
        let Some(info) = custom
            .or_else(|| find_action(&action).filter(|i| i.name.eq_ignore_ascii_case(&action)))
        else {
            return (StatusCode::OK, error("Command Not Found"));
        };
        if let Err(e) = info.prepare(params.clone()) {
            return (StatusCode::OK, error(&format!("Invalid parameters: {e}")));
        }
        for rule in info.require_any {
            if !rule
                .params
                .iter()
                .any(|p| params.get(*p).is_some_and(|v| v != ""))
            {
                return (StatusCode::OK, error(rule.message));
            }
        }
        let mut state = lock(&self.state);
        let answer = state.handle(info, params);
        if answer.is_ok()
            && info.effect != crate::Effect::Read
            && let Some(path) = &self.config.state_file
            && let Err(e) = save(&state, path)
        {
            tracing::warn!(path = %path.display(), error = %e, "cannot save the mock state");
        }
        match answer {
            Ok(v) => (StatusCode::OK, v),
            Err(msg) => (StatusCode::OK, error(&msg)),
        }
    }

    fn authenticated(&self, p: &Map<String, Value>) -> bool {
        let get = |k: &str| p.get(k).and_then(Value::as_str);
        let c = &self.config;
        if let Some(key) = &c.access_key
            && get("accesskey") != Some(key.as_str())
        {
            return false;
        }
        let api = |id: Option<&str>, secret: Option<&str>| {
            id == Some(c.identifier.as_str()) && secret == Some(c.secret.as_str())
        };
        if api(get("identifier"), get("secret")) || api(get("username"), get("password")) {
            return true;
        }
        match (&c.admin, get("username"), get("password")) {
            (Some((user, pass)), Some(u), Some(p)) => {
                let hex: String = Md5::digest(pass.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                u == user && p.eq_ignore_ascii_case(&hex)
            }
            _ => false,
        }
    }
}

/// Writes the state to a temporary file beside `path` and renames it over `path`, so a crash
/// never leaves a half-written state.
fn save(state: &State, path: &std::path::Path) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

fn error(message: &str) -> Value {
    json!({"result": "error", "message": message})
}

fn respond(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body.to_string())));
    *r.status_mut() = status;
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    r
}
