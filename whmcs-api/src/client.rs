//! The HTTP client: credentials, transport security, timeouts, retries by side-effect class.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::action::{Action, Effect};
use crate::encode::EncodeFields;
use crate::error::{BuildError, Error, TransportError, TransportKind};
use crate::limit::{Pacing, RateLimit};
use crate::redact::Redactor;
use crate::response::decode_with_status;
use crate::secret::Secret;
use whmcs_php::Form;

/// A WHMCS API client. Cheap to clone: clones share one connection pool.
///
/// What it does with a server that misbehaves:
/// - **Redirects are never followed**: following one would send the whole request, credentials
///   included, wherever `Location` points. A 3xx answer is a [`TransportKind::Redirect`] error
///   naming the status and the target (use that URL instead); it is not retried.
/// - **Proxies**: a loopback URL and a plain `http://` URL never go through a proxy; `https://`
///   goes through the one `HTTPS_PROXY`/`ALL_PROXY` name unless `NO_PROXY` lists the host
///   ([`ClientBuilder::proxy`] and [`ClientBuilder::no_proxy`] choose explicitly).
/// - **Credentials never reach an error or a log**: any text taken from an answer (a message, the
///   start of an HTML page that echoes the request, a warning, a redirect target) has the
///   secret, password (and its MD5) and access key removed, in every encoding it may come back
///   in ([`Client::redact`] does the same for text of your own).
/// - **Nothing sent vs. maybe applied**: a refused or timed-out connection, a name that does not
///   resolve and a failed TLS handshake sent nothing, so every action is retried; once a request
///   may have reached WHMCS only `read` actions are. A refused certificate is named (unknown
///   issuer, expired, name mismatch) and not retried.
/// - **Memory**: an answer is read up to [`ClientBuilder::max_response_bytes`], and what an
///   answer announces (`numreturned`) reserves no more than its own size.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use whmcs_api::Client;
/// let client = Client::builder()
///     .url("https://billing.example.com")
///     .api_credentials("IDENTIFIER", "SECRET")
///     .build()?;
/// let invoices = client.get_invoices().limitnum(10).await?;
/// println!("{} invoices", invoices.totalresults.unwrap_or(0));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    url: reqwest::Url,
    credentials: Credentials,
    access_key: Option<Secret>,
    timeout: Duration,
    max_response_bytes: usize,
    retry: RetryPolicy,
    /// Removes the credentials from any text of an answer that reaches an error or a log.
    redactor: Redactor,
    /// The rate limit and the cap on requests in flight.
    pacing: Pacing,
}

#[derive(Clone, Debug)]
enum Credentials {
    Api {
        identifier: String,
        secret: Secret,
    },
    Login {
        username: String,
        password_md5: Secret,
    },
    None,
}

/// How calls are retried. Only `read` actions are sent again once a request may have reached
/// WHMCS; a connection that could not be opened is retried for every action.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled each time, with jitter.
    pub base_delay: Duration,
    /// The longest single delay (also caps `Retry-After`).
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// Settings for a [`Client`]; `build()` reports what is missing or wrong.
#[must_use]
#[derive(Debug, Default)]
pub struct ClientBuilder {
    url: Option<String>,
    identifier: Option<String>,
    secret: Option<Secret>,
    username: Option<String>,
    password: Option<Secret>,
    access_key: Option<Secret>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    allow_insecure_http: bool,
    max_response_bytes: Option<usize>,
    retry: Option<RetryPolicy>,
    root_certificates: Vec<Vec<u8>>,
    proxy: ProxyChoice,
    rate_limit: Option<f64>,
    max_in_flight: Option<usize>,
}

/// Which proxy calls go through (see [`ClientBuilder::proxy`]).
#[derive(Clone, Debug, Default)]
enum ProxyChoice {
    /// `HTTPS_PROXY` / `ALL_PROXY`, minus `NO_PROXY`.
    #[default]
    FromEnv,
    /// No proxy at all.
    None,
    /// This one (a secret: a proxy URL may carry a password).
    Url(Secret),
}

