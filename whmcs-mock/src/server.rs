//! The transport: a hyper server on loopback that reads form bodies as PHP does (with PHP's
//! limits), authenticates, routes each action to its handler, and keeps a journal.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, StatusCode};
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use whmcs_api::{Client, ClientBuilder};

use crate::auth::{RESERVED, authenticated};
use crate::behaviour::{Handler, Received, Reply, Request};
use crate::config::MockConfig;
use crate::faults::{Armed, Fault, Times};
use crate::shared::Shared;

/// PHP's default `post_max_size` (8 MiB): larger bodies are refused.
const MAX_BODY: usize = 8 << 20;
/// How long a client may take to send a request's headers, or stay idle between requests.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may take to send a request's body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// A running mock server; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// Starts a server on a free loopback port with the default credentials.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(MockConfig::default()).await
    }

    /// Starts a server with the given settings.
    pub async fn start_with(config: MockConfig) -> std::io::Result<Self> {
        let addr = config.addr;
        Self::launch(addr, Shared::open(config)?).await
    }

    /// Starts a server that answers every request (any path, with or without credentials)
    /// with `script`, and records them: for testing how a client copes with answers no real
    /// WHMCS would send.
    pub async fn start_scripted(script: impl Handler) -> std::io::Result<Self> {
        Self::launch(
            MockConfig::default().addr,
            Shared::scripted(Arc::new(script)),
        )
        .await
    }

    async fn launch(addr: SocketAddr, shared: Shared) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(shared);
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
        &self.shared.config().identifier
    }

    /// The API secret it accepts.
    pub fn secret(&self) -> &str {
        &self.shared.config().secret
    }

    /// A client builder already pointed at this server with its credentials.
    pub fn client_builder(&self) -> ClientBuilder {
        let c = self.shared.config();
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
        self.shared.on(action, Arc::new(handler));
    }

    /// Forgets every handler set with [`MockServer::on`], every fault, the journal, and the
    /// state (back to a fresh installation). With a state file the reset is saved before any
    /// change that follows it.
    pub fn reset(&self) {
        drop(self.shared.reset());
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
    /// With a state file the new state is saved before any change that follows it.
    pub fn seed(&self, state: Value) -> Result<(), String> {
        self.shared.seed(state).map(drop)
    }

    /// Moves the mock's clock on by `days`, running WHMCS's daily automation for each.
    pub fn advance_days(&self, days: u32) {
        drop(self.shared.advance(days));
    }

    /// The mock's today.
    pub fn today(&self) -> whmcs_api::Date {
        self.shared.today()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
        // Connections still open keep `shared` alive: stop saving now, so that a server
        // started next on the same state file finds every change there.
        self.shared.stop();
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
                async move { serve(&shared, req).await }
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

/// Answers one HTTP request, after the latency and any delay its reply asks for.
async fn serve(
    shared: &Shared,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let reply = reply(shared, req).await;
    if let Some(delay) = shared
        .latency()
        .into_iter()
        .chain(reply.delay)
        .reduce(|a, b| a + b)
    {
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

/// Routes a request: control calls, then the API (body read as PHP reads it, recorded,
/// authenticated, answered).
async fn reply(shared: &Shared, req: hyper::Request<Incoming>) -> Reply {
    let api_call = req.uri().path() == "/includes/api.php";
    let script = shared.script();
    if script.is_none() && req.uri().path().starts_with(crate::control::PREFIX) {
        return crate::control::serve(shared, req).await;
    }
    if script.is_none() {
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
    let parsed = whmcs_php::parse_post(&body, shared.config().limits);
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
    shared.record(Received {
        action: action.clone(),
        params: params.clone(),
        form: form.clone(),
    });
    if let Some(script) = script {
        return script.handle(&Request {
            action,
            params: form,
        });
    }
    if !authenticated(shared.config(), &form) {
        return Reply::error("Authentication Failed").with_status(403);
    }
    shared.answer(&Request { action, params }).await
}
