//! The transport: a hyper server on loopback that reads form bodies as PHP does (with PHP's
//! limits), authenticates, routes each action to its handler, and keeps a journal.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, StatusCode};
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use whmcs_api::{Action, ActionInfo, Client, ClientBuilder, Effect, find_action};
use whmcs_php::Limits;

use crate::auth::{RESERVED, authenticated};
use crate::behaviour::{Handler, Received, Reply, Request};
use crate::faults::{Armed, Fault, Times};
use crate::world::State;

/// PHP's default `post_max_size` (8 MiB): larger bodies are refused.
const MAX_BODY: usize = 8 << 20;
/// How long a client may take to send a request's headers, or stay idle between requests.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send a request's body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Address, credentials and behaviour of a mock server.
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
    /// Actions declared outside `whmcs-api` that it answers too (see [`MockConfig::with_action`]).
    pub custom_actions: Vec<ActionInfo>,
    /// Where to keep the state across restarts (read at start, saved after each change);
    /// `None` keeps it in memory only.
    pub state_file: Option<PathBuf>,
    /// PHP's input limits applied to request bodies (`max_input_vars`,
    /// `max_input_nesting_level`).
    pub limits: Limits,
    /// A state to start from (the JSON of [`MockServer::snapshot`]), used when there is no
    /// state file yet.
    pub seed: Option<Value>,
    /// How long every answer waits, as a slow WHMCS would (default none).
    pub latency: Option<Duration>,
}

impl MockConfig {
    /// Also answers action `A`, declared in your own crate, from its spec's example.
    #[must_use]
    pub fn with_action<A: Action>(mut self) -> Self {
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
            limits: Limits::default(),
            seed: None,
            latency: None,
        }
    }
}

/// A running mock server; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

pub(crate) struct Shared {
    config: MockConfig,
    state: Mutex<State>,
    journal: Mutex<Vec<Received>>,
    overrides: Mutex<HashMap<String, Arc<dyn Handler>>>,
    faults: Mutex<HashMap<String, Armed>>,
    /// Set at run time; else the config's.
    latency: Mutex<Option<Duration>>,
    /// Answers every request, authenticated or not, when set (a scripted server).
    script: Option<Arc<dyn Handler>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl MockServer {
    /// Starts a server on a free loopback port with the default credentials.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(MockConfig::default()).await
    }

    /// Starts a server with the given settings.
    pub async fn start_with(config: MockConfig) -> std::io::Result<Self> {
        let seeded = match &config.seed {
            Some(seed) => crate::control::state_from(seed.clone())
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
            None => State::default(),
        };
        let state = match &config.state_file {
            Some(path) if path.exists() => crate::store::load(path)?,
            _ => seeded,
        };
        Self::launch(config, state, None).await
    }

    /// Starts a server that answers every request (any path, with or without credentials)
    /// with `script`, and records them: for testing how a client copes with answers no real
    /// WHMCS would send.
    pub async fn start_scripted(script: impl Handler) -> std::io::Result<Self> {
        Self::launch(
            MockConfig::default(),
            State::default(),
            Some(Arc::new(script)),
        )
        .await
    }