impl ClientBuilder {
    /// The WHMCS URL: the installation root (`https://example.com/billing`) or the API endpoint
    /// itself (`…/includes/api.php`).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// API credentials (identifier and secret) created in the WHMCS admin area.
    pub fn api_credentials(
        mut self,
        identifier: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        self.identifier = Some(identifier.into());
        self.secret = Some(Secret::new(secret));
        self
    }

    /// Legacy admin login; the password is sent as its MD5 hash, as WHMCS expects.
    pub fn login(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self.password = Some(Secret::new(password));
        self
    }

    /// The API access key that lets calls bypass the IP allow-list.
    pub fn access_key(mut self, key: impl Into<String>) -> Self {
        self.access_key = Some(Secret::new(key));
        self
    }

    /// The longest a whole call may take (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest opening a connection may take (default 10 s; ignored with `http_client`).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Uses this `reqwest::Client` (its pool, proxy and TLS settings). Build it from
    /// [`reqwest_builder`], which sets up the TLS crypto provider this crate uses and turns off
    /// redirects. Its proxy settings are its own: [`proxy`](Self::proxy) and
    /// [`no_proxy`](Self::no_proxy) cannot change them, and a loopback or `http://` URL goes
    /// through a proxy if that client says so.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Allows plain `http://` to hosts other than loopback. Credentials then cross the network
    /// unencrypted; only for trusted private networks.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The largest answer accepted, in bytes (default 64 MiB), enforced while reading.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Also trusts the certificate authorities in `pem` (one or more PEM certificates), for a
    /// WHMCS whose certificate a private CA signed. The system's authorities stay trusted.
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Sends calls through this proxy (`http://proxy.example:3128`, `socks5://…` is not
    /// supported), instead of the one the environment names.
    ///
    /// Proxies carry `https://` calls only, inside a `CONNECT` tunnel, so the proxy sees the
    /// host but none of the request. A loopback URL (`localhost`, `127.0.0.0/8`, `::1`) never
    /// goes through a proxy, and neither does a plain `http://` call, whose credentials the
    /// proxy would read: `build()` refuses a proxy given for an `http://` URL off loopback.
    ///
    /// Without this or [`no_proxy`](Self::no_proxy), `https://` calls go through the proxy the
    /// usual variables name (`HTTPS_PROXY`, `https_proxy`, `ALL_PROXY`, `all_proxy`), except for
    /// hosts `NO_PROXY` / `no_proxy` lists.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxyChoice::Url(Secret::new(url));
        self
    }

