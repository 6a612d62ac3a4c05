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
use crate::store::Store;
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
    /// Where to keep the state across restarts; `None` keeps it in memory only.
    ///
    /// The file holds the state as JSON (a snapshot); each change accepted since is appended to
    /// `<file>.journal` and flushed to disk before it is acknowledged (a change that cannot be
    /// saved answers an error with HTTP 500 and is undone). At start the snapshot is read and the
    /// journal replayed; when the journal outgrows the snapshot, and when the server stops, the
    /// state is written as a new snapshot and the journal removed. Edit the file only while no
    /// mock runs on it: a journal that does not continue the file as it is then is ignored.
    pub state_file: Option<PathBuf>,
    /// PHP's input limits applied to request bodies (`max_input_vars`,
    /// `max_input_nesting_level`).
    pub limits: Limits,
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

struct Shared {
    config: MockConfig,
    state: Arc<Mutex<State>>,
    /// Where changes are saved, with a state file.
    store: Option<Store>,
    journal: Mutex<Vec<Received>>,
    overrides: Mutex<HashMap<String, Arc<dyn Handler>>>,
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
        let state = match &config.state_file {
            Some(path) => {
                let (state, disk) = crate::store::load(path)?;
                let state = Arc::new(Mutex::new(state));
                let store = Store::start(path, disk, state.clone())?;
                (state, Some(store))
            }
            None => (Arc::new(Mutex::new(State::default())), None),
        };
        Self::launch(config, state, None).await
    }

    /// Starts a server that answers every request (any path, with or without credentials)
    /// with `script`, and records them: for testing how a client copes with answers no real
    /// WHMCS would send.
    pub async fn start_scripted(script: impl Handler) -> std::io::Result<Self> {
        Self::launch(
            MockConfig::default(),
            (Arc::new(Mutex::new(State::default())), None),
            Some(Arc::new(script)),
        )
        .await
    }

    async fn launch(
        config: MockConfig,
        (state, store): (Arc<Mutex<State>>, Option<Store>),
        script: Option<Arc<dyn Handler>>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            state,
            store,
            journal: Mutex::new(Vec::new()),
            overrides: Mutex::new(HashMap::new()),
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
        lock(&self.shared.journal).clone()
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

    /// Forgets every handler set with [`MockServer::on`], the journal and the state (with a
    /// state file, the reset is saved before any change that follows it).
    pub fn reset(&self) {
        lock(&self.shared.overrides).clear();
        lock(&self.shared.journal).clear();
        let mut state = lock(&self.shared.state);
        *state = State::default();
        if let Some(store) = &self.shared.store {
            drop(store.reset());
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
        // Connections still open keep `shared` alive: stop saving now, so that a server
        // started next on the same state file finds every change there.
        if let Some(store) = &self.shared.store {
            store.stop();
        }
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
        if let Some(delay) = reply.delay {
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
        let handler = lock(&self.overrides)
            .get(&request.action.to_ascii_lowercase())
            .cloned();
        if let Some(handler) = handler {
            return handler.handle(&request);
        }
        self.builtin(&request).await
    }

    fn find(&self, action: &str) -> Option<&ActionInfo> {
        self.config
            .custom_actions
            .iter()
            .find(|i| i.name().eq_ignore_ascii_case(action))
            .or_else(|| find_action(action).filter(|i| i.name().eq_ignore_ascii_case(action)))
    }

    /// The built-in behaviour: the spec's checks, then the model.
    async fn builtin(&self, request: &Request) -> Reply {
        let Some(info) = self.find(&request.action) else {
            return Reply::error("Command Not Found");
        };
        if let Err(e) = info.prepare(request.params.clone()) {
            return Reply::error(&format!("Invalid parameters: {e}"));
        }
        for rule in info.require_any() {
            let given = rule
                .params()
                .iter()
                .any(|p| request.params.get(*p).is_some_and(|v| v != ""));
            if !given {
                return Reply::error(rule.message());
            }
        }
        if let Some(why) = self.store.as_ref().and_then(Store::broken) {
            return Reply::error(&format!("The mock state is unusable: {why}")).with_status(500);
        }
        let (answer, saved) = {
            let mut state = lock(&self.state);
            let answer = state.handle(info, &request.params);
            // Queued under the lock, so the journal keeps the order the changes were made in.
            let saved = self.store.as_ref().and_then(|store| {
                if info.effect() == Effect::Read {
                    store.barrier()
                } else {
                    Some(store.append(info.name(), &request.params))
                }
            });
            (answer, saved)
        };
        if let Some(saved) = saved
            && let Err(e) = saved.wait().await
        {
            // Nothing is acknowledged that was not kept.
            return Reply::error(&format!("Could not save the mock state: {e}")).with_status(500);
        }
        match answer {
            Ok(v) => Reply::json(&v),
            Err(msg) => Reply::error(&msg),
        }
    }
}