    async fn launch(
        config: MockConfig,
        state: State,
        script: Option<Arc<dyn Handler>>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            state: Mutex::new(state),
            journal: Mutex::new(Vec::new()),
            overrides: Mutex::new(HashMap::new()),
            faults: Mutex::new(HashMap::new()),
            latency: Mutex::new(None),
            script,
        });
        let task = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(Self { addr, shared, task })
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
        &self.shared.config.identifier
    }

    /// The API secret it accepts.
    pub fn secret(&self) -> &str {
        &self.shared.config.secret
    }

    /// A client builder already pointed at this server with its credentials.
    pub fn client_builder(&self) -> ClientBuilder {
        let c = &self.shared.config;
        let mut b = Client::builder()
            .url(self.url())
            .api_credentials(&c.identifier, &c.secret);
        if let Some(key) = &c.access_key {
            b = b.access_key(key);
        }
        b
    }

    /// A client for this server.
    pub fn client(&self) -> Result<Client, whmcs_api::BuildError> {
        self.client_builder().build()
    }

    /// Every request received so far (authenticated or not), oldest first.
    pub fn requests(&self) -> Vec<Received> {
        self.shared.journal()
    }

    /// Answers `action` with `handler` from now on, instead of the built-in behaviour (the
    /// request is still authenticated first).
    ///
    /// ```no_run
    /// # async fn run(mock: whmcs_mock::MockServer) {
    /// use whmcs_mock::Reply;
    /// mock.on("GetInvoices", |_: &whmcs_mock::Request| Reply::raw(503, "<html>busy</html>"));
    /// # }
    /// ```
    pub fn on(&self, action: &str, handler: impl Handler) {
        lock(&self.shared.overrides).insert(action.to_ascii_lowercase(), Arc::new(handler));
    }

    /// Forgets every handler set with [`MockServer::on`], every fault, the journal, and the
    /// state (back to a fresh installation).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Makes `action`'s answers go wrong as `fault` says, `times` times (see [`Fault`]).
    ///
    /// ```no_run
    /// # async fn run(mock: whmcs_mock::MockServer) {
    /// use whmcs_mock::{Fault, Times};
    /// mock.fault("AddOrder", Fault::Status(503), Times::Next(1)); // one 503, then normal again
    /// # }
    /// ```
    pub fn fault(&self, action: &str, fault: Fault, times: Times) {
        self.shared.arm(action, Armed::new(fault, times));
    }

    /// Makes every answer wait `latency` first (`None` answers at once).
    pub fn set_latency(&self, latency: Option<Duration>) {
        self.shared.set_latency(latency);
    }

    /// The whole state as JSON (the format `seed` and [`MockConfig::seed`] take).
    pub fn snapshot(&self) -> Value {
        self.shared.snapshot()
    }

    /// Replaces the state with `state` (the JSON of [`MockServer::snapshot`]).
    pub fn seed(&self, state: Value) -> Result<(), String> {
        self.shared.seed(state)
    }

    /// Moves the mock's clock on by `days`, running WHMCS's daily automation for each.
    pub fn advance_days(&self, days: u32) {
        self.shared.advance(days);
    }

    /// The mock's today.
    pub fn today(&self) -> whmcs_api::Date {
        lock(&self.shared.state).today()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut backoff = Duration::from_millis(5);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => {
                backoff = Duration::from_millis(5);
                stream
            }
            Err(e) => {
                // Out of file descriptors, or the like: wait rather than spin.
                tracing::warn!(error = %e, "mock server cannot accept a connection");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let shared = shared.clone();
                async move { shared.serve(req).await }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(io, service)
                .await;
        });
    }
}

/// The error that makes hyper close a connection without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