    /// Never uses a proxy, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxyChoice::None;
        self
    }

    /// Sends at most `calls_per_second` requests a second (fractions allowed: `0.5` is one every
    /// two seconds), spaced evenly, for this client and all its clones together; a call waits
    /// for its turn. Retries count as requests. Default: no limit.
    ///
    /// For installations behind a firewall or a shared host's limits; 10 a second is a common
    /// choice. `build()` refuses a rate that is not a number above 0.
    pub fn rate_limit(mut self, calls_per_second: f64) -> Self {
        self.rate_limit = Some(calls_per_second);
        self
    }

    /// Keeps at most `n` requests in flight at once, for this client and all its clones
    /// together; a call waits for a free place. Default: no limit. `build()` refuses 0.
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = Some(n);
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Fills what is not set yet from `WHMCS_URL`, `WHMCS_API_IDENTIFIER`, `WHMCS_API_SECRET` and
    /// `WHMCS_ACCESS_KEY`.
    pub fn from_env(mut self) -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if self.url.is_none() {
            self.url = var("WHMCS_URL");
        }
        if self.identifier.is_none() && self.username.is_none() {
            self.identifier = var("WHMCS_API_IDENTIFIER");
        }
        if self.secret.is_none() && self.password.is_none() {
            self.secret = var("WHMCS_API_SECRET").map(Secret::new);
        }
        if self.access_key.is_none() {
            self.access_key = var("WHMCS_ACCESS_KEY").map(Secret::new);
        }
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let raw = self.url.ok_or_else(|| {
            BuildError("no WHMCS URL given (set it with `url()` or WHMCS_URL)".into())
        })?;
        let url = endpoint(&raw, self.allow_insecure_http)?;
        let mut redact_also = Vec::new();
        let credentials = match (self.identifier, self.secret, self.username, self.password) {
            (_, _, Some(username), Some(password)) => {
                let hash = Md5::digest(password.expose().as_bytes());
                let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
                redact_also.push(password);
                Credentials::Login {
                    username,
                    password_md5: Secret::new(hex),
                }
            }
            (Some(identifier), Some(secret), None, None) => Credentials::Api { identifier, secret },
            (None, None, None, None) => Credentials::None,
            (Some(_), None, _, _) => {
                return Err(BuildError(
                    "an API identifier was given without its secret".into(),
                ));
            }
            (None, Some(_), _, _) => {
                return Err(BuildError(
                    "an API secret was given without its identifier".into(),
                ));
            }
            (_, _, Some(_), None) | (_, _, None, Some(_)) => {
                return Err(BuildError(
                    "a login needs both username and password".into(),
                ));
            }
        };
        let redactor = {
            let mut all: Vec<&str> = redact_also.iter().map(Secret::expose).collect();
            match &credentials {
                Credentials::Api { secret, .. } => all.push(secret.expose()),
                Credentials::Login { password_md5, .. } => all.push(password_md5.expose()),
                Credentials::None => {}
            }
            all.extend(self.access_key.as_ref().map(Secret::expose));
            Redactor::new(all)
        };
        let timeout = self.timeout.unwrap_or(Duration::from_secs(30));
        // Loopback needs no proxy, and a proxy would read every plain-http call in clear.
        let direct = is_loopback(&url) || url.scheme() == "http";
        let http = match self.http {
            Some(_) if !self.root_certificates.is_empty() => {
                return Err(BuildError(
                    "`add_root_certificate` cannot change a client given with `http_client`: add the certificate to that client".into(),
                ));
            }
            Some(_) if !matches!(self.proxy, ProxyChoice::FromEnv) => {
                return Err(BuildError(
                    "`proxy`/`no_proxy` cannot change a client given with `http_client`: set the proxy on that client".into(),
                ));
            }
            Some(h) => h,
            None => {
                let mut b = reqwest_builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                    .user_agent(concat!("whmcs-api-rust/", env!("CARGO_PKG_VERSION")))
                    .https_only(!self.allow_insecure_http && url.scheme() == "https");
                b = match (&self.proxy, direct) {
                    (ProxyChoice::Url(_), true) if !is_loopback(&url) => {
                        return Err(BuildError(
                            "refusing a proxy for a plain http:// URL: the proxy would read the credentials; use https://".into(),
                        ));
                    }
                    (_, true) | (ProxyChoice::None, false) => b.no_proxy(),
                    (ProxyChoice::Url(p), false) => {
                        let proxy = reqwest::Proxy::all(p.expose()).map_err(|e| {
                            BuildError(format!("the proxy URL given is not usable: {e}"))
                        })?;
                        b.proxy(proxy)
                    }
                    // reqwest reads HTTPS_PROXY, ALL_PROXY and NO_PROXY (either case) itself.
                    (ProxyChoice::FromEnv, false) => b,
                };
                for pem in &self.root_certificates {
                    let certs = reqwest::Certificate::from_pem_bundle(pem)
                        .ok()
                        .filter(|c| !c.is_empty())
                        .ok_or_else(|| {
                            BuildError("a root certificate given is not a PEM certificate".into())
                        })?;
                    for cert in certs {
                        b = b.add_root_certificate(cert);
                    }
                }
                b.build()
                    .map_err(|e| BuildError(format!("cannot set up the HTTP client: {e}")))?
            }
        };
        let rate = match self.rate_limit {
            None => None,
            Some(r) if r.is_finite() && r > 0.0 && 1.0 / r <= 86_400.0 * 365.0 => {
                Some(RateLimit::new(r))
            }
            Some(r) => {
                return Err(BuildError(format!(
                    "rate_limit({r}): the rate is a number of calls per second above 0"
                )));
            }
        };
        let in_flight = match self.max_in_flight {
            None => None,
            Some(0) => {
                return Err(BuildError(
                    "max_in_flight(0) would never send anything: give 1 or more".into(),
                ));
            }
            Some(n) => Some(Semaphore::new(n.min(Semaphore::MAX_PERMITS))),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                url,
                credentials,
                access_key: self.access_key,
                timeout,
                max_response_bytes: self.max_response_bytes.unwrap_or(64 << 20),
                retry: self.retry.unwrap_or_default(),
                redactor,
                pacing: Pacing { rate, in_flight },
            }),
        })
    }
}

