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

use std::collections::BTreeMap;
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
        let state = Arc::new(Mutex::new(State::default()));
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
        match state.handle(info, params) {
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

#[derive(Debug, Default)]
struct State {
    requests: usize,
    next_id: i64,
    services: BTreeMap<i64, Service>,
    invoices: BTreeMap<i64, Map<String, Value>>,
}

#[derive(Debug)]
struct Service {
    client: i64,
    cancel_requested: bool,
}

fn int(p: &Map<String, Value>, key: &str) -> Option<i64> {
    p.get(key).and_then(|v| match v {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    })
}

fn items(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(o)) => o.values().cloned().collect(),
        Some(other) => vec![other.clone()],
        None => Vec::new(),
    }
}

impl State {
    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn handle(&mut self, info: &ActionInfo, p: &Map<String, Value>) -> Result<Value, String> {
        match info.name {
            "AddOrder" => {
                let client = int(p, "clientid").unwrap_or(0);
                let order = self.id();
                let mut ids = Vec::new();
                for _ in items(p.get("pid")) {
                    let id = self.id();
                    self.services.insert(
                        id,
                        Service {
                            client,
                            cancel_requested: false,
                        },
                    );
                    ids.push(id.to_string());
                }
                let invoice = self.id();
                self.invoices
                    .insert(invoice, invoice_row(invoice, client, "Unpaid", "0.00"));
                Ok(
                    json!({"result": "success", "orderid": order, "serviceids": ids.join(","), "addonids": "", "domainids": "", "invoiceid": invoice}),
                )
            }
            "AddCancelRequest" => {
                let id = int(p, "serviceid").unwrap_or(0);
                let service = self.services.get_mut(&id).ok_or("Service ID Not Found")?;
                if service.cancel_requested {
                    return Err("Existing Cancellation Request Exists".into());
                }
                service.cancel_requested = true;
                Ok(json!({"result": "success", "serviceid": id, "userid": service.client}))
            }
            "CreateInvoice" => {
                let client = int(p, "userid").unwrap_or(0);
                let id = self.id();
                let total: f64 = (1..)
                    .map_while(|n| p.get(&format!("itemamount{n}")))
                    .filter_map(|v| v.as_str()?.parse::<f64>().ok())
                    .sum();
                let status = p
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or("Unpaid")
                    .to_string();
                self.invoices
                    .insert(id, invoice_row(id, client, &status, &format!("{total:.2}")));
                Ok(json!({"result": "success", "invoiceid": id, "status": status}))
            }
            "GetInvoices" => {
                let start = int(p, "limitstart").unwrap_or(0).max(0) as usize;
                let num = int(p, "limitnum").unwrap_or(25).max(0) as usize;
                let user = int(p, "userid");
                let status = p.get("status").and_then(Value::as_str);
                let rows: Vec<&Map<String, Value>> = self
                    .invoices
                    .values()
                    .filter(|i| user.is_none_or(|u| int(i, "userid") == Some(u)))
                    .filter(|i| {
                        status.is_none_or(|s| i.get("status").and_then(Value::as_str) == Some(s))
                    })
                    .collect();
                let page: Vec<Value> = rows
                    .iter()
                    .skip(start)
                    .take(num)
                    .map(|r| Value::Object((*r).clone()))
                    .collect();
                Ok(
                    json!({"result": "success", "totalresults": rows.len(), "startnumber": start, "numreturned": page.len(), "invoices": {"invoice": page}}),
                )
            }
            _ => Ok(example_answer(info, p)),
        }
    }
}

fn invoice_row(id: i64, client: i64, status: &str, total: &str) -> Map<String, Value> {
    let row = json!({
        "id": id, "userid": client, "firstname": "Mock", "lastname": "Client", "companyname": "",
        "invoicenum": "", "date": "2026-01-01", "duedate": "2026-01-08", "datepaid": "0000-00-00 00:00:00",
        "subtotal": total, "credit": "0.00", "tax": "0.00", "tax2": "0.00", "total": total,
        "taxrate": "0.000", "taxrate2": "0.000", "status": status, "paymentmethod": "mailin", "notes": "",
        "currencycode": "USD", "currencyprefix": "$", "currencysuffix": " USD"
    });
    match row {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The spec's example answer, with ids taken from the request where the names match.
fn example_answer(info: &ActionInfo, p: &Map<String, Value>) -> Value {
    let mut answer: Value = info
        .example_response
        .and_then(|e| serde_json::from_str(e).ok())
        .unwrap_or_else(|| json!({"result": "success"}));
    if let Value::Object(map) = &mut answer {
        for (k, v) in map.iter_mut() {
            if let Some(given) = p.get(k).filter(|g| !g.is_object() && !g.is_array())
                && k.ends_with("id")
            {
                *v = given.clone();
            }
        }
        if let (Some(id), Some(Value::Object(client))) = (p.get("clientid"), map.get_mut("client"))
        {
            for key in ["client_id", "userid", "id"] {
                if client.contains_key(key) {
                    client.insert(key.into(), id.clone());
                }
            }
        }
    }
    answer
}