impl Shared {
    async fn serve(
        &self,
        req: hyper::Request<Incoming>,
    ) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
        let reply = self.reply(req).await;
        let latency = (*lock(&self.latency)).or(self.config.latency);
        if let Some(delay) = latency.into_iter().chain(reply.delay).reduce(|a, b| a + b) {
            tokio::time::sleep(delay).await;
        }
        if reply.drop_connection {
            return Err(Dropped);
        }
        let mut r = hyper::Response::new(Full::new(Bytes::from(reply.body)));
        *r.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
        for (k, v) in reply.headers {
            if let (Ok(k), Ok(v)) = (
                hyper::header::HeaderName::try_from(k),
                hyper::header::HeaderValue::try_from(v),
            ) {
                r.headers_mut().insert(k, v);
            }
        }
        Ok(r)
    }

    async fn reply(&self, req: hyper::Request<Incoming>) -> Reply {
        let api_call = req.uri().path() == "/includes/api.php";
        if self.script.is_none() && req.uri().path().starts_with(crate::control::PREFIX) {
            return crate::control::serve(self, req).await;
        }
        if self.script.is_none() {
            if !api_call {
                return Reply::error("Not Found").with_status(404);
            }
            if req.method() != Method::POST {
                return Reply::error("Use POST").with_status(405);
            }
        }
        let body = Limited::new(req.into_body(), MAX_BODY).collect();
        let body = match tokio::time::timeout(BODY_TIMEOUT, body).await {
            Ok(Ok(b)) => b.to_bytes(),
            Ok(Err(_)) => return Reply::error("Request Too Large").with_status(413),
            Err(_) => return Reply::error("Request Timeout").with_status(408),
        };
        let parsed = whmcs_php::parse_post(&body, self.config.limits);
        if parsed.vars_exceeded || parsed.too_deep > 0 {
            tracing::warn!(
                vars_exceeded = parsed.vars_exceeded,
                too_deep = parsed.too_deep,
                "request past PHP's input limits; the excess was dropped as PHP drops it"
            );
        }
        let form = parsed.params;
        let action = form
            .get("action")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let params: Map<String, Value> = form
            .iter()
            .filter(|(k, _)| !RESERVED.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        lock(&self.journal).push(Received {
            action: action.clone(),
            params: params.clone(),
            form: form.clone(),
        });
        let request = Request { action, params };
        if let Some(script) = &self.script {
            return script.handle(&Request {
                action: request.action,
                params: form,
            });
        }
        if !authenticated(&self.config, &form) {
            return Reply::error("Authentication Failed").with_status(403);
        }
        let armed = lock(&self.faults)
            .get_mut(&request.action.to_ascii_lowercase())
            .and_then(|a| a.strike().map(|hit| hit.then(|| a.fault.clone())));
        if let Some(Some(fault)) = armed {
            return fault.apply(|| self.normal(&request));
        }
        self.normal(&request)
    }

    /// The answer without faults: a handler set with `on`, else the built-in behaviour.
    fn normal(&self, request: &Request) -> Reply {
        let handler = lock(&self.overrides)
            .get(&request.action.to_ascii_lowercase())
            .cloned();
        if let Some(handler) = handler {
            return handler.handle(request);
        }
        self.builtin(request)
    }

    pub(crate) fn config(&self) -> &MockConfig {
        &self.config
    }

    pub(crate) fn reset(&self) {
        lock(&self.overrides).clear();
        lock(&self.faults).clear();
        lock(&self.journal).clear();
        *lock(&self.state) = State::default();
    }

    pub(crate) fn seed(&self, state: Value) -> Result<(), String> {
        *lock(&self.state) = crate::control::state_from(state)?;
        Ok(())
    }

    pub(crate) fn snapshot(&self) -> Value {
        crate::control::snapshot(&lock(&self.state))
    }

    pub(crate) fn advance(&self, days: u32) {
        lock(&self.state).advance(days);
    }

    pub(crate) fn journal(&self) -> Vec<Received> {
        lock(&self.journal).clone()
    }

    pub(crate) fn arm(&self, action: &str, armed: Armed) {
        lock(&self.faults).insert(action.to_ascii_lowercase(), armed);
    }

    pub(crate) fn set_latency(&self, latency: Option<Duration>) {
        *lock(&self.latency) = latency;
    }

    fn find(&self, action: &str) -> Option<&ActionInfo> {
        self.config
            .custom_actions
            .iter()
            .find(|i| i.name().eq_ignore_ascii_case(action))
            .or_else(|| find_action(action).filter(|i| i.name().eq_ignore_ascii_case(action)))
    }

    /// The built-in behaviour: the model (see `world`), which applies the spec's checks.
    fn builtin(&self, request: &Request) -> Reply {
        let Some(info) = self.find(&request.action) else {
            return Reply::error("Command Not Found");
        };
        let mut state = lock(&self.state);
        let before = (info.effect() != Effect::Read && self.config.state_file.is_some())
            .then(|| state.clone());
        let (answer, source) = state.answer(info, &request.params);
        if let (Some(before), Some(path), Ok(_)) = (before, &self.config.state_file, &answer)
            && let Err(e) = crate::store::save(&state, path)
        {
            // Nothing is acknowledged that was not kept.
            *state = before;
            tracing::warn!(path = %path.display(), error = %e, "cannot save the mock state");
            return Reply::error(&format!("Could not save the mock state: {e}")).with_status(500);
        }
        let reply = match answer {
            Ok(v) => Reply::json(&v),
            Err(msg) => Reply::error(&msg),
        };
        reply.with_header("x-mock-source", source.as_str())
    }
}