/// A `reqwest` client builder set up as this crate uses it, for [`ClientBuilder::http_client`]:
/// TLS with rustls and the `ring` provider, certificates always checked, and redirects never
/// followed (following one would send the request, credentials included, wherever the answer
/// points).
pub fn reqwest_builder() -> reqwest::ClientBuilder {
    // Installing twice is harmless: the first provider stays.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none())
}

fn endpoint(raw: &str, allow_insecure_http: bool) -> Result<reqwest::Url, BuildError> {
    let mut url = reqwest::Url::parse(raw.trim())
        .map_err(|e| BuildError(format!("`{raw}` is not a valid URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(BuildError(format!(
                "refusing plain http:// to `{}`: credentials would cross the network unencrypted; use https://, or allow it explicitly with `allow_insecure_http(true)`",
                url.host_str().unwrap_or("")
            )));
        }
        other => {
            return Err(BuildError(format!(
                "unsupported URL scheme `{other}`: use https://"
            )));
        }
    }
    if !url.path().ends_with(".php") {
        let path = format!("{}/includes/api.php", url.path().trim_end_matches('/'));
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let lower = host.to_ascii_lowercase();
    // RFC 6761: `localhost` and every name under it are loopback.
    lower == "localhost"
        || lower.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `WHMCS_URL`, `WHMCS_API_IDENTIFIER`, `WHMCS_API_SECRET` and
    /// `WHMCS_ACCESS_KEY`.
    pub fn from_env() -> Result<Self, BuildError> {
        Self::builder().from_env().build()
    }

    /// The API endpoint calls are sent to.
    pub fn endpoint(&self) -> &str {
        self.inner.url.as_str()
    }

    /// `text` with this client's credentials removed (the secret, password and its MD5, access
    /// key, each as typed, URL-encoded, HTML- or JSON-escaped). Errors are already redacted;
    /// this is for text of an answer you print or log yourself.
    pub fn redact(&self, text: &str) -> String {
        self.inner.redactor.redact(text)
    }

    /// What removes this client's credentials from text.
    pub(crate) fn redactor(&self) -> &Redactor {
        &self.inner.redactor
    }

    /// Sends `request` and decodes the answer, when the returned future is awaited. The request
    /// is encoded at once; the future owns it and a handle to the client, so it can be stored,
    /// spawned or polled alongside others.
    ///
    /// ```no_run
    /// # async fn run(client: whmcs_api::Client) {
    /// use whmcs_api::actions::{AddCancelRequest, AddCancelRequestError, CancellationType};
    /// use whmcs_api::Error;
    /// let req = AddCancelRequest::new(42).cancel_type(CancellationType::EndOfBillingPeriod);
    /// match client.execute(req).await {
    ///     Ok(done) => println!("cancellation filed for client {:?}", done.userid),
    ///     Err(Error::Api { error: AddCancelRequestError::ExistingCancellationRequestExists, .. }) => println!("already filed"),
    ///     Err(e) => eprintln!("{e}"),
    /// }
    /// # }
    /// ```
    pub fn execute<A: Action>(&self, request: A) -> Pending<A> {
        let mut form = Form::new();
        request.encode(&mut form);
        Pending::new(self, form.into_string())
    }

    /// [`send_form`](Self::send_form) as an owned future, of one type for every action.
    fn post(&self, action: &'static str, effect: Effect, params: String) -> Answer {
        let client = self.clone();
        Box::pin(async move { client.send_form(action, effect, &params).await })
    }

    /// The complete form body for a call: action, credentials, parameters, response type.
    fn body(&self, action: &str, params: &str) -> String {
        let mut form = Form::new();
        form.pair("action", action);
        match &self.inner.credentials {
            Credentials::Api { identifier, secret } => {
                form.pair("identifier", identifier);
                form.pair("secret", secret.expose());
            }
            Credentials::Login {
                username,
                password_md5,
            } => {
                form.pair("username", username);
                form.pair("password", password_md5.expose());
            }
            Credentials::None => {}
        }
        if let Some(key) = &self.inner.access_key {
            form.pair("accesskey", key.expose());
        }
        let mut body = form.into_string();
        if !params.is_empty() {
            body.push('&');
            body.push_str(params);
        }
        body.push_str("&responsetype=json");
        body
    }

    /// Posts an encoded call, retrying as the policy and the action's effect allow, and returns
    /// the HTTP status with the body (bounded by the size limit).
    pub(crate) async fn send_form(
        &self,
        action: &'static str,
        effect: Effect,
        params: &str,
    ) -> Result<(u16, Vec<u8>), TransportError> {
        let body = self.body(action, params);
        let policy = self.inner.retry;
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "whmcs.call",
                action,
                attempt,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty
            );
            let t0 = Instant::now();
            let result = self.attempt(body.clone()).instrument(span.clone()).await;
            span.record("elapsed_ms", t0.elapsed().as_millis() as u64);
            let failure = match result {
                Ok((status, bytes)) => {
                    span.record("status", status);
                    tracing::debug!(parent: &span, status, bytes = bytes.len(), "answer received");
                    return Ok((status, bytes));
                }
                Err(f) => f,
            };
            let may_retry = failure.retryable && (!failure.sent || effect.is_retry_safe());
            let delay = backoff(&policy, attempt, failure.retry_after);
            let in_time = started.elapsed() + delay < policy.max_elapsed;
            if may_retry && attempt < policy.max_attempts && in_time {
                tracing::debug!(parent: &span, ?delay, kind = ?failure.kind, "retrying");
                tokio::time::sleep(delay).await;
                continue;
            }
            return Err(TransportError {
                action,
                kind: failure.kind,
                attempts: attempt,
                maybe_applied: failure.sent && !effect.is_retry_safe(),
                detail: failure.detail,
                location: failure.location,
                source: failure.source,
            });
        }
    }

    async fn attempt(&self, body: String) -> Result<(u16, Vec<u8>), Failure> {
        // Held until the answer is read.
        let _turn = self.inner.pacing.admit().await;
        let redact = &self.inner.redactor;
        let response = self
            .inner
            .http
            .post(self.inner.url.clone())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(self.inner.timeout)
            .body(body)
            .send()
            .await
            .map_err(|e| Failure::from_reqwest(e, false, redact))?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) || *response.url() != self.inner.url {
            return Err(redirected(&response, &self.inner.url, redact));
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let limit = self.inner.max_response_bytes;
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(too_large(status, limit));
        }
        let mut response = response;
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Failure::from_reqwest(e, true, redact))?
        {
            if bytes.len() + chunk.len() > limit {
                return Err(too_large(status, limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_transient_status(status, &bytes) {
            return Err(Failure {
                kind: TransportKind::Status(status),
                sent: true,
                retryable: true,
                retry_after,
                detail: crate::response::snippet(&bytes, redact),
                location: None,
                source: None,
            });
        }
        Ok((status, bytes))
    }
}

/// A redirect, never followed: following it would send the request, credentials included, to
/// wherever the answer points (and turn a POST into a GET on 301/302/303). Also what a
/// `reqwest` client of the caller's that did follow one ends in.
fn redirected(response: &reqwest::Response, asked: &reqwest::Url, redact: &Redactor) -> Failure {
    let status = response.status().as_u16();
    // Redacted before it is resolved: resolving re-encodes, which could hide a credential.
    let location = if response.url() != asked {
        Some(redact.redact(response.url().as_str()))
    } else {
        response
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| redact.redact(&String::from_utf8_lossy(v.as_bytes())))
            .map(|to| asked.join(&to).map_or(to, |u| redact.redact(u.as_str())))
    };
    Failure {
        kind: TransportKind::Redirect(status),
        sent: true,
        retryable: false,
        retry_after: None,
        detail: String::new(),
        location,
        source: None,
    }
}

fn too_large(status: u16, limit: usize) -> Failure {
    Failure {
        kind: TransportKind::TooLarge,
        sent: true,
        retryable: true,
        retry_after: None,
        detail: format!("HTTP {status}, limit {limit} bytes"),
        location: None,
        source: None,
    }
}

struct Failure {
    kind: TransportKind,
    /// Whether the request may have reached the server.
    sent: bool,
    /// Whether another attempt could go differently (a refused certificate or a redirect will
    /// not).
    retryable: bool,
    retry_after: Option<Duration>,
    detail: String,
    location: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Failure {
    /// Classifies what `reqwest` reported. Nothing was sent when the connection never opened:
    /// refused, timed out while connecting, a name that did not resolve, or a TLS handshake
    /// that failed (the request is written only after it). Anything after that may have
    /// reached the server.
    fn from_reqwest(e: reqwest::Error, reading: bool, redact: &Redactor) -> Self {
        let (kind, sent, retryable, detail) = if let Some(tls) = tls_problem(&e) {
            (TransportKind::Tls, false, false, tls)
        } else if !reading && e.is_connect() {
            let detail = if e.is_timeout() {
                "timed out while connecting".to_string()
            } else if e.is_dns() {
                format!("the name did not resolve: {}", innermost(&e))
            } else {
                innermost(&e)
            };
            (TransportKind::Connect, false, true, detail)
        } else if e.is_timeout() {
            (TransportKind::Timeout, true, true, String::new())
        } else {
            (TransportKind::Other, true, true, innermost(&e))
        };
        Failure {
            kind,
            sent,
            retryable,
            retry_after: None,
            detail: redact.redact(&detail),
            location: None,
            source: Some(Box::new(e.without_url())),
        }
    }
}

/// The last error in the chain: the most specific (`Connection refused (os error 111)`).
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = last.source() {
        last = next;
    }
    if std::ptr::addr_eq(last, e) {
        String::new()
    } else {
        last.to_string()
    }
}

/// What the TLS layer said, in words, if the error came from it.
fn tls_problem(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut pending = vec![e];
    while let Some(err) = pending.pop() {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(describe_tls(tls));
        }
        // An `io::Error` hides what it wraps from `source()`: look inside it too.
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            pending.push(inner);
        }
        pending.extend(err.source());
    }
    None
}

fn describe_tls(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let what = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => "the server's certificate was refused: unknown issuer (it is self-signed, or signed by an authority this client does not trust; trust a private CA with `add_root_certificate`)".to_string(),
            C::Expired | C::ExpiredContext { .. } => "the server's certificate was refused: it has expired".to_string(),
            C::NotValidYet | C::NotValidYetContext { .. } => "the server's certificate was refused: it is not valid yet".to_string(),
            C::NotValidForName | C::NotValidForNameContext { .. } => "the server's certificate was refused: name mismatch (it was not issued for this host)".to_string(),
            C::Revoked => "the server's certificate was refused: it has been revoked".to_string(),
            other => format!("the server's certificate was refused: {other:?}"),
        },
        other => other.to_string(),
    };
    format!("{what} [{e}]; nothing was sent")
}

/// Statuses worth another try, unless the body is a WHMCS answer (which is final).
fn is_transient_status(status: u16, body: &[u8]) -> bool {
    matches!(status, 429 | 502 | 503 | 504) && !looks_like_json(body)
}

fn looks_like_json(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

fn backoff(policy: &RetryPolicy, attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(ra) = retry_after {
        return ra.min(policy.max_delay);
    }
    let exp = policy.base_delay.saturating_mul(1 << (attempt - 1).min(16));
    let capped = exp.min(policy.max_delay);
    // Full jitter from the clock's low bits: no RNG dependency, and enough to spread clients.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let frac = f64::from(nanos % 1000) / 1000.0;
    capped.mul_f64(0.5 + frac / 2.0)
}

/// An HTTP status and body on their way, or why none came.
type Answer = Pin<Box<dyn Future<Output = Result<(u16, Vec<u8>), TransportError>> + Send>>;

/// The future of a call: what [`Client::execute`] returns and what awaiting a request started
/// from a [`Client`] shorthand (`client.get_invoices()…`) runs. `Send` and `Unpin`; it owns
/// everything it needs, so it can be stored or spawned.
///
/// The request itself travels in one future type shared by every action; only decoding the
/// answer is compiled per action.
#[must_use = "a call is sent only when its future is awaited or polled"]
pub struct Pending<A: Action> {
    /// Sends the request and reads the answer (status and body).
    answer: Answer,
    client: Client,
    action: std::marker::PhantomData<fn() -> A>,
}

impl<A: Action> Pending<A> {
    /// A call of `A` with its parameters already encoded (`params`, without action name and
    /// credentials).
    pub(crate) fn new(client: &Client, params: String) -> Self {
        Pending {
            answer: client.post(A::INFO.name(), A::INFO.effect(), params),
            client: client.clone(),
            action: std::marker::PhantomData,
        }
    }
}

impl<A: Action> Future for Pending<A> {
    type Output = Result<A::Response, Error<A::Error>>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let answer = std::task::ready!(self.answer.as_mut().poll(cx));
        std::task::Poll::Ready(answer.map_err(Error::Transport).and_then(|(status, body)| {
            decode_with_status::<A>(status, &body, self.client.redactor())
        }))
    }
}

impl<A: Action> std::fmt::Debug for Pending<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("action", &A::INFO.name())
            .finish_non_exhaustive()
    }
}

/// Encodes `request` now and sends it as action `A` when the future is polled (what awaiting a
/// bound request does).
#[doc(hidden)]
pub fn send<A: Action, R: EncodeFields>(client: &Client, request: &R) -> Pending<A> {
    let mut form = Form::new();
    request.encode_fields(&mut form, "");
    Pending::new(client, form.into_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_rules() {
        let e = |u: &str| endpoint(u, false).map(|u| u.to_string());
        assert_eq!(
            e("https://example.com/billing").ok().as_deref(),
            Some("https://example.com/billing/includes/api.php")
        );
        assert_eq!(
            e("https://example.com/includes/api.php").ok().as_deref(),
            Some("https://example.com/includes/api.php")
        );
        assert_eq!(
            e("http://127.0.0.1:8080").ok().as_deref(),
            Some("http://127.0.0.1:8080/includes/api.php")
        );
        assert!(e("http://localhost/").is_ok());
        assert!(e("http://[::1]:9/").is_ok());
        assert!(e("http://example.com/").is_err());
        assert!(endpoint("http://example.com/", true).is_ok());
        assert!(e("ftp://example.com/").is_err());
        assert!(e("not a url").is_err());
    }

    #[test]
    fn login_password_is_md5_hashed() {
        let c = Client::builder()
            .url("https://x.test")
            .login("admin", "secret")
            .build();
        let c = c.unwrap_or_else(|e| panic!("{e}"));
        let body = c.body("GetClients", "");
        assert!(
            body.contains("password=5ebe2294ecd0e0f08eab7690d2a6ee69"),
            "{body}"
        );
        assert!(!format!("{c:?}").contains("5ebe2294"));
    }
}
